"""The domain's errors: one small tree, each carrying the trajectory it is about.

Messages are written for a work coach and never hold personal data.
"""

from __future__ import annotations


class DomainError(Exception):
    """A command the domain refuses. `code` is stable; `message` is for people."""

    code = "domain-error"

    def __init__(self, message: str, *, trajectory_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.trajectory_id = trajectory_id


class RuleViolation(DomainError):
    """The command breaks a rule of the method (a date too far, a contract without hours)."""

    code = "rule-violation"


class WrongStep(DomainError):
    """The command does not fit the step the trajectory is in."""

    code = "wrong-step"


class TrajectoryClosedError(DomainError):
    """The trajectory has ended; nothing more can be recorded."""

    code = "trajectory-closed"


class TrajectoryNotStarted(DomainError):
    code = "trajectory-not-started"


class TrajectoryAlreadyStarted(DomainError):
    code = "trajectory-already-started"


ERROR_TYPES: dict[str, type[DomainError]] = {
    cls.code: cls
    for cls in (
        DomainError,
        RuleViolation,
        WrongStep,
        TrajectoryClosedError,
        TrajectoryNotStarted,
        TrajectoryAlreadyStarted,
    )
}
"""Error classes by `code`, to rebuild a domain error on the far side of a boundary."""
