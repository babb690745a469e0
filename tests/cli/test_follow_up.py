"""The follow-up checkpoints after placement, through the CLI, on the time-skipping server.

Here the worker runs in the test's event loop and each CLI call in a thread of its own, so
the loop stays free to serve the worker while a command waits for its answer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from activities import PostgresEventStore
from devstack.servers import temporal_test_server
from domain.shared import COACH_TIME_ZONE
from nbm import service
from nbm.temporal import register_search_attributes
from tests import factories as f
from tests.conftest import TEST_DATA_CONVERTER
from worker import build_worker

from .conftest import assert_user_error, invoke


@pytest.fixture(scope="module")
async def clock() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping server of our own: its clock starts now, whatever other tests skipped."""
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=TEST_DATA_CONVERTER, test_server_existing_path=str(temporal_test_server())
    )
    await register_search_attributes(env.client)
    yield env
    await env.shutdown()


async def test_the_checkpoints_once_due_close_a_lasting_placement(
    clock: WorkflowEnvironment, store: PostgresEventStore, task_queue: str, fresh_id: str
) -> None:
    env: dict[str, str | None] = {
        "TEMPORAL_ADDRESS": clock.client.service_client.config.target_host,
        "NBM_TASK_QUEUE": task_queue,
        "NBM_ACTOR": "coach-test",
    }

    async def nbm(*args: str) -> str:
        result = await asyncio.to_thread(invoke, args, env)
        assert result.exit_code == 0, result.output
        return result.stdout

    async with build_worker(clock.client, store, task_queue):
        now = await clock.get_current_time()
        # The service layer behind the commands, called directly.
        await service.start_trajectory(
            clock.client, task_queue, f.start(now, trajectory_id=fresh_id)
        )
        for command in f.ready_to_learn(now)[1:]:
            await service.send(clock.client, fresh_id, command)  # type: ignore[arg-type]
        await nbm("trajectory", "start-learning", fresh_id, "--no-benefits")
        job = await nbm(
            "trajectory", "record-regular-job", fresh_id, "--employer", f.EMPLOYER,
            "--hours", "20", "--start-date", now.astimezone(COACH_TIME_ZONE).date().isoformat(),
            "--benefit-continues",
        )  # fmt: skip
        assert "RegularJobStarted, EscalationRaised" in job  # a small contract is visible

        state = await service.state(clock.client, fresh_id)
        assert [p.month for p in state.checkpoints] == [1, 3, 6, 12]

        async def refused(*args: str) -> str:
            return assert_user_error(await asyncio.to_thread(invoke, args, env))

        checkpoint = ["trajectory", "record-checkpoint", fresh_id]
        line = await refused(*checkpoint, "--month", "1", "--still-employed", "--hours", "20",
                             "--benefit-partly")  # fmt: skip
        assert "the 1-month checkpoint is due on" in line  # not before it is due
        for point in state.checkpoints:  # each a timer and a task for the coach
            await clock.sleep(point.due_at - await clock.get_current_time() + timedelta(hours=1))
            month = str(point.month)
            line = await refused(*checkpoint, "--month", month, "--not-employed", "--hours", "20",
                                 "--benefit-continues")  # fmt: skip
            assert "no longer employed: there are no hours a week" in line
            result = await nbm(*checkpoint, "--month", month, "--still-employed", "--hours", "24",
                               "--benefit-partly", "--json")  # fmt: skip
            events = json.loads(result)["event_types"]
            assert events[:2] == ["CheckpointRecorded", "EscalationResolved"]
        assert events[-1] == "TrajectoryClosed"  # the 12-month checkpoint closes it
        shown = json.loads(await nbm("trajectory", "show", fresh_id, "--json"))
        assert shown["lasting_placement"] is True and shown["outcome_type"] == "placed"
        assert shown["benefits_retained"] is False
        assert shown["regular_job"]["benefit_end"] == "continues"
        answers = [
            (p["month"], p["hours_per_week"], p["benefit_end"]) for p in shown["checkpoints"]
        ]
        assert answers == [
            (1, 24, "partly"), (3, 24, "partly"), (6, 24, "partly"), (12, 24, "partly"),
        ]  # fmt: skip
        escalations = [e["reason"] for e in shown["escalations"]]
        assert escalations == ["small-contract"] + ["checkpoint-due"] * 4
        page = await nbm("trajectory", "show", fresh_id)
        assert "Checkpoints" in page and "continues" in page
        closed = await asyncio.to_thread(invoke, ["trajectory", "start-learning", fresh_id], env)
        assert_user_error(closed, "is closed")
