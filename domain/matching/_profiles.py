"""The two sides of a match: what a candidate brings and what a function asks.

What the profiles do not hold is as deliberate as what they hold: no age, origin,
nationality, gender, health or family situation (`EXCLUDED_ATTRIBUTES`); a test checks the
fields. A candidate's strengths and challenges are personal and sealed; the ranking never
opens them (`domain.matching.FEATURES` names every field it reads).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from ..shared import NonEmpty, OpaqueId, Sealed, Value

EXCLUDED_ATTRIBUTES = ("age", "origin", "nationality", "gender", "health", "family situation")
"""What matching never uses: the profiles do not even carry it."""


class Weekday(StrEnum):
    MON = "ma"
    TUE = "di"
    WED = "wo"
    THU = "do"
    FRI = "vr"
    SAT = "za"
    SUN = "zo"


class Sector(StrEnum):
    """The sectors of the project's programmes (a function profile's usual `sector`)."""

    CARE = "zorg"
    LOGISTICS = "logistiek"
    TECHNICAL = "techniek"
    CLEANING = "schoonmaak"
    HOSPITALITY = "horeca"
    RETAIL = "detailhandel"
    OFFICE = "kantoor"


Place = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=60, pattern=r"^'?[^\W\d_]+(?:[ '.-]+[^\W\d_]+)*$"
    ),
]
"""A place or region by name: words of letters, no digits (a postcode or an address would
identify the person)."""


def _tags(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({" ".join(v.casefold().split()) for v in values if v.strip()}))


class Availability(Value):
    hours_per_week: int = Field(ge=0, le=60)
    days: tuple[Weekday, ...] = ()

    @field_validator("days")
    @classmethod
    def _sorted(cls, v: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        order = list(Weekday)
        return tuple(sorted(set(v), key=order.index))


class Mobility(Value):
    regions: tuple[Place, ...] = ()
    """The places or regions the candidate can reach for work (`lelystad`, `almere`)."""
    driving_licence: bool = False
    own_transport: bool = False
    """A car, a moped or a bicycle for the way to work."""
    public_transport: bool = True

    @field_validator("regions")
    @classmethod
    def _regions(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return _tags(v)


class CandidateProfile(Value):
    """A personal profile (*persoonlijk profiel*), under the candidate's reference only."""

    candidate_ref: OpaqueId
    skills: tuple[str, ...] = ()
    """Skill URIs (`domain.matching.Vocabulary`)."""
    interests: tuple[Sector, ...] = ()
    """The sectors the candidate wants to work in: chosen from a list, never free text."""
    availability: Availability
    mobility: Mobility = Mobility()
    strengths_and_challenges: Sealed | None = None
    """Personal (sealed with the candidate's key); shown to the coach, never ranked on."""

    @field_validator("skills")
    @classmethod
    def _skills(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(v)))

    @field_validator("interests")
    @classmethod
    def _interests(cls, v: tuple[Sector, ...]) -> tuple[Sector, ...]:
        return tuple(sorted(set(v), key=list(Sector).index))


class FunctionProfile(Value):
    """A function profile (*functieprofiel*): what a (future) job asks."""

    profile_id: OpaqueId
    function: NonEmpty
    future_job_id: OpaqueId | None = None
    employer_id: OpaqueId | None = None
    sector: Sector | None = None
    required_skills: tuple[str, ...] = ()
    optional_skills: tuple[str, ...] = ()
    hours_per_week: int = Field(ge=1, le=60)
    days: tuple[Weekday, ...] = ()
    region: Place | None = None
    needs_driving_licence: bool = False
    public_transport_reachable: bool = True

    @field_validator("required_skills", "optional_skills")
    @classmethod
    def _skills(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(v)))

    @field_validator("days")
    @classmethod
    def _days(cls, v: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        return tuple(sorted(set(v), key=list(Weekday).index))

    @field_validator("region")
    @classmethod
    def _tag(cls, v: str | None) -> str | None:
        return " ".join(v.casefold().split()) if v else v

    @property
    def skills(self) -> tuple[str, ...]:
        return self.required_skills + self.optional_skills
