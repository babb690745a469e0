"""`nbm programme`: the programmes a trajectory can follow, and the clock each runs on."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from domain import trajectory

from ._common import AsJson, console, print_json

app = typer.Typer(
    help="Programmes (programma's): how long a week lasts and how often things happen.",
    no_args_is_help=True,
)


def programme_rows() -> list[dict[str, Any]]:
    return [
        {
            "programme_id": p.programme_id,
            "name": p.name,
            "week_seconds": int(p.week.total_seconds()),
            "evaluation_every_weeks": p.evaluation_every_weeks,
            "follow_up_after_weeks": p.follow_up_after_weeks,
            "max_learning_weeks": p.max_learning_weeks,
        }
        for p in trajectory.PROGRAMMES.values()
    ]


@app.command("list")
def list_(as_json: AsJson = False) -> None:
    """List the programmes (programma's) for `nbm trajectory start --programme`."""
    rows = programme_rows()
    if as_json:
        print_json(rows)
        return
    table = Table(show_edge=False)
    table.add_column("id", no_wrap=True)  # the very id --programme needs: never cut
    for column in ("name", "week", "evaluation every", "follow-up after", "max learning"):
        table.add_column(column)
    for r in rows:
        seconds = r["week_seconds"]
        week = f"{seconds // 86400} days" if seconds % 86400 == 0 else f"{seconds} s"
        table.add_row(
            r["programme_id"],
            Text(r["name"]),
            week,
            f"{r['evaluation_every_weeks']} weeks",
            f"{r['follow_up_after_weeks']} weeks",
            f"{r['max_learning_weeks']} weeks",
        )
    console().print(table)
