"""Setting a trajectory up: steps 1 to 4 (future job, possibilities, agreement, match).

Steps 3 and 4 may come in either order and be repeated until learning starts; from then on
the agreement is amended (with who and why), and on small-scale growth learning may start
before it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..shared import N_, RuleViolation, WrongStep, coach_time, months_later
from ._commands import (
    AmendAgreement,
    EstablishAgreement,
    MapPossibilities,
    MatchCandidate,
    StartTrajectory,
)
from ._emit import Emit, before_learning, no_job_yet, sealed_for_trajectory
from ._errors import TrajectoryAlreadyStarted
from ._events import (
    AgreementAmended,
    AgreementEstablished,
    AnyEvent,
    CandidateMatched,
    PossibilitiesMapped,
    TrajectoryStarted,
)
from ._programme import Programme
from ._state import Trajectory, end_with
from ._values import (
    LANGUAGE_LEVELS,
    MAX_FORECAST_MONTHS,
    Barrier,
    Commitment,
    FutureJob,
    PracticalStatus,
    Route,
    Rules,
    Signatory,
    WorkToWorkStart,
)


def start_trajectory(state: Trajectory | None, c: StartTrajectory, now: datetime) -> list[AnyEvent]:
    if state is not None:
        raise TrajectoryAlreadyStarted(
            N_("trajectory {trajectory_id} already exists"),
            trajectory_id=state.trajectory_id,
            stream_id=state.trajectory_id,
        )
    job = c.future_job
    at = c.effective_at or now  # a caseload entered with its history began back then
    try:
        future_job_ahead(job, at)
        programme_fits(c.programme, c.route, c.work_to_work)
        if c.work_to_work is not None:
            dismissal_in_view(c.work_to_work.dismissal_date, at)
    except RuleViolation as err:
        err.stream_id = c.trajectory_id
        raise
    emit = Emit(c.trajectory_id, 0, now, c.actor, c.request_id, effective_at=c.effective_at)
    emit(
        TrajectoryStarted,
        route=c.route,
        programme=c.programme,
        coach_id=c.coach_id,
        future_job=job,
        work_to_work=c.work_to_work,
        caseload_override=c.caseload_override,
    )
    return emit.events


def future_job_ahead(job: FutureJob, at: datetime) -> None:
    """A future job lies ahead, within two years (step 1)."""
    if job.expected_date < at.date():
        raise RuleViolation(
            N_("the expected date {expected_date} is in the past: a future job lies ahead"),
            expected_date=job.expected_date,
        )
    if months_later(at.date(), job.expected_date, MAX_FORECAST_MONTHS):
        raise RuleViolation(
            N_(
                "the expected date {expected_date} is more than {months} months "
                "ahead; only jobs expected within two years count as future jobs"
            ),
            expected_date=job.expected_date,
            months=MAX_FORECAST_MONTHS,
        )


DISMISSAL_MONTHS = (12, 24)
"""Van Werk naar Werk: a dismissal at most a year past, or two years ahead, of the start."""


def dismissal_in_view(dismissal: date, at: datetime) -> None:
    before, ahead = DISMISSAL_MONTHS
    start = at.date()
    if months_later(dismissal, start, before):
        raise RuleViolation(
            N_(
                "the dismissal date {dismissal} lies more than {before} months before the start: "
                "Van Werk naar Werk guides workers facing dismissal"
            ),
            dismissal=dismissal,
            before=before,
        )
    if months_later(start, dismissal, ahead):
        raise RuleViolation(
            N_("the dismissal date {dismissal} lies more than {ahead} months ahead of the start"),
            dismissal=dismissal,
            ahead=ahead,
        )


def programme_fits(
    programme: Programme, route: Route, work_to_work: WorkToWorkStart | None
) -> None:
    """The route is the programme's, and Van Werk naar Werk says where the worker comes from."""
    if programme.route is not None and route is not programme.route:
        raise RuleViolation(
            N_("programme {programme_id} is for route {route}, not {asked}"),
            programme_id=programme.programme_id,
            route=programme.route.value,
            asked=route.value,
        )
    if programme.work_to_work is not None and work_to_work is None:
        raise RuleViolation(
            N_(
                "programme {programme_id} (Van Werk naar Werk) starts from the outgoing employer "
                "and the dismissal date: give both"
            ),
            programme_id=programme.programme_id,
        )
    if programme.work_to_work is None and work_to_work is not None:
        raise RuleViolation(
            N_(
                "programme {programme_id} is not Van Werk naar Werk: an outgoing employer and a "
                "dismissal date do not apply"
            ),
            programme_id=programme.programme_id,
        )


def map_possibilities(s: Trajectory, c: MapPossibilities, now: datetime, emit: Emit) -> None:
    before_learning(s, N_("the possibilities"))
    guaranteed = s.agreement and s.agreement.commitment is Commitment.JOB_GUARANTEE
    if guaranteed and not c.preconditions.guarantee_possible:
        raise RuleViolation(
            N_(
                "the agreement holds a job guarantee; the preconditions cannot say that only an "
                "intention to hire is possible"
            )
        )
    emit(PossibilitiesMapped, profile_skills=c.profile_skills, preconditions=c.preconditions)


def establish_agreement(
    s: Trajectory, c: EstablishAgreement, now: datetime, emit: Emit, rules: Rules
) -> None:
    if s.preconditions is None:
        raise WrongStep(
            N_("map the possibilities first (step 2): the agreement builds on the preconditions")
        )
    if s.learning_started_at is not None and s.agreement is not None:
        raise WrongStep(
            N_(
                "the learning period has started; adjust the agreement with amend-agreement "
                "(bijstelling van het inleertraject), with the reason"
            )
        )
    if s.learning_started_at is not None:
        no_job_yet(s, N_("an agreement"))  # learning began before it (small-scale growth)
    _check_terms(s, c, rules)
    emit(AgreementEstablished, **_terms(c))


def amend_agreement(
    s: Trajectory, c: AmendAgreement, now: datetime, emit: Emit, rules: Rules
) -> None:
    if s.agreement is None or s.learning_started_at is None:
        raise WrongStep(
            N_(
                "an agreement is amended during learning; before learning starts, establish it "
                "again (establish-agreement)"
            )
        )
    no_job_yet(s, N_("an amendment of the agreement"))
    sealed_for_trajectory(s, c.reason)
    _check_terms(s, c, rules)
    ends_at = end_with(s, c.duration_weeks)
    if ends_at is not None and ends_at < now and not s.learning_ended:
        raise RuleViolation(
            N_(
                "with {duration_weeks} weeks the learning period would have ended on {ends_at}, "
                "before this amendment takes effect"
            ),
            duration_weeks=c.duration_weeks,
            ends_at=coach_time(ends_at),
        )
    emit(AgreementAmended, **_terms(c), reason=c.reason, ends_at=ends_at)


def _terms(c: EstablishAgreement | AmendAgreement) -> dict[str, Any]:
    """The agreement's fields as its event records them, established or amended."""
    return {
        "commitment": c.commitment,
        "duration_weeks": c.duration_weeks,
        "placements": c.placements,
        "training": c.training,
        "budget_eur": c.budget_eur,
        "signed_by": tuple(sorted(set(c.signed_by), key=list(Signatory).index)),
    }


def _check_terms(s: Trajectory, c: EstablishAgreement | AmendAgreement, rules: Rules) -> None:
    """What an agreement must hold, established or amended."""
    assert s.preconditions is not None, "an agreement follows the preconditions"
    if c.commitment is Commitment.JOB_GUARANTEE and not s.preconditions.guarantee_possible:
        raise RuleViolation(
            N_(
                "the preconditions say this employer can give only an intention to hire, not a "
                "job guarantee"
            )
        )
    limit = s.programme.max_learning_weeks
    weeks = s.learning_weeks - s.agreed_weeks + c.duration_weeks  # extensions count too
    if weeks > limit:
        raise RuleViolation(
            N_(
                "a learning period of {weeks} weeks is longer than the {limit} weeks this "
                "programme allows; beyond that, extend it with a supervisor's approval"
            ),
            weeks=weeks,
            limit=limit,
        )
    # The programme's rungs alongside the others (a school day a week) take no weeks of
    # their own.
    alongside = {r.name.casefold() for r in s.programme.ladder if r.alongside}
    planned = sum(p.weeks for p in c.placements if p.name.casefold() not in alongside)
    if planned > c.duration_weeks:
        raise RuleViolation(
            N_(
                "the placements take {planned} weeks, more than the {duration_weeks} weeks of the "
                "learning period"
            ),
            planned=planned,
            duration_weeks=c.duration_weeks,
        )
    if rules.method_as_written:
        needed = {Signatory.EMPLOYER, Signatory.WERKBEDRIJF}
        if c.training or s.preconditions.training_institute is not None:
            needed.add(Signatory.TRAINING_INSTITUTE)
        missing = [x.value for x in Signatory if x in needed and x not in c.signed_by]
        if missing:
            raise RuleViolation(
                N_(
                    "the learning plan is set once it is signed (inleertraject vastgesteld); not "
                    "signed yet by: {missing}"
                ),
                missing=", ".join(missing),
            )


def match_candidate(
    s: Trajectory, c: MatchCandidate, now: datetime, emit: Emit, rules: Rules
) -> None:
    if s.preconditions is None:
        raise WrongStep(N_("map the possibilities first (step 2): a match needs the profile"))
    before_learning(s, N_("the match"))
    if not c.motivation_screen_passed:
        raise RuleViolation(
            N_("a candidate who did not pass the motivation screen cannot be matched")
        )
    if c.personal.key_id != c.candidate_ref:
        raise RuleViolation(N_("the personal data is sealed for another candidate reference"))
    barriers = c.barriers
    if rules.method_as_written and c.language_level not in (None, *LANGUAGE_LEVELS):
        raise RuleViolation(
            N_(
                "a language level is one of {levels} (the language test's result on the "
                "European scale)"
            ),
            levels=", ".join(LANGUAGE_LEVELS),
        )
    if rules.method_as_written:
        if s.route.has_group_intake and not (c.information_meeting_attended and c.language_level):
            raise RuleViolation(
                N_(
                    "on the {route} route a match follows the information meeting and the "
                    "language test: record both (the level the test found)"
                ),
                route=s.route.value,
            )
        barriers = (*barriers, *_practical_matters(c))
    emit(
        CandidateMatched,
        candidate_ref=c.candidate_ref,
        personal=c.personal,
        skills=c.skills,
        language_level=c.language_level,
        barriers=tuple(dict.fromkeys(barriers)),
        information_meeting_attended=c.information_meeting_attended,
        practical_matters=tuple(sorted(c.practical_matters, key=lambda m: m.barrier.value)),
    )


def _practical_matters(c: MatchCandidate) -> tuple[Barrier, ...]:
    """The barriers to solve, once the conversation on practical matters covered each one."""
    given = [m.barrier for m in c.practical_matters]
    twice = sorted({b.value for b in given if given.count(b) > 1})
    if twice:
        raise RuleViolation(
            N_("practical matters given more than once: {twice}"), twice=", ".join(twice)
        )
    missing = [b.value for b in Barrier if b not in given]
    if missing:
        raise RuleViolation(
            N_(
                "the conversation on practical matters (gesprek over praktische zaken) covers "
                "every matter: to solve, no problem, or not applicable; missing: {missing}"
            ),
            missing=", ".join(missing),
        )
    settled = {m.barrier for m in c.practical_matters if m.status is not PracticalStatus.TO_SOLVE}
    clash = sorted({b.value for b in c.barriers if b in settled})
    if clash:
        raise RuleViolation(
            N_("a barrier to solve is also given as no problem or not applicable: {clash}"),
            clash=", ".join(clash),
        )
    return tuple(m.barrier for m in c.practical_matters if m.status is PracticalStatus.TO_SOLVE)
