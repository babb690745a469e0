"""The one way a command opens PostgreSQL: a pool with one-line errors, and the event store.

Reports, the key store and the auditors' commands all come here, so "no server", "no such
table" and a slow server read the same everywhere and never show the URL (it can hold a
password).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import asyncpg

from activities.event_store import PostgresEventStore, SchemaMissing
from nbm.settings import Settings, load_settings

from ._common import CONNECT_TIMEOUT, CliError, one_line

T = TypeVar("T")


@asynccontextmanager
async def connected(config: Settings, *, missing: str) -> AsyncIterator[asyncpg.Pool]:
    """A small pool on the configured database; `missing` is said when a table is missing."""
    url = config.resolved_database_url()
    try:
        pool = await asyncio.wait_for(
            asyncpg.create_pool(url, min_size=1, max_size=2), CONNECT_TIMEOUT
        )
    except (OSError, TimeoutError, asyncpg.PostgresError) as err:
        reason = "no answer" if isinstance(err, TimeoutError) else one_line(str(err))[:120]
        raise CliError(
            f"cannot connect to PostgreSQL ({reason}); is the stack running? "
            "(`make run`, or set NBM_DATABASE_URL)"
        ) from None
    assert pool is not None
    try:
        yield pool
    except asyncpg.UndefinedTableError:
        raise CliError(missing) from None
    finally:
        await pool.close()


@asynccontextmanager
async def open_store(config: Settings) -> AsyncIterator[PostgresEventStore]:
    """The event store of the configured database."""
    async with connected(config, missing="the event store is not migrated") as pool:
        try:
            store = await PostgresEventStore.on_pool(pool)
        except SchemaMissing as err:
            raise CliError(str(err)) from None
        yield store


def run_db(work: Callable[[asyncpg.Pool, Settings], Awaitable[T]], *, missing: str) -> T:
    """Load the settings, open a pool, run `work(pool, settings)` in a fresh event loop."""
    config = load_settings()
    config.resolved_database_url()  # a ConfigError before any event loop starts

    async def main() -> T:
        async with connected(config, missing=missing) as pool:
            return await work(pool, config)

    return asyncio.run(main())


def run_store(work: Callable[[PostgresEventStore, Settings], Awaitable[T]]) -> T:
    """Load the settings, open the event store, run `work(store, settings)`."""
    config = load_settings()
    config.resolved_database_url()

    async def main() -> T:
        async with open_store(config) as store:
            return await work(store, config)

    return asyncio.run(main())
