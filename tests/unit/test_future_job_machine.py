"""A rule-based state machine of one future job: coaches attach, place and let go of
candidates, an account manager reduces, moves and withdraws, and its clock expires it, in
any order. The invariants are what the trajectories and the fallback rely on."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain import future_job as fj
from domain.shared import DomainError, is_working_day
from domain.trajectory import Commitment
from tests.unit.test_future_job import NOW, forecast

TIDS = st.sampled_from(["t0", "t1", "t2"])


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
        self.run_clock()

    def run_clock(self) -> None:
        """What the workflow does after every change: each deadline that fell due, in order."""
        while (due := fj.next_deadline(self.state)) is not None and due.at <= self.now:
            before = len(self.events)
            new = fj.decide(self.state, due.command(), self.now)
            assert len(new) == 1, f"a due {due.kind} is taken"
            self.events += new
            self.state = fj.fold(new, self.state)
            assert len(self.events) == before + 1

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

    # The chase's rules draw from who is there, or they would mostly be refused.
    @precondition(lambda self: self.state is not None and self.state.attached)
    @rule(data=st.data())
    def request_commitment(self, data: st.DataObject) -> None:
        assert self.state is not None
        tid = data.draw(st.sampled_from(self.state.attached))
        self.send(fj.RequestCommitment(actor="coach-1", trajectory_id=tid))

    @precondition(lambda self: self.state is not None and self.state.chases)
    @rule(data=st.data(), answer=st.sampled_from(list(fj.CommitmentAnswer)))
    def record_answer(self, data: st.DataObject, answer: fj.CommitmentAnswer) -> None:
        assert self.state is not None
        tid = data.draw(st.sampled_from(sorted(self.state.chases)))
        self.send(fj.RecordCommitment(actor="am-1", trajectory_id=tid, answer=answer))

    @rule(tid=TIDS, days=st.integers(0, 30))
    def move_chase(self, tid: str, days: int) -> None:
        to = fj.today(self.now) + timedelta(days=days)
        self.send(fj.MoveChase(actor="am-1", trajectory_id=tid, to=to, reason="later"))

    @rule(days=st.integers(1, 20))
    def days_pass(self, days: int) -> None:
        self.time_passes_by(timedelta(days=days))

    @precondition(lambda self: len(self.events) > 12)
    @rule()
    def withdraw(self) -> None:
        self.send(fj.WithdrawFutureJob(actor="am-1", reason="gaat niet door"))

    @rule(weeks=st.integers(1, 12))
    def time_passes(self, weeks: int) -> None:
        self.time_passes_by(timedelta(weeks=weeks))

    def time_passes_by(self, delta: timedelta) -> None:
        self.now += delta
        self.run_clock()

    def teardown(self) -> None:
        if self.state is not None:  # what the runs reached (--hypothesis-show-statistics)
            event(f"ended {self.state.status.value}")
            chased = [c for c in self.state.chases.values()]
            event(f"chases escalated: {sum(c.escalated for c in chased) > 0}")
            event(f"chases answered: {sum(c.answer is not None for c in chased) > 0}")
            event(
                f"commitments answered: {any(e.type == 'CommitmentAnswered' for e in self.events)}"
            )

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
    def chases_climb_on_working_days(self) -> None:
        s = self.state
        assert s is not None
        if s.status is not fj.FutureJobStatus.WITHDRAWN:  # a withdrawal lets go of everyone
            assert set(s.chases) <= set(s.attached), "only who learns towards it is chased"
        for chase in s.chases.values():
            days = [step.due_on for step in chase.pending]
            assert days == sorted(set(days)) and all(is_working_day(d) for d in days)
            assert all(step.kind is fj.ChaseStepKind.REMINDER for step in chase.pending[:-1])
            if chase.answer is not None or chase.escalated:
                assert chase.pending == ()
        due = fj.next_deadline(s)
        assert due is None or due.at > self.now, "every deadline due is taken at once"

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
