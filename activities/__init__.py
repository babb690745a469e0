"""All I/O of the trajectories: the PostgreSQL event store and the activities that write it."""

from .chain import UnreadableEvent
from .event_store import EventConflict, EventGap, EventStoreError, PostgresEventStore
from .migrations import migrate_database
from .schema import MIGRATIONS
from .trajectory_events import AppendEvents, AppendResult, TrajectoryEventActivities

__all__ = [
    "MIGRATIONS",
    "AppendEvents",
    "AppendResult",
    "EventConflict",
    "EventGap",
    "EventStoreError",
    "PostgresEventStore",
    "TrajectoryEventActivities",
    "UnreadableEvent",
    "migrate_database",
]
