"""Driving a trajectory through the time-skipping server, step by step."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain import trajectory
from nbm import service
from tests import factories as f
from workflows import TrajectoryWorkflow


async def start_ready_to_learn(
    env: WorkflowEnvironment, task_queue: str, **start_kw: object
) -> tuple[str, WorkflowHandle]:
    """A trajectory through steps 1 to 4 and into learning; its id and handle."""
    now = await env.get_current_time()
    start, *commands = f.ready_to_learn(now, **start_kw)
    assert isinstance(start, trajectory.StartTrajectory)
    await service.start_trajectory(env.client, task_queue, start, now=now)
    for command in commands:
        await service.send(env.client, start.trajectory_id, command)  # type: ignore[arg-type]
    await service.send(env.client, start.trajectory_id, f.start_learning())
    handle = env.client.get_workflow_handle_for(TrajectoryWorkflow.run, start.trajectory_id)
    return start.trajectory_id, handle


async def advance_to(
    env: WorkflowEnvironment, trajectory_id: str, kind: trajectory.DeadlineKind
) -> None:
    """Skip time until the trajectory's next deadline of `kind` has been handled."""
    state = await service.state(env.client, trajectory_id)
    due = next(x for x in trajectory.deadlines(state) if x.kind is kind)
    await env.sleep(due.at - await env.get_current_time() + timedelta(seconds=1))
    # Storing the timer's events may take a retry or two; wait (in server time) until the
    # state shows the deadline handled, so the next command sees what a coach would see.
    for _ in range(60):
        if due not in trajectory.deadlines(await service.state(env.client, trajectory_id)):
            return
        await env.sleep(timedelta(seconds=1))
    raise AssertionError(f"the {kind} deadline at {due.at} was never handled")


async def through_the_checkpoints(
    env: WorkflowEnvironment,
    trajectory_id: str,
    *,
    hours: int = 32,
    benefit_end: trajectory.BenefitEnd = trajectory.BenefitEnd.FULLY,
) -> None:
    """From a regular job through its follow-up checkpoints (1, 3, 6, 12 months), each
    recorded once due as a coach would (which resolves its task); the last closes it."""
    state = await service.state(env.client, trajectory_id)
    assert state.checkpoints, "no regular job with checkpoints"
    for point in state.checkpoints:
        await advance_to(env, trajectory_id, trajectory.DeadlineKind.CHECKPOINT)
        await service.send(
            env.client,
            trajectory_id,
            trajectory.RecordCheckpoint(
                actor=f.COACH, month=point.month, still_employed=True, hours_per_week=hours,
                benefit_end=benefit_end,
            ),
        )  # fmt: skip
