"""After the regular job (nazorg): the follow-up checkpoints and the wage value's
re-assessment under a wage-cost subsidy (LKS); and the options `record-regular-job` shares
with them (the benefit's end, the wage-value assessment)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from domain import trajectory
from nbm.i18n import _

from .._common import (
    FIELD_OPTIONS,
    AsJson,
    CliError,
    Effective,
    RequestId,
    TrajectoryId,
    actor,
    build,
    new_request,
    option,
    parse_date,
    parse_effective,
)
from ._send import send

app = typer.Typer()

OPTIONS = {
    **FIELD_OPTIONS,
    "month": "--month",
    "benefit_end": "--benefit-ended/--benefit-partly/--benefit-continues/--no-benefit",
    "wage_value.wage_value_pct": "--wage-value",
    "wage_value.assessed_by": "--assessed-by",
    "wage_value.assessed_on": "--assessed-on",
    "subsidy_decided_on": "--lks-decided-on",
    "reassess_on": "--reassess-on",
    "subsidy_pct": "--wage-cost-subsidy",
    "next_reassess_on": "--next-reassess-on",
}
"""The fields of the aftercare's commands by the option they are typed with."""

BenefitOption = Annotated[
    bool | None,
    option(
        "Whether the benefit ends (one of these, or --benefit-partly, or --no-benefit).",
        "--benefit-ended/--benefit-continues",
    ),
]
PartlyOption = Annotated[
    bool,
    option(
        "The benefit ends only in part (gedeeltelijk): the wage is topped up by it.",
        "--benefit-partly",
    ),
]
NoBenefitOption = Annotated[
    bool, option("The candidate had no benefit: the question does not apply.", "--no-benefit")
]
WageValue = Annotated[
    int | None,
    option("The wage value (loonwaarde) in percent, as assessed for the LKS.", "--wage-value"),
]
AssessedBy = Annotated[
    str | None, option("Who assessed the wage value: their id, never a name.", "--assessed-by")
]
AssessedOn = Annotated[
    str | None, option("When the wage value was assessed, YYYY-MM-DD.", "--assessed-on")
]


def benefit_end_answer(ended: bool | None, partly: bool, no_benefit: bool) -> trajectory.BenefitEnd:
    """The benefit question answered with exactly one of its four options."""
    given = (ended is not None) + partly + no_benefit
    if given == 0:
        raise CliError(
            _(
                "say whether the benefit ends: --benefit-ended, --benefit-partly or "
                "--benefit-continues (--no-benefit if the candidate had none)"
            )
        )
    if given > 1:
        raise CliError(
            _(
                "give one of --benefit-ended, --benefit-partly, --benefit-continues or "
                "--no-benefit, not two"
            )
        )
    if partly:
        return trajectory.BenefitEnd.PARTLY
    if no_benefit:
        return trajectory.BenefitEnd.NOT_APPLICABLE
    return trajectory.BenefitEnd.of(ended)


def wage_value(
    pct: int | None, assessed_by: str | None, assessed_on: str | None
) -> dict[str, object] | None:
    """The wage-value assessment from its three options: all of them, or none."""
    parts = {"--wage-value": pct, "--assessed-by": assessed_by, "--assessed-on": assessed_on}
    if all(v is None for v in parts.values()):
        return None
    missing = [name for name, v in parts.items() if v is None]
    if missing:
        raise CliError(
            _(
                "a wage-value assessment needs --wage-value, --assessed-by and "
                "--assessed-on; missing: {missing}"
            ).format(missing=", ".join(missing))
        )
    assert assessed_on is not None
    return {
        "wage_value_pct": pct,
        "assessed_by": assessed_by,
        "assessed_on": parse_date(assessed_on, "--assessed-on"),
    }


def optional_date(text: str | None, name: str) -> date | None:
    return None if text is None else parse_date(text, name)


@app.command("record-checkpoint")
def record_checkpoint(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    month: Annotated[int, option("Which checkpoint: months after the job's start (1, 3, 6, 12).")],
    still_employed: Annotated[
        bool, option("Whether the candidate still works there.", "--still-employed/--not-employed")
    ],
    hours: Annotated[
        int | None, option("Hours a week worked now (while still employed).", "--hours")
    ] = None,
    benefit_ended: BenefitOption = None,
    benefit_partly: PartlyOption = False,
    no_benefit: NoBenefitOption = False,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record a follow-up checkpoint (nazorgmoment, 1/3/6/12 months after the job's start):
    still employed, the hours, the benefit; resolves its task. The last closes the trajectory."""
    rid, at = new_request(request_id), parse_effective(effective)
    command = build(
        trajectory.RecordCheckpoint,
        options=OPTIONS,
        actor=actor(ctx),
        request_id=rid,
        effective_at=at,
        month=month,
        still_employed=still_employed,
        hours_per_week=hours,
        benefit_end=benefit_end_answer(benefit_ended, benefit_partly, no_benefit),
    )
    send(trajectory_id, command, as_json)


@app.command("record-wage-value-reassessment")
def record_wage_value_reassessment(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    wage_value_pct: WageValue = None,
    assessed_by: AssessedBy = None,
    assessed_on: AssessedOn = None,
    wage_cost_subsidy: Annotated[
        int | None, option("The subsidy from now on, in percent (default: 100 - wage value).")
    ] = None,
    next_reassess_on: Annotated[
        str | None,
        option(
            "The next re-assessment, YYYY-MM-DD (none: the subsidy needs no more).",
            "--next-reassess-on",
        ),
    ] = None,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record the wage value assessed again (herbeoordeling loonwaarde, under the LKS) and
    the next date; resolves its task."""
    assessment = wage_value(wage_value_pct, assessed_by, assessed_on)
    if assessment is None:
        raise CliError(_("give the new wage value: --wage-value, --assessed-by and --assessed-on"))
    rid, at = new_request(request_id), parse_effective(effective)
    command = build(
        trajectory.RecordWageValueReassessment,
        options=OPTIONS,
        actor=actor(ctx),
        request_id=rid,
        effective_at=at,
        wage_value=assessment,
        subsidy_pct=wage_cost_subsidy,
        next_reassess_on=optional_date(next_reassess_on, "--next-reassess-on"),
    )
    send(trajectory_id, command, as_json)
