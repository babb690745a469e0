"""A WijkLeerbedrijf cohort's rules, one command at a time: its calendar, the selection
day, the BBL hires, fewer places, and the proposal that a person confirms."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from domain import cohort
from domain.shared import DomainError, RuleViolation, WrongStep
from domain.streams import AGGREGATE_OF_TYPE, load_any_event
from tests.unit.test_dispatch import concrete, members

NOW = datetime(2026, 8, 31, 9, tzinfo=UTC)
START = date(2026, 9, 1)
TIDS = tuple(f"traj-{i:02d}" for i in range(20))
EMPLOYERS = {"emp-a": 7, "emp-b": 7, "emp-c": 6}
"""20 places for 20 candidates: every employer full."""


def start_command(
    tids: tuple[str, ...] = TIDS, employers: dict[str, int] | None = None
) -> cohort.StartCohort:
    return cohort.StartCohort(
        actor="coach-1", request_id="rq-start", cohort_id="coh-2026", year=2026,
        programme_id="wijkleerbedrijf", name="WijkLeerbedrijf Zorg 2026", coach_id="coach-1",
        candidates=tuple(cohort.CohortCandidate(trajectory_id=t) for t in tids),
        employers=tuple(
            cohort.CohortEmployer(employer_id=e, future_job_id=f"fj-{e}", planned_places=k)
            for e, k in (employers or EMPLOYERS).items()
        ),
        schedule=cohort.Schedule.wijkleerbedrijf(START),
    )  # fmt: skip


class Run:
    """A cohort driven as its workflow drives it: commands in, its clock when due."""

    def __init__(self, command: cohort.StartCohort | None = None) -> None:
        self.now = NOW
        self.state: cohort.Cohort | None = None
        self.events: list[cohort.AnyEvent] = []
        self.send(command or start_command())

    def send(self, command: cohort.AnyCommand) -> list[cohort.AnyEvent]:
        new = cohort.decide(self.state, command, self.now)
        self.events += new
        self.state = cohort.fold(new, self.state)
        return new

    @property
    def s(self) -> cohort.Cohort:
        assert self.state is not None
        return self.state

    def until(self, milestone: cohort.Milestone) -> None:
        """Time passes until `milestone` came and was taken, with every one before it."""
        while milestone not in self.s.reached:
            due = self.s.next_milestone
            assert due is not None
            self.now = max(self.now, self.s.moment(due))
            on = self.s.schedule.on(due)
            self.send(cohort.ReachMilestone(actor="system", milestone=due, due_on=on))
            if self.s.needs_proposal:
                self.send(cohort.ProposeAssignment(
                    actor="system", assignment=cohort.assignment_for(self.s)
                ))  # fmt: skip


def preferences() -> cohort.RecordSelectionDay:
    """Every candidate prefers a, then b, then c; every employer ranks them in order."""
    return cohort.RecordSelectionDay(
        actor="coach-1", held_on=START + timedelta(weeks=40),
        candidates=tuple(
            cohort.CandidatePreference(trajectory_id=t, ranking=("emp-a", "emp-b", "emp-c"))
            for t in TIDS
        ),
        employers=tuple(
            cohort.EmployerPreference(employer_id=e, ranking=TIDS) for e in EMPLOYERS
        ),
    )  # fmt: skip


def test_the_unions_hold_every_class_and_the_store_reads_each_event() -> None:
    assert members(cohort.AnyCommand) == concrete(cohort.Command)
    assert members(cohort.AnyEvent) == set(cohort.Event.__subclasses__())
    run = Run()
    run.until(cohort.Milestone.END)
    for event in run.events:
        stored = event.model_dump(mode="json")
        assert AGGREGATE_OF_TYPE[event.type] == "cohort"
        assert load_any_event(stored) == cohort.load_event(json.dumps(stored)) == event


def test_the_calendar_comes_in_order_and_once() -> None:
    run = Run()
    assert run.s.phase is cohort.Phase.INTRODUCTION
    # Not due yet: the clock had it wrong, nothing happens.
    early = cohort.ReachMilestone(
        actor="system", milestone=cohort.Milestone.INTRODUCTION_END, due_on=START
    )
    assert run.send(early) == []
    run.until(cohort.Milestone.INTRODUCTION_END)
    assert run.s.phase is cohort.Phase.LEARNING
    assert run.send(early) == []  # reached already
    run.until(cohort.Milestone.YEAR_TWO)
    assert run.s.reached == cohort.MILESTONES[:3]


def test_the_selection_day_records_both_sides_and_only_after_the_introduction() -> None:
    run = Run()
    with pytest.raises(WrongStep, match="introduction"):
        run.send(preferences())
    run.until(cohort.Milestone.SELECTION_DAY)
    run.now = datetime(2027, 6, 10, 12, tzinfo=UTC)
    run.send(preferences())
    assert run.s.phase is cohort.Phase.SELECTED
    assert run.s.candidate_preferences["traj-03"] == ("emp-a", "emp-b", "emp-c")
    assert run.s.employer_preferences["emp-b"] == TIDS
    # A later one replaces only what it names.
    again = cohort.RecordSelectionDay(
        actor="coach-1", held_on=date(2027, 6, 10),
        candidates=(cohort.CandidatePreference(trajectory_id="traj-03", ranking=("emp-c",)),),
    )  # fmt: skip
    run.send(again)
    assert run.s.candidate_preferences["traj-03"] == ("emp-c",)
    assert run.s.candidate_preferences["traj-04"] == ("emp-a", "emp-b", "emp-c")


@pytest.mark.parametrize(
    ("candidates", "employers", "problem"),
    [
        ((cohort.CandidatePreference(trajectory_id="traj-99", ranking=()),), (), "not in"),
        ((cohort.CandidatePreference(trajectory_id="traj-01", ranking=("emp-x",)),), (),
         "not in"),
        ((cohort.CandidatePreference(trajectory_id="traj-01", ranking=("emp-a", "emp-a")),),
         (), "twice"),
        ((), (cohort.EmployerPreference(employer_id="emp-a", ranking=("traj-99",)),), "not in"),
        ((), (), "at least one"),
    ],
)  # fmt: skip
def test_a_selection_day_with_strangers_or_doubles_is_refused(
    candidates: tuple[cohort.CandidatePreference, ...],
    employers: tuple[cohort.EmployerPreference, ...],
    problem: str,
) -> None:
    run = Run()
    run.until(cohort.Milestone.SELECTION_DAY)
    command = cohort.RecordSelectionDay(
        actor="coach-1",
        held_on=START + timedelta(weeks=40),
        candidates=candidates,
        employers=employers,
    )
    with pytest.raises(DomainError, match=problem):
        run.send(command)


def hire(tid: str, employer_id: str, on: date = date(2027, 9, 1)) -> cohort.HireWorkStudy:
    return cohort.HireWorkStudy(
        actor="coach-1", trajectory_id=tid, employer_id=employer_id, start_date=on,
        contract_hours_per_week=24,
    )  # fmt: skip


def test_work_study_hires_come_in_year_two_within_the_places() -> None:
    run = Run(start_command(employers={"emp-a": 1, "emp-b": 7, "emp-c": 6}))
    run.until(cohort.Milestone.SELECTION_DAY)
    with pytest.raises(WrongStep, match="year-two"):
        run.send(hire("traj-00", "emp-a"))
    run.until(cohort.Milestone.YEAR_TWO)
    with pytest.raises(RuleViolation, match="year 2"):
        run.send(hire("traj-00", "emp-a", on=date(2027, 1, 1)))
    run.send(hire("traj-00", "emp-a"))
    with pytest.raises(RuleViolation, match="already"):
        run.send(hire("traj-00", "emp-b"))
    with pytest.raises(RuleViolation, match="all taken"):
        run.send(hire("traj-01", "emp-a"))
    assert run.s.work_study["traj-00"].employer_id == "emp-a"


def test_fewer_places_send_that_employers_candidates_to_the_others() -> None:
    run = Run(start_command(employers={"emp-a": 8, "emp-b": 8, "emp-c": 8}))
    run.until(cohort.Milestone.SELECTION_DAY)
    run.send(preferences())
    run.until(cohort.Milestone.YEAR_TWO)
    for tid in TIDS[:8]:
        run.send(hire(tid, "emp-a"))
    run.send(cohort.ChangePlaces(actor="am-1", employer_id="emp-a", places=4, reason="krimp"))
    run.until(cohort.Milestone.END)
    proposal = run.s.proposal
    assert proposal is not None and proposal.unplaced == ()
    assert proposal.count_at("emp-a") == 4
    kept = [p for p in proposal.placements if p.employer_id == "emp-a"]
    assert all(p.work_study for p in kept)  # its places go to its own BBL candidates
    assert sum(1 for p in proposal.placements if p.trajectory_id in TIDS[:8]
               and p.employer_id != "emp-a") == 4  # fmt: skip


def test_a_person_confirms_the_proposal_and_may_change_it_with_a_reason() -> None:
    run = Run()
    run.until(cohort.Milestone.END)
    proposal = run.s.proposal
    assert proposal is not None
    first = proposal.placements[0]
    other = next(e for e in EMPLOYERS if e != first.employer_id)
    swap = next(p for p in proposal.placements if p.employer_id == other)
    moves = (
        cohort.Move(trajectory_id=first.trajectory_id, employer_id=other),
        cohort.Move(trajectory_id=swap.trajectory_id, employer_id=first.employer_id),
    )
    with pytest.raises(RuleViolation, match="a person"):
        run.send(cohort.ConfirmAssignment(actor="system"))
    with pytest.raises(RuleViolation, match="reason"):
        run.send(cohort.ConfirmAssignment(actor="coach-1", moves=moves))
    too_many = (cohort.Move(trajectory_id=first.trajectory_id, employer_id=other),)
    same = (cohort.Move(trajectory_id=first.trajectory_id, employer_id=first.employer_id),)
    with pytest.raises(RuleViolation, match="already"):
        run.send(cohort.ConfirmAssignment(actor="coach-1", moves=same, reason="wens"))
    with pytest.raises(RuleViolation, match="place"):  # every employer is full
        run.send(cohort.ConfirmAssignment(actor="coach-1", moves=too_many, reason="wens"))
    [done] = run.send(cohort.ConfirmAssignment(actor="coach-1", moves=moves, reason="wens"))
    assert isinstance(done, cohort.AssignmentConfirmed)
    assert run.s.confirmed is not None and run.s.confirmed_by == "coach-1"
    assert run.s.confirmed.employer_of(first.trajectory_id) == other
    assert run.s.phase is cohort.Phase.CONFIRMED
    with pytest.raises(cohort.CohortClosed):
        run.send(cohort.RecordDropOut(
            actor="coach-1", trajectory_id="traj-01", reason=cohort.DropOutReason.OTHER
        ))  # fmt: skip
    lessons = cohort.lessons(run.s)
    assert (lessons.placed, lessons.placement_rate, lessons.moved_by_a_person) == (20, 1.0, 2)


def test_a_change_after_the_proposal_withdraws_it_and_the_next_one_follows() -> None:
    run = Run()
    run.until(cohort.Milestone.END)
    run.send(cohort.RecordDropOut(
        actor="coach-1", trajectory_id="traj-05", reason=cohort.DropOutReason.OTHER_WORK
    ))  # fmt: skip
    assert run.s.proposal is None and run.s.needs_proposal
    with pytest.raises(WrongStep, match="no assignment"):
        run.send(cohort.ConfirmAssignment(actor="coach-1"))
    run.send(cohort.ProposeAssignment(actor="system", assignment=cohort.assignment_for(run.s)))
    assert run.s.proposal is not None
    assert run.s.proposal.employer_of("traj-05") is None
    assert cohort.lessons(run.s).dropped_out == 1


def test_a_proposal_that_leaves_someone_out_while_a_place_is_free_is_refused() -> None:
    run = Run()
    run.until(cohort.Milestone.END)
    full = cohort.assignment_for(run.s)
    short = cohort.Assignment(placements=full.placements[1:],
                              unplaced=(full.placements[0].trajectory_id,))  # fmt: skip
    with pytest.raises(RuleViolation, match="free"):
        run.send(cohort.ProposeAssignment(actor="system", assignment=short))


def test_a_start_with_doubles_or_a_calendar_out_of_order_is_refused() -> None:
    with pytest.raises(RuleViolation, match="twice"):
        cohort.decide(None, start_command(tids=("traj-1", "traj-1")), NOW)
    with pytest.raises(ValueError, match="rise"):
        cohort.Schedule(
            starts_on=START, introduction_ends_on=START, selection_day_on=START,
            year_two_on=START, ends_on=START,
        )  # fmt: skip
    with pytest.raises(cohort.CohortAlreadyStarted):
        Run().send(start_command())


def test_the_selection_day_and_a_bbl_hire_keep_to_the_cohorts_calendar() -> None:
    run = Run()
    run.until(cohort.Milestone.SELECTION_DAY)
    early = cohort.RecordSelectionDay(
        actor="coach-1", held_on=START,
        candidates=(cohort.CandidatePreference(trajectory_id=TIDS[0], ranking=("emp-a",)),),
    )  # fmt: skip
    with pytest.raises(DomainError, match="before the introduction weeks ended"):
        run.send(early)
    run.until(cohort.Milestone.YEAR_TWO)
    late = cohort.HireWorkStudy(
        actor="coach-1", trajectory_id=TIDS[0], employer_id="emp-a",
        start_date=run.s.schedule.ends_on, contract_hours_per_week=24,
    )  # fmt: skip
    with pytest.raises(DomainError, match="before the cohort ends"):
        run.send(late)
