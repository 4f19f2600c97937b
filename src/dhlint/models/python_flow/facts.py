"""Facts recorded for the detectors.

Sinks, logs, TLS switched off, endpoints and buckets, and their anchors.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from dhlint.frontends.python import DSN_TLS_OFF
from dhlint.frontends.python_ast import Arg, call_args
from dhlint.models.python_values import (
    Col,
    DocumentSource,
    Frame,
    Obj,
    Ref,
    Seq,
    Series,
    Source,
    Step,
    Str,
    Unknown,
    Val,
    cols_of,
    may_be_false,
)

# DSN_TLS_OFF's groups -> the TLS fact each is
_DSN_TLS_KINDS = {
    "sslmode": "sslmode-disable",
    "allow": "sslmode-allow",
    "prefer": "sslmode-prefer",
    "encrypt": "encrypt-off",
    "trust": "trust-server-certificate",
}

# libpq's sslmode values that leave the channel in clear: disable, and allow and prefer, which
# fall back to plain text when TLS cannot be had (as DH241 judges them in manifests).
_SSLMODES_OFF = frozenset({"disable", "allow", "prefer"})


def _variables_written(node: Any, count: int) -> list[ast.Name | None]:
    """The variable written as each of a call's ``count`` positional arguments (None for
    another expression); none known when the values do not line up with the arguments
    written (a ``*args``, a call the analysis gave other values)."""
    given = node.args if type(node) is ast.Call else ()
    if len(given) != count or any(type(a) is ast.Starred for a in given):
        return [None] * count
    return [a if type(a) is ast.Name else None for a in given]


# ---------------------------------------------------------------------------- facts in flight
class _Pending:
    """A fact whose nodes still need positions."""

    __slots__ = ("anchor", "data", "kind", "node", "stmt")

    def __init__(self, kind: str, node: Any, stmt: Any, anchor: str, data: dict):
        self.kind, self.node, self.stmt, self.anchor, self.data = kind, node, stmt, anchor, data


class Facts:
    """Facts recorded for the detectors."""

    # ------------------------------------------------------------------ facts
    def _log(self, api: str, args, kwargs, node) -> None:
        cols: list[Col] = []
        opened: list[tuple[Source, frozenset[str]]] = []
        written = _variables_written(node, len(args))
        for i, arg in enumerate(args):
            if i == 0 and isinstance(arg, Str) and not arg.cols and api != "print":
                continue  # the format string itself
            found = cols_of(arg) or self._named_cols(arg, node)
            if written[i] is not None:
                found = self._held_as(found, written[i])
            cols.extend(found)
            _open_sources(arg, opened)
        for key, value in kwargs.items():
            if key not in ("exc_info", "stack_info", "stacklevel", "sep", "end", "file", "flush"):
                cols.extend(cols_of(value))
                _open_sources(value, opened)
        if cols or opened:
            self._sink("log", api, Series(tuple(cols)), node, opened=opened)

    def _held_as(self, cols: tuple[Col, ...], var: ast.Name) -> tuple[Col, ...]:
        """A variable logged whose value is one field not named like an identifier, while
        the variable is (``mac = frame["wlan.sa"]``, then ``log.debug("%s", mac)``): the
        field under the variable's name, as a dict key renames what it holds; judged as a
        variable's name is (high confidence only), its treatment kept."""
        if len(cols) != 1 or cols[0].name == var.id:
            return cols
        col = cols[0]
        if self.confidence(var.id) != "high" or any(
            self.confidence(name) is not None for name in (col.name, *col.origins)
        ):
            return cols
        step = Step(var, f"held in '{var.id}'")
        return (Col(var.id, col.origins, col.treatment, (*col.flow, step), by_name=True),)

    def _client_sink(
        self, kind: str, api: str, value: Val, node, hosts: tuple[str, ...], target=None
    ) -> None:
        """A client's write or send to the servers it reaches (``hosts``; the first is the
        sink's host)."""
        host = hosts[0] if hosts else None
        self._sink(kind, api, value, node, host=host, target=target, hosts=hosts)

    def _sink(
        self,
        kind: str,
        api: str,
        value: Val,
        node,
        host=None,
        target=None,
        hosts=(),
        opened=(),
        attributes=None,
        grouped=None,
        also=(),
        envs=(),
    ) -> None:
        """``hosts``: every host a network call may reach (``host`` is the first). ``opened``:
        the sources of open schema a log call writes whole (``_open_sources``). ``attributes``:
        those a DynamoDB write sets, when all are known (``SinkFact.attributes``). A call of a
        function of another module may make several sinks (``_project_sinks``): each its own
        (``also``), with its ``grouped`` and the environment variables it reads there."""
        cols = cols_of(value)
        key = ("sink", id(node), *also)
        if grouped is None:
            grouped = value.grouped if isinstance(value, Frame) else ""
        if key in self.pending:
            data = self.pending[key].data
            if data["grouped"] != grouped:  # the least protected of what the runs saw
                data["grouped"] = "cells" if "" not in (data["grouped"], grouped) else ""
            _add_columns(data, cols, self.entry)
            data["open"] = data["open"] + tuple(o for o in opened if o not in data["open"])
            # A later run may know what an earlier one did not (Cfg.URL set by another function).
            data["host"] = data["host"] or host
            data["target"] = data["target"] or target
            data["hosts"] = tuple(dict.fromkeys((*data["hosts"], *hosts)))
            if data["attributes"] is not None:  # known only when every run knew them
                both = (*data["attributes"], *attributes) if attributes is not None else None
                data["attributes"] = tuple(dict.fromkeys(both)) if both is not None else None
            return
        self.pending[key] = _Pending(
            "sink",
            node,
            self.stmt,
            self._anchor(node),
            {
                "kind": kind,
                "api": api,
                "columns": cols,
                "host": host,
                "target": target,
                "hosts": tuple(hosts),
                "open": tuple(opened),
                "attributes": attributes,
                "grouped": grouped,
                "envs": tuple(envs),
                "entry": self.entry,
            },
        )

    def _fact(self, kind: str, node, **data) -> None:
        # One fact per node, except endpoints: one call may name several (Kafka brokers).
        key = (kind, id(node), data.get("url", "") if kind == "endpoint" else data.get("tls", ""))
        if key in self.pending:
            old = self.pending[key].data
            if "columns" in old:
                _add_columns(old, data["columns"], self.entry)
            if "hosts" in old:  # an smtp-plain send: the hosts each run saw
                old["hosts"] = tuple(dict.fromkeys((*old["hosts"], *data["hosts"])))
            return
        data["entry"] = self.entry
        self.pending[key] = _Pending(kind, node, self.stmt, self._anchor(node), data)

    def _tls(self, kind: str, node, api: str) -> None:
        self._fact("tls", node, tls=kind, api=api)

    def _dsn_tls(
        self, text: str, node, parts: Sequence[str], api: str = "connection string"
    ) -> None:
        """TLS switched off in a connection string, unless an interpolated part (``parts``)
        switched it off alone: that string is reported where it is written."""
        for match in DSN_TLS_OFF.finditer(text):
            kind = match.lastgroup
            if not any(m.lastgroup == kind for p in parts for m in DSN_TLS_OFF.finditer(p)):
                self._tls(_DSN_TLS_KINDS[kind or ""], node, api)

    def _tls_kwargs(self, node: ast.Call, kwargs: dict[str, Val]) -> None:
        """``verify=False`` and friends; the finding points at the keyword argument."""
        if not node.keywords:  # nor ``**options``
            return
        named = set()
        for arg in call_args(node):
            if arg.keyword is not None:
                named.add(arg.keyword)
                self._tls_switch(arg.keyword, kwargs.get(arg.keyword), arg, node)
        # The others came from a dict unpacked into the call: **{"verify": False}, **options.
        unpacked = next((arg for arg in call_args(node) if arg.star == "**"), None)
        for key in kwargs.keys() - named if unpacked is not None else ():
            self._tls_switch(key, kwargs[key], unpacked, node)

    def _tls_switch(self, key: str, value: Val | None, arg: Arg, node: ast.Call) -> None:
        if key in ("verify", "ssl", "verify_ssl", "check_hostname", "verify_certs"):
            if may_be_false(value) and _tls_call(node):
                # redis-py's, pymongo's, asyncpg's ssl=False: no TLS at all (DH260)
                off = key == "ssl" and _no_tls_switch(node.func)
                self._tls("ssl-off" if off else "verify-false", arg, self._text(node.func))
        elif key == "cert_reqs" and _cert_none(value):  # urllib3, ssl.wrap_socket
            self._tls("cert-none", arg, self._text(node.func))
        elif key == "sslmode" and isinstance(value, Str) and value.text in _SSLMODES_OFF:
            self._tls(f"sslmode-{value.text}", arg, self._text(node.func))
        elif key == "connection_verify" and may_be_false(value):
            # azure-core's: every Azure SDK client (Cosmos DB, Blob, Key Vault...) takes it
            self._tls("connection-verify-false", arg, self._text(node.func))

    def _tls_attribute(self, target: ast.Attribute, value: Val) -> None:
        """A session's ``verify`` or an SSL context's checks switched off by assignment."""
        attr = target.attr
        if attr in ("verify", "check_hostname") and may_be_false(value):
            kind = "verify-false" if attr == "verify" else "check-hostname-false"
            self._tls(kind, target, self._text(target))
        elif attr == "verify_mode" and _cert_none(value, named=False):  # an ssl.VerifyMode
            self._tls("cert-none", target, self._text(target))

    def _endpoint(
        self, api: str, url: Val | None, node, from_host: bool = False
    ) -> tuple[str, ...]:
        """An endpoint fact for each text the URL may be; the hosts known, each once.
        ``from_host``: the URL is made from a host the code wrote (``_host_url``)."""
        if not isinstance(url, Str):
            return ()
        hosts = [self._endpoint_one(api, option, node, from_host) for option in url.options]
        return tuple(dict.fromkeys(host for host in hosts if host is not None))

    def _endpoint_one(self, api: str, url: Str, node, from_host: bool = False) -> str | None:
        text = url.text
        match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://", text)
        if not match:
            return None
        scheme = match.group(1).lower()
        try:
            netloc = urlsplit(text).netloc
        except ValueError:
            return None
        host_port = netloc.rsplit("@", 1)[-1]
        host = host_port
        if host.startswith("["):
            host = host[1 : host.find("]")] if "]" in host else host
        elif ":" in host:
            host = host.split(":", 1)[0]
        host = host.lower() if host and "{...}" not in host and "{" not in host else None
        if host is not None and (host.startswith(".") or ".." in host):
            # An empty label: a part put in was empty (``account or ""``), and no client
            # sends there (urllib3: "label empty"); the URL's other texts are its endpoints.
            return None
        self._fact(
            "endpoint",
            node,
            api=api,
            url=text,
            scheme=scheme,
            host=host,
            via=url.via,
            nodes=url.nodes,
            env=url.env,
            written=text.split("://", 1)[1] if from_host else "",
        )
        return host

    def _host_url(self, scheme: str, host: Val | None) -> Val | None:
        if isinstance(host, Str):
            return Str(f"{scheme}://{host.text}", host.via, host.nodes, (), host.env)
        return None

    @staticmethod
    def _host_text(host: Val | None) -> str | None:
        return host.text if isinstance(host, Str) and host.known else None

    @staticmethod
    def _bucket(target: str | None) -> str | None:
        if not target or "://" not in target:
            return None
        return target.split("://", 1)[1].split("/", 1)[0] or None

    def _text(self, node: Any) -> str:
        return " ".join(self.places.code(node).split())

    def _anchor(self, node: Any) -> str:
        text = self._text(node)
        if len(text) > 120:
            text = text[:117] + "..."
        return f"{self.func_name}:{text}"


# What makes ``verify=False`` a TLS setting (probe37 08: mpmath's ``findroot(..., verify=False)``
# and numpy's ``functools.partial(f, verify=False)`` are not): the call is an HTTP or TLS
# client's (a request, a session or client made, a connection), its module is a network
# library, or it is given a URL or a network keyword. ``partial(f, ...)`` is judged by ``f``.
_TLS_CALL_NAMES = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream",
     "urlopen", "fetch", "download", "upload", "connect", "create_connection", "ws_connect",
     "resource", "mount", "wrap_socket", "tlsconfig", "tls", "elasticsearch", "opensearch"}
)  # fmt: skip
_TLS_CALL_ENDS = ("client", "session", "connection", "connector", "adapter", "transport",
                  "pool", "poolmanager", "proxymanager", "api", "context", "request",
                  "requests")  # fmt: skip
_TLS_MODULES = frozenset(
    {"requests", "httpx", "aiohttp", "urllib3", "urllib", "http", "ssl", "boto3", "botocore",
     "hvac", "websocket", "websockets", "docker", "kubernetes", "elasticsearch", "opensearchpy",
     "pymongo", "zeep", "pysolr", "ldap3", "grpc", "aiobotocore", "httplib2", "pycurl"}
)  # fmt: skip
_NETWORK_KEYWORDS = frozenset(
    {"url", "uri", "urls", "base_url", "endpoint", "endpoint_url", "host", "hosts", "port",
     "headers", "proxies", "proxy", "cert", "auth", "timeout", "ca_certs", "cafile"}
)  # fmt: skip


def _tls_call(node: ast.Call) -> bool:
    """Whether a call given ``verify=False`` (``ssl=False``...) is an HTTP or TLS client's."""
    func = node.func
    if type(func) is ast.Attribute:
        name = func.attr
    elif type(func) is ast.Name:
        name = func.id
    else:
        return True  # clients()[0].get(...): not known, as before
    first = func
    while type(first) is ast.Attribute:
        first = first.value
    if name == "partial":  # functools.partial(requests.get, verify=False): the function's
        target = node.args[0] if node.args else None
        if target is None or type(target) not in (ast.Name, ast.Attribute):
            return False
        return _tls_call(ast.Call(func=target, args=[], keywords=node.keywords))
    lower = name.lower()
    if lower in _TLS_CALL_NAMES or lower.endswith(_TLS_CALL_ENDS):
        return True
    if type(first) is ast.Name and first.id in _TLS_MODULES:
        return True
    if any(k.arg in _NETWORK_KEYWORDS for k in node.keywords):
        return True
    return any(
        type(a) is ast.Constant and isinstance(a.value, str) and "://" in a.value for a in node.args
    )


# Clients whose ``ssl=False`` turns TLS off (it is off by default in redis-py), where
# aiohttp's turns the certificate check off: by the module written first in the call
# (``redis.asyncio.Redis``) or the class called (``from redis import Redis``).
_NO_TLS_MODULES = frozenset({"redis", "pymongo", "motor", "asyncpg"})
_NO_TLS_CLIENTS = frozenset(
    {"Redis", "StrictRedis", "RedisCluster", "MongoClient", "AsyncIOMotorClient"}
)


def _no_tls_switch(func: ast.expr) -> bool:
    first = func
    while type(first) is ast.Attribute:
        first = first.value
    name = func.attr if type(func) is ast.Attribute else getattr(func, "id", "")
    return name in _NO_TLS_CLIENTS or (type(first) is ast.Name and first.id in _NO_TLS_MODULES)


def _cert_none(value: Val | None, named: bool = True) -> bool:
    """``ssl.CERT_NONE`` (however imported), or with ``named`` urllib3's ``"CERT_NONE"``."""
    if isinstance(value, Ref):  # either branch's (if verify: ... else: ssl.CERT_NONE)
        return any(ref.qname.rsplit(".", 1)[-1] == "CERT_NONE" for ref in value.options)
    return named and isinstance(value, Str) and value.known and value.text == "CERT_NONE"


def _open_sources(value: Val, out: list[tuple[Source, frozenset[str]]]) -> None:
    """The sources of open schema ``value`` holds whole, into ``out``: a table's or rows' (with
    the names it no longer draws from them: dropped, or set anew), a parameter's or a parsed
    record's; also in a tuple or list, or as a handle's payload."""
    if isinstance(value, Frame):
        if value.sources:
            names = value.removed | frozenset(value.cols)
            out.extend(
                (s, names)
                for s in value.sources
                if (s, names) not in out and not isinstance(s, DocumentSource)
            )
    elif isinstance(value, Unknown):
        if value.source is not None and (value.source, frozenset()) not in out:
            out.append((value.source, frozenset()))
    elif isinstance(value, Seq):
        for item in value.items:
            _open_sources(item, out)
    elif isinstance(value, Obj):
        payload = value.data.get("payload")
        if isinstance(payload, Val):
            _open_sources(payload, out)
    elif isinstance(value, Series):
        for col in value.cols:  # a record's field that is a record: patient = payload["resource"]
            if col.record is not None and (col.record, frozenset()) not in out:
                out.append((col.record, frozenset()))


def _add_columns(data: dict, cols: tuple[Col, ...], entry: tuple[int, int]) -> None:
    """The columns a fact reached again gets (in a loop, an inlined call, another entry
    point's run): each once, what each run saw in turn, the runs taken in the order their
    entry points are written in (the first run of a function written earlier comes first):
    not in the order they ran, which must not show (``_entry_order``)."""
    runs = data.get("runs")
    if runs is None:
        if cols == data["columns"]:
            data["entry"] = min(data["entry"], entry)
            return
        runs = data["runs"] = {data["columns"]: data["entry"]}
    runs[cols] = min(runs.get(cols, entry), entry)
    union: dict[Col, None] = {}
    for seen in sorted(runs, key=runs.__getitem__):  # (stable: in a run, as they came)
        union.update(dict.fromkeys(seen))
    data["columns"] = tuple(union)
