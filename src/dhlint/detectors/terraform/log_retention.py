"""DH301: a CloudWatch log group kept forever or longer than the policy allows.

``retention_in_days`` missing or ``0`` means the logs never expire. The maximum comes from the
policy for the group's data class (its classification tag, else the policy's default class);
a class without a maximum is not judged. Unknown values are not judged; each branch of an
undecided conditional is.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.models.terraform import TerraformModel, is_absent, is_unknown
from dhlint.types import Hit


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    resource_types = ctx.params.get("resource_types", ["aws_cloudwatch_log_group"])
    attribute = ctx.params.get("attribute", "retention_in_days")
    never = set(ctx.params.get("never_expires", [0]))
    scale = float(ctx.params.get("scale", 1))  # attribute units per day (hours: 24)
    missing_ok = ctx.params.get("missing", "fail") == "pass"
    for group in model.of_type(*resource_types):
        data_class = group.data_class(ctx.policy)
        max_days = ctx.policy.max_retention_days(data_class)
        if max_days is None:
            continue
        found = group.find(attribute)
        common = {"name": group.address, "max_days": max_days, "data_class": data_class}
        if not found or all(is_absent(v) for _, v in found):
            if not missing_ok:
                yield group.hit(None, days="not set", **common)
            continue
        for keypath, value in found:
            if is_unknown(value):
                continue
            if is_absent(value):  # one branch of a conditional leaves it unset
                if not missing_ok:
                    yield group.hit(keypath, days="not set", **common)
                    break
                continue
            if value in never:
                yield group.hit(keypath, days=value, **common)
                break
            try:
                days = float(value) / scale
            except (TypeError, ValueError):
                continue
            if days > max_days:
                shown = int(days) if days.is_integer() else round(days, 1)
                yield group.hit(keypath, days=shown, **common)
                break
