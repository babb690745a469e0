"""The ranking: explained, deterministic, and blind to what it must not use."""

from __future__ import annotations

import itertools
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from domain import matching
from domain.matching import (
    Availability,
    CandidateProfile,
    FunctionProfile,
    LearningKind,
    Mobility,
    Skill,
    SkillType,
    Vocabulary,
    Weekday,
    rank_candidates,
    rank_jobs,
)
from domain.shared import Sealed
from privacy.seal import seal_text
from tests import matching_fixtures as fx
from tests.factories import TEST_CANDIDATE_KEY

POOL = [f"urn:nieuwe-banen:skill:p{i}" for i in range(12)]
WEEK = list(Weekday)[:5]

skill_sets = st.lists(st.sampled_from(POOL), max_size=8, unique=True).map(tuple)


@st.composite
def candidate(draw: st.DrawFn, ref: str | None = None) -> CandidateProfile:
    return CandidateProfile(
        candidate_ref=ref or draw(st.from_regex(r"cand-[0-9]{3}", fullmatch=True)),
        skills=draw(skill_sets),
        interests=tuple(draw(st.lists(st.sampled_from(fx.SECTORS), max_size=3))),
        availability=Availability(
            hours_per_week=draw(st.integers(0, 40)),
            days=tuple(draw(st.lists(st.sampled_from(WEEK), max_size=5))),
        ),
        mobility=Mobility(
            regions=tuple(draw(st.lists(st.sampled_from(fx.REGIONS), max_size=3))),
            driving_licence=draw(st.booleans()),
            own_transport=draw(st.booleans()),
            public_transport=draw(st.booleans()),
        ),
    )


@st.composite
def function(draw: st.DrawFn, pid: str | None = None) -> FunctionProfile:
    required = draw(skill_sets)
    return FunctionProfile(
        profile_id=pid or draw(st.from_regex(r"fp-[0-9]{3}", fullmatch=True)),
        function="functie",
        sector=draw(st.none() | st.sampled_from(fx.SECTORS)),
        required_skills=required,
        optional_skills=tuple(s for s in draw(skill_sets) if s not in required),
        hours_per_week=draw(st.integers(1, 40)),
        days=tuple(draw(st.lists(st.sampled_from(WEEK), max_size=5))),
        region=draw(st.none() | st.sampled_from(fx.REGIONS)),
        needs_driving_licence=draw(st.booleans()),
        public_transport_reachable=draw(st.booleans()),
    )


def position(ranking: list[matching.Proposal], ref: str) -> int:
    return next(p.rank for p in ranking if p.candidate_ref == ref)


@given(function(), candidate(ref="cand-a"), st.data())
def test_all_required_skills_rank_above_missing_some_other_things_equal(
    job: FunctionProfile, a: CandidateProfile, data: st.DataObject
) -> None:
    full = a.model_copy(update={"skills": tuple(sorted({*a.skills, *job.required_skills}))})
    if not job.required_skills:
        return
    dropped = data.draw(st.sampled_from(job.required_skills))
    short = full.model_copy(
        update={"candidate_ref": "cand-b", "skills": tuple(s for s in full.skills if s != dropped)}
    )
    ranking = rank_candidates(job, [short, full])
    assert [p.candidate_ref for p in ranking] == ["cand-a", "cand-b"]
    assert ranking[0].score > ranking[1].score
    assert dropped in ranking[1].missing_skills and not ranking[0].missing_skills


@given(
    function(),
    st.lists(candidate(), min_size=1, max_size=8, unique_by=lambda c: c.candidate_ref),
    st.data(),
)
def test_adding_a_required_skill_a_candidate_has_never_lowers_their_rank(
    job: FunctionProfile, people: list[CandidateProfile], data: st.DataObject
) -> None:
    who = data.draw(st.sampled_from(people))
    # A skill the function did not name at all (moving an optional one to required would
    # take optional points away: another change than adding a requirement).
    extra = [s for s in who.skills if s not in job.skills]
    if not extra:
        return
    skill = data.draw(st.sampled_from(extra))
    harder = job.model_copy(
        update={"required_skills": tuple(sorted({*job.required_skills, skill}))}
    )
    before = position(rank_candidates(job, people), who.candidate_ref)
    after = position(rank_candidates(harder, people), who.candidate_ref)
    assert after <= before


@given(function(), st.lists(candidate(), max_size=10, unique_by=lambda c: c.candidate_ref),
       st.randoms())  # fmt: skip
def test_ranking_is_deterministic_and_ties_keep_reference_order(
    job: FunctionProfile, people: list[CandidateProfile], rnd: typing.Any
) -> None:
    shuffled = list(people)
    rnd.shuffle(shuffled)
    first, second = rank_candidates(job, people), rank_candidates(job, shuffled)
    assert first == second
    assert [p.rank for p in first] == list(range(1, len(people) + 1))
    for a, b in itertools.pairwise(first):
        assert (a.score, b.candidate_ref) >= (b.score, a.candidate_ref)


@given(function(), candidate())
def test_the_score_is_the_sum_of_its_shown_parts(job: FunctionProfile, c: CandidateProfile) -> None:
    (proposal,) = rank_candidates(job, [c])
    assert [p.feature for p in proposal.parts] == [f.name for f in matching.FEATURES]
    assert abs(proposal.score - sum(p.points for p in proposal.parts)) < 1e-6
    assert set(proposal.matched_skills) | set(proposal.missing_skills) == set(job.required_skills)
    assert [i.skill_uri for i in proposal.learning_plan] == list(proposal.missing_skills)


def test_the_best_match_known_by_construction() -> None:
    # Among the MRA-sized crowd, one candidate is built to fit a function in every way.
    jobs = fx.functions()
    target = jobs[7]
    perfect = CandidateProfile(
        candidate_ref="cand-perfect",
        skills=target.skills,
        interests=(target.sector or "zorg",),
        availability=Availability(hours_per_week=target.hours_per_week, days=tuple(WEEK)),
        mobility=Mobility(regions=(target.region or "lelystad",), driving_licence=True,
                          own_transport=True),
    )  # fmt: skip
    crowd = [*fx.candidates(), perfect]
    best = rank_candidates(target, crowd)[0]
    assert best.candidate_ref == "cand-perfect"
    assert best.score == matching.MAX_SCORE and not best.missing_skills
    assert all(best.fits.values())
    assert rank_jobs(perfect, jobs)[0].profile_id == target.profile_id


def test_missing_skills_become_learning_items_by_kind() -> None:
    vocab = Vocabulary.of([
        Skill(uri="urn:nieuwe-banen:skill:vca", skill_type=SkillType.KNOWLEDGE,
              labels={"nl": "VCA-veiligheid", "en": "VCA safety"}),
        Skill(uri="urn:nieuwe-banen:skill:heftruck", labels={"nl": "heftruck rijden"}),
    ])  # fmt: skip
    job = FunctionProfile(profile_id="fp-1", function="magazijn", hours_per_week=32,
                          required_skills=("urn:nieuwe-banen:skill:vca",
                                           "urn:nieuwe-banen:skill:heftruck"))  # fmt: skip
    c = CandidateProfile(candidate_ref="cand-1", availability=Availability(hours_per_week=32))
    (p,) = rank_candidates(job, [c], vocab)
    kinds = {i.label: i.kind for i in p.learning_plan}
    assert kinds == {"VCA-veiligheid": LearningKind.TRAINING,
                     "heftruck rijden": LearningKind.PLACEMENT}  # fmt: skip
    assert p.parts[0].points == matching.FEATURES[0].max_points - 20


FORBIDDEN = ("age", "birth", "geboorte", "leeftijd", "origin", "herkomst", "nationality",
             "nationaliteit", "gender", "geslacht", "sex", "health", "gezondheid", "family",
             "gezin", "children", "kinderen", "religion", "bsn", "name")  # fmt: skip


def _all_fields(model: type[BaseModel]) -> set[str]:
    found = set(model.model_fields)
    for info in model.model_fields.values():
        for arg in (info.annotation, *typing.get_args(info.annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and arg is not Sealed:
                found |= _all_fields(arg)
    return found


def test_the_profiles_do_not_carry_protected_attributes() -> None:
    for model in (CandidateProfile, FunctionProfile):
        fields = _all_fields(model)
        assert not {f for f in fields if any(word in f.lower() for word in FORBIDDEN)}, model
    assert set(matching.EXCLUDED_ATTRIBUTES) >= {"age", "origin", "nationality", "gender"}


@given(
    function(), st.lists(candidate(), min_size=1, max_size=6, unique_by=lambda c: c.candidate_ref)
)
def test_sealed_strengths_and_challenges_do_not_change_the_ranking(
    job: FunctionProfile, people: list[CandidateProfile]
) -> None:
    sealed = [
        c.model_copy(update={"strengths_and_challenges": seal_text(
            "sterk in contact; schulden en mantelzorg", TEST_CANDIDATE_KEY, c.candidate_ref)})
        for c in people
    ]  # fmt: skip
    plain = [p.model_dump(exclude={"rank"}) for p in rank_candidates(job, people)]
    with_text = [p.model_dump(exclude={"rank"}) for p in rank_candidates(job, sealed)]
    assert plain == with_text
    assert "strengths_and_challenges" not in {f.split(".")[-1] for f in matching.fields_read()}


def _transplant(base: BaseModel, donor: BaseModel, fields: list[str]) -> dict[str, typing.Any]:
    """`donor`'s values, with `fields` (dotted paths below the model) taken from `base`."""
    data, source = donor.model_dump(), base.model_dump()
    for path in fields:
        *parents, leaf = path.split(".")
        into, out_of = data, source
        for part in parents:
            into, out_of = into[part], out_of[part]
        into[leaf] = out_of[leaf]
    return data


@given(function(), function(), candidate(), candidate())
def test_each_feature_reads_only_the_fields_it_names(
    f1: FunctionProfile, f2: FunctionProfile, c1: CandidateProfile, c2: CandidateProfile
) -> None:
    # The register lists `reads`: a feature's points change with those fields, no others.
    for feature in matching.FEATURES:
        mine = {"candidate": [], "function": []}  # type: dict[str, list[str]]
        for path in feature.reads:
            side, _, rest = path.partition(".")
            mine[side].append(rest)
        c = CandidateProfile.model_validate(_transplant(c1, c2, mine["candidate"]))
        f = FunctionProfile.model_validate(_transplant(f1, f2, mine["function"]))
        assert feature.points(c, f) == feature.points(c1, f1), feature.name


@pytest.mark.parametrize("place", ["1234 AB", "Dorpsstraat 12", "", "lelystad!"])
def test_a_region_is_a_place_name_never_an_address(place: str) -> None:
    with pytest.raises(ValidationError):
        Mobility(regions=(place,))
    assert Mobility(regions=("Lelystad", "Noordoostpolder", "'s-Hertogenbosch")).regions == (
        "'s-hertogenbosch", "lelystad", "noordoostpolder"
    )  # fmt: skip
