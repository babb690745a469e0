"""The follow-up months after placement, through the CLI, on the time-skipping test server.

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


async def test_follow_up_once_due_closes_a_lasting_placement(
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
            "--hours", "20", "--start-date", now.date().isoformat(), "--benefit-continues",
        )  # fmt: skip
        assert "RegularJobStarted, EscalationRaised" in job  # a small contract is visible

        await clock.sleep(timedelta(weeks=27))  # the standard follow-up: 26 weeks after day one
        state = await service.state(clock.client, fresh_id)
        assert state.follow_up_pending
        result = await nbm(
            "trajectory", "record-follow-up", fresh_id, "--still-employed", "--benefit-ended",
            "--json",
        )  # fmt: skip
        assert json.loads(result)["event_types"] == ["FollowUpRecorded", "TrajectoryClosed"]
        shown = json.loads(await nbm("trajectory", "show", fresh_id, "--json"))
        assert shown["lasting_placement"] is True and shown["outcome_type"] == "placed"
        assert shown["benefits_retained"] is False
        escalations = [e["reason"] for e in shown["escalations"]]
        assert escalations == ["small-contract", "follow-up-due"]
        closed = await asyncio.to_thread(invoke, ["trajectory", "start-learning", fresh_id], env)
        assert_user_error(closed, "is closed")
