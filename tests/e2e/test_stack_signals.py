"""Ctrl-C through a pipe, and the demo once per data folder."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import pytest

from devstack.stack import DEMO_DONE, Stack
from nbm.settings import PROJECT_ROOT, Settings

from .test_stack import STACK, START_TIMEOUT, alive, stack_env

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(120)
async def test_ctrl_c_through_a_pipe_whose_reader_is_gone_still_stops_everything(
    tmp_path: Path,
) -> None:
    # `make run | tee log` and Ctrl-C: tee dies with the stack, and every later print of the
    # stack meets a closed pipe. The shutdown must still run to its end.
    data_dir = tmp_path / "data"
    proc = await asyncio.create_subprocess_exec(
        *STACK, cwd=PROJECT_ROOT, env=stack_env(data_dir),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.stdout is not None
    stack_json = data_dir / "stack.json"
    info = None
    for _ in range(int(START_TIMEOUT / 0.2)):
        if stack_json.exists():
            info = json.loads(stack_json.read_text())
            break
        await asyncio.sleep(0.2)
    assert info is not None, "the stack did not start"
    await asyncio.sleep(1)  # the banner is printed after stack.json
    proc.stdout.feed_eof()
    proc._transport.get_pipe_transport(1).close()  # type: ignore[attr-defined]  # tee is gone
    proc.send_signal(signal.SIGINT)
    assert await asyncio.wait_for(proc.wait(), 60) == 0
    assert not stack_json.exists()
    assert not any(alive(pid) for pid in info["processes"].values())


async def test_the_demo_runs_once_per_data_folder(tmp_path: Path) -> None:
    settings = Settings(NBM_DATA_DIR=tmp_path)
    stack = Stack(settings, asyncio.Event())
    (tmp_path / DEMO_DONE).write_text("1\n")
    await stack.run_demo("auto")
    assert "demo" not in stack.children  # it ran before: not again
    await stack.run_demo("never")
    assert "demo" not in stack.children
