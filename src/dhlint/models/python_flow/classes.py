"""Classes of the module: instances, methods, records.

Instances and their attributes, methods in Python's order (``self.m()``,
``super()``), records (dataclasses, NamedTuples, pydantic models).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from dhlint.frontends.python_ast import call_args
from dhlint.models.python_flow.common import (
    _DEFS,
    _PROPERTY,
    _annotated_class,
    _decorated_with,
    _held,
    _last_name,
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
    cols_of,
    join,
    join_all,
)


class Classes:
    """Classes of the module: instances, methods, records."""

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
        if self._ocpp_point(cls):  # ChargePoint("CP1", ws): the connection its calls use
            self._ocpp_built(cls, args, kwargs)
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
        if cls != self.cls or cls not in self.subclasses or _private(attr):
            return value  # no subclass's instance may be self (self.__key: each class has its own)
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
        methods = self.method_class
        for running in reversed(self.running):  # (a loop: a generator costs twice as much)
            if running in methods:
                return running
        return None

    def _defining(self, cls: str, name: str) -> str | None:
        """The class whose method ``name`` an instance of ``cls`` runs."""
        return next((c for c in self._mro(cls) if (c, name) in self.methods), None)

    def _attribute_set(self, cls: str, attr: str) -> tuple[Val | None, bool]:
        """What ``cls`` or a base sets ``self.attr`` to, and whether the run under way set it
        (outside any branch: it replaced what other runs set)."""
        run_values, attrs = self.run_values, self.attrs
        for owner in self._mro(cls) if cls in self.bases else (cls,):  # (most have no base)
            key = (owner, attr)
            self.read_state("attr", key)
            if key in run_values:
                return run_values[key], True
            if key in attrs:
                return attrs[key], False
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


def _private(attr: str) -> bool:
    """``self.__key``: Python renames it per class (``_Base__key``)."""
    return attr.startswith("__") and not attr.endswith("__")


def _records(value: Val) -> bool:
    """A record instance, or a sequence of them (a nested record's field)."""
    items = value.items if isinstance(value, Seq) else (value,)
    return bool(items) and all(isinstance(i, Obj) and i.kind == "instance" for i in items)


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


def _informative(value: Val) -> bool:
    """Whether an argument says more than a parameter would: anything but a number or an
    unknown value with no name and no origin."""
    return not (
        isinstance(value, Num)
        or (type(value) is Unknown and not value.name and value.source is None)
    )


_EXCEPTIONS = ("Error", "Exception", "Warning")  # the builtins' names, and most libraries'
