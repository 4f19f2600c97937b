"""DH580: a data file has a column of direct, device or biometric identifiers (by its name).

Params: ``categories`` (default direct, device, biometric) and ``min_confidence`` (default
medium: ``user_agent`` or ``meter_number`` alone do not fire).
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.models.dataset import DatasetModel
from dhlint.types import Hit

_RANK = {"low": 0, "medium": 1, "high": 2}


def detect(model: DatasetModel, ctx: Context) -> Iterable[Hit]:
    categories = set(ctx.params.get("categories", ["direct", "device", "biometric"]))
    floor = _RANK[ctx.params.get("min_confidence", "medium")]
    for column in model.columns:
        match = column.match
        if match is None or match.category not in categories or _RANK[match.confidence] < floor:
            continue
        if model.has_rows and column.values == 0:
            continue  # an empty column publishes nothing
        yield Hit(
            model.location(column),
            args={
                "column": column.name,
                "category": match.category,
                "matched": match.matched,
                "values": f"{column.values:,}" if model.has_rows else "no",
                "file": model.path,
            },
            anchor=model.anchor(column.name),
        )
