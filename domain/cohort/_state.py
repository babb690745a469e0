"""The state of a cohort: the fold of its events. `evolve` trusts them (they were decided);
`decide` is where the rules are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import assert_never

from pydantic import Field

from ..shared import NonEmpty, OpaqueId, Value, clock_moment
from ._events import (
    AnyEvent,
    AssignmentConfirmed,
    AssignmentProposed,
    CandidateDroppedOut,
    CohortStarted,
    MilestoneReached,
    PlacesChanged,
    SelectionDayHeld,
    WorkStudyHired,
)
from ._values import (
    MILESTONES,
    Assignment,
    CohortCandidate,
    CohortEmployer,
    DropOutReason,
    Milestone,
    Move,
    Phase,
    Schedule,
    WorkStudyJob,
)


class Cohort(Value):
    cohort_id: OpaqueId
    year: int
    programme_id: OpaqueId
    name: NonEmpty
    coach_id: OpaqueId
    candidates: tuple[CohortCandidate, ...]
    employers: tuple[CohortEmployer, ...]
    schedule: Schedule
    places: dict[str, int]
    """By employer: the places it offers now (planned ones until it says otherwise)."""
    reached: tuple[Milestone, ...] = ()
    selection_held: bool = False
    candidate_preferences: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    employer_preferences: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    work_study: dict[str, WorkStudyJob] = Field(default_factory=dict)
    """By trajectory: its work-study (BBL) job."""
    dropped_out: dict[str, DropOutReason] = Field(default_factory=dict)
    proposal: Assignment | None = None
    confirmed: Assignment | None = None
    moves: tuple[Move, ...] = ()
    """What the person who confirmed changed in the proposal."""
    confirmed_by: str | None = None
    version: int
    started_at: datetime
    updated_at: datetime

    @property
    def phase(self) -> Phase:
        if self.confirmed is not None:
            return Phase.CONFIRMED
        if Milestone.END in self.reached:
            return Phase.ASSIGNING
        if Milestone.YEAR_TWO in self.reached:
            return Phase.YEAR_TWO
        if self.selection_held:
            return Phase.SELECTED
        if Milestone.INTRODUCTION_END in self.reached:
            return Phase.LEARNING
        return Phase.INTRODUCTION

    @property
    def closed(self) -> bool:
        return self.confirmed is not None

    @property
    def active(self) -> tuple[str, ...]:
        """The trajectories still in the cohort, in the order they joined."""
        return tuple(
            c.trajectory_id for c in self.candidates if c.trajectory_id not in self.dropped_out
        )

    @property
    def employer_ids(self) -> tuple[str, ...]:
        return tuple(e.employer_id for e in self.employers)

    def employer(self, employer_id: str) -> CohortEmployer | None:
        return next((e for e in self.employers if e.employer_id == employer_id), None)

    @property
    def total_places(self) -> int:
        return sum(self.places.values())

    @property
    def next_milestone(self) -> Milestone | None:
        return next((m for m in MILESTONES if m not in self.reached), None)

    def moment(self, milestone: Milestone) -> datetime:
        """When `milestone` comes: 9:00 in Amsterdam on its day."""
        return clock_moment(self.schedule.on(milestone), self.started_at)

    @property
    def needs_proposal(self) -> bool:
        """The end came and no proposal stands (none yet, or withdrawn by a change)."""
        return self.phase is Phase.ASSIGNING and self.proposal is None


def evolve(state: Cohort | None, event: AnyEvent) -> Cohort:
    if isinstance(event, CohortStarted):
        return Cohort(
            cohort_id=event.cohort_id, year=event.year, programme_id=event.programme_id,
            name=event.name, coach_id=event.coach_id, candidates=event.candidates,
            employers=event.employers, schedule=event.schedule,
            places={e.employer_id: e.planned_places for e in event.employers},
            version=event.version, started_at=event.occurred_at, updated_at=event.occurred_at,
        )  # fmt: skip
    if state is None:
        raise ValueError(f"{event.type} before the cohort started")
    changes: dict[str, object]
    match event:
        case MilestoneReached():
            changes = {"reached": (*state.reached, event.milestone)}
        case SelectionDayHeld():
            changes = {
                "selection_held": True,
                "candidate_preferences": {
                    **state.candidate_preferences,
                    **{p.trajectory_id: p.ranking for p in event.candidates},
                },
                "employer_preferences": {
                    **state.employer_preferences,
                    **{p.employer_id: p.ranking for p in event.employers},
                },
            }
        case WorkStudyHired():
            job = WorkStudyJob(
                employer_id=event.employer_id, start_date=event.start_date,
                contract_hours_per_week=event.contract_hours_per_week,
            )  # fmt: skip
            changes = {"work_study": {**state.work_study, event.trajectory_id: job}}
        case PlacesChanged():
            changes = {"places": {**state.places, event.employer_id: event.places}}
            if event.proposal_withdrawn:
                changes["proposal"] = None
        case CandidateDroppedOut():
            changes = {"dropped_out": {**state.dropped_out, event.trajectory_id: event.reason}}
            if event.proposal_withdrawn:
                changes["proposal"] = None
        case AssignmentProposed():
            changes = {"proposal": event.assignment}
        case AssignmentConfirmed():
            changes = {
                "confirmed": event.assignment, "moves": event.moves,
                "confirmed_by": event.actor,
            }  # fmt: skip
        case CohortStarted():  # pragma: no cover - handled above
            raise AssertionError
        case _:
            assert_never(event)
    return state.model_copy(
        update={**changes, "version": event.version, "updated_at": event.occurred_at}
    )


def fold(events: Iterable[AnyEvent], state: Cohort | None = None) -> Cohort | None:
    for event in events:
        state = evolve(state, event)
    return state
