"""`nbm trajectory search`: trajectories by step, programme, cohort, employer, future job and
coach, from the read model `trajectory_summary` (never one query per workflow)."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
import typer
from rich.table import Table
from rich.text import Text

from domain import trajectory
from domain.shared import COACH_TIME_ZONE, is_opaque_id
from nbm import caseload as service
from nbm import programmes
from nbm.i18n import _

from .._common import AsJson, CliError, console, excerpt, print_json, warn
from ..report import read_models

app = typer.Typer()


def _id(value: str | None, option: str) -> str | None:
    if value is not None and not is_opaque_id(value):
        raise CliError(
            _("{option}: {value} is not an id").format(option=option, value=excerpt(value))
        )
    return value


def _filter(help: str) -> Any:
    return typer.Option(help=help, show_default=False)


@app.command("search")
def search(
    step: Annotated[trajectory.Step | None, _filter("Only those in this step.")] = None,
    programme: Annotated[str | None, _filter("Only this programme's (its id).")] = None,
    cohort: Annotated[str | None, _filter("Only this cohort's (lichting, its id).")] = None,
    employer: Annotated[str | None, _filter("Only those with this employer now (its id).")] = None,
    future_job: Annotated[
        str | None, _filter("Only those learning towards this future job (fj-...).")
    ] = None,
    coach: Annotated[str | None, _filter("Only this coach's.")] = None,
    only_open: Annotated[bool, typer.Option("--open", help="Only open trajectories.")] = False,
    only_closed: Annotated[
        bool, typer.Option("--closed", help="Only closed trajectories.")
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many.", min=1, max=10_000)] = 100,
    as_json: AsJson = False,
) -> None:
    """Search trajectories (trajecten zoeken) in the read models, newest first.

    Every filter given must hold. The read models follow the events within moments (the
    projector); `nbm report projections` says how far behind they are.
    """
    if only_open and only_closed:
        raise CliError(_("give --open or --closed, not both"))
    query = service.Search(
        step=step.value if step else None,
        programme=_id(programme, "--programme"),
        cohort=_id(cohort, "--cohort"),
        employer=_id(employer, "--employer"),
        future_job=_id(future_job, "--future-job"),
        coach=_id(coach, "--coach"),
        closed=True if only_closed else False if only_open else None,
        limit=limit,
    )

    async def work(pool: asyncpg.Pool) -> list[dict[str, Any]]:
        return await service.search(pool, query)

    if programme is not None and programme not in programmes.catalogue():
        # A warning, not a refusal: a trajectory keeps a programme whose file is gone.
        warn(_("no programme {id} in the catalogue (nbm programme list)").format(id=programme))
    rows = read_models(work)
    if len(rows) == limit:  # on stderr: the JSON on stdout stays the rows
        warn(
            _("the first {n} shown; there may be more (--limit, or narrow the search)").format(
                n=limit
            )
        )
    if as_json:
        print_json([{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in r.items()}
                    for r in rows])  # fmt: skip
        return
    if not rows:
        typer.echo(_("no trajectories found"))
        return
    table = Table(show_edge=False)
    # The employer and the future job are in --json: 80 columns hold these.
    for column in (_("id"), _("step"), _("programme"), _("coach"), _("cohort"), _("started")):
        # Ids whole, never folded: they are copied into the next command.
        table.add_column(column, overflow="fold", no_wrap=column in (_("id"), _("cohort")))
    for r in rows:
        started = r["started_at"].astimezone(COACH_TIME_ZONE).date().isoformat()
        table.add_row(Text(r["trajectory_id"]), r["step"], r["programme_id"], r["coach_id"],
                      r["cohort_id"] or "—", started)  # fmt: skip
    console().print(table)
