"""A rule-based state machine of one trajectory: random commands, a clock, and the timers.

Each rule sends a command to `decide` the way the workflow does; an accepted command's events
are appended to the history and evolved into the state. The invariants are what the workflow,
the event store and the audit tool rely on, whatever order coaches and timers act in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from domain import trajectory
from domain.shared import COACH_TIME_ZONE, DomainError
from tests import factories as f
from tests.unit import strategies as s
from tests.unit.story import T0, TID

STEP_ORDER = list(trajectory.Step)


AFTERCARE = trajectory.AFTERCARE_REASONS


class TrajectoryMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now: datetime = T0
        self.state: trajectory.Trajectory | None = None
        self.events: list[trajectory.AnyEvent] = []
        # Each accepted event with the actor of its command and the time it was decided.
        self.stamps: list[tuple[str, datetime]] = []

    # --- sending a command ----------------------------------------------------------------

    def send(self, command: trajectory.AnyCommand) -> list[trajectory.AnyEvent] | None:
        """The events `command` is accepted with, or None when it is refused."""
        before = self.state
        # Frozen models cannot be changed in place, but a refusal must not change it either.
        snapshot = before.model_dump() if before is not None else None
        if before is not None and before.closed:
            # A closed trajectory takes nothing; a new start of its id is a duplicate.
            refusal = (
                trajectory.TrajectoryAlreadyStarted
                if isinstance(command, trajectory.StartTrajectory)
                else trajectory.TrajectoryClosedError
            )
            with pytest.raises(refusal) as caught:
                trajectory.decide(before, command, self.now)
            self.check_refusal(caught.value, before, snapshot)
            return None
        try:
            new = trajectory.decide(before, command, self.now)
        except DomainError as error:
            self.check_refusal(error, before, snapshot)
            return None
        self.accept(command, new)
        return new

    def check_refusal(
        self, error: DomainError, before: trajectory.Trajectory | None, snapshot: object
    ) -> None:
        assert self.state is before
        assert (before.model_dump() if before is not None else None) == snapshot
        assert error.message
        assert error.code in trajectory.ERROR_TYPES
        assert f.CANDIDATE_NAME not in str(error)
        assert f.CANDIDATE_BSN not in str(error)
        if not isinstance(error, trajectory.TrajectoryNotStarted):
            assert error.stream_id == TID

    def accept(self, command: trajectory.AnyCommand, new: list[trajectory.AnyEvent]) -> None:
        assert new, f"{command.kind} was accepted without an event"
        first = len(self.events) + 1
        assert [e.version for e in new] == list(range(first, first + len(new)))
        for event in new:
            assert event.trajectory_id == TID
            assert event.actor == command.actor
            assert event.occurred_at == self.now
        closing = [i for i, e in enumerate(new) if isinstance(e, trajectory.TrajectoryClosed)]
        assert closing in ([], [len(new) - 1]), "a closure must be the last event"
        before = self.state
        self.events.extend(new)
        self.stamps.extend((command.actor, self.now) for _ in new)
        self.state = trajectory.fold(new, before)
        self.check_step_moves_on(before, command)
        self.check_escalations(command, new)

    def check_step_moves_on(
        self, before: trajectory.Trajectory | None, command: trajectory.AnyCommand
    ) -> None:
        if before is None:
            return
        assert self.state is not None
        old, new = STEP_ORDER.index(before.step), STEP_ORDER.index(self.state.step)
        # The one way back: learning on after the learning period ended.
        stepped_back = (before.step, self.state.step) == (
            trajectory.Step.OUTCOME,
            trajectory.Step.LEARNING_IN,
        )
        assert new >= old or (stepped_back and isinstance(command, trajectory.ExtendLearning))

    def check_escalations(
        self, command: trajectory.AnyCommand, new: list[trajectory.AnyEvent]
    ) -> None:
        reasons = [e.reason for e in new if isinstance(e, trajectory.EscalationRaised)]
        if isinstance(command, trajectory.RecordCalamity):
            assert reasons == [trajectory.EscalationReason.CALAMITY]
        if isinstance(command, trajectory.RecordRegularJob):
            # Only while the benefit continues; not when it ends, nor when there was none.
            expected = command.benefit_ended is False
            assert reasons == ([trajectory.EscalationReason.SMALL_CONTRACT] if expected else [])

    # --- rules ----------------------------------------------------------------------------

    # Without a head start most runs would spend their steps before learning begins, so
    # most runs start learning at once; the others start from an earlier step (or nothing).
    @initialize(prefix=st.sampled_from([5, 5, 5, 0, 1, 2, 3, 4]), weeks=st.integers(1, 30))
    def happy_prefix(self, prefix: int, weeks: int) -> None:
        for command in s.happy_path(self.now, TID, weeks)[:prefix]:
            assert self.send(command) is not None, command.kind

    @rule(pause=s.time_steps)
    def time_passes(self, pause: timedelta) -> None:
        self.now += pause

    @rule(data=st.data())
    def start(self, data: st.DataObject) -> None:
        self.send(data.draw(s.start_trajectory(self.now, TID)))

    @rule(command=s.map_possibilities)
    def map_possibilities(self, command: trajectory.MapPossibilities) -> None:
        self.send(command)

    @rule(command=s.establish_agreement)
    def establish_agreement(self, command: trajectory.EstablishAgreement) -> None:
        self.send(command)

    @rule(command=s.match_candidate)
    def match_candidate(self, command: trajectory.MatchCandidate) -> None:
        self.send(command)

    @rule(command=s.start_learning)
    def start_learning(self, command: trajectory.StartLearning) -> None:
        self.send(command)

    @rule(command=s.start_placement)
    def start_placement(self, command: trajectory.StartPlacement) -> None:
        self.send(command)

    @rule(command=s.record_evaluation)
    def record_evaluation(self, command: trajectory.RecordEvaluation) -> None:
        self.send(command)

    @rule(command=s.record_calamity)
    def record_calamity(self, command: trajectory.RecordCalamity) -> None:
        self.send(command)

    @rule(command=s.resolve_calamity, data=st.data())
    def resolve_calamity(self, command: trajectory.ResolveCalamity, data: st.DataObject) -> None:
        # A random number rarely names an open calamity; half the time, take one that does.
        open_ones = [c.number for c in self.state.open_calamities] if self.state else []
        if len(open_ones) > 0 and data.draw(st.booleans(), label="an open one"):
            number = data.draw(st.sampled_from(open_ones), label="number")
            command = command.model_copy(update={"number": number})
        self.send(command)

    @rule(command=s.resolve_barrier, data=st.data())
    def resolve_barrier(self, command: trajectory.ResolveBarrier, data: st.DataObject) -> None:
        open_ones = list(self.state.open_barriers) if self.state else []
        if len(open_ones) > 0 and data.draw(st.booleans(), label="an open one"):
            barrier = data.draw(st.sampled_from(open_ones), label="barrier")
            command = command.model_copy(update={"barrier": barrier})
        self.send(command)

    @rule(command=s.extend_learning)
    def extend_learning(self, command: trajectory.ExtendLearning) -> None:
        self.send(command)

    @rule(command=s.propose_other_employer)
    def propose_other_employer(self, command: trajectory.ProposeOtherEmployer) -> None:
        self.send(command)

    @rule(command=s.record_regular_job)
    def record_regular_job(self, command: trajectory.RecordRegularJob) -> None:
        self.send(command)

    @rule(command=st.one_of(s.record_regular_job_with_lks, s.record_checkpoint))
    def aftercare(self, command: trajectory.CoachCommand) -> None:
        was = self.state
        new = self.send(command)
        if new is not None and isinstance(command, trajectory.RecordCheckpoint):
            assert was is not None
            [point] = [p for p in was.checkpoints if p.month == command.month]
            assert point.due and point.recorded_at is None, "recorded before it was due"

    @rule(data=st.data())
    def a_job_with_a_subsidy_in_order(self, data: st.DataObject) -> None:
        # Dates drawn around today and in order, so that the subsidy is often accepted.
        today = self.now.astimezone(COACH_TIME_ZONE).date()
        assessed = today - timedelta(days=data.draw(st.integers(0, 60)))
        assessment = trajectory.WageValueAssessment(
            wage_value_pct=data.draw(st.integers(1, 99)), assessed_by="assessor-1",
            assessed_on=assessed,
        )  # fmt: skip
        self.send(
            f.regular_job(
                data.draw(st.integers(1, 40)),
                start_date=today,
                benefit_end=data.draw(st.sampled_from(trajectory.BenefitEnd)),
                wage_value=assessment,
                subsidy_decided_on=assessed + timedelta(days=data.draw(st.integers(0, 5))),
                reassess_on=today + timedelta(days=data.draw(st.integers(1, 400))),
            )
        )

    @precondition(lambda self: self.state is not None and not self.state.closed and any(
        p.due and p.recorded_at is None for p in self.state.checkpoints
    ))  # fmt: skip
    @rule(data=st.data())
    def the_coach_answers_a_due_checkpoint(self, data: st.DataObject) -> None:
        assert self.state is not None
        due = [p for p in self.state.checkpoints if p.due and p.recorded_at is None]
        point = data.draw(st.sampled_from(due))
        employed = data.draw(st.booleans())
        command = trajectory.RecordCheckpoint(
            actor=f.COACH, month=point.month, still_employed=employed,
            hours_per_week=data.draw(st.integers(1, 40)) if employed else None,
            benefit_end=data.draw(st.sampled_from(trajectory.BenefitEnd)),
        )  # fmt: skip
        last = point is self.state.checkpoints[-1]
        new = self.send(command)
        assert new is not None, "a due checkpoint's well-formed answer is accepted"
        assert isinstance(new[-1], trajectory.TrajectoryClosed) is last

    @precondition(lambda self: self.state is not None and not self.state.closed
                  and self.state.wage_cost_subsidy is not None
                  and self.state.wage_cost_subsidy.reassess_on is not None)  # fmt: skip
    @rule(data=st.data())
    def the_wage_value_is_assessed_again(self, data: st.DataObject) -> None:
        assert self.state is not None and self.state.wage_cost_subsidy is not None
        last = self.state.wage_cost_subsidy.assessment.assessed_on
        today = self.now.astimezone(COACH_TIME_ZONE).date()
        if today < last:
            return
        on = last + timedelta(days=data.draw(st.integers(0, (today - last).days)))
        again = trajectory.WageValueAssessment(
            wage_value_pct=data.draw(st.integers(1, 100)), assessed_by="assessor-2",
            assessed_on=on,
        )  # fmt: skip
        full = again.wage_value_pct == 100
        nxt = None if full else today + timedelta(days=data.draw(st.integers(1, 400)))
        new = self.send(
            trajectory.RecordWageValueReassessment(
                actor=f.COACH, wage_value=again, next_reassess_on=nxt
            )
        )
        assert new is not None, "a re-assessment in order is accepted"

    @rule(command=s.record_wage_value_reassessment)
    def reassess_wage_value(self, command: trajectory.RecordWageValueReassessment) -> None:
        self.send(command)

    @rule(command=s.record_follow_up)
    def record_follow_up(self, command: trajectory.RecordFollowUp) -> None:
        self.send(command)

    @rule(command=s.amend_agreement)
    def amend_agreement(self, command: trajectory.AmendAgreement) -> None:
        self.send(command)

    @rule(
        command=s.coach_commands,
        back=st.integers(-3, 24 * 14).map(lambda h: timedelta(hours=h)),
    )
    def a_command_dated_earlier(self, command: trajectory.CoachCommand, back: timedelta) -> None:
        # Recorded now, dated up to two weeks back (or, a few times, hours ahead: refused).
        dated = command.model_copy(update={"effective_at": self.now - back})
        accepted = self.send(dated)  # type: ignore[arg-type]
        if accepted is not None:
            assert back >= timedelta(0)
            assert all(e.effective_at == self.now - back for e in accepted)

    # One rule for both early ends: as two, they would close most runs before step 6.
    @rule(command=st.one_of(s.end_trajectory, s.record_follow_on_education))
    def it_ends_early(
        self, command: trajectory.EndTrajectory | trajectory.RecordFollowOnEducation
    ) -> None:
        self.send(command)

    @precondition(lambda self: bool(trajectory.deadlines(self.state)))
    @rule(data=st.data())
    def a_timer_fires(self, data: st.DataObject) -> None:
        pending = data.draw(st.sampled_from(trajectory.deadlines(self.state)), label="deadline")
        # Usually the clock has reached it (the timer fired, perhaps late); sometimes a
        # stale timer fires early and must be refused.
        if data.draw(st.booleans(), label="on time"):
            self.now = max(self.now, pending.at)
        command = trajectory.ReachDeadline(
            actor=trajectory.SYSTEM_ACTOR, deadline=pending.kind, due_at=pending.at
        )
        accepted = self.send(command)
        assert (accepted is not None) == (pending.at <= self.now)

    @precondition(lambda self: trajectory.next_deadline(self.state) is not None)
    @rule()
    def the_clock_runs_to_the_next_timer(self) -> None:
        # The workflow's own loop: sleep until the earliest deadline, then report it.
        pending = trajectory.next_deadline(self.state)
        assert pending is not None
        self.now = max(self.now, pending.at)
        command = trajectory.ReachDeadline(
            actor=trajectory.SYSTEM_ACTOR, deadline=pending.kind, due_at=pending.at
        )
        assert self.send(command) is not None

    @rule(
        kind=st.sampled_from(trajectory.DeadlineKind),
        offset=st.integers(-2000, 2000).map(lambda h: timedelta(hours=h)),
    )
    def a_stray_timer_fires(self, kind: trajectory.DeadlineKind, offset: timedelta) -> None:
        due_at = self.now + offset
        accepted = self.send(
            trajectory.ReachDeadline(actor=trajectory.SYSTEM_ACTOR, deadline=kind, due_at=due_at)
        )
        assert accepted is None or trajectory.Deadline(
            kind=kind, at=due_at
        ) in trajectory.deadlines(trajectory.fold(self.events[: -len(accepted)]))

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def state_is_the_fold_of_the_events(self) -> None:
        assert trajectory.fold(self.events) == self.state

    @invariant()
    def versions_have_no_gaps(self) -> None:
        assert [e.version for e in self.events] == list(range(1, len(self.events) + 1))

    @invariant()
    def every_event_carries_its_commands_actor_and_time(self) -> None:
        assert [(e.actor, e.occurred_at) for e in self.events] == self.stamps

    @invariant()
    def no_event_takes_effect_after_it_was_recorded_and_commands_stay_in_order(self) -> None:
        assert all(e.at <= e.occurred_at for e in self.events)
        coach = [e.at for e in self.events if e.actor != trajectory.SYSTEM_ACTOR]
        assert coach == sorted(coach)
        if self.events:
            assert all(e.at >= self.events[0].at for e in self.events)

    @invariant()
    def deadlines_are_sorted_and_end_with_the_trajectory(self) -> None:
        pending = trajectory.deadlines(self.state)
        assert [x.at for x in pending] == sorted(x.at for x in pending)
        assert len({x.kind for x in pending}) == len(pending)
        if self.state is not None and self.state.closed:
            assert pending == []
            assert self.state.step is trajectory.Step.CLOSED

    @invariant()
    def aftercare_escalations_end_with_what_they_ask_for(self) -> None:
        state = self.state
        if state is None:
            return
        for p in state.checkpoints:
            assert p.due or p.recorded_at is None  # nothing recorded before it fell due
            if p.recorded_at is not None or state.closed:
                assert all(state.escalations[n - 1].resolved_at for n in p.escalations)
        if state.closed:  # no task of the aftercare is left open at the end
            assert not [e for e in state.open_escalations if e.reason in AFTERCARE]
        lks = state.wage_cost_subsidy
        if lks is not None:
            assert lks.reassess_on is None or lks.reassess_on > lks.assessment.assessed_on

    @invariant()
    def nothing_follows_a_closure(self) -> None:
        closures = [
            i for i, e in enumerate(self.events) if isinstance(e, trajectory.TrajectoryClosed)
        ]
        assert closures in ([], [len(self.events) - 1])


TrajectoryMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=40, deadline=None
)
test_trajectory_machine = TrajectoryMachine.TestCase
