"""Retrying a command from the CLI: the request id it printed makes the retry safe."""

from __future__ import annotations

import json
import re

import click
import pytest
from temporalio.testing import WorkflowEnvironment

from nbm.cli._common import repeat_command
from tests import factories as f

from .conftest import Cli, assert_user_error, invoke
from .test_against_worker import agree_and_learn, in_days, map_and_match, start


def test_extending_twice_with_one_request_id_extends_once(cli: Cli, fresh_id: str) -> None:
    start(cli, fresh_id)
    map_and_match(cli, fresh_id)
    agree_and_learn(cli, fresh_id)
    weeks = json.loads(cli.ok("trajectory", "show", fresh_id, "--json").stdout)["learning_weeks"]
    command = ["trajectory", "extend-learning", fresh_id, "--weeks", "2", "--reason", "VCA exam"]
    first = cli.ok(*command).stdout
    (request_id,) = re.findall(r"\(request (req-[0-9a-f]+)\)", first)  # printed
    again = cli.ok(*command, "--request-id", request_id).stdout
    assert again == first  # the first answer, word for word
    shown = json.loads(cli.ok("trajectory", "show", fresh_id, "--json").stdout)
    assert shown["learning_weeks"] == weeks + 2  # not + 4
    cli.ok(*command)  # without it: a new request, applied again
    shown = json.loads(cli.ok("trajectory", "show", fresh_id, "--json").stdout)
    assert shown["learning_weeks"] == weeks + 4


def test_a_refused_match_leaves_no_key_behind(cli: Cli, fresh_id: str) -> None:
    start(cli, fresh_id)  # step 1: a match needs the possibilities mapped first
    for _ in range(3):
        refused = cli(
            "trajectory", "match", fresh_id, "--candidate", "cand-0123456789ab",
            "--name", f.CANDIDATE_NAME, "--bsn", f.CANDIDATE_BSN, "--motivation-passed",
            "--other-matters", "no-problem",
        )  # fmt: skip
        assert_user_error(refused, "map the possibilities first")
    assert_user_error(cli("candidate", "status", "cand-0123456789ab"), "no key for candidate")


def test_a_bad_request_id_is_refused_before_anything_is_sent(cli: Cli, fresh_id: str) -> None:
    result = cli("trajectory", "start-learning", fresh_id, "--request-id", "no spaces\x1b[31m")
    line = assert_user_error(result, "--request-id: must be an id")
    assert "\x1b" not in line


@pytest.mark.timeout(60)
def test_no_answer_in_time_is_one_line_with_the_command_to_repeat(
    dev_env: WorkflowEnvironment, cli: Cli
) -> None:
    # A task queue no worker polls: the start is accepted by the server but never answered.
    env = {**cli.env, "NBM_TASK_QUEUE": "tq-nobody-polls", "NBM_REQUEST_TIMEOUT": "2"}
    args = [
        "trajectory", "start", "--employer", f.EMPLOYER, "--function", "Helpende zorg",
        "--expected-date", in_days(300), "--skill", "ADL care",
    ]  # fmt: skip
    line = assert_user_error(invoke(args, env), "no answer in time", "may still be applied")
    (repeat,) = re.findall(r"To repeat it safely: (.*)$", line)
    assert repeat.startswith("nbm trajectory start --employer")
    assert re.search(r"--id traj-[0-9a-f]+ --request-id req-[0-9a-f]+$", repeat)


def test_the_repeat_line_leaves_personal_data_out() -> None:
    ctx = click.Context(click.Command("nbm"))
    ctx.meta["nbm.argv"] = [
        "trajectory", "match", "traj-1", "--candidate", "cand-1", "--name", f.CANDIDATE_NAME,
        f"--bsn={f.CANDIDATE_BSN}", "--skill", "care\x1b[2J", "--request-id", "req-old",
    ]  # fmt: skip
    line = repeat_command(ctx, "req-1")
    assert line == (
        "nbm trajectory match traj-1 --candidate cand-1 --name … --bsn=… "
        "--skill 'care\\x1b[2J' --request-id req-1 (with the personal data typed again for each …)"
    )
