"""Dataframes and pipelines: pandas, polars, PySpark, Apache Beam.

Their readers and writers, frame and series methods, column expressions, groups and
applied functions.
"""

from __future__ import annotations

import ast
import dataclasses
import re

from dhlint.models import python_sql as sql
from dhlint.models.python_libs.common import _HASHLIB, _STORAGE_SCHEMES
from dhlint.models.python_libs.databases import _SQL_VERB
from dhlint.models.python_libs.precision import _int_type
from dhlint.models.python_values import (
    RAW,
    UNKNOWN,
    Col,
    Frame,
    Func,
    Num,
    Obj,
    QuerySource,
    Ref,
    Seq,
    Series,
    Source,
    Step,
    Str,
    Unknown,
    Val,
    cols_of,
    env_of,
    join,
    join_all,
    merge_cols,
    setting_values,
)

_PANDAS_READERS = {
    "read_csv", "read_table", "read_excel", "read_json", "read_parquet", "read_feather",
    "read_orc", "read_fwf", "read_pickle", "read_xml", "read_sas", "read_stata", "read_spss",
    "read_hdf", "json_normalize", "read_sql", "read_sql_query", "read_sql_table", "read_gbq",
}  # fmt: skip
_POLARS_READERS = {
    "read_csv", "read_parquet", "read_json", "read_ndjson", "read_excel", "read_ipc",
    "read_avro", "read_database", "read_database_uri", "scan_csv", "scan_parquet",
    "scan_ndjson", "scan_ipc", "read_delta", "scan_delta",
}  # fmt: skip
_FILE_WRITERS = {
    "to_csv", "to_parquet", "to_json", "to_excel", "to_feather", "to_orc", "to_pickle",
    "to_hdf", "to_xml", "to_stata", "to_markdown", "to_html", "to_latex", "write_csv",
    "write_parquet", "write_json", "write_ndjson", "write_excel", "write_ipc", "write_avro",
    "sink_parquet", "sink_csv", "sink_ipc", "sink_ndjson", "write_delta", "to_file",
}  # fmt: skip
_DB_WRITERS = {"to_sql", "to_gbq", "write_database", "to_postgis"}
# pyarrow (``_pyarrow``): what makes a Table of a frame or a dict of columns, and the writers of
# its parquet, csv, feather and orc modules -> the keywords their destination may be given as.
_ARROW_TABLES = frozenset({"from_pandas", "from_pydict", "from_pylist", "table", "record_batch"})
_ARROW_WRITERS = {
    "write_table": ("where", "path"),
    "write_to_dataset": ("root_path", "where"),
    "write_csv": ("output_file",),
    "write_feather": ("dest",),
}
# geopandas' readers: a GeoDataFrame is a pandas frame with a geometry column.
_GEOPANDAS_READERS = frozenset(
    {"read_file", "read_parquet", "read_feather", "read_postgis", "read_arrow"}
)


# Serialisers that return the data when no path is given (pandas' to_parquet and to_orc: bytes).
_RETURNS_TEXT = {
    "to_csv",
    "to_parquet",
    "to_orc",
    "to_json",
    "to_markdown",
    "to_html",
    "to_latex",
    "write_csv",
    "write_json",
    "write_ndjson",
    "to_xml",
}
_AGGREGATES = {
    "count", "nunique", "describe", "sum", "mean", "median", "std", "var", "min", "max",
    "size", "info", "corr", "cov", "quantile", "len", "height", "width", "shape",
    "memory_usage", "isnull", "isna", "notna", "notnull", "duplicated", "any", "all",
    "eq", "ne", "lt", "le", "gt", "ge", "isin", "between", "contains", "startswith",
    "endswith", "match", "is_null", "is_not_null", "is_in", "equals", "first_valid_index",
}  # fmt: skip


_SPARK_HASHES = {"md5", "sha1", "sha2", "hash", "xxhash64", "crc32"}
# polars functions that make one value of several columns.
_POLARS_COMBINERS = frozenset(
    {"concat_str", "struct", "concat_list", "coalesce", "format", "max_horizontal",
     "min_horizontal"}
)  # fmt: skip


_KEEPING = frozenset({"first", "last", "min", "max", "unique", "nth", "mode", "list", "set"})
# What a selection of a grouping's columns gives one row per group of (its keys with it).
_GROUP_RESULTS = frozenset(
    {"sum", "mean", "median", "count", "size", "nunique", "std", "var", "sem", "prod",
     "quantile", "agg", "aggregate", "apply", "describe", "value_counts", "ohlc", "any",
     "all", *_KEEPING}
)  # fmt: skip


def _keeps_values(how: Val) -> bool:
    """An aggregation named by a string or a builtin whose result is one or all of the
    group's values (not a count, a sum)."""
    if isinstance(how, Str):
        return how.text in _KEEPING
    if isinstance(how, Ref):
        return how.qname.rsplit(".", 1)[-1] in _KEEPING or how.qname == "builtins.tuple"
    return False


# Apache Beam's writes: transform -> (sink kind, position of its target, keyword of it).
_BEAM_WRITES = {
    "WriteToText": ("file", 0, "file_path_prefix"),
    "WriteToParquet": ("file", 0, "file_path_prefix"),
    "WriteToAvro": ("file", 0, "file_path_prefix"),
    "WriteToTFRecord": ("file", 0, "file_path_prefix"),
    "WriteToCsv": ("file", 0, "path"),
    "WriteToJson": ("file", 0, "path"),
    "WriteToFiles": ("file", 0, "path"),
    "WriteToBigQuery": ("database", 0, "table"),
    "WriteToJdbc": ("database", 0, "table_name"),
    "WriteToMongoDB": ("database", 2, "coll"),
    "WriteToBigTable": ("database", 2, "table_id"),
    "WriteToPubSub": ("network", 0, "topic"),
    "WriteStringsToPubSub": ("network", 0, "topic"),
    "WriteToKafka": ("network", 1, "topic"),
}
# ... transforms that call a function on each element, that keep the elements as they are, and
# reads of rows (a query's columns, or those the code reads from them).
_BEAM_ELEMENTWISE = frozenset({"Map", "FlatMap", "MapTuple", "FlatMapTuple", "Filter", "ParDo"})
_BEAM_SAME_ELEMENTS = frozenset({"CoGroupByKey", "Reshuffle", "WindowInto", "Distinct", "Flatten"})
# ... transforms that group: (key, the grouped values) pairs.
_BEAM_GROUPS = frozenset({"GroupByKey", "GroupBy"})
_BEAM_TABLE_READS = frozenset(
    {"ReadFromBigQuery", "ReadFromParquet", "ReadFromAvro", "ReadFromJdbc", "ReadFromMongoDB",
     "ReadFromCsv", "ReadFromJson"}
)  # fmt: skip

# AWS Glue: a GlueContext's readers and writers of DynamicFrames (Spark frames with a schema of
# their own; ``toDF()``/``DynamicFrame.fromDF()`` convert, the columns are the same) and the
# DynamicFrame methods that choose columns. A write's connection type says where it goes.
_GLUE_READERS = frozenset(
    {"create_dynamic_frame", "create_data_frame", "create_sample_dynamic_frame"}
)
_GLUE_WRITERS = frozenset({"write_dynamic_frame", "write_data_frame"})
_GLUE_NETWORK = frozenset({"kafka", "kinesis"})
_GLUE_FRAME_METHODS = frozenset({"select_fields", "drop_fields", "rename_field", "apply_mapping"})
# ... and the transforms of awsglue.transforms that do the same (``ApplyMapping.apply(frame=f,
# mappings=[...])``): their DynamicFrame methods and the keyword of the methods' argument.
GLUE_TRANSFORMS = {
    "ApplyMapping": ("apply_mapping", "mappings"),
    "SelectFields": ("select_fields", "paths"),
    "DropFields": ("drop_fields", "paths"),
    "RenameField": ("rename_field", ""),
}


class FrameCalls:
    """Dataframes and pipelines: pandas, polars, PySpark, Apache Beam."""

    # ---- pandas / polars / spark module functions
    def _pandas(self, last: str, args, kwargs, node) -> Val:
        if last in _PANDAS_READERS:
            return self._read(f"pandas.{last}", "pandas", args, kwargs, node)
        if last == "DataFrame":
            data = args[0] if args else kwargs.get("data", UNKNOWN)
            return built_frame("pandas", data, kwargs.get("columns"), node, "DataFrame built")
        if last in ("concat", "merge"):
            frames = (
                list(args[0].items)
                if last == "concat" and args and isinstance(args[0], Seq)
                else args[:2]
            )
            return join_all(frames)
        if last in ("cut", "qcut"):
            cols = cols_of(args[0]) if args else ()
            step = Step(node, f"bucketed by pandas.{last}")
            return Series(tuple(c.treated("bucket", step) for c in cols)) if cols else UNKNOWN
        if last in ("to_datetime", "to_numeric", "Series"):
            return args[0] if args else UNKNOWN
        return UNKNOWN

    def _geopandas(self, last: str, args, kwargs, node) -> Val:
        """geopandas: pandas' frames with a geometry. Points made of coordinate columns
        (``points_from_xy(df["lon"], df["lat"])``) carry those columns, rounded or not, into
        the GeoDataFrame built with them, so its writers (``to_file``) export them."""
        if last in _GEOPANDAS_READERS:
            return self._read(f"geopandas.{last}", "pandas", args, kwargs, node)
        if last in ("points_from_xy", "from_xy"):
            xyz = [*args[:3], *(kwargs[k] for k in ("x", "y", "z") if k in kwargs)]
            cols = tuple(c for value in xyz for c in cols_of(value))
            return Series(cols) if cols else UNKNOWN
        if last in ("GeoDataFrame", "GeoSeries"):
            data = args[0] if args else kwargs.get("data", UNKNOWN)
            if last == "GeoSeries":  # GeoSeries(points): the points
                return data
            frame = built_frame("pandas", data, kwargs.get("columns"), node, "GeoDataFrame built")
            geometry = kwargs.get("geometry")
            for col in geometry.cols if isinstance(geometry, Series) else ():
                frame = frame.with_col(col.name, col)
            return frame
        return UNKNOWN

    def _polars(self, last: str, args, kwargs, node) -> Val:
        if last in _POLARS_READERS:
            return self._read(f"polars.{last}", "polars", args, kwargs, node)
        if last in ("DataFrame", "LazyFrame", "from_dicts", "from_records", "from_pandas"):
            data = args[0] if args else kwargs.get("data", UNKNOWN)
            if isinstance(data, Frame):
                return data.restyled("polars")
            return Frame("polars", {}, (Source(node, f"polars.{last}"),))
        if last == "col":
            names = [a.text for a in args if isinstance(a, Str)]
            return Series(tuple(Col(n, (n,)) for n in names), bound=False)
        if last == "lit":
            return UNKNOWN
        if last == "concat":
            return join_all(list(args[0].items)) if args and isinstance(args[0], Seq) else UNKNOWN
        if last in _POLARS_COMBINERS:
            # pl.concat_str([pl.col("camera_id"), "plate"]), pl.struct(["a", "b"]): one value
            # made of the columns (names as strings, or expressions)
            items: list[Val] = []
            for arg in args[1:] if last == "format" else args:
                items.extend(arg.items if isinstance(arg, Seq) else [arg])
            cols = [
                c
                for item in items
                for c in (
                    (Col(item.text, (item.text,)),) if isinstance(item, Str) else cols_of(item)
                )
            ]
            return Series(tuple(cols), bound=False) if cols else UNKNOWN
        return UNKNOWN

    def _spark_fn(self, last: str, args, kwargs, node) -> Val:
        if last in ("udf", "pandas_udf") and args and isinstance(args[0], Func):
            return args[0]  # F.udf(token, "string"): a call of it runs token
        if last in ("col", "column"):
            names = [a.text for a in args if isinstance(a, Str)]
            return Series(tuple(Col(n, (n,)) for n in names), bound=False)
        exprs = [self._spark_expr(a) for a in args]
        cols = tuple(c for e in exprs for c in cols_of(e))
        bound = self._bound(*exprs)
        if not cols:
            return UNKNOWN
        if last in _SPARK_HASHES:
            return self._hash(f"{last}()", [Series(cols, bound)], node, bound)
        if last in ("round", "bround"):
            digits = args[1] if len(args) > 1 else kwargs.get("scale", Num(0))
            return self._round(Series(cols, bound), digits, node)
        if last == "substring" and len(args) >= 3 and isinstance(args[2], Num):
            step = Step(node, f"truncated to {args[2].value} characters")
            return Series(tuple(c.treated(f"truncate:{args[2].value}", step) for c in cols), bound)
        if last in ("floor", "date_trunc", "year", "trunc", "window"):
            step = Step(node, f"generalised by {last}()")
            return Series(tuple(c.treated("bucket", step) for c in cols), bound)
        if last in (
            "count",
            "countDistinct",
            "approx_count_distinct",
            "sum",
            "avg",
            "mean",
            "min",
            "max",
            "stddev",
            "collect_set",
            "first",
        ):
            if last in ("collect_set", "first"):
                return Series(cols, bound)
            return UNKNOWN
        if self._protective_name(last):
            return self._protect([Series(cols, bound)], last, node)
        return Series(cols, bound)

    @staticmethod
    def _spark_expr(value: Val) -> Val:
        """A plain string in a Spark function call names a column."""
        if isinstance(value, Str) and value.known and value.text.isidentifier():
            return Series((Col(value.text, (value.text,)),), bound=False)
        return value

    def _read(self, api: str, lib: str, args, kwargs, node) -> Val:
        label = f"read by {api}"
        query = args[0] if args else kwargs.get("sql")
        if api.endswith(("read_sql", "read_sql_query", "read_database")) and isinstance(query, Str):
            parsed = sql.select_columns(query.text)
            if parsed is not None:
                return self._sql_frame(lib, parsed, node, label)
        path = args[0] if args else kwargs.get("filepath_or_buffer", kwargs.get("source"))
        written = None
        if isinstance(path, Str):
            self.read_state("file", path.text)
            written = self.files.get(path.text)
        base = (
            written.restyled(lib)
            if isinstance(written, Frame)
            else Frame(lib, {}, (Source(node, label),))
        )
        for key in ("usecols", "columns"):
            selected = kwargs.get(key)
            if isinstance(selected, Seq) and all(isinstance(i, Str) for i in selected.items):
                names = [i.text for i in selected.items]  # type: ignore[attr-defined]
                if isinstance(written, Frame):
                    return base.select(names)
                return Frame(lib, {n: Col(n, (n,), RAW, (Step(node, label),)) for n in names})
        return base

    def _pyarrow(self, qname: str, last: str, args, kwargs, node) -> Val:
        """pyarrow: a Table made of a DataFrame or a dict of columns (``pa.Table.from_pandas(df)``,
        ``pa.table({...})``) holds its columns; ``pyarrow.parquet.write_table(table, where)``,
        ``write_to_dataset(table, root_path)`` and the csv, feather and orc writers write them
        to the path or bucket, as ``df.to_parquet(where)`` does (DH560, DH563)."""
        given = args[0] if args else kwargs.get("df", kwargs.get("data", kwargs.get("table")))
        if last in _ARROW_TABLES:
            return given if isinstance(given, Frame) else UNKNOWN
        if last not in _ARROW_WRITERS or qname.count(".") != 2 or not isinstance(given, Frame):
            return UNKNOWN
        path = (
            args[1]
            if len(args) > 1
            else next((kwargs[k] for k in _ARROW_WRITERS[last] if k in kwargs), None)
        )
        written = [path] if path is not None else []
        return self._frame_method(given, "to_parquet", written, {}, node, {}, api=qname)

    def _sql_frame(self, lib: str, parsed, node, label: str) -> Frame:
        columns, star = parsed
        step = Step(node, label)
        cols = {}
        for name, origins, treatment in columns:
            cols[name] = Col(name, origins, treatment, (step,))
            if treatment.startswith("weak-hash:"):
                self._fact(
                    "hash",
                    node,
                    algo=treatment.split(":", 1)[1] + " (SQL)",
                    columns=(Col(name, origins, RAW, (step,)),),
                )
        # Read by position only when every select item is a column of its own (NULL, NULL,
        # email or o.name, v.name collapse by name: row[2] would be another item).
        ordered = not star and len(cols) == len(columns) > 0
        return Frame(lib, cols, (QuerySource(node, label),) if star else (), ordered=ordered)

    def _frame_method(self, frame: Frame, name: str, args, kwargs, node, env, api: str = "") -> Val:
        api = api or f"DataFrame.{name}"
        if frame.lib == "duckdb":
            made = self.relation_method(frame, name, args, kwargs, node)
            if made is not None:
                return made
        if frame.grouped == "cells" and name in _CELL_FILTERS and args:
            # counts.query("n >= 11"), .where(counts["n"] >= 11), .mask(counts["n"] < 11),
            # Spark's and polars' .filter(F.col("n") >= 11): the groups under k are gone
            written = node.args[0] if type(node) is ast.Call and node.args else None
            if self.suppressed_cells(args[0], written, keep=name != "mask"):
                return dataclasses.replace(frame, grouped="suppressed")
        if name in _GLUE_FRAME_METHODS and frame.lib == "spark":
            return self._glue_frame(frame, name, args, kwargs, node)
        if name in _FILE_WRITERS or name in _DB_WRITERS:
            path = (
                args[0]
                if args
                else next(
                    (
                        kwargs[k]
                        for k in (
                            "path",
                            "path_or_buf",
                            "file",
                            "filename",
                            "file_name",  # DuckDB's write_csv, write_parquet
                            "excel_writer",
                            "name",
                            "buf",
                            "table_name",
                            "destination_table",
                        )
                        if k in kwargs
                    ),
                    None,
                )
            )
            if path is None and name in _RETURNS_TEXT:
                return frame  # serialised in memory: the text carries the columns
            kind = "database" if name in _DB_WRITERS else "file"
            target = path.text if isinstance(path, Str) else None
            if target and target.startswith(_STORAGE_SCHEMES):
                kind = "storage"
            if isinstance(path, Obj) and path.kind == "file":
                if path.data.get("memory"):  # io.StringIO(): the buffer goes somewhere later
                    self.add_payload(path, frame)
                    return UNKNOWN
                target = path.data.get("path")
            self._sink(
                kind,
                api,
                frame,
                node,
                target=target,
                host=self._bucket(target) if kind == "storage" else None,
            )
            if target:
                self.write_state("file", self.files, target, frame, merge=False)
            return UNKNOWN
        if name == "drop":
            names = self._names(args[:1]) + self._names([kwargs.get("columns", UNKNOWN)])
            names += self._names([kwargs.get("labels", UNKNOWN)])
            axis = kwargs.get("axis")
            if (
                frame.lib == "pandas"
                and not kwargs.get("columns")
                and not (
                    (isinstance(axis, Num) and axis.value == 1)
                    or (isinstance(axis, Str) and axis.text == "columns")
                )
                and not args[1:2]
            ):
                if "index" in kwargs or not names:
                    return frame
                if frame.lib == "pandas" and not any(frame.get(n) for n in names):
                    return frame  # dropping rows by label
            names += self._names(args[1:])  # spark/polars: drop("a", "b")
            return frame.without(names)
        if name in ("rename", "withColumnRenamed", "with_column_renamed", "alias"):
            if name == "withColumnRenamed" and len(args) >= 2:
                mapping = (
                    {args[0].text: args[1].text}
                    if all(isinstance(a, Str) for a in args[:2])
                    else {}
                )
            else:
                mapping_val = (
                    kwargs.get("columns") or kwargs.get("mapping") or (args[0] if args else None)
                )
                mapping = (
                    {
                        k: v.text
                        for k, v in (mapping_val.entries or {}).items()
                        if isinstance(v, Str)
                    }
                    if isinstance(mapping_val, Frame)
                    else {}
                )
            if not mapping:
                return frame
            new = frame
            for old, new_name in mapping.items():
                col = frame.get(old)
                if col is None:
                    continue
                new = new.without([old]).with_col(
                    new_name, col.renamed(new_name, Step(node, f"'{old}' renamed to '{new_name}'"))
                )
            return new
        if name == "assign":
            new = frame
            for key, value in kwargs.items():
                if isinstance(value, Func):
                    value = self.call_func(value, [frame], {}, node)
                new = new.with_col(key, self._as_column(key, self._bind_expr(value, frame), node))
            return new
        if name in ("withColumn", "with_column"):
            if len(args) >= 2 and isinstance(args[0], Str):
                value = self._bind_expr(self._spark_expr(args[1]), frame)
                return frame.with_col(args[0].text, self._as_column(args[0].text, value, node))
            return frame
        if name in ("with_columns", "withColumns"):
            new = frame
            items = list(args)
            if len(args) == 1 and isinstance(args[0], Seq):
                items = list(args[0].items)
            for value in items:
                bound = self._bind_expr(value, frame)
                for col in cols_of(bound):
                    new = new.with_col(col.name, col)
            for key, value in kwargs.items():
                new = new.with_col(key, self._as_column(key, self._bind_expr(value, frame), node))
            if len(args) == 1 and isinstance(args[0], Frame) and args[0].entries:
                for key, value in args[0].entries.items():
                    new = new.with_col(
                        key, self._as_column(key, self._bind_expr(value, frame), node)
                    )
            return new
        if name in ("select", "selectExpr", "filter", "where") and frame.lib in ("spark", "polars"):
            if name in ("filter", "where"):
                return frame
            items = list(args)
            if len(args) == 1 and isinstance(args[0], Seq):
                items = list(args[0].items)
            if not items or any(isinstance(i, Str) and i.text == "*" for i in items):
                return frame
            cols: dict[str, Col] = {}
            for item in items:
                if isinstance(item, Str) and name == "selectExpr":
                    parsed = sql.select_columns(f"SELECT {item.text} FROM t")
                    for cname, origins, treatment in parsed[0] if parsed else []:
                        base = frame.get(origins[0]) if origins else None
                        if base is not None:
                            cols[cname] = Col(
                                cname,
                                base.origins,
                                treatment if treatment != RAW else base.treatment,
                                base.flow,
                            )
                    continue
                for col in cols_of(self._bind_expr(self._spark_expr(item), frame)):
                    # Several columns under one name (to_json(struct(a, b)).alias("value")):
                    # one column made of them all.
                    same = cols.get(col.name)
                    cols[col.name] = merge_cols(col.name, (same, col), None) if same else col
            return Frame(frame.lib, cols)
        if name in (
            "merge",
            "join",
            "crossJoin",
            "unionByName",
            "union",
            "append",
            "combine_first",
            "join_asof",
            "vstack",
            "hstack",
            "concat",
        ):
            other = args[0] if args else kwargs.get("right", kwargs.get("other", UNKNOWN))
            if isinstance(other, Frame):
                return join(frame, other)
            return frame
        if name in ("groupby", "groupBy", "group_by", "rollup", "cube"):
            keys = self._names(args[:1] if args and isinstance(args[0], Seq) else args)
            keys += self._names([kwargs.get("by", UNKNOWN)])
            return Obj("groupby", {"frame": frame, "keys": keys})
        if name in ("items", "values", "get") and frame.lib == "dict":
            # A dict literal of settings (operators' endpoints): a loop over its values or
            # items, or a get by a key not known, may give any of its values.
            key = args[0] if args else None
            by_key = name == "get" and isinstance(key, (Unknown, Str))
            by_key = by_key and not (isinstance(key, Str) and key.known)
            values = setting_values(frame) if by_key or (name != "get" and not args) else ()
            if values:
                value = join_all([*values, *args[1:2]])
                if name == "items":
                    return Seq((Seq((UNKNOWN, value)),))
                return Seq((value,)) if name == "values" else value
        if name in ("get",) and frame.lib in ("dict", "rows") and args and isinstance(args[0], Str):
            held = (frame.entries or {}).get(args[0].text) if args[0].known else None
            if isinstance(held, (Str, Num)) and not cols_of(held):
                # CONFIG.get("endpoint") of a dict literal: its URL, as CONFIG[...]; a value
                # not known ({"email": addr}.get("email")) is the key's column, as before
                return held
            col = frame.get(args[0].text)
            if col is not None and frame.sources and args[0].text not in frame.cols:
                # body.get("events", []) of a record read whole: a record itself, as
                # body["events"] is (what the code reads from it is evidence of what it holds)
                col = dataclasses.replace(col, record=frame.sources[0].part(args[0].text))
            return Series((col,)) if col is not None else (args[1] if len(args) > 1 else UNKNOWN)
        if name in ("pop",) and args and isinstance(args[0], Str):
            col = frame.get(args[0].text)
            return Series((col,)) if col is not None else UNKNOWN
        if name in ("keys",):
            return UNKNOWN
        if name in ("iterrows", "items", "iteritems", "iter_rows_named"):
            return Seq((Seq((UNKNOWN, frame)),))  # (index, row) pairs
        if name in (
            "apply",
            "applymap",
            "map",
            "transform",
            "pipe",
            "map_rows",
            "mapInPandas",
            "foreach",
            "foreachPartition",
        ):
            fn = args[0] if args else kwargs.get("func", UNKNOWN)
            if isinstance(fn, Func):
                result = self.call_func(fn, [frame], {}, node)
                if name == "apply" and _by_row(args, kwargs):
                    # Row by row (pandas' axis=1; a parameter's frame too, whose library is
                    # not known): one value per row, what the function makes of the row (a
                    # keyed token, a rounded coordinate), not the row itself
                    made = _row_values(result)
                    if made is not None:
                        return made
                if isinstance(result, Series) and name in ("map", "applymap") and frame.cols:
                    # Element by element: each column is what the function makes of it
                    # (df[["email", "phone"]].map(token)).
                    made = {c.name: c for c in result.cols if c.name in frame.cols}
                    if made.keys() == frame.cols.keys():
                        return Frame(frame.lib, made, frame.sources, frame.removed)
                if isinstance(result, (Frame, Series)):
                    return result if name == "pipe" or isinstance(result, Frame) else frame
            return frame
        if name in (
            "createOrReplaceTempView",
            "createTempView",
            "registerTempTable",
            "cache",
            "persist",
            "show",
            "printSchema",
        ):
            if name == "show":
                self._log("DataFrame.show", [frame], {}, node)
            return frame if name in ("cache", "persist") else UNKNOWN
        if name in _AGGREGATES:
            return UNKNOWN
        if name in (
            "to_dict",
            "to_records",
            "to_numpy",
            "tolist",
            "to_list",
            "to_pandas",
            "toPandas",
            "collect",
            "rows",
            "iter_rows",
            "to_dicts",
            "itertuples",
            "iterrows",
            "items",
            "values",
            "head",
            "tail",
            "copy",
            "dropna",
            "fillna",
            "sort_values",
            "reset_index",
            "set_index",
            "query",
            "drop_duplicates",
            "dropDuplicates",
            "distinct",
            "unique",
            "sample",
            "limit",
            "orderBy",
            "sort",
            "astype",
            "cast",
            "repartition",
            "coalesce",
            "lazy",
            "collect_schema",
            "toJSON",
            "take",
            "first",
            "nlargest",
            "nsmallest",
            "explode",
            "melt",
            "pivot",
            "unpivot",
            "infer_objects",
            "convert_dtypes",
            "with_row_count",
            "with_row_index",
            "__iter__",
            "next",
            "to_arrow",
            "toLocalIterator",
            "fetch",
            "slice",
            "filter",
            "where",
            "sort_index",
            "round",
        ):
            if name == "round" and frame.lib == "pandas":
                return self._round(frame, args[0] if args else kwargs.get("decimals", Num(0)), node)
            return frame
        return frame  # unknown methods keep the data (conservative for exports)

    # ---- AWS Glue
    def glue_attribute(self, attr: str) -> Val:
        """``glueContext.spark_session`` (a Spark session), ``.create_dynamic_frame`` (a
        reader), ``.write_dynamic_frame`` (a writer)."""
        if attr == "spark_session":
            return Obj("spark")
        if attr in _GLUE_READERS:
            return Obj("glue-reader", {"api": f"glueContext.{attr}"})
        if attr in _GLUE_WRITERS:
            return Obj("glue-writer", {"api": f"glueContext.{attr}"})
        return UNKNOWN

    def glue_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A GlueContext's reads and writes, as its readers' and writers' (``from_catalog``,
        ``from_options``, ``from_jdbc_conf``) or its own ``create_dynamic_frame_from_catalog``,
        ``write_dynamic_frame_from_options``...; its ``get_logger()``, a logger."""
        kind = obj.kind
        if kind == "glue" and name == "get_logger":
            return Obj("logger")  # Glue's log4j logger: its lines go to CloudWatch
        if kind == "glue":
            lead, sep, how = name.partition("_from_")
            if not sep:
                return UNKNOWN
            if lead in _GLUE_READERS:
                kind, obj = "glue-reader", Obj(kind, {"api": f"glueContext.{lead}"})
            elif lead in _GLUE_WRITERS or lead == "write":
                kind, obj = "glue-writer", Obj(kind, {"api": f"glueContext.{lead}"})
            else:
                return UNKNOWN
            name = f"from_{how}"
        api = f"{obj.data['api']}.{name}"
        if kind == "glue-reader":
            if not name.startswith("from_"):
                return UNKNOWN
            options = args[1] if len(args) > 1 else kwargs.get("connection_options")
            entries = (options.entries or {}) if isinstance(options, Frame) else {}
            frame = Frame("spark", {}, (Source(node, f"read by {api}"),))
            paths = entries.get("paths", entries.get("path"))
            path = paths.items[0] if isinstance(paths, Seq) and paths.items else paths
            text = path.text if isinstance(path, Str) else None  # "s3://{...}/taps/" too
            if (text and text.startswith(_STORAGE_SCHEMES)) or env_of(path):
                bucket = self._bucket(text)
                host = bucket if bucket and "{" not in bucket else None
                self._fact("read", node, api=api, target=text, host=host, env=env_of(path))
            return frame
        if kind != "glue-writer" or not name.startswith("from_"):
            return UNKNOWN
        positional = ("frame", "connection_type", "connection_options")
        if name == "from_catalog":
            positional = ("frame", "database", "table_name")
        given = {**dict(zip(positional, args, strict=False)), **kwargs}
        frame = given.get("frame", given.get("frame_or_dfc", given.get("dataframe", UNKNOWN)))
        options = given.get("connection_options")
        entries = (options.entries or {}) if isinstance(options, Frame) else {}
        ctype = given.get("connection_type")
        ctype_text = ctype.text.lower() if isinstance(ctype, Str) and ctype.known else ""
        if name == "from_catalog":
            names = [given.get("database"), given.get("table_name")]
            known = [v.text for v in names if isinstance(v, Str) and v.known]
            sink, target = "database", ".".join(known) or None
        elif ctype_text == "s3":
            path = entries.get("path")
            sink, target = "storage", path.text if isinstance(path, Str) and path.known else None
        else:
            sink = "network" if ctype_text in _GLUE_NETWORK else "database"
            named = [
                entries.get(k)
                for k in ("dbtable", "topicName", "streamName", "dynamodb.output.tableName")
            ]
            target = next((v.text for v in named if isinstance(v, Str) and v.known), None)
        host = self._bucket(target) if sink == "storage" else None
        self._sink(sink, api, frame, node, target=target, host=host)
        return UNKNOWN

    def glue_transform(self, transform: str, args, kwargs, node) -> Val:
        """``ApplyMapping.apply(frame=f, mappings=[...])`` is ``f.apply_mapping([...])``."""
        frame = args[0] if args else kwargs.get("frame", UNKNOWN)
        if not isinstance(frame, Frame):
            return frame
        method, keyword = GLUE_TRANSFORMS[transform]
        if not keyword:  # RenameField.apply(frame, old_name, new_name)
            given = {**dict(zip(("frame", "old_name", "new_name"), args, strict=False)), **kwargs}
            names = [given.get("old_name", UNKNOWN), given.get("new_name", UNKNOWN)]
            return self._glue_frame(frame, method, names, {}, node)
        value = args[1] if len(args) > 1 else kwargs.get(keyword, UNKNOWN)
        return self._glue_frame(frame, method, [value], {}, node)

    def _glue_frame(self, frame: Frame, name: str, args, kwargs, node) -> Val:
        """A DynamicFrame's ``select_fields(paths)``, ``drop_fields(paths)``,
        ``rename_field(old, new)`` and ``apply_mapping([(old, type, new, type), ...])`` (which
        keeps only the columns it maps)."""
        if name in ("select_fields", "drop_fields"):
            names = self._names([args[0] if args else kwargs.get("paths", UNKNOWN)])
            if not names:
                return frame
            if name == "drop_fields":
                return frame.without(names)
            return Frame(frame.lib, {n: c for n in names if (c := frame.get(n)) is not None})
        pairs: list[tuple[str, str]] = []
        if name == "rename_field":
            given = {**dict(zip(("oldName", "newName"), args, strict=False)), **kwargs}
            old, new = given.get("oldName"), given.get("newName")
            if isinstance(old, Str) and isinstance(new, Str):
                pairs.append((old.text, new.text))
        else:
            mappings = args[0] if args else kwargs.get("mappings")
            for item in mappings.items if isinstance(mappings, Seq) else ():
                parts = item.items if isinstance(item, Seq) else ()
                if len(parts) == 4 and isinstance(parts[0], Str) and isinstance(parts[2], Str):
                    pairs.append((parts[0].text, parts[2].text))
                else:
                    return frame  # a mapping not known: the columns may be any
        cols: dict[str, Col] = {}
        for old, new in pairs:
            col = frame.get(old)
            if col is not None:
                step = Step(node, f"'{old}' renamed to '{new}'")
                cols[new] = col if old == new else col.renamed(new, step)
        if name == "apply_mapping":
            return Frame(frame.lib, cols) if pairs else frame
        old, new = pairs[0] if pairs else ("", "")
        return frame.without([old]).with_col(new, cols[new]) if new in cols else frame

    def _bind_expr(self, value: Val, frame: Frame) -> Val:
        """Resolve a column expression (F.col / pl.col / a Series) against a frame."""
        if isinstance(value, Series) and not value.bound:
            out = []
            for expr_col in value.cols:
                base = None
                for origin in expr_col.origins:
                    base = frame.get(origin)
                    if base is not None:
                        break
                if base is None:
                    out.append(expr_col)
                    continue
                col = Col(expr_col.name, base.origins, base.treatment, base.flow + expr_col.flow)
                if expr_col.treatment != RAW:
                    col = Col(
                        col.name,
                        col.origins,
                        expr_col.treatment if base.treatment == RAW else base.treatment,
                        col.flow,
                    )
                out.append(col)
            return Series(tuple(out))
        if isinstance(value, Str) and value.known and value.text.isidentifier():
            col = frame.get(value.text)
            return Series((col,)) if col is not None else value
        return value

    def group_selection(self, group: Obj, key: Val) -> Obj:
        """``df.groupby(keys)["gallons"]`` (or ``[["gallons", "liters"]]``): the same groups,
        of those columns. What its aggregations give keeps the group keys: as the index
        (written with the values, or made columns again by ``reset_index()``), or as columns
        with ``as_index=False``."""
        items = key.items if isinstance(key, Seq) else (key,)
        names = tuple(k.text for k in items if isinstance(k, Str) and k.known)
        return Obj("groupby", {**group.data, "selected": names})

    def _series_method(self, series: Series, name: str, args, kwargs, node, env) -> Val:
        if (
            name == "get"
            and args
            and isinstance(args[0], Str)
            and args[0].known
            and any(c.record is not None for c in series.cols)
        ):
            # ev.get("event_type") of a record read as a field (body["events"]): its field, as
            # ev["event_type"] is, not the whole record
            return self.index(series, args[0], node)
        if name in _FILE_WRITERS or name in _DB_WRITERS or name in ("to_frame", "to_dict"):
            frame = Frame("pandas", {c.name: c for c in series.cols})
            return self._frame_method(frame, name, args, kwargs, node, env)
        if name in ("apply", "map", "transform", "map_elements", "applymap", "pipe", "agg"):
            fn = args[0] if args else kwargs.get("func", kwargs.get("function", UNKNOWN))
            return self._apply(series, fn, node)
        if name in ("items", "iteritems") and not args:
            # (key, value) pairs: a pandas Series' (index, value), a dict comprehension's
            # ({k: row[k] for k in FIELDS}) whose values are these columns
            return Seq((Seq((UNKNOWN, series)),))
        if name in ("round", "astype") and type(node) is ast.Call:
            # (s * 1000).astype(int) / 1000, (s * 1000).round() / 1000: a grid the scale says
            dtype = args[0] if args else kwargs.get("dtype")
            if name == "round" or _int_type(dtype):
                receiver = node.func.value if type(node.func) is ast.Attribute else None
                snapped = self._snapped(name, series, receiver, [series, *args], kwargs, node, env)
                if snapped is not None:
                    return snapped
        if name == "round":
            return self._round(series, args[0] if args else kwargs.get("decimals", Num(0)), node)
        if name == "slice" and args:
            start = args[0] if args else Num(0)
            stop = args[1] if len(args) > 1 else kwargs.get("stop", kwargs.get("length"))
            if (
                isinstance(stop, Num)
                and isinstance(stop.value, int)
                and (isinstance(start, Num) and start.value in (0, None))
            ):
                step = Step(node, f"truncated to {stop.value} characters")
                return Series(
                    tuple(c.treated(f"truncate:{stop.value}", step) for c in series.cols),
                    series.bound,
                )
            return series
        if name in ("hash", "hash_rows", "hash_pandas_object") or name in _HASHLIB:
            return self._hash(f"{name}()", [series], node, series.bound)
        if name in ("hexdigest", "digest"):
            return series
        if name in ("alias", "name", "rename", "set_name"):
            if args and isinstance(args[0], Str):
                new = args[0].text
                return Series(tuple(c.renamed(new) for c in series.cols), series.bound)
            return series
        if name in ("floor", "dt", "to_period", "year", "truncate", "cut"):
            step = Step(node, f"generalised by {name}()")
            return Series(tuple(c.treated("bucket", step) for c in series.cols), series.bound)
        if self._protective_name(name):
            return self._protect([series], name, node)
        if name in _AGGREGATES or name in ("value_counts", "nunique", "unique_counts", "n_unique"):
            return UNKNOWN
        return series

    def _apply(self, value: Val, fn: Val, node) -> Val:
        if isinstance(fn, Func):
            result = self.call_func(fn, [value], {}, node)
            if isinstance(result, (Series, Str)) and cols_of(result):
                return Series(cols_of(result), value.bound if isinstance(value, Series) else True)
            if isinstance(result, Unknown) and result.name == "hash":
                return UNKNOWN
            if isinstance(result, (Num,)) or (isinstance(result, Str) and not result.cols):
                return UNKNOWN
            return value
        if isinstance(fn, Ref):
            return self.call_ref(fn.qname, [value], {}, node, {})
        if isinstance(fn, Unknown) and fn.name:
            return (
                self._call_unknown(fn.name, [value], {}, node)
                if self._protective_name(fn.name)
                else value
            )
        return value

    # ---- Apache Beam
    def _beam_transform(self, last: str, args, kwargs, node) -> Val:
        """A Beam transform (``beam.io.WriteToText(path)``, ``beam.Map(fn)``), applied to a
        collection by ``beam_apply``; a pipeline; a read's elements."""
        if last in _BEAM_WRITES:
            kind, index, keyword = _BEAM_WRITES[last]
            where = args[index] if len(args) > index else kwargs.get(keyword)
            target = where.text if isinstance(where, Str) and where.text else None
            if kind == "file" and target and target.startswith(_STORAGE_SCHEMES):
                kind = "storage"
            data = {"sink": kind, "api": f"beam.io.{last}", "target": target}
            return Obj("beam-write", data)
        if last in _BEAM_ELEMENTWISE and (args or "fn" in kwargs):
            fn = args[0] if args else kwargs["fn"]
            extra = {k: v for k, v in kwargs.items() if k != "fn"}
            return Obj("beam-map", {"name": last, "fn": fn, "args": args[1:], "kwargs": extra})
        if last in _BEAM_SAME_ELEMENTS:
            return Obj("beam-keep")
        if last in _BEAM_GROUPS:
            return Obj("beam-group", {"name": last})
        if last == "Create" and args:
            return Obj("beam-read", {"value": self.iterate(args[0])})
        if last in _BEAM_TABLE_READS:
            label = f"read by beam.io.{last}"
            query = kwargs.get("query")
            parsed = sql.select_columns(query.text) if isinstance(query, Str) else None
            if parsed is not None:
                return Obj("beam-read", {"value": self._sql_frame("rows", parsed, node, label)})
            return Obj("beam-read", {"value": Frame("rows", {}, (Source(node, label),))})
        if last in ("Pipeline", "TestPipeline"):
            return Obj("beam-pipeline")
        if last[:1].isupper():
            # another transform (Count.PerKey(), CombinePerKey(sum), WithKeys(fn)): what it
            # gives is not known, not the collection it is applied to
            return Obj("beam-other")
        return UNKNOWN

    def beam_apply(self, left: Val, transform: Obj, node, env) -> Val:
        """``pcoll | transform``: what the collection becomes, its elements written to a sink
        by a write. A collection is the value of one of its elements (as a comprehension's)."""
        kind, data = transform.kind, transform.data
        if kind == "beam-write":
            target, sink = data["target"], data["sink"]
            host = self._bucket(target) if sink == "storage" else None
            self._sink(sink, data["api"], left, node, target=target, host=host)
            return UNKNOWN
        if kind == "beam-read":
            return data["value"]
        if kind == "beam-keep":
            return left
        if kind == "beam-group":
            # GroupByKey: (key, the values of that key) for (key, value) pairs; GroupBy(fn):
            # (a key, the elements)
            if data["name"] == "GroupBy":
                return Seq((UNKNOWN, Seq((left,))))
            if isinstance(left, Seq) and len(left.items) == 2:
                return Seq((left.items[0], Seq((left.items[1],))))
            return UNKNOWN
        if kind != "beam-map":
            return UNKNOWN
        name, fn = data["name"], data["fn"]
        if name == "Filter":
            return left
        args = [left]
        if name in ("MapTuple", "FlatMapTuple") and isinstance(left, Seq):
            args = list(left.items)
        args += data["args"]
        if name == "ParDo":  # a DoFn of the module: its process() yields the elements
            if not (isinstance(fn, Obj) and fn.kind == "instance"):
                return UNKNOWN
            result = self.instance_method(
                fn.data["cls"], "process", args, data["kwargs"], node, env
            )
        else:
            result = self.call_value(fn, args, data["kwargs"], node, env) or UNKNOWN
        return self.iterate(result) if name in ("FlatMap", "FlatMapTuple", "ParDo") else result


# pandas' query expressions compare (``dwell_min > 120``, ``ward == @w``, ``x in [1, 2]``);
# SQL given to a client's query() starts with its verb (anchored: under search, as
# test_linear_patterns runs every pattern, a bare \s* backtracks quadratically on spaces).
_FRAME_QUERY = re.compile(r"[<>=!]=?|\bin\b")


# Row filters of a grouping's statistics that may drop its small cells (``_frame_method``).
_CELL_FILTERS = frozenset({"query", "where", "filter", "mask"})


def built_frame(style: str, data: Val, columns: Val, node: ast.AST, label: str) -> Frame:
    """A frame built from ``data`` (pandas' ``DataFrame(data, columns=...)``, Spark's
    ``createDataFrame(data, schema)``): another frame restyled, else the listed columns as
    read here, else a source of unknown columns."""
    if isinstance(data, Frame):
        return data.restyled(style)
    if isinstance(columns, Seq):
        names = [c.text for c in columns.items if isinstance(c, Str)]
        return Frame(style, {n: Col(n, (n,), RAW, (Step(node, label),)) for n in names})
    return Frame(style, {}, (Source(node, label),))


def _frame_query(args: list, kwargs: dict) -> bool:
    """``.query(expr)`` as pandas' DataFrame.query: one text that compares, no SQL."""
    expr = args[0] if len(args) == 1 else kwargs.get("expr") if not args else None
    return (
        isinstance(expr, Str)
        and _FRAME_QUERY.search(expr.text) is not None
        and _SQL_VERB.match(expr.text) is None
        and set(kwargs) <= {"expr", "inplace", "engine", "parser", "local_dict", "global_dict"}
    )


def _by_row(args, kwargs) -> bool:
    """``DataFrame.apply(func, axis=1)`` (or ``axis="columns"``): func is given each row."""
    axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
    if isinstance(axis, Num):
        return axis.value == 1
    return isinstance(axis, Str) and axis.text == "columns"


def _row_values(result: Val) -> Series | None:
    """What a row-wise apply gives when the function's result is known as columns: its
    value, or a tuple's values (``result_type="expand"``) together. None otherwise (a row
    returned whole, a function not followed): the frame, as before."""
    if isinstance(result, Series):
        return result
    if isinstance(result, Seq):
        cols = tuple(col for item in result.items for col in cols_of(item))
        if cols and all(isinstance(item, Series) for item in result.items):
            return Series(cols)
    return None
