"""The wheel a pre-commit hook installs must carry the rule catalogue and the default policy."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO


def test_wheel_ships_rules(tmp_path):
    pytest.importorskip("hatchling")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("dhlint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "dhlint/_rules/policy.yaml" in names
    catalog = {n for n in names if n.startswith("dhlint/_rules/catalog/DH")}
    on_disk = {f"dhlint/_rules/catalog/{p.name}" for p in (REPO / "rules" / "catalog").glob("DH*")}
    assert catalog == on_disk
    assert "dhlint/cli.py" in names
