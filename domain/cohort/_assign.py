"""The assignment of a cohort's candidates to its employers' places: an optimal one, by the
Hungarian method (`scipy.optimize.linear_sum_assignment`), never a greedy loop.

Every place is a column (an employer with k places gives k columns), every candidate still
in the cohort a row. A rectangular assignment fills min(candidates, places) pairs, so nobody
is left without a place while a place is free: that comes first, by construction. Among
those, the cost is both sides' preferences, weighed alike: the employer's rank in the
candidate's list (scaled by the number of candidates) plus the candidate's rank in the
employer's list (scaled by the number of employers), an unranked one counting as last. A
candidate already in a work-study (BBL) job stays with that employer unless its places do
not allow it (a bonus worth more than any two ranks).

Pure and deterministic: the rows and columns are sorted by id first, so the same cohort
gives the same assignment whatever the order it was typed in. scipy is imported on first
use: the domain is imported by every process, the assignment is computed by few.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._state import Cohort
from ._values import Assignment, Placement


def _rank(ranking: Sequence[str], item: str) -> int | None:
    return ranking.index(item) if item in ranking else None


def assign(
    candidates: Sequence[str],
    places: Mapping[str, int],
    candidate_preferences: Mapping[str, Sequence[str]],
    employer_preferences: Mapping[str, Sequence[str]],
    work_study: Mapping[str, str] | None = None,
) -> Assignment:
    """The optimal assignment of `candidates` (trajectory ids) to `places` (by employer).

    Args:
        candidates: the trajectories to place.
        places: each employer's number of places.
        candidate_preferences: by trajectory, the employers it prefers, best first.
        employer_preferences: by employer, the trajectories it prefers, best first.
        work_study: by trajectory, the employer it works for in a work-study (BBL) job.
    """
    # On first use (see the module's docstring).
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    bbl = dict(work_study or {})
    rows = sorted(set(candidates))
    employers = sorted(e for e, k in places.items() if k > 0)
    columns = [e for e in employers for _ in range(places[e])]
    if not rows or not columns:
        return Assignment(unplaced=tuple(rows))
    n, m = len(rows), max(len(employers), 1)
    bonus = 2 * n * m + 1
    cost = np.zeros((n, len(columns)), dtype=np.int64)
    ranks: dict[tuple[str, str], tuple[int | None, int | None]] = {}
    for i, tid in enumerate(rows):
        for e in employers:
            cr = _rank(candidate_preferences.get(tid, ()), e)
            er = _rank(employer_preferences.get(e, ()), tid)
            ranks[tid, e] = (cr, er)
            value = (m if cr is None else cr) * n + (n if er is None else er) * m
            if bbl.get(tid) == e:
                value -= bonus
            for j, column in enumerate(columns):
                if column == e:
                    cost[i, j] = value
    chosen_rows, chosen_columns = linear_sum_assignment(cost)
    placements = []
    for i, j in zip(chosen_rows.tolist(), chosen_columns.tolist(), strict=True):
        tid, e = rows[i], columns[j]
        cr, er = ranks[tid, e]
        placements.append(
            Placement(
                trajectory_id=tid,
                employer_id=e,
                candidate_rank=cr,
                employer_rank=er,
                work_study=bbl.get(tid) == e,
            )
        )
    placed = {p.trajectory_id for p in placements}
    return Assignment(
        placements=tuple(placements), unplaced=tuple(t for t in rows if t not in placed)
    )


def assignment_for(state: Cohort) -> Assignment:
    """The assignment of the cohort's candidates still in it to its employers' places now."""
    return assign(
        state.active,
        state.places,
        state.candidate_preferences,
        state.employer_preferences,
        {tid: job.employer_id for tid, job in state.work_study.items()},
    )


def preference_cost(state: Cohort, assignment: Assignment) -> int:
    """The sum of both sides' ranks in `assignment` (an unranked pair counts as last):
    lower is better; what a person's changes cost, shown beside them."""
    n, m = max(len(state.active), 1), max(len(state.employers), 1)
    total = 0
    for p in assignment.placements:
        total += (m if p.candidate_rank is None else p.candidate_rank) * n
        total += (n if p.employer_rank is None else p.employer_rank) * m
    return total
