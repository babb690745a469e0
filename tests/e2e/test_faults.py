"""Faults on the running stack: the worker killed with kill -9 while 50 commands flow.

Each command is sent as a coach's CLI would, and sent again with its request id until it is
answered. Every command is then stored exactly once, the supervisor has started the worker
again, and the rest of the stack never stopped. PostgreSQL killed outright comes back too.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from activities import PostgresEventStore
from domain import trajectory
from nbm import service
from nbm.local_files import read_secrets
from nbm.temporal import data_converter
from privacy.keyring import parse_keyring
from tests import factories as f

from .test_stack import RunningStack, alive, nbm

pytestmark = pytest.mark.e2e

TRAJECTORIES = 10
COMMANDS_EACH = 5  # 50 in all
ATTEMPT = 5.0  # seconds one attempt waits for its answer before it is sent again


async def send_until_answered(client: Client, tid: str, command: Any, attempts: list[int]) -> Any:
    deadline = time.monotonic() + 90
    while True:
        attempts.append(1)
        try:
            return await asyncio.wait_for(service.send(client, tid, command), ATTEMPT)
        except (TimeoutError, service.CommandUnanswered, service.ServiceError) as err:
            if isinstance(err, service.CommandRefused):
                raise
            assert time.monotonic() < deadline, f"{command.request_id} never answered: {err}"
            await asyncio.sleep(0.5)  # the coach tries again, with the same request id


def status(data_dir: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(nbm(data_dir, "status", "--json").stdout)
    return rows


@pytest.mark.timeout(300)
async def test_kill_9_of_the_worker_while_commands_flow_loses_and_doubles_nothing(
    tmp_path: Path,
) -> None:
    data_dir, output = tmp_path / "data", tmp_path / "stack.out"
    stack = await RunningStack(data_dir, output).start()
    try:
        info = await stack.ready()
        secrets = read_secrets(data_dir)
        assert secrets is not None
        converter = data_converter(parse_keyring(secrets.codec_keys, "codec keys"))
        client = await Client.connect(info["temporal_address"], data_converter=converter)
        tids = []
        for _ in range(TRAJECTORIES):
            start, *setup = f.ready_to_learn(datetime.now(UTC))
            assert isinstance(start, trajectory.StartTrajectory)
            await service.start_trajectory(client, "nieuwe-banen", start)
            for command in [*setup, f.start_learning()]:
                await service.send(client, start.trajectory_id, command)  # type: ignore[arg-type]
            tids.append(start.trajectory_id)

        attempts: list[int] = []
        answered: list[Any] = []

        async def coach(tid: str, some_done: asyncio.Event) -> None:
            for n in range(COMMANDS_EACH):
                command = trajectory.StartPlacement(
                    actor=f.COACH, request_id=f"req-{tid}-{n}", name=f"placement {n}",
                    hours_per_week=16, deviation="not in the plan",
                )  # fmt: skip
                answered.append(await send_until_answered(client, tid, command, attempts))
                if len(answered) >= 10:
                    some_done.set()

        some_done = asyncio.Event()
        flowing = [asyncio.create_task(coach(tid, some_done)) for tid in tids]
        await some_done.wait()  # ten answered, forty still to come
        worker = info["processes"]["worker"]
        os.kill(worker, signal.SIGKILL)
        await asyncio.gather(*flowing)

        assert len(answered) == TRAJECTORIES * COMMANDS_EACH
        store = await PostgresEventStore.connect(info["migration_database_url"], max_size=2)
        try:
            events = [e for tid in tids for e in await store.read(tid)]
        finally:
            await store.close()
        placements = [e for e in events if isinstance(e, trajectory.PlacementStarted)]
        by_request = {e.request_id for e in placements}
        assert len(placements) == len(by_request) == TRAJECTORIES * COMMANDS_EACH  # once each
        assert len(attempts) >= len(placements)  # (some were sent more than once)

        # The worker came back under a new pid; nothing else stopped.
        assert stack.proc.returncode is None
        deadline = time.monotonic() + 30
        while (rows := status(data_dir)) and any(r["state"] != "RUNNING" for r in rows):
            assert time.monotonic() < deadline, rows
            await asyncio.sleep(0.5)
        states = {r["name"]: r for r in rows}
        assert states["worker"]["pid"] != worker
        for name in ("postgres", "temporal", "codec_server", "projector"):
            assert states[name]["pid"] == info["processes"][name], name

        # PostgreSQL killed outright is started again by the stack.
        os.kill(info["processes"]["postgres"], signal.SIGKILL)
        deadline = time.monotonic() + 90  # the stack looks every 5 s; a busy machine is slow
        while "PostgreSQL died; starting it again" not in output.read_text():
            assert time.monotonic() < deadline, output.read_text()[-2000:]
            await asyncio.sleep(0.5)
        deadline = time.monotonic() + 90
        while not alive(json.loads((data_dir / "stack.json").read_text())["processes"]["postgres"]):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.5)
        # and a command after it is stored again
        after = trajectory.StartPlacement(
            actor=f.COACH, request_id="req-after-pg", name="after", hours_per_week=16,
            deviation="not in the plan",
        )  # fmt: skip
        await send_until_answered(client, tids[0], after, attempts)
    finally:
        assert await stack.interrupt() == 0
