"""What was sent to employers, and which answer links were used.

`mail_log` makes sending idempotent: a mail is keyed by its deterministic Message-ID, so a
retried activity finds it sent and sends nothing. It records how many recipients and which
template, never who or what was written. `link_uses` makes each answer link single-use.
"""

from __future__ import annotations

MAIL_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0501_mail_log_and_link_uses",
        """
        CREATE TABLE mail_log (
            message_id   text        PRIMARY KEY,
            stream_id    text        NOT NULL,
            template     text        NOT NULL,
            recipients   integer     NOT NULL CHECK (recipients >= 0),
            -- sending: handed to the SMTP server, not yet confirmed; sent: accepted by it.
            status       text        NOT NULL CHECK (status IN ('sending', 'sent')),
            attempts     integer     NOT NULL DEFAULT 1,
            first_try_at timestamptz NOT NULL DEFAULT now(),
            sent_at      timestamptz
        );
        CREATE INDEX mail_log_by_stream ON mail_log (stream_id);

        CREATE TABLE link_uses (
            link_id    text        PRIMARY KEY,
            stream_id  text        NOT NULL,
            request_id text        NOT NULL,
            used_at    timestamptz NOT NULL DEFAULT now()
        );

        GRANT SELECT, INSERT, UPDATE ON mail_log TO nbm_app, nbm_worker;
        GRANT SELECT, INSERT ON link_uses TO nbm_app, nbm_worker;
        GRANT SELECT ON mail_log, link_uses TO nbm_auditor;
        """,
    ),
]
