"""The employer's commands, events, state and rules (small enough for one module)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Literal, assert_never

from pydantic import Field, TypeAdapter

from ..shared import (
    N_,
    CommandEnvelope,
    DomainError,
    EventEnvelope,
    NonEmpty,
    OpaqueId,
    RuleViolation,
    Sealed,
    Value,
)

MAX_CONTACTS = 20


class EmployerNotRegistered(DomainError):
    code = "employer-not-registered"


class Contact(Value):
    contact_id: OpaqueId
    role: NonEmpty
    """What the contact does for the trajectories (HR, the supervisor on the floor)."""
    details: Sealed
    """Name, e-mail and phone, sealed with the contact's own key."""


# --- commands -----------------------------------------------------------------------------


class Command(CommandEnvelope):
    pass


class RegisterEmployer(Command):
    kind: Literal["register"] = "register"
    employer_id: OpaqueId
    organisation: NonEmpty
    """The organisation's name (not personal data: an employer is a legal person)."""
    sector: NonEmpty
    account_manager_id: OpaqueId


class AddContact(Command):
    kind: Literal["add-contact"] = "add-contact"
    contact: Contact


class RemoveContact(Command):
    kind: Literal["remove-contact"] = "remove-contact"
    contact_id: OpaqueId


class ChangeAccountManager(Command):
    kind: Literal["change-account-manager"] = "change-account-manager"
    account_manager_id: OpaqueId


AnyCommand = Annotated[
    RegisterEmployer | AddContact | RemoveContact | ChangeAccountManager,
    Field(discriminator="kind"),
]


# --- events -------------------------------------------------------------------------------


class Event(EventEnvelope):
    employer_id: OpaqueId

    @property
    def stream_id(self) -> str:
        return self.employer_id


class EmployerRegistered(Event):
    type: Literal["EmployerRegistered"] = "EmployerRegistered"
    organisation: NonEmpty
    sector: NonEmpty
    account_manager_id: OpaqueId


class ContactAdded(Event):
    type: Literal["ContactAdded"] = "ContactAdded"
    contact: Contact


class ContactRemoved(Event):
    type: Literal["ContactRemoved"] = "ContactRemoved"
    contact_id: OpaqueId


class AccountManagerChanged(Event):
    type: Literal["AccountManagerChanged"] = "AccountManagerChanged"
    account_manager_id: OpaqueId
    previous_id: OpaqueId


AnyEvent = Annotated[
    EmployerRegistered | ContactAdded | ContactRemoved | AccountManagerChanged,
    Field(discriminator="type"),
]
_EVENT: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def load_event(data: bytes | str) -> AnyEvent:
    return _EVENT.validate_json(data)


# --- state --------------------------------------------------------------------------------


class Employer(Value):
    employer_id: OpaqueId
    organisation: NonEmpty
    sector: NonEmpty
    account_manager_id: OpaqueId
    contacts: tuple[Contact, ...] = ()
    version: int
    registered_at: datetime


def evolve(state: Employer | None, event: AnyEvent) -> Employer:
    if isinstance(event, EmployerRegistered):
        return Employer(
            employer_id=event.employer_id,
            organisation=event.organisation,
            sector=event.sector,
            account_manager_id=event.account_manager_id,
            version=event.version,
            registered_at=event.occurred_at,
        )
    if state is None:
        raise ValueError(f"{event.type} before the employer was registered")
    changes: dict[str, object]
    match event:
        case ContactAdded():
            changes = {"contacts": (*state.contacts, event.contact)}
        case ContactRemoved():
            changes = {
                "contacts": tuple(c for c in state.contacts if c.contact_id != event.contact_id)
            }
        case AccountManagerChanged():
            changes = {"account_manager_id": event.account_manager_id}
        case EmployerRegistered():  # pragma: no cover - handled above
            raise AssertionError
        case _:
            assert_never(event)
    return state.model_copy(update={**changes, "version": event.version})


def fold(events: Iterable[AnyEvent], state: Employer | None = None) -> Employer | None:
    for event in events:
        state = evolve(state, event)
    return state


# --- rules --------------------------------------------------------------------------------


def decide(state: Employer | None, command: AnyCommand, now: datetime) -> list[AnyEvent]:
    """The events of `command`. Whether the account manager is one (the people directory)
    is the caller's to check: an aggregate decides on its own state alone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if isinstance(command, RegisterEmployer):
        if state is not None:
            raise RuleViolation(
                N_("employer {employer_id} is registered already"), employer_id=command.employer_id
            )
        return [
            EmployerRegistered(
                employer_id=command.employer_id,
                version=1,
                occurred_at=now,
                actor=command.actor,
                request_id=command.request_id,
                organisation=command.organisation,
                sector=command.sector,
                account_manager_id=command.account_manager_id,
            )
        ]
    if state is None:
        raise EmployerNotRegistered(N_("this employer was never registered"))
    stamp = {
        "employer_id": state.employer_id,
        "version": state.version + 1,
        "occurred_at": now,
        "actor": command.actor,
        "request_id": command.request_id,
    }
    ids = {c.contact_id for c in state.contacts}
    match command:
        case AddContact():
            if command.contact.contact_id in ids:
                raise RuleViolation(
                    N_("contact {contact_id} is there already"),
                    contact_id=command.contact.contact_id,
                )
            if len(ids) >= MAX_CONTACTS:
                raise RuleViolation(
                    N_("an employer has at most {max_contacts} contacts"), max_contacts=MAX_CONTACTS
                )
            return [ContactAdded(contact=command.contact, **stamp)]  # type: ignore[arg-type]
        case RemoveContact():
            if command.contact_id not in ids:
                raise RuleViolation(
                    N_("no contact {contact_id} at this employer"), contact_id=command.contact_id
                )
            return [ContactRemoved(contact_id=command.contact_id, **stamp)]  # type: ignore[arg-type]
        case ChangeAccountManager():
            if command.account_manager_id == state.account_manager_id:
                raise RuleViolation(
                    N_("{account_manager_id} owns the relation already"),
                    account_manager_id=command.account_manager_id,
                )
            return [
                AccountManagerChanged(  # type: ignore[arg-type]
                    account_manager_id=command.account_manager_id,
                    previous_id=state.account_manager_id,
                    **stamp,
                )
            ]
        case RegisterEmployer():  # pragma: no cover - handled above
            raise AssertionError
        case _:
            assert_never(command)
