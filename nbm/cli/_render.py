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
from nbm.i18n import N_, _
from workflows import CommandResult

from ._common import when

MASK = "***"
MASK_HINT = "*** (--show-personal)"
ERASED: Literal["erased"] = "erased"
ERASED_HINT = N_("erased (nbm candidate erase)")

Personal = PersonalData | Literal["erased"] | None
"""What may be shown of the candidate: nothing (masked), the opened data, or `ERASED`."""

_PERSONAL_ROWS = (
    (N_("external reference"), "external_ref"),
    (N_("e-mail"), "email"),
    (N_("phone"), "phone"),
    (N_("address"), "address"),
    (N_("health notes"), "health_notes"),
    (N_("debt notes"), "debt_notes"),
    (N_("family notes"), "family_notes"),
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
    events = ", ".join(result.event_types) or _("no events")
    request = (
        _(" (request {request_id})").format(request_id=result.request_id)
        if result.request_id
        else ""
    )
    return _("{trajectory_id}: version {version}, step {step} — {events}{request}").format(
        trajectory_id=result.trajectory_id,
        version=result.version,
        step=step_label(result.step),
        events=events,
        request=request,
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
        return [(_("name"), MASK_HINT), ("BSN", MASK_HINT)]
    if not isinstance(personal, PersonalData):  # ERASED
        return [(_("personal data"), _(ERASED_HINT))]
    rows = [(_("name"), personal.name), ("BSN", personal.bsn)]
    for label, field in _PERSONAL_ROWS:
        value = getattr(personal, field)
        if value is not None:
            rows.append((_(label), value))
    return rows


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else (_("yes") if value else _("no"))


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
            _("Overview"),
            [
                (_("step"), step_label(s.step)),
                (_("route"), s.route.value),
                (
                    _("programme"),
                    f"{s.programme.programme_id} (version {s.programme.version}): "
                    f"{s.programme.name}",
                ),
                *_chain_rows(s),
                (_("coach"), s.coach_id),
                (_("employer"), s.employer_id),
                (_("version"), str(s.version)),
                (_("started"), when(s.started_at)),
                (_("updated"), when(s.updated_at)),
            ],
        ),
        _section(
            _("Future job"),
            [
                (_("function"), job.function),
                (_("employer"), job.employer_id),
                (_("expected"), job.expected_date.isoformat()),
                (_("jobs"), str(job.number_of_jobs)),
                (_("required skills"), _join(job.required_skills)),
            ],
        ),
    ]
    if s.preconditions is not None:
        p = s.preconditions
        parts.append(
            _section(
                _("Possibilities"),
                [
                    (_("profile skills"), _join(s.profile_skills)),
                    (_("employer role"), p.employer_role),
                    (_("werkbedrijf role"), p.werkbedrijf_role),
                    (
                        _("commitment possible"),
                        _("job guarantee") if p.guarantee_possible else _("intention to hire only"),
                    ),
                    (_("learning location"), p.learning_location),
                    (_("training institute"), p.training_institute or "—"),
                ],
            )
        )
    if s.agreement is not None:
        a = s.agreement
        training = [
            f"{t.institute}: {t.course}" + (_(" (paid by employer)") if t.paid_by_employer else "")
            for t in a.training
        ]
        parts.append(
            _section(
                _("Agreement"),
                [
                    (_("commitment"), a.commitment.value),
                    (_("duration"), _("{weeks} weeks").format(weeks=a.duration_weeks)),
                    (
                        _("placements"),
                        _join(
                            [f"{p.name} {p.weeks} wk × {p.hours_per_week} h" for p in a.placements]
                        ),
                    ),
                    (_("training"), _join(training)),
                    (_("budget"), f"EUR {a.budget_eur:,}"),
                    (_("signed by"), _join([x.value for x in a.signed_by])),
                ],
            )
        )
    if s.candidate is not None:
        c = s.candidate
        parts.append(
            _section(
                _("Candidate"),
                [
                    (_("reference"), c.candidate_ref),
                    *_personal_rows(personal),
                    (_("skills"), _join(c.skills)),
                    (_("language level"), c.language_level or "—"),
                    (_("open barriers"), _join([b.value for b in s.open_barriers])),
                ],
            )
        )
    if s.learning_started_at is not None:
        pending = s.evaluation_pending_since
        parts.append(
            _section(
                _("Learning in"),
                [
                    (_("started"), when(s.learning_started_at)),
                    (_("ends"), when(s.learning_ends_at)),
                    (_("weeks"), str(s.learning_weeks)),
                    (_("ended"), _yes_no(s.learning_ended)),
                    (_("benefits retained"), _yes_no(s.benefits_retained)),
                    (
                        _("benefits kept until"),
                        when(s.benefit_retention_ends_at),
                    ),
                    (_("next evaluation"), when(s.next_evaluation_at)),
                    (_("evaluation due since"), when(pending) if pending else "—"),
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
        (_("handed over"), f"{h.from_programme_id} → {h.to_programme_id} {when(h.at)}")
        for h in s.handovers
    ]
    if s.work_to_work is not None:
        w = s.work_to_work
        within = s.placed_within_goal
        goal = _yes_no(within)
        rows += [
            (_("outgoing employer"), w.outgoing_employer_id),
            (_("dismissal date"), w.dismissal_date.isoformat()),
            (_("new job within the goal"), goal),
        ]
    return rows


def _history_tables(s: trajectory.Trajectory) -> list[RenderableType]:
    found: list[RenderableType] = []
    if s.placements:
        found.append(
            _table(
                _("Placements"),
                ["#", _("name"), _("hours/week"), _("started"), _("as agreed"), _("ladder")],
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
                _("Evaluations"),
                [_("at"), _("verdict"), _("employer present")],
                [[when(e.at), e.verdict.value, _yes_no(e.employer_present)] for e in s.evaluations],
            )
        )
    if s.open_calamities:
        found.append(
            _table(
                _("Open calamities"),
                ["#", _("kind"), _("since")],
                [[str(c.number), c.kind.value, when(c.recorded_at)] for c in s.open_calamities],
            )
        )
    if s.escalations:
        found.append(
            _table(
                _("Escalations"),
                ["#", _("at"), _("reason"), _("message"), _("resolved")],
                [
                    [str(n), when(e.at), e.reason.value, e.message, when(e.resolved_at)]
                    for n, e in enumerate(s.escalations, start=1)
                ],
            )
        )
    if s.employer_answers:
        found.append(
            _table(
                _("Employer's answers"),
                [_("at"), _("future job"), _("about"), _("answer"), _("reason")],
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
                _("Work-study job") if j.work_study else _("Regular job"),
                [
                    (_("employer"), j.employer_id),
                    (
                        _("hours per week"),
                        f"{j.contract_hours_per_week}" + (_(" (small contract)") if small else ""),
                    ),
                    (_("start date"), j.start_date.isoformat()),
                    (
                        _("wage-cost subsidy (LKS)"),
                        f"{j.wage_cost_subsidy_pct}%" if j.wage_cost_subsidy_pct else _("none"),
                    ),
                    (_("benefit"), _(BENEFIT_WORDS[j.benefit_end_kind])),
                    *(
                        []
                        if s.checkpoints
                        else [
                            (_("follow-up due"), when(s.follow_up_at)),
                            (_("follow-up pending"), _yes_no(s.follow_up_pending)),
                        ]
                    ),
                ],
            )
        )
    found.extend(_aftercare(s))
    if s.closed_at is not None:
        found.append(
            _section(
                _("Outcome"),
                [
                    (_("closed"), when(s.closed_at)),
                    (_("reason"), s.closure_reason or "—"),
                    (_("outcome"), s.outcome_type.value if s.outcome_type else "—"),
                    (_("lasting placement"), _yes_no(s.lasting_placement)),
                ],
            )
        )
    return found


BENEFIT_WORDS = {
    trajectory.BenefitEnd.FULLY: N_("ended fully"),
    trajectory.BenefitEnd.PARTLY: N_("ended partly: benefit dependence continues"),
    trajectory.BenefitEnd.CONTINUES: N_("continues"),
    trajectory.BenefitEnd.NOT_APPLICABLE: N_("does not apply (no benefit)"),
}


def _aftercare(s: trajectory.Trajectory) -> list[RenderableType]:
    """The wage-cost subsidy and the follow-up checkpoints after the job."""
    found: list[RenderableType] = []
    lks = s.wage_cost_subsidy
    if lks is not None:
        a = lks.assessment
        found.append(
            _section(
                _("Wage-cost subsidy (LKS)"),
                [
                    (_("subsidy"), f"{lks.subsidy_pct}%" if lks.subsidy_pct else _("ended")),
                    (_("wage value"), f"{a.wage_value_pct}%"),
                    (_("assessed"), _("{on} by {who}").format(on=a.assessed_on, who=a.assessed_by)),
                    (_("decided"), lks.decided_on.isoformat()),
                    (_("re-assessment"), lks.reassess_on.isoformat() if lks.reassess_on else "—"),
                    (_("re-assessment due now"), _yes_no(lks.reassessment_due)),
                    (_("re-assessments so far"), str(lks.reassessments)),
                ],
            )
        )
    if s.checkpoints:
        found.append(
            _table(
                _("Checkpoints"),
                [
                    _("months"),
                    _("due"),
                    _("status"),
                    _("still employed"),
                    _("hours/week"),
                    _("benefit"),
                ],
                [
                    [
                        str(p.month),
                        when(p.due_at),
                        _("recorded")
                        if p.recorded_at
                        else _("missed")
                        if p.missed
                        else _("due")
                        if p.due
                        else _("coming"),
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


TASK_KINDS = {
    "silent-employer": N_("silent employer"),
    "mail-failed": N_("mail not delivered"),
    "calamity": N_("calamity"),
    "evaluation-missed": N_("evaluation missed"),
    "vacancy-in-doubt": N_("vacancy in doubt"),
    "escalation": N_("escalation"),
    "place-lost": N_("place lost"),
    "cohort-step": N_("cohort milestone"),
}
TASK_STATUSES = {
    "open": N_("open"),
    "acknowledged": N_("acknowledged"),
    "resolved": N_("resolved"),
}


def task_kind(code: str) -> str:
    """A task's kind in the coach's language (the code itself when it has no name)."""
    return _(TASK_KINDS[code]) if code in TASK_KINDS else code


def task_status(code: str) -> str:
    return _(TASK_STATUSES[code]) if code in TASK_STATUSES else code
