"""An employer, pure: registered once, contacts sealed, the account manager handed over."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain import employer
from domain.shared import RuleViolation, Sealed
from tests.unit.test_dispatch import concrete, members

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)
REGISTER = employer.RegisterEmployer(
    actor="am-1", employer_id="emp-1", organisation="Zorggroep Lelystad", sector="zorg",
    account_manager_id="am-1",
)  # fmt: skip


def contact(cid: str) -> employer.AddContact:
    sealed = Sealed(key_id=f"contact-{cid}", nonce="AAAA", ciphertext="AAAA")
    return employer.AddContact(
        actor="am-1", contact=employer.Contact(contact_id=cid, role="HR", details=sealed)
    )


def build(*commands: employer.AnyCommand) -> employer.Employer:
    state: employer.Employer | None = None
    for command in commands:
        state = employer.fold(employer.decide(state, command, NOW), state)
    assert state is not None
    return state


def test_an_employer_with_its_contacts_and_a_new_account_manager() -> None:
    handover = employer.ChangeAccountManager(actor="sup-1", account_manager_id="am-2")
    state = build(REGISTER, contact("c1"), contact("c2"),
                  employer.RemoveContact(actor="am-1", contact_id="c1"), handover)  # fmt: skip
    assert [c.contact_id for c in state.contacts] == ["c2"]
    assert (state.account_manager_id, state.version) == ("am-2", 5)
    assert "Zorggroep" not in repr(state.contacts)  # contacts hold sealed details only


def test_its_rules() -> None:
    with pytest.raises(employer.EmployerNotRegistered):
        build(contact("c1"))
    with pytest.raises(RuleViolation, match="registered already"):
        build(REGISTER, REGISTER)
    with pytest.raises(RuleViolation, match="there already"):
        build(REGISTER, contact("c1"), contact("c1"))
    with pytest.raises(RuleViolation, match="no contact c9"):
        build(REGISTER, employer.RemoveContact(actor="am-1", contact_id="c9"))
    with pytest.raises(RuleViolation, match="owns the relation already"):
        build(REGISTER, employer.ChangeAccountManager(actor="am-1", account_manager_id="am-1"))


def test_its_events_read_back() -> None:
    state = None
    events: list[employer.AnyEvent] = []
    for command in (REGISTER, contact("c1")):
        new = employer.decide(state, command, NOW)
        events += new
        state = employer.fold(new, state)
    assert [employer.load_event(e.model_dump_json()) for e in events] == events


def test_the_unions_hold_every_class() -> None:
    assert members(employer.AnyCommand) == concrete(employer.Command)
    assert members(employer.AnyEvent) == set(employer.Event.__subclasses__())
