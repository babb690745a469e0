"""Schema of the key store: one wrapped AES-256 key per candidate (`activities.key_store`)."""

from __future__ import annotations

KEY_STORE_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0101_candidate_keys",
        """
        -- The application role (migration 0002) may read, create and erase keys; it may not
        -- delete a row, so an erasure leaves its tombstone. Created here too when this runs
        -- before 0002 exists (both are idempotent about the role).
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nbm_app') THEN
                CREATE ROLE nbm_app LOGIN;
            END IF;
        END $$;

        CREATE TABLE candidate_keys (
            candidate_ref text        PRIMARY KEY,
            kek_id        text        NOT NULL,
            wrapped_key   bytea,
            created_at    timestamptz NOT NULL DEFAULT now(),
            erased_at     timestamptz,
            erased_by     text,
            -- A key is either there or erased (with who and when), never both or neither.
            CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL)),
            CHECK ((erased_at IS NULL) = (erased_by IS NULL))
        );
        GRANT SELECT, INSERT, UPDATE ON candidate_keys TO nbm_app;
        """,
    ),
    (
        "0102_candidate_keys_discard",
        """
        -- A key made for a match that the trajectory then refused was never used: the CLI
        -- takes it back at once (`PostgresKeyStore.discard`). Nothing else may go: not a
        -- tombstone (an erasure's record), not a key older than a few minutes (it may seal
        -- stored data), and `created_at` cannot be moved to make one look new.
        CREATE FUNCTION candidate_keys_keep_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                IF NEW.created_at IS DISTINCT FROM OLD.created_at THEN
                    RAISE EXCEPTION 'a candidate key''s created_at does not change'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN NEW;
            END IF;
            IF OLD.erased_at IS NOT NULL THEN
                RAISE EXCEPTION 'candidate % was erased: its tombstone stays', OLD.candidate_ref
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF OLD.created_at < now() - interval '10 minutes' THEN
                RAISE EXCEPTION 'the key of candidate % may seal stored data: erase it instead',
                    OLD.candidate_ref USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN OLD;
        END;
        $$;
        CREATE TRIGGER candidate_keys_keep_rows
            BEFORE UPDATE OR DELETE ON candidate_keys
            FOR EACH ROW EXECUTE FUNCTION candidate_keys_keep_rows();
        GRANT DELETE ON candidate_keys TO nbm_app;
        """,
    ),
]
