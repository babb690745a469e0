"""Schema of the event store: the events table and the role that may touch it.

Migrations here run as the schema owner (NBM_MIGRATION_DATABASE_URL). The application
connects as `nbm_app`, which may only read and insert events: history is rewritten neither
by a bug nor by a stolen application password.
"""

from __future__ import annotations

APP_ROLE = "nbm_app"
"""The application's database role: SELECT and INSERT on the events table, nothing else."""

EVENT_STORE_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_events",
        """
        CREATE TABLE events (
            -- Gap-free and in commit order: max + 1, taken while every appender is serialised
            -- (see PostgresEventStore.append), so a reader tailing by position misses nothing.
            position         bigint      NOT NULL UNIQUE CHECK (position >= 1),
            stream_id        text        NOT NULL,
            version          integer     NOT NULL CHECK (version >= 1),
            event_type       text        NOT NULL,
            schema_version   integer     NOT NULL,
            occurred_at      timestamptz NOT NULL,
            actor            text        NOT NULL,
            -- The canonical JSON bytes exactly as hashed; jsonb would re-encode them.
            payload          bytea       NOT NULL,
            -- Per stream: hash = sha256(prev_hash || header || payload), the first prev_hash
            -- 32 zero bytes. Over all events by position: global_hash =
            -- sha256(global_prev_hash || position || hash). See activities/chain.py.
            prev_hash        bytea       NOT NULL CHECK (length(prev_hash) = 32),
            hash             bytea       NOT NULL CHECK (length(hash) = 32),
            global_prev_hash bytea       NOT NULL CHECK (length(global_prev_hash) = 32),
            global_hash      bytea       NOT NULL CHECK (length(global_hash) = 32),
            recorded_at      timestamptz NOT NULL DEFAULT now(),
            -- Optimistic concurrency: two writers of one version, one row.
            PRIMARY KEY (stream_id, version)
        );

        -- Append-only also for the owner: a change needs a deliberate act (disabling the
        -- triggers as superuser), and even that is found by the hash chains.
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
    (
        "0002_app_role",
        """
        -- Roles belong to the cluster, not the database: several databases (tests, a second
        -- environment) share one, and may migrate at the same moment.
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nbm_app') THEN
                CREATE ROLE nbm_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
            END IF;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;  -- created meanwhile
        END
        $$;
        DO $$
        BEGIN
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO nbm_app', current_database());
        END
        $$;
        GRANT USAGE ON SCHEMA public TO nbm_app;
        -- No UPDATE, DELETE or TRUNCATE. Not even LOCK TABLE, which needs one of them for
        -- EXCLUSIVE mode: appends serialise on an advisory lock instead.
        GRANT SELECT, INSERT ON events TO nbm_app;
        """,
    ),
]
