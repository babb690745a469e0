"""The PostgreSQL event store on a real server: idempotent, ordered, append-only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

import domain as d
from activities import MIGRATIONS, EventConflict, EventGap, PostgresEventStore
from tests import factories as f

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def history(trajectory_id: str | None = None) -> list[d.AnyEvent]:
    """The events of a trajectory through steps 1 to 4, as `decide` makes them."""
    state: d.Trajectory | None = None
    events: list[d.AnyEvent] = []
    for i, command in enumerate(f.ready_to_learn(NOW, trajectory_id=trajectory_id)):
        new = d.decide(state, command, NOW + timedelta(minutes=i))
        state = d.fold(new, state)
        events.extend(new)
    return events


async def test_append_then_read_gives_the_same_events_in_order(store: PostgresEventStore) -> None:
    events = history()
    assert await store.append(events[:2]) == 2
    assert await store.append(events[2:]) == 2
    assert await store.read(events[0].trajectory_id) == events
    assert await store.read(events[0].trajectory_id, after_version=3) == events[3:]


async def test_appending_the_same_events_again_is_a_no_op(store: PostgresEventStore) -> None:
    events = history()
    await store.append(events[:3])
    # A retried activity sends what was already stored, perhaps with what was not.
    assert await store.append(events[:3]) == 0
    assert await store.append(events[1:]) == 1
    assert await store.read(events[0].trajectory_id) == events


async def test_a_different_event_at_a_taken_version_is_a_conflict(
    store: PostgresEventStore,
) -> None:
    events = history()
    await store.append(events[:2])
    other = history(trajectory_id=events[0].trajectory_id)[1].model_copy(
        update={"occurred_at": NOW + timedelta(days=1)}
    )
    with pytest.raises(EventConflict, match="already has a different event at version 2"):
        await store.append([other])
    assert await store.read(events[0].trajectory_id) == events[:2]


async def test_a_version_that_skips_ahead_is_refused(store: PostgresEventStore) -> None:
    events = history()
    await store.append(events[:1])
    with pytest.raises(EventGap, match="version 3 would leave a gap"):
        await store.append(events[2:])
    assert await store.read(events[0].trajectory_id) == events[:1]


async def test_one_append_holds_one_stream(store: PostgresEventStore) -> None:
    with pytest.raises(ValueError, match="one stream"):
        await store.append([history()[0], history()[0]])


async def test_concurrent_appends_at_the_same_version_one_wins(
    store: PostgresEventStore,
) -> None:
    first = history()
    tid = first[0].trajectory_id
    await store.append(first[:1])
    rival = history(trajectory_id=tid)[1].model_copy(update={"actor": "coach-other"})
    results = await asyncio.gather(
        store.append(first[1:2]), store.append([rival]), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ["EventConflict", "int"]
    assert len(await store.read(tid)) == 2


async def test_global_positions_follow_commit_order_across_streams(
    store: PostgresEventStore,
) -> None:
    streams = [history() for _ in range(8)]
    await asyncio.gather(*(store.append(s) for s in streams))
    async with store.pool.acquire() as conn:
        rows = await conn.fetch("SELECT stream_id, version, position FROM events ORDER BY position")
    # Each append's events are contiguous in the global order: the table lock serialises them.
    runs: list[str] = []
    for row in rows:
        if not runs or runs[-1] != row["stream_id"]:
            runs.append(row["stream_id"])
    assert len(runs) == len(streams)
    assert [r["position"] for r in rows] == list(
        range(rows[0]["position"], rows[0]["position"] + len(rows))
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET actor = 'someone-else'",
        "DELETE FROM events",
        "TRUNCATE events",
    ],
)
async def test_the_events_table_is_append_only(store: PostgresEventStore, statement: str) -> None:
    events = history()
    await store.append(events)
    async with store.pool.acquire() as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute(statement)
    assert await store.read(events[0].trajectory_id) == events


async def test_migrations_are_applied_once_and_recorded(database_url: str) -> None:
    first = await PostgresEventStore.connect(database_url)
    try:
        async with first.pool.acquire() as conn:
            names = [r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")]
        assert names == [name for name, _ in MIGRATIONS]
        # Two more processes starting at once find nothing left to do.
        assert await asyncio.gather(first.migrate(), first.migrate()) == [[], []]
    finally:
        await first.close()
