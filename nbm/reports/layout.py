"""How the outcome figures are laid out for people: the sections of the terminal table and
the HTML page, their headers (English msgids, shown in the coach's language), and how a value
is written (a suppressed one as `<5`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nbm.i18n import N_, _, current_language

from .outcomes import (
    CHECKPOINT_MONTHS,
    NO_GROUP,
    TOTAL,
    WEEK_BINS,
    Figures,
    GroupBy,
    Report,
    Window,
)


class Kind(StrEnum):
    COUNT = "count"
    RATE = "rate"
    WEEKS = "weeks"
    EUR = "eur"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    """An English msgid, translated when shown."""
    kind: Kind = Kind.COUNT
    translate: bool = True
    """False: a header of numbers (the week bins), the same in every language."""


def _weeks_header(low: int, high: int | None) -> str:
    return f"{low}-{high}" if high is not None else f"{low}+"


SECTIONS: tuple[tuple[str, tuple[Column, ...]], ...] = (
    (
        N_("Overview"),
        (
            Column("trajectories", N_("trajectories")),
            Column("placed", N_("placed")),
            Column("placement_rate", N_("placement rate"), Kind.RATE),
            Column("within_6m_rate", N_("within 6 months"), Kind.RATE),
            Column("median_weeks_to_job", N_("median weeks to job"), Kind.WEEKS),
            Column("lasting_12m_rate", N_("lasting at 12 months"), Kind.RATE),
        ),
    ),
    (
        N_("Funnel: reached each of the six steps"),
        (
            Column("step_1", N_("1 future job")),
            Column("step_2", N_("2 possibilities")),
            Column("step_3", N_("3 learning plan")),
            Column("step_4", N_("4 match")),
            Column("step_5", N_("5 learning in")),
            Column("step_6", N_("6 regular job")),
        ),
    ),
    (
        N_("Time to job: weeks from the start to the job's first day"),
        tuple(
            Column(
                f"weeks_{lo}_{hi}" if hi else f"weeks_{lo}_plus",
                _weeks_header(lo, hi),
                translate=False,
            )
            for lo, hi in WEEK_BINS
        ),
    ),
    (
        N_("Lasting placement: still employed at the checkpoint"),
        tuple(
            Column(f"lasting_{m}m_rate", label, Kind.RATE)
            for m, label in zip(
                CHECKPOINT_MONTHS,
                (N_("1 month"), N_("3 months"), N_("6 months"), N_("12 months")),
                strict=True,
            )
        ),
    ),
    (
        N_("Benefit after placement (uitkering)"),
        (
            Column("benefit_fully", N_("ended fully")),
            Column("benefit_partly", N_("ended partly")),
            Column("benefit_continues", N_("continues")),
            Column("benefit_not_applicable", N_("had none")),
        ),
    ),
    (
        N_("Contract and wage-cost subsidy (LKS)"),
        (
            Column("median_contract_hours", N_("median hours a week"), Kind.NUMBER),
            Column("small_contract", N_("under 24 hours")),
            Column("with_lks", N_("with LKS")),
            Column("median_lks_pct", N_("median LKS %"), Kind.NUMBER),
        ),
    ),
    (
        N_("Closed: how trajectories ended"),
        (
            Column("closed", N_("closed")),
            Column("closed_placed", N_("placed")),
            Column("closed_education", N_("education")),
            Column("closed_neutral", N_("neutral")),
            Column("closed_not_placed", N_("not placed")),
        ),
    ),
    (
        N_("Cost per trajectory (participation budget)"),
        (
            Column("with_budget", N_("with a plan")),
            Column("budget_total_eur", N_("budget total"), Kind.EUR),
            Column("budget_mean_eur", N_("per trajectory"), Kind.EUR),
            Column("budget_per_year_eur", N_("per trajectory-year"), Kind.EUR),
            Column("employer_paid_training", N_("employer-paid training")),
        ),
    ),
)

GROUP_HEADERS = {
    None: N_("all"),
    GroupBy.PROGRAMME: N_("programme"),
    GroupBy.ROUTE: N_("route"),
    GroupBy.COHORT: N_("cohort"),
    GroupBy.EMPLOYER: N_("employer"),
    GroupBy.COACH: N_("coach"),
    GroupBy.YEAR: N_("year started"),
}


def header(column: Column) -> str:
    return _(column.header) if column.translate else column.header


def group_label(key: str) -> str:
    if key == TOTAL:
        return _("total")
    if key == NO_GROUP:
        return _("(none)")
    return key


def suppressed_mark(min_cell: int) -> str:
    return f"<{min_cell}"


def cell(f: Figures, column: Column, min_cell: int) -> str:
    """The figure as a person reads it: `<5` when suppressed, `—` when there is none."""
    if column.name in f.suppressed:
        return suppressed_mark(min_cell)
    value = f.shown(column.name)
    if value is None:
        return "—"
    match column.kind:
        case Kind.RATE:
            return f"{value:.0%}"
        case Kind.EUR:
            text = f"€ {value:,.0f}"
            return text.replace(",", ".") if current_language() == "nl" else text
        case Kind.WEEKS | Kind.NUMBER:
            text = f"{value:.1f}"
            return text.replace(".", ",") if current_language() == "nl" else text
        case Kind.COUNT:
            return str(int(value))


def rows(report: Report) -> list[Figures]:
    """The groups, then the total."""
    return [*report.groups, report.total]


def window_line(w: Window) -> str:
    """Which trajectories the report is about, and as of when."""
    if w.start and w.end:
        text = _("Trajectories started from {start} to {end}; facts in effect on {as_of}.")
    elif w.start:
        text = _("Trajectories started on or after {start}; facts in effect on {as_of}.")
    elif w.end:
        text = _("Trajectories started on or before {end}; facts in effect on {as_of}.")
    else:
        text = _("All trajectories; facts in effect on {as_of}.")
    return text.format(start=w.start, end=w.end, as_of=w.as_of)


def target_line(target: int, accord: str) -> str:
    return _("The target: {target} jobs a year ({accord}).").format(target=target, accord=accord)
