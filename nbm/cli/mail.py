"""`nbm mail`: the mails the embedded stack's SMTP server received (in `mail/` of the data
folder), as the employers would read them."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from nbm.mailbox import Mailbox
from nbm.settings import load_settings

from ._common import AsJson, CliError, console, print_json, when

app = typer.Typer(
    help="Mail: wat de lokale mailserver ontving (the local mailbox).", no_args_is_help=True
)


def _mailbox() -> Mailbox:
    return Mailbox(load_settings().resolved_mail_dir())


@app.command("list")
def list_(as_json: AsJson = False) -> None:
    """Alle ontvangen mails, oudste eerst (every mail received, oldest first)."""
    mails = _mailbox().list()
    rows = [
        {"id": m.name, "date": _local(m.date), "to": m.to, "subject": m.subject,
         "file": str(m.path)}
        for m in mails
    ]  # fmt: skip
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(f"geen mail / no mail in {_mailbox().folder}")
        return
    table = Table(show_edge=False)
    for column in ("id", "datum", "aan", "onderwerp"):
        table.add_column(column, no_wrap=column == "id", overflow="fold")
    for r in rows:
        table.add_row(r["id"][:10], r["date"], Text(r["to"]), Text(r["subject"]))
    console().print(table)


def _local(header: str) -> str:
    """A mail's Date header in the coaches' time (Amsterdam), as every time in `nbm`."""
    try:
        return when(parsedate_to_datetime(header))
    except (TypeError, ValueError):
        return header


@app.command("show")
def show(
    mail_id: Annotated[
        str, typer.Argument(help="Het id (of het begin ervan) uit `nbm mail list`.")
    ],
    html: Annotated[
        bool, typer.Option("--html", help="De HTML-versie in plaats van tekst.")
    ] = False,
) -> None:
    """Toon één mail (show one mail): de kop en de tekst."""
    found = _mailbox().find(mail_id)
    if found is None:
        raise CliError(f"geen (unieke) mail {mail_id[:40]!r} / no such mail; see `nbm mail list`")
    message = found.message()
    for header in ("From", "To", "Subject", "Date", "Message-ID"):
        typer.echo(f"{header}: {message.get(header, '')}")
    body = message.get_body(("html",) if html else ("plain",))
    typer.echo("")
    typer.echo(body.get_content() if body is not None else "")  # type: ignore[union-attr]
    typer.echo(f"\n({found.path})")
