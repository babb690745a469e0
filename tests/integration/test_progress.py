"""The counts that long work tells its progress bar: they climb and reach the total."""

from __future__ import annotations

from activities import PostgresEventStore
from activities.projections import Projector
from nbm.audit import verify_store
from tests.integration.test_projections import append_interleaved, cases


async def test_a_rebuild_tells_its_progress_up_to_every_event(store: PostgresEventStore) -> None:
    events = await append_interleaved(store, cases())
    told: list[tuple[int, int]] = []
    done = await Projector(store.pool).rebuild(batch=4, progress=lambda n, t: told.append((n, t)))
    assert done.events == events
    assert told[0] == (0, events) and told[-1] == (events, events)
    assert len(told) == 1 + -(-events // 4)  # the start, then once a batch
    assert [n for n, _ in told] == sorted(n for n, _ in told)


async def test_the_chain_check_tells_its_progress_up_to_every_event(
    store: PostgresEventStore,
) -> None:
    events = await append_interleaved(store, cases())
    told: list[tuple[int, int]] = []
    checked = await verify_store(store, progress=lambda n, t: told.append((n, t)))
    assert checked.report.intact
    assert told[0] == (0, events) and told[-1] == (events, events)
    # One trajectory's chain: nothing to tell.
    told.clear()
    first = (await store.read_all(limit=1))[0].stream_id
    await verify_store(store, first, progress=lambda n, t: told.append((n, t)))
    assert told == []
