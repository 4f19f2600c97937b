"""Constants a module takes from another module of the scanned project.

Real code keeps its endpoints and column lists apart: ``config.py`` holds ``API_URL =
"http://..."`` or ``API_URL = os.environ.get("API_URL", "https://...")``, and the job that sends
does ``from config import API_URL`` (or ``import config`` ... ``config.API_URL``). Each Python
file is analysed alone, so such a name was an unknown library reference: no host, no scheme.

Here a name imported from a module whose file is in the project is looked up among that
module's constants: what its own code gives it when imported (strings, numbers, lists of
strings, environment reads with their defaults; a settings object's fields and a class's
constants, ``settings.CRM_URL``), evaluated by the analysis itself on the module's top-level
code (no function of it is called); and a function of it by what it does to a value given as
each parameter (``treatments``: ``coarse(lat)`` rounds it; a tuple it returns, per item) and
by what it writes or sends of the values a call gives it (``sinks``: ``put_csv(df, key)``
writing ``df`` to the bucket its module names), run on images of them (``Probes``), whose
sinks the calling file reports at the call. The file is looked for as Python
would find it when the program runs from the importing file's directory or one of its parents
up to the repository root (``config.py``, ``config/__init__.py``, ``app/settings.py`` for
``app.settings``), through at most ``_DEPTH`` imports. Django's ``settings`` object
(``from django.conf import settings``) is the settings module ``manage.py`` names. Nothing is
imported or executed. Every path looked at is an input of the result (the cache): a module
added or edited later is seen.
Standard-library module names are not looked for.
"""

from __future__ import annotations

import ast
import itertools
import os
import re
import sys
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from dhlint.models.python_values import (
    RAW,
    Col,
    Frame,
    Func,
    Num,
    Obj,
    OverBudget,
    Ref,
    Seq,
    Series,
    Step,
    Str,
    TooLarge,
    Unknown,
    Val,
    cols_of,
)

# A module of the standard library is the interpreter's, whatever the project holds (Python 3.10+
# has the list; 3.9's interpreters are not supported).
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))
VIA = "imported"  # a Str's ``via``: a constant of another module (DH660's message says so)
_MAX_BYTES = 1_000_000  # a "module" this large is data, not settings: not read

# (file path, modified, size) -> the module read (None: it could not be). Per process, the most
# recent few: a run reads a module once whatever imports it, and a large project's modules do
# not all stay in memory. A module imported again on its own import chain (a cycle: Python's
# import of it would find it half run) gives nothing.
_MODULES: OrderedDict[tuple, _Module | None] = OrderedDict()
_KEPT = 64
# (file path, modified, size) -> the keys of its reads a step less deep than ``_DEPTH`` (one
# may serve another chain: ``read_module``)
_SIBLINGS: dict[tuple, list[tuple]] = {}
# (file path, modified, size) -> its text and tree (None: it could not be parsed). A module
# reached by several import chains is read once per chain, but parsed once: its reads share
# the tree (what the analysis notes on its nodes comes of the text alone), and its analyses,
# one per question, what the first read of the text before running (``_Source``).
_TREES: OrderedDict[tuple, _Source | None] = OrderedDict()
_TREES_KEPT = 64
# Imports followed from the analysed file: a constant of a module imported by a module imported
# by one it imports is the deepest read. The pre-filter reads as far (``imported_texts``), so
# that a file it skips has nothing the analysis would find.
_DEPTH = 3


def _candidates(module: str, directory: str, root: str) -> Iterator[str]:
    """The files ``module`` (dotted) may be, nearest first: from the importing file's directory
    up to the root (made as they are looked at: the first found ends most lookups)."""
    parts = module.split(".")
    base = directory
    while True:
        stem = os.path.join(base, *parts)
        yield stem + ".py"
        yield os.path.join(stem, "__init__.py")
        if os.path.normcase(base) == os.path.normcase(root):
            break
        parent = os.path.dirname(base)
        if parent == base or not parent.startswith(root):
            break
        base = parent


class ProjectImports:
    """Resolves names a module imports to the constants of project modules, for one analysed
    file (``abspath``) under ``root``; the paths looked at go to ``inputs``."""

    def __init__(
        self,
        abspath: str,
        root: str,
        policy: Any,
        inputs: list[str] | None,
        depth: int = 0,
        chain: tuple[str, ...] = (),
        tried: set[str] | None = None,
    ) -> None:
        self.tried = tried  # gets every file it reads (``_Module.serves``)
        self.depth = depth  # how many imports away from the analysed file (``_DEPTH``)
        self.chain = chain  # the modules read on the way here, this one's own file last
        self.directory = os.path.dirname(abspath)
        self.root = root
        self.policy = policy
        self.inputs = inputs if inputs is not None else []
        self.found: dict[str, str | None] = {}  # dotted module -> its file (None: not found)
        self.reads: dict[str, _Module | None] = {}  # a file -> its read (``read_module``)
        self.values: dict[str, Val | None] = {}  # qualified name -> its value (None: unknown)
        self.summaries: dict[tuple[str, int], tuple[Treatment, ...] | None] = {}  # treatments
        self.tables: dict[tuple[str, int], Returned | None] = {}  # tables functions return
        self.merged: dict[_Module, int] = {}  # a module read -> its inputs made this file's

    def value(self, qname: str, node: Any = None) -> Val | None:
        """The value of ``module.NAME`` (or ``module.NAME.attr``: a settings object's field, a
        class constant) when ``module`` is a file of the project whose own code gives it a
        constant; None otherwise (a library's name, a function, a class...)."""
        if qname not in self.values:
            self.values[qname] = self._answer(
                qname, lambda module, names: module.value(names, node)
            )
        return self.values[qname]

    def treatments(self, qname: str, given: int) -> tuple[Treatment, ...] | None:
        """For a function of a project module called with ``given`` positional arguments:
        what it does to a column given as each of them (``Module.treatments``); None for
        anything else."""
        return self._of_function(self.summaries, _Module.treatments, qname, given)

    def table(self, qname: str, given: int) -> Returned | None:
        """The table a function of a project module returns whatever it is given (``_Module.
        table``), or None."""
        return self._of_function(self.tables, _Module.table, qname, given)

    def _of_function(self, answers: dict, ask: Callable, qname: str, given: int) -> Any:
        """``ask(module, names, given)`` of the project module ``qname`` is in (None when it is
        in none), once per name and argument count: kept in ``answers``."""
        key = (qname, given)
        if key not in answers:
            answers[key] = self._answer(qname, lambda module, names: ask(module, names, given))
        return answers[key]

    def record_class(self, qname: str) -> bool:
        """Whether ``qname`` is a record class of a project module (a dataclass, a pydantic
        model, a NamedTuple...: fields, no ``__init__``), whose instances hold what they are
        built from."""
        return bool(self._answer(qname, lambda module, names: module.record_class(names)))

    def sinks(
        self, qname: str, probes: Probes, args: list[Val], kwargs: dict[str, Val], files: dict
    ) -> tuple[ForeignSink, ...]:
        """What a function of a project module writes or sends of the values it is given
        (``probes``' images of the call's arguments, ``_Module.sinks``); () for anything
        else."""
        key = probes.key(args, kwargs, files)
        found = self._answer(
            qname, lambda module, names: module.sinks(names, key, args, kwargs, files)
        )
        return found if found is not None else ()

    def _answer(self, qname: str, ask: Callable[[_Module, list[str]], Any]) -> Any:
        """``ask(module, names)`` of the project module ``qname`` is in (None when it is in
        none), its inputs made this file's (``_asked``). Asked again of another read when the
        one asked, shared with other chains (``read_module``), read a module that makes it
        not this chain's to answer (``_Module.serves``)."""
        module, names = self._module_of(qname)
        if module is None:
            return None
        found = ask(module, names)
        while module is not None and not module.serves(self.chain):
            # Another read, one that serves this chain (at last its own, which always does)
            module, names = self._module_of(qname)
            found = ask(module, names) if module is not None else None
        return self._asked(module, found)

    def _asked(self, module: _Module | None, answer: Any) -> Any:
        """``answer``, after the paths the module's reads looked at so far (its imports', for
        its constants and its functions' runs) are made inputs of this file's result too: the
        module is read once per process, whichever file asked first."""
        if module is not None:
            done = self.merged.get(module, 0)
            self.inputs.extend(module.inputs[done:])
            self.merged[module] = len(module.inputs)
        return answer

    def _module_of(self, qname: str) -> tuple[_Module | None, list[str]]:
        """The project module a dotted name is in (its longest prefix that is a file of the
        project, read), and the names after it; (None, []) when there is none."""
        parts = qname.split(".")
        if parts[0] in _STDLIB or self.depth >= _DEPTH:
            return None, []
        if qname.startswith(_DJANGO_SETTINGS) and len(parts) > 3:
            path = self.django_settings()
            module = self._read(path) if path else None
            return module, parts[3:]
        for cut in range(len(parts) - 1, 0, -1):  # the longest module first
            path = self.module_file(".".join(parts[:cut]))
            if path is not None:
                return self._read(path), parts[cut:]
        return None, []

    def _read(self, path: str) -> _Module | None:
        # Once per file here: a file's names are asked one by one (a stat and a lookup each);
        # again when the shared read kept has read a module of the chain since.
        module = self.reads.get(path)
        if path not in self.reads or (module is not None and not module.serves(self.chain)):
            if self.tried is not None:
                self.tried.add(path)
            module = read_module(path, self.root, self.policy, self.depth + 1, self.chain)
            self.reads[path] = module
        return module

    def django_settings(self) -> str | None:
        """The file of the project's Django settings (``django.conf.settings``): the module a
        ``manage.py`` in the file's directory or a parent (to the root) names as
        ``DJANGO_SETTINGS_MODULE``; without one, the nearest ``settings.py`` (or package)."""
        if _DJANGO_SETTINGS in self.found:
            return self.found[_DJANGO_SETTINGS]
        found = None
        for manage in itertools.islice(
            _candidates("manage", self.directory, self.root), 0, None, 2
        ):
            self.inputs.append(manage)  # present or not: one added later changes the result
            named = _settings_module_named(manage)
            if named is not None:
                found = self.module_file(named)
                break
        if found is None:
            found = self.module_file("settings")
        self.found[_DJANGO_SETTINGS] = found
        return found

    def module_file(self, module: str) -> str | None:
        if module in self.found:
            return self.found[module]
        kept = _LOOKUPS[0]
        key = (self.directory, self.root, module)
        known = kept.get(key) if kept is not None else None
        if known is None:
            known = _look_up(module, self.directory, self.root)
            if kept is not None:
                kept[key] = known
        found, looked = known
        self.inputs.extend(looked)  # present or not: one added later changes the result
        self.found[module] = found
        return found


# (directory, root, dotted module) -> the file it is there (None: none) and the paths looked
# at, while a build keeps them (``lookups``): a file's pre-filter and analysis, and each
# module they read, look the same imports up from the same few directories (on
# python-packages, 14,170 lookups by the pre-filter, 40% of them made before for the same file).
_LOOKUPS: list[dict[tuple[str, str, str], tuple[str | None, tuple[str, ...]]] | None] = [None]


@contextmanager
def lookups() -> Iterator[None]:
    """Within it, a module looked up again from the same directory is the file found the first
    time (a build's files are read at one moment); out of it, every lookup looks again."""
    _LOOKUPS[0] = {}
    try:
        yield
    finally:
        _LOOKUPS[0] = None


def _look_up(module: str, directory: str, root: str) -> tuple[str | None, tuple[str, ...]]:
    """The file ``module`` is from ``directory`` (``_candidates``; None: none) and the paths
    looked at for it."""
    paths = _candidate_paths(module, directory, root)
    for at, path in enumerate(paths):
        if os.path.isfile(path):
            return path, paths[: at + 1]
    return None, paths


# (dotted module, directory, root) -> ``_candidates`` (the paths alone: made of the names, not
# of what is on disk, so kept for the process, the most recent). A build's lookups are kept for
# the build only (``lookups``), but a package's files import the same modules from the same
# directory: on python-packages, joining the paths was half of a lookup's cost.
_PATHS: OrderedDict[tuple[str, str, str], tuple[str, ...]] = OrderedDict()
_PATHS_KEPT = 4096


def _candidate_paths(module: str, directory: str, root: str) -> tuple[str, ...]:
    """Every file ``module`` may be from ``directory`` (``_candidates``, all of them)."""
    key = (module, directory, root)
    return _kept(_PATHS, _PATHS_KEPT, key, lambda: tuple(_candidates(module, directory, root)))


# Django's settings object: its attributes are the settings module's names (``django_settings``),
# which ``manage.py`` names: ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")``.
_DJANGO_SETTINGS = "django.conf.settings"
_SETTINGS_MODULE = re.compile(r"""DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]""")


def _settings_module_named(path: str) -> str | None:
    """The settings module a ``manage.py`` names, if it is a file that names one."""
    try:
        if os.path.getsize(path) > _MAX_BYTES:
            return None
        with open(path, encoding="utf-8", errors="replace") as handle:
            found = _SETTINGS_MODULE.search(handle.read())
    except OSError:
        return None
    return found.group(1) if found else None


_ENV_NAME = re.compile(r"env:[^?]")
_PROBE = "\0probe"  # a column name no code writes


def _portable(value: Val) -> Val | None:
    """A constant another file may use: its text, numbers, lists of strings and environment
    reads, without the parse nodes of the module it is written in (positions there are not
    the importing file's)."""
    if isinstance(value, Str):
        if value.cols:
            return None
        via = VIA if value.via in ("literal", "constant", "class-constant") else value.via
        alts = tuple(a for a in (_portable(a) for a in value.alts) if isinstance(a, Str))
        return replace(value, via=via, nodes=(), alts=alts)
    if isinstance(value, Num):
        return value
    if isinstance(value, Seq):
        items = tuple(_portable(item) for item in value.items)
        if any(item is None for item in items):
            return None
        return replace(value, items=items)
    if type(value) is Unknown and _ENV_NAME.match(value.name) and value.receiver is None:
        return Unknown(value.name)
    if type(value) is Frame and value.lib == "dict" and value.entries is not None:
        # SETTINGS = {"coord_decimals": 3, ...}: a dict of such constants
        entries = {k: _portable(v) for k, v in value.entries.items()}
        if value.cols or value.sources or any(v is None for v in entries.values()):
            return None
        return replace(value, entries=entries)
    return None


# What a function does to a column given to it (``_Module.treatments``): a treatment, None (not
# in what it returns), or, when it returns a tuple, either per item.
Treatment = str | None | tuple[str | None, ...]
_TUPLE = 8  # items of a tuple returned that are followed one by one


def _probe_treatment(result: Val) -> str | None:
    treated = [c.treatment for c in cols_of(result) if _PROBE in c.origins]
    return treated[0] if len(set(treated)) == 1 else None


_MARK = "\0arg"  # a probe column's origin: ``_MARK`` and the number of the column it stands for
_SINKS_KEPT = 64  # calls' shapes whose sinks a module keeps


@dataclass(frozen=True)
class ForeignSink:
    """A write or send in a function of another module of the columns a call gave it (as
    ``Probes`` images): the sink fact the call's file makes of it, at the call."""

    kind: str
    api: str
    host: Any
    target: Any
    hosts: tuple[str, ...]
    attributes: tuple[str, ...] | None
    grouped: str
    envs: tuple[str, ...]  # environment variables the sink's destination is built from there
    columns: tuple[Col, ...]


class Probes:
    """Images of the values a file passes to a function of another module: the same shapes
    (tables, series, strings, lists, numbers), each column a probe that stands for it (its
    name, treatment and how it is known kept; its lineage a mark; no steps: their places are
    the file's), so that a run of the function on a fresh analysis of its module is that of
    a call with these values, and what reaches its sinks is mapped back (``back``)."""

    def __init__(self) -> None:
        self.cols: list[Col] = []

    def value(self, value: Val) -> Val:
        kind = type(value)
        if kind is Frame:
            cols = {name: self.col(col) for name, col in value.cols.items()}
            for source in value.sources:
                for name in list(source.observed):
                    if name not in cols and name not in value.removed:
                        cols[name] = self.col(source.col(name))
            entries = value.entries
            if entries is not None:
                entries = {k: self.value(v) for k, v in entries.items()}
            return Frame(value.lib, cols, (), frozenset(), entries, value.ordered, value.row,
                         value.grouped)  # fmt: skip
        if kind is Series:
            return Series(tuple(self.col(c) for c in value.cols), value.bound)
        if kind is Str:
            cols = tuple(self.col(c) for c in value.cols)
            return Str(value.text, value.via, (), cols, value.env)
        if kind is Seq:
            return Seq(tuple(self.value(item) for item in value.items))
        if kind in (Num, Ref):
            return value
        if kind is Unknown:
            return Unknown(value.name)
        if kind is Obj and value.kind == "path":  # a pathlib.Path: its text
            return Obj("path", {"path": value.data.get("path")})
        return Unknown("?")  # a client, a function: not passed on

    def col(self, col: Col) -> Col:
        mark = f"{_MARK}{len(self.cols)}"
        self.cols.append(col)
        return Col(col.name, (mark,), col.treatment, (), col.by_name, "", col.owner)

    def key(self, args: list[Val], kwargs: dict[str, Val], files: dict) -> tuple:
        """What the run on these images depends on: the same key, the same sinks."""
        return (
            tuple(map(_shape, args)),
            tuple((k, _shape(v)) for k, v in kwargs.items()),
            tuple((k, _shape(v)) for k, v in files.items()),
        )

    def back(self, cols: tuple[Col, ...], name: str, node: Any) -> list[Col]:
        """The file's columns that ``cols`` (from a run on the images) stand for, as they
        reached there (renamed, treated: a step at the call says so)."""
        out: list[Col] = []
        for col in cols:
            marks = (o[len(_MARK) :] for o in col.origins if o.startswith(_MARK))
            given = [self.cols[int(m)] for m in marks if m.isdigit() and int(m) < len(self.cols)]
            if not given:
                continue
            first = given[0]
            flow = first.flow
            if col.treatment != first.treatment:
                flow = (*flow, Step(node, f"{col.treatment} by {name}()"))
            elif col.name != first.name:
                flow = (*flow, Step(node, f"as '{col.name}' in {name}()"))
            origins = tuple(dict.fromkeys(o for c in given for o in c.origins))
            out.append(Col(col.name, origins, col.treatment, flow, col.by_name, first.unset,
                           col.owner))  # fmt: skip
        return out


def _shape(value: Val) -> Any:
    """A probe image as a key (``Probes.key``)."""
    kind = type(value)
    if kind is Frame:
        entries = value.entries
        cols = tuple((k, _col_shape(c)) for k, c in value.cols.items())
        items = None if entries is None else tuple((k, _shape(v)) for k, v in entries.items())
        return ("F", value.lib, value.grouped, value.ordered, value.row, cols, items)
    if kind is Series:
        return ("S", value.bound, tuple(map(_col_shape, value.cols)))
    if kind is Str:
        return ("T", value.text, value.via, value.env, tuple(map(_col_shape, value.cols)))
    if kind is Seq:
        return ("Q", tuple(map(_shape, value.items)))
    if kind is Num:
        return ("N", repr(value.value))
    if kind is Ref:
        return ("R", value.qname)
    if kind is Obj:
        return ("P", value.data.get("path"))
    return ("U", getattr(value, "name", ""))


def _col_shape(col: Col) -> tuple:
    return (col.name, col.origins, col.treatment, col.by_name, col.owner)


class _Module:
    """A project module read for its constants: its analysis, kept to read names and
    attribute chains of it (``settings.DATABASE_URL``) as importers ask for them."""

    __slots__ = ("chain", "fresh", "inputs", "kept", "names", "pristine", "sinks_seen",
                 "summaries", "tables", "tried", "values")  # fmt: skip

    def __init__(
        self,
        fresh: Callable[[], Any],
        inputs: list[str],
        chain: tuple[str, ...] = (),
        tried: set[str] | None = None,
    ) -> None:
        # ``fresh()``: the module's analysis after its top-level code, made anew. Names and
        # attribute chains are read on one kept; each function runs on one of its own, so
        # that what a run changes (a global it sets) is never what a later question sees:
        # the answers do not depend on which file asked first.
        self.fresh = fresh
        self.inputs = inputs
        # The chain it is read on (``read_module``), and, when it may serve others, the files
        # its analyses have read so far (``serves``)
        self.chain = chain
        self.tried = tried
        # The analysis names are read on (None: given to a function's run, made anew when
        # read again), and whether it is still as its top-level code left it (no attribute
        # chain read on it), which a function's run may then take (``_run_on``)
        self.kept: Any = fresh()
        self.pristine = True
        # Its names as its top-level code binds them, read while no analysis is kept (values
        # are not changed in place, but for objects, which are not constants): copied when a
        # run first takes the kept analysis (``_run_on``), most modules are never asked so
        self.names: dict[str, Val] | None = None
        self.values: dict[tuple[str, ...], Val | None] = {}
        self.summaries: dict[tuple, tuple[Treatment, ...] | None] = {}
        self.tables: dict[tuple, Returned | None] = {}
        self.sinks_seen: OrderedDict[tuple, tuple[ForeignSink, ...]] = OrderedDict()

    @property
    def analyzer(self) -> Any:
        """The analysis names and attribute chains are read on."""
        if self.kept is None:
            self.kept = self.fresh()
            self.pristine = True
        return self.kept

    def _names(self) -> dict[str, Val]:
        """The module's names, as the kept analysis holds them: as its top-level code left
        them while none is kept (an analysis made anew would not differ)."""
        return self.kept.module_env if self.kept is not None else self.names  # type: ignore[return-value]

    def _run_on(self) -> Any:
        """A fresh analysis for a function's run: the kept one when nothing was read on it
        but names (it is then what ``fresh()`` would make: its top-level code is run once
        less per question), or one made anew."""
        if self.kept is not None and self.pristine:
            analyzer, self.kept = self.kept, None
            if self.names is None:  # (pristine: its names are still the top-level code's)
                self.names = dict(analyzer.module_env)
            return analyzer
        return self.fresh()

    def serves(self, chain: tuple[str, ...]) -> bool:
        """Whether it is the module's read for importers on ``chain`` as well as its own: its
        reads of modules (those it has made so far) are each a cycle on both chains or on
        neither (``read_module``)."""
        if self.tried is None or chain == self.chain:  # (``tried``: a read that may serve others)
            return True
        return all((p in chain) == (p in self.chain) for p in self.tried)

    def treatments(self, names: list[str], given: int) -> tuple[Treatment, ...] | None:
        """What a module-level function called with ``given`` positional arguments does to a
        column given as each of them: run once per argument on a column of its own (the
        others unknown, the parameters not given their defaults), the treatment of that
        column in what it returns (``raw``: returned as it is or reformatted, ``rounded:3``, a
        keyed hash...; None: not in what it returns); for a tuple it returns, per item
        (``lat2, lon2 = coarsen(lat, lon)``). The importing file applies it to the columns
        it passes (``coarse(lat)`` rounds ``lat``); nothing else of the run is kept (facts
        in the helper, what it writes elsewhere: ``sinks``)."""
        key = (*names, given)
        if key in self.summaries:
            return self.summaries[key]
        func = self.function(names)
        found = None
        if func is not None:
            count = min(given, len(func.node.args.posonlyargs) + len(func.node.args.args))
            try:
                found = tuple(self._treatment(names[0], count, i) for i in range(count))
            except (OverBudget, TooLarge, RecursionError):
                found = None
        self.summaries[key] = found
        return found

    def table(self, names: list[str], given: int) -> Returned | None:
        """The table a module-level function returns when called with ``given`` arguments,
        none of them known (``load_sessions(day)``: the rows of its query): its library and
        its columns as the module reads them (a query's select list, a reader's
        ``usecols``), and whether its schema is open. Not a dict, nor columns known by name
        only, nor what comes of the arguments (``treatments`` follows those)."""
        key = (*names, given)
        if key in self.tables:
            return self.tables[key]
        func = self.function(names)
        found = None
        if func is not None:
            analyzer = self._run_on()
            try:
                count = min(given, len(func.node.args.posonlyargs) + len(func.node.args.args))
                result = analyzer.run_alone(func, [Unknown("?")] * count)
                found = _returned(result)
            except (OverBudget, TooLarge, RecursionError):
                found = None
            finally:
                analyzer.release()
        self.tables[key] = found
        return found

    def record_class(self, names: list[str]) -> bool:
        """Whether ``names`` is a record class of the module (``ProjectImports.record_class``)."""
        return len(names) == 1 and bool(self.analyzer._plain_record(names[0]))

    def function(self, names: list[str]) -> Func | None:
        """The module-level function (a def) ``names`` is, if any."""
        func = self._names().get(names[0]) if len(names) == 1 else None
        if isinstance(func, Func) and type(func.node) in (ast.FunctionDef, ast.AsyncFunctionDef):
            return func
        return None

    def sinks(
        self, names: list[str], key: tuple, args: list[Val], kwargs: dict[str, Val], files: dict
    ) -> tuple[ForeignSink, ...]:
        """What a module-level function called with ``args`` and ``kwargs`` (``Probes``
        images; ``files``: what the caller wrote to the files whose paths it passes) writes
        or sends of them: its sinks that receive a probe column, its own calls of a
        function of a module it imports too (``_DEPTH``). Run on a fresh analysis, once per
        function and shape of the call (``key``)."""
        key = (*names, key)  # two functions called alike write to different places
        if key in self.sinks_seen:
            self.sinks_seen.move_to_end(key)
            return self.sinks_seen[key]
        found: tuple[ForeignSink, ...] = ()
        if self.function(names) is not None:
            analyzer = self._run_on()
            try:
                analyzer.files.update(files)
                analyzer.run_alone(analyzer.module_env[names[0]], args, kwargs)
                found = tuple(_probed_sinks(analyzer))
            except (OverBudget, TooLarge, RecursionError):
                found = ()
            finally:
                analyzer.release()
        self.sinks_seen[key] = found
        while len(self.sinks_seen) > _SINKS_KEPT:
            self.sinks_seen.popitem(last=False)
        return found

    def _treatment(self, name: str, count: int, index: int) -> Treatment:
        probe = Col(_PROBE, (_PROBE,), RAW, ())
        args: list[Val] = [Unknown("?")] * count
        args[index] = Series((probe,))
        analyzer = self._run_on()
        try:
            result = analyzer.run_alone(analyzer.module_env[name], args)
        finally:
            analyzer.release()
        if type(result) is Seq and 1 < len(result.items) <= _TUPLE:  # a tuple: per item
            return tuple(_probe_treatment(item) for item in result.items)
        return _probe_treatment(result)

    def value(self, names: list[str], node: Any) -> Val | None:
        key = tuple(names)
        if key in self.values:
            return self.values[key]
        if len(names) == 1:
            value = self._names().get(names[0])
        else:  # read on the kept analysis (made anew if a run took it), which no run may take
            analyzer = self.analyzer
            self.pristine = False
            value = analyzer.module_env.get(names[0])
        try:
            for attr in names[1:]:
                if value is None:
                    break
                value = analyzer.attribute(value, attr, node)
        except (OverBudget, TooLarge, RecursionError):
            value = None
        portable = _portable(value) if value is not None else None
        self.values[key] = portable
        return portable


@dataclass(frozen=True)
class Returned:
    """A table a function of another module returns (``_Module.table``): its library, its
    columns (name, treatment) and whether its schema is open (columns the caller reads from
    it are evidence of what it holds)."""

    lib: str
    columns: tuple[tuple[str, str], ...]
    open: bool


_TABLE_LIBS = frozenset({"pandas", "polars", "spark", "rows"})


def _returned(result: Val) -> Returned | None:
    if type(result) is not Frame or result.lib not in _TABLE_LIBS or result.entries is not None:
        return None
    cols = [c for c in result.cols.values() if not c.by_name]
    if not cols or len(cols) != len(result.cols):
        return None
    columns = tuple((name, col.treatment) for name, col in result.cols.items())
    return Returned(result.lib, columns, bool(result.sources))


def _probed_sinks(analyzer: Any) -> list[ForeignSink]:
    """The sinks of a run on ``Probes`` images that received a probe column."""
    out = []
    for item in analyzer.pending.values():
        if item.kind != "sink":
            continue
        data = item.data
        cols = tuple(c for c in data["columns"] if any(o.startswith(_MARK) for o in c.origins))
        if cols:
            envs = analyzer.call_envs.get(id(item.node), ()) + data.get("envs", ())
            out.append(
                ForeignSink(
                    data["kind"],
                    data["api"],
                    data["host"],
                    data["target"],
                    data["hosts"],
                    data["attributes"],
                    data["grouped"],
                    tuple(dict.fromkeys(envs)),
                    cols,
                )
            )
    return out


def read_module(
    path: str, root: str, policy: Any, depth: int, chain: tuple[str, ...] = ()
) -> _Module | None:
    """``path`` read as importing it runs it (its top-level code; no function of it is
    called), ``depth`` imports away from the analysed file, through the modules ``chain``
    (read on the way, in order): nothing when it is one of them (an import cycle). Read once
    while the file stays the same, per chain (but for a read ``_DEPTH`` away, which reads no
    module): what it is told of a module of the chain (nothing: a cycle) depends on it, and on
    nothing else, whoever asks first; parsed once whatever the chain (``_parsed``). (A cut read
    used to be read again at every question instead: dlt's extract/extractors.py read
    common/libs/pyarrow.py 813 times, 17 s of a run on the file.) A read a step less deep
    reads modules that read none: the chain changes it only where it reads a module of the
    chain, so one read serves every chain on which its reads of modules are each a cycle or
    not as on its own (``_Module.serves``; a package's config.py, read by each module that
    imports it, on its chain, used to be read once per such module)."""
    if path in chain:
        return None
    version = _version(path)
    if version is None:
        return None
    # A read as deep as imports are followed reads no module: the chain cannot change it.
    key = (*version, depth, chain if depth < _DEPTH else ())
    # A read that may serve other chains notes what it reads (``_Module.serves``)
    tried: set[str] | None = None
    if depth == _DEPTH - 1:
        if key not in _MODULES:
            for other in _SIBLINGS.get(version, ()):
                module = _MODULES.get(other)
                if module is not None and module.serves(chain):
                    _MODULES.move_to_end(other)
                    return module
            _SIBLINGS[version] = [k for k in _SIBLINGS.get(version, ()) if k in _MODULES] + [key]
        tried = set()
    return _kept(
        _MODULES, _KEPT, key, lambda: _load(path, version, root, policy, depth, chain, tried)
    )


def _version(path: str) -> tuple[str, int, int] | None:
    """A module file's version (its path, modified time and size), what its reads and texts
    are kept by; None when it cannot be stat'ed or is too large to be a module (``_MAX_BYTES``)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if stat.st_size > _MAX_BYTES:
        return None
    return (path, stat.st_mtime_ns, stat.st_size)


def _load(
    path: str,
    version: tuple,
    root: str,
    policy: Any,
    depth: int,
    chain: tuple[str, ...],
    tried: set[str] | None = None,
) -> _Module | None:
    """``read_module``'s read of ``path`` (``version``: its path, modified time and size) for an
    importer on ``chain``; ``tried``: see ``_Module.serves``."""
    source = _parsed(path, version)
    if source is None:
        return None
    return _read(path, root, policy, depth, chain, source, tried)


def _kept(cache: OrderedDict[tuple, Any], limit: int, key: tuple, make: Callable[[], Any]) -> Any:
    """What ``cache`` keeps under ``key``, made (``make()``) unless kept; the last ``limit``
    used are kept (the module reads, their trees, the pre-filter's texts)."""
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    found = cache[key] = make()
    while len(cache) > limit:
        cache.popitem(last=False)
    return found


class _Source:
    """A project module's text and tree, and what its analyses read of them (``Analyzer.scans``:
    made of the text alone), shared by the analyses after the first."""

    __slots__ = ("scans", "text", "tree")

    def __init__(self, text: str, tree: ast.Module) -> None:
        self.text = text
        self.tree = tree
        self.scans: tuple | None = None


def _parsed(path: str, key: tuple) -> _Source | None:
    """The text and tree of the file ``path`` (``key``: its path, modified time and size), or
    None when it cannot be read or parsed; the last few kept (``_TREES``)."""
    return _kept(_TREES, _TREES_KEPT, key, lambda: _parse(path))


def _parse(path: str) -> _Source | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        checked = _CHECKED.get(path)
        if checked is not None and checked[0] == text:  # the file's own tree, same text
            return _Source(text, checked[1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _Source(text, ast.parse(text))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


# A checked file's tree (its path -> its text and tree), for a read of it as a module later:
# a package's modules import one another, and a module is often checked before a file that
# imports it (python-packages: 95 of 385 module parses). The last few, as much text as
# ``_CHECKED_SIZE`` (a tree is some 30 times its text).
_CHECKED: OrderedDict[str, tuple[str, ast.Module]] = OrderedDict()
_CHECKED_SIZE = 128_000  # characters
_CHECKED_HELD = [0]  # characters held


def checked_tree(path: str, text: str, tree: ast.Module) -> None:
    """Keep the tree of the file ``path`` (its text ``text``), checked (``models.python``), for
    a read of the file as a module (``_parse``: if it holds the same text then)."""
    held = _CHECKED.pop(path, None)
    if held is not None:
        _CHECKED_HELD[0] -= len(held[0])
    if len(text) > _CHECKED_SIZE:
        return
    _CHECKED[path] = (text, tree)
    _CHECKED_HELD[0] += len(text)
    while _CHECKED_HELD[0] > _CHECKED_SIZE:
        _CHECKED_HELD[0] -= len(_CHECKED.popitem(last=False)[1][0])


def module_tree(path: str, text: str) -> ast.Module | None:
    """The tree of the module file ``path`` when it holds ``text`` (parsed once per version
    and kept, as for a read of it: ``_parsed``); None when it holds another text or does not
    parse."""
    version = _version(path)
    source = _parsed(path, version) if version is not None else None
    return source.tree if source is not None and source.text == text else None


def parsed_tree(path: str, text: str) -> ast.Module | None:
    """The tree of ``path`` parsed for a read of it as a module (``_parsed``), when it was of
    the same text; None otherwise. Read only: no analysis changes a tree it runs on."""
    for key, source in reversed(_TREES.items()):
        if key[0] == path and source is not None and source.text == text:
            return source.tree
    return None


def _read(
    path: str,
    root: str,
    policy: Any,
    depth: int,
    chain: tuple[str, ...],
    source: _Source,
    tried: set[str] | None = None,
) -> _Module | None:
    text, tree = source.text, source.tree
    from dhlint.models.python_dataflow import Analyzer

    inputs: list[str] = []  # the paths its reads look at (``ProjectImports._asked``)

    # One resolver for all its analyses (the first, kept, and one per question): what it
    # looked up and the answers of the modules it read are theirs alike (same file, chain
    # and depth), not asked again by each analysis's top-level code.
    project = ProjectImports(path, root, policy, inputs, depth, (*chain, path), tried)
    relative = os.path.relpath(path, root)  # (once: each question's analysis is made anew)

    def fresh() -> Any:
        analyzer = Analyzer(tree, relative, policy, text, source.scans)
        source.scans = analyzer.scans
        analyzer.project = project
        analyzer.run_module_body()
        return analyzer

    try:
        return _Module(fresh, inputs, chain, tried)
    except (OverBudget, TooLarge, RecursionError, MemoryError):
        return None  # past the analysis's bounds: nothing known (a bug is the caller's error)


# ``import a.b, c as d`` and ``from .a.b import x, y``: the modules a file may take names from.
# Each matched where its word starts a line after blanks (``^[ \t]*`` in multi-line mode:
# ``_line_matches``; not in the pattern, whose search would try every blank of a long run).
_IMPORT = re.compile(r"import[ \t]+([\w., \t]+)")
# A from-import's names run over lines only in parentheses (with comments there) or after a
# backslash: ``from a import B`` must not take the next lines' ``from .c import (`` as names.
_FROM = re.compile(
    r"from[ \t]+\.*([\w.]*)[ \t]+import[ \t]+"
    r"(?:\(((?:[\w., \t\n]|#[^\n]*)+)|((?:[\w., \t]|\\\n)+))"
)
_COMMENT = re.compile(r"#[^\n]*")


def _line_matches(rx: re.Pattern, word: str, text: str) -> list[re.Match]:
    """What ``finditer`` gives for ``rx`` after ``^`` and blanks in multi-line mode (the same
    groups and ends; each match starts at ``word``, which ``rx`` starts with): tried only at
    the lines that start so (found with ``str.find``), six times faster than the search, which
    tries a ``^`` at every character. Each match starts after the one before ends, as there
    (``_FROM``'s names may run over lines)."""
    found: list[re.Match] = []
    done = 0
    at = text.find(word)
    while at >= 0:
        start = at
        while start and text[start - 1] in " \t":
            start -= 1
        if start >= done and (not start or text[start - 1] == "\n"):
            match = rx.match(text, at)
            if match is not None:
                found.append(match)
                done = match.end()
        at = text.find(word, at + 1)
    return found


def imported_texts(text: str, abspath: str, root: str, inputs: list[str]) -> list[tuple[str, str]]:
    """The project modules ``text`` imports from (and those they import from, a few levels
    deep), each its file and text: what the pre-filter reads with the file, since the
    analysis reads their constants as the file's."""
    resolver = ProjectImports(abspath, root, None, inputs)
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    pending = [(_imported_modules(text), resolver, 0)]
    while pending:
        modules, resolve, depth = pending.pop()
        for path in _imported_files(modules, resolve):
            if path in seen:
                continue
            seen.add(path)
            read = _module_text(path)
            if read is None:
                continue
            out.append((path, read[0]))
            if depth + 1 < _DEPTH:
                pending.append((read[1], ProjectImports(path, root, None, inputs), depth + 1))
    return out


# (file path, modified, size) -> its text and the modules it imports from, for the pre-filter:
# a package's modules are read with every file that imports them. The last few kept.
_TEXTS: OrderedDict[tuple, tuple[str, tuple[str, ...]]] = OrderedDict()
_TEXTS_KEPT = 256


def _module_text(path: str) -> tuple[str, tuple[str, ...]] | None:
    """The text of the module file ``path`` and the modules it imports from
    (``_imported_modules``); None when it cannot be read or is too large."""
    key = _version(path)
    return None if key is None else _kept(_TEXTS, _TEXTS_KEPT, key, lambda: _scan_text(path))


def _scan_text(path: str) -> tuple[str, tuple[str, ...]] | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    return text, _imported_modules(text)


def _imported_modules(text: str) -> tuple[str, ...]:
    """The modules ``text`` may take names from (dotted, once each, in order; not those of
    the standard library), as its import statements name them."""
    modules: list[str] = []
    if "import" not in text:
        return ()
    for match in _line_matches(_IMPORT, "import", text):
        modules += (part.split()[0] for part in match.group(1).split(",") if part.split())
    for match in _line_matches(_FROM, "from", text):
        base = match.group(1)
        listed = (match.group(3) or _COMMENT.sub("", match.group(2))).replace("\\", " ")
        names = [part.split()[0] for part in listed.split(",") if part.split()]
        # ``from pkg import name``: name may be a module of pkg (``from app import settings``)
        modules += [f"{base}.{name}" if base else name for name in names if name != "*"]
        if base:
            modules.append(base)
    return tuple(m for m in dict.fromkeys(modules) if m.split(".", 1)[0] not in _STDLIB)


def _imported_files(modules: tuple[str, ...], resolve: ProjectImports) -> list[str]:
    """The files of the project ``modules`` (``_imported_modules``) are, as ``resolve`` finds
    them."""
    files = []
    if _DJANGO_SETTINGS in modules:  # ``from django.conf import settings``: the project's
        path = resolve.django_settings()
        if path is not None:
            files.append(path)
    for module in modules:
        path = resolve.module_file(module)
        if path is not None:
            files.append(path)
    return files
