"""The one way to migrate, what production's one-shot `python -m nbm.migrate` runs."""

from __future__ import annotations

import asyncpg

from activities import MIGRATIONS
from activities.migrations import migrate_database
from activities.schema import APP_ROLE


async def test_migrates_once_and_sets_the_app_role_password(database_url: str) -> None:
    assert await migrate_database(database_url, passwords={APP_ROLE: "not-a-real-secret"}) == [
        name for name, _ in MIGRATIONS
    ]
    assert await migrate_database(database_url) == []
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
