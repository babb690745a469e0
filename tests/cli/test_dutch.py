"""The tool speaks Dutch by default: every command's bad input ends with one Dutch line
(`fout: ...`), exit code 1 and no traceback; `--lang en` / `NBM_LANG=en` speak English;
every read command answers `--json`; the shell can complete `nbm`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import Result

from nbm.cli import app
from nbm.settings import PROJECT_ROOT
from tests.factories import coach_today

from .conftest import Cli, invoke


def _leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            yield from _leaves(sub, (*path, name))
    else:
        yield path, command


LEAVES = list(_leaves(get_command(app)))
WITH_REQUIRED = [path for path, command in LEAVES if any(p.required for p in command.params)]

READ_WORDS = frozenset(
    ("list", "show", "status", "events", "history", "as-of", "check", "verify", "log",
     "vocabulary", "caseload", "outcomes", "projections", "access-log", "candidates", "jobs",
     "replay", "timeline", "search", "statistics")
)  # fmt: skip
"""A command named so only reads: it must answer `--json` for scripts."""


def assert_dutch_error(result: Result, *expected: str) -> str:
    """Exit code 1, one line `fout: ...` on stderr holding `expected`, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fout: "), lines[0]
    for text in expected:
        assert text in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def dutch(env: dict[str, str | None]) -> dict[str, str | None]:
    return {**env, "NBM_LANG": "nl"}


def test_the_tree_has_commands_with_required_input() -> None:
    assert len(WITH_REQUIRED) > 40  # the walk sees the whole tree


@pytest.mark.parametrize("path", WITH_REQUIRED, ids=" ".join)
def test_a_command_without_its_required_input_says_so_in_one_dutch_line(
    path: tuple[str, ...], offline_env: dict[str, str | None]
) -> None:
    line = assert_dutch_error(invoke(path, dutch(offline_env)), "ontbreekt", "--help")
    assert "Missing" not in line and "Usage" not in line
    assert f"zie 'root {' '.join(path)} --help'" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["trajectory", "show", "traj 1"], "is geen trajectory id"),
        (["trajectory", "record-evaluation", "traj-1", "--verdict", "great",
          "--employer-present"], "kies uit on-track"),
        (["trajectory", "start", "--jobs", "many"], "moet een geheel getal zijn"),
        (["trajectory", "show", "--bogus"], "onbekende optie '--bogus'"),
        (["trajectory", "bogus"], "onbekend commando 'bogus'; zie"),
        (["trajectroy", "list"], "onbekend commando 'trajectroy' (bedoelt u 'trajectory'?)"),
        (["trajectory", "show", "traj-1", "Jan", "de", "Vries"], "3 onverwachte extra argumenten"),
        (["future-job", "forecast", "--employer", "emp-1", "--function", "Helpende",
          "--skill", "zorg", "--expected-date", "2027-13-01"], "geen datum"),
        (["trajectory", "list", "--coach"], "optie --coach vraagt een waarde"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else v,
)  # fmt: skip
def test_a_malformed_value_is_one_dutch_line(
    args: list[str], expected: str, offline_env: dict[str, str | None]
) -> None:
    line = assert_dutch_error(invoke(args, dutch(offline_env)), expected)
    assert "Vries" not in line  # words left over (a name without quotes) are not repeated


def test_a_personal_option_s_value_is_never_repeated(offline_env: dict[str, str | None]) -> None:
    result = invoke(["trajectory", "match", "traj-1", "--name", "Jan de Vries", "--bsn"],
                    dutch(offline_env))  # fmt: skip
    line = assert_dutch_error(result, "--bsn")
    assert "Jan" not in line


def test_english_with_lang_en_or_nbm_lang_en(offline_env: dict[str, str | None]) -> None:
    args = ["trajectory", "show"]
    by_option = invoke(["--lang", "en", *args], {**offline_env, "NBM_LANG": None})
    by_variable = invoke(args, {**offline_env, "NBM_LANG": "en"})
    for result in (by_option, by_variable):
        assert result.exit_code == 1
        assert result.stderr.startswith("error: argument TRAJECTORY_ID is missing; see ")


def test_dutch_without_nbm_lang(offline_env: dict[str, str | None]) -> None:
    result = invoke(["trajectory", "show"], {**offline_env, "NBM_LANG": None})
    assert_dutch_error(result, "argument TRAJECTORY_ID ontbreekt")
    helped = invoke(["trajectory", "--help"], {**offline_env, "NBM_LANG": None})
    assert helped.exit_code == 0
    assert "Gebruik:" in helped.stdout and "Toon deze hulptekst en stop." in helped.stdout


def test_an_unknown_language_is_one_line_in_both(offline_env: dict[str, str | None]) -> None:
    result = invoke(["--lang", "xx", "trajectory", "list"], offline_env)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "onbekende taal / unknown language 'xx'" in lines[0]


def test_a_group_without_its_command_prints_its_help(offline_env: dict[str, str | None]) -> None:
    result = invoke(["trajectory"], dutch(offline_env))
    assert result.exit_code == 0
    assert "Gebruik: root trajectory" in result.stdout and "Commando's:" in result.stdout


def test_dutch_in_a_process_of_its_own(tmp_path: Path) -> None:
    """The console script, as a coach runs it: the language read before anything else."""
    env = {**os.environ, "NBM_DATA_DIR": str(tmp_path)}
    env.pop("NBM_LANG", None)
    env.pop("TEMPORAL_ADDRESS", None)
    nbm = str(Path(sys.executable).parent / "nbm")
    done = subprocess.run([nbm, "future-job", "forecast"], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (
        "fout: optie --employer ontbreekt; zie 'nbm future-job forecast --help'\n"
    )
    # Typer's own words come through gettext, bound to the same catalogue.
    helped = subprocess.run([nbm, "trajectory", "--help"], env=env, cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert helped.returncode == 0
    for word in ("Gebruik: nbm trajectory", "Opties:", "Commando's:", "Toon deze hulptekst"):
        assert word in helped.stdout, word


@pytest.mark.parametrize("path", [p for p, _ in LEAVES if p[-1] in READ_WORDS], ids=" ".join)
def test_every_read_command_answers_json(path: tuple[str, ...]) -> None:
    command = dict(LEAVES)[path]
    assert any("--json" in p.opts for p in command.params), f"nbm {' '.join(path)}: no --json"


def test_the_bash_completion_script(offline_env: dict[str, str | None]) -> None:
    result = invoke(["completion", "bash"], offline_env)
    assert result.exit_code == 0
    assert "_nbm_completion" in result.stdout and "complete -o default" in result.stdout
    assert "_NBM_COMPLETE" in result.stdout
    refused = invoke(["completion", "tcsh"], dutch(offline_env))
    assert_dutch_error(refused, "kies uit bash, zsh, fish, powershell")


def test_the_shell_completes_commands_for_real() -> None:
    """What the script asks `nbm` for when Tab is pressed after `nbm trajectory sh`."""
    env = {**os.environ, "_NBM_COMPLETE": "complete_bash", "COMP_WORDS": "nbm trajectory sh",
           "COMP_CWORD": "2"}  # fmt: skip
    nbm = str(Path(sys.executable).parent / "nbm")
    done = subprocess.run([nbm], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.split() == ["show"]


@pytest.mark.parametrize(
    "args",
    [
        ["trajectory", "show", "traj-000000000000"],
        ["future-job", "show", "fj-000000000000"],
        ["tasks", "show", "task-000000000000"],
    ],
    ids=" ".join,
)
def test_an_unknown_id_against_the_stack_is_one_dutch_line(cli: Cli, args: list[str]) -> None:
    assert_dutch_error(invoke(args, dutch(cli.env)))


def test_the_shell_completes_a_running_trajectory_s_id(cli: Cli, fresh_id: str) -> None:
    """Tab after `nbm trajectory show traj-…`: the running trajectories' ids, from the stack."""
    cli.ok("trajectory", "start", "--id", fresh_id, "--employer", "zorgcentrum", "--function",
           "Helpende zorg", "--expected-date", str(coach_today() + timedelta(days=200)),
           "--skill", "ADL care")  # fmt: skip
    env = {**os.environ, **{k: v for k, v in cli.env.items() if v is not None},
           "_NBM_COMPLETE": "complete_bash", "COMP_WORDS": f"nbm trajectory show {fresh_id[:9]}",
           "COMP_CWORD": "3"}  # fmt: skip
    nbm = str(Path(sys.executable).parent / "nbm")
    deadline = time.monotonic() + 20  # the server's list of workflows follows a moment later
    while True:
        done = subprocess.run([nbm], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        if fresh_id in done.stdout.split() or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert fresh_id in done.stdout.split()
    assert all(word.startswith(fresh_id[:9]) for word in done.stdout.split())


def test_the_timeline_tells_the_events_in_dutch(cli: Cli, fresh_id: str) -> None:
    cli.ok("trajectory", "start", "--id", fresh_id, "--employer", "zorgcentrum", "--function",
           "Helpende zorg", "--expected-date", str(coach_today() + timedelta(days=200)),
           "--skill", "ADL care")  # fmt: skip
    dutch = invoke(["audit", "history", fresh_id], {**cli.env, "NBM_LANG": "nl", "COLUMNS": "200"})
    assert dutch.exit_code == 0, dutch.output
    assert "programma standard (versie" in dutch.stdout
    assert "toekomstige baan Helpende zorg bij zorgcentrum" in dutch.stdout
    english = invoke(["audit", "history", fresh_id], {**cli.env, "COLUMNS": "200"})
    assert "future job Helpende zorg at zorgcentrum" in english.stdout


@pytest.mark.parametrize("args", [["--help"], []])
def test_the_root_help_says_gebruik_too(
    args: list[str], offline_env: dict[str, str | None]
) -> None:
    """Found by a trial: the root's own help kept click's `Usage:` (its context is made
    before the language is read)."""
    result = invoke(args, {**offline_env, "NBM_LANG": "nl"})
    assert result.exit_code == 0
    assert result.stdout.startswith("Gebruik: ")  # (CliRunner names the program `root`)
    english = invoke(args, {**offline_env, "NBM_LANG": "en"})
    assert english.stdout.startswith("Usage: ")
