"""End to end: `python -m nbm.stack run` starts the servers and the worker, stops them all on
SIGINT with exit code 0, and a second run on the same data dir finds the data of the first.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from temporalio.client import Client, WorkflowExecutionStatus

from nbm.settings import PROJECT_ROOT

psutil = pytest.importorskip("psutil", reason="installed with the 'embedded' extra")

pytestmark = pytest.mark.e2e

STACK = [sys.executable, "-m", "nbm.stack", "run", "--no-demo"]
START_TIMEOUT = 45.0
PROBE_WORKFLOW_ID = "stack-probe"


def stack_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TEMPORAL_ADDRESS", "NBM_DATABASE_URL")}
    env.update(NBM_DATA_DIR=str(data_dir), NBM_DEMO="0", NBM_LOG_FORMAT="json")
    return env


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


async def test_stack_serves_stops_cleanly_and_keeps_its_data(tmp_path: Path) -> None:
    data_dir, output = tmp_path / "data", tmp_path / "stack.out"

    # First run: everything answers, and we leave a trace in both stores.
    stack = await RunningStack(data_dir, output).start()
    try:
        info = await stack.ready()
        assert set(info["processes"]) == {"postgres", "temporal", "worker"}
        assert all(alive(pid) for pid in info["processes"].values())
        assert info["ui_url"].startswith("http://127.0.0.1:")

        client = await Client.connect(info["temporal_address"])
        # No worker polls this queue: the workflow just waits, persisted in the SQLite file.
        await client.start_workflow("StackProbe", id=PROBE_WORKFLOW_ID, task_queue="stack-probe")
        conn = await asyncpg.connect(info["database_url"])
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
    still_running = {n: p for n, p in info["processes"].items() if alive(p)}
    assert not still_running, f"left running: {still_running}"
    assert not (data_dir / "stack.json").exists()

    # Second run on the same data dir: the data of the first is still there.
    stack = await RunningStack(data_dir, output).start()
    try:
        info = await stack.ready()
        conn = await asyncpg.connect(info["database_url"])
        try:
            assert await conn.fetchval("SELECT note FROM stack_probe") == "first run"
        finally:
            await conn.close()
        client = await Client.connect(info["temporal_address"])
        described = await client.get_workflow_handle(PROBE_WORKFLOW_ID).describe()
        assert described.status == WorkflowExecutionStatus.RUNNING
    finally:
        code = await stack.interrupt()
    assert code == 0, output.read_text()
    assert not any(alive(pid) for pid in info["processes"].values())
