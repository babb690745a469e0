"""The outcome (step 6): a regular job, follow-on education, the follow-up, an early end."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from ..shared import COACH_TIME_ZONE, N_, RuleViolation, WrongStep, coach_time
from . import _checkpoints as aftercare
from ._commands import EndTrajectory, RecordFollowOnEducation, RecordFollowUp, RecordRegularJob
from ._emit import SMALL_CONTRACT_HOURS, Emit, no_job_yet, sealed_for_trajectory
from ._events import (
    EscalationRaised,
    EscalationReason,
    FollowOnEducationStarted,
    FollowUpRecorded,
    RegularJobStarted,
    TrajectoryClosed,
)
from ._state import Trajectory
from ._values import BenefitEnd, ClosedBecause, ClosureReason, OutcomeType, Rules


def record_regular_job(
    s: Trajectory, c: RecordRegularJob, now: datetime, emit: Emit, rules: Rules
) -> None:
    if s.candidate is None:
        raise WrongStep(N_("a regular job is a candidate's: match a candidate first (step 4)"))
    no_job_yet(s, N_("a second regular job"))
    hours = c.contract_hours_per_week
    if hours is None:
        raise RuleViolation(N_("a contract must state its hours per week"))
    if not 1 <= hours <= 40:
        raise RuleViolation(
            N_("contract hours must be between 1 and 40 a week, not {hours}"), hours=hours
        )
    if rules.method_as_written and c.start_date < s.started_at.astimezone(COACH_TIME_ZONE).date():
        raise RuleViolation(
            N_(
                "the job's first day, {start_date}, lies before the trajectory began ({started_at})"
            ),
            start_date=c.start_date,
            started_at=coach_time(s.started_at),
        )
    if c.work_study:
        _work_study(s)
    checkpoints = rules.outcome_checkpoints and bool(s.programme.checkpoint_months)
    follow_up_at = None if c.work_study or checkpoints else follow_up_due(s, c, now, rules)
    emit(
        RegularJobStarted,
        employer_id=c.employer_id,
        contract_hours_per_week=hours,
        start_date=c.start_date,
        wage_cost_subsidy_pct=c.wage_cost_subsidy_pct,
        benefit_ended=c.benefit_ended,
        follow_up_at=follow_up_at,
        work_study=c.work_study,
        benefit_end=c.benefit_end,
    )
    if rules.method_as_written:
        if c.benefit_ended is False:  # only while benefits continue; None: there were none
            small = " (a small contract)" if hours < SMALL_CONTRACT_HOURS else ""
            part = " in part" if c.benefit_end is BenefitEnd.PARTLY else ""
            emit(
                EscalationRaised,
                reason=EscalationReason.SMALL_CONTRACT,
                message=f"contract of {hours} hours a week{small}; "
                f"benefit dependence continues{part}",
            )
    elif hours < SMALL_CONTRACT_HOURS or not c.benefit_ended:
        emit(
            EscalationRaised,
            reason=EscalationReason.SMALL_CONTRACT,
            message=f"contract of {hours} hours a week"
            + ("" if c.benefit_ended else "; benefit dependence continues"),
        )
    lks = None
    if c.wage_value is not None and c.subsidy_decided_on and c.reassess_on:
        lks = (c.wage_value, c.subsidy_decided_on, c.reassess_on)
    aftercare.schedule(
        s, emit, c.start_date, now, checkpoints=checkpoints and not c.work_study, lks=lks,
        subsidy_pct=c.wage_cost_subsidy_pct,
    )  # fmt: skip


def _work_study(s: Trajectory) -> None:
    if not s.programme.job_alongside_learning:
        raise RuleViolation(
            N_(
                "programme {programme_id} has no work-study (BBL) job alongside learning; record "
                "a regular job"
            ),
            programme_id=s.programme.programme_id,
        )
    if not s.learning_in_progress:
        raise WrongStep(
            N_("a work-study (BBL) job goes alongside learning, which is not under way")
        )
    if s.regular_job is not None:
        raise WrongStep(N_("the candidate already has a work-study (BBL) job"))


def follow_up_due(s: Trajectory, c: RecordRegularJob, now: datetime, rules: Rules) -> datetime:
    """When the follow-up falls due: the programme's weeks after the job's first morning.

    A compressed clock (a demo's "week" of seconds) has weeks that are no calendar weeks:
    there, as under the old rule, they count from the moment the job was recorded.
    """
    after = s.programme.week * s.programme.follow_up_after_weeks
    if not rules.follow_up_from_job_start or s.programme.week < timedelta(days=1):
        return now + after
    first_morning = datetime.combine(c.start_date, time(9), tzinfo=COACH_TIME_ZONE)
    return (first_morning + after).astimezone(UTC)  # 9 o'clock there, summer time or not


def record_follow_on_education(
    s: Trajectory, c: RecordFollowOnEducation, now: datetime, emit: Emit
) -> None:
    if s.learning_started_at is None:
        raise WrongStep(N_("follow-on education comes after learning in, which has not started"))
    no_job_yet(s, N_("follow-on education"))
    emit(FollowOnEducationStarted, institute=c.institute, course=c.course)
    emit(
        TrajectoryClosed,
        reason=ClosedBecause.FOLLOW_ON_EDUCATION,
        outcome_type=OutcomeType.EDUCATION,
    )


def record_follow_up(s: Trajectory, c: RecordFollowUp, now: datetime, emit: Emit) -> None:
    if not s.placed:
        raise WrongStep(N_("a follow-up comes after a regular job, which has not been recorded"))
    if s.checkpoints:
        raise WrongStep(N_("this job is followed up at its checkpoints: record those instead"))
    if not s.follow_up_pending:
        due = coach_time(s.follow_up_at) if s.follow_up_at else "a date not yet known"
        raise WrongStep(N_("the follow-up is due on {due}; record it then"), due=due)
    emit(FollowUpRecorded, still_employed=c.still_employed, benefit_ended=c.benefit_ended)
    emit(
        TrajectoryClosed,
        reason=ClosedBecause.REGULAR_JOB_FOLLOWED_UP,
        outcome_type=OutcomeType.PLACED,
        lasting_placement=c.still_employed,
    )


def end_trajectory(s: Trajectory, c: EndTrajectory, now: datetime, emit: Emit) -> None:
    if c.reason is ClosureReason.OTHER and c.explanation is None:
        raise RuleViolation(N_("ending for reason 'other' needs an explanation"))
    sealed_for_trajectory(s, c.explanation)
    # Ended after a regular job (before its follow-up): the placement happened and counts;
    # whether it lasted is unknown.
    outcome = OutcomeType.PLACED if s.regular_job is not None else c.reason.outcome_type
    aftercare.resolve_aftercare(s, emit)  # its tasks too: none is left open at the end
    emit(
        TrajectoryClosed,
        reason=ClosedBecause.ended_early(c.reason),
        outcome_type=outcome,
        explanation=c.explanation,
    )
