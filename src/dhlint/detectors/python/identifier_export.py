"""Raw identifiers reaching a sink (DH560 files/databases/storage, DH561 network, DH565 logs).

Params: ``sinks`` (sink kinds judged), ``categories`` (identifier categories judged),
``min_confidence`` (of the name classifier), ``except_concepts`` (taxonomy concepts a rule
leaves alone: DH565 lets a person's record id be logged, as its advice says).
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.python._columns import classified, describe, flow_for, is_raw, sink_text
from dhlint.models.python import PythonModel
from dhlint.types import Hit

DEFAULT_SINKS = ("file", "database", "storage")
DEFAULT_CATEGORIES = ("direct", "device", "biometric")


def detect(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    sinks = set(ctx.params.get("sinks", DEFAULT_SINKS))
    categories = ctx.params.get("categories", DEFAULT_CATEGORIES)
    confidence = ctx.params.get("min_confidence", "medium")
    skipped = ctx.params.get("except_concepts", ())
    for sink in model.sinks:
        if sink.kind not in sinks:
            continue
        raw = [c for c in sink.columns if is_raw(c, ctx.policy)]
        found = classified(raw, ctx.policy, categories, confidence, skipped)
        if not found:
            continue
        related, flow = flow_for(found, sink)
        yield Hit(
            location=sink.location,
            args={"columns": describe(found), "sink": sink_text(sink, model), "api": sink.api},
            anchor=sink.anchor,
            scope=sink.scope,
            related=related,
            flow=flow,
        )
