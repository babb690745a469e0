"""One durable workflow per task: it waits for the acknowledgement, and when the deadline
passes unacknowledged the task climbs to the next person up the line, on a durable timer."""

from __future__ import annotations

from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.stream_events import Responsible, StreamEventActivities, TaskEvents
    from domain import task

    from .shell import Shell, local_append, tell
    from .stream_messages import (
        RESOLVE_ESCALATION,
        RESOLVE_TASK,
        TASK_WORKFLOW,
        EscalationDone,
        StreamResult,
        TaskDone,
        TaskInput,
        TaskRequest,
    )


async def open_task(
    task_id: str, kind: task.TaskKind, about: str, responsible: Responsible, **extra: Any
) -> None:
    """Start task `task_id` (its workflow's id too) for the responsible person, climbing
    their route; a child that outlives its parent (a person acts on it after the parent
    ends). `extra`: the rest of `OpenTask` (its clock's day, proposals, the escalation)."""
    await workflow.start_child_workflow(
        TaskWorkflow.run,
        TaskInput(
            start=task.OpenTask(
                actor=task.SYSTEM_ACTOR, request_id=task_id, task_id=task_id, task_kind=kind,
                about=about, assignee_id=responsible.assignee_id, route=responsible.route,
                **extra,
            )
        ),
        id=task_id,
        parent_close_policy=ParentClosePolicy.ABANDON,
    )  # fmt: skip


@workflow.defn(name=TASK_WORKFLOW)
class TaskWorkflow:
    @workflow.init
    def __init__(self, input: TaskInput) -> None:
        self._shell: Shell[task.Task, task.AnyCommand, task.AnyEvent] = Shell(
            decide=task.decide,
            evolve=task.evolve,
            append=local_append(
                StreamEventActivities.append_task_events, lambda e: TaskEvents(events=e)
            ),
            stream_of=lambda s: s.task_id,
            version_of=lambda s: s.version,
            state=input.state,
            answered=input.answered,
        )
        self._done = False
        """Resolved by its trajectory's signal (`resolve`), not by a person."""

    @workflow.run
    async def run(self, input: TaskInput) -> StreamResult:
        shell = self._shell
        if shell.state is None:
            if input.start is None:
                raise ApplicationError("a new task needs its open command", non_retryable=True)
            shell.remember(shell.result(await shell.apply(input.start), input.start.request_id))
        while shell.state is not None and not shell.state.closed:
            if shell.should_continue_as_new():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(TaskInput(state=shell.state, answered=shell.answered))
            due = task.next_deadline(shell.state)
            at = shell.state.moment(due) if due is not None else None
            if due is not None and await shell.wait(at, "acknowledgement due"):
                await shell.apply(task.ReachAckDeadline(actor=task.SYSTEM_ACTOR, due_on=due))
            elif due is None:
                await shell.wait(None, "")
        await workflow.wait_condition(workflow.all_handlers_finished)
        if shell.state is not None and shell.state.escalation is not None and not self._done:
            await self._resolve_escalation(shell.state)
        return shell.result([], None)

    async def _resolve_escalation(self, state: task.Task) -> None:
        """The task of a trajectory's escalation is resolved: so is the escalation."""
        resolver = state.resolved_by or task.SYSTEM_ACTOR
        done = EscalationDone(
            number=state.escalation or 0, actor=resolver, request_id=f"{state.task_id}.resolved"
        )
        await tell(state.about, RESOLVE_ESCALATION, done, "trajectory")

    @workflow.update
    async def execute(self, request: TaskRequest) -> StreamResult:
        result, _ = await self._shell.execute(request.command, request.command.request_id)
        return result

    @execute.validator
    def _validate(self, request: TaskRequest) -> None:
        self._shell.validate(request.command, request.command.request_id)

    @workflow.signal(name=RESOLVE_TASK)
    async def resolve(self, done: TaskDone) -> None:
        """What the task was about was done in its trajectory (a checkpoint recorded, the
        trajectory ended): the task is resolved, so none stays open after its trajectory."""
        self._done = True  # its trajectory knows: no need to tell it back
        command = task.ResolveTask(actor=done.actor, request_id=done.request_id)
        try:
            await self._shell.apply(command)
        except ApplicationError as err:  # resolved already
            workflow.logger.info("task not resolved", extra={"code": err.type})

    @workflow.update
    async def stored(self) -> StreamResult:
        """Returns once the task is opened and stored."""
        await workflow.wait_condition(lambda: self._shell.state is not None)
        return self._shell.result([], None)

    @workflow.query
    def state(self) -> task.Task | None:
        return self._shell.state
