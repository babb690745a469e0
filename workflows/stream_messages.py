"""What goes in and out of the workflows of the future jobs, employers, the people directory
and tasks: their inputs (a first command, or the state carried over by continue-as-new),
their one update and its answer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from domain import cohort, employer, future_job, matching, people, task, trajectory

FUTURE_JOB_WORKFLOW = "FutureJob"
EMPLOYER_WORKFLOW = "Employer"
PEOPLE_WORKFLOW = "People"
TASK_WORKFLOW = "Task"
MATCHING_WORKFLOW = "Matching"
COHORT_WORKFLOW = "Cohort"
FROM_TRAJECTORY = "from_trajectory"


EMPLOYER_ANSWERED = "employer_answered"
"""The trajectory's signal: the employer answered what its future job asked for it."""
RESOLVE_ESCALATION = "resolve_escalation"
"""The trajectory's signal: the task of one of its escalations was resolved."""
RESOLVE_TASK = "resolve"
"""A task's signal: what it was about was done where it happened (a checkpoint recorded in
its trajectory), so it is resolved."""


def mail_queue(task_queue: str) -> str:
    """The mail worker's task queue beside `task_queue`: only that worker holds the KEK."""
    return f"{task_queue}-mail"


"""The future job's signal: a trajectory learning towards it passes on its news."""


class _Message(BaseModel):
    # hide_input_in_errors: a validation error must not echo personal data into a log.
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class StreamResult(_Message):
    """What the caller gets back once a command's events are stored."""

    stream_id: str
    version: int
    event_types: list[str]
    request_id: str | None = None


class _Input(_Message):
    answered: dict[str, StreamResult] = Field(default_factory=dict)
    """The latest answers by request id, carried over continue-as-new."""


class FutureJobInput(_Input):
    start: future_job.ForecastFutureJob | None = None
    state: future_job.FutureJob | None = None


class FutureJobRequest(_Message):
    command: future_job.AnyCommand


class EmployerInput(_Input):
    start: employer.RegisterEmployer | None = None
    state: employer.Employer | None = None


class EmployerRequest(_Message):
    command: employer.AnyCommand


class PeopleInput(_Input):
    state: people.Directory | None = None


class PeopleRequest(_Message):
    command: people.AnyCommand


class MatchingInput(_Input):
    state: matching.Matching | None = None


class MatchingRequest(_Message):
    command: matching.AnyCommand


class TaskInput(_Input):
    start: task.OpenTask | None = None
    state: task.Task | None = None


class TaskRequest(_Message):
    command: task.AnyCommand


class CohortInput(_Input):
    start: cohort.StartCohort | None = None
    state: cohort.Cohort | None = None


class CohortRequest(_Message):
    command: cohort.AnyCommand


class EmployerAnswerNews(_Message):
    command: trajectory.RecordEmployerAnswer | trajectory.RecordFutureJobChange


class TaskDone(_Message):
    """A task's work done elsewhere, by `actor` (a task's commands are updates; a workflow
    can only signal another)."""

    actor: str
    request_id: str


class EscalationDone(_Message):
    """A trajectory's escalation taken care of: its task resolved, by `actor`."""

    number: int
    actor: str
    request_id: str
