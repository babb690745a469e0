"""One durable workflow per future job: its commands, its own clock (the expiry and each
chase's next step, from `next_deadline`), and its effects on the world: the mails that ask
and remind the employer, and the task that a silent employer or an undeliverable mail opens
for the account manager (a child workflow that climbs on its own).

Effects run beside the commands, not under their lock: a coach's command is acknowledged
once its events are stored, not once the employer's mail server answered. A run waits for
its effects before it continues as new or ends.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Literal

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.mail import EmployerMail, MailActivities
    from activities.stream_events import (
        FallbackRequest,
        FutureJobEvents,
        StreamEventActivities,
    )
    from domain import future_job, task, trajectory

    from .shell import Shell, local_append, tell
    from .stream_messages import (
        EMPLOYER_ANSWERED,
        FROM_TRAJECTORY,
        FUTURE_JOB_WORKFLOW,
        EmployerAnswerNews,
        FutureJobInput,
        FutureJobRequest,
        StreamResult,
        mail_queue,
    )
    from .task import open_task

MAIL_RETRY = RetryPolicy(
    initial_interval=timedelta(minutes=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(hours=1),
    maximum_attempts=6,  # about an hour in all; then the account manager gets a task
    non_retryable_error_types=["no-recipient", "unknown"],
)
VACANCY = future_job.ChasePurpose.VACANCY
MailTemplate = Literal[
    "commitment-request", "commitment-reminder", "vacancy-confirmation", "check-in",
    "evaluation-invitation",
]  # fmt: skip

TOUCHPOINTS = "touchpoints-v1"
"""The patch of the check-ins and the vacancy confirmation (`Touchpoints`)."""
FALLBACK = "fallback-v1"
ANSWER_TO_TRAJECTORY = "answer-to-trajectory-v1"
PLACE_LOST_NEWS = "place-lost-to-trajectory-v1"
JOB_CHANGE_NEWS = "job-change-to-trajectory-v1"
"""The patch of a moved date or fewer jobs passed on to the trajectories learning towards it."""
"""The patch of a reduction's or a withdrawal's news to the trajectories that lost a place."""
"""The patch of the employer's answer passed on to the candidate's trajectory."""
"""The patch of the fallback: a lost place opens a task with proposals for the coach."""

LOOKUP_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1)
)


@workflow.defn(name=FUTURE_JOB_WORKFLOW)
class FutureJobWorkflow:
    @workflow.init
    def __init__(self, input: FutureJobInput) -> None:
        self._shell: Shell[future_job.FutureJob, future_job.AnyCommand, future_job.AnyEvent] = (
            Shell(
                decide=future_job.decide,
                evolve=future_job.evolve,
                append=local_append(
                    StreamEventActivities.append_future_job_events,
                    lambda e: FutureJobEvents(events=e),
                ),
                stream_of=lambda s: s.future_job_id,
                version_of=lambda s: s.version,
                state=input.state,
                answered=input.answered,
            )
        )
        self._effects: list[asyncio.Task[None]] = []

    @workflow.run
    async def run(self, input: FutureJobInput) -> StreamResult:
        shell = self._shell
        if shell.state is None:
            if input.start is None:
                raise ApplicationError("a new future job needs its forecast", non_retryable=True)
            start = input.start
            if not workflow.patched(TOUCHPOINTS):  # forecast before the touchpoints: none
                start = start.model_copy(update={"touchpoints": None})
            events = await shell.apply(start)
            shell.remember(shell.result(events, start.request_id))
        while shell.state is not None and not shell.state.closed:
            if shell.should_continue_as_new():
                await self._settle()
                workflow.continue_as_new(FutureJobInput(state=shell.state, answered=shell.answered))
            deadline = future_job.next_deadline(shell.state)
            at = deadline.at if deadline is not None else None
            summary = f"{deadline.kind} due" if deadline is not None else ""
            if await shell.wait(at, summary) and deadline is not None:
                try:
                    self._effect(await shell.apply(deadline.command()))
                except ApplicationError:
                    # A command taken meanwhile made it moot (answered, moved): read again.
                    workflow.logger.info("deadline no longer due", extra={"kind": deadline.kind})
        await self._settle()
        return shell.result([], None)

    async def _settle(self) -> None:
        await workflow.wait_condition(
            lambda: workflow.all_handlers_finished() and all(t.done() for t in self._effects)
        )

    @workflow.update
    async def execute(self, request: FutureJobRequest) -> StreamResult:
        result, events = await self._shell.execute(request.command, request.command.request_id)
        self._effect(events)
        return result

    @execute.validator
    def _validate(self, request: FutureJobRequest) -> None:
        self._shell.validate(request.command, request.command.request_id)

    @workflow.signal(name=FROM_TRAJECTORY)
    async def from_trajectory(self, request: FutureJobRequest) -> None:
        """What a trajectory learning towards it tells it (its learning's end, an
        evaluation due, its candidate's job, its end); refused ones are logged, not raised:
        the trajectory goes on either way."""
        try:
            self._effect(await self._shell.apply(request.command))
        except ApplicationError as err:
            workflow.logger.info(
                "trajectory's news not applied", extra={"kind": request.command.kind,
                                                        "code": err.type}
            )  # fmt: skip

    @workflow.update
    async def stored(self, request_id: str | None = None) -> StreamResult:
        """Once its first command is stored; with that command's request id, the first
        answer (a retried start), with another one: refused, it exists already."""
        await workflow.wait_condition(lambda: self._shell.state is not None)
        return self._shell.first_answer(request_id)

    @workflow.query
    def state(self) -> future_job.FutureJob | None:
        return self._shell.state

    def _effect(self, events: list[future_job.AnyEvent]) -> None:
        """Start what `events` ask of the world, beside the commands."""
        lost = future_job.losing_place(events)
        if lost and workflow.patched(FALLBACK):
            last = events[-1]
            self._effects.append(asyncio.ensure_future(self._propose_fallback(last, lost)))
        # Fewer places or withdrawn: each trajectory that lost its place records it (a "no"
        # to its commitment is passed on below, as every answer is).
        gone = [
            (e, tid)
            for e in events
            if isinstance(e, future_job.JobsReduced | future_job.FutureJobWithdrawn)
            for tid in future_job.losing_place([e])
        ]
        if gone and workflow.patched(PLACE_LOST_NEWS):
            for ended, tid in gone:
                withdrawn = isinstance(ended, future_job.FutureJobWithdrawn)
                why = "ingetrokken" if withdrawn else "minder-plaatsen"
                self._effects.append(asyncio.ensure_future(self._tell_place_lost(ended, tid, why)))
        changed = any(
            isinstance(e, future_job.ExpectedDateMoved | future_job.JobsReduced) for e in events
        )
        if changed and self._shell.state is not None and workflow.patched(JOB_CHANGE_NEWS):
            for tid in self._shell.state.attached:
                self._effects.append(asyncio.ensure_future(self._tell_change(events[-1], tid)))
        for event in events:
            match event:
                case future_job.CommitmentRequested() if event.purpose is VACANCY:
                    mail = self._mail(event, "vacancy-confirmation").model_copy(
                        update={"job_on": event.job_on}
                    )
                    work = self._send(event, mail)
                case future_job.CommitmentRequested():
                    work = self._send(event, self._mail(event, "commitment-request"))
                case future_job.EmployerReminded():
                    mail = self._mail(event, "commitment-reminder")
                    work = self._send(event, mail.model_copy(update={"reminder": event.reminder}))
                case future_job.EvaluationInvited():
                    mail = self._mail(event, "evaluation-invitation")
                    work = self._send(event, mail.model_copy(update={"due_on": event.due_on}))
                case future_job.EmployerCheckedIn():
                    mail = self._mail(event, "check-in")
                    work = self._send(event, mail.model_copy(update={"learning": event.learning}))
                case future_job.ChaseEscalated():
                    work = self._open_task(event, task.TaskKind.SILENT_EMPLOYER)
                case future_job.CommitmentAnswered() if workflow.patched(ANSWER_TO_TRAJECTORY):
                    work = self._tell_trajectory(event)
                case _:
                    continue
            self._effects.append(asyncio.ensure_future(work))

    @staticmethod
    def _mail(event: future_job.Event, template: MailTemplate) -> EmployerMail:
        return EmployerMail(
            key=f"{event.future_job_id}.{event.version}.{template}",
            template=template,
            future_job_id=event.future_job_id,
            trajectory_id=getattr(event, "trajectory_id", ""),
        )

    async def _send(self, event: future_job.Event, mail: EmployerMail) -> None:
        try:
            await workflow.execute_activity_method(
                MailActivities.send_employer_mail,
                mail,
                task_queue=mail_queue(workflow.info().task_queue),  # the mail worker's
                start_to_close_timeout=timedelta(minutes=2),
                retry_policy=MAIL_RETRY,
                summary=mail.template,
            )
        except ActivityError:
            workflow.logger.warning("mail failed", extra={"template": mail.template})
            await self._open_task(event, task.TaskKind.MAIL_FAILED)

    async def _propose_fallback(self, event: future_job.Event, lost: tuple[str, ...]) -> None:
        """A task for the coach of each candidate who lost their place, with the other
        future jobs proposed (ranked, explained); the coach decides."""
        state = self._shell.state
        assert state is not None
        fallbacks = await workflow.execute_activity_method(
            StreamEventActivities.fallback_for,
            FallbackRequest(future_job_id=event.future_job_id, lost=list(lost)),
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=LOOKUP_RETRY,
        )
        for number, fallback in enumerate(fallbacks, start=1):
            task_id = f"task-{event.future_job_id}-{event.version}-{number}"
            await open_task(
                task_id, task.TaskKind.PLACE_LOST, fallback.trajectory_id,
                fallback.responsible, day=state.day, proposals=fallback.proposals,
                lost_on=event.future_job_id,
            )  # fmt: skip

    async def _tell_trajectory(self, event: future_job.CommitmentAnswered) -> None:
        """The candidate's trajectory records what the employer answered for it."""
        state = self._shell.state
        chase = state.chases.get(event.trajectory_id) if state is not None else None
        vacancy = chase is not None and chase.purpose is VACANCY
        about: Literal["commitment", "vacancy"] = "vacancy" if vacancy else "commitment"
        answer = trajectory.EmployerAnswer(event.answer.value)
        await self._signal_answer(event, event.trajectory_id, about, answer, event.reason)

    async def _tell_change(self, event: future_job.Event, tid: str) -> None:
        """A trajectory learning towards it follows its new date and number of jobs."""
        state = self._shell.state
        assert state is not None
        command = trajectory.RecordFutureJobChange(
            actor=event.actor, request_id=f"{event.future_job_id}.{event.version}.{tid}"[:64],
            future_job_id=state.future_job_id, expected_date=state.expected_on,
            number_of_jobs=state.jobs,
        )  # fmt: skip
        await tell(tid, EMPLOYER_ANSWERED, EmployerAnswerNews(command=command), "trajectory")

    async def _tell_place_lost(self, event: future_job.Event, tid: str, why: str) -> None:
        """The trajectory records that its employer has no place for it any more."""
        declined = trajectory.EmployerAnswer.DECLINED
        await self._signal_answer(event, tid, "commitment", declined, why)

    async def _signal_answer(
        self,
        event: future_job.Event,
        tid: str,
        about: Literal["commitment", "vacancy"],
        answer: trajectory.EmployerAnswer,
        reason: str | None,
    ) -> None:
        command = trajectory.RecordEmployerAnswer(
            actor=event.actor, request_id=f"{event.future_job_id}.{event.version}.{tid}"[:64],
            future_job_id=event.future_job_id, about=about, answer=answer, reason=reason,
        )  # fmt: skip
        await tell(tid, EMPLOYER_ANSWERED, EmployerAnswerNews(command=command), "trajectory")

    async def _open_task(self, event: future_job.Event, kind: task.TaskKind) -> None:
        """A task for the employer's account manager, climbing the line above them."""
        state = self._shell.state
        assert state is not None
        responsible = await workflow.execute_activity_method(
            StreamEventActivities.responsible_for_employer,
            state.employer_id,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=LOOKUP_RETRY,
        )
        task_id = f"task-{event.future_job_id}-{event.version}"
        # The demo's clock climbs as fast as it chased.
        await open_task(task_id, kind, event.future_job_id, responsible, day=state.day)
