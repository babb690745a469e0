"""A trajectory outlives its worker, and carries its state across continue-as-new."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from activities import PostgresEventStore
from domain import trajectory
from nbm import service
from tests import factories as f
from tests.workflows.helpers import start_ready_to_learn
from worker import build_worker
from workflows import TrajectoryInput, TrajectoryWorkflow


@pytest.mark.parametrize("sandboxed", [True, False], ids=["sandbox", "no-sandbox"])
async def test_worker_stopped_and_restarted_mid_trajectory_continues_where_it_was(
    ts_env: WorkflowEnvironment, store: PostgresEventStore, task_queue: str, sandboxed: bool
) -> None:
    # Without a cache the first worker holds no sticky queue: the Java test server would
    # otherwise keep routing the workflow's tasks to the stopped worker. Both runners: the
    # replay after the restart must come out the same with or without the sandbox.
    async with build_worker(
        ts_env.client, store, task_queue, max_cached_workflows=0, sandboxed=sandboxed
    ):
        tid, _ = await start_ready_to_learn(ts_env, task_queue)
        before = await service.state(ts_env.client, tid)
    assert before.step is trajectory.Step.LEARNING_IN

    # Weeks pass with no worker at all. (The Java test server stops skipping time while a
    # workflow task waits for a worker, so the gap ends just before the first evaluation.)
    evaluation_due = before.next_evaluation_at
    assert evaluation_due is not None
    await ts_env.sleep(evaluation_due - await ts_env.get_current_time() - timedelta(hours=1))

    async with build_worker(ts_env.client, store, task_queue, sandboxed=sandboxed):
        # The new worker has an empty cache: it replays the history to rebuild the workflow,
        # then carries on with its timers as if nothing happened.
        await ts_env.sleep(timedelta(weeks=6, hours=2))
        await service.send(
            ts_env.client,
            tid,
            trajectory.RecordEvaluation(
                actor=f.COACH, verdict=trajectory.EvaluationVerdict.CONCERNS, employer_present=False
            ),
        )
        after = await service.state(ts_env.client, tid)
        assert [e.type for e in await service.run_events(ts_env.client, tid)][-4:] == [
            "EvaluationDue",
            "EscalationRaised",
            "EvaluationDue",
            "EvaluationRecorded",
        ]
        await service.send(ts_env.client, tid, f.regular_job())
        final = await service.state(ts_env.client, tid)
    stored = await store.read(tid)

    assert after.version == before.version + 4
    assert final.step is trajectory.Step.OUTCOME and final.regular_job is not None
    assert [e.version for e in stored] == list(range(1, len(stored) + 1))
    assert trajectory.fold(stored) == final


async def test_continue_as_new_carries_the_state(
    ts_env: WorkflowEnvironment, store: PostgresEventStore, task_queue: str
) -> None:
    async with build_worker(ts_env.client, store, task_queue):
        now = await ts_env.get_current_time()
        start, *commands = f.ready_to_learn(now)
        tid = start.trajectory_id
        # A new run after every two events, as the server would suggest after many more.
        first = await ts_env.client.start_workflow(
            TrajectoryWorkflow.run,
            TrajectoryInput(start=start, continue_as_new_after=2),  # type: ignore[arg-type]
            id=tid,
            task_queue=task_queue,
        )
        await first.execute_update(TrajectoryWorkflow.stored)
        for command in [*commands, f.start_learning()]:
            await service.send(ts_env.client, tid, command)  # type: ignore[arg-type]
        await ts_env.sleep(timedelta(weeks=7))
        state = await service.state(ts_env.client, tid)
        latest = await ts_env.client.get_workflow_handle(tid).describe()
        stored = await store.read(tid)

    assert latest.run_id != first.result_run_id
    assert state.version == 6 and state.next_evaluation_at is not None
    assert trajectory.fold(stored) == state
