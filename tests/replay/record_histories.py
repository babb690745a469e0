"""Record the workflow histories that CI replays (`make record-histories`).

Run once for every workflow version shipped, and commit the files: a later change to the
workflow code that would replay these differently then fails `tests/replay`, unless it is
behind `workflow.patched`. Existing files are never overwritten; a new version gets new names.
The candidate in them is fictional.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from activities import PostgresEventStore
from activities.key_store import PostgresKeyStore
from activities.links import LinkSigner
from activities.mail import MailActivities
from activities.migrations import migrate_database
from devstack.mail_server import mail_server
from devstack.servers import embedded_postgres_url, temporal_test_server
from domain import cohort, future_job, matching, people, task, trajectory
from domain.shared import COACH_TIME_ZONE, ContactDetails, add_months, add_working_days
from nbm import service
from nbm import stream_service as service_streams
from nbm.temporal import register_search_attributes
from privacy.keyring import generate_keyring
from privacy.seal import seal_contact
from tests import factories as f
from tests.conftest import TEST_DATA_CONVERTER
from tests.workflows.helpers import advance_to, start_ready_to_learn
from worker import build_mail_worker, build_worker
from workflows import TrajectoryInput, TrajectoryWorkflow

HISTORIES = Path(__file__).parent / "histories"
Scenario = Callable[[WorkflowEnvironment, str], Awaitable[str]]
VERSION = "v7"
"""v2: commands carry request ids, a retry answered from the workflow's own answers; v3: the
trajectory's search attributes are upserted (patch `search-attributes-v1`); v4: the follow-up
counts from the job's first day, and a missed evaluation escalates once (patches
`follow-up-from-job-start`, `one-escalation-per-missed-evaluation`); v5: the rules read
against the method (patch `method-as-written`): placements as agreed or as deviations, an
agreement amended during learning, commands dated when they took effect, timers' events
effective when they fell due; v6: the append as a local activity, a deadline's timer kept
while the deadline stays (patch `fast-commands-v1`); v7: one patch, `all-of-v7`, stands for
all of them in a run that starts now."""


async def full_trajectory(env: WorkflowEnvironment, task_queue: str) -> str:
    """Every kind of command and timer, ending in a lasting placement."""
    tid, _ = await start_ready_to_learn(env, task_queue)
    coach = f.COACH
    await advance_to(env, tid, trajectory.DeadlineKind.EVALUATION)
    now = await env.get_current_time()
    await service.send(
        env.client,
        tid,
        trajectory.StartPlacement(
            actor=coach,
            name="introduction",
            hours_per_week=16,
            effective_at=now - timedelta(days=1),  # began the day before it was recorded
        ),
    )
    terms = f.establish_agreement().model_dump(exclude={"kind"})
    terms.update(commitment=trajectory.Commitment.INTENTION_TO_HIRE, duration_weeks=56)
    await service.send(
        env.client, tid, trajectory.AmendAgreement(**terms, reason="four more weeks in the plan")
    )
    await service.send(
        env.client,
        tid,
        trajectory.StartPlacement(
            actor=coach, name="canteen", hours_per_week=12, deviation="the ward closed"
        ),
    )
    await advance_to(env, tid, trajectory.DeadlineKind.EVALUATION)
    await service.send(
        env.client,
        tid,
        trajectory.RecordEvaluation(
            actor=coach, verdict=trajectory.EvaluationVerdict.CONCERNS, employer_present=True
        ),
    )
    await service.send(
        env.client,
        tid,
        trajectory.RecordCalamity(actor=coach, calamity_kind=trajectory.CalamityKind.DIVORCE),
    )
    await service.send(env.client, tid, trajectory.ResolveCalamity(actor=coach, number=1))
    await service.send(
        env.client,
        tid,
        trajectory.ResolveBarrier(actor=coach, barrier=trajectory.Barrier.CHILDCARE),
    )
    await advance_to(env, tid, trajectory.DeadlineKind.EVALUATION)  # missed: escalates next time
    await advance_to(env, tid, trajectory.DeadlineKind.EVALUATION)
    extension = trajectory.ExtendLearning(
        actor=coach, request_id="req-extend", weeks=4, reason="exam resit"
    )
    await service.send(env.client, tid, extension)
    await service.send(env.client, tid, extension)  # a retry: answered, not applied again
    await service.send(
        env.client,
        tid,
        trajectory.ProposeOtherEmployer(actor=coach, employer_id="employer-b", reason="no vacancy"),
    )
    await service.send(
        env.client, tid, f.regular_job(employer_id="employer-b", hours=28, wage_cost_subsidy_pct=40)
    )
    await advance_to(env, tid, trajectory.DeadlineKind.FOLLOW_UP)
    await service.send(
        env.client,
        tid,
        trajectory.RecordFollowUp(actor=coach, still_employed=True, benefit_ended=True),
    )
    return tid


async def continued_as_new(env: WorkflowEnvironment, task_queue: str) -> str:
    """Runs that hand their state to the next one after every three events."""
    now = await env.get_current_time()
    start, *commands = f.ready_to_learn(now)
    handle = await env.client.start_workflow(
        TrajectoryWorkflow.run,
        TrajectoryInput(start=start, continue_as_new_after=3),  # type: ignore[arg-type]
        id=start.trajectory_id,
        task_queue=task_queue,
    )
    await handle.execute_update(TrajectoryWorkflow.stored)
    for n, command in enumerate([*commands, f.start_learning()]):
        with_id = command.model_copy(update={"request_id": f"req-{n}"})
        await service.send(env.client, start.trajectory_id, with_id)  # type: ignore[arg-type]
    # A retry of the first command, runs later: the answers came along with the state.
    first = commands[0].model_copy(update={"request_id": "req-0"})
    await service.send(env.client, start.trajectory_id, first)  # type: ignore[arg-type]
    await advance_to(env, start.trajectory_id, trajectory.DeadlineKind.EVALUATION)
    return start.trajectory_id


SCENARIOS = {"full_trajectory": full_trajectory, "continued_as_new": continued_as_new}

STREAMS_VERSION = "v2"
"""v1: the first workflows of future jobs, employers, the people directory and tasks; v2:
the future job's touchpoints (check-ins, the vacancy confirmation; patch `touchpoints-v1`),
the fallback's task with proposals (patch `fallback-v1`), and a trajectory that tells its
future job its news (patch `future-job-link-v1`), recorded as `trajectory_v8_attached`."""


async def employers(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """The directory, an employer with a contact, a future job whose commitment is chased up
    to the account manager's task, and that task climbing to the supervisor; a second
    request answered after a moved reminder. The workflow ids, by the file name to use."""
    # Imported here: the employers' test helpers need the test package's fixtures module.
    from tests.employers.conftest import add_employer, add_people, forecast_and_request, settle

    await add_people(env.client, task_queue, keys)
    await add_employer(env.client, task_queue, keys)
    today = await forecast_and_request(env, task_queue, "fj-replay")
    await service_streams.future_job_command(
        env.client, "fj-replay", future_job.AttachCandidate(actor="coach-1", trajectory_id="traj-2")
    )
    await service_streams.future_job_command(
        env.client, "fj-replay",
        future_job.RequestCommitment(actor="coach-1", trajectory_id="traj-2", request_id="rq-2"),
    )  # fmt: skip
    await service_streams.future_job_command(
        env.client, "fj-replay",
        future_job.MoveChase(actor="am-1", trajectory_id="traj-2",
                             to=add_working_days(today, 7), reason="vakantie"),
    )  # fmt: skip
    await env.sleep(timedelta(days=12))
    await service_streams.future_job_command(
        env.client, "fj-replay",
        future_job.RecordCommitment(actor="am-1", trajectory_id="traj-2",
                                    answer=future_job.CommitmentAnswer.CONFIRMED),
    )  # fmt: skip
    await env.sleep(timedelta(days=14))
    state = await service_streams.future_job_state(env.client, "fj-replay")
    task_id = ""
    for version in range(state.version, 0, -1):  # the escalation's event opened it
        if await _is_task(env, f"task-fj-replay-{version}"):
            task_id = f"task-fj-replay-{version}"
            break
    assert task_id, "the silent employer opened no task"

    async def climbed() -> bool:
        return bool((await service_streams.task_state(env.client, task_id)).climbed)

    await env.sleep(timedelta(days=5))
    await settle(env, climbed, "the task climbs")
    await service_streams.task_command(env.client, task_id, task.AcknowledgeTask(actor="sup-1"))
    await service_streams.task_command(env.client, task_id, task.ResolveTask(actor="sup-1"))
    # A real trajectory learning towards it, in traj-2's place: its news comes.
    await service_streams.future_job_command(
        env.client, "fj-replay",
        future_job.DetachCandidate(actor="coach-1", trajectory_id="traj-2",
                                   reason=future_job.DetachReason.OTHER_WORK),
    )  # fmt: skip
    now = await env.get_current_time()
    start, *commands = f.ready_to_learn(now, future_job_id="fj-replay")
    assert isinstance(start, trajectory.StartTrajectory)
    await service_streams.future_job_command(
        env.client, "fj-replay",
        future_job.AttachCandidate(actor="coach-1", trajectory_id=start.trajectory_id),
    )  # fmt: skip
    await service.start_trajectory(env.client, task_queue, start, now=now)
    for command in [*commands, f.start_learning()]:
        await service.send(env.client, start.trajectory_id, command)  # type: ignore[arg-type]
    await advance_to(env, start.trajectory_id, trajectory.DeadlineKind.EVALUATION)
    await env.sleep(timedelta(weeks=9))  # a check-in
    reduced = await service_streams.future_job_command(
        env.client, "fj-replay", future_job.ReduceJobs(actor="am-1", jobs=1, reason="krimp")
    )
    lost = f"task-fj-replay-{reduced.version}-1"
    await settle(env, lambda: _is_task(env, lost), "the fallback's task")
    await service_streams.future_job_command(
        env.client, "fj-replay", future_job.MoveExpectedDate(
            actor="am-1", expected_on=(await env.get_current_time()).date() + timedelta(days=400),
            reason="later",
        ),
    )  # fmt: skip
    return {
        "future_job": "fj-replay", "employer": "emp-1", "people": "people", "task": task_id,
        "fallback_task": lost, "trajectory": start.trajectory_id,
    }  # fmt: skip


async def escalation(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """v9: a missed evaluation's escalation opens the coach's task (patch
    `escalation-tasks-v1`); it climbs, is resolved, and resolves the escalation."""
    from tests.employers.conftest import add_people, settle

    await add_people(env.client, task_queue, keys)
    key = await keys.key_for(f.COACH, create=True)
    contact = seal_contact(ContactDetails(name="Anna", email="anna@wb.example"), key, f.COACH)
    await service_streams.people_command(
        env.client, task_queue,
        people.AddPerson(actor="admin", person_id=f.COACH, role=people.Role.COACH,
                         supervisor_id="sup-1", caseload_limit=30, contact=contact),
    )  # fmt: skip
    tid, _ = await start_ready_to_learn(env, task_queue)
    await advance_to(env, tid, trajectory.DeadlineKind.EVALUATION)
    await advance_to(env, tid, trajectory.DeadlineKind.EVALUATION)
    raised = next(
        e for e in await service.run_events(env.client, tid)
        if isinstance(e, trajectory.EscalationRaised)
    )  # fmt: skip
    task_id = f"task-{tid}-{raised.version}"
    await settle(env, lambda: _is_task(env, task_id), "the coach's task")
    await env.sleep(timedelta(days=5))
    await service_streams.task_command(env.client, task_id, task.ResolveTask(actor="sup-1"))

    async def resolved() -> bool:
        return not (await service.state(env.client, tid)).open_escalations

    await settle(env, resolved, "the escalation resolved with its task")
    await service.send(env.client, tid, f.regular_job())
    return {"trajectory_v9_escalation": tid, "task_v3_escalation": task_id}


async def answered(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """future job v3, trajectory v10: the employer's answer passed on to the candidate's
    trajectory (patch `answer-to-trajectory-v1`)."""
    from tests.employers.conftest import add_employer, add_people, forecast_and_request, settle

    await add_people(env.client, task_queue, keys)
    await add_employer(env.client, task_queue, keys)
    tid, _ = await start_ready_to_learn(env, task_queue)
    await forecast_and_request(env, task_queue, "fj-answered", trajectory_id=tid)
    await service_streams.future_job_command(
        env.client, "fj-answered",
        future_job.RecordCommitment(actor="am-1", trajectory_id=tid,
                                    answer=future_job.CommitmentAnswer.CONFIRMED),
    )  # fmt: skip

    async def recorded() -> bool:
        return bool((await service.state(env.client, tid)).employer_answers)

    await settle(env, recorded, "the trajectory records the answer")
    return {"future_job_v3_answered": "fj-answered", "trajectory_v10_answered": tid}


async def place_lost(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """future job v4, trajectory v11: fewer places, and the trajectory that lost its place
    records it (patch `place-lost-to-trajectory-v1`)."""
    from tests.employers.conftest import add_employer, add_people, forecast_and_request, settle

    await add_people(env.client, task_queue, keys)
    await add_employer(env.client, task_queue, keys)
    first, _ = await start_ready_to_learn(env, task_queue)
    second, _ = await start_ready_to_learn(env, task_queue)
    await forecast_and_request(env, task_queue, "fj-shrinks", trajectory_id=first)
    await service_streams.future_job_command(
        env.client, "fj-shrinks", future_job.AttachCandidate(actor="c", trajectory_id=second)
    )
    await service_streams.future_job_command(
        env.client, "fj-shrinks", future_job.ReduceJobs(actor="am-1", jobs=1, reason="krimp")
    )

    async def told() -> bool:
        return bool((await service.state(env.client, second)).employer_answers)

    await settle(env, told, "the trajectory records the lost place")
    return {"future_job_v4_place_lost": "fj-shrinks", "trajectory_v11_place_lost": second}


async def job_change(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """future job v5, trajectory v12: a moved date passed on to the trajectory learning
    towards it (patch `job-change-to-trajectory-v1`)."""
    from tests.employers.conftest import add_employer, add_people, forecast_and_request, settle

    await add_people(env.client, task_queue, keys)
    await add_employer(env.client, task_queue, keys)
    tid, _ = await start_ready_to_learn(env, task_queue, future_job_id="fj-moves")
    await forecast_and_request(env, task_queue, "fj-moves", trajectory_id=tid)
    later = (await service_streams.future_job_state(env.client, "fj-moves")).expected_on
    await service_streams.future_job_command(
        env.client, "fj-moves",
        future_job.MoveExpectedDate(actor="am-1", expected_on=later + timedelta(days=30),
                                    reason="later"),
    )  # fmt: skip

    async def moved() -> bool:
        state = await service.state(env.client, tid)
        return state.future_job.expected_date == later + timedelta(days=30)

    await settle(env, moved, "the trajectory follows the moved date")
    return {"future_job_v5_job_change": "fj-moves", "trajectory_v12_job_change": tid}


async def escalation_local(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """trajectory v13: the escalation's directory read as a local activity (patch
    `escalation-tasks-local-v1`)."""
    ids = await escalation(env, task_queue, keys)
    return {"trajectory_v13_escalation_local": ids["trajectory_v9_escalation"]}


async def programme_paths(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """trajectory v14: programmes as data: Werkfit's ladder through its evaluation gates, the
    benefit-retention warning as the coach's task, the handover into large-scale growth in
    the same stream, and the NBM programme's learning after it. New event types and fields,
    no patch: this history holds them so that a later change that replays them differently
    fails."""
    from nbm import programmes
    from tests.employers.conftest import add_people
    from tests.employers.test_programme_runs import (
        evaluate_when_due,
        ladder_agreement,
        next_kind,
        placement,
        resolve_open_tasks,
        started,
    )  # fmt: skip

    await add_people(env.client, task_queue, keys)
    werkfit = programmes.programme("werkfit")
    tid = await started(env, task_queue, werkfit, ladder_agreement(werkfit, 25))
    for number, rung in enumerate(werkfit.successive_rungs):
        if number:
            await evaluate_when_due(env, tid)
        await service.send(env.client, tid, placement(rung.name, rung.hours_per_week))
    while await next_kind(env.client, tid) is trajectory.DeadlineKind.EVALUATION:
        await evaluate_when_due(env, tid)
    if await next_kind(env.client, tid) is trajectory.DeadlineKind.BENEFIT_RETENTION_WARNING:
        await advance_to(env, tid, trajectory.DeadlineKind.BENEFIT_RETENTION_WARNING)
    assert (await service.state(env.client, tid)).benefit_warned
    await resolve_open_tasks(env, tid)
    nbm = programmes.programme("large-scale-growth")
    job = f.start(await env.get_current_time()).future_job
    assert nbm.route is not None
    await service.send(
        env.client, tid,
        trajectory.HandOver(actor=f.COACH, programme=nbm, route=nbm.route, future_job=job,
                            reason="Werkfit afgerond"),
    )  # fmt: skip
    await service.send(env.client, tid, ladder_agreement(nbm, 52))
    await service.send(env.client, tid, f.start_learning())
    first = nbm.successive_rungs[0]
    await service.send(env.client, tid, placement(first.name, first.hours_per_week))
    await evaluate_when_due(env, tid)
    return {"trajectory_v14_programmes": tid}


async def matching_decisions(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """matching v1: the first Matching workflow: profiles, a confirmed match that overrides
    the top proposal, its retry answered, a rejection, a profile removed."""
    from tests.workflows.test_matching_workflow import decision, record_profiles

    await record_profiles(env, task_queue)
    override = decision("cand-b", request_id="req-override")
    await service_streams.matching_command(env.client, task_queue, override)
    await service_streams.matching_command(env.client, task_queue, override)  # a retry
    rejected = decision("cand-a", request_id="req-reject").model_copy(
        update={"verdict": matching.Verdict.REJECTED}
    )
    await service_streams.matching_command(env.client, task_queue, rejected)
    await service_streams.matching_command(
        env.client, task_queue,
        matching.RemoveCandidateProfile(actor="coach-anna", candidate_ref="cand-b"),
    )  # fmt: skip
    return {"matching_v1_decisions": matching.MATCHING_ID}


async def cohort_life(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """cohort v1: a small cohort's whole life on a short calendar: its milestones' tasks
    (resolved by the coach), the selection day, a BBL hire passed to its trajectory, fewer
    places (to the future job), the proposal (a local activity), a person's confirmation
    with a change, and the assignment passed to the future jobs and trajectories."""
    from tests.employers.conftest import add_employer, add_people, opened_task, settle

    await add_people(env.client, task_queue, keys)
    now = await env.get_current_time()
    today = now.astimezone(COACH_TIME_ZONE).date()
    schedule = cohort.Schedule(
        starts_on=today, introduction_ends_on=today + timedelta(weeks=4),
        selection_day_on=today + timedelta(weeks=8), year_two_on=today + timedelta(weeks=12),
        ends_on=today + timedelta(weeks=16),
    )  # fmt: skip
    for emp in ("emp-1", "emp-2"):
        await add_employer(env.client, task_queue, keys, emp)
        await service_streams.forecast(env.client, task_queue, future_job.ForecastFutureJob(
            actor="am-1", future_job_id=f"fj-{emp}", employer_id=emp, function="helpende zorg",
            jobs=2, expected_on=schedule.ends_on, required_skills=("ADL",),
            commitment=trajectory.Commitment.INTENTION_TO_HIRE,
        ), now=now)  # fmt: skip
    tids = []
    for _ in range(3):
        tid, _handle = await start_ready_to_learn(
            env, task_queue, route=trajectory.Route.WIJKLEERBEDRIJF, programme="wijkleerbedrijf",
            employer_id="emp-1",
        )  # fmt: skip
        tids.append(tid)
    cid = "coh-replay"
    await service_streams.start_cohort(env.client, task_queue, cohort.StartCohort(
        actor=f.COACH, request_id="rq-coh", cohort_id=cid, year=today.year,
        programme_id="wijkleerbedrijf", name="WijkLeerbedrijf replay", coach_id=f.COACH,
        candidates=tuple(cohort.CohortCandidate(trajectory_id=t) for t in tids),
        employers=tuple(
            cohort.CohortEmployer(employer_id=e, future_job_id=f"fj-{e}", planned_places=2)
            for e in ("emp-1", "emp-2")
        ),
        schedule=schedule,
    ), now=now)  # fmt: skip

    async def at(milestone: cohort.Milestone) -> cohort.Cohort:
        state = await service_streams.cohort_state(env.client, cid)
        await env.sleep(state.moment(milestone) - await env.get_current_time())

        async def taken() -> bool:
            s = await service_streams.cohort_state(env.client, cid)
            return milestone in s.reached and not s.needs_proposal

        await settle(env, taken, milestone.value)
        state = await service_streams.cohort_state(env.client, cid)
        task_id = f"task-{cid}-{state.version}"
        await opened_task(env, task_id, "the cohort's task")
        await service_streams.task_command(env.client, task_id, task.ResolveTask(actor=f.COACH))
        return state

    await at(cohort.Milestone.INTRODUCTION_END)
    await at(cohort.Milestone.SELECTION_DAY)
    await service_streams.cohort_command(env.client, cid, cohort.RecordSelectionDay(
        actor=f.COACH, held_on=schedule.selection_day_on,
        candidates=(cohort.CandidatePreference(trajectory_id=tids[0], ranking=("emp-2",)),),
        employers=(cohort.EmployerPreference(employer_id="emp-1", ranking=(tids[1],)),),
    ))  # fmt: skip
    await at(cohort.Milestone.YEAR_TWO)
    await service_streams.cohort_command(env.client, cid, cohort.HireWorkStudy(
        actor=f.COACH, trajectory_id=tids[1], employer_id="emp-1",
        start_date=schedule.year_two_on, contract_hours_per_week=24,
    ))  # fmt: skip

    async def hired() -> bool:
        return (await service.state(env.client, tids[1])).regular_job is not None

    await settle(env, hired, "the BBL job in the trajectory")
    await service_streams.cohort_command(env.client, cid, cohort.ChangePlaces(
        actor="am-1", employer_id="emp-1", places=1, reason="minder plaatsen",
    ))  # fmt: skip
    state = await at(cohort.Milestone.END)
    assert state.proposal is not None
    at_1 = next(p.trajectory_id for p in state.proposal.placements if p.employer_id == "emp-1")
    at_2 = next(p.trajectory_id for p in state.proposal.placements if p.employer_id == "emp-2")
    swap = (
        cohort.Move(trajectory_id=at_1, employer_id="emp-2"),
        cohort.Move(trajectory_id=at_2, employer_id="emp-1"),
    )
    await service_streams.cohort_command(env.client, cid, cohort.ConfirmAssignment(
        actor=f.COACH, moves=swap, reason="bevestigd na gesprek",
    ))  # fmt: skip
    await env.client.get_workflow_handle(cid).result()
    return {"cohort_v1_full": cid}


async def aftercare(
    env: WorkflowEnvironment, task_queue: str, keys: PostgresKeyStore
) -> dict[str, str]:
    """trajectory v20, task v4: a regular job with a wage-cost subsidy and its checkpoints
    (patch `outcome-checkpoints-v1`): each falls due as the coach's task, the 3-month one is
    missed first; the re-assessment falls due; what is recorded resolves its task by signal
    (patch `aftercare-tasks-v1`, the task's `resolve`); the 12-month checkpoint closes it."""
    from tests.employers.conftest import settle
    from tests.employers.test_aftercare import add_coach

    await add_coach(env, task_queue, keys)
    tid, _ = await start_ready_to_learn(env, task_queue)
    today = (await env.get_current_time()).astimezone(COACH_TIME_ZONE).date()
    assessment = trajectory.WageValueAssessment(
        wage_value_pct=60, assessed_by="assessor-1", assessed_on=today
    )
    await service.send(
        env.client, tid,
        f.regular_job(24, start_date=today, benefit_end=trajectory.BenefitEnd.PARTLY,
                      wage_value=assessment, subsidy_decided_on=today,
                      reassess_on=add_months(today, 2)),
    )  # fmt: skip
    first_task = ""

    async def record_checkpoint(month: int) -> None:
        await service.send(
            env.client, tid,
            trajectory.RecordCheckpoint(actor=f.COACH, month=month, still_employed=True,
                                        hours_per_week=24,
                                        benefit_end=trajectory.BenefitEnd.PARTLY),
        )  # fmt: skip

    for month in (1, 3, 6, 12):
        await advance_to(env, tid, trajectory.DeadlineKind.CHECKPOINT)
        state = await service.state(env.client, tid)
        task_id = f"task-{tid}-{state.escalations[-1].version}"
        await settle(env, lambda t=task_id: _is_task(env, t), "the checkpoint's task")  # type: ignore[misc]
        first_task = first_task or task_id
        if month == 1:
            await record_checkpoint(month)
            await advance_to(env, tid, trajectory.DeadlineKind.WAGE_VALUE_REASSESSMENT)
            again = assessment.model_copy(
                update={"wage_value_pct": 75, "assessed_on": add_months(today, 2)}
            )
            await service.send(
                env.client, tid,
                trajectory.RecordWageValueReassessment(actor=f.COACH, wage_value=again,
                                                       next_reassess_on=add_months(today, 14)),
            )  # fmt: skip
            continue
        if month == 3:
            await advance_to(env, tid, trajectory.DeadlineKind.CHECKPOINT_MISSED)
        await record_checkpoint(month)

    async def done() -> bool:
        resolved = await service_streams.task_state(env.client, first_task)
        return resolved.status is task.TaskStatus.RESOLVED

    await settle(env, done, "the first checkpoint's task resolved")
    await env.client.get_workflow_handle(tid).result()
    return {"trajectory_v20_aftercare": tid, "task_v4_aftercare": first_task}


async def _is_task(env: WorkflowEnvironment, task_id: str) -> bool:
    try:
        await service_streams.task_state(env.client, task_id)
    except service.ServiceError:
        return False
    return True


async def record(target: Path) -> list[Path]:
    """Run each scenario not yet recorded; write the histories of all its runs."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        # A throwaway server, connected as its superuser: so this script also migrates it.
        owner_url = embedded_postgres_url(Path(tmp) / "pg", cleanup="delete")
        await migrate_database(owner_url)
        store = await PostgresEventStore.connect(owner_url)
        try:
            if not list(target.glob(f"*_{STREAMS_VERSION}_employers.json")):  # noqa: ASYNC240
                written += await _record_streams(store, target, Path(tmp))
            if not (target / "trajectory_v9_escalation.json").exists():
                written += await _record_streams(store, target, Path(tmp), escalation)
            if not (target / "trajectory_v10_answered.json").exists():
                written += await _record_streams(store, target, Path(tmp), answered)
            if not (target / "trajectory_v11_place_lost.json").exists():
                written += await _record_streams(store, target, Path(tmp), place_lost)
            if not (target / "trajectory_v12_job_change.json").exists():
                written += await _record_streams(store, target, Path(tmp), job_change)
            if not (target / "trajectory_v13_escalation_local.json").exists():
                written += await _record_streams(store, target, Path(tmp), escalation_local)
            if not (target / "trajectory_v14_programmes.json").exists():
                written += await _record_streams(store, target, Path(tmp), programme_paths)
            if not (target / "matching_v1_decisions.json").exists():
                written += await _record_streams(store, target, Path(tmp), matching_decisions)
            if not (target / "cohort_v1_full.json").exists():
                written += await _record_streams(store, target, Path(tmp), cohort_life)
            if not (target / "trajectory_v20_aftercare.json").exists():
                written += await _record_streams(store, target, Path(tmp), aftercare)
            for name, scenario in SCENARIOS.items():
                # A one-off script: a blocking glob of a small folder is fine here.
                if list(target.glob(f"trajectory_{VERSION}_{name}*.json")):  # noqa: ASYNC240
                    print(f"kept {name}: a shipped history is never rewritten")
                    continue
                written += await _record(name, scenario, store, target)
        finally:
            await store.close()
    return written


async def _record(
    name: str, scenario: Scenario, store: PostgresEventStore, target: Path
) -> list[Path]:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=TEST_DATA_CONVERTER, test_server_existing_path=str(temporal_test_server())
    )
    await register_search_attributes(env.client)
    written: list[Path] = []
    try:
        task_queue = f"record-{name}"
        async with build_worker(env.client, store, task_queue):
            tid = await scenario(env, task_queue)
            run_ids = await _run_ids(env, tid)
            for number, run_id in enumerate(run_ids, start=1):
                history = await env.client.get_workflow_handle(tid, run_id=run_id).fetch_history()
                suffix = f"_run{number}" if len(run_ids) > 1 else ""
                path = target / f"trajectory_{VERSION}_{name}{suffix}.json"
                path.write_text(history.to_json())
                written.append(path)
                print(f"wrote {path} ({len(history.events)} events)")
    finally:
        await env.shutdown()
    return written


async def _record_streams(
    store: PostgresEventStore, target: Path, tmp: Path, scenario: Any = None
) -> list[Path]:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=TEST_DATA_CONVERTER, test_server_existing_path=str(temporal_test_server())
    )
    await register_search_attributes(env.client)
    keys = PostgresKeyStore(store.pool, generate_keyring("kek-record"))
    smtp, _ = mail_server(tmp / "mail")
    mailer = MailActivities(
        store, lambda: keys, smtp_url=f"smtp://127.0.0.1:{smtp.port}", sender="wb@example.org",
        page_url="http://127.0.0.1:1", links=LinkSigner(b"r" * 32, timedelta(days=21)),
        link_days=21,
    )  # fmt: skip
    written: list[Path] = []
    try:
        async with (
            build_worker(env.client, store, "record-employers"),
            build_mail_worker(env.client, "record-employers", mailer),
        ):
            ids = await (scenario or employers)(env, "record-employers", keys)
            for kind, workflow_id in ids.items():
                history = await env.client.get_workflow_handle(workflow_id).fetch_history()
                name = (
                    kind if scenario is not None
                    else "trajectory_v8_attached" if kind == "trajectory"
                    else f"{kind}_{STREAMS_VERSION}_employers"
                )  # fmt: skip
                path = target / f"{name}.json"
                path.write_text(history.to_json())
                written.append(path)
                print(f"wrote {path} ({len(history.events)} events)")
    finally:
        smtp.stop()
        await env.shutdown()
    return written


async def _run_ids(env: WorkflowEnvironment, trajectory_id: str) -> list[str]:
    """The runs of one trajectory, first to last, by following continue-as-new."""
    latest = await env.client.get_workflow_handle(trajectory_id).describe()
    run_ids = [latest.run_id]
    history = await env.client.get_workflow_handle(
        trajectory_id, run_id=latest.run_id
    ).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    previous = started.continued_execution_run_id
    while previous:
        run_ids.insert(0, previous)
        history = await env.client.get_workflow_handle(
            trajectory_id, run_id=previous
        ).fetch_history()
        previous = history.events[
            0
        ].workflow_execution_started_event_attributes.continued_execution_run_id
    return run_ids


if __name__ == "__main__":
    asyncio.run(record(Path(sys.argv[1]) if len(sys.argv) > 1 else HISTORIES))
