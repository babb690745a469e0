"""What a trajectory's workflow does for the other aggregates: it passes its news on to the
future job it learns towards, and opens a task for its coach at each escalation. Each behind
its own `workflow.patched`, named here; deterministic, run inside the trajectory workflow."""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.stream_events import Responsible, StreamEventActivities
    from domain import future_job, task
    from domain.shared import REAL_DAY
    from domain.trajectory import (
        AFTERCARE_REASONS,
        AnyEvent,
        EscalationRaised,
        EscalationReason,
        EscalationResolved,
        HandedOver,
        Trajectory,
    )

    from .shell import tell
    from .stream_messages import FROM_TRAJECTORY, RESOLVE_TASK, FutureJobRequest, TaskDone
    from .task import open_task

FUTURE_JOB_LINK = "future-job-link-v1"
"""A trajectory learning towards a future job (`FutureJob.future_job_id`) tells it what
concerns it: when learning ends, each evaluation, the job, the end. Its own patch, not in
`ALL_OF_V7`: a run of v7 must replay without it."""

ESCALATION_TASKS = "escalation-tasks-v1"
"""An escalation (a calamity, a missed evaluation, ...) opens a task for the coach that
climbs to their supervisor; resolving the task resolves the escalation."""

ESCALATION_TASKS_LOCAL = "escalation-tasks-local-v1"
"""The directory read for an escalation's task as a local activity."""

AFTERCARE_TASKS = "aftercare-tasks-v1"
"""An aftercare escalation (a checkpoint due or missed, a wage value to re-assess) resolved
by what it asked for, or by the trajectory's end, resolves its task too: none stays open
after its trajectory (an open child task stalls the time-skipping test server, and leaves
a coach work that is done)."""

TASK_KINDS = {
    EscalationReason.CALAMITY: task.TaskKind.CALAMITY,
    EscalationReason.EVALUATION_MISSED: task.TaskKind.EVALUATION_MISSED,
}

LOOKUP_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
)  # fmt: skip
"""No attempt limit: the task waits for the database to come back rather than be lost."""


async def tell_future_job(future_job_id: str, command: future_job.AnyCommand) -> None:
    await tell(future_job_id, FROM_TRAJECTORY, FutureJobRequest(command=command), "future job")


async def open_escalation_task(state: Trajectory, event: EscalationRaised, number: int) -> None:
    """A task for the trajectory's coach about its escalation `number`, climbing the line
    above them in the directory."""
    responsible: Responsible
    if workflow.patched(ESCALATION_TASKS_LOCAL):
        # A local activity: a read of the directory, in the same workflow task.
        responsible = await workflow.execute_local_activity_method(
            StreamEventActivities.responsible_person,
            state.coach_id,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=LOOKUP_RETRY,
        )
    else:
        responsible = await workflow.execute_activity_method(
            StreamEventActivities.responsible_person,
            state.coach_id,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=LOOKUP_RETRY,
        )
    task_id = task_id_of(state.trajectory_id, event.version)
    # A programme's demo week of seconds makes its days seconds too.
    day = max(min(REAL_DAY, state.programme.week / 7), timedelta(seconds=1))
    kind = TASK_KINDS.get(event.reason, task.TaskKind.ESCALATION)
    await open_task(task_id, kind, state.trajectory_id, responsible, day=day, escalation=number)


def task_id_of(trajectory_id: str, raised_version: int) -> str:
    """The task of the escalation raised by the trajectory's event `raised_version`."""
    return f"task-{trajectory_id}-{raised_version}"


def aftercare_tasks_done(state: Trajectory, events: list[AnyEvent]) -> list[tuple[str, TaskDone]]:
    """The tasks to resolve after `events`: those of the aftercare escalations they resolved
    (call it for a command other than the tasks' own `ResolveEscalation`)."""
    done: list[tuple[str, TaskDone]] = []
    for e in events:
        if not isinstance(e, EscalationResolved):
            continue
        escalation = state.escalations[e.number - 1]
        if escalation.reason in AFTERCARE_REASONS and escalation.version is not None:
            task_id = task_id_of(state.trajectory_id, escalation.version)
            resolution = TaskDone(actor=e.actor, request_id=f"{task_id}.done-{e.version}")
            done.append((task_id, resolution))
    return done


async def resolve_task(task_id: str, done: TaskDone) -> None:
    await tell(task_id, RESOLVE_TASK, done, "task")


def links_after(
    state: Trajectory, events: list[AnyEvent], *, tell_tasks: bool
) -> list[Coroutine[Any, Any, None]]:
    """What `events` (just decided, `state` after them) send to other aggregates: news to
    the future job (a handover lets the old one's place go), tasks for new escalations, and
    the aftercare tasks their answers resolved (`tell_tasks`: not when a task resolved
    itself). The patches are asked in this order, as the workflow always asked them."""
    effects: list[Coroutine[Any, Any, None]] = []
    for left in [e for e in events if isinstance(e, HandedOver) and e.from_future_job_id]:
        # A new event type: no history before it holds one, so no patch.
        assert left.from_future_job_id is not None
        detach = future_job.DetachCandidate(
            actor=left.actor, request_id=f"{left.trajectory_id}.{left.version}",
            trajectory_id=left.trajectory_id, reason=future_job.DetachReason.HANDED_OVER,
        )  # fmt: skip
        effects.append(tell_future_job(left.from_future_job_id, detach))
    future_job_id = state.future_job.future_job_id
    if future_job_id is not None and workflow.patched(FUTURE_JOB_LINK):
        effects += [tell_future_job(future_job_id, c) for c in future_job.news_for(events)]
    raised = [e for e in events if isinstance(e, EscalationRaised)]
    if raised and workflow.patched(ESCALATION_TASKS):
        first = len(state.escalations) - len(raised) + 1
        effects += [
            open_escalation_task(state, event, number)
            for number, event in enumerate(raised, start=first)
        ]
    if tell_tasks:
        done = aftercare_tasks_done(state, events)
        if done and workflow.patched(AFTERCARE_TASKS):
            effects += [resolve_task(task_id, resolution) for task_id, resolution in done]
    return effects
