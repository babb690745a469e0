"""The caseload limit in `nbm import`: a coach's rows past the limit are refused by line and
column, and the same file imported again keeps its rows already there without refusing them
(they are no new trajectories)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from .conftest import Cli
from .test_against_worker import in_days
from .test_caseload_limit import _until_counted
from .test_import import days


def _file(tmp_path: Path, coach: str, rows: int) -> Path:
    lines = ["coach,started_on,employer,function,expected_date,skills"]
    lines += [
        f"{coach},{days(-10 - i)},emp-limit-{i},Orderpicker,{in_days(300)},orderpicken"
        for i in range(rows)
    ]
    path = tmp_path / "caseload.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_rows_past_the_coachs_limit_are_refused_and_a_repeat_keeps_the_others(
    cli: Cli, dev_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    suffix = uuid.uuid4().hex[:8]
    sup, coach = f"sup-i{suffix}", f"coach-i{suffix}"
    cli.ok("people", "add", sup, "--role", "supervisor", "--name", "Petra Leiding",
           "--email", "petra@wb.example")  # fmt: skip
    cli.ok("people", "add", coach, "--role", "coach", "--supervisor", sup,
           "--caseload-limit", "3", "--name", "Chris Coach", "--email", "c@wb.example")  # fmt: skip
    path = _file(tmp_path, coach, 5)

    first = cli("import", str(path), "--json", "--parallel", "1")
    assert first.exit_code == 1, first.output
    report = json.loads(first.stdout)
    assert (report["started"], report["refused"]) == (3, 2), report
    refusals = report["refusals"]
    assert [r["field"] for r in refusals] == ["coach", "coach"]
    assert all("limit 3" in r["reason"] for r in refusals), refusals
    assert sorted(r["line"] for r in refusals) == [5, 6]

    # Again: the three started are there (not refused as past the limit), the two still not.
    # (Once the server's count shows them: a start a moment ago is the race both accept.)
    await _until_counted(dev_env, cli, coach, 3)
    again = json.loads(cli("import", str(path), "--json", "--parallel", "1").stdout)
    assert (again["started"], again["already_there"], again["refused"]) == (0, 3, 2), again


async def test_rows_started_side_by_side_keep_the_limit_too(
    cli: Cli, dev_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    """Found by a trial: with rows in parallel, each coach's first rows counted the server's
    figure afresh and a file of 5 rows for a limit of 3 started 4."""
    suffix = uuid.uuid4().hex[:8]
    sup, coach = f"sup-p{suffix}", f"coach-p{suffix}"
    cli.ok("people", "add", sup, "--role", "supervisor", "--name", "Petra Leiding",
           "--email", "petra@wb.example")  # fmt: skip
    cli.ok("people", "add", coach, "--role", "coach", "--supervisor", sup,
           "--caseload-limit", "3", "--name", "Chris Coach", "--email", "c@wb.example")  # fmt: skip
    path = _file(tmp_path, coach, 12)
    report = json.loads(cli("import", str(path), "--json", "--parallel", "16").stdout)
    assert (report["started"], report["refused"]) == (3, 9), report
    await _until_counted(dev_env, cli, coach, 3)
    again = json.loads(cli("import", str(path), "--json", "--parallel", "16").stdout)
    assert (again["started"], again["already_there"], again["refused"]) == (0, 3, 9), again
