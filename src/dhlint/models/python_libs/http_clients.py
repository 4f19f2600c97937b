"""HTTP clients: requests, httpx, aiohttp, urllib3...

The URL a request goes to and what it sends (its payload, its addressees).
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any

from dhlint.models.python_libs.common import _Bound, _one_value
from dhlint.models.python_values import (
    UNKNOWN,
    Col,
    Frame,
    Num,
    Obj,
    Seq,
    Series,
    Source,
    Str,
    Unknown,
    Val,
    cols_of,
    join,
    mixture,
)

_HTTP_VERBS = {
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "request",
    "stream",
    "send",
    "fetch",
}
_HTTP_MODULES = ("requests", "httpx", "aiohttp", "urllib3", "niquests")

# Websocket clients: the ``websockets`` package's ``connect`` (asyncio, sync and legacy
# modules) and websocket-client's (``websocket``) ``create_connection`` and ``WebSocketApp``
# open a connection to a URL; aiohttp's ``session.ws_connect(url)`` is below. Their sends:
_WS_SENDS = frozenset({"send", "send_text", "send_binary", "send_bytes", "send_str", "send_json"})
_WS_CONNECTS = frozenset({"connect", "create_connection", "WebSocketApp"})


class HttpCalls:
    """HTTP clients: requests, httpx, aiohttp, urllib3..."""

    # ---- network clients
    def _http_ref(self, qname: str, last: str, args, kwargs, node) -> Val:
        if last in (
            "Session",
            "Client",
            "AsyncClient",
            "ClientSession",
            "PoolManager",
            "session",
            "HTTPConnectionPool",
            "HTTPSConnectionPool",
        ):
            base = kwargs.get("base_url")
            return Obj("http", {"base": base if isinstance(base, Str) else None, "api": qname})
        if last == "Request" and qname.startswith("urllib.request"):
            url = args[0] if args else kwargs.get("url")
            payload = args[1] if len(args) > 1 else kwargs.get("data", UNKNOWN)
            return Obj("urllib-request", {"url": url, "payload": payload})
        if last == "urlopen":
            target = args[0] if args else kwargs.get("url")
            payload = args[1] if len(args) > 1 else kwargs.get("data", UNKNOWN)
            if isinstance(target, Obj) and target.kind == "urllib-request":
                payload = join(target.data.get("payload", UNKNOWN), payload)
                target = target.data.get("url")
            self._http_call(qname, target, payload, node)
            return Frame("rows", {}, (Source(node, f"response of {qname}"),))
        if last in _HTTP_VERBS or last == "urlopen":
            if last == "request" and args:
                args = args[1:]
            url = args[0] if args else kwargs.get("url")
            payload = mixture(
                [kwargs[k] for k in ("json", "data", "files", "params", "content") if k in kwargs]
                + list(args[1:2])
            )
            self._http_call(qname, url, payload, node)
            return Obj("http-response")
        return UNKNOWN

    # ---- websocket clients
    def _ws_ref(self, qname: str, last: str, args, kwargs, node) -> Val:
        """``websockets.connect(url)``, websocket-client's ``create_connection(url)`` and
        ``WebSocketApp(url)`` (and ``WebSocket()``, connected by its ``connect(url)``): a
        websocket whose sends go to that URL's host (``_ws_connected``)."""
        if last == "WebSocket" and qname.startswith("websocket."):
            return Obj("websocket", {"lib": "websocket", "api": qname})
        if last not in _WS_CONNECTS or (last == "connect") != qname.startswith("websockets."):
            return UNKNOWN
        url = args[0] if args else kwargs.get("uri", kwargs.get("url"))
        return self._ws_connected(qname, url, qname.partition(".")[0], node)

    def _ws_connected(
        self, api: str, url: Val | None, lib: str, node, base: Val | None = None
    ) -> Obj:
        """The websocket a client opens to ``url``: an endpoint (``ws://`` is cleartext, as
        ``http://``), and the host its sends go to."""
        if isinstance(base, Str) and isinstance(url, Str):
            url = self._concat(base, url)
        hosts = self._endpoint(api, url, node)
        target = url.text if isinstance(url, Str) else None
        return Obj("websocket", {"lib": lib, "api": api, "hosts": hosts, "target": target})

    def _ws_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A websocket's ``send(data)`` (``send_json``, ``send_str``...): the data goes to the
        host it was opened to, as an HTTP request's body does (DH561)."""
        if name in _WS_SENDS:
            payload = args[0] if args else kwargs.get("data", kwargs.get("message"))
            if payload is not None:
                hosts = obj.data.get("hosts", ())
                self._client_sink(
                    "network",
                    f"{obj.data['api']}().{name}",
                    payload,
                    node,
                    hosts,
                    target=obj.data.get("target"),
                )
            return UNKNOWN
        if name == "connect" and obj.data["lib"] == "websocket":  # WebSocket().connect(url)
            url = args[0] if args else kwargs.get("url")
            connected = self._ws_connected("websocket.WebSocket.connect", url, "websocket", node)
            obj.data.update(hosts=connected.data["hosts"], target=connected.data["target"])
            return UNKNOWN
        return obj if name in ("__enter__", "__aenter__") else UNKNOWN

    def _http_call(
        self, api: str, url: Val | None, payload: Val, node, base: Val | None = None
    ) -> None:
        if base is not None and isinstance(base, Str):
            url = self._concat(base, url) if isinstance(url, Str) else base
        hosts = self._endpoint(api, url, node)
        # a plain variable sent whole (data=email, json=[plate, vin]) is judged by its name,
        # as the same variable in a dict is by its key
        if type(payload) is Seq:
            payload = Seq(tuple(self._by_name(item, node) for item in payload.items))
        else:
            payload = self._by_name(payload, node)
        to = _personalization(node, self._bound_values)
        payload = _without_addressee(payload, self._bound_values, to)
        payload = _without_login(payload, self._bound_values)
        # f"{API}?plate={plate}": the URL carries it; not where every value is in the host
        # (f"https://{account}.vendor.example/token": where it goes, as a base URL is)
        if isinstance(url, Str) and url.cols and not _in_authority(url):
            payload = mixture([payload, url]) if cols_of(payload) else url
        self._client_sink(
            "network",
            api,
            payload,
            node,
            hosts,
            target=url.text if isinstance(url, Str) else None,
        )

    def _bound_values(self, name: ast.Name) -> list[ast.expr]:
        """What the assignments to ``name`` before it is read give it, in the innermost
        function around it (or the module): ``to = [cust["phone"]]`` for ``{"to": to}``. Only
        for the addressee of a message (``_one_value``), which is rare: no index is kept."""
        line, scope = name.lineno, self.tree
        for node in ast.walk(self.tree):
            if (
                type(node) in (ast.FunctionDef, ast.AsyncFunctionDef)
                and node.lineno <= line <= (node.end_lineno or node.lineno)
                and (scope is self.tree or node.lineno > scope.lineno)
            ):
                scope = node
        values: list[ast.expr] = []
        for node in ast.walk(scope):
            kind = type(node)
            if getattr(node, "lineno", line) >= line or kind not in _BINDINGS:
                continue
            targets = node.targets if kind is ast.Assign else [node.target]
            if any(type(t) is ast.Name and t.id == name.id for t in targets):
                if node.value is not None:
                    values.append(node.value)
                if kind is ast.AugAssign:  # to += [row["phone"]]: a list
                    values.append(ast.List(elts=[], ctx=ast.Load()))
        return values


_AUTHORITY_ONLY = re.compile(r"\A[a-z][a-z0-9+.-]*+://[^/?#]*+(?:[/?#][^{]*+)?+", re.IGNORECASE)


def _in_authority(url: Str) -> bool:
    """Every value built into the URL (each of the texts it may be) is in its scheme's
    authority, the host (or the user and port), none in its path or query."""
    return all(_AUTHORITY_ONLY.fullmatch(option.text) for option in url.options)


def _is_url_request(
    name: str, args, kwargs=None, receiver: str = "", parameter: bool = False
) -> bool:
    """``client.get("https://...", params=...)`` on an object the analysis does not know: an
    HTTP request. On a parameter (which may as well be a dict), a ``get`` is one only with a
    sign of a client (its name, or a request's keywords): ``etags.get(URL)`` reads a dict."""
    if not (
        name in _HTTP_VERBS
        and bool(args)
        and isinstance(args[0], Str)
        and re.match(r"^[a-z][a-z0-9+.-]*://", args[0].text) is not None
    ):
        return False
    if receiver and _TEST_DOUBLE.search(receiver):
        return False  # requests_mock.get(URL, json=...), respx_mock.post(...): a mock's answer
    return (
        not parameter
        or name != "get"
        or bool(_CLIENT_NAME.search(receiver) or _REQUEST_KEYWORDS.intersection(kwargs or ()))
    )


# Test doubles (requests-mock's fixture, respx's, a mocked session): what they are given is
# what a test makes them answer, nothing goes to the network.
_TEST_DOUBLE = re.compile(r"(?i)mock|fake|stub")
_CLIENT_NAME = re.compile(r"(?i)client|session|http|requests|api|rest|conn|sess$|^s$")

# A message's addressee and its text in an SMS or e-mail API's JSON or form body (keys
# compared in lower case without "_" and "-": "To", "phone_number", "toNumber").
_ADDRESSEE_KEYS = frozenset(
    {"to", "recipient", "phonenumber", "destination", "destinationnumber", "tonumber", "msisdn",
     "mobilenumber", "toaddress", "toemail"}
)  # fmt: skip
_MESSAGE_KEYS = frozenset(
    {"body", "text", "message", "msg", "content", "html", "subject", "sms", "messagetext",
     "smstext", "textbody", "htmlbody"}
)  # fmt: skip


_BINDINGS = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)


def _without_fields(payload: Val, fields: Callable[[Frame, dict[str, str]], Iterable[str]]) -> Val:
    """``payload`` less the columns ``fields`` names in each dict literal of it (in a mixture,
    ``json=`` and ``params=``, each part); ``fields`` is given the dict and its keys as
    ``_key_word`` gives them (to the key as written)."""
    if isinstance(payload, Seq):
        items = tuple(_without_fields(item, fields) for item in payload.items)
        changed = any(a is not b for a, b in zip(items, payload.items, strict=True))
        return Seq(items) if changed else payload
    if not (isinstance(payload, Frame) and payload.lib == "dict" and payload.entries):
        return payload
    dropped = set(fields(payload, {_key_word(key): key for key in payload.entries}))
    if not dropped:
        return payload
    cols = {name: col for name, col in payload.cols.items() if name not in dropped}
    return dataclasses.replace(payload, cols=cols)


def _without_addressee(
    payload: Val, bound: _Bound | None = None, to: ast.Dict | None = None
) -> Val:
    """An HTTP body that is a message (``{"to": phone, "body": text}`` to an SMS or e-mail
    API) without its addressee: where the message goes is its purpose, as SNS's
    ``PhoneNumber=`` is (DH561). Only a dict literal holding a text under a message key and
    one addressee (a value, a row's field, a text built of them; not a list gathered from a
    column or rows, which is a bulk export, also when a variable holds it: ``bound`` gives
    what a name was assigned); its other fields are sent as they are."""
    return _without_fields(payload, lambda frame, keys: _addressees(frame, keys, bound, to))


def _addressees(
    payload: Frame, keys: dict[str, str], bound: _Bound | None, to: ast.Dict | None
) -> list[str]:
    message = [payload.entries[keys[k]] for k in _MESSAGE_KEYS.intersection(keys)]
    if not any(isinstance(value, (Str, Unknown, Series)) for value in message) and not (
        # v3's content [{"type": "text/plain", "value": text}], or its template_id (a text
        # kept at SendGrid, the same for every addressee: no dynamic_template_data)
        to is not None and ("content" in keys or "templateid" in keys)
    ):
        return []
    addressees = [
        key
        for word in _ADDRESSEE_KEYS.intersection(keys)
        if (key := keys[word]) in payload.cols
        and isinstance(payload.entries[key], (Str, Unknown, Series))
        and _one_addressee(payload.cols[key], key, bound)
    ]
    if to is not None:  # SendGrid's v3 personalizations[0].to[0]: its columns from there
        addressees.extend(
            name
            for key, value in zip(to.keys, to.values, strict=True)
            if (name := _key_text(key)) in payload.cols
            and (col := payload.cols[name]).flow
            and col.flow[-1].node is value
            and _one_addressee(col, name, bound)
        )
    return addressees


# An authentication request's body (a login form, an OAuth 2.0 token request, RFC 6749 4.3
# and 4.4): the account's name and its secret, and the grant's parameters; keys compared as
# ``_key_word`` gives them.
_LOGIN_NAME_KEYS = frozenset(
    {"username", "user", "login", "loginid", "userid", "email", "emailaddress", "clientid"}
)
_LOGIN_SECRET_KEYS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "clientsecret",
        "clientassertion",
        "assertion",
        "refreshtoken",
        "granttype",
    }
)
_LOGIN_OTHER_KEYS = frozenset(
    {"scope", "audience", "resource", "redirecturi", "code", "codeverifier", "state",
     "clientassertiontype", "responsetype", "token", "tokentypehint", "otp", "mfacode", "totp",
     "remember", "rememberme",
     # the token's lifetime and what it is bound to (ArcGIS generateToken's "client",
     # "referer" and "expiration"; "expires_in")
     "expiration", "expiresin", "expiry", "ttl", "client", "referer"}
)  # fmt: skip
_LOGIN_KEYS = _LOGIN_NAME_KEYS | _LOGIN_SECRET_KEYS | _LOGIN_OTHER_KEYS


def _without_login(payload: Val, bound: _Bound | None = None) -> Val:
    """An HTTP body that holds nothing but what authentication takes (``{"username": u,
    "password": p}``, ``{"grant_type": "client_credentials", "client_id": i,
    "client_secret": s}``) without the account's name: it is the caller's credential, given to
    the service that checks it, not data sent to it (DH561). One value under each name (not a
    list gathered from rows); a body with any other field (a sign-up's date of birth) is
    judged whole."""
    return _without_fields(payload, lambda frame, keys: _login_names(frame, keys, bound))


def _login_names(payload: Frame, keys: dict[str, str], bound: _Bound | None) -> list[str]:
    if _LOGIN_SECRET_KEYS.isdisjoint(keys) or not all(
        word in _LOGIN_KEYS or _is_setting(payload.entries[key]) for word, key in keys.items()
    ):
        return []
    return [
        key
        for word in _LOGIN_NAME_KEYS.intersection(keys)
        if (key := keys[word]) in payload.cols and _one_addressee(payload.cols[key], key, bound)
    ]


def _is_setting(value: Val) -> bool:
    """A value written out in the code (``"f": "pjson"``, a response format; a number): a
    switch of the request, the same for every caller, which carries nothing of anyone."""
    if isinstance(value, Str):
        return value.via in ("literal", "constant") and not value.cols
    return isinstance(value, Num)


def _personalization(call: Any, bound: _Bound) -> ast.Dict | None:
    """SendGrid's v3 mail/send body (``json=`` a dict literal, or a name assigned one) with one
    personalization of one addressee, ``"personalizations": [{"to": [{"email": e}]}]`` (and
    ``"name"``): that addressee's dict literal. One message to one person, as a flat ``to`` is;
    any other field of the personalization (``cc``, ``dynamic_template_data``), more than one
    of either, or a comprehension leaves it judged."""
    body = next((k.value for k in getattr(call, "keywords", ()) if k.arg == "json"), None)
    inner = _only_item(_literal_entry(_assigned(body, bound), "personalizations"), bound)
    if inner is None or len(inner.keys) != 1:
        return None
    to = _only_item(_literal_entry(inner, "to"), bound)
    if to is None or not {_key_text(k) for k in to.keys} <= {"email", "name"}:
        return None
    return to


def _assigned(node: Any, bound: _Bound) -> Any:
    """A name's one assigned value (``body = {...}``), or the node itself."""
    if type(node) is ast.Name:
        values = bound(node)
        return values[0] if len(values) == 1 else None
    return node


def _literal_entry(node: Any, key: str) -> ast.expr | None:
    if type(node) is not ast.Dict:
        return None
    return next(
        (v for k, v in zip(node.keys, node.values, strict=True) if _key_text(k) == key), None
    )


def _key_text(node: Any) -> str | None:
    return node.value if type(node) is ast.Constant and type(node.value) is str else None


def _only_item(node: Any, bound: _Bound) -> ast.Dict | None:
    """The dict literal of a list literal of one (``[{"email": e}]``), or None."""
    node = _assigned(node, bound)
    if type(node) is ast.List and len(node.elts) == 1 and type(node.elts[0]) is ast.Dict:
        return node.elts[0]
    return None


def _key_word(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _one_addressee(col: Col, key: str, bound: _Bound | None = None) -> bool:
    """The dict literal's value under ``key`` (the last step of its flow) is one value: a
    name, an attribute, a field by a constant key, a text built of such, or a call of them
    that does not gather many (``normalize(row["phone"])``, not ``df["phone"].tolist()``).
    A name is what it was assigned (``bound``): ``to = [row["phone"]]`` is a list."""
    step = col.flow[-1] if col.flow else None
    if step is None or step.label != f"field '{key}'" or not isinstance(step.node, ast.expr):
        return False
    return _one_value(step.node, bound)


_REQUEST_KEYWORDS = frozenset(
    {"params", "headers", "timeout", "auth", "verify", "cookies", "allow_redirects", "proxies"}
)
