"""What a person reads of the cohorts: one edition (`show`), every edition's lessons side by
side (`list`), and the assignment proposed, or what it would be now (`assign`)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import typer
from rich.table import Table

from domain import cohort
from nbm import stream_service as streams
from nbm.i18n import N_, _
from workflows.stream_messages import COHORT_WORKFLOW

from .._common import AsJson, RequestId, actor, console, new_request, print_json, run, when
from ._life import CohortId, _done

app = typer.Typer()


def cohort_json(s: cohort.Cohort) -> dict[str, Any]:
    return {
        "cohort_id": s.cohort_id,
        "year": s.year,
        "name": s.name,
        "programme_id": s.programme_id,
        "coach_id": s.coach_id,
        "phase": s.phase.value,
        "schedule": s.schedule.model_dump(mode="json"),
        "next_milestone": s.next_milestone.value if s.next_milestone else None,
        "reached": [m.value for m in s.reached],
        "candidates": [c.trajectory_id for c in s.candidates],
        "dropped_out": {t: r.value for t, r in s.dropped_out.items()},
        "employers": [
            {
                "employer_id": e.employer_id,
                "future_job_id": e.future_job_id,
                "planned_places": e.planned_places,
                "places": s.places[e.employer_id],
                "work_study_hires": sorted(
                    t for t, job in s.work_study.items() if job.employer_id == e.employer_id
                ),
            }
            for e in s.employers
        ],
        "preferences": {
            "candidates": {t: list(r) for t, r in s.candidate_preferences.items()},
            "employers": {e: list(r) for e, r in s.employer_preferences.items()},
        },
        "proposal": _assignment(s, s.proposal),
        "confirmed": _assignment(s, s.confirmed),
        "confirmed_by": s.confirmed_by,
        "moves": [m.model_dump() for m in s.moves],
        "lessons": cohort.lessons(s).model_dump(mode="json"),
        "started_at": when(s.started_at),
        "version": s.version,
    }


def _assignment(s: cohort.Cohort, a: cohort.Assignment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "placements": [p.model_dump() for p in a.placements],
        "unplaced": list(a.unplaced),
        "preference_cost": cohort.preference_cost(s, a),
    }


@app.command("show")
def show(cohort_id: CohortId, as_json: AsJson = False) -> None:
    """Show a cohort: phase, calendar, employers and places, BBL, the assignment."""
    state = run(lambda client, _: streams.cohort_state(client, cohort_id))
    data = cohort_json(state)
    if as_json:
        print_json(data)
        return
    active, everyone = len(state.active), len(state.candidates)
    typer.echo(
        _("{name} {year} ({cohort_id}): {phase}, {active} of {everyone} candidates").format(
            name=data["name"],
            year=data["year"],
            cohort_id=cohort_id,
            phase=data["phase"],
            active=active,
            everyone=everyone,
        )
    )
    for m in cohort.MILESTONES:
        done = "✓" if m in state.reached else " "
        typer.echo(f"  [{done}] {m.value}: {state.schedule.on(m)}")
    table = Table(show_edge=False)
    for column in (_("employer"), _("future job"), _("planned"), _("places"), _("BBL")):
        table.add_column(column)
    for e in data["employers"]:
        table.add_row(e["employer_id"], e["future_job_id"], str(e["planned_places"]),
                      str(e["places"]), str(len(e["work_study_hires"])))  # fmt: skip
    console().print(table)
    standing = state.confirmed or state.proposal
    if standing is not None:
        what = _("confirmed") if state.confirmed else _("proposed")
        typer.echo(_("assignment {what}:").format(what=what))
        _print_assignment(standing)


def _print_assignment(a: cohort.Assignment) -> None:
    table = Table(show_edge=False)
    for column in (_("trajectory"), _("employer"), _("its choice"), _("employer's"), _("BBL")):
        table.add_column(column, no_wrap=column == _("trajectory"))
    for p in a.placements:
        table.add_row(
            p.trajectory_id, p.employer_id, _rank(p.candidate_rank), _rank(p.employer_rank),
            "ja" if p.work_study else "",
        )  # fmt: skip
    console().print(table)
    if a.unplaced:
        typer.echo(
            _("no place (every place taken): {unplaced}").format(unplaced=", ".join(a.unplaced))
        )


def _rank(rank: int | None) -> str:
    return "-" if rank is None else str(rank + 1)


@app.command("list")
def list_(
    closed: Annotated[bool, typer.Option("--all/--open", help="Also closed ones, or not.")] = True,
    as_json: AsJson = False,
) -> None:
    """Every cohort, by year: the lessons of one beside the next (placement rate,
    drop-outs, places)."""

    async def work(client: Any, _: Any) -> list[cohort.Cohort]:
        ids = await streams.list_ids(client, COHORT_WORKFLOW, include_closed=closed)
        return list(await asyncio.gather(*(streams.cohort_state(client, i) for i, _ in ids)))

    found = sorted(run(work), key=lambda s: (s.year, s.started_at))
    rows = [cohort.lessons(s).model_dump(mode="json") for s in found]
    if as_json:
        print_json(rows)
        return
    table = Table(show_edge=False)
    for column in (
        _("year"),
        _("cohort"),
        _("phase"),
        _("candidates"),
        _("dropped out"),
        _("BBL"),
        _("places"),
        _("placed"),
        _("rate"),
        _("moved by a person"),
    ):
        table.add_column(column, no_wrap=column == _("cohort"))
    for r in rows:
        rate = "-" if r["placement_rate"] is None else f"{r['placement_rate']:.0%}"
        table.add_row(
            str(r["year"]), r["cohort_id"], r["phase"], str(r["candidates"]),
            str(r["dropped_out"]), str(r["work_study_hires"]),
            f"{r['places_now']}/{r['places_planned']}",
            "-" if r["placed"] is None else str(r["placed"]), rate,
            "-" if r["moved_by_a_person"] is None else str(r["moved_by_a_person"]),
        )  # fmt: skip
    console().print(table)


@app.command("assign")
def assign(
    ctx: typer.Context,
    cohort_id: CohortId,
    propose: Annotated[
        bool, typer.Option("--propose", help="Record the computed assignment as the proposal.")
    ] = False,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """The assignment of candidates to the places: the proposal, or what it would be now
    (optimal, by the Hungarian method; nobody without a place while a place is free)."""
    state = run(lambda client, _: streams.cohort_state(client, cohort_id))
    computed = cohort.assignment_for(state)
    if propose:
        rid = new_request(request_id)
        command = cohort.ProposeAssignment(actor=actor(ctx), request_id=rid, assignment=computed)
        result = run(lambda client, _: streams.cohort_command(client, cohort_id, command),
                     request_id=rid)  # fmt: skip
        _done(result, as_json, N_("proposed"))
        return
    standing = state.proposal or computed
    label = _("proposed") if state.proposal else _("preview, computed now")
    if as_json:
        print_json({"cohort_id": cohort_id, "standing": state.proposal is not None,
                    **(_assignment(state, standing) or {})})  # fmt: skip
        return
    typer.echo(
        _("{cohort_id}: {label}; preference cost {state}").format(
            cohort_id=cohort_id, label=label, state=cohort.preference_cost(state, standing)
        )
    )
    _print_assignment(standing)
