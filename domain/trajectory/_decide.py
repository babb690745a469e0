"""`decide(state, command, now)`: the events a command leads to, or a `DomainError`.

The rules live by concept: setting up (`_setup`: steps 1-4), learning in (`_learning`:
step 5), the outcome (`_outcome`: step 6) and the trajectory's own timers (`_timers`). The
dispatch below is a `match` that mypy checks: a command type without a branch reaches
`assert_never`, which fails the type check. Pure: time comes in as `now`, ids on the command.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from ..shared import N_, RuleViolation, WrongStep
from . import _checkpoints as aftercare
from . import _handover as handover
from . import _learning as learning
from . import _outcome as outcome
from . import _setup as setup
from . import _timers as timers
from ._commands import (
    AmendAgreement,
    AnyCommand,
    CoachCommand,
    EndTrajectory,
    EstablishAgreement,
    ExtendLearning,
    HandOver,
    MapPossibilities,
    MatchCandidate,
    ProposeOtherEmployer,
    ReachDeadline,
    RecordCalamity,
    RecordCheckpoint,
    RecordEmployerAnswer,
    RecordEvaluation,
    RecordFollowOnEducation,
    RecordFollowUp,
    RecordFutureJobChange,
    RecordRegularJob,
    RecordWageValueReassessment,
    ResolveBarrier,
    ResolveCalamity,
    ResolveEscalation,
    StartLearning,
    StartPlacement,
    StartTrajectory,
)
from ._emit import Emit, in_effect
from ._errors import TrajectoryClosedError, TrajectoryNotStarted
from ._events import AnyEvent, EmployerAnswered, FutureJobChanged
from ._state import Trajectory
from ._values import CURRENT_RULES, Rules


def decide(
    state: Trajectory | None,
    command: AnyCommand,
    now: datetime,
    rules: Rules = CURRENT_RULES,
) -> list[AnyEvent]:
    """The events `command` leads to from `state` at `now`; raises `DomainError` if refused.

    `rules`: which version of a changed rule decides (`Rules`); the current ones by default.
    """
    if now.tzinfo is None:
        # A programming error, not a coach's: every time in the model is aware.
        raise ValueError("decide needs an aware `now` (with a time zone)")
    at = command.effective_at or now  # the rules go by it; the event keeps both times
    if isinstance(command, StartTrajectory):
        if command.effective_at is not None:
            try:
                in_effect(None, at, now)
            except RuleViolation as err:
                err.stream_id = command.trajectory_id
                raise
        return setup.start_trajectory(state, command, now)
    if state is None:
        raise TrajectoryNotStarted(N_("this trajectory has not been started"))
    if state.closed:
        raise TrajectoryClosedError(
            N_(
                "trajectory {trajectory_id} is closed ({closure_reason}); nothing more can be "
                "recorded"
            ),
            trajectory_id=state.trajectory_id,
            closure_reason=state.closure_reason,
            stream_id=state.trajectory_id,
        )
    emit = Emit(
        state.trajectory_id,
        state.version,
        now,
        command.actor,
        command.request_id,
        effective_at=command.effective_at,
    )
    try:
        if command.effective_at is not None:
            in_effect(state, at, now)
        _dispatch(state, command, at, emit, rules)
    except (RuleViolation, WrongStep) as err:
        err.stream_id = state.trajectory_id
        raise
    return emit.events


def _dispatch(
    s: Trajectory,
    command: CoachCommand | ReachDeadline | RecordEmployerAnswer | RecordFutureJobChange,
    now: datetime,
    emit: Emit,
    rules: Rules,
) -> None:
    # One branch per command type: a type without one reaches assert_never, and mypy fails.
    match command:
        case MapPossibilities():
            setup.map_possibilities(s, command, now, emit)
        case EstablishAgreement():
            setup.establish_agreement(s, command, now, emit, rules)
        case AmendAgreement():
            setup.amend_agreement(s, command, now, emit, rules)
        case MatchCandidate():
            setup.match_candidate(s, command, now, emit, rules)
        case StartLearning():
            learning.start_learning(s, command, now, emit)
        case StartPlacement():
            learning.start_placement(s, command, now, emit, rules)
        case RecordEvaluation():
            learning.record_evaluation(s, command, now, emit)
        case RecordCalamity():
            learning.record_calamity(s, command, now, emit)
        case ResolveCalamity():
            learning.resolve_calamity(s, command, now, emit)
        case ResolveEscalation():
            learning.resolve_escalation(s, command, now, emit)
        case ResolveBarrier():
            learning.resolve_barrier(s, command, now, emit)
        case ExtendLearning():
            learning.extend_learning(s, command, now, emit)
        case ProposeOtherEmployer():
            learning.propose_other_employer(s, command, now, emit)
        case RecordRegularJob():
            outcome.record_regular_job(s, command, now, emit, rules)
        case RecordFollowOnEducation():
            outcome.record_follow_on_education(s, command, now, emit)
        case RecordFollowUp():
            outcome.record_follow_up(s, command, now, emit)
        case RecordCheckpoint():
            aftercare.record_checkpoint(s, command, now, emit)
        case RecordWageValueReassessment():
            aftercare.record_reassessment(s, command, now, emit)
        case EndTrajectory():
            outcome.end_trajectory(s, command, now, emit)
        case HandOver():
            handover.hand_over(s, command, now, emit)
        case ReachDeadline():
            timers.reach_deadline(s, command, now, emit, rules)
        case RecordFutureJobChange():
            if command.future_job_id != s.future_job.future_job_id:
                raise RuleViolation(
                    N_("the trajectory does not learn towards {future_job_id}"),
                    future_job_id=command.future_job_id,
                )
            emit(
                FutureJobChanged, future_job_id=command.future_job_id,
                expected_date=command.expected_date, number_of_jobs=command.number_of_jobs,
            )  # fmt: skip
        case RecordEmployerAnswer():
            emit(
                EmployerAnswered, future_job_id=command.future_job_id, about=command.about,
                answer=command.answer, reason=command.reason,
            )  # fmt: skip
        case _:
            assert_never(command)
