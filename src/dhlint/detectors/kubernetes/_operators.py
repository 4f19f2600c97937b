"""Operators' custom resources (a CloudNativePG ``Cluster``, a Strimzi ``Kafka``, a MinIO
``Tenant``...): which objects are of a kind the catalogue names, and the values at the paths
it names in them.

A kind is named with its API group, as the compliance report names custom resources:
``Cluster (postgresql.cnpg.io)``, so another operator's ``Cluster`` (Cluster API's) is not
read. Any version of the group is read; a field of an unexpected shape (a scalar where a list
is expected, a list where a mapping is) is not there.

A data store an operator runs holds personal data unless its classification label says
otherwise (unlabelled: the policy's default class), as workloads and volume claims are judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from dhlint.detectors.kubernetes._classes import holds_personal
from dhlint.detectors.kubernetes._values import Value
from dhlint.frontends.kubernetes import Node
from dhlint.models.kubernetes import K8sObject, KubernetesModel
from dhlint.policy import Policy


def parse_kind(ref: str) -> tuple[str, str]:
    """``"Cluster (postgresql.cnpg.io)"`` -> ``("Cluster", "postgresql.cnpg.io")``."""
    kind, _, group = ref.partition(" (")
    return kind.strip(), group.rstrip(")").strip()


def group_of(obj: K8sObject) -> str:
    return obj.api_version.rpartition("/")[0]


def objects_of(model: KubernetesModel, ref: str) -> list[K8sObject]:
    kind, group = parse_kind(ref)
    return [o for o in model.of_kind(kind) if group_of(o) == group]


def at_path(node: Node, path: str, prefix: str = "") -> Iterator[tuple[Node, Node, str]]:
    """``(key, value, key path)`` of each field at a dotted ``path`` (``spec.backup.endpointURL``;
    ``listeners[]`` steps into every item of a list, named in the key path by its ``name``)."""
    head, _, rest = path.partition(".")
    each = head.endswith("[]")
    name = head[:-2] if each else head
    found = node.entry(name) if node.is_map else None
    if found is None:
        return
    key, value = found
    where = f"{prefix}.{name}" if prefix else name
    if not each:
        if rest:
            yield from at_path(value, rest, where)
        else:
            yield key, value, where
        return
    for i, item in enumerate(value.items()):
        label = item.str_at("name") if item.is_map else ""
        item_where = f"{where}[{label or i}]"
        if rest:
            yield from at_path(item, rest, item_where)
        else:
            yield key, item, item_where


def is_set(node: Node | None) -> bool:
    """A field written with something in it (not null, not an empty list or mapping)."""
    if node is None or node.is_null:
        return False
    if node.is_scalar:
        return bool((node.text or "").strip())
    return bool(node.value)


def custom_values(model: KubernetesModel, table: dict | None, policy: Policy) -> Iterator[Value]:
    """The string values at the paths ``table`` names (``{"Kind (group)": [path, ...]}``) in
    the custom resources of those kinds that hold personal data."""
    for ref, paths in (table or {}).items():
        for obj in objects_of(model, ref):
            if not holds_personal(obj.labels, policy):
                continue
            for path in paths or ():
                for key, value, key_path in at_path(obj.node, path):
                    if value.text is None:
                        continue
                    scope = (key.line, value.end_line)
                    where = key_path.removeprefix("spec.")
                    yield Value(obj, value, value.text, where, key_path, scope, "custom")
