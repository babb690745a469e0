"""`nbm status`: which process of the embedded stack (`make run`) is up.

Asks the stack's supervisor, which restarts a process that dies; PostgreSQL, which the stack
watches itself, by its pid. Servers of your own (TEMPORAL_ADDRESS, NBM_DATABASE_URL) have
their own monitoring: this command knows only the embedded stack.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rich.table import Table

from nbm.i18n import _
from nbm.local_files import LocalFileError, read_stack
from nbm.processes import ProcessState, process_states
from nbm.settings import load_settings

from ._common import AsJson, CliError, console, fail, print_json


def _alive(pid: int) -> bool:
    """Whether `pid` runs; a zombie (dead, not reaped yet) does not."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # Linux: the state is the field after the parenthesised command name
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def stack_states(data_dir: Path) -> list[ProcessState]:
    """The embedded stack's processes and their states; a `CliError` when none runs."""
    try:
        info = read_stack(data_dir)
    except LocalFileError as err:
        raise CliError(str(err)) from None
    if info is None or info.supervisor_socket is None or not _alive(info.pid):
        raise CliError(
            _("no embedded stack runs on {data_dir} (start one with `make run`)").format(
                data_dir=data_dir
            )
        )
    try:
        states = process_states(Path(info.supervisor_socket))
    except OSError as err:
        raise CliError(
            _("the stack's supervisor does not answer ({strerror})").format(strerror=err.strerror)
        ) from None
    postgres = info.processes.get("postgres")
    if postgres is not None:
        up = _alive(postgres)
        state = "RUNNING" if up else "DOWN"
        states.insert(0, ProcessState("postgres", state, postgres if up else 0, f"pid {postgres}"))
    return states


def status(as_json: AsJson = False) -> None:
    """Which process of the embedded stack is up (status); exit 1 if one is not."""
    states = stack_states(load_settings().data_dir)
    if as_json:
        rows: list[dict[str, Any]] = [
            {"name": s.name, "state": s.state, "pid": s.pid, "description": s.description}
            for s in states
        ]
        print_json(rows)
    else:
        table = Table(show_edge=False)
        for column in (_("process"), _("state"), _("pid"), ""):
            table.add_column(column)
        for s in states:
            table.add_row(s.name, s.state, str(s.pid or "—"), s.description)
        console().print(table)
    down = [s.name for s in states if s.state != "RUNNING"]
    if down:
        fail(_("not running: {down}").format(down=", ".join(down)))
