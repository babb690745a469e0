"""One durable workflow per WijkLeerbedrijf cohort: its commands, its calendar (the
introduction's end, the selection day, year two, the end, from `Cohort.next_milestone`),
the proposal it computes when the end comes or a change withdrew the last one, and its
effects: a task for the coach at each milestone and for each proposal, the BBL hires and the
confirmed assignment passed on to the candidates' trajectories, and the places to the
employers' future jobs.

The proposal is computed by a local activity: the Hungarian method is scipy's, and scipy
stays out of the workflow sandbox. Effects run beside the commands, not under their lock; a
run waits for them before it continues as new or ends.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.cohort import CohortActivities, PlaceForTrajectory, WorkStudyForTrajectory
    from activities.stream_events import CohortEvents, StreamEventActivities
    from domain import cohort, future_job, task, trajectory

    from .shell import Shell, local_append, tell
    from .stream_messages import (
        COHORT_WORKFLOW,
        FROM_TRAJECTORY,
        CohortInput,
        CohortRequest,
        FutureJobRequest,
        StreamResult,
    )
    from .task import open_task

LOOKUP_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1)
)
TRAJECTORY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5), maximum_attempts=20,
)  # fmt: skip
"""A trajectory's refusal is not retried (non-retryable); a busy server is, for a while."""

TASK_AT = {
    cohort.Milestone.INTRODUCTION_END,
    cohort.Milestone.SELECTION_DAY,
    cohort.Milestone.YEAR_TWO,
}
"""The milestones that bring the coach in at once (the end does with its proposal)."""


@workflow.defn(name=COHORT_WORKFLOW)
class CohortWorkflow:
    @workflow.init
    def __init__(self, input: CohortInput) -> None:
        self._shell: Shell[cohort.Cohort, cohort.AnyCommand, cohort.AnyEvent] = Shell(
            decide=cohort.decide,
            evolve=cohort.evolve,
            append=local_append(
                StreamEventActivities.append_cohort_events, lambda e: CohortEvents(events=e)
            ),
            stream_of=lambda s: s.cohort_id,
            version_of=lambda s: s.version,
            state=input.state,
            answered=input.answered,
        )
        self._effects: list[asyncio.Task[None]] = []

    @workflow.run
    async def run(self, input: CohortInput) -> StreamResult:
        shell = self._shell
        if shell.state is None:
            if input.start is None:
                raise ApplicationError("a new cohort needs its start", non_retryable=True)
            events = await shell.apply(input.start)
            shell.remember(shell.result(events, input.start.request_id))
        while shell.state is not None and not shell.state.closed:
            if shell.should_continue_as_new():
                await self._settle()
                workflow.continue_as_new(CohortInput(state=shell.state, answered=shell.answered))
            if shell.state.needs_proposal:
                await self._propose(shell.state)
                continue
            due = shell.state.next_milestone
            at = shell.state.moment(due) if due is not None else None
            summary = f"{due.value} due" if due is not None else ""
            if await shell.wait(at, summary) and due is not None:
                on = shell.state.schedule.on(due)
                command = cohort.ReachMilestone(actor=cohort.SYSTEM_ACTOR, milestone=due, due_on=on)
                self._effect(await shell.apply(command))
        await self._settle()
        return shell.result([], None)

    async def _propose(self, state: cohort.Cohort) -> None:
        assignment = await workflow.execute_local_activity_method(
            CohortActivities.propose_assignment,
            state,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=LOOKUP_RETRY,
        )
        command = cohort.ProposeAssignment(
            actor=cohort.SYSTEM_ACTOR, request_id=f"{state.cohort_id}.proposal.{state.version}",
            assignment=assignment,
        )  # fmt: skip
        try:
            self._effect(await self._shell.apply(command))
        except ApplicationError as err:
            # A command taken meanwhile (a drop-out, fewer places) made it moot: again.
            workflow.logger.info("proposal no longer fits", extra={"code": err.type})

    async def _settle(self) -> None:
        await workflow.wait_condition(
            lambda: workflow.all_handlers_finished() and all(t.done() for t in self._effects)
        )

    @workflow.update
    async def execute(self, request: CohortRequest) -> StreamResult:
        result, events = await self._shell.execute(request.command, request.command.request_id)
        self._effect(events)
        return result

    @execute.validator
    def _validate(self, request: CohortRequest) -> None:
        self._shell.validate(request.command, request.command.request_id)

    @workflow.update
    async def stored(self, request_id: str | None = None) -> StreamResult:
        """Once its start is stored; with the start's request id, the first answer (a
        retried start), with another one: refused, it exists already."""
        await workflow.wait_condition(lambda: self._shell.state is not None)
        return self._shell.first_answer(request_id)

    @workflow.query
    def state(self) -> cohort.Cohort | None:
        return self._shell.state

    def _effect(self, events: list[cohort.AnyEvent]) -> None:
        """Start what `events` ask of the world, beside the commands."""
        for event in events:
            match event:
                case cohort.MilestoneReached() if event.milestone in TASK_AT:
                    work = self._open_task(event)
                case cohort.AssignmentProposed():
                    work = self._open_task(event)
                case cohort.WorkStudyHired():
                    work = self._work_study(event)
                case cohort.PlacesChanged() if 1 <= event.places < event.previous:
                    work = self._fewer_jobs(event)
                case cohort.AssignmentConfirmed():
                    work = self._place(event)
                case _:
                    continue
            self._effects.append(asyncio.ensure_future(work))

    async def _open_task(self, event: cohort.Event) -> None:
        """A task for the cohort's coach, climbing the line above them: a person acts."""
        state = self._shell.state
        assert state is not None
        responsible = await workflow.execute_local_activity_method(
            StreamEventActivities.responsible_person,
            state.coach_id,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=LOOKUP_RETRY,
        )
        task_id = f"task-{event.cohort_id}-{event.version}"
        await open_task(task_id, task.TaskKind.COHORT_STEP, event.cohort_id, responsible)

    async def _work_study(self, event: cohort.WorkStudyHired) -> None:
        """The candidate's trajectory records the BBL hire as its work-study job."""
        command = trajectory.RecordRegularJob(
            actor=event.actor, request_id=f"{event.cohort_id}.{event.version}",
            employer_id=event.employer_id, contract_hours_per_week=event.contract_hours_per_week,
            start_date=event.start_date, benefit_ended=event.benefit_ended, work_study=True,
        )  # fmt: skip
        request = WorkStudyForTrajectory(trajectory_id=event.trajectory_id, command=command)
        try:
            await workflow.execute_activity_method(
                CohortActivities.work_study_to_trajectory,
                request,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=TRAJECTORY_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("work-study job not recorded in the trajectory",
                                    extra={"trajectory_id": event.trajectory_id})  # fmt: skip

    async def _fewer_jobs(self, event: cohort.PlacesChanged) -> None:
        """The employer's future job follows its places in the cohort."""
        state = self._shell.state
        assert state is not None
        member = state.employer(event.employer_id)
        assert member is not None
        command = future_job.ReduceJobs(
            actor=event.actor, request_id=f"{event.cohort_id}.{event.version}",
            jobs=event.places, reason=f"minder plaatsen in cohort {event.cohort_id}",
        )  # fmt: skip
        await tell(
            member.future_job_id, FROM_TRAJECTORY, FutureJobRequest(command=command), "future job"
        )

    async def _place(self, event: cohort.AssignmentConfirmed) -> None:
        """Each placed candidate learns towards its employer's future job, and its
        trajectory follows when that employer is another than the one it had."""
        state = self._shell.state
        assert state is not None
        for p in event.assignment.placements:
            member = state.employer(p.employer_id)
            assert member is not None
            rid = f"{event.cohort_id}.{event.version}.{p.trajectory_id}"[:64]
            attach = future_job.AttachCandidate(
                actor=event.actor, request_id=rid, trajectory_id=p.trajectory_id
            )
            await tell(
                member.future_job_id, FROM_TRAJECTORY, FutureJobRequest(command=attach),
                "future job",
            )  # fmt: skip
            request = PlaceForTrajectory(
                trajectory_id=p.trajectory_id, employer_id=p.employer_id, actor=event.actor,
                request_id=rid, cohort_id=event.cohort_id,
            )  # fmt: skip
            try:
                delivered = await workflow.execute_activity_method(
                    CohortActivities.place_to_trajectory,
                    request,
                    start_to_close_timeout=timedelta(seconds=30),
                    retry_policy=TRAJECTORY_RETRY,
                )
            except ActivityError:
                workflow.logger.warning("assignment not recorded in the trajectory",
                                        extra={"trajectory_id": p.trajectory_id})  # fmt: skip
                continue
            if delivered.refused is not None:
                workflow.logger.warning("trajectory refused the assignment's employer", extra={
                    "trajectory_id": p.trajectory_id, "code": delivered.refused,
                })  # fmt: skip
            before = delivered.future_job_id
            if before is not None and before != member.future_job_id:
                # It learnt towards another future job: that one lets go of its place.
                detach = future_job.DetachCandidate(
                    actor=event.actor, request_id=rid, trajectory_id=p.trajectory_id,
                    reason=future_job.DetachReason.OTHER_EMPLOYER,
                )  # fmt: skip
                await tell(before, FROM_TRAJECTORY, FutureJobRequest(command=detach), "future job")
