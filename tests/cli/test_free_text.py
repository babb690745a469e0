"""All free text about a person is sealed before it leaves the coach's process.

A reason, an explanation: the tester typed a name and a BSN there, and found them in clear in
the append-only table. Now they are sealed with the candidate's key, or before the match with
the trajectory's own; the categorical fields (kind, reason code, verdict) stay readable.
"""

from __future__ import annotations

import asyncio
import json

import asyncpg

from tests import factories as f

from .conftest import Cli
from .test_against_worker import agree_and_learn, map_and_match, start

TYPED = f"{f.CANDIDATE_NAME} (BSN {f.CANDIDATE_BSN}) moved in with her sister"


async def stored_payloads(url: str, trajectory_id: str) -> bytes:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT payload FROM events WHERE stream_id = $1", trajectory_id)
    finally:
        await conn.close()
    return b"".join(r["payload"] for r in rows)


def test_reasons_and_explanations_are_sealed_in_the_store(
    cli: Cli, fresh_id: str, cli_database_url: str
) -> None:
    start(cli, fresh_id)
    map_and_match(cli, fresh_id)
    agree_and_learn(cli, fresh_id)
    cli.ok("trajectory", "extend-learning", fresh_id, "--weeks", "2", "--reason", TYPED)
    cli.ok("trajectory", "start-placement", fresh_id, "--name", "canteen", "--hours", "12",
           "--deviation", TYPED)  # fmt: skip
    cli.ok("trajectory", "amend-agreement", fresh_id, "--commitment", "intention-to-hire",
           "--weeks", "24", "--placement", "introduction:4:16", "--budget", "5000",
           "--signed-by", "employer", "--signed-by", "werkbedrijf",
           "--signed-by", "training-institute", "--reason", TYPED)  # fmt: skip
    cli.ok("trajectory", "propose-other-employer", fresh_id, "--employer", "employer-b",
           "--reason", TYPED)  # fmt: skip
    cli.ok("trajectory", "end", fresh_id, "--reason", "other", "--explanation", TYPED)
    stored = asyncio.run(stored_payloads(cli_database_url, fresh_id))
    assert b"LearningExtended" in stored and b'"other"' in stored  # the facts, readable
    for secret in (f.CANDIDATE_NAME, f.CANDIDATE_BSN, "sister"):
        assert secret.encode() not in stored
    rows = json.loads(cli.ok("audit", "history", fresh_id, "--json").stdout)
    whys = [r["why"] for r in rows]
    assert "extended by 2 weeks: [personal data]" in whys
    assert "placement 1: canteen, 12 h/week; not as agreed: [personal data]" in whys
    assert any(w.startswith("amended: intention-to-hire, 24 weeks") for w in whys)
    assert f.CANDIDATE_BSN not in json.dumps(rows)


def test_before_a_match_a_text_is_sealed_with_the_trajectorys_own_key(
    cli: Cli, fresh_id: str, cli_database_url: str
) -> None:
    start(cli, fresh_id)
    cli.ok("trajectory", "end", fresh_id, "--reason", "other", "--explanation", TYPED)
    stored = asyncio.run(stored_payloads(cli_database_url, fresh_id))
    assert f.CANDIDATE_BSN.encode() not in stored
    assert f'"key_id":"{fresh_id}"'.encode() in stored  # erasable with the trajectory's key
    assert "key since" in cli.ok("candidate", "status", fresh_id).stdout
