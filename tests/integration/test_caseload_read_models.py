"""The caseload's read models (0204_caseload) on real PostgreSQL: the summary's new columns,
the latest contact, the cohorts' members and the tasks, kept by the projector event by event
and the same after a rebuild from zero."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg

from activities import PostgresEventStore
from activities.projections import Projector
from activities.read_model_rows import contact_at
from domain import cohort, task, trajectory
from tests import factories as f
from tests.unit.story import Story

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
WEEK = timedelta(days=7)


async def _rows(pool: asyncpg.Pool, sql: str) -> list[dict[str, object]]:
    async with pool.acquire() as conn:
        return [dict(r) for r in await conn.fetch(sql)]


def _werkfit() -> Story:
    story = Story(T0)
    for command in (f.start(T0, programme="werkfit", future_job_id="fj-zorg"),
                    f.map_possibilities(), f.establish_agreement(weeks=12), f.match()):  # fmt: skip
        story.do(command)
    story.later(WEEK).do(f.start_learning())
    return story


async def test_the_caseload_columns_follow_the_events_and_survive_a_rebuild(
    store: PostgresEventStore,
) -> None:
    story = _werkfit()
    await store.append(story.events)
    projector = Projector(store.pool)
    await projector.catch_up()
    tid = story.trajectory.trajectory_id
    sql = f"SELECT * FROM trajectory_summary WHERE trajectory_id = '{tid}'"
    (row,) = await _rows(store.pool, sql)
    state = story.trajectory
    assert row["future_job_id"] == "fj-zorg"
    assert row["next_evaluation_at"] == state.next_evaluation_at == T0 + 3 * WEEK
    assert row["evaluation_pending_since"] is None
    assert row["benefit_retention_ends_at"] == T0 + 27 * WEEK  # werkfit: 26 weeks of benefits
    assert row["benefit_warn_from"] == T0 + 25 * WEEK  # ... warned 2 weeks before
    assert row["week_seconds"] == WEEK.total_seconds()

    # The engine's evaluation falls due: pending, and no contact; a later evaluation recorded
    # with an earlier effective date does not move the latest contact back.
    first = len(story.events)
    story.reach(trajectory.DeadlineKind.EVALUATION)
    assert all(contact_at(e) is None for e in story.events[first:])
    story.later(WEEK)
    story.do(
        trajectory.RecordEvaluation(
            actor=f.COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True,
            effective_at=T0 + 3 * WEEK + timedelta(hours=1),
        )
    )  # fmt: skip
    await store.append(story.events[first:])
    await projector.catch_up()
    (row,) = await _rows(store.pool, sql)
    assert row["evaluation_pending_since"] is None  # answered
    contact = await _rows(store.pool, "SELECT * FROM trajectory_contact")
    assert contact == [
        {"trajectory_id": tid, "last_contact_at": T0 + 3 * WEEK + timedelta(hours=1)}
    ]

    before = {t: await _rows(store.pool, f"SELECT * FROM {t} ORDER BY 1")
              for t in ("trajectory_summary", "trajectory_contact")}  # fmt: skip
    await projector.rebuild()
    after = {t: await _rows(store.pool, f"SELECT * FROM {t} ORDER BY 1")
             for t in ("trajectory_summary", "trajectory_contact")}  # fmt: skip
    assert after == before


async def test_tasks_and_cohort_members_from_their_own_events(store: PostgresEventStore) -> None:
    opened = task.decide(
        None,
        task.OpenTask(actor=task.SYSTEM_ACTOR, task_id="task-rm-1",
                      task_kind=task.TaskKind.CALAMITY, about="traj-rm-1",
                      assignee_id="coach-anna", route=("sup-1", "sup-2")),
        T0,
    )  # fmt: skip
    state = task.fold(opened)
    assert state is not None
    climbed = task.decide(
        state, task.ReachAckDeadline(actor=task.SYSTEM_ACTOR, due_on=state.ack_due_on),
        state.moment(state.ack_due_on),
    )  # fmt: skip
    await store.append(opened)
    projector = Projector(store.pool)
    await projector.catch_up()
    (row,) = await _rows(store.pool, "SELECT * FROM task_summary")
    assert (row["assignee_id"], row["status"], row["climbed"]) == ("coach-anna", "open", 0)
    await store.append(climbed)
    start = cohort.StartCohort(
        actor=f.COACH, request_id="rq-rm", cohort_id="coh-rm", year=2026,
        programme_id="wijkleerbedrijf", name="WijkLeerbedrijf 2026", coach_id=f.COACH,
        candidates=tuple(cohort.CohortCandidate(trajectory_id=t) for t in ("traj-a", "traj-b")),
        employers=(cohort.CohortEmployer(employer_id="emp-a", future_job_id="fj-a",
                                         planned_places=2),),
        schedule=cohort.Schedule.wijkleerbedrijf(T0.date() + timedelta(days=30)),
    )  # fmt: skip
    started = cohort.decide(None, start, T0)
    dropped = cohort.decide(
        cohort.fold(started),
        cohort.RecordDropOut(actor=f.COACH, trajectory_id="traj-b",
                       reason=cohort.DropOutReason.OTHER_WORK),
        T0 + WEEK,
    )  # fmt: skip
    await store.append(started)
    await store.append(dropped)
    await projector.catch_up(batch=2)
    (row,) = await _rows(store.pool, "SELECT * FROM task_summary")
    assert (row["assignee_id"], row["status"], row["climbed"]) == ("sup-1", "open", 1)
    assert row["version"] == 2
    members = await _rows(store.pool, "SELECT * FROM cohort_members ORDER BY trajectory_id")
    assert members == [
        {"trajectory_id": "traj-a", "cohort_id": "coh-rm", "dropped_out": False},
        {"trajectory_id": "traj-b", "cohort_id": "coh-rm", "dropped_out": True},
    ]
    before = await _rows(store.pool, "SELECT * FROM task_summary")
    await projector.rebuild()
    assert await _rows(store.pool, "SELECT * FROM task_summary") == before
    assert await _rows(store.pool, "SELECT * FROM cohort_members ORDER BY 1") == members
