"""The core's speed and memory against the raw limits measured in the same run.

A real stack, started for the run: an embedded PostgreSQL, the Temporal dev server on a
SQLite file, and the production worker in a process of its own (`bench.bench_worker`, the
no-op workflows of the raw limits registered beside the trajectory). The bench process is the
clients. Each phase returns its figures and the load average at its end; `bench.run` turns
them into `bench/results.json` and the table.

Phases:
- raw limits: no-op workflow starts (until each answers a query), no-op updates from
  concurrent clients (rate, p50, p99), signal and completion, PostgreSQL inserts one per
  transaction and batched;
- trajectory starts (until each answers a query) and coach commands end to end (through the
  worker and the PostgreSQL append), at the same concurrency as the raw updates;
- a large city: N open trajectories with pending timers in one worker, one command each in
  random order (most not in its cache), the worker's peak RSS, cached vs uncached p99;
- two years on the time-skipping server: trajectories against bare timers.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from activities import PostgresEventStore
from activities.migrations import migrate_database
from activities.schema import WORKER_ROLE
from bench.workflows import BareTimers, NoopWorkflow
from devstack.servers import as_user, embedded_postgres_url, temporal_cli, temporal_test_server
from domain import task, trajectory
from nbm import service, stream_service
from nbm.service import ServiceError
from nbm.temporal import data_converter, register_search_attributes
from privacy.keyring import parse_keyring
from tests import factories as f
from worker import build_worker
from workflows import TrajectoryInput, TrajectoryWorkflow

ROOT = Path(__file__).resolve().parents[1]
Figures = dict[str, Any]
Work = tuple[Callable[[int, int], Awaitable[None]], Callable[[], Awaitable[None]]]
"""One call of a phase's work (client, n), and what ends the workflows it ran on."""


_STARTED = time.perf_counter()


def phase_end(figures: Figures) -> Figures:
    """`figures` with the load average (1 min) at the end of the phase, and when it ended
    (seconds into the run), so the run's time can be read phase by phase."""
    return {
        **figures,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "ended_at_s": round(time.perf_counter() - _STARTED, 1),
    }


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def latency_figures(prefix: str, samples: list[float], elapsed: float) -> Figures:
    ms = [s * 1000 for s in samples]
    return {
        f"{prefix}_per_s": round(len(samples) / elapsed, 1),
        f"{prefix}_p50_ms": round(percentile(ms, 50), 2),
        f"{prefix}_p99_ms": round(percentile(ms, 99), 2),
        f"{prefix}_count": len(samples),
    }


async def timed_clients(
    clients: int, per_client: int, work: Callable[[int, int], Awaitable[None]]
) -> tuple[list[float], float]:
    """Run `work(client, n)` `per_client` times in each of `clients` concurrent loops; the
    latencies of every call and the elapsed time of the whole."""
    latencies: list[float] = []

    async def loop(c: int) -> None:
        for n in range(per_client):
            t = time.perf_counter()
            await work(c, n)
            latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    await asyncio.gather(*(loop(c) for c in range(clients)))
    return latencies, time.perf_counter() - started


# --- the stack -----------------------------------------------------------------------------


@dataclass
class Stack:
    client: Client
    task_queue: str
    owner_url: str
    worker: asyncio.subprocess.Process

    def worker_memory_mb(self) -> tuple[float, float]:
        """The worker's resident set now and at its peak (VmRSS, VmHWM), in MB."""
        fields = {}
        for line in Path(f"/proc/{self.worker.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
        return round(fields["VmRSS"], 1), round(fields["VmHWM"], 1)


def new_keyring_text() -> str:
    return f"bench:{base64.b64encode(secrets.token_bytes(32)).decode()}"


@asynccontextmanager
async def stack(folder: Path, *, workflow_cache: int) -> AsyncIterator[Stack]:
    owner_url = embedded_postgres_url(folder / "pg", cleanup="stop")
    await migrate_database(owner_url)
    keys = new_keyring_text()
    env = await WorkflowEnvironment.start_local(
        data_converter=data_converter(parse_keyring(keys, "bench")),
        dev_server_existing_path=str(temporal_cli()),
        dev_server_database_filename=str(folder / "temporal.sqlite"),
        dev_server_log_level="error",
    )
    try:
        await register_search_attributes(env.client)
        task_queue = f"bench-{uuid.uuid4().hex[:8]}"
        worker_env = {
            **os.environ,
            "TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
            "NBM_DATABASE_URL": as_user(owner_url, WORKER_ROLE),
            "NBM_CODEC_KEYS": keys,
            "NBM_TASK_QUEUE": task_queue,
            "NBM_WORKFLOW_CACHE": str(workflow_cache),
            "NBM_LOG_LEVEL": "warning",
            "NBM_DATA_DIR": str(folder / "data"),
        }
        worker = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.bench_worker",
            cwd=ROOT,
            env=worker_env,
            stdout=asyncio.subprocess.PIPE,
        )
        try:
            assert worker.stdout is not None
            line = await asyncio.wait_for(worker.stdout.readline(), 60)
            if line.strip() != b"ready":
                raise RuntimeError(f"the bench worker did not start: {line!r}")
            yield Stack(env.client, task_queue, owner_url, worker)
        finally:
            worker.terminate()
            await asyncio.wait_for(worker.wait(), 30)
    finally:
        await env.shutdown()


# --- raw limits ----------------------------------------------------------------------------


async def start_noop(s: Stack, kind: str) -> WorkflowHandle[Any, None]:
    return await s.client.start_workflow(
        NoopWorkflow.run, id=f"noop-{kind}-{uuid.uuid4().hex[:12]}", task_queue=s.task_queue
    )


async def raw_starts(s: Stack, count: int, clients: int) -> Figures:
    async def one(c: int, n: int) -> None:
        handle = await start_noop(s, "start")
        await handle.query(NoopWorkflow.alive)
        await handle.signal(NoopWorkflow.finish)

    latencies, elapsed = await timed_clients(clients, count // clients, one)
    return phase_end(latency_figures("raw_start", latencies, elapsed))


async def noop_updates(s: Stack, clients: int, per_owner: int) -> Work:
    """No-op workflows, `per_owner` for each client, and one update's worth of work on them."""
    handles = [await start_noop(s, "update") for _ in range(clients * per_owner)]
    for h in handles:
        await h.execute_update(NoopWorkflow.ping, 0)  # warm: every workflow is running

    async def one(c: int, n: int) -> None:
        await handles[c * per_owner + n % per_owner].execute_update(NoopWorkflow.ping, n)

    async def finish() -> None:
        for h in handles:
            await h.signal(NoopWorkflow.finish)

    return one, finish


async def raw_signal_complete(s: Stack, count: int, clients: int) -> Figures:
    async def one(c: int, n: int) -> None:
        handle = await start_noop(s, "signal")
        await handle.signal(NoopWorkflow.finish)
        await handle.result()

    latencies, elapsed = await timed_clients(clients, count // clients, one)
    return phase_end(latency_figures("raw_signal_complete", latencies, elapsed))


async def raw_postgres(owner_url: str, single: int, batched: int) -> Figures:
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute("CREATE TABLE bench_raw (id bigint PRIMARY KEY, payload bytea)")
        payload = os.urandom(350)
        t = time.perf_counter()
        for i in range(single):
            await conn.execute("INSERT INTO bench_raw VALUES ($1, $2)", i, payload)
        single_s = time.perf_counter() - t
        t = time.perf_counter()
        for offset in range(single, single + batched, 1000):
            async with conn.transaction():
                await conn.executemany(
                    "INSERT INTO bench_raw VALUES ($1, $2)",
                    [(i, payload) for i in range(offset, offset + 1000)],
                )
        batched_s = time.perf_counter() - t
        await conn.execute("DROP TABLE bench_raw")
    finally:
        await conn.close()
    return phase_end(
        {
            "raw_pg_insert_one_per_tx_per_s": round(single / single_s),
            "raw_pg_insert_batched_per_s": round(batched / batched_s),
        }
    )


# --- the trajectory ------------------------------------------------------------------------


def evaluation(request_id: str) -> trajectory.RecordEvaluation:
    return trajectory.RecordEvaluation(
        actor=f.COACH,
        request_id=request_id,
        verdict=trajectory.EvaluationVerdict.ON_TRACK,
        employer_present=True,
    )


async def learning_trajectory(s: Stack) -> str:
    """A trajectory through steps 1 to 4 and into learning, through the real CLI path."""
    start, *commands = f.ready_to_learn(datetime.now(UTC))
    assert isinstance(start, trajectory.StartTrajectory)
    await service.start_trajectory(s.client, s.task_queue, start)
    for command in [*commands, f.start_learning()]:
        await service.send(s.client, start.trajectory_id, command)  # type: ignore[arg-type]
    return start.trajectory_id


async def trajectory_starts(s: Stack, count: int, clients: int) -> Figures:
    async def one(c: int, n: int) -> None:
        start = f.start(datetime.now(UTC)).model_copy(
            update={"request_id": f"req-start-{uuid.uuid4().hex[:12]}"}
        )
        await service.start_trajectory(s.client, s.task_queue, start)
        await service.state(s.client, start.trajectory_id)

    latencies, elapsed = await timed_clients(clients, count // clients, one)
    return phase_end(latency_figures("trajectory_start", latencies, elapsed))


async def coach_commands(
    s: Stack, clients: int, per_owner: int
) -> Callable[[int, int], Awaitable[None]]:
    """Trajectories learning in, `per_owner` for each client (they stay open, as in a
    city), and one coach command's work on them."""
    tids = await asyncio.gather(*(learning_trajectory(s) for _ in range(clients * per_owner)))

    async def one(c: int, n: int) -> None:
        tid = tids[c * per_owner + n % per_owner]
        await service.send(s.client, tid, evaluation(f"req-{uuid.uuid4().hex[:16]}"))

    return one


async def updates_against_commands(
    s: Stack, per_client: int, clients: int, per_owner: int, *, rounds: int = 5
) -> tuple[Figures, Figures]:
    """No-op updates and coach commands, from `clients` concurrent clients each, in turns of
    `per_client / rounds`: both meet the same machine (a shared one drifts over minutes),
    so their ratio is of the work and not of when each ran."""
    raw, raw_done = await noop_updates(s, clients, per_owner)
    cmd = await coach_commands(s, clients, per_owner)
    samples: dict[str, tuple[list[float], list[float]]] = {"raw": ([], []), "cmd": ([], [])}
    turn = per_client // rounds
    for r in range(rounds):
        for name, work in (("raw", raw), ("cmd", cmd)):
            offset = r * turn

            async def shifted(c: int, n: int, work: Callable[[int, int], Awaitable[None]] = work,
                              offset: int = offset) -> None:  # fmt: skip
                await work(c, offset + n)

            latencies, elapsed = await timed_clients(clients, turn, shifted)
            samples[name][0].extend(latencies)
            samples[name][1].append(elapsed)
    await raw_done()
    figures = {
        name: latency_figures(prefix, latencies, sum(elapsed))
        for (name, (latencies, elapsed)), prefix in zip(
            samples.items(), ("raw_update", "command"), strict=True
        )
    }
    return (
        phase_end({**figures["raw"], "rounds": rounds}),
        phase_end({**figures["cmd"], "rounds": rounds, **await one_command_history(s)}),
    )


async def one_command_history(s: Stack) -> Figures:
    """The history events one coach command adds to a quiet trajectory, by type."""
    tid = await learning_trajectory(s)
    handle = s.client.get_workflow_handle(tid)
    before = len((await handle.fetch_history()).events)
    await service.send(s.client, tid, evaluation(f"req-{uuid.uuid4().hex[:16]}"))
    await asyncio.sleep(0.5)  # whatever the command's task leaves behind is in history too
    events = (await handle.fetch_history()).events[before:]
    names = [type_name(e.event_type) for e in events]
    return {"history_events_per_command": len(names), "history_of_one_command": names}


def type_name(event_type: int) -> str:
    from temporalio.api.enums.v1 import EventType

    return EventType.Name(event_type).removeprefix("EVENT_TYPE_")


# --- a large city on one worker -----------------------------------------------------------


def learning_state(index: int, now: Any) -> tuple[trajectory.Trajectory, list[trajectory.AnyEvent]]:
    """A trajectory learning in, folded here: its state and the events the store holds."""
    events: list[trajectory.AnyEvent] = []
    state = None
    commands = [*f.ready_to_learn(now, trajectory_id=f"traj-city{index:07x}"), f.start_learning()]
    for command in commands:
        new = trajectory.decide(state, command, now)
        events.extend(new)
        state = trajectory.fold(new, state)
    assert state is not None
    return state, events


async def large_city(
    s: Stack, open_count: int, clients: int, seed: int, *, workflow_cache: int
) -> Figures:
    now = datetime.now(UTC)
    built = [learning_state(i, now) for i in range(open_count)]
    store = await PostgresEventStore.connect(as_user(s.owner_url, WORKER_ROLE), max_size=4)
    try:
        sem = asyncio.Semaphore(8)

        async def append(events: list[trajectory.AnyEvent]) -> None:
            async with sem:
                await store.append(events)

        await asyncio.gather(*(append(events) for _, events in built))
    finally:
        await store.close()

    t = time.perf_counter()
    start_sem = asyncio.Semaphore(48)

    async def start(state: trajectory.Trajectory) -> None:
        async with start_sem:
            await s.client.start_workflow(
                TrajectoryWorkflow.run,
                TrajectoryInput(state=state),
                id=state.trajectory_id,
                task_queue=s.task_queue,
            )

    print(f"large city: {open_count} trajectories stored; starting them", flush=True)
    await asyncio.gather(*(start(state) for state, _ in built))
    started_s = time.perf_counter() - t
    # Every one running, its timer pending, its first task done: the commands below measure
    # a cache miss, not a workflow still starting. The first task upserts the search
    # attributes, so the server's count says when; a query to each would replay every one
    # that left the cache.
    steps = {state.step.value for state, _ in built}
    assert len(steps) == 1
    done = f"TaskQueue = '{s.task_queue}' AND Step = '{steps.pop()}'"
    for _ in range(600):  # polls the server's visibility: nothing here to wait on
        if (await s.client.count_workflows(done)).count >= open_count:
            break
        await asyncio.sleep(1)
    else:
        raise RuntimeError("the open trajectories did not all take their first task in 10 min")
    rss_open, _ = s.worker_memory_mb()

    order = [state.trajectory_id for state, _ in built]
    random.Random(seed).shuffle(order)
    queue = iter(order)
    uncached: list[float] = []

    async def loop(tids: Iterator[str], latencies: list[float]) -> None:
        for tid in tids:
            t0 = time.perf_counter()
            await service.send(s.client, tid, evaluation(f"req-{uuid.uuid4().hex[:16]}"))
            latencies.append(time.perf_counter() - t0)

    print(
        f"large city: started in {started_s:.0f} s, all past their first task "
        f"{time.perf_counter() - t:.0f} s after the first start; one command each",
        flush=True,
    )
    t = time.perf_counter()
    await asyncio.gather(*(loop(queue, uncached) for _ in range(clients)))
    commands_s = time.perf_counter() - t
    # Cached: the last ones commanded are still in the cache (least recently used goes
    # first); a second command each, from as many clients at once, so the two p99s differ
    # by the cache and not by how many wait in line.
    recent = iter(order[-min(len(order), workflow_cache // 2, 1000) :])
    cached: list[float] = []
    await asyncio.gather(*(loop(recent, cached) for _ in range(clients)))
    rss_now, rss_peak = s.worker_memory_mb()
    return phase_end(
        {
            "open_trajectories": open_count,
            "open_started_per_s": round(open_count / started_s, 1),
            "worker_rss_mb_open_idle": rss_open,
            "worker_rss_mb_after_commands": rss_now,
            "worker_rss_mb_peak": rss_peak,
            "uncached_command_per_s": round(open_count / commands_s, 1),
            "uncached_p50_ms": round(percentile([x * 1000 for x in uncached], 50), 2),
            "uncached_p99_ms": round(percentile([x * 1000 for x in uncached], 99), 2),
            "cached_p50_ms": round(percentile([x * 1000 for x in cached], 50), 2),
            "cached_p99_ms": round(percentile([x * 1000 for x in cached], 99), 2),
        }
    )


# --- two years in seconds ----------------------------------------------------------------


async def two_years(count: int, *, sandboxed: bool = True) -> Figures:
    """`count` trajectories through two simulated years, then as many bare-timer workflows
    with the same timers, on the time-skipping server; one after the other (PLATFORM.md)."""
    with tempfile.TemporaryDirectory(prefix="nbm-bench-ts-") as folder:
        owner_url = embedded_postgres_url(Path(folder) / "pg", cleanup="stop")
        await migrate_database(owner_url)
        store = await PostgresEventStore.connect(as_user(owner_url, WORKER_ROLE))
        keys = parse_keyring(new_keyring_text(), "bench")
        env = await WorkflowEnvironment.start_time_skipping(
            data_converter=data_converter(keys),
            test_server_existing_path=str(temporal_test_server()),
        )
        try:
            await register_search_attributes(env.client)
            queue = "bench-two-years"
            async with build_worker(
                env.client, store, queue, extra_workflows=[BareTimers], sandboxed=sandboxed
            ):
                t = time.perf_counter()
                timers: list[float] = []
                for _ in range(count):
                    timers = await one_two_year_trajectory(env, queue)
                trajectories_s = time.perf_counter() - t
                t = time.perf_counter()
                for i in range(count):
                    await env.client.execute_workflow(
                        BareTimers.run, timers, id=f"bare-{i}", task_queue=queue
                    )
                bare_s = time.perf_counter() - t
        finally:
            await env.shutdown()
            await store.close()
    return phase_end(
        {
            "two_year_trajectories": count,
            "two_year_trajectories_s": round(trajectories_s, 2),
            "bare_timer_workflows_s": round(bare_s, 2),
            "timers_per_trajectory": len(timers),
        }
    )


async def resolve_escalation_tasks(env: WorkflowEnvironment, trajectory_id: str) -> None:
    """The coach resolves the tasks the trajectory's escalations opened, while it runs (the
    Java time-skipping server stalls its next sleep once children outlive their parent)."""
    for event in await service.run_events(env.client, trajectory_id):
        if isinstance(event, trajectory.EscalationRaised):
            task_id = f"task-{trajectory_id}-{event.version}"
            with contextlib.suppress(ServiceError):  # resolved already, or not opened yet
                await stream_service.task_command(
                    env.client, task_id, task.ResolveTask(actor=f.COACH)
                )


async def one_two_year_trajectory(env: WorkflowEnvironment, queue: str) -> list[float]:
    """One trajectory: 96 weeks of learning (an evaluation every 6 weeks), a regular job, its
    checkpoints 1, 3, 6 and 12 months on. The timers it waited on, in seconds, for the bare
    workflow."""
    now = await env.get_current_time()
    start, mapped, _, match = f.ready_to_learn(now)
    assert isinstance(start, trajectory.StartTrajectory)
    tid = start.trajectory_id
    await service.start_trajectory(env.client, queue, start, now=now)
    for command in (mapped, f.establish_agreement(weeks=96), match, f.start_learning()):
        await service.send(env.client, tid, command)  # type: ignore[arg-type]
    state = await service.state(env.client, tid)
    assert state.learning_started_at is not None and state.learning_ends_at is not None
    week = timedelta(weeks=1).total_seconds()
    timers = [6 * week] * 16  # the evaluations; the 16th falls due with the end of learning
    await env.sleep(state.learning_ends_at - await env.get_current_time() + timedelta(hours=1))
    await resolve_escalation_tasks(env, tid)
    job = f.regular_job(32, start_date=(await env.get_current_time()).date())
    await service.send(env.client, tid, job)
    state = await service.state(env.client, tid)
    since = await env.get_current_time()
    for point in state.checkpoints:  # 1, 3, 6 and 12 months on; the last one closes it
        await env.sleep(point.due_at - await env.get_current_time() + timedelta(hours=1))
        await resolve_escalation_tasks(env, tid)  # the checkpoint's own: resolved by it
        timers.append((point.due_at - since).total_seconds())
        since = point.due_at
        await service.send(
            env.client,
            tid,
            trajectory.RecordCheckpoint(
                actor=f.COACH, month=point.month, still_employed=True, hours_per_week=32,
                benefit_end=trajectory.BenefitEnd.FULLY,
            ),
        )  # fmt: skip
    await env.client.get_workflow_handle(tid).result()
    return timers
