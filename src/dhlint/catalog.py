"""Load the rule catalogue (``rules/catalog/*.yaml``) into frozen ``Rule`` objects.

The catalogue has a closed schema: unknown keys, bad enums, an id outside its family's range
or a clause the policy does not define are errors (the tests load the whole catalogue).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dhlint.resources import copied_data, copy_entry, load_yaml, read_copy, rules_dir

FAMILIES = {
    "0": "tool",
    "1": "encryption-at-rest",
    "2": "encryption-in-transit",
    "3": "retention",
    "4": "public-exposure",
    "5": "identifiers",
    "6": "vendor-sharing",
    "7": "secrets",
    "8": "governance",
    "9": "audit-logging",
}
LANGUAGE_NAMES = ("terraform", "kubernetes", "python", "dataset", "cross", "any")
SEVERITY_LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SEVERITY_LEVELS["info"] = "note"
# GitHub's security-severity score per dhlint severity (avoiding the 9.0/7.0/4.0 boundaries).
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
CONFIDENCE_PRECISION = {"high": "high", "medium": "medium", "low": "low"}

_REQUIRED = {
    "id",
    "name",
    "title",
    "family",
    "languages",
    "severity",
    "confidence",
    "clause",
    "controls",
    "detector",
    "message",
    "rationale",
    "remediation",
    "examples",
}
_OPTIONAL = {"params", "references", "status", "aliases", "resources"}
_EXAMPLE_KEYS = {"file", "code", "files", "policy", "note"}


class CatalogError(Exception):
    pass


@dataclass(frozen=True)
class Example:
    files: dict[str, str]  # file name -> content; the first is the one the rule must flag
    policy: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def main_file(self) -> str:
        return next(iter(self.files))


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    family: str
    languages: tuple[str, ...]
    severity: str
    confidence: str
    clause: str
    controls: dict[str, tuple[str, ...]]
    detector: str
    message: str
    rationale: str
    remediation: str
    bad: tuple[Example, ...]
    good: tuple[Example, ...]
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    references: tuple[str, ...] = ()
    status: str = "stable"
    aliases: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    source: str = ""

    def format_message(self, args: dict[str, Any]) -> str:
        try:
            return self.message.format(**args)
        except (KeyError, IndexError, ValueError):
            # A missing argument must not hide the finding: fall back to the title.
            return self.title

    @property
    def level(self) -> str:
        return SEVERITY_LEVELS[self.severity]


def _examples(raw: Any, where: str) -> tuple[Example, ...]:
    if not isinstance(raw, list) or not raw:
        raise CatalogError(f"{where}: needs a non-empty list of examples")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) - _EXAMPLE_KEYS:
            raise CatalogError(f"{where}[{i}]: example keys are {sorted(_EXAMPLE_KEYS)}")
        files: dict[str, str] = {}
        if "file" in item:
            files[item["file"]] = item.get("code", "")
        files.update(item.get("files") or {})
        if not files:
            raise CatalogError(f"{where}[{i}]: an example needs 'file' and 'code'")
        out.append(Example(files=files, policy=item.get("policy") or {}, note=item.get("note", "")))
    return tuple(out)


def parse_rule(data: Any, source: str) -> Rule:
    if not isinstance(data, dict):
        raise CatalogError(f"{source}: a rule must be a mapping")
    missing = _REQUIRED - set(data)
    unknown = set(data) - _REQUIRED - _OPTIONAL
    if missing:
        raise CatalogError(f"{source}: missing keys {sorted(missing)}")
    if unknown:
        raise CatalogError(f"{source}: unknown keys {sorted(unknown)}")
    rule_id = data["id"]
    if not re.fullmatch(r"DH\d{3}", str(rule_id)):
        raise CatalogError(f"{source}: id '{rule_id}' is not DH + 3 digits")
    if FAMILIES[rule_id[2]] != data["family"]:
        raise CatalogError(f"{source}: {rule_id} belongs to family '{FAMILIES[rule_id[2]]}'")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(data["name"])):
        raise CatalogError(f"{source}: name '{data['name']}' is not kebab-case")
    if data["severity"] not in SEVERITY_LEVELS:
        raise CatalogError(f"{source}: severity '{data['severity']}' unknown")
    if data["confidence"] not in CONFIDENCE_PRECISION:
        raise CatalogError(f"{source}: confidence '{data['confidence']}' unknown")
    if data.get("status", "stable") not in ("stable", "preview", "deprecated"):
        raise CatalogError(f"{source}: status '{data['status']}' unknown")
    languages = tuple(data["languages"])
    if not languages or set(languages) - set(LANGUAGE_NAMES):
        raise CatalogError(f"{source}: languages must be among {LANGUAGE_NAMES}")
    for key in ("title", "message", "rationale", "remediation"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise CatalogError(f"{source}: '{key}' must be non-empty text")
    if "\n" in data["title"].strip():
        raise CatalogError(f"{source}: title must be one line")
    controls = data["controls"]
    if not isinstance(controls, dict) or not controls:
        raise CatalogError(f"{source}: 'controls' maps a standard to a list of controls")
    examples = data["examples"]
    if not isinstance(examples, dict) or set(examples) != {"bad", "good"}:
        raise CatalogError(f"{source}: examples need 'bad' and 'good' lists")
    return Rule(
        id=rule_id,
        name=data["name"],
        title=data["title"].strip(),
        family=data["family"],
        languages=languages,
        severity=data["severity"],
        confidence=data["confidence"],
        clause=str(data["clause"]),
        controls={k: tuple(str(c) for c in v) for k, v in controls.items()},
        detector=data["detector"],
        message=data["message"].strip(),
        rationale=data["rationale"].strip(),
        remediation=data["remediation"].strip(),
        bad=_examples(examples["bad"], f"{source}: examples.bad"),
        good=_examples(examples["good"], f"{source}: examples.good"),
        params=data.get("params") or {},
        references=tuple(data.get("references") or ()),
        status=data.get("status", "stable"),
        aliases=tuple(data.get("aliases") or ()),
        resources=tuple(data.get("resources") or ()),
        source=source,
    )


# The catalogue's JSON copy (see ``resources.copy_entry``): the C YAML loader takes about 50 ms
# for the catalogue, a quarter of a one-file run's budget; JSON takes 2 ms.
COMPILED = "catalog.json"


def compiled_catalog(base: Path) -> str:
    """The JSON text of ``COMPILED`` for the catalogue in ``base``."""
    files = {path.name: copy_entry(path.read_bytes()) for path in sorted(base.glob("DH*.yaml"))}
    return json.dumps({"format": 1, "files": files}, indent=1) + "\n"


@lru_cache(maxsize=4)
def load_catalog(directory: str | None = None) -> tuple[Rule, ...]:
    """All rules, sorted by id (a stable order: SARIF ``ruleIndex`` depends on it)."""
    base = Path(directory) if directory else rules_dir() / "catalog"
    compiled = read_copy(base.parent / COMPILED).get("files")
    compiled = compiled if isinstance(compiled, dict) else {}
    rules: dict[str, Rule] = {}
    for path in sorted(base.glob("DH*.yaml")):
        raw = path.read_bytes()
        data = copied_data(compiled.get(path.name), raw)
        if data is None:
            import yaml  # only for a file the JSON copy does not hold

            try:
                data = load_yaml(raw.decode("utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise CatalogError(f"{path}: invalid YAML: {exc}") from None
        rule = parse_rule(data, str(path))
        if rule.id in rules:
            raise CatalogError(f"{path}: duplicate id {rule.id} (also {rules[rule.id].source})")
        rules[rule.id] = rule
    names = [r.name for r in rules.values()]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise CatalogError(f"duplicate rule names: {sorted(dupes)}")
    return tuple(sorted(rules.values(), key=lambda r: r.id))


def rules_by_id(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    table = {r.id: r for r in rules}
    for rule in rules:
        for alias in rule.aliases:
            table.setdefault(alias, rule)
    return table
