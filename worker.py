"""Composition root of the worker (`python worker.py`) and of the mail worker
(`python worker.py --mail`): settings, logging, the event store, Temporal. Nothing else."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import asyncpg
from temporalio.client import Client
from temporalio.worker import Worker

from activities import PostgresEventStore, TrajectoryEventActivities
from activities.checkpoints import CheckpointActivities
from activities.cohort import CohortActivities
from activities.key_store import PostgresKeyStore
from activities.links import LinkSigner
from activities.mail import MailActivities
from activities.stream_events import StreamEventActivities
from nbm.logs import configure_logging, get_logger
from nbm.settings import ConfigError, load_settings
from nbm.temporal import connect
from workflows import TrajectoryWorkflow, workflow_runner
from workflows.checkpoint import CheckpointWorkflow
from workflows.cohort import CohortWorkflow
from workflows.employer import EmployerWorkflow, PeopleWorkflow
from workflows.future_job import FutureJobWorkflow
from workflows.matching import MatchingWorkflow
from workflows.stream_messages import mail_queue
from workflows.task import TaskWorkflow


def build_worker(
    client: Client,
    store: PostgresEventStore,
    task_queue: str,
    *,
    checkpoints: CheckpointActivities | None = None,
    extra_workflows: Sequence[type] = (),
    sandboxed: bool = True,
    **options: Any,
) -> Worker:
    """The worker for every workflow and its activities but the mail (`options` go to Worker).

    With `checkpoints`, it also runs the scheduled signing of the event store's heads;
    `extra_workflows` are registered beside (the benchmark's no-op workflows); `sandboxed`
    picks the runner (`workflows.runner`). The employers' mails are the mail worker's
    (`build_mail_worker`), on a task queue of their own: only it holds the KEK.
    """
    streams = StreamEventActivities(store)
    cohorts = CohortActivities()
    registered: list[Any] = [
        TrajectoryEventActivities(store).append_events,
        streams.append_future_job_events,
        streams.append_employer_events,
        streams.append_people_events,
        streams.append_task_events,
        streams.append_matching_events,
        streams.append_cohort_events,
        streams.responsible_for_employer,
        streams.responsible_person,
        streams.fallback_for,
        cohorts.propose_assignment,
        cohorts.work_study_to_trajectory,
        cohorts.place_to_trajectory,
    ]
    workflows: list[type] = [
        TrajectoryWorkflow,
        FutureJobWorkflow,
        EmployerWorkflow,
        PeopleWorkflow,
        TaskWorkflow,
        MatchingWorkflow,
        CohortWorkflow,
        *extra_workflows,
    ]
    if checkpoints is not None:
        registered.append(checkpoints.take_checkpoint)
        workflows.append(CheckpointWorkflow)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=workflows,
        activities=registered,
        workflow_runner=workflow_runner(sandboxed=sandboxed),
        **options,
    )


def build_mail_worker(client: Client, task_queue: str, mail: MailActivities) -> Worker:
    """The worker that sends the employers' mails, on `mail_queue(task_queue)`: the one
    process that opens contacts' sealed addresses, so the one that holds the KEK."""
    return Worker(client, task_queue=mail_queue(task_queue), activities=[mail.send_employer_mail])


async def main() -> None:
    try:
        await (serve_mail() if "--mail" in sys.argv[1:] else serve())
    except ConfigError as err:
        # A misconfiguration is one line, not a traceback; the exit code tells the supervisor.
        get_logger("nbm.worker").error("cannot start", problem=str(err))
        raise SystemExit(1) from None


async def serve() -> None:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    log = get_logger("nbm.worker")
    store = await PostgresEventStore.connect(settings.resolved_database_url())
    client = await connect(settings)
    checkpoints = CheckpointActivities(
        store,
        settings.resolved_audit_signing_key(),
        settings.resolved_checkpoint_file(),
    )
    worker = build_worker(
        client,
        store,
        settings.task_queue,
        checkpoints=checkpoints,
        sandboxed=settings.workflow_sandbox,
        max_cached_workflows=settings.workflow_cache,
    )
    log.info("worker started", task_queue=settings.task_queue)
    await _run_until_stopped(worker)
    log.info("worker stopping")
    await store.close()


async def serve_mail() -> None:
    """`python worker.py --mail`: the mail worker (NBM_KEK, NBM_SMTP_URL, NBM_LINK_SECRET)."""
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    log = get_logger("nbm.mailer")
    settings.resolved_kek()  # a missing KEK stops the start, not the first mail
    smtp_url, secret = settings.resolved_smtp_url(), settings.resolved_link_secret()
    store = await PostgresEventStore.connect(settings.resolved_database_url(), max_size=4)
    keys_pool = await asyncpg.create_pool(
        settings.resolved_keys_database_url(), min_size=1, max_size=2
    )
    client = await connect(settings)
    mail = MailActivities(
        store,
        # The KEK read again for every mail: `nbm candidate erase` may rotate it meanwhile.
        lambda: PostgresKeyStore(keys_pool, settings.resolved_kek()),
        smtp_url=smtp_url,
        sender=settings.mail_from,
        page_url=settings.resolved_employer_page_url(),
        links=LinkSigner(secret, timedelta(days=settings.link_days)),
        link_days=settings.link_days,
    )
    log.info("mail worker started", task_queue=mail_queue(settings.task_queue))
    await _run_until_stopped(build_mail_worker(client, settings.task_queue, mail))
    log.info("mail worker stopping")
    await store.close()
    await keys_pool.close()


async def _run_until_stopped(worker: Worker) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
