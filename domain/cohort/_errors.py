"""The errors of a cohort's life cycle, beside the shared `RuleViolation` and `WrongStep`."""

from __future__ import annotations

from ..shared import DomainError


class CohortNotStarted(DomainError):
    code = "cohort-not-started"


class CohortAlreadyStarted(DomainError):
    code = "cohort-already-started"


class CohortClosed(DomainError):
    """A person confirmed the assignment: the edition takes no more changes."""

    code = "cohort-closed"


class NotInCohort(DomainError):
    """A trajectory or employer that is not (or no longer) one of the cohort's."""

    code = "not-in-cohort"
