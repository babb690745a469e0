"""Chaining: a trajectory continues in another programme (Werkfit into an NBM programme).

It stays one trajectory, one stream: the auditor replays one candidate path across both
programmes; the new programme's route, clock, ladder and future job apply from the handover.
"""

from __future__ import annotations

from datetime import datetime

from ..shared import N_, Phrase, RuleViolation, WrongStep
from ._commands import HandOver
from ._emit import Emit, no_job_yet, sealed_for_trajectory
from ._events import HandedOver
from ._setup import future_job_ahead, programme_fits
from ._state import Trajectory


def hand_over(s: Trajectory, c: HandOver, now: datetime, emit: Emit) -> None:
    allowed = s.programme.hands_over_to
    if c.programme.programme_id not in allowed:
        into = (
            Phrase(N_("only into {programmes}"), programmes=", ".join(allowed))
            if allowed
            else Phrase(N_("into no other programme"))
        )
        raise RuleViolation(
            N_("programme {programme_id} hands over {into}, not into {target}"),
            programme_id=s.programme.programme_id,
            into=into,
            target=c.programme.programme_id,
        )
    if s.candidate is None:
        raise WrongStep(
            N_("a handover takes the candidate along: match a candidate first (step 4)")
        )
    no_job_yet(s, N_("a handover into another programme"))
    if s.open_calamities:
        raise WrongStep(N_("resolve the open calamities before the handover"))
    future_job_ahead(c.future_job, now)
    programme_fits(c.programme, c.route, None)
    sealed_for_trajectory(s, c.reason)
    emit(
        HandedOver,
        from_programme_id=s.programme.programme_id,
        from_future_job_id=s.future_job.future_job_id,
        programme=c.programme,
        route=c.route,
        future_job=c.future_job,
        reason=c.reason,
    )
