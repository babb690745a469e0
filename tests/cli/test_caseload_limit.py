"""The hard caseload limit at `nbm trajectory start`, against the real worker: refused past
the limit in one line, allowed by a supervisor above the coach (and recorded in the start),
refused for a made-up or a wrong supervisor; `nbm people set-caseload-limit`."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import asyncpg
from temporalio.testing import WorkflowEnvironment

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
