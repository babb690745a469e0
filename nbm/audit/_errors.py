"""The auditor's tools' one error: what could not be checked, in one line for people."""

from __future__ import annotations

from typing import Any

from nbm.service import ServiceError


class AuditError(ServiceError):
    """An audit that cannot be carried out (no such trajectory, an unreadable file, ...);
    a template with its parameters, as every `ServiceError`."""

    def __init__(self, template: str, /, **params: Any) -> None:
        super().__init__(template, code="audit-error", **params)
