"""Literal credentials in Python code (DH760): facts for ``PythonModel.credentials``.

Independent of the data-flow analysis and its pre-filter: every file is read, on the stdlib
``ast`` tree the pre-filter or the syntax check already built (never parsed again here). A text
gate comes first (``candidate_lines``): a credential-like word followed by ``=`` or ``:``
(``password=``, ``"api_key":``, ``TOKEN: str =``) or quoted as an option (``"--api-key"``),
``authoriz`` (a header), ``bearer ``, a URL with a ``user:password@``, ``auth=(``/``auth(``
after ``Basic``/``Digest``/``Proxy``, or an environment read of a credential-like name with a
literal default on its line; only the statements on those lines are walked.

Reported (``CredentialFact``), each a string literal:

- assigned to a credential-named target: a variable, an attribute, a subscript's string key
  (``cfg["db_password"] = ...``), a dict key, a keyword argument of any call, a positional
  argument of a class of the module whose field of that place has a credential-like name (a
  dataclass's ``token: str``, an ``__init__``'s ``password``), the default of a
  parameter, of an environment read (``os.getenv("DB_PASSWORD", "...")``, ``os.environ.get``,
  ``os.getenv("TOKEN") or "..."``), of a configuration's read (``config.get("password",
  "...")``) or of a command-line option (argparse's ``add_argument``, click's ``option``:
  ``"--api-key", default="..."``; typer's ``Option("...", "--api-key")``, also in an
  ``Annotated`` parameter's annotation) (``kind`` "name"; the detector judges
  the name with its describing words);
- the password of a pair given to an ``auth`` (``auth=("etl", "...")``, ``http_auth=[...]``)
  or to a credentials class (``HTTPBasicAuth``, ``HTTPDigestAuth``, ``HTTPProxyAuth``,
  httpx's and aiohttp's ``BasicAuth``/``DigestAuth``) (``kind`` "password");
- an ``Authorization`` (or ``Proxy-Authorization``) header's value, ``"Bearer <token>"``,
  ``"Basic <token>"``, also built around a literal: an f-string, ``+``, ``%`` or
  ``.format`` with a module constant (``f"Bearer {MDS}"``); any ``"Bearer <token>"`` string
  (``kind`` "header");
- a password, key or signature embedded in a URL or connection string
  (``dhlint.credentials.embedded_credentials``, DH743's test; ``kind`` "embedded").

Not reported: values read at run time (``os.environ[...]``, ``os.getenv(...)``, a secret
manager's client: no literal), docstrings and comments, comparisons (``password == "x"``),
non-values (``dhlint.credentials.is_real_literal``: empty, placeholders, references, secret
manager names and URIs, redaction marks), format templates (``"{password}"``, ``"%s"``), an
environment variable's name (``"DB_PASSWORD"``), a credential's own name as the value of a
variable, key or default (``PASSWORD_KEY = "password"``: a field name), text with spaces (a
prompt, a label), URLs and file paths, field and enum names (``"next_marker"``), settings
(``"optional"``), regular expressions, identifier-shaped names given to a token or a key
(``SshKey: "eksKeypair"``, an API's field ``api_key="epv1Total"``), a word built on the
name's term (``{"pass": "bandpass"}``), and keys that are type names
(``"AWS::IAM::AccessKey"``). The literal itself is never kept: a fact has its length
(``size``), which the detector compares with its ``min_length``.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from dhlint.credentials import (
    credential_term_end,
    embedded_credentials,
    is_real_literal,
    known_secret,
    known_secret_starts,
    words,
)
from dhlint.frontends.python import CHILD_FIELDS, walk
from dhlint.types import Location, Related

if TYPE_CHECKING:
    from dhlint.frontends.python_ast import Places


@dataclass(frozen=True)
class CredentialFact:
    kind: str  # name | header | embedded
    what: str  # variable | attribute | key | keyword argument | parameter | header | string
    name: str  # the target, key, keyword, parameter or header (never the value)
    secret: str  # what the literal is: "a credential", "a bearer token", "a password"...
    size: int  # length of the literal
    location: Location
    anchor: str
    scope: tuple[int, int]
    context: str = ""  # the call a keyword or argument is given to, the function of a default
    host: str = ""  # embedded: what the URL or connection string connects to
    related: tuple[Related, ...] = ()  # header: where a module constant it uses is written


# ------------------------------------------------------------------------------ the text gate
# Each term is looked for in the lowered text with ``str.find`` (a regex alternation over every
# file was ten times slower); at each occurrence the rest of a name, a closing quote or bracket
# and ``=``/``:`` must follow (not ``==``), or a token after ``bearer ``. The tests after an
# occurrence are written out, not as patterns that a search would backtrack in.
_NAME_TERMS = ("pass", "pwd", "secret", "token", "cred", "authoriz")
# ... each a pass over the text, but "authoriz": looked for at each "auth" (a pass fewer).
_SCANNED_TERMS = tuple(term for term in _NAME_TERMS if term != "authoriz")
_NAME_REST = re.compile(r"[\w-]*")
# "key" counts after the first word of a credential pair (api_key, accountKey, ssh-key).
_PAIR_BEFORE = re.compile(
    r"(?:api|access|private|secret|signing|encryption|hmac|master|ssh|account|auth|cosmos|"
    r"routing|integration)[-_. ]?\Z"
)
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-._~+/")
# user:password@ right after a scheme; matched on a window of its longest match (514
# characters), anchored: a search of it (test_linear_patterns) tried 256 characters per start.
_USERINFO = re.compile(r"\A[^\s/'\"@:<>]{0,256}:[^\s/'\"@<>]{0,256}@")
_USERINFO_MAX = 256 + 1 + 256 + 1
# A pair given to an ``auth`` (``auth=("etl", "pw")``, ``"http_auth": [...]``) and a requests,
# httpx or aiohttp credentials class (``HTTPBasicAuth(``, ``aiohttp.BasicAuth(``).
_AUTH_PAIR = re.compile(r"auth[\"']?\]?[ \t]*[=:][ \t]*[(\[]")
_AUTH_CLASSES = ("basic", "digest", "proxy")
# An environment read with a literal default: getenv("DB_PASSWORD", "..."), environ.get(...).
_ENV_DEFAULT = re.compile(
    r"\([ \t]*[\"']([\w.-]{1,128})[\"'][ \t]*,[ \t]*(?:default[ \t]*=[ \t]*)?[rbu]?[\"']"
)
_ENV_TERMS = (*_NAME_TERMS, "key")
# PagerDuty's Events API clients, given the routing key by position: pdpyras'
# ``EventsAPISession(key)`` and ``ChangeEventsAPISession(key)``, pagerduty's
# ``EventsApiV2Client(key)``.
_EVENTS_CLIENTS = ("EventsAPISession", "ChangeEventsAPISession", "EventsApiV2Client")


def _assigned_after(lower: str, at: int) -> bool:
    """Whether the rest of a name, a quote, a ``]`` and ``=`` or ``:`` follow ``at``."""
    end = len(lower)
    at = _NAME_REST.match(lower, at).end()  # type: ignore[union-attr]
    if at < end and lower[at] in "\"'":
        at += 1
    if at < end and lower[at] == "]":
        at += 1
    while at < end and lower[at] in " \t":
        at += 1
    if at >= end:
        return False
    return lower[at] == ":" or (lower[at] == "=" and lower[at + 1 : at + 2] != "=")


def _in_option(lower: str, at: int) -> bool:
    """Whether the name around ``at`` is a quoted command-line option (``"--api-key"``)."""
    start = at
    while (
        start > 0 and at - start < 64 and (lower[start - 1].isalnum() or lower[start - 1] in "-_")
    ):
        start -= 1
    if start == 0 or lower[start - 1] not in "\"'" or lower[start : start + 1] != "-":
        return False
    end = _NAME_REST.match(lower, at).end()  # type: ignore[union-attr]
    return lower[end : end + 1] == lower[start - 1]


def _token_after(lower: str, at: int) -> bool:
    """Whether blanks, then a token character, follow ``at`` (``bearer 3f9a``)."""
    end = len(lower)
    start = at
    while at < end and lower[at] in " \t":
        at += 1
    return at > start and at < end and lower[at] in _TOKEN_CHARS


def _named_here(lower: str, at: int, size: int) -> bool:
    """Whether the name term of ``size`` characters at ``at`` is assigned or an option."""
    return _assigned_after(lower, at + size) or _in_option(lower, at)


def _env_default(lower: str, at: int) -> bool:
    """Whether a read of a credential-like name with a literal default follows ``at``."""
    match = _ENV_DEFAULT.match(lower, at)
    return match is not None and any(term in match[1] for term in _ENV_TERMS)


def candidate_lines(text: str) -> list[int]:
    """The sorted 1-based lines where a credential may be written ([] for most files)."""
    lower = text.lower()
    if len(lower) != len(text):  # "İ" lowers to two characters: offsets would drift from text's
        lower = text.replace("\u0130", "I").lower()
    offsets: list[int] = []
    for term in _SCANNED_TERMS:
        at = lower.find(term)
        while at >= 0:
            if _named_here(lower, at, len(term)):
                offsets.append(at)
            at = lower.find(term, at + 1)
    at = lower.find("key")
    while at >= 0:
        if _PAIR_BEFORE.search(lower, max(0, at - 12), at) and (
            _assigned_after(lower, at + 3) or _in_option(lower, at)
        ):
            offsets.append(at)
        elif lower[at - 1 : at] in ("?", "&") and lower[at + 3 : at + 4] == "=":
            offsets.append(at)  # a URL's query: ...&key=<literal> (probe40 P10)
        elif lower[at - 1 : at] in ("'", '"') and lower[at + 3 : at + 4] == lower[at - 1]:
            offsets.append(at)  # params={"key": "<literal>"}
        at = lower.find("key", at + 1)
    at = lower.find("eventsapi")
    while at >= 0:
        offsets.append(at)  # (a candidate only: its argument is judged by its shape)
        at = lower.find("eventsapi", at + 1)
    at = lower.find("auth")
    while at >= 0:
        if (
            _AUTH_PAIR.match(lower, at)
            or (
                lower.startswith("auth(", at) and lower[max(0, at - 6) : at].endswith(_AUTH_CLASSES)
            )
            or (lower.startswith("authoriz", at) and _named_here(lower, at, 8))
        ):
            offsets.append(at)
        at = lower.find("auth", at + 1)
    # getenv("...", "..."), and .get: os.environ.get, config.get("password", "...") (one pass)
    at = lower.find("get")
    while at >= 0:
        if lower.startswith("getenv", at) and _env_default(lower, at + 6):
            offsets.append(at)
        if at and lower[at - 1] == "." and _env_default(lower, at + 3):
            offsets.append(at - 1)
        at = lower.find("get", at + 1)
    at = lower.find("bearer")
    while at >= 0:
        if _token_after(lower, at + 6):
            offsets.append(at)
        at = lower.find("bearer", at + 1)
    at = lower.find("://")
    while at >= 0:
        if _USERINFO.match(lower[at + 3 : at + 3 + _USERINFO_MAX]):
            offsets.append(at)
        at = lower.find("://", at + 1)
    offsets.extend(known_secret_starts(text))
    if not offsets:
        return []
    lines, line, last = [], 1, 0
    for offset in sorted(offsets):
        line += text.count("\n", last, offset)
        last = offset
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


# --------------------------------------------------------------------------- value judgments
# A format template's field: "%s", "%(password)s", "{}", "{0}", "{password}", "{pw!r:>8}".
_TEMPLATE = re.compile(
    r"%(?:\([\w.-]{0,64}\))?[-#0 +]{0,4}\d{0,4}(?:\.\d{1,4})?[sdrifxa]"
    r"|\{[\w.\[\]]{0,64}(?:![rsa])?(?::[^{}]{0,64})?\}"
)
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")  # DB_PASSWORD: a variable's name
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
_PATH_STARTS = ("/", "~/", "./", "../", "\\\\")
_PATH_ENDS = (".pem", ".key", ".crt", ".cer", ".der", ".p12", ".pfx", ".json", ".txt", ".yaml",
              ".yml", ".env", ".ini", ".cfg", ".toml")  # fmt: skip
# A header's value: a scheme and its credentials (RFC 7235's token68), or a token alone.
_AUTH_VALUE = re.compile(r"(?:(?P<scheme>[A-Za-z][\w-]*)[ \t]+)?(?P<token>[A-Za-z0-9\-._~+/]+=*)")
_BEARER = re.compile(r"(?i)(?:bearer)[ \t]+(?P<token>[A-Za-z0-9\-._~+/]+=*)")


# A PagerDuty integration (routing) key: 32 hexadecimal digits, or an event orchestration's
# "R0" and 30 capitals and digits. Its names (``routing_key``, ``integration_key``) are no
# credential's in general (AMQP's ``routing_key`` is a queue's address): a literal given to
# them counts in that shape only.
_PAGERDUTY_KEY = re.compile(r"[0-9a-f]{32}|R0[0-9A-Z]{30}")
_PAGERDUTY_NAMES = (["routing", "key"], ["integration", "key"])


_QUERY_KEY = re.compile(r"[?&]key=(?P<value>[^&#\s\"'<>{}]+)")


def _query_token(text: str) -> bool:
    """A query's ``key`` value that is a token: a literal of ten or more characters with
    three letters and three digits or more (not a word, a number or a field's name)."""
    return (
        len(text) >= 10
        and sum(c.isdigit() for c in text) >= 3
        and sum(c.isalpha() for c in text) >= 3
        and literal_secret(text)
    )


def _is_credential_word(text: str) -> bool:
    """``password``, ``api_key``, ``clientSecret``, ``X-Api-Key``: a credential's name."""
    return _IDENTIFIER.fullmatch(text) is not None and credential_term_end(words(text)) > 0


# A field's or an enum's name (next_marker, not_supported): lower-case words joined by "_".
_SNAKE_WORDS = re.compile(r"\A[a-z]+(?:_[a-z]+)+")
# A name written as an identifier: eksKeypair, optional, KeyPair, key-pair-name (letters only;
# a random token of letters alone almost never has these humps).
_WORD_NAME = re.compile(r"\A(?:[a-z]+(?:[A-Z][a-z]+)*|(?:[A-Z][a-z]+)+|[a-z]+(?:[-_.][a-z]+)+)")
# A field's name in camelCase with numbers (an API's response field: Home Assistant's Growatt
# sensors' api_key="epv1Total", "bdc1DischargePower", "iChargePV1"): lower-case letters, then
# capitalised words of three letters or more, a short capital run at the end, a digit or two
# after each. Given to a token or a key, no machine-made secret has this shape (one random
# 20-character token in 5,000 has; one in 40 of 8 characters).
_FIELD_NAME = re.compile(
    r"\A[a-z]+[0-9]{0,2}(?:[A-Z][a-z]{2,}[0-9]{0,2})*(?:[A-Z][a-z]{2,}|[A-Z]{2,3})[0-9]?"
)
# Values that state a setting (HttpTokens: "optional"), never a credential.
_SETTING_WORDS = frozenset(
    {"required", "optional", "enabled", "disabled", "supported", "unsupported", "default",
     "auto", "unknown", "unset", "missing", "invalid", "inherit", "ignore", "ignored"}
)  # fmt: skip
# A regular expression: a class escape, a group extension, a negated class.
_REGEX_SIGNS = ("\\w", "\\d", "\\s", "\\W", "\\D", "\\S", "\\b", "(?", "[^")
# Terms whose credential is machine-made (a token, a key): never a plain word or a name; a
# password or a passphrase can be one ("changeme").
_MADE_TERMS = ("token", "tokens", "key", "apikey", "accesskey", "secretkey", "privatekey",
               "authtoken", "sastoken")  # fmt: skip


def _is_regex(text: str) -> bool:
    if not any(sign in text for sign in _REGEX_SIGNS):
        return False
    try:
        re.compile(text)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


# gettext and its kin (Django's, Flask-Babel's): their argument is a message for people.
_MESSAGE_CALLS = frozenset(
    {"_", "gettext", "ngettext", "pgettext", "lazy_gettext", "gettext_lazy", "_l", "_lazy",
     "N_", "ugettext", "ugettext_lazy", "lazy_pgettext"}
)  # fmt: skip
# A target so named holds an example of a value, not one in use (superset's engine specs'
# sqlalchemy_uri_placeholder = "postgresql://user:password@host:port/dbname").
_EXAMPLE_WORDS = frozenset(
    {"placeholder", "placeholders", "example", "examples", "sample", "samples", "hint", "usage"}
)
# An entry point or a factory's import path (``"ckan.tests.factories:APIToken"``).
# (Possessive, and starting a word only: linear when searched, as every pattern here is.)
_IMPORT_PATH = re.compile(
    r"(?<![\w.])[A-Za-z_]\w*+(?:\.[A-Za-z_]\w*+)++:[A-Za-z_]\w*+(?:\.[A-Za-z_]\w*+)*+"
)


# A type written as a string (an OpenAPI generator's ``openapi_types = {"secrets":
# "list[str]"}``, a forward reference "Optional[str]"): a subscripted name.
_TYPE_TEXT = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*+\[(?=[A-Za-z_])(?:[\w.\[, |]*+\]++)++")


def literal_secret(text: str, keyword: bool = False, name: str = "") -> bool:
    """Whether ``text``, given to a credential-named target (``name``), can be the
    credential itself. ``keyword``: given as a keyword argument (``connect(password=
    "password")`` is the password; ``PASSWORD_KEY = "password"`` names a field)."""
    if not is_real_literal(text) or text != text.strip() or any(c.isspace() for c in text):
        return False
    if "://" in text or _TEMPLATE.search(text) or _ENV_NAME.fullmatch(text):
        return False
    if ":" in text and _IMPORT_PATH.fullmatch(text):
        return False
    if text.startswith(_PATH_STARTS) or text.lower().endswith(_PATH_ENDS):
        return False  # a path: where the credential is kept
    # a field's or an enum's name, a setting, a regular expression (probe37 02, 03)
    if _SNAKE_WORDS.fullmatch(text) or text.lower() in _SETTING_WORDS or _is_regex(text):
        return False
    if "[" in text and _TYPE_TEXT.fullmatch(text):
        return False
    parts = words(name)
    end = credential_term_end(parts)
    term = parts[end - 1] if end else ""
    if term in _MADE_TERMS and text.isalpha() and text.lower() in parts[: end - 1]:
        return False  # _OFFSET_TOKEN = "OFFSET": a parser's token, named by its own text
    if name and term in _MADE_TERMS and _FIELD_NAME.fullmatch(text):
        return False  # api_key="epv1Total": a field's name (s38 real4)
    if name and _WORD_NAME.fullmatch(text):
        if term in _MADE_TERMS:
            return False  # ec2SshKey: "eksKeypair", a key pair's name (probe37 02)
        lower = text.lower()
        if term and lower.isalpha() and lower.endswith(term) and lower != term:
            return False  # {"pass": "bandpass"}: a word built on the name's own term (04)
    return keyword or not _is_credential_word(text)


def _token(text: str) -> str | None:
    """The credentials of an ``Authorization`` value (``Bearer x``, ``Basic x``, ``x``)."""
    match = _AUTH_VALUE.fullmatch(text.strip())
    if match is None:
        return None
    token = match["token"]
    if not is_real_literal(token) or _TEMPLATE.search(text) or _ENV_NAME.fullmatch(token):
        return None
    return token


def _string(node: ast.expr) -> str | None:
    if type(node) is ast.Constant:
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            return node.value.decode("latin-1")
    return None


# ------------------------------------------------------------------------------ the walk
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _name_of(target: ast.expr) -> tuple[str, str] | None:
    """(what, name) of an assignment target that a credential can be written into."""
    kind = type(target)
    if kind is ast.Name:
        return "variable", target.id
    if kind is ast.Attribute:
        return "attribute", target.attr
    if kind is ast.Subscript:
        key = _string(target.slice)
        if key is not None:
            return "key", key
    return None


def _call_name(func: ast.expr) -> str:
    parts = []
    while type(func) is ast.Attribute:
        parts.append(func.attr)
        func = func.value
    if type(func) is ast.Name:
        parts.append(func.id)
    return ".".join(reversed(parts[:2])) if parts else ""


# Calls whose arguments ``_Scanner._call`` reads (the last part of the called name).
_CALLS_READ = frozenset(
    {"getenv", "get", "add_argument", "option", "HTTPBasicAuth", "HTTPDigestAuth",
     "HTTPProxyAuth", "BasicAuth", "DigestAuth", *_EVENTS_CLIENTS}
)  # fmt: skip


_ANNOTATED = ("Annotated", "typing.Annotated", "typing_extensions.Annotated")


def _typer_option(node: ast.AST) -> tuple[list[str], ast.expr | None] | None:
    """typer's ``Option("...", "--api-key")`` or ``Option("--api-key", default="...")``: its
    flags and default (None when it has none); None for anything else."""
    if type(node) is not ast.Call or _call_name(node.func).rpartition(".")[2] != "Option":
        return None
    args = node.args
    default = next((k.value for k in node.keywords if k.arg == "default"), None)
    if default is None and args and not (_string(args[0]) or "").startswith("-"):
        default, args = args[0], args[1:]
    return [f for f in map(_string, args) if f is not None and f.startswith("-")], default


def _is_authorization(name: str) -> bool:
    return name.lower().endswith("authorization")


class _Scanner:
    def __init__(self, tree: ast.Module, text: str, path: str, lines: list[int]) -> None:
        self.tree, self.path, self.lines, self.text = tree, path, lines, text
        self.facts: list[CredentialFact] = []
        self.done: set[int] = set()  # string nodes already reported
        self.examples: set[int] = set()  # examples=..., {"example": ...}: not walked into
        self.anchors: dict[str, int] = {}
        self.context: dict[int, tuple[str, str, str]] = {}  # string node -> (what, name, call)
        self._constants: dict[str, ast.Assign | ast.AnnAssign | None] | None = None
        self.fields: dict[str, list[str]] = {}  # class -> its positional fields (some secret)

    @cached_property
    def places(self) -> Places:
        """The text's line starts, built when a fact needs a position (most files have none)."""
        from dhlint.frontends.python_ast import Places

        return Places(self.text)

    # -------------------------------------------------------------------- pruning
    def _near(self, node: ast.AST) -> bool:
        """Whether a candidate line is within the node's lines."""
        first = node.lineno  # type: ignore[attr-defined]
        last = getattr(node, "end_lineno", None) or first
        decorators = getattr(node, "decorator_list", None)
        if decorators:  # @click.option("--password", default=...) is above the def's line
            first = decorators[0].lineno
        at = bisect_left(self.lines, first)
        return at < len(self.lines) and self.lines[at] <= last

    def walk(self, node: ast.AST, func: str, stmt: ast.AST) -> None:
        for child in _children(node):
            if child is None:
                continue  # a ``**`` entry's key, an absent keyword-only default
            if (hasattr(child, "lineno") and not self._near(child)) or id(child) in self.examples:
                continue
            kind = type(child)
            inner, inner_stmt = func, stmt
            if isinstance(child, ast.stmt):
                inner_stmt = child
                if kind is ast.Expr and type(child.value) is ast.Constant:
                    continue  # a docstring, or a string standing alone as a comment
                if kind is ast.Assign:
                    for target in child.targets:
                        self._assign(target, child.value, func, child)
                elif kind is ast.AnnAssign and child.value is not None:
                    self._assign(child.target, child.value, func, child)
                elif kind in _DEFS or kind is ast.ClassDef:
                    if kind in _DEFS:
                        self._defaults(child, func, child)
                    inner = child.name if func == "<module>" else f"{func}.{child.name}"
            elif kind is ast.Dict:
                for key, value in zip(child.keys, child.values, strict=False):
                    name = _string(key) if key is not None else None
                    if name is not None and _EXAMPLE_WORDS.intersection(words(name)):
                        self.examples.add(id(value))  # {"example": {"password": "s3cr3t"}}
                    elif name is not None:
                        self._judge("key", name, value, func, stmt)
            elif kind is ast.Call:
                call = _call_name(child.func)
                called = call.rpartition(".")[2]
                if called in _CALLS_READ:
                    self._call(child, called, call, func, stmt)
                if type(child.func) is ast.Name and child.func.id in self.fields:
                    self._fields(child, self.fields[child.func.id], call, func, stmt)
                for keyword in child.keywords:
                    if keyword.arg is not None and _EXAMPLE_WORDS.intersection(words(keyword.arg)):
                        # Field(examples=[{"password": "s3cr3t"}]): a schema's documented
                        # examples, not values in use
                        self.examples.add(id(keyword))
                    elif keyword.arg is not None:
                        self._judge(
                            "keyword argument", keyword.arg, keyword.value, func, stmt, call
                        )
                    if keyword.arg == "params" and type(keyword.value) is ast.Dict:
                        self._query_key(keyword.value, func, stmt, call)
                for arg in child.args:
                    self.context.setdefault(id(arg), ("argument", "", call))
            elif kind is ast.Lambda:
                self._defaults(child, func, stmt)
            elif kind is ast.Constant and isinstance(child.value, str):
                self._string_literal(child, func, stmt)
                continue
            elif kind is ast.JoinedStr:
                self._fstring(child, func, stmt)
            self.walk(child, inner, inner_stmt)

    # -------------------------------------------------------------------- contexts
    def _call(self, node: ast.Call, called: str, call: str, func: str, stmt: ast.AST) -> None:
        """A call whose arguments hold a credential by position or by what they configure:
        an environment read's default, a credentials class's password, an option's default."""
        args = node.args
        if called in ("getenv", "get"):  # os.getenv("DB_PASSWORD", "..."), os.environ.get
            name = _string(args[0]) if args else None
            default = args[1] if len(args) > 1 else None
            for keyword in node.keywords:
                if keyword.arg == "default":
                    default = keyword.value
            if name is None or default is None:
                return
            if called == "get" and not call.endswith("environ.get"):
                # config.get("password", "..."), settings.get("api_key", "..."): the literal is
                # the credential whenever the configuration does not set one
                self._judge("setting default", name, default, func, stmt, call)
                return
            self._judge("environment default", name, default, func, stmt)
        elif called in ("add_argument", "option"):  # argparse, click: "--api-key", default=
            flags = [f for f in map(_string, args) if f is not None and f.startswith("-")]
            default = next((k.value for k in node.keywords if k.arg == "default"), None)
            if flags and default is not None:
                flag = max(flags, key=len)
                self._judge("option", flag, default, func, stmt, call)
        elif called in _EVENTS_CLIENTS:  # pdpyras.EventsAPISession("<routing key>")
            if args:
                self._judge("argument", "routing_key", args[0], func, stmt, call)
        elif len(args) > 1:  # HTTPBasicAuth("etl", "..."), aiohttp.BasicAuth(login, password)
            self._judge("argument", "password", args[1], func, stmt, call, kind="password")

    def _fields(self, node: ast.Call, fields: list[str], call: str, func: str, stmt) -> None:
        """A module class's positional arguments, each judged by its field's name."""
        for field, arg in zip(fields, node.args, strict=False):
            if type(arg) is ast.Starred:
                return  # Operator(*row): the positions after it are not known
            self._judge("argument", field, arg, func, stmt, call)

    def _query_key(self, params: ast.Dict, func: str, stmt: ast.AST, call: str) -> None:
        """``params={"key": "<literal>"}`` of a request: the API key most geocoders and
        Google's APIs take as the query's ``key`` (probe40 P10), when the literal looks like
        a token (``_query_token``)."""
        for key, value in zip(params.keys, params.values, strict=False):
            text = _string(value) if key is not None and _string(key) == "key" else None
            if text is not None and id(value) not in self.done and _query_token(text):
                self._add("query", "key", "key", "a credential", len(text), value, func, stmt, call)

    def _assign(self, target: ast.expr, value: ast.expr, func: str, stmt: ast.stmt) -> None:
        if type(target) in (ast.Tuple, ast.List) and type(value) in (ast.Tuple, ast.List):
            if len(target.elts) == len(value.elts):  # type: ignore[attr-defined]
                for t, v in zip(target.elts, value.elts, strict=False):  # type: ignore[attr-defined]
                    self._assign(t, v, func, stmt)
            return
        named = _name_of(target)
        if named is not None:
            self._judge(named[0], named[1], value, func, stmt)

    def _defaults(self, func_node: ast.AST, func: str, stmt: ast.AST) -> None:
        args = func_node.args  # type: ignore[attr-defined]
        positional = [*args.posonlyargs, *args.args]
        pairs = list(
            zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=False)
        )
        pairs += [
            (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=False) if d is not None
        ]
        owner = getattr(func_node, "name", "lambda")
        for arg, default in pairs:
            annotation = arg.annotation
            if not (self._near(default) or (annotation is not None and self._near(arg))):
                continue
            # typer: password: str = typer.Option("...", "--password"), and
            # key: Annotated[str, typer.Option("--api-key")] = "...": an option's default
            option = _typer_option(default)
            flags: list[str] = []
            if option is not None:
                flags, default = option
                if default is None:
                    continue
            elif type(annotation) is ast.Subscript and _call_name(annotation.value) in _ANNOTATED:
                for part in ast.walk(annotation.slice):
                    found = _typer_option(part)
                    if found is not None:
                        flags = found[0]
            before = len(self.facts)
            self._judge("parameter", arg.arg, default, func, stmt, owner)
            if flags and len(self.facts) == before:
                self._judge("option", max(flags, key=len), default, func, stmt, owner)

    def _judge(
        self,
        what: str,
        name: str,
        value: ast.expr,
        func: str,
        stmt: ast.AST,
        call: str = "",
        kind: str = "name",
    ) -> None:
        """A value given to a name: a credential, or a header's value, written as a literal.
        ``kind`` "password": a password by its place, whatever the name (``auth=(user, pw)``).
        """
        self.context.setdefault(id(value), (what, name, call))
        if what == "key" and "::" in name:
            return  # "AWS::IAM::AccessKey": a type's name, not a credential's (probe37 01)
        if _is_authorization(name):
            self._header(what, name, value, func, stmt, call)
            return
        parts = words(name)
        if (
            parts[-1:] == ["auth"]
            and len(parts) < 3
            and type(value) in (ast.Tuple, ast.List)
            and len(value.elts) == 2  # type: ignore[attr-defined]
        ):  # auth=("etl", "..."), "http_auth": [user, password]
            value = value.elts[1]  # type: ignore[attr-defined]
            kind = "password"
        elif kind == "name" and parts[-2:] in _PAGERDUTY_NAMES:
            self._pagerduty_key(what, name, value, func, stmt, call)
            return
        elif kind == "name" and not credential_term_end(parts):
            return
        if type(value) is ast.BoolOp and type(value.op) is ast.Or:  # type: ignore[attr-defined]
            value = value.values[-1]  # type: ignore[attr-defined]  # getenv("TOKEN") or "..."
        text = _string(value)
        related: tuple[Related, ...] = ()
        # password=DEFAULT, a module constant (one named as a credential is reported where
        # it is written)
        if text is None and type(value) is ast.Name and not credential_term_end(words(value.id)):
            text = self._constant(value.id)
            if text is not None:
                where = self._location(self._constants_def(value.id))
                related = (Related(where, f"'{value.id}' is written here"),)
        if text is None:
            if type(value) is not ast.Constant:  # f"Bearer {TOKEN}" given to an api_key
                self._header(what, name, value, func, stmt, call, quiet=True)
            return
        if embedded_credentials(text):
            return  # reported as embedded, with its host
        bearer = _BEARER.fullmatch(text)
        if bearer is not None:
            self._header(what, name, value, func, stmt, call)
            return
        if literal_secret(
            text, keyword=what == "keyword argument" or kind == "password", name=name
        ):
            secret = "a password" if kind == "password" else "a credential"
            self._add(kind, what, name, secret, len(text), value, func, stmt, call, related)

    def _pagerduty_key(
        self, what: str, name: str, value: ast.expr, func: str, stmt: ast.AST, call: str
    ) -> None:
        """A PagerDuty routing key written as a literal (``_PAGERDUTY_KEY``): whoever has it
        can raise and resolve incidents on the service."""
        text = _string(value)
        if text is not None and _PAGERDUTY_KEY.fullmatch(text) and is_real_literal(text):
            secret = "a PagerDuty integration key"
            self._add("format", what, name, secret, len(text), value, func, stmt, call)

    def _header(
        self,
        what: str,
        name: str,
        value: ast.expr,
        func: str,
        stmt: ast.AST,
        call: str,
        quiet: bool = False,
    ) -> None:
        """An Authorization value: a literal, or built from literals and module constants."""
        pieces = self._pieces(value)
        if pieces is None:
            return
        text = "".join(t for t, _ in pieces)
        constants = [c for _, c in pieces if c is not None]
        if quiet and not constants and type(value) is not ast.JoinedStr:
            return
        # A constant named as a credential is reported where it is written.
        if any(credential_term_end(words(c.id)) for c in constants):  # type: ignore[attr-defined]
            return
        token = _token(text)
        if token is None or (_BEARER.fullmatch(text) is None and not _is_authorization(name)):
            return
        scheme = text.strip()[: -len(token)].strip().lower()
        secret = f"a {scheme} credential" if scheme and scheme != "bearer" else "a bearer token"
        if not scheme:
            secret = "a credential"
        related = tuple(
            Related(self._location(self._constants_def(c.id)), f"'{c.id}' is written here")  # type: ignore[attr-defined]
            for c in constants
        )
        kind = (
            "header" if _is_authorization(name) or not credential_term_end(words(name)) else "name"
        )
        self._add(kind, what, name, secret, len(token), value, func, stmt, call, related)

    def _pieces(self, value: ast.expr) -> list[tuple[str, ast.Name | None]] | None:
        """The value as text pieces, each a literal or a module constant's text (with its
        name); None when a part is not known."""
        kind = type(value)
        text = _string(value)
        if text is not None:
            return [(text, None)]
        if kind is ast.Name:
            constant = self._constant(value.id)  # type: ignore[attr-defined]
            return None if constant is None else [(constant, value)]  # type: ignore[list-item]
        if kind is ast.JoinedStr:
            out: list[tuple[str, ast.Name | None]] = []
            for part in value.values:  # type: ignore[attr-defined]
                if type(part) is ast.FormattedValue:
                    if part.format_spec is not None or part.conversion not in (-1, 115):
                        return None
                    inner = self._pieces(part.value)
                    if inner is None:
                        return None
                    out += inner
                else:
                    text = _string(part)
                    if text is None:
                        return None
                    out.append((text, None))
            return out
        if kind is ast.BinOp:
            op = type(value.op)  # type: ignore[attr-defined]
            left = self._pieces(value.left)  # type: ignore[attr-defined]
            if left is None:
                return None
            if op is ast.Add:
                right = self._pieces(value.right)  # type: ignore[attr-defined]
                return None if right is None else left + right
            if op is ast.Mod and len(left) == 1 and left[0][1] is None:  # "Bearer %s" % TOKEN
                right = self._pieces(value.right)  # type: ignore[attr-defined]
                if right is None or left[0][0].count("%s") != 1:
                    return None
                before, _, after = left[0][0].partition("%s")
                return [(before, None), *right, (after, None)]
            return None
        if (  # "Bearer {}".format(TOKEN)
            kind is ast.Call
            and type(value.func) is ast.Attribute  # type: ignore[attr-defined]
            and value.func.attr == "format"  # type: ignore[attr-defined]
            and len(value.args) == 1  # type: ignore[attr-defined]
            and not value.keywords  # type: ignore[attr-defined]
        ):
            template = _string(value.func.value)  # type: ignore[attr-defined]
            right = self._pieces(value.args[0])  # type: ignore[attr-defined]
            if template is None or right is None or template.count("{}") != 1:
                return None
            before, _, after = template.partition("{}")
            return [(before, None), *right, (after, None)]
        return None

    def _constants_map(self) -> dict[str, ast.Assign | ast.AnnAssign | None]:
        if self._constants is None:
            found: dict[str, ast.Assign | ast.AnnAssign | None] = {}
            for stmt in self.tree.body:
                targets = (
                    stmt.targets
                    if type(stmt) is ast.Assign
                    else [stmt.target]
                    if type(stmt) is ast.AnnAssign and stmt.value is not None
                    else []
                )
                for target in targets:
                    if type(target) is ast.Name:
                        # a name set twice is not one constant
                        found[target.id] = None if target.id in found else stmt  # type: ignore[assignment]
            self._constants = found
        return self._constants

    def _constant(self, name: str) -> str | None:
        stmt = self._constants_map().get(name)
        return None if stmt is None else _string(stmt.value)  # type: ignore[arg-type]

    def _constants_def(self, name: str) -> ast.expr:
        stmt = self._constants_map()[name]
        return stmt.value  # type: ignore[union-attr,return-value]

    def _string_literal(self, node: ast.Constant, func: str, stmt: ast.AST) -> None:
        """Any string: a URL or connection string embedding a credential, a bearer token."""
        if id(node) in self.done or not self._near(node):
            return
        text = node.value
        what, name, call = self.context.get(id(node), ("string", "", ""))
        if call.rpartition(".")[2] in _MESSAGE_CALLS or (
            name and _EXAMPLE_WORDS.intersection(words(name))
        ):
            return  # a message to translate, an example's text: "user:password@db-host"
        found = embedded_credentials(text) if ("://" in text or "=" in text) else []
        if found:
            start, end = self.places.span(node)
            raw = self.places.text[start:end]
            for begin, stop, host, secret in found:
                at = raw.find(text)
                where = (
                    (start + at + begin, start + at + stop)
                    if at >= 0 and len(node.value) == len(text)
                    else (start, end)
                )
                self._add_embedded(
                    what,
                    name,
                    secret,
                    stop - begin,
                    self._span_location(*where),
                    func,
                    stmt,
                    call,
                    host,
                )
            return
        known = known_secret(text)
        if known is not None:  # sk_live_..., a vendor's key in its own format (probe41 #6)
            self._add("format", what, name, known, len(text), node, func, stmt, call)
            return
        if "key=" in text and "://" in text:  # https://geo.example/v2?q=x&key=<literal>
            match = _QUERY_KEY.search(text)
            if match is not None and _query_token(match["value"]):
                size = len(match["value"])
                self._add("query", "URL query", "key", "a credential", size, node, func, stmt, call)
                return
        bearer = _BEARER.fullmatch(text) if "earer" in text else None
        if bearer is not None and _token(text) is not None:
            self._add(
                "header", what, name, "a bearer token", len(bearer["token"]), node, func, stmt, call
            )

    def _fstring(self, node: ast.JoinedStr, func: str, stmt: ast.AST) -> None:
        """An f-string URL or connection string whose password is literal, its host (or
        another part) a replacement field: ``f"postgresql://etl:Pa55word@{DB_HOST}/trips"``.
        A field stands in the text as a placeholder; a password that overlaps one is not
        literal."""
        pieces: list[str] = []
        fields: list[tuple[int, int, str]] = []  # placeholder start, end, what it shows
        for part in node.values:
            if type(part) is ast.Constant and isinstance(part.value, str):
                self.done.add(id(part))  # judged here, with the fields
                pieces.append(part.value)
            else:
                start = sum(map(len, pieces))
                holder = f"dhlintfield{len(fields)}x"
                pieces.append(holder)
                expression = getattr(part, "value", None)
                shown = ast.unparse(expression) if expression is not None else "..."
                fields.append((start, start + len(holder), "{" + shown[:40] + "}"))
        if not fields or id(node) in self.done:
            return
        text = "".join(pieces)
        if "://" not in text and "=" not in text:
            return
        what, name, call = self.context.get(id(node), ("string", "", ""))
        match = _QUERY_KEY.search(text) if "key=" in text and "://" in text else None
        if (
            match is not None
            and not any(match.start(1) < end and start < match.end(1) for start, end, _ in fields)
            and _query_token(match["value"])
        ):  # f"https://geo.example/v2?q={addr}&key=<literal>"
            self.done.add(id(node))
            size = len(match["value"])
            self._add("query", "URL query", "key", "a credential", size, node, func, stmt, call)
            return
        for begin, stop, host, secret in embedded_credentials(text):
            if any(begin < end and start < stop for start, end, _ in fields):
                continue  # the password is a field
            for index, (_, _, shown) in enumerate(fields):
                host = host.replace(f"dhlintfield{index}x", shown)
            self.done.add(id(node))
            self._add_embedded(
                what, name, secret, stop - begin, self._location(node), func, stmt, call, host
            )

    # -------------------------------------------------------------------- facts
    def _add(
        self,
        kind: str,
        what: str,
        name: str,
        secret: str,
        size: int,
        value: ast.expr,
        func: str,
        stmt: ast.AST,
        call: str = "",
        related: tuple[Related, ...] = (),
    ) -> None:
        self.done.add(id(value))
        for sub in ast.walk(value):
            self.done.add(id(sub))
        self.facts.append(
            CredentialFact(
                kind,
                what,
                name,
                secret,
                size,
                self._location(value),
                self._anchor(func, call, f"{what}:{name}"),
                self._scope(stmt),
                call,
                related=related,
            )
        )

    def _add_embedded(
        self,
        what: str,
        name: str,
        secret: str,
        size: int,
        location: Location,
        func: str,
        stmt: ast.AST,
        call: str,
        host: str,
    ) -> None:
        """A credential embedded in a URL or connection string to ``host``."""
        self.facts.append(
            CredentialFact(
                "embedded",
                what,
                name,
                secret,
                size,
                location,
                self._anchor(func, call, f"{what}:{name}@{host}"),
                self._scope(stmt),
                call,
                host,
            )
        )

    def _anchor(self, func: str, call: str, what: str) -> str:
        """``<function>:[<call>:]<what>:<name>``, never the value; a repeat in the file gets
        ``#2``, ``#3``... (one header set in three requests)."""
        anchor = f"{func}:{call}:{what}" if call else f"{func}:{what}"
        count = self.anchors[anchor] = self.anchors.get(anchor, 0) + 1
        return anchor if count == 1 else f"{anchor}#{count}"

    def _location(self, node: ast.AST) -> Location:
        return self._span_location(*self.places.span(node))

    def _span_location(self, start: int, end: int) -> Location:
        line, col = self.places.point(start)
        end_line, end_col = self.places.point(end)
        return Location(self.path, line, col + 1, end_line, end_col + 1)

    def _scope(self, stmt: ast.AST) -> tuple[int, int]:
        if type(stmt) is ast.Module:
            return (1, 1)
        if type(stmt) in _DEFS or type(stmt) is ast.ClassDef:  # a default: the signature
            body = stmt.body[0]  # type: ignore[attr-defined]
            return (stmt.lineno, max(stmt.lineno, body.lineno - 1))  # type: ignore[attr-defined]
        return (stmt.lineno, stmt.end_lineno or stmt.lineno)  # type: ignore[attr-defined]


def _children(node: ast.AST) -> list[ast.AST | None]:
    """``ast.iter_child_nodes`` as a list, in the same order, but for contexts and operators
    (nothing to read there: the walk went through them to no effect) and with None entries."""
    found: list[ast.AST | None] = []
    for field in CHILD_FIELDS[type(node)]:
        value = getattr(node, field, None)
        if type(value) is list:
            found.extend(value)
        elif value is not None:
            found.append(value)
    return found


def _class_fields(node: ast.ClassDef) -> list[str]:
    """The fields a class's constructor takes by position: its ``__init__``'s parameters, or
    else its annotated fields in order (a dataclass, a NamedTuple; not a ``ClassVar``)."""
    for item in node.body:
        if type(item) in _DEFS and item.name == "__init__":  # type: ignore[attr-defined]
            args = item.args  # type: ignore[attr-defined]
            return [a.arg for a in [*args.posonlyargs, *args.args][1:]]
    return [
        item.target.id
        for item in node.body
        if type(item) is ast.AnnAssign
        and type(item.target) is ast.Name
        and "ClassVar" not in ast.unparse(item.annotation)
    ]


def _credential_fields(tree: ast.Module) -> dict[str, list[str]]:
    """The module's classes that take a credential-named field by position: their fields."""
    out: dict[str, list[str]] = {}
    for node in tree.body:
        if type(node) is ast.ClassDef:
            fields = _class_fields(node)
            if any(credential_term_end(words(f)) for f in fields):
                out[node.name] = fields
    return out


def _constructor_lines(tree: ast.Module, classes: dict[str, list[str]]) -> list[int]:
    """The lines of calls that give those classes positional arguments."""
    lines: list[int] = []
    for node in walk(tree):  # the pre-filter's: a list, three times faster than ast.walk
        if (
            type(node) is ast.Call
            and node.args
            and type(node.func) is ast.Name
            and node.func.id in classes
        ):
            lines.extend(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def credential_facts(
    tree: ast.Module, text: str, path: str, lines: list[int] | None = None
) -> list[CredentialFact]:
    """The literal credentials of a module (see the module docstring); ``lines``: its
    ``candidate_lines``, when known."""
    lines = candidate_lines(text) if lines is None else lines
    if not lines:
        return []
    # A credential-named field given by position (``Operator("spin", URL, "<token>")``): the
    # field is written annotated (``token: str``, a candidate line), its calls anywhere.
    fields = _credential_fields(tree)
    if fields:
        lines = sorted({*lines, *_constructor_lines(tree, fields)})
    scanner = _Scanner(tree, text, path, lines)
    scanner.fields = fields
    scanner.walk(tree, "<module>", tree)
    return scanner.facts
