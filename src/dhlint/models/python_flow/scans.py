"""Scans of a module's tree ahead of the runs.

Socket addresses, counters, strings tested, names set to row masks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Set
from typing import Any

from dhlint.frontends.python import CHILD_FIELDS, walk
from dhlint.models.python_flow.common import _ADDRESS_NAMES, _DEFS, _is_mask

_SOCKET_METHODS = frozenset(("bind", "connect", "connect_ex", "sendto"))  # positional only
_ADDRESS_CALLS = frozenset((
    "create_connection", "create_server", "getaddrinfo", "open_connection", "start_server",
    "create_datagram_endpoint", "open_unix_connection", "start_unix_server",
    "create_unix_connection", "create_unix_server", "get_server_certificate", "wrap_socket",
    "wrap_bio", "SMTP", "SMTP_SSL", "LMTP", "Listener", "Client",
))  # fmt: skip
_ADDRESS_KEYWORDS = frozenset(("address", "host", "local_addr", "remote_addr", "server_hostname"))
# What ``\baddr(?:ess)?\b`` and ``\b(?:bind|...|\w*_unix_\w+|...|\w*Server|...)\s*\(`` find,
# searched faster: a pattern that starts with ``\b`` (or ``\w*``) is tried at every position of
# the text, the regex engine having no first character to skip to; without them it skips to
# the candidates, and ``_at_word_start`` tests the ``\b``. A word that ends in ``Server`` or
# holds ``_unix_`` is found from there (``\w*`` reaches back to its start).
_ADDRESS_TEXT = re.compile(r"addr(?:ess)?\b")  # at a word's start
_SOCKET_TEXT = re.compile(
    r"(?:bind|connect(?:_ex)?|sendto|getaddrinfo|open_connection|start_server"
    r"|create_\w+|get_server_certificate|wrap_\w+|SMTP(?:_SSL)?|LMTP|Listener|Client)\s*\("
)  # at a word's start
_SOCKET_IN_WORD = re.compile(r"(?:_unix_\w+|Server)\s*\(")
_WORD = re.compile(r"\w")


class _SocketAddresses:
    """Per function (its def's id), the names it passes as a socket's address; per class (as
    ``Analyzer._functions`` names it), the attributes of self its methods pass so."""

    def __init__(self) -> None:
        self.names: dict[int, set[str]] = {}
        self.attrs: dict[str, set[str]] = {}


def _socket_addresses(tree: ast.Module, text: str) -> _SocketAddresses:
    """What ``_SocketAddresses`` holds, read from the module's tree."""
    found = _SocketAddresses()
    # "addr" in text first: cheaper still than the search
    if (
        "addr" in text
        and _at_word_start(_ADDRESS_TEXT, text)
        and (_SOCKET_IN_WORD.search(text) or _at_word_start(_SOCKET_TEXT, text))
    ):
        _scan_addresses(tree, found)
    return found


def _at_word_start(pattern: re.Pattern, text: str) -> bool:
    """Whether ``pattern`` (which starts with a word character) matches where a word starts,
    as it would after a word boundary. A match inside a word runs to the word's end: no other word
    starts within it, and the search goes on after it."""
    for match in pattern.finditer(text):
        at = match.start()
        if not at or _WORD.match(text, at - 1) is None:
            return True
    return False


def _scan_addresses(tree: ast.Module, found: _SocketAddresses) -> None:
    """``found`` filled: the address arguments of socket methods (positional; ``sendto``'s
    last), and of the other calls (``TCPServer(address, Handler)``, also by keyword), as a
    function's name or self's."""
    for node, scopes in _calls_in_scopes(tree):
        func = node.func
        name = func.attr if type(func) is ast.Attribute else getattr(func, "id", "")
        if name in _SOCKET_METHODS and type(func) is ast.Attribute:
            args = list(node.args)[-1:] if name == "sendto" else list(node.args)
        elif name in _ADDRESS_CALLS or name.endswith("Server"):
            args = [*node.args, *(k.value for k in node.keywords if k.arg in _ADDRESS_KEYWORDS)]
        else:
            continue
        for arg in args:
            written = _address_arg(arg.value if type(arg) is ast.Starred else arg)
            if written.startswith("self."):
                classes = [i for i, s in enumerate(scopes) if type(s) is ast.ClassDef]
                if classes:
                    cls = ".".join(s.name for s in scopes[: classes[-1] + 1])
                    found.attrs.setdefault(cls, set()).add(written[5:])
            elif written and scopes and type(scopes[-1]) is not ast.ClassDef:
                found.names.setdefault(id(scopes[-1]), set()).add(written)


def _calls_in_scopes(tree: ast.Module) -> Iterator[tuple[ast.Call, tuple]]:
    """Every call of the module, with the defs and classes around it (outermost first). Defs
    and classes sit only in statement lists, so those are followed statement by statement,
    and each statement's own expressions are read with ``walk`` (no contexts, no operators)."""
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    stack: list[tuple[ast.AST, tuple]] = [(tree, ())]
    while stack:
        stmt, scopes = stack.pop()
        kind = type(stmt)
        if kind in kinds:
            scopes = (*scopes, stmt)
        for field in CHILD_FIELDS[kind]:
            value = getattr(stmt, field, None)
            if field in _STATEMENT_LISTS:  # statements, except handlers, match cases
                stack.extend((inner, scopes) for inner in value)
                continue
            for expr in value if type(value) is list else (value,):
                for node in walk(expr):
                    if type(node) is ast.Call:
                        yield node, scopes


def _address_arg(expr: ast.expr) -> str:
    """``address``, ``self.address`` (also in ``(address, port)``): as written, else ""."""
    if type(expr) is ast.Tuple and expr.elts:
        expr = expr.elts[0]
    if type(expr) is ast.Name and expr.id in _ADDRESS_NAMES:
        return expr.id
    if (
        type(expr) is ast.Attribute
        and type(expr.value) is ast.Name
        and expr.value.id == "self"
        and expr.attr in _ADDRESS_NAMES
    ):
        return f"self.{expr.attr}"
    return ""


_COUNTS = frozenset({"len", "sum", "isinstance", "any", "all", "callable"})
_HOST_LOOKUPS = frozenset({"gethostbyname", "gethostbyname_ex", "gethostname", "inet_ntoa"})
_SAME_VALUE = frozenset({"str", "int", "float", "repr"})  # str(len(rows)) is still a count


_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")
# Per node class, those of its fields (most statements have none): a missing attribute read
# with a default raises and catches AttributeError inside getattr, five times per statement.
_LISTS_OF: dict[type, tuple[str, ...]] = {}


def _counter_names(tree: ast.Module) -> dict[int, set[str]]:
    """What ``Analyzer.counters`` gives, read from the module's tree."""
    found: dict[int, set[str]] = {}
    # Only statements set these names, and statements sit only in statement lists (a def's,
    # a class's, a block's, an except handler's or a match case's): the walk skips the
    # expressions, most of the tree (a lambda holds no statement)
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, scope = stack.pop()
        kind = type(node)
        fields = _LISTS_OF.get(kind)
        if fields is None:
            fields = _LISTS_OF[kind] = tuple(f for f in _STATEMENT_LISTS if f in kind._fields)
        for field in fields:
            for child in getattr(node, field):
                stack.append((child, id(child) if type(child) in _DEFS else scope))
        names: list[ast.expr] = []
        if kind is ast.Assign and _counted(node.value):
            names = node.targets
        elif kind is ast.AnnAssign and node.value is not None and _counted(node.value):
            names = [node.target]
        elif kind is ast.AugAssign and type(node.op) in (ast.Add, ast.Sub):
            if type(node.value) is ast.Constant and type(node.value.value) in (int, float):
                names = [node.target]
        elif kind in (ast.For, ast.AsyncFor) and type(node.iter) is ast.Call:
            called = _called_name(node.iter)
            if called == "range":
                names = [node.target]
            elif called == "enumerate" and type(node.target) is ast.Tuple and node.target.elts:
                names = node.target.elts[:1]
        for target in names:
            if type(target) is ast.Name:
                found.setdefault(scope, set()).add(target.id)
    return found


# String methods (and ``re`` functions) whose first argument is a text to look for, not one
# the program uses (``dsn.replace("sslmode=disable", "sslmode=require")``: the second is).
_STRING_TESTS = frozenset(
    {"startswith", "endswith", "find", "rfind", "index", "rindex", "count", "replace",
     "removeprefix", "removesuffix", "split", "rsplit", "partition", "rpartition",
     "search", "match", "fullmatch", "findall", "finditer", "compile", "sub", "subn"}
)  # fmt: skip


def _tested_strings(tree: ast.Module) -> set[int]:
    """What ``Analyzer.tested`` gives: the string literals compared (``in``, ``==``, also in a
    tuple of them) and the first argument of a ``_STRING_TESTS`` call."""
    found: set[int] = set()
    for node in ast.walk(tree):
        kind = type(node)
        if kind is ast.Compare:
            operands: list[ast.expr] = [node.left, *node.comparators]
        elif kind is ast.Call and _called_name(node) in _STRING_TESTS and node.args:
            operands = node.args[:1]
        else:
            continue
        for operand in operands:
            if type(operand) in (ast.Tuple, ast.List, ast.Set):
                found.update(id(e) for e in operand.elts if type(e) is ast.Constant)  # type: ignore[attr-defined]
            elif type(operand) is ast.Constant:
                found.add(id(operand))
    return found


def _counted(value: ast.expr) -> bool:
    """``len(rows)``, ``str(len(rows))``, ``socket.gethostbyname(host)``."""
    while type(value) is ast.Call and _called_name(value) in _SAME_VALUE and value.args:
        value = value.args[0]
    return type(value) is ast.Call and _called_name(value) in _COUNTS | _HOST_LOOKUPS


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if type(func) is ast.Name else func.attr if type(func) is ast.Attribute else ""


def _given(names: Set[str]) -> Callable[[], Set[str]]:
    return lambda: names


def _mask_names(tree: Any) -> frozenset[str]:
    """Names every binding of which in the module is a boolean mask (``mask = df["x"] > 1``,
    ``mask &= df["y"].notna()``, ``both = mask & other``); any other binding (a loop's, a
    parameter's, an import's, another value) rules a name out."""
    values: dict[str, list[Any]] = {}
    targets: set[int] = set()
    other: set[str] = set()
    for node in ast.walk(tree):  # breadth first: an assignment before its target
        kind = type(node)
        if kind is ast.Assign:
            for target in node.targets:
                if type(target) is ast.Name:
                    targets.add(id(target))
                    values.setdefault(target.id, []).append(node.value)
        elif kind in (ast.AnnAssign, ast.AugAssign) and type(node.target) is ast.Name:
            targets.add(id(node.target))
            value = node.value
            if kind is ast.AugAssign and type(node.op) not in (ast.BitAnd, ast.BitOr):
                value = None
            values.setdefault(node.target.id, []).append(value)
        elif kind is ast.Name:
            if type(node.ctx) is not ast.Load and id(node) not in targets:
                other.add(node.id)  # a loop's target, with ... as, del, a walrus
        elif kind is ast.arg:
            other.add(node.arg)
        elif kind is ast.alias:
            other.add(node.asname or node.name)
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            other.add(node.name)
    candidates = {
        n: vs for n, vs in values.items() if n not in other and all(v is not None for v in vs)
    }
    masks: frozenset[str] = frozenset()
    while True:  # names set to masks of names: grown until nothing changes
        known = _given(masks)
        found = frozenset(n for n, vs in candidates.items() if all(_is_mask(v, known) for v in vs))
        if found == masks:
            return masks
        masks = found
