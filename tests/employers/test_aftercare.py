"""After the regular job, on the time-skipping server: the checkpoints at 1, 3, 6 and 12
months fall due on time (not before) as tasks for the coach, a recorded checkpoint resolves
its task, the last one closes the trajectory, and the wage value's re-assessment falls due
on its date as a task too, resolved by recording it."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.key_store import PostgresKeyStore
from domain import people, task, trajectory
from domain.shared import COACH_TIME_ZONE, ContactDetails, add_months
from nbm import service
from nbm import stream_service as streams
from privacy.seal import seal_contact
from tests import factories as f
from tests.employers.conftest import Mail, add_people, opened_task, settle, task_exists
from tests.workflows.helpers import start_ready_to_learn

B = trajectory.BenefitEnd


async def add_coach(env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore) -> None:
    await add_people(env.client, task_queue, keys)  # sup-1, am-1
    key = await keys.key_for(f.COACH, create=True)
    anna = seal_contact(ContactDetails(name="Anna", email="anna@wb.example"), key, f.COACH)
    await streams.people_command(
        env.client, task_queue,
        people.AddPerson(
            actor="admin", person_id=f.COACH, role=people.Role.COACH, supervisor_id="sup-1",
            caseload_limit=30, contact=anna,
        ),
    )  # fmt: skip


async def task_of_escalation(env: WorkflowEnvironment, tid: str, number: int) -> str:
    state = await service.state(env.client, tid)
    version = state.escalations[number - 1].version
    assert version is not None
    return f"task-{tid}-{version}"


async def resolved(env: WorkflowEnvironment, task_id: str, what: str) -> None:
    async def done() -> bool:
        return (await streams.task_state(env.client, task_id)).status is task.TaskStatus.RESOLVED

    await settle(env, done, what)


async def sleep_until(env: WorkflowEnvironment, at: datetime) -> None:
    await env.sleep(at - await env.get_current_time())


async def test_the_checkpoints_fall_due_on_time_as_tasks_and_the_last_closes_the_trajectory(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    await add_coach(ts_env, task_queue, keys)
    tid, handle = await start_ready_to_learn(ts_env, task_queue)
    today = (await ts_env.get_current_time()).astimezone(COACH_TIME_ZONE).date()
    assessment = trajectory.WageValueAssessment(
        wage_value_pct=60, assessed_by="assessor-1", assessed_on=today
    )
    reassess_on = add_months(today, 2)  # between the 1- and the 3-month checkpoint
    await service.send(
        ts_env.client,
        tid,
        f.regular_job(
            24, start_date=today, benefit_end=B.PARTLY, wage_value=assessment,
            subsidy_decided_on=today, reassess_on=reassess_on,
        ),
    )  # fmt: skip
    state = await service.state(ts_env.client, tid)
    assert [p.month for p in state.checkpoints] == [1, 3, 6, 12]
    assert state.regular_job is not None and state.regular_job.benefit_end is B.PARTLY
    assert state.wage_cost_subsidy is not None and state.wage_cost_subsidy.subsidy_pct == 40
    escalations = len(state.escalations)  # the small contract's, while benefits go on

    lks_checked = False
    for number, point in enumerate(state.checkpoints):
        # An hour before it is due: nothing yet.
        await sleep_until(ts_env, point.due_at - timedelta(hours=1))
        before = await service.state(ts_env.client, tid)
        assert not before.checkpoints[number].due, f"the {point.month}-month checkpoint came early"
        assert len(before.escalations) == escalations
        await sleep_until(ts_env, point.due_at + timedelta(seconds=1))

        async def due(n: int = number) -> bool:
            return (await service.state(ts_env.client, tid)).checkpoints[n].due

        await settle(ts_env, due, f"the {point.month}-month checkpoint falls due")
        escalations += 1
        task_id = await task_of_escalation(ts_env, tid, escalations)
        it = await opened_task(ts_env, task_id, f"the coach's task for month {point.month}")
        assert (it.assignee_id, it.about, it.task_kind) == (f.COACH, tid, task.TaskKind.ESCALATION)
        assert it.opened_at >= point.due_at
        last = point.month == 12
        await service.send(
            ts_env.client,
            tid,
            trajectory.RecordCheckpoint(
                actor=f.COACH, month=point.month, still_employed=True, hours_per_week=24,
                benefit_end=B.FULLY if last else B.PARTLY,
            ),
        )  # fmt: skip
        await resolved(ts_env, task_id, f"the {point.month}-month task is resolved")

        if point.month == 1:  # the wage value's re-assessment comes next, on its date
            lks = state.wage_cost_subsidy
            assert lks.reassess_at is not None
            await sleep_until(ts_env, lks.reassess_at - timedelta(hours=1))
            assert not (await service.state(ts_env.client, tid)).wage_cost_subsidy.reassessment_due  # type: ignore[union-attr]
            await sleep_until(ts_env, lks.reassess_at + timedelta(seconds=1))

            async def reassessment_due() -> bool:
                now = (await service.state(ts_env.client, tid)).wage_cost_subsidy
                return now is not None and now.reassessment_due

            await settle(ts_env, reassessment_due, "the re-assessment falls due")
            escalations += 1
            lks_task = await task_of_escalation(ts_env, tid, escalations)
            await opened_task(ts_env, lks_task, "the coach's task for the re-assessment")
            again = assessment.model_copy(update={"wage_value_pct": 75, "assessed_on": reassess_on})
            await service.send(
                ts_env.client,
                tid,
                trajectory.RecordWageValueReassessment(
                    actor=f.COACH, wage_value=again, next_reassess_on=add_months(today, 14)
                ),
            )
            await resolved(ts_env, lks_task, "the re-assessment's task is resolved")
            lks_checked = True

    assert lks_checked
    result = await handle.result()
    assert result.outcome_type == trajectory.OutcomeType.PLACED
    final = await service.state(ts_env.client, tid)
    assert final.closed and final.lasting_placement is True
    assert [p.hours_per_week for p in final.checkpoints] == [24, 24, 24, 24]
    assert final.wage_cost_subsidy is not None and final.wage_cost_subsidy.subsidy_pct == 25


async def test_a_missed_checkpoint_escalates_and_an_early_end_resolves_its_tasks(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    await add_coach(ts_env, task_queue, keys)
    tid, handle = await start_ready_to_learn(ts_env, task_queue)
    today = (await ts_env.get_current_time()).astimezone(COACH_TIME_ZONE).date()
    await service.send(ts_env.client, tid, f.regular_job(36, start_date=today))
    state = await service.state(ts_env.client, tid)
    grace = trajectory.CHECKPOINT_GRACE_WEEKS * timedelta(weeks=1)
    await sleep_until(ts_env, state.checkpoints[0].due_at + grace + timedelta(seconds=1))

    async def missed() -> bool:
        return (await service.state(ts_env.client, tid)).checkpoints[0].missed

    await settle(ts_env, missed, "the unrecorded checkpoint is missed")
    now = await service.state(ts_env.client, tid)
    reasons = [e.reason for e in now.open_escalations]
    assert reasons == [
        trajectory.EscalationReason.CHECKPOINT_DUE,
        trajectory.EscalationReason.CHECKPOINT_MISSED,
    ]
    tasks = [await task_of_escalation(ts_env, tid, n) for n in (1, 2)]
    for task_id in tasks:
        await opened_task(ts_env, task_id, "a task of the checkpoint")
    await service.send(
        ts_env.client,
        tid,
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.MOVED_AWAY),
    )
    await handle.result()
    for task_id in tasks:  # none is left open after its trajectory
        await resolved(ts_env, task_id, "the checkpoint's task ends with the trajectory")
    assert await task_exists(ts_env, tasks[0])


async def test_an_aftercare_escalation_resolved_by_hand_resolves_its_task_too(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    await add_coach(ts_env, task_queue, keys)
    tid, handle = await start_ready_to_learn(ts_env, task_queue)
    today = (await ts_env.get_current_time()).astimezone(COACH_TIME_ZONE).date()
    await service.send(ts_env.client, tid, f.regular_job(36, start_date=today))
    state = await service.state(ts_env.client, tid)
    await sleep_until(ts_env, state.checkpoints[0].due_at + timedelta(seconds=1))

    async def due() -> bool:
        return (await service.state(ts_env.client, tid)).checkpoints[0].due

    await settle(ts_env, due, "the 1-month checkpoint falls due")
    task_id = await task_of_escalation(ts_env, tid, 1)
    await opened_task(ts_env, task_id, "the checkpoint's task")
    await service.send(ts_env.client, tid, trajectory.ResolveEscalation(actor=f.COACH, number=1))
    await resolved(ts_env, task_id, "the task of the escalation resolved by hand")
    assert not (await service.state(ts_env.client, tid)).checkpoints[0].recorded_at
    await service.send(
        ts_env.client,
        tid,
        trajectory.EndTrajectory(actor=f.COACH, reason=trajectory.ClosureReason.MOVED_AWAY),
    )
    await handle.result()
