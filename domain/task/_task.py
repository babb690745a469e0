"""A task: work for one person with an acknowledgement deadline; left unacknowledged it
climbs to that person's supervisor, and on up the line, each climb recorded.

Opened by the engine (a silent employer, a failed mail, a calamity, a missed evaluation) for
the person responsible, with the escalation route of the people directory at that moment
(`Directory.chain_of`). Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal, assert_never

from pydantic import Field, TypeAdapter

from ..future_job import MAX_PROPOSALS, Proposal
from ..shared import (
    N_,
    REAL_DAY,
    CommandEnvelope,
    DomainError,
    EventEnvelope,
    OpaqueId,
    RuleViolation,
    Value,
    add_working_days,
    clock_moment,
    clock_today,
)

SYSTEM_ACTOR = "system"
ACK_WITHIN_WORKING_DAYS = 2
"""Working days to acknowledge a task before it climbs (per task, at most 20)."""


class TaskKind(StrEnum):
    SILENT_EMPLOYER = "silent-employer"  # a commitment asked for and chased in vain
    MAIL_FAILED = "mail-failed"  # a mail could not be delivered after its last try
    CALAMITY = "calamity"  # something happened during learning
    EVALUATION_MISSED = "evaluation-missed"
    VACANCY_IN_DOUBT = "vacancy-in-doubt"  # the employer reports no vacancy after all
    ESCALATION = "escalation"  # another escalation of a trajectory (an outcome needed, ...)
    PLACE_LOST = "place-lost"  # fewer places, withdrawn or declined: the coach decides where
    COHORT_STEP = "cohort-step"  # a cohort's milestone came: its coach acts (selection, BBL, ...)


class TaskStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class TaskNotOpened(DomainError):
    code = "task-not-opened"


class TaskClosed(DomainError):
    code = "task-closed"


# --- commands -----------------------------------------------------------------------------


class Command(CommandEnvelope):
    pass


class OpenTask(Command):
    kind: Literal["open"] = "open"
    task_id: OpaqueId
    task_kind: TaskKind
    about: OpaqueId
    """The stream it is about (a future job, a trajectory): an id, never what happened."""
    assignee_id: OpaqueId
    route: tuple[OpaqueId, ...] = Field(default=(), max_length=10)
    """Whom it climbs to, in order: the assignee's supervisor, theirs, ..."""
    ack_within: int = Field(default=ACK_WITHIN_WORKING_DAYS, ge=1, le=20)
    day: timedelta = Field(default=REAL_DAY, ge=timedelta(seconds=1), le=REAL_DAY)
    """How long a day lasts on its clock: a real day, or the demo's few seconds."""
    proposals: tuple[Proposal, ...] = Field(default=(), max_length=MAX_PROPOSALS)
    """For a lost place: the other future jobs the engine proposes, best first."""
    escalation: int | None = Field(default=None, ge=1)
    """For a trajectory's escalation: its number there (resolving the task resolves it)."""
    lost_on: OpaqueId | None = None
    """For a lost place: the future job it was lost on."""


class AcknowledgeTask(Command):
    kind: Literal["acknowledge"] = "acknowledge"


class ResolveTask(Command):
    kind: Literal["resolve"] = "resolve"


class ReachAckDeadline(Command):
    """The task's own clock: its acknowledgement deadline passed."""

    kind: Literal["ack-deadline"] = "ack-deadline"
    due_on: date


AnyCommand = Annotated[
    OpenTask | AcknowledgeTask | ResolveTask | ReachAckDeadline, Field(discriminator="kind")
]


# --- events -------------------------------------------------------------------------------


class Event(EventEnvelope):
    task_id: OpaqueId

    @property
    def stream_id(self) -> str:
        return self.task_id


class TaskOpened(Event):
    type: Literal["TaskOpened"] = "TaskOpened"
    task_kind: TaskKind
    about: OpaqueId
    assignee_id: OpaqueId
    route: tuple[OpaqueId, ...]
    ack_within: int
    ack_due_on: date
    day: timedelta = REAL_DAY
    proposals: tuple[Proposal, ...] = ()
    escalation: int | None = None
    lost_on: str | None = None


class TaskAcknowledged(Event):
    type: Literal["TaskAcknowledged"] = "TaskAcknowledged"


class TaskEscalated(Event):
    """Not acknowledged in time: the task climbs to the next person up the line."""

    type: Literal["TaskEscalated"] = "TaskEscalated"
    from_id: OpaqueId
    to_id: OpaqueId
    ack_due_on: date


class TaskResolved(Event):
    type: Literal["TaskResolved"] = "TaskResolved"


AnyEvent = Annotated[
    TaskOpened | TaskAcknowledged | TaskEscalated | TaskResolved, Field(discriminator="type")
]
_EVENT: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def load_event(data: bytes | str) -> AnyEvent:
    return _EVENT.validate_json(data)


# --- state --------------------------------------------------------------------------------


class Task(Value):
    task_id: str
    version: int
    task_kind: TaskKind
    about: str
    assignee_id: str
    """Who has it now: the first assignee, or the last one it climbed to."""
    route: tuple[str, ...]
    """Whom it would climb to next, in order."""
    ack_within: int
    ack_due_on: date
    status: TaskStatus = TaskStatus.OPEN
    climbed: tuple[str, ...] = ()
    """Everyone it climbed to, in order."""
    opened_at: datetime
    day: timedelta = REAL_DAY
    proposals: tuple[Proposal, ...] = ()
    escalation: int | None = None
    lost_on: str | None = None
    resolved_by: str | None = None

    def today(self, now: datetime) -> date:
        return clock_today(now, self.opened_at, self.day)

    def moment(self, on: date) -> datetime:
        """When `on` comes on its clock: 9:00 in Amsterdam on a real day."""
        return clock_moment(on, self.opened_at, self.day)

    @property
    def closed(self) -> bool:
        return self.status is TaskStatus.RESOLVED

    def overdue(self, now: datetime) -> bool:
        """Unacknowledged past its deadline (at the top of the line it stays so)."""
        return self.status is TaskStatus.OPEN and now >= self.moment(self.ack_due_on)


def evolve(state: Task | None, event: AnyEvent) -> Task:
    if isinstance(event, TaskOpened):
        return Task(
            task_id=event.task_id,
            version=event.version,
            task_kind=event.task_kind,
            about=event.about,
            assignee_id=event.assignee_id,
            route=event.route,
            ack_within=event.ack_within,
            ack_due_on=event.ack_due_on,
            opened_at=event.occurred_at,
            day=event.day,
            proposals=event.proposals,
            escalation=event.escalation,
            lost_on=event.lost_on,
        )
    if state is None:
        raise TaskNotOpened(
            N_("{type} before TaskOpened"), type=event.type, stream_id=event.task_id
        )
    match event:
        case TaskAcknowledged():
            update: dict[str, object] = {"status": TaskStatus.ACKNOWLEDGED}
        case TaskEscalated():
            update = {
                "assignee_id": event.to_id,
                "route": state.route[1:],
                "ack_due_on": event.ack_due_on,
                "climbed": (*state.climbed, event.to_id),
            }
        case TaskResolved():
            update = {"status": TaskStatus.RESOLVED, "resolved_by": event.actor}
        case _:
            assert_never(event)
    return state.model_copy(update={**update, "version": event.version})


def fold(events: Iterable[AnyEvent], state: Task | None = None) -> Task | None:
    for event in events:
        state = evolve(state, event)
    return state


def next_deadline(state: Task | None) -> date | None:
    """When the task climbs next: while unacknowledged and someone is above its assignee."""
    if state is None or state.status is not TaskStatus.OPEN or not state.route:
        return None
    return state.ack_due_on


def decide(state: Task | None, command: AnyCommand, now: datetime) -> list[AnyEvent]:
    """The events of `command` on the task.

    Raises:
        TaskNotOpened: a command to a task that was never opened.
        TaskClosed: a command to a resolved task.
        RuleViolation: opened twice, a route through the assignee, or a deadline not due.
    """
    envelope = {"occurred_at": now, "actor": command.actor, "request_id": command.request_id}
    if isinstance(command, OpenTask):
        if state is not None:
            raise RuleViolation(
                N_("task {task_id} is open already"),
                task_id=command.task_id,
                stream_id=command.task_id,
            )
        if command.assignee_id in command.route or len(set(command.route)) != len(command.route):
            raise RuleViolation(N_("the route climbs past each person once, never the assignee"))
        return [
            TaskOpened(
                task_id=command.task_id,
                version=1,
                task_kind=command.task_kind,
                about=command.about,
                assignee_id=command.assignee_id,
                route=command.route,
                ack_within=command.ack_within,
                ack_due_on=add_working_days(clock_today(now, now, command.day), command.ack_within),
                day=command.day,
                proposals=command.proposals,
                escalation=command.escalation,
                lost_on=command.lost_on,
                **envelope,  # type: ignore[arg-type]
            )
        ]
    if state is None:
        raise TaskNotOpened(N_("no such task"), stream_id="task")
    if state.closed:
        raise TaskClosed(
            N_("task {task_id} is resolved"), task_id=state.task_id, stream_id=state.task_id
        )
    stamp = {"task_id": state.task_id, "version": state.version + 1, **envelope}
    match command:
        case AcknowledgeTask():
            if state.status is TaskStatus.ACKNOWLEDGED:
                return []  # acknowledged already: nothing new
            return [TaskAcknowledged(**stamp)]  # type: ignore[arg-type]
        case ResolveTask():
            return [TaskResolved(**stamp)]  # type: ignore[arg-type]
        case ReachAckDeadline():
            if next_deadline(state) != command.due_on or now < state.moment(command.due_on):
                return []  # acknowledged meanwhile, or not due: the clock had it wrong
            return [
                TaskEscalated(
                    from_id=state.assignee_id,
                    to_id=state.route[0],
                    ack_due_on=add_working_days(state.today(now), state.ack_within),
                    **stamp,  # type: ignore[arg-type]
                )
            ]
        case _:
            assert_never(command)
