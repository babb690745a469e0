"""The outcome figures, computed from per-trajectory facts: pure, no I/O, no clock.

Read `docs/outcome-report.md` for what each figure means. The rules in short:

- The population of a report is the trajectories that *started* (effective date) within the
  window (`start`..`end`, inclusive); each fact counts only when it took effect on or before
  `as_of`. Nothing goes by when a fact was recorded.
- A trajectory is placed from its regular job's first day (not a work-study job, not its
  closure): a placement still in aftercare counts.
- Jobs per year are a flow: the placements whose job began in that calendar year (within the
  window and by `as_of`), whenever their trajectory started.
- Grouped by employer, a trajectory counts for every employer it was meant for or hired by:
  one that moved counts for the one it left and the one it joined (the groups overlap).
- Small cells: see `suppress`.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.trajectory import SMALL_CONTRACT_HOURS

STEPS = (
    "1-future-job-in-view",
    "2-possibilities-mapped",
    "3-agreement",
    "4-match",
    "5-learning-in",
    "6-regular-job",
)
CHECKPOINT_MONTHS = (1, 3, 6, 12)
WEEK_BINS = ((0, 13), (13, 26), (26, 52), (52, 78), (78, 104), (104, None))
"""Time to job in weeks since the start: [low, high)."""
BENEFIT_ENDS = ("fully", "partly", "continues", "not-applicable")
OUTCOME_TYPES = ("placed", "education", "neutral", "not-placed")
TOTAL = "total"
NO_GROUP = "-"
"""The group of a trajectory that has none (no cohort)."""
DEFAULT_MIN_CELL = 5


class GroupBy(StrEnum):
    PROGRAMME = "programme"
    ROUTE = "route"
    COHORT = "cohort"
    EMPLOYER = "employer"
    COACH = "coach"
    YEAR = "year"


@dataclass(frozen=True)
class Checkpoint:
    month: int
    recorded_on: date | None
    still_employed: bool | None
    hours_per_week: int | None
    benefit_end: str | None


@dataclass(frozen=True)
class TrajectoryFacts:
    """What the read models hold of one trajectory, as the report needs it."""

    trajectory_id: str
    programme_id: str
    route: str
    coach_id: str
    started_on: date
    steps: dict[str, date] = field(default_factory=dict)
    """The first date each step (`STEPS`) was reached; the regular job's is its first day."""
    employers: tuple[tuple[str, date], ...] = ()
    """Every employer it was meant for or hired by, with the date it came."""
    cohort_id: str | None = None
    municipality: str | None = None
    contract_hours: int | None = None
    lks_pct: int | None = None
    benefit_end: str | None = None
    budget_eur: int | None = None
    agreed_weeks: int | None = None
    courses: int = 0
    employer_paid_courses: int = 0
    closed_on: date | None = None
    outcome_type: str | None = None
    closure_reason: str | None = None
    checkpoints: tuple[Checkpoint, ...] = ()

    @property
    def job_started(self) -> date | None:
        return self.steps.get(STEPS[-1])


@dataclass(frozen=True)
class Window:
    start: date | None
    end: date | None
    as_of: date

    def holds(self, day: date) -> bool:
        return (
            (self.start is None or day >= self.start)
            and (self.end is None or day <= self.end)
            and day <= self.as_of
        )


@dataclass
class Figures:
    """One row of the report: a group's counts, the figures derived from them, and which of
    either are suppressed (their value is withheld in every output)."""

    group: str
    counts: dict[str, int]
    values: dict[str, float | None]
    suppressed: set[str] = field(default_factory=set)

    def shown(self, name: str) -> int | float | None:
        """The figure, None when it is suppressed (or has no value)."""
        if name in self.suppressed:
            return None
        return self.counts[name] if name in self.counts else self.values.get(name)


@dataclass(frozen=True)
class YearJobs:
    year: int
    jobs: int
    target: int
    suppressed: bool

    @property
    def share(self) -> float | None:
        return None if self.suppressed or not self.target else round(self.jobs / self.target, 4)


@dataclass(frozen=True)
class Report:
    by: GroupBy | None
    window: Window
    min_cell: int
    total: Figures
    groups: list[Figures]
    jobs_per_year: list[YearJobs]
    target_per_year: int
    overlapping: bool
    """The groups overlap (by employer): their figures do not add up to the total."""


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def weeks_between(a: date, b: date) -> float:
    return max((b - a).days, 0) / 7


def week_bin(weeks: float) -> str:
    for low, high in WEEK_BINS:
        if high is None or weeks < high:
            return bin_name(low, high)
    raise AssertionError("unreachable")


def bin_name(low: int, high: int | None) -> str:
    return f"weeks_{low}_{high}" if high is not None else f"weeks_{low}_plus"


BIN_NAMES = tuple(bin_name(lo, hi) for lo, hi in WEEK_BINS)
FUNNEL = tuple(f"step_{s[0]}" for s in STEPS)
LASTING = tuple(f"lasting_{m}m" for m in CHECKPOINT_MONTHS)
LASTING_KNOWN = tuple(f"lasting_{m}m_known" for m in CHECKPOINT_MONTHS)
BENEFIT = tuple(f"benefit_{b.replace('-', '_')}" for b in BENEFIT_ENDS)
CLOSED_AS = tuple(f"closed_{o.replace('-', '_')}" for o in OUTCOME_TYPES)
COUNTS = (
    "trajectories", *FUNNEL, "placed", "within_6m", "within_6m_eligible",
    *BIN_NAMES, *LASTING, *LASTING_KNOWN, *BENEFIT, "small_contract", "with_lks",
    "with_budget", "employer_paid_training", "closed", *CLOSED_AS,
)  # fmt: skip
"""Every count of a row, in the order of the flat outputs (CSV)."""
VALUES = (
    "placement_rate", "within_6m_rate", "median_weeks_to_job",
    *(f"lasting_{m}m_rate" for m in CHECKPOINT_MONTHS),
    "median_contract_hours", "median_lks_pct",
    "budget_total_eur", "budget_mean_eur", "budget_per_year_eur",
)  # fmt: skip
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "placement_rate": ("placed", "trajectories"),
    "within_6m_rate": ("within_6m", "within_6m_eligible"),
    "median_weeks_to_job": ("placed",),
    **{f"lasting_{m}m_rate": (f"lasting_{m}m", f"lasting_{m}m_known") for m in CHECKPOINT_MONTHS},
    "median_contract_hours": ("placed",),
    "median_lks_pct": ("with_lks",),
    "budget_total_eur": ("with_budget",),
    "budget_mean_eur": ("with_budget",),
    "budget_per_year_eur": ("with_budget",),
}
"""What each derived figure rests on: suppressed with any of them."""
PARTITIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("placed", BIN_NAMES),
    ("placed", BENEFIT),
    ("closed", CLOSED_AS),
)
"""Counts that add up to another in the same row: hiding one alone would not hide it."""


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _median(values: Sequence[float]) -> float | None:
    return round(float(statistics.median(values)), 1) if values else None


def figures(group: str, population: Iterable[TrajectoryFacts], w: Window) -> Figures:
    """A group's counts and derived figures, before suppression."""
    people = list(population)
    c = dict.fromkeys(COUNTS, 0)
    c["trajectories"] = len(people)
    to_job: list[float] = []
    hours: list[float] = []
    lks: list[float] = []
    budgets: list[int] = []
    budget_years = 0.0
    for t in people:
        for step, name in zip(STEPS, FUNNEL, strict=True):
            if step in t.steps and t.steps[step] <= w.as_of:
                c[name] += 1
        job = t.job_started if t.job_started and t.job_started <= w.as_of else None
        six_months = add_months(t.started_on, 6)
        if job is not None and job <= six_months:
            c["within_6m"] += 1
            c["within_6m_eligible"] += 1
        elif six_months <= w.as_of:  # its six months are over: it counts, unplaced in them
            c["within_6m_eligible"] += 1
        agreed = t.steps.get(STEPS[2])
        if t.budget_eur is not None and agreed is not None and agreed <= w.as_of:
            c["with_budget"] += 1
            budgets.append(t.budget_eur)
            budget_years += (t.agreed_weeks or 52) / 52
            if t.employer_paid_courses:
                c["employer_paid_training"] += 1
        if t.closed_on is not None and t.closed_on <= w.as_of:
            c["closed"] += 1
            kind = (t.outcome_type or "not-placed").replace("-", "_")
            c[f"closed_{kind}"] += 1
        if job is None:
            continue
        c["placed"] += 1
        weeks = weeks_between(t.started_on, job)
        to_job.append(weeks)
        c[week_bin(weeks)] += 1
        known = [p for p in t.checkpoints if p.recorded_on and p.recorded_on <= w.as_of]
        for p in known:
            if p.month in CHECKPOINT_MONTHS and p.still_employed is not None:
                c[f"lasting_{p.month}m_known"] += 1
                c[f"lasting_{p.month}m"] += int(p.still_employed)
        latest = max(known, key=lambda p: p.month, default=None)
        benefit = (latest.benefit_end if latest else None) or t.benefit_end or "not-applicable"
        c[f"benefit_{benefit.replace('-', '_')}"] += 1
        hours_now = (latest.hours_per_week if latest else None) or t.contract_hours
        if hours_now is not None:
            hours.append(hours_now)
            c["small_contract"] += int(hours_now < SMALL_CONTRACT_HOURS)
        if t.lks_pct is not None:
            c["with_lks"] += 1
            lks.append(t.lks_pct)
    v: dict[str, float | None] = {
        "placement_rate": _rate(c["placed"], c["trajectories"]),
        "within_6m_rate": _rate(c["within_6m"], c["within_6m_eligible"]),
        "median_weeks_to_job": _median(to_job),
        **{
            f"lasting_{m}m_rate": _rate(c[f"lasting_{m}m"], c[f"lasting_{m}m_known"])
            for m in CHECKPOINT_MONTHS
        },
        "median_contract_hours": _median(hours),
        "median_lks_pct": _median(lks),
        "budget_total_eur": float(sum(budgets)) if budgets else None,
        "budget_mean_eur": round(sum(budgets) / len(budgets)) if budgets else None,
        "budget_per_year_eur": round(sum(budgets) / budget_years) if budget_years else None,
    }
    return Figures(group=group, counts=c, values=v)


# --- small cells --------------------------------------------------------------------------


def _small(n: int, k: int) -> bool:
    return 0 < n < k


def suppress_primary(f: Figures, k: int) -> None:
    """A row of fewer than `k` trajectories is withheld whole; in other rows each count of
    1 to `k`-1 (zero reveals nobody's situation but is a fact about all: it stays)."""
    if _small(f.counts["trajectories"], k):
        f.suppressed |= set(COUNTS) | set(VALUES)
        return
    f.suppressed |= {n for n, x in f.counts.items() if _small(x, k)}


WHOLE = "\0whole"
"""`_hide_one_more`'s answer when no part is left to hide: the total itself must go."""


def _hide_one_more(cells: dict[str, int], hidden: set[str], k: int) -> str | None:
    """Which further cell to hide so that the hidden ones of a partition with a shown total
    cannot be worked out (their sum must be `k` or more, or two cells at least be hidden):
    the smallest shown cell above zero, else a shown zero (hiding a zero hides how the rest
    is split), else `WHOLE` (every part is hidden already: only the total can go)."""
    hidden_here = [n for n in cells if n in hidden]
    if not hidden_here or sum(cells[n] for n in hidden_here) == 0:
        return None  # nothing hidden, or only zeros: nothing to work out
    if len(hidden_here) >= 2 and sum(cells[n] for n in hidden_here) >= k:
        return None
    shown = sorted(
        ((x == 0, x, n) for n, x in cells.items() if n not in hidden), key=lambda t: t[:2]
    )
    if shown:
        return shown[0][2]
    return WHOLE


def suppress_secondary(rows: list[Figures], total: Figures | None, k: int) -> None:
    """Hide more cells where a shown total minus the shown parts would give a hidden one:
    within a row (the time-to-job bins and the benefit's end add up to `placed`) and, for
    groups that do not overlap, down each column against the total row."""
    changed = True
    while changed:
        changed = False
        for f in rows + ([total] if total else []):
            for whole, parts in PARTITIONS:
                if whole in f.suppressed:
                    continue
                more = _hide_one_more({p: f.counts[p] for p in parts}, f.suppressed, k)
                if more:
                    f.suppressed.add(whole if more == WHOLE else more)
                    changed = True
        if total is None:
            continue
        for name in COUNTS:
            if name in total.suppressed:
                continue
            column = {str(i): r.counts[name] for i, r in enumerate(rows)}
            hidden = {str(i) for i, r in enumerate(rows) if name in r.suppressed}
            more = _hide_one_more(column, hidden, k)
            if more == WHOLE:
                total.suppressed.add(name)
                changed = True
            elif more:
                rows[int(more)].suppressed.add(name)
                changed = True
    for f in rows + ([total] if total else []):
        for value, inputs in DERIVED_FROM.items():
            if any(i in f.suppressed for i in inputs):
                f.suppressed.add(value)


# --- the report ---------------------------------------------------------------------------


def group_keys(by: GroupBy, t: TrajectoryFacts, as_of: date) -> list[str]:
    match by:
        case GroupBy.PROGRAMME:
            return [t.programme_id]
        case GroupBy.ROUTE:
            return [t.route]
        case GroupBy.COHORT:
            return [t.cohort_id or NO_GROUP]
        case GroupBy.COACH:
            return [t.coach_id]
        case GroupBy.YEAR:
            return [str(t.started_on.year)]
        case GroupBy.EMPLOYER:
            return sorted({e for e, since in t.employers if since <= as_of}) or [NO_GROUP]


def outcome_report(
    facts: Iterable[TrajectoryFacts],
    window: Window,
    *,
    by: GroupBy | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
    target_per_year: int = 150,
) -> Report:
    """The report over `facts` (every trajectory of the read models)."""
    if min_cell < 1:
        raise ValueError("the smallest cell shown must be 1 or more")
    everything = list(facts)
    population = [t for t in everything if window.holds(t.started_on)]
    total = figures(TOTAL, population, window)
    groups: list[Figures] = []
    if by is not None:
        members: dict[str, list[TrajectoryFacts]] = {}
        for t in population:
            for key in group_keys(by, t, window.as_of):
                members.setdefault(key, []).append(t)
        groups = [figures(key, members[key], window) for key in sorted(members)]
    for f in (total, *groups):
        suppress_primary(f, min_cell)
    overlapping = by is GroupBy.EMPLOYER
    # Overlapping groups do not add up to the total; they are still checked within rows.
    suppress_secondary(groups, None if overlapping else total, min_cell)
    suppress_secondary([], total, min_cell)
    return Report(
        by=by,
        window=window,
        min_cell=min_cell,
        total=total,
        groups=groups,
        jobs_per_year=jobs_per_year(everything, window, target_per_year, min_cell),
        target_per_year=target_per_year,
        overlapping=overlapping,
    )


def jobs_per_year(
    facts: Iterable[TrajectoryFacts], window: Window, target: int, min_cell: int
) -> list[YearJobs]:
    """Placements per calendar year of the job's first day, within the window, by `as_of`."""
    jobs: dict[int, int] = {}
    for t in facts:
        job = t.job_started
        if job is not None and window.holds(job):
            jobs[job.year] = jobs.get(job.year, 0) + 1
    if not jobs and window.start is None:
        return []
    first = window.start.year if window.start else min(jobs)
    last = min(window.end or window.as_of, window.as_of).year
    return [
        YearJobs(year=y, jobs=jobs.get(y, 0), target=target,
                 suppressed=_small(jobs.get(y, 0), min_cell))
        for y in range(first, last + 1)
    ]  # fmt: skip


def time_to_job_weeks(facts: Iterable[TrajectoryFacts], window: Window) -> list[float]:
    """Each placed trajectory's weeks from start to job (for tests and the chart's check)."""
    return [
        weeks_between(t.started_on, t.job_started)
        for t in facts
        if window.holds(t.started_on) and t.job_started and t.job_started <= window.as_of
    ]
