"""An employer (werkgever): the organisation, its sector, the account manager who owns the
relation, and its contact persons (whose names and addresses are sealed). Its future jobs
are aggregates of their own (`domain.future_job`), each naming the employer.

One aggregate, one stream per employer. Pure: no I/O, no clock.
"""

from ._employer import (
    AccountManagerChanged,
    AddContact,
    AnyCommand,
    AnyEvent,
    ChangeAccountManager,
    Command,
    Contact,
    ContactAdded,
    ContactRemoved,
    Employer,
    EmployerNotRegistered,
    EmployerRegistered,
    Event,
    RegisterEmployer,
    RemoveContact,
    decide,
    evolve,
    fold,
    load_event,
)

__all__ = [
    "AccountManagerChanged",
    "AddContact",
    "AnyCommand",
    "AnyEvent",
    "ChangeAccountManager",
    "Command",
    "Contact",
    "ContactAdded",
    "ContactRemoved",
    "Employer",
    "EmployerNotRegistered",
    "EmployerRegistered",
    "Event",
    "RegisterEmployer",
    "RemoveContact",
    "decide",
    "evolve",
    "fold",
    "load_event",
]
