"""Schema of the event store: the events table and the roles that may touch it."""

from __future__ import annotations

EVENT_STORE_MIGRATIONS: list[tuple[str, str]] = [
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
