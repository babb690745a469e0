"""`nbm audit history`, `as-of`, `checkpoint(s)`, `schedule-checkpoints` and `replay`.

`history` and `as-of` read the event store directly, not the workflow: an auditor checks what
was recorded, and the state on a date is the fold of the events up to that date, computed the
same way the workflow computes it. Nothing here prints personal data: sealed or personal
fields appear as `[personal data]`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import typer
from rich.table import Table
from rich.text import Text

from activities import PostgresEventStore
from activities.access_log import Access, first_break, read_accesses
from activities.checkpoints import (
    CheckpointError,
    CheckpointTaken,
    locate_rewrites,
    take_checkpoint,
)
from domain.shared import COACH_TIME_ZONE
from nbm import audit
from nbm.i18n import _
from nbm.settings import Settings, load_settings

from .._common import (
    AsJson,
    CliError,
    TrajectoryId,
    console,
    excerpt,
    fail,
    option,
    print_json,
    run,
    warn,
)
from .._db import Role, run_db, run_store
from .._render import state_json, state_view
from .._timeline import history_rows

app = typer.Typer()
checkpoints_app = typer.Typer(help="Signed checkpoints kept outside the database.")
app.add_typer(checkpoints_app, name="checkpoints")


@app.command("history")
def history(trajectory_id: TrajectoryId, as_json: AsJson = False) -> None:
    """Who did what, when and why, from the event store (the timeline). Also for a future job,
    an employer, a task or `people` (the directory): their events and facts.

    An event that cannot be read is named (stream, version, position) and the command ends
    with exit code 1, after every event that can be read."""
    if not trajectory_id.startswith("traj-"):  # a future job, an employer, a task, "people"
        _stream_history(trajectory_id, as_json)
        return
    read = run_store(lambda store, _: audit.read_history(store, trajectory_id))
    found = read.events
    rows = history_rows(found)
    if as_json:
        print_json(rows)
        _fail_on_unreadable(read)
        return
    table = Table(show_edge=False)
    for column in ("#", _("recorded (UTC)"), _("actor"), _("event")):
        table.add_column(column, no_wrap=True)  # the why wraps; the facts stay on one line
    table.add_column(_("why"))
    for e, row in zip(found, rows, strict=True):
        at = e.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        # Both times when they differ: when it was recorded, and when it took effect.
        took = _("took effect {at}; ").format(at=audit.utc(e.at)) if e.at != e.occurred_at else ""
        table.add_row(str(e.version), at, Text(e.actor), e.type, Text(took + row["why"]))
    console().print(table)
    _fail_on_unreadable(read)


def _stream_history(stream_id: str, as_json: bool) -> None:
    """Another aggregate's stream: who decided what, when, with its facts (sealed ones not
    opened)."""
    read = run_store(lambda store, _: audit.read_stream_history(store, stream_id))
    rows: list[dict[str, Any]] = [
        {
            "version": e.version,
            "recorded": audit.utc(e.occurred_at),
            "actor": e.actor,
            "event": e.type,
            "request_id": e.request_id,
            "facts": audit.event_facts(e),
        }
        for e in read.events
    ]
    if as_json:
        print_json(rows)
    else:
        table = Table(show_edge=False)
        for column in ("#", _("recorded (UTC)"), _("actor"), _("event")):
            table.add_column(column, no_wrap=True)
        table.add_column(_("facts"), overflow="fold")
        for r in rows:
            table.add_row(str(r["version"]), r["recorded"], Text(r["actor"]), r["event"],
                          Text(r["facts"]))  # fmt: skip
        console().print(table)
    _fail_on_unreadable(read)


def _fail_on_unreadable(read: audit.History | audit.StreamHistory) -> None:
    if read.unreadable:
        more = len(read.unreadable) - 1
        fail(
            f"{read.unreadable[0]}"
            + (_(" ({count} more cannot be read)").format(count=more) if more else "")
        )


def parse_moment(value: str) -> datetime:
    """An ISO date (the end of that day in Amsterdam, where the coaches are) or datetime
    (without an offset: Amsterdam time)."""
    try:
        if "T" not in value and " " not in value:
            return datetime.combine(date.fromisoformat(value), time.max, COACH_TIME_ZONE)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(
            _("DATE: {value} is not an ISO date or datetime (2027-03-01, 2027-03-01T12:00)").format(
                value=excerpt(value)
            )
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=COACH_TIME_ZONE)


@app.command("as-of")
def as_of(
    trajectory_id: TrajectoryId,
    moment: Annotated[
        str,
        typer.Argument(
            metavar="DATE",
            help="ISO date (the end of that day, Amsterdam time) or datetime (Amsterdam time "
            "unless an offset follows).",
        ),
    ],
    recorded: Annotated[
        bool,
        option(
            "What was recorded by DATE, instead of what had taken effect by then.", "--recorded"
        ),
    ] = False,
    as_json: AsJson = False,
) -> None:
    """The trajectory exactly as it stood at DATE, folded from the events.

    By default an event counts from when it took effect, also when it was recorded later."""
    until = parse_moment(moment)
    found = run_store(
        lambda store, _: audit.state_as_of(store, trajectory_id, until, recorded=recorded)
    )
    state = found.state
    for err in found.unreadable_later:
        warn(
            _("{err}; recorded after {until}, it may have taken effect before").format(
                err=err, until=audit.utc(until)
            )
        )
    view = "recorded by" if recorded else "in effect at"
    if as_json:
        print_json({"as_of": until.isoformat(), "view": view, "state": state_json(state)})
        return
    console().print(Text(f"As {view} {audit.utc(until)}: version {state.version}", style="bold"))
    console().print(state_view(state))


@app.command("checkpoint")
def checkpoint() -> None:
    """Sign the heads of the hash chains now and append them to the checkpoint file."""

    async def work(store: PostgresEventStore, config: Settings) -> CheckpointTaken:
        path = config.resolved_checkpoint_file()
        try:
            return await take_checkpoint(store, config.resolved_audit_signing_key(), path)
        except CheckpointError as err:
            raise CliError(str(err)) from None

    taken = run_store(work)
    typer.echo(
        _("checkpoint {isoformat}: position {position}, {streams} streams, key {key_id}").format(
            isoformat=taken.taken_at.isoformat(),
            position=taken.position,
            streams=taken.streams,
            key_id=taken.key_id,
        )
    )


@checkpoints_app.command("verify")
def verify_checkpoints(
    file: Annotated[
        Path | None, typer.Option("--file", help="Default: NBM_CHECKPOINT_FILE.")
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(help="PEM public key to verify with; default: the one beside the file."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Verify every checkpoint against the database; exit 1 naming the first mismatch."""
    checkpoints = audit.load_checkpoints(
        file or load_settings().resolved_checkpoint_file(), public_key
    )
    results = run_store(lambda store, _: audit.verify_all(store, checkpoints))
    located = locate_rewrites([(r.checkpoint, r.mismatches) for r in results])
    if as_json:
        print_json(
            [
                {
                    "taken_at": r.checkpoint.taken_at.isoformat(),
                    "position": r.checkpoint.position,
                    "streams": len(r.checkpoint.stream_heads),
                    "key_id": r.checkpoint.key_id,
                    "ok": not r.mismatches,
                    "mismatches": [
                        {"stream_id": m.stream_id, "message": m.message} for m in r.mismatches
                    ],
                }
                for r in results
            ]
        )
    for r in results if not as_json else ():
        cp = r.checkpoint
        status = "ok" if not r.mismatches else "MISMATCH"
        typer.echo(
            _(
                "{status:8} {isoformat}  position {position}, {stream_heads} streams, key {key_id}"
            ).format(
                status=status,
                isoformat=cp.taken_at.isoformat(),
                position=cp.position,
                stream_heads=len(cp.stream_heads),
                key_id=cp.key_id,
            )
        )
        for m in r.mismatches:
            typer.echo(f"         {m.message}")
    for line in located.values() if not as_json else ():
        typer.echo(line)
    mismatches = [m for r in results for m in r.mismatches]
    if mismatches:
        # The stream, when one is named, says more than the global head that it moved.
        first = next((m for m in mismatches if m.stream_id is not None), mismatches[0])
        fail(first.message)


LONGEST_INTERVAL = timedelta(days=366)
"""A checkpoint at least once a year: a longer interval is a typo, and overflows anyway."""


def parse_every(value: str) -> timedelta:
    found = re.fullmatch(r"(\d{1,12})([smhd])", value.strip())
    if not found or int(found[1]) == 0:
        raise CliError(
            _("--every: {value} is not an interval like 30m, 1h or 1d").format(value=excerpt(value))
        )
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[found[2]]
    every = timedelta(**{unit: int(found[1])})
    if every > LONGEST_INTERVAL:
        raise CliError(
            _("--every: {value} is longer than {days} days").format(
                value=excerpt(value), days=LONGEST_INTERVAL.days
            )
        )
    return every


@app.command("schedule-checkpoints")
def schedule_checkpoints_command(
    every: Annotated[str, typer.Option(help="Interval: 30m, 1h, 1d.")] = "1h",
) -> None:
    """Create or update the Temporal Schedule that takes checkpoints periodically."""
    interval = parse_every(every)
    done = run(
        lambda client, config: audit.schedule_checkpoints(client, config.task_queue, interval)
    )
    typer.echo(
        _("schedule {SCHEDULE_ID} {done}: a checkpoint every {interval}").format(
            SCHEDULE_ID=audit.SCHEDULE_ID, done=done, interval=interval
        )
    )


@app.command("replay")
def replay(
    trajectory_id: Annotated[
        str | None, typer.Argument(help="One trajectory (all its runs).", show_default=False)
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Closed trajectories too, not only running ones.")
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many runs.")] = 100,
    as_json: AsJson = False,
) -> None:
    """Replay workflow histories against the current code; exit 1 if any diverges."""
    found = run(
        lambda client, _config: audit.replay_trajectories(
            client, trajectory_id, include_closed=include_closed, limit=limit
        ),
        timeout=600,
    )
    if not found:
        raise CliError(_("no trajectory workflows to replay"))
    if as_json:
        print_json(
            [
                {
                    "workflow_id": r.workflow_id,
                    "run_id": r.run_id,
                    "ok": r.failure is None,
                    "failure": None if r.failure is None else str(r.failure),
                }
                for r in found
            ]
        )
    for r in found if not as_json else ():
        typer.echo(f"{'ok' if r.failure is None else 'DIVERGED':9} {r.workflow_id}  {r.run_id}")
        if r.failure is not None:
            typer.echo(f"          {r.failure}")
    diverged = [r.workflow_id for r in found if r.failure is not None]
    if diverged:
        fail(
            _("{diverged} of {found} runs diverge from the current code: {diverged2}").format(
                diverged=len(diverged), found=len(found), diverged2=diverged[0]
            )
        )
    if not as_json:
        typer.echo(_("{found} runs replay with the current code").format(found=len(found)))


# --- the access log ---------------------------------------------------------------------


@app.command("access-log")
def access_log(
    candidate: Annotated[
        str | None,
        typer.Option(help="Only this candidate reference's entries.", show_default=False),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Who read whose personal data, when and why (the processing log); exit 1 if its
    chain does not hold."""

    async def work(pool: asyncpg.Pool, _: Settings) -> list[Access]:
        return await read_accesses(pool)

    entries = run_db(work, role=Role.AUDITOR, missing=_("the access log is not migrated"))
    broken = first_break(entries)
    shown = [e for e in entries if candidate is None or e.candidate_ref == candidate]
    if as_json:
        print_json(
            [
                {"position": e.position, "at": e.at.isoformat(), "actor": e.actor,
                 "candidate_ref": e.candidate_ref, "purpose": e.purpose, "action": e.action}
                for e in shown
            ]
        )  # fmt: skip
    else:
        table = Table(show_edge=False)
        for column in ("#", _("at (UTC)"), _("who"), _("candidate"), _("purpose"), _("action")):
            table.add_column(column, no_wrap=True)
        for e in shown:
            at = e.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
            table.add_row(str(e.position), at, e.actor, e.candidate_ref, e.purpose, e.action)
        console().print(table if shown else _("no readings of personal data logged"))
        if broken is None:
            typer.echo(_("chain intact: {entries} entries").format(entries=len(entries)))
    if broken is not None:
        fail(
            _("the access log's chain breaks at entry {position}: altered or removed").format(
                position=broken.position
            )
        )
