"""The coach's caseload and the trajectory search, from the read models only.

What `nbm caseload` lists each morning, for one coach or a team (`Caseload`):

- `by_step`: the open trajectories (not closed) in each of the six steps of the method;
- `overdue_evaluations`: learning in, and the programme's evaluation is past due (the engine
  marked it due and nothing was recorded yet, or its due date passed before the engine did);
- `tasks`: the open tasks the coach holds (climbed to them or opened for them), and the
  trajectories with open escalations or calamities;
- `no_contact`: open trajectories whose latest contact lies `no_contact_weeks` weeks back or
  more. Contact is an event a person recorded about the candidate's path (an evaluation, a
  calamity, a match, a placement, a job, a checkpoint answer: `read_model_rows.
  CONTACT_EVENT_TYPES`), by its effective date; the engine's own events and the employer's
  answers are not contact;
- `learning_ending`: learning in, and its planned end within `within_weeks` weeks;
- `benefit_ending`: learning with benefits whose maximum comes within the programme's warning
  weeks (or within `within_weeks`, whichever is longer), or has passed.

Weeks are the trajectory's own (its programme's clock: a real week, or the demo's seconds).
Ids, steps, dates and counts only: the read models hold nothing personal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from domain import trajectory

OPEN = "s.closed_at IS NULL"
_WEEKS = "make_interval(secs => $3::int * coalesce(s.week_seconds, 604800))"
"""`$3` weeks on the trajectory's clock (a summary from before 0204: real weeks)."""

_EVALUATIONS = f"""
    SELECT s.trajectory_id, s.coach_id, s.programme_id,
           coalesce(s.evaluation_pending_since, s.next_evaluation_at) AS due_at
    FROM trajectory_summary s
    WHERE s.coach_id = ANY($1::text[]) AND {OPEN} AND s.step = '{trajectory.Step.LEARNING_IN}'
      AND coalesce(s.evaluation_pending_since, s.next_evaluation_at) <= $2
    ORDER BY due_at, s.trajectory_id
"""
_TASKS = """
    SELECT task_id, task_kind, about, assignee_id, status, ack_due_on, ack_due_at, climbed,
           opened_at, (status = 'open' AND ack_due_at <= $2) AS overdue
    FROM task_summary WHERE assignee_id = ANY($1::text[]) AND status <> 'resolved'
    ORDER BY opened_at, task_id
"""
_ESCALATIONS = f"""
    SELECT s.trajectory_id, s.coach_id, s.step, s.escalations, s.open_calamities
    FROM trajectory_summary s
    WHERE s.coach_id = ANY($1::text[]) AND {OPEN}
      AND (s.escalations > 0 OR s.open_calamities > 0)
    ORDER BY s.trajectory_id
"""
_NO_CONTACT = f"""
    SELECT s.trajectory_id, s.coach_id, s.step, coalesce(c.last_contact_at, s.started_at)
           AS last_contact_at,
           floor(extract(epoch FROM $2 - coalesce(c.last_contact_at, s.started_at))
                 / coalesce(s.week_seconds, 604800))::int AS weeks
    FROM trajectory_summary s LEFT JOIN trajectory_contact c USING (trajectory_id)
    WHERE s.coach_id = ANY($1::text[]) AND {OPEN}
      AND coalesce(c.last_contact_at, s.started_at) <= $2 - {_WEEKS}
    ORDER BY last_contact_at, s.trajectory_id
"""
_LEARNING_ENDING = f"""
    SELECT s.trajectory_id, s.coach_id, s.learning_ends_at,
           s.learning_ends_at <= $2 AS passed
    FROM trajectory_summary s
    WHERE s.coach_id = ANY($1::text[]) AND {OPEN} AND s.step = '{trajectory.Step.LEARNING_IN}'
      AND s.learning_ends_at <= $2 + {_WEEKS}
    ORDER BY s.learning_ends_at, s.trajectory_id
"""
_BENEFIT_ENDING = f"""
    SELECT s.trajectory_id, s.coach_id, s.benefit_retention_ends_at,
           s.benefit_retention_ends_at <= $2 AS passed
    FROM trajectory_summary s
    WHERE s.coach_id = ANY($1::text[]) AND {OPEN} AND s.step = '{trajectory.Step.LEARNING_IN}'
      AND s.benefit_retention_ends_at IS NOT NULL
      AND (s.benefit_warn_from <= $2 OR s.benefit_retention_ends_at <= $2 + {_WEEKS})
    ORDER BY s.benefit_retention_ends_at, s.trajectory_id
"""
_BY_STEP = f"""
    SELECT s.trajectory_id, s.coach_id, s.step, s.programme_id, s.employer_id,
           s.future_job_id, s.started_at,
           (SELECT min(m.cohort_id) FROM cohort_members m
            WHERE m.trajectory_id = s.trajectory_id AND NOT m.dropped_out) AS cohort_id
    FROM trajectory_summary s
    WHERE s.coach_id = ANY($1::text[]) AND {OPEN}
    ORDER BY s.step, s.started_at, s.trajectory_id
"""
_STALE = """
    SELECT (SELECT count(*) FROM trajectory_summary) > 0
       AND (SELECT count(*) FROM trajectory_contact) = 0
"""
"""Summaries but no contact at all: the read models were made before 0204_caseload (every
trajectory's start is a contact), so its columns are empty until a rebuild."""


@dataclass(frozen=True)
class Caseload:
    coaches: list[str]
    at: datetime
    by_step: dict[str, list[dict[str, Any]]]
    overdue_evaluations: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    escalations: list[dict[str, Any]]
    no_contact: list[dict[str, Any]]
    learning_ending: list[dict[str, Any]]
    benefit_ending: list[dict[str, Any]]
    stale: bool = False
    """The read models predate the caseload's columns: `nbm report rebuild` fills them."""
    known: bool = field(default=True)
    """Whether any coach asked for has a trajectory or a task in the read models."""


STEPS = [s.value for s in trajectory.Step if s is not trajectory.Step.CLOSED]


async def caseload(
    pool: asyncpg.Pool,
    coaches: list[str],
    *,
    at: datetime,
    no_contact_weeks: int = 4,
    within_weeks: int = 4,
) -> Caseload:
    """The coaches' lists at `at` (see the module's docstring)."""
    async with pool.acquire() as conn:

        async def rows(sql: str, *args: Any) -> list[dict[str, Any]]:
            return [dict(r) for r in await conn.fetch(sql, coaches, *args)]

        open_rows = await rows(_BY_STEP)
        by_step: dict[str, list[dict[str, Any]]] = {step: [] for step in STEPS}
        for r in open_rows:
            by_step.setdefault(r["step"], []).append(r)
        tasks = await rows(_TASKS, at)
        known = bool(open_rows or tasks) or bool(
            await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM trajectory_summary WHERE coach_id = ANY($1::text[]))",
                coaches,
            )
        )
        return Caseload(
            coaches=coaches,
            at=at,
            by_step=by_step,
            overdue_evaluations=await rows(_EVALUATIONS, at),
            tasks=tasks,
            escalations=await rows(_ESCALATIONS),
            no_contact=await rows(_NO_CONTACT, at, no_contact_weeks),
            learning_ending=await rows(_LEARNING_ENDING, at, within_weeks),
            benefit_ending=await rows(_BENEFIT_ENDING, at, within_weeks),
            stale=bool(await conn.fetchval(_STALE)),
            known=known,
        )


# --- the search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Search:
    """What `nbm trajectory search` filters on; None: any."""

    step: str | None = None
    programme: str | None = None
    cohort: str | None = None
    employer: str | None = None
    future_job: str | None = None
    coach: str | None = None
    closed: bool | None = None
    """True: only closed ones; False: only open ones; None: both."""
    limit: int = 100


_SEARCH_COLUMNS = """
    s.trajectory_id, s.step, s.route, s.programme_id, s.coach_id, s.employer_id,
    s.future_job_id, s.started_at, s.updated_at, s.closed_at, s.outcome_type,
    (SELECT min(m.cohort_id) FROM cohort_members m
     WHERE m.trajectory_id = s.trajectory_id AND NOT m.dropped_out) AS cohort_id
"""


async def search(pool: asyncpg.Pool, q: Search) -> list[dict[str, Any]]:
    """The trajectories that match every filter given, newest start first.

    A trajectory that moved employer (a proposal to another, a job elsewhere) is found under
    the employer it is with now; its future job's employer is the one in `future_job_id`.
    """
    where: list[str] = []
    args: list[object] = []
    for column, value in (
        ("s.step", q.step),
        ("s.programme_id", q.programme),
        ("s.employer_id", q.employer),
        ("s.future_job_id", q.future_job),
        ("s.coach_id", q.coach),
    ):
        if value is not None:
            args.append(value)
            where.append(f"{column} = ${len(args)}")
    if q.cohort is not None:
        args.append(q.cohort)
        where.append(
            "EXISTS (SELECT 1 FROM cohort_members m WHERE m.trajectory_id = s.trajectory_id "
            f"AND m.cohort_id = ${len(args)})"
        )
    if q.closed is not None:
        where.append("s.closed_at IS NOT NULL" if q.closed else OPEN)
    args.append(q.limit)
    sql = (
        f"SELECT {_SEARCH_COLUMNS} FROM trajectory_summary s "
        + (f"WHERE {' AND '.join(where)} " if where else "")
        + f"ORDER BY s.started_at DESC, s.trajectory_id LIMIT ${len(args)}"
    )
    async with pool.acquire() as conn:
        return [dict(r) for r in await conn.fetch(sql, *args)]
