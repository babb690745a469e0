"""Coach commands as updates: a refused one leaves no trace, an accepted one is stored first."""

from __future__ import annotations

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from domain import trajectory
from nbm import service
from tests import factories as f
from workflows import TrajectoryWorkflow

_BOOKKEEPING = {
    EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
}


async def history(handle: WorkflowHandle, *, strict: bool) -> list[int]:
    """The history's event types; without `strict`, workflow-task bookkeeping left out."""
    events = (await handle.fetch_history()).events
    return [e.event_type for e in events if strict or e.event_type not in _BOOKKEEPING]


async def refused_update_leaves_history_untouched(
    env: WorkflowEnvironment, task_queue: str, *, strict: bool
) -> None:
    """`strict`: the real server drops the speculative workflow task of a rejected update, so
    the history does not change at all; the Java test server keeps that task's three
    bookkeeping events, but records no update, activity or other event either."""
    now = await env.get_current_time()
    start = f.start(now)
    tid = start.trajectory_id
    await service.start_trajectory(env.client, task_queue, start, now=now)
    handle = env.client.get_workflow_handle_for(TrajectoryWorkflow.run, tid)
    before = await history(handle, strict=strict)

    # A placement before any agreement: the validator refuses it with the domain's words.
    with pytest.raises(service.CommandRefused, match="no placement before an agreement") as err:
        await service.send(
            env.client,
            tid,
            trajectory.StartPlacement(actor=f.COACH, name="introduction", hours_per_week=16),
        )
    assert err.value.code == "wrong-step"
    with pytest.raises(service.CommandRefused, match="map the possibilities first"):
        await service.send(env.client, tid, f.establish_agreement())

    assert await history(handle, strict=strict) == before
    state = await service.state(env.client, tid)
    assert state.version == 1

    # An accepted one does reach history, and only after its events are stored.
    result = await service.send(env.client, tid, f.map_possibilities())
    assert result.version == 2 and result.event_types == ["PossibilitiesMapped"]
    after = await history(handle, strict=strict)
    assert EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED in after[len(before) :]


async def test_refused_update_writes_nothing_to_history_on_the_time_skipping_server(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str
) -> None:
    await refused_update_leaves_history_untouched(ts_env, task_queue, strict=False)


async def test_refused_update_writes_nothing_to_history_on_the_dev_server(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    # The Java test server's update support is younger than the real server's (sdk-java
    # issue 1903): the same check on the real server keeps us honest. Bookkeeping aside: when
    # the task before it recorded a local activity (the append), the real server sometimes
    # keeps the refused update's workflow task too (its three bookkeeping events; no update,
    # no payload, no event of ours), and sometimes drops it.
    await refused_update_leaves_history_untouched(dev_env, task_queue, strict=False)


async def test_accepted_command_is_stored_before_it_is_acknowledged(
    ts_env: WorkflowEnvironment, ts_worker: Worker, store: PostgresEventStore, task_queue: str
) -> None:
    now = await ts_env.get_current_time()
    start = f.start(now)
    await service.start_trajectory(ts_env.client, task_queue, start, now=now)
    assert [e.type for e in await store.read(start.trajectory_id)] == ["TrajectoryStarted"]
    await service.send(ts_env.client, start.trajectory_id, f.map_possibilities())
    stored = await store.read(start.trajectory_id)
    assert [e.type for e in stored] == ["TrajectoryStarted", "PossibilitiesMapped"]


async def test_unknown_trajectory_and_closed_trajectory_give_one_clear_error(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str
) -> None:
    with pytest.raises(service.UnknownTrajectory, match="no trajectory with id traj-nope"):
        await service.send(ts_env.client, "traj-nope", f.map_possibilities())
    now = await ts_env.get_current_time()
    start = f.start(now)
    await service.start_trajectory(ts_env.client, task_queue, start, now=now)
    await service.send(
        ts_env.client,
        start.trajectory_id,
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.EMPLOYER_WITHDREW),
    )
    handle = ts_env.client.get_workflow_handle_for(TrajectoryWorkflow.run, start.trajectory_id)
    result = await handle.result()
    assert result.outcome_type == trajectory.OutcomeType.NOT_PLACED
    with pytest.raises(service.CommandRefused, match="closed"):
        await service.send(ts_env.client, start.trajectory_id, f.map_possibilities())
    # The state of a closed trajectory can still be read.
    assert (await service.state(ts_env.client, start.trajectory_id)).closed
    with pytest.raises(service.CommandRefused, match="already exists"):
        await service.start_trajectory(ts_env.client, task_queue, start, now=now)
