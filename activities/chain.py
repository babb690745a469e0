"""The hash chains over stored events, and their verification. Pure: no I/O, no clock.

Two chains, both SHA-256:

- per stream: `hash = sha256(prev_hash || record_bytes)`, where `record_bytes` covers the
  event's header (stream, version, type, schema version, occurred_at, actor) and its payload
  bytes exactly as stored; the first event's `prev_hash` is 32 zero bytes. A changed byte
  breaks its own event; a deleted or moved row breaks the version sequence after it.
- global, over every event by position: `global_hash = sha256(global_prev_hash ||
  position as 8 bytes || hash)`. It ties the streams into one order, so a row deleted,
  inserted or swapped anywhere breaks the event after it.

A stream rewritten with every hash recomputed is consistent again; only a signed checkpoint
of earlier heads (`head()`, `stream_heads()`) shows it. Verification reports that it cannot.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from domain.trajectory import AnyEvent, load_event

ZERO_HASH = bytes(32)
"""The `prev_hash` of a stream's first event and the `global_prev_hash` of position 1."""

MAX_BREAKS = 100
"""Breaks kept in a report: after one tampering the first few say where; a flood says no more."""


def canonical_json(obj: Any) -> bytes:
    """The one byte form of `obj` that is hashed and stored: UTF-8, sorted keys, no spaces."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# The string encoder `json.dumps(..., ensure_ascii=False)` itself uses.
_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def instant(moment: datetime) -> str:
    """A moment as hashed: UTC, to the microsecond, as PostgreSQL's timestamptz keeps it."""
    if moment.tzinfo is None:
        raise ValueError("an event's time must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def record_bytes(
    *,
    stream_id: str,
    version: int,
    event_type: str,
    schema_version: int,
    occurred_at: datetime,
    actor: str,
    payload: bytes,
) -> bytes:
    """What a stream hash covers: the length-prefixed canonical header, then the payload.

    The header is `canonical_json` of {actor, event_type, occurred_at, schema_version,
    stream_id, version}, written out by hand: verification runs this for every event, and
    `json.dumps` of a dict costs several times more. `test_chain.py` holds them equal.
    """
    stamp = instant(occurred_at)
    return header_bytes(stream_id, version, event_type, schema_version, stamp, actor) + payload


def header_bytes(
    stream_id: str, version: int, event_type: str, schema_version: int, stamp: str, actor: str
) -> bytes:
    """The length-prefixed canonical header of `record_bytes`; `stamp` is the time as
    `instant` writes it."""
    header = (
        f'{{"actor":{_string(actor)},"event_type":{_string(event_type)},'
        f'"occurred_at":{_string(stamp)},"schema_version":{int(schema_version)},'
        f'"stream_id":{_string(stream_id)},"version":{int(version)}}}'
    ).encode()
    # The prefix makes the split between header and payload unambiguous.
    return len(header).to_bytes(4, "big") + header


_sha256 = hashlib.sha256


def stream_hash(prev_hash: bytes, record: bytes) -> bytes:
    """The stream chain's link: `sha256(prev_hash || record)`."""
    return hashlib.sha256(prev_hash + record).digest()


def global_hash(prev: bytes, position: int, event_hash: bytes) -> bytes:
    """The global chain's link: `sha256(global_prev_hash || position || hash)`."""
    return hashlib.sha256(prev + position.to_bytes(8, "big") + event_hash).digest()


class ChainRecord(Protocol):
    """What verification reads of a stored event: a `StoredEvent`, or a lighter `ChainRow`."""

    @property
    def position(self) -> int: ...
    @property
    def stream_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def event_type(self) -> str: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def payload(self) -> bytes: ...
    @property
    def prev_hash(self) -> bytes: ...
    @property
    def hash(self) -> bytes: ...
    @property
    def global_prev_hash(self) -> bytes: ...
    @property
    def global_hash(self) -> bytes: ...


def chain_bytes(record: ChainRecord) -> bytes:
    """`record_bytes` of a stored event."""
    return record_bytes(
        stream_id=record.stream_id,
        version=record.version,
        event_type=record.event_type,
        schema_version=record.schema_version,
        occurred_at=record.occurred_at,
        actor=record.actor,
        payload=record.payload,
    )


class ChainRow(NamedTuple):
    """A stored row as a plain tuple, for reading the whole table fast (a tenth of the cost
    of building a pydantic model per row); the same fields as `StoredEvent`, in order."""

    position: int
    stream_id: str
    version: int
    event_type: str
    schema_version: int
    occurred_at: datetime
    actor: str
    payload: bytes
    prev_hash: bytes
    hash: bytes
    global_prev_hash: bytes
    global_hash: bytes
    recorded_at: datetime


class ChainLink(NamedTuple):
    """What verification needs of a row, its hashed bytes put together as it is read
    (`PostgresEventStore.read_links`): the same bytes as `chain_bytes` of the row, built from
    the row's own columns. A byte changed in a column changes them, so the hash tells."""

    position: int
    stream_id: str
    version: int
    record: bytes
    prev_hash: bytes
    hash: bytes
    global_prev_hash: bytes
    global_hash: bytes


class StoredEvent(BaseModel):
    """One row of the events table: the event's bytes as stored, and its place in both chains."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    position: int
    stream_id: str
    version: int
    event_type: str
    schema_version: int
    occurred_at: datetime
    actor: str
    payload: bytes
    prev_hash: bytes
    hash: bytes
    global_prev_hash: bytes
    global_hash: bytes
    recorded_at: datetime

    def record_bytes(self) -> bytes:
        return chain_bytes(self)

    def event(self) -> AnyEvent:
        """The domain event, upcast from the shape it was stored in to the current one.

        Raises:
            UnreadableEvent: the payload is not an event, or not this row's.
        """
        return read_event(self.payload, self.stream_id, self.version, self.position)


class UnreadableEvent(Exception):
    """A stored event that cannot be read as a domain event; names where, never what."""

    def __init__(self, stream_id: str, version: int, position: int, reason: str) -> None:
        super().__init__(
            f"stream {stream_id}, version {version} (position {position}) cannot be read: {reason}"
        )
        self.stream_id, self.version, self.position, self.reason = (
            stream_id,
            version,
            position,
            reason,
        )


def read_event(payload: bytes, stream_id: str, version: int, position: int) -> AnyEvent:
    """The event in a stored payload, upcast; `UnreadableEvent` if it is not this row's event."""
    try:
        event = load_event(json.loads(payload))
    except ValidationError as err:
        first = err.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "the event"
        raise UnreadableEvent(stream_id, version, position, f"{where}: {first['msg']}") from None
    except (ValueError, KeyError, TypeError) as err:  # not JSON, not UTF-8, not an object
        reason = f"not an event ({type(err).__name__})"
        raise UnreadableEvent(stream_id, version, position, reason) from None
    if (event.trajectory_id, event.version) != (stream_id, version):
        reason = "its payload is the event of another stream or version"
        raise UnreadableEvent(stream_id, version, position, reason)
    return event


def seal(
    event: AnyEvent,
    *,
    position: int,
    prev_hash: bytes,
    global_prev_hash: bytes,
    recorded_at: datetime,
) -> StoredEvent:
    """`event` as the row that follows `prev_hash` in its stream and `position - 1` overall."""
    payload = canonical_json(event.model_dump(mode="json"))
    record = record_bytes(
        stream_id=event.trajectory_id,
        version=event.version,
        event_type=event.type,
        schema_version=event.schema_version,
        occurred_at=event.occurred_at,
        actor=event.actor,
        payload=payload,
    )
    own = stream_hash(prev_hash, record)
    return StoredEvent(
        position=position,
        stream_id=event.trajectory_id,
        version=event.version,
        event_type=event.type,
        schema_version=event.schema_version,
        occurred_at=event.occurred_at,
        actor=event.actor,
        payload=payload,
        prev_hash=prev_hash,
        hash=own,
        global_prev_hash=global_prev_hash,
        global_hash=global_hash(global_prev_hash, position, own),
        recorded_at=recorded_at,
    )


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first thing wrong at one stored event, and what it most likely means."""

    position: int
    stream_id: str
    version: int
    kinds: tuple[str, ...]
    reason: str

    def describe(self) -> str:
        return (
            f"stream {self.stream_id} version {self.version} (position {self.position}): "
            f"{self.reason}"
        )


@dataclass(frozen=True)
class VerificationReport:
    """What was checked, and every break found (up to `MAX_BREAKS`), in the order read."""

    events: int
    streams: int
    global_chain: bool
    """Whether the records were the whole table in position order (else one stream's)."""
    breaks: tuple[Break, ...]
    breaks_total: int
    head: tuple[int, bytes]
    """The last position read and its global hash (position order only)."""
    stream_heads: dict[str, tuple[int, bytes]] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return self.breaks_total == 0

    @property
    def first(self) -> Break | None:
        return self.breaks[0] if self.breaks else None


class ChainVerifier:
    """Recomputes both chains one record at a time, so a large table streams through it.

    Records come either as the whole table in position order (`global_chain=True`) or as
    the events of one stream in version order (then only each event's own global hash can
    be checked: its neighbours in the global chain belong to other streams).
    """

    def __init__(self, *, global_chain: bool = True) -> None:
        self._global_chain = global_chain
        self._streams: dict[str, tuple[int, bytes]] = {}
        self._head: tuple[int, bytes] = (0, ZERO_HASH)
        self._events = 0
        self._breaks: list[Break] = []
        self._breaks_total = 0

    def add(self, record: ChainRecord | ChainLink) -> None:
        data = record.record if isinstance(record, ChainLink) else chain_bytes(record)
        last_version, last_hash = self._streams.get(record.stream_id, (0, ZERO_HASH))
        position, head = self._head
        if (
            record.version == last_version + 1
            and record.prev_hash == last_hash
            and (not self._global_chain or (
                record.position == position + 1 and record.global_prev_hash == head
            ))
            and _sha256(record.prev_hash + data).digest() == record.hash
            and _sha256(
                record.global_prev_hash + record.position.to_bytes(8, "big") + record.hash
            ).digest() == record.global_hash
        ):  # fmt: skip
            # The fast path: the link holds. Only a break needs the checks one by one.
            self._events += 1
            self._streams[record.stream_id] = (record.version, record.hash)
            self._head = (record.position, record.global_hash)
            return
        self._add_with_breaks(record, data)

    def _add_with_breaks(self, record: ChainRecord | ChainLink, data: bytes) -> None:
        found: list[tuple[str, str]] = []
        if self._global_chain:
            found += self._global_links(record)
        last_version, last_hash = self._streams.get(record.stream_id, (0, ZERO_HASH))
        if record.version > last_version + 1:
            missing = (
                f"version {last_version + 1}"
                if record.version == last_version + 2
                else f"versions {last_version + 1} to {record.version - 1}"
            )
            found.append(("version-gap", f"{missing} of this stream missing (a row deleted)"))
        elif record.version <= last_version:
            found.append(
                (
                    "version-order",
                    f"version {record.version} comes after version {last_version} "
                    "(rows swapped or duplicated)",
                )
            )
        elif record.prev_hash != last_hash:
            found.append(
                (
                    "prev-hash",
                    f"prev_hash is not the hash of version {last_version} "
                    "(an event before it replaced)",
                )
            )
        if stream_hash(record.prev_hash, data) != record.hash:
            found.append(("content", "hash mismatch: its stored bytes were changed"))
        elif global_hash(record.global_prev_hash, record.position, record.hash) != (
            record.global_hash
        ):
            found.append(("global-hash", "global hash mismatch: its hash or position changed"))
        if found:
            self._breaks_total += 1
            if len(self._breaks) < MAX_BREAKS:
                self._breaks.append(
                    Break(
                        position=record.position,
                        stream_id=record.stream_id,
                        version=record.version,
                        kinds=tuple(kind for kind, _ in found),
                        reason="; ".join(text for _, text in found),
                    )
                )
        # Go on from what is stored, so one tampering is reported once, not at every event
        # after it.
        self._events += 1
        self._streams[record.stream_id] = (max(record.version, last_version), record.hash)
        self._head = (record.position, record.global_hash)

    def _global_links(self, record: ChainRecord | ChainLink) -> list[tuple[str, str]]:
        position, previous = self._head
        if record.position > position + 1:
            missing = (
                f"position {position + 1} is"
                if record.position == position + 2
                else f"positions {position + 1} to {record.position - 1} are"
            )
            return [("position-gap", f"{missing} missing (a row deleted)")]
        if record.position <= position:
            return [("position-order", f"position {record.position} comes after {position}")]
        if record.global_prev_hash != previous:
            return [
                (
                    "global-chain",
                    f"global chain broken: global_prev_hash is not the global hash of position "
                    f"{position} (a row inserted, swapped or rewritten before it)",
                )
            ]
        return []

    def report(self) -> VerificationReport:
        return VerificationReport(
            events=self._events,
            streams=len(self._streams),
            global_chain=self._global_chain,
            breaks=tuple(self._breaks),
            breaks_total=self._breaks_total,
            head=self._head,
            stream_heads=dict(self._streams),
        )


def verify_records(
    records: Iterable[ChainRecord], *, global_chain: bool = True
) -> VerificationReport:
    """Recompute the chains of `records` (see `ChainVerifier`) and report every break."""
    verifier = ChainVerifier(global_chain=global_chain)
    for record in records:
        verifier.add(record)
    return verifier.report()
