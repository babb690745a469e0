"""`stack.json` and `secrets.json`: one typed model each, for the writer and the readers."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from nbm.local_files import (
    LocalFileError,
    LocalSecrets,
    StackInfo,
    read_secrets,
    read_stack,
    secrets_path,
    stack_path,
    write_secrets,
    write_stack,
)
from nbm.settings import ConfigError, Settings


def test_what_the_stack_writes_its_readers_read(tmp_path: Path) -> None:
    info = StackInfo(pid=42, temporal_address="127.0.0.1:7233", processes={"worker": 43})
    write_stack(tmp_path, info)
    assert read_stack(tmp_path) == info
    settings = Settings(NBM_DATA_DIR=tmp_path)
    assert settings.resolved_temporal_address() == "127.0.0.1:7233"


def test_no_file_is_no_stack(tmp_path: Path) -> None:
    assert read_stack(tmp_path) is None
    assert read_secrets(tmp_path) is None
    with pytest.raises(ConfigError, match="no Temporal server: set TEMPORAL_ADDRESS"):
        Settings(NBM_DATA_DIR=tmp_path).resolved_temporal_address()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "file: Invalid JSON"),
        ('{"pid": "seven"}', "pid: Input should be a valid integer"),
        ('{"pid": 1, "temporal_adress": "x"}', "temporal_adress: Extra inputs are not permitted"),
    ],
)
def test_a_malformed_stack_file_is_one_line_naming_the_file_and_the_field(
    tmp_path: Path, text: str, problem: str
) -> None:
    stack_path(tmp_path).write_text(text)
    with pytest.raises(LocalFileError, match=problem):
        read_stack(tmp_path)
    with pytest.raises(ConfigError, match=r"stack\.json is malformed") as caught:
        Settings(NBM_DATA_DIR=tmp_path).resolved_temporal_address()
    assert "\n" not in str(caught.value)


def test_secrets_are_written_for_the_owner_only_and_never_echoed(tmp_path: Path) -> None:
    secrets = LocalSecrets(kek="kek1:KEY", codec_keys="codec1:KEY", audit_signing_key="PEM")
    write_secrets(tmp_path, secrets)
    assert stat.S_IMODE(secrets_path(tmp_path).stat().st_mode) == 0o600
    assert read_secrets(tmp_path) == secrets
    assert "KEY" not in repr(secrets)
    secrets_path(tmp_path).write_text('{"kek": "kek1:SECRET"}')
    with pytest.raises(LocalFileError, match="codec_keys: Field required") as caught:
        read_secrets(tmp_path)
    assert "SECRET" not in str(caught.value)
