"""Control-plane static pods (kube-apiserver, etcd) and KubeletConfiguration files.

One parameterised detector: ``params.components`` maps a component to the settings it must
have. For static pods the settings are command-line flags (``--flag=value`` or ``--flag value``
in ``command``/``args``); for ``KubeletConfiguration`` objects (component ``kubelet``) they are
dotted field paths. Per component:

- ``required``: settings that must be present (``a|b`` = either);
- ``values``: setting -> regex its value must match entirely, when present;
- ``forbid``: setting -> regex its value must not contain;
- ``min_policy_days``: settings whose value (days) must be at least the policy's
  ``retention.min_days``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dhlint.analysis import Context
from dhlint.frontends.kubernetes import Node
from dhlint.models.kubernetes import Container, K8sObject, KubernetesModel
from dhlint.types import Hit, Location


@dataclass
class Setting:
    value: str
    location: Location


@dataclass
class Component:
    name: str
    obj: K8sObject
    settings: dict[str, Setting]
    header: Location  # where to point when a setting is missing
    anchor_path: str
    scope: tuple[int, int]


def _flags(model: KubernetesModel, container: Container) -> dict[str, Setting]:
    flags: dict[str, Setting] = {}
    items = [*container.command, *container.args]
    tokens: list[tuple[Node, str, int]] = []
    for node in items:
        for match in re.finditer(r"\S+", node.text or ""):
            tokens.append((node, match.group(), match.start()))
    i = 0
    while i < len(tokens):
        node, text, start = tokens[i]
        i += 1
        if not text.startswith("--"):
            continue
        name, eq, value = text.partition("=")
        value_start = start + len(name) + 1
        if not eq and i < len(tokens) and not tokens[i][1].startswith("-"):
            node, value, value_start = tokens[i]
            i += 1
        elif not eq:
            value, value_start = "true", start  # a bare boolean flag
        end = value_start + len(value) if value else value_start + len(name)
        location = model.span(container.obj.path, node, value_start if value else start, end)
        flags[name] = Setting(value, location)
    return flags


def _fields(node: Node, prefix: str = "") -> Iterator[tuple[str, Node]]:
    for key, value in node.pairs():
        if key.text is None:
            continue
        path = f"{prefix}{key.text}"
        if value.is_map:
            yield from _fields(value, f"{path}.")
        elif value.is_scalar:
            yield path, value


def components(model: KubernetesModel, names: Iterable[str]) -> Iterator[Component]:
    wanted = set(names)
    for container in model.containers():
        name = container.program
        if name not in wanted:
            continue
        obj = container.obj
        header = container.node.key("command") or container.node.key("args") or container.node
        yield Component(
            name,
            obj,
            _flags(model, container),
            obj.location(header),
            f"{container.key_path}.command",
            container.scope,
        )
    if "kubelet" in wanted:
        for obj in model.of_kind("KubeletConfiguration"):
            settings = {
                path: Setting(node.text or "", obj.location(node))
                for path, node in _fields(obj.node)
            }
            header = obj.node.get("kind") or obj.node
            yield Component("kubelet", obj, settings, obj.location(header), "", obj.scope)


def flags(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    table = ctx.params.get("components") or {}
    min_days = ctx.policy.settings["retention"]["min_days"]
    for component in components(model, table):
        rules = table[component.name]

        def hit(setting: str, found: str, expected: str, location: Location, c=component) -> Hit:
            anchor = f"{c.anchor_path}[{setting}]" if c.anchor_path else setting
            return Hit(
                location,
                args={
                    "component": c.name,
                    "setting": setting,
                    "found": found,
                    "expected": expected,
                    "object": c.obj.name or c.obj.path,
                    "min_days": str(min_days),
                },
                anchor=c.obj.anchor(anchor),
                scope=c.scope,
            )

        settings = component.settings
        for required in () if component.obj.partial else rules.get("required", ()):
            options = required.split("|")
            if not any(o in settings for o in options):
                yield hit(options[0], "not set", "set", component.header)
        for name, pattern in (rules.get("values") or {}).items():
            setting = settings.get(name)
            if setting is not None and not re.fullmatch(pattern, setting.value, re.IGNORECASE):
                yield hit(name, f"'{setting.value}'", pattern, setting.location)
        for name, pattern in (rules.get("forbid") or {}).items():
            setting = settings.get(name)
            if setting is not None and re.search(pattern, setting.value, re.IGNORECASE):
                yield hit(name, f"'{setting.value}'", f"no match for {pattern}", setting.location)
        for name in rules.get("min_policy_days", ()):
            setting = settings.get(name)
            if setting is None:
                continue
            if not setting.value.isdigit() or int(setting.value) < min_days:
                yield hit(name, f"'{setting.value}'", f"at least {min_days}", setting.location)
