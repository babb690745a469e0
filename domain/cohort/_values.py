"""The values of a WijkLeerbedrijf cohort (lichting): its members, its calendar, its phases."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from pydantic import Field, model_validator

from ..shared import N_, OpaqueId, Value

MAX_CANDIDATES = 60
MAX_EMPLOYERS = 20
MAX_PLACES = 200


class Milestone(StrEnum):
    """The moments of a cohort's calendar, in order; each brings the coach in."""

    INTRODUCTION_END = "introduction-end"  # the 4 weeks in the Leerhome are over
    SELECTION_DAY = "selection-day"  # candidates and employers meet (selectiedag)
    YEAR_TWO = "year-two"  # the second year: hires into work-study (BBL) jobs
    END = "end"  # the end: the assignment of candidates to the employers' places


MILESTONES = tuple(Milestone)


class Phase(StrEnum):
    INTRODUCTION = "introduction"  # the group started: the introduction weeks
    LEARNING = "learning"  # the internships of year 1
    SELECTED = "selected"  # the selection day's preferences recorded
    YEAR_TWO = "year-two"  # work-study (BBL) hires
    ASSIGNING = "assigning"  # the end came: an assignment is proposed, a person confirms
    CONFIRMED = "confirmed"  # a person confirmed the assignment: the edition is done


class DropOutReason(StrEnum):
    """Why a candidate left the cohort (a category: never a free text about the person)."""

    OTHER_WORK = "other-work"
    FOLLOW_ON_EDUCATION = "follow-on-education"
    PERSONAL_CIRCUMSTANCES = "personal-circumstances"
    NOT_SUITED = "not-suited"
    OTHER = "other"


class CohortCandidate(Value):
    """A candidate of the cohort: their trajectory, and no personal data."""

    trajectory_id: OpaqueId
    candidate_ref: OpaqueId | None = None


class CohortEmployer(Value):
    """An employer of the cohort with the future job its places are in."""

    employer_id: OpaqueId
    future_job_id: OpaqueId
    planned_places: int = Field(ge=0, le=MAX_PLACES)


class Schedule(Value):
    """The cohort's calendar: the group start and its milestones, rising."""

    starts_on: date
    introduction_ends_on: date
    selection_day_on: date
    year_two_on: date
    ends_on: date

    @model_validator(mode="after")
    def _rising(self) -> Schedule:
        days = [self.starts_on, *self.dates]
        if days != sorted(set(days)):
            raise ValueError(
                N_(
                    "the calendar must rise: start < introduction's end < selection day "
                    "< year two < end"
                )
            )
        return self

    @property
    def dates(self) -> tuple[date, ...]:
        return (self.introduction_ends_on, self.selection_day_on, self.year_two_on, self.ends_on)

    def on(self, milestone: Milestone) -> date:
        return self.dates[MILESTONES.index(milestone)]

    @classmethod
    def wijkleerbedrijf(
        cls,
        starts_on: date,
        *,
        introduction_weeks: int = 4,
        selection_day_weeks: int = 40,
        year_two_weeks: int = 52,
        end_weeks: int = 100,
    ) -> Schedule:
        """The WijkLeerbedrijf Zorg's calendar: 4 weeks in the Leerhome, the selection day
        late in year 1, BBL hires at the start of year 2, the end after two years."""
        return cls(
            starts_on=starts_on,
            introduction_ends_on=starts_on + timedelta(weeks=introduction_weeks),
            selection_day_on=starts_on + timedelta(weeks=selection_day_weeks),
            year_two_on=starts_on + timedelta(weeks=year_two_weeks),
            ends_on=starts_on + timedelta(weeks=end_weeks),
        )


class WorkStudyJob(Value):
    """A hire into a work-study (BBL) job at the start of year 2."""

    employer_id: OpaqueId
    start_date: date
    contract_hours_per_week: int = Field(ge=1, le=40)


class Placement(Value):
    """One candidate in one employer's place, with how each side ranked the other (0 = first
    choice; None = not ranked)."""

    trajectory_id: OpaqueId
    employer_id: OpaqueId
    candidate_rank: int | None = None
    employer_rank: int | None = None
    work_study: bool = False
    """The candidate already works there in a work-study (BBL) job."""


class Assignment(Value):
    """Candidates in the employers' places: who goes where, who has no place."""

    placements: tuple[Placement, ...] = ()
    unplaced: tuple[OpaqueId, ...] = ()
    """Candidates without a place: only when every place is taken."""

    def employer_of(self, trajectory_id: str) -> str | None:
        return next((p.employer_id for p in self.placements if p.trajectory_id == trajectory_id),
                    None)  # fmt: skip

    def count_at(self, employer_id: str) -> int:
        return sum(1 for p in self.placements if p.employer_id == employer_id)


class Move(Value):
    """A person's change to the proposal: this candidate goes to this employer instead."""

    trajectory_id: OpaqueId
    employer_id: OpaqueId
