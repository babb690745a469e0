"""`nbm import FILE.csv`: an existing caseload, each row of the file one trajectory.

A thin wrapper around `nbm.caseload_import` (the same path as the tests and `make bench`).
The report names every refused row by its line and column, never by what the cell said.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text
from temporalio.client import Client

from domain import trajectory
from nbm import caseload_import as imp
from nbm import service
from nbm.caseload_limit import CaseloadBudget, CaseloadFull
from nbm.i18n import _, ngettext
from nbm.localize import localized
from nbm.settings import Settings, load_settings

from ._common import AsJson, actor, connect_client, console, fail, print_json, safe_text
from ._keys import key_store


def _show_columns(value: bool) -> None:
    if not value:
        return
    table = Table(show_edge=False)
    for header in (_("column of the file"), _("must be given"), _("what the cell holds")):
        table.add_column(header)
    for c in imp.COLUMNS:
        if c.required:
            must = _("yes, in every row")
        elif c.needed:
            must = _("yes, with step {step}").format(step=2 if c.group == "map" else 4)
        else:
            must = ""
        table.add_row(c.name, must, _(c.help))
    console().print(table)
    raise typer.Exit(0)


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="The CSV file (UTF-8, ',' or ';' between cells, a header row of column names).",
            show_default=False,
            metavar="FILE.csv",
        ),
    ],
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Check every row (future jobs and programmes too); start nothing."
        ),
    ] = False,
    parallel: Annotated[
        int,
        typer.Option(min=1, max=64, help="Rows started at the same time."),
    ] = imp.DEFAULT_PARALLEL,
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Also write the report, as JSON, to this file.",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    as_json: AsJson = False,
    _columns: Annotated[
        bool,
        typer.Option(
            "--columns",
            help="List the file's columns and what each holds, and stop.",
            is_eager=True,
            callback=_show_columns,
        ),
    ] = False,
) -> None:
    """Import an existing caseload from CSV: each row one trajectory, started at its date.

    Columns: coach and started_on (required); future_job (fj-...) or the job's own
    employer, function, expected_date and skills (separated by |); optional jobs,
    programme, municipality, route, outgoing_employer, dismissal_date, request_id. A row
    may bring its trajectory up to the match: step 2 (mapped_on, profile_skills, ...) and
    step 4 with the candidate (matched_on, name, bsn, ...), whose personal cells are
    sealed here with the candidate's own key (see `nbm import --columns` and
    docs/import.md). A file imported again (after an interruption, or corrected) starts
    only the rows not started before and records only the steps not recorded before: each
    row's request id comes from its start's columns, or from its request_id column. Exit
    code 0 when every row is there, 1 when rows were refused.
    """
    who = actor(ctx)
    found = imp.read_file(file)
    report = imp.ImportReport(found)
    bar = _progress(not as_json and sys.stderr.isatty())

    async def work(client: Client, config: Settings) -> None:
        limit = None if check else _caseload_limit(client, config)
        task = bar.add_task(
            _("importing"), total=found.read, completed=found.read - len(found.rows)
        )

        def on_row(r: imp.ImportReport) -> None:
            bar.update(task, completed=r.done)

        async with contextlib.AsyncExitStack() as stack:
            keys: imp.KeyStore | None = None
            if found.has_candidates and not check:  # only then: the key store, NBM_KEK
                keys = await stack.enter_async_context(key_store(config))
            with bar:
                await imp.run_import(
                    client,
                    config.task_queue,
                    found,
                    actor=who,
                    parallel=parallel,
                    check_only=check,
                    before_start=limit[0] if limit else None,
                    after_start=limit[1] if limit else None,
                    on_row=on_row,
                    report=report,
                    keys=keys,
                )

    try:
        _run(work)
    except KeyboardInterrupt:
        _show(report, as_json, report_file)
        fail(
            _("interrupted after {done} of {read} rows; import the same file again to finish "
              "(the rows already started are not started twice)").format(
                done=report.done, read=report.read)
        )  # fmt: skip
    _show(report, as_json, report_file)
    refused = len(report.refused)
    if refused:
        fail(
            ngettext(
                "{count} of {read} rows refused (listed above); correct it and import the "
                "file again: the rows already started are not started twice",
                "{count} of {read} rows refused (listed above); correct them and import the "
                "file again: the rows already started are not started twice",
                refused,
            ).format(count=refused, read=report.read)
        )


def _run(work: Callable[[Client, Settings], Awaitable[None]]) -> None:
    config = load_settings()
    # A ConfigError (no server, no codec keys) before anything is read from the server.
    config.resolved_temporal_address()
    config.resolved_codec_keys()

    async def main() -> None:
        client = await connect_client(config)
        await work(client, config)

    asyncio.run(main())


def _caseload_limit(client: Client, config: Settings) -> tuple[imp.BeforeStart, imp.AfterStart]:
    """Each coach's caseload limit over the rows of the file: a row past it is refused (no
    override in a file: a supervisor's override is one start at a time, `nbm trajectory
    start --override-by`). The coach's open trajectories are counted once from the server,
    then each row let through counts one more; a row that turns out to be started by an
    earlier run of the same file (already in the server's count) or whose start is refused
    gives its place back. Past the limit, a row whose trajectory exists already is let
    through (it is no new trajectory)."""
    budget = CaseloadBudget(client, config.task_queue, default_limit=config.caseload_limit)
    counted: set[str] = set()  # the rows the budget counted, by trajectory id

    async def before_start(command: trajectory.StartTrajectory) -> None:
        try:
            await budget.admit(command.coach_id)
        except CaseloadFull as full:
            if await service.exists(client, command.trajectory_id):
                return  # started before: neither new nor counted here
            raise imp.RowRefused("coach", localized(full)) from None
        counted.add(command.trajectory_id)

    def after_start(command: trajectory.StartTrajectory, outcome: imp.Outcome | None) -> None:
        if command.trajectory_id in counted and outcome is not imp.Outcome.STARTED:
            counted.discard(command.trajectory_id)
            budget.release(command.coach_id)

    return before_start, after_start


def _progress(visible: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        _Rate(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not visible,
        transient=True,
    )


class _Rate(ProgressColumn):
    """Rows per second, as rich measures them over its last seconds."""

    def render(self, task: Task) -> Text:
        return Text(_("{rate} rows/s").format(rate=f"{task.speed or 0:.0f}"))


def _show(report: imp.ImportReport, as_json: bool, report_file: Path | None) -> None:
    data = report.as_json()
    if report_file is not None:
        try:
            report_file.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except OSError as err:
            fail(_("--report: cannot write {file} ({reason})").format(
                file=report_file.name, reason=err.strerror))  # fmt: skip
    if as_json:
        print_json(data)
        return
    for refusal in sorted(report.refused, key=lambda r: r.line):
        typer.echo(safe_text(refusal.text()))
    typer.echo(summary(report))


def summary(report: imp.ImportReport) -> str:
    parts = [
        ngettext("{n} started", "{n} started", report.count(imp.Outcome.STARTED)),
        ngettext("{n} already there", "{n} already there", report.count(imp.Outcome.ALREADY)),
        ngettext("{n} refused", "{n} refused", len(report.refused)),
    ]
    counts = [report.count(imp.Outcome.STARTED), report.count(imp.Outcome.ALREADY),
              len(report.refused)]  # fmt: skip
    if report.count(imp.Outcome.CHECKED):
        parts.insert(0, ngettext("{n} checked (nothing started)", "{n} checked (nothing started)",
                                 report.count(imp.Outcome.CHECKED)))  # fmt: skip
        counts.insert(0, report.count(imp.Outcome.CHECKED))
    stopped = report.count(imp.Outcome.STOPPED)
    if stopped:
        parts.append(ngettext("{n} of them stopped at a later step (the trajectory is there)",
                              "{n} of them stopped at a later step (the trajectories are there)",
                              stopped))  # fmt: skip
        counts.append(stopped)
    not_done = report.read - report.done
    if not_done:
        parts.append(ngettext("{n} not done", "{n} not done", not_done))
        counts.append(not_done)
    head = ngettext("{file}: {n} row read", "{file}: {n} rows read", report.read).format(
        file=report.file.path.name, n=report.read
    )
    return head + ": " + ", ".join(p.format(n=n) for p, n in zip(parts, counts, strict=True))
