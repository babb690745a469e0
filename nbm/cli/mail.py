"""`nbm mail`: the mails the embedded stack's SMTP server received (in `mail/` of the data
folder), as the employers would read them."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from nbm.i18n import _
from nbm.mailbox import Mailbox
from nbm.settings import load_settings

from ._common import AsJson, CliError, console, excerpt, print_json, when

app = typer.Typer(help="Mail: what the local mail server received.", no_args_is_help=True)


def _mailbox() -> Mailbox:
    return Mailbox(load_settings().resolved_mail_dir())


@app.command("list")
def list_(as_json: AsJson = False) -> None:
    """Every mail received, oldest first."""
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
        typer.echo(_("no mail in {folder}").format(folder=_mailbox().folder))
        return
    table = Table(show_edge=False)
    for column in (_("id"), _("date"), _("to"), _("subject")):
        table.add_column(column, no_wrap=column == _("id"), overflow="fold")
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
    mail_id: Annotated[str, typer.Argument(help="The id (or its start) from `nbm mail list`.")],
    html: Annotated[
        bool, typer.Option("--html", help="The HTML version instead of the text.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Show one mail: its headers and its text."""
    found = _mailbox().find(mail_id)
    if found is None:
        raise CliError(_("no (unique) mail {id}; see `nbm mail list`").format(id=excerpt(mail_id)))
    message = found.message()
    headers = ("From", "To", "Subject", "Date", "Message-ID")
    body = message.get_body(("html",) if html else ("plain",))
    if as_json:
        print_json(
            {
                **{h.lower().replace("-", "_"): str(message.get(h, "")) for h in headers},
                "body": body.get_content() if body is not None else "",  # type: ignore[union-attr]
                "file": str(found.path),
            }
        )
        return
    for header in headers:
        typer.echo(f"{header}: {message.get(header, '')}")
    typer.echo("")
    typer.echo(body.get_content() if body is not None else "")  # type: ignore[union-attr]
    typer.echo(f"\n({found.path})")
