"""`nbm candidate erase` and the sealed personal options, through the CLI."""

from __future__ import annotations

import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

from typer.testing import CliRunner, Result

from nbm.cli import app
from privacy.keyring import generate_keyring
from tests import factories as f

from .conftest import Cli, assert_user_error, invoke
from .test_against_worker import agree_and_learn, start

HEALTH = "rugklachten sinds 2024"  # a distinctive fictional note, to look for


def answering(cli: Cli, answer: str, *args: str) -> Result:
    """`nbm args` with `answer` typed at its prompt (in a thread, as `Cli` runs commands)."""
    with ThreadPoolExecutor(1) as pool:
        runner = CliRunner()
        return pool.submit(runner.invoke, app, list(args), env=cli.env, input=answer).result()


def match(cli: Cli, tid: str) -> str:
    """Steps 2 and 4 for a new candidate; the reference the CLI made for them."""
    cli.ok(
        "trajectory", "map-possibilities", tid, "--profile-skill", "ADL care",
        "--employer-role", "workplace", "--werkbedrijf-role", "work coach",
        "--guarantee-possible", "--learning-location", "at the employer",
    )  # fmt: skip
    out = cli.ok(
        "trajectory", "match", tid, "--name", f.CANDIDATE_NAME,
        "--bsn", f.CANDIDATE_BSN, "--email", "fenna@example.nl", "--health-notes", HEALTH,
        "--motivation-passed", "--other-matters", "no-problem",
    ).stdout  # fmt: skip
    (ref,) = re.findall(r"^candidate (cand-[0-9a-f]{12}) ", out, re.M)
    return ref


def test_erasure_through_the_cli(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    start(cli, tid)
    ref = match(cli, tid)
    agree_and_learn(cli, tid)
    cli.ok("trajectory", "record-calamity", tid, "--kind", "health", "--summary", HEALTH)

    # Only ciphertext left the CLI: the state the worker holds has none of it.
    masked = cli.ok("trajectory", "show", tid, "--json").stdout
    assert f.CANDIDATE_BSN not in masked and HEALTH not in masked and "ciphertext" not in masked
    shown = json.loads(cli.ok("trajectory", "show", tid, "--json", "--show-personal").stdout)
    assert shown["candidate"]["personal"]["health_notes"] == HEALTH
    assert shown["candidate"]["personal"]["email"] == "fenna@example.nl"
    assert "key since" in cli.ok("candidate", "status", ref).stdout

    refused = answering(cli, "n\n", "candidate", "erase", ref)
    assert refused.exit_code == 1 and "Aborted" in refused.output
    assert f.CANDIDATE_BSN in cli.ok("trajectory", "show", tid, "--show-personal").stdout

    erased = answering(cli, "y\n", "candidate", "erase", ref)
    assert erased.exit_code == 0, erased.output
    assert f"candidate {ref}: personal data erased" in erased.stdout
    assert "was already erased" in cli.ok("candidate", "erase", ref, "--yes").stdout
    status = json.loads(cli.ok("candidate", "status", ref, "--json").stdout)
    assert status["erased"] is True and status["erased_by"] == "coach-test"

    after = cli.ok("trajectory", "show", tid, "--show-personal")
    assert "erased (nbm candidate erase)" in after.stdout
    assert f.CANDIDATE_BSN not in after.stdout and "Zwanenburg" not in after.stdout
    data = json.loads(cli.ok("trajectory", "show", tid, "--json", "--show-personal").stdout)
    assert data["candidate"]["personal"] == {"erased": True}
    assert data["candidate"]["candidate_ref"] == ref and data["step"] == "5-learning-in"

    # Nothing new can be sealed for an erased candidate; the non-personal facts go on.
    assert_user_error(
        cli("trajectory", "record-evaluation", tid, "--verdict", "on-track",
            "--employer-present", "--summary", "fine"),
        f"personal data of candidate {ref} was erased", "without --summary",
    )  # fmt: skip
    cli.ok("trajectory", "record-evaluation", tid, "--verdict", "on-track", "--employer-present")
    other = f"traj-{uuid.uuid4().hex[:12]}"
    start(cli, other)
    assert_user_error(
        cli("trajectory", "match", other, "--candidate", ref, "--name", "A B",
            "--bsn", f.CANDIDATE_BSN, "--motivation-passed", "--other-matters", "no-problem"),
        f"candidate {ref} was erased",
    )  # fmt: skip


def test_keys_move_to_a_new_kek(cli: Cli, fresh_id: str) -> None:
    start(cli, fresh_id)
    ref = match(cli, fresh_id)
    old = str(cli.env["NBM_KEK"])
    new = generate_keyring("kek-new").dumps()

    def with_kek(kek: str) -> Cli:
        return Cli(
            env={**cli.env, "NBM_KEK": kek}, worker_log=cli.worker_log, mailer_log=cli.mailer_log
        )

    try:
        rewrapped = with_kek(f"{new},{old}").ok("candidate", "rewrap-keys").stdout
        assert "rewrapped under the current KEK" in rewrapped
        assert "kek-new" in with_kek(new).ok("candidate", "status", ref).stdout
        # The old KEK retired: the keys open with the new one alone.
        shown = with_kek(new).ok("trajectory", "show", fresh_id, "--show-personal").stdout
        assert f.CANDIDATE_BSN in shown
    finally:
        # The database is the whole session's: the other tests hold the old KEK.
        with_kek(f"{old},{new}").ok("candidate", "rewrap-keys")


def test_erasing_an_unknown_candidate_is_one_line(cli: Cli) -> None:
    assert_user_error(cli("candidate", "erase", "cand-nobody", "--yes"), "no key for candidate")
    assert_user_error(cli("candidate", "status", "cand-nobody"), "no key for candidate")


def test_a_summary_needs_a_matched_candidate(cli: Cli, fresh_id: str) -> None:
    start(cli, fresh_id)
    assert_user_error(
        cli("trajectory", "record-calamity", fresh_id, "--kind", "other", "--summary", "x"),
        "no candidate has been matched yet",
    )


def test_bad_personal_options_are_refused_offline_without_echo(
    offline_env: dict[str, str | None],
) -> None:
    base = ["trajectory", "match", "traj-1", "--name", "A B",
            "--bsn", f.CANDIDATE_BSN, "--motivation-passed"]  # fmt: skip
    line = assert_user_error(invoke([*base, "--email", "fenna-at-home"], offline_env), "--email")
    assert "fenna-at-home" not in line
    line = assert_user_error(invoke([*base, "--phone", "bel me"], offline_env), "--phone")
    assert "bel me" not in line
    summary = ["trajectory", "record-calamity", "traj-1", "--kind", "health", "--summary"]
    line = assert_user_error(invoke([*summary, "x" * 2001], offline_env), "--summary")
    assert "xxx" not in line


def test_keys_need_configuration(offline_env: dict[str, str | None]) -> None:
    assert_user_error(invoke(["candidate", "erase", "cand-1", "--yes"], offline_env), "NBM_KEK")
