"""The base of every domain model and the small constrained types the aggregates share."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, TypeAdapter, ValidationError


class Value(BaseModel):
    """Base of every domain model: immutable and strict about unknown fields.

    Validation errors do not echo the input: pydantic's `input_value` would otherwise put a
    mistyped BSN or a name into a log line. Only the outermost model's setting counts, so it
    is set here, on every model that can hold `PersonalData`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A short free text that must say something."""

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
"""A longer free text: a coach's notes on health, debts or family matters."""

OpaqueId = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
]
"""An id that is safe in logs and workflow ids: letters, digits, `.`, `_`, `:`, `-`."""

Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()-]{6,20}$")]

Base64 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]+={0,2}$", max_length=100_000)]

_OPAQUE_ID: TypeAdapter[str] = TypeAdapter(OpaqueId)


def is_opaque_id(value: str) -> bool:
    """Whether `value` is an `OpaqueId` as it stands (the same rule the models apply)."""
    try:
        return _OPAQUE_ID.validate_python(value) == value
    except ValidationError:
        return False
