"""The parts of a trajectory's state: its agreement, candidate, placements, evaluations,
calamities, escalations, the employer's answers and its job (`_state` folds them)."""

from __future__ import annotations

from datetime import date, datetime

from ..shared import Sealed, Value
from ._events import EscalationReason
from ._values import (
    CalamityKind,
    Commitment,
    EmployerAnswer,
    EvaluationVerdict,
    LadderMove,
    PlannedPlacement,
    Signatory,
    Training,
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
