"""The one way a command opens PostgreSQL: a pool with one-line errors, and the event store.

Reports, the key store and the auditors' commands all come here, so "no server", "no such
table" and a slow server read the same everywhere and never show the URL (it can hold a
password).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from enum import StrEnum
from typing import TypeVar

import asyncpg

from activities.event_store import PostgresEventStore, SchemaMissing
from nbm.i18n import _
from nbm.settings import Settings, load_settings

from ._common import CONNECT_TIMEOUT, CliError, one_line

T = TypeVar("T")


class Role(StrEnum):
    """Which database role a command connects as: the setting that names its URL."""

    KEYS = "NBM_KEYS_DATABASE_URL"
    AUDITOR = "NBM_AUDITOR_DATABASE_URL"
    PROJECTOR = "NBM_PROJECTOR_DATABASE_URL"

    def url(self, config: Settings) -> str:
        if self is Role.KEYS:
            return config.resolved_keys_database_url()
        if self is Role.AUDITOR:
            return config.resolved_auditor_database_url()
        return config.resolved_projector_database_url()


@asynccontextmanager
async def connected(config: Settings, *, role: Role, missing: str) -> AsyncIterator[asyncpg.Pool]:
    """A small pool on the configured database as `role`; `missing` is said when a table is
    missing."""
    url = role.url(config)
    try:
        pool = await asyncio.wait_for(
            asyncpg.create_pool(url, min_size=1, max_size=2), CONNECT_TIMEOUT
        )
    except (OSError, TimeoutError, asyncpg.PostgresError) as err:
        reason = "no answer" if isinstance(err, TimeoutError) else one_line(str(err))[:120]
        raise CliError(
            _(
                "cannot connect to PostgreSQL ({reason}); is the stack running? (`make "
                "run`, or set NBM_DATABASE_URL)"
            ).format(reason=reason)
        ) from None
    assert pool is not None
    try:
        yield pool
    except asyncpg.UndefinedTableError:
        raise CliError(missing) from None
    except asyncpg.InsufficientPrivilegeError:
        raise CliError(
            _(
                "the database role this command connects as may not do this: set "
                "{value} to the URL of the role for it (see the README, database "
                "roles)"
            ).format(value=role.value)
        ) from None
    finally:
        await pool.close()


@asynccontextmanager
async def open_store(config: Settings) -> AsyncIterator[PostgresEventStore]:
    """The event store of the configured database, as the auditor (read only)."""
    missing = _("the event store is not migrated")
    async with connected(config, role=Role.AUDITOR, missing=missing) as pool:
        try:
            store = await PostgresEventStore.on_pool(pool)
        except SchemaMissing as err:
            raise CliError(str(err)) from None
        yield store


def run_db(
    work: Callable[[asyncpg.Pool, Settings], Awaitable[T]], *, role: Role, missing: str
) -> T:
    """Load the settings, open a pool as `role`, run `work(pool, settings)` in a fresh loop."""
    config = load_settings()
    role.url(config)  # a ConfigError before any event loop starts

    async def main() -> T:
        async with connected(config, role=role, missing=missing) as pool:
            return await work(pool, config)

    return asyncio.run(main())


def run_store(work: Callable[[PostgresEventStore, Settings], Awaitable[T]]) -> T:
    """Load the settings, open the event store, run `work(store, settings)`."""
    config = load_settings()
    config.resolved_auditor_database_url()

    async def main() -> T:
        async with open_store(config) as store:
            return await work(store, config)

    return asyncio.run(main())
