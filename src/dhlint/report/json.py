"""dhlint's own JSON report (documented in README, "JSON output").

Top level: ``schema`` (this format's version), ``tool``, ``policy``, ``summary``, ``findings``,
``diagnostics``. Keys are sorted and no absolute path or time is written, so output is stable.
"""

from __future__ import annotations

from typing import Any

from dhlint import __version__
from dhlint.engine import CheckResult, fingerprint
from dhlint.report import jsontext
from dhlint.types import Diagnostic, Finding, Location, Related

SCHEMA_VERSION = 1


def _loc(loc: Location, **extra: Any) -> dict[str, Any]:
    end_line, end_col = loc.ends()  # normalized
    return {
        "path": loc.path,
        "line": loc.start_line,
        "column": loc.start_col,
        "end_line": end_line,
        "end_column": end_col,
        **extra,
    }


def _related(items: tuple[Related, ...]) -> list[dict[str, Any]]:
    return [_loc(r.location, label=r.label) for r in items]


def finding_data(finding: Finding, rules: dict) -> dict[str, Any]:
    rule = rules.get(finding.rule_id)
    sup = finding.suppressed_by
    return {
        "rule_id": finding.rule_id,
        "rule_name": rule.name if rule else "",
        "family": rule.family if rule else "",
        "clause": rule.clause if rule else "",
        "severity": finding.severity,
        "level": finding.level,
        "message": finding.message,
        **_loc(finding.location),
        "anchor": finding.anchor,
        "fingerprint": fingerprint(finding),
        "related": _related(finding.related),
        "flow": _related(finding.flow),
        "suppressed": None
        if sup is None
        else {
            "reason": sup.reason,
            "line": sup.line,
            "until": sup.until,
            # a comment in the finding's file, or an entry of the policy's ``exceptions``
            "by": "policy" if sup.patterns else "comment",
            "path": sup.path,
        },
    }


def diagnostic_data(diag: Diagnostic) -> dict[str, Any]:
    return {
        "path": diag.path,
        "line": diag.line,
        "column": diag.col,
        "level": diag.level,
        "kind": diag.kind,
        "message": diag.message,
    }


def report_data(result: CheckResult, show_suppressed: bool = False) -> dict[str, Any]:
    rules = {r.id: r for r in result.catalog}
    findings = result.findings if show_suppressed else result.active
    policy = result.policy
    return {
        "schema": SCHEMA_VERSION,
        "tool": {"name": "dhlint", "version": __version__},
        "policy": {"name": policy.name, "version": policy.version, "sha256": policy.hash},
        "summary": {
            "files": len(result.files),
            "findings": len(result.active),
            "suppressed": len(result.suppressed),
            "baselined": len(result.baselined),
            "diagnostics": len(result.diagnostics),
            "rules": len(result.enabled),
        },
        "findings": [finding_data(f, rules) for f in findings],
        "diagnostics": [diagnostic_data(d) for d in result.diagnostics],
    }


def render(result: CheckResult, show_suppressed: bool = False) -> str:
    data = report_data(result, show_suppressed)
    return jsontext.dumps(data) + "\n"
