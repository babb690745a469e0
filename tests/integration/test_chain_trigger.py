"""The database refuses a row that does not continue its chains, from any role.

The store computes each row's place and hashes; a trigger checks them again in PostgreSQL
(`activities/schema/events.py`, 0003): the next position and version, the current heads as
the previous hashes, and hashes that are those of the row's own bytes (PostgreSQL's sha256).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from activities import PostgresEventStore
from activities.chain import ZERO_HASH, seal

from .test_event_store import history

COLUMNS = (
    "position, stream_id, version, event_type, schema_version, occurred_at, actor, payload, "
    "prev_hash, hash, global_prev_hash, global_hash"
)


async def insert(conn: asyncpg.Connection, row: Any) -> None:
    values = [getattr(row, c.strip()) for c in COLUMNS.split(",")]
    marks = ", ".join(f"${n}" for n in range(1, len(values) + 1))
    await conn.execute(f"INSERT INTO events ({COLUMNS}) VALUES ({marks})", *values)


async def next_row(store: PostgresEventStore, event_index: int = 0) -> Any:
    """The row the store would write next for a new trajectory's event `event_index`."""
    events = history()
    await store.append(events[:event_index])
    head = await store.read_all(after_position=0, limit=10_000)
    last = head[-1] if head else None
    stream_last = next((r for r in reversed(head) if r.stream_id == events[0].trajectory_id), None)
    return seal(
        events[event_index],
        position=(last.position if last else 0) + 1,
        prev_hash=stream_last.hash if stream_last else ZERO_HASH,
        global_prev_hash=last.global_hash if last else ZERO_HASH,
        recorded_at=datetime.now(UTC),
    )


async def test_a_row_made_as_the_store_makes_it_is_taken(store: PostgresEventStore) -> None:
    row = await next_row(store, 1)
    async with store.pool.acquire() as conn:
        await insert(conn, row)  # by hand, as the application's role: the hashes are right
    assert len(await store.read(row.stream_id)) == 2


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"position": 7}, "does not follow the last position"),
        ({"version": 3}, "does not follow its version"),
        ({"prev_hash": b"\x01" * 32}, "previous hashes are not the heads"),
        ({"global_prev_hash": b"\x01" * 32}, "previous hashes are not the heads"),
        ({"payload": b'{"changed": true}'}, "its hash is not the hash of its bytes"),
        ({"actor": "someone-else"}, "its hash is not the hash of its bytes"),
        ({"global_hash": b"\x02" * 32}, "its global hash does not follow"),
    ],
)
async def test_a_row_that_breaks_a_chain_is_refused_to_the_application_role(
    store: PostgresEventStore, change: dict[str, Any], refusal: str
) -> None:
    row = await next_row(store, 1)
    bad = row.model_copy(update=change)
    async with store.pool.acquire() as conn:
        assert await conn.fetchval("SELECT current_user") == "nbm_app"
        with pytest.raises(asyncpg.CheckViolationError, match=refusal):
            await insert(conn, bad)
    assert len(await store.read(row.stream_id)) == 1
