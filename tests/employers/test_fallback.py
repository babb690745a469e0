"""Fewer places than estimated: the candidate who lost their place is proposed to the other
employers' future jobs (the same sector first), in a task for their coach, who decides."""

from __future__ import annotations

from datetime import date

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.key_store import PostgresKeyStore
from domain import future_job, task
from domain.trajectory import Commitment
from nbm import service
from nbm import stream_service as streams
from tests.employers.conftest import Mail, add_employer, add_people, opened_task, settle
from tests.workflows.helpers import start_ready_to_learn


async def forecast(env: WorkflowEnvironment, tq: str, fj: str, emp: str, function: str) -> None:
    now = await env.get_current_time()
    await streams.forecast(
        env.client, tq,
        future_job.ForecastFutureJob(
            actor="am-1", future_job_id=fj, employer_id=emp, function=function, jobs=2,
            expected_on=date(now.year + 1, now.month, 1), required_skills=("ADL", "hygiëne"),
            commitment=Commitment.JOB_GUARANTEE,
        ),
        now=now,
    )  # fmt: skip


async def test_a_reduction_proposes_the_candidate_to_the_other_employers(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    client = ts_env.client
    await add_people(client, task_queue, keys)
    await add_employer(client, task_queue, keys, "emp-1")
    await add_employer(client, task_queue, keys, "emp-2")  # the same sector (zorg)
    await forecast(ts_env, task_queue, "fj-shrinks", "emp-1", "helpende zorg")
    await forecast(ts_env, task_queue, "fj-other", "emp-2", "helpende zorg")
    await forecast(ts_env, task_queue, "fj-far", "emp-2", "schoonmaker")
    first, _ = await start_ready_to_learn(ts_env, task_queue)
    second, _ = await start_ready_to_learn(ts_env, task_queue)
    for tid in (first, second):
        await streams.future_job_command(
            client, "fj-shrinks", future_job.AttachCandidate(actor="coach-1", trajectory_id=tid)
        )
    result = await streams.future_job_command(
        client, "fj-shrinks", future_job.ReduceJobs(actor="am-1", jobs=1, reason="krimp")
    )
    task_id = f"task-fj-shrinks-{result.version}-1"

    it = await opened_task(ts_env, task_id, "the coach's task with the proposals")
    coach = (await service.state(client, second)).coach_id
    assert (it.task_kind, it.about, it.assignee_id) == (task.TaskKind.PLACE_LOST, second, coach)
    assert [p.future_job_id for p in it.proposals] == ["fj-other", "fj-far"]
    best = it.proposals[0]
    assert best.same_sector and best.same_function and best.free_places == 2
    assert best.matched_skills == ("ADL", "hygiëne") and best.missing_skills == ()

    # The trajectory that lost its place records it, with the reason.
    async def told() -> bool:
        return bool((await service.state(client, second)).employer_answers)

    await settle(ts_env, told, "the trajectory records that its place is gone")
    [lost] = (await service.state(client, second)).employer_answers
    assert (lost.answer.value, lost.reason) == ("declined", "minder-plaatsen")
    assert not (await service.state(client, first)).employer_answers
