"""Maximum retention of a numeric retention attribute (DH301 log stores, DH303 BigQuery table
expiration, DH304 streams, DH306 database backups).

``params`` (all optional; the defaults are DH301's)::

    targets:                              # or the same keys at the top level, for one target
      - types: [aws_kinesis_stream]
        attribute: retention_period
        scale: 24                         # attribute units per day (hours: 24, ms: 86400000)
        missing: pass                     # fail (default): absent means "kept forever"
        never_expires: [0]                # values meaning "never expires"
        store: Log Analytics workspace    # the message's {store} (default "Log group")
        label: default table expiration   # the message's {expiry}: "a <label> of N days",
                                          # or "no <label> (<attribute> is not set)"
        not_counted:                      # set, {expiry} says why it does not count
          default_partition_expiration_ms: expires only partitions
        skip_when: {path: backup_configuration.enabled, values: [false]}
                                          # not judged when a value at path is one of values
        attributes: [a, b]                # instead of attribute: one finding, the longest

A string like ``"604800s"`` (a Google duration) is read as seconds, an ISO 8601 duration
(``"P10Y"``, ``"P520W"``: Azure SQL's long-term retention) as days, a year 365 days and a month
a twelfth of that. The maximum comes from the
policy for the resource's data class (its classification tag, else the policy's default
class); a class without a maximum is not judged. Unknown values are not judged; each branch of
an undecided conditional is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from dhlint.analysis import Context
from dhlint.detectors.terraform._origin import value_origin
from dhlint.models.terraform import Resource, TerraformModel, is_absent, is_unknown
from dhlint.types import Hit

DEFAULT = {"types": ["aws_cloudwatch_log_group"], "attribute": "retention_in_days"}


# An ISO 8601 duration of dates and times (no fractions but of seconds).
_ISO = re.compile(
    r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?"
)
_ISO_DAYS = (365, 365 / 12, 7, 1, 1 / 24, 1 / 1440, 1 / 86400)


def shown_days(days: float) -> int | float:
    """Days as a message shows them: whole, or to one decimal."""
    return int(days) if float(days).is_integer() else round(days, 1)


def _days(value: Any, scale: float) -> float | None:
    if isinstance(value, bool):
        return None
    iso = _ISO.fullmatch(value.strip()) if isinstance(value, str) else None
    if iso is not None and value.strip() not in ("P", "PT"):
        return sum(float(n) * d for n, d in zip(iso.groups(), _ISO_DAYS, strict=True) if n)
    if isinstance(value, str) and value.strip().endswith("s"):
        try:
            return float(value.strip()[:-1]) / 86400
        except ValueError:
            return None
    try:
        return float(value) / scale
    except (TypeError, ValueError):
        return None


def _judge(model: TerraformModel, res: Resource, target: dict, ctx: Context) -> Hit | None:
    data_class = res.data_class(ctx.policy)
    max_days = ctx.policy.max_retention_days(data_class)
    if max_days is None:
        return None
    skip = target.get("skip_when")
    if skip and any(
        not isinstance(v, (dict, list)) and v in skip["values"] for _, v in res.find(skip["path"])
    ):
        return None  # switched off (Cloud SQL backups not enabled): nothing is kept
    attribute = target.get("attribute", DEFAULT["attribute"])
    never = list(target.get("never_expires", [0]))
    scale = float(target.get("scale", 1))
    missing_ok = target.get("missing", "fail") == "pass"
    label = target.get("label", attribute)
    notes = [
        f"{name}, which is set, {why}"
        for name, why in (target.get("not_counted") or {}).items()
        if not all(is_absent(v) for _, v in res.find(name))
    ]
    common = {
        "name": res.address,
        "max_days": max_days,
        "data_class": data_class,
        "store": target.get("store", "Log group"),
        "attribute": attribute,
    }
    unset = {
        "days": "not set",
        "expiry": f"no {label} ({'; '.join([f'{attribute} is not set', *notes])})",
    }
    note = f" ({'; '.join(notes)})" if notes else ""
    found = res.find(attribute)
    if not found or all(is_absent(v) for _, v in found):
        return None if missing_ok else res.hit(None, **unset, **common)
    for keypath, value in found:
        if is_unknown(value):
            continue
        if is_absent(value):  # one branch of a conditional leaves it unset
            if not missing_ok:
                return res.hit(keypath, **unset, **common)
            continue
        if not isinstance(value, bool) and value in never:
            never_text = f"{value} (never expires)"  # AWS's 0: kept forever
            expiry = f"a {label} of {never_text}{note}"
            hit = res.hit(keypath, days=never_text, expiry=expiry, **common)
            return _with_origin(model, res, hit, value)
        days = _days(value, scale)
        if days is not None and days > max_days:
            shown = shown_days(days)
            expiry = f"a {label} of {shown} days{note}"
            hit = res.hit(keypath, days=shown, expiry=expiry, **common)
            return _with_origin(model, res, hit, value)
    return None


def _with_origin(model: TerraformModel, res: Resource, hit: Hit, value: Any) -> Hit:
    """A retention from a variable (retention_in_days = var.days): point at where the value
    is written (a tfvars line, a default, a module call's argument)."""
    origin = value_origin(model, res, value, near=hit.location)
    return replace(hit, related=(*hit.related, origin)) if origin else hit


def _targets(params: dict) -> list[dict]:
    return params.get("targets") or [
        {
            "types": params.get("resource_types", DEFAULT["types"]),
            **{k: v for k, v in params.items() if k != "resource_types"},
        }
    ]


def judged_types(ctx: Context) -> frozenset[str]:
    """The types of the rule's targets (``units._detector_of``)."""
    return frozenset(t for target in _targets(ctx.params) for t in target["types"])


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    for target in _targets(ctx.params):
        attributes = target.get("attributes")
        for res in model.of_type(*target["types"]):
            if attributes:  # one finding per resource: the longest of these
                hits = [_judge(model, res, {**target, "attribute": a}, ctx) for a in attributes]
                hit = max((h for h in hits if h is not None), key=_kept, default=None)
            else:
                hit = _judge(model, res, target, ctx)
            if hit is not None:
                yield hit


def _kept(hit: Hit) -> float:
    try:
        return float(hit.args["days"])
    except ValueError:
        return float("inf")  # never expires


detect.judged_types = judged_types  # type: ignore[attr-defined]
