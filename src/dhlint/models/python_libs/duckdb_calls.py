"""DuckDB: its relations and its ``COPY ... TO`` exports.

A relation (``duckdb.sql(q)``, ``con.query(q)``, ``con.read_parquet(path)``) is a lazy query:
a frame of library "duckdb" whose columns are its SELECT's. ``write_csv``/``write_parquet``
write it (``FrameCalls._frame_method``'s writers), ``df()``/``pl()``/``fetchall()`` make it a
pandas or polars frame or rows, ``select``/``project``/``aggregate`` take SQL expressions.
``COPY (SELECT ...) TO 'file'`` writes the query's columns to a file or object storage (DuckDB's
export; PostgreSQL's server-side COPY reads the same).

A query that reads ``FROM`` a frame registered on the connection (``con.register("t", df)``)
or a variable holding one (DuckDB's replacement scans read a Python frame by its name) has
that frame's columns, as treated there (a keyed token stays one).
"""

from __future__ import annotations

import dataclasses

from dhlint.models import python_sql as sql
from dhlint.models.python_libs.common import _STORAGE_SCHEMES
from dhlint.models.python_values import (
    RAW,
    UNKNOWN,
    Col,
    Frame,
    QuerySource,
    Step,
    Str,
    Unknown,
    Val,
)

# Connection (and module) methods that run a query and give its relation (not execute(): a
# DB-API cursor's too, read as one, its COPY ... TO included).
_QUERIES = frozenset({"sql", "query", "from_query"})
# ... that read a file (or a URL: httpfs) as a relation.
_READERS = frozenset(
    {"read_parquet", "read_csv", "read_csv_auto", "read_json", "read_json_auto",
     "from_parquet", "from_csv_auto"}
)  # fmt: skip
# A relation's conversions: to a pandas or polars frame (an Arrow table: polars' methods), rows.
_CONVERSIONS = {
    "df": "pandas", "fetchdf": "pandas", "fetch_df": "pandas", "to_df": "pandas",
    "pl": "polars", "arrow": "polars", "fetch_arrow_table": "polars",
    "to_arrow_table": "polars", "record_batch": "polars",
    "fetchall": "rows", "fetchmany": "rows", "fetchone": "rows",
}  # fmt: skip
# A relation's methods whose arguments are SQL select items ("a, round(b, 3) AS b").
_PROJECTIONS = frozenset({"select", "project", "aggregate"})
# Frames DuckDB scans by a variable's name.
_SCANNED_LIBS = frozenset({"pandas", "polars", "duckdb"})
CONNECTION_METHODS = _QUERIES | _READERS | {"from_df", "from_arrow", "register"}
# ... a cursor's (after con.execute(q)) beyond DB-API's fetches, which keep a SELECT's order.
CONVERSIONS = frozenset(_CONVERSIONS) - {"fetchall", "fetchmany", "fetchone"}
# A query that gives rows (DuckDB accepts FROM first: "FROM t SELECT a").
_ROWS_QUERY = ("select", "with", "from", "(", "table", "values", "pivot", "unpivot", "describe")


def selected_columns(frame: Frame, columns, step: Step | None = None) -> dict[str, Col]:
    """The columns select items ``(name, origins, treatment)`` take from ``frame``: each its
    first origin's column, renamed, with the item's treatment (or the column's own when the
    item only names it). An item of no column of the frame is left out, unless the frame's
    schema is open (``step``: then it is a column read from the frame's source)."""
    cols: dict[str, Col] = {}
    for name, origins, treatment in columns:
        base = frame.get(origins[0]) if origins else None
        if base is None:
            if step is not None and frame.sources and origins:
                cols[name] = Col(name, origins, treatment, (step,))
            continue
        kept = treatment if treatment != RAW else base.treatment
        cols[name] = Col(name, base.origins, kept, base.flow)
    return cols


def _scanned(value: Val) -> Frame:
    """What a query reads from a Python value: a frame's columns; a parameter's, what the code
    names (its source's); anything else, nothing known (not a table's raw columns)."""
    if isinstance(value, Frame) and value.lib in _SCANNED_LIBS:
        return value
    source = value.source if isinstance(value, Unknown) else None
    return Frame("duckdb", {}, (source,) if source is not None else ())


class DuckdbCalls:
    """DuckDB's module functions, connection methods and relations (mixed into ``Analyzer``)."""

    def duckdb_call(self, name: str, args, kwargs, node, env, module: bool = False) -> Val | None:
        """``duckdb.<name>(...)`` (``module``) or ``con.<name>(...)`` when it makes or runs a
        relation; ``None`` when DuckDB gives the call no meaning of its own (the caller's
        follows)."""
        if name in _QUERIES or (name == "execute" and module):
            query = args[0] if args else kwargs.get("query")
            if not isinstance(query, Str):
                return None
            return self._duckdb_query(f"duckdb.{name}", query, node, env)
        if name in _READERS:
            return self._read(f"duckdb.{name}", "duckdb", args, kwargs, node)
        if name in ("from_df", "from_arrow") and args and isinstance(args[0], Frame):
            return args[0].restyled("duckdb")
        if name == "register" and len(args) >= 2 and isinstance(args[0], Str):
            if args[0].known:
                key = f"duckdb-view:{args[0].text}"
                self.write_state("cursor", self.named_frames, key, _scanned(args[1]), merge=False)
            return UNKNOWN
        return None

    def relation_method(self, frame: Frame, name: str, args, kwargs, node) -> Val | None:
        """A relation's conversions and projections; ``None``: a frame's method (writers)."""
        if name in _CONVERSIONS:
            lib = _CONVERSIONS[name]
            # rows keep the SELECT's order (row[1] is its second item); a table may gain an index
            made = dataclasses.replace(frame, lib=lib) if lib == "rows" else frame.restyled(lib)
            return made.as_row() if name == "fetchone" else made
        if name in _PROJECTIONS:
            texts = [a.text for a in args[:1] if isinstance(a, Str) and a.known]
            if not texts:
                return None
            parsed = sql.select_columns(f"SELECT {texts[0]} FROM t")
            if parsed is None:
                return None
            columns, star = parsed
            if star:
                return frame
            step = Step(node, f"selected by relation.{name}")
            return Frame("duckdb", selected_columns(frame, columns, step))
        return None

    def _duckdb_query(self, api: str, query: Str, node, env) -> Val:
        copied = sql.copy_to(query.text)
        if copied is not None:
            self.copy_to(api, copied, node, env)
            return UNKNOWN
        if not query.text.lstrip().lower().startswith(_ROWS_QUERY):
            return self._execute("duckdb", [query], node, env=env)  # INSERT: a cursor's
        # execute() returns the connection, whose fetch methods give the rows as a relation's
        return self._relation(query.text, node, env, f"read by {api}")

    def _relation(self, text: str, node, env, label: str, lib: str = "duckdb") -> Frame:
        """The rows of a SELECT: its columns, those of the frame it reads when that is known
        (a cursor's, ``lib`` "rows": only a frame, the one kind DuckDB's cursor scans)."""
        parsed = sql.select_columns(text)
        if parsed is None:
            return Frame(lib, {}, (QuerySource(node, label),))
        scanned = self._scanned(sql.table_of(text), env, frames_only=lib == "rows")
        if scanned is None:
            return self._sql_frame(lib, parsed, node, label)
        columns, star = parsed
        if star and not columns:
            return dataclasses.replace(scanned, lib=lib)
        return Frame(lib, selected_columns(scanned, columns, Step(node, label)))

    def cursor_rows(self, text: str, node, env) -> Frame:
        """A cursor's SELECT rows (``con.execute(q)``, then ``fetchall()``, ``df()``)."""
        return self._relation(text, node, env, "read by SQL query", lib="rows")

    def _scanned(self, table: str | None, env, frames_only: bool = False) -> Frame | None:
        """The frame a query's FROM names: one registered under that name, or a variable's
        (``frames_only``: a frame's); ``None``: a table of the database."""
        if not table or not table.isidentifier():
            return None
        key = f"duckdb-view:{table}"
        self.read_state("cursor", key)
        registered = self.named_frames.get(key)
        if registered is not None:
            return registered
        held = env.get(table) if env is not None else None
        if held is None or held is self.GLOBAL:
            return None
        if frames_only and not (isinstance(held, Frame) and held.lib in _SCANNED_LIBS):
            return None
        return _scanned(held)

    def copy_to(self, api: str, copied: tuple[str, str], node, env) -> None:
        """``COPY (query) TO 'target'``: the query's rows (a table's: a registered frame's, or
        not known) written to the target, a file or object storage."""
        what, target = copied
        if sql.select_columns(what) is not None:
            rows: Frame | None = self._relation(what, node, env, f"read by {api}")
        else:
            rows = self._scanned(what, env)
        if rows is None:
            return
        storage = target.startswith(_STORAGE_SCHEMES)
        self._sink(
            "storage" if storage else "file",
            f"{api} (COPY ... TO)",
            rows,
            node,
            target=target,
            host=self._bucket(target) if storage else None,
        )
