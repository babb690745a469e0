"""Setting a trajectory up: steps 1 to 4 (future job, possibilities, agreement, match).

Steps 3 and 4 may come in either order and be repeated until learning starts.
"""

from __future__ import annotations

from datetime import datetime

from ..shared import RuleViolation, WrongStep, months_later
from ._commands import EstablishAgreement, MapPossibilities, MatchCandidate, StartTrajectory
from ._emit import Emit, before_learning
from ._errors import TrajectoryAlreadyStarted
from ._events import (
    AgreementEstablished,
    AnyEvent,
    CandidateMatched,
    PossibilitiesMapped,
    TrajectoryStarted,
)
from ._state import Trajectory
from ._values import MAX_FORECAST_MONTHS, Commitment


def start_trajectory(state: Trajectory | None, c: StartTrajectory, now: datetime) -> list[AnyEvent]:
    if state is not None:
        raise TrajectoryAlreadyStarted(
            f"trajectory {state.trajectory_id} already exists", stream_id=state.trajectory_id
        )
    job = c.future_job
    if job.expected_date < now.date():
        raise RuleViolation(
            f"the expected date {job.expected_date} is in the past: a future job lies ahead",
            stream_id=c.trajectory_id,
        )
    if months_later(now.date(), job.expected_date, MAX_FORECAST_MONTHS):
        raise RuleViolation(
            f"the expected date {job.expected_date} is more than {MAX_FORECAST_MONTHS} months "
            "ahead; only jobs expected within two years count as future jobs",
            stream_id=c.trajectory_id,
        )
    emit = Emit(c.trajectory_id, 0, now, c.actor, c.request_id)
    emit(
        TrajectoryStarted,
        route=c.route,
        programme=c.programme,
        coach_id=c.coach_id,
        future_job=job,
    )
    return emit.events


def map_possibilities(s: Trajectory, c: MapPossibilities, now: datetime, emit: Emit) -> None:
    before_learning(s, "the possibilities")
    guaranteed = s.agreement and s.agreement.commitment is Commitment.JOB_GUARANTEE
    if guaranteed and not c.preconditions.guarantee_possible:
        raise RuleViolation(
            "the agreement holds a job guarantee; the preconditions cannot say "
            "that only an intention to hire is possible"
        )
    emit(PossibilitiesMapped, profile_skills=c.profile_skills, preconditions=c.preconditions)


def establish_agreement(s: Trajectory, c: EstablishAgreement, now: datetime, emit: Emit) -> None:
    if s.preconditions is None:
        raise WrongStep(
            "map the possibilities first (step 2): the agreement builds on the preconditions"
        )
    before_learning(s, "the agreement")
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


def match_candidate(s: Trajectory, c: MatchCandidate, now: datetime, emit: Emit) -> None:
    if s.preconditions is None:
        raise WrongStep("map the possibilities first (step 2): a match needs the profile")
    before_learning(s, "the match")
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
