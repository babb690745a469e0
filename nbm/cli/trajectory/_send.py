"""Sending one coach command to a trajectory, and showing what came back.

Every command builds the domain command from its options and sends it with `send`; the
workflow's validator runs the domain's rules, so a refused command leaves no trace and the
coach reads the domain's reason. A free text about the candidate (a `--summary`) is sealed
with the candidate's key before it is sent: the workflow, its history, the events and the
logs only ever see the ciphertext.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

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
    _send_sealing(
        trajectory_id, command, check_summary(summary), seal_summary, with_summary, as_json
    )


def send_with_free_text(
    trajectory_id: str,
    with_text: Callable[[FreeText | None], trajectory.CoachCommand],
    text: str | None,
    as_json: bool,
) -> None:
    """Send the command; its free text is first sealed (`seal_free_text`)."""
    command = with_text(text)  # every option checked, the text too, before anything connects
    plain = None if text is None else text.strip()
    _send_sealing(trajectory_id, command, plain, seal_free_text, with_text, as_json)


def _send_sealing(
    trajectory_id: str,
    command: trajectory.CoachCommand,
    text: str | None,
    seal: Callable[[Settings, trajectory.Trajectory, str], Awaitable[Sealed]],
    with_sealed: Callable[[Sealed], trajectory.CoachCommand],
    as_json: bool,
) -> None:
    """Send `command`, or with `text` given, the command `with_sealed` builds around it
    once `seal` has sealed it against the trajectory's current state."""

    async def work(client: Client, config: Settings) -> CommandResult:
        found = command
        if text is not None:
            state = await service.state(client, trajectory_id)
            found = with_sealed(await seal(config, state, text))
        return await service.send(client, trajectory_id, found)

    show_result(run(work, request_id=command.request_id), as_json)


def show_result(result: CommandResult, as_json: bool) -> None:
    if as_json:
        print_json(result_json(result))
    else:
        typer.echo(result_line(result))
