"""Least privilege: each process's database role may do its own work and nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from activities import PostgresEventStore
from activities.key_store import PostgresKeyStore
from activities.projections import Projector
from activities.schema import AUDITOR_ROLE, KEYS_ROLE, PROJECTOR_ROLE, WORKER_ROLE
from devstack.servers import as_user
from nbm.audit import verify_store
from privacy.keyring import generate_keyring

from .test_event_store import history

REFUSED = {
    WORKER_ROLE: [
        "SELECT * FROM trajectory_summary",
        "UPDATE projection_tracking SET position = 0",
        "DELETE FROM projection_quarantine",
        "SELECT * FROM candidate_keys",
        "UPDATE events SET actor = 'x'",
    ],
    PROJECTOR_ROLE: [
        "INSERT INTO events (position) VALUES (1)",
        "SELECT * FROM candidate_keys",
        "UPDATE events SET actor = 'x'",
    ],
    KEYS_ROLE: [
        "SELECT * FROM events",
        "SELECT * FROM trajectory_summary",
        "INSERT INTO events (position) VALUES (1)",
    ],
    AUDITOR_ROLE: [
        "INSERT INTO events (position) VALUES (1)",
        "UPDATE projection_tracking SET position = 0",
        "DELETE FROM projection_quarantine",
        "DELETE FROM trajectory_summary",
        "SELECT * FROM candidate_keys",
        "CREATE TABLE sneaky (x int)",
    ],
}


@pytest.fixture
async def pools(
    database_url: str, store: PostgresEventStore
) -> AsyncIterator[dict[str, asyncpg.Pool]]:
    """A pool per role on the `store`'s (migrated) database, with a trajectory in it."""
    await store.append(history())
    made: dict[str, asyncpg.Pool] = {}
    for role in REFUSED:
        pool = await asyncpg.create_pool(as_user(database_url, role), min_size=1, max_size=2)
        assert pool is not None
        made[role] = pool
    yield made
    for pool in made.values():
        await pool.close()


@pytest.mark.parametrize(
    ("role", "statement"),
    [(role, statement) for role, statements in REFUSED.items() for statement in statements],
)
async def test_a_role_is_refused_what_is_not_its_own(
    pools: dict[str, asyncpg.Pool], role: str, statement: str
) -> None:
    async with pools[role].acquire() as conn:
        assert await conn.fetchval("SELECT current_user") == role
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(statement)


async def test_each_role_can_do_its_own_work(pools: dict[str, asyncpg.Pool]) -> None:
    kek = generate_keyring("kek-roles")
    worker = PostgresEventStore(pools[WORKER_ROLE])
    assert await worker.append(history()) > 0  # the worker appends
    projector = Projector(pools[PROJECTOR_ROLE])
    assert await projector.catch_up() > 0  # the projector keeps the read models
    assert (await projector.rebuild()).events > 0
    keys = PostgresKeyStore(pools[KEYS_ROLE], kek)
    _, made = await keys.obtain("cand-roles", create=True)  # the CLI's key store
    assert made and await keys.erase("cand-roles", "coach-anna")
    auditor = PostgresEventStore(pools[AUDITOR_ROLE])
    assert (await verify_store(auditor)).report.intact  # the auditor reads and checks
    assert (await Projector(pools[AUDITOR_ROLE]).tracking()).lag == 0
