"""`nbm trajectory timeline` against the real worker: every event with its dates, step and
actor; the free texts sealed unless the coach opens them, and that reading logged."""

from __future__ import annotations

import json

from .conftest import Cli, assert_user_error
from .test_against_worker import agree_and_learn, map_and_match, start

SUMMARY = "Moeite met vroeg opstaan door de zorg voor haar moeder"


def test_the_timeline_shows_each_step_and_opens_free_texts_only_on_request(
    cli: Cli, fresh_id: str
) -> None:
    start(cli, fresh_id)
    map_and_match(cli, fresh_id)
    agree_and_learn(cli, fresh_id)
    cli.ok("trajectory", "record-evaluation", fresh_id, "--verdict", "concerns",
           "--employer-present", "--summary", SUMMARY)  # fmt: skip

    rows = json.loads(cli.ok("trajectory", "timeline", fresh_id, "--json").stdout)
    assert [r["type"] for r in rows][:2] == ["TrajectoryStarted", "PossibilitiesMapped"]
    assert [r["version"] for r in rows] == list(range(1, len(rows) + 1))
    steps = [r["step"] for r in rows]
    assert steps[0] == "1-future-job-in-view" and steps[1] == "2-possibilities-mapped"
    assert "5-learning-in" in steps
    assert {r["actor"] for r in rows} == {"coach-test"}
    assert all(r["effective_at"] and r["occurred_at"] for r in rows)
    evaluation = next(r for r in rows if r["type"] == "EvaluationRecorded")
    assert "personal" not in evaluation
    plain = cli.ok("trajectory", "timeline", fresh_id).stdout
    assert "Moeite" not in plain
    assert "EvaluationRecorded" in plain

    ref = next(r for r in rows if r["type"] == "CandidateMatched")  # the match seals with it
    before = json.loads(cli.ok("audit", "access-log", "--json").stdout)
    opened = json.loads(
        cli.ok("trajectory", "timeline", fresh_id, "--show-personal", "--json").stdout
    )
    evaluation = next(r for r in opened if r["type"] == "EvaluationRecorded")
    assert evaluation["personal"] == {"summary": SUMMARY}
    after = json.loads(cli.ok("audit", "access-log", "--json").stdout)
    assert len(after) == len(before) + 1  # one key opened, its reading logged first
    assert after[-1]["actor"] == "coach-test" and after[-1]["purpose"] == "coaching"
    assert ref["version"] < evaluation["version"]
    table = cli.ok("trajectory", "timeline", fresh_id, "--show-personal").stdout
    assert "moeder" in table  # the summary, folded into its narrow column


def test_the_timeline_of_an_unknown_trajectory_is_one_line(cli: Cli, fresh_id: str) -> None:
    assert_user_error(cli("trajectory", "timeline", fresh_id), fresh_id)
    usage = cli("trajectory", "timeline", "not an id")  # a usage error (exit 2, or 1 in Dutch)
    assert usage.exit_code != 0 and "Traceback" not in usage.output
