"""The rules of a future job, one function per command: each returns what to record, as
(event type, fields) pairs that `decide` numbers and stamps, or raises a `DomainError`."""

from __future__ import annotations

from datetime import date, datetime, time

from ..shared import COACH_TIME_ZONE, RuleViolation, add_months
from ..trajectory import MAX_FORECAST_MONTHS
from ._commands import (
    AttachCandidate,
    ChangeCommitment,
    DetachCandidate,
    FillPlace,
    ForecastFutureJob,
    MoveExpectedDate,
    ReachExpiry,
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
from ._values import EXPIRES_AFTER_MONTHS

Draft = tuple[type[Event], dict[str, object]]


def today(now: datetime) -> date:
    """The day it is where the coaches are."""
    return now.astimezone(COACH_TIME_ZONE).date()


def expires_on(state: FutureJob) -> date | None:
    """When the future job expires: only while open and nobody learns towards it."""
    if state.closed or state.attached:
        return None
    return add_months(state.expected_on, EXPIRES_AFTER_MONTHS)


def next_deadline(state: FutureJob | None) -> datetime | None:
    """The moment its own clock must act (`ReachExpiry`): 9:00 in Amsterdam that day."""
    due = expires_on(state) if state is not None else None
    return None if due is None else datetime.combine(due, time(9), COACH_TIME_ZONE)


def _check_horizon(expected_on: date, now: datetime, stream_id: str) -> None:
    day = today(now)
    if expected_on <= day:
        raise RuleViolation(
            f"the expected date {expected_on} is not in the future: a future job lies ahead",
            stream_id=stream_id,
        )
    if expected_on > add_months(day, MAX_FORECAST_MONTHS):
        raise RuleViolation(
            f"the expected date {expected_on} is more than {MAX_FORECAST_MONTHS} months ahead "
            f"(after {add_months(day, MAX_FORECAST_MONTHS)}); only jobs expected within two "
            "years count as future jobs",
            stream_id=stream_id,
        )


def forecast(c: ForecastFutureJob, now: datetime) -> list[Draft]:
    _check_horizon(c.expected_on, now, c.future_job_id)
    if len(set(c.required_skills)) != len(c.required_skills):
        raise RuleViolation("a required skill is named twice", stream_id=c.future_job_id)
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
            },
        )
    ]


def attach(s: FutureJob, c: AttachCandidate) -> list[Draft]:
    if c.trajectory_id in s.attached:
        raise RuleViolation(
            f"trajectory {c.trajectory_id} already learns towards this future job",
            stream_id=s.future_job_id,
        )
    if c.trajectory_id in s.filled:
        raise RuleViolation(
            f"trajectory {c.trajectory_id} already took a place here", stream_id=s.future_job_id
        )
    if s.free_places == 0:
        raise NoPlaceLeft(
            f"no place left: {s.jobs} job(s), {len(s.filled)} filled, {len(s.attached)} "
            "promised to candidates learning towards it",
            stream_id=s.future_job_id,
        )
    return [(CandidateAttached, {"trajectory_id": c.trajectory_id})]


def detach(s: FutureJob, c: DetachCandidate) -> list[Draft]:
    _must_be_attached(s, c.trajectory_id)
    return [(CandidateDetached, {"trajectory_id": c.trajectory_id, "reason": c.reason})]


def fill(s: FutureJob, c: FillPlace, now: datetime) -> list[Draft]:
    _must_be_attached(s, c.trajectory_id)
    if c.started_on > today(now):
        raise RuleViolation(
            f"the job starts on {c.started_on}: record the place once it has started",
            stream_id=s.future_job_id,
        )
    if s.places_left == 0:
        raise NoPlaceLeft(f"every one of its {s.jobs} job(s) is filled", stream_id=s.future_job_id)
    drafts: list[Draft] = [
        (PlaceFilled, {"trajectory_id": c.trajectory_id, "started_on": c.started_on})
    ]
    if s.places_left == 1:
        drafts.append((FutureJobFilled, {}))
    return drafts


def reduce(s: FutureJob, c: ReduceJobs) -> list[Draft]:
    if c.jobs >= s.jobs:
        raise RuleViolation(
            f"it has {s.jobs} job(s); a reduction offers fewer (more places are a new forecast)",
            stream_id=s.future_job_id,
        )
    if c.jobs < len(s.filled):
        raise RuleViolation(
            f"{len(s.filled)} of its places are filled already; it cannot offer fewer",
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
            f"the commitment is already {s.commitment.value}", stream_id=s.future_job_id
        )
    return [(CommitmentChanged, {"commitment": c.commitment, "reason": c.reason})]


def move_date(s: FutureJob, c: MoveExpectedDate, now: datetime) -> list[Draft]:
    if c.expected_on == s.expected_on:
        raise RuleViolation(
            f"the expected date is already {s.expected_on}", stream_id=s.future_job_id
        )
    _check_horizon(c.expected_on, now, s.future_job_id)
    return [(ExpectedDateMoved, {"expected_on": c.expected_on, "reason": c.reason})]


def withdraw(s: FutureJob, c: WithdrawFutureJob) -> list[Draft]:
    return [(FutureJobWithdrawn, {"reason": c.reason, "attached": s.attached})]


def expire(s: FutureJob, c: ReachExpiry, now: datetime) -> list[Draft]:
    due = expires_on(s)
    if due is None or due != c.due_on or today(now) < due:
        raise RuleViolation(
            f"the future job does not expire on {c.due_on} (its expiry: {due or 'none'})",
            stream_id=s.future_job_id,
        )
    return [(FutureJobExpired, {"due_on": c.due_on})]


def _must_be_attached(s: FutureJob, tid: str) -> None:
    if tid not in s.attached:
        raise RuleViolation(
            f"trajectory {tid} does not learn towards this future job",
            stream_id=s.future_job_id,
        )
