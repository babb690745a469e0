"""The people directory: work coaches, their supervisors and the account managers, each with
an id, a role, whom they answer to and (for a coach) a caseload limit. Names and contact
details are sealed, as all personal data; ids, roles and limits are not.

One aggregate, one stream (`DIRECTORY_ID`): its rules span people (a supervisor must be
someone with that role; nobody ends up supervising themselves, however far up the line).
Pure: no I/O, no clock.
"""

from ._directory import (
    DIRECTORY_ID,
    AddPerson,
    AnyCommand,
    AnyEvent,
    ChangePerson,
    Command,
    Directory,
    Event,
    Person,
    PersonAdded,
    PersonChanged,
    PersonLeft,
    RemovePerson,
    Role,
    UnknownPerson,
    decide,
    evolve,
    fold,
    load_event,
)

__all__ = [
    "DIRECTORY_ID",
    "AddPerson",
    "AnyCommand",
    "AnyEvent",
    "ChangePerson",
    "Command",
    "Directory",
    "Event",
    "Person",
    "PersonAdded",
    "PersonChanged",
    "PersonLeft",
    "RemovePerson",
    "Role",
    "UnknownPerson",
    "decide",
    "evolve",
    "fold",
    "load_event",
]
