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
]
