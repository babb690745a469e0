"""A signed checkpoint of the event store, taken by a Temporal Schedule (`nbm audit
schedule-checkpoints`): the schedule decides when, this workflow only runs the activity."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.checkpoints import CheckpointActivities, CheckpointTaken

CHECKPOINT_WORKFLOW_TYPE = "Checkpoint"


@workflow.defn(name=CHECKPOINT_WORKFLOW_TYPE)
class CheckpointWorkflow:
    @workflow.run
    async def run(self) -> CheckpointTaken:
        return await workflow.execute_activity_method(
            CheckpointActivities.take_checkpoint,
            start_to_close_timeout=timedelta(minutes=5),
            # A few tries, then fail loudly: the next scheduled run takes a fresh one anyway,
            # and a failed run shows up in the schedule's recent actions.
            retry_policy=RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(minutes=1)),
        )
