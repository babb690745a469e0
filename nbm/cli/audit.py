"""`nbm audit`: what auditors do. The commands live in `audit_chain` and `audit_trail`."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="For auditors (controle): verify the event store's hash chains, replay histories, "
    "see a trajectory as it was on a date.",
    no_args_is_help=True,
)
