"""The coach's commands on a running trajectory: one `nbm trajectory` subcommand each.

The match, with the candidate's personal data, is in `_match`; sending is in `_send`.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from domain import people, trajectory
from domain.shared import FreeText, Sealed
from nbm import service
from nbm import stream_service as streams
from nbm.i18n import _

from .._common import (
    AsJson,
    CliError,
    Effective,
    RequestId,
    TrajectoryId,
    actor,
    build,
    excerpt,
    new_request,
    option,
    parse_date,
    parse_effective,
    run,
)
from . import _aftercare as aftercare
from ._send import send, send_with_free_text, send_with_summary

app = typer.Typer()


def parse_placement(spec: str) -> dict[str, object]:
    """`NAME:WEEKS:HOURS`, e.g. `introduction:4:16` (the name may hold colons)."""
    parts = spec.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].strip().isdigit() or not parts[2].strip().isdigit():
        raise CliError(
            _("--placement: {spec} is not NAME:WEEKS:HOURS, e.g. introduction:4:16").format(
                spec=excerpt(spec)
            )
        )
    return {"name": parts[0], "weeks": int(parts[1]), "hours_per_week": int(parts[2])}


def parse_training(spec: str, *, paid_by_employer: bool) -> dict[str, object]:
    """`INSTITUTE:COURSE`, or `INSTITUTE:COURSE:employer` when the employer pays it."""
    institute, sep, course = spec.partition(":")
    if course.endswith(":employer"):
        course, paid_by_employer = course.removesuffix(":employer"), True
    if not sep:
        raise CliError(
            _("--training: {spec} is not INSTITUTE:COURSE[:employer]").format(spec=excerpt(spec))
        )
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
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Map the candidate profile and preconditions (mogelijkheden in kaart, step 2)."""
    rid, at = new_request(request_id), parse_effective(effective)
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
        effective_at=at,
        profile_skills=tuple(profile_skill),
        preconditions=preconditions,
    )
    send(trajectory_id, command, as_json)


CommitmentOption = Annotated[trajectory.Commitment, option("The employer's commitment.")]
WeeksOption = Annotated[int, option("Length of the learning period in weeks.")]
PlacementOption = Annotated[
    list[str],
    option("A planned placement (stage) NAME:WEEKS:HOURS, e.g. introduction:4:16 (repeat)."),
]
BudgetOption = Annotated[int, option("The budget in whole euros (participation budget).")]
SignedByOption = Annotated[
    list[trajectory.Signatory],
    option(
        "Who signed the plan (repeat): employer and werkbedrijf, and training-institute "
        "when there is training or a training institute."
    ),
]
TrainingOption = Annotated[
    list[str] | None,
    option("Training INSTITUTE:COURSE, or INSTITUTE:COURSE:employer if the employer pays."),
]
PaidByEmployerOption = Annotated[
    bool, option("The employer pays all the training given.", "--training-paid-by-employer")
]


def agreement_terms(
    commitment: trajectory.Commitment,
    weeks: int,
    placement: list[str],
    budget: int,
    signed_by: list[trajectory.Signatory],
    training: list[str] | None,
    training_paid_by_employer: bool,
) -> dict[str, Any]:
    """The fields of an agreement, established or amended, from the options."""
    return {
        "commitment": commitment,
        "duration_weeks": weeks,
        "placements": tuple(parse_placement(p) for p in placement),
        "training": tuple(
            parse_training(t, paid_by_employer=training_paid_by_employer) for t in training or ()
        ),
        "budget_eur": budget,
        "signed_by": tuple(signed_by),
    }


@app.command("establish-agreement")
def establish_agreement(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    commitment: CommitmentOption,
    weeks: WeeksOption,
    budget: BudgetOption,
    signed_by: SignedByOption,
    placement: Annotated[
        list[str] | None,
        option(
            "A planned placement (stage) NAME:WEEKS:HOURS, e.g. introduction:4:16 (repeat); "
            "or --ladder."
        ),
    ] = None,
    ladder: Annotated[
        bool,
        option(
            (
                "Plan the programme's ladder: its rungs, in their order, as the placements "
                "(NT2 and other rungs 'when needed' left out)."
            ),
            "--ladder",
        ),
    ] = False,
    training: TrainingOption = None,
    training_paid_by_employer: PaidByEmployerOption = False,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record the signed learning plan and commitment (inleertraject vastgesteld, step 3)."""
    rid, at = new_request(request_id), parse_effective(effective)
    if ladder == bool(placement):
        raise CliError(_("give --placement (repeat) or --ladder"))
    if ladder:
        state = run(lambda client, _: service.state(client, trajectory_id))
        rungs = [r for r in state.programme.ladder if not r.when_needed]
        if not rungs:
            raise CliError(
                _("programme {programme_id} has no ladder: give --placement").format(
                    programme_id=state.programme.programme_id
                )
            )
        placement = [f"{r.name}:{r.weeks}:{r.hours_per_week}" for r in rungs]
    terms = agreement_terms(
        commitment, weeks, placement or [], budget, signed_by, training,
        training_paid_by_employer,
    )  # fmt: skip
    command = build(
        trajectory.EstablishAgreement, actor=actor(ctx), request_id=rid, effective_at=at, **terms
    )
    send(trajectory_id, command, as_json)


@app.command("amend-agreement")
def amend_agreement(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    commitment: CommitmentOption,
    weeks: WeeksOption,
    placement: PlacementOption,
    budget: BudgetOption,
    signed_by: SignedByOption,
    reason: Annotated[str, option("Why the plan changes (sealed: it can be personal).")],
    training: TrainingOption = None,
    training_paid_by_employer: PaidByEmployerOption = False,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Adjust the learning plan during learning (bijstelling van het inleertraject).

    Give the whole plan as it now stands; a longer or shorter period moves the end of
    learning, and the history keeps who changed it and why. --weeks is the plan's own
    length: extensions granted so far (extend-learning) count on top of it.
    """
    rid, at = new_request(request_id), parse_effective(effective)
    terms = agreement_terms(
        commitment, weeks, placement, budget, signed_by, training, training_paid_by_employer
    )

    def with_reason(text: FreeText | None) -> trajectory.CoachCommand:
        return build(
            trajectory.AmendAgreement,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
            reason=text,
            **terms,
        )

    send_with_free_text(trajectory_id, with_reason, reason, as_json)


@app.command("start-learning")
def start_learning(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    no_benefits: Annotated[
        bool, option("The candidate does not keep benefits while learning.", "--no-benefits")
    ] = False,
    weeks: Annotated[
        int | None,
        option(
            "Only before an agreement (small-scale growth, learning on the workplace first): "
            "the weeks learning is planned for; the agreement's length replaces them."
        ),
    ] = None,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Start the learning period (kandidaat leert in, met behoud van uitkering; step 5)."""
    rid, at = new_request(request_id), parse_effective(effective)
    command = build(
        trajectory.StartLearning,
        actor=actor(ctx),
        request_id=rid,
        effective_at=at,
        benefits_retained=not no_benefits,
        duration_weeks=weeks,
    )
    send(trajectory_id, command, as_json)


@app.command("start-placement")
def start_placement(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    name: Annotated[str, option("The placement (stage), e.g. 'ADL internship'.")],
    hours: Annotated[int, option("Hours per week.")],
    deviation: Annotated[
        str | None,
        option(
            "Why it differs from the agreement (another stage, other hours); sealed. Without "
            "it, a stage the agreement does not plan is refused."
        ),
    ] = None,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Start the next placement of the learning period (stage, step 5)."""
    rid, at = new_request(request_id), parse_effective(effective)

    def with_deviation(text: FreeText | None) -> trajectory.CoachCommand:
        return build(
            trajectory.StartPlacement,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
            name=name,
            hours_per_week=hours,
            deviation=text,
        )

    send_with_free_text(trajectory_id, with_deviation, deviation, as_json)


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
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record an evaluation with the parties (evaluatiegesprek, step 5)."""
    rid, at = new_request(request_id), parse_effective(effective)

    def with_summary(sealed: Sealed | None) -> trajectory.CoachCommand:
        return build(
            trajectory.RecordEvaluation,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
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
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record a calamity that blocks learning; brings the work coach in (calamiteit)."""
    rid, at = new_request(request_id), parse_effective(effective)

    def with_summary(sealed: Sealed | None) -> trajectory.CoachCommand:
        return build(
            trajectory.RecordCalamity,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
            calamity_kind=kind,
            summary=sealed,
        )

    send_with_summary(trajectory_id, with_summary, summary, as_json)


@app.command("resolve-escalation")
def resolve_escalation(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    number: Annotated[int, typer.Argument(help="The escalation's number (see `show`).")],
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Mark an escalation as taken care of (escalatie afgehandeld); `nbm tasks resolve` on
    its task does the same."""
    rid, at = new_request(request_id), parse_effective(effective)
    send(
        trajectory_id,
        build(
            trajectory.ResolveEscalation,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
            number=number,
        ),
        as_json,
    )


@app.command("resolve-calamity")
def resolve_calamity(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    number: Annotated[int, typer.Argument(help="The calamity's number (see `show`).")],
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Mark a calamity as resolved (calamiteit opgelost)."""
    rid, at = new_request(request_id), parse_effective(effective)
    send(
        trajectory_id,
        build(
            trajectory.ResolveCalamity,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
            number=number,
        ),
        as_json,
    )


@app.command("resolve-barrier")
def resolve_barrier(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    barrier: Annotated[trajectory.Barrier, typer.Argument(help="The barrier that is removed.")],
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Mark a practical barrier as removed (belemmering weggenomen)."""
    rid, at = new_request(request_id), parse_effective(effective)
    send(
        trajectory_id,
        build(
            trajectory.ResolveBarrier,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
            barrier=barrier,
        ),
        as_json,
    )


@app.command("extend-learning")
def extend_learning(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    weeks: Annotated[int, option("Extra weeks of learning.")],
    reason: Annotated[str, option("Why the candidate learns on (sealed: it can be personal).")],
    approved_by: Annotated[
        str | None,
        option("The supervisor who approves learning beyond the programme's cap (their id)."),
    ] = None,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Extend the learning period: the candidate learns on (inleertraject verlengen).

    Past the programme's cap or the maximum of learning with benefits only with
    `--approved-by`: a supervisor above the trajectory's coach in `nbm people list`.
    """
    rid, at = new_request(request_id), parse_effective(effective)
    if approved_by is not None:
        who = approved_by
        run(lambda client, _: check_approver(client, trajectory_id, who))

    def with_reason(text: FreeText | None) -> trajectory.CoachCommand:
        return build(
            trajectory.ExtendLearning,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
            weeks=weeks,
            reason=text,
            approved_by=approved_by,
        )

    send_with_free_text(trajectory_id, with_reason, reason, as_json)


async def check_approver(client: Any, trajectory_id: str, approver: str) -> None:
    """`CliError` unless `approver` is an active supervisor above the trajectory's coach."""
    state = await service.state(client, trajectory_id)
    directory = await streams.directory(client)
    person = directory.people.get(approver)
    if person is None or not person.active:
        raise CliError(
            _("--approved-by: {approver} is not in the directory (`nbm people list`)").format(
                approver=approver
            )
        )
    if person.role is not people.Role.SUPERVISOR or approver not in directory.chain_of(
        state.coach_id
    ):
        raise CliError(
            _(
                "--approved-by: {approver} is not a supervisor above the trajectory's "
                "coach {coach_id}"
            ).format(approver=approver, coach_id=state.coach_id)
        )


@app.command("propose-other-employer")
def propose_other_employer(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    employer: Annotated[str, option("The other employer's id.")],
    reason: Annotated[str, option("Why, e.g. 'no vacancy at the intended employer' (sealed).")],
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Propose the candidate to another employer (voordragen bij andere werkgever)."""
    rid, at = new_request(request_id), parse_effective(effective)

    def with_reason(text: FreeText | None) -> trajectory.CoachCommand:
        return build(
            trajectory.ProposeOtherEmployer,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
            employer_id=employer,
            reason=text,
        )

    send_with_free_text(trajectory_id, with_reason, reason, as_json)


BenefitOption = Annotated[
    bool | None,
    option(
        "Whether the benefit ends (required, unless --no-benefit).",
        "--benefit-ended/--benefit-continues",
    ),
]
NoBenefitOption = Annotated[
    bool, option("The candidate had no benefit: the question does not apply.", "--no-benefit")
]


def benefit_answer(ended: bool | None, no_benefit: bool) -> bool | None:
    """The benefit question answered: ended, continues, or None when it does not apply."""
    if no_benefit and ended is not None:
        raise CliError(
            _("give one of --benefit-ended, --benefit-continues or --no-benefit, not two")
        )
    if not no_benefit and ended is None:
        raise CliError(
            _(
                "say whether the benefit ends: --benefit-ended or --benefit-continues "
                "(--no-benefit if the candidate had none)"
            )
        )
    return None if no_benefit else ended


@app.command("record-regular-job")
def record_regular_job(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    employer: Annotated[str, option("The employer's id.")],
    start_date: Annotated[str, option("The contract's first day, YYYY-MM-DD.")],
    hours: Annotated[int, option("Contract hours per week (required: a small contract shows).")],
    benefit_ended: BenefitOption = None,
    no_benefit: NoBenefitOption = False,
    benefit_partly: aftercare.PartlyOption = False,
    wage_cost_subsidy: Annotated[
        int | None,
        option(
            "Wage-cost subsidy (loonkostensubsidie, LKS) in percent (default with "
            "--wage-value: 100 - wage value)."
        ),
    ] = None,
    wage_value_pct: aftercare.WageValue = None,
    assessed_by: aftercare.AssessedBy = None,
    assessed_on: aftercare.AssessedOn = None,
    lks_decided_on: Annotated[
        str | None, option("When the LKS was decided, YYYY-MM-DD.", "--lks-decided-on")
    ] = None,
    reassess_on: Annotated[
        str | None,
        option(
            "When the wage value is to be assessed again, YYYY-MM-DD (a task then).",
            "--reassess-on",
        ),
    ] = None,
    work_study: Annotated[
        bool,
        option(
            "A work-study job (BBL-baan): learning goes on alongside it, where the programme "
            "has one (the WijkLeerbedrijf hires into one, usually from year 2).",
            "--work-study",
        ),
    ] = False,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record the contract with salary (reguliere baan, step 6)."""
    rid, at = new_request(request_id), parse_effective(effective)
    assessment = aftercare.wage_value(wage_value_pct, assessed_by, assessed_on)
    command = build(
        trajectory.RecordRegularJob,
        options=aftercare.OPTIONS,
        actor=actor(ctx),
        request_id=rid,
        effective_at=at,
        employer_id=employer,
        contract_hours_per_week=hours,
        start_date=parse_date(start_date, "--start-date"),
        wage_cost_subsidy_pct=wage_cost_subsidy,
        benefit_end=aftercare.benefit_end_answer(benefit_ended, benefit_partly, no_benefit),
        work_study=work_study,
        wage_value=assessment,
        subsidy_decided_on=aftercare.optional_date(lks_decided_on, "--lks-decided-on"),
        reassess_on=aftercare.optional_date(reassess_on, "--reassess-on"),
    )
    send(trajectory_id, command, as_json)


@app.command("record-follow-on-education")
def record_follow_on_education(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    institute: Annotated[str, option("The school, e.g. 'ROC Flevoland'.")],
    course: Annotated[str, option("The course, e.g. 'BBL level 3'.")],
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record follow-on education before a job (vervolgopleiding); ends the trajectory."""
    rid, at = new_request(request_id), parse_effective(effective)
    command = build(
        trajectory.RecordFollowOnEducation,
        actor=actor(ctx),
        request_id=rid,
        effective_at=at,
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
    benefit_ended: BenefitOption = None,
    no_benefit: NoBenefitOption = False,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record the follow-up months after placement (nazorg); ends the trajectory."""
    rid, at = new_request(request_id), parse_effective(effective)
    command = build(
        trajectory.RecordFollowUp,
        actor=actor(ctx),
        request_id=rid,
        effective_at=at,
        still_employed=still_employed,
        benefit_ended=benefit_answer(benefit_ended, no_benefit),
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
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """End the trajectory early (traject beëindigen)."""
    rid, at = new_request(request_id), parse_effective(effective)

    def with_explanation(text: FreeText | None) -> trajectory.CoachCommand:
        return build(
            trajectory.EndTrajectory,
            actor=actor(ctx),
            request_id=rid,
            effective_at=at,
            reason=reason,
            explanation=text,
        )

    send_with_free_text(trajectory_id, with_explanation, explanation, as_json)
