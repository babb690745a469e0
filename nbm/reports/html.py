"""The outcome report as one self-contained HTML page with its charts.

The charts are drawn by matplotlib into inline SVG (text kept as text, so a reader can
search it and a screen reader can read it); the page fetches nothing when viewed, and its
Content-Security-Policy forbids it anyway. The output is reproducible: a fixed hash salt for
the SVG ids, no date in the SVG's metadata.
"""

from __future__ import annotations

import io
from pathlib import Path

import jinja2

from nbm.i18n import N_, _, current_language

from .layout import (
    SECTIONS,
    Column,
    cell,
    group_label,
    header,
    suppressed_mark,
    target_line,
    window_line,
)
from .outcomes import FUNNEL, WEEK_BINS, Figures, Report

TEMPLATE = Path(__file__).with_name("outcomes.html")
COLOURS = ("#1f5c99", "#c05a1a", "#6b6b6b")
PAGE_TEXTS = (
    N_("Outcomes"),
    N_("Made on {made}."),
    N_(
        "Figures based on fewer than {n} trajectories are not shown ({mark}), nor are figures "
        "from which they could be worked out."
    ),
    N_(
        "A trajectory that moved employer counts for each employer: the rows do not add up "
        "to the total."
    ),
    N_("Charts"),
    N_("suppressed: a small cell"),
    N_("Jobs per year against the target"),
    N_("year"),
    N_("jobs"),
    N_("target"),
    N_("of the target"),
)
"""The template's texts (`outcomes.html` calls them through `t`), marked for the catalogue."""


def _svg(figure: object) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")  # type: ignore[attr-defined]
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # the XML prolog and doctype do not belong inline


def _figure(width: float = 7.0, height: float = 3.4) -> object:
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "nbm-outcome-report"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text, no font embedded
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _bars(
    title: str, labels: list[str], values: list[int | None], mark: str, *,
    horizontal: bool = False, target: int | None = None, target_label: str = "",
) -> str:  # fmt: skip
    """A bar chart; a suppressed value gets no bar, only its mark (`<5`)."""
    fig = _figure()
    ax = fig.add_subplot()  # type: ignore[attr-defined]
    heights = [v or 0 for v in values]
    positions = list(range(len(labels)))
    bars = (ax.barh if horizontal else ax.bar)(positions, heights, color=COLOURS[0])
    texts = [mark if v is None else str(v) for v in values]
    ax.bar_label(bars, labels=texts, padding=2)
    from matplotlib.ticker import MaxNLocator

    # Counts: whole ticks, from zero, with room for the labels (also when all are withheld).
    top = max([*heights, target or 0, 4]) * 1.15
    axis = ax.xaxis if horizontal else ax.yaxis
    axis.set_major_locator(MaxNLocator(integer=True))
    if horizontal:
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, top)
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, labels)
        ax.set_ylim(0, top)
    if target is not None:
        ax.axhline(target, color=COLOURS[1], linestyle="--", label=target_label)
        ax.legend(loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.set_label(title)  # type: ignore[attr-defined]
    return _svg(fig)


def charts(report: Report) -> list[tuple[str, str]]:
    """(title, inline SVG) of the funnel, the jobs per year and the time to job."""
    mark = suppressed_mark(report.min_cell)
    total = report.total
    funnel_columns = next(cols for _t, cols in SECTIONS if cols[0].name == FUNNEL[0])
    funnel_title = _("Funnel: trajectories that reached each step")
    funnel = _bars(
        funnel_title,
        [header(c) for c in funnel_columns],
        [_count(total, c.name) for c in funnel_columns],
        mark,
        horizontal=True,
    )
    jobs_title = _("Jobs per year against the target")
    years = report.jobs_per_year
    jobs = _bars(
        jobs_title,
        [str(y.year) for y in years],
        [None if y.suppressed else y.jobs for y in years],
        mark,
        target=report.target_per_year,
        target_label=_("target: {target} a year").format(target=report.target_per_year),
    )
    weeks_title = _("Time to job (weeks from the start)")
    bins = [f"{lo}-{hi}" if hi else f"{lo}+" for lo, hi in WEEK_BINS]
    names = [f"weeks_{lo}_{hi}" if hi else f"weeks_{lo}_plus" for lo, hi in WEEK_BINS]
    weeks = _bars(weeks_title, bins, [_count(total, n) for n in names], mark)
    return [(funnel_title, funnel), (jobs_title, jobs), (weeks_title, weeks)]


def _count(f: Figures, name: str) -> int | None:
    value = f.shown(name)
    return None if value is None else int(value)


def render(
    report: Report, *, organisation: str, generated_on: str, accord: str = "Lelystad Akkoord"
) -> str:
    """The page, in the current language."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    rows = [*report.groups, report.total]
    sections = [
        {
            "title": _(title),
            "headers": [header(c) for c in columns],
            "rows": [
                {"group": group_label(f.group), "cells": [_cell(f, c, report) for c in columns]}
                for f in rows
            ],
        }
        for title, columns in SECTIONS
    ]
    w = report.window
    return template.render(
        lang=current_language(),
        t=_,
        organisation=organisation,
        generated_on=generated_on,
        window_line=window_line(w),
        target_line=target_line(report.target_per_year, accord),
        min_cell=report.min_cell,
        mark=suppressed_mark(report.min_cell),
        group_header=_(_group_header(report)),
        overlapping=report.overlapping,
        charts=[{"title": title, "svg": svg} for title, svg in charts(report)],
        sections=sections,
        years=[
            {
                "year": y.year,
                "jobs": suppressed_mark(report.min_cell) if y.suppressed else str(y.jobs),
                "target": y.target,
                "share": "—" if y.share is None else f"{y.share:.0%}",
                "suppressed": y.suppressed,
            }
            for y in report.jobs_per_year
        ],
    )


def _cell(f: Figures, c: Column, report: Report) -> dict[str, object]:
    return {"text": cell(f, c, report.min_cell), "suppressed": c.name in f.suppressed}


def _group_header(report: Report) -> str:
    from .layout import GROUP_HEADERS

    return GROUP_HEADERS[report.by]
