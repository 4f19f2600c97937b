"""dhlint's own JSON report (documented in README, "JSON output").

Top level: ``schema`` (this format's version), ``tool``, ``policy``, ``summary``, ``findings``,
``diagnostics``. Keys are sorted and no absolute path or time is written, so output is stable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dhlint import __version__
from dhlint.engine import CheckResult, fingerprint
from dhlint.report import jsontext
from dhlint.types import Diagnostic, Finding, Location, Related, Suppression

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
    # ``finding_text`` writes the same members (tests/test_jsontext.py compares them)
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
        "suppressed": None if sup is None else _suppressed(sup),
    }


def _suppressed(sup: Suppression) -> dict[str, Any]:
    return {
        "reason": sup.reason,
        "line": sup.line,
        "until": sup.until,
        # a comment in the finding's file, or an entry of the policy's ``exceptions``
        "by": "policy" if sup.patterns else "comment",
        "path": sup.path,
    }


def finding_text(finding: Finding, rules: dict, memo: dict | None = None) -> str:
    """The text ``jsontext.dumps(finding_data(finding, rules))`` writes, made without the dict:
    a report's findings are most of its text, and a dict of each for the generic writer took
    two thirds of the JSON report's time (0.15 of 0.22 s for bench/corpus/terraform's 17,337).
    Its strings are ``str`` (the C encoder refuses anything else) and a ``Location``'s lines
    and columns ``int``, written as they are. ``memo`` (one per report) keeps the text of the
    members that only the rule, level and severity decide."""
    key = (finding.rule_id, finding.level, finding.severity)
    texts = memo.get(key) if memo is not None else None
    if texts is None:
        texts = _rule_texts(finding, rules.get(finding.rule_id))
        if memo is not None:
            memo[key] = texts
    clause, family, level, rule_id, rule_name, severity = texts
    loc = finding.location
    end_line, end_col = loc.ends()
    sup = finding.suppressed_by
    suppressed = "null"
    if sup is not None:
        suppressed = jsontext.dumps(_suppressed(sup)).replace("\n", "\n  ")  # a member: at depth 1
    string = jsontext.string
    return (
        "{"
        f'\n  "anchor": {string(finding.anchor)},'
        f'\n  "clause": {clause},'
        f'\n  "column": {loc.start_col},'
        f'\n  "end_column": {end_col},'
        f'\n  "end_line": {end_line},'
        f'\n  "family": {family},'
        f'\n  "fingerprint": {string(fingerprint(finding))},'
        f'\n  "flow": {_related_text(finding.flow)},'
        f'\n  "level": {level},'
        f'\n  "line": {loc.start_line},'
        f'\n  "message": {string(finding.message)},'
        f'\n  "path": {string(loc.path)},'
        f'\n  "related": {_related_text(finding.related)},'
        f'\n  "rule_id": {rule_id},'
        f'\n  "rule_name": {rule_name},'
        f'\n  "severity": {severity},'
        f'\n  "suppressed": {suppressed}'
        "\n}"
    )


def _rule_texts(finding: Finding, rule: Any) -> tuple[str, ...]:
    """The text of a finding's clause, family, level, rule id, rule name and severity."""
    string = jsontext.string
    return (
        string(rule.clause if rule else ""),
        string(rule.family if rule else ""),
        string(finding.level),
        string(finding.rule_id),
        string(rule.name if rule else ""),
        string(finding.severity),
    )


def _related_text(items: tuple[Related, ...]) -> str:
    """The text of ``_related(items)`` as a member of a finding's (at depth 1)."""
    if not items:
        return "[]"
    string = jsontext.string
    members = []
    for item in items:
        loc = item.location
        end_line, end_col = loc.ends()
        members.append(
            "{"
            f'\n      "column": {loc.start_col},'
            f'\n      "end_column": {end_col},'
            f'\n      "end_line": {end_line},'
            f'\n      "label": {string(item.label)},'
            f'\n      "line": {loc.start_line},'
            f'\n      "path": {string(loc.path)}'
            "\n    }"
        )
    return "[\n    " + ",\n    ".join(members) + "\n  ]"


def diagnostic_data(diag: Diagnostic) -> dict[str, Any]:
    return {
        "path": diag.path,
        "line": diag.line,
        "column": diag.col,
        "level": diag.level,
        "kind": diag.kind,
        "message": diag.message,
    }


def report_data(
    result: CheckResult, show_suppressed: bool = False, finding: Callable = finding_data
) -> dict[str, Any]:
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
        "findings": [finding(f, rules) for f in findings],
        "diagnostics": [diagnostic_data(d) for d in result.diagnostics],
    }


def render(result: CheckResult, show_suppressed: bool = False) -> str:
    memo: dict = {}  # finding_text's, for this report

    def raw(finding: Finding, rules: dict) -> jsontext.Raw:
        return jsontext.Raw(finding_text(finding, rules, memo))

    data = report_data(result, show_suppressed, raw)
    return jsontext.dumps(data) + "\n"
