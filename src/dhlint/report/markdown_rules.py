"""The rule list as a Markdown table (README's rule list is generated from it)."""

from __future__ import annotations

from dhlint.catalog import Rule
from dhlint.policy import Policy


def rules_table(rules: tuple[Rule, ...], policy: Policy) -> str:
    lines = [
        "| ID | Name | Severity | Clause | Inputs | Resources / objects | Title |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rules:
        resources = ", ".join(f"`{x}`" for x in r.resources) or "–"
        title = policy.clauses.get(r.clause, {}).get("title", "")
        lines.append(
            f"| {r.id} | `{r.name}` | {r.severity} | {r.clause} {title} | "
            f"{', '.join(r.languages)} | {resources} | {r.title} |"
        )
    return "\n".join(lines) + "\n"
