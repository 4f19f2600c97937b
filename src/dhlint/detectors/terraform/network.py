"""DH407: a firewall rule that opens a database port to the whole internet; DH211: one that
opens the port of a clear-text protocol (MQTT, FTP, Telnet, Modbus, RTSP...).

AWS security groups (inline ``ingress``, ``aws_security_group_rule``,
``aws_vpc_security_group_ingress_rule``), GCP ``google_compute_firewall`` and Azure network
security rules (``azurerm_network_security_rule`` and inline ``security_rule``). The ports come
from ``params.ports`` (named by ``params.services`` in the message); the finding points at the
world-open source range. With ``params.named_only``, a rule that opens every port is left to
the rules about what it exposes first (DH407): it names no protocol.

Azure database firewall rules (PostgreSQL, MySQL, MariaDB, SQL; flexible and single servers)
open their server's port to ``start_ip_address``-``end_ip_address``: a range covering every
public IPv4 address (1.0.0.0 to 223.255.255.255) is the whole internet, the finding points at
its end. Azure's "allow Azure services" rule (0.0.0.0-0.0.0.0) is not: it admits only
connections from inside Azure. A rule whose server is known to take no public connections
(``public_network_access_enabled = false``, a delegated subnet) opens nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Network, collapse_addresses
from typing import Any

from dhlint.analysis import Context
from dhlint.detectors.terraform._origin import value_origin
from dhlint.models.terraform import Resource, TerraformModel, is_absent, is_unknown, options
from dhlint.types import Hit

WORLD = {"0.0.0.0/0", "::/0", "*", "internet", "any"}
# Azure database firewall rules: the port their server listens on, the attribute naming it
# (an id by reference; a name as a reference or a literal) and the server types.
_PG, _MY, _SQL = (
    ("azurerm_postgresql_flexible_server", "azurerm_postgresql_server"),
    ("azurerm_mysql_flexible_server", "azurerm_mysql_server", "azurerm_mariadb_server"),
    ("azurerm_mssql_server", "azurerm_sql_server"),
)
AZURE_DB_FIREWALL = {
    "azurerm_postgresql_flexible_server_firewall_rule": (5432, "server_id", _PG),
    "azurerm_postgresql_firewall_rule": (5432, "server_name", _PG),
    "azurerm_mysql_flexible_server_firewall_rule": (3306, "server_name", _MY),
    "azurerm_mysql_firewall_rule": (3306, "server_name", _MY),
    "azurerm_mariadb_firewall_rule": (3306, "server_name", _MY),
    "azurerm_mssql_firewall_rule": (1433, "server_id", _SQL),
    "azurerm_sql_firewall_rule": (1433, "server_name", _SQL),
    # A Synapse workspace's SQL endpoints (dedicated and serverless pools) take TDS on 1433.
    "azurerm_synapse_firewall_rule": (1433, "synapse_workspace_id", ("azurerm_synapse_workspace",)),
}
_PUBLIC_FIRST, _PUBLIC_LAST = IPv4Address("1.0.0.0"), IPv4Address("223.255.255.255")


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
        return _ALL
    if "-" in text:
        low, high = (_int(p) for p in text.split("-", 1))
        return (low, high) if low is not None and high is not None else None
    port = _int(text)
    return (port, port) if port is not None else None


_ALL = (0, 65535)


class _Ports(list):
    """The ports a rule judges, and whether a range of every port counts (``named_only``)."""

    named_only = False


def _open_ports(ranges: list[tuple[int, int]], ports: _Ports) -> list[int]:
    if ports.named_only:
        ranges = [r for r in ranges if r != _ALL]
    return [p for p in ports if any(lo <= p <= hi for lo, hi in ranges)]


def _world(values: list) -> int | None:
    for i, value in enumerate(values):
        if isinstance(value, str) and value.strip().lower() in WORLD:
            return i
    return None


def admits_whole_internet(value: Any) -> bool | None:
    """Does an address filter (a list, or a comma-separated string as Cosmos DB's
    ``ip_range_filter`` in azurerm v3) admit every public IPv4 address: ``0.0.0.0/0``, ``*``,
    or ranges that together cover 1.0.0.0-223.255.255.255? None when an unknown entry could
    decide. ``0.0.0.0`` alone (Cosmos DB: connections from Azure datacenters) is not."""
    entries = value.split(",") if isinstance(value, str) else value
    if not isinstance(entries, list):
        return None
    networks, unknown = [], False
    for entry in entries:
        if not isinstance(entry, str):
            unknown = unknown or is_unknown(entry)
            continue
        text = entry.strip()
        if text.lower() in WORLD:
            return True
        try:
            networks.append(IPv4Network(text, strict=False))
        except ValueError:
            continue  # an IPv6 range or a tag: not a range of public IPv4 addresses
    reached = _PUBLIC_FIRST  # the lowest public address not yet covered
    for net in collapse_addresses(networks):  # sorted, merged
        if net.network_address <= reached <= net.broadcast_address:
            if net.broadcast_address >= _PUBLIC_LAST:
                return True
            reached = net.broadcast_address + 1
    return None if unknown else False


def _aws_rule(res: Resource, base: tuple, rule: dict, ports: _Ports) -> Iterable[Hit]:
    protocol = str(rule.get("protocol", rule.get("ip_protocol", "tcp"))).lower()
    if protocol in ("-1", "all"):
        ranges = [_ALL]
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


def _gcp(res: Resource, ports: _Ports) -> Iterable[Hit]:
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
            ranges.append(_ALL)
        elif isinstance(allowed, list):
            ranges += [r for r in (_port_range(p) for p in allowed) if r]
    opened = _open_ports(ranges, ports)
    if opened:
        yield res.hit(("source_ranges", index), port=opened[0], source=sources[index])


def _azure_rule(res: Resource, base: tuple, rule: dict, ports: _Ports) -> Iterable[Hit]:
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


def _ipv4(value: Any) -> IPv4Address | None:
    try:
        return IPv4Address(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def _private_server(server: Resource) -> bool:
    """A server known to take no connections from the internet: public network access off,
    or (a flexible server) injected into a delegated subnet, whose id may be known only at
    apply (``azurerm_subnet.db.id``), as DH403 reads it; a conditional must set it on every
    branch."""
    if server.values.get("public_network_access_enabled") is False:
        return True
    subnet = server.values.get("delegated_subnet_id")
    return not is_absent(subnet) and not any(is_absent(o) for o in options(subnet))


def _azure_db_firewall(model: TerraformModel, res: Resource, ports: _Ports) -> Iterable[Hit]:
    port, server_attr, server_types = AZURE_DB_FIREWALL[res.type]
    start_text, end_text = res.values.get("start_ip_address"), res.values.get("end_ip_address")
    start, end = _ipv4(start_text), _ipv4(end_text)
    if port not in ports or start is None or end is None:
        return
    if start > _PUBLIC_FIRST or end < _PUBLIC_LAST:
        return  # a narrower range, or 0.0.0.0-0.0.0.0 (Azure services only)
    name_attr = "name" if server_attr == "server_name" else None
    servers = model.linked(res.values.get(server_attr), server_types, name_attr)
    if servers and all(_private_server(s) for s in servers):
        return
    hit = res.hit("end_ip_address", port=port, source=f"{start_text}-{end_text}")
    origin = value_origin(model, res, end_text, near=hit.location)
    yield replace(hit, related=(*hit.related, origin)) if origin else hit


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    services = {str(port): name for port, name in ctx.params.get("services", {}).items()}
    for res, hit in _hits(model, ctx):
        if services:
            service = services.get(str(hit.args["port"]), "")
            hit = replace(hit, args={**hit.args, "service": service})
        # A range from a variable (cidr_blocks = var.cidrs, a dynamic block over it): point
        # at where it is written (a tfvars line, a default, a module call's argument).
        origin = value_origin(model, res, hit.args.get("source"), near=hit.location)
        yield replace(hit, related=(*hit.related, origin)) if origin else hit


def _hits(model: TerraformModel, ctx: Context) -> Iterable[tuple[Resource, Hit]]:
    ports = _Ports(int(p) for p in ctx.params.get("ports", [3306, 5432, 1433, 1521, 27017, 6379]))
    ports.named_only = bool(ctx.params.get("named_only"))
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
        elif res.type in AZURE_DB_FIREWALL:
            yield from ((res, h) for h in _azure_db_firewall(model, res, ports))
