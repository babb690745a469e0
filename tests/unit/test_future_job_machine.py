"""A rule-based state machine of one future job: coaches attach, place and let go of
candidates, an account manager reduces, moves and withdraws, and its clock expires it, in
any order. The invariants are what the trajectories and the fallback rely on."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain import future_job as fj
from domain.shared import DomainError
from domain.trajectory import Commitment
from tests.unit.test_future_job import NOW, forecast

TIDS = st.sampled_from([f"t{i}" for i in range(6)])


class FutureJobMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = NOW
        self.state: fj.FutureJob | None = None
        self.events: list[fj.AnyEvent] = []
        self.refused = 0

    def send(self, command: fj.AnyCommand) -> None:
        try:
            new = fj.decide(self.state, command, self.now)
        except DomainError:
            self.refused += 1
            return
        assert new, "an accepted command records something"
        self.events += new
        self.state = fj.fold(new, self.state)

    @initialize(jobs=st.integers(1, 4), months=st.integers(1, 24))
    def start(self, jobs: int, months: int) -> None:
        expected = fj.today(NOW).replace(day=1) + timedelta(days=31 * months - 1)
        self.send(forecast(jobs=jobs, expected_on=min(expected, date(2028, 12, 1))))
        assert self.state is not None

    @rule(tid=TIDS)
    def attach(self, tid: str) -> None:
        self.send(fj.AttachCandidate(actor="coach-1", trajectory_id=tid))

    @rule(tid=TIDS, reason=st.sampled_from(list(fj.DetachReason)))
    def detach(self, tid: str, reason: fj.DetachReason) -> None:
        self.send(fj.DetachCandidate(actor="coach-1", trajectory_id=tid, reason=reason))

    @rule(tid=TIDS)
    def fill(self, tid: str) -> None:
        self.send(fj.FillPlace(actor="coach-1", trajectory_id=tid, started_on=fj.today(self.now)))

    @rule(jobs=st.integers(1, 4))
    def reduce(self, jobs: int) -> None:
        self.send(fj.ReduceJobs(actor="am-1", jobs=jobs, reason="minder plaatsen"))

    @rule(commitment=st.sampled_from(list(Commitment)))
    def change_commitment(self, commitment: Commitment) -> None:
        self.send(fj.ChangeCommitment(actor="am-1", commitment=commitment, reason="gesprek"))

    @rule(days=st.integers(-30, 400))
    def move_date(self, days: int) -> None:
        assert self.state is not None
        moved = self.state.expected_on + timedelta(days=days)
        self.send(fj.MoveExpectedDate(actor="am-1", expected_on=moved, reason="later"))

    @precondition(lambda self: len(self.events) > 4)
    @rule()
    def withdraw(self) -> None:
        self.send(fj.WithdrawFutureJob(actor="am-1", reason="gaat niet door"))

    @rule(weeks=st.integers(1, 60))
    def time_passes(self, weeks: int) -> None:
        self.now += timedelta(weeks=weeks)
        assert self.state is not None
        due = fj.next_deadline(self.state)
        if due is not None and due <= self.now:
            before = len(self.events)
            self.send(fj.ReachExpiry(actor=fj.SYSTEM_ACTOR, due_on=due.date()))
            assert len(self.events) == before + 1, "a due expiry is taken"

    def teardown(self) -> None:
        if self.state is not None:  # what the runs reached (--hypothesis-show-statistics)
            event(f"ended {self.state.status.value}")

    @invariant()
    def places_add_up(self) -> None:
        s = self.state
        assert s is not None
        assert not set(s.attached) & set(s.filled)
        assert len(set(s.attached)) == len(s.attached)
        assert len(s.filled) <= s.jobs
        assert s.free_places == max(0, s.jobs - len(s.filled) - len(s.attached))
        if s.status is fj.FutureJobStatus.OPEN:
            assert len(s.filled) < s.jobs, "every place filled closes it"
        if s.status is fj.FutureJobStatus.FILLED:
            assert len(s.filled) == s.jobs
        if s.status in (fj.FutureJobStatus.WITHDRAWN, fj.FutureJobStatus.EXPIRED):
            assert not s.attached

    @invariant()
    def the_stream_is_its_fold(self) -> None:
        assert [e.version for e in self.events] == list(range(1, len(self.events) + 1))
        assert fj.fold(self.events) == self.state
        assert all(e.future_job_id == "fj-1" for e in self.events)

    @invariant()
    def a_closed_future_job_only_lets_go(self) -> None:
        s = self.state
        assert s is not None
        closed_at = next((i for i, e in enumerate(self.events) if e.type in (
            "FutureJobFilled", "FutureJobWithdrawn", "FutureJobExpired")), None)  # fmt: skip
        if closed_at is not None:
            assert {e.type for e in self.events[closed_at + 1 :]} <= {"CandidateDetached"}
            assert fj.next_deadline(s) is None


FutureJobMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=40)
test_future_job_machine = FutureJobMachine.TestCase
