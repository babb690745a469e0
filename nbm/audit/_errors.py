"""The auditor's tools' one error: what could not be checked, in one line for people."""

from __future__ import annotations

from nbm.service import ServiceError


class AuditError(ServiceError):
    """An audit that cannot be carried out (no such trajectory, an unreadable file, ...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="audit-error")
