"""The mailbox of the embedded SMTP server: every mail it received, one `.eml` file each,
named by its Message-ID (the same mail delivered twice is one file). `nbm mail list|show`
read it; `devstack.mail_server` writes it."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path


@dataclass(frozen=True)
class StoredMail:
    name: str
    """The file's stem: a hash of the Message-ID, what `nbm mail show` takes."""
    path: Path
    message_id: str
    to: str
    subject: str
    date: str

    def message(self) -> EmailMessage:
        return read_message(self.path)


def file_name(message_id: str) -> str:
    return hashlib.sha256(message_id.strip().encode()).hexdigest()[:20]


def read_message(path: Path) -> EmailMessage:
    with path.open("rb") as f:
        return BytesParser(policy=policy.default).parse(f)  # type: ignore[return-value]


class Mailbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, data: bytes) -> Path:
        """Keep one received mail (atomically: a reader never sees half a file)."""
        message = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
        mid = str(message.get("Message-ID") or hashlib.sha256(data).hexdigest())
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{file_name(mid)}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        os.replace(partial, path)
        return path

    def list(self) -> list[StoredMail]:
        """Every mail, oldest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.eml"), key=lambda p: (p.stat().st_mtime, p.name)):
            message = read_message(path)
            found.append(
                StoredMail(
                    name=path.stem,
                    path=path,
                    message_id=str(message.get("Message-ID", "")),
                    to=str(message.get("To", "")),
                    subject=str(message.get("Subject", "")),
                    date=str(message.get("Date", "")),
                )
            )
        return found

    def find(self, name: str) -> StoredMail | None:
        """The mail whose name (or the start of it, or its Message-ID) is `name`."""
        matches = [m for m in self.list() if m.name.startswith(name) or m.message_id == name]
        return matches[0] if len(matches) == 1 else None
