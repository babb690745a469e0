"""The per-candidate keys in PostgreSQL, each wrapped by a key-encryption key (NBM_KEK)."""

from __future__ import annotations

KEY_STORE_MIGRATIONS: list[tuple[str, str]] = []
