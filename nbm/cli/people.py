"""`nbm people`: the directory of work coaches, supervisors and account managers (ids,
roles, whom they answer to, a coach's caseload limit); names and e-mail are sealed."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from domain import people
from domain.shared import ContactDetails
from nbm import stream_service as streams
from nbm.i18n import _

from ._common import AsJson, RequestId, actor, build, console, new_request, print_json, run
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
            supervisor_id=supervisor, caseload_limit=caseload_limit, contact=sealed,
        )  # fmt: skip
        return await streams.people_command(client, config.task_queue, command)

    result = run(work, request_id=rid)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        typer.echo(_("{person_id} added ({value})").format(person_id=person_id, value=role.value))


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
