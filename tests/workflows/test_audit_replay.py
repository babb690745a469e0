"""`nbm audit replay` on the dev server: histories fetched from the server, replayed here.

The dev server, not the time-skipping one: replay lists workflows through visibility, which
the test server does not offer.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain import trajectory
from nbm import service
from nbm.audit import Replayed, replay_trajectories
from tests import factories as f
from tests.replay.unpatched import TrajectoryWithAnUnpatchedChange
from workflows import TrajectoryWorkflow

VISIBILITY_TIMEOUT = 15.0


async def run_trajectory(client: Client, task_queue: str, *, close: bool) -> str:
    """A trajectory into learning, then closed or left running; its id."""
    start, *commands = f.ready_to_learn(datetime.now(UTC))  # the dev server keeps real time
    assert isinstance(start, trajectory.StartTrajectory)
    await service.start_trajectory(client, task_queue, start)
    for command in [*commands, f.start_learning()]:
        await service.send(client, start.trajectory_id, command)  # type: ignore[arg-type]
    if close:
        ending = trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.MOVED_AWAY)
        await service.send(client, start.trajectory_id, ending)
        await client.get_workflow_handle_for(TrajectoryWorkflow.run, start.trajectory_id).result()
    return start.trajectory_id


async def replay_when_listed(
    client: Client, trajectory_id: str, **options: object
) -> list[Replayed]:
    """Replay results once visibility lists the workflow: it lags the server a moment."""
    deadline = time.monotonic() + VISIBILITY_TIMEOUT
    while not (found := await replay_trajectories(client, trajectory_id, **options)):  # type: ignore[arg-type]
        assert time.monotonic() < deadline, f"{trajectory_id} never listed"
        await asyncio.sleep(0.3)
    return found


async def test_closed_and_running_trajectories_replay_with_the_current_code(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    closed = await run_trajectory(dev_env.client, task_queue, close=True)
    running = await run_trajectory(dev_env.client, task_queue, close=False)

    for trajectory_id in (closed, running):
        found = await replay_when_listed(dev_env.client, trajectory_id)
        assert [(r.workflow_id, r.failure) for r in found] == [(trajectory_id, None)]
    # Without an id, only running trajectories, this one among them.
    everything_running = await replay_trajectories(dev_env.client, limit=1000)
    assert running in {r.workflow_id for r in everything_running}
    assert closed not in {r.workflow_id for r in everything_running}


async def test_a_workflow_that_replays_differently_is_listed_as_diverged(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    trajectory_id = await run_trajectory(dev_env.client, task_queue, close=True)
    await replay_when_listed(dev_env.client, trajectory_id)  # listed, and fine as it is

    # The same name, with one extra timer: what an unpatched change to the workflow would do.
    found = await replay_trajectories(
        dev_env.client, trajectory_id, workflows=[TrajectoryWithAnUnpatchedChange]
    )
    assert len(found) == 1 and found[0].workflow_id == trajectory_id
    assert found[0].failure is not None
    assert "nondetermin" in found[0].failure.lower()
