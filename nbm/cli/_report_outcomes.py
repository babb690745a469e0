"""`nbm report outcomes` and `nbm report statistics`: the Werkbedrijf's outcome figures and
the yearly statistics export, from the read models (`nbm.reports`)."""

from __future__ import annotations

import csv
import io
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import typer
from rich.table import Table

from domain.shared import COACH_TIME_ZONE
from nbm.i18n import N_, _
from nbm.reports import html, layout
from nbm.reports.outcomes import (
    COUNTS,
    VALUES,
    Figures,
    GroupBy,
    Report,
    TrajectoryFacts,
    Window,
    outcome_report,
)
from nbm.reports.read import read_facts
from nbm.reports.statistics import COLUMNS, statistics_rows
from nbm.settings import load_settings

from ._common import AsJson, CliError, console, excerpt, parse_date, print_json, warn
from ._db import Role, run_db

NO_READ_MODELS = N_("the read models do not exist in this database; run the migrations first")

By = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="BY",
        help="Group by programme, route, cohort, employer, coach or year (the year it started).",
        show_default=False,
    ),
]
Year = Annotated[
    int | None,
    typer.Option(
        "--year", metavar="YEAR", help="Trajectories that started in this year.", show_default=False
    ),
]
From = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="DATE",
        help="Trajectories that started on or after DATE (YYYY-MM-DD).",
        show_default=False,
    ),
]
To = Annotated[
    str | None,
    typer.Option(
        "--to",
        metavar="DATE",
        help="Trajectories that started on or before DATE (YYYY-MM-DD).",
        show_default=False,
    ),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Count what was in effect on DATE (default: today).",
        show_default=False,
    ),
]
MinCell = Annotated[
    int | None,
    typer.Option(
        "--min-cell",
        metavar="N",
        help="Withhold figures based on fewer trajectories (default 5, NBM_REPORT_MIN_CELL).",
        show_default=False,
    ),
]
Target = Annotated[
    int | None,
    typer.Option(
        "--target",
        metavar="N",
        help="The accord's jobs a year (default 150, NBM_ACCORD_TARGET).",
        show_default=False,
    ),
]
CsvFile = Annotated[
    str | None,
    typer.Option(
        "--csv",
        metavar="FILE",
        help="Write CSV to FILE ('-': standard output).",
        show_default=False,
    ),
]
AsHtml = Annotated[
    bool,
    typer.Option("--html", help="Write the page with charts (default: data/reports/, or --out)."),
]
OutFile = Annotated[
    str | None,
    typer.Option(
        "--out",
        metavar="FILE",
        help="Where --html writes the page (default: data/reports/outcomes-DATE.html).",
        show_default=False,
    ),
]


def _year(year: int, option: str = "--year") -> int:
    if not 1990 <= year <= 2100:
        raise CliError(
            _("{option}: {year} is not a year from 1990 to 2100").format(option=option, year=year)
        )
    return year


def today() -> date:
    return datetime.now(COACH_TIME_ZONE).date()


def window_of(year: int | None, start: str | None, end: str | None, as_of: str | None) -> Window:
    """The report's window from the options; a contradiction is a one-line error."""
    asked = parse_date(as_of, "--as-of") if as_of else today()
    if year is not None:
        if start or end:
            raise CliError(_("give --year or --from/--to, not both"))
        _year(year)
        return Window(date(year, 1, 1), date(year, 12, 31), asked)
    first = parse_date(start, "--from") if start else None
    last = parse_date(end, "--to") if end else None
    if first and last and first > last:
        raise CliError(_("--from {start} lies after --to {end}").format(start=first, end=last))
    return Window(first, last, asked)


def group_by(value: str | None) -> GroupBy | None:
    if value is None:
        return None
    try:
        return GroupBy(value.strip().lower())
    except ValueError:
        raise CliError(
            _("--by: {value} is not one of {choices}").format(
                value=excerpt(value), choices=", ".join(g.value for g in GroupBy)
            )
        ) from None


def _facts() -> list[TrajectoryFacts]:
    """Every trajectory's facts; a warning first when the read models lag behind the store
    (the figures are then those of a moment ago)."""

    async def work(pool: asyncpg.Pool, _settings: Any) -> tuple[list[TrajectoryFacts], int]:
        async with pool.acquire() as conn:
            lag = await conn.fetchval(LAG)
        return await read_facts(pool), lag or 0

    facts, lag = run_db(work, role=Role.AUDITOR, missing=_(NO_READ_MODELS))
    if lag > 0:
        warn(
            _(
                "events not yet in the read models: {n} (is the projector running?); these "
                "figures leave them out"
            ).format(n=lag)
        )
    return facts


LAG = (
    "SELECT (SELECT coalesce(max(position), 0) FROM events) - (SELECT position FROM "
    "projection_tracking WHERE projection = 'read_models')"
)


# --- outputs -------------------------------------------------------------------------------


def report_json(report: Report) -> dict[str, Any]:
    """The report for scripts: every count and figure, null where suppressed, with the names
    of the suppressed ones (`suppressed`)."""

    def row(f: Figures) -> dict[str, Any]:
        return {
            "group": f.group,
            **{n: f.shown(n) for n in (*COUNTS, *VALUES)},
            "suppressed": sorted(f.suppressed),
        }

    w = report.window
    return {
        "by": report.by.value if report.by else None,
        "from": w.start.isoformat() if w.start else None,
        "to": w.end.isoformat() if w.end else None,
        "as_of": w.as_of.isoformat(),
        "min_cell": report.min_cell,
        "groups_overlap": report.overlapping,
        "groups": [row(f) for f in report.groups],
        "total": row(report.total),
        "jobs_per_year": [
            {
                "year": y.year,
                "jobs": None if y.suppressed else y.jobs,
                "target": y.target,
                "share_of_target": y.share,
                "suppressed": y.suppressed,
            }
            for y in report.jobs_per_year
        ],
    }


def report_csv(report: Report) -> str:
    """One line per group and the total; a suppressed figure reads `<5`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", *COUNTS, *VALUES])
    mark = layout.suppressed_mark(report.min_cell)
    for f in (*report.groups, report.total):
        values = []
        for n in (*COUNTS, *VALUES):
            v = f.shown(n)
            values.append(mark if n in f.suppressed else "" if v is None else v)
        writer.writerow([f.group, *values])
    return out.getvalue()


def print_tables(report: Report, accord: str) -> None:
    out = console()
    out.print(layout.window_line(report.window))
    group_header = _(layout.GROUP_HEADERS[report.by])
    for title, columns in layout.SECTIONS:
        table = Table(title=_(title), title_justify="left", show_edge=False)
        table.add_column(group_header, overflow="fold", ratio=2)
        for c in columns:
            table.add_column(layout.header(c), justify="right", overflow="fold", ratio=1)
        for f in (*report.groups, report.total):
            table.add_row(
                layout.group_label(f.group), *(layout.cell(f, c, report.min_cell) for c in columns)
            )
        out.print(table)
    jobs = Table(title=_("Jobs per year against the target"), title_justify="left", show_edge=False)
    for h in (_("year"), _("jobs"), _("target"), _("of the target")):
        jobs.add_column(h, justify="right")
    mark = layout.suppressed_mark(report.min_cell)
    for y in report.jobs_per_year:
        share = "—" if y.share is None else f"{y.share:.0%}"
        jobs.add_row(str(y.year), mark if y.suppressed else str(y.jobs), str(y.target), share)
    out.print(jobs)
    out.print(layout.target_line(report.target_per_year, accord))
    out.print(
        _(
            "Figures based on fewer than {n} trajectories are not shown ({mark}), nor are "
            "figures from which they could be worked out."
        ).format(n=report.min_cell, mark=mark)
    )
    if report.overlapping:
        out.print(
            _(
                "A trajectory that moved employer counts for each employer: the rows do not "
                "add up to the total."
            )
        )


def _write(path_text: str, text: str) -> Path | None:
    """`text` into the file (None: it went to standard output)."""
    if path_text == "-":
        sys.stdout.write(text)
        return None
    path = Path(path_text)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise CliError(
            _("cannot write to {path}: {reason}").format(
                path=path, reason=err.strerror or type(err).__name__
            )
        ) from None
    return path


# --- commands ------------------------------------------------------------------------------


def outcomes(
    by: By = None,
    year: Year = None,
    start: From = None,
    end: To = None,
    as_of: AsOf = None,
    min_cell: MinCell = None,
    target: Target = None,
    as_json: AsJson = False,
    csv_file: CsvFile = None,
    as_html: AsHtml = False,
    out: OutFile = None,
) -> None:
    """Outcomes: the funnel through the six steps, placement rate, time to job, lasting
    placement, cost per trajectory, benefit after placement, jobs per year against the
    accord's target. Small cells are withheld."""
    settings = load_settings()
    grouping = group_by(by)
    window = window_of(year, start, end, as_of)
    cell = settings.report_min_cell if min_cell is None else min_cell
    if cell < 1:
        raise CliError(_("--min-cell must be 1 or more, not {n}").format(n=cell))
    if cell < settings.report_min_cell:
        # The threshold protects the people counted: a reader may raise it, not lower it
        # (NBM_REPORT_MIN_CELL, the Werkbedrijf's setting, decides how low it goes).
        raise CliError(
            _("--min-cell can raise the threshold, not lower it below {n} (NBM_REPORT_MIN_CELL)")
            .format(n=settings.report_min_cell)
        )  # fmt: skip
    goal = settings.accord_target_per_year if target is None else target
    if goal < 0:
        raise CliError(_("--target must be 0 or more, not {n}").format(n=goal))
    html_file = out if out is not None else "" if as_html else None
    if html_file is not None and html_file != "-":
        _writable(html_file or None, settings.data_dir, window)
    report = outcome_report(_facts(), window, by=grouping, min_cell=cell, target_per_year=goal)
    if csv_file is not None:
        written = _write(csv_file, report_csv(report))
        if written:
            typer.echo(_("CSV written to {path}").format(path=written), err=True)
    if html_file is not None:
        page = html.render(
            report,
            organisation=settings.organisation,
            generated_on=str(today()),
            accord=settings.accord_name,
        )
        target_path = html_file or str(default_html_path(settings.data_dir, window))
        written = _write(target_path, page)
        if written:
            typer.echo(_("Report page: {path}").format(path=written.resolve()))
    if as_json:
        print_json(report_json(report))
    elif csv_file is None and html_file is None:
        print_tables(report, settings.accord_name)


def default_html_path(data_dir: Path, window: Window) -> Path:
    return data_dir / "reports" / f"outcomes-{window.as_of.isoformat()}.html"


def _writable(path_text: str | None, data_dir: Path, window: Window) -> None:
    """Refuse an unwritable page before reading anything (one line, exit 1)."""
    path = Path(path_text) if path_text else default_html_path(data_dir, window)
    if path.is_dir():
        raise CliError(_("cannot write the page to {path}: it is a folder").format(path=path))
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        raise CliError(
            _("cannot write the page to {path}: {folder} is not writable").format(
                path=path, folder=folder
            )
        )


def statistics(
    year: Annotated[
        int, typer.Option("--year", metavar="YEAR", help="The year to export.", show_default=False)
    ],
    csv_file: CsvFile = None,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Statistics export: one flat row per trajectory that ran in the year, without personal
    data (columns in docs/statistics-export.md)."""
    settings = load_settings()
    _year(year)
    asked = parse_date(as_of, "--as-of") if as_of else today()
    salt = settings.statistics_salt
    if salt is None or len(salt) < 16:
        # Keyed with anything guessable (the organisation's name, printed on every report),
        # a record's pseudonym is worked back to its trajectory id by anyone with the ids.
        raise CliError(
            _(
                "set NBM_STATISTICS_SALT to a secret of at least 16 characters, kept for the "
                "years a delivery is compared with the next: the records' pseudonyms are "
                "keyed with it"
            )
        )
    rows = statistics_rows(_facts(), year, asked, salt)
    if as_json:
        print_json(rows)
        return
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    written = _write(csv_file or "-", out.getvalue())
    if written:
        typer.echo(_("{n} rows written to {path}").format(n=len(rows), path=written), err=True)
