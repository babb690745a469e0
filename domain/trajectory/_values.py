"""Value objects of a trajectory: small, frozen, validated on construction."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from ..shared import NonEmpty, OpaqueId, Value


class Route(StrEnum):
    """The programme route (DOMAIN.md, Routes)."""

    SMALL_SCALE_GROWTH = "small-scale-growth"  # kleinschalige groei
    LARGE_SCALE_GROWTH = "large-scale-growth"  # grootschalige groei
    WIJKLEERBEDRIJF = "wijkleerbedrijf"
    WORK_TO_WORK = "work-to-work"  # Van Werk naar Werk
    WERKFIT = "werkfit"

    @property
    def has_group_intake(self) -> bool:
        """Whether a match follows an information meeting and a language test (the routes
        with a broad call for candidates: large-scale growth, the WijkLeerbedrijf)."""
        return self in {Route.LARGE_SCALE_GROWTH, Route.WIJKLEERBEDRIJF}

    @property
    def learning_before_agreement(self) -> bool:
        """Whether learning may start on the workplace before the agreement is signed
        (small-scale growth: "gewoon gestart met inleren op de werkplek")."""
        return self is Route.SMALL_SCALE_GROWTH


class Step(StrEnum):
    """The six generic steps, plus the end of the road."""

    FUTURE_JOB_IN_VIEW = "1-future-job-in-view"
    POSSIBILITIES_MAPPED = "2-possibilities-mapped"
    AGREEMENT_OR_MATCH = "3/4-agreement-and-match"
    LEARNING_IN = "5-learning-in"
    OUTCOME = "6-outcome"
    CLOSED = "closed"


class EmployerAnswer(StrEnum):
    """The employer's answer to what it was asked for this trajectory (its future job's)."""

    CONFIRMED = "confirmed"
    DECLINED = "declined"


class BenefitEnd(StrEnum):
    """Whether the job ends the benefit (pilot lesson: contracts were sometimes too small in
    hours to end benefit dependence, and that must be visible)."""

    FULLY = "fully"  # uitkering volledig beëindigd
    PARTLY = "partly"  # gedeeltelijk: the wage is topped up by the benefit
    CONTINUES = "continues"  # the benefit goes on (e.g. a contract still on trial)
    NOT_APPLICABLE = "not-applicable"  # the candidate had no benefit

    @classmethod
    def of(cls, ended: bool | None) -> BenefitEnd:
        """What the old yes/no meant: yes fully, no continues, none not applicable."""
        if ended is None:
            return cls.NOT_APPLICABLE
        return cls.FULLY if ended else cls.CONTINUES

    @property
    def ended(self) -> bool | None:
        """As the old yes/no: partly is no (benefit dependence continues, in part)."""
        if self is BenefitEnd.NOT_APPLICABLE:
            return None
        return self is BenefitEnd.FULLY


class WageValueAssessment(Value):
    """A wage-value assessment (loonwaardebepaling) under a wage-cost subsidy (LKS)."""

    wage_value_pct: int = Field(ge=1, le=100)
    """The candidate's wage value as a share of the full wage; 100: no subsidy is needed."""
    assessed_by: OpaqueId
    """Who assessed it: the id of the assessor (a labour expert, a job-coach organisation),
    never a name."""
    assessed_on: date


class Commitment(StrEnum):
    """What an employer can promise (step 3)."""

    JOB_GUARANTEE = "job-guarantee"  # baangarantie
    INTENTION_TO_HIRE = "intention-to-hire"  # inspanningsverplichting


class Barrier(StrEnum):
    """Practical matters to remove before or during learning (step 4 lesson)."""

    COMMUNICATION = "communication"
    ICT_SKILLS = "ict-skills"
    REACHABILITY = "reachability"
    MOBILITY = "mobility"
    TRANSPORT = "transport"
    CHILDCARE = "childcare"
    DEBTS = "debts"
    LANGUAGE = "language"
    POVERTY_TRAP = "poverty-trap"
    HEALTH = "health"


class CalamityKind(StrEnum):
    """What blocks learning and brings the work coach in (step 5)."""

    PRIVATE = "private"
    FINANCES = "finances"
    DIVORCE = "divorce"
    HEALTH = "health"
    HOUSING = "housing"
    OTHER = "other"


class PracticalStatus(StrEnum):
    """How one practical matter stands after the conversation on practical matters."""

    TO_SOLVE = "to-solve"  # speelt: a barrier to remove before or during learning
    NO_PROBLEM = "no-problem"  # besproken, geen probleem
    NOT_APPLICABLE = "not-applicable"  # niet van toepassing


class Signatory(StrEnum):
    """Who signs the learning plan (inleertraject vastgesteld, step 3)."""

    EMPLOYER = "employer"  # werkgever
    WERKBEDRIJF = "werkbedrijf"
    TRAINING_INSTITUTE = "training-institute"  # opleider, e.g. the ROC


class EvaluationVerdict(StrEnum):
    ON_TRACK = "on-track"
    CONCERNS = "concerns"
    OFF_TRACK = "off-track"


class OutcomeType(StrEnum):
    """How a trajectory ends, for the outcome figures (placement rate)."""

    PLACED = "placed"  # regular job
    EDUCATION = "education"  # follow-on education first
    NEUTRAL = "neutral"  # ended for a reason that is no one's result (moved, health)
    NOT_PLACED = "not-placed"  # dropped out, no job


class ClosureReason(StrEnum):
    """Why a trajectory ended early, each with the outcome type it counts as."""

    CANDIDATE_WITHDREW = "candidate-withdrew"
    FOUND_OTHER_WORK = "found-other-work"
    HEALTH = "health"
    MOVED_AWAY = "moved-away"
    EMPLOYER_WITHDREW = "employer-withdrew"
    NO_SUITABLE_CANDIDATE = "no-suitable-candidate"
    OTHER = "other"

    @property
    def outcome_type(self) -> OutcomeType:
        return _CLOSURE_OUTCOMES[self]


_CLOSURE_OUTCOMES = {
    ClosureReason.CANDIDATE_WITHDREW: OutcomeType.NOT_PLACED,
    ClosureReason.FOUND_OTHER_WORK: OutcomeType.PLACED,
    ClosureReason.HEALTH: OutcomeType.NEUTRAL,
    ClosureReason.MOVED_AWAY: OutcomeType.NEUTRAL,
    ClosureReason.EMPLOYER_WITHDREW: OutcomeType.NOT_PLACED,
    ClosureReason.NO_SUITABLE_CANDIDATE: OutcomeType.NOT_PLACED,
    ClosureReason.OTHER: OutcomeType.NOT_PLACED,
}


class ClosedBecause(StrEnum):
    """Why a trajectory closed: an early end (every `ClosureReason`) or one of its outcomes."""

    CANDIDATE_WITHDREW = "candidate-withdrew"
    FOUND_OTHER_WORK = "found-other-work"
    HEALTH = "health"
    MOVED_AWAY = "moved-away"
    EMPLOYER_WITHDREW = "employer-withdrew"
    NO_SUITABLE_CANDIDATE = "no-suitable-candidate"
    OTHER = "other"
    FOLLOW_ON_EDUCATION = "follow-on-education"
    REGULAR_JOB_FOLLOWED_UP = "regular-job-followed-up"

    @classmethod
    def ended_early(cls, reason: ClosureReason) -> ClosedBecause:
        return cls(reason.value)


class DeadlineKind(StrEnum):
    """The timers a trajectory asks for."""

    EVALUATION = "evaluation"
    LEARNING_END = "learning-end"
    FOLLOW_UP = "follow-up"
    CHECKPOINT = "checkpoint"  # a follow-up checkpoint after the job's start falls due
    CHECKPOINT_MISSED = "checkpoint-missed"  # ... and was not recorded in time
    WAGE_VALUE_REASSESSMENT = "wage-value-reassessment"  # the LKS's wage value, again
    BENEFIT_RETENTION_WARNING = "benefit-retention-warning"


class LadderMove(StrEnum):
    """How a placement follows the one before it on the programme's ladder."""

    FIRST = "first"
    NEXT = "next"
    SKIP = "skip"  # a rung (or more) left out, with the coach's reason
    REPEAT = "repeat"  # a rung again (or an earlier one), with the coach's reason
    ALONGSIDE = "alongside"  # a school day, NT2 lessons: outside the order


class WorkToWorkStart(Value):
    """Van Werk naar Werk: where the worker comes from and when the old job ends."""

    outgoing_employer_id: OpaqueId
    dismissal_date: date


class OverrideReason(StrEnum):
    """Why a supervisor lets a coach take a trajectory past their caseload limit: a code,
    never a free text (it would be about a person)."""

    COVER = "cover"  # waarneming: a colleague is away, their trajectories come over
    TRANSFER = "transfer"  # overdracht: a colleague leaves, the caseload moves
    COHORT_INTAKE = "cohort-intake"  # a cohort starts together with one coach
    EXISTING_CASELOAD = "existing-caseload"  # entering trajectories already under way


class CaseloadOverride(Value):
    """A start past the coach's caseload limit, allowed by a supervisor above the coach."""

    by: OpaqueId
    reason: OverrideReason
    open_trajectories: int = Field(ge=0)
    """How many open trajectories the coach had when it was allowed."""
    limit: int = Field(ge=0)


class FutureJob(Value):
    """Step 1: the job an employer expects to create (toekomstige baan)."""

    employer_id: OpaqueId
    function: NonEmpty
    expected_date: date
    number_of_jobs: int = Field(default=1, ge=1, le=1000)
    required_skills: tuple[NonEmpty, ...] = Field(min_length=1)
    future_job_id: OpaqueId | None = None
    """The future job's own stream (`domain.future_job`) the trajectory learns towards; None
    for a trajectory started before future jobs were aggregates of their own."""


class Preconditions(Value):
    """Step 2: what must hold for the trajectory to succeed."""

    employer_role: NonEmpty
    werkbedrijf_role: NonEmpty
    guarantee_possible: bool
    learning_location: NonEmpty
    training_institute: NonEmpty | None = None


class PlannedPlacement(Value):
    """A placement in the plan: the 'little trains' from more to less sheltered."""

    name: NonEmpty
    weeks: int = Field(ge=1, le=104)
    hours_per_week: int = Field(ge=1, le=40)


class PracticalMatter(Value):
    """One matter of the conversation on practical matters (gesprek over praktische zaken)."""

    barrier: Barrier
    status: PracticalStatus


class Training(Value):
    institute: NonEmpty
    course: NonEmpty
    paid_by_employer: bool = False


LANGUAGE_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
"""What a language test finds, on the Common European Framework's scale."""

MAX_FORECAST_MONTHS = 24
"""A future job counts only when it is expected within two years (step 1)."""


class Rules(Value):
    """Which version of a changed rule decides.

    A trajectory runs for up to two years; when a rule changes, the commands it has already
    taken must decide again exactly as they did (the workflow replays its history), while
    new commands follow the new rule. The workflow says which (`workflow.patched`); anyone
    else deciding today uses the defaults, the current rules.
    """

    follow_up_from_job_start: bool = True
    """The follow-up falls due weeks after the job's first day, not after it was recorded
    (before: a lasting placement could be recorded before the job had begun)."""
    one_escalation_per_missed_evaluation: bool = True
    """A missed evaluation brings the coach in once, its time in Amsterdam's; before, every
    later due date while it stayed unrecorded escalated it again, in UTC."""
    method_as_written: bool = True
    """The rules read against the method's source documents: a placement follows the
    agreement or is recorded as a deviation with a reason; the agreement names who signed
    it; a match records the information meeting and the language test where the route has
    them, and the conversation on practical matters with every matter in it; a regular job
    cannot start before the trajectory; the small-contract alert fires only while benefits
    continue; a timer's events take effect when they fell due. Before, none of this was
    checked or recorded."""
    outcome_checkpoints: bool = True
    """A regular job under a programme with `checkpoint_months` gets its follow-up
    checkpoints (timers and tasks), and the last one closes the trajectory; before, the one
    follow-up after `follow_up_after_weeks` did."""


CURRENT_RULES = Rules()
