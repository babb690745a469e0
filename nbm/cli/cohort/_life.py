"""The life of a cohort as its coach records it: the group start, the selection day, BBL
hires, places that change, drop-outs, and the confirmation of the assignment."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Annotated, Any

import typer

from domain import cohort, trajectory
from domain.shared import COACH_TIME_ZONE, DomainError
from nbm import service
from nbm import stream_service as streams
from nbm.i18n import N_, _
from workflows.stream_messages import COHORT_WORKFLOW

from .._common import (
    AsJson,
    CliError,
    RequestId,
    actor,
    build,
    check_generated,
    generated_id,
    new_request,
    parse_date,
    print_json,
    repeat_with,
    run,
)
from .._keys import seal_stream_text

app = typer.Typer()

CohortId = Annotated[str, typer.Argument(help="The cohort's id (coh-...).")]
Reason = Annotated[str, typer.Option(help="Why (sealed).")]
CALENDAR_OPTIONS = {
    "selection_day_on": "--selection-day", "year_two_on": "--year-two", "ends_on": "--ends-on",
    "starts_on": "--starts-on", "": "the calendar",
}  # fmt: skip


def _pair(value: str, option: str) -> tuple[str, str]:
    head, sep, tail = value.partition("=")
    if not sep or not head.strip() or not tail.strip():
        raise CliError(
            _("{option}: {value!r} is not A=B; use A=B").format(option=option, value=value[:40])
        )
    return head.strip(), tail.strip()


def _done(result: streams.StreamResult, as_json: bool, what: str) -> None:
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        types = ", ".join(result.event_types) or _("recorded already")
        typer.echo(f"{result.stream_id}: {_(what)} ({types})")


def _send(cohort_id: str, command: cohort.AnyCommand, rid: str, reason: str | None = None) -> Any:
    """Send one command; a reason typed by a person goes sealed with the cohort's own key."""

    async def work(client: Any, config: Any) -> Any:
        found = command
        if reason is not None:
            sealed = await seal_stream_text(config, cohort_id, reason.strip())
            found = command.model_copy(update={"reason": sealed})
        return await streams.cohort_command(client, cohort_id, found)

    return run(work, request_id=rid)


@app.command("start")
def start(
    ctx: typer.Context,
    year: Annotated[int, typer.Option(help="The cohort's year (edition year).")],
    name: Annotated[str, typer.Option(help="The name, e.g. 'WijkLeerbedrijf Zorg 2026'.")],
    candidate: Annotated[
        list[str], typer.Option(help="A trajectory of the group (repeat; traj-...).")
    ],
    employer: Annotated[
        list[str],
        typer.Option(
            help=(
                "Employer=future job (repeat; emp-...=fj-...); the places are that future "
                "job's jobs."
            )
        ),
    ],
    starts_on: Annotated[
        str | None, typer.Option(help="The group's start (YYYY-MM-DD); default today.")
    ] = None,
    selection_day: Annotated[
        str | None, typer.Option(help="The selection day (YYYY-MM-DD); default after 40 weeks.")
    ] = None,
    year_two: Annotated[
        str | None,
        typer.Option(help=("The start of year 2, the BBL jobs; default after 52 weeks.")),
    ] = None,
    ends_on: Annotated[
        str | None, typer.Option(help="The end, the assignment (YYYY-MM-DD); after 100 weeks.")
    ] = None,
    programme: Annotated[str, typer.Option(help="The programme.")] = "wijkleerbedrijf",
    coach: Annotated[str | None, typer.Option(help="The cohort's work coach; default you.")] = None,
    cohort_id: Annotated[
        str | None, typer.Option("--id", help="Only to repeat: the id it printed.")
    ] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Start a cohort as a group: the introduction (4 weeks Leerhome), the selection day, BBL
    in year 2, the assignment at the end."""
    who, rid = actor(ctx), new_request(request_id)
    if cohort_id is None:
        cohort_id = generated_id("coh", request_id)
        repeat_with(ctx, "--id", cohort_id)
    else:
        check_generated(cohort_id, "coh", "--id")
    first = parse_date(starts_on, "--starts-on") if starts_on else _today()
    pairs = [_pair(e, "--employer") for e in employer]
    calendar = cohort.Schedule.wijkleerbedrijf(first).model_dump()
    for key, value, option in (
        ("selection_day_on", selection_day, "--selection-day"),
        ("year_two_on", year_two, "--year-two"),
        ("ends_on", ends_on, "--ends-on"),
    ):
        if value is not None:
            calendar[key] = parse_date(value, option)
    schedule = build(cohort.Schedule, options=CALENDAR_OPTIONS, **calendar)

    async def work(client: Any, config: Any) -> streams.StreamResult:
        await not_in_another_cohort(client, cohort_id, candidate)
        members = []
        for tid in candidate:
            state = await service.state(client, tid)
            if not state.programme.job_alongside_learning:
                raise CliError(
                    _(
                        "trajectory {tid} follows {programme_id}, whose programme has no "
                        "work-study job alongside learning"
                    ).format(tid=tid, programme_id=state.programme.programme_id)
                )
            ref = state.candidate.candidate_ref if state.candidate else None
            members.append(cohort.CohortCandidate(trajectory_id=tid, candidate_ref=ref))
        employers = []
        for employer_id, fj in pairs:
            job = await streams.future_job_state(client, fj)
            if job.employer_id != employer_id:
                raise CliError(
                    _("{fj} is {employer_id}'s, not {employer_id2}'s").format(
                        fj=fj, employer_id=job.employer_id, employer_id2=employer_id
                    )
                )
            # Its free places, and those its cohort's own candidates learn towards already.
            ours = len(set(job.attached) & set(candidate))
            employers.append(cohort.CohortEmployer(
                employer_id=employer_id, future_job_id=fj, planned_places=job.free_places + ours
            ))  # fmt: skip
        command = build(
            cohort.StartCohort, actor=who, request_id=rid, cohort_id=cohort_id, year=year,
            programme_id=programme, name=name, coach_id=coach or who,
            candidates=tuple(members), employers=tuple(employers),
            schedule=schedule,
        )  # fmt: skip
        return await streams.start_cohort(client, config.task_queue, command)

    result = run(work, request_id=rid)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        typer.echo(cohort_id)
        typer.echo(_("cohort started (request {rid})").format(rid=rid), err=True)


async def not_in_another_cohort(client: Any, cohort_id: str, trajectories: list[str]) -> None:
    """`CliError` if a running cohort other than `cohort_id` has one of the trajectories: a
    candidate learns in one group. (Two editions may still plan places of one future job.)"""
    ids = await streams.list_ids(client, COHORT_WORKFLOW, include_closed=False)
    others = [i for i, _ in ids if i != cohort_id]
    for other in await asyncio.gather(*(streams.cohort_state(client, i) for i in others)):
        shared = sorted({c.trajectory_id for c in other.candidates} & set(trajectories))
        if shared:
            raise CliError(
                _("trajectory {shared} is in cohort {cohort_id} already").format(
                    shared=shared[0], cohort_id=other.cohort_id
                )
            )


def _today() -> date:
    return datetime.now(COACH_TIME_ZONE).date()


@app.command("selection-day")
def selection_day(
    ctx: typer.Context,
    cohort_id: CohortId,
    candidate: Annotated[
        list[str] | None,
        typer.Option(help="Trajectory=employers in order of preference (traj-1=emp-b,emp-a)."),
    ] = None,
    employer: Annotated[
        list[str] | None,
        typer.Option(help="Employer=trajectories in order of preference (emp-a=traj-3,traj-1)."),
    ] = None,
    held_on: Annotated[
        str | None, typer.Option(help="The day (YYYY-MM-DD); default today.")
    ] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record the selection day: both sides' preferences."""
    rid = new_request(request_id)
    cps = [_pair(c, "--candidate") for c in candidate or []]
    eps = [_pair(e, "--employer") for e in employer or []]
    command = build(
        cohort.RecordSelectionDay, actor=actor(ctx), request_id=rid,
        held_on=parse_date(held_on, "--held-on") if held_on else _today(),
        # As plain data: `build` checks them and names the option of a bad one.
        candidates=tuple({"trajectory_id": t, "ranking": _list(r)} for t, r in cps),
        employers=tuple({"employer_id": e, "ranking": _list(r)} for e, r in eps),
    )  # fmt: skip
    _done(_send(cohort_id, command, rid), as_json, N_("selection day recorded"))


def _list(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


@app.command("hire")
def hire(
    ctx: typer.Context,
    cohort_id: CohortId,
    trajectory_id: Annotated[str, typer.Option("--trajectory", help="The trajectory (traj-...).")],
    employer: Annotated[str, typer.Option(help="The employer who hires (emp-...).")],
    hours: Annotated[int, typer.Option(help="Contract hours per week.")],
    start_date: Annotated[str, typer.Option(help="First working day (YYYY-MM-DD), in year 2.")],
    benefit_ended: Annotated[
        bool, typer.Option("--benefit-ended/--benefit-continues", help="Does the benefit end?")
    ] = False,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """An employer hires a candidate into a work-study job (BBL, year 2); the
    trajectory records it as a BBL job beside the learning."""
    who, rid = actor(ctx), new_request(request_id)
    first = parse_date(start_date, "--start-date")
    command = build(
        cohort.HireWorkStudy, actor=who, request_id=rid, trajectory_id=trajectory_id,
        employer_id=employer, start_date=first, contract_hours_per_week=hours,
        benefit_ended=benefit_ended,
    )  # fmt: skip

    async def checked(client: Any, _config: Any) -> None:
        # The trajectory must take the work-study job too: checked before the cohort has it.
        # Once the cohort has it (a retry), the cohort answers: it passed the job on itself.
        if trajectory_id in (await streams.cohort_state(client, cohort_id)).work_study:
            return
        state = await service.state(client, trajectory_id)
        job = trajectory.RecordRegularJob(
            actor=who, employer_id=employer, contract_hours_per_week=hours, start_date=first,
            benefit_ended=benefit_ended, work_study=True,
        )  # fmt: skip
        try:
            trajectory.decide(state, job, datetime.now(COACH_TIME_ZONE))
        except DomainError as err:
            raise CliError(
                _("trajectory {trajectory_id} refuses the work-study job: {message}").format(
                    trajectory_id=trajectory_id, message=err.message
                )
            ) from None

    run(checked)
    _done(_send(cohort_id, command, rid), as_json, N_("work-study hire"))


@app.command("places")
def places(
    ctx: typer.Context,
    cohort_id: CohortId,
    employer: Annotated[str, typer.Option(help="The employer (emp-...).")],
    count: Annotated[int, typer.Option("--places", help="The number of places now.")],
    reason: Reason,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """An employer offers another number of places than planned;
    at the end the others take over its candidates."""
    rid = new_request(request_id)
    command = build(
        cohort.ChangePlaces, actor=actor(ctx), request_id=rid, employer_id=employer,
        places=count, reason=reason,
    )  # fmt: skip
    _done(_send(cohort_id, command, rid, reason), as_json, N_("places changed"))


@app.command("drop-out")
def drop_out(
    ctx: typer.Context,
    cohort_id: CohortId,
    trajectory_id: Annotated[str, typer.Option("--trajectory", help="The trajectory (traj-...).")],
    reason: Annotated[cohort.DropOutReason, typer.Option(help="The reason (a category).")],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """A candidate leaves the cohort (drop-out)."""
    rid = new_request(request_id)
    command = build(
        cohort.RecordDropOut, actor=actor(ctx), request_id=rid, trajectory_id=trajectory_id,
        reason=reason,
    )  # fmt: skip
    _done(_send(cohort_id, command, rid), as_json, N_("dropped out"))


@app.command("confirm")
def confirm(
    ctx: typer.Context,
    cohort_id: CohortId,
    move: Annotated[
        list[str] | None,
        typer.Option(help="A change: trajectory=employer (repeat; traj-1=emp-b)."),
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why the changes (sealed).")] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Confirm the proposed assignment, with your changes and why; the
    candidates go to their employers' future jobs."""
    rid = new_request(request_id)
    moves = tuple(
        {"trajectory_id": t, "employer_id": e} for t, e in (_pair(m, "--move") for m in move or [])
    )
    if moves and not reason:
        raise CliError(_("--move: a change needs --reason (why)"))
    command = build(
        cohort.ConfirmAssignment, actor=actor(ctx), request_id=rid, moves=moves, reason=reason
    )
    _done(_send(cohort_id, command, rid, reason), as_json, N_("confirmed"))
