"""One durable workflow per employer and one for the people directory: each changes its
aggregate one command at a time, stored before it is acknowledged. They have no clock."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.stream_events import EmployerEvents, PeopleEvents, StreamEventActivities
    from domain import employer, people

    from .shell import Shell, local_append
    from .stream_messages import (
        EMPLOYER_WORKFLOW,
        PEOPLE_WORKFLOW,
        EmployerInput,
        EmployerRequest,
        PeopleInput,
        PeopleRequest,
        StreamResult,
    )


@workflow.defn(name=EMPLOYER_WORKFLOW)
class EmployerWorkflow:
    @workflow.init
    def __init__(self, input: EmployerInput) -> None:
        self._shell: Shell[employer.Employer, employer.AnyCommand, employer.AnyEvent] = Shell(
            decide=employer.decide,
            evolve=employer.evolve,
            append=local_append(
                StreamEventActivities.append_employer_events, lambda e: EmployerEvents(events=e)
            ),
            stream_of=lambda s: s.employer_id,
            version_of=lambda s: s.version,
            state=input.state,
            answered=input.answered,
        )

    @workflow.run
    async def run(self, input: EmployerInput) -> StreamResult:
        shell = self._shell
        if shell.state is None:
            if input.start is None:
                raise ApplicationError("a new employer needs its registration", non_retryable=True)
            shell.remember(shell.result(await shell.apply(input.start), input.start.request_id))
        while not shell.should_continue_as_new():
            await shell.wait(None, "")
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(EmployerInput(state=shell.state, answered=shell.answered))

    @workflow.update
    async def execute(self, request: EmployerRequest) -> StreamResult:
        result, _ = await self._shell.execute(request.command, request.command.request_id)
        return result

    @execute.validator
    def _validate(self, request: EmployerRequest) -> None:
        self._shell.validate(request.command, request.command.request_id)

    @workflow.update
    async def stored(self, request_id: str | None = None) -> StreamResult:
        """Once its first command is stored; with that command's request id, the first
        answer (a retried start), with another one: refused, it exists already."""
        await workflow.wait_condition(lambda: self._shell.state is not None)
        return self._shell.first_answer(request_id)

    @workflow.query
    def state(self) -> employer.Employer | None:
        return self._shell.state


@workflow.defn(name=PEOPLE_WORKFLOW)
class PeopleWorkflow:
    """The directory: one workflow (id `people`), started by the first command to it."""

    @workflow.init
    def __init__(self, input: PeopleInput) -> None:
        self._shell: Shell[people.Directory, people.AnyCommand, people.AnyEvent] = Shell(
            decide=people.decide,
            evolve=people.evolve,
            append=local_append(
                StreamEventActivities.append_people_events, lambda e: PeopleEvents(events=e)
            ),
            stream_of=lambda s: people.DIRECTORY_ID,
            version_of=lambda s: s.version,
            state=input.state or people.Directory(),
            answered=input.answered,
        )

    @workflow.run
    async def run(self, input: PeopleInput) -> StreamResult:
        shell = self._shell
        while not shell.should_continue_as_new():
            await shell.wait(None, "")
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(PeopleInput(state=shell.state, answered=shell.answered))

    @workflow.update
    async def execute(self, request: PeopleRequest) -> StreamResult:
        result, _ = await self._shell.execute(request.command, request.command.request_id)
        return result

    @execute.validator
    def _validate(self, request: PeopleRequest) -> None:
        self._shell.validate(request.command, request.command.request_id)

    @workflow.query
    def state(self) -> people.Directory | None:
        return self._shell.state
