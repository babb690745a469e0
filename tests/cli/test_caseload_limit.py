"""The hard caseload limit at `nbm trajectory start`, against the real worker: refused past
the limit in one line, allowed by a supervisor above the coach (and recorded in the start),
refused for a made-up or a wrong supervisor; `nbm people set-caseload-limit`."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import asyncpg
import pytest
from temporalio.testing import WorkflowEnvironment

from domain import trajectory
from nbm import caseload_limit
from tests import factories as f

from .conftest import Cli, assert_user_error
from .test_against_worker import in_days

VISIBILITY_TIMEOUT = 10.0  # seconds; the server's count (visibility) trails a start slightly


def _start_args(coach: str, *extra: str) -> list[str]:
    return [
        "trajectory", "start", "--coach", coach, "--employer", f.EMPLOYER,
        "--function", "Orderpicker", "--expected-date", in_days(300),
        "--skill", "orderpicken", *extra,
    ]  # fmt: skip


async def _until_counted(env: WorkflowEnvironment, cli: Cli, coach: str, n: int) -> None:
    """Until the server's visibility counts `n` open trajectories of `coach`."""
    deadline = time.monotonic() + VISIBILITY_TIMEOUT
    queue = str(cli.env["NBM_TASK_QUEUE"])
    while (counted := await caseload_limit.open_trajectories(env.client, queue, coach)) != n:
        assert time.monotonic() < deadline, counted
        await asyncio.sleep(0.2)


async def test_past_the_limit_only_with_a_supervisor_above_the_coach(
    cli: Cli, dev_env: WorkflowEnvironment, cli_database_url: str
) -> None:
    suffix = uuid.uuid4().hex[:8]
    sup, stranger, coach = f"sup-l{suffix}", f"sup-x{suffix}", f"coach-l{suffix}"
    for person, extra in ((sup, ()), (stranger, ())):
        cli.ok("people", "add", person, "--role", "supervisor", "--name", "Petra Leiding",
               "--email", "petra@wb.example", *extra)  # fmt: skip
    cli.ok("people", "add", coach, "--role", "coach", "--supervisor", sup,
           "--caseload-limit", "1", "--name", "Chris Coach", "--email", "c@wb.example")  # fmt: skip

    first = cli.ok(*_start_args(coach)).stdout.strip()
    await _until_counted(dev_env, cli, coach, 1)

    refused = cli(*_start_args(coach))
    assert_user_error(refused, f"coach {coach} has 1 open trajectories already (limit 1)",
                      "--override-by")  # fmt: skip
    dutch = cli.__class__(env={**cli.env, "NBM_LANG": "nl"}, worker_log=cli.worker_log,
                          mailer_log=cli.mailer_log)(*_start_args(coach))  # fmt: skip
    assert dutch.exit_code == 1 and len(dutch.stderr.splitlines()) == 1
    assert dutch.stderr.startswith(
        f"fout: coach {coach} heeft al 1 open trajecten (limiet 1); een leidinggevende kan dit "
        "toestaan met --override-by"
    )
    # A made-up supervisor, one who is not above this coach, and an override without reason.
    made_up = cli(*_start_args(coach, "--override-by", "sup-nobody", "--override-reason", "cover"))
    assert_user_error(made_up, "sup-nobody is not in the people directory")
    wrong = cli(*_start_args(coach, "--override-by", stranger, "--override-reason", "cover"))
    assert_user_error(wrong, f"{stranger} is not an active supervisor above coach {coach}")
    assert_user_error(cli(*_start_args(coach, "--override-by", sup)), "--override-reason")
    bad_code = cli(*_start_args(coach, "--override-by", sup, "--override-reason", "because"))
    assert bad_code.exit_code != 0 and "Traceback" not in bad_code.output

    allowed = cli.ok(*_start_args(coach, "--override-by", sup, "--override-reason", "cover"))
    second = allowed.stdout.strip()
    assert second != first
    # The start records who allowed it and why, for the auditors.
    conn = await asyncpg.connect(cli_database_url)
    try:
        payload = await conn.fetchval(
            "SELECT payload FROM events WHERE stream_id = $1 AND version = 1", second
        )
        plain = await conn.fetchval(
            "SELECT payload FROM events WHERE stream_id = $1 AND version = 1", first
        )
    finally:
        await conn.close()
    assert json.loads(payload)["caseload_override"] == {
        "by": sup, "reason": "cover", "open_trajectories": 1, "limit": 1,
    }  # fmt: skip
    assert "caseload_override" not in json.loads(plain)  # within the limit: nothing recorded
    (started, *_) = json.loads(cli.ok("trajectory", "timeline", second, "--json").stdout)
    assert started["caseload_override"]["by"] == sup
    assert started["caseload_override"]["reason"] == "cover"

    # The limit raised by the supervisor above the coach (not by anyone else): room again.
    assert_user_error(cli("people", "set-caseload-limit", coach, "3"), "only a supervisor")
    as_sup = cli.__class__(env={**cli.env, "NBM_ACTOR": sup}, worker_log=cli.worker_log,
                           mailer_log=cli.mailer_log)  # fmt: skip
    assert (
        f"{coach}: caseload limit 3" in as_sup.ok("people", "set-caseload-limit", coach, "3").stdout
    )
    assert_user_error(as_sup("people", "set-caseload-limit", "nobody-here", "3"), "nobody-here")
    assert_user_error(as_sup("people", "set-caseload-limit", stranger, "3"), "not a coach")
    await _until_counted(dev_env, cli, coach, 2)
    cli.ok(*_start_args(coach))
    listed = json.loads(cli.ok("people", "list", "--json").stdout)
    assert {p["person_id"]: p["caseload_limit"] for p in listed}[coach] == 3

    # Many starts in a row (nbm import): counted once, then up here; full at the limit.
    await _until_counted(dev_env, cli, coach, 3)
    budget = caseload_limit.CaseloadBudget(
        dev_env.client, str(cli.env["NBM_TASK_QUEUE"]), default_limit=35
    )
    with pytest.raises(caseload_limit.CaseloadFull):
        await budget.admit(coach)
    allowed_too = await budget.admit(coach, override_by=sup,
                                     reason=trajectory.OverrideReason.TRANSFER)  # fmt: skip
    assert allowed_too is not None and allowed_too.open_trajectories == 3
    with pytest.raises(caseload_limit.OverrideRefused):
        await budget.admit(coach, override_by=stranger, reason=trajectory.OverrideReason.COVER)
    other = f"coach-b{suffix}"  # not in the directory: the default limit, counted up locally
    for _ in range(35):
        assert await budget.admit(other) is None
    with pytest.raises(caseload_limit.CaseloadFull):
        await budget.admit(other)
    budget.release(other)
    assert await budget.admit(other) is None


async def test_the_caseload_of_a_team_and_of_a_coach_without_trajectories(
    cli: Cli,
) -> None:
    suffix = uuid.uuid4().hex[:8]
    sup, lone, coach = f"sup-t{suffix}", f"sup-u{suffix}", f"coach-t{suffix}"
    for person in (sup, lone):
        cli.ok("people", "add", person, "--role", "supervisor", "--name", "S",
               "--email", "s@wb.example")  # fmt: skip
    cli.ok("people", "add", coach, "--role", "coach", "--supervisor", sup, "--name", "C",
           "--email", "c@wb.example")  # fmt: skip
    team = json.loads(cli.ok("caseload", "--team", sup, "--json").stdout)
    assert team["coaches"] == [coach] and team["open_trajectories"] == 0
    # In the directory but nothing in the read models yet: an empty caseload, not an error.
    mine = json.loads(cli.ok("caseload", "--coach", coach, "--json").stdout)
    assert mine["coaches"] == [coach] and mine["tasks"] == []
    assert_user_error(cli("caseload", "--team", lone), f"no coaches below {lone}")
    assert_user_error(cli("caseload", "--team", coach), "is not a supervisor")
    assert_user_error(cli("caseload", "--coach", f"coach-n{suffix}"), "not in the people")
    # A coach added without a limit has the default one (NBM_CASELOAD_LIMIT).
    listed = {p["person_id"]: p for p in json.loads(cli.ok("people", "list", "--json").stdout)}
    assert listed[coach]["caseload_limit"] == int(str(cli.env["NBM_CASELOAD_LIMIT"]))
