"""Verification of the hash chains (`chain`): both recomputed, every break named. Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from .chain import (
    ZERO_HASH,
    ChainRecord,
    LinkRow,
    LinkWriter,
    chain_bytes,
    global_hash,
    json_string,
    stream_hash,
)

MAX_BREAKS = 100
"""Breaks kept in a report: after one tampering the first few say where; a flood says no more."""

_sha256 = hashlib.sha256  # bound once: the fast path calls it twice for every event


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
        self._writer = LinkWriter()

    def add(self, record: ChainRecord) -> None:
        data = chain_bytes(record)
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

    def add_links(self, rows: Iterable[LinkRow]) -> None:
        """`add` for each of `rows`, in one loop with the state in local names, the hashed
        bytes put together as it goes (`LinkWriter`): `verify --all` spends its own time
        here, at two SHA-256 per event."""
        writer = self._writer
        starts, ids = writer.starts, writer.ids
        streams = self._streams
        get = streams.get
        sha256 = _sha256
        global_chain = self._global_chain
        position, head = self._head
        events = self._events
        zero = (0, ZERO_HASH)
        for row in rows:
            p, sid, v, event_type, schema_version, stamp, actor, payload, prev, own, gprev, gown = (
                row
            )
            # `LinkWriter.record`, inline: the quoted start per (actor, event type), the
            # quoted id per stream.
            start = starts.get((actor, event_type))
            if start is None:
                start = writer.start(actor, event_type)
            quoted = ids.get(sid)
            if quoted is None:
                quoted = writer.quoted(sid)
            header = (
                f'{start}{json_string(stamp)},"schema_version":{int(schema_version)},'
                f'"stream_id":{quoted},"version":{int(v)}}}'
            ).encode()
            data = len(header).to_bytes(4, "big") + header + payload
            last_version, last_hash = get(sid, zero)
            if (
                v == last_version + 1
                and prev == last_hash
                and (not global_chain or (p == position + 1 and gprev == head))
                and sha256(prev + data).digest() == own
                and sha256(gprev + p.to_bytes(8, "big") + own).digest() == gown
            ):  # fmt: skip
                events += 1
                streams[sid] = (v, own)
                position, head = p, gown
                continue
            self._head, self._events = (position, head), events
            self._add_with_breaks(row, data)
            position, head = self._head
            events = self._events
        self._head, self._events = (position, head), events

    def _add_with_breaks(self, record: ChainRecord | LinkRow, data: bytes) -> None:
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

    def _global_links(self, record: ChainRecord | LinkRow) -> list[tuple[str, str]]:
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
