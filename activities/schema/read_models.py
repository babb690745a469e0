"""Schema of the read models and their tracking position (`activities.projections`)."""

from __future__ import annotations

PROJECTION_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0201_read_models",
        """
        CREATE TABLE trajectory_summary (
            trajectory_id         text PRIMARY KEY,
            version               integer     NOT NULL,
            step                  text        NOT NULL,
            route                 text        NOT NULL,
            programme_id          text        NOT NULL,
            coach_id              text        NOT NULL,
            employer_id           text        NOT NULL,
            started_at            timestamptz NOT NULL,
            updated_at            timestamptz NOT NULL,
            expected_job_date     date        NOT NULL,
            learning_started_at   timestamptz,
            learning_ends_at      timestamptz,
            learning_weeks        integer     NOT NULL,
            regular_job_started   date,
            contract_hours        integer,
            wage_cost_subsidy_pct integer,
            benefit_ended         boolean,
            follow_up_at          timestamptz,
            closed_at             timestamptz,
            outcome_type          text,
            closure_reason        text,
            lasting_placement     boolean,
            open_calamities       integer     NOT NULL,
            escalations           integer     NOT NULL
        );
        CREATE INDEX trajectory_summary_coach ON trajectory_summary (coach_id);
        CREATE INDEX trajectory_summary_route ON trajectory_summary (route);

        CREATE TABLE caseload (
            coach_id          text PRIMARY KEY,
            open_trajectories integer NOT NULL,
            in_learning       integer NOT NULL,
            escalations       integer NOT NULL
        );

        CREATE TABLE outcomes (
            route              text    NOT NULL,
            outcome_type       text    NOT NULL,
            count              integer NOT NULL,
            lasting_placements integer NOT NULL,
            PRIMARY KEY (route, outcome_type)
        );

        CREATE TABLE projection_tracking (
            projection text PRIMARY KEY,
            position   bigint NOT NULL CHECK (position >= 0)
        );
        -- The row exists from the start, so every projector locks it and none inserts it.
        INSERT INTO projection_tracking (projection, position) VALUES ('read_models', 0);

        -- The application's role (made by 0002_app_role) keeps the read models; the
        -- events stay SELECT and INSERT only for it.
        GRANT SELECT, INSERT, UPDATE, DELETE
            ON trajectory_summary, caseload, outcomes, projection_tracking TO nbm_app;
        """,
    ),
    (
        "0202_projection_quarantine",
        """
        -- An event the projector cannot read or apply is set aside here, with the rest of
        -- its stream after it; the other streams go on. Where and why only: never the
        -- event's content, which can be personal data.
        CREATE TABLE projection_quarantine (
            position       bigint      PRIMARY KEY,
            stream_id      text        NOT NULL,
            version        integer     NOT NULL,
            reason         text        NOT NULL,
            quarantined_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX projection_quarantine_stream ON projection_quarantine (stream_id);
        GRANT SELECT, INSERT, DELETE ON projection_quarantine TO nbm_app;
        """,
    ),
    (
        "0203_outcome_facts",
        """
        -- The outcome facts the outcome reports need (issue 11): how the benefit ended, the
        -- wage-cost subsidy's wage value and dates, and each follow-up checkpoint's answer.
        -- Codes, numbers and dates only: nothing personal.
        ALTER TABLE trajectory_summary
            ADD COLUMN benefit_end       text,
            ADD COLUMN wage_value_pct    integer,
            ADD COLUMN lks_decided_on    date,
            ADD COLUMN lks_reassess_on   date,
            ADD COLUMN lks_reassessments integer NOT NULL DEFAULT 0;

        CREATE TABLE checkpoint_results (
            trajectory_id  text        NOT NULL,
            month          integer     NOT NULL,
            route          text        NOT NULL,
            programme_id   text        NOT NULL,
            job_started    date        NOT NULL,
            due_at         timestamptz NOT NULL,
            due            boolean     NOT NULL,
            missed         boolean     NOT NULL,
            recorded_at    timestamptz,
            still_employed boolean,
            hours_per_week integer,
            benefit_end    text,
            PRIMARY KEY (trajectory_id, month)
        );
        GRANT SELECT, INSERT, UPDATE, DELETE ON checkpoint_results TO nbm_app;
        """,
    ),
    (
        "0204_caseload",
        """
        -- The coach's morning lists and the search (issue 12: `nbm caseload`, `nbm trajectory
        -- search`). Ids, codes and dates only. A database migrated from before this keeps
        -- these empty until `nbm report rebuild` (`nbm caseload` says so).
        ALTER TABLE trajectory_summary
            ADD COLUMN future_job_id             text,
            ADD COLUMN next_evaluation_at        timestamptz,
            ADD COLUMN evaluation_pending_since  timestamptz,
            ADD COLUMN benefit_retention_ends_at timestamptz,
            ADD COLUMN benefit_warn_from         timestamptz,
            -- How long a week lasts on the trajectory's clock (the demo's are seconds).
            ADD COLUMN week_seconds              double precision;
        CREATE INDEX trajectory_summary_programme ON trajectory_summary (programme_id);
        CREATE INDEX trajectory_summary_employer ON trajectory_summary (employer_id);

        -- The latest contact with the candidate: an event a person recorded
        -- (`read_model_rows.CONTACT_EVENT_TYPES`), by its effective time.
        CREATE TABLE trajectory_contact (
            trajectory_id   text PRIMARY KEY,
            last_contact_at timestamptz NOT NULL
        );

        -- A cohort's trajectories (CohortStarted), and who dropped out (CandidateDroppedOut).
        CREATE TABLE cohort_members (
            trajectory_id text    NOT NULL,
            cohort_id     text    NOT NULL,
            dropped_out   boolean NOT NULL,
            PRIMARY KEY (trajectory_id, cohort_id)
        );
        CREATE INDEX cohort_members_cohort ON cohort_members (cohort_id);

        -- The tasks, as their events leave them: who has each, and until when to acknowledge.
        CREATE TABLE task_summary (
            task_id     text PRIMARY KEY,
            version     integer     NOT NULL,
            task_kind   text        NOT NULL,
            about       text        NOT NULL,
            assignee_id text        NOT NULL,
            status      text        NOT NULL,
            ack_due_on  date        NOT NULL,
            ack_due_at  timestamptz NOT NULL,
            climbed     integer     NOT NULL,
            opened_at   timestamptz NOT NULL,
            escalation  integer
        );
        CREATE INDEX task_summary_assignee ON task_summary (assignee_id);
        GRANT SELECT, INSERT, UPDATE, DELETE
            ON trajectory_contact, cohort_members, task_summary TO nbm_app;
        """,
    ),
    (
        "0205_outcome_report",
        """
        -- The outcome report (issue 12): the date each step was first reached (by effective
        -- dates; the regular job's by its first day), every employer a trajectory was meant
        -- for or hired by (a move counts for both), and per trajectory its municipality,
        -- budget, agreed length and courses. Codes, numbers and dates only.
        CREATE TABLE trajectory_milestones (
            trajectory_id text NOT NULL,
            step          text NOT NULL,
            reached_on    date NOT NULL,
            PRIMARY KEY (trajectory_id, step)
        );
        CREATE TABLE trajectory_employers (
            trajectory_id text NOT NULL,
            employer_id   text NOT NULL,
            since         date NOT NULL,
            how           text NOT NULL,
            PRIMARY KEY (trajectory_id, employer_id)
        );
        CREATE TABLE trajectory_report_facts (
            trajectory_id         text PRIMARY KEY,
            municipality          text,
            budget_eur            integer,
            agreed_weeks          integer,
            courses               integer NOT NULL DEFAULT 0,
            employer_paid_courses integer NOT NULL DEFAULT 0,
            placed_within_goal    boolean
        );
        GRANT SELECT, INSERT, UPDATE, DELETE
            ON trajectory_milestones, trajectory_employers, trajectory_report_facts TO nbm_app;
        """,
    ),
]
