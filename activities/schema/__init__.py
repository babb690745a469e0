"""The database schema as data: SQL only, no imports but these modules.

Every migration, in the order applied; a shipped migration is never edited, a change is a new
one at the end of its group. `activities.migrations` applies them; the store, the key store
and the projections only read and write the tables they create.
"""

from .access_log import ACCESS_LOG_MIGRATIONS
from .events import APP_ROLE, EVENT_STORE_MIGRATIONS
from .keys import KEY_STORE_MIGRATIONS
from .mail import MAIL_MIGRATIONS
from .read_models import PROJECTION_MIGRATIONS
from .roles import AUDITOR_ROLE, KEYS_ROLE, PROJECTOR_ROLE, ROLE_MIGRATIONS, ROLES, WORKER_ROLE

MIGRATIONS: list[tuple[str, str]] = [
    *EVENT_STORE_MIGRATIONS,  # 00xx
    *KEY_STORE_MIGRATIONS,  # 01xx
    *PROJECTION_MIGRATIONS,  # 02xx
    *ROLE_MIGRATIONS,  # 03xx: after every table it grants on
    *ACCESS_LOG_MIGRATIONS,  # 04xx
    *MAIL_MIGRATIONS,  # 05xx: after the roles it grants to
]
"""Every migration, in the order applied; names are unique and never reused."""

__all__ = [
    "ACCESS_LOG_MIGRATIONS",
    "APP_ROLE",
    "AUDITOR_ROLE",
    "EVENT_STORE_MIGRATIONS",
    "KEYS_ROLE",
    "KEY_STORE_MIGRATIONS",
    "MAIL_MIGRATIONS",
    "MIGRATIONS",
    "PROJECTION_MIGRATIONS",
    "PROJECTOR_ROLE",
    "ROLES",
    "ROLE_MIGRATIONS",
    "WORKER_ROLE",
]
