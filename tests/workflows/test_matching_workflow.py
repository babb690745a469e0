"""The matching's workflow on real servers: profiles and decisions stored in the event store
before they are acknowledged, a retried decision answered once, a decision by the system
refused before it reaches history."""

from __future__ import annotations

import contextlib

import pytest
from temporalio.client import WorkflowHistory
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from domain import matching
from domain.matching import Availability, CandidateProfile, Direction, FunctionProfile, Verdict
from nbm import stream_service as streams
from nbm.service import CommandRefused
from privacy.seal import seal_text
from tests.factories import TEST_CANDIDATE_KEY

SKILL = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"  # forklift


async def record_profiles(env: WorkflowEnvironment, task_queue: str) -> None:
    commands: list[matching.AnyCommand] = [
        matching.RecordFunctionProfile(actor="coach-anna", profile=FunctionProfile(
            profile_id="fp-magazijn", function="magazijnmedewerker", future_job_id="fj-1",
            sector="logistiek", required_skills=(SKILL,), hours_per_week=32)),
        matching.RecordCandidateProfile(actor="coach-anna", profile=CandidateProfile(
            candidate_ref="cand-a", skills=(SKILL,), interests=("logistiek",),
            availability=Availability(hours_per_week=32),
            strengths_and_challenges=seal_text("sterk: doorzetter", TEST_CANDIDATE_KEY, "cand-a"))),
        matching.RecordCandidateProfile(actor="coach-anna", profile=CandidateProfile(
            candidate_ref="cand-b", availability=Availability(hours_per_week=16))),
    ]  # fmt: skip
    for command in commands:
        await streams.matching_command(env.client, task_queue, command)


def decision(ref: str, actor: str = "coach-anna", request_id: str | None = None
             ) -> matching.DecideMatch:  # fmt: skip
    return matching.DecideMatch(
        actor=actor, request_id=request_id, verdict=Verdict.CONFIRMED,
        direction=Direction.CANDIDATES, candidate_ref=ref, profile_id="fp-magazijn",
        reason=seal_text("zij wil graag de logistiek in", TEST_CANDIDATE_KEY, ref),
    )  # fmt: skip


async def test_profiles_and_a_decision_are_stored_and_a_retry_is_answered_once(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str, store: PostgresEventStore
) -> None:
    await record_profiles(ts_env, task_queue)
    first = await streams.matching_command(
        ts_env.client, task_queue, decision("cand-b", request_id="req-override")
    )
    again = await streams.matching_command(
        ts_env.client, task_queue, decision("cand-b", request_id="req-override")
    )
    assert first == again and first.event_types == ["MatchConfirmed"]
    stored = await store.read(matching.MATCHING_ID)
    assert [e.type for e in stored] == [
        "FunctionProfileRecorded", "CandidateProfileRecorded", "CandidateProfileRecorded",
        "MatchConfirmed",
    ]  # fmt: skip
    state = await streams.matching_state(ts_env.client)
    (d,) = state.decisions
    assert (d.rank, d.top, d.overrode_top) == (2, "cand-a", True)
    assert state.overrides().rate == 1.0


async def test_a_decision_by_the_system_never_reaches_history(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str, store: PostgresEventStore
) -> None:
    await record_profiles(ts_env, task_queue)
    with pytest.raises(CommandRefused, match="a person decides"):
        await streams.matching_command(ts_env.client, task_queue, decision("cand-a", "system"))
    history: WorkflowHistory = await ts_env.client.get_workflow_handle(
        matching.MATCHING_ID
    ).fetch_history()
    # (The payloads are encrypted: count the updates the history accepted, the three profiles.)
    assert history.to_json().count('"EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED"') == 3
    assert len(await store.read(matching.MATCHING_ID)) == 3


async def test_the_update_and_its_validator_on_the_dev_server(
    dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> None:
    # The dev server is the session's: the one `matching` workflow another test left running
    # (on its own task queue) is ended first, and this test's afterwards.
    with contextlib.suppress(RPCError):
        await dev_env.client.get_workflow_handle(matching.MATCHING_ID).terminate("next test")
    try:
        await record_profiles(dev_env, task_queue)
        with pytest.raises(CommandRefused, match="a person decides"):
            await streams.matching_command(dev_env.client, task_queue, decision("cand-a", "nbm"))
        result = await streams.matching_command(dev_env.client, task_queue, decision("cand-a"))
        assert result.event_types == ["MatchConfirmed"]
        state = await streams.matching_state(dev_env.client)
        assert [(d.rank, d.overrode_top) for d in state.decisions] == [(1, False)]
    finally:
        await dev_env.client.get_workflow_handle(matching.MATCHING_ID).terminate("test done")
