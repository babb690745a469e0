"""`nbm tasks`: the tasks the engine opened (a silent employer, a mail that could not be
delivered), each with an acknowledgement deadline; unacknowledged they climb to the
supervisor. `nbm tasks [--mine] [--overdue]`, `nbm tasks ack|resolve ID`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from domain import task
from nbm import stream_service as streams
from nbm.i18n import _
from workflows.stream_messages import TASK_WORKFLOW

from ._common import AsJson, RequestId, actor, console, new_request, print_json, run, when
from ._render import task_kind, task_status

app = typer.Typer(
    help="Tasks: what the engine opened, with a deadline to acknowledge.",
    invoke_without_command=True,
)

TaskId = Annotated[str, typer.Argument(help="The task's id (task-...).")]


def task_json(t: task.Task, now: datetime) -> dict[str, Any]:
    return {
        "task_id": t.task_id,
        "kind": t.task_kind.value,
        "about": t.about,
        "assignee_id": t.assignee_id,
        "status": t.status.value,
        "ack_due_on": t.ack_due_on.isoformat(),
        "overdue": t.overdue(now),
        "climbed": list(t.climbed),
        "opened_at": when(t.opened_at),
        "lost_on": t.lost_on,
        "proposals": [
            {
                "future_job_id": p.future_job_id,
                "employer_id": p.employer_id,
                "function": p.function,
                "expected_on": p.expected_on.isoformat(),
                "free_places": p.free_places,
                "same_sector": p.same_sector,
                "matched_skills": list(p.matched_skills),
                "missing_skills": list(p.missing_skills),
            }
            for p in t.proposals
        ],
    }


@app.callback()
def tasks(
    ctx: typer.Context,
    mine: Annotated[bool, typer.Option("--mine", help="Only my tasks (the actor).")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those acknowledged late.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """The open tasks, oldest first."""
    if ctx.invoked_subcommand is not None:
        return
    me = actor(ctx)

    async def work(client: Any, _: Any) -> list[task.Task]:
        ids = await streams.list_ids(client, TASK_WORKFLOW)
        return list(await asyncio.gather(*(streams.task_state(client, i) for i, _ in ids)))

    now = datetime.now(UTC)
    found = sorted(run(work), key=lambda t: t.opened_at)
    rows = [
        task_json(t, now)
        for t in found
        if (not mine or t.assignee_id == me) and (not overdue or t.overdue(now))
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(_("no tasks"))
        return
    table = Table(show_edge=False)
    for column in (
        _("id"),
        _("kind"),
        _("about"),
        _("with"),
        _("status"),
        _("acknowledge by"),
        _("escalated"),
    ):
        table.add_column(column, overflow="fold")  # ids wrap, never cut: they are copied
    for r in rows:
        due = r["ack_due_on"] + (" " + _("(late)") if r["overdue"] else "")
        table.add_row(r["task_id"], task_kind(r["kind"]), r["about"], r["assignee_id"],
                      task_status(r["status"]), due,
                      " → ".join(r["climbed"]) or "—")  # fmt: skip
    console().print(table)


def _command(ctx: typer.Context, task_id: str, cls: type, request_id: str | None) -> None:
    rid = new_request(request_id)
    command: Any = cls(actor=actor(ctx), request_id=rid)
    result = run(lambda client, _: streams.task_command(client, task_id, command), request_id=rid)
    typer.echo(f"{task_id}: {', '.join(result.event_types) or 'al zo / already'}")


@app.command("ack")
def ack(ctx: typer.Context, task_id: TaskId, request_id: RequestId = None) -> None:
    """Acknowledge that you take the task up: it then escalates no further."""
    _command(ctx, task_id, task.AcknowledgeTask, request_id)


@app.command("resolve")
def resolve(ctx: typer.Context, task_id: TaskId, request_id: RequestId = None) -> None:
    """Resolve the task."""
    _command(ctx, task_id, task.ResolveTask, request_id)


@app.command("show")
def show(task_id: TaskId, as_json: AsJson = False) -> None:
    """Show one task."""
    data = task_json(run(lambda client, _: streams.task_state(client, task_id)), datetime.now(UTC))
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        if key == "proposals" or value is None:
            continue
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, list):
            value = " → ".join(value) or "—"
        typer.echo(f"{key.replace('_', ' ')}: {value}")
    for n, p in enumerate(data["proposals"], start=1):
        sector = _("same sector") if p["same_sector"] else _("another sector")
        typer.echo(
            _(
                "proposal {n}: {future_job_id} ({employer_id}, {function}, by "
                "{expected_on}, {free_places} free, {sector}); fits: {value}; still to "
                "learn: {value2}"
            ).format(
                n=n,
                future_job_id=p["future_job_id"],
                employer_id=p["employer_id"],
                function=p["function"],
                expected_on=p["expected_on"],
                free_places=p["free_places"],
                sector=sector,
                value=", ".join(p["matched_skills"]) or "—",
                value2=", ".join(p["missing_skills"]) or "—",
            )
        )
    if data["proposals"]:
        typer.echo(
            _(
                "decide with: nbm future-job decide {value} --trajectory {about} --move-to "
                "<proposal> --reason ... (or --work-study, --follow-on-education)"
            ).format(value=data["lost_on"] or "<FJ>", about=data["about"])
        )
