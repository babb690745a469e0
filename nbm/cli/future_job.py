"""`nbm future-job`: the jobs employers expect to create (toekomstige banen), the root the
method starts from: forecast, show, list, withdraw, fewer places, and the chase of the
employer's commitment for a trajectory."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from domain import future_job, trajectory
from domain.trajectory import Commitment, ProgrammeFileError
from nbm import programmes, service
from nbm import stream_service as streams
from nbm.i18n import N_, _
from workflows.stream_messages import FUTURE_JOB_WORKFLOW

from ._common import (
    AsJson,
    CliError,
    RequestId,
    actor,
    build,
    check_generated,
    console,
    generated_id,
    new_request,
    parse_date,
    print_json,
    repeat_with,
    run,
    when,
)
from ._keys import seal_free_text, seal_stream_text

app = typer.Typer(
    help="Future jobs: the jobs employers expect to create.",
    no_args_is_help=True,
)

FutureJobId = Annotated[str, typer.Argument(help="The future job's id (fj-...).")]
Reason = Annotated[str, typer.Option(help="Why (sealed).")]


def _done(result: streams.StreamResult, as_json: bool, what: str) -> None:
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        types = ", ".join(result.event_types) or _("recorded already")
        typer.echo(f"{result.stream_id}: {_(what)} ({types})")


@app.command("forecast")
def forecast(
    ctx: typer.Context,
    employer: Annotated[str, typer.Option(help="The employer's id (emp-...).")],
    function: Annotated[str, typer.Option(help="The function, e.g. 'Helpende zorg'.")],
    expected_date: Annotated[str, typer.Option(help="Expected by (YYYY-MM-DD), within 24 months.")],
    skill: Annotated[list[str], typer.Option(help="A required skill (repeat).")],
    jobs: Annotated[int, typer.Option(help="Number of jobs.")] = 1,
    commitment: Annotated[
        Commitment,
        typer.Option(help="job-guarantee or intention-to-hire."),
    ] = Commitment.INTENTION_TO_HIRE,
    demo_day_seconds: Annotated[
        int | None,
        typer.Option(
            help="Demo: a day lasts this many seconds (the ladder's days pass while you watch)."
        ),
    ] = None,
    programme: Annotated[
        str | None,
        typer.Option(
            help=(
                "The programme candidates learn towards it in: the check-ins follow its "
                "touchpoint cadence with the employer."
            ),
            show_default=False,
        ),
    ] = None,
    future_job_id: Annotated[
        str | None, typer.Option("--id", help="Only to repeat: the id it printed.")
    ] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """An employer expects jobs (forecast a future job)."""
    who, rid = actor(ctx), new_request(request_id)
    if future_job_id is None:
        future_job_id = generated_id("fj", request_id)
        repeat_with(ctx, "--id", future_job_id)
    else:
        check_generated(future_job_id, "fj", "--id")
    command = build(
        future_job.ForecastFutureJob, actor=who, request_id=rid, future_job_id=future_job_id,
        employer_id=employer, function=function, jobs=jobs,
        expected_on=parse_date(expected_date, "--expected-date"), required_skills=tuple(skill),
        commitment=commitment,
    )  # fmt: skip
    if programme is not None:
        try:
            every = programmes.programme(programme).touchpoint_every_weeks
        except KeyError as err:
            raise CliError(_("--programme: {args}").format(args=err.args[0])) from None
        except ProgrammeFileError as err:
            raise CliError(_("programme file refused: {err}").format(err=err)) from None
        touchpoints = future_job.Touchpoints(check_in_weeks=every)
        command = command.model_copy(update={"touchpoints": touchpoints})
    if demo_day_seconds is not None:
        if not 1 <= demo_day_seconds <= 86400:
            raise CliError(_("--demo-day-seconds: from 1 to 86400"))
        command = command.model_copy(update={"day": timedelta(seconds=demo_day_seconds)})

    streams.check_new(future_job.decide, command, None)  # the date first: no server needed

    async def work(client: Any, config: Any) -> streams.StreamResult:
        await streams.employer_state(client, employer)  # it must exist
        return await streams.forecast(client, config.task_queue, command)

    result = run(work, request_id=rid)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        typer.echo(future_job_id)
        typer.echo(
            _("future job forecast (request {rid})").format(rid=rid),
            err=True,
        )


def future_job_json(s: future_job.FutureJob) -> dict[str, Any]:
    return {
        "future_job_id": s.future_job_id,
        "employer_id": s.employer_id,
        "function": s.function,
        "jobs": s.jobs,
        "expected_on": s.expected_on.isoformat(),
        "commitment": s.commitment.value,
        "status": s.status.value,
        "learning_towards_it": len(s.attached),
        "filled": len(s.filled),
        "places_left": s.places_left,
        "free_places": s.free_places,
        "without_place": s.without_place,
        "attached": list(s.attached),
        "chases": {
            tid: {
                "requested_on": c.requested_on.isoformat(),
                "reminders_sent": c.reminders_sent,
                "escalated": c.escalated,
                "answer": c.answer.value if c.answer else None,
                "next": (
                    {"step": c.pending[0].kind.value, "due_on": c.pending[0].due_on.isoformat()}
                    if c.pending
                    else None
                ),
            }
            for tid, c in s.chases.items()
        },
        "forecast_at": when(s.forecast_at),
        "touchpoints": s.touchpoints.model_dump(mode="json") if s.touchpoints else None,
        "version": s.version,
    }


@app.command("show")
def show(future_job_id: FutureJobId, as_json: AsJson = False) -> None:
    """Show a future job: places, candidates, commitments and where they stand."""
    data = future_job_json(run(lambda client, _: streams.future_job_state(client, future_job_id)))
    if as_json:
        print_json(data)
        return
    table = Table(show_header=False, show_edge=False)
    shown = ("future_job_id", "employer_id", "function", "jobs", "expected_on", "commitment",
             "status", "learning_towards_it", "filled", "free_places", "without_place")  # fmt: skip
    for key in shown:
        table.add_row(key.replace("_", " "), Text(str(data[key])))
    console().print(table)
    for tid, chase in data["chases"].items():
        following = chase["next"]
        state = (
            chase["answer"] or ("escalated" if chase["escalated"] else "")
        ) or f"next {following['step']} on {following['due_on']}"
        typer.echo(
            _(
                "commitment for {tid}: asked {requested_on}, {reminders_sent} reminder(s), {state}"
            ).format(
                tid=tid,
                requested_on=chase["requested_on"],
                reminders_sent=chase["reminders_sent"],
                state=state,
            )
        )


@app.command("list")
def list_(
    closed: Annotated[bool, typer.Option("--all", help="Also closed ones.")] = False,
    as_json: AsJson = False,
) -> None:
    """Every open future job."""

    async def work(client: Any, _: Any) -> list[future_job.FutureJob]:
        ids = await streams.list_ids(client, FUTURE_JOB_WORKFLOW, include_closed=closed)
        return list(await asyncio.gather(*(streams.future_job_state(client, i) for i, _ in ids)))

    rows = [future_job_json(s) for s in run(work)]
    if as_json:
        print_json(rows)
        return
    table = Table(show_edge=False)
    for column in (
        _("id"),
        _("employer"),
        _("function"),
        _("expected"),
        _("jobs"),
        _("learning"),
        _("free"),
        _("status"),
    ):
        table.add_column(column, no_wrap=column == _("id"))
    for r in rows:
        table.add_row(
            r["future_job_id"], r["employer_id"], Text(r["function"]), r["expected_on"],
            str(r["jobs"]), str(r["learning_towards_it"]), str(r["free_places"]), r["status"],
        )  # fmt: skip
    console().print(table)


def _send(ctx: typer.Context, future_job_id: str, cls: type, rid: str, **fields: Any) -> Any:
    """Send one command; a `reason` typed by a person goes sealed (it may name someone)."""
    command: Any = build(cls, actor=actor(ctx), request_id=rid, **fields)  # checked first

    async def work(client: Any, config: Any) -> Any:
        found = command
        if isinstance(fields.get("reason"), str):
            sealed = await seal_stream_text(config, future_job_id, fields["reason"].strip())
            found = command.model_copy(update={"reason": sealed})
        return await streams.future_job_command(client, future_job_id, found)

    return run(work, request_id=rid)


@app.command("withdraw")
def withdraw(
    ctx: typer.Context, future_job_id: FutureJobId, reason: Reason, request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:  # fmt: skip
    """The employer withdraws the job; the candidates need another place."""
    rid = new_request(request_id)
    _done(_send(ctx, future_job_id, future_job.WithdrawFutureJob, rid, reason=reason), as_json,
          N_("withdrawn"))  # fmt: skip


@app.command("reduce")
def reduce(
    ctx: typer.Context,
    future_job_id: FutureJobId,
    jobs: Annotated[int, typer.Option(help="The new, lower number of jobs.")],
    reason: Reason,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Fewer places than estimated."""
    rid = new_request(request_id)
    _done(_send(ctx, future_job_id, future_job.ReduceJobs, rid, jobs=jobs, reason=reason),
          as_json, N_("fewer places"))  # fmt: skip


@app.command("request-commitment")
def request_commitment(
    ctx: typer.Context,
    future_job_id: FutureJobId,
    trajectory_id: Annotated[str, typer.Option("--trajectory", help="For which trajectory.")],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Ask the employer for its commitment; reminders after 5 and 10 working days, then the
    account manager (chased on the ladder)."""
    rid = new_request(request_id)

    async def checked(client: Any, _config: Any) -> None:
        # The trajectory must exist, and the employer have someone to mail.
        await service.state(client, trajectory_id)
        job = await streams.future_job_state(client, future_job_id)
        if not (await streams.employer_state(client, job.employer_id)).contacts:
            raise CliError(
                _(
                    "employer {employer_id} has no contact to mail: add one with `nbm "
                    "employer add-contact`"
                ).format(employer_id=job.employer_id)
            )

    run(checked)
    result = _send(
        ctx, future_job_id, future_job.RequestCommitment, rid, trajectory_id=trajectory_id
    )
    _done(result, as_json, N_("commitment requested"))


@app.command("move-chase")
def move_chase(
    ctx: typer.Context,
    future_job_id: FutureJobId,
    trajectory_id: Annotated[str, typer.Option("--trajectory", help="For which trajectory.")],
    to: Annotated[str, typer.Option(help="The new date of the next step (YYYY-MM-DD).")],
    reason: Reason,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Move the next reminder; the steps after it move along (move a deadline)."""
    rid = new_request(request_id)
    _done(_send(ctx, future_job_id, future_job.MoveChase, rid, trajectory_id=trajectory_id,
                to=parse_date(to, "--to"), reason=reason), as_json, N_("moved"))  # fmt: skip


@app.command("decide")
def decide(
    ctx: typer.Context,
    future_job_id: FutureJobId,
    trajectory_id: Annotated[
        str, typer.Option("--trajectory", help=("The trajectory without a place."))
    ],
    move_to: Annotated[
        str | None, typer.Option(help="To this future job of another employer.")
    ] = None,
    work_study: Annotated[
        bool, typer.Option("--work-study", help="Learns on in a work-study job (BBL) elsewhere.")
    ] = False,
    follow_on_education: Annotated[
        bool, typer.Option("--follow-on-education", help="Goes on with follow-on education.")
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option(help="With --move-to: why (sealed)."),
    ] = None,
    request_id: RequestId = None,
) -> None:
    """The coach decides on a candidate without a place (the fallback): another employer,
    learning on in a work-study job (BBL), or follow-on education. Recorded with who and why."""
    who, rid = actor(ctx), new_request(request_id)
    if sum((move_to is not None, work_study, follow_on_education)) != 1:
        raise CliError(_("choose one of --move-to, --work-study, --follow-on-education"))
    if move_to is not None and not reason:
        raise CliError(_("--move-to: give --reason (why this employer)"))
    if move_to is None and reason:
        raise CliError(_("--reason goes with --move-to"))
    why = (
        future_job.DetachReason.OTHER_EMPLOYER if move_to is not None
        else future_job.DetachReason.WORK_STUDY if work_study
        else future_job.DetachReason.FOLLOW_ON_EDUCATION
    )  # fmt: skip

    async def work(client: Any, config: Any) -> list[str]:
        done: list[str] = []
        lost = await streams.future_job_state(client, future_job_id)
        chase = lost.chases.get(trajectory_id)
        declined = chase is not None and chase.answer is future_job.CommitmentAnswer.DECLINED
        if not lost.closed and trajectory_id not in lost.attached:
            raise CliError(
                _("{trajectory_id} does not learn towards {future_job_id}").format(
                    trajectory_id=trajectory_id, future_job_id=future_job_id
                )
            )
        if not (lost.closed or lost.without_place > 0 or declined):
            raise CliError(
                _(
                    "{trajectory_id} has a place at {future_job_id}: there is nothing to "
                    "decide (no place was lost)"
                ).format(trajectory_id=trajectory_id, future_job_id=future_job_id)
            )
        if lost.closed and move_to is None:
            raise CliError(
                _(
                    "{future_job_id} is {value}: the candidate is free of it already; "
                    "record it with `nbm trajectory record-regular-job --work-study` or "
                    "`nbm trajectory record-follow-on-education`"
                ).format(future_job_id=future_job_id, value=lost.status.value)
            )
        if move_to is not None:
            # Checked before anything is written: a candidate matched (the proposal needs
            # one) and a free place at the other future job.
            target = await streams.future_job_state(client, move_to)
            state = await service.state(client, trajectory_id)
            if state.candidate is None:
                raise CliError(
                    _(
                        "trajectory {trajectory_id} has no candidate yet (step 4): choose "
                        "--work-study or --follow-on-education, or match first"
                    ).format(trajectory_id=trajectory_id)
                )
            if target.free_places < 1:
                raise CliError(_("{move_to} has no free place").format(move_to=move_to))
            await streams.future_job_command(
                client, move_to,
                future_job.AttachCandidate(actor=who, request_id=f"{rid}.a",
                                           trajectory_id=trajectory_id),
            )  # fmt: skip
            sealed = await seal_free_text(config, state, reason or "")
            await service.send(
                client, trajectory_id,
                trajectory.ProposeOtherEmployer(actor=who, request_id=f"{rid}.p",
                                                employer_id=target.employer_id, reason=sealed),
            )  # fmt: skip
            done.append(
                _("proposed to {employer} ({future_job})").format(
                    employer=target.employer_id, future_job=move_to
                )
            )
        if not lost.closed:  # withdrawn: everyone let go of it already
            await streams.future_job_command(
                client, future_job_id,
                future_job.DetachCandidate(actor=who, request_id=f"{rid}.d",
                                           trajectory_id=trajectory_id, reason=why),
            )  # fmt: skip
            done.append(
                _("detached from {future_job} ({why})").format(
                    future_job=future_job_id, why=why.value
                )
            )
        return done

    for line in run(work, request_id=rid):
        typer.echo(line)
