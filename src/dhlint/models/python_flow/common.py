"""Constants and helpers more than one part of the data-flow analysis uses."""

from __future__ import annotations

import ast
from collections.abc import Callable, Set
from typing import Any

from dhlint.frontends.python_ast import parse_expression
from dhlint.models.python_values import UNKNOWN, Obj, Ref, Seq, Series, Str, Unknown, Val

Env = dict[str, Val]


# Decorators that make a method something else than a function of self.
_PROPERTY = ("property", "cached_property")

# Node class -> Analyzer._e_<class name> (or an unknown value's), filled by ``Analyzer.eval``
# as kinds come: ``eval`` runs a million times a run, and the commonest callers (a call's
# arguments) look the evaluator up here themselves, a Python call fewer per argument.
EVALUATORS: dict[type, Callable[[Any, Any, Env], Any]] = {}


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _unset(name: str) -> str:
    """The attribute of self an unknown value was read from (``self.row.email``: row)."""
    return name.split(".", 2)[1] if name.startswith("self.") else ""


def _decorated_with(func: Any, *names: str) -> bool:
    """One of ``names`` (``staticmethod``, ``property``, ``dataclass``...) is among the def's
    or class's decorators, alone, as a module's attribute (``functools.cached_property``) or
    called (``@dataclass(frozen=True)``)."""
    for expr in getattr(func, "decorator_list", ()):
        if type(expr) is ast.Call:
            expr = expr.func
        if _last_name(expr) in names:
            return True
    return False


def _last_name(expr: ast.expr) -> str:
    """``x`` of ``x`` or ``a.b.x``; "" for other expressions."""
    if type(expr) is ast.Attribute:
        return expr.attr
    return expr.id if type(expr) is ast.Name else ""


# Flask's (Quart's) app objects, and the proxies to the app handling a request.
_APPS = frozenset(("Flask", "Quart"))
_CURRENT_APPS = frozenset(("flask.current_app", "quart.current_app"))
ALL_APPS = "current_app"  # the config current_app stands for: any app's of the module


def _app_key(base: Val) -> Any:
    """Which app's config ``base.config`` is: the app's (where it is made), ``ALL_APPS`` for
    current_app; None when ``base`` is not a Flask (Quart) app."""
    if isinstance(base, Obj) and base.kind in _APPS:
        return base.data.get("made", ALL_APPS)
    if isinstance(base, Ref) and base.qname in _CURRENT_APPS:
        return ALL_APPS
    return None


# A bare ``address``/``addr`` is a resident's (an identifier of high confidence), but network
# code names a socket's or a server's address so: (host, port) or a host. A function that
# passes the name as the address of a socket, asyncio, socketserver/http.server, ssl, smtplib
# or multiprocessing.connection call means that by it everywhere in its body (and a class by
# ``self.address``): its value there is no identifier, as ``proc.pid`` is no person's id.
_ADDRESS_NAMES = frozenset(("address", "addr"))


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _not_named(value: Val | None) -> Val:
    """A socket's address as the code holds it: nothing its name says (a parameter, a value
    known only by names); what the analysis knows otherwise (a literal, a column) it keeps."""
    if value is None or isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, Series) and value.cols and all(c.by_name for c in value.cols):
        return UNKNOWN
    return value


def _held(record: Val, held: str) -> Val:
    """``record`` as an annotation holds it (see ``_annotated_class``): in a collection, or as
    a mapping's values (an ``Obj("mapping")``: ``.values()``, ``[key]``, ``.get(key)``)."""
    for wrap in held:
        record = Seq((record,)) if wrap == "m" else Obj("mapping", {"payload": record})
    return record


_ONE_OF = frozenset(("Optional", "Annotated"))  # Optional[Rec], Annotated[Rec, Body()]
_MANY_OF = frozenset(
    ("list", "List", "Sequence", "Iterable", "Iterator", "tuple", "Tuple", "set", "Set",
     "frozenset", "FrozenSet", "Collection", "MutableSequence", "AbstractSet", "deque")
)  # fmt: skip
_MAP_OF = frozenset(
    ("dict", "Dict", "Mapping", "MutableMapping", "defaultdict", "DefaultDict", "OrderedDict")
)


def _annotated_class(annotation: ast.expr, depth: int = 0) -> tuple[str, str]:
    """The class an annotation names, and how it is held, innermost first: "" (itself),
    "m" (a collection of them), "d" (a mapping's values): ``Rec``, ``"Rec"``, ``Rec | None``,
    ``Optional[Rec]``, ``list[Rec]``, ``tuple[Rec, ...]``, ``dict[str, Rec]``,
    ``"list[Rec]"``; ("", "") otherwise."""
    if depth > 4:
        return "", ""
    if type(annotation) is ast.BinOp and type(annotation.op) is ast.BitOr:
        return _annotated_class(annotation.left, depth + 1)  # Rec | None
    if type(annotation) is ast.Subscript:
        outer = _last_name(annotation.value)
        at = 1 if outer in _MAP_OF else 0  # Mapping[str, Rec]: its values
        elements = _subscript_items(annotation)
        if outer not in _ONE_OF | _MANY_OF | _MAP_OF or len(elements) <= at:
            return "", ""
        element = elements[at]
        if type(element) is ast.Slice:
            return "", ""
        cls, held = _annotated_class(element, depth + 1)
        wrap = "m" if outer in _MANY_OF else "d" if outer in _MAP_OF else ""
        return (cls, held + wrap) if cls else ("", "")
    if type(annotation) is ast.Constant and type(annotation.value) is str:
        text = annotation.value
        if text.isidentifier():
            return text, ""
        inner = parse_expression(text)  # "list[Rec]": the whole annotation in a string
        return _annotated_class(inner, depth + 1) if inner is not None else ("", "")
    return (annotation.id, "") if type(annotation) is ast.Name else ("", "")


# A Series' tests that give a boolean mask (``reads[reads["plate"].isin(hotlist)]``).
_MASK_METHODS = frozenset(
    {
        "isin", "between", "notna", "notnull", "isna", "isnull", "contains", "startswith",
        "endswith", "match", "fullmatch", "duplicated", "eq", "ne", "lt", "le", "gt", "ge",
    }
)  # fmt: skip


def _is_mask(expr: ast.expr, masks: Callable[[], Set[str]]) -> bool:
    """Whether ``expr`` is written as a boolean mask: a comparison, ``~``, ``&`` or ``|`` of
    masks, a Series' test (``.isin(...)``, ``.notna()``, ``.str.contains(...)``), or one of
    the names ``masks()`` gives (set only to masks)."""
    kind = type(expr)
    if kind is ast.Compare:
        return True
    if kind is ast.Name:
        return expr.id in masks()  # type: ignore[attr-defined]
    if kind is ast.UnaryOp:
        return type(expr.op) in (ast.Invert, ast.Not) and _is_mask(expr.operand, masks)  # type: ignore[attr-defined]
    if kind is ast.BinOp:
        return (
            type(expr.op) in (ast.BitAnd, ast.BitOr, ast.BitXor)  # type: ignore[attr-defined]
            and _is_mask(expr.left, masks)  # type: ignore[attr-defined]
            and _is_mask(expr.right, masks)  # type: ignore[attr-defined]
        )
    if kind is ast.Call:
        func = expr.func  # type: ignore[attr-defined]
        return type(func) is ast.Attribute and func.attr in _MASK_METHODS
    return False


def _subscript_items(node: ast.Subscript) -> list[ast.expr]:
    """The items of a subscript: ``dict[str, Rec]`` has two (see ``Analyzer._slices``)."""
    key = node.slice
    if type(key) is ast.Tuple and key.elts:
        first = key.elts[0]
        if (first.lineno, first.col_offset) == (key.lineno, key.col_offset):
            return key.elts
    return [key]


def _column_names(key: Val) -> list[str] | None:
    """The column names a selection key spells: ``"a"``, ``["a", "b"]``; None if any part is
    not a known name."""
    items = key.items if isinstance(key, Seq) else (key,)
    names = [k.text for k in items if isinstance(k, Str) and k.known and k.text]
    return names if names and len(names) == len(items) else None


def _element(node: ast.expr) -> ast.expr:
    """An item of a tuple, list or set as libcst's ``Element`` has it (``*rest``: ``rest``)."""
    return node.value if type(node) is ast.Starred else node
