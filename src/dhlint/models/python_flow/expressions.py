"""Evaluating expressions (``_e_<node class>``).

Names, constants and f-strings, operators, collections, comprehensions and
iteration (``eval``, which dispatches, stays in ``python_dataflow``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from dhlint.frontends.python import dsn_tls_off
from dhlint.frontends.python_ast import FString, Literal, string_value
from dhlint.identifiers import names_a_thing
from dhlint.models.python_flow.common import (
    _ADDRESS_NAMES,
    Env,
    _element,
    _last_name,
    _not_named,
    _unset,
)
from dhlint.models.python_flow.scans import (
    _counter_names,
    _socket_addresses,
    _SocketAddresses,
    _tested_strings,
)
from dhlint.models.python_values import (
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
    Step,
    Str,
    Unknown,
    Val,
    alternatives,
    cols_of,
    env_of,
    join,
    merge_cols,
)

_DEFAULTS = ("env-default", "settings-default")  # vias of a text the environment may replace


class Expressions:
    """Evaluating expressions (``_e_<node class>``)."""

    def _e_Name(self, node: ast.Name, env: Env) -> Val:
        name, running = node.id, self.running  # running[-1]: the def whose body runs
        value = env.get(name)  # most names read: a function's variable (``lookup`` in short)
        if value is None or value is self.GLOBAL or env is self.module_env:
            value = self.lookup(name, env)
        if name in _ADDRESS_NAMES and running and name in self.sockets().names.get(running[-1], ()):
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

    def sockets(self) -> _SocketAddresses:
        """The names and attributes of self that functions and classes pass as a socket's
        address (``_ADDRESS_NAMES``). Read from the tree once, when such a name is first read
        (most modules never read one)."""
        if self._sockets is None:
            self._sockets = _socket_addresses(self.tree, self.text)
        return self._sockets

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
        record = None  # f"{json.dumps(rec)}\n": the record, as json.dumps(rec) + "\n" is
        for part in node.pieces:
            if type(part) is str:
                text.append(part)
                continue
            value = self.eval(part.expression, env)
            record = value if isinstance(value, Frame) and record is None else UNKNOWN
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
        if isinstance(record, Frame) and all(
            _SEPARATORS.fullmatch(p) for p in node.pieces if type(p) is str
        ):
            return record
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
        if type(op) is ast.Add and (_separated(left, right) or _separated(right, left)):
            # json.dumps(rec) + "\n" (Firehose's newline-delimited records): the record's
            # fields, as json.dumps(rec) alone is, not one text named by where it is put
            return left if isinstance(left, Frame) else right
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
        if isinstance(left, Str) and isinstance(right, Str) and left.via == right.via == "literal":
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
        items = tuple([self.eval(_element(e), env) for e in elements])  # (a list: no generator)
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
            self.field_cols(cols, key.text, value, value_node)
        return Frame("dict", cols, entries=entries)

    def field_cols(self, cols: dict[str, Col], key: str, value: Val, node: Any) -> None:
        """The columns a record's field ``key`` holding ``value`` adds to ``cols`` (a dict
        literal's entry, an InfluxDB point's tag)."""
        if isinstance(value, (Num, Ref, Func)) or (isinstance(value, Str) and not value.cols):
            return  # a constant or a setting, not a data field
        payload = value.data.get("payload") if isinstance(value, Obj) else None
        table = value if isinstance(value, Frame) else payload
        if isinstance(table, Frame):
            # A nested record, a table or an open file: its columns travel as they are.
            for col in table.all_cols():
                cols[col.name] = col
            return
        if self._a_things_field(key, node):
            self._keep_cols(cols, value, node)  # {"name": job}: the job's name, not a person's
            return
        step = Step(node, f"field '{key}'")
        value_cols = cols_of(value)
        cols[key] = (
            merge_cols(key, value_cols, step)
            if value_cols
            # A value traced to no data (a call we cannot follow): the key alone is weak
            # evidence, judged like a variable's name.
            else Col(key, self._var_origin(value), RAW, (step,), by_name=True)
        )

    def _a_things_field(self, key: str, node: Any) -> bool:
        """Whether ``key`` names an identifier but, given a value named as a thing (``{"name":
        job}``, ``{"address": self.host}``), names that thing's field: the key after the
        value's name is no identifier (``job_name``, ``host_address``)."""
        named = _last_name(node)
        return (
            bool(named)
            and self.confidence(key) is not None
            and names_a_thing(named, self.policy)
            and self.confidence(f"{named}_{key}") is None
        )

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


# Text written between serialised records: line breaks, spaces, commas, tabs (an f-string's
# text as written: "\\n").
_SEPARATORS = re.compile(r"(?:[\s,;|]|\\[nrt])*")


def _separated(record: Val, text: Val) -> bool:
    """``record`` a serialised record (``json.dumps(rec)``: its fields) and ``text`` a
    separator written beside it (``"\n"``)."""
    return (
        isinstance(record, Frame)
        and isinstance(text, Str)
        and not text.cols
        and text.via == "literal"
        and _SEPARATORS.fullmatch(text.text) is not None
    )


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


_FIXED_POINT = re.compile(r"\.(\d+)[fF]\}?$")


def _fixed_point(spec: str) -> int | None:
    """The decimals a format keeps: 3 for ``.3f``, ``%.3f`` and ``{:.3f}``; None for others."""
    match = _FIXED_POINT.search(spec)
    return int(match.group(1)) if match else None
