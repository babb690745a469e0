"""The outcome figures' small-cell rules, for any caseload (pure: `nbm.reports.outcomes`)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from nbm.reports.outcomes import (
    COUNTS,
    DERIVED_FROM,
    PARTITIONS,
    STEPS,
    GroupBy,
    Report,
    TrajectoryFacts,
    Window,
    add_months,
    outcome_report,
)

AS_OF = date(2028, 6, 30)
EVERYTHING = Window(None, None, AS_OF)


@st.composite
def trajectories(draw: st.DrawFn, i: int) -> TrajectoryFacts:
    started = date(2027, 1, 1) + timedelta(days=draw(st.integers(0, 500)))
    reached = draw(st.integers(1, 6))
    steps = {s: started + timedelta(days=7 * n) for n, s in enumerate(STEPS[:reached])}
    if reached == 6:
        steps[STEPS[5]] = started + timedelta(weeks=draw(st.integers(0, 110)))
    return TrajectoryFacts(
        trajectory_id=f"t{i}",
        programme_id=draw(st.sampled_from(["p1", "p2", "p3", "p4"])),
        route="werkfit",
        coach_id=draw(st.sampled_from(["c1", "c2"])),
        started_on=started,
        steps=steps,
        employers=(("e1", started),),
        benefit_end=draw(st.sampled_from(["fully", "partly", "continues", "not-applicable"])),
        contract_hours=draw(st.integers(8, 40)),
    )


caseloads = st.integers(0, 40).flatmap(
    lambda n: st.tuples(*(trajectories(i) for i in range(n))).map(list)
)


def _rows(report: Report) -> list:  # type: ignore[type-arg]
    return [*report.groups, report.total]


@settings(max_examples=60, deadline=None)
@given(caseloads, st.sampled_from([GroupBy.PROGRAMME, GroupBy.COACH, None]), st.integers(2, 8))
def test_no_small_count_is_ever_shown(facts: list[TrajectoryFacts], by: GroupBy | None,
                                      k: int) -> None:  # fmt: skip
    report = outcome_report(facts, EVERYTHING, by=by, min_cell=k)
    for f in _rows(report):
        for name in COUNTS:
            shown = f.shown(name)
            assert shown is None or shown == 0 or shown >= k, (f.group, name, shown)
        for value, inputs in DERIVED_FROM.items():
            if any(i in f.suppressed for i in inputs):
                assert f.shown(value) is None
    for year in report.jobs_per_year:
        assert year.suppressed or year.jobs == 0 or year.jobs >= k


@settings(max_examples=60, deadline=None)
@given(caseloads, st.integers(2, 8))
def test_a_withheld_cell_cannot_be_worked_out_from_a_total(
    facts: list[TrajectoryFacts], k: int
) -> None:
    report = outcome_report(facts, EVERYTHING, by=GroupBy.PROGRAMME, min_cell=k)

    def safe(parts: list[tuple[int, bool]]) -> bool:
        hidden = [x for x, is_hidden in parts if is_hidden]
        return sum(hidden) == 0 or (len(hidden) >= 2 and sum(hidden) >= k)

    # Down each column against the total row, and within each row's partitions.
    for name in COUNTS:
        if name in report.total.suppressed:
            continue
        assert safe([(g.counts[name], name in g.suppressed) for g in report.groups]), name
    for f in _rows(report):
        for whole, parts in PARTITIONS:
            if whole not in f.suppressed:
                assert safe([(f.counts[p], p in f.suppressed) for p in parts]), (f.group, parts)


def test_the_groups_add_up_to_the_total() -> None:
    start = date(2027, 1, 4)
    facts = [
        TrajectoryFacts(
            trajectory_id=f"t{i}",
            programme_id=f"p{i % 3}",
            route="werkfit",
            coach_id="c",
            started_on=start,
            steps={STEPS[0]: start},
        )
        for i in range(30)
    ]
    report = outcome_report(facts, EVERYTHING, by=GroupBy.PROGRAMME)
    assert [g.shown("trajectories") for g in report.groups] == [10, 10, 10]
    assert report.total.shown("trajectories") == 30
    assert report.total.shown("placement_rate") == 0.0


def test_months_are_calendar_months() -> None:
    assert add_months(date(2027, 1, 4), 6) == date(2027, 7, 4)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)


def test_a_shown_zero_beside_a_lone_withheld_cell_is_withheld_too() -> None:
    """Found by hypothesis: a group's bin withheld (2) beside another group's 0 under a shown
    total of 2 gave the withheld cell away; hiding the zero (or, with no part left, the
    total) closes it."""
    from nbm.reports.outcomes import WHOLE, _hide_one_more

    assert _hide_one_more({"a": 2, "b": 0}, {"a"}, 2) == "b"
    assert _hide_one_more({"a": 2, "b": 0, "c": 3}, {"a"}, 2) == "c"
    assert _hide_one_more({"a": 2}, {"a"}, 5) == WHOLE
    assert _hide_one_more({"a": 2, "b": 4}, {"a", "b"}, 5) is None
