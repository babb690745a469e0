"""Asking the embedded stack's supervisor (supervisord) how its processes are.

supervisord speaks XML-RPC over a Unix socket in the data folder; this is a client of it
with the standard library alone, for `nbm status`. The stack itself (`devstack`) starts the
supervisor and tells it what to run.
"""

from __future__ import annotations

import http.client
import socket
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__()
        self._path, self._timeout = str(path), timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        return _UnixConnection(self._path, self._timeout)


def supervisor(socket_path: Path, timeout: float = 5.0) -> Any:
    """An XML-RPC proxy of the supervisor listening on `socket_path`."""
    return xmlrpc.client.ServerProxy(
        "http://localhost", transport=_UnixTransport(socket_path, timeout)
    )


@dataclass(frozen=True)
class ProcessState:
    name: str
    state: str  # RUNNING, STARTING, BACKOFF, STOPPED, EXITED, FATAL
    pid: int
    description: str  # "pid 123, uptime 0:01:02", or why it is not running


def process_states(socket_path: Path) -> list[ProcessState]:
    """Every process the supervisor runs, with its state."""
    infos = supervisor(socket_path).supervisor.getAllProcessInfo()
    return [ProcessState(i["name"], i["statename"], int(i["pid"]), i["description"]) for i in infos]
