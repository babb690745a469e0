"""The statistics export: one flat row per trajectory of a year, without personal data.

The shape a municipality delivers to the national statistics office (CBS) and to its own
analysts; every column is documented in `docs/statistics-export.md`. Microdata is not
protected by small-cell suppression (each row is one person's path), so it is protected by
what it leaves out: no name, BSN, candidate reference, contact, free text or employer; a
pseudonymous id instead of the trajectory's own; dates to the month, never the day.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date

from .outcomes import CHECKPOINT_MONTHS, STEPS, TrajectoryFacts, add_months

COLUMNS = (
    "record_id", "year", "municipality", "programme", "route", "start_month",
    "step_reached", "placed", "placement_month", "weeks_to_job", "within_6_months",
    "contract_hours", "lks", "lks_pct", "benefit_end",
    *(f"employed_{m}m" for m in CHECKPOINT_MONTHS),
    "closure_reason", "outcome_type", "budget_eur", "agreed_weeks", "employer_paid_training",
)  # fmt: skip
"""The export's columns, in order."""


def pseudonym(trajectory_id: str, salt: str) -> str:
    """A stable id that does not reveal the trajectory's own (HMAC-SHA-256 with the
    municipality's salt): the same trajectory gets the same id in every year's export."""
    digest = hmac.new(salt.encode(), trajectory_id.encode(), hashlib.sha256).hexdigest()
    return f"r-{digest[:16]}"


def _month(day: date | None) -> str:
    return "" if day is None else f"{day:%Y-%m}"


def _flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def belongs_to(t: TrajectoryFacts, year: int, as_of: date) -> bool:
    """A trajectory is in a year's export when it ran in it: started on or before its last
    day (and by `as_of`), and not closed before its first."""
    first, last = date(year, 1, 1), min(date(year, 12, 31), as_of)
    return t.started_on <= last and (t.closed_on is None or t.closed_on >= first)


def statistics_rows(
    facts: Iterable[TrajectoryFacts], year: int, as_of: date, salt: str
) -> list[dict[str, str]]:
    """The year's rows, in `COLUMNS` order, facts as in effect at the end of the year (or
    `as_of`, whichever comes first)."""
    cut = min(date(year, 12, 31), as_of)
    out: list[dict[str, str]] = []
    for t in facts:
        if not belongs_to(t, year, as_of):
            continue
        reached = [s for s in STEPS if s in t.steps and t.steps[s] <= cut]
        job = t.job_started if t.job_started and t.job_started <= cut else None
        points = {p.month: p for p in t.checkpoints if p.recorded_on and p.recorded_on <= cut}
        closed = t.closed_on is not None and t.closed_on <= cut
        six = add_months(t.started_on, 6)
        row = {
            "record_id": pseudonym(t.trajectory_id, salt),
            "year": str(year),
            "municipality": t.municipality or "",
            "programme": t.programme_id,
            "route": t.route,
            "start_month": _month(t.started_on),
            "step_reached": reached[-1][0] if reached else "",
            "placed": _flag(job is not None),
            "placement_month": _month(job),
            "weeks_to_job": "" if job is None else str((job - t.started_on).days // 7),
            "within_6_months": "" if job is None else _flag(job <= six),
            "contract_hours": "" if job is None or t.contract_hours is None
            else str(t.contract_hours),
            "lks": "" if job is None else _flag(t.lks_pct is not None),
            "lks_pct": "" if job is None or t.lks_pct is None else str(t.lks_pct),
            "benefit_end": "" if job is None else (t.benefit_end or ""),
            **{
                f"employed_{m}m": _flag(points[m].still_employed) if m in points else ""
                for m in CHECKPOINT_MONTHS
            },
            "closure_reason": (t.closure_reason or "") if closed else "",
            "outcome_type": (t.outcome_type or "") if closed else "",
            "budget_eur": "" if t.budget_eur is None else str(t.budget_eur),
            "agreed_weeks": "" if t.agreed_weeks is None else str(t.agreed_weeks),
            "employer_paid_training": _flag(t.employer_paid_courses > 0),
        }  # fmt: skip
        out.append(row)
    return sorted(out, key=lambda r: r["record_id"])
