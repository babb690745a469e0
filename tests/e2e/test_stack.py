"""End to end: `python -m devstack run` starts the servers and the worker, stops them all on
SIGINT with exit code 0, and a second run on the same data dir finds the data of the first.
It generates its keys on the first run, keeps them for the second, and its codec server
decrypts for the Web UI what its keys encrypted.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from temporalio.client import Client, WorkflowExecutionStatus

from nbm.local_files import read_secrets
from nbm.settings import PROJECT_ROOT
from nbm.temporal import PLAIN_DATA_CONVERTER, data_converter
from privacy.codec import ENCODING
from privacy.keyring import parse_keyring

psutil = pytest.importorskip("psutil", reason="installed with the 'embedded' extra")

pytestmark = pytest.mark.e2e

STACK = [sys.executable, "-m", "devstack", "run", "--no-demo"]
START_TIMEOUT = 45.0
PROBE_WORKFLOW_ID = "stack-probe"
PROBE_ARGUMENT = "a probe the Web UI shows decrypted"


def stack_env(data_dir: Path) -> dict[str, str]:
    # Without keys in the environment the stack generates its own, as on a fresh machine.
    unset = ("TEMPORAL_ADDRESS", "NBM_DATABASE_URL", "NBM_CODEC_KEYS", "NBM_KEK")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(NBM_DATA_DIR=str(data_dir), NBM_DEMO="0", NBM_LOG_FORMAT="json")
    return env


def nbm(
    data_dir: Path, *args: str, settings: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`nbm args` as a coach on this machine: the stack's own servers and keys (and the
    Werkbedrijf's `settings`, e.g. NBM_REPORT_MIN_CELL)."""
    env = {**stack_env(data_dir), "NBM_ACTOR": "coach-e2e", "COLUMNS": "200", **(settings or {})}
    return subprocess.run(
        [sys.executable, "-m", "nbm.cli", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


async def run_stack(data_dir: Path, out: Any) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *STACK,
        cwd=PROJECT_ROOT,
        env=stack_env(data_dir),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=out,
        stderr=asyncio.subprocess.STDOUT,
    )


class RunningStack:
    def __init__(self, data_dir: Path, output: Path) -> None:
        self.data_dir, self.output = data_dir, output

    async def start(self) -> RunningStack:
        with self.output.open("ab") as out:
            self.proc = await run_stack(self.data_dir, out)
        return self

    async def ready(self) -> dict[str, Any]:
        """The stack.json this process wrote, once it is there."""
        path = self.data_dir / "stack.json"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.returncode is None, f"stack exited early:\n{self.output.read_text()}"
            if path.exists():
                info = json.loads(path.read_text())
                if info.get("pid") == self.proc.pid:
                    return dict(info)
            await asyncio.sleep(0.2)
        self.proc.kill()
        pytest.fail(f"no stack.json after {START_TIMEOUT} s:\n{self.output.read_text()}")

    async def interrupt(self) -> int:
        """Ctrl-C; the exit code once the stack has stopped."""
        self.proc.send_signal(signal.SIGINT)
        try:
            return await asyncio.wait_for(self.proc.wait(), 30)
        except TimeoutError:
            self.proc.kill()
            pytest.fail(f"stack did not stop on SIGINT:\n{self.output.read_text()}")


async def stored_input(info: dict[str, Any]) -> Payloads:
    """The probe's input as the server stores it (read without the codec)."""
    raw = await Client.connect(info["temporal_address"], data_converter=PLAIN_DATA_CONVERTER)
    history = await raw.get_workflow_handle(PROBE_WORKFLOW_ID).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    assert [p.metadata["encoding"] for p in started.input.payloads] == [ENCODING]
    assert PROBE_ARGUMENT.encode() not in started.input.SerializeToString()
    return started.input


async def assert_codec_server_decrypts(info: dict[str, Any], stored: Payloads) -> None:
    """What the Web UI does: post the stored payloads to the codec server, from its origin."""
    body = json_format.MessageToDict(stored)
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{info['codec_url']}/decode", json=body, headers={"Origin": info["ui_url"]}
        ) as response,
    ):
        assert response.status == 200, await response.text()
        assert response.headers["Access-Control-Allow-Origin"] == info["ui_url"]
        decoded = json_format.ParseDict(await response.json(), Payloads())
    assert [PLAIN_DATA_CONVERTER.payload_converter.from_payload(p) for p in decoded.payloads] == [
        PROBE_ARGUMENT
    ]


async def ui_settings(ui_url: str) -> dict[str, Any]:
    """The Web UI's settings, once it answers (it may start a moment after the server)."""
    deadline = time.monotonic() + START_TIMEOUT
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"{ui_url}/api/v1/settings") as response:
                    if response.status == 200:
                        return dict(await response.json())
            except aiohttp.ClientConnectionError:
                pass  # not listening yet
            assert time.monotonic() < deadline, f"no Web UI at {ui_url}"
            await asyncio.sleep(0.2)


async def test_stack_serves_stops_cleanly_and_keeps_its_data(tmp_path: Path) -> None:
    data_dir, output = tmp_path / "data", tmp_path / "stack.out"

    # First run: everything answers, and we leave a trace in both stores.
    stack = await RunningStack(data_dir, output).start()
    try:
        info = await stack.ready()
        assert set(info["processes"]) == {
            "postgres", "supervisor", "temporal", "codec_server", "worker", "projector",
            "mail_server", "employer_page", "mailer",
        }  # fmt: skip
        assert all(alive(pid) for pid in info["processes"].values())
        assert info["ui_url"].startswith("http://127.0.0.1:")
        assert info["codec_url"].startswith("http://127.0.0.1:")
        # The employer page answers, and the local SMTP server greets.
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{info['employer_page_url']}/health") as page,
        ):
            assert page.status == 200
        host, port = info["smtp_url"].removeprefix("smtp://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        assert (await reader.readline()).startswith(b"220")
        writer.close()
        codec_keys = read_secrets(data_dir).codec_keys

        keyring = parse_keyring(codec_keys, "codec_keys")
        client = await Client.connect(
            info["temporal_address"], data_converter=data_converter(keyring)
        )
        # No worker polls this queue: the workflow just waits, persisted in the SQLite file.
        await client.start_workflow(
            "StackProbe", PROBE_ARGUMENT, id=PROBE_WORKFLOW_ID, task_queue="stack-probe"
        )
        await assert_codec_server_decrypts(info, await stored_input(info))
        # The Web UI is told to send payloads to our codec server for decoding.
        assert (await ui_settings(info["ui_url"]))["Codec"]["Endpoint"] == info["codec_url"]
        # Each process connects as its own role; DDL needs the schema owner.
        assert info["database_url"].startswith("postgresql://nbm_worker@")
        for role in ("projector", "keys", "auditor"):
            assert info[f"{role}_database_url"].startswith(f"postgresql://nbm_{role}@")
        conn = await asyncpg.connect(info["migration_database_url"])
        try:
            await conn.execute("CREATE TABLE stack_probe (note text)")
            await conn.execute("INSERT INTO stack_probe VALUES ('first run')")
        finally:
            await conn.close()

        # A second stack on the same data dir refuses to start.
        second = await run_stack(data_dir, asyncio.subprocess.PIPE)
        stdout, _ = await asyncio.wait_for(second.communicate(), 30)
        assert second.returncode == 1
        assert b"already running" in stdout
    finally:
        code = await stack.interrupt()

    assert code == 0, output.read_text()
    assert f"Codec server:       {info['codec_url']}" in output.read_text()  # the banner
    still_running = {n: p for n, p in info["processes"].items() if alive(p)}
    assert not still_running, f"left running: {still_running}"
    assert not (data_dir / "stack.json").exists()

    # Second run on the same data dir: the data of the first is still there.
    stack = await RunningStack(data_dir, output).start()
    try:
        info = await stack.ready()
        conn = await asyncpg.connect(info["migration_database_url"])
        try:
            assert await conn.fetchval("SELECT note FROM stack_probe") == "first run"
        finally:
            await conn.close()
        client = await Client.connect(info["temporal_address"])
        described = await client.get_workflow_handle(PROBE_WORKFLOW_ID).describe()
        assert described.status == WorkflowExecutionStatus.RUNNING
        # The same keys as in the first run: what it stored still decrypts.
        assert read_secrets(data_dir).codec_keys == codec_keys
        await assert_codec_server_decrypts(info, await stored_input(info))
    finally:
        code = await stack.interrupt()
    assert code == 0, output.read_text()
    assert not any(alive(pid) for pid in info["processes"].values())
