"""ruff-like text: ``path:line:col: ID message``, diagnostics, then one summary line."""

from __future__ import annotations

from collections import Counter

from dhlint.engine import CheckResult
from dhlint.types import Diagnostic, Finding

_TFVARS = (".tfvars", ".tfvars.json")


def _environment_file(path: str) -> bool:
    """A tfvars file Terraform does not load by itself: another environment's values
    (``env/prod.tfvars``, or a ``--var-file``), not ``terraform.tfvars`` or ``*.auto.tfvars``."""
    name = path.rsplit("/", 1)[-1]
    if not name.endswith(_TFVARS):
        return False
    return not (name.startswith("terraform.tfvars") or ".auto.tfvars" in name)


def value_note(finding: Finding) -> str:
    """Where an environment's tfvars file (``env/prod.tfvars``) sets a Terraform finding's
    value: ``path:line: label``, else "". The line the finding is on shows the variable and
    its default, not that environment's value (probe39 #10): the text, GitHub and compliance
    reports name it, as JSON and SARIF list it."""
    for r in (*finding.related, *finding.flow):
        if _environment_file(r.location.path):
            return f"{r.location.path}:{r.location.start_line}: {r.label}"
    return ""


def noted_message(finding: Finding) -> str:
    """The message, and the environment's tfvars line that sets the value (``value_note``)."""
    note = value_note(finding)
    return f"{finding.message} [{note}]" if note else finding.message


def finding_line(finding: Finding, checked: set[str] | frozenset[str] = frozenset()) -> str:
    """One finding; one on a file that was not checked (read as context by a pre-commit run,
    and reported for its related location in a file that was) also names that location, and
    one whose value an environment's tfvars file sets names that file's line (``value_note``)."""
    loc = finding.location
    line = f"{loc.path}:{loc.start_line}:{loc.start_col}: {finding.rule_id} {finding.message}"
    why = []
    if checked and loc.path not in checked:
        why = [r for r in (*finding.related, *finding.flow) if r.location.path in checked]
        if why:
            where = why[0].location
            line += f" [{where.path}:{where.start_line}: {why[0].label}]"
    if not why:
        note = value_note(finding)
        if note:
            line += f" [{note}]"
    sup = finding.suppressed_by
    if sup is not None:
        by = f" (policy exception, {sup.path})" if sup.patterns else ""
        line += f" [suppressed{by}: {sup.reason or 'no reason given'}]"
    return line


def diagnostic_line(diag: Diagnostic) -> str:
    if not diag.path:
        return f"dhlint: {diag.level}: {diag.message}"
    where = (
        diag.path + (f":{diag.line}" if diag.line else "") + (f":{diag.col}" if diag.col else "")
    )
    return f"{where}: {diag.level}: {diag.message}"


_SKIPPED = frozenset({"encoding", "too-large", "unreadable", "skipped"})  # never read


def summary(result: CheckResult) -> str:
    active = result.active
    files = len(result.files)
    counts = Counter(f.severity for f in active)
    parts = [f"{counts[s]} {s}" for s in ("critical", "high", "medium", "low", "info") if counts[s]]
    if active:
        text = f"Found {len(active)} finding{'s' if len(active) != 1 else ''} ({', '.join(parts)})"
    else:
        text = "No findings"
    text += f" in {files} file{'s' if files != 1 else ''} checked"
    below = len(active) - len(result.failing)
    if below:
        text += f" ({below} below the fail-on severity, {result.fail_on}: not failing the run)"
    if result.suppressed:
        text += f"; {len(result.suppressed)} suppressed"
    if result.baselined:
        text += f"; {len(result.baselined)} in the baseline"
    # Counted by file, apart: a file checked with errors, one never read (binary, too large,
    # unreadable, a Helm chart template: not among the files checked), a path named that does
    # not exist.
    checked = set(result.files)
    problems = [d for d in result.diagnostics if d.level != "note" and d.path]
    incomplete = {d.path for d in problems if d.path in checked}
    skipped = {d.path for d in problems if d.path not in checked and d.kind in _SKIPPED}
    skipped |= set(result.skipped)
    missing = {d.path for d in problems if d.kind == "missing"}
    for count, what in (
        (len(incomplete), "not fully checked"),
        (len(skipped), "skipped"),
    ):
        if count:
            text += f"; {count} file{'s' if count != 1 else ''} {what}"
    if missing:
        text += f"; {len(missing)} path{'s' if len(missing) != 1 else ''} not found"
    policy = result.policy
    return f"{text}. Policy: {policy.name} {policy.version} (sha256 {policy.hash[:12]})."


def statistics_lines(result: CheckResult, findings: list[Finding]) -> list[str]:
    """One line per rule with findings, the most found first (ruff's ``--statistics``):
    count, id, severity, name."""
    counts = Counter(f.rule_id for f in findings)
    severity = {f.rule_id: f.severity for f in findings}  # the policy's override, if any
    names = {rule.id: rule.name for rule in result.catalog}
    width = len(str(max(counts.values(), default=0)))
    return [
        f"{count:>{width}}  {rule_id}  {severity[rule_id]:<8}  {names.get(rule_id, '')}".rstrip()
        for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def render(
    result: CheckResult,
    show_suppressed: bool = False,
    quiet: bool = False,
    statistics: bool = False,
) -> str:
    if not result.files and not result.findings and not result.diagnostics:
        return ""  # nothing this tool handles (a pre-commit run on other file types)
    findings = result.findings if show_suppressed else result.active
    checked = set(result.files)
    if statistics:
        lines = statistics_lines(result, findings)
    else:
        lines = [finding_line(f, checked) for f in findings]
    diags = (
        result.diagnostics if not quiet else [d for d in result.diagnostics if d.level == "error"]
    )
    lines += [diagnostic_line(d) for d in diags]
    if not quiet:
        lines.append(summary(result))
    return "\n".join(lines) + ("\n" if lines else "")
