"""Slice a Python module down to the top-level statements the data-flow analysis can use.

The data-flow analysis costs several times the stdlib parse, and most functions of a module
that passed the pre-filter never touch data that leaves the program (issue 7). Before the
analysis, every module-level statement, ``def``, ``class`` and method that cannot take part in
a finding is left out of the stdlib tree it runs on, and replaced by blank lines in the text
(lines and columns of everything kept stay exactly where they were).

A statement is *hot* when its own text can produce a fact: it uses a library the analysis
knows (an import of a module in ``_HOT_MODULES``), ``print``/``open``/``hash``, the environment,
a URL or a TLS switch, or calls a method the analysis turns into a sink, source or hash.
Facts then flow through calls: every statement that uses a hot one (its callers, up to the
module level) is kept, and so is every statement those use (the helpers and constants that
compute what reaches the sink). Statements that read the same attribute of self, open the same
file or write into the same module-level object count as using each other: the analysis carries
fields and data between them; a function stored into a module-level object (``HANDLERS[k] =
emit``, ``SINKS.append(emit)``, a registering decorator) counts as called by what reads the
object. A file is the same when its path is the same string, directly or
through a module-level name; a path the slicer cannot spell (built, a parameter) may be any
file. A module-level buffer (``B = io.StringIO()``) is the same object under any name a
function reaches it by, and a module-level function on ``self`` runs as a method of its
callers' class. An instance of a module class (``Job(df)``) may go anywhere (a list, a
parameter) and have any of its methods called there: a statement that makes one uses them all,
and a name or attribute that holds one (``job = Job(df)``, ``self.src = Source()``) gives its
class's methods and attributes (``job.run()``, ``self.src.get(row)``). A module-level
statement is blanked on the same terms as a function, unless it holds an import (``from x
import *`` binds names no scan can list), shares a line with another statement, or names a
module-level name that a kept statement reads (it may change that object:
``ROWS.append(row)``). Everything here over-approximates: a name used anywhere counts as a use,
whatever its scope.
"""

from __future__ import annotations

import ast
import copy
import itertools
import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

from dhlint.frontends.python import (
    _ANALYSED_MODULES,
    _QUIET_MODULES,
    _SINK_CALLS,
    _SOURCE_CALLS,
    _TABLE_WRITERS,
    _TRANSPORT_KEYWORDS,
    _TRANSPORT_NAMES,
    _TRANSPORT_TEXT,
    _WORD,
    CLIENT_ADDRESS,
    PEER_METHODS,
    _annotation_names,
    _call_name,
    _is_django_manager,
    _words,
    collection,
    getattr_literal,
    walk,
)
from dhlint.models.python_dataflow import _BUILTINS as _BUILTIN_NAMES
from dhlint.models.python_dataflow import _STORAGE_READS
from dhlint.models.python_libraries import (
    _CURSOR_WRITES,
    _DB_WRITERS,
    _FILE_WRITERS,
    _HASHLIB,
    _LOG_METHODS,
    KNOWN_MODULES,
)

# The same two kinds of evidence as the file-level pre-filter (``frontends.python``), judged
# per node. *Hot*: a fact needs no column (a URL, a TLS switch, the environment, a library the
# analysis knows, a call that reads rows or reaches storage). *Sink*: a fact needs a column
# (print, logs, hashes, files, table writers).
# ``os``/``posixpath``/``pathlib`` only build paths (``os.environ``/``os.getenv`` are hot by
# name below, a path's ``write_text`` is a sink method); ``io`` makes in-memory files,
# ``builtins`` holds print/open/hash: sinks. ``ssl`` matters through
# ``_create_unverified_context`` only (hot by name, as an imported name too).
_HOT_MODULES = (_ANALYSED_MODULES | KNOWN_MODULES) - _QUIET_MODULES - {
    "os", "posixpath", "builtins", "io", "ssl", "pathlib",
}  # fmt: skip
_SINK_MODULES = _QUIET_MODULES | {"builtins", "io"}
_HOT_NAMES = _TRANSPORT_NAMES | {"environ", "getenv", "writeStream"}
_HOT_KEYWORDS = _HOT_NAMES | _TRANSPORT_KEYWORDS
_HOT_METHODS = _SOURCE_CALLS | frozenset(_STORAGE_READS) | {
    "xcom_push", "xcom_pull", "read_sql", "sql", "saveAsTable", "insertInto", "jdbc",
}  # fmt: skip
_SINK_BUILTINS = frozenset({"print", "open", "hash"})
# Calls whose first argument is a file the analysis follows from its writer to its readers.
_FILE_CALLS = frozenset({"open", "Path", "fdopen"})
_FILE_PREFIXES = ("to_", "read_", "write", "sink_", "scan_")
# Calls that make a file object whose content the analysis carries between functions.
_BUFFER_FACTORIES = frozenset({"StringIO", "BytesIO", "open", "fdopen"})
_PATH_KEYWORDS = frozenset(
    {"file", "path", "path_or_buf", "filepath_or_buffer", "source", "excel_writer", "buf",
     "filename", "Filename", "fname", "url"}
)  # fmt: skip
# pathlib's methods on a path: the receiver is the file.
_PATH_METHODS = frozenset({"open", "read_text", "read_bytes", "write_text", "write_bytes"})
# The key of a path the slicer cannot spell (built, a parameter, a local variable): it may be
# any file, so it links with every statement that names one. The analysis spells many of them.
ANY_PATH = "path:*"
# A Flask app's config (``app.config[...] = ...`` in a factory, ``current_app.config[...]`` in a
# view): one object whatever it is reached by, so every statement that names an attribute
# ``config`` may write into it or read from it.
APP_CONFIG = "app.config"
_WRITES_INTO = frozenset(
    {"write", "writelines", "append", "extend", "update", "add", "insert", "put", "setdefault",
     "writerow", "writerows"}
)  # fmt: skip
_SINK_METHODS = (
    _SINK_CALLS | _TABLE_WRITERS | _FILE_WRITERS | _DB_WRITERS | _CURSOR_WRITES | _HASHLIB
) | {"show", "hash", "hash_rows", "hash_pandas_object", "hexdigest", "digest", "send", "produce"}
_LOGGER = re.compile(r"log", re.IGNORECASE)
_SQL = re.compile(r"\b(?:select|insert|update|merge|upsert|copy|create)\b", re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n?|\n")
_SPACE = re.compile(r"\s")  # what str.isspace takes for white space


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEFS_AND_CLASSES = (*_DEFS, ast.ClassDef)
_NAMED_BINDERS = (*_DEFS_AND_CLASSES, ast.ExceptHandler, ast.MatchAs, ast.MatchStar)
Key = str | tuple[str, str]  # a module-level name, or (class, attribute) for self.<attribute>


class _Node:
    """A unit of the slice: a module-level statement, a class's header (everything in it but
    its methods), or one method of a module-level class."""

    __slots__ = ("binds", "cls", "parent", "scan", "stmt", "uses")

    def __init__(self, stmt: ast.stmt, scan: _Scan, binds: set[Key], parent: int | None):
        self.stmt, self.scan, self.binds, self.parent = stmt, scan, binds, parent
        self.uses: set[Key] = set(scan.names)
        self.cls: str | None = None  # the class of a method or a class's header


def slice_text(
    text: str, tree: ast.Module, is_identifier: Callable[[str], bool]
) -> tuple[str, ast.Module]:
    """``text`` with the module-level statements, functions, classes and methods that cannot
    matter blanked, and ``tree`` without them (the stdlib tree of the result, for positions).

    ``tree`` is ``ast.parse(text)``; ``is_identifier`` the pre-filter's word test. Returns
    ``text`` and ``tree`` themselves when nothing can be dropped."""
    nodes, keep = _plan(tree, is_identifier)
    drop: set[int] = set()
    shared = _shared_lines(tree.body)
    # A module-level statement can change an object without binding its name (``ROWS.append``,
    # ``CONFIG["url"] = ...``): it stays when it names a module-level name a kept node reads.
    module_names = {key for node in nodes for key in node.binds if isinstance(key, str)}
    read = {key for i in keep for key in nodes[i].uses if isinstance(key, str)} & module_names
    for index, node in enumerate(nodes):
        if index in keep:
            continue
        if node.parent is not None and node.parent not in keep:
            continue  # the whole class goes
        stmt = node.stmt
        if not isinstance(stmt, _DEFS_AND_CLASSES) and (
            node.scan.imports or id(stmt) in shared or not node.scan.names.isdisjoint(read)
        ):
            continue  # an import, a line shared, or a kept object changed: see the docstring
        drop.add(id(stmt))
    body = []
    for stmt in tree.body:
        if id(stmt) in drop:
            continue
        if isinstance(stmt, ast.ClassDef):
            inner = [s for s in stmt.body if id(s) not in drop]
            if not inner:  # a class body cannot be empty: keep its first statement
                drop.discard(id(stmt.body[0]))
                inner = stmt.body[:1]
            if len(inner) < len(stmt.body):
                stmt = copy.copy(stmt)
                stmt.body = inner
        body.append(stmt)
    if not drop:
        return text, tree
    lines = _NEWLINE.split(text)
    breaks = _NEWLINE.findall(text)
    for stmt in _statements(tree):
        if id(stmt) in drop:
            first, last = _span(stmt)
            for number in range(first - 1, last):
                lines[number] = ""
    out = [line + brk for line, brk in zip(lines, breaks, strict=False)]
    if len(lines) > len(breaks):
        out.append(lines[-1])
    return "".join(out), ast.Module(body=body, type_ignores=[])


def _shared_lines(body: Sequence[ast.stmt]) -> set[int]:
    """The statements that share a line with the statement before or after them."""
    shared = set()
    for before, after in itertools.pairwise(body):
        if (before.end_lineno or before.lineno) >= _span(after)[0]:
            shared.update((id(before), id(after)))
    return shared


def _statements(tree: ast.Module):
    for stmt in tree.body:
        yield stmt
        if isinstance(stmt, ast.ClassDef):
            yield from stmt.body


def _plan(tree: ast.Module, is_identifier: Callable[[str], bool]) -> tuple[list[_Node], set[int]]:
    """The nodes of the module, and the indexes of those to keep."""
    nodes, relatives = _nodes(tree)
    _bind_through_self_calls(nodes)
    binders: dict[Key, list[int]] = {}
    for index, node in enumerate(nodes):
        for key in node.binds:
            binders.setdefault(key, []).append(index)
    # Two kinds of use. A *call* (of a function, a method or a lambda bound to a name) passes
    # values to it, so the caller matters whenever the callee can give a fact. A *value* use
    # (a module-level name, an attribute set on self, a class) reads what the binder made, so a
    # hot value makes the reader hot.
    uses: list[set[int]] = [set() for _ in nodes]
    headers = {node.cls: i for i, node in enumerate(nodes) if node.parent is None and node.cls}
    values: list[set[int]] = [set() for _ in nodes]  # binders of the values n reads
    callers: list[set[int]] = [set() for _ in nodes]
    calls: list[set[int]] = [set() for _ in nodes]  # the functions n calls
    for index, node in enumerate(nodes):
        for key in node.uses:
            for target in binders.get(key, ()):
                if target == index:
                    continue
                uses[index].add(target)
                if isinstance(key, tuple) and key[1].startswith("."):
                    values[index].add(target)
                elif _is_function(nodes[target].stmt):
                    callers[target].add(index)
                    calls[index].add(target)
                else:
                    values[index].add(target)
        if node.parent is not None:
            # A method needs its class to run, but reads its constants through self.<name>
            # (a value use above), never the class statement as a whole.
            uses[index].add(node.parent)
        elif node.cls is not None:
            # A class needs the classes it shares an instance with: what a base's method reads
            # on self may be set by a subclass's other base (class Job(LogMixin, Source)).
            uses[index].update(headers[c] for c in relatives[node.cls] if c != node.cls)
    for index, node in enumerate(nodes):
        if node.parent is None and (node.scan.self_stores or node.scan.self_loads):
            # def stash(self, row): self.val = ... runs as a method of its callers' class: its
            # callers give it the self whose attributes it sets and reads.
            uses[index].update(callers[index])
    # Methods that read the same attribute of self share what they learn of its value: the
    # fields one reads (rec["email"] for rec in self.records) are the columns another sends.
    readers: dict[Key, set[int]] = {}
    for index, node in enumerate(nodes):
        for key in node.uses:
            if isinstance(key, tuple) and key[1].startswith("."):
                readers.setdefault(key, set()).add(index)
    # Likewise statements that open the same file or write into the same module-level object
    # (what one writes, the other reads back). Local names (fh.write, rows.append) share
    # nothing beyond their function.
    strings, buffers = _followed_names(tree)
    for node in nodes:  # every statement that names a module-level buffer may write into it
        named = buffers.intersection(node.scan.names)
        if named:
            node.scan.shared.update(named)
    for node in nodes:  # a name a path is given by: the string it is bound to, or any path
        if not node.scan.paths:
            continue
        local = _local_names(node) if node.parent is not None or _is_function(node.stmt) else ()
        for name in node.scan.paths:
            known = name in strings and name not in local
            node.scan.shared.add("path:" + strings[name] if known else ANY_PATH)
    own = [set(node.scan.shared) for node in nodes]
    _spread_shared(nodes, calls)
    # A function put into a module-level object (HANDLERS["log"] = emit, SINKS.append(emit),
    # a registering decorator) is called by whatever reads the object: HANDLERS["log"](row).
    held: dict[str, set[int]] = {}
    for index, node in enumerate(nodes):
        stored = {k for k in own[index] if k in binders}
        if stored:  # it names the functions it stores
            for key in stored:
                held.setdefault(key, set()).update(
                    c for c in calls[index] if _is_function(nodes[c].stmt)
                )
        decorators = _decorator_names(node.stmt)
        for callee in calls[index] if decorators else ():
            if getattr(nodes[callee].stmt, "name", None) in decorators:
                for key in own[callee] & binders.keys():
                    held.setdefault(key, set()).add(index)
    if held:
        for index, node in enumerate(nodes):
            for key in node.uses & held.keys():
                for function in held[key] - {index}:
                    callers[function].add(index)
                    calls[index].add(function)
                    uses[index].add(function)
        _spread_shared(nodes, calls)
    for index, node in enumerate(nodes):
        for key in node.scan.shared:
            if key.startswith("path:") or key in binders or key == APP_CONFIG:
                readers.setdefault(key, set()).add(index)
    if ANY_PATH in readers:  # a file the slicer cannot name may be any of the others
        paths = [k for k in readers if isinstance(k, str) and k.startswith("path:")]
        files = set().union(*(readers[k] for k in paths))
        anywhere = readers[ANY_PATH]
        for key in paths:
            readers[key] = files if key == ANY_PATH else readers[key] | anywhere
    for index, node in enumerate(nodes):
        for key in (*node.uses, *node.scan.shared):
            if key in readers:
                uses[index].update(readers[key])
        uses[index].discard(index)
    hot = {i for i, node in enumerate(nodes) if node.scan.hot}
    sinks = {i for i, node in enumerate(nodes) if node.scan.sink}
    # What reads a hot value is hot; what reads a library's value, a sink. So is what calls a
    # hot function or a sink: it may keep what the function returns for others to read
    # (``SESSION = make_session()``, ``self.session = build_session()``, ``mask = _md5``).
    links = [values[i] | calls[i] for i in range(len(nodes))]
    changed = True
    while changed:
        changed = False
        for index in range(len(nodes)):
            if index not in hot and not links[index].isdisjoint(hot):
                hot.add(index)
                changed = True
            elif index not in sinks and not links[index].isdisjoint(sinks):
                sinks.add(index)
                changed = True
    confident = getattr(is_identifier, "confident", is_identifier)
    data: dict[int, bool] = {}  # node -> it writes an identifier-like word (judged when asked)

    def has_data(i: int) -> bool:
        found = data.get(i)
        if found is None:
            scan = nodes[i].scan
            found = data[i] = any(map(is_identifier, scan.keys)) or any(map(confident, scan.named))
        return found

    clean: set[int] = set()  # nodes whose uses, followed to the end, write no such word
    for index in sinks - hot:
        # A sink gives a fact only when a column reaches it: a word the classifier takes for an
        # identifier must be written where the values can come from (the node, its callers,
        # and what any of them use).
        if _reaches(_closure({index}, callers), uses, has_data, clean):
            hot.add(index)
    # Keep what gives facts, its callers (they pass the values), and all that those use.
    return nodes, _closure(_closure(hot, callers), uses)


def _spread_shared(nodes: list[_Node], calls: list[set[int]]) -> None:
    """A function that writes into a module-level object, a global or a file writes what its
    callers pass it (remember(row["email"])): they count as writing there too."""
    changed = True
    while changed:
        changed = False
        for index, node in enumerate(nodes):
            for callee in calls[index]:
                if not nodes[callee].scan.shared <= node.scan.shared:
                    node.scan.shared |= nodes[callee].scan.shared
                    changed = True


def _decorator_names(stmt: ast.stmt) -> set[str]:
    """The names a def's decorators call or are (``@register("log")``, ``@audited``)."""
    names = set()
    for decorator in getattr(stmt, "decorator_list", ()):
        target = decorator.func if type(decorator) is ast.Call else decorator
        if type(target) is ast.Name:
            names.add(target.id)
    return names


def _bind_through_self_calls(nodes: list[_Node]) -> None:
    """A method that calls another on self (``self._load(row)``, ``super().__init__(row)``)
    sets what that one sets, on its own self: the analysis runs it as an entry point too, and
    what it sets is read where the attribute is read."""
    methods: dict[Key, list[int]] = {}
    for index, node in enumerate(nodes):
        for key in node.binds:
            if isinstance(key, tuple) and not key[1].startswith("."):
                methods.setdefault(key, []).append(index)
    changed = True
    while changed:
        changed = False
        for node in nodes:
            for key in node.uses:
                for callee in methods.get(key, ()) if isinstance(key, tuple) else ():
                    sets = {
                        (node.cls or k[0], k[1])
                        for k in nodes[callee].binds
                        if type(k) is tuple and k[1][:1] == "."
                    }
                    if not sets <= node.binds:
                        node.binds |= sets
                        changed = True


def _followed_names(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """Two kinds of module-level names the analysis follows into every function.

    Strings: names bound once, to a string, and never assigned elsewhere at the module level
    (``OUT = "/tmp/stage.csv"``). Buffers: names bound to an open file or an in-memory one, or
    to what a function of the module returns (``B = io.StringIO()``, ``LOG = make_log()``):
    what one function writes into them another reads, whatever name it reaches them by."""
    strings: dict[str, str] = {}
    buffers: set[str] = set()
    bound: dict[str, int] = {}
    # The module's own functions, lambdas bound to a name included, may return a buffer.
    factories = _BUFFER_FACTORIES | {
        name
        for stmt in tree.body
        if isinstance(stmt, _DEFS)
        or (isinstance(stmt, ast.Assign) and type(stmt.value) is ast.Lambda)
        for name in _bound_names(stmt)
    }
    for stmt in tree.body:
        if isinstance(stmt, _DEFS_AND_CLASSES):
            bound[stmt.name] = bound.get(stmt.name, 0) + 1
            continue
        names = _bound_names(stmt)
        for name in names:
            bound[name] = bound.get(name, 0) + 1
        # However the statement binds (B: io.StringIO = ..., B, C = ..., with ... as B, a
        # walrus, inside an if), every name it binds may be the buffer it makes.
        if names and any(
            type(node) is ast.Call and _call_name(node.func) in factories for node in walk(stmt)
        ):
            buffers.update(names)
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and type(stmt.targets[0]) is ast.Name
            and type(stmt.value) is ast.Constant
            and isinstance(stmt.value.value, str)
        ):
            strings[stmt.targets[0].id] = stmt.value.value
    return {name: text for name, text in strings.items() if bound[name] == 1}, buffers


def _local_names(node: _Node) -> set[str]:
    """The parameters and variables of a function (they hide module-level names)."""
    names = set()
    for inner in walk(node.stmt):
        kind = type(inner)
        if kind is ast.arg:
            names.add(inner.arg)
        elif kind is ast.Name and type(inner.ctx) is not ast.Load:
            names.add(inner.id)
    return names


def _is_function(stmt: ast.stmt) -> bool:
    """A ``def``, or a name bound to a lambda or to another name (``digest = lambda v: ...``,
    ``mask = _md5``): what reads it calls it, and the facts of the call are the caller's."""
    return isinstance(stmt, _DEFS) or (
        isinstance(stmt, ast.Assign) and type(stmt.value) in (ast.Lambda, ast.Name, ast.Attribute)
    )


def _span(stmt: ast.stmt) -> tuple[int, int]:
    decorators = getattr(stmt, "decorator_list", ())
    first = min([stmt.lineno, *(d.lineno for d in decorators)])
    return first, stmt.end_lineno or stmt.lineno


def _nodes(tree: ast.Module) -> tuple[list[_Node], dict[str, set[str]]]:
    nodes: list[_Node] = []
    relatives = _relatives(tree)
    instances = {  # JOB = Job(): JOB.run() in any function runs Job.run
        target.id: cls
        for stmt in tree.body
        if type(stmt) is ast.Assign and (cls := _made_by(stmt.value, relatives))
        for target in stmt.targets
        if type(target) is ast.Name
    }
    for stmt in tree.body:
        if not isinstance(stmt, ast.ClassDef):
            scan = _scan(stmt, relatives, instances=instances)
            # global HANDLER; HANDLER = emit: the function binds the name too (its callers
            # may call emit through it).
            node = _Node(stmt, scan, set(_bound_names(stmt)) | scan.globals, None)
            if node.scan.self_loads or node.scan.self_stores:
                # def report(self): ... called as report(self) from a method: the analysis
                # runs it as a method of the caller's class, whichever that is.
                for cls in relatives:
                    _uses_self(node, cls, (cls,))
            nodes.append(node)
            continue
        cls = stmt.name
        methods = [s for s in stmt.body if isinstance(s, _DEFS)]
        rest = [s for s in stmt.body if not isinstance(s, _DEFS)]
        # The header holds the methods defined under an ``if`` or a ``try`` (the analysis
        # finds them there): it sets and reads attributes of self as a method does.
        header = _scan(stmt, relatives, skip=methods, instances=instances)
        binds = {cls} | {(cls, name) for s in rest for name in _bound_names(s)}
        parent = len(nodes)
        nodes.append(_method_node(stmt, header, binds, cls, None, relatives[cls]))
        for method in methods:
            scan = _scan(method, relatives, instances=instances)
            binds = {(cls, method.name), *scan.globals}
            node = _method_node(method, scan, binds, cls, parent, relatives[cls])
            nodes.append(node)
    for node in nodes:  # Base.emit(self, v): emit may be a method of a base of Base
        for cls, attr in node.scan.class_loads:
            node.uses.update((owner, attr) for owner in relatives[cls])
    # An attribute that holds an instance (self.src = Source()): what is read or called on
    # it anywhere (self.src.get(row)) is the class's.
    held: dict[str, set[str]] = {}
    methods: dict[str, list[tuple[str, str]]] = {}  # class -> its methods' keys
    for node in nodes:
        if node.parent is not None:
            key = (node.cls, node.stmt.name)  # type: ignore[attr-defined]
            methods.setdefault(node.cls, []).append(key)  # type: ignore[arg-type]
        for attr, cls in node.scan.attr_made:
            held.setdefault(attr, set()).add(cls)
    for node in nodes:
        for attr, used in node.scan.attr_uses:
            node.scan.instance_loads.update((cls, used) for cls in held.get(attr, ()))
        for cls, attr in node.scan.instance_loads:  # job.run(), job.df on job = Job(df)
            if not attr:
                # Job(df) runs Job.__init__, and the instance may go anywhere (a list, a
                # parameter, a return value): any of its methods may be called on it.
                node.uses.update(k for owner in relatives[cls] for k in methods.get(owner, ()))
                continue
            node.uses.update((owner, a) for owner in relatives[cls] for a in (attr, "." + attr))
        for cls, attr in node.scan.class_stores:
            node.binds.update(((cls, attr), (cls, "." + attr)))
    # app.config.from_object(Config) reads every attribute Config's body (or a base's) sets,
    # wherever it is set (Config.LAST = row["email"] in a function).
    constants: dict[str, set[str]] = {}
    for node in nodes:
        if node.parent is None and node.cls is not None:
            constants[node.cls] = {k[1].lstrip(".") for k in node.binds if type(k) is tuple}
    for node in nodes:
        for cls in node.scan.objects:
            for owner in relatives[cls]:
                node.uses.update(
                    key
                    for name in constants.get(owner, ())
                    for key in ((owner, name), (owner, "." + name))
                )
    return nodes, relatives


def _relatives(tree: ast.Module) -> dict[str, set[str]]:
    """Each module-level class with the classes of the module it shares an instance with:
    its bases, its subclasses and their other bases (``class Job(Mixin, Base)``: a method of
    ``Mixin`` may call one of ``Base`` on self). The analysis finds a method or an attribute of
    self in the bases (``self.send`` inherited, ``super().send``, a base's constant), and a
    base's method called from a subclass runs with the subclass's self."""
    classes = [stmt for stmt in tree.body if isinstance(stmt, ast.ClassDef)]
    bases = {stmt.name: set() for stmt in classes}
    for stmt in classes:  # only the module's classes (not object, Exception...)
        for base in stmt.bases:
            if type(base) is ast.Subscript:  # Base[T]: a generic
                base = base.value
            if type(base) is ast.Name and base.id in bases:
                bases[stmt.name].add(base.id)
    relatives: dict[str, set[str]] = {name: {name} for name in bases}
    for name in bases:
        # The classes an instance of ``name`` is an instance of: all related to each other.
        line, work = {name}, list(bases[name])
        while work:
            base = work.pop()
            if base not in line:
                line.add(base)
                work.extend(bases[base])
        for member in line:
            relatives[member] |= line
    return relatives


def _method_node(
    stmt: ast.stmt, scan: _Scan, binds: set[Key], cls: str, parent: int | None, related
) -> _Node:
    node = _Node(stmt, scan, binds, parent)
    node.cls = cls
    _uses_self(node, cls, related)
    return node


def _uses_self(node: _Node, cls: str, related: Iterable[str]) -> None:
    """``node`` runs as a method of ``cls``: it sets the attributes of its self, and reads
    or calls those of ``cls`` or of a class ``related`` by inheritance."""
    scan = node.scan
    node.binds.update((cls, "." + a) for a in scan.self_stores)
    for owner in related:
        node.uses.update((owner, a) for a in scan.self_loads)  # self.method(...)
        node.uses.update((owner, "." + a) for a in scan.self_loads)  # self.attribute


def _closure(start: set[int], edges: list[set[int]]) -> set[int]:
    seen = set(start)
    work = list(start)
    while work:
        for nxt in edges[work.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                work.append(nxt)
    return seen


def _reaches(
    start: set[int], edges: list[set[int]], found: Callable[[int], bool], clean: set[int]
) -> bool:
    """Whether a node ``found`` accepts is reachable from ``start`` along ``edges``. A search
    that finds none adds all it saw to ``clean``, which later searches need not enter: the
    sinks of a module mostly share their callers and what those use."""
    seen = start - clean
    work = list(seen)
    while work:
        index = work.pop()
        if found(index):
            return True
        for nxt in edges[index]:
            if nxt not in seen and nxt not in clean:
                seen.add(nxt)
                work.append(nxt)
    clean |= seen
    return False


def _bound_names(stmt: ast.stmt) -> set[str]:
    """Names a module-level statement binds (for defs and classes: their own name only)."""
    if isinstance(stmt, _DEFS_AND_CLASSES):
        return {stmt.name}
    names = set()
    for node in walk(stmt):
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load:
                names.add(node.id)
        elif kind is ast.alias:
            names.add((node.asname or node.name).split(".", 1)[0])
        elif kind in _NAMED_BINDERS and node.name:  # def, class, except E as e, case x
            names.add(node.name)
        elif kind is ast.MatchMapping and node.rest:  # case {**rest}
            names.add(node.rest)
    return names


# The node classes ``_scan`` reads; a third of the nodes are others (statements, subscripts...).
_SCANNED = frozenset(
    {
        ast.Name, ast.Attribute, ast.arg, ast.Constant, ast.JoinedStr, ast.BinOp, ast.keyword,
        ast.Import, ast.ImportFrom, ast.Call, ast.Subscript, ast.Global, ast.Assign, ast.withitem,
        ast.AnnAssign,
    }
)  # fmt: skip


class _Scan:
    __slots__ = (
        "attr_made", "attr_uses", "class_loads", "class_stores", "globals", "hot", "imports",
        "instance_loads", "keys", "named", "names", "objects",
        "paths", "self_loads", "self_stores", "shared", "sink",
    )  # fmt: skip

    def __init__(self) -> None:
        self.names: set[str] = set()  # names used (loads and stores)
        self.self_loads: set[str] = set()  # attributes of self/cls read ...
        self.self_stores: set[str] = set()  # ... and set
        self.class_loads: set[tuple[str, str]] = set()  # Base.emit: (class, method)
        self.class_stores: set[tuple[str, str]] = set()  # Config.URL = v
        # Job(df) runs Job.__init__; on job = Job(df), job.run() and job.df are Job's.
        self.instance_loads: set[tuple[str, str]] = set()
        # self.src = Source(): (attribute, class); self.src.get(): (attribute, its attribute)
        self.attr_made: set[tuple[str, str]] = set()
        self.attr_uses: set[tuple[str, str]] = set()
        # What carries data between statements that no name shows: a file path (a string or
        # a name) that is opened or written, a module-level object written into (BUF.write).
        self.shared: set[str] = set()
        self.paths: set[str] = set()  # names a file path is given by (resolved in ``_plan``)
        self.globals: set[str] = set()  # module-level names it declares ``global``
        # Words that may name a column, judged as the pre-filter's ast stage judges them:
        self.keys: set[str] = set()  # key-like strings and words of built strings: medium
        self.named: set[str] = set()  # names, attributes, keywords, whole strings: high
        self.hot = False  # can give a fact with no data (a URL, a TLS switch, a library)
        self.sink = False  # can give a fact when a column reaches it
        self.imports = False  # holds an import
        self.objects: set[str] = set()  # app.config.from_object(Config): module classes read


def _scan(
    stmt: ast.stmt,
    classes: Container[str] = (),
    skip: Sequence[ast.stmt] = (),
    instances: Mapping[str, str] | None = None,
) -> _Scan:
    """What a statement uses and can give; ``classes``: the module's; ``skip``:
    sub-statements scanned on their own; ``instances``: module-level names bound to an
    instance of one of ``classes`` (``JOB = Job()``), by name."""
    scan = _Scan()
    keys, named = scan.keys, scan.named
    built: set[int] = set()  # built strings inside one already read
    made = dict(instances or {})  # names bound to an instance of a module class
    on_names: list[ast.Attribute] = []  # attributes of names: job.run, job.df
    chains: list[ast.Attribute] = []  # attributes of their attributes: self.src.get
    for node in walk(stmt, {id(s) for s in skip}):
        kind = type(node)
        if kind not in _SCANNED:
            continue
        if kind is ast.Name:
            scan.names.add(node.id)
            if node.id in _HOT_NAMES:
                scan.hot = True
            elif node.id in _SINK_BUILTINS:
                scan.sink = True
            if node.id not in _BUILTIN_NAMES or type(node.ctx) is not ast.Load:
                named.add(node.id)
        elif kind is ast.Attribute:
            named.add(node.attr)
            if node.attr == "client" or node.attr in PEER_METHODS:
                # request.client, sock.accept(): the client's IP address, its port
                named.add(CLIENT_ADDRESS)
            if node.attr in _HOT_NAMES:
                scan.hot = True
            elif node.attr == "config":
                scan.shared.add(APP_CONFIG)
            owner = node.value
            if type(owner) is ast.Name and owner.id in ("self", "cls"):
                if type(node.ctx) is ast.Load:
                    scan.self_loads.add(node.attr)
                else:
                    scan.self_stores.add(node.attr)
            elif type(owner) is ast.Call and _call_name(owner.func) == "super":
                scan.self_loads.add(node.attr)  # super().send(...): a base's method
            elif type(owner) is ast.Name and owner.id in classes:
                scan.class_loads.add((owner.id, node.attr))  # Base.emit(self, v)
                if type(node.ctx) is not ast.Load:
                    scan.class_stores.add((owner.id, node.attr))  # Config.URL = v
            elif type(owner) is ast.Name:
                on_names.append(node)
            elif type(owner) is ast.Attribute and type(owner.value) is ast.Name:
                # self.src.get(row): an attribute of self, or of an instance (job.src.get)
                chains.append(node)
            elif _made_by(owner, classes):
                scan.instance_loads.add((owner.func.id, node.attr))  # type: ignore[attr-defined]
        elif kind is ast.Assign:
            cls = _made_by(node.value, classes)
            if cls:
                for target in node.targets:
                    if type(target) is ast.Name:
                        made[target.id] = cls
                    elif type(target) is ast.Attribute:
                        scan.attr_made.add((target.attr, cls))
        elif kind is ast.withitem:
            cls = _made_by(node.context_expr, classes)
            if cls and type(node.optional_vars) is ast.Name:
                made[node.optional_vars.id] = cls
        elif kind is ast.arg or kind is ast.AnnAssign:
            if kind is ast.arg:
                named.add(node.arg)
            if node.annotation is not None:
                # r: "Rec", rows: "list[Rec]", a record's field home: "Address": a class
                # named in a string is used too
                scan.names.update(_annotation_names(node.annotation))
        elif kind is ast.Constant:
            value = node.value
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(value, str):
                # "verify" as a dict key unpacked into a call: **{"verify": False}
                if _TRANSPORT_TEXT.search(value) or value in _TRANSPORT_KEYWORDS:
                    scan.hot = True
                if value == "client":
                    named.add(CLIENT_ADDRESS)  # getattr(request, "client")
                if len(value) <= 100:
                    named.add(value)
                    if _SPACE.search(value) is None:
                        keys.add(value)
                if len(value) <= 5000 and _SQL.search(value):
                    keys.update(_WORD.findall(value))  # the columns of a query
        elif kind is ast.JoinedStr or kind is ast.BinOp:
            if id(node) in built:
                continue  # its words were read with the string it is part of
            for inner in walk(node):
                inner_kind = type(inner)
                if inner_kind is ast.Constant:
                    if isinstance(inner.value, str):
                        keys.update(_WORD.findall(inner.value))
                elif inner_kind is ast.JoinedStr or inner_kind is ast.BinOp:
                    built.add(id(inner))
        elif kind is ast.keyword:
            if node.arg in _HOT_KEYWORDS:
                scan.hot = True
            if node.arg:
                named.add(node.arg)
        elif kind is ast.Subscript:
            if type(node.ctx) is ast.Store and type(node.value) is ast.Name:
                scan.shared.add(node.value.id)  # CACHE[key] = v: written into
        elif kind is ast.Global:
            scan.shared.update(node.names)  # global LATEST; LATEST = v
            scan.globals.update(node.names)
        elif kind is ast.Import or kind is ast.ImportFrom:
            scan.imports = True
            # A relative import is resolved by its module name alone, as the analysis does.
            modules = [a.name for a in node.names] if kind is ast.Import else [node.module or ""]
            if any(alias.name in _HOT_NAMES for alias in node.names):
                scan.hot = True  # from os import environ; from ssl import _create_unverified...
            for module in modules:
                top = module.split(".", 1)[0]
                if top in _HOT_MODULES:
                    scan.hot = True
                elif top in _SINK_MODULES:
                    scan.sink = True
        elif kind is ast.Call:
            func = node.func
            literal = getattr_literal(node)
            if literal is not None:  # getattr(self, "emit"): as self.emit
                owner, attr = literal
                if type(owner) is ast.Name and owner.id in ("self", "cls"):
                    scan.self_loads.add(attr)
                elif type(owner) is ast.Name and owner.id in classes:
                    scan.class_loads.add((owner.id, attr))
                elif type(owner) is ast.Name:
                    on_names.append(ast.Attribute(owner, attr, ast.Load()))
                named.add(attr)
            callee = func.id if type(func) is ast.Name else getattr(func, "attr", "")
            if callee == "from_object":
                for arg in node.args:  # Config, or Config()
                    name = _call_name(arg.func if type(arg) is ast.Call else arg)
                    if name in classes:
                        scan.objects.add(name)
            if callee in classes and type(func) is ast.Name:
                scan.instance_loads.add((callee, ""))  # Job(df): an instance, see _nodes
            path = _path_argument(node) if _is_file_call(callee) else None
            if path is not None:
                if type(path) is ast.Constant and isinstance(path.value, str):
                    scan.shared.add("path:" + path.value)
                elif type(path) is ast.Name:
                    scan.shared.add(path.id)
                    scan.paths.add(path.id)  # a module-level constant, or any path
                else:
                    scan.shared.add(ANY_PATH)  # built: os.path.join(D, "x"), f"{D}/x"...
            receiver = getattr(func, "value", None)
            if callee in _PATH_METHODS and receiver is not None:
                # out.write_text(...), (base / "x").open(): the receiver is the path;
                # Path("x").read_text() has its path in the call that makes it (above).
                if type(receiver) is ast.Name:
                    scan.paths.add(receiver.id)
                elif not (type(receiver) is ast.Call and _call_name(receiver.func) == "Path"):
                    scan.shared.add(ANY_PATH)
            if callee in _WRITES_INTO and receiver is not None:
                written = collection(receiver)  # rows, groups[k], by.setdefault(k, [])
                if type(written) is ast.Name:
                    scan.shared.add(written.id)
            if isinstance(func, ast.Attribute):
                method = func.attr
                if method in _HOT_METHODS or _is_django_manager(func):
                    scan.hot = True
                elif method in _SINK_METHODS or (
                    method in _LOG_METHODS and _LOGGER.search(_dotted(func.value))
                ):
                    scan.sink = True
                elif isinstance(func.value, ast.Attribute) and func.value.attr == "write":
                    scan.sink = True  # df.write.parquet(...): a Spark writer
    for node in chains:
        root = node.value.value.id  # type: ignore[attr-defined]
        if root in ("self", "cls") or root in made:
            scan.attr_uses.add((node.value.attr, node.attr))  # type: ignore[attr-defined]
    for node in on_names:
        cls = made.get(node.value.id)  # type: ignore[attr-defined]
        if cls and type(node.ctx) is ast.Load:
            scan.instance_loads.add((cls, node.attr))
    scan.keys = _words(keys)
    scan.named = _words(named)
    return scan


def _made_by(value: ast.expr | None, classes: Container[str]) -> str:
    """The module class ``value`` makes an instance of (``Job(df)``), or ""."""
    if type(value) is ast.Call and type(value.func) is ast.Name and value.func.id in classes:
        return value.func.id
    return ""


def _is_file_call(callee: str) -> bool:
    return callee in _FILE_CALLS or callee.startswith(_FILE_PREFIXES)


def _path_argument(call: ast.Call) -> ast.expr | None:
    """The file a file call names: its first argument, or a keyword the analysis reads
    (``open(file=...)``, ``to_csv(path_or_buf=...)``)."""
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg in _PATH_KEYWORDS), None)


def _dotted(node: ast.expr) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        parts.append(_dotted(node.func))
    return ".".join(reversed(parts))
