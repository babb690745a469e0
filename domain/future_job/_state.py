"""The state of a future job: the fold of its events. `evolve` trusts them (they were
decided); `decide` is where the rules are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import assert_never

from pydantic import Field

from ..shared import REAL_DAY, NonEmpty, OpaqueId, Value, clock_moment, clock_today
from ..trajectory import Commitment
from ._events import (
    AnyEvent,
    CandidateAttached,
    CandidateDetached,
    ChaseEscalated,
    ChaseMoved,
    ChaseStep,
    CommitmentAnswered,
    CommitmentChanged,
    CommitmentRequested,
    EmployerCheckedIn,
    EmployerReminded,
    EvaluationInvited,
    ExpectedDateMoved,
    FutureJobExpired,
    FutureJobFilled,
    FutureJobForecast,
    FutureJobWithdrawn,
    JobsReduced,
    LearningPlanned,
    PlaceFilled,
)
from ._values import ChasePurpose, CommitmentAnswer, FutureJobStatus, Touchpoints


class Chase(Value):
    """One request for a commitment and how far its chase has come."""

    requested_on: date
    pending: tuple[ChaseStep, ...]
    """The steps still to come, in order; empty once answered or escalated."""
    reminders_sent: int = 0
    escalated: bool = False
    answer: CommitmentAnswer | None = None
    purpose: ChasePurpose = ChasePurpose.COMMITMENT
    job_on: date | None = None


class LearningPlan(Value):
    """When a candidate's learning ends, and when the employer is asked about the job."""

    ends_on: date
    confirm_on: date
    asked: bool = False


class FutureJob(Value):
    future_job_id: OpaqueId
    employer_id: OpaqueId
    function: NonEmpty
    jobs: int
    expected_on: date
    required_skills: tuple[NonEmpty, ...]
    commitment: Commitment
    status: FutureJobStatus = FutureJobStatus.OPEN
    attached: tuple[OpaqueId, ...] = ()
    """The trajectories learning towards it, in the order they came."""
    filled: tuple[OpaqueId, ...] = ()
    """The trajectories whose candidate started in one of its jobs."""
    chases: dict[str, Chase] = Field(default_factory=dict)
    """The requests for a commitment, by trajectory."""
    version: int
    forecast_at: datetime
    updated_at: datetime
    day: timedelta = REAL_DAY
    """How long a day lasts on its clock (`ForecastFutureJob.day`)."""
    touchpoints: Touchpoints | None = None
    learning: dict[str, LearningPlan] = Field(default_factory=dict)
    """By trajectory: when its learning ends and the vacancy is confirmed."""
    next_check_in_on: date | None = None

    def today(self, now: datetime) -> date:
        """The day it is on its clock."""
        return clock_today(now, self.forecast_at, self.day)

    def moment(self, on: date) -> datetime:
        """When `on` comes on its clock (9:00 in Amsterdam on a real day)."""
        return clock_moment(on, self.forecast_at, self.day)

    @property
    def closed(self) -> bool:
        return self.status is not FutureJobStatus.OPEN

    @property
    def places_left(self) -> int:
        """Jobs not yet filled (whether or not a candidate learns towards them)."""
        return max(0, self.jobs - len(self.filled))

    @property
    def free_places(self) -> int:
        """Places nobody learns towards yet: what another candidate can be attached to."""
        return max(0, self.jobs - len(self.filled) - len(self.attached))

    @property
    def without_place(self) -> int:
        """Candidates learning towards it beyond its places (after a reduction)."""
        return max(0, len(self.filled) + len(self.attached) - self.jobs)


def evolve(state: FutureJob | None, event: AnyEvent) -> FutureJob:
    if isinstance(event, FutureJobForecast):
        return FutureJob(
            future_job_id=event.future_job_id,
            employer_id=event.employer_id,
            function=event.function,
            jobs=event.jobs,
            expected_on=event.expected_on,
            required_skills=event.required_skills,
            commitment=event.commitment,
            version=event.version,
            forecast_at=event.occurred_at,
            updated_at=event.occurred_at,
            day=event.day,
            touchpoints=event.touchpoints,
        )
    if state is None:
        raise ValueError(f"{event.type} before the future job was forecast")
    common: dict[str, object] = {"version": event.version, "updated_at": event.occurred_at}
    changes: dict[str, object]
    match event:
        case CandidateAttached():
            changes = {"attached": (*state.attached, event.trajectory_id)}
            weeks = state.touchpoints.check_in_weeks if state.touchpoints else None
            if state.next_check_in_on is None and weeks is not None:
                first = state.today(event.occurred_at) + timedelta(weeks=weeks)
                changes["next_check_in_on"] = first
        case CandidateDetached():
            changes = {
                "attached": _without(state.attached, event.trajectory_id),
                "chases": _unchased(state, event.trajectory_id),
                "learning": _unplanned(state, event.trajectory_id),
            }
        case PlaceFilled():
            changes = {
                "attached": _without(state.attached, event.trajectory_id),
                "filled": (*state.filled, event.trajectory_id),
                "chases": _unchased(state, event.trajectory_id),
                "learning": _unplanned(state, event.trajectory_id),
            }
        case JobsReduced():
            changes = {"jobs": event.jobs}
        case CommitmentChanged():
            changes = {"commitment": event.commitment}
        case ExpectedDateMoved():
            changes = {"expected_on": event.expected_on}
        case FutureJobFilled():
            changes = {"status": FutureJobStatus.FILLED}
        case FutureJobWithdrawn():
            changes = {"status": FutureJobStatus.WITHDRAWN, "attached": ()}
        case FutureJobExpired():
            changes = {"status": FutureJobStatus.EXPIRED}
        case CommitmentRequested():
            chase = Chase(
                requested_on=event.requested_on, pending=event.steps, purpose=event.purpose,
                job_on=event.job_on,
            )  # fmt: skip
            changes = {"chases": {**state.chases, event.trajectory_id: chase}}
            plan = state.learning.get(event.trajectory_id)
            if event.purpose is ChasePurpose.VACANCY and plan is not None:
                asked = plan.model_copy(update={"asked": True})
                changes["learning"] = {**state.learning, event.trajectory_id: asked}
        case LearningPlanned():
            plan = LearningPlan(ends_on=event.ends_on, confirm_on=event.confirm_on)
            changes = {"learning": {**state.learning, event.trajectory_id: plan}}
        case EvaluationInvited():
            changes = {}
        case EmployerCheckedIn():
            changes = {"next_check_in_on": event.next_on}
        case CommitmentAnswered():
            changes = _chase(state, event.trajectory_id, pending=(), answer=event.answer)
        case ChaseMoved():
            changes = _chase(state, event.trajectory_id, pending=event.steps)
        case EmployerReminded():
            chase = state.chases[event.trajectory_id]
            changes = _chase(
                state, event.trajectory_id, pending=chase.pending[1:],
                reminders_sent=event.reminder,
            )  # fmt: skip
        case ChaseEscalated():
            changes = _chase(state, event.trajectory_id, pending=(), escalated=True)
        case FutureJobForecast():  # pragma: no cover - handled above
            raise AssertionError
        case _:
            assert_never(event)
    return state.model_copy(update={**changes, **common})


def fold(events: Iterable[AnyEvent], state: FutureJob | None = None) -> FutureJob | None:
    for event in events:
        state = evolve(state, event)
    return state


def _chase(state: FutureJob, tid: str, **update: object) -> dict[str, object]:
    chase = state.chases[tid].model_copy(update=update)
    return {"chases": {**state.chases, tid: chase}}


def _unchased(state: FutureJob, tid: str) -> dict[str, Chase]:
    """The chases without `tid`'s: nobody asks an employer about a candidate who left."""
    return {k: v for k, v in state.chases.items() if k != tid}


def _unplanned(state: FutureJob, tid: str) -> dict[str, LearningPlan]:
    return {k: v for k, v in state.learning.items() if k != tid}


def _without(ids: tuple[str, ...], tid: str) -> tuple[str, ...]:
    return tuple(i for i in ids if i != tid)
