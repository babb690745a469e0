"""`nbm trajectory match`: the match job-candidate, with the candidate's personal data.

The personal data is checked here, then sealed with the candidate's own key from the key
store (made on first use) before the command leaves this process: the workflow, its history,
the events and the logs only ever see the ciphertext, and `nbm candidate erase` destroys the
one key that opens it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import typer
from pydantic import BaseModel, ConfigDict
from temporalio.client import Client

from domain import trajectory
from domain.shared import PersonalData, Sealed
from nbm import service
from nbm.i18n import _
from nbm.settings import Settings
from privacy.seal import seal_personal
from workflows import CommandResult

from .._common import (
    FIELD_OPTIONS,
    AsJson,
    CliError,
    Effective,
    RequestId,
    TrajectoryId,
    actor,
    build,
    check_generated,
    generated_id,
    new_request,
    option,
    parse_effective,
    print_json,
    repeat_with,
    run,
)
from .._keys import key_store
from .._render import result_json
from ._send import show_result

app = typer.Typer()

MATCH_OPTIONS: Mapping[str, str] = {
    **FIELD_OPTIONS,
    "personal.external_ref": "--external-ref",
    "personal.email": "--email",
    "personal.phone": "--phone",
    "personal.address": "--address",
    "personal.health_notes": "--health-notes",
    "personal.debt_notes": "--debt-notes",
    "personal.family_notes": "--family-notes",
}
"""The options of `match` by field: the common ones and the personal ones."""

UNSEALED = Sealed(key_id="unsealed", nonce="AA==", ciphertext="AA==")
"""Stands in for the sealed data while the other options are checked, before any key is made
(a typo must not leave a key behind); replaced by the real seal before anything is sent."""


class _PersonalOptions(BaseModel):
    """The personal options, checked as `personal.*` so an error names the option."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    personal: PersonalData


MATTERS = ", ".join(b.value for b in trajectory.Barrier)


def practical_matters(
    named: Mapping[trajectory.PracticalStatus, list[trajectory.Barrier]],
    others: trajectory.PracticalStatus | None,
) -> tuple[trajectory.PracticalMatter, ...]:
    """The conversation on practical matters from the options: each matter once."""
    status: dict[trajectory.Barrier, trajectory.PracticalStatus] = {}
    for given, barriers in named.items():
        for b in barriers:
            if status.setdefault(b, given) is not given:
                raise CliError(
                    _(
                        "practical matter {value} is given twice, as {value2} and as {value3}"
                    ).format(value=b.value, value2=status[b].value, value3=given.value)
                )
    if others is not None:
        for b in trajectory.Barrier:
            status.setdefault(b, others)
    missing = [b.value for b in trajectory.Barrier if b not in status]
    if missing:
        raise CliError(
            _(
                "the conversation on practical matters covers every matter; not given: "
                "{missing}. Name each with --barrier, --no-problem or "
                "--not-applicable, or give --other-matters for the rest"
            ).format(missing=", ".join(missing))
        )
    return tuple(
        trajectory.PracticalMatter(barrier=b, status=status[b])
        for b in trajectory.Barrier
        if b in status
    )


@app.command("match")
def match(
    ctx: typer.Context,
    trajectory_id: TrajectoryId,
    name: Annotated[str, option("The candidate's name (personal data: sealed, never logged).")],
    bsn: Annotated[str, option("The candidate's BSN (personal data: sealed, never logged).")],
    motivation_passed: Annotated[
        bool, option("The motivation screen's result.", "--motivation-passed/--motivation-failed")
    ],
    candidate: Annotated[
        str | None,
        option(
            "An existing candidate's reference, as an earlier match printed it (the same person "
            "on another trajectory). Default: a new candidate, with a new reference."
        ),
    ] = None,
    external_ref: Annotated[
        str | None, option("Another system's reference for the person (sealed, never an id).")
    ] = None,
    skill: Annotated[list[str] | None, option("A skill the candidate has (repeat).")] = None,
    language_level: Annotated[
        str | None, option("The level the language test (taaltest) found, e.g. A2.")
    ] = None,
    information_meeting: Annotated[
        bool,
        option(
            "The candidate took part in the information meeting (informatiebijeenkomst).",
            "--information-meeting",
        ),
    ] = False,
    barrier: Annotated[
        list[trajectory.Barrier] | None,
        typer.Option(
            metavar="MATTER",
            help="A practical matter (praktische zaak) to solve (repeat); the matters are "
            f"{MATTERS}.",
            show_default=False,
        ),
    ] = None,
    no_problem: Annotated[
        list[trajectory.Barrier] | None,
        typer.Option(
            metavar="MATTER", help="One discussed that is no problem (repeat).", show_default=False
        ),
    ] = None,
    not_applicable: Annotated[
        list[trajectory.Barrier] | None,
        typer.Option(
            metavar="MATTER", help="One that does not apply (repeat).", show_default=False
        ),
    ] = None,
    other_matters: Annotated[
        trajectory.PracticalStatus | None,
        typer.Option(
            metavar="STATUS",
            help="How every matter not named stands: no-problem or not-applicable.",
            show_default=False,
        ),
    ] = None,
    email: Annotated[str | None, option("E-mail address (personal data: sealed).")] = None,
    phone: Annotated[str | None, option("Phone number (personal data: sealed).")] = None,
    address: Annotated[str | None, option("Postal address (personal data: sealed).")] = None,
    health_notes: Annotated[
        str | None, option("Notes on health (special category: sealed).")
    ] = None,
    debt_notes: Annotated[str | None, option("Notes on debts (personal data: sealed).")] = None,
    family_notes: Annotated[
        str | None, option("Notes on family matters (personal data: sealed).")
    ] = None,
    effective: Effective = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Record the match job-candidate (match baan-kandidaat, step 4).

    The personal data is sealed here with the candidate's own key (made on first use), so it
    can be erased later with `nbm candidate erase`.
    """
    rid, at = new_request(request_id), parse_effective(effective)
    if candidate is None:
        candidate_ref = generated_id("cand")
        repeat_with(ctx, "--candidate", candidate_ref)  # a repeat must match this same one
    else:
        candidate_ref = check_generated(candidate, "cand", "--candidate")
    fields = {
        "name": name,
        "bsn": bsn,
        "external_ref": external_ref,
        "email": email,
        "phone": phone,
        "address": address,
        "health_notes": health_notes,
        "debt_notes": debt_notes,
        "family_notes": family_notes,
    }
    personal = build(_PersonalOptions, options=MATCH_OPTIONS, personal=fields).personal
    command = build(
        trajectory.MatchCandidate,
        actor=actor(ctx),
        request_id=rid,
        effective_at=at,
        candidate_ref=candidate_ref,
        personal=UNSEALED,
        skills=tuple(skill or ()),
        motivation_screen_passed=motivation_passed,
        language_level=language_level,
        information_meeting_attended=information_meeting,
        practical_matters=practical_matters(
            {
                trajectory.PracticalStatus.TO_SOLVE: barrier or [],
                trajectory.PracticalStatus.NO_PROBLEM: no_problem or [],
                trajectory.PracticalStatus.NOT_APPLICABLE: not_applicable or [],
            },
            other_matters,
        ),
    )

    replaced: list[str] = []

    async def work(client: Client, config: Settings) -> CommandResult:
        ref = command.candidate_ref
        current = (await service.state(client, trajectory_id)).candidate
        if current is not None and current.candidate_ref != ref:
            replaced.append(current.candidate_ref)
        async with key_store(config) as keys:
            key, made = await keys.obtain(ref, create=True)
            sealed = command.model_copy(update={"personal": seal_personal(personal, key, ref)})
            try:
                return await service.send(client, trajectory_id, sealed)
            except service.CommandRefused:
                if made:  # sealed nothing that is kept: a refused match leaves no key behind
                    await keys.discard(ref)
                raise

    result = run(work, request_id=rid)
    if as_json:
        print_json({**result_json(result), "candidate_ref": candidate_ref})
    else:
        show_result(result, as_json)
        typer.echo(
            _("candidate {candidate_ref} (the reference for this person's next trajectory)").format(
                candidate_ref=candidate_ref
            )
        )
    for old in replaced:
        # Another person, or the same one again without --candidate: either way the first
        # match stays in the history, readable until that candidate is erased.
        typer.echo(
            _(
                "replaces candidate {old} on this trajectory; their match stays in the "
                "history (nbm candidate erase {old} if they are not matched anywhere "
                "else)"
            ).format(old=old),
            err=True,
        )
