"""A resource must have one of several settings: an attribute/block or a linked companion.

``params.checks``: ``[{types: [...], any_of: [path | "companion:<role>"], classes: all}]``.
A finding sits on the resource header (the setting is missing). Unknown values count as set.
Used for access logging (S3 logging, GCS logging), Azure SQL auditing and Azure diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.terraform.values import _applies, judged_types
from dhlint.models.terraform import Resource, TerraformModel, is_absent
from dhlint.types import Hit


def has_any(resource: Resource, options: list[str]) -> bool:
    for option in options:
        if option.startswith("companion:"):
            if resource.companions.get(option.split(":", 1)[1]):
                return True
        elif any(not is_absent(v) and v is not False for _, v in resource.find(option)):
            return True
    return False


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    for check in ctx.params.get("checks", []):
        for resource in model.of_type(*check["types"]):
            if _applies(resource, check, ctx) and not has_any(resource, check["any_of"]):
                yield resource.hit(None, data_class=resource.data_class(ctx.policy))


# Only resources of its checks' types are judged, as by ``values.detect``.
detect.judged_types = judged_types  # type: ignore[attr-defined]
