"""Parameters: binding a call's arguments to them.

Defaults and annotations, decorators, what a web request carries.
"""

from __future__ import annotations

import ast
from typing import Any

from dhlint.frontends.python_ast import Param, decorators, params, parse_expression
from dhlint.identifiers import names_a_person_alone
from dhlint.models.python_flow.common import Env, _annotated_class, _held, _last_name
from dhlint.models.python_libraries import _DB_MODULES
from dhlint.models.python_values import (
    UNKNOWN,
    Col,
    Frame,
    Func,
    Obj,
    Seq,
    Source,
    Step,
    Unknown,
    Val,
    cols_of,
    merge_cols,
)

# A DB-API module's connection and cursor classes (psycopg.Connection, sqlite3.Cursor...).
_DB_CLASSES = frozenset(
    ("Connection", "connection", "Cursor", "cursor", "AsyncConnection", "AsyncCursor")
)


class Parameters:
    """Parameters: binding a call's arguments to them."""

    def _bind_params(
        self, func: ast.FunctionDef, env: Env, args: list[Val], kwargs, entry: bool = False
    ) -> None:
        """``entry``: the function runs as an entry point (its callers unknown)."""
        positional, kwonly, star, star_kwarg = params(func, self.places)
        for i, param in enumerate(positional):
            pname = param.name
            if i < len(args):
                env[pname] = args[i]
            elif pname in kwargs:
                env[pname] = kwargs[pname]
            elif param.default is not None and not (entry and self._placeholder(param)):
                env[pname] = self._default(param)
            else:
                env[pname] = self._param_value(param, func)
        for param in kwonly:
            pname = param.name
            env[pname] = kwargs.get(pname) or (
                self._default(param)
                if param.default and not (entry and self._placeholder(param))
                else self._param_value(param, func)
            )
        if star is not None:  # *args: the extra positional arguments, when there are
            extra = args[len(positional) :]
            env[star.name] = Seq(tuple(extra)) if extra else Unknown(star.name)
        star = star_kwarg
        if star is not None:  # **kwargs: the keyword arguments no parameter takes
            named = {p.name for p in (*positional, *kwonly)}
            extra = {k: v for k, v in kwargs.items() if k not in named}
            name = star.name
            env[name] = self._keywords(extra, star) if extra else Unknown(name)

    def _keywords(self, values: dict[str, Val], node: Any) -> Frame:
        """``**kwargs`` as a dict of the keyword arguments: their columns, under their names."""
        cols: dict[str, Col] = {}
        for name, value in values.items():
            value_cols = cols_of(value)
            if value_cols:
                cols[name] = merge_cols(name, value_cols, Step(node, f"keyword '{name}'"))
        return Frame("dict", cols, entries=dict(values))

    def _decorated(self, func: Func, env: Env) -> Val:
        """A function as the decorators written in this module leave it: the wrapper one
        returns (``def logged(fn): def wrapper(*args): log.info(args); return fn(*args)``)
        is what calls of the name run. Other decorators (a library's, a call) are taken to
        call the function as it is (``functools.lru_cache``), and so is a wrapper that is not
        a function of the module."""
        self.top = self.stmt = func.node  # the decorators' calls are the def's
        value: Val = func
        for decorator in reversed(decorators(func.node, self.places)):
            expr = decorator.decorator
            wrap = self.lookup(expr.id, env) if type(expr) is ast.Name else None
            if type(expr) is ast.Call and type(expr.func) is ast.Name:  # @retry(3)
                factory = self.lookup(expr.func.id, env)
                if isinstance(factory, Func):
                    wrap = self.call_func(factory, *self._args(expr, env), decorator)
            if isinstance(wrap, Func) and wrap.node is not func.node:
                result = self.call_func(wrap, [value], {}, decorator)
                if isinstance(result, Func):
                    value = result
        return value

    def _param(self, param: Param) -> Unknown:
        name = param.name
        if name in ("self", "cls"):
            return Unknown(name)
        return Unknown(name, Source(param, f"parameter '{name}'", weak=True, owner=name))

    def request_data(self, label: str, node: Any) -> Unknown:
        """What a web request carries (flask's ``request.get_json()``, ``request.form``,
        Django's ``request.POST``): as a FastAPI body parameter, a record whose fields are what
        the view reads from it. One per view and ``label``, wherever the view reads it."""
        key = (self.running[0] if self.running else 0, label)
        source = self.request_sources.get(key)
        if source is None:
            # what a web form or body holds is its sender's: request.form["full_name"] is a
            # person's (Col.owner)
            source = Source(node, f"request data '{label}'", weak=True, owner="requester")
            self.request_sources[key] = source
        return Unknown(label, source)

    def _placeholder(self, param: Param) -> bool:
        """A parameter named like an identifier whose default is an empty constant
        (``phone=None``, ``email=""``, 0, False): what a caller passes is judged by its name,
        as without a default, when the name alone names a person's identifier
        (``names_a_person_alone``): an optional ``address=None``, ``username=None``,
        ``device_id=None`` or ``account=None`` is as often the service's own setting, and keeps
        its default. A default that says something (``address="http://..."``) is kept."""
        default = param.default
        return (
            type(default) is ast.Constant
            and not default.value
            and self.confidence(param.name) is not None
            and names_a_person_alone(param.name, self.policy)
        )

    def _default(self, param: Param) -> Val:
        """A parameter's default, or, annotated with a record class and defaulting to a call
        (FastAPI's ``c: Complaint = Body(...)``), the record it receives."""
        value = self.eval(param.default, self.module_env)
        if param.annotation is not None and self._client_annotation(param.annotation):
            return Obj("bigquery")  # client: bigquery.Client | None = None: the caller's
        if type(param.default) is ast.Call and param.annotation is not None and value is UNKNOWN:
            return self._param_value(param)
        return value

    def _param_value(self, param: Param, func: Any = None) -> Val:
        """A parameter no call gives: unknown, or, annotated with a record class of the module
        (``complaint: Complaint``, ``rows: list[Complaint]``, a FastAPI body), a record (or
        rows of records) whose fields are read from it; an Azure Functions handler's
        ``func.Out[...]``, its output binding."""
        value = self._param(param)
        annotation = param.annotation
        if (
            type(annotation) is ast.Subscript
            and func is not None
            and self._annotated_qname(annotation.value) == "azure.functions.Out"
        ):
            return self._output_binding(param, func) or value
        if annotation is not None and self._client_annotation(annotation):
            return Obj("bigquery")  # client: bigquery.Client writes what it is given
        if annotation is not None and self._db_annotation(annotation):
            return Obj("db")  # conn: psycopg.Connection: its queries' rows have their columns
        if annotation is None or value.source is None or not self.fields:
            return value
        cls, held = _annotated_class(annotation)
        if not cls or cls not in self.bases or not self.is_record(cls):
            return value
        if self.method(cls, "__init__") is not None:
            return value  # its own __init__ decides what it holds (a token, not the card)
        return _held(self._construct_record(cls, [], {}, param, value), held)

    def _client_annotation(self, annotation: ast.expr) -> bool:
        """``bigquery.Client`` (also ``| None``, ``Optional[...]``, ``from google.cloud.bigquery
        import Client``): a parameter so annotated is a BigQuery client."""
        qname = self._annotated_qname(annotation)
        return qname.startswith("google.cloud.bigquery") and qname.endswith(".Client")

    def _db_annotation(self, annotation: ast.expr) -> bool:
        """``psycopg.Connection``, ``sqlite3.Cursor`` (also in a string, ``| None``): a
        DB-API connection or cursor of a database module."""
        if self._one_string(annotation):
            annotation = parse_expression(annotation.value)  # type: ignore[attr-defined]
            if annotation is None:
                return False
        top, _, last = self._annotated_qname(annotation).partition(".")
        return top in _DB_MODULES and last.rsplit(".", 1)[-1] in _DB_CLASSES

    def _annotated_qname(self, annotation: ast.expr) -> str:
        """The imported name an annotation is written with, resolved through the imports ("" for
        others)."""
        if type(annotation) is ast.BinOp and type(annotation.op) is ast.BitOr:
            annotation = annotation.left
        if (
            type(annotation) is ast.Subscript
            and _last_name(annotation.value) == "Optional"
            and len(self._slices(annotation)) == 1
            and type(annotation.slice) is not ast.Slice
        ):
            annotation = annotation.slice
        parts = []
        while type(annotation) is ast.Attribute:
            parts.append(annotation.attr)
            annotation = annotation.value
        if type(annotation) is not ast.Name or annotation.id not in self.imports:
            return ""
        return ".".join([self.imports[annotation.id], *reversed(parts)])

    def _bind_lambda(self, node: ast.Lambda, env: Env, args: list[Val], kwargs) -> None:
        for i, param in enumerate(node.args.args):
            env[param.arg] = args[i] if i < len(args) else Unknown(param.arg)
