"""What the data-flow analysis knows about libraries: pandas, PySpark, polars, DB-API
cursors, csv/json, pathlib, HTTP clients, object storage, mail/FTP/SFTP, Kafka, logging and
Airflow.

A mixin of ``Analyzer`` (``python_dataflow``): each method turns a call on a known API into
abstract values (frames, columns, strings) and facts (sinks, hashes, endpoints).
"""

from __future__ import annotations

import ast
import dataclasses
import math
import posixpath
import re
from collections.abc import Callable, Sequence
from typing import Any

from dhlint.frontends.python import LOGGER_NAMES, PEER_METHODS
from dhlint.models import python_sql as sql
from dhlint.models.python_values import (
    AGGREGATE,
    RAW,
    UNKNOWN,
    Col,
    DocumentSource,
    Frame,
    Func,
    ModelSource,
    Num,
    Obj,
    QuerySource,
    RecordSource,
    Ref,
    Seq,
    Series,
    Source,
    Step,
    Str,
    TreatedSource,
    Unknown,
    Val,
    cols_of,
    env_of,
    join,
    join_all,
    merge_cols,
    mixture,
    setting_values,
)

Env = dict[str, Val]

# Functions that snap a number to whole units: of a coordinate scaled first (``x * 1000``,
# ``x / CELL``), a grid as coarse as the scale says (``math.trunc(lat * 1000) / 1000``: 3
# decimals). What each does, for the flow.
_SNAPS = {
    "math.floor": "floored",
    "math.ceil": "rounded up",
    "math.trunc": "truncated",
    "numpy.floor": "floored",
    "numpy.ceil": "rounded up",
    "numpy.trunc": "truncated",
    "numpy.fix": "truncated",
    "numpy.rint": "rounded",
    "builtins.int": "truncated",
    "builtins.round": "rounded",
    "numpy.round": "rounded",
    "numpy.around": "rounded",
    "numpy.round_": "rounded",
    # methods: (s * 1000).astype(int), (s * 1000).round()
    "astype": "truncated",
    "round": "rounded",
}
_ROUNDS = frozenset({"builtins.round", "numpy.round", "numpy.around", "numpy.round_", "round"})
_INT_TYPES = frozenset({"int", "int8", "int16", "int32", "int64", "Int32", "Int64", "long"})

# ---------------------------------------------------------------------------- API tables
# Functions whose result holds what their first argument holds: a record's fields as a dict or
# a tuple (dataclasses, attrs), a copy.
_HOLD_THE_ARGUMENT = frozenset(
    {
        *("dataclasses.asdict", "dataclasses.astuple", "attr.asdict", "attrs.asdict"),
        *("attrs.astuple", "copy.copy", "copy.deepcopy"),
    }
)
# ... what any of their arguments holds
_ANY_DATA = frozenset(
    (
        *("itertools.chain", "itertools.chain.from_iterable"),
        # shapely geometries hold their coordinates (a GeoJSON feature's geometry)
        *("shapely.geometry.Point", "shapely.Point", "shapely.geometry.mapping"),
        *("shapely.geometry.shape", "shapely.geometry.LineString", "shapely.LineString"),
    )
)
# Grid cells of a point: geohash.encode(lat, lon, precision), h3's cell at a resolution. How many
# decimals of a coordinate a cell is as precise as (geohash 7, h3 9: about 150 m, 3 decimals).
_GEOHASH = frozenset(("geohash", "pygeohash", "geohash2", "pgh"))
_H3_CELLS = frozenset(("latlng_to_cell", "geo_to_h3"))
# Values of the process, not of people (a worker's pid is no person id).
# What makes an object for a process (of the OS or Python's): see ``_PROCESS_IDS``.
_PROCESSES = frozenset(
    ("subprocess.Popen", "psutil.Process", "psutil.Popen", "multiprocessing.Process",
     "multiprocessing.current_process", "multiprocessing.parent_process",
     "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell")
)  # fmt: skip
_PROCESS_VALUES = frozenset(
    ("os.getpid", "os.getppid", "os.getuid", "os.getgid", "threading.get_ident")
)
# Builtins that take a dict's keys (iterate it).
_KEYS_OF = frozenset(
    ("list", "tuple", "set", "frozenset", "sorted", "iter", "reversed", "enumerate", "zip")
)
# A web request's body, read by a view from its request parameter (Starlette, aiohttp).
_REQUEST_BODIES = frozenset(("json", "form", "get_json", "post"))
_RECORD_METHODS = frozenset(("_asdict", "dict", "json", "model_dump", "model_dump_json"))
# Class methods that build a record from a mapping (pydantic v2 and v1; NamedTuple's _make).
_RECORD_BUILDERS = frozenset(
    ("model_validate", "parse_obj", "validate", "from_orm", "model_construct", "construct")
)
_DICTS = {"collections.Counter", "collections.defaultdict", "collections.OrderedDict"}
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
    "sink_parquet", "sink_csv", "sink_ipc", "sink_ndjson", "write_delta",
}  # fmt: skip
_DB_WRITERS = {"to_sql", "to_gbq", "write_database"}
# google.cloud.bigquery.Client's methods that write rows into a table.
_BIGQUERY_WRITES = frozenset(
    {"insert_rows", "insert_rows_json", "load_table_from_dataframe", "load_table_from_json"}
)
# bigquery.Client's constructors from a service account's key (a file, or its parsed JSON).
_BIGQUERY_FACTORIES = (
    "Client.from_service_account_json",
    "Client.from_service_account_info",
)
# ... and its methods that run a query: the job (iterated, .result(), .to_dataframe()) or,
# query_and_wait, the rows themselves hold the SELECT's columns.
_BIGQUERY_QUERIES = frozenset({"query", "query_and_wait"})
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
_FRAME_SCALAR_ATTRS = {
    "shape", "size", "empty", "columns", "dtypes", "ndim", "index", "schema", "height",
    "width", "rdd", "dtype", "name", "count", "is_empty", "attrs", "flags", "axes",
}  # fmt: skip
_ACCESSORS = {
    "loc", "iloc", "at", "iat", "str", "dt", "cat", "arr", "list", "struct", "T", "na", "values",
    "array",
}  # fmt: skip
_HASHLIB = {
    "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256",
    "sha3_384", "sha3_512", "blake2b", "blake2s", "shake_128", "shake_256",
}  # fmt: skip
_SPARK_HASHES = {"md5", "sha1", "sha2", "hash", "xxhash64", "crc32"}
# polars functions that make one value of several columns.
_POLARS_COMBINERS = frozenset(
    {"concat_str", "struct", "concat_list", "coalesce", "format", "max_horizontal",
     "min_horizontal"}
)  # fmt: skip
_HTTP_VERBS = {
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "request",
    "stream",
    "send",
    "fetch",
}
_HTTP_MODULES = ("requests", "httpx", "aiohttp", "urllib3", "niquests")
# The TLS facts a connection string's settings give (``python_dataflow._DSN_TLS_KINDS``).
_DSN_TLS_FACTS = ("sslmode-disable", "encrypt-off", "trust-server-certificate")
_DB_MODULES = (
    "sqlite3", "psycopg2", "psycopg", "pymysql", "mysql", "pyodbc", "cx_Oracle", "oracledb",
    "sqlalchemy", "duckdb", "snowflake", "pg8000", "asyncpg",
)  # fmt: skip
# Every top-level package ``call_ref`` gives a meaning to (a test keeps this in step with it).
KNOWN_MODULES = frozenset(
    {
        *_HTTP_MODULES, *_DB_MODULES, "hashlib", "hmac", "builtins", "os", "urllib",
        "posixpath", "pandas", "polars", "pyspark", "boto3", "botocore", "google", "azure",
        "smtplib", "ftplib", "paramiko", "pysftp", "kafka", "confluent_kafka", "aiokafka",
        "io", "csv", "json", "orjson", "ujson", "simplejson", "yaml", "pickle", "logging",
        "loguru", "structlog", "ssl", "airflow", "dask", "pathlib", "paho", "awswrangler",
        "twilio",
    }
)  # fmt: skip
_PATH_CLASSES = frozenset({"Path", "PurePath", "PosixPath", "WindowsPath"})
_LOG_METHODS = {
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
    "msg",
}
_LOGGER_NAME = re.compile(rf"(^|\.)_*({'|'.join(LOGGER_NAMES)})$")
# String methods that keep the value's identity (for values known only by their name).
_SAME_VALUE_METHODS = {
    "encode", "decode", "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title",
    "replace", "zfill", "ljust", "rjust",
}  # fmt: skip
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


_MESSAGES = frozenset(
    {"EmailMessage", "Message", "MIMEText", "MIMEMultipart", "MIMEApplication", "MIMEBase"}
)
# Airflow and database hooks that run a query and return its rows.
_HOOK_QUERIES = {"get_pandas_df", "get_records", "get_first", "get_df", "get_polars_df"}
_CURSOR_WRITES = {"execute", "executemany", "execute_values", "copy_expert", "copy_from"}
# PublisherClient.publish's keywords that stay in the client (an ordering key is sent, as a
# Kafka message's key is).
_PUBSUB_OPTIONS = frozenset({"retry", "timeout"})


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
# Azure Event Hubs and Service Bus, Azure's Kafka: the methods of a producer or sender that send
# events or messages (a list of them, or a batch filled with add/add_message), and the
# keywords that go with them (a partition key, as a Kafka message's key, is sent).
_BUS_SENDS = frozenset({"send_event", "send_batch", "send_messages", "schedule_messages"})
_BUS_SENT = frozenset({"event_data", "event_data_batch", "message", "messages", "partition_key"})
_BUS_MESSAGES = frozenset({"EventData", "ServiceBusMessage", "AmqpAnnotatedMessage"})


def _is_true(value: Val | None) -> bool:
    return isinstance(value, Num) and value.value is True


# Django's QuerySet (and manager) methods that give one row (also one made: create), or rows of
# the same model.
_DJANGO_ONE_ROW = frozenset({"get", "first", "last", "earliest", "latest", "get_or_none", "create"})
_DJANGO_SAME_ROWS = frozenset(
    {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "distinct",
     "only", "defer", "annotate", "using", "reverse", "iterator", "select_for_update"}
)  # fmt: skip
# boto3's messaging calls (keywords only) and the keywords whose values go out with the message.
_AWS_SENT = ("MessageAttributes", "MessageGroupId", "MessageDeduplicationId")
_AWS_MESSAGES = {
    ("sqs", "send_message"): ("MessageBody", *_AWS_SENT),
    ("sqs", "send_message_batch"): ("Entries",),
    ("sqs", "send_messages"): ("Entries",),  # a resource's Queue (its batch)
    ("sns", "publish"): ("Message", "Subject", *_AWS_SENT),
    ("sns", "publish_batch"): ("PublishBatchRequestEntries",),
    ("ses", "send_email"): ("Message",),
    ("ses", "send_raw_email"): ("RawMessage",),
    ("ses", "send_templated_email"): ("TemplateData",),
    ("ses", "send_bulk_templated_email"): ("DefaultTemplateData", "Destinations"),
    ("sesv2", "send_email"): ("Content",),
    ("sesv2", "send_bulk_email"): ("DefaultContent", "BulkEmailEntries"),
    # Kinesis and Firehose streams: the record (its data; a partition key is sent too)
    ("kinesis", "put_record"): ("Data", "PartitionKey", "ExplicitHashKey"),
    ("kinesis", "put_records"): ("Records",),
    ("firehose", "put_record"): ("Record",),
    ("firehose", "put_record_batch"): ("Records",),
}
# The keywords naming the stream a Kinesis or Firehose put writes to (the inventory joins it to
# the aws_kinesis_stream or aws_kinesis_firehose_delivery_stream of that name).
_STREAM_KEYWORDS = {"kinesis": ("StreamName", "StreamARN"), "firehose": ("DeliveryStreamName",)}


def _stream_name(service: str, kwargs: dict) -> str | None:
    """The stream a put names whole (``StreamName="reads"``, a constant, the name in a
    ``StreamARN``), or None."""
    for keyword in _STREAM_KEYWORDS.get(service, ()):
        value = kwargs.get(keyword)
        if isinstance(value, Str) and value.known and value.text:
            text = value.text
            if keyword == "StreamARN":
                head, _, text = text.partition(":stream/")
                if not head.startswith("arn:"):
                    return None
            return text or None
    return None


# The Twilio SDK (``twilio.rest.Client``): the resources whose ``create`` sends a message or
# places a call through Twilio's API host, and the keywords that say who to and from (not sent
# data: the message's purpose, ``_twilio_send``).
_TWILIO_HOST = "api.twilio.com"
_TWILIO_SENDS = frozenset({"messages", "calls"})
_TWILIO_PARTIES = frozenset({"to", "from_", "messaging_service_sid", "status_callback"})
# boto3 resources' queues and topics (``boto3.resource("sqs").Queue(url)``): they send as
# the client does (``send_message``, ``publish``), to the queue or topic named when made.
_AWS_RESOURCES = frozenset(
    {("sqs", "Queue"), ("sqs", "get_queue_by_name"), ("sqs", "create_queue"),
     ("sns", "Topic"), ("sns", "create_topic"), ("sns", "PlatformEndpoint"),
     ("sns", "create_platform_endpoint")}
)  # fmt: skip
# DynamoDB's writes of items (a resource's Table and its batch_writer, or the client) and the
# keywords that hold what is written: the item, an update's key and values.
_DYNAMODB_WRITES = {
    "put_item": ("Item",),
    "update_item": ("Key", "ExpressionAttributeValues", "AttributeUpdates"),
    "batch_write_item": ("RequestItems",),
    "transact_write_items": ("TransactItems",),
}
# azure-cosmos: a container's writes of items (ContainerProxy, sync and aio) and where what is
# written is passed, by position and keyword: the document, a replacement's body, a patch's
# operations (each writes its value at its path), a transactional batch's operations.
_COSMOS_WRITES = {
    "create_item": (0, "body"),
    "upsert_item": (0, "body"),
    "replace_item": (1, "body"),
    "patch_item": (2, "patch_operations"),
    "execute_item_batch": (0, "batch_operations"),
}
# ... and the methods that give a database's or a container's proxy, named by their first
# argument (or id=).
_COSMOS_DATABASES = frozenset(
    {"get_database_client", "create_database", "create_database_if_not_exists"}
)
_COSMOS_CONTAINERS = frozenset(
    {"get_container_client", "create_container", "create_container_if_not_exists"}
)
# awswrangler's writes into a table (Athena/Glue, databases, DynamoDB).
_WRANGLER_TABLE_WRITES = frozenset({"to_iceberg", "to_sql", "put_df", "put_items"})
# The low-level client's typed values: {"card_number": {"S": value}} holds value as card_number.
_DYNAMODB_TYPES = frozenset({"S", "N", "B", "SS", "NS", "BS", "M", "L", "BOOL", "NULL"})
# A SQLAlchemy session's reads of a model's rows, and its results' (Query's) methods.
_ORM_READS = frozenset({"execute", "scalars", "scalar", "query", "get"})
_ORM_ONE_ROW = frozenset(
    {"first", "one", "one_or_none", "scalar_one", "scalar_one_or_none", "scalar", "fetchone",
     "get"}
)  # fmt: skip
_ORM_SAME_ROWS = frozenset(
    {"all", "fetchall", "scalars", "unique", "mappings", "filter", "filter_by", "where",
     "order_by", "limit", "offset", "options", "join", "outerjoin", "distinct", "yield_per",
     "execution_options", "partitions", "fetchmany", "__iter__"}
)  # fmt: skip
# A cursor's (or SQLAlchemy result's) methods that return one row, a tuple by position.
_ONE_ROW = {"fetchone", "first"}
_STORAGE_SCHEMES = (
    "s3://",
    "s3a://",
    "s3n://",
    "gs://",
    "gcs://",
    "abfs://",
    "abfss://",
    "az://",
    "wasbs://",
    "wasb://",
    "adl://",
)


class LibraryCalls:
    """Calls on library APIs (mixed into ``Analyzer``, whose state it uses)."""

    def _key_in_code(self, node: Any, key: Val | None) -> tuple[str, Any] | None:
        """A key a call (``hmac.new``, ``blake2b(key=)``) is surely given from the code: how
        it names it (``'PLATE_KEY'``, ``'self.KEY'``, or "a literal") and where its text is
        written. None for any other key, or a name the module may bind to another value."""
        if not _literal_key(key):
            return None
        arg = next((k.value for k in getattr(node, "keywords", ()) if k.arg == "key"), None)
        if arg is None and getattr(node, "args", None):
            arg = node.args[0]
        while type(arg) is ast.Call and type(arg.func) is ast.Attribute:  # KEY.encode()
            arg = arg.func.value
        name = ""
        if type(arg) in (ast.Name, ast.Attribute):
            rebound = getattr(self, "_rebound_names", None)
            if rebound is None:
                rebound = self._rebound_names = _rebound(self.tree)
            last = arg.id if type(arg) is ast.Name else arg.attr
            if last in rebound:
                return None
            name = ast.unparse(arg)
        nodes = key.nodes  # type: ignore[union-attr]
        return (f"'{name}'" if name else "a literal"), (nodes[0] if nodes else node)

    # ------------------------------------------------------------------ calls to imported names
    def call_ref(self, qname: str, args, kwargs, node, env) -> Val:
        if qname in ("hmac.new", "hmac.digest", "hmac.HMAC"):
            key = args[0] if args else kwargs.get("key")
            msg = args[1:2] or ([kwargs["msg"]] if "msg" in kwargs else [])
            if _empty_key(key):
                return self._hash("hmac (empty key)", msg, node)  # a public function
            written = self._key_in_code(node, key)
            if written:  # a key anyone with the repository holds
                return self._hash("hmac", msg, node, key=written)
            return self._protect(msg, qname, node)
        if self._protective_name(qname):
            return self._protect(args, qname, node)
        top, _, _rest = qname.partition(".")
        last = qname.rsplit(".", 1)[-1]
        if qname in _DICTS:  # Counter(r["email"] for r in rows): keyed by what it counts
            cols: dict[str, Col] = {}
            if args and qname != "collections.defaultdict":
                self._keep_cols(cols, self.iterate(args[0]), node)
            return Frame("dict", cols)
        if qname == "django.shortcuts.get_object_or_404" and args:
            return self._django_object(args[0], node)
        if last in _DJANGO_MAIL and qname.startswith("django.core.mail."):
            return self._django_mail(last, args, kwargs, node)
        if qname in ("flask.request.get_json", "flask.request.get_data"):
            return self.request_data(f"request.{last}()", node)  # the body a view receives
        if qname == "functools.partial" and args:  # of a function of the module or a library's
            return Obj("partial", {"func": args[0], "args": args[1:], "kwargs": kwargs})
        if top == "sqlalchemy" and last in ("Table", "table") and args:
            name = args[0].text if isinstance(args[0], Str) else None
            return Obj("sql-table", {"name": name})
        if top == "sqlalchemy" and last == "insert" and args:  # insert(contacts)
            return self._sql_insert(args[0], {})
        if top in ("sqlalchemy", "sqlmodel") and last == "select" and args:
            frame = self._orm_frame(node, env, f"read by {self._text(node)}")
            return Obj("orm-select", {"frame": frame}) if frame is not None else UNKNOWN
        if top == "hashlib":
            if last == "new" and args:
                algo = args[0].text if isinstance(args[0], Str) else "hash"
                return self._hash(algo, args[1:], node)
            if last in _HASHLIB:
                if last in ("blake2b", "blake2s") and _keyed_blake2(kwargs):
                    # blake2b(v, key=KEY): hashlib's keyed mode, its documented HMAC
                    key = self._key_in_code(node, kwargs["key"])
                    if key:
                        if not args:
                            return Obj("hasher", {"algo": last, "key": key})
                        return self._hash(last, args, node, key=key)
                    if not args:
                        return Obj("hasher", {"algo": last, "keyed": True})
                    return self._protect(args, f"hmac.{last}", node)
                return self._hash(last, args, node)
            return UNKNOWN
        if qname == "builtins.hash":
            if self.func_name.endswith("__hash__"):  # an object's own hash: a dict's key, kept
                return Unknown("hash")  # in memory, not a pseudonym (probe37 15)
            return self._hash("hash()", args, node)
        manager, _, method = qname.rpartition(".objects.")
        if method and manager.rpartition(".")[2][:1].isupper() and "." not in method:
            return self._django_rows(manager.rpartition(".")[2], method, args, node)
        if qname in _SNAPS and "." in qname and args:
            snapped = self._snapped(
                qname, args[0], self._call_operand(node), args, kwargs, node, env
            )
            if snapped is not None:
                return snapped
        if top == "builtins":
            return self._builtin(last, args, kwargs, node)
        if qname in ("os.environ.get", "os.getenv"):
            name = args[0].text if args and isinstance(args[0], Str) else "?"
            default = args[1] if len(args) > 1 else kwargs.get("default")
            if isinstance(default, Str):
                return Str(default.text, "env-default", default.nodes)
            return Unknown(f"env:{name}")
        if qname in ("urllib.parse.urljoin", "posixpath.join", "os.path.join"):
            result: Val = args[0] if args else UNKNOWN
            for arg in args[1:]:
                sep = Str("/") if qname != "urllib.parse.urljoin" else Str("")
                result = self._concat(self._concat(result, sep), arg)
            return result
        if top == "pathlib":
            return self.path_of(args) if last in _PATH_CLASSES else UNKNOWN
        if top == "pandas":
            return self._pandas(last, args, kwargs, node)
        if top == "polars":
            return self._polars(last, args, kwargs, node)
        if top == "pyspark":
            if last in ("getOrCreate", "SparkSession", "builder"):
                return Obj("spark")
            return self._spark_fn(last, args, kwargs, node)
        if top in _HTTP_MODULES or qname.startswith("urllib.request"):
            return self._http_ref(qname, last, args, kwargs, node)
        if top == "awswrangler":
            return self._wrangler(qname, last, args, kwargs, node)
        if top == "boto3" or qname.startswith("botocore"):
            return self._boto(last, args, kwargs, node)
        if qname.startswith("google.cloud.bigquery") and (
            last == "Client" or qname.endswith(_BIGQUERY_FACTORIES)
        ):
            return Obj("bigquery")
        if qname.startswith("google.cloud.pubsub") and last == "PublisherClient":
            return Obj("pubsub")  # Pub/Sub is GCP's Kafka: publish sends as produce does
        if qname.startswith("google.cloud.pubsub") and last == "topic_path":
            return self._topic_path(args, kwargs)  # PublisherClient.topic_path, a static method
        if qname.startswith("google.cloud.storage"):
            if last == "Client":
                options = kwargs.get("client_options")
                if isinstance(options, Frame) and options.entries:
                    self._endpoint(
                        f"{qname}(api_endpoint)", options.entries.get("api_endpoint"), node
                    )
                return Obj("gcs")
            return Obj("gcs")
        if qname.startswith(("azure.eventhub", "azure.servicebus")):
            self._azure_namespace(qname, last, args, kwargs, node)
            return _azure_bus(qname, last, args, kwargs)
        if qname.startswith("azure.cosmos"):
            # CosmosClient (sync or aio), from_connection_string: its databases' containers
            return Obj("cosmos") if last in ("CosmosClient", "from_connection_string") else UNKNOWN
        if qname.startswith("azure.storage"):
            url = kwargs.get("account_url") or (args[0] if args else None)
            if last == "from_connection_string" and isinstance(url, Str):
                url = _account_endpoint(qname, url)
            if last in (
                "BlobServiceClient",
                "BlobClient",
                "ContainerClient",
                "from_connection_string",
                "DataLakeServiceClient",
                "FileSystemClient",
                "DataLakeDirectoryClient",
                "DataLakeFileClient",
            ):
                self._endpoint(f"{qname}", url, node)
            return _azure_client(qname, last, args, kwargs, url)
        if top == "email" and last in _MESSAGES:  # MIMEText(body), EmailMessage()
            return Obj("message", {"payload": args[0]} if args else {})
        if top == "smtplib":
            host = args[0] if args else kwargs.get("host")
            scheme = "smtps" if last == "SMTP_SSL" else "smtp"
            self._endpoint(qname, self._host_url(scheme, host), node, from_host=True)
            return Obj("smtp", {"host": self._host_text(host)})
        if top == "twilio" and last == "Client":  # twilio.rest.Client(sid, token)
            return Obj("twilio")  # its resources' create() send to Twilio's API (_twilio_send)
        if top == "ftplib":
            host = args[0] if args else kwargs.get("host")
            scheme = "ftps" if last == "FTP_TLS" else "ftp"
            self._endpoint(qname, self._host_url(scheme, host), node, from_host=True)
            return Obj("ftp", {"host": self._host_text(host)})
        if top == "paramiko":
            if last == "SSHClient":
                return Obj("ssh")
            if last in ("Transport",):
                host = args[0] if args else None
                if isinstance(host, Seq) and host.items:
                    host = host.items[0]
                self._endpoint(qname, self._host_url("sftp", host), node, from_host=True)
                # Transport((os.environ["SFTP_HOST"], 22)): the variable goes with the
                # connection to the SFTP client and its put (DH690 reports the put)
                return Obj("ssh", {"host": self._host_text(host), "env": env_of(host)})
            if last == "from_transport":
                transport = args[0] if args and isinstance(args[0], Obj) else None
                return Obj(
                    "sftp",
                    {
                        "host": transport.data.get("host") if transport else None,
                        "env": env_of(transport),
                    },
                )
            return UNKNOWN
        if top == "pysftp" and last == "Connection":
            host = args[0] if args else kwargs.get("host")
            self._endpoint(qname, self._host_url("sftp", host), node, from_host=True)
            return Obj("sftp", {"host": self._host_text(host)})
        if top == "paho":
            return self._paho(qname, last, args, kwargs, node)
        if top in ("kafka", "confluent_kafka", "aiokafka"):
            if "Producer" in last:
                servers = kwargs.get("bootstrap_servers")
                config = args[0] if args else kwargs.get("conf")
                if servers is None and isinstance(config, Frame) and config.entries:
                    servers = config.entries.get("bootstrap.servers")
                items = servers.items if isinstance(servers, Seq) else (servers,)
                hosts: list[str] = []
                for item in items:
                    if isinstance(item, Str):  # "broker1:9093,broker2:9093"
                        for server in item.text.split(","):
                            url = Str(f"kafka://{server.strip()}", item.via, item.nodes)
                            api = f"{qname}(bootstrap_servers)"
                            hosts += self._endpoint(api, url, node, from_host=True)
                # its sends go to those brokers (the message and the inventory name them)
                return Obj("kafka", {"hosts": tuple(dict.fromkeys(hosts))} if hosts else {})
            if "Consumer" in last:  # what it polls is data read from the topic, not a parameter
                return Obj("kafka-consumer", {"node": node})
            return UNKNOWN
        if top == "io" and last in ("StringIO", "BytesIO"):
            initial = args[0] if args else UNKNOWN
            return Obj("file", {"path": None, "memory": True, "payload": initial})
        if top == "csv":
            return self._csv(last, args, kwargs, node)
        if qname in _ANY_DATA:  # chain(a, b): what any of them holds
            return join_all(args)
        if qname in _PROCESS_VALUES:
            return Num(0)
        if qname in _PROCESSES:  # subprocess.Popen(cmd): its .pid is a process's id
            return Obj("process")
        if qname == "psutil.process_iter":
            return Seq((Obj("process"),))
        if (top in _GEOHASH and last == "encode") or (top == "h3" and last in _H3_CELLS):
            return self._grid_cell(top, args, kwargs, node)
        if qname == "urllib.parse.urlencode" and args:  # a query string of the values
            return Str("{...}", "concatenation", (), cols_of(args[0]))
        if top == "numpy" and last in ("round", "around", "round_") and args:
            return self._round(
                args[0], args[1] if len(args) > 1 else kwargs.get("decimals", Num(0)), node
            )
        if qname in ("re.sub", "re.subn") and (len(args) > 2 or "string" in kwargs):
            # re.sub(r"\D", "", phone): the phone's digits, still the phone
            return args[2] if len(args) > 2 else kwargs["string"]
        if qname in _HOLD_THE_ARGUMENT:  # asdict(rider), deepcopy(rec)
            if last in ("asdict", "astuple") and args:
                return _all_fields(args[0])
            return args[0] if args else UNKNOWN
        if top == "json" or top in ("orjson", "ujson", "simplejson", "yaml", "pickle"):
            if last in ("dump",) and len(args) >= 2:
                self._sink_to_handle(args[1], args[0], f"{top}.dump", node)
                return UNKNOWN
            if last == "loads" and args and type(args[0]) is Unknown:
                text = args[0]
                if text.source is None and text.receiver is None:
                    # a message parsed from what is not a parameter itself (paho's
                    # json.loads(msg.payload)): a record whose fields are what the code reads
                    # from it, as json.loads(msg) of a parameter is
                    label = f"parsed by {qname}" + (f" from '{text.name}'" if text.name else "")
                    return Unknown(text.name, Source(node, label, weak=True))
            if last == "loads" and args and type(args[0]) is Series and len(args[0].cols) == 1:
                field = args[0].cols[0]
                if field.treatment == RAW and self.confidence(field.name) is None:
                    # a record's field holding JSON text (a Lambda's event["body"], an SQS
                    # record's record["body"]): parsed, a record as json.loads(msg.payload)'s
                    label = f"parsed by {qname} from field '{field.name}'"
                    return Unknown("", Source(node, label, weak=True))
            if last in ("dumps", "loads"):
                return args[0] if args else UNKNOWN
            if last in ("load", "safe_load"):
                handle = args[0] if args else UNKNOWN
                if isinstance(handle, Obj) and isinstance(self.payload(handle), Val):
                    return handle.data["payload"]
                return Frame("rows", {}, (DocumentSource(node, f"read by {qname}"),))
            return UNKNOWN
        if qname == "operator.itemgetter" and args:
            return Obj("itemgetter", {"keys": args})
        if top == "jsonlines" and last in ("open", "Writer") and args:
            # jsonlines.open(path, mode="a"), jsonlines.Writer(fh): a file of JSON lines
            if last == "Writer":
                return args[0]
            return self._builtin("open", args[:1], {"mode": kwargs.get("mode", Str("r"))}, node)
        if qname in ("warnings.warn", "warnings.warn_explicit"):
            # Printed to stderr, and with logging.captureWarnings(True) logged: the message
            self._logged(qname, args[:1] or [kwargs.get("message", UNKNOWN)], {}, node)
            return UNKNOWN
        if top in ("logging", "loguru", "structlog"):
            if last == "LoggerAdapter":  # its extra dict goes out with every line logged
                extra = args[1] if len(args) > 1 else kwargs.get("extra")
                return Obj("logger", {"bound": {"extra": extra}} if extra is not None else {})
            if last == "bind" and kwargs:  # loguru's logger.bind(phone=...)
                return Obj("logger", {"bound": dict(kwargs)})
            if last in ("getLogger", "get_logger", "getChild", "logger"):
                return Obj("logger")
            if last in _LOG_METHODS:
                self._logged(qname, args, kwargs, node)
            return UNKNOWN
        if last in _LOG_METHODS and _LOGGER_NAME.search(qname.rpartition(".")[0]):
            # flask.current_app.logger.info(...): a library's logging.Logger
            self._logged(qname, args, kwargs, node)
            return UNKNOWN
        if top in ("flask", "quart") and last in ("Flask", "Quart", "Blueprint"):
            # app.logger is a logging.Logger ("Flask.logger.info"); an app's config is its own
            return Obj(last, {"made": id(node)})
        if top in _DB_MODULES:
            if qname == "pyodbc.connect":
                self._connection_keywords(kwargs, node)
            elif top == "sqlalchemy" and last in ("create_engine", "create_async_engine"):
                options = kwargs.get("connect_args")
                if isinstance(options, Frame) and options.entries:
                    self._connection_keywords(options.entries, node)
            if last in ("connect", "create_engine", "Connection", "engine_from_config", "text"):
                return args[0] if last == "text" and args else Obj("db")
            return UNKNOWN
        if top == "apache_beam":
            return self._beam_transform(last, args, kwargs, node)
        if top == "ssl" and last in ("_create_unverified_context",):
            self._tls("unverified-context", node, qname)
            return UNKNOWN
        if top == "socket" and last in _SOCKET_FACTORIES:
            return Obj("socket")  # its accept() and recvfrom() give the peer's address
        if top == "airflow" and last.endswith("Operator"):
            task_id, callable_ = kwargs.get("task_id"), kwargs.get("python_callable")
            if isinstance(task_id, Str) and isinstance(callable_, Func):
                self.tasks[task_id.text] = callable_
            return UNKNOWN
        if top == "dask" and qname.startswith("dask.dataframe"):
            # Dask's DataFrame is pandas' API, partitioned: its readers and writers are pandas'
            if last in _PANDAS_READERS:
                return self._read(f"dask.dataframe.{last}", "pandas", args, kwargs, node)
            if last in ("from_pandas", "from_dict") and args and isinstance(args[0], Frame):
                return args[0]
        return UNKNOWN

    def _azure_namespace(self, qname: str, last: str, args, kwargs, node) -> None:
        """The namespace an Event Hubs or Service Bus client connects to: its
        ``fully_qualified_namespace`` (the first argument), or a connection string's
        ``Endpoint=sb://<namespace>/``."""
        if last == "from_connection_string":
            conn = kwargs.get("conn_str") or (args[0] if args else None)
            match = (
                re.search(r"(?i)\bEndpoint=([^;]+)", conn.text) if isinstance(conn, Str) else None
            )
            if match:
                self._endpoint(qname, Str(match.group(1).strip(), conn.via, conn.nodes), node)
        elif last in _AZURE_BUS_CLIENTS:
            namespace = kwargs.get("fully_qualified_namespace") or (args[0] if args else None)
            self._endpoint(qname, self._host_url("sb", namespace), node, from_host=True)

    def _connection_keywords(
        self, settings: dict[str, Val], node, api: str = "connection string"
    ) -> None:
        """pyodbc.connect's keywords, which it writes into the connection string as
        ``key=str(value)`` (``Encrypt="no"``, ``TrustServerCertificate=True``), and SQLAlchemy's
        ``connect_args`` (the driver's connect keywords): read as that string's settings."""
        for key, value in settings.items():
            if isinstance(value, Str):
                texts = [o.text for o in value.options if o.known]
            elif isinstance(value, Num) and isinstance(value.value, (bool, int)):
                texts = [str(value.value)]
            else:
                continue
            for text in texts:
                self._dsn_tls(f"{key}={text}", node, (), api)

    def _django_databases(self, databases: Val, node) -> None:
        """Django's ``DATABASES`` setting: each database's ``OPTIONS`` are the keywords its
        backend passes to the driver's connect (psycopg's ``sslmode``), read as SQLAlchemy's
        ``connect_args`` are, each reported where its value is written."""
        if not (isinstance(databases, Frame) and databases.entries):
            return
        for alias, database in databases.entries.items():
            if not (isinstance(database, Frame) and database.entries):
                continue
            options = database.entries.get("OPTIONS")
            if not (isinstance(options, Frame) and options.entries):
                continue
            for key, value in options.entries.items():
                where = value.nodes[0] if isinstance(value, Str) and value.nodes else node
                self._connection_keywords(
                    {key: value}, where, f"Django's DATABASES['{alias}']['OPTIONS']"
                )

    def _logged(self, api: str, args, kwargs, node) -> None:
        """A message logged (or printed, or warned): its text is no connection string."""
        self._messages([*args, *kwargs.values()])
        self._log(api, args, kwargs, node)

    def _messages(self, values: Sequence[Val]) -> None:
        """Strings written in the call of a log, a print or an exception are messages: their
        "sslmode=disable" or "Encrypt=no" switches nothing off (``log.error("refusing
        sslmode=disable")``). Only those written in the statement being run: a constant or a
        variable given to the call may be a connection's too."""
        for value in values:
            for option in value.options if isinstance(value, Str) else ():
                for node in option.nodes:
                    if self.written_here(node):
                        for kind in _DSN_TLS_FACTS:
                            self.pending.pop(("tls", id(node), kind), None)

    def _builtin(self, name: str, args, kwargs, node) -> Val:
        if args and isinstance(args[0], Obj) and args[0].kind == "mapping" and name in _KEYS_OF:
            return UNKNOWN  # list(recs) of a dict[str, Rec]: its keys
        if args and isinstance(args[0], Frame) and args[0].lib == "pandas" and name in _KEYS_OF:
            return UNKNOWN  # list(df) of a pandas frame: its column labels, not its data
        if name == "open":
            path = args[0] if args else kwargs.get("file", UNKNOWN)
            if isinstance(path, Obj) and path.kind == "path":  # open(Path("out.csv"), "w")
                path = Str(path.data["path"]) if path.data["path"] else UNKNOWN
            mode = args[1] if len(args) > 1 else kwargs.get("mode", Str("r"))
            mode_text = mode.text if isinstance(mode, Str) else "r"
            data: dict[str, Any] = {"path": path.text if isinstance(path, Str) else None}
            # Opened to read, it holds what the module wrote there (a read of that state);
            # opened to write (or "r+"), what is written through it: the file is not read.
            write = any(m in mode_text for m in "wax+")
            if data["path"] is not None and not write:
                self.read_state("file", data["path"])
                if data["path"] in self.files:
                    data["payload"] = self.files[data["path"]]
            data["write"] = write
            return Obj("file", data)
        if name == "print":
            self._logged("print", args, {}, node)
            return UNKNOWN
        if name == "getattr" and len(args) >= 2:
            attr = args[1]
            if isinstance(attr, Str) and attr.known and attr.text.isidentifier():
                return self.attribute(args[0], attr.text, node)  # getattr(obj, "email")
            return args[2] if len(args) > 2 else UNKNOWN
        if name == "enumerate" and args:
            return Seq((Seq((UNKNOWN, self.iterate(args[0]))),))
        if name == "zip" and args:
            return Seq((Seq(tuple(self.iterate(a) for a in args)),))
        if name == "round":
            digits = args[1] if len(args) > 1 else kwargs.get("ndigits", Num(0))
            return self._round(self._scalar_cols(args[0] if args else UNKNOWN, node), digits, node)
        if name in (
            "str",
            "list",
            "tuple",
            "set",
            "sorted",
            "dict",
            "iter",
            "reversed",
            "repr",
            "format",
            "next",
            "frozenset",
            "bytes",
            "enumerate",
            "zip",
            "filter",
            "map",
        ):
            if name == "map" and len(args) >= 2:
                fn = args[0]
                if isinstance(fn, (Func, Ref)):
                    return self._apply(args[1], fn, node)
                if isinstance(fn, Obj) and fn.kind == "itemgetter":  # map(itemgetter("a"), rows)
                    return Seq((self.itemgetter(fn, self.iterate(args[1]), node),))
            if name == "format" and args:
                return args[0]
            if name == "dict" and len(args) == 1 and not kwargs and _pairs(args[0]):
                # dict(zip(names, values)), dict((k, v) for ...): a dict holding the values
                # (and the keys) under keys the analysis cannot name, as {k: v} literal's
                cols: dict[str, Col] = {}
                for pair in args[0].items:
                    self._keep_cols(cols, pair.items[1], node)
                    self._keep_cols(cols, pair.items[0], node)
                return Frame("dict", cols)
            return join_all(args) if args else (Frame("dict", {}) if name == "dict" else UNKNOWN)
        if name in ("int", "float"):
            return args[0] if args and isinstance(args[0], Series) else UNKNOWN
        return UNKNOWN

    # ---- pandas / polars / spark module functions
    def _pandas(self, last: str, args, kwargs, node) -> Val:
        if last in _PANDAS_READERS:
            return self._read(f"pandas.{last}", "pandas", args, kwargs, node)
        if last == "DataFrame":
            data = args[0] if args else kwargs.get("data", UNKNOWN)
            columns = kwargs.get("columns")
            if isinstance(data, Frame):
                return data.restyled("pandas")
            if isinstance(columns, Seq):
                names = [c.text for c in columns.items if isinstance(c, Str)]
                return Frame(
                    "pandas",
                    {n: Col(n, (n,), RAW, (Step(node, "DataFrame built"),)) for n in names},
                )
            return Frame("pandas", {}, (Source(node, "DataFrame built"),))
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

    def _django_rows(self, model: str, method: str, args, node) -> Val:
        """``Model.objects.<method>(...)``, Django's manager on a model class: its rows hold
        the fields the code reads (``sr.reporter_phone``, as a ``SELECT *`` row's columns)."""
        rows = Frame("rows", {}, (QuerySource(node, f"read by {model}.objects.{method}"),))
        return self._django_method(
            Obj("django-rows", {"frame": rows, "payload": rows}), method, args, {}, node
        )

    def _orm_read(self, name: str, args, node, env) -> Val | None:
        """A SQLAlchemy session's read of a model's rows: ``execute``/``scalars`` of a
        ``select`` of the model (or of its columns), ``query(Model)`` and ``get(Model, id)``
        (one row). None for any other call of these names."""
        if name in ("execute", "scalars", "scalar"):
            select = args[0]
            if not (isinstance(select, Obj) and select.kind == "orm-select"):
                return None
            frame = select.data["frame"]
            if name == "scalar":
                return frame.as_row()
            return Obj("orm-rows", {"frame": frame, "payload": frame})
        if name == "get" and len(node.args) != 2:
            return None
        frame = self._orm_frame(node, env, f"read by {self._text(node)}", whole=True)
        if frame is None:
            return None
        if name == "get":
            return frame.as_row()
        return Obj("orm-rows", {"frame": frame, "payload": frame})

    def _orm_frame(self, node, env, label: str, whole: bool = False) -> Frame | None:
        """The rows ``select(Patron)`` (``query``, ``get``: ``whole``, its first argument
        only) or ``select(Patron.email, Patron.phone)`` gives: a model of the module (its
        columns), or a class imported (any attribute, as Django's rows). None when an
        argument is neither."""
        written = node.args[:1] if whole else node.args
        if not written or any(type(a) is ast.Starred for a in written):
            return None
        step = Step(node, label)
        cols: dict[str, Col] = {}
        for arg in written:
            model = arg.value if type(arg) is ast.Attribute else arg
            columns = self._orm_model(model, env)
            if columns is None:
                return None
            if type(arg) is not ast.Attribute:
                if len(written) > 1:
                    return None  # select(Patron, Loan): rows of two models, by position
                return Frame("rows", {}, (ModelSource(node, label, columns=columns),))
            if columns and arg.attr not in columns:
                return None
            cols[arg.attr] = Col(arg.attr, (arg.attr,), RAW, (step,))
        return Frame("rows", cols)

    def _orm_model(self, node, env) -> frozenset[str] | None:
        """A model a name stands for: a SQLAlchemy model of the module (its columns, with its
        bases' of the module) or a class imported from elsewhere (no columns known)."""
        if type(node) is not ast.Name:
            return None
        value = self.lookup(node.id, env)
        if isinstance(value, Ref):
            last = value.qname.rpartition(".")[2]
            known = last[:1].isupper() and value.qname.split(".", 1)[0] not in _DB_MODULES
            return frozenset() if known else None
        if not (isinstance(value, Unknown) and value.name in self.orm_models):
            return None
        models = self.orm_models
        return frozenset().union(*(models[c] for c in self._mro(value.name) if c in models))

    def _django_object(self, model: Val, node) -> Val:
        """``get_object_or_404(Model, ...)`` (or of a QuerySet): one row of the model, as
        ``Model.objects.get`` gives."""
        if isinstance(model, Ref):
            return self._django_rows(model.qname.rpartition(".")[2], "get", [], node)
        if isinstance(model, Obj) and model.kind == "django-rows":
            return self._django_method(model, "get", [], {}, node)
        label = f"returned by {self._text(node.func)}()"
        return Unknown("", RecordSource(node, label, weak=True))

    def _django_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A QuerySet's method: one row (``get``, ``first``), the same rows (``filter``...), or
        their fields as dicts (``values``) or tuples (``values_list``) when they are written."""
        frame = obj.data["frame"]
        if name in _DJANGO_ONE_ROW:
            return frame.as_row() if isinstance(frame, Frame) else UNKNOWN
        if name in ("get_or_create", "update_or_create") and isinstance(frame, Frame):
            return Seq((frame.as_row(), Num(False)))  # (the row, whether it was created)
        if name in ("values", "values_list"):
            fields = [a.text for a in args if isinstance(a, Str) and a.known]
            if len(fields) != len(args) or not fields:
                return obj  # every field: the model's rows, read as they are used
            step = Step(node, f"read by QuerySet.{name}")
            cols = {f: Col(f, (f,), RAW, (step,)) for f in fields}
            if name == "values_list" and len(cols) == 1 and _is_true(kwargs.get("flat")):
                rows: Val = Series(tuple(cols.values()))
            else:
                rows = Frame(
                    "rows", cols, ordered=name == "values_list" and len(cols) == len(fields)
                )
            return Obj("django-rows", {"frame": rows, "payload": rows})
        if name in _DJANGO_SAME_ROWS:
            return obj
        return UNKNOWN

    def _grid_cell(self, top: str, args, kwargs, node) -> Val:
        """The cell of a point, as precise as a coordinate rounded to some decimals (unknown
        precision: geohash's default 12 characters, far finer than any decimals allowed)."""
        if top == "h3":
            size = args[2] if len(args) > 2 else kwargs.get("res", kwargs.get("resolution"))
            offset, default = 6, 15
        else:
            size = args[2] if len(args) > 2 else kwargs.get("precision")
            offset, default = 4, 12
        known = isinstance(size, Num) and isinstance(size.value, int)
        decimals = (size.value if known else default) - offset  # type: ignore[union-attr]
        return self._round(join_all(args[:2]), Num(max(decimals, 0)), node)

    def _scalar_cols(self, value: Val, node) -> Val:
        """A number the builtin round() is given that no column reaches (a parameter ``lat``,
        ``float(x)``): a column by its variable's name, unnamed when it has none, so that the
        rounding is kept where it is put (``{"lat": round(lat, 3)}``: a key judged by name)."""
        if isinstance(value, Unknown) and not cols_of(value):
            named = self._named_cols(value, node)
            return Series(named or (Col("", (), RAW, (), by_name=True),))
        return value

    def _round(self, value: Val, digits: Val, node) -> Val:
        """round(x, 3), x.round(3), np.round(df, 3): each column rounded (a table stays one)."""
        if isinstance(value, Frame) and isinstance(digits, Frame) and digits.entries is not None:
            # df.round({"lat": 3, "lon": 5}): those columns, each to its own decimals (drawn
            # from the source now when the frame's schema is open)
            cols = dict(value.cols)
            for name, each in digits.entries.items():
                col = cols.get(name) or value.get(name)
                if col is not None:
                    n, named = _decimals(each)
                    cols[name] = col.treated(f"round:{n}", _rounded(node, n, named))
            return Frame(value.lib, cols, value.sources, value.removed)
        n, named = _decimals(digits, _digits_expr(node))
        step = _rounded(node, n, named)
        if isinstance(value, Frame):
            cols = {k: c.treated(f"round:{n}", step) for k, c in value.cols.items()}
            # Columns drawn later from an open schema were rounded too.
            sources = tuple(
                TreatedSource(s.node, s.label, s.observed, s.weak, s.owner, s, f"round:{n}", step)
                for s in value.sources
            )
            return Frame(value.lib, cols, sources, value.removed)
        rounded = tuple(c.treated(f"round:{n}", step) for c in cols_of(value))
        return Series(rounded, self._bound(value)) if rounded else UNKNOWN

    @staticmethod
    def _call_operand(node: Any) -> ast.expr | None:
        """The expression of a call's first argument (``x * 1000`` in ``floor(x * 1000)``)."""
        if type(node) is ast.Call and node.args and type(node.args[0]) is not ast.Starred:
            return node.args[0]
        return None

    def _snapped(
        self, api: str, value: Val, expr: ast.expr | None, args, kwargs, node, env
    ) -> Val | None:
        """``math.floor(lat / CELL) * CELL``, ``math.trunc(lat * 1000) / 1000``,
        ``round(lat * 1e4) / 1e4``: the number snapped to a grid whose step is the known scale
        of ``expr``, as precise as a coordinate rounded to the decimals of that step (a step
        over 1, ``floor(age / 5) * 5``: binned). None when no known constant scales ``expr``
        (unknown scale: as before, the value as precise as it was)."""
        unit = self._grid_unit(expr, env, True) if expr is not None else None
        if unit is None:
            return None
        if api in _ROUNDS:
            digits = args[1] if len(args) > 1 else kwargs.get("ndigits", kwargs.get("decimals"))
            if digits is not None:
                if not (isinstance(digits, Num) and type(digits.value) in (int, type(None))):
                    return None
                unit *= 10.0 ** -(digits.value or 0)
        if isinstance(value, Frame):
            return None
        value = self._scalar_cols(value, node)
        cols = cols_of(value)
        if not cols or not unit > 0:
            return None
        verb, fn = _SNAPS[api], api.replace("builtins.", "").replace("numpy.", "np.")
        if unit > 1:
            treatment, label = "bucket", f"{verb} to steps of {unit:g} by {fn}()"
        else:
            n = max(0, math.ceil(-math.log10(unit) - 1e-9))
            treatment = f"round:{n}"
            if math.isclose(unit, 10.0**-n):
                label = f"{verb} to {n} decimals by {fn}()"
            else:
                label = f"{verb} to a grid of {unit:g} by {fn}() (as precise as {n} decimals)"
        step = Step(node, label)
        bound = self._bound(value)
        return Series(tuple(c.treated(treatment, step) for c in cols), bound)

    def _grid_unit(self, expr: ast.expr, env, top: bool = False) -> float | None:
        """The step, in the units of the value inside, of a grid whole units of ``expr`` make:
        1/K for ``x * K``, C for ``x / C`` (an offset, ``x * 1000 + 0.5``, ``(x - x0) / C``,
        moves the grid only).
        At the top, a known constant must scale the value: None for ``floor(x)`` (x may be
        scaled already) or ``floor(x * factor)`` with the factor not known."""
        if type(expr) is not ast.BinOp:
            return None if top else 1.0
        op = type(expr.op)
        if op in (ast.Add, ast.Sub, ast.Mult):
            for inner, other in ((expr.left, expr.right), (expr.right, expr.left)):
                number = self._number(other, env)
                if number is None:
                    continue
                if op is ast.Mult and number == 0:
                    return None
                unit = self._grid_unit(inner, env, top and op is not ast.Mult)
                if unit is None:
                    return None
                return unit / abs(number) if op is ast.Mult else unit
            if op is not ast.Mult:  # (lat - lat0) / CELL: an offset in the same units
                units = {self._grid_unit(side, env, top) for side in (expr.left, expr.right)}
                return units.pop() if len(units) == 1 else None
            return None
        if op is ast.Div:
            number = self._number(expr.right, env)
            if not number:
                return None
            unit = self._grid_unit(expr.left, env)
            return unit * abs(number) if unit is not None else None
        return None

    def _number(self, expr: ast.expr, env, depth: int = 0) -> float | None:
        """A number written or known by name (an int a variable holds, a float a module
        constant is set to), or arithmetic of such (``10 ** 3``); None otherwise."""
        kind = type(expr)
        if kind is ast.Constant:
            value = expr.value
            return float(value) if type(value) in (int, float) else None
        if kind is ast.Name:
            found = self.lookup(expr.id, env)
            if isinstance(found, Num) and type(found.value) is int:
                return float(found.value)
            if isinstance(found, Num) and type(found.value) is float:
                return self._module_numbers().get(expr.id)  # floats are kept as 0.0
            return None
        if kind is ast.UnaryOp and type(expr.op) is ast.USub:
            value = self._number(expr.operand, env, depth)
            return -value if value is not None else None
        if kind is ast.BinOp and depth < 4:
            left = self._number(expr.left, env, depth + 1)
            right = self._number(expr.right, env, depth + 1) if left is not None else None
            if left is not None and right is not None:
                return _arithmetic(type(expr.op), left, right)
        return None

    def _module_numbers(self) -> dict[str, float]:
        """The module's constants set once to a number (``CELL = 0.005``), read from the tree
        when a grid's step first needs one."""
        numbers = getattr(self, "_numbers_of_module", None)
        if numbers is None:
            numbers, seen = {}, set()
            for stmt in getattr(self.tree, "body", ()):
                target = value = None
                if type(stmt) is ast.Assign and len(stmt.targets) == 1:
                    target, value = stmt.targets[0], stmt.value
                elif type(stmt) is ast.AnnAssign:
                    target, value = stmt.target, stmt.value
                if type(target) is not ast.Name or value is None:
                    continue
                number = _literal_number(value, numbers)
                if target.id in seen or number is None:
                    numbers.pop(target.id, None)
                else:
                    numbers[target.id] = number
                seen.add(target.id)
            self._numbers_of_module = numbers
        return numbers

    # ---- network clients
    def _http_ref(self, qname: str, last: str, args, kwargs, node) -> Val:
        if last in (
            "Session",
            "Client",
            "AsyncClient",
            "ClientSession",
            "PoolManager",
            "session",
            "HTTPConnectionPool",
            "HTTPSConnectionPool",
        ):
            base = kwargs.get("base_url")
            return Obj("http", {"base": base if isinstance(base, Str) else None, "api": qname})
        if last == "Request" and qname.startswith("urllib.request"):
            url = args[0] if args else kwargs.get("url")
            payload = args[1] if len(args) > 1 else kwargs.get("data", UNKNOWN)
            return Obj("urllib-request", {"url": url, "payload": payload})
        if last == "urlopen":
            target = args[0] if args else kwargs.get("url")
            payload = args[1] if len(args) > 1 else kwargs.get("data", UNKNOWN)
            if isinstance(target, Obj) and target.kind == "urllib-request":
                payload = join(target.data.get("payload", UNKNOWN), payload)
                target = target.data.get("url")
            self._http_call(qname, target, payload, node)
            return Frame("rows", {}, (Source(node, f"response of {qname}"),))
        if last in _HTTP_VERBS or last == "urlopen":
            if last == "request" and args:
                args = args[1:]
            url = args[0] if args else kwargs.get("url")
            payload = mixture(
                [kwargs[k] for k in ("json", "data", "files", "params", "content") if k in kwargs]
                + list(args[1:2])
            )
            self._http_call(qname, url, payload, node)
            return Obj("http-response")
        return UNKNOWN

    def _http_call(
        self, api: str, url: Val | None, payload: Val, node, base: Val | None = None
    ) -> None:
        if base is not None and isinstance(base, Str):
            url = self._concat(base, url) if isinstance(url, Str) else base
        hosts = self._endpoint(api, url, node)
        to = _personalization(node, self._bound_values)
        payload = _without_addressee(payload, self._bound_values, to)
        if isinstance(url, Str) and url.cols:  # f"{API}?plate={plate}": the URL carries it
            payload = mixture([payload, url]) if cols_of(payload) else url
        self._sink(
            "network",
            api,
            payload,
            node,
            host=hosts[0] if hosts else None,
            target=url.text if isinstance(url, Str) else None,
            hosts=hosts,
        )

    def _bound_values(self, name: ast.Name) -> list[ast.expr]:
        """What the assignments to ``name`` before it is read give it, in the innermost
        function around it (or the module): ``to = [cust["phone"]]`` for ``{"to": to}``. Only
        for the addressee of a message (``_one_value``), which is rare: no index is kept."""
        line, scope = name.lineno, self.tree
        for node in ast.walk(self.tree):
            if (
                type(node) in (ast.FunctionDef, ast.AsyncFunctionDef)
                and node.lineno <= line <= (node.end_lineno or node.lineno)
                and (scope is self.tree or node.lineno > scope.lineno)
            ):
                scope = node
        values: list[ast.expr] = []
        for node in ast.walk(scope):
            kind = type(node)
            if getattr(node, "lineno", line) >= line or kind not in _BINDINGS:
                continue
            targets = node.targets if kind is ast.Assign else [node.target]
            if any(type(t) is ast.Name and t.id == name.id for t in targets):
                if node.value is not None:
                    values.append(node.value)
                if kind is ast.AugAssign:  # to += [row["phone"]]: a list
                    values.append(ast.List(elts=[], ctx=ast.Load()))
        return values

    def _aws_message(self, service: str, name: str, kwargs, node) -> Val:
        """An SQS message, an SNS notification or an SES e-mail, sent as Kafka's are: what
        goes out with it (``MessageBody``, ``Message``, attributes), not where to (a queue, a
        topic, the addressee's phone or mailbox: an SMS to the resident is the purpose)."""
        sent = _AWS_MESSAGES[(service, name)]
        payload = [self._by_name(kwargs[k], node) for k in sent if k in kwargs]
        if payload:
            target = _stream_name(service, kwargs)  # a Kinesis or Firehose stream's name
            topic = kwargs.get("TopicArn", kwargs.get("TargetArn")) if service == "sns" else None
            if topic is not None:  # an SNS topic's ARN ("{...}": from the environment or so)
                target = topic.text if isinstance(topic, Str) and topic.known else "{...}"
            self._sink("network", f"{service}.{name}", mixture(payload), node, target=target)
        return UNKNOWN

    def _smtp_send(self, name: str, obj: Obj, args, kwargs, node) -> None:
        """smtplib's ``sendmail(from_addr, to_addrs, msg)`` and ``send_message(msg, from_addr,
        to_addrs)``: the message is sent; its addressees are where it goes, its purpose (an
        e-mail to the resident), as Twilio's ``to=`` and SES's ``Destination`` are, and the
        sender is the city's. Addressees gathered from a table or rows (a column's
        ``tolist()``, a comprehension, a list grown in a loop) are sent too: a bulk export."""
        message, addressees = _SMTP_SENDS[name]
        if type(node) is not ast.Call or any(type(a) is ast.Starred for a in node.args):
            payload: Val = Seq(tuple(args))  # positions unknown: all of it
        else:
            sent = [_argument(args, kwargs, *message)]
            to = _argument(args, kwargs, *addressees)
            if to is not None:
                expr = _argument(node.args, _keywords(node), *addressees)
                if not (expr is not None and _addressees(to, expr, self._bound_values)):
                    sent.append(to)
            payload = mixture([value for value in sent if value is not None])
        self._sink("network", f"smtplib.{name}", payload, node, host=obj.data.get("host"))

    def _django_mail(self, last: str, args, kwargs, node) -> Val:
        """Django's mail (``django.core.mail``): ``send_mail``, ``send_mass_mail``,
        ``mail_admins`` and ``mail_managers`` send at once, an ``EmailMessage`` or
        ``EmailMultiAlternatives`` when ``send()`` is called, through the SMTP server of the
        settings' ``EMAIL_HOST``, as smtplib's ``sendmail`` does. The subject, the text, the
        HTML, the headers and the attachments are sent; the addressees (``recipient_list``,
        ``to``, ``cc``, ``bcc``, ``reply_to``) are where it goes, unless gathered from a column
        or rows (``_addressees``). ``send_mass_mail``'s messages are sent whole: built from
        rows, they are a bulk mailing."""
        sent_at, addressed_at = _DJANGO_MAIL[last]
        if type(node) is not ast.Call or any(type(a) is ast.Starred for a in node.args):
            sent = [*args, *kwargs.values()]  # positions unknown: all of it
        else:
            sent = [v for where in sent_at if (v := _argument(args, kwargs, *where)) is not None]
            keywords = _keywords(node)
            for where in addressed_at:
                to = _argument(args, kwargs, *where)
                if to is None:
                    continue
                expr = _argument(node.args, keywords, *where)
                if not (expr is not None and _addressees(to, expr, self._bound_values)):
                    sent.append(to)
        sent = [self._by_name(value, node) for value in sent]  # send_mail(s, resident.plate...)
        if last in ("EmailMessage", "EmailMultiAlternatives"):
            return Obj("django-mail", {"class": last, "payload": mixture(sent) if sent else None})
        self._sink("network", f"django.core.mail.{last}", mixture(sent), node)
        return UNKNOWN

    def _attached(self, name: str, args, kwargs) -> Val:
        """What a Django ``EmailMessage``'s ``attach(filename, content, mimetype)`` (or
        ``attach(mime_part)``), ``attach_alternative(content, mimetype)`` or
        ``attach_file(path)`` adds to it."""
        if name == "attach_file":
            return self._file_value(args[0] if args else kwargs.get("path"))
        at = 1 if name == "attach" and len(args) != 1 else 0
        value = kwargs.get("content", args[at] if len(args) > at else UNKNOWN)
        if isinstance(value, Obj) and value.kind == "message":  # a MIMEText part
            payload = self.payload(value)
            return payload if isinstance(payload, Val) else UNKNOWN
        return value

    def _addressed(self, message: Val, key: Val, target: ast.expr) -> bool:
        """``msg["To"] = row["email"]`` (also ``Cc``, ``Bcc``) in an e-mail message: its
        addressees (``_addressees``), not what it sends."""
        stmt = self.stmt  # type: ignore[attr-defined]
        return (
            isinstance(message, Obj)
            and message.kind == "message"
            and isinstance(key, Str)
            and key.text.lower() in _ADDRESS_HEADERS
            and type(stmt) is ast.Assign
            and target in stmt.targets
            and _addressees(UNKNOWN, stmt.value, self._bound_values)
        )

    def _twilio_send(self, resource: str, kwargs, node) -> None:
        """The Twilio SDK's ``client.messages.create(to=, from_=, body=)`` (or ``calls``): a
        request to Twilio's REST API, as ``requests.post`` to it is (DH660 judges the host, the
        inventory lists it). What goes out is every keyword but the addressee and the sender
        (``to=``, ``from_=``): an SMS to the resident is the message's
        purpose, as SNS's ``PhoneNumber=`` is; a name in its ``body=`` is sent to Twilio."""
        url = Str(f"https://{_TWILIO_HOST}/2010-04-01", "sdk")
        hosts = self._endpoint(f"twilio {resource}.create", url, node)
        sent = [self._by_name(v, node) for k, v in kwargs.items() if k not in _TWILIO_PARTIES]
        self._sink(
            "network",
            f"twilio {resource}.create",
            mixture(sent),
            node,
            host=_TWILIO_HOST,
            target=url.text,
            hosts=hosts,
        )

    def _dynamodb(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A DynamoDB table (``boto3.resource("dynamodb").Table(name)``, its ``batch_writer()``)
        or client: an item put or updated is a record written to a database table, as an SQL
        INSERT or UPDATE is."""
        if name == "Table" and obj.data.get("resource"):
            table = args[0] if args else kwargs.get("name")
            return Obj("aws", {"service": "dynamodb", "table": self._host_text(table)})
        if name in ("batch_writer", "__enter__") and "table" in obj.data:
            return obj
        written = _DYNAMODB_WRITES.get(name)
        if written is None:
            return UNKNOWN
        payload = [_dynamodb_values(kwargs[k], node) for k in written if k in kwargs]
        if payload:
            table = kwargs.get("TableName")
            target = table.text if isinstance(table, Str) else obj.data.get("table")
            attributes = _dynamodb_attributes(name, kwargs, node)
            self._sink(
                "database",
                f"dynamodb.{name}",
                mixture(payload),
                node,
                target=target,
                attributes=attributes,
            )
        return UNKNOWN

    def _cosmos(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A Cosmos DB client, database or container (azure-cosmos, sync or aio): an item
        created, upserted, replaced or patched is a record written to a database, as a
        DynamoDB item put is (the container, ``database.container`` when known, names it)."""
        if name in _COSMOS_DATABASES or name in _COSMOS_CONTAINERS:
            which = "database" if name in _COSMOS_DATABASES else "container"
            named = args[0] if args else kwargs.get(which, kwargs.get("id"))
            data = {**obj.data, which: self._host_text(named)}
            return Obj("cosmos", data)
        if name in ("__enter__", "__aenter__"):
            return obj
        written = _COSMOS_WRITES.get(name)
        if written is None:
            return UNKNOWN
        position, keyword = written
        value = kwargs.get(keyword, args[position] if len(args) > position else None)
        if value is None:
            return UNKNOWN
        if name == "patch_item":
            value = _patched_values(value, node)
        database, container = obj.data.get("database"), obj.data.get("container")
        target = f"{database}.{container}" if database and container else container
        self._sink("database", f"cosmos.{name}", value, node, target=target)
        return UNKNOWN

    def _wrangler(self, qname: str, last: str, args, kwargs, node) -> Val:
        """awswrangler, pandas' I/O on AWS: its readers give a frame as pandas' do (a query's
        SELECT list its columns), its writers export one (``wr.s3.to_parquet(df, path)`` to
        object storage, ``wr.athena.to_iceberg`` or ``wr.<db>.to_sql`` to a table)."""
        service = qname.split(".")[1] if qname.count(".") > 1 else ""
        if last.startswith(("read_", "unload")):
            return self._read(qname, "pandas", args, kwargs, node)
        if service == "s3" and last in _FILE_WRITERS:
            frame = args[0] if args else kwargs.get("df", UNKNOWN)
            path = args[1] if len(args) > 1 else kwargs.get("path")
            target = path.text if isinstance(path, Str) else None
            host = self._bucket(target)
            self._sink("storage", qname, frame, node, target=target, host=host)
        elif last in _WRANGLER_TABLE_WRITES:
            frame = args[0] if args else kwargs.get("df", kwargs.get("items", UNKNOWN))
            table = next((kwargs[k] for k in ("table", "table_name") if k in kwargs), None)
            if table is None:  # to_iceberg(df, database, table), to_sql(df, con, table)
                position = 1 if last.startswith("put_") else 2  # dynamodb.put_df(df, table)
                table = args[position] if len(args) > position else None
            target = table.text if isinstance(table, Str) else None
            self._sink("database", qname, frame, node, target=target)
        return UNKNOWN

    def _boto(self, last: str, args, kwargs, node) -> Val:
        if last in ("client", "resource"):
            service = args[0].text if args and isinstance(args[0], Str) else "?"
            endpoint = kwargs.get("endpoint_url")
            if endpoint is not None:
                self._endpoint(f"boto3.{last}({service}, endpoint_url)", endpoint, node)
            if service == "s3":
                return Obj("s3", {"service": service})
            return Obj(
                "aws", {"service": service, **({"resource": True} if last == "resource" else {})}
            )
        if last in ("Session",):
            return Obj("aws-session")
        return UNKNOWN

    def _csv(self, last: str, args, kwargs, node) -> Val:
        handle = args[0] if args else UNKNOWN
        if last in ("reader", "DictReader"):
            names = kwargs.get("fieldnames")
            if isinstance(handle, Obj) and isinstance(self.payload(handle), Frame):
                return handle.data["payload"]
            if isinstance(names, Seq) and names.items:
                cols = [i.text for i in names.items if isinstance(i, Str)]
                return Frame(
                    "rows",
                    {n: Col(n, (n,), RAW, (Step(node, f"read by csv.{last}"),)) for n in cols},
                )
            return Frame("rows", {}, (Source(node, f"read by csv.{last}"),))
        if last in ("writer", "DictWriter"):
            names = kwargs.get("fieldnames") or (args[1] if len(args) > 1 else None)
            # The file's path built with $OUT: so is where the rows go (for the message)
            env = env_of(handle) if isinstance(handle, Obj) else ()
            return Obj("csv-writer", {"handle": handle, "fieldnames": names, "env": env})
        return UNKNOWN

    # ------------------------------------------------------------------ method calls
    def call_method(self, recv: Val, name: str, args, kwargs, node, env) -> Val:
        if name in ("xcom_push", "xcom_pull"):
            return self._xcom(name, args, kwargs, node)
        if name in _ORM_READS and args and not isinstance(recv, (Frame, Series, Str)):
            rows = self._orm_read(name, args, node, env)
            if rows is not None:
                return rows
        if isinstance(recv, Frame):
            return self._frame_method(recv, name, args, kwargs, node, env)
        if isinstance(recv, Series):
            return self._series_method(recv, name, args, kwargs, node, env)
        if isinstance(recv, Str):
            if name == "format":
                return self._format(recv, args, kwargs, node)
            if name in ("replace", "removeprefix", "removesuffix"):
                return _str_edit(recv, name, args)
            if name == "join" and args:
                chars = self._characters(node, env)
                if chars is not None:
                    return chars
                return Str("{...}", "concatenation", recv.nodes, cols_of(args[0]))
            if name in (
                "encode",
                "strip",
                "rstrip",
                "lstrip",
                "lower",
                "upper",
                "decode",
                "title",
            ):
                return recv
            return UNKNOWN
        if isinstance(recv, Obj) and recv.kind == "instance":  # job.run() on Job(df)
            if name in _RECORD_METHODS and self.method(recv.data["cls"], name) is None:
                # event.model_dump(), point._asdict(): what the instance holds, less what
                # exclude= leaves out or include= does not name (pydantic)
                return self._dumped(recv, kwargs)
            if name in _SAME_VALUE_METHODS and self.method(recv.data["cls"], name) is None:
                return recv  # json.dumps(asdict(rec)).encode(): the record, as text
            return self.instance_method(recv.data["cls"], name, args, kwargs, node, env)
        if isinstance(recv, Obj) and recv.kind == "mapping":  # dict[str, Rec]: records
            item = recv.data["payload"]
            if name == "values":
                return Seq((item,))
            if name == "items":
                return Seq((Seq((UNKNOWN, item)),))
            if name in ("get", "pop", "setdefault"):
                return item
            return recv if name == "copy" else UNKNOWN
        if (
            name == "getsockname"
            and not args
            and getattr(recv, "name", "") not in ("self", "super")
        ):
            # A socket's own address (host, port), a server's bound one: not a person's, as
            # its peers' (accept(), recvfrom(), getpeername()) are; known, so a variable it is
            # held in (addr, ip_address) is not judged by its name
            return Seq((Str("{...}", "concatenation"), Num(0)))
        if isinstance(recv, Obj):
            return self._obj_method(recv, name, args, kwargs, node, env)
        if isinstance(recv, Seq) and name in ("pop", "popleft", "copy"):  # an item, any
            return join_all(recv.items) if name != "copy" else recv
        if isinstance(recv, Seq) and name in _SAME_VALUE_METHODS and cols_of(recv):
            return recv  # buf.getvalue().encode(): the rows written, as text
        if isinstance(recv, Func) and name in ("__call__",):
            return self.call_func(recv, args, kwargs, node)
        if isinstance(recv, Unknown) and recv.name in ("self", "super") and self.cls:
            result = self.call_on_self(name, args, kwargs, node, recv.name == "super")
            if result is not None:
                return result
            # What an attribute holds: self.handler = self.emit, self.sink = print...
            held = self.attribute_of(self.cls, name, node) if recv.name == "self" else None
            called = self.call_value(held, args, kwargs, node, env) if held is not None else None
            if called is not None:
                return called
        if isinstance(recv, Unknown) and recv.name in self.bases and self.cls:
            method = self.method(recv.name, name)  # Base.emit(self, v)
            if method is not None:
                return self.call_func(method, args, kwargs, node)
        if (
            isinstance(recv, Unknown)
            and name in _RECORD_BUILDERS
            and recv.name in self.bases
            and self.is_record(recv.name)
            and self.method(recv.name, name) is None
        ):
            # Complaint.model_validate(row), .parse_obj(row), .model_construct(**row)
            mapping = args[0] if args else self._unpacked(node, env)
            return self._construct_record(recv.name, [], kwargs, node, mapping)
        if isinstance(recv, Unknown) and recv.name in self.bases:
            held, _ = self._attribute_set(recv.name, name)  # Config.sink = print
            called = self.call_value(held, args, kwargs, node, env) if held is not None else None
            if called is not None:
                return called
        return self._unknown_method(recv, name, args, kwargs, node)

    def _peer_of(self, name: str, node) -> Val:
        """A socket's ``accept()`` (connection, address), ``recvfrom()`` and ``recvfrom_into()``
        (data or size, address), ``getpeername()`` (address): the peer's address, (host, port),
        whose host is its IP address (as Starlette's ``request.client``)."""
        func = node.func if type(node) is ast.Call else node
        peer = self.peer(f"{self._text(func)}()", node)
        if name == "getpeername":
            return peer
        return Seq((Obj("socket") if name == "accept" else UNKNOWN, peer))

    def consumed(self, message: Obj) -> Unknown:
        """A Kafka message's value: a record read from the topic (its fields, as a table's
        columns read from a source, are evidence of what it holds; not a parameter's)."""
        source = message.data.get("source")
        if source is None:
            source = message.data["source"] = Source(message.data["node"], "consumed from Kafka")
        return Unknown("message.value", source)

    def _characters(self, node: Any, env: Any) -> Val | None:
        """``"".join(ch for ch in phone if ch.isdigit())``: some characters of one value, kept
        in order, are that value (a phone's digits are the phone). None for other joins."""
        items = node.args[0] if type(node) is ast.Call and node.args else None
        if type(items) not in (ast.GeneratorExp, ast.ListComp) or len(items.generators) != 1:
            return None
        loop = items.generators[0]
        if not (
            type(items.elt) is ast.Name
            and type(loop.target) is ast.Name
            and items.elt.id == loop.target.id
            and type(loop.iter) is ast.Name
        ):
            return None
        value = self.lookup(loop.iter.id, env)
        if isinstance(value, Unknown) and value.name and not value.name.startswith("env:"):
            return value
        return value if isinstance(value, (Str, Series)) else None

    def _dumped(self, record: Obj, kwargs: dict[str, Val]) -> Val:
        include = self._names([kwargs["include"]]) if "include" in kwargs else None
        exclude = self._names([kwargs["exclude"]]) if "exclude" in kwargs else []
        if include is None and not exclude:
            return _all_fields(record)
        payload = record.data.get("fields") or self.payload(record)
        if not isinstance(payload, Frame):
            return record
        if include is not None:
            payload = payload.select([n for n in include if n in payload.cols])
        return payload.without(exclude) if exclude else payload

    def _xcom(self, name: str, args, kwargs, node) -> Val:
        """Airflow tasks hand data to each other through XCom (or their return value)."""
        self.xcom_used = True  # a second round sees what later tasks push
        if name == "xcom_push":
            key = kwargs.get("key", args[0] if args else None)
            value = kwargs.get("value", args[1] if len(args) > 1 else UNKNOWN)
            if isinstance(key, Str) and key.known:
                self.write_state("xcom", self.xcoms, key.text, value)
            return UNKNOWN
        key = kwargs.get("key", Str("return_value"))
        task = kwargs.get("task_ids", args[0] if args else None)
        pulled: Val = UNKNOWN
        if isinstance(key, Str):
            self.read_state("xcom", key.text)
            pulled = self.xcoms.get(key.text, UNKNOWN)
        if pulled is UNKNOWN and isinstance(task, Str) and task.text in self.tasks:
            pulled = self.call_func(self.tasks[task.text], [], {}, node)
        if cols_of(pulled) or not isinstance(pulled, (Unknown, Seq)) or _sourced(pulled):
            return pulled
        # Rows of nothing known (records built in another module, a task of another DAG
        # file): what the task reads from them is evidence of what they hold, as for rows
        # consumed from a queue (probe40 min/10).
        label = f"pulled from XCom '{key.text}'" if isinstance(key, Str) else "pulled from XCom"
        return Unknown("xcom_pull", Source(node, label))

    def _unknown_method(self, recv: Val, name: str, args, kwargs, node) -> Val:
        rname = recv.name if isinstance(recv, Unknown) else ""
        source = recv.source if isinstance(recv, Unknown) else None
        if name in ("save", "get_object") and not args and _returns_record(name, node):
            # serializer.save(), form.save(), self.get_object(): the model instance
            label = f"returned by {self._text(node.func)}()"
            return Unknown("", RecordSource(node, label, weak=True))
        if (
            source is not None
            and rname in ("request", "req")
            and name in _REQUEST_BODIES
            and not args
            and not kwargs
        ):
            # Starlette's await request.json(), aiohttp's request.post() (never a client's
            # req.post(url, ...): that one has arguments)
            return self.request_data(f"{rname}.{name}()", node)
        if source is not None and name == "query" and _frame_query(args, kwargs):
            return recv  # reads.query("dwell_min > 120"): its rows, its columns (probe38 04)
        if (
            source is not None
            and not _is_url_request(name, args, kwargs, rname, parameter=True)
            and (
                name in _FILE_WRITERS
                or name in _DB_WRITERS
                or name in ("items", "values", "get", "pop", "copy", "to_dict", "iterrows")
                or name in ("rename", "withColumnRenamed", "with_column_renamed")
                or name in ("groupby", "groupBy", "group_by")
            )
        ):
            # A parameter used as a table or a record: what the function reads from it is what
            # it holds.
            frame = Frame("rows" if name in ("get", "pop", "items", "values") else "pandas",
                          {}, (source,))  # fmt: skip
            return self._frame_method(frame, name, args, kwargs, node, {})
        if rname and name in _SAME_VALUE_METHODS:
            return recv  # phone.strip().encode() is still the phone
        if name in PEER_METHODS and _socket_name(rname):
            return self._peer_of(name, node)  # self.sock.accept(), a parameter sock
        if name in _LOG_METHODS and _LOGGER_NAME.search(rname or "-"):
            self._logged(f"{rname}.{name}", args, kwargs, node)
            return UNKNOWN
        if rname == "spark" or rname.endswith(".spark"):
            return self._obj_method(Obj("spark"), name, args, kwargs, node, {})
        if rname.endswith("SparkSession.builder") or name == "getOrCreate":
            return Obj("spark")
        if name in (
            "upload_file",
            "upload_fileobj",
            "put_object",
            "upload_from_filename",
            "upload_from_string",
            "upload_from_file",
            "upload_blob",
            "upload_data",
        ):
            return self._obj_method(Obj("storage"), name, args, kwargs, node, {})
        query = args[0] if args else kwargs.get("sql")
        if name in _HOOK_QUERIES and isinstance(query, Str):  # positional or sql=
            parsed = sql.select_columns(query.text)
            label = f"read by {rname or 'hook'}.{name}"
            lib = "pandas" if name.endswith("_df") else "rows"
            if parsed is not None:
                return self._sql_frame(lib, parsed, node, label)
            return Frame(lib, {}, (Source(node, label),))
        if name in ("load_file", "load_string", "load_bytes", "load_file_obj"):
            return self._storage_method(Obj("s3"), name, args, kwargs, node)
        if name in ("fetchall", "fetchone", "fetchmany", "mappings", "all", "first"):
            self.read_state("cursor", rname)
            frame = self.named_frames.get(rname)
            if frame is not None and name in _ONE_ROW:
                return frame.as_row()
            return frame or Frame(
                "rows", {}, (Source(node, f"rows fetched from {rname or 'a cursor'}"),)
            )
        if name in _CURSOR_WRITES and args and isinstance(args[0], Str):
            return self._execute(rname, args, node, many=name != "execute")
        if name == "execute" and args and _is_insert(args[0]):
            return self._execute_insert(rname, args, node)
        if (
            name == "get"
            and len(args) == 2
            and isinstance(args[1], Frame)
            and args[1].lib == "dict"
            and not args[1].cols
            and not args[1].entries
        ):
            # config.get("credHelpers", {}): a dict, whose .get(URL) is a lookup (probe37 07)
            return args[1]
        if _is_url_request(name, args, kwargs, rname, parameter=source is not None):
            payload = mixture(
                [kwargs[k] for k in ("json", "data", "files", "params") if k in kwargs]
            )
            self._http_call(f"{rname or '?'}.{name}", args[0], payload, node)
            return Obj("http-response")
        if name in ("send", "produce") and ("produc" in rname.lower() or "kafka" in rname.lower()):
            return self._obj_method(Obj("kafka"), name, args, kwargs, node, {})
        if name in _DYNAMODB_WRITES and ("table" in rname.lower() or "dynamo" in rname.lower()):
            # a DynamoDB Table or client received as a parameter or held by self
            return self._dynamodb(Obj("aws", {"service": "dynamodb"}), name, args, kwargs, node)
        if name in _COSMOS_WRITES and any(w in rname.lower() for w in ("container", "cosmos")):
            # a Cosmos DB container received as a parameter or held by self
            return self._cosmos(Obj("cosmos"), name, args, kwargs, node)
        if name == "publish" and "publisher" in rname.lower():  # self.publisher.publish(...)
            return self._obj_method(Obj("pubsub"), name, args, kwargs, node, {})
        if name in _MQTT_METHODS and self._mqtt_receiver(rname):
            # paho's callbacks and helpers receive the client as a parameter (client, mqttc)
            return self._obj_method(Obj("mqtt", {}), name, args, kwargs, node, {})
        if name in _BUS_SENDS and any(w in rname.lower() for w in ("produc", "sender", "hub")):
            return self._obj_method(Obj("azure-bus"), name, args, kwargs, node, {})
        if name == "read_sql" or (name == "sql" and (args and isinstance(args[0], Str))):
            parsed = sql.select_columns(args[0].text) if args and isinstance(args[0], Str) else None
            if parsed is not None:
                return self._sql_frame(
                    "spark" if name == "sql" else "pandas", parsed, node, f"read by {rname}.{name}"
                )
        return UNKNOWN

    def _execute_insert(self, rname: str, args, node) -> Val:
        """``conn.execute(insert(contacts), rows)``: the rows, and what ``.values()`` set."""
        statement = args[0].data
        written = [*statement["values"].items(), *(("$", a) for a in args[1:2])]
        cols: dict[str, Col] = {}
        for key, value in written:
            if key.startswith("$"):
                self._keep_cols(cols, value, node)
            elif cols_of(value):
                cols[key] = self._as_column(key, value, node)
        api = f"{rname or 'connection'}.execute"
        self._sink("database", api, Series(tuple(cols.values())), node, target=statement["table"])
        return UNKNOWN

    def _execute(self, rname: str, args, node, many: bool = False) -> Val:
        query = args[0]
        assert isinstance(query, Str)
        if sql.is_write(query.text):
            # pyodbc's execute(sql, *params) takes them one by one, as a tuple holds them
            params = (
                Seq(tuple(args[1:])) if len(args) > 2 else args[1] if len(args) > 1 else UNKNOWN
            )
            names = sql.insert_columns(query.text)
            by_position = isinstance(params, Seq) and 0 < len(names) == len(params.items)
            if by_position and not many:
                cols = _insert_row(names, params.items, node)  # type: ignore[union-attr]
            else:
                cols = cols_of(params)
            if not cols and not (by_position and not many):
                step = Step(node, "row values")
                value_names = [
                    i.name
                    for i in (params.items if isinstance(params, Seq) else ())
                    if isinstance(i, Unknown) and i.name
                ]
                cols = tuple(Col(n, (n,), RAW, (step,)) for n in (value_names or names))
                if not value_names and not isinstance(params, Seq):
                    cols = ()
            self._sink(
                "database",
                f"{rname or 'cursor'}.execute",
                Series(cols),
                node,
                target=sql.table_of(query.text),
            )
            return UNKNOWN
        parsed = sql.select_columns(query.text)
        if parsed is not None and rname:
            frame = self._sql_frame("rows", parsed, node, "read by SQL query")
            self.write_state("cursor", self.named_frames, rname, frame, merge=False)
        return UNKNOWN

    def _frame_method(self, frame: Frame, name: str, args, kwargs, node, env) -> Val:
        api = f"DataFrame.{name}"
        if frame.grouped == "cells" and name in _CELL_FILTERS and args:
            # counts.query("n >= 11"), .where(counts["n"] >= 11), .mask(counts["n"] < 11),
            # Spark's and polars' .filter(F.col("n") >= 11): the groups under k are gone
            written = node.args[0] if type(node) is ast.Call and node.args else None
            if self.suppressed_cells(args[0], written, keep=name != "mask"):
                return dataclasses.replace(frame, grouped="suppressed")
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

    def _names(self, values: list) -> list[str]:
        out: list[str] = []
        for value in values:
            if isinstance(value, Str) and value.known:
                out.append(value.text)
            elif isinstance(value, Seq):
                out.extend(i.text for i in value.items if isinstance(i, Str) and i.known)
            elif isinstance(value, Series):
                out.extend(c.name for c in value.cols)
        return out

    def _row_by_names(self, row: Seq, node) -> Seq:
        """csv.writer's row of plain variables (``[token, latitude, longitude]``): each named
        as its variable, as the same values under a DictWriter's keys are (``latitude``
        unpacked from a geocoder's ``cand["y"], cand["x"]`` is a latitude)."""
        written = node.args[0] if type(node) is ast.Call and node.args else None
        elts = written.elts if type(written) in (ast.List, ast.Tuple) else ()  # type: ignore[union-attr]
        if len(elts) != len(row.items):
            elts = (None,) * len(row.items)
        items = []
        for item, elt in zip(row.items, elts, strict=True):
            cols = cols_of(item)
            if type(elt) is ast.Name and cols and all(c.name != elt.id for c in cols):
                step = Step(elt, f"value of '{elt.id}'")
                item = Series((merge_cols(elt.id, cols, step),))
            items.append(self._by_name(item, node))
        return Seq(tuple(items))

    def group_selection(self, group: Obj, key: Val) -> Obj:
        """``df.groupby(keys)["gallons"]`` (or ``[["gallons", "liters"]]``): the same groups,
        of those columns. What its aggregations give keeps the group keys: as the index
        (written with the values, or made columns again by ``reset_index()``), or as columns
        with ``as_index=False``."""
        items = key.items if isinstance(key, Seq) else (key,)
        names = tuple(k.text for k in items if isinstance(k, Str) and k.known)
        return Obj("groupby", {**group.data, "selected": names})

    def _series_method(self, series: Series, name: str, args, kwargs, node, env) -> Val:
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

    def itemgetter(self, getter: Obj, item: Val, node) -> Val:
        """``operator.itemgetter("first_name", "ward")(row)``: those fields of the row."""
        got = [self.index(item, key, node) for key in getter.data["keys"]]
        return got[0] if len(got) == 1 else Seq(tuple(got))

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

    def _sql_insert(self, table: Val, values: dict[str, Val]) -> Obj:
        """A SQLAlchemy Core insert into ``table`` (a ``Table``), with the values it sets."""
        name = table.data.get("name") if isinstance(table, Obj) else None
        return Obj("sql-insert", {"table": name, "values": values})

    def _paho(self, qname: str, last: str, args, kwargs, node) -> Val:
        """paho-MQTT: ``Client()`` (its methods in ``_obj_method``), and the one-shot
        ``paho.mqtt.publish.single(topic, payload, qos, retain, hostname)``/``multiple(msgs,
        hostname=)``, which connect, send and disconnect."""
        if last == "Client":
            return Obj("mqtt", {"made": True})  # its TLS is what the code sets (tls_set)
        if qname.startswith("paho.mqtt.publish.") and last in ("single", "multiple"):
            host = kwargs.get("hostname", args[4] if last == "single" and len(args) > 4 else None)
            if host is None:
                host = Str("localhost")  # paho's default broker
            tls = kwargs.get("tls", args[10] if last == "single" and len(args) > 10 else None)
            scheme = (
                "mqtt" if tls is None or (isinstance(tls, Num) and tls.value is None) else "mqtts"
            )
            hosts = self._endpoint(
                f"paho.mqtt.publish.{last}", self._host_url(scheme, host), node, from_host=True
            )
            if last == "single":
                payload = args[1] if len(args) > 1 else kwargs.get("payload", UNKNOWN)
            else:
                payload = args[0] if args else kwargs.get("msgs", UNKNOWN)
            self._sink(
                "network",
                f"mqtt.publish.{last}",
                self._by_name(payload, node),
                node,
                host=hosts[0] if hosts else None,
            )
        return UNKNOWN

    def _mqtt_receiver(self, rname: str) -> bool:
        """A receiver named like an MQTT client, in a module that imports paho: ``client`` in
        ``on_connect(client, userdata, ...)``, ``mqttc``, ``self.mqtt``."""
        last = rname.rsplit(".", 1)[-1].lower()
        if "mqtt" not in last and last not in ("client", "mqttc", "_client"):
            return False
        return any(q == "paho" or q.startswith("paho.") for q in self.imports.values())

    def _topic_path(self, args: list, kwargs: dict) -> Val:
        """``topic_path(project, topic)``: ``projects/{project}/topics/{topic}``, the topic the
        inventory names and joins to the Terraform that defines it."""
        project = args[0] if args else kwargs.get("project")
        topic = args[1] if len(args) > 1 else kwargs.get("topic")
        if project is None or topic is None:
            return UNKNOWN
        path = self._concat(self._concat(Str("projects/"), project), Str("/topics/"))
        return self._concat(path, topic)

    def _obj_method(self, obj: Obj, name: str, args, kwargs, node, env) -> Val:
        kind = obj.kind
        if kind == "django-rows":
            return self._django_method(obj, name, args, kwargs, node)
        if kind == "orm-rows":  # a SQLAlchemy result or Query
            if name in _ORM_ONE_ROW:
                return obj.data["frame"].as_row()
            return obj if name in _ORM_SAME_ROWS else UNKNOWN
        if kind == "sql-table" and name == "insert":  # contacts.insert()
            return self._sql_insert(obj, {})
        if kind == "sql-insert" and name == "values":  # insert(t).values(email=..., ...)
            values = dict(obj.data["values"])
            values.update(kwargs)
            for arg in args:  # .values({"email": ...}) or .values([{...}, ...])
                values[f"${len(values)}"] = arg
            return Obj("sql-insert", {"table": obj.data["table"], "values": values})
        if kind == "hasher":  # h = hashlib.sha256(); h.update(plate); h.hexdigest()
            if name == "update" and args:
                if obj.data.get("keyed"):
                    digest = self._protect(args[:1], f"hmac.{obj.data['algo']}", node)
                else:
                    digest = self._hash(obj.data["algo"], args[:1], node, key=obj.data.get("key"))
                self.add_payload(obj, digest)
            elif name in ("hexdigest", "digest"):
                digest = self.payload(obj)
                return digest if isinstance(digest, Val) else UNKNOWN
            elif name == "copy":
                return obj
            return UNKNOWN
        if kind == "http":
            if name in _HTTP_VERBS:
                if name == "request" and args:
                    args = args[1:]
                url = args[0] if args else kwargs.get("url")
                payload = mixture(
                    [
                        kwargs[k]
                        for k in ("json", "data", "files", "params", "content")
                        if k in kwargs
                    ]
                )
                self._http_call(
                    f"{obj.data.get('api', 'session')}.{name}",
                    url,
                    payload,
                    node,
                    base=obj.data.get("base"),
                )
                return Obj("http-response")
            return obj if name in ("mount", "__enter__") else UNKNOWN
        if kind == "http-response":
            if name in ("json", "read", "text", "iter_lines"):
                return Frame("rows", {}, (Source(node, "HTTP response"),))
            return UNKNOWN
        if kind == "aws-session" and name in ("client", "resource"):  # boto3.Session().client
            return self._boto(name, args, kwargs, node)
        if (
            kind == "aws"
            and obj.data.get("resource")
            and (obj.data["service"], name) in _AWS_RESOURCES
        ):
            return Obj("aws", {"service": obj.data["service"]})  # its sends: the client's
        if kind == "aws" and (obj.data.get("service"), name) in _AWS_MESSAGES:
            return self._aws_message(obj.data["service"], name, kwargs, node)
        if kind == "aws" and obj.data.get("service") == "dynamodb":
            return self._dynamodb(obj, name, args, kwargs, node)
        if kind == "cosmos":
            return self._cosmos(obj, name, args, kwargs, node)
        if kind in ("s3", "storage", "aws", "gcs", "azure"):
            return self._storage_method(obj, name, args, kwargs, node)
        if kind == "bigquery" and name in _BIGQUERY_QUERIES:
            # As a hook's query: the job's rows are the SELECT's columns, as read_sql's are
            # (the job keeps them through .result() and .to_dataframe(), as a table does).
            query = args[0] if args else kwargs.get("query")
            if not isinstance(query, Str):
                return UNKNOWN
            label = f"read by bigquery.Client.{name}"
            parsed = sql.select_columns(query.text)
            if parsed is not None:
                return self._sql_frame("rows", parsed, node, label)
            return Frame("rows", {}, (QuerySource(node, label),))
        if kind == "bigquery" and name in _BIGQUERY_WRITES:
            # insert_rows(_json)(table, rows), load_table_from_dataframe/json(rows, table)
            rows_first = name.startswith("load_")
            rows = args[0 if rows_first else 1] if len(args) > 1 else None
            table = args[1 if rows_first else 0] if len(args) > 1 else None
            rows = next(
                (kwargs[k] for k in ("rows", "json_rows", "dataframe") if k in kwargs), rows
            )
            table = next((kwargs[k] for k in ("table", "destination") if k in kwargs), table)
            if rows is not None:
                target = table.text if isinstance(table, Str) else None
                self._sink("database", f"bigquery.Client.{name}", rows, node, target=target)
            return UNKNOWN
        if kind in ("db", "cursor"):
            if name in ("cursor", "connect", "begin", "__enter__", "raw_connection"):
                return Obj("cursor", {"frame": None})
            if name == "execute" and args and _is_insert(args[0]):
                return self._execute_insert("", args, node)
            if name in _CURSOR_WRITES and args and isinstance(args[0], Str):
                result = self._execute("", args, node, many=name != "execute")
                parsed = sql.select_columns(args[0].text)
                if parsed is not None:
                    obj.data["frame"] = self._sql_frame("rows", parsed, node, "read by SQL query")
                    return obj
                return result
            if name in (
                "fetchall",
                "fetchone",
                "fetchmany",
                "__iter__",
                "mappings",
                "all",
                "first",
            ):
                frame = obj.data.get("frame")
                if isinstance(frame, Frame) and name in _ONE_ROW:
                    return frame.as_row()
                return frame or Frame("rows", {}, (QuerySource(node, "rows fetched"),))
            return UNKNOWN
        if kind == "path":
            return self._path_method(obj, name, args, kwargs, node)
        if kind == "file":
            if name in ("write", "writelines", "write_all") and args:  # write_all: jsonlines
                self._sink_to_handle(obj, args[0], f"file.{name}", node)
            if name in ("read", "readlines", "readline", "getvalue", "getbuffer"):
                payload = self.payload(obj)
                return payload if isinstance(payload, Val) else UNKNOWN
            return obj if name == "__enter__" else UNKNOWN
        if kind == "csv-writer":
            if name in ("writerow", "writerows") and args:
                value = args[0]
                names = obj.data.get("fieldnames")
                known = isinstance(names, Seq) and all(
                    isinstance(i, Str) and i.known for i in names.items
                )
                columns = [i.text for i in names.items] if known else []  # type: ignore[union-attr]
                if name == "writerow" and not isinstance(names, Seq) and isinstance(value, Seq):
                    value = self._row_by_names(value, node)
                if columns and isinstance(value, (Frame, Seq)) and cols_of(value):
                    # A DictWriter writes its fieldnames only (extra keys: ignored, or an
                    # error with the default extrasaction="raise").
                    kept = tuple(c for c in cols_of(value) if c.name in columns)
                    value = Series(kept) if kept else UNKNOWN
                elif not cols_of(value) and isinstance(names, Seq):
                    step = Step(node, "row written")
                    value = Series(
                        tuple(
                            Col(i.text, (i.text,), RAW, (step,))
                            for i in names.items
                            if isinstance(i, Str)
                        )
                    )
                self._sink_to_handle(obj.data.get("handle"), value, f"csv.writer.{name}", node)
            return UNKNOWN
        if kind == "logger":
            bound = obj.data.get("bound") or {}
            if name in _LOG_METHODS:
                self._logged(f"logger.{name}", args, {**bound, **kwargs}, node)
                return UNKNOWN
            if name in ("bind", "new") and (kwargs or name == "new"):
                # structlog's and loguru's bound context goes out with every line logged
                # (structlog's new() starts a fresh context)
                kept = bound if name == "bind" else {}
                return Obj("logger", {"bound": {**kept, **kwargs}})
            return obj if name in ("getChild", "bind", "opt") else UNKNOWN
        if kind == "spark":
            if name in ("sql",) and args and isinstance(args[0], Str):
                parsed = sql.select_columns(args[0].text)
                if parsed is not None:
                    return self._sql_frame("spark", parsed, node, "read by spark.sql")
                return Frame("spark", {}, (Source(node, "read by spark.sql"),))
            if name in ("table", "read_table"):
                return Frame("spark", {}, (Source(node, f"read by spark.{name}"),))
            if name == "createDataFrame" and args:
                data = args[0]
                schema = args[1] if len(args) > 1 else kwargs.get("schema")
                if isinstance(data, Frame):
                    return data.restyled("spark")
                if isinstance(schema, Seq):
                    names = [i.text for i in schema.items if isinstance(i, Str)]
                    return Frame(
                        "spark",
                        {n: Col(n, (n,), RAW, (Step(node, "createDataFrame"),)) for n in names},
                    )
                return Frame("spark", {}, (Source(node, "createDataFrame"),))
            return (
                obj
                if name in ("getOrCreate", "appName", "config", "master", "enableHiveSupport")
                else UNKNOWN
            )
        if kind == "spark-reader":
            if name in ("format", "option", "options", "schema"):
                return obj
            return Frame("spark", {}, (Source(node, f"read by spark.read.{name}"),))
        if kind == "spark-writer":
            if name in (
                "mode",
                "option",
                "options",
                "partitionBy",
                "bucketBy",
                "sortBy",
                "outputMode",
                "trigger",
                "queryName",
            ):
                return obj
            if name == "format":
                fmt = args[0].text if args and isinstance(args[0], Str) else None
                return Obj("spark-writer", {**obj.data, "format": fmt})
            target_val = args[0] if args else kwargs.get("path", kwargs.get("url"))
            target = target_val.text if isinstance(target_val, Str) else None
            fmt = obj.data.get("format")
            kind_ = (
                "database"
                if name in ("jdbc", "saveAsTable", "insertInto") or fmt == "jdbc"
                else "file"
            )
            if target and target.startswith(_STORAGE_SCHEMES):
                kind_ = "storage"
            if fmt in ("kafka",):
                kind_ = "network"
            self._sink(
                kind_,
                f"DataFrame.write.{name}",
                obj.data["frame"],
                node,
                target=target,
                host=self._bucket(target) if kind_ == "storage" else None,
            )
            return UNKNOWN
        if kind == "groupby":
            frame: Frame = obj.data["frame"]
            keys = obj.data["keys"]
            selected = obj.data.get("selected")
            if selected is not None and name not in _GROUP_RESULTS:
                return UNKNOWN  # transform(), shift(), cumsum(): the rows, not the groups
            cols = {k: frame.get(k) or Col(k, (k,)) for k in keys}
            if selected and (name in _KEEPING or (name in ("agg", "aggregate") and args)):
                how = Str(name) if name in _KEEPING else args[0]
                for column in selected if _keeps_values(how) else ():
                    kept = frame.get(column)
                    if kept is not None:  # groupby(k)["email"].first(): an email per group
                        cols[column] = self._as_column(column, Series((kept,)), node)
            for key in kwargs:
                cols[key] = Col(key, (), AGGREGATE, ())
            if name in ("agg", "aggregate"):  # the values some aggregations keep as they are
                spec = args[0] if args else None
                wanted = {k: v for k, v in kwargs.items() if isinstance(v, Seq) and v.items}
                pairs = [(k, v.items[0], v.items[-1]) for k, v in wanted.items()]
                if isinstance(spec, Frame) and spec.entries:  # agg({"email": "first"})
                    pairs += [(k, Str(k), how) for k, how in spec.entries.items()]
                for out, column, how in pairs:
                    kept = frame.get(column.text) if isinstance(column, Str) else None
                    if kept is None:
                        continue
                    if isinstance(how, Func):  # agg(x=("email", lambda s: ...)): what it gives
                        given = self.call_func(how, [Series((kept,))], {}, node)
                        if cols_of(given):
                            cols[out] = self._as_column(out, given, node)
                    elif _keeps_values(how):
                        cols[out] = self._as_column(out, Series((kept,)), node)
            # One row per group: cells a published table must not show under k (DH564).
            grouped = "cells" if name not in _KEEPING and name != "apply" else ""
            return Frame(frame.lib, cols, grouped=grouped)
        if kind == "message":  # an e-mail: what is put in it is what it sends
            if name in ("set_content", "attach", "add_attachment", "set_payload") and args:
                self.add_payload(obj, args[0])
            elif name in ("as_string", "as_bytes", "get_payload", "get_content", "__str__"):
                payload = self.payload(obj)
                return payload if isinstance(payload, Val) else UNKNOWN
            return UNKNOWN
        if kind == "django-mail":  # EmailMessage(...): what is put in it is what send() sends
            if name in ("attach", "attach_alternative", "attach_file"):
                self.add_payload(obj, self._by_name(self._attached(name, args, kwargs), node))
            elif name == "send":
                payload = self.payload(obj)
                api = f"django.core.mail.{obj.data['class']}.send"
                self._sink("network", api, payload if isinstance(payload, Val) else UNKNOWN, node)
            return UNKNOWN
        if kind == "smtp":
            if name in _SMTP_SENDS:
                self._smtp_send(name, obj, args, kwargs, node)
            return obj if name == "__enter__" else UNKNOWN
        if kind == "twilio":
            if name == "create" and obj.data.get("resource") in _TWILIO_SENDS:
                self._twilio_send(obj.data["resource"], kwargs, node)
            return UNKNOWN
        if kind == "ftp":
            if name in ("storbinary", "storlines") and len(args) >= 2:
                self._sink("network", f"ftplib.{name}", args[1], node, host=obj.data.get("host"))
            return obj if name == "__enter__" else UNKNOWN
        if kind == "ssh":
            if name == "connect":
                host = args[0] if args else kwargs.get("hostname")
                if isinstance(host, Str):
                    self._endpoint(
                        "paramiko.SSHClient.connect",
                        self._host_url("sftp", host),
                        node,
                        from_host=True,
                    )
                    obj.data["host"] = self._host_text(host)
                obj.data["env"] = tuple(dict.fromkeys((*obj.data.get("env", ()), *env_of(host))))
                return UNKNOWN
            if name == "open_sftp":
                return Obj("sftp", {"host": obj.data.get("host")})
            return UNKNOWN
        if kind == "sftp":
            if name in ("put", "putfo") and args:
                value = self._file_value(args[0])
                self._sink("network", f"sftp.{name}", value, node, host=obj.data.get("host"))
            return obj if name == "__enter__" else UNKNOWN
        if kind == "kafka-consumer" and name in ("poll", "consume"):
            message = Obj("kafka-message", {"node": node})
            return message if name == "poll" else Seq((message,))
        if kind == "kafka-message" and name == "value":  # confluent_kafka's msg.value()
            return self.consumed(obj)
        if kind == "kafka":
            if name in ("send", "produce"):
                payload = mixture(
                    list(args[1:]) + [kwargs[k] for k in ("value", "key") if k in kwargs]
                )
                hosts = obj.data.get("hosts", ())
                host = hosts[0] if hosts else None
                self._sink("network", f"kafka.{name}", payload, node, host=host, hosts=hosts)
            return UNKNOWN
        if kind == "mqtt":
            if name in ("connect", "connect_async", "connect_srv"):
                host = args[0] if args else kwargs.get("host")
                if host is None and name == "connect_srv":
                    host = kwargs.get("domain")
                port = args[1] if len(args) > 1 else kwargs.get("port")
                hosts = self._endpoint(
                    f"paho.mqtt.client.Client.{name}",
                    self._host_url(_mqtt_scheme(obj, port), host),
                    node,
                    from_host=True,
                )
                obj.data["host"] = hosts[0] if hosts else obj.data.get("host")
            elif name in ("tls_set", "tls_set_context"):
                obj.data["tls"] = True
            elif name == "publish":
                # publish(topic, payload=None, qos, retain): the payload goes to the broker
                payload = args[1] if len(args) > 1 else kwargs.get("payload")
                if payload is not None:
                    self._sink(
                        "network",
                        "mqtt.publish",
                        self._by_name(payload, node),
                        node,
                        host=obj.data.get("host"),
                    )
            elif name == "tls_insecure_set":
                value = args[0] if args else kwargs.get("value")
                if _is_true(value):
                    # skips the broker certificate's hostname check: anyone with a
                    # certificate from a trusted CA can pose as the broker
                    self._tls("tls-insecure", node, self._text(node.func))
            return obj if name == "__enter__" else UNKNOWN
        if kind == "pubsub":
            if name == "publish":
                # publish(topic, data, ordering_key=, **attributes): all go to the topic
                payload = mixture(
                    list(args[1:])
                    + [v for k, v in kwargs.items() if k not in _PUBSUB_OPTIONS and k != "topic"]
                )
                topic = args[0] if args else kwargs.get("topic")
                target = topic.text if isinstance(topic, Str) else ""
                if "{...}" in target.rpartition("/")[2]:
                    target = ""  # the topic's own name unknown (an imported constant)
                self._sink("network", "pubsub.publish", payload, node, target=target or None)
            elif name == "topic_path":
                return self._topic_path(args, kwargs)
            return UNKNOWN
        if kind == "azure-bus":
            if name in _BUS_SENDS:
                sent = [*args[:1], *(v for k, v in kwargs.items() if k in _BUS_SENT)]
                payload = [self._bus_payload(v) for v in sent]
                if payload:
                    api = f"{obj.data.get('api', 'azure')}.{name}"
                    self._sink("network", api, mixture(payload), node)
                return UNKNOWN
            if name in ("create_batch", "create_message_batch"):  # its partition key is sent
                key = kwargs.get("partition_key")
                return Obj("azure-bus-batch", {"payload": key} if key is not None else {})
            if name in ("__enter__", "get_queue_sender", "get_topic_sender"):
                return obj
            return UNKNOWN
        if kind == "socket":
            if name in PEER_METHODS:
                return self._peer_of(name, node)
            return obj if name == "__enter__" else UNKNOWN
        if kind == "azure-bus-batch":  # batch.add(EventData(...)): the batch sends it
            if name in ("add", "add_message") and args:
                self.add_payload(obj, args[0])
            return UNKNOWN
        if kind == "urllib-request" and name == "add_header":
            return UNKNOWN
        return UNKNOWN

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

    def _storage_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        if name in ("client", "resource"):
            return self._boto(name, args, kwargs, node)
        if name in (
            "Bucket",
            "bucket",
            "get_bucket",
            "blob",
            "Object",
            "get_blob_client",
            "get_container_client",
            "Blob",
        ):
            if name in _AZURE_HANDLES:
                return _azure_handle(obj, name, args, kwargs)
            bucket = args[0].text if args and isinstance(args[0], Str) else obj.data.get("bucket")
            return Obj(obj.kind, {**obj.data, "bucket": bucket})
        if name in ("upload_file", "upload_fileobj", "upload_from_filename", "upload_from_file"):
            source = (
                args[0]
                if args
                else kwargs.get("Filename", kwargs.get("Fileobj", kwargs.get("filename")))
            )
            bucket = args[1] if len(args) > 1 else kwargs.get("Bucket")
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            self._sink("storage", f"{obj.kind}.{name}", self._file_value(source), node, host=host)
            return UNKNOWN
        if name in ("load_file", "load_string", "load_bytes", "load_file_obj"):
            source = args[0] if args else kwargs.get("filename", kwargs.get("string_data"))
            bucket = kwargs.get("bucket_name", args[2] if len(args) > 2 else None)
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            self._sink("storage", f"S3Hook.{name}", self._file_value(source), node, host=host)
            return UNKNOWN
        if name in _AZURE_HANDLES:  # a Data Lake file system's, directory's or file's client
            return _azure_handle(obj, name, args, kwargs)
        if name == "upload_blob":
            self._upload_blob(obj, args, kwargs, node)
            return UNKNOWN
        if name in ("upload_data", "append_data"):
            # A Data Lake file's content (append_data: a part, committed by flush_data)
            data = kwargs.get("data", args[0] if args else UNKNOWN)
            host, target = _azure_store(obj)
            api = f"{obj.kind}.{name}"
            self._sink("storage", api, self._file_value(data), node, host=host, target=target)
            return UNKNOWN
        if name in ("put_object", "put", "upload_from_string"):
            body = kwargs.get(
                "Body", kwargs.get("data", args[0] if args and name != "put_object" else UNKNOWN)
            )
            bucket = kwargs.get("Bucket")
            host = bucket.text if isinstance(bucket, Str) else obj.data.get("bucket")
            self._sink("storage", f"{obj.kind}.{name}", self._file_value(body), node, host=host)
            return UNKNOWN
        return UNKNOWN

    def _bus_payload(self, value: Val) -> Val:
        """What an Event Hubs or Service Bus send carries: a batch, what was added to it."""
        if isinstance(value, Obj) and value.kind == "azure-bus-batch":
            payload = self.payload(value)
            return payload if isinstance(payload, Val) else UNKNOWN
        return value

    def _upload_blob(self, obj: Obj, args, kwargs, node) -> None:
        """Azure's ``ContainerClient.upload_blob(name, data)`` takes the data second,
        ``BlobClient.upload_blob(data)`` first; of a client of unknown kind both may be it."""
        level = obj.data.get("level")
        if "data" in kwargs:
            bodies = [kwargs["data"]]
        elif level == "container":
            bodies = list(args[1:2])
        elif level == "blob":
            bodies = list(args[:1])
        else:
            bodies = list(args[:2])
        body = mixture([self._file_value(b) for b in bodies]) if bodies else UNKNOWN
        if level == "container":  # the blob's name, written under the container
            name = kwargs.get("name", args[0] if args and "data" not in kwargs else None)
            known = isinstance(name, Str) and name.known
            obj = Obj(obj.kind, {**obj.data, "path": name.text if known else None})  # type: ignore[union-attr]
        host, target = _azure_store(obj)
        self._sink("storage", f"{obj.kind}.upload_blob", body, node, host=host, target=target)

    def path_of(self, parts: Sequence[Val]) -> Obj:
        """A ``pathlib.Path`` of ``parts`` (its text when every part is known)."""
        texts = []
        for part in parts:
            if isinstance(part, Obj) and part.kind == "path" and part.data["path"]:
                texts.append(part.data["path"])  # Path(base) / "out.csv"
            elif isinstance(part, Str) and part.known:
                texts.append(part.text)
            else:
                return Obj("path", {"path": None})
        return Obj("path", {"path": posixpath.join(*texts) if texts else None})

    def _path_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """``Path.write_text``/``write_bytes`` write a file, ``open`` opens one, ``read_text``
        and ``read_bytes`` read back what was written, ``joinpath`` builds another path."""
        path = obj.data["path"]
        if name in ("write_text", "write_bytes"):
            data = args[0] if args else kwargs.get("data", UNKNOWN)
            handle = Obj("file", {"path": path, "write": True})
            self._sink_to_handle(handle, data, f"Path.{name}", node)
            return UNKNOWN
        if name == "open":
            return self._builtin("open", [obj, *args], kwargs, node)
        if name in ("read_text", "read_bytes"):
            if not path:
                return UNKNOWN
            self.read_state("file", path)
            return self.files.get(path, UNKNOWN)
        if name == "joinpath":
            return self.path_of([obj, *args])
        if name in ("resolve", "absolute", "expanduser"):
            return obj
        return Obj("path", {"path": None}) if name.startswith("with_") else UNKNOWN

    def _file_value(self, value: Val | None) -> Val:
        """What a file argument holds: a path written earlier, an open file, in-memory data.
        A path with a runtime part (f"/out/x_{date.today():%Y%m%d}.csv") is the file written
        under the same text, as ``open`` and ``read_csv`` read it."""
        if isinstance(value, Str):
            self.read_state("file", value.text)
            if value.text in self.files:
                return self.files[value.text]
        if isinstance(value, Obj) and value.kind == "file":
            payload = self.payload(value)
            if isinstance(payload, Val):
                return payload
            path = value.data.get("path")
            if path:
                self.read_state("file", path)
            return self.files.get(path, UNKNOWN) if path else UNKNOWN
        return value if value is not None else UNKNOWN

    def _sink_to_handle(self, handle: Val | None, value: Val, api: str, node) -> None:
        path = (
            handle.data.get("path") if isinstance(handle, Obj) and handle.kind == "file" else None
        )
        if not (isinstance(handle, Obj) and handle.data.get("memory")):
            self._sink("file", api, value, node, target=path)
        if path:
            self.write_state("file", self.files, path, value)
        if isinstance(handle, Obj):
            self.add_payload(handle, value)


def _is_url_request(
    name: str, args, kwargs=None, receiver: str = "", parameter: bool = False
) -> bool:
    """``client.get("https://...", params=...)`` on an object the analysis does not know: an
    HTTP request. On a parameter (which may as well be a dict), a ``get`` is one only with a
    sign of a client (its name, or a request's keywords): ``etags.get(URL)`` reads a dict."""
    if not (
        name in _HTTP_VERBS
        and bool(args)
        and isinstance(args[0], Str)
        and re.match(r"^[a-z][a-z0-9+.-]*://", args[0].text) is not None
    ):
        return False
    return (
        not parameter
        or name != "get"
        or bool(_CLIENT_NAME.search(receiver) or _REQUEST_KEYWORDS.intersection(kwargs or ()))
    )


_CLIENT_NAME = re.compile(r"(?i)client|session|http|requests|api|rest|conn|sess$|^s$")

# A message's addressee and its text in an SMS or e-mail API's JSON or form body (keys
# compared in lower case without "_" and "-": "To", "phone_number", "toNumber").
_ADDRESSEE_KEYS = frozenset(
    {"to", "recipient", "phonenumber", "destination", "destinationnumber", "tonumber", "msisdn",
     "mobilenumber", "toaddress", "toemail"}
)  # fmt: skip
_MESSAGE_KEYS = frozenset(
    {"body", "text", "message", "msg", "content", "html", "subject", "sms", "messagetext",
     "smstext", "textbody", "htmlbody"}
)  # fmt: skip
# Calls that gather many values (a column, the rows' field): not one addressee.
_GATHERS = frozenset(
    {"list", "tuple", "set", "sorted", "tolist", "to_list", "join", "unique", "values_list",
     "collect", "to_numpy", "values", "keys", "items", "map", "filter", "dict", "to_dict"}
)  # fmt: skip


_BINDINGS = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)
_Bound = Callable[[ast.Name], list[ast.expr]]


def _without_addressee(
    payload: Val, bound: _Bound | None = None, to: ast.Dict | None = None
) -> Val:
    """An HTTP body that is a message (``{"to": phone, "body": text}`` to an SMS or e-mail
    API) without its addressee: where the message goes is its purpose, as SNS's
    ``PhoneNumber=`` is (DH561). Only a dict literal holding a text under a message key and
    one addressee (a value, a row's field, a text built of them; not a list gathered from a
    column or rows, which is a bulk export, also when a variable holds it: ``bound`` gives
    what a name was assigned); its other fields are sent as they are. In a mixture (``json=``
    and ``params=``), each part."""
    if isinstance(payload, Seq):
        items = tuple(_without_addressee(item, bound, to) for item in payload.items)
        changed = any(a is not b for a, b in zip(items, payload.items, strict=True))
        return Seq(items) if changed else payload
    if not (isinstance(payload, Frame) and payload.lib == "dict" and payload.entries):
        return payload
    keys = {_key_word(key): key for key in payload.entries}
    message = [payload.entries[keys[k]] for k in _MESSAGE_KEYS.intersection(keys)]
    if not any(isinstance(value, (Str, Unknown, Series)) for value in message) and not (
        # v3's content [{"type": "text/plain", "value": text}], or its template_id (a text
        # kept at SendGrid, the same for every addressee: no dynamic_template_data)
        to is not None and ("content" in keys or "templateid" in keys)
    ):
        return payload
    addressees = [
        key
        for word in _ADDRESSEE_KEYS.intersection(keys)
        if (key := keys[word]) in payload.cols
        and isinstance(payload.entries[key], (Str, Unknown, Series))
        and _one_addressee(payload.cols[key], key, bound)
    ]
    if to is not None:  # SendGrid's v3 personalizations[0].to[0]: its columns from there
        addressees.extend(
            name
            for key, value in zip(to.keys, to.values, strict=True)
            if (name := _key_text(key)) in payload.cols
            and (col := payload.cols[name]).flow
            and col.flow[-1].node is value
            and _one_addressee(col, name, bound)
        )
    if not addressees:
        return payload
    cols = {name: col for name, col in payload.cols.items() if name not in addressees}
    return dataclasses.replace(payload, cols=cols)


# Django's mail functions and messages: (position, keyword) of what is sent, and of the
# addressees (``_django_mail``).
_DJANGO_MAIL = {
    "send_mail": (((0, "subject"), (1, "message"), (8, "html_message")), ((3, "recipient_list"),)),
    "send_mass_mail": (((0, "datatuple"),), ()),
    "mail_admins": (((0, "subject"), (1, "message"), (4, "html_message")), ()),
    "mail_managers": (((0, "subject"), (1, "message"), (4, "html_message")), ()),
    "EmailMessage": (
        ((0, "subject"), (1, "body"), (6, "attachments"), (7, "headers")),
        ((3, "to"), (4, "bcc"), (8, "cc"), (9, "reply_to")),
    ),
    "EmailMultiAlternatives": (
        ((0, "subject"), (1, "body"), (6, "attachments"), (7, "headers"), (8, "alternatives")),
        ((3, "to"), (4, "bcc"), (9, "cc"), (10, "reply_to")),
    ),
}
# An e-mail message's headers that name its addressees.
_ADDRESS_HEADERS = frozenset({"to", "cc", "bcc"})
# smtplib's sends: (position, keyword) of the message, and of its addressees.
_SMTP_SENDS = {
    "sendmail": ((2, "msg"), (1, "to_addrs")),
    "send_message": ((0, "msg"), (2, "to_addrs")),
}


def _argument(args, kwargs: dict, position: int, keyword: str):
    """A call's argument given by position or keyword, or None."""
    if keyword in kwargs:
        return kwargs[keyword]
    return args[position] if len(args) > position else None


def _keywords(node: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in node.keywords if k.arg is not None}


def _addressees(value: Val, expr: ast.expr, bound: _Bound, depth: int = 0) -> bool:
    """``to_addrs`` names its addressees one by one: one value (``_one_value``: a text, a
    row's field), a list or tuple literal of such, or a name assigned only such. Not a
    list gathered from a column or rows, nor an empty list filled later."""
    if isinstance(value, Frame):
        return False
    kind = type(expr)
    if kind in (ast.List, ast.Tuple):
        elements = expr.elts  # type: ignore[attr-defined]
        return bool(elements) and all(_one_value(e, bound) for e in elements)
    if kind is ast.Name and depth <= 2:
        values = bound(expr)  # type: ignore[arg-type]
        return all(_addressees(UNKNOWN, v, bound, depth + 1) for v in values)
    return _one_value(expr, bound)


def _personalization(call: Any, bound: _Bound) -> ast.Dict | None:
    """SendGrid's v3 mail/send body (``json=`` a dict literal, or a name assigned one) with one
    personalization of one addressee, ``"personalizations": [{"to": [{"email": e}]}]`` (and
    ``"name"``): that addressee's dict literal. One message to one person, as a flat ``to`` is;
    any other field of the personalization (``cc``, ``dynamic_template_data``), more than one
    of either, or a comprehension leaves it judged."""
    body = next((k.value for k in getattr(call, "keywords", ()) if k.arg == "json"), None)
    inner = _only_item(_literal_entry(_assigned(body, bound), "personalizations"), bound)
    if inner is None or len(inner.keys) != 1:
        return None
    to = _only_item(_literal_entry(inner, "to"), bound)
    if to is None or not {_key_text(k) for k in to.keys} <= {"email", "name"}:
        return None
    return to


def _assigned(node: Any, bound: _Bound) -> Any:
    """A name's one assigned value (``body = {...}``), or the node itself."""
    if type(node) is ast.Name:
        values = bound(node)
        return values[0] if len(values) == 1 else None
    return node


def _literal_entry(node: Any, key: str) -> ast.expr | None:
    if type(node) is not ast.Dict:
        return None
    return next(
        (v for k, v in zip(node.keys, node.values, strict=True) if _key_text(k) == key), None
    )


def _key_text(node: Any) -> str | None:
    return node.value if type(node) is ast.Constant and type(node.value) is str else None


def _only_item(node: Any, bound: _Bound) -> ast.Dict | None:
    """The dict literal of a list literal of one (``[{"email": e}]``), or None."""
    node = _assigned(node, bound)
    if type(node) is ast.List and len(node.elts) == 1 and type(node.elts[0]) is ast.Dict:
        return node.elts[0]
    return None


def _key_word(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _one_addressee(col: Col, key: str, bound: _Bound | None = None) -> bool:
    """The dict literal's value under ``key`` (the last step of its flow) is one value: a
    name, an attribute, a field by a constant key, a text built of such, or a call of them
    that does not gather many (``normalize(row["phone"])``, not ``df["phone"].tolist()``).
    A name is what it was assigned (``bound``): ``to = [row["phone"]]`` is a list."""
    step = col.flow[-1] if col.flow else None
    if step is None or step.label != f"field '{key}'" or not isinstance(step.node, ast.expr):
        return False
    return _one_value(step.node, bound)


def _one_value(node: ast.expr, bound: _Bound | None = None, depth: int = 0) -> bool:
    kind = type(node)
    if kind is ast.Name:
        if bound is None or depth > 2:
            return True
        # a parameter, or a variable assigned one value (not a list, a comprehension, a join)
        return all(_one_value(v, bound, depth + 1) for v in bound(node))  # type: ignore[arg-type]
    if kind is ast.Constant:
        return True
    if kind is ast.Attribute:
        return _one_value(node.value, bound, depth)  # type: ignore[attr-defined]
    if kind is ast.Subscript:
        index = node.slice  # type: ignore[attr-defined]
        return type(index) is ast.Constant and _one_value(node.value, bound, depth)  # type: ignore[attr-defined]
    if kind is ast.JoinedStr:
        return all(_one_value(part, bound, depth) for part in node.values)  # type: ignore[attr-defined]
    if kind is ast.FormattedValue:
        return _one_value(node.value, bound, depth)  # type: ignore[attr-defined]
    if kind is ast.BinOp:
        left, right = node.left, node.right  # type: ignore[attr-defined]
        return _one_value(left, bound, depth) and _one_value(right, bound, depth)
    if kind is ast.Call:
        func = node.func  # type: ignore[attr-defined]
        name = func.id if type(func) is ast.Name else getattr(func, "attr", "")
        if name in _GATHERS or node.keywords:  # type: ignore[attr-defined]
            return False
        receiver = [func.value] if type(func) is ast.Attribute else []
        args = (*receiver, *node.args)  # type: ignore[attr-defined]
        return all(_one_value(arg, bound, depth) for arg in args)
    return False


def _returns_record(name: str, node) -> bool:
    """``serializer.save()``, ``form.save()`` (a receiver so named: DRF's serializer, a Django
    form or model form) and a view's ``self.get_object()``: calls that return a model instance."""
    func = node.func
    if type(func) is not ast.Attribute:
        return False
    receiver = func.value
    if name == "get_object":
        return type(receiver) is ast.Name and receiver.id == "self"
    written = receiver.id if type(receiver) is ast.Name else getattr(receiver, "attr", "")
    return written.lower().endswith(("serializer", "form"))


_REQUEST_KEYWORDS = frozenset(
    {"params", "headers", "timeout", "auth", "verify", "cookies", "allow_redirects", "proxies"}
)


# The socket module's calls that make a socket, and the socket methods that give the peer's
# address; a receiver named so (``sock``, ``self.server_socket``: ``_socket_name``) is one.
_SOCKET_FACTORIES = frozenset({"socket", "create_server", "create_connection", "fromfd"})


def _socket_name(name: str) -> bool:
    """``sock``, ``self.server_socket``, ``client_sock2``: a socket's name (not a
    ``websocket``'s)."""
    last = name.rpartition(".")[2].lower().rstrip("0123456789")
    return last.lstrip("_") in ("sock", "socket") or last.endswith(("_sock", "_socket"))


# paho-MQTT's client methods the analysis reads (``_obj_method``'s "mqtt").
_MQTT_METHODS = frozenset(
    {"connect", "connect_async", "connect_srv", "publish", "tls_insecure_set", "tls_set",
     "tls_set_context"}
)  # fmt: skip


def _mqtt_scheme(client: Obj, port: Val | None) -> str:
    """``mqtts`` for a paho client connecting over TLS, ``mqtt`` for one in clear (probe38
    min/08): paho speaks TLS only after ``tls_set()`` (or ``tls_set_context``), whatever the
    port. A client not made in view (a parameter, a callback's) is judged by its port: the
    default 1883 is MQTT's cleartext port, another (8883) is taken to be TLS set elsewhere."""
    if client.data.get("tls"):
        return "mqtts"
    if client.data.get("made"):
        return "mqtt"
    number = port.value if isinstance(port, Num) else None
    return "mqtt" if port is None or number == 1883 else "mqtts"


def _insert_row(names: list[str], items: Sequence[Val], node) -> tuple[Col, ...]:
    """The columns one row of an INSERT writes, its values in the order of its column list:
    a value's own columns, or, for a value known by nothing (a field of a row fetched
    without column names, a call's result), the column it is written into. A constant holds
    no personal data; a variable known only by its name goes by that name."""
    out: list[Col] = []
    for name, item in zip(names, items, strict=True):
        found = cols_of(item)
        if found:
            out.extend(found)
        elif not isinstance(item, (Str, Num)):
            label = item.name if isinstance(item, Unknown) and item.name else name
            out.append(Col(label, (label,), RAW, (Step(node, f"written into '{name}'"),)))
    return tuple(out)


def _dynamodb_values(value: Val, node) -> Val:
    """An item, key or values of the DynamoDB client, whose values are typed
    (``{"card_number": {"S": v}}``): each attribute holds what its typed value holds, under
    the attribute's name (not the type's, ``S``)."""
    if not (isinstance(value, Frame) and value.entries):
        return value
    cols = dict(value.cols)
    for key, entry in value.entries.items():
        if not (
            isinstance(entry, Frame)
            and entry.entries
            and len(entry.entries) == 1
            and next(iter(entry.entries)) in _DYNAMODB_TYPES
        ):
            continue
        for col in entry.all_cols():
            if cols.get(col.name) is col:
                del cols[col.name]
        inner = cols_of(next(iter(entry.entries.values())))
        if inner:
            cols[key] = merge_cols(key, inner, Step(node, f"attribute '{key}'"))
    return dataclasses.replace(value, cols=cols)


def _dynamodb_attributes(name: str, kwargs: dict[str, Val], node) -> tuple[str, ...] | None:
    """The attributes a DynamoDB write sets, when all are known (None otherwise): an item put
    as a dict literal whose keys are all known (no ``**spread``), or an update's ``SET`` and
    ``ADD`` targets (``ExpressionAttributeNames`` resolving ``#n``) or ``AttributeUpdates``
    keys. DH390 reads it: an item put whole without the table's TTL attribute never expires."""
    literal = {k.arg: k.value for k in getattr(node, "keywords", ()) if k.arg}
    if name == "put_item":
        return _literal_keys(literal.get("Item"), kwargs.get("Item"))
    if name != "update_item":
        return None
    out: list[str] = []
    if "AttributeUpdates" in kwargs:
        keys = _literal_keys(literal.get("AttributeUpdates"), kwargs["AttributeUpdates"])
        if keys is None:
            return None
        out += keys
    if "UpdateExpression" in kwargs:
        expression = kwargs["UpdateExpression"]
        names = kwargs.get("ExpressionAttributeNames")
        aliases = names.entries if isinstance(names, Frame) and names.entries else {}
        if not isinstance(expression, Str):
            return None
        for option in expression.options:
            if not option.known:
                return None
            for target in _update_targets(option.text):
                if target.startswith("#"):
                    alias = aliases.get(target)
                    if not (isinstance(alias, Str) and alias.known):
                        return None
                    target = alias.text
                out.append(target)
    return tuple(dict.fromkeys(out))


def _literal_keys(written: ast.expr | None, value: Val | None) -> tuple[str, ...] | None:
    """The keys of a dict literal written in the call, when every one is known."""
    if not (type(written) is ast.Dict and isinstance(value, Frame) and value.entries is not None):
        return None
    if any(key is None for key in written.keys) or len(value.entries) != len(written.keys):
        return None  # a **spread, a key the analysis cannot name (or one written twice)
    return tuple(value.entries)


# An update expression's clauses: SET a = :v, b = if_not_exists(b, :z) / REMOVE c / ADD n :one /
# DELETE s :x. The attribute each SET or ADD action writes is its first path's first name.
_UPDATE_CLAUSE = re.compile(r"(?i)\b(SET|REMOVE|ADD|DELETE)\b")


def _update_targets(expression: str) -> list[str]:
    parts = _UPDATE_CLAUSE.split(expression)
    out = []
    for verb, body in zip(parts[1::2], parts[2::2], strict=False):
        if verb.upper() not in ("SET", "ADD"):
            continue
        depth, start = 0, 0
        actions = []
        for i, char in enumerate(body):  # split on the commas outside function calls
            depth += char == "("
            depth -= char == ")"
            if char == "," and depth == 0:
                actions.append(body[start:i])
                start = i + 1
        actions.append(body[start:])
        for action in actions:
            match = re.match(r"\s*([#\w]+)", action)
            if match:
                out.append(match.group(1))
    return out


def _patched_values(operations: Val, node) -> Val:
    """A Cosmos DB patch's operations (``[{"op": "set", "path": "/lat", "value": v}]``): each
    value is written under the last part of its path (``lat``), not under ``value``."""
    items = operations.items if isinstance(operations, Seq) else (operations,)
    cols: dict[str, Col] = {}
    for item in items:
        path = item.entries.get("path") if isinstance(item, Frame) and item.entries else None
        value = item.entries.get("value") if isinstance(item, Frame) and item.entries else None
        inner = cols_of(value) if value is not None else ()
        if isinstance(path, Str) and path.known and path.text.strip("/") and inner:
            key = path.text.rstrip("/").rsplit("/", 1)[-1]
            cols[key] = merge_cols(key, inner, Step(node, f"patched at '{path.text}'"))
        else:
            for col in cols_of(item):
                cols.setdefault(col.name, col)
    return Series(tuple(cols.values()))


# pandas' query expressions compare (``dwell_min > 120``, ``ward == @w``, ``x in [1, 2]``);
# SQL given to a client's query() starts with its verb (anchored: under search, as
# test_linear_patterns runs every pattern, a bare \s* backtracks quadratically on spaces).
_FRAME_QUERY = re.compile(r"[<>=!]=?|\bin\b")
_SQL_VERB = re.compile(
    r"\A\s*(?:select|with|insert|update|delete|create|drop|alter|merge|call|show|describe|"
    r"explain|grant|copy|upsert|replace)\b",
    re.I,
)


def _sourced(value: Val) -> bool:
    """A value of open schema (a parameter, a record consumed): its source holds its fields."""
    return isinstance(value, Unknown) and value.source is not None


# Row filters of a grouping's statistics that may drop its small cells (``_frame_method``).
_CELL_FILTERS = frozenset({"query", "where", "filter", "mask"})


def _frame_query(args: list, kwargs: dict) -> bool:
    """``.query(expr)`` as pandas' DataFrame.query: one text that compares, no SQL."""
    expr = args[0] if len(args) == 1 else kwargs.get("expr") if not args else None
    return (
        isinstance(expr, Str)
        and _FRAME_QUERY.search(expr.text) is not None
        and _SQL_VERB.match(expr.text) is None
        and set(kwargs) <= {"expr", "inplace", "engine", "parser", "local_dict", "global_dict"}
    )


def _is_insert(value: Val) -> bool:
    return isinstance(value, Obj) and value.kind == "sql-insert"


def _pairs(value: Val) -> bool:
    """Whether ``value`` is (key, value) pairs, each a Seq of two (``zip(a, b)``, a generator of
    tuples), with some column among them."""
    return (
        type(value) is Seq
        and bool(value.items)
        and all(type(item) is Seq and len(item.items) == 2 for item in value.items)
        and bool(cols_of(value))
    )


def _keyed_blake2(kwargs: dict) -> bool:
    """``key=`` given, and not known to be empty (``key=b""`` is blake2's unkeyed mode)."""
    key = kwargs.get("key")
    return key is not None and not _empty_key(key)


_DEPLOYED = ("env-default", "settings-default")


def _literal_key(key: Val | None) -> bool:
    """A key written in the code, not empty: a literal, a module's or a class's constant, a
    parameter's default (all it may be, when a global is rebound). Everyone with the repository
    holds it and can hash every plate with it: a keyed pseudonym only in name (probe38 min/15).
    A default of an environment read or a settings field is the key deployment replaces."""
    return isinstance(key, Str) and all(
        o.known and o.text and not o.env and not o.cols and o.via not in _DEPLOYED
        for o in key.options
    )


def _rebound(tree: Any) -> set[str]:
    """Names a module may give another value than the one written: bound more than once at
    module level (``KEY = b"dev"`` then ``if ...: KEY = os.environ[...]``), declared
    ``global`` in a function, or set as an attribute anywhere (``self.KEY = ...``)."""
    seen: set[str] = set()
    rebound: set[str] = set()
    todo = list(getattr(tree, "body", ()))
    while todo:
        node = todo.pop()
        kind = type(node)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda):
            for sub in ast.walk(node):
                if type(sub) is ast.Global:
                    rebound.update(sub.names)
                elif type(sub) is ast.Attribute and type(sub.ctx) is ast.Store:
                    rebound.add(sub.attr)
            continue
        if kind is ast.Name and type(node.ctx) is ast.Store:
            (rebound if node.id in seen else seen).add(node.id)
        elif kind is ast.Attribute and type(node.ctx) is ast.Store:
            rebound.add(node.attr)
        todo.extend(ast.iter_child_nodes(node))
    return rebound


def _empty_key(key: Val | None) -> bool:
    """A key written empty (``b""``): blake2's unkeyed mode, an HMAC anyone can compute. One
    read from the environment with an empty default (``os.environ.get("KEY", "")``) is the key
    deployment sets, the default a development fallback: keyed, for hmac and blake2 alike
    (probe29 min/06)."""
    return (
        isinstance(key, Str)
        and key.known
        and not key.text
        and key.via not in ("env-default", "settings-default")
    )


def _all_fields(value: Val) -> Val:
    """A record's fields as asdict() or model_dump() give them, as a dict (repr=False ones
    too, not exclude=True ones): ``row = asdict(t); row.pop("email")`` then works on it."""
    if isinstance(value, Obj) and value.kind == "instance":
        fields = value.data.get("fields", value.data.get("payload"))
        if isinstance(fields, Frame):
            return fields
    return value


def _str_edit(text: Str, method: str, args: list) -> Str:
    """``path.replace(".parquet", "_vendor.parquet")``, ``.removeprefix/removesuffix(x)`` with
    known arguments: the text they give (the file a job writes is not the one it read). With
    an argument unknown, the text as it was; its columns and environment stay either way."""
    count = 2 if method == "replace" else 1
    pieces = args[:count]
    if len(pieces) < count or not all(isinstance(a, Str) and a.known for a in pieces):
        return text
    extra = args[2:3] if method == "replace" else []  # replace(old, new, count)
    if extra and not (isinstance(extra[0], Num) and type(extra[0].value) is int):
        return text
    values = [a.text for a in pieces] + [e.value for e in extra]
    edit = getattr(str, method)
    alts = tuple(dataclasses.replace(a, text=edit(a.text, *values)) for a in text.alts)
    result = dataclasses.replace(text, text=edit(text.text, *values), alts=alts)
    new = pieces[1] if method == "replace" else None
    if (
        new is not None
        and new.via in ("env-default", "settings-default")
        and values[0] in text.text
        and _in_authority(text.text, values[0])
    ):
        # TEMPLATE.replace("{host}", os.environ.get("HOST", "x.example")): the URL is built
        # from a default the environment may change, as in an f-string (the message says so)
        result = dataclasses.replace(
            result,
            via=new.via,
            nodes=text.nodes + new.nodes,
            env=tuple(dict.fromkeys(text.env + new.env)),
        )
    return result


def _in_authority(url: str, part: str) -> bool:
    """Whether ``part`` of a URL template is in its scheme or host (``https://{host}/v1``,
    ``{base}/v1``), not its path (``https://x.example/{ver}/submit``)."""
    before = url[: url.find(part)]
    return "/" not in (before.split("://", 1)[1] if "://" in before else before)


# Azure Blob and Data Lake (Gen2) clients: class -> its level. A Data Lake file system is a
# container, its file a blob.
_AZURE_LEVELS = {
    "BlobServiceClient": "service",
    "ContainerClient": "container",
    "BlobClient": "blob",
    "DataLakeServiceClient": "service",
    "FileSystemClient": "container",
    "DataLakeDirectoryClient": "directory",
    "DataLakeFileClient": "blob",
}
# Their methods that give another client: method -> (its level, the keyword of the container
# when called on a service client (then the first argument), the keywords of the path).
_AZURE_HANDLES = {
    "get_container_client": ("container", "container", ()),
    "get_blob_client": ("blob", "container", ("blob",)),
    "get_file_system_client": ("container", "file_system", ()),
    "create_file_system": ("container", "file_system", ()),
    "get_directory_client": ("directory", "file_system", ("directory",)),
    "get_file_client": ("blob", "file_system", ("file_path", "file")),
    "create_directory": ("directory", "", ("directory",)),
    "create_file": ("blob", "", ("file",)),
    "get_sub_directory_client": ("directory", "", ("sub_directory",)),
    "create_sub_directory": ("directory", "", ("sub_directory",)),
}
# The keywords of a constructor's container and path (after the account URL).
_AZURE_CONTAINER_KEYWORDS = ("container_name", "file_system_name")
_AZURE_PATH_KEYWORDS = ("blob_name", "file_path", "directory_name")
# An account's own endpoint host: <account>.blob.<suffix> or <account>.dfs.<suffix>.
_AZURE_ACCOUNT_HOST = re.compile(r"\A[a-z0-9]+\.(?:blob|dfs)\.[a-z0-9.-]+")


def _azure_client(qname: str, last: str, args, kwargs, url: Val | None = None) -> Obj:
    """An Azure storage client knowing its level (service, container, directory or blob) and,
    when literal, its container, its path and its account's endpoint host (``url``: the
    account URL, a connection string's endpoint, or a ``from_*_url`` URL): ``upload_blob``
    takes its data at a position that depends on the level; a write names its store."""
    parts = qname.split(".")
    owner = parts[-2] if last.startswith("from_") and len(parts) > 1 else last
    level = _AZURE_LEVELS.get(owner)
    if level is None:
        return Obj("azure")
    data: dict[str, Any] = {"level": level}
    container = next((kwargs[k] for k in _AZURE_CONTAINER_KEYWORDS if k in kwargs), None)
    path = next((kwargs[k] for k in _AZURE_PATH_KEYWORDS if k in kwargs), None)
    if not last.endswith("_url"):  # (account_url | conn_str, container, path)
        if container is None and level != "service":
            container = args[1] if len(args) > 1 else None
        if path is None and level in ("directory", "blob"):
            path = args[2] if len(args) > 2 else None
    if isinstance(container, Str) and container.known:
        data["bucket"] = container.text
    if isinstance(path, Str) and path.known:
        data["path"] = path.text
    if isinstance(url, Str) and url.known and "://" in url.text:
        host, _, rest = url.text.split("://", 1)[1].partition("/")
        host = host.rsplit("@", 1)[-1].split(":", 1)[0].lower()
        if _AZURE_ACCOUNT_HOST.fullmatch(host):
            data["account"] = host
        if last.endswith("_url") and level != "service":  # .../<container>[/<path>]
            container_text, _, path_text = rest.split("?", 1)[0].partition("/")
            if container_text and "{" not in container_text:
                data["bucket"] = container_text
            if path_text and level != "container" and "{" not in path_text:
                data["path"] = path_text
    return Obj("azure", data)


def _azure_handle(obj: Obj, name: str, args, kwargs) -> Obj:
    """A client another gives: ``get_container_client(container)``, ``get_blob_client`` of a
    service client ``(container, blob)`` or of a container client ``(blob)``, and the Data
    Lake's file system, directory and file clients alike; the container stays its own, a
    directory's path leads its files'."""
    made, container_keyword, path_keywords = _AZURE_HANDLES[name]
    level = obj.data.get("level")
    data = {**obj.data, "level": made}
    rest = list(args)
    if container_keyword and level not in ("container", "directory"):
        if container_keyword in kwargs:
            container = kwargs[container_keyword]
        else:
            container = rest.pop(0) if rest else None
        if isinstance(container, Str):
            data["bucket"] = container.text
        elif level == "service":
            data.pop("bucket", None)
    if path_keywords:
        part = next((kwargs[k] for k in path_keywords if k in kwargs), rest[0] if rest else None)
        base = obj.data.get("path") if level == "directory" else ""
        if isinstance(part, Str) and part.known and base is not None:
            data["path"] = f"{base}/{part.text}" if base else part.text
        else:
            data.pop("path", None)
    return Obj(obj.kind, data)


def _azure_store(obj: Obj) -> tuple[str | None, str | None]:
    """(host, target) of a write through an Azure storage client: its container and, with the
    account's endpoint known, ``container@<account host>`` and the ``abfss://`` (Data Lake)
    or ``wasbs://`` (Blob) URI of what it writes, as a Spark or pandas write names it, so the
    inventory and the cross rules join it to the account Terraform defines."""
    container, account = obj.data.get("bucket"), obj.data.get("account")
    if not (container and account):
        return container, None
    scheme = "abfss" if ".dfs." in account else "wasbs"
    where = f"{container}@{account}"
    return where, f"{scheme}://{where}/{obj.data.get('path') or ''}"


_AZURE_BUS_CLIENTS = frozenset(
    {"EventHubProducerClient", "EventHubConsumerClient", "ServiceBusClient"}
)
# The service of an Azure storage client (its endpoint's host: <account>.<service>.<suffix>).
_AZURE_STORAGE_SERVICES = (("filedatalake", "dfs"), ("queue", "queue"), ("fileshare", "file"))


def _account_endpoint(qname: str, conn: Str) -> Str | None:
    """The endpoint a storage connection string names: its ``BlobEndpoint=`` (or the
    service's), else ``https://<AccountName>.<service>.<EndpointSuffix>``, as the SDK builds it
    (``core.windows.net`` by default)."""
    service = next((s for key, s in _AZURE_STORAGE_SERVICES if key in qname), "blob")
    settings = dict(
        part.split("=", 1) for part in conn.text.split(";") if "=" in part
    )  # AccountKey=abc== keeps its padding: split at the first "=" only
    settings = {k.strip().lower(): v.strip() for k, v in settings.items()}
    url = settings.get(f"{service}endpoint")
    if url is None and settings.get("accountname"):
        suffix = settings.get("endpointsuffix") or "core.windows.net"
        protocol = settings.get("defaultendpointsprotocol") or "https"
        url = f"{protocol}://{settings['accountname']}.{service}.{suffix}"
    return Str(url, conn.via, conn.nodes) if url else None


def _azure_bus(qname: str, last: str, args, kwargs) -> Val:
    """Event Hubs' producer and Service Bus's client or sender, which send as a Kafka producer
    does, and the events and messages they send (``EventData(body)``,
    ``ServiceBusMessage(body, session_id=..., application_properties=...)``: all sent)."""
    if last in _BUS_MESSAGES:
        parts = [*args, *kwargs.values()]
        return Obj("message", {"payload": mixture(parts)} if parts else {})
    if "EventHubProducerClient" in qname:
        return Obj("azure-bus", {"api": "eventhub"})
    if "ServiceBusClient" in qname or "ServiceBusSender" in qname:
        return Obj("azure-bus", {"api": "servicebus"})
    return UNKNOWN


def _int_type(dtype: Val | None) -> bool:
    """``int``, ``"int64"``, ``np.int32``: a whole-number type (a cast truncates)."""
    if isinstance(dtype, Ref):
        return dtype.qname.rsplit(".", 1)[-1] in _INT_TYPES
    return isinstance(dtype, Str) and dtype.text in _INT_TYPES


def _arithmetic(op: type, left: float, right: float) -> float | None:
    try:
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            return left / right
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Pow and abs(right) <= 30:
            return float(left**right)
    except (ZeroDivisionError, OverflowError, TypeError):
        return None
    return None


def _literal_number(expr: ast.expr, known: dict[str, float]) -> float | None:
    """The number a module constant's value is (``0.005``, ``10 ** -3``, ``1 / 200``, another
    constant), or None."""
    kind = type(expr)
    if kind is ast.Constant:
        return float(expr.value) if type(expr.value) in (int, float) else None
    if kind is ast.Name:
        return known.get(expr.id)
    if kind is ast.UnaryOp and type(expr.op) is ast.USub:
        value = _literal_number(expr.operand, known)
        return -value if value is not None else None
    if kind is ast.BinOp:
        left = _literal_number(expr.left, known)
        right = _literal_number(expr.right, known) if left is not None else None
        if left is not None and right is not None:
            value = _arithmetic(type(expr.op), left, right)
            return value if isinstance(value, float) else None
    return None


def _decimals(digits: Val, expr: ast.expr | None = None) -> tuple[int | str, str]:
    """The decimals a rounding keeps, and the constant that says so: a whole number written or
    known; "=" for a named constant not resolved here (``LOCATION_DECIMALS`` imported from the
    project's settings, ``config.DECIMALS``, a module constant read from the environment):
    the project's configured precision, judged as within the policy's (as before a63bf52); a
    constant that resolves is its number. "?" when not known otherwise (a parameter, a
    variable), which the rules take as precise (DH563: more than the policy allows), as if not
    rounded. ``round(x, None)`` rounds to whole units."""
    if isinstance(digits, Num) and (digits.value is None or isinstance(digits.value, int)):
        return digits.value or 0, ""
    name = ""
    if isinstance(digits, Ref):
        name = digits.qname.rsplit(".", 1)[-1]
    elif isinstance(digits, Unknown) and digits.source is None:
        name = digits.name.rsplit(".", 1)[-1]
        if not name and expr is not None:
            name = expr.id if type(expr) is ast.Name else getattr(expr, "attr", "")
    if _CONSTANT_NAME.fullmatch(name):
        return "=", name
    return "?", ""


_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def _digits_expr(node: Any) -> ast.expr | None:
    """The decimals argument of a rounding call (``round(x, D)``, ``x.round(D)``,
    ``np.round(x, decimals=D)``): a keyword, or the last positional argument."""
    if type(node) is not ast.Call:
        return None
    for keyword in node.keywords:
        if keyword.arg in ("ndigits", "decimals", "scale"):
            return keyword.value
    return node.args[-1] if node.args else None


def _rounded(node: Any, n: int | str, named: str = "") -> Step:
    if n == "=":
        return Step(node, f"rounded to {named} decimals (the configured precision)")
    return Step(node, f"rounded to {n} decimals" if n != "?" else "rounded to unknown decimals")
