"""The programmes run on the engine as the pilots ran them, on the time-skipping server: a
Werkfit run of 12 weeks through its modules handed over into an NBM programme with one
history; a Van Werk naar Werk run of 6 months; the benefit-retention warning on its day, as
a task, and the refusal to extend past the maximum without a supervisor."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.event_store import PostgresEventStore
from activities.key_store import PostgresKeyStore
from domain import task, trajectory
from nbm import programmes, service
from nbm import stream_service as streams
from tests import factories as f
from tests.employers.conftest import Mail, add_people, opened_task, settle
from tests.workflows.helpers import advance_to, through_the_checkpoints

WEEK = timedelta(days=7)


async def started(
    env: WorkflowEnvironment,
    task_queue: str,
    programme: trajectory.Programme,
    agreement: trajectory.EstablishAgreement,
    **start_kw: object,
) -> str:
    now = await env.get_current_time()
    start = f.start(now).model_copy(
        update={"programme": programme, "route": programme.route, **start_kw}
    )
    await service.start_trajectory(env.client, task_queue, start, now=now)
    tid = start.trajectory_id
    for command in (f.map_possibilities(), agreement, f.match(), f.start_learning()):
        await service.send(env.client, tid, command)  # type: ignore[arg-type]
    return tid


def ladder_agreement(programme: trajectory.Programme, weeks: int) -> trajectory.EstablishAgreement:
    planned = tuple(
        trajectory.PlannedPlacement(name=r.name, weeks=r.weeks, hours_per_week=r.hours_per_week)
        for r in programme.successive_rungs
    )
    return f.establish_agreement(weeks).model_copy(update={"placements": planned})


async def evaluate_when_due(env: WorkflowEnvironment, tid: str) -> None:
    await advance_to(env, tid, trajectory.DeadlineKind.EVALUATION)
    await service.send(
        env.client, tid,
        trajectory.RecordEvaluation(
            actor=f.COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK, employer_present=True
        ),
    )  # fmt: skip


async def resolve_open_tasks(env: WorkflowEnvironment, tid: str) -> None:
    """The coach resolves every escalation's task (a task left open under a closed
    trajectory stalls the time-skipping server)."""
    for e in await service.run_events(env.client, tid):
        if isinstance(e, trajectory.EscalationRaised):
            task_id = f"task-{tid}-{e.version}"
            it = await opened_task(env, task_id, "the escalation's task")
            if it.resolved_by is None:
                await streams.task_command(env.client, task_id, task.ResolveTask(actor=f.COACH))

    async def none_open() -> bool:
        return not (await service.state(env.client, tid)).open_escalations

    await settle(env, none_open, "every escalation resolved with its task")


async def test_werkfit_runs_its_12_weeks_of_modules_and_hands_over_into_nbm_in_one_history(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    store: PostgresEventStore,
    mail: Mail,
) -> None:
    client = ts_env.client
    await add_people(client, task_queue, keys)
    werkfit = programmes.programme("werkfit")
    began = await ts_env.get_current_time()
    tid = await started(ts_env, task_queue, werkfit, ladder_agreement(werkfit, 12))
    modules = [(r.name, r.hours_per_week) for r in werkfit.successive_rungs]
    # Each module starts after the evaluation of the one before (every 2 weeks).
    for number, module in enumerate(modules):
        if number:
            with pytest.raises(service.CommandRefused, match="no evaluation since it started"):
                await service.send(client, tid, placement(*module))
            await evaluate_when_due(ts_env, tid)
        await service.send(client, tid, placement(*module))
    while (await service.state(client, tid)).next_evaluation_at is not None and (
        await next_kind(client, tid)
    ) is trajectory.DeadlineKind.EVALUATION:
        await evaluate_when_due(ts_env, tid)
    if await next_kind(client, tid) is trajectory.DeadlineKind.LEARNING_END:
        await advance_to(ts_env, tid, trajectory.DeadlineKind.LEARNING_END)

    async def ended() -> bool:
        return (await service.state(client, tid)).learning_ended

    await settle(ts_env, ended, "the 12 weeks end")
    state = await service.state(client, tid)
    assert state.learning_ended and state.learning_ends_at == began_plus(state, 12)
    moves = [p.ladder_move for p in state.placements]
    assert moves == [trajectory.LadderMove.FIRST] + [trajectory.LadderMove.NEXT] * 3
    assert (state.learning_ends_at - state.learning_started_at) == 12 * WEEK  # type: ignore[operator]
    assert state.learning_started_at is not None and state.learning_started_at >= began
    # Werkfit done: the candidate continues in the large-scale growth programme.
    nbm = programmes.programme("large-scale-growth")
    job = f.start(await ts_env.get_current_time()).future_job
    await service.send(
        client, tid,
        trajectory.HandOver(actor=f.COACH, programme=nbm, route=nbm.route, future_job=job),  # type: ignore[arg-type]
    )  # fmt: skip
    await resolve_open_tasks(ts_env, tid)
    await service.send(client, tid, ladder_agreement(nbm, 52))
    await service.send(client, tid, f.start_learning())
    state = await service.state(client, tid)
    assert state.programme.programme_id == "large-scale-growth"
    assert [h.from_programme_id for h in state.handovers] == ["werkfit"]
    # One stream in the store: the Werkfit part, the handover, the NBM part; it folds to the
    # workflow's state, which is what an auditor replays.
    stored = await store.read(tid)
    types = [e.type for e in stored]
    assert types.count("TrajectoryStarted") == 1 and types.count("LearningStarted") == 2
    assert types.index("HandedOver") < len(types) - 1
    assert [e.version for e in stored] == list(range(1, len(stored) + 1))
    assert trajectory.fold(stored) == state  # type: ignore[arg-type]


def placement(name: str, hours: int) -> trajectory.StartPlacement:
    return trajectory.StartPlacement(actor=f.COACH, name=name, hours_per_week=hours)


async def next_kind(client: object, tid: str) -> trajectory.DeadlineKind | None:
    found = trajectory.next_deadline(await service.state(client, tid))  # type: ignore[arg-type]
    return None if found is None else found.kind


def began_plus(state: trajectory.Trajectory, weeks: int) -> datetime:
    assert state.learning_started_at is not None
    return state.learning_started_at + weeks * WEEK


async def test_van_werk_naar_werk_runs_six_months_from_the_dismissal_notice(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    client = ts_env.client
    await add_people(client, task_queue, keys)
    vwnw = programmes.programme("van-werk-naar-werk")
    now = await ts_env.get_current_time()
    leaving = trajectory.WorkToWorkStart(
        outgoing_employer_id="employer-old", dismissal_date=(now + 8 * WEEK).date()
    )
    tid = await started(ts_env, task_queue, vwnw, f.establish_agreement(13), work_to_work=leaving)
    for _ in range(2):  # evaluations every 4 weeks, held when due
        await evaluate_when_due(ts_env, tid)
    await ts_env.sleep(2 * WEEK)  # week 10: a new job with another employer
    start_on: date = (await ts_env.get_current_time()).date()
    await service.send(
        client, tid, f.regular_job(36, start_date=start_on, employer_id="employer-new")
    )
    state = await service.state(client, tid)
    assert state.work_to_work == leaving and state.placed_within_goal is True
    # The checkpoints at 1, 3, 6 and 12 months on the job (the last closes it); the
    # escalations of a worker who was never on benefits are the small-contract kind only.
    await through_the_checkpoints(
        ts_env, tid, hours=36, benefit_end=trajectory.BenefitEnd.NOT_APPLICABLE
    )
    await resolve_open_tasks(ts_env, tid)
    state = await service.state(client, tid)
    assert state.closed and state.lasting_placement is True and state.placed_within_goal


async def test_the_benefit_retention_warning_comes_on_time_and_the_maximum_holds(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    client = ts_env.client
    await add_people(client, task_queue, keys)
    # Small-scale growth: 52 weeks with benefits, the coach warned 6 weeks before. (One
    # evaluation a year here, so that no missed evaluation stands between.)
    chosen = programmes.programme("small-scale-growth").model_copy(
        update={"evaluation_every_weeks": 52}
    )
    tid = await started(ts_env, task_queue, chosen, f.establish_agreement(50))
    state = await service.state(client, tid)
    assert state.learning_started_at is not None
    ends = state.learning_started_at + 52 * WEEK
    assert state.benefit_retention_ends_at == ends
    warn_at = ends - 6 * WEEK
    await ts_env.sleep(warn_at - await ts_env.get_current_time() - timedelta(hours=1))
    assert not (await service.state(client, tid)).escalations  # not a moment early
    await advance_to(ts_env, tid, trajectory.DeadlineKind.BENEFIT_RETENTION_WARNING)
    state = await service.state(client, tid)
    [warning] = state.escalations
    assert warning.reason is trajectory.EscalationReason.BENEFIT_RETENTION_ENDING
    assert warn_at <= warning.at < warn_at + timedelta(minutes=1)
    raised = next(
        e
        for e in await service.run_events(client, tid)
        if isinstance(e, trajectory.EscalationRaised)
    )
    it = await opened_task(ts_env, f"task-{tid}-{raised.version}", "the coach's warning task")
    assert it.assignee_id == f.COACH
    extend = trajectory.ExtendLearning(actor=f.COACH, weeks=4, reason="meer oefenen")
    with pytest.raises(service.CommandRefused, match="met behoud van uitkering"):
        await service.send(client, tid, extend)
    approved = extend.model_copy(update={"approved_by": "sup-1"})
    await service.send(client, tid, approved)
    assert (await service.state(client, tid)).learning_weeks == 54
    await resolve_open_tasks(ts_env, tid)
