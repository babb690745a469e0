"""The timers a trajectory asks for, derived from its state alone.

The workflow sleeps until the earliest of these, or until a command changes the state (and so
perhaps the deadlines: an extension moves the end of learning). That is the updatable timer.
"""

from __future__ import annotations

from datetime import datetime

from ..shared import Value
from ._checkpoints import aftercare_deadlines
from ._state import Trajectory
from ._values import DeadlineKind


class Deadline(Value):
    kind: DeadlineKind
    at: datetime


def deadlines(state: Trajectory | None) -> list[Deadline]:
    """Every deadline that is pending now, earliest first."""
    if state is None or state.closed:
        return []
    found: list[Deadline] = []
    if state.learning_in_progress:
        if state.next_evaluation_at is not None:
            found.append(Deadline(kind=DeadlineKind.EVALUATION, at=state.next_evaluation_at))
        if state.learning_ends_at is not None:
            found.append(Deadline(kind=DeadlineKind.LEARNING_END, at=state.learning_ends_at))
        warn_at = benefit_warning_at(state)
        if warn_at is not None:
            found.append(Deadline(kind=DeadlineKind.BENEFIT_RETENTION_WARNING, at=warn_at))
    if state.regular_job is not None and not state.follow_up_pending and state.follow_up_at:
        found.append(Deadline(kind=DeadlineKind.FOLLOW_UP, at=state.follow_up_at))
    found.extend(Deadline(kind=kind, at=at) for kind, at in aftercare_deadlines(state))
    # Ties: the learning period ends after its last evaluation is asked for.
    order = list(DeadlineKind)
    return sorted(found, key=lambda d: (d.at, order.index(d.kind)))


def benefit_warning_at(state: Trajectory) -> datetime | None:
    """When the coach is warned that learning with benefits nears its maximum (None: no
    maximum applies, benefits are not kept, or the warning was given)."""
    ends_at = state.benefit_retention_ends_at
    retention = state.programme.benefit_retention
    if ends_at is None or retention is None or not state.benefits_retained:
        return None
    if state.benefit_warned:
        return None
    return ends_at - state.programme.week * retention.warn_weeks_before


def next_deadline(state: Trajectory | None) -> Deadline | None:
    pending = deadlines(state)
    return pending[0] if pending else None
