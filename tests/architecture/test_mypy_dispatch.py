"""mypy fails when a command or an event type has no branch in `decide` or `evolve`.

Shown on a copy of the domain with one branch of each taken out: the `assert_never` at the
end of each `match` then receives a type that is not `Never`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _without_branch(source: str, case: str) -> str:
    start = source.index(f"        case {case}():\n")
    end = source.index("        case ", start + 1)
    return source[:start] + source[end:]


@pytest.mark.timeout(180)
def test_mypy_fails_when_a_command_or_event_has_no_branch(tmp_path: Path) -> None:
    copy = tmp_path / "domain"
    shutil.copytree(ROOT / "domain", copy, ignore=shutil.ignore_patterns("__pycache__"))
    decide = copy / "trajectory" / "_decide.py"
    decide.write_text(_without_branch(decide.read_text(), "ResolveBarrier"))
    state = copy / "trajectory" / "_evolve.py"
    state.write_text(_without_branch(state.read_text(), "FollowUpDue"))
    mypy = Path(sys.executable).parent / "mypy"
    done = subprocess.run(
        [str(mypy), "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"), "domain"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, done.stdout
    assert any("_decide.py" in e and '"ResolveBarrier"' in e for e in errors), errors
    assert any("_evolve.py" in e and '"FollowUpDue"' in e for e in errors), errors
