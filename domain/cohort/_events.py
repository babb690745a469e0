"""Events of a cohort, in the past tense; its stream's id is the cohort's id."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from ..shared import EventEnvelope, FreeText, NonEmpty, OpaqueId
from ._commands import CandidatePreference, EmployerPreference
from ._values import (
    Assignment,
    CohortCandidate,
    CohortEmployer,
    DropOutReason,
    Milestone,
    Move,
    Schedule,
)


class Event(EventEnvelope):
    cohort_id: OpaqueId

    @property
    def stream_id(self) -> str:
        return self.cohort_id


class CohortStarted(Event):
    type: Literal["CohortStarted"] = "CohortStarted"
    year: int
    programme_id: OpaqueId
    name: NonEmpty
    coach_id: OpaqueId
    candidates: tuple[CohortCandidate, ...]
    employers: tuple[CohortEmployer, ...]
    schedule: Schedule


class MilestoneReached(Event):
    type: Literal["MilestoneReached"] = "MilestoneReached"
    milestone: Milestone
    due_on: date


class SelectionDayHeld(Event):
    type: Literal["SelectionDayHeld"] = "SelectionDayHeld"
    held_on: date
    candidates: tuple[CandidatePreference, ...]
    employers: tuple[EmployerPreference, ...]


class WorkStudyHired(Event):
    type: Literal["WorkStudyHired"] = "WorkStudyHired"
    trajectory_id: OpaqueId
    employer_id: OpaqueId
    start_date: date
    contract_hours_per_week: int
    benefit_ended: bool | None


class PlacesChanged(Event):
    """An employer's places changed; a proposal made before is withdrawn (`withdrawn`)."""

    type: Literal["PlacesChanged"] = "PlacesChanged"
    employer_id: OpaqueId
    places: int
    previous: int
    reason: FreeText
    proposal_withdrawn: bool = False


class CandidateDroppedOut(Event):
    type: Literal["CandidateDroppedOut"] = "CandidateDroppedOut"
    trajectory_id: OpaqueId
    reason: DropOutReason
    proposal_withdrawn: bool = False


class AssignmentProposed(Event):
    type: Literal["AssignmentProposed"] = "AssignmentProposed"
    assignment: Assignment


class AssignmentConfirmed(Event):
    """A person confirmed it: `assignment` as it stands after their `moves`."""

    type: Literal["AssignmentConfirmed"] = "AssignmentConfirmed"
    assignment: Assignment
    moves: tuple[Move, ...]
    reason: FreeText | None = None


AnyEvent = Annotated[
    CohortStarted
    | MilestoneReached
    | SelectionDayHeld
    | WorkStudyHired
    | PlacesChanged
    | CandidateDroppedOut
    | AssignmentProposed
    | AssignmentConfirmed,
    Field(discriminator="type"),
]

_EVENT: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def load_event(data: bytes | str) -> AnyEvent:
    """An event from its stored JSON."""
    return _EVENT.validate_json(data)
