"""What goes in and out of the trajectory workflow: its input, updates, queries and result."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from domain.trajectory import AnyEvent, CoachCommand, StartTrajectory, Step, Trajectory

WORKFLOW_TYPE = "Trajectory"


class _Message(BaseModel):
    # hide_input_in_errors: a validation error must not echo a name or BSN into a log.
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class CommandResult(_Message):
    """What a coach gets back once the command's events are stored."""

    trajectory_id: str
    version: int
    step: Step
    event_types: list[str]
    request_id: str | None = None


class TrajectoryInput(_Message):
    """Either a new trajectory (`start`) or one carried over by continue-as-new (`state`)."""

    start: StartTrajectory | None = None
    state: Trajectory | None = None
    answered: dict[str, CommandResult] = Field(default_factory=dict)
    """The latest answers by request id, carried over so that a retry after continue-as-new
    is answered too (Temporal de-duplicates update ids within one run only)."""
    continue_as_new_after: int | None = None
    """Force continue-as-new after this many events in a run (tests); otherwise the server
    suggests when."""


class CoachRequest(_Message):
    """One coach command for the `execute` update."""

    command: CoachCommand


class TrajectoryResult(_Message):
    trajectory_id: str
    version: int
    outcome_type: str | None
    closure_reason: str | None


def result_of(
    state: Trajectory, events: list[AnyEvent], request_id: str | None = None
) -> CommandResult:
    return CommandResult(
        trajectory_id=state.trajectory_id,
        version=state.version,
        step=state.step,
        event_types=[e.type for e in events],
        request_id=request_id,
    )
