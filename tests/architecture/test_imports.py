"""Imports point one way (ARCHITECTURE.md), and no package's modules import each other round.

The contracts are in pyproject.toml (`[tool.importlinter]`) and `make lint` runs them too; here
they run in the suite, and once more on a copy of the code with an upward import and a circle
put in, to show that the check fails when it should.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "privacy", "activities", "workflows", "nbm", "devstack", "bench")
ROOTS = ("worker", "starter")
"""The composition roots: they import everything, and nothing imports them."""


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
         "lint_imports_command()", "--no-cache"],
        cwd=root,
        # The code under `root` first: the copy below is checked, not the installed tree.
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


def test_every_import_contract_is_kept() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_nothing_imports_a_composition_root() -> None:
    offenders = []
    # The benchmark runs the production worker (`worker.build_worker`), as the tests do: it
    # is a composition root of its own, started by `make bench`, imported by nothing.
    for package in (p for p in PACKAGES if p != "bench"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = (
                    [a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                    else []
                )  # fmt: skip
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n in ROOTS]
    assert offenders == []


@pytest.fixture
def copy_of_the_code(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def _add_line(path: Path, line: str) -> None:
    text = path.read_text()
    head, sep, rest = text.partition("from __future__ import annotations\n")
    path.write_text(head + sep + line + "\n" + rest)


def test_an_upward_import_breaks_the_layers(copy_of_the_code: Path) -> None:
    _add_line(copy_of_the_code / "activities" / "key_store.py", "import nbm.settings")
    done = lint_imports(copy_of_the_code)
    assert done.returncode == 1
    assert "activities is not allowed to import nbm" in done.stdout
    assert "activities.key_store -> nbm.settings" in done.stdout


def test_a_circle_between_siblings_is_found(copy_of_the_code: Path) -> None:
    _add_line(copy_of_the_code / "activities" / "chain.py", "import activities.projections")
    done = lint_imports(copy_of_the_code)
    assert done.returncode == 1
    assert "No cycles are allowed in activities" in done.stdout


def test_a_private_module_used_from_outside_its_package_is_found(copy_of_the_code: Path) -> None:
    _add_line(copy_of_the_code / "workflows" / "messages.py", "import domain.trajectory._emit")
    done = lint_imports(copy_of_the_code)
    assert done.returncode == 1
    assert "domain.trajectory._emit" in done.stdout
