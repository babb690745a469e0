"""The must-show of issue 11's cohorts: a WijkLeerbedrijf cohort of 20 candidates and 3
employers runs two simulated years on the time-skipping server. The introduction weeks, the
selection day, BBL hires at the start of year 2, an employer with fewer places than planned
whose candidates go to the other two, nobody without a place while a place is free, and a
person who confirms. Every milestone brings the coach in as a task, which the coach
resolves (a task left open when its cohort closes would stall the test server's clock)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.key_store import PostgresKeyStore
from domain import cohort, future_job, task, trajectory
from domain.shared import COACH_TIME_ZONE
from nbm import programmes, service
from nbm import stream_service as streams
from tests import factories as f
from tests.employers.conftest import Mail, add_employer, add_people, opened_task, settle
from tests.employers.test_programme_runs import WEEK, ladder_agreement
from workflows.cohort import CohortWorkflow

EMPLOYERS = ("emp-a", "emp-b", "emp-c")
PLANNED = 8
COHORT = "coh-wlb-2026"
COACH = f.COACH


RUNGS = {r.rung_id: r for r in programmes.programme("wijkleerbedrijf").successive_rungs}


async def start_candidate(env: WorkflowEnvironment, tq: str, i: int, now: datetime) -> str:
    """A WijkLeerbedrijf trajectory through steps 1-4 and into its two years of learning on
    the programme's ladder, its first rung the Leerhome. Only the evaluations that gate a
    rung are recorded here: each other one missed opens an escalation task beside the
    cohort's, as it would."""
    tid = f"traj-wlb-{i:02d}"
    start = f.start(
        now, trajectory_id=tid, route=trajectory.Route.WIJKLEERBEDRIJF,
        programme="wijkleerbedrijf", employer_id="emp-a", months_ahead=23,
    )  # fmt: skip
    await service.start_trajectory(env.client, tq, start, now=now)
    for command in (
        f.map_possibilities(),
        ladder_agreement(programmes.programme("wijkleerbedrijf"), 104),
        f.match(candidate_ref=f"cand-wlb-{i:02d}"),
        f.start_learning(),
        rung("leerhome"),
    ):
        await service.send(env.client, tid, command)
    return tid


def rung(rung_id: str, reason: str | None = None) -> trajectory.StartPlacement:
    r = RUNGS[rung_id]
    return trajectory.StartPlacement(
        actor=COACH, name=r.name, hours_per_week=r.hours_per_week, deviation=reason
    )


async def climb(env: WorkflowEnvironment, tids: list[str], rung_id: str) -> None:
    """Each candidate's evaluation of the rung they are on, then the next rung: the first
    candidate is off track and repeats the rung instead, with the coach's reason."""
    for n, t in enumerate(tids):
        verdict = "off-track" if n == 0 else "on-track"
        await service.send(env.client, t, trajectory.RecordEvaluation(
            actor=COACH, verdict=trajectory.EvaluationVerdict(verdict), employer_present=True,
        ))  # fmt: skip
        if n == 0:
            with pytest.raises(service.CommandRefused, match="off track"):
                await service.send(env.client, t, rung(rung_id))
            current = (await service.state(env.client, t)).placements[-1].name
            again = next(k for k, r in RUNGS.items() if r.name == current)
            await service.send(env.client, t, rung(again, reason="nog niet zelfstandig"))
            await service.send(env.client, t, trajectory.RecordEvaluation(
                actor=COACH, verdict=trajectory.EvaluationVerdict.ON_TRACK,
                employer_present=True,
            ))  # fmt: skip
        await service.send(env.client, t, rung(rung_id))


async def forecast(env: WorkflowEnvironment, tq: str, emp: str, expected: date) -> str:
    fj = f"fj-{emp}"
    await streams.forecast(
        env.client, tq,
        future_job.ForecastFutureJob(
            actor="am-1", future_job_id=fj, employer_id=emp, function="helpende zorg",
            jobs=PLANNED, expected_on=expected, required_skills=("ADL",),
            commitment=trajectory.Commitment.INTENTION_TO_HIRE,
        ),
        now=await env.get_current_time(),
    )  # fmt: skip
    return fj


async def reach(env: WorkflowEnvironment, milestone: cohort.Milestone) -> cohort.Cohort:
    """Skip time to `milestone`; the cohort once it took it (and proposed, at the end)."""
    state = await streams.cohort_state(env.client, COHORT)
    await env.sleep(state.moment(milestone) - await env.get_current_time() + timedelta(seconds=1))

    async def taken() -> bool:
        s = await streams.cohort_state(env.client, COHORT)
        return milestone in s.reached and not s.needs_proposal

    await settle(env, taken, f"the cohort takes {milestone.value}")
    return await streams.cohort_state(env.client, COHORT)


async def coach_resolves(env: WorkflowEnvironment, task_id: str) -> task.Task:
    """The coach's task for a step of the cohort, taken up and done."""
    it = await opened_task(env, task_id, f"the coach's task {task_id}")
    assert (it.task_kind, it.about, it.assignee_id) == (task.TaskKind.COHORT_STEP, COHORT, COACH)
    await streams.task_command(env.client, task_id, task.ResolveTask(actor=COACH))
    return it


async def test_a_cohort_of_twenty_runs_two_years_and_spreads_the_risk(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    began = time.perf_counter()
    env, client = ts_env, ts_env.client
    await add_people(client, task_queue, keys)
    now = await env.get_current_time()
    today = now.astimezone(COACH_TIME_ZONE).date()
    schedule = cohort.Schedule.wijkleerbedrijf(today)
    jobs = {}
    for emp in EMPLOYERS:
        await add_employer(client, task_queue, keys, emp)
        jobs[emp] = await forecast(env, task_queue, emp, schedule.ends_on)
    tids = [await start_candidate(env, task_queue, i, now) for i in range(20)]

    # The group start: the edition with its 20 trajectories (ids only) and 3 employers.
    await streams.start_cohort(
        client, task_queue,
        cohort.StartCohort(
            actor=COACH, request_id="rq-cohort-start", cohort_id=COHORT, year=today.year,
            programme_id="wijkleerbedrijf", name="WijkLeerbedrijf Zorg", coach_id=COACH,
            candidates=tuple(cohort.CohortCandidate(trajectory_id=t) for t in tids),
            employers=tuple(
                cohort.CohortEmployer(employer_id=e, future_job_id=jobs[e], planned_places=8)
                for e in EMPLOYERS
            ),
            schedule=schedule,
        ),
        now=now,
    )  # fmt: skip

    # The 4 introduction weeks in the Leerhome end: the coach is brought in.
    state = await reach(env, cohort.Milestone.INTRODUCTION_END)
    assert state.phase is cohort.Phase.LEARNING
    await coach_resolves(env, f"task-{COHORT}-{state.version}")
    # The ladder: each rung after its evaluation, from more to less sheltered.
    await climb(env, tids, "orientatiestage")
    await env.sleep(8 * WEEK)
    await climb(env, tids, "adl-stage")

    # The selection day: both sides' preferences. Candidates 0-9 want emp-a first; each
    # employer ranks the candidates in its own order.
    state = await reach(env, cohort.Milestone.SELECTION_DAY)
    await coach_resolves(env, f"task-{COHORT}-{state.version}")
    ranking = {i: EMPLOYERS[0 if i < 10 else 1 + i % 2] for i in range(20)}
    selection = cohort.RecordSelectionDay(
        actor=COACH, request_id="rq-selection", held_on=schedule.selection_day_on,
        candidates=tuple(
            cohort.CandidatePreference(
                trajectory_id=t,
                ranking=(ranking[i], *(e for e in EMPLOYERS if e != ranking[i])),
            )
            for i, t in enumerate(tids)
        ),
        employers=tuple(
            cohort.EmployerPreference(employer_id=e, ranking=tuple(tids[k:] + tids[:k]))
            for k, e in enumerate(EMPLOYERS)
        ),
    )  # fmt: skip
    await streams.cohort_command(client, COHORT, selection)

    # Year two: the employers hire 16 of them into work-study (BBL) jobs.
    state = await reach(env, cohort.Milestone.YEAR_TWO)
    await coach_resolves(env, f"task-{COHORT}-{state.version}")
    bbl = {t: "emp-a" for t in tids[:6]} | {t: "emp-b" for t in tids[10:15]}
    bbl |= {t: "emp-c" for t in tids[15:]}
    for t, emp in bbl.items():
        await streams.cohort_command(client, COHORT, cohort.HireWorkStudy(
            actor=COACH, request_id=f"rq-bbl-{t}", trajectory_id=t, employer_id=emp,
            start_date=schedule.year_two_on, contract_hours_per_week=24,
        ))  # fmt: skip

    # Each hire reaches its trajectory as the work-study job alongside learning.
    async def hired() -> bool:
        for t in bbl:
            job = (await service.state(client, t)).regular_job
            if job is None:
                return False
        return True

    await settle(env, hired, "the trajectories record their BBL jobs")
    for t, emp in bbl.items():
        s = await service.state(client, t)
        assert s.regular_job is not None and s.regular_job.work_study
        assert (s.employer_id, s.learning_in_progress) == (emp, True)
    await climb(env, list(bbl), "bbl")  # the last rung: learning and working
    moves = [p.ladder_move for p in (await service.state(client, tids[0])).placements]
    first, nxt, repeat = (trajectory.LadderMove.FIRST, trajectory.LadderMove.NEXT,
                          trajectory.LadderMove.REPEAT)  # fmt: skip
    assert moves == [first, repeat, nxt, repeat, nxt, repeat, nxt]
    steady = (await service.state(client, tids[1])).placements
    assert [p.ladder_move for p in steady] == [first, nxt, nxt, nxt]

    # emp-a can offer 4 places, not the 8 it planned (cohort 1's lesson).
    await streams.cohort_command(client, COHORT, cohort.ChangePlaces(
        actor="am-1", request_id="rq-fewer", employer_id="emp-a", places=4,
        reason="minder plaatsen dan ingeschat",
    ))  # fmt: skip

    # The end: the proposal, for the coach to confirm.
    state = await reach(env, cohort.Milestone.END)
    proposal = state.proposal
    assert proposal is not None and state.phase is cohort.Phase.ASSIGNING
    await coach_resolves(env, f"task-{COHORT}-{state.version}")
    # Nobody without a place while a place is free: 20 candidates, 4 + 8 + 8 places.
    assert proposal.unplaced == () and len(proposal.placements) == 20
    assert [proposal.count_at(e) for e in EMPLOYERS] == [4, 8, 8]
    # emp-a keeps 4 of its 6 BBL candidates; the other two go to the other two employers.
    at_a = [p for p in proposal.placements if p.employer_id == "emp-a"]
    assert all(bbl.get(p.trajectory_id) == "emp-a" for p in at_a)
    moved_on = [t for t in tids[:6] if proposal.employer_of(t) != "emp-a"]
    assert len(moved_on) == 2
    assert {proposal.employer_of(t) for t in moved_on} <= {"emp-b", "emp-c"}
    # Every other BBL candidate stays where they work.
    assert all(proposal.employer_of(t) == e for t, e in bbl.items() if t not in moved_on)

    # A person confirms, with a swap of two candidates and why.
    b_one = next(p.trajectory_id for p in proposal.placements if p.employer_id == "emp-b"
                 and not p.work_study)  # fmt: skip
    c_one = next(p.trajectory_id for p in proposal.placements if p.employer_id == "emp-c"
                 and not p.work_study)  # fmt: skip
    moves = (
        cohort.Move(trajectory_id=b_one, employer_id="emp-c"),
        cohort.Move(trajectory_id=c_one, employer_id="emp-b"),
    )
    await streams.cohort_command(client, COHORT, cohort.ConfirmAssignment(
        actor=COACH, request_id="rq-confirm", moves=moves, reason="voorkeur na gesprek",
    ))  # fmt: skip
    handle = client.get_workflow_handle_for(CohortWorkflow.run, COHORT)
    await handle.result()  # closed once its effects are done
    done = await streams.cohort_state(client, COHORT)
    assert done.confirmed is not None and done.confirmed_by == COACH
    assert done.confirmed.employer_of(b_one) == "emp-c"
    lessons = cohort.lessons(done)
    assert (lessons.placed, lessons.placement_rate, lessons.moved_by_a_person) == (20, 1.0, 2)
    assert (lessons.work_study_hires, lessons.employers_with_fewer_places) == (16, 1)

    # The assignment reached the future jobs and the trajectories.
    for emp, fj in jobs.items():
        job = await streams.future_job_state(client, fj)
        assert set(job.attached) == {
            p.trajectory_id for p in done.confirmed.placements if p.employer_id == emp
        }
    assert (await streams.future_job_state(client, "fj-emp-a")).jobs == 4
    for p in done.confirmed.placements:
        assert (await service.state(client, p.trajectory_id)).employer_id == p.employer_id
    print(f"cohort of 20 over two simulated years: {time.perf_counter() - began:.1f} s wall")


async def test_a_change_after_the_proposal_brings_a_new_one_and_a_refusal_leaves_no_trace(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> None:
    env, client = ts_env, ts_env.client
    await add_people(client, task_queue, keys)
    now = await env.get_current_time()
    today = now.astimezone(COACH_TIME_ZONE).date()
    schedule = cohort.Schedule.wijkleerbedrijf(today)
    for emp in EMPLOYERS[:2]:
        await add_employer(client, task_queue, keys, emp)
        await forecast(env, task_queue, emp, schedule.ends_on)
    tids = [await start_candidate(env, task_queue, i, now) for i in range(3)]
    start = cohort.StartCohort(
        actor=COACH, request_id="rq-start-2", cohort_id=COHORT, year=today.year,
        programme_id="wijkleerbedrijf", name="WijkLeerbedrijf Zorg", coach_id=COACH,
        candidates=tuple(cohort.CohortCandidate(trajectory_id=t) for t in tids),
        employers=tuple(
            cohort.CohortEmployer(employer_id=e, future_job_id=f"fj-{e}", planned_places=2)
            for e in EMPLOYERS[:2]
        ),
        schedule=schedule,
    )  # fmt: skip
    first = await streams.start_cohort(client, task_queue, start, now=now)
    # A retried start is answered with the first answer; a refused command changes nothing.
    assert await streams.start_cohort(client, task_queue, start, now=now) == first
    with pytest.raises(streams.CommandRefused, match="introduction"):
        await streams.cohort_command(client, COHORT, cohort.RecordSelectionDay(
            actor=COACH, held_on=today,
            candidates=(cohort.CandidatePreference(trajectory_id=tids[0], ranking=("emp-a",)),),
        ))  # fmt: skip
    assert (await streams.cohort_state(client, COHORT)).version == 1

    for milestone in cohort.MILESTONES[:3]:
        state = await reach(env, milestone)
        await coach_resolves(env, f"task-{COHORT}-{state.version}")
    state = await reach(env, cohort.Milestone.END)
    assert state.proposal is not None
    await coach_resolves(env, f"task-{COHORT}-{state.version}")
    # emp-a goes from 2 places to 1 after the proposal: it is withdrawn, a new one follows
    # with its own task for the coach; nobody is left out while a place is free (3 places).
    changed = await streams.cohort_command(client, COHORT, cohort.ChangePlaces(
        actor="am-1", request_id="rq-fewer-2", employer_id="emp-a", places=1, reason="krimp",
    ))  # fmt: skip

    async def proposed_again() -> bool:
        s = await streams.cohort_state(client, COHORT)
        return s.proposal is not None and s.version > changed.version

    await settle(env, proposed_again, "a new proposal")
    state = await streams.cohort_state(client, COHORT)
    assert state.proposal is not None
    assert (state.proposal.count_at("emp-a"), state.proposal.unplaced) == (1, ())
    await coach_resolves(env, f"task-{COHORT}-{state.version}")
    await streams.cohort_command(
        client, COHORT, cohort.ConfirmAssignment(actor=COACH, request_id="rq-ok")
    )
    await client.get_workflow_handle_for(CohortWorkflow.run, COHORT).result()
    assert (await streams.future_job_state(client, "fj-emp-a")).jobs == 1
