"""A cohort's effects beyond its own stream: the proposal computed (scipy, outside the
workflow sandbox), and what its decisions mean for its candidates' trajectories, sent as
their own coach commands (a work-study job, another employer).

Safe to retry: every command to a trajectory carries a request id derived from the cohort's
event, and a trajectory answers a request id it applied with its first answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain import cohort, trajectory
from domain.shared import N_

TRAJECTORY_UPDATE = "execute"
"""The trajectory workflow's coach-command update (`workflows.TrajectoryWorkflow.execute`)."""
TRAJECTORY_QUERY = "state"


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class WorkStudyForTrajectory(_Message):
    """A BBL hire of the cohort, for the candidate's trajectory."""

    command: trajectory.RecordRegularJob
    trajectory_id: str


class PlaceForTrajectory(_Message):
    """The confirmed assignment's employer for one candidate."""

    trajectory_id: str
    employer_id: str
    actor: str
    request_id: str
    cohort_id: str


class Delivered(_Message):
    trajectory_id: str
    event_types: list[str]
    """What the trajectory recorded (empty: nothing new for it)."""
    future_job_id: str | None = None
    """The future job the trajectory learnt towards before (its own link, which only its
    start sets)."""
    refused: str | None = None
    """The trajectory's code when it refused the command (not matched yet, closed, ...)."""


class CohortActivities:
    @activity.defn(name="propose_cohort_assignment")
    async def propose_assignment(self, state: cohort.Cohort) -> cohort.Assignment:
        """The optimal assignment of the cohort now (`domain.cohort.assignment_for`)."""
        return cohort.assignment_for(state)

    @activity.defn(name="work_study_to_trajectory")
    async def work_study_to_trajectory(self, request: WorkStudyForTrajectory) -> Delivered:
        """The trajectory records the BBL hire as its work-study job."""
        return await _send(request.trajectory_id, request.command)

    @activity.defn(name="place_to_trajectory")
    async def place_to_trajectory(self, request: PlaceForTrajectory) -> Delivered:
        """The trajectory follows the assignment: proposed to its employer when that is
        another than the one it learns towards now."""
        handle = activity.client().get_workflow_handle(request.trajectory_id)
        state = trajectory.Trajectory.model_validate(
            await handle.query(TRAJECTORY_QUERY, result_type=dict)
        )
        linked = state.future_job.future_job_id
        if state.employer_id == request.employer_id:
            return Delivered(trajectory_id=request.trajectory_id, event_types=[],
                             future_job_id=linked)  # fmt: skip
        command = trajectory.ProposeOtherEmployer(
            actor=request.actor, request_id=request.request_id, employer_id=request.employer_id,
            reason=f"toewijzing cohort {request.cohort_id}",
        )  # fmt: skip
        try:
            sent = await _send(request.trajectory_id, command)
        except ApplicationError as err:
            # The person's decision stands in the cohort; its future jobs follow it anyway.
            return Delivered(trajectory_id=request.trajectory_id, event_types=[],
                             future_job_id=linked, refused=err.type or "refused")  # fmt: skip
        return sent.model_copy(update={"future_job_id": linked})


async def _send(trajectory_id: str, command: Any) -> Delivered:
    handle = activity.client().get_workflow_handle(trajectory_id)
    try:
        result = await handle.execute_update(
            TRAJECTORY_UPDATE,
            {"command": command.model_dump(mode="json")},
            id=command.request_id,
            result_type=dict,
        )
    except WorkflowUpdateFailedError as err:
        # The trajectory refuses it (closed, not learning): retrying changes nothing.
        cause = err.cause
        code = cause.type if isinstance(cause, ApplicationError) else "refused"
        raise ApplicationError(
            f"trajectory {trajectory_id} refused {command.kind}",
            N_("trajectory {trajectory_id} refused {kind}"),
            {"trajectory_id": trajectory_id, "kind": command.kind},
            type=code,
            non_retryable=True,
        ) from None
    return Delivered(trajectory_id=trajectory_id, event_types=list(result["event_types"]))
