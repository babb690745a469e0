"""One bad event never stops the projections: it is set aside, and the other streams go on.

A superuser with the triggers off can still put a row in that no reader can use (a changed
byte, a version out of order). The projector quarantines it, with the rest of its stream
after it, and keeps every other stream's read models right; a rebuild is all or nothing.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from activities import PostgresEventStore, UnreadableEvent
from activities.projections import Projector, Rebuilt
from domain import trajectory

from .test_projections import append_interleaved, cases, dump

Streams = list[list[list[trajectory.AnyEvent]]]


@pytest.fixture
async def streams(store: PostgresEventStore) -> Streams:
    made = cases()
    await append_interleaved(store, made)
    return made


@pytest.fixture
async def superuser(owner_conn: asyncpg.Connection) -> asyncpg.Connection:
    await owner_conn.execute("SET session_replication_role = replica")  # triggers off
    return owner_conn


async def spoil(conn: asyncpg.Connection, stream_id: str, version: int) -> int:
    """A changed byte that makes the payload no JSON; the row's position."""
    return int(
        await conn.fetchval(
            "UPDATE events SET payload = overlay(payload PLACING '\\x00'::bytea FROM 1) "
            "WHERE stream_id = $1 AND version = $2 RETURNING position",
            stream_id,
            version,
        )
    )


def stream_of(streams: Streams, n: int) -> str:
    return streams[n][0][0].trajectory_id


async def test_an_unreadable_event_is_quarantined_with_the_rest_of_its_stream(
    store: PostgresEventStore, streams: Streams, superuser: asyncpg.Connection
) -> None:
    bad = stream_of(streams, 1)  # the one that learns in: several events after version 2
    position = await spoil(superuser, bad, 2)
    projector = Projector(store.pool)
    total = await projector.catch_up()
    assert total == sum(len(a) for s in streams for a in s)  # it went past the bad one
    held = await projector.quarantined()
    assert held[0].position == position and held[0].stream_id == bad and held[0].version == 2
    assert "cannot be read" in held[0].reason
    assert {q.stream_id for q in held} == {bad}
    assert [q.version for q in held] == list(range(2, len(held) + 2))  # the rest of it
    assert all("earlier event of this stream is quarantined" in q.reason for q in held[1:])
    models = await dump(store.pool)
    summaries = {r["trajectory_id"]: r for r in models["trajectory_summary"]}
    assert summaries[bad]["version"] == 1  # its last good state
    for n in (0, 2, 3, 4):  # every other stream in full
        sid = stream_of(streams, n)
        assert summaries[sid]["version"] == sum(len(a) for a in streams[n])
    assert (await projector.tracking()).lag == 0


async def test_an_event_out_of_order_is_quarantined(
    store: PostgresEventStore, streams: Streams, superuser: asyncpg.Connection
) -> None:
    # A copy of a stream's first event put at the end of another stream: it reads, but it
    # is not that stream's event (another stream, another version).
    victim = stream_of(streams, 3)
    row = await superuser.fetchrow(
        "SELECT * FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1", victim
    )
    head = await superuser.fetchval("SELECT max(position) FROM events")
    first = await superuser.fetchval(
        "SELECT payload FROM events WHERE stream_id = $1 AND version = 1", stream_of(streams, 0)
    )
    await superuser.execute(
        "INSERT INTO events (position, stream_id, version, event_type, schema_version, "
        "occurred_at, actor, payload, prev_hash, hash, global_prev_hash, global_hash) "
        "VALUES ($1, $2, $3, 'TrajectoryStarted', 1, now(), 'mallory', $4, $5, $5, $5, $5)",
        head + 1,
        victim,
        row["version"] + 1,
        first,
        row["hash"],
    )
    projector = Projector(store.pool)
    await projector.catch_up()
    (held,) = await projector.quarantined()
    assert (held.stream_id, held.version) == (victim, row["version"] + 1)
    assert "another stream or version" in held.reason
    with pytest.raises(UnreadableEvent, match=f"stream {victim}, version {row['version'] + 1}"):
        await store.read(victim)


class FailsHalfway(Projector):
    """A rebuild that dies in its second batch (a lost connection, a full disk)."""

    batches = 0

    async def _write(self, conn: asyncpg.Connection, states: list[Any]) -> None:
        type(self).batches += 1
        if type(self).batches == 2:
            raise RuntimeError("the disk is full")
        await super()._write(conn, states)


async def test_a_rebuild_that_fails_leaves_the_previous_read_models(
    store: PostgresEventStore, streams: Streams
) -> None:
    await Projector(store.pool).catch_up()
    before = await dump(store.pool)
    with pytest.raises(RuntimeError, match="the disk is full"):
        await FailsHalfway(store.pool).rebuild(batch=3)
    assert await dump(store.pool) == before
    done = await Projector(store.pool).rebuild(batch=3)
    assert isinstance(done, Rebuilt) and done.quarantined == 0
    assert await dump(store.pool) == before


async def test_a_rebuild_quarantines_again_what_it_cannot_read(
    store: PostgresEventStore, streams: Streams, superuser: asyncpg.Connection
) -> None:
    await spoil(superuser, stream_of(streams, 2), 3)
    first = Projector(store.pool)
    await first.catch_up()
    held = await first.quarantined()
    done = await Projector(store.pool).rebuild()
    assert done.quarantined == len(held) > 0
    assert await Projector(store.pool).quarantined() == held
