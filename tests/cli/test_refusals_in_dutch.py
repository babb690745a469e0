"""A refusal reaches the coach in Dutch by default and in English with `NBM_LANG=en`, through
the real stack: the domain's template crosses Temporal in the failure's details (a workflow's
update validator), the services keep it, and the CLI translates it (`nbm.localize`).

Each case is run twice, in both languages: one line on stderr, exit code 1, no traceback."""

from __future__ import annotations

import time
from datetime import timedelta

from typer.testing import Result

from tests.factories import coach_today

from .conftest import Cli, invoke
from .test_against_worker import start


def in_days(days: int) -> str:
    return (coach_today() + timedelta(days=days)).isoformat()


def refused(cli: Cli, lang: str, *args: str) -> str:
    """The one error line of `nbm args` in `lang`."""
    result: Result = invoke(args, {**cli.env, "NBM_LANG": lang})
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_unknown_trajectory_in_both_languages(cli: Cli) -> None:
    args = ("trajectory", "show", "traj-nobody-here")
    assert refused(cli, "nl", *args) == "fout: geen traject met id traj-nobody-here"
    assert refused(cli, "en", *args) == "error: no trajectory with id traj-nobody-here"


def test_a_command_in_the_wrong_step_refused_by_the_workflow(cli: Cli, fresh_id: str) -> None:
    start(cli, fresh_id)
    # Refused in the workflow's update validator, on the worker: the template crosses over.
    args = ("trajectory", "start-learning", fresh_id)
    assert refused(cli, "nl", *args) == (
        "fout: geen inleertraject vóór een match: koppel eerst een kandidaat (stap 4)"
    )
    assert refused(cli, "en", *args) == (
        "error: no learning before a match: match a candidate first (step 4)"
    )
    again = ("trajectory", "start", "--id", fresh_id, "--employer", "e1", "--function", "x",
             "--expected-date", in_days(100), "--skill", "y")  # fmt: skip
    assert refused(cli, "nl", *again) == f"fout: traject {fresh_id} bestaat al"
    assert refused(cli, "en", *again) == f"error: trajectory {fresh_id} already exists"


def test_a_start_refused_before_it_is_sent(cli: Cli) -> None:
    """Checked in the CLI's own process (`check_start`): the same template, the same path."""
    far = in_days(800)
    args = ("trajectory", "start", "--employer", "e1", "--function", "Orderpicker",
            "--expected-date", far, "--skill", "picking")  # fmt: skip
    assert refused(cli, "nl", *args) == (
        f"fout: de verwachte datum {far} ligt meer dan 24 maanden vooruit; alleen banen die "
        "binnen twee jaar verwacht worden tellen als toekomstige baan"
    )
    assert refused(cli, "en", *args).startswith(
        f"error: the expected date {far} is more than 24 months ahead"
    )


def test_the_other_streams_refuse_in_dutch_too(cli: Cli) -> None:
    """The people directory's workflow (the shared shell's validator) and an unknown stream,
    whose kind is a phrase translated inside the message."""
    sup = f"sup-{str(time.monotonic_ns())[-8:]}"
    add = ("people", "add", sup, "--role", "supervisor", "--name", "Petra Leiding",
           "--email", "petra@wb.example")  # fmt: skip
    cli.ok(*add)
    line = refused(cli, "nl", *add)
    assert line == f"fout: {sup} staat al in de personenlijst"
    assert "Petra" not in line and "petra@" not in line  # never the personal data
    assert refused(cli, "en", *add) == f"error: {sup} is in the directory already"
    show = ("employer", "show", "emp-nobody-here")
    assert refused(cli, "nl", *show) == "fout: geen werkgever met id emp-nobody-here"
    assert refused(cli, "en", *show) == "error: no employer with id emp-nobody-here"


def test_a_broken_rule_of_an_option_in_dutch_names_the_option_not_the_value(
    offline_env: dict[str, str | None],
) -> None:
    """pydantic's rule, told by its type before anything is sent: no server needed."""
    args = ("trajectory", "extend-learning", "traj-1", "--weeks", "0", "--reason", "practice")
    result = invoke(args, {**offline_env, "NBM_LANG": "nl"})
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == ["fout: ongeldig commando: --weeks: moet minstens 1 zijn"]
    result = invoke(args, {**offline_env, "NBM_LANG": "en"})
    assert result.stderr.splitlines() == [
        "error: invalid command: --weeks: Input should be greater than or equal to 1"
    ]
