"""Commands to a future job: from an account manager (on the employer's word), from a coach
(a candidate attached or placed), or from its own clock (`ReachExpiry`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import Field

from ..shared import REAL_DAY, CommandEnvelope, FreeText, NonEmpty, OpaqueId
from ..trajectory import Commitment
from ._values import (
    MAX_JOBS,
    ChaseLadder,
    ChaseStepKind,
    CommitmentAnswer,
    DetachReason,
    Touchpoints,
)

SYSTEM_ACTOR = "system"


class Command(CommandEnvelope):
    pass


class ForecastFutureJob(Command):
    """An employer expects to create jobs: the start of a future job (toekomstige baan)."""

    kind: Literal["forecast"] = "forecast"
    future_job_id: OpaqueId
    employer_id: OpaqueId
    function: NonEmpty
    jobs: int = Field(ge=1, le=MAX_JOBS)
    expected_on: date
    required_skills: tuple[NonEmpty, ...] = Field(min_length=1, max_length=50)
    commitment: Commitment
    day: timedelta = Field(default=REAL_DAY, ge=timedelta(seconds=1), le=REAL_DAY)
    """How long a day lasts on its clock: a real day, or a few seconds in the demo (the
    ladder's working days then pass while a person watches)."""
    touchpoints: Touchpoints | None = Touchpoints()
    """The check-ins and the vacancy confirmation; None: none (a future job forecast before
    they existed, whose workflow replays its history as it ran)."""


class AttachCandidate(Command):
    """A trajectory learns towards this future job: one of its free places is promised."""

    kind: Literal["attach"] = "attach"
    trajectory_id: OpaqueId


class DetachCandidate(Command):
    kind: Literal["detach"] = "detach"
    trajectory_id: OpaqueId
    reason: DetachReason


class FillPlace(Command):
    """A candidate learning towards it started in the job: the place is taken for good."""

    kind: Literal["fill"] = "fill"
    trajectory_id: OpaqueId
    started_on: date


class ReduceJobs(Command):
    """The employer offers fewer places than it estimated (cohort 1's lesson)."""

    kind: Literal["reduce"] = "reduce"
    jobs: int = Field(ge=1, le=MAX_JOBS)
    reason: FreeText


class ChangeCommitment(Command):
    """A job guarantee becomes an intention to hire, or the other way round."""

    kind: Literal["change-commitment"] = "change-commitment"
    commitment: Commitment
    reason: FreeText


class MoveExpectedDate(Command):
    kind: Literal["move-date"] = "move-date"
    expected_on: date
    reason: FreeText


class WithdrawFutureJob(Command):
    """The employer will not create the job after all."""

    kind: Literal["withdraw"] = "withdraw"
    reason: FreeText


class ReachExpiry(Command):
    """The future job's own clock: its expiry fell due (`next_deadline`)."""

    kind: Literal["expire"] = "expire"
    due_on: date


class RequestCommitment(Command):
    """For a trajectory's agreement the employer is asked for its commitment; silence is
    chased on the ladder: reminders, then the account manager."""

    kind: Literal["request-commitment"] = "request-commitment"
    trajectory_id: OpaqueId
    ladder: ChaseLadder = ChaseLadder()


class RecordCommitment(Command):
    """The employer's answer (through its link, or by phone to the account manager)."""

    kind: Literal["record-commitment"] = "record-commitment"
    trajectory_id: OpaqueId
    answer: CommitmentAnswer
    reason: NonEmpty | None = None


class PlanLearning(Command):
    """A candidate learning towards it: when their learning ends (from their trajectory).
    The employer is asked, a while before, whether the job is there on that day."""

    kind: Literal["plan-learning"] = "plan-learning"
    trajectory_id: OpaqueId
    ends_on: date


class InviteToEvaluation(Command):
    """A candidate's evaluation falls due (from their trajectory): all parties are invited."""

    kind: Literal["invite-to-evaluation"] = "invite-to-evaluation"
    trajectory_id: OpaqueId
    due_on: date


class ReachVacancyCheck(Command):
    """Its own clock: the vacancy confirmation for a candidate fell due."""

    kind: Literal["vacancy-check"] = "vacancy-check"
    trajectory_id: OpaqueId
    due_on: date


class ReachCheckIn(Command):
    """Its own clock: the periodic check-in with the employer fell due."""

    kind: Literal["check-in"] = "check-in"
    due_on: date


class MoveChase(Command):
    """A person moves the next step of a chase (the employer asked for a week); the steps
    after it keep their distance in working days."""

    kind: Literal["move-chase"] = "move-chase"
    trajectory_id: OpaqueId
    to: date
    reason: FreeText


class ReachChaseStep(Command):
    """The future job's own clock: a step of a chase fell due (`next_deadline`)."""

    kind: Literal["chase-step"] = "chase-step"
    trajectory_id: OpaqueId
    step: ChaseStepKind
    due_on: date


AnyCommand = Annotated[
    ForecastFutureJob
    | AttachCandidate
    | DetachCandidate
    | FillPlace
    | ReduceJobs
    | ChangeCommitment
    | MoveExpectedDate
    | WithdrawFutureJob
    | ReachExpiry
    | RequestCommitment
    | RecordCommitment
    | MoveChase
    | ReachChaseStep
    | PlanLearning
    | InviteToEvaluation
    | ReachVacancyCheck
    | ReachCheckIn,
    Field(discriminator="kind"),
]
