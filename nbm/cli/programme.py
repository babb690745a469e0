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
    table.add_column(_("id"), no_wrap=True)  # the very id --programme needs: never cut
    for column in ("v.", _("week"), _("eval."), _("ladder")):  # the rest: `programme show`
        table.add_column(column, no_wrap=True)
    table.add_column(_("name"), ratio=1, min_width=24)  # wraps: the rest stays whole
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
    out.print(
        Text(
            _("{programme_id} (version {version}): {name}").format(
                programme_id=p.programme_id, version=p.version, name=p.name
            )
        )
    )
    if path is not None:
        out.print(Text(_("file: {path}").format(path=path)))
    yes, no = _("yes"), _("no")
    facts = [
        (_("route"), p.route.value if p.route else _("any")),
        (_("steps"), ", ".join(s.value for s in p.steps)),
        (_("week"), _weeks(p)),
        (
            _("evaluation"),
            _("every {weeks} weeks").format(weeks=p.evaluation_every_weeks),
        ),
        (
            _("learning"),
            _("{weeks} weeks, at most {most}").format(
                weeks=p.learning_weeks or "-", most=p.max_learning_weeks
            ),
        ),
        (
            _("follow-up"),
            _("after {months} months (checkpoints)").format(
                months=", ".join(map(str, p.checkpoint_months))
            )
            if p.checkpoint_months
            else _("after {weeks} weeks").format(weeks=p.follow_up_after_weeks),
        ),
        (_("school days"), _("{days} per week").format(days=p.school_days_per_week)),
        (
            _("touchpoints with the employer"),
            _("every {weeks} weeks").format(weeks=p.touchpoint_every_weeks or "-"),
        ),
        (_("work-study job (BBL) alongside learning"), yes if p.job_alongside_learning else no),
    ]
    if p.budget is not None:
        paid = _("; training paid by the employer") if p.budget.employer_paid_training else ""
        facts.append(
            (
                _("budget"),
                _("EUR {amount} per year ({source}){paid}").format(
                    amount=p.budget.per_year_eur, source=p.budget.source, paid=paid
                ),
            )
        )
    if p.benefit_retention is not None:
        limit = p.benefit_retention
        extra = "".join(f"; {m}: {w}" for m, w in sorted(limit.municipalities.items()))
        facts.append(
            (
                _("keeping the benefit (met behoud van uitkering)"),
                _("at most {weeks} weeks, a warning {warn} weeks before{extra}").format(
                    weeks=limit.max_weeks, warn=limit.warn_weeks_before, extra=extra
                ),
            )
        )
    if p.work_to_work is not None:
        facts.append(
            (
                "Van Werk naar Werk",
                _("goal: new work within {weeks} weeks").format(
                    weeks=p.work_to_work.goal_within_weeks
                ),
            )
        )
    if p.hands_over_to:
        facts.append((_("hands over to"), ", ".join(p.hands_over_to)))
    for label, value in facts:
        out.print(Text(f"  {label}: {value}"))
    if p.ladder:
        table = Table(title=_("ladder (from more to less sheltered)"))
        for column in (
            "#",
            _("rung"),
            _("name"),
            _("kind"),
            _("weeks"),
            _("hours/week"),
            _("sheltered"),
        ):
            table.add_column(column)
        number = 0
        for r in p.ladder:
            number += 0 if r.alongside else 1
            mark = _("alongside") if r.alongside else str(number)
            if r.when_needed:
                mark += _(" (when needed)")
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
        raise CliError(
            _("unknown programme {id}; known: {known}").format(
                id=repr(programme_id), known=", ".join(entries)
            )
        )
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
    console().print(Text(_("valid: {file}").format(file=file)))
    _show(found, None)
