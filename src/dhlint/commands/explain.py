"""``dhlint explain ID``: one rule's full text, with its good and bad examples."""

from __future__ import annotations

import argparse
import sys

HELP = "Explain a rule: rationale, remediation, policy clause, examples."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", help="rule id (DH101), alias or name (s3-bucket-unencrypted)")
    parser.add_argument(
        "--output-format", "-f", "--format", dest="format", choices=("text", "markdown"),
        default="text", help="as check's --output-format",
    )  # fmt: skip
    parser.add_argument("--policy", help="policy file (for severity overrides and clause text)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dhlint.catalog import load_catalog, rules_by_id
    from dhlint.discovery import find_root
    from dhlint.policy import PolicyError, find_policy
    from dhlint.report.ruletext import rule_markdown, rule_text

    try:
        policy = find_policy(find_root(Path.cwd()), args.policy)
    except PolicyError as exc:
        print(f"dhlint: error: {exc}", file=sys.stderr)
        return 2
    rules = load_catalog()
    table = rules_by_id(rules)
    table.update({r.name: r for r in rules})
    rule = table.get(args.rule.upper()) or table.get(args.rule)
    if rule is None:
        print(f"dhlint: error: unknown rule '{args.rule}' (see `dhlint rules`)", file=sys.stderr)
        return 2
    severity = policy.severity_overrides.get(rule.id)
    render = rule_markdown if args.format == "markdown" else rule_text
    print(render(rule, policy, severity), end="")
    return 0
