"""The events in PostgreSQL are the workflow's events: in order, no gap, no duplicate.

Also when the append activity is retried after its transaction committed (the worst case:
the database has the events, the workflow does not know it yet).
"""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from domain import trajectory
from nbm import service
from tests import factories as f
from tests.integration.conftest import LosesEveryFirstAcknowledgement
from tests.workflows.helpers import advance_to, start_ready_to_learn, through_the_checkpoints


async def drive(env: WorkflowEnvironment, task_queue: str) -> str:
    """A trajectory through all six steps, with timers and an escalation on the way."""
    tid, _ = await start_ready_to_learn(env, task_queue)
    await service.send(
        env.client,
        tid,
        trajectory.StartPlacement(actor=f.COACH, name="introduction", hours_per_week=16),
    )
    await advance_to(env, tid, trajectory.DeadlineKind.EVALUATION)
    await service.send(
        env.client,
        tid,
        trajectory.RecordCalamity(actor=f.COACH, calamity_kind=trajectory.CalamityKind.HOUSING),
    )
    await service.send(env.client, tid, f.regular_job(hours=20, benefit_ended=False))
    await through_the_checkpoints(env, tid, hours=20, benefit_end=trajectory.BenefitEnd.PARTLY)
    return tid


async def test_table_equals_workflow_events(
    ts_env: WorkflowEnvironment, ts_worker: Worker, store: PostgresEventStore, task_queue: str
) -> None:
    tid = await drive(ts_env, task_queue)
    workflow_events = await service.run_events(ts_env.client, tid)
    assert await store.read(tid) == workflow_events
    assert [e.version for e in workflow_events] == list(range(1, len(workflow_events) + 1))
    assert workflow_events[-1].type == "TrajectoryClosed"


async def test_table_equals_workflow_events_when_every_append_is_retried(
    ts_env: WorkflowEnvironment,
    flaky_worker: Worker,
    flaky: LosesEveryFirstAcknowledgement,
    store: PostgresEventStore,
    task_queue: str,
) -> None:
    tid = await drive(ts_env, task_queue)
    workflow_events = await service.run_events(ts_env.client, tid)
    stored = await store.read(tid)
    assert stored == workflow_events
    assert [e.version for e in stored] == list(range(1, len(stored) + 1))
    # Every append was retried once: one failed attempt per command or timer that decided.
    assert flaky.failed_after_commit >= 10
    async with store.pool.acquire() as conn:
        duplicates = await conn.fetchval(
            "SELECT count(*) - count(DISTINCT payload::text) FROM events WHERE stream_id = $1", tid
        )
    assert duplicates == 0
    assert trajectory.fold(stored) == await service.state(ts_env.client, tid)
    assert (await service.state(ts_env.client, tid)).escalations[-1].reason is (
        trajectory.EscalationReason.CHECKPOINT_DUE  # the 12-month one, which closed it
    )
