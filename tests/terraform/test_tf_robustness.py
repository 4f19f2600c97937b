"""Every Terraform rule survives odd but valid values: unknowns, branches, wrong types,
dynamic blocks, empty blocks. No internal errors, whatever the input."""

from __future__ import annotations

import pytest

from dhlint.catalog import load_catalog

RULES = [r for r in load_catalog() if r.detector.startswith("terraform.")]

ODD_VALUES = [
    "var.unknown",
    'var.flag ? "x" : null',
    '[1, "two", null, { a = 1 }]',
    "{ a = { b = [] } }",
    "42",
    "true",
    '"0.0.0.0/0"',
    "null",
    "jsonencode({ Statement = var.unknown })",
    "local.cycle",
]


EXTRA_PATHS = [
    "bucket",
    "policy",
    "tags",
    "labels",
    "engine",
    "protocol",
    "member",
    "members",
    "name",
    "retention_in_days",
    "user_data",
    "custom_data",
    "metadata_startup_script",
    "rule.status",
    "rule.expiration.days",
    "rule.destination.account",
    "lifecycle_rule.expiration.days",
    "lifecycle_rule.action.type",
    "lifecycle_rule.condition.age",
    "ingress.from_port",
    "ingress.to_port",
    "ingress.cidr_blocks",
    "source_ranges",
    "allow.ports",
    "security_rule.destination_port_range",
    "parameter.name",
    "parameter_group_name",
    "cloud_watch_logs_group_arn",
    "settings.database_flags.name",
    "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default"
    ".sse_algorithm",
]


def _paths(rule) -> list[str]:
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("path", "attribute") and isinstance(value, str):
                    found.append(value)
                elif key == "any_of" and isinstance(value, list):
                    found.extend(v for v in value if isinstance(v, str) and ":" not in v)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(rule.params)
    return found


def _body(paths: list[str], values: list[str]) -> str:
    tree: dict = {}
    for path in paths:
        node = tree
        parts = path.split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            node = child if isinstance(child, dict) else node.setdefault(part + "_", {})
        node.setdefault(parts[-1], None)

    def render(node: dict, indent: str) -> str:
        out = []
        for key, sub in node.items():
            if sub is None:
                value = values[sum(map(ord, indent + key)) % len(values)]
                out.append(f"{indent}{key} = {value}\n")
            else:
                out.append(f"{indent}{key} {{\n{render(sub, indent + '  ')}{indent}}}\n")
                if indent == "  ":  # a dynamic twin of each top-level block
                    out.append(
                        f'{indent}dynamic "{key}" {{\n{indent}  for_each = var.unknown\n'
                        f"{indent}  content {{\n{render(sub, indent + '    ')}{indent}  }}\n"
                        f"{indent}}}\n"
                    )
        return "".join(out)

    return render(tree, "  ")


def _module(values: list[str]) -> str:
    paths_by_type: dict[str, list[str]] = {}
    for rule in RULES:
        for resource_type in rule.resources:
            known = paths_by_type.setdefault(resource_type, list(EXTRA_PATHS))
            known += [p for p in _paths(rule) if p not in known]
    blocks = [
        f'resource "{resource_type}" "r{i}" {{\n{_body(paths, values)}}}\n'
        for i, (resource_type, paths) in enumerate(sorted(paths_by_type.items()))
    ]
    header = (
        'variable "unknown" {}\nvariable "flag" { type = bool }\n'
        "locals {\n  cycle = local.cycle\n}\n"
        f'provider "aws" {{\n  access_key = {values[0]}\n  default_tags {{\n'
        f"    tags = {values[-1]}\n"
        "  }\n}\n"
    )
    return header + "".join(blocks)


@pytest.mark.parametrize("shift", range(0, len(ODD_VALUES), 2))
def test_no_internal_errors_on_odd_values(scan, shift):
    """Each attribute gets one of the odd values (rotated per run, so each path sees several)."""
    values = ODD_VALUES[shift:] + ODD_VALUES[:shift]
    result = scan({"main.tf": _module(values)}, select=[r.id for r in RULES])
    internal = [d for d in result.diagnostics if d.kind == "internal"]
    assert not internal, internal[0].message
    assert not [d for d in result.diagnostics if d.kind == "parse-error"]
