"""`decide(state, command, now)`: the events a command leads to, or a `DomainError`.

A `match` over the commands that mypy checks to be complete; the rules are in `_rules`.
Pure: time comes in as `now`, ids on the command.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from ..shared import N_
from . import _contact as contact
from . import _rules as rules
from ._commands import (
    AnyCommand,
    AttachCandidate,
    ChangeCommitment,
    DetachCandidate,
    FillPlace,
    ForecastFutureJob,
    InviteToEvaluation,
    MoveChase,
    MoveExpectedDate,
    PlanLearning,
    ReachChaseStep,
    ReachCheckIn,
    ReachExpiry,
    ReachVacancyCheck,
    RecordCommitment,
    ReduceJobs,
    RequestCommitment,
    WithdrawFutureJob,
)
from ._errors import FutureJobAlreadyForecast, FutureJobClosed, FutureJobNotForecast
from ._events import AnyEvent
from ._state import FutureJob


def decide(state: FutureJob | None, command: AnyCommand, now: datetime) -> list[AnyEvent]:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if isinstance(command, ForecastFutureJob):
        if state is not None:
            raise FutureJobAlreadyForecast(
                N_("future job {future_job_id} exists already"),
                future_job_id=command.future_job_id,
                stream_id=command.future_job_id,
            )
        return _stamp(command.future_job_id, 0, rules.forecast(command, now), command, now)
    if state is None:
        raise FutureJobNotForecast(N_("this future job was never forecast"))
    # A closed future job still lets go of a candidate it listed (after a reduction or
    # the last place filled); everything else is refused.
    if state.closed and not isinstance(command, DetachCandidate):
        raise FutureJobClosed(
            N_("future job {future_job_id} is {status}"),
            future_job_id=state.future_job_id,
            status=state.status.value,
            stream_id=state.future_job_id,
        )
    match command:
        case AttachCandidate():
            drafts = rules.attach(state, command)
        case DetachCandidate():
            drafts = rules.detach(state, command)
        case FillPlace():
            drafts = rules.fill(state, command, now)
        case ReduceJobs():
            drafts = rules.reduce(state, command)
        case ChangeCommitment():
            drafts = rules.change_commitment(state, command)
        case MoveExpectedDate():
            drafts = rules.move_date(state, command, now)
        case WithdrawFutureJob():
            drafts = rules.withdraw(state, command)
        case ReachExpiry():
            drafts = rules.expire(state, command, now)
        case RequestCommitment():
            drafts = contact.request_commitment(state, command, now)
        case RecordCommitment():
            drafts = contact.record_commitment(state, command)
        case MoveChase():
            drafts = contact.move_chase(state, command, now)
        case ReachChaseStep():
            drafts = contact.chase_step(state, command, now)
        case PlanLearning():
            drafts = contact.plan_learning(state, command, now)
        case InviteToEvaluation():
            drafts = contact.invite_to_evaluation(state, command)
        case ReachVacancyCheck():
            drafts = contact.vacancy_check(state, command, now)
        case ReachCheckIn():
            drafts = contact.check_in(state, command, now)
        case ForecastFutureJob():  # pragma: no cover - handled above
            raise AssertionError
        case _:
            assert_never(command)
    return _stamp(state.future_job_id, state.version, drafts, command, now)


def _stamp(
    stream_id: str, version: int, drafts: list[rules.Draft], command: AnyCommand, now: datetime
) -> list[AnyEvent]:
    return [
        event_type(  # type: ignore[misc]
            future_job_id=stream_id,
            version=version + i,
            occurred_at=now,
            actor=command.actor,
            request_id=command.request_id,
            **fields,
        )
        for i, (event_type, fields) in enumerate(drafts, start=1)
    ]
