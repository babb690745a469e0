"""The root of the domain's errors: one small tree, each error carrying the stream it is about.

Messages are written for a work coach and never hold personal data. Each aggregate adds the
errors of its own life cycle (`domain.trajectory` has `TrajectoryClosedError`, ...).

A message is a template with named parameters, marked with `N_` for the catalogue:
`RuleViolation(N_("learning cannot start before {date}"), date=d)`. The domain knows no
language: `message` is the English text (for logs and for code that reads it), and whoever
shows the error to a person translates `template` and fills in `params` (the CLI does it
through `nbm.i18n`). Parameters are ids, dates, numbers and codes, never personal data; a
parameter that is itself a marked phrase (`what=N_("a placement")`) is translated too.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

JsonParam = str | int | float | bool | dict[str, Any] | None
"""A parameter as it crosses a boundary (Temporal's failure details, a JSON line); a
`Phrase` crosses as `{"template": ..., "params": {...}}`."""


def N_(message: str) -> str:
    """Marks `message` as a message of the catalogue without translating it (the domain
    knows no language; the text is translated where it is shown)."""
    return message


def json_param(value: Any) -> JsonParam:
    """`value` as a JSON-safe parameter: dates as ISO 8601, codes as their value."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return json_param(value.value)
    if isinstance(value, Phrase):
        return {
            "template": value.template,
            "params": {name: json_param(v) for name, v in value.params.items()},
        }
    return str(value)


class Phrase:
    """A marked part of a message, filled into another one's parameter and translated with
    it (`what=Phrase(N_("a placement"))`, `where=Phrase(N_("municipality {m}"), m=...)`).

    `str(phrase)` is its English text; a plain string parameter is never translated (it is an
    id or a code), a `Phrase` always.
    """

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: Any) -> None:
        self.template = template
        self.params = params

    def __str__(self) -> str:
        return self.template.format(**self.params)

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.template, self.params) == (
            other.template,
            other.params,
        )

    def __hash__(self) -> int:
        return hash(self.template)


class DomainError(Exception):
    """A command the domain refuses. `code` is stable; `message` is for people.

    Args:
        template: the message with `{named}` parameters, in English, marked with `N_`.
        stream_id: the aggregate the refused command was for, when known.
        params: the values of the template's parameters (ids, dates, numbers, codes).
    """

    code = "domain-error"

    def __init__(self, template: str, /, *, stream_id: str | None = None, **params: Any) -> None:
        message = template.format(**params)
        super().__init__(message)
        self.message = message
        """The English text, the template filled in."""
        self.template = template
        """The message before its parameters are filled in: the catalogue's message id."""
        self.params = params
        self.stream_id = stream_id
        """The aggregate (a trajectory's id, ...) the refused command was for, when known."""

    def json_params(self) -> dict[str, JsonParam]:
        """`params` as JSON-safe values, for a boundary (Temporal failure details)."""
        return {name: json_param(value) for name, value in self.params.items()}


class InvalidValue(ValueError):
    """A validator's refusal of a value, as a template like `DomainError`'s: pydantic keeps
    the error (`ctx["error"]`), so whoever shows it translates `template` (a plain
    `ValueError` with a marked text is translated by its text)."""

    def __init__(self, template: str, /, **params: Any) -> None:
        message = template.format(**params)
        super().__init__(message)
        self.message = message
        self.template = template
        self.params = params


class RuleViolation(DomainError):
    """The command breaks a rule of the method (a date too far, a contract without hours)."""

    code = "rule-violation"


class WrongStep(DomainError):
    """The command does not fit the step the aggregate is in."""

    code = "wrong-step"
