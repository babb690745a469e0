"""What every aggregate's events and commands carry besides their own fields.

(The trajectory's, older than these, spell the same fields out themselves.)
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ._values import OpaqueId, Value


class EventEnvelope(Value):
    """The envelope of an event: its version in its stream, when, who, the shape's version,
    and the request that decided it. Each aggregate adds its stream's id field and a
    `stream_id` property naming it."""

    version: int = Field(ge=1)
    occurred_at: datetime
    actor: OpaqueId
    schema_version: int = 1
    request_id: OpaqueId | None = None

    @property
    def at(self) -> datetime:
        """When it took effect: when it was decided (the trajectory's may say otherwise)."""
        return self.occurred_at


class CommandEnvelope(Value):
    """Who asks, and the client's id for the request (the same on every retry of it)."""

    actor: OpaqueId
    request_id: OpaqueId | None = None
