"""What one edition teaches the next: its placement rate, its drop-outs, its places."""

from __future__ import annotations

from ..shared import Value
from ._state import Cohort
from ._values import DropOutReason


class Lessons(Value):
    cohort_id: str
    year: int
    name: str
    phase: str
    candidates: int
    dropped_out: int
    drop_out_reasons: dict[DropOutReason, int]
    work_study_hires: int
    places_planned: int
    places_now: int
    employers_with_fewer_places: int
    placed: int | None
    """Candidates in a place of the confirmed assignment (None: not confirmed yet)."""
    placement_rate: float | None
    """Placed of those who started (the pilots: 70-75%)."""
    moved_by_a_person: int | None
    """How many placements the person who confirmed changed."""


def lessons(state: Cohort) -> Lessons:
    reasons: dict[DropOutReason, int] = {}
    for reason in state.dropped_out.values():
        reasons[reason] = reasons.get(reason, 0) + 1
    placed = len(state.confirmed.placements) if state.confirmed is not None else None
    return Lessons(
        cohort_id=state.cohort_id, year=state.year, name=state.name, phase=state.phase.value,
        candidates=len(state.candidates), dropped_out=len(state.dropped_out),
        drop_out_reasons=reasons, work_study_hires=len(state.work_study),
        places_planned=sum(e.planned_places for e in state.employers),
        places_now=state.total_places,
        employers_with_fewer_places=sum(
            1 for e in state.employers if state.places[e.employer_id] < e.planned_places
        ),
        placed=placed,
        placement_rate=(
            round(placed / len(state.candidates), 3) if placed is not None else None
        ),
        moved_by_a_person=len(state.moves) if state.confirmed is not None else None,
    )  # fmt: skip
