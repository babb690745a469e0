"""How fast the projector catches up, against the raw insert limit of the same PostgreSQL.

    .venv/bin/python -m bench.projection_bench [--events 20000]

Starts an embedded PostgreSQL in a temporary folder, appends about `--events` events of
realistic trajectories (setup, learning with evaluations, a job, the follow-up, closure),
interleaved one command per append as coaches would make them, then measures, as `nbm_app`:

- catch-up from zero by a fresh projector (batches of 500), and `rebuild()`;
- catch-up with no state cache, so every event re-reads and re-folds its whole stream (the
  worst case: a projector that restarts often, or streams far apart in the global order);
- the raw limit: asyncpg `executemany` of 1,000 rows per transaction into a scratch table.

Figures from a shared, noisy machine: quote the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta

import asyncpg

from activities import PostgresEventStore
from activities.projections import Projector
from bench._db import fresh_store
from domain import trajectory
from tests import factories as f
from tests.unit.story import WEEK, Story, checkpoint

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
COACHES = [f"coach-{i:02d}" for i in range(25)]
ROUTES = list(trajectory.Route)


def trajectory_events(i: int) -> list[list[trajectory.AnyEvent]]:
    """One trajectory's appends (one per command), about 17 events in all."""
    story = Story(T0 + timedelta(minutes=i))
    start = f.start(story.now, trajectory_id=f"traj-bench-{i:06d}", route=ROUTES[i % len(ROUTES)])
    appends = [story.do(start.model_copy(update={"coach_id": COACHES[i % len(COACHES)]}))]
    for command in f.ready_to_learn(story.now)[1:]:
        appends.append(story.do(command))
    appends.append(story.later(WEEK).do(f.start_learning()))
    for _ in range(3):
        appends.append(story.reach(trajectory.DeadlineKind.EVALUATION))
        verdict = trajectory.EvaluationVerdict.ON_TRACK
        appends.append(
            story.do(
                trajectory.RecordEvaluation(actor=f.COACH, verdict=verdict, employer_present=True)
            )
        )
    if i % 4 == 3:  # a quarter withdraw: not placed
        reason = trajectory.ClosureReason.CANDIDATE_WITHDREW
        appends.append(story.do(trajectory.EndTrajectory(actor=f.COACH, reason=reason)))
        return appends
    appends.append(story.later(WEEK).do(f.regular_job(32)))
    for month in (1, 3, 6, 12):  # the checkpoints; the 12-month one closes it
        appends.append(story.reach(trajectory.DeadlineKind.CHECKPOINT))
        appends.append(story.do(checkpoint(month, still_employed=i % 5 != 0 or month < 12)))
    return appends


async def append_all(store: PostgresEventStore, wanted: int) -> int:
    streams: list[list[list[trajectory.AnyEvent]]] = []
    while sum(len(e) for s in streams for e in s) < wanted:
        streams.append(trajectory_events(len(streams)))
    total = 0
    for round_ in range(max(len(s) for s in streams)):
        for appends in streams:
            if round_ < len(appends):
                total += await store.append(appends[round_])
    return total


async def timed(label: str, events: int, work: asyncio.Future[object] | object) -> float:
    started = time.perf_counter()
    await work  # type: ignore[misc]
    seconds = time.perf_counter() - started
    rate = events / seconds
    print(f"{label:<58} {events:>7} in {seconds:6.2f} s = {rate:>9,.0f}/s")
    return rate


async def raw_limit(pool: asyncpg.Pool, rows: int) -> float:
    """asyncpg executemany, 1,000 rows per transaction, rows about the size of a summary."""
    async with pool.acquire() as conn:
        await conn.execute(
            "CREATE TEMP TABLE raw (id text PRIMARY KEY, version int, step text, coach_id text,"
            " started_at timestamptz, hours int, closed boolean)"
        )
        now = datetime.now(UTC)
        data = [
            (f"traj-{i:08d}", i, "5-learning-in", "coach-01", now, 32, False) for i in range(rows)
        ]
        started = time.perf_counter()
        for at in range(0, rows, 1000):
            async with conn.transaction():
                await conn.executemany(
                    "INSERT INTO raw VALUES ($1, $2, $3, $4, $5, $6, $7)", data[at : at + 1000]
                )
        seconds = time.perf_counter() - started
    rate = rows / seconds
    label = "raw: executemany, 1,000 rows per transaction"
    print(f"{label:<58} {rows:>7} in {seconds:6.2f} s = {rate:>9,.0f}/s")
    return rate


async def main(wanted: int) -> None:
    async with fresh_store(max_size=4) as store:
        started = time.perf_counter()
        events = await append_all(store, wanted)
        print(f"appended {events} events in {time.perf_counter() - started:.1f} s")
        pool = store.pool
        catch_up = await timed(
            "catch-up from zero (fresh projector, batches of 500)",
            events,
            Projector(pool).catch_up(batch=500),
        )
        await timed("rebuild() from zero", events, Projector(pool).rebuild(batch=500))
        uncached = Projector(pool)
        uncached.STATE_CACHE_SIZE = 0  # each batch re-reads and folds the streams it touches
        async with pool.acquire() as conn:
            await conn.execute("UPDATE projection_tracking SET position = 0")
        await timed(
            "catch-up, no state cache (each batch re-reads its streams)",
            min(events, 5000),
            _first_events(uncached, min(events, 5000)),
        )
        raw = await raw_limit(pool, 20_000)
        print(f"ratio catch-up / raw executemany: {catch_up / raw:.2f}")


async def _first_events(projector: Projector, events: int) -> None:
    done = 0
    while done < events:
        done += await projector.apply_batch(batch=min(500, events - done))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().events))
