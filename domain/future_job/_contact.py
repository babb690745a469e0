"""The rules of a future job's contact with its employer, one function per command: the
commitment asked for and answered, the chase and its steps, the learning planned, the
evaluation invitations, the vacancy check and the check-ins (`_rules` has the job's own
life: forecast, places, dates, expiry). Each returns `Draft`s, as `_rules` does.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ..shared import (
    N_,
    RuleViolation,
    add_working_days,
    is_working_day,
)
from ._commands import (
    InviteToEvaluation,
    MoveChase,
    PlanLearning,
    ReachChaseStep,
    ReachCheckIn,
    ReachVacancyCheck,
    RecordCommitment,
    RequestCommitment,
)
from ._events import (
    ChaseEscalated,
    ChaseMoved,
    ChaseStep,
    CommitmentAnswered,
    CommitmentRequested,
    EmployerCheckedIn,
    EmployerReminded,
    EvaluationInvited,
    LearningPlanned,
)
from ._rules import Draft, must_be_attached
from ._state import FutureJob
from ._values import ChaseLadder, ChasePurpose, ChaseStepKind, Touchpoints


def request_commitment(s: FutureJob, c: RequestCommitment, now: datetime) -> list[Draft]:
    must_be_attached(s, c.trajectory_id)
    open_chase = s.chases.get(c.trajectory_id)
    if open_chase is not None and open_chase.answer is None:
        raise RuleViolation(
            N_("the employer was asked on {requested_on} already and has not answered"),
            requested_on=open_chase.requested_on,
            stream_id=s.future_job_id,
        )
    day = s.today(now)
    reminders = [
        ChaseStep(kind=ChaseStepKind.REMINDER, due_on=add_working_days(day, n))
        for n in c.ladder.reminders
    ]
    escalation = ChaseStep(
        kind=ChaseStepKind.ESCALATION, due_on=add_working_days(day, c.ladder.escalation)
    )
    fields = {"trajectory_id": c.trajectory_id, "requested_on": day}
    return [(CommitmentRequested, {**fields, "steps": (*reminders, escalation)})]


def record_commitment(s: FutureJob, c: RecordCommitment) -> list[Draft]:
    chase = s.chases.get(c.trajectory_id)
    if chase is None or chase.answer is not None:
        raise RuleViolation(
            N_("no open request for a commitment for trajectory {trajectory_id}"),
            trajectory_id=c.trajectory_id,
            stream_id=s.future_job_id,
        )
    return [
        (
            CommitmentAnswered,
            {"trajectory_id": c.trajectory_id, "answer": c.answer, "reason": c.reason},
        )
    ]


def move_chase(s: FutureJob, c: MoveChase, now: datetime) -> list[Draft]:
    chase = s.chases.get(c.trajectory_id)
    if chase is None or not chase.pending:
        raise RuleViolation(
            N_("nothing is being chased for trajectory {trajectory_id}"),
            trajectory_id=c.trajectory_id,
            stream_id=s.future_job_id,
        )
    if c.to < s.today(now) or not is_working_day(c.to):
        raise RuleViolation(
            N_("{to} is not a working day from today on (weekends and public holidays are not)"),
            to=c.to,
            stream_id=s.future_job_id,
        )
    if c.to == chase.pending[0].due_on:
        raise RuleViolation(
            N_("the next step is on {to} already"), to=c.to, stream_id=s.future_job_id
        )
    moved = [chase.pending[0].model_copy(update={"due_on": c.to})]
    for before, step in zip(chase.pending, chase.pending[1:], strict=False):
        gap = _working_days_between(before.due_on, step.due_on)
        moved.append(step.model_copy(update={"due_on": add_working_days(moved[-1].due_on, gap)}))
    return [
        (ChaseMoved, {"trajectory_id": c.trajectory_id, "steps": tuple(moved), "reason": c.reason})
    ]


def chase_step(s: FutureJob, c: ReachChaseStep, now: datetime) -> list[Draft]:
    chase = s.chases.get(c.trajectory_id)
    step = chase.pending[0] if chase is not None and chase.pending else None
    if step is None or (step.kind, step.due_on) != (c.step, c.due_on) or s.today(now) < c.due_on:
        raise RuleViolation(
            N_("no {step} of trajectory {trajectory_id} falls due on {due_on}"),
            step=c.step.value,
            trajectory_id=c.trajectory_id,
            due_on=c.due_on,
            stream_id=s.future_job_id,
        )
    assert chase is not None
    if c.step is ChaseStepKind.REMINDER:
        return [
            (
                EmployerReminded,
                {"trajectory_id": c.trajectory_id, "reminder": chase.reminders_sent + 1},
            )
        ]
    return [(ChaseEscalated, {"trajectory_id": c.trajectory_id})]


def plan_learning(s: FutureJob, c: PlanLearning, now: datetime) -> list[Draft]:
    must_be_attached(s, c.trajectory_id)
    known = s.learning.get(c.trajectory_id)
    if known is not None and known.ends_on == c.ends_on:
        return []  # told again (a retried signal): nothing new
    day = s.today(now)
    before = (s.touchpoints or Touchpoints()).confirm_weeks_before
    confirm_on = max(day, c.ends_on - timedelta(weeks=before))
    while not is_working_day(confirm_on):
        confirm_on += timedelta(days=1)
    fields = {"trajectory_id": c.trajectory_id, "ends_on": c.ends_on, "confirm_on": confirm_on}
    return [(LearningPlanned, fields)]


def invite_to_evaluation(s: FutureJob, c: InviteToEvaluation) -> list[Draft]:
    must_be_attached(s, c.trajectory_id)
    return [(EvaluationInvited, {"trajectory_id": c.trajectory_id, "due_on": c.due_on})]


def vacancy_check(s: FutureJob, c: ReachVacancyCheck, now: datetime) -> list[Draft]:
    plan = s.learning.get(c.trajectory_id)
    if plan is None or plan.asked or plan.confirm_on != c.due_on or s.today(now) < c.due_on:
        raise RuleViolation(
            N_("no vacancy confirmation of trajectory {trajectory_id} falls due on {due_on}"),
            trajectory_id=c.trajectory_id,
            due_on=c.due_on,
            stream_id=s.future_job_id,
        )
    # The question supersedes a commitment still being chased for this candidate.
    day = s.today(now)
    ladder = ChaseLadder()
    steps = (
        *(ChaseStep(kind=ChaseStepKind.REMINDER, due_on=add_working_days(day, n))
          for n in ladder.reminders),
        ChaseStep(kind=ChaseStepKind.ESCALATION, due_on=add_working_days(day, ladder.escalation)),
    )  # fmt: skip
    fields = {
        "trajectory_id": c.trajectory_id, "requested_on": day, "steps": steps,
        "purpose": ChasePurpose.VACANCY, "job_on": plan.ends_on,
    }  # fmt: skip
    return [(CommitmentRequested, fields)]


def check_in(s: FutureJob, c: ReachCheckIn, now: datetime) -> list[Draft]:
    if not s.attached or s.next_check_in_on != c.due_on or s.today(now) < c.due_on:
        raise RuleViolation(
            N_("no check-in falls due on {due_on}"), due_on=c.due_on, stream_id=s.future_job_id
        )
    weeks = s.touchpoints.check_in_weeks if s.touchpoints else None
    following = c.due_on + timedelta(weeks=weeks) if weeks is not None else None
    fields: dict[str, object] = {
        "due_on": c.due_on,
        "next_on": following,
        "learning": len(s.attached),
    }
    return [(EmployerCheckedIn, fields)]


def _working_days_between(first: date, then: date) -> int:
    days, day = 0, first
    while day < then:
        day += timedelta(days=1)
        days += is_working_day(day)
    return days
