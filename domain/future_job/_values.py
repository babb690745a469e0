"""The values of a future job: its status, why a candidate leaves it, its horizons."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from ..shared import N_, Value

EXPIRES_AFTER_MONTHS = 6
"""A future job nobody learns towards expires this many calendar months after its expected
date: the employer did not create it in time, and its places are not offered any more."""

MAX_JOBS = 1000


class FutureJobStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"  # every place taken by a candidate who started in the job
    WITHDRAWN = "withdrawn"  # the employer withdrew it (or a person did, on its word)
    EXPIRED = "expired"  # its date long past, and nobody learning towards it


class DetachReason(StrEnum):
    """Why a candidate no longer learns towards this future job."""

    DROPPED_OUT = "dropped-out"  # the trajectory ended without a job here
    OTHER_EMPLOYER = "other-employer"  # proposed to another employer's future job
    WORK_STUDY = "work-study"  # learns on in a work-study (BBL) job elsewhere
    FOLLOW_ON_EDUCATION = "follow-on-education"
    OTHER_WORK = "other-work"  # found a job outside the method
    HANDED_OVER = "handed-over"  # continues in another programme, towards another job


class ChaseStepKind(StrEnum):
    REMINDER = "reminder"  # the employer is reminded of the request
    ESCALATION = "escalation"  # the account manager takes it up: the employer stays silent


class ChaseLadder(Value):
    """When an unanswered request for a commitment is chased, in working days after the
    request (weekends and Dutch public holidays do not count)."""

    reminders: tuple[int, ...] = Field(default=(5, 10), max_length=5)
    escalation: int = Field(default=15, ge=1, le=60)

    @model_validator(mode="after")
    def _rising(self) -> ChaseLadder:
        steps = (*self.reminders, self.escalation)
        if any(n < 1 for n in steps) or list(steps) != sorted(set(steps)):
            raise ValueError(N_("the ladder's working days must rise, each at least 1"))
        return self


class ChasePurpose(StrEnum):
    """What the employer is asked."""

    COMMITMENT = "commitment"  # its commitment for a trajectory's agreement
    VACANCY = "vacancy"  # before learning ends: is the job there on the date?


class Touchpoints(Value):
    """How often the employer hears from the Werkbedrijf while candidates learn towards its
    future job (per programme; the forecast sets them)."""

    check_in_weeks: int | None = Field(default=8, ge=1, le=52)
    """A check-in every this many weeks (None: none)."""
    confirm_weeks_before: int = Field(default=8, ge=1, le=26)
    """The vacancy confirmation this many weeks before a candidate's learning ends."""


class CommitmentAnswer(StrEnum):
    CONFIRMED = "confirmed"  # the commitment stands, with the places given
    DECLINED = "declined"  # the employer cannot give it for this candidate
