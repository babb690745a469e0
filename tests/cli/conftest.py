"""The CLI against a real worker: `worker.py` as a subprocess on the dev server and PostgreSQL.

The test session's event loop cannot serve a worker while a CLI command blocks in
`asyncio.run`, so the worker runs in a process of its own, as in production. Each CLI call
runs in a thread with its own event loop and its own client, as a command in a shell would.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import asyncpg
import pytest
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner, Result

from activities.migrations import migrate_database
from devstack.mail_server import mail_server
from devstack.servers import with_database
from nbm.cli import app
from nbm.settings import PROJECT_ROOT
from privacy.keyring import generate_keyring

WORKER_START_TIMEOUT = 30.0


def invoke(args: Sequence[str], env: dict[str, str | None]) -> Result:
    """`nbm args` through CliRunner, in a thread so `asyncio.run` has a thread of its own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(CliRunner().invoke, app, list(args), env=env).result()


def assert_user_error(result: Result, *expected: str) -> str:
    """Exit code 1, one line `error: ...` on stderr holding `expected`, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for text in expected:
        assert text in lines[0]
    assert "Traceback" not in result.output
    return lines[0]


@dataclass(frozen=True)
class Cli:
    """Runs `nbm` against the test stack."""

    env: dict[str, str | None]
    worker_log: Path
    mailer_log: Path

    def __call__(self, *args: str) -> Result:
        return invoke(args, self.env)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return result


@pytest.fixture
def offline_env(tmp_path: Path) -> dict[str, str | None]:
    """No server configured and an empty data dir: nothing to find."""
    return {
        "TEMPORAL_ADDRESS": None,
        "NBM_DATABASE_URL": None,
        "NBM_DATA_DIR": str(tmp_path),
        "NBM_ACTOR": "coach-test",
    }


@pytest.fixture(scope="session")
async def cli_database_url(pg_url: str) -> AsyncIterator[str]:
    """One database for the worker of the CLI tests, dropped afterwards."""
    name = f"nbm_cli_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(pg_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = with_database(pg_url, name)
    # The worker no longer migrates (its role may not run DDL): the owner does it first.
    await migrate_database(url)
    yield url
    admin = await asyncpg.connect(pg_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def cli(
    dev_env: WorkflowEnvironment,
    cli_database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Cli]:
    """`worker.py` as a subprocess on the dev server; a `Cli` that talks to it."""
    folder = tmp_path_factory.mktemp("cli")
    task_queue = f"tq-cli-{uuid.uuid4().hex[:10]}"
    address = dev_env.client.service_client.config.target_host
    kek = generate_keyring("kek-cli-test").dumps()
    smtp, _ = mail_server(folder / "mail")
    worker_env = {
        **os.environ,
        "TEMPORAL_ADDRESS": address,
        "NBM_DATABASE_URL": cli_database_url,
        "NBM_TASK_QUEUE": task_queue,
        "NBM_DATA_DIR": str(folder),
        "NBM_LOG_FORMAT": "json",
        # Debug: the per-command lines are off the hot path at info, and the tests read them
        # to show that what is logged about a trajectory holds no personal data.
        "NBM_LOG_LEVEL": "debug",
    }
    # The mail worker: the one process with the KEK (it opens the contacts' addresses),
    # sending to a real SMTP server.
    mailer_env = {
        **worker_env,
        "NBM_KEK": kek,
        "NBM_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "NBM_LINK_SECRET": "a secret for the answer links of the CLI tests",
    }
    log, mail_log = folder / "worker.log", folder / "mailer.log"
    with (
        log.open("wb") as out,
        mail_log.open("wb") as mail_out,
        _process([sys.executable, "worker.py"], worker_env, out) as proc,
        _process([sys.executable, "worker.py", "--mail"], mailer_env, mail_out) as mailer,
    ):
        await _until_polling(dev_env, task_queue, proc, log)
        await _until_polling(dev_env, f"{task_queue}-mail", mailer, mail_log, activities=True)
        yield Cli(
            env={
                "TEMPORAL_ADDRESS": address,
                "NBM_TASK_QUEUE": task_queue,
                "NBM_DATA_DIR": str(folder),
                # The personal data is sealed by the CLI, with keys from the key store.
                "NBM_DATABASE_URL": cli_database_url,
                "NBM_KEK": kek,
                "NBM_ACTOR": "coach-test",
                # The tests' common coach (not in the directory) holds the whole session's
                # trajectories; the limit itself is tested with coaches of its own.
                "NBM_CASELOAD_LIMIT": "500",
            },
            worker_log=log,
            mailer_log=mail_log,
        )
    smtp.stop()


@contextlib.contextmanager
def _process(
    args: list[str], env: dict[str, str], out: IO[bytes]
) -> Iterator[subprocess.Popen[bytes]]:
    """A child process, stopped with SIGINT (the worker's graceful stop) at the end."""
    proc = subprocess.Popen(args, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def _until_polling(
    env: WorkflowEnvironment,
    task_queue: str,
    proc: subprocess.Popen[bytes],
    log: Path,
    *,
    activities: bool = False,
) -> None:
    request = DescribeTaskQueueRequest(
        namespace=env.client.namespace,
        task_queue=TaskQueue(name=task_queue),
        task_queue_type=(
            TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY
            if activities
            else TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
        ),
    )
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while not (await env.client.workflow_service.describe_task_queue(request)).pollers:
        if proc.poll() is not None:
            pytest.fail(f"worker.py exited with {proc.returncode}:\n{_tail(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"worker.py does not poll after {WORKER_START_TIMEOUT} s")
        await asyncio.sleep(0.2)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


@pytest.fixture
def fresh_id() -> Iterator[str]:
    yield f"traj-{uuid.uuid4().hex[:12]}"
