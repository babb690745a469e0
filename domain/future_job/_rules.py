"""The rules of a future job, one function per command: each returns what to record, as
(event type, fields) pairs that `decide` numbers and stamps, or raises a `DomainError`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ..shared import (
    COACH_TIME_ZONE,
    N_,
    Phrase,
    RuleViolation,
    Value,
    add_months,
)
from ..trajectory import MAX_FORECAST_MONTHS
from ._commands import (
    SYSTEM_ACTOR,
    AttachCandidate,
    ChangeCommitment,
    DetachCandidate,
    FillPlace,
    ForecastFutureJob,
    MoveExpectedDate,
    ReachChaseStep,
    ReachCheckIn,
    ReachExpiry,
    ReachVacancyCheck,
    ReduceJobs,
    WithdrawFutureJob,
)
from ._errors import NoPlaceLeft
from ._events import (
    CandidateAttached,
    CandidateDetached,
    CommitmentChanged,
    Event,
    ExpectedDateMoved,
    FutureJobExpired,
    FutureJobFilled,
    FutureJobForecast,
    FutureJobWithdrawn,
    JobsReduced,
    PlaceFilled,
)
from ._state import FutureJob
from ._values import EXPIRES_AFTER_MONTHS, ChaseStepKind

Draft = tuple[type[Event], dict[str, object]]


def today(now: datetime) -> date:
    """The day it is where the coaches are."""
    return now.astimezone(COACH_TIME_ZONE).date()


def expires_on(state: FutureJob) -> date | None:
    """When the future job expires: only while open and nobody learns towards it."""
    if state.closed or state.attached:
        return None
    return add_months(state.expected_on, EXPIRES_AFTER_MONTHS)


class Deadline(Value):
    """When the future job's own clock must act next, and on what."""

    kind: Literal["expiry", "chase", "vacancy", "check-in"]
    due_on: date
    at: datetime
    """When `due_on` comes on the future job's clock (9:00 in Amsterdam on a real day)."""
    trajectory_id: str | None = None
    step: ChaseStepKind | None = None

    def command(self) -> ReachExpiry | ReachChaseStep | ReachVacancyCheck | ReachCheckIn:
        """What the clock sends when it falls due."""
        if self.kind == "expiry":
            return ReachExpiry(actor=SYSTEM_ACTOR, due_on=self.due_on)
        if self.kind == "check-in":
            return ReachCheckIn(actor=SYSTEM_ACTOR, due_on=self.due_on)
        if self.kind == "vacancy":
            assert self.trajectory_id is not None
            return ReachVacancyCheck(
                actor=SYSTEM_ACTOR, trajectory_id=self.trajectory_id, due_on=self.due_on
            )
        assert self.trajectory_id is not None and self.step is not None
        return ReachChaseStep(
            actor=SYSTEM_ACTOR, trajectory_id=self.trajectory_id, step=self.step,
            due_on=self.due_on,
        )  # fmt: skip


def next_deadline(state: FutureJob | None) -> Deadline | None:
    """The earliest of its expiry and the next step of each chase; None once closed."""
    if state is None or state.closed:
        return None
    found = [
        Deadline(
            kind="chase",
            due_on=c.pending[0].due_on,
            at=state.moment(c.pending[0].due_on),
            trajectory_id=tid,
            step=c.pending[0].kind,
        )
        for tid, c in state.chases.items()
        if c.pending
    ]
    found += [
        Deadline(kind="vacancy", due_on=p.confirm_on, at=state.moment(p.confirm_on),
                 trajectory_id=tid)
        for tid, p in state.learning.items()
        if not p.asked
    ]  # fmt: skip
    if state.attached and state.next_check_in_on is not None:
        on = state.next_check_in_on
        found.append(Deadline(kind="check-in", due_on=on, at=state.moment(on)))
    expiry = expires_on(state)
    if expiry is not None:
        found.append(Deadline(kind="expiry", due_on=expiry, at=state.moment(expiry)))
    return min(found, key=lambda d: (d.due_on, d.kind, d.trajectory_id or ""), default=None)


def _check_horizon(expected_on: date, now: datetime, stream_id: str) -> None:
    day = today(now)
    if expected_on <= day:
        raise RuleViolation(
            N_("the expected date {expected_on} is not in the future: a future job lies ahead"),
            expected_on=expected_on,
            stream_id=stream_id,
        )
    if expected_on > add_months(day, MAX_FORECAST_MONTHS):
        raise RuleViolation(
            N_(
                "the expected date {expected_on} is more than {months} months ahead "
                "(after {day}); only jobs expected within two years count as future jobs"
            ),
            expected_on=expected_on,
            months=MAX_FORECAST_MONTHS,
            day=add_months(day, MAX_FORECAST_MONTHS),
            stream_id=stream_id,
        )


def forecast(c: ForecastFutureJob, now: datetime) -> list[Draft]:
    _check_horizon(c.expected_on, now, c.future_job_id)
    if len(set(c.required_skills)) != len(c.required_skills):
        raise RuleViolation(N_("a required skill is named twice"), stream_id=c.future_job_id)
    return [
        (
            FutureJobForecast,
            {
                "employer_id": c.employer_id,
                "function": c.function,
                "jobs": c.jobs,
                "expected_on": c.expected_on,
                "required_skills": c.required_skills,
                "commitment": c.commitment,
                "day": c.day,
                "touchpoints": c.touchpoints,
            },
        )
    ]


def attach(s: FutureJob, c: AttachCandidate) -> list[Draft]:
    if c.trajectory_id in s.attached:
        raise RuleViolation(
            N_("trajectory {trajectory_id} already learns towards this future job"),
            trajectory_id=c.trajectory_id,
            stream_id=s.future_job_id,
        )
    if c.trajectory_id in s.filled:
        raise RuleViolation(
            N_("trajectory {trajectory_id} already took a place here"),
            trajectory_id=c.trajectory_id,
            stream_id=s.future_job_id,
        )
    if s.free_places == 0:
        raise NoPlaceLeft(
            N_(
                "no place left: {jobs} job(s), {filled} filled, {promised} promised "
                "to candidates learning towards it"
            ),
            jobs=s.jobs,
            filled=len(s.filled),
            promised=len(s.attached),
            stream_id=s.future_job_id,
        )
    return [(CandidateAttached, {"trajectory_id": c.trajectory_id})]


def detach(s: FutureJob, c: DetachCandidate) -> list[Draft]:
    must_be_attached(s, c.trajectory_id)
    return [(CandidateDetached, {"trajectory_id": c.trajectory_id, "reason": c.reason})]


def fill(s: FutureJob, c: FillPlace, now: datetime) -> list[Draft]:
    must_be_attached(s, c.trajectory_id)
    if c.started_on > s.today(now):
        raise RuleViolation(
            N_("the job starts on {started_on}: record the place once it has started"),
            started_on=c.started_on,
            stream_id=s.future_job_id,
        )
    # An open future job has a place left: the last one filled, or a reduction to the filled
    # ones, closes it (`FutureJobFilled`), and `decide` refuses a closed one.
    drafts: list[Draft] = [
        (PlaceFilled, {"trajectory_id": c.trajectory_id, "started_on": c.started_on})
    ]
    if s.places_left == 1:
        drafts.append((FutureJobFilled, {}))
    return drafts


def reduce(s: FutureJob, c: ReduceJobs) -> list[Draft]:
    if c.jobs >= s.jobs:
        raise RuleViolation(
            N_("it has {jobs} job(s); a reduction offers fewer (more places are a new forecast)"),
            jobs=s.jobs,
            stream_id=s.future_job_id,
        )
    if c.jobs < len(s.filled):
        raise RuleViolation(
            N_("{filled} of its places are filled already; it cannot offer fewer"),
            filled=len(s.filled),
            stream_id=s.future_job_id,
        )
    without_place = max(0, len(s.filled) + len(s.attached) - c.jobs)
    drafts: list[Draft] = [
        (
            JobsReduced,
            {
                "jobs": c.jobs,
                "previous_jobs": s.jobs,
                "reason": c.reason,
                "without_place": without_place,
                "attached": s.attached,
            },
        )
    ]
    if c.jobs == len(s.filled):
        drafts.append((FutureJobFilled, {}))
    return drafts


def change_commitment(s: FutureJob, c: ChangeCommitment) -> list[Draft]:
    if c.commitment == s.commitment:
        raise RuleViolation(
            N_("the commitment is already {commitment}"),
            commitment=s.commitment.value,
            stream_id=s.future_job_id,
        )
    return [(CommitmentChanged, {"commitment": c.commitment, "reason": c.reason})]


def move_date(s: FutureJob, c: MoveExpectedDate, now: datetime) -> list[Draft]:
    if c.expected_on == s.expected_on:
        raise RuleViolation(
            N_("the expected date is already {expected_on}"),
            expected_on=s.expected_on,
            stream_id=s.future_job_id,
        )
    _check_horizon(c.expected_on, now, s.future_job_id)
    return [(ExpectedDateMoved, {"expected_on": c.expected_on, "reason": c.reason})]


def withdraw(s: FutureJob, c: WithdrawFutureJob) -> list[Draft]:
    return [(FutureJobWithdrawn, {"reason": c.reason, "attached": s.attached})]


def expire(s: FutureJob, c: ReachExpiry, now: datetime) -> list[Draft]:
    due = expires_on(s)
    if due is None or due != c.due_on or s.today(now) < due:
        raise RuleViolation(
            N_("the future job does not expire on {due_on} (its expiry: {expiry})"),
            due_on=c.due_on,
            expiry=due or Phrase(N_("none")),
            stream_id=s.future_job_id,
        )
    return [(FutureJobExpired, {"due_on": c.due_on})]


def must_be_attached(s: FutureJob, tid: str) -> None:
    if tid not in s.attached:
        raise RuleViolation(
            N_("trajectory {tid} does not learn towards this future job"),
            tid=tid,
            stream_id=s.future_job_id,
        )
