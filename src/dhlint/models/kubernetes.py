"""The Kubernetes model: every object of the scanned tree, with workloads unpacked.

One model for the whole run (``build_models`` returns a single ``KubernetesModel``), because
several rules need other documents: a NetworkPolicy selecting a workload, a Service in front of
it. Detectors read this model only; positions come from the frontend's nodes.

Anchors (stable identities for baselines and fingerprints) are ``Kind/namespace/name:key.path``
with list items named, not numbered, where they have a name
(``Deployment/city/ingest:spec.template.spec.containers[app].env[DB_PASSWORD].value``).
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from dhlint.analysis import BuildEnv, BuildResult
from dhlint.frontends.kubernetes import Node, parse_file
from dhlint.types import Diagnostic, Location, SourceFile

# Where each workload kind keeps its pod spec (and pod template metadata).
POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "PodTemplate": ("template", "spec"),
}
WORKLOAD_KINDS = tuple(POD_SPEC_PATHS)


@dataclass
class K8sObject:
    """One Kubernetes object (a document, or an item of a ``kind: List``)."""

    path: str
    kind: str
    api_version: str
    name: str
    namespace: str
    labels: dict[str, str]
    annotations: dict[str, str]
    node: Node  # the object's mapping
    document: int  # 0-based document index in the file
    item: int | None = None  # index in a ``kind: List``
    # A Kustomize patch: only the fields it changes are written, so rules about something
    # *missing* (a label, a flag, a policy) do not judge it; rules about values still do.
    partial: bool = False

    @property
    def ref(self) -> str:
        """``Kind/namespace/name``, the prefix of every anchor on this object."""
        return f"{self.kind}/{self.namespace or 'default'}/{self.name or '-'}"

    def anchor(self, key_path: str) -> str:
        return f"{self.ref}:{key_path}" if key_path else self.ref

    def location(self, node: Node) -> Location:
        return node_location(self.path, node)

    @property
    def scope(self) -> tuple[int, int]:
        return (self.node.line, self.node.end_line)

    def get(self, *path: str) -> Node | None:
        return self.node.get(*path)


@dataclass
class EnvVar:
    name: str
    node: Node  # the entry mapping
    name_node: Node
    value: Node | None  # a literal ``value``
    value_from: Node | None
    key_path: str  # ``...env[NAME]``

    @property
    def literal(self) -> str | None:
        return self.value.text if self.value is not None else None


@dataclass
class Container:
    workload: Workload
    name: str
    init: bool
    node: Node
    key_path: str  # ``spec.template.spec.containers[app]``
    image: Node | None
    env: list[EnvVar] = field(default_factory=list)
    env_from: list[Node] = field(default_factory=list)
    command: list[Node] = field(default_factory=list)
    args: list[Node] = field(default_factory=list)

    @property
    def obj(self) -> K8sObject:
        return self.workload.obj

    @property
    def scope(self) -> tuple[int, int]:
        return (self.node.line, self.node.end_line)


@dataclass
class Volume:
    name: str
    node: Node
    key_path: str

    @property
    def source_type(self) -> str:
        """``hostPath``, ``persistentVolumeClaim``, ``secret``... (the first non-name key)."""
        for key, _ in self.node.pairs():
            if key.value != "name":
                return key.value
        return ""


@dataclass
class Workload:
    obj: K8sObject
    pod_spec: Node
    pod_spec_path: str  # ``spec.template.spec``
    pod_labels: dict[str, str]
    containers: list[Container] = field(default_factory=list)  # init containers first
    volumes: list[Volume] = field(default_factory=list)

    @property
    def labels(self) -> dict[str, str]:
        """Object labels with the pod template's labels over them."""
        return {**self.obj.labels, **self.pod_labels}


@dataclass
class KubernetesModel:
    objects: list[K8sObject] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)  # source lines, for spans

    def span(self, path: str, node: Node, start: int, end: int) -> Location:
        """The exact region of ``node.text[start:end]`` when the source shows it verbatim
        (plain or quoted one-line scalars, literal ``|`` blocks); else the node's region."""
        text = node.text
        lines = self.lines.get(path)
        if not lines or text is None or not 0 <= start < end <= len(text):
            return node_location(path, node)
        if node.line == node.end_line and node.style in (None, "'", '"'):
            quote = 0 if node.style is None else 1
            raw = _line(lines, node.line)[node.col - 1 + quote : node.end_col - 1 - quote]
            if raw == text:
                col = node.col + quote
                return Location(path, node.line, col + start, node.line, col + end)
        elif node.style == "|" and "\n" not in text[start:end]:
            first = text.rfind("\n", 0, start) + 1
            stop = text.find("\n", start)
            content = text[first : stop if stop >= 0 else len(text)]
            line = node.line + 1 + text.count("\n", 0, start)
            indent = _line(lines, line).find(content) if content else -1
            if indent >= 0:
                col = indent + 1 + (start - first)
                return Location(path, line, col, line, col + (end - start))
        return node_location(path, node)

    def of_kind(self, *kinds: str) -> list[K8sObject]:
        return [o for o in self.objects if o.kind in kinds]

    def containers(self) -> Iterator[Container]:
        for workload in self.workloads:
            yield from workload.containers

    def env_vars(self) -> Iterator[tuple[Container, EnvVar]]:
        for container in self.containers():
            for env in container.env:
                yield container, env

    def namespaces(self) -> set[str]:
        """Every namespace the tree names (objects' namespaces and Namespace objects)."""
        found = {o.namespace for o in self.objects if o.namespace}
        found |= {o.name for o in self.of_kind("Namespace") if o.name}
        return found | {"default"}

    def by_namespace(self, kind: str) -> dict[str, list[K8sObject]]:
        table: dict[str, list[K8sObject]] = defaultdict(list)
        for obj in self.of_kind(kind):
            table[obj.namespace or "default"].append(obj)
        return table


def node_location(path: str, node: Node) -> Location:
    return Location(path, node.line, node.col, node.end_line, node.end_col)


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _item_key(node: Node, index: int, field_name: str = "name") -> str:
    name = node.str_at(field_name) if node.is_map else ""
    return f"[{name}]" if name else f"[{index}]"


def _object(path: str, node: Node, document: int, item: int | None) -> K8sObject | None:
    if not node.is_map:
        return None
    kind, api = node.str_at("kind"), node.str_at("apiVersion")
    if not kind or not api:
        return None  # not a Kubernetes object (other YAML in the same file)
    meta = node.get("metadata")
    labels = meta.get("labels") if meta is not None else None
    annotations = meta.get("annotations") if meta is not None else None
    return K8sObject(
        path=path,
        kind=kind,
        api_version=api,
        name=node.str_at("metadata", "name") or node.str_at("metadata", "generateName"),
        namespace=node.str_at("metadata", "namespace"),
        labels=labels.string_map() if labels is not None else {},
        annotations=annotations.string_map() if annotations is not None else {},
        node=node,
        document=document,
        item=item,
    )


def _container(workload: Workload, node: Node, key_path: str, init: bool) -> Container:
    container = Container(
        workload=workload,
        name=node.str_at("name"),
        init=init,
        node=node,
        key_path=key_path,
        image=node.get("image"),
    )
    env = node.get("env")
    for i, entry in enumerate(env.items() if env is not None else []):
        name_node = entry.get("name") if entry.is_map else None
        if name_node is None or name_node.text is None:
            continue
        container.env.append(
            EnvVar(
                name=name_node.text,
                node=entry,
                name_node=name_node,
                value=entry.get("value"),
                value_from=entry.get("valueFrom"),
                key_path=f"{key_path}.env{_item_key(entry, i)}",
            )
        )
    env_from = node.get("envFrom")
    container.env_from = env_from.items() if env_from is not None else []
    for field_name in ("command", "args"):
        value = node.get(field_name)
        if value is not None:
            setattr(container, field_name, value.items() if value.is_seq else [value])
    return container


def _workload(obj: K8sObject) -> Workload | None:
    spec_path = POD_SPEC_PATHS.get(obj.kind)
    if spec_path is None:
        return None
    pod_spec = obj.get(*spec_path)
    if pod_spec is None or not pod_spec.is_map:
        return None
    template = obj.get(*spec_path[:-1]) if len(spec_path) > 1 else None
    pod_labels_node = template.get("metadata", "labels") if template is not None else None
    workload = Workload(
        obj=obj,
        pod_spec=pod_spec,
        pod_spec_path=".".join(spec_path),
        pod_labels=pod_labels_node.string_map() if pod_labels_node is not None else {},
    )
    for field_name, init in (("initContainers", True), ("containers", False)):
        seq = pod_spec.get(field_name)
        for i, node in enumerate(seq.items() if seq is not None else []):
            if node.is_map:
                key_path = f"{workload.pod_spec_path}.{field_name}{_item_key(node, i)}"
                workload.containers.append(_container(workload, node, key_path, init))
    volumes = pod_spec.get("volumes")
    for i, node in enumerate(volumes.items() if volumes is not None else []):
        if node.is_map:
            key_path = f"{workload.pod_spec_path}.volumes{_item_key(node, i)}"
            workload.volumes.append(Volume(node.str_at("name"), node, key_path))
    return workload


def build_models(files: Sequence[SourceFile], env: BuildEnv) -> BuildResult:
    """All Kubernetes files of a run -> one ``KubernetesModel`` (plus per-file diagnostics)."""
    model = KubernetesModel()
    result = BuildResult(models=[model])
    for source in files:
        parsed = parse_file(source.path, source.text, source.abspath)
        if parsed.helm_template:
            result.diagnostics.append(
                Diagnostic(
                    source.path,
                    "skipped: Helm chart template (render it with `helm template` and pipe "
                    "the output to `dhlint check -`)",
                    kind="skipped",
                    level="note",
                )
            )
            continue
        model.files.append(source.path)
        model.lines[source.path] = source.text.splitlines()
        for index, error in parsed.errors:
            result.diagnostics.append(
                Diagnostic(
                    source.path,
                    f"document {index + 1}: {error.message}; other documents still checked",
                    line=error.line,
                    col=error.col,
                )
            )
        for document in parsed.documents:
            if document.root is None:
                continue
            for obj in _objects(source.path, document.root, document.index):
                model.objects.append(obj)
                workload = _workload(obj)
                if workload is not None:
                    model.workloads.append(workload)
    _mark_kustomize_patches(model)
    return result


def _mark_kustomize_patches(model: KubernetesModel) -> None:
    """Objects in files that a ``kustomization.yaml`` lists as patches are partial."""
    patch_files: set[str] = set()
    for obj in model.of_kind("Kustomization"):
        base = posixpath.dirname(obj.path)
        names: list[str] = []
        for field_name in ("patchesStrategicMerge", "patches"):
            entries = obj.get(field_name)
            for entry in entries.items() if entries is not None else []:
                name = entry.text if entry.is_scalar else entry.str_at("path")
                if name and "\n" not in name:
                    names.append(name)
        patch_files.update(posixpath.normpath(posixpath.join(base, n)) for n in names)
    for obj in model.objects:
        if obj.path in patch_files:
            obj.partial = True


def _objects(path: str, root: Node, document: int) -> Iterator[K8sObject]:
    obj = _object(path, root, document, None)
    if obj is None:
        return
    items = root.get("items")
    if obj.kind.endswith("List") and items is not None and items.is_seq:
        for i, item in enumerate(items.items()):
            inner = _object(path, item, document, i)
            if inner is not None:
                yield inner
        return
    yield obj
