"""Events: what was decided, in the past tense. They live for years.

Each event carries its envelope: the trajectory (stream) it belongs to, its version in that
stream (1, 2, 3, ...), when it happened, who decided it, and the schema version of its shape.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, TypeAdapter

from ..shared import FreeText, NonEmpty, OpaqueId, Sealed, Value
from ._programme import Programme
from ._values import (
    Barrier,
    BenefitEnd,
    CalamityKind,
    CaseloadOverride,
    ClosedBecause,
    Commitment,
    EmployerAnswer,
    EvaluationVerdict,
    FutureJob,
    LadderMove,
    OutcomeType,
    PlannedPlacement,
    PracticalMatter,
    Preconditions,
    Route,
    Signatory,
    Training,
    WageValueAssessment,
    WorkToWorkStart,
)


class EscalationReason(StrEnum):
    """Why the work coach is called in."""

    CALAMITY = "calamity"
    EVALUATION_MISSED = "evaluation-missed"
    OUTCOME_NEEDED = "outcome-needed"
    FOLLOW_UP_DUE = "follow-up-due"
    SMALL_CONTRACT = "small-contract"
    BENEFIT_RETENTION_ENDING = "benefit-retention-ending"
    CHECKPOINT_DUE = "checkpoint-due"
    CHECKPOINT_MISSED = "checkpoint-missed"
    WAGE_VALUE_REASSESSMENT_DUE = "wage-value-reassessment-due"


AFTERCARE_REASONS = frozenset(
    {
        EscalationReason.CHECKPOINT_DUE,
        EscalationReason.CHECKPOINT_MISSED,
        EscalationReason.WAGE_VALUE_REASSESSMENT_DUE,
    }
)
"""The escalations of the aftercare (`_checkpoints`): resolved by what they ask for (a
checkpoint recorded, a re-assessment), and at the trajectory's end, with their tasks."""


class Event(Value):
    trajectory_id: OpaqueId
    version: int = Field(ge=1)
    occurred_at: datetime
    actor: OpaqueId
    schema_version: int = 1
    request_id: OpaqueId | None = None
    """The request of the command that decided this event (None: a timer, or an event
    recorded before request ids existed)."""
    effective_at: datetime | None = None
    """When it took effect, if not when it was recorded (`occurred_at`)."""

    @property
    def stream_id(self) -> str:
        """Its stream: the trajectory's id (as every aggregate's event names its stream)."""
        return self.trajectory_id

    @property
    def at(self) -> datetime:
        """When it took effect: the moment the rules, the timers and `as-of` go by."""
        return self.effective_at or self.occurred_at


class TrajectoryStarted(Event):
    type: Literal["TrajectoryStarted"] = "TrajectoryStarted"
    route: Route
    programme: Programme
    coach_id: OpaqueId
    future_job: FutureJob
    work_to_work: WorkToWorkStart | None = None
    caseload_override: CaseloadOverride | None = Field(default=None, exclude_if=lambda v: v is None)
    """Past the coach's caseload limit: who allowed it and why. Left out of the stored JSON
    when absent, so the events stored before it keep their bytes (and their hashes)."""


class PossibilitiesMapped(Event):
    type: Literal["PossibilitiesMapped"] = "PossibilitiesMapped"
    profile_skills: tuple[NonEmpty, ...]
    preconditions: Preconditions


class AgreementEstablished(Event):
    type: Literal["AgreementEstablished"] = "AgreementEstablished"
    commitment: Commitment
    duration_weeks: int
    placements: tuple[PlannedPlacement, ...]
    training: tuple[Training, ...]
    budget_eur: int
    signed_by: tuple[Signatory, ...] = ()


class AgreementAmended(Event):
    """The learning plan as adjusted during learning, who did it (`actor`) and why."""

    type: Literal["AgreementAmended"] = "AgreementAmended"
    commitment: Commitment
    duration_weeks: int
    placements: tuple[PlannedPlacement, ...]
    training: tuple[Training, ...]
    budget_eur: int
    signed_by: tuple[Signatory, ...]
    reason: FreeText
    ends_at: datetime | None
    """Where the end of learning now lies (None: learning has not started)."""


class CandidateMatched(Event):
    type: Literal["CandidateMatched"] = "CandidateMatched"
    candidate_ref: OpaqueId
    personal: Sealed
    skills: tuple[NonEmpty, ...]
    language_level: NonEmpty | None
    barriers: tuple[Barrier, ...]
    information_meeting_attended: bool = False
    practical_matters: tuple[PracticalMatter, ...] = ()


class LearningStarted(Event):
    type: Literal["LearningStarted"] = "LearningStarted"
    benefits_retained: bool
    ends_at: datetime
    first_evaluation_at: datetime
    duration_weeks: int | None = None
    """Only when learning started before the agreement (small-scale growth): its weeks."""
    benefit_retention_ends_at: datetime | None = None
    """Where learning with benefits reaches the programme's (municipality's) maximum; None:
    benefits are not kept, or the programme sets no maximum."""


class PlacementStarted(Event):
    type: Literal["PlacementStarted"] = "PlacementStarted"
    number: int
    name: NonEmpty
    hours_per_week: int
    deviation: FreeText | None = None
    """Why it differs from the agreement (None: it is a placement of the agreement)."""
    ladder_move: LadderMove | None = None
    """How it follows the ladder (None: the programme has no ladder)."""
    skipped: tuple[NonEmpty, ...] = ()
    """The rungs a skip leaves out."""


class BenefitRetentionEnding(Event):
    """The warning a set time before learning with benefits reaches its maximum."""

    type: Literal["BenefitRetentionEnding"] = "BenefitRetentionEnding"
    ends_at: datetime


class HandedOver(Event):
    """The trajectory continues in another programme; what came before stays its history."""

    type: Literal["HandedOver"] = "HandedOver"
    from_programme_id: OpaqueId
    from_future_job_id: OpaqueId | None = None
    """The future job (its own stream) the candidate learned towards before, which lets
    the place go."""
    programme: Programme
    route: Route
    future_job: FutureJob
    reason: FreeText | None = None


class EvaluationDue(Event):
    type: Literal["EvaluationDue"] = "EvaluationDue"
    due_at: datetime
    next_evaluation_at: datetime
    already_evaluated: bool = False
    """An evaluation held shortly before the due date answers it: nothing is pending."""


class EvaluationRecorded(Event):
    type: Literal["EvaluationRecorded"] = "EvaluationRecorded"
    verdict: EvaluationVerdict
    employer_present: bool
    summary: Sealed | None


class CalamityRecorded(Event):
    type: Literal["CalamityRecorded"] = "CalamityRecorded"
    number: int
    calamity_kind: CalamityKind
    summary: Sealed | None


class CalamityResolved(Event):
    type: Literal["CalamityResolved"] = "CalamityResolved"
    number: int


class BarrierResolved(Event):
    type: Literal["BarrierResolved"] = "BarrierResolved"
    barrier: Barrier


class EscalationRaised(Event):
    type: Literal["EscalationRaised"] = "EscalationRaised"
    reason: EscalationReason
    message: NonEmpty


class EscalationResolved(Event):
    type: Literal["EscalationResolved"] = "EscalationResolved"
    number: int


class EmployerAnswered(Event):
    type: Literal["EmployerAnswered"] = "EmployerAnswered"
    future_job_id: OpaqueId
    about: Literal["commitment", "vacancy"]
    answer: EmployerAnswer
    reason: NonEmpty | None = None


class FutureJobChanged(Event):
    """The future job's date or number of jobs changed (on the employer's word)."""

    type: Literal["FutureJobChanged"] = "FutureJobChanged"
    future_job_id: OpaqueId
    expected_date: date
    number_of_jobs: int


class LearningExtended(Event):
    type: Literal["LearningExtended"] = "LearningExtended"
    weeks: int
    reason: FreeText
    approved_by: OpaqueId | None = None
    """The supervisor who approved learning beyond the programme's cap."""
    ends_at: datetime
    next_evaluation_at: datetime


class LearningPeriodEnded(Event):
    type: Literal["LearningPeriodEnded"] = "LearningPeriodEnded"


class ProposedToOtherEmployer(Event):
    type: Literal["ProposedToOtherEmployer"] = "ProposedToOtherEmployer"
    employer_id: OpaqueId
    reason: FreeText


class RegularJobStarted(Event):
    type: Literal["RegularJobStarted"] = "RegularJobStarted"
    schema_version: int = 2
    employer_id: OpaqueId
    contract_hours_per_week: int
    start_date: date
    wage_cost_subsidy_pct: int | None
    benefit_ended: bool | None
    follow_up_at: datetime | None
    """None for a work-study job (the follow-up comes after the regular job), and for a job
    with checkpoints (`CheckpointsScheduled`)."""
    work_study: bool = False
    benefit_end: BenefitEnd | None = None
    """Fully, partly, continues, not applicable (schema 2; version 1 is upcast from
    `benefit_ended`). None only in a payload written before schema 2 (a workflow's own
    history): read `RegularJob.benefit_end_kind`."""


class WageCostSubsidyDecided(Event):
    """The wage-cost subsidy (LKS) of the regular job, on its wage-value assessment."""

    type: Literal["WageCostSubsidyDecided"] = "WageCostSubsidyDecided"
    subsidy_pct: int
    assessment: WageValueAssessment
    decided_on: date
    reassess_on: date
    reassess_at: datetime
    """When the re-assessment's timer fires: 9:00 in Amsterdam on `reassess_on`."""


class WageValueReassessmentDue(Event):
    type: Literal["WageValueReassessmentDue"] = "WageValueReassessmentDue"
    reassess_on: date
    escalation: int
    """The number of the escalation (and so the coach's task) that follows it."""


class WageValueReassessed(Event):
    type: Literal["WageValueReassessed"] = "WageValueReassessed"
    subsidy_pct: int | None
    """None: the wage value is full, the subsidy ends."""
    assessment: WageValueAssessment
    next_reassess_on: date | None
    next_reassess_at: datetime | None


class CheckpointsScheduled(Event):
    """The follow-up checkpoints of a regular job: months after its first day, and when."""

    type: Literal["CheckpointsScheduled"] = "CheckpointsScheduled"
    months: tuple[int, ...]
    due_at: tuple[datetime, ...]


class CheckpointDue(Event):
    type: Literal["CheckpointDue"] = "CheckpointDue"
    month: int
    escalation: int


class CheckpointMissed(Event):
    """A checkpoint due a while and not recorded: the coach is called in again."""

    type: Literal["CheckpointMissed"] = "CheckpointMissed"
    month: int
    escalation: int


class CheckpointRecorded(Event):
    """A checkpoint's answer: still employed, at what hours, the benefit; who (`actor`) and
    when it held (`at`)."""

    type: Literal["CheckpointRecorded"] = "CheckpointRecorded"
    month: int
    still_employed: bool
    hours_per_week: int | None
    benefit_end: BenefitEnd


class FollowUpDue(Event):
    type: Literal["FollowUpDue"] = "FollowUpDue"


class FollowUpRecorded(Event):
    type: Literal["FollowUpRecorded"] = "FollowUpRecorded"
    still_employed: bool
    benefit_ended: bool | None


class FollowOnEducationStarted(Event):
    type: Literal["FollowOnEducationStarted"] = "FollowOnEducationStarted"
    institute: NonEmpty
    course: NonEmpty


class TrajectoryClosed(Event):
    type: Literal["TrajectoryClosed"] = "TrajectoryClosed"
    reason: ClosedBecause
    outcome_type: OutcomeType
    lasting_placement: bool | None = None
    explanation: FreeText | None = None


AnyEvent = Annotated[
    TrajectoryStarted
    | PossibilitiesMapped
    | AgreementEstablished
    | AgreementAmended
    | CandidateMatched
    | LearningStarted
    | PlacementStarted
    | BenefitRetentionEnding
    | HandedOver
    | EvaluationDue
    | EvaluationRecorded
    | CalamityRecorded
    | CalamityResolved
    | BarrierResolved
    | EscalationRaised
    | EscalationResolved
    | EmployerAnswered
    | FutureJobChanged
    | LearningExtended
    | LearningPeriodEnded
    | ProposedToOtherEmployer
    | RegularJobStarted
    | WageCostSubsidyDecided
    | WageValueReassessmentDue
    | WageValueReassessed
    | CheckpointsScheduled
    | CheckpointDue
    | CheckpointMissed
    | CheckpointRecorded
    | FollowUpDue
    | FollowUpRecorded
    | FollowOnEducationStarted
    | TrajectoryClosed,
    Field(discriminator="type"),
]

# The union is the outermost validator when events are loaded, so it hides inputs itself.
EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(
    AnyEvent, config=ConfigDict(hide_input_in_errors=True)
)
EVENT_TYPES: frozenset[str] = frozenset(
    cls.model_fields["type"].default
    for cls in Event.__subclasses__()  # every concrete event derives from Event directly
)
