"""Commands to a cohort: from its coach (the group start, the selection day, a hire, fewer
places, a drop-out, the confirmation) or from its own clock (`ReachMilestone`, and the
proposal the workflow computes at the end)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from ..shared import CommandEnvelope, FreeText, NonEmpty, OpaqueId, Value
from ._values import (
    MAX_CANDIDATES,
    MAX_EMPLOYERS,
    MAX_PLACES,
    Assignment,
    CohortCandidate,
    CohortEmployer,
    DropOutReason,
    Milestone,
    Move,
    Schedule,
)

SYSTEM_ACTOR = "system"


class Command(CommandEnvelope):
    pass


class StartCohort(Command):
    """A new edition (lichting) starts as a group: its candidates' trajectories, its
    employers with their planned places, its calendar."""

    kind: Literal["start"] = "start"
    cohort_id: OpaqueId
    year: int = Field(ge=2000, le=2100)
    programme_id: OpaqueId
    name: NonEmpty
    coach_id: OpaqueId
    """Who is brought in at each milestone (the cohort's work coach)."""
    candidates: tuple[CohortCandidate, ...] = Field(min_length=1, max_length=MAX_CANDIDATES)
    employers: tuple[CohortEmployer, ...] = Field(min_length=1, max_length=MAX_EMPLOYERS)
    schedule: Schedule


class ReachMilestone(Command):
    """The cohort's own clock: a milestone of its calendar came."""

    kind: Literal["milestone"] = "milestone"
    milestone: Milestone
    due_on: date


class CandidatePreference(Value):
    """A candidate's ranking of the employers after the selection day, best first."""

    trajectory_id: OpaqueId
    ranking: tuple[OpaqueId, ...] = Field(max_length=MAX_EMPLOYERS)


class EmployerPreference(Value):
    """An employer's ranking of the candidates after the selection day, best first."""

    employer_id: OpaqueId
    ranking: tuple[OpaqueId, ...] = Field(max_length=MAX_CANDIDATES)


class RecordSelectionDay(Command):
    """The selection day (selectiedag): candidates and employers met; what each side
    prefers. A later one replaces the rankings it names, and keeps the others."""

    kind: Literal["selection-day"] = "selection-day"
    held_on: date
    candidates: tuple[CandidatePreference, ...] = Field(default=(), max_length=MAX_CANDIDATES)
    employers: tuple[EmployerPreference, ...] = Field(default=(), max_length=MAX_EMPLOYERS)


class HireWorkStudy(Command):
    """At the start of year 2 an employer hires a candidate in a work-study (BBL) job."""

    kind: Literal["hire-work-study"] = "hire-work-study"
    trajectory_id: OpaqueId
    employer_id: OpaqueId
    start_date: date
    contract_hours_per_week: int = Field(ge=1, le=40)
    benefit_ended: bool | None = False
    """Whether the benefit ends with it; None: the candidate had none."""


class ChangePlaces(Command):
    """An employer offers another number of places than planned (cohort 1's lesson)."""

    kind: Literal["change-places"] = "change-places"
    employer_id: OpaqueId
    places: int = Field(ge=0, le=MAX_PLACES)
    reason: FreeText


class RecordDropOut(Command):
    kind: Literal["drop-out"] = "drop-out"
    trajectory_id: OpaqueId
    reason: DropOutReason


class ProposeAssignment(Command):
    """The assignment of the candidates to the places (`assign`), proposed to the coach."""

    kind: Literal["propose"] = "propose"
    assignment: Assignment


class ConfirmAssignment(Command):
    """A person confirms the proposal, with their changes to it and why."""

    kind: Literal["confirm"] = "confirm"
    moves: tuple[Move, ...] = Field(default=(), max_length=MAX_CANDIDATES)
    reason: FreeText | None = None


AnyCommand = Annotated[
    StartCohort
    | ReachMilestone
    | RecordSelectionDay
    | HireWorkStudy
    | ChangePlaces
    | RecordDropOut
    | ProposeAssignment
    | ConfirmAssignment,
    Field(discriminator="kind"),
]
