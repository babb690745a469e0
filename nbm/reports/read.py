"""The report's rows: every trajectory's facts from the read models, in one query.

Only the projections (`trajectory_summary`, `trajectory_milestones`, `trajectory_employers`,
`trajectory_report_facts`, `checkpoint_results`, `cohort_members`): never the events, never a
workflow.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import asyncpg

from domain.shared import COACH_TIME_ZONE

from .outcomes import Checkpoint, TrajectoryFacts

FACTS_QUERY = """
SELECT s.trajectory_id, s.programme_id, s.route, s.coach_id, s.started_at,
       s.contract_hours, s.wage_cost_subsidy_pct, s.benefit_end, s.closed_at,
       s.outcome_type, s.closure_reason,
       f.municipality, f.budget_eur, f.agreed_weeks, f.courses, f.employer_paid_courses,
       (SELECT min(cm.cohort_id) FROM cohort_members cm
         WHERE cm.trajectory_id = s.trajectory_id) AS cohort_id,
       (SELECT json_object_agg(m.step, m.reached_on) FROM trajectory_milestones m
         WHERE m.trajectory_id = s.trajectory_id) AS steps,
       (SELECT json_agg(json_build_array(e.employer_id, e.since) ORDER BY e.since, e.employer_id)
          FROM trajectory_employers e WHERE e.trajectory_id = s.trajectory_id) AS employers,
       (SELECT json_agg(json_build_array(c.month, c.recorded_at, c.still_employed,
                                         c.hours_per_week, c.benefit_end) ORDER BY c.month)
          FROM checkpoint_results c WHERE c.trajectory_id = s.trajectory_id) AS checkpoints
FROM trajectory_summary s
LEFT JOIN trajectory_report_facts f USING (trajectory_id)
ORDER BY s.trajectory_id
"""


def _day(value: Any) -> date | None:
    return None if value is None else value.astimezone(COACH_TIME_ZONE).date()


def _recorded_on(text: str | None) -> date | None:
    if text is None:
        return None
    return _day(datetime.fromisoformat(text))


def facts_of(row: asyncpg.Record | dict[str, Any]) -> TrajectoryFacts:
    steps = {k: date.fromisoformat(v) for k, v in json.loads(row["steps"] or "{}").items()}
    employers = tuple((e, date.fromisoformat(d)) for e, d in json.loads(row["employers"] or "[]"))
    points = tuple(
        Checkpoint(month=m, recorded_on=_recorded_on(at), still_employed=employed,
                   hours_per_week=hours, benefit_end=benefit)
        for m, at, employed, hours, benefit in json.loads(row["checkpoints"] or "[]")
    )  # fmt: skip
    started_on = _day(row["started_at"])
    assert started_on is not None
    return TrajectoryFacts(
        trajectory_id=row["trajectory_id"],
        programme_id=row["programme_id"],
        route=row["route"],
        coach_id=row["coach_id"],
        started_on=started_on,
        steps=steps,
        employers=employers,
        cohort_id=row["cohort_id"],
        municipality=row["municipality"],
        contract_hours=row["contract_hours"],
        lks_pct=row["wage_cost_subsidy_pct"],
        benefit_end=row["benefit_end"],
        budget_eur=row["budget_eur"],
        agreed_weeks=row["agreed_weeks"],
        courses=row["courses"] or 0,
        employer_paid_courses=row["employer_paid_courses"] or 0,
        closed_on=_day(row["closed_at"]),
        outcome_type=row["outcome_type"],
        closure_reason=row["closure_reason"],
        checkpoints=points,
    )


async def read_facts(pool: asyncpg.Pool) -> list[TrajectoryFacts]:
    """Every trajectory's facts, from one query over the read models."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(FACTS_QUERY)
    return [facts_of(r) for r in rows]
