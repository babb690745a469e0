"""The state of a future job: the fold of its events. `evolve` trusts them (they were
decided); `decide` is where the rules are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import assert_never

from ..shared import NonEmpty, OpaqueId, Value
from ..trajectory import Commitment
from ._events import (
    AnyEvent,
    CandidateAttached,
    CandidateDetached,
    CommitmentChanged,
    ExpectedDateMoved,
    FutureJobExpired,
    FutureJobFilled,
    FutureJobForecast,
    FutureJobWithdrawn,
    JobsReduced,
    PlaceFilled,
)
from ._values import FutureJobStatus


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
    version: int
    forecast_at: datetime
    updated_at: datetime

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
        )
    if state is None:
        raise ValueError(f"{event.type} before the future job was forecast")
    common: dict[str, object] = {"version": event.version, "updated_at": event.occurred_at}
    changes: dict[str, object]
    match event:
        case CandidateAttached():
            changes = {"attached": (*state.attached, event.trajectory_id)}
        case CandidateDetached():
            changes = {"attached": _without(state.attached, event.trajectory_id)}
        case PlaceFilled():
            changes = {
                "attached": _without(state.attached, event.trajectory_id),
                "filled": (*state.filled, event.trajectory_id),
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
        case FutureJobForecast():  # pragma: no cover - handled above
            raise AssertionError
        case _:
            assert_never(event)
    return state.model_copy(update={**changes, **common})


def fold(events: Iterable[AnyEvent], state: FutureJob | None = None) -> FutureJob | None:
    for event in events:
        state = evolve(state, event)
    return state


def _without(ids: tuple[str, ...], tid: str) -> tuple[str, ...]:
    return tuple(i for i in ids if i != tid)
