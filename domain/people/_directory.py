"""The directory's commands, events, state and rules (small enough for one module)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, assert_never

from pydantic import Field, TypeAdapter

from ..shared import (
    N_,
    CommandEnvelope,
    DomainError,
    EventEnvelope,
    OpaqueId,
    RuleViolation,
    Sealed,
    Value,
)

DIRECTORY_ID = "people"
"""The directory's stream id."""

MAX_CASELOAD = 500


class Role(StrEnum):
    COACH = "coach"  # werkcoach / jobcoach
    SUPERVISOR = "supervisor"  # teamleider
    ACCOUNT_MANAGER = "account-manager"  # accountmanager werkgeversdienstverlening


class UnknownPerson(DomainError):
    code = "unknown-person"


class Person(Value):
    person_id: OpaqueId
    role: Role
    supervisor_id: OpaqueId | None = None
    caseload_limit: int | None = None
    """How many open trajectories a coach may hold; None for other roles."""
    contact: Sealed
    """Name, e-mail and phone, sealed with the person's own key."""
    active: bool = True


# --- commands -----------------------------------------------------------------------------


class Command(CommandEnvelope):
    pass


class AddPerson(Command):
    kind: Literal["add"] = "add"
    person_id: OpaqueId
    role: Role
    supervisor_id: OpaqueId | None = None
    caseload_limit: int | None = Field(default=None, ge=0, le=MAX_CASELOAD)
    contact: Sealed


class ChangePerson(Command):
    """A new role, supervisor or caseload limit (what is given changes; the rest stays)."""

    kind: Literal["change"] = "change"
    person_id: OpaqueId
    role: Role | None = None
    supervisor_id: OpaqueId | None = None
    caseload_limit: int | None = Field(default=None, ge=0, le=MAX_CASELOAD)
    contact: Sealed | None = None


class RemovePerson(Command):
    """Someone leaves: kept in the directory (their id is in years of events), inactive."""

    kind: Literal["remove"] = "remove"
    person_id: OpaqueId


AnyCommand = Annotated[AddPerson | ChangePerson | RemovePerson, Field(discriminator="kind")]


# --- events -------------------------------------------------------------------------------


class Event(EventEnvelope):
    directory_id: OpaqueId = DIRECTORY_ID

    @property
    def stream_id(self) -> str:
        return self.directory_id


class PersonAdded(Event):
    type: Literal["PersonAdded"] = "PersonAdded"
    person: Person


class PersonChanged(Event):
    type: Literal["PersonChanged"] = "PersonChanged"
    person: Person
    """The person as they are now."""


class PersonLeft(Event):
    type: Literal["PersonLeft"] = "PersonLeft"
    person_id: OpaqueId


AnyEvent = Annotated[PersonAdded | PersonChanged | PersonLeft, Field(discriminator="type")]
_EVENT: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def load_event(data: bytes | str) -> AnyEvent:
    return _EVENT.validate_json(data)


# --- state --------------------------------------------------------------------------------


class Directory(Value):
    people: dict[str, Person] = Field(default_factory=dict)
    version: int = 0

    def person(self, person_id: str) -> Person:
        found = self.people.get(person_id)
        if found is None:
            raise UnknownPerson(
                N_("nobody with id {person_id} in the directory"), person_id=person_id
            )
        return found

    def with_role(self, role: Role) -> list[Person]:
        return [p for p in self.people.values() if p.role is role and p.active]

    def chain_of(self, person_id: str) -> list[str]:
        """Whom `person_id` answers to, up the line (the escalation route)."""
        chain: list[str] = []
        current = self.people.get(person_id)
        while current is not None and current.supervisor_id and current.supervisor_id not in chain:
            chain.append(current.supervisor_id)
            current = self.people.get(current.supervisor_id)
        return chain


def evolve(state: Directory | None, event: AnyEvent) -> Directory:
    state = state or Directory()
    people = dict(state.people)
    match event:
        case PersonAdded() | PersonChanged():
            people[event.person.person_id] = event.person
        case PersonLeft():
            people[event.person_id] = people[event.person_id].model_copy(update={"active": False})
        case _:
            assert_never(event)
    return Directory(people=people, version=event.version)


def fold(events: Iterable[AnyEvent], state: Directory | None = None) -> Directory:
    for event in events:
        state = evolve(state, event)
    return state or Directory()


# --- rules --------------------------------------------------------------------------------


def decide(state: Directory | None, command: AnyCommand, now: datetime) -> list[AnyEvent]:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    state = state or Directory()
    stamp = {"version": state.version + 1, "occurred_at": now, "actor": command.actor,
             "request_id": command.request_id}  # fmt: skip
    match command:
        case AddPerson():
            if command.person_id in state.people:
                raise RuleViolation(
                    N_("{person_id} is in the directory already"), person_id=command.person_id
                )
            person = Person(
                person_id=command.person_id,
                role=command.role,
                supervisor_id=command.supervisor_id,
                caseload_limit=command.caseload_limit,
                contact=command.contact,
            )
            _check(state, person)
            return [PersonAdded(person=person, **stamp)]  # type: ignore[arg-type]
        case ChangePerson():
            before = state.person(command.person_id)
            given = ("role", "supervisor_id", "caseload_limit", "contact")
            changes = {k: v for k in given if (v := getattr(command, k)) is not None}
            if not changes:
                raise RuleViolation(
                    N_("nothing to change: give a role, supervisor, limit or contact")
                )
            person = before.model_copy(update=changes)
            if person.role is not Role.COACH and command.caseload_limit is None:
                person = person.model_copy(update={"caseload_limit": None})  # no longer a coach
            if person == before:
                raise RuleViolation(
                    N_("{person_id} is like that already"), person_id=command.person_id
                )
            _check(state, person)
            return [PersonChanged(person=person, **stamp)]  # type: ignore[arg-type]
        case RemovePerson():
            person = state.person(command.person_id)
            if not person.active:
                raise RuleViolation(N_("{person_id} has left already"), person_id=command.person_id)
            reports = [p.person_id for p in state.people.values()
                       if p.active and p.supervisor_id == person.person_id]  # fmt: skip
            if reports:
                raise RuleViolation(
                    N_(
                        "{person_id} still supervises {reports}: give them another supervisor first"
                    ),
                    person_id=command.person_id,
                    reports=", ".join(sorted(reports)),
                )
            return [PersonLeft(person_id=command.person_id, **stamp)]  # type: ignore[arg-type]
        case _:
            assert_never(command)


def _check(state: Directory, person: Person) -> None:
    if person.role is Role.COACH and person.caseload_limit is None:
        raise RuleViolation(
            N_("coach {person_id} needs a caseload limit"), person_id=person.person_id
        )
    if person.role is not Role.COACH and person.caseload_limit is not None:
        raise RuleViolation(N_("only a coach has a caseload limit"))
    if person.supervisor_id is None:
        if person.role is not Role.SUPERVISOR:
            raise RuleViolation(
                N_("{person_id} needs a supervisor (whom to escalate to)"),
                person_id=person.person_id,
            )
        return
    if person.supervisor_id == person.person_id:
        raise RuleViolation(
            N_("{person_id} cannot supervise themselves"), person_id=person.person_id
        )
    supervisor = state.person(person.supervisor_id)
    if supervisor.role is not Role.SUPERVISOR or not supervisor.active:
        raise RuleViolation(
            N_("{supervisor_id} is not an active supervisor"), supervisor_id=person.supervisor_id
        )
    # Up the line from the supervisor, nobody may be this person: no loop of supervisors.
    if person.person_id in state.chain_of(person.supervisor_id):
        raise RuleViolation(
            N_("{supervisor_id} answers to {person_id} already: that would be a loop"),
            supervisor_id=person.supervisor_id,
            person_id=person.person_id,
        )
