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
    (
        "0003_events_continue_their_chains",
        r"""
        -- A row must continue both chains, whoever inserts it (the application's role too):
        -- the next position, the stream's next version, the current heads as its previous
        -- hashes, and hashes that are the ones of its own bytes. A row that breaks a chain
        -- is refused here instead of being found by the next `nbm audit verify`.
        CREATE FUNCTION events_continue_their_chains() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            zero CONSTANT bytea := decode(repeat('00', 32), 'hex');
            head_position bigint;
            head_hash     bytea;
            last_version  integer;
            last_hash     bytea;
            header        bytea;
            own_hash      bytea;
        BEGIN
            -- Rows inserted earlier by the same statement are visible here (a batch).
            SELECT position, global_hash INTO head_position, head_hash
                FROM events ORDER BY position DESC LIMIT 1;
            SELECT version, hash INTO last_version, last_hash
                FROM events WHERE stream_id = NEW.stream_id ORDER BY version DESC LIMIT 1;
            IF NEW.position <> coalesce(head_position, 0) + 1 THEN
                RAISE EXCEPTION 'position % does not follow the last position %',
                    NEW.position, coalesce(head_position, 0) USING ERRCODE = 'check_violation';
            END IF;
            IF NEW.version <> coalesce(last_version, 0) + 1 THEN
                RAISE EXCEPTION 'version % of stream % does not follow its version %',
                    NEW.version, NEW.stream_id, coalesce(last_version, 0)
                    USING ERRCODE = 'check_violation';
            END IF;
            IF NEW.prev_hash <> coalesce(last_hash, zero)
                    OR NEW.global_prev_hash <> coalesce(head_hash, zero) THEN
                RAISE EXCEPTION 'event % of stream %: its previous hashes are not the heads',
                    NEW.version, NEW.stream_id USING ERRCODE = 'check_violation';
            END IF;
            -- The header exactly as activities/chain.py writes it: canonical JSON, the time
            -- in UTC to the microsecond. Ids are plain ASCII, so to_json quotes them alike.
            header := convert_to(format(
                '{"actor":%s,"event_type":%s,"occurred_at":%s,"schema_version":%s,'
                '"stream_id":%s,"version":%s}',
                to_json(NEW.actor)::text,
                to_json(NEW.event_type)::text,
                to_json(to_char(NEW.occurred_at AT TIME ZONE 'UTC',
                                'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00')::text,
                NEW.schema_version,
                to_json(NEW.stream_id)::text,
                NEW.version), 'UTF8');
            own_hash := sha256(NEW.prev_hash || int4send(length(header)) || header || NEW.payload);
            IF NEW.hash <> own_hash THEN
                RAISE EXCEPTION 'event % of stream %: its hash is not the hash of its bytes',
                    NEW.version, NEW.stream_id USING ERRCODE = 'check_violation';
            END IF;
            IF NEW.global_hash <> sha256(NEW.global_prev_hash || int8send(NEW.position) || own_hash)
            THEN
                RAISE EXCEPTION 'event at position %: its global hash does not follow',
                    NEW.position USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END;
        $$;
        CREATE TRIGGER events_continue_their_chains
            BEFORE INSERT ON events
            FOR EACH ROW EXECUTE FUNCTION events_continue_their_chains();
        """,
    ),
]
