"""`nbm candidate`: a candidate's personal data as a whole, across their trajectories.

`erase` is the right to erasure (GDPR art. 17) by crypto-shredding: it destroys the
candidate's key, after which no copy of their sealed personal data (in the events, in the
Temporal history, in backups) can be opened again. The trajectory's non-personal facts stay,
for the outcome figures, and the audit chain still verifies: it covers the ciphertext.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from activities.key_store import PostgresKeyStore
from nbm.settings import load_settings

from ._common import AsJson, actor, console, print_json, when
from ._keys import key_store

T = TypeVar("T")

app = typer.Typer(
    help="Candidates (kandidaten): their personal data, and its erasure.",
    no_args_is_help=True,
)

CandidateRef = Annotated[
    str, typer.Argument(help="The candidate's reference (as given to `match`).", show_default=False)
]


def with_keys(work: Callable[[PostgresKeyStore], Awaitable[T]]) -> T:
    """`work(keys)` on the configured key store, in a fresh event loop."""
    config = load_settings()

    async def main() -> T:
        async with key_store(config) as keys:
            return await work(keys)

    return asyncio.run(main())


@app.command("erase")
def erase(
    ctx: typer.Context,
    candidate_ref: CandidateRef,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase the candidate's personal data for good (recht op vergetelheid).

    Destroys the candidate's key: their name, BSN, contact details, notes and summaries can
    never be read again, anywhere. The trajectories' non-personal facts remain.
    """
    who = actor(ctx)
    if not yes:
        typer.confirm(
            f"Erase the personal data of candidate {candidate_ref} for good? This cannot be undone",
            abort=True,
        )
    erased_now = with_keys(lambda keys: keys.erase(candidate_ref, who))
    if erased_now:
        typer.echo(f"candidate {candidate_ref}: personal data erased (key destroyed)")
    else:
        typer.echo(f"candidate {candidate_ref}: was already erased")


@app.command("status")
def status(
    candidate_ref: CandidateRef,
    as_json: AsJson = False,
) -> None:
    """Whether the candidate's personal data is still readable or was erased, when and by whom."""
    row = dict(with_keys(lambda keys: keys.status(candidate_ref)))
    erased = row["erased_at"] is not None
    if as_json:
        print_json({**row, "erased": erased})
        return
    if erased:
        console().print(
            f"candidate {candidate_ref}: erased on {when(row['erased_at'])} by {row['erased_by']}",
            markup=False,
        )
    else:
        console().print(
            f"candidate {candidate_ref}: key since {when(row['created_at'])} "
            f"(wrapped by KEK {row['kek_id']})",
            markup=False,
        )


@app.command("rewrap-keys")
def rewrap_keys_command() -> None:
    """Wrap every candidate's key under the current KEK (the first in NBM_KEK).

    Run after putting a new KEK first in NBM_KEK (the old one still listed); once it is done
    and the backups made before have expired, the old KEK can be removed. Until then an old
    backup still holds the erased candidates' wrapped keys, readable with the old KEK.
    """
    count = with_keys(lambda keys: keys.rewrap())
    typer.echo(f"{count} candidate key(s) rewrapped under the current KEK")
