"""The client side of a trajectory: start it, send it a coach's command, read it.

The CLI, the demo and the tests go through these functions; each turns Temporal's errors
into `ServiceError`s with one line a coach can read. The line is an English template marked
for the catalogue (`template`, `params`: the CLI shows it in the coach's language); a refusal
of the domain keeps the domain's template, also when it crossed Temporal (the details of the
`ApplicationError`, see `workflows.shell.refusal`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain import trajectory
from domain.shared import N_, DomainError, is_opaque_id
from workflows import (
    WORKFLOW_TYPE,
    CoachRequest,
    CommandResult,
    TrajectoryInput,
    TrajectoryWorkflow,
    search,
)


class ServiceError(Exception):
    """A request that could not be carried out; the message is one line for people.

    Args:
        template: the English message, marked with `N_`; with `params`, a template whose
            `{named}` parameters they fill in (ids, dates, numbers, codes; never personal
            data). `str(err)` is the English text; the CLI translates `template`.
        code: a stable code (the domain error's, for a refusal).
    """

    def __init__(self, template: str, /, *, code: str = "error", **params: Any) -> None:
        message = template.format(**params) if params else template
        super().__init__(message)
        self.message = message
        self.code = code
        self.template = template
        self.params = params


class UnknownTrajectory(ServiceError):
    def __init__(self, trajectory_id: str) -> None:
        super().__init__(
            N_("no trajectory with id {trajectory_id}"),
            code="unknown-trajectory",
            trajectory_id=trajectory_id,
        )


class CommandRefused(ServiceError):
    """The domain refused the command; `code` is the domain error's code."""

    @classmethod
    def of(cls, err: DomainError) -> CommandRefused:
        """The domain's refusal, its template and parameters kept."""
        return cls(err.template, code=err.code, **err.json_params())

    @classmethod
    def from_failure(cls, cause: ApplicationError) -> CommandRefused:
        """A refusal that crossed Temporal: the template and parameters in its details
        (`workflows.shell.refusal`), else its message as it is."""
        found = refusal_details(cause.details)
        code = cause.type or "error"
        if found is None:
            return cls(N_("{message}"), code=code, message=cause.message)
        template, params = found
        refused = cls(cause.message, code=code)
        refused.template, refused.params = template, params
        return refused


def refusal_details(details: Any) -> tuple[str, dict[str, Any]] | None:
    """(template, params) from an `ApplicationError`'s details, `(template, params)` as
    `workflows.shell.refusal` gives them; None when it carries none (raised by other code)."""
    if not details or len(details) != 2:
        return None
    template, params = details
    if isinstance(template, str) and isinstance(params, Mapping):
        return template, dict(params)
    return None


class CommandUnanswered(ServiceError):
    """No answer in time. The command may still be applied; sent again with the same request
    id, it is applied at most once and answered as the first time."""

    def __init__(self, request_id: str | None) -> None:
        if request_id:
            super().__init__(
                N_(
                    "no answer in time: the command may still be applied; send it again with "
                    "--request-id {request_id}: it is applied at most once"
                ),
                code="unanswered",
                request_id=request_id,
            )
        else:
            super().__init__(
                N_(
                    "no answer in time: the command may still be applied; look with "
                    "`nbm trajectory show` before sending it again"
                ),
                code="unanswered",
            )
        self.request_id = request_id


def check_start(command: trajectory.StartTrajectory, *, now: datetime | None = None) -> None:
    """`CommandRefused` if the domain refuses this start (at `now`, default this clock), or
    if the command would not read back as it is (a value set past its validation: the worker
    could never read the workflow's input, and the trajectory would be stuck for good)."""
    try:
        trajectory.StartTrajectory.model_validate(command.model_dump())
    except ValidationError as err:
        raise CommandRefused(
            N_("invalid start: {count} field(s) do not hold (programme copy, job)"),
            code="invalid-command",
            count=err.error_count(),
        ) from None
    try:
        trajectory.decide(None, command, now or datetime.now(UTC))
    except DomainError as err:
        raise CommandRefused.of(err) from None


async def start_trajectory(
    client: Client,
    task_queue: str,
    command: trajectory.StartTrajectory,
    *,
    now: datetime | None = None,
) -> CommandResult:
    """Start a trajectory and return once its first event is stored.

    `now` is the time the start is checked against here (default: this machine's clock; a
    test on the time-skipping server passes the server's time).
    """
    return (await start_or_find(client, task_queue, command, now=now))[0]


async def start_or_find(
    client: Client,
    task_queue: str,
    command: trajectory.StartTrajectory,
    *,
    now: datetime | None = None,
) -> tuple[CommandResult, bool]:
    """`start_trajectory`, and whether the trajectory was there already (started before by
    this same request: `nbm import` run again)."""
    # The workflow runs the same check at its own time; doing it here first gives the coach
    # the reason without starting a workflow that would fail at once.
    check_start(command, now=now)
    already = False
    try:
        handle = await client.start_workflow(
            TrajectoryWorkflow.run,
            TrajectoryInput(start=command),
            id=command.trajectory_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        if command.request_id is None:
            raise CommandRefused(
                N_("trajectory {trajectory_id} already exists"),
                code="trajectory-already-started",
                trajectory_id=command.trajectory_id,
            ) from None
        # Perhaps this very start, sent before without an answer: the workflow knows.
        handle = client.get_workflow_handle_for(TrajectoryWorkflow.run, command.trajectory_id)
        already = True
    result = await _update(
        handle, command.trajectory_id, TrajectoryWorkflow.stored, command.request_id
    )
    return result, already


async def send(
    client: Client, trajectory_id: str, command: trajectory.CoachCommand
) -> CommandResult:
    """Send one coach command; returns once its events are stored.

    The command's request id is the update's id: Temporal joins a retry to a first attempt
    still in flight, and the workflow answers one already applied with its first answer.
    """
    handle = client.get_workflow_handle_for(TrajectoryWorkflow.run, trajectory_id)
    return await _update(
        handle,
        trajectory_id,
        TrajectoryWorkflow.execute,
        CoachRequest(command=command),
        update_id=command.request_id,
    )


async def exists(client: Client, trajectory_id: str) -> bool:
    """Whether a trajectory with this id was ever started (running or ended)."""
    try:
        await client.get_workflow_handle(trajectory_id).describe()
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return False
        raise _rpc_error(err, trajectory_id) from None
    return True


async def state(client: Client, trajectory_id: str) -> trajectory.Trajectory:
    handle = client.get_workflow_handle_for(TrajectoryWorkflow.run, trajectory_id)
    try:
        found = await handle.query(TrajectoryWorkflow.state)
    except RPCError as err:
        raise _rpc_error(err, trajectory_id) from None
    except WorkflowQueryFailedError as err:  # e.g. its history no longer replays
        raise ServiceError(
            N_("trajectory {trajectory_id} cannot be read: {reason}"),
            trajectory_id=trajectory_id,
            reason=err.message,
        ) from None
    if found is None:
        raise ServiceError(
            N_("trajectory {trajectory_id} is still starting; try again"),
            trajectory_id=trajectory_id,
        )
    return found


async def run_events(client: Client, trajectory_id: str) -> list[trajectory.AnyEvent]:
    handle = client.get_workflow_handle_for(TrajectoryWorkflow.run, trajectory_id)
    try:
        return await handle.query(TrajectoryWorkflow.run_events)
    except RPCError as err:
        raise _rpc_error(err, trajectory_id) from None


async def list_trajectories(
    client: Client,
    *,
    include_closed: bool = False,
    limit: int = 100,
    coach: str | None = None,
    step: trajectory.Step | None = None,
) -> list[tuple[str, WorkflowExecutionStatus | None, datetime]]:
    """(trajectory id, status, start time of its latest run) of the trajectories, newest first.

    A run that continued as new is an earlier chapter of a trajectory, not one of its own.
    `coach` and `step` filter on the search attributes (`workflows.search`).
    """
    query = f"WorkflowType = '{WORKFLOW_TYPE}'"
    if coach is not None:
        if not is_opaque_id(coach):  # it goes into a query: an id, no quotes
            raise ServiceError(N_("{coach!r} is not a coach id"), coach=coach[:40])
        query += f" AND {search.COACH_ID.name} = '{coach}'"
    if step is not None:
        query += f" AND {search.STEP.name} = '{trajectory.Step(step).value}'"
    if not include_closed:
        query += " AND ExecutionStatus = 'Running'"
    else:
        query += " AND ExecutionStatus != 'ContinuedAsNew'"
    found: dict[str, tuple[str, WorkflowExecutionStatus | None, datetime]] = {}
    async for execution in client.list_workflows(query, limit=limit):
        found.setdefault(execution.id, (execution.id, execution.status, execution.start_time))
    return list(found.values())


async def _update(
    handle: WorkflowHandle,
    trajectory_id: str,
    update: object,
    arg: object = None,
    *,
    update_id: str | None = None,
) -> CommandResult:
    try:
        result: CommandResult = await handle.execute_update(update, arg, id=update_id)  # type: ignore[call-overload]
    except WorkflowUpdateRPCTimeoutOrCancelledError:
        raise CommandUnanswered(update_id or _request_of(arg)) from None
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError):
            raise CommandRefused.from_failure(cause) from None
        raise ServiceError(N_("the command failed: {reason}"), reason=str(cause)) from None
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND and await _has_ended(handle):
            raise CommandRefused(
                N_("trajectory {trajectory_id} is closed; nothing more can be recorded"),
                code="trajectory-closed",
                trajectory_id=trajectory_id,
            ) from None
        raise _rpc_error(err, trajectory_id) from None
    return result


def _request_of(arg: object) -> str | None:
    if isinstance(arg, CoachRequest):
        return arg.command.request_id
    return arg if isinstance(arg, str) else None


async def _has_ended(handle: WorkflowHandle) -> bool:
    """Whether the workflow exists but has finished (updates then answer NOT_FOUND too)."""
    try:
        description = await handle.describe()
    except RPCError:
        return False
    return description.status not in (None, WorkflowExecutionStatus.RUNNING)


def _rpc_error(err: RPCError, trajectory_id: str) -> ServiceError:
    if err.status == RPCStatusCode.NOT_FOUND:
        return UnknownTrajectory(trajectory_id)
    return ServiceError(N_("Temporal refused the request: {reason}"), reason=err.message)
