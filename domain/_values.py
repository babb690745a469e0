"""Value objects of a trajectory: small, frozen, validated on construction."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator


class Value(BaseModel):
    """Base of every domain model: immutable and strict about unknown fields.

    Validation errors do not echo the input: pydantic's `input_value` would otherwise put a
    mistyped BSN or a name into a log line. Only the outermost model's setting counts, so it
    is set here, on every model that can hold `PersonalData`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A short free text that must say something."""

OpaqueId = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
]
"""An id that is safe in logs and workflow ids: letters, digits, `.`, `_`, `:`, `-`."""


class Route(StrEnum):
    """The programme route (DOMAIN.md, Routes)."""

    SMALL_SCALE_GROWTH = "small-scale-growth"  # kleinschalige groei
    LARGE_SCALE_GROWTH = "large-scale-growth"  # grootschalige groei
    WIJKLEERBEDRIJF = "wijkleerbedrijf"
    WORK_TO_WORK = "work-to-work"  # Van Werk naar Werk
    WERKFIT = "werkfit"


class Step(StrEnum):
    """The six generic steps, plus the end of the road."""

    FUTURE_JOB_IN_VIEW = "1-future-job-in-view"
    POSSIBILITIES_MAPPED = "2-possibilities-mapped"
    AGREEMENT_OR_MATCH = "3/4-agreement-and-match"
    LEARNING_IN = "5-learning-in"
    OUTCOME = "6-outcome"
    CLOSED = "closed"


class Commitment(StrEnum):
    """What an employer can promise (step 3)."""

    JOB_GUARANTEE = "job-guarantee"  # baangarantie
    INTENTION_TO_HIRE = "intention-to-hire"  # inspanningsverplichting


class Barrier(StrEnum):
    """Practical matters to remove before or during learning (step 4 lesson)."""

    COMMUNICATION = "communication"
    ICT_SKILLS = "ict-skills"
    REACHABILITY = "reachability"
    MOBILITY = "mobility"
    TRANSPORT = "transport"
    CHILDCARE = "childcare"
    DEBTS = "debts"
    LANGUAGE = "language"
    POVERTY_TRAP = "poverty-trap"
    HEALTH = "health"


class CalamityKind(StrEnum):
    """What blocks learning and brings the work coach in (step 5)."""

    PRIVATE = "private"
    FINANCES = "finances"
    DIVORCE = "divorce"
    HEALTH = "health"
    HOUSING = "housing"
    OTHER = "other"


class EvaluationVerdict(StrEnum):
    ON_TRACK = "on-track"
    CONCERNS = "concerns"
    OFF_TRACK = "off-track"


class OutcomeType(StrEnum):
    """How a trajectory ends, for the outcome figures (placement rate)."""

    PLACED = "placed"  # regular job
    EDUCATION = "education"  # follow-on education first
    NEUTRAL = "neutral"  # ended for a reason that is no one's result (moved, health)
    NOT_PLACED = "not-placed"  # dropped out, no job


class ClosureReason(StrEnum):
    """Why a trajectory ended early, each with the outcome type it counts as."""

    CANDIDATE_WITHDREW = "candidate-withdrew"
    FOUND_OTHER_WORK = "found-other-work"
    HEALTH = "health"
    MOVED_AWAY = "moved-away"
    EMPLOYER_WITHDREW = "employer-withdrew"
    NO_SUITABLE_CANDIDATE = "no-suitable-candidate"
    OTHER = "other"

    @property
    def outcome_type(self) -> OutcomeType:
        return _CLOSURE_OUTCOMES[self]


_CLOSURE_OUTCOMES = {
    ClosureReason.CANDIDATE_WITHDREW: OutcomeType.NOT_PLACED,
    ClosureReason.FOUND_OTHER_WORK: OutcomeType.PLACED,
    ClosureReason.HEALTH: OutcomeType.NEUTRAL,
    ClosureReason.MOVED_AWAY: OutcomeType.NEUTRAL,
    ClosureReason.EMPLOYER_WITHDREW: OutcomeType.NOT_PLACED,
    ClosureReason.NO_SUITABLE_CANDIDATE: OutcomeType.NOT_PLACED,
    ClosureReason.OTHER: OutcomeType.NOT_PLACED,
}


class DeadlineKind(StrEnum):
    """The timers a trajectory asks for."""

    EVALUATION = "evaluation"
    LEARNING_END = "learning-end"
    FOLLOW_UP = "follow-up"


class Programme(Value):
    """The clock of a trajectory: how long a 'week' is and how often things happen.

    A programme is copied into the trajectory when it starts, so a later change to the
    catalogue never changes a running trajectory's deadlines.
    """

    programme_id: OpaqueId
    name: NonEmpty
    week: timedelta = Field(default=timedelta(days=7), gt=timedelta(0))
    evaluation_every_weeks: int = Field(default=6, ge=1, le=52)
    follow_up_after_weeks: int = Field(default=26, ge=1, le=104)
    max_learning_weeks: int = Field(default=104, ge=1, le=104)


class FutureJob(Value):
    """Step 1: the job an employer expects to create (toekomstige baan)."""

    employer_id: OpaqueId
    function: NonEmpty
    expected_date: date
    number_of_jobs: int = Field(default=1, ge=1, le=1000)
    required_skills: tuple[NonEmpty, ...] = Field(min_length=1)


class Preconditions(Value):
    """Step 2: what must hold for the trajectory to succeed."""

    employer_role: NonEmpty
    werkbedrijf_role: NonEmpty
    guarantee_possible: bool
    learning_location: NonEmpty
    training_institute: NonEmpty | None = None


class PlannedPlacement(Value):
    """A placement in the plan: the 'little trains' from more to less sheltered."""

    name: NonEmpty
    weeks: int = Field(ge=1, le=104)
    hours_per_week: int = Field(ge=1, le=40)


class Training(Value):
    institute: NonEmpty
    course: NonEmpty
    paid_by_employer: bool = False


Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
"""A longer free text: a coach's notes on health, debts or family matters."""

Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()-]{6,20}$")]


class PersonalData(Value):
    """The candidate's identity and circumstances: special-category data (GDPR art. 9).

    The plaintext form, used only on the client side: what leaves the client is this model
    sealed with the candidate's key (`Sealed`), never the model itself. `__repr__`/`__str__`
    are masked, so an accidental log line or error shows none of it.
    """

    name: NonEmpty
    bsn: str
    email: NonEmpty | None = None
    phone: Phone | None = None
    address: NonEmpty | None = None
    health_notes: Note | None = None
    debt_notes: Note | None = None
    family_notes: Note | None = None

    @field_validator("bsn")
    @classmethod
    def _valid_bsn(cls, v: str) -> str:
        digits = v.strip()
        if not is_valid_bsn(digits):
            # The value itself never appears in the message.
            raise ValueError("is not a valid BSN (9 digits passing the eleven-test)")
        return digits

    @field_validator("email")
    @classmethod
    def _valid_email(cls, v: str | None) -> str | None:
        local, at, domain = (v or "").partition("@")
        if v is not None and not (local and at and "." in domain and " " not in v):
            raise ValueError("is not an e-mail address")
        return v

    def __repr__(self) -> str:
        return "PersonalData(<redacted>)"

    __str__ = __repr__


Base64 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]+={0,2}$", max_length=100_000)]


class Sealed(Value):
    """Personal data encrypted on the client with the candidate's own key (AES-256-GCM).

    This is all that the workflow, its history, the events table and the logs ever hold of
    a candidate's personal data. Destroying the candidate's key (erasure) makes every copy
    unreadable at once, while the hash chain over the events, which covers this ciphertext,
    still verifies. The domain neither opens nor checks it; `nbm.privacy` does.
    """

    key_id: OpaqueId
    """Whose key sealed it: the candidate's reference (never a name)."""
    nonce: Base64
    ciphertext: Base64

    def __repr__(self) -> str:
        return f"Sealed(key_id={self.key_id!r}, <ciphertext>)"

    __str__ = __repr__


def is_valid_bsn(value: str) -> bool:
    """The eleven-test (elfproef) of a Dutch citizen service number."""
    if len(value) != 9 or not value.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(d) * w for d, w in zip(value, weights, strict=True))
    return total % 11 == 0 and value != "000000000"


MAX_FORECAST_MONTHS = 24
"""A future job counts only when it is expected within two years (step 1)."""


def months_between(start: date, end: date) -> float:
    """Whole and partial months from `start` to `end`, the way a coach counts them."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months + (end.day - start.day) / 31
