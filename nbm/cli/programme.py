"""`nbm programme`: the programmes a trajectory can follow, one TOML file each.

`list` and `show` read the catalogue (the shipped files and `NBM_PROGRAMMES_DIR`); `check FILE`
validates one file before it is put there: the file, each field and its problem are named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from domain import trajectory
from nbm import programmes
from nbm.i18n import _

from ._common import AsJson, CliError, console, print_json

app = typer.Typer(
    help="Programmes: the routes as data (a TOML file each).",
    no_args_is_help=True,
)


def _catalogue() -> dict[str, programmes.Entry]:
    try:
        return programmes.catalogue()
    except trajectory.ProgrammeFileError as err:
        raise CliError(_("programme file refused: {err}").format(err=err)) from None


def _weeks(p: trajectory.Programme) -> str:
    seconds = int(p.week.total_seconds())
    return f"{seconds // 86400} d" if seconds % 86400 == 0 else f"{seconds} s"


def programme_json(p: trajectory.Programme, path: Path | None = None) -> dict[str, Any]:
    data: dict[str, Any] = p.model_dump(mode="json")
    data["week_seconds"] = int(p.week.total_seconds())
    if path is not None:
        data["file"] = str(path)
    return data


def programme_rows() -> list[dict[str, Any]]:
    return [programme_json(e.programme, e.path) for e in _catalogue().values()]


@app.command("list")
def list_(as_json: AsJson = False) -> None:
    """List the programmes for `nbm trajectory start --programme`."""
    entries = _catalogue()
    if as_json:
        print_json([programme_json(e.programme, e.path) for e in entries.values()])
        return
    table = Table(show_edge=False)
    table.add_column("id", no_wrap=True)  # the very id --programme needs: never cut
    for column in ("v.", "week", "eval.", "ladder"):  # the rest: `programme show`
        table.add_column(column, no_wrap=True)
    table.add_column("naam / name", ratio=1, min_width=24)  # wraps: the rest stays whole
    for e in entries.values():
        p = e.programme
        table.add_row(
            p.programme_id,
            str(p.version),
            _weeks(p),
            f"{p.evaluation_every_weeks} wk",
            str(len(p.successive_rungs)),
            Text(p.name.split(" / ")[0]),  # the Dutch half: the whole name in `show`
        )
    console().print(table)


def _show(p: trajectory.Programme, path: Path | None) -> None:
    out = console()
    out.print(Text(f"{p.programme_id} (versie/version {p.version}): {p.name}"))
    if path is not None:
        out.print(Text(f"bestand / file: {path}"))
    facts = [
        ("route", p.route.value if p.route else "elke / any"),
        ("stappen / steps", ", ".join(s.value for s in p.steps)),
        ("week", _weeks(p)),
        (
            "evaluatie / evaluation",
            f"elke {p.evaluation_every_weeks} weken / every {p.evaluation_every_weeks} weeks",
        ),
        ("leerperiode / learning", f"{p.learning_weeks or '-'} weken, max. {p.max_learning_weeks}"),
        (
            "nazorg / follow-up",
            f"na {', '.join(map(str, p.checkpoint_months))} maanden / months (checkpoints)"
            if p.checkpoint_months
            else f"na {p.follow_up_after_weeks} weken / weeks",
        ),
        ("schooldagen / school days", f"{p.school_days_per_week} per week"),
        ("contact werkgever / touchpoints", f"elke {p.touchpoint_every_weeks or '-'} weken"),
        ("BBL-baan naast leren", "ja / yes" if p.job_alongside_learning else "nee / no"),
    ]
    if p.budget is not None:
        paid = "; opleiding door werkgever betaald" if p.budget.employer_paid_training else ""
        facts.append(("budget", f"EUR {p.budget.per_year_eur} per jaar ({p.budget.source}){paid}"))
    if p.benefit_retention is not None:
        limit = p.benefit_retention
        extra = "".join(f"; {m}: {w}" for m, w in sorted(limit.municipalities.items()))
        facts.append(
            (
                "met behoud van uitkering",
                f"max. {limit.max_weeks} weken, waarschuwing {limit.warn_weeks_before} weken "
                f"ervoor{extra}",
            )
        )
    if p.work_to_work is not None:
        facts.append(
            (
                "Van Werk naar Werk",
                f"doel: nieuw werk binnen {p.work_to_work.goal_within_weeks} weken",
            )
        )
    if p.hands_over_to:
        facts.append(("overdracht naar / hands over to", ", ".join(p.hands_over_to)))
    for label, value in facts:
        out.print(Text(f"  {label}: {value}"))
    if p.ladder:
        table = Table(title="ladder (van meer naar minder beschut / more to less sheltered)")
        for column in ("#", "rung", "naam / name", "soort", "weken", "uur/week", "beschut"):
            table.add_column(column)
        number = 0
        for r in p.ladder:
            number += 0 if r.alongside else 1
            mark = "naast / alongside" if r.alongside else str(number)
            if r.when_needed:
                mark += " (indien nodig)"
            table.add_row(
                mark, r.rung_id, Text(r.name), r.kind.value, str(r.weeks),
                str(r.hours_per_week), str(r.shelter),
            )  # fmt: skip
        out.print(table)


@app.command("show")
def show(
    programme_id: Annotated[str, typer.Argument(help="The programme's id.")],
    as_json: AsJson = False,
) -> None:
    """One programme in detail: its clock, ladder, budget and limits."""
    entries = _catalogue()
    if programme_id not in entries:
        raise CliError(f"onbekend programma / unknown programme {programme_id!r}; known: "
                       + ", ".join(entries))  # fmt: skip
    entry = entries[programme_id]
    if as_json:
        print_json(programme_json(entry.programme, entry.path))
        return
    _show(entry.programme, entry.path)


@app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="The TOML file to check.", show_default=False)],
    as_json: AsJson = False,
) -> None:
    """Check a programme file before it is used."""
    try:
        found = programmes.load_file(file)
    except trajectory.ProgrammeFileError as err:
        if as_json:
            problems = [{"field": f, "problem": p} for f, p in err.problems]
            print_json({"file": err.source, "valid": False, "problems": problems})
            raise typer.Exit(1) from None
        raise CliError(_("programme file refused: {err}").format(err=err)) from None
    if as_json:
        print_json({"file": str(file), "valid": True, "programme": programme_json(found)})
        return
    console().print(Text(f"in orde / valid: {file}"))
    _show(found, None)
