"""The worker the benchmark measures, in a process of its own (its RSS is a figure).

The production worker (`worker.build_worker`), plus the raw limits' no-op workflows on the
same task queue. Settings as for `worker.py` (TEMPORAL_ADDRESS, NBM_DATABASE_URL,
NBM_CODEC_KEYS, NBM_TASK_QUEUE, NBM_WORKFLOW_CACHE, NBM_WORKFLOW_SANDBOX). Prints `ready`
once it polls.
"""

from __future__ import annotations

import asyncio
import signal

from activities import PostgresEventStore
from bench.workflows import BareTimers, NoopWorkflow
from nbm.logs import configure_logging
from nbm.settings import load_settings
from nbm.temporal import connect
from worker import build_worker


async def serve() -> None:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    store = await PostgresEventStore.connect(settings.resolved_database_url(), max_size=10)
    client = await connect(settings)
    worker = build_worker(
        client,
        store,
        settings.task_queue,
        extra_workflows=[NoopWorkflow, BareTimers],
        sandboxed=settings.workflow_sandbox,
        max_cached_workflows=settings.workflow_cache,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        print("ready", flush=True)
        await stop.wait()
    await store.close()


if __name__ == "__main__":
    asyncio.run(serve())
