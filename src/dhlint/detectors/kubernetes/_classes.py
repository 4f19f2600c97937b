"""The data class of a workload or volume, from the policy's classification label.

A missing or unknown label means the policy's default class (by default ``personal``): the
policy treats an unlabelled store as one that may hold personal data (POLICY-SOURCES 1.9).
"""

from __future__ import annotations

from dhlint.frontends.kubernetes import Node
from dhlint.models.kubernetes import K8sObject, Workload
from dhlint.policy import Policy


def label_key(policy: Policy) -> str:
    return policy.settings["classification"]["tag"]


def data_class(labels: dict[str, str], policy: Policy) -> tuple[str, bool]:
    """(class, whether the label states it)."""
    settings = policy.settings["classification"]
    value = labels.get(settings["tag"])
    if value in settings["values"]:
        return value, True
    return settings["default"], False


def holds_personal(labels: dict[str, str], policy: Policy) -> bool:
    return data_class(labels, policy)[0] in policy.classes_with_personal_data()


def label_node(thing: Workload | K8sObject, key: str) -> Node | None:
    """The label's value node: on the pod template first (what selectors see), else metadata."""
    obj = thing.obj if isinstance(thing, Workload) else thing
    if isinstance(thing, Workload):
        template = thing.pod_spec_path.split(".")[:-1]
        if template:
            node = obj.get(*template, "metadata", "labels", key)
            if node is not None:
                return node
    return obj.get("metadata", "labels", key)


def header_node(obj: K8sObject) -> Node:
    """Where to point when something is missing on an object: its ``metadata`` key, else kind."""
    return obj.node.key("metadata") or obj.node.get("kind") or obj.node


SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease")


def skipped_namespace(obj: K8sObject, params: dict) -> bool:
    """Cluster infrastructure namespaces are judged by the control-plane rules, not these."""
    return (obj.namespace or "default") in params.get("skip_namespaces", SYSTEM_NAMESPACES)
