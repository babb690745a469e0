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
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.conftest import TEST_DATA_CONVERTER
from tests.replay.unpatched import TrajectoryWithAnUnpatchedChange
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
