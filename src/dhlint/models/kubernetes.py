"""The Kubernetes model: every object of the scanned tree, with workloads unpacked.

One model for the whole run (``build_models`` returns a single ``KubernetesModel``), because
several rules need other documents: a NetworkPolicy selecting a workload, a Service in front of
it. Detectors read this model only; positions come from the frontend's nodes.

Anchors (stable identities for baselines and fingerprints) are ``Kind/namespace/name:key.path``
with list items named, not numbered, where they have a name
(``Deployment/city/ingest:spec.template.spec.containers[app].env[DB_PASSWORD].value``).
"""

from __future__ import annotations

import os
import posixpath
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from dhlint.analysis import BuildEnv, BuildResult
from dhlint.discovery import KUSTOMIZATION_NAMES, is_helm_values
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
    # A patch kustomize applies to an object of the tree (its base, of the same kind and name,
    # in a build of a kustomization that lists the patch): it changes that object's workload
    # and is no workload of its own (the inventory).
    applied: bool = False
    # A generated ConfigMap's or Secret's keys read from another file (``envs``, ``files``):
    # key -> where its value is written there (the object's nodes are at the kustomization's
    # entry, a scanned file, where findings and suppressions belong).
    origins: dict[str, Location] = field(default_factory=dict)

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
    # Variables kustomize patches set on this container in what overlays build: name -> the
    # (patch object, entry) pairs; ``replaced``: names every build that includes it patches,
    # so the value written here is in none of them. The rules judge the values where written;
    # the inventory's joins use these.
    patched: dict[str, list[tuple[K8sObject, EnvVar]]] = field(default_factory=dict)
    replaced: set[str] = field(default_factory=set)

    @property
    def obj(self) -> K8sObject:
        return self.workload.obj

    @property
    def scope(self) -> tuple[int, int]:
        return (self.node.line, self.node.end_line)

    @property
    def program(self) -> str:
        """What it runs: its command's program name (``kube-apiserver`` of
        ``/usr/local/bin/kube-apiserver``), else its name (the image's entry point)."""
        command = self.command[0].text if self.command else None
        return (command or "").rsplit("/", 1)[-1] or self.name


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
    # Helm charts' values files (``values.yaml`` beside ``Chart.yaml``), one object a document:
    # kind ``HelmValues``, namespace the chart's directory name, name the file's; and Grafana's
    # datasource provisioning files, kind ``GrafanaDatasources`` (namespace the directory's
    # name). Only the credential rules read them (DH742, DH743), and DH241 Grafana's; no other
    # rule sees them as objects.
    helm_values: list[K8sObject] = field(default_factory=list)

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

    def subjects(self) -> set[tuple[str, str]]:
        """What the rules may judge, by file: (path, kind) of each object, and (path,
        ``program:<name>``) of each container's program and of a KubeletConfiguration (the
        kubelet's settings), which the control-plane rules judge (see ``Container.program``);
        (path, ``provisioner:<name>``) of each StorageClass, which DH140 judges only for the
        provisioners it knows; (path, ``custom:<Kind> (<group>)``) of each custom resource
        (an operator's database, broker or store), which the report names when no rule reads
        its kind."""
        found = {(o.path, o.kind) for o in (*self.objects, *self.helm_values)}
        found |= {(c.obj.path, f"program:{c.program}") for c in self.containers()}
        found |= {(o.path, "program:kubelet") for o in self.of_kind("KubeletConfiguration")}
        for obj in self.of_kind("StorageClass"):
            node = obj.get("provisioner")
            if node is not None and node.text:
                found.add((obj.path, f"provisioner:{node.text}"))
        for obj in self.objects:
            group = obj.api_version.rpartition("/")[0]
            # Built-in groups: none (v1), one word (apps, batch), or *.k8s.io.
            if "." in group and not group.endswith(".k8s.io") and obj.kind:
                found.add((obj.path, f"custom:{obj.kind} ({group})"))
        return found

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
        values = is_helm_values(source.path, source.abspath)
        kustomization = posixpath.basename(source.path) in KUSTOMIZATION_NAMES
        for document in parsed.documents:
            if document.root is None:
                continue
            if values:
                if document.root.is_map:
                    model.helm_values.append(_helm_values(source.path, document))
                continue
            root = document.root
            if _grafana_datasources(root):
                model.helm_values.append(_helm_values(source.path, document, GRAFANA))
                continue
            if (
                kustomization
                and root.is_map
                and not root.get("kind")
                and not root.get("apiVersion")
            ):
                # kustomize reads a kustomization.yaml without apiVersion and kind: one.
                model.objects.append(_bare_kustomization(source.path, document))
                continue
            for obj in _objects(source.path, document.root, document.index):
                model.objects.append(obj)
                workload = _workload(obj)
                if workload is not None:
                    model.workloads.append(workload)
    _kustomize(model, _FileReader(env.root, result.extra_inputs))
    return result


def _bare_kustomization(path: str, document: Any) -> K8sObject:
    node = document.root
    name = node.str_at("metadata", "name")
    api = "kustomize.config.k8s.io/v1beta1"
    return K8sObject(path, "Kustomization", api, name, "", {}, {}, node, document.index)


def _helm_values(path: str, document: Any, kind: str = "HelmValues") -> K8sObject:
    directory, name = posixpath.split(path)
    chart = posixpath.basename(directory) or "."
    node = document.root
    return K8sObject(path, kind, "", name, chart, {}, {}, node, document.index)


# Grafana's datasource provisioning file: what DH742, DH743 and DH241 read of it.
GRAFANA = "GrafanaDatasources"


def _grafana_datasources(root: Any) -> bool:
    """A Grafana datasource provisioning document: ``apiVersion`` and a ``datasources`` list,
    no ``kind`` (a Kubernetes object with such a key is still an object)."""
    if not root.is_map or root.get("kind") is not None or root.get("apiVersion") is None:
        return False
    datasources = root.get("datasources")
    return datasources is not None and datasources.is_seq


MAX_GENERATOR_FILE = 256 * 1024  # an env or properties file a generator reads


class _FileReader:
    """A file a kustomization's generator names, by its path relative to the scanned root:
    only regular files inside the root that no ``.gitignore`` ignores (an env file kept out
    of the repository holds nothing committed), up to ``MAX_GENERATOR_FILE``, UTF-8; never
    executed. What is read is an extra input of the result cache."""

    def __init__(self, root: str, read: list[str]) -> None:
        self.root, self.read = os.path.realpath(root), read
        self.ignorer: Any = None

    def __call__(self, path: str) -> str | None:
        from pathlib import Path

        from dhlint.discovery import _Ignorer

        candidate = os.path.realpath(os.path.join(self.root, path))
        if os.path.commonpath([self.root, candidate]) != self.root:
            return None
        if self.ignorer is None:
            self.ignorer = _Ignorer(Path(self.root), ())
        if self.ignorer.ignored(Path(candidate), False):
            return None
        try:
            if not os.path.isfile(candidate) or os.path.getsize(candidate) > MAX_GENERATOR_FILE:
                return None
            with open(candidate, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        self.read.append(candidate)
        return text


# Kinds kustomize's ``namespace:`` leaves alone (its built-in cluster-scoped list, checked with
# kustomize 5.5); any other kind, custom resources included, gets the namespace.
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "APIService",
        "CertificateSigningRequest",
        "ClusterRole",
        "ClusterRoleBinding",
        "ComponentStatus",
        "CSIDriver",
        "CSINode",
        "CustomResourceDefinition",
        "IngressClass",
        "MutatingWebhookConfiguration",
        "Node",
        "PersistentVolume",
        "PodSecurityPolicy",
        "PriorityClass",
        "RuntimeClass",
        "StorageClass",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
    }
)
_KUSTOMIZE_KINDS = ("Kustomization", "Component")
_MAX_KUSTOMIZE_DEPTH = 64  # overlays of overlays; kustomize itself rejects cycles


def _kustomize(model: KubernetesModel, read: Callable[[str], str | None]) -> None:
    """What kustomize would do to the scanned objects, as far as the rules care: patches are
    partial, generators make ConfigMaps and Secrets, ``namespace:`` moves the resources."""
    _mark_kustomize_patches(model)
    kustomizations = [
        o
        for o in model.of_kind(*_KUSTOMIZE_KINDS)
        if o.api_version.startswith("kustomize.config.k8s.io/")
    ]
    generated = {id(k): list(_generated_objects(model, k, read)) for k in kustomizations}
    for objects in generated.values():
        model.objects.extend(objects)
    _apply_namespaces(model, kustomizations, generated)
    _patch_env(model, kustomizations)


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


# generator field -> (kind it makes, the field its literals become). A Secret's literals are
# written in plain text, as under ``stringData``.
_GENERATORS = {
    "configMapGenerator": ("ConfigMap", "data"),
    "secretGenerator": ("Secret", "stringData"),
}


def _generated_objects(
    model: KubernetesModel, kust: K8sObject, read: Callable[[str], str | None]
) -> Iterator[K8sObject]:
    """The ConfigMaps and Secrets a kustomization's generators make, built as if written out
    so the rules for written ones judge them: from ``literals`` (``KEY=VALUE``), each key and
    value at its place in the literal; from ``envs`` files (a ``KEY=VALUE`` line each) and
    ``files`` (``[key=]path``: the file's name, or the key given, holds its text), each at
    the entry naming the file, with the line in that file in ``origins``."""
    for field_name, (kind, data_field) in _GENERATORS.items():
        entries = kust.get(field_name)
        for entry in entries.items() if entries is not None else []:
            if not entry.is_map:
                continue
            literals = entry.get("literals")
            data: list[tuple[Node, Node]] = []
            origins: dict[str, Location] = {}
            for item in literals.items() if literals is not None else []:
                pair = _literal_pair(model, kust.path, item)
                if pair is not None:
                    data.append(pair)
            data += _file_pairs(kust.path, entry, read, origins)
            fields = [
                _pair(entry, "apiVersion", "v1"),
                _pair(entry, "kind", kind),
                (_scalar(entry, "metadata"), _metadata(entry)),
            ]
            secret_type = entry.entry("type")  # a Secret's type, as written
            if secret_type is not None:
                fields.append(secret_type)
            if data:  # located at the literals, where a written object has its data
                at = literals if literals is not None else data[0][0]  # or the first file
                fields.append((_scalar(at, data_field), _map(at, data)))
            yield K8sObject(
                origins=origins,
                path=kust.path,
                kind=kind,
                api_version="v1",
                name=entry.str_at("name"),
                namespace=entry.str_at("namespace"),
                labels={},
                annotations={},
                node=_map(entry, fields),
                document=kust.document,
                item=kust.item,
            )


def _file_pairs(
    path: str, entry: Node, read: Callable[[str], str | None], origins: dict[str, Location]
) -> list[tuple[Node, Node]]:
    """(key, value) nodes of a generator's ``envs`` and ``files``, located at the entry that
    names the file; ``origins`` gets where each value is written in that file."""
    out: list[tuple[Node, Node]] = []
    base = posixpath.dirname(path)
    for field_name in ("envs", "env", "files"):
        items = entry.get(field_name)
        if items is not None and items.is_scalar:  # ``env: app.env`` (the old, single form)
            items = Node("seq", [items], items.line, items.col, items.end_line, items.end_col)
        for item in items.items() if items is not None and items.is_seq else []:
            name = item.text
            if not name or "\n" in name:
                continue
            key = None
            if field_name == "files" and "=" in name:
                key, _, name = name.partition("=")
            target = posixpath.normpath(posixpath.join(base, name))
            text = read(target)
            if text is None:
                continue  # outside the tree, missing or unreadable: not known
            where = node_location(path, item)
            if field_name == "files":
                key = key or posixpath.basename(name)
                out.append((_located(where, key), _located(where, text)))
                origins[key] = Location(target, 1, 1, 1, 1)
                continue
            for number, line in enumerate(text.splitlines(), 1):
                stripped = line.strip()
                if not stripped or stripped.startswith("#") or "=" not in stripped:
                    continue  # a bare KEY takes its value from the environment: not known
                var, _, value = stripped.partition("=")
                col = line.index(stripped) + len(var) + 2
                out.append((_located(where, var.strip()), _located(where, value)))
                origins[var.strip()] = Location(target, number, col, number, col + len(value))
    return out


def _literal_pair(model: KubernetesModel, path: str, item: Node) -> tuple[Node, Node] | None:
    """``KEY=VALUE`` -> (key, value) nodes at their own columns (the whole item's region when
    the source does not show the text verbatim). Kustomize drops quotes around the value."""
    text = item.text
    if text is None or "=" not in text:
        return None  # kustomize refuses it
    key, _, value = text.partition("=")
    start = len(key) + 1
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value, start = value[1:-1], start + 1
    key_at = model.span(path, item, 0, len(key)) if key else node_location(path, item)
    value_at = model.span(path, item, start, start + len(value)) if value else key_at
    return _located(key_at, key), _located(value_at, value)


def _located(where: Location, text: str) -> Node:
    # Plain when the region is exactly the text (``span`` then finds offsets in it); folded
    # otherwise, a style ``span`` never reads columns from.
    exact = where.start_line == where.end_line and where.end_col - where.start_col == len(text)
    return Node(
        "scalar",
        text,
        where.start_line,
        where.start_col,
        where.end_line,
        where.end_col,
        style=None if exact else ">",
    )


def _scalar(at: Node, text: str) -> Node:
    return Node("scalar", text, at.line, at.col, at.end_line, at.end_col, style='"')


def _map(at: Node, pairs: list[tuple[Node, Node]]) -> Node:
    node = Node("map", pairs, at.line, at.col, at.end_line, at.end_col)
    node.size = 1 + sum(k.size + v.size for k, v in pairs)
    return node


def _pair(at: Node, key: str, value: str) -> tuple[Node, Node]:
    return _scalar(at, key), _scalar(at, value)


def _metadata(entry: Node) -> Node:
    pairs = [(k, v) for k, v in entry.pairs() if k.text in ("name", "namespace")]
    return _map(entry, pairs)


def _kustomize_links(
    model: KubernetesModel, kustomizations: list[K8sObject]
) -> Iterable[tuple[K8sObject, K8sObject | None, str | None]]:
    """What each kustomization lists under ``resources``/``bases``/``components``: (it, the
    kustomization of a listed directory, None) or (it, None, a listed manifest file)."""
    by_dir = {
        posixpath.dirname(k.path): k
        for k in kustomizations
        if posixpath.basename(k.path) in KUSTOMIZATION_NAMES
    }
    files = set(model.files)
    for kust in kustomizations:
        base = posixpath.dirname(kust.path)
        for field_name in ("resources", "bases", "components"):
            entries = kust.get(field_name)
            for entry in entries.items() if entries is not None else []:
                name = entry.text
                if not name or "\n" in name:
                    continue
                target = posixpath.normpath(posixpath.join(base, name))
                if target in by_dir and by_dir[target] is not kust:
                    yield kust, by_dir[target], None
                elif target in files:
                    yield kust, None, target


def _apply_namespaces(
    model: KubernetesModel,
    kustomizations: list[K8sObject],
    generated: dict[int, list[K8sObject]],
) -> None:
    """A kustomization's ``namespace:`` set on every object it lists (``resources:``, and
    directories through their own kustomization, recursively) and on what it generates, over
    the namespace written. An outer overlay's namespace wins over its base's. A base listed by
    overlays that disagree keeps its own kustomization's namespace, else what is written."""
    parents: dict[int, list[K8sObject]] = defaultdict(list)  # kustomization -> listed by
    listed: dict[str, list[K8sObject]] = defaultdict(list)  # file -> listed by
    for kust, inner_kust, file in _kustomize_links(model, kustomizations):
        if inner_kust is not None:
            parents[id(inner_kust)].append(kust)
        elif file is not None:
            listed[file].append(kust)

    memo: dict[tuple[int, bool], set[str | None]] = {}

    def walk(kust: K8sObject, inner: bool, depth: int = 0) -> set[str | None]:
        # The outermost (or innermost) namespace set on each chain of kustomizations from a
        # root down to ``kust``; None where none sets one. A cycle (kustomize refuses it)
        # or an absurd depth ends the chain.
        key = (id(kust), inner)
        if key in memo:
            return memo[key]
        memo[key] = set()  # in progress: a cycle back here adds nothing
        own = kust.node.str_at("namespace") or None
        above = parents.get(id(kust), [])
        if (inner and own) or not above or depth > _MAX_KUSTOMIZE_DEPTH:
            found = {own}
        else:
            found = {
                ns if ns is not None else own
                for parent in above
                for ns in walk(parent, inner, depth + 1)
            } or {own}
        memo[key] = found
        return found

    def decide(listers: list[K8sObject]) -> str:
        for inner in (False, True):
            found = set().union(*(walk(k, inner) for k in listers))
            if len(found) == 1 and None not in found:
                return found.pop()  # type: ignore[return-value]
        return ""

    # A base that overlays put in different namespaces is one object in the model, kept where
    # it is written; the overlays that list it (and their own files) stay as written too, so
    # that the base and, say, an overlay's NetworkPolicy are not judged apart.
    children: dict[int, list[K8sObject]] = defaultdict(list)
    for kust in kustomizations:
        for parent in parents.get(id(kust), []):
            children[id(parent)].append(kust)
    split = {id(k) for k in kustomizations if len(walk(k, False)) > 1 and not decide([k])}

    def holds_split(kust: K8sObject, seen: set[int]) -> bool:
        if id(kust) in split:
            return True
        seen.add(id(kust))
        return any(holds_split(c, seen) for c in children[id(kust)] if id(c) not in seen)

    kept = {id(k) for k in kustomizations if holds_split(k, set())}
    namespace_of = {
        path: "" if any(id(k) in kept for k in ks) else decide(ks) for path, ks in listed.items()
    }
    targets = [(o, namespace_of.get(o.path, "")) for o in model.objects if o.path in listed]
    for kust in kustomizations:
        ns = "" if id(kust) in kept else decide([kust])
        targets += [(o, ns) for o in generated[id(kust)]]
    for obj, ns in targets:
        if not ns or obj.kind in _KUSTOMIZE_KINDS or obj.kind in CLUSTER_SCOPED_KINDS:
            continue
        if obj.kind == "Namespace":
            obj.name = ns  # kustomize renames a Namespace it lists to its namespace
        else:
            obj.namespace = ns


def _patch_env(model: KubernetesModel, kustomizations: list[K8sObject]) -> None:
    """Record on each container the variables that kustomize patches (strategic merge patch
    files: an object of the same kind and name, a container of the same name) set in the
    builds that include it. Patches apply as kustomize applies them: an included (inner)
    kustomization's first, then its includer's, each kustomization's in the order it lists them,
    so a later patch of the same variable overwrites an earlier one, whose value is not kept.
    A variable is *replaced* when every root kustomization that builds the container's file
    patches it; otherwise the written value stays possible (a build without the patch) beside
    the patched ones."""
    inner: dict[int, list[K8sObject]] = defaultdict(list)  # kustomization -> ones it lists
    own_files: dict[int, set[str]] = defaultdict(set)
    patch_files: dict[int, list[str]] = defaultdict(list)  # in the order listed
    listed: set[int] = set()
    for kust, inner_kust, file in _kustomize_links(model, kustomizations):
        if inner_kust is not None:
            inner[id(kust)].append(inner_kust)
            listed.add(id(inner_kust))
        elif file is not None:
            own_files[id(kust)].add(file)
    for kust in kustomizations:
        base = posixpath.dirname(kust.path)
        for field_name in ("patchesStrategicMerge", "patches"):
            entries = kust.get(field_name)
            for entry in entries.items() if entries is not None else []:
                name = entry.text if entry.is_scalar else entry.str_at("path")
                if name and "\n" not in name:
                    patch_files[id(kust)].append(posixpath.normpath(posixpath.join(base, name)))
    if not any(patch_files.values()):
        return

    memo: dict[int, list[K8sObject]] = {}

    def chain(kust: K8sObject, depth: int = 0) -> list[K8sObject]:
        """``kust`` and every kustomization it includes (a cycle or an absurd depth ends)."""
        if id(kust) in memo:
            return memo[id(kust)]
        memo[id(kust)] = [kust]
        found = [kust]
        if depth <= _MAX_KUSTOMIZE_DEPTH:
            for child in inner[id(kust)]:
                found += [k for k in chain(child, depth + 1) if k not in found]
        memo[id(kust)] = found
        return found

    roots = [k for k in kustomizations if id(k) not in listed]
    patches = [w for w in model.workloads if w.obj.partial]
    for workload in model.workloads:
        obj = workload.obj
        if obj.partial:
            continue
        builds = [chain(r) for r in roots if any(obj.path in own_files[id(k)] for k in chain(r))]
        patching = set()
        for k in (k for ks in builds for k in ks):
            for p in patches:
                if p.obj.path in patch_files[id(k)] and (p.obj.kind, p.obj.name) == (
                    obj.kind,
                    obj.name,
                ):
                    patching.add(id(k))
                    p.obj.applied = True
        if not patching:
            continue
        for container in workload.containers:
            patched_in = Counter()  # variable -> the builds whose patches set it
            for ks in builds:
                effective: dict[str, tuple[K8sObject, EnvVar]] = {}
                for kust in reversed(ks):  # inner kustomizations first, as kustomize applies
                    for patch_path in patch_files[id(kust)]:
                        for patch in patches:
                            if patch.obj.path != patch_path:
                                continue
                            if (patch.obj.kind, patch.obj.name) != (obj.kind, obj.name):
                                continue
                            for other in patch.containers:
                                if other.name == container.name:
                                    for var in other.env:
                                        effective[var.name] = (patch.obj, var)
                for name, (patch_obj, var) in effective.items():
                    patched_in[name] += 1
                    entries = container.patched.setdefault(name, [])
                    if all(v is not var for _, v in entries):
                        entries.append((patch_obj, var))
            for name, count in patched_in.items():
                if count == len(builds):
                    container.replaced.add(name)


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
