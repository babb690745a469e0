"""Tampering with the events table, and how it is refused or found.

The application's role cannot change a row at all; the owner is stopped by triggers. A
superuser can switch the triggers off: then the hash chains find and locate a changed byte,
a deleted row, two rows swapped. A stream rewritten with every hash recomputed is consistent
again: only heads taken before (what a signed checkpoint holds) show it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg
import pytest

from activities import PostgresEventStore
from activities.chain import (
    ZERO_HASH,
    StoredEvent,
    global_hash,
    stream_hash,
)
from activities.verification import verify_records

from .test_event_store import history

MUTATIONS = [
    "UPDATE events SET actor = 'someone-else'",
    "DELETE FROM events",
    "TRUNCATE events",
]


@pytest.mark.parametrize("statement", MUTATIONS)
async def test_the_application_role_may_not_change_events(
    store: PostgresEventStore, statement: str
) -> None:
    events = history()
    await store.append(events)
    async with store.pool.acquire() as conn:
        assert await conn.fetchval("SELECT current_user") == "nbm_app"
        # Refused by privileges, before any trigger runs.
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await conn.execute(statement)
    assert await store.read(events[0].trajectory_id) == events


@pytest.mark.parametrize("statement", MUTATIONS)
async def test_the_owner_is_stopped_by_the_triggers(
    store: PostgresEventStore, owner_conn: asyncpg.Connection, statement: str
) -> None:
    events = history()
    await store.append(events)
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await owner_conn.execute(statement)
    assert await store.read(events[0].trajectory_id) == events


@pytest.fixture
async def three_streams(store: PostgresEventStore) -> list[str]:
    """Three trajectories of four events, appended in turn: positions 1-12 cross streams.

    Position p holds stream (p - 1) % 3, version (p - 1) // 3 + 1.
    """
    streams = [history() for _ in range(3)]
    for version in range(4):
        for events in streams:
            await store.append(events[version : version + 1])
    return [events[0].trajectory_id for events in streams]


@pytest.fixture
async def superuser(owner_conn: asyncpg.Connection) -> asyncpg.Connection:
    """The owner's connection with the append-only triggers switched off, as an attacker would."""
    await owner_conn.execute("SET session_replication_role = replica")
    return owner_conn


async def verify_all(store: PostgresEventStore) -> list[str]:
    report = verify_records(await store.read_all(limit=10_000))
    return [b.describe() for b in report.breaks]


async def test_an_untouched_table_verifies(
    store: PostgresEventStore, three_streams: list[str]
) -> None:
    assert await verify_all(store) == []


async def test_a_changed_byte_is_found_at_its_event(
    store: PostgresEventStore, three_streams: list[str], superuser: asyncpg.Connection
) -> None:
    # One letter of the payload of stream 1, version 2 (position 5).
    await superuser.execute(
        "UPDATE events SET payload = overlay(payload PLACING 'X'::bytea FROM 12 FOR 1) "
        "WHERE position = 5"
    )
    breaks = await verify_all(store)
    assert breaks == [
        f"stream {three_streams[1]} version 2 (position 5): "
        "hash mismatch: its stored bytes were changed"
    ]
    one = verify_records(await store.read_records(three_streams[1]), global_chain=False)
    assert one.first is not None and (one.first.version, one.first.kinds) == (2, ("content",))


async def test_a_deleted_row_is_found_at_the_next_position_and_in_its_stream(
    store: PostgresEventStore, three_streams: list[str], superuser: asyncpg.Connection
) -> None:
    await superuser.execute("DELETE FROM events WHERE position = 5")  # stream 1, version 2
    breaks = await verify_all(store)
    assert breaks == [
        f"stream {three_streams[2]} version 2 (position 6): position 5 is missing (a row deleted)",
        f"stream {three_streams[1]} version 3 (position 8): "
        "version 2 of this stream missing (a row deleted)",
    ]
    one = verify_records(await store.read_records(three_streams[1]), global_chain=False)
    assert one.first is not None
    assert one.first.describe() == (
        f"stream {three_streams[1]} version 3 (position 8): "
        "version 2 of this stream missing (a row deleted)"
    )


async def swap_payloads(conn: asyncpg.Connection, a: int, b: int) -> None:
    await conn.execute(
        "UPDATE events e SET payload = o.payload FROM events o "
        "WHERE (e.position, o.position) IN (($1, $2), ($2, $1))",
        a,
        b,
    )


async def swap_positions(conn: asyncpg.Connection, a: int, b: int) -> None:
    # Through a free position: the unique constraint is checked row by row.
    await conn.execute("UPDATE events SET position = 1000 WHERE position = $1", a)
    await conn.execute("UPDATE events SET position = $1 WHERE position = $2", a, b)
    await conn.execute("UPDATE events SET position = $1 WHERE position = 1000", b)


@pytest.mark.parametrize("swap", [swap_payloads, swap_positions])
async def test_two_swapped_rows_are_found_at_the_first_of_them(
    store: PostgresEventStore,
    three_streams: list[str],
    superuser: asyncpg.Connection,
    swap: Callable[[asyncpg.Connection, int, int], Awaitable[None]],
) -> None:
    await swap(superuser, 4, 7)  # stream 0, versions 2 and 3
    report = verify_records(await store.read_all())
    assert report.first is not None
    assert (report.first.stream_id, report.first.position) == (three_streams[0], 4)
    assert {b.position for b in report.breaks} >= {4, 7}


async def rewrite_stream(conn: asyncpg.Connection, records: list[StoredEvent], stream: str) -> None:
    """Change an event of `stream` and recompute every hash after it, in both chains."""
    global_prev = ZERO_HASH
    heads: dict[str, bytes] = {}
    for record in records:
        prev = heads.get(record.stream_id, ZERO_HASH)
        payload = record.payload
        if record.stream_id == stream and record.version == 2:
            payload = payload.replace(b'"version":2', b'"version":2,"z":"forged"')
        fixed = record.model_copy(update={"payload": payload, "prev_hash": prev})
        own = stream_hash(prev, fixed.record_bytes())
        heads[record.stream_id] = own
        link = global_hash(global_prev, record.position, own)
        await conn.execute(
            "UPDATE events SET payload = $1, prev_hash = $2, hash = $3, global_prev_hash = $4, "
            "global_hash = $5 WHERE position = $6",
            payload,
            prev,
            own,
            global_prev,
            link,
            record.position,
        )
        global_prev = link


async def test_a_rewritten_stream_is_consistent_but_its_heads_differ(
    store: PostgresEventStore, three_streams: list[str], superuser: asyncpg.Connection
) -> None:
    # What a signed checkpoint holds, taken before the rewrite.
    head, stream_heads = await store.head(), await store.stream_heads()
    await rewrite_stream(superuser, await store.read_all(), three_streams[1])
    assert b"forged" in (await store.read_records(three_streams[1]))[1].payload
    # The chains alone cannot tell: every link was recomputed.
    assert await verify_all(store) == []
    after = await store.stream_heads()
    assert {s for s in stream_heads if after[s] != stream_heads[s]} == {three_streams[1]}
    assert (await store.head())[0] == head[0]
    assert (await store.head())[1] != head[1]
