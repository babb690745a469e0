"""An event store in memory: the same API, rules and hash chains as the PostgreSQL store.

For the contract tests, and for checking an exported file offline, with no database.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from domain.streams import DomainEvent

from .chain import ZERO_HASH, LinkRow, LinkTuple, StoredEvent, instant
from .event_store import plan_append


class InMemoryEventStore:
    """Events of every trajectory in one list, in position order."""

    def __init__(self, records: Iterable[StoredEvent] = ()) -> None:
        """A store holding `records` as they are (already chained, e.g. read from a file)."""
        self._rows: list[StoredEvent] = sorted(records, key=lambda r: r.position)
        self._streams: dict[str, list[StoredEvent]] = {}
        for row in sorted(self._rows, key=lambda r: r.version):
            self._streams.setdefault(row.stream_id, []).append(row)
        # Appends run one at a time, as under the PostgreSQL store's lock.
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        """Nothing to release; here for the same API as the PostgreSQL store."""

    async def append(self, events: Sequence[DomainEvent]) -> int:
        """Store `events` of one stream, in order; returns how many were new.

        Raises:
            EventConflict: another event is stored at one of these versions.
            EventGap: the first new version does not follow the stream's last one.
        """
        if not events:
            return 0
        async with self._lock:
            stream = self._streams.get(events[0].stream_id, [])
            wanted = {e.version for e in events}
            new = plan_append(
                events,
                stored={r.version: r.payload for r in stream if r.version in wanted},
                last_version=stream[-1].version if stream else 0,
                last_hash=stream[-1].hash if stream else ZERO_HASH,
                head=self._head(),
                recorded_at=datetime.now(UTC),
            )
            for row in new:
                self._rows.append(row)
                self._streams.setdefault(row.stream_id, []).append(row)
            return len(new)

    async def read(
        self,
        stream_id: str,
        *,
        after_version: int = 0,
        until_version: int | None = None,
        until: datetime | None = None,
    ) -> list[DomainEvent]:
        """The events of one stream, in version order, upcast to their current shape."""
        return [
            r.event()
            for r in self._streams.get(stream_id, [])
            if r.version > after_version
            and (until_version is None or r.version <= until_version)
            and (until is None or r.occurred_at <= until)
        ]

    async def read_records(self, stream_id: str) -> list[StoredEvent]:
        return list(self._streams.get(stream_id, []))

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[StoredEvent]:
        start = bisect.bisect_right(self._rows, after_position, key=lambda r: r.position)
        return self._rows[start : start + limit]

    async def read_links(self, after_position: int = 0, limit: int = 1000) -> list[LinkRow]:
        return [
            LinkTuple(
                r.position,
                r.stream_id,
                r.version,
                r.event_type,
                r.schema_version,
                instant(r.occurred_at),
                r.actor,
                r.payload,
                r.prev_hash,
                r.hash,
                r.global_prev_hash,
                r.global_hash,
            )
            for r in await self.read_all(after_position, limit)
        ]

    async def head(self) -> tuple[int, bytes]:
        return self._head()

    async def stream_heads(self) -> dict[str, tuple[int, bytes]]:
        return {s: (rows[-1].version, rows[-1].hash) for s, rows in self._streams.items()}

    async def stream_ids(self) -> list[str]:
        return list(self._streams)

    def _head(self) -> tuple[int, bytes]:
        return (
            (self._rows[-1].position, self._rows[-1].global_hash) if self._rows else (0, ZERO_HASH)
        )
