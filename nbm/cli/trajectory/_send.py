"""Sending one coach command to a trajectory, and showing what came back.

Every command builds the domain command from its options and sends it with `send`; the
workflow's validator runs the domain's rules, so a refused command leaves no trace and the
coach reads the domain's reason. A free text about the candidate (a `--summary`) is sealed
with the candidate's key before it is sent: the workflow, its history, the events and the
logs only ever see the ciphertext.
"""

from __future__ import annotations

from collections.abc import Callable

import typer
from temporalio.client import Client

from domain import trajectory
from domain.shared import FreeText, Sealed
from nbm import service
from nbm.settings import Settings
from workflows import CommandResult

from .._common import print_json, run
from .._keys import check_summary, seal_free_text, seal_summary
from .._render import result_json, result_line


def send(trajectory_id: str, command: trajectory.CoachCommand, as_json: bool) -> None:
    """Send `command`, print the result once its events are stored."""
    work = run(
        lambda client, _: service.send(client, trajectory_id, command),
        request_id=command.request_id,
    )
    show_result(work, as_json)


def send_with_summary(
    trajectory_id: str,
    with_summary: Callable[[Sealed | None], trajectory.CoachCommand],
    summary: str | None,
    as_json: bool,
) -> None:
    """Send the command; a summary is first sealed with the candidate's key."""
    command = with_summary(None)  # checks every other option before anything connects
    text = check_summary(summary)

    async def work(client: Client, config: Settings) -> CommandResult:
        found = command
        if text is not None:
            state = await service.state(client, trajectory_id)
            found = with_summary(await seal_summary(config, state, text))
        return await service.send(client, trajectory_id, found)

    show_result(run(work, request_id=command.request_id), as_json)


def send_with_free_text(
    trajectory_id: str,
    with_text: Callable[[FreeText | None], trajectory.CoachCommand],
    text: str | None,
    as_json: bool,
) -> None:
    """Send the command; its free text is first sealed (`seal_free_text`)."""
    command = with_text(text)  # every option checked, the text too, before anything connects

    async def work(client: Client, config: Settings) -> CommandResult:
        found = command
        if text is not None:
            state = await service.state(client, trajectory_id)
            found = with_text(await seal_free_text(config, state, text.strip()))
        return await service.send(client, trajectory_id, found)

    show_result(run(work, request_id=command.request_id), as_json)


def show_result(result: CommandResult, as_json: bool) -> None:
    if as_json:
        print_json(result_json(result))
    else:
        typer.echo(result_line(result))
