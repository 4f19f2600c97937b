"""A Terraform plan in JSON (``terraform show -json plan.out``) -> the same ``TerraformModel``.

Values come from ``planned_values`` (all known except those ``resource_changes`` marks
``after_unknown``, which become ``Unknown``). A plan loses references in values, so the links
between resources (``bucket = aws_s3_bucket.raw.id``) are recovered from the
``configuration`` section's ``references``, following module inputs and outputs. Locations point
into the plan file itself (the resource's ``address`` line, the attribute's value).
"""

from __future__ import annotations

import re
from typing import Any

from dhlint.frontends.terraform import check_json, compose_json_member, json_members
from dhlint.models.terraform import (
    Resource,
    TerraformModel,
    _base_address,
    _module_of,
    instance_suffix,
)
from dhlint.models.terraform_eval import Unknown
from dhlint.types import FrontendError, Location, SourceFile

_NOT_RESOURCES = ("var", "local", "module", "each", "count", "path", "self")
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _loc(path: str, node: Any) -> Location:
    s, e = node.start_mark, node.end_mark
    return Location(path, s.line + 1, s.column + 1, e.line + 1, e.column + 1)


def _members(node: Any) -> dict[str, tuple[Any, Any]]:
    if node is None or node.tag != _MAP:
        return {}
    return {k.value: (k, v) for k, v in node.value}


def _child(node: Any, key: str) -> Any:
    return _members(node).get(key, (None, None))[1]


def build_plan_model(source: SourceFile) -> TerraformModel:
    data = check_json(source.text, "plan JSON")
    if not isinstance(data, dict):
        raise FrontendError("invalid plan JSON: the top level must be an object", 1, 1)
    directory = source.path.rsplit("/", 1)[0] if "/" in source.path else ""
    model = TerraformModel(directory=directory, source="plan")
    unknowns = {
        rc.get("address"): (rc.get("change") or {}).get("after_unknown") or {}
        for rc in data.get("resource_changes") or []
        if isinstance(rc, dict)
    }
    config = _Config(data.get("configuration") or {})
    planned = data.get("planned_values") or {}
    # Positions are read from the nodes of these two members only (the rest is not composed).
    top = json_members(source.text)  # scanned once for both (every member's value decoded)
    planned_node = compose_json_member(source.text, ("planned_values",), top)
    _collect(
        source.path,
        planned.get("root_module") or {},
        _child(planned_node, "root_module"),
        model,
        unknowns,
        config,
    )
    config_node = compose_json_member(source.text, ("configuration", "provider_config"), top)
    _providers(source.path, data, config_node, model)
    return model


class _Config:
    """Follows ``configuration`` references to resource addresses across modules."""

    def __init__(self, configuration: dict) -> None:
        self.modules: dict[str, dict] = {}
        self._index("", configuration.get("root_module") or {}, None, None)

    def _index(self, prefix: str, module: dict, parent: str | None, call: dict | None) -> None:
        self.modules[prefix] = {"module": module, "parent": parent, "call": call}
        for name, call_data in (module.get("module_calls") or {}).items():
            child_prefix = f"{prefix}module.{name}."
            self._index(child_prefix, call_data.get("module") or {}, prefix, call_data)

    def expressions(self, base_address: str) -> dict | None:
        """The configured arguments of a resource (None when the plan has no configuration)."""
        prefix, local = _split_module(base_address)
        entry = self.modules.get(prefix)
        if entry is None:
            return None
        for res in entry["module"].get("resources") or []:
            if res.get("address") == local:
                return res.get("expressions") or {}
        return None

    def expression_refs(
        self, base_address: str, attr: str, index: Any = None, module: str = ""
    ) -> frozenset[str]:
        """The resources an argument refers to; ``index`` is the referring instance's key,
        which ``each.key``/``count.index`` in a reference stand for; ``module`` the module
        instance the referring resource is in (``module.b["a"].``), whose resources and
        ancestors' its references name."""
        expr = (self.expressions(base_address) or {}).get(attr)
        if isinstance(expr, dict):
            prefix, _ = _split_module(base_address)
            refs = expr.get("references") or []
            return self.resolve(prefix, refs, 0, index, module or prefix)
        return frozenset()

    def resolve(
        self,
        prefix: str,
        refs: list[str],
        depth: int,
        index: Any = None,
        instance: str | None = None,
    ) -> frozenset[str]:
        """The resources ``refs`` (written in the module ``prefix``) name, with the instance
        keys of the module instance ``instance`` (``prefix`` itself when not known)."""
        out: set[str] = set()
        if depth > 8:
            return frozenset()
        entry = self.modules.get(prefix) or {}
        given = prefix
        prefix = instance if instance is not None else prefix  # of the addresses found
        # aws_s3_bucket.feed[each.key] (listed with aws_s3_bucket.feed itself): that instance.
        # Terraform may list a dynamic index apart (aws_s3_bucket.feed, each.key): the
        # resource is then taken at the referring instance's key too.
        instances = {
            f"{prefix}{m[1]}": f"{prefix}{m[1]}{suffix}"
            for ref in refs
            if (m := _INDEXED_REF.match(ref)) and (suffix := _instance_suffix(m[2], index))
        }
        keyed = any(k in refs for k in ("each.key", "count.index"))
        if keyed and not instances and instance_suffix(index):
            for ref in refs:
                parts = ref.split(".")
                if len(parts) == 2 and parts[0] not in _NOT_RESOURCES and "[" not in ref:
                    instances[prefix + ref] = prefix + ref + instance_suffix(index)
        out.update(instances.values())
        for ref in refs:
            parts = ref.split(".")
            if parts[0] == "var" and len(parts) > 1 and entry.get("call"):
                expr = (entry["call"].get("expressions") or {}).get(parts[1]) or {}
                parent = _MODULE_STEP.sub("", prefix)  # the caller's instance
                out |= self.resolve(
                    entry["parent"], expr.get("references") or [], depth + 1, None, parent
                )
            elif (m := _MODULE_OUTPUT.match(ref)) is not None:
                # module.x.out, module.x["a"].out, module.x[0].out: that instance's output
                # (without a literal key, the call as written: every instance).
                child = f"{given}module.{m[1]}."
                outputs = (self.modules.get(child) or {}).get("module", {}).get("outputs") or {}
                expr = (outputs.get(m[3]) or {}).get("expression") or {}
                inner = f"{prefix}module.{m[1]}{m[2] or ''}."
                out |= self.resolve(child, expr.get("references") or [], depth + 1, None, inner)
            elif parts[0] == "module":
                continue  # module.x, module.x["a"]: listed beside their outputs
            elif parts[0] == "data" and len(parts) > 2:
                out.add(prefix + ".".join(parts[:3]))
            elif len(parts) >= 2 and parts[0] not in _NOT_RESOURCES:
                base = prefix + _base_address(".".join(parts[:2]))
                if base not in instances:
                    out.add(base)
        return frozenset(out)


# A module's output: module.x.out, module.x["a"].out, module.x[0].out.
_MODULE_OUTPUT = re.compile(r'^module\.([\w-]+)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.([\w-]+)')
# The last call of a module instance's address prefix: module.b["a"]. of module.a.module.b["a"].
_MODULE_STEP = re.compile(r'module\.[\w-]+(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.$')
# A reference to one instance: aws_s3_bucket.feed[each.key], x.y[count.index], x.y["taps"].
_INDEXED_REF = re.compile(r'^([\w-]+\.[\w-]+)\[(each\.key|count\.index|\d+|"(?:[^"\\]|\\.)*")\]')


def _instance_suffix(key: str, index: Any) -> str:
    """The address suffix a reference's index names: its literal, or the referring
    instance's own key for ``each.key``/``count.index``; "" when not known."""
    return instance_suffix(index) if key in ("each.key", "count.index") else f"[{key}]"


def _split_module(address: str) -> tuple[str, str]:
    parts = address.split(".")
    prefix = ""
    while len(parts) > 2 and parts[0] == "module":
        prefix += f"module.{parts[1]}."
        parts = parts[2:]
    return prefix, ".".join(parts)


def _collect(
    path: str, module: dict, node: Any, model: TerraformModel, unknowns: dict, config: _Config
) -> None:
    res_nodes = _child(node, "resources")
    for i, res in enumerate(module.get("resources") or []):
        res_node = (
            res_nodes.value[i] if res_nodes is not None and i < len(res_nodes.value) else None
        )
        resource = _resource(path, res, res_node, unknowns, config)
        if resource is None:
            continue
        if resource.mode == "managed":
            model.resources.append(resource)
        else:
            model.data_sources.append(resource)
    child_nodes = _child(node, "child_modules")
    for i, child in enumerate(module.get("child_modules") or []):
        child_node = (
            child_nodes.value[i] if child_nodes is not None and i < len(child_nodes.value) else None
        )
        _collect(path, child, child_node, model, unknowns, config)


def _resource(path: str, res: dict, node: Any, unknowns: dict, config: _Config) -> Resource | None:
    address = res.get("address")
    if not isinstance(address, str) or not isinstance(res.get("type"), str):
        return None
    members = _members(node)
    header = _loc(path, members["address"][1]) if "address" in members else Location(path, 1)
    scope = (node.start_mark.line + 1, node.end_mark.line + 1) if node is not None else (1, 1)
    values = res.get("values") or {}
    locations: dict[tuple, Location] = {}
    values_node = members.get("values", (None, None))[1]
    _locations(path, values_node, (), locations)
    base = _base_address(address)
    module = address.rsplit(".", 2)[0] if address.startswith("module.") else ""
    values = _overlay_unknown(
        values,
        unknowns.get(address) or {},
        base,
        config,
        index=res.get("index"),
        module=_module_of(address),
    )
    resource = Resource(
        address=address,
        type=res["type"],
        name=str(res.get("name", "")),
        module=_base_address(module) if module.startswith("module.") else "",
        mode=res.get("mode", "managed"),
        path=path,
        location=header,
        scope=scope,
        values=values,
        locations=locations,
    )
    tags_all = values.get("tags_all")
    if isinstance(tags_all, dict):
        resource.default_tags = dict(tags_all)
    return resource


def _overlay_unknown(
    values: Any,
    unknown: Any,
    base: str,
    config: _Config,
    top: str = "",
    index: Any = None,
    module: str = "",
) -> Any:
    """Attributes the plan marks ``after_unknown`` become ``Unknown`` with their references
    (``index``: the instance's key, for ``each.key`` in them; ``module``: the module
    instance the resource is in)."""
    if unknown is True:
        return Unknown(config.expression_refs(base, top, index, module) if top else frozenset())
    if isinstance(unknown, dict) and isinstance(values, dict):
        out = dict(values)
        configured = config.expressions(base) if not top else None
        for key, sub in unknown.items():
            if sub is True and configured is not None and key not in configured:
                # Computed by the provider, not configured (ids, ARNs, S3's default
                # encryption): absent from the configuration as far as rules are concerned.
                out.pop(key, None)
                continue
            if sub is True or (isinstance(sub, (dict, list)) and key in out):
                out[key] = _overlay_unknown(
                    out.get(key), sub, base, config, top or key, index, module
                )
        # A known top-level value that is a link attribute still carries its reference.
        return out
    if isinstance(unknown, list) and isinstance(values, list):
        return [
            _overlay_unknown(
                v, unknown[i] if i < len(unknown) else False, base, config, top, index, module
            )
            for i, v in enumerate(values)
        ]
    return values


def _locations(path: str, node: Any, keypath: tuple, out: dict) -> None:
    if node is None:
        return
    if node.tag == _MAP:
        for k, v in node.value:
            out[(*keypath, k.value)] = _loc(path, k) if v.tag in (_MAP, _SEQ) else _span(path, k, v)
            _locations(path, v, (*keypath, k.value), out)
    elif node.tag == _SEQ:
        for i, item in enumerate(node.value):
            out[(*keypath, i)] = _loc(path, item)
            _locations(path, item, (*keypath, i), out)


def _span(path: str, key: Any, value: Any) -> Location:
    s, e = key.start_mark, value.end_mark
    return Location(path, s.line + 1, s.column + 1, e.line + 1, e.column + 1)


def _providers(path: str, data: dict, config_node: Any, model: TerraformModel) -> None:
    config = (data.get("configuration") or {}).get("provider_config") or {}
    for key, provider in config.items():
        if not isinstance(provider, dict):
            continue
        node = _child(config_node, key)
        values: dict[str, Any] = {}
        locations: dict[tuple, Location] = {}
        exprs = provider.get("expressions") or {}
        expr_nodes = _child(node, "expressions")
        for name, expr in exprs.items():
            if isinstance(expr, dict) and "constant_value" in expr:
                values[name] = expr["constant_value"]
                value_node = _child(_child(expr_nodes, name), "constant_value")
                if value_node is not None:
                    locations[(name,)] = _loc(path, value_node)
            else:
                values[name] = Unknown()
        header = (
            _loc(path, _members(config_node)[key][0])
            if key in _members(config_node)
            else (Location(path, 1))
        )
        scope = (node.start_mark.line + 1, node.end_mark.line + 1) if node is not None else (1, 1)
        model.providers.append(
            Resource(
                address=f"provider.{key}",
                type=str(provider.get("name", key)),
                name=key,
                module="",
                mode="provider",
                path=path,
                location=header,
                scope=scope,
                values=values,
                locations=locations,
            )
        )
