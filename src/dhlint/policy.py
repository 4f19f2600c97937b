"""Load and validate the city's policy: ``--policy FILE``, ``dhlint.yaml`` or ``[tool.dhlint]``.

The shipped default (``rules/policy.yaml``) supplies every setting; a city's file overrides
settings key by key (mappings merge, lists replace, except identifier lists, which extend).
Validation is closed: an unknown key or a wrong type is a ``PolicyError`` naming file and key.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from dhlint.resources import copied_data, copy_entry, load_yaml, read_copy, rules_dir

SEVERITIES = ("critical", "high", "medium", "low", "info")
IDENTIFIER_CATEGORIES = ("direct", "device", "quasi", "location", "biometric", "special")
POLICY_FILENAMES = ("dhlint.yaml", ".dhlint.yaml")


# The default policy's JSON copy (see ``resources.copy_entry``): a run with no policy file of
# its own then reads no YAML at all.
COMPILED_POLICY = "policy.json"


def compiled_policy(path: Path) -> str:
    """The JSON text of ``COMPILED_POLICY`` for the policy YAML at ``path``."""
    return json.dumps({"format": 1, **copy_entry(path.read_bytes())}, indent=1) + "\n"


class PolicyError(Exception):
    """A policy or configuration file is invalid. The message names the file and the key."""


# A tiny closed schema. Leaves are type names; lists are [item]; dicts are closed mappings;
# ("map", spec) is an open mapping of str -> spec; ("null", spec) also accepts null.
_STR_LIST = ["str"]
SCHEMA: dict[str, Any] = {
    "name": "str",
    "version": "str",
    "description": "str",
    "approved_vendors": _STR_LIST,
    "approved_accounts": _STR_LIST,
    "approved_registries": _STR_LIST,
    "identifiers": {cat: _STR_LIST for cat in IDENTIFIER_CATEGORIES},
    "not_identifiers": _STR_LIST,
    "protective_functions": _STR_LIST,
    "location_decimals": "int",
    "quasi_identifier_limit": "int",
    "k_anonymity": "int",
    "retention": {
        "max_days": "int",
        "min_days": "int",
        "by_class": ("map", ("null", "int")),
    },
    "classification": {
        "tag": "str",
        "values": _STR_LIST,
        "default": "str",
        "personal": _STR_LIST,
        "retention_annotation": "str",
    },
    "encryption": {
        "customer_key_for": _STR_LIST,
        "accept_provider_default": "bool",
    },
    "datasets": _STR_LIST,
    "select": _STR_LIST,
    "ignore": _STR_LIST,
    "severity": ("map", "str"),
    "fail_on": "str",
    "exclude": _STR_LIST,
    "exceptions": [{"paths": _STR_LIST, "rules": _STR_LIST, "reason": "str", "until": "date"}],
    "clauses": ("map", {"title": "str", "text": "str"}),
}
# Lists a city's policy adds to instead of replacing.
_EXTENDING = {("identifiers",), ("not_identifiers",), ("protective_functions",)}

_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "bool": (bool,),
    "date": (str, dt.date),  # YAML and TOML read 2027-06-30 as a date
}


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _validate(value: Any, spec: Any, key: str, source: str) -> None:
    where = f"{source}: key '{key}'"
    if isinstance(spec, tuple) and spec[0] == "null":
        if value is None:
            return
        _validate(value, spec[1], key, source)
        return
    if isinstance(spec, tuple) and spec[0] == "map":
        if not isinstance(value, dict):
            raise PolicyError(f"{where} must be a mapping, not {_type_name(value)}")
        for sub, item in value.items():
            _validate(item, spec[1], f"{key}.{sub}", source)
        return
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            raise PolicyError(f"{where} must be a mapping, not {_type_name(value)}")
        for sub, item in value.items():
            if sub not in spec:
                raise PolicyError(
                    f"{source}: unknown key '{key}.{sub}'" + _suggest(str(sub), spec)
                    if key
                    else f"{source}: unknown key '{sub}'" + _suggest(str(sub), spec)
                )
            _validate(item, spec[sub], f"{key}.{sub}" if key else str(sub), source)
        return
    if isinstance(spec, list):
        if not isinstance(value, list):
            raise PolicyError(f"{where} must be a list, not {_type_name(value)}")
        for i, item in enumerate(value):
            _validate(item, spec[0], f"{key}[{i}]", source)
        return
    expected = _TYPES[spec]
    # bool is a subclass of int: reject true/false where a number is expected.
    if not isinstance(value, expected) or (spec == "int" and isinstance(value, bool)):
        article = {
            "str": "a string",
            "int": "a whole number",
            "bool": "true or false",
            "date": "a date (YYYY-MM-DD)",
        }[spec]
        raise PolicyError(f"{where} must be {article}, not {_type_name(value)}")


def _suggest(key: str, spec: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(spec), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _merge(base: Any, override: Any, path: tuple[str, ...] = ()) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value, (*path, key)) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(override, list) and path[:1] in _EXTENDING:
        return base + [v for v in override if v not in base]
    return copy.deepcopy(override)


@dataclass
class Policy:
    """The effective policy: shipped defaults merged with the city's settings."""

    settings: dict[str, Any]
    source: str = "<default>"  # the file the city's settings came from
    overrides: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # settings that hold but cannot all be met (stderr)
    # The file that holds the settings (``source`` may say more: "pyproject.toml [tool.dhlint]"),
    # and the line of each ``exceptions`` entry in it (0: unknown).
    file: str = ""
    exception_lines: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        return self.settings["name"]

    @property
    def version(self) -> str:
        return self.settings["version"]

    @cached_property
    def hash(self) -> str:
        """sha256 of the effective settings: equal hashes mean the same policy was applied."""
        canonical = json.dumps(self.settings, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @cached_property
    def severity_overrides(self) -> dict[str, str]:
        """The policy's ``severity`` setting with rule ids upper-cased (ids are case-blind)."""
        return {k.upper(): v for k, v in self.settings["severity"].items()}

    @property
    def clauses(self) -> dict[str, dict[str, str]]:
        return self.settings["clauses"]

    @property
    def identifiers(self) -> dict[str, list[str]]:
        return self.settings["identifiers"]

    @cached_property
    def _host_rules(self) -> tuple[frozenset[str], tuple[str, ...]]:
        exact, suffixes = set(), []
        for entry in self.settings["approved_vendors"]:
            entry = entry.strip().lower().rstrip(".")
            if entry.startswith("*."):
                suffixes.append(entry[1:])  # ".example.org"
            else:
                exact.add(entry)
        return frozenset(exact), tuple(suffixes)

    def is_approved_host(self, host: str) -> bool:
        """Exact host names, or ``*.example.org`` for any sub-domain of example.org."""
        host = host.strip().lower().rstrip(".")
        if host.startswith("[") and "]" in host:  # [::1]:8080
            host = host[1 : host.index("]")]
        elif host.count(":") == 1:
            host = host.split(":", 1)[0]
        exact, suffixes = self._host_rules
        return host in exact or any(host.endswith(s) for s in suffixes)

    def classes_with_personal_data(self) -> set[str]:
        return set(self.settings["classification"]["personal"])

    def max_retention_days(self, data_class: str | None) -> int | None:
        """The maximum retention for a class (the default class when ``None``)."""
        retention = self.settings["retention"]
        cls = data_class or self.settings["classification"]["default"]
        by_class = retention.get("by_class") or {}
        if cls in by_class:
            return by_class[cls]
        return retention["max_days"]


@lru_cache(maxsize=1)
def _default_settings() -> dict[str, Any]:
    path = rules_dir() / "policy.yaml"
    raw = path.read_bytes()
    data = copied_data(read_copy(path.with_name(COMPILED_POLICY)), raw)
    if data is None:
        data = load_yaml(raw.decode("utf-8"))
    _validate(data, SCHEMA, "", str(path))
    return data


def default_policy() -> Policy:
    return Policy(settings=copy.deepcopy(_default_settings()))


def _check_semantics(
    settings: dict[str, Any], source: str, overrides: dict[str, Any] | None = None
) -> None:
    for rule_id, sev in settings.get("severity", {}).items():
        if sev not in SEVERITIES:
            raise PolicyError(
                f"{source}: key 'severity.{rule_id}' must be one of {', '.join(SEVERITIES)}"
            )
    if settings["fail_on"] not in SEVERITIES:
        raise PolicyError(f"{source}: key 'fail_on' must be one of {', '.join(SEVERITIES)}")
    cls = settings["classification"]
    for key in ("default",):
        if cls[key] not in cls["values"]:
            raise PolicyError(f"{source}: key 'classification.{key}' is not one of 'values'")
    for value in cls["personal"]:
        if value not in cls["values"]:
            raise PolicyError(f"{source}: key 'classification.personal' names unknown '{value}'")
    # The classes the city's own file names (a default that names a class the city renamed is
    # left alone): a typo would silently leave the data under the default limits.
    own = overrides or {}
    named = [
        ("retention.by_class", name)
        for name in ((own.get("retention") or {}).get("by_class") or {})
    ] + [
        ("encryption.customer_key_for", name)
        for name in ((own.get("encryption") or {}).get("customer_key_for") or [])
    ]
    for key, name in named:
        if name not in cls["values"]:
            hint = _suggest(str(name).lower(), dict.fromkeys(cls["values"]))
            raise PolicyError(
                f"{source}: key '{key}' names unknown class '{name}'{hint}; the classes are "
                f"classification.values: {', '.join(cls['values'])}"
            )
    retention = settings["retention"]
    numbers = {
        "retention.max_days": (retention["max_days"], 0),
        "retention.min_days": (retention["min_days"], 0),
        "location_decimals": (settings["location_decimals"], 0),
        "quasi_identifier_limit": (settings["quasi_identifier_limit"], 1),
        "k_anonymity": (settings["k_anonymity"], 2),
        **{
            f"retention.by_class.{cls}": (days, 0)
            for cls, days in (retention.get("by_class") or {}).items()
            if days is not None
        },
    }
    for key, (value, least) in numbers.items():
        if value < least:
            raise PolicyError(f"{source}: key '{key}' must be at least {least}, not {value}")
    for host in settings["approved_vendors"]:
        if "/" in host:  # a URL (https://...) or a path: only host names can match
            raise PolicyError(
                f"{source}: key 'approved_vendors' entry '{host}': write a host name "
                "('api.vendor.example' or '*.vendor.example'), not a URL"
            )
        if "*" in host and not re.fullmatch(r"\*\.[^*]+", host):
            raise PolicyError(
                f"{source}: key 'approved_vendors' entry '{host}': wildcards are only allowed "
                "as a leading '*.' (for example '*.example.org')"
            )
    for account in settings["approved_accounts"]:
        if not re.fullmatch(r"\d{12}", account):
            raise PolicyError(
                f"{source}: key 'approved_accounts' entry '{account}' "
                "is not a 12-digit AWS account id"
            )


def _min_above_max(settings: dict[str, Any], own: dict[str, Any], source: str) -> list[str]:
    """Warnings for classes whose maximum is below the audit-log minimum: an audit log of such
    a class breaks one of them whatever its retention (DH301 at most, DH305 at least, both
    judging CloudWatch log groups, Log Analytics workspaces and GCP log buckets). Not an
    error: the policy holds for every other store of the class, and audit logs may be kept
    under another class; changing either number would weaken a requirement the city meant."""
    retention = settings["retention"]
    least = retention["min_days"]
    by_class = retention.get("by_class") or {}
    written = own.get("retention") or {}
    warnings = []
    for name in settings["classification"]["values"]:
        if name in by_class:
            key, most = f"retention.by_class.{name}", by_class[name]
            mine = name in (written.get("by_class") or {})
        else:
            key, most, mine = "retention.max_days", retention["max_days"], "max_days" in written
        if most is None or most >= least:
            continue
        default = "" if mine else ", the default"
        warnings.append(
            f"{source}: retention.min_days ({least}) is above {key} ({most}{default}): an "
            f"audit log of '{name}' data in a CloudWatch log group, a Log Analytics workspace "
            f"or a GCP log bucket fails DH305 (at least {least} days) or DH301 (at most "
            f"{most}) whatever its retention; give audit logs a class whose maximum allows "
            f"{least} days, or change one of the two"
        )
    return warnings


def policy_from_mapping(data: Any, source: str) -> Policy:
    """Merge a city's settings over the defaults and validate them."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(
            f"{source}: a policy must be a mapping of settings, not {_type_name(data)}"
        )
    _validate(data, SCHEMA, "", source)
    if data.get("exceptions"):
        data = {**data, "exceptions": _exceptions(data["exceptions"], source)}
    settings = _merge(_default_settings(), data)
    _check_semantics(settings, source, data)
    warnings = tuple(_min_above_max(settings, data, source))
    return Policy(settings=settings, source=source, overrides=data, warnings=warnings)


def _exceptions(entries: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    """The ``exceptions`` entries, each with its paths, rules and reason (a documented
    exception without a reason is none), and its expiry as an ISO date string."""
    out = []
    for index, entry in enumerate(entries):
        where = f"{source}: key 'exceptions[{index}]'"
        for key in ("paths", "rules", "reason"):
            if not entry.get(key):
                raise PolicyError(
                    f"{where} needs '{key}' (an exception names the paths it covers, the "
                    "rules it sets aside and the reason, as a suppression comment does)"
                )
        until = entry.get("until")
        if isinstance(until, str):
            try:
                dt.date.fromisoformat(until)
            except ValueError:
                raise PolicyError(
                    f"{where}: 'until' must be a date (YYYY-MM-DD), not '{until}'"
                ) from None
        elif until is not None:  # a date (or TOML's date-time) read as one
            day = until.date() if isinstance(until, dt.datetime) else until
            entry = {**entry, "until": day.isoformat()}
        out.append(entry)
    return out


def _exception_lines(text: str, toml: bool = False) -> tuple[int, ...]:
    """The line each ``exceptions`` entry starts on in a policy file's text: a YAML list item,
    or a TOML ``[[tool.dhlint.exceptions]]`` table (0 each where they cannot be told)."""
    if toml:
        return tuple(
            number
            for number, line in enumerate(text.splitlines(), 1)
            if re.match(r"\s*\[\[\s*tool\.dhlint\.exceptions\s*\]\]", line)
        )
    import yaml

    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for key, value in getattr(node, "value", ()) if isinstance(node, yaml.MappingNode) else ():
        if key.value == "exceptions" and isinstance(value, yaml.SequenceNode):
            return tuple(item.start_mark.line + 1 for item in value.value)
    return ()


def load_policy_file(path: str | Path) -> Policy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{path}: policy file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read policy file ({exc})") from None
    import yaml

    from dhlint.frontends.kubernetes import YamlError, parse_documents

    try:
        # Read first with limits on nesting and aliases: ``yaml.load`` recurses in C, and a
        # file nested thousands of levels deep would crash the process.
        parse_documents(text)
        data = load_yaml(text)
    except YamlError as exc:
        where = f" at line {exc.line}" if exc.line else ""
        problem = exc.message.removeprefix("invalid YAML: ")
        raise PolicyError(f"{path}: not valid YAML{where}: {problem}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyError(f"{path}: not valid YAML{where}: {problem}") from None
    policy = policy_from_mapping(data, str(path))
    policy.file = str(path)
    if policy.overrides.get("exceptions"):
        policy.exception_lines = _exception_lines(text)
    return policy


def _load_pyproject(path: Path) -> dict[str, Any] | None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read ({exc})") from None
    except RecursionError:
        raise PolicyError(f"{path}: cannot read (nested too deeply)") from None
    return data.get("tool", {}).get("dhlint")


def find_policy(root: Path, explicit: str | None = None) -> Policy:
    """``--policy`` wins; then ``dhlint.yaml`` at the root; then ``[tool.dhlint]``; else default."""
    if explicit:
        return load_policy_file(explicit)
    for name in POLICY_FILENAMES:
        candidate = root / name
        if candidate.is_file():
            return load_policy_file(candidate)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        section = _load_pyproject(pyproject)
        if section is not None:
            policy = policy_from_mapping(section, f"{pyproject} [tool.dhlint]")
            policy.file = str(pyproject)
            if policy.overrides.get("exceptions"):
                text = pyproject.read_text(encoding="utf-8")
                policy.exception_lines = _exception_lines(text, toml=True)
            return policy
    return default_policy()
