"""`nbm cohort`: WijkLeerbedrijf cohorts (lichtingen). An edition of about 20 candidates who
learn as a group towards the places of several employers; a new one every year.

The noun's app gathers its parts: the edition's life (`start`, `selection-day`, `hire`,
`places`, `drop-out`, `confirm`) and what a person reads (`show`, `list` with one edition's
lessons beside the next one's, `assign` with the proposal).
"""

from __future__ import annotations

import typer

from . import _life, _read

app = typer.Typer(
    help="WijkLeerbedrijf cohorts: a group of candidates, several employers.",
    no_args_is_help=True,
)
app.add_typer(_life.app)  # start, selection-day, hire, places, drop-out, confirm
app.add_typer(_read.app)  # show, list, assign

__all__ = ["app"]
