"""Helpers for the Python analysis tests: expectations written as ``# expect: DH560, DH563``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dhlint.engine import CheckOptions, run_check

_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


def expected_findings(path: Path, rel: str) -> set[tuple[str, str, int]]:
    out = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = _EXPECT.search(line)
        if match:
            for rule_id in re.split(r"[,\s]+", match.group(1).strip()):
                if rule_id:
                    out.add((rule_id, rel, number))
    return out


@pytest.fixture
def check_paths():
    """Run the engine on real paths of the repository (fixtures) with Python rules only."""

    def _check(
        *paths: str, select=("DH2", "DH46", "DH5", "DH6"), cwd: Path | None = None, **options
    ):
        root = Path(__file__).resolve().parents[2]
        return run_check(
            CheckOptions(paths=list(paths), cwd=str(cwd or root), select=list(select), **options)
        )

    return _check


def expected_in_text(text: str, name: str) -> set[tuple[str, int]]:
    out = set()
    for number, line in enumerate(text.splitlines(), 1):
        match = _EXPECT.search(line)
        if match:
            out |= {(r, number) for r in re.split(r"[,\s]+", match.group(1).strip()) if r}
    return out


@pytest.fixture
def assert_expected(scan):
    """Scan one snippet (``etl.py``) and compare (rule, line) with its ``# expect:`` comments."""

    def _assert(code: str, select=("DH2", "DH5", "DH6"), policy=None, name="etl.py"):
        result = scan({name: code}, policy=policy, select=list(select))
        internal = [d for d in result.diagnostics if d.kind == "internal"]
        assert not internal, internal
        got = {(f.rule_id, f.location.start_line) for f in result.active}
        assert got == expected_in_text(code, name)
        return result

    return _assert
