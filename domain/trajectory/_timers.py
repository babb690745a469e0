"""The trajectory's own timers: an evaluation falls due, learning ends, the follow-up is due."""

from __future__ import annotations

from datetime import datetime

from ..shared import N_, WrongStep, coach_time
from . import _checkpoints as aftercare
from ._commands import ReachDeadline
from ._deadlines import deadlines
from ._emit import Emit
from ._events import (
    BenefitRetentionEnding,
    EscalationRaised,
    EscalationReason,
    EvaluationDue,
    FollowUpDue,
    LearningPeriodEnded,
)
from ._state import Trajectory
from ._values import DeadlineKind, Rules


def reach_deadline(
    s: Trajectory, c: ReachDeadline, now: datetime, emit: Emit, rules: Rules
) -> None:
    if c.deadline in aftercare.AFTERCARE_DEADLINES:  # several of a kind may be pending
        aftercare.reach(s, c, now, emit)
        return
    expected = {d.kind: d.at for d in deadlines(s)}
    if expected.get(c.deadline) != c.due_at:
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
    if rules.method_as_written and c.due_at < now:
        emit.effective_at = c.due_at  # what a timer decides took effect when it fell due
    if c.deadline is DeadlineKind.EVALUATION:
        every = s.programme.week * s.programme.evaluation_every_weeks
        # An evaluation held in the half interval before the due date is that evaluation.
        ahead = s.evaluated_ahead_at is not None and s.evaluated_ahead_at >= c.due_at - every / 2
        missed = s.evaluation_pending_since
        if missed is not None and not rules.one_escalation_per_missed_evaluation:
            emit(
                EscalationRaised,
                reason=EscalationReason.EVALUATION_MISSED,
                message=f"the evaluation due {missed:%Y-%m-%d %H:%M} UTC was not recorded",
            )
        elif missed is not None and s.missed_escalated != missed:  # once for each miss
            emit(
                EscalationRaised,
                reason=EscalationReason.EVALUATION_MISSED,
                message=f"the evaluation due {coach_time(missed)} was not recorded",
            )
        emit(
            EvaluationDue,
            due_at=c.due_at,
            next_evaluation_at=c.due_at + every,
            already_evaluated=ahead,
        )
    elif c.deadline is DeadlineKind.BENEFIT_RETENTION_WARNING:
        ends_at = s.benefit_retention_ends_at
        assert ends_at is not None  # the deadline exists only with it
        emit(BenefitRetentionEnding, ends_at=ends_at)
        emit(
            EscalationRaised,
            reason=EscalationReason.BENEFIT_RETENTION_ENDING,
            message=f"learning met behoud van uitkering reaches its maximum on "
            f"{coach_time(ends_at)}: prepare the outcome; going on beyond it needs a "
            "supervisor's approval",
        )
    elif c.deadline is DeadlineKind.LEARNING_END:
        emit(LearningPeriodEnded)
        emit(
            EscalationRaised,
            reason=EscalationReason.OUTCOME_NEEDED,
            message="the learning period has ended: record a regular job, follow-on education, "
            "another employer or an extension",
        )
    else:
        emit(FollowUpDue)
        emit(
            EscalationRaised,
            reason=EscalationReason.FOLLOW_UP_DUE,
            message="the follow-up is due: record whether the candidate is still employed",
        )
