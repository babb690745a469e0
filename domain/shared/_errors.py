"""The root of the domain's errors: one small tree, each error carrying the stream it is about.

Messages are written for a work coach and never hold personal data. Each aggregate adds the
errors of its own life cycle (`domain.trajectory` has `TrajectoryClosedError`, ...).
"""

from __future__ import annotations


class DomainError(Exception):
    """A command the domain refuses. `code` is stable; `message` is for people."""

    code = "domain-error"

    def __init__(self, message: str, *, stream_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.stream_id = stream_id
        """The aggregate (a trajectory's id, ...) the refused command was for, when known."""


class RuleViolation(DomainError):
    """The command breaks a rule of the method (a date too far, a contract without hours)."""

    code = "rule-violation"


class WrongStep(DomainError):
    """The command does not fit the step the aggregate is in."""

    code = "wrong-step"
