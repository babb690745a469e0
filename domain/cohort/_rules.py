"""The rules of a cohort, one function per command: each checks and returns its drafts
(event type and fields), or raises a `DomainError` that a coach can read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..shared import COACH_TIME_ZONE, N_, Phrase, RuleViolation, WrongStep
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


def _unique(ids: Iterable[str], what: str | Phrase) -> None:
    twice = sorted(i for i, n in Counter(ids).items() if n > 1)
    if twice:
        raise RuleViolation(
            N_("{what} named twice: {twice}"),
            what=what if isinstance(what, Phrase) else Phrase(what),
            twice=", ".join(twice),
        )


def start(c: StartCohort, now: datetime) -> list[Draft]:
    _unique((x.trajectory_id for x in c.candidates), N_("trajectory"))
    _unique((x.employer_id for x in c.employers), N_("employer"))
    _unique((x.future_job_id for x in c.employers), N_("future job"))
    if c.schedule.ends_on < _today(now):
        raise RuleViolation(
            N_("the cohort's end, {ends_on}, has passed already"), ends_on=c.schedule.ends_on
        )
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
        left = Phrase(N_(" (dropped out)")) if trajectory_id in s.dropped_out else ""
        raise NotInCohort(
            N_("trajectory {trajectory_id} is not in cohort {cohort_id}{left}"),
            trajectory_id=trajectory_id,
            cohort_id=s.cohort_id,
            left=left,
            stream_id=s.cohort_id,
        )


def _member(s: Cohort, employer_id: str) -> None:
    if s.employer(employer_id) is None:
        raise NotInCohort(
            N_("employer {employer_id} is not in cohort {cohort_id}"),
            employer_id=employer_id,
            cohort_id=s.cohort_id,
            stream_id=s.cohort_id,
        )


def _in_phase(s: Cohort, what: str, *phases: Phase) -> None:
    if s.phase not in phases:
        allowed = " / ".join(p.value for p in phases)
        raise WrongStep(
            N_("{what} comes in the phase {allowed}; the cohort is in {phase}"),
            what=Phrase(what),
            allowed=allowed,
            phase=s.phase.value,
        )


def selection_day(s: Cohort, c: RecordSelectionDay, now: datetime) -> list[Draft]:
    _in_phase(s, N_("the selection day"), Phase.LEARNING, Phase.SELECTED, Phase.YEAR_TWO)
    if c.held_on > _today(now):
        raise RuleViolation(N_("the selection day {held_on} lies in the future"), held_on=c.held_on)
    if c.held_on < s.schedule.introduction_ends_on:
        raise RuleViolation(
            N_(
                "the selection day {held_on} lies before the introduction weeks ended "
                "({introduction_ends_on})"
            ),
            held_on=c.held_on,
            introduction_ends_on=s.schedule.introduction_ends_on,
        )
    if not c.candidates and not c.employers:
        raise RuleViolation(N_("a selection day records at least one side's preferences"))
    _unique((p.trajectory_id for p in c.candidates), N_("candidate"))
    _unique((p.employer_id for p in c.employers), N_("employer"))
    for cp in c.candidates:
        _active(s, cp.trajectory_id)
        _unique(
            cp.ranking,
            Phrase(N_("in {trajectory_id}'s ranking, employer"), trajectory_id=cp.trajectory_id),
        )
        for employer_id in cp.ranking:
            _member(s, employer_id)
    for ep in c.employers:
        _member(s, ep.employer_id)
        _unique(
            ep.ranking,
            Phrase(N_("in {employer_id}'s ranking, trajectory"), employer_id=ep.employer_id),
        )
        for trajectory_id in ep.ranking:
            _active(s, trajectory_id)
    return [
        (SelectionDayHeld, {"held_on": c.held_on, "candidates": c.candidates,
                            "employers": c.employers})
    ]  # fmt: skip


def hire(s: Cohort, c: HireWorkStudy) -> list[Draft]:
    _in_phase(s, N_("a work-study (BBL) hire"), Phase.YEAR_TWO)
    _active(s, c.trajectory_id)
    _member(s, c.employer_id)
    if c.trajectory_id in s.work_study:
        raise RuleViolation(
            N_("trajectory {trajectory_id} has a work-study (BBL) job already"),
            trajectory_id=c.trajectory_id,
        )
    if not s.schedule.year_two_on <= c.start_date < s.schedule.ends_on:
        raise RuleViolation(
            N_(
                "a work-study (BBL) job starts in year 2: from {year_two_on}, before the cohort "
                "ends on {ends_on}"
            ),
            year_two_on=s.schedule.year_two_on,
            ends_on=s.schedule.ends_on,
        )
    hired = sum(1 for job in s.work_study.values() if job.employer_id == c.employer_id)
    if hired >= s.places[c.employer_id]:
        raise RuleViolation(
            N_("employer {employer_id} has {places} place(s), all taken"),
            employer_id=c.employer_id,
            places=s.places[c.employer_id],
        )
    fields = c.model_dump(exclude={"kind", "actor", "request_id"})
    return [(WorkStudyHired, fields)]


def change_places(s: Cohort, c: ChangePlaces) -> list[Draft]:
    _member(s, c.employer_id)
    previous = s.places[c.employer_id]
    if c.places == previous:
        raise RuleViolation(
            N_("employer {employer_id} has {previous} place(s) already"),
            employer_id=c.employer_id,
            previous=previous,
        )
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
    _unique(placed + list(a.unplaced), N_("in the assignment, trajectory"))
    for p in a.placements:
        _active(s, p.trajectory_id)
        _member(s, p.employer_id)
    for employer_id, places in s.places.items():
        if a.count_at(employer_id) > places:
            raise RuleViolation(
                N_("employer {employer_id} gets {candidates} candidates for {places} place(s)"),
                employer_id=employer_id,
                candidates=a.count_at(employer_id),
                places=places,
            )
    missing = set(s.active) - set(placed) - set(a.unplaced)
    if missing:
        raise RuleViolation(
            N_("the assignment leaves out {missing}"), missing=", ".join(sorted(missing))
        )
    if a.unplaced and len(placed) < s.total_places:
        raise RuleViolation(
            N_("{unplaced} candidate(s) without a place while {free} place(s) are free"),
            unplaced=len(a.unplaced),
            free=s.total_places - len(placed),
        )


def propose(s: Cohort, c: ProposeAssignment) -> list[Draft]:
    _in_phase(s, N_("an assignment"), Phase.ASSIGNING)
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
    _in_phase(s, N_("the confirmation"), Phase.ASSIGNING)
    if s.proposal is None:
        raise WrongStep(N_("no assignment is proposed (a change withdrew it); propose one first"))
    if c.actor == SYSTEM_ACTOR:
        raise RuleViolation(N_("a person confirms the assignment, not the engine"))
    if c.moves and c.reason is None:
        raise RuleViolation(N_("a change to the proposal needs a reason"))
    _unique((m.trajectory_id for m in c.moves), N_("in the changes, trajectory"))
    moved = {m.trajectory_id: m.employer_id for m in c.moves}
    for tid, employer_id in moved.items():
        _active(s, tid)
        _member(s, employer_id)
        if s.proposal.employer_of(tid) == employer_id:
            raise RuleViolation(
                N_("{tid} is proposed to {employer_id} already: no change"),
                tid=tid,
                employer_id=employer_id,
            )
    kept = [p for p in s.proposal.placements if p.trajectory_id not in moved]
    placements = (*kept, *(placement(s, t, e) for t, e in moved.items()))
    final = Assignment(
        placements=tuple(sorted(placements, key=lambda p: p.trajectory_id)),
        unplaced=tuple(t for t in s.proposal.unplaced if t not in moved),
    )
    check_assignment(s, final)
    return [(AssignmentConfirmed, {"assignment": final, "moves": c.moves, "reason": c.reason})]
