"""How fast `nbm audit as-of` is on a long trajectory, against the raw limits of its parts.

One two-year trajectory (about 4,000 events in one stream) in a fresh embedded PostgreSQL.
Times, at the same 100 random moments:

- `as-of`: `state_as_of` (the SELECT with `until`, decoding and upcasting, the fold);
- the SELECT alone (the same query, rows fetched, nothing decoded);
- decoding alone (`load_event` of the fetched payloads, in memory);
- `domain.fold` alone over the same events, already in memory.

Run: `.venv/bin/python -m bench.as_of_bench [--commands 3000] [--moments 100]`. The machines
are shared and noisy: quote the ratios, and the absolute figures only with the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from datetime import datetime

from activities import PostgresEventStore
from bench._db import fresh_store
from domain import trajectory
from nbm.audit import state_as_of
from tests.integration.test_as_of import long_trajectory

TID = "traj-bench-0001"


def per_call(seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    p95 = statistics.quantiles(ms, n=20)[-1]
    return f"median {statistics.median(ms):7.2f} ms, p95 {p95:7.2f} ms"


async def bench(commands: int, moments: int, seed: int) -> dict[str, float]:
    async with fresh_store() as store:
        return await run(store, commands, moments, seed)


async def run(
    store: PostgresEventStore, commands: int, moments: int, seed: int
) -> dict[str, float]:
    events = long_trajectory(commands, trajectory_id=TID)
    started = time.perf_counter()
    await store.append(events)
    append_s = time.perf_counter() - started
    first, last = events[0].occurred_at, events[-1].occurred_at
    rng = random.Random(seed)
    at: list[datetime] = [first + (last - first) * rng.random() for _ in range(moments)]
    prefixes = [[e for e in events if e.occurred_at <= m] for m in at]
    folded = sum(len(p) for p in prefixes)
    print(
        f"{len(events)} events in one stream over {(last - first).days} days "
        f"(appended in {append_s:.2f} s); {moments} random moments, {folded} events folded "
        f"in all (mean {folded / moments:.0f} per call)"
    )

    # Warm the pool, the query plan and the caches, so the first call measures nothing else.
    await state_as_of(store, TID, last)

    as_of_s = []
    for moment, prefix in zip(at, prefixes, strict=True):
        t = time.perf_counter()
        state = (await state_as_of(store, TID, moment)).state
        as_of_s.append(time.perf_counter() - t)
        assert state.version == prefix[-1].version  # the figure is for a right answer

    select_s, payloads = [], []
    for moment in at:
        t = time.perf_counter()
        rows = await store.pool.fetch(
            "SELECT payload FROM events WHERE stream_id = $1 AND version > 0 "
            "AND occurred_at <= $2 ORDER BY version",
            TID,
            moment,
        )
        select_s.append(time.perf_counter() - t)
        payloads.append([bytes(r["payload"]) for r in rows])

    decode_s = []
    for rows in payloads:
        t = time.perf_counter()
        [trajectory.load_event(json.loads(p)) for p in rows]
        decode_s.append(time.perf_counter() - t)

    fold_s = []
    for prefix in prefixes:
        t = time.perf_counter()
        trajectory.fold(prefix)
        fold_s.append(time.perf_counter() - t)

    total = {name: sum(s) for name, s in (("as-of", as_of_s), ("select", select_s),
             ("decode", decode_s), ("fold", fold_s))}  # fmt: skip
    print(f"as-of         {per_call(as_of_s)}; {folded / total['as-of']:>10,.0f} events/s")
    print(f"SELECT alone  {per_call(select_s)}; {folded / total['select']:>10,.0f} rows/s")
    print(f"decode alone  {per_call(decode_s)}; {folded / total['decode']:>10,.0f} events/s")
    print(f"fold alone    {per_call(fold_s)}; {folded / total['fold']:>10,.0f} events/s")
    parts = total["select"] + total["decode"] + total["fold"]
    print(
        f"ratios: as-of / fold alone {total['as-of'] / total['fold']:.1f}x, "
        f"as-of / SELECT alone {total['as-of'] / total['select']:.1f}x; "
        f"of the parts: SELECT {total['select'] / parts:.0%}, decode "
        f"{total['decode'] / parts:.0%}, fold {total['fold'] / parts:.0%}"
    )
    return {
        "as_of_events": len(events),
        "as_of_median_ms": round(statistics.median(as_of_s) * 1000, 2),
        "as_of_select_median_ms": round(statistics.median(select_s) * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=3000, help="coach commands (~1.3 events)")
    parser.add_argument("--moments", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    asyncio.run(bench(args.commands, args.moments, args.seed))


if __name__ == "__main__":
    main()
