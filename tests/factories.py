"""Valid commands with sensible defaults, for tests of every layer.

The candidate is fictional; its name and BSN are distinctive so that a test can grep logs and
dumps for them. Their personal data is sealed with a fixed test key, as a client would seal
it with the key from the key store.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from domain import trajectory
from domain.shared import COACH_TIME_ZONE, PersonalData, Sealed
from nbm import programmes
from privacy.seal import seal_personal, seal_text

CANDIDATE_NAME = "Fenna Zwanenburg-Oosterhout"
CANDIDATE_BSN = "111222333"  # passes the eleven-test; fictional
CANDIDATE_REF = "cand-0001"
TEST_CANDIDATE_KEY = bytes(range(32))
"""The key the factories seal with; tests open with it (never a key of the key store)."""
COACH = "coach-anna"
EMPLOYER = "employer-zorgcentrum"


def coach_today() -> date:
    """Today where the coaches are: the CLI reads a date typed without a time in their time
    zone, so a test that computes dates from the UTC date fails between 23:00 and midnight."""
    return datetime.now(COACH_TIME_ZONE).date()


def new_id() -> str:
    return f"traj-{uuid.uuid4().hex[:12]}"


def start(
    now: datetime,
    *,
    trajectory_id: str | None = None,
    programme: str = "standard",
    route: trajectory.Route | None = None,
    months_ahead: int = 12,
    **job: Any,
) -> trajectory.StartTrajectory:
    expected: date = (now + timedelta(days=30 * months_ahead)).date()
    future_job = trajectory.FutureJob(
        employer_id=job.pop("employer_id", EMPLOYER),
        function=job.pop("function", "Helpende zorg en welzijn"),
        expected_date=job.pop("expected_date", expected),
        number_of_jobs=job.pop("number_of_jobs", 2),
        required_skills=job.pop("required_skills", ("ADL care", "communication")),
        future_job_id=job.pop("future_job_id", None),
    )
    chosen = programmes.programme(programme)
    return trajectory.StartTrajectory(
        actor=COACH,
        trajectory_id=trajectory_id or new_id(),
        route=route or chosen.route or trajectory.Route.SMALL_SCALE_GROWTH,
        programme=chosen,
        coach_id=COACH,
        future_job=future_job,
    )


def map_possibilities(guarantee_possible: bool = True) -> trajectory.MapPossibilities:
    return trajectory.MapPossibilities(
        actor=COACH,
        profile_skills=("ADL care", "reliability"),
        preconditions=trajectory.Preconditions(
            employer_role="workplace and daily coordinator",
            werkbedrijf_role="work coach and budget",
            guarantee_possible=guarantee_possible,
            learning_location="at the employer",
            training_institute="ROC Flevoland",
        ),
    )


def establish_agreement(
    weeks: int = 52, commitment: trajectory.Commitment = trajectory.Commitment.INTENTION_TO_HIRE
) -> trajectory.EstablishAgreement:
    return trajectory.EstablishAgreement(
        actor=COACH,
        commitment=commitment,
        duration_weeks=weeks,
        placements=(
            trajectory.PlannedPlacement(
                name="introduction", weeks=min(4, weeks), hours_per_week=16
            ),
            *(
                [
                    trajectory.PlannedPlacement(
                        name="ADL internship", weeks=min(8, weeks - 4), hours_per_week=16
                    )
                ]
                if weeks > 4
                else []
            ),
        ),
        training=(trajectory.Training(institute="ROC Flevoland", course="mbo 2 Helpende Z&W"),),
        budget_eur=5000,
        signed_by=tuple(trajectory.Signatory),
    )


def personal_data(**overrides: Any) -> PersonalData:
    fields: dict[str, Any] = {"name": CANDIDATE_NAME, "bsn": CANDIDATE_BSN}
    fields.update(overrides)
    return PersonalData(**fields)


def sealed_personal(
    key: bytes = TEST_CANDIDATE_KEY, candidate_ref: str = CANDIDATE_REF, **overrides: Any
) -> Sealed:
    return seal_personal(personal_data(**overrides), key, candidate_ref)


def sealed_text(
    text: str, key: bytes = TEST_CANDIDATE_KEY, candidate_ref: str = CANDIDATE_REF
) -> Sealed:
    return seal_text(text, key, candidate_ref)


def match(**overrides: Any) -> trajectory.MatchCandidate:
    ref = overrides.get("candidate_ref", CANDIDATE_REF)
    fields: dict[str, Any] = {
        "actor": COACH,
        "candidate_ref": ref,
        "personal": sealed_personal(candidate_ref=ref),
        "skills": ("care",),
        "motivation_screen_passed": True,
        "language_level": "A2",
        "information_meeting_attended": True,
        "practical_matters": practical_matters(
            trajectory.Barrier.CHILDCARE, trajectory.Barrier.MOBILITY
        ),
    }
    fields.update(overrides)
    return trajectory.MatchCandidate(**fields)


def practical_matters(*to_solve: trajectory.Barrier) -> tuple[trajectory.PracticalMatter, ...]:
    """The conversation on practical matters: `to_solve`, and no problem with the others."""
    return tuple(
        trajectory.PracticalMatter(
            barrier=b,
            status=trajectory.PracticalStatus.TO_SOLVE
            if b in to_solve
            else trajectory.PracticalStatus.NO_PROBLEM,
        )
        for b in trajectory.Barrier
    )


def start_learning() -> trajectory.StartLearning:
    return trajectory.StartLearning(actor=COACH)


def regular_job(hours: int | None = 32, **overrides: Any) -> trajectory.RecordRegularJob:
    fields: dict[str, Any] = {
        "actor": COACH,
        "employer_id": EMPLOYER,
        "contract_hours_per_week": hours,
        "start_date": date(2027, 1, 1),
        "wage_cost_subsidy_pct": None,
        "benefit_ended": True,
    }
    if "benefit_end" in overrides:  # the four-valued answer alone: the yes/no follows it
        del fields["benefit_ended"]
    fields.update(overrides)
    return trajectory.RecordRegularJob(**fields)


def ready_to_learn(now: datetime, **kw: Any) -> list[trajectory.AnyCommand]:
    """The commands of steps 1 to 4, in order."""
    return [start(now, **kw), map_possibilities(), establish_agreement(), match()]
