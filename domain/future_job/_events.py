"""Events of a future job, in the past tense; its stream's id is the future job's id."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from ..shared import REAL_DAY, EventEnvelope, FreeText, NonEmpty, OpaqueId, Value
from ..trajectory import Commitment
from ._values import ChasePurpose, ChaseStepKind, CommitmentAnswer, DetachReason, Touchpoints


class Event(EventEnvelope):
    future_job_id: OpaqueId

    @property
    def stream_id(self) -> str:
        return self.future_job_id


class FutureJobForecast(Event):
    type: Literal["FutureJobForecast"] = "FutureJobForecast"
    employer_id: OpaqueId
    function: NonEmpty
    jobs: int
    expected_on: date
    required_skills: tuple[NonEmpty, ...]
    commitment: Commitment
    day: timedelta = REAL_DAY
    touchpoints: Touchpoints | None = None


class CandidateAttached(Event):
    type: Literal["CandidateAttached"] = "CandidateAttached"
    trajectory_id: OpaqueId


class CandidateDetached(Event):
    type: Literal["CandidateDetached"] = "CandidateDetached"
    trajectory_id: OpaqueId
    reason: DetachReason


class PlaceFilled(Event):
    type: Literal["PlaceFilled"] = "PlaceFilled"
    trajectory_id: OpaqueId
    started_on: date


class JobsReduced(Event):
    """Fewer places: `without_place` of the candidates learning towards it have none now;
    every one of `attached` is affected until a coach decides who moves (the fallback)."""

    type: Literal["JobsReduced"] = "JobsReduced"
    jobs: int
    previous_jobs: int
    reason: FreeText
    without_place: int
    attached: tuple[OpaqueId, ...]


class CommitmentChanged(Event):
    type: Literal["CommitmentChanged"] = "CommitmentChanged"
    commitment: Commitment
    reason: FreeText


class ExpectedDateMoved(Event):
    type: Literal["ExpectedDateMoved"] = "ExpectedDateMoved"
    expected_on: date
    reason: FreeText


class FutureJobFilled(Event):
    type: Literal["FutureJobFilled"] = "FutureJobFilled"


class FutureJobWithdrawn(Event):
    """Closed on the employer's word; `attached` had a place here and need another."""

    type: Literal["FutureJobWithdrawn"] = "FutureJobWithdrawn"
    reason: FreeText
    attached: tuple[OpaqueId, ...]


class FutureJobExpired(Event):
    type: Literal["FutureJobExpired"] = "FutureJobExpired"
    due_on: date


class ChaseStep(Value):
    kind: ChaseStepKind
    due_on: date


class CommitmentRequested(Event):
    type: Literal["CommitmentRequested"] = "CommitmentRequested"
    trajectory_id: OpaqueId
    requested_on: date
    steps: tuple[ChaseStep, ...]
    """The ladder as dates: the reminders, then the escalation."""
    purpose: ChasePurpose = ChasePurpose.COMMITMENT
    job_on: date | None = None
    """For the vacancy confirmation: the day the job must be there."""


class CommitmentAnswered(Event):
    type: Literal["CommitmentAnswered"] = "CommitmentAnswered"
    trajectory_id: OpaqueId
    answer: CommitmentAnswer
    reason: NonEmpty | None = None


class ChaseMoved(Event):
    type: Literal["ChaseMoved"] = "ChaseMoved"
    trajectory_id: OpaqueId
    steps: tuple[ChaseStep, ...]
    """The steps still to come, at their new dates."""
    reason: FreeText


class EmployerReminded(Event):
    """A reminder fell due: the employer is sent one (the mail is the workflow's effect)."""

    type: Literal["EmployerReminded"] = "EmployerReminded"
    trajectory_id: OpaqueId
    reminder: int
    """1 for the first reminder, 2 for the second, ..."""


class ChaseEscalated(Event):
    """The employer stayed silent: the employer's account manager takes it up."""

    type: Literal["ChaseEscalated"] = "ChaseEscalated"
    trajectory_id: OpaqueId


class LearningPlanned(Event):
    type: Literal["LearningPlanned"] = "LearningPlanned"
    trajectory_id: OpaqueId
    ends_on: date
    confirm_on: date
    """When the employer is asked whether the job is there on `ends_on`."""


class EvaluationInvited(Event):
    """All parties are invited to a candidate's evaluation (the mail is the effect)."""

    type: Literal["EvaluationInvited"] = "EvaluationInvited"
    trajectory_id: OpaqueId
    due_on: date


class EmployerCheckedIn(Event):
    """The periodic check-in with the employer fell due (the mail is the effect)."""

    type: Literal["EmployerCheckedIn"] = "EmployerCheckedIn"
    due_on: date
    next_on: date | None
    learning: int
    """How many candidates learn towards it now."""


AnyEvent = Annotated[
    FutureJobForecast
    | CandidateAttached
    | CandidateDetached
    | PlaceFilled
    | JobsReduced
    | CommitmentChanged
    | ExpectedDateMoved
    | FutureJobFilled
    | FutureJobWithdrawn
    | FutureJobExpired
    | CommitmentRequested
    | CommitmentAnswered
    | ChaseMoved
    | EmployerReminded
    | ChaseEscalated
    | LearningPlanned
    | EvaluationInvited
    | EmployerCheckedIn,
    Field(discriminator="type"),
]

_EVENT: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def load_event(data: bytes | str) -> AnyEvent:
    """An event from its stored JSON."""
    return _EVENT.validate_json(data)
