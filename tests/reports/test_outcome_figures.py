"""The outcome figures of a caseload whose answers are known by construction (`scenario`):
real events through the projector into PostgreSQL, read back in one query, computed."""

from __future__ import annotations

from datetime import date

import pytest

from activities import PostgresEventStore
from activities.projections import Projector
from domain import cohort
from nbm.reports.outcomes import (
    COUNTS,
    VALUES,
    GroupBy,
    Report,
    TrajectoryFacts,
    Window,
    outcome_report,
)
from nbm.reports.read import read_facts
from tests import factories as f

from . import scenario

EVERYTHING = Window(None, None, scenario.AS_OF)


def by_group(report: Report) -> dict[str, dict[str, object]]:
    return {
        f.group: {n: f.shown(n) for n in (*COUNTS, *VALUES)} for f in (*report.groups, report.total)
    }


async def test_the_read_models_hold_the_steps_by_effective_dates(
    facts: list[TrajectoryFacts],
) -> None:
    t = {x.trajectory_id: x for x in facts}
    assert len(t) == 21
    a1 = t["traj-a01"]
    assert a1.started_on == date(2027, 1, 4)
    assert a1.job_started == date(2027, 3, 15)  # the job's first day
    assert a1.steps["5-learning-in"] == date(2027, 1, 11)
    assert [e for e, _ in a1.employers] == ["employer-zorgcentrum", scenario.MOVED_TO]
    assert (a1.budget_eur, a1.agreed_weeks, a1.employer_paid_courses) == (5000, 52, 1)
    # Recorded in January 2028, begun in December 2027.
    assert t["traj-a07"].job_started == date(2027, 12, 20)
    # Entered in 2028 with its real start.
    assert t["traj-c0"].started_on == date(2027, 3, 1)
    assert t["traj-a08"].closed_on is None and t["traj-a08"].job_started == date(2028, 2, 28)


async def test_per_programme_the_figures_known_by_construction(
    facts: list[TrajectoryFacts],
) -> None:
    report = outcome_report(facts, EVERYTHING, by=GroupBy.PROGRAMME)
    rows = by_group(report)
    a = rows["standard"]
    assert a["trajectories"] == 12
    assert [a[f"step_{i}"] for i in range(1, 7)] == [12, 11, 10, 10, 9, 8]
    assert a["placed"] == 8  # t8 is still open, in aftercare: placed all the same
    assert a["placement_rate"] == pytest.approx(8 / 12, abs=1e-4)
    assert (a["within_6m"], a["within_6m_eligible"]) == (5, 12)
    assert a["median_weeks_to_job"] == 24.5  # 10 12 20 24 | 25 40 50 60
    assert (a["lasting_1m"], a["lasting_1m_known"]) == (5, 6)
    assert a["lasting_1m_rate"] == pytest.approx(5 / 6, abs=1e-4)
    assert (a["with_lks"], a["median_lks_pct"]) == (5, 30.0)
    assert a["median_contract_hours"] == 32.0
    assert (a["with_budget"], a["budget_total_eur"], a["budget_mean_eur"]) == (10, 40000, 4000)
    assert a["budget_per_year_eur"] == 5333  # 40,000 over 5 + 5 x 0.5 trajectory-years
    assert a["employer_paid_training"] == 5
    # Small cells: the week bins (2, 3, 2, 1), 3 small contracts, the benefit ended partly
    # (3): withheld; ended fully (5) too, since placed minus partly would give it.
    withheld = {n for n, v in a.items() if v is None}
    assert {"weeks_0_13", "weeks_13_26", "weeks_26_52", "weeks_52_78"} <= withheld
    assert {"small_contract", "benefit_partly", "benefit_fully"} <= withheld
    assert a["weeks_104_plus"] == 0 and a["benefit_continues"] == 0

    # B: three trajectories, every figure withheld.
    b = rows["large-scale-growth"]
    assert all(v is None for v in b.values())
    # C (six): its count withheld too, or the total minus A would give B's.
    c = rows["werkfit"]
    assert c["trajectories"] is None and c["placement_rate"] is None
    assert c["placed"] == 0 and c["step_2"] == 0

    total = rows["total"]
    assert (total["trajectories"], total["placed"]) == (21, 8)
    assert total["placement_rate"] == pytest.approx(8 / 21, abs=1e-4)


async def test_jobs_per_year_go_by_the_jobs_first_day(facts: list[TrajectoryFacts]) -> None:
    report = outcome_report(facts, EVERYTHING, target_per_year=150)
    years = {y.year: y for y in report.jobs_per_year}
    assert sorted(years) == [2027, 2028]
    assert (years[2027].jobs, years[2027].suppressed, years[2027].share) == (7, False, 0.0467)
    assert years[2028].suppressed  # one job: withheld
    assert years[2028].share is None


async def test_a_trajectory_that_moved_counts_for_both_employers(
    facts: list[TrajectoryFacts],
) -> None:
    report = outcome_report(facts, EVERYTHING, by=GroupBy.EMPLOYER)
    rows = by_group(report)
    moved, first = rows[scenario.MOVED_TO], rows["employer-zorgcentrum"]
    assert (moved["trajectories"], moved["placed"], moved["within_6m"]) == (5, 5, 5)
    assert moved["lasting_1m_rate"] == 1.0
    assert (first["trajectories"], first["placed"]) == (21, 8)  # the five among them
    assert report.overlapping


async def test_the_window_goes_by_the_effective_start(facts: list[TrajectoryFacts]) -> None:
    in_2027 = outcome_report(facts, Window(date(2027, 1, 1), date(2027, 12, 31), scenario.AS_OF))
    assert in_2027.total.shown("trajectories") == 21  # C's six were entered in 2028
    in_2028 = outcome_report(facts, Window(date(2028, 1, 1), date(2028, 12, 31), scenario.AS_OF))
    assert in_2028.total.shown("trajectories") == 0
    by_year = by_group(outcome_report(facts, EVERYTHING, by=GroupBy.YEAR))
    assert set(by_year) == {"2027", "total"}


async def test_as_of_a_date_only_what_had_taken_effect(facts: list[TrajectoryFacts]) -> None:
    # On 30 June 2027: t1..t5 had begun their jobs (the last on 28 June).
    early = outcome_report(facts, Window(None, None, date(2027, 6, 30)))
    assert early.total.shown("placed") == 5
    assert early.total.shown("trajectories") == 21
    assert early.total.shown("with_budget") == 10  # every plan was agreed in January
    # Not yet six months for anyone: the measure waits (t1..t5 are in already).
    assert early.total.shown("within_6m_eligible") == 5


async def test_a_larger_smallest_cell_withholds_more(facts: list[TrajectoryFacts]) -> None:
    report = outcome_report(facts, EVERYTHING, by=GroupBy.PROGRAMME, min_cell=10)
    a = by_group(report)["standard"]
    assert a["placed"] is None and a["placement_rate"] is None
    # B (3) and C (6) are withheld, 9 together: the total minus A would give them.
    assert a["trajectories"] is None
    everything = outcome_report(facts, EVERYTHING, by=GroupBy.PROGRAMME, min_cell=1)
    assert by_group(everything)["large-scale-growth"]["trajectories"] == 3


async def test_by_cohort_the_candidates_a_cohort_started_with(
    projected: PostgresEventStore,
) -> None:
    tids = tuple(f"traj-a{i:02d}" for i in range(1, 7))
    start = cohort.StartCohort(
        actor=f.COACH, request_id="rq-coh", cohort_id="coh-2027", year=2027,
        programme_id="wijkleerbedrijf", name="WijkLeerbedrijf Zorg 2027", coach_id=f.COACH,
        candidates=tuple(cohort.CohortCandidate(trajectory_id=t) for t in tids),
        employers=(cohort.CohortEmployer(employer_id="emp-a", future_job_id="fj-a",
                                         planned_places=6),),
        schedule=cohort.Schedule.wijkleerbedrijf(date(2027, 1, 4)),
    )  # fmt: skip
    await projected.append(cohort.decide(None, start, scenario.START_A))
    await Projector(projected.pool).catch_up()
    report = outcome_report(await read_facts(projected.pool), EVERYTHING, by=GroupBy.COHORT)
    rows = by_group(report)
    assert set(rows) == {"coh-2027", "-", "total"}
    assert (rows["coh-2027"]["trajectories"], rows["coh-2027"]["step_2"]) == (6, 6)
    assert rows["-"]["trajectories"] == 15
    # 6 of the 8 placed are the cohort's: shown, the total (8) minus them would give 2.
    assert rows["coh-2027"]["placed"] is None and rows["-"]["placed"] is None
    assert rows["total"]["placed"] == 8
