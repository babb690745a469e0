"""The scenario's events through the projector into a migrated database of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from activities import PostgresEventStore
from activities.projections import Projector
from activities.schema import AUDITOR_ROLE
from devstack.servers import as_user
from nbm.reports.outcomes import TrajectoryFacts
from nbm.reports.read import read_facts
from tests.integration.test_projections import append_interleaved

from . import scenario


@pytest.fixture
async def projected(store: PostgresEventStore) -> PostgresEventStore:
    """The scenario's events stored, and the read models caught up with them."""
    await append_interleaved(store, scenario.streams())
    await Projector(store.pool).catch_up()
    return store


@pytest.fixture
async def facts(projected: PostgresEventStore) -> list[TrajectoryFacts]:
    return await read_facts(projected.pool)


@pytest.fixture
def report_env(
    projected: PostgresEventStore, database_url: str, tmp_path: Path
) -> dict[str, str | None]:
    """The CLI as production runs `nbm report`: the auditor's role (read only)."""
    return {
        "NBM_DATABASE_URL": as_user(database_url, "nbm_app"),
        "NBM_AUDITOR_DATABASE_URL": as_user(database_url, AUDITOR_ROLE),
        "NBM_DATA_DIR": str(tmp_path / "data"),
        "TEMPORAL_ADDRESS": None,
        "NBM_STATISTICS_SALT": "a-test-salt-of-32-characters-xx",
    }
