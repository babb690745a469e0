"""`python -m nbm.migrate`: the schema migrations, run once per deployment as the owner.

Production's `migrate` service (docker-compose.yml) runs it before the worker starts. With
NBM_APP_DB_PASSWORD set it also gives the application's role (nbm_app, which may only read
and append events) that password, so the worker can log in over the network.
"""

from __future__ import annotations

import asyncio
import os
import sys

import asyncpg

from activities import migrate
from activities.event_store_schema import APP_ROLE
from nbm.logs import configure_logging, get_logger
from nbm.settings import ConfigError, load_settings

PASSWORD_VARIABLE = "NBM_APP_DB_PASSWORD"


async def run(owner_url: str, app_password: str | None) -> list[str]:
    """Apply the missing migrations; set the app role's password when given."""
    conn = await asyncpg.connect(owner_url)
    try:
        applied = await migrate(conn)
        if app_password:
            # ALTER ROLE takes no bind parameters: quote the literal in the server.
            statement = await conn.fetchval(
                "SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)",
                APP_ROLE,
                app_password,
            )
            await conn.execute(statement)
    finally:
        await conn.close()
    return applied


def main() -> int:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    log = get_logger("nbm.migrate")
    try:
        owner_url = settings.resolved_migration_database_url()
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    password = os.environ.get(PASSWORD_VARIABLE)
    applied = asyncio.run(run(owner_url, password))
    log.info("migrated", applied=applied, app_password_set=bool(password))
    return 0


if __name__ == "__main__":
    sys.exit(main())
