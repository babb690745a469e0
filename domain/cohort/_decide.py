"""`decide(state, command, now)`: the events a command leads to, or a `DomainError`.

A `match` over the commands that mypy checks to be complete; the rules are in `_rules`.
Pure: time comes in as `now`, ids on the command.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from ..shared import N_
from . import _rules as rules
from ._commands import (
    AnyCommand,
    ChangePlaces,
    ConfirmAssignment,
    HireWorkStudy,
    ProposeAssignment,
    ReachMilestone,
    RecordDropOut,
    RecordSelectionDay,
    StartCohort,
)
from ._errors import CohortAlreadyStarted, CohortClosed, CohortNotStarted
from ._events import AnyEvent
from ._state import Cohort


def decide(state: Cohort | None, command: AnyCommand, now: datetime) -> list[AnyEvent]:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if isinstance(command, StartCohort):
        if state is not None:
            raise CohortAlreadyStarted(
                N_("cohort {cohort_id} exists already"),
                cohort_id=command.cohort_id,
                stream_id=command.cohort_id,
            )
        return _stamp(command.cohort_id, 0, rules.start(command, now), command, now)
    if state is None:
        raise CohortNotStarted(N_("this cohort was never started"))
    if state.closed:
        raise CohortClosed(
            N_("cohort {cohort_id} is confirmed and closed"),
            cohort_id=state.cohort_id,
            stream_id=state.cohort_id,
        )
    match command:
        case ReachMilestone():
            drafts = rules.milestone(state, command, now)
        case RecordSelectionDay():
            drafts = rules.selection_day(state, command, now)
        case HireWorkStudy():
            drafts = rules.hire(state, command)
        case ChangePlaces():
            drafts = rules.change_places(state, command)
        case RecordDropOut():
            drafts = rules.drop_out(state, command)
        case ProposeAssignment():
            drafts = rules.propose(state, command)
        case ConfirmAssignment():
            drafts = rules.confirm(state, command)
        case StartCohort():  # pragma: no cover - handled above
            raise AssertionError
        case _:
            assert_never(command)
    return _stamp(state.cohort_id, state.version, drafts, command, now)


def _stamp(
    stream_id: str, version: int, drafts: list[rules.Draft], command: AnyCommand, now: datetime
) -> list[AnyEvent]:
    return [
        event_type(
            cohort_id=stream_id,
            version=version + i,
            occurred_at=now,
            actor=command.actor,
            request_id=command.request_id,
            **fields,
        )
        for i, (event_type, fields) in enumerate(drafts, start=1)
    ]
