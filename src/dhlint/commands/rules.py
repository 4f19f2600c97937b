"""``dhlint rules``: list the rule catalogue."""

from __future__ import annotations

import argparse
import json

HELP = "List the rules (id, name, severity, policy clause)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output-format", "-f", choices=("text", "json", "markdown"), default="text"
    )
    parser.add_argument("--policy", help="policy file (for severity overrides and clause titles)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dhlint.catalog import load_catalog
    from dhlint.discovery import find_root
    from dhlint.engine import ConfigError
    from dhlint.policy import PolicyError, find_policy

    try:
        policy = find_policy(find_root(Path.cwd()), args.policy)
        rules = load_catalog()
    except PolicyError as exc:
        print(f"dhlint: error: {exc}")
        return 2
    except ConfigError as exc:  # pragma: no cover - same shape as PolicyError
        print(f"dhlint: error: {exc}")
        return 2
    severity = policy.severity_overrides
    rows = [(r.id, r.name, severity.get(r.id, r.severity), r.clause, r.title, r) for r in rules]
    if args.output_format == "json":
        data = [
            {
                "id": i,
                "name": n,
                "severity": s,
                "clause": c,
                "title": t,
                "family": r.family,
                "languages": list(r.languages),
                "resources": list(r.resources),
            }
            for i, n, s, c, t, r in rows
        ]
        print(json.dumps(data, indent=2))
    elif args.output_format == "markdown":
        from dhlint.report.markdown_rules import rules_table

        print(rules_table(rules, policy), end="")
    else:
        width = max((len(n) for _, n, *_ in rows), default=4)
        family_width = max((len(r.family) for *_, r in rows), default=6)
        for rule_id, name, sev, clause, title, rule in rows:
            family = f"{rule.family:<{family_width}}"  # what --select takes besides ids
            print(f"{rule_id}  {name:<{width}}  {sev:<8}  {clause:<8}  {family}  {title}")
    return 0
