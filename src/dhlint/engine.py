"""Files to findings: discover -> build models -> run detectors -> findings -> suppress.

``run_check`` is the one entry point; the CLI, the tests and the pre-commit hook all use it.
Parsers and detectors are imported only for languages and rules that the run needs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dhlint import suppress
from dhlint.analysis import BuildEnv, Context, Workspace, load_detector
from dhlint.cache import Cache, default_cache_dir
from dhlint.catalog import CatalogError, Rule, load_catalog, rules_by_id
from dhlint.discovery import DEFAULT_MAX_BYTES, discover, find_root
from dhlint.inventory.own_hosts import HOST_DETECTORS, refine, without_hosts
from dhlint.inventory.own_hosts import index as own_hosts_index
from dhlint.policy import SEVERITIES, Policy, PolicyError, find_policy
from dhlint.types import Diagnostic, Finding, Hit, Related, SourceFile, Suppression
from dhlint.units import Job, detector_language, internal, make_finding, plan_units, run_units


class ConfigError(Exception):
    """A usage or configuration problem: the run cannot start (exit code 2)."""


@dataclass
class CheckOptions:
    paths: Sequence[str] = (".",)
    policy_file: str | None = None
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    extend_select: Sequence[str] = ()
    var_files: Sequence[str] = ()
    stdin_text: str | None = None
    stdin_filename: str | None = None
    cwd: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    today: dt.date | None = None  # for suppression expiry (tests pin it)
    jobs: int = 0  # worker processes; 0 = as many as the machine has (when it pays)
    cache: bool = False
    cache_dir: str | None = None
    timeout: float = 60.0  # seconds per unit of work (a Python file, a Terraform tree)
    collect_facts: bool = False  # inventory facts even without cross-artifact rules
    fail_on: str | None = None  # the least severe finding that fails the run (policy's if None)
    # The model builders' switches (``BuildEnv.options``), for dev tools: e.g.
    # ``{"python_full_analysis": True}`` turns the Python pre-filter off (``prefilter_check``).
    build_options: dict = field(default_factory=dict)


@dataclass
class CheckResult:
    root: Path
    policy: Policy
    catalog: tuple[Rule, ...]
    enabled: tuple[Rule, ...]
    findings: list[Finding] = field(default_factory=list)  # suppressed ones included
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files checked (targets)
    languages: dict[str, int] = field(default_factory=dict)  # files checked per input kind
    # Targets their model did not read (a Helm chart template): path -> input kind. Not checked.
    skipped: dict[str, str] = field(default_factory=dict)
    # What the checked files hold for rules to judge: resource types, kinds, programs (see the
    # models' ``subjects``). A rule whose ``resources`` are none of them judged nothing.
    subjects: set[str] = field(default_factory=set)
    # Every inline suppression, then the policy's exceptions (``Suppression.patterns``).
    suppressions: list[Suppression] = field(default_factory=list)
    # Findings a baseline already records: not reported as new (the compliance report counts
    # them under their clauses).
    baselined: list[Finding] = field(default_factory=list)
    cache: Cache | None = None
    workspace: Workspace | None = None  # inventory facts, when collected
    fail_on: str = "info"  # the least severe finding that fails the run (``failing``)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed_by is None]

    @property
    def failing(self) -> list[Finding]:
        """The active findings at or above the ``fail_on`` severity: they fail the run."""
        least = SEVERITIES.index(self.fail_on)
        return [f for f in self.active if SEVERITIES.index(f.severity) <= least]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed_by is not None]

    @property
    def internal_errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.kind == "internal"]


def _matches(token: str, rule: Rule) -> bool:
    token = token.strip()
    upper = token.upper()
    return (
        upper == "ALL"
        or rule.id.startswith(upper)
        or upper in rule.aliases
        or token in (rule.name, rule.family)
    )


def _check_tokens(tokens: Sequence[str], catalog: tuple[Rule, ...], where: str) -> None:
    for token in tokens:
        if not any(_matches(token, r) for r in catalog):
            raise ConfigError(
                f"{where}: '{token}' is not a rule id, id prefix, rule name or family "
                "(see `dhlint rules`)"
            )


def select_rules(
    catalog: tuple[Rule, ...], policy: Policy, options: CheckOptions
) -> tuple[Rule, ...]:
    """Policy select/ignore, then the command line: ``--select`` replaces, ``--ignore`` adds."""
    settings = policy.settings
    _check_tokens(settings["select"], catalog, f"{policy.source}: key 'select'")
    _check_tokens(settings["ignore"], catalog, f"{policy.source}: key 'ignore'")
    table = rules_by_id(catalog)
    for rule_id in settings["severity"]:
        if rule_id.upper() not in table:
            raise ConfigError(f"{policy.source}: key 'severity.{rule_id}': unknown rule id")
    _check_tokens(options.select, catalog, "--select")
    _check_tokens(options.ignore, catalog, "--ignore")
    _check_tokens(options.extend_select, catalog, "--extend-select")

    select = list(options.select) or list(settings["select"])
    if select:
        chosen = [r for r in catalog if any(_matches(t, r) for t in select)]
    else:
        chosen = [r for r in catalog if r.status != "deprecated"]
    extra = [r for r in catalog if any(_matches(t, r) for t in options.extend_select)]
    chosen += [r for r in extra if r not in chosen]
    ignore = list(settings["ignore"]) + list(options.ignore)
    chosen = [r for r in chosen if not any(_matches(t, r) for t in ignore)]
    return tuple(sorted(chosen, key=lambda r: r.id))


def fingerprint(finding: Finding) -> str:
    """Stable across unrelated edits: rule, file and anchor, never line numbers."""
    anchor = finding.anchor or finding.message
    key = f"{finding.rule_id}\0{finding.location.path}\0{anchor}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def policy_exceptions(policy: Policy, catalog: tuple[Rule, ...], root: Path) -> list[Suppression]:
    """The policy's ``exceptions``, as suppressions of the rules they name (ids, names,
    prefixes or families, as ``select`` takes them) on the paths they name (gitignore
    syntax, relative to the root). A name no rule has is a configuration error."""
    entries = policy.settings["exceptions"]
    if not entries:
        return []
    try:
        shown = Path(policy.file).resolve().relative_to(root).as_posix()
    except ValueError:
        shown = Path(policy.file).as_posix()
    shown = shown if policy.file else policy.source  # settings given as a mapping
    lines = policy.exception_lines
    out = []
    for index, entry in enumerate(entries):
        _check_tokens(entry["rules"], catalog, f"{policy.source}: key 'exceptions[{index}].rules'")
        ids = tuple(r.id for r in catalog if any(_matches(t, r) for t in entry["rules"]))
        line = lines[index] if index < len(lines) else 0
        out.append(
            Suppression(
                shown,
                line,
                0,
                ids,
                entry["reason"],
                until=entry.get("until"),
                file_level=True,
                written=tuple(entry["rules"]),
                patterns=tuple(entry["paths"]),
            )
        )
    return out


def load_context(options: CheckOptions) -> tuple[Path, Path, Policy, tuple[Rule, ...]]:
    cwd = Path(options.cwd or Path.cwd()).resolve()
    real_paths = [p for p in options.paths if p != "-"]
    start = cwd / real_paths[0] if real_paths else cwd
    root = find_root(start if start.exists() else cwd)
    try:
        policy = find_policy(root, options.policy_file)
        catalog = load_catalog()
    except (PolicyError, CatalogError) as exc:
        raise ConfigError(str(exc)) from None
    return cwd, root, policy, catalog


def run_check(options: CheckOptions) -> CheckResult:
    cwd, root, policy, catalog = load_context(options)
    fail_on = options.fail_on or policy.settings["fail_on"]
    if fail_on not in SEVERITIES:  # the CLI gives one of them; a library caller may not
        raise ConfigError(f"fail_on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}")
    for var_file in options.var_files:  # a configuration error, like a missing --policy
        if not (cwd / var_file).is_file():
            raise ConfigError(f"--var-file {var_file}: no such file")
    enabled = select_rules(catalog, policy, options)
    exceptions = policy_exceptions(policy, catalog, root)
    own_hosts = any(r.detector in HOST_DETECTORS for r in enabled)
    found = discover(
        options.paths,
        root,
        exclude=policy.settings["exclude"],
        datasets=policy.settings["datasets"],
        stdin_text=options.stdin_text,
        stdin_filename=options.stdin_filename,
        max_bytes=options.max_bytes,
        cwd=cwd,
    )
    result = CheckResult(root, policy, catalog, enabled, diagnostics=list(found.diagnostics))
    result.fail_on = fail_on
    job = Job(
        policy=policy,
        rules=tuple(r for r in enabled if detector_language(r) not in ("tool", "cross")),
        env=BuildEnv(
            policy=policy,
            root=str(root),
            var_files=[str((cwd / v).resolve()) for v in options.var_files],
            options=dict(options.build_options),
        ),
        timeout=options.timeout,
        # Every cross rule joins what a Python file reads or writes to the stores and workloads
        # of the other files (``inventory.join``): without Python, none has anything to join,
        # and the facts of a Terraform-only run were a tenth of its model building for nothing.
        collect_facts=options.collect_facts
        or (
            any(detector_language(r) == "cross" for r in enabled)
            and any(source.language == "python" for source in found.files)
        ),
        own_hosts=own_hosts,
    )
    cache = None
    if options.cache and options.stdin_text is None:
        cache = Cache(Path(cwd, options.cache_dir) if options.cache_dir else default_cache_dir())
    findings: dict[tuple, Finding] = {}

    def keep(finding: Finding) -> None:
        # A finding on a file read only as context (pre-commit) is reported when a file named
        # holds a related location or a step of its flow: the value's origin that the commit
        # changed (a tfvars entry, a module argument). Else it is context only.
        if finding.location.path in found.targets or any(
            r.location.path in found.targets for r in (*finding.related, *finding.flow)
        ):
            findings.setdefault((finding.rule_id, finding.location, finding.anchor), finding)

    workspace = Workspace(root=str(root))
    for source in found.files:
        workspace.files.setdefault(source.language, []).append(source.path)
    for unit in run_units(plan_units(found.files, job), job, cache, options.jobs):
        result.diagnostics.extend(unit.diagnostics)
        for finding in unit.findings:
            keep(finding)
        for entry in unit.facts:
            workspace.facts.setdefault(entry["language"], []).append(entry["facts"])
        result.subjects.update(s for path, s in unit.subjects if path in found.targets)
    read = {s.path for s in found.files} | found.unread_context
    host_context = None
    if own_hosts and found.named & {"python", "kubernetes"}:
        # A Python file or manifest named alone (pre-commit): the repository's Terraform may
        # define the hosts it names, read only when one is judged, and only where it can.
        from dhlint.inventory.own_context import HostContext

        host_context = HostContext(
            root, policy.settings["exclude"], read, options.max_bytes, job, cache
        )
        workspace.host_context = host_context
    if own_hosts:
        _without_own_hosts(findings, result, workspace, policy)
    for rule in enabled:
        if detector_language(rule) != "cross":
            continue
        try:
            detect = load_detector(rule.detector)
            for hit in detect(workspace, Context(rule=rule, policy=policy)):
                keep(make_finding(rule, policy, hit))
        except Exception as exc:
            result.diagnostics.append(internal(f"rule {rule.id} ({rule.name})", exc))
    _defaults_deployments_set(findings, result)
    if host_context is not None:  # what DH640/DH660/DH690 read (the inventory's is later)
        result.diagnostics.extend(host_context.diagnostics)
    result.workspace = workspace
    result.cache = cache
    # A target its model skipped (a note: a Helm chart template) was not checked: counting it
    # would let a report read "Pass" for files dhlint never read.
    skipped = {d.path for d in result.diagnostics if d.kind == "skipped"}
    result.files = sorted(found.targets - skipped)
    for source in found.files:
        if source.path in skipped and source.path in found.targets:
            result.skipped[source.path] = source.language
        elif source.path in found.targets:
            result.languages[source.language] = result.languages.get(source.language, 0) + 1

    result.findings = _suppress(list(findings.values()), found.files, result, options)
    if exceptions:
        result.findings = _except(result, exceptions, options.today)
    result.findings.sort(key=lambda f: f.sort_key)
    # A file read only as context for the named ones (the rest of a Terraform module, the
    # other manifests) that cannot be parsed or read fails nothing: its facts are missing, and
    # it says so. One its model skipped (a Helm chart template among the manifests of a
    # one-file run) says nothing: the note is for a run that names it, or the whole tree.
    context = (read | (host_context.paths if host_context else set())) - found.targets
    result.diagnostics = sorted(
        {
            replace(d, level="warning", message=f"{d.message} (read only as context)")
            if d.path in context and d.level == "error" and d.kind != "internal"
            else d
            for d in result.diagnostics
            if not (d.kind == "skipped" and d.path in context)
        },
        key=lambda d: (d.path, d.line, d.col, d.kind, d.message),
    )
    return result


def _without_own_hosts(
    findings: dict[tuple, Finding], result: CheckResult, workspace: Workspace, policy: Policy
) -> None:
    """The run-wide step of ``own_hosts``: the per-file vendor findings (cached or not) lose
    the hosts the run's Terraform defines, before suppressions and reports see them."""
    hosts = [(p.host, p.url) for f in findings.values() for p in f.hosts]
    if not hosts:
        return  # nothing to judge: no Terraform context is read
    own = own_hosts_index(workspace, policy)
    own.prepare(hosts)  # all the context they need, at once
    if not own:
        return
    table = rules_by_id(result.catalog)
    for key, finding in list(findings.items()):
        if finding.hosts:
            refined = refine(finding, table[finding.rule_id], own)
            if refined is None:
                del findings[key]
            else:
                findings[key] = refined


def _defaults_deployments_set(findings: dict[tuple, Finding], result: CheckResult) -> None:
    """One send, one finding (probe35): a call to ``os.environ.get("PARTNER_URL",
    "https://partner.example.com")`` that a deployment runs with PARTNER_URL set to that same
    unapproved host was DH660 (the default) and DH690 (the deployment's value) at one line.
    Where deployed, the deployment's value is what runs: DH690 reports it, with the default's
    location as related; DH660 keeps the hosts of defaults no deployment sets (a default of
    another host still runs wherever the variable is not set, and stays reported)."""
    deployed = {
        (f.location, p.host): key
        for key, f in findings.items()
        if f.rule_id == "DH690"
        for p in f.hosts
    }
    if not deployed:
        return
    from dhlint.detectors.python.vendor_host import from_env_default  # (not for other runs)

    table = rules_by_id(result.catalog)
    for key, finding in list(findings.items()):
        if finding.rule_id != "DH660":
            continue
        moved = [
            p
            for p in finding.hosts
            if from_env_default(p) and (finding.location, p.host) in deployed
        ]
        if not moved:
            continue
        for part in moved:
            other = deployed[(finding.location, part.host)]
            also = [
                Related(r.location, f"the code's default is '{part.host}' too")
                for r in part.related
            ]
            findings[other] = replace(
                findings[other], related=tuple(dict.fromkeys((*findings[other].related, *also)))
            )
        rest = without_hosts(finding, table[finding.rule_id], moved.__contains__)
        if rest is None:
            del findings[key]
        else:
            findings[key] = rest


def _suppress(
    findings: list[Finding], files: list[SourceFile], result: CheckResult, options: CheckOptions
) -> list[Finding]:
    table = rules_by_id(result.catalog)
    for rule in result.catalog:  # ignore[identifier-in-logs]: a rule's name, as --select takes
        table.setdefault(rule.name, rule)
    enabled_ids = {r.id for r in result.enabled}
    targets = set(result.files)
    sups: dict[str, list[Suppression]] = {}
    for source in files:
        if source.path in targets:
            found = suppress.parse_suppressions(source.path, source.text)
            if found:
                sups[source.path] = found

    def canonical(rule_id: str) -> str:
        rule = table.get(rule_id)
        return rule.id if rule else rule_id

    def tool_finding(problem: suppress.Problem) -> Finding | None:
        rule = table.get(problem.rule_id)
        if rule is None or rule.id not in enabled_ids:
            return None
        # (what is only shown is not part of the identity: a rule added later must not move it)
        shown = ("written", "suggestion")
        detail = ",".join(f"{k}={v}" for k, v in sorted(problem.args.items()) if k not in shown)
        hit = Hit(problem.location, args=problem.args, anchor=f"suppression:{detail}")
        return make_finding(rule, result.policy, hit)

    every = [s for group in sups.values() for s in group]
    result.suppressions = sorted(every, key=lambda s: (s.path, s.line))
    for problem in suppress.audit(every, lambda i: i in table, options.today, list(table)):
        finding = tool_finding(problem)
        if finding is not None:
            findings.append(finding)
    # A finding kept for a related location in a named file (``keep``) lies in a file read as
    # context: its own comments silence it as in a run on the whole tree, and are not audited.
    context = {f.location.path for f in findings} - targets
    applied = suppress.apply(
        findings, {**_context_suppressions(context, files, result.root), **sups}, canonical,
        options.today,
    )  # fmt: skip

    # Unused suppressions (like ruff's RUF100), only where the file was fully analysed and the
    # named rule ran: otherwise "unused" would be a guess.
    incomplete = {d.path for d in result.diagnostics if d.level == "error"}
    used = {
        (f.suppressed_by.path, f.suppressed_by.line, f.rule_id)
        for f in applied
        if f.suppressed_by is not None
    }
    complete = [s for s in every if s.path not in incomplete]
    unused = [
        f
        for problem in suppress.unused(
            complete, used, canonical, enabled_ids, options.today, applied
        )
        if (f := tool_finding(problem)) is not None
    ]
    return applied + suppress.apply(unused, sups, canonical, options.today)


def _except(
    result: CheckResult, exceptions: list[Suppression], today: dt.date | None
) -> list[Finding]:
    """The policy's exceptions set aside what no comment did; an expired one sets aside
    nothing, and says so (its findings are reported again: they fail the run)."""
    for sup in exceptions:
        if sup.until and suppress.is_expired(sup, today):
            where = f"{sup.path}:{sup.line}" if sup.line else sup.path
            result.diagnostics.append(
                Diagnostic(
                    "",
                    f"{where}: the policy's exception for {', '.join(sup.patterns)} "
                    f"({', '.join(sup.written)}) expired on {sup.until}: what it set aside "
                    "is reported again",
                    level="warning",
                    kind="notice",
                )
            )
    result.suppressions = [*result.suppressions, *exceptions]
    return suppress.apply_exceptions(result.findings, exceptions, today)


def _context_suppressions(
    paths: set[str], files: list[SourceFile], root: Path
) -> dict[str, list[Suppression]]:
    """The suppression comments of ``paths``, files read only as context (a module the
    Terraform builder read from disk is not among ``files``)."""
    if not paths:
        return {}
    texts = {s.path: s.text for s in files if s.path in paths}
    out: dict[str, list[Suppression]] = {}
    for path in sorted(paths):
        text = texts.get(path)
        if text is None:
            try:
                text = (root / path).read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                continue
        found = suppress.parse_suppressions(path, text)
        if found:
            out[path] = found
    return out
