"""Schema migrations: an ordered list, each applied once, in order, and recorded.

A shipped migration is never edited; a change is a new migration at the end of the list.
"""

from __future__ import annotations

import asyncpg

from .event_store_schema import EVENT_STORE_MIGRATIONS
from .key_store import KEY_STORE_MIGRATIONS
from .projections import PROJECTION_MIGRATIONS

MIGRATIONS: list[tuple[str, str]] = [
    *EVENT_STORE_MIGRATIONS,  # 00xx
    *KEY_STORE_MIGRATIONS,  # 01xx
    *PROJECTION_MIGRATIONS,  # 02xx
]
"""Every migration, in the order applied; names are unique and never reused."""

# Any constant works; it only has to be the same for every process that migrates.
_MIGRATION_LOCK = 0x4E424D  # "NBM"


async def migrate(conn: asyncpg.Connection) -> list[str]:
    """Apply the migrations this database lacks; returns the names applied now."""
    applied_now: list[str] = []
    async with conn.transaction():
        # Two workers starting at once must not both apply the same migration.
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        await conn.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name       text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            await conn.execute(sql)
            await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)
            applied_now.append(name)
    return applied_now
