"""`python -m nbm.projector`: keeps the read models up to date until SIGINT or SIGTERM.

Catches up, then waits for the store's `NOTIFY nbm_events` after each append. A notification
can be lost (it is not sent while the listening connection is down, and is only a hint), so
the projector also polls every few seconds; catching up when nothing is new costs one query.
Several projectors may run at once: they take turns on the tracking row.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

import asyncpg

from activities.projections import Projector
from nbm.logs import configure_logging, get_logger
from nbm.settings import ConfigError, load_settings

CHANNEL = "nbm_events"
POLL_SECONDS = 5.0
BATCH = 500

log = get_logger("nbm.projector")


class ProjectorError(Exception):
    """The projector cannot run here; the message says what to do."""


class Listener:
    """A connection of its own that LISTENs on `CHANNEL` and sets `wake` on a notification."""

    def __init__(self, dsn: str, wake: asyncio.Event) -> None:
        self._dsn = dsn
        self._wake = wake
        self._conn: asyncpg.Connection | None = None

    def _notified(self, *_: Any) -> None:
        self._wake.set()

    async def ensure(self) -> None:
        """(Re)connect and listen, if not listening; a failure is logged and retried later."""
        if self._conn is not None and not self._conn.is_closed():
            return
        try:
            self._conn = await asyncpg.connect(self._dsn)
            await self._conn.add_listener(CHANNEL, self._notified)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as err:
            self._conn = None
            # The poll keeps the read models moving meanwhile.
            log.warning("cannot listen for new events", channel=CHANNEL, error=type(err).__name__)
            return
        # Events appended while nobody listened were not announced: look once now.
        self._wake.set()
        log.info("listening for new events", channel=CHANNEL)

    async def close(self) -> None:
        if self._conn is not None and not self._conn.is_closed():
            await self._conn.close()


async def run(dsn: str, stop: asyncio.Event, *, poll_seconds: float = POLL_SECONDS) -> None:
    """Keep the read models caught up until `stop` is set."""
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=3)
    assert pool is not None
    # Without this check a missing schema would be retried every few seconds, forever.
    if await pool.fetchval("SELECT to_regclass('projection_tracking') IS NULL"):
        await pool.close()
        raise ProjectorError(
            "the database has no read models: run the migrations as the schema owner "
            "(NBM_MIGRATION_DATABASE_URL)"
        )
    projector = Projector(pool)
    wake = asyncio.Event()
    listener = Listener(dsn, wake)
    try:
        while not stop.is_set():
            await listener.ensure()
            wake.clear()
            applied = 0
            try:
                # Batch by batch, so a stop request during a long catch-up is heard promptly.
                while not stop.is_set() and (done := await projector.apply_batch(BATCH)):
                    applied += done
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as err:
                # Nothing was committed for the failed batch; the next round starts over there.
                log.warning("catch-up failed; retrying", error=type(err).__name__)
            if applied:
                tracking = await projector.tracking()
                log.info("caught up", applied=applied, position=tracking.position)
            await _first(stop, wake, within=poll_seconds)
    finally:
        await listener.close()
        await pool.close()


async def _first(*events: asyncio.Event, within: float) -> None:
    """Return when any of `events` is set, or after `within` seconds (the fallback poll)."""
    waits = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, timeout=within, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waits:
            task.cancel()


async def main() -> None:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("projector started")
    await run(settings.resolved_projector_database_url(), stop)
    log.info("projector stopped")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except (ProjectorError, ConfigError) as err:
        log.error("projector cannot start", reason=str(err))
        sys.exit(1)
    except (OSError, asyncpg.PostgresError) as err:
        # The type only: a driver's message can carry the connection URL.
        log.error("projector cannot reach PostgreSQL", error=type(err).__name__)
        sys.exit(1)
