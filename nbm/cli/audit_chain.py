"""`nbm audit verify` and `nbm audit export`: the hash chains, in the database or a file.

`verify` recomputes every hash from the stored bytes and names the first event where a chain
breaks. `export` writes one trajectory's events with their hashes to a self-contained JSON
file; `verify --file` checks that file offline, with no database and no Temporal. A rewrite
with every hash recomputed is consistent again: only a signed checkpoint shows it
(`nbm audit checkpoints verify`).
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import typer
from pydantic import BaseModel, ConfigDict, ValidationError

from activities.chain import (
    Break,
    ChainVerifier,
    StoredEvent,
    VerificationReport,
    verify_records,
)
from activities.event_store import EventStore, PostgresEventStore, SchemaMissing
from nbm.settings import load_settings

from ._common import CONNECT_TIMEOUT, CliError, fail, print_json
from .audit import app

EXPORT_FORMAT = "nbm-audit-export"
EXPORT_VERSION = 1
BATCH = 5000
"""Rows read per query by `verify --all`: the table streams through, never all in memory."""

HASHING = {
    "algorithm": "sha256",
    "stream": "hash = sha256(prev_hash || 4-byte big-endian length of header || header || "
    "payload), header = canonical JSON of actor, event_type, occurred_at (UTC, microseconds), "
    "schema_version, stream_id, version; the first prev_hash is 32 zero bytes",
    "global": "global_hash = sha256(global_prev_hash || 8-byte big-endian position || hash)",
}
"""How the file's hashes are made, so that it can be checked without this program."""


@dataclass(frozen=True)
class Checked:
    """A verification and how long it took."""

    source: str
    report: VerificationReport
    seconds: float

    @property
    def rate(self) -> float:
        return self.report.events / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict[str, Any]:
        position, head = self.report.head
        return {
            "source": self.source,
            "intact": self.report.intact,
            "events": self.report.events,
            "streams": self.report.streams,
            "global_chain": self.report.global_chain,
            "seconds": round(self.seconds, 4),
            "events_per_second": round(self.rate),
            "head": {"position": position, "global_hash": head.hex()},
            "breaks_total": self.report.breaks_total,
            "breaks": [dataclasses.asdict(b) for b in self.report.breaks],
        }


# --- the database ----------------------------------------------------------------------------


@asynccontextmanager
async def open_store(url: str) -> AsyncIterator[PostgresEventStore]:
    try:
        store = await asyncio.wait_for(PostgresEventStore.connect(url, max_size=2), CONNECT_TIMEOUT)
    except SchemaMissing as err:
        raise CliError(str(err)) from None
    except (OSError, TimeoutError, asyncpg.PostgresError) as err:
        # The URL can hold a password: name the kind of failure, not the address.
        raise CliError(
            f"cannot connect to PostgreSQL ({type(err).__name__}); is the stack running? "
            "(`make run`, or set NBM_DATABASE_URL)"
        ) from None
    try:
        yield store
    finally:
        await store.close()


async def verify_store(store: EventStore, trajectory_id: str | None = None) -> Checked:
    """Recompute the chains of one trajectory, or (None) of the whole table."""
    started = time.perf_counter()
    if trajectory_id is not None:
        records = await store.read_records(trajectory_id)
        if not records:
            raise CliError(f"no trajectory {trajectory_id} in the event store")
        report = verify_records(records, global_chain=False)
        source = f"trajectory {trajectory_id}"
    else:
        verifier = ChainVerifier(global_chain=True)
        after = 0
        while batch := await store.read_rows(after_position=after, limit=BATCH):
            for record in batch:
                verifier.add(record)
            after = batch[-1].position
        report = verifier.report()
        source = "every event, in position order"
    return Checked(source, report, time.perf_counter() - started)


async def export_stream(store: EventStore, trajectory_id: str, exported_at: datetime) -> Any:
    """The export document of one trajectory: every event, byte for byte, with its hashes."""
    records = await store.read_records(trajectory_id)
    if not records:
        raise CliError(f"no trajectory {trajectory_id} in the event store")
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "stream_id": trajectory_id,
        "exported_at": exported_at.astimezone(UTC).isoformat(),
        "hashing": HASHING,
        "head": {"version": records[-1].version, "hash": records[-1].hash.hex()},
        "events": [
            {
                "position": r.position,
                "version": r.version,
                "event_type": r.event_type,
                "schema_version": r.schema_version,
                "occurred_at": r.occurred_at.isoformat(),
                "actor": r.actor,
                "recorded_at": r.recorded_at.isoformat(),
                "payload": base64.b64encode(r.payload).decode(),
                "prev_hash": r.prev_hash.hex(),
                "hash": r.hash.hex(),
                "global_prev_hash": r.global_prev_hash.hex(),
                "global_hash": r.global_hash.hex(),
            }
            for r in records
        ],
    }


# --- the file, offline -----------------------------------------------------------------------


class _Exported(BaseModel):
    # The payload can hold sealed personal data: a refusal must not echo it.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    position: int
    version: int
    event_type: str
    schema_version: int
    occurred_at: datetime
    actor: str
    recorded_at: datetime
    payload: str
    prev_hash: str
    hash: str
    global_prev_hash: str
    global_hash: str


class _Head(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    version: int
    hash: str


class _ExportFile(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    format: str
    format_version: int
    stream_id: str
    exported_at: datetime
    hashing: dict[str, str]
    head: _Head
    events: list[_Exported]


def _unhex(value: str, name: str, version: int) -> bytes:
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise CliError(f"the file's event at version {version}: {name} is not hex") from None


def read_export(path: Path) -> tuple[str, list[StoredEvent], tuple[int, bytes]]:
    """The stream id, the records and the stated head of an export file."""
    try:
        doc = _ExportFile.model_validate_json(path.read_bytes())
    except OSError as err:
        raise CliError(f"cannot read {path}: {err.strerror}") from None
    except ValidationError as err:
        first = err.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CliError(f"{path} is not an nbm audit export ({where}: {first['msg']})") from None
    if doc.format != EXPORT_FORMAT or doc.format_version != EXPORT_VERSION:
        raise CliError(
            f"{path} is not an nbm audit export of format version {EXPORT_VERSION} "
            f"({doc.format!r} version {doc.format_version})"
        )
    if not doc.events:
        raise CliError(f"{path} holds no events")
    records = []
    for e in doc.events:
        try:
            payload = base64.b64decode(e.payload, validate=True)
        except ValueError:
            raise CliError(f"the file's event at version {e.version}: bad base64") from None
        fields = e.model_dump(exclude={"payload", *_HASHES})
        hashes = {name: _unhex(getattr(e, name), name, e.version) for name in _HASHES}
        records.append(StoredEvent(stream_id=doc.stream_id, payload=payload, **fields, **hashes))
    return doc.stream_id, records, (doc.head.version, _unhex(doc.head.hash, "head", 0))


_HASHES = ("prev_hash", "hash", "global_prev_hash", "global_hash")


def verify_file(path: Path) -> Checked:
    """Check an export file offline: its stream chain, each event's global hash, its head."""
    started = time.perf_counter()
    stream_id, records, head = read_export(path)
    report = verify_records(records, global_chain=False)
    last = records[-1]
    if report.intact and head != (last.version, last.hash):
        cut = Break(
            position=last.position,
            stream_id=stream_id,
            version=last.version,
            kinds=("head",),
            reason=f"the file's head (version {head[0]}) is not its last event "
            "(events cut off the end, or the head edited)",
        )
        report = dataclasses.replace(report, breaks=(cut,), breaks_total=1)
    return Checked(f"file {path.name}", report, time.perf_counter() - started)


# --- commands --------------------------------------------------------------------------------


def _show(checked: Checked, as_json: bool) -> None:
    report = checked.report
    if as_json:
        print_json(checked.as_json())
    else:
        typer.echo(
            f"checked {report.events:,} events in {report.streams:,} stream(s) "
            f"({checked.source}) in {checked.seconds:.2f} s: {checked.rate:,.0f} events/s"
        )
        if report.intact:
            position, head = report.head
            typer.echo("intact: every hash recomputed from the stored bytes matches")
            if report.global_chain and position:
                typer.echo(f"head: position {position}, global hash {head.hex()}")
            typer.echo(
                "a rewrite with every hash recomputed is only seen against a signed "
                "checkpoint: nbm audit checkpoints verify"
            )
    first = report.first
    if first is not None:
        more = report.breaks_total - 1
        rest = f" ({more} more break{'s' if more != 1 else ''}; --json lists them)" if more else ""
        fail(f"tampering found: {first.describe()}{rest}")


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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Recompute the hash chains (controle); exit 1 naming the first broken event."""
    if sum((trajectory_id is not None, all_, file is not None)) != 1:
        raise CliError("give one of: a trajectory id, --all, --file F")
    if file is not None:
        checked = verify_file(file)
    else:
        url = load_settings().resolved_database_url()

        async def main() -> Checked:
            async with open_store(url) as store:
                return await verify_store(store, trajectory_id)

        checked = asyncio.run(main())
    _show(checked, as_json)


@app.command("export")
def export(
    trajectory_id: Annotated[str, typer.Argument(help="The trajectory's id.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="The file to write.", show_default=False)],
) -> None:
    """Write one trajectory's events and hashes to a file that `verify --file` checks offline."""
    url = load_settings().resolved_database_url()

    async def main() -> Any:
        async with open_store(url) as store:
            return await export_stream(store, trajectory_id, datetime.now(UTC))

    doc = asyncio.run(main())
    try:
        out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    except OSError as err:
        raise CliError(f"cannot write {out}: {err.strerror}") from None
    typer.echo(f"exported {len(doc['events'])} events of {trajectory_id} to {out}")
