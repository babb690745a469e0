"""`nbm match`: skills-based matching (vaardigheidsmatching). Profiles of candidates and of
functions on a skills vocabulary with URIs (ESCO's shape), ranked proposals both ways with
their explanation, and the decision a person takes on each: the engine never matches on its
own. `nbm match register` writes the Algoritmeregister entry from the ranking's own code."""

from __future__ import annotations

import typer

from . import _decisions, _profiles, _register

app = typer.Typer(
    help="Skills matching: proposals with an explanation; a person decides.",
    no_args_is_help=True,
)
app.add_typer(_profiles.app, name="profile")  # candidate, function, list
app.add_typer(_decisions.app)  # candidates, jobs, confirm, reject, log
app.add_typer(_register.app)  # vocabulary, register

__all__ = ["app"]
