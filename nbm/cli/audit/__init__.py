"""`nbm audit`: what auditors do. The noun's app gathers its two parts' commands."""

from __future__ import annotations

import typer

from . import _chain, _trail

app = typer.Typer(
    help=(
        "For auditors: verify the event store's hash chains, replay histories, see a "
        "trajectory as it was on a date."
    ),
    no_args_is_help=True,
)
app.add_typer(_chain.app)  # verify, export
app.add_typer(_trail.app)  # history, as-of, checkpoint, checkpoints verify, ..., replay

__all__ = ["app"]
