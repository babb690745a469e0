"""The coach's commands on a running trajectory: one `nbm trajectory` subcommand each.

The match, with the candidate's personal data, is in `_match`; sending is in `_send`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from domain import trajectory
from domain.shared import FreeText, Sealed

from .._common import (
    AsJson,
    CliError,
    RequestId,
    TrajectoryId,
    actor,
    build,
    excerpt,
    new_request,
    option,
    parse_date,
)
from ._send import send, send_with_free_text, send_with_summary

app = typer.Typer()


def parse_placement(spec: str) -> dict[str, object]:
    """`NAME:WEEKS:HOURS`, e.g. `introduction:4:16` (the name may hold colons)."""
    parts = spec.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].strip().isdigit() or not parts[2].strip().isdigit():
        raise CliError(
            f"--placement: {excerpt(spec)} is not NAME:WEEKS:HOURS, e.g. introduction:4:16"
        )
    return {"name": parts[0], "weeks": int(parts[1]), "hours_per_week": int(parts[2])}


def parse_training(spec: str, *, paid_by_employer: bool) -> dict[str, object]:
    """`INSTITUTE:COURSE`, or `INSTITUTE:COURSE:employer` when the employer pays it."""
    institute, sep, course = spec.partition(":")
    if course.endswith(":employer"):
        course, paid_by_employer = course.removesuffix(":employer"), True
    if not sep:
        raise CliError(f"--training: {excerpt(spec)} is not INSTITUTE:COURSE[:employer]")
    return {"institute": institute, "course": course, "paid_by_employer": paid_by_employer}


@app.command("map-possibilities")
def map_possibilities(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    profile_skill: Annotated[list[str], option("A skill of the profile (repeat; no diploma).")],
    employer_role: Annotated[str, option("What the employer does, e.g. 'workplace and mentor'.")],
    werkbedrijf_role: Annotated[str, option("What the Werkbedrijf does, e.g. 'coach, budget'.")],
    guarantee_possible: Annotated[
        bool,
        option(
            "Whether the employer can give a job guarantee or only an intention to hire.",
            "--guarantee-possible/--intention-only",
        ),
    ],
    learning_location: Annotated[str, option("Where the candidate learns.")],
    training_institute: Annotated[str | None, option("The training institute, if any.")] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Map the candidate profile and preconditions (mogelijkheden in kaart, step 2)."""
    rid = new_request(request_id)
    preconditions = {
        "employer_role": employer_role,
        "werkbedrijf_role": werkbedrijf_role,
        "guarantee_possible": guarantee_possible,
        "learning_location": learning_location,
        "training_institute": training_institute,
    }
    command = build(
        trajectory.MapPossibilities,
        actor=actor(ctx),
        request_id=rid,
        profile_skills=tuple(profile_skill),
        preconditions=preconditions,
    )
    send(trajectory_id, command, as_json)


@app.command("establish-agreement")
def establish_agreement(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    commitment: Annotated[trajectory.Commitment, option("The employer's commitment.")],
    weeks: Annotated[int, option("Length of the learning period in weeks.")],
    placement: Annotated[
        list[str],
        option("A planned placement (stage) NAME:WEEKS:HOURS, e.g. introduction:4:16 (repeat)."),
    ],
    budget: Annotated[int, option("The budget in whole euros (participation budget).")],
    training: Annotated[
        list[str] | None,
        option("Training INSTITUTE:COURSE, or INSTITUTE:COURSE:employer if the employer pays."),
    ] = None,
    training_paid_by_employer: Annotated[
        bool, option("The employer pays all the training given.", "--training-paid-by-employer")
    ] = False,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record the signed learning plan and commitment (inleertraject vastgesteld, step 3)."""
    rid = new_request(request_id)
    command = build(
        trajectory.EstablishAgreement,
        actor=actor(ctx),
        request_id=rid,
        commitment=commitment,
        duration_weeks=weeks,
        placements=tuple(parse_placement(p) for p in placement),
        training=tuple(
            parse_training(t, paid_by_employer=training_paid_by_employer) for t in training or ()
        ),
        budget_eur=budget,
    )
    send(trajectory_id, command, as_json)


@app.command("start-learning")
def start_learning(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    no_benefits: Annotated[
        bool, option("The candidate does not keep benefits while learning.", "--no-benefits")
    ] = False,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Start the learning period (kandidaat leert in, met behoud van uitkering; step 5)."""
    rid = new_request(request_id)
    command = build(
        trajectory.StartLearning,
        actor=actor(ctx),
        request_id=rid,
        benefits_retained=not no_benefits,
    )
    send(trajectory_id, command, as_json)


@app.command("start-placement")
def start_placement(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    name: Annotated[str, option("The placement, e.g. 'ADL internship'.")],
    hours: Annotated[int, option("Hours per week.")],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Start the next placement of the learning period (stage, step 5)."""
    rid = new_request(request_id)
    command = build(
        trajectory.StartPlacement, actor=actor(ctx), request_id=rid, name=name, hours_per_week=hours
    )
    send(trajectory_id, command, as_json)


@app.command("record-evaluation")
def record_evaluation(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    verdict: Annotated[trajectory.EvaluationVerdict, option("How the learning goes.")],
    employer_present: Annotated[
        bool, option("Whether the employer took part.", "--employer-present/--employer-absent")
    ],
    summary: Annotated[
        str | None, option("A short summary (sealed with the candidate's key).")
    ] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record an evaluation with the parties (evaluatiegesprek, step 5)."""
    rid = new_request(request_id)

    def with_summary(sealed: Sealed | None) -> trajectory.CoachCommand:
        return build(
            trajectory.RecordEvaluation,
            actor=actor(ctx),
            request_id=rid,
            verdict=verdict,
            employer_present=employer_present,
            summary=sealed,
        )

    send_with_summary(trajectory_id, with_summary, summary, as_json)


@app.command("record-calamity")
def record_calamity(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    kind: Annotated[trajectory.CalamityKind, option("What blocks learning.")],
    summary: Annotated[
        str | None, option("A short summary (sealed with the candidate's key).")
    ] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record a calamity that blocks learning; brings the work coach in (calamiteit)."""
    rid = new_request(request_id)

    def with_summary(sealed: Sealed | None) -> trajectory.CoachCommand:
        return build(
            trajectory.RecordCalamity,
            actor=actor(ctx),
            request_id=rid,
            calamity_kind=kind,
            summary=sealed,
        )

    send_with_summary(trajectory_id, with_summary, summary, as_json)


@app.command("resolve-calamity")
def resolve_calamity(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    number: Annotated[int, typer.Argument(help="The calamity's number (see `show`).")],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Mark a calamity as resolved (calamiteit opgelost)."""
    rid = new_request(request_id)
    send(
        trajectory_id,
        build(trajectory.ResolveCalamity, actor=actor(ctx), request_id=rid, number=number),
        as_json,
    )


@app.command("resolve-barrier")
def resolve_barrier(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    barrier: Annotated[trajectory.Barrier, typer.Argument(help="The barrier that is removed.")],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Mark a practical barrier as removed (belemmering weggenomen)."""
    rid = new_request(request_id)
    send(
        trajectory_id,
        build(trajectory.ResolveBarrier, actor=actor(ctx), request_id=rid, barrier=barrier),
        as_json,
    )


@app.command("extend-learning")
def extend_learning(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    weeks: Annotated[int, option("Extra weeks of learning.")],
    reason: Annotated[str, option("Why the candidate learns on (sealed: it can be personal).")],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Extend the learning period: the candidate learns on (inleertraject verlengen)."""
    rid = new_request(request_id)

    def with_reason(text: FreeText | None) -> trajectory.CoachCommand:
        return build(
            trajectory.ExtendLearning, actor=actor(ctx), request_id=rid, weeks=weeks, reason=text
        )

    send_with_free_text(trajectory_id, with_reason, reason, as_json)


@app.command("propose-other-employer")
def propose_other_employer(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    employer: Annotated[str, option("The other employer's id.")],
    reason: Annotated[str, option("Why, e.g. 'no vacancy at the intended employer' (sealed).")],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Propose the candidate to another employer (voordragen bij andere werkgever)."""
    rid = new_request(request_id)

    def with_reason(text: FreeText | None) -> trajectory.CoachCommand:
        return build(
            trajectory.ProposeOtherEmployer,
            actor=actor(ctx),
            request_id=rid,
            employer_id=employer,
            reason=text,
        )

    send_with_free_text(trajectory_id, with_reason, reason, as_json)


@app.command("record-regular-job")
def record_regular_job(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    employer: Annotated[str, option("The employer's id.")],
    start_date: Annotated[str, option("The contract's first day, YYYY-MM-DD.")],
    benefit_ended: Annotated[
        bool, option("Whether the benefit ends.", "--benefit-ended/--benefit-continues")
    ],
    hours: Annotated[int, option("Contract hours per week (required: a small contract shows).")],
    wage_cost_subsidy: Annotated[
        int | None, option("Wage-cost subsidy (loonkostensubsidie, LKS) in percent.")
    ] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record the contract with salary (reguliere baan, step 6)."""
    rid = new_request(request_id)
    command = build(
        trajectory.RecordRegularJob,
        actor=actor(ctx),
        request_id=rid,
        employer_id=employer,
        contract_hours_per_week=hours,
        start_date=parse_date(start_date, "--start-date"),
        wage_cost_subsidy_pct=wage_cost_subsidy,
        benefit_ended=benefit_ended,
    )
    send(trajectory_id, command, as_json)


@app.command("record-follow-on-education")
def record_follow_on_education(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    institute: Annotated[str, option("The school, e.g. 'ROC Flevoland'.")],
    course: Annotated[str, option("The course, e.g. 'BBL level 3'.")],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record follow-on education before a job (vervolgopleiding); ends the trajectory."""
    rid = new_request(request_id)
    command = build(
        trajectory.RecordFollowOnEducation,
        actor=actor(ctx),
        request_id=rid,
        institute=institute,
        course=course,
    )
    send(trajectory_id, command, as_json)


@app.command("record-follow-up")
def record_follow_up(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    still_employed: Annotated[
        bool, option("Whether the candidate still works there.", "--still-employed/--not-employed")
    ],
    benefit_ended: Annotated[
        bool, option("Whether the benefit has ended.", "--benefit-ended/--benefit-continues")
    ],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record the follow-up months after placement (nazorg); ends the trajectory."""
    rid = new_request(request_id)
    command = build(
        trajectory.RecordFollowUp,
        actor=actor(ctx),
        request_id=rid,
        still_employed=still_employed,
        benefit_ended=benefit_ended,
    )
    send(trajectory_id, command, as_json)


@app.command("end")
def end(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    reason: Annotated[trajectory.ClosureReason, option("Why the trajectory ends early.")],
    explanation: Annotated[
        str | None, option("Explanation (needed for 'other'; sealed: it can be personal).")
    ] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """End the trajectory early (traject beëindigen)."""
    rid = new_request(request_id)

    def with_explanation(text: FreeText | None) -> trajectory.CoachCommand:
        return build(
            trajectory.EndTrajectory,
            actor=actor(ctx),
            request_id=rid,
            reason=reason,
            explanation=text,
        )

    send_with_free_text(trajectory_id, with_explanation, explanation, as_json)
