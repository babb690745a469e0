"""The database roles, one per process, each with only what that process does.

| role | who | may |
| --- | --- | --- |
| `nbm_worker` | the worker | read and append events |
| `nbm_projector` | the projector, `nbm report rebuild` | read events; keep the read models |
| `nbm_keys` | the coach's CLI (sealing, opening, erasing) | the candidate keys, the access log |
| `nbm_auditor` | `nbm audit`, `nbm report` | read events, read models and the access log |

Roles belong to the cluster, not the database; the grants are per database. The older
all-purpose `nbm_app` keeps its grants for deployments that still use it.
"""

from __future__ import annotations

WORKER_ROLE = "nbm_worker"
PROJECTOR_ROLE = "nbm_projector"
KEYS_ROLE = "nbm_keys"
AUDITOR_ROLE = "nbm_auditor"
ROLES = (WORKER_ROLE, PROJECTOR_ROLE, KEYS_ROLE, AUDITOR_ROLE)

_CREATE = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;  -- created meanwhile
END
$$;
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO {role}', current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO {role};
"""

ROLE_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0301_roles_per_process",
        "".join(_CREATE.format(role=role) for role in ROLES)
        + """
        GRANT SELECT, INSERT ON events TO nbm_worker;

        GRANT SELECT ON events TO nbm_projector;
        GRANT SELECT, INSERT, UPDATE, DELETE
            ON trajectory_summary, caseload, outcomes, projection_tracking TO nbm_projector;
        GRANT SELECT, INSERT, DELETE ON projection_quarantine TO nbm_projector;

        GRANT SELECT, INSERT, UPDATE, DELETE ON candidate_keys TO nbm_keys;

        GRANT SELECT ON events, trajectory_summary, caseload, outcomes, projection_tracking,
            projection_quarantine TO nbm_auditor;
        """,
    ),
    (
        "0302_keys_may_vacuum_their_table",
        """
        -- After an erasure the key table is rewritten without the dead copies of keys
        -- (VACUUM FULL), by the role that erased: MAINTAIN exists from PostgreSQL 17 on.
        DO $$
        BEGIN
            IF current_setting('server_version_num')::int >= 170000 THEN
                EXECUTE 'GRANT MAINTAIN ON candidate_keys TO nbm_keys';
            END IF;
        END
        $$;
        """,
    ),
    (
        "0303_checkpoint_results",
        """
        -- The read model of the follow-up checkpoints (0203_outcome_facts).
        GRANT SELECT, INSERT, UPDATE, DELETE ON checkpoint_results TO nbm_projector;
        GRANT SELECT ON checkpoint_results TO nbm_auditor;
        """,
    ),
    (
        "0304_caseload",
        """
        -- The caseload's read models (0204_caseload).
        GRANT SELECT, INSERT, UPDATE, DELETE
            ON trajectory_contact, cohort_members, task_summary TO nbm_projector;
        GRANT SELECT ON trajectory_contact, cohort_members, task_summary TO nbm_auditor;
        """,
    ),
    (
        "0305_outcome_report",
        """
        -- The outcome report's read models (0205_outcome_report).
        GRANT SELECT, INSERT, UPDATE, DELETE
            ON trajectory_milestones, trajectory_employers, trajectory_report_facts
            TO nbm_projector;
        GRANT SELECT ON trajectory_milestones, trajectory_employers, trajectory_report_facts
            TO nbm_auditor;
        """,
    ),
]
