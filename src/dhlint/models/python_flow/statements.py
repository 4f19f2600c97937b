"""Running statements.

Blocks, branches and loops, assignments, writes into items and attributes, ``del``.
(``exec_small`` stays in ``python_dataflow``: it counts the steps against
``MAX_STEPS``.)
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from dhlint.frontends.python_ast import call_args
from dhlint.models.python_flow.common import _DEFS, Env, _column_names, _element
from dhlint.models.python_libs.messaging import _CELERY_URL_SETTINGS
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
    Seq,
    Series,
    Step,
    Str,
    Unknown,
    Val,
    cols_of,
    join,
    join_all,
    merge_cols,
)

# Statements whose parts may or may not run (``try``/``except*`` is not analysed).
_BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.Match)


_WITH = (ast.With, ast.AsyncWith)


_ABSENT = object()  # a name not bound (``_merge_into``)
_NOTHING: tuple[Val, ...] = ()  # what a statement that returns nothing gives (no list made)

# Methods whose call as a statement writes into what they are called on (``_expr_stmt``):
# configs' (``AppConfig._config_update``), collections' and a dict's items' (``_item_write``).
_CONFIG_UPDATES = frozenset(("update", "from_mapping", "setdefault", "from_object"))
_MUTATIONS = frozenset(("append", "extend", "update", "add", "insert", "put"))
_ITEM_WRITES = frozenset(("append", "extend", "add", "update", "insert", "setdefault"))


# Compound statements; the others are "small" (they may share a line: ``a = 1; b = 2``).
_COMPOUND = frozenset(
    (*_BRANCHES, *_DEFS, *_WITH, ast.ClassDef, *(getattr(ast, "TryStar", ast.Try),))
)


class Statements:
    """Running statements."""

    # ------------------------------------------------------------------ statements
    def _suite(self, body: Sequence[ast.stmt], env: Env) -> list[Val]:
        """Run a block: what its ``return`` (and ``yield``) statements give."""
        returns: list[Val] = []
        one_line = self.one_line.get(id(body[0]))
        if one_line is None:
            one_line = self._one_line(body)
        if one_line:
            # The one-line body of a def, if, for, with... (``def show(row): log.info(...)``):
            # its statements have no line of their own, their facts are the owner's.
            for small in body:
                returns.extend(self.exec_small(small, env))
            return returns
        # ``exec_stmt`` for each statement, written out: half a million blocks a run.
        saved_top, saved_stmt = self.top, self.stmt
        try:
            for stmt in body:
                self.top = self.stmt = stmt
                if type(stmt) in _COMPOUND:
                    found = self._compound(stmt, env)
                else:
                    found = self.exec_small(stmt, env)
                if found:
                    returns.extend(found)
        finally:
            self.top, self.stmt = saved_top, saved_stmt
        return returns

    def exec_stmt(self, stmt: ast.stmt, env: Env) -> Sequence[Val]:
        saved_top, saved_stmt = self.top, self.stmt
        self.top = self.stmt = stmt
        try:
            if type(stmt) in _COMPOUND:
                return self._compound(stmt, env)
            return self.exec_small(stmt, env)
        finally:
            self.top, self.stmt = saved_top, saved_stmt

    def _compound(self, stmt: Any, env: Env) -> Sequence[Val]:
        kind = type(stmt)
        if kind in _BRANCHES:  # (the kind most run)
            self.branching += 1
            try:
                return self._branches(stmt, env)
            finally:
                self.branching -= 1
        if kind in _DEFS:
            closure = env if env is not self.module_env else None
            func = Func(stmt, closure, stmt.name, self.top)
            # Module-level functions are decorated once all of the module is bound (``run``).
            nested = stmt.decorator_list and closure is not None
            env[stmt.name] = self._decorated(func, env) if nested else func
            if closure is not None:
                self.closures.append(closure)
            return _NOTHING
        if kind is ast.ClassDef:
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
            return _NOTHING
        if kind in _WITH:
            for item in stmt.items:
                value = self.eval(item.context_expr, env)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value, env)
            return self._suite(stmt.body, env)
        return _NOTHING

    def _branches(self, stmt: Any, env: Env) -> list[Val]:
        """A statement whose parts may or may not run: each on its own copy of ``env``."""
        if type(stmt) is ast.If:
            self.eval(stmt.test, env)
            branch = dict(env)
            out = self._on_copy(stmt.body, branch, env)
            if not stmt.orelse:  # the other path is env as it is now
                self._merge_into(env, branch, env)
                return out
            other = dict(env)  # after: the body may write into env itself (a global)
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
        copies, root = self.copies, env
        if copies:
            if copies[-1][1] is env:  # (most often: a branch in a branch)
                root = copies[-1][0]
            else:
                for outer, copy in reversed(copies):
                    if copy is env:
                        root = outer
                        break
        copies.append((root, branch))
        try:
            return self._suite(part, branch)
        finally:
            copies.pop()

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
        if b is env:  # (a loop's body, a handler, an if without else): env's own values stay
            get = env.get
            for name, value in a.items():
                other = get(name, _ABSENT)
                if other is not value:
                    env[name] = value if other is _ABSENT else join(value, other)
            return
        for name, value in a.items():
            other = b.get(name, value)  # most names: the same value on both paths
            env[name] = value if other is value else join(value, other)
        for name, value in b.items():
            if name not in a:
                env[name] = value

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
        if type(expr) is not ast.Call:
            self.eval(expr, env)
            return
        # (The method's name tested here, before the calls that test it: most statements
        # call what none of them is about.)
        func = expr.func
        method = func.attr if type(func) is ast.Attribute else ""
        if method in _CONFIG_UPDATES and self._config_update(expr, env):
            return
        value = self.eval(expr, env)
        if not method or not call_args(expr):
            return
        # In-place mutation of a collection: rows.append(row), self.rows.append(row)...
        if method in _MUTATIONS and (container := self._container(func.value, env)):
            current, store = container
            arg = self.eval(call_args(expr)[-1].value, env)
            if method == "extend":
                arg = self.iterate(arg)
            if isinstance(current, (Frame, Seq, Obj)) or cols_of(arg):
                if isinstance(current, Obj):
                    if current.kind != "hasher":  # h.update(v) holds v's digest (the call)
                        self.add_payload(current, arg)
                elif (
                    method == "append"
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
                    method in ("append", "extend")
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
        elif method in _ITEM_WRITES:
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
            name = target.id
            if name == "DATABASES" and env is self.module_env:
                self._django_databases(value, target)  # Django's settings
            # ``rebind(name, value, env, declared_only=True)``, written out (a third of a
            # million a run): a name declared ``global`` is the module's
            if env.get(name) is self.GLOBAL:
                self.write_state("global", self.module_env, name, value)
            else:
                env[name] = value
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
            elif target.attr in _CELERY_URL_SETTINGS:  # app.conf.broker_url = "redis://..."
                self._celery_conf_attribute(target, value, env)
            self._tls_attribute(target, value)
        elif type(target) is ast.Starred:
            self.assign(target.value, value, env)

    def _store_item(
        self, container: tuple[Val, Callable], key: Val, value: Val, target: Any
    ) -> None:
        """``container[key] = value``, ``container`` as ``_container`` gives it."""
        base, store = container
        if isinstance(base, Frame) and isinstance(key, Str) and key.known:
            col = self._as_column(key.text, value, target, field=base.lib == "dict")
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
            col = self._as_column(key.text, value, target, field=True)
            store(Frame("dict", {key.text: col}, sources))

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

    def _as_column(self, name: str, value: Val, node: Any, field: bool = False) -> Col:
        """The column ``name`` set to ``value``. A record's ``field`` (a dict's key) set to a
        value traced to no data (``table["name"] = hints.pop("table_name")``) is known by
        its key alone: weak evidence, judged like a variable's name, as a dict literal's
        entry is (``field_cols``)."""
        step = Step(node, f"column '{name}' set")
        cols = cols_of(value)
        if cols:
            return merge_cols(name, cols, step)
        if isinstance(value, (Str, Num)):
            return Col(name, (), AGGREGATE, (step,))  # a constant: no personal data
        if field:
            return Col(name, self._var_origin(value), RAW, (step,), by_name=True)
        return Col(name, (), RAW, (step,))

    def _line_group(self, stmt: Any) -> tuple[int, int] | None:
        """The lines of the small statements sharing a line with ``stmt`` (libcst's
        ``SimpleStatementLine``), or None when it has its line to itself or is compound."""
        if type(stmt) in _COMPOUND or type(stmt) is ast.Module:
            return None
        if self.line_groups is None:
            # A statement shares a line only with a ";" on it, its first line or its last: the
            # walk of the module's statements waits for one that may (most never do).
            if not self._semicolon_on(stmt.lineno) and not self._semicolon_on(stmt.end_lineno):
                return None
            self.line_groups = _line_groups(self.module)
        return self.line_groups.get(id(stmt))

    def _semicolon_on(self, line: int | None) -> bool:
        """Whether the line (1-based) holds a ";" (in code, a string or a comment alike)."""
        if line is None:
            return True  # (no end line: as if it might)
        places = self.places
        starts, text = places.starts, places.text
        end = starts[line] if line < len(starts) else len(text)
        return text.find(";", starts[line - 1], end) >= 0

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


def _all_protected(value: Val) -> bool:
    """A series of columns all of which a protective function of the policy (or an HMAC)
    returned."""
    return (
        type(value) is Series
        and bool(value.cols)
        and all(c.treatment == KEYED or c.treatment.startswith("protected:") for c in value.cols)
    )


_MAX_UNROLLED = 8


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


def _line_groups(module: ast.Module) -> dict[int, tuple[int, int]]:
    """Small statements that share a line (``a = f(\n  x); b = 2``), by id: the first line of
    the first and the last line of the last (a fact's scope is its whole line, libcst's
    ``SimpleStatementLine``). Statements alone on their lines are not in it."""
    runs: list[list[ast.stmt]] = []
    stack: list[list[ast.stmt]] = [module.body]
    while stack:
        last: Any = None  # the statement before, when small
        run: list[ast.stmt] | None = None  # the run ``last`` ends, when it shares a line
        for stmt in stack.pop():
            if type(stmt) in _COMPOUND:
                stack.extend(_suites(stmt))
                last = None
                continue
            if last is not None and stmt.lineno == last.end_lineno:
                if run is None:
                    run = [last]
                    runs.append(run)
                run.append(stmt)
            else:
                run = None  # (most statements: alone on their line, no list made)
            last = stmt
    groups: dict[int, tuple[int, int]] = {}
    for run in runs:
        span = (run[0].lineno, run[-1].end_lineno or run[-1].lineno)
        for member in run:
            groups[id(member)] = span
    return groups


# Per compound statement class, its fields that hold statements (directly, or in its except
# handlers' or match cases' bodies): read with ``getattr`` and a default, a field the class
# lacks raises and catches AttributeError inside ``getattr``.
_SUITE_FIELDS: dict[type, tuple[str, ...]] = {}


def _suites(stmt: Any) -> list[list[ast.stmt]]:
    """The statement lists of a compound statement (its body, else, finally, handlers' and
    cases' bodies)."""
    kind = type(stmt)
    fields = _SUITE_FIELDS.get(kind)
    if fields is None:
        names = ("body", "orelse", "finalbody", "handlers", "cases")
        fields = _SUITE_FIELDS[kind] = tuple(f for f in names if f in kind._fields)
    suites = []
    for field in fields:
        value = getattr(stmt, field)
        if field == "handlers" or field == "cases":
            suites.extend(part.body for part in value)
        else:
            suites.append(value)
    return suites


def _is_setdefault(node: ast.expr) -> bool:
    return (
        type(node) is ast.Call
        and type(node.func) is ast.Attribute
        and node.func.attr == "setdefault"
        and bool(call_args(node))
    )
