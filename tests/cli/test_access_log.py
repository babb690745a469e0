"""Who looked at what: every reading of personal data is logged first (Logboek Dataverwerkingen)."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import pytest

from activities.access_log import Action, Purpose, first_break, read_accesses, record_access
from activities.schema import AUDITOR_ROLE, KEYS_ROLE
from devstack.servers import as_user
from tests import factories as f

from .conftest import Cli, assert_user_error, invoke
from .test_against_worker import start
from .test_candidate import HEALTH, match


def test_showing_personal_data_is_logged_with_who_and_why(cli: Cli, fresh_id: str) -> None:
    tid = fresh_id
    start(cli, tid)
    ref = match(cli, tid)
    before = json.loads(cli.ok("audit", "access-log", "--candidate", ref, "--json").stdout)
    assert before == []  # sealing is no reading; the masked show neither:
    cli.ok("trajectory", "show", tid)
    # The actor is the configured one (NBM_ACTOR), not a free option typed before the command.
    shown = cli.ok("--actor", "someone-else", "trajectory", "show", tid, "--show-personal",
                   "--purpose", "request-of-the-person").stdout  # fmt: skip
    assert f.CANDIDATE_NAME in shown
    (entry,) = json.loads(cli.ok("audit", "access-log", "--candidate", ref, "--json").stdout)
    assert entry["actor"] == cli.env["NBM_ACTOR"] == "coach-test"
    assert (entry["candidate_ref"], entry["purpose"], entry["action"]) == (
        ref, "request-of-the-person", "show",
    )  # fmt: skip
    listing = cli.ok("audit", "access-log").stdout
    assert "chain intact" in listing
    for secret in (f.CANDIDATE_NAME, f.CANDIDATE_BSN, HEALTH):  # never the data itself
        assert secret not in listing


async def test_the_log_is_chained_and_append_only_and_each_role_keeps_to_its_part(
    database_url: str, app_database_url: str
) -> None:
    keys = await asyncpg.create_pool(as_user(database_url, KEYS_ROLE), min_size=1, max_size=2)
    auditor = await asyncpg.create_pool(as_user(database_url, AUDITOR_ROLE), min_size=1, max_size=2)
    assert keys is not None and auditor is not None
    try:
        for n in range(3):
            await record_access(keys, actor="coach-anna", candidate_ref=f"cand-{n}",
                                purpose=Purpose.COACHING, action=Action.SHOW)  # fmt: skip
        entries = await read_accesses(auditor)
        assert [e.position for e in entries] == [1, 2, 3] and first_break(entries) is None
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await keys.fetch("SELECT * FROM access_log")  # the reader may not read the log
        for statement in ("UPDATE access_log SET actor = 'x'", "DELETE FROM access_log",
                          "INSERT INTO access_log (position) VALUES (9)"):  # fmt: skip
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await auditor.execute(statement)
        owner = await asyncpg.connect(database_url)
        try:
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                await owner.execute("DELETE FROM access_log")
            await owner.execute("SET session_replication_role = replica")  # triggers off
            await owner.execute("UPDATE access_log SET actor = 'mallory' WHERE position = 2")
        finally:
            await owner.close()
        broken = first_break(await read_accesses(auditor))
        assert broken is not None and broken.position == 2
        env = {"NBM_AUDITOR_DATABASE_URL": as_user(database_url, AUDITOR_ROLE),
               "NBM_DATABASE_URL": app_database_url, "TEMPORAL_ADDRESS": None}  # fmt: skip
        result = await asyncio.to_thread(invoke, ["audit", "access-log"], env)
        assert_user_error(result, "the access log's chain breaks at entry 2")
    finally:
        await keys.close()
        await auditor.close()
