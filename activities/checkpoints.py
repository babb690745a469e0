"""Signed checkpoints: the heads of the hash chains, signed and kept outside the database.

The hash chains catch an edit to one event, but not a superuser who rewrites a stream and
recomputes every hash after it: the rewritten chain is consistent again. A checkpoint
remembers, at one moment, the global chain's head (position and hash) and the head of every
stream (version and hash), signed with an Ed25519 key that the database never sees, and is
appended to a file outside the database. Verifying a checkpoint later compares those heads
with what the database now says: a rewrite at or before a checkpointed head changes that
head's hash, so the rewrite is caught and the stream named.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, ValidationError
from temporalio import activity

from .chain import canonical_json
from .event_store import PostgresEventStore

CHECKPOINT_FORMAT = 1

"""Where checkpoints go, under the data folder, when NBM_CHECKPOINT_FILE is not set."""


class CheckpointError(Exception):
    """A checkpoint file or key that cannot be used; the message says which and why."""


class Checkpoint(BaseModel):
    """The chains' heads at `taken_at`, signed over the canonical JSON of every other field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: int = CHECKPOINT_FORMAT
    taken_at: datetime
    position: int
    """The global chain's last position (0: the store was empty)."""
    global_hash: str
    """Hex of the global chain hash at `position`."""
    stream_heads: dict[str, tuple[int, str]]
    """Each stream's last version and the hex of its stream hash there."""
    key_id: str
    """The signing key's fingerprint (`key_fingerprint`)."""
    signature: str
    """Base64 Ed25519 signature over `signed_bytes()`."""

    def signed_bytes(self) -> bytes:
        """The canonical JSON (sorted keys, no spaces) of everything but the signature."""
        # The chain's canonical JSON; the fields are ASCII (ids, hex, times), so the bytes are
        # the same as those of the checkpoints signed before it was shared.
        return canonical_json(self.model_dump(mode="json", exclude={"signature"}))


@dataclass(frozen=True)
class Mismatch:
    """One way the database disagrees with a checkpoint."""

    kind: str
    """`signature`, `global-head` or `stream-head`."""
    message: str
    stream_id: str | None = None
    version: int | None = None


# --- keys ---------------------------------------------------------------------------------


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as err:
        # The message of the library never holds key material, but keep it generic anyway.
        raise CheckpointError("the audit signing key is not a PEM private key") from err
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError("the audit signing key is not an Ed25519 key")
    return key


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as err:
        raise CheckpointError("not a PEM public key") from err
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError("not an Ed25519 public key")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_fingerprint(key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key: short enough to read out."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# --- taking and verifying -------------------------------------------------------------------


async def sign_checkpoint(
    store: PostgresEventStore, private_pem: bytes, now: datetime
) -> Checkpoint:
    """A checkpoint of the store's chain heads now, signed with `private_pem`."""
    key = load_private_key(private_pem)
    # Streams first, then the global head: an append in between only makes the global head
    # later than some stream heads, and each head is verified on its own.
    heads = await store.stream_heads()
    position, global_hash = await store.head()
    unsigned = Checkpoint(
        taken_at=now,
        position=position,
        global_hash=global_hash.hex(),
        stream_heads={s: (v, h.hex()) for s, (v, h) in sorted(heads.items())},
        key_id=key_fingerprint(key.public_key()),
        signature="",
    )
    signature = key.sign(unsigned.signed_bytes())
    return unsigned.model_copy(update={"signature": base64.b64encode(signature).decode()})


def check_signature(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> Mismatch | None:
    """None when `public_key` signed exactly this checkpoint; else why not."""
    when = checkpoint.taken_at.isoformat()
    fingerprint = key_fingerprint(public_key)
    if checkpoint.key_id != fingerprint:
        return Mismatch(
            "signature",
            f"checkpoint of {when} was signed by key {checkpoint.key_id}, "
            f"not by the given key {fingerprint}",
        )
    try:
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.signed_bytes())
    except (InvalidSignature, ValueError):
        return Mismatch(
            "signature", f"checkpoint of {when}: the signature does not match its content"
        )
    return None


async def verify_checkpoint(
    store: PostgresEventStore, checkpoint: Checkpoint, public_key: Ed25519PublicKey
) -> list[Mismatch]:
    """Every way the database now disagrees with `checkpoint` ([] when it agrees).

    An unsigned or wrongly signed checkpoint proves nothing, so its content is not compared.
    """
    refused = check_signature(checkpoint, public_key)
    if refused is not None:
        return [refused]
    when = checkpoint.taken_at.isoformat()
    found: list[Mismatch] = []
    if checkpoint.position > 0:
        at = await store.read_all(after_position=checkpoint.position - 1, limit=1)
        if not at or at[0].position != checkpoint.position:
            found.append(
                Mismatch(
                    "global-head",
                    f"global chain: position {checkpoint.position} of the checkpoint of {when} "
                    "is gone — rows were deleted",
                )
            )
        elif at[0].global_hash.hex() != checkpoint.global_hash:
            found.append(
                Mismatch(
                    "global-head",
                    f"global chain: hash at position {checkpoint.position} differs from the "
                    f"checkpoint of {when} — an event at or before it was rewritten",
                )
            )
    current = await store.stream_heads()
    for stream_id, (version, expected) in checkpoint.stream_heads.items():
        mismatch = await _stream_mismatch(store, stream_id, version, expected, current, when)
        if mismatch is not None:
            found.append(mismatch)
    return found


async def _stream_mismatch(
    store: PostgresEventStore,
    stream_id: str,
    version: int,
    expected: str,
    current: dict[str, tuple[int, bytes]],
    when: str,
) -> Mismatch | None:
    now_version, now_hash = current.get(stream_id, (0, b""))
    if now_version < version:
        return Mismatch(
            "stream-head",
            f"stream {stream_id}: has {now_version} events, the checkpoint of {when} saw "
            f"{version} — rows were deleted",
            stream_id,
            version,
        )
    if now_version > version:
        # The stream grew since: its hash at the checkpointed version is in the records.
        hashes = {r.version: r.hash for r in await store.read_records(stream_id)}
        if version not in hashes:
            return Mismatch(
                "stream-head",
                f"stream {stream_id}: version {version} of the checkpoint of {when} is gone "
                "— rows were deleted",
                stream_id,
                version,
            )
        now_hash = hashes[version]
    if now_hash.hex() == expected:
        return None
    return Mismatch(
        "stream-head",
        f"stream {stream_id}: version {version} hash differs from the checkpoint of {when} "
        f"— events up to version {version} were rewritten",
        stream_id,
        version,
    )


def locate_rewrites(results: list[tuple[Checkpoint, list[Mismatch]]]) -> dict[str, str]:
    """Per rewritten stream, the versions the rewrite lies in, narrowed by every checkpoint.

    A stream head that still matches a checkpoint at version g vouches for versions 1 to g
    (each hash covers all before it); one that differs at version b says a version up to b
    changed. So the rewrite lies after the highest good g below the lowest bad b.
    """
    good: dict[str, set[int]] = {}
    bad: dict[str, int] = {}
    for checkpoint, mismatches in results:
        if any(m.kind == "signature" for m in mismatches):
            continue  # an unverified checkpoint vouches for nothing
        failed = {m.stream_id for m in mismatches if m.stream_id is not None}
        for stream_id, (version, _) in checkpoint.stream_heads.items():
            if stream_id in failed:
                bad[stream_id] = min(bad.get(stream_id, version), version)
            else:
                good.setdefault(stream_id, set()).add(version)
    located = {}
    for stream_id, last in sorted(bad.items()):
        first = max((v for v in good.get(stream_id, ()) if v < last), default=0) + 1
        located[stream_id] = (
            f"stream {stream_id}: the rewrite is at version {last}"
            if first == last
            else f"stream {stream_id}: the rewrite is in versions {first} to {last}"
        )
    return located


# --- the file outside the database ------------------------------------------------------------


def public_key_path(checkpoint_file: Path, key_id: str) -> Path:
    """Where the public key of `key_id` is exported, beside the checkpoint file."""
    return checkpoint_file.parent / f"checkpoint-key-{key_id}.pub.pem"


def append_checkpoint(path: Path, checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> None:
    """Append `checkpoint` as one JSON line, and export its public key beside the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key_path = public_key_path(path, checkpoint.key_id)
    if not key_path.exists():
        key_path.write_bytes(public_pem(public_key))
    line = checkpoint.model_dump_json() + "\n"
    # One write on an O_APPEND descriptor: two writers never interleave within a line.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """The checkpoints in `path`, oldest first; an unreadable line is an error, not skipped."""
    try:
        lines = path.read_text().splitlines()
    except OSError as err:
        raise CheckpointError(f"cannot read checkpoint file {path}: {err.strerror}") from None
    found = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            found.append(Checkpoint.model_validate_json(line))
        except ValidationError:
            raise CheckpointError(f"{path} line {number} is not a checkpoint") from None
    return found


def public_key_for(path: Path, checkpoint: Checkpoint) -> Ed25519PublicKey:
    """The public key exported beside `path` for the key that signed `checkpoint`."""
    key_path = public_key_path(path, checkpoint.key_id)
    if not key_path.exists():
        raise CheckpointError(f"no public key {key_path.name} beside {path}; use --public-key")
    return load_public_key(key_path.read_bytes())


# --- the activity -------------------------------------------------------------------------------


class CheckpointTaken(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    taken_at: datetime
    position: int
    streams: int
    key_id: str


class CheckpointActivities:
    """The activity a `CheckpointWorkflow` runs on a schedule.

    Safe to retry: a retry after the line was written appends a second, equally valid
    checkpoint of a moment later.
    """

    def __init__(self, store: PostgresEventStore, private_pem: bytes, path: Path) -> None:
        self._store = store
        self._private_pem = private_pem
        self._path = path

    @activity.defn(name="take_checkpoint")
    async def take_checkpoint(self) -> CheckpointTaken:
        return await take_checkpoint(self._store, self._private_pem, self._path)


async def take_checkpoint(
    store: PostgresEventStore, private_pem: bytes, path: Path, now: datetime | None = None
) -> CheckpointTaken:
    """Sign the store's heads now and append the checkpoint to `path`."""
    checkpoint = await sign_checkpoint(store, private_pem, now or datetime.now(UTC))
    public_key = load_private_key(private_pem).public_key()
    # The fsync can take a while on a busy disk; the worker's event loop must not wait on it.
    await asyncio.to_thread(append_checkpoint, path, checkpoint, public_key)
    return CheckpointTaken(
        taken_at=checkpoint.taken_at,
        position=checkpoint.position,
        streams=len(checkpoint.stream_heads),
        key_id=checkpoint.key_id,
    )
