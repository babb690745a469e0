"""A local append stored, then the worker died before its workflow task was recorded: the
retried task decides the same command again, a little later. The store keeps what happened."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities import PostgresEventStore
from activities.trajectory_events import AppendEvents, TrajectoryEventActivities
from tests.unit.story import learning


def later(events: list, **changes: object) -> list:
    return [
        e.model_copy(update={"occurred_at": e.occurred_at + timedelta(seconds=3), **changes})
        for e in events
    ]


async def test_the_same_decision_decided_again_gets_the_stored_events(
    store: PostgresEventStore,
) -> None:
    events = learning().events
    tagged = [e.model_copy(update={"request_id": f"req-{e.version}"}) for e in events]
    append = TrajectoryEventActivities(store).append_events
    env = ActivityEnvironment()
    first = await env.run(
        append, AppendEvents(trajectory_id=tagged[0].trajectory_id, events=tagged)
    )
    assert (first.stored, first.events) == (len(tagged), None)
    again = later(tagged[-1:])  # the last command, decided again after the crash
    result = await env.run(append, AppendEvents(trajectory_id=again[0].trajectory_id, events=again))
    assert result.stored == 0 and result.events == tagged[-1:]


async def test_another_decision_at_the_same_version_is_still_refused(
    store: PostgresEventStore,
) -> None:
    events = learning().events
    append = TrajectoryEventActivities(store).append_events
    env = ActivityEnvironment()
    await env.run(append, AppendEvents(trajectory_id=events[0].trajectory_id, events=events))
    other = later(events[-1:], request_id="req-another-command", actor="coach-bram")
    with pytest.raises(ApplicationError, match="already has a different event"):
        await env.run(append, AppendEvents(trajectory_id=other[0].trajectory_id, events=other))
