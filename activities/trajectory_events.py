"""The trajectory's one effect on the world: its events appended to PostgreSQL."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.streams import as_trajectory_event
from domain.trajectory import AnyEvent

from .event_store import EventConflict, EventGap, PostgresEventStore


class AppendEvents(BaseModel):
    """The events one command decided, in version order, all of one trajectory."""

    # hide_input_in_errors: a validation error must not echo a name or BSN into a log.
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    trajectory_id: str
    events: list[AnyEvent]


class AppendResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    stored: int
    already_stored: int
    events: list[AnyEvent] | None = None
    """The events already stored for this same decision, when they differ from the ones
    sent (None: the ones sent are what is stored). See `append_events`."""


class TrajectoryEventActivities:
    """Activities that write events; safe to retry because appends are idempotent."""

    def __init__(self, store: PostgresEventStore) -> None:
        self._store = store

    @activity.defn(name="append_events")
    async def append_events(self, request: AppendEvents) -> AppendResult:
        try:
            stored = await self._store.append(request.events)
        except EventConflict as err:
            earlier = await self._same_decision(request)
            if earlier is None:
                raise ApplicationError(str(err), type="EventConflict", non_retryable=True) from err
            return AppendResult(stored=0, already_stored=len(earlier), events=earlier)
        except EventGap as err:
            # Retrying cannot help: the stream and the workflow disagree on history.
            raise ApplicationError(str(err), type=type(err).__name__, non_retryable=True) from err
        activity.logger.debug(  # not on the hot path: the events themselves are the record
            "events appended",
            extra={
                "first_version": request.events[0].version if request.events else None,
                "event_types": [e.type for e in request.events],
                "stored": stored,
            },
        )
        return AppendResult(stored=stored, already_stored=len(request.events) - stored)

    async def _same_decision(self, request: AppendEvents) -> list[AnyEvent] | None:
        """The stored events at these versions, if they are this same decision taken before.

        A local append can store its events and the worker die before the workflow task that
        ran it is recorded; the retried task decides again, at a later `workflow.now()`. Its
        events are then the same command's (same request id, same types, same versions),
        stamped later. The stored ones are what happened: the workflow goes on with them.
        """
        first, last = request.events[0].version, request.events[-1].version
        stored = await self._store.read(
            request.trajectory_id, after_version=first - 1, until_version=last
        )
        if [(e.version, e.type, e.request_id, e.actor) for e in stored] != [
            (e.version, e.type, e.request_id, e.actor) for e in request.events
        ]:
            return None
        return [as_trajectory_event(e) for e in stored]
