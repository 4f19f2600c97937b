"""``--output-format gitlab``: GitLab's Code Quality report (a job's ``reports: codequality``)."""

from __future__ import annotations

import json

from dhlint.report.gitlab import SEVERITY, _unique
from tests.conftest import run_cli, write_tree

CODE = (
    "import requests\n\n\n"
    "def send(ssn):\n"
    '    requests.post("https://api.city.gov/x", json={"ssn": ssn})\n'
    '    requests.get("https://api.city.gov/y", verify=False)  # dhlint: ignore[DH261] pinned CA\n'
)


def test_gitlab_code_quality_report(tmp_path):
    root = write_tree(tmp_path / "r", {"etl/send.py": CODE, "etl/broken.py": "def (:\n"})
    proc = run_cli(["check", "-f", "gitlab", "etl"], cwd=root)
    assert proc.returncode == 1
    issues = json.loads(proc.stdout)
    by_rule = {i["check_name"]: i for i in issues}
    # DH561 (critical) and DH660 (high, twice: one call each); DH261 is suppressed: not listed.
    assert sorted(i["check_name"] for i in issues) == [
        "DH561",
        "DH660",
        "DH660",
        "dhlint/not-checked",
    ]
    export = by_rule["DH561"]
    assert export["severity"] == "blocker" and by_rule["DH660"]["severity"] == "critical"
    assert export["location"] == {"path": "etl/send.py", "lines": {"begin": 5, "end": 5}}
    assert export["description"].startswith("DH561 identifier-sent-over-network: ")
    assert export["type"] == "issue" and export["categories"] == ["Security"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    broken = by_rule["dhlint/not-checked"]
    assert broken["location"]["path"] == "etl/broken.py" and broken["severity"] == "major"
    assert broken["description"].startswith("dhlint could not check this file: ")
    # The same report when run again: fingerprints are stable.
    again = run_cli(["check", "-f", "gitlab", "etl"], cwd=root)
    assert json.loads(again.stdout) == issues


def test_gitlab_severities_and_unique_fingerprints():
    assert list(SEVERITY.values()) == ["blocker", "critical", "major", "minor", "info"]
    seen: set[str] = set()
    first, second, third = (_unique("abc", seen) for _ in range(3))
    assert first == "abc" and len({first, second, third}) == 3
