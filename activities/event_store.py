"""The PostgreSQL event store: one append-only table, idempotent appends.

Appends are keyed by (stream, version): storing the same events again is a no-op, storing
different events at a taken version is a conflict, and a version may not skip ahead. Inside
the append transaction the table is locked in EXCLUSIVE mode, so global positions are handed
out in commit order: a reader tailing by position never sees a later position commit before
an earlier one (the reasoning of the eventsourcing library's PostgreSQL recorder).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import asyncpg

from domain import AnyEvent, load_event

from .migrations import migrate


class EventStoreError(Exception):
    """Base of the store's errors; each names the stream and version it is about."""

    def __init__(self, message: str, *, stream_id: str, version: int) -> None:
        super().__init__(message)
        self.stream_id = stream_id
        self.version = version


class EventConflict(EventStoreError):
    """A different event is already stored at this (stream, version)."""


class EventGap(EventStoreError):
    """The events would leave a hole in the stream's versions."""


class PostgresEventStore:
    """Events of every trajectory in one table, read back as domain events."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def connect(
        cls, dsn: str, *, min_size: int = 1, max_size: int = 10
    ) -> PostgresEventStore:
        """A store on a new pool, with the schema brought up to date."""
        pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size)
        assert pool is not None
        store = cls(pool)
        await store.migrate()
        return store

    @property
    def pool(self) -> asyncpg.Pool:
        return self._pool

    async def close(self) -> None:
        await self._pool.close()

    async def migrate(self) -> list[str]:
        async with self._pool.acquire() as conn:
            return await migrate(conn)

    async def append(self, events: Sequence[AnyEvent]) -> int:
        """Store `events` of one stream, in order; returns how many were new.

        Raises:
            EventConflict: another event is stored at one of these versions.
            EventGap: the first new version does not follow the stream's last one.
        """
        if not events:
            return 0
        stream_id = events[0].trajectory_id
        if any(e.trajectory_id != stream_id for e in events):
            raise ValueError("one append holds the events of one stream")
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
            rows = await conn.fetch(
                "SELECT version, payload FROM events WHERE stream_id = $1 AND version >= $2",
                stream_id,
                events[0].version,
            )
            stored = {r["version"]: json.loads(r["payload"]) for r in rows}
            last = await conn.fetchval(
                "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1", stream_id
            )
            new: list[tuple[Any, ...]] = []
            expected = last + 1
            for event in events:
                payload = event.model_dump(mode="json")
                if event.version in stored:
                    if stored[event.version] != payload:
                        raise EventConflict(
                            f"stream {stream_id} already has a different event at version "
                            f"{event.version}",
                            stream_id=stream_id,
                            version=event.version,
                        )
                    continue
                if event.version != expected:
                    raise EventGap(
                        f"stream {stream_id} is at version {expected - 1}; "
                        f"version {event.version} would leave a gap",
                        stream_id=stream_id,
                        version=event.version,
                    )
                expected += 1
                new.append(
                    (
                        stream_id,
                        event.version,
                        event.type,
                        event.schema_version,
                        event.occurred_at,
                        event.actor,
                        json.dumps(payload),
                    )
                )
            if new:
                await conn.executemany(
                    "INSERT INTO events (stream_id, version, event_type, schema_version, "
                    "occurred_at, actor, payload) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
                    new,
                )
            return len(new)

    async def read(self, stream_id: str, *, after_version: int = 0) -> list[AnyEvent]:
        """The events of one stream, in version order, upcast to their current shape."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT payload FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version",
                stream_id,
                after_version,
            )
        return [load_event(json.loads(r["payload"])) for r in rows]

    async def stream_ids(self) -> list[str]:
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT stream_id FROM events WHERE version = 1 ORDER BY position"
            )
        return [r["stream_id"] for r in rows]
