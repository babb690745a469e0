"""`nbm audit verify` and `export`: the hash chains recomputed, and a file to check offline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from nbm.audit import Checked, export_stream, verify_file, verify_store
from nbm.i18n import _, ngettext

from .._bars import progress_bar
from .._common import AsJson, CliError, fail, print_json
from .._db import run_store

app = typer.Typer()


def _show(checked: Checked, as_json: bool) -> None:
    report = checked.report
    if as_json:
        print_json(checked.as_json())
    else:
        typer.echo(
            _(
                "checked {events:,} events in {streams:,} stream(s) ({source}) in "
                "{seconds:.2f} s: {rate:,.0f} events/s"
            ).format(
                events=report.events,
                streams=report.streams,
                source=checked.source,
                seconds=checked.seconds,
                rate=checked.rate,
            )
        )
        if report.intact:
            position, head = report.head
            typer.echo(_("intact: every hash recomputed from the stored bytes matches"))
            if report.global_chain and position:
                typer.echo(
                    _("head: position {position}, global hash {hex}").format(
                        position=position, hex=head.hex()
                    )
                )
            typer.echo(
                _(
                    "a rewrite with every hash recomputed is only seen against a "
                    "signed checkpoint: nbm audit checkpoints verify"
                )
            )
    first = report.first
    if first is not None:
        more = report.breaks_total - 1
        rest = (
            ngettext(
                " ({count} more break; --json lists them)",
                " ({count} more breaks; --json lists them)",
                more,
            ).format(count=more)
            if more
            else ""
        )
        fail(_("tampering found: {describe}{rest}").format(describe=first.describe(), rest=rest))


@app.command("verify")
def verify(
    trajectory_id: Annotated[
        str | None,
        typer.Argument(help="One trajectory's id (its stream chain).", show_default=False),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every event: each stream's chain and the global one.")
    ] = False,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="An `nbm audit export` file, checked offline.", show_default=False
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Recompute the hash chains; exit 1 naming the first broken event."""
    if sum((trajectory_id is not None, all_, file is not None)) != 1:
        raise CliError(_("give one of: a trajectory id, --all, --file F"))
    if file is not None:
        checked = verify_file(file)
    else:
        whole = trajectory_id is None  # one trajectory's chain is checked in a moment
        with progress_bar(_("checking the hash chains"), quiet=as_json or not whole) as tell:
            checked = run_store(lambda store, _cfg: verify_store(store, trajectory_id, tell))
    _show(checked, as_json)


@app.command("export")
def export(
    trajectory_id: Annotated[str, typer.Argument(help="The trajectory's id.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="The file to write.", show_default=False)],
) -> None:
    """Write one trajectory's events and hashes to a file that `verify --file` checks offline."""
    doc = run_store(lambda store, _: export_stream(store, trajectory_id, datetime.now(UTC)))
    try:
        out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    except OSError as err:
        raise CliError(
            _("cannot write {out}: {strerror}").format(out=out, strerror=err.strerror)
        ) from None
    typer.echo(
        _("exported {len} events of {trajectory_id} to {out}").format(
            len=len(doc["events"]), trajectory_id=trajectory_id, out=out
        )
    )
