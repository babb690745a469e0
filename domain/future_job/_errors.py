"""The errors of a future job's life cycle, beside the shared `RuleViolation` and `WrongStep`."""

from __future__ import annotations

from ..shared import DomainError


class FutureJobClosed(DomainError):
    """The future job is filled, withdrawn or expired; it takes no more changes."""

    code = "future-job-closed"


class FutureJobNotForecast(DomainError):
    code = "future-job-not-forecast"


class FutureJobAlreadyForecast(DomainError):
    code = "future-job-already-forecast"


class NoPlaceLeft(DomainError):
    """Every place is taken or promised to a candidate learning towards it."""

    code = "no-place-left"
