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

from domain.shared import Phrase

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
        return template.format(**values) if values else template


def _value(value: Any) -> Any:
    if isinstance(value, Phrase):
        return render(value.template, value.params)
    if isinstance(value, Mapping) and isinstance(value.get("template"), str):
        return render(value["template"], value.get("params"))
    return value


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


def refusal_details(details: Any) -> tuple[str, dict[str, Any]] | None:
    """(template, params) from an `ApplicationError`'s details, `(template, params)` as
    `workflows.shell.refusal` gives them; None when it carries none (raised by other code)."""
    if not details or len(details) != 2:
        return None
    template, params = details
    if isinstance(template, str) and isinstance(params, Mapping):
        return template, dict(params)
    return None


__all__ = ["localized", "refusal_details", "render"]
