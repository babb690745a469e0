"""Schema of the processing log: who read which candidate's personal data, when and why.

After the Dutch *Logboek Dataverwerkingen*: every opening of sealed personal data is
recorded, append-only and hash-chained, before the data is shown. Never the data itself:
the reader's id, the candidate's reference (an opaque id), the purpose and the action.
"""

from __future__ import annotations

ACCESS_LOG_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0401_access_log",
        r"""
        CREATE TABLE access_log (
            position      bigint      PRIMARY KEY CHECK (position >= 1),
            at            timestamptz NOT NULL,
            actor         text        NOT NULL,
            candidate_ref text        NOT NULL,
            purpose       text        NOT NULL,
            action        text        NOT NULL,
            -- hash = sha256(prev_hash || the entry's line, see activities/access_log.py);
            -- the first prev_hash is 32 zero bytes.
            prev_hash     bytea       NOT NULL CHECK (length(prev_hash) = 32),
            hash          bytea       NOT NULL CHECK (length(hash) = 32)
        );
        CREATE INDEX access_log_candidate ON access_log (candidate_ref, position);

        -- The database places and chains each entry: a writer gives only who, whom, why, what.
        -- SECURITY DEFINER: it reads the head, which the writing role may not read itself.
        CREATE FUNCTION access_log_chain() RETURNS trigger LANGUAGE plpgsql
            SECURITY DEFINER SET search_path = public AS $$
        DECLARE
            last_position bigint;
            last_hash     bytea;
        BEGIN
            PERFORM pg_advisory_xact_lock(5129561);  -- one writer at a time: a gap-free chain
            SELECT position, hash INTO last_position, last_hash
                FROM access_log ORDER BY position DESC LIMIT 1;
            NEW.position := coalesce(last_position, 0) + 1;
            NEW.at := clock_timestamp();
            NEW.prev_hash := coalesce(last_hash, decode(repeat('00', 32), 'hex'));
            NEW.hash := sha256(NEW.prev_hash || convert_to(concat_ws(E'\n',
                NEW.position::text,
                to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00',
                NEW.actor, NEW.candidate_ref, NEW.purpose, NEW.action), 'UTF8'));
            RETURN NEW;
        END;
        $$;
        CREATE TRIGGER access_log_chain BEFORE INSERT ON access_log
            FOR EACH ROW EXECUTE FUNCTION access_log_chain();

        CREATE FUNCTION access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the access log is append-only: % is refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$;
        CREATE TRIGGER access_log_no_update_or_delete BEFORE UPDATE OR DELETE ON access_log
            FOR EACH ROW EXECUTE FUNCTION access_log_refuse_change();
        CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
            FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse_change();

        -- Readers of personal data write it; auditors read it; nobody changes it.
        GRANT INSERT ON access_log TO nbm_keys, nbm_app;
        GRANT SELECT ON access_log TO nbm_auditor, nbm_app;
        """,
    ),
]
