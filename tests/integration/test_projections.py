"""The read models on real PostgreSQL: right, exactly once, and rebuildable from zero."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import pytest
from structlog.testing import capture_logs
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from activities.projections import READ_MODELS, Projector, summary_row
from domain import trajectory
from nbm import service
from nbm.projector import ProjectorError, run
from nbm.settings import PROJECT_ROOT
from tests import factories as f
from tests.integration.test_workflow_events import drive
from tests.unit.story import ASSESSMENT, REASSESS_ON, WEEK, Story, checkpoint

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
TABLES = (*READ_MODELS, "projection_tracking")


# --- trajectories driven through the domain ---------------------------------------------


def _begin(coach: str, route: trajectory.Route) -> Story:
    story = Story(T0)
    start = f.start(T0, trajectory_id=f.new_id(), route=route)
    story.do(start.model_copy(update={"coach_id": coach}))
    return story


def cases() -> list[list[list[trajectory.AnyEvent]]]:
    """Five trajectories, each as the event lists of its commands in order."""
    just_started = _begin("coach-anna", trajectory.Route.SMALL_SCALE_GROWTH)

    learning = _begin("coach-bram", trajectory.Route.LARGE_SCALE_GROWTH)
    for command in f.ready_to_learn(T0)[1:]:
        learning.do(command)
    learning.later(WEEK).do(f.start_learning())
    learning.later(WEEK).do(
        trajectory.RecordCalamity(actor=f.COACH, calamity_kind=trajectory.CalamityKind.HEALTH)
    )

    placed = _begin("coach-anna", trajectory.Route.SMALL_SCALE_GROWTH)
    for command in f.ready_to_learn(T0)[1:]:
        placed.do(command)
    placed.later(WEEK).do(f.start_learning())
    placed.later(10 * WEEK).do(
        f.regular_job(
            20, benefit_end=trajectory.BenefitEnd.PARTLY, wage_value=ASSESSMENT,
            subsidy_decided_on=date(2027, 1, 15), reassess_on=REASSESS_ON,
        )
    )  # fmt: skip
    for month, employed in ((1, True), (3, True), (6, False), (12, True)):
        placed.reach(trajectory.DeadlineKind.CHECKPOINT)
        placed.do(checkpoint(month, employed, benefit_end=trajectory.BenefitEnd.PARTLY))

    withdrew = _begin("coach-bram", trajectory.Route.WIJKLEERBEDRIJF)
    for command in f.ready_to_learn(T0)[1:]:
        withdrew.do(command)
    withdrew.later(WEEK).do(
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.CANDIDATE_WITHDREW)
    )

    moved = _begin("coach-anna", trajectory.Route.SMALL_SCALE_GROWTH)
    moved.later(WEEK).do(
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.MOVED_AWAY)
    )

    return [_by_version(s.events) for s in (just_started, learning, placed, withdrew, moved)]


def _by_version(events: list[trajectory.AnyEvent]) -> list[list[trajectory.AnyEvent]]:
    # One append per event, so the streams interleave finely in the global order.
    return [[e] for e in events]


async def append_interleaved(
    store: PostgresEventStore, streams: list[list[list[trajectory.AnyEvent]]]
) -> int:
    """Append the streams' appends round-robin, as concurrent coaches would; returns the count."""
    total = 0
    for i in range(max(len(s) for s in streams)):
        for appends in streams:
            if i < len(appends):
                total += await store.append(appends[i])
    return total


async def dump(pool: asyncpg.Pool) -> dict[str, list[dict[str, Any]]]:
    """Every read model and the tracking, whole, in a stable order."""
    async with pool.acquire() as conn:
        return {
            t: [dict(r) for r in await conn.fetch(f"SELECT * FROM {t} ORDER BY 1, 2")]
            for t in TABLES
        }


async def head(pool: asyncpg.Pool) -> int:
    async with pool.acquire() as conn:
        return await conn.fetchval("SELECT coalesce(max(position), 0) FROM events")


@pytest.fixture
async def streams(store: PostgresEventStore) -> list[list[list[trajectory.AnyEvent]]]:
    made = cases()
    await append_interleaved(store, made)
    return made


def _flat(streams: list[list[list[trajectory.AnyEvent]]]) -> list[list[trajectory.AnyEvent]]:
    return [[e for append in s for e in append] for s in streams]


# --- the read models --------------------------------------------------------------------


async def test_catch_up_gives_the_expected_read_models(
    store: PostgresEventStore, streams: list[list[list[trajectory.AnyEvent]]]
) -> None:
    projector = Projector(store.pool)
    total = sum(len(s) for s in _flat(streams))
    assert await projector.catch_up(batch=7) == total
    tables = await dump(store.pool)

    by_id = {r["trajectory_id"]: r for r in tables["trajectory_summary"]}
    for events in _flat(streams):
        state = trajectory.fold(events)
        assert state is not None
        assert tuple(by_id[state.trajectory_id].values()) == summary_row(state)
    just_started, learning, placed, withdrew, moved = (
        by_id[s[0].trajectory_id] for s in _flat(streams)
    )
    assert just_started["step"] == trajectory.Step.FUTURE_JOB_IN_VIEW.value
    assert (learning["step"], learning["open_calamities"], learning["escalations"]) == (
        trajectory.Step.LEARNING_IN.value,
        1,
        1,
    )
    assert (placed["outcome_type"], placed["lasting_placement"], placed["contract_hours"]) == (
        "placed",
        True,
        20,
    )
    assert placed["regular_job_started"] is not None
    # The outcome facts the reports read: the benefit's end, the subsidy, the checkpoints.
    assert (placed["benefit_end"], placed["benefit_ended"], placed["wage_value_pct"]) == (
        "partly", False, 70,
    )  # fmt: skip
    assert (placed["wage_cost_subsidy_pct"], placed["lks_reassess_on"]) == (30, REASSESS_ON)
    answers = [
        (r["month"], r["due"], r["still_employed"], r["hours_per_week"], r["benefit_end"])
        for r in tables["checkpoint_results"]
        if r["trajectory_id"] == placed["trajectory_id"]
    ]
    assert answers == [
        (1, True, True, 32, "partly"),
        (3, True, True, 32, "partly"),
        (6, True, False, None, "partly"),
        (12, True, True, 32, "partly"),
    ]
    assert len(tables["checkpoint_results"]) == 4  # only the placed one has a job
    assert (withdrew["outcome_type"], withdrew["closure_reason"]) == (
        "not-placed",
        "candidate-withdrew",
    )
    assert moved["outcome_type"] == "neutral"

    assert tables["caseload"] == [
        # anna: one open (just started); bram: one open, learning in, with its escalation.
        {"coach_id": "coach-anna", "open_trajectories": 1, "in_learning": 0, "escalations": 0},
        {"coach_id": "coach-bram", "open_trajectories": 1, "in_learning": 1, "escalations": 1},
    ]
    assert tables["outcomes"] == [
        {
            "route": "small-scale-growth",
            "outcome_type": "neutral",
            "count": 1,
            "lasting_placements": 0,
        },
        {
            "route": "small-scale-growth",
            "outcome_type": "placed",
            "count": 1,
            "lasting_placements": 1,
        },
        {
            "route": "wijkleerbedrijf",
            "outcome_type": "not-placed",
            "count": 1,
            "lasting_placements": 0,
        },
    ]
    assert tables["projection_tracking"] == [
        {"projection": "read_models", "position": await head(store.pool)}
    ]


async def test_catching_up_again_applies_nothing(
    store: PostgresEventStore, streams: list[list[list[trajectory.AnyEvent]]]
) -> None:
    projector = Projector(store.pool)
    assert await projector.catch_up() > 0
    before = await dump(store.pool)
    assert await projector.catch_up() == 0
    assert await Projector(store.pool).catch_up() == 0  # a fresh projector, no cache
    assert await dump(store.pool) == before


async def test_read_models_hold_no_personal_data(
    store: PostgresEventStore, streams: list[list[list[trajectory.AnyEvent]]]
) -> None:
    await Projector(store.pool).catch_up()
    text = json.dumps(await dump(store.pool), default=str)
    matched = next(
        e for s in _flat(streams) for e in s if isinstance(e, trajectory.CandidateMatched)
    )
    for secret in (
        f.CANDIDATE_NAME,
        f.CANDIDATE_BSN,
        matched.candidate_ref,
        matched.personal.ciphertext[:16],
    ):
        assert secret not in text


async def test_a_trajectory_driven_through_the_real_workflow(
    ts_env: WorkflowEnvironment, ts_worker: Worker, store: PostgresEventStore, task_queue: str
) -> None:
    tid = await drive(ts_env, task_queue)
    await Projector(store.pool).catch_up()
    state = trajectory.fold(await service.run_events(ts_env.client, tid))
    assert state is not None
    summary = next(r for r in (await dump(store.pool))["trajectory_summary"])
    assert tuple(summary.values()) == summary_row(state)
    assert (summary["step"], summary["outcome_type"], summary["lasting_placement"]) == (
        "closed",
        "placed",
        True,
    )
    assert (summary["contract_hours"], summary["benefit_ended"], summary["escalations"]) == (
        20,
        False,
        2,  # the housing calamity, the small contract; each checkpoint's resolved with it
    )
    assert summary["benefit_end"] == "continues"  # as the job began; the checkpoints: partly


# --- exactly once -----------------------------------------------------------------------


class CrashesInTheUpsert(Projector):
    """The real projector, except that the process dies after the upsert, before the commit."""

    async def _upsert_summaries(
        self, conn: asyncpg.Connection, states: list[trajectory.Trajectory]
    ) -> None:
        await super()._upsert_summaries(conn, states)
        raise RuntimeError("killed between the upsert and the commit")


class CrashesBeforeTracking(Projector):
    """Dies with every read model written, just before the tracking position moves."""

    async def _write(self, conn: asyncpg.Connection, states: list[trajectory.Trajectory]) -> None:
        await super()._write(conn, states)
        raise RuntimeError("killed between the read models and the tracking")


@pytest.mark.parametrize("crashing", [CrashesInTheUpsert, CrashesBeforeTracking])
async def test_a_crash_before_the_commit_changes_nothing_and_the_next_run_completes(
    store: PostgresEventStore,
    streams: list[list[list[trajectory.AnyEvent]]],
    crashing: type[Projector],
) -> None:
    live = Projector(store.pool)
    await live.apply_batch(batch=5)  # some progress first, so "unchanged" is not just "empty"
    before = await dump(store.pool)
    with pytest.raises(RuntimeError, match="killed between"):
        await crashing(store.pool).catch_up(batch=5)
    assert await dump(store.pool) == before
    remaining = await head(store.pool) - before["projection_tracking"][0]["position"]
    assert await live.catch_up(batch=5) == remaining
    caught_up = await dump(store.pool)
    await Projector(store.pool).rebuild()
    assert await dump(store.pool) == caught_up


async def test_two_projectors_at_once_apply_each_event_once_and_agree_with_one(
    store: PostgresEventStore, app_database_url: str, streams: list[list[list[trajectory.AnyEvent]]]
) -> None:
    pools = [await asyncpg.create_pool(app_database_url, min_size=2, max_size=2) for _ in range(2)]
    try:
        first, second = (Projector(p) for p in pools)
        applied = await asyncio.gather(first.catch_up(batch=2), second.catch_up(batch=2))
    finally:
        for pool in pools:
            await pool.close()
    # The counts are the events each committed; together exactly every event, none twice.
    assert sum(applied) == sum(len(s) for s in _flat(streams))
    together = await dump(store.pool)
    await Projector(store.pool).rebuild()
    assert await dump(store.pool) == together


# --- rebuilding from zero ---------------------------------------------------------------


async def test_rebuilt_from_zero_equals_the_live_read_models(store: PostgresEventStore) -> None:
    made = cases()
    live = Projector(store.pool)
    # Live: the projector follows the appends as they come, in small batches across streams.
    for i in range(max(len(s) for s in made)):
        for appends in made:
            if i < len(appends):
                await store.append(appends[i])
        await live.catch_up(batch=3)
    live_tables = await dump(store.pool)
    assert live_tables["trajectory_summary"]

    rebuilt = await Projector(store.pool).rebuild(batch=500)
    assert rebuilt.events == sum(len(s) for s in _flat(made))
    assert await dump(store.pool) == live_tables


async def test_rebuild_empties_first(store: PostgresEventStore) -> None:
    await append_interleaved(store, cases()[:1])
    projector = Projector(store.pool)
    await projector.catch_up()
    async with store.pool.acquire() as conn:
        # A row no event explains (a bug, a hand edit) is gone after the rebuild.
        await conn.execute(
            "INSERT INTO caseload (coach_id, open_trajectories, in_learning, escalations) "
            "VALUES ('coach-ghost', 9, 9, 9)"
        )
    await projector.rebuild()
    assert "coach-ghost" not in {r["coach_id"] for r in (await dump(store.pool))["caseload"]}


# --- the application's role -------------------------------------------------------------


async def test_the_application_role_can_project_and_rebuild(
    app_database_url: str, streams: list[list[list[trajectory.AnyEvent]]]
) -> None:
    # Stated here, not only implied by the `store` fixture's role: the grants are the point.
    pool = await asyncpg.create_pool(app_database_url, min_size=1, max_size=2)
    try:
        projector = Projector(pool)
        assert await projector.catch_up() > 0
        assert (await projector.rebuild()).events > 0
    finally:
        await pool.close()


# --- the projector process --------------------------------------------------------------


async def test_the_projector_follows_new_events_by_notification(
    store: PostgresEventStore, app_database_url: str
) -> None:
    first, second = cases()[:2]
    stop = asyncio.Event()
    with capture_logs() as logs:
        # A poll far longer than the test: once idle, only a NOTIFY can wake it.
        task = asyncio.create_task(run(app_database_url, stop, poll_seconds=600))
        try:
            await append_interleaved(store, [first])
            head = (await Projector(store.pool).tracking()).head
            # It logs "caught up" and then, with no await between, waits for a wake-up: seen
            # from this task, it is idle from here on, and the poll is ten minutes away.
            await _until(lambda: any(e.get("position") == head for e in logs), within=10)
            await append_interleaved(store, [second])
            await _until_caught_up(store.pool, within=10)
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
    assert [e["position"] for e in logs if e["event"] == "caught up"][-1] > head


async def test_the_projector_refuses_a_database_without_read_models(database_url: str) -> None:
    with pytest.raises(ProjectorError, match="no read models"):
        await run(database_url, asyncio.Event())


async def _until(condition: Callable[[], bool], within: float) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "not within the time given"
        await asyncio.sleep(0.02)


async def _until_caught_up(pool: asyncpg.Pool, within: float) -> None:
    deadline = time.monotonic() + within
    while (status := await Projector(pool).tracking()).lag:
        assert time.monotonic() < deadline, f"still behind: {status}"
        await asyncio.sleep(0.1)


@pytest.fixture
def projector_process(app_database_url: str, tmp_path: Any) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "NBM_DATABASE_URL": app_database_url, "NBM_DATA_DIR": str(tmp_path)}
    env["NBM_LOG_FORMAT"] = "json"
    log = (tmp_path / "projector.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "nbm.projector"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
    )
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    log.close()


async def test_the_projector_process_catches_up_and_stops_on_sigterm(
    store: PostgresEventStore, projector_process: subprocess.Popen[bytes], tmp_path: Any
) -> None:
    await append_interleaved(store, cases())
    await _until_caught_up(store.pool, within=20)
    projector_process.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(projector_process.wait, 10) == 0
    log = (tmp_path / "projector.log").read_text()
    assert '"caught up"' in log
    assert f.CANDIDATE_NAME not in log and f.CANDIDATE_BSN not in log
