"""Generic value check: resource type + attribute path + expected value, all from the catalogue.

Most Terraform attribute rules are YAML only. A rule's ``params.checks`` is a list of::

    - types: [aws_ebs_volume]          # resource types judged
      path: encrypted                  # dotted attribute path (blocks are walked into)
      equals: true                     # the condition (one of the keys below)
      expected: "true"                 # how the message states what is required
      missing: fail                    # fail (default): an absent attribute is a finding;
                                       # pass: absent is fine (the provider default is safe)
      classes: all                     # all | personal | customer_key: which data classes
      when: {path: engine, in: [postgres, mysql]}   # only resources matching this (known) value
      unless_resource: {types: [aws_ebs_encryption_by_default], path: enabled, equals: true}

``provider_default: {source, before, actual}`` (with ``missing: pass``): an absent attribute is
a finding all the same when the provider versions the module's ``required_providers`` allow
(all of them together, as Terraform picks one) include one before ``before``, whose default
was unsafe; ``actual`` (``{constraint}`` filled in) says so in the message. Without a
constraint Terraform installs the newest version, and an absent attribute passes.

``unless: {path, <condition>}`` skips resources where the condition holds (a redirecting
listener, an Aurora member instance); ``unless_companion: <role>`` those with a linked resource
of that role (``models.terraform.LINKS``: a customer-managed key set by its own resource).
``includes: [a, b]`` requires the values found at ``path`` (across all blocks, e.g. database
flag names) to contain each item. An ``unless`` that names ``types`` skips only resources of
those types (an instance that is a cluster's member, not the cluster).

Conditions: ``equals``, ``not_equals``, ``in``, ``not_in`` (strings compared case-insensitively),
``min``, ``max`` (numbers), ``present: true``, ``none_of`` (a value or list must not contain
any of these), ``matches`` (regex), ``not_whole_internet: true`` (an address filter, a list or a
comma-separated string, that does not admit every public IPv4 address). Instead of ``path`` +
condition a check may give ``any_of: [{path, <condition>}, ...]``: it passes when one
alternative holds. When none does, the first alternative's failure is reported; with
``written_first: true`` (alternatives that are one setting under two names, a newer and an
older attribute) a value the author wrote is reported before an absent one, at its line and
under its own path.

Unknown values are never findings; every branch of an undecided conditional is judged. The
message gets ``name``, ``type``, ``attribute``, ``actual`` and ``expected``. In a rule with
several checks the anchor is ``<address>:<attribute>``, so that two missing attributes (both
reported on the resource header) stay two findings; a check with ``anchor: address`` keeps the
resource's address (the check a rule had alone before others were added: baselines written
then still match its findings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from dhlint.analysis import Context
from dhlint.detectors.terraform._origin import value_origin
from dhlint.detectors.terraform.network import admits_whole_internet
from dhlint.models.terraform import Resource, TerraformModel, is_absent, is_unknown
from dhlint.types import Hit, Related

CONDITIONS = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "min",
    "max",
    "present",
    "none_of",
    "matches",
    "not_whole_internet",
)


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "false"):
            return low == "true"
        return low
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def holds(value: Any, spec: dict) -> bool | None:
    """Does a known value meet the condition? None when it cannot be judged."""
    if is_unknown(value):
        return None
    if "present" in spec:
        return not is_absent(value)
    if is_absent(value):
        return False
    if "equals" in spec:
        return _norm(value) == _norm(spec["equals"])
    if "not_equals" in spec:
        return _norm(value) != _norm(spec["not_equals"])
    if "in" in spec:
        return _norm(value) in [_norm(v) for v in spec["in"]]
    if "not_in" in spec:
        return _norm(value) not in [_norm(v) for v in spec["not_in"]]
    if "min" in spec or "max" in spec:
        number = _number(value)
        if number is None:
            return None
        if "min" in spec and number < spec["min"]:
            return False
        return not ("max" in spec and number > spec["max"])
    if "none_of" in spec:
        banned = [_norm(v) for v in spec["none_of"]]
        items = value if isinstance(value, list) else [value]
        return not any(not is_unknown(i) and _norm(i) in banned for i in items)
    if "matches" in spec:
        return isinstance(value, str) and re.search(spec["matches"], value) is not None
    if "not_whole_internet" in spec:
        admits = admits_whole_internet(value)
        return None if admits is None else not admits
    return None


def _applies(resource: Resource, check: dict, ctx: Context) -> bool:
    classes = check.get("classes", "all")
    if classes != "all":
        data_class = resource.data_class(ctx.policy)
        if classes == "customer_key":
            if data_class not in ctx.policy.settings["encryption"]["customer_key_for"]:
                return False
        elif classes == "personal" and data_class not in ctx.policy.classes_with_personal_data():
            return False
    when = check.get("when")
    if when:
        found = resource.find(when["path"])
        if not found or not all(holds(v, when) is True for _, v in found):
            return False
    unless = check.get("unless")
    if unless and resource.type in unless.get("types", (resource.type,)):
        found = resource.find(unless["path"])
        if found and all(holds(v, unless) is not False for _, v in found):
            return False
    role = check.get("unless_companion")  # set by a linked resource instead (models.LINKS)
    return not (role and resource.companions.get(role))


def _unless(model: TerraformModel, check: dict) -> bool:
    spec = check.get("unless_resource")
    if not spec:
        return False
    for other in model.of_type(*spec["types"]):
        values = [v for _, v in other.find(spec["path"])] if "path" in spec else [True]
        if values and all(holds(v, spec) is not False for v in values):
            return True
    return False


def _show(value: Any) -> str:
    if is_absent(value):
        return "not set"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _includes(resource: Resource, check: dict) -> tuple[tuple | str, Any] | None:
    """``includes``: the values found at ``path`` (all blocks together) must contain these."""
    found = [v for _, v in resource.find(check["path"])]
    if any(is_unknown(v) for v in found):
        return None
    flat = [_norm(i) for v in found for i in (v if isinstance(v, list) else [v])]
    missing = [x for x in check["includes"] if _norm(x) not in flat]
    if not missing:
        return None
    return check["path"], missing[0]


def judge(resource: Resource, check: dict) -> tuple[tuple | str, Any] | None:
    """The first (key path, offending value) of a resource for one check, or None."""
    if "includes" in check:
        return _includes(resource, check)
    found = _judge_alternatives(resource, check)
    return found[1:] if found is not None else None


def _judge_alternatives(resource: Resource, check: dict) -> tuple[str, tuple | str, Any] | None:
    """(the failing alternative's path, key path, offending value), or None."""
    alternatives = check.get("any_of") or [check]
    failures: list[tuple[str, tuple | str, Any]] = []
    for alt in alternatives:
        found = resource.find(alt["path"])
        missing_ok = alt.get("missing", check.get("missing", "fail")) == "pass"
        if not found or all(is_absent(v) for _, v in found):
            if missing_ok:
                return None
            failures.append((alt["path"], alt["path"], None))
            continue
        bad = None
        for keypath, value in found:
            if is_absent(value):
                if not missing_ok:
                    bad = bad or (keypath, value)
                continue
            verdict = holds(value, alt)
            if verdict is None:
                if is_unknown(value):
                    return None  # an unknown value could satisfy the rule
                continue
            if not verdict:
                if "none_of" in alt and isinstance(value, list):
                    banned = [_norm(v) for v in alt["none_of"]]
                    index = next(i for i, v in enumerate(value) if _norm(v) in banned)
                    bad = bad or ((*keypath, index), value[index])
                elif "not_whole_internet" in alt and isinstance(value, list):
                    # the entry open by itself, else the entries together
                    index = next(
                        (i for i, v in enumerate(value) if admits_whole_internet([v])), None
                    )
                    shown = ", ".join(str(v) for v in value)
                    bad = bad or (
                        ((*keypath, index), value[index]) if index is not None else (keypath, shown)
                    )
                else:
                    bad = bad or (keypath, value)
        if bad is None:
            return None
        failures.append((alt["path"], *bad))
    if check.get("written_first"):
        written = [f for f in failures if not is_absent(f[2])]
        failures = written + [f for f in failures if is_absent(f[2])]
    return failures[0] if failures else None


# One part of a version constraint, stripped (anchored: no backtracking over white space).
_VERSION = re.compile(r"\A(!=|>=|<=|~>|=|>|<)?\s*v?(\d+(?:\.\d+)*)(?:[-+][0-9A-Za-z.+-]*)?\Z")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def _pad(version: tuple[int, ...]) -> tuple[int, ...]:
    return (*version, 0, 0, 0)[:3]


def allows_before(constraints: Sequence[str], before: str) -> bool | None:
    """Do these version constraints (Terraform's syntax: ``~> 3.0``, ``>= 3.1, < 5``), all
    together, allow a version before ``before``? None when one cannot be read."""
    low, low_strict = (0, 0, 0), False
    highs: list[tuple[tuple[int, ...], bool]] = [(_pad(_version(before)), True)]
    for constraint in constraints:
        for part in constraint.split(","):
            match = _VERSION.match(part.strip())
            if match is None:
                return None
            op, version = match[1] or "=", _version(match[2])
            full = _pad(version)
            bounds: list[tuple[str, tuple[int, ...], bool]] = []
            if op == "=":
                bounds = [(">", full, False), ("<", full, False)]
            elif op in (">", ">="):
                bounds = [(">", full, op == ">")]
            elif op in ("<", "<="):
                bounds = [("<", full, op == "<")]
            elif op == "~>":
                # ~> 3.1 allows 3.x from 3.1; ~> 3.1.2 allows 3.1.x from 3.1.2.
                top = version[:-1] if len(version) > 1 else version
                top = (*top[:-1], top[-1] + 1)
                bounds = [(">", full, False), ("<", _pad(top), True)]
            for side, bound, strict in bounds:
                if side == ">" and (bound, strict) > (low, low_strict):
                    low, low_strict = bound, strict
                elif side == "<":
                    highs.append((bound, strict))
    # The least version allowed (just above ``low`` when strict) is under every upper bound.
    return all(
        low < high or (low == high and not strict and not low_strict) for high, strict in highs
    )


def _provider_default(
    model: TerraformModel, resource: Resource, check: dict
) -> tuple[str, tuple[Related, ...]] | None:
    """``provider_default``: the message's ``actual`` and the constraints' locations when the
    attribute is absent and the run's provider constraints allow a version whose default was
    unsafe."""
    spec = check["provider_default"]
    if any(not is_absent(v) for _, v in resource.find(check["path"])):
        return None
    source = spec["source"]
    found = [(c, loc) for s, c, loc in model.provider_constraints if s == source]
    if not found or not allows_before([c for c, _ in found], spec["before"]):
        return None
    actual = spec["actual"].format(constraint=", ".join(dict.fromkeys(c for c, _ in found)))
    related = tuple(dict.fromkeys(Related(loc, f"{source} version {c}") for c, loc in found))
    return actual, related


def _types_of(checks: list[dict]) -> frozenset[str]:
    """Every type a rule's checks judge, made once per rule (its checks, the catalogue's)."""
    entry = _TYPES.get(id(checks))
    if entry is None or entry[0] is not checks:
        entry = _TYPES[id(checks)] = (checks, frozenset(t for c in checks for t in c["types"]))
    return entry[1]


_TYPES: dict[int, tuple[list[dict], frozenset[str]]] = {}


def judged_types(ctx: Context) -> frozenset[str]:
    """The types a rule's checks judge: ``detect`` finds nothing in a model holding none, and
    the runner does not ask it there (``units.run_unit``)."""
    return _types_of(ctx.params.get("checks", []))


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    checks = ctx.params.get("checks", [])
    present = model.types()
    if present.isdisjoint(_types_of(checks)):
        return  # none of its types (most models, for most rules)
    for check in checks:
        if present.isdisjoint(check["types"]) or _unless(model, check):
            continue  # no resource of its types (most models, for most checks)
        for resource in model.of_type(*check["types"]):
            if not _applies(resource, check, ctx):
                continue
            if "includes" in check:
                verdict = judge(resource, check)
                alternative = None
            else:
                judged = _judge_alternatives(resource, check)
                verdict = judged[1:] if judged is not None else None
                alternative = judged[0] if judged is not None else None
            default = None
            if verdict is None and "provider_default" in check:
                default = _provider_default(model, resource, check)
                verdict = (check["path"], None) if default is not None else None
            if verdict is None:
                continue
            if default is not None:
                hit = resource.hit(
                    check["path"],
                    attribute=check["path"],
                    actual=default[0],
                    expected=check.get("expected", ""),
                    data_class=resource.data_class(ctx.policy),
                )
                if len(checks) > 1:
                    hit = replace(hit, anchor=f"{resource.address}:{check['path']}")
                yield replace(hit, related=default[1])
                continue
            keypath, value = verdict
            if "includes" in check:
                value = f"missing {value}"
            attribute = check.get("attribute") or (check.get("any_of") or [check])[0]["path"]
            if check.get("written_first") and alternative and not is_absent(value):
                attribute = alternative  # the setting the author wrote
            hit = resource.hit(
                keypath,
                attribute=attribute,
                actual=_show(value),
                expected=check.get("expected", ""),
                data_class=resource.data_class(ctx.policy),
            )
            if len(checks) > 1 and check.get("anchor") != "address":
                # Several missing attributes all sit on the header: keep them apart.
                hit = replace(hit, anchor=f"{resource.address}:{attribute}")
            origin = value_origin(model, resource, value) if "includes" not in check else None
            yield replace(hit, related=(*hit.related, origin)) if origin else hit


detect.judged_types = judged_types  # type: ignore[attr-defined]
