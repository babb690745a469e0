"""The trajectory's state: where it stands, only ever the fold of its events (`_evolve`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..shared import COACH_TIME_ZONE, Value
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
)
from ._programme import Programme
from ._values import (
    Barrier,
    ClosedBecause,
    FutureJob,
    OutcomeType,
    Preconditions,
    Route,
    Step,
    WorkToWorkStart,
)


class Trajectory(Value):
    """Where one candidate's trajectory stands. Build it with `fold`, never by hand."""

    trajectory_id: str
    version: int
    started_at: datetime
    """When the trajectory took effect (its first event's effective time)."""
    updated_at: datetime
    """When its last event was recorded."""
    effective_through: datetime | None = None
    """The latest time a command's events took effect: a later command cannot take effect
    before it (the timers' own events do not count: they follow what was recorded)."""
    route: Route
    programme: Programme
    coach_id: str
    future_job: FutureJob
    employer_id: str
    profile_skills: tuple[str, ...] = ()
    preconditions: Preconditions | None = None
    agreement: Agreement | None = None
    candidate: Candidate | None = None
    open_barriers: tuple[Barrier, ...] = ()
    learning_started_at: datetime | None = None
    learning_ends_at: datetime | None = None
    learning_weeks: int = 0
    """The learning period's planned length, extensions included."""
    agreed_weeks: int = 0
    """Its length by the plan: the agreement's weeks, or those learning started with before
    an agreement (small-scale growth)."""
    learning_ended: bool = False
    benefits_retained: bool = False
    next_evaluation_at: datetime | None = None
    evaluation_pending_since: datetime | None = None
    evaluated_ahead_at: datetime | None = None
    """When an evaluation was held while none was due; it may answer the next one."""
    missed_escalated: datetime | None = None
    """The due date of the last missed evaluation the coach was called in for."""
    evaluations: tuple[Evaluation, ...] = ()
    placements: tuple[Placement, ...] = ()
    calamities: tuple[Calamity, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    employer_answers: tuple[EmployerAnswerRecord, ...] = ()
    """The employer's answers, in order (from its future job: its link or a phone call)."""

    @property
    def open_escalations(self) -> tuple[Escalation, ...]:
        """The escalations not yet taken care of (`ResolveEscalation`)."""
        return tuple(e for e in self.escalations if e.resolved_at is None)

    regular_job: RegularJob | None = None
    follow_up_at: datetime | None = None
    follow_up_pending: bool = False
    closed_at: datetime | None = None
    closure_reason: ClosedBecause | None = None
    outcome_type: OutcomeType | None = None
    lasting_placement: bool | None = None
    work_to_work: WorkToWorkStart | None = None
    benefit_retention_ends_at: datetime | None = None
    """Where learning with benefits reaches its maximum (None: no maximum applies)."""
    benefit_warned: bool = False
    handovers: tuple[Handover, ...] = ()
    """The programmes this trajectory continued from, in order (one candidate path)."""
    benefit_time_used: timedelta = timedelta(0)
    """How long the candidate learned with benefits in the programmes before a handover."""

    @property
    def placed_within_goal(self) -> bool | None:
        """Van Werk naar Werk's measure: a new job within the goal's weeks of the start
        (None: the programme has no such goal, or there is no job yet)."""
        goal = self.programme.work_to_work
        if goal is None or self.regular_job is None or self.regular_job.work_study:
            return None
        deadline = self.started_at + self.programme.week * goal.goal_within_weeks
        return self.regular_job.start_date <= deadline.astimezone(COACH_TIME_ZONE).date()

    checkpoints: tuple[Checkpoint, ...] = ()
    """The regular job's follow-up checkpoints (1, 3, 6, 12 months), in order."""
    wage_cost_subsidy: WageCostSubsidy | None = None

    @property
    def step(self) -> Step:
        if self.closed_at is not None:
            return Step.CLOSED
        if self.placed or self.learning_ended:
            return Step.OUTCOME
        if self.learning_started_at is not None:
            return Step.LEARNING_IN
        if self.agreement is not None or self.candidate is not None:
            return Step.AGREEMENT_OR_MATCH
        if self.preconditions is not None:
            return Step.POSSIBILITIES_MAPPED
        return Step.FUTURE_JOB_IN_VIEW

    @property
    def placed(self) -> bool:
        """A regular job that ends learning (a work-study job goes alongside it)."""
        return self.regular_job is not None and not self.regular_job.work_study

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def learning_in_progress(self) -> bool:
        """Learning has started and neither its end nor a job has come yet."""
        return (
            self.learning_started_at is not None
            and not self.learning_ended
            and not self.placed
            and not self.closed
        )

    @property
    def open_calamities(self) -> tuple[Calamity, ...]:
        return tuple(c for c in self.calamities if c.resolved_at is None)

    @property
    def current_placement(self) -> Placement | None:
        return self.placements[-1] if self.placements else None


def end_with(s: Trajectory, agreed_weeks: int) -> datetime | None:
    """Where the end of learning lies once the plan's length becomes `agreed_weeks` (None:
    learning has not started, so there is no end yet)."""
    if s.learning_ends_at is None:
        return None
    return s.learning_ends_at + s.programme.week * (agreed_weeks - s.agreed_weeks)
