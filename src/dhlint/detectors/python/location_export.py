"""DH563: coordinates (or other location columns) leave the program more precise than the
policy's ``location_decimals``: not rounded, or rounded to too many decimals."""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.python._columns import classified, describe, flow_for, sink_text
from dhlint.models.python import ColumnFact, PythonModel
from dhlint.types import Hit

SINKS = ("file", "database", "storage", "network")


def _precise(column: ColumnFact, decimals: int) -> bool:
    treatment = column.treatment
    if treatment == "raw":
        return True
    if treatment.startswith("round:"):
        try:
            return int(treatment.split(":", 1)[1]) > decimals
        except ValueError:
            return True
    return False  # hashed, bucketed, truncated, protected, aggregated


def detect(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    decimals = int(ctx.policy.settings.get("location_decimals", 3))
    sinks = set(ctx.params.get("sinks", SINKS))
    confidence = ctx.params.get("min_confidence", "medium")
    for sink in model.sinks:
        if sink.kind not in sinks:
            continue
        precise = [c for c in sink.columns if _precise(c, decimals)]
        found = classified(precise, ctx.policy, ("location",), confidence)
        if not found:
            continue
        related, flow = flow_for(found, sink)
        yield Hit(
            location=sink.location,
            args={"columns": describe(found), "sink": sink_text(sink), "decimals": str(decimals)},
            anchor=sink.anchor,
            scope=sink.scope,
            related=related,
            flow=flow,
        )
