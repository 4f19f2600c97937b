"""GitLab Code Quality report (``--output-format gitlab``): the JSON array a GitLab CI job
gives as ``artifacts: reports: codequality``, shown in merge requests (as ruff's ``gitlab``).

Each unsuppressed finding is one issue: ``description``, ``check_name`` (the rule id),
``fingerprint`` (the SARIF one, stable across edits that do not touch the finding; made unique
when two findings share it, since GitLab keeps one issue per fingerprint), ``severity`` and
``location`` (path from the repository root, first and last line). A file that could not be
checked is an issue too (``dhlint/not-checked``), so that it is never shown as clean.
"""

from __future__ import annotations

import hashlib
from typing import Any

from dhlint.engine import CheckResult, fingerprint
from dhlint.report import jsontext
from dhlint.report.text import noted_message

# Five to five, most severe first: GitLab's blocker, critical, major, minor, info.
SEVERITY = {
    "critical": "blocker",
    "high": "critical",
    "medium": "major",
    "low": "minor",
    "info": "info",
}


def _unique(print_: str, seen: set[str]) -> str:
    """``print_``, or, if an earlier issue has it, a digest of it and how many came before."""
    candidate, count = print_, 0
    while candidate in seen:
        count += 1
        candidate = hashlib.sha256(f"{print_}\0{count}".encode()).hexdigest()[:32]
    seen.add(candidate)
    return candidate


def issues(result: CheckResult) -> list[dict[str, Any]]:
    names = {rule.id: rule.name for rule in result.catalog}
    seen: set[str] = set()
    out = []
    for finding in result.active:
        loc = finding.location
        end_line, _end_col = loc.ends()
        name = names.get(finding.rule_id, "")
        out.append(
            {
                "type": "issue",
                "check_name": finding.rule_id,
                "description": f"{finding.rule_id} {name}: {noted_message(finding)}",
                "categories": ["Security"],
                "fingerprint": _unique(fingerprint(finding), seen),
                "severity": SEVERITY[finding.severity],
                "location": {
                    "path": loc.path,
                    "lines": {"begin": loc.start_line, "end": end_line},
                },
            }
        )
    for diag in result.diagnostics:
        if diag.level != "error" or not diag.path:
            continue
        key = f"not-checked\0{diag.path}\0{diag.message}"
        out.append(
            {
                "type": "issue",
                "check_name": "dhlint/not-checked",
                "description": f"dhlint could not check this file: {diag.message}",
                "categories": ["Bug Risk"],
                "fingerprint": _unique(hashlib.sha256(key.encode()).hexdigest()[:32], seen),
                "severity": "major",
                "location": {"path": diag.path, "lines": {"begin": diag.line or 1}},
            }
        )
    return out


def render(result: CheckResult) -> str:
    return jsontext.dumps(issues(result)) + "\n"
