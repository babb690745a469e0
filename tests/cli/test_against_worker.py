"""The CLI against the real worker (`worker.py`), the dev server and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from tests import factories as f

from .conftest import Cli, assert_user_error

LIST_TIMEOUT = 10.0  # seconds; the server's list (visibility) trails a start slightly


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def start(cli: Cli, trajectory_id: str, *extra: str) -> dict[str, object]:
    result = cli.ok(
        "trajectory", "start", "--id", trajectory_id, "--employer", f.EMPLOYER,
        "--function", "Helpende zorg en welzijn", "--expected-date", in_days(300),
        "--skill", "ADL care", "--skill", "communication", "--json", *extra,
    )  # fmt: skip
    data: dict[str, object] = json.loads(result.stdout)
    return data


def map_and_match(cli: Cli, tid: str) -> None:
    cli.ok(
        "trajectory", "map-possibilities", tid, "--profile-skill", "ADL care",
        "--employer-role", "workplace", "--werkbedrijf-role", "work coach and budget",
        "--guarantee-possible", "--learning-location", "at the employer",
        "--training-institute", "ROC Flevoland",
    )  # fmt: skip
    cli.ok(
        "trajectory", "match", tid, "--candidate-ref", "cand-0001", "--name", f.CANDIDATE_NAME,
        "--bsn", f.CANDIDATE_BSN, "--skill", "care", "--motivation-passed",
        "--language-level", "A2", "--barrier", "childcare", "--barrier", "mobility",
    )  # fmt: skip


def agree_and_learn(cli: Cli, tid: str, *extra: str) -> None:
    cli.ok(
        "trajectory", "establish-agreement", tid, "--commitment", "job-guarantee",
        "--weeks", "24", "--placement", "introduction:4:16", "--placement", "ADL internship:20:16",
        "--training", "ROC Flevoland:mbo 2 Helpende", "--training", "Taalhuis:NT2:employer",
        "--budget", "5000", *extra,
    )  # fmt: skip
    cli.ok("trajectory", "start-learning", tid)


def test_a_full_path_to_a_regular_job_and_the_end(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    started = start(cli, tid)
    assert started == {
        "trajectory_id": tid,
        "version": 1,
        "step": "1-future-job-in-view",
        "event_types": ["TrajectoryStarted"],
    }
    # Step 4 before step 3: the method allows either order.
    map_and_match(cli, tid)
    agree_and_learn(cli, tid)
    steps = [
        (["start-placement", tid, "--name", "introduction", "--hours", "16"], "PlacementStarted"),
        (["record-evaluation", tid, "--verdict", "concerns", "--employer-absent",
          "--summary", "slow start"], "EvaluationRecorded"),
        (["record-calamity", tid, "--kind", "finances"], "CalamityRecorded, EscalationRaised"),
        (["resolve-calamity", tid, "1"], "CalamityResolved"),
        (["resolve-barrier", tid, "childcare"], "BarrierResolved"),
        (["extend-learning", tid, "--weeks", "4", "--reason", "more practice"],
         "LearningExtended"),
        (["propose-other-employer", tid, "--employer", "employer-other",
          "--reason", "no vacancy after all"], "ProposedToOtherEmployer"),
    ]  # fmt: skip
    for args, events in steps:
        result = cli.ok("trajectory", *args)
        assert f"{tid}: version" in result.stdout and events in result.stdout, result.stdout

    job = ["trajectory", "record-regular-job", tid, "--employer", "employer-other",
           "--start-date", in_days(30), "--benefit-ended"]  # fmt: skip
    assert_user_error(cli(*job), "a contract must state its hours")
    result = cli.ok(*job, "--hours", "32", "--wage-cost-subsidy", "30", "--json")
    assert json.loads(result.stdout)["step"] == "6-outcome"
    assert_user_error(cli("trajectory", "record-follow-up", tid, "--still-employed",
                          "--benefit-ended"), "the follow-up is due on")  # fmt: skip
    assert_user_error(cli("trajectory", "end", tid, "--reason", "other"), "needs an explanation")
    cli.ok("trajectory", "end", tid, "--reason", "other", "--explanation", "test ends here")

    state = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)
    assert state["step"] == "closed" and state["version"] == 15
    assert state["regular_job"]["contract_hours_per_week"] == 32
    assert state["employer_id"] == "employer-other" and state["open_barriers"] == ["mobility"]
    assert [t["paid_by_employer"] for t in state["agreement"]["training"]] == [False, True]
    assert state["agreement"]["placements"][1] == {
        "name": "ADL internship",
        "weeks": 20,
        "hours_per_week": 16,
    }
    events = json.loads(cli.ok("trajectory", "events", tid, "--json").stdout)
    assert [e["version"] for e in events] == list(range(1, 16))
    assert {e["actor"] for e in events} == {"coach-test"}
    assert "TrajectoryClosed" in cli.ok("trajectory", "events", tid).stdout
    assert_user_error(cli("trajectory", "start-learning", tid), f"trajectory {tid} is closed")


def test_show_masks_the_candidate_unless_asked(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    start(cli, tid, "--route", "wijkleerbedrijf", "--programme", "werkfit", "--jobs", "3")
    map_and_match(cli, tid)
    shown = cli.ok("trajectory", "show", tid)
    assert "wijkleerbedrijf" in shown.stdout and "3/4-agreement-and-match" in shown.stdout
    assert f.CANDIDATE_BSN not in shown.output and "Zwanenburg" not in shown.output
    assert "***" in shown.stdout
    personal = cli.ok("trajectory", "show", tid, "--show-personal").stdout
    assert f.CANDIDATE_BSN in personal and "Zwanenburg" in personal

    masked = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)
    assert masked["candidate"]["personal"] == {"name": "***", "bsn": "***"}
    assert masked["programme"]["programme_id"] == "werkfit"
    unmasked = json.loads(cli.ok("trajectory", "show", tid, "--json", "--show-personal").stdout)
    assert unmasked["candidate"]["personal"]["bsn"] == f.CANDIDATE_BSN

    agree_and_learn(cli, tid, "--training-paid-by-employer")
    result = cli.ok("trajectory", "record-follow-on-education", tid, "--institute", "ROC",
                    "--course", "BBL level 3")  # fmt: skip
    assert "FollowOnEducationStarted, TrajectoryClosed" in result.stdout
    state = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)
    assert state["outcome_type"] == "education"
    assert all(t["paid_by_employer"] for t in state["agreement"]["training"])
    # What the worker logged about this trajectory holds no personal data.
    log = cli.worker_log.read_text()
    assert tid in log
    assert f.CANDIDATE_BSN not in log and "Zwanenburg" not in log


def test_refusals_and_unknown_ids_are_one_line(cli: Cli, fresh_id: str) -> None:
    far = (date.today() + timedelta(days=800)).isoformat()
    result = cli("trajectory", "start", "--employer", "e1", "--function", "Orderpicker",
                 "--expected-date", far, "--skill", "picking")  # fmt: skip
    assert_user_error(result, f"the expected date {far} is more than 24 months ahead")
    for args in (["show", "traj-unknown"], ["events", "traj-unknown"],
                 ["start-learning", "traj-unknown"]):  # fmt: skip
        assert_user_error(cli("trajectory", *args), "no trajectory with id traj-unknown")
    start(cli, fresh_id)
    assert_user_error(
        cli("trajectory", "start-placement", fresh_id, "--name", "intro", "--hours", "16"),
        "no placement before an agreement",
    )
    again = cli("trajectory", "start", "--id", fresh_id, "--employer", "e1", "--function", "x",
                "--expected-date", in_days(100), "--skill", "y")  # fmt: skip
    assert_user_error(again, f"trajectory {fresh_id} already exists")


def test_list_shows_the_started_ones(cli: Cli, fresh_id: str) -> None:
    running, closed = fresh_id, f"{fresh_id}-b"
    start(cli, running)
    start(cli, closed)
    cli.ok("trajectory", "end", closed, "--reason", "no-suitable-candidate")
    deadline = time.monotonic() + LIST_TIMEOUT
    while True:
        listed = json.loads(cli.ok("trajectory", "list", "--all", "--json").stdout)
        rows = {r["trajectory_id"]: r for r in listed}
        if {running, closed} <= rows.keys() and rows[closed]["status"] == "completed":
            break
        assert time.monotonic() < deadline, rows
        time.sleep(0.3)
    assert rows[running]["step"] == "1-future-job-in-view"
    assert rows[running]["status"] == "running" and rows[closed]["step"] == "closed"
    open_only = cli.ok("trajectory", "list").stdout
    assert running in open_only and closed not in open_only


def test_the_console_script_against_the_worker(cli: Cli, tmp_path: Path) -> None:
    """The installed `nbm` itself: exit codes and stderr as a shell sees them."""
    nbm = Path(sys.executable).parent / "nbm"
    env = {k: v for k, v in {**os.environ, **cli.env}.items() if v is not None}
    proc = subprocess.run(
        [str(nbm), "trajectory", "show", "traj-nowhere"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stderr == "error: no trajectory with id traj-nowhere\n"
    proc = subprocess.run(
        [str(nbm), "trajectory", "list", "--json"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert isinstance(json.loads(proc.stdout), list)
