"""The errors of a trajectory's life cycle, beside the shared `RuleViolation` and `WrongStep`."""

from __future__ import annotations

from ..shared import DomainError, RuleViolation, WrongStep


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
