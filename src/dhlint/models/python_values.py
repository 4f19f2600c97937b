"""Abstract values of the Python data-flow analysis (internal: never leave the model builder).

A value is what the analysis knows about an expression: a table of columns (``Frame``), an
expression over columns (``Series``), a partly known string (``Str``), an imported name
(``Ref``), a client object (``Obj``), a local function (``Func``) or nothing (``Unknown``).
Columns carry their lineage (``origins``), their treatment and the steps that led there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

RAW = "raw"
KEYED = "keyed"
AGGREGATE = "aggregate"


def is_protected(treatment: str) -> bool:
    return treatment in (KEYED, AGGREGATE) or treatment.startswith("protected:")


def _weakness(treatment: str) -> int:
    if treatment == RAW:
        return 0
    if treatment.startswith("weak-hash:"):
        return 1
    if is_protected(treatment):
        return 3
    return 2  # round / truncate / bucket


def compose(old: str, new: str) -> str:
    """Treatment after applying ``new`` to a value already treated with ``old``."""
    if is_protected(old) or new == RAW:
        return old
    return new


@dataclass(unsafe_hash=True, slots=True)
class Step:
    node: Any  # an ``ast`` node, or one ``frontends.python_ast`` makes
    label: str

    def __init__(self, node: Any, label: str) -> None:
        self.node, self.label = node, label


@dataclass(unsafe_hash=True, slots=True)
class Col:
    name: str
    origins: tuple[str, ...]
    treatment: str = RAW
    flow: tuple[Step, ...] = ()
    by_name: bool = False  # known only from a variable's name (``print(email)``)
    # Guessed from an attribute of self that held nothing known when read (``self.row`` in
    # ``self.row["phone"]``): its name. A run after a method set it sees what it holds.
    unset: str = ""
    # Known only by name, read from a named value (``user.fullname``, ``customer["name"]``):
    # that value's name. A name of a thing as often as a person's (``fullname``) counts when
    # its owner is a person (``identifiers.person_owner``).
    owner: str = ""
    # A field of a record of open schema as read (``patient = payload["resource"]``): the
    # record it may itself be, whose fields the code reads (``patient["mrn"]``). Not kept by
    # a transform: a treated value is not that record.
    record: Source | None = None

    def __init__(
        self,
        name: str,
        origins: tuple[str, ...],
        treatment: str = RAW,
        flow: tuple[Step, ...] = (),
        by_name: bool = False,
        unset: str = "",
        owner: str = "",
        record: Source | None = None,
    ) -> None:
        self.name, self.origins, self.treatment = name, origins, treatment
        self.flow, self.by_name, self.unset = flow, by_name, unset
        self.owner, self.record = owner, record

    def treated(self, treatment: str, step: Step | None) -> Col:
        flow = (*self.flow, step) if step is not None else self.flow
        return Col(
            self.name,
            self.origins,
            compose(self.treatment, treatment),
            flow,
            self.by_name,
            self.unset,
            self.owner,
        )

    def renamed(self, name: str, step: Step | None = None) -> Col:
        flow = (*self.flow, step) if step is not None else self.flow
        return Col(name, self.origins, self.treatment, flow, self.by_name, self.unset, self.owner)


def merge_cols(name: str, cols: tuple[Col, ...], step: Step | None) -> Col:
    """One column computed from several (the weakest treatment wins)."""
    if not cols:
        return Col(name, (), RAW, (step,) if step else ())
    weakest = min(cols, key=lambda c: _weakness(c.treatment))
    origins = tuple(dict.fromkeys(o for c in cols for o in c.origins))
    flow = weakest.flow + ((step,) if step else ())
    unset = cols[0].unset if all(c.unset == cols[0].unset for c in cols) else ""
    owner = cols[0].owner if all(c.owner == cols[0].owner for c in cols) else ""
    by_name = all(c.by_name for c in cols)
    return Col(name, origins, weakest.treatment, flow, by_name, unset, owner)


class Val:
    __slots__ = ()


@dataclass(eq=False)
class Source:
    """Where rows enter with a schema that is not (fully) written down: the columns the code
    uses on any frame read from here are evidence that the source holds them."""

    node: Any  # an ``ast`` node, or one ``frontends.python_ast`` makes
    label: str
    observed: dict[str, None] = field(default_factory=dict)
    weak: bool = False  # a parameter, not a data source: its field names are weaker evidence
    owner: str = ""  # a weak source's name (the parameter's): ``Col.owner``

    def col(self, name: str) -> Col:
        self.observed.setdefault(name, None)
        step = Step(self.node, self.label)
        return Col(name, (name,), RAW, (step,), by_name=self.weak, owner=self.owner)

    def part(self, name: str) -> Source | None:
        """The field ``name`` of these records as a record itself (a FHIR bundle's
        ``payload["resource"]``), one per name: what the code reads from it is evidence of
        what it holds, as for its parent. None for a source whose columns are treated."""
        if isinstance(self, TreatedSource):
            return None
        parts = self.__dict__.setdefault("_parts", {})
        found = parts.get(name)
        if found is None:
            kind = DocumentSource if isinstance(self, DocumentSource) else Source
            label = f"{self.label}, field '{name}'"
            found = parts[name] = kind(self.node, label, weak=self.weak, owner=self.owner)
        return found

    def related(self, name: str) -> RelatedSource:
        """The field ``name`` of these rows read by attribute, as the related row it may be
        (Django's ``booking.patron``): one per name, its attributes that row's fields."""
        parts = self.__dict__.setdefault("_related", {})
        found = parts.get(name)
        if found is None:
            label = f"{self.label}, field '{name}'"
            found = parts[name] = RelatedSource(self.node, label, weak=self.weak, owner=self.owner)
        return found


@dataclass(eq=False)
class RelatedSource(Source):
    """A row's field read by attribute from rows of open schema (a Django manager's, a SELECT
    * query's), which may be a related row (a foreign key): ``booking.patron.card_number`` is
    that row's field. Only such a field's attributes are read so (not a record's field read by
    subscript, whose attributes are its value's: ``df["phone"].str``)."""


@dataclass(eq=False)
class QuerySource(Source):
    """The rows of a SQL query whose columns are not written down (``SELECT *``, a query the
    analysis cannot read): its rows have their columns as attributes too (BigQuery's and
    SQLAlchemy's rows, a named-tuple cursor's), so ``row.email`` reads one, as ``row["email"]``."""


@dataclass(eq=False)
class ModelSource(QuerySource):
    """The rows of a SQLAlchemy model (``session.query(Patron)``, ``select(Patron)``): as
    Django's, they hold the fields the code reads, but only the model's columns when its
    class is written in the module (``columns``; empty: any attribute, as Django's)."""

    columns: frozenset[str] = frozenset()


@dataclass(eq=False)
class RecordSource(Source):
    """A record a call returns whose fields are not written down (DRF's ``serializer.save()``,
    a Django form's ``save()``, a view's ``self.get_object()``): its attributes are judged by
    their names, as a parameter's are (weak)."""


@dataclass(eq=False)
class DocumentSource(Source):
    """A document a program loads whole from a file (``json.load(f)``, ``yaml.safe_load(f)``):
    as often its configuration, whose keys are settings read by name (``cfg["address"]``, a
    bind address), as data. What the code reads from it is still evidence of what it holds,
    but logging it whole is not taken to log the fields read from it later (``_open_sources``),
    as it is for a record of data: a message parsed, rows of a table, a parameter, a body."""


@dataclass(eq=False)
class TreatedSource(Source):
    """A source whose columns, whenever the code draws them, were treated on the way
    (``df = pd.read_csv(src).round(3)`` then ``df["lat"]``). Evidence goes to ``base``."""

    base: Source | None = None
    treatment: str = RAW
    step: Step | None = None

    def col(self, name: str) -> Col:
        assert self.base is not None
        return self.base.col(name).treated(self.treatment, self.step)


@dataclass(eq=False, slots=True)
class Unknown(Val):
    name: str = ""  # dotted source text when it is a plain name or attribute chain
    # A parameter: whatever fields the function reads from it (record["email"]) are evidence
    # of what it holds, for sinks that receive it whole.
    source: Source | None = None
    # A method of a library object taken without a call (``out = log.info``): a call of the
    # name is that method's call on the object.
    receiver: Val | None = None

    def __init__(
        self, name: str = "", source: Source | None = None, receiver: Val | None = None
    ) -> None:
        self.name, self.source, self.receiver = name, source, receiver  # (see ``Str.__init__``)


UNKNOWN = Unknown()


@dataclass(eq=False, slots=True)
class Frame(Val):
    lib: str  # pandas | spark | polars | duckdb (a relation) | rows | dict
    cols: dict[str, Col] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()  # open schema: plus what the code observes on these
    removed: frozenset[str] = frozenset()
    entries: dict[str, Val] | None = None  # dict literal values
    # A SELECT's rows whose columns are its select list's, one for one and in order (no two
    # items named alike, no *): only such rows are read by position.
    ordered: bool = False
    # One such row (fetchone, a loop over the cursor): row[1] is its second column.
    row: bool = False
    # A grouping's statistics (df.groupby(keys).size()): "cells", one row per group of its
    # keys; "suppressed" when a filter kept only groups of at least k (``suppressed_cells``).
    grouped: str = ""

    def __init__(
        self,
        lib: str,
        cols: dict[str, Col] | None = None,  # (a new dict when not given, as the field says)
        sources: tuple[Source, ...] = (),
        removed: frozenset[str] = frozenset(),
        entries: dict[str, Val] | None = None,
        ordered: bool = False,
        row: bool = False,
        grouped: str = "",
    ) -> None:
        self.lib, self.cols = lib, {} if cols is None else cols  # (see ``Str.__init__``)
        self.sources, self.removed, self.entries = sources, removed, entries
        self.ordered, self.row, self.grouped = ordered, row, grouped

    def get(self, name: str) -> Col | None:
        if name in self.cols:
            return self.cols[name]
        if name in self.removed or not self.sources:
            return None
        return self.sources[0].col(name)

    def observe(self, name: str) -> None:
        if name not in self.cols and self.sources:
            self.sources[0].col(name)

    def all_cols(self) -> list[Col]:
        out = dict(self.cols)
        for source in self.sources:
            for name in source.observed:
                if name not in out and name not in self.removed:
                    out[name] = source.col(name)
        return list(out.values())

    def without(self, names: list[str]) -> Frame:
        for name in names:
            self.observe(name)
        cols = {k: v for k, v in self.cols.items() if k not in names}
        return replace(
            self,
            cols=cols,
            removed=self.removed | frozenset(names),
            entries=None,
            row=False,
            ordered=False,
        )

    def with_col(self, name: str, col: Col) -> Frame:
        cols = dict(self.cols)
        cols[name] = col
        removed = self.removed - {name}
        return replace(self, cols=cols, removed=removed, entries=None, row=False, ordered=False)

    def as_row(self) -> Frame:
        """One row of these rows: by position too, when a SELECT named every column."""
        if not self.ordered or self.lib != "rows" or self.sources or self.entries is not None:
            return self
        return replace(self, row=True)

    def select(self, names: list[str], lib: str | None = None) -> Frame:
        cols = {}
        for name in names:
            col = self.get(name)
            cols[name] = col if col is not None else Col(name, (name,))
        return Frame(lib or self.lib, cols, grouped=self.grouped)

    def restyled(self, lib: str) -> Frame:
        if lib == self.lib:
            return self
        # a table made of a SELECT's rows may gain an index: its positions are not the SELECT's
        return replace(self, lib=lib, ordered=False, row=False)


@dataclass(eq=False, slots=True)
class Series(Val):
    cols: tuple[Col, ...]
    bound: bool = True  # False: a column expression (F.col / pl.col) not yet tied to a frame

    def __init__(self, cols: tuple[Col, ...], bound: bool = True) -> None:
        self.cols = _widened_cols(cols) if len(cols) > WIDE else cols  # (see ``Str.__init__``)
        self.bound = bound


@dataclass(eq=False, slots=True)
class Str(Val):
    text: str  # unknown parts are "{...}"
    # literal | constant | class-constant | settings-default | f-string | env-default |
    # concatenation
    via: str = "literal"
    nodes: tuple[Any, ...] = ()  # where the (known parts of the) string are written
    cols: tuple[Col, ...] = ()  # columns interpolated into it
    env: tuple[str, ...] = ()  # environment variables it is built from
    # Other texts it may be (URL = a vendor's in a subclass, a global rebound): each without
    # alternatives of its own. Read where the text decides a fact: a host, a column's name.
    alts: tuple[Str, ...] = ()

    def __init__(
        self,
        text: str,
        via: str = "literal",
        nodes: tuple[Any, ...] = (),
        cols: tuple[Col, ...] = (),
        env: tuple[str, ...] = (),
        alts: tuple[Str, ...] = (),
    ) -> None:
        # Values are made a million times a run: slots, set in an ``__init__`` written out.
        # Not ``frozen``: a frozen dataclass sets each field through ``object.__setattr__``,
        # and its ``__setattr__`` keeps Python from storing into a slot directly (twice the
        # cost of this, and an instance dict, slower to read). Values stay immutable all the
        # same: none is ever changed after it is made (``replace`` makes another).
        if len(cols) > WIDE:
            cols = _widened_cols(cols)
        if len(nodes) > WIDE:
            nodes = _widened_places(nodes)
        if len(text) > MAX_TEXT:
            raise TooLarge(f"a text of {len(text):,} characters")
        self.text, self.via, self.nodes = text, via, nodes
        self.cols, self.env, self.alts = cols, env, alts

    @property
    def known(self) -> bool:
        return "{...}" not in self.text

    @property
    def options(self) -> tuple[Str, ...]:
        """This text and the others it may be."""
        return (self, *self.alts) if self.alts else (self,)


@dataclass(eq=False, slots=True)
class Num(Val):
    value: Any
    # The other booleans it may be (``verify = True``, ``if insecure: verify = False``): read
    # where a switch off decides a fact (``may_be_false``); elsewhere ``value`` stands for both.
    alts: tuple[Any, ...] = ()

    def __init__(self, value: Any, alts: tuple[Any, ...] = ()) -> None:
        self.value, self.alts = value, alts  # (see ``Str.__init__``)


def may_be_false(value: Val | None) -> bool:
    """``False``, or a choice of it (one branch's): a switch that can be off."""
    return type(value) is Num and (value.value is False or False in value.alts)  # type: ignore[union-attr]


@dataclass(eq=False, slots=True)
class Ref(Val):
    qname: str  # an imported module, class or function: "pandas.read_csv"
    # Other imports it may be (``ssl.CERT_REQUIRED`` or, in an else branch, ``ssl.CERT_NONE``),
    # each without alternatives of its own. Read where the name decides a fact; elsewhere the
    # first stands for them (a module or the other: ``pd`` or ``pl``).
    alts: tuple[Ref, ...] = ()

    def __init__(self, qname: str, alts: tuple[Ref, ...] = ()) -> None:
        self.qname, self.alts = qname, alts  # (see ``Str.__init__``)

    @property
    def options(self) -> tuple[Ref, ...]:
        """This import and the others it may be."""
        return (self, *self.alts) if self.alts else (self,)


@dataclass(eq=False, slots=True)
class Func(Val):
    node: Any  # ast.FunctionDef, ast.AsyncFunctionDef or ast.Lambda
    env: dict[str, Val] | None = None  # closure (the defining scope)
    name: str = "<lambda>"
    top: Any = None  # the statement it is written in (a def: the def itself)
    bound: Val | None = None  # a method taken from self (``h = self.emit``): its first argument

    def __init__(
        self,
        node: Any,
        env: dict[str, Val] | None = None,
        name: str = "<lambda>",
        top: Any = None,
        bound: Val | None = None,
    ) -> None:
        self.node, self.env, self.name = node, env, name  # (see ``Str.__init__``)
        self.top, self.bound = top, bound


@dataclass(eq=False, slots=True)
class Obj(Val):
    kind: str  # http | s3 | gcs | azure | db | cursor | file | csv-writer | logger | spark ...
    data: dict[str, Any] = field(default_factory=dict)


# Items a sequence may hold, those of the sequences in it counted as often as they appear
# (what ``cols_of`` reads). Ordinary code stays under it (bench/corpus/python's largest:
# 32,766, while joins concatenated without deduplicating); a value past it has run away
# (joins that doubled it each time: 16 million items and 5.6 GB in jinja2/compiler.py; a list
# that held itself again at each append, 1.5 million items read 40 times in
# responses/__init__.py) and the file's analysis stops.
MAX_ITEMS = 1 << 16


class TooLarge(Exception):
    """The analysis of a file built a value past ``MAX_ITEMS`` (``MAX_COLS``, ``MAX_TEXT``), or
    ran past its budget (``OverBudget``): it stops before the memory or the time runs out, and
    the file is reported as not fully checked."""


class OverBudget(TooLarge):
    """The analysis of a file ran past ``python_dataflow.MAX_STEPS``."""


# Columns a series or a string may carry, and places a string is written at, copies counted.
# Operations concatenate their operands' columns without deduplicating (``a * b``, ``s + t``)
# and keep each path a column took (its flow), so a value that feeds itself through state
# (an attribute of self set from itself) grows at each operation: stdlib _pydecimal.py's
# Decimal ``_exp`` held one column of ``__format__``'s ('precision') 8 million times once its
# arithmetic methods had run (minutes, gigabytes); test_codecs.py's ``buffer`` took 2,583
# paths through truncations in a loop. Past ``WIDE`` a value keeps one of each column (name,
# lineage, treatment, and where it entered): its first, whose flow findings show (they show
# the first column's flow and where each column entered). A value with more than ``MAX_COLS``
# such columns has run away: the file's analysis stops. Ordinary code stays under ``WIDE``
# (the largest of bench/corpus/python: 61 columns; of site-packages: docutils' _html_base.py,
# 3,228 copies of a few columns, and two of 300).
WIDE = 1 << 8
MAX_COLS = 1 << 12
# Characters a text may have: more than the largest file read (``--max-file-size``, 10 MB).
MAX_TEXT = 1 << 24


def _widened_cols(cols: tuple[Col, ...]) -> tuple[Col, ...]:
    """A series' or a string's columns past ``WIDE``: without copies (equal columns), and if
    still past it, one of each column (the first with its name, lineage, treatment and
    where it entered)."""
    kept = dict.fromkeys(cols)
    if len(kept) > WIDE:
        first: dict[tuple, Col] = {}
        for col in kept:
            key = (col.name, col.origins, col.treatment, col.by_name, col.unset, col.owner)
            first.setdefault((*key, col.flow[:1]), col)
        kept = first.values()  # type: ignore[assignment]
    return _bounded(tuple(kept), "columns")


def _widened_places(nodes: tuple) -> tuple:
    """The places a text is written at past ``WIDE``: each once."""
    return _bounded(tuple(dict.fromkeys(nodes)), "places")


def _bounded(items: tuple, what: str) -> tuple:
    """``items``, unless more than ``MAX_COLS``: then the value has run away."""
    if len(items) > MAX_COLS:
        raise TooLarge(f"a value of {len(items):,} {what}")
    return items


@dataclass(eq=False)
class Seq(Val):
    __slots__ = ("items", "size")  # (see ``Str.__init__``)
    items: tuple[Val, ...]

    def __init__(self, items: tuple[Val, ...]) -> None:
        size = 0  # its items, and those of the sequences in it (``size``), recursively
        for item in items:
            size += item.size if type(item) is Seq else 1  # type: ignore[attr-defined]
        if size > MAX_ITEMS:
            raise TooLarge(f"a value of {size:,} items")
        self.items, self.size = items, size  # (see ``Str.__init__``)


def cols_of(value: Val) -> tuple[Col, ...]:
    """Every column a value may carry (what a sink receiving it would receive)."""
    # (By ``type``, the commonest kinds first: a million calls a run, and no value is of a
    # subclass of these.)
    kind = type(value)
    if kind is Unknown:
        source = value.source  # type: ignore[attr-defined]
        return () if source is None else tuple(source.col(name) for name in list(source.observed))
    if kind is Series or kind is Str:
        return value.cols  # type: ignore[attr-defined]
    if kind is Seq:
        return tuple(_seq_cols(value))  # type: ignore[arg-type]
    if kind is Frame:
        return tuple(value.all_cols())  # type: ignore[attr-defined]
    if kind is Obj:
        payload = value.data.get("payload")  # type: ignore[attr-defined]
        return cols_of(payload) if isinstance(payload, Val) else ()
    return ()


def _seq_cols(value: Seq) -> list[Col]:
    """``cols_of`` a sequence: its items' in order, sequences in it walked on a stack of our
    own, not by recursion (a mixture joined again and again, ``Seq((Seq((a, b)), c))``,
    nests a level per join: 450 levels in stdlib turtle.py ran out of Python's stack)."""
    out: list[Col] = []
    stack = [iter(value.items)]
    while stack:
        for item in stack[-1]:
            if type(item) is Seq:
                stack.append(iter(item.items))
                break
            out.extend(cols_of(item))
        else:
            stack.pop()
    return out


def shape(value: Val) -> tuple:
    """What of a value a finding can depend on: its kind, text (and the others it may be),
    columns and variables."""
    if isinstance(value, Str):
        ident: Any = (value.text, *(alt.text for alt in value.alts)) if value.alts else value.text
    elif isinstance(value, (Obj, Frame)):
        ident = value.kind if isinstance(value, Obj) else value.lib
    elif isinstance(value, Func):
        ident = id(value.node)
    else:
        ident = getattr(value, "qname", None) or getattr(value, "name", None)
    cols = tuple([(c.name, c.treatment, c.origins) for c in cols_of(value)])
    return type(value), ident, cols, env_of(value)


def reshaped(before: Val, after: Val) -> bool:
    """``shape(before) != shape(after)``, without reading again every column of a sequence
    that grew: when ``after``'s items start with ``before``'s (the same objects, as ``join``
    appends), its columns are ``before``'s and then the added items' (a sequence has no other
    part of a shape), so the shapes differ exactly when an added item carries a column."""
    if type(before) is Seq and type(after) is Seq:
        known = len(before.items)
        if after.items[:known] == before.items:  # values compare by identity (eq=False)
            return any(cols_of(item) for item in after.items[known:])
    return shape(before) != shape(after)


def env_of(value: Val | None) -> tuple[str, ...]:
    """The environment variables a string value is built from."""
    kind = type(value)  # (no value is of a subclass of these)
    if kind is Str:
        return value.env  # type: ignore[union-attr]
    if kind is Unknown:
        name = value.name  # type: ignore[union-attr]
        return (name[4:],) if name[:4] == "env:" and name != "env:?" else ()
    if kind is Obj:
        return tuple(value.data.get("env", ()))  # type: ignore[union-attr]
    return ()


def with_env(value: Val, names: Iterable[str]) -> Val:
    """``value`` also built from ``names`` (strings only: other values do not carry them)."""
    if type(value) is not Str:
        return value
    merged = tuple(dict.fromkeys((*value.env, *names)))
    return value if merged == value.env else replace(value, env=merged)


def join(a: Val, b: Val) -> Val:
    """What a value may be after two paths meet (a may-analysis: keep everything)."""
    if a is b:
        return a
    # (Kinds by ``type``: no value is of a subclass of these, and joins run at every branch.)
    kind_a, kind_b = type(a), type(b)
    # A placeholder (X = None, URL = None in a base class) set later to something: that.
    if kind_a is Num and a.value is None and _placed(b):  # type: ignore[attr-defined]
        return b
    if kind_b is Num and b.value is None and _placed(a):  # type: ignore[attr-defined]
        return a
    if (kind_a is Unknown and a.receiver is not None) or (  # type: ignore[attr-defined]
        kind_b is Unknown and b.receiver is not None  # type: ignore[attr-defined]
    ):
        choice = _choice(a, b)  # skip or log.info: not an unknown value
        if choice is not None:
            return choice
    if kind_a is Unknown:
        if kind_b is Unknown:
            either = env_of(a) + env_of(b)
            if len(set(either)) > 1:  # one variable or another: a string built from either
                return Str("{...}", "concatenation", (), (), tuple(dict.fromkeys(either)))
            return a if _telling(a) > _telling(b) else b  # type: ignore[arg-type]
        return with_env(b, env_of(a)) if kind_b is Str else b  # (only a string takes them)
    if kind_b is Unknown:
        return with_env(a, env_of(b)) if kind_a is Str else a
    if kind_a is Frame and kind_b is Frame:
        cols = dict(a.cols)
        for name, col in b.cols.items():
            old = cols.get(name)
            if old is None or _weakness(col.treatment) < _weakness(old.treatment):
                cols[name] = col
            elif old.treatment == col.treatment and not set(col.origins) <= set(old.origins):
                # What either path put there (STATE["latest"] = value: nothing known when the
                # function runs alone, an email when a caller passes one).
                cols[name] = merge_cols(name, (old, col), None)
        sources = a.sources + tuple(s for s in b.sources if s not in a.sources)
        removed = (a.removed if a.sources else frozenset(b.removed)) & (
            b.removed if b.sources else a.removed
        )
        lib = a.lib if a.lib not in ("rows", "dict") else b.lib
        entries = None
        if a.entries is not None and b.entries is not None:  # two dict literals: either's keys
            entries = dict(a.entries)
            for key, value in b.entries.items():
                entries[key] = join(entries[key], value) if key in entries else value
        # the same SELECT's rows either way (a run again of the task that pushed them to XCom):
        # still by position
        ordered = a.ordered and b.ordered and a.lib == b.lib and list(a.cols) == list(cols)
        ordered = ordered and list(b.cols) == list(cols)
        row = ordered and a.row and b.row
        return Frame(lib, cols, sources, removed, entries, ordered, row)
    if kind_a is Frame and (kind_b is Series or kind_b is Seq):
        return a if not cols_of(b) else join(a, Frame(a.lib, {c.name: c for c in cols_of(b)}))
    if kind_b is Frame and (kind_a is Series or kind_a is Seq):
        return join(b, a)
    if kind_a is Series and kind_b is Series:
        return Series(a.cols + tuple(c for c in b.cols if c not in a.cols), a.bound and b.bound)
    if kind_a is Seq and kind_b is Seq:
        # b's items that are not a's already (the same objects: branches that meet, or a loop
        # run again, hold the items they were given, and concatenated they doubled each time)
        held = {id(item) for item in a.items}
        added = tuple(item for item in b.items if id(item) not in held)
        return Seq(a.items + added) if added else a
    if kind_a is Str and kind_b is Str:
        if (
            a.text == b.text
            and a.nodes == b.nodes
            and a.cols == b.cols
            and a.alts == b.alts
            and a.via == b.via
            and not a.env
            and not b.env
        ):
            # The same string both ways (most joins of strings: a module constant, read anew
            # at each use, as each branch read it): what the lines below would build, copied.
            return a
        # (``known`` written out: a property's call at every join of strings)
        a_known, b_known = "{...}" not in a.text, "{...}" not in b.text
        keep, other, other_known = (a, b, b_known) if a_known or not b_known else (b, a, a_known)
        cols = a.cols
        if b.cols and b.cols is not a.cols:
            # b's columns that are not a's: the same objects are skipped before comparing
            # fields (branches that meet hold the same columns; 61 of them in pydoc.py's
            # strings, compared field by field with each other at every join)
            held = {id(c) for c in a.cols}
            cols += tuple(c for c in b.cols if id(c) not in held and c not in a.cols)
        env = tuple(dict.fromkeys(a.env + b.env))
        alts = alternatives(keep, other.options) if other_known else keep.alts
        return Str(keep.text, keep.via, keep.nodes, cols, env, alts)  # (``replace``, faster)
    if kind_a is Str and kind_b is Series:
        return Str(a.text, a.via, a.nodes, a.cols + b.cols, a.env, a.alts)
    if kind_a is Ref and kind_b is Ref:
        return _either_import(a, b)  # type: ignore[arg-type]
    if kind_a is Num and kind_b is Num:
        return _either_boolean(a, b)  # type: ignore[arg-type]
    choice = _choice(a, b)
    if choice is not None:
        return choice
    if cols_of(b) and kind_a is not Frame and kind_a is not Series:
        if kind_a is Seq:
            # A list that gets b (an append in a loop or a method run again): one more item,
            # once. Nested as a mixture, it grew a level per run, and the levels shared their
            # items: 85,263 items in responses/__init__.py's CallList.add_call (probe37 16).
            return a if any(item is b for item in a.items) else Seq((*a.items, b))
        return Seq((a, b))  # a mixture: keep what b carries
    return a


_MAX_ALTS = 8  # texts a string may be besides its own: enough for a base and its subclasses


def _telling(value: Unknown) -> tuple:
    """How much an unknown value tells (a parameter's evidence, then a name), to keep the
    same one of two whichever comes first: joins of what entry points set (``self.session``
    set to a parameter in ``__init__``'s own run, to an unnamed client where a function
    constructs the class) must not depend on the order the entry points run in."""
    name, source = value.name, value.source
    node = source.node if source is not None else None
    where = (getattr(node, "start", 0), getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    return (source is not None, name not in ("", "?"), name, where)


def alternatives(first: Str, others: Iterable[Str]) -> tuple[Str, ...]:
    """``first``'s alternatives with ``others`` added: known texts other than those already
    there, each once, without alternatives of its own."""
    seen = {first.text, *(alt.text for alt in first.alts)}
    alts = list(first.alts)
    for other in others:
        if other.known and other.text not in seen and len(alts) < _MAX_ALTS:
            seen.add(other.text)
            alts.append(replace(other, alts=()) if other.alts else other)
    return tuple(alts)


def _either_import(a: Ref, b: Ref) -> Ref:
    """``a``, with ``b``'s imports among its alternatives: one or the other was chosen
    (``cert_reqs = ssl.CERT_NONE`` in an else branch). ``a`` itself when it has them already,
    so that a loop's joins settle."""
    seen = {ref.qname for ref in a.options}
    alts = list(a.alts)
    for ref in b.options:
        if ref.qname not in seen and len(alts) < _MAX_ALTS:
            seen.add(ref.qname)
            alts.append(Ref(ref.qname) if ref.alts else ref)
    return Ref(a.qname, tuple(alts)) if len(alts) > len(a.alts) else a


def _either_boolean(a: Num, b: Num) -> Num:
    """``a``, with the other boolean among its alternatives when ``b`` may be it
    (``verify = True`` or, in a branch, ``False``); ``a`` itself when nothing is added, so
    that a loop's joins settle. Only booleans: a count of 0 or 1 decides no fact."""
    value = a.value
    if a.alts or type(value) is not bool:  # (both booleans already)
        return a
    if b.alts or (type(b.value) is bool and b.value is not value):
        return Num(value, (not value,))
    return a


def _placed(value: Val) -> bool:
    """Something that can take a placeholder's place: known, or a library method."""
    return not isinstance(value, Unknown) or value.receiver is not None


def _choice(a: Val, b: Val) -> Val | None:
    """One function or another (handler = skip; if verbose: handler = emit): a call of the
    name runs each of them. None when either is not a function, or both are imports (a
    module or the other: ``pd`` or ``pl``)."""
    left, right = functions_of(a), functions_of(b)
    if not (left and right) or all(type(f) is Ref for f in (*left, *right)):
        return None
    seen = {_identity(f) for f in left}
    added = tuple(f for f in right if _identity(f) not in seen)
    return Seq(left + added) if added else a


def functions_of(value: Val) -> tuple[Val, ...] | None:
    """The functions a value may be: itself, or each of a join of several (None: not only
    functions). A module's function, an import, a ``functools.partial`` and a library
    object's method taken without a call (``log.info``) count."""
    items = value.items if isinstance(value, Seq) else (value,)
    if items and all(map(_is_function, items)):
        return items
    return None


def _is_function(value: Val) -> bool:
    kind = type(value)
    if kind is Func or kind is Ref:
        return True
    if kind is Obj:
        return value.kind == "partial"  # type: ignore[attr-defined]
    return kind is Unknown and value.receiver is not None  # type: ignore[attr-defined]


def _identity(function: Val) -> Any:
    """The same function, however it was reached: a def (bound or not), an import's name, a
    library method's object kind and name, a partial's function and constant arguments."""
    if isinstance(function, Func):
        return id(function.node)
    if isinstance(function, Ref):
        return function.qname
    if isinstance(function, Unknown):
        return (function.receiver.kind if isinstance(function.receiver, Obj) else "", function.name)
    data = function.data  # type: ignore[attr-defined]
    inner = _identity(data["func"]) if _is_function(data["func"]) else id(data["func"])
    texts = tuple(a.text if isinstance(a, Str) else type(a).__name__ for a in data["args"])
    return ("partial", inner, texts, tuple(sorted(data["kwargs"])))


def join_all(values: Iterable[Val]) -> Val:
    result: Val = UNKNOWN
    for value in values:
        if value is not None:
            result = join(result, value)
    return result


def setting_values(frame: Frame) -> tuple[Val, ...]:
    """The values of a dict literal of endpoints: settings, every key a known string and no
    value data, among them a URL or an environment variable's value (in an operator's settings
    nested in it too): what a loop over its ``.values()``/``.items()`` or a lookup by a key not
    known may give (``URLS[operator]``). Empty for any other mapping, whose values stay what
    the code reads from it: a table of words (an unparser's operators) read by a key not known
    would make every text built from it a choice of many, for nothing a finding needs."""
    entries = frame.entries
    if (
        frame.lib != "dict"
        or not entries
        or frame.sources
        or not frame.cols.keys() <= entries.keys()
    ):
        return ()
    values = tuple(entries.values())
    if any(cols_of(value) for value in values):
        return ()
    inner = [
        v for value in values if isinstance(value, Frame) for v in (value.entries or {}).values()
    ]
    return values if any(map(_locates, values)) or any(map(_locates, inner)) else ()


def _locates(value: Val) -> bool:
    """A URL, or a value the environment sets (a deployment may set it to one)."""
    if isinstance(value, Str):
        return "://" in value.text or bool(value.env)
    return isinstance(value, Unknown) and bool(env_of(value))


def mixture(values: list[Val]) -> Val:
    """Several things sent together (json= and files=, a message and its attachments)."""
    return values[0] if len(values) == 1 else Seq(tuple(values))
