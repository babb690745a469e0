"""`decide(state, command, now)`: the rules of the method, steps 1 to 5 here and the outcome
and timers in `_rules_later`, dispatched from one table.

Returns the events a command leads to, or raises a `DomainError` that says in a coach's words
what is wrong. Pure: time comes in as `now`; ids come in on the command.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._commands import (
    AnyCommand,
    EndTrajectory,
    EstablishAgreement,
    ExtendLearning,
    MapPossibilities,
    MatchCandidate,
    ProposeOtherEmployer,
    ReachDeadline,
    RecordCalamity,
    RecordEvaluation,
    RecordFollowOnEducation,
    RecordFollowUp,
    RecordRegularJob,
    ResolveBarrier,
    ResolveCalamity,
    StartLearning,
    StartPlacement,
    StartTrajectory,
)
from ._emit import _before_learning, _Emit, _no_job_yet, _sealed_for_candidate
from ._errors import (
    RuleViolation,
    TrajectoryAlreadyStarted,
    TrajectoryClosedError,
    TrajectoryNotStarted,
    WrongStep,
)
from ._events import (
    AgreementEstablished,
    AnyEvent,
    BarrierResolved,
    CalamityRecorded,
    CalamityResolved,
    CandidateMatched,
    EscalationRaised,
    EscalationReason,
    EvaluationRecorded,
    LearningExtended,
    LearningStarted,
    PlacementStarted,
    PossibilitiesMapped,
    ProposedToOtherEmployer,
    TrajectoryStarted,
)
from ._rules_later import (
    _end,
    _reach_deadline,
    _record_education,
    _record_follow_up,
    _record_regular_job,
)
from ._state import Trajectory
from ._values import (
    MAX_FORECAST_MONTHS,
    Commitment,
    months_between,
)


def decide(state: Trajectory | None, command: AnyCommand, now: datetime) -> list[AnyEvent]:
    """The events `command` leads to from `state` at `now`; raises `DomainError` if refused."""
    if now.tzinfo is None:
        # A programming error, not a coach's: every time in the model is aware.
        raise ValueError("decide needs an aware `now` (with a time zone)")
    if isinstance(command, StartTrajectory):
        return _start(state, command, now)
    if state is None:
        raise TrajectoryNotStarted("this trajectory has not been started")
    if state.closed:
        raise TrajectoryClosedError(
            f"trajectory {state.trajectory_id} is closed ({state.closure_reason}); "
            "nothing more can be recorded",
            trajectory_id=state.trajectory_id,
        )
    emit = _Emit(state.trajectory_id, state.version, now, command.actor)
    handler = _HANDLERS[type(command)]
    try:
        handler(state, command, now, emit)
    except (RuleViolation, WrongStep) as err:
        err.trajectory_id = state.trajectory_id
        raise
    return emit.events


def _start(state: Trajectory | None, c: StartTrajectory, now: datetime) -> list[AnyEvent]:
    if state is not None:
        raise TrajectoryAlreadyStarted(
            f"trajectory {state.trajectory_id} already exists", trajectory_id=state.trajectory_id
        )
    job = c.future_job
    if job.expected_date < now.date():
        raise RuleViolation(
            f"the expected date {job.expected_date} is in the past: a future job lies ahead",
            trajectory_id=c.trajectory_id,
        )
    if months_between(now.date(), job.expected_date) > MAX_FORECAST_MONTHS:
        raise RuleViolation(
            f"the expected date {job.expected_date} is more than {MAX_FORECAST_MONTHS} months "
            "ahead; only jobs expected within two years count as future jobs",
            trajectory_id=c.trajectory_id,
        )
    emit = _Emit(c.trajectory_id, 0, now, c.actor)
    emit(
        TrajectoryStarted,
        route=c.route,
        programme=c.programme,
        coach_id=c.coach_id,
        future_job=job,
    )
    return emit.events


def _map_possibilities(s: Trajectory, c: MapPossibilities, now: datetime, emit: _Emit) -> None:
    _before_learning(s, "the possibilities")
    guaranteed = s.agreement and s.agreement.commitment is Commitment.JOB_GUARANTEE
    if guaranteed and not c.preconditions.guarantee_possible:
        raise RuleViolation(
            "the agreement holds a job guarantee; the preconditions cannot say "
            "that only an intention to hire is possible"
        )
    emit(PossibilitiesMapped, profile_skills=c.profile_skills, preconditions=c.preconditions)


def _establish_agreement(s: Trajectory, c: EstablishAgreement, now: datetime, emit: _Emit) -> None:
    if s.preconditions is None:
        raise WrongStep(
            "map the possibilities first (step 2): the agreement builds on the preconditions"
        )
    _before_learning(s, "the agreement")
    if c.commitment is Commitment.JOB_GUARANTEE and not s.preconditions.guarantee_possible:
        raise RuleViolation(
            "the preconditions say this employer can give only an intention to hire, "
            "not a job guarantee"
        )
    limit = s.programme.max_learning_weeks
    if c.duration_weeks > limit:
        raise RuleViolation(
            f"a learning period of {c.duration_weeks} weeks is longer than the "
            f"{limit} weeks this programme allows"
        )
    planned = sum(p.weeks for p in c.placements)
    if planned > c.duration_weeks:
        raise RuleViolation(
            f"the placements take {planned} weeks, more than the {c.duration_weeks} weeks "
            "of the learning period"
        )
    emit(
        AgreementEstablished,
        commitment=c.commitment,
        duration_weeks=c.duration_weeks,
        placements=c.placements,
        training=c.training,
        budget_eur=c.budget_eur,
    )


def _match(s: Trajectory, c: MatchCandidate, now: datetime, emit: _Emit) -> None:
    if s.preconditions is None:
        raise WrongStep("map the possibilities first (step 2): a match needs the profile")
    _before_learning(s, "the match")
    if not c.motivation_screen_passed:
        raise RuleViolation("a candidate who did not pass the motivation screen cannot be matched")
    if c.personal.key_id != c.candidate_ref:
        raise RuleViolation("the personal data is sealed for another candidate reference")
    emit(
        CandidateMatched,
        candidate_ref=c.candidate_ref,
        personal=c.personal,
        skills=c.skills,
        language_level=c.language_level,
        barriers=tuple(dict.fromkeys(c.barriers)),
    )


def _start_learning(s: Trajectory, c: StartLearning, now: datetime, emit: _Emit) -> None:
    if s.learning_started_at is not None:
        raise WrongStep("the learning period has already started")
    if s.agreement is None:
        raise WrongStep(
            "no learning before an agreement: establish the learning trajectory first (step 3)"
        )
    if s.candidate is None:
        raise WrongStep("no learning before a match: match a candidate first (step 4)")
    week = s.programme.week
    emit(
        LearningStarted,
        benefits_retained=c.benefits_retained,
        ends_at=now + week * s.agreement.duration_weeks,
        first_evaluation_at=now + week * s.programme.evaluation_every_weeks,
    )


def _start_placement(s: Trajectory, c: StartPlacement, now: datetime, emit: _Emit) -> None:
    if s.agreement is None:
        raise WrongStep("no placement before an agreement: establish the learning trajectory first")
    if s.learning_started_at is None:
        raise WrongStep("no placement before the learning period has started")
    _no_job_yet(s, "a placement")
    emit(
        PlacementStarted,
        number=len(s.placements) + 1,
        name=c.name,
        hours_per_week=c.hours_per_week,
    )


def _record_evaluation(s: Trajectory, c: RecordEvaluation, now: datetime, emit: _Emit) -> None:
    if s.learning_started_at is None:
        raise WrongStep("evaluations start with the learning period, which has not started")
    _no_job_yet(s, "an evaluation of the learning period")
    _sealed_for_candidate(s, c.summary)
    emit(
        EvaluationRecorded,
        verdict=c.verdict,
        employer_present=c.employer_present,
        summary=c.summary,
    )


def _record_calamity(s: Trajectory, c: RecordCalamity, now: datetime, emit: _Emit) -> None:
    if s.candidate is None:
        raise WrongStep("a calamity concerns a candidate; no candidate has been matched yet")
    _sealed_for_candidate(s, c.summary)
    number = len(s.calamities) + 1
    emit(CalamityRecorded, number=number, calamity_kind=c.calamity_kind, summary=c.summary)
    # Not the kind: it can be a health or family matter, and messages are shown and notified
    # more widely than the calamity itself.
    emit(
        EscalationRaised,
        reason=EscalationReason.CALAMITY,
        message=f"calamity {number} recorded: the work coach is brought in",
    )


def _resolve_calamity(s: Trajectory, c: ResolveCalamity, now: datetime, emit: _Emit) -> None:
    if c.number not in {k.number for k in s.open_calamities}:
        raise RuleViolation(f"there is no open calamity number {c.number}")
    emit(CalamityResolved, number=c.number)


def _resolve_barrier(s: Trajectory, c: ResolveBarrier, now: datetime, emit: _Emit) -> None:
    if c.barrier not in s.open_barriers:
        raise RuleViolation(f"'{c.barrier}' is not an open barrier of this trajectory")
    emit(BarrierResolved, barrier=c.barrier)


def _extend_learning(s: Trajectory, c: ExtendLearning, now: datetime, emit: _Emit) -> None:
    if s.learning_started_at is None or s.learning_ends_at is None:
        raise WrongStep("the learning period has not started, so it cannot be extended")
    _no_job_yet(s, "an extension of the learning period")
    limit = s.programme.max_learning_weeks
    if s.learning_weeks + c.weeks > limit:
        raise RuleViolation(
            f"extending by {c.weeks} weeks makes the learning period {s.learning_weeks + c.weeks} "
            f"weeks, more than the {limit} weeks this programme allows"
        )
    week = s.programme.week
    ends_at = max(s.learning_ends_at, now) + week * c.weeks
    next_evaluation = s.next_evaluation_at or now + week * s.programme.evaluation_every_weeks
    emit(
        LearningExtended,
        weeks=c.weeks,
        reason=c.reason,
        ends_at=ends_at,
        next_evaluation_at=next_evaluation,
    )


def _propose_other(s: Trajectory, c: ProposeOtherEmployer, now: datetime, emit: _Emit) -> None:
    if s.learning_started_at is None:
        raise WrongStep("another employer is proposed during or after learning, not before")
    _no_job_yet(s, "a proposal to another employer")
    if c.employer_id == s.employer_id:
        raise RuleViolation(f"employer {c.employer_id} is already the intended employer")
    emit(ProposedToOtherEmployer, employer_id=c.employer_id, reason=c.reason)


_HANDLERS: dict[type, Any] = {
    MapPossibilities: _map_possibilities,
    EstablishAgreement: _establish_agreement,
    MatchCandidate: _match,
    StartLearning: _start_learning,
    StartPlacement: _start_placement,
    RecordEvaluation: _record_evaluation,
    RecordCalamity: _record_calamity,
    ResolveCalamity: _resolve_calamity,
    ResolveBarrier: _resolve_barrier,
    ExtendLearning: _extend_learning,
    ProposeOtherEmployer: _propose_other,
    RecordRegularJob: _record_regular_job,
    RecordFollowOnEducation: _record_education,
    RecordFollowUp: _record_follow_up,
    EndTrajectory: _end,
    ReachDeadline: _reach_deadline,
}
