"""``dhlint suppressions [PATHS...]``: every documented exception (the inline comments, then
the policy's ``exceptions``), for audits."""

from __future__ import annotations

import argparse
import json

HELP = (
    "List suppressions and the policy's exceptions (file, line, rules, reason, expiry, "
    "status) for an audit."
)
PROBLEMS = {"DH001": "no reason", "DH002": "unknown rule", "DH003": "expired", "DH004": "unused"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."])
    parser.add_argument("--policy", help="policy file")
    parser.add_argument("--output-format", "-f", choices=("text", "json"), default="text")


def audit_rows(result) -> list[dict]:
    from dhlint.suppress import is_expired

    problems: dict[tuple[str, int], list[str]] = {}
    for finding in result.findings:
        if finding.rule_id in PROBLEMS:
            key = (finding.location.path, finding.location.start_line)
            problems.setdefault(key, []).append(PROBLEMS[finding.rule_id])
    silenced: dict[object, int] = {}
    for finding in result.suppressed:
        silenced[finding.suppressed_by] = silenced.get(finding.suppressed_by, 0) + 1
    rows = []
    for sup in result.suppressions:
        if sup.patterns:  # the policy's exceptions: audited when the policy is read
            scope, rules = "policy", list(sup.written)
            status = ["expired"] if sup.until and is_expired(sup) else []
        else:
            scope, rules = "file" if sup.file_level else "line", list(sup.rule_ids)
            status = problems.get((sup.path, sup.line), [])
        row = {
            "path": sup.path,
            "line": sup.line,
            "rules": rules,
            "scope": scope,
            "reason": sup.reason,
            "until": sup.until,
            "silenced": silenced.get(sup, 0),
            "status": ", ".join(sorted(set(status))) or "ok",
        }
        if sup.patterns:
            row["paths"] = list(sup.patterns)
        rows.append(row)
    return rows


def run(args: argparse.Namespace) -> int:
    from dhlint.commands.check import run_or_exit_code
    from dhlint.engine import CheckOptions

    result = run_or_exit_code(CheckOptions(paths=args.paths, policy_file=args.policy))
    if isinstance(result, int):
        return result
    rows = audit_rows(result)
    if args.output_format == "json":
        print(json.dumps(rows, indent=2, sort_keys=True))
        return 0
    for row in rows:
        until = f" until {row['until']}" if row["until"] else ""
        scope = {"file": " (whole file)", "line": ""}.get(row["scope"], "")
        if row["scope"] == "policy":
            scope = f" (policy exception for {', '.join(row['paths'])})"
        print(
            f"{row['path']}:{row['line']}: {','.join(row['rules'])}{scope} [{row['status']}, "
            f"silences {row['silenced']}]{until}: {row['reason'] or '(no reason)'}"
        )
    print(f"{len(rows)} suppression{'s' if len(rows) != 1 else ''}.")
    return 0
