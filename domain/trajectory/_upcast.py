"""Reading stored events: old shapes are upcast, step by step, to the current one.

An upcaster takes the JSON of version N of an event type and returns version N+1. Events live
for years, so an upcaster, once shipped, is never removed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._events import EVENT_ADAPTER, AnyEvent
from ._values import BenefitEnd

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def _benefit_end_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 1 knew only yes, no and none; it never said "partly".
    data["benefit_end"] = BenefitEnd.of(data.get("benefit_ended")).value
    return data


UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("RegularJobStarted", 1): _benefit_end_v1_v2,
}
"""(event type, from schema version) -> function to the next version."""

CURRENT_SCHEMA: dict[str, int] = {"RegularJobStarted": 2}
"""Event types whose current schema version is above 1."""


def upcast(data: dict[str, Any]) -> dict[str, Any]:
    """`data` brought to the current schema version of its event type."""
    event_type = data["type"]
    version = int(data.get("schema_version", 1))
    target = CURRENT_SCHEMA.get(event_type, 1)
    while version < target:
        data = UPCASTERS[(event_type, version)](dict(data))
        version += 1
        data["schema_version"] = version
    return data


def load_event(data: dict[str, Any]) -> AnyEvent:
    """An event from its stored JSON, of whatever schema version it was written in."""
    return EVENT_ADAPTER.validate_python(upcast(data))
