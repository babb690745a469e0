"""One bad row on the running stack: the stack runs on, the quarantine and the auditor name it.

A superuser, with the triggers off, appends a row that continues no chain and holds another
stream's event. The projector sets it (and its stream after it) aside and keeps the other
trajectories' read models current; `make run` says so; the audit tools name the row.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from .test_stack import RunningStack, alive, nbm

pytestmark = pytest.mark.e2e


def start(data_dir: Path) -> str:
    done = nbm(
        data_dir, "trajectory", "start", "--employer", "employer-e2e", "--function", "Helpende",
        "--expected-date", "2027-06-01", "--skill", "care",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


async def until(check: Any, within: float = 30) -> Any:
    deadline = time.monotonic() + within
    while not (found := await check()):
        assert time.monotonic() < deadline, "not within the time given"
        await asyncio.sleep(0.3)
    return found


@pytest.mark.timeout(240)
async def test_a_poison_row_is_quarantined_and_named_while_the_stack_runs_on(
    tmp_path: Path,
) -> None:
    data_dir, output = tmp_path / "data", tmp_path / "stack.out"
    stack = await RunningStack(data_dir, output).start()
    try:
        info = await stack.ready()
        poisoned, healthy = start(data_dir), start(data_dir)
        owner = await asyncpg.connect(info["migration_database_url"])
        try:
            await owner.execute("SET session_replication_role = replica")  # triggers off
            head = await owner.fetchval("SELECT max(position) FROM events")
            payload = await owner.fetchval(
                "SELECT payload FROM events WHERE stream_id = $1 AND version = 1", healthy
            )
            await owner.execute(
                "INSERT INTO events (position, stream_id, version, event_type, schema_version, "
                "occurred_at, actor, payload, prev_hash, hash, global_prev_hash, global_hash) "
                "VALUES ($1, $2, 2, 'TrajectoryStarted', 1, now(), 'mallory', $3, $4, $4, $4, $4)",
                head + 1, poisoned, payload, bytes(32),
            )  # fmt: skip
        finally:
            await owner.close()

        # The healthy trajectory goes on, and its read model follows.
        done = nbm(data_dir, "trajectory", "end", healthy, "--reason", "moved-away")
        assert done.returncode == 0, done.stderr

        async def projected() -> dict[str, Any] | None:
            shown = nbm(data_dir, "report", "projections", "--json")
            data = json.loads(shown.stdout) if shown.returncode == 0 else {}
            return data if data.get("lag") == 0 and data.get("quarantined") else None

        status = await until(projected)
        (held,) = status["quarantined"]
        assert (held["stream_id"], held["version"]) == (poisoned, 2)
        assert "another stream or version" in held["reason"]
        shown = nbm(data_dir, "report", "outcomes", "--json", "--min-cell", "1",
                    settings={"NBM_REPORT_MIN_CELL": "1"})  # fmt: skip
        outcomes = json.loads(shown.stdout)
        assert outcomes["total"]["closed"] == 1  # the healthy one's end counted

        # The stack runs on, and said so.
        assert stack.proc.returncode is None
        assert all(alive(pid) for pid in info["processes"].values())
        await until(lambda: asyncio.sleep(0, "set 1 event(s) aside" in output.read_text()))

        # The auditor's tools name the row and exit 1.
        history = nbm(data_dir, "audit", "history", poisoned)
        assert history.returncode == 1
        assert (
            f"stream {poisoned}, version 2 (position {head + 1}) cannot be read" in history.stderr
        )
        verify = nbm(data_dir, "audit", "verify", "--all")
        assert verify.returncode == 1 and f"position {head + 1}" in verify.stderr
    finally:
        assert await stack.interrupt() == 0
