"""The ranking: a score whose parts are shown, from features that each name what they read.

Every point a proposal gets comes from one `Feature` in `FEATURES`, and each feature names
the profile fields it reads (`reads`); the register entry (`register_entry`) is built from
the same tuple, so what the register says is what the ranking does. Nothing else is read:
not the sealed strengths and challenges, not anything the profiles do not carry.

Required skills count per missing skill (the learning distance), not as a share: a candidate
with a job's skill never drops when the job asks for that skill too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from ..shared import Value
from ._profiles import CandidateProfile, FunctionProfile
from ._vocabulary import SkillType, Vocabulary

RANKING_VERSION = 1
"""Bumped whenever a feature or a weight changes: every decision records the one it saw."""

REQUIRED_POINTS = 40
POINTS_PER_MISSING_SKILL = 10


@dataclass(frozen=True)
class Feature:
    """One part of the score."""

    name: str
    label_nl: str
    label_en: str
    max_points: float
    reads: tuple[str, ...]
    """The profile fields it reads, as `candidate.<field>` and `function.<field>`."""
    how_nl: str
    how_en: str
    points: Callable[[CandidateProfile, FunctionProfile], float]


def _missing(c: CandidateProfile, f: FunctionProfile) -> tuple[str, ...]:
    have = set(c.skills)
    return tuple(s for s in f.required_skills if s not in have)


def _optional(c: CandidateProfile, f: FunctionProfile) -> float:
    if not f.optional_skills:
        return 0.0
    have = set(c.skills)
    return 10 * sum(s in have for s in f.optional_skills) / len(f.optional_skills)


def _hours(c: CandidateProfile, f: FunctionProfile) -> float:
    return 15 * min(c.availability.hours_per_week, f.hours_per_week) / f.hours_per_week


def _days(c: CandidateProfile, f: FunctionProfile) -> float:
    if not f.days:
        return 5.0
    return 5 * len(set(f.days) & set(c.availability.days)) / len(f.days)


def region_fits(c: CandidateProfile, f: FunctionProfile) -> bool:
    return f.region is None or f.region in c.mobility.regions


def transport_fits(c: CandidateProfile, f: FunctionProfile) -> bool:
    m = c.mobility
    if f.needs_driving_licence and not m.driving_licence:
        return False
    # Without a car, a moped or a bike the way to work is by public transport.
    return m.own_transport or (m.public_transport and f.public_transport_reachable)


def interest_fits(c: CandidateProfile, f: FunctionProfile) -> bool:
    return f.sector is not None and f.sector in c.interests


FEATURES: tuple[Feature, ...] = (
    Feature(
        "required_skills", "vereiste vaardigheden", "required skills", REQUIRED_POINTS,
        ("candidate.skills", "function.required_skills"),
        f"{REQUIRED_POINTS} punten, {POINTS_PER_MISSING_SKILL} minder per ontbrekende vereiste "
        "vaardigheid (kan negatief worden)",
        f"{REQUIRED_POINTS} points, {POINTS_PER_MISSING_SKILL} fewer per missing required skill "
        "(may go below zero)",
        lambda c, f: REQUIRED_POINTS - POINTS_PER_MISSING_SKILL * len(_missing(c, f)),
    ),
    Feature(
        "optional_skills", "gewenste vaardigheden", "optional skills", 10,
        ("candidate.skills", "function.optional_skills"),
        "10 punten maal het aandeel gewenste vaardigheden dat de kandidaat heeft",
        "10 points times the share of optional skills the candidate has",
        _optional,
    ),
    Feature(
        "hours", "uren", "hours", 15,
        ("candidate.availability.hours_per_week", "function.hours_per_week"),
        "15 punten maal het deel van de uren van de functie dat de kandidaat beschikbaar is",
        "15 points times the part of the function's hours the candidate is available",
        _hours,
    ),
    Feature(
        "days", "dagen", "days", 5,
        ("candidate.availability.days", "function.days"),
        "5 punten maal het deel van de werkdagen van de functie dat de kandidaat kan",
        "5 points times the part of the function's working days the candidate can work",
        _days,
    ),
    Feature(
        "region", "regio", "region", 10,
        ("candidate.mobility.regions", "function.region"),
        "10 punten als de kandidaat de regio van de functie kan bereiken",
        "10 points when the candidate can reach the function's region",
        lambda c, f: 10.0 if region_fits(c, f) else 0.0,
    ),
    Feature(
        "transport", "vervoer", "transport", 5,
        ("candidate.mobility.driving_licence", "candidate.mobility.own_transport",
         "candidate.mobility.public_transport", "function.needs_driving_licence",
         "function.public_transport_reachable"),
        "5 punten als rijbewijs en vervoer passen bij wat de functie vraagt",
        "5 points when licence and transport fit what the function asks",
        lambda c, f: 5.0 if transport_fits(c, f) else 0.0,
    ),
    Feature(
        "interest", "interesse", "interest", 15,
        ("candidate.interests", "function.sector"),
        "15 punten als de sector van de functie bij de interesses van de kandidaat hoort",
        "15 points when the function's sector is among the candidate's interests",
        lambda c, f: 15.0 if interest_fits(c, f) else 0.0,
    ),
)  # fmt: skip
"""Every part of the score, in the order shown."""

MAX_SCORE = sum(f.max_points for f in FEATURES)

TIE_BREAK = ("candidate.candidate_ref", "function.profile_id")
"""What orders equal scores (ranking candidates, ranking functions): ids, never a score."""


class LearningKind(StrEnum):
    TRAINING = "training"  # opleiding: knowledge, learned at school or in a course
    PLACEMENT = "placement"  # leerwerkplek: a skill, learned on a rung of the ladder


class LearningItem(Value):
    """A missing skill, proposed as an item of the learning plan."""

    skill_uri: str
    label: str
    kind: LearningKind


class Part(Value):
    feature: str
    points: float
    max_points: float


class Proposal(Value):
    """One ranked pair and why it ranks where it does."""

    rank: int
    candidate_ref: str
    profile_id: str
    score: float
    parts: tuple[Part, ...]
    matched_skills: tuple[str, ...]
    missing_skills: tuple[str, ...]
    optional_matched: tuple[str, ...]
    fits: dict[str, bool]
    """hours, days, region, transport, interest: whether each preference fits fully."""
    learning_plan: tuple[LearningItem, ...]


def score_parts(c: CandidateProfile, f: FunctionProfile) -> tuple[Part, ...]:
    return tuple(
        Part(feature=x.name, points=round(x.points(c, f), 3), max_points=x.max_points)
        for x in FEATURES
    )


def learning_item(uri: str, vocabulary: Vocabulary | None) -> LearningItem:
    skill = vocabulary.get(uri) if vocabulary is not None else None
    if skill is None:
        return LearningItem(skill_uri=uri, label=uri, kind=LearningKind.TRAINING)
    kind = (
        LearningKind.TRAINING
        if skill.skill_type is SkillType.KNOWLEDGE
        else (LearningKind.PLACEMENT)
    )
    return LearningItem(skill_uri=uri, label=skill.label("nl"), kind=kind)


def explain(
    c: CandidateProfile, f: FunctionProfile, vocabulary: Vocabulary | None = None, rank: int = 0
) -> Proposal:
    """The proposal of `c` for `f` with its parts and explanation (`rank` set by the caller)."""
    parts = score_parts(c, f)
    have = set(c.skills)
    missing = _missing(c, f)
    return Proposal(
        rank=rank,
        candidate_ref=c.candidate_ref,
        profile_id=f.profile_id,
        score=round(sum(p.points for p in parts), 3),
        parts=parts,
        matched_skills=tuple(s for s in f.required_skills if s in have),
        missing_skills=missing,
        optional_matched=tuple(s for s in f.optional_skills if s in have),
        fits={
            "hours": c.availability.hours_per_week >= f.hours_per_week,
            "days": set(f.days) <= set(c.availability.days),
            "region": region_fits(c, f),
            "transport": transport_fits(c, f),
            "interest": interest_fits(c, f),
        },
        learning_plan=tuple(learning_item(s, vocabulary) for s in missing),
    )


def _ranked(proposals: Iterable[Proposal], tie: Callable[[Proposal], str]) -> list[Proposal]:
    ordered = sorted(proposals, key=lambda p: (-p.score, tie(p)))
    return [p.model_copy(update={"rank": n}) for n, p in enumerate(ordered, start=1)]


def rank_candidates(
    function: FunctionProfile,
    candidates: Iterable[CandidateProfile],
    vocabulary: Vocabulary | None = None,
) -> list[Proposal]:
    """The candidates for one function, best first; equal scores in reference order."""
    return _ranked(
        (explain(c, function, vocabulary) for c in candidates), lambda p: p.candidate_ref
    )


def rank_jobs(
    candidate: CandidateProfile,
    functions: Iterable[FunctionProfile],
    vocabulary: Vocabulary | None = None,
) -> list[Proposal]:
    """The functions for one candidate, best first; equal scores in profile-id order."""
    return _ranked((explain(candidate, f, vocabulary) for f in functions), lambda p: p.profile_id)
