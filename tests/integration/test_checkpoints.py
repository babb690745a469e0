"""Signed checkpoints against a superuser who rewrites history and recomputes every hash.

The hash chains alone cannot catch such a rewrite: the rewritten table is consistent again.
A checkpoint signed before it, kept outside the database, still names the rewritten stream.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from activities.chain import (
    ZERO_HASH,
    StoredEvent,
    canonical_json,
    global_hash,
    record_bytes,
    stream_hash,
)
from activities.checkpoints import (
    Checkpoint,
    CheckpointActivities,
    CheckpointError,
    append_checkpoint,
    key_fingerprint,
    locate_rewrites,
    public_key_for,
    read_checkpoints,
    sign_checkpoint,
    take_checkpoint,
    verify_checkpoint,
)
from activities.verification import verify_records
from domain import trajectory
from nbm.audit import schedule_checkpoints
from tests import factories as f
from workflows import workflow_runner
from workflows.checkpoint import CheckpointWorkflow

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def trajectory_events(trajectory_id: str, start: datetime) -> list[trajectory.AnyEvent]:
    """Steps 1 to 4: four events, the second of which a rewrite will change."""
    events: list[trajectory.AnyEvent] = []
    state = None
    for command in f.ready_to_learn(start, trajectory_id=trajectory_id):
        new = trajectory.decide(state, command, start)
        events.extend(new)
        state = trajectory.fold(new, state)
    return events


@pytest.fixture
async def streams(store: PostgresEventStore) -> list[str]:
    """Three trajectories, interleaved in the global chain."""
    ids = [f"traj-{name}-{uuid.uuid4().hex[:6]}" for name in ("a", "b", "c")]
    stories = [trajectory_events(tid, T0 + timedelta(hours=n)) for n, tid in enumerate(ids)]
    for version in range(4):
        for events in stories:
            await store.append([events[version]])
    return ids


async def all_records(store: PostgresEventStore) -> list[StoredEvent]:
    return await store.read_all(limit=100_000)


async def rewrite_as_superuser(
    owner_url: str,
    stream_id: str,
    version: int,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    delete: bool = False,
) -> None:
    """What a superuser could do: change (or delete) one event with the triggers off, and
    recompute every stream hash and global hash after it so that both chains verify again."""
    conn = await asyncpg.connect(owner_url)
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            if delete:
                await conn.execute(
                    "DELETE FROM events WHERE stream_id = $1 AND version = $2", stream_id, version
                )
            rows = await conn.fetch("SELECT * FROM events ORDER BY position")
            heads: dict[str, bytes] = {}
            global_prev = ZERO_HASH
            # Positions renumbered from 1 too, so a deleted row leaves no gap; in ascending
            # order each row moves into a position already freed.
            for position, row in enumerate(rows, 1):
                payload = bytes(row["payload"])
                if row["stream_id"] == stream_id and row["version"] == version and not delete:
                    payload = canonical_json(change(json.loads(payload)))
                prev = heads.get(row["stream_id"], ZERO_HASH)
                own = stream_hash(
                    prev,
                    record_bytes(
                        stream_id=row["stream_id"],
                        version=row["version"],
                        event_type=row["event_type"],
                        schema_version=row["schema_version"],
                        occurred_at=row["occurred_at"],
                        actor=row["actor"],
                        payload=payload,
                    ),
                )
                chained = global_hash(global_prev, position, own)
                await conn.execute(
                    "UPDATE events SET position = $1, payload = $2, prev_hash = $3, hash = $4, "
                    "global_prev_hash = $5, global_hash = $6 "
                    "WHERE stream_id = $7 AND version = $8",
                    position,
                    payload,
                    prev,
                    own,
                    global_prev,
                    chained,
                    row["stream_id"],
                    row["version"],
                )
                heads[row["stream_id"]] = own
                global_prev = chained
    finally:
        await conn.close()


def stronger_employer_role(payload: dict[str, Any]) -> dict[str, Any]:
    payload["preconditions"]["employer_role"] = "nothing at all"
    return payload


async def test_a_checkpoint_of_an_untouched_store_verifies(
    store: PostgresEventStore, streams: list[str], key: Ed25519PrivateKey
) -> None:
    checkpoint = await sign_checkpoint(store, private_pem(key), T0 + timedelta(days=1))
    assert checkpoint.position == 12
    assert set(checkpoint.stream_heads) == set(streams)
    assert await verify_checkpoint(store, checkpoint, key.public_key()) == []


async def test_a_stream_rewritten_with_recomputed_hashes_is_caught_and_named(
    store: PostgresEventStore, streams: list[str], key: Ed25519PrivateKey, database_url: str
) -> None:
    checkpoint = await sign_checkpoint(store, private_pem(key), T0 + timedelta(days=1))
    b = streams[1]
    before = {r.position: r.global_hash for r in await all_records(store)}

    await rewrite_as_superuser(database_url, b, 2, stronger_employer_role)

    records = await all_records(store)
    changed = [r for r in records if r.global_hash != before[r.position]]
    assert changed and changed[0].stream_id == b  # the rewrite took, hashes and all
    assert verify_records(records).intact  # the chains alone see nothing wrong
    found = await verify_checkpoint(store, checkpoint, key.public_key())
    assert [m.kind for m in found] == ["global-head", "stream-head"]
    assert found[1].stream_id == b and found[1].version == 4
    assert found[1].message == (
        f"stream {b}: version 4 hash differs from the checkpoint of "
        f"{checkpoint.taken_at.isoformat()} — events up to version 4 were rewritten"
    )
    assert "position 12" in found[0].message


async def test_a_rewrite_before_a_stream_grew_is_caught_at_the_checkpointed_version(
    store: PostgresEventStore, streams: list[str], key: Ed25519PrivateKey, database_url: str
) -> None:
    checkpoint = await sign_checkpoint(store, private_pem(key), T0 + timedelta(days=1))
    a = streams[0]
    await store.append(
        [trajectory.decide(trajectory.fold(await store.read(a)), f.start_learning(), T0)[0]]
    )
    assert await verify_checkpoint(store, checkpoint, key.public_key()) == []

    await rewrite_as_superuser(database_url, a, 2, stronger_employer_role)

    found = await verify_checkpoint(store, checkpoint, key.public_key())
    assert [(m.kind, m.stream_id, m.version) for m in found] == [
        ("global-head", None, None),
        ("stream-head", a, 4),
    ]


async def test_checkpoints_before_and_after_narrow_down_the_rewritten_versions(
    store: PostgresEventStore, streams: list[str], key: Ed25519PrivateKey, database_url: str
) -> None:
    b = streams[1]
    earlier = await sign_checkpoint(store, private_pem(key), T0 + timedelta(days=1))
    for command in (
        f.start_learning(),
        trajectory.StartPlacement(actor=f.COACH, name="introduction", hours_per_week=16),
    ):
        await store.append(
            trajectory.decide(trajectory.fold(await store.read(b)), command, T0 + timedelta(days=2))
        )
    later = await sign_checkpoint(store, private_pem(key), T0 + timedelta(days=3))

    def no_benefits(payload: dict[str, Any]) -> dict[str, Any]:
        payload["benefits_retained"] = False
        return payload

    await rewrite_as_superuser(database_url, b, 5, no_benefits)

    results = [
        (cp, await verify_checkpoint(store, cp, key.public_key())) for cp in (earlier, later)
    ]
    assert [m.kind for m in results[0][1]] == []  # version 4 and all before it are intact
    assert [(m.kind, m.stream_id) for m in results[1][1]] == [
        ("global-head", None),
        ("stream-head", b),
    ]
    assert locate_rewrites(results) == {b: f"stream {b}: the rewrite is in versions 5 to 6"}
    assert locate_rewrites(results[1:]) == {b: f"stream {b}: the rewrite is in versions 1 to 6"}


async def test_deleted_rows_are_caught(
    store: PostgresEventStore, streams: list[str], key: Ed25519PrivateKey, database_url: str
) -> None:
    checkpoint = await sign_checkpoint(store, private_pem(key), T0 + timedelta(days=1))
    c = streams[2]
    await rewrite_as_superuser(database_url, c, 4, lambda p: p, delete=True)

    assert verify_records(await all_records(store)).intact
    found = await verify_checkpoint(store, checkpoint, key.public_key())
    assert [(m.kind, m.stream_id) for m in found] == [("global-head", None), ("stream-head", c)]
    assert "gone — rows were deleted" in found[0].message
    assert f"stream {c}: has 3 events" in found[1].message


async def test_an_edited_checkpoint_file_is_refused(
    store: PostgresEventStore, streams: list[str], key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    path = tmp_path / "audit" / "checkpoints.jsonl"
    await take_checkpoint(store, private_pem(key), path, T0 + timedelta(days=1))
    assert public_key_for(path, read_checkpoints(path)[0]) is not None
    # Someone who rewrote the database "updates" the checkpoint to match: its signature breaks.
    line = json.loads(path.read_text())
    line["stream_heads"][streams[1]][1] = "00" * 32
    path.write_text(json.dumps(line) + "\n")

    (edited,) = read_checkpoints(path)
    found = await verify_checkpoint(store, edited, public_key_for(path, edited))
    assert [m.kind for m in found] == ["signature"]
    assert "the signature does not match its content" in found[0].message

    path.write_text("{not json\n")
    with pytest.raises(CheckpointError, match="line 1 is not a checkpoint"):
        read_checkpoints(path)


async def test_a_checkpoint_is_refused_under_a_wrong_public_key(
    store: PostgresEventStore, streams: list[str], key: Ed25519PrivateKey
) -> None:
    checkpoint = await sign_checkpoint(store, private_pem(key), T0 + timedelta(days=1))
    other = Ed25519PrivateKey.generate().public_key()

    found = await verify_checkpoint(store, checkpoint, other)
    assert [m.kind for m in found] == ["signature"]
    assert f"not by the given key {key_fingerprint(other)}" in found[0].message

    # Claiming the other key's id does not help: the signature is still the first key's.
    forged = checkpoint.model_copy(update={"key_id": key_fingerprint(other)})
    found = await verify_checkpoint(store, forged, other)
    assert "the signature does not match its content" in found[0].message


async def test_checkpoints_append_as_json_lines_with_the_public_key_beside_them(
    store: PostgresEventStore, streams: list[str], key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    path = tmp_path / "checkpoints.jsonl"
    first = await sign_checkpoint(store, private_pem(key), T0)
    second = await sign_checkpoint(store, private_pem(key), T0 + timedelta(hours=1))
    for checkpoint in (first, second):
        append_checkpoint(path, checkpoint, key.public_key())

    assert read_checkpoints(path) == [first, second]
    assert len(path.read_text().splitlines()) == 2
    exported = public_key_for(path, first)
    assert key_fingerprint(exported) == first.key_id
    assert Checkpoint.model_validate_json(path.read_text().splitlines()[0]).signature


async def test_a_temporal_schedule_takes_checkpoints_through_the_workflow(
    dev_env: WorkflowEnvironment,
    store: PostgresEventStore,
    streams: list[str],
    key: Ed25519PrivateKey,
    task_queue: str,
    tmp_path: Path,
) -> None:
    path = tmp_path / "checkpoints.jsonl"
    activities = CheckpointActivities(store, private_pem(key), path)
    schedule_id = f"checkpoints-{task_queue}"
    async with Worker(
        dev_env.client,
        task_queue=task_queue,
        workflows=[CheckpointWorkflow],
        activities=[activities.take_checkpoint],
        workflow_runner=workflow_runner(),
    ):
        every = timedelta(hours=1)
        assert (
            await schedule_checkpoints(dev_env.client, task_queue, every, schedule_id=schedule_id)
            == "created"
        )
        assert (
            await schedule_checkpoints(dev_env.client, task_queue, every, schedule_id=schedule_id)
            == "updated"
        )
        handle = dev_env.client.get_schedule_handle(schedule_id)
        try:
            await handle.trigger()  # the first interval is an hour away; run one now
            deadline = time.monotonic() + 30
            while not path.exists():
                assert time.monotonic() < deadline, "the scheduled checkpoint never came"
                await asyncio.sleep(0.2)
        finally:
            await handle.delete()

    (checkpoint,) = read_checkpoints(path)
    assert checkpoint.position == 12
    assert await verify_checkpoint(store, checkpoint, key.public_key()) == []
