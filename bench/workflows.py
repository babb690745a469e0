"""The raw limits' workflows: what the server and the SDK cost when the work is nothing.

A coach command is measured against `NoopWorkflow.ping` on the same server, a trajectory's
start against a no-op start, and two years of a trajectory against `BareTimers` with the same
timers. In a module of their own: the sandbox re-imports the module a workflow is defined in.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow


@workflow.defn(name="bench-noop")
class NoopWorkflow:
    """Waits until told to finish; answers updates and queries at once."""

    def __init__(self) -> None:
        self._done = False

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: self._done)

    @workflow.update
    async def ping(self, n: int) -> int:
        return n

    @workflow.signal
    def finish(self) -> None:
        self._done = True

    @workflow.query
    def alive(self) -> bool:
        return True


@workflow.defn(name="bench-bare-timers")
class BareTimers:
    """Sleeps through the given timers, one after the other, and ends."""

    @workflow.run
    async def run(self, seconds: list[float]) -> int:
        for s in seconds:
            await asyncio.sleep(s)
        return len(seconds)
