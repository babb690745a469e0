"""How fast `nbm audit verify --all` is, against the raw limit of SHA-256 chaining.

Appends N events over S streams (batched, as the workflow's activity does) into a fresh
embedded PostgreSQL as the application's role, then times, in the same run:

- `verify --all`: the CLI's own `verify_store` (reads in batches, recomputes both chains);
- its parts: the batched reads alone, and the chain recomputation alone on rows in memory
  (while verifying, the next batch is read as this one is hashed, so they overlap);
- the raw limit: `hashlib.sha256` chaining of byte strings of the same sizes, one core.

Run: `.venv/bin/python -m bench.verify_bench [--events 20000] [--streams 200]`. The machines
are shared and noisy: quote the ratios, and the absolute figures only with the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import time
from datetime import UTC, datetime, timedelta

from activities import PostgresEventStore
from activities.chain import LinkRow, LinkWriter
from activities.verification import ChainVerifier, VerificationReport
from bench._db import fresh_store
from domain import trajectory
from nbm.audit import BATCH, verify_store

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
ROUNDS = 5


def stream_events(stream: int, count: int) -> list[trajectory.AnyEvent]:
    """`count` events of one stream, each about 350 bytes of canonical JSON."""
    tid = f"traj-bench-{stream:05d}"
    return [
        trajectory.EscalationRaised(
            trajectory_id=tid,
            version=v,
            occurred_at=START + timedelta(days=stream, minutes=v),
            actor="coach-bench",
            reason=trajectory.EscalationReason.EVALUATION_MISSED,
            message=f"evaluation {v} missed; the coach calls the employer and the candidate "
            "to plan the next evaluation within a week " + "." * 60,
        )
        for v in range(1, count + 1)
    ]


async def read_everything(store: PostgresEventStore) -> list[LinkRow]:
    """What `verify --all` reads, batch after batch, without the hashing in between."""
    links: list[LinkRow] = []
    while batch := await store.read_links(after_position=links[-1].position if links else 0,
                                         limit=BATCH):  # fmt: skip
        links.extend(batch)
    return links


def chain_alone(links: list[LinkRow]) -> VerificationReport:
    verifier = ChainVerifier()
    verifier.add_links(links)
    return verifier.report()


def raw_chain(blobs: list[bytes]) -> bytes:
    """The floor: one SHA-256 link per event, nothing else."""
    h = bytes(32)
    for blob in blobs:
        h = hashlib.sha256(h + blob).digest()
    return h


def best(samples: list[float]) -> str:
    return f"best {min(samples):.3f} s, median {statistics.median(samples):.3f} s"


async def run(store: PostgresEventStore, events: int, streams: int, batch: int) -> dict[str, float]:
    per_stream = events // streams
    all_streams = [stream_events(s, per_stream) for s in range(streams)]
    started = time.perf_counter()
    # Round-robin batches, so the global chain crosses streams as in production.
    for offset in range(0, per_stream, batch):
        for stream in all_streams:
            await store.append(stream[offset : offset + batch])
    append_s = time.perf_counter() - started
    total = per_stream * streams
    print(
        f"{total:,} events over {streams} streams appended in {append_s:.2f} s "
        f"({total / append_s:,.0f} events/s, {batch} per append)"
    )

    verify_s, read_s, chain_s, raw_s = [], [], [], []
    records = await read_everything(store)  # also warms the pool and the cache
    writer = LinkWriter()
    blobs = [r.prev_hash + writer.record(r) for r in records]  # same sizes as verified
    mean_size = sum(len(b) for b in blobs) / len(blobs)
    for _ in range(ROUNDS):
        t = time.perf_counter()
        checked = await verify_store(store)
        verify_s.append(time.perf_counter() - t)
        assert checked.report.intact and checked.report.events == total  # a right answer

        t = time.perf_counter()
        await read_everything(store)
        read_s.append(time.perf_counter() - t)

        t = time.perf_counter()
        assert chain_alone(records).intact
        chain_s.append(time.perf_counter() - t)

        t = time.perf_counter()
        raw_chain(blobs)
        raw_s.append(time.perf_counter() - t)

    def rate(samples: list[float]) -> float:
        return total / min(samples)

    print(f"hashed bytes per event: {mean_size:.0f} (header and payload, with prev_hash)")
    print(f"verify --all      {best(verify_s)}: {rate(verify_s):>12,.0f} events/s")
    print(f"  reads alone     {best(read_s)}: {rate(read_s):>12,.0f} rows/s")
    print(f"  chains alone    {best(chain_s)}: {rate(chain_s):>12,.0f} events/s (in memory)")
    print(f"raw sha256 chain  {best(raw_s)}: {rate(raw_s):>12,.0f} events/s (one core)")
    print(
        f"ratios: raw sha256 / verify --all {rate(raw_s) / rate(verify_s):.1f}x; "
        f"raw / chains alone {rate(raw_s) / rate(chain_s):.1f}x; of verify's time, reads "
        f"{min(read_s) / min(verify_s):.0%}, chains {min(chain_s) / min(verify_s):.0%}"
    )
    return {
        "verify_events_per_s": round(rate(verify_s)),
        "verify_reads_rows_per_s": round(rate(read_s)),
        "verify_chains_events_per_s": round(rate(chain_s)),
        "raw_sha256_chain_per_s": round(rate(raw_s)),
        "verify_events": total,
    }


async def bench(events: int, streams: int, batch: int) -> dict[str, float]:
    async with fresh_store() as store:
        return await run(store, events, streams, batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--batch", type=int, default=25, help="events per append")
    args = parser.parse_args()
    asyncio.run(bench(args.events, args.streams, args.batch))


if __name__ == "__main__":
    main()
