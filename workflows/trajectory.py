"""One durable workflow per trajectory: a thin, deterministic shell around the domain.

Coach commands arrive as the `execute` update. Its validator runs `decide`, so a command the
domain refuses is rejected before anything reaches history, and the coach reads why. An
accepted command is acknowledged only once its events are stored in PostgreSQL. The timers
the domain asks for (evaluations, the end of learning, the follow-up) are durable timers,
re-read from the state after every change: an extension moves the end of learning at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.trajectory_events import AppendEvents, TrajectoryEventActivities
    from domain.shared import N_, DomainError
    from domain.trajectory import (
        SYSTEM_ACTOR,
        AnyCommand,
        AnyEvent,
        Deadline,
        ReachDeadline,
        RecordRegularJob,
        ResolveEscalation,
        Rules,
        Trajectory,
        decide,
        evolve,
        next_deadline,
    )

    from . import search
    from .messages import (
        WORKFLOW_TYPE,
        CoachRequest,
        CommandResult,
        TrajectoryInput,
        TrajectoryResult,
        result_of,
    )
    from .shell import domain_failure, refusal
    from .stream_messages import (
        EMPLOYER_ANSWERED,
        RESOLVE_ESCALATION,
        EmployerAnswerNews,
        EscalationDone,
    )
    from .trajectory_links import (
        links_after,
    )

UPDATES_PER_RUN = 1_000
"""Continue as new well before the server's limit of 2,000 updates in one run."""

FOLLOW_UP_FROM_JOB_START = "follow-up-from-job-start"
"""The patch of `Rules.follow_up_from_job_start`."""
ONE_ESCALATION_PER_MISS = "one-escalation-per-missed-evaluation"
"""The patch of `Rules.one_escalation_per_missed_evaluation`."""
METHOD_AS_WRITTEN = "method-as-written"
"""The patch of `Rules.method_as_written`."""
OUTCOME_CHECKPOINTS = "outcome-checkpoints-v1"
"""The patch of `Rules.outcome_checkpoints`: a job recorded before it keeps its one
follow-up. Its own patch, not in `ALL_OF_V7`."""
ALL_OF_V7 = "all-of-v7"
"""One patch for every change up to v7, for a run that starts now: a single marker (and one
search-attribute upsert) at its first task instead of one of each per patch. A run from
before finds no such marker in its history at the commands it already took, and falls back
to the patches one by one (`_patched`)."""
FAST_COMMANDS = "fast-commands-v1"
"""The append as a local activity (one workflow task per command), and a deadline timer kept
while the deadline stays where it was. Before: a regular activity, and the timer cancelled and
started again after every command."""

ANSWERS_KEPT = 500
"""How many answers, by request id, a trajectory keeps for retries (the latest ones)."""

APPEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    # No attempt limit: a coach's command waits for the database to come back rather than
    # being lost. Conflicts are non-retryable errors raised by the activity itself.
)


def _patched(patch_id: str) -> bool:
    """`workflow.patched(patch_id)`, or true at once in a run that took `ALL_OF_V7`."""
    return workflow.patched(ALL_OF_V7) or workflow.patched(patch_id)


def _from_its_task(command: AnyCommand) -> bool:
    """A task's own resolution passed on (`TaskWorkflow`'s request id `<task>.resolved`)."""
    request_id = command.request_id or ""
    return isinstance(command, ResolveEscalation) and request_id.endswith(".resolved")


@workflow.defn(name=WORKFLOW_TYPE)
class TrajectoryWorkflow:
    @workflow.init
    def __init__(self, input: TrajectoryInput) -> None:
        self._state: Trajectory | None = input.state
        self._answered: dict[str, CommandResult] = dict(input.answered)
        self._run_events: list[AnyEvent] = []
        self._lock = asyncio.Lock()
        self._changed = False
        self._updates = 0
        self._timer: asyncio.Task[None] | None = None
        self._timer_for: Deadline | None = None
        self._news: list[asyncio.Task[None]] = []

    @workflow.run
    async def run(self, input: TrajectoryInput) -> TrajectoryResult:
        if self._state is None:
            if input.start is None:
                raise ApplicationError("a new trajectory needs a start command", non_retryable=True)
            events = await self._apply(input.start)
            self._remember(result_of(self._state_now, events, input.start.request_id))
        else:
            self._publish()  # a new run: its attributes as the state says, whatever came along
        while not self._state_now.closed:
            if self._should_continue_as_new(input):
                # Handlers may still be awaiting their appends; let them finish first so no
                # coach's command is cut off by the new run.
                await workflow.wait_condition(self._settled)
                workflow.continue_as_new(
                    TrajectoryInput(
                        state=self._state_now,
                        answered=self._answered,
                        continue_as_new_after=input.continue_as_new_after,
                    )
                )
            await self._wait_for_change_or_deadline(input)
        await workflow.wait_condition(self._settled)
        state = self._state_now
        return TrajectoryResult(
            trajectory_id=state.trajectory_id,
            version=state.version,
            outcome_type=state.outcome_type,
            closure_reason=state.closure_reason,
        )

    async def _wait_for_change_or_deadline(self, input: TrajectoryInput) -> None:
        self._changed = False
        deadline = next_deadline(self._state)

        def woken() -> bool:
            return self._changed or self._should_continue_as_new(input)

        if deadline is None:
            self._drop_timer()
            await workflow.wait_condition(woken)
            return
        if _patched(FAST_COMMANDS):
            if not await self._kept_timer_fired(deadline, woken):
                return  # a command changed the state: the deadlines are read again
        else:
            remaining = deadline.at - workflow.now()
            if remaining > timedelta(0):
                try:
                    await workflow.wait_condition(
                        woken, timeout=remaining, timeout_summary=f"{deadline.kind} due"
                    )
                    return  # a command changed the state: the deadlines are read again
                except TimeoutError:
                    pass
        try:
            await self._apply(
                ReachDeadline(actor=SYSTEM_ACTOR, deadline=deadline.kind, due_at=deadline.at)
            )
        except ApplicationError:
            # A command taken while we waited for the lock made this deadline moot (a job
            # was recorded, the period extended). The loop reads the deadlines afresh.
            workflow.logger.info("deadline no longer due", extra={"deadline": deadline.kind})

    async def _kept_timer_fired(self, deadline: Deadline, woken: Callable[[], bool]) -> bool:
        """Wait for `deadline` on a timer that outlives the commands that leave it where it
        was (one timer per deadline, not one per command); whether it fired."""
        if self._timer_for != deadline:
            self._drop_timer()
            remaining = deadline.at - workflow.now()
            if remaining <= timedelta(0):
                return True
            self._timer_for = deadline
            self._timer = asyncio.ensure_future(
                workflow.sleep(remaining, summary=f"{deadline.kind} due")
            )
        timer = self._timer
        assert timer is not None
        await workflow.wait_condition(lambda: woken() or timer.done())
        if not timer.done():
            return False
        self._timer, self._timer_for = None, None
        return True

    def _drop_timer(self) -> None:
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
        self._timer, self._timer_for = None, None

    @workflow.update
    async def execute(self, request: CoachRequest) -> CommandResult:
        """Apply one coach command; returns once its events are stored.

        A command whose request id was answered before (a retry, perhaps after the first
        attempt's answer was lost) gets that first answer, and nothing is applied again.
        """
        self._updates += 1
        request_id = request.command.request_id
        async with self._lock:
            # Checked under the lock: a retry queued behind its own first attempt sees it.
            first = self._answered.get(request_id) if request_id else None
            if first is not None:
                return first
            events = await self._decide_and_store(request.command)
            result = result_of(self._state_now, events, request_id)
            self._remember(result)
        return result

    @execute.validator
    def _validate_execute(self, request: CoachRequest) -> None:
        # Runs before the update enters history: a refused command leaves no trace.
        request_id = request.command.request_id
        if request_id is not None and request_id in self._answered:
            return  # a retry of an applied command: the handler answers as the first time
        if self._state is None:
            raise refusal(N_("the trajectory is still starting; try again"), type="starting")
        try:
            decide(self._state, request.command, workflow.now())
        except DomainError as err:
            raise domain_failure(err) from None

    @workflow.update
    async def stored(self, request_id: str | None = None) -> CommandResult:
        """Wait until the start of the trajectory is stored (a coach's acknowledgement).

        With the start's request id, a retried start gets the first start's answer; a start
        under another request id is told the trajectory exists.
        """
        await workflow.wait_condition(lambda: self._state is not None)
        if request_id is None:
            return result_of(self._state_now, self._run_events[:1])
        first = self._answered.get(request_id)
        if first is None or first.event_types[:1] != ["TrajectoryStarted"]:
            raise refusal(
                N_("trajectory {trajectory_id} already exists"),
                type="trajectory-already-started",
                trajectory_id=self._state_now.trajectory_id,
            )
        return first

    @workflow.query
    def state(self) -> Trajectory | None:
        return self._state

    @workflow.query
    def run_events(self) -> list[AnyEvent]:
        """The events decided in this run (earlier runs handed over only their state)."""
        return self._run_events

    async def _apply(self, command: AnyCommand) -> list[AnyEvent]:
        # One command at a time: decide, store and evolve must not interleave, or two
        # commands could claim the same version.
        async with self._lock:
            return await self._decide_and_store(command)

    async def _decide_and_store(self, command: AnyCommand) -> list[AnyEvent]:
        """Decide, store, evolve; the caller holds the lock."""
        # A changed rule decides as it did for the commands already in this history, and as
        # it does now for new ones: `patched` is False only while replaying what came before.
        rules = Rules(
            follow_up_from_job_start=_patched(FOLLOW_UP_FROM_JOB_START),
            one_escalation_per_missed_evaluation=_patched(ONE_ESCALATION_PER_MISS),
            method_as_written=_patched(METHOD_AS_WRITTEN),
            outcome_checkpoints=self._outcome_checkpoints(command),
        )
        try:
            events = decide(self._state, command, workflow.now(), rules)
        except DomainError as err:
            raise domain_failure(err) from None
        if not events:
            return events
        # Safe to await while holding the lock: other handlers queue on it, and the state is
        # evolved only after the events are stored, so the acknowledgement is honest.
        append = AppendEvents(trajectory_id=events[0].trajectory_id, events=events)
        if _patched(FAST_COMMANDS):
            # In the same workflow task as the command: no task queue round trip. Safe to
            # run again after a crash: the store appends by stream and version, once.
            appended = await workflow.execute_local_activity_method(
                TrajectoryEventActivities.append_events,
                append,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=APPEND_RETRY,
            )
            if appended.events is not None:  # decided before a crash, and stored then
                events = appended.events
        else:
            await workflow.execute_activity_method(
                TrajectoryEventActivities.append_events,
                append,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=APPEND_RETRY,
            )
        state = self._state
        for event in events:
            state = evolve(state, event)
        self._state = state
        self._run_events.extend(events)
        self._changed = True
        self._publish()
        # What the events mean for the future job and the tasks, in this order (the patches'
        # markers are asked in it); a task that resolved itself needs no telling.
        effects = links_after(self._state_now, events, tell_tasks=not _from_its_task(command))
        self._news.extend(asyncio.ensure_future(effect) for effect in effects)
        workflow.logger.debug(  # not on the hot path: the events themselves are the record
            "trajectory changed",
            extra={"version": self._state_now.version, "events": [e.type for e in events]},
        )
        return events

    def _outcome_checkpoints(self, command: AnyCommand) -> bool:
        """`Rules.outcome_checkpoints`, pinned by its patch: asked only where it decides (a
        regular job), so a run's first task records no marker of it."""
        return not isinstance(command, RecordRegularJob) or workflow.patched(OUTCOME_CHECKPOINTS)

    @workflow.signal(name=EMPLOYER_ANSWERED)
    async def employer_answered(self, news: EmployerAnswerNews) -> None:
        """Its future job passes on the employer's answer, or its own change (a date, the
        number of jobs): recorded in the trajectory."""
        try:
            await self._apply(news.command)
        except ApplicationError as err:  # closed meanwhile: the future job has it anyway
            workflow.logger.info("employer's answer not recorded", extra={"code": err.type})

    @workflow.signal(name=RESOLVE_ESCALATION)
    async def resolve_escalation(self, done: EscalationDone) -> None:
        """The task of an escalation was resolved: the escalation is, too."""
        command = ResolveEscalation(
            actor=done.actor, request_id=done.request_id, number=done.number
        )
        try:
            await self._apply(command)
        except ApplicationError as err:  # resolved by hand already, or the trajectory closed
            workflow.logger.info("escalation not resolved", extra={"code": err.type})

    def _settled(self) -> bool:
        return workflow.all_handlers_finished() and all(t.done() for t in self._news)

    def _publish(self) -> None:
        """Bring the search attributes in line with the state: only those that changed."""
        if self._state is None or not _patched(search.PATCH):
            return
        current = workflow.info().typed_search_attributes
        changed = [
            key.value_set(value)
            for key, value in search.attributes_of(self._state).items()
            if current.get(key) != value
        ]
        if changed:
            workflow.upsert_search_attributes(changed)

    def _remember(self, result: CommandResult) -> None:
        if result.request_id is None:
            return
        self._answered[result.request_id] = result
        while len(self._answered) > ANSWERS_KEPT:  # dicts keep insertion order: oldest first
            del self._answered[next(iter(self._answered))]

    def _should_continue_as_new(self, input: TrajectoryInput) -> bool:
        if input.continue_as_new_after is not None:
            return len(self._run_events) >= input.continue_as_new_after
        return self._updates >= UPDATES_PER_RUN or workflow.info().is_continue_as_new_suggested()

    @property
    def _state_now(self) -> Trajectory:
        assert self._state is not None, "the start is applied before anything else"
        return self._state
