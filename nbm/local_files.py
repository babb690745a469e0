"""The two files the embedded stack leaves in the data folder, as typed models.

`stack.json` says where the stack's servers are (written by `devstack`, read by the settings
of every process: the CLI, the worker, the demo); `secrets.json` holds the keys it generated
for this machine (mode 0600). One model each, shared by the writer and the readers, so a field
is named once. Production sets the servers and the secrets in the environment and has
neither file.
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

STACK_FILE = "stack.json"
SECRETS_FILE = "secrets.json"

M = TypeVar("M", bound=BaseModel)

_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def _host_port(value: str) -> str:
    """`host:port` (or `[ipv6]:port`), with a host name or address and a port 1-65535."""
    host, sep, port = value.strip().rpartition(":")
    if not sep or not host:
        raise ValueError("must be host:port, e.g. 127.0.0.1:7233")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError("the port must be a number from 1 to 65535")
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise ValueError("the host in brackets is not an IPv6 address") from None
    elif not all(_HOST_LABEL.match(label) for label in host.split(".")):
        raise ValueError("the host must be a name or an address (letters, digits, '-', '.')")
    return value.strip()


HostPort = Annotated[str, AfterValidator(_host_port)]
"""A server's address as Temporal's client takes it."""


def _postgres_url(value: str) -> str:
    if not value.startswith(("postgresql://", "postgres://")):
        raise ValueError("must be a postgresql://... URL")
    return value


PostgresUrl = Annotated[str, AfterValidator(_postgres_url)]


class LocalFileError(Exception):
    """A file in the data folder that cannot be read; the message names it and what to do."""


class StackInfo(BaseModel):
    """`stack.json`: the running embedded stack, for the processes that use it."""

    model_config = ConfigDict(extra="forbid")

    pid: int
    temporal_address: HostPort | None = None
    database_url: PostgresUrl | None = None
    """The worker role's URL (read and append events)."""
    migration_database_url: PostgresUrl | None = None
    """The schema owner's URL (only the embedded server's local superuser)."""
    projector_database_url: PostgresUrl | None = None
    keys_database_url: PostgresUrl | None = None
    auditor_database_url: PostgresUrl | None = None
    ui_url: str | None = None
    codec_url: str | None = None
    smtp_url: str | None = None
    """The local SMTP server that keeps every mail in `mail/` of the data folder."""
    employer_page_url: str | None = None
    """The employer web app, where the links in the mails lead."""
    processes: dict[str, int] = Field(default_factory=dict)
    """The pid of each process the stack started, by name."""
    supervisor_socket: str | None = None
    """Where the supervisor of the stack's processes answers (`nbm status`)."""


class LocalSecrets(BaseModel):
    """`secrets.json`: the keys `make run` generated once for this machine."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kek: str = Field(repr=False)
    codec_keys: str = Field(repr=False)
    audit_signing_key: str = Field(repr=False)
    link_secret: str | None = Field(default=None, repr=False)
    """Signs the answer links in mails (added later: older files get one on next start)."""


def stack_path(data_dir: Path) -> Path:
    return data_dir / STACK_FILE


def secrets_path(data_dir: Path) -> Path:
    return data_dir / SECRETS_FILE


def read_stack(data_dir: Path) -> StackInfo | None:
    """The running stack's `stack.json`, or None when there is none."""
    return _read(stack_path(data_dir), StackInfo, "remove it and run `make run`")


def read_secrets(data_dir: Path) -> LocalSecrets | None:
    """The generated secrets, or None when there are none yet."""
    return _read(
        secrets_path(data_dir),
        LocalSecrets,
        "restore it from a backup, or set NBM_KEK, NBM_CODEC_KEYS and NBM_AUDIT_SIGNING_KEY",
    )


def write_stack(data_dir: Path, info: StackInfo) -> None:
    _write(stack_path(data_dir), info, 0o644)


def write_secrets(data_dir: Path, secrets: LocalSecrets) -> None:
    _write(secrets_path(data_dir), secrets, 0o600)


def _read(path: Path, model: type[M], remedy: str) -> M | None:
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise LocalFileError(f"{path} cannot be read ({err.strerror}); {remedy}") from None
    try:
        return model.model_validate_json(text)
    except ValidationError as err:
        # The field and the rule, never the content: secrets.json holds keys.
        problem = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}"
            for e in err.errors(include_input=False, include_url=False)
        )
        raise LocalFileError(f"{path} is malformed ({problem}); {remedy}") from None


def _write(path: Path, model: BaseModel, mode: int) -> None:
    """Written whole or not at all: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as out:
        out.write(model.model_dump_json(indent=2))
    tmp.replace(path)


def replace_kek(data_dir: Path, kek: str) -> None:
    """The generated secrets with another KEK keyring: what retiring a KEK writes."""
    secrets = read_secrets(data_dir)
    if secrets is None:
        raise LocalFileError(f"{secrets_path(data_dir)} does not exist")
    write_secrets(data_dir, secrets.model_copy(update={"kek": kek}))
