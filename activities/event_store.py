"""The PostgreSQL event store: one append-only, hash-chained table, idempotent appends.

Appends are keyed by (stream, version): storing the same events again is a no-op, storing
different events at a taken version is a conflict, and a version may not skip ahead. Every
append holds one transaction-scoped advisory lock, so appends run one at a time: positions
are max + 1, gap-free, and committed in order, and a reader tailing by position never sees a
later position commit before an earlier one (the reasoning of the eventsourcing library's
PostgreSQL recorder, which takes `LOCK TABLE ... IN EXCLUSIVE MODE` for it; that lock needs
UPDATE, DELETE or TRUNCATE privileges, which the application's role must not have).

The application connects as `nbm_app` (SELECT and INSERT only). Migrations run apart, as the
schema owner: `activities.migrations.migrate_database(owner_url)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Protocol

import asyncpg

from domain.streams import DomainEvent

from .chain import (
    ZERO_HASH,
    LinkRow,
    StoredEvent,
    canonical_json,
    read_event,
    seal,
)

NOTIFY_CHANNEL = "nbm_events"
"""Notified (payload: the last new position) by every append that stored something."""

# Any constant works; every appender must use the same one.
_APPEND_LOCK = 0x4E424D45  # "NBME"

_COLUMNS = ", ".join(StoredEvent.model_fields)  # a row becomes StoredEvent(**row)


async def _end_transaction(conn: asyncpg.Connection) -> None:
    """The reset of the store's own pool, when a connection goes back: end a transaction
    left open, and nothing else. The store keeps no session state (its lock is a
    transaction's, it neither LISTENs nor SETs), so asyncpg's full reset (unlock, close,
    unlisten, reset all) would only cost every append one more round trip."""
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


class _LinkRecord(asyncpg.Record):
    """PostgreSQL's row of `read_links` as a `LinkRow`: its fields by name as well, so no
    tuple is built per row (a twelve-field tuple per row cost `verify --all` a third of
    its reads)."""

    position = property(itemgetter(0))
    stream_id = property(itemgetter(1))
    version = property(itemgetter(2))
    event_type = property(itemgetter(3))
    schema_version = property(itemgetter(4))
    stamp = property(itemgetter(5))
    actor = property(itemgetter(6))
    payload = property(itemgetter(7))
    prev_hash = property(itemgetter(8))
    hash = property(itemgetter(9))
    global_prev_hash = property(itemgetter(10))
    global_hash = property(itemgetter(11))


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


class SchemaMissing(Exception):
    """The database has no events table: the migrations have not run."""


def plan_append(
    events: Sequence[DomainEvent],
    *,
    stored: Mapping[int, bytes],
    last_version: int,
    last_hash: bytes,
    head: tuple[int, bytes],
    recorded_at: datetime,
) -> list[StoredEvent]:
    """The rows to insert for `events`, given the stream's and the table's current state.

    Shared by every store, so they agree on conflicts, gaps and hashes.

    Args:
        events: one stream's events, in version order.
        stored: the canonical payloads already stored at the versions of `events`.
        last_version: the stream's last version (0 if new), `last_hash` its hash.
        head: the table's last position and its global hash.

    Raises:
        EventConflict: another event is stored at one of these versions.
        EventGap: the first new version does not follow the stream's last one.
    """
    stream_id = events[0].stream_id
    if any(e.stream_id != stream_id for e in events):
        raise ValueError("one append holds the events of one stream")
    position, global_prev = head
    prev_hash = last_hash
    expected = last_version + 1
    new: list[StoredEvent] = []
    for event in events:
        if event.version in stored:
            if stored[event.version] != canonical_json(event.model_dump(mode="json")):
                raise EventConflict(
                    f"stream {stream_id} already has a different event at version {event.version}",
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
        position += 1
        row = seal(
            event,
            position=position,
            prev_hash=prev_hash,
            global_prev_hash=global_prev,
            recorded_at=recorded_at,
        )
        new.append(row)
        prev_hash, global_prev, expected = row.hash, row.global_hash, expected + 1
    return new


class EventStore(Protocol):
    """What every store offers (the PostgreSQL one, the in-memory one): one contract."""

    async def append(self, events: Sequence[DomainEvent]) -> int: ...
    async def read(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        until_version: int | None = None,
        until: datetime | None = None,
    ) -> list[DomainEvent]: ...
    async def read_records(self, stream_id: str) -> list[StoredEvent]: ...
    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[StoredEvent]: ...
    async def read_links(self, after_position: int = 0, limit: int = 1000) -> Sequence[LinkRow]: ...
    async def head(self) -> tuple[int, bytes]: ...
    async def stream_heads(self) -> dict[str, tuple[int, bytes]]: ...
    async def stream_ids(self) -> list[str]: ...
    async def close(self) -> None: ...


class PostgresEventStore:
    """Events of every aggregate in one table, read back as domain events or stored rows."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def connect(
        cls, dsn: str, *, min_size: int = 1, max_size: int = 10
    ) -> PostgresEventStore:
        """A store on a new pool of its own (closed by `close`).

        Raises:
            SchemaMissing: the events table does not exist (the migrations have not run).
        """
        pool = await asyncpg.create_pool(
            dsn, min_size=min_size, max_size=max_size, reset=_end_transaction
        )
        assert pool is not None
        try:
            return await cls.on_pool(pool)
        except SchemaMissing:
            await pool.close()
            raise

    @classmethod
    async def on_pool(cls, pool: asyncpg.Pool) -> PostgresEventStore:
        """A store on a pool its caller owns.

        Raises:
            SchemaMissing: the events table does not exist (the migrations have not run).
        """
        if await pool.fetchval("SELECT to_regclass('events') IS NULL"):
            raise SchemaMissing(
                "the database has no events table: run the migrations as the schema owner "
                "(NBM_MIGRATION_DATABASE_URL)"
            )
        return cls(pool)

    @property
    def pool(self) -> asyncpg.Pool:
        return self._pool

    async def close(self) -> None:
        await self._pool.close()

    async def append(self, events: Sequence[DomainEvent]) -> int:
        """Store `events` of one stream, in order; returns how many were new.

        Raises:
            EventConflict: another event is stored at one of these versions.
            EventGap: the first new version does not follow the stream's last one.
        """
        if not events:
            return 0
        stream_id = events[0].stream_id
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                return await self._append(conn, stream_id, events)
        except asyncpg.UniqueViolationError as err:
            # Unreachable while every appender takes the lock; the primary key still decides.
            raise EventConflict(
                f"stream {stream_id} already has an event at one of these versions",
                stream_id=stream_id,
                version=events[0].version,
            ) from err

    async def _append(
        self, conn: asyncpg.Connection, stream_id: str, events: Sequence[DomainEvent]
    ) -> int:
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _APPEND_LOCK)
        # Read after the lock: in READ COMMITTED this statement sees the previous holder's rows.
        state = await conn.fetchrow(
            """
            SELECT now() AS now, h.position, h.global_hash, s.version, s.hash
            FROM (SELECT 1) AS one
            LEFT JOIN LATERAL (
                SELECT position, global_hash FROM events ORDER BY position DESC LIMIT 1
            ) AS h ON true
            LEFT JOIN LATERAL (
                SELECT version, hash FROM events WHERE stream_id = $1
                ORDER BY version DESC LIMIT 1
            ) AS s ON true
            """,
            stream_id,
        )
        last_version = state["version"] or 0
        stored: dict[int, bytes] = {}
        if events[0].version <= last_version:  # a retry, or a rival's: compare what is there
            rows = await conn.fetch(
                "SELECT version, payload FROM events "
                "WHERE stream_id = $1 AND version >= $2 AND version <= $3",
                stream_id,
                events[0].version,
                events[-1].version,
            )
            stored = {r["version"]: r["payload"] for r in rows}
        new = plan_append(
            events,
            stored=stored,
            last_version=last_version,
            last_hash=state["hash"] or ZERO_HASH,
            head=(state["position"] or 0, state["global_hash"] or ZERO_HASH),
            recorded_at=state["now"],
        )
        if not new:
            return 0
        columns = (
            "position, stream_id, version, event_type, schema_version, occurred_at, actor, "
            "payload, prev_hash, hash, global_prev_hash, global_hash"
        )
        # One statement for the whole batch (unnest of one array per column), and the
        # notification with it: delivered on commit only, so a listener never reads ahead of
        # what it can see.
        await conn.execute(
            f"WITH stored AS (INSERT INTO events ({columns}) SELECT * FROM unnest("
            "$1::bigint[], $2::text[], $3::int[], $4::text[], $5::int[], $6::timestamptz[], "
            "$7::text[], $8::bytea[], $9::bytea[], $10::bytea[], $11::bytea[], $12::bytea[]) "
            "RETURNING position) SELECT pg_notify($13, max(position)::text) FROM stored",
            *([getattr(row, name.strip()) for row in new] for name in columns.split(",")),
            NOTIFY_CHANNEL,
        )
        return len(new)

    async def read(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        until_version: int | None = None,
        until: datetime | None = None,
    ) -> list[DomainEvent]:
        """The events of one stream, in version order, upcast to their current shape.

        Args:
            after_version: only the events after this version.
            until_version: only the events up to this version.
            until: only the events that occurred at or before this moment (an as-of view).

        Raises:
            UnreadableEvent: a stored event cannot be read (it names the stream, the version
                and the position).
        """
        rows = await self._pool.fetch(
            "SELECT payload, version, position FROM events WHERE stream_id = $1 AND version > $2 "
            "AND ($3::timestamptz IS NULL OR occurred_at <= $3) "
            "AND ($4::integer IS NULL OR version <= $4) ORDER BY version",
            stream_id,
            after_version,
            until,
            until_version,
        )
        return [read_event(r["payload"], stream_id, r["version"], r["position"]) for r in rows]

    async def read_records(self, stream_id: str) -> list[StoredEvent]:
        """The stored rows of one stream, in version order, with their hashes."""
        rows = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY version", stream_id
        )
        return [StoredEvent.model_construct(**dict(r)) for r in rows]

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[StoredEvent]:
        """Up to `limit` stored rows after `after_position`, in position (commit) order."""
        rows = await self._fetch_all(after_position, limit)
        # Rows from our own table, typed by their columns: validating again only costs time.
        return [StoredEvent.model_construct(**dict(r)) for r in rows]

    async def read_links(self, after_position: int = 0, limit: int = 1000) -> list[LinkRow]:
        """The rows after `after_position` as `LinkRow`s, for `verify --all`: the time comes
        formatted by the database (as the insert trigger formats it), so putting each row's
        hashed bytes together is string work only, no datetime arithmetic."""
        rows = await self._pool.fetch(
            "SELECT position, stream_id, version, event_type, schema_version, "
            "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') "
            "|| '+00:00', actor, payload, prev_hash, hash, global_prev_hash, global_hash "
            "FROM events WHERE position > $1 ORDER BY position LIMIT $2",
            after_position,
            limit,
            record_class=_LinkRecord,
        )
        return rows

    async def _fetch_all(self, after_position: int, limit: int) -> list[asyncpg.Record]:
        return await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2",
            after_position,
            limit,
        )

    async def head(self) -> tuple[int, bytes]:
        """The last position and its global hash; (0, 32 zero bytes) when empty."""
        row = await self._pool.fetchrow(
            "SELECT position, global_hash FROM events ORDER BY position DESC LIMIT 1"
        )
        return (row["position"], row["global_hash"]) if row else (0, ZERO_HASH)

    async def stream_heads(self) -> dict[str, tuple[int, bytes]]:
        """Each stream's last version and its hash."""
        rows = await self._pool.fetch(
            "SELECT DISTINCT ON (stream_id) stream_id, version, hash FROM events "
            "ORDER BY stream_id, version DESC"
        )
        return {r["stream_id"]: (r["version"], r["hash"]) for r in rows}

    async def stream_ids(self) -> list[str]:
        """Every stream, in the order they began."""
        rows = await self._pool.fetch(
            "SELECT stream_id FROM events WHERE version = 1 ORDER BY position"
        )
        return [r["stream_id"] for r in rows]
