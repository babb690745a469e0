"""The client side of the employers, their future jobs, the people directory and tasks:
start each one's workflow, send it a command, read it. Errors become `ServiceError`s with
one line a person can read (the trajectory's service does the same for trajectories)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

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

from domain import cohort, employer, future_job, matching, people, task
from domain.shared import N_, DomainError, Phrase, is_opaque_id
from workflows.cohort import CohortWorkflow
from workflows.employer import EmployerWorkflow, PeopleWorkflow
from workflows.future_job import FutureJobWorkflow
from workflows.matching import MatchingWorkflow
from workflows.stream_messages import (
    CohortInput,
    CohortRequest,
    EmployerInput,
    EmployerRequest,
    FutureJobInput,
    FutureJobRequest,
    MatchingInput,
    MatchingRequest,
    PeopleInput,
    PeopleRequest,
    StreamResult,
    TaskRequest,
)
from workflows.task import TaskWorkflow

from .service import CommandRefused, CommandUnanswered, ServiceError

T = TypeVar("T")

WHAT = {
    "werkgever": N_("employer"),
    "toekomstige baan": N_("future job"),
    "taak": N_("task"),
    "personenlijst": N_("directory"),
    "matching": N_("matching"),
    "cohort": N_("cohort"),
}
"""What a stream is, by the name its functions pass (`what`), as a marked phrase."""


def _what(what: str) -> Phrase:
    return Phrase(WHAT.get(what, what))


class UnknownStream(ServiceError):
    def __init__(self, what: str, stream_id: str) -> None:
        super().__init__(
            N_("no {what} with id {stream_id}"),
            code="unknown",
            what=_what(what),
            stream_id=stream_id,
        )


def check_new(decide: Callable[..., Any], command: Any, now: datetime | None) -> None:
    try:
        decide(None, command, now or datetime.now(UTC))
    except DomainError as err:
        raise CommandRefused.of(err) from None


async def _start(
    client: Client,
    task_queue: str,
    run: Any,
    arg: Any,
    workflow_id: str,
    stored: Any,
    what: str,
    request_id: str | None,
) -> StreamResult:
    try:
        handle = await client.start_workflow(
            run,
            arg,
            id=workflow_id,
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        if request_id is None:
            raise CommandRefused(
                N_("{what} {stream_id} exists already"),
                what=_what(what),
                stream_id=workflow_id,
            ) from None
        handle = client.get_workflow_handle(workflow_id)
    return await _update(handle, what, workflow_id, stored, request_id, None)


async def register_employer(
    client: Client,
    task_queue: str,
    command: employer.RegisterEmployer,
    *,
    now: datetime | None = None,
) -> StreamResult:
    check_new(employer.decide, command, now)
    return await _start(
        client, task_queue, EmployerWorkflow.run, EmployerInput(start=command),
        command.employer_id, EmployerWorkflow.stored, "werkgever", command.request_id,
    )  # fmt: skip


async def employer_command(
    client: Client, employer_id: str, command: employer.AnyCommand
) -> StreamResult:
    handle = client.get_workflow_handle(employer_id)
    return await _update(
        handle, "werkgever", employer_id, EmployerWorkflow.execute,
        EmployerRequest(command=command), command.request_id,
    )  # fmt: skip


async def forecast(
    client: Client,
    task_queue: str,
    command: future_job.ForecastFutureJob,
    *,
    now: datetime | None = None,
) -> StreamResult:
    check_new(future_job.decide, command, now)
    return await _start(
        client, task_queue, FutureJobWorkflow.run, FutureJobInput(start=command),
        command.future_job_id, FutureJobWorkflow.stored, "toekomstige baan", command.request_id,
    )  # fmt: skip


async def future_job_command(
    client: Client, future_job_id: str, command: future_job.AnyCommand
) -> StreamResult:
    handle = client.get_workflow_handle(future_job_id)
    return await _update(
        handle, "toekomstige baan", future_job_id, FutureJobWorkflow.execute,
        FutureJobRequest(command=command), command.request_id,
    )  # fmt: skip


async def people_command(
    client: Client, task_queue: str, command: people.AnyCommand
) -> StreamResult:
    """A change to the directory; its workflow starts with the first one."""
    with contextlib.suppress(WorkflowAlreadyStartedError):
        await client.start_workflow(
            PeopleWorkflow.run, PeopleInput(), id=people.DIRECTORY_ID, task_queue=task_queue
        )
    handle = client.get_workflow_handle(people.DIRECTORY_ID)
    return await _update(
        handle, "personenlijst", people.DIRECTORY_ID, PeopleWorkflow.execute,
        PeopleRequest(command=command), command.request_id,
    )  # fmt: skip


async def matching_command(
    client: Client, task_queue: str, command: matching.AnyCommand
) -> StreamResult:
    """A profile or a decision for the matching; its workflow starts with the first one."""
    with contextlib.suppress(WorkflowAlreadyStartedError):
        await client.start_workflow(
            MatchingWorkflow.run, MatchingInput(), id=matching.MATCHING_ID, task_queue=task_queue
        )
    handle = client.get_workflow_handle(matching.MATCHING_ID)
    return await _update(
        handle, "matching", matching.MATCHING_ID, MatchingWorkflow.execute,
        MatchingRequest(command=command), command.request_id,
    )  # fmt: skip


async def matching_state(client: Client) -> matching.Matching:
    try:
        return await _query(client, matching.MATCHING_ID, MatchingWorkflow.state, "matching")
    except UnknownStream:
        return matching.Matching()  # nothing recorded yet


async def task_command(client: Client, task_id: str, command: task.AnyCommand) -> StreamResult:
    handle = client.get_workflow_handle(task_id)
    return await _update(
        handle, "taak", task_id, TaskWorkflow.execute, TaskRequest(command=command),
        command.request_id,
    )  # fmt: skip


async def start_cohort(
    client: Client, task_queue: str, command: cohort.StartCohort, *, now: datetime | None = None
) -> StreamResult:
    check_new(cohort.decide, command, now)
    return await _start(
        client, task_queue, CohortWorkflow.run, CohortInput(start=command), command.cohort_id,
        CohortWorkflow.stored, "cohort", command.request_id,
    )  # fmt: skip


async def cohort_command(
    client: Client, cohort_id: str, command: cohort.AnyCommand
) -> StreamResult:
    handle = client.get_workflow_handle(cohort_id)
    return await _update(
        handle, "cohort", cohort_id, CohortWorkflow.execute, CohortRequest(command=command),
        command.request_id,
    )  # fmt: skip


async def cohort_state(client: Client, cohort_id: str) -> cohort.Cohort:
    return await _query(client, cohort_id, CohortWorkflow.state, "cohort")


async def employer_state(client: Client, employer_id: str) -> employer.Employer:
    return await _query(client, employer_id, EmployerWorkflow.state, "werkgever")


async def future_job_state(client: Client, future_job_id: str) -> future_job.FutureJob:
    return await _query(client, future_job_id, FutureJobWorkflow.state, "toekomstige baan")


async def directory(client: Client) -> people.Directory:
    try:
        return await _query(client, people.DIRECTORY_ID, PeopleWorkflow.state, "personenlijst")
    except UnknownStream:
        return people.Directory()  # nobody added yet


async def task_state(client: Client, task_id: str) -> task.Task:
    return await _query(client, task_id, TaskWorkflow.state, "taak")


async def list_ids(
    client: Client, workflow_type: str, *, include_closed: bool = False, limit: int = 200
) -> list[tuple[str, WorkflowExecutionStatus | None]]:
    """The ids of one kind's workflows (newest first), from Temporal's visibility."""
    query = f"WorkflowType = '{workflow_type}'"
    query += (
        " AND ExecutionStatus = 'Running'"
        if not include_closed
        else " AND ExecutionStatus != 'ContinuedAsNew'"
    )
    found: dict[str, tuple[str, WorkflowExecutionStatus | None]] = {}
    async for execution in client.list_workflows(query, limit=limit):
        found.setdefault(execution.id, (execution.id, execution.status))
    return list(found.values())


async def _query(client: Client, stream_id: str, query: Any, what: str) -> Any:
    if not is_opaque_id(stream_id):  # an id goes to the server, nothing else
        raise UnknownStream(what, stream_id[:40] or "''")
    handle = client.get_workflow_handle(stream_id)
    try:
        found = await handle.query(query)
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise UnknownStream(what, stream_id) from None
        raise ServiceError(
            N_("Temporal refused the request: {reason}"), reason=err.message
        ) from None
    except WorkflowQueryFailedError as err:
        message = str(err.message)
        if "unknown queryType" in message or "not registered" in message:
            raise UnknownStream(what, stream_id) from None  # a workflow of another kind
        raise ServiceError(
            N_("{what} {stream_id} cannot be read: {reason}"),
            what=_what(what),
            stream_id=stream_id,
            reason=message,
        ) from None
    if found is None:
        raise ServiceError(
            N_("{what} {stream_id} is still starting; try again"),
            what=_what(what),
            stream_id=stream_id,
        )
    return found


async def _update(
    handle: WorkflowHandle[Any, Any],
    what: str,
    stream_id: str,
    update: Any,
    arg: Any,
    request_id: str | None,
) -> StreamResult:
    if not is_opaque_id(stream_id):
        raise UnknownStream(what, stream_id[:40] or "''")
    try:
        if arg is None:
            result: StreamResult = await handle.execute_update(update)
        else:
            result = await handle.execute_update(update, arg, id=request_id)
    except WorkflowUpdateRPCTimeoutOrCancelledError:
        raise CommandUnanswered(request_id) from None
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError):
            if "not registered" in cause.message or "unknown update" in cause.message.lower():
                raise UnknownStream(what, stream_id) from None
            raise CommandRefused.from_failure(cause) from None
        raise ServiceError(N_("the command failed: {reason}"), reason=str(cause)) from None
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            try:
                status = (await handle.describe()).status
            except RPCError:
                raise UnknownStream(what, stream_id) from None
            if status != WorkflowExecutionStatus.RUNNING:
                raise CommandRefused(
                    N_("{what} {stream_id} is closed"),
                    code="closed",
                    what=_what(what),
                    stream_id=stream_id,
                ) from None
        raise ServiceError(
            N_("Temporal refused the request: {reason}"), reason=err.message
        ) from None
    return result
