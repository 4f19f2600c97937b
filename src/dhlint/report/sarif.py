"""SARIF 2.1.0 for GitHub code scanning, built on sarif-om's object model.

sarif-om's own serializer (jschema-to-python) drops values equal to their defaults (an explicit
``level: warning`` disappears), and its property bags know only ``tags``. ``to_json`` below walks
the attrs objects itself: it keeps explicit values, drops ``None`` and sentinel defaults, uses the
schema's property names, and sorts keys, so the same input gives a byte-identical file.
Suppressions never set ``state`` (sarif-om has it; the final schema has no such property).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import attr
import sarif_om as om

from dhlint import __version__
from dhlint.catalog import CONFIDENCE_PRECISION, SECURITY_SEVERITY, SEVERITY_LEVELS, Rule
from dhlint.engine import CheckResult, fingerprint
from dhlint.report import jsontext
from dhlint.report.ruletext import clause_title, rule_markdown, rule_text
from dhlint.types import Diagnostic, Finding, Location, Related

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/dhlint/dhlint"
HELP_URI = INFORMATION_URI + "/blob/main/docs/rules/{id}.md"
FINGERPRINT_KEY = "dhlint/v1"
# Fields whose default is a real value, not a "not set" sentinel: always written.
_MEANINGFUL_DEFAULTS = frozenset({"level", "kind", "enabled"})
MAX_DESCRIPTION = 1024


def to_data(obj: Any) -> Any:
    """sarif-om objects (and plain containers) -> JSON data with the schema's property names."""
    if attr.has(type(obj)):
        out = {}
        for fld in attr.fields(type(obj)):
            value = getattr(obj, fld.name)
            if value is None:
                continue
            default = fld.default
            if isinstance(default, attr.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if value == default and fld.name not in _MEANINGFUL_DEFAULTS:
                continue
            out[fld.metadata.get("schema_property_name", fld.name)] = to_data(value)
        return out
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, (list, tuple)):
        return [to_data(v) for v in obj]
    return obj


def to_json(log: om.SarifLog) -> str:
    return jsontext.dumps(to_data(log)) + "\n"


def artifact_uri(path: str) -> str:
    """Relative POSIX path, percent-encoded (a space becomes %20)."""
    return quote(path.lstrip("./") if path.startswith("./") else path, safe="/")


def _region(loc: Location) -> om.Region:
    loc = loc.normalized()
    return om.Region(
        start_line=max(loc.start_line, 1),
        start_column=max(loc.start_col, 1),
        end_line=max(loc.end_line, 1),
        end_column=max(loc.end_col, 1),
    )


def _physical(loc: Location) -> om.PhysicalLocation:
    return om.PhysicalLocation(
        artifact_location=om.ArtifactLocation(uri=artifact_uri(loc.path)), region=_region(loc)
    )


def _truncate(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rule_descriptor(rule: Rule, result: CheckResult, severity: str) -> om.ReportingDescriptor:
    policy = result.policy
    is_security = rule.family != "tool"
    tags = [rule.family, "privacy", *rule.languages]
    tags.insert(0, "security" if is_security else "maintainability")
    tags = list(dict.fromkeys(t for t in tags if t != "any"))[:10]
    properties: dict[str, Any] = {
        "tags": tags,
        "precision": CONFIDENCE_PRECISION[rule.confidence],
        "clause": clause_title(rule, policy),
        "controls": {k: list(v) for k, v in rule.controls.items()},
    }
    if is_security:
        properties["security-severity"] = SECURITY_SEVERITY[severity]
    else:
        level = SEVERITY_LEVELS[severity]
        properties["problem.severity"] = "recommendation" if level == "note" else level
    return om.ReportingDescriptor(
        id=rule.id,
        name=rule.name,
        short_description=om.MultiformatMessageString(text=rule.title),
        full_description=om.MultiformatMessageString(text=_truncate(rule.rationale)),
        help=om.MultiformatMessageString(
            text=rule_text(rule, policy, severity, examples=False),
            markdown=rule_markdown(rule, policy, severity),
        ),
        help_uri=HELP_URI.format(id=rule.id),
        default_configuration=om.ReportingConfiguration(level=SEVERITY_LEVELS[severity]),
        properties=properties,
        deprecated_ids=list(rule.aliases) or None,
    )


def _message(finding: Finding) -> str:
    text = finding.message.rstrip()
    if not text.endswith((".", "!", "?")):
        text += "."
    if finding.related:
        links = ", ".join(f"[{r.label}]({i})" for i, r in enumerate(finding.related, start=1))
        text += f" Related: {links}."
    return text


def _code_flow(flow: tuple[Related, ...]) -> om.CodeFlow:
    steps = [
        om.ThreadFlowLocation(
            location=om.Location(
                physical_location=_physical(step.location), message=om.Message(text=step.label)
            )
        )
        for step in flow[:1000]
    ]
    return om.CodeFlow(thread_flows=[om.ThreadFlow(locations=steps)])


def sarif_result(finding: Finding, index: dict[str, int], show_suppressed: bool) -> om.Result:
    result = om.Result(
        rule_id=finding.rule_id,
        rule_index=index[finding.rule_id],
        level=finding.level,
        kind="fail",
        message=om.Message(text=_message(finding)),
        locations=[om.Location(physical_location=_physical(finding.location))],
        partial_fingerprints={FINGERPRINT_KEY: fingerprint(finding)},
        properties={"severity": finding.severity},
    )
    if finding.related:
        result.related_locations = [
            om.Location(
                id=i,
                physical_location=_physical(r.location),
                message=om.Message(text=r.label),
            )
            for i, r in enumerate(finding.related, start=1)
        ]
    if finding.flow:
        result.code_flows = [_code_flow(finding.flow)]
    if show_suppressed:
        sup = finding.suppressed_by
        result.suppressions = (
            []
            if sup is None
            else [
                om.Suppression(
                    kind="external" if sup.patterns else "inSource",
                    justification=sup.reason or "(no reason given)",
                )
            ]
        )
    return result


def _notification(diag: Diagnostic) -> om.Notification:
    level = diag.level if diag.level in ("error", "warning", "note") else "error"
    note = om.Notification(
        message=om.Message(text=f"{diag.path}: {diag.message}" if diag.path else diag.message),
        level=level,
        descriptor=om.ReportingDescriptorReference(id=f"dhlint/{diag.kind}"),
    )
    if diag.path:
        physical = om.PhysicalLocation(
            artifact_location=om.ArtifactLocation(uri=artifact_uri(diag.path))
        )
        if diag.line > 0:
            physical.region = om.Region(start_line=diag.line, start_column=max(diag.col, 1))
        note.locations = [om.Location(physical_location=physical)]
    return note


def build_log(result: CheckResult, show_suppressed: bool = False) -> om.SarifLog:
    severities = {r.id: r.severity for r in result.enabled}
    for finding in result.findings:
        severities[finding.rule_id] = finding.severity
    rules = list(result.enabled)
    index = {rule.id: i for i, rule in enumerate(rules)}
    findings = [f for f in result.findings if show_suppressed or f.suppressed_by is None]
    policy = result.policy
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="dhlint",
                full_name=f"dhlint {__version__}",
                semantic_version=__version__,
                version=__version__,
                information_uri=INFORMATION_URI,
                rules=[rule_descriptor(r, result, severities[r.id]) for r in rules],
            )
        ),
        results=[sarif_result(f, index, show_suppressed) for f in findings],
        column_kind="unicodeCodePoints",
        invocations=[
            om.Invocation(
                execution_successful=not result.internal_errors,
                tool_execution_notifications=[_notification(d) for d in result.diagnostics] or None,
            )
        ],
        properties={
            "policy": {"name": policy.name, "version": policy.version, "sha256": policy.hash},
            "filesChecked": len(result.files),
            "baselined": len(result.baselined),  # known findings not reported as results
        },
    )
    return om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])


def render(result: CheckResult, show_suppressed: bool = False) -> str:
    return to_json(build_log(result, show_suppressed))
