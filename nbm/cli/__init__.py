"""`nbm`: the work coach's command-line tool for Nieuwe Banen trajectories.

One sub-app per noun (`trajectory`, `candidate`, `programme`, `report`, `audit`,
`employer`, `future-job`, `cohort`, `people`, `tasks`, `mail`, `match`), each
owning its commands. A user error, a usage error included (a missing option, a bad value,
an unknown command), ends a command with exit code 1 and one line on stderr (`error: ...`,
`fout: ...` in Dutch).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from . import (
    audit,
    candidate,
    caseload,
    cohort,
    completion,
    employer,
    future_job,
    import_,
    mail,
    match,
    people,
    programme,
    report,
    status,
    tasks,
    trajectory,
)
from ._common import (
    CliState,
    ErrorHandlingGroup,
    check_actor,
    configure_cli_logging,
    default_actor,
)

app = typer.Typer(
    cls=ErrorHandlingGroup,
    help=(
        "nbm: record and follow re-integration trajectories of the Nieuwe Banen Methodiek "
        "(re-integratietrajecten): from a future job to a regular job."
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion; `nbm completion`
    # Locals can hold a candidate's name or BSN; a bug's traceback must not print them.
    pretty_exceptions_show_locals=False,
    # Plain help: flags without a `<bool>` beside them, wrapped to the terminal by click.
    rich_markup_mode=None,
)
app.add_typer(trajectory.app, name="trajectory")
app.add_typer(programme.app, name="programme")
app.add_typer(audit.app, name="audit")
app.add_typer(candidate.app, name="candidate")
app.add_typer(report.app, name="report")
app.add_typer(employer.app, name="employer")
app.add_typer(future_job.app, name="future-job")
app.add_typer(cohort.app, name="cohort")
app.add_typer(people.app, name="people")
app.add_typer(tasks.app, name="tasks")
app.add_typer(mail.app, name="mail")
app.add_typer(match.app, name="match")
app.command("status")(status.status)  # one command, not a noun
app.command("completion")(completion.completion)
app.command("caseload")(caseload.caseload)  # the coach's morning lists, one command
app.command("import")(import_.import_)  # one command: a caseload from a CSV file


@app.callback()
def root(
    ctx: typer.Context,
    actor: Annotated[
        str | None,
        typer.Option(
            envvar="NBM_ACTOR",
            help="Who records (your coach id); default: your OS user name.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="NBM_LANG",
            help="Language: nl (Dutch, the default) or en (English).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """nbm: the work coach's tool for Nieuwe Banen trajectories."""
    ctx.obj = CliState(actor=check_actor(actor) if actor else default_actor())


def main() -> None:
    """The `nbm` console script."""
    configure_cli_logging()
    try:
        app()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    # Skip the interpreter's teardown: the Temporal client's Rust threads can still call into
    # Python while it finalizes, which aborts a finished command ("PyGILState_Release: thread
    # state must be current", temporalio/sdk-python#300). Nothing is left to clean up.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


__all__ = ["app", "main"]
