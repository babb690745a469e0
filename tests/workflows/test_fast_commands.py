"""A coach command costs one workflow task, and a deadline that did not move keeps its timer.

Measured by `make bench` (`command_vs_raw_update`); these tests hold the shape of history that
the figures depend on, on the real dev server and on the time-skipping one.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain import trajectory
from nbm import service
from tests import factories as f
from tests.workflows.helpers import start_ready_to_learn

E = EventType


def evaluation() -> trajectory.RecordEvaluation:
    return trajectory.RecordEvaluation(
        actor=f.COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True
    )


async def types_after(env: WorkflowEnvironment, tid: str, before: int) -> list[int]:
    events = (await env.client.get_workflow_handle(tid).fetch_history()).events
    return [e.event_type for e in events[before:]]


async def test_a_command_is_one_workflow_task_with_a_local_append(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    tid, handle = await start_ready_to_learn(dev_env, task_queue)
    before = len((await handle.fetch_history()).events)
    await service.send(dev_env.client, tid, evaluation())
    added = await types_after(dev_env, tid, before)
    assert added.count(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) == 1, added
    assert E.EVENT_TYPE_MARKER_RECORDED in added  # the append, as a local activity
    assert E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED not in added
    # The evaluation did not move a deadline: the timer waiting for it stays as it was.
    assert E.EVENT_TYPE_TIMER_CANCELED not in added and E.EVENT_TYPE_TIMER_STARTED not in added
    assert E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED in added


async def test_a_moved_deadline_gets_a_new_timer_and_the_old_one_is_cancelled(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    tid, handle = await start_ready_to_learn(dev_env, task_queue)
    before = len((await handle.fetch_history()).events)
    # Extending learning moves no evaluation but the end; the next deadline (the evaluation)
    # stays, so its timer stays too. A regular job ends the evaluations: a new timer.
    await service.send(
        dev_env.client, tid, trajectory.ExtendLearning(actor=f.COACH, weeks=2, reason="practice")
    )
    assert E.EVENT_TYPE_TIMER_CANCELED not in await types_after(dev_env, tid, before)
    before = len((await handle.fetch_history()).events)
    await service.send(dev_env.client, tid, f.regular_job(32))
    added = await types_after(dev_env, tid, before)
    assert added.count(E.EVENT_TYPE_TIMER_CANCELED) == 1
    assert added.count(E.EVENT_TYPE_TIMER_STARTED) == 1  # the follow-up's


async def test_timers_still_fire_on_time(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str
) -> None:
    tid, _ = await start_ready_to_learn(ts_env, task_queue)
    state = await service.state(ts_env.client, tid)
    due = trajectory.next_deadline(state)
    assert due is not None and due.kind is trajectory.DeadlineKind.EVALUATION
    await service.send(ts_env.client, tid, evaluation())  # the timer is kept through this
    await ts_env.sleep(due.at - await ts_env.get_current_time() + timedelta(minutes=1))
    after = await service.state(ts_env.client, tid)
    assert after.next_evaluation_at is not None and after.next_evaluation_at > due.at


async def test_a_new_run_records_one_patch_marker(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    # One umbrella patch (`all-of-v7`) instead of six, each with its search-attribute upsert:
    # a shorter history for every cache miss to replay.
    _, handle = await start_ready_to_learn(dev_env, task_queue)
    events = (await handle.fetch_history()).events
    patches = [
        e for e in events
        if e.event_type == E.EVENT_TYPE_MARKER_RECORDED
        and e.marker_recorded_event_attributes.marker_name == "core_patch"
    ]  # fmt: skip
    assert len(patches) == 1
