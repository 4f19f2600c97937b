"""Raw identifiers reaching a sink (DH560 files/databases/storage, DH561 network, DH565 logs).

Params: ``sinks`` (sink kinds judged), ``categories`` (identifier categories judged),
``record_categories`` (categories judged only as a field of a record: ``reg.medical_notes``,
``row["disability"]``, a column of rows read; never a variable of its own, ``religion``),
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
    record_categories = ctx.params.get("record_categories", ())
    for sink in model.sinks:
        if sink.kind not in sinks:
            continue
        raw = [c for c in sink.columns if is_raw(c, ctx.policy)]
        found = classified(raw, ctx.policy, categories, confidence, skipped)
        if record_categories:
            named = {f.column.name for f in found}
            fields = [c for c in raw if _of_record(c) and c.name not in named]
            found += classified(fields, ctx.policy, record_categories, confidence, skipped)
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


def _of_record(column) -> bool:
    """A field of a record (a parameter's, a row's, a request's: it has an owner) or a column
    of rows read from a source (not named by a variable): not a variable named so, nor an
    attribute of ``self``."""
    if not column.by_name:
        return True
    return column.owner not in ("", "self", "cls")
