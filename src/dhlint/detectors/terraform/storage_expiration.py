"""DH302: a bucket/storage account that may hold classified data has no expiration, or one
longer than the policy maximum for its class.

- S3: provider-v3 inline ``lifecycle_rule`` (enabled, ``expiration.days``) or a linked
  ``aws_s3_bucket_lifecycle_configuration`` (``rule`` with ``status = "Enabled"`` and
  ``expiration.days``).
- GCS: a ``lifecycle_rule`` whose ``action.type`` is ``Delete`` (``condition.age`` days), or a
  ``retention_policy``.
- Azure: a linked ``azurerm_storage_management_policy`` with a ``delete_after_days_since_*``
  action.

Classes without a maximum (``public`` by default) are not judged; unknown values are not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from dhlint.analysis import Context
from dhlint.models.terraform import Resource, TerraformModel, is_absent, is_unknown
from dhlint.types import Hit, Related

# (resource carrying it, key path, days or Unknown)
Expiry = tuple[Resource, tuple, Any]


def _s3(bucket: Resource) -> list[Expiry]:
    out: list[Expiry] = []
    for keypath, rule in bucket.blocks("lifecycle_rule"):
        if rule.get("enabled") is False:
            continue
        for path, days in Resource.find(_wrap(rule), "expiration.days"):
            out.append((bucket, (*keypath, *path), days))
    for comp in bucket.companions.get("lifecycle", []):
        for keypath, rule in comp.blocks("rule"):
            if isinstance(rule.get("status"), str) and rule["status"] != "Enabled":
                continue
            for path, days in Resource.find(_wrap(rule), "expiration.days"):
                out.append((comp, (*keypath, *path), days))
    return out


def _gcs(bucket: Resource) -> list[Expiry]:
    out: list[Expiry] = []
    for keypath, rule in bucket.blocks("lifecycle_rule"):
        types = [t for _, t in Resource.find(_wrap(rule), "action.type")]
        if not any(is_unknown(t) or t == "Delete" for t in types):
            continue
        ages = Resource.find(_wrap(rule), "condition.age")
        for path, days in ages or [(("condition",), None)]:
            out.append((bucket, (*keypath, *path), days))
    for path, period in bucket.find("retention_policy.retention_period"):
        days = period if is_unknown(period) else _seconds_to_days(period)
        out.append((bucket, path, days))
    return out


def _azure(account: Resource) -> list[Expiry]:
    out: list[Expiry] = []
    for comp in account.companions.get("lifecycle", []):
        for key in (
            "delete_after_days_since_modification_greater_than",
            "delete_after_days_since_creation_greater_than",
            "delete_after_days_since_last_access_time_greater_than",
        ):
            for path, days in comp.find(f"rule.actions.base_blob.{key}"):
                out.append((comp, path, days))
    return out


def _seconds_to_days(value: Any) -> Any:
    try:
        return float(value) / 86400
    except (TypeError, ValueError):
        return None


def _wrap(values: dict) -> Resource:
    """A throwaway resource so that ``find`` can walk a nested block."""
    from dhlint.types import Location

    return Resource("", "", "", "", "", "", Location("", 1), (1, 1), values)


KINDS = {"aws_s3_bucket": _s3, "google_storage_bucket": _gcs, "azurerm_storage_account": _azure}


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    for resource in model.of_type(*KINDS):
        data_class = resource.data_class(ctx.policy)
        max_days = ctx.policy.max_retention_days(data_class)
        if max_days is None:
            continue
        expiries = KINDS[resource.type](resource)
        common = {
            "name": resource.address,
            "type": resource.type,
            "max_days": max_days,
            "data_class": data_class,
        }
        known = [(r, p, d) for r, p, d in expiries if not is_absent(d)]
        if not known:
            yield resource.hit(None, days="not set", **common)
            continue
        if any(is_unknown(d) for _, _, d in known):
            continue
        numbers = []
        for res, path, days in known:
            try:
                numbers.append((float(days), res, path, days))
            except (TypeError, ValueError):
                continue
        if numbers and min(n for n, *_ in numbers) > max_days:
            _, res, path, days = min(numbers, key=lambda item: item[0])
            shown = int(days) if isinstance(days, float) and days.is_integer() else days
            hit = res.hit(path, days=shown, **common)
            if res is not resource:
                hit = replace(hit, related=(Related(resource.location, resource.address),))
            yield hit
