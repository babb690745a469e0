"""Composition root of the worker: settings, logging, the event store, Temporal. Nothing else."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities import PostgresEventStore, TrajectoryEventActivities
from nbm.logs import configure_logging, get_logger
from nbm.settings import load_settings
from nbm.temporal import connect
from workflows import TrajectoryWorkflow


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox, with the pure modules passed through.

    The domain and the message models are deterministic and side-effect free; importing them
    once (not per workflow run) keeps one class per model, which pydantic needs, and saves memory.
    """
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(
            "domain", "workflows.messages", "activities.trajectory_events", "pydantic"
        )
    )


def build_worker(
    client: Client, store: PostgresEventStore, task_queue: str, **options: Any
) -> Worker:
    """The worker for every trajectory workflow and its activities (`options` go to Worker)."""
    activities = TrajectoryEventActivities(store)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[TrajectoryWorkflow],
        activities=[activities.append_events],
        workflow_runner=workflow_runner(),
        **options,
    )


async def main() -> None:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    log = get_logger("nbm.worker")
    store = await PostgresEventStore.connect(settings.resolved_database_url())
    client = await connect(settings)
    worker = build_worker(client, store, settings.task_queue)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("worker started", task_queue=settings.task_queue)
    async with worker:
        await stop.wait()
    log.info("worker stopping")
    await store.close()


if __name__ == "__main__":
    asyncio.run(main())
