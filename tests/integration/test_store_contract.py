"""One contract, every store: the PostgreSQL store (as `nbm_app`) and the in-memory one.

A test here takes `any_store`, which is each implementation in turn; a new store joins by
adding a parameter to that fixture (as in the eventsourcing library's recorder test cases).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from activities import EventConflict, EventGap
from activities.chain import ZERO_HASH
from activities.event_store import EventStore as Store
from activities.memory_store import InMemoryEventStore
from activities.verification import verify_records

from .test_event_store import NOW, history


@pytest.fixture(params=["postgres", "memory"])
def any_store(request: pytest.FixtureRequest) -> Store:
    # Sync on purpose: pytest-asyncio sets up the async `store` from outside the event loop.
    if request.param == "postgres":
        store: Store = request.getfixturevalue("store")
        return store
    return InMemoryEventStore()


async def test_append_then_read_gives_the_same_events_in_order(any_store: Store) -> None:
    events = history()
    assert await any_store.append(events[:2]) == 2
    assert await any_store.append(events[2:]) == 2
    assert await any_store.read(events[0].trajectory_id) == events
    assert await any_store.read(events[0].trajectory_id, after_version=3) == events[3:]
    assert await any_store.read("traj-unknown") == []


async def test_appending_the_same_events_again_is_a_no_op(any_store: Store) -> None:
    events = history()
    await any_store.append(events[:3])
    # A retried activity sends what was already stored, perhaps with what was not.
    assert await any_store.append(events[:3]) == 0
    assert await any_store.append(events[1:]) == 1
    assert await any_store.read(events[0].trajectory_id) == events
    assert (await any_store.head())[0] == len(events)


async def test_a_different_event_at_a_taken_version_is_a_conflict(any_store: Store) -> None:
    events = history()
    await any_store.append(events[:2])
    other = events[1].model_copy(update={"occurred_at": NOW + timedelta(days=1)})
    with pytest.raises(EventConflict, match="already has a different event at version 2"):
        await any_store.append([other])
    assert await any_store.read(events[0].trajectory_id) == events[:2]


async def test_a_version_that_skips_ahead_is_refused(any_store: Store) -> None:
    events = history()
    await any_store.append(events[:1])
    with pytest.raises(EventGap, match="version 3 would leave a gap"):
        await any_store.append(events[2:])
    assert await any_store.read(events[0].trajectory_id) == events[:1]


async def test_one_append_holds_one_stream(any_store: Store) -> None:
    with pytest.raises(ValueError, match="one stream"):
        await any_store.append([history()[0], history()[0]])
    assert await any_store.head() == (0, ZERO_HASH)


async def test_until_gives_the_stream_as_it_was_then(any_store: Store) -> None:
    events = history()  # one minute apart
    await any_store.append(events)
    tid = events[0].trajectory_id
    assert await any_store.read(tid, until=events[1].occurred_at) == events[:2]
    assert await any_store.read(tid, until=NOW - timedelta(seconds=1)) == []


async def test_read_all_is_in_position_order_and_pages(any_store: Store) -> None:
    a, b = history(), history()
    await any_store.append(a[:2])
    await any_store.append(b)
    await any_store.append(a[2:])
    records = await any_store.read_all()
    assert [r.position for r in records] == list(range(1, 9))
    assert [(r.stream_id, r.version) for r in records] == [
        *((e.trajectory_id, e.version) for e in a[:2]),
        *((e.trajectory_id, e.version) for e in b),
        *((e.trajectory_id, e.version) for e in a[2:]),
    ]
    assert await any_store.read_all(after_position=3, limit=2) == records[3:5]
    assert [r.event() for r in await any_store.read_records(a[0].trajectory_id)] == a
    assert await any_store.stream_ids() == [a[0].trajectory_id, b[0].trajectory_id]


async def test_heads_are_the_last_links_of_each_chain(any_store: Store) -> None:
    assert await any_store.head() == (0, ZERO_HASH)
    assert await any_store.stream_heads() == {}
    a, b = history(), history()
    await any_store.append(a)
    await any_store.append(b[:3])
    records = await any_store.read_all()
    assert await any_store.head() == (records[-1].position, records[-1].global_hash)
    last_a = max((r for r in records if r.stream_id == a[0].trajectory_id), key=lambda r: r.version)
    assert await any_store.stream_heads() == {
        a[0].trajectory_id: (4, last_a.hash),
        b[0].trajectory_id: (3, records[-1].hash),
    }


async def test_the_chains_verify(any_store: Store) -> None:
    streams = [history() for _ in range(3)]
    for i in range(4):  # interleaved, so the global chain crosses streams
        for events in streams:
            await any_store.append(events[i : i + 1])
    records = await any_store.read_all()
    report = verify_records(records)
    assert report.intact, report.first
    assert (report.events, report.streams) == (12, 3)
    assert report.head == await any_store.head()
    assert report.stream_heads == await any_store.stream_heads()
    assert records[0].prev_hash == records[0].global_prev_hash == ZERO_HASH
    one = await any_store.read_records(streams[1][0].trajectory_id)
    assert verify_records(one, global_chain=False).intact


async def test_concurrent_appends_at_the_same_version_one_wins(any_store: Store) -> None:
    first = history()
    tid = first[0].trajectory_id
    await any_store.append(first[:1])
    rival = first[1].model_copy(update={"actor": "coach-other"})
    results = await asyncio.gather(
        any_store.append(first[1:2]), any_store.append([rival]), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ["EventConflict", "int"]
    assert len(await any_store.read(tid)) == 2
    assert verify_records(await any_store.read_all()).intact


async def test_concurrent_appends_never_interleave_positions(any_store: Store) -> None:
    streams = [history() for _ in range(8)]
    await asyncio.gather(*(any_store.append(s) for s in streams))
    records = await any_store.read_all()
    # Each append's events are contiguous in the global order: appends are serialised.
    runs: list[str] = []
    for record in records:
        if not runs or runs[-1] != record.stream_id:
            runs.append(record.stream_id)
    assert len(runs) == len(streams)
    assert [r.position for r in records] == list(range(1, 33))
    assert verify_records(records).intact
