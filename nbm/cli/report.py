"""`nbm report`: figures from the read models (caseload, outcomes) and the projection itself.

The read models are kept by the projector (`python -m nbm.projector`) from the event store;
these commands only read them, except `rebuild`, which replays every event from zero.
Each command is a thin sync wrapper around an async function that takes a pool.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
import typer
from rich.table import Table

from activities.projections import Projector, Quarantined, Tracking
from nbm.i18n import _

from . import _report_outcomes
from ._bars import progress_bar
from ._common import AsJson, console, print_json
from ._db import Role, run_db

T = TypeVar("T")

app = typer.Typer(
    help="Reports (rapportages): caseload per coach, outcomes, the statistics export, the "
    "read models.",
    no_args_is_help=True,
)

# --- async functions (callable from tests) ---------------------------------------------


async def caseload_rows(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT coach_id, open_trajectories, in_learning, escalations "
            "FROM caseload ORDER BY coach_id"
        )
    return [dict(r) for r in rows]


NO_READ_MODELS = _report_outcomes.NO_READ_MODELS


def read_models(work: Callable[[asyncpg.Pool], Awaitable[T]], *, role: Role = Role.AUDITOR) -> T:
    """`work(pool)` on the configured database, whose read models it reads (as `role`)."""
    return run_db(lambda pool, _config: work(pool), role=role, missing=_(NO_READ_MODELS))


# --- commands --------------------------------------------------------------------------

# The outcome figures and the statistics export (their own module: nbm.reports does the work).
app.command("outcomes")(_report_outcomes.outcomes)
app.command("statistics")(_report_outcomes.statistics)


@app.command()
def caseload(as_json: AsJson = False) -> None:
    """Caseload per work coach: open trajectories, those learning in, escalations."""
    rows = read_models(caseload_rows)
    if as_json:
        print_json(rows)
        return
    table = Table(show_edge=False, caption=_("escalations: raised on open trajectories"))
    for column in (_("coach"), _("open"), _("learning in"), _("escalations")):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["coach_id"], str(r["open_trajectories"]), str(r["in_learning"]), str(r["escalations"])
        )
    console().print(table)


@app.command()
def projections(as_json: AsJson = False) -> None:
    """Where the read models stand: tracked position, the store's head, the lag, and the
    events set aside (quarantined) because they cannot be read or applied."""

    async def work(pool: asyncpg.Pool) -> tuple[Tracking, list[Quarantined]]:
        projector = Projector(pool)
        return await projector.tracking(), await projector.quarantined()

    status, held = read_models(work)
    data = {
        "position": status.position,
        "head": status.head,
        "lag": status.lag,
        "quarantined": [dataclasses.asdict(q) for q in held],
    }
    if as_json:
        print_json(data)
        return
    typer.echo(
        _("read models at position {position}; store head {head}; lag {lag}").format(
            position=status.position, head=status.head, lag=status.lag
        )
    )
    if not held:
        typer.echo(_("quarantine: empty"))
        return
    streams = len({q.stream_id for q in held})
    typer.echo(
        _("quarantine: {events} event(s) of {streams} stream(s) set aside").format(
            events=len(held), streams=streams
        )
    )
    table = Table(show_edge=False)
    for column in (_("position"), _("stream"), _("version"), _("why")):
        table.add_column(column, no_wrap=column != _("why"))
    for q in held:
        table.add_row(str(q.position), q.stream_id, str(q.version), q.reason)
    console().print(table)


@app.command("rebuild")
def rebuild_(as_json: AsJson = False) -> None:
    """Rebuild the read models from zero: empty them, then replay every event."""
    with progress_bar(_("rebuilding the read models"), quiet=as_json) as tell:
        done = read_models(lambda pool: Projector(pool).rebuild(progress=tell), role=Role.PROJECTOR)
    if as_json:
        print_json(
            {
                "events": done.events,
                "seconds": round(done.seconds, 3),
                "quarantined": done.quarantined,
            }
        )
        return
    line = _("rebuilt the read models from {events} events in {seconds} s").format(
        events=done.events, seconds=f"{done.seconds:.2f}"
    )
    if done.quarantined:
        line += "; " + _("{n} event(s) quarantined").format(n=done.quarantined)
    typer.echo(line)
