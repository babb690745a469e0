"""Schema migrations: the one way to migrate, as the schema owner, for every process.

`migrate_database(owner_url)` applies what the database lacks of `activities.schema.MIGRATIONS`,
in order, each once, and records it; production's one-shot `python -m nbm.migrate`, the
embedded stack, the benchmarks and the tests all call it. The application's role may not run
DDL, so nothing else migrates: the store refuses to open a database without its tables.
"""

from __future__ import annotations

from collections.abc import Mapping

import asyncpg

from .schema import APP_ROLE, MIGRATIONS, ROLES

# Any constant works; it only has to be the same for every process that migrates.
_MIGRATION_LOCK = 0x4E424D  # "NBM"


async def migrate_database(
    owner_url: str, *, passwords: Mapping[str, str] | None = None
) -> list[str]:
    """Apply the migrations this database lacks; returns the names applied now.

    `passwords`: role (`nbm_worker`, ...) to password, so that each process can log in over
    the network as its own role (production sets them from secrets). Roles not named keep
    theirs.
    """
    unknown = set(passwords or {}) - {APP_ROLE, *ROLES}
    if unknown:
        raise ValueError(f"no such role: {', '.join(sorted(unknown))}")
    conn = await asyncpg.connect(owner_url)
    try:
        applied = await _migrate(conn)
        for role, password in (passwords or {}).items():
            # ALTER ROLE takes no bind parameters: quote the literal in the server.
            statement = await conn.fetchval(
                "SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)", role, password
            )
            await conn.execute(statement)
    finally:
        await conn.close()
    return applied


async def _migrate(conn: asyncpg.Connection) -> list[str]:
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
