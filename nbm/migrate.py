"""`python -m nbm.migrate`: the schema migrations, run once per deployment as the owner.

Production's `migrate` service (docker-compose.yml) runs it before the worker starts. With
NBM_APP_DB_PASSWORD set it also gives the application's role (nbm_app, which may only read
and append events) that password, so the worker can log in over the network.
"""

from __future__ import annotations

import asyncio
import os
import sys

from activities.migrations import migrate_database
from nbm.logs import configure_logging, get_logger
from nbm.settings import ConfigError, load_settings

PASSWORD_VARIABLE = "NBM_APP_DB_PASSWORD"


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
    applied = asyncio.run(migrate_database(owner_url, app_password=password))
    log.info("migrated", applied=applied, app_password_set=bool(password))
    return 0


if __name__ == "__main__":
    sys.exit(main())
