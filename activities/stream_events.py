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

from domain import employer, future_job, people, task
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


class TaskEvents(_Message):
    events: list[task.AnyEvent]


class Responsible(_Message):
    """Who takes a task up, and whom it climbs to if they leave it."""

    assignee_id: str
    route: tuple[str, ...]


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

    @activity.defn(name="append_task_events")
    async def append_task_events(self, request: TaskEvents) -> TaskEvents:
        return TaskEvents(events=await self._append(request.events))

    @activity.defn(name="responsible_for_employer")
    async def responsible_for_employer(self, employer_id: str) -> Responsible:
        """The employer's account manager, and the line above them in the directory."""
        events = await self._store.read(employer_id)
        boss = employer.fold(e for e in events if isinstance(e, employer.Event))
        if boss is None:
            raise ApplicationError(
                f"no employer {employer_id}", type="unknown-employer", non_retryable=True
            )
        return await self._route_of(boss.account_manager_id)

    @activity.defn(name="responsible_person")
    async def responsible_person(self, person_id: str) -> Responsible:
        """`person_id`, and the line above them in the directory."""
        return await self._route_of(person_id)

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
