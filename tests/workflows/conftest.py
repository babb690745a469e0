"""A real worker (workflow + event-store activity on real PostgreSQL) per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from worker import build_worker


@pytest.fixture
async def ts_client(ts_env: WorkflowEnvironment) -> Client:
    return ts_env.client


@pytest.fixture
async def ts_worker(
    ts_env: WorkflowEnvironment, store: PostgresEventStore, task_queue: str
) -> AsyncIterator[Worker]:
    async with build_worker(ts_env.client, store, task_queue) as worker:
        yield worker
