"""What a deployment installs: the product, not the embedded stack, the tests or the benchmarks.

The worker image (`Dockerfile`) copies the project without what `.dockerignore` lists and
installs it with `pip install .`; the wheel built here is what that install puts in place.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nbm.settings import PROJECT_ROOT

DEV_ONLY = ("devstack", "tests", "bench")


def test_the_image_copies_no_dev_only_folder() -> None:
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().split()
    assert set(DEV_ONLY) <= set(ignored)


@pytest.mark.timeout(240)
def test_the_installed_wheel_holds_the_layers_and_no_dev_only_package(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(PROJECT_ROOT)],
        check=True, capture_output=True, timeout=230,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("nieuwe_banen-*.whl")
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {"domain", "privacy", "workflows", "activities", "nbm", "worker.py"} <= tops
    assert not tops & set(DEV_ONLY), tops
