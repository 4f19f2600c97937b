"""The compliance report for a privacy officer: clause by clause of the policy.

``build`` turns a check result into plain data (one section per policy clause: its text, pass or
fail, the findings with their remediation, the documented exceptions); ``render_html`` (one
self-contained file, no external assets) and ``render_markdown`` only lay that data out.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from dhlint import __version__
from dhlint.catalog import Rule
from dhlint.engine import CheckResult
from dhlint.report.text import noted_message
from dhlint.types import Finding, Suppression

LANGUAGE_NAMES = {
    "python": "Python",
    "terraform": "Terraform",
    "kubernetes": "Kubernetes",
    "dataset": "Data files",
}
_CODE = re.compile(r"`([^`]*)`")
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")


@dataclass
class ClauseSection:
    clause_id: str
    title: str
    text: str
    parent: str | None
    rules: list[Rule] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Findings a baseline records: known, not new, and not met all the same.
    known: list[Finding] = field(default_factory=list)
    exceptions: list[tuple[Suppression, list[str]]] = field(default_factory=list)
    children: list[ClauseSection] = field(default_factory=list)
    # Files its rules would have read but dhlint skipped (a Helm chart template).
    unassessed: list[str] = field(default_factory=list)
    # Rules for the files scanned that had nothing to judge there (no resource of their kinds).
    idle: list[Rule] = field(default_factory=list)
    # Objects of its rules' kinds that they leave unjudged (a StorageClass of a provisioner
    # DH140 does not know), described.
    unjudged: list[str] = field(default_factory=list)

    @property
    def missed(self) -> list[str]:
        """The skipped files of this clause and of its sub-clauses, each once."""
        files = dict.fromkeys(self.unassessed)
        for child in self.children:
            files.update(dict.fromkeys(child.missed))
        return list(files)

    @property
    def unassessed_children(self) -> list[ClauseSection]:
        return [c for c in self.children if c.status == "Not assessed"]

    @property
    def status(self) -> str:
        """A clause fails with a finding (open or in the baseline) under it or under any of
        its sub-clauses. With none, it passes only if everything under it was assessed: no
        file its rules would read was skipped, and no sub-clause went without rules for the
        files scanned (a clean result on part of a clause says nothing of the rest)."""
        statuses = {c.status for c in self.children}
        if self.findings or self.known or "Fail" in statuses:
            return "Fail"
        if not (self.rules or statuses & {"Pass", "Not fully assessed"}):
            return "Not assessed"
        partial = (
            self.missed
            or self.unjudged
            or "Not assessed" in statuses
            or "Not fully assessed" in statuses
        )
        return "Not fully assessed" if partial else "Pass"


@dataclass
class Report:
    result: CheckResult
    date: str
    sections: list[ClauseSection]
    rules: dict[str, Rule]


def build(result: CheckResult, today: dt.date | None = None) -> Report:
    rules = {r.id: r for r in result.catalog}
    clauses = result.policy.clauses
    sections = {
        cid: ClauseSection(
            cid,
            c.get("title", ""),
            c.get("text", ""),
            cid.rsplit(".", 1)[0] if "." in cid else None,
        )
        for cid, c in clauses.items()
    }
    for section in sections.values():
        if section.parent in sections:
            sections[section.parent].children.append(section)
    scanned = set(result.languages)
    fired = {f.rule_id for f in (*result.findings, *result.baselined)}
    for rule in result.enabled:
        if rule.clause in sections and _assessed(rule, scanned):
            judged = rule.id in fired or _judges(rule, result.subjects)
            (sections[rule.clause].rules if judged else sections[rule.clause].idle).append(rule)
            sections[rule.clause].unjudged += _left_unjudged(rule, result.subjects)
    for rule in result.enabled:
        section = sections.get(rule.clause)
        if section is None:
            continue
        languages = set(rule.languages) - {"cross"}
        for path, language in result.skipped.items():
            if (language in languages or "any" in languages) and path not in section.unassessed:
                section.unassessed.append(path)
    for finding in result.active:
        rule = rules.get(finding.rule_id)
        if rule and rule.clause in sections:
            sections[rule.clause].findings.append(finding)
    for finding in result.baselined:
        rule = rules.get(finding.rule_id)
        if rule and rule.clause in sections:
            sections[rule.clause].known.append(finding)
    # An exception in force silences a finding of the clause; a comment that silences nothing
    # (DH004) or has expired (DH003) is a finding of DHP-5.3, not an exception.
    for sup in _in_force(result):
        named = {rules[i].clause for i in sup.rule_ids if i in rules}
        for clause in sorted(named & set(sections)):
            ids = [i for i in sup.rule_ids if i in rules and rules[i].clause == clause]
            if _set_aside(result, sup, ids):
                sections[clause].exceptions.append((sup, ids))
    for section in sections.values():
        for found in (section.findings, section.known):
            found.sort(
                key=lambda f: (SEVERITY_ORDER.index(f.severity), f.location.path,
                               f.location.start_line)
            )  # fmt: skip
    date = (today or dt.date.today()).isoformat()
    return Report(result, date, list(sections.values()), rules)


def _assessed(rule: Rule, scanned: set[str]) -> bool:
    """Whether a rule judged anything: a file of its language was checked (of any language for
    the rules about suppressions). A cross-language rule joins the code of its first language
    with one of the others at least (DH690: Python with manifests or Terraform)."""
    languages = [lang for lang in rule.languages if lang != "cross"]
    if "any" in languages:
        return bool(scanned)
    if "cross" in rule.languages:
        code, *context = languages
        return code in scanned and any(lang in scanned for lang in context)
    return any(lang in scanned for lang in languages)


def _components(rule: Rule) -> list[str]:
    """The programs a control-plane rule judges (its ``params.components``), else none."""
    components = rule.params.get("components") if isinstance(rule.params, dict) else None
    return list(components or ())


def _provisioners(rule: Rule) -> list[str]:
    """The StorageClass provisioners a rule judges (DH140's ``params.provisioners``), else
    none: a class of another provisioner (Longhorn, local-path) it passes over."""
    table = rule.params.get("provisioners") if isinstance(rule.params, dict) else None
    return list(table or ())


def _judges(rule: Rule, subjects: set[str]) -> bool:
    """Whether the files checked hold something a rule judges: a resource or object of one of
    its ``resources`` (a rule without them reads every file of its language), for the
    control-plane rules a container running one of its ``components``, and for DH140 a
    StorageClass of one of its ``provisioners``."""
    components = _components(rule)
    if components:
        return any(f"program:{name}" in subjects for name in components)
    provisioners = _provisioners(rule)
    if provisioners:
        return any(f"provisioner:{name}" in subjects for name in provisioners)
    return not rule.resources or any(
        kind in subjects or f"custom:{kind}" in subjects for kind in rule.resources
    )


def _left_unjudged(rule: Rule, subjects: set[str]) -> list[str]:
    """The objects of the files checked that are of a rule's kind but that it does not judge:
    StorageClasses of provisioners it does not know."""
    known = _provisioners(rule)
    present = sorted(s.split(":", 1)[1] for s in subjects if s.startswith("provisioner:"))
    others = [name for name in present if known and name not in known]
    if not others:
        return []
    names = ", ".join(f"`{name}`" for name in others)
    return [f"StorageClasses of provisioners {rule.id} does not judge ({names})"]


def _unread_custom(result: CheckResult) -> list[str]:
    """The custom resources of the files checked (an operator's database, broker, object
    store) whose kind no enabled rule reads: their settings are not assessed. A rule reads a
    custom kind it names with its group (``Cluster (postgresql.cnpg.io)``, not Cluster API's
    ``Cluster``), or by its kind alone."""
    read = {kind for rule in result.enabled for kind in rule.resources}
    found = (s.split(":", 1)[1] for s in result.subjects if s.startswith("custom:"))
    return sorted(c for c in found if c not in read and c.split(" ", 1)[0] not in read)


def _why(rule: Rule) -> str:
    """The first paragraph of a rule's rationale: why it matters, in plain words."""
    return rule.rationale.strip().split("\n\n", 1)[0].replace("\n", " ")


def _found_rules(section: ClauseSection, rules: dict[str, Rule]) -> list[Rule]:
    """The rules of a clause's findings (open, then known), each once, in order."""
    ids = dict.fromkeys(f.rule_id for f in (*section.findings, *section.known))
    return [rules[i] for i in ids if i in rules]


def _in_force(result: CheckResult) -> list[Suppression]:
    """The suppression comments and policy exceptions that silence at least one finding: the
    exceptions in force."""
    used = {f.suppressed_by for f in result.suppressed}
    return [sup for sup in result.suppressions if sup in used]


def _where(sup: Suppression) -> tuple[str, str]:
    """Where an exception is written, and, for the policy's, the paths it covers."""
    where = f"{sup.path}:{sup.line}" if sup.line else sup.path
    return where, ", ".join(sup.patterns)


def _set_aside(result: CheckResult, sup: Suppression, ids: list[str]) -> list[str]:
    """What a documented exception silences of the rules ``ids`` (a clause's): the messages
    of those suppressed findings."""
    return [
        # a policy exception covers other files: which one it is
        f"{f.location.path}: {f.message}" if sup.patterns else f.message
        for f in result.suppressed
        if f.suppressed_by == sup and f.rule_id in ids
    ]


def _languages(result: CheckResult) -> str:
    parts = [f"{LANGUAGE_NAMES.get(k, k)}: {v}" for k, v in sorted(result.languages.items())]
    return ", ".join(parts) or "none"


def _skipped_languages(result: CheckResult) -> str:
    counts: dict[str, int] = {}
    for language in result.skipped.values():
        counts[language] = counts.get(language, 0) + 1
    return ", ".join(f"{LANGUAGE_NAMES.get(k, k)}: {v}" for k, v in sorted(counts.items()))


def _unchecked(result: CheckResult) -> list:
    """Diagnostics of files not (fully) assessed: problems, and the notes of skipped files."""
    return [d for d in result.diagnostics if d.level != "note" or d.path in result.skipped]


def _unchecked_heading(result: CheckResult, unchecked: list) -> str:
    # A skipped file (a Helm template) was left out by design, not a failure to read it.
    skipped = sum(d.path in result.skipped and d.level == "note" for d in unchecked)
    if skipped == len(unchecked):
        return "Files skipped"
    if skipped:
        return "Files skipped or not fully checked"
    return "Files that could not be fully checked"


def _unread_note(result: CheckResult, limit: int = 10) -> str:
    """What the files checked hold that no rule reads, so no clause assessed it: custom
    resources of Kubernetes operators, and Terraform resources of data services."""
    parts = []
    custom = _unread_custom(result)
    if custom:
        # "Kind (group)": the kind as code
        shown = ", ".join(
            f"`{kind}` {group}" for kind, _, group in (u.partition(" ") for u in custom[:limit])
        )
        more = f" and {len(custom) - limit} more" if len(custom) > limit else ""
        n = len(custom)
        parts.append(
            f"{n} kind{'s' if n != 1 else ''} of custom resource that no rule reads: "
            f"{shown}{more}. No clause assesses their settings (where an operator's database, "
            "Kafka cluster or object store sets its storage, TLS, backups and retention)"
        )
    services = _unread_services(result)
    if services:
        shown = ", ".join(f"`{t}`" for t in services[:limit])
        more = f" and {len(services) - limit} more" if len(services) > limit else ""
        n = len(services)
        parts.append(
            f"{n} Terraform resource type{'s' if n != 1 else ''} of data services that no "
            f"rule reads: {shown}{more}. No clause assesses their settings (their encryption, "
            "network exposure, retention and where they send data)"
        )
    grants = _unread_grants(result)
    if grants:
        shown = ", ".join(f"`{t}`" for t in grants)
        n = len(grants)
        parts.append(
            f"{n} Terraform resource type{'s' if n != 1 else ''} that grant{'' if n != 1 else 's'}"
            f" the right to call a service, which no rule reads: {shown}. No clause assesses "
            "who may call these services (`allUsers` makes one public: intended for a public "
            "API, not for one that serves personal data)"
        )
    return ". ".join(parts)


# Terraform resource types of services that store, move or process data, by the part of the
# name after the provider: a resource of one of these types that no rule reads is named in the
# report as not assessed (probe40 P9: EMR, Glue, MWAA, Lake Formation and Transfer Family
# resources read as if the report were complete). Networks, IAM, keys and the like are not
# listed: they hold no data of their own.
_DATA_SERVICES = re.compile(
    r"(?:aws|google|azurerm)_(?:"
    r"emr|glue|mwaa|lakeformation|transfer|redshift|redshiftserverless|athena|sagemaker|"
    r"opensearch|elasticsearch|msk|docdb|neptune|timestream|memorydb|elasticache|dms|"
    r"datasync|kinesis|dynamodb|rds|db|s3|efs|fsx|backup|sqs|sns|mq|appflow|quicksight|"
    r"bigquery|bigtable|spanner|sql|storage|pubsub|firestore|datastream|dataproc|dataflow|"
    r"composer|healthcare|alloydb|redis|memcache|filestore|"
    r"synapse|data_factory|databricks|hdinsight|cosmosdb|mssql|postgresql|mysql|eventhub|"
    r"servicebus|stream_analytics|data_lake|search_service|kusto|purview|"
    # mail, messaging, APIs, device positions and sign-in directories that carry residents'
    # personal data (probe43 P6)
    r"ses|sesv2|pinpoint|api_gateway|apigatewayv2|location|cognito|"
    # services whose provider prefix runs on past the word above (probe44 P7, probe45 08):
    # Timestream's write/query/InfluxDB, OpenSearch Serverless, MSK Connect; Keyspaces
    # (Cassandra), IoT Hub (device telemetry) and Application Insights (the hub of telemetry,
    # not its web tests and workbooks)
    r"timestreamwrite|timestreamquery|timestreaminfluxdb|opensearchserverless|mskconnect|"
    r"keyspaces|iothub|application_insights(?=_$)"
    r")_"
)
# Types of those services that carry no settings a data-handling clause is about (a user's
# credentials are judged in every resource by the credential rules).
_NO_DATA_SETTINGS = ("_subnet_group", "_alias", "_tag", "_tags", "_attachment", "_user")
# ... and the parts of an API that only shape it (paths, models, responses, deployments).
_API_PLUMBING = re.compile(
    r"aws_api_?gateway(?:v2)?_(?:resource|deployment|model|base_path_mapping|api_mapping|"
    r"method_response|integration_response|route_response|gateway_response|request_validator|"
    r"documentation_part|documentation_version|usage_plan|usage_plan_key|api_key|account)$"
)


# Grants of the right to call a Cloud Run service or a Cloud Function (``roles/run.invoker``,
# ``roles/cloudfunctions.invoker`` to ``allUsers`` or a group): no rule judges them, since the
# Terraform does not say whether the service serves personal data (DHP-1.3's test) and a public
# API is often intended; a report on files that hold them names them as not assessed.
_SERVICE_GRANTS = re.compile(
    r"google_(?:cloud_run(?:_v2)?_service|cloudfunctions2?_function)_iam_(?:member|binding|policy)"
)


def _unread_grants(result: CheckResult) -> list[str]:
    """The resource types of the files checked that grant the right to call a service
    (``_SERVICE_GRANTS``) and that no enabled rule reads."""
    read = {kind for rule in result.enabled for kind in rule.resources}
    return sorted(s for s in result.subjects if _SERVICE_GRANTS.fullmatch(s) and s not in read)


def _unread_services(result: CheckResult) -> list[str]:
    """The Terraform resource types of data services in the files checked that no enabled
    rule reads (Terraform subjects are bare resource types; Kubernetes's have a prefix). A
    resource the model attaches to a store (a bucket's policy, an account's customer-managed
    key) is read with it."""
    types = [s for s in result.subjects if ":" not in s]
    if not types:
        return []
    from dhlint.models.terraform import LINKS

    read = {kind for rule in result.enabled for kind in rule.resources}
    read.update(link[0] for link in LINKS)
    return sorted(
        s
        for s in types
        if s not in read
        and _DATA_SERVICES.match(s + "_")
        and not s.endswith(_NO_DATA_SETTINGS)
        and not _API_PLUMBING.match(s)
    )


def _not_assessed(section: ClauseSection, limit: int = 10) -> str:
    """What of a clause was not assessed: the clause itself (why), sub-clauses with nothing to
    judge, skipped files its rules would have read (the first few)."""
    parts = []
    children = section.unassessed_children
    if section.status == "Not assessed":
        parts.append(_nothing_judged(section, limit))
    elif children:
        n = len(children)
        names = ", ".join(c.clause_id for c in children)
        parts.append(
            f"{n} of its {len(section.children)} sub-clauses not assessed ({names}): the files "
            "checked hold nothing their rules judge."
        )
    if section.unjudged:
        parts.append(f"Not assessed: {'; '.join(dict.fromkeys(section.unjudged))}.")
    files = section.missed
    if files:
        shown = ", ".join(f"`{p}`" for p in files[:limit])
        more = f" and {len(files) - limit} more" if len(files) > limit else ""
        n = len(files)
        parts.append(f"Not assessed in {n} skipped file{'s' if n != 1 else ''}: {shown}{more}.")
    return " ".join(parts)


_FILE_KINDS = {
    "python": "Python file",
    "terraform": "Terraform file",
    "kubernetes": "manifest",
    "dataset": "data file",
    "any": "file",
}


def _pass_note(section: ClauseSection) -> str:
    """For a clause that passes only through rules that read every file of their languages
    (no resources to look for: the Python flow rules, the data file rules), what its Pass does
    not say: dhlint does not record whether those files held anything the rules judge."""
    if section.status != "Pass" or not section.rules:
        return ""
    if any(r.resources or _components(r) or _provisioners(r) for r in section.rules):
        return ""  # something of what one of its rules judges was found
    languages = [lang for r in section.rules for lang in r.languages if lang != "cross"]
    kinds = " and ".join(dict.fromkeys(_FILE_KINDS.get(lang, lang) for lang in languages))
    return (
        f"No finding. Its rules read every {kinds} checked without recording whether it held "
        "anything they judge: files with nothing of the kind pass as well."
    )


def _idle_rules(section: ClauseSection) -> list[Rule]:
    """The rules of a clause and its sub-clauses that had nothing to judge."""
    rules = list(section.idle)
    for child in section.children:
        rules += _idle_rules(child)
    return rules


def _nothing_judged(section: ClauseSection, limit: int) -> str:
    """Why a clause is not assessed: the files checked hold none of the resources its rules
    judge (named, the first few), or none is of a kind its rules read at all."""
    kinds: dict[str, None] = {}
    for rule in _idle_rules(section):
        if _provisioners(rule):
            kinds[f"`StorageClass` of a provisioner {rule.id} judges"] = None
        else:
            kinds.update(dict.fromkeys(f"`{k}`" for k in _components(rule) or rule.resources))
    if not kinds:
        return "Not assessed: none of the files checked is of a kind its rules read."
    shown = ", ".join(list(kinds)[:limit])
    more = f" and {len(kinds) - limit} more" if len(kinds) > limit else ""
    return f"Not assessed: the files checked hold none of what its rules judge ({shown}{more})."


def _idle_note(section: ClauseSection) -> str:
    """The rules of a clause that had nothing to judge, when others did."""
    n = len(section.idle)
    names = ", ".join(f"{r.id} {r.title}" for r in section.idle)
    return (
        f"{n} more rule{'s' if n != 1 else ''} had nothing to judge in the files checked: {names}."
    )


def _counts(result: CheckResult) -> str:
    """The headline's numbers: open findings, those a baseline records, exceptions."""

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    text = plural(len(result.active), "open finding")
    if result.baselined:
        text += f" and {plural(len(result.baselined), 'known finding')} recorded in the baseline"
    exceptions = len(_in_force(result))
    text += f", {plural(exceptions, 'documented exception')}"
    if len(result.suppressed) != exceptions:  # one comment may set aside several findings
        text += f" setting aside {plural(len(result.suppressed), 'finding')}"
    return text


_KNOWN = "known: recorded in the baseline"


def _rows(section: ClauseSection) -> list[tuple[Finding, bool]]:
    """A clause's findings for its table: the open ones, then those a baseline records."""
    return [(f, False) for f in section.findings] + [(f, True) for f in section.known]


def _verdict(report: Report) -> str:
    failing = sum(1 for s in report.sections if s.status == "Fail")
    if failing:
        return f"{failing} policy clause{'s' if failing != 1 else ''} not met"
    if not any(s.status == "Pass" for s in report.sections):
        return "No clause could be fully assessed"  # nothing met, nothing broken either
    return "All assessed clauses are met"


def _html_text(text: str) -> str:
    """Catalogue prose for HTML: escaped, with its `code spans` as code."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


def link_base(root: Path, output_file: str | None) -> str:
    """What a report's file links start with so that they resolve from where it is written:
    the repository root relative to the output file's directory (``""`` on stdout, or when
    the report is written at the root), or the root's ``file:`` URI when no relative path
    leads there (another drive)."""
    if not output_file:
        return ""
    directory = Path(output_file).resolve().parent
    try:
        rel = os.path.relpath(root.resolve(), directory)
    except ValueError:
        return root.resolve().as_uri() + "/"
    return "" if rel == "." else quote(Path(rel).as_posix()) + "/"


def _file_link(finding: Finding, base: str = "") -> str:
    loc = finding.location
    return f"{base}{quote(loc.path)}#L{loc.start_line}"


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1b1f24;
background:#f6f7f9;line-height:1.5}
main{max-width:980px;margin:0 auto;padding:24px}
header{background:#0b3d5c;color:#fff;padding:24px}
header h1{margin:0 0 8px;font-size:1.6em}
header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
header dt{opacity:.8}header dd{margin:0}header code{background:#0f5079;color:#fff}
.verdict{font-size:1.15em;padding:12px 16px;border-radius:8px;margin:16px 0;background:#fff;
border-left:6px solid #2e7d32}
.verdict.fail{border-left-color:#c62828}
section.clause{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
section.clause.sub{margin-left:24px}
.status{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;
font-size:.85em;margin-left:8px}
.Pass{background:#e3f3e5;color:#1b5e20}.Fail{background:#fde7e7;color:#b71c1c}
.na{background:#eceff1;color:#455a64}.partial{background:#fff3e0;color:#e65100}
.clause-text{color:#37474f}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e0e3e7;vertical-align:top;
overflow-wrap:anywhere}
th{background:#f0f2f5;font-weight:600}
.sev{font-weight:600}.critical,.high{color:#b71c1c}.medium{color:#e65100}.low,.info{color:#455a64}
details{margin-top:4px}code{font-size:.92em;background:#f0f2f5;padding:1px 4px;border-radius:4px}
footer{color:#607d8b;font-size:.85em;margin:24px 0}
"""


def render_html(result: CheckResult, today: dt.date | None = None, base: str = "") -> str:
    """The report as one HTML page; ``base`` starts its file links (see ``link_base``)."""
    report = build(result, today)
    e = html.escape
    policy = result.policy
    failing = [s for s in report.sections if s.status == "Fail"]
    unread = _unread_note(result)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Data-handling compliance report: {e(policy.name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header><h1>Data-handling compliance report</h1><dl>",
        f"<dt>Policy</dt><dd>{e(policy.name)}, version {e(policy.version)}</dd>",
        f"<dt>Policy fingerprint</dt><dd><code>sha256 {e(policy.hash)}</code></dd>",
        f"<dt>Checked by</dt><dd>dhlint {e(__version__)}</dd>",
        f"<dt>Repository</dt><dd>{e(result.root.name)}</dd>",
        f"<dt>Files checked</dt><dd>{len(result.files)} ({e(_languages(result))})</dd>",
        *(
            [
                f"<dt>Files skipped</dt><dd>{len(result.skipped)} "
                f"({e(_skipped_languages(result))})</dd>"
            ]
            if result.skipped
            else []
        ),
        *([f"<dt>Not assessed</dt><dd>{_html_text(unread)}</dd>"] if unread else []),
        f"<dt>Date</dt><dd>{e(report.date)}</dd>",
        "</dl></header><main>",
    ]
    if failing:
        out.append(
            f'<p class="verdict fail"><strong>{_verdict(report)}</strong>: '
            f"{e(_counts(result))}.</p>"
        )
    else:
        out.append(
            f'<p class="verdict"><strong>{_verdict(report)}.</strong> {e(_counts(result))}.</p>'
        )
    unchecked = _unchecked(result)
    if unchecked:
        out.append(f'<section class="clause"><h2>{_unchecked_heading(result, unchecked)}</h2>')
        out.append("<p>These files were not assessed; they are not reported as compliant.</p><ul>")
        out += [f"<li><code>{e(d.path or 'dhlint')}</code>: {e(d.message)}</li>" for d in unchecked]
        out.append("</ul></section>")
    for s in report.sections:
        sub = " sub" if s.parent else ""
        status_cls = {"Not assessed": "na", "Not fully assessed": "partial"}.get(s.status, s.status)
        level = "h3" if s.parent else "h2"
        out.append(f'<section class="clause{sub}" id="{e(s.clause_id)}">')
        out.append(
            f"<{level}>{e(s.clause_id)} {e(s.title)}"
            f'<span class="status {status_cls}">{e(s.status)}</span></{level}>'
        )
        out.append(f'<p class="clause-text">{e(s.text)}</p>')
        missing = _not_assessed(s)
        if missing:
            note = _html_text(missing)
            out.append(f"<p><strong>{note}</strong></p>")
        if _pass_note(s):
            out.append(f"<p>{e(_pass_note(s))}</p>")
        if s.rules:
            checks = ", ".join(f"{e(r.id)} {e(r.title)}" for r in s.rules)
            count = f"{len(s.rules)} rule{'s' if len(s.rules) != 1 else ''}"
            idle = f"<p>{e(_idle_note(s))}</p>" if s.idle else ""
            out.append(f"<details><summary>Checked by {count}</summary>")
            out.append(f"<p>{checks}</p>{idle}</details>")
        if s.findings or s.known:
            out.append(
                "<table><thead><tr><th>Where</th><th>Severity</th><th>What was found</th>"
                "<th>How to fix</th></tr></thead><tbody>"
            )
            for f, known in _rows(s):
                rule = report.rules[f.rule_id]
                where = f"{f.location.path}:{f.location.start_line}"
                tag = f" · {_KNOWN}" if known else ""
                what = e(noted_message(f))
                out.append(
                    f'<tr><td><a href="{e(_file_link(f, base))}"><code>{e(where)}</code></a></td>'
                    f'<td class="sev {e(f.severity)}">{e(f.severity)}</td>'
                    f"<td>{what}<br><small>{e(f.rule_id)} {e(rule.name)}{tag}</small></td>"
                    f"<td>{_html_text(rule.remediation)}</td></tr>"
                )
            out.append("</tbody></table>")
            out.append("<h4>Why it matters</h4><dl>")
            for rule in _found_rules(s, report.rules):
                out.append(
                    f"<dt>{e(rule.id)} {e(rule.title)}</dt><dd>{_html_text(_why(rule))}</dd>"
                )
            out.append("</dl>")
        if s.exceptions:
            out.append("<h4>Documented exceptions</h4><table><thead><tr><th>Where</th>")
            out.append("<th>Rules</th><th>What it sets aside</th><th>Reason</th>")
            out.append("<th>Expires</th></tr></thead><tbody>")
            for sup, ids in s.exceptions:
                aside = (
                    "<br>".join(e(m) for m in _set_aside(result, sup, ids)) or "<em>nothing</em>"
                )
                where, covers = _where(sup)
                cell = f"<code>{e(where)}</code>"
                if covers:
                    cell += f" (policy exception for <code>{e(covers)}</code>)"
                out.append(
                    f"<tr><td>{cell}</td>"
                    f"<td>{e(', '.join(ids))}</td><td>{aside}</td>"
                    f"<td>{e(sup.reason) or '<em>no reason given</em>'}</td>"
                    f"<td>{e(sup.until or 'no expiry')}</td></tr>"
                )
            out.append("</tbody></table>")
        out.append("</section>")
    out.append(
        "<footer>Generated by dhlint. Each clause is assessed by the rules listed under it; "
        "a clause whose rules had nothing to judge in the files checked (no file of their "
        "kind, or none of the resources they judge) is marked Not assessed, and one whose "
        "rules could not read some files (skipped), or with sub-clauses not assessed, is marked "
        "Not fully assessed. A finding recorded in a baseline is known, not new: its clause is "
        "not met all the same.</footer>"
    )
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: CheckResult, today: dt.date | None = None, base: str = "") -> str:
    """The report in Markdown; ``base`` starts its file links (see ``link_base``)."""
    report = build(result, today)
    policy = result.policy
    unread = _unread_note(result)
    out = [
        "# Data-handling compliance report",
        "",
        f"- **Policy:** {policy.name}, version {policy.version} (sha256 `{policy.hash[:12]}`)",
        f"- **Checked by:** dhlint {__version__}",
        f"- **Repository:** {result.root.name}",
        f"- **Files checked:** {len(result.files)} ({_languages(result)})",
        *(
            [f"- **Files skipped:** {len(result.skipped)} ({_skipped_languages(result)})"]
            if result.skipped
            else []
        ),
        *([f"- **Not assessed:** {unread}"] if unread else []),
        f"- **Date:** {report.date}",
        "",
        f"**{_verdict(report)}: {_counts(result)}.**",
        "",
    ]
    unchecked = _unchecked(result)
    if unchecked:
        out += [f"## {_unchecked_heading(result, unchecked)}", ""]
        out += ["These files were not assessed; they are not reported as compliant.", ""]
        out += [f"- `{d.path or 'dhlint'}`: {d.message}" for d in unchecked] + [""]
    for s in report.sections:
        heading = "###" if s.parent else "##"
        out += [f"{heading} {s.clause_id} {s.title}: {s.status}", "", s.text, ""]
        missing = _not_assessed(s)
        if missing:
            out += [missing, ""]
        if _pass_note(s):
            out += [_pass_note(s), ""]
        if s.rules:
            checks = ", ".join(f"{r.id} {r.title}" for r in s.rules)
            out += [
                f"Checked by {len(s.rules)} rule{'s' if len(s.rules) != 1 else ''}: {checks}.",
                "",
            ]
            if s.idle:
                out += [_idle_note(s), ""]
        if s.findings or s.known:
            out += ["| Where | Severity | What was found | How to fix |", "|---|---|---|---|"]
            for f, known in _rows(s):
                rule = report.rules[f.rule_id]
                where = f"[`{f.location.path}:{f.location.start_line}`]({_file_link(f, base)})"
                tag = f"; {_KNOWN}" if known else ""
                out.append(
                    f"| {where} | {f.severity} | {_md(noted_message(f))} ({f.rule_id}{tag}) "
                    f"| {_md(rule.remediation)} |"
                )
            out += ["", "Why it matters:", ""]
            out += [f"- **{r.id} {r.title}**: {_why(r)}" for r in _found_rules(s, report.rules)]
            out.append("")
        if s.exceptions:
            out += ["Documented exceptions:", ""]
            for sup, ids in s.exceptions:
                until = f", expires {sup.until}" if sup.until else ""
                aside = "; ".join(_set_aside(result, sup, ids))
                where, covers = _where(sup)
                policy = f" (policy exception for `{covers}`)" if covers else ""
                out.append(
                    f"- `{where}`{policy} {', '.join(ids)}: "
                    f"{sup.reason or '*no reason given*'}{until}"
                    + (f" (sets aside: {aside})" if aside else "")
                )
            out.append("")
    return "\n".join(out).rstrip() + "\n"
