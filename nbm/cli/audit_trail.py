"""`nbm audit history`, `as-of`, `checkpoint(s)` and `replay`: who did what, when, and proof.

`history` and `as-of` read the event store directly, not the workflow: an auditor checks what
was recorded, and the state on a date is the fold of the events up to that date, computed the
same way the workflow computes it. Nothing here prints personal data: sealed or personal
fields appear as `[personal data]`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.table import Table
from rich.text import Text
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    WorkflowHistory,
)
from temporalio.worker import Replayer

from activities import PostgresEventStore
from activities.checkpoints import (
    Checkpoint,
    CheckpointError,
    CheckpointTaken,
    Mismatch,
    load_public_key,
    locate_rewrites,
    public_key_for,
    read_checkpoints,
    take_checkpoint,
    verify_checkpoint,
)
from domain import trajectory
from nbm.settings import Settings, load_settings
from workflows import TrajectoryWorkflow, workflow_runner
from workflows.checkpoint import CheckpointWorkflow
from workflows.messages import WORKFLOW_TYPE

from ._common import CliError, console, fail, one_line, print_json, run
from ._render import state_json, state_view
from ._timeline import history_rows, utc
from .audit import app
from .audit_chain import open_store

T = TypeVar("T")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")  # the domain's OpaqueId

SCHEDULE_ID = "nbm-audit-checkpoints"
CHECKPOINT_WORKFLOW_ID = "nbm-audit-checkpoint"

TrajectoryId = Annotated[str, typer.Argument(help="The trajectory's id.", show_default=False)]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


# --- the database ---------------------------------------------------------------------------


def run_store(work: Callable[[PostgresEventStore, Settings], Awaitable[T]]) -> T:
    """Load the settings, open the store, and run `work(store, settings)`."""
    config = load_settings()
    config.resolved_database_url()  # a ConfigError before any event loop starts

    async def main() -> T:
        async with open_store(config.resolved_database_url()) as store:
            return await work(store, config)

    return asyncio.run(main())


# --- history ----------------------------------------------------------------------------------


@app.command("history")
def history(trajectory_id: TrajectoryId, as_json: AsJson = False) -> None:
    """Who did what, when and why, from the event store (tijdlijn)."""
    found = run_store(lambda store, _: store.read(trajectory_id))
    if not found:
        raise CliError(f"no trajectory {trajectory_id} in the event store")
    rows = history_rows(found)
    if as_json:
        print_json(rows)
        return
    table = Table(show_edge=False)
    for column in ("#", "occurred at (UTC)", "actor", "event"):
        table.add_column(column, no_wrap=True)  # the why wraps; the facts stay on one line
    table.add_column("why")
    for e, row in zip(found, rows, strict=True):
        at = e.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(str(e.version), at, Text(e.actor), e.type, Text(row["why"]))
    console().print(table)


# --- as of a date -----------------------------------------------------------------------------


def parse_moment(value: str) -> datetime:
    """An ISO date (the end of that day, UTC) or datetime (without a zone: UTC)."""
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time.max, UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(
            f"DATE: {value!r} is not an ISO date or datetime (2027-03-01, 2027-03-01T12:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def state_as_of(
    store: PostgresEventStore, trajectory_id: str, moment: datetime
) -> trajectory.Trajectory:
    """The trajectory as it was at `moment`: the fold of its events up to then."""
    state = trajectory.fold(await store.read(trajectory_id, until=moment))
    if state is None:
        first = await store.read(trajectory_id)
        if not first:
            raise CliError(f"no trajectory {trajectory_id} in the event store")
        raise CliError(
            f"trajectory {trajectory_id} did not exist yet at {utc(moment)} "
            f"(it started at {utc(first[0].occurred_at)})"
        )
    return state


@app.command("as-of")
def as_of(
    trajectory_id: TrajectoryId,
    moment: Annotated[
        str, typer.Argument(metavar="DATE", help="ISO date (end of that day, UTC) or datetime.")
    ],
    as_json: AsJson = False,
) -> None:
    """The trajectory exactly as it stood at DATE, folded from the events (stand op datum)."""
    until = parse_moment(moment)
    state = run_store(lambda store, _: state_as_of(store, trajectory_id, until))
    if as_json:
        print_json({"as_of": until.isoformat(), "state": state_json(state)})
        return
    console().print(Text(f"As of {utc(until)}: version {state.version}", style="bold"))
    console().print(state_view(state))


# --- checkpoints ------------------------------------------------------------------------------

checkpoints_app = typer.Typer(help="Signed checkpoints kept outside the database.")
app.add_typer(checkpoints_app, name="checkpoints")


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
        f"checkpoint {taken.taken_at.isoformat()}: position {taken.position}, "
        f"{taken.streams} streams, key {taken.key_id}"
    )


@dataclass(frozen=True)
class Verified:
    checkpoint: Checkpoint
    mismatches: list[Mismatch]


async def verify_all(
    store: PostgresEventStore, checkpoints: list[tuple[Checkpoint, Ed25519PublicKey]]
) -> list[Verified]:
    """Each checkpoint, with the key to check its signature, against the database."""
    return [Verified(cp, await verify_checkpoint(store, cp, key)) for cp, key in checkpoints]


def load_checkpoints(
    path: Path, public_key_file: Path | None
) -> list[tuple[Checkpoint, Ed25519PublicKey]]:
    """The checkpoints in `path`, each with the given key or the one exported beside `path`."""
    try:
        checkpoints = read_checkpoints(path)
        if not checkpoints:
            raise CheckpointError(f"no checkpoints in {path}")
        given = load_public_key(public_key_file.read_bytes()) if public_key_file else None
        return [(cp, given or public_key_for(path, cp)) for cp in checkpoints]
    except OSError as err:
        raise CliError(f"cannot read {err.filename}: {err.strerror}") from None
    except CheckpointError as err:
        raise CliError(str(err)) from None


@checkpoints_app.command("verify")
def verify_checkpoints(
    file: Annotated[
        Path | None, typer.Option("--file", help="Default: NBM_CHECKPOINT_FILE.")
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(help="PEM public key to verify with; default: the one beside the file."),
    ] = None,
) -> None:
    """Verify every checkpoint against the database; exit 1 naming the first mismatch."""
    checkpoints = load_checkpoints(file or load_settings().resolved_checkpoint_file(), public_key)
    results = run_store(lambda store, _: verify_all(store, checkpoints))
    for r in results:
        cp = r.checkpoint
        status = "ok" if not r.mismatches else "MISMATCH"
        typer.echo(
            f"{status:8} {cp.taken_at.isoformat()}  position {cp.position}, "
            f"{len(cp.stream_heads)} streams, key {cp.key_id}"
        )
        for m in r.mismatches:
            typer.echo(f"         {m.message}")
    located = locate_rewrites([(r.checkpoint, r.mismatches) for r in results])
    for line in located.values():
        typer.echo(line)
    mismatches = [m for r in results for m in r.mismatches]
    if mismatches:
        # The stream, when one is named, says more than the global head that it moved.
        first = next((m for m in mismatches if m.stream_id is not None), mismatches[0])
        fail(first.message)


def parse_every(value: str) -> timedelta:
    found = re.fullmatch(r"(\d+)([smhd])", value.strip())
    if not found or int(found[1]) == 0:
        raise CliError(f"--every: {value!r} is not an interval like 30m, 1h or 1d")
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[found[2]]
    return timedelta(**{unit: int(found[1])})


async def schedule_checkpoints(
    client: Client, task_queue: str, every: timedelta, *, schedule_id: str = SCHEDULE_ID
) -> str:
    """Create, or update, the Temporal Schedule that takes a checkpoint `every` interval."""
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(
            CheckpointWorkflow.run, id=CHECKPOINT_WORKFLOW_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]),
        # A checkpoint still running when the next is due makes the next one redundant.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )
    try:
        await client.create_schedule(schedule_id, schedule)
        return "created"
    except ScheduleAlreadyRunningError:
        await client.get_schedule_handle(schedule_id).update(
            lambda _: ScheduleUpdate(schedule=schedule)
        )
        return "updated"


@app.command("schedule-checkpoints")
def schedule_checkpoints_command(
    every: Annotated[str, typer.Option(help="Interval: 30m, 1h, 1d.")] = "1h",
) -> None:
    """Create or update the Temporal Schedule that takes checkpoints periodically."""
    interval = parse_every(every)
    done = run(lambda client, config: schedule_checkpoints(client, config.task_queue, interval))
    typer.echo(f"schedule {SCHEDULE_ID} {done}: a checkpoint every {interval}")


# --- replay -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replayed:
    workflow_id: str
    run_id: str
    failure: str | None


async def replay_trajectories(
    client: Client,
    workflow_id: str | None = None,
    *,
    include_closed: bool = False,
    limit: int = 100,
    workflows: list[type] | None = None,
) -> list[Replayed]:
    """Replay trajectory workflows from the server against the current code (or `workflows`)."""
    query = f"WorkflowType = '{WORKFLOW_TYPE}'"
    if workflow_id is not None:
        if not _ID.match(workflow_id):  # it goes into a query: ids only, no quotes
            raise CliError(f"{workflow_id!r} is not a trajectory id")
        query += f" AND WorkflowId = '{workflow_id}'"  # every run, continued-as-new ones too
    elif not include_closed:
        query += " AND ExecutionStatus = 'Running'"
    seen: list[tuple[str, str]] = []

    async def histories() -> AsyncIterator[WorkflowHistory]:
        async for execution in client.list_workflows(query, limit=limit):
            seen.append((execution.id, execution.run_id))
            yield await client.get_workflow_handle(
                execution.id, run_id=execution.run_id
            ).fetch_history()

    replayer = Replayer(
        workflows=workflows or [TrajectoryWorkflow],
        workflow_runner=workflow_runner(),
        data_converter=client.data_converter,  # the codec too: histories hold encrypted payloads
    )
    results = await replayer.replay_workflows(histories(), raise_on_replay_failure=False)
    return [Replayed(wid, rid, _first_line(results.replay_failures.get(rid))) for wid, rid in seen]


def _first_line(failure: Exception | None) -> str | None:
    return one_line(str(failure))[:200] if failure is not None else None


@app.command("replay")
def replay(
    trajectory_id: Annotated[
        str | None, typer.Argument(help="One trajectory (all its runs).", show_default=False)
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Closed trajectories too, not only running ones.")
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many runs.")] = 100,
) -> None:
    """Replay workflow histories against the current code; exit 1 if any diverges."""
    found = run(
        lambda client, _: replay_trajectories(
            client, trajectory_id, include_closed=include_closed, limit=limit
        ),
        timeout=600,
    )
    if not found:
        raise CliError("no trajectory workflows to replay")
    for r in found:
        typer.echo(f"{'ok' if r.failure is None else 'DIVERGED':9} {r.workflow_id}  {r.run_id}")
        if r.failure is not None:
            typer.echo(f"          {r.failure}")
    diverged = [r.workflow_id for r in found if r.failure is not None]
    if diverged:
        fail(f"{len(diverged)} of {len(found)} runs diverge from the current code: {diverged[0]}")
    typer.echo(f"{len(found)} runs replay with the current code")
