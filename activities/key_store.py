"""The per-candidate keys in PostgreSQL, each wrapped by a key-encryption key (NBM_KEK).

A candidate's personal data is sealed on the client with the candidate's own key
(`privacy.seal`); this table holds those keys, wrapped (AES-256-GCM) under the current KEK,
which lives in configuration, never in the database. Erasure (crypto-shredding) sets the
wrapped key to NULL: every copy of the candidate's sealed data, in the events, the Temporal
history and the backups, can then no longer be opened. The row stays as a tombstone: it
records who erased when, and stops the reference from silently getting a new key.

Not erased by the UPDATE: the old row version until VACUUM, the WAL and older backups still
hold the wrapped key. They are useless without the KEK that wrapped it, so after erasures
the KEK is rotated (`rewrap`) and the old one retired once those backups have expired.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

from privacy.envelope import Envelope, EnvelopeError, generate_key
from privacy.keyring import Keyring, KeyringError

from .access_log import Action, Purpose, record_access


class KeyStoreError(Exception):
    """Base of the key store's errors; each names the candidate reference, never a key."""

    def __init__(self, message: str, *, candidate_ref: str) -> None:
        super().__init__(message)
        self.candidate_ref = candidate_ref


class CandidateErased(KeyStoreError):
    """The candidate's key was destroyed: their personal data can no longer be read or added."""

    def __init__(self, candidate_ref: str, erased_at: datetime) -> None:
        super().__init__(
            f"the personal data of candidate {candidate_ref} was erased on "
            f"{erased_at:%Y-%m-%d %H:%M} UTC",
            candidate_ref=candidate_ref,
        )
        self.erased_at = erased_at


class UnknownCandidate(KeyStoreError):
    def __init__(self, candidate_ref: str) -> None:
        super().__init__(f"no key for candidate {candidate_ref}", candidate_ref=candidate_ref)


class KeyUnwrapError(KeyStoreError):
    """A stored key does not unwrap: its KEK is not configured, or the row was tampered with."""


def _aad(candidate_ref: str) -> bytes:
    # Binds a wrapped key to its row: copied to another candidate's row, it does not unwrap.
    return f"nbm:candidate-key:{candidate_ref}".encode()


def wrap(key: bytes, kek: bytes, candidate_ref: str) -> bytes:
    """`key` encrypted under `kek`: nonce followed by ciphertext and tag."""
    return Envelope(kek).encrypt(key, _aad(candidate_ref))


def unwrap(wrapped: bytes, kek: bytes, candidate_ref: str) -> bytes:
    """The key in `wrapped`; `EnvelopeError` if `kek` did not wrap it for `candidate_ref`."""
    return Envelope(kek).decrypt(wrapped, _aad(candidate_ref))


class PostgresKeyStore:
    """One AES-256 key per candidate, created on first use, destroyed on erasure."""

    def __init__(self, pool: asyncpg.Pool, kek: Keyring) -> None:
        self._pool = pool
        self._kek = kek

    async def key_for(self, candidate_ref: str, *, create: bool) -> bytes:
        """The candidate's key; a new one if `create` and the candidate has none yet.

        Raises:
            CandidateErased: the key was destroyed (also when `create`: an erased reference
                does not come back to life).
            UnknownCandidate: there is no key and `create` is false.
            KeyUnwrapError: the key's KEK is not configured, or the row was altered.
        """
        key, _ = await self.obtain(candidate_ref, create=create)
        return key

    async def obtain(self, candidate_ref: str, *, create: bool) -> tuple[bytes, bool]:
        """The candidate's key, and whether this call made it (see `key_for`)."""
        row = await self._row(candidate_ref)
        made = False
        if row is None and create:
            new_key = generate_key()
            wrapped = wrap(new_key, self._kek.current, candidate_ref)
            async with self._pool.acquire() as conn:
                # Two clients matching the same candidate at once: the first key stored wins
                # and both read it back, so nothing is ever sealed with a key that was lost.
                made = (
                    await conn.execute(
                        "INSERT INTO candidate_keys (candidate_ref, kek_id, wrapped_key) "
                        "VALUES ($1, $2, $3) ON CONFLICT (candidate_ref) DO NOTHING",
                        candidate_ref,
                        self._kek.current_id,
                        wrapped,
                    )
                    == "INSERT 0 1"
                )
            row = await self._row(candidate_ref)
        if row is None:
            raise UnknownCandidate(candidate_ref)
        if row["wrapped_key"] is None:
            raise CandidateErased(candidate_ref, row["erased_at"])
        return self._unwrap(candidate_ref, row["kek_id"], row["wrapped_key"]), made

    async def log_access(
        self, *, actor: str, candidate_ref: str, purpose: Purpose, action: Action
    ) -> None:
        """Record, before it happens, that `actor` reads the candidate's personal data."""
        await record_access(
            self._pool, actor=actor, candidate_ref=candidate_ref, purpose=purpose, action=action
        )

    async def discard(self, candidate_ref: str) -> bool:
        """Take back a key made for a command that was then refused (it sealed nothing kept).

        Only for a key this client made moments ago (`obtain` said so); an erased key's
        tombstone is never removed (a trigger refuses it). True if a key was removed.
        """
        async with self._pool.acquire() as conn:
            done = await conn.execute(
                "DELETE FROM candidate_keys WHERE candidate_ref = $1 AND erased_at IS NULL",
                candidate_ref,
            )
        return bool(done == "DELETE 1")

    async def erase(self, candidate_ref: str, actor: str) -> bool:
        """Destroy the candidate's key; True if erased now, False if it already was.

        Raises:
            UnknownCandidate: no key was ever made for this reference.
        """
        async with self._pool.acquire() as conn:
            erased = await conn.fetchval(
                "UPDATE candidate_keys SET wrapped_key = NULL, erased_at = now(), erased_by = $2 "
                "WHERE candidate_ref = $1 AND wrapped_key IS NOT NULL RETURNING true",
                candidate_ref,
                actor,
            )
            if erased:
                return True
            known = await conn.fetchval(
                "SELECT true FROM candidate_keys WHERE candidate_ref = $1", candidate_ref
            )
        if not known:
            raise UnknownCandidate(candidate_ref)
        return False

    async def vacuum(self) -> bool:
        """Rewrite the key table without its dead rows (the erased and the rewrapped keys'
        old copies); False when this role may not (MAINTAIN, PostgreSQL 17 and later)."""
        try:
            async with self._pool.acquire() as conn:
                await conn.execute("VACUUM (FULL) candidate_keys")
        except asyncpg.InsufficientPrivilegeError:
            return False
        return True

    async def is_erased(self, candidate_ref: str) -> bool:
        """Whether the candidate's key was destroyed (`UnknownCandidate` if never made)."""
        row = await self._row(candidate_ref)
        if row is None:
            raise UnknownCandidate(candidate_ref)
        return row["wrapped_key"] is None

    async def status(self, candidate_ref: str) -> asyncpg.Record:
        """The row without the key: created_at, kek_id, erased_at, erased_by."""
        async with self._pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT candidate_ref, kek_id, created_at, erased_at, erased_by "
                "FROM candidate_keys WHERE candidate_ref = $1",
                candidate_ref,
            )
        if row is None:
            raise UnknownCandidate(candidate_ref)
        return row

    async def rewrap(self) -> int:
        """Wrap every live key under the current KEK; returns how many were rewrapped.

        After a KEK rotation (a new key first in NBM_KEK, the old one still listed), this
        moves every key to the new KEK, after which the old one can be retired.
        """
        count = 0
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT candidate_ref, kek_id, wrapped_key FROM candidate_keys "
                "WHERE wrapped_key IS NOT NULL AND kek_id <> $1 FOR UPDATE",
                self._kek.current_id,
            )
            for row in rows:
                ref = row["candidate_ref"]
                key = self._unwrap(ref, row["kek_id"], row["wrapped_key"])
                await conn.execute(
                    "UPDATE candidate_keys SET kek_id = $2, wrapped_key = $3 "
                    "WHERE candidate_ref = $1",
                    ref,
                    self._kek.current_id,
                    wrap(key, self._kek.current, ref),
                )
                count += 1
        return count

    async def _row(self, candidate_ref: str) -> asyncpg.Record | None:
        async with self._pool.acquire() as conn:
            return await conn.fetchrow(
                "SELECT kek_id, wrapped_key, erased_at FROM candidate_keys "
                "WHERE candidate_ref = $1",
                candidate_ref,
            )

    def _unwrap(self, candidate_ref: str, kek_id: str, wrapped: bytes) -> bytes:
        try:
            return unwrap(wrapped, self._kek.get(kek_id), candidate_ref)
        except KeyringError:
            raise KeyUnwrapError(
                f"the key of candidate {candidate_ref} is wrapped by KEK {kek_id!r}, "
                "which NBM_KEK does not list",
                candidate_ref=candidate_ref,
            ) from None
        except EnvelopeError:
            raise KeyUnwrapError(
                f"the key of candidate {candidate_ref} does not unwrap: the row was altered "
                f"or KEK {kek_id!r} is not the key that wrapped it",
                candidate_ref=candidate_ref,
            ) from None
