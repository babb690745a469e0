"""`nbm trajectory hand-over`: a trajectory continues in another programme (Werkfit into an
NBM programme), one history; towards a future job of its own stream or a job given whole."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from temporalio.client import Client

from domain import future_job, trajectory
from nbm import service
from nbm import stream_service as streams
from nbm.i18n import _
from nbm.settings import Settings

from .._common import (
    AsJson,
    CliError,
    RequestId,
    TrajectoryId,
    actor,
    build,
    new_request,
    option,
    parse_date,
    run,
)
from .._keys import seal_free_text
from ._lifecycle import chosen_programme
from ._send import show_result

app = typer.Typer()


@app.command("hand-over")
def hand_over(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    programme: Annotated[str, option("The programme it continues in.")],
    future_job_id: Annotated[str | None, option("The future job (its id).", "--future-job")] = None,
    employer: Annotated[str | None, option("Or the job itself: the employer's id.")] = None,
    function: Annotated[str | None, option("The job's function.")] = None,
    expected_date: Annotated[str | None, option("When the job is expected (YYYY-MM-DD).")] = None,
    skill: Annotated[list[str] | None, option("A required skill (repeat the option).")] = None,
    jobs: Annotated[int, option("How many such jobs.")] = 1,
    route: Annotated[
        trajectory.Route | None, option("The route; default: the programme's own.")
    ] = None,
    municipality: Annotated[
        str | None, option("The municipality whose benefit maximum applies.")
    ] = None,
    reason: Annotated[str | None, option("Why (free text: sealed).")] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Hand over into another programme (one history)."""
    who, rid = actor(ctx), new_request(request_id)
    chosen = chosen_programme(programme, municipality)
    the_route = route or chosen.route or trajectory.Route.SMALL_SCALE_GROWTH
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

    def command(job: dict[str, Any], text: Any = None) -> trajectory.HandOver:
        return build(
            trajectory.HandOver, actor=who, request_id=rid, programme=chosen, route=the_route,
            future_job=job, reason=text,
        )  # fmt: skip

    whole: dict[str, Any] | None = None
    if future_job_id is None:
        whole = {
            "employer_id": employer,
            "function": function,
            "expected_date": parse_date(expected_date or "", "--expected-date"),
            "number_of_jobs": jobs,
            "required_skills": tuple(skill or ()),
        }
        command(whole, reason)  # every option checked before anything connects

    async def work(client: Client, config: Settings) -> service.CommandResult:
        job = whole
        if job is None:
            assert future_job_id is not None
            found = await streams.future_job_state(client, future_job_id)
            job = {
                "employer_id": found.employer_id, "function": found.function,
                "expected_date": found.expected_on, "number_of_jobs": found.jobs,
                "required_skills": found.required_skills, "future_job_id": future_job_id,
            }  # fmt: skip
        text = None
        if reason is not None:
            state = await service.state(client, trajectory_id)
            text = await seal_free_text(config, state, reason.strip())
        handover = command(job, text)
        if future_job_id is None:
            return await service.send(client, trajectory_id, handover)
        await streams.future_job_command(
            client, future_job_id,
            future_job.AttachCandidate(actor=who, request_id=f"{rid}.attach",
                                       trajectory_id=trajectory_id),
        )  # fmt: skip
        try:
            return await service.send(client, trajectory_id, handover)
        except service.CommandRefused:
            await streams.future_job_command(
                client, future_job_id,
                future_job.DetachCandidate(
                    actor=who, request_id=f"{rid}.detach", trajectory_id=trajectory_id,
                    reason=future_job.DetachReason.HANDED_OVER,
                ),
            )  # fmt: skip
            raise

    show_result(run(work, request_id=rid), as_json)
