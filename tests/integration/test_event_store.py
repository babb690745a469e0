"""What only the PostgreSQL store shows: roles, triggers, migrations, notifications, bytes.

The behaviour every store shares is in `test_store_contract.py`.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from activities import MIGRATIONS, PostgresEventStore
from activities.chain import canonical_json
from activities.event_store import NOTIFY_CHANNEL, SchemaMissing
from activities.migrations import migrate_database
from domain import trajectory
from tests import factories as f

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def history(trajectory_id: str | None = None) -> list[trajectory.AnyEvent]:
    """The events of a trajectory through steps 1 to 4, as `decide` makes them."""
    state: trajectory.Trajectory | None = None
    events: list[trajectory.AnyEvent] = []
    for i, command in enumerate(f.ready_to_learn(NOW, trajectory_id=trajectory_id)):
        new = trajectory.decide(state, command, NOW + timedelta(minutes=i))
        state = trajectory.fold(new, state)
        events.extend(new)
    return events


async def test_the_application_role_has_select_and_insert_only(
    store: PostgresEventStore, owner_conn: asyncpg.Connection
) -> None:
    rows = await owner_conn.fetch(
        "SELECT table_name, privilege_type FROM information_schema.role_table_grants "
        "WHERE grantee = 'nbm_app' AND table_name IN ('events', 'schema_migrations')"
    )
    assert sorted((r["table_name"], r["privilege_type"]) for r in rows) == [
        ("events", "INSERT"),
        ("events", "SELECT"),
    ]
    async with store.pool.acquire() as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("CREATE TABLE sneaky (x int)")


async def test_migrations_are_applied_once_and_recorded(database_url: str) -> None:
    applied = await migrate_database(database_url)
    assert applied == [name for name, _ in MIGRATIONS]
    conn = await asyncpg.connect(database_url)
    try:
        names = [r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")]
    finally:
        await conn.close()
    assert names == applied
    # Two more processes starting at once find nothing left to do.
    again = migrate_database(database_url)
    assert await asyncio.gather(again, migrate_database(database_url)) == [
        [],
        [],
    ]


async def test_connecting_to_an_unmigrated_database_says_so(database_url: str) -> None:
    with pytest.raises(SchemaMissing, match="run the migrations"):
        await PostgresEventStore.connect(database_url)


async def test_the_payload_is_stored_as_the_canonical_bytes_that_are_hashed(
    store: PostgresEventStore,
) -> None:
    events = history()
    await store.append(events)
    records = await store.read_records(events[0].trajectory_id)
    assert [r.payload for r in records] == [
        canonical_json(e.model_dump(mode="json")) for e in events
    ]
    assert all(canonical_json(json.loads(r.payload)) == r.payload for r in records)


async def test_an_append_notifies_its_last_position_on_commit(
    store: PostgresEventStore, app_database_url: str
) -> None:
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = await asyncpg.connect(app_database_url)
    try:
        await listener.add_listener(NOTIFY_CHANNEL, lambda *args: heard.put_nowait(args[3]))
        events = history()
        await store.append(events[:2])
        await store.append(events[:2])  # nothing new: nothing to tell
        await store.append(events[2:])
        assert await asyncio.wait_for(heard.get(), 5) == "2"
        assert await asyncio.wait_for(heard.get(), 5) == str(len(events))
        assert heard.empty()
    finally:
        await listener.close()


async def test_old_shapes_are_upcast_on_read(
    store: PostgresEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = history()
    await store.append(events)
    started = events[0]
    # Pretend TrajectoryStarted moved to schema 2, with an upcaster from the stored shape 1.
    monkeypatch.setitem(trajectory.CURRENT_SCHEMA, started.type, 2)

    def v1_to_v2(data: dict[str, object]) -> dict[str, object]:
        return {**data, "actor": "upcast-actor"}

    monkeypatch.setitem(trajectory.UPCASTERS, (started.type, 1), v1_to_v2)
    (record, *_) = await store.read_records(started.trajectory_id)
    assert record.schema_version == 1 and json.loads(record.payload)["schema_version"] == 1
    (read, *rest) = await store.read(started.trajectory_id)
    assert (read.schema_version, read.actor) == (2, "upcast-actor")
    assert record.event() == read
    assert rest == events[1:]


async def test_the_databases_chain_bytes_are_the_verifiers(store: PostgresEventStore) -> None:
    # `verify --all` hashes the bytes PostgreSQL puts together (`read_links`); they must be
    # byte for byte what `chain_bytes` makes of the row, or every row would look tampered.
    from activities.chain import LinkWriter, chain_bytes
    from tests.unit.story import employed

    await store.append(employed().events)
    rows = await store.read_all()
    links = await store.read_links()
    assert len(rows) == len(links) > 5
    writer = LinkWriter()
    assert [writer.record(link) for link in links] == [chain_bytes(row) for row in rows]
    assert [link.hash for link in links] == [row.hash for row in rows]
