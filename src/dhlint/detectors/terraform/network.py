"""DH407: a firewall rule that opens a database port to the whole internet.

AWS security groups (inline ``ingress``, ``aws_security_group_rule``,
``aws_vpc_security_group_ingress_rule``), GCP ``google_compute_firewall`` and Azure network
security rules (``azurerm_network_security_rule`` and inline ``security_rule``). The ports come
from ``params.ports``; the finding points at the world-open source range.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from dhlint.analysis import Context
from dhlint.detectors.terraform._origin import value_origin
from dhlint.models.terraform import Resource, TerraformModel, is_unknown
from dhlint.types import Hit

WORLD = {"0.0.0.0/0", "::/0", "*", "internet", "any"}


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _port_range(text: Any) -> tuple[int, int] | None:
    """ "5432", "1000-2000", "*" (all), 5432 -> inclusive range."""
    if is_unknown(text) or text is None:
        return None
    text = str(text).strip()
    if text in ("*", "-1", "all", ""):
        return (0, 65535)
    if "-" in text:
        low, high = (_int(p) for p in text.split("-", 1))
        return (low, high) if low is not None and high is not None else None
    port = _int(text)
    return (port, port) if port is not None else None


def _open_ports(ranges: list[tuple[int, int]], ports: list[int]) -> list[int]:
    return [p for p in ports if any(lo <= p <= hi for lo, hi in ranges)]


def _world(values: list) -> int | None:
    for i, value in enumerate(values):
        if isinstance(value, str) and value.strip().lower() in WORLD:
            return i
    return None


def _aws_rule(res: Resource, base: tuple, rule: dict, ports: list[int]) -> Iterable[Hit]:
    protocol = str(rule.get("protocol", rule.get("ip_protocol", "tcp"))).lower()
    if protocol in ("-1", "all"):
        ranges = [(0, 65535)]
    else:
        low, high = _int(rule.get("from_port")), _int(rule.get("to_port"))
        if low is None or high is None:
            return
        ranges = [(low, high)]
    opened = _open_ports(ranges, ports)
    if not opened:
        return
    for key in ("cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"):
        value = rule.get(key)
        values = value if isinstance(value, list) else [value]
        index = _world(values)
        if index is not None:
            path = (*base, key, index) if isinstance(value, list) else (*base, key)
            yield res.hit(path, port=opened[0], source=values[index])
            return


def _gcp(res: Resource, ports: list[int]) -> Iterable[Hit]:
    if str(res.values.get("direction", "INGRESS")).upper() != "INGRESS":
        return
    sources = res.values.get("source_ranges") or []
    index = _world(sources if isinstance(sources, list) else [])
    if index is None:
        return
    ranges = []
    for _, allow in res.blocks("allow"):
        if str(allow.get("protocol", "")).lower() not in ("tcp", "all", "udp"):
            continue
        allowed = allow.get("ports")
        if not allowed:
            ranges.append((0, 65535))
        elif isinstance(allowed, list):
            ranges += [r for r in (_port_range(p) for p in allowed) if r]
    opened = _open_ports(ranges, ports)
    if opened:
        yield res.hit(("source_ranges", index), port=opened[0], source=sources[index])


def _azure_rule(res: Resource, base: tuple, rule: dict, ports: list[int]) -> Iterable[Hit]:
    if str(rule.get("direction", "")).lower() != "inbound":
        return
    if str(rule.get("access", "")).lower() != "allow":
        return
    ranges = []
    for key in ("destination_port_range", "destination_port_ranges"):
        value = rule.get(key)
        for item in value if isinstance(value, list) else [value]:
            parsed = _port_range(item)
            if parsed:
                ranges.append(parsed)
    opened = _open_ports(ranges, ports)
    if not opened:
        return
    for key in ("source_address_prefix", "source_address_prefixes"):
        value = rule.get(key)
        values = value if isinstance(value, list) else [value]
        index = _world(values)
        if index is not None:
            path = (*base, key, index) if isinstance(value, list) else (*base, key)
            yield res.hit(path, port=opened[0], source=values[index])
            return


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    for res, hit in _hits(model, ctx):
        # A range from a variable (cidr_blocks = var.cidrs, a dynamic block over it): point
        # at where it is written (a tfvars line, a default, a module call's argument).
        origin = value_origin(model, res, hit.args.get("source"), near=hit.location)
        yield replace(hit, related=(*hit.related, origin)) if origin else hit


def _hits(model: TerraformModel, ctx: Context) -> Iterable[tuple[Resource, Hit]]:
    ports = [int(p) for p in ctx.params.get("ports", [3306, 5432, 1433, 1521, 27017, 6379])]
    for res in model.resources:
        if res.type == "aws_security_group":
            for keypath, rule in res.blocks("ingress"):
                yield from ((res, h) for h in _aws_rule(res, keypath, rule, ports))
        elif res.type == "aws_security_group_rule":
            if res.values.get("type") == "ingress":
                yield from ((res, h) for h in _aws_rule(res, (), res.values, ports))
        elif res.type == "aws_vpc_security_group_ingress_rule":
            yield from ((res, h) for h in _aws_rule(res, (), res.values, ports))
        elif res.type == "google_compute_firewall":
            yield from ((res, h) for h in _gcp(res, ports))
        elif res.type == "azurerm_network_security_rule":
            yield from ((res, h) for h in _azure_rule(res, (), res.values, ports))
        elif res.type == "azurerm_network_security_group":
            for keypath, rule in res.blocks("security_rule"):
                yield from ((res, h) for h in _azure_rule(res, keypath, rule, ports))
