"""The options the method's rules need, end to end through the worker: dated commands, an
amended agreement, the conversation on practical matters, and a benefit that does not apply.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from domain import trajectory
from domain.shared import COACH_TIME_ZONE
from nbm.cli._common import CliError, parse_effective
from nbm.cli.trajectory._match import practical_matters

from .conftest import Cli, assert_user_error
from .test_against_worker import agree_and_learn, in_days, map_and_match, start

NOW = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)


def test_an_effective_date_is_nine_in_the_morning_in_amsterdam() -> None:
    moment = parse_effective("2026-11-27", now=NOW)
    assert moment == datetime(2026, 11, 27, 9, tzinfo=COACH_TIME_ZONE)
    assert parse_effective("2026-11-27T16:45", now=NOW) == datetime(
        2026, 11, 27, 16, 45, tzinfo=COACH_TIME_ZONE
    )
    assert parse_effective("2026-11-27T16:45+00:00", now=NOW) == datetime(
        2026, 11, 27, 16, 45, tzinfo=UTC
    )
    early = NOW.replace(hour=6)  # 07:00 in Amsterdam: nine o'clock today is still to come
    assert parse_effective("2026-12-01", now=early) == early
    assert parse_effective(None) is None
    with pytest.raises(CliError, match="--effective: 'last friday' is not a date or time"):
        parse_effective("last friday")


def test_practical_matters_from_the_options() -> None:
    s = trajectory.PracticalStatus
    b = trajectory.Barrier
    named = {s.TO_SOLVE: [b.DEBTS], s.NOT_APPLICABLE: [b.LANGUAGE], s.NO_PROBLEM: []}
    matters = practical_matters(named, s.NO_PROBLEM)
    assert len(matters) == len(b)
    status = {m.barrier: m.status for m in matters}
    assert (status[b.DEBTS], status[b.LANGUAGE], status[b.HEALTH]) == (
        s.TO_SOLVE,
        s.NOT_APPLICABLE,
        s.NO_PROBLEM,
    )
    with pytest.raises(CliError, match=r"not given: communication, ict-skills.*--other-matters"):
        practical_matters(named, None)
    with pytest.raises(CliError, match="debts is given twice, as to-solve and as no-problem"):
        practical_matters({s.TO_SOLVE: [b.DEBTS], s.NO_PROBLEM: [b.DEBTS]}, None)


def history(cli: Cli, tid: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = json.loads(cli.ok("audit", "history", tid, "--json").stdout)
    return rows


def test_a_command_dated_when_it_happened_keeps_both_times(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    today = datetime.now(COACH_TIME_ZONE).date()
    days_ago = [(today - timedelta(days=n)).isoformat() for n in range(5)]
    start(cli, tid, "--effective", days_ago[3])  # a caseload entered with its history
    assert_user_error(
        cli("trajectory", "end", tid, "--reason", "moved-away", "--effective", days_ago[4]),
        "before the trajectory began",
    )
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert_user_error(
        cli("trajectory", "end", tid, "--reason", "moved-away", "--effective", tomorrow),
        "which is in the future",
    )
    cli.ok(
        "trajectory", "map-possibilities", tid, "--profile-skill", "ADL care",
        "--employer-role", "workplace", "--werkbedrijf-role", "work coach",
        "--guarantee-possible", "--learning-location", "at the employer",
        "--effective", days_ago[2],
    )  # fmt: skip
    assert_user_error(
        cli("trajectory", "end", tid, "--reason", "moved-away", "--effective", days_ago[3]),
        "record what happened in order",
    )
    rows = history(cli, tid)
    moments = [(r["effective_at"][:10], r["occurred_at"][:10]) for r in rows]
    assert [m[0] for m in moments] == [days_ago[3], days_ago[2]]
    assert {m[1] for m in moments} == {datetime.now(UTC).date().isoformat()}
    out = cli.ok("audit", "history", tid).stdout
    assert "took effect" in out  # the auditor sees both times


def test_the_agreement_is_amended_during_learning(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    start(cli, tid)
    map_and_match(cli, tid)
    agree_and_learn(cli, tid)
    before = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)
    cli.ok(
        "trajectory", "amend-agreement", tid, "--commitment", "intention-to-hire",
        "--weeks", "30", "--placement", "introduction:4:16", "--placement", "ADL internship:20:16",
        "--training", "ROC Flevoland:mbo 2 Helpende", "--budget", "5000",
        "--signed-by", "employer", "--signed-by", "werkbedrijf",
        "--signed-by", "training-institute", "--reason", "fewer places than estimated",
    )  # fmt: skip
    after = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)
    assert after["agreement"]["commitment"] == "intention-to-hire"
    ends = [datetime.fromisoformat(x["learning_ends_at"]) for x in (before, after)]
    assert ends[1] - ends[0] == timedelta(weeks=6)
    assert history(cli, tid)[-1]["why"].endswith(": [personal data]")  # the reason is sealed


def test_a_benefit_question_can_be_answered_as_not_applying(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    start(cli, tid)
    map_and_match(cli, tid)
    agree_and_learn(cli, tid)
    job = ["trajectory", "record-regular-job", tid, "--employer", "e1", "--hours", "32",
           "--start-date", in_days(7)]  # fmt: skip
    assert_user_error(cli(*job), "say whether the benefit ends")
    assert_user_error(cli(*job, "--no-benefit", "--benefit-ended"), "not two")
    cli.ok(*job, "--no-benefit")
    job_row, checkpoints = history(cli, tid)[-2:]
    assert job_row["why"].endswith("benefit ended: does not apply")
    assert checkpoints["why"].startswith("checkpoints at 1 month (")


def test_times_are_shown_in_amsterdam_with_their_zone() -> None:
    from nbm.cli._common import when

    assert when(datetime(2026, 11, 20, 8, tzinfo=UTC)) == "2026-11-20 09:00:00 CET"
    assert when(datetime(2026, 7, 1, 7, tzinfo=UTC)) == "2026-07-01 09:00:00 CEST"


def test_a_compact_date_is_nine_in_the_morning_too() -> None:
    assert parse_effective("20261127", now=NOW) == datetime(2026, 11, 27, 9, tzinfo=COACH_TIME_ZONE)


def test_a_blank_text_says_so_in_words(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    start(cli, tid)
    line = assert_user_error(
        cli("trajectory", "end", tid, "--reason", "other", "--explanation", "   "),
        "--explanation: is empty; type the text, or leave the option out",
    )
    assert "Sealed" not in line and "constrained-str" not in line


def test_a_second_match_says_whom_it_replaces(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    start(cli, tid)
    map_and_match(cli, tid)
    first = json.loads(cli.ok("trajectory", "show", tid, "--json").stdout)["candidate"]
    again = cli.ok(
        "trajectory", "match", tid, "--name", "Anne Bakker", "--bsn", "111222333",
        "--motivation-passed", "--information-meeting", "--language-level", "B1",
        "--other-matters", "no-problem",
    )  # fmt: skip
    assert f"replaces candidate {first['candidate_ref']} on this trajectory" in again.stderr
