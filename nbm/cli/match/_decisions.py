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
        f"   aanwezig / matched: {', '.join(map(label, p.matched_skills)) or '—'}",
        f"   ontbreekt / missing: {', '.join(map(label, p.missing_skills)) or '—'}",
    ]
    if p.learning_plan:
        plan = "; ".join(f"{i.label} ({i.kind.value})" for i in p.learning_plan)
        lines.append(f"   leerplan / learning plan: {plan}")
    lines += [f"   voorkeuren / preferences: {fits}", f"   score: {parts}"]
    return lines


def _show(ranking: list[Proposal], vocab: Vocabulary, as_json: bool, by: str, top: int) -> None:
    shown = ranking[:top] if top else ranking
    if as_json:
        print_json([p.model_dump(mode="json") for p in shown])
        return
    if not shown:
        typer.echo("geen voorstellen / no proposals")
    for p in shown:
        typer.echo(
            "\n".join(_explain(p, vocab, p.candidate_ref if by == "candidate" else p.profile_id))
        )
    typer.echo("Een voorstel is geen besluit: bevestig of verwerp met `nbm match confirm|reject`.")


Top = Annotated[int, typer.Option(help="Toon de eerste N (0: alle).")]


@app.command("candidates")
def candidates(
    future_job: Annotated[str | None, typer.Option(help="De toekomstige baan (fj-...).")] = None,
    profile_id: Annotated[
        str | None, typer.Option("--profile", help="Of: het functieprofiel.")
    ] = None,
    top: Top = 10,
    esco_dir: EscoDir = None,
    as_json: AsJson = False,
) -> None:
    """Kandidaten voor een functie, gerangschikt en uitgelegd (candidates for a job)."""
    vocab = vocab_of(esco_dir)
    state = run(lambda client, _: streams.matching_state(client))
    try:
        if profile_id is not None:
            function = state.function(profile_id)
        elif future_job is not None:
            found = service.functions_for(state, future_job)
            if len(found) > 1:
                ids = ", ".join(f.profile_id for f in found)
                raise CliError(f"{future_job} heeft meer profielen: kies met --profile ({ids})")
            function = found[0]
        else:
            raise CliError("geef --future-job of --profile / give --future-job or --profile")
    except (matching.UnknownProfile, ServiceError) as err:
        raise CliError(localized(err)) from None
    _show(service.candidates_for(state, function, vocab), vocab, as_json, "candidate", top)


@app.command("jobs")
def jobs(
    candidate: CandidateRef, top: Top = 10, esco_dir: EscoDir = None, as_json: AsJson = False
) -> None:
    """Functies voor een kandidaat, gerangschikt en uitgelegd (jobs for a candidate)."""
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
    against = " (afwijkend van het voorstel / overrides the proposal)" if d.overrode_top else ""
    typer.echo(f"{d.verdict.value}: {candidate} voor / for {profile_id}, voorstel nr. {d.rank} "
               f"van {d.proposals}{against}")  # fmt: skip
    if d.verdict is Verdict.CONFIRMED and plan:
        items = "; ".join(f"{i.label} ({i.kind.value})" for i in plan)
        typer.echo(f"voorgesteld leerplan / proposed learning plan: {items}")
    if d.verdict is Verdict.CONFIRMED and d.future_job_id:
        # The match is the coach's decision on record; the trajectory is started as always
        # (its own step 4 records the candidate with their personal data, sealed).
        typer.echo(
            f"volgende stap / next: nbm trajectory start --future-job {d.future_job_id}, "
            f"dan / then: nbm trajectory match <trajectory> --candidate {candidate} ..."
        )


Dir = Annotated[Direction, typer.Option(help="Uit welke lijst: candidates (per functie) of jobs.")]


@app.command("confirm")
def confirm(ctx: typer.Context, candidate: CandidateRef, profile_id: ProfileId, reason: Reason,
            direction: Dir = Direction.CANDIDATES, request_id: RequestId = None,
            as_json: AsJson = False) -> None:  # fmt: skip
    """Bevestig een match: een mens beslist, met reden (confirm a match)."""
    _decide(ctx, Verdict.CONFIRMED, candidate, profile_id, reason, direction, request_id, as_json)


@app.command("reject")
def reject(ctx: typer.Context, candidate: CandidateRef, profile_id: ProfileId, reason: Reason,
           direction: Dir = Direction.CANDIDATES, request_id: RequestId = None,
           as_json: AsJson = False) -> None:  # fmt: skip
    """Verwerp een voorstel, met reden (reject a proposal)."""
    _decide(ctx, Verdict.REJECTED, candidate, profile_id, reason, direction, request_id, as_json)


@app.command("log")
def log(as_json: AsJson = False) -> None:
    """Het beslislog: wie besliste wat, en hoe vaak van het voorstel werd afgeweken."""
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
    for column in ("wanneer", "wie", "besluit", "kandidaat", "functie", "nr.", "van", "afwijkend"):
        table.add_column(column)
    for d in state.decisions:
        table.add_row(when(d.decided_at), d.decided_by, d.verdict.value, d.candidate_ref,
                      d.profile_id, str(d.rank), str(d.proposals),
                      "ja" if d.overrode_top else "nee")  # fmt: skip
    console().print(table)
    rate = f"{stats.rate:.0%}" if stats.rate is not None else "—"
    typer.echo(f"{stats.decisions} beslissingen / decisions, {stats.overrode_top} afwijkend "
               f"van het voorstel / overrode the proposal ({rate})")  # fmt: skip
