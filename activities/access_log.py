"""The processing log (*Logboek Dataverwerkingen*): who read which candidate's personal data.

Recorded before the data is shown, so a reading that cannot be logged does not happen. The
database numbers, times and chains each entry (`activities/schema/access_log.py`); this
module writes entries, reads them and checks the chain.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import asyncpg

ZERO = bytes(32)


class Purpose(StrEnum):
    """Why personal data is read: the processing activity it serves."""

    COACHING = "coaching"  # begeleiding van de kandidaat
    MATCH = "match"  # matching with an employer
    REQUEST_OF_THE_PERSON = "request-of-the-person"  # inzageverzoek (AVG art. 15)
    AUDIT = "audit"  # controle


class Action(StrEnum):
    SHOW = "show"


@dataclass(frozen=True)
class Access:
    position: int
    at: datetime
    actor: str
    candidate_ref: str
    purpose: str
    action: str
    prev_hash: bytes
    hash: bytes

    def line(self) -> bytes:
        """What the entry's hash covers after the previous hash: its fields, one a line."""
        at = self.at.astimezone(UTC).isoformat(timespec="microseconds")
        fields = (str(self.position), at, self.actor, self.candidate_ref, self.purpose, self.action)
        return "\n".join(fields).encode()


async def record_access(
    pool: asyncpg.Pool, *, actor: str, candidate_ref: str, purpose: Purpose, action: Action
) -> None:
    """Log one reading of `candidate_ref`'s personal data (the writer may not read the log)."""
    await pool.execute(
        "INSERT INTO access_log (position, at, actor, candidate_ref, purpose, action, "
        "prev_hash, hash) VALUES (0, now(), $1, $2, $3, $4, $5, $5)",
        actor,
        candidate_ref,
        purpose.value,
        action.value,
        ZERO,  # placeholders: the database sets the position, the time and both hashes
    )


async def read_accesses(pool: asyncpg.Pool, candidate_ref: str | None = None) -> list[Access]:
    """The whole log in order, or one candidate's entries."""
    rows = await pool.fetch(
        "SELECT position, at, actor, candidate_ref, purpose, action, prev_hash, hash "
        "FROM access_log WHERE $1::text IS NULL OR candidate_ref = $1 ORDER BY position",
        candidate_ref,
    )
    return [Access(**dict(r)) for r in rows]


def first_break(entries: list[Access]) -> Access | None:
    """The first entry of the whole log whose chain does not hold (None: intact)."""
    prev = ZERO
    for number, entry in enumerate(entries, 1):
        expected = hashlib.sha256(prev + entry.line()).digest()
        if entry.position != number or entry.prev_hash != prev or entry.hash != expected:
            return entry
        prev = entry.hash
    return None
