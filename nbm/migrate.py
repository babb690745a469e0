"""`python -m nbm.migrate`: the schema migrations, run once per deployment as the owner.

Production's `migrate` service (docker-compose.yml) runs it before the worker starts. With
NBM_WORKER_DB_PASSWORD (and the projector's, the keys', the auditor's) set it also gives each
process's role that password, so that it can log in over the network.
"""

from __future__ import annotations

import asyncio
import os
import sys

from activities.migrations import migrate_database
from activities.schema import APP_ROLE, AUDITOR_ROLE, KEYS_ROLE, PROJECTOR_ROLE, WORKER_ROLE
from nbm.logs import configure_logging, get_logger
from nbm.settings import ConfigError, load_settings

PASSWORD_VARIABLES = {
    APP_ROLE: "NBM_APP_DB_PASSWORD",
    WORKER_ROLE: "NBM_WORKER_DB_PASSWORD",
    PROJECTOR_ROLE: "NBM_PROJECTOR_DB_PASSWORD",
    KEYS_ROLE: "NBM_KEYS_DB_PASSWORD",
    AUDITOR_ROLE: "NBM_AUDITOR_DB_PASSWORD",
}
"""Each role's password, where it is set: the role then logs in over the network."""


def main() -> int:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    log = get_logger("nbm.migrate")
    try:
        owner_url = settings.resolved_migration_database_url()
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    passwords = {
        role: os.environ[variable]
        for role, variable in PASSWORD_VARIABLES.items()
        if os.environ.get(variable)
    }
    applied = asyncio.run(migrate_database(owner_url, passwords=passwords))
    log.info("migrated", applied=applied, passwords_set=sorted(passwords))
    return 0


if __name__ == "__main__":
    sys.exit(main())
