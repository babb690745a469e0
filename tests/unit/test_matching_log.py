"""The decision log: a person decides, with a sealed reason; the rank is computed, not given;
overrides are counted. And the register entry follows the ranking's configuration."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain import matching
from domain.matching import (
    Availability,
    CandidateProfile,
    DecideMatch,
    Direction,
    FunctionProfile,
    RecordCandidateProfile,
    RecordFunctionProfile,
    Verdict,
    decide,
    fold,
)
from domain.shared import RuleViolation
from privacy.seal import seal_text
from tests.factories import TEST_CANDIDATE_KEY
from tests.unit.test_dispatch import concrete, members

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
SKILL = "urn:nieuwe-banen:skill:adl"


def setup() -> matching.Matching:
    job = FunctionProfile(profile_id="fp-zorg", function="helpende zorg", future_job_id="fj-1",
                          required_skills=(SKILL,), hours_per_week=24)  # fmt: skip
    good = CandidateProfile(candidate_ref="cand-good", skills=(SKILL,),
                            availability=Availability(hours_per_week=24))  # fmt: skip
    less = CandidateProfile(candidate_ref="cand-less", availability=Availability(hours_per_week=24))
    state = None
    for command in (RecordFunctionProfile(actor="coach-anna", profile=job),
                    RecordCandidateProfile(actor="coach-anna", profile=good),
                    RecordCandidateProfile(actor="coach-anna", profile=less)):  # fmt: skip
        state = fold(decide(state, command, NOW), state)
    assert state is not None
    return state


def choose(
    ref: str, verdict: Verdict = Verdict.CONFIRMED, actor: str = "coach-anna"
) -> DecideMatch:
    return DecideMatch(actor=actor, verdict=verdict, direction=Direction.CANDIDATES,
                       candidate_ref=ref, profile_id="fp-zorg",
                       reason=seal_text("past goed bij haar", TEST_CANDIDATE_KEY, ref))  # fmt: skip


def test_a_confirmed_match_records_who_why_the_rank_and_no_override_for_the_top() -> None:
    (event,) = decide(setup(), choose("cand-good"), NOW)
    assert isinstance(event, matching.MatchConfirmed)
    d = event.decision
    assert (event.actor, d.rank, d.top, d.overrode_top, d.future_job_id) == (
        "coach-anna",
        1,
        "cand-good",
        False,
        "fj-1",
    )
    assert d.reason.key_id == "cand-good" and "haar" not in d.reason.model_dump_json()
    assert (d.decided_by, d.decided_at) == ("coach-anna", NOW)


def test_choosing_another_than_the_top_is_an_override_and_is_counted() -> None:
    state = setup()
    state = fold(decide(state, choose("cand-less"), NOW), state)
    state = fold(decide(state, choose("cand-good", Verdict.REJECTED), NOW), state)
    assert [d.overrode_top for d in state.decisions] == [True, True]
    assert state.decisions[0].rank == 2
    stats = state.overrides()
    assert (stats.decisions, stats.confirmed, stats.rejected, stats.rate) == (2, 1, 1, 1.0)


@pytest.mark.parametrize("actor", ["system", "SYSTEM", "engine"])
def test_the_system_never_decides_a_match(actor: str) -> None:
    with pytest.raises(RuleViolation, match="a person decides"):
        decide(setup(), choose("cand-good", actor=actor), NOW)


def test_refusals_unknown_profiles_a_foreign_key_and_a_second_confirmation() -> None:
    state = setup()
    with pytest.raises(matching.UnknownProfile):
        decide(state, choose("cand-nobody"), NOW)
    foreign = choose("cand-good").model_copy(
        update={"reason": seal_text("x", TEST_CANDIDATE_KEY, "cand-less")}
    )
    with pytest.raises(RuleViolation, match="candidate's key"):
        decide(state, foreign, NOW)
    state = fold(decide(state, choose("cand-good"), NOW), state)
    with pytest.raises(RuleViolation, match="already confirmed"):
        decide(state, choose("cand-good"), NOW)
    # The same rejection twice would count twice in the override rate.
    state = fold(decide(state, choose("cand-less", Verdict.REJECTED), NOW), state)
    with pytest.raises(RuleViolation, match="already rejected"):
        decide(state, choose("cand-less", Verdict.REJECTED), NOW)


def test_the_dispatch_is_complete() -> None:
    assert members(matching.AnyCommand) == concrete(matching.Command)
    assert members(matching.AnyEvent) == concrete(matching.Event)


def test_the_register_names_every_feature_and_every_field_it_reads() -> None:
    # Fails when a feature is added to the ranking without the register saying so, or when a
    # profile field is added that the register accounts for neither as used nor as not used.
    entry = matching.register_entry(organisation="Gemeente Lelystad")
    assert [f.name for f in entry.features] == [f.name for f in matching.FEATURES]
    assert {p.feature for p in matching.explain(*_pair()).parts} == {f.name for f in entry.features}
    used = set(entry.source_data)
    not_used = {x.split(" (")[0] for x in entry.data_not_used}
    every = matching.profile_fields(CandidateProfile, "candidate") | matching.profile_fields(
        FunctionProfile, "function"
    )
    assert used | (not_used & every) == every and not used & not_used
    assert all(f in entry.explanation_given for f in (x.label_nl for x in matching.FEATURES))
    for attribute in matching.EXCLUDED_ATTRIBUTES:
        assert any(f"/ {attribute} (niet in de profielen" in x for x in entry.data_not_used)
    assert entry.legal_basis == matching.LEGAL_BASIS_TODO
    assert "candidate.strengths_and_challenges" in not_used


def test_the_register_carries_the_legal_basis_given_and_the_override_rate() -> None:
    stats = matching.Overrides(decisions=4, confirmed=3, rejected=1, overrode_top=1)
    entry = matching.register_entry(
        organisation="Gemeente Lelystad", legal_basis="Participatiewet art. 7", overrides=stats
    )
    assert (entry.legal_basis, entry.override_rate, entry.decisions) == (
        "Participatiewet art. 7",
        0.25,
        4,
    )


def _pair() -> tuple[CandidateProfile, FunctionProfile]:
    state = setup()
    return state.candidates["cand-good"], state.functions["fp-zorg"]


def test_a_removed_profile_leaves_the_ranking_and_its_decisions_stay() -> None:
    state = setup()
    state = fold(decide(state, choose("cand-less"), NOW), state)
    remove = matching.RemoveCandidateProfile(actor="coach-anna", candidate_ref="cand-less")
    state = fold(decide(state, remove, NOW), state)
    assert "cand-less" not in state.candidates and len(state.decisions) == 1
    ranked = matching.rank_candidates(state.functions["fp-zorg"], state.candidates.values())
    assert [p.candidate_ref for p in ranked] == ["cand-good"]
    with pytest.raises(matching.UnknownProfile):
        decide(state, choose("cand-less"), NOW)
    with pytest.raises(matching.UnknownProfile):
        decide(state, remove, NOW)
    drop = matching.RemoveFunctionProfile(actor="coach-anna", profile_id="fp-zorg")
    gone = fold(decide(state, drop, NOW), state)
    assert not gone.functions
