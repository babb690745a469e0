"""Progress bars on long work (a rebuild, a chain check): drawn on stderr, and only when stderr
is a terminal and the output is not `--json`; silent in scripts, pipes and tests.

The work itself only calls a `progress(done, total)` callback (the projector, the verifier):
what is drawn is the CLI's affair.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

Tell = Callable[[int, int], None]


@contextmanager
def progress_bar(label: str, *, quiet: bool = False) -> Iterator[Tell | None]:
    """A `progress(done, total)` that draws a bar labelled `label` on stderr; None (nothing
    to call) when `quiet` (`--json`) or stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def tell(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tell
