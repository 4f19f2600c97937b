"""Stored data made public by Python code (``PythonModel.public``).

- ``identifiers`` (DH460): the object or bucket made public receives raw identifiers: written
  by the same call (``put_object(Body=..., ACL="public-read")``, ``to_csv("s3://...",
  storage_options=...)``), or by a write to the same bucket in the file when the grant covers
  the bucket (a bucket policy, ``make_public(recursive=True)``, a public container), or in the
  same function when it covers one object (``put_object_acl``, ``blob.make_public()``).
- ``unknown_data`` (DH461): every other grant: what is made public is not known to be
  personal (open data is published so on purpose), so it is a finding to review, less severe.

Params (both): ``categories`` and ``min_confidence`` of the identifiers that make a grant
DH460's (as DH560's).
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.python._columns import classified, describe, is_raw
from dhlint.models.python import PublicFact, PythonModel, SinkFact
from dhlint.types import Hit, Related

DEFAULT_CATEGORIES = ("direct", "device", "biometric")


def identifiers(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    for fact, found, sink in _judged(model, ctx):
        if found:
            first = found[0].column
            flow = (*first.flow, Related(sink.location, f"written by {sink.api}"))
            related = () if sink.location == fact.location else (flow[-1],)
            yield Hit(
                location=fact.location,
                args={**_args(fact), "columns": describe(found)},
                anchor=fact.anchor,
                scope=fact.scope,
                related=related,
                flow=flow,
            )


def unknown_data(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    for fact, found, _sink in _judged(model, ctx):
        if not found:
            yield Hit(
                location=fact.location, args=_args(fact), anchor=fact.anchor, scope=fact.scope
            )


def _judged(model: PythonModel, ctx: Context):
    """Each grant, with the identifiers written to what it makes public and the write they
    reach it by (the first that carries any)."""
    categories = ctx.params.get("categories", DEFAULT_CATEGORIES)
    confidence = ctx.params.get("min_confidence", "medium")
    for fact in model.public:
        found, by = [], None
        for sink in _writes(model, fact):
            raw = [c for c in sink.columns if is_raw(c, ctx.policy)]
            found = classified(raw, ctx.policy, categories, confidence)
            if found:
                by = sink
                break
        yield fact, found, by


def _writes(model: PythonModel, fact: PublicFact) -> Iterable[SinkFact]:
    """The writes whose data the grant exposes: its own call's, then the bucket's."""
    own = [s for s in model.sinks if s.anchor == fact.anchor and s.location == fact.location]
    yield from own
    if fact.bucket is None or (own and not fact.whole):
        return  # an object written with its ACL: that object, not the bucket's others
    function = fact.anchor.split(":", 1)[0]
    for sink in model.sinks:
        if (
            sink.kind == "storage"
            and sink.host is not None
            and sink.host.split("@", 1)[0] == fact.bucket  # an Azure container@account
            and (fact.whole or sink.anchor.split(":", 1)[0] == function)
            and sink.location != fact.location
        ):
            yield sink


def _args(fact: PublicFact) -> dict[str, str]:
    what = f"data in '{fact.bucket}'" if fact.bucket else "stored data"
    return {"api": fact.api, "grant": fact.grant, "what": what}
