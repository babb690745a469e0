"""`python -m nbm.migrate`: what production's one-shot `migrate` service runs."""

from __future__ import annotations

import asyncpg

from activities import MIGRATIONS
from activities.event_store_schema import APP_ROLE
from nbm.migrate import run


async def test_migrates_once_and_sets_the_app_role_password(database_url: str) -> None:
    assert await run(database_url, "not-a-real-secret") == [name for name, _ in MIGRATIONS]
    assert await run(database_url, None) == []
    conn = await asyncpg.connect(database_url)
    try:
        stored = await conn.fetchval(
            "SELECT rolpassword FROM pg_authid WHERE rolname = $1", APP_ROLE
        )
        # Stored as a SCRAM verifier, never as the text given.
        assert stored.startswith("SCRAM-SHA-256$") and "not-a-real-secret" not in stored
        # Roles are cluster-wide: leave the shared test cluster as the other tests expect it.
        await conn.execute(f"ALTER ROLE {APP_ROLE} PASSWORD NULL")
    finally:
        await conn.close()
