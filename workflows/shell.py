"""The part every aggregate's workflow shares: decide, store, evolve under one lock; answers
kept by request id; a command refused before it enters history; one kept timer.

Deterministic: it runs inside the workflows, on `workflow.now()` and local activities only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.shared import N_, DomainError, json_param

    from .stream_messages import StreamResult

S = TypeVar("S")
C = TypeVar("C")
E = TypeVar("E")

ANSWERS_KEPT = 500
UPDATES_PER_RUN = 1_000

APPEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
)  # fmt: skip
"""No attempt limit: a command waits for the database to come back rather than be lost."""


def refusal(template: str, *, type: str, **params: Any) -> ApplicationError:
    """A refused command as it crosses Temporal: the English message, and its template and
    parameters as the details `(template, params)` (JSON-safe: dates in ISO 8601), so the
    caller shows it in the coach's language (`nbm.service.CommandRefused.from_failure`).

    The details are not part of a workflow's commands: adding them changes no history."""
    values = {name: json_param(value) for name, value in params.items()}
    message = template.format(**params) if params else template
    return ApplicationError(message, template, values, type=type, non_retryable=True)


def domain_failure(err: DomainError) -> ApplicationError:
    return ApplicationError(
        err.message, err.template, err.json_params(), type=err.code, non_retryable=True
    )


class Shell(Generic[S, C, E]):
    """One aggregate's state in a workflow, changed one command at a time."""

    def __init__(
        self,
        *,
        decide: Callable[[S | None, C, datetime], list[E]],
        evolve: Callable[[S | None, E], S],
        append: Callable[[list[E]], Awaitable[list[E]]],
        stream_of: Callable[[S], str],
        version_of: Callable[[S], int],
        state: S | None,
        answered: dict[str, StreamResult],
    ) -> None:
        self._decide, self._evolve, self._append = decide, evolve, append
        self._stream_of, self._version_of = stream_of, version_of
        self.state = state
        self.answered = dict(answered)
        self.changed = False
        self.updates = 0
        self.run_events = 0
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None
        self._timer_at: datetime | None = None

    async def apply(self, command: C) -> list[E]:
        """Decide, store and evolve `command` (raises the domain's refusal as a failure)."""
        async with self._lock:
            return await self._store(command)

    async def execute(self, command: C, request_id: str | None) -> tuple[StreamResult, list[E]]:
        """An update's command: answered once per request id, however often it is sent."""
        self.updates += 1
        async with self._lock:
            first = self.answered.get(request_id) if request_id else None
            if first is not None:
                return first, []
            events = await self._store(command)
            result = self.result(events, request_id)
            self.remember(result)
        return result, events

    def validate(self, command: C, request_id: str | None) -> None:
        """The update's validator: a refused command never enters history."""
        if request_id is not None and request_id in self.answered:
            return
        try:
            self._decide(self.state, command, workflow.now())
        except DomainError as err:
            raise domain_failure(err) from None

    def result(self, events: list[E], request_id: str | None) -> StreamResult:
        assert self.state is not None
        return StreamResult(
            stream_id=self._stream_of(self.state),
            version=self._version_of(self.state),
            event_types=[getattr(e, "type", "") for e in events],
            request_id=request_id,
        )

    def first_answer(self, request_id: str | None) -> StreamResult:
        """The answer to the first command when `request_id` is its; `already-exists` when
        another request started it (a repeat with other values changes nothing)."""
        if request_id is None:
            return self.result([], None)
        first = self.answered.get(request_id)
        if first is None:
            stream = self._stream_of(self.state) if self.state is not None else "?"
            raise refusal(
                N_("{stream_id} exists already (started by another request)"),
                type="already-exists",
                stream_id=stream,
            )
        return first

    def remember(self, result: StreamResult) -> None:
        if result.request_id is None:
            return
        self.answered[result.request_id] = result
        while len(self.answered) > ANSWERS_KEPT:
            del self.answered[next(iter(self.answered))]

    def should_continue_as_new(self) -> bool:
        return self.updates >= UPDATES_PER_RUN or workflow.info().is_continue_as_new_suggested()

    async def wait(self, at: datetime | None, summary: str) -> bool:
        """Wait for a change, continue-as-new, or `at`; whether `at` came. One timer per
        moment, kept while commands leave the moment where it was."""
        self.changed = False

        def woken() -> bool:
            return self.changed or self.should_continue_as_new()

        if at is None:
            self._drop_timer()
            await workflow.wait_condition(woken)
            return False
        if self._timer_at != at:
            self._drop_timer()
            remaining = at - workflow.now()
            if remaining <= timedelta(0):
                return True
            self._timer_at = at
            self._timer = asyncio.ensure_future(workflow.sleep(remaining, summary=summary))
        timer = self._timer
        assert timer is not None
        await workflow.wait_condition(lambda: woken() or timer.done())
        if not timer.done():
            return False
        self._timer, self._timer_at = None, None
        return True

    def _drop_timer(self) -> None:
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
        self._timer, self._timer_at = None, None

    async def _store(self, command: C) -> list[E]:
        try:
            events = self._decide(self.state, command, workflow.now())
        except DomainError as err:
            raise domain_failure(err) from None
        if not events:
            return events
        events = await self._append(events)
        state = self.state
        for event in events:
            state = self._evolve(state, event)
        self.state = state
        self.run_events += len(events)
        self.changed = True
        return events


async def tell(workflow_id: str, signal: str, arg: Any, what: str) -> None:
    """Signal another aggregate's workflow; one that closed or never existed is logged (by
    the error's kind), not raised: the sender goes on either way."""
    try:
        await workflow.get_external_workflow_handle(workflow_id).signal(signal, arg)
    except Exception as err:
        workflow.logger.info(f"{what} not told", extra={"error": type(err).__name__})


def local_append(activity: Any, wrap: Callable[[list[Any]], Any]) -> Callable[[list[Any]], Any]:
    """An `append` for `Shell`: the events stored by the local activity `activity`."""

    async def append(events: list[Any]) -> list[Any]:
        stored = await workflow.execute_local_activity_method(
            activity,
            wrap(events),
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=APPEND_RETRY,
        )
        return list(stored.events)

    return append
