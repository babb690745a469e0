"""`nbm trajectory start`, `show`, `list` and `events`: a trajectory's life, seen from outside.

Each command is a thin sync wrapper around the service layer (`nbm.service`), which tests and
other tools call directly.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text
from temporalio.client import Client, WorkflowExecutionStatus

from activities.access_log import Purpose
from domain import future_job, trajectory
from domain.shared import DomainError
from nbm import programmes, service
from nbm import stream_service as streams
from nbm.i18n import _
from nbm.localize import localized
from nbm.settings import Settings

from .._common import (
    AsJson,
    CliError,
    Effective,
    RequestId,
    TrajectoryId,
    actor,
    build,
    check_generated,
    console,
    generated_id,
    new_request,
    parse_date,
    parse_effective,
    print_json,
    repeat_with,
    run,
    when,
)
from .._keys import reveal
from .._render import ERASED, Personal, result_json, state_json, state_view
from ._limit import caseload_check, exists

app = typer.Typer()

ROW_TIMEOUT = 3.0
"""Seconds `list` waits for one trajectory's step before it shows `?`."""


def chosen_programme(programme_id: str, municipality: str | None) -> trajectory.Programme:
    """The programme's template as the new trajectory keeps it (a file of the catalogue)."""
    try:
        return programmes.programme(programme_id, municipality)
    except KeyError as err:
        raise CliError(_("--programme: {args}").format(args=err.args[0])) from None
    except trajectory.ProgrammeFileError as err:
        raise CliError(_("programme file refused: {err}").format(err=err)) from None
    except DomainError as err:
        raise CliError(_("--municipality: {err}").format(err=localized(err))) from None


def work_to_work_start(
    outgoing_employer: str | None, dismissal_date: str | None
) -> dict[str, Any] | None:
    if outgoing_employer is None and dismissal_date is None:
        return None
    if outgoing_employer is None or dismissal_date is None:
        raise CliError(_("Van Werk naar Werk: give both --outgoing-employer and --dismissal-date"))
    return {
        "outgoing_employer_id": outgoing_employer,
        "dismissal_date": parse_date(dismissal_date, "--dismissal-date"),
    }


def new_trajectory_id(request_id: str | None = None) -> str:
    """A fresh id; random, so it never carries personal data."""
    return generated_id("traj", request_id)


# --- the list, one query per trajectory -------------------------------------------------


@dataclass(frozen=True)
class Row:
    trajectory_id: str
    status: str
    started: datetime
    step: str


async def list_rows(
    client: Client,
    *,
    include_closed: bool = False,
    limit: int = 100,
    coach: str | None = None,
    step: trajectory.Step | None = None,
) -> list[Row]:
    """The trajectories with their step; a step that cannot be read shows as `?`."""
    found = await service.list_trajectories(
        client, include_closed=include_closed, limit=limit, coach=coach, step=step
    )
    limiter = asyncio.Semaphore(8)

    async def row(
        trajectory_id: str, status: WorkflowExecutionStatus | None, run_started: datetime
    ) -> Row:
        async with limiter:
            try:
                state = await asyncio.wait_for(service.state(client, trajectory_id), ROW_TIMEOUT)
            except (service.ServiceError, TimeoutError):
                return Row(trajectory_id, _status(status), run_started, "?")
        return Row(trajectory_id, _status(status), state.started_at, state.step.value)

    rows = await asyncio.gather(*(row(t, s, at) for t, s, at in found))
    return sorted(rows, key=lambda r: r.started, reverse=True)


def _status(status: WorkflowExecutionStatus | None) -> str:
    return status.name.lower().replace("_", "-") if status else "?"


# --- commands ---------------------------------------------------------------------------


@app.command("start")
def start(
    ctx: typer.Context,
    future_job_id: Annotated[
        str | None,
        typer.Option(
            "--future-job",
            help="The future job (fj-...) it learns towards (nbm future-job list): its "
            "employer, function, date and skills are taken from it, and one of its places "
            "is promised to this trajectory.",
            show_default=False,
        ),
    ] = None,
    employer: Annotated[
        str | None,
        typer.Option(help="The employer's id (without --future-job).", show_default=False),
    ] = None,
    function: Annotated[
        str | None,
        typer.Option(help="The future job's function, e.g. 'Helpende zorg'.", show_default=False),
    ] = None,
    expected_date: Annotated[
        str | None,
        typer.Option(
            help="When the job is expected, YYYY-MM-DD, within 24 months.", show_default=False
        ),
    ] = None,
    skill: Annotated[
        list[str] | None,
        typer.Option(help="A skill the job requires (repeat; at least one).", show_default=False),
    ] = None,
    jobs: Annotated[int, typer.Option(help="How many such jobs are expected.")] = 1,
    route: Annotated[
        trajectory.Route | None,
        typer.Option(
            metavar="ROUTE",
            help="The route: " + ", ".join(r.value for r in trajectory.Route) + "; default: "
            "the programme's own, else small-scale-growth.",
            show_default=False,
        ),
    ] = None,
    programme: Annotated[
        str,
        typer.Option(help="The programme (a file each: see `nbm programme list`)."),
    ] = "standard",
    municipality: Annotated[
        str | None,
        typer.Option(
            help="The municipality whose maximum of learning with benefits applies.",
            show_default=False,
        ),
    ] = None,
    outgoing_employer: Annotated[
        str | None,
        typer.Option(
            help="Van Werk naar Werk: the employer the worker leaves (its id).",
            show_default=False,
        ),
    ] = None,
    dismissal_date: Annotated[
        str | None,
        typer.Option(
            help="Van Werk naar Werk: the dismissal date (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    coach: Annotated[
        str | None, typer.Option(help="The coach's id; default: the actor.", show_default=False)
    ] = None,
    trajectory_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Only to repeat a start: the id it printed. Default: a new traj-<random>.",
            show_default=False,
        ),
    ] = None,
    override_by: Annotated[
        str | None,
        typer.Option(
            help="Past the coach's caseload limit: the supervisor above the coach who allows "
            "it (their id in nbm people list); needs --override-reason.",
            show_default=False,
        ),
    ] = None,
    override_reason: Annotated[
        trajectory.OverrideReason | None,
        typer.Option(
            metavar="REASON",
            help="Why the supervisor allows it: "
            + ", ".join(r.value for r in trajectory.OverrideReason)
            + " (a code: no free text about a person).",
            show_default=False,
        ),
    ] = None,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Start a trajectory towards a future job (toekomstige baan in beeld, step 1).

    A trajectory already under way (an existing caseload) is entered with `--effective` on
    this and every later command: the dates it really happened, in order. A coach holds at
    most their caseload limit of open trajectories (nbm people); past it only with
    `--override-by` and `--override-reason`, which the start records.
    """
    who = actor(ctx)
    if (override_by is None) != (override_reason is None):
        raise CliError(_("give --override-by and --override-reason together"))
    repeat = trajectory_id is not None
    rid, at = new_request(request_id), parse_effective(effective)
    if trajectory_id is None:
        trajectory_id = new_trajectory_id(request_id)
        repeat_with(ctx, "--id", trajectory_id)  # a repeat must start this same trajectory
    else:
        check_generated(trajectory_id, "traj", "--id")
    chosen = chosen_programme(programme, municipality)
    route = route or chosen.route or trajectory.Route.SMALL_SCALE_GROWTH
    work_to_work = work_to_work_start(outgoing_employer, dismissal_date)
    given = [name for name, v in (("--employer", employer), ("--function", function),
             ("--expected-date", expected_date), ("--skill", skill)) if v]  # fmt: skip
    if future_job_id is not None and given:
        raise CliError(
            _("--future-job brings its own job: leave out {given}").format(given=", ".join(given))
        )
    if future_job_id is None and len(given) < 4:
        raise CliError(
            _(
                "give --future-job ID, or the job itself: --employer, --function, "
                "--expected-date and --skill"
            )
        )

    async def within_limit(client: Client, config: Settings) -> Any:
        """The override to record, if the coach's caseload is full (a refusal otherwise)."""
        if repeat and await exists(client, str(trajectory_id)):
            return None  # a repeat of a start that took: it is answered, not counted again
        return await caseload_check(
            client, config, coach or who, override_by=override_by, reason=override_reason
        )

    def start_command(
        job: dict[str, Any], override: trajectory.CaseloadOverride | None = None
    ) -> trajectory.StartTrajectory:
        return build(
            trajectory.StartTrajectory,
            actor=who,
            request_id=rid,
            effective_at=at,
            trajectory_id=trajectory_id,
            route=route,
            programme=chosen,
            coach_id=coach or who,
            future_job=job,
            work_to_work=work_to_work,
            caseload_override=override,
        )

    if future_job_id is None:
        command = start_command(
            {  # validated with the command, so an error names the option
                "employer_id": employer,
                "function": function,
                "expected_date": parse_date(expected_date or "", "--expected-date"),
                "number_of_jobs": jobs,
                "required_skills": tuple(skill or ()),
            }
        )

        async def plain_start(client: Client, config: Settings) -> service.CommandResult:
            override = await within_limit(client, config)
            limited = command.model_copy(update={"caseload_override": override})
            return await service.start_trajectory(client, config.task_queue, limited)

        result = run(plain_start, request_id=rid)
    else:
        fj_id = future_job_id

        async def attached_start(client: Any, config: Any) -> service.CommandResult:
            found = await streams.future_job_state(client, fj_id)
            override = await within_limit(client, config)
            command = start_command(
                {
                    "employer_id": found.employer_id,
                    "function": found.function,
                    "expected_date": found.expected_on,
                    "number_of_jobs": found.jobs,
                    "required_skills": found.required_skills,
                    "future_job_id": fj_id,
                },
                override,
            )
            # The start is checked before the place is claimed (a refused start takes none);
            # then the place: without a free one, nothing starts.
            service.check_start(command)
            await streams.future_job_command(
                client, fj_id,
                future_job.AttachCandidate(actor=who, request_id=f"{rid}.attach",
                                           trajectory_id=trajectory_id),
            )  # fmt: skip
            try:
                return await service.start_trajectory(client, config.task_queue, command)
            except service.CommandRefused:
                # Refused after all (its own clock differed): the place goes back.
                await streams.future_job_command(
                    client, fj_id,
                    future_job.DetachCandidate(
                        actor=who, request_id=f"{rid}.detach", trajectory_id=trajectory_id,
                        reason=future_job.DetachReason.DROPPED_OUT,
                    ),
                )  # fmt: skip
                raise

        result = run(attached_start, request_id=rid)
    if as_json:
        print_json(result_json(result))
    else:
        typer.echo(result.trajectory_id)  # alone on stdout, for scripts
        typer.echo(_("request {rid} (to repeat this start safely)").format(rid=rid), err=True)


@app.command("show")
def show(
    trajectory_id: TrajectoryId,
    as_json: AsJson = False,
    show_personal: Annotated[
        bool,
        typer.Option(
            "--show-personal",
            help="Open and show the candidate's personal data (needs the key store); the "
            "reading is logged with who and why (nbm audit access-log).",
        ),
    ] = False,
    purpose: Annotated[
        Purpose, typer.Option(help="Why you read the personal data (with --show-personal).")
    ] = Purpose.COACHING,
) -> None:
    """Show where a trajectory stands."""

    async def work(client: Client, config: Settings) -> tuple[trajectory.Trajectory, Personal]:
        state = await service.state(client, trajectory_id)
        # Only on request does `show` touch the candidate's key.
        if not show_personal or state.candidate is None:
            return state, None
        revealed = await reveal(config, state.candidate, purpose)
        return state, ERASED if revealed is None else revealed

    state, personal = run(work)
    if as_json:
        print_json(state_json(state, personal=personal))
    else:
        console().print(state_view(state, personal=personal))


@app.command("list")
def list_(
    include_closed: Annotated[
        bool, typer.Option("--all", help="Include closed trajectories.")
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    coach: Annotated[
        str | None, typer.Option(help="Only this coach's trajectories.", show_default=False)
    ] = None,
    step: Annotated[
        trajectory.Step | None, typer.Option(help="Only those in this step.", show_default=False)
    ] = None,
    as_json: AsJson = False,
) -> None:
    """List the trajectories with their step."""

    async def work(client: Client, _: Settings) -> list[Row]:
        return await list_rows(
            client, include_closed=include_closed, limit=limit, coach=coach, step=step
        )

    rows = run(work)
    if as_json:
        print_json(
            [
                {"trajectory_id": r.trajectory_id, "status": r.status,
                 "started": r.started.isoformat(), "step": r.step}
                for r in rows
            ]
        )  # fmt: skip
        return
    table = Table(show_edge=False)
    for column in (_("id"), _("status"), _("started"), _("step")):
        table.add_column(column)
    for r in rows:
        table.add_row(Text(r.trajectory_id), r.status, when(r.started), r.step)
    console().print(table if rows else "no trajectories")


@app.command("events")
def events(trajectory_id: TrajectoryId, as_json: AsJson = False) -> None:
    """Show the events of the trajectory's current run."""
    found = run(lambda client, _: service.run_events(client, trajectory_id))
    # Type, version, time and actor only: event bodies can hold personal data.
    if as_json:
        print_json(
            [
                {"version": e.version, "type": e.type,
                 "occurred_at": e.occurred_at.isoformat(), "actor": e.actor}
                for e in found
            ]
        )  # fmt: skip
        return
    table = Table(show_edge=False)
    for column in (_("version"), _("type"), _("time"), _("actor")):
        table.add_column(column)
    for e in found:
        table.add_row(str(e.version), e.type, when(e.occurred_at), Text(e.actor))
    console().print(table if found else _("no events in this run"))
