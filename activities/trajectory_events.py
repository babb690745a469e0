"""The trajectory's one effect on the world: its events appended to PostgreSQL."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.exceptions import ApplicationError

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


class TrajectoryEventActivities:
    """Activities that write events; safe to retry because appends are idempotent."""

    def __init__(self, store: PostgresEventStore) -> None:
        self._store = store

    @activity.defn(name="append_events")
    async def append_events(self, request: AppendEvents) -> AppendResult:
        try:
            stored = await self._store.append(request.events)
        except (EventConflict, EventGap) as err:
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
