"""Learning in (step 5): the period itself, placements, evaluations, calamities, barriers,
extensions, and the fallback to another employer."""

from __future__ import annotations

from datetime import datetime

from ..shared import RuleViolation, WrongStep
from ._commands import (
    ExtendLearning,
    ProposeOtherEmployer,
    RecordCalamity,
    RecordEvaluation,
    ResolveBarrier,
    ResolveCalamity,
    StartLearning,
    StartPlacement,
)
from ._emit import Emit, no_job_yet, sealed_for_candidate, sealed_for_trajectory
from ._events import (
    BarrierResolved,
    CalamityRecorded,
    CalamityResolved,
    EscalationRaised,
    EscalationReason,
    EvaluationRecorded,
    LearningExtended,
    LearningStarted,
    PlacementStarted,
    ProposedToOtherEmployer,
)
from ._state import Trajectory


def start_learning(s: Trajectory, c: StartLearning, now: datetime, emit: Emit) -> None:
    if s.learning_started_at is not None:
        raise WrongStep("the learning period has already started")
    if s.agreement is None:
        raise WrongStep(
            "no learning before an agreement: establish the learning trajectory first (step 3)"
        )
    if s.candidate is None:
        raise WrongStep("no learning before a match: match a candidate first (step 4)")
    week = s.programme.week
    emit(
        LearningStarted,
        benefits_retained=c.benefits_retained,
        ends_at=now + week * s.agreement.duration_weeks,
        first_evaluation_at=now + week * s.programme.evaluation_every_weeks,
    )


def start_placement(s: Trajectory, c: StartPlacement, now: datetime, emit: Emit) -> None:
    if s.agreement is None:
        raise WrongStep("no placement before an agreement: establish the learning trajectory first")
    if s.learning_started_at is None:
        raise WrongStep("no placement before the learning period has started")
    no_job_yet(s, "a placement")
    emit(
        PlacementStarted,
        number=len(s.placements) + 1,
        name=c.name,
        hours_per_week=c.hours_per_week,
    )


def record_evaluation(s: Trajectory, c: RecordEvaluation, now: datetime, emit: Emit) -> None:
    if s.learning_started_at is None:
        raise WrongStep("evaluations start with the learning period, which has not started")
    no_job_yet(s, "an evaluation of the learning period")
    sealed_for_candidate(s, c.summary)
    emit(
        EvaluationRecorded,
        verdict=c.verdict,
        employer_present=c.employer_present,
        summary=c.summary,
    )


def record_calamity(s: Trajectory, c: RecordCalamity, now: datetime, emit: Emit) -> None:
    if s.candidate is None:
        raise WrongStep("a calamity concerns a candidate; no candidate has been matched yet")
    sealed_for_candidate(s, c.summary)
    number = len(s.calamities) + 1
    emit(CalamityRecorded, number=number, calamity_kind=c.calamity_kind, summary=c.summary)
    # Not the kind: it can be a health or family matter, and messages are shown and notified
    # more widely than the calamity itself.
    emit(
        EscalationRaised,
        reason=EscalationReason.CALAMITY,
        message=f"calamity {number} recorded: the work coach is brought in",
    )


def resolve_calamity(s: Trajectory, c: ResolveCalamity, now: datetime, emit: Emit) -> None:
    if c.number not in {k.number for k in s.open_calamities}:
        raise RuleViolation(f"there is no open calamity number {c.number}")
    emit(CalamityResolved, number=c.number)


def resolve_barrier(s: Trajectory, c: ResolveBarrier, now: datetime, emit: Emit) -> None:
    if c.barrier not in s.open_barriers:
        raise RuleViolation(f"'{c.barrier}' is not an open barrier of this trajectory")
    emit(BarrierResolved, barrier=c.barrier)


def extend_learning(s: Trajectory, c: ExtendLearning, now: datetime, emit: Emit) -> None:
    if s.learning_started_at is None or s.learning_ends_at is None:
        raise WrongStep("the learning period has not started, so it cannot be extended")
    no_job_yet(s, "an extension of the learning period")
    sealed_for_trajectory(s, c.reason)
    limit = s.programme.max_learning_weeks
    if s.learning_weeks + c.weeks > limit:
        raise RuleViolation(
            f"extending by {c.weeks} weeks makes the learning period {s.learning_weeks + c.weeks} "
            f"weeks, more than the {limit} weeks this programme allows"
        )
    week = s.programme.week
    ends_at = max(s.learning_ends_at, now) + week * c.weeks
    next_evaluation = s.next_evaluation_at or now + week * s.programme.evaluation_every_weeks
    emit(
        LearningExtended,
        weeks=c.weeks,
        reason=c.reason,
        ends_at=ends_at,
        next_evaluation_at=next_evaluation,
    )


def propose_other_employer(
    s: Trajectory, c: ProposeOtherEmployer, now: datetime, emit: Emit
) -> None:
    if s.learning_started_at is None:
        raise WrongStep("another employer is proposed during or after learning, not before")
    sealed_for_trajectory(s, c.reason)
    no_job_yet(s, "a proposal to another employer")
    if c.employer_id == s.employer_id:
        raise RuleViolation(f"employer {c.employer_id} is already the intended employer")
    emit(ProposedToOtherEmployer, employer_id=c.employer_id, reason=c.reason)
