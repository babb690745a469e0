"""A task climbs the line while nobody acknowledges it, and stops once someone does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import task
from domain.shared import RuleViolation
from tests.unit.test_dispatch import concrete, members

# Thursday 24 December 2026, 10:00 in Amsterdam: Christmas and a weekend follow.
NOW = datetime(2026, 12, 24, 9, tzinfo=UTC)


def opened(route: tuple[str, ...] = ("sup-1", "head-1")) -> task.Task:
    events = task.decide(
        None,
        task.OpenTask(
            actor="system", task_id="task-1", task_kind=task.TaskKind.SILENT_EMPLOYER,
            about="fj-1", assignee_id="am-1", route=route,
        ),
        NOW,
    )  # fmt: skip
    state = task.fold(events)
    assert state is not None
    return state


def do(state: task.Task, command: task.AnyCommand, now: datetime) -> task.Task:
    after = task.fold(task.decide(state, command, now), state)
    assert after is not None
    return after


def test_the_unions_hold_every_class() -> None:
    assert members(task.AnyCommand) == concrete(task.Command)
    assert members(task.AnyEvent) == set(task.Event.__subclasses__())


def test_the_deadline_counts_working_days_and_the_task_climbs_the_whole_line() -> None:
    state = opened()
    # 25 and 26 December are holidays, 27 a Sunday: two working days are the 28th and 29th.
    assert state.ack_due_on == date(2026, 12, 29)
    due = task.next_deadline(state)
    assert due == date(2026, 12, 29)
    early = task.decide(state, task.ReachAckDeadline(actor="system", due_on=due), NOW)
    assert early == []  # not due yet: nothing
    at = state.moment(due)
    state = do(state, task.ReachAckDeadline(actor="system", due_on=due), at)
    assert (state.assignee_id, state.route, state.climbed) == ("sup-1", ("head-1",), ("sup-1",))
    assert state.ack_due_on == date(2026, 12, 31)
    state = do(state, task.ReachAckDeadline(actor="system", due_on=state.ack_due_on),
               state.moment(state.ack_due_on))  # fmt: skip
    assert state.assignee_id == "head-1" and state.climbed == ("sup-1", "head-1")
    assert task.next_deadline(state) is None  # the top of the line: it stays with them
    assert state.overdue(state.moment(state.ack_due_on))


def test_an_acknowledged_task_stops_climbing_and_a_resolved_one_takes_nothing() -> None:
    state = opened()
    state = do(state, task.AcknowledgeTask(actor="am-1"), NOW + timedelta(hours=1))
    assert task.next_deadline(state) is None and not state.overdue(NOW + timedelta(days=30))
    assert task.decide(state, task.AcknowledgeTask(actor="am-1"), NOW) == []
    state = do(state, task.ResolveTask(actor="am-1"), NOW + timedelta(hours=2))
    assert state.closed
    with pytest.raises(task.TaskClosed):
        task.decide(state, task.AcknowledgeTask(actor="am-1"), NOW)


def test_a_route_through_the_assignee_is_refused() -> None:
    with pytest.raises(RuleViolation, match="never the assignee"):
        opened(route=("sup-1", "am-1"))


@given(st.lists(st.sampled_from(["ack", "resolve", "tick"]), max_size=12))
def test_it_climbs_at_most_the_length_of_its_route(steps: list[str]) -> None:
    state = opened()
    now = NOW
    for step in steps:
        if state.closed:
            break
        if step == "ack":
            state = do(state, task.AcknowledgeTask(actor="x"), now)
        elif step == "resolve":
            state = do(state, task.ResolveTask(actor="x"), now)
        elif (due := task.next_deadline(state)) is not None:
            now = state.moment(due)
            state = do(state, task.ReachAckDeadline(actor="system", due_on=due), now)
    assert len(state.climbed) <= 2
    assert state.climbed == ("sup-1", "head-1")[: len(state.climbed)]
