"""`nbm match candidates|jobs|confirm|reject|log`: the ranked proposals with their
explanation, and the decision a person takes on them."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from domain import matching
from domain.matching import Direction, Proposal, Verdict, Vocabulary
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
    console,
    new_request,
    print_json,
    run,
    when,
)
from .._keys import seal_stream_text
from ._shared import CandidateRef, EscoDir, ProfileId, Reason, checked_text, vocab_of

app = typer.Typer()


def _explain(p: Proposal, vocab: Vocabulary, name: str) -> list[str]:
    label = lambda uri: vocab.get(uri).label("nl") if vocab.get(uri) else uri  # type: ignore[union-attr]  # noqa: E731
    fits = ", ".join(f"{k} {'✓' if v else '✗'}" for k, v in p.fits.items())
    parts = " + ".join(f"{x.feature} {x.points:g}/{x.max_points:g}" for x in p.parts)
    lines = [
        f"{p.rank}. {name}  score {p.score:g}/{matching.MAX_SCORE:g}",
        "   "
        + _("matched: {skills}").format(skills=", ".join(map(label, p.matched_skills)) or "—"),
        "   "
        + _("missing: {skills}").format(skills=", ".join(map(label, p.missing_skills)) or "—"),
    ]
    if p.learning_plan:
        plan = "; ".join(f"{i.label} ({i.kind.value})" for i in p.learning_plan)
        lines.append("   " + _("learning plan: {plan}").format(plan=plan))
    lines += ["   " + _("preferences: {fits}").format(fits=fits), f"   score: {parts}"]
    return lines


def _show(ranking: list[Proposal], vocab: Vocabulary, as_json: bool, by: str, top: int) -> None:
    shown = ranking[:top] if top else ranking
    if as_json:
        print_json([p.model_dump(mode="json") for p in shown])
        return
    if not shown:
        typer.echo(_("no proposals"))
    for p in shown:
        typer.echo(
            "\n".join(_explain(p, vocab, p.candidate_ref if by == "candidate" else p.profile_id))
        )
    typer.echo(
        _("A proposal is not a decision: confirm or reject it with `nbm match confirm|reject`.")
    )


Top = Annotated[int, typer.Option(help="Show the first N (0: all).")]


@app.command("candidates")
def candidates(
    future_job: Annotated[str | None, typer.Option(help="The future job (fj-...).")] = None,
    profile_id: Annotated[
        str | None, typer.Option("--profile", help="Or: the function profile.")
    ] = None,
    top: Top = 10,
    esco_dir: EscoDir = None,
    as_json: AsJson = False,
) -> None:
    """Candidates for a job, ranked and explained."""
    vocab = vocab_of(esco_dir)
    state = run(lambda client, _: streams.matching_state(client))
    try:
        if profile_id is not None:
            function = state.function(profile_id)
        elif future_job is not None:
            found = service.functions_for(state, future_job)
            if len(found) > 1:
                ids = ", ".join(f.profile_id for f in found)
                raise CliError(
                    _("{future_job} has more profiles: choose with --profile ({ids})").format(
                        future_job=future_job, ids=ids
                    )
                )
            function = found[0]
        else:
            raise CliError(_("give --future-job or --profile"))
    except (matching.UnknownProfile, ServiceError) as err:
        raise CliError(localized(err)) from None
    _show(service.candidates_for(state, function, vocab), vocab, as_json, "candidate", top)


@app.command("jobs")
def jobs(
    candidate: CandidateRef, top: Top = 10, esco_dir: EscoDir = None, as_json: AsJson = False
) -> None:
    """Jobs for a candidate, ranked and explained."""
    vocab = vocab_of(esco_dir)
    state = run(lambda client, _: streams.matching_state(client))
    try:
        ranking = service.jobs_for(state, candidate, vocab)
    except ServiceError as err:
        raise CliError(localized(err)) from None
    _show(ranking, vocab, as_json, "profile", top)


def _decide(ctx: typer.Context, verdict: Verdict, candidate: str, profile_id: str, reason: str,
            direction: Direction, request_id: str | None, as_json: bool) -> None:  # fmt: skip
    who, rid = actor(ctx), new_request(request_id)
    reason = checked_text(reason, "--reason")

    async def work(
        client: Any, config: Any
    ) -> tuple[matching.MatchDecision, tuple[matching.LearningItem, ...]]:
        sealed = await seal_stream_text(config, candidate, reason)
        command = build(matching.DecideMatch, actor=who, request_id=rid, verdict=verdict,
                        direction=direction, candidate_ref=candidate, profile_id=profile_id,
                        reason=sealed)  # fmt: skip
        await streams.matching_command(client, config.task_queue, command)
        state = await streams.matching_state(client)
        decision = next(d for d in reversed(state.decisions)
                        if d.candidate_ref == candidate and d.profile_id == profile_id)  # fmt: skip
        # What is still to learn, as the learning plan's proposed items (the profiles now).
        plan = matching.explain(
            state.candidate(candidate), state.function(profile_id), vocab_of(config.esco_dir)
        ).learning_plan
        return decision, plan

    d, plan = run(work, request_id=rid)
    if as_json:
        print_json(
            d.model_dump(mode="json", exclude={"reason"})
            | {"learning_plan": [i.model_dump(mode="json") for i in plan]}
        )
        return
    against = _(" (overrides the proposal)") if d.overrode_top else ""
    typer.echo(
        _(
            "{value}: {candidate} for {profile_id}, proposal no. {rank} of {proposals}{against}"
        ).format(
            value=d.verdict.value,
            candidate=candidate,
            profile_id=profile_id,
            rank=d.rank,
            proposals=d.proposals,
            against=against,
        )
    )
    if d.verdict is Verdict.CONFIRMED and plan:
        items = "; ".join(f"{i.label} ({i.kind.value})" for i in plan)
        typer.echo(_("proposed learning plan: {items}").format(items=items))
    if d.verdict is Verdict.CONFIRMED and d.future_job_id:
        # The match is the coach's decision on record; the trajectory is started as always
        # (its own step 4 records the candidate with their personal data, sealed).
        typer.echo(
            _(
                "next: nbm trajectory start --future-job {future_job_id}, then: nbm "
                "trajectory match <trajectory> --candidate {candidate} ..."
            ).format(future_job_id=d.future_job_id, candidate=candidate)
        )


Dir = Annotated[
    Direction, typer.Option(help=("From which list: candidates (per function) or jobs."))
]


@app.command("confirm")
def confirm(ctx: typer.Context, candidate: CandidateRef, profile_id: ProfileId, reason: Reason,
            direction: Dir = Direction.CANDIDATES, request_id: RequestId = None,
            as_json: AsJson = False) -> None:  # fmt: skip
    """Confirm a match: a person decides, with a reason."""
    _decide(ctx, Verdict.CONFIRMED, candidate, profile_id, reason, direction, request_id, as_json)


@app.command("reject")
def reject(ctx: typer.Context, candidate: CandidateRef, profile_id: ProfileId, reason: Reason,
           direction: Dir = Direction.CANDIDATES, request_id: RequestId = None,
           as_json: AsJson = False) -> None:  # fmt: skip
    """Reject a proposal, with a reason."""
    _decide(ctx, Verdict.REJECTED, candidate, profile_id, reason, direction, request_id, as_json)


@app.command("log")
def log(as_json: AsJson = False) -> None:
    """The decision log: who decided what, and how often the proposal was departed from."""
    state = run(lambda client, _: streams.matching_state(client))
    stats = state.overrides()
    rows = [
        d.model_dump(mode="json", exclude={"reason"}) | {"reason": "sealed"}
        for d in state.decisions
    ]
    if as_json:
        print_json({"decisions": rows, "overrides": stats.model_dump() | {"rate": stats.rate}})
        return
    table = Table(show_edge=False)
    for column in (
        _("when"),
        _("who"),
        _("decision"),
        _("candidate"),
        _("function"),
        _("no."),
        _("of"),
        _("overrode"),
    ):
        table.add_column(column)
    for d in state.decisions:
        table.add_row(when(d.decided_at), d.decided_by, d.verdict.value, d.candidate_ref,
                      d.profile_id, str(d.rank), str(d.proposals),
                      "ja" if d.overrode_top else "nee")  # fmt: skip
    console().print(table)
    rate = f"{stats.rate:.0%}" if stats.rate is not None else "—"
    typer.echo(
        _("{decisions} decisions, {overrode_top} overrode the proposal ({rate})").format(
            decisions=stats.decisions, overrode_top=stats.overrode_top, rate=rate
        )
    )
