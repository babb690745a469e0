"""How fast the matching ranks at the MRA pilot's size (14 personal profiles, 29 function
profiles), against the raw limit of a bare set-intersection loop over the same pairs.

"Everything for everyone": the candidates for each of the 29 functions, and the functions for
each of the 14 candidates, each proposal with its parts and explanation. The raw limit does
only the core of it: one `set & set` of skills per pair, the same number of pairs.

Run: `.venv/bin/python -m bench.matching_bench`. Quote the ratio; the milliseconds only with
the machine beside them.
"""

from __future__ import annotations

import statistics
import time

from domain.matching import (
    CandidateProfile,
    FunctionProfile,
    Vocabulary,
    rank_candidates,
    rank_jobs,
)
from nbm.skills import load_vocabulary
from tests import matching_fixtures as fx

ROUNDS = 20


def _everything(
    candidates: list[CandidateProfile], functions: list[FunctionProfile], vocab: Vocabulary
) -> int:
    proposals = 0
    for function in functions:
        proposals += len(rank_candidates(function, candidates, vocab))
    for candidate in candidates:
        proposals += len(rank_jobs(candidate, functions, vocab))
    return proposals


def _raw(skill_sets: list[frozenset[str]], required: list[frozenset[str]]) -> int:
    found = 0
    for _ in range(2):  # both directions: the same pairs twice
        for r in required:
            for s in skill_sets:
                found += len(r & s)
    return found


def bench(rounds: int = ROUNDS) -> dict[str, float | int]:
    candidates, functions = fx.candidates(), fx.functions()
    vocab = load_vocabulary()
    skill_sets = [frozenset(c.skills) for c in candidates]
    required = [frozenset(f.required_skills) for f in functions]
    ranked, raw = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        proposals = _everything(candidates, functions, vocab)
        ranked.append(time.perf_counter() - t)
        t = time.perf_counter()
        _raw(skill_sets, required)
        raw.append(time.perf_counter() - t)
    ms, raw_ms = statistics.median(ranked) * 1000, statistics.median(raw) * 1000
    return {
        "candidates": len(candidates),
        "functions": len(functions),
        "proposals": proposals,
        "match_everything_ms": round(ms, 2),
        "raw_set_intersection_ms": round(raw_ms, 3),
        "match_vs_raw_set_loop": round(ms / raw_ms, 1),
    }


if __name__ == "__main__":
    for key, value in bench().items():
        print(f"{key}: {value}")
