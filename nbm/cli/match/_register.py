"""`nbm match vocabulary|register`: the skills vocabulary, and the Algoritmeregister entry
built from the ranking's own code."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer

from domain import matching
from nbm import matching as service
from nbm import stream_service as streams
from nbm.i18n import _
from nbm.service import ServiceError
from nbm.settings import ConfigError, load_settings

from .._common import (
    AsJson,
    CliError,
    print_json,
    run,
)
from ._shared import EscoDir, vocab_of

app = typer.Typer()


@app.command("vocabulary")
def vocabulary(
    query: Annotated[str, typer.Argument(help="Search in the labels (empty: everything).")] = "",
    esco_dir: EscoDir = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: AsJson = False,
) -> None:
    """The skills vocabulary, with URIs."""
    vocab = vocab_of(esco_dir)
    hits = vocab.search(query, limit=limit)
    if as_json:
        print_json([s.model_dump(mode="json") for s in hits])
        return
    for s in hits:
        mark = _(" (project URI)") if s.is_project_uri else ""
        typer.echo(f"{s.label('nl')} / {s.label('en')}: {s.uri}{mark}")
    typer.echo(_("{hits} of {vocab}").format(hits=len(hits), vocab=len(vocab)))


@app.command("register")
def register(
    legal_basis: Annotated[
        str | None,
        typer.Option(
            help="The legal basis (given by the municipality); default NBM_MATCH_LEGAL_BASIS."
        ),
    ] = None,
    organisation: Annotated[str | None, typer.Option(help="The organisation.")] = None,
    contact: Annotated[str | None, typer.Option(help="Contact for the register.")] = None,
    offline: Annotated[
        bool, typer.Option(help="Without the decision log (no connection).")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """The Algoritmeregister entry, from the code itself (the algorithm register)."""
    try:
        config = load_settings()
    except ConfigError as err:
        raise CliError(str(err)) from None
    overrides = None
    if not offline:
        # The decision log when a stack is reachable; the entry stands without it.
        with contextlib.suppress(CliError, ConfigError, ServiceError, OSError):
            overrides = run(
                lambda client, _: streams.matching_state(client), timeout=10
            ).overrides()
    entry = matching.register_entry(
        organisation=organisation or config.organisation,
        legal_basis=legal_basis or config.match_legal_basis, overrides=overrides, contact=contact,
    )  # fmt: skip
    if as_json:
        print_json(entry.model_dump(mode="json"))
    else:
        typer.echo(service.register_markdown(entry))
