"""Governance: workloads and volume claims must carry the policy's classification label."""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.kubernetes._classes import (
    header_node,
    label_key,
    label_node,
    skipped_namespace,
)
from dhlint.models.kubernetes import KubernetesModel
from dhlint.types import Hit


def classification_label(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH840: a workload or PVC without the label, or with a value the policy does not define."""
    key = label_key(ctx.policy)
    values = ctx.policy.settings["classification"]["values"]
    kinds = set(ctx.params.get("kinds", ("PersistentVolumeClaim",)))
    things = [(w.obj, w) for w in model.workloads] + [
        (o, o) for o in model.objects if o.kind in kinds
    ]
    for obj, thing in things:
        if obj.partial or skipped_namespace(obj, ctx.params):
            continue
        node = label_node(thing, key)
        if node is not None and node.text in values:
            continue
        if node is None:
            labels = obj.get("metadata", "labels")
            where = obj.node.get("metadata").key("labels") if labels is not None else None
            found = "missing"
        else:
            where, found = node, f"'{node.text or ''}'"
        yield Hit(
            obj.location(where or header_node(obj)),
            args={
                "kind": obj.kind,
                "object": obj.name,
                "label": key,
                "found": found,
                "values": ", ".join(values),
            },
            anchor=obj.anchor(f"metadata.labels.{key}"),
            scope=obj.scope,
        )
