"""`nbm trajectory`: one candidate's path, from a future job to a regular job.

The noun's app gathers its parts' commands: the life cycle seen from outside (`start`,
`show`, `list`, `events`), the coach's commands on a running trajectory, and the match with
the candidate's personal data.
"""

from __future__ import annotations

import typer

from . import _aftercare, _coach, _handover, _lifecycle, _match, _search, _timeline_view

app = typer.Typer(
    help="Trajectories: one candidate's path to a future job.",
    no_args_is_help=True,
)
app.add_typer(_lifecycle.app)  # start, show, list, events
app.add_typer(_coach.app)  # the coach's commands on a running trajectory
app.add_typer(_match.app)  # match (step 4), with the personal data
app.add_typer(_handover.app)  # hand-over into another programme
app.add_typer(_aftercare.app)  # after the job: checkpoints, the wage value again
app.add_typer(_search.app)  # search, from the read models
app.add_typer(_timeline_view.app)  # timeline, from the event store

__all__ = ["app"]
