"""Schema migrations: an ordered list, each applied once, in order, and recorded.

A shipped migration is never edited; a change is a new migration at the end of the list.
"""

from __future__ import annotations

import asyncpg

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_events",
        """
        CREATE TABLE events (
            position       bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
            stream_id      text        NOT NULL,
            version        integer     NOT NULL CHECK (version >= 1),
            event_type     text        NOT NULL,
            schema_version integer     NOT NULL,
            occurred_at    timestamptz NOT NULL,
            actor          text        NOT NULL,
            payload        jsonb       NOT NULL,
            recorded_at    timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (stream_id, version)
        );

        -- Append-only from the start: history is never rewritten, not even by the application.
        CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the events table is append-only: % is refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$;
        CREATE TRIGGER events_no_update_or_delete
            BEFORE UPDATE OR DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
        CREATE TRIGGER events_no_truncate
            BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();
        """,
    ),
]

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
