"""Over a long trajectory the employer hears from the Werkbedrijf: an invitation to each
evaluation, a check-in every 8 weeks, and, 8 weeks before learning ends, the question
whether the job is there on that day. The trajectory tells its future job; the future
job's clock does the rest."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.key_store import PostgresKeyStore
from domain import future_job, trajectory
from domain.shared import COACH_TIME_ZONE
from domain.trajectory import Commitment
from nbm import service
from nbm import stream_service as streams
from tests import factories as f
from tests.employers.conftest import Mail, add_employer, add_people, settle


def subjects(mail: Mail) -> list[str]:
    return [m.subject for m in mail.mailbox.list()]


async def test_the_vacancy_confirmation_goes_out_eight_weeks_before_learning_ends(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    client = ts_env.client
    await add_people(client, task_queue, keys)
    await add_employer(client, task_queue, keys)
    now = await ts_env.get_current_time()
    await streams.forecast(
        client, task_queue,
        future_job.ForecastFutureJob(
            actor="am-1", future_job_id="fj-long", employer_id="emp-1", function="helpende zorg",
            jobs=1, expected_on=date(now.year + 1, now.month, 1) + timedelta(days=90),
            required_skills=("ADL",), commitment=Commitment.JOB_GUARANTEE,
        ),
        now=now,
    )  # fmt: skip
    start, *commands = f.ready_to_learn(now, future_job_id="fj-long")
    assert isinstance(start, trajectory.StartTrajectory)
    tid = start.trajectory_id
    # As `nbm trajectory start --future-job` does: the place first, then the start.
    await streams.future_job_command(
        client, "fj-long", future_job.AttachCandidate(actor="coach-1", trajectory_id=tid)
    )
    await service.start_trajectory(client, task_queue, start, now=now)
    for command in [*commands, f.start_learning()]:
        await service.send(client, tid, command)  # type: ignore[arg-type]
    state = await service.state(client, tid)
    assert state.learning_ends_at is not None
    ends_on = state.learning_ends_at.astimezone(COACH_TIME_ZONE).date()

    async def planned() -> bool:  # the trajectory told its future job
        return tid in (await streams.future_job_state(client, "fj-long")).learning

    await settle(ts_env, planned, "the trajectory tells the future job when learning ends")
    job = await streams.future_job_state(client, "fj-long")
    confirm_on = job.learning[tid].confirm_on
    assert ends_on - timedelta(weeks=8) <= confirm_on < ends_on - timedelta(weeks=7)

    day_before = datetime.combine(
        confirm_on - timedelta(days=1), datetime.min.time(), COACH_TIME_ZONE
    )
    await ts_env.sleep(day_before.replace(hour=12) - await ts_env.get_current_time())
    assert not any("Is de baan er" in s for s in subjects(mail))
    assert any("Even bijpraten" in s for s in subjects(mail))  # check-ins every 8 weeks
    assert any("Uitnodiging evaluatie" in s for s in subjects(mail))  # from the trajectory

    await ts_env.sleep(timedelta(days=1))

    async def asked() -> bool:
        return any("Is de baan er" in s for s in subjects(mail))

    await settle(ts_env, asked, "the vacancy confirmation")
    question = next(m for m in mail.mailbox.list() if "Is de baan er" in m.subject)
    body = question.message().get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"{ends_on.day} " in body and "/antwoord/" in body
    job = await streams.future_job_state(client, "fj-long")
    assert job.chases[tid].purpose is future_job.ChasePurpose.VACANCY
    assert job.chases[tid].job_on == ends_on
