"""How fast `nbm import` starts a caseload, against the raw limit of no-op workflow starts.

A generated CSV file of N rows (default 20,000; each its own job, as a caseload from
another system has them) is read and started through `nbm.caseload_import` (the code path
of `nbm import`: `read_file`, then `run_import` with its bounded concurrency and one
Temporal client) against the embedded stack of `core_bench` with the production worker
running. The raw limit is `core_bench.raw_starts` (a no-op workflow started until it answers
a query, then told to finish: the method of `start_vs_raw_start`), at the import's own
concurrency; and, stricter, `import_vs_bare_start`: the same without the finishing signal
in the timing (a start and its query only).

The two are measured in turns (a part of the raw starts, then a part of the rows, five
times), so both meet the same machine: a shared one drifts over the minutes a full run takes.
The key is `import_vs_raw_start` = rows imported per second / no-op starts per second.

Run: `.venv/bin/python -m bench.import_bench [--rows 20000] [--parallel 16]`; `bench.run`
runs it as its `import` phase.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench import core_bench
from bench.core_bench import Figures, phase_end
from nbm import caseload_import as imp
from nbm.settings import DEFAULT_WORKFLOW_CACHE

ROUNDS = 5
RAW_PER_ROUND = 160
"""No-op starts per turn: 800 in all, twice the core bench's count."""
COACHES = 40


async def bare_starts(s: core_bench.Stack, count: int, clients: int) -> tuple[float, int]:
    """A stricter raw limit: a no-op start until it answers a query, without the signal that
    ends it (sent after the timing). Seconds taken and starts made."""
    handles = []

    async def one(c: int, n: int) -> None:
        handle = await core_bench.start_noop(s, "bare")
        await handle.query(core_bench.NoopWorkflow.alive)
        handles.append(handle)

    _latencies, elapsed = await core_bench.timed_clients(clients, count // clients, one)
    for handle in handles:
        await handle.signal(core_bench.NoopWorkflow.finish)
    return elapsed, len(handles)


def write_caseload(path: Path, rows: int, *, today: date | None = None) -> None:
    """A caseload of `rows` trajectories, each row distinct: 40 coaches, starts over the last
    year, jobs expected within the next one."""
    today = today or date.today()
    lines = ["coach,started_on,employer,function,expected_date,skills,jobs,programme"]
    for i in range(rows):
        started = today - timedelta(days=1 + i % 360)
        expected = today + timedelta(days=30 + i % 300)
        lines.append(
            f"coach-{i % COACHES:02d},{started.isoformat()},employer-{i % 97:03d},"
            f"Functie {i},{expected.isoformat()},ADL care|communication,{1 + i % 3},standard"
        )
    path.write_text("\n".join(lines) + "\n")


async def bench(rows: int, parallel: int = imp.DEFAULT_PARALLEL) -> Figures:
    with tempfile.TemporaryDirectory(prefix="nbm-import-bench-") as folder:
        csv = Path(folder) / "caseload.csv"
        write_caseload(csv, rows)
        async with core_bench.stack(Path(folder), workflow_cache=DEFAULT_WORKFLOW_CACHE) as s:
            started = time.perf_counter()
            found = imp.read_file(csv)
            read_s = time.perf_counter() - started
            assert not found.refused, found.refused[:3]
            raw_s, raw_count, import_s = 0.0, 0, read_s
            bare_s, bare_count = 0.0, 0
            report = imp.ImportReport(found)
            chunk = -(-len(found.rows) // ROUNDS)
            for r in range(ROUNDS):
                raw = await core_bench.raw_starts(s, RAW_PER_ROUND, parallel)
                raw_count += raw["raw_start_count"]
                raw_s += raw["raw_start_count"] / raw["raw_start_per_s"]
                seconds, count = await bare_starts(s, RAW_PER_ROUND, parallel)
                bare_s, bare_count = bare_s + seconds, bare_count + count
                part = imp.ImportFile(csv, found.columns, found.rows[r * chunk : (r + 1) * chunk])
                t = time.perf_counter()
                await imp.run_import(
                    s.client, s.task_queue, part, actor="bench", parallel=parallel, report=report
                )
                import_s += time.perf_counter() - t
            started_rows = report.count(imp.Outcome.STARTED)
            assert started_rows == rows and not report.refused, report.as_json()["refusals"][:3]
            rss, peak = s.worker_memory_mb()
    import_rate = rows / import_s
    raw_rate = raw_count / raw_s
    bare_rate = bare_count / bare_s
    return phase_end(
        {
            "import_rows": rows,
            "import_parallel": parallel,
            "import_read_file_s": round(read_s, 2),
            "import_rows_per_s": round(import_rate, 1),
            "import_raw_start_per_s": round(raw_rate, 1),
            "import_raw_start_count": raw_count,
            "import_vs_raw_start": round(import_rate / raw_rate, 3),
            "import_bare_start_per_s": round(bare_rate, 1),
            "import_vs_bare_start": round(import_rate / bare_rate, 3),
            "import_seconds": round(import_s, 1),
            "import_worker_rss_mb": rss,
            "import_worker_rss_mb_peak": peak,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--parallel", type=int, default=imp.DEFAULT_PARALLEL)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(bench(args.rows, args.parallel)), indent=2))


if __name__ == "__main__":
    main()
