"""A fresh embedded PostgreSQL for one benchmark run, migrated by its owner."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from activities import PostgresEventStore
from activities.migrations import migrate_database
from activities.schema import APP_ROLE
from devstack.servers import as_user, embedded_postgres_url


@asynccontextmanager
async def fresh_store(*, max_size: int = 2) -> AsyncIterator[PostgresEventStore]:
    """The store as the application sees it (role nbm_app) on a new, empty server."""
    with tempfile.TemporaryDirectory(prefix="nbm-bench-") as folder:
        owner_url = embedded_postgres_url(Path(folder) / "pg", cleanup="stop")
        await migrate_database(owner_url)
        store = await PostgresEventStore.connect(as_user(owner_url, APP_ROLE), max_size=max_size)
        try:
            yield store
        finally:
            await store.close()
