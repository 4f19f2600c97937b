"""GitHub Actions workflow commands: ``::error file=...,line=...::message`` annotations.

GitHub shows at most 10 annotations of each level per step, so dhlint prints the first 10 of each
and one notice saying how many were left out. When ``GITHUB_STEP_SUMMARY`` is set, the full list
is appended there as a Markdown table.
"""

from __future__ import annotations

import os
from collections import defaultdict

from dhlint.engine import CheckResult
from dhlint.report.text import noted_message, summary
from dhlint.types import Finding

LEVELS = {"error": "error", "warning": "warning", "note": "notice"}
PER_LEVEL = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, **props: object) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v != "")
    return f"::{level} {fields}::{escape_data(message)}" if fields else f"::{level}::{message}"


def _finding_annotation(f: Finding, title: str) -> str:
    loc = f.location.normalized()
    return annotation(
        LEVELS[f.level],
        noted_message(f),
        file=loc.path,
        line=loc.start_line,
        endLine=loc.end_line,
        col=loc.start_col,
        endColumn=loc.end_col,
        title=title,
    )


def render(result: CheckResult, show_suppressed: bool = False) -> str:
    names = {r.id: r.name for r in result.catalog}
    lines, counts, omitted = [], defaultdict(int), 0
    for f in result.active:
        level = LEVELS[f.level]
        counts[level] += 1
        if counts[level] > PER_LEVEL:
            omitted += 1
            continue
        lines.append(_finding_annotation(f, f"{f.rule_id} {names.get(f.rule_id, '')}".strip()))
    for d in result.diagnostics:
        level = LEVELS.get(d.level, "warning")
        counts[level] += 1
        if counts[level] > PER_LEVEL:
            omitted += 1
            continue
        props = {"file": d.path, "line": d.line or ""} if d.path else {}
        lines.append(annotation(level, f"dhlint could not check this file: {d.message}", **props))
    if omitted:
        where = (
            "see the step summary"
            if os.environ.get("GITHUB_STEP_SUMMARY")
            else "run with --output-format text or sarif for the full list"
        )
        lines.append(annotation("notice", f"{omitted} more annotations omitted; {where}."))
    lines.append(summary(result))
    _write_step_summary(result, names)
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _write_step_summary(result: CheckResult, names: dict[str, str]) -> None:
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    out = ["## dhlint", "", summary(result), ""]
    if result.active:
        out += ["| Location | Rule | Severity | Message |", "|---|---|---|---|"]
        for f in result.active:
            loc = f"{f.location.path}:{f.location.start_line}:{f.location.start_col}"
            rule = f"{f.rule_id} {names.get(f.rule_id, '')}"
            out.append(f"| `{_cell(loc)}` | {rule} | {f.severity} | {_cell(noted_message(f))} |")
    if result.diagnostics:
        out += ["", "Files not fully checked:", ""]
        out += [f"- `{_cell(d.path or 'dhlint')}`: {_cell(d.message)}" for d in result.diagnostics]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n".join(out) + "\n")
