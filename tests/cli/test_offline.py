"""What the CLI decides before it talks to a server: parsing, help, the one-line errors."""

from __future__ import annotations

import json
import re
import sys
import typing
from pathlib import Path

import pytest
import typer.main
from pydantic import ValidationError

from domain import trajectory
from domain.shared import PersonalData
from nbm import programmes
from nbm.cli import _common
from nbm.cli import trajectory as trajectory_cli
from nbm.cli.trajectory._coach import parse_placement, parse_training
from nbm.cli.trajectory._lifecycle import new_trajectory_id
from tests import factories as f

from .conftest import assert_user_error, invoke

START = [
    "trajectory", "start", "--employer", "zorgcentrum", "--function", "Helpende zorg",
    "--skill", "ADL care",
]  # fmt: skip


# The noun's commands as the user sees them: gathered from its parts by `add_typer`.
TRAJECTORY_COMMANDS = typer.main.get_command(trajectory_cli.app).commands  # type: ignore[attr-defined]

DUTCH_TERMS = {
    "start": "toekomstige baan in beeld",
    "map-possibilities": "mogelijkheden in kaart",
    "establish-agreement": "inleertraject vastgesteld",
    "match": "match baan-kandidaat",
    "start-learning": "kandidaat leert in",
    "record-regular-job": "reguliere baan",
    "record-follow-up": "nazorg",
    "record-checkpoint": "nazorgmoment",
    "record-wage-value-reassessment": "herbeoordeling loonwaarde",
    "end": "Beëindig het traject",
}


@pytest.mark.parametrize("command", sorted(TRAJECTORY_COMMANDS))
def test_every_command_has_help_in_dutch_with_the_method_s_term(command: str) -> None:
    english = invoke(["trajectory", command, "--help"], {"NBM_LANG": "en"})
    dutch = invoke(["trajectory", command, "--help"], {"NBM_LANG": "nl"})
    assert english.exit_code == 0 and dutch.exit_code == 0, dutch.output
    assert dutch.stdout != english.stdout and "Gebruik:" in dutch.stdout
    assert DUTCH_TERMS.get(command, "") in " ".join(dutch.stdout.split())


def test_root_help() -> None:
    result = invoke(["--help"], {})
    assert result.exit_code == 0
    assert "re-integratietrajecten" in result.stdout and "--actor" in result.stdout


def test_every_coach_command_has_a_subcommand() -> None:
    """The CLI keeps up with the domain: a new coach command needs a new subcommand."""
    names = set(TRAJECTORY_COMMANDS)
    renamed = {"match-candidate": "match", "end-trajectory": "end"}
    union = typing.get_args(trajectory.CoachCommand)[0]
    kinds = {cls.model_fields["kind"].default for cls in typing.get_args(union)}
    assert len(kinds) == 20
    kinds = {renamed.get(k, k) for k in kinds}
    assert kinds <= names


def test_a_missing_option_is_a_usage_error_of_one_line() -> None:
    result = invoke(["future-job", "forecast", "--employer", "emp-1"], {})
    assert_user_error(
        result, "option --function is missing", "see 'root future-job forecast --help'"
    )


def test_a_start_needs_a_future_job_or_the_whole_job() -> None:
    result = invoke(["trajectory", "start", "--employer", "zorgcentrum"], {})
    assert result.exit_code == 1
    assert "give --future-job ID, or the job itself" in result.stderr


def test_an_invalid_choice_is_a_usage_error() -> None:
    result = invoke([*START, "--expected-date", "2027-01-01", "--route", "nowhere"], {})
    assert_user_error(result, "invalid value for --route: choose from small-scale-growth")


@pytest.mark.parametrize("value", ["2027-13-01", "01-02-2027", "next year"])
def test_a_bad_date_is_one_line(value: str, offline_env: dict[str, str | None]) -> None:
    result = invoke([*START, "--expected-date", value], offline_env)
    assert_user_error(result, "--expected-date", "YYYY-MM-DD")


def test_no_server_configured_is_one_line(offline_env: dict[str, str | None]) -> None:
    result = invoke(["trajectory", "show", "traj-1"], offline_env)
    assert_user_error(result, "no Temporal server", "TEMPORAL_ADDRESS")


def test_an_unreachable_server_is_one_line(offline_env: dict[str, str | None]) -> None:
    env = {**offline_env, "TEMPORAL_ADDRESS": "127.0.0.1:1"}
    result = invoke(["trajectory", "list"], env)
    assert_user_error(result, "cannot connect to Temporal at 127.0.0.1:1")


def test_an_unknown_programme_is_one_line(offline_env: dict[str, str | None]) -> None:
    result = invoke([*START, "--expected-date", "2027-06-01", "--programme", "x"], offline_env)
    assert_user_error(result, "--programme", "unknown programme 'x'", "standard")


def test_a_refused_value_names_the_option(offline_env: dict[str, str | None]) -> None:
    args = [*START, "--expected-date", "2027-06-01", "--jobs", "0"]
    assert_user_error(invoke(args, offline_env), "--jobs")


@pytest.mark.parametrize(
    "typed", ["bad id here", "traj-123", "BSN-123456782", "traj-0123456789ab-x"]
)
def test_ids_are_the_tools_own(offline_env: dict[str, str | None], typed: str) -> None:
    # An id is opaque: one a user makes up (a client number, a BSN) is refused, unechoed
    # beyond a short excerpt; another system's reference goes sealed into --external-ref.
    args = [*START, "--expected-date", "2027-06-01", "--id", typed]
    line = assert_user_error(invoke(args, offline_env), "--id", "not a reference this tool made")
    match = ["trajectory", "match", "traj-0123456789ab", "--candidate", typed, "--name", "A B",
             "--bsn", f.CANDIDATE_BSN, "--motivation-passed"]  # fmt: skip
    assert_user_error(invoke(match, offline_env), "--candidate", "--external-ref")
    assert len(line) < 250


def test_a_bad_bsn_is_refused_without_echoing_it(offline_env: dict[str, str | None]) -> None:
    args = [
        "trajectory", "match", "traj-1", "--name", f.CANDIDATE_NAME,
        "--bsn", "123456789", "--motivation-passed",
    ]  # fmt: skip
    line = assert_user_error(invoke(args, offline_env), "--bsn", "eleven-test")
    assert "123456789" not in line and f.CANDIDATE_NAME not in line


def test_a_bad_placement_is_one_line(offline_env: dict[str, str | None]) -> None:
    args = [
        "trajectory", "establish-agreement", "traj-1", "--commitment", "job-guarantee",
        "--weeks", "12", "--placement", "intro:4", "--budget", "5000", "--signed-by", "employer",
    ]  # fmt: skip
    assert_user_error(invoke(args, offline_env), "--placement", "NAME:WEEKS:HOURS")
    args[-5] = "intro:4:60"
    assert_user_error(invoke(args, offline_env), "--placement hours_per_week")


def test_a_bad_actor_is_one_line(offline_env: dict[str, str | None]) -> None:
    result = invoke(["--actor", "jan jansen", "trajectory", "show", "traj-1"], offline_env)
    assert_user_error(result, "--actor")


def test_programme_list_needs_no_server(offline_env: dict[str, str | None]) -> None:
    result = invoke(["programme", "list", "--json"], offline_env)
    assert result.exit_code == 0
    assert {p["programme_id"] for p in json.loads(result.stdout)} == set(programmes.catalogue())
    assert "demo" in invoke(["programme", "list"], offline_env).stdout


def test_placement_and_training_specs() -> None:
    assert parse_placement("ADL: internship:8:16") == {
        "name": "ADL: internship",
        "weeks": 8,
        "hours_per_week": 16,
    }
    assert parse_training("ROC:mbo 2", paid_by_employer=False)["paid_by_employer"] is False
    paid = parse_training("Taalhuis:NT2:employer", paid_by_employer=False)
    assert paid == {"institute": "Taalhuis", "course": "NT2", "paid_by_employer": True}
    with pytest.raises(_common.CliError, match="INSTITUTE:COURSE"):
        parse_training("ROC", paid_by_employer=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("anna", "anna"), ("Anna de Vries", "Anna-de-Vries"), ("_svc", "svc"), ("!!", "coach")],
)
def test_the_os_user_becomes_a_valid_actor(name: str, expected: str) -> None:
    assert _common.sanitise_actor(name) == expected
    assert _common.check_actor(_common.sanitise_actor(name))


def test_validation_errors_never_hold_the_input() -> None:
    with pytest.raises(ValidationError) as caught:
        PersonalData(name=" ", bsn="987654321")
    message = _common.describe_validation_error(caught.value)
    assert "987654321" not in message
    assert message.startswith("invalid command: ")


def test_new_ids_are_random_and_valid() -> None:
    first, second = new_trajectory_id(), new_trajectory_id()
    assert first != second and re.fullmatch(r"traj-[0-9a-f]{12}", first)


def test_the_console_script_is_installed() -> None:
    assert (Path(sys.executable).parent / "nbm").exists()


def test_flag_help_shows_no_bool_and_a_missing_pair_names_both_halves() -> None:
    helped = invoke(["trajectory", "record-evaluation", "--help"], {})
    assert (
        "<bool>" not in helped.stdout and "--employer-present / --employer-absent" in helped.stdout
    )
    missing = invoke(["trajectory", "record-evaluation", "traj-1", "--verdict", "on-track"], {})
    assert_user_error(missing, "option --employer-present / --employer-absent is missing")


def test_a_bad_number_of_weeks_names_the_option(offline_env: dict[str, str | None]) -> None:
    args = ["trajectory", "extend-learning", "traj-1", "--weeks", "0", "--reason", "practice"]
    line = assert_user_error(invoke(args, offline_env), "--weeks: Input should be greater than")
    assert "Sealed" not in line
