"""The people directory, pure: roles, supervisors without loops, caseload limits."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import people
from domain.shared import RuleViolation, Sealed
from tests.unit.test_dispatch import concrete, members

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)
SEALED = Sealed(key_id="person-key", nonce="AAAA", ciphertext="AAAA")


def add(
    pid: str, role: people.Role, supervisor: str | None = None, limit: int | None = None
) -> people.AddPerson:
    return people.AddPerson(
        actor="admin", person_id=pid, role=role, supervisor_id=supervisor,
        caseload_limit=limit, contact=SEALED,
    )  # fmt: skip


def build(*commands: people.AnyCommand) -> people.Directory:
    state = people.Directory()
    for command in commands:
        state = people.fold(people.decide(state, command, NOW), state)
    return state


TEAM = (
    add("sup-1", people.Role.SUPERVISOR),
    add("sup-2", people.Role.SUPERVISOR, "sup-1"),
    add("coach-1", people.Role.COACH, "sup-2", limit=30),
    add("am-1", people.Role.ACCOUNT_MANAGER, "sup-1"),
)


def test_a_team_and_its_escalation_route() -> None:
    directory = build(*TEAM)
    assert directory.chain_of("coach-1") == ["sup-2", "sup-1"]
    assert [p.person_id for p in directory.with_role(people.Role.COACH)] == ["coach-1"]
    assert directory.version == 4


def test_the_rules_of_roles_and_limits() -> None:
    with pytest.raises(RuleViolation, match="needs a caseload limit"):
        build(*TEAM[:2], add("coach-2", people.Role.COACH, "sup-2"))
    with pytest.raises(RuleViolation, match="only a coach"):
        build(*TEAM[:2], add("am-2", people.Role.ACCOUNT_MANAGER, "sup-1", limit=3))
    with pytest.raises(RuleViolation, match="needs a supervisor"):
        build(add("coach-2", people.Role.COACH, limit=3))
    with pytest.raises(RuleViolation, match="not an active supervisor"):
        build(*TEAM, add("coach-2", people.Role.COACH, "coach-1", limit=3))
    with pytest.raises(people.UnknownPerson, match="nobody with id sup-9"):
        build(add("coach-2", people.Role.COACH, "sup-9", limit=3))
    with pytest.raises(RuleViolation, match="in the directory already"):
        build(*TEAM, TEAM[0])


def test_a_coach_who_becomes_a_supervisor_loses_the_caseload_limit() -> None:
    promoted = people.ChangePerson(actor="admin", person_id="coach-1", role=people.Role.SUPERVISOR)
    directory = build(*TEAM, promoted)
    assert directory.person("coach-1").caseload_limit is None
    back = people.ChangePerson(actor="admin", person_id="coach-1", role=people.Role.COACH)
    with pytest.raises(RuleViolation, match="needs a caseload limit"):
        build(*TEAM, promoted, back)


def test_no_loop_of_supervisors() -> None:
    loop = people.ChangePerson(actor="admin", person_id="sup-1", supervisor_id="sup-2")
    with pytest.raises(RuleViolation, match="loop"):
        build(*TEAM, loop)
    itself = people.ChangePerson(actor="admin", person_id="sup-1", supervisor_id="sup-1")
    with pytest.raises(RuleViolation, match="themselves"):
        build(*TEAM, itself)


def test_someone_leaves_once_nobody_answers_to_them() -> None:
    with pytest.raises(RuleViolation, match="still supervises coach-1"):
        build(*TEAM, people.RemovePerson(actor="admin", person_id="sup-2"))
    moved = people.ChangePerson(actor="admin", person_id="coach-1", supervisor_id="sup-1")
    directory = build(*TEAM, moved, people.RemovePerson(actor="admin", person_id="sup-2"))
    assert not directory.person("sup-2").active
    assert directory.chain_of("coach-1") == ["sup-1"]


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=30))
def test_whatever_is_changed_the_line_up_never_loops(moves: list[tuple[int, int]]) -> None:
    directory = build(add("s0", people.Role.SUPERVISOR), *(
        add(f"s{i}", people.Role.SUPERVISOR, f"s{i - 1}") for i in range(1, 6)))  # fmt: skip
    for who, to in moves:
        change = people.ChangePerson(actor="admin", person_id=f"s{who}", supervisor_id=f"s{to}")
        with contextlib.suppress(RuleViolation):
            directory = people.fold(people.decide(directory, change, NOW), directory)
        for person in directory.people:
            chain = directory.chain_of(person)
            assert person not in chain and len(chain) == len(set(chain))


def test_the_unions_hold_every_class() -> None:
    assert members(people.AnyCommand) == concrete(people.Command)
    assert members(people.AnyEvent) == set(people.Event.__subclasses__())
