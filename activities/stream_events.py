"""The new aggregates' one shared effect: their events appended to the event store, and what
their workflows read back (who is responsible, and whom a task climbs to).

One activity per aggregate, so each carries its own event type; one implementation. Safe to
retry: appends are keyed by stream and version, and a decision stored before a crash is
found again (`_same_decision`), as for the trajectory.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain import cohort, employer, future_job, matching, people, task, trajectory
from domain.shared import N_
from domain.streams import DomainEvent

from .event_store import EventConflict, EventGap, PostgresEventStore


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class FutureJobEvents(_Message):
    events: list[future_job.AnyEvent]


class EmployerEvents(_Message):
    events: list[employer.AnyEvent]


class PeopleEvents(_Message):
    events: list[people.AnyEvent]


class MatchingEvents(_Message):
    events: list[matching.AnyEvent]


class TaskEvents(_Message):
    events: list[task.AnyEvent]


class CohortEvents(_Message):
    events: list[cohort.AnyEvent]


class Responsible(_Message):
    """Who takes a task up, and whom it climbs to if they leave it."""

    assignee_id: str
    route: tuple[str, ...]


class FallbackRequest(_Message):
    future_job_id: str
    lost: list[str]
    """The trajectories that lost their place on it."""


class Fallback(_Message):
    """For one candidate who lost their place: whose task it is and what is proposed."""

    trajectory_id: str
    responsible: Responsible
    proposals: tuple[future_job.Proposal, ...]


async def read_future_job(store: PostgresEventStore, future_job_id: str) -> future_job.FutureJob:
    """A future job folded from its stream; a non-retryable failure if there is none."""
    events = await store.read(future_job_id)
    state = future_job.fold(e for e in events if isinstance(e, future_job.Event))
    if state is None:
        raise ApplicationError(
            f"no future job {future_job_id}",
            N_("no future job {future_job_id}"),
            {"future_job_id": future_job_id},
            type="unknown",
            non_retryable=True,
        )
    return state


async def read_employer(store: PostgresEventStore, employer_id: str) -> employer.Employer:
    """An employer folded from its stream; a non-retryable failure if there is none."""
    events = await store.read(employer_id)
    boss = employer.fold(e for e in events if isinstance(e, employer.Event))
    if boss is None:
        raise ApplicationError(
            f"no employer {employer_id}",
            N_("no employer {employer_id}"),
            {"employer_id": employer_id},
            type="unknown",
            non_retryable=True,
        )
    return boss


class StreamEventActivities:
    def __init__(self, store: PostgresEventStore) -> None:
        self._store = store

    @activity.defn(name="append_future_job_events")
    async def append_future_job_events(self, request: FutureJobEvents) -> FutureJobEvents:
        return FutureJobEvents(events=await self._append(request.events))

    @activity.defn(name="append_employer_events")
    async def append_employer_events(self, request: EmployerEvents) -> EmployerEvents:
        return EmployerEvents(events=await self._append(request.events))

    @activity.defn(name="append_people_events")
    async def append_people_events(self, request: PeopleEvents) -> PeopleEvents:
        return PeopleEvents(events=await self._append(request.events))

    @activity.defn(name="append_matching_events")
    async def append_matching_events(self, request: MatchingEvents) -> MatchingEvents:
        return MatchingEvents(events=await self._append(request.events))

    @activity.defn(name="append_task_events")
    async def append_task_events(self, request: TaskEvents) -> TaskEvents:
        return TaskEvents(events=await self._append(request.events))

    @activity.defn(name="append_cohort_events")
    async def append_cohort_events(self, request: CohortEvents) -> CohortEvents:
        return CohortEvents(events=await self._append(request.events))

    @activity.defn(name="responsible_for_employer")
    async def responsible_for_employer(self, employer_id: str) -> Responsible:
        """The employer's account manager, and the line above them in the directory."""
        boss = await self._employer(employer_id)
        return await self._route_of(boss.account_manager_id)

    @activity.defn(name="responsible_person")
    async def responsible_person(self, person_id: str) -> Responsible:
        """`person_id`, and the line above them in the directory."""
        return await self._route_of(person_id)

    @activity.defn(name="fallback_for")
    async def fallback_for(self, request: FallbackRequest) -> list[Fallback]:
        """The other open future jobs with a free place for each candidate who lost theirs,
        ranked (`domain.future_job.propose`), and the coach who decides."""
        lost = await self._future_job(request.future_job_id)
        sectors: dict[str, str] = {}
        boss = await self._employer(lost.employer_id)
        sectors[boss.employer_id] = boss.sector
        openings = []
        for stream_id in await self._store.pool.fetch(
            "SELECT stream_id FROM events WHERE event_type = 'FutureJobForecast' ORDER BY position"
        ):
            job = await self._future_job(stream_id["stream_id"])
            if job.closed or job.free_places < 1 or job.future_job_id == lost.future_job_id:
                continue
            if job.employer_id not in sectors:
                sectors[job.employer_id] = (await self._employer(job.employer_id)).sector
            openings.append(future_job.Opening(job=job, sector=sectors[job.employer_id]))
        proposals = future_job.propose(lost, boss.sector, openings)
        found = []
        for trajectory_id in request.lost:
            events = [
                e for e in await self._store.read(trajectory_id) if isinstance(e, trajectory.Event)
            ]
            state = trajectory.fold(events) if events else None  # type: ignore[arg-type]
            # The coach decides; without a trajectory on record, the account manager.
            person = state.coach_id if state is not None else boss.account_manager_id
            found.append(
                Fallback(
                    trajectory_id=trajectory_id,
                    responsible=await self._route_of(person),
                    proposals=proposals,
                )
            )
        return found

    async def _future_job(self, future_job_id: str) -> future_job.FutureJob:
        return await read_future_job(self._store, future_job_id)

    async def _employer(self, employer_id: str) -> employer.Employer:
        return await read_employer(self._store, employer_id)

    async def _route_of(self, person_id: str) -> Responsible:
        events = await self._store.read(people.DIRECTORY_ID)
        directory = people.fold(e for e in events if isinstance(e, people.Event))
        # Someone not (or no longer) in the directory keeps the task: it climbs nowhere.
        return Responsible(assignee_id=person_id, route=tuple(directory.chain_of(person_id)))

    async def _append(self, events: Sequence[DomainEvent]) -> list[DomainEvent]:
        """The events as stored: these, or the same decision's taken before a crash."""
        try:
            await self._store.append(events)
        except EventConflict as err:
            earlier = await self._same_decision(events)
            if earlier is None:
                raise ApplicationError(str(err), type="EventConflict", non_retryable=True) from err
            return earlier
        except EventGap as err:
            raise ApplicationError(str(err), type="EventGap", non_retryable=True) from err
        return list(events)

    async def _same_decision(self, events: Sequence[DomainEvent]) -> list[DomainEvent] | None:
        first, last = events[0].version, events[-1].version
        stored = await self._store.read(
            events[0].stream_id, after_version=first - 1, until_version=last
        )
        if [(e.version, e.type, e.request_id, e.actor) for e in stored] != [
            (e.version, e.type, e.request_id, e.actor) for e in events
        ]:
            return None
        return stored
