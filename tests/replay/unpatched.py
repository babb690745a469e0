"""A workflow change that is not replay-safe, to prove the replay test can fail.

In a module of its own: the sandbox re-imports the module a workflow is defined in.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.trajectory import AnyCommand, AnyEvent, RecordRegularJob
    from workflows import TrajectoryInput, TrajectoryResult, TrajectoryWorkflow
    from workflows.messages import WORKFLOW_TYPE


@workflow.defn(name=WORKFLOW_TYPE)
class TrajectoryWithAnUnpatchedChange(TrajectoryWorkflow):
    """The current workflow plus one extra timer before it starts."""

    @workflow.run
    async def run(self, input: TrajectoryInput) -> TrajectoryResult:
        await asyncio.sleep(1)
        return await super().run(input)


@workflow.defn(name=WORKFLOW_TYPE)
class TrajectoryWithCheckpointsUnpatched(TrajectoryWorkflow):
    """The current workflow with the checkpoints' rule always on, as if `outcome-checkpoints-v1`
    were not asked: a job recorded before it would get checkpoints instead of its follow-up."""

    @workflow.run
    async def run(self, input: TrajectoryInput) -> TrajectoryResult:
        return await super().run(input)

    def _outcome_checkpoints(self, command: AnyCommand) -> bool:
        return True


@workflow.defn(name=WORKFLOW_TYPE)
class TrajectoryWithCheckpointsForced(TrajectoryWithCheckpointsUnpatched):
    """As if every programme had checkpoints too: the change with neither of its gates."""

    @workflow.run
    async def run(self, input: TrajectoryInput) -> TrajectoryResult:
        return await super().run(input)

    async def _decide_and_store(self, command: AnyCommand) -> list[AnyEvent]:
        if isinstance(command, RecordRegularJob) and self._state is not None:
            programme = self._state.programme.model_copy(update={"checkpoint_months": (1, 3)})
            self._state = self._state.model_copy(update={"programme": programme})
        return await super()._decide_and_store(command)


@workflow.defn(name=WORKFLOW_TYPE)
class TrajectoryWithoutCheckpoints(TrajectoryWorkflow):
    """The checkpoints' rule taken out again (always the one follow-up)."""

    @workflow.run
    async def run(self, input: TrajectoryInput) -> TrajectoryResult:
        return await super().run(input)

    def _outcome_checkpoints(self, command: AnyCommand) -> bool:
        return False
