"""`nbm caseload` and `nbm trajectory search` against real PostgreSQL: the read models that
the projector makes from a caseload whose lists are known by construction."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from activities import PostgresEventStore
from activities.projections import Projector
from domain import cohort, task, trajectory
from tests import factories as f
from tests.unit.story import Story

from .conftest import assert_user_error, invoke

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
WEEK = timedelta(days=7)
AT = T0 + 10 * WEEK
"""The morning the lists are for."""


@pytest.fixture
def env(app_database_url: str, tmp_path: Path) -> dict[str, str | None]:
    return {
        "NBM_DATABASE_URL": app_database_url,
        "NBM_DATA_DIR": str(tmp_path),
        "TEMPORAL_ADDRESS": None,
        "NBM_ACTOR": f.COACH,
    }


def _start(at: datetime, coach: str = f.COACH, **kw: Any) -> Story:
    story = Story(at)
    story.do(f.start(at, **kw).model_copy(update={"coach_id": coach}))
    return story


def _learning(at: datetime) -> Story:
    """Werkfit: an evaluation every 2 weeks, 12 weeks of learning, benefits kept for 26 weeks
    with a warning 2 weeks before their end."""
    story = Story(at)
    for command in (f.start(at, programme="werkfit"), f.map_possibilities(),
                    f.establish_agreement(weeks=12), f.match()):  # fmt: skip
        story.do(command)
    story.later(WEEK).do(f.start_learning())  # learning ends at T0 + 13 weeks
    story.reach(trajectory.DeadlineKind.EVALUATION)  # due at T0 + 3 weeks, not recorded
    return story


@pytest.fixture
async def made(store: PostgresEventStore) -> dict[str, Any]:
    """Anna's caseload: quiet since its start, learning with an evaluation overdue, started a
    week ago, and closed; Bram's one; a cohort of two and two tasks."""
    quiet = _start(T0)
    learning = _learning(T0)
    recent = _start(T0 + 9 * WEEK)
    closed = _start(T0)
    closed.later(WEEK).do(
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.MOVED_AWAY)
    )
    bram = _start(T0, coach="coach-bram")
    for story in (quiet, learning, recent, closed, bram):
        await store.append(story.events)
    ids = {name: s.trajectory.trajectory_id for name, s in
           (("quiet", quiet), ("learning", learning), ("recent", recent), ("closed", closed),
            ("bram", bram))}  # fmt: skip

    start = cohort.StartCohort(
        actor=f.COACH, request_id="rq-cohort", cohort_id="coh-caseload", year=2026,
        programme_id="wijkleerbedrijf", name="WijkLeerbedrijf 2026", coach_id=f.COACH,
        candidates=(cohort.CohortCandidate(trajectory_id=ids["quiet"]),
                    cohort.CohortCandidate(trajectory_id=ids["recent"])),
        employers=(cohort.CohortEmployer(employer_id="emp-a", future_job_id="fj-a",
                                         planned_places=2),),
        schedule=cohort.Schedule.wijkleerbedrijf(T0.date() + timedelta(days=30)),
    )  # fmt: skip
    await store.append(cohort.decide(None, start, T0))

    def opened(task_id: str, about: str, at: datetime) -> list[task.AnyEvent]:
        command = task.OpenTask(
            actor=task.SYSTEM_ACTOR, task_id=task_id, task_kind=task.TaskKind.EVALUATION_MISSED,
            about=about, assignee_id=f.COACH, route=("sup-1",),
        )  # fmt: skip
        return task.decide(None, command, at)

    late = opened("task-late", ids["learning"], T0 + 8 * WEEK)
    await store.append(late)
    done = opened("task-done", ids["quiet"], T0 + 2 * WEEK)
    state = task.fold(done)
    done += task.decide(state, task.ResolveTask(actor=f.COACH), T0 + 3 * WEEK)
    await store.append(done)
    await Projector(store.pool).catch_up(batch=3)
    return {"ids": ids, "learning": learning.trajectory}


def ok(args: list[str], env: dict[str, str | None]) -> str:
    result = invoke(args, env)
    assert result.exit_code == 0, result.output
    return result.stdout


async def test_the_caseload_lists_what_is_known_by_construction(
    made: dict[str, Any], env: dict[str, str | None]
) -> None:
    ids = made["ids"]
    data = json.loads(ok(["caseload", "--at", AT.isoformat(), "--json"], env))
    assert data["coaches"] == [f.COACH] and data["stale"] is False
    assert data["open_trajectories"] == 3  # not the closed one, not Bram's
    by_step = {step: [r["trajectory_id"] for r in rows] for step, rows in data["by_step"].items()}
    assert by_step["1-future-job-in-view"] == [ids["quiet"], ids["recent"]]
    assert by_step["5-learning-in"] == [ids["learning"]]
    assert by_step["2-possibilities-mapped"] == by_step["6-outcome"] == []
    cohorts = {r["trajectory_id"]: r["cohort_id"] for rows in data["by_step"].values()
               for r in rows}  # fmt: skip
    assert cohorts == {ids["quiet"]: "coh-caseload", ids["recent"]: "coh-caseload",
                       ids["learning"]: None}  # fmt: skip

    # The evaluation fell due at T0 + 3 weeks and nothing was recorded.
    assert [(r["trajectory_id"], r["due_at"]) for r in data["overdue_evaluations"]] == [
        (ids["learning"], (T0 + 3 * WEEK).isoformat())
    ]
    # The open task, late (two working days to acknowledge, two weeks ago); not the resolved.
    assert [(t["task_id"], t["about"], t["overdue"]) for t in data["tasks"]] == [
        ("task-late", ids["learning"], True)
    ]
    escalated = {ids["learning"]} if made["learning"].open_escalations else set()
    assert {r["trajectory_id"] for r in data["escalations"]} == escalated
    # Contact: quiet since its start (10 weeks), learning since learning began (9 weeks);
    # the engine's evaluation due is no contact. Recent: a week ago.
    assert [(r["trajectory_id"], r["weeks"]) for r in data["no_contact"]] == [
        (ids["quiet"], 10), (ids["learning"], 9)
    ]  # fmt: skip
    assert [r["trajectory_id"] for r in data["learning_ending"]] == [ids["learning"]]
    assert data["benefit_ending"] == []  # 27 weeks of benefits, warned 2 weeks before

    # Fewer weeks of silence allowed: the recent one too; a shorter horizon: no learning end.
    narrower = json.loads(
        ok(["caseload", "--at", AT.isoformat(), "--no-contact-weeks", "1",
            "--within-weeks", "2", "--json"], env)
    )  # fmt: skip
    assert {r["trajectory_id"] for r in narrower["no_contact"]} == {
        ids["quiet"], ids["learning"], ids["recent"]
    }  # fmt: skip
    assert narrower["learning_ending"] == []

    # 25 weeks in: the benefit-retention clock warns (it ends at T0 + 27 weeks).
    later = json.loads(ok(["caseload", "--at", (T0 + 25 * WEEK).isoformat(), "--json"], env))
    assert [(r["trajectory_id"], r["passed"]) for r in later["benefit_ending"]] == [
        (ids["learning"], False)
    ]


async def test_the_caseload_as_tables_in_dutch_and_english(
    made: dict[str, Any], env: dict[str, str | None]
) -> None:
    ids = made["ids"]
    english = ok(["caseload", "--at", AT.isoformat()], env)
    assert f"{f.COACH}: 3 open trajectories" in english
    for title in ("By step", "Overdue evaluations", "Open tasks", "No contact for 4 weeks"):
        assert title in english
    assert ids["learning"] in english and "task-late" in english and "(late)" in english
    assert ids["bram"] not in english and ids["closed"] not in english
    dutch = ok(["--lang", "nl", "caseload", "--at", AT.isoformat()], env)
    assert "3 open trajecten" in dutch and "Achterstallige evaluaties" in dutch
    assert "Open taken" in dutch and "Geen contact sinds 4 weken of langer" in dutch


async def test_another_coach_and_an_empty_caseload(
    made: dict[str, Any], env: dict[str, str | None]
) -> None:
    bram = json.loads(ok(["caseload", "--coach", "coach-bram", "--at", AT.isoformat(),
                          "--json"], env))  # fmt: skip
    assert bram["open_trajectories"] == 1 and bram["tasks"] == []


async def test_bad_input_is_one_line(made: dict[str, Any], env: dict[str, str | None]) -> None:
    # Nobody of that id: no trajectories, no tasks, and no directory to find them in.
    assert_user_error(invoke(["caseload", "--coach", "coach-nobody"], env), "coach-nobody")
    assert_user_error(invoke(["caseload", "--coach", "no such coach!"], env), "--coach")
    assert_user_error(invoke(["caseload", "--at", "tomorrow"], env), "--at")
    assert_user_error(invoke(["caseload", "--coach", "a", "--team", "b"], env), "--team")
    dutch = invoke(["caseload", "--coach", "coach-nobody"], {**env, "NBM_LANG": "nl"})
    assert dutch.exit_code == 1 and dutch.stderr.startswith("fout: ")
    assert len(dutch.stderr.splitlines()) == 1
    usage = invoke(["caseload", "--no-contact-weeks", "0"], env)
    assert usage.exit_code != 0 and "Traceback" not in usage.output


async def test_read_models_from_before_the_migration_are_called_stale(
    made: dict[str, Any], env: dict[str, str | None], store: PostgresEventStore
) -> None:
    async with store.pool.acquire() as conn:
        await conn.execute("DELETE FROM trajectory_contact")  # as 0204 leaves an old database
    result = invoke(["caseload", "--at", AT.isoformat(), "--json"], env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stale"] is True
    assert "nbm report rebuild" in result.stderr


# --- the search ---------------------------------------------------------------------------


async def test_search_by_each_filter(made: dict[str, Any], env: dict[str, str | None]) -> None:
    ids = made["ids"]

    def found(*args: str) -> list[str]:
        rows = json.loads(ok(["trajectory", "search", *args, "--json"], env))
        return sorted(r["trajectory_id"] for r in rows)

    assert found() == sorted(ids.values())
    assert found("--cohort", "coh-caseload") == sorted([ids["quiet"], ids["recent"]])
    assert found("--step", "5-learning-in") == [ids["learning"]]
    assert found("--programme", "werkfit") == [ids["learning"]]
    assert found("--coach", "coach-bram") == [ids["bram"]]
    assert found("--closed") == [ids["closed"]]
    assert ids["closed"] not in found("--open")
    assert found("--employer", f.EMPLOYER, "--coach", "coach-bram") == [ids["bram"]]
    assert found("--future-job", "fj-none") == []
    assert found("--cohort", "coh-unknown") == []
    table = ok(["trajectory", "search", "--cohort", "coh-caseload"], env)
    assert ids["quiet"] in table and "coh-caseload" in table
    # Found by a trial: a search that stops at its limit says so (on stderr, beside JSON).
    capped = invoke(["trajectory", "search", "--limit", "1", "--json"], env)
    assert capped.exit_code == 0 and len(json.loads(capped.stdout)) == 1
    assert "the first 1 shown; there may be more" in capped.stderr
    whole = invoke(["trajectory", "search", "--coach", "coach-bram", "--json"], env)
    assert "there may be more" not in whole.stderr
    unknown = invoke(["trajectory", "search", "--programme", "nope", "--json"], env)
    assert unknown.exit_code == 0 and json.loads(unknown.stdout) == []
    assert "no programme nope in the catalogue" in unknown.stderr


async def test_search_refuses_bad_filters(made: dict[str, Any], env: dict[str, str | None]) -> None:
    assert_user_error(invoke(["trajectory", "search", "--coach", "x y"], env), "--coach")
    assert_user_error(invoke(["trajectory", "search", "--open", "--closed"], env), "--open")
    usage = invoke(["trajectory", "search", "--step", "7-nowhere"], env)
    assert usage.exit_code != 0 and "Traceback" not in usage.output
