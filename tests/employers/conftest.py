"""An employer with a contact, its account manager and their supervisor, on real servers:
PostgreSQL, the SMTP server of the embedded stack, and a Temporal server of the test's."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from activities.key_store import PostgresKeyStore
from activities.links import LinkSigner
from activities.mail import MailActivities
from devstack.mail_server import MailboxHandler, mail_server
from domain import employer, future_job, people, task
from domain.shared import COACH_TIME_ZONE, ContactDetails
from domain.trajectory import Commitment
from nbm import stream_service as streams
from nbm.employer_page import PageConfig, build_app
from nbm.mailbox import Mailbox
from privacy.keyring import generate_keyring
from privacy.seal import seal_contact
from worker import build_mail_worker, build_worker

CONTACT_NAME = "Hendrika Voorthuizen-Brakel"
CONTACT_EMAIL = "h.voorthuizen@zorgcentrum-delinde.example"
LINK_SECRET = b"a test secret for the answer links, 32+ bytes"


@dataclass
class Mail:
    mailbox: Mailbox
    handler: MailboxHandler
    url: str


@pytest.fixture
def mail(tmp_path: Path) -> Iterator[Mail]:
    controller, handler = mail_server(tmp_path / "mail")
    yield Mail(handler.mailbox, handler, f"smtp://127.0.0.1:{controller.port}")
    controller.stop()


@pytest.fixture
async def keys(store: PostgresEventStore) -> PostgresKeyStore:
    return PostgresKeyStore(store.pool, generate_keyring("kek-test"))


@pytest.fixture
def links() -> LinkSigner:
    return LinkSigner(LINK_SECRET, timedelta(days=21))


@pytest.fixture
def page_url() -> str:
    """Where the employer page of the test listens (the links in the mails lead there)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture
async def mailer(
    store: PostgresEventStore, keys: PostgresKeyStore, mail: Mail, links: LinkSigner, page_url: str
) -> MailActivities:
    return MailActivities(
        store, lambda: keys, smtp_url=mail.url, sender="Werkbedrijf <wb@example.org>",
        page_url=page_url, links=links, link_days=21,
    )  # fmt: skip


@pytest.fixture
async def employer_page(
    ts_env: WorkflowEnvironment, store: PostgresEventStore, links: LinkSigner, page_url: str
) -> AsyncIterator[str]:
    """The real employer web app on `page_url`, on the test's Temporal server."""
    config = PageConfig(links=links, secret=LINK_SECRET, secure_cookies=False, valid_days=21)
    runner = web.AppRunner(build_app(ts_env.client, store, config), access_log=None)
    await runner.setup()
    port = int(page_url.rsplit(":", 1)[1])
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield page_url
    await runner.cleanup()


@pytest.fixture
async def employer_worker(
    ts_env: WorkflowEnvironment, store: PostgresEventStore, task_queue: str, mailer: MailActivities
) -> AsyncIterator[Worker]:
    async with (
        build_worker(ts_env.client, store, task_queue) as worker,
        build_mail_worker(ts_env.client, task_queue, mailer),
    ):
        yield worker


async def add_people(client: Client, task_queue: str, keys: PostgresKeyStore) -> None:
    for person_id, role, supervisor in (
        ("sup-1", people.Role.SUPERVISOR, None),
        ("am-1", people.Role.ACCOUNT_MANAGER, "sup-1"),
    ):
        key = await keys.key_for(person_id, create=True)
        details = ContactDetails(name=f"Medewerker {person_id}", email=f"{person_id}@wb.example")
        await streams.people_command(
            client,
            task_queue,
            people.AddPerson(
                actor="admin", person_id=person_id, role=role, supervisor_id=supervisor,
                contact=seal_contact(details, key, person_id),
            ),
        )  # fmt: skip


async def add_employer(
    client: Client, task_queue: str, keys: PostgresKeyStore, employer_id: str = "emp-1"
) -> None:
    await streams.register_employer(
        client,
        task_queue,
        employer.RegisterEmployer(
            actor="am-1", employer_id=employer_id, organisation="Zorgcentrum De Linde",
            sector="zorg", account_manager_id="am-1",
        ),
    )  # fmt: skip
    ref = f"{employer_id}-contact-1"
    key = await keys.key_for(ref, create=True)
    details = seal_contact(ContactDetails(name=CONTACT_NAME, email=CONTACT_EMAIL), key, ref)
    await streams.employer_command(
        client,
        employer_id,
        employer.AddContact(
            actor="am-1",
            contact=employer.Contact(contact_id="contact-1", role="HR", details=details),
        ),
    )


async def forecast_and_request(
    env: WorkflowEnvironment, task_queue: str, fj: str, trajectory_id: str = "traj-1"
) -> date:
    """A future job of emp-1 with `trajectory_id` attached and its commitment asked for;
    the day (in Amsterdam) it was asked."""
    now = await env.get_current_time()
    await streams.forecast(
        env.client,
        task_queue,
        future_job.ForecastFutureJob(
            actor="am-1", future_job_id=fj, employer_id="emp-1", function="helpende zorg",
            jobs=2, expected_on=date(now.year + 1, now.month, 1), required_skills=("ADL",),
            commitment=Commitment.JOB_GUARANTEE,
        ),
        now=now,
    )  # fmt: skip
    await streams.future_job_command(
        env.client, fj, future_job.AttachCandidate(actor="coach-1", trajectory_id=trajectory_id)
    )
    await streams.future_job_command(
        env.client,
        fj,
        future_job.RequestCommitment(
            actor="coach-1", trajectory_id=trajectory_id, request_id=f"rq-{fj}"
        ),
    )
    return now.astimezone(COACH_TIME_ZONE).date()


async def settle(env: WorkflowEnvironment, check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait (a second of server time at a go) until `check()` holds; effects are async."""
    for _ in range(100):
        if await check():
            return
        await env.sleep(timedelta(seconds=1))
    raise AssertionError(f"never: {what}")


async def task_exists(env: WorkflowEnvironment, task_id: str) -> bool:
    try:
        await streams.task_state(env.client, task_id)
    except streams.ServiceError:
        return False
    return True


async def opened_task(env: WorkflowEnvironment, task_id: str, what: str) -> task.Task:
    """The task, once its workflow runs (tasks are opened beside the commands)."""
    await settle(env, lambda: task_exists(env, task_id), what)
    return await streams.task_state(env.client, task_id)
