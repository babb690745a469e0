"""`nbm trajectory timeline`: the trajectory's story for its coach, from the event store (every
run, also before a continue-as-new): each event with when it took effect and when it was
recorded, the step it left the trajectory in, who recorded it and what it says.

Free texts (an evaluation's summary, a reason) stay `[personal data]` unless the coach asks
for them with `--show-personal`; the reading is logged first, as `trajectory show` does.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from activities import PostgresEventStore
from activities.access_log import Action, Purpose
from activities.key_store import CandidateErased
from domain import trajectory
from domain.shared import COACH_TIME_ZONE, Sealed, is_opaque_id
from nbm import audit
from nbm.i18n import _
from nbm.settings import Settings
from privacy.seal import SealError, open_text

from .._common import AsJson, TrajectoryId, console, default_actor, fail, print_json, when
from .._db import run_store
from .._keys import key_store
from .._timeline import history_rows

app = typer.Typer()

ERASED_TEXT = "[erased]"


def sealed_texts(event: trajectory.AnyEvent) -> dict[str, Sealed]:
    """The event's free texts that are sealed, by field (the candidate's personal data of a
    match is not one: `trajectory show --show-personal` opens that)."""
    return {
        name: value
        for name in type(event).model_fields
        if name != "personal" and isinstance(value := getattr(event, name), Sealed)
    }


async def open_texts(
    config: Settings, events: list[trajectory.AnyEvent], purpose: Purpose
) -> dict[int, dict[str, str]]:
    """The sealed free texts opened, by event version and field; each key's reading logged
    first (who, whom, why: `nbm audit access-log`)."""
    wanted = {e.version: sealed_texts(e) for e in events}
    refs = sorted({s.key_id for texts in wanted.values() for s in texts.values()})
    if not refs:
        return {}
    reader = config.actor if config.actor and is_opaque_id(config.actor) else default_actor()
    keys_of: dict[str, bytes | None] = {}
    async with key_store(config) as keys:
        for ref in refs:
            try:
                keys_of[ref] = await keys.key_for(ref, create=False)
            except CandidateErased:
                keys_of[ref] = None
                continue
            await keys.log_access(actor=reader, candidate_ref=ref, purpose=purpose,
                                  action=Action.SHOW)  # fmt: skip
    opened: dict[int, dict[str, str]] = {}
    for version, texts in wanted.items():
        for field, sealed in texts.items():
            key = keys_of.get(sealed.key_id)
            try:
                text = ERASED_TEXT if key is None else open_text(sealed, key, sealed.key_id)
            except SealError:
                text = ERASED_TEXT  # sealed with a key since discarded
            opened.setdefault(version, {})[field] = text
    return opened


def timeline_rows(
    events: list[trajectory.AnyEvent], opened: dict[int, dict[str, str]]
) -> list[dict[str, Any]]:
    """One row per event: `audit history`'s, with the step after it and any opened texts."""
    rows = history_rows(events)
    state: trajectory.Trajectory | None = None
    for event, row in zip(events, rows, strict=True):
        state = trajectory.evolve(state, event)
        row["step"] = state.step.value
        if isinstance(event, trajectory.TrajectoryStarted) and event.caseload_override:
            row["caseload_override"] = event.caseload_override.model_dump(mode="json")
        if event.version in opened:
            row["personal"] = opened[event.version]
    return rows


@app.command("timeline")
def timeline(
    trajectory_id: TrajectoryId,
    show_personal: Annotated[
        bool,
        typer.Option(
            "--show-personal",
            help="Open and show the free texts (summaries, reasons; needs the key store); the "
            "reading is logged with who and why (nbm audit access-log).",
        ),
    ] = False,
    purpose: Annotated[
        Purpose, typer.Option(help="Why you read the personal data (with --show-personal).")
    ] = Purpose.COACHING,
    as_json: AsJson = False,
) -> None:
    """The trajectory's timeline (tijdlijn): each event with when it took effect and was
    recorded, the step after it, who recorded it and what it says."""

    async def work(
        store: PostgresEventStore, config: Settings
    ) -> tuple[audit.History, dict[int, dict[str, str]]]:
        read = await audit.read_history(store, trajectory_id)
        opened = await open_texts(config, read.events, purpose) if show_personal else {}
        return read, opened

    read, opened = run_store(work)
    rows = timeline_rows(read.events, opened)
    if as_json:
        print_json(rows)
    else:
        table = Table(show_edge=False)
        # The event's name and the ids whole; the rest folds: 80 columns hold the table.
        for column in (_("#"), _("took effect"), _("step"), _("by"), _("event")):
            table.add_column(column, overflow="fold", no_wrap=column == _("event"))
        table.add_column(_("what"), overflow="fold", ratio=1)
        for e, row in zip(read.events, rows, strict=True):
            what = row["why"]
            if override := row.get("caseload_override"):
                what += "; " + _(
                    "past the caseload limit ({open} open, limit {limit}), allowed by {by}: "
                    "{reason}"
                ).format(open=override["open_trajectories"], limit=override["limit"],
                         by=override["by"], reason=override["reason"])  # fmt: skip
            if e.occurred_at != e.at:  # entered later: when it was recorded too
                what = _("recorded {moment}").format(moment=when(e.occurred_at)) + "; " + what
            for field, text in row.get("personal", {}).items():
                what += f"\n{field}: {text}"
            took = e.at.astimezone(COACH_TIME_ZONE).strftime("%Y-%m-%d %H:%M")
            table.add_row(str(e.version), took, row["step"], Text(e.actor), e.type, Text(what))
        console().print(table)
    if read.unreadable:  # after every event that can be read, as `audit history`
        more = len(read.unreadable) - 1
        fail(str(read.unreadable[0]) + (_(" ({more} more cannot be read)").format(more=more)
                                        if more else ""))  # fmt: skip
