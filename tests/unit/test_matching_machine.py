"""The matching's log under any sequence of commands: the state is the fold of the events,
every decision's rank is where the ranking put that pair at that moment, the override count
is what the decisions say, and a pair is confirmed at most once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain import matching
from domain.matching import (
    Availability,
    CandidateProfile,
    DecideMatch,
    Direction,
    FunctionProfile,
    Verdict,
)
from domain.shared import DomainError
from privacy.seal import seal_text
from tests.factories import TEST_CANDIDATE_KEY

SKILLS = [f"urn:nieuwe-banen:skill:m{i}" for i in range(6)]
REFS = [f"cand-{i:012x}" for i in range(4)]
PROFILES = [f"fp-{i}" for i in range(3)]


class MatchingLog(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.events: list[matching.AnyEvent] = []
        self.state: matching.Matching | None = None
        self.now = datetime(2026, 3, 2, 9, tzinfo=UTC)

    def _apply(self, command: matching.AnyCommand) -> None:
        self.now += timedelta(minutes=5)
        try:
            events = matching.decide(self.state, command, self.now)
        except DomainError:
            return
        for event in events:
            if isinstance(event, matching.MatchConfirmed | matching.MatchRejected):
                self._check_rank(event.decision)
            self.state = matching.evolve(self.state, event)
        self.events += events

    def _check_rank(self, d: matching.MatchDecision) -> None:
        assert self.state is not None
        if d.direction is Direction.CANDIDATES:
            ranking = matching.rank_candidates(
                self.state.functions[d.profile_id], self.state.candidates.values()
            )
            chosen = next(p for p in ranking if p.candidate_ref == d.candidate_ref)
        else:
            ranking = matching.rank_jobs(
                self.state.candidates[d.candidate_ref], self.state.functions.values()
            )
            chosen = next(p for p in ranking if p.profile_id == d.profile_id)
        assert (d.rank, d.proposals, d.score) == (chosen.rank, len(ranking), chosen.score)

    @rule(ref=st.sampled_from(REFS), skills=st.sets(st.sampled_from(SKILLS)),
          hours=st.integers(0, 40))  # fmt: skip
    def candidate(self, ref: str, skills: set[str], hours: int) -> None:
        profile = CandidateProfile(candidate_ref=ref, skills=tuple(skills),
                                   availability=Availability(hours_per_week=hours))  # fmt: skip
        self._apply(matching.RecordCandidateProfile(actor="coach-anna", profile=profile))

    @rule(pid=st.sampled_from(PROFILES), skills=st.sets(st.sampled_from(SKILLS), max_size=4),
          hours=st.integers(1, 40))  # fmt: skip
    def function(self, pid: str, skills: set[str], hours: int) -> None:
        profile = FunctionProfile(profile_id=pid, function="functie", hours_per_week=hours,
                                  required_skills=tuple(skills))  # fmt: skip
        self._apply(matching.RecordFunctionProfile(actor="coach-anna", profile=profile))

    @rule(ref=st.sampled_from(REFS), pid=st.sampled_from(PROFILES),
          verdict=st.sampled_from(Verdict), direction=st.sampled_from(Direction),
          actor=st.sampled_from(["coach-anna", "coach-bram", "system"]))  # fmt: skip
    def decide(
        self, ref: str, pid: str, verdict: Verdict, direction: Direction, actor: str
    ) -> None:
        self._apply(DecideMatch(actor=actor, verdict=verdict, direction=direction,
                                candidate_ref=ref, profile_id=pid,
                                reason=seal_text("reden", TEST_CANDIDATE_KEY, ref)))  # fmt: skip

    @rule(ref=st.sampled_from(REFS), pid=st.sampled_from(PROFILES), which=st.booleans())
    def remove(self, ref: str, pid: str, which: bool) -> None:
        if which:
            self._apply(matching.RemoveCandidateProfile(actor="coach-anna", candidate_ref=ref))
        else:
            self._apply(matching.RemoveFunctionProfile(actor="coach-anna", profile_id=pid))

    @invariant()
    def the_state_is_the_fold_of_the_events(self) -> None:
        assert matching.fold(self.events) == (self.state or matching.Matching())

    @invariant()
    def overrides_and_confirmations_add_up(self) -> None:
        state = self.state or matching.Matching()
        stats = state.overrides()
        assert stats.overrode_top == sum(d.overrode_top for d in state.decisions)
        assert stats.confirmed + stats.rejected == stats.decisions
        pairs = [(d.candidate_ref, d.profile_id) for d in state.confirmed()]
        assert len(pairs) == len(set(pairs))
        assert all(d.decided_by != "system" for d in state.decisions)


TestMatchingLog = MatchingLog.TestCase
