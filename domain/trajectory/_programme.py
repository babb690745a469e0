"""A programme: the template a trajectory follows, written as data (a TOML file per programme).

A template fixes the steps it uses, the clock (how long a 'week' is), durations, the placement
ladder from more to less sheltered, the evaluation cadence, school days, the touchpoint
cadence with the employer, the budget per year, how long learning may go on while benefits
are kept, and for Van Werk naar Werk its goal. It is validated here, purely: reading the files
is the composition roots' (`nbm.programmes`). A trajectory copies the whole template, its
`version` included, into its first event: a later change to the file never changes a running
trajectory.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from ..shared import N_, NonEmpty, OpaqueId, Phrase, RuleViolation, Value
from ._values import Route, Step


class RungKind(StrEnum):
    """What a rung of the ladder is."""

    INTRODUCTION = "introduction"  # introductie (e.g. 4 weeks in the Leerhome)
    INTERNSHIP = "internship"  # stage (orientation, ADL)
    MODULE = "module"  # a Werkfit module (language, jargon, VCA)
    SHADOWING = "shadowing"  # meeloop- en oefendagen
    SCHOOL = "school"  # a school day a week (ROC)
    LANGUAGE = "language"  # NT2 lessons
    WORK = "work"  # learning on the workplace itself


class Rung(Value):
    """One placement of the ladder ('little trains, from more to less sheltered')."""

    rung_id: OpaqueId
    name: NonEmpty
    kind: RungKind
    weeks: int = Field(ge=1, le=104)
    hours_per_week: int = Field(ge=1, le=40)
    shelter: int = Field(ge=1, le=5)
    """How sheltered: 5 the most (a learning home with a coordinator), 1 the least (the
    workplace itself). The successive rungs never grow more sheltered."""
    alongside: bool = False
    """It runs alongside the successive rungs (a school day a week, NT2 lessons), outside the
    order and without an evaluation gate."""
    when_needed: bool = False
    """Only for a candidate who needs it (NT2 lessons)."""


class Budget(Value):
    """What a trajectory may cost a year (DOMAIN.md: EUR 5,000 on average)."""

    per_year_eur: int = Field(default=5000, ge=0, le=100_000)
    source: NonEmpty = "participatiebudget"
    """Who pays the learning route: the municipality's participation budget, as a rule."""
    employer_paid_training: bool = False
    """Training the employer pays, kept apart from the participation budget."""


class BenefitRetention(Value):
    """Learning while keeping benefits (met behoud van uitkering) has a maximum."""

    max_weeks: int = Field(ge=1, le=208)
    warn_weeks_before: int = Field(default=4, ge=1, le=52)
    municipalities: dict[OpaqueId, int] = Field(default_factory=dict)
    """A municipality's own maximum, in weeks, where it differs from `max_weeks`."""

    @model_validator(mode="after")
    def _warn_before_the_end(self) -> BenefitRetention:
        for place, weeks in {"": self.max_weeks, **self.municipalities}.items():
            if not 1 <= weeks <= 208:
                raise ValueError(f"municipality {place}: {weeks} weeks is not 1 to 208")
            if self.warn_weeks_before >= weeks:
                where = f" for municipality {place}" if place else ""
                raise ValueError(
                    f"the warning {self.warn_weeks_before} weeks before the end does not fit "
                    f"in a maximum of {weeks} weeks{where}"
                )
        return self

    def max_weeks_for(self, municipality: str | None) -> int:
        if municipality is None:
            return self.max_weeks
        return self.municipalities.get(municipality, self.max_weeks)


class WorkToWork(Value):
    """Van Werk naar Werk: workers facing dismissal, a fixed coach, a goal in time."""

    goal_within_weeks: int = Field(default=26, ge=1, le=104)
    """The goal: a new job within this many weeks of the start (6 months)."""
    fixed_coach: bool = True
    """One coach from start to end: the trajectory's coach is not reassigned."""


ALL_STEPS = (
    Step.FUTURE_JOB_IN_VIEW,
    Step.POSSIBILITIES_MAPPED,
    Step.AGREEMENT_OR_MATCH,
    Step.LEARNING_IN,
    Step.OUTCOME,
)


class Programme(Value):
    """A programme template, as copied into the trajectory that follows it."""

    programme_id: OpaqueId
    name: NonEmpty
    version: int = Field(default=1, ge=1)
    """Raised with every change to the file; a trajectory keeps the version it started on."""
    route: Route | None = None
    """The route it serves (None: any)."""
    steps: tuple[Step, ...] = ALL_STEPS
    week: timedelta = Field(default=timedelta(days=7), gt=timedelta(0))
    """How long a 'week' lasts: 7 days, or seconds on a demo clock (a file: 1 s to 7 days)."""
    evaluation_every_weeks: int = Field(default=6, ge=1, le=52)
    follow_up_after_weeks: int = Field(default=26, ge=1, le=104)
    max_learning_weeks: int = Field(default=104, ge=1, le=104)
    """The cap on the learning period, extensions included; a supervisor can approve more."""
    job_alongside_learning: bool = False
    """A work-study (BBL) job can start while learning goes on (WijkLeerbedrijf, year 2)."""
    checkpoint_months: tuple[int, ...] = Field(default=(), max_length=8)
    """The follow-up checkpoints after a regular job's first day, in months (1, 3, 6, 12):
    each a timer and a task; the last one recorded closes the trajectory. Empty: the one
    follow-up after `follow_up_after_weeks` (as every programme had before)."""
    learning_weeks: int | None = Field(default=None, ge=1, le=104)
    """The usual length of the learning period (Werkfit: 12 weeks)."""
    ladder: tuple[Rung, ...] = ()
    """The placements, in their order; an agreement plans them unless the coach says else."""
    school_days_per_week: int = Field(default=0, ge=0, le=5)
    touchpoint_every_weeks: int | None = Field(default=None, ge=1, le=52)
    """How often the employer is asked how things go during learning."""
    budget: Budget | None = None
    benefit_retention: BenefitRetention | None = None
    work_to_work: WorkToWork | None = None
    hands_over_to: tuple[OpaqueId, ...] = ()
    """The programmes a trajectory on this one may continue in (Werkfit into an NBM one)."""
    municipality: OpaqueId | None = None
    """The municipality whose maximum of learning with benefits applies (set when copied)."""

    @field_validator("checkpoint_months")
    @classmethod
    def _ascending(cls, months: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= m <= 24 for m in months) or list(months) != sorted(set(months)):
            raise ValueError("checkpoint months must be ascending, each from 1 to 24")
        return months

    @field_validator("steps")
    @classmethod
    def _steps_in_order(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        if Step.CLOSED in steps:
            raise ValueError("'closed' is where every trajectory ends, not a step to choose")
        if len(set(steps)) != len(steps):
            raise ValueError("a step is named twice")
        if list(steps) != sorted(steps, key=ALL_STEPS.index):
            raise ValueError("the steps are not in the method's order")
        for needed in (Step.LEARNING_IN, Step.OUTCOME):
            if needed not in steps:
                raise ValueError(f"every programme has step {needed.value}")
        return steps

    @model_validator(mode="after")
    def _ladder(self) -> Programme:
        ids = [r.rung_id for r in self.ladder]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"ladder: rung id {twice[0]!r} is used twice")
        names = [r.name.casefold() for r in self.ladder]
        if len(set(names)) != len(names):
            raise ValueError("ladder: two rungs have the same name")
        successive = [r for r in self.ladder if not r.alongside]
        for before, after in pairwise(successive):
            if after.shelter > before.shelter:
                raise ValueError(
                    f"ladder: rung {after.rung_id!r} (shelter {after.shelter}) is more sheltered "
                    f"than {before.rung_id!r} before it (shelter {before.shelter}); the rungs "
                    "go from more to less sheltered"
                )
        total = sum(r.weeks for r in successive)
        if total > self.max_learning_weeks:
            raise ValueError(
                f"ladder: its rungs take {total} weeks, more than max_learning_weeks "
                f"({self.max_learning_weeks})"
            )
        if self.learning_weeks is not None and self.learning_weeks > self.max_learning_weeks:
            raise ValueError(
                f"learning_weeks ({self.learning_weeks}) is more than max_learning_weeks "
                f"({self.max_learning_weeks})"
            )
        if self.work_to_work is not None and self.route not in (None, Route.WORK_TO_WORK):
            raise ValueError("work_to_work: only a programme of route 'work-to-work' has it")
        if self.programme_id in self.hands_over_to:
            raise ValueError("hands_over_to: a programme does not hand over into itself")
        return self

    @property
    def successive_rungs(self) -> tuple[Rung, ...]:
        return tuple(r for r in self.ladder if not r.alongside)

    def for_municipality(self, municipality: str | None) -> Programme:
        """The copy a trajectory keeps: the municipality's benefit maximum applies. Only a
        municipality the file names (`benefit_retention.municipalities`)."""
        if municipality is None:
            return self
        if self.benefit_retention is None:
            raise RuleViolation(
                N_(
                    "programme {programme_id} has no maximum of learning with benefits, so no "
                    "municipality's applies"
                ),
                programme_id=self.programme_id,
            )
        known = sorted(self.benefit_retention.municipalities)
        if municipality not in known:
            named = (
                Phrase(N_("only {municipalities}"), municipalities=", ".join(known))
                if known
                else Phrase(N_("none"))
            )
            raise RuleViolation(
                N_(
                    "programme {programme_id} names {named} with a maximum of its own; without a "
                    "municipality its {max_weeks} weeks apply"
                ),
                programme_id=self.programme_id,
                named=named,
                max_weeks=self.benefit_retention.max_weeks,
            )
        # Validated like the file itself: the copy goes into the trajectory's first event.
        return Programme.model_validate({**self.model_dump(), "municipality": municipality})

    @property
    def benefit_retention_weeks(self) -> int | None:
        """The maximum of learning with benefits for this copy's municipality, in weeks."""
        if self.benefit_retention is None:
            return None
        return self.benefit_retention.max_weeks_for(self.municipality)


class ProgrammeFileError(ValueError):
    """A programme file that does not hold a valid programme: each problem with its field."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = "; ".join(f"{field}: {problem}" for field, problem in problems)
        super().__init__(f"{source}: {lines}")


FILE_WEEK = (timedelta(seconds=1), timedelta(days=7))
"""The 'week' a file may set: from a demo second to a real week."""

_SWITCHES = frozenset(
    {"job_alongside_learning", "alongside", "when_needed", "employer_paid_training", "fixed_coach"}
)
"""The fields that are yes/no: anywhere else a TOML `true` is a mistake, not the number 1."""


def _switches_misplaced(data: Any, path: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(
        data, list) else ()  # fmt: skip
    for key, value in items:
        at = f"{path}.{key}" if path else str(key)
        if isinstance(value, bool) and key not in _SWITCHES:
            found.append((at, "true/false where a number or a text belongs"))
        elif isinstance(value, dict | list):
            found += _switches_misplaced(value, at)
    return found


def parse_programme(data: dict[str, Any], source: str) -> Programme:
    """The programme a file's parsed content describes, or `ProgrammeFileError` naming the
    file (`source`), each field (dotted, e.g. `ladder.2.weeks`) and its problem."""
    problems = _switches_misplaced(data)
    try:
        found = Programme.model_validate(data)
    except ValidationError as err:
        for e in err.errors(include_input=False, include_url=False):
            field = ".".join(str(part) for part in e["loc"]) or "(the file)"
            message = str(e["msg"]).removeprefix("Value error, ")
            problems.append((field, message))
        raise ProgrammeFileError(source, problems) from None
    low, high = FILE_WEEK
    if not low <= found.week <= high:
        problems.append(("week", "from 1 second (a demo clock) to 7 days"))
    if problems:
        raise ProgrammeFileError(source, problems)
    return found
