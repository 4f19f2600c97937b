"""Intra-procedural data flow for Python ETL code, over a libcst tree.

An abstract interpreter: statements run in order over an environment of abstract values
(``python_values``). The module body runs first (imports, constants, helpers), then every
function (and method) as an entry point with unknown parameters. Calls to local helpers are
followed (inlined, depth-limited) with the argument values bound, so a column that goes through
``def pseudonymise(v): return hmac.new(...)`` is seen as keyed. Branches are joined (a column
dropped on one branch only may still be exported). Loops run once.

It only records facts; positions are resolved once at the end, and only when there are facts.
Nothing is imported, executed or evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import libcst as cst

from dhlint.models import python_sql as sql
from dhlint.models.python import (
    ColumnFact,
    EndpointFact,
    HashFact,
    PythonModel,
    SinkFact,
    TlsFact,
)
from dhlint.models.python_values import (
    AGGREGATE,
    KEYED,
    RAW,
    UNKNOWN,
    Col,
    Frame,
    Func,
    Num,
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
    join,
    merge_cols,
)
from dhlint.types import Location, Related

MAX_INLINE_DEPTH = 4
INLINE_BUDGET = 64  # helper calls followed with data, per entry point
Env = dict[str, Val]

# ---------------------------------------------------------------------------- API tables
_PANDAS_READERS = {
    "read_csv", "read_table", "read_excel", "read_json", "read_parquet", "read_feather",
    "read_orc", "read_fwf", "read_pickle", "read_xml", "read_sas", "read_stata", "read_spss",
    "read_hdf", "json_normalize", "read_sql", "read_sql_query", "read_sql_table", "read_gbq",
}  # fmt: skip
_POLARS_READERS = {
    "read_csv", "read_parquet", "read_json", "read_ndjson", "read_excel", "read_ipc",
    "read_avro", "read_database", "read_database_uri", "scan_csv", "scan_parquet",
    "scan_ndjson", "scan_ipc", "read_delta", "scan_delta",
}  # fmt: skip
_FILE_WRITERS = {
    "to_csv", "to_parquet", "to_json", "to_excel", "to_feather", "to_orc", "to_pickle",
    "to_hdf", "to_xml", "to_stata", "to_markdown", "to_html", "to_latex", "write_csv",
    "write_parquet", "write_json", "write_ndjson", "write_excel", "write_ipc", "write_avro",
    "sink_parquet", "sink_csv", "sink_ipc", "sink_ndjson", "write_delta",
}  # fmt: skip
_DB_WRITERS = {"to_sql", "to_gbq", "write_database"}
# Serialisers that return the data when no path is given.
_RETURNS_TEXT = {
    "to_csv",
    "to_json",
    "to_markdown",
    "to_html",
    "to_latex",
    "write_csv",
    "write_json",
    "write_ndjson",
    "to_xml",
}
_AGGREGATES = {
    "count", "nunique", "describe", "sum", "mean", "median", "std", "var", "min", "max",
    "size", "info", "corr", "cov", "quantile", "len", "height", "width", "shape",
    "memory_usage", "isnull", "isna", "notna", "notnull", "duplicated", "any", "all",
    "eq", "ne", "lt", "le", "gt", "ge", "isin", "between", "contains", "startswith",
    "endswith", "match", "is_null", "is_not_null", "is_in", "equals", "first_valid_index",
}  # fmt: skip
_FRAME_SCALAR_ATTRS = {
    "shape", "size", "empty", "columns", "dtypes", "ndim", "index", "schema", "height",
    "width", "rdd", "dtype", "name", "count", "is_empty", "attrs", "flags", "axes",
}  # fmt: skip
_ACCESSORS = {
    "loc", "iloc", "at", "iat", "str", "dt", "cat", "arr", "list", "struct", "T", "na", "values",
    "array",
}  # fmt: skip
_HASHLIB = {
    "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256",
    "sha3_384", "sha3_512", "blake2b", "blake2s", "shake_128", "shake_256",
}  # fmt: skip
_SPARK_HASHES = {"md5", "sha1", "sha2", "hash", "xxhash64", "crc32"}
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
_LOG_METHODS = {
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
    "msg",
}
_LOGGER_NAME = re.compile(r"(^|\.)_*(log|logger|LOG|LOGGER|logging|log_|audit_log)$")
# String methods that keep the value's identity (for values known only by their name).
_SAME_VALUE_METHODS = {
    "encode", "decode", "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title",
    "replace", "zfill", "ljust", "rjust",
}  # fmt: skip
# Airflow and database hooks that run a query and return its rows.
_HOOK_QUERIES = {"get_pandas_df", "get_records", "get_first", "get_df", "get_polars_df"}
_CURSOR_WRITES = {"execute", "executemany", "execute_values", "copy_expert", "copy_from"}
_LOOPBACK = re.compile(r"^(localhost|127(\.\d+){3}|::1|0\.0\.0\.0)$", re.I)
_SSLMODE = re.compile(r"sslmode\s*=\s*['\"]?disable", re.I)
_STORAGE_SCHEMES = (
    "s3://",
    "s3a://",
    "s3n://",
    "gs://",
    "gcs://",
    "abfs://",
    "abfss://",
    "az://",
    "wasbs://",
    "wasb://",
    "adl://",
)


def _is_loopback(host: str) -> bool:
    return bool(_LOOPBACK.match(host.strip("[]")))


def _lib_of(qname: str) -> str:
    top = qname.split(".", 1)[0]
    return {"polars": "polars", "pyspark": "spark", "pandas": "pandas"}.get(top, "pandas")


# ---------------------------------------------------------------------------- facts in flight
class _Pending:
    """A fact whose nodes still need positions."""

    __slots__ = ("anchor", "data", "kind", "node", "stmt")

    def __init__(self, kind: str, node: cst.CSTNode, stmt: cst.CSTNode, anchor: str, data: dict):
        self.kind, self.node, self.stmt, self.anchor, self.data = kind, node, stmt, anchor, data


class Analyzer:
    def __init__(self, module: cst.Module, path: str, policy: Any, text: str = "") -> None:
        self.module = module
        self.text = text
        self.path = path
        self.protective = [p for p in policy.settings.get("protective_functions", [])]
        self.pending: dict[tuple[str, int], _Pending] = {}
        self.imports: dict[str, str] = {}
        self.module_env: Env = {}
        self.stmt: cst.CSTNode = module
        self.func_name = "<module>"
        self.depth = 0
        self.active: set[int] = set()
        self.files: dict[str, Val] = {}  # path written -> what was written there
        self.named_frames: dict[str, Frame] = {}  # cursor name -> rows of its last SELECT
        self.summaries: dict[int, Val] = {}  # helper -> result of a call that passes no data
        self.budget = INLINE_BUDGET
        self.cls = ""  # the class whose method runs (for self.<attr>)
        self.xcoms: dict[str, Val] = {}  # Airflow XCom key -> value pushed
        self.xcom_used = False
        self.tasks: dict[str, Func] = {}  # Airflow task_id -> python_callable
        # The module-level statement being analysed, and that of every node seen: positions
        # are then computed for those statements only.
        self.top: cst.CSTNode = module
        self.node_top: dict[int, cst.CSTNode] = {}
        self.attrs: dict[tuple[str, str], Val] = {}  # (class, attr) -> value set on self
        self.methods: dict[tuple[str, str], Func] = {}

    # ------------------------------------------------------------------ driver
    def run(self) -> None:
        for stmt in self.module.body:
            self.top = stmt
            self.exec_stmt(stmt, self.module_env)
        functions = [
            (func, prefix, cls, top)
            for top in self.module.body
            for func, prefix, cls in self._functions([top], "", "")
        ]
        for func, _prefix, cls, top in functions:
            if cls:
                self.methods[(cls, func.name.value)] = Func(func, None, func.name.value, top)
        # Methods run twice: attributes set on self in one method are read in another. Airflow
        # tasks that exchange data through XCom run twice too (a pull may come first).
        rounds = [functions, [f for f in functions if f[2]]]
        for index in range(2):
            batch = rounds[index]
            if index == 1 and self.xcom_used:
                batch = functions
            for func, prefix, cls, top in batch:
                env: Env = {}
                self.top = top
                self.cls = cls
                self.budget = INLINE_BUDGET
                with self._in_function(f"{prefix}{func.name.value}"):
                    self._bind_params(func, env, [], {})
                    body = func.body
                    self.exec_block(
                        body.body if isinstance(body, cst.IndentedBlock) else [body], env
                    )
        self.cls = ""

    def _functions(self, body: Sequence[cst.CSTNode], prefix: str, cls: str) -> Iterable[tuple]:
        """(function, name prefix, enclosing class) for every def, nested ones included."""
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                yield stmt, prefix, cls
                if isinstance(stmt.body, cst.IndentedBlock):
                    inner = f"{prefix}{stmt.name.value}."
                    yield from self._functions(stmt.body.body, inner, cls)
            elif isinstance(stmt, cst.ClassDef) and isinstance(stmt.body, cst.IndentedBlock):
                name = f"{prefix}{stmt.name.value}"
                yield from self._functions(stmt.body.body, f"{name}.", name)
            elif isinstance(stmt, (cst.If, cst.With, cst.Try, cst.For, cst.While)):
                inner = getattr(stmt.body, "body", ())
                yield from self._functions(inner, prefix, cls)

    @contextmanager
    def _in_function(self, name: str):
        saved = self.func_name
        self.func_name = name
        try:
            yield
        finally:
            self.func_name = saved

    # ------------------------------------------------------------------ names
    def lookup(self, name: str, env: Env) -> Val:
        if name in env:
            return env[name]
        if name in self.module_env:
            return self._constant(self.module_env[name])
        if name in self.imports:
            return Ref(self.imports[name])
        if name in ("None", "True", "False"):
            return Num(None if name == "None" else name == "True")
        if name in _BUILTINS:
            return Ref(f"builtins.{name}")
        return Unknown(name)

    @staticmethod
    def _constant(value: Val) -> Val:
        """A string read through a module or class constant says so (for the message)."""
        if isinstance(value, Str) and value.via == "literal":
            return Str(value.text, "constant", value.nodes, value.cols)
        return value

    # ------------------------------------------------------------------ statements
    def exec_block(self, body: Sequence[cst.CSTNode], env: Env) -> list[Val]:
        returns: list[Val] = []
        for stmt in body:
            returns.extend(self.exec_stmt(stmt, env))
        return returns

    def _suite(self, suite: cst.BaseSuite, env: Env) -> list[Val]:
        if isinstance(suite, cst.IndentedBlock):
            return self.exec_block(suite.body, env)
        return self.exec_block(suite.body, env)  # SimpleStatementSuite

    def exec_stmt(self, stmt: cst.CSTNode, env: Env) -> list[Val]:
        self.node_top[id(stmt)] = self.top
        if isinstance(stmt, cst.SimpleStatementLine):
            out: list[Val] = []
            for small in stmt.body:
                saved = self.stmt
                self.stmt = stmt
                try:
                    out.extend(self.exec_small(small, env))
                finally:
                    self.stmt = saved
            return out
        saved = self.stmt
        self.stmt = stmt
        try:
            return self._compound(stmt, env)
        finally:
            self.stmt = saved

    def _compound(self, stmt: cst.CSTNode, env: Env) -> list[Val]:
        if isinstance(stmt, cst.FunctionDef):
            env[stmt.name.value] = Func(
                stmt, env if env is not self.module_env else None, stmt.name.value, self.top
            )
            return []
        if isinstance(stmt, cst.ClassDef):
            env[stmt.name.value] = Unknown(stmt.name.value)
            if env is self.module_env and isinstance(stmt.body, cst.IndentedBlock):
                # Class-level constants (URL = "https://...") are read as self.URL.
                class_env: Env = {}
                body = [b for b in stmt.body.body if isinstance(b, cst.SimpleStatementLine)]
                self.exec_block(body, class_env)
                for name, value in class_env.items():
                    self.attrs[(stmt.name.value, name)] = self._constant(value)
            return []
        if isinstance(stmt, cst.If):
            self.eval(stmt.test, env)
            branch = dict(env)
            out = self._suite(stmt.body, branch)
            other = dict(env)
            if stmt.orelse is not None:
                if isinstance(stmt.orelse, cst.If):
                    out += self.exec_stmt(stmt.orelse, other)
                else:
                    out += self._suite(stmt.orelse.body, other)
            self._merge_into(env, branch, other)
            return out
        if isinstance(stmt, (cst.For, cst.While)):
            if isinstance(stmt, cst.For):
                self.assign(stmt.target, self.iterate(self.eval(stmt.iter, env)), env)
            else:
                self.eval(stmt.test, env)
            branch = dict(env)
            out = self._suite(stmt.body, branch)
            if stmt.orelse is not None:
                out += self._suite(stmt.orelse.body, branch)
            self._merge_into(env, branch, env)
            return out
        if isinstance(stmt, cst.With):
            for item in stmt.items:
                value = self.eval(item.item, env)
                if item.asname is not None:
                    self.assign(item.asname.name, value, env)
            return self._suite(stmt.body, env)
        if isinstance(stmt, cst.Try):
            out = self._suite(stmt.body, env)
            for handler in stmt.handlers:
                branch = dict(env)
                out += self._suite(handler.body, branch)
                self._merge_into(env, branch, env)
            if stmt.orelse is not None:
                out += self._suite(stmt.orelse.body, env)
            if stmt.finalbody is not None:
                out += self._suite(stmt.finalbody.body, env)
            return out
        if isinstance(stmt, cst.Match):
            self.eval(stmt.subject, env)
            out = []
            for case in stmt.cases:
                branch = dict(env)
                out += self._suite(case.body, branch)
                self._merge_into(env, branch, env)
            return out
        return []

    @staticmethod
    def _merge_into(env: Env, a: Env, b: Env) -> None:
        for name in set(a) | set(b):
            if name in a and name in b:
                env[name] = join(a[name], b[name])
            else:
                env[name] = a.get(name, b.get(name, UNKNOWN))

    def exec_small(self, small: cst.CSTNode, env: Env) -> list[Val]:
        if isinstance(small, cst.Import):
            for alias in small.names:
                dotted = self.module.code_for_node(alias.name)
                if alias.asname is not None:
                    self.imports[alias.asname.name.value] = dotted  # type: ignore[union-attr]
                else:
                    top = dotted.split(".", 1)[0]
                    self.imports[top] = top
            return []
        if isinstance(small, cst.ImportFrom):
            if small.module is None or isinstance(small.names, cst.ImportStar):
                return []
            base = self.module.code_for_node(small.module)
            for alias in small.names:
                name = self.module.code_for_node(alias.name)
                local = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
                self.imports[local] = f"{base}.{name}"
            return []
        if isinstance(small, cst.Assign):
            value = self.eval(small.value, env)
            for target in small.targets:
                self.assign(target.target, value, env)
            return []
        if isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, env), env)
            return []
        if isinstance(small, cst.AugAssign):
            value = self.eval(small.value, env)
            if isinstance(small.target, cst.Name):
                current = self.lookup(small.target.value, env)
                env[small.target.value] = self._binop(current, value, small.operator, small)
            return []
        if isinstance(small, cst.Expr):
            if isinstance(small.value, cst.Yield):  # a generator's items are what it returns
                value = small.value.value
                return [self.eval(value.item if isinstance(value, cst.From) else value, env)]
            self._expr_stmt(small.value, env)
            return []
        if isinstance(small, cst.Del):
            self._delete(small.target, env)
            return []
        if isinstance(small, cst.Return):
            return [self.eval(small.value, env) if small.value is not None else UNKNOWN]
        return []

    def _delete(self, target: cst.BaseExpression, env: Env) -> None:
        """``del df["email"]`` / ``del row["phone"]`` remove a column."""
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._delete(element.value, env)
            return
        if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            base = self.lookup(target.value.value, env)
            names = self._names([self._subscript_key(target, env)])
            if isinstance(base, Frame) and names:
                env[target.value.value] = base.without(names)

    def _expr_stmt(self, expr: cst.BaseExpression, env: Env) -> None:
        value = self.eval(expr, env)
        # In-place mutation of a local collection: rows.append(row), payload.update(...).
        if (
            isinstance(expr, cst.Call)
            and isinstance(expr.func, cst.Attribute)
            and isinstance(expr.func.value, cst.Name)
            and expr.func.attr.value in ("append", "extend", "update", "add", "insert", "put")
            and expr.args
        ):
            name = expr.func.value.value
            current = self.lookup(name, env)
            arg = self.eval(expr.args[-1].value, env)
            if expr.func.attr.value == "extend":
                arg = self.iterate(arg)
            if isinstance(current, (Frame, Seq, Obj)) or cols_of(arg):
                if isinstance(current, Obj):
                    current.data["payload"] = join(current.data.get("payload", UNKNOWN), arg)
                else:
                    env[name] = join(current, arg) if not isinstance(current, Unknown) else arg
        del value

    def assign(self, target: cst.BaseExpression, value: Val, env: Env) -> None:
        self.node_top[id(target)] = self.top
        if isinstance(target, cst.Name):
            env[target.value] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            items = value.items if isinstance(value, Seq) else None
            if isinstance(value, Frame) and not value.sources and len(value.cols) == len(elements):
                # A row unpacked by position: for a, b in cursor (SELECT a, b ...).
                items = tuple(Series((col,)) for col in value.cols.values())
            for i, element in enumerate(elements):
                if items is not None and len(items) == len(elements):
                    self.assign(element.value, items[i], env)
                elif isinstance(value, Frame) and isinstance(element.value, cst.Name):
                    col = value.cols.get(element.value.value)
                    self.assign(element.value, Series((col,)) if col else UNKNOWN, env)
                else:
                    self.assign(element.value, UNKNOWN, env)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            name = target.value.value
            base = self.lookup(name, env)
            key = self._subscript_key(target, env)
            if isinstance(base, Frame) and isinstance(key, Str) and key.known:
                col = self._as_column(key.text, value, target)
                env[name] = base.with_col(key.text, col)
            elif isinstance(base, Frame) and isinstance(key, Seq):
                names = [k.text for k in key.items if isinstance(k, Str)]
                new = base
                for col_name in names:
                    new = new.with_col(col_name, self._as_column(col_name, value, target))
                env[name] = new
            elif isinstance(base, Obj):
                base.data["payload"] = join(base.data.get("payload", UNKNOWN), value)
        elif isinstance(target, cst.Attribute):
            if isinstance(target.value, cst.Name) and target.value.value == "self" and self.cls:
                key = (self.cls, target.attr.value)
                self.attrs[key] = join(self.attrs.get(key, UNKNOWN), value)
            if target.attr.value == "verify" and isinstance(value, Num) and value.value is False:
                self._tls("verify-false", target, self._text(target))
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, value, env)

    def _as_column(self, name: str, value: Val, node: cst.CSTNode) -> Col:
        step = Step(node, f"column '{name}' set")
        cols = cols_of(value)
        if cols:
            return merge_cols(name, cols, step)
        if isinstance(value, (Str, Num)):
            return Col(name, (), AGGREGATE, (step,))  # a constant: no personal data
        return Col(name, (), RAW, (step,))

    # ------------------------------------------------------------------ expressions
    def eval(self, node: cst.BaseExpression | None, env: Env) -> Val:
        if node is None:
            return UNKNOWN
        self.node_top[id(node)] = self.top
        method = getattr(self, f"_e_{type(node).__name__}", None)
        if method is None:
            return UNKNOWN
        return method(node, env)

    def _e_Name(self, node: cst.Name, env: Env) -> Val:
        return self.lookup(node.value, env)

    def _e_SimpleString(self, node: cst.SimpleString, env: Env) -> Val:
        try:
            value = node.evaluated_value
        except Exception:  # malformed escapes: keep going
            return UNKNOWN
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if _SSLMODE.search(value):
            self._tls("sslmode-disable", node, "connection string")
        return Str(value, "literal", (node,))

    def _e_ConcatenatedString(self, node: cst.ConcatenatedString, env: Env) -> Val:
        # "a" "b" "c" nests to the right: walk it in a loop (long text tables are deep).
        parts: list[cst.CSTNode] = []
        current: cst.CSTNode = node
        while isinstance(current, cst.ConcatenatedString):
            parts.append(current.left)
            current = current.right
        parts.append(current)
        value = self.eval(parts[0], env)
        for part in parts[1:]:
            value = self._concat(value, self.eval(part, env))
        return value

    def _e_FormattedString(self, node: cst.FormattedString, env: Env) -> Val:
        text, cols, nodes, via = [], [], [node], "f-string"
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                text.append(part.value)
                continue
            self.node_top[id(part)] = self.top
            value = self.eval(part.expression, env)  # type: ignore[attr-defined]
            if isinstance(value, Str) and not value.cols:
                text.append(value.text)
                nodes.extend(value.nodes)
                if value.via == "env-default":
                    via = "env-default"
            elif isinstance(value, Num) and value.value is not None:
                text.append(str(value.value))
            else:
                text.append("{...}")
                cols.extend(cols_of(value) or self._named_cols(value, part))
        return Str("".join(text), via, tuple(nodes), tuple(cols))

    def _e_Integer(self, node: cst.Integer, env: Env) -> Val:
        try:
            return Num(int(node.value.replace("_", ""), 0))
        except ValueError:
            return Num(0)

    def _e_Float(self, node: cst.Float, env: Env) -> Val:
        return Num(0.0)

    def _e_Await(self, node: cst.Await, env: Env) -> Val:
        return self.eval(node.expression, env)

    def _e_NamedExpr(self, node: cst.NamedExpr, env: Env) -> Val:
        value = self.eval(node.value, env)
        self.assign(node.target, value, env)
        return value

    def _e_IfExp(self, node: cst.IfExp, env: Env) -> Val:
        self.eval(node.test, env)
        return join(self.eval(node.body, env), self.eval(node.orelse, env))

    def _e_BooleanOperation(self, node: cst.BooleanOperation, env: Env) -> Val:
        left, right = self.eval(node.left, env), self.eval(node.right, env)
        if isinstance(left, Unknown) and isinstance(right, Str):
            return Str(
                right.text,
                "env-default" if left.name.startswith("env:") else right.via,
                right.nodes,
                right.cols,
            )
        if isinstance(left, Series) and isinstance(right, Series):
            return UNKNOWN  # a boolean mask
        return join(left, right)

    def _e_Comparison(self, node: cst.Comparison, env: Env) -> Val:
        self.eval(node.left, env)
        for target in node.comparisons:
            self.eval(target.comparator, env)
        return UNKNOWN  # masks and flags carry no personal data

    def _e_UnaryOperation(self, node: cst.UnaryOperation, env: Env) -> Val:
        value = self.eval(node.expression, env)
        return UNKNOWN if isinstance(node.operator, cst.Not) else value

    def _e_BinaryOperation(self, node: cst.BinaryOperation, env: Env) -> Val:
        return self._binop(
            self.eval(node.left, env), self.eval(node.right, env), node.operator, node
        )

    def _binop(self, left: Val, right: Val, op: cst.CSTNode, node: cst.CSTNode) -> Val:
        if isinstance(op, (cst.Add, cst.AddAssign)) and (
            isinstance(left, Str) or isinstance(right, Str)
        ):
            return self._concat(left, right)
        if isinstance(op, cst.Modulo) and isinstance(left, Str):
            items = right.items if isinstance(right, Seq) else (right,)
            return self._format(left, list(items), {}, node)
        if isinstance(op, (cst.BitAnd, cst.BitOr)) and (
            isinstance(left, Series) or isinstance(right, Series)
        ):
            return UNKNOWN
        cols = cols_of(left) + cols_of(right)
        if not cols:
            if isinstance(left, Frame):
                return left
            return left if isinstance(left, (Seq,)) else UNKNOWN
        if isinstance(op, (cst.FloorDivide, cst.FloorDivideAssign)):
            step = Step(node, "bucketed (floor division)")
            return Series(tuple(c.treated("bucket", step) for c in cols), self._bound(left, right))
        if isinstance(left, Frame):
            return left
        return Series(cols, self._bound(left, right))

    @staticmethod
    def _bound(*values: Val) -> bool:
        return all(v.bound for v in values if isinstance(v, Series))

    def _concat(self, left: Val, right: Val) -> Val:
        parts, cols, nodes, via = [], [], [], "concatenation"
        for value in (left, right):
            if isinstance(value, Str):
                parts.append(value.text)
                nodes.extend(value.nodes)
                cols.extend(value.cols)
                if value.via == "env-default":
                    via = "env-default"
            else:
                parts.append("{...}")
                cols.extend(cols_of(value))
        if all(isinstance(v, Str) and v.via == "literal" for v in (left, right)):
            via = "literal"
        return Str("".join(parts), via, tuple(nodes), tuple(cols))

    def _format(self, template: Str, args: list[Val], kwargs: dict[str, Val], node) -> Str:
        cols = list(template.cols)
        nodes = list(template.nodes)
        iterator = iter(args)

        def sub(match: re.Match) -> str:
            key = match.group(1) or ""
            value = kwargs.get(key) if key and not key.isdigit() else None
            if value is None:
                value = (
                    args[int(key)]
                    if key.isdigit() and int(key) < len(args)
                    else next(iterator, UNKNOWN)
                )
            if isinstance(value, Str) and not value.cols:
                nodes.extend(value.nodes)
                return value.text
            cols.extend(cols_of(value))
            return "{...}"

        pattern = (
            r"\{([^{}:!]*)[^{}]*\}"
            if "{" in template.text
            else r"%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?[sdrifx]"
        )
        text = re.sub(pattern, sub, template.text)
        for value in args:
            cols.extend(c for c in cols_of(value) if c not in cols)
        return Str(
            text,
            template.via if template.via != "literal" else "concatenation",
            tuple(nodes),
            tuple(cols),
        )

    def _e_Lambda(self, node: cst.Lambda, env: Env) -> Val:
        return Func(node, env, top=self.top)

    def _e_Tuple(self, node: cst.Tuple, env: Env) -> Val:
        return self._collection(node.elements, env)

    def _e_List(self, node: cst.List, env: Env) -> Val:
        return self._collection(node.elements, env)

    def _e_Set(self, node: cst.Set, env: Env) -> Val:
        return self._collection(node.elements, env)

    def _collection(self, elements: Sequence[cst.BaseElement], env: Env) -> Val:
        items = tuple(self.eval(e.value, env) for e in elements)
        frames = [i for i in items if isinstance(i, Frame)]
        if frames and len(frames) == len(items):
            result: Val = frames[0]
            for frame in frames[1:]:
                result = join(result, frame)
            return (
                result.restyled("rows")
                if isinstance(result, Frame) and result.lib == "dict"
                else result
            )
        return Seq(items)

    def _e_Dict(self, node: cst.Dict, env: Env) -> Val:
        cols: dict[str, Col] = {}
        entries: dict[str, Val] = {}
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                inner = self.eval(element.value, env)
                for col in cols_of(inner):
                    cols[col.name] = col
                continue
            key = self.eval(element.key, env)
            value = self.eval(element.value, env)
            if not (isinstance(key, Str) and key.known):
                continue
            entries[key.text] = value
            if isinstance(value, (Num, Ref, Func)) or (isinstance(value, Str) and not value.cols):
                continue  # a constant or a setting, not a data field
            if isinstance(value, Frame) and value.lib == "dict":
                for col in value.all_cols():
                    cols[col.name] = col
                continue
            step = Step(element.value, f"field '{key.text}'")
            value_cols = cols_of(value)
            cols[key.text] = (
                merge_cols(key.text, value_cols, step)
                if value_cols
                # A value traced to no data (a call we cannot follow): the key alone is weak
                # evidence, judged like a variable's name.
                else Col(key.text, self._var_origin(value), RAW, (step,), by_name=True)
            )
        return Frame("dict", cols, entries=entries)

    @staticmethod
    def _var_origin(value: Val) -> tuple[str, ...]:
        if isinstance(value, Unknown) and value.name and "." not in value.name:
            return (value.name,)
        return ()

    def _named_cols(self, value: Val, node: cst.CSTNode) -> tuple[Col, ...]:
        """A plain variable whose value is unknown, named like an identifier (``plate``)."""
        if isinstance(value, Unknown) and value.name and not value.name.startswith("env:"):
            name = value.name.rsplit(".", 1)[-1]
            step = Step(node, f"value of '{value.name}'")
            return (Col(name, (name,), RAW, (step,), by_name=True),)
        return ()

    def _e_ListComp(self, node: cst.ListComp, env: Env) -> Val:
        return self._comprehension(node, node.elt, env)

    def _e_GeneratorExp(self, node: cst.GeneratorExp, env: Env) -> Val:
        return self._comprehension(node, node.elt, env)

    def _e_SetComp(self, node: cst.SetComp, env: Env) -> Val:
        return self._comprehension(node, node.elt, env)

    def _e_DictComp(self, node: cst.DictComp, env: Env) -> Val:
        return self._comprehension(node, node.value, env)

    def _comprehension(self, node: cst.CSTNode, elt: cst.BaseExpression, env: Env) -> Val:
        inner = dict(env)
        clause = node.for_in  # type: ignore[attr-defined]
        while clause is not None:
            self.assign(clause.target, self.iterate(self.eval(clause.iter, inner)), inner)
            for cond in clause.ifs:
                self.eval(cond.test, inner)
            clause = clause.inner_for_in
        value = self.eval(elt, inner)
        if isinstance(node, cst.DictComp) and isinstance(value, Frame):
            value = self._filter_keys(node, value, inner)
        if isinstance(value, Frame) and value.lib == "dict":
            return value.restyled("rows")
        return value

    def _filter_keys(self, node: cst.DictComp, frame: Frame, env: Env) -> Frame:
        """``{k: v for k, v in row.items() if k not in PII}`` keeps the other keys only."""
        if not isinstance(node.key, cst.Name):
            return frame
        key = node.key.value
        for cond in node.for_in.ifs:
            test = cond.test
            if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
                continue
            if not (isinstance(test.left, cst.Name) and test.left.value == key):
                continue
            op = test.comparisons[0].operator
            names = self._names([self.eval(test.comparisons[0].comparator, env)])
            if isinstance(op, (cst.NotIn, cst.NotEqual)) and names:
                frame = frame.without(names)
            elif isinstance(op, (cst.In, cst.Equal)) and names:
                frame = frame.select(names)
        return frame

    def iterate(self, value: Val) -> Val:
        if isinstance(value, Seq):
            result: Val = UNKNOWN
            for item in value.items:
                result = join(result, item)
            return result
        if isinstance(value, Obj):
            frame = value.data.get("frame")
            return frame if isinstance(frame, Frame) else UNKNOWN
        if isinstance(value, (Frame, Series)):
            return value
        if isinstance(value, Unknown) and value.source is not None:
            return Frame("rows", {}, (value.source,))  # the items of a parameter
        return UNKNOWN

    def _e_Attribute(self, node: cst.Attribute, env: Env) -> Val:
        base = self.eval(node.value, env)
        attr = node.attr.value
        if isinstance(base, Ref):
            return Ref(f"{base.qname}.{attr}")
        if isinstance(base, Frame):
            if attr in _ACCESSORS:
                return base
            if attr in ("write", "writeStream"):
                return Obj("spark-writer", {"frame": base, "format": None})
            if attr in _FRAME_SCALAR_ATTRS or attr.startswith("_"):
                return UNKNOWN
            if base.lib in ("pandas", "spark") and attr.isidentifier():
                col = base.get(attr)
                return Series((col,)) if col is not None else UNKNOWN
            return UNKNOWN
        if isinstance(base, Series):
            if attr in _FRAME_SCALAR_ATTRS:
                return UNKNOWN
            if attr in ("year", "quarter", "decade"):  # birth_date.dt.year: generalised
                step = Step(node, f"generalised to the {attr}")
                return Series(tuple(c.treated("bucket", step) for c in base.cols), base.bound)
            return base
        if isinstance(base, Obj):
            if base.kind == "spark" and attr == "read":
                return Obj("spark-reader", {"lib": "spark"})
            if base.kind == "spark" and attr == "readStream":
                return Obj("spark-reader", {"lib": "spark"})
            return (
                Obj(base.kind, base.data)
                if attr in ("builder",)
                else Unknown(f"{base.kind}.{attr}")
            )
        if (
            isinstance(base, Unknown)
            and base.name in ("self", "cls")
            and ((self.cls, attr) in self.attrs)
        ):
            return self.attrs[(self.cls, attr)]
        if isinstance(base, Unknown) and base.name:
            return Unknown(f"{base.name}.{attr}")
        return UNKNOWN

    def _subscript_key(self, node: cst.Subscript, env: Env) -> Val:
        if len(node.slice) != 1:
            return Seq(tuple(self._slice_value(s, env) for s in node.slice))
        return self._slice_value(node.slice[0], env)

    def _slice_value(self, element: cst.SubscriptElement, env: Env) -> Val:
        if isinstance(element.slice, cst.Index):
            return self.eval(element.slice.value, env)
        sl = element.slice
        lower = self.eval(sl.lower, env) if sl.lower is not None else Num(0)
        upper = self.eval(sl.upper, env) if sl.upper is not None else Num(None)
        return Obj("slice", {"lower": lower, "upper": upper})

    def _e_Subscript(self, node: cst.Subscript, env: Env) -> Val:
        base = self.eval(node.value, env)
        key = self._subscript_key(node, env)
        if isinstance(base, Frame):
            return self._frame_index(base, key, node)
        if isinstance(base, Series):
            if isinstance(key, Obj) and key.kind == "slice":
                upper = key.data["upper"]
                if isinstance(upper, Num) and isinstance(upper.value, int):
                    step = Step(node, f"truncated to {upper.value} characters")
                    return Series(
                        tuple(c.treated(f"truncate:{upper.value}", step) for c in base.cols),
                        base.bound,
                    )
            return base
        if isinstance(base, Ref) and base.qname == "os.environ":
            name = key.text if isinstance(key, Str) else "?"
            return Unknown(f"env:{name}")
        if isinstance(base, Obj) and base.kind == "cursor-row":
            return base
        if isinstance(base, Unknown) and isinstance(key, Str) and key.known and key.text:
            # A record whose origin is unknown (a parameter, a message): record["email"].
            if base.source is not None:
                return Series((base.source.col(key.text),))
            label = f"field '{key.text}' of {base.name or 'a record'}"
            step = Step(node, label)
            return Series((Col(key.text, (key.text,), RAW, (step,), by_name=True),))
        if isinstance(base, Seq) and isinstance(key, Num) and isinstance(key.value, int):
            return (
                base.items[key.value]
                if -len(base.items) <= key.value < len(base.items)
                else UNKNOWN
            )
        return UNKNOWN

    def _frame_index(self, frame: Frame, key: Val, node: cst.CSTNode) -> Val:
        if isinstance(key, Str) and key.known:
            col = frame.get(key.text)
            if col is None:
                return UNKNOWN
            return Series((col,))
        if isinstance(key, Seq):
            names = [k.text for k in key.items if isinstance(k, Str) and k.known]
            if names and len(names) == len(key.items):
                return frame.select(names)
            # df.loc[mask, ["a", "b"]] / df.loc[:, "a"]
            if len(key.items) == 2:
                return self._frame_index(frame, key.items[1], node)
            return frame
        if isinstance(key, Frame) and key.lib != "dict":
            return frame
        return frame  # a mask, a slice: same columns

    # ------------------------------------------------------------------ calls
    def _args(self, node: cst.Call, env: Env) -> tuple[list[Val], dict[str, Val]]:
        args: list[Val] = []
        kwargs: dict[str, Val] = {}
        for arg in node.args:
            self.node_top[id(arg)] = self.top
            value = self.eval(arg.value, env)
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            elif arg.star == "*" and isinstance(value, Seq):
                args.extend(value.items)
            elif arg.star == "**":
                if isinstance(value, Frame) and value.entries:
                    kwargs.update(value.entries)
            else:
                args.append(value)
        return args, kwargs

    def _e_Call(self, node: cst.Call, env: Env) -> Val:
        args, kwargs = self._args(node, env)
        self._tls_kwargs(node, kwargs)
        func = node.func
        if isinstance(func, cst.Attribute):
            receiver = self.eval(func.value, env)
            name = func.attr.value
            if isinstance(receiver, Ref):
                return self.call_ref(f"{receiver.qname}.{name}", args, kwargs, node, env)
            return self.call_method(receiver, name, args, kwargs, node, env)
        callee = self.eval(func, env)
        if isinstance(callee, Ref):
            return self.call_ref(callee.qname, args, kwargs, node, env)
        if isinstance(callee, Func):
            return self.call_func(callee, args, kwargs, node)
        if isinstance(callee, Unknown) and callee.name:
            return self._call_unknown(callee.name, args, kwargs, node)
        return UNKNOWN

    def call_func(self, func: Func, args: list[Val], kwargs: dict[str, Val], node) -> Val:
        if self._protective_name(func.name):
            return self._protect(args, func.name, node)
        key = id(func.node)
        if self.depth >= MAX_INLINE_DEPTH or key in self.active:
            return join_all(args) if func.name == "<lambda>" else UNKNOWN
        # A call that passes no data gives the same result wherever it is made: follow it
        # once. Calls with data are followed each time, within a budget per entry point.
        carries = any(isinstance(a, Frame) or cols_of(a) for a in [*args, *kwargs.values()])
        if not carries and not isinstance(func.node, cst.Lambda):
            if key in self.summaries:
                return self.summaries[key]
            self.summaries[key] = UNKNOWN  # while it runs (recursion through other helpers)
            result = self._inline(func, args, kwargs, key)
            self.summaries[key] = result
            return result
        if self.budget <= 0:
            return join_all(args) if func.name == "<lambda>" else UNKNOWN
        self.budget -= 1
        return self._inline(func, args, kwargs, key)

    def _inline(self, func: Func, args: list[Val], kwargs: dict[str, Val], key: int) -> Val:
        saved_top = self.top
        if func.top is not None:
            self.top = func.top
        try:
            return self._inline_body(func, args, kwargs, key)
        finally:
            self.top = saved_top

    def _inline_body(self, func: Func, args, kwargs, key: int) -> Val:
        env: Env = dict(func.env) if func.env else {}
        self.active.add(key)
        self.depth += 1
        try:
            if isinstance(func.node, cst.Lambda):
                self._bind_lambda(func.node, env, args, kwargs)
                return self.eval(func.node.body, env)
            self._bind_params(func.node, env, args, kwargs)
            with self._in_function(func.name):
                body = func.node.body
                returns = self.exec_block(
                    body.body if isinstance(body, cst.IndentedBlock) else [body], env
                )
            result: Val = UNKNOWN
            for value in returns:
                result = join(result, value)
            return result
        finally:
            self.depth -= 1
            self.active.discard(key)

    def _bind_params(self, func: cst.FunctionDef, env: Env, args: list[Val], kwargs) -> None:
        params = list(func.params.posonly_params) + list(func.params.params)
        for i, param in enumerate(params):
            pname = param.name.value
            if i < len(args):
                env[pname] = args[i]
            elif pname in kwargs:
                env[pname] = kwargs[pname]
            elif param.default is not None:
                env[pname] = self.eval(param.default, self.module_env)
            else:
                env[pname] = self._param(param)
        for param in func.params.kwonly_params:
            pname = param.name.value
            env[pname] = kwargs.get(pname) or (
                self.eval(param.default, self.module_env) if param.default else self._param(param)
            )
        for star in (func.params.star_arg, func.params.star_kwarg):
            if isinstance(star, cst.Param):
                env[star.name.value] = Unknown(star.name.value)

    def _param(self, param: cst.Param) -> Unknown:
        self.node_top[id(param)] = self.top
        name = param.name.value
        if name in ("self", "cls"):
            return Unknown(name)
        return Unknown(name, Source(param, f"parameter '{name}'", weak=True))

    def _bind_lambda(self, node: cst.Lambda, env: Env, args: list[Val], kwargs) -> None:
        for i, param in enumerate(node.params.params):
            env[param.name.value] = args[i] if i < len(args) else Unknown(param.name.value)

    def _protective_name(self, name: str) -> bool:
        short = name.rsplit(".", 1)[-1]
        return any(
            p in (name, short) or (p.rsplit(".", 1)[-1] == short and "." not in p)
            for p in self.protective
        )

    def _protect(self, args: list[Val], name: str, node) -> Val:
        treatment = KEYED if name.startswith("hmac.") else f"protected:{name}"
        cols = tuple(c for a in args for c in cols_of(a))
        step = Step(node, f"protected by {name}()")
        if not cols:
            return UNKNOWN
        return Series(tuple(c.treated(treatment, step) for c in cols), self._bound(*args))

    def _hash(self, algo: str, args: list[Val], node, bound: bool = True) -> Val:
        cols = tuple(c for a in args for c in cols_of(a))
        if not cols:
            named = tuple(c for a in args for c in self._named_cols(a, node))
            if named:
                self._fact("hash", node, algo=algo, columns=named)
            return Unknown("hash")
        self._fact("hash", node, algo=algo, columns=cols)
        step = Step(node, f"hashed with unkeyed {algo}")
        return Series(tuple(c.treated(f"weak-hash:{algo}", step) for c in cols), bound)

    def _call_unknown(self, name: str, args, kwargs, node) -> Val:
        if self._protective_name(name):
            return self._protect(args, name, node)
        if name == "spark" or name.endswith("SparkSession.builder.getOrCreate"):
            return Obj("spark")
        return UNKNOWN

    # ------------------------------------------------------------------ calls to imported names
    def call_ref(self, qname: str, args, kwargs, node, env) -> Val:
        if self._protective_name(qname) or qname in ("hmac.new", "hmac.digest", "hmac.HMAC"):
            return self._protect(args[1:2] if qname.startswith("hmac.") else args, qname, node)
        top, _, _rest = qname.partition(".")
        last = qname.rsplit(".", 1)[-1]
        if top == "hashlib":
            if last == "new" and args:
                algo = args[0].text if isinstance(args[0], Str) else "hash"
                return self._hash(algo, args[1:], node)
            if last in _HASHLIB:
                return self._hash(last, args, node)
            return UNKNOWN
        if qname == "builtins.hash":
            return self._hash("hash()", args, node)
        if top == "builtins":
            return self._builtin(last, args, kwargs, node)
        if qname in ("os.environ.get", "os.getenv"):
            name = args[0].text if args and isinstance(args[0], Str) else "?"
            default = args[1] if len(args) > 1 else kwargs.get("default")
            if isinstance(default, Str):
                return Str(default.text, "env-default", default.nodes)
            return Unknown(f"env:{name}")
        if qname in ("urllib.parse.urljoin", "posixpath.join", "os.path.join"):
            result: Val = args[0] if args else UNKNOWN
            for arg in args[1:]:
                sep = Str("/") if qname != "urllib.parse.urljoin" else Str("")
                result = self._concat(self._concat(result, sep), arg)
            return result
        if top == "pandas":
            return self._pandas(last, args, kwargs, node)
        if top == "polars":
            return self._polars(last, args, kwargs, node)
        if top == "pyspark":
            if last in ("getOrCreate", "SparkSession", "builder"):
                return Obj("spark")
            return self._spark_fn(last, args, kwargs, node)
        if top in _HTTP_MODULES or qname.startswith("urllib.request"):
            return self._http_ref(qname, last, args, kwargs, node)
        if top == "boto3" or qname.startswith("botocore"):
            return self._boto(last, args, kwargs, node)
        if qname.startswith("google.cloud.storage"):
            if last == "Client":
                options = kwargs.get("client_options")
                if isinstance(options, Frame) and options.entries:
                    self._endpoint(
                        f"{qname}(api_endpoint)", options.entries.get("api_endpoint"), node
                    )
                return Obj("gcs")
            return Obj("gcs")
        if qname.startswith("azure.storage"):
            url = kwargs.get("account_url") or (args[0] if args else None)
            if last == "from_connection_string" and isinstance(url, Str):
                match = re.search(r"BlobEndpoint=([^;]+)", url.text)
                url = Str(match.group(1), url.via, url.nodes) if match else None
            if last in (
                "BlobServiceClient",
                "BlobClient",
                "ContainerClient",
                "from_connection_string",
                "DataLakeServiceClient",
            ):
                self._endpoint(f"{qname}", url, node)
            return Obj("azure")
        if top == "smtplib":
            host = args[0] if args else kwargs.get("host")
            scheme = "smtps" if last == "SMTP_SSL" else "smtp"
            self._endpoint(qname, self._host_url(scheme, host), node)
            return Obj("smtp", {"host": self._host_text(host)})
        if top == "ftplib":
            host = args[0] if args else kwargs.get("host")
            scheme = "ftps" if last == "FTP_TLS" else "ftp"
            self._endpoint(qname, self._host_url(scheme, host), node)
            return Obj("ftp", {"host": self._host_text(host)})
        if top == "paramiko":
            if last == "SSHClient":
                return Obj("ssh")
            if last in ("Transport",):
                host = args[0] if args else None
                if isinstance(host, Seq) and host.items:
                    host = host.items[0]
                self._endpoint(qname, self._host_url("sftp", host), node)
                return Obj("ssh", {"host": self._host_text(host)})
            if last == "from_transport":
                return Obj(
                    "sftp",
                    {
                        "host": args[0].data.get("host")
                        if args and isinstance(args[0], Obj)
                        else None
                    },
                )
            return UNKNOWN
        if top == "pysftp" and last == "Connection":
            host = args[0] if args else kwargs.get("host")
            self._endpoint(qname, self._host_url("sftp", host), node)
            return Obj("sftp", {"host": self._host_text(host)})
        if top in ("kafka", "confluent_kafka", "aiokafka"):
            if "Producer" in last:
                return Obj("kafka")
            return UNKNOWN
        if top == "csv":
            return self._csv(last, args, kwargs, node)
        if top == "json" or top in ("orjson", "ujson", "simplejson", "yaml", "pickle"):
            if last in ("dump",) and len(args) >= 2:
                self._sink_to_handle(args[1], args[0], f"{top}.dump", node)
                return UNKNOWN
            if last in ("dumps", "loads"):
                return args[0] if args else UNKNOWN
            if last in ("load", "safe_load"):
                handle = args[0] if args else UNKNOWN
                if isinstance(handle, Obj) and isinstance(handle.data.get("payload"), Val):
                    return handle.data["payload"]
                return Frame("rows", {}, (Source(node, f"read by {qname}"),))
            return UNKNOWN
        if top in ("logging", "loguru", "structlog"):
            if last in ("getLogger", "get_logger", "getChild", "logger", "LoggerAdapter"):
                return Obj("logger")
            if last in _LOG_METHODS:
                self._log(qname, args, kwargs, node)
            return UNKNOWN
        if top in (
            "sqlite3",
            "psycopg2",
            "psycopg",
            "pymysql",
            "mysql",
            "pyodbc",
            "cx_Oracle",
            "oracledb",
            "sqlalchemy",
            "duckdb",
            "snowflake",
            "pg8000",
            "asyncpg",
        ):
            if last in ("connect", "create_engine", "Connection", "engine_from_config", "text"):
                return args[0] if last == "text" and args else Obj("db")
            return UNKNOWN
        if top == "ssl" and last in ("_create_unverified_context",):
            self._tls("unverified-context", node, qname)
            return UNKNOWN
        if top == "airflow" and last.endswith("Operator"):
            task_id, callable_ = kwargs.get("task_id"), kwargs.get("python_callable")
            if isinstance(task_id, Str) and isinstance(callable_, Func):
                self.tasks[task_id.text] = callable_
            return UNKNOWN
        if top == "airflow" or top == "dask":
            return UNKNOWN
        return UNKNOWN

    def _builtin(self, name: str, args, kwargs, node) -> Val:
        if name == "open":
            path = args[0] if args else kwargs.get("file", UNKNOWN)
            mode = args[1] if len(args) > 1 else kwargs.get("mode", Str("r"))
            mode_text = mode.text if isinstance(mode, Str) else "r"
            data: dict[str, Any] = {"path": path.text if isinstance(path, Str) else None}
            if not any(m in mode_text for m in "wax+") and data["path"] in self.files:
                data["payload"] = self.files[data["path"]]
            data["write"] = any(m in mode_text for m in "wax+")
            return Obj("file", data)
        if name == "print":
            self._log("print", args, {}, node)
            return UNKNOWN
        if name == "enumerate" and args:
            return Seq((Seq((UNKNOWN, self.iterate(args[0]))),))
        if name == "zip" and args:
            return Seq((Seq(tuple(self.iterate(a) for a in args)),))
        if name == "round":
            digits = args[1] if len(args) > 1 else kwargs.get("ndigits", Num(0))
            return self._round(args[0] if args else UNKNOWN, digits, node)
        if name in (
            "str",
            "list",
            "tuple",
            "set",
            "sorted",
            "dict",
            "iter",
            "reversed",
            "repr",
            "format",
            "next",
            "frozenset",
            "bytes",
            "enumerate",
            "zip",
            "filter",
            "map",
        ):
            if name == "map" and len(args) >= 2 and isinstance(args[0], (Func, Ref)):
                return self._apply(args[1], args[0], node)
            if name == "format" and args:
                return args[0]
            return join_all(args) if args else (Frame("dict", {}) if name == "dict" else UNKNOWN)
        if name in ("int", "float"):
            return args[0] if args and isinstance(args[0], Series) else UNKNOWN
        return UNKNOWN

    # ---- pandas / polars / spark module functions
    def _pandas(self, last: str, args, kwargs, node) -> Val:
        if last in _PANDAS_READERS:
            return self._read(f"pandas.{last}", "pandas", args, kwargs, node)
        if last == "DataFrame":
            data = args[0] if args else kwargs.get("data", UNKNOWN)
            columns = kwargs.get("columns")
            if isinstance(data, Frame):
                return data.restyled("pandas")
            if isinstance(columns, Seq):
                names = [c.text for c in columns.items if isinstance(c, Str)]
                return Frame(
                    "pandas",
                    {n: Col(n, (n,), RAW, (Step(node, "DataFrame built"),)) for n in names},
                )
            return Frame("pandas", {}, (Source(node, "DataFrame built"),))
        if last in ("concat", "merge"):
            frames = (
                list(args[0].items)
                if last == "concat" and args and isinstance(args[0], Seq)
                else args[:2]
            )
            return join_all(frames)
        if last in ("cut", "qcut"):
            cols = cols_of(args[0]) if args else ()
            step = Step(node, f"bucketed by pandas.{last}")
            return Series(tuple(c.treated("bucket", step) for c in cols)) if cols else UNKNOWN
        if last in ("to_datetime", "to_numeric", "Series"):
            return args[0] if args else UNKNOWN
        return UNKNOWN

    def _polars(self, last: str, args, kwargs, node) -> Val:
        if last in _POLARS_READERS:
            return self._read(f"polars.{last}", "polars", args, kwargs, node)
        if last in ("DataFrame", "LazyFrame", "from_dicts", "from_records", "from_pandas"):
            data = args[0] if args else kwargs.get("data", UNKNOWN)
            if isinstance(data, Frame):
                return data.restyled("polars")
            return Frame("polars", {}, (Source(node, f"polars.{last}"),))
        if last == "col":
            names = [a.text for a in args if isinstance(a, Str)]
            return Series(tuple(Col(n, (n,)) for n in names), bound=False)
        if last == "lit":
            return UNKNOWN
        if last == "concat":
            return join_all(list(args[0].items)) if args and isinstance(args[0], Seq) else UNKNOWN
        return UNKNOWN

    def _spark_fn(self, last: str, args, kwargs, node) -> Val:
        if last in ("col", "column"):
            names = [a.text for a in args if isinstance(a, Str)]
            return Series(tuple(Col(n, (n,)) for n in names), bound=False)
        exprs = [self._spark_expr(a) for a in args]
        cols = tuple(c for e in exprs for c in cols_of(e))
        bound = self._bound(*exprs)
        if not cols:
            return UNKNOWN
        if last in _SPARK_HASHES:
            return self._hash(f"{last}()", [Series(cols, bound)], node, bound)
        if last in ("round", "bround"):
            digits = args[1] if len(args) > 1 else kwargs.get("scale", Num(0))
            return self._round(Series(cols, bound), digits, node)
        if last == "substring" and len(args) >= 3 and isinstance(args[2], Num):
            step = Step(node, f"truncated to {args[2].value} characters")
            return Series(tuple(c.treated(f"truncate:{args[2].value}", step) for c in cols), bound)
        if last in ("floor", "date_trunc", "year", "trunc", "window"):
            step = Step(node, f"generalised by {last}()")
            return Series(tuple(c.treated("bucket", step) for c in cols), bound)
        if last in (
            "count",
            "countDistinct",
            "approx_count_distinct",
            "sum",
            "avg",
            "mean",
            "min",
            "max",
            "stddev",
            "collect_set",
            "first",
        ):
            if last in ("collect_set", "first"):
                return Series(cols, bound)
            return UNKNOWN
        if self._protective_name(last):
            return self._protect([Series(cols, bound)], last, node)
        return Series(cols, bound)

    @staticmethod
    def _spark_expr(value: Val) -> Val:
        """A plain string in a Spark function call names a column."""
        if isinstance(value, Str) and value.known and value.text.isidentifier():
            return Series((Col(value.text, (value.text,)),), bound=False)
        return value

    def _read(self, api: str, lib: str, args, kwargs, node) -> Val:
        label = f"read by {api}"
        query = args[0] if args else kwargs.get("sql")
        if api.endswith(("read_sql", "read_sql_query", "read_database")) and isinstance(query, Str):
            parsed = sql.select_columns(query.text)
            if parsed is not None:
                return self._sql_frame(lib, parsed, node, label)
        path = args[0] if args else kwargs.get("filepath_or_buffer", kwargs.get("source"))
        written = self.files.get(path.text) if isinstance(path, Str) else None
        base = (
            written.restyled(lib)
            if isinstance(written, Frame)
            else Frame(lib, {}, (Source(node, label),))
        )
        for key in ("usecols", "columns"):
            selected = kwargs.get(key)
            if isinstance(selected, Seq) and all(isinstance(i, Str) for i in selected.items):
                names = [i.text for i in selected.items]  # type: ignore[attr-defined]
                if isinstance(written, Frame):
                    return base.select(names)
                return Frame(lib, {n: Col(n, (n,), RAW, (Step(node, label),)) for n in names})
        return base

    def _sql_frame(self, lib: str, parsed, node, label: str) -> Frame:
        columns, star = parsed
        step = Step(node, label)
        cols = {}
        for name, origins, treatment in columns:
            cols[name] = Col(name, origins, treatment, (step,))
            if treatment.startswith("weak-hash:"):
                self._fact(
                    "hash",
                    node,
                    algo=treatment.split(":", 1)[1] + " (SQL)",
                    columns=(Col(name, origins, RAW, (step,)),),
                )
        return Frame(lib, cols, (Source(node, label),) if star else ())

    def _round(self, value: Val, digits: Val, node) -> Val:
        cols = cols_of(value)
        if not cols:
            return UNKNOWN
        n = digits.value if isinstance(digits, Num) and isinstance(digits.value, int) else 0
        step = Step(node, f"rounded to {n} decimals")
        return Series(tuple(c.treated(f"round:{n}", step) for c in cols), self._bound(value))

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
            payload = _mixture(
                [kwargs[k] for k in ("json", "data", "files", "params", "content") if k in kwargs]
                + list(args[1:2])
            )
            self._http_call(qname, url, payload, node)
            return Obj("http-response")
        return UNKNOWN

    def _http_call(
        self, api: str, url: Val | None, payload: Val, node, base: Val | None = None
    ) -> None:
        if base is not None and isinstance(base, Str):
            url = self._concat(base, url) if isinstance(url, Str) else base
        host = self._endpoint(api, url, node)
        self._sink(
            "network",
            api,
            payload,
            node,
            host=host,
            target=url.text if isinstance(url, Str) else None,
        )

    def _boto(self, last: str, args, kwargs, node) -> Val:
        if last in ("client", "resource"):
            service = args[0].text if args and isinstance(args[0], Str) else "?"
            endpoint = kwargs.get("endpoint_url")
            if endpoint is not None:
                self._endpoint(f"boto3.{last}({service}, endpoint_url)", endpoint, node)
            return Obj("s3" if service == "s3" else "aws", {"service": service})
        if last in ("Session",):
            return Obj("aws-session")
        return UNKNOWN

    def _csv(self, last: str, args, kwargs, node) -> Val:
        handle = args[0] if args else UNKNOWN
        if last in ("reader", "DictReader"):
            names = kwargs.get("fieldnames")
            if isinstance(handle, Obj) and isinstance(handle.data.get("payload"), Frame):
                return handle.data["payload"]
            if isinstance(names, Seq) and names.items:
                cols = [i.text for i in names.items if isinstance(i, Str)]
                return Frame(
                    "rows",
                    {n: Col(n, (n,), RAW, (Step(node, f"read by csv.{last}"),)) for n in cols},
                )
            return Frame("rows", {}, (Source(node, f"read by csv.{last}"),))
        if last in ("writer", "DictWriter"):
            names = kwargs.get("fieldnames") or (args[1] if len(args) > 1 else None)
            return Obj("csv-writer", {"handle": handle, "fieldnames": names})
        return UNKNOWN

    # ------------------------------------------------------------------ method calls
    def call_method(self, recv: Val, name: str, args, kwargs, node, env) -> Val:
        if name in ("xcom_push", "xcom_pull"):
            return self._xcom(name, args, kwargs, node)
        if isinstance(recv, Frame):
            return self._frame_method(recv, name, args, kwargs, node, env)
        if isinstance(recv, Series):
            return self._series_method(recv, name, args, kwargs, node, env)
        if isinstance(recv, Str):
            if name == "format":
                return self._format(recv, args, kwargs, node)
            if name == "join" and args:
                return Str("{...}", "concatenation", recv.nodes, cols_of(args[0]))
            if name in (
                "encode",
                "strip",
                "rstrip",
                "lstrip",
                "lower",
                "upper",
                "replace",
                "removeprefix",
                "removesuffix",
                "decode",
                "title",
            ):
                return recv
            return UNKNOWN
        if isinstance(recv, Obj):
            return self._obj_method(recv, name, args, kwargs, node, env)
        if isinstance(recv, Func) and name in ("__call__",):
            return self.call_func(recv, args, kwargs, node)
        if isinstance(recv, Unknown) and recv.name == "self" and (self.cls, name) in self.methods:
            return self.call_func(self.methods[(self.cls, name)], [recv, *args], kwargs, node)
        return self._unknown_method(recv, name, args, kwargs, node)

    def _xcom(self, name: str, args, kwargs, node) -> Val:
        """Airflow tasks hand data to each other through XCom (or their return value)."""
        self.xcom_used = True  # a second round sees what later tasks push
        if name == "xcom_push":
            key = kwargs.get("key", args[0] if args else None)
            value = kwargs.get("value", args[1] if len(args) > 1 else UNKNOWN)
            if isinstance(key, Str) and key.known:
                self.xcoms[key.text] = join(self.xcoms.get(key.text, UNKNOWN), value)
            return UNKNOWN
        key = kwargs.get("key", Str("return_value"))
        task = kwargs.get("task_ids", args[0] if args else None)
        if isinstance(key, Str) and key.text in self.xcoms:
            return self.xcoms[key.text]
        if isinstance(task, Str) and task.text in self.tasks:
            return self.call_func(self.tasks[task.text], [], {}, node)
        return UNKNOWN

    def _unknown_method(self, recv: Val, name: str, args, kwargs, node) -> Val:
        rname = recv.name if isinstance(recv, Unknown) else ""
        source = recv.source if isinstance(recv, Unknown) else None
        if source is not None and (
            name in _FILE_WRITERS
            or name in _DB_WRITERS
            or name in ("items", "values", "get", "pop", "copy", "to_dict", "iterrows")
        ):
            # A parameter used as a table or a record: what the function reads from it is what
            # it holds.
            frame = Frame("rows" if name in ("get", "pop", "items", "values") else "pandas",
                          {}, (source,))  # fmt: skip
            return self._frame_method(frame, name, args, kwargs, node, {})
        if rname and name in _SAME_VALUE_METHODS:
            return recv  # phone.strip().encode() is still the phone
        if name in _LOG_METHODS and _LOGGER_NAME.search(rname or "-"):
            self._log(f"{rname}.{name}", args, kwargs, node)
            return UNKNOWN
        if rname == "spark" or rname.endswith(".spark"):
            return self._obj_method(Obj("spark"), name, args, kwargs, node, {})
        if rname.endswith("SparkSession.builder") or name == "getOrCreate":
            return Obj("spark")
        if name in (
            "upload_file",
            "upload_fileobj",
            "put_object",
            "upload_from_filename",
            "upload_from_string",
            "upload_from_file",
            "upload_blob",
        ):
            return self._obj_method(Obj("storage"), name, args, kwargs, node, {})
        if name in _HOOK_QUERIES and args and isinstance(args[0], Str):
            parsed = sql.select_columns(args[0].text)
            label = f"read by {rname or 'hook'}.{name}"
            lib = "pandas" if name.endswith("_df") else "rows"
            if parsed is not None:
                return self._sql_frame(lib, parsed, node, label)
            return Frame(lib, {}, (Source(node, label),))
        if name in ("load_file", "load_string", "load_bytes", "load_file_obj"):
            return self._storage_method(Obj("s3"), name, args, kwargs, node)
        if name in ("fetchall", "fetchone", "fetchmany", "mappings", "all", "first"):
            frame = self.named_frames.get(rname)
            return frame or Frame(
                "rows", {}, (Source(node, f"rows fetched from {rname or 'a cursor'}"),)
            )
        if name in _CURSOR_WRITES and args and isinstance(args[0], Str):
            return self._execute(rname, args, node)
        if (
            name in _HTTP_VERBS
            and args
            and isinstance(args[0], Str)
            and re.match(r"^[a-z][a-z0-9+.-]*://", args[0].text)
        ):
            payload = _mixture(
                [kwargs[k] for k in ("json", "data", "files", "params") if k in kwargs]
            )
            self._http_call(f"{rname or '?'}.{name}", args[0], payload, node)
            return Obj("http-response")
        if name in ("send", "produce") and ("produc" in rname.lower() or "kafka" in rname.lower()):
            return self._obj_method(Obj("kafka"), name, args, kwargs, node, {})
        if name == "read_sql" or (name == "sql" and (args and isinstance(args[0], Str))):
            parsed = sql.select_columns(args[0].text) if args and isinstance(args[0], Str) else None
            if parsed is not None:
                return self._sql_frame(
                    "spark" if name == "sql" else "pandas", parsed, node, f"read by {rname}.{name}"
                )
        return UNKNOWN

    def _execute(self, rname: str, args, node) -> Val:
        query = args[0]
        assert isinstance(query, Str)
        if sql.is_write(query.text):
            params = args[1] if len(args) > 1 else UNKNOWN
            cols = cols_of(params)
            if not cols:
                names = sql.insert_columns(query.text)
                step = Step(node, "row values")
                value_names = [
                    i.name
                    for i in (params.items if isinstance(params, Seq) else ())
                    if isinstance(i, Unknown) and i.name
                ]
                cols = tuple(Col(n, (n,), RAW, (step,)) for n in (value_names or names))
                if not value_names and not isinstance(params, Seq):
                    cols = ()
            self._sink(
                "database",
                f"{rname or 'cursor'}.execute",
                Series(cols),
                node,
                target=sql.table_of(query.text),
            )
            return UNKNOWN
        parsed = sql.select_columns(query.text)
        if parsed is not None and rname:
            self.named_frames[rname] = self._sql_frame("rows", parsed, node, "read by SQL query")
        return UNKNOWN

    def _frame_method(self, frame: Frame, name: str, args, kwargs, node, env) -> Val:
        api = f"DataFrame.{name}"
        if name in _FILE_WRITERS or name in _DB_WRITERS:
            path = (
                args[0]
                if args
                else next(
                    (
                        kwargs[k]
                        for k in (
                            "path",
                            "path_or_buf",
                            "file",
                            "excel_writer",
                            "name",
                            "buf",
                            "table_name",
                            "destination_table",
                        )
                        if k in kwargs
                    ),
                    None,
                )
            )
            if path is None and name in _RETURNS_TEXT:
                return frame  # serialised in memory: the text carries the columns
            kind = "database" if name in _DB_WRITERS else "file"
            target = path.text if isinstance(path, Str) else None
            if target and target.startswith(_STORAGE_SCHEMES):
                kind = "storage"
            if isinstance(path, Obj) and path.kind == "file":
                target = path.data.get("path")
            self._sink(
                kind,
                api,
                frame,
                node,
                target=target,
                host=self._bucket(target) if kind == "storage" else None,
            )
            if target:
                self.files[target] = frame
            return UNKNOWN
        if name == "drop":
            names = self._names(args[:1]) + self._names([kwargs.get("columns", UNKNOWN)])
            names += self._names([kwargs.get("labels", UNKNOWN)])
            axis = kwargs.get("axis")
            if (
                frame.lib == "pandas"
                and not kwargs.get("columns")
                and not (
                    (isinstance(axis, Num) and axis.value == 1)
                    or (isinstance(axis, Str) and axis.text == "columns")
                )
                and not args[1:2]
            ):
                if "index" in kwargs or not names:
                    return frame
                if frame.lib == "pandas" and not any(frame.get(n) for n in names):
                    return frame  # dropping rows by label
            names += self._names(args[1:])  # spark/polars: drop("a", "b")
            return frame.without(names)
        if name in ("rename", "withColumnRenamed", "with_column_renamed", "alias"):
            if name == "withColumnRenamed" and len(args) >= 2:
                mapping = (
                    {args[0].text: args[1].text}
                    if all(isinstance(a, Str) for a in args[:2])
                    else {}
                )
            else:
                mapping_val = (
                    kwargs.get("columns") or kwargs.get("mapping") or (args[0] if args else None)
                )
                mapping = (
                    {
                        k: v.text
                        for k, v in (mapping_val.entries or {}).items()
                        if isinstance(v, Str)
                    }
                    if isinstance(mapping_val, Frame)
                    else {}
                )
            if not mapping:
                return frame
            new = frame
            for old, new_name in mapping.items():
                col = frame.get(old)
                if col is None:
                    continue
                new = new.without([old]).with_col(
                    new_name, col.renamed(new_name, Step(node, f"'{old}' renamed to '{new_name}'"))
                )
            return new
        if name == "assign":
            new = frame
            for key, value in kwargs.items():
                if isinstance(value, Func):
                    value = self.call_func(value, [frame], {}, node)
                new = new.with_col(key, self._as_column(key, self._bind_expr(value, frame), node))
            return new
        if name in ("withColumn", "with_column"):
            if len(args) >= 2 and isinstance(args[0], Str):
                value = self._bind_expr(self._spark_expr(args[1]), frame)
                return frame.with_col(args[0].text, self._as_column(args[0].text, value, node))
            return frame
        if name in ("with_columns", "withColumns"):
            new = frame
            items = list(args)
            if len(args) == 1 and isinstance(args[0], Seq):
                items = list(args[0].items)
            for value in items:
                bound = self._bind_expr(value, frame)
                for col in cols_of(bound):
                    new = new.with_col(col.name, col)
            for key, value in kwargs.items():
                new = new.with_col(key, self._as_column(key, self._bind_expr(value, frame), node))
            if len(args) == 1 and isinstance(args[0], Frame) and args[0].entries:
                for key, value in args[0].entries.items():
                    new = new.with_col(
                        key, self._as_column(key, self._bind_expr(value, frame), node)
                    )
            return new
        if name in ("select", "selectExpr", "filter", "where") and frame.lib in ("spark", "polars"):
            if name in ("filter", "where"):
                return frame
            items = list(args)
            if len(args) == 1 and isinstance(args[0], Seq):
                items = list(args[0].items)
            if not items or any(isinstance(i, Str) and i.text == "*" for i in items):
                return frame
            cols: dict[str, Col] = {}
            for item in items:
                if isinstance(item, Str) and name == "selectExpr":
                    parsed = sql.select_columns(f"SELECT {item.text} FROM t")
                    for cname, origins, treatment in parsed[0] if parsed else []:
                        base = frame.get(origins[0]) if origins else None
                        if base is not None:
                            cols[cname] = Col(
                                cname,
                                base.origins,
                                treatment if treatment != RAW else base.treatment,
                                base.flow,
                            )
                    continue
                for col in cols_of(self._bind_expr(self._spark_expr(item), frame)):
                    cols[col.name] = col
            return Frame(frame.lib, cols)
        if name in (
            "merge",
            "join",
            "crossJoin",
            "unionByName",
            "union",
            "append",
            "combine_first",
            "join_asof",
            "vstack",
            "hstack",
            "concat",
        ):
            other = args[0] if args else kwargs.get("right", kwargs.get("other", UNKNOWN))
            if isinstance(other, Frame):
                return join(frame, other)
            return frame
        if name in ("groupby", "groupBy", "group_by", "rollup", "cube"):
            keys = self._names(args[:1] if args and isinstance(args[0], Seq) else args)
            keys += self._names([kwargs.get("by", UNKNOWN)])
            return Obj("groupby", {"frame": frame, "keys": keys})
        if name in ("get",) and frame.lib in ("dict", "rows") and args and isinstance(args[0], Str):
            col = frame.get(args[0].text)
            return Series((col,)) if col is not None else (args[1] if len(args) > 1 else UNKNOWN)
        if name in ("pop",) and args and isinstance(args[0], Str):
            col = frame.get(args[0].text)
            return Series((col,)) if col is not None else UNKNOWN
        if name in ("keys",):
            return UNKNOWN
        if name in ("iterrows", "items", "iteritems", "iter_rows_named"):
            return Seq((Seq((UNKNOWN, frame)),))  # (index, row) pairs
        if name in (
            "apply",
            "applymap",
            "map",
            "transform",
            "pipe",
            "map_rows",
            "mapInPandas",
            "foreach",
            "foreachPartition",
        ):
            fn = args[0] if args else kwargs.get("func", UNKNOWN)
            if isinstance(fn, Func):
                result = self.call_func(fn, [frame], {}, node)
                if isinstance(result, (Frame, Series)):
                    return result if name == "pipe" or isinstance(result, Frame) else frame
            return frame
        if name in (
            "createOrReplaceTempView",
            "createTempView",
            "registerTempTable",
            "cache",
            "persist",
            "show",
            "printSchema",
        ):
            if name == "show":
                self._log("DataFrame.show", [frame], {}, node)
            return frame if name in ("cache", "persist") else UNKNOWN
        if name in _AGGREGATES:
            return UNKNOWN
        if name in (
            "to_dict",
            "to_records",
            "to_numpy",
            "tolist",
            "to_list",
            "to_pandas",
            "toPandas",
            "collect",
            "rows",
            "iter_rows",
            "to_dicts",
            "itertuples",
            "iterrows",
            "items",
            "values",
            "head",
            "tail",
            "copy",
            "dropna",
            "fillna",
            "sort_values",
            "reset_index",
            "set_index",
            "query",
            "drop_duplicates",
            "dropDuplicates",
            "distinct",
            "unique",
            "sample",
            "limit",
            "orderBy",
            "sort",
            "astype",
            "cast",
            "repartition",
            "coalesce",
            "lazy",
            "collect_schema",
            "toJSON",
            "take",
            "first",
            "nlargest",
            "nsmallest",
            "explode",
            "melt",
            "pivot",
            "unpivot",
            "infer_objects",
            "convert_dtypes",
            "with_row_count",
            "with_row_index",
            "__iter__",
            "next",
            "to_arrow",
            "toLocalIterator",
            "fetch",
            "slice",
            "filter",
            "where",
            "sort_index",
            "round",
        ):
            if name == "round" and frame.lib == "pandas":
                digits = args[0] if args else kwargs.get("decimals", Num(0))
                n = digits.value if isinstance(digits, Num) and isinstance(digits.value, int) else 0
                step = Step(node, f"rounded to {n} decimals")
                return Frame(
                    frame.lib,
                    {k: c.treated(f"round:{n}", step) for k, c in frame.cols.items()},
                    frame.sources,
                    frame.removed,
                )
            return frame
        return frame  # unknown methods keep the data (conservative for exports)

    def _bind_expr(self, value: Val, frame: Frame) -> Val:
        """Resolve a column expression (F.col / pl.col / a Series) against a frame."""
        if isinstance(value, Series) and not value.bound:
            out = []
            for expr_col in value.cols:
                base = None
                for origin in expr_col.origins:
                    base = frame.get(origin)
                    if base is not None:
                        break
                if base is None:
                    out.append(expr_col)
                    continue
                col = Col(expr_col.name, base.origins, base.treatment, base.flow + expr_col.flow)
                if expr_col.treatment != RAW:
                    col = Col(
                        col.name,
                        col.origins,
                        expr_col.treatment if base.treatment == RAW else base.treatment,
                        col.flow,
                    )
                out.append(col)
            return Series(tuple(out))
        if isinstance(value, Str) and value.known and value.text.isidentifier():
            col = frame.get(value.text)
            return Series((col,)) if col is not None else value
        return value

    def _names(self, values: list) -> list[str]:
        out: list[str] = []
        for value in values:
            if isinstance(value, Str) and value.known:
                out.append(value.text)
            elif isinstance(value, Seq):
                out.extend(i.text for i in value.items if isinstance(i, Str) and i.known)
            elif isinstance(value, Series):
                out.extend(c.name for c in value.cols)
        return out

    def _series_method(self, series: Series, name: str, args, kwargs, node, env) -> Val:
        if name in _FILE_WRITERS or name in _DB_WRITERS or name in ("to_frame", "to_dict"):
            frame = Frame("pandas", {c.name: c for c in series.cols})
            return self._frame_method(frame, name, args, kwargs, node, env)
        if name in ("apply", "map", "transform", "map_elements", "applymap", "pipe", "agg"):
            fn = args[0] if args else kwargs.get("func", kwargs.get("function", UNKNOWN))
            return self._apply(series, fn, node)
        if name == "round":
            return self._round(series, args[0] if args else kwargs.get("decimals", Num(0)), node)
        if name == "slice" and args:
            start = args[0] if args else Num(0)
            stop = args[1] if len(args) > 1 else kwargs.get("stop", kwargs.get("length"))
            if (
                isinstance(stop, Num)
                and isinstance(stop.value, int)
                and (isinstance(start, Num) and start.value in (0, None))
            ):
                step = Step(node, f"truncated to {stop.value} characters")
                return Series(
                    tuple(c.treated(f"truncate:{stop.value}", step) for c in series.cols),
                    series.bound,
                )
            return series
        if name in ("hash", "hash_rows", "hash_pandas_object") or name in _HASHLIB:
            return self._hash(f"{name}()", [series], node, series.bound)
        if name in ("hexdigest", "digest"):
            return series
        if name in ("alias", "name", "rename", "set_name"):
            if args and isinstance(args[0], Str):
                new = args[0].text
                return Series(tuple(c.renamed(new) for c in series.cols), series.bound)
            return series
        if name in ("floor", "dt", "to_period", "year", "truncate", "cut"):
            step = Step(node, f"generalised by {name}()")
            return Series(tuple(c.treated("bucket", step) for c in series.cols), series.bound)
        if self._protective_name(name):
            return self._protect([series], name, node)
        if name in _AGGREGATES or name in ("value_counts", "nunique", "unique_counts", "n_unique"):
            return UNKNOWN
        return series

    def _apply(self, value: Val, fn: Val, node) -> Val:
        if isinstance(fn, Func):
            result = self.call_func(fn, [value], {}, node)
            if isinstance(result, (Series, Str)) and cols_of(result):
                return Series(cols_of(result), value.bound if isinstance(value, Series) else True)
            if isinstance(result, Unknown) and result.name == "hash":
                return UNKNOWN
            if isinstance(result, (Num,)) or (isinstance(result, Str) and not result.cols):
                return UNKNOWN
            return value
        if isinstance(fn, Ref):
            return self.call_ref(fn.qname, [value], {}, node, {})
        if isinstance(fn, Unknown) and fn.name:
            return (
                self._call_unknown(fn.name, [value], {}, node)
                if self._protective_name(fn.name)
                else value
            )
        return value

    def _obj_method(self, obj: Obj, name: str, args, kwargs, node, env) -> Val:
        kind = obj.kind
        if kind == "http":
            if name in _HTTP_VERBS:
                if name == "request" and args:
                    args = args[1:]
                url = args[0] if args else kwargs.get("url")
                payload = _mixture(
                    [
                        kwargs[k]
                        for k in ("json", "data", "files", "params", "content")
                        if k in kwargs
                    ]
                )
                self._http_call(
                    f"{obj.data.get('api', 'session')}.{name}",
                    url,
                    payload,
                    node,
                    base=obj.data.get("base"),
                )
                return Obj("http-response")
            return obj if name in ("mount", "__enter__") else UNKNOWN
        if kind == "http-response":
            if name in ("json", "read", "text", "iter_lines"):
                return Frame("rows", {}, (Source(node, "HTTP response"),))
            return UNKNOWN
        if kind in ("s3", "storage", "aws", "gcs", "azure"):
            return self._storage_method(obj, name, args, kwargs, node)
        if kind in ("db", "cursor"):
            if name in ("cursor", "connect", "begin", "__enter__", "raw_connection"):
                return Obj("cursor", {"frame": None})
            if name in _CURSOR_WRITES and args and isinstance(args[0], Str):
                result = self._execute("", args, node)
                parsed = sql.select_columns(args[0].text)
                if parsed is not None:
                    obj.data["frame"] = self._sql_frame("rows", parsed, node, "read by SQL query")
                    return obj
                return result
            if name in (
                "fetchall",
                "fetchone",
                "fetchmany",
                "__iter__",
                "mappings",
                "all",
                "first",
            ):
                return obj.data.get("frame") or Frame("rows", {}, (Source(node, "rows fetched"),))
            return UNKNOWN
        if kind == "file":
            if name in ("write", "writelines") and args:
                self._sink_to_handle(obj, args[0], f"file.{name}", node)
            if name in ("read", "readlines", "readline"):
                payload = obj.data.get("payload")
                return payload if isinstance(payload, Val) else UNKNOWN
            return obj if name == "__enter__" else UNKNOWN
        if kind == "csv-writer":
            if name in ("writerow", "writerows") and args:
                value = args[0]
                names = obj.data.get("fieldnames")
                if not cols_of(value) and isinstance(names, Seq):
                    step = Step(node, "row written")
                    value = Series(
                        tuple(
                            Col(i.text, (i.text,), RAW, (step,))
                            for i in names.items
                            if isinstance(i, Str)
                        )
                    )
                self._sink_to_handle(obj.data.get("handle"), value, f"csv.writer.{name}", node)
            return UNKNOWN
        if kind == "logger":
            if name in _LOG_METHODS:
                self._log(f"logger.{name}", args, kwargs, node)
                return UNKNOWN
            return obj if name in ("getChild", "bind", "opt") else UNKNOWN
        if kind == "spark":
            if name in ("sql",) and args and isinstance(args[0], Str):
                parsed = sql.select_columns(args[0].text)
                if parsed is not None:
                    return self._sql_frame("spark", parsed, node, "read by spark.sql")
                return Frame("spark", {}, (Source(node, "read by spark.sql"),))
            if name in ("table", "read_table"):
                return Frame("spark", {}, (Source(node, f"read by spark.{name}"),))
            if name == "createDataFrame" and args:
                data = args[0]
                schema = args[1] if len(args) > 1 else kwargs.get("schema")
                if isinstance(data, Frame):
                    return data.restyled("spark")
                if isinstance(schema, Seq):
                    names = [i.text for i in schema.items if isinstance(i, Str)]
                    return Frame(
                        "spark",
                        {n: Col(n, (n,), RAW, (Step(node, "createDataFrame"),)) for n in names},
                    )
                return Frame("spark", {}, (Source(node, "createDataFrame"),))
            return (
                obj
                if name in ("getOrCreate", "appName", "config", "master", "enableHiveSupport")
                else UNKNOWN
            )
        if kind == "spark-reader":
            if name in ("format", "option", "options", "schema"):
                return obj
            return Frame("spark", {}, (Source(node, f"read by spark.read.{name}"),))
        if kind == "spark-writer":
            if name in (
                "mode",
                "option",
                "options",
                "partitionBy",
                "bucketBy",
                "sortBy",
                "outputMode",
                "trigger",
                "queryName",
            ):
                return obj
            if name == "format":
                fmt = args[0].text if args and isinstance(args[0], Str) else None
                return Obj("spark-writer", {**obj.data, "format": fmt})
            target_val = args[0] if args else kwargs.get("path", kwargs.get("url"))
            target = target_val.text if isinstance(target_val, Str) else None
            fmt = obj.data.get("format")
            kind_ = (
                "database"
                if name in ("jdbc", "saveAsTable", "insertInto") or fmt == "jdbc"
                else "file"
            )
            if target and target.startswith(_STORAGE_SCHEMES):
                kind_ = "storage"
            if fmt in ("kafka",):
                kind_ = "network"
            self._sink(
                kind_,
                f"DataFrame.write.{name}",
                obj.data["frame"],
                node,
                target=target,
                host=self._bucket(target) if kind_ == "storage" else None,
            )
            return UNKNOWN
        if kind == "groupby":
            frame: Frame = obj.data["frame"]
            keys = obj.data["keys"]
            cols = {k: frame.get(k) or Col(k, (k,)) for k in keys}
            for key in kwargs:
                cols[key] = Col(key, (), AGGREGATE, ())
            return Frame(frame.lib, cols)
        if kind == "smtp":
            if name in ("sendmail", "send_message"):
                payload = Seq(tuple(args))
                self._sink("network", f"smtplib.{name}", payload, node, host=obj.data.get("host"))
            return obj if name == "__enter__" else UNKNOWN
        if kind == "ftp":
            if name in ("storbinary", "storlines") and len(args) >= 2:
                self._sink("network", f"ftplib.{name}", args[1], node, host=obj.data.get("host"))
            return obj if name == "__enter__" else UNKNOWN
        if kind == "ssh":
            if name == "connect":
                host = args[0] if args else kwargs.get("hostname")
                if isinstance(host, Str):
                    self._endpoint("paramiko.SSHClient.connect", self._host_url("sftp", host), node)
                    obj.data["host"] = self._host_text(host)
                return UNKNOWN
            if name == "open_sftp":
                return Obj("sftp", {"host": obj.data.get("host")})
            return UNKNOWN
        if kind == "sftp":
            if name in ("put", "putfo") and args:
                value = self._file_value(args[0])
                self._sink("network", f"sftp.{name}", value, node, host=obj.data.get("host"))
            return obj if name == "__enter__" else UNKNOWN
        if kind == "kafka":
            if name in ("send", "produce"):
                payload = _mixture(
                    list(args[1:]) + [kwargs[k] for k in ("value", "key") if k in kwargs]
                )
                self._sink("network", f"kafka.{name}", payload, node)
            return UNKNOWN
        if kind == "urllib-request" and name == "add_header":
            return UNKNOWN
        return UNKNOWN

    def _storage_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        if name in ("client", "resource"):
            return self._boto(name, args, kwargs, node)
        if name in (
            "Bucket",
            "bucket",
            "get_bucket",
            "blob",
            "Object",
            "get_blob_client",
            "get_container_client",
            "Blob",
        ):
            bucket = args[0].text if args and isinstance(args[0], Str) else obj.data.get("bucket")
            return Obj(obj.kind, {**obj.data, "bucket": bucket})
        if name in ("upload_file", "upload_fileobj", "upload_from_filename", "upload_from_file"):
            source = (
                args[0]
                if args
                else kwargs.get("Filename", kwargs.get("Fileobj", kwargs.get("filename")))
            )
            bucket = args[1] if len(args) > 1 else kwargs.get("Bucket")
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            self._sink("storage", f"{obj.kind}.{name}", self._file_value(source), node, host=host)
            return UNKNOWN
        if name in ("load_file", "load_string", "load_bytes", "load_file_obj"):
            source = args[0] if args else kwargs.get("filename", kwargs.get("string_data"))
            bucket = kwargs.get("bucket_name", args[2] if len(args) > 2 else None)
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            self._sink("storage", f"S3Hook.{name}", self._file_value(source), node, host=host)
            return UNKNOWN
        if name in ("put_object", "put", "upload_from_string", "upload_blob"):
            body = kwargs.get(
                "Body", kwargs.get("data", args[0] if args and name != "put_object" else UNKNOWN)
            )
            bucket = kwargs.get("Bucket")
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            self._sink("storage", f"{obj.kind}.{name}", self._file_value(body), node, host=host)
            return UNKNOWN
        return UNKNOWN

    def _file_value(self, value: Val | None) -> Val:
        """What a file argument holds: a path written earlier, an open file, in-memory data."""
        if isinstance(value, Str) and value.known and value.text in self.files:
            return self.files[value.text]
        if isinstance(value, Obj) and value.kind == "file":
            payload = value.data.get("payload")
            if isinstance(payload, Val):
                return payload
            path = value.data.get("path")
            return self.files.get(path, UNKNOWN) if path else UNKNOWN
        return value if value is not None else UNKNOWN

    def _sink_to_handle(self, handle: Val | None, value: Val, api: str, node) -> None:
        path = (
            handle.data.get("path") if isinstance(handle, Obj) and handle.kind == "file" else None
        )
        self._sink("file", api, value, node, target=path)
        if path:
            self.files[path] = join(self.files.get(path, UNKNOWN), value)
        if isinstance(handle, Obj):
            handle.data["payload"] = join(handle.data.get("payload", UNKNOWN), value)

    # ------------------------------------------------------------------ facts
    def _log(self, api: str, args, kwargs, node) -> None:
        cols: list[Col] = []
        for i, arg in enumerate(args):
            if i == 0 and isinstance(arg, Str) and not arg.cols and api != "print":
                continue  # the format string itself
            found = cols_of(arg) or self._named_cols(arg, node)
            cols.extend(found)
        for key, value in kwargs.items():
            if key not in ("exc_info", "stack_info", "stacklevel", "sep", "end", "file", "flush"):
                cols.extend(cols_of(value))
        if cols:
            self._sink("log", api, Series(tuple(cols)), node)

    def _sink(self, kind: str, api: str, value: Val, node, host=None, target=None) -> None:
        cols = cols_of(value)
        key = ("sink", id(node))
        if key in self.pending:
            data = self.pending[key].data
            data["columns"] = data["columns"] + tuple(c for c in cols if c not in data["columns"])
            return
        self.pending[key] = _Pending(
            "sink",
            node,
            self.stmt,
            self._anchor(node),
            {"kind": kind, "api": api, "columns": cols, "host": host, "target": target},
        )

    def _fact(self, kind: str, node, **data) -> None:
        key = (kind, id(node))
        if key in self.pending:
            old = self.pending[key].data
            if "columns" in old:
                old["columns"] = old["columns"] + tuple(
                    c for c in data["columns"] if c not in old["columns"]
                )
            return
        self.pending[key] = _Pending(kind, node, self.stmt, self._anchor(node), data)

    def _tls(self, kind: str, node, api: str) -> None:
        self._fact("tls", node, tls=kind, api=api)

    def _tls_kwargs(self, node: cst.Call, kwargs: dict[str, Val]) -> None:
        """``verify=False`` and friends; the finding points at the keyword argument."""
        for arg in node.args:
            if arg.keyword is None:
                continue
            key, value = arg.keyword.value, kwargs.get(arg.keyword.value)
            if key in ("verify", "ssl", "verify_ssl", "check_hostname"):
                if isinstance(value, Num) and value.value is False:
                    self._tls("verify-false", arg, self._text(node.func))
            elif key == "sslmode" and isinstance(value, Str) and value.text == "disable":
                self._tls("sslmode-disable", arg, self._text(node.func))

    def _endpoint(self, api: str, url: Val | None, node) -> str | None:
        if not isinstance(url, Str):
            return None
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
        self._fact(
            "endpoint",
            node,
            api=api,
            url=text,
            scheme=scheme,
            host=host,
            via=url.via,
            nodes=url.nodes,
        )
        return host

    def _host_url(self, scheme: str, host: Val | None) -> Val | None:
        if isinstance(host, Str):
            return Str(f"{scheme}://{host.text}", host.via, host.nodes)
        return None

    @staticmethod
    def _host_text(host: Val | None) -> str | None:
        return host.text if isinstance(host, Str) and host.known else None

    @staticmethod
    def _bucket(target: str | None) -> str | None:
        if not target or "://" not in target:
            return None
        return target.split("://", 1)[1].split("/", 1)[0] or None

    def _text(self, node: cst.CSTNode) -> str:
        return " ".join(self.module.code_for_node(node).split())

    def _anchor(self, node: cst.CSTNode) -> str:
        text = self._text(node)
        if len(text) > 120:
            text = text[:117] + "..."
        return f"{self.func_name}:{text}"

    # ------------------------------------------------------------------ results
    def _needed_tops(self) -> list[cst.CSTNode] | None:
        """The module-level statements holding every node a fact will place (None: all)."""
        nodes: list[cst.CSTNode] = []
        for item in self.pending.values():
            nodes += [item.node, item.stmt]
            for value in item.data.values():
                if isinstance(value, tuple):
                    for element in value:
                        if isinstance(element, Col):
                            nodes += [step.node for step in element.flow]
                        elif isinstance(element, cst.CSTNode):
                            nodes.append(element)
        tops: dict[int, cst.CSTNode] = {}
        for node in nodes:
            top = self.node_top.get(id(node))
            if top is None or top is self.module:
                return None
            tops[id(top)] = top
        return list(tops.values())

    def model(self) -> PythonModel:
        model = PythonModel(self.path, analysed=True)
        if not self.pending:
            return model
        from dhlint.frontends.python import positions

        pos = positions(self.module, self._needed_tops(), self.text)

        def loc(node: cst.CSTNode) -> Location:
            rng = pos.get(node)
            if rng is None:
                return Location(self.path, 1, 1)
            return Location(
                self.path, rng.start.line, rng.start.column + 1, rng.end.line, rng.end.column + 1
            )

        def call_loc(node: cst.CSTNode) -> Location:
            """A method call that ends a chain over several lines: from the method's name."""
            where = loc(node)
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
                attr = pos.get(node.func.attr)
                if attr is not None and attr.start.line != where.start_line:
                    return Location(self.path, attr.start.line, attr.start.column + 1,
                                    where.end_line, where.end_col)  # fmt: skip
            return where

        def scope(stmt: cst.CSTNode) -> tuple[int, int]:
            rng = pos.get(stmt)
            return (rng.start.line, rng.end.line) if rng else (1, 1)

        def column(col: Col) -> ColumnFact:
            flow = tuple(Related(loc(s.node), s.label) for s in col.flow)
            return ColumnFact(col.name, col.origins, col.treatment, flow, col.by_name)

        for item in self.pending.values():
            data = item.data
            where, anchor, block = call_loc(item.node), item.anchor, scope(item.stmt)
            if item.kind == "sink":
                columns = tuple(dict.fromkeys(column(c) for c in data["columns"]))
                model.sinks.append(
                    SinkFact(
                        data["kind"],
                        data["api"],
                        where,
                        anchor,
                        block,
                        columns,
                        data["host"],
                        data["target"],
                    )
                )
            elif item.kind == "hash":
                columns = tuple(dict.fromkeys(column(c) for c in data["columns"]))
                model.hashes.append(HashFact(data["algo"], where, anchor, block, columns))
            elif item.kind == "endpoint":
                related = tuple(
                    Related(loc(n), "URL written here")
                    for n in data["nodes"][:3]
                    if pos.get(n) is not None and pos[n].start.line != where.start_line
                )
                model.endpoints.append(
                    EndpointFact(
                        data["api"],
                        data["url"],
                        data["scheme"],
                        data["host"],
                        data["via"],
                        where,
                        anchor,
                        block,
                        related,
                    )
                )
            elif item.kind == "tls":
                model.tls.append(TlsFact(data["tls"], data["api"], where, anchor, block))
        key = lambda f: (f.location.start_line, f.location.start_col)  # noqa: E731
        model.sinks.sort(key=key)
        model.hashes.sort(key=key)
        model.endpoints.sort(key=key)
        model.tls.sort(key=key)
        return model


def _mixture(values: list[Val]) -> Val:
    """Several things sent together (json= and files=, a message and its attachments)."""
    return values[0] if len(values) == 1 else Seq(tuple(values))


def join_all(values: Iterable[Val]) -> Val:
    result: Val = UNKNOWN
    for value in values:
        if value is not None:
            result = join(result, value)
    return result


_BUILTINS = {
    "open", "print", "hash", "round", "str", "list", "tuple", "set", "sorted", "dict", "iter",
    "reversed", "repr", "format", "next", "frozenset", "bytes", "enumerate", "zip", "filter",
    "map", "int", "float", "len", "sum", "min", "max", "abs", "any", "all", "isinstance",
}  # fmt: skip


def analyse_module(module: cst.Module, path: str, policy: Any, text: str = "") -> PythonModel:
    analyzer = Analyzer(module, path, policy, text)
    analyzer.run()
    return analyzer.model()
