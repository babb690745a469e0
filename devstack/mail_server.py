"""The embedded stack's SMTP server: aiosmtpd on 127.0.0.1, keeping every mail it gets in
the mailbox folder (`nbm.mailbox`) where a person reads it with `nbm mail list|show`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import socket
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from nbm.mailbox import Mailbox


class MailboxHandler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.received = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode()
        self.mailbox.save(data)
        self.received += 1
        return "250 Message accepted for delivery"


def mail_server(folder: Path, port: int = 0) -> tuple[Controller, MailboxHandler]:
    """A started server on 127.0.0.1 (`port` 0: a free one; `controller.port` says which)."""
    # aiosmtpd logs every envelope address at INFO: personal data, never in a log.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = MailboxHandler(Mailbox(folder))
    controller = Controller(handler, hostname="127.0.0.1", port=port or _free_port())
    controller.start()
    return controller, handler


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _serve(folder: Path, port: int) -> None:
    controller, _ = mail_server(folder, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="The embedded stack's SMTP server")
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(_serve(args.folder, args.port))


if __name__ == "__main__":
    main()
