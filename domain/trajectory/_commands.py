"""Commands: what a coach (or the trajectory's own clock) asks of a trajectory.

Named in the imperative. A command carries who asks (`actor`); time comes in beside it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from ..shared import N_, FreeText, InvalidValue, NonEmpty, OpaqueId, Sealed, Value, json_param
from ._programme import Programme
from ._values import (
    Barrier,
    BenefitEnd,
    CalamityKind,
    CaseloadOverride,
    ClosureReason,
    Commitment,
    DeadlineKind,
    EmployerAnswer,
    EvaluationVerdict,
    FutureJob,
    PlannedPlacement,
    PracticalMatter,
    Preconditions,
    Route,
    Signatory,
    Training,
    WageValueAssessment,
    WorkToWorkStart,
)

SYSTEM_ACTOR = "system"
"""The actor of what the trajectory's own timers decide."""


class Command(Value):
    actor: OpaqueId
    request_id: OpaqueId | None = None
    """The client's id for this request, the same on every retry of it: a command whose
    request id was already applied is answered with the first result and adds nothing.
    None for what the trajectory's own timers decide."""
    effective_at: datetime | None = None
    """When what the command records took effect, if not now: a job that began last Friday,
    recorded on Monday. Not in the future, not before the trajectory began, and not before
    what the trajectory recorded last (the stream stays in order). The event keeps both."""


class StartTrajectory(Command):
    """Step 1: a future job is in view; a trajectory towards it starts."""

    kind: Literal["start"] = "start"
    trajectory_id: OpaqueId
    route: Route
    programme: Programme
    coach_id: OpaqueId
    future_job: FutureJob
    work_to_work: WorkToWorkStart | None = None
    """Van Werk naar Werk: the outgoing employer and the dismissal date."""
    caseload_override: CaseloadOverride | None = Field(default=None, exclude_if=lambda v: v is None)
    """Past the coach's caseload limit: who allowed it and why. Left out of the stored JSON
    when absent, so the events stored before it keep their bytes (and their hashes)."""


class MapPossibilities(Command):
    """Step 2: the candidate profile (skills, no diploma) and the preconditions."""

    kind: Literal["map-possibilities"] = "map-possibilities"
    profile_skills: tuple[NonEmpty, ...] = Field(min_length=1)
    preconditions: Preconditions


class _AgreementTerms(Command):
    """The learning plan's terms, as established and as amended."""

    commitment: Commitment
    duration_weeks: int = Field(ge=1, le=104)
    placements: tuple[PlannedPlacement, ...] = Field(min_length=1)
    training: tuple[Training, ...] = ()
    budget_eur: int = Field(ge=0, le=1_000_000)
    signed_by: tuple[Signatory, ...] = ()
    """Who signed: the employer and the Werkbedrijf, and the training institute when there
    is one."""


class EstablishAgreement(_AgreementTerms):
    """Step 3: employer, Werkbedrijf and training institute sign the learning plan."""

    kind: Literal["establish-agreement"] = "establish-agreement"


class AmendAgreement(_AgreementTerms):
    """The learning plan is adjusted during learning (bijstelling van het inleertraject):
    the whole plan as it now stands, and why. A job guarantee can become an intention to
    hire; a longer or shorter period moves the end of learning."""

    kind: Literal["amend-agreement"] = "amend-agreement"
    reason: FreeText


class MatchCandidate(Command):
    """Step 4: a candidate is matched to the job, with the practical matters to solve."""

    kind: Literal["match-candidate"] = "match-candidate"
    candidate_ref: OpaqueId
    personal: Sealed
    """The candidate's `PersonalData`, sealed on the client with the candidate's key."""
    skills: tuple[NonEmpty, ...] = ()
    motivation_screen_passed: bool
    language_level: NonEmpty | None = None
    """The level the language test found (taaltest), e.g. 'A2'."""
    barriers: tuple[Barrier, ...] = ()
    """Barriers to solve (before the conversation on practical matters was recorded)."""
    information_meeting_attended: bool = False
    """The candidate took part in the information meeting (kennismakings-/informatie-
    bijeenkomst) of a route with a group intake."""
    practical_matters: tuple[PracticalMatter, ...] = ()
    """The conversation on practical matters: every matter, to solve, no problem, or not
    applicable."""


class StartLearning(Command):
    """Step 5 begins: the candidate learns in while keeping benefits."""

    kind: Literal["start-learning"] = "start-learning"
    benefits_retained: bool = True
    duration_weeks: int | None = Field(default=None, ge=1, le=104)
    """Only when learning starts before the agreement (small-scale growth): how long it is
    meant to last until the agreement says."""


class StartPlacement(Command):
    kind: Literal["start-placement"] = "start-placement"
    name: NonEmpty
    hours_per_week: int = Field(ge=1, le=40)
    deviation: FreeText | None = None
    """Why this placement differs from the agreement (another placement, other hours, a
    rung of the ladder skipped or repeated); a placement that differs without a reason is
    refused."""


class HandOver(Command):
    """The trajectory continues in another programme (Werkfit into an NBM programme): one
    history, one candidate path; the new programme's route, clock and future job apply."""

    kind: Literal["hand-over"] = "hand-over"
    programme: Programme
    route: Route
    future_job: FutureJob
    reason: FreeText | None = None


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


class ResolveEscalation(Command):
    """An escalation taken care of (its task resolved): the caseload counts open ones."""

    kind: Literal["resolve-escalation"] = "resolve-escalation"
    number: int = Field(ge=1)
    """Its number in the trajectory's escalations, from 1."""


class ResolveBarrier(Command):
    kind: Literal["resolve-barrier"] = "resolve-barrier"
    barrier: Barrier


class ExtendLearning(Command):
    """The candidate learns on: the end of the learning period moves."""

    kind: Literal["extend-learning"] = "extend-learning"
    weeks: int = Field(ge=1, le=104)
    reason: FreeText
    approved_by: OpaqueId | None = None
    """The supervisor who approves learning beyond the programme's cap."""


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
    benefit_ended: bool | None = None
    """Whether the benefit ends; None: the candidate had no benefit (does not apply). Given
    `benefit_end` alone, it follows from it (partly: no)."""
    work_study: bool = False
    """A work-study (BBL) job: learning goes on alongside it, where the programme has one."""
    benefit_end: BenefitEnd | None = None
    """Fully, partly, continues or not applicable; given `benefit_ended` alone, it follows
    from that (yes: fully, no: continues, none: not applicable)."""
    wage_value: WageValueAssessment | None = None
    """The wage-value assessment a wage-cost subsidy (LKS) rests on."""
    subsidy_decided_on: date | None = None
    reassess_on: date | None = None
    """When the wage value is to be assessed again (a timer and a task for the coach)."""

    @model_validator(mode="before")
    @classmethod
    def _benefit(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        end = data.get("benefit_end")
        if end is None:
            if "benefit_ended" not in data:
                raise ValueError(N_("say whether the benefit ends (benefit_end or benefit_ended)"))
            return {**data, "benefit_end": BenefitEnd.of(data["benefit_ended"])}
        if "benefit_ended" not in data:
            return {**data, "benefit_ended": BenefitEnd(end).ended}
        return data

    @model_validator(mode="after")
    def _agree(self) -> RecordRegularJob:
        assert self.benefit_end is not None  # set above
        if self.benefit_ended != self.benefit_end.ended:
            raise InvalidValue(
                N_("benefit_ended={ended} contradicts benefit_end={end}"),
                ended=self.benefit_ended,
                end=json_param(self.benefit_end),
            )
        lks = (self.wage_value, self.subsidy_decided_on, self.reassess_on)
        if any(x is not None for x in lks) and any(x is None for x in lks):
            raise ValueError(
                N_(
                    "a wage-cost subsidy needs its wage-value assessment, decision date and "
                    "re-assessment date together"
                )
            )
        return self


class RecordFollowOnEducation(Command):
    kind: Literal["record-follow-on-education"] = "record-follow-on-education"
    institute: NonEmpty
    course: NonEmpty


class RecordFollowUp(Command):
    """Some months after placement: is the candidate still employed?"""

    kind: Literal["record-follow-up"] = "record-follow-up"
    still_employed: bool
    benefit_ended: bool | None
    """None: the candidate had no benefit (does not apply)."""


class RecordCheckpoint(Command):
    """A follow-up checkpoint's answer (1, 3, 6 or 12 months after the job's start): still
    employed, at what hours, and the benefit. When it held: `effective_at`, if not now."""

    kind: Literal["record-checkpoint"] = "record-checkpoint"
    month: int = Field(ge=1, le=24)
    still_employed: bool
    hours_per_week: int | None = Field(default=None, ge=1, le=40)
    """The hours a week the candidate works now (only while still employed)."""
    benefit_end: BenefitEnd


class RecordWageValueReassessment(Command):
    """The wage value assessed again under the wage-cost subsidy (LKS), and the next date."""

    kind: Literal["record-wage-value-reassessment"] = "record-wage-value-reassessment"
    wage_value: WageValueAssessment
    subsidy_pct: int | None = Field(default=None, ge=1, le=99)
    """The subsidy from now on; by default 100 less the wage value (none at 100)."""
    next_reassess_on: date | None = None
    """None: no further re-assessment (the wage value is full, or the subsidy ends)."""


class EndTrajectory(Command):
    kind: Literal["end-trajectory"] = "end-trajectory"
    reason: ClosureReason
    explanation: FreeText | None = None


class ReachDeadline(Command):
    """A timer of the trajectory fired (sent by the workflow, actor `system`)."""

    kind: Literal["reach-deadline"] = "reach-deadline"
    deadline: DeadlineKind
    due_at: datetime


class RecordEmployerAnswer(Command):
    """From the future job it learns towards: the employer answered (through its link, or
    by phone to the account manager) what it was asked for this candidate."""

    kind: Literal["record-employer-answer"] = "record-employer-answer"
    future_job_id: OpaqueId
    about: Literal["commitment", "vacancy"]
    answer: EmployerAnswer
    reason: NonEmpty | None = None
    """A declined one's reason, from the page's list (never a free text about a person)."""


class RecordFutureJobChange(Command):
    """From the future job it learns towards: the employer moved its date or changed the
    number of jobs; the trajectory's copy of the job follows."""

    kind: Literal["record-future-job-change"] = "record-future-job-change"
    future_job_id: OpaqueId
    expected_date: date
    number_of_jobs: int = Field(ge=1, le=1000)


CoachCommand = Annotated[
    MapPossibilities
    | EstablishAgreement
    | AmendAgreement
    | MatchCandidate
    | StartLearning
    | StartPlacement
    | RecordEvaluation
    | RecordCalamity
    | ResolveCalamity
    | ResolveEscalation
    | ResolveBarrier
    | ExtendLearning
    | ProposeOtherEmployer
    | RecordRegularJob
    | RecordFollowOnEducation
    | RecordFollowUp
    | EndTrajectory
    | HandOver
    | RecordCheckpoint
    | RecordWageValueReassessment,
    Field(discriminator="kind"),
]
"""Every command a coach can send to a running trajectory."""

AnyCommand = (
    StartTrajectory | CoachCommand | ReachDeadline | RecordEmployerAnswer | RecordFutureJobChange
)
