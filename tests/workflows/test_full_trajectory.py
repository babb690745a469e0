"""A whole two-year trajectory, timers included, on the time-skipping server."""

from __future__ import annotations

import time
from datetime import timedelta

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from domain import trajectory
from nbm import service
from tests import factories as f
from tests.workflows.helpers import advance_to
from workflows import TrajectoryWorkflow

COACH = f.COACH


async def test_two_year_small_scale_growth_from_forecast_to_lasting_job(
    ts_env: WorkflowEnvironment, ts_worker: Worker, store: PostgresEventStore, task_queue: str
) -> None:
    began = time.monotonic()
    client = ts_env.client
    now = await ts_env.get_current_time()
    start = f.start(now, months_ahead=23)
    tid = start.trajectory_id
    await service.start_trajectory(client, task_queue, start, now=now)
    await service.send(client, tid, f.map_possibilities())
    # Steps 3 and 4 in the order the pilots often used: the match first, then the plan.
    await service.send(client, tid, f.match())
    await service.send(client, tid, f.establish_agreement(weeks=96))
    await service.send(client, tid, f.start_learning())
    await service.send(
        client, tid, trajectory.StartPlacement(actor=COACH, name="introduction", hours_per_week=16)
    )

    state = await service.state(client, tid)
    assert state.step is trajectory.Step.LEARNING_IN

    # Evaluate every time one is due, until the learning period's last evaluation.
    evaluations = 0
    while (nxt := trajectory.next_deadline(await service.state(client, tid))) and (
        nxt.kind is trajectory.DeadlineKind.EVALUATION
    ):
        await advance_to(ts_env, tid, trajectory.DeadlineKind.EVALUATION)
        await service.send(
            client,
            tid,
            trajectory.RecordEvaluation(
                actor=COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True
            ),
        )
        evaluations += 1
        if evaluations == 8:
            # Year two: a bigger placement, and a calamity that brings in the work coach.
            await service.send(
                client,
                tid,
                trajectory.StartPlacement(
                    actor=COACH,
                    name="ADL internship",
                    hours_per_week=32,
                    deviation="more hours in year two",
                ),
            )
            await service.send(
                client,
                tid,
                trajectory.RecordCalamity(
                    actor=COACH, calamity_kind=trajectory.CalamityKind.FINANCES
                ),
            )
            await service.send(client, tid, trajectory.ResolveCalamity(actor=COACH, number=1))
    # The 16th evaluation falls due with the end of learning: asked for first, then the end.
    assert evaluations == 96 // 6
    state = await service.state(client, tid)
    assert state.step is trajectory.Step.OUTCOME and state.learning_ended
    assert state.escalations[-1].reason is trajectory.EscalationReason.OUTCOME_NEEDED

    # No vacancy yet: the candidate learns on for eight weeks (the deadline moves), and the
    # extended period ends by its timer.
    await service.send(
        client, tid, trajectory.ExtendLearning(actor=COACH, weeks=8, reason="VCA exam")
    )
    extended = await service.state(client, tid)
    assert extended.step is trajectory.Step.LEARNING_IN
    assert extended.learning_ends_at is not None
    eight_weeks_on = await ts_env.get_current_time() + timedelta(weeks=8)
    assert abs(extended.learning_ends_at - eight_weeks_on) < timedelta(seconds=5)
    await ts_env.sleep(timedelta(weeks=9))
    state = await service.state(client, tid)
    assert state.step is trajectory.Step.OUTCOME and state.learning_ended
    assert state.learning_weeks == 104
    assert (await ts_env.get_current_time()) - now > timedelta(weeks=104)

    # The job begins today: a first day long past would make the follow-up due at once.
    today = (await ts_env.get_current_time()).date()
    job = f.regular_job(hours=32, wage_cost_subsidy_pct=30, start_date=today)
    await service.send(client, tid, job)
    for month in (1, 3, 6, 12):  # the follow-up checkpoints; the last one closes it
        await advance_to(ts_env, tid, trajectory.DeadlineKind.CHECKPOINT)
        await service.send(
            client,
            tid,
            trajectory.RecordCheckpoint(
                actor=COACH, month=month, still_employed=True, hours_per_week=32,
                benefit_end=trajectory.BenefitEnd.FULLY,
            ),
        )  # fmt: skip

    handle = client.get_workflow_handle_for(TrajectoryWorkflow.run, tid)
    result = await handle.result()
    assert result.outcome_type == trajectory.OutcomeType.PLACED
    final = await service.state(client, tid)
    assert final.closed and final.lasting_placement is True
    assert final.regular_job is not None and final.regular_job.wage_cost_subsidy_pct == 30

    stored = await store.read(tid)
    assert [e.version for e in stored] == list(range(1, final.version + 1))
    assert trajectory.fold(stored) == final
    # Three years of trajectory in (far) less than a minute of wall time.
    assert time.monotonic() - began < 60


async def test_missed_evaluation_escalates_to_the_work_coach(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str
) -> None:
    from tests.workflows.helpers import start_ready_to_learn

    tid, _ = await start_ready_to_learn(ts_env, task_queue)
    await advance_to(ts_env, tid, trajectory.DeadlineKind.EVALUATION)
    await advance_to(ts_env, tid, trajectory.DeadlineKind.EVALUATION)
    state = await service.state(ts_env.client, tid)
    reasons = [e.reason for e in state.escalations]
    assert reasons == [trajectory.EscalationReason.EVALUATION_MISSED]
    assert state.evaluation_pending_since is not None
