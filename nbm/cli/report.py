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
from domain import trajectory
from nbm.i18n import _

from ._bars import progress_bar
from ._common import AsJson, console, print_json
from ._db import Role, run_db

T = TypeVar("T")

app = typer.Typer(
    help="Reports (rapportages): caseload per coach, outcomes per route, the read models.",
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


async def outcome_rows(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    """Per route: closed trajectories by outcome, and the placement rate (placed / closed)."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT route, outcome_type, count, lasting_placements FROM outcomes"
        )
    by_route: dict[str, dict[str, Any]] = {}
    for r in rows:
        route = by_route.setdefault(
            r["route"],
            {
                "route": r["route"],
                "closed": 0,
                **{o.value: 0 for o in trajectory.OutcomeType},
                "lasting": 0,
            },
        )
        route["closed"] += r["count"]
        route[r["outcome_type"]] = route.get(r["outcome_type"], 0) + r["count"]
        route["lasting"] += r["lasting_placements"]
    for route in by_route.values():
        placed = route[trajectory.OutcomeType.PLACED.value]
        route["placement_rate"] = round(placed / route["closed"], 4) if route["closed"] else None
    return [by_route[k] for k in sorted(by_route)]


NO_READ_MODELS = "the read models do not exist in this database; run the migrations first"


def read_models(work: Callable[[asyncpg.Pool], Awaitable[T]], *, role: Role = Role.AUDITOR) -> T:
    """`work(pool)` on the configured database, whose read models it reads (as `role`)."""
    return run_db(lambda pool, _: work(pool), role=role, missing=NO_READ_MODELS)


# --- commands --------------------------------------------------------------------------


@app.command()
def caseload(as_json: AsJson = False) -> None:
    """Caseload per work coach: open trajectories, those learning in, escalations."""
    rows = read_models(caseload_rows)
    if as_json:
        print_json(rows)
        return
    table = Table(show_edge=False, caption="escalations: raised on open trajectories")
    for column in ("coach", "open", "learning in", "escalations"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["coach_id"], str(r["open_trajectories"]), str(r["in_learning"]), str(r["escalations"])
        )
    console().print(table)


@app.command()
def outcomes(as_json: AsJson = False) -> None:
    """Outcomes per route: closed trajectories, placed, placement rate (placed / closed)."""
    rows = read_models(outcome_rows)
    if as_json:
        print_json(rows)
        return
    table = Table(show_edge=False)
    outcome_columns = [o.value for o in trajectory.OutcomeType]
    # Headers break at their hyphens and spaces, and everything folds rather than being cut
    # off: 80 columns hold the table.
    table.add_column("route", overflow="fold", ratio=2)
    for column in ("closed", *outcome_columns, "lasting", "placed %"):
        label = column.replace("-", "-\n").replace(" ", "\n")
        table.add_column(label, justify="right", overflow="fold", ratio=1)
    for r in rows:
        rate = r["placement_rate"]
        table.add_row(
            r["route"],
            str(r["closed"]),
            *(str(r[o]) for o in outcome_columns),
            str(r["lasting"]),
            "—" if rate is None else f"{rate:.0%}",
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
        f"read models at position {status.position}; store head {status.head}; lag {status.lag}"
    )
    if not held:
        typer.echo("quarantine: empty")
        return
    streams = len({q.stream_id for q in held})
    typer.echo(f"quarantine: {len(held)} event(s) of {streams} stream(s) set aside")
    table = Table(show_edge=False)
    for column in ("position", "stream", "version", "why"):
        table.add_column(column, no_wrap=column != "why")
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
    held = f"; {done.quarantined} event(s) quarantined" if done.quarantined else ""
    typer.echo(f"rebuilt the read models from {done.events} events in {done.seconds:.2f} s{held}")
