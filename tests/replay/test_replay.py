"""Every committed history replays against the current workflow code.

A change that running trajectories would replay differently must sit behind
`workflow.patched`; this test is what catches one that does not.

The histories are encrypted with the fixed test keyring (`TEST_CODEC_KEYS`), which the
replayer holds; the codec also lets unencrypted payloads through on decode, so a history
recorded without it would replay as well.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.conftest import TEST_DATA_CONVERTER
from tests.replay.unpatched import (
    TrajectoryWithAnUnpatchedChange,
    TrajectoryWithCheckpointsForced,
    TrajectoryWithCheckpointsUnpatched,
    TrajectoryWithoutCheckpoints,
)
from workflows import TrajectoryWorkflow, workflow_runner
from workflows.cohort import CohortWorkflow
from workflows.employer import EmployerWorkflow, PeopleWorkflow
from workflows.future_job import FutureJobWorkflow
from workflows.matching import MatchingWorkflow
from workflows.task import TaskWorkflow

EVERY_WORKFLOW = [
    TrajectoryWorkflow,
    FutureJobWorkflow,
    EmployerWorkflow,
    PeopleWorkflow,
    TaskWorkflow,
    MatchingWorkflow,
    CohortWorkflow,
]

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def load(path: Path) -> WorkflowHistory:
    return WorkflowHistory.from_json(path.stem, json.loads(path.read_text()))


def replayer(*workflows: type, sandboxed: bool = True) -> Replayer:
    return Replayer(
        workflows=list(workflows) or EVERY_WORKFLOW,
        workflow_runner=workflow_runner(sandboxed=sandboxed),
        data_converter=TEST_DATA_CONVERTER,
    )


def test_histories_are_committed_for_the_shipped_version() -> None:
    names = {p.name for p in HISTORIES}
    for version in (
        "v1",
        "v2",
        "v3",
        "v4",
        "v5",
        "v6",
        "v7",
    ):  # every version shipped, for as long as trajectories run
        assert f"trajectory_{version}_full_trajectory.json" in names
        assert any(n.startswith(f"trajectory_{version}_continued_as_new_run") for n in names)
    # Every other workflow type, for every version of it shipped.
    for kind in ("future_job", "employer", "people", "task"):
        assert {f"{kind}_v1_employers.json", f"{kind}_v2_employers.json"} <= names
    assert {
        "fallback_task_v2_employers.json", "trajectory_v8_attached.json",
        "trajectory_v9_escalation.json", "task_v3_escalation.json",
        "future_job_v3_answered.json", "trajectory_v10_answered.json",
        "future_job_v4_place_lost.json", "trajectory_v11_place_lost.json",
        "future_job_v5_job_change.json", "trajectory_v12_job_change.json",
        "trajectory_v13_escalation_local.json", "trajectory_v14_programmes.json",
        "matching_v1_decisions.json",
        "cohort_v1_full.json",
        "trajectory_v20_aftercare.json", "task_v4_aftercare.json",
    } <= names  # fmt: skip


def test_the_recorded_histories_hold_every_effect_of_a_future_job() -> None:
    # The chase with its mails, the task it opened: what later code must replay alike.
    text = next(p for p in HISTORIES if p.name == "future_job_v2_employers.json").read_text()
    for needed in (
        "send_employer_mail", "responsible_for_employer", "START_CHILD_WORKFLOW_EXECUTION",
        "TIMER_FIRED", "fallback_for", "WORKFLOW_EXECUTION_SIGNALED",
    ):  # fmt: skip
        assert needed in text
    told = next(p for p in HISTORIES if p.name == "trajectory_v8_attached.json").read_text()
    assert "SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED" in told
    escalated = next(p for p in HISTORIES if p.name == "trajectory_v9_escalation.json").read_text()
    assert "START_CHILD_WORKFLOW_EXECUTION_INITIATED" in escalated  # the coach's task
    assert "WORKFLOW_EXECUTION_SIGNALED" in escalated  # its resolution


def test_the_recorded_cohort_holds_its_effects() -> None:
    # Its calendar's timers, the coach's tasks, the BBL hire and the assignment passed to
    # the trajectories, the places and the assignment to the future jobs.
    text = next(p for p in HISTORIES if p.name == "cohort_v1_full.json").read_text()
    for needed in (
        "TIMER_FIRED", "START_CHILD_WORKFLOW_EXECUTION_INITIATED", "work_study_to_trajectory",
        "place_to_trajectory", "SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED",
    ):  # fmt: skip
        assert needed in text


@pytest.mark.parametrize("sandboxed", [True, False], ids=["sandbox", "no-sandbox"])
@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_committed_history_replays_with_current_code(path: Path, sandboxed: bool) -> None:
    # A worker runs either way (`NBM_WORKFLOW_SANDBOX`): both must replay what was recorded.
    await replayer(sandboxed=sandboxed).replay_workflow(load(path))


async def test_an_unpatched_change_is_caught() -> None:
    # Proves the replay test can fail: the same history against code that differs.
    full = next(p for p in HISTORIES if "full_trajectory" in p.name)
    result = await replayer(TrajectoryWithAnUnpatchedChange).replay_workflow(
        load(full), raise_on_replay_failure=False
    )
    assert result.replay_failure is not None
    assert "nondetermin" in str(result.replay_failure).lower()


OLD_JOBS = [p for p in HISTORIES if "full_trajectory" in p.name or "v9_escalation" in p.name]
"""Histories that record a regular job under the one follow-up."""
AFTERCARE = Path(__file__).parent / "histories" / "trajectory_v20_aftercare.json"


@pytest.mark.parametrize("path", OLD_JOBS, ids=[p.stem for p in OLD_JOBS])
async def test_old_jobs_are_gated_twice_from_the_checkpoints(path: Path) -> None:
    # Without the patch (the rule always on) an old history still replays: its trajectory
    # carries the programme it started with, which had no checkpoint months. With that gate
    # gone too (every programme with checkpoints), its replay fails: the test catches it.
    without_patch = await replayer(TrajectoryWithCheckpointsUnpatched).replay_workflow(
        load(path), raise_on_replay_failure=False
    )
    assert without_patch.replay_failure is None
    ungated = await replayer(TrajectoryWithCheckpointsForced).replay_workflow(
        load(path), raise_on_replay_failure=False
    )
    assert ungated.replay_failure is not None, path.name
    assert "nondetermin" in str(ungated.replay_failure).lower()


async def test_the_aftercare_history_fails_without_its_rule() -> None:
    result = await replayer(TrajectoryWithoutCheckpoints).replay_workflow(
        load(AFTERCARE), raise_on_replay_failure=False
    )
    assert result.replay_failure is not None
    assert "nondetermin" in str(result.replay_failure).lower()


def test_the_aftercare_history_holds_its_new_effects_and_work_after_them() -> None:
    history = load(AFTERCARE)
    patches = set()
    for e in history.events:
        if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
            details = e.marker_recorded_event_attributes.details
            for payload in details["patch-data"].payloads if "patch-data" in details else []:
                patches.add(json.loads(payload.data)["id"])  # the SDK's own, not encoded
    assert {"outcome-checkpoints-v1", "aftercare-tasks-v1"} <= patches
    kinds = [e.event_type for e in history.events]
    signals = [
        i
        for i, k in enumerate(kinds)
        if k == EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED
    ]
    fired = [i for i, k in enumerate(kinds) if k == EventType.EVENT_TYPE_TIMER_FIRED]
    tasks = kinds.count(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
    # The 4 checkpoints, the missed one, the re-assessment; their tasks (and the small
    # contract's) started; each answer's task resolved by signal, with work after it.
    assert (len(fired), tasks, len(signals)) == (6, 7, 6)
    assert signals[0] < fired[-1] < kinds.index(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
    task_history = (Path(__file__).parent / "histories" / "task_v4_aftercare.json").read_text()
    assert '"signalName": "resolve"' in task_history
    assert "WORKFLOW_EXECUTION_COMPLETED" in task_history
