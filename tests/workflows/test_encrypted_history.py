"""What Temporal stores of a trajectory is encrypted: payloads, failure messages, refusals.

The history is read with a client that has no codec, as anyone with access to the Temporal
server (or its database) would read it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TypeVar

import pytest
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload, SearchAttributes
from temporalio.api.failure.v1 import Failure
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import (
    Client,
    WorkflowFailureError,
    WorkflowHistory,
    WorkflowUpdateFailedError,
)
from temporalio.converter import DataConverter
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer, Worker

from domain import trajectory
from nbm import service
from nbm.temporal import PLAIN_DATA_CONVERTER, data_converter
from privacy.codec import ENCODING, KEY_ID, CodecError
from privacy.keyring import generate_keyring
from tests import factories as f
from tests.conftest import TEST_DATA_CONVERTER, TEST_KEYRING
from workflows import CoachRequest, TrajectoryInput, TrajectoryWorkflow, workflow_runner

from .helpers import advance_to, start_ready_to_learn

M = TypeVar("M", bound=Message)
REFUSAL = "no placement before an agreement"
PLAINTEXTS = [f.CANDIDATE_NAME, f.CANDIDATE_BSN, f.EMPLOYER, "ROC Flevoland", f.COACH]


def found_in(message: Message, kind: type[M], skip: type[Message] | None = None) -> Iterator[M]:
    """Every `kind` message anywhere inside `message`, nested ones (a failure's cause) too,
    except inside `skip` messages."""
    if skip is not None and isinstance(message, skip):
        return
    if isinstance(message, kind):
        yield message
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:  # map<string, Message>: the values
            nested = field.message_type.fields_by_name["value"].message_type is not None
            items = list(value.values()) if nested else []
        else:
            items = list(value) if field.is_repeated else [value]
        for item in items:
            yield from found_in(item, kind, skip)


async def raw_client(env: WorkflowEnvironment) -> Client:
    """A client without the codec: it sees what the server stores."""
    return await Client.connect(
        env.client.service_client.config.target_host,
        namespace=env.client.namespace,
        data_converter=PLAIN_DATA_CONVERTER,
    )


async def raw_history(env: WorkflowEnvironment, workflow_id: str) -> WorkflowHistory:
    return await (await raw_client(env)).get_workflow_handle(workflow_id).fetch_history()


def without_indexed(event: HistoryEvent) -> HistoryEvent:
    """The event without what the server must read itself, after checking it holds no
    personal data: search attributes (ids and codes) and patch markers (a version's name)."""
    copy = HistoryEvent()
    copy.CopyFrom(event)
    for attributes in found_in(copy, SearchAttributes):
        for value in attributes.indexed_fields.values():
            for personal in (f.CANDIDATE_NAME, f.CANDIDATE_BSN, f.CANDIDATE_REF):
                assert personal.encode() not in value.data
        attributes.Clear()
    marker = copy.marker_recorded_event_attributes
    if marker.marker_name == "core_patch":
        assert set(marker.details) == {"patch-data"}
        marker.ClearField("details")
    if marker.marker_name == "core_local_activity":
        # The SDK's own record of the local append (its sequence number, type, attempt and
        # time), which it writes in plain JSON; the append's result goes through the codec.
        assert set(marker.details) == {"data", "result"}, set(marker.details)
        (data,) = marker.details["data"].payloads
        record = json.loads(data.data)
        assert record["activity_type"] == "append_events", record
        assert set(record) <= LOCAL_ACTIVITY_RECORD, set(record)
        del marker.details["data"]
    return copy


LOCAL_ACTIVITY_RECORD = {
    "seq", "attempt", "activity_id", "activity_type", "complete_time", "backoff",
    "original_schedule_time", "activation_index",
}  # fmt: skip
"""The fields the SDK keeps about a local activity: no argument, no personal data."""


def assert_all_encrypted(history: WorkflowHistory, *secret: str) -> None:
    """Every payload encrypted with the test key; no known plaintext anywhere in the events.

    Search attributes and patch markers are the exception by design (the server reads them):
    they hold ids, codes and a version's name, no personal data (`without_indexed`).
    """
    events = [without_indexed(event) for event in history.events]
    payloads = [p for event in events for p in found_in(event, Payload)]
    assert payloads, "the history should hold payloads"
    not_encrypted = [
        p.metadata.get("encoding") for p in payloads if p.metadata.get("encoding") != ENCODING
    ]
    assert not not_encrypted, f"payloads stored without encryption: {not_encrypted}"
    assert {p.metadata[KEY_ID] for p in payloads} == {TEST_KEYRING.current_id.encode()}
    stored = b"".join(event.SerializeToString() for event in events)
    for text in [*PLAINTEXTS, REFUSAL, *secret]:
        assert text.encode() not in stored, f"{text!r} is stored in plaintext"


async def test_a_trajectory_stores_only_encrypted_payloads(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str
) -> None:
    tid, _ = await start_ready_to_learn(ts_env, task_queue)
    # A refused update: the coach, through the codec, reads the reason; the history does not.
    with pytest.raises(service.CommandRefused) as refused:
        await service.send(ts_env.client, tid, f.establish_agreement())
    # Timers, activities, updates and queries, as a trajectory has them for two years.
    await service.send(
        ts_env.client,
        tid,
        trajectory.StartPlacement(actor=f.COACH, name="introduction", hours_per_week=16),
    )
    await advance_to(ts_env, tid, trajectory.DeadlineKind.EVALUATION)
    await service.send(ts_env.client, tid, f.regular_job())

    history = await raw_history(ts_env, tid)
    kinds = {event.WhichOneof("attributes") for event in history.events}
    assert {
        "workflow_execution_started_event_attributes",
        "marker_recorded_event_attributes",  # the append, as a local activity
        "workflow_execution_update_accepted_event_attributes",
        "workflow_execution_update_completed_event_attributes",
        "timer_started_event_attributes",
    } <= kinds
    assert_all_encrypted(history, str(refused.value))


async def test_a_refused_update_reaches_a_reader_without_the_key_only_encrypted(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str
) -> None:
    now = await ts_env.get_current_time()
    start = f.start(now)
    await service.start_trajectory(ts_env.client, task_queue, start, now=now)
    command = trajectory.StartPlacement(actor=f.COACH, name="introduction", hours_per_week=16)

    # With the key: the code, the English message and the template with its parameters
    # (which the CLI puts into the coach's language).
    keyed = ts_env.client.get_workflow_handle(start.trajectory_id)
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await keyed.execute_update(TrajectoryWorkflow.execute, CoachRequest(command=command))
    cause = err.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == "wrong-step"
    assert REFUSAL in str(cause)
    assert service.refusal_details(cause.details) is not None

    # Without it: the message travels encrypted, and so do the template and its parameters
    # (the refusal's details): the SDK cannot even decode them into an error, and says why.
    raw = (await raw_client(ts_env)).get_workflow_handle(start.trajectory_id)
    with pytest.raises(KeyError) as unreadable:
        await raw.execute_update(TrajectoryWorkflow.execute, CoachRequest(command=command))
    assert ENCODING.decode() in str(unreadable.value)
    assert REFUSAL not in str(unreadable.value)
    assert_all_encrypted(await raw_history(ts_env, start.trajectory_id))


async def test_a_failed_workflow_keeps_its_failure_message_encrypted(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str
) -> None:
    # A start without a start command fails the workflow with a message of our own.
    handle = await ts_env.client.start_workflow(
        TrajectoryWorkflow.run, TrajectoryInput(), id=f.new_id(), task_queue=task_queue
    )
    with pytest.raises(WorkflowFailureError) as err:
        await handle.result()
    assert "needs a start command" in str(err.value.cause)  # readable with the key

    history = await raw_history(ts_env, handle.id)
    failures = [x for event in history.events for x in found_in(event, Failure)]
    assert failures
    for failure in failures:
        assert failure.message == "Encoded failure"
        assert failure.encoded_attributes.metadata["encoding"] == ENCODING
    stored = b"".join(event.SerializeToString() for event in history.events)
    assert b"needs a start command" not in stored


async def test_an_encrypted_history_replays_with_the_key_and_not_without(
    ts_env: WorkflowEnvironment, ts_worker: Worker, task_queue: str
) -> None:
    tid, _ = await start_ready_to_learn(ts_env, task_queue)
    history = await raw_history(ts_env, tid)

    def replayer(converter: DataConverter) -> Replayer:
        return Replayer(
            workflows=[TrajectoryWorkflow],
            workflow_runner=workflow_runner(),
            data_converter=converter,
        )

    await replayer(TEST_DATA_CONVERTER).replay_workflow(history)
    other = data_converter(generate_keyring(TEST_KEYRING.current_id))  # same id, other key
    result = await replayer(other).replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is not None
    # The worker's decode refused the payloads: the task fails, it does not run on garbage.
    assert CodecError.__name__ in str(result.replay_failure)
