"""How a trajectory looks to a person (Rich) and to a script (JSON).

The candidate's personal data is masked unless the caller asks for it: a screen shared in
a meeting or a JSON file left in a folder should not carry special-category data by default.
The state holds it sealed; the caller opens it (`_keys.reveal`) and passes it in.
"""

from __future__ import annotations

from typing import Any, Literal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from domain import trajectory
from domain.shared import PersonalData
from workflows import CommandResult

from ._common import when

MASK = "***"
MASK_HINT = "*** (--show-personal)"
ERASED: Literal["erased"] = "erased"
ERASED_HINT = "erased (nbm candidate erase)"

Personal = PersonalData | Literal["erased"] | None
"""What may be shown of the candidate: nothing (masked), the opened data, or `ERASED`."""

_PERSONAL_ROWS = (
    ("external reference", "external_ref"),
    ("e-mail", "email"),
    ("phone", "phone"),
    ("address", "address"),
    ("health notes", "health_notes"),
    ("debt notes", "debt_notes"),
    ("family notes", "family_notes"),
)

STEP_TERMS: dict[trajectory.Step, str] = {
    trajectory.Step.FUTURE_JOB_IN_VIEW: "toekomstige baan in beeld",
    trajectory.Step.POSSIBILITIES_MAPPED: "mogelijkheden in kaart",
    trajectory.Step.AGREEMENT_OR_MATCH: "inleertraject vastgesteld / match baan-kandidaat",
    trajectory.Step.LEARNING_IN: "kandidaat leert in",
    trajectory.Step.OUTCOME: "reguliere baan of vervolg",
    trajectory.Step.CLOSED: "afgesloten",
}
"""The Dutch name of each step, as coaches know it."""


def step_label(step: trajectory.Step) -> str:
    return f"{step.value} ({STEP_TERMS[step]})"


def result_line(result: CommandResult) -> str:
    """One line for a coach after a command: where the trajectory stands now."""
    events = ", ".join(result.event_types) or "no events"
    request = f" (request {result.request_id})" if result.request_id else ""
    return (
        f"{result.trajectory_id}: version {result.version}, step {step_label(result.step)}"
        f" — {events}{request}"
    )


def result_json(result: CommandResult) -> dict[str, Any]:
    return result.model_dump(mode="json")


def state_json(state: trajectory.Trajectory, *, personal: Personal = None) -> dict[str, Any]:
    data = state.model_dump(mode="json")
    data["step"] = state.step.value
    data["placed_within_goal"] = state.placed_within_goal
    candidate = data.get("candidate")
    if candidate:
        # Never the ciphertext either: it is of no use to a reader of the JSON.
        if personal is None:
            candidate["personal"] = {"name": MASK, "bsn": MASK}
        elif not isinstance(personal, PersonalData):  # ERASED
            candidate["personal"] = {"erased": True}
        else:
            candidate["personal"] = personal.model_dump(mode="json", exclude_none=True)
    return data


def _personal_rows(personal: Personal) -> list[tuple[str, str]]:
    if personal is None:
        return [("name", MASK_HINT), ("BSN", MASK_HINT)]
    if not isinstance(personal, PersonalData):  # ERASED
        return [("personal data", ERASED_HINT)]
    rows = [("name", personal.name), ("BSN", personal.bsn)]
    for label, field in _PERSONAL_ROWS:
        value = getattr(personal, field)
        if value is not None:
            rows.append((label, value))
    return rows


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


def _join(items: tuple[Any, ...] | list[Any]) -> str:
    return ", ".join(str(i) for i in items) if items else "—"


def _section(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.title = title
    table.title_justify = "left"
    table.title_style = "bold"
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    for key, value in rows:
        table.add_row(key, Text(value))  # Text: no Rich markup in what a coach typed
    return table


def _table(title: str, columns: list[str], rows: list[list[str]]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", show_edge=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def state_view(state: trajectory.Trajectory, *, personal: Personal = None) -> RenderableType:
    """The trajectory as a coach reads it: where it stands, what is open, what happened."""
    s = state
    job = s.future_job
    parts: list[RenderableType] = [
        Text(f"Trajectory {s.trajectory_id}", style="bold"),
        _section(
            "Overview",
            [
                ("step", step_label(s.step)),
                ("route", s.route.value),
                (
                    "programme",
                    f"{s.programme.programme_id} (version {s.programme.version}): "
                    f"{s.programme.name}",
                ),
                *_chain_rows(s),
                ("coach", s.coach_id),
                ("employer", s.employer_id),
                ("version", str(s.version)),
                ("started", when(s.started_at)),
                ("updated", when(s.updated_at)),
            ],
        ),
        _section(
            "Future job (toekomstige baan)",
            [
                ("function", job.function),
                ("employer", job.employer_id),
                ("expected", job.expected_date.isoformat()),
                ("jobs", str(job.number_of_jobs)),
                ("required skills", _join(job.required_skills)),
            ],
        ),
    ]
    if s.preconditions is not None:
        p = s.preconditions
        parts.append(
            _section(
                "Possibilities (mogelijkheden)",
                [
                    ("profile skills", _join(s.profile_skills)),
                    ("employer role", p.employer_role),
                    ("werkbedrijf role", p.werkbedrijf_role),
                    (
                        "commitment possible",
                        "job guarantee" if p.guarantee_possible else "intention to hire only",
                    ),
                    ("learning location", p.learning_location),
                    ("training institute", p.training_institute or "—"),
                ],
            )
        )
    if s.agreement is not None:
        a = s.agreement
        training = [
            f"{t.institute}: {t.course}" + (" (paid by employer)" if t.paid_by_employer else "")
            for t in a.training
        ]
        parts.append(
            _section(
                "Agreement (inleerovereenkomst)",
                [
                    ("commitment", a.commitment.value),
                    ("duration", f"{a.duration_weeks} weeks"),
                    (
                        "placements",
                        _join(
                            [f"{p.name} {p.weeks} wk × {p.hours_per_week} h" for p in a.placements]
                        ),
                    ),
                    ("training", _join(training)),
                    ("budget", f"EUR {a.budget_eur:,}"),
                    ("signed by", _join([x.value for x in a.signed_by])),
                ],
            )
        )
    if s.candidate is not None:
        c = s.candidate
        parts.append(
            _section(
                "Candidate (kandidaat)",
                [
                    ("reference", c.candidate_ref),
                    *_personal_rows(personal),
                    ("skills", _join(c.skills)),
                    ("language level", c.language_level or "—"),
                    ("open barriers", _join([b.value for b in s.open_barriers])),
                ],
            )
        )
    if s.learning_started_at is not None:
        pending = s.evaluation_pending_since
        parts.append(
            _section(
                "Learning in (inleren)",
                [
                    ("started", when(s.learning_started_at)),
                    ("ends", when(s.learning_ends_at)),
                    ("weeks", str(s.learning_weeks)),
                    ("ended", _yes_no(s.learning_ended)),
                    ("benefits retained", _yes_no(s.benefits_retained)),
                    (
                        "met behoud van uitkering tot / benefits kept until",
                        when(s.benefit_retention_ends_at),
                    ),
                    ("next evaluation", when(s.next_evaluation_at)),
                    ("evaluation due since", when(pending) if pending else "—"),
                ],
            )
        )
    parts.extend(_history_tables(s))
    parts.extend(_outcome_sections(s))
    return Group(*_spaced(parts))


def _chain_rows(s: trajectory.Trajectory) -> list[tuple[str, str]]:
    """Where the trajectory came from: the programmes before (one history), Van Werk naar
    Werk's outgoing employer, dismissal date and its 6-month measure."""
    rows = [
        ("handed over / overgedragen", f"{h.from_programme_id} → {h.to_programme_id} {when(h.at)}")
        for h in s.handovers
    ]
    if s.work_to_work is not None:
        w = s.work_to_work
        within = s.placed_within_goal
        goal = "—" if within is None else ("ja / yes" if within else "nee / no")
        rows += [
            ("outgoing employer / vertrekkende werkgever", w.outgoing_employer_id),
            ("dismissal date / ontslagdatum", w.dismissal_date.isoformat()),
            ("new job within the goal / binnen het doel", goal),
        ]
    return rows


def _history_tables(s: trajectory.Trajectory) -> list[RenderableType]:
    found: list[RenderableType] = []
    if s.placements:
        found.append(
            _table(
                "Placements (stages)",
                ["#", "name", "hours/week", "started", "as agreed", "ladder"],
                [
                    [
                        str(p.number),
                        p.name,
                        str(p.hours_per_week),
                        when(p.started_at),
                        "no (deviation)" if p.deviates else "yes",
                        p.ladder_move.value if p.ladder_move else "—",
                    ]
                    for p in s.placements
                ],
            )
        )
    if s.evaluations:
        found.append(
            _table(
                "Evaluations (evaluaties)",
                ["at", "verdict", "employer present"],
                [[when(e.at), e.verdict.value, _yes_no(e.employer_present)] for e in s.evaluations],
            )
        )
    if s.open_calamities:
        found.append(
            _table(
                "Open calamities (calamiteiten)",
                ["#", "kind", "since"],
                [[str(c.number), c.kind.value, when(c.recorded_at)] for c in s.open_calamities],
            )
        )
    if s.escalations:
        found.append(
            _table(
                "Escalations (escalaties)",
                ["#", "at", "reason", "message", "resolved"],
                [
                    [str(n), when(e.at), e.reason.value, e.message, when(e.resolved_at)]
                    for n, e in enumerate(s.escalations, start=1)
                ],
            )
        )
    if s.employer_answers:
        found.append(
            _table(
                "Employer's answers (antwoorden werkgever)",
                ["at", "future job", "about", "answer", "reason"],
                [
                    [when(a.at), a.future_job_id, a.about, a.answer.value, a.reason or "—"]
                    for a in s.employer_answers
                ],
            )
        )
    return found


def _outcome_sections(s: trajectory.Trajectory) -> list[RenderableType]:
    found: list[RenderableType] = []
    if s.regular_job is not None:
        j = s.regular_job
        small = j.contract_hours_per_week < trajectory.SMALL_CONTRACT_HOURS
        found.append(
            _section(
                "Work-study job (BBL-baan)" if j.work_study else "Regular job (reguliere baan)",
                [
                    ("employer", j.employer_id),
                    (
                        "hours per week",
                        f"{j.contract_hours_per_week}" + (" (small contract)" if small else ""),
                    ),
                    ("start date", j.start_date.isoformat()),
                    (
                        "wage-cost subsidy (LKS)",
                        f"{j.wage_cost_subsidy_pct}%" if j.wage_cost_subsidy_pct else "none",
                    ),
                    ("benefit (uitkering)", BENEFIT_WORDS[j.benefit_end_kind]),
                    *(
                        []
                        if s.checkpoints
                        else [
                            ("follow-up due", when(s.follow_up_at)),
                            ("follow-up pending", _yes_no(s.follow_up_pending)),
                        ]
                    ),
                ],
            )
        )
    found.extend(_aftercare(s))
    if s.closed_at is not None:
        found.append(
            _section(
                "Outcome (uitkomst)",
                [
                    ("closed", when(s.closed_at)),
                    ("reason", s.closure_reason or "—"),
                    ("outcome", s.outcome_type.value if s.outcome_type else "—"),
                    ("lasting placement", _yes_no(s.lasting_placement)),
                ],
            )
        )
    return found


BENEFIT_WORDS = {
    trajectory.BenefitEnd.FULLY: "ended fully (volledig beëindigd)",
    trajectory.BenefitEnd.PARTLY: "ended partly (gedeeltelijk): benefit dependence continues",
    trajectory.BenefitEnd.CONTINUES: "continues (loopt door)",
    trajectory.BenefitEnd.NOT_APPLICABLE: "does not apply (geen uitkering)",
}


def _aftercare(s: trajectory.Trajectory) -> list[RenderableType]:
    """The wage-cost subsidy and the follow-up checkpoints after the job."""
    found: list[RenderableType] = []
    lks = s.wage_cost_subsidy
    if lks is not None:
        a = lks.assessment
        found.append(
            _section(
                "Wage-cost subsidy (loonkostensubsidie, LKS)",
                [
                    ("subsidy", f"{lks.subsidy_pct}%" if lks.subsidy_pct else "ended"),
                    ("wage value (loonwaarde)", f"{a.wage_value_pct}%"),
                    ("assessed", f"{a.assessed_on} by {a.assessed_by}"),
                    ("decided", lks.decided_on.isoformat()),
                    ("re-assessment", lks.reassess_on.isoformat() if lks.reassess_on else "—"),
                    ("re-assessment due now", _yes_no(lks.reassessment_due)),
                    ("re-assessments so far", str(lks.reassessments)),
                ],
            )
        )
    if s.checkpoints:
        found.append(
            _table(
                "Checkpoints (nazorgmomenten)",
                ["months", "due", "status", "still employed", "hours/week", "benefit"],
                [
                    [
                        str(p.month),
                        when(p.due_at),
                        "recorded"
                        if p.recorded_at
                        else "missed"
                        if p.missed
                        else "due"
                        if p.due
                        else "coming",
                        _yes_no(p.still_employed),
                        str(p.hours_per_week) if p.hours_per_week else "—",
                        p.benefit_end.value if p.benefit_end else "—",
                    ]
                    for p in s.checkpoints
                ],
            )
        )
    return found


def _spaced(parts: list[RenderableType]) -> list[RenderableType]:
    spaced: list[RenderableType] = []
    for part in parts:
        if spaced:
            spaced.append(Text(""))
        spaced.append(part)
    return spaced
