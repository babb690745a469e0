"""`nbm audit history`, `as-of`, `checkpoint`, `checkpoints verify` and `replay` via CliRunner.

The database commands run as the application's role `nbm_app`, as an auditor's shell would;
`replay` reads histories from the dev server.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from temporalio.testing import WorkflowEnvironment

from activities import PostgresEventStore
from activities.checkpoints import public_pem
from domain import trajectory
from domain.shared import COACH_TIME_ZONE
from nbm.audit import SCHEDULE_ID
from tests import factories as f
from tests.integration.test_checkpoints import private_pem, rewrite_as_superuser
from tests.replay.unpatched import TrajectoryWithAnUnpatchedChange
from tests.workflows.test_audit_replay import replay_when_listed, run_trajectory
from worker import build_worker

from .conftest import assert_user_error, invoke

T0 = datetime(2026, 2, 2, 9, tzinfo=UTC)
TID = "traj-audit-0001"


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def env(app_database_url: str, tmp_path: Path, key: Ed25519PrivateKey) -> dict[str, str | None]:
    return {
        "NBM_DATABASE_URL": app_database_url,
        "NBM_DATA_DIR": str(tmp_path),
        "TEMPORAL_ADDRESS": None,
        "NBM_AUDIT_SIGNING_KEY": private_pem(key).decode(),
        "NBM_CHECKPOINT_FILE": str(tmp_path / "outside" / "checkpoints.jsonl"),
        "COLUMNS": "200",  # Rich wraps to the terminal; one table row per line here
    }


@pytest.fixture
async def events(store: PostgresEventStore) -> list[trajectory.AnyEvent]:
    """Steps 1 to 5, a calamity with a sealed summary, an extension, and the end."""
    week = timedelta(days=7)
    commands: list[tuple[timedelta, trajectory.AnyCommand]] = [
        (timedelta(0), c) for c in f.ready_to_learn(T0, trajectory_id=TID)
    ]
    commands += [
        (week, f.start_learning()),
        (
            2 * week,
            trajectory.RecordCalamity(
                actor=f.COACH,
                calamity_kind=trajectory.CalamityKind.HOUSING,
                summary=f.sealed_text("evicted, staying with her sister"),
            ),
        ),
        (
            3 * week,
            trajectory.ExtendLearning(actor=f.COACH, weeks=4, reason="missed weeks to housing"),
        ),
        (
            4 * week,
            trajectory.EndTrajectory(
                actor="coach-bert",
                reason=trajectory.ClosureReason.MOVED_AWAY,
                explanation="to Zwolle",
            ),
        ),
    ]
    state, found = None, []
    for offset, command in commands:
        new = trajectory.decide(state, command, T0 + offset)
        state = trajectory.fold(new, state)
        found.extend(new)
    await store.append(found)
    return found


def ok(args: list[str], env: dict[str, str | None]) -> str:
    result = invoke(args, env)
    assert result.exit_code == 0, result.output
    return result.stdout


async def test_history_says_who_did_what_when_and_why_without_personal_data(
    events: list[trajectory.AnyEvent], env: dict[str, str | None]
) -> None:
    out = ok(["audit", "history", TID], env)
    assert "2026-03-02 09:00:00" in out  # the end, four weeks after the start, in UTC
    assert "coach-bert" in out and "TrajectoryClosed" in out
    assert "moved-away (neutral): to Zwolle" in out
    assert "extended by 4 weeks: missed weeks to housing" in out
    assert "calamity 1 (housing); summary [personal data]" in out
    assert "candidate cand-0001; identity [personal data]" in out
    for secret in (f.CANDIDATE_NAME, f.CANDIDATE_BSN, "evicted", "sister"):
        assert secret not in out

    rows = json.loads(ok(["audit", "history", TID, "--json"], env))
    assert [r["type"] for r in rows] == [e.type for e in events]
    assert rows[-1] == {
        "version": len(events),
        "occurred_at": "2026-03-02T09:00:00+00:00",
        "effective_at": "2026-03-02T09:00:00+00:00",
        "actor": "coach-bert",
        "type": "TrajectoryClosed",
        "why": "moved-away (neutral): to Zwolle",
    }
    assert_user_error(invoke(["audit", "history", "traj-nope"], env), "no trajectory traj-nope")


async def test_as_of_a_date_is_the_fold_up_to_the_end_of_that_day(
    events: list[trajectory.AnyEvent], env: dict[str, str | None]
) -> None:
    # The calamity (two weeks in, 09:00 UTC) is in; the extension a week later is not.
    data = json.loads(ok(["audit", "as-of", TID, "2026-02-16", "--json"], env))
    end_of_day = datetime(2026, 2, 16, 23, 59, 59, 999999, tzinfo=COACH_TIME_ZONE)
    expected = trajectory.fold(e for e in events if e.occurred_at <= end_of_day)
    assert expected is not None
    assert data["as_of"] == end_of_day.isoformat()
    assert data["state"]["version"] == expected.version
    assert data["state"]["step"] == trajectory.Step.LEARNING_IN.value
    assert len(data["state"]["calamities"]) == 1 and data["state"]["learning_weeks"] == 52

    out = ok(["audit", "as-of", TID, "2026-02-16T09:59:59"], env)  # Amsterdam: 08:59:59 UTC
    assert "As in effect at 2026-02-16 08:59:59 UTC: version 5" in out
    assert f.CANDIDATE_NAME not in out

    assert_user_error(
        invoke(["audit", "as-of", TID, "2026-02-01"], env),
        f"trajectory {TID} did not exist yet at 2026-02-01 22:59:59 UTC",
    )
    assert_user_error(invoke(["audit", "as-of", TID, "yesterday"], env), "not an ISO date")


async def test_checkpoints_verify_until_a_stream_is_rewritten(
    events: list[trajectory.AnyEvent],
    env: dict[str, str | None],
    database_url: str,
    key: Ed25519PrivateKey,
    tmp_path: Path,
) -> None:
    taken = ok(["audit", "checkpoint"], env)
    assert taken.startswith("checkpoint ") and f"position {len(events)}, 1 streams" in taken
    assert ok(["audit", "checkpoints", "verify"], env).startswith("ok ")
    outside = Path(str(env["NBM_CHECKPOINT_FILE"])).parent
    assert len(list(outside.glob("checkpoint-key-*.pub.pem"))) == 1

    other = tmp_path / "other.pub.pem"
    other.write_bytes(public_pem(Ed25519PrivateKey.generate().public_key()))
    assert_user_error(
        invoke(["audit", "checkpoints", "verify", "--public-key", str(other)], env),
        "not by the given key",
    )

    def softer(payload: dict[str, object]) -> dict[str, object]:
        payload["reason"] = "nothing to see"
        return payload

    extended = next(e for e in events if e.type == "LearningExtended")
    await rewrite_as_superuser(database_url, TID, extended.version, softer)
    result = invoke(["audit", "checkpoints", "verify"], env)
    assert_user_error(result, f"stream {TID}: version {len(events)} hash differs")
    assert "MISMATCH" in result.stdout
    assert f"global chain: hash at position {len(events)} differs" in result.stdout
    assert f"stream {TID}: the rewrite is in versions 1 to {len(events)}" in result.stdout

    missing = tmp_path / "none.jsonl"
    assert_user_error(
        invoke(["audit", "checkpoints", "verify", "--file", str(missing)], env), "cannot read"
    )


async def test_replay_lists_each_run_as_ok_or_diverged(
    dev_env: WorkflowEnvironment,
    store: PostgresEventStore,
    task_queue: str,
    env: dict[str, str | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with build_worker(dev_env.client, store, task_queue):
        trajectory_id = await run_trajectory(dev_env.client, task_queue, close=True)
    await replay_when_listed(dev_env.client, trajectory_id)  # visibility has caught up
    env = {**env, "TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host}

    out = ok(["audit", "replay", trajectory_id], env)
    assert out.startswith(f"ok        {trajectory_id}")
    assert "1 runs replay with the current code" in out
    runs = json.loads(ok(["audit", "replay", trajectory_id, "--json"], env))
    assert [(r["workflow_id"], r["ok"], r["failure"]) for r in runs] == [
        (trajectory_id, True, None)
    ]

    # The CLI's code changed under the same workflow name, without a patch.
    monkeypatch.setattr("nbm.audit._trail.TrajectoryWorkflow", TrajectoryWithAnUnpatchedChange)
    result = invoke(["audit", "replay", trajectory_id], env)
    assert f"DIVERGED  {trajectory_id}" in result.stdout
    assert_user_error(result, "1 of 1 runs diverge from the current code", trajectory_id)


async def test_schedule_checkpoints_creates_then_updates_the_schedule(
    dev_env: WorkflowEnvironment, env: dict[str, str | None]
) -> None:
    env = {**env, "TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host}
    assert_user_error(
        invoke(["audit", "schedule-checkpoints", "--every", "soon"], env), "--every: 'soon'"
    )
    try:
        out = ok(["audit", "schedule-checkpoints", "--every", "90m"], env)
        assert out == f"schedule {SCHEDULE_ID} created: a checkpoint every 1:30:00\n"
        out = ok(["audit", "schedule-checkpoints", "--every", "1h"], env)
        assert out == f"schedule {SCHEDULE_ID} updated: a checkpoint every 1:00:00\n"
        described = await dev_env.client.get_schedule_handle(SCHEDULE_ID).describe()
        assert [i.every for i in described.schedule.spec.intervals] == [timedelta(hours=1)]
    finally:
        await dev_env.client.get_schedule_handle(SCHEDULE_ID).delete()


async def test_an_unreadable_event_is_named_by_history_and_as_of(
    env: dict[str, str | None],
    events: list[trajectory.AnyEvent],
    owner_conn: asyncpg.Connection,
) -> None:
    # A superuser changed a byte of version 6 (the calamity) with the triggers off.
    await owner_conn.execute("SET session_replication_role = replica")
    position = await owner_conn.fetchval(
        "UPDATE events SET payload = overlay(payload PLACING '\\x00'::bytea FROM 1) "
        "WHERE stream_id = $1 AND version = 6 RETURNING position",
        TID,
    )
    named = f"stream {TID}, version 6 (position {position}) cannot be read"
    result = invoke(["audit", "history", TID], env)
    assert_user_error(result, named)
    shown = [line.split()[0] for line in result.stdout.splitlines()[2:]]
    assert shown == [str(e.version) for e in events if e.version != 6]  # every other event
    assert_user_error(invoke(["audit", "as-of", TID, "2027-01-01"], env), named)
    # Before the bad event, the state as of then is still known.
    at = (events[0].occurred_at + timedelta(days=8)).isoformat()
    before = invoke(["audit", "as-of", TID, at, "--json"], env)
    assert before.exit_code == 0, before.output
    assert json.loads(before.stdout)["state"]["version"] == 5
