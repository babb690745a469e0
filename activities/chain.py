"""The hash chains over stored events (their verification is in `verification`). Pure: no
I/O, no clock.

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
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from domain.shared import N_
from domain.streams import DomainEvent, load_any_event

ZERO_HASH = bytes(32)
"""The `prev_hash` of a stream's first event and the `global_prev_hash` of position 1."""


def canonical_json(obj: Any) -> bytes:
    """The one byte form of `obj` that is hashed and stored: UTF-8, sorted keys, no spaces."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# The string encoder `json.dumps(..., ensure_ascii=False)` itself uses.
json_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


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
        f'{{"actor":{json_string(actor)},"event_type":{json_string(event_type)},'
        f'"occurred_at":{json_string(stamp)},"schema_version":{int(schema_version)},'
        f'"stream_id":{json_string(stream_id)},"version":{int(version)}}}'
    ).encode()
    # The prefix makes the split between header and payload unambiguous.
    return len(header).to_bytes(4, "big") + header


class LinkWriter:
    """`chain_bytes` of many `LinkRow`s: the quoted start of a header is kept per (actor,
    event type) and each stream id quoted once, so a row costs one format and one encode.
    `test_chain.py` and `test_event_store.py` hold it equal to `chain_bytes`."""

    def __init__(self) -> None:
        self.starts: dict[tuple[str, str], str] = {}
        self.ids: dict[str, str] = {}

    def start(self, actor: str, event_type: str) -> str:
        """The header up to its time, quoted, kept for the next row of the same kind."""
        start = self.starts[actor, event_type] = (
            f'{{"actor":{json_string(actor)},"event_type":{json_string(event_type)},"occurred_at":'
        )
        return start

    def quoted(self, stream_id: str) -> str:
        quoted = self.ids[stream_id] = json_string(stream_id)
        return quoted

    def record(self, row: LinkRow) -> bytes:
        """`chain_bytes` of the row (`ChainVerifier.add_links` has this inline)."""
        start = self.starts.get((row.actor, row.event_type)) or self.start(
            row.actor, row.event_type
        )
        quoted = self.ids.get(row.stream_id) or self.quoted(row.stream_id)
        header = (
            f'{start}{json_string(row.stamp)},"schema_version":{int(row.schema_version)},'
            f'"stream_id":{quoted},"version":{int(row.version)}}}'
        ).encode()
        return len(header).to_bytes(4, "big") + header + row.payload


def stream_hash(prev_hash: bytes, record: bytes) -> bytes:
    """The stream chain's link: `sha256(prev_hash || record)`."""
    return hashlib.sha256(prev_hash + record).digest()


def global_hash(prev: bytes, position: int, event_hash: bytes) -> bytes:
    """The global chain's link: `sha256(global_prev_hash || position || hash)`."""
    return hashlib.sha256(prev + position.to_bytes(8, "big") + event_hash).digest()


class ChainRecord(Protocol):
    """What verification reads of a stored event (a `StoredEvent`)."""

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


class LinkRow(Protocol):
    """What verification reads of a row (`read_links`): its columns in this order (iterating
    gives them in it), the time as `instant` writes it, formatted by the database as the
    insert trigger formats it, so no datetime arithmetic per row. `LinkWriter` puts the
    hashed bytes together from them. A `LinkTuple`, or PostgreSQL's own row as it came."""

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
    def stamp(self) -> str: ...
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
    def __iter__(self) -> Iterator[Any]: ...


class LinkTuple(NamedTuple):
    """A `LinkRow` as a plain tuple."""

    position: int
    stream_id: str
    version: int
    event_type: str
    schema_version: int
    stamp: str
    actor: str
    payload: bytes
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

    def event(self) -> DomainEvent:
        """The domain event, upcast from the shape it was stored in to the current one.

        Raises:
            UnreadableEvent: the payload is not an event, or not this row's.
        """
        return read_event(self.payload, self.stream_id, self.version, self.position)


class UnreadableEvent(Exception):
    """A stored event that cannot be read as a domain event; names where, never what."""

    template = N_(
        "stream {stream_id}, version {version} (position {position}) cannot be read: {reason}"
    )
    """The message for the catalogue: shown in the reader's language (`params`)."""

    def __init__(self, stream_id: str, version: int, position: int, reason: str) -> None:
        self.params = {
            "stream_id": stream_id, "version": version, "position": position, "reason": reason
        }  # fmt: skip
        super().__init__(self.template.format(**self.params))
        self.stream_id, self.version, self.position, self.reason = (
            stream_id,
            version,
            position,
            reason,
        )


def read_event(payload: bytes, stream_id: str, version: int, position: int) -> DomainEvent:
    """The event in a stored payload, upcast; `UnreadableEvent` if it is not this row's event."""
    try:
        event = load_any_event(json.loads(payload))
    except ValidationError as err:
        first = err.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "the event"
        raise UnreadableEvent(stream_id, version, position, f"{where}: {first['msg']}") from None
    except (ValueError, KeyError, TypeError) as err:  # not JSON, not UTF-8, not an object
        reason = f"not an event ({type(err).__name__})"
        raise UnreadableEvent(stream_id, version, position, reason) from None
    if (event.stream_id, event.version) != (stream_id, version):
        reason = "its payload is the event of another stream or version"
        raise UnreadableEvent(stream_id, version, position, reason)
    return event


def seal(
    event: DomainEvent,
    *,
    position: int,
    prev_hash: bytes,
    global_prev_hash: bytes,
    recorded_at: datetime,
) -> StoredEvent:
    """`event` as the row that follows `prev_hash` in its stream and `position - 1` overall."""
    payload = canonical_json(event.model_dump(mode="json"))
    record = record_bytes(
        stream_id=event.stream_id,
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
        stream_id=event.stream_id,
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
