"""The outcome report's read models (`nbm report outcomes`, `nbm report statistics`).

Three tables beside `trajectory_summary`, kept by the projector in the same transaction:

- `trajectory_milestones`: the first date (Amsterdam calendar date, by the events' effective
  time) each of the six steps was reached; the regular job's step by the job's first day;
- `trajectory_employers`: every employer a trajectory was ever meant for or hired by (its
  start's future job, a handover's, a proposal to another employer, the job's employer), each
  with the date it came; a trajectory that moved counts for both in the reports;
- `trajectory_report_facts`: per trajectory its municipality, the agreement's budget and
  length, its employer-paid courses (its cohort is in `cohort_members`, the caseload's).

A milestone or an employer is kept the first time it happens (`ON CONFLICT DO NOTHING`): the
events come in their streams' order, so a rebuild writes the same rows. Codes, dates and
counts only: nothing personal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import trajectory
from domain.shared import COACH_TIME_ZONE

OUTCOME_READ_MODELS = ("trajectory_milestones", "trajectory_employers", "trajectory_report_facts")

MILESTONES = (
    "1-future-job-in-view",
    "2-possibilities-mapped",
    "3-agreement",
    "4-match",
    "5-learning-in",
    "6-regular-job",
)
"""The six steps as the funnel counts them (3 and 4 may come in either order)."""

INSERT_MILESTONE = (
    "INSERT INTO trajectory_milestones (trajectory_id, step, reached_on) VALUES ($1, $2, $3) "
    "ON CONFLICT (trajectory_id, step) DO NOTHING"
)
INSERT_EMPLOYER = (
    "INSERT INTO trajectory_employers (trajectory_id, employer_id, since, how) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (trajectory_id, employer_id) DO NOTHING"
)
FACT_COLUMNS = (
    "trajectory_id", "municipality", "budget_eur", "agreed_weeks", "courses",
    "employer_paid_courses", "placed_within_goal",
)  # fmt: skip
UPSERT_FACTS = (
    f"INSERT INTO trajectory_report_facts ({', '.join(FACT_COLUMNS)}) "
    f"VALUES ({', '.join(f'${i}' for i in range(1, len(FACT_COLUMNS) + 1))}) "
    "ON CONFLICT (trajectory_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in FACT_COLUMNS[1:])
)


def _day(at: Any) -> date:
    return at.astimezone(COACH_TIME_ZONE).date()  # type: ignore[no-any-return]


def milestone_rows(
    before: trajectory.Trajectory | None, event: trajectory.AnyEvent, after: trajectory.Trajectory
) -> list[tuple[str, str, date]]:
    """The steps `event` made the trajectory reach, with the date they took effect."""
    tid, on = after.trajectory_id, _day(event.at)
    reached: list[tuple[str, str, date]] = []
    if before is None:
        reached.append((tid, MILESTONES[0], _day(after.started_at)))
        return reached
    if before.preconditions is None and after.preconditions is not None:
        reached.append((tid, MILESTONES[1], on))
    if before.agreement is None and after.agreement is not None:
        reached.append((tid, MILESTONES[2], on))
    if before.candidate is None and after.candidate is not None:
        reached.append((tid, MILESTONES[3], on))
    if before.learning_started_at is None and after.learning_started_at is not None:
        reached.append((tid, MILESTONES[4], _day(after.learning_started_at)))
    if not before.placed and after.placed and after.regular_job is not None:
        # Placed from the job's first day, not from when it was recorded or closed.
        reached.append((tid, MILESTONES[5], after.regular_job.start_date))
    return reached


def employer_rows(
    before: trajectory.Trajectory | None, event: trajectory.AnyEvent, after: trajectory.Trajectory
) -> list[tuple[str, str, date, str]]:
    """The employer `event` attached the trajectory to, if it is another than before."""
    if before is not None and before.employer_id == after.employer_id:
        return []
    if before is None:
        how, on = "start", _day(after.started_at)
    elif isinstance(event, trajectory.RegularJobStarted):
        how, on = "job", event.start_date
    elif isinstance(event, trajectory.HandedOver):
        how, on = "handover", _day(event.at)
    else:
        how, on = "proposed", _day(event.at)
    return [(after.trajectory_id, after.employer_id, on, how)]


def fact_row(state: trajectory.Trajectory) -> tuple[Any, ...]:
    """The trajectory's report facts, in `FACT_COLUMNS` order."""
    agreement = state.agreement
    training = agreement.training if agreement else ()
    return (
        state.trajectory_id,
        state.programme.municipality,
        agreement.budget_eur if agreement else None,
        agreement.duration_weeks if agreement else None,
        len(training),
        sum(1 for t in training if t.paid_by_employer),
        state.placed_within_goal,
    )
