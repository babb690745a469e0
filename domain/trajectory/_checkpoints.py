"""After the regular job: the follow-up checkpoints (1, 3, 6, 12 months after its first day)
and the wage-cost subsidy (LKS) with its wage-value re-assessments.

Each checkpoint is a timer: when it falls due the coach is called in (an escalation, and so
a task); recorded, its escalations are resolved. One left unrecorded for
`CHECKPOINT_GRACE_WEEKS` is missed and escalates again, like a missed evaluation. The last
checkpoint recorded closes the trajectory, its answer the lasting placement. The LKS's
re-assessment date is a timer too, answered by `RecordWageValueReassessment`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from ..shared import COACH_TIME_ZONE, N_, RuleViolation, WrongStep, add_months, coach_time
from ._commands import ReachDeadline, RecordCheckpoint, RecordWageValueReassessment
from ._emit import Emit
from ._events import (
    AFTERCARE_REASONS,
    CheckpointDue,
    CheckpointMissed,
    CheckpointRecorded,
    CheckpointsScheduled,
    EscalationRaised,
    EscalationReason,
    EscalationResolved,
    TrajectoryClosed,
    WageCostSubsidyDecided,
    WageValueReassessed,
    WageValueReassessmentDue,
)
from ._programme import Programme
from ._state import Trajectory
from ._values import ClosedBecause, DeadlineKind, OutcomeType, WageValueAssessment

CHECKPOINT_GRACE_WEEKS = 4
"""Weeks after a checkpoint fell due before its not being recorded escalates again."""

AFTERCARE_DEADLINES = frozenset(
    {DeadlineKind.CHECKPOINT, DeadlineKind.CHECKPOINT_MISSED, DeadlineKind.WAGE_VALUE_REASSESSMENT}
)


def morning_of(day: date) -> datetime:
    """9:00 in Amsterdam on `day`, summer time or not, in UTC."""
    return datetime.combine(day, time(9), tzinfo=COACH_TIME_ZONE).astimezone(UTC)


def checkpoint_times(programme: Programme, start: date, now: datetime) -> tuple[datetime, ...]:
    """When each of the programme's checkpoints falls due: its months after the job's first
    morning. A compressed clock (a demo's "week" of seconds) counts 52/12 of its weeks to a
    month, from when the job was recorded."""
    if programme.week < timedelta(days=1):
        return tuple(now + programme.week * (m * 52 // 12) for m in programme.checkpoint_months)
    return tuple(morning_of(add_months(start, m)) for m in programme.checkpoint_months)


def schedule(
    s: Trajectory,
    emit: Emit,
    start: date,
    now: datetime,
    *,
    checkpoints: bool,
    lks: tuple[WageValueAssessment, date, date] | None,
    subsidy_pct: int | None,
) -> None:
    """What a regular job brings after it: its checkpoints, its wage-cost subsidy."""
    if lks is not None:
        assessment, decided_on, reassess_on = lks
        today = now.astimezone(COACH_TIME_ZONE).date()
        if assessment.wage_value_pct >= 100:
            raise RuleViolation(N_("a wage value of 100% needs no wage-cost subsidy"))
        if not assessment.assessed_on <= decided_on <= today:
            raise RuleViolation(
                N_(
                    "the subsidy's decision ({decided_on}) comes after the wage-value assessment "
                    "({assessed_on}) and not after today ({today})"
                ),
                decided_on=decided_on,
                assessed_on=assessment.assessed_on,
                today=today,
            )
        if reassess_on <= max(decided_on, start):
            raise RuleViolation(
                N_("the re-assessment ({reassess_on}) lies after the decision and the job's start"),
                reassess_on=reassess_on,
            )
        emit(
            WageCostSubsidyDecided,
            subsidy_pct=subsidy_pct or 100 - assessment.wage_value_pct,
            assessment=assessment, decided_on=decided_on, reassess_on=reassess_on,
            reassess_at=morning_of(reassess_on),
        )  # fmt: skip
    if checkpoints:
        due_at = checkpoint_times(s.programme, start, now)
        emit(CheckpointsScheduled, months=s.programme.checkpoint_months, due_at=due_at)


def aftercare_deadlines(s: Trajectory) -> list[tuple[DeadlineKind, datetime]]:
    """The checkpoints' and the re-assessment's timers pending now: the earliest of each
    kind (one per kind, as every timer of a trajectory; the next follows once it fired)."""
    found: list[tuple[DeadlineKind, datetime]] = []
    grace = s.programme.week * CHECKPOINT_GRACE_WEEKS
    coming = [p.due_at for p in s.checkpoints if not p.due]
    missing = [
        p.due_at + grace for p in s.checkpoints if p.due and p.recorded_at is None and not p.missed
    ]
    if coming:
        found.append((DeadlineKind.CHECKPOINT, coming[0]))
    if missing:
        found.append((DeadlineKind.CHECKPOINT_MISSED, missing[0]))
    lks = s.wage_cost_subsidy
    if lks is not None and lks.reassess_at is not None and not lks.reassessment_due:
        found.append((DeadlineKind.WAGE_VALUE_REASSESSMENT, lks.reassess_at))
    return found


def reach(s: Trajectory, c: ReachDeadline, now: datetime, emit: Emit) -> None:
    """One of the aftercare's timers fired: the coach is called in."""
    if (c.deadline, c.due_at) not in aftercare_deadlines(s):
        raise WrongStep(
            N_("no {deadline} deadline is due at {due_at}"),
            deadline=c.deadline,
            due_at=coach_time(c.due_at),
        )
    if c.due_at > now:
        raise WrongStep(
            N_("the {deadline} deadline is not due before {due_at}"),
            deadline=c.deadline,
            due_at=coach_time(c.due_at),
        )
    emit.effective_at = c.due_at if c.due_at < now else None  # it took effect when due
    number = len(s.escalations) + 1
    if c.deadline is DeadlineKind.WAGE_VALUE_REASSESSMENT:
        assert s.wage_cost_subsidy is not None and s.wage_cost_subsidy.reassess_on is not None
        on = s.wage_cost_subsidy.reassess_on
        emit(WageValueReassessmentDue, reassess_on=on, escalation=number)
        emit(
            EscalationRaised,
            reason=EscalationReason.WAGE_VALUE_REASSESSMENT_DUE,
            message=f"the wage value under the wage-cost subsidy is to be assessed again ({on})",
        )
        return
    grace = s.programme.week * CHECKPOINT_GRACE_WEEKS
    if c.deadline is DeadlineKind.CHECKPOINT:
        [p] = [p for p in s.checkpoints if not p.due and p.due_at == c.due_at]
        emit(CheckpointDue, month=p.month, escalation=number)
        emit(
            EscalationRaised,
            reason=EscalationReason.CHECKPOINT_DUE,
            message=f"the {p.month}-month checkpoint is due: still employed, hours, benefit?",
        )
        return
    [p] = [p for p in s.checkpoints if p.due and p.due_at + grace == c.due_at]
    emit(CheckpointMissed, month=p.month, escalation=number)
    emit(
        EscalationRaised,
        reason=EscalationReason.CHECKPOINT_MISSED,
        message=f"the {p.month}-month checkpoint due {coach_time(p.due_at)} was not recorded",
    )


def record_checkpoint(s: Trajectory, c: RecordCheckpoint, now: datetime, emit: Emit) -> None:
    if not s.checkpoints:
        raise WrongStep(
            N_("this trajectory has no follow-up checkpoints (no regular job with them)")
        )
    point = next((p for p in s.checkpoints if p.month == c.month), None)
    if point is None:
        months = ", ".join(str(p.month) for p in s.checkpoints)
        raise RuleViolation(
            N_("there is no {month}-month checkpoint; there are: {months}"),
            month=c.month,
            months=months,
        )
    if point.recorded_at is not None:
        raise WrongStep(N_("the {month}-month checkpoint is recorded already"), month=c.month)
    if not point.due:
        raise WrongStep(
            N_("the {month}-month checkpoint is due on {due_at}; record it then"),
            month=c.month,
            due_at=coach_time(point.due_at),
        )
    if c.still_employed and c.hours_per_week is None:
        raise RuleViolation(N_("still employed: say how many hours a week"))
    if not c.still_employed and c.hours_per_week is not None:
        raise RuleViolation(N_("no longer employed: there are no hours a week to record"))
    emit(
        CheckpointRecorded, month=c.month, still_employed=c.still_employed,
        hours_per_week=c.hours_per_week, benefit_end=c.benefit_end,
    )  # fmt: skip
    if point is not s.checkpoints[-1]:
        _resolve(s, emit, point.escalations)
        return
    resolve_aftercare(s, emit)
    emit(
        TrajectoryClosed,
        reason=ClosedBecause.REGULAR_JOB_FOLLOWED_UP,
        outcome_type=OutcomeType.PLACED,
        lasting_placement=c.still_employed,
    )


def record_reassessment(
    s: Trajectory, c: RecordWageValueReassessment, now: datetime, emit: Emit
) -> None:
    lks = s.wage_cost_subsidy
    if lks is None or lks.reassess_on is None:
        raise WrongStep(N_("no wage-cost subsidy awaits a re-assessment of the wage value"))
    new = c.wage_value
    if new.assessed_on < lks.assessment.assessed_on:
        raise RuleViolation(
            N_("the re-assessment ({assessed_on}) comes after the last one ({last_assessed_on})"),
            assessed_on=new.assessed_on,
            last_assessed_on=lks.assessment.assessed_on,
        )
    today = now.astimezone(COACH_TIME_ZONE).date()
    if new.assessed_on > today:
        raise RuleViolation(
            N_("the re-assessment ({assessed_on}) lies in the future"), assessed_on=new.assessed_on
        )
    if c.next_reassess_on is not None and c.next_reassess_on <= today:
        # A date already past would fire at once, dated back (before the trajectory, even).
        raise RuleViolation(
            N_("the next re-assessment ({next_reassess_on}) lies after today"),
            next_reassess_on=c.next_reassess_on,
        )
    if new.wage_value_pct >= 100 and (c.subsidy_pct or c.next_reassess_on):
        raise RuleViolation(
            N_("at a full wage value the subsidy ends: no percentage, no next date")
        )
    subsidy = c.subsidy_pct or (None if new.wage_value_pct >= 100 else 100 - new.wage_value_pct)
    nxt = c.next_reassess_on
    emit(
        WageValueReassessed, subsidy_pct=subsidy, assessment=new, next_reassess_on=nxt,
        next_reassess_at=morning_of(nxt) if nxt else None,
    )  # fmt: skip
    if lks.escalation is not None:
        _resolve(s, emit, (lks.escalation,))


def resolve_aftercare(s: Trajectory, emit: Emit) -> None:
    """At the end: the aftercare's escalations still open are resolved (and their tasks)."""
    open_ = [
        n
        for n, e in enumerate(s.escalations, start=1)
        if e.resolved_at is None and e.reason in AFTERCARE_REASONS
    ]
    _resolve(s, emit, open_)


def _resolve(s: Trajectory, emit: Emit, numbers: tuple[int, ...] | list[int]) -> None:
    for n in numbers:
        if s.escalations[n - 1].resolved_at is None:
            emit(EscalationResolved, number=n)
