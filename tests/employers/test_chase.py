"""The chase of a commitment on the time-skipping server, with real mail: the request, the
reminders after 5 and 10 working days, the account manager's task after 15, and that task
climbing to the supervisor when nobody acknowledges it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.key_store import PostgresKeyStore
from domain import future_job, task
from domain.shared import COACH_TIME_ZONE, add_working_days
from nbm import stream_service as streams
from tests.employers.conftest import (
    CONTACT_EMAIL,
    CONTACT_NAME,
    Mail,
    add_employer,
    add_people,
    forecast_and_request,
    opened_task,
    settle,
)


async def skip_to(env: WorkflowEnvironment, day: date, hour: int = 10) -> None:
    moment = datetime.combine(day, datetime.min.time().replace(hour=hour), COACH_TIME_ZONE)
    await env.sleep(moment - await env.get_current_time())


async def test_the_whole_ladder_up_to_the_task_and_its_climb_to_the_supervisor(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    client = ts_env.client
    await add_people(client, task_queue, keys)
    await add_employer(client, task_queue, keys)
    today = await forecast_and_request(ts_env, task_queue, "fj-ladder")

    async def mails(n: int) -> bool:
        return len(mail.mailbox.list()) >= n

    await settle(ts_env, lambda: mails(1), "the request is mailed")
    [request] = mail.mailbox.list()
    assert request.to == CONTACT_EMAIL and "toezegging" in request.subject
    body = request.message().get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert CONTACT_NAME in body and "/antwoord/" in body

    # The day before the first reminder: nothing new.
    await skip_to(ts_env, add_working_days(today, 5) - timedelta(days=1))
    assert len(mail.mailbox.list()) == 1
    await skip_to(ts_env, add_working_days(today, 5))
    await settle(ts_env, lambda: mails(2), "the first reminder")
    await skip_to(ts_env, add_working_days(today, 10))
    await settle(ts_env, lambda: mails(3), "the second reminder")
    assert "Herinnering 2" in mail.mailbox.list()[-1].subject

    await skip_to(ts_env, add_working_days(today, 15))
    state = await streams.future_job_state(client, "fj-ladder")
    assert state.chases["traj-1"].escalated
    task_id = f"task-fj-ladder-{state.version}"

    it = await opened_task(ts_env, task_id, "the account manager's task is opened")
    assert (it.assignee_id, it.route, it.task_kind) == (
        "am-1",
        ("sup-1",),
        task.TaskKind.SILENT_EMPLOYER,
    )

    # Left unacknowledged, it climbs to the supervisor after two working days.
    await skip_to(ts_env, it.ack_due_on)
    await settle(
        ts_env,
        lambda: _assignee_is(client, task_id, "sup-1"),
        "the task climbs to the supervisor",
    )
    it = await streams.task_state(client, task_id)
    assert it.climbed == ("sup-1",) and task.next_deadline(it) is None
    await streams.task_command(client, task_id, task.AcknowledgeTask(actor="sup-1"))
    await streams.task_command(client, task_id, task.ResolveTask(actor="sup-1"))
    assert len(mail.mailbox.list()) == 3  # nothing more was mailed


async def _assignee_is(client: object, task_id: str, person: str) -> bool:
    return (await streams.task_state(client, task_id)).assignee_id == person  # type: ignore[arg-type]


async def test_a_moved_deadline_moves_the_reminders_and_an_answer_ends_the_chase(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    client = ts_env.client
    await add_people(client, task_queue, keys)
    await add_employer(client, task_queue, keys)
    today = await forecast_and_request(ts_env, task_queue, "fj-moved")
    first = add_working_days(today, 5)
    moved_to = add_working_days(today, 8)
    await streams.future_job_command(
        client,
        "fj-moved",
        future_job.MoveChase(actor="am-1", trajectory_id="traj-1", to=moved_to, reason="vakantie"),
    )
    await skip_to(ts_env, first, hour=12)
    assert len(mail.mailbox.list()) == 1  # only the request: the reminder moved
    await skip_to(ts_env, moved_to, hour=12)
    assert len(mail.mailbox.list()) == 2
    # The steps after it kept their distance: the second reminder 5 working days later.
    state = await streams.future_job_state(client, "fj-moved")
    assert state.chases["traj-1"].pending[0].due_on == add_working_days(moved_to, 5)

    await streams.future_job_command(
        client,
        "fj-moved",
        future_job.RecordCommitment(
            actor="am-1", trajectory_id="traj-1", answer=future_job.CommitmentAnswer.CONFIRMED
        ),
    )
    await skip_to(ts_env, add_working_days(today, 30))
    assert len(mail.mailbox.list()) == 2  # answered: no more reminders, no task
    state = await streams.future_job_state(client, "fj-moved")
    nearest = future_job.next_deadline(state)  # no more chase, no expiry: the check-in
    assert nearest is not None and nearest.kind == "check-in"
