"""`nbm match profile`: candidate and function profiles (the personal parts sealed)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from domain import matching
from nbm import matching as service
from nbm import stream_service as streams
from nbm.i18n import _
from nbm.localize import localized
from nbm.service import ServiceError

from .._common import (
    AsJson,
    CliError,
    RequestId,
    actor,
    build,
    check_generated,
    generated_id,
    new_request,
    print_json,
    repeat_with,
    run,
)
from .._keys import seal_stream_text
from ._shared import Days, EscoDir, Skills, checked_text, uris_of, vocab_of

app = typer.Typer(help="Profiles of candidates and functions.", no_args_is_help=True)


@app.command("candidate")
def profile_candidate(
    ctx: typer.Context,
    candidate_ref: Annotated[
        str | None,
        typer.Argument(
            help=(
                "The candidate's reference (cand-..., from `nbm trajectory match`); without: a "
                "new one."
            )
        ),
    ] = None,
    skill: Skills = None,
    interest: Annotated[
        list[matching.Sector] | None, typer.Option(help="Interest: a sector (repeat).")
    ] = None,
    hours: Annotated[int, typer.Option(help="Available, hours per week.")] = 0,
    day: Days = None,
    region: Annotated[
        list[str] | None, typer.Option(help="A place or region within reach (repeat).")
    ] = None,
    driving_licence: Annotated[bool, typer.Option(help="Driving licence.")] = False,
    own_transport: Annotated[
        bool, typer.Option(help="Own transport (car, scooter, bicycle).")
    ] = False,
    public_transport: Annotated[bool, typer.Option(help="Can travel by public transport.")] = True,
    strengths: Annotated[
        str | None,
        typer.Option(help="Strengths and challenges (personal: sealed, not counted)."),
    ] = None,
    esco_dir: EscoDir = None,
    request_id: RequestId = None,
) -> None:
    """Record a candidate profile, or replace it."""
    who, rid, vocab = actor(ctx), new_request(request_id), vocab_of(esco_dir)
    uris = uris_of(skill, vocab)
    if strengths is not None:
        strengths = checked_text(strengths, "--strengths")
    if candidate_ref is None:
        candidate_ref = generated_id("cand")
        repeat_with(ctx, candidate_ref)  # a repeat must record this same one
    ref = check_generated(candidate_ref, "cand", "CANDIDATE_REF")

    async def work(client: Any, config: Any) -> streams.StreamResult:
        sealed = await seal_stream_text(config, ref, strengths) if strengths else None
        candidate = build(
            matching.CandidateProfile, candidate_ref=ref, skills=uris,
            interests=tuple(interest or ()),
            availability={"hours_per_week": hours, "days": tuple(day or ())},
            mobility={"regions": tuple(region or ()), "driving_licence": driving_licence,
                      "own_transport": own_transport, "public_transport": public_transport},
            strengths_and_challenges=sealed,
        )  # fmt: skip
        command = matching.RecordCandidateProfile(actor=who, request_id=rid, profile=candidate)
        return await streams.matching_command(client, config.task_queue, command)

    result = run(work, request_id=rid)
    typer.echo(_("{ref}: profile recorded (v{version})").format(ref=ref, version=result.version))


@app.command("function")
def profile_function(
    ctx: typer.Context,
    profile_id: Annotated[
        str | None, typer.Argument(help="The id (default fp-<future job>).")
    ] = None,
    future_job: Annotated[
        str | None,
        typer.Option(help="Make it from this future job: function, employer, sector, skills."),
    ] = None,
    function: Annotated[
        str | None, typer.Option(help="The function (required without --future-job).")
    ] = None,
    skill: Skills = None,
    optional_skill: Annotated[
        list[str] | None, typer.Option(help="A wanted skill (repeat).")
    ] = None,
    sector: Annotated[matching.Sector | None, typer.Option(help="The sector.")] = None,
    hours: Annotated[int, typer.Option(help="Hours per week.")] = 32,
    day: Days = None,
    region: Annotated[str | None, typer.Option(help="Place or region of the work.")] = None,
    needs_driving_licence: Annotated[bool, typer.Option(help="Driving licence needed.")] = False,
    public_transport_reachable: Annotated[
        bool, typer.Option(help=("Reachable by public transport."))
    ] = True,
    esco_dir: EscoDir = None,
    request_id: RequestId = None,
) -> None:
    """Record a function profile, also from a future job."""
    who, rid, vocab = actor(ctx), new_request(request_id), vocab_of(esco_dir)
    fields: dict[str, Any] = {
        "optional_skills": uris_of(optional_skill, vocab), "hours_per_week": hours,
        "days": tuple(day or ()), "region": region, "sector": sector,
        "needs_driving_licence": needs_driving_licence,
        "public_transport_reachable": public_transport_reachable,
    }  # fmt: skip
    if profile_id is not None:
        fields["profile_id"] = profile_id
    if future_job is None:
        if profile_id is None or function is None:
            raise CliError(_("give an id and --function, or --future-job"))
        fields.update(function=function, required_skills=uris_of(skill, vocab))

    async def work(client: Any, config: Any) -> tuple[str, streams.StreamResult]:
        if future_job is not None:
            try:
                made = await service.function_from_future_job(client, future_job, vocab, **fields)
            except ServiceError as err:
                raise CliError(localized(err)) from None
            extra = uris_of(skill, vocab)
            made = made.model_copy(
                update={"required_skills": tuple(sorted({*made.required_skills, *extra}))}
            )
        else:
            made = build(matching.FunctionProfile, **fields)
        command = matching.RecordFunctionProfile(actor=who, request_id=rid, profile=made)
        return made.profile_id, await streams.matching_command(client, config.task_queue, command)

    pid, result = run(work, request_id=rid)
    typer.echo(_("{pid}: profile recorded (v{version})").format(pid=pid, version=result.version))


@app.command("remove")
def profile_remove(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="cand-... (a candidate) or fp-... (a function).")],
    request_id: RequestId = None,
) -> None:
    """Take a profile out of the ranking; the decisions remain."""
    who, rid = actor(ctx), new_request(request_id)
    command: matching.AnyCommand = (
        matching.RemoveCandidateProfile(
            actor=who, request_id=rid, candidate_ref=check_generated(ref, "cand", "REF")
        )
        if ref.startswith("cand-")
        else build(matching.RemoveFunctionProfile, actor=who, request_id=rid, profile_id=ref)
    )
    run(lambda client, config: streams.matching_command(client, config.task_queue, command),
        request_id=rid)  # fmt: skip
    typer.echo(_("{ref}: removed from the ranking").format(ref=ref))


@app.command("list")
def profile_list(as_json: AsJson = False) -> None:
    """The profiles (ids, skills as URIs; the personal parts stay sealed)."""
    state = run(lambda client, _: streams.matching_state(client))
    data = {
        "candidates": [
            c.model_dump(mode="json", exclude={"strengths_and_challenges"})
            | {"strengths_and_challenges": "sealed" if c.strengths_and_challenges else None}
            for c in state.candidates.values()
        ],
        "functions": [f.model_dump(mode="json") for f in state.functions.values()],
    }  # fmt: skip
    if as_json:
        print_json(data)
        return
    for c in data["candidates"]:
        typer.echo(
            _("candidate {candidate_ref}: {len} skills, {hours_per_week} h/wk").format(
                candidate_ref=c["candidate_ref"],
                len=len(c["skills"]),
                hours_per_week=c["availability"]["hours_per_week"],
            )
        )
    for f in data["functions"]:
        typer.echo(
            _("function {profile_id} ({function}): {len} required, {hours_per_week} h/wk").format(
                profile_id=f["profile_id"],
                function=f["function"],
                len=len(f["required_skills"]),
                hours_per_week=f["hours_per_week"],
            )
        )
