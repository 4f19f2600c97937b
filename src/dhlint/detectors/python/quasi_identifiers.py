"""DH564: the policy's ``quasi_identifier_limit`` or more raw quasi-identifiers (postal code,
birth date, age, sex, race..., and special attributes such as a disability) leave together:
together they single people out. Param ``categories`` (default quasi and special).

A grouping's statistics (``df.groupby([zip, age_band, sex]).size()``) written with a filter
that drops the groups under the policy's ``k_anonymity`` (``counts[counts["n"] >= 11]``,
``.query("n >= 11")``, ``.mask(counts["n"] < 11)``) are not reported; without one, the message
says no such suppression was seen (``SinkFact.grouped``)."""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.python._columns import classified, describe, flow_for, is_raw, sink_text
from dhlint.identifiers import QUASI_CATEGORIES
from dhlint.models.python import PythonModel
from dhlint.types import Hit

SINKS = ("file", "database", "storage", "network")
_GROUPED = ", as statistics of their groups with no suppression of groups under k={k} seen"


def detect(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    limit = int(ctx.policy.settings.get("quasi_identifier_limit", 3))
    sinks = set(ctx.params.get("sinks", SINKS))
    confidence = ctx.params.get("min_confidence", "medium")
    categories = ctx.params.get("categories", QUASI_CATEGORIES)
    k = ctx.policy.settings.get("k_anonymity", 11)
    for sink in model.sinks:
        if sink.kind not in sinks or sink.grouped == "suppressed":
            continue
        found = classified(
            [c for c in sink.columns if is_raw(c, ctx.policy)], ctx.policy, categories, confidence
        )
        distinct = {item.concept for item in found}
        if len(found) < limit or len(distinct) < limit:
            continue
        related, flow = flow_for(found, sink)
        yield Hit(
            location=sink.location,
            args={
                "count": str(len(found)),
                "columns": describe(found),
                "sink": sink_text(sink, model),
                "limit": str(limit),
                "grouped": _GROUPED.format(k=k) if sink.grouped == "cells" else "",
            },
            anchor=sink.anchor,
            scope=sink.scope,
            related=related,
            flow=flow,
        )
