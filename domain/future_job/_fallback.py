"""The fallback: when a candidate loses the place they learn towards (fewer places, a
withdrawn job, a declined commitment), the other open future jobs with a free place,
ranked and explained. A proposal, never a decision: the coach decides (another employer,
learning on in a work-study job, or follow-on education) and that is recorded.

Ranking: first the employers of the same sector (the method's promise: nobody is left
without a place while another employer in the sector has one unclaimed), then the same
function, then more of the required skills in common, then the nearest date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..shared import NonEmpty, OpaqueId, Value
from ._events import AnyEvent, CommitmentAnswered, FutureJobWithdrawn, JobsReduced
from ._state import FutureJob
from ._values import CommitmentAnswer


class Opening(Value):
    """Another future job as the fallback sees it."""

    job: FutureJob
    sector: NonEmpty


class Proposal(Value):
    """One future job proposed for a candidate who lost their place, and why."""

    future_job_id: OpaqueId
    employer_id: OpaqueId
    function: NonEmpty
    expected_on: date
    free_places: int
    same_sector: bool
    same_function: bool
    matched_skills: tuple[NonEmpty, ...]
    missing_skills: tuple[NonEmpty, ...]
    """What the lost job asked that this one does not need, and this one needs that the lost
    job did not ask: the learning plan's new items."""


MAX_PROPOSALS = 5


def propose(lost: FutureJob, sector: str, openings: list[Opening]) -> tuple[Proposal, ...]:
    """The best `MAX_PROPOSALS` other open future jobs with a free place, best first."""
    wanted = {s.casefold() for s in lost.required_skills}
    found = []
    for opening in openings:
        job = opening.job
        if job.future_job_id == lost.future_job_id or job.closed or job.free_places < 1:
            continue
        skills = {s.casefold(): s for s in job.required_skills}
        found.append(
            Proposal(
                future_job_id=job.future_job_id,
                employer_id=job.employer_id,
                function=job.function,
                expected_on=job.expected_on,
                free_places=job.free_places,
                same_sector=opening.sector.casefold() == sector.casefold(),
                same_function=job.function.casefold() == lost.function.casefold(),
                matched_skills=tuple(sorted(v for k, v in skills.items() if k in wanted)),
                missing_skills=tuple(sorted(v for k, v in skills.items() if k not in wanted)),
            )
        )
    found.sort(
        key=lambda p: (
            not p.same_sector,
            not p.same_function,
            -len(p.matched_skills),
            abs((p.expected_on - lost.expected_on).days),
            p.future_job_id,
        )
    )
    return tuple(found[:MAX_PROPOSALS])


def losing_place(events: Iterable[AnyEvent]) -> tuple[str, ...]:
    """The candidates whose place `events` took away: after fewer places, the last to come
    (the coach may decide otherwise); after a withdrawal, all; after a declined
    commitment, that candidate."""
    lost: list[str] = []
    for event in events:
        if isinstance(event, JobsReduced) and event.without_place:
            lost += event.attached[-event.without_place :]
        elif isinstance(event, FutureJobWithdrawn):
            lost += event.attached
        elif isinstance(event, CommitmentAnswered) and event.answer is CommitmentAnswer.DECLINED:
            lost.append(event.trajectory_id)
    return tuple(dict.fromkeys(lost))
