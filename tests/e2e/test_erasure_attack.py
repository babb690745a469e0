"""Erasure that holds on the machine itself: the attack on the raw files, after `erase`.

An attacker with this machine (its data folder: PostgreSQL's tables and WAL, the Temporal
SQLite file, the logs, the generated secrets) looks for the erased candidate's wrapped key
and tries every key material left on the machine. Erasure destroyed the key and retired the
KEK generation that ever wrapped it, so nothing opens; with the KEK of before, it would.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from pathlib import Path

import asyncpg
import pytest

from activities.key_store import unwrap
from nbm.local_files import read_secrets
from privacy.envelope import EnvelopeError
from privacy.keyring import parse_keyring
from tests import factories as f

from .test_stack import RunningStack
from .test_stack import nbm as run_nbm

pytestmark = pytest.mark.e2e


def nbm(data_dir: Path, *args: str) -> str:
    done = run_nbm(data_dir, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def matched(data_dir: Path) -> str:
    """A trajectory through its match; the reference the CLI made for the candidate."""
    tid = nbm(
        data_dir, "trajectory", "start", "--employer", "employer-e2e", "--function", "Helpende",
        "--expected-date", "2027-06-01", "--skill", "care",
    ).splitlines()[0]  # fmt: skip
    nbm(data_dir, "trajectory", "map-possibilities", tid, "--profile-skill", "care",
        "--employer-role", "workplace", "--werkbedrijf-role", "coach", "--guarantee-possible",
        "--learning-location", "on site")  # fmt: skip
    out = nbm(data_dir, "trajectory", "match", tid,
        "--name", f.CANDIDATE_NAME, "--bsn", f.CANDIDATE_BSN, "--health-notes", "knieklachten",
        "--motivation-passed", "--other-matters", "no-problem")  # fmt: skip
    (ref,) = re.findall(r"^candidate (cand-[0-9a-f]{12}) ", out, re.M)
    return ref


def every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def key_material(data_dir: Path) -> list[bytes]:
    """Every AES key this machine still holds: every keyring in the generated secrets."""
    secrets = read_secrets(data_dir)
    assert secrets is not None
    keys: list[bytes] = []
    for text, name in ((secrets.kek, "kek"), (secrets.codec_keys, "codec")):
        keys += parse_keyring(text, name).keys.values()
    return keys


@pytest.mark.timeout(240)
async def test_nothing_on_the_machine_opens_an_erased_candidates_key(tmp_path: Path) -> None:
    data_dir, output = tmp_path / "data", tmp_path / "stack.out"
    stack = await RunningStack(data_dir, output).start()
    try:
        info = await stack.ready()
        erased = await asyncio.to_thread(matched, data_dir)
        kept = await asyncio.to_thread(matched, data_dir)
        owner = await asyncpg.connect(info["migration_database_url"])
        try:
            wrapped = await owner.fetchval(
                "SELECT wrapped_key FROM candidate_keys WHERE candidate_ref = $1", erased
            )
            old_kek = parse_keyring(read_secrets(data_dir).kek, "kek")  # type: ignore[union-attr]
            assert unwrap(wrapped, old_kek.current, erased)  # the control: it opens

            said = await asyncio.to_thread(nbm, data_dir, "candidate", "erase", erased, "--yes")
            assert "retired and destroyed" in said
            await owner.execute("CHECKPOINT")  # everything on disk, as an attacker finds it
        finally:
            await owner.close()

        # The attacker's search: every copy of the wrapped key in every file.
        copies = [
            (path, at)
            for path in every_file(data_dir)
            for at in _find_all(path.read_bytes(), wrapped)
        ]
        assert copies, "the attack should find the old copy (in the WAL at least)"
        keys = key_material(data_dir)
        assert keys
        for path, at in copies:
            blob = path.read_bytes()[at : at + len(wrapped)]
            for key in keys:
                with pytest.raises(EnvelopeError):
                    unwrap(blob, key, erased)
        # The KEK that wrapped it is nowhere on the machine any more, as bytes or as text.
        old = old_kek.current
        for path in every_file(data_dir):
            content = path.read_bytes()
            assert old not in content and base64.b64encode(old) not in content, path
        # The other candidate's data still opens: its key was rewrapped under the new KEK.
        shown = json.loads(await asyncio.to_thread(nbm, data_dir, "trajectory", "list", "--json"))
        assert len(shown) == 2
        status = await asyncio.to_thread(nbm, data_dir, "candidate", "status", kept)
        assert "key since" in status and old_kek.current_id not in status
    finally:
        assert await stack.interrupt() == 0


def _find_all(content: bytes, needle: bytes) -> list[int]:
    found, at = [], content.find(needle)
    while at != -1:
        found.append(at)
        at = content.find(needle, at + 1)
    return found
