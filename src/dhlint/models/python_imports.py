"""Constants a module takes from another module of the scanned project.

Real code keeps its endpoints and column lists apart: ``config.py`` holds ``API_URL =
"http://..."`` or ``API_URL = os.environ.get("API_URL", "https://...")``, and the job that sends
does ``from config import API_URL`` (or ``import config`` ... ``config.API_URL``). Each Python
file is analysed alone, so such a name was an unknown library reference: no host, no scheme.

Here a name imported from a module whose file is in the project is looked up among that
module's constants: what its top-level assignments give (strings, numbers, lists of strings,
environment reads with their defaults), evaluated by the analysis itself on those statements
only (no function of it runs). The file is looked for as Python would find it when the program
runs from the importing file's directory or one of its parents up to the repository root
(``config.py``, ``config/__init__.py``, ``app/settings.py`` for ``app.settings``). Nothing is
imported or executed. Every path looked at is an input of the result (the cache): a module
added or edited later is seen. Standard-library module names are not looked for.
"""

from __future__ import annotations

import ast
import os
import re
import sys
import warnings
from dataclasses import replace
from typing import Any

from dhlint.models.python_values import Num, OverBudget, Seq, Str, TooLarge, Unknown, Val

# A module of the standard library is the interpreter's, whatever the project holds (Python 3.10+
# has the list; 3.9's interpreters are not supported).
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))
VIA = "imported"  # a Str's ``via``: a constant of another module (DH660's message says so)
_MAX_BYTES = 1_000_000  # a "module" this large is data, not settings: not read

# (file path, modified, size) -> the module's constants (None while being read: an import
# cycle). Per process: a run reads each module once whatever imports it.
_MODULES: dict[tuple[str, int, int], dict[str, Val] | None] = {}


def _candidates(module: str, directory: str, root: str) -> list[str]:
    """The files ``module`` (dotted) may be, nearest first: from the importing file's directory
    up to the root."""
    parts = module.split(".")
    out: list[str] = []
    base = directory
    while True:
        stem = os.path.join(base, *parts)
        out += [stem + ".py", os.path.join(stem, "__init__.py")]
        if os.path.normcase(base) == os.path.normcase(root):
            break
        parent = os.path.dirname(base)
        if parent == base or not parent.startswith(root):
            break
        base = parent
    return out


class ProjectImports:
    """Resolves names a module imports to the constants of project modules, for one analysed
    file (``abspath``) under ``root``; the paths looked at go to ``inputs``."""

    def __init__(self, abspath: str, root: str, policy: Any, inputs: list[str] | None) -> None:
        self.directory = os.path.dirname(abspath)
        self.root = root
        self.policy = policy
        self.inputs = inputs if inputs is not None else []
        self.found: dict[str, str | None] = {}  # dotted module -> its file (None: not found)
        self.values: dict[str, Val | None] = {}  # qualified name -> its value (None: unknown)

    def value(self, qname: str) -> Val | None:
        """The value of ``module.NAME`` when ``module`` is a file of the project that assigns
        ``NAME`` a constant; None otherwise (a library's name, a function, a class...)."""
        if qname in self.values:
            return self.values[qname]
        module, _, name = qname.rpartition(".")
        value = None
        if module and module.split(".", 1)[0] not in _STDLIB:
            path = self.module_file(module)
            if path is not None:
                constants = module_constants(path, self.root, self.policy, self.inputs)
                value = constants.get(name) if constants else None
        self.values[qname] = value
        return value

    def module_file(self, module: str) -> str | None:
        if module in self.found:
            return self.found[module]
        found = None
        for path in _candidates(module, self.directory, self.root):
            self.inputs.append(path)  # present or not: one added later changes the result
            if os.path.isfile(path):
                found = path
                break
        self.found[module] = found
        return found


_ENV_NAME = re.compile(r"env:[^?]")


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
    return None


_TOP_LEVEL = (ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom)


def module_constants(path: str, root: str, policy: Any, inputs: list[str]) -> dict[str, Val] | None:
    """``path``'s top-level constants (read once while the file stays the same)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key in _MODULES:
        return _MODULES[key]  # None while it is read: a cycle of imports
    _MODULES[key] = None
    if stat.st_size > _MAX_BYTES:
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    from dhlint.models.python_dataflow import Analyzer

    body = [stmt for stmt in tree.body if isinstance(stmt, _TOP_LEVEL)]
    relpath = os.path.relpath(path, root)
    analyzer = Analyzer(ast.Module(body=body, type_ignores=[]), relpath, policy, text)
    analyzer.project = ProjectImports(path, root, policy, inputs)  # its own imports, chained
    constants: dict[str, Val] = {}
    try:
        for stmt in body:
            analyzer.exec_stmt(stmt, analyzer.module_env)
        for name, value in analyzer.module_env.items():
            portable = _portable(value)
            if portable is not None:
                constants[name] = portable
    except (OverBudget, TooLarge, RecursionError, MemoryError):
        constants = {}  # past the analysis's bounds: nothing known (a bug is the caller's error)
    finally:
        analyzer.release()
    _MODULES[key] = constants
    return constants


# ``import a.b, c as d`` and ``from .a.b import x, y``: the modules a file may take names from.
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w., \t]+)", re.M)
_FROM = re.compile(r"^[ \t]*from[ \t]+\.*([\w.]*)[ \t]+import[ \t]+\(?([\w., \t\n]+)", re.M)
_DEPTH = 3  # modules that import constants from modules that import them...


def imported_texts(text: str, abspath: str, root: str, inputs: list[str]) -> list[str]:
    """The texts of the project modules ``text`` imports from (and those they import from, a
    few levels deep): what the pre-filter reads with the file, since the analysis reads their
    constants as the file's."""
    resolver = ProjectImports(abspath, root, None, inputs)
    seen: set[str] = set()
    out: list[str] = []
    pending = [(text, resolver, 0)]
    while pending:
        source, resolve, depth = pending.pop()
        for path in _imported_files(source, resolve):
            if path in seen:
                continue
            seen.add(path)
            try:
                if os.path.getsize(path) > _MAX_BYTES:
                    continue
                with open(path, encoding="utf-8", errors="replace") as handle:
                    module_text = handle.read()
            except OSError:
                continue
            out.append(module_text)
            if depth + 1 < _DEPTH:
                pending.append((module_text, ProjectImports(path, root, None, inputs), depth + 1))
    return out


def _imported_files(text: str, resolve: ProjectImports) -> list[str]:
    modules: list[str] = []
    if "import" not in text:
        return []
    for match in _IMPORT.finditer(text):
        modules += (part.split()[0] for part in match.group(1).split(",") if part.split())
    for match in _FROM.finditer(text):
        base = match.group(1)
        names = [part.split()[0] for part in match.group(2).split(",") if part.split()]
        # ``from pkg import name``: name may be a module of pkg (``from app import settings``)
        modules += [f"{base}.{name}" if base else name for name in names if name != "*"]
        if base:
            modules.append(base)
    files = []
    for module in dict.fromkeys(modules):
        if module.split(".", 1)[0] in _STDLIB:
            continue
        path = resolve.module_file(module)
        if path is not None:
            files.append(path)
    return files
