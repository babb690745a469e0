"""A workflow change that is not replay-safe, to prove the replay test can fail.

In a module of its own: the sandbox re-imports the module a workflow is defined in.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows import TrajectoryInput, TrajectoryResult, TrajectoryWorkflow
    from workflows.messages import WORKFLOW_TYPE


@workflow.defn(name=WORKFLOW_TYPE)
class TrajectoryWithAnUnpatchedChange(TrajectoryWorkflow):
    """The current workflow plus one extra timer before it starts."""

    @workflow.run
    async def run(self, input: TrajectoryInput) -> TrajectoryResult:
        await asyncio.sleep(1)
        return await super().run(input)
