"""Commands: what a coach (or the trajectory's own clock) asks of a trajectory.

Named in the imperative. A command carries who asks (`actor`); time comes in beside it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from ..shared import FreeText, NonEmpty, OpaqueId, Sealed, Value
from ._values import (
    Barrier,
    CalamityKind,
    ClosureReason,
    Commitment,
    DeadlineKind,
    EvaluationVerdict,
    FutureJob,
    PlannedPlacement,
    Preconditions,
    Programme,
    Route,
    Training,
)

SYSTEM_ACTOR = "system"
"""The actor of what the trajectory's own timers decide."""


class Command(Value):
    actor: OpaqueId
    request_id: OpaqueId | None = None
    """The client's id for this request, the same on every retry of it: a command whose
    request id was already applied is answered with the first result and adds nothing.
    None for what the trajectory's own timers decide."""


class StartTrajectory(Command):
    """Step 1: a future job is in view; a trajectory towards it starts."""

    kind: Literal["start"] = "start"
    trajectory_id: OpaqueId
    route: Route
    programme: Programme
    coach_id: OpaqueId
    future_job: FutureJob


class MapPossibilities(Command):
    """Step 2: the candidate profile (skills, no diploma) and the preconditions."""

    kind: Literal["map-possibilities"] = "map-possibilities"
    profile_skills: tuple[NonEmpty, ...] = Field(min_length=1)
    preconditions: Preconditions


class EstablishAgreement(Command):
    """Step 3: employer, Werkbedrijf and training institute sign the learning plan."""

    kind: Literal["establish-agreement"] = "establish-agreement"
    commitment: Commitment
    duration_weeks: int = Field(ge=1, le=104)
    placements: tuple[PlannedPlacement, ...] = Field(min_length=1)
    training: tuple[Training, ...] = ()
    budget_eur: int = Field(ge=0, le=1_000_000)


class MatchCandidate(Command):
    """Step 4: a candidate is matched to the job, with the practical matters to solve."""

    kind: Literal["match-candidate"] = "match-candidate"
    candidate_ref: OpaqueId
    personal: Sealed
    """The candidate's `PersonalData`, sealed on the client with the candidate's key."""
    skills: tuple[NonEmpty, ...] = ()
    motivation_screen_passed: bool
    language_level: NonEmpty | None = None
    barriers: tuple[Barrier, ...] = ()


class StartLearning(Command):
    """Step 5 begins: the candidate learns in while keeping benefits."""

    kind: Literal["start-learning"] = "start-learning"
    benefits_retained: bool = True


class StartPlacement(Command):
    kind: Literal["start-placement"] = "start-placement"
    name: NonEmpty
    hours_per_week: int = Field(ge=1, le=40)


class RecordEvaluation(Command):
    kind: Literal["record-evaluation"] = "record-evaluation"
    verdict: EvaluationVerdict
    employer_present: bool
    summary: Sealed | None = None
    """Free text about a person: sealed with the candidate's key, like the personal data."""


class RecordCalamity(Command):
    """Something blocks learning: the work coach is brought in."""

    kind: Literal["record-calamity"] = "record-calamity"
    calamity_kind: CalamityKind
    summary: Sealed | None = None
    """Free text about a person: sealed with the candidate's key, like the personal data."""


class ResolveCalamity(Command):
    kind: Literal["resolve-calamity"] = "resolve-calamity"
    number: int = Field(ge=1)


class ResolveBarrier(Command):
    kind: Literal["resolve-barrier"] = "resolve-barrier"
    barrier: Barrier


class ExtendLearning(Command):
    """The candidate learns on: the end of the learning period moves."""

    kind: Literal["extend-learning"] = "extend-learning"
    weeks: int = Field(ge=1, le=104)
    reason: FreeText


class ProposeOtherEmployer(Command):
    """The fallback: the intended employer has no vacancy after all."""

    kind: Literal["propose-other-employer"] = "propose-other-employer"
    employer_id: OpaqueId
    reason: FreeText


class RecordRegularJob(Command):
    """Step 6: a contract with salary, possibly with wage-cost subsidy (LKS)."""

    kind: Literal["record-regular-job"] = "record-regular-job"
    employer_id: OpaqueId
    contract_hours_per_week: int | None = None
    start_date: date
    wage_cost_subsidy_pct: int | None = Field(default=None, ge=1, le=99)
    benefit_ended: bool


class RecordFollowOnEducation(Command):
    kind: Literal["record-follow-on-education"] = "record-follow-on-education"
    institute: NonEmpty
    course: NonEmpty


class RecordFollowUp(Command):
    """Some months after placement: is the candidate still employed?"""

    kind: Literal["record-follow-up"] = "record-follow-up"
    still_employed: bool
    benefit_ended: bool


class EndTrajectory(Command):
    kind: Literal["end-trajectory"] = "end-trajectory"
    reason: ClosureReason
    explanation: FreeText | None = None


class ReachDeadline(Command):
    """A timer of the trajectory fired (sent by the workflow, actor `system`)."""

    kind: Literal["reach-deadline"] = "reach-deadline"
    deadline: DeadlineKind
    due_at: datetime


CoachCommand = Annotated[
    MapPossibilities
    | EstablishAgreement
    | MatchCandidate
    | StartLearning
    | StartPlacement
    | RecordEvaluation
    | RecordCalamity
    | ResolveCalamity
    | ResolveBarrier
    | ExtendLearning
    | ProposeOtherEmployer
    | RecordRegularJob
    | RecordFollowOnEducation
    | RecordFollowUp
    | EndTrajectory,
    Field(discriminator="kind"),
]
"""Every command a coach can send to a running trajectory."""

AnyCommand = StartTrajectory | CoachCommand | ReachDeadline
