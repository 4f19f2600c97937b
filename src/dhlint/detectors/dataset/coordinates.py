"""DH581: coordinates published with more decimals than the policy's ``location_decimals``.

Judged from the values: a column is a coordinate column by its name (``latitude``, ``lng``,
``the_geom``) or because most of its values are points or lat/lon pairs; each value counts
with the most decimals of the coordinates in it (trailing zeros and float noise do not count).
Param ``min_values`` (default 1): how many over-precise values make a finding.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.models.dataset import DatasetModel
from dhlint.types import Hit


def detect(model: DatasetModel, ctx: Context) -> Iterable[Hit]:
    allowed = int(ctx.policy.settings["location_decimals"])
    minimum = int(ctx.params.get("min_values", 1))
    for column in model.columns:
        if not column.is_location or not column.degree_values:
            continue
        over = column.values_over(allowed)
        if over < minimum:
            continue
        yield Hit(
            model.location(column),
            args={
                "column": column.name,
                "count": f"{over:,}",
                "values": f"{column.degree_values:,}",
                "max_decimals": str(column.max_decimals),
                "allowed": str(allowed),
                "file": model.path,
            },
            anchor=model.anchor(column.name),
        )
