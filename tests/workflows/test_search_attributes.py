"""Search attributes: every trajectory carries its step, route, programme, coach and employer,
kept current, never personal data; `temporal workflow list --query` and the CLI filter on them.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from datetime import UTC, datetime

from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from devstack.servers import temporal_cli
from domain import trajectory
from nbm import service
from tests import factories as f
from workflows import TrajectoryInput, TrajectoryWorkflow, search


async def begin(
    env: WorkflowEnvironment, task_queue: str, coach: str, *, learn: bool, **input: object
) -> str:
    start, *commands = f.ready_to_learn(datetime.now(UTC))
    assert isinstance(start, trajectory.StartTrajectory)
    start = start.model_copy(update={"coach_id": coach})
    handle = await env.client.start_workflow(
        TrajectoryWorkflow.run,
        TrajectoryInput(start=start, **input),  # type: ignore[arg-type]
        id=start.trajectory_id,
        task_queue=task_queue,
    )
    await handle.execute_update(TrajectoryWorkflow.stored)
    if learn:
        for command in [*commands, f.start_learning()]:
            await service.send(env.client, start.trajectory_id, command)  # type: ignore[arg-type]
    return start.trajectory_id


async def attributes(handle: WorkflowHandle) -> dict[str, object]:
    found = (await handle.describe()).typed_search_attributes
    return {key.name: found.get(key) for key in search.SEARCH_ATTRIBUTES}


def cli_list(env: WorkflowEnvironment, query: str) -> set[str]:
    done = subprocess.run(
        [str(temporal_cli()), "workflow", "list", "--address",
         env.client.service_client.config.target_host, "--query", query, "--output", "json"],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    return {w["execution"]["workflowId"] for w in json.loads(done.stdout or "[]")}


async def until_listed(env: WorkflowEnvironment, query: str, expected: set[str]) -> set[str]:
    deadline = time.monotonic() + 20  # visibility follows the history within moments
    while True:
        found = cli_list(env, query)
        if found == expected or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.3)


async def test_a_query_returns_exactly_one_coachs_trajectories_in_one_step(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    coach = f"coach-{task_queue}"  # this test's own coaches: the dev server is shared
    learning = {await begin(dev_env, task_queue, coach, learn=True) for _ in range(2)}
    await begin(dev_env, task_queue, coach, learn=False)  # same coach, step 1
    await begin(dev_env, task_queue, f"{coach}-other", learn=True)  # other coach, learning
    query = f"Step='5-learning-in' AND CoachId='{coach}'"
    assert await until_listed(dev_env, query, learning) == learning
    # The CLI's filter is the same query.
    rows = await service.list_trajectories(
        dev_env.client, coach=coach, step=trajectory.Step.LEARNING_IN
    )
    assert {r[0] for r in rows} == learning


async def test_the_attributes_follow_the_state_and_hold_no_personal_data(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    tid = await begin(dev_env, task_queue, "coach-anna", learn=False)
    handle = dev_env.client.get_workflow_handle(tid)
    assert await attributes(handle) == {
        "Step": "1-future-job-in-view",
        "Route": "small-scale-growth",
        "Programme": "standard",
        "CoachId": "coach-anna",
        "EmployerId": f.EMPLOYER,
    }
    for command in f.ready_to_learn(datetime.now(UTC))[1:]:
        await service.send(dev_env.client, tid, command)  # type: ignore[arg-type]
    assert (await attributes(handle))["Step"] == "3/4-agreement-and-match"
    described = await handle.describe()
    raw = str(described.raw_description.workflow_execution_info.search_attributes)
    for secret in (f.CANDIDATE_NAME, f.CANDIDATE_BSN, f.CANDIDATE_REF):
        assert secret not in raw


async def test_a_new_run_carries_the_attributes_on(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    tid = await begin(dev_env, task_queue, "coach-cas", learn=True, continue_as_new_after=2)
    handle = dev_env.client.get_workflow_handle(tid)
    runs = [e async for e in dev_env.client.list_workflows(f"WorkflowId = '{tid}'")]
    assert len(runs) > 1  # it continued as new on the way
    assert await attributes(handle) == {
        "Step": "5-learning-in",
        "Route": "small-scale-growth",
        "Programme": "standard",
        "CoachId": "coach-cas",
        "EmployerId": f.EMPLOYER,
    }
