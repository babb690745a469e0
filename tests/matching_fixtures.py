"""Profiles for matching tests and the bench: the MRA pilot's size (14 personal profiles,
29 function profiles), generated from a seed so that every run sees the same ones."""

from __future__ import annotations

import random

from domain.matching import Availability, CandidateProfile, FunctionProfile, Mobility, Weekday

MRA_CANDIDATES = 14
MRA_FUNCTIONS = 29
REGIONS = ("lelystad", "almere", "dronten", "zeewolde")
SECTORS = ("zorg", "logistiek", "techniek", "schoonmaak", "horeca", "detailhandel", "kantoor")


def skill_pool(n: int = 60) -> list[str]:
    return [f"urn:nieuwe-banen:skill:test-{i:03d}" for i in range(n)]


def candidates(n: int = MRA_CANDIDATES, *, seed: int = 14, pool: list[str] | None = None
               ) -> list[CandidateProfile]:  # fmt: skip
    rng, skills = random.Random(seed), pool or skill_pool()
    return [
        CandidateProfile(
            candidate_ref=f"cand-{i:04d}",
            skills=tuple(rng.sample(skills, rng.randint(3, 12))),
            interests=tuple(rng.sample(SECTORS, rng.randint(1, 3))),
            availability=Availability(
                hours_per_week=rng.choice((12, 16, 24, 32, 36)),
                days=tuple(rng.sample(list(Weekday)[:5], rng.randint(2, 5))),
            ),
            mobility=Mobility(
                regions=tuple(rng.sample(REGIONS, rng.randint(1, 3))),
                driving_licence=rng.random() < 0.4,
                own_transport=rng.random() < 0.5,
            ),
        )
        for i in range(n)
    ]


def functions(n: int = MRA_FUNCTIONS, *, seed: int = 29, pool: list[str] | None = None
              ) -> list[FunctionProfile]:  # fmt: skip
    rng, skills = random.Random(seed), pool or skill_pool()
    found = []
    for i in range(n):
        chosen = rng.sample(skills, rng.randint(3, 9))
        split = rng.randint(2, len(chosen))
        found.append(
            FunctionProfile(
                profile_id=f"fp-{i:03d}",
                function=f"functie {i}",
                sector=rng.choice(SECTORS),
                required_skills=tuple(chosen[:split]),
                optional_skills=tuple(chosen[split:]),
                hours_per_week=rng.choice((16, 24, 32, 36)),
                days=tuple(rng.sample(list(Weekday)[:5], rng.randint(2, 5))),
                region=rng.choice(REGIONS),
                needs_driving_licence=rng.random() < 0.2,
                public_transport_reachable=rng.random() < 0.8,
            )
        )
    return found
