"""Mail to employers over SMTP: rendered from the templates, sent once, recorded.

Idempotent by a deterministic Message-ID (the key of the event that asked for the mail):
`mail_log` is written before the SMTP transaction ("sending") and after it ("sent"). A
retry that finds it sent sends nothing. A retry that finds it "sending" (the worker died
while the server took it, or before it answered) sends again with the same Message-ID, the
header by which receiving servers and the local mailbox recognise the same mail; that
window is SMTP's, not ours to close.

Recipients are the employer's contacts; their sealed details are opened here with their own
key, used for the envelope and the greeting, and never logged or returned.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal
from urllib.parse import urlsplit

import aiosmtplib
import asyncpg
from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain import employer
from domain.shared import N_
from privacy.seal import SealError, open_contact

from .event_store import PostgresEventStore
from .key_store import KeyStoreError, PostgresKeyStore
from .links import Link, LinkSigner
from .mail_templates import LINKED, render
from .stream_events import read_employer, read_future_job

MAIL_DOMAIN = "nieuwe-banen.local"
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
COMMITMENT_NL = {"job-guarantee": "baangarantie", "intention-to-hire": "intentieverklaring"}
COMMITMENT_EN = {"job-guarantee": "job guarantee", "intention-to-hire": "intention to hire"}


class EmployerMail(BaseModel):
    """One mail the future job's workflow asks for; `key` names it for good."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    """Deterministic: the future job, its event's version and the template."""
    template: Literal[
        "commitment-request", "commitment-reminder", "vacancy-confirmation", "check-in",
        "evaluation-invitation",
    ]  # fmt: skip
    future_job_id: str
    trajectory_id: str = ""
    """The trajectory it is about (none for a check-in about the whole future job)."""
    reminder: int | None = None
    job_on: date | None = None
    """Vacancy confirmation: the day the job must be there."""
    due_on: date | None = None
    """Evaluation invitation: the week it falls due."""
    learning: int | None = None
    """Check-in: how many candidates learn towards it."""


class MailSent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    message_id: str
    recipients: int
    already_sent: bool


def message_id(key: str) -> str:
    return f"<{key}@{MAIL_DOMAIN}>"


class MailActivities:
    """Sends the employers' mails; safe to retry (see the module)."""

    def __init__(
        self,
        store: PostgresEventStore,
        keys: Callable[[], PostgresKeyStore],
        *,
        smtp_url: str,
        sender: str,
        page_url: str,
        links: LinkSigner,
        link_days: int,
    ) -> None:
        # Called per mail: the KEK can be rotated (after an erasure) while the worker runs.
        self._store, self._keys, self._links = store, keys, links
        self._smtp = urlsplit(smtp_url)
        if self._smtp.scheme not in ("smtp", "smtps") or not self._smtp.hostname:
            raise ValueError("the SMTP URL must be smtp://host:port or smtps://host:port")
        self._sender, self._page_url, self._link_days = sender, page_url.rstrip("/"), link_days

    @activity.defn(name="send_employer_mail")
    async def send_employer_mail(self, mail: EmployerMail) -> MailSent:
        mid = message_id(mail.key)
        pool = self._store.pool
        status = await pool.fetchval("SELECT status FROM mail_log WHERE message_id = $1", mid)
        if status == "sent":
            return MailSent(message_id=mid, recipients=0, already_sent=True)
        job = await read_future_job(self._store, mail.future_job_id)
        boss = await read_employer(self._store, job.employer_id)
        recipients = await self._recipients(boss)
        if not recipients:
            raise ApplicationError(
                f"employer {boss.employer_id} has no contact to mail",
                N_("employer {employer_id} has no contact to mail"),
                {"employer_id": boss.employer_id},
                type="no-recipient",
                non_retryable=True,
            )
        now = datetime.now(UTC)
        valid_until = now + timedelta(days=self._link_days)
        link = ""
        if mail.template in LINKED:
            token = self._links.token(Link(mail.key, mail.future_job_id, mail.trajectory_id))
            link = f"{self._page_url}/antwoord/{token}"
        await _log_attempt(pool, mid, mail)
        for name, address in recipients:
            subject, text, html = render(
                mail.template,
                {
                    "contact_name": name,
                    "organisation": boss.organisation,
                    "function": job.function,
                    "expected_on": job.expected_on.isoformat(),
                    "expected_on_nl": dutch_date(job.expected_on),
                    "commitment_nl": COMMITMENT_NL[job.commitment.value],
                    "commitment_en": COMMITMENT_EN[job.commitment.value],
                    "valid_until": dutch_date(valid_until.date()),
                    "link": link,
                    "reminder": mail.reminder,
                    "job_on": mail.job_on.isoformat() if mail.job_on else "",
                    "job_on_nl": dutch_date(mail.job_on) if mail.job_on else "",
                    "due_on": mail.due_on.isoformat() if mail.due_on else "",
                    "due_on_nl": dutch_date(mail.due_on) if mail.due_on else "",
                    "learning": mail.learning,
                    "future_job_id": mail.future_job_id,
                    "trajectory_id": mail.trajectory_id,
                },
            )
            message = EmailMessage()
            message["From"] = self._sender
            message["To"] = address
            message["Subject"] = subject
            message["Date"] = format_datetime(now)
            # One Message-ID per recipient: the same on every retry.
            message["Message-ID"] = (
                mid if len(recipients) == 1 else message_id(f"{mail.key}.{address_key(address)}")
            )
            message["Content-Language"] = "nl, en"
            message.set_content(text)
            message.add_alternative(html, subtype="html")
            await self._send(message)
        await pool.execute(
            "UPDATE mail_log SET status = 'sent', sent_at = now(), recipients = $2 "
            "WHERE message_id = $1",
            mid,
            len(recipients),
        )
        activity.logger.info(
            "mail sent", extra={"template": mail.template, "future_job_id": mail.future_job_id}
        )
        return MailSent(message_id=mid, recipients=len(recipients), already_sent=False)

    async def _send(self, message: EmailMessage) -> None:
        url = self._smtp
        try:
            await aiosmtplib.send(
                message,
                hostname=url.hostname,
                port=url.port or (465 if url.scheme == "smtps" else 25),
                username=url.username,
                password=url.password,
                use_tls=url.scheme == "smtps",
                start_tls=None if url.scheme == "smtps" else False,
                timeout=30,
            )
        except (aiosmtplib.SMTPException, OSError) as err:
            # Retried with back-off by the workflow's policy; the message names no person.
            raise ApplicationError(
                f"the SMTP server did not take the mail ({type(err).__name__})", type="smtp"
            ) from None

    async def _recipients(self, boss: employer.Employer) -> list[tuple[str, str]]:
        found = []
        keys = self._keys()
        for contact in boss.contacts:
            try:
                key = await keys.key_for(contact.details.key_id, create=False)
                details = open_contact(contact.details, key, contact.details.key_id)
            except (KeyStoreError, SealError) as err:
                # Erased, or not openable: this contact cannot be mailed. Its id, not who.
                activity.logger.warning(
                    "contact not mailable",
                    extra={"contact_id": contact.contact_id, "problem": type(err).__name__},
                )
                continue
            found.append((details.name, details.email))
        return found


def address_key(address: str) -> str:
    """A stable, non-identifying key of an address for a Message-ID (its hash)."""
    return hashlib.sha256(address.lower().encode()).hexdigest()[:16]


async def _log_attempt(pool: asyncpg.Pool, mid: str, mail: EmployerMail) -> None:
    await pool.execute(
        "INSERT INTO mail_log (message_id, stream_id, template, recipients, status) "
        "VALUES ($1, $2, $3, 0, 'sending') "
        "ON CONFLICT (message_id) DO UPDATE SET attempts = mail_log.attempts + 1",
        mid,
        mail.future_job_id,
        mail.template,
    )


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"
