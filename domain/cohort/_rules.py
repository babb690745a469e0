"""The rules of a cohort, one function per command: each checks and returns its drafts
(event type and fields), or raises a `DomainError` that a coach can read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..shared import COACH_TIME_ZONE, RuleViolation, WrongStep
from ._commands import (
    SYSTEM_ACTOR,
    ChangePlaces,
    ConfirmAssignment,
    HireWorkStudy,
    ProposeAssignment,
    ReachMilestone,
    RecordDropOut,
    RecordSelectionDay,
    StartCohort,
)
from ._errors import NotInCohort
from ._events import (
    AssignmentConfirmed,
    AssignmentProposed,
    CandidateDroppedOut,
    CohortStarted,
    MilestoneReached,
    PlacesChanged,
    SelectionDayHeld,
    WorkStudyHired,
)
from ._state import Cohort
from ._values import Assignment, Phase, Placement

Draft = tuple[type, dict[str, Any]]


def _today(now: datetime) -> Any:
    return now.astimezone(COACH_TIME_ZONE).date()


def _unique(ids: Iterable[str], what: str) -> None:
    twice = sorted(i for i, n in Counter(ids).items() if n > 1)
    if twice:
        raise RuleViolation(f"{what} named twice: {', '.join(twice)}")


def start(c: StartCohort, now: datetime) -> list[Draft]:
    _unique((x.trajectory_id for x in c.candidates), "trajectory")
    _unique((x.employer_id for x in c.employers), "employer")
    _unique((x.future_job_id for x in c.employers), "future job")
    if c.schedule.ends_on < _today(now):
        raise RuleViolation(f"the cohort's end, {c.schedule.ends_on}, has passed already")
    fields = c.model_dump(exclude={"kind", "cohort_id", "actor", "request_id"})
    fields["candidates"], fields["employers"] = c.candidates, c.employers
    fields["schedule"] = c.schedule
    return [(CohortStarted, fields)]


def milestone(s: Cohort, c: ReachMilestone, now: datetime) -> list[Draft]:
    if c.milestone is not s.next_milestone or now < s.moment(c.milestone):
        return []  # reached already, or not due: the clock had it wrong
    return [(MilestoneReached, {"milestone": c.milestone, "due_on": c.due_on})]


def _active(s: Cohort, trajectory_id: str) -> None:
    if trajectory_id not in s.active:
        left = " (dropped out)" if trajectory_id in s.dropped_out else ""
        raise NotInCohort(
            f"trajectory {trajectory_id} is not in cohort {s.cohort_id}{left}",
            stream_id=s.cohort_id,
        )


def _member(s: Cohort, employer_id: str) -> None:
    if s.employer(employer_id) is None:
        raise NotInCohort(
            f"employer {employer_id} is not in cohort {s.cohort_id}", stream_id=s.cohort_id
        )


def _in_phase(s: Cohort, what: str, *phases: Phase) -> None:
    if s.phase not in phases:
        allowed = " or ".join(p.value for p in phases)
        raise WrongStep(f"{what} comes in the phase {allowed}; the cohort is in {s.phase.value}")


def selection_day(s: Cohort, c: RecordSelectionDay, now: datetime) -> list[Draft]:
    _in_phase(s, "the selection day", Phase.LEARNING, Phase.SELECTED, Phase.YEAR_TWO)
    if c.held_on > _today(now):
        raise RuleViolation(f"the selection day {c.held_on} lies in the future")
    if c.held_on < s.schedule.introduction_ends_on:
        raise RuleViolation(
            f"the selection day {c.held_on} lies before the introduction weeks ended "
            f"({s.schedule.introduction_ends_on})"
        )
    if not c.candidates and not c.employers:
        raise RuleViolation("a selection day records at least one side's preferences")
    _unique((p.trajectory_id for p in c.candidates), "candidate")
    _unique((p.employer_id for p in c.employers), "employer")
    for cp in c.candidates:
        _active(s, cp.trajectory_id)
        _unique(cp.ranking, f"in {cp.trajectory_id}'s ranking, employer")
        for employer_id in cp.ranking:
            _member(s, employer_id)
    for ep in c.employers:
        _member(s, ep.employer_id)
        _unique(ep.ranking, f"in {ep.employer_id}'s ranking, trajectory")
        for trajectory_id in ep.ranking:
            _active(s, trajectory_id)
    return [
        (SelectionDayHeld, {"held_on": c.held_on, "candidates": c.candidates,
                            "employers": c.employers})
    ]  # fmt: skip


def hire(s: Cohort, c: HireWorkStudy) -> list[Draft]:
    _in_phase(s, "a work-study (BBL) hire", Phase.YEAR_TWO)
    _active(s, c.trajectory_id)
    _member(s, c.employer_id)
    if c.trajectory_id in s.work_study:
        raise RuleViolation(f"trajectory {c.trajectory_id} has a work-study (BBL) job already")
    if not s.schedule.year_two_on <= c.start_date < s.schedule.ends_on:
        raise RuleViolation(
            f"a work-study (BBL) job starts in year 2: from {s.schedule.year_two_on}, before "
            f"the cohort ends on {s.schedule.ends_on}"
        )
    hired = sum(1 for job in s.work_study.values() if job.employer_id == c.employer_id)
    if hired >= s.places[c.employer_id]:
        raise RuleViolation(
            f"employer {c.employer_id} has {s.places[c.employer_id]} place(s), all taken"
        )
    fields = c.model_dump(exclude={"kind", "actor", "request_id"})
    return [(WorkStudyHired, fields)]


def change_places(s: Cohort, c: ChangePlaces) -> list[Draft]:
    _member(s, c.employer_id)
    previous = s.places[c.employer_id]
    if c.places == previous:
        raise RuleViolation(f"employer {c.employer_id} has {previous} place(s) already")
    fields = {
        "employer_id": c.employer_id, "places": c.places, "previous": previous,
        "reason": c.reason, "proposal_withdrawn": s.proposal is not None,
    }  # fmt: skip
    return [(PlacesChanged, fields)]


def drop_out(s: Cohort, c: RecordDropOut) -> list[Draft]:
    _active(s, c.trajectory_id)
    fields = {
        "trajectory_id": c.trajectory_id, "reason": c.reason,
        "proposal_withdrawn": s.proposal is not None,
    }  # fmt: skip
    return [(CandidateDroppedOut, fields)]


def check_assignment(s: Cohort, a: Assignment) -> None:
    """An assignment the cohort can take: its own candidates and employers, nobody twice, no
    employer beyond its places, and nobody without a place while a place is free."""
    placed = [p.trajectory_id for p in a.placements]
    _unique(placed + list(a.unplaced), "in the assignment, trajectory")
    for p in a.placements:
        _active(s, p.trajectory_id)
        _member(s, p.employer_id)
    for employer_id, places in s.places.items():
        if a.count_at(employer_id) > places:
            raise RuleViolation(
                f"employer {employer_id} gets {a.count_at(employer_id)} candidates for "
                f"{places} place(s)"
            )
    missing = set(s.active) - set(placed) - set(a.unplaced)
    if missing:
        raise RuleViolation(f"the assignment leaves out {', '.join(sorted(missing))}")
    if a.unplaced and len(placed) < s.total_places:
        raise RuleViolation(
            f"{len(a.unplaced)} candidate(s) without a place while "
            f"{s.total_places - len(placed)} place(s) are free"
        )


def propose(s: Cohort, c: ProposeAssignment) -> list[Draft]:
    _in_phase(s, "an assignment", Phase.ASSIGNING)
    check_assignment(s, c.assignment)
    if c.assignment == s.proposal:
        return []  # proposed already
    return [(AssignmentProposed, {"assignment": c.assignment})]


def placement(s: Cohort, trajectory_id: str, employer_id: str) -> Placement:
    """A placement with both sides' ranks read from the cohort's preferences."""
    cp = s.candidate_preferences.get(trajectory_id, ())
    ep = s.employer_preferences.get(employer_id, ())
    job = s.work_study.get(trajectory_id)
    return Placement(
        trajectory_id=trajectory_id, employer_id=employer_id,
        candidate_rank=cp.index(employer_id) if employer_id in cp else None,
        employer_rank=ep.index(trajectory_id) if trajectory_id in ep else None,
        work_study=job is not None and job.employer_id == employer_id,
    )  # fmt: skip


def confirm(s: Cohort, c: ConfirmAssignment) -> list[Draft]:
    _in_phase(s, "the confirmation", Phase.ASSIGNING)
    if s.proposal is None:
        raise WrongStep("no assignment is proposed (a change withdrew it); propose one first")
    if c.actor == SYSTEM_ACTOR:
        raise RuleViolation("a person confirms the assignment, not the engine")
    if c.moves and c.reason is None:
        raise RuleViolation("a change to the proposal needs a reason")
    _unique((m.trajectory_id for m in c.moves), "in the changes, trajectory")
    moved = {m.trajectory_id: m.employer_id for m in c.moves}
    for tid, employer_id in moved.items():
        _active(s, tid)
        _member(s, employer_id)
        if s.proposal.employer_of(tid) == employer_id:
            raise RuleViolation(f"{tid} is proposed to {employer_id} already: no change")
    kept = [p for p in s.proposal.placements if p.trajectory_id not in moved]
    placements = (*kept, *(placement(s, t, e) for t, e in moved.items()))
    final = Assignment(
        placements=tuple(sorted(placements, key=lambda p: p.trajectory_id)),
        unplaced=tuple(t for t in s.proposal.unplaced if t not in moved),
    )
    check_assignment(s, final)
    return [(AssignmentConfirmed, {"assignment": final, "moves": c.moves, "reason": c.reason})]
