"""The shared kernel of the domain: what every aggregate builds on.

The frozen base model and the small constrained types, a candidate's personal data and its
sealed form, the root of the error tree, and calendar arithmetic. Nothing here knows an
aggregate; every aggregate package (`domain.trajectory`, and the ones to come) imports it.
"""

from ._calendar import (
    COACH_TIME_ZONE,
    REAL_DAY,
    add_months,
    add_working_days,
    clock_moment,
    clock_today,
    coach_time,
    dutch_public_holidays,
    easter_sunday,
    is_working_day,
    months_later,
)
from ._envelope import CommandEnvelope, EventEnvelope
from ._errors import (
    N_,
    DomainError,
    InvalidValue,
    JsonParam,
    Phrase,
    RuleViolation,
    WrongStep,
    json_param,
)
from ._personal import ContactDetails, FreeText, PersonalData, Sealed, is_valid_bsn
from ._values import Base64, NonEmpty, Note, OpaqueId, Phone, Value, is_opaque_id

__all__ = [
    "COACH_TIME_ZONE",
    "N_",
    "REAL_DAY",
    "Base64",
    "CommandEnvelope",
    "ContactDetails",
    "DomainError",
    "EventEnvelope",
    "FreeText",
    "InvalidValue",
    "JsonParam",
    "NonEmpty",
    "Note",
    "OpaqueId",
    "PersonalData",
    "Phone",
    "Phrase",
    "RuleViolation",
    "Sealed",
    "Value",
    "WrongStep",
    "add_months",
    "add_working_days",
    "clock_moment",
    "clock_today",
    "coach_time",
    "dutch_public_holidays",
    "easter_sunday",
    "is_opaque_id",
    "is_valid_bsn",
    "is_working_day",
    "json_param",
    "months_later",
]
