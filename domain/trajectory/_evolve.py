"""How each event moves a trajectory's state (`evolve`, `fold`): one branch per event type."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TypedDict, Unpack, assert_never

from ._commands import SYSTEM_ACTOR
from ._events import (
    AgreementAmended,
    AgreementEstablished,
    AnyEvent,
    BarrierResolved,
    BenefitRetentionEnding,
    CalamityRecorded,
    CalamityResolved,
    CandidateMatched,
    CheckpointDue,
    CheckpointMissed,
    CheckpointRecorded,
    CheckpointsScheduled,
    EmployerAnswered,
    EscalationRaised,
    EscalationReason,
    EscalationResolved,
    EvaluationDue,
    EvaluationRecorded,
    Event,
    FollowOnEducationStarted,
    FollowUpDue,
    FollowUpRecorded,
    FutureJobChanged,
    HandedOver,
    LearningExtended,
    LearningPeriodEnded,
    LearningStarted,
    PlacementStarted,
    PossibilitiesMapped,
    ProposedToOtherEmployer,
    RegularJobStarted,
    TrajectoryClosed,
    TrajectoryStarted,
    WageCostSubsidyDecided,
    WageValueReassessed,
    WageValueReassessmentDue,
)
from ._parts import (
    Agreement,
    Calamity,
    Candidate,
    Checkpoint,
    EmployerAnswerRecord,
    Escalation,
    Evaluation,
    Handover,
    Placement,
    RegularJob,
    WageCostSubsidy,
    checkpoints_after,
    subsidy_after,
)
from ._programme import Programme
from ._state import Trajectory, end_with
from ._values import (
    Barrier,
    BenefitEnd,
    ClosedBecause,
    FutureJob,
    OutcomeType,
    Preconditions,
    Route,
    WorkToWorkStart,
)


def evolve(state: Trajectory | None, event: AnyEvent) -> Trajectory:
    """Apply one event. Pure; events were validated by `decide`, so this never refuses."""
    if isinstance(event, TrajectoryStarted):
        return Trajectory(
            trajectory_id=event.trajectory_id,
            version=event.version,
            started_at=event.at,
            updated_at=event.occurred_at,
            effective_through=event.at,
            route=event.route,
            programme=event.programme,
            coach_id=event.coach_id,
            future_job=event.future_job,
            employer_id=event.future_job.employer_id,
            work_to_work=event.work_to_work,
        )
    if state is None:
        raise ValueError(f"{event.type} cannot come before TrajectoryStarted")
    return _after(state, event)


class TrajectoryChanges(TypedDict, total=False):
    """The fields of `Trajectory` an event may change, with their types.

    `model_copy(update=...)` checks neither names nor types; `_next` takes these as keyword
    arguments instead, so mypy refuses a misspelt field or a wrong type in `_after`. A unit
    test holds this list equal to `Trajectory`'s fields.
    """

    employer_id: str
    future_job: FutureJob
    profile_skills: tuple[str, ...]
    preconditions: Preconditions | None
    agreement: Agreement | None
    candidate: Candidate | None
    open_barriers: tuple[Barrier, ...]
    learning_started_at: datetime | None
    learning_ends_at: datetime | None
    learning_weeks: int
    agreed_weeks: int
    learning_ended: bool
    benefits_retained: bool
    next_evaluation_at: datetime | None
    evaluation_pending_since: datetime | None
    evaluated_ahead_at: datetime | None
    missed_escalated: datetime | None
    evaluations: tuple[Evaluation, ...]
    placements: tuple[Placement, ...]
    calamities: tuple[Calamity, ...]
    escalations: tuple[Escalation, ...]
    employer_answers: tuple[EmployerAnswerRecord, ...]
    regular_job: RegularJob | None
    follow_up_at: datetime | None
    follow_up_pending: bool
    closed_at: datetime | None
    closure_reason: ClosedBecause | None
    outcome_type: OutcomeType | None
    lasting_placement: bool | None
    effective_through: datetime | None
    work_to_work: WorkToWorkStart | None
    benefit_retention_ends_at: datetime | None
    benefit_warned: bool
    handovers: tuple[Handover, ...]
    benefit_time_used: timedelta
    route: Route
    programme: Programme
    checkpoints: tuple[Checkpoint, ...]
    wage_cost_subsidy: WageCostSubsidy | None


def _next(s: Trajectory, e: Event, **changes: Unpack[TrajectoryChanges]) -> Trajectory:
    """`s` after `e`: the changed fields, and the version and times every event moves."""
    moved: dict[str, object] = {"version": e.version, "updated_at": e.occurred_at}
    if e.actor != SYSTEM_ACTOR:
        # A timer's event takes effect when it fell due, which may lie before what a coach
        # recorded last; only the coach's own commands keep the stream in order.
        moved["effective_through"] = max(e.at, s.effective_through or e.at)
    return s.model_copy(update={**changes, **moved})


def _after(s: Trajectory, e: AnyEvent) -> Trajectory:
    # One branch per event type: a type without one reaches assert_never, and mypy fails.
    at = e.at
    match e:
        case PossibilitiesMapped():
            return _next(s, e, profile_skills=e.profile_skills, preconditions=e.preconditions)
        case AgreementEstablished() | AgreementAmended():
            ends_at = (
                e.ends_at if isinstance(e, AgreementAmended) else end_with(s, e.duration_weeks)
            )
            return _next(
                s,
                e,
                agreement=Agreement(
                    commitment=e.commitment,
                    duration_weeks=e.duration_weeks,
                    placements=e.placements,
                    training=e.training,
                    budget_eur=e.budget_eur,
                    signed_by=e.signed_by,
                ),
                # Extensions count on top of the plan; learning may have started before the
                # agreement (small-scale growth), and then the agreement moves its end.
                learning_weeks=s.learning_weeks - s.agreed_weeks + e.duration_weeks,
                agreed_weeks=e.duration_weeks,
                learning_ends_at=ends_at,
            )
        case CandidateMatched():
            return _next(
                s,
                e,
                candidate=Candidate(
                    candidate_ref=e.candidate_ref,
                    personal=e.personal,
                    skills=e.skills,
                    language_level=e.language_level,
                ),
                open_barriers=e.barriers,
            )
        case LearningStarted():
            return _next(
                s,
                e,
                learning_started_at=at,
                learning_ends_at=e.ends_at,
                learning_weeks=s.learning_weeks if s.agreement else e.duration_weeks or 0,
                agreed_weeks=s.agreed_weeks if s.agreement else e.duration_weeks or 0,
                benefits_retained=e.benefits_retained,
                next_evaluation_at=e.first_evaluation_at,
                benefit_retention_ends_at=e.benefit_retention_ends_at,
            )
        case PlacementStarted():
            placement = Placement(
                number=e.number,
                name=e.name,
                hours_per_week=e.hours_per_week,
                started_at=at,
                deviates=e.deviation is not None,
                ladder_move=e.ladder_move,
                version=e.version,
            )
            return _next(s, e, placements=(*s.placements, placement))
        case BenefitRetentionEnding():
            return _next(s, e, benefit_warned=True)
        case HandedOver():
            # The new programme starts over from step 3: the candidate, the barriers still
            # open, the escalations and calamities stay; the old learning period ends here.
            handover = Handover(
                at=at, from_programme_id=e.from_programme_id,
                to_programme_id=e.programme.programme_id,
            )  # fmt: skip
            return _next(
                s,
                e,
                route=e.route,
                programme=e.programme,
                future_job=e.future_job,
                employer_id=e.future_job.employer_id,
                agreement=None,
                learning_started_at=None,
                learning_ends_at=None,
                learning_weeks=0,
                agreed_weeks=0,
                learning_ended=False,
                benefits_retained=False,
                next_evaluation_at=None,
                evaluation_pending_since=None,
                evaluated_ahead_at=None,
                placements=(),
                benefit_retention_ends_at=None,
                benefit_warned=False,
                handovers=(*s.handovers, handover),
                benefit_time_used=s.benefit_time_used + _benefit_time(s, at),
            )
        case EvaluationDue():
            pending = s.evaluation_pending_since or (None if e.already_evaluated else e.due_at)
            return _next(
                s,
                e,
                next_evaluation_at=e.next_evaluation_at,
                evaluation_pending_since=pending,
                evaluated_ahead_at=None,
            )
        case EvaluationRecorded():
            evaluation = Evaluation(
                at=at, verdict=e.verdict, employer_present=e.employer_present, version=e.version
            )
            return _next(
                s,
                e,
                evaluations=(*s.evaluations, evaluation),
                evaluation_pending_since=None,
                evaluated_ahead_at=at if s.evaluation_pending_since is None else None,
            )
        case CalamityRecorded():
            calamity = Calamity(number=e.number, kind=e.calamity_kind, recorded_at=at)
            return _next(s, e, calamities=(*s.calamities, calamity))
        case CalamityResolved():
            calamities = tuple(
                Calamity(number=c.number, kind=c.kind, recorded_at=c.recorded_at, resolved_at=at)
                if c.number == e.number
                else c
                for c in s.calamities
            )
            return _next(s, e, calamities=calamities)
        case BarrierResolved():
            return _next(s, e, open_barriers=tuple(b for b in s.open_barriers if b != e.barrier))
        case FutureJobChanged():
            moved = s.future_job.model_copy(
                update={"expected_date": e.expected_date, "number_of_jobs": e.number_of_jobs}
            )
            return _next(s, e, future_job=moved)
        case EmployerAnswered():
            answer = EmployerAnswerRecord(
                at=at, future_job_id=e.future_job_id, about=e.about, answer=e.answer,
                reason=e.reason,
            )  # fmt: skip
            return _next(s, e, employer_answers=(*s.employer_answers, answer))
        case EscalationResolved():
            done = s.escalations[e.number - 1].model_copy(update={"resolved_at": at})
            escalations = (*s.escalations[: e.number - 1], done, *s.escalations[e.number :])
            return _next(s, e, escalations=escalations)
        case EscalationRaised():
            escalation = Escalation(at=at, reason=e.reason, message=e.message, version=e.version)
            if e.reason is EscalationReason.EVALUATION_MISSED:
                missed = s.evaluation_pending_since
                return _next(
                    s, e, escalations=(*s.escalations, escalation), missed_escalated=missed
                )
            return _next(s, e, escalations=(*s.escalations, escalation))
        case LearningExtended():
            return _next(
                s,
                e,
                learning_ends_at=e.ends_at,
                learning_weeks=s.learning_weeks + e.weeks,
                learning_ended=False,
                next_evaluation_at=e.next_evaluation_at,
            )
        case LearningPeriodEnded():
            # What was not evaluated in the period is not carried into a later extension.
            return _next(
                s,
                e,
                learning_ended=True,
                next_evaluation_at=None,
                evaluation_pending_since=None,
                evaluated_ahead_at=None,
            )
        case ProposedToOtherEmployer():
            return _next(s, e, employer_id=e.employer_id)
        case RegularJobStarted():
            job = RegularJob(
                employer_id=e.employer_id,
                contract_hours_per_week=e.contract_hours_per_week,
                start_date=e.start_date,
                wage_cost_subsidy_pct=e.wage_cost_subsidy_pct,
                benefit_ended=e.benefit_ended,
                work_study=e.work_study,
                benefit_end=e.benefit_end or BenefitEnd.of(e.benefit_ended),
            )
            if e.work_study:  # learning goes on alongside it: its timers too
                return _next(s, e, regular_job=job, employer_id=e.employer_id)
            return _next(
                s,
                e,
                regular_job=job,
                employer_id=e.employer_id,
                follow_up_at=e.follow_up_at,
                next_evaluation_at=None,
                evaluation_pending_since=None,
            )
        case CheckpointsScheduled() | CheckpointDue() | CheckpointMissed() | CheckpointRecorded():
            return _next(s, e, checkpoints=checkpoints_after(s.checkpoints, e))
        case WageCostSubsidyDecided() | WageValueReassessmentDue() | WageValueReassessed():
            return _next(s, e, wage_cost_subsidy=subsidy_after(s.wage_cost_subsidy, e))
        case FollowUpDue():
            return _next(s, e, follow_up_pending=True)
        case FollowUpRecorded():
            return _next(s, e, follow_up_pending=False, lasting_placement=e.still_employed)
        case FollowOnEducationStarted():
            return _next(s, e, next_evaluation_at=None, evaluation_pending_since=None)
        case TrajectoryClosed():
            return _next(
                s,
                e,
                closed_at=at,
                closure_reason=e.reason,
                outcome_type=e.outcome_type,
                lasting_placement=e.lasting_placement,
                next_evaluation_at=None,
                evaluation_pending_since=None,
            )
        case TrajectoryStarted():
            raise ValueError(f"trajectory {s.trajectory_id} has started already")
        case _:
            assert_never(e)


def _benefit_time(s: Trajectory, at: datetime) -> timedelta:
    """How long learning with benefits has gone on by `at` (a handover ends it)."""
    if not s.benefits_retained or s.learning_started_at is None:
        return timedelta(0)
    end = min(at, s.learning_ends_at) if s.learning_ends_at and s.learning_ended else at
    return max(end - s.learning_started_at, timedelta(0))


def fold(events: Iterable[AnyEvent], state: Trajectory | None = None) -> Trajectory | None:
    """The state after `events`, starting from `state` (nothing, by default)."""
    for event in events:
        state = evolve(state, event)
    return state
