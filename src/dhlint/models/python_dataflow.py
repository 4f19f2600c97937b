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

``Analyzer`` is made of mixins, each in a module of ``python_flow``: ``statements.Statements``,
``app_config.AppConfig``, ``expressions.Expressions``, ``attributes.AttributesAndItems``,
``calls.Calls``, ``parameters.Parameters``, ``classes.Classes``, ``protection.Protection``,
``facts.Facts``. ``scans``: scans of a module's tree ahead of the runs; ``common``: what
several share.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from dhlint.frontends.python_ast import Places
from dhlint.frontends.python_ast import string_value as string_value
from dhlint.identifiers import confidence_of
from dhlint.models.python import (
    ColumnFact,
    EndpointFact,
    EnvReadFact,
    HashFact,
    PublicFact,
    PythonModel,
    ReadFact,
    SinkFact,
    TlsFact,
)
from dhlint.models.python_flow.app_config import AppConfig
from dhlint.models.python_flow.attributes import AttributesAndItems
from dhlint.models.python_flow.calls import Calls
from dhlint.models.python_flow.classes import (
    Classes,
    _base_name,
    _bases,
    _field_names,
    _hidden_fields,
    _record_class,
    _validators,
)
from dhlint.models.python_flow.common import _DEFS, _PROPERTY, Env, _decorated_with, _last_name
from dhlint.models.python_flow.common import EVALUATORS as _EVALUATORS
from dhlint.models.python_flow.common import _subscript_items as _subscript_items
from dhlint.models.python_flow.expressions import Expressions
from dhlint.models.python_flow.facts import Facts, _Pending
from dhlint.models.python_flow.parameters import Parameters
from dhlint.models.python_flow.protection import Protection
from dhlint.models.python_flow.scans import _called_name as _called_name
from dhlint.models.python_flow.scans import _calls_in_scopes as _calls_in_scopes
from dhlint.models.python_flow.scans import _counted as _counted
from dhlint.models.python_flow.scans import _counter_names as _counter_names
from dhlint.models.python_flow.scans import _socket_addresses as _socket_addresses
from dhlint.models.python_flow.scans import _SocketAddresses
from dhlint.models.python_flow.statements import _NOTHING, Statements
from dhlint.models.python_imports import Probes, ProjectImports, Treatment
from dhlint.models.python_libraries import LibraryCalls
from dhlint.models.python_libs.messaging import _CELERY_URL_SETTINGS
from dhlint.models.python_values import (
    UNKNOWN,
    Col,
    Frame,
    Func,
    Num,
    Obj,
    OverBudget,
    RecordSource,
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
    join_all,
    reshaped,
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


_ROUNDS = 3  # runs again of the entry points whose state changed after they read it


# In a function's scope: a name it declares ``global`` (its value is the module's).
_GLOBAL = Unknown("<global>")
_STDLIB_NAMES = frozenset(getattr(sys, "stdlib_module_names", ()))
# A record class's constructors besides the class itself: pydantic's (v2, v1), dataclass-json's.
_RECORD_BUILDERS = frozenset(
    {"model_validate", "model_validate_json", "parse_obj", "parse_raw", "from_dict", "from_json"}
)


# Blocks whose defs ``Analyzer._functions`` finds (their first body only).
_NESTING = (ast.If, ast.With, ast.AsyncWith, ast.Try, ast.For, ast.AsyncFor, ast.While)


class _Summary:
    """What a run of a helper called with no data (or of an entry point) gave, and which
    state that outlives a call it read (files, attributes of self, XComs, buffers, cursors'
    rows), as the state stood when the run ended (``stamp``). For an entry point, also when
    it first read each (``reads``): a write later in its own run makes it stale too. For a
    helper whose run had a call cut (its own, or one in a summary it used), what cut it, so
    that a call where it would not be cut follows the helper again: at ``MAX_INLINE_DEPTH``,
    the depth the helper was called at (``cut``; a call made less deep); by the recursion
    guard, the functions running at its call that it cut (``guard``; a call where one is not
    running); for want of ``INLINE_BUDGET``, the budget left at its call (``budget``; a call
    with more left)."""

    __slots__ = ("budget", "cut", "deps", "guard", "reads", "result", "stamp")

    def __init__(
        self,
        stamp: int,
        deps: frozenset,
        result: Val,
        reads: dict | None = None,
        cut: int | None = None,
        guard: frozenset[int] | None = None,
        budget: int | None = None,
    ) -> None:
        self.stamp, self.deps, self.result, self.reads, self.cut = stamp, deps, result, reads, cut
        self.guard, self.budget = guard, budget


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


# What ``_functions`` sets on the analysis, besides the functions it gives (``_layout``).
_LAYOUT_DICTS = (
    "bases", "orm_models", "field_types", "fields", "hidden_fields", "validators"
)  # fmt: skip
_LAYOUT_SETS = ("settings_classes", "dict_records")


class Analyzer(
    Statements,
    AppConfig,
    Expressions,
    AttributesAndItems,
    Calls,
    Parameters,
    Classes,
    Protection,
    Facts,
    LibraryCalls,
):
    # The attributes ``__init__`` sets, in slots: past 30 attributes CPython 3.11 keeps an
    # instance's attributes in a dict of its own, and then does not specialise the loads of
    # its methods (``self.eval``: a type and a dict lookup each time). With them in slots the
    # few set later (lazily, by the mixins) stay in the instance's inline values.
    __slots__ = tuple(
        """
        module text places one_line path protective protective_any confidence policy
        pending smtp_runs guards imports module_env stmt top node_top line_groups
        func_name depth cuts starved guarding active files named_frames summaries
        state written reading watched first_read entry wrote budget refresh_budget
        steps cls xcoms ocpp_points ocpp_links app_config xcom_used tasks attrs
        methods bases fields orm_models field_types settings_classes class_names
        dict_records hidden_fields validators method_class method_names instances
        run_attrs run_values branching subclasses mros running env_reads call_envs
        closures copies keyed_loops raised static_wrappers request_sources tree
        _counters _tested _sockets _layouts
        """.split()  # noqa: SIM905
    )
    GLOBAL = _GLOBAL  # (for ``Expressions._e_Name``)
    project: ProjectImports | None = None  # constants of the project's other modules

    def __init__(
        self, module: ast.Module, path: str, policy: Any, text: str, scans: tuple | None = None
    ) -> None:
        """``scans``: the ``scans`` of an earlier analysis of the same tree (read-only, made of
        the text alone): another module's, analysed anew for each question (``python_imports``)."""
        self.module = module
        self.text = text
        self.places = Places(text) if scans is None else scans[0]
        self.path = path
        listed = policy.settings.get("protective_functions", [])
        self.protective = frozenset(listed)  # a function of the module: as the policy writes it
        self.protective_any = _both_spellings(listed)  # a library's: in either spelling
        self.confidence = confidence_of(policy)  # a name's, as an identifier's (or None)
        self.policy = policy
        self.pending: dict[tuple[str, int], _Pending] = {}
        self.smtp_runs: dict[int, dict] = {}  # ``MessagingCalls._smtp_cleartext``
        self.guards: dict[int, tuple] = {}  # a call (id) -> ``messaging._guards``
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
        self.cuts = 0  # calls cut at MAX_INLINE_DEPTH, and summaries of such runs used
        self.starved = 0  # ... not followed for want of budget, and summaries of such runs used
        # Per summary's run under way: the functions whose calls the recursion guard cut in it.
        self.guarding: list[set[int]] = []
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
        # The entry point that runs, by its place ((0, 0): the module's own code): the facts
        # several runs reach keep what each saw in this order, not in the order they ran.
        self.entry: tuple[int, int] = (0, 0)
        self.wrote: set[tuple[str, Any]] = set()  # changed by the entry point that runs
        self.budget = INLINE_BUDGET
        self.refresh_budget = INLINE_BUDGET  # summaries followed again, per entry point
        self.steps = 0  # statements run and calls followed, against MAX_STEPS
        self.cls = ""  # the class whose method runs (for self.<attr>)
        self.xcoms: dict[str, Val] = {}  # Airflow XCom key -> value pushed
        self.ocpp_points: dict[str, bool] = {}  # class -> derived from ocpp's ChargePoint
        self.ocpp_links: dict[str, Val] = {}  # such a class -> the websocket it is built on
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
        self.running: list[int] = []  # the defs (ids) running: an entry point, inlined calls
        self.env_reads: dict[tuple[str, int], tuple[str, Any, str | None]] = {}
        self.call_envs: dict[int, tuple[str, ...]] = {}  # call node -> variables it uses
        self.closures: list[Env] = []  # the scopes closures were made in (see ``release``)
        self.copies: list[tuple[Env, Env]] = []  # (scope, its copy) of branches under way
        self.keyed_loops: dict[int, bool] = {}  # a for statement (id) -> see ``_keyed_by``
        self.raised: list[list[Val]] = []  # what the bodies of the try statements under way raise
        self.static_wrappers: set[int] = set()  # wrappers in place of static methods (ids)
        self.request_sources: dict[tuple[int, str], Source] = {}  # see ``request_data``
        self.tree = module
        # The module's functions and what its classes declare, once read (``_layout``): shared
        # by the analyses of one tree
        self._layouts: dict[str, Any] = {} if scans is None else scans[1]
        # Of the tree alone too, so shared by its analyses: whether a block is written on its
        # header's line (``_one_line``) and the classes' method orders (``_mro``) ...
        self.one_line: dict[int, bool] = self._layouts.setdefault("one_line", {})
        self.mros: dict[str, list[str]] = self._layouts.setdefault("mros", {})
        # ... and what an earlier one read of it lazily (``_keep_scans``; None: not yet)
        self._counters: dict[int, set[str]] | None = self._layouts.get("counters")  # ``counters``
        self._tested: set[int] | None = self._layouts.get("tested")  # see ``tested``
        self._sockets: _SocketAddresses | None = self._layouts.get("sockets")  # see ``sockets``

    @property
    def scans(self) -> tuple:
        """What the analysis read of the text alone, for another analysis of the same tree
        (``__init__``'s ``scans``): its line positions, and what it read of the tree, shared
        (``_layout``, ``_classes``, ``_keep_scans``)."""
        return self.places, self._layouts

    # ------------------------------------------------------------------ driver
    def run(self, order: list[int] | None = None) -> list[int] | None:
        """Analyse the module, its functions taken as entry points in ``order`` (indexes in
        source order; ``_entry_order`` by default). Gives a better order when a function read
        state (a file, an attribute) that a later one wrote: run again in it, writers come
        first (this run's facts are then incomplete: its stale functions are not run again)."""
        functions = self.run_module_body()
        # An entry point runs again when state it read changed after it read it, later in its
        # own run or in a later entry point's: an attribute of self, a file, a module-level
        # object (``_stale``). Airflow tasks that exchange data through XCom all run twice (a
        # pull may come first).
        indexes = order or _entry_order(functions)
        entries = [functions[i] for i in indexes]
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
            # Its facts are thrown away (``analyse_module``): no rounds for them.
            return [indexes[i] for i in better]
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

    def run_module_body(self) -> list[tuple]:
        """Run the module's own code (what importing it runs); its functions, to run as entry
        points. Also how another module's constants are read (``python_imports``)."""
        # The classes (bases, record fields, methods) are known before the module's own code
        # runs: a script's ``if __name__ == "__main__": Export(df).run()`` or module-level
        # ``settings = Settings()`` uses them. Methods are decorated once all names are bound.
        functions = self._layout()
        self._classes(functions)
        for stmt in self.module.body:
            self.exec_stmt(stmt, self.module_env)
        if "EMAIL_HOST" in self.module_env:
            self._django_email_settings()  # Django's mail settings (DH260)
        if not _CELERY_URL_SETTINGS.isdisjoint(self.module_env):
            self._celery_settings()  # Celery's broker and result backend (DH260, DH660)
        # A decorator is defined before its use in a module that runs, but facts must not
        # depend on the order functions are written in: decorate once all names are bound.
        for name, value in list(self.module_env.items()):
            if isinstance(value, Func) and value.name == name and _decorators_of(value.node):
                self.module_env[name] = self._decorated(value, self.module_env)
        self._register_methods(functions, decorate=True)
        self._keep_scans()
        return functions

    def _classes(self, functions: list[tuple]) -> None:
        """The methods of the classes, undecorated, and the subclasses of each class: read once
        per tree, as ``_layout`` (another module's tree is analysed anew for each question
        about it, ``python_imports``); the later analyses share them (the methods in a copy:
        ``_register_methods`` decorates them in place)."""
        classes = self._layouts.get("classes")
        if classes is not None:
            methods, self.method_class, self.method_names, self.subclasses = classes
            self.methods = dict(methods)
            return
        self._register_methods(functions, decorate=False)
        for cls in self.bases:
            for base in self._mro(cls)[1:]:
                self.subclasses.setdefault(base, []).append(cls)
        self._layouts["classes"] = (
            dict(self.methods), self.method_class, self.method_names, self.subclasses
        )  # fmt: skip

    def _register_methods(self, functions: list[tuple], decorate: bool) -> None:
        for func, _prefix, cls in functions:
            if cls:
                method = Func(func, None, func.name, func)
                if (
                    decorate
                    and func.decorator_list
                    and not _decorated_with(func, "classmethod", *_PROPERTY)
                ):
                    method = self._decorated(method, self.module_env)  # the wrapper runs
                    if method.node is not func and _decorated_with(func, "staticmethod"):
                        self.static_wrappers.add(id(method))  # @staticmethod over @logged
                self.methods[(cls, func.name)] = method
                if not decorate:  # (the same both times)
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
        self.entry = (func.lineno, func.col_offset)
        if self.files:  # what another run wrote under a path it could not name is not read
            for path in [p for p in self.files if anonymous_path(p)]:
                del self.files[path]
        saved_name, self.func_name = self.func_name, f"{prefix}{func.name}"
        try:
            self._bind_params(func, env, [], {}, entry=True)
            self._suite(func.body, env)
            wrapper = self._wrapper(func, prefix, cls) if func.decorator_list else None
            if wrapper is not None:  # what its callers run: the wrapper (see ``_decorated``)
                static = not cls or _decorated_with(func, "staticmethod")
                self.call_func(wrapper, [] if static else [Unknown("self")], {}, func)
        finally:
            self.func_name = saved_name
            self.reading.pop()
            self.running.pop()
            self.run_attrs, self.run_values = None, {}
        return _Summary(self.state, frozenset(deps), UNKNOWN, self.first_read)

    def run_alone(self, func: Func, args: list[Val], kwargs: dict[str, Val] | None = None) -> Val:
        """A module-level function of this module called with ``args`` from outside: what it
        returns (another file's analysis asks, ``python_imports``, on an analysis of this
        module made for the question and dropped after it: the facts the run makes are never
        reported, they are this module's own analysis's)."""
        self.top = self.stmt = func.node
        self.cls = ""
        self.budget = self.refresh_budget = INLINE_BUDGET
        self.reading.append(set())
        self.running.append(id(func.node))
        self.run_attrs, self.run_values, self.first_read = {}, {}, {}
        try:
            return self._inline(func, args, kwargs or {}, id(func.node))
        finally:
            self.reading.pop()
            self.running.pop()
            self.run_attrs, self.run_values = None, {}

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
        # (Loops, not ``any`` over a generator: asked at each reuse of a summary.)
        stamp, written = summary.stamp, self.written
        if summary.reads is not None:  # an entry point: read, then changed later in its run too
            for dep, when in summary.reads.items():  # noqa: SIM110
                if written.get(dep, 0) > when:
                    return True
            return False
        if stamp == self.state:
            return False
        for dep in summary.deps:  # noqa: SIM110
            if written.get(dep, 0) > stamp:
                return True
        return False

    def _layout(self) -> list[tuple]:
        """The module's functions (``_functions``), what its classes declare set on the
        analysis as ``_functions`` sets it: read once per tree, then copied (another module's
        tree is analysed anew for each question about it, ``python_imports``). Nothing changes
        the values set (lists, dicts, sets of names and nodes) after."""
        layout = self._layouts.get("")
        if layout is None:
            functions = list(self._functions(self.module.body, "", ""))
            self._layouts[""] = (functions, *(dict(getattr(self, n)) for n in _LAYOUT_DICTS),
                                 *(set(getattr(self, n)) for n in _LAYOUT_SETS))  # fmt: skip
            return functions
        functions, *found = layout
        for name, value in zip(_LAYOUT_DICTS + _LAYOUT_SETS, found, strict=True):
            getattr(self, name).update(value)
        return list(functions)

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
            line, col = first.lineno, first.col_offset
            line_start = places.starts[line - 1]
            # (``places.offset`` written out for an ASCII text: 130,000 blocks a run)
            start = line_start + col if places.ascii else places.offset(line, col)
            found = places.text[line_start:start].rstrip().endswith(":")
            self.one_line[id(first)] = found
        return found

    def release(self) -> None:
        """Empty the scopes closures were made in. A nested def's or a lambda's ``Func`` sits
        in the scope it closes over: a reference cycle that would keep the scope's values and
        their parse nodes alive until the cyclic collector's next pass."""
        for env in self.closures:
            env.clear()
        self.closures.clear()
        self._keep_scans()

    def _keep_scans(self) -> None:
        """What the analysis read of the tree alone when it first needed it (``counters``,
        ``tested``, ``sockets``), for the next analyses of the tree (``scans``): another
        module's tree is analysed anew for each question about it (``python_imports``)."""
        layouts = self._layouts
        for name, found in (
            ("counters", self._counters), ("tested", self._tested), ("sockets", self._sockets)
        ):  # fmt: skip
            if found is not None:
                layouts.setdefault(name, found)

    # ------------------------------------------------------------------ names
    def lookup(self, name: str, env: Env) -> Val:
        # (``_constant`` called for a string only: it gives any other value as it is.)
        value = env.get(name, _GLOBAL)  # (a name not bound: as one declared global)
        if value is not _GLOBAL:
            if env is self.module_env and type(value) is Str:
                return self._constant(value)
            return value
        module_env = self.module_env
        if name in module_env:
            if env is not module_env:
                self.read_state("global", name)  # a function may change it (see ``rebind``)
            value = module_env[name]
            return self._constant(value) if type(value) is Str else value
        if name in self.imports:
            qname = self.imports[name]
            imported = self.project.value(qname) if self.project is not None else None
            return imported if imported is not None else Ref(qname)
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
        if type(value) is Str and value.via == "literal":
            # (``Str(...)`` for ``dataclasses.replace``: the same fields, without its lookups)
            alts = tuple(
                Str(a.text, via, a.nodes, a.cols, a.env, a.alts) if a.via == "literal" else a
                for a in value.alts
            )
            return Str(value.text, via, value.nodes, value.cols, (), alts)
        return value

    def exec_small(self, small: Any, env: Env) -> Sequence[Val]:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise OverBudget(f"{MAX_STEPS:,} statements run and calls followed")
        kind = type(small)
        # (The kinds most run first.)
        if kind is ast.Assign:
            value = self.eval(small.value, env)
            for target in small.targets:
                self.assign(target, value, env)
                if type(target) is ast.Subscript:
                    self._blanked_cells(target, small.value, env)
            return _NOTHING
        if kind is ast.Expr:
            value = small.value
            expr_kind = type(value)
            if expr_kind is ast.Call:  # (most)
                self._expr_stmt(value, env)
            elif expr_kind is ast.Yield or expr_kind is ast.YieldFrom:
                return [self.eval(value.value, env)]  # a generator's items are what it returns
            elif not self._string_only(value):  # a docstring, a string alone: connects nothing
                self._expr_stmt(value, env)
            return _NOTHING
        if kind is ast.Return:
            return [self.eval(small.value, env) if small.value is not None else UNKNOWN]
        if kind is ast.AugAssign:
            value = self.eval(small.value, env)
            if type(small.target) is ast.Name:
                current = self.lookup(small.target.id, env)
                new = self._binop(current, value, small.op, small)
                self.rebind(small.target.id, new, env, declared_only=True)
            elif type(small.target) is ast.Subscript:  # counts[row["email"]] += 1
                current = self.eval(small.target, env)
                self.assign(small.target, self._binop(current, value, small.op, small), env)
            return _NOTHING
        if kind is ast.AnnAssign:
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, env), env)
            return _NOTHING
        if kind is ast.Import:
            for alias in small.names:
                dotted = alias.name
                if alias.asname is not None:
                    self.imports[alias.asname] = dotted
                else:
                    top = dotted.split(".", 1)[0]
                    self.imports[top] = top
            return _NOTHING
        if kind is ast.ImportFrom:
            if small.module is None or small.names[0].name == "*":
                return _NOTHING
            base = small.module
            for alias in small.names:
                name = alias.name
                local = alias.asname if alias.asname else name
                self.imports[local] = f"{base}.{name}"
            return _NOTHING
        if kind is ast.Global and env is not self.module_env:
            for name in small.names:
                env[name] = _GLOBAL
            return _NOTHING
        if kind is ast.Delete:
            for target in small.targets:
                self._delete(target, env)
            return _NOTHING
        if kind is ast.Raise and small.exc is not None and self.raised:
            # Caught, maybe, by the innermost try under way (``_branches``); outside any, the
            # exception is not read (an uncaught one's message goes to stderr, not a log).
            self.raised[-1].append(self.eval(small.exc, env))
        return _NOTHING

    # ------------------------------------------------------------------ expressions
    def eval(self, node: Any, env: Env) -> Val:
        # (No node, ``None``, is a kind of its own: no ``_e_NoneType``, so ``_unknown``.)
        # (A subscript, not ``get``: a specialised instruction, not a method call.)
        try:
            method = _EVALUATORS[type(node)]
        except KeyError:  # first node of its kind: look the evaluator up once
            kind = type(node)
            method = _EVALUATORS[kind] = getattr(Analyzer, f"_e_{kind.__name__}", _unknown)
        return method(self, node, env)

    @staticmethod
    def _var_origin(value: Val) -> tuple[str, ...]:
        """The name an unknown value goes by: a variable's, or a parameter's attribute's
        (``obj.email``; not ``self.x``, whose value the analysis follows). A list, tuple or
        set of such values goes by their names (``[customer.email, manager.email]``)."""
        if type(value) is Seq:
            names = (n for item in value.items for n in Analyzer._var_origin_one(item))
            return tuple(dict.fromkeys(names))
        return Analyzer._var_origin_one(value)

    # ------------------------------------------------------------------ environment variables
    def call_ref(self, qname: str, args, kwargs, node, env) -> Val:
        record = self._imported_record(qname, node)
        if record is not None:
            return record
        if self.project is not None and (args or kwargs):
            treatments = self.project.treatments(qname, len(args))
            if treatments is not None:
                self._project_sinks(qname, args, kwargs, node)
                result = self._project_call(qname, treatments, args, node) if args else None
                if result is None:
                    result = self._project_table(qname, len(args), node)
                if result is not None:
                    return result
        elif self.project is not None and qname.partition(".")[0] not in _STDLIB_NAMES:
            table = self._project_table(qname, 0, node)  # load_all(): its rows
            if table is not None:
                return table
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
        # (Named, not ``super()``: building a super object costs more than the lookup.)
        return LibraryCalls.call_ref(self, qname, args, kwargs, node, env)

    def _project_table(self, qname: str, given: int, node) -> Frame | None:
        """A table a function of another project module returns whatever it is given
        (``sessions = load_sessions(day)``: its query's rows, ``ProjectImports.table``): its
        columns, read at the call."""
        assert self.project is not None
        table = self.project.table(qname, given)
        if table is None:
            return None
        label = f"returned by {qname.rsplit('.', 1)[-1]}()"
        step = Step(node, label)
        cols = {name: Col(name, (name,), treatment, (step,)) for name, treatment in table.columns}
        return Frame(table.lib, cols, (Source(node, label),) if table.open else ())

    def _imported_record(self, qname: str, node) -> Val | None:
        """An instance of a record class of another project module (``PlateRead(**raw)``,
        ``PlateRead.model_validate(raw)``): a record whose attributes are judged by their
        names, as a parameter's are (``read.license_plate``); its fields are the other
        module's, not followed here."""
        if self.project is None or type(node) is not ast.Call:
            return None
        cls, _, last = qname.rpartition(".")
        if last in _RECORD_BUILDERS:
            qname = cls
        elif not last[:1].isupper():
            return None
        if not self.project.record_class(qname):
            return None
        label = f"built by {self._text(node.func)}()"
        return Unknown("", RecordSource(node, label, weak=True))

    def _follow(self, func: Func, args: list[Val], kwargs: dict[str, Val], node) -> Val:
        """The result of a call of a function of the module: its body run with ``args``."""
        if func.bound is not None:
            args = [func.bound, *args]
        key = id(func.node)
        if self.depth >= MAX_INLINE_DEPTH or key in self.active:
            if self.depth >= MAX_INLINE_DEPTH:
                self.cuts += 1
            else:
                for guarded in self.guarding:
                    guarded.add(key)
            return join_all(args) if func.name == "<lambda>" else UNKNOWN
        # A call that passes no data gives the same result wherever it is made, until the
        # state it read changes (a helper that reads a file may first run before the file is
        # written): follow it once, and again after such a change. Calls with data are
        # followed each time. Both within a budget per entry point.
        carries = _carry_data(args) or _carry_data(kwargs.values())
        if not carries and func.env and type(func.node) is not ast.Lambda:
            # A nested def reads its scope as it is when called (a lambda is always followed).
            scope = self._closure_env(func) or {}
            carries = _carry_data(scope.values())
        if not carries and type(func.node) is not ast.Lambda:
            # Per constant arguments too: read("x.json") and read("y.json") differ. A method
            # per class of self: what it reads and calls on self depends on it.
            cls = self.cls if key in self.method_class else None
            # And per variable named like an identifier: norm(caller_phone) may return it,
            # judged by its name, and norm(ward) then must not.
            skey = (key, cls, *map(self._summary_key, args))
            if kwargs:
                named = zip(kwargs, map(self._summary_key, kwargs.values()), strict=True)
                skey += tuple((k, v) for k, v in named if v is not None)
            summary = self.summaries.get(skey)
            # A run cut where a call from here would not be gave less than one from here may:
            # followed again, not within the refresh budget (see ``_reusable``).
            if summary is not None and self._reusable(summary):
                if not self._stale(summary) or self.refresh_budget <= 0:
                    return self._reused(summary)
                self.refresh_budget -= 1
            # While it runs, a recursive call through other helpers sees what it gave before.
            before = summary.result if summary is not None else UNKNOWN
            self.summaries[skey] = _Summary(self.state, frozenset(), before)
            deps: set[tuple[str, Any]] = set()
            guarded: set[int] = set()
            self.reading.append(deps)
            self.guarding.append(guarded)
            cuts, starved, budget = self.cuts, self.starved, self.budget
            try:
                result = self._inline(func, args, kwargs, key)
            finally:
                self.reading.pop()
                self.guarding.pop()
            self.summaries[skey] = _Summary(
                self.state,
                frozenset(deps),
                result,
                None,
                self.depth if self.cuts != cuts else None,
                # Only the functions running at its call: one it called itself is running
                # wherever it is followed.
                frozenset(guarded & self.active) or None,
                budget if self.starved != starved else None,
            )
            for outer in self.reading:
                outer.update(deps)
            return result
        if self.budget <= 0:
            self.starved += 1
            return join_all(args) if func.name == "<lambda>" else UNKNOWN
        self.budget -= 1
        return self._inline(func, args, kwargs, key)

    def _reusable(self, summary: _Summary) -> bool:
        """Whether a call from here would cut no less than the summary's run did: made as
        deep or deeper, with the functions its run's recursion guard cut running here too,
        with no more budget left."""
        return (
            (summary.cut is None or summary.cut <= self.depth)
            and (summary.guard is None or summary.guard <= self.active)
            and (summary.budget is None or summary.budget >= self.budget)
        )

    def _reused(self, summary: _Summary) -> Val:
        """A summary's result, as the call's: the runs under way read what its run read, and
        were cut as it was."""
        for deps in self.reading:
            deps.update(summary.deps)
        for dep in summary.deps:
            self.first_read.setdefault(dep, self.state)
        if summary.cut is not None:
            self.cuts += 1
        if summary.guard is not None:
            for guarded in self.guarding:
                guarded.update(summary.guard)
        if summary.budget is not None:
            self.starved += 1
        return summary.result

    def _project_sinks(self, qname: str, args: list[Val], kwargs: dict[str, Val], node) -> None:
        """A call of a function of another module of the project that writes or sends the
        columns it is given (``put_csv(df[cols], key)``): the sink, as that function makes
        it (its destination from its own module's constants), at the call: this file is
        the unit its findings are reported in."""
        given = (*args, *kwargs.values())
        # What this file wrote to a file whose path it passes (publish_file(path)): there too.
        paths = [_path_text(v) for v in given]
        paths = [p for p in paths if p is not None and p in self.files]
        written = [p for p in paths if not anonymous_path(p)]
        if not written and not any(isinstance(v, Frame) or cols_of(v) for v in given):
            return
        assert self.project is not None
        probes = Probes()
        images = [probes.value(a) for a in args]
        named = {k: probes.value(v) for k, v in kwargs.items()}
        files = {p: probes.value(self.files[p]) for p in written}
        name = qname.rsplit(".", 1)[-1]
        for sink in self.project.sinks(qname, probes, images, named, files):
            cols = probes.back(sink.columns, name, node)
            if cols:
                self._sink(
                    sink.kind, sink.api, Series(tuple(cols)), node, sink.host, sink.target,
                    sink.hosts, attributes=sink.attributes, grouped=sink.grouped,
                    also=(sink.kind, sink.api, sink.target), envs=sink.envs,
                )  # fmt: skip

    def _project_call(
        self, qname: str, treatments: tuple[Treatment, ...], args: list[Val], node
    ) -> Val | None:
        """A call of a function of another module of the project: the columns it is given,
        treated as it treats them (``ProjectImports.treatments``: ``coarse(lat)`` rounds,
        ``normalize_phone(phone)`` keeps the phone; a tuple it returns, item by item); None
        when none comes out of it, or when it is given a table (what it does to each column
        is not one treatment)."""
        if any(isinstance(arg, Frame) for arg in args):
            return None
        name = qname.rsplit(".", 1)[-1]
        items = {len(t) for t in treatments if type(t) is tuple}
        if len(items) == 1 and all(t is None or type(t) is tuple for t in treatments):
            # lat2, lon2 = coarsen(lat, lon): each item holds what it holds of each argument
            parts = [
                self._project_cols(name, args, [t[k] if t else None for t in treatments], node)
                for k in range(items.pop())
            ]
            if not any(parts):
                return None
            bound = self._bound(*args)
            return Seq(tuple(Series(tuple(c), bound) if c else UNKNOWN for c in parts))
        flat = [t if type(t) is not tuple else None for t in treatments]
        cols = self._project_cols(name, args, flat, node)  # type: ignore[arg-type]
        return Series(tuple(cols), self._bound(*args)) if cols else None

    def _project_cols(
        self, name: str, args: list[Val], treatments: list[str | None], node
    ) -> list[Col]:
        """The columns of ``args`` that come out of ``name()``, each treated as it is there."""
        cols: list[Col] = []
        for arg, treatment in zip(args, treatments, strict=False):
            if treatment is None:
                continue
            given = cols_of(arg)
            if not given and treatment != "raw":
                # a value no column reaches (a parameter ``lat``): by its name, so that the
                # treatment is kept where it is put, as round() does (``_scalar_cols``)
                given = cols_of(self._scalar_cols(arg, node))
            if treatment.startswith("weak-hash:") and cols_of(arg):
                # hashed there without a key: DH562 where this file hashes them through it
                algo = treatment.partition(":")[2]
                self._fact("hash", node, algo=algo, columns=given, secret=self._secret_prefix(node))
            label = f"through {name}()" if treatment == "raw" else f"{treatment} by {name}()"
            step = Step(node, label)
            cols += (c.treated(treatment, step) for c in given)
        return cols

    def _summary_key(self, value: Val) -> str | None:
        """What of an argument that carries no data a call's summary is kept per."""
        kind = type(value)  # (no value is of a subclass of these)
        if kind is Str:
            return value.text  # type: ignore[attr-defined]
        named = kind is Unknown and value.name  # type: ignore[attr-defined]
        if named and self.confidence(value.name.rsplit(".", 1)[-1]) is not None:  # type: ignore[attr-defined]
            return "\0" + value.name  # never a string's text
        return None

    def read_state(self, store: str, key: Any) -> None:
        """The runs under way depend on this piece of state (read even if unset). Not on a
        file whose path the analysis cannot name (``anonymous_path``)."""
        reading = self.reading
        if reading and not (store == "file" and anonymous_path(key)):
            name = (store, key)
            self.watched.add(name)
            for deps in reading:
                deps.add(name)
            self.first_read.setdefault(name, self.state)

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
            steps = [Related(loc(s.node), s.label) for s in col.flow]
            # A step taken twice in a row (a comprehension's field, read for each item and
            # again as the element is built) is shown once.
            flow = tuple(r for i, r in enumerate(steps) if not i or r != steps[i - 1])
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
                        tuple(dict.fromkeys(self.call_envs.get(id(item.node), ()) + data["envs"]))
                        # a DynamoDB table's too: Table(os.environ["TABLE"]) (join.named_store),
                        # and a BigQuery table id's: f"{DATASET}.trips"
                        if data["kind"] in ("network", "storage", "file")
                        or data["api"].startswith(("dynamodb.", "bigquery.", "DataFrame.to_gbq"))
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
                hosts = data.get("hosts", ())
                model.tls.append(TlsFact(data["tls"], data["api"], where, anchor, block, hosts))
            elif item.kind == "public":
                model.public.append(
                    PublicFact(
                        data["grant"], data["api"], where, anchor, block, data["bucket"],
                        data["whole"],
                    )
                )  # fmt: skip
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
        model.public.sort(key=key)
        return model


_BUILTINS = {
    "open", "print", "hash", "round", "str", "list", "tuple", "set", "sorted", "dict", "iter",
    "reversed", "repr", "format", "next", "frozenset", "bytes", "enumerate", "zip", "filter",
    "map", "int", "float", "len", "sum", "min", "max", "abs", "any", "all", "isinstance",
    "getattr",
}  # fmt: skip


def _unknown(_analyzer: Analyzer, _node: Any, _env: Env) -> Val:
    return UNKNOWN  # an expression the analysis does not model


# State whose read, before it is written, gives a value of its own (a file read before it is
# written has the columns its reader names, untreated): facts from it are wrong, not partial.
_READ_BEFORE_WRITTEN = ("file", "cursor")


def _carry_data(values: Iterable[Val]) -> bool:
    """Whether any of the values is a table or carries a column (a loop, not ``any`` over a
    generator: ``_follow`` asks at each of its half a million calls a run)."""
    for value in values:  # noqa: SIM110
        if type(value) is Frame or cols_of(value):
            return True
    return False


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


def _entry_order(functions: list[tuple]) -> list[int]:
    """The order entry points run in (indexes of ``functions``, in source order): each
    class's ``__init__`` first, then the rest. A method that reads an attribute before
    ``__init__`` has set it is stale once it is set and runs again, with every helper's
    summary that read it (a base class's methods read what a subclass's ``__init__`` sets
    too: imaplib's IMAP4 methods, run for IMAP4_SSL). On bench/corpus/python: 6.6% fewer
    steps, the same facts. (The methods that set attributes of self first too change facts:
    ``M.remember`` of a mixin in ``class AM(A, M)``, run on its own, sets ``(M, last)``, which
    ``(AM, last)``, set when ``AM.run`` calls it, hides from ``A``'s methods run for ``AM``:
    what they see depends on whether they ran between the two.)"""

    def first(index: int) -> bool:
        func, _prefix, cls = functions[index]
        return bool(cls) and func.name == "__init__"

    return sorted(range(len(functions)), key=lambda i: (not first(i), i))


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


def _path_text(value: Val) -> str | None:
    """The path a value names, as a file's written there is kept (``Analyzer.files``)."""
    if type(value) is Str:
        return value.text
    if type(value) is Obj and value.kind == "path":
        return value.data.get("path")
    return None


def _decorators_of(node: Any) -> list:
    return getattr(node, "decorator_list", None) or []


def _project_imports(
    abspath: str | None, path: str, policy: Any, inputs: list[str] | None
) -> ProjectImports | None:
    """Constants imported from the project's other modules, for a file read from disk (its
    root is where ``path``, relative to it, starts)."""
    if not abspath:
        return None
    tail = "/" + path
    if not abspath.replace(os.sep, "/").endswith(tail):
        return None
    return ProjectImports(abspath, abspath[: len(abspath) - len(tail)] or os.sep, policy, inputs)


def analyse_module(
    module: ast.Module,
    path: str,
    policy: Any,
    text: str,
    abspath: str | None = None,
    extra_inputs: list[str] | None = None,
) -> PythonModel:
    """``abspath``: the file on disk, beside which an Azure Functions v1 handler's
    ``function.json`` is read; ``extra_inputs`` gets the paths so read (for the cache)."""
    analyzer = Analyzer(module, path, policy, text)
    analyzer.abspath, analyzer.extra_inputs = abspath, extra_inputs
    analyzer.project = project = _project_imports(abspath, path, policy, extra_inputs)
    try:
        order = analyzer.run()
        if order is not None:  # analyse again from scratch: the first run's facts are wrong
            analyzer.release()
            steps = analyzer.steps
            analyzer = Analyzer(module, path, policy, text)
            analyzer.abspath, analyzer.extra_inputs = abspath, extra_inputs
            analyzer.project = project
            analyzer.steps = steps  # the budget is the module's
            analyzer.run(order)
        return analyzer.model()
    finally:
        analyzer.release()
