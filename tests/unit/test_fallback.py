"""The fallback proposals: pure, explained, and never a place that is not there."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from domain import future_job as fj
from domain.trajectory import Commitment

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)


def job(
    fid: str, function: str, skills: tuple[str, ...], jobs: int = 2, attached: int = 0,
    expected: date = date(2027, 9, 1),
) -> fj.FutureJob:  # fmt: skip
    commands: list[fj.AnyCommand] = [
        fj.ForecastFutureJob(
            actor="am", future_job_id=fid, employer_id=f"emp-{fid}", function=function,
            jobs=jobs, expected_on=expected, required_skills=skills,
            commitment=Commitment.JOB_GUARANTEE,
        )
    ]  # fmt: skip
    commands += [
        fj.AttachCandidate(actor="c", trajectory_id=f"t-{fid}-{i}") for i in range(attached)
    ]
    state = None
    for command in commands:
        state = fj.fold(fj.decide(state, command, NOW), state)
    assert state is not None
    return state


LOST = job("lost", "helpende zorg", ("ADL", "communicatie"), attached=2)


def test_the_same_sector_comes_first_then_the_function_and_the_skills_in_common() -> None:
    openings = [
        fj.Opening(job=job("a", "helpende zorg", ("ADL", "communicatie")), sector="logistiek"),
        fj.Opening(job=job("b", "schoonmaker", ("schoonmaken",)), sector="zorg"),
        fj.Opening(job=job("c", "helpende zorg", ("ADL",)), sector="zorg"),
        fj.Opening(job=job("d", "helpende zorg", ("ADL",), jobs=1, attached=1), sector="zorg"),
    ]
    proposals = fj.propose(LOST, "zorg", openings)
    assert [p.future_job_id for p in proposals] == ["c", "b", "a"]  # d is full
    first = proposals[0]
    assert first.same_sector and first.same_function
    assert (first.matched_skills, first.missing_skills, first.free_places) == (("ADL",), (), 2)
    assert proposals[1].missing_skills == ("schoonmaken",)  # the learning plan's new item


def test_who_loses_the_place() -> None:
    reduced = fj.decide(LOST, fj.ReduceJobs(actor="am", jobs=1, reason="krimp"), NOW)
    assert fj.losing_place(reduced) == ("t-lost-1",)  # the last to come
    withdrawn = fj.decide(LOST, fj.WithdrawFutureJob(actor="am", reason="geen budget"), NOW)
    assert fj.losing_place(withdrawn) == ("t-lost-0", "t-lost-1")


@given(
    st.lists(
        st.tuples(st.integers(1, 3), st.integers(0, 3), st.booleans(), st.booleans()),
        max_size=12,
    )
)
def test_never_a_full_or_the_same_job_and_the_sector_before_the_rest(
    specs: list[tuple[int, int, bool, bool]],
) -> None:
    openings = [
        fj.Opening(
            job=job(
                f"j{i}",
                "helpende zorg" if same_fn else "chauffeur",
                ("ADL",),
                jobs=jobs,
                attached=min(attached, jobs),
            ),
            sector="zorg" if same_sector else "techniek",
        )
        for i, (jobs, attached, same_sector, same_fn) in enumerate(specs)
    ]
    openings.append(fj.Opening(job=LOST, sector="zorg"))
    proposals = fj.propose(LOST, "zorg", openings)
    assert all(p.free_places >= 1 and p.future_job_id != "lost" for p in proposals)
    sectors = [p.same_sector for p in proposals]
    assert sectors == sorted(sectors, reverse=True)
    with_room = [o for o in openings if o.job.free_places and o.job.future_job_id != "lost"]
    assert len(proposals) == min(fj.MAX_PROPOSALS, len(with_room))
