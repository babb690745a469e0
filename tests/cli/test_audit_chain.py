"""`nbm audit verify` and `nbm audit export` on real PostgreSQL, and offline on a file."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest
from typer.testing import Result

from activities import PostgresEventStore
from tests.integration.test_event_store import history

from .conftest import assert_user_error, invoke


@pytest.fixture
async def trajectories(store: PostgresEventStore) -> list[str]:
    """Two trajectories of four events, appended in turn."""
    streams = [history(), history()]
    for version in range(4):
        for events in streams:
            await store.append(events[version : version + 1])
    return [events[0].trajectory_id for events in streams]


@pytest.fixture
def env(app_database_url: str, tmp_path: Path) -> dict[str, str | None]:
    """The application's URL, and no Temporal: these commands need only the database."""
    return {
        "NBM_DATABASE_URL": app_database_url,
        "TEMPORAL_ADDRESS": None,
        "NBM_DATA_DIR": str(tmp_path / "data"),
    }


@pytest.fixture
def offline(tmp_path: Path) -> dict[str, str | None]:
    """Nothing configured: no database, no Temporal."""
    return {"NBM_DATABASE_URL": None, "TEMPORAL_ADDRESS": None, "NBM_DATA_DIR": str(tmp_path)}


def ok(args: list[str], env: dict[str, str | None]) -> Result:
    result = invoke(args, env)
    assert result.exit_code == 0, result.output
    return result


async def test_verify_one_trajectory_and_all(
    trajectories: list[str], env: dict[str, str | None]
) -> None:
    one = ok(["audit", "verify", trajectories[0]], env)
    assert "checked 4 events in 1 stream(s)" in one.stdout and "intact" in one.stdout
    every = json.loads(ok(["audit", "verify", "--all", "--json"], env).stdout)
    assert (every["intact"], every["events"], every["streams"], every["breaks"]) == (
        True,
        8,
        2,
        [],
    )
    assert every["head"]["position"] == 8 and every["events_per_second"] > 0


async def test_verify_names_the_first_broken_event_and_exits_1(
    trajectories: list[str], env: dict[str, str | None], owner_conn: asyncpg.Connection
) -> None:
    await owner_conn.execute("SET session_replication_role = replica")
    await owner_conn.execute(  # stream 0, version 2
        "UPDATE events SET payload = overlay(payload PLACING 'X'::bytea FROM 12 FOR 1) "
        "WHERE position = 3"
    )
    expected = f"stream {trajectories[0]} version 2 (position 3): hash mismatch"
    line = assert_user_error(invoke(["audit", "verify", "--all"], env), expected)
    assert line.startswith("error: tampering found: ")
    assert_user_error(invoke(["audit", "verify", trajectories[0]], env), expected)
    ok(["audit", "verify", trajectories[1]], env)
    report = invoke(["audit", "verify", "--all", "--json"], env)
    assert report.exit_code == 1
    assert json.loads(report.stdout)["breaks"][0]["kinds"] == ["content"]


async def test_export_then_verify_offline_round_trips(
    trajectories: list[str],
    env: dict[str, str | None],
    offline: dict[str, str | None],
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.json"
    ok(["audit", "export", trajectories[1], "--out", str(path)], env)
    doc = json.loads(path.read_text())
    assert (doc["format"], doc["stream_id"], len(doc["events"])) == (
        "nbm-audit-export",
        trajectories[1],
        4,
    )
    result = ok(["audit", "verify", "--file", str(path)], offline)
    assert "checked 4 events" in result.stdout and "intact" in result.stdout


def edit_payload(doc: dict[str, object]) -> None:
    event = doc["events"][1]  # type: ignore[index]
    payload = base64.b64decode(event["payload"])
    event["payload"] = base64.b64encode(payload.replace(b'"version":2', b'"version":2 ')).decode()


def drop_middle(doc: dict[str, object]) -> None:
    del doc["events"][1]  # type: ignore[attr-defined]


def drop_last(doc: dict[str, object]) -> None:
    del doc["events"][-1]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (edit_payload, "version 2 (position 4): hash mismatch"),
        (drop_middle, "version 3 (position 6): version 2 of this stream missing"),
        (drop_last, "version 3 (position 6): the file's head (version 4) is not its last event"),
    ],
)
async def test_an_edited_file_fails_offline(
    trajectories: list[str],
    env: dict[str, str | None],
    offline: dict[str, str | None],
    tmp_path: Path,
    edit: Callable[[dict[str, object]], None],
    expected: str,
) -> None:
    path = tmp_path / "export.json"
    ok(["audit", "export", trajectories[1], "--out", str(path)], env)
    doc = json.loads(path.read_text())
    edit(doc)
    path.write_text(json.dumps(doc))
    assert_user_error(invoke(["audit", "verify", "--file", str(path)], offline), expected)


async def test_user_errors_are_one_line(
    trajectories: list[str], env: dict[str, str | None], tmp_path: Path
) -> None:
    assert_user_error(invoke(["audit", "verify"], env), "a trajectory id, --all, --file")
    assert_user_error(
        invoke(["audit", "verify", "traj-nothing"], env), "no trajectory traj-nothing"
    )
    assert_user_error(
        invoke(["audit", "export", "traj-nothing", "--out", str(tmp_path / "x")], env),
        "no trajectory",
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    assert_user_error(
        invoke(["audit", "verify", "--file", str(bad)], env), "not an nbm audit export"
    )
    assert_user_error(
        invoke(["audit", "verify", "--file", str(tmp_path / "missing.json")], env), "cannot read"
    )


def test_without_a_database_verify_says_what_to_set(offline: dict[str, str | None]) -> None:
    assert_user_error(invoke(["audit", "verify", "--all"], offline), "NBM_DATABASE_URL")
