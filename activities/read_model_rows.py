"""The read models' rows: which facts of a trajectory's state each row holds, and the SQL
that writes them (`projections.Projector` applies them in its transaction).

Only non-personal facts: ids, codes, dates and counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain import task, trajectory

READ_MODELS = (
    "trajectory_summary",
    "caseload",
    "outcomes",
    "checkpoint_results",
    # 0204_caseload: the coach's morning lists and the search (`nbm caseload`, `trajectory search`)
    "trajectory_contact",
    "cohort_members",
    "task_summary",
)

SUMMARY_COLUMNS = (
    "trajectory_id",
    "version",
    "step",
    "route",
    "programme_id",
    "coach_id",
    "employer_id",
    "started_at",
    "updated_at",
    "expected_job_date",
    "learning_started_at",
    "learning_ends_at",
    "learning_weeks",
    "regular_job_started",
    "contract_hours",
    "wage_cost_subsidy_pct",
    "benefit_ended",
    "follow_up_at",
    "closed_at",
    "outcome_type",
    "closure_reason",
    "lasting_placement",
    "open_calamities",
    "escalations",
    "benefit_end",
    "wage_value_pct",
    "lks_decided_on",
    "lks_reassess_on",
    "lks_reassessments",
    # 0204_caseload
    "future_job_id",
    "next_evaluation_at",
    "evaluation_pending_since",
    "benefit_retention_ends_at",
    "benefit_warn_from",
    "week_seconds",
)
UPSERT_SUMMARY = (
    f"INSERT INTO trajectory_summary ({', '.join(SUMMARY_COLUMNS)}) "
    f"VALUES ({', '.join(f'${i}' for i in range(1, len(SUMMARY_COLUMNS) + 1))}) "
    "ON CONFLICT (trajectory_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in SUMMARY_COLUMNS[1:])
)

# Aggregates are recomputed from the summaries for the coaches and routes a batch touched, in
# the batch's transaction: simpler than +1/-1 bookkeeping, and right by construction.
REFRESH_CASELOAD = (
    "DELETE FROM caseload WHERE coach_id = ANY($1::text[])",
    f"""
    INSERT INTO caseload (coach_id, open_trajectories, in_learning, escalations)
    SELECT coach_id,
           count(*) FILTER (WHERE closed_at IS NULL),
           count(*) FILTER (WHERE step = '{trajectory.Step.LEARNING_IN.value}'),
           coalesce(sum(escalations) FILTER (WHERE closed_at IS NULL), 0)
    FROM trajectory_summary WHERE coach_id = ANY($1::text[]) GROUP BY coach_id
    """,
)
REFRESH_OUTCOMES = (
    "DELETE FROM outcomes WHERE route = ANY($1::text[])",
    """
    INSERT INTO outcomes (route, outcome_type, count, lasting_placements)
    SELECT route, outcome_type, count(*), count(*) FILTER (WHERE lasting_placement)
    FROM trajectory_summary WHERE route = ANY($1::text[]) AND outcome_type IS NOT NULL
    GROUP BY route, outcome_type
    """,
)


CHECKPOINT_COLUMNS = (
    "trajectory_id", "month", "route", "programme_id", "job_started", "due_at", "due", "missed",
    "recorded_at", "still_employed", "hours_per_week", "benefit_end",
)  # fmt: skip
REPLACE_CHECKPOINTS = (
    "DELETE FROM checkpoint_results WHERE trajectory_id = ANY($1::text[])",
    f"INSERT INTO checkpoint_results ({', '.join(CHECKPOINT_COLUMNS)}) "
    f"VALUES ({', '.join(f'${i}' for i in range(1, len(CHECKPOINT_COLUMNS) + 1))})",
)


def checkpoint_rows(state: trajectory.Trajectory) -> list[tuple[Any, ...]]:
    """The trajectory's checkpoint rows, in `CHECKPOINT_COLUMNS` order: no personal data."""
    job = state.regular_job
    if job is None:
        return []
    return [
        (
            state.trajectory_id,
            p.month,
            state.route.value,
            state.programme.programme_id,
            job.start_date,
            p.due_at,
            p.due,
            p.missed,
            p.recorded_at,
            p.still_employed,
            p.hours_per_week,
            p.benefit_end.value if p.benefit_end else None,
        )
        for p in state.checkpoints
    ]


def summary_row(state: trajectory.Trajectory) -> tuple[Any, ...]:
    """The trajectory's summary row, in `SUMMARY_COLUMNS` order: non-personal facts only."""
    job = state.regular_job
    lks = state.wage_cost_subsidy
    return (
        state.trajectory_id,
        state.version,
        state.step.value,
        state.route.value,
        state.programme.programme_id,
        state.coach_id,
        state.employer_id,
        state.started_at,
        state.updated_at,
        state.future_job.expected_date,
        state.learning_started_at,
        state.learning_ends_at,
        state.learning_weeks,
        job.start_date if job else None,
        job.contract_hours_per_week if job else None,
        # The subsidy as last (re-)assessed, else as the job was recorded with it.
        lks.subsidy_pct if lks else job.wage_cost_subsidy_pct if job else None,
        job.benefit_ended if job else None,
        state.follow_up_at,
        state.closed_at,
        state.outcome_type.value if state.outcome_type else None,
        state.closure_reason,
        state.lasting_placement,
        len(state.open_calamities),
        len(state.open_escalations),  # a resolved one no longer weighs on the caseload
        job.benefit_end_kind.value if job else None,
        lks.assessment.wage_value_pct if lks else None,
        lks.decided_on if lks else None,
        lks.reassess_on if lks else None,
        lks.reassessments if lks else 0,
        # 0204_caseload: what the coach's morning lists read.
        state.future_job.future_job_id,
        state.next_evaluation_at if state.learning_in_progress else None,
        state.evaluation_pending_since if state.learning_in_progress else None,
        state.benefit_retention_ends_at,
        _benefit_warn_from(state),
        state.programme.week.total_seconds(),
    )


def _benefit_warn_from(state: trajectory.Trajectory) -> datetime | None:
    """From when the coach is warned that learning with benefits reaches its maximum."""
    ends, retention = state.benefit_retention_ends_at, state.programme.benefit_retention
    if ends is None or retention is None:
        return None
    return ends - state.programme.week * retention.warn_weeks_before


# --- 0204_caseload: contact, cohort membership, tasks -------------------------------------

CONTACT_EVENT_TYPES = frozenset(
    {
        "TrajectoryStarted", "PossibilitiesMapped", "AgreementEstablished", "AgreementAmended",
        "CandidateMatched", "LearningStarted", "PlacementStarted", "HandedOver",
        "EvaluationRecorded", "CalamityRecorded", "CalamityResolved", "BarrierResolved",
        "EscalationResolved", "LearningExtended", "ProposedToOtherEmployer",
        "RegularJobStarted", "WageCostSubsidyDecided", "WageValueReassessed",
        "CheckpointRecorded", "FollowUpRecorded", "FollowOnEducationStarted",
    }
)  # fmt: skip
"""What counts as contact with the candidate: an event a person recorded about their path (an
evaluation, a calamity, a match, a placement, a job, a checkpoint answer, ...). The engine's
own events (an evaluation falling due, a warning, a checkpoint missed) and the employer's
answers do not: they say nothing about whether the coach spoke to the candidate."""


def contact_at(event: trajectory.AnyEvent) -> datetime | None:
    """When `event` was contact with the candidate (its effective time), else None."""
    if event.type not in CONTACT_EVENT_TYPES or event.actor == trajectory.SYSTEM_ACTOR:
        return None
    return event.effective_at or event.occurred_at


UPSERT_CONTACT = (
    "INSERT INTO trajectory_contact (trajectory_id, last_contact_at) VALUES ($1, $2) "
    "ON CONFLICT (trajectory_id) DO UPDATE SET last_contact_at = "
    "greatest(trajectory_contact.last_contact_at, EXCLUDED.last_contact_at)"
)
"""The latest contact wins: an event entered later with an earlier effective date does not
move it back."""

UPSERT_COHORT_MEMBER = (
    "INSERT INTO cohort_members (trajectory_id, cohort_id, dropped_out) VALUES ($1, $2, false) "
    "ON CONFLICT (trajectory_id, cohort_id) DO NOTHING"
)
DROP_COHORT_MEMBER = (
    "UPDATE cohort_members SET dropped_out = true WHERE trajectory_id = $1 AND cohort_id = $2"
)

TASK_COLUMNS = (
    "task_id", "version", "task_kind", "about", "assignee_id", "status", "ack_due_on",
    "ack_due_at", "climbed", "opened_at", "escalation",
)  # fmt: skip
UPSERT_TASK = (
    f"INSERT INTO task_summary ({', '.join(TASK_COLUMNS)}) "
    f"VALUES ({', '.join(f'${i}' for i in range(1, len(TASK_COLUMNS) + 1))}) "
    "ON CONFLICT (task_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in TASK_COLUMNS[1:])
)


def task_row(state: task.Task) -> tuple[Any, ...]:
    """The task's row, in `TASK_COLUMNS` order: ids, codes and dates (a task holds no more)."""
    return (
        state.task_id,
        state.version,
        state.task_kind.value,
        state.about,
        state.assignee_id,
        state.status.value,
        state.ack_due_on,
        state.moment(state.ack_due_on),
        len(state.climbed),
        state.opened_at,
        state.escalation,
    )
