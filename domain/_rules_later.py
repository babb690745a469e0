"""The rules of the outcome (step 6) and of the trajectory's own timers."""

from __future__ import annotations

from datetime import datetime

from ._commands import (
    EndTrajectory,
    ReachDeadline,
    RecordFollowOnEducation,
    RecordFollowUp,
    RecordRegularJob,
)
from ._deadlines import deadlines
from ._emit import SMALL_CONTRACT_HOURS, _Emit, _no_job_yet
from ._errors import (
    RuleViolation,
    WrongStep,
)
from ._events import (
    EscalationRaised,
    EscalationReason,
    EvaluationDue,
    FollowOnEducationStarted,
    FollowUpDue,
    FollowUpRecorded,
    LearningPeriodEnded,
    RegularJobStarted,
    TrajectoryClosed,
)
from ._state import Trajectory
from ._values import (
    DeadlineKind,
    OutcomeType,
)


def _record_regular_job(s: Trajectory, c: RecordRegularJob, now: datetime, emit: _Emit) -> None:
    if s.learning_started_at is None:
        raise WrongStep("a regular job follows the learning period, which has not started")
    _no_job_yet(s, "a second regular job")
    hours = c.contract_hours_per_week
    if hours is None:
        raise RuleViolation("a contract must state its hours per week")
    if not 1 <= hours <= 40:
        raise RuleViolation(f"contract hours must be between 1 and 40 a week, not {hours}")
    follow_up_at = now + s.programme.week * s.programme.follow_up_after_weeks
    emit(
        RegularJobStarted,
        employer_id=c.employer_id,
        contract_hours_per_week=hours,
        start_date=c.start_date,
        wage_cost_subsidy_pct=c.wage_cost_subsidy_pct,
        benefit_ended=c.benefit_ended,
        follow_up_at=follow_up_at,
    )
    if hours < SMALL_CONTRACT_HOURS or not c.benefit_ended:
        emit(
            EscalationRaised,
            reason=EscalationReason.SMALL_CONTRACT,
            message=f"contract of {hours} hours a week"
            + ("" if c.benefit_ended else "; benefit dependence continues"),
        )


def _record_education(
    s: Trajectory, c: RecordFollowOnEducation, now: datetime, emit: _Emit
) -> None:
    if s.learning_started_at is None:
        raise WrongStep("follow-on education comes after learning in, which has not started")
    _no_job_yet(s, "follow-on education")
    emit(FollowOnEducationStarted, institute=c.institute, course=c.course)
    emit(TrajectoryClosed, reason="follow-on-education", outcome_type=OutcomeType.EDUCATION)


def _record_follow_up(s: Trajectory, c: RecordFollowUp, now: datetime, emit: _Emit) -> None:
    if s.regular_job is None:
        raise WrongStep("a follow-up comes after a regular job, which has not been recorded")
    if not s.follow_up_pending:
        raise WrongStep(f"the follow-up is due on {s.follow_up_at:%Y-%m-%d}; record it then")
    emit(FollowUpRecorded, still_employed=c.still_employed, benefit_ended=c.benefit_ended)
    emit(
        TrajectoryClosed,
        reason="regular-job-followed-up",
        outcome_type=OutcomeType.PLACED,
        lasting_placement=c.still_employed,
    )


def _end(s: Trajectory, c: EndTrajectory, now: datetime, emit: _Emit) -> None:
    if c.reason == "other" and c.explanation is None:
        raise RuleViolation("ending for reason 'other' needs an explanation")
    # Ended after a regular job (before its follow-up): the placement happened and counts;
    # whether it lasted is unknown.
    outcome = OutcomeType.PLACED if s.regular_job is not None else c.reason.outcome_type
    emit(
        TrajectoryClosed,
        reason=c.reason.value,
        outcome_type=outcome,
        explanation=c.explanation,
    )


def _reach_deadline(s: Trajectory, c: ReachDeadline, now: datetime, emit: _Emit) -> None:
    expected = {d.kind: d.at for d in deadlines(s)}
    if expected.get(c.deadline) != c.due_at:
        raise WrongStep(f"no {c.deadline} deadline is due at {c.due_at:%Y-%m-%d %H:%M}")
    if c.due_at > now:
        raise WrongStep(f"the {c.deadline} deadline is not due before {c.due_at:%Y-%m-%d %H:%M}")
    if c.deadline is DeadlineKind.EVALUATION:
        every = s.programme.week * s.programme.evaluation_every_weeks
        # An evaluation held in the half interval before the due date is that evaluation.
        ahead = s.evaluated_ahead_at is not None and s.evaluated_ahead_at >= c.due_at - every / 2
        if s.evaluation_pending_since is not None:
            emit(
                EscalationRaised,
                reason=EscalationReason.EVALUATION_MISSED,
                message=f"the evaluation due {s.evaluation_pending_since:%Y-%m-%d %H:%M} UTC "
                "was not recorded",
            )
        emit(
            EvaluationDue,
            due_at=c.due_at,
            next_evaluation_at=c.due_at + every,
            already_evaluated=ahead,
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
