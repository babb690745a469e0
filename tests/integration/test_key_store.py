"""The per-candidate keys on real PostgreSQL, as the application's role sees them."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from activities import PostgresEventStore
from activities.key_store import (
    CandidateErased,
    KeyUnwrapError,
    PostgresKeyStore,
    UnknownCandidate,
)
from privacy.keyring import Keyring, generate_keyring
from privacy.seal import SealError, open_personal, seal_personal
from tests import factories as f


@pytest.fixture
def kek() -> Keyring:
    return generate_keyring("kek-test-1")


@pytest.fixture
def keys(store: PostgresEventStore, kek: Keyring) -> PostgresKeyStore:
    return PostgresKeyStore(store.pool, kek)


async def test_a_key_is_made_once_and_read_back(keys: PostgresKeyStore) -> None:
    key = await keys.key_for("cand-1", create=True)
    assert len(key) == 32
    assert await keys.key_for("cand-1", create=True) == key
    assert await keys.key_for("cand-1", create=False) == key
    assert await keys.key_for("cand-2", create=True) != key


async def test_no_key_without_create(keys: PostgresKeyStore) -> None:
    with pytest.raises(UnknownCandidate, match="no key for candidate cand-9"):
        await keys.key_for("cand-9", create=False)


async def test_concurrent_creation_agrees_on_one_key(keys: PostgresKeyStore) -> None:
    found = await asyncio.gather(*(keys.key_for("cand-1", create=True) for _ in range(8)))
    assert len(set(found)) == 1


async def test_the_table_holds_only_the_wrapped_key(
    keys: PostgresKeyStore, owner_conn: asyncpg.Connection, kek: Keyring
) -> None:
    key = await keys.key_for("cand-1", create=True)
    row = await owner_conn.fetchrow("SELECT * FROM candidate_keys WHERE candidate_ref = 'cand-1'")
    assert row["kek_id"] == "kek-test-1"
    assert key not in row["wrapped_key"] and len(row["wrapped_key"]) == 12 + 32 + 16
    assert kek.current not in row["wrapped_key"]


async def test_a_wrapped_key_copied_to_another_row_does_not_unwrap(
    keys: PostgresKeyStore, owner_conn: asyncpg.Connection
) -> None:
    await keys.key_for("cand-1", create=True)
    await keys.key_for("cand-2", create=True)
    await owner_conn.execute(
        "UPDATE candidate_keys SET wrapped_key = "
        "(SELECT wrapped_key FROM candidate_keys WHERE candidate_ref = 'cand-1') "
        "WHERE candidate_ref = 'cand-2'"
    )
    with pytest.raises(KeyUnwrapError, match="cand-2 does not unwrap"):
        await keys.key_for("cand-2", create=False)


async def test_erasure_destroys_the_key_and_keeps_a_tombstone(
    keys: PostgresKeyStore, owner_conn: asyncpg.Connection
) -> None:
    key = await keys.key_for("cand-1", create=True)
    sealed = seal_personal(f.personal_data(), key, "cand-1")
    assert not await keys.is_erased("cand-1")

    assert await keys.erase("cand-1", "coach-anna") is True
    assert await keys.erase("cand-1", "coach-anna") is False  # idempotent
    assert await keys.is_erased("cand-1")
    row = await owner_conn.fetchrow("SELECT * FROM candidate_keys WHERE candidate_ref = 'cand-1'")
    assert row["wrapped_key"] is None and row["erased_by"] == "coach-anna"
    assert row["erased_at"] is not None
    status = await keys.status("cand-1")
    assert status["erased_by"] == "coach-anna" and "wrapped_key" not in status

    # The reference does not come back to life with a new key, and nothing opens any more.
    for create in (False, True):
        with pytest.raises(CandidateErased, match="personal data of candidate cand-1 was erased"):
            await keys.key_for("cand-1", create=create)
    with pytest.raises(SealError):
        open_personal(sealed, bytes(32), "cand-1")


async def test_erasing_an_unknown_candidate_is_refused(keys: PostgresKeyStore) -> None:
    with pytest.raises(UnknownCandidate):
        await keys.erase("cand-unknown", "coach-anna")
    with pytest.raises(UnknownCandidate):
        await keys.is_erased("cand-unknown")


KEEP_ROWS = "candidate_keys_keep_rows"


async def test_only_a_fresh_unused_key_can_be_taken_back(
    keys: PostgresKeyStore, store: PostgresEventStore, database_url: str
) -> None:
    # A match refused after its key was made takes the key back; that is all a DELETE may do.
    _, made = await keys.obtain("cand-new", create=True)
    assert made
    assert await keys.discard("cand-new")
    with pytest.raises(UnknownCandidate):
        await keys.key_for("cand-new", create=False)
    _, made = await keys.obtain("cand-new", create=True)
    _, again = await keys.obtain("cand-new", create=True)
    assert made and not again  # only the call that made it may take it back

    # Erasure is an UPDATE that leaves the tombstone; a DELETE would leave no trace of it.
    await keys.key_for("cand-1", create=True)
    await keys.erase("cand-1", "coach-anna")
    await keys.key_for("cand-2", create=True)
    owner = await asyncpg.connect(database_url)
    try:  # a key made an hour ago may seal stored data
        async with owner.transaction():
            await owner.execute(
                "ALTER TABLE candidate_keys DISABLE TRIGGER candidate_keys_keep_rows"
            )
            await owner.execute(
                "UPDATE candidate_keys SET created_at = now() - interval '1 hour' "
                "WHERE candidate_ref = 'cand-2'"
            )
            await owner.execute(
                "ALTER TABLE candidate_keys ENABLE TRIGGER candidate_keys_keep_rows"
            )
    finally:
        await owner.close()
    async with store.pool.acquire() as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="tombstone stays"):
            await conn.execute("DELETE FROM candidate_keys WHERE candidate_ref = 'cand-1'")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="erase it instead"):
            await conn.execute("DELETE FROM candidate_keys WHERE candidate_ref = 'cand-2'")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="created_at does not change"):
            await conn.execute("UPDATE candidate_keys SET created_at = now()")
    assert not await keys.discard("cand-1")


async def test_rotation_rewraps_every_live_key(store: PostgresEventStore, kek: Keyring) -> None:
    old = PostgresKeyStore(store.pool, kek)
    first = await old.key_for("cand-1", create=True)
    await old.key_for("cand-2", create=True)
    await old.erase("cand-2", "coach-anna")

    new_kek = generate_keyring("kek-test-2")
    both = Keyring(current_id="kek-test-2", keys={**new_kek.keys, **kek.keys})
    rotated = PostgresKeyStore(store.pool, both)
    assert await rotated.key_for("cand-1", create=False) == first  # old KEK still listed
    assert await rotated.rewrap() == 1  # the erased key stays erased
    assert await rotated.rewrap() == 0

    retired = PostgresKeyStore(store.pool, new_kek)  # the old KEK is gone from NBM_KEK
    assert await retired.key_for("cand-1", create=False) == first
    with pytest.raises(KeyUnwrapError, match="which NBM_KEK does not list"):
        await PostgresKeyStore(store.pool, kek).key_for("cand-1", create=False)
