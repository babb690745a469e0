"""`make bench`: every goal as a ratio against the raw limit measured in the same run.

Writes `bench/results.json` (the keys, the absolute figures behind each, the core count and
the load average of each phase) and prints the table the README shows. The machines are
shared and noisy: quote the ratios; the absolute figures only with the machine beside them.

Run: `.venv/bin/python -m bench.run [--quick]` (`--quick`: small counts, to try it out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from bench import as_of_bench, core_bench, import_bench, matching_bench, verify_bench
from nbm.settings import DEFAULT_WORKFLOW_CACHE

RESULTS = Path(__file__).parent / "results.json"

GOALS: list[tuple[str, str, float, str]] = [
    # key, comparison, goal, what it is
    ("command_vs_raw_update", ">=", 0.8, "coach commands/s vs no-op updates/s"),
    ("p99_vs_raw_p99", "<=", 2.0, "coach command p99 vs no-op update p99"),
    ("start_vs_raw_start", ">=", 0.8, "trajectory starts/s vs no-op starts/s"),
    ("import_vs_raw_start", ">=", 0.8, "nbm import rows/s (20,000-row CSV) vs no-op starts/s"),
    ("worker_rss_mb_20k_open", "<=", 300.0, "worker peak RSS (MB), open trajectories"),
    ("uncached_p99_vs_cached_p99", "<=", 3.0, "command p99, not cached vs cached"),
    ("two_years_vs_bare_timers", "<=", 2.0, "two years: trajectories vs bare timers"),
    ("verify_vs_raw_sha256", ">=", 0.15, "verify events/s vs raw sha256 chaining/s"),
    ("as_of_ms_500", "info", 0.0, "as-of of a 500-event trajectory, median ms"),
    ("match_vs_raw_set_loop", "info", 0.0, "MRA-size matching, both ways, vs bare set loop"),
]


def met(comparison: str, value: float, goal: float) -> str:
    if comparison == "info":
        return ""
    ok = value >= goal if comparison == ">=" else value <= goal
    return "yes" if ok else "NO"


async def measure(quick: bool) -> dict[str, Any]:
    n = {
        "starts": 80 if quick else 400,
        "updates_per_client": 100 if quick else 250,
        "clients": 8,
        "per_owner": 4,
        "city_clients": 8,
        "open": 1000 if quick else int(os.environ.get("NBM_BENCH_OPEN", "20000")),
        "two_years": 10 if quick else 100,
        "verify_events": 5_000 if quick else 20_000,
        "import_rows": 1_000 if quick else 20_000,
    }
    phases: dict[str, Any] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nbm-bench-") as folder:
        cache = int(os.environ.get("NBM_WORKFLOW_CACHE", DEFAULT_WORKFLOW_CACHE))
        # As the worker reads it (nbm.settings); the bench worker gets the environment.
        sandboxed = TypeAdapter(bool).validate_python(
            os.environ.get("NBM_WORKFLOW_SANDBOX", "true")
        )
        async with core_bench.stack(Path(folder), workflow_cache=cache) as s:
            c, per = n["clients"], n["per_owner"]
            phases["raw_starts"] = await core_bench.raw_starts(s, n["starts"], c)
            phases["trajectory_starts"] = await core_bench.trajectory_starts(s, n["starts"], c)
            (
                phases["raw_updates"],
                phases["coach_commands"],
            ) = await core_bench.updates_against_commands(s, n["updates_per_client"], c, per)
            phases["raw_signal_complete"] = await core_bench.raw_signal_complete(s, n["starts"], c)
            phases["raw_postgres"] = await core_bench.raw_postgres(s.owner_url, 2000, 100_000)
            phases["large_city"] = await core_bench.large_city(
                s, n["open"], n["city_clients"], seed=20261201, workflow_cache=cache
            )
            phases["large_city"]["workflow_cache"] = cache
            phases["large_city"]["workflow_sandbox"] = sandboxed
    # Its own stack: 20,000 more open trajectories would weigh on the large city's worker.
    phases["import"] = await import_bench.bench(n["import_rows"])
    phases["two_years"] = await core_bench.two_years(n["two_years"], sandboxed=sandboxed)
    phases["verify"] = core_bench.phase_end(await verify_bench.bench(n["verify_events"], 200, 25))
    phases["as_of"] = core_bench.phase_end(await as_of_bench.bench(385, 100, 20261123))
    phases["matching"] = core_bench.phase_end(matching_bench.bench())
    return {"counts": n, "phases": phases, "seconds": round(time.perf_counter() - started, 1)}


def keys(p: dict[str, Any]) -> dict[str, float]:
    cmd, raw = p["coach_commands"], p["raw_updates"]
    city, years = p["large_city"], p["two_years"]
    return {
        "command_vs_raw_update": round(cmd["command_per_s"] / raw["raw_update_per_s"], 3),
        "p99_vs_raw_p99": round(cmd["command_p99_ms"] / raw["raw_update_p99_ms"], 2),
        "start_vs_raw_start": round(
            p["trajectory_starts"]["trajectory_start_per_s"] / p["raw_starts"]["raw_start_per_s"],
            3,
        ),
        "import_vs_raw_start": p["import"]["import_vs_raw_start"],
        "worker_rss_mb_20k_open": city["worker_rss_mb_peak"],
        "uncached_p99_vs_cached_p99": round(city["uncached_p99_ms"] / city["cached_p99_ms"], 2),
        "two_years_vs_bare_timers": round(
            years["two_year_trajectories_s"] / years["bare_timer_workflows_s"], 2
        ),
        "verify_vs_raw_sha256": round(
            p["verify"]["verify_events_per_s"] / p["verify"]["raw_sha256_chain_per_s"], 3
        ),
        "as_of_ms_500": p["as_of"]["as_of_median_ms"],
        "match_vs_raw_set_loop": p["matching"]["match_vs_raw_set_loop"],
    }


def table(results: dict[str, Any]) -> str:
    p, k = results["phases"], results["keys"]
    lines = [
        f"make bench, {results['when']}: {results['cores']} cores, {results['seconds']} s in all",
        "",
        "| key | value | goal | met | what |",
        "| --- | ---: | ---: | :---: | --- |",
    ]
    for key, comparison, goal, what in GOALS:
        shown_goal = "" if comparison == "info" else f"{comparison} {goal:g}"
        lines.append(
            f"| `{key}` | {k[key]:g} | {shown_goal} | {met(comparison, k[key], goal)} | {what} |"
        )
    lines += ["", "| raw limit (same run) | figure | load avg |", "| --- | ---: | ---: |"]
    raw = [
        ("no-op workflow starts/s (until a query answers)", p["raw_starts"], "raw_start_per_s"),
        ("no-op updates/s, 8 clients", p["raw_updates"], "raw_update_per_s"),
        ("  p50 / p99 ms", p["raw_updates"], ("raw_update_p50_ms", "raw_update_p99_ms")),
        ("signal + completion/s", p["raw_signal_complete"], "raw_signal_complete_per_s"),
        ("no-op starts/s at the import's concurrency: with finish / bare", p["import"],
         ("import_raw_start_per_s", "import_bare_start_per_s")),
        ("PostgreSQL inserts/s, one per transaction", p["raw_postgres"],
         "raw_pg_insert_one_per_tx_per_s"),
        ("PostgreSQL inserts/s, batched 1,000", p["raw_postgres"], "raw_pg_insert_batched_per_s"),
        ("sha256 chaining/s, one core", p["verify"], "raw_sha256_chain_per_s"),
        ("set-intersection loop over the MRA pairs, ms", p["matching"],
         "raw_set_intersection_ms"),
    ]  # fmt: skip
    lines += [_row(label, phase, field) for label, phase, field in raw]
    lines += ["", "| measured | figure | load avg |", "| --- | ---: | ---: |"]
    measured = [
        ("coach commands/s, 8 clients", p["coach_commands"], "command_per_s"),
        ("  p50 / p99 ms", p["coach_commands"], ("command_p50_ms", "command_p99_ms")),
        ("  history events per command", p["coach_commands"], "history_events_per_command"),
        ("trajectory starts/s", p["trajectory_starts"], "trajectory_start_per_s"),
        ("nbm import rows/s (rows, in flight)", p["import"],
         ("import_rows_per_s", "import_rows", "import_parallel")),
        ("  vs bare no-op starts (start and query only)", p["import"], "import_vs_bare_start"),
        ("open trajectories in one worker", p["large_city"], "open_trajectories"),
        ("  worker cache (workflows)", p["large_city"], "workflow_cache"),
        ("  workflows in the sandbox", p["large_city"], "workflow_sandbox"),
        ("  worker RSS MB: idle / after / peak", p["large_city"],
         ("worker_rss_mb_open_idle", "worker_rss_mb_after_commands", "worker_rss_mb_peak")),
        ("  commands/s, 8 clients, most not cached", p["large_city"], "uncached_command_per_s"),
        ("  command p99 ms: uncached / cached", p["large_city"],
         ("uncached_p99_ms", "cached_p99_ms")),
        ("two years: trajectories s / bare timers s", p["two_years"],
         ("two_year_trajectories_s", "bare_timer_workflows_s")),
        ("verify events/s", p["verify"], "verify_events_per_s"),
        ("as-of median ms (events)", p["as_of"], ("as_of_median_ms", "as_of_events")),
        ("matching, 14 x 29 both ways, median ms (proposals)", p["matching"],
         ("match_everything_ms", "proposals")),
    ]  # fmt: skip
    lines += [_row(label, phase, field) for label, phase, field in measured]
    return "\n".join(lines)


def _row(label: str, phase: dict[str, Any], field: str | tuple[str, ...]) -> str:
    fields = (field,) if isinstance(field, str) else field
    value = " / ".join(_figure(phase.get(x)) for x in fields)
    return f"| {label} | {value} | {phase['load_avg_1m']} |"


def _figure(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:g}"
    return "-"  # not measured in this run (an older results file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts, to try it out")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    measured = asyncio.run(measure(args.quick))
    results = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "quick": args.quick,
        **measured,
    }
    results["keys"] = keys(results["phases"])
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
