"""A missed evaluation escalates: a task for the coach with a deadline to acknowledge it;
left alone it climbs to the coach's supervisor; resolved, the escalation is resolved too
and the caseload no longer counts it."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.key_store import PostgresKeyStore
from domain import people, task, trajectory
from domain.shared import ContactDetails
from nbm import service
from nbm import stream_service as streams
from privacy.seal import seal_contact
from tests import factories as f
from tests.employers.conftest import Mail, add_people, opened_task, settle
from tests.workflows.helpers import advance_to, start_ready_to_learn


async def test_a_missed_evaluation_opens_a_task_that_climbs_and_its_resolution_counts(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    client = ts_env.client
    await add_people(client, task_queue, keys)  # sup-1, am-1
    key = await keys.key_for(f.COACH, create=True)
    anna = seal_contact(ContactDetails(name="Anna", email="anna@wb.example"), key, f.COACH)
    await streams.people_command(
        client, task_queue,
        people.AddPerson(
            actor="admin", person_id=f.COACH, role=people.Role.COACH, supervisor_id="sup-1",
            caseload_limit=30,
            contact=anna,
        ),
    )  # fmt: skip
    tid, _ = await start_ready_to_learn(ts_env, task_queue)
    await advance_to(ts_env, tid, trajectory.DeadlineKind.EVALUATION)  # missed
    await advance_to(ts_env, tid, trajectory.DeadlineKind.EVALUATION)  # escalated now
    state = await service.state(client, tid)
    [escalation] = state.escalations
    assert escalation.reason is trajectory.EscalationReason.EVALUATION_MISSED
    raised = next(
        e
        for e in await service.run_events(client, tid)
        if isinstance(e, trajectory.EscalationRaised)
    )
    task_id = f"task-{tid}-{raised.version}"

    it = await opened_task(ts_env, task_id, "the coach's task")
    assert (it.task_kind, it.assignee_id, it.route) == (
        task.TaskKind.EVALUATION_MISSED,
        f.COACH,
        ("sup-1",),
    )
    await ts_env.sleep(it.moment(it.ack_due_on) - await ts_env.get_current_time())

    async def climbed() -> bool:
        return (await streams.task_state(client, task_id)).assignee_id == "sup-1"

    await settle(ts_env, climbed, "the task climbs to the supervisor")
    await streams.task_command(client, task_id, task.ResolveTask(actor="sup-1"))

    async def resolved() -> bool:
        return not (await service.state(client, tid)).open_escalations

    await settle(ts_env, resolved, "the escalation is resolved with its task")
    done = (await service.state(client, tid)).escalations[0]
    assert done.resolved_at is not None
