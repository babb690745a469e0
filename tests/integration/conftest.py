"""Fault injection around the real activity, for tests of retries."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio import activity
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import AppendEvents, AppendResult, PostgresEventStore, TrajectoryEventActivities
from activities.stream_events import StreamEventActivities
from workflows import TrajectoryWorkflow, workflow_runner
from workflows.future_job import FutureJobWorkflow
from workflows.task import TaskWorkflow


class LosesEveryFirstAcknowledgement(TrajectoryEventActivities):
    """The real activity, except that each first attempt fails *after* its commit."""

    def __init__(self, store: PostgresEventStore) -> None:
        super().__init__(store)
        self.store = store
        self.failed_after_commit = 0

    @activity.defn(name="append_events")
    async def append_events(self, request: AppendEvents) -> AppendResult:
        result = await super().append_events(request)
        if activity.info().attempt == 1:
            self.failed_after_commit += 1
            raise RuntimeError("connection lost after commit")
        return result


@pytest.fixture
async def flaky(store: PostgresEventStore) -> LosesEveryFirstAcknowledgement:
    return LosesEveryFirstAcknowledgement(store)


@pytest.fixture
async def flaky_worker(
    ts_env: WorkflowEnvironment, flaky: LosesEveryFirstAcknowledgement, task_queue: str
) -> AsyncIterator[Worker]:
    # The real worker's workflows and activities, but this append.
    streams = StreamEventActivities(flaky.store)
    async with Worker(
        ts_env.client,
        task_queue=task_queue,
        workflows=[TrajectoryWorkflow, FutureJobWorkflow, TaskWorkflow],
        activities=[flaky.append_events, streams.responsible_person, streams.append_task_events],
        workflow_runner=workflow_runner(),
    ) as worker:
        yield worker
