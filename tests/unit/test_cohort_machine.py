"""A rule-based state machine of one cohort: its clock, the selection day, BBL hires, places
that change, drop-outs, proposals and a confirmation, in any order. The invariants are what
the coach and the trajectories rely on."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain import cohort
from domain.shared import DomainError
from tests.unit.test_cohort import NOW, start_command

TIDS = tuple(f"traj-{i:02d}" for i in range(6))
EMPLOYER_IDS = ("emp-a", "emp-b", "emp-c")
TID = st.sampled_from(TIDS)
EMP = st.sampled_from(EMPLOYER_IDS)


class CohortMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = NOW
        self.state: cohort.Cohort | None = None
        self.events: list[cohort.AnyEvent] = []

    def send(self, command: cohort.AnyCommand) -> None:
        try:
            new = cohort.decide(self.state, command, self.now)
        except DomainError:
            return
        self.events += new
        self.state = cohort.fold(new, self.state)
        # The workflow proposes as soon as one is needed.
        if self.state is not None and self.state.needs_proposal:
            self.send(cohort.ProposeAssignment(
                actor="system", assignment=cohort.assignment_for(self.state)
            ))  # fmt: skip

    @property
    def s(self) -> cohort.Cohort:
        assert self.state is not None
        return self.state

    @initialize(places=st.tuples(*(st.integers(0, 4) for _ in EMPLOYER_IDS)))
    def start(self, places: tuple[int, ...]) -> None:
        self.send(start_command(TIDS, dict(zip(EMPLOYER_IDS, places, strict=True))))
        assert self.state is not None

    @rule(weeks=st.integers(4, 60))
    def time_passes(self, weeks: int) -> None:
        self.now += timedelta(weeks=weeks)
        while (due := self.s.next_milestone) is not None and self.s.moment(due) <= self.now:
            self.send(cohort.ReachMilestone(
                actor="system", milestone=due, due_on=self.s.schedule.on(due)
            ))  # fmt: skip

    @rule(tid=TID, ranking=st.permutations(EMPLOYER_IDS), emp=EMP, order=st.permutations(TIDS))
    def selection_day(self, tid: str, ranking: list[str], emp: str, order: list[str]) -> None:
        self.send(cohort.RecordSelectionDay(
            actor="coach-1", held_on=self.s.schedule.introduction_ends_on,
            candidates=(cohort.CandidatePreference(trajectory_id=tid, ranking=tuple(ranking)),),
            employers=(cohort.EmployerPreference(employer_id=emp, ranking=tuple(order)),),
        ))  # fmt: skip

    @rule(tid=TID, emp=EMP)
    def hire(self, tid: str, emp: str) -> None:
        self.send(cohort.HireWorkStudy(
            actor="coach-1", trajectory_id=tid, employer_id=emp,
            start_date=self.s.schedule.year_two_on, contract_hours_per_week=24,
        ))  # fmt: skip

    @rule(emp=EMP, places=st.integers(0, 4))
    def change_places(self, emp: str, places: int) -> None:
        self.send(cohort.ChangePlaces(actor="am-1", employer_id=emp, places=places, reason="x"))

    @rule(tid=TID, reason=st.sampled_from(list(cohort.DropOutReason)))
    def drop_out(self, tid: str, reason: cohort.DropOutReason) -> None:
        self.send(cohort.RecordDropOut(actor="coach-1", trajectory_id=tid, reason=reason))

    @rule(tid=TID, emp=EMP)
    def confirm(self, tid: str, emp: str) -> None:
        moves = (cohort.Move(trajectory_id=tid, employer_id=emp),)
        self.send(cohort.ConfirmAssignment(actor="coach-1", moves=moves, reason="wens"))
        self.send(cohort.ConfirmAssignment(actor="coach-1"))

    def teardown(self) -> None:
        if self.state is not None:
            event(f"phase {self.s.phase.value}")  # the runs do reach each phase

    @invariant()
    def the_state_is_the_fold_of_its_events(self) -> None:
        if self.state is not None:
            assert cohort.fold(self.events) == self.state
            assert [e.version for e in self.events] == list(range(1, len(self.events) + 1))

    @invariant()
    def milestones_come_in_order(self) -> None:
        if self.state is not None:
            assert self.s.reached == cohort.MILESTONES[: len(self.s.reached)]

    @invariant()
    def a_standing_assignment_fills_what_it_can_within_the_places(self) -> None:
        if self.state is None:
            return
        standing = self.s.confirmed or self.s.proposal
        if standing is None:
            assert not self.s.needs_proposal
            return
        placed = [p.trajectory_id for p in standing.placements]
        assert len(placed) == len(set(placed))
        for e, k in self.s.places.items():
            assert standing.count_at(e) <= k
        if self.s.confirmed is None:  # a person may leave it otherwise; the engine never
            assert len(placed) == min(len(self.s.active), self.s.total_places)
            assert set(placed) <= set(self.s.active)

    @invariant()
    def hires_only_in_year_two_and_never_twice(self) -> None:
        hires = [e for e in self.events if isinstance(e, cohort.WorkStudyHired)]
        assert len({h.trajectory_id for h in hires}) == len(hires)


TestCohortMachine = CohortMachine.TestCase
TestCohortMachine.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
