"""Storage: StorageClasses without encryption (DH140), hostPath volumes in workloads holding
classified data (DH141), and volume claims without a retention annotation (DH340)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dhlint.analysis import Context
from dhlint.detectors.kubernetes._classes import data_class, header_node, skipped_namespace
from dhlint.frontends.kubernetes import Node
from dhlint.models.kubernetes import K8sObject, KubernetesModel
from dhlint.types import Hit


def storage_class(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """A StorageClass whose provisioner is listed in ``params.provisioners`` without the
    parameter that requests encryption (``encrypted: "true"``, a customer-managed key...)."""
    table = ctx.params.get("provisioners") or {}
    accept_default = ctx.policy.settings["encryption"]["accept_provider_default"]
    for obj in model.of_kind("StorageClass"):
        provisioner_node = obj.get("provisioner")
        provisioner = provisioner_node.text if provisioner_node is not None else None
        rule = table.get(provisioner or "")
        if rule is None or (accept_default and rule.get("encrypted_by_default")):
            continue
        parameters = obj.get("parameters")
        params = parameters.string_map() if parameters is not None else {}
        name, expected = rule["parameter"], rule.get("value")
        actual = params.get(name)
        if actual is None and obj.partial:
            continue
        if (
            actual is not None
            and actual.strip()
            and (expected is None or actual.strip().lower() == str(expected).lower())
        ):
            continue
        node = obj.get("parameters", name)
        if node is None:
            node = obj.node.key("parameters") if parameters is not None else provisioner_node
        yield Hit(
            obj.location(node),
            args={
                "object": obj.name,
                "provisioner": provisioner or "",
                "parameter": name if expected is None else f'{name}: "{expected}"',
            },
            anchor=obj.anchor(f"parameters.{name}"),
            scope=obj.scope,
        )


def host_path(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """A ``hostPath`` volume in a workload whose data class holds personal data."""
    personal = ctx.policy.classes_with_personal_data()
    for workload in model.workloads:
        if skipped_namespace(workload.obj, ctx.params):
            continue
        cls, stated = data_class(workload.labels, ctx.policy)
        if cls not in personal:
            continue
        for volume in workload.volumes:
            entry = volume.node.entry("hostPath")
            if entry is None or _stores_nothing(entry[1], workload, volume.name):
                continue
            obj = workload.obj
            yield Hit(
                obj.location(entry[0]),
                args={
                    "volume": volume.name,
                    "path": entry[1].str_at("path"),
                    "kind": obj.kind,
                    "object": obj.name,
                    "class": cls if stated else f"{cls} (no label)",
                },
                anchor=obj.anchor(f"{volume.key_path}.hostPath"),
                scope=(volume.node.line, volume.node.end_line),
            )


# A hostPath of these types is a device node or a socket, not a place data is kept in.
_NOT_STORAGE = ("chardevice", "socket")


def _stores_nothing(host_path: Node, workload, volume: str) -> bool:
    """A hostPath volume no container can keep data in (probe38 #17): a character device (a
    camera, ``/dev/video0``) or a socket by its ``type``, a path under ``/dev`` (device nodes,
    but ``/dev/shm``, memory shared with other pods) whose type is not a block device or a
    directory, or a volume every container mounts read-only."""
    kind = host_path.str_at("type").lower()
    path = host_path.str_at("path")
    if kind in _NOT_STORAGE:
        return True
    device = path.startswith("/dev/") and not path.startswith("/dev/shm")
    if device and kind not in ("blockdevice", "directory", "directoryorcreate"):
        return True
    mounts = []
    for container in workload.containers:
        listed = container.node.get("volumeMounts")
        mounts += [m for m in listed.items() if m.str_at("name") == volume] if listed else []
    return bool(mounts) and all(m.str_at("readOnly").lower() == "true" for m in mounts)


def _claims(model: KubernetesModel) -> Iterator[tuple[K8sObject, Node, str, dict[str, str]]]:
    """(object, claim mapping, anchor path, labels) of every PVC and StatefulSet claim template.

    A claim template's labels fall back to the StatefulSet's (its data class)."""
    for obj in model.of_kind("PersistentVolumeClaim"):
        yield obj, obj.node, "", obj.labels
    for workload in model.workloads:
        templates = workload.obj.get("spec", "volumeClaimTemplates")
        if workload.obj.kind != "StatefulSet" or templates is None:
            continue
        for i, claim in enumerate(templates.items()):
            if not claim.is_map:
                continue
            labels_node = claim.get("metadata", "labels")
            labels = labels_node.string_map() if labels_node is not None else {}
            name = claim.str_at("metadata", "name") or str(i)
            yield (
                workload.obj,
                claim,
                f"spec.volumeClaimTemplates[{name}].",
                {
                    **workload.labels,
                    **labels,
                },
            )


def pvc_retention(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """A claim of personal data without the retention annotation, or one above the maximum
    (PersistentVolumeClaims and StatefulSet ``volumeClaimTemplates``)."""
    settings = ctx.policy.settings["classification"]
    annotation = settings["retention_annotation"]
    personal = ctx.policy.classes_with_personal_data()
    for obj, claim, prefix, labels in _claims(model):
        cls, _ = data_class(labels, ctx.policy)
        if cls not in personal:
            continue
        maximum = ctx.policy.max_retention_days(cls)
        node = claim.get("metadata", "annotations", annotation)
        raw = (node.text or "").strip() if node is not None else ""
        if node is not None and raw.isdigit() and (maximum is None or int(raw) <= maximum):
            continue
        if node is None:
            if obj.partial:
                continue
            where = claim.key("metadata") or (header_node(obj) if not prefix else claim)
            found = "missing"
        else:
            found, where = f"'{raw}'", node
        yield Hit(
            obj.location(where),
            args={
                "object": claim.str_at("metadata", "name") or obj.name,
                "annotation": annotation,
                "found": found,
                "class": cls,
                "max_days": str(maximum) if maximum is not None else "unlimited",
            },
            anchor=obj.anchor(f"{prefix}metadata.annotations.{annotation}"),
            scope=(claim.line, claim.end_line) if prefix else obj.scope,
        )
