"""A command is safe to retry: its request id makes it applied at most once, answered alike.

On the dev server (the real server's update de-duplication) and through continue-as-new
(where the server no longer knows the update id and the workflow's own answers count).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from domain import trajectory
from nbm import service
from tests import factories as f
from workflows import TrajectoryInput, TrajectoryWorkflow


def extend(request_id: str) -> trajectory.ExtendLearning:
    return trajectory.ExtendLearning(
        actor=f.COACH, request_id=request_id, weeks=2, reason="VCA exam"
    )


async def learning(env: WorkflowEnvironment, task_queue: str, **input: object) -> str:
    now = datetime.now(UTC)
    start, *commands = f.ready_to_learn(now)
    assert isinstance(start, trajectory.StartTrajectory)
    start = start.model_copy(update={"request_id": "req-start-1"})
    handle = await env.client.start_workflow(
        TrajectoryWorkflow.run,
        TrajectoryInput(start=start, **input),  # type: ignore[arg-type]
        id=start.trajectory_id,
        task_queue=task_queue,
    )
    await handle.execute_update(TrajectoryWorkflow.stored, "req-start-1")
    for number, command in enumerate(commands):
        with_id = command.model_copy(update={"request_id": f"req-setup-{number}"})
        await service.send(env.client, start.trajectory_id, with_id)  # type: ignore[arg-type]
    await service.send(env.client, start.trajectory_id, START_LEARNING)
    return start.trajectory_id


START_LEARNING = f.start_learning().model_copy(update={"request_id": "req-learn"})


async def test_a_retried_command_is_applied_once_and_answered_alike(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str, store: PostgresEventStore
) -> None:
    tid = await learning(dev_env, task_queue)
    before = await service.state(dev_env.client, tid)
    first = await service.send(dev_env.client, tid, extend("req-extend-1"))
    again = await service.send(dev_env.client, tid, extend("req-extend-1"))
    assert again == first and first.request_id == "req-extend-1"
    after = await service.state(dev_env.client, tid)
    assert after.learning_weeks == before.learning_weeks + 2  # not + 4
    stored = await store.read(tid)
    assert [e.type for e in stored].count("LearningExtended") == 1
    assert stored[-1].request_id == "req-extend-1"  # recorded in the event

    # Another request id is another command: applied again.
    await service.send(dev_env.client, tid, extend("req-extend-2"))
    assert (await service.state(dev_env.client, tid)).learning_weeks == before.learning_weeks + 4


async def test_a_retry_is_answered_even_where_deciding_again_would_refuse(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    tid = await learning(dev_env, task_queue)
    # Learning has started: a second start-learning is refused, but not this one's retry.
    answer = await service.send(dev_env.client, tid, START_LEARNING)
    assert answer.event_types == ["LearningStarted"]
    with pytest.raises(service.CommandRefused, match="already started"):
        fresh = f.start_learning().model_copy(update={"request_id": "req-other"})
        await service.send(dev_env.client, tid, fresh)


async def test_a_retry_after_continue_as_new_is_still_answered_once(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str, store: PostgresEventStore
) -> None:
    tid = await learning(dev_env, task_queue, continue_as_new_after=2)
    handle = dev_env.client.get_workflow_handle(tid)
    first = await service.send(dev_env.client, tid, extend("req-extend-1"))
    run_of_first = (await handle.describe()).run_id
    for n in range(2, 5):  # a new run after every two events
        await service.send(dev_env.client, tid, extend(f"req-extend-{n}"))
    assert (await handle.describe()).run_id != run_of_first
    assert await service.send(dev_env.client, tid, extend("req-extend-1")) == first
    assert [e.type for e in await store.read(tid)].count("LearningExtended") == 4


async def test_a_retried_start_is_answered_and_another_start_refused(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    now = datetime.now(UTC)
    start = f.start(now).model_copy(update={"request_id": "req-start-a"})
    first = await service.start_trajectory(dev_env.client, task_queue, start)
    assert await service.start_trajectory(dev_env.client, task_queue, start) == first
    other = start.model_copy(update={"request_id": "req-start-b"})
    with pytest.raises(service.CommandRefused, match="already exists") as refused:
        await service.start_trajectory(dev_env.client, task_queue, other)
    assert refused.value.code == "trajectory-already-started"
