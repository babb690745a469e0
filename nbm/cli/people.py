"""`nbm people`: the directory of work coaches, supervisors and account managers (ids,
roles, whom they answer to, a coach's caseload limit); names and e-mail are sealed."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from domain import people
from domain.shared import ContactDetails
from nbm import caseload_limit
from nbm import stream_service as streams
from nbm.i18n import _

from ._common import (
    AsJson,
    CliError,
    RequestId,
    actor,
    build,
    console,
    new_request,
    print_json,
    run,
)
from ._keys import seal_contact_details

app = typer.Typer(
    help="People: coaches, supervisors, account managers.",
    no_args_is_help=True,
)

PersonId = Annotated[str, typer.Argument(help="The person's id, e.g. coach-anna.")]


@app.command("add")
def add(
    ctx: typer.Context,
    person_id: PersonId,
    role: Annotated[people.Role, typer.Option(help="coach, supervisor or account-manager.")],
    name: Annotated[str, typer.Option(help="Name (sealed).")],
    email: Annotated[str, typer.Option(help="E-mail (sealed).")],
    supervisor: Annotated[
        str | None, typer.Option(help="Supervisor: to whom tasks escalate.")
    ] = None,
    caseload_limit: Annotated[
        int | None,
        typer.Option(help="Required for a coach (and only then): the most trajectories at once."),
    ] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Add a person to the directory."""
    who, rid = actor(ctx), new_request(request_id)
    details = build(ContactDetails, name=name, email=email)

    async def work(client: Any, config: Any) -> streams.StreamResult:
        sealed = await seal_contact_details(config, person_id, details)
        command = build(
            people.AddPerson, actor=who, request_id=rid, person_id=person_id, role=role,
            supervisor_id=supervisor, caseload_limit=_limit_for(role, caseload_limit, config),
            contact=sealed,
        )  # fmt: skip
        return await streams.people_command(client, config.task_queue, command)

    result = run(work, request_id=rid)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        typer.echo(_("{person_id} added ({value})").format(person_id=person_id, value=role.value))


def _limit_for(role: people.Role, given: int | None, config: Any) -> int | None:
    """A coach's limit: as given, else the setting's default (NBM_CASELOAD_LIMIT)."""
    if given is None and role is people.Role.COACH:
        return int(config.caseload_limit)
    return given


@app.command("set-caseload-limit")
def set_caseload_limit(
    ctx: typer.Context,
    person_id: PersonId,
    limit: Annotated[
        int,
        typer.Argument(
            help="How many open trajectories the coach may hold (0 to 500).", min=0, max=500
        ),
    ],
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Set a coach's caseload limit (by a supervisor above the coach, the actor).

    A start past it is refused unless a supervisor allows it (nbm trajectory start
    --override-by); trajectories already open stay.
    """
    who, rid = actor(ctx), new_request(request_id)

    async def work(client: Any, config: Any) -> streams.StreamResult:
        directory = await streams.directory(client)
        person = directory.people.get(person_id)
        if person is None:
            raise CliError(_("{who} is not in the people directory").format(who=person_id))
        if person.role is not people.Role.COACH:
            raise CliError(_("{who} is not a coach: only a coach has a caseload limit").format(
                who=person_id))  # fmt: skip
        try:
            caseload_limit.check_supervisor(directory, who, person_id)
        except caseload_limit.OverrideRefused:
            raise CliError(
                _(
                    "only a supervisor above coach {coach} can set their limit; you are {who}"
                ).format(coach=person_id, who=who)
            ) from None
        command = people.ChangePerson(
            actor=who, request_id=rid, person_id=person_id, caseload_limit=limit
        )
        return await streams.people_command(client, config.task_queue, command)

    result = run(work, request_id=rid)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        typer.echo(_("{who}: caseload limit {limit}").format(who=person_id, limit=limit))


@app.command("remove")
def remove(ctx: typer.Context, person_id: PersonId, request_id: RequestId = None) -> None:
    """A person leaves: still known, no longer active."""
    rid = new_request(request_id)
    command = people.RemovePerson(actor=actor(ctx), request_id=rid, person_id=person_id)
    run(lambda client, config: streams.people_command(client, config.task_queue, command),
        request_id=rid)  # fmt: skip
    typer.echo(_("{person_id} left").format(person_id=person_id))


@app.command("list")
def list_(as_json: AsJson = False) -> None:
    """Everyone in the directory, with role, supervisor and the line upwards."""
    directory = run(lambda client, _: streams.directory(client))
    rows: list[dict[str, Any]] = [
        {
            "person_id": p.person_id,
            "role": p.role.value,
            "supervisor_id": p.supervisor_id,
            "caseload_limit": p.caseload_limit,
            "active": p.active,
            "escalates_to": directory.chain_of(p.person_id),
        }
        for p in directory.people.values()
    ]
    if as_json:
        print_json(rows)
        return
    table = Table(show_edge=False)
    for column in (
        _("id"),
        _("role"),
        _("supervisor"),
        _("caseload"),
        _("active"),
        _("escalates to"),
    ):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["person_id"], r["role"], r["supervisor_id"] or "—",
            str(r["caseload_limit"]) if r["caseload_limit"] is not None else "—",
            "ja" if r["active"] else "nee", " → ".join(r["escalates_to"]) or "—",
        )  # fmt: skip
    console().print(table)
