"""Read models kept up to date from the events' global order, exactly once."""

from __future__ import annotations

PROJECTION_MIGRATIONS: list[tuple[str, str]] = []
