"""A refusal in the coach's language: the English template an error carries (a domain error,
a `ServiceError`, a refusal that crossed Temporal as an `ApplicationError`'s details),
translated through the catalogue and filled in with its parameters.

Parameters are ids, dates, numbers and codes, filled in as they are; a marked phrase among
them (`domain.shared.Phrase`, or its JSON form `{"template": ..., "params": {...}}`) is
translated too. A translation that does not fit its parameters falls back to the English
message: a coach always reads the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.shared import N_, Phrase

from .i18n import _


def render(template: str, params: Mapping[str, Any] | None = None) -> str:
    """`template` in the current language with `params` filled in."""
    if not template:
        return ""  # gettext("") is the catalogue's header, never a message
    values = {name: _value(v) for name, v in (params or {}).items()}
    translated = _(template)
    try:
        return translated.format(**values) if values or "{" in template else translated
    except (KeyError, IndexError, ValueError):
        # A translation that does not fit: the English (which raises if it does not either).
        return template.format(**values) if values or "{" in template else template


def _value(value: Any) -> Any:
    if isinstance(value, Phrase):
        return render(value.template, value.params)
    if isinstance(value, Mapping) and isinstance(value.get("template"), str):
        return render(value["template"], value.get("params"))
    return value


# --- pydantic's rules ---------------------------------------------------------------------

VALIDATION_RULES: dict[str, str] = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "greater_than": N_("Input should be greater than {gt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "less_than": N_("Input should be less than {lt}"),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
    "finite_number": N_("Input should be a finite number"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_type": N_("Input should be a valid integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "float_type": N_("Input should be a valid number"),
    "decimal_parsing": N_("Input should be a valid decimal"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "bool_type": N_("Input should be a valid boolean"),
    "string_type": N_("Input should be a valid string"),
    # The parsers' own reason ("{error}": "invalid character in year") is left out: it is
    # English and says less than the format.
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("Input should be a valid date in the format YYYY-MM-DD"),
    "date_type": N_("Input should be a valid date"),
    "date_past": N_("Date should be in the past"),
    "date_future": N_("Date should be in the future"),
    "datetime_parsing": N_("Input should be a valid datetime"),
    "datetime_from_date_parsing": N_("Input should be a valid datetime or date"),
    "datetime_type": N_("Input should be a valid datetime"),
    "datetime_past": N_("Input should be in the past"),
    "datetime_future": N_("Input should be in the future"),
    "timezone_aware": N_("Input should have timezone info"),
    "timezone_naive": N_("Input should not have timezone info"),
    "time_parsing": N_("Input should be in a valid time format"),
    "literal_error": N_("Input should be {expected}"),
    "enum": N_("Input should be {expected}"),
    "url_parsing": N_("Input should be a valid URL"),
    "url_scheme": N_("URL scheme should be {expected_schemes}"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "tuple_type": N_("Input should be a valid tuple"),
    "uuid_parsing": N_("Input should be a valid UUID"),
    "json_invalid": N_("Invalid JSON"),
    "string_pattern_mismatch": N_(
        "must be an id of letters, digits, '.', '_', ':', '-' (no spaces)"
    ),  # the regex says little to a coach
}
"""pydantic's message for each error type, as a template of its `ctx` (pydantic's own
English where it says enough); the error's input is never part of it."""

_COUNT_KEYS = {
    "string_too_long": "max_length",
    "string_too_short": "min_length",
    "too_long": "max_length",
    "too_short": "min_length",
    "decimal_max_digits": "max_digits",
    "decimal_max_places": "decimal_places",
}
"""The rules with a count: said in the singular or the plural (`_counted`)."""


def _counted(kind: str, n: int) -> str:
    # Two marked texts rather than `ngettext`: Dutch counts as English does (one, more), and
    # the catalogue check (`i18n.missing_translations`) looks each text up on its own.
    one = n == 1
    if kind == "string_too_long":
        if one:
            return N_("String should have at most {max_length} character")
        return N_("String should have at most {max_length} characters")
    if kind == "string_too_short":
        if one:
            return N_("String should have at least {min_length} character")
        return N_("String should have at least {min_length} characters")
    if kind == "too_long":
        return (
            N_("should have at most {max_length} item")
            if one
            else N_("should have at most {max_length} items")
        )
    if kind == "too_short":
        return (
            N_("should have at least {min_length} item")
            if one
            else N_("should have at least {min_length} items")
        )
    if kind == "decimal_max_digits":
        if one:
            return N_("Decimal input should have no more than {max_digits} digit in total")
        return N_("Decimal input should have no more than {max_digits} digits in total")
    if one:
        return N_("Decimal input should have no more than {decimal_places} decimal place")
    return N_("Decimal input should have no more than {decimal_places} decimal places")


def validation_rule(error: Mapping[str, Any]) -> str:
    """The rule one pydantic error (`ValidationError.errors()`) says is broken, in the
    current language: by its `type` and `ctx`, never its input. A validator's own message
    (`Value error, ...`) is translated by its text, or by its template (`InvalidValue`)."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        if cause is not None and isinstance(getattr(cause, "template", None), str):
            return localized(cause)
        text = str(cause) if cause is not None else str(error.get("msg", ""))
        return render(text) if "{" not in text else text
    if kind in ("literal_error", "enum") and isinstance(ctx.get("expected"), str):
        # pydantic lists the choices in English ("'a', 'b' or 'c'"): a plain list instead.
        ctx["expected"] = ctx["expected"].replace(" or ", ", ")
    if kind in _COUNT_KEYS:
        count = ctx.get(_COUNT_KEYS[kind])
        try:
            return render(_counted(kind, count if isinstance(count, int) else 2), ctx)
        except (KeyError, IndexError, ValueError):
            return str(error.get("msg", ""))
    template = VALIDATION_RULES.get(kind)
    if template is None:
        return str(error.get("msg", ""))  # a rare rule: pydantic's English (never the input)
    try:
        return render(template, {k: _plain(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return str(error.get("msg", ""))


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float) else str(value)


def localized(err: BaseException) -> str:
    """The error's message in the current language: its template when it carries one
    (`template`, `params`), else its text as it is."""
    template = getattr(err, "template", None)
    if not isinstance(template, str):
        return str(err)
    try:
        return render(template, getattr(err, "params", None))
    except (KeyError, IndexError, ValueError, TypeError):
        return str(err)  # a template that does not fit its own parameters: the English


__all__ = ["VALIDATION_RULES", "localized", "render", "validation_rule"]
