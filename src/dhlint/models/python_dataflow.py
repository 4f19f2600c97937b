"""Intra-procedural data flow for Python ETL code, over the stdlib ``ast`` tree.

An abstract interpreter: statements run in order over an environment of abstract values
(``python_values``). The module body runs first (imports, constants, helpers), then every
function (and method) as an entry point with unknown parameters. Calls to local helpers are
followed (inlined, depth-limited) with the argument values bound, so a column that goes through
``def pseudonymise(v): return hmac.new(...)`` is seen as keyed. Branches are joined (a column
dropped on one branch only may still be exported). Loops run once.

What calls on libraries mean (pandas, PySpark, polars, DB-API, HTTP, storage, logging,
Airflow) lives in ``python_libraries``. Only facts are recorded; positions are resolved at the
end (``frontends.python_ast.Places``), only for the nodes facts place. Nothing is imported,
executed or evaluated.

The tree is the one the pre-filter built, of the whole module (the analysis of a module is
bounded by a budget of work, ``MAX_STEPS``, and its values by ``python_values``). Findings are
placed and worded as when the analysis ran on libcst: where ``ast`` has no node (a parameter
with its default, a decorator, a call's argument in source order, a literal of an implicit
concatenation, an f-string's replacement field) ``python_ast`` makes one.
Node classes are tested with ``type(node) is ast.X``: cheaper than ``isinstance``, and no
class the parser builds has a subclass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from dhlint.frontends.python import CHILD_FIELDS, CLIENT_ADDRESS, DSN_TLS_OFF, dsn_tls_off, walk
from dhlint.frontends.python_ast import (
    Arg,
    FString,
    Literal,
    Param,
    Places,
    call_args,
    decorators,
    params,
    parse_expression,
    string_value,
)
from dhlint.identifiers import confidence_of, names_a_person_alone
from dhlint.models.python import (
    ColumnFact,
    EndpointFact,
    EnvReadFact,
    HashFact,
    PythonModel,
    ReadFact,
    SinkFact,
    TlsFact,
)
from dhlint.models.python_libraries import _DB_MODULES, _DB_WRITERS, _FILE_WRITERS, LibraryCalls
from dhlint.models.python_values import (
    AGGREGATE,
    KEYED,
    RAW,
    UNKNOWN,
    Col,
    DocumentSource,
    Frame,
    Func,
    ModelSource,
    Num,
    Obj,
    OverBudget,
    QuerySource,
    RecordSource,
    Ref,
    Seq,
    Series,
    Source,
    Step,
    Str,
    Unknown,
    Val,
    alternatives,
    cols_of,
    env_of,
    functions_of,
    join,
    join_all,
    merge_cols,
    reshaped,
    setting_values,
)
from dhlint.types import Location, Related

MAX_INLINE_DEPTH = 4
INLINE_BUDGET = 64  # helper calls followed with data, per entry point
# Statements run and calls followed in the analysis of one module, all its runs together (the
# module body, every entry point, the calls followed, the runs again, the run in a better
# order): past it the analysis stops and the file is reported as not fully checked
# (``python_values.OverBudget``), whatever the file. The budgets above bound each entry point,
# not their sum: state that outlives a call (attributes of self, files) makes entry points run
# again. Ordinary code stays far under it: the largest of bench/corpus/python, the stdlib and
# site-packages is numpy's f2py/crackfortran.py, 55,814 (2.7 s); stdlib _pydecimal.py runs
# 28,780 once its values are bounded (``python_values.WIDE``).
MAX_STEPS = 500_000
_DEFAULTS = ("env-default", "settings-default")  # vias of a text the environment may replace
_ROUNDS = 3  # runs again of the entry points whose state changed after they read it
Env = dict[str, Val]
# In a function's scope: a name it declares ``global`` (its value is the module's).
_GLOBAL = Unknown("<global>")
# A DB-API module's connection and cursor classes (psycopg.Connection, sqlite3.Cursor...).
_DB_CLASSES = frozenset(
    ("Connection", "connection", "Cursor", "cursor", "AsyncConnection", "AsyncCursor")
)
# Decorators that make a method something else than a function of self.
_PROPERTY = ("property", "cached_property")
# Statements whose parts may or may not run (``try``/``except*`` is not analysed).
_BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.Match)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_WITH = (ast.With, ast.AsyncWith)
# Blocks whose defs ``Analyzer._functions`` finds (their first body only).
_NESTING = (ast.If, ast.With, ast.AsyncWith, ast.Try, ast.For, ast.AsyncFor, ast.While)
# Compound statements; the others are "small" (they may share a line: ``a = 1; b = 2``).
_COMPOUND = frozenset(
    (*_BRANCHES, *_DEFS, *_WITH, ast.ClassDef, *(getattr(ast, "TryStar", ast.Try),))
)

# Frame attributes that are not columns, accessors that keep the frame, and builtins.
_FRAME_SCALAR_ATTRS = {
    "shape", "size", "empty", "columns", "dtypes", "ndim", "index", "schema", "height",
    "width", "rdd", "dtype", "name", "count", "is_empty", "attrs", "flags", "axes",
}  # fmt: skip
_ACCESSORS = {
    "loc", "iloc", "at", "iat", "str", "dt", "cat", "arr", "list", "struct", "T", "na", "values",
    "array",
}  # fmt: skip
# DSN_TLS_OFF's groups -> the TLS fact each is
_DSN_TLS_KINDS = {
    "sslmode": "sslmode-disable",
    "encrypt": "encrypt-off",
    "trust": "trust-server-certificate",
}
# Keyword arguments that carry the payload, credentials or settings, not where data goes.
_PAYLOAD_KWARGS = {
    "json", "data", "files", "params", "content", "headers", "auth", "cookies", "Body", "body",
    "Fileobj", "Filename", "filename", "string_data", "bytes_data", "file_obj", "ExtraArgs",
    "region_name", "aws_access_key_id", "aws_secret_access_key", "aws_session_token",
    "profile_name", "config", "timeout", "verify", "cert", "proxies", "project", "credentials",
    "credential", "api_key", "token", "password", "user", "username", "port", "Key", "key",
    "ContentType", "ACL", "sep", "encoding", "compression", "storage_options", "mode",
}  # fmt: skip
# Clients' sends whose positional argument at this index is what is sent: the local file an
# SFTP or FTP upload reads, a mail's message (its path or text is not where the data goes).
_SENT_ARGUMENT = {
    ("sftp", "put"): 0, ("sftp", "putfo"): 0, ("ftp", "storbinary"): 1, ("ftp", "storlines"): 1,
    ("smtp", "sendmail"): 2, ("smtp", "send_message"): 0,
}  # fmt: skip
# Object-storage reads: client method -> (positional index of the bucket, keyword of it).
_STORAGE_READS = {
    "get_object": (None, "Bucket"),
    "download_file": (0, "Bucket"),
    "download_fileobj": (0, "Bucket"),
    "download_to_filename": (None, None),
    "download_to_file": (None, None),
    "download_as_bytes": (None, None),
    "download_as_string": (None, None),
    "download_as_text": (None, None),
    "download_blob": (None, None),
    "read_key": (1, "bucket_name"),
    "download": (None, None),
}
# Methods of a bucket / container object that give a handle on one object in it.
_OBJECT_HANDLES = {"blob", "Blob", "Object", "get_blob_client", "get_blob"}
# Calls that read a table from a path or URI (pandas, polars, Spark, Dask...).
_FRAME_READS = {
    "read_csv", "read_parquet", "read_json", "read_excel", "read_feather", "read_orc",
    "read_table", "read_ndjson", "read_ipc", "read_avro", "scan_csv", "scan_parquet",
    "scan_ndjson", "scan_ipc", "csv", "parquet", "json", "orc", "avro", "load", "text",
}  # fmt: skip
_STORAGE_SCHEMES = ("s3", "s3a", "s3n", "gs", "gcs", "abfs", "abfss", "wasb", "wasbs", "az")


# ---------------------------------------------------------------------------- facts in flight
class _Pending:
    """A fact whose nodes still need positions."""

    __slots__ = ("anchor", "data", "kind", "node", "stmt")

    def __init__(self, kind: str, node: Any, stmt: Any, anchor: str, data: dict):
        self.kind, self.node, self.stmt, self.anchor, self.data = kind, node, stmt, anchor, data


class _Summary:
    """What a run of a helper called with no data (or of an entry point) gave, and which
    state that outlives a call it read (files, attributes of self, XComs, buffers, cursors'
    rows), as the state stood when the run ended (``stamp``). For an entry point, also when
    it first read each (``reads``): a write later in its own run makes it stale too."""

    __slots__ = ("deps", "reads", "result", "stamp")

    def __init__(self, stamp: int, deps: frozenset, result: Val, reads: dict | None = None) -> None:
        self.stamp, self.deps, self.result, self.reads = stamp, deps, result, reads


def _records_only(value: Seq) -> bool:
    """Whether a joined value holds only instances of the module's classes (nested joins)."""
    return bool(value.items) and all(
        (isinstance(i, Obj) and i.kind == "instance") or (isinstance(i, Seq) and _records_only(i))
        for i in value.items
    )


def _both_spellings(names: Iterable[str]) -> frozenset[str]:
    """The policy's protective functions, each in British and American spelling of its last
    part too: a policy that lists ``pseudonymize`` accepts ``pseudonymise`` (``tokenise``,
    ``anonymise``, ``tokenise_plate``); the policy's own clause says "pseudonymisation"."""
    out = set(names)
    for name in names:
        head, dot, last = name.rpartition(".")
        out.add(head + dot + last.replace("ize", "ise"))
        out.add(head + dot + last.replace("ise", "ize"))
    return frozenset(out)


class Analyzer(LibraryCalls):
    def __init__(self, module: ast.Module, path: str, policy: Any, text: str) -> None:
        self.module = module
        self.text = text
        self.places = Places(text)
        self.one_line: dict[int, bool] = {}  # see ``_one_line``
        self.path = path
        listed = policy.settings.get("protective_functions", [])
        self.protective = frozenset(listed)  # a function of the module: as the policy writes it
        self.protective_any = _both_spellings(listed)  # a library's: in either spelling
        self.confidence = confidence_of(policy)  # a name's, as an identifier's (or None)
        self.policy = policy
        self.pending: dict[tuple[str, int], _Pending] = {}
        self.imports: dict[str, str] = {}
        self.module_env: Env = {}
        self.stmt: Any = module  # the statement being analysed (a fact's scope)
        # The statement being run (a lambda's or a one-line def's body: the one it is written
        # in, ``Func.top``), and that of every string node seen: ``_messages`` tells a string
        # written in the call that logs it from one made elsewhere.
        self.top: Any = module
        self.node_top: dict[int, Any] = {}
        self.line_groups: dict[int, tuple[int, int]] | None = None  # see ``_line_group``
        self.func_name = "<module>"
        self.depth = 0
        self.active: set[int] = set()
        self.files: dict[str, Val] = {}  # path written -> what was written there
        self.named_frames: dict[str, Frame] = {}  # cursor name -> rows of its last SELECT
        # helper -> its call that passes no data. ``state`` counts changes to the state that
        # outlives a call; ``written`` has when each piece of it last changed.
        self.summaries: dict[tuple, _Summary] = {}
        self.state = 0
        self.written: dict[tuple[str, Any], int] = {}
        self.reading: list[set[tuple[str, Any]]] = []  # what the runs under way read
        self.watched: set[tuple[str, Any]] = set()  # read by some run so far
        # The state the entry point that runs read, with when it first read each piece.
        self.first_read: dict[tuple[str, Any], int] = {}
        self.wrote: set[tuple[str, Any]] = set()  # changed by the entry point that runs
        self.budget = INLINE_BUDGET
        self.refresh_budget = INLINE_BUDGET  # summaries followed again, per entry point
        self.steps = 0  # statements run and calls followed, against MAX_STEPS
        self.cls = ""  # the class whose method runs (for self.<attr>)
        self.xcoms: dict[str, Val] = {}  # Airflow XCom key -> value pushed
        # What the module sets in its Flask (Quart) apps' configs: {app: a dict}, an app
        # keyed by where it is made; current_app's (ALL_APPS) is every app's.
        self.app_config: dict[Any, Val] = {}
        self.xcom_used = False
        self.tasks: dict[str, Func] = {}  # Airflow task_id -> python_callable
        self.attrs: dict[tuple[str, str], Val] = {}  # (class, attr) -> value set on self
        self.methods: dict[tuple[str, str], Func] = {}
        self.bases: dict[str, list[str]] = {}  # class -> the classes of this module it extends
        self.fields: dict[str, tuple[str, ...]] = {}  # a dataclass (or like) -> its fields
        # A SQLAlchemy model (or mixin) of the module -> its columns (``_orm_columns``)
        self.orm_models: dict[str, frozenset[str]] = {}
        self.field_types: dict[str, dict[str, ast.expr]] = {}  # ... and annotations
        self.settings_classes: set[str] = set()  # pydantic-settings' BaseSettings subclasses
        self.class_names: dict[str, tuple[str, ...]] = {}  # a module-level class -> its constants
        self.dict_records: set[str] = set()  # TypedDicts: an instance is a plain dict
        # Fields not in the instance as printed (field(repr=False)) and not in what asdict()
        # or model_dump() give (Field(exclude=True)); a SecretStr in neither.
        self.hidden_fields: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        # pydantic's validators: field -> the method whose result the field holds
        self.validators: dict[str, dict[str, ast.FunctionDef]] = {}
        self.method_class: dict[int, str] = {}  # a method's def (id) -> its class
        self.method_names: dict[int, str] = {}  # ... and its name
        self.instances: dict[tuple[str, int], list[str]] = {}  # see ``_instances_here``
        # The self attributes the entry point running set, with what they held before it.
        self.run_attrs: dict[tuple[str, str], Val] | None = None
        self.run_values: dict[tuple[str, str], Val] = {}  # ... and what it set them to
        self.branching = 0  # inside an if, a loop, a try or a match
        self.subclasses: dict[str, list[str]] = {}  # class -> its subclasses in the module
        self.mros: dict[str, list[str]] = {}
        self.running: list[int] = []  # the defs (ids) running: an entry point, inlined calls
        self.env_reads: dict[tuple[str, int], tuple[str, Any, str | None]] = {}
        self.call_envs: dict[int, tuple[str, ...]] = {}  # call node -> variables it uses
        self.closures: list[Env] = []  # the scopes closures were made in (see ``release``)
        self.copies: list[tuple[Env, Env]] = []  # (scope, its copy) of branches under way
        self.keyed_loops: dict[int, bool] = {}  # a for statement (id) -> see ``_keyed_by``
        self.raised: list[list[Val]] = []  # what the bodies of the try statements under way raise
        self.static_wrappers: set[int] = set()  # wrappers in place of static methods (ids)
        self.request_sources: dict[tuple[int, str], Source] = {}  # see ``request_data``
        self.sockets = _socket_addresses(module, text)  # see ``_ADDRESS_NAMES``
        self.tree = module
        self._counters: dict[int, set[str]] | None = None  # see ``counters``
        self._tested: set[int] | None = None  # see ``tested``

    # ------------------------------------------------------------------ driver
    def run(self, order: list[int] | None = None) -> list[int] | None:
        """Analyse the module, its functions taken as entry points in ``order`` (indexes in
        source order by default). Gives a better order when a function read state (a file,
        an attribute) that a later one wrote: run again in it, writers come first (this run's
        facts are then incomplete: its stale functions are not run again)."""
        # The classes (bases, record fields, methods) are known before the module's own code
        # runs: a script's ``if __name__ == "__main__": Export(df).run()`` or module-level
        # ``settings = Settings()`` uses them. Methods are decorated once all names are bound.
        functions = list(self._functions(self.module.body, "", ""))
        self._register_methods(functions, decorate=False)
        for cls in self.bases:
            for base in self._mro(cls)[1:]:
                self.subclasses.setdefault(base, []).append(cls)
        for stmt in self.module.body:
            self.exec_stmt(stmt, self.module_env)
        # A decorator is defined before its use in a module that runs, but facts must not
        # depend on the order functions are written in: decorate once all names are bound.
        for name, value in list(self.module_env.items()):
            if isinstance(value, Func) and value.name == name and _decorators_of(value.node):
                self.module_env[name] = self._decorated(value, self.module_env)
        self._register_methods(functions, decorate=True)
        # An entry point runs again when state it read changed after it read it, later in its
        # own run or in a later entry point's: an attribute of self, a file, a module-level
        # object (``_stale``). Airflow tasks that exchange data through XCom all run twice (a
        # pull may come first).
        entries = [functions[i] for i in order] if order else functions
        read: list[_Summary] = []
        wrote: list[set[tuple[str, Any]]] = []
        for func, prefix, cls in entries:
            self.wrote = set()
            read.append(self._run_function(func, prefix, cls))
            wrote.append(self.wrote)
        self.wrote = set()
        stale = [self._stale(summary) for summary in read]
        better = _writers_first(read, wrote, stale) if order is None and any(stale) else None
        if better is not None:
            return better  # its facts are thrown away (``analyse_module``): no rounds for them
        again, latest = [self.xcom_used or late for late in stale], list(read)
        # What a run changes may make another stale (a reads what b sets from what c sets):
        # again, a few rounds at most.
        for _round in range(_ROUNDS):
            if not any(again):
                break
            for index, (func, prefix, cls) in enumerate(entries):
                if again[index]:
                    latest[index] = self._run_function(func, prefix, cls)
            again = [self._stale(summary) for summary in latest]
        self.cls = ""
        self.top = self.stmt = self.module
        return None

    def _register_methods(self, functions: list[tuple], decorate: bool) -> None:
        for func, _prefix, cls in functions:
            if cls:
                method = Func(func, None, func.name, func)
                wrapped = not _decorated_with(func, "classmethod", *_PROPERTY)
                if decorate and func.decorator_list and wrapped:
                    method = self._decorated(method, self.module_env)  # the wrapper runs
                    if method.node is not func and _decorated_with(func, "staticmethod"):
                        self.static_wrappers.add(id(method))  # @staticmethod over @logged
                self.methods[(cls, func.name)] = method
                self.method_class[id(func)] = cls
                self.method_names[id(func)] = func.name

    def _run_function(self, func: ast.FunctionDef, prefix: str, cls: str) -> _Summary:
        """Run a function as an entry point; what it read of the state that outlives a call."""
        env: Env = {}
        # Its parameters' statement is the def; each statement of its body is its own.
        self.top = self.stmt = func
        self.cls = cls
        self.budget = self.refresh_budget = INLINE_BUDGET
        deps: set[tuple[str, Any]] = set()
        self.reading.append(deps)
        self.running.append(id(func))
        self.run_attrs, self.run_values = {}, {}
        self.first_read = {}
        if self.files:  # what another run wrote under a path it could not name is not read
            for path in [p for p in self.files if anonymous_path(p)]:
                del self.files[path]
        try:
            with self._in_function(f"{prefix}{func.name}"):
                self._bind_params(func, env, [], {}, entry=True)
                self._suite(func.body, env)
                wrapper = self._wrapper(func, prefix, cls)
                if wrapper is not None:  # what its callers run: the wrapper (see ``_decorated``)
                    static = not cls or _decorated_with(func, "staticmethod")
                    self.call_func(wrapper, [] if static else [Unknown("self")], {}, func)
        finally:
            self.reading.pop()
            self.running.pop()
            self.run_attrs, self.run_values = None, {}
        return _Summary(self.state, frozenset(deps), UNKNOWN, self.first_read)

    def _wrapper(self, func: ast.FunctionDef, prefix: str, cls: str) -> Func | None:
        """The wrapper that a decorator written in the module put in place of a module-level
        function or a method, if any."""
        if not func.decorator_list or (prefix and not cls):
            return None
        name = func.name
        value = self.methods.get((cls, name)) if cls else self.module_env.get(name)
        return value if isinstance(value, Func) and value.node is not func else None

    def _stale(self, summary: _Summary) -> bool:
        """Whether state the summary's run read has changed since (in a way that matters)."""
        stamp, written = summary.stamp, self.written
        if summary.reads is not None:  # an entry point: read, then changed later in its run too
            return any(written.get(d, 0) > when for d, when in summary.reads.items())
        return stamp != self.state and any(written.get(d, 0) > stamp for d in summary.deps)

    def _functions(self, body: Sequence[ast.stmt], prefix: str, cls: str) -> Iterable[tuple]:
        """(function, name prefix, enclosing class) for every def, nested ones included."""
        for stmt in body:
            if type(stmt) in _DEFS:
                yield stmt, prefix, cls
                yield from self._functions(stmt.body, f"{prefix}{stmt.name}.", cls)
            elif type(stmt) is ast.ClassDef:
                name = f"{prefix}{stmt.name}"
                bases = _bases(stmt)
                self.bases[name] = [n for n in map(_base_name, bases) if n]
                columns = _orm_columns(stmt.body)
                if columns is not None:
                    self.orm_models[name] = columns
                if any(_last_name(base) == "BaseSettings" for base in bases):
                    self.settings_classes.add(name)
                if self._one_line(stmt.body):
                    continue  # class Config: URL = "...": constants only
                if _record_class(stmt):
                    self.field_types[name] = _field_names(stmt.body)
                    self.fields[name] = tuple(self.field_types[name])
                    shown, dumped = _hidden_fields(stmt.body)
                    if shown or dumped:
                        self.hidden_fields[name] = (shown, dumped)
                    checks = _validators(stmt.body)
                    if checks:
                        self.validators[name] = checks
                    if any(_last_name(base) == "TypedDict" for base in bases):
                        self.dict_records.add(name)
                yield from self._functions(stmt.body, f"{name}.", name)
            elif type(stmt) in _NESTING:
                yield from self._functions(stmt.body, prefix, cls)

    def _one_line(self, body: Sequence[ast.stmt]) -> bool:
        """Whether a block is written on its header's line (``if x: y = 1``, libcst's
        ``SimpleStatementSuite``): its statements have no line of their own."""
        first = body[0]
        found = self.one_line.get(id(first))
        if found is None:
            places = self.places
            start = places.offset(first.lineno, first.col_offset)
            line_start = places.starts[first.lineno - 1]
            found = places.text[line_start:start].rstrip().endswith(":")
            self.one_line[id(first)] = found
        return found

    @contextmanager
    def _in_function(self, name: str):
        saved = self.func_name
        self.func_name = name
        try:
            yield
        finally:
            self.func_name = saved

    def release(self) -> None:
        """Empty the scopes closures were made in. A nested def's or a lambda's ``Func`` sits
        in the scope it closes over: a reference cycle that would keep the scope's values and
        their parse nodes alive until the cyclic collector's next pass."""
        for env in self.closures:
            env.clear()
        self.closures.clear()

    # ------------------------------------------------------------------ names
    def lookup(self, name: str, env: Env) -> Val:
        if name in env:
            value = env[name]
            if value is not _GLOBAL:
                return self._constant(value) if env is self.module_env else value
        if name in self.module_env:
            if env is not self.module_env:
                self.read_state("global", name)  # a function may change it (see ``rebind``)
            return self._constant(self.module_env[name])
        if name in self.imports:
            return Ref(self.imports[name])
        if name in ("None", "True", "False"):
            return Num(None if name == "None" else name == "True")
        if name in _BUILTINS:
            return Ref(f"builtins.{name}")
        return Unknown(name)

    def rebind(self, name: str, value: Val, env: Env, declared_only: bool = False) -> None:
        """Set a variable where it lives. In a function, a module-level name the function has
        not bound is the module's (``ROWS.append(r)``, ``CACHE[k] = v``), and so is one it
        declares ``global``; with ``declared_only`` (a plain assignment), only the latter.
        Functions that read the module's value before it changed run again (``write_state``)."""
        current = env.get(name)
        if current is _GLOBAL or (
            current is None
            and not declared_only
            and env is not self.module_env
            and name in self.module_env
        ):
            self.write_state("global", self.module_env, name, value)
        else:
            env[name] = value

    @staticmethod
    def _constant(value: Val, via: str = "constant") -> Val:
        """A string read through a module constant (or, with ``via="class-constant"``, a class
        constant; ``"settings-default"``, a settings field's default) says so (for the
        message)."""
        if isinstance(value, Str) and value.via == "literal":
            alts = tuple(replace(a, via=via) if a.via == "literal" else a for a in value.alts)
            return replace(value, via=via, env=(), alts=alts)
        return value

    # ------------------------------------------------------------------ statements
    def exec_block(self, body: Sequence[ast.stmt], env: Env) -> list[Val]:
        returns: list[Val] = []
        for stmt in body:
            returns.extend(self.exec_stmt(stmt, env))
        return returns

    def _suite(self, body: Sequence[ast.stmt], env: Env) -> list[Val]:
        one_line = self.one_line.get(id(body[0]))
        if one_line is None:
            one_line = self._one_line(body)
        if one_line:
            # The one-line body of a def, if, for, with... (``def show(row): log.info(...)``):
            # its statements have no line of their own, their facts are the owner's.
            out: list[Val] = []
            for small in body:
                out.extend(self.exec_small(small, env))
            return out
        return self.exec_block(body, env)

    def exec_stmt(self, stmt: ast.stmt, env: Env) -> list[Val]:
        saved_top, saved_stmt = self.top, self.stmt
        self.top = self.stmt = stmt
        try:
            if type(stmt) in _COMPOUND:
                return self._compound(stmt, env)
            return self.exec_small(stmt, env)
        finally:
            self.top, self.stmt = saved_top, saved_stmt

    def _compound(self, stmt: Any, env: Env) -> list[Val]:
        if type(stmt) in _DEFS:
            closure = env if env is not self.module_env else None
            func = Func(stmt, closure, stmt.name, self.top)
            # Module-level functions are decorated once all of the module is bound (``run``).
            nested = stmt.decorator_list and closure is not None
            env[stmt.name] = self._decorated(func, env) if nested else func
            if closure is not None:
                self.closures.append(closure)
            return []
        if type(stmt) is ast.ClassDef:
            cls = stmt.name
            # A class defined in a function is known by its qualified name (main.Exporter).
            qualified = f"{self.func_name}.{cls}" if env is not self.module_env else cls
            env[cls] = Unknown(qualified if qualified in self.bases else cls)
            if env is self.module_env:
                # Class-level constants (URL = "https://...") are read as self.URL.
                class_env: Env = {}
                if self._one_line(stmt.body):
                    self._suite(stmt.body, class_env)
                else:
                    for line in stmt.body:
                        if type(line) not in _COMPOUND:
                            self.exec_stmt(line, class_env)
                # A pydantic-settings field's default is used only when the environment
                # (or a .env file) does not set the field: not a constant.
                settings = any(c in self.settings_classes for c in self._mro(cls))
                via = "settings-default" if settings else "class-constant"
                self.class_names[cls] = tuple(class_env)
                for name, value in class_env.items():
                    key = (stmt.name, name)
                    constant = self._constant(value, via)
                    self.write_state("attr", self.attrs, key, constant, merge=False)
            return []
        if type(stmt) in _BRANCHES:
            self.branching += 1
            try:
                return self._branches(stmt, env)
            finally:
                self.branching -= 1
        if type(stmt) in _WITH:
            for item in stmt.items:
                value = self.eval(item.context_expr, env)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value, env)
            return self._suite(stmt.body, env)
        return []

    def _branches(self, stmt: Any, env: Env) -> list[Val]:
        """A statement whose parts may or may not run: each on its own copy of ``env``."""
        if type(stmt) is ast.If:
            self.eval(stmt.test, env)
            branch = dict(env)
            out = self._on_copy(stmt.body, branch, env)
            other = dict(env)  # after: the body may write into env itself (a global)
            if stmt.orelse:
                # elif: a statement of its own; else: a suite
                out += self._on_copy(stmt.orelse, other, env)
            self._merge_into(env, branch, other)
            return out
        if type(stmt) in (ast.For, ast.AsyncFor, ast.While):
            if type(stmt) is not ast.While:
                iterated = self.eval(stmt.iter, env)
                names = _names_to_unroll(iterated)
                if names and type(stmt.target) is ast.Name:
                    keyed = self.keyed_loops.get(id(stmt))
                    if keyed is None:
                        keyed = self.keyed_loops[id(stmt)] = _keyed_by(stmt, stmt.target.id)
                    if keyed:
                        return self._unrolled(stmt, names, env)
                self.assign(stmt.target, self.iterate(iterated), env)
            else:
                self.eval(stmt.test, env)
            branch = dict(env)
            out = self._on_copy(stmt.body, branch, env)
            if _gained_data(env, branch):
                # A value the body reads before it sets it is, from the second time round,
                # what the first set: ``last = None; for r in rows: log(last); last = r[...]``.
                again = dict(branch)
                out += self._on_copy(stmt.body, again, env)
                self._merge_into(branch, again, branch)
            if stmt.orelse:
                out += self._on_copy(stmt.orelse, branch, env)
            self._merge_into(env, branch, env)
            return out
        if type(stmt) is ast.Try:
            self.raised.append([])
            try:
                out = self._suite(stmt.body, env)
            finally:
                raised = self.raised.pop()
            for handler in stmt.handlers:
                branch = dict(env)
                if handler.name is not None:  # except ValueError as exc: what was raised
                    self.rebind(handler.name, join_all(raised), branch, declared_only=True)
                out += self._on_copy(handler.body, branch, env)
                self._merge_into(env, branch, env)
            if stmt.orelse:
                out += self._suite(stmt.orelse, env)
            if stmt.finalbody:
                out += self._suite(stmt.finalbody, env)
            return out
        if type(stmt) is ast.Match:
            self.eval(stmt.subject, env)
            out = []
            for case in stmt.cases:
                branch = dict(env)
                out += self._on_copy(case.body, branch, env)
                self._merge_into(env, branch, env)
            return out
        return []

    def _unrolled(self, stmt: ast.For, names: tuple[Str, ...], env: Env) -> list[Val]:
        """``for col in ("lat", "lon"): df[col] = df[col].round(3)``: a few known strings,
        each in turn (the body runs for every one of them, so what it does to one column is
        done, not maybe done)."""
        out: list[Val] = []
        for name in names:
            self.assign(stmt.target, name, env)
            out += self._suite(stmt.body, env)
        if stmt.orelse:
            out += self._suite(stmt.orelse, env)
        return out

    def _on_copy(self, part: Sequence[ast.stmt], branch: Env, env: Env) -> list[Val]:
        """Run a suite (or an ``elif``) on ``branch``, a copy of ``env``. Meanwhile, a closure
        made in ``env``'s scope reads ``branch``, as the scope is then (``_closure_env``)."""
        root = next((r for r, b in reversed(self.copies) if b is env), env)
        self.copies.append((root, branch))
        try:
            return self._suite(part, branch)
        finally:
            self.copies.pop()

    def _closure_env(self, func: Func) -> Env | None:
        """The scope a nested function reads, as it is now: its own, or the copy of it that a
        branch or a loop's body under way runs on."""
        scope = func.env
        if scope is not None:
            for root, branch in reversed(self.copies):
                if root is scope:
                    return branch
        return scope

    @staticmethod
    def _merge_into(env: Env, a: Env, b: Env) -> None:
        for name, value in a.items():
            other = b.get(name, value)  # most names: the same value on both paths
            env[name] = value if other is value else join(value, other)
        for name, value in b.items():
            if name not in a:
                env[name] = value

    def exec_small(self, small: Any, env: Env) -> list[Val]:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise OverBudget(f"{MAX_STEPS:,} statements run and calls followed")
        kind = type(small)
        if kind is ast.Import:
            for alias in small.names:
                dotted = alias.name
                if alias.asname is not None:
                    self.imports[alias.asname] = dotted
                else:
                    top = dotted.split(".", 1)[0]
                    self.imports[top] = top
            return []
        if kind is ast.ImportFrom:
            if small.module is None or small.names[0].name == "*":
                return []
            base = small.module
            for alias in small.names:
                name = alias.name
                local = alias.asname if alias.asname else name
                self.imports[local] = f"{base}.{name}"
            return []
        if kind is ast.Assign:
            value = self.eval(small.value, env)
            for target in small.targets:
                self.assign(target, value, env)
                if type(target) is ast.Subscript:
                    self._blanked_cells(target, small.value, env)
            return []
        if kind is ast.AnnAssign:
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, env), env)
            return []
        if kind is ast.AugAssign:
            value = self.eval(small.value, env)
            if type(small.target) is ast.Name:
                current = self.lookup(small.target.id, env)
                new = self._binop(current, value, small.op, small)
                self.rebind(small.target.id, new, env, declared_only=True)
            elif type(small.target) is ast.Subscript:  # counts[row["email"]] += 1
                current = self.eval(small.target, env)
                self.assign(small.target, self._binop(current, value, small.op, small), env)
            return []
        if kind is ast.Global and env is not self.module_env:
            for name in small.names:
                env[name] = _GLOBAL
            return []
        if kind is ast.Expr:
            value = small.value
            if self._string_only(value):
                return []  # a docstring, or a string standing alone: it connects to nothing
            if type(value) in (ast.Yield, ast.YieldFrom):  # a generator's items are what it returns
                return [self.eval(value.value, env)]
            self._expr_stmt(value, env)
            return []
        if kind is ast.Delete:
            for target in small.targets:
                self._delete(target, env)
            return []
        if kind is ast.Return:
            return [self.eval(small.value, env) if small.value is not None else UNKNOWN]
        if kind is ast.Raise and small.exc is not None and self.raised:
            # Caught, maybe, by the innermost try under way (``_branches``); outside any, the
            # exception is not read (an uncaught one's message goes to stderr, not a log).
            self.raised[-1].append(self.eval(small.exc, env))
        return []

    @staticmethod
    def _string_only(value: ast.expr) -> bool:
        """A string literal, an f-string or an implicit concatenation of them (libcst's
        ``SimpleString``, ``FormattedString``, ``ConcatenatedString``)."""
        if type(value) is ast.Constant:
            return isinstance(value.value, (str, bytes))
        return type(value) is ast.JoinedStr

    def _delete(self, target: ast.expr, env: Env) -> None:
        """``del df["email"]`` / ``del row["phone"]`` remove a column."""
        if type(target) in (ast.Tuple, ast.List):
            for element in target.elts:
                self._delete(_element(element), env)
            return
        if type(target) is ast.Subscript and type(target.value) is ast.Name:
            base = self.lookup(target.value.id, env)
            names = self._names([self._subscript_key(target, env)])
            if isinstance(base, Frame) and names:
                env[target.value.id] = base.without(names)

    def _expr_stmt(self, expr: ast.expr, env: Env) -> None:
        if type(expr) is ast.Call and self._config_update(expr, env):
            return
        value = self.eval(expr, env)
        # In-place mutation of a collection: rows.append(row), self.rows.append(row)...
        if (
            type(expr) is ast.Call
            and type(expr.func) is ast.Attribute
            and expr.func.attr in ("append", "extend", "update", "add", "insert", "put")
            and call_args(expr)
            and (container := self._container(expr.func.value, env))
        ):
            current, store = container
            arg = self.eval(call_args(expr)[-1].value, env)
            if expr.func.attr == "extend":
                arg = self.iterate(arg)
            if isinstance(current, (Frame, Seq, Obj)) or cols_of(arg):
                if isinstance(current, Obj):
                    if current.kind != "hasher":  # h.update(v) holds v's digest (the call)
                        self.add_payload(current, arg)
                elif (
                    expr.func.attr == "append"
                    and isinstance(current, Seq)
                    and isinstance(arg, Str)
                    and _column_names(current) is not None
                    and _column_names(arg) is not None
                ):
                    # A list of column names grown by name (cols.append("email")): still one,
                    # for df[cols]. Each name once, so branches that meet do not grow it.
                    if arg.text not in {item.text for item in current.items}:  # type: ignore[attr-defined]
                        store(Seq((*current.items, arg)))
                elif (
                    expr.func.attr in ("append", "extend")
                    and isinstance(current, Seq)
                    and isinstance(arg, (Series, Str))
                    and cols_of(arg)
                ):
                    # A value at the end, where pending[0] or pending[-1] reads it back (a
                    # join would mix the list and the value; records join into a table).
                    if arg not in current.items:
                        store(Seq((*current.items, arg)))
                else:
                    store(join(current, arg) if not isinstance(current, Unknown) else arg)
        elif type(expr) is ast.Call and type(expr.func) is ast.Attribute and call_args(expr):
            self._item_write(expr, value, env)
        del value

    def _item_write(self, expr: ast.Call, value: Val, env: Env) -> None:
        """A write into an item of a dict: ``groups[ward].append(email)``,
        ``by.setdefault(email, []).append(trips)``, ``by.setdefault(email, trips)``. The
        dict holds what is written, under the key (see ``_store_item``)."""
        method, receiver = expr.func.attr, expr.func.value  # type: ignore[attr-defined]
        written: ast.expr | None = None
        if method in ("append", "extend", "add", "update", "insert"):
            written = call_args(expr)[-1].value
            if type(receiver) is ast.Subscript and len(self._slices(receiver)) == 1:
                slot = receiver.value
                key = self._subscript_key(receiver, env)
            elif _is_setdefault(receiver):
                slot = receiver.func.value  # type: ignore[attr-defined]
                key = self.eval(call_args(receiver)[0].value, env)  # type: ignore[attr-defined]
            else:
                return
        elif method == "setdefault" and len(call_args(expr)) == 2:
            slot, key = receiver, self.eval(call_args(expr)[0].value, env)
            written = call_args(expr)[1].value
        else:
            return
        container = self._container(slot, env)
        if container is None or not isinstance(container[0], Frame):
            return
        item = self.eval(written, env)
        if method == "extend":
            item = self.iterate(item)
        current = value if method == "setdefault" else self.eval(receiver, env)
        item = join(current, item) if not isinstance(current, Unknown) else item
        self._store_item(container, key, item, expr)

    def assign(self, target: ast.expr, value: Val, env: Env) -> None:
        if type(target) is ast.Name:
            if target.id == "DATABASES" and env is self.module_env:
                self._django_databases(value, target)  # Django's settings
            self.rebind(target.id, value, env, declared_only=True)
        elif type(target) in (ast.Tuple, ast.List):
            elements = [_element(e) for e in target.elts]
            items = value.items if isinstance(value, Seq) else None
            if isinstance(value, Obj) and value.kind == "peer":
                items = (self._peer_host(value, target), UNKNOWN)  # host, port = request.client
            if isinstance(value, Frame) and not value.sources and len(value.cols) == len(elements):
                # A row unpacked by position: for a, b in cursor (SELECT a, b ...).
                items = tuple(Series((col,)) for col in value.cols.values())
            if _all_protected(value):
                # lat, lon = generalise(lat, lon), a protective function of the policy: each
                # is what it protected (which one is which the call does not say)
                items = (value,) * len(elements)
            for i, element in enumerate(elements):
                if items is not None and len(items) == len(elements):
                    self.assign(element, items[i], env)
                elif isinstance(value, Frame) and type(element) is ast.Name:
                    col = value.cols.get(element.id)
                    self.assign(element, Series((col,)) if col else UNKNOWN, env)
                else:
                    self.assign(element, UNKNOWN, env)
        elif type(target) is ast.Subscript and (container := self._container(target.value, env)):
            self._store_item(container, self._subscript_key(target, env), value, target)
        elif type(target) is ast.Attribute:
            owner = target.value.id if type(target.value) is ast.Name else None
            if owner in ("self", "cls") and self.cls:  # cls.latest = v in a classmethod too
                self._set_attribute((self.cls, target.attr), value)
            elif owner in self.bases and getattr(self.lookup(owner, env), "name", "") == owner:
                # Config.URL = v
                self.write_state("attr", self.attrs, (owner, target.attr), value)
            elif (
                owner is not None
                and isinstance(held := self.lookup(owner, env), Obj)
                and held.kind == "instance"
            ):
                # job = Job(); job.df = frame: what its methods read as self.df
                self._set_attribute((held.data["cls"], target.attr), value)
            self._tls_attribute(target, value)
        elif type(target) is ast.Starred:
            self.assign(target.value, value, env)

    def _store_item(
        self, container: tuple[Val, Callable], key: Val, value: Val, target: Any
    ) -> None:
        """``container[key] = value``, ``container`` as ``_container`` gives it."""
        base, store = container
        if isinstance(base, Frame) and isinstance(key, Str) and key.known:
            col = self._as_column(key.text, value, target)
            new = base.with_col(key.text, col)
            if base.entries is not None:  # a dict literal's values: opts["verify"] = False
                new = replace(new, entries={**base.entries, key.text: value})
            store(new)
        elif isinstance(base, Frame) and isinstance(key, Seq):
            names = [k.text for k in key.items if isinstance(k, Str)]
            new = base
            for col_name in names:
                new = new.with_col(col_name, self._as_column(col_name, value, target))
            store(new)
        elif isinstance(base, Frame) and base.lib == "dict":
            # CACHE[row["id"]] = row["phone"]: under a key the analysis cannot name (the
            # key's own columns too: the dict holds them)
            cols = dict(base.cols)
            if self._keep_cols(cols, value, target) | self._keep_cols(cols, key, target):
                store(replace(base, cols=cols, entries=None))
        elif isinstance(base, Obj):
            if not self._addressed(base, key, target):  # msg["To"] = row["email"]
                self.add_payload(base, value)
        elif type(base) is Unknown and base.receiver is None and isinstance(key, Str) and key.known:
            # body = base_payload() (or a parameter); body["email"] = v: a dict that holds v
            # under that key, and what the parameter holds
            sources = (base.source,) if base.source is not None else ()
            store(Frame("dict", {key.text: self._as_column(key.text, value, target)}, sources))

    def _container(self, node: ast.expr, env: Env) -> tuple[Val, Callable] | None:
        """A collection the code writes into, named (``rows``) or an attribute of self or cls
        (``self.rows``): what it holds, and how to store what it holds after the write."""
        if type(node) is ast.Name:
            name = node.id
            return self.lookup(name, env), lambda new: self.rebind(name, new, env)
        if (
            type(node) is ast.Attribute
            and type(node.value) is ast.Name
            and node.value.id in ("self", "cls")
            and self.cls
        ):
            key = (self.cls, node.attr)
            current = self.attribute_of(self.cls, node.attr, node)
            # Not set anywhere yet (or set in a method that runs later): a collection.
            held = current if current is not None else Frame("dict", {})
            return held, lambda new: self._set_attribute(key, new)
        app = self._app_of_config(node, env)
        if app is not None:  # app.config["CRM_URL"] = ...
            last = self._config_top_level(env)  # a later setting replaces an earlier one
            return self.flask_config(app), lambda new: self._set_flask_config(app, new, last)
        return None

    def flask_config(self, app: Any) -> Frame:
        """A Flask app's config (``app.config``; ``current_app.config``, ``ALL_APPS``: any of
        the module's apps): a dict of what the module sets in it, wherever (an app factory,
        the module's top level)."""
        self.read_state("flask-config", app)
        held = self.app_config.get(app)
        return held if isinstance(held, Frame) else Frame("dict", {}, entries={})

    def _set_flask_config(self, app: Any, new: Val, replaces: bool = False) -> None:
        """``new`` is the app's config: joined with what it held, or (``replaces``) in its
        place. ``current_app`` is one of the apps: what it is given, each may hold."""
        if replaces and app != ALL_APPS:
            self.write_state("flask-config", self.app_config, app, new, merge=False)
            anyone: Val = UNKNOWN  # current_app's: any app's, as each now is
            for key, held in self.app_config.items():
                if key != ALL_APPS:
                    anyone = join(anyone, held)
            self.write_state("flask-config", self.app_config, ALL_APPS, anyone, merge=False)
            return
        apps = [k for k in self.app_config if k != ALL_APPS] if app == ALL_APPS else [app]
        for key in dict.fromkeys([*apps, ALL_APPS]):
            self.write_state("flask-config", self.app_config, key, new)

    def _app_of_config(self, node: ast.expr, env: Env) -> Any:
        """The app whose ``config`` ``node`` is (``ALL_APPS`` for ``current_app.config``), or
        None when it is not a Flask (Quart) app's config."""
        if type(node) is not ast.Attribute or node.attr != "config":
            return None
        return _app_key(self.eval(node.value, env))

    def _config_update(self, expr: ast.Call, env: Env) -> bool:
        """``app.config.update(CRM_URL=...)``, ``.from_mapping({...}, KEY=...)``,
        ``.setdefault(KEY, v)``, ``.from_object(Config)``: the config holds those settings (True
        when ``expr`` is one)."""
        func = expr.func
        if type(func) is not ast.Attribute or func.attr not in (
            "update",
            "from_mapping",
            "setdefault",
            "from_object",
        ):
            return False
        app = self._app_of_config(func.value, env)
        if app is None:
            return False
        args, kwargs = self._args(expr, env)
        if func.attr == "from_object":
            # A class of the module (or an instance of one): its upper-case attributes, its
            # bases' too, as Flask reads them. An import path ("pkg.settings") is another file's.
            settings = self._object_settings(args[0]) if len(args) == 1 and not kwargs else None
            if not settings:
                return True
            args, kwargs = [], settings
        if func.attr == "setdefault":
            key = args[0] if args else None
            if not isinstance(key, Str) or not key.known or len(args) != 2:
                return True
            args, kwargs = [], {key.text: args[1]}
        new: Val = self._keywords(kwargs, expr) if kwargs else UNKNOWN
        for arg in args:
            if isinstance(arg, Frame):
                new = join(new, arg) if isinstance(new, Frame) else arg
        if isinstance(new, Frame):
            config = self.flask_config(app)
            if self._config_top_level(env) and new.entries is not None:
                # update(K=v) at the top level replaces K, as an item assignment there does
                merged: Val = config
                for name, col in new.cols.items():
                    merged = merged.with_col(name, col)
                entries = {**(config.entries or {}), **new.entries}
                self._set_flask_config(app, replace(merged, entries=entries), replaces=True)
                return True
            merged = join(config, new)
            if isinstance(merged, Frame) and merged.entries is None:  # a mapping built elsewhere
                merged = replace(merged, entries=dict(config.entries or {}))
            self._set_flask_config(app, merged)
        return True

    def _config_top_level(self, env: Env) -> bool:
        """Whether a Flask config setting here replaces what it held: at the module's top
        level, outside any branch, as Flask's dict does. Elsewhere the order functions run in is
        not known, and every value written may be read."""
        return env is self.module_env and not self.branching and not self.running

    def _object_settings(self, value: Val) -> dict[str, Val] | None:
        """What ``app.config.from_object(value)`` sets, ``value`` a class of the module or an
        instance of one: the upper-case names its class body or a base's sets (Flask reads
        ``dir(obj)``), with their values; None for anything else."""
        if isinstance(value, Obj) and value.kind == "instance":
            cls = value.data["cls"]
        elif isinstance(value, Unknown) and value.name in self.class_names:
            cls = value.name
        else:
            return None
        settings: dict[str, Val] = {}
        for owner in self._mro(cls):
            for name in self.class_names.get(owner, ()):
                if name.isupper() and name not in settings:
                    settings[name] = self._attribute_set(cls, name)[0] or UNKNOWN
        return settings

    def _set_attribute(self, key: tuple[str, str], value: Val) -> None:
        """``self.x = value``: joined with what other runs set. Within one run, an assignment
        outside any branch is what the rest of the run reads, and a later one replaces the
        run's earlier one (``self.df = self.df.drop(columns=["email"])``)."""
        earlier = self.run_attrs
        if earlier is not None:
            # What the rest of this run reads: this value, or, set in a branch, any.
            if self.branching:
                self.run_values.pop(key, None)
            else:
                self.run_values[key] = value
            if key in earlier and not self.branching:
                joined = join(earlier[key], value)
                self.write_state("attr", self.attrs, key, joined, merge=False)
                return
            earlier.setdefault(key, self.attrs.get(key, UNKNOWN))
        self.write_state("attr", self.attrs, key, value)

    def _as_column(self, name: str, value: Val, node: Any) -> Col:
        step = Step(node, f"column '{name}' set")
        cols = cols_of(value)
        if cols:
            return merge_cols(name, cols, step)
        if isinstance(value, (Str, Num)):
            return Col(name, (), AGGREGATE, (step,))  # a constant: no personal data
        return Col(name, (), RAW, (step,))

    def _line_group(self, stmt: Any) -> tuple[int, int] | None:
        """The lines of the small statements sharing a line with ``stmt`` (libcst's
        ``SimpleStatementLine``), or None when it has its line to itself or is compound."""
        if type(stmt) in _COMPOUND or type(stmt) is ast.Module:
            return None
        if self.line_groups is None:
            self.line_groups = _line_groups(self.module)
        return self.line_groups.get(id(stmt))

    def written_here(self, node: Any) -> bool:
        """Whether a string node was written in the statement being run: a line of small
        statements is one (``s = "..."; log.info(s)``), as libcst's ``SimpleStatementLine``."""
        top = self.node_top.get(id(node))
        if top is self.top:
            return True
        if top is None:
            return False
        group = self._line_group(top)
        return group is not None and group == self._line_group(self.top)

    # ------------------------------------------------------------------ expressions
    def eval(self, node: Any, env: Env) -> Val:
        if node is None:
            return UNKNOWN
        kind = type(node)
        method = _EVALUATORS.get(kind)
        if method is None:  # first node of its kind: look the evaluator up once
            method = _EVALUATORS[kind] = getattr(Analyzer, f"_e_{kind.__name__}", _unknown)
        return method(self, node, env)

    def _e_Name(self, node: ast.Name, env: Env) -> Val:
        value = self.lookup(node.id, env)
        name, running = node.id, self.running  # running[-1]: the def whose body runs
        if name in _ADDRESS_NAMES and running and name in self.sockets.names.get(running[-1], ()):
            return _not_named(value)  # sock.bind(address) in the same function
        if (
            value is UNKNOWN
            and self.confidence(name) is not None
            and name not in self.counters().get(running[-1] if running else 0, ())
        ):
            # email = lookup(), email = row[1]: a variable named like an identifier that holds
            # nothing known is judged by its name, as a parameter is (not a count or a host
            # address the code computes: ``counters``)
            return Unknown(name)
        if (
            type(value) is Frame
            and value.lib == "rows"
            and not value.cols
            and len(value.sources) == 1
            and value.sources[0].weak
            and self.confidence(name) is not None
        ):
            # for email in rows: an item of a parameter, so named: the parameter's item,
            # judged by its name when nothing is read from it
            return Unknown(name, value.sources[0])
        return value

    def counters(self) -> dict[int, set[str]]:
        """Per def (its id; 0 for the module's own code), the names it sets to what no name can
        make personal: a count (``len(rows)``, ``str(len(rows))``, ``for i in range(n)``,
        ``enumerate``'s index, ``n += 1``) or a resolved host address (``gethostbyname``).
        The analysis gives these values nothing, so their names would otherwise decide.
        Read from the tree once, when a name first needs it."""
        if self._counters is None:
            self._counters = _counter_names(self.tree)
        return self._counters

    def tested(self) -> set[int]:
        """The string literals the code tests another string for, not connection strings
        (``if "sslmode=disable" in dsn``, ``dsn.endswith("sslmode=disable")``): their ids.
        Read from the tree once, when a literal first switches TLS off."""
        if self._tested is None:
            self._tested = _tested_strings(self.tree)
        return self._tested

    def _e_Constant(self, node: ast.Constant, env: Env) -> Val:
        value = node.value
        kind = type(value)
        if kind is str or kind is bytes:
            parts = self.places.string_parts(node)
            if len(parts) != 1:
                return self._concatenated(parts, env)
            text = value.decode("latin-1") if kind is bytes else value
            self.node_top[id(node)] = self.top
            if dsn_tls_off(text) and id(node) not in self.tested():
                self._dsn_tls(text, node, ())
            return Str(text, "literal", (node,))
        if kind is int or kind is bool or value is None:
            return Num(value)
        if kind is float:
            return Num(0.0)
        return UNKNOWN  # an imaginary number, the Ellipsis

    def _e_JoinedStr(self, node: ast.JoinedStr, env: Env) -> Val:
        parts = self.places.string_parts(node)
        if len(parts) == 1 and type(parts[0]) is FString:
            return self._fstring(parts[0], env)
        return self._concatenated(parts, env)

    def _literal(self, node: Literal) -> Val:
        value = string_value(node.raw)
        if value is None:
            return UNKNOWN
        self.node_top[id(node)] = self.top
        if dsn_tls_off(value):
            self._dsn_tls(value, node, ())
        return Str(value, "literal", (node,))

    def _concatenated(self, parts: list, env: Env) -> Val:
        """``"a" "b" f"{c}"``: each literal in turn (long text tables are many)."""
        if not parts:
            return UNKNOWN
        values = [self._fstring(p, env) if type(p) is FString else self._literal(p) for p in parts]
        value = values[0]
        for part in values[1:]:
            value = self._concat(value, part)
        return value

    def _fstring(self, node: FString, env: Env) -> Val:
        self.node_top[id(node)] = self.top
        text, cols, nodes, via = [], [], [node], "f-string"
        names: list[str] = []
        varied: list[tuple[int, Str]] = []  # (part, a text it may be instead)
        for part in node.pieces:
            if type(part) is str:
                text.append(part)
                continue
            value = self.eval(part.expression, env)
            if part.spec is not None:
                digits = _fixed_point(part.spec)
                if digits is not None and cols_of(value):  # f"{lat:.3f}": rounded
                    value = self._round(value, Num(digits), part)
            names.extend(env_of(value))
            if isinstance(value, Str) and not value.cols:
                varied.extend((len(text), alt) for alt in value.alts)
                text.append(value.text)
                nodes.extend(value.nodes)
                if value.via in _DEFAULTS:  # built from a default the environment may change
                    via = value.via
            elif isinstance(value, Num) and value.value is not None:
                text.append(str(value.value))
            else:
                text.append("{...}")
                cols.extend(cols_of(value) or self._named_cols(value, part))
        result = Str("".join(text), via, tuple(nodes), tuple(cols), tuple(dict.fromkeys(names)))
        if dsn_tls_off(result.text):  # f"host={host} sslmode=disable"
            inner = [t for p, t in zip(node.pieces, text, strict=True) if type(p) is not str]
            self._dsn_tls(result.text, node, inner)
        if varied:  # f"{BASE}/v1" where BASE may be one of several URLs
            others = []
            for index, alt in varied:
                texts = list(text)
                texts[index] = alt.text
                others.append(replace(result, text="".join(texts), nodes=(node, *alt.nodes)))
            result = replace(result, alts=alternatives(result, others))
        return result

    def _e_Await(self, node: ast.Await, env: Env) -> Val:
        return self.eval(node.value, env)

    def _e_NamedExpr(self, node: ast.NamedExpr, env: Env) -> Val:
        value = self.eval(node.value, env)
        self.assign(node.target, value, env)
        return value

    def _e_IfExp(self, node: ast.IfExp, env: Env) -> Val:
        self.eval(node.test, env)
        return join(self.eval(node.body, env), self.eval(node.orelse, env))

    def _e_BoolOp(self, node: ast.BoolOp, env: Env) -> Val:
        # ``a or b or c`` is ``(a or b) or c``
        value = self.eval(node.values[0], env)
        for operand in node.values[1:]:
            value = self._boolean(value, self.eval(operand, env))
        return value

    @staticmethod
    def _boolean(left: Val, right: Val) -> Val:
        if isinstance(left, Unknown) and isinstance(right, Str):
            return replace(
                right,
                via="env-default" if left.name.startswith("env:") else right.via,
                env=tuple(dict.fromkeys(env_of(left) + right.env)),
            )
        if isinstance(left, Series) and isinstance(right, Series):
            return UNKNOWN  # a boolean mask
        return join(left, right)

    def _e_Compare(self, node: ast.Compare, env: Env) -> Val:
        self.eval(node.left, env)
        for comparator in node.comparators:
            self.eval(comparator, env)
        return UNKNOWN  # masks and flags carry no personal data

    def _e_UnaryOp(self, node: ast.UnaryOp, env: Env) -> Val:
        value = self.eval(node.operand, env)
        if type(node.op) is ast.Not:
            return UNKNOWN
        if type(node.op) is ast.USub and isinstance(value, Num):
            number = value.value
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                return Num(-number)  # items[-1] is the last item, s[:-3] no truncation
        return value

    def _e_BinOp(self, node: ast.BinOp, env: Env) -> Val:
        left, right = self.eval(node.left, env), self.eval(node.right, env)
        if type(right) is Obj and right.kind.startswith("beam-"):
            if type(node.op) is ast.RShift:
                return right  # "write" >> beam.io.WriteToText(path): the transform, labelled
            if type(node.op) is ast.BitOr:  # rows | beam.Map(fn): placed at the transform
                where = node.right
                if type(where) is ast.BinOp and type(where.op) is ast.RShift:
                    where = where.right
                return self.beam_apply(left, right, where, env)
        if (
            type(right) is Obj
            and right.kind == "instance"
            and type(node.op) in (ast.BitOr, ast.RShift)
            and self.method(right.data["cls"], "expand") is not None
        ):
            # a PTransform of the module: "label" >> CountByRoute() is the transform, and
            # rows | CountByRoute() what its expand() makes of the collection
            if type(node.op) is ast.RShift:
                return right
            return self.instance_method(right.data["cls"], "expand", [left], {}, node, env)
        return self._binop(left, right, node.op, node)

    def _binop(self, left: Val, right: Val, op: ast.operator, node: Any) -> Val:
        """``node`` a binary operation or an augmented assignment (``op`` its operator)."""
        if type(op) is ast.Div and isinstance(left, Obj) and left.kind == "path":
            return self.path_of([left, right])  # Path(base) / "out.csv"
        if type(op) is ast.Add and (isinstance(left, Str) or isinstance(right, Str)):
            # SALT + plate: a plain variable named like an identifier counts by its name, as
            # it does in f"{SALT}{plate}"
            return self._concat(self._by_name(left, node), self._by_name(right, node))
        if type(op) is ast.Add and type(left) is Unknown and type(right) is Unknown:
            # ... and so it does when SALT is not known either (a parameter, the environment's)
            for side in (left, right):
                name = side.name.rsplit(".", 1)[-1]
                if name and not side.name.startswith("env:") and self.confidence(name):
                    return side
        if type(op) is ast.Add and isinstance(left, Seq) and isinstance(right, Seq):
            return Seq(left.items + right.items)  # BASE + ["driver_license"]
        if type(op) is ast.Mod and isinstance(left, Str):
            items = right.items if isinstance(right, Seq) else (right,)
            return self._format(left, list(items), {}, node)
        if type(op) in (ast.BitAnd, ast.BitOr) and (
            isinstance(left, Series) or isinstance(right, Series)
        ):
            return UNKNOWN
        cols = cols_of(left) + cols_of(right)
        if not cols:
            if isinstance(left, Frame):
                return left
            return left if isinstance(left, (Seq,)) else UNKNOWN
        if type(op) is ast.FloorDiv:
            step = Step(node, "bucketed (floor division)")
            return Series(tuple(c.treated("bucket", step) for c in cols), self._bound(left, right))
        if isinstance(left, Frame):
            return left
        return Series(cols, self._bound(left, right))

    @staticmethod
    def _bound(*values: Val) -> bool:
        return all(v.bound for v in values if isinstance(v, Series))

    def _concat(self, left: Val, right: Val) -> Val:
        result = self._concat_one(left, right)
        if (isinstance(left, Str) and left.alts) or (isinstance(right, Str) and right.alts):
            # BASE + "/v1" where BASE may be one of several URLs: each of them + "/v1"
            lefts = left.options if isinstance(left, Str) else (left,)
            rights = right.options if isinstance(right, Str) else (right,)
            others = [self._concat_one(a, b) for a in lefts for b in rights]
            result = replace(result, alts=alternatives(result, others))
        return result

    def _concat_one(self, left: Val, right: Val) -> Str:
        parts, cols, nodes, via = [], [], [], "concatenation"
        names = tuple(dict.fromkeys(env_of(left) + env_of(right)))
        for value in (left, right):
            if isinstance(value, Str):
                parts.append(value.text)
                nodes.extend(value.nodes)
                cols.extend(value.cols)
                if value.via in _DEFAULTS:  # built from a default the environment may change
                    via = value.via
            else:
                parts.append("{...}")
                cols.extend(cols_of(value))
        if all(isinstance(v, Str) and v.via == "literal" for v in (left, right)):
            via = "literal"
        return Str("".join(parts), via, tuple(nodes), tuple(cols), names)

    def _format(self, template: Str, args: list[Val], kwargs: dict[str, Val], node) -> Str:
        result = self._format_one(template, args, kwargs, node)
        # A template or an argument that may be one of several texts: each alternative in
        # its place, one at a time (as in f-strings), for "%s/v1" % BASE and "{}".format(URL).
        others = [self._format_one(alt, args, kwargs, node) for alt in template.alts]
        for i, value in enumerate(args):
            if isinstance(value, Str):
                for alt in value.alts:
                    others.append(
                        self._format_one(template, [*args[:i], alt, *args[i + 1 :]], kwargs, node)
                    )
        for key, value in kwargs.items():
            if isinstance(value, Str):
                for alt in value.alts:
                    others.append(self._format_one(template, args, {**kwargs, key: alt}, node))
        return replace(result, alts=alternatives(result, others)) if others else result

    def _format_one(self, template: Str, args: list[Val], kwargs: dict[str, Val], node) -> Str:
        cols = list(template.cols)
        nodes = list(template.nodes)
        names = list(template.env)
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
            names.extend(env_of(value))
            used.add(id(value))
            if isinstance(value, Str) and not value.cols:
                nodes.extend(value.nodes)
                return value.text
            digits = _fixed_point(match.group(0))
            if digits is not None:  # "%.3f" % lat, "{:.3f}".format(lat): rounded
                value = self._round(value, Num(digits), node)
            cols.extend(cols_of(value))
            return "{...}"

        used: set[int] = set()
        pattern = (
            r"\{([^{}:!]*)[^{}]*\}"
            if "{" in template.text
            else r"%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?[sdrifx]"
        )
        text = re.sub(pattern, sub, template.text)
        for value in args:  # what no placeholder took (one this pattern does not know)
            if id(value) not in used:
                cols.extend(c for c in cols_of(value) if c not in cols)
        return Str(
            text,
            template.via if template.via != "literal" else "concatenation",
            tuple(nodes),
            tuple(cols),
            tuple(dict.fromkeys(names)),
        )

    def _e_Lambda(self, node: ast.Lambda, env: Env) -> Val:
        self.closures.append(env)
        return Func(node, env, top=self.top)

    def _e_Tuple(self, node: ast.Tuple, env: Env) -> Val:
        return self._collection(node.elts, env)

    def _e_List(self, node: ast.List, env: Env) -> Val:
        return self._collection(node.elts, env)

    def _e_Set(self, node: ast.Set, env: Env) -> Val:
        return self._collection(node.elts, env)

    def _collection(self, elements: Sequence[ast.expr], env: Env) -> Val:
        items = tuple(self.eval(_element(e), env) for e in elements)
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

    def _e_Dict(self, node: ast.Dict, env: Env) -> Val:
        cols: dict[str, Col] = {}
        entries: dict[str, Val] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            if key_node is None:  # **other
                inner = self.eval(value_node, env)
                for col in cols_of(inner):
                    cols[col.name] = col
                continue
            key = self.eval(key_node, env)
            value = self.eval(value_node, env)
            if not (isinstance(key, Str) and key.known):
                self._keep_cols(cols, value, value_node)  # {row["id"]: row["phone"]}
                self._keep_cols(cols, key, key_node)  # {row["email"]: n}: the keys too
                continue
            entries[key.text] = value
            if isinstance(value, (Num, Ref, Func)) or (isinstance(value, Str) and not value.cols):
                continue  # a constant or a setting, not a data field
            payload = value.data.get("payload") if isinstance(value, Obj) else None
            table = value if isinstance(value, Frame) else payload
            if isinstance(table, Frame):
                # A nested record, a table or an open file: its columns travel as they are.
                for col in table.all_cols():
                    cols[col.name] = col
                continue
            step = Step(value_node, f"field '{key.text}'")
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
    def _keep_cols(cols: dict[str, Col], value: Val, node: Any) -> bool:
        """A dict's value under a key the analysis cannot name (a variable, a field of a row):
        its columns, each under its own name, joined with a column of that name the dict
        holds (the weaker treatment wins: the key may or may not be that one). Whether there
        were any."""
        table = value if isinstance(value, Frame) else None
        found = table.all_cols() if table is not None else cols_of(value)
        step = Step(node, "value under a computed key")
        for col in found:
            new = col if table is not None else merge_cols(col.name, (col,), step)
            old = cols.get(col.name)
            cols[col.name] = new if old is None else merge_cols(col.name, (old, new), None)
        return bool(found)

    @staticmethod
    def _var_origin(value: Val) -> tuple[str, ...]:
        """The name an unknown value goes by: a variable's, or a parameter's attribute's
        (``obj.email``; not ``self.x``, whose value the analysis follows). A list, tuple or
        set of such values goes by their names (``[customer.email, manager.email]``)."""
        if type(value) is Seq:
            names = (n for item in value.items for n in Analyzer._var_origin_one(item))
            return tuple(dict.fromkeys(names))
        return Analyzer._var_origin_one(value)

    @staticmethod
    def _var_origin_one(value: Val) -> tuple[str, ...]:
        if isinstance(value, Unknown) and value.name and not value.name.startswith("env:"):
            root, _, attr = value.name.rpartition(".")
            if not root:
                return (value.name,)
            if root.split(".", 1)[0] not in ("self", "cls") and attr.isidentifier():
                return (attr,)
        return ()

    def _by_name(self, value: Val, node: Any) -> Val:
        named = () if isinstance(value, Str) or cols_of(value) else self._named_cols(value, node)
        return Series(named) if named else value

    def _named_cols(self, value: Val, node: Any) -> tuple[Col, ...]:
        """A plain variable whose value is unknown, named like an identifier (``plate``)."""
        if isinstance(value, Unknown) and value.name and not value.name.startswith("env:"):
            owner, _, name = value.name.rpartition(".")
            step = Step(node, f"value of '{value.name}'")
            owner = owner.rsplit(".", 1)[-1]
            return (Col(name, (name,), RAW, (step,), True, unset=_unset(value.name), owner=owner),)
        return ()

    def _e_ListComp(self, node: ast.ListComp, env: Env) -> Val:
        return self._comprehension(node, node.elt, env)

    def _e_GeneratorExp(self, node: ast.GeneratorExp, env: Env) -> Val:
        return self._comprehension(node, node.elt, env)

    def _e_SetComp(self, node: ast.SetComp, env: Env) -> Val:
        return self._comprehension(node, node.elt, env)

    def _e_DictComp(self, node: ast.DictComp, env: Env) -> Val:
        return self._comprehension(node, node.value, env)

    def _comprehension(self, node: Any, elt: ast.expr, env: Env) -> Val:
        inner = dict(env)
        for clause in node.generators:
            self.assign(clause.target, self.iterate(self.eval(clause.iter, inner)), inner)
            for cond in clause.ifs:
                self.eval(cond, inner)
        value = self.eval(elt, inner)
        if type(node) is ast.DictComp:
            key = self.eval(node.key, inner)  # {r["email"]: n for r in rows}: its keys too
            if cols_of(key) and not isinstance(value, Frame):
                value = join(value, key) if cols_of(value) else key
        if type(node) is ast.DictComp and isinstance(value, Frame):
            value = self._filter_keys(node, value, inner)
        elif (
            type(value) is Seq
            and len(value.items) == 2
            and isinstance(value.items[1], Frame)
            and type(elt) is ast.Tuple
            and _same_names(elt, node.generators[0].target)
        ):
            # (k, v) for k, v in row.items() if k not in PII: pairs for dict(), filtered alike
            filtered = self._filter_keys(node, value.items[1], inner, elt.elts[0])
            value = Seq((value.items[0], filtered))
        if isinstance(value, Frame) and value.lib == "dict":
            return value.restyled("rows")
        if type(value) is Seq and type(node) is not ast.DictComp:
            # [(r["trip_id"], r["email"]) for r in rows]: a list of such tuples, as zip()'s
            # (``for trip, who in pairs`` unpacks one)
            return Seq((value,))
        return value

    def _filter_keys(self, node: Any, frame: Frame, env: Env, key_node: Any = None) -> Frame:
        """``{k: v for k, v in row.items() if k not in PII}`` keeps the other keys only (and
        ``(k, v) for ...`` so filtered, ``key_node`` its ``k``)."""
        key_node = node.key if key_node is None else key_node
        if type(key_node) is not ast.Name:
            return frame
        key = key_node.id
        for test in node.generators[0].ifs:
            if not (type(test) is ast.Compare and len(test.ops) == 1):
                continue
            if not (type(test.left) is ast.Name and test.left.id == key):
                continue
            op = test.ops[0]
            names = self._names([self.eval(test.comparators[0], env)])
            if type(op) in (ast.NotIn, ast.NotEq) and names:
                frame = frame.without(names)
            elif type(op) in (ast.In, ast.Eq) and names:
                frame = frame.select(names)
        return frame

    def iterate(self, value: Val) -> Val:
        if isinstance(value, Seq):
            result: Val = UNKNOWN
            for item in value.items:
                result = join(result, item)
            return result
        if isinstance(value, Obj):
            if value.kind == "instance":  # [Rider(r) for r in rows] is (any) one of them
                return value
            if value.kind == "kafka-consumer":  # for msg in consumer (kafka-python)
                return Obj("kafka-message", {"node": value.data.get("node")})
            frame = value.data.get("frame")  # for row in cursor: each row a tuple
            return frame.as_row() if isinstance(frame, Frame) else UNKNOWN
        if isinstance(value, Frame) and value.lib == "rows" and value.ordered and not value.row:
            # for c in cur.fetchall() (also through XCom): each a tuple row, c[0] its first column
            return value.as_row()
        if isinstance(value, (Frame, Series)):
            # Not by position: these rows may have become a table's (itertuples adds the index)
            return value
        if isinstance(value, Unknown) and value.source is not None:
            return Frame("rows", {}, (value.source,))  # the items of a parameter
        return UNKNOWN

    def _e_Attribute(self, node: ast.Attribute, env: Env) -> Val:
        return self.attribute(self.eval(node.value, env), node.attr, node)

    def attribute(self, base: Val, attr: str, node: Any) -> Val:
        """``base.attr`` (also ``getattr(base, "attr")``)."""
        if isinstance(base, Ref):
            if base.qname == "flask.request" and attr in _FLASK_REQUEST_DATA:
                return self.request_data(f"request.{attr}", node)
            if base.qname in _CURRENT_APPS and attr == "config":
                return self.flask_config(ALL_APPS)
            if base.qname == "flask.request" and attr in ("remote_addr", "access_route"):
                # the client's IP address (a device identifier), as the web server saw it
                step = Step(node, f"the client's address, request.{attr}")
                return Series((Col("remote_addr", ("remote_addr",), RAW, (step,)),))
            return Ref(f"{base.qname}.{attr}")
        if isinstance(base, Frame):
            if attr in _ACCESSORS:
                return base
            if attr in ("write", "writeStream"):
                return Obj("spark-writer", {"frame": base, "format": None})
            if attr in _FRAME_SCALAR_ATTRS or attr.startswith("_"):
                return UNKNOWN
            if attr in _FILE_WRITERS or attr in _DB_WRITERS:  # save = df.to_csv
                return Unknown(f"DataFrame.{attr}", receiver=base)
            if base.lib in ("pandas", "spark") and attr.isidentifier():
                col = base.get(attr)
                return Series((col,)) if col is not None else UNKNOWN
            if base.lib == "rows" and attr in base.cols:
                # row.email of a query's rows: BigQuery's and SQLAlchemy's rows have their
                # columns as attributes too (only those named, never another open schema's)
                return Series((base.cols[attr],))
            if (
                base.lib == "rows"
                and base.sources
                and isinstance(base.sources[0], QuerySource)
                and attr not in _ROW_METHODS
                and _model_column(base.sources[0], attr)
            ):
                # ... and a SELECT * row's: the column of that name, as row["email"] is
                col = base.get(attr)
                return Series((col,)) if col is not None else UNKNOWN
            if (
                base.lib == "rows"
                and not base.cols
                and len(base.sources) == 1
                and base.sources[0].weak
                and attr not in _ROW_METHODS
            ):
                # An item of a parameter (``for c in batch: c.device_mac``): judged by the
                # attribute's name, as a single parameter's c.device_mac is (not evidence of
                # what the parameter holds: its items may be objects, not these records).
                step = Step(node, f"attribute '{attr}' of an item of {base.sources[0].label}")
                return Series((Col(attr, (attr,), RAW, (step,), by_name=True),))
            return UNKNOWN
        if isinstance(base, Series):
            if attr in _FRAME_SCALAR_ATTRS:
                return UNKNOWN
            if attr in ("year", "quarter", "decade"):  # birth_date.dt.year: generalised
                step = Step(node, f"generalised to the {attr}")
                return Series(tuple(c.treated("bucket", step) for c in base.cols), base.bound)
            return base
        if isinstance(base, Obj) and base.kind == "peer":
            return self._peer_host(base, node) if attr == "host" else UNKNOWN
        if isinstance(base, Obj) and base.kind == "kafka-message":
            return self.consumed(base) if attr == "value" else UNKNOWN  # kafka-python's
        if attr in _PROCESS_IDS and _is_process(base):
            return Num(0)  # proc.pid: a process's id, as os.getpid()'s (no person's)
        if isinstance(base, Seq) and _records_only(base):
            # The records a field may hold (built in places, joined): each one's attribute
            return join_all([self.attribute(i, attr, node) for i in base.items])
        if isinstance(base, Obj) and base.kind == "instance":
            cls = base.data["cls"]
            method = self.method(cls, attr)
            if method is not None and not _decorated_with(method.node, *_PROPERTY):
                return Unknown(f"{cls}.{attr}", receiver=base)  # run = job.run
            value = self.as_instance(cls, lambda: self.attribute_of(cls, attr, node))
            return value if value is not None else UNKNOWN
        if isinstance(base, Obj):
            if base.kind in _APPS and attr == "config":
                return self.flask_config(_app_key(base))
            if base.kind == "spark" and attr == "read":
                return Obj("spark-reader", {"lib": "spark"})
            if base.kind == "spark" and attr == "readStream":
                return Obj("spark-reader", {"lib": "spark"})
            if base.kind == "twilio":  # client.messages, client.api.account.calls: a resource
                return Obj("twilio", {**base.data, "resource": attr})
            return (
                Obj(base.kind, base.data)
                if attr in ("builder",)
                else Unknown(f"{base.kind}.{attr}", receiver=base)
            )
        if isinstance(base, Unknown) and base.name in ("self", "cls"):
            value = self.attribute_of(self.cls, attr, node)
            if attr in _ADDRESS_NAMES and any(
                attr in self.sockets.attrs.get(c, ()) for c in self._mro(self.cls)
            ):
                return _not_named(value)  # sock.bind(self.address) in a method of the class
            if value is not None:
                return value
        if isinstance(base, Unknown) and base.name in self.bases:  # Config.URL
            value, _ = self._attribute_set(base.name, attr)
            if value is not None:
                return value
        if isinstance(base, Unknown) and base.name == "super" and self.cls:
            method = self.super_method(attr)
            if method is not None:  # h = super().emit
                return replace(method, bound=Unknown("self"))
        if isinstance(base, Unknown) and base.source is not None and _request_data(base, attr):
            return self.request_data(f"{base.name}.{attr}", node)  # Django's request.POST
        if isinstance(base, Unknown) and base.source is not None and attr in ("loc", "iloc"):
            return base  # a table that is a parameter: df.loc[:, ["email", "ward"]]
        if (
            attr == "client"
            and isinstance(base, Unknown)
            and _written_attribute(node, attr, self.places)  # what the pre-filter looks for
            and self._connection(base)
        ):
            # Starlette's (FastAPI's) request.client, websocket.client: the (host, port) the
            # connection came from (an Address, a named tuple)
            return self.peer(f"{base.name}.client", node)
        if isinstance(base, Unknown) and type(base.source) is RecordSource:
            # client = serializer.save(); client.ssn: by its name, as a parameter's obj.ssn (not
            # evidence of what the record holds: logged whole, it is its __str__)
            step = Step(base.source.node, base.source.label)
            return Series((Col(attr, (attr,), RAW, (step,), by_name=True),))
        if isinstance(base, Unknown) and base.name:
            value = Unknown(f"{base.name}.{attr}")
            if (
                not base.name.startswith("env:")
                and not attr.startswith("_")
                and self.confidence(attr) is not None
            ):
                # A record's field read as an attribute (loan.library_card_number, a
                # parameter's, an ORM row's): judged by its name wherever it goes, as
                # loan["library_card_number"] is (probe41 min/02) and as a positional log
                # argument's is (_named_cols); not evidence of what the record holds.
                return Series(self._named_cols(value, node))
            return value
        return UNKNOWN

    @staticmethod
    def _peer_host(peer: Obj, node: Any, part: str = ".host") -> Series:
        """A Starlette client's host (``.host``, its first item): the client's IP address, as
        flask's request.remote_addr, named as the column the pre-filter looks for
        (``frontends.python.CLIENT_ADDRESS``)."""
        step = Step(node, f"the client's address, {peer.data['name']}{part}")
        return Series((Col(CLIENT_ADDRESS, (CLIENT_ADDRESS,), RAW, (step,)),))

    def peer(self, name: str, node: Any) -> Obj:
        """A connection's peer, (host, port) (Starlette's ``request.client``, a socket's
        address): whole, it holds its host (``log.info("from %s", addr)``)."""
        peer = Obj("peer", {"name": name})
        peer.data["payload"] = self._peer_host(peer, node, "")
        return peer

    def _connection(self, param: Unknown) -> bool:
        """Whether ``param`` may be a Starlette (FastAPI) connection: a parameter so annotated
        (``Request``, ``WebSocket``, ``HTTPConnection``, also in a string), or named request,
        req, websocket or ws and annotated with nothing else (``request: PrintRequest`` of
        the module, ``req: requests.PreparedRequest``: their client is something else)."""
        node = param.source.node if param.source is not None else None
        if type(node) is not Param or node.annotation is None:
            return param.name in _CONNECTION_NAMES
        annotation = node.annotation
        if self._one_string(annotation):
            annotation = parse_expression(annotation.value)
            if annotation is None:
                return False
        qname = self._annotated_qname(annotation)
        if qname == "typing.Any":
            return param.name in _CONNECTION_NAMES  # says nothing of the type
        return qname.split(".", 1)[0] in ("starlette", "fastapi") and qname.rsplit(".", 1)[-1] in (
            "Request",
            "WebSocket",
            "HTTPConnection",
        )

    def _one_string(self, node: Any) -> bool:
        """A string literal, not bytes, not a concatenation (libcst's ``SimpleString``)."""
        return (
            type(node) is ast.Constant
            and type(node.value) is str
            and len(self.places.string_parts(node)) == 1
        )

    def _slices(self, node: ast.Subscript) -> list[ast.expr]:
        """The items of a subscript (``df.loc[mask, "a"]`` has two; ``d[(a, b)]`` one)."""
        key = node.slice
        if type(key) is ast.Tuple and key.elts:
            first = key.elts[0]
            if (first.lineno, first.col_offset) == (key.lineno, key.col_offset):
                return key.elts  # not parenthesized
        return [key]

    def _subscript_key(self, node: ast.Subscript, env: Env) -> Val:
        items = self._slices(node)
        if len(items) != 1:
            return Seq(tuple(self._slice_value(s, env) for s in items))
        return self._slice_value(items[0], env)

    def _slice_value(self, element: ast.expr, env: Env) -> Val:
        if type(element) is not ast.Slice:
            return self.eval(element, env)
        sl = element
        lower = self.eval(sl.lower, env) if sl.lower is not None else Num(0)
        upper = self.eval(sl.upper, env) if sl.upper is not None else Num(None)
        return Obj("slice", {"lower": lower, "upper": upper})

    def _e_Subscript(self, node: ast.Subscript, env: Env) -> Val:
        base = self.eval(node.value, env)
        key = self._subscript_key(node, env)
        # counts[counts["n"] >= 11], counts.loc[counts["n"] > 10]: no group under k left
        if (
            type(base) is Frame
            and base.grouped == "cells"
            and self.suppressed_cells(key, self._slices(node)[0], keep=True)
        ):
            return replace(base, grouped="suppressed")
        if type(base) is Unknown and base.source is not None and self._row_filter(node.slice, key):
            # A parameter's rows filtered by a boolean mask (reads[reads["dwell_min"] > 120],
            # reads[mask]): the same table, with its columns (probe38 min/04).
            return base
        # Whether a slice keeps one value's last characters: asked of slices only (a lookup).
        tail = type(key) is Obj and key.kind == "slice" and self._one_value(node.value, env)
        return self.index(base, key, node, tail=tail)

    def _blanked_cells(self, target: ast.Subscript, written: ast.expr, env: Env) -> None:
        """``counts.loc[counts["n"] < 11, "n"] = None``, ``counts["n"] =
        counts["n"].where(counts["n"] >= 11)``: a grouping's small cells blanked in place."""
        owner = target.value
        if type(owner) is ast.Attribute and owner.attr in ("loc", "iloc"):
            owner = owner.value
        if type(owner) is not ast.Name:
            return
        held = self.lookup(owner.id, env)
        if type(held) is not Frame or held.grouped != "cells":
            return
        # Which rows a comparison picks depends on the call (where keeps, mask and np.where
        # replace): one that meets k either way is taken as the suppression.
        for expr in (target.slice, written):
            if any(self.suppressed_cells(UNKNOWN, expr, keep) for keep in (True, False)):
                self.rebind(owner.id, replace(held, grouped="suppressed"), env)
                return

    def suppressed_cells(self, value: Val, written: ast.expr | None, keep: bool) -> bool:
        """Whether a row filter of a grouping's statistics drops every group under the policy's
        k: one that keeps (``keep``) ``n >= 11`` or ``n > 10``, or drops (``mask``) ``n < 11``;
        written as a comparison or as a query text (``"n >= 11"``). A threshold that is not a
        number written there (MIN_CELL) is taken as the city's."""
        k = int(self.policy.settings.get("k_anonymity", 11))
        if isinstance(value, Str) and value.known:
            return any(_enough(op, n, k, keep) for op, n in _text_thresholds(value.text))
        if written is None:
            return False
        for sub in ast.walk(written):
            if type(sub) is not ast.Compare or len(sub.ops) != 1:
                continue
            op, bound = type(sub.ops[0]), sub.comparators[0]
            if type(sub.left) is ast.Constant:  # 11 <= n
                op, bound = _FLIPPED.get(op, op), sub.left
            number = bound.value if type(bound) is ast.Constant else None
            if type(bound) is ast.Constant and not isinstance(number, (int, float)):
                continue
            if type(bound) not in (ast.Constant, ast.Name, ast.Attribute):
                continue
            if _enough(_OPS.get(op, ""), number, k, keep):
                return True
        return False

    def _row_filter(self, expr: ast.expr, key: Val) -> bool:
        """Whether ``expr`` is written as a boolean mask (``_is_mask``). A name is looked up
        among the module's masks only when it holds what a mask gives (nothing known)."""
        if type(expr) is ast.Name:
            # Only a name holding what a mask gives (nothing known), and set in the text to
            # something that may be one, is looked for among the module's masks (a walk).
            if key is not UNKNOWN:
                return False
            seen = self.__dict__.setdefault("_mask_set", {})
            found = seen.get(expr.id)
            if found is None:
                pattern = _MASK_SET.format(re.escape(expr.id))
                found = seen[expr.id] = re.search(pattern, self.text) is not None
            if not found:
                return False
        return _is_mask(expr, self._masks)

    def _masks(self) -> Set[str]:
        """The module's names set only to masks, found when a subscript first asks."""
        masks = self.__dict__.get("_mask_names")
        if masks is None:
            masks = self._mask_names = _mask_names(self.tree)
        return masks

    def _one_value(self, expr: ast.expr, env: Env) -> bool:
        """Whether ``expr`` is one value, whose last characters a slice keeps: a record's field
        (``row["card_number"]``, ``rider.card_number``) or a column's strings (``.str``); not
        a table's column (``df["card_number"][-4:]`` is its last four rows) or a list."""
        if type(expr) is ast.Attribute and expr.attr == "str":
            return True
        if type(expr) not in (ast.Subscript, ast.Attribute):
            return False
        owner = expr.value  # type: ignore[union-attr]
        if type(owner) is not ast.Name:
            return False
        held = self.lookup(owner.id, env)
        return not (isinstance(held, Frame) and held.lib in ("pandas", "spark", "polars"))

    def index(self, base: Val, key: Val, node: Any, tail: bool = False) -> Val:
        """``base[key]`` (``node`` places the steps; ``tail``: ``base`` is one value, see
        ``_one_value``)."""
        if isinstance(base, Frame):
            return self._frame_index(base, key, node)
        if isinstance(base, Series):
            if isinstance(key, Obj) and key.kind == "slice":
                lower, upper = key.data["lower"], key.data["upper"]
                if isinstance(upper, Num) and isinstance(upper.value, int) and upper.value >= 0:
                    step = Step(node, f"truncated to {upper.value} characters")
                    return Series(
                        tuple(c.treated(f"truncate:{upper.value}", step) for c in base.cols),
                        base.bound,
                    )
                if (
                    tail
                    and isinstance(upper, Num)
                    and upper.value is None
                    and isinstance(lower, Num)
                    and type(lower.value) is int
                    and -4 <= lower.value < 0
                ):
                    # card_number[-4:]: the last four digits, the masking PCI DSS allows
                    # (a longer tail keeps the number).
                    n = -lower.value
                    step = Step(node, f"cut to its last {n} characters")
                    return Series(
                        tuple(c.treated(f"last:{n}", step) for c in base.cols), base.bound
                    )
            if isinstance(key, Str) and key.known and base.cols:
                # A field of a record's field (application["applicant"]["email"]): the
                # nested field, named as its key, with the outer one's flow.
                outer = base.cols[0]
                record = outer.record
                for k in key.options if record is not None else ():
                    if k.text:
                        record.observed.setdefault(k.text, None)  # patient["mrn"]
                return Series(
                    tuple(
                        Col(
                            k.text,
                            (k.text,),
                            outer.treatment,
                            (*outer.flow, Step(node, f"field '{k.text}'")),
                            outer.by_name,
                            outer.unset,
                            record=record.part(k.text) if record is not None else None,
                        )
                        for k in key.options
                        if k.text
                    )
                    or base.cols
                )
            return base
        if isinstance(base, Ref) and base.qname == "os.environ":
            name = key.text if isinstance(key, Str) and key.known else "?"
            self._env_read(name, node, None)
            return Unknown(f"env:{name}")
        if isinstance(base, Obj) and base.kind == "cursor-row":
            return base
        if isinstance(base, Obj) and base.kind == "groupby":
            return self.group_selection(base, key)  # df.groupby(keys)["gallons"]
        if isinstance(base, Obj) and base.kind == "peer":
            first = isinstance(key, Num) and key.value in (0, -2)
            return self._peer_host(base, node) if first else UNKNOWN  # request.client[0]
        if isinstance(base, Obj) and base.kind == "mapping":
            return base.data["payload"]  # recs["a"] of a dict[str, Rec]: a record
        if (
            isinstance(base, Unknown)
            and _is_process(base.receiver)
            and isinstance(key, Str)
            and key.text in _PROCESS_IDS
        ):
            return Num(0)  # psutil's p.info["pid"]: the process's
        if isinstance(base, Unknown) and isinstance(key, Str) and key.known and key.text:
            # A record whose origin is unknown (a parameter, a message): record["email"],
            # record[self.LABEL] (each name the key may be).
            names = [k.text for k in key.options if k.text]
            if base.source is not None:
                source = base.source
                return Series(
                    tuple(replace(source.col(name), record=source.part(name)) for name in names)
                )
            owner = base.name.rsplit(".", 1)[-1]
            cols = []
            for name in names:
                step = Step(node, f"field '{name}' of {base.name or 'a record'}")
                cols.append(
                    Col(name, (name,), RAW, (step,), True, unset=_unset(base.name), owner=owner)
                )
            return Series(tuple(cols))
        if isinstance(base, Unknown) and base.source is not None and isinstance(key, Seq):
            # A table whose origin is unknown (a parameter): df[["email", "ward"]], and
            # df.loc[mask, ["email", "ward"]] / df.loc[:, "email"].
            names = _column_names(key)
            if names is None and len(key.items) == 2:
                names = _column_names(key.items[1])
            if names:
                return Frame("pandas", {name: base.source.col(name) for name in names})
        if isinstance(base, Seq) and isinstance(key, Obj) and key.kind == "slice":
            return base  # rows[i : i + 500]: some of the same rows
        if (
            isinstance(base, Unknown)
            and isinstance(key, Obj)
            and key.kind == "slice"
            and base.name
            and not base.name.startswith("env:")
        ):
            # phone[-10:], rows[:500]: the same value (a phone's last ten digits are the phone),
            # unless the slice truncates or masks it as a field's would be (card_number[-4:])
            named = self._named_cols(base, node)
            cut = self.index(Series(named), key, node, tail=True) if named else base
            if isinstance(cut, Series) and any(c.treatment != RAW for c in cut.cols):
                return cut
            return base
        if isinstance(base, Seq) and isinstance(key, Num) and isinstance(key.value, int):
            return (
                base.items[key.value]
                if -len(base.items) <= key.value < len(base.items)
                else UNKNOWN
            )
        return UNKNOWN

    def _frame_index(self, frame: Frame, key: Val, node: Any) -> Val:
        if isinstance(key, Str) and key.known:
            entries = frame.entries or {}
            held = [entries.get(k.text) for k in key.options]
            if all(v is not None and not cols_of(v) for v in held):
                # A dict literal's setting: CONFIG["endpoint"] is its URL, opts["verify"] False
                return join_all(held)  # type: ignore[arg-type]
            found = [frame.get(k.text) for k in key.options]
            cols = tuple(col for col in found if col is not None)
            return Series(cols) if cols else UNKNOWN
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
        if frame.row and isinstance(key, Num) and type(key.value) is int:
            # row[1] of a tuple row (SELECT card_number, email): the email alone
            names = tuple(frame.cols)  # in the select list's order (``ordered``)
            if -len(names) <= key.value < len(names):
                return Series((frame.cols[names[key.value]],))
            return UNKNOWN
        if isinstance(key, (Unknown, Str)) and frame.lib == "dict":
            values = setting_values(frame)
            if values:  # URLS[operator] of a dict literal of settings: any of its values
                return join_all(values)
        return frame  # a mask, a slice: same columns

    # ------------------------------------------------------------------ calls
    def _args(self, node: ast.Call, env: Env) -> tuple[list[Val], dict[str, Val]]:
        args: list[Val] = []
        kwargs: dict[str, Val] = {}
        for arg in call_args(node):
            value = self.eval(arg.value, env)
            if arg.keyword is not None:
                kwargs[arg.keyword] = value
            elif arg.star == "*" and isinstance(value, Seq):
                args.extend(value.items)
            elif arg.star == "**":
                if isinstance(value, Frame) and value.entries:
                    kwargs.update(value.entries)
            else:
                args.append(value)
        return args, kwargs

    def _e_Call(self, node: ast.Call, env: Env) -> Val:
        args, kwargs = self._args(node, env)
        self._tls_kwargs(node, kwargs)
        func = node.func
        receiver: Val | None = None
        if type(func) is ast.Attribute:
            receiver = self.eval(func.value, env)
            name = func.attr
            if isinstance(receiver, Ref):
                result = self.call_ref(f"{receiver.qname}.{name}", args, kwargs, node, env)
            else:
                result = self.call_method(receiver, name, args, kwargs, node, env)
            if name == "pop" and type(func.value) is ast.Name:
                self._pop(func.value.id, receiver, args, env)
        else:
            callee = self.eval(func, env)
            called = self.call_value(callee, args, kwargs, node, env)
            if called is not None:
                result = called
            elif isinstance(callee, Unknown) and callee.name:
                if self._is_class(callee) and not self._protective_name(callee.name, local=True):
                    mapping = self._unpacked(node, env) if self.is_record(callee.name) else None
                    result = self._construct(callee.name, args, kwargs, node, mapping)
                else:
                    result = self._call_unknown(callee.name, args, kwargs, node)
            else:
                result = UNKNOWN
        self._call_env(node, receiver, args, kwargs, result)
        return result

    def _unpacked(self, node: ast.Call, env: Env) -> Val | None:
        """The value of a ``**row`` argument whose keys are not known (``_args`` drops it)."""
        for arg in call_args(node):
            if arg.star == "**":
                value = self.eval(arg.value, env)
                if not (isinstance(value, Frame) and value.entries):
                    return value
        return None

    def _pop(self, variable: str, receiver: Val, args: list[Val], env: Env) -> None:
        """``row.pop("email", None)``, ``df.pop("email")``: the key leaves the dict or frame (a
        parameter's record too: what it holds is what the function reads, less this)."""
        names = self._names(args[:1])
        if isinstance(receiver, Unknown) and receiver.source is not None:
            receiver = Frame("rows", {}, (receiver.source,))
        if names and isinstance(receiver, Frame):
            env[variable] = receiver.without(names)

    def call_value(self, callee: Val, args: list[Val], kwargs, node, env: Env) -> Val | None:
        """A call of a value that names what it calls: an import, a function of the module,
        one function or another, a ``functools.partial``, a library object's method taken
        without a call (``out = log.info``). None for any other value."""
        if isinstance(callee, Ref):
            return self.call_ref(callee.qname, args, kwargs, node, env)
        if isinstance(callee, Func):
            return self.call_func(callee, args, kwargs, node)
        if isinstance(callee, Seq) and functions_of(callee):
            return join_all([self.call_value(f, args, kwargs, node, env) for f in callee.items])
        if isinstance(callee, Obj) and callee.kind == "itemgetter" and args:
            return self.itemgetter(callee, args[0], node)
        if isinstance(callee, Obj) and callee.kind == "partial":
            bound = callee.data
            args, kwargs = [*bound["args"], *args], {**bound["kwargs"], **kwargs}
            return self.call_value(bound["func"], args, kwargs, node, env)
        if isinstance(callee, Unknown) and callee.receiver is not None:
            method = callee.name.rsplit(".", 1)[-1]
            return self.call_method(callee.receiver, method, args, kwargs, node, env)
        if isinstance(callee, Obj) and callee.kind == "instance":  # tokenize(v): __call__
            cls = callee.data["cls"]
            if self.method(cls, "__call__") is not None:
                return self.instance_method(cls, "__call__", args, kwargs, node, env)
        return None

    # ------------------------------------------------------------------ environment variables
    def call_ref(self, qname: str, args, kwargs, node, env) -> Val:
        if qname in ("os.environ.get", "os.getenv"):
            key = args[0] if args else kwargs.get("key")
            name = key.text if isinstance(key, Str) and key.known else "?"
            default = args[1] if len(args) > 1 else kwargs.get("default")
            literal = default.text if isinstance(default, Str) and default.known else None
            self._env_read(name, node, literal)
            if isinstance(default, Str):
                names = (name,) if name != "?" else ()
                return Str(default.text, "env-default", default.nodes, (), names + default.env)
            return Unknown(f"env:{name}")
        return super().call_ref(qname, args, kwargs, node, env)

    def _env_read(self, name: str, node: Any, default: str | None) -> None:
        if name == "?":
            return
        self.env_reads.setdefault((name, id(node)), (name, node, default))

    def _call_env(self, node: ast.Call, receiver: Val | None, args, kwargs, result: Val) -> None:
        """The variables reaching a call's location arguments (URL, bucket, path), kept for its
        sink and endpoint facts; client objects built from them carry them on. Storage reads are
        recorded here too."""
        # (Values are tested by ``type``: this runs at every call, and the analysis makes no
        # value of a subclass of these. ``env_of`` of other values is empty.)
        obj = type(receiver) is Obj
        names: list[str] = list(env_of(receiver)) if obj else []
        sent = -1  # the argument a client sends (sftp.put's local file), not where to
        if obj and type(node.func) is ast.Attribute:
            sent = _SENT_ARGUMENT.get((receiver.kind, node.func.attr), -1)  # type: ignore[union-attr]
        for index, value in enumerate(args):
            kind = type(value)
            from_env = (kind is Str and value.env) or (kind is Unknown and value.name[:4] == "env:")
            if from_env and index != sent:
                names.extend(env_of(value))
        for key, value in kwargs.items():
            kind = type(value)
            from_env = (kind is Str and value.env) or (kind is Unknown and value.name[:4] == "env:")
            if from_env and key not in _PAYLOAD_KWARGS:
                names.extend(env_of(value))
        if names and isinstance(receiver, Obj) and receiver.kind == "twilio":
            names = []  # its credentials, the sender's number: the SDK's host is fixed
        if names:
            found = tuple(dict.fromkeys(names))
            old = self.call_envs.get(id(node), ())
            self.call_envs[id(node)] = tuple(dict.fromkeys(old + found))
            if isinstance(result, Obj) and result is not receiver:
                result.data["env"] = tuple(dict.fromkeys((*result.data.get("env", ()), *found)))
        if (
            isinstance(receiver, Obj)
            and isinstance(result, Obj)
            and result is not receiver
            and "bucket" in receiver.data  # a bucket object (its name may be unknown)
            and type(node.func) is ast.Attribute
            and node.func.attr in _OBJECT_HANDLES
        ):
            # bucket.blob("x.csv") names an object in the receiver's bucket, not a bucket.
            result.data["bucket"] = receiver.data["bucket"]
        if obj or type(result) is Frame:  # what ``_storage_read`` reads
            self._storage_read(node, receiver, args, kwargs, result)

    @staticmethod
    def _api_name(func: ast.expr) -> str:
        """``spark.read.option("header", True).csv`` -> ``spark.read.csv``."""
        names: list[str] = []
        expr, skip = func, False
        while True:
            if type(expr) is ast.Attribute:
                if not skip:
                    names.append(expr.attr)
                skip, expr = False, expr.value
            elif type(expr) is ast.Call:
                skip, expr = True, expr.func
            else:
                if type(expr) is ast.Name:
                    names.append(expr.id)
                break
        return ".".join(reversed(names))

    def _storage_read(self, node: ast.Call, receiver: Val | None, args, kwargs, result) -> None:
        func = node.func
        method = func.attr if type(func) is ast.Attribute else ""
        if (
            isinstance(receiver, Obj)
            and method in _STORAGE_READS
            and (receiver.kind in ("s3", "gcs", "azure") or "s3" in receiver.kind)
        ):
            index, keyword = _STORAGE_READS[method]
            bucket = kwargs.get(keyword) if keyword else None
            if bucket is None and index is not None and len(args) > index:
                bucket = args[index]
            host = bucket.text if isinstance(bucket, Str) and bucket.known else None
            if bucket is None:
                host = receiver.data.get("bucket")
            names = env_of(bucket) + env_of(receiver)
            api = f"{receiver.kind}.{method}"
            self._fact("read", node, api=api, target=None, host=host, env=names)
            return
        name = method or (func.id if type(func) is ast.Name else "")
        if not isinstance(result, Frame) or not (
            name in _FRAME_READS or any(s.node is node for s in result.sources)
        ):
            return
        path = args[0] if args else None
        for key in ("path", "filepath_or_buffer", "source", "paths", "io", "path_or_buf"):
            if path is None:
                path = kwargs.get(key)
        if isinstance(path, Seq) and path.items:
            path = path.items[0]
        names = env_of(path)
        text = path.text if isinstance(path, Str) else None
        scheme = text.split("://", 1)[0].lower() if text and "://" in text else None
        if scheme not in _STORAGE_SCHEMES and not names:
            return
        api = self._api_name(func)
        bucket = self._bucket(text)
        host = bucket if bucket and "{" not in bucket else None
        self._fact("read", node, api=api, target=text, host=host, env=names)

    def call_func(self, func: Func, args: list[Val], kwargs: dict[str, Val], node) -> Val:
        if self._protective_name(func.name, local=True):
            # Trusted by its name, unless its body is here and hashes without a key: a local
            # ``def pseudonymize(df)`` that applies sha1 is what its body says.
            if type(func.node) in _DEFS:
                result = self._follow(func, args, kwargs, node)
                if any(c.treatment.startswith("weak-hash:") for c in cols_of(result)):
                    return result
            return self._protect(args, func.name, node)
        return self._follow(func, args, kwargs, node)

    def _follow(self, func: Func, args: list[Val], kwargs: dict[str, Val], node) -> Val:
        """The result of a call of a function of the module: its body run with ``args``."""
        if func.bound is not None:
            args = [func.bound, *args]
        key = id(func.node)
        if self.depth >= MAX_INLINE_DEPTH or key in self.active:
            return join_all(args) if func.name == "<lambda>" else UNKNOWN
        # A call that passes no data gives the same result wherever it is made, until the
        # state it read changes (a helper that reads a file may first run before the file is
        # written): follow it once, and again after such a change. Calls with data are
        # followed each time. Both within a budget per entry point.
        carries = any(isinstance(a, Frame) or cols_of(a) for a in [*args, *kwargs.values()])
        if not carries and func.env and type(func.node) is not ast.Lambda:
            # A nested def reads its scope as it is when called (a lambda is always followed).
            scope = self._closure_env(func) or {}
            carries = any(isinstance(v, Frame) or cols_of(v) for v in scope.values())
        if not carries and type(func.node) is not ast.Lambda:
            # Per constant arguments too: read("x.json") and read("y.json") differ. A method
            # per class of self: what it reads and calls on self depends on it.
            cls = self.cls if key in self.method_class else None
            # And per variable named like an identifier: norm(caller_phone) may return it,
            # judged by its name, and norm(ward) then must not.
            skey = (key, cls, *(self._summary_key(a) for a in args))
            if kwargs:
                named = ((k, self._summary_key(v)) for k, v in kwargs.items())
                skey += tuple((k, v) for k, v in named if v is not None)
            summary = self.summaries.get(skey)
            if summary is not None:
                if not self._stale(summary) or self.refresh_budget <= 0:
                    for deps in self.reading:
                        deps.update(summary.deps)
                    for dep in summary.deps:
                        self.first_read.setdefault(dep, self.state)
                    return summary.result
                self.refresh_budget -= 1
            # While it runs, a recursive call through other helpers sees what it gave before.
            before = summary.result if summary is not None else UNKNOWN
            self.summaries[skey] = _Summary(self.state, frozenset(), before)
            deps: set[tuple[str, Any]] = set()
            self.reading.append(deps)
            try:
                result = self._inline(func, args, kwargs, key)
            finally:
                self.reading.pop()
            self.summaries[skey] = _Summary(self.state, frozenset(deps), result)
            for outer in self.reading:
                outer.update(deps)
            return result
        if self.budget <= 0:
            return join_all(args) if func.name == "<lambda>" else UNKNOWN
        self.budget -= 1
        return self._inline(func, args, kwargs, key)

    def _summary_key(self, value: Val) -> str | None:
        """What of an argument that carries no data a call's summary is kept per."""
        if isinstance(value, Str):
            return value.text
        named = type(value) is Unknown and value.name
        if named and self.confidence(value.name.rsplit(".", 1)[-1]) is not None:
            return "\0" + value.name  # never a string's text
        return None

    def read_state(self, store: str, key: Any) -> None:
        """The runs under way depend on this piece of state (read even if unset). Not on a
        file whose path the analysis cannot name (``anonymous_path``)."""
        if self.reading and not (store == "file" and anonymous_path(key)):
            self.watched.add((store, key))
            for deps in self.reading:
                deps.add((store, key))
            self.first_read.setdefault((store, key), self.state)

    def write_state(
        self, store: str, table: dict, key: Any, value: Val, merge: bool = True, ident: Any = None
    ) -> None:
        """Set ``table[key]`` to ``value``, joined with what it held unless ``merge`` is False.
        Runs that read this piece of state (``(store, ident or key)``) are stale if that
        changed anything a finding can depend on."""
        before = table.get(key, UNKNOWN)
        after = table[key] = join(before, value) if merge else value
        if store == "file" and anonymous_path(key):
            return  # read back in this run only (``_run_function``): no run depends on it
        name = (store, key if ident is None else ident)
        if name in self.watched and before is not after and reshaped(before, after):
            self.state += 1
            self.written[name] = self.state
            self.wrote.add(name)

    def payload(self, obj: Obj) -> Any:
        """What was written into an object (a buffer, an open file), read as state. The
        object is its own key (compared by identity): not its ``id``, which a later object
        takes once it is freed, making a run stale or not by where objects are allocated."""
        self.read_state("payload", obj)
        return obj.data.get("payload")

    def add_payload(self, obj: Obj, value: Val) -> None:
        self.write_state("payload", obj.data, "payload", value, ident=obj)

    def _inline(self, func: Func, args: list[Val], kwargs: dict[str, Val], key: int) -> Val:
        saved_top = self.top
        if func.top is not None:
            self.top = func.top
        try:
            return self._inline_body(func, args, kwargs, key)
        finally:
            self.top = saved_top

    def _inline_body(self, func: Func, args, kwargs, key: int) -> Val:
        self.steps += 1  # a lambda's body is an expression: counted here
        scope = self._closure_env(func)
        env: Env = dict(scope) if scope else {}
        self.active.add(key)
        self.running.append(key)
        self.depth += 1
        try:
            if type(func.node) is ast.Lambda:
                self._bind_lambda(func.node, env, args, kwargs)
                return self.eval(func.node.body, env)
            self._bind_params(func.node, env, args, kwargs)
            cls = self.method_class.get(id(func.node))
            # A method's facts are named as when it runs as an entry point (Exporter.export:)
            with self._in_function(f"{cls}.{func.name}" if cls else func.name):
                returns = self._suite(func.node.body, env)
            result: Val = UNKNOWN
            for value in returns:
                result = join(result, value)
            return result
        finally:
            self.depth -= 1
            self.running.pop()
            self.active.discard(key)

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
                env[pname] = self._param_value(param)
        for param in kwonly:
            pname = param.name
            env[pname] = kwargs.get(pname) or (
                self._default(param)
                if param.default and not (entry and self._placeholder(param))
                else self._param_value(param)
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

    def _param_value(self, param: Param) -> Val:
        """A parameter no call gives: unknown, or, annotated with a record class of the module
        (``complaint: Complaint``, ``rows: list[Complaint]``, a FastAPI body), a record (or
        rows of records) whose fields are read from it."""
        value = self._param(param)
        annotation = param.annotation
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

    def _protective_name(self, name: str, local: bool = False) -> bool:
        """``name`` is a protective function, by its whole or its last dotted part; in either
        spelling (pseudonymise, pseudonymize) unless it is a function of the module (``local``:
        a ``def tokenise(text)`` of its own is a word splitter, not the city's tokenizer)."""
        names = self.protective if local else self.protective_any
        return name in names or name.rsplit(".", 1)[-1] in names

    def _protect(self, args: list[Val], name: str, node) -> Val:
        treatment = KEYED if name.startswith("hmac.") else f"protected:{name}"
        cols = tuple(c for a in args for c in cols_of(a))
        step = Step(node, f"protected by {name}()")
        if not cols:
            return UNKNOWN
        return Series(tuple(c.treated(treatment, step) for c in cols), self._bound(*args))

    def _hash(self, algo: str, args: list[Val], node, bound: bool = True, key=None) -> Val:
        """``key``: a key written in the code (how the call names it, where it is written),
        for a keyed function whose key everyone with the repository holds."""
        if not args and not self._protective_name(algo):
            return Obj("hasher", {"algo": algo})  # h = sha256(); h.update(v): see _obj_method
        cols = tuple(c for a in args for c in cols_of(a))
        extra = {"key": key} if key else {"secret": self._secret_prefix(node)}
        if not cols:
            named = tuple(c for a in args for c in self._named_cols(a, node))
            if named:
                self._fact("hash", node, algo=algo, columns=named, **extra)
            return Unknown("hash")
        self._fact("hash", node, algo=algo, columns=cols, **extra)
        if key:
            step = Step(node, f"hashed with {algo}, its key written in the code")
            algo = f"{algo} (key in the code)"
        else:
            step = Step(node, f"hashed with unkeyed {algo}")
        return Series(tuple(c.treated(f"weak-hash:{algo}", step) for c in cols), bound)

    def _secret_prefix(self, node: Any) -> str:
        """A secret read at run time in what a hash call hashes (its first argument): a module
        constant set from the environment or a secret store (``PEPPER + id``,
        ``F.concat(F.lit(PEPPER), col)``), or such a read written there. "" when none is."""
        if type(node) is not ast.Call or not node.args:
            return ""
        for sub in ast.walk(node.args[0]):
            if type(sub) is ast.Name:
                found = self._module_secrets().get(sub.id)
                if found:
                    return f"'{sub.id}' from {found}"
            elif type(sub) in (ast.Call, ast.Subscript):
                found = _secret_read(sub)
                if found:
                    return found
        return ""

    def _module_secrets(self) -> dict[str, str]:
        """The module's constants set to a secret read at run time (``PEPPER =
        os.environ["PEPPER"]``, ``dbutils.secrets.get(...)``, Key Vault's ``get_secret(...)
        .value``): what each is read from. Read from the tree when a hash first needs it."""
        secrets = getattr(self, "_secrets_of_module", None)
        if secrets is None:
            secrets = {}
            for stmt in getattr(self.tree, "body", ()):
                if type(stmt) is ast.Assign and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                    if type(target) is ast.Name:
                        found = _secret_read(stmt.value)
                        if found:
                            secrets[target.id] = found
                        else:
                            secrets.pop(target.id, None)
            self._secrets_of_module = secrets
        return secrets

    def method(self, cls: str, name: str) -> Func | None:
        """The method ``name`` of ``cls`` or of the first class in its method order that has
        one (classes of this module)."""
        for current in self._mro(cls):
            if (current, name) in self.methods:
                return self.methods[(current, name)]
        return None

    def call_on_self(self, name: str, args, kwargs, node, by_super: bool = False) -> Val | None:
        """``self.name(...)`` or ``super().name(...)``: the method Python's order finds and,
        for self, the overrides in the subclasses of self's class, run for them (self may be
        one of theirs: a base's template method calls the hooks its subclasses define). None
        when no class of the module has such a method."""
        method = self.super_method(name) if by_super else self.method(self.cls, name)
        result = self._call_method(method, args, kwargs, node) if method is not None else None
        if by_super:
            return result
        for sub in self.subclasses.get(self.cls, ()):
            override = self.methods.get((sub, name))
            if override is None or override is method or self.method(sub, name) is not override:
                continue
            value = self.as_instance(
                sub, lambda o=override: self._call_method(o, args, kwargs, node)
            )
            result = value if result is None else join(result, value)
        return result

    def _is_class(self, value: Val) -> bool:
        """A class of the module itself (``Job``), not one of its instances or attributes."""
        return (
            type(value) is Unknown
            and value.name in self.bases
            and value.source is None
            and value.receiver is None
        )

    def _construct(self, cls: str, args, kwargs, node, mapping: Val | None = None) -> Val:
        """``Job(df)``: its ``__init__`` runs as a method of the class, and the instance's
        methods and attributes are the class's (``job.run()``, ``job.df``). ``mapping``: a
        ``**row`` argument whose keys are not known (a record's fields are read from it)."""
        init = self.method(cls, "__init__")
        if init is None and self.is_record(cls):
            return self._construct_record(cls, args, kwargs, node, mapping)
        # Without arguments that say anything, it does what it does when it runs alone.
        if init is not None and any(map(_informative, (*args, *kwargs.values()))):
            self.as_instance(cls, lambda: self._call_method(init, args, kwargs, node))
        if self._plain_exception(cls):  # ReadRejected(f"plate {plate}"): str(exc) is that
            return join_all([*args, *kwargs.values()])
        return Obj("instance", {"cls": cls})

    def _plain_exception(self, cls: str) -> bool:
        """A class of the module derived from an exception (a base named ...Error,
        ...Exception, ...Warning that the module does not define) whose message is what it is
        built with: none of its classes defines ``__init__`` or ``__str__``, which could make
        another message (``super().__init__("rejected")``, keeping the row as an attribute)."""
        order = self._mro(cls)
        if any(self.method(current, m) for current in order for m in ("__init__", "__str__")):
            return False
        return any(
            base.endswith(_EXCEPTIONS) and base not in self.bases
            for current in order
            for base in self.bases.get(current, ())
        )

    def is_record(self, cls: str) -> bool:
        """A dataclass, NamedTuple, pydantic model... of the module (fields, no __init__)."""
        return any(c in self.fields for c in self._mro(cls))

    def _nested_record(
        self, annotation: ast.expr | None, item: Val, node, outer: tuple[str, ...]
    ) -> Val:
        """A field read from a mapping, annotated with a record class of the module
        (``address: Address``, ``contacts: list[Contact]``): that record, its fields read from
        ``item`` (``asdict``/``model_dump`` give them nested). Else ``item`` itself."""
        cls, held = _annotated_class(annotation) if annotation is not None else ("", "")
        if not cls or cls in outer or not self._plain_record(cls):
            return item  # a record that holds its own class (a tree): its fields once
        return _held(self._construct_record(cls, [], {}, node, item, outer), held)

    def _plain_record(self, cls: str) -> bool:
        """A record class of the module whose fields are what it is given (no ``__init__``)."""
        return cls in self.bases and self.is_record(cls) and self.method(cls, "__init__") is None

    def _construct_record(
        self, cls: str, args, kwargs, node, mapping: Val | None = None, outer: tuple[str, ...] = ()
    ) -> Val:
        """``Rec(row["email"], ward=w)`` of a dataclass, a NamedTuple, a TypedDict or a pydantic
        model: the arguments are its fields (a base's first, a validator's result for a field
        it checks). The instance, printed or dumped, shows them, but for ``hidden_fields``.
        From a ``mapping`` (``Rec(**row)``, ``Rec.model_validate(row)``), each field the
        arguments do not give is ``mapping[field]`` (a record of a field annotated with a
        record class: ``outer``, the classes of the records around it)."""
        outer = (*outer, cls)
        fields: dict[str, None] = {}
        for current in reversed(self._mro(cls)):
            fields.update(dict.fromkeys(self.fields.get(current, ())))
        values = dict(zip(fields, args, strict=False))  # extra arguments: an error
        values.update((name, value) for name, value in kwargs.items() if name in fields)
        if mapping is not None:
            types: dict[str, ast.expr] = {}
            for current in reversed(self._mro(cls)):
                types.update(self.field_types.get(current, {}))
            for name in fields:
                if name not in values:
                    item = self.index(mapping, Str(name), node)
                    values[name] = self._nested_record(types.get(name), item, node, outer)
        checks: dict[str, ast.FunctionDef] = {}
        for current in reversed(self._mro(cls)):
            checks.update(self.validators.get(current, {}))
        carried: dict[str, Col] = {}
        for name, value in values.items():
            check = checks.get(name)
            if check is not None and cols_of(value):  # @field_validator("phone"): its result
                value = self.call_func(
                    Func(check, None, check.name, check), [Unknown("cls"), value], {}, node
                )
            if cols_of(value):  # a field is a column named as the field: card_id from card_no
                carried[name] = col = self._as_column(name, value, node)
                if col.by_name:  # a Person's full_name: the class owns it too
                    carried[name] = replace(col, owner=f"{col.owner} {cls}".strip())
                if not _records(value):  # complaint.address.ward: the nested record's field
                    value = Series((carried[name],))
            elif not isinstance(value, (Num, Ref, Func, Str, Frame, Obj)):
                # A value traced to no data (a variable split from a line): the field's name
                # alone is weak evidence, judged like a dict key's (``{"plate": plate}``).
                step = Step(node, f"field '{name}'")
                origin = self._var_origin(value)
                carried[name] = Col(name, origin, RAW, (step,), by_name=True, owner=cls)
            if _informative(value):
                self.write_state("attr", self.attrs, (cls, name), value)
        if any(c in self.dict_records for c in self._mro(cls)):
            return Frame("dict", carried)  # a TypedDict makes a plain dict
        data: dict[str, Any] = {"cls": cls}
        hidden = [self.hidden_fields[c] for c in self._mro(cls) if c in self.hidden_fields]
        if carried:
            # What the instance shows (printed, logged, formatted), and what asdict() and
            # model_dump() give.
            not_shown = set().union(*(h[0] for h in hidden))
            not_dumped = set().union(*(h[1] for h in hidden))
            data["payload"] = Frame(
                "dict", {k: c for k, c in carried.items() if k not in not_shown}
            )
            if hidden:
                fields = {k: c for k, c in carried.items() if k not in not_dumped}
                data["fields"] = Frame("dict", fields)
        return Obj("instance", data)

    def as_instance(self, cls: str, run: Callable[[], Val]) -> Val:
        """What ``run`` gives with self an instance of ``cls`` (a call from outside the class,
        a constructor or ``job.run()``, or a subclass's override run for a base's self)."""
        saved = self.cls
        self.cls = cls
        try:
            return run()
        finally:
            self.cls = saved

    def instance_method(self, cls: str, name: str, args, kwargs, node, env) -> Val:
        """``job.run(...)`` on an instance of a module class: the method its class finds, or
        what the attribute holds (``job.handler = print``)."""
        method = self.method(cls, name)
        if method is not None:
            return self.as_instance(cls, lambda: self._call_method(method, args, kwargs, node))
        held = self.as_instance(cls, lambda: self.attribute_of(cls, name, node))
        called = self.call_value(held, args, kwargs, node, env) if held is not None else None
        return called if called is not None else UNKNOWN

    def _call_method(self, method: Func, args, kwargs, node) -> Val:
        static = _decorated_with(method.node, "staticmethod") or id(method) in self.static_wrappers
        return self.call_func(method, args if static else [Unknown("self"), *args], kwargs, node)

    def attribute_of(self, cls: str, attr: str, node: Any) -> Val | None:
        """``self.attr`` for self of class ``cls``: what the class or a base sets, else its
        method: a property's value, or the method bound to self (``h = self.emit``). Self may
        be an instance of a subclass: what one sets, or its property's value, may be it too."""
        value, replaced = self._attribute_set(cls, attr)
        method = self.method(cls, attr) if value is None else None
        if method is not None:
            if not _decorated_with(method.node, *_PROPERTY):
                return replace(method, bound=Unknown("self"))
            value = self._call_method(method, [], {}, node)
        if cls != self.cls or _private(attr):  # self.__key: each class has its own
            return value
        for sub in self._instances_here(cls):
            if replaced:  # this run set it (a hook a subclass overrides may have too)
                found = self.run_values.get((sub, attr))
            else:
                found, _ = self._attribute_set(sub, attr)
            override = self.methods.get((sub, attr))
            if (
                found is None
                and override is not None
                and override is not method
                and _decorated_with(override.node, *_PROPERTY)
                and self.method(sub, attr) is override
            ):
                self.cls = sub
                try:
                    found = self._call_method(override, [], {}, node)
                finally:
                    self.cls = cls
            if found is not None:
                value = found if value is None else join(value, found)
        return value

    def _instances_here(self, cls: str) -> list[str]:
        """The subclasses of ``cls`` whose instances can be self in the method that runs:
        those that do not override it (a subclass that does never runs this code)."""
        subs = self.subclasses.get(cls, ())
        own = self._running_method()
        if own is None or not subs:
            return list(subs)
        found = self.instances.get((cls, own))
        if found is None:  # the classes and their methods are fixed once the entries run
            name, owner = self.method_names[own], self.method_class[own]
            found = [sub for sub in subs if self._defining(sub, name) == owner]
            self.instances[(cls, own)] = found
        return found

    def _running_method(self) -> int | None:
        """The innermost method (its def's id) among the runs under way."""
        return next((i for i in reversed(self.running) if i in self.method_class), None)

    def _defining(self, cls: str, name: str) -> str | None:
        """The class whose method ``name`` an instance of ``cls`` runs."""
        return next((c for c in self._mro(cls) if (c, name) in self.methods), None)

    def _attribute_set(self, cls: str, attr: str) -> tuple[Val | None, bool]:
        """What ``cls`` or a base sets ``self.attr`` to, and whether the run under way set it
        (outside any branch: it replaced what other runs set)."""
        for owner in self._mro(cls):
            self.read_state("attr", (owner, attr))
            if (owner, attr) in self.run_values:
                return self.run_values[(owner, attr)], True
            if (owner, attr) in self.attrs:
                return self.attrs[(owner, attr)], False
        return None, False

    def super_method(self, name: str) -> Func | None:
        """``super().name`` in the running method: the first class that has one after the
        method's own class, in the method order of self's class (a sibling's, in a diamond)."""
        order = self._mro(self.cls)
        running = self._running_method()
        own = self.method_class[running] if running is not None else None
        start = order.index(own) + 1 if own in order else 1
        for current in order[start:]:
            if (current, name) in self.methods:
                return self.methods[(current, name)]
        return None

    def _mro(self, cls: str) -> list[str]:
        """``cls`` and its bases in Python's method resolution order (C3)."""
        if not self.bases.get(cls):  # also before ``run`` has read the classes
            return [cls]
        order = self.mros.get(cls)
        if order is None:
            order = self.mros[cls] = _linearize(cls, self.bases, ())
        return order

    def _call_unknown(self, name: str, args, kwargs, node) -> Val:
        if self._protective_name(name):
            return self._protect(args, name, node)
        if name == "super" and self.cls:
            return Unknown("super")
        if name.endswith(_EXCEPTIONS):  # ValueError(f"bad address {email}"): its message
            self._messages([*args, *kwargs.values()])
            return join_all(args)
        if name == "spark" or name.endswith("SparkSession.builder.getOrCreate"):
            return Obj("spark")
        return UNKNOWN

    # ------------------------------------------------------------------ facts
    def _log(self, api: str, args, kwargs, node) -> None:
        cols: list[Col] = []
        opened: list[tuple[Source, frozenset[str]]] = []
        for i, arg in enumerate(args):
            if i == 0 and isinstance(arg, Str) and not arg.cols and api != "print":
                continue  # the format string itself
            found = cols_of(arg) or self._named_cols(arg, node)
            cols.extend(found)
            _open_sources(arg, opened)
        for key, value in kwargs.items():
            if key not in ("exc_info", "stack_info", "stacklevel", "sep", "end", "file", "flush"):
                cols.extend(cols_of(value))
                _open_sources(value, opened)
        if cols or opened:
            self._sink("log", api, Series(tuple(cols)), node, opened=opened)

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
    ) -> None:
        """``hosts``: every host a network call may reach (``host`` is the first). ``opened``:
        the sources of open schema a log call writes whole (``_open_sources``). ``attributes``:
        those a DynamoDB write sets, when all are known (``SinkFact.attributes``)."""
        cols = cols_of(value)
        key = ("sink", id(node))
        grouped = value.grouped if isinstance(value, Frame) else ""
        if key in self.pending:
            data = self.pending[key].data
            if data["grouped"] != grouped:  # the least protected of what the runs saw
                data["grouped"] = "cells" if "" not in (data["grouped"], grouped) else ""
            data["columns"] = data["columns"] + tuple(c for c in cols if c not in data["columns"])
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
            },
        )

    def _fact(self, kind: str, node, **data) -> None:
        # One fact per node, except endpoints: one call may name several (Kafka brokers).
        key = (kind, id(node), data.get("url", "") if kind == "endpoint" else data.get("tls", ""))
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
        if key in ("verify", "ssl", "verify_ssl", "check_hostname"):
            if isinstance(value, Num) and value.value is False and _tls_call(node):
                self._tls("verify-false", arg, self._text(node.func))
        elif key == "cert_reqs" and _cert_none(value):  # urllib3, ssl.wrap_socket
            self._tls("cert-none", arg, self._text(node.func))
        elif key == "sslmode" and isinstance(value, Str) and value.text == "disable":
            self._tls("sslmode-disable", arg, self._text(node.func))

    def _tls_attribute(self, target: ast.Attribute, value: Val) -> None:
        """A session's ``verify`` or an SSL context's checks switched off by assignment."""
        attr = target.attr
        if attr in ("verify", "check_hostname") and isinstance(value, Num) and value.value is False:
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

    # ------------------------------------------------------------------ results
    def model(self) -> PythonModel:
        model = PythonModel(self.path, analysed=True)
        if not self.pending and not self.env_reads:
            return model
        places, path = self.places, self.path
        spans: dict[int, Location] = {}

        def loc(node: Any) -> Location:
            where = spans.get(id(node))
            if where is None:
                start, end = places.span(node)
                line, col = places.point(start)
                end_line, end_col = places.point(end)
                where = spans[id(node)] = Location(path, line, col + 1, end_line, end_col + 1)
            return where

        def call_loc(node: Any) -> Location:
            """A method call that ends a chain over several lines: from the method's name."""
            where = loc(node)
            if type(node) is ast.Call and type(node.func) is ast.Attribute:
                end = places.span(node.func)[1]
                line, col = places.point(end - len(node.func.attr))
                if line != where.start_line:
                    return Location(path, line, col + 1, where.end_line, where.end_col)
            return where

        def scope(stmt: Any) -> tuple[int, int]:
            return self._line_group(stmt) or places.lines(stmt)

        def column(col: Col) -> ColumnFact:
            flow = tuple(Related(loc(s.node), s.label) for s in col.flow)
            return ColumnFact(col.name, col.origins, col.treatment, flow, col.by_name, col.owner)

        set_attrs = {attr for _, attr in self.attrs}

        def column_facts(cols: Iterable[Col]) -> tuple[ColumnFact, ...]:
            # A name guessed from an attribute of self read before a method set it: the run
            # again after it was set gave what it holds (facts must not depend on the order).
            kept = (c for c in cols if not c.unset or c.unset not in set_attrs)
            return tuple(dict.fromkeys(column(c) for c in kept))

        for item in self.pending.values():
            data = item.data
            where, anchor, block = call_loc(item.node), item.anchor, scope(item.stmt)
            if item.kind == "sink":
                # A record or table logged whole holds what the code reads from its source
                # anywhere, later too (rec logged, then rec["email"] read): its fields then.
                # (Not for exports: a column read after a write is not taken to be in it.)
                columns = column_facts(_with_observed(data["columns"], data["open"]))
                if not columns and data["kind"] == "log" and not data["columns"]:
                    continue  # a record logged whole of which nothing was read
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
                        self.call_envs.get(id(item.node), ())
                        # a DynamoDB table's too: Table(os.environ["TABLE"]) (join.named_store)
                        if data["kind"] in ("network", "storage", "file")
                        or data["api"].startswith("dynamodb.")
                        else (),
                        data["hosts"],
                        data["attributes"],
                        data["grouped"],
                    )
                )
            elif item.kind == "hash":
                columns = column_facts(data["columns"])
                secret = data.get("secret", "")
                key, key_node = data.get("key") or ("", None)
                model.hashes.append(
                    HashFact(
                        data["algo"],
                        where,
                        anchor,
                        block,
                        columns,
                        secret,
                        key,
                        loc(key_node) if key_node is not None else None,
                    )
                )
            elif item.kind == "endpoint":
                related = tuple(
                    Related(loc(n), "URL written here")
                    for n in data["nodes"][:3]
                    if loc(n).start_line != where.start_line
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
                        tuple(
                            dict.fromkeys(
                                data.get("env", ()) + self.call_envs.get(id(item.node), ())
                            )
                        ),
                        data.get("written", ""),
                    )
                )
            elif item.kind == "tls":
                model.tls.append(TlsFact(data["tls"], data["api"], where, anchor, block))
            elif item.kind == "read":
                names = tuple(dict.fromkeys(data["env"] + self.call_envs.get(id(item.node), ())))
                model.reads.append(
                    ReadFact(
                        "storage", data["api"], where, anchor, block, data["target"],
                        data["host"], names,
                    )
                )  # fmt: skip
        for name, node, default in self.env_reads.values():
            model.env_reads.append(EnvReadFact(name, loc(node), default))
        model.env_reads.sort(key=lambda f: (f.location.start_line, f.location.start_col, f.name))
        model.reads.sort(key=lambda f: (f.location.start_line, f.location.start_col))
        key = lambda f: (f.location.start_line, f.location.start_col)  # noqa: E731
        model.sinks.sort(key=key)
        model.hashes.sort(key=key)
        model.endpoints.sort(key=key)
        model.tls.sort(key=key)
        return model


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


def _cert_none(value: Val | None, named: bool = True) -> bool:
    """``ssl.CERT_NONE`` (however imported), or with ``named`` urllib3's ``"CERT_NONE"``."""
    if isinstance(value, Ref):
        return value.qname.rsplit(".", 1)[-1] == "CERT_NONE"
    return named and isinstance(value, Str) and value.known and value.text == "CERT_NONE"


_BUILTINS = {
    "open", "print", "hash", "round", "str", "list", "tuple", "set", "sorted", "dict", "iter",
    "reversed", "repr", "format", "next", "frozenset", "bytes", "enumerate", "zip", "filter",
    "map", "int", "float", "len", "sum", "min", "max", "abs", "any", "all", "isinstance",
    "getattr",
}  # fmt: skip


def _unknown(_analyzer: Analyzer, _node: Any, _env: Env) -> Val:
    return UNKNOWN  # an expression the analysis does not model


# Node class -> Analyzer._e_<class name> (or _unknown): ``eval`` runs a million times a run.
_EVALUATORS: dict[type, Callable[[Analyzer, Any, Env], Val]] = {}


# State whose read, before it is written, gives a value of its own (a file read before it is
# written has the columns its reader names, untreated): facts from it are wrong, not partial.
_READ_BEFORE_WRITTEN = ("file", "cursor")


def _private(attr: str) -> bool:
    """``self.__key``: Python renames it per class (``_Base__key``)."""
    return attr.startswith("__") and not attr.endswith("__")


def _unset(name: str) -> str:
    """The attribute of self an unknown value was read from (``self.row.email``: row)."""
    return name.split(".", 2)[1] if name.startswith("self.") else ""


def _same_names(elt: ast.Tuple, target: Any) -> bool:
    """A comprehension's ``(k, v)`` is its ``for k, v in ...``'s: the pairs it iterates."""
    return (
        type(target) is ast.Tuple
        and len(elt.elts) == len(target.elts) == 2
        and all(
            type(a) is ast.Name and type(b) is ast.Name and a.id == b.id
            for a, b in zip(elt.elts, target.elts, strict=True)
        )
    )


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


# What flask's request carries from the client (a JSON body, a form, the query string).
_FLASK_REQUEST_DATA = frozenset(("json", "form", "args", "values", "data", "files"))
# Django's request.POST/GET, Django REST framework's request.data/query_params.
_DJANGO_REQUEST_DATA = frozenset(("POST", "GET", "query_params"))
_REQUEST_PARAMS = frozenset(("request", "req"))
# What a query's row has as attributes besides its columns (BigQuery's Row, SQLAlchemy's Row).
_ROW_METHODS = frozenset(("get", "items", "keys", "values", "count", "index", "tuple", "t"))
# The names of a view's parameter that, unannotated, may be a Starlette connection (its
# client is the address the request came from).
_CONNECTION_NAMES = frozenset(("request", "req", "websocket", "ws"))


def _written_attribute(node: Any, attr: str, places: Places) -> bool:
    """``node`` reads ``attr`` as written: ``x.attr`` or ``getattr(x, "attr")`` with the name in
    a string literal (what the pre-filter's text and ``ast`` stages can see)."""
    if type(node) is ast.Attribute:
        return True
    if type(node) is not ast.Call or len(call_args(node)) < 2:
        return False
    name = call_args(node)[1].value
    return (
        type(name) is ast.Constant
        and type(name.value) is str
        and name.value == attr
        and len(places.string_parts(name)) == 1
    )


# ``pid`` names a person id in the taxonomy, but a process object's pid (or its parent's) is
# the OS's: a process made by a library the analysis knows (subprocess.Popen, psutil,
# multiprocessing), or a value whose name says it is one (proc, process, child_proc; not a
# child's or a worker's: those may be people).
_PROCESS_IDS = frozenset(("pid", "ppid"))
_PROCESS_NAME = re.compile(r"(?:^|[._])(?:procs?|process(?:es)?|popen|subprocess|daemon)\d*$")


def _is_process(value: Val | None) -> bool:
    if isinstance(value, Obj):
        return value.kind == "process"
    return isinstance(value, Unknown) and _PROCESS_NAME.search(value.name) is not None


# A bare ``address``/``addr`` is a resident's (an identifier of high confidence), but network
# code names a socket's or a server's address so: (host, port) or a host. A function that
# passes the name as the address of a socket, asyncio, socketserver/http.server, ssl, smtplib
# or multiprocessing.connection call means that by it everywhere in its body (and a class by
# ``self.address``): its value there is no identifier, as ``proc.pid`` is no person's id.
_ADDRESS_NAMES = frozenset(("address", "addr"))
_SOCKET_METHODS = frozenset(("bind", "connect", "connect_ex", "sendto"))  # positional only
_ADDRESS_CALLS = frozenset((
    "create_connection", "create_server", "getaddrinfo", "open_connection", "start_server",
    "create_datagram_endpoint", "open_unix_connection", "start_unix_server",
    "create_unix_connection", "create_unix_server", "get_server_certificate", "wrap_socket",
    "wrap_bio", "SMTP", "SMTP_SSL", "LMTP", "Listener", "Client",
))  # fmt: skip
_ADDRESS_KEYWORDS = frozenset(("address", "host", "local_addr", "remote_addr", "server_hostname"))
_ADDRESS_TEXT = re.compile(r"\baddr(?:ess)?\b")
_SOCKET_TEXT = re.compile(
    r"\b(?:bind|connect(?:_ex)?|sendto|getaddrinfo|open_connection|start_server"
    r"|create_\w+|\w*_unix_\w+|get_server_certificate|wrap_\w+|\w*Server|SMTP(?:_SSL)?"
    r"|LMTP|Listener|Client)\s*\("
)


class _SocketAddresses:
    """Per function (its def's id), the names it passes as a socket's address; per class (as
    ``Analyzer._functions`` names it), the attributes of self its methods pass so."""

    def __init__(self) -> None:
        self.names: dict[int, set[str]] = {}
        self.attrs: dict[str, set[str]] = {}


def _socket_addresses(tree: ast.Module, text: str) -> _SocketAddresses:
    """What ``_SocketAddresses`` holds, read from the module's tree."""
    found = _SocketAddresses()
    # "addr" in text first: a pattern that starts with \b is tried at every position (the
    # regex engine finds no literal to skip to), 60 times slower than the substring test
    if "addr" in text and _ADDRESS_TEXT.search(text) and _SOCKET_TEXT.search(text):
        _scan_addresses(tree, found)
    return found


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
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _counter_names(tree: ast.Module) -> dict[int, set[str]]:
    """What ``Analyzer.counters`` gives, read from the module's tree."""
    found: dict[int, set[str]] = {}
    # Only statements set these names, and statements sit only in statement lists (a def's,
    # a class's, a block's, an except handler's or a match case's): the walk skips the
    # expressions, most of the tree (a lambda holds no statement)
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, scope = stack.pop()
        for field in _STATEMENT_LISTS:
            for child in getattr(node, field, ()):
                stack.append((child, id(child) if type(child) in _DEFS else scope))
        kind = type(node)
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


def _all_protected(value: Val) -> bool:
    """A series of columns all of which a protective function of the policy (or an HMAC)
    returned."""
    return (
        type(value) is Series
        and bool(value.cols)
        and all(c.treatment == KEYED or c.treatment.startswith("protected:") for c in value.cols)
    )


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


def _with_observed(
    cols: tuple[Col, ...], opened: tuple[tuple[Source, frozenset[str]], ...]
) -> tuple[Col, ...]:
    """``cols`` and the columns of the ``opened`` sources observed after they were taken."""
    if not opened:
        return cols
    out = list(cols)
    for source, drawn in opened:
        for name in list(source.observed):
            if name not in drawn:
                col = source.col(name)
                if col not in out:
                    out.append(col)
    return tuple(out)


def _not_named(value: Val | None) -> Val:
    """A socket's address as the code holds it: nothing its name says (a parameter, a value
    known only by names); what the analysis knows otherwise (a literal, a column) it keeps."""
    if value is None or isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, Series) and value.cols and all(c.by_name for c in value.cols):
        return UNKNOWN
    return value


def _request_data(param: Unknown, attr: str) -> bool:
    """``param.attr`` is data a web request carries (``param`` a view's parameter)."""
    return attr in _DJANGO_REQUEST_DATA or (attr == "data" and param.name in _REQUEST_PARAMS)


def _held(record: Val, held: str) -> Val:
    """``record`` as an annotation holds it (see ``_annotated_class``): in a collection, or as
    a mapping's values (an ``Obj("mapping")``: ``.values()``, ``[key]``, ``.get(key)``)."""
    for wrap in held:
        record = Seq((record,)) if wrap == "m" else Obj("mapping", {"payload": record})
    return record


def _records(value: Val) -> bool:
    """A record instance, or a sequence of them (a nested record's field)."""
    items = value.items if isinstance(value, Seq) else (value,)
    return bool(items) and all(isinstance(i, Obj) and i.kind == "instance" for i in items)


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


_OPS = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<="}
_FLIPPED = {ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Lt: ast.Gt, ast.LtE: ast.GtE}
_THRESHOLD = re.compile(r"(?<!\w)(?:[A-Za-z_]\w*|`[^`]*`)\s*(>=|>|<=|<)\s*(\d+|@\w+|[A-Z_]\w*)")


def _text_thresholds(text: str) -> Iterator[tuple[str, float | None]]:
    """The comparisons of a query text with a bound: (operator, number or None for a name)."""
    for match in _THRESHOLD.finditer(text):
        bound = match.group(2)
        yield match.group(1), float(bound) if bound.isdigit() else None


def _enough(op: str, number: float | None, k: int, keep: bool) -> bool:
    """Whether keeping (or, ``keep`` False, dropping) the rows ``n <op> number`` leaves no
    group under ``k``; a bound that is not a number is taken to be k."""
    if keep and op in (">=", ">"):
        return number is None or number >= (k if op == ">=" else k - 1)
    if not keep and op in ("<", "<="):
        return number is None or number >= (k if op == "<" else k - 1)
    return False


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


# ``name = ...`` (or ``&=``, ``|=``) on a line that compares, negates, combines or tests:
# what may set ``name`` to a mask (``_row_filter``'s cheap test before ``_mask_names``).
_MASK_SET = (
    r"(?<![\w.]){}\s*[&|]?=(?!=)[^\n]*(?:[<>~&|]|[=!]=|\.(?:"
    + "|".join(sorted(_MASK_METHODS))
    + r")\b)"
)


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


def _subscript_items(node: ast.Subscript) -> list[ast.expr]:
    """The items of a subscript: ``dict[str, Rec]`` has two (see ``Analyzer._slices``)."""
    key = node.slice
    if type(key) is ast.Tuple and key.elts:
        first = key.elts[0]
        if (first.lineno, first.col_offset) == (key.lineno, key.col_offset):
            return key.elts
    return [key]


def _bases(stmt: ast.ClassDef) -> list[ast.expr]:
    """A class's bases as written (``*bases`` as its name)."""
    return [b.value if type(b) is ast.Starred else b for b in stmt.bases]


_RECORD_DECORATORS = frozenset(("dataclass", "define", "frozen", "mutable"))  # attrs' last 3
_RECORD_BASES = frozenset(("NamedTuple", "BaseModel", "TypedDict"))  # typing's; pydantic's


def _record_class(stmt: ast.ClassDef) -> bool:
    """A class whose annotated class-level names are its constructor's parameters."""
    return _decorated_with(stmt, *_RECORD_DECORATORS) or any(
        _last_name(base) in _RECORD_BASES for base in _bases(stmt)
    )


def _hidden_fields(body: Sequence[Any]) -> tuple[frozenset[str], frozenset[str]]:
    """(fields left out of the repr, fields left out of asdict()/model_dump()):
    ``phone: str = field(repr=False)`` (dataclasses, attrs' ``field``/``ib``, pydantic's
    ``Field``), ``email: str = Field(exclude=True)``, ``card: SecretStr`` (masked in both)."""
    not_shown, not_dumped = set(), set()
    for small in body:
        if type(small) is not ast.AnnAssign or type(small.target) is not ast.Name:
            continue
        name, value = small.target.id, small.value
        if _last_name(small.annotation) in ("SecretStr", "SecretBytes"):
            not_shown.add(name)
            not_dumped.add(name)
        if type(value) is ast.Call and _last_name(value.func) in _FIELD_CALLS:
            for arg in call_args(value):
                given = arg.value.value if type(arg.value) is ast.Constant else None
                keyword = arg.keyword if arg.keyword is not None else ""
                if keyword == "repr" and given is False:
                    not_shown.add(name)
                elif keyword == "exclude" and given is True:
                    not_dumped.add(name)
    return frozenset(not_shown), frozenset(not_dumped)


_FIELD_CALLS = frozenset(("field", "ib", "attrib", "Field"))


def _validators(body: Sequence[Any]) -> dict[str, ast.FunctionDef]:
    """``@field_validator("phone")`` (pydantic 2; 1's ``@validator``) methods, by field."""
    found: dict[str, ast.FunctionDef] = {}
    for stmt in body:
        if type(stmt) not in _DEFS:
            continue
        for call in stmt.decorator_list:
            if type(call) is ast.Call and _last_name(call.func) in ("field_validator", "validator"):
                for arg in call_args(call):
                    value = arg.value
                    if (
                        arg.keyword is None
                        and type(value) is ast.Constant
                        and isinstance(value.value, (str, bytes))
                    ):
                        found[value.value] = stmt  # type: ignore[index]
    return found


def _model_column(source: Source, attr: str) -> bool:
    """Whether a row's attribute may be a column: any, but for a model of the module's rows."""
    return type(source) is not ModelSource or not source.columns or attr in source.columns


_ORM_COLUMNS = frozenset(("Column", "mapped_column", "column_property"))


def _orm_columns(body: Sequence[Any]) -> frozenset[str] | None:
    """A SQLAlchemy declarative class's columns: ``email = Column(String)`` (also
    ``db.Column``), ``email: Mapped[str] = mapped_column()`` and ``email: Mapped[str]``; None
    for a class with none and no ``__tablename__`` (not a model, nor a mixin of columns)."""
    names, table = set(), False
    for small in body:
        if type(small) is ast.Assign and len(small.targets) == 1:
            target, value = small.targets[0], small.value
        elif type(small) is ast.AnnAssign:
            target, value = small.target, small.value
            annotation = small.annotation
            if type(annotation) is ast.Subscript and _last_name(annotation.value) == "Mapped":
                if value is None or _last_name(getattr(value, "func", None)) in _ORM_COLUMNS:
                    names.add(getattr(target, "id", ""))
                continue
        else:
            continue
        if type(target) is not ast.Name:
            continue
        if target.id == "__tablename__":
            table = True
        elif type(value) is ast.Call and _last_name(value.func) in _ORM_COLUMNS:
            names.add(target.id)
    names.discard("")
    return frozenset(names) if names or table else None


def _field_names(body: Sequence[Any]) -> dict[str, ast.expr]:
    """``email: str`` and ``ward: str = "x"`` lines of a class body, not ``ClassVar`` ones:
    each field's annotation."""
    names = {}
    for small in body:
        if type(small) is ast.AnnAssign and type(small.target) is ast.Name:
            annotation = outer = small.annotation
            if type(outer) is ast.Subscript:
                outer = outer.value
            if _last_name(outer) != "ClassVar":
                names[small.target.id] = annotation
    return names


def _base_name(value: ast.expr) -> str:
    """A base class's name: ``Base``, or ``Base`` in ``Base[T]`` (a generic)."""
    if type(value) is ast.Subscript:
        value = value.value
    return value.id if type(value) is ast.Name else ""


def _linearize(cls: str, bases: dict[str, list[str]], seen: tuple[str, ...]) -> list[str]:
    """C3: the class, then a merge of its bases' orders that keeps each one's order and the
    order the bases are written in. Where none exists (Python refuses such a class), depth
    first."""
    if cls in seen:
        return [cls]
    parents = bases.get(cls, [])
    seqs = [_linearize(b, bases, (*seen, cls)) for b in parents] + [list(parents)]
    out = [cls]
    while True:
        seqs = [seq for seq in seqs if seq]
        if not seqs:
            return out
        for seq in seqs:
            head = seq[0]
            if not any(head in other[1:] for other in seqs):
                break
        else:
            return list(dict.fromkeys([*out, *(c for seq in seqs for c in seq)]))
        out.append(head)
        seqs = [seq[1:] if seq[0] == head else seq for seq in seqs]


_NAMING = re.compile(r"[^\W_]")


def anonymous_path(path: Any) -> bool:
    """A file path whose known parts name nothing (``f"{base}/{name}"`` is ``{...}/{...}``,
    ``./{...}``): all such texts compare equal, but they are any files, most often not the
    same one. What is written there is read back only by the entry point's run that wrote it
    (a path built once, written and then uploaded; a helper both call): another function's
    run reading ``{...}/{...}`` is not taken to read it, nor run again for it (its reads of
    an unknown file have their own columns). A known part (``{...}/.mh_sequences``,
    ``/out/x_{...}.csv``) names the file: matched by its text, as before."""
    return isinstance(path, str) and _NAMING.search(path.replace("{...}", "")) is None


def _writers_first(read: list[_Summary], wrote: list[set], stale: list[bool]) -> list[int] | None:
    """Entry points reordered so that one that wrote a file (or a cursor's rows) a stale one
    read runs before it: source order otherwise, and where writers and readers form a cycle.
    None if no such read: an attribute or a buffer read before it is set gives nothing, and
    the second run of the stale function completes its facts."""
    after: dict[int, set[int]] = {i: set() for i in range(len(read))}
    for reader, summary in enumerate(read):
        if stale[reader]:
            deps = {dep for dep in summary.deps if dep[0] in _READ_BEFORE_WRITTEN}
            for writer, keys in enumerate(wrote):
                if writer != reader and keys & deps:
                    after[reader].add(writer)
    if not any(after.values()):
        return None
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(read):
        ready = [i for i in after if i not in placed and after[i] <= placed]
        pick = ready[0] if ready else min(i for i in after if i not in placed)
        order.append(pick)
        placed.add(pick)
    return order


def _informative(value: Val) -> bool:
    """Whether an argument says more than a parameter would: anything but a number or an
    unknown value with no name and no origin."""
    return not (
        isinstance(value, Num)
        or (type(value) is Unknown and not value.name and value.source is None)
    )


_MAX_UNROLLED = 8
_EXCEPTIONS = ("Error", "Exception", "Warning")  # the builtins' names, and most libraries'
_FIXED_POINT = re.compile(r"\.(\d+)[fF]\}?$")


def _fixed_point(spec: str) -> int | None:
    """The decimals a format keeps: 3 for ``.3f``, ``%.3f`` and ``{:.3f}``; None for others."""
    match = _FIXED_POINT.search(spec)
    return int(match.group(1)) if match else None


def _keyed_by(loop: ast.For, name: str) -> bool:
    """The loop's variable picks a column in its body: ``df[col]``, ``row[c]``,
    ``drop(columns=[col])``, ``row.pop(c, None)``. (Only then is it worth running the body
    once per name.)"""
    for stmt in loop.body:
        for node in ast.walk(stmt):
            if (
                type(node) is ast.Subscript
                or (type(node) is ast.keyword and node.arg == "columns")
                or (
                    type(node) is ast.Call
                    and type(node.func) is ast.Attribute
                    and node.func.attr == "pop"
                    and (node.args or node.keywords)
                )
            ) and name in _identifiers(node):
                return True
    return False


def _identifiers(root: ast.AST) -> set[str]:
    """The names written in a subtree, attributes' and keywords' included (libcst's ``Name``
    nodes)."""
    found = set()
    for node in ast.walk(root):
        kind = type(node)
        if kind is ast.Name:
            found.add(node.id)
        elif kind is ast.Attribute:
            found.add(node.attr)
        elif (kind is ast.keyword and node.arg is not None) or kind is ast.arg:
            found.add(node.arg)
    return found


def _names_to_unroll(value: Val) -> tuple[Str, ...] | None:
    """The items of a literal tuple or list of a few known strings (column names)."""
    if not isinstance(value, Seq) or not 1 < len(value.items) <= _MAX_UNROLLED:
        return None
    for item in value.items:
        if not (isinstance(item, Str) and item.known and not item.cols and not item.alts):
            return None
    return value.items  # type: ignore[return-value]


def _gained_data(before: Env, after: Env) -> bool:
    """A variable that existed before a loop's body carries columns it did not after it."""
    for name, value in after.items():
        old = before.get(name)
        if old is not None and value is not old:
            cols = cols_of(value)
            if cols and not set(cols) <= set(cols_of(old)):
                return True
    return False


def _column_names(key: Val) -> list[str] | None:
    """The column names a selection key spells: ``"a"``, ``["a", "b"]``; None if any part is
    not a known name."""
    items = key.items if isinstance(key, Seq) else (key,)
    names = [k.text for k in items if isinstance(k, Str) and k.known and k.text]
    return names if names and len(names) == len(items) else None


def _line_groups(module: ast.Module) -> dict[int, tuple[int, int]]:
    """Small statements that share a line (``a = f(\n  x); b = 2``), by id: the first line of
    the first and the last line of the last (a fact's scope is its whole line, libcst's
    ``SimpleStatementLine``). Statements alone on their lines are not in it."""
    groups: dict[int, tuple[int, int]] = {}
    stack: list[list[ast.stmt]] = [module.body]
    while stack:
        run: list[ast.stmt] = []
        for stmt in [*stack.pop(), None]:
            small = stmt is not None and type(stmt) not in _COMPOUND
            if small and run and stmt.lineno == run[-1].end_lineno:  # type: ignore[union-attr]
                run.append(stmt)  # type: ignore[arg-type]
                continue
            if len(run) > 1:
                span = (run[0].lineno, run[-1].end_lineno or run[-1].lineno)
                for member in run:
                    groups[id(member)] = span
            run = [stmt] if small else []  # type: ignore[list-item]
            if stmt is not None and not small:
                for name in ("body", "orelse", "finalbody"):
                    stack.append(getattr(stmt, name, None) or [])
                stack.extend(h.body for h in getattr(stmt, "handlers", ()))
                stack.extend(c.body for c in getattr(stmt, "cases", ()))
    return groups


def _element(node: ast.expr) -> ast.expr:
    """An item of a tuple, list or set as libcst's ``Element`` has it (``*rest``: ``rest``)."""
    return node.value if type(node) is ast.Starred else node


def _decorators_of(node: Any) -> list:
    return getattr(node, "decorator_list", None) or []


def _is_setdefault(node: ast.expr) -> bool:
    return (
        type(node) is ast.Call
        and type(node.func) is ast.Attribute
        and node.func.attr == "setdefault"
        and bool(call_args(node))
    )


def analyse_module(module: ast.Module, path: str, policy: Any, text: str) -> PythonModel:
    analyzer = Analyzer(module, path, policy, text)
    try:
        order = analyzer.run()
        if order is not None:  # analyse again from scratch: the first run's facts are wrong
            analyzer.release()
            steps = analyzer.steps
            analyzer = Analyzer(module, path, policy, text)
            analyzer.steps = steps  # the budget is the module's
            analyzer.run(order)
        return analyzer.model()
    finally:
        analyzer.release()


_SECRET_CALLS = ("secrets.get", "secrets.getBytes", "get_secret", "getSecret")


def _secret_read(expr: Any) -> str:
    """``os.environ["K"]``, ``os.getenv("K")``, ``os.environ.get("K")``,
    ``dbutils.secrets.get(scope=..., key=...)``, ``client.get_secret("k").value`` (with
    ``.encode()`` or ``.value`` after it): where the value is read from; "" for other
    expressions."""
    while type(expr) in (ast.Attribute, ast.Call):
        if type(expr) is ast.Attribute and expr.attr == "value":
            expr = expr.value
        elif (
            type(expr) is ast.Call
            and type(expr.func) is ast.Attribute
            and expr.func.attr in ("encode", "strip")
        ):
            expr = expr.func.value
        else:
            break
    if type(expr) is ast.Subscript:
        base = expr.value
        if type(base) is ast.Attribute and base.attr == "environ":
            return "the environment"
        return ""
    if type(expr) is not ast.Call:
        return ""
    func = expr.func
    dotted = []
    while type(func) is ast.Attribute:
        dotted.append(func.attr)
        func = func.value
    if type(func) is ast.Name:
        dotted.append(func.id)
    name = ".".join(reversed(dotted))
    if name.endswith(("environ.get", "getenv")):
        return "the environment"
    if name.endswith(_SECRET_CALLS):
        return "a secret store"
    return ""
