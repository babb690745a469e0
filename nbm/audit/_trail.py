"""What auditors ask of the history: the state as of a moment, checkpoints, replay.

`state_as_of` folds a trajectory's stored events up to a moment, the same fold the workflow
runs. Checkpoints are signed heads of the chains kept outside the database, taken by a
Temporal Schedule (`schedule_checkpoints`) and checked against the database (`verify_all`).
`replay_trajectories` replays the server's histories against the current workflow code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
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

from activities import PostgresEventStore, UnreadableEvent
from activities.chain import StoredEvent
from activities.checkpoints import (
    Checkpoint,
    CheckpointError,
    Mismatch,
    load_public_key,
    public_key_for,
    read_checkpoints,
    verify_checkpoint,
)
from domain import trajectory
from domain.shared import N_, Phrase, Sealed, is_opaque_id
from domain.streams import DomainEvent, NotATrajectoryEvent, as_trajectory_event
from workflows import TrajectoryWorkflow, workflow_runner
from workflows.checkpoint import CheckpointWorkflow
from workflows.messages import WORKFLOW_TYPE

from ._errors import AuditError

SCHEDULE_ID = "nbm-audit-checkpoints"
CHECKPOINT_WORKFLOW_ID = "nbm-audit-checkpoint"


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class AsOf:
    """A trajectory's state at a moment, and the events recorded later that cannot be read
    (they may have taken effect before the moment: the state may lack them)."""

    state: trajectory.Trajectory
    unreadable_later: list[UnreadableEvent]


async def state_as_of(
    store: PostgresEventStore, trajectory_id: str, moment: datetime, *, recorded: bool = False
) -> AsOf:
    """The trajectory as it stood at `moment`: the fold of the events in effect by then.

    An event recorded later about what took effect earlier (a job that began last Friday,
    recorded on Monday) counts from when it took effect. `recorded`: what the store knew at
    `moment` instead, the events recorded by then.

    Raises `AuditError` if an event recorded by `moment` cannot be read.
    """
    events: list[trajectory.AnyEvent] = []
    later: list[UnreadableEvent] = []
    for record in await store.read_records(trajectory_id):
        if recorded and record.occurred_at > moment:
            break
        try:
            event = _trajectory_event(record)
        except UnreadableEvent as err:
            if record.occurred_at <= moment:
                raise AuditError(
                    N_("{unreadable}; the state after it is not known"),
                    unreadable=Phrase(err.template, **err.params),
                ) from None
            later.append(err)  # recorded later: it takes effect no later than it was recorded
            continue
        if event.at <= moment:
            events.append(event)
    state = trajectory.fold(events)
    if state is None:
        first = await store.read_records(trajectory_id)
        if not first:
            raise AuditError(
                N_("no trajectory {trajectory_id} in the event store"), trajectory_id=trajectory_id
            )
        if recorded:
            raise AuditError(
                N_(
                    "nothing of trajectory {trajectory_id} was recorded by {moment} "
                    "(first recorded {first})"
                ),
                trajectory_id=trajectory_id,
                moment=utc(moment),
                first=utc(first[0].occurred_at),
            )
        raise AuditError(
            N_("trajectory {trajectory_id} did not exist yet at {moment} (it started at {start})"),
            trajectory_id=trajectory_id,
            moment=utc(moment),
            start=utc(first[0].event().at),
        )
    return AsOf(state, later)


@dataclass(frozen=True)
class History:
    """A stream's events as far as they can be read, and those that cannot."""

    events: list[trajectory.AnyEvent]
    unreadable: list[UnreadableEvent]


async def read_history(store: PostgresEventStore, trajectory_id: str) -> History:
    """Every event of the trajectory that can be read; the others named, not skipped over."""
    records = await store.read_records(trajectory_id)
    if not records:
        raise AuditError(
            N_("no trajectory {trajectory_id} in the event store"), trajectory_id=trajectory_id
        )
    events: list[trajectory.AnyEvent] = []
    unreadable: list[UnreadableEvent] = []
    for record in records:
        try:
            events.append(_trajectory_event(record))
        except UnreadableEvent as err:
            unreadable.append(err)
    return History(events, unreadable)


@dataclass(frozen=True)
class StreamHistory:
    """Any aggregate's stream (a future job, an employer, a task, the directory) as far as
    it can be read: the auditor's view of the decisions beside the trajectories."""

    events: list[DomainEvent]
    unreadable: list[UnreadableEvent]


async def read_stream_history(store: PostgresEventStore, stream_id: str) -> StreamHistory:
    """Every event of any stream that can be read; the others named."""
    records = await store.read_records(stream_id)
    if not records:
        raise AuditError(N_("no stream {stream_id} in the event store"), stream_id=stream_id)
    events: list[DomainEvent] = []
    unreadable: list[UnreadableEvent] = []
    for record in records:
        try:
            events.append(record.event())
        except UnreadableEvent as err:
            unreadable.append(err)
    return StreamHistory(events, unreadable)


def event_facts(event: DomainEvent) -> str:
    """What an event of another aggregate records, in one line: its own fields, a sealed
    one shown as sealed (never opened here)."""
    envelope = {"type", "version", "occurred_at", "actor", "schema_version", "request_id"}
    parts = []
    for name, value in event:
        if name in envelope or (name.endswith("_id") and name != "trajectory_id"):
            continue
        if (
            isinstance(value, Sealed)
            or (isinstance(value, tuple) and value and all(hasattr(v, "details") for v in value))
            or (hasattr(value, "details") and isinstance(getattr(value, "details", None), Sealed))
        ):
            value = "(sealed)"
        elif hasattr(value, "model_dump"):
            value = value.model_dump(mode="json", exclude_none=True)
        parts.append(f"{name}={value}")
    return "; ".join(parts)


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
        raise AuditError(
            N_("cannot read {path}: {reason}"), path=str(err.filename), reason=err.strerror
        ) from None
    except CheckpointError as err:
        raise AuditError(N_("{reason}"), reason=str(err)) from None


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
        if not is_opaque_id(workflow_id):  # it goes into a query: ids only, no quotes
            raise AuditError(N_("{workflow_id!r} is not a trajectory id"), workflow_id=workflow_id)
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
    return " ".join(str(failure).split())[:200] if failure is not None else None


def _trajectory_event(record: StoredEvent) -> trajectory.AnyEvent:
    """The trajectory event of `record`; `AuditError` if the stream is another aggregate's."""
    try:
        return as_trajectory_event(record.event())
    except NotATrajectoryEvent as err:
        raise AuditError(
            N_("{reason}: the trail and the as-of view are a trajectory's"), reason=str(err)
        ) from None
