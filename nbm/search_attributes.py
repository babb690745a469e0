"""`python -m nbm.search_attributes`: register the trajectory's search attributes, once.

What production's one-shot `search-attributes` service runs (docker-compose.yml) before the
workers start; the same as, for each of Step, Route, Programme, CoachId and EmployerId,
`temporal operator search-attribute create --name NAME --type Keyword`. Safe to run again.
"""

from __future__ import annotations

import asyncio
import sys

from temporalio.service import RPCError

from nbm.logs import configure_logging, get_logger
from nbm.settings import ConfigError, load_settings
from nbm.temporal import connect, register_search_attributes


async def _run() -> list[str]:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    return await register_search_attributes(await connect(settings))


def main() -> int:
    log = get_logger("nbm.search_attributes")
    try:
        registered = asyncio.run(_run())
    except (ConfigError, RPCError, RuntimeError) as err:
        print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
        return 1
    log.info("search attributes registered", registered=registered)
    return 0


if __name__ == "__main__":
    sys.exit(main())
