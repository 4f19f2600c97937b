"""Retention of the data operators keep (DH341): a Strimzi ``KafkaTopic``'s ``retention.ms``
and a ``Kafka`` cluster's broker default (``log.retention.*``), and a CloudNativePG
``Cluster``'s ``retentionPolicy`` of its backups to an object store, against the policy's
maximum for the resource's class.

The class is the resource's classification label, else (a topic) the label of the ``Kafka``
cluster its ``strimzi.io/cluster`` label names, else the policy's default class; a class
without personal data, or without a maximum, is not judged. A topic without ``retention.ms``
keeps the broker default, judged on the ``Kafka`` that sets it (Kafka's own default, 7 days,
is not judged, as DH304 does not judge a stream's default). Values that are not numbers are
not judged; a negative one (``-1``) keeps records forever.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from dhlint.analysis import Context
from dhlint.detectors.kubernetes._classes import data_class, header_node
from dhlint.detectors.kubernetes._operators import is_set, objects_of
from dhlint.frontends.kubernetes import Node
from dhlint.models.kubernetes import K8sObject, KubernetesModel
from dhlint.types import Hit

KAFKA = "Kafka (kafka.strimzi.io)"
TOPIC = "KafkaTopic (kafka.strimzi.io)"
CNPG = "Cluster (postgresql.cnpg.io)"
MS_PER_DAY = 86_400_000
# Kafka reads the first of these that is set (ms over minutes over hours).
BROKER_KEYS = (("log.retention.ms", 1), ("log.retention.minutes", 60_000),
               ("log.retention.hours", 3_600_000))  # fmt: skip
# CloudNativePG's retentionPolicy: "^[1-9][0-9]*[dwm]$" (days, weeks, months).
_POLICY = re.compile(r"\A\s*([1-9][0-9]*)\s*([dwm])\s*")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 31}


def _number(node: Node | None) -> int | None:
    text = node.text.strip() if node is not None and node.text is not None else ""
    try:
        return int(text)
    except ValueError:
        return None


def _days(count: int, unit_ms: int) -> float | None:
    """Days of a retention of ``count`` units (None: kept forever)."""
    if count < 0:
        return None
    return count * unit_ms / MS_PER_DAY


def _shown(days: float) -> str:
    return str(int(days)) if float(days).is_integer() else f"{days:.1f}"


def _classes(model: KubernetesModel) -> dict[tuple[str, str], dict[str, str]]:
    """(namespace, name) of each Strimzi Kafka cluster -> its labels."""
    return {(o.namespace or "default", o.name): o.labels for o in objects_of(model, KAFKA)}


def _cluster_of(
    clusters: dict[tuple[str, str], dict[str, str]], namespace: str, name: str | None
) -> dict[str, str] | None:
    """The labels of a topic's cluster (``strimzi.io/cluster``): the one of that name in the
    topic's namespace, else the only one of that name in another namespace of the tree (a
    Topic Operator may watch a namespace other than its cluster's: ``watchedNamespace``)."""
    if name is None:
        return None
    found = clusters.get((namespace, name))
    if found is not None:
        return found
    others = [labels for (_, n), labels in clusters.items() if n == name]
    return others[0] if len(others) == 1 else None


def _judged(labels: dict[str, str], ctx: Context) -> tuple[str, int] | None:
    """(class, maximum days) when the resource holds personal data that has a maximum."""
    cls, _ = data_class(labels, ctx.policy)
    if cls not in ctx.policy.classes_with_personal_data():
        return None
    maximum = ctx.policy.max_retention_days(cls)
    return None if maximum is None else (cls, maximum)


def _hit(
    obj: K8sObject, node: Node, key_path: str, what: str, found: str, cls: str, maximum: int
) -> Hit:
    return Hit(
        obj.location(node),
        args={
            "kind": obj.kind,
            "object": obj.name,
            "what": what,
            "found": found,
            "class": cls,
            "max_days": str(maximum),
        },
        anchor=obj.anchor(key_path),
        scope=obj.scope,
    )


def _retention(
    obj: K8sObject,
    config: Node | None,
    keys: tuple[tuple[str, int], ...],
    key_prefix: str,
    what: str,
    judged: tuple[str, int],
) -> Iterator[Hit]:
    """A Kafka retention setting of ``config`` (the first of ``keys`` that is a number)."""
    if config is None or not config.is_map:
        return
    for key, unit_ms in keys:
        node = config.get(key)
        count = _number(node)
        if node is None or count is None:
            continue
        days = _days(count, unit_ms)
        cls, maximum = judged
        if days is None:
            found = f"forever ({key}: {count})"
        elif days > maximum:
            found = f"for {_shown(days)} days ({key}: {count})"
        else:
            return
        yield _hit(obj, node, f"{key_prefix}.{key}", what, found, cls, maximum)
        return


def operator_retention(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    clusters = _classes(model)
    for kafka in objects_of(model, KAFKA):
        judged = _judged(kafka.labels, ctx)
        if judged is not None:
            config = kafka.get("spec", "kafka", "config")
            yield from _retention(
                kafka, config, BROKER_KEYS, "spec.kafka.config", "records by default", judged
            )
    label = ctx.policy.settings["classification"]["tag"]
    for topic in objects_of(model, TOPIC):
        labels = topic.labels
        if label not in labels:  # the class of the cluster the topic is on
            cluster = _cluster_of(
                clusters, topic.namespace or "default", labels.get("strimzi.io/cluster")
            )
            labels = {**(cluster or {}), **labels}
        judged = _judged(labels, ctx)
        if judged is not None:
            config = topic.get("spec", "config")
            yield from _retention(
                topic, config, (("retention.ms", 1),), "spec.config", "records", judged
            )
    for cluster in objects_of(model, CNPG):
        backup = cluster.get("spec", "backup")
        store = backup.get("barmanObjectStore") if backup is not None else None
        if backup is None or not is_set(store):
            continue  # no backups to an object store (volume snapshots have no policy)
        judged = _judged(cluster.labels, ctx)
        if judged is None:
            continue
        cls, maximum = judged
        node = backup.get("retentionPolicy")
        text = node.text if node is not None else None
        if node is None or text is None or not text.strip():
            if cluster.partial:
                continue
            spec = cluster.get("spec")
            where = (spec.key("backup") if spec is not None else None) or header_node(cluster)
            found = "forever (no retentionPolicy)"
            yield _hit(cluster, where, "spec.backup.retentionPolicy", "backups", found, cls,
                       maximum)  # fmt: skip
            continue
        match = _POLICY.fullmatch(text)
        if match is None:
            continue  # not a policy CloudNativePG accepts: not judged
        days = int(match[1]) * _UNIT_DAYS[match[2]]
        if days > maximum:
            found = f"for {days} days (retentionPolicy: {text.strip()})"
            yield _hit(cluster, node, "spec.backup.retentionPolicy", "backups", found, cls,
                       maximum)  # fmt: skip
