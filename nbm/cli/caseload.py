"""`nbm caseload`: the coach's own trajectories by step, and the lists a coach works from
each morning (overdue evaluations, open tasks and escalations, no contact for weeks, learning
periods and benefit-retention clocks ending). From the read models only (`nbm.caseload`):
ids, steps, dates and counts, nothing personal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import asyncpg
import typer
from rich.table import Table

from domain import people
from domain.shared import COACH_TIME_ZONE, is_opaque_id
from nbm import caseload as service
from nbm import stream_service as streams
from nbm.i18n import N_, _, ngettext
from nbm.settings import ConfigError

from ._common import AsJson, CliError, actor, console, excerpt, print_json, run, warn, when
from ._render import task_kind, task_status
from .report import read_models

STEP_NAMES = {
    "1-future-job-in-view": N_("1 future job in view"),
    "2-possibilities-mapped": N_("2 possibilities mapped"),
    "3/4-agreement-and-match": N_("3/4 learning route and match"),
    "5-learning-in": N_("5 learning in"),
    "6-outcome": N_("6 regular job (outcome)"),
}
"""The steps as the coach reads them (translated where shown)."""


def parse_at(value: str | None) -> datetime:
    """`--at`: a date (its start, in the coaches' time) or a date and time; default now."""
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(
            _("--at: {value} is not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM").format(
                value=value[:40]
            )
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=COACH_TIME_ZONE)


def _checked_id(value: str, option: str) -> str:
    if not is_opaque_id(value):
        raise CliError(
            _("{option}: {value} is not an id").format(option=option, value=excerpt(value))
        )
    return value


def team_of(directory: people.Directory, supervisor: str) -> list[str]:
    """The active coaches below `supervisor`, anywhere down the line."""
    person = directory.people.get(supervisor)
    if person is None or person.role is not people.Role.SUPERVISOR:
        raise CliError(_("--team: {who} is not a supervisor in the people directory").format(
            who=supervisor))  # fmt: skip
    return sorted(p.person_id for p in directory.with_role(people.Role.COACH)
                  if supervisor in directory.chain_of(p.person_id))  # fmt: skip


def caseload(
    ctx: typer.Context,
    coach: Annotated[
        str | None,
        typer.Option(help="Whose caseload; default: the actor (--actor).", show_default=False),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option(
            help="A supervisor's id: the caseload of every coach below them (people directory).",
            show_default=False,
        ),
    ] = None,
    no_contact_weeks: Annotated[
        int,
        typer.Option(
            help="List trajectories without contact for this many weeks (an evaluation, a "
            "calamity, a match, a placement, a job: anything a person recorded).",
            min=1,
            max=104,
        ),
    ] = 4,
    within_weeks: Annotated[
        int,
        typer.Option(
            help="List learning periods and benefit-retention clocks ending within this many "
            "weeks.",
            min=1,
            max=104,
        ),
    ] = 4,
    at: Annotated[
        str | None,
        typer.Option(
            help="The moment the lists are for, YYYY-MM-DD or YYYY-MM-DDTHH:MM; default: now.",
            show_default=False,
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Your caseload: your trajectories by step, and what needs you today (werkvoorraad)."""
    if coach is not None and team is not None:
        raise CliError(_("give --coach or --team, not both"))
    moment = parse_at(at)
    if team is not None:
        supervisor = _checked_id(team, "--team")
        coaches = run(lambda client, _cfg: _team(client, supervisor))
        if not coaches:
            raise CliError(_("--team: no coaches below {who}").format(who=supervisor))
    else:
        coaches = [_checked_id(coach or actor(ctx), "--coach")]

    async def work(pool: asyncpg.Pool) -> service.Caseload:
        return await service.caseload(
            pool, coaches, at=moment, no_contact_weeks=no_contact_weeks, within_weeks=within_weeks
        )

    found = read_models(work)
    if not found.known and team is None:
        _known_coach(coaches[0])
    if found.stale:
        warn(_("the read models predate the caseload's columns: run `nbm report rebuild`"))
    data = caseload_json(found)
    if as_json:
        print_json(data)
        return
    _print(found, no_contact_weeks, within_weeks)


async def _team(client: Any, supervisor: str) -> list[str]:
    return team_of(await streams.directory(client), supervisor)


def _known_coach(coach: str) -> None:
    """No trajectory nor task in the read models: a coach of the directory, else refused."""
    try:
        directory = run(lambda client, _cfg: streams.directory(client))
    except (CliError, ConfigError):  # no Temporal here: the read models are all we have
        directory = None
    if directory is None or coach not in directory.people:
        raise CliError(
            _(
                "coach {coach} has no trajectories or tasks and is not in the people directory"
            ).format(coach=coach)
        )


def caseload_json(c: service.Caseload) -> dict[str, Any]:
    def rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: _plain(v) for k, v in r.items()} for r in items]

    return {
        "coaches": c.coaches,
        "at": c.at.isoformat(),
        "stale": c.stale,
        "by_step": {step: rows(items) for step, items in c.by_step.items()},
        "open_trajectories": sum(len(items) for items in c.by_step.values()),
        "overdue_evaluations": rows(c.overdue_evaluations),
        "tasks": rows(c.tasks),
        "escalations": rows(c.escalations),
        "no_contact": rows(c.no_contact),
        "learning_ending": rows(c.learning_ending),
        "benefit_ending": rows(c.benefit_ending),
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _table(title: str, columns: tuple[str, ...]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")  # ids wrap, never cut: they are copied
    return table


def _print(c: service.Caseload, no_contact_weeks: int, within_weeks: int) -> None:
    out = console()
    total = sum(len(items) for items in c.by_step.values())
    out.print(
        ngettext(
            "{coaches}: {n} open trajectory", "{coaches}: {n} open trajectories", total
        ).format(coaches=", ".join(c.coaches), n=total)
    )
    steps = _table(_("By step"), (_("step"), _("count"), _("trajectories")))
    for step, items in c.by_step.items():
        steps.add_row(_(STEP_NAMES.get(step, step)), str(len(items)),
                      " ".join(r["trajectory_id"] for r in items) or "—")  # fmt: skip
    out.print(steps)
    sections: list[tuple[str, tuple[str, ...], list[list[str]]]] = [
        (
            _("Overdue evaluations"),
            (_("trajectory"), _("due since"), _("programme")),
            [[r["trajectory_id"], when(r["due_at"]), r["programme_id"]]
             for r in c.overdue_evaluations],
        ),
        (
            _("Open tasks"),
            (_("task"), _("kind"), _("about"), _("status"), _("acknowledge by")),
            [[r["task_id"], task_kind(r["task_kind"]), r["about"], task_status(r["status"]),
              r["ack_due_on"].isoformat() + (" " + _("(late)") if r["overdue"] else "")]
             for r in c.tasks],
        ),
        (
            _("Escalations and calamities"),
            (_("trajectory"), _("step"), _("open escalations"), _("open calamities")),
            [[r["trajectory_id"], _(STEP_NAMES.get(r["step"], r["step"])),
              str(r["escalations"]), str(r["open_calamities"])] for r in c.escalations],
        ),
        (
            ngettext("No contact for {n} week or more", "No contact for {n} weeks or more",
                     no_contact_weeks).format(n=no_contact_weeks),
            (_("trajectory"), _("step"), _("last contact"), _("weeks")),
            [[r["trajectory_id"], _(STEP_NAMES.get(r["step"], r["step"])),
              when(r["last_contact_at"]), str(r["weeks"])] for r in c.no_contact],
        ),
        (
            ngettext("Learning period ending within {n} week",
                     "Learning periods ending within {n} weeks", within_weeks
                     ).format(n=within_weeks),
            (_("trajectory"), _("learning ends")),
            [[r["trajectory_id"], when(r["learning_ends_at"])
              + (" " + _("(passed)") if r["passed"] else "")] for r in c.learning_ending],
        ),
        (
            _("Benefit retention running out"),
            (_("trajectory"), _("benefit retention ends")),
            [[r["trajectory_id"], when(r["benefit_retention_ends_at"])
              + (" " + _("(passed)") if r["passed"] else "")] for r in c.benefit_ending],
        ),
    ]  # fmt: skip
    for title, columns, rows in sections:
        if not rows:
            out.print(_("{title}: none").format(title=title))
            continue
        table = _table(title, columns)
        for row in rows:
            table.add_row(*row)
        out.print(table)
