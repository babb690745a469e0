"""The programmes a trajectory can follow, and the clock each one runs on."""

from __future__ import annotations

from datetime import timedelta

from ._values import Programme

CHECKPOINT_MONTHS = (1, 3, 6, 12)
"""The follow-up checkpoints after a regular job's start (lasting placement, issue 11)."""

PROGRAMMES: dict[str, Programme] = {
    p.programme_id: p
    for p in (
        Programme(
            programme_id="standard",
            name="Nieuwe Banen standard (evaluation every 6 weeks; after the job checkpoints "
            "at 1, 3, 6 and 12 months)",
            checkpoint_months=CHECKPOINT_MONTHS,
        ),
        Programme(
            programme_id="werkfit",
            name="Werkfit (12 weeks of modules, evaluation every 2 weeks)",
            evaluation_every_weeks=2,
            follow_up_after_weeks=26,
            max_learning_weeks=26,
            checkpoint_months=CHECKPOINT_MONTHS,
        ),
        Programme(
            programme_id="wijkleerbedrijf",
            name="WijkLeerbedrijf Zorg (2 years; a work-study (BBL) job from year 2)",
            job_alongside_learning=True,
            checkpoint_months=CHECKPOINT_MONTHS,
        ),
        Programme(
            programme_id="demo",
            name="Demo: a 'week' lasts 10 seconds, so a person sees the timers fire",
            week=timedelta(seconds=10),
            evaluation_every_weeks=3,
            follow_up_after_weeks=6,
        ),
    )
}


def programme(programme_id: str) -> Programme:
    """The programme with this id; `KeyError` names the ones that exist."""
    try:
        return PROGRAMMES[programme_id]
    except KeyError:
        known = ", ".join(sorted(PROGRAMMES))
        raise KeyError(f"unknown programme {programme_id!r}; known: {known}") from None
