"""One rule's full text (rationale, remediation, clause, controls, examples) as text or Markdown.

Used by ``dhlint explain``, by SARIF ``help`` and by the compliance report, so the three say the
same thing. All wording comes from the catalogue and the policy.
"""

from __future__ import annotations

from dhlint.catalog import Rule
from dhlint.policy import Policy

CONTROL_NAMES = {
    "nist-800-53": "NIST SP 800-53 Rev. 5",
    "nist-pf": "NIST Privacy Framework",
    "gdpr": "GDPR",
    "cjis": "CJIS Security Policy",
    "ccpa": "CCPA",
    "iso-27001": "ISO/IEC 27001",
}
FENCE_LANG = {"tf": "hcl", "tfvars": "hcl", "json": "json", "yaml": "yaml", "yml": "yaml"}
FENCE_LANG["py"] = "python"


def clause_title(rule: Rule, policy: Policy) -> str:
    clause = policy.clauses.get(rule.clause, {})
    return f"{rule.clause} {clause.get('title', '')}".strip()


def controls_lines(rule: Rule) -> list[str]:
    return [
        f"{CONTROL_NAMES.get(std, std)}: {', '.join(ids)}" for std, ids in rule.controls.items()
    ]


def _fence(name: str) -> str:
    return FENCE_LANG.get(name.rsplit(".", 1)[-1].lower(), "")


def _examples_md(title: str, examples) -> list[str]:
    out = [f"### {title}", ""]
    for example in examples:
        for name, code in example.files.items():
            out += [f"`{name}`", "", f"```{_fence(name)}", code.rstrip("\n"), "```", ""]
        if example.policy:
            out += [f"With policy settings: `{example.policy}`", ""]
        if example.note:
            out += [example.note, ""]
    return out


def rule_markdown(rule: Rule, policy: Policy, severity: str | None = None) -> str:
    lines = [
        f"**{rule.title}** (`{rule.id}` {rule.name})",
        "",
        f"Severity: {severity or rule.severity} · Confidence: {rule.confidence} · "
        f"Policy clause: {clause_title(rule, policy)}",
        "",
        "### Why it matters",
        "",
        rule.rationale,
        "",
        "### How to fix",
        "",
        rule.remediation,
        "",
    ]
    lines += _examples_md("Flagged", rule.bad[:1])
    lines += _examples_md("Not flagged", rule.good[:1])
    lines += ["### Controls", ""] + [f"- {c}" for c in controls_lines(rule)] + [""]
    if rule.references:
        lines += ["### References", ""] + [f"- <{r}>" for r in rule.references] + [""]
    lines += [
        "### Suppressing",
        "",
        f"`# dhlint: ignore[{rule.id}] <reason>` on the line, the line above, or in the block.",
    ]
    return "\n".join(lines).rstrip() + "\n"


def rule_text(
    rule: Rule, policy: Policy, severity: str | None = None, examples: bool = True
) -> str:
    clause = policy.clauses.get(rule.clause, {})
    lines = [
        f"{rule.id} {rule.name}: {rule.title}",
        "",
        f"Severity:   {severity or rule.severity} (confidence {rule.confidence})",
        f"Family:     {rule.family}",
        f"Languages:  {', '.join(rule.languages)}",
        f"Clause:     {clause_title(rule, policy)}",
    ]
    if clause.get("text"):
        lines += [f"            {clause['text']}"]
    lines += [f"Controls:   {c}" for c in controls_lines(rule)]
    if rule.resources:
        lines += [f"Resources:  {', '.join(rule.resources)}"]
    lines += ["", "Why it matters:", _indent(rule.rationale), "", "How to fix:"]
    lines += [_indent(rule.remediation), ""]
    if examples:
        for title, group in (("Flagged (bad)", rule.bad), ("Not flagged (good)", rule.good)):
            for example in group:
                for name, code in example.files.items():
                    lines += [f"{title}: {name}", _indent(code.rstrip("\n")), ""]
                if example.policy:
                    lines += [f"  with policy settings: {example.policy}", ""]
    if rule.references:
        lines += ["References:"] + [f"  {r}" for r in rule.references] + [""]
    lines += [f"Suppress with: # dhlint: ignore[{rule.id}] <reason>"]
    return "\n".join(lines) + "\n"


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.splitlines())
