"""The parts of a trajectory's state: its agreement, candidate, placements, evaluations,
calamities, escalations, the employer's answers and its job (`_state` folds them)."""

from __future__ import annotations

from datetime import date, datetime

from ..shared import Sealed, Value
from ._events import (
    CheckpointDue,
    CheckpointMissed,
    CheckpointRecorded,
    CheckpointsScheduled,
    EscalationReason,
    WageCostSubsidyDecided,
    WageValueReassessed,
    WageValueReassessmentDue,
)
from ._values import (
    BenefitEnd,
    CalamityKind,
    Commitment,
    EmployerAnswer,
    EvaluationVerdict,
    LadderMove,
    PlannedPlacement,
    Signatory,
    Training,
    WageValueAssessment,
)


class Agreement(Value):
    commitment: Commitment
    duration_weeks: int
    placements: tuple[PlannedPlacement, ...]
    training: tuple[Training, ...]
    budget_eur: int
    signed_by: tuple[Signatory, ...] = ()


class Candidate(Value):
    candidate_ref: str
    personal: Sealed
    """Only the ciphertext: the state, like the events, never holds the plaintext."""
    skills: tuple[str, ...]
    language_level: str | None


class Placement(Value):
    number: int
    name: str
    hours_per_week: int
    started_at: datetime
    deviates: bool = False
    """It differs from the agreement (the event holds the sealed reason)."""
    ladder_move: LadderMove | None = None
    """How it followed the ladder (None: the programme has no ladder)."""
    version: int = 0
    """Its event's place in the stream (what came after it, in order)."""


class Handover(Value):
    """A change of programme within the one trajectory (Werkfit into an NBM programme)."""

    at: datetime
    from_programme_id: str
    to_programme_id: str


class Evaluation(Value):
    at: datetime
    verdict: EvaluationVerdict
    employer_present: bool
    version: int = 0
    """Its event's place in the stream."""


class Calamity(Value):
    number: int
    kind: CalamityKind
    recorded_at: datetime
    resolved_at: datetime | None = None


class Escalation(Value):
    at: datetime
    reason: EscalationReason
    message: str
    resolved_at: datetime | None = None
    version: int | None = None
    """The version of the event that raised it (its task's id names it); None in a state
    carried over from before it was kept."""


class EmployerAnswerRecord(Value):
    """What the employer answered, when, about what."""

    at: datetime
    future_job_id: str
    about: str
    answer: EmployerAnswer
    reason: str | None = None


class RegularJob(Value):
    employer_id: str
    contract_hours_per_week: int
    start_date: date
    wage_cost_subsidy_pct: int | None
    benefit_ended: bool | None
    work_study: bool = False
    benefit_end: BenefitEnd | None = None
    """None in a state carried over from before it was kept: see `benefit_end_kind`."""

    @property
    def benefit_end_kind(self) -> BenefitEnd:
        return self.benefit_end or BenefitEnd.of(self.benefit_ended)


class Checkpoint(Value):
    """One follow-up checkpoint after the job's start: due, perhaps missed, its answer."""

    month: int
    due_at: datetime
    due: bool = False
    """Its timer fired: the coach has a task to record it."""
    missed: bool = False
    escalations: tuple[int, ...] = ()
    """The numbers of its escalations (due, missed): recording it resolves them."""
    recorded_at: datetime | None = None
    still_employed: bool | None = None
    hours_per_week: int | None = None
    benefit_end: BenefitEnd | None = None


class WageCostSubsidy(Value):
    """The wage-cost subsidy (LKS) on the regular job, as last (re-)assessed."""

    subsidy_pct: int | None
    """None: the wage value was found full, the subsidy ended."""
    assessment: WageValueAssessment
    decided_on: date
    reassess_on: date | None
    reassess_at: datetime | None
    reassessment_due: bool = False
    escalation: int | None = None
    """The number of the escalation of the re-assessment due now."""
    reassessments: int = 0


def checkpoints_after(
    points: tuple[Checkpoint, ...],
    e: CheckpointsScheduled | CheckpointDue | CheckpointMissed | CheckpointRecorded,
) -> tuple[Checkpoint, ...]:
    """The checkpoints after `e`: scheduled, or the one it is about changed by it."""
    if isinstance(e, CheckpointsScheduled):
        return tuple(Checkpoint(month=m, due_at=t) for m, t in zip(e.months, e.due_at, strict=True))

    def changed(p: Checkpoint) -> Checkpoint:
        match e:
            case CheckpointDue():
                update: dict[str, object] = {"due": True, "escalations": (e.escalation,)}
            case CheckpointMissed():
                update = {"missed": True, "escalations": (*p.escalations, e.escalation)}
            case CheckpointRecorded():
                update = {
                    "recorded_at": e.at, "still_employed": e.still_employed,
                    "hours_per_week": e.hours_per_week, "benefit_end": e.benefit_end,
                }  # fmt: skip
        return p.model_copy(update=update)

    return tuple(changed(p) if p.month == e.month else p for p in points)


def subsidy_after(
    lks: WageCostSubsidy | None,
    e: WageCostSubsidyDecided | WageValueReassessmentDue | WageValueReassessed,
) -> WageCostSubsidy:
    """The wage-cost subsidy after `e`: decided, its re-assessment due, or re-assessed."""
    if isinstance(e, WageCostSubsidyDecided):
        return WageCostSubsidy(
            subsidy_pct=e.subsidy_pct, assessment=e.assessment, decided_on=e.decided_on,
            reassess_on=e.reassess_on, reassess_at=e.reassess_at,
        )  # fmt: skip
    assert lks is not None, "decided on before"
    if isinstance(e, WageValueReassessmentDue):
        return lks.model_copy(update={"reassessment_due": True, "escalation": e.escalation})
    return lks.model_copy(
        update={
            "subsidy_pct": e.subsidy_pct, "assessment": e.assessment,
            "reassess_on": e.next_reassess_on, "reassess_at": e.next_reassess_at,
            "reassessment_due": False, "escalation": None,
            "reassessments": lks.reassessments + 1,
        }
    )  # fmt: skip
