"""The event store's hash chains, checked: a trajectory, the whole table, or an export file.

`verify_store` recomputes the chains from the stored bytes; `export_stream` writes one
trajectory's events byte for byte with their hashes, and `verify_file` checks such a file
offline, without this program's database.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from activities.chain import StoredEvent
from activities.event_store import EventStore
from activities.verification import Break, ChainVerifier, VerificationReport, verify_records
from domain.shared import N_
from nbm.localize import validation_rule

from ._errors import AuditError

EXPORT_FORMAT = "nbm-audit-export"
EXPORT_VERSION = 1
BATCH = 1000
"""Rows read per query by `verify --all`: the table streams through, never all in memory."""
SLICE = 250
"""Rows hashed between two looks at the socket, while the next batch comes in."""

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


async def verify_store(
    store: EventStore,
    trajectory_id: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Checked:
    """Recompute the chains of one trajectory, or (None) of the whole table.

    `progress(done, total)` is told after each batch of the whole table how many events were
    checked of the head when the check began (a bar's counts; it reaches the total).
    """
    started = time.perf_counter()
    if trajectory_id is not None:
        records = await store.read_records(trajectory_id)
        if not records:
            raise AuditError(
                N_("no trajectory {trajectory_id} in the event store"), trajectory_id=trajectory_id
            )
        report = verify_records(records, global_chain=False)
        source = f"trajectory {trajectory_id}"
    else:
        verifier = ChainVerifier(global_chain=True)
        total, _ = await store.head()  # gap-free positions: the number of events
        done = 0
        if progress is not None:
            progress(done, total)
        # The next batch is read (the database's part on the other core) while this one is
        # hashed here, a slice at a time: between slices the event loop sends the query and
        # takes in the rows that came.
        batch = await store.read_links(after_position=0, limit=BATCH)
        while batch:
            following = asyncio.ensure_future(
                store.read_links(after_position=batch[-1].position, limit=BATCH)
            )
            for start in range(0, len(batch), SLICE):
                await asyncio.sleep(0)
                verifier.add_links(batch[start : start + SLICE])
            done += len(batch)
            if progress is not None:
                progress(done, max(total, done))
            batch = await following
        report = verifier.report()
        source = "every event, in position order"
    return Checked(source, report, time.perf_counter() - started)


async def export_stream(store: EventStore, trajectory_id: str, exported_at: datetime) -> Any:
    """The export document of one trajectory: every event, byte for byte, with its hashes."""
    records = await store.read_records(trajectory_id)
    if not records:
        raise AuditError(
            N_("no trajectory {trajectory_id} in the event store"), trajectory_id=trajectory_id
        )
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
        raise AuditError(
            N_("the file's event at version {version}: {name} is not hex"),
            version=version,
            name=name,
        ) from None


def read_export(path: Path) -> tuple[str, list[StoredEvent], tuple[int, bytes]]:
    """The stream id, the records and the stated head of an export file."""
    try:
        doc = _ExportFile.model_validate_json(path.read_bytes())
    except OSError as err:
        raise AuditError(
            N_("cannot read {path}: {reason}"), path=str(path), reason=err.strerror
        ) from None
    except ValidationError as err:
        first = err.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AuditError(
            N_("{path} is not an nbm audit export ({where}: {reason})"),
            path=str(path),
            where=where,
            reason=validation_rule(first),
        ) from None
    if doc.format != EXPORT_FORMAT or doc.format_version != EXPORT_VERSION:
        raise AuditError(
            N_(
                "{path} is not an nbm audit export of format version {expected} "
                "({format!r} version {version})"
            ),
            path=str(path),
            expected=EXPORT_VERSION,
            format=doc.format,
            version=doc.format_version,
        )
    if not doc.events:
        raise AuditError(N_("{path} holds no events"), path=str(path))
    records = []
    for e in doc.events:
        try:
            payload = base64.b64decode(e.payload, validate=True)
        except ValueError:
            raise AuditError(
                N_("the file's event at version {version}: bad base64"), version=e.version
            ) from None
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
