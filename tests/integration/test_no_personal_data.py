"""No personal data in logs, workflow ids, search attributes, memos or error messages."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
import structlog
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.shared import PersonalData
from nbm import service
from privacy.seal import open_personal
from tests import factories as f
from tests.integration.conftest import LosesEveryFirstAcknowledgement
from tests.integration.test_workflow_events import drive

PERSONAL = (f.CANDIDATE_NAME, f.CANDIDATE_BSN, "Zwanenburg")


@pytest.fixture
def rendered_logs() -> Iterator[io.StringIO]:
    """Every log line as the configured renderer writes it (stdlib and structlog alike)."""
    root = logging.getLogger()
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(root.handlers[0].formatter)
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_a_trajectory_run_logs_no_name_or_bsn(
    ts_env: WorkflowEnvironment,
    flaky_worker: Worker,
    flaky: LosesEveryFirstAcknowledgement,
    rendered_logs: io.StringIO,
) -> None:
    with structlog.testing.capture_logs() as captured:
        # Retries (each first append fails after commit) make the SDK log warnings with
        # tracebacks too: those must be clean as well.
        tid = await drive(ts_env, flaky_worker.task_queue)
        # A refused command whose text a coach typed wrongly.
        with pytest.raises(service.CommandRefused) as refused:
            await service.send(ts_env.client, tid, f.match())
    text = rendered_logs.getvalue() + repr(captured)
    assert "trajectory changed" in text and "events appended" in text  # logs were captured
    assert tid in text  # and they carry the trajectory id
    assert flaky.failed_after_commit > 0
    for secret in PERSONAL:
        assert secret not in text
        assert secret not in str(refused.value)
        assert secret not in tid

    description = await ts_env.client.get_workflow_handle(tid).describe()
    attributes = repr(description.typed_search_attributes) + repr(await description.memo())
    for secret in PERSONAL:
        assert secret not in attributes
    # The personal data is there (sealed, in the events), so the checks above are not vacuous.
    state = await service.state(ts_env.client, tid)
    assert state.candidate is not None
    personal = open_personal(state.candidate.personal, f.TEST_CANDIDATE_KEY, f.CANDIDATE_REF)
    assert personal.bsn == f.CANDIDATE_BSN


def test_validation_errors_of_commands_do_not_echo_personal_data() -> None:
    with pytest.raises(ValueError) as err:
        PersonalData(name=f.CANDIDATE_NAME, bsn="111222334")
    assert "111222334" not in str(err.value)
    with pytest.raises(ValueError) as err:
        f.match(motivation_screen_passed="not-a-bool")
    assert f.CANDIDATE_NAME not in str(err.value) and f.CANDIDATE_BSN not in str(err.value)
