"""Sending is idempotent, and a mail that cannot be sent becomes the account manager's task."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio import activity
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from activities.key_store import PostgresKeyStore
from activities.links import LinkSigner
from activities.mail import EmployerMail, MailActivities, MailSent
from domain import task
from nbm import stream_service as streams
from privacy.keyring import generate_keyring, next_generation, only_current
from tests.employers.conftest import (
    Mail,
    add_employer,
    add_people,
    forecast_and_request,
    opened_task,
    settle,
)
from worker import build_mail_worker, build_worker


class LosesTheFirstAnswer(MailActivities):
    """The real activity, except that its first attempt fails after the mail went out."""

    @activity.defn(name="send_employer_mail")
    async def send_employer_mail(self, mail: EmployerMail) -> MailSent:
        sent = await super().send_employer_mail(mail)
        if activity.info().attempt == 1:
            raise RuntimeError("the worker lost its connection after sending")
        return sent


@pytest.fixture
async def flaky_worker(
    ts_env: WorkflowEnvironment,
    store: PostgresEventStore,
    keys: PostgresKeyStore,
    mail: Mail,
    links: LinkSigner,
    task_queue: str,
) -> AsyncIterator[Worker]:
    mailer = LosesTheFirstAnswer(
        store, lambda: keys, smtp_url=mail.url, sender="wb@example.org", page_url="http://127.0.0.1:1",
        links=links, link_days=21,
    )  # fmt: skip
    async with (
        build_worker(ts_env.client, store, task_queue) as worker,
        build_mail_worker(ts_env.client, task_queue, mailer),
    ):
        yield worker


async def test_a_send_retried_after_the_mail_went_out_sends_exactly_one(
    ts_env: WorkflowEnvironment,
    flaky_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
    store: PostgresEventStore,
) -> None:
    await add_people(ts_env.client, task_queue, keys)
    await add_employer(ts_env.client, task_queue, keys)
    await forecast_and_request(ts_env, task_queue, "fj-once")

    async def retried() -> bool:
        row = await store.pool.fetchrow("SELECT status, attempts FROM mail_log")
        return row is not None and tuple(row) == ("sent", 1) and mail.handler.received >= 1

    await settle(ts_env, retried, "the first attempt sends and records the mail")
    await ts_env.sleep(timedelta(minutes=5))  # past the retry (after a minute)
    assert mail.handler.received == 1 and len(mail.mailbox.list()) == 1


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


@pytest.fixture
async def no_smtp_worker(
    ts_env: WorkflowEnvironment,
    store: PostgresEventStore,
    keys: PostgresKeyStore,
    links: LinkSigner,
    task_queue: str,
) -> AsyncIterator[Worker]:
    mailer = MailActivities(
        store, lambda: keys, smtp_url=f"smtp://127.0.0.1:{closed_port()}", sender="wb@example.org",
        page_url="http://127.0.0.1:1", links=links, link_days=21,
    )  # fmt: skip
    async with (
        build_worker(ts_env.client, store, task_queue) as worker,
        build_mail_worker(ts_env.client, task_queue, mailer),
    ):
        yield worker


async def test_a_mail_the_server_never_takes_becomes_a_task_for_the_account_manager(
    ts_env: WorkflowEnvironment,
    no_smtp_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
) -> None:
    await add_people(ts_env.client, task_queue, keys)
    await add_employer(ts_env.client, task_queue, keys)
    await forecast_and_request(ts_env, task_queue, "fj-nomail")
    state = await streams.future_job_state(ts_env.client, "fj-nomail")
    task_id = f"task-fj-nomail-{state.version}"  # the request's event: the last one
    await ts_env.sleep(timedelta(hours=3))  # six tries with back-off: about an hour

    it = await opened_task(ts_env, task_id, "the mail-failed task is opened")
    assert (it.task_kind, it.assignee_id, it.about) == (
        task.TaskKind.MAIL_FAILED,
        "am-1",
        "fj-nomail",
    )


async def test_a_kek_rotated_while_the_worker_runs_still_opens_the_contacts(
    ts_env: WorkflowEnvironment,
    store: PostgresEventStore,
    mail: Mail,
    links: LinkSigner,
    task_queue: str,
) -> None:
    # `nbm candidate erase` retires the KEK and rewraps every key: the worker, started
    # before, must mail with the KEK of the moment, not the one it started with.
    kek = {"now": next_generation(generate_keyring("kek1"))}
    kek["now"] = only_current(kek["now"])
    mailer = MailActivities(
        store, lambda: PostgresKeyStore(store.pool, kek["now"]), smtp_url=mail.url,
        sender="wb@example.org", page_url="http://127.0.0.1:1", links=links, link_days=21,
    )  # fmt: skip
    async with (
        build_worker(ts_env.client, store, task_queue),
        build_mail_worker(ts_env.client, task_queue, mailer),
    ):
        keys = PostgresKeyStore(store.pool, kek["now"])
        await add_people(ts_env.client, task_queue, keys)
        await add_employer(ts_env.client, task_queue, keys)
        rotated = next_generation(kek["now"])
        assert await PostgresKeyStore(store.pool, rotated).rewrap() > 0
        kek["now"] = only_current(rotated)  # the old KEK is destroyed
        await forecast_and_request(ts_env, task_queue, "fj-rotated")

        async def mailed() -> bool:
            return len(mail.mailbox.list()) == 1

        await settle(ts_env, mailed, "the request is mailed under the new KEK")
