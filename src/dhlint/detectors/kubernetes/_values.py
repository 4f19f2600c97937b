"""The string values a workload is configured with, for the rules that read text.

``string_values`` yields literal env values, command/args items and ConfigMap data values (with
where they are and an anchor). ``embedded_settings`` finds ``key = value`` / ``key: value``
lines inside a multi-line value (a properties, .env, YAML, INI or JSON file kept in a
ConfigMap), with offsets, so rules can point at the exact line of an embedded setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dhlint.detectors.kubernetes._tls import embedded_settings as embedded_settings
from dhlint.detectors.kubernetes._tls import in_comment as in_comment
from dhlint.frontends.kubernetes import Node
from dhlint.models.kubernetes import GRAFANA, Container, K8sObject, KubernetesModel
from dhlint.types import Location


@dataclass
class Value:
    obj: K8sObject
    node: Node  # a scalar
    text: str
    key: str  # env var name, ConfigMap key, "" for command/args items
    key_path: str  # anchor path on the object
    scope: tuple[int, int]
    origin: str  # env | arg | configmap

    def location(self, model: KubernetesModel, start: int = 0, end: int | None = None) -> Location:
        end = len(self.text) if end is None else end
        if start == 0 and end == len(self.text):
            return self.obj.location(self.node)
        return model.span(self.obj.path, self.node, start, end)


ALL_ORIGINS = ("env", "arg", "configmap")


def string_values(
    model: KubernetesModel, origins: tuple[str, ...] = ALL_ORIGINS
) -> Iterator[Value]:
    """Every literal string a workload or ConfigMap carries."""
    if "env" in origins or "arg" in origins:
        for container in model.containers():
            if "env" in origins:
                yield from env_values(container)
            if "arg" in origins:
                yield from arg_values(container)
    if "configmap" in origins:
        yield from configmap_values(model)


def helm_values(model: KubernetesModel) -> Iterator[Value]:
    """Every string of a Helm chart's values files (``model.helm_values``), under its key
    (``auth.password``: key ``password``); an item of a list written as a name/value pair (an
    extra environment variable, ``{name: DB_PASSWORD, value: ...}``) under its name."""
    for obj in model.helm_values:
        todo: list[tuple[Node, str]] = [(obj.node, "")]
        while todo:
            node, path = todo.pop()
            if node.is_map:
                pair = _name_value(node)
                for key, value in node.pairs():
                    if key.text is None or (pair is not None and value is pair[1]):
                        continue
                    key_path = f"{path}.{key.text}" if path else key.text
                    if value.is_scalar:
                        if value.text is not None:
                            scope = (key.line, value.end_line)
                            yield Value(obj, value, value.text, key.text, key_path, scope, "helm")
                    else:
                        todo.append((value, key_path))
                if pair is not None:
                    name, value = pair
                    scope = (node.line, node.end_line)
                    yield Value(obj, value, value.text or "", name, f"{path}.value", scope, "helm")
            elif node.is_seq:
                for i, item in enumerate(node.items()):
                    pair = _name_value(item) if item.is_map else None
                    key_path = f"{path}[{pair[0] if pair else i}]"
                    if item.is_scalar and item.text is not None:
                        yield Value(
                            obj, item, item.text, "", key_path, (item.line, item.end_line), "helm"
                        )
                    elif not item.is_scalar:
                        todo.append((item, key_path))


def _name_value(node: Node) -> tuple[str, Node] | None:
    """``(name, value node)`` of a mapping written as ``{name: X, value: "..."}``."""
    name, value = node.get("name"), node.get("value")
    if name is None or value is None or not name.text or value.text is None:
        return None
    return name.text, value


def env_values(container: Container) -> Iterator[Value]:
    for env in container.env:
        if env.value is not None and env.value.text is not None:
            scope = (env.node.line, env.node.end_line)
            key_path = f"{env.key_path}.value"
            yield Value(container.obj, env.value, env.value.text, env.name, key_path, scope, "env")


def arg_values(container: Container) -> Iterator[Value]:
    """``command`` items, then ``args`` items, in the order the process receives them."""
    for field_name in ("command", "args"):
        for i, node in enumerate(getattr(container, field_name)):
            if node.text is not None:
                key_path = f"{container.key_path}.{field_name}[{i}]"
                yield Value(container.obj, node, node.text, "", key_path, container.scope, "arg")


def configmap_values(model: KubernetesModel) -> Iterator[Value]:
    for obj in model.of_kind("ConfigMap"):
        data = obj.get("data")
        if data is None or not data.is_map:
            continue
        for key, value in data.pairs():
            if key.text is None or value.text is None:
                continue
            yield Value(
                obj,
                value,
                value.text,
                key.text,
                f"data.{key.text}",
                (key.line, value.end_line),
                "configmap",
            )


def file_kind(obj: K8sObject) -> str:
    """What a values-like file is called in a message."""
    if obj.kind == GRAFANA:
        return "Grafana datasource provisioning file"
    return "Helm values file"
