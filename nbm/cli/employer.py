"""`nbm employer`: employers (werkgevers), their contact persons, and the answers an
account manager takes by phone (`answer`, the same as the employer's link would give)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from domain import employer, future_job, people
from domain.shared import ContactDetails
from nbm import stream_service as streams
from nbm.employer_page import DECLINE_REASONS
from nbm.i18n import N_, _
from workflows.stream_messages import EMPLOYER_WORKFLOW

from ._common import (
    AsJson,
    CliError,
    RequestId,
    actor,
    build,
    check_generated,
    console,
    generated_id,
    new_request,
    parse_date,
    print_json,
    repeat_with,
    run,
    when,
)
from ._keys import seal_contact_details

app = typer.Typer(
    help="Employers: register, contact persons, answers.",
    no_args_is_help=True,
)

EmployerId = Annotated[str, typer.Argument(help="The employer's id (emp-...).")]


@app.command("add")
def add(
    ctx: typer.Context,
    organisation: Annotated[str, typer.Option(help="The organisation's name.")],
    sector: Annotated[str, typer.Option(help="The sector, e.g. zorg, logistiek, techniek.")],
    account_manager: Annotated[
        str, typer.Option(help="The account manager's id (nbm people list).")
    ],
    contact_name: Annotated[
        str | None, typer.Option(help="The contact person's name (sealed).")
    ] = None,
    contact_email: Annotated[
        str | None, typer.Option(help="The contact person's e-mail (sealed).")
    ] = None,
    contact_role: Annotated[str, typer.Option(help="The contact person's role.")] = "HR",
    employer_id: Annotated[
        str | None, typer.Option("--id", help="Only to repeat: the id it printed.")
    ] = None,
    request_id: RequestId = None,
    as_json: AsJson = False,
) -> None:
    """Register an employer, with a contact person."""
    who, rid = actor(ctx), new_request(request_id)
    if employer_id is None:
        employer_id = generated_id("emp", request_id)
        repeat_with(ctx, "--id", employer_id)
    else:
        check_generated(employer_id, "emp", "--id")
    if (contact_name is None) != (contact_email is None):
        raise CliError(_("--contact-name and --contact-email go together"))
    command = build(
        employer.RegisterEmployer, actor=who, request_id=rid, employer_id=employer_id,
        organisation=organisation, sector=sector, account_manager_id=account_manager,
    )  # fmt: skip
    details = None
    if contact_name is not None and contact_email is not None:
        details = build(ContactDetails, name=contact_name, email=contact_email)

    async def work(client: Any, config: Any) -> streams.StreamResult:
        await check_account_manager(client, account_manager)
        result = await streams.register_employer(client, config.task_queue, command)
        if details is not None:
            ref = f"{employer_id}-contact-1"
            sealed = await seal_contact_details(config, ref, details)
            contact = employer.Contact(contact_id="contact-1", role=contact_role, details=sealed)
            result = await streams.employer_command(
                client,
                employer_id,
                employer.AddContact(actor=who, request_id=f"{rid}.c", contact=contact),
            )
        return result

    result = run(work, request_id=rid)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        typer.echo(employer_id)
        typer.echo(
            _("employer registered (request {rid})").format(rid=rid),
            err=True,
        )


async def check_account_manager(client: Any, person_id: str) -> None:
    """`CliError` unless `person_id` is an active account manager in the directory."""
    directory = await streams.directory(client)
    person = directory.people.get(person_id)
    if person is None or not person.active or person.role is not people.Role.ACCOUNT_MANAGER:
        raise CliError(
            _(
                "--account-manager: {person_id} is not an account manager in `nbm people list`"
            ).format(person_id=person_id)
        )


@app.command("add-contact")
def add_contact(
    ctx: typer.Context,
    employer_id: EmployerId,
    name: Annotated[str, typer.Option(help="Name (sealed).")],
    email: Annotated[str, typer.Option(help="E-mail (sealed).")],
    role: Annotated[str, typer.Option(help="What the contact person does, e.g. HR.")] = "HR",
    request_id: RequestId = None,
) -> None:
    """Add a contact person: the mails go to them."""
    who, rid = actor(ctx), new_request(request_id)
    details = build(ContactDetails, name=name, email=email)

    async def work(client: Any, config: Any) -> streams.StreamResult:
        state = await streams.employer_state(client, employer_id)
        contact_id = f"contact-{len(state.contacts) + 1}"
        while any(c.contact_id == contact_id for c in state.contacts):
            contact_id += "x"
        sealed = await seal_contact_details(config, f"{employer_id}-{contact_id}", details)
        contact = employer.Contact(contact_id=contact_id, role=role, details=sealed)
        return await streams.employer_command(
            client, employer_id, employer.AddContact(actor=who, request_id=rid, contact=contact)
        )

    result = run(work, request_id=rid)
    typer.echo(
        _("{employer_id}: contact added (v{version})").format(
            employer_id=employer_id, version=result.version
        )
    )


@app.command("show")
def show(employer_id: EmployerId, as_json: AsJson = False) -> None:
    """Show an employer: organisation, sector, account manager."""
    state = run(lambda client, _: streams.employer_state(client, employer_id))
    data = employer_json(state)
    if as_json:
        print_json(data)
        return
    table = Table(show_header=False, show_edge=False)
    for label, key in (
        (N_("employer"), "employer_id"),
        (N_("organisation"), "organisation"),
        (N_("sector"), "sector"),
        (N_("account manager"), "account_manager_id"),
        (N_("contacts"), "contacts"),
        (N_("registered"), "registered_at"),
    ):
        table.add_row(_(label), Text(str(data[key])))
    console().print(table)


def employer_json(state: employer.Employer) -> dict[str, Any]:
    return {
        "employer_id": state.employer_id,
        "organisation": state.organisation,
        "sector": state.sector,
        "account_manager_id": state.account_manager_id,
        # The contacts' ids and roles; their names and addresses are sealed.
        "contacts": ", ".join(f"{c.contact_id} ({c.role})" for c in state.contacts) or "—",
        "registered_at": when(state.registered_at),
        "version": state.version,
    }


@app.command("list")
def list_(as_json: AsJson = False) -> None:
    """Every employer."""

    async def work(client: Any, _: Any) -> list[employer.Employer]:
        ids = await streams.list_ids(client, EMPLOYER_WORKFLOW)
        return list(await asyncio.gather(*(streams.employer_state(client, i) for i, _ in ids)))

    rows = [employer_json(e) for e in run(work)]
    if as_json:
        print_json(rows)
        return
    table = Table(show_edge=False)
    for column in (_("id"), _("organisation"), _("sector"), _("account manager")):
        table.add_column(column, no_wrap=column == _("id"))
    for r in rows:
        table.add_row(
            r["employer_id"], Text(r["organisation"]), Text(r["sector"]), r["account_manager_id"]
        )
    console().print(table)


@app.command("answer")
def answer(
    ctx: typer.Context,
    future_job_id: Annotated[str, typer.Argument(help="The future job (fj-...).")],
    trajectory_id: Annotated[str, typer.Option("--trajectory", help="For which trajectory.")],
    confirm: Annotated[bool, typer.Option("--confirm", help="The employer confirms.")] = False,
    places: Annotated[
        int | None, typer.Option(help="The number of places the employer gives.")
    ] = None,
    other_date: Annotated[
        str | None, typer.Option("--date", help="Another date (YYYY-MM-DD).")
    ] = None,
    decline: Annotated[
        str | None,
        typer.Option(help="Declined, with a reason: " + ", ".join(DECLINE_REASONS) + "."),
    ] = None,
    request_id: RequestId = None,
) -> None:
    """Record the employer's answer (given by phone)."""
    who, rid = actor(ctx), new_request(request_id)
    chosen = [x for x in (confirm, places is not None, other_date, decline) if x]
    if len(chosen) != 1:
        raise CliError(_("choose exactly one of --confirm, --places, --date, --decline"))
    confirmed = future_job.RecordCommitment(
        actor=who, request_id=f"{rid}.c", trajectory_id=trajectory_id,
        answer=future_job.CommitmentAnswer.CONFIRMED,
    )  # fmt: skip
    commands: list[future_job.AnyCommand]
    if decline is not None:
        if decline not in DECLINE_REASONS:
            raise CliError(
                _("--decline: choose from {DECLINE_REASONS}").format(
                    DECLINE_REASONS=", ".join(DECLINE_REASONS)
                )
            )
        commands = [
            future_job.RecordCommitment(
                actor=who, request_id=f"{rid}.n", trajectory_id=trajectory_id,
                answer=future_job.CommitmentAnswer.DECLINED, reason=decline,
            )
        ]  # fmt: skip
    elif places is not None:
        if places < 1:
            raise CliError(_("--places: at least 1; no places is --decline geen-vacature"))
        commands = [
            build(future_job.ReduceJobs, actor=who, request_id=f"{rid}.r", jobs=places,
                  reason="telefonisch opgegeven door de werkgever"),
            confirmed,
        ]  # fmt: skip
    elif other_date is not None:
        day: date = parse_date(other_date, "--date")
        commands = [
            future_job.MoveExpectedDate(
                actor=who, request_id=f"{rid}.d", expected_on=day,
                reason="telefonisch voorgesteld door de werkgever",
            ),
            confirmed,
        ]  # fmt: skip
    else:
        commands = [confirmed]

    async def work(client: Any, _config: Any) -> streams.StreamResult:
        if places is not None:
            state = await streams.future_job_state(client, future_job_id)
            if places > state.jobs:
                raise CliError(
                    _(
                        "--places: {future_job_id} has {jobs} job(s); more places is a new "
                        "future job (nbm future-job forecast)"
                    ).format(future_job_id=future_job_id, jobs=state.jobs)
                )
            if places == state.jobs:  # as many as forecast: a confirmation
                commands.pop(0)
        result = None
        for command in commands:
            result = await streams.future_job_command(client, future_job_id, command)
        assert result is not None
        return result

    result = run(work, request_id=rid)
    typer.echo(
        _("answer recorded: {value}").format(value=", ".join(result.event_types) or "al bekend")
    )
