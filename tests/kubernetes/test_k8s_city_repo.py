"""The example city repository's manifests: `# expect: DHnnn` comments equal the findings."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from dhlint.engine import CheckOptions, run_check
from tests.conftest import FIXTURES, REPO

_EXPECT = re.compile(r"#\s*expect:\s*(DH\d{3}(?:\s*,\s*DH\d{3})*)")


def expectations(directory: Path) -> Counter:
    expected: Counter = Counter()
    for path in sorted(directory.rglob("*.y*ml")):
        rel = path.relative_to(REPO).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _EXPECT.search(line)
            if match:
                for rule_id in re.split(r"\s*,\s*", match.group(1)):
                    expected[(rel, number, rule_id)] += 1
    return expected


def kubernetes_findings(directory: Path) -> tuple[Counter, list]:
    result = run_check(CheckOptions(paths=[str(directory)], cwd=str(REPO)))
    found = Counter(
        (f.location.path, f.location.start_line, f.rule_id)
        for f in result.active
        if f.location.path.endswith((".yaml", ".yml"))
    )
    return found, result.diagnostics


@pytest.mark.parametrize(
    "subdir", ["city-repo/k8s", "kubernetes/control-plane", "kubernetes/kustomize"]
)
def test_manifests_match_their_expect_comments(subdir):
    directory = FIXTURES / subdir
    found, diagnostics = kubernetes_findings(directory)
    assert not [d for d in diagnostics if d.level == "error"], diagnostics
    expected = expectations(directory)
    assert expected, "the fixture should carry expectations"
    assert sorted(found) == sorted(expected)
    assert found == expected
