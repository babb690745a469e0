"""One durable workflow for the matching (id `matching`): the profiles and the decision log
in one stream, changed one command at a time and stored before it is acknowledged.

It never proposes on its own and has no clock: a ranking is read by the client from its
state; what enters history is a person's decision (`matching.DecideMatch`), whose rank the
domain computes again from the profiles it holds.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.stream_events import MatchingEvents, StreamEventActivities
    from domain import matching

    from .shell import Shell, local_append
    from .stream_messages import MATCHING_WORKFLOW, MatchingInput, MatchingRequest, StreamResult


@workflow.defn(name=MATCHING_WORKFLOW)
class MatchingWorkflow:
    """Started by the first command to it, as the people directory is."""

    @workflow.init
    def __init__(self, input: MatchingInput) -> None:
        self._shell: Shell[matching.Matching, matching.AnyCommand, matching.AnyEvent] = Shell(
            decide=matching.decide,
            evolve=matching.evolve,
            append=local_append(
                StreamEventActivities.append_matching_events, lambda e: MatchingEvents(events=e)
            ),
            stream_of=lambda s: matching.MATCHING_ID,
            version_of=lambda s: s.version,
            state=input.state or matching.Matching(),
            answered=input.answered,
        )

    @workflow.run
    async def run(self, input: MatchingInput) -> StreamResult:
        shell = self._shell
        while not shell.should_continue_as_new():
            await shell.wait(None, "")
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(MatchingInput(state=shell.state, answered=shell.answered))

    @workflow.update
    async def execute(self, request: MatchingRequest) -> StreamResult:
        result, _ = await self._shell.execute(request.command, request.command.request_id)
        return result

    @execute.validator
    def _validate(self, request: MatchingRequest) -> None:
        self._shell.validate(request.command, request.command.request_id)

    @workflow.query
    def state(self) -> matching.Matching | None:
        return self._shell.state
