"""`nbm candidate`: a candidate's personal data as a whole, across their trajectories.

`erase` is the right to erasure (GDPR art. 17) by crypto-shredding: it destroys the
candidate's key, after which no copy of their sealed personal data (in the events, in the
Temporal history, in backups) can be opened again. The trajectory's non-personal facts stay,
for the outcome figures, and the audit chain still verifies: it covers the ciphertext.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

import typer

from activities.key_store import PostgresKeyStore
from nbm.i18n import _
from nbm.local_files import replace_kek
from nbm.settings import Settings, load_settings
from privacy.keyring import next_generation, only_current

from ._common import AsJson, actor, console, print_json, when
from ._keys import key_store

T = TypeVar("T")

app = typer.Typer(
    help="Candidates: their personal data, and its erasure.",
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
    """Erase the candidate's personal data for good (the right to be forgotten).

    Destroys the candidate's key: their name, BSN, contact details, notes and summaries can
    never be read again, anywhere. The trajectories' non-personal facts remain."""
    who = actor(ctx)
    if not yes:
        typer.confirm(
            _("Erase the personal data of candidate {ref} for good? This cannot be undone").format(
                ref=candidate_ref
            ),
            abort=True,
        )
    config = load_settings()
    done = asyncio.run(erase_for_good(config, candidate_ref, who))
    typer.echo(
        _("candidate {ref}: personal data erased (key destroyed)").format(ref=candidate_ref)
        if done.erased_now
        else _("candidate {ref}: was already erased").format(ref=candidate_ref)
    )
    if done.retired:
        typer.echo(
            _(
                "KEK {retired} retired and destroyed: {count} other key(s) now under KEK {current}"
            ).format(retired=", ".join(done.retired), count=done.rewrapped, current=done.current)
            + ("" if done.vacuumed else _("; the key table's dead rows stay until VACUUM FULL"))
        )
    else:
        typer.echo(
            _(
                "NBM_KEK comes from your secret store, so retire its current KEK "
                "there: put a new one first in NBM_KEK, run `nbm candidate "
                "rewrap-keys`, then remove the old one. Until then the erased key's "
                "old copies in the database files and backups still open with it."
            ),
            err=True,
        )


@dataclass(frozen=True)
class Erased:
    erased_now: bool
    retired: list[str]
    """The KEK generations destroyed (empty: the KEK is not this machine's to retire)."""
    current: str | None = None
    rewrapped: int = 0
    vacuumed: bool = False


async def erase_for_good(config: Settings, candidate_ref: str, who: str) -> Erased:
    """Destroy the candidate's key, then retire every KEK generation a copy of it was ever
    wrapped under: the other keys are rewrapped under a new one and the old ones destroyed,
    so no copy of the erased key left in the database's files, its WAL or a backup opens.

    The new KEK is written before anything is rewrapped and the old one removed only after:
    a crash between leaves both listed, and running erase again finishes the retirement.
    """
    async with key_store(config) as keys:
        erased_now = await keys.erase(candidate_ref, who)
    if not config.kek_is_local():
        return Erased(erased_now, retired=[])
    old = config.resolved_kek()
    new = next_generation(old)
    replace_kek(config.data_dir, new.dumps())
    async with key_store(config, new) as keys:
        rewrapped = await keys.rewrap()
        vacuumed = await keys.vacuum()
    replace_kek(config.data_dir, only_current(new).dumps())
    return Erased(erased_now, sorted(old.keys), new.current_id, rewrapped, vacuumed)


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
            _("candidate {ref}: erased on {at} by {who}").format(
                ref=candidate_ref, at=when(row["erased_at"]), who=row["erased_by"]
            ),
            markup=False,
        )
    else:
        console().print(
            _("candidate {ref}: key since {at} (wrapped by KEK {kek})").format(
                ref=candidate_ref, at=when(row["created_at"]), kek=row["kek_id"]
            ),
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
    typer.echo(_("{count} candidate key(s) rewrapped under the current KEK").format(count=count))
