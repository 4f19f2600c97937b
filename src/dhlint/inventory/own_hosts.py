"""The city's own hosts: a host that names a cloud resource the run's Terraform defines.

A cloud service's shared domain belongs to all its customers (``*.blob.core.windows.net``), so a
policy cannot approve it; but ``kcparkingprod.blob.core.windows.net`` is the city's own storage
account when the Terraform dhlint reads in the same run (targets or context) defines
``azurerm_storage_account`` named ``kcparkingprod``. DH605, DH640, DH660 and DH690 do not report
such a host as a vendor, and the inventory shows it as the city's own.

Two halves, so that cached per-file results stay right:

- ``defines(model)``: the names one Terraform model gives its resources, as inventory facts
  (``{"type", "name", "address", "loc"}``; a DNS record's ``name`` is its full name and a CNAME's
  targets, with ``${?}`` for their unknown parts, are ``targets``). Only known names count: a
  literal, or a value resolved from variables and locals; ``"${var.prefix}-data"`` with no
  value defines nothing.
- ``OwnHosts`` (built from every model's facts, with the policy) and ``refine``: the run-wide
  step. Per-file detectors keep the hosts they report as data (``HostPart``); after all units
  (cached or not), the engine takes the own ones out of each finding, and the finding away
  when none is left. The judgement is never part of a cached result, so editing the Terraform
  changes the outcome on the next run, whatever the cache or the number of workers.
- A pre-commit run's Terraform context (``own_context``) is read only when a host is judged, and
  only where its text can give that host's name (``wanted``): ``OwnHosts.prepare``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache
from typing import Any

# The detectors whose findings name vendor hosts: with one of their rules enabled, the run reads
# the Terraform's names (and a pre-commit run of Python files or manifests the repository's,
# when a host is judged: ``own_context``).
HOST_DETECTORS = frozenset(
    (
        "python.vendor_host",
        "kubernetes.endpoints:vendor_hosts",
        "cross.env_endpoints",
        "terraform.endpoints",
    )
)
# Resource type -> the attribute holding the name its hosts are made of.
NAMED_TYPES: dict[str, str] = {
    "aws_s3_bucket": "bucket",
    "google_storage_bucket": "name",
    "azurerm_storage_account": "name",
    "azurerm_eventhub_namespace": "name",
    "azurerm_servicebus_namespace": "name",
    "azurerm_key_vault": "name",
    "azurerm_postgresql_flexible_server": "name",
    "azurerm_postgresql_server": "name",
    "azurerm_mysql_flexible_server": "name",
    "azurerm_mssql_server": "name",
    "azurerm_mssql_managed_instance": "name",
    "azurerm_cosmosdb_account": "name",
    # AWS services whose hosts carry the resource's name beside a per-account id: the name is
    # unique within an account and region only (S3 and Azure names are global).
    "aws_msk_cluster": "cluster_name",
    "aws_opensearch_domain": "domain_name",
    "aws_elasticsearch_domain": "domain_name",
    "aws_db_instance": "identifier",
    "aws_rds_cluster_instance": "identifier",
    "aws_rds_cluster": "cluster_identifier",
    "aws_db_proxy": "name",
    "aws_elasticache_replication_group": "replication_group_id",
    "aws_elasticache_cluster": "cluster_id",
    "aws_elasticache_serverless_cache": "name",
}
# An AWS account an ``aws`` provider is pinned to (``allowed_account_ids``: Terraform runs only
# there, so it is the city's own, as DH601 and DH605 judge it): an SQS queue URL of that account
# (``https://sqs.<region>.amazonaws.com/<account>/q``) is the city's, not a vendor's.
ACCOUNT_TYPE = "aws_account"
# What the text of a module that can define such a name holds (``own_context``).
ACCOUNT_TEXT = "allowed_account_ids"
# Resource type -> the attribute holding a name prefix, to which the provider adds a unique
# suffix (Terraform's ``PrefixedUniqueId``: 18 digits of time, 8 hex digits of a counter).
PREFIX_TYPES: dict[str, str] = {"aws_s3_bucket": "bucket_prefix"}
_UNIQUE_SUFFIX = re.compile(r"\d{18}[0-9a-f]{8}")
DNS_TYPES = (
    "aws_route53_record",
    "azurerm_dns_a_record",
    "azurerm_dns_aaaa_record",
    "azurerm_dns_cname_record",
    "google_dns_record_set",
)

_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d"
_S3 = rf"s3(?:-accelerate|-website)?(?:[.-](?:dualstack\.)?{_REGION})?\.amazonaws\.com"
# A host (lower case, no port) -> the name it gives, and the resource types that name it.
HOST_SHAPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (rf"(?P<name>[a-z0-9][a-z0-9.-]*?)\.{_S3}", ("aws_s3_bucket",)),
    (r"(?P<name>[a-z0-9][a-z0-9._-]*?)\.storage\.googleapis\.com", ("google_storage_bucket",)),
    (
        r"(?P<name>[a-z0-9]+)(?:-secondary)?\."
        r"(?:blob|dfs|file|queue|table|web|z\d+\.web)\.core\.windows\.net",
        ("azurerm_storage_account",),
    ),
    (
        r"(?P<name>[a-z0-9-]+)\.servicebus\.windows\.net",
        ("azurerm_eventhub_namespace", "azurerm_servicebus_namespace"),
    ),
    (r"(?P<name>[a-z0-9-]+)\.vault\.azure\.net", ("azurerm_key_vault",)),
    (
        r"(?P<name>[a-z0-9-]+)\.postgres\.database\.azure\.com",
        ("azurerm_postgresql_flexible_server", "azurerm_postgresql_server"),
    ),
    (r"(?P<name>[a-z0-9-]+)\.mysql\.database\.azure\.com", ("azurerm_mysql_flexible_server",)),
    (r"(?P<name>[a-z0-9-]+)\.database\.windows\.net", ("azurerm_mssql_server",)),
    # SQL Managed Instance: <instance>.<dns zone id>.database.windows.net, and its public data
    # endpoint <instance>.public.<dns zone id>.database.windows.net
    (
        r"(?P<name>[a-z0-9-]+)\.(?:public\.)?[a-z0-9]+\.database\.windows\.net",
        ("azurerm_mssql_managed_instance",),
    ),
    (
        r"(?P<name>[a-z0-9-]+)\."
        r"(?:documents\.azure\.com|(?:mongo|cassandra|gremlin|table)\.cosmos\.azure\.com)",
        ("azurerm_cosmosdb_account",),
    ),
    # MSK brokers and ZooKeeper nodes: b-1.<cluster>.<id>.c2.kafka.<region>.amazonaws.com (and
    # b-1-public., and older clusters' without c2.); a serverless cluster's
    # boot-<id>.c1.kafka-serverless... has no name in it.
    (
        rf"[bz]-\d+(?:-public)?\.(?P<name>[a-z0-9-]+)\.[a-z0-9]+\.(?:c\d+\.)?kafka\.{_REGION}"
        r"\.amazonaws\.com",
        ("aws_msk_cluster",),
    ),
    # OpenSearch and Elasticsearch domains: search-<domain>-<id>.<region>.es.amazonaws.com (and
    # vpc-); the id has no hyphen, so the name is what comes before the last one.
    (
        rf"(?:search|vpc)-(?P<name>[a-z][a-z0-9-]*)-[a-z0-9]+\.{_REGION}\.es\.amazonaws\.com",
        ("aws_opensearch_domain", "aws_elasticsearch_domain"),
    ),
    # RDS: <instance>.<id>.<region>.rds..., <cluster>.cluster-[ro-]<id>..., <proxy>.proxy-<id>...
    (
        rf"(?P<name>[a-z][a-z0-9-]*)\.[a-z0-9]+\.{_REGION}\.rds\.amazonaws\.com",
        ("aws_db_instance", "aws_rds_cluster_instance"),
    ),
    (
        rf"(?P<name>[a-z][a-z0-9-]*)\.cluster-(?:ro-)?[a-z0-9]+\.{_REGION}\.rds\.amazonaws\.com",
        ("aws_rds_cluster",),
    ),
    (
        rf"(?P<name>[a-z][a-z0-9-]*)\.proxy-[a-z0-9]+\.{_REGION}\.rds\.amazonaws\.com",
        ("aws_db_proxy",),
    ),
    # ElastiCache (its region abbreviated: use2): a replication group's master., replica.,
    # clustercfg. endpoints and its <group>-001 nodes; a cluster's nodes and cfg. endpoint; a
    # serverless cache's <name>-<id>.serverless...
    (
        r"(?:(?:master|replica|clustercfg)\.)?(?P<name>[a-z][a-z0-9-]*?)(?:-\d{3})?"
        r"(?!\.serverless\.)\.[a-z0-9]+\.(?:ng\.)?(?:\d{4}\.)?[a-z]+\d\.cache\.amazonaws\.com",
        ("aws_elasticache_replication_group",),
    ),
    (
        r"(?P<name>[a-z][a-z0-9-]*)\.[a-z0-9]+\.(?:\d{4}|cfg)\.[a-z]+\d\.cache\.amazonaws\.com",
        ("aws_elasticache_cluster",),
    ),
    (
        r"(?P<name>[a-z][a-z0-9-]*)-[a-z0-9]+\.serverless\.[a-z]+\d\.cache\.amazonaws\.com",
        ("aws_elasticache_serverless_cache",),
    ),
)
# The suffixes of the shapes above: a host with none of them is looked up in the DNS names only.
_SUFFIXES = (
    ".amazonaws.com",
    ".googleapis.com",
    ".windows.net",
    ".azure.net",
    ".azure.com",
)
# A service's own host that names the bucket in the URL's path (path-style requests): judged by
# the first path segment, when the URL is known that far; never by the host alone.
PATH_STYLE: tuple[tuple[str, str], ...] = (
    (_S3, "aws_s3_bucket"),
    (r"storage\.googleapis\.com", "google_storage_bucket"),
)


@cache
def _compiled() -> tuple[tuple, tuple]:
    """The shapes' patterns, compiled when a run first judges a host (most runs never do)."""
    shapes = tuple((re.compile(rx), types) for rx, types in HOST_SHAPES)
    return shapes, tuple((re.compile(rx), kind) for rx, kind in PATH_STYLE)


# ------------------------------------------------------------------------ facts (per model)
def _known_names(value: Any) -> list[str]:
    """The known string values of an attribute (each branch of an undecided conditional)."""
    from dhlint.models.terraform_eval import is_unknown, options

    return [
        str(v).strip().lower().rstrip(".")
        for v in options(value)
        if isinstance(v, str) and not is_unknown(v) and v.strip() and "${" not in v
    ]


def defines(model: Any) -> list[dict]:
    """The names a Terraform model's resources give themselves (see the module docstring), and
    the accounts its AWS providers are pinned to (``ACCOUNT_TYPE``)."""
    from dhlint.models.terraform import is_absent
    from dhlint.models.terraform_eval import options

    out: list[dict] = []
    for res in model.resources:
        attr = NAMED_TYPES.get(res.type)
        if attr is not None:
            for name in _known_names(res.values.get(attr)):
                out.append(_entry(res, name))
            prefix_attr = PREFIX_TYPES.get(res.type)
            if prefix_attr is not None and is_absent(res.values.get(attr)):
                for prefix in _known_names(res.values.get(prefix_attr)):
                    out.append({**_entry(res, prefix), "prefix": True})
        elif res.type in DNS_TYPES:
            for name in _record_names(model, res):
                entry = _entry(res, name)
                targets = _cname_targets(res)
                if targets is not None:
                    entry["targets"] = targets
                out.append(entry)
    for provider in getattr(model, "providers", ()):
        if provider.type == "aws":
            for ids in options(provider.values.get(ACCOUNT_TEXT)):
                for account in ids if isinstance(ids, list) else ():
                    if isinstance(account, (str, int)) and not isinstance(account, bool):
                        entry = _entry(provider, str(account).strip())
                        out.append({**entry, "type": ACCOUNT_TYPE})
    # The names they have in the module's other environments (its other tfvars files).
    for type_, name, address, location in getattr(model, "other_names", ()):
        out.append({"type": type_, "name": name, "address": address, "loc": _loc(location)})
    return out


def _loc(location: Any) -> Any:
    from dhlint.inventory.facts import loc_list

    return loc_list(location)


def _entry(res: Any, name: str) -> dict:
    from dhlint.inventory.facts import loc_list

    return {"type": res.type, "name": name, "address": res.address, "loc": loc_list(res.location)}


def _record_names(model: Any, res: Any) -> list[str]:
    """A DNS record's full names: Cloud DNS writes it whole; Azure DNS's is relative to
    ``zone_name`` (``@``: the zone itself); Route 53's is whole when it ends with its zone's
    name, else relative to it (as the AWS provider reads it). A Route 53 zone this Terraform
    does not name: a name with a dot is taken as whole."""
    names = _known_names(res.values.get("name"))
    if res.type == "google_dns_record_set":
        return names
    if res.type.startswith("azurerm_dns_"):
        zones = _known_names(res.values.get("zone_name"))
        return [z if n == "@" else f"{n}.{z}" for n in names for z in zones]
    zones = _route53_zones(model, res)
    if not zones:
        return [n for n in names if "." in n]
    return [n if n == z or n.endswith("." + z) else f"{n}.{z}" for n in names for z in zones]


def _route53_zones(model: Any, res: Any) -> list[str]:
    from dhlint.models.terraform_eval import refs_of

    zones: list[str] = []
    prefix = f"{res.module}." if res.module else ""
    for ref in refs_of(res.values.get("zone_id")):
        for address in (ref, prefix + ref):
            for zone in (*model.resources, *model.data_sources):
                if zone.address == address and zone.type == "aws_route53_zone":
                    zones += _known_names(zone.values.get("name"))
    return list(dict.fromkeys(zones))


def _cname_targets(res: Any) -> list[str] | None:
    """What a record that may be a CNAME points the city's name at, to be judged (``OwnHosts``);
    None for a record of another known type (an A record: the city's own address).

    A target is a known host, or the known text of one with its unknown parts as ``${?}``
    (``"${var.sub}.zendesk.com"`` is a Zendesk host whatever the variable; a variable with no
    value is ``${?}``): such a text is never the city's, and is approved only by a wildcard
    (``*.zendesk.com``). A target that is an attribute of one of the city's cloud resources
    (``aws_lb.api.dns_name``, known only at apply time) is left out: the city's own. A record
    whose ``type`` is not known is judged as a CNAME, its IP addresses left out."""
    from dhlint.models.terraform_eval import options

    typed = True  # the record's type is known
    if res.type == "azurerm_dns_cname_record":
        if res.values.get("record") is None and res.values.get("target_resource_id") is not None:
            return []  # an alias of an Azure resource: the city's
        values = [res.values.get("record")]
    elif res.type in ("aws_route53_record", "google_dns_record_set"):
        kinds = options(res.values.get("type"))
        typed = all(isinstance(k, str) for k in kinds)
        if typed and "cname" not in {k.strip().lower() for k in kinds}:
            return None
        records = res.values.get("records" if res.type == "aws_route53_record" else "rrdatas")
        alias = res.values.get("alias")
        if records is None and isinstance(alias, list):  # Route 53's alias of a CNAME type
            records = [a.get("name") for a in alias if isinstance(a, dict)]
        values = [
            item
            for option in options(records)
            for item in (option if isinstance(option, list) else [option])
        ]
    else:
        return None  # Azure's A and AAAA records
    targets: list[str] = []
    for value in values or [None]:
        for option in options(value):
            target = _target(option)
            if target is not None and (typed or not _is_ip(target)):
                targets.append(target)
    return list(dict.fromkeys(targets))


# A managed resource of a cloud the city runs (not a data source, a variable or a module's
# output, which may hold anyone's host), in a module or not.
_CLOUD_RESOURCE = re.compile(
    r"(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*(?:aws|azurerm|google)_[a-z0-9_]+\.[^.\[]+(?:\[.*\])?"
)


def _target(value: Any) -> str | None:
    """A CNAME target to judge (see ``_cname_targets``): None when it is the city's resource."""
    from dhlint.models.terraform_eval import is_unknown, partial_text

    if isinstance(value, str) and not is_unknown(value) and "${" not in value:
        return _bare(value)
    text = partial_text(value)
    refs = getattr(value, "refs", frozenset())
    whole = text is None or _bare(text.replace("${?}", "")) == ""
    if refs and whole and all(_CLOUD_RESOURCE.fullmatch(r) for r in refs):
        return None
    if text is None or "${" not in text:
        return "${?}"
    return _bare(text)


def _is_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


# -------------------------------------------------------------------------- the run-wide step
def _bare(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.count(":") == 1:
        host = host.split(":", 1)[0].rstrip(".")
    return host


class OwnHosts:
    """The hosts the run's Terraform defines, from every model's ``defines`` facts. A CNAME
    record counts only when each target is approved or itself the city's: a city name that
    points at a vendor's host sends data to that vendor.

    ``context``: the Terraform read only for these names (a pre-commit run's, ``own_context``),
    asked for the names that can make the hosts judged (``wanted``) before they are judged: a
    run that judges no host reads none."""

    def __init__(
        self,
        entries: list[dict],
        policy: Any,
        context: Callable[[list[tuple[tuple[str, ...], str]]], list[dict]] | None = None,
    ) -> None:
        self.policy = policy
        self.entries = list(entries)
        self.context = context
        self._asked: set[tuple[tuple[str, ...], str]] = set()
        self._build()

    def _build(self) -> None:
        self.names: dict[tuple[str, str], dict] = {}  # (type, name) -> entry
        self.prefixes: dict[str, list[dict]] = {}  # type -> entries of a name prefix
        self.dns: dict[str, dict] = {}
        cnames: list[dict] = []
        for entry in sorted(self.entries, key=lambda e: (*(e["loc"] or [""])[:2], e["address"])):
            if entry.get("prefix"):
                self.prefixes.setdefault(entry["type"], []).append(entry)
            elif entry["type"] in DNS_TYPES:
                if "targets" in entry:
                    cnames.append(entry)
                else:
                    self.dns.setdefault(entry["name"], entry)
            else:
                self.names.setdefault((entry["type"], entry["name"]), entry)
        # A CNAME to a CNAME (www -> files -> the city's bucket) is judged once its target is:
        # passes until none is added, whatever the order of the records (a cycle adds none).
        # A name's entry is then its first own record, whichever pass found it.
        plain = set(self.dns)
        own: set[int] = set()
        pending = list(range(len(cnames)))
        while pending:
            found = [i for i in pending if self._points_at_own(cnames[i])]
            if not found:
                break
            for i in found:
                self.dns.setdefault(cnames[i]["name"], cnames[i])
            own.update(found)
            pending = [i for i in pending if i not in own]
        for i in sorted(own, reverse=True):
            if cnames[i]["name"] not in plain:
                self.dns[cnames[i]["name"]] = cnames[i]

    def _points_at_own(self, cname: dict) -> bool:
        return all(self.policy.is_approved_host(t) or self._lookup(t) for t in cname["targets"])

    def __bool__(self) -> bool:
        return bool(self.names or self.dns or self.prefixes)

    def prepare(self, hosts: Iterable[tuple[str, str]]) -> None:
        """Read the context Terraform that can define these (host, URL) pairs, and the targets
        of the CNAME records it brings, before they are judged (once per name)."""
        if self.context is None:
            return
        todo = [w for host, url in hosts for w in wanted(host, url)]
        added = False
        while todo:
            new = [w for w in dict.fromkeys(todo) if w not in self._asked]
            if not new:
                break
            self._asked.update(new)
            entries = self.context(new)
            self.entries += entries
            added = added or bool(entries)
            todo = [
                w
                for e in entries
                for t in e.get("targets", ())
                if "${" not in t  # no Terraform names a partly unknown host
                for w in wanted(t)
            ]
        if added:
            self._build()

    def owner(self, host: str, url: str = "") -> dict | None:
        """The Terraform resource a host names (its ``defines`` entry), or None. ``url``: the
        text the host was read from, for a path-style bucket (``s3.amazonaws.com/bucket``)."""
        self.prepare([(host, url)])
        return self._lookup(host, url)

    def _lookup(self, host: str, url: str = "") -> dict | None:
        if not self:
            return None
        host = _bare(host)
        found = self.dns.get(host)
        if found is not None:
            return found
        for types, name in wanted(host, url)[1:]:  # [0]: the DNS name, looked up above
            for kind in types:
                found = self.names.get((kind, name))
                if found is not None:
                    return found
                for entry in self.prefixes.get(kind, ()):  # bucket_prefix + a unique suffix
                    prefix = entry["name"]
                    if name.startswith(prefix) and _UNIQUE_SUFFIX.fullmatch(name[len(prefix) :]):
                        return entry
        return None


def wanted(host: str, url: str = "") -> list[tuple[tuple[str, ...], str]]:
    """What could make ``host`` the city's own, as (resource types, name) pairs, so that only
    the Terraform that can give one is read (``own_context``): a DNS record's whole name, the
    name a service's host gives (a bucket, an account), a path-style URL's bucket."""
    host = _bare(host)
    out: list[tuple[tuple[str, ...], str]] = [(DNS_TYPES, host)]
    if host.endswith(_SUFFIXES):
        shapes, path_style = _compiled()
        for pattern, types in shapes:
            match = pattern.fullmatch(host)
            if match:
                out.append((types, match["name"]))
        if url:
            for pattern, kind in path_style:
                if pattern.fullmatch(host):
                    out += [((kind,), bucket) for bucket in _path_buckets(url, host)]
            account = _api_account(host, url)
            if account is not None:
                out.append(((ACCOUNT_TYPE,), account))
    return out


def _api_account(host: str, url: str) -> str | None:
    """The account an AWS service's API URL names in its path (an SQS queue's), or None."""
    from dhlint.detectors.kubernetes._hosts import _PATH_ACCOUNT, is_aws_api

    match = _PATH_ACCOUNT.match(url)
    if match is None or not is_aws_api(host, url, (match.group(1),)):
        return None
    return match.group(1)


def _path_buckets(url: str, host: str) -> list[str]:
    """The first path segment of a URL to ``host``, when it is whole (not followed by an
    unknown part ``{...}``)."""
    rx = re.compile(
        rf"(?<![\w.-]){re.escape(host)}\.?(?::\d+)?/([a-z0-9][a-z0-9._-]*)(?=[/?#\s\"']|$)",
        re.IGNORECASE,
    )
    match = rx.search(url)
    return [match.group(1).lower()] if match else []


def url_of(text: str, host: str) -> str:
    """The first URL to ``host`` in a configured value (for ``OwnHosts.owner``), or ""."""
    from dhlint.detectors.kubernetes._hosts import find_urls

    for url in find_urls(text):
        if url.host == host:
            return text[url.start :].split(None, 1)[0]  # a URL starts with its scheme
    return ""


def index(workspace: Any, policy: Any) -> OwnHosts:
    """The run's own hosts, made once per workspace (the engine, DH690 and the inventory)."""
    cache = workspace.__dict__
    if "_own_hosts" not in cache:
        defines = [d for f in workspace.facts.get("terraform", ()) for d in f.get("defines", ())]
        cache["_own_hosts"] = OwnHosts(defines, policy, workspace.host_context)
    return cache["_own_hosts"]


def refine(finding: Any, rule: Any, own: OwnHosts) -> Any | None:
    """A vendor finding without the hosts that are the city's own: unchanged when it names
    none, None when it names nothing else, else with its message made again from the other
    hosts (its detector's ``host_args``) and without the related locations only they had."""
    if not finding.hosts:
        return finding
    return without_hosts(finding, rule, lambda p: own.owner(p.host, p.url) is not None)


def without_hosts(finding: Any, rule: Any, dropped: Any) -> Any | None:
    """``refine``'s step for any hosts: the finding without its ``HostPart``s for which
    ``dropped(part)`` holds (None when none is left; its message made again otherwise)."""
    kept = tuple(p for p in finding.hosts if not dropped(p))
    if len(kept) == len(finding.hosts):
        return finding
    if not kept:
        return None
    module = importlib.import_module(f"dhlint.detectors.{rule.detector.partition(':')[0]}")
    args = {**finding.args, **module.host_args(kept)}
    only_dropped = {r for p in finding.hosts if p not in kept for r in p.related} - {
        r for p in kept for r in p.related
    }
    return replace(
        finding,
        message=rule.format_message(args),
        args=args,
        hosts=kept,
        related=tuple(r for r in finding.related if r not in only_dropped),
    )
