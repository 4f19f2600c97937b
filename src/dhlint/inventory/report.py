"""The inventory document (a record of processing built from code and infrastructure) and its
Markdown rendering with a Mermaid flowchart.

``build(result)`` takes a ``CheckResult`` run with ``collect_facts`` and returns the JSON
document described in ``dhlint.commands.inventory``; ``render_markdown(doc)`` and
``render_json(doc)`` print it. Everything is sorted: the same tree gives the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from dhlint.analysis import Workspace
from dhlint.inventory import join, own_hosts
from dhlint.models.terraform import _base_address

SCHEMA = "dhlint-inventory/1"
CATEGORY_ORDER = ("direct", "device", "biometric", "special", "location", "quasi")


KEYED = " (keyed pseudonym)"


def _category(column: dict) -> str:
    """The category a column is listed under: its identifier's, and for a keyed pseudonym of
    one (an HMAC of a meter id, ``meter_token``) that category marked so ("device (keyed
    pseudonym)"): still personal data, but not the raw identifier a reader would take it for."""
    category = column["category"]
    return category + KEYED if column.get("treatment") == "keyed" else category


# Where a sink's host could not be found (an env var no manifest sets, a settings field).
UNRESOLVED = "(unresolved endpoint)"
# A Pub/Sub publish whose topic is not known: a topic of the project, not a vendor's host.
UNRESOLVED_TOPIC = "(unresolved Pub/Sub topic)"


def _approval(vendor: dict) -> str:
    """Approved, not, or unknown: an endpoint that was not resolved may be anything. A
    cluster-internal or loopback host is no vendor: internal; nor is one that names a resource
    of the scanned Terraform: the city's own."""
    if vendor.get("approved"):
        return "approved"
    if vendor.get("internal"):
        return "internal"
    if vendor.get("own"):
        return "city's own"
    return "approval unknown" if vendor.get("host") == UNRESOLVED else "NOT approved"


def _point(loc: list | None, label: str | None = None) -> dict:
    out = {"path": loc[0], "line": loc[1], "column": loc[2]} if loc else {}
    if label is not None:
        out["label"] = label
    return out


def _store_id(ref: dict | None, sink: dict, matched: list[dict] | None = None) -> str:
    if ref and ref.get("bucket"):
        if ref.get("account"):
            return f"{ref['scheme']}://{ref['bucket']}@{ref['account']}"
        if ref.get("project") and not matched:  # a BigQuery dataset not the Terraform one
            return f"{ref['scheme']}://{ref['project']}.{ref['bucket']}"
        return f"{ref['scheme'] or 'storage'}://{ref['bucket']}"
    return sink.get("target") or f"storage ({sink['api']})"


class Span(NamedTuple):
    """A place whose findings an inventory row lists, and what the row is about there: a
    finding in the place is the row's unless its own data says it is about something else
    (``_Builder.about``)."""

    path: str
    first: int
    last: int
    # a Terraform instance (a store's or topic's resource, the workload that sets a variable):
    # a finding anchored on another instance of the block or module is not the row's
    address: str | None = None
    # the vendor's host: a finding that names hosts (its host parts, its message arguments,
    # anchor or message) and not this one is about another recipient of the call
    host: str | None = None
    # a workload's variable that the vendor's host comes from (its anchor): there only a
    # finding about that variable (it names the host, or its anchor is the variable's) counts,
    # not another variable's on the same line (a literal password beside the URL)
    entry: str | None = None
    # the Terraform stores (directory, address) a store row is joined to: a cross-artifact
    # store finding on its write about another store is not the row's
    stores: tuple[tuple[str, str], ...] = ()
    # every host the call may reach: a host a finding's message names counts only among them
    peers: tuple[str, ...] = ()


def _in_place(finding: Any, span: Span) -> bool:
    loc = finding.location
    return loc.path == span.path and span.first <= loc.start_line <= span.last


def _outside_keys(text: str) -> Iterator[tuple[int, str]]:
    """The characters of a Terraform address or anchor that are not inside an instance key
    (``["a.b"]``, ``[0]``), with their index."""
    depth, quoted, escaped = 0, False, False
    for i, ch in enumerate(text):
        if quoted:
            escaped, quoted = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"' and depth:
            quoted = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(depth - 1, 0)
        elif not depth:
            yield i, ch


def _head(anchor: str) -> str:
    """A Terraform anchor's address: up to its key path (``:``), host (``#``) or environment
    (`` [``), none of them inside an instance key."""
    for i, ch in _outside_keys(anchor):
        if ch in ":# ":
            return anchor[:i]
    return anchor


def _split_address(address: str) -> tuple[str, str]:
    """``module.a["x"].module.b.aws_s3_bucket.c[0]`` -> (``module.a["x"].module.b``,
    ``aws_s3_bucket.c[0]``): the module instance path and the resource."""
    parts, start = [], 0
    for i, ch in _outside_keys(address):
        if ch == ".":
            parts.append(address[start:i])
            start = i + 1
    parts.append(address[start:])
    n = 0
    while n + 1 < len(parts) and parts[n] == "module":
        n += 2
    return ".".join(parts[:n]), ".".join(parts[n:])


def _same_instance(anchor: str, address: str) -> bool:
    """Whether a finding's anchor may be about the Terraform instance ``address``:
    ``module.bad.google_storage_bucket.this:lifecycle`` is not on
    ``module.good.google_storage_bucket.this`` (probe36 #8: instances' findings were all
    matched by file:line), nor is ``module.ingest.aws_lambda_function.fn`` on
    ``module.matcher.aws_lambda_function.fn``'s variables, nor a companion resource of another
    instance of the module (probe38 #10); an anchor that is no address (a suppression's) or
    names another block of the same instance is kept."""
    if anchor.startswith(address) and anchor[len(address) : len(address) + 1] in (
        "",
        ":",
        "#",
        " ",
    ):
        return True
    a_module, a_resource = _split_address(_head(anchor))
    s_module, s_resource = _split_address(address)
    if "." not in a_resource:
        return True  # not a resource's address
    if a_module != s_module:
        return False  # the same file, so the same module: another instance of it
    if a_resource == s_resource:
        return True
    return _base_address(a_resource) != _base_address(s_resource)


def _tf_ref(tf: dict) -> dict:
    """Where a store or a topic is defined in the Terraform."""
    return {
        "address": tf["address"],
        "path": tf["loc"][0],
        "line": tf["loc"][1],
        "directory": tf["directory"],
    }


def _finding_entry(finding: Any) -> dict:
    loc = finding.location
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity,
        "path": loc.path,
        "line": loc.start_line,
        "message": finding.message,
        "related": [
            {"path": r.location.path, "line": r.location.start_line, "label": r.label}
            for r in finding.related
        ],
    }


class _Builder:
    def __init__(
        self,
        workspace: Workspace,
        policy: Any,
        findings: list,
        cross_ids: frozenset = frozenset(),
        store_ids: frozenset = frozenset(),
    ) -> None:
        self.ws = workspace
        self.cross_ids = cross_ids
        self.store_ids = store_ids  # the cross-artifact store rules (DH190, DH390...)
        self.policy = policy
        self.findings = findings
        self.used: set[int] = set()  # ids of findings attached somewhere
        self.categories: dict[str, dict] = {}
        self.stores: dict[str, dict] = {}
        self.vendors: dict[str, dict] = {}
        self.topics: dict[str, dict] = {}
        self.tf_stores = join.StoreIndex(join.terraform_stores(workspace))
        self.tf_topics = join.terraform_topics(workspace)
        self.own = own_hosts.index(workspace, policy)
        self.other_spans: list[Span] = []  # files, databases, logs
        # id(finding) -> the vendor hosts it names: by its data, by its message
        self.named: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self.known: set[str] = set()  # the vendors' hosts (once the walk is done)
        self.host_pattern: re.Pattern | None = None
        self.read_from: dict[tuple[str, int, int], str] = {}  # storage read place -> store id

    # --- findings on inventory items -----------------------------------------------------
    def findings_in(self, spans: list[Span]) -> list[str]:
        out = []
        for finding in self.findings:
            if any(_in_place(finding, span) and self.about(finding, span) for span in spans):
                self.used.add(id(finding))
                loc = finding.location
                out.append(f"{finding.rule_id} {loc.path}:{loc.start_line}")
        return sorted(set(out))

    def about(self, finding: Any, span: Span) -> bool:
        """Whether a finding in a row's place is about the row, by what the finding says of
        itself (probe38 #10: a row listed every finding on its lines, so an approved recipient
        set on a module's shared ``variables = var.environment`` line listed DH605 about
        another host and DH701 about the other instance's password)."""
        anchor = finding.anchor or ""
        if span.address is not None and not _same_instance(anchor, span.address):
            return False
        if (
            span.stores
            and finding.rule_id in self.store_ids
            and "->" in anchor
            and not any(anchor.endswith(f"->{d}:{a}") for d, a in span.stores)
        ):
            return False  # DH190... about another store the same write reaches
        if span.host is None:
            return True
        said, texted = self.hosts_named(finding)
        row = {span.host, span.host.split("/", 1)[0]}  # a path-style bucket: s3.amazonaws.com/b
        if span.entry is not None:
            return bool(row & said or row & texted) or anchor.startswith(span.entry)
        if said:
            return bool(row & said)
        # a message naming some of the hosts the call may reach (DH260's one http:// URL)
        texted &= {*span.peers, *row}
        return not texted or bool(row & texted)

    def hosts_named(self, finding: Any) -> tuple[frozenset[str], frozenset[str]]:
        """The vendors' hosts a finding is about, as its data says (its host parts and message
        arguments: DH605, DH640, DH660, DH690; a host its anchor ends with, ``...@host``), and
        when it says none, the vendor hosts its message names (DH260's
        ``http://10.88.1.15``, DH561's list of a call's hosts). Neither: it says nothing of
        hosts, and its place decides."""
        key = id(finding)
        if key not in self.named:
            hosts = {part.host for part in finding.hosts}
            if isinstance(finding.args.get("host"), str):
                hosts.add(finding.args["host"])
            anchor = finding.anchor or ""
            if "@" in anchor and anchor.rpartition("@")[2] in self.known:
                hosts.add(anchor.rpartition("@")[2])
            texted: set[str] = set()
            if not hosts and self.host_pattern is not None:
                texted.update(self.host_pattern.findall(finding.message))
            self.named[key] = (frozenset(hosts), frozenset(texted))
        return self.named[key]

    def vendor_hosts(self) -> set[str]:
        hosts = {h for h in self.vendors if h != UNRESOLVED}
        return hosts | {h.split("/", 1)[0] for h in hosts}

    # --- categories ----------------------------------------------------------------------
    def category(self, name: str) -> dict:
        return self.categories.setdefault(
            name,
            {"identifiers": set(), "reads": {}, "transforms": {}, "destinations": {}},
        )

    def add_columns(self, columns: list[dict], destination: dict) -> None:
        for col in columns:
            cat = self.category(_category(col))
            cat["identifiers"].add(col["name"])
            flow = col.get("flow") or []
            if flow:
                label, loc = flow[0]
                point = _point(loc, label)
                store = self.read_from.get((loc[0], loc[1], loc[2]))
                if store is not None:
                    point["store"] = store
                cat["reads"][(loc[0], loc[1], loc[2], label)] = point
            treatment = cat["transforms"].setdefault(
                col["treatment"], {"columns": set(), "steps": {}}
            )
            treatment["columns"].add(col["name"])
            for label, loc in flow[1:]:
                treatment["steps"][(loc[0], loc[1], label)] = _point(loc, label)
            key = (destination["kind"], destination["id"], destination.get("via"))
            dest = cat["destinations"].setdefault(
                key, {**destination, "columns": set(), "treatments": set(), "at": {}}
            )
            dest["columns"].add(col["name"])
            dest["treatments"].add(col["treatment"])
            at = destination["_sink"]["loc"]
            dest["at"][(at[0], at[1])] = {"path": at[0], "line": at[1]}

    # --- stores --------------------------------------------------------------------------
    def store(self, sid: str, ref: dict | None, matched: list[dict]) -> dict:
        if sid in self.stores:
            return self.stores[sid]
        tf = matched[0] if matched else None
        settings = self.policy.settings["classification"]
        entry = {
            "id": sid,
            "scheme": (ref or {}).get("scheme"),
            "bucket": (ref or {}).get("bucket"),
            "terraform": None,
            "safeguards": None,
            "categories": set(),
            "writes": {},
            "reads": {},
            "_spans": [],
        }
        if tf is not None:
            entry["terraform"] = _tf_ref(tf)
            enc, exp, log = tf["encryption"], tf["expiry"], tf["access_logging"]
            entry["safeguards"] = {
                "encryption": enc["status"],
                "encryption_algorithms": enc.get("algorithms", []),
                "customer_key": bool(enc.get("customer_key")),
                "retention": exp["status"],
                "retention_days": exp.get("days"),
                # a Firehose stream's: the bucket it delivers to, whose expiry that is
                **({"retention_via": exp["via"]} if exp.get("via") else {}),
                "access_logging": log["status"],
                "classification": tf.get("tags", {}).get(settings["tag"]),
            }
            entry["_spans"].append(
                Span(tf["loc"][0], tf["scope"][0], tf["scope"][1], tf.get("address"))
            )
            # its companions (encryption, lifecycle, policy...): their findings are the store's
            for comp in tf.get("companions", ()):
                entry["_spans"].append(
                    Span(comp["loc"][0], comp["scope"][0], comp["scope"][1], comp["address"])
                )
            # an SNS topic's subscriptions: where it delivers what is published to it
            subs = tf.get("subscriptions")
            if subs:
                entry["subscriptions"] = {}
                for sub in subs:
                    key = (sub["address"], sub["loc"][1], sub["endpoint"] or "")
                    entry["subscriptions"][key] = {
                        "address": sub["address"],
                        "protocol": sub["protocol"],
                        "endpoint": sub["endpoint"],
                        **({"host": sub["host"]} if sub["host"] else {}),
                        **({"from": sub["from"]} if sub["from"] else {}),
                        "path": sub["loc"][0],
                        "line": sub["loc"][1],
                    }
                    entry["_spans"].append(
                        Span(sub["loc"][0], sub["scope"][0], sub["scope"][1], sub["address"])
                    )
                entry["_subs"] = subs
        entry["_tf"] = tuple((m["directory"], m["address"]) for m in matched)
        self.stores[sid] = entry
        return entry

    def subscription_flow(self, store: dict, sink: dict, columns: list[dict], span: Span) -> None:
        """A write to an SNS topic: SNS delivers it to each of the topic's subscriptions; an
        http/https endpoint's host is a vendor (or the city's own) the data reaches through the
        topic, as a Pub/Sub push subscription's."""
        for sub in store["_subs"]:
            if sub["host"]:
                url = sub["endpoint"] or ""
                self.vendor_via(sub["host"], url, sub, "endpoint", store["id"], sink, columns, span)

    def vendor_via(
        self,
        host: str,
        url: str,
        item: dict,
        env: str,
        via: str,
        sink: dict,
        columns: list[dict],
        span: Span,
    ) -> None:
        """``columns`` written by ``sink`` reach ``host`` through ``via`` (a topic), whose
        subscription or push endpoint ``item`` (Terraform) sets the host as its ``env``."""
        at = (sink["loc"][0], sink["loc"][1])
        vendor = self.vendor(host, url)
        host = vendor["host"]
        vendor["categories"].update(_category(c) for c in columns)
        vendor["sends"][at] = {
            "path": at[0],
            "line": at[1],
            "columns": sorted({c["name"] for c in columns}),
        }
        where = Span(item["loc"][0], item["scope"][0], item["scope"][1])
        vendor["_spans"] += [span._replace(host=host, peers=(host,)), where]
        vendor["set_by"][(item["loc"][0], item["loc"][1], item["address"])] = {
            "env": env,
            "workload": item["address"],
            "path": item["loc"][0],
            "line": item["loc"][1],
        }
        self.add_columns(columns, {"kind": "vendor", "id": host, "via": via, "_sink": sink})

    # --- vendors -------------------------------------------------------------------------
    def vendor(self, host: str, url: str = "") -> dict:
        """The entry of a host a call sends to; ``url``, where it was read from, tells a
        path-style bucket (``s3.amazonaws.com/citizen-uploads``), an entry of its own."""
        from dhlint.detectors.kubernetes._hosts import is_cluster_internal

        owner = self.own.owner(host, url) if host != UNRESOLVED else None
        if owner is not None and self.own.owner(host) is None:
            host = f"{host}/{owner['name']}"  # by the URL's path: that bucket only
        if host not in self.vendors:
            self.vendors[host] = {
                "host": host,
                "approved": bool(self.policy.is_approved_host(host)),
                "internal": host != UNRESOLVED and is_cluster_internal(host),
                "own": None
                if owner is None
                else {
                    "address": owner["address"],
                    "type": owner["type"],
                    "path": owner["loc"][0],
                    "line": owner["loc"][1],
                },
                "set_by": {},
                "categories": set(),
                "sends": {},
                "_spans": [],
            }
        return self.vendors[host]

    # --- topics --------------------------------------------------------------------------
    def topic_flow(self, sink: dict, columns: list[dict], span: tuple) -> None:
        """A Pub/Sub publish: to a topic of the project (joined to the Terraform that defines
        it), and through its push subscriptions to their endpoints' hosts (probe29 min/07)."""
        tid = sink.get("target") or UNRESOLVED_TOPIC
        matched = join.match_topic(sink.get("target"), self.tf_topics)
        topic = self.topics.get(tid)
        if topic is None:
            settings = self.policy.settings["classification"]
            tf = matched[0] if matched else None
            topic = self.topics[tid] = {
                "id": tid,
                "terraform": None,
                "classification": None,
                "push": {},
                "categories": set(),
                "sends": {},
                "_spans": [],
            }
            if tf is not None:
                topic["terraform"] = _tf_ref(tf)
                topic["classification"] = tf.get("tags", {}).get(settings["tag"])
                topic["_spans"].append(
                    Span(tf["loc"][0], tf["scope"][0], tf["scope"][1], tf.get("address"))
                )
        sent = sorted({c["name"] for c in columns})
        at = (sink["loc"][0], sink["loc"][1])
        topic["categories"].update(_category(c) for c in columns)
        topic["sends"][at] = {"path": at[0], "line": at[1], "columns": sent}
        topic["_spans"].append(span)
        self.add_columns(columns, {"kind": "topic", "id": tid, "_sink": sink})
        for push in (p for tf in matched for p in tf["push"]):
            where = Span(push["loc"][0], push["scope"][0], push["scope"][1])
            topic["push"][(push["address"], push["host"])] = {
                "address": push["address"],
                "host": push["host"],
                "approved": bool(self.policy.is_approved_host(push["host"])),
                "path": push["loc"][0],
                "line": push["loc"][1],
            }
            topic["_spans"].append(where)
            self.vendor_via(push["host"], "", push, "push_endpoint", tid, sink, columns, span)

    # --- the walk ------------------------------------------------------------------------
    def run(self) -> None:
        # Reads from object storage first: the data read there is labelled with its store.
        for item in join.store_reads(self.ws):
            read, ref = item.read, item.ref
            if not (ref and ref.get("bucket")):
                continue
            sid = _store_id(ref, read)
            store = self.store(sid, ref, item.stores)
            at = read["loc"]
            store["reads"][(at[0], at[1])] = {"path": at[0], "line": at[1], "api": read["api"]}
            store["_spans"].append(Span(at[0], read["scope"][0], read["scope"][1]))
            self.read_from[(at[0], at[1], at[2])] = sid
        for facts in join.python_files(self.ws):
            path = facts["path"]
            # The variables read at a call's place, as DH690 joins them (a urlopen whose
            # Request names the variable records it there, not on the sink).
            read_at: dict[tuple, list[str]] = {}
            for read in facts.get("env_reads", []):
                read_at.setdefault(tuple(read["loc"]), []).append(read["name"])
            for sink in facts["sinks"]:
                columns = join.classify_columns(sink["columns"], self.policy)
                if not columns:
                    continue
                span = Span(sink["loc"][0], sink["scope"][0], sink["scope"][1])
                # items put into a DynamoDB table it names, records into a stream it names
                table = join.named_store(sink, path, self.ws)[0]
                if sink["kind"] == "storage" or table is not None:
                    ref = table or join.store_ref(sink, path, self.ws)[0]
                    matched = self.tf_stores.match(ref)
                    sid = _store_id(ref, sink, matched)
                    store = self.store(sid, ref, matched)
                    store["categories"].update(_category(c) for c in columns)
                    store["writes"][(sink["loc"][0], sink["loc"][1])] = {
                        "path": sink["loc"][0],
                        "line": sink["loc"][1],
                        "columns": sorted({c["name"] for c in columns}),
                    }
                    store["_spans"].append(span._replace(stores=store["_tf"]))
                    if store.get("subscriptions") is not None:
                        self.subscription_flow(store, sink, columns, span)
                    dest = {"kind": "store", "id": sid, "_sink": sink}
                elif sink["kind"] == "network" and sink["api"].startswith("pubsub."):
                    self.topic_flow(sink, columns, span)
                    continue
                elif sink["kind"] == "network":
                    names = [*sink.get("env", []), *read_at.get(tuple(sink["loc"]), [])]
                    hosts = self.hosts_of(path, sink, list(dict.fromkeys(names)))
                    peers = tuple(dict.fromkeys(h for h, _ in hosts))
                    for host, setting in hosts:
                        if sink["api"].startswith("mqtt.") and self.own_broker(host):
                            self.broker_flow(host, sink, columns, span)
                            continue
                        url = sink.get("target") or ""
                        if setting is not None:
                            url = own_hosts.url_of(setting[1].get("value", ""), host)
                        vendor = self.vendor(host, url)
                        host = vendor["host"]
                        vendor["categories"].update(_category(c) for c in columns)
                        vendor["sends"][(sink["loc"][0], sink["loc"][1])] = {
                            "path": sink["loc"][0],
                            "line": sink["loc"][1],
                            "columns": sorted({c["name"] for c in columns}),
                        }
                        vendor["_spans"].append(span._replace(host=host, peers=peers))
                        if setting is not None:
                            workload, env = setting
                            # several workloads may share one entry (a ConfigMap's)
                            key = (env["loc"][0], env["loc"][1], workload["ref"])
                            vendor["set_by"][key] = {
                                "env": env["name"],
                                "workload": workload["ref"],
                                "path": env["loc"][0],
                                "line": env["loc"][1],
                            }
                            line = env["loc"][1]
                            vendor["_spans"].append(
                                Span(
                                    env["loc"][0],
                                    line,
                                    line,
                                    workload["ref"] if env.get("source") == "terraform" else None,
                                    host,
                                    env.get("anchor") or "",
                                )
                            )
                        self.add_columns(columns, {"kind": "vendor", "id": host, "_sink": sink})
                    continue
                else:
                    dest = {"kind": sink["kind"], "id": _destination_id(sink), "_sink": sink}
                    self.other_spans.append(span)
                self.add_columns(columns, dest)

    def own_broker(self, host: str) -> bool:
        """An MQTT broker of the city's own: a cluster Service, a private address or loopback,
        or a host a resource of the scanned Terraform names."""
        from dhlint.detectors.kubernetes._hosts import is_cluster_internal

        if host == UNRESOLVED:
            return False
        return is_cluster_internal(host) or self.own.owner(host) is not None

    def broker_flow(self, host: str, sink: dict, columns: list[dict], span: Span) -> None:
        """A paho-MQTT publish to the city's own broker: a stream of the city (``mqtt://host``,
        a store row whose safeguards no scanned Terraform defines), not a vendor."""
        sid = f"mqtt://{host}"
        store = self.store(sid, {"scheme": "mqtt", "bucket": host}, [])
        store["categories"].update(_category(c) for c in columns)
        store["writes"][(sink["loc"][0], sink["loc"][1])] = {
            "path": sink["loc"][0],
            "line": sink["loc"][1],
            "columns": sorted({c["name"] for c in columns}),
        }
        store["_spans"].append(span)
        self.add_columns(columns, {"kind": "store", "id": sid, "_sink": sink})

    def hosts_of(self, path: str, sink: dict, names: list[str]) -> list[tuple[str, tuple | None]]:
        """Where a call sends: each host the workloads set its variable to (what DH690 judges),
        else the host the code names (``os.environ.get("URL", default)``'s default)."""
        found: list[tuple[str, tuple | None]] = []
        for name in names:
            for workload, _container, env in join.env_settings(name, path, self.ws):
                found += [(host, (workload, env)) for host in env.get("hosts", [])]
        if found:
            return found
        # every host the call may reach (URLS[agency] of a dict of three: each; probe38 12)
        hosts = sink.get("hosts") or ([sink["host"]] if sink.get("host") else [])
        queue = join.sqs_ref(sink.get("target")) if sink["api"].startswith("sqs.") else None
        if not hosts and queue is not None:  # a queue URL: the account's (own_hosts)
            hosts = [sink["target"].split("/")[2]]
        return [(host, None) for host in hosts] or [(UNRESOLVED, None)]

    # --- output --------------------------------------------------------------------------
    def document(self) -> dict:
        self.known = self.vendor_hosts()
        hosts = sorted(self.known, key=lambda h: (-len(h), h))
        if hosts:  # a host as a whole name: not kcmo.gov in dispatch.kcmo.gov
            alternatives = "|".join(re.escape(h) for h in hosts)
            self.host_pattern = re.compile(rf"(?<![\w.-])({alternatives})(?![\w-]|\.\w)")
        categories = []
        order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
        for name in sorted(self.categories, key=lambda c: (order.get(c.split()[0], 99), c)):
            cat = self.categories[name]
            dests = []
            for (kind, ident, via), dest in sorted(
                cat["destinations"].items(), key=lambda item: (*item[0][:2], item[0][2] or "")
            ):
                entry = {
                    "kind": kind,
                    "id": ident,
                    "columns": sorted(dest["columns"]),
                    "treatments": sorted(dest["treatments"]),
                    "at": [dest["at"][k] for k in sorted(dest["at"])],
                }
                if via is not None:
                    entry["via"] = via  # reached through this topic's push subscription
                dests.append(entry)
            categories.append(
                {
                    "category": name,
                    "identifiers": sorted(cat["identifiers"]),
                    "reads": [cat["reads"][k] for k in sorted(cat["reads"])],
                    "transforms": [
                        {
                            "treatment": t,
                            "columns": sorted(v["columns"]),
                            "steps": [v["steps"][k] for k in sorted(v["steps"])],
                        }
                        for t, v in sorted(cat["transforms"].items())
                    ],
                    "destinations": dests,
                    "stores": sorted({d["id"] for d in dests if d["kind"] == "store"}),
                    "vendors": sorted({d["id"] for d in dests if d["kind"] == "vendor"}),
                    "topics": sorted({d["id"] for d in dests if d["kind"] == "topic"}),
                }
            )
        stores = []
        for sid in sorted(self.stores):
            entry = dict(self.stores[sid])
            spans = entry.pop("_spans")
            entry.pop("_tf")
            entry.pop("_subs", None)
            if "subscriptions" in entry:
                subs = entry["subscriptions"]
                entry["subscriptions"] = [subs[k] for k in sorted(subs)]
            entry["categories"] = sorted(entry["categories"])
            entry["writes"] = [entry["writes"][k] for k in sorted(entry["writes"])]
            entry["reads"] = [entry["reads"][k] for k in sorted(entry["reads"])]
            entry["findings"] = self.findings_in(spans)
            stores.append(entry)
        vendors = []
        for host in sorted(self.vendors):
            entry = dict(self.vendors[host])
            spans = entry.pop("_spans")
            entry["categories"] = sorted(entry["categories"])
            entry["sends"] = [entry["sends"][k] for k in sorted(entry["sends"])]
            entry["set_by"] = [entry["set_by"][k] for k in sorted(entry["set_by"])]
            entry["findings"] = self.findings_in(spans)
            vendors.append(entry)
        topics = []
        for tid in sorted(self.topics):
            entry = dict(self.topics[tid])
            spans = entry.pop("_spans")
            entry["categories"] = sorted(entry["categories"])
            entry["sends"] = [entry["sends"][k] for k in sorted(entry["sends"])]
            entry["push"] = [entry["push"][k] for k in sorted(entry["push"])]
            entry["findings"] = self.findings_in(spans)
            topics.append(entry)
        workloads = []
        for workload in sorted(join.workloads(self.ws), key=lambda w: (w["path"], w["loc"][1])):
            runs = sorted(
                {
                    facts["path"]
                    for facts in join.python_files(self.ws)
                    for c in workload["containers"]
                    if join.runs(c, facts["path"], self.ws)
                }
            )
            label = self.policy.settings["classification"]["tag"]
            workloads.append(
                {
                    "ref": workload["ref"],
                    "path": workload["path"],
                    "line": workload["loc"][1],
                    "runs": runs,
                    "classification": workload.get("labels", {}).get(label),
                }
            )
        self.findings_in(self.other_spans)
        # Every cross-artifact finding is part of the inventory, wherever it sits.
        for finding in self.findings:
            if finding.rule_id in self.cross_ids:
                self.used.add(id(finding))
        open_findings = [_finding_entry(f) for f in self.findings if id(f) in self.used]
        open_findings.sort(key=lambda f: (f["path"], f["line"], f["rule_id"], f["message"]))
        return {
            "schema": SCHEMA,
            "policy": {"name": self.policy.name, "version": self.policy.version},
            "categories": categories,
            "stores": stores,
            "vendors": vendors,
            "topics": topics,
            "workloads": workloads,
            "findings": open_findings,
        }


def build(result: Any) -> dict:
    """The inventory of a ``CheckResult`` (run with ``collect_facts``)."""
    workspace = result.workspace or Workspace()
    cross = frozenset(r.id for r in result.enabled if r.detector.startswith("cross."))
    stores = frozenset(r.id for r in result.enabled if r.detector.startswith("cross.stores:"))
    builder = _Builder(workspace, result.policy, list(result.active), cross, stores)
    builder.run()
    return builder.document()


def render_json(doc: dict) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------ markdown
def _destination_id(sink: dict) -> str:
    """A file by its path; a database by its host and table, collection, index or key (a
    bulk write names no index: its host alone), by the API that wrote only when neither is
    known."""
    target = sink.get("target")
    if sink["kind"] == "database" and sink.get("host"):
        return f"{sink['host']}/{target}" if target else sink["host"]
    return target or sink["api"]


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: no quotes, brackets or pipes that end it."""
    text = text.replace("&", "and")
    for ch, entity in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(ch, entity)
    return re.sub(r"[\r\n|`]", " ", text)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ") if text not in (None, "") else "-"


def _node_ids(prefix: str, keys: list[str]) -> dict[str, str]:
    return {key: f"{prefix}{i}" for i, key in enumerate(keys)}


def mermaid(doc: dict) -> str:
    """A left-to-right flowchart: read sites -> categories -> stores, vendors and other sinks."""
    lines = ["flowchart LR"]
    reads: dict[str, str] = {}
    sinks: dict[tuple, str] = {}
    cat_ids = _node_ids("cat", [c["category"] for c in doc["categories"]])
    stores = {s["id"]: s for s in doc["stores"]}
    vendors = {v["host"]: v for v in doc["vendors"]}
    risky: list[str] = []
    edges: list[str] = []
    for cat in doc["categories"]:
        cid = cat_ids[cat["category"]]
        label = f"{cat['category']}: {', '.join(cat['identifiers'])}"
        lines.append(f'  {cid}(["{mermaid_text(label)}"])')
        for read in cat["reads"]:
            key = f"{read['path']}:{read['line']}"
            if key not in reads:
                reads[key] = f"read{len(reads)}"
                text = f"{key} {read.get('label', '')}".strip()
                if read.get("store"):
                    text += f" from {read['store']}"
                lines.append(f'  {reads[key]}["{mermaid_text(text)}"]')
            edges.append(f"  {reads[key]} --> {cid}")
        for dest in cat["destinations"]:
            key = (dest["kind"], dest["id"])
            # through a Pub/Sub topic's push subscription, or an SNS topic's subscription
            via = None
            if dest.get("via"):
                via = sinks.get(("topic", dest["via"])) or sinks.get(("store", dest["via"]))
            if key not in sinks:
                sid = f"{dest['kind'][:5]}{len(sinks)}"
                sinks[key] = sid
                text = dest["id"]
                if dest["kind"] == "store":
                    store = stores.get(dest["id"], {})
                    guards = store.get("safeguards")
                    if guards is None:
                        text += " (not in scanned Terraform)"
                    else:
                        text += (
                            f" enc: {guards['encryption']}, retention: "
                            f"{guards['retention_days'] or guards['retention']}, "
                            f"logging: {guards['access_logging']}, "
                            f"class: {guards['classification'] or 'none'}"
                        )
                    lines.append(f'  {sid}[("{mermaid_text(text)}")]')
                    if store.get("findings"):
                        risky.append(sid)
                elif dest["kind"] == "vendor":
                    vendor = vendors.get(dest["id"], {})
                    state = _approval(vendor)
                    lines.append(f'  {sid}{{{{"{mermaid_text(f"{text} ({state})")}"}}}}')
                    if state == "NOT approved":
                        risky.append(sid)
                else:
                    shown = mermaid_text(f"{dest['kind']}: {text}")
                    lines.append(f'  {sid}["{shown}"]')
            label = mermaid_text(", ".join(dest["treatments"]))
            if via is not None:  # the topic's (push) subscription sends it on
                kind = "push subscription" if via.startswith("topic") else "subscription"
                edges.append(f'  {via} -->|"{kind}"| {sinks[key]}')
            else:
                edges.append(f'  {cid} -->|"{label}"| {sinks[key]}')
    lines += list(dict.fromkeys(edges))
    if risky:
        lines.append("  classDef risk stroke:#c62828,stroke-width:3px")
        lines.append(f"  class {','.join(sorted(set(risky)))} risk")
    return "\n".join(lines)


def _subscription_text(sub: dict) -> str:
    """``http `http://alerts.kcmo.gov/hook` (aws_sns_topic_subscription.plain, main.tf:11)``."""
    endpoint = sub["endpoint"]
    if endpoint is None:
        made = ", ".join(sub.get("from", []))
        endpoint = f"known at apply{f' from {made}' if made else ''}"
    else:
        endpoint = f"`{endpoint}`"
    return f"{sub['protocol'] or '?'} {endpoint} ({sub['address']}, {sub['path']}:{sub['line']})"


def render_markdown(doc: dict) -> str:
    out = [
        "# Personal-data inventory",
        "",
        f"Policy: {doc['policy']['name']} {doc['policy']['version']}. Built by `dhlint inventory` "
        "from the Python data flows, Terraform and Kubernetes manifests of the repository.",
        "",
    ]
    if not doc["categories"]:
        out += ["No identifier data was found flowing to a store, vendor or file.", ""]
    else:
        out += ["## Flows", "", "```mermaid", mermaid(doc), "```", ""]
    out += ["## Identifier categories", ""]
    for cat in doc["categories"]:
        out += [f"### {cat['category']}", ""]
        out.append(f"- Identifiers: {', '.join(f'`{i}`' for i in cat['identifiers'])}")
        if cat["category"].endswith(KEYED):
            out.append(
                "- Keyed pseudonyms (a keyed hash of the identifier): still personal data, "
                "linkable by whoever holds the key"
            )
        reads = [
            f"`{r['path']}:{r['line']}` ({r.get('label', '')}"
            + (f" from `{r['store']}`)" if r.get("store") else ")")
            for r in cat["reads"]
        ]
        out.append(f"- Read at: {', '.join(reads) if reads else 'not visible'}")
        for t in cat["transforms"]:
            steps = "; ".join(f"{s['label']} (`{s['path']}:{s['line']}`)" for s in t["steps"])
            cols = ", ".join(f"`{c}`" for c in t["columns"])
            via = f" via {steps}" if steps else ""
            out.append(f"- Transformed: {t['treatment']}: {cols}{via}")
        for dest in cat["destinations"]:
            at = ", ".join(f"`{a['path']}:{a['line']}`" for a in dest["at"])
            via = f", through topic `{dest['via']}`" if dest.get("via") else ""
            out.append(
                f"- Reaches {dest['kind']} `{dest['id']}` ({', '.join(dest['treatments'])}) "
                f"at {at}{via}"
            )
        out.append("")
    out += [
        "## Stores",
        "",
        "| Store | Terraform | Encryption | Retention | Access logging | Classification "
        "| Categories | Open findings |",
        "|---|---|---|---|---|---|---|---|",
    ]
    if not doc["stores"]:
        out[-4:] = ["## Stores", "", "None reached by identifier data."]
    for store in doc["stores"]:
        tf, guards = store["terraform"], store["safeguards"] or {}
        where = "not in scanned Terraform"
        if tf:
            where = f"`{tf['address']}` ({tf['path']}:{tf['line']})"
        retention = guards.get("retention")
        if guards.get("retention_days") is not None:
            days = guards["retention_days"]
            retention = f"{days} day{'' if days == 1 else 's'}"
        if guards.get("retention_via"):
            retention = f"{retention} (its destination `{guards['retention_via']}`)"
        out.append(
            "| "
            + " | ".join(
                _cell(v)
                for v in (
                    f"`{store['id']}`",
                    where,
                    guards.get("encryption"),
                    retention,
                    guards.get("access_logging"),
                    guards.get("classification"),
                    ", ".join(store["categories"]),
                    ", ".join(store["findings"]),
                )
            )
            + " |"
        )
    read_rows = [
        f"- `{store['id']}` read at "
        + ", ".join(f"`{r['path']}:{r['line']}` ({r['api']})" for r in store["reads"])
        for store in doc["stores"]
        if store.get("reads")
    ]
    if read_rows:
        out += ["", "Reads from stores:", "", *read_rows]
    sub_rows = [
        f"- `{store['id']}` delivers to "
        + ", ".join(_subscription_text(s) for s in store["subscriptions"])
        for store in doc["stores"]
        if store.get("subscriptions")
    ]
    if sub_rows:
        out += ["", "Topic subscriptions (every message published is delivered to each):", ""]
        out += sub_rows
    out += [
        "",
        "## Vendors and endpoints",
        "",
        "| Host | Approved | Set by | Categories | Open findings |",
        "|---|---|---|---|---|",
    ]
    if not doc["vendors"]:
        out[-4:] = ["## Vendors and endpoints", "", "None reached by identifier data."]
    for vendor in doc["vendors"]:
        set_by = ", ".join(
            f"`{s['env']}` in {s['workload']} ({s['path']}:{s['line']})" for s in vendor["set_by"]
        )
        states = {"approved": "yes", "approval unknown": "unknown", "internal": "internal"}
        approved = states.get(_approval(vendor), "no")
        if vendor.get("own"):
            own = vendor["own"]
            approved = f"city's own: `{own['address']}` ({own['path']}:{own['line']})"
        row = (
            f"`{vendor['host']}`",
            approved,
            set_by or "code",
            ", ".join(vendor["categories"]),
            ", ".join(vendor["findings"]),
        )
        out.append("| " + " | ".join(_cell(v) for v in row) + " |")
    if doc.get("topics"):
        out += ["", "## Topics", "", "| Topic | Terraform | Classification | Pushed to "]
        out[-1] += "| Categories | Open findings |"
        out.append("|---|---|---|---|---|---|")
        for topic in doc["topics"]:
            tf = topic["terraform"]
            where = (
                f"`{tf['address']}` ({tf['path']}:{tf['line']})"
                if tf
                else "not in scanned Terraform"
            )
            pushed = ", ".join(
                f"`{p['host']}` ({'approved' if p['approved'] else 'NOT approved'}) by "
                f"{p['address']} ({p['path']}:{p['line']})"
                for p in topic["push"]
            )
            row = (
                f"`{topic['id']}`",
                where,
                topic["classification"],
                pushed,
                ", ".join(topic["categories"]),
                ", ".join(topic["findings"]),
            )
            out.append("| " + " | ".join(_cell(v) for v in row) + " |")
    if doc["workloads"]:
        out += ["", "## Workloads", "", "| Workload | Defined in | Runs | Classification |"]
        out.append("|---|---|---|---|")
        for w in doc["workloads"]:
            runs = ", ".join(f"`{r}`" for r in w["runs"])
            row = (w["ref"], f"{w['path']}:{w['line']}", runs, w["classification"])
            out.append("| " + " | ".join(_cell(v) for v in row) + " |")
    # Only the findings on the flows, stores and vendors above: `dhlint check` lists them all.
    out += ["", "## Open findings on these flows, stores and vendors", ""]
    out += ["Every finding of the repository: `dhlint check`.", ""]
    if not doc["findings"]:
        out.append("None.")
    for f in doc["findings"]:
        out.append(f"- **{f['rule_id']}** `{f['path']}:{f['line']}`: {f['message']}")
    return "\n".join(out) + "\n"
