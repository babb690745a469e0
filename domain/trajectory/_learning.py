"""Learning in (step 5): the period itself, placements, evaluations, calamities, barriers,
extensions, and the fallback to another employer."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..shared import N_, Phrase, RuleViolation, WrongStep, coach_time
from . import _ladder as ladder
from ._commands import (
    ExtendLearning,
    ProposeOtherEmployer,
    RecordCalamity,
    RecordEvaluation,
    ResolveBarrier,
    ResolveCalamity,
    ResolveEscalation,
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
    EscalationResolved,
    EvaluationRecorded,
    LearningExtended,
    LearningStarted,
    PlacementStarted,
    ProposedToOtherEmployer,
)
from ._state import Trajectory
from ._values import LadderMove, PlannedPlacement, Rules


def start_learning(s: Trajectory, c: StartLearning, now: datetime, emit: Emit) -> None:
    if s.learning_started_at is not None:
        raise WrongStep(N_("the learning period has already started"))
    if s.candidate is None:
        raise WrongStep(N_("no learning before a match: match a candidate first (step 4)"))
    no_job_yet(s, N_("a learning period"))
    if s.agreement is None and not s.route.learning_before_agreement:
        raise WrongStep(
            N_("no learning before an agreement: establish the learning trajectory first (step 3)")
        )
    if s.agreement is not None and c.duration_weeks is not None:
        raise RuleViolation(
            N_(
                "the agreement sets the learning period ({duration_weeks} weeks); leave out the "
                "weeks, or amend the agreement once learning has started"
            ),
            duration_weeks=s.agreement.duration_weeks,
        )
    if s.agreement is None and c.duration_weeks is None:
        raise RuleViolation(
            N_(
                "learning starts before the agreement: give how many weeks it is meant to last "
                "until the agreement says"
            )
        )
    weeks = s.agreement.duration_weeks if s.agreement else c.duration_weeks
    assert weeks is not None
    if weeks > s.programme.max_learning_weeks:
        raise RuleViolation(
            N_(
                "a learning period of {weeks} weeks is longer than the {max_learning_weeks} weeks "
                "this programme allows"
            ),
            weeks=weeks,
            max_learning_weeks=s.programme.max_learning_weeks,
        )
    week = s.programme.week
    benefit_weeks = s.programme.benefit_retention_weeks if c.benefits_retained else None
    benefit_ends_at = None
    if benefit_weeks is not None:
        # What the candidate learned with benefits before a handover counts (Werkfit's
        # weeks, then the NBM programme's): the maximum is the person's, not the programme's.
        benefit_ends_at = now + week * benefit_weeks - s.benefit_time_used
        if now + week * weeks > benefit_ends_at:
            used = (
                Phrase(
                    N_(", {weeks} of them used before"), weeks=_in_weeks(s.benefit_time_used, week)
                )
                if s.benefit_time_used
                else ""
            )
            raise RuleViolation(
                N_(
                    "a learning period of {weeks} weeks with benefits kept is longer than the "
                    "{benefit_weeks} weeks {where} allows learning met behoud van uitkering{used}"
                ),
                weeks=weeks,
                benefit_weeks=benefit_weeks,
                where=_where(s),
                used=used,
            )
    emit(
        LearningStarted,
        benefits_retained=c.benefits_retained,
        ends_at=now + week * weeks,
        first_evaluation_at=now + week * s.programme.evaluation_every_weeks,
        duration_weeks=c.duration_weeks,
        benefit_retention_ends_at=benefit_ends_at,
    )


def _in_weeks(time: timedelta, week: timedelta) -> str:
    return f"{time / week:.1f}".removesuffix(".0")


def _where(s: Trajectory) -> Phrase:
    p = s.programme
    if p.municipality:
        return Phrase(N_("municipality {municipality}"), municipality=p.municipality)
    return Phrase(N_("programme {programme_id}"), programme_id=p.programme_id)


def start_placement(
    s: Trajectory, c: StartPlacement, now: datetime, emit: Emit, rules: Rules
) -> None:
    if s.agreement is None and not (s.route.learning_before_agreement and s.learning_started_at):
        raise WrongStep(
            N_("no placement before an agreement: establish the learning trajectory first")
        )
    if s.learning_started_at is None:
        raise WrongStep(N_("no placement before the learning period has started"))
    no_job_yet(s, N_("a placement"))
    sealed_for_trajectory(s, c.deviation)
    move, skipped = ladder.move(s, c)
    if move in (LadderMove.SKIP, LadderMove.REPEAT):
        if c.deviation is None:
            what = (
                Phrase(N_("skips {rungs}"), rungs=", ".join(repr(n) for n in skipped))
                if skipped
                else Phrase(N_("repeats a rung"))
            )
            raise RuleViolation(
                N_("placement {name!r} {what} of the ladder: give the reason (the coach decides)"),
                name=c.name,
                what=what,
            )
    elif rules.method_as_written and s.agreement is not None:
        _as_agreed(s.agreement.placements, c)
    emit(
        PlacementStarted,
        number=len(s.placements) + 1,
        name=c.name,
        hours_per_week=c.hours_per_week,
        deviation=c.deviation,
        ladder_move=move,
        skipped=skipped,
    )


def _as_agreed(planned: tuple[PlannedPlacement, ...], c: StartPlacement) -> None:
    """A placement follows the agreement, or says why it does not (the coach decides)."""
    same = [p for p in planned if p.name.casefold() == c.name.casefold()]
    if not same:
        names = ", ".join(repr(p.name) for p in planned)
        differs = Phrase(
            N_("placement (stage) {name!r} is not in the agreement (planned: {names})"),
            name=c.name,
            names=names,
        )
    elif all(p.hours_per_week != c.hours_per_week for p in same):
        differs = Phrase(
            N_("the agreement plans {name!r} for {planned_hours} hours a week, not {hours}"),
            name=same[0].name,
            planned_hours=same[0].hours_per_week,
            hours=c.hours_per_week,
        )
    else:
        if c.deviation is not None:
            raise RuleViolation(
                N_(
                    "placement {name!r} is as the agreement plans it: there is no deviation to "
                    "explain"
                ),
                name=c.name,
            )
        return
    if c.deviation is None:
        raise RuleViolation(
            N_("{differs}; record it as a deviation with the reason, or amend the agreement"),
            differs=differs,
        )


def record_evaluation(s: Trajectory, c: RecordEvaluation, now: datetime, emit: Emit) -> None:
    if s.learning_started_at is None:
        raise WrongStep(N_("evaluations start with the learning period, which has not started"))
    no_job_yet(s, N_("an evaluation of the learning period"))
    sealed_for_candidate(s, c.summary)
    emit(
        EvaluationRecorded,
        verdict=c.verdict,
        employer_present=c.employer_present,
        summary=c.summary,
    )


def record_calamity(s: Trajectory, c: RecordCalamity, now: datetime, emit: Emit) -> None:
    if s.candidate is None:
        raise WrongStep(N_("a calamity concerns a candidate; no candidate has been matched yet"))
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
        raise RuleViolation(N_("there is no open calamity number {number}"), number=c.number)
    emit(CalamityResolved, number=c.number)


def resolve_escalation(s: Trajectory, c: ResolveEscalation, now: datetime, emit: Emit) -> None:
    if not 1 <= c.number <= len(s.escalations):
        raise RuleViolation(N_("there is no escalation number {number}"), number=c.number)
    if s.escalations[c.number - 1].resolved_at is not None:
        raise RuleViolation(N_("escalation {number} is resolved already"), number=c.number)
    emit(EscalationResolved, number=c.number)


def resolve_barrier(s: Trajectory, c: ResolveBarrier, now: datetime, emit: Emit) -> None:
    if c.barrier not in s.open_barriers:
        raise RuleViolation(
            N_("'{barrier}' is not an open barrier of this trajectory"), barrier=c.barrier
        )
    emit(BarrierResolved, barrier=c.barrier)


def extend_learning(s: Trajectory, c: ExtendLearning, now: datetime, emit: Emit) -> None:
    if s.learning_started_at is None or s.learning_ends_at is None:
        raise WrongStep(N_("the learning period has not started, so it cannot be extended"))
    no_job_yet(s, N_("an extension of the learning period"))
    sealed_for_trajectory(s, c.reason)
    limit = s.programme.max_learning_weeks
    if s.learning_weeks + c.weeks > limit and c.approved_by is None:
        raise RuleViolation(
            N_(
                "extending by {weeks} weeks makes the learning period {total} weeks, more than "
                "the {limit} weeks this programme allows; a supervisor can approve it (their id "
                "as the approver)"
            ),
            weeks=c.weeks,
            total=s.learning_weeks + c.weeks,
            limit=limit,
        )
    if c.approved_by is not None and c.approved_by == c.actor:
        raise RuleViolation(N_("an extension is approved by a supervisor, not by who asks for it"))
    week = s.programme.week
    ends_at = max(s.learning_ends_at, now) + week * c.weeks
    limit_at = s.benefit_retention_ends_at if s.benefits_retained else None
    if limit_at is not None and ends_at > limit_at and c.approved_by is None:
        raise RuleViolation(
            N_(
                "extending by {weeks} weeks goes past {limit_at}, the maximum of learning met "
                "behoud van uitkering ({benefit_retention_weeks} weeks, {where}); a supervisor "
                "can approve it (their id as the approver)"
            ),
            weeks=c.weeks,
            limit_at=coach_time(limit_at),
            benefit_retention_weeks=s.programme.benefit_retention_weeks,
            where=_where(s),
        )
    next_evaluation = s.next_evaluation_at or now + week * s.programme.evaluation_every_weeks
    emit(
        LearningExtended,
        weeks=c.weeks,
        reason=c.reason,
        approved_by=c.approved_by,
        ends_at=ends_at,
        next_evaluation_at=next_evaluation,
    )


def propose_other_employer(
    s: Trajectory, c: ProposeOtherEmployer, now: datetime, emit: Emit
) -> None:
    if s.candidate is None:
        raise WrongStep(N_("a candidate is proposed to another employer: match one first (step 4)"))
    sealed_for_trajectory(s, c.reason)
    no_job_yet(s, N_("a proposal to another employer"))
    if c.employer_id == s.employer_id:
        raise RuleViolation(
            N_("employer {employer_id} is already the intended employer"), employer_id=c.employer_id
        )
    emit(ProposedToOtherEmployer, employer_id=c.employer_id, reason=c.reason)
