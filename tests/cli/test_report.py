"""`nbm report` against real PostgreSQL, connected as the application's role `nbm_app`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from activities import PostgresEventStore
from activities.projections import Projector
from tests.integration.test_projections import append_interleaved, cases

from .conftest import assert_user_error, invoke


@pytest.fixture
def env(app_database_url: str, tmp_path: Path) -> dict[str, str | None]:
    return {
        # The role the CLI runs as in production: SELECT and INSERT on events only.
        "NBM_DATABASE_URL": app_database_url,
        "NBM_DATA_DIR": str(tmp_path),
        "TEMPORAL_ADDRESS": None,
    }


@pytest.fixture
async def events(store: PostgresEventStore) -> int:
    return await append_interleaved(store, cases())


def ok(args: list[str], env: dict[str, str | None]) -> str:
    result = invoke(args, env)
    assert result.exit_code == 0, result.output
    return result.stdout


async def test_rebuild_brings_the_read_models_up_to_the_store_head(
    events: int, env: dict[str, str | None]
) -> None:
    before = json.loads(ok(["report", "projections", "--json"], env))
    assert before == {"position": 0, "head": events, "lag": events, "quarantined": []}
    out = ok(["report", "rebuild"], env)
    assert out.startswith(f"rebuilt the read models from {events} events in ")
    assert json.loads(ok(["report", "projections", "--json"], env))["lag"] == 0
    assert "lag 0" in ok(["report", "projections"], env)
    # Once more: the same figures, from zero again.
    assert json.loads(ok(["report", "rebuild", "--json"], env))["events"] == events


async def test_caseload_per_coach(
    store: PostgresEventStore, events: int, env: dict[str, str | None]
) -> None:
    await Projector(store.pool).catch_up()
    assert json.loads(ok(["report", "caseload", "--json"], env)) == [
        {"coach_id": "coach-anna", "open_trajectories": 1, "in_learning": 0, "escalations": 0},
        {"coach_id": "coach-bram", "open_trajectories": 1, "in_learning": 1, "escalations": 1},
    ]
    table = ok(["report", "caseload"], env)
    assert "coach-anna" in table and "coach-bram" in table and "learning in" in table


async def test_outcomes_give_the_placement_rate_per_route(
    store: PostgresEventStore, events: int, env: dict[str, str | None]
) -> None:
    await Projector(store.pool).catch_up()
    args = [
        "report",
        "outcomes",
        "--json",
        "--by",
        "route",
        "--min-cell",
        "1",
        "--as-of",
        "2028-01-01",
    ]
    # A Werkbedrijf's own threshold (its setting) below the default: the figures of a few.
    rows = {
        r["group"]: r for r in json.loads(ok(args, {**env, "NBM_REPORT_MIN_CELL": "1"}))["groups"]
    }
    small = rows["small-scale-growth"]
    # Placed from the job's first day, among every trajectory that started (not only closed).
    assert (small["trajectories"], small["placed"]) == (3, 1)
    assert small["placement_rate"] == 0.3333
    assert rows["wijkleerbedrijf"]["placement_rate"] == 0.0
    assert rows["large-scale-growth"]["placed"] == 0
    table = ok([*args[:2], *args[3:]], {**env, "NBM_REPORT_MIN_CELL": "1"})
    assert "33%" in table and "0%" in table


async def test_empty_read_models_give_empty_reports(
    store: PostgresEventStore, env: dict[str, str | None]
) -> None:
    assert json.loads(ok(["report", "caseload", "--json"], env)) == []
    empty = json.loads(ok(["report", "outcomes", "--json"], env))
    assert (empty["groups"], empty["total"]["trajectories"], empty["jobs_per_year"]) == ([], 0, [])


def test_no_database_configured_is_one_line(tmp_path: Path) -> None:
    env: dict[str, str | None] = {"NBM_DATABASE_URL": None, "NBM_DATA_DIR": str(tmp_path)}
    assert_user_error(invoke(["report", "caseload"], env), "no PostgreSQL", "NBM_DATABASE_URL")


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql://nbm_app@/nbm?host={tmp_path}&port=1"  # no server on that socket
    env: dict[str, str | None] = {"NBM_DATABASE_URL": url, "NBM_DATA_DIR": str(tmp_path)}
    assert_user_error(invoke(["report", "projections"], env), "cannot connect to PostgreSQL")


async def test_a_database_without_read_models_is_one_line(
    database_url: str, tmp_path: Path
) -> None:
    # `database_url` alone is a fresh database that was never migrated.
    env: dict[str, str | None] = {"NBM_DATABASE_URL": database_url, "NBM_DATA_DIR": str(tmp_path)}
    assert_user_error(invoke(["report", "outcomes"], env), "read models do not exist")


async def test_outcomes_fit_an_80_column_terminal(
    store: PostgresEventStore, events: int, env: dict[str, str | None]
) -> None:
    await Projector(store.pool).catch_up()
    args = ["report", "outcomes", "--by", "route", "--min-cell", "1", "--as-of", "2028-01-01"]
    table = ok(args, {**env, "COLUMNS": "80", "NBM_REPORT_MIN_CELL": "1"})
    lines = table.splitlines()
    assert max(len(line) for line in lines) <= 80, table
    assert "…" not in table  # nothing cut off: headers break, values fold
    assert "small-sc" in table and "33%" in table
