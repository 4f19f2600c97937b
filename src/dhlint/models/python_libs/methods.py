"""Calls of methods on values (``call_method``).

Methods of the clients and objects the analysis knows (``_obj_method``: SDK clients,
cursors, BigQuery, Kafka...), of values it does not know (``_unknown_method``),
sockets' peers and Kafka messages.
"""

from __future__ import annotations

import ast
import dataclasses

from dhlint.frontends.python import PEER_METHODS
from dhlint.models import python_sql as sql
from dhlint.models.python_libs.aws import _AWS_MESSAGES, _AWS_RESOURCES, _DYNAMODB_WRITES
from dhlint.models.python_libs.azure import _BUS_SENDS, _BUS_SENT, _COSMOS_WRITES
from dhlint.models.python_libs.common import (
    _LOG_METHODS,
    _LOGGER_NAME,
    _STORAGE_SCHEMES,
    SSH_ANY_HOST_KEY,
    SSH_POLICY_METHOD,
    _is_true,
)
from dhlint.models.python_libs.databases import _CURSOR_WRITES, _HOOK_QUERIES, _ONE_ROW, _is_insert
from dhlint.models.python_libs.duckdb_calls import CONNECTION_METHODS as DUCKDB_CONNECTION_METHODS
from dhlint.models.python_libs.duckdb_calls import CONVERSIONS as DUCKDB_CONVERSIONS
from dhlint.models.python_libs.frames import (
    _DB_WRITERS,
    _FILE_WRITERS,
    _GROUP_RESULTS,
    _KEEPING,
    GLUE_TRANSFORMS,
    _frame_query,
    _keeps_values,
    built_frame,
)
from dhlint.models.python_libs.http_clients import _HTTP_VERBS, _is_url_request
from dhlint.models.python_libs.messaging import (
    _MQTT_METHODS,
    _PUBSUB_OPTIONS,
    _STRIPE_WRITES,
    _TWILIO_SENDS,
    _mqtt_scheme,
)
from dhlint.models.python_values import (
    AGGREGATE,
    RAW,
    UNKNOWN,
    Col,
    Frame,
    Func,
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
    Unknown,
    Val,
    cols_of,
    env_of,
    join_all,
    mixture,
)

# A web request's body, read by a view from its request parameter (Starlette, aiohttp).
_REQUEST_BODIES = frozenset(("json", "form", "get_json", "post"))
_RECORD_METHODS = frozenset(("_asdict", "dict", "json", "model_dump", "model_dump_json"))
# Class methods that build a record from a mapping (pydantic v2 and v1; NamedTuple's _make).
_RECORD_BUILDERS = frozenset(
    ("model_validate", "parse_obj", "validate", "from_orm", "model_construct", "construct")
)


# google.cloud.bigquery.Client's methods that write rows into a table.
_BIGQUERY_WRITES = frozenset(
    {"insert_rows", "insert_rows_json", "load_table_from_dataframe", "load_table_from_json"}
)


# ... and its methods that run a query: the job (iterated, .result(), .to_dataframe()) or,
# query_and_wait, the rows themselves hold the SELECT's columns.
_BIGQUERY_QUERIES = frozenset({"query", "query_and_wait"})


# String methods that keep the value's identity (for values known only by their name).
_SAME_VALUE_METHODS = {
    "encode", "decode", "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title",
    "replace", "zfill", "ljust", "rjust",
}  # fmt: skip


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


# Uploads by a storage client the analysis does not know (a parameter, self's).
_UPLOADS = frozenset(
    ("upload_file", "upload_fileobj", "put_object", "fput_object", "upload_from_filename",
     "upload_from_string", "upload_from_file", "upload_blob", "upload_data")
)  # fmt: skip
# The methods ``_unknown_method`` tests (all but Spark's, known by the receiver's name): the
# result of any other is unknown. ``test_py_fast_paths`` checks that each test is here.
_UNKNOWN_METHODS = frozenset(
    ("apply", "save", "get_object", *_REQUEST_BODIES, "query", *_FILE_WRITERS, *_DB_WRITERS,
     "items", "values", "get", "pop", "copy", "to_dict", "iterrows", "rename",
     "withColumnRenamed", "with_column_renamed", "groupby", "groupBy", "group_by",
     *_SAME_VALUE_METHODS, *PEER_METHODS, *_LOG_METHODS, "getOrCreate", *_UPLOADS,
     *_HOOK_QUERIES, "load_file", "load_string", "load_bytes", "load_file_obj", "fetchall",
     "fetchone", "fetchmany", "mappings", "all", "first", *_CURSOR_WRITES, "execute",
     *_HTTP_VERBS, "send", "produce", *_DYNAMODB_WRITES, *_COSMOS_WRITES, "publish",
     *_MQTT_METHODS, *_BUS_SENDS, "read_sql", "sql")
)  # fmt: skip


class MethodCalls:
    """Calls of methods on values (``call_method``)."""

    # ------------------------------------------------------------------ method calls
    def call_method(self, recv: Val, name: str, args, kwargs, node, env) -> Val:
        vtype = type(recv)  # (tested by ``type``: no value is of a subclass of these)
        if name in ("xcom_push", "xcom_pull"):
            return self._xcom(name, args, kwargs, node)
        if (
            name in _ORM_READS
            and args
            and vtype is not Frame
            and vtype is not Series
            and vtype is not Str
        ):
            rows = self._orm_read(name, args, node, env)
            if rows is not None:
                return rows
        if vtype is Frame:
            return self._frame_method(recv, name, args, kwargs, node, env)
        if vtype is Series:
            return self._series_method(recv, name, args, kwargs, node, env)
        if vtype is Str:
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
        if vtype is Obj and recv.kind == "instance":  # job.run() on Job(df)
            if name in _RECORD_METHODS and self.method(recv.data["cls"], name) is None:
                # event.model_dump(), point._asdict(): what the instance holds, less what
                # exclude= leaves out or include= does not name (pydantic)
                return self._dumped(recv, kwargs)
            if name in _SAME_VALUE_METHODS and self.method(recv.data["cls"], name) is None:
                return recv  # json.dumps(asdict(rec)).encode(): the record, as text
            if (
                name == "call"
                and self._ocpp_point(recv.data["cls"])
                and self.method(recv.data["cls"], name) is None
            ):  # cp.call(call.Authorize(...)) on an ocpp ChargePoint
                return self._ocpp_call(recv.data["cls"], args, kwargs, node)
            return self.instance_method(recv.data["cls"], name, args, kwargs, node, env)
        if vtype is Obj and recv.kind == "mapping":  # dict[str, Rec]: records
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
        if vtype is Obj:
            return self._obj_method(recv, name, args, kwargs, node, env)
        if vtype is Seq and name in ("pop", "popleft", "copy"):  # an item, any
            return join_all(recv.items) if name != "copy" else recv
        if vtype is Seq and name in _SAME_VALUE_METHODS and cols_of(recv):
            return recv  # buf.getvalue().encode(): the rows written, as text
        if vtype is Func and name in ("__call__",):
            return self.call_func(recv, args, kwargs, node)
        if vtype is Unknown and recv.name in ("self", "super") and self.cls:
            result = self.call_on_self(name, args, kwargs, node, recv.name == "super")
            if result is not None:
                return result
            # What an attribute holds: self.handler = self.emit, self.sink = print...
            held = self.attribute_of(self.cls, name, node) if recv.name == "self" else None
            called = self.call_value(held, args, kwargs, node, env) if held is not None else None
            if called is not None:
                return called
            if name == "call" and self._ocpp_point(self.cls):  # a ChargePoint's own send
                return self._ocpp_call(self.cls, args, kwargs, node)
        if vtype is Unknown and recv.name in self.bases and self.cls:
            method = self.method(recv.name, name)  # Base.emit(self, v)
            if method is not None:
                return self.call_func(method, args, kwargs, node)
        if (
            vtype is Unknown
            and name in _RECORD_BUILDERS
            and recv.name in self.bases
            and self.is_record(recv.name)
            and self.method(recv.name, name) is None
        ):
            # Complaint.model_validate(row), .parse_obj(row), .model_construct(**row)
            mapping = args[0] if args else self._unpacked(node, env)
            return self._construct_record(recv.name, [], kwargs, node, mapping)
        if vtype is Unknown and recv.name in self.bases:
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

    def _unknown_method(self, recv: Val, name: str, args, kwargs, node) -> Val:
        rname = recv.name if isinstance(recv, Unknown) else ""
        source = recv.source if isinstance(recv, Unknown) else None
        if name not in _UNKNOWN_METHODS and not _spark_name(rname):
            return UNKNOWN  # (most calls: none of the tests below holds)
        if name == "apply" and rname in GLUE_TRANSFORMS:  # from awsglue.transforms import *
            return self.glue_transform(rname, args, kwargs, node)
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
        if rname == "spark" or rname.endswith(".spark"):  # (``_spark_name``)
            return self._obj_method(Obj("spark"), name, args, kwargs, node, {})
        if rname.endswith("SparkSession.builder") or name == "getOrCreate":
            return Obj("spark")
        if name in _UPLOADS:
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
            if name == "ws_connect":  # aiohttp's websocket
                url = args[0] if args else kwargs.get("url")
                api = f"{obj.data.get('api', 'session')}.ws_connect"
                return self._ws_connected(api, url, "aiohttp", node, base=obj.data.get("base"))
            return obj if name in ("mount", "__enter__") else UNKNOWN
        if kind == "redis":
            return self._redis_write(obj, name, args, kwargs, node)
        if kind == "search":
            return self._search_write(obj, name, args, kwargs, node)
        if kind in ("influx", "influx-writer", "influx-point"):
            return self._influx_method(obj, name, args, kwargs, node)
        if kind == "mongo":
            return self._mongo_method(obj, name, args, kwargs, node)
        if kind == "firestore":
            return self._firestore_method(obj, name, args, kwargs, node)
        if kind == "amqp":
            return self._amqp_method(obj, name, args, kwargs, node)
        if kind in ("slack", "sendgrid"):
            return self._vendor_send(obj, name, args, kwargs, node)
        if kind == "salesforce":
            return self._salesforce_write(obj, name, args, node)
        if kind == "mailchimp":
            return self._mailchimp_send(obj, name, args, kwargs, node)
        if kind == "mandrill":
            return self._mandrill_send(obj, name, args, kwargs, node)
        if kind == "celery-conf" and name in ("update", "setdefault"):
            return self._celery_conf(name, args, kwargs, node)
        if kind == "stripe":  # a StripeClient's client.customers.create(params={...})
            path = obj.data.get("path", ())
            if path and name in _STRIPE_WRITES:
                given = args[:1] if name.startswith("create") else args[1:2]
                self._stripe_send(f"stripe {'.'.join(path)}.{name}", given, kwargs, node)
            return UNKNOWN
        if kind == "portal":
            return self._portal_send(obj, name, args, kwargs, node)
        if kind == "websocket":
            return self._ws_method(obj, name, args, kwargs, node)
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
        if kind in ("s3", "storage", "aws", "gcs", "azure", "minio"):
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
            if name in DUCKDB_CONNECTION_METHODS:  # con.sql(q), con.read_parquet(path)
                made = self.duckdb_call(name, args, kwargs, node, env)
                if made is not None:
                    return made
            if name == "execute" and args and _is_insert(args[0]):
                return self._execute_insert("", args, node)
            if name in _CURSOR_WRITES and args and isinstance(args[0], Str):
                result = self._execute("", args, node, many=name != "execute", env=env)
                parsed = sql.select_columns(args[0].text)
                if parsed is not None:
                    obj.data["frame"] = self.cursor_rows(args[0].text, node, env)
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
                *DUCKDB_CONVERSIONS,  # DuckDB's con.execute(q).df(), .pl()
            ):
                frame = obj.data.get("frame")
                if isinstance(frame, Frame) and name in _ONE_ROW:
                    return frame.as_row()
                if isinstance(frame, Frame) and name in DUCKDB_CONVERSIONS:
                    return self.relation_method(frame.restyled("duckdb"), name, [], {}, node)
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
                schema = args[1] if len(args) > 1 else kwargs.get("schema")
                return built_frame("spark", args[0], schema, node, "createDataFrame")
            return (
                obj
                if name in ("getOrCreate", "appName", "config", "master", "enableHiveSupport")
                else UNKNOWN
            )
        if kind in ("glue", "glue-reader", "glue-writer"):
            return self.glue_method(obj, name, args, kwargs, node)
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
        if kind == "smtp":  # smtplib's and aiosmtplib's
            return self._smtp_method(obj, name, args, kwargs, node, env)
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
            if name == SSH_POLICY_METHOD:
                self._ssh_host_key_policy(args[0] if args else kwargs.get("policy"), node)
            return UNKNOWN
        if kind == "sftp":
            if name in ("put", "putfo") and args:
                value = self._file_value(args[0])
                self._sink("network", f"sftp.{name}", value, node, host=obj.data.get("host"))
            if name in ("open", "file") and _writes(
                args[1] if len(args) > 1 else kwargs.get("mode")
            ):
                # sftp.open(path, "w"): a file on the server, whose writes are uploads
                return Obj(
                    "sftp-file", {"host": obj.data.get("host"), "env": obj.data.get("env", ())}
                )
            return obj if name == "__enter__" else UNKNOWN
        if kind == "sftp-file":
            if name in ("write", "writelines") and args:
                self._sink(
                    "network", f"sftp.open().{name}", args[0], node, host=obj.data.get("host")
                )
            return obj if name in ("__enter__", "__aenter__") else UNKNOWN
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
                    hosts = obj.data.get("hosts", ())  # the namespace's, when known
                    host = hosts[0] if hosts else None
                    self._sink("network", api, mixture(payload), node, host=host, hosts=hosts)
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
        if kind == "azure-out":  # an Azure Functions output binding: out.set(document)
            return self._binding_set(obj, args, kwargs, node) if name == "set" else UNKNOWN
        if kind == "azure-bus-batch":  # batch.add(EventData(...)): the batch sends it
            if name in ("add", "add_message") and args:
                self.add_payload(obj, args[0])
            return UNKNOWN
        if kind == "urllib-request" and name == "add_header":
            return UNKNOWN
        return UNKNOWN

    def _ssh_host_key_policy(self, policy: Val | None, node) -> None:
        """``set_missing_host_key_policy(AutoAddPolicy())`` (or the class itself, which
        paramiko instantiates; ``WarningPolicy`` only logs): a server whose key is not known
        is trusted, so whoever answers on the path gets the session and what it sends."""
        if isinstance(policy, Obj) and policy.kind == "ssh-host-key-policy":
            chosen = policy.data["class"]
        elif isinstance(policy, Ref) and policy.qname.startswith("paramiko."):
            chosen = policy.qname.rpartition(".")[2]
        else:
            return
        if chosen in SSH_ANY_HOST_KEY:
            self._tls(SSH_ANY_HOST_KEY[chosen], node, f"paramiko.SSHClient.{SSH_POLICY_METHOD}")


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


def _spark_name(name: str) -> bool:
    """A receiver named as a Spark session or its builder (any of its methods is Spark's)."""
    return name == "spark" or name.endswith((".spark", "SparkSession.builder"))


def _socket_name(name: str) -> bool:
    """``sock``, ``self.server_socket``, ``client_sock2``: a socket's name (not a
    ``websocket``'s)."""
    last = name.rpartition(".")[2].lower().rstrip("0123456789")
    return last.lstrip("_") in ("sock", "socket") or last.endswith(("_sock", "_socket"))


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


def _writes(mode: Val | None) -> bool:
    """An SFTP ``open`` mode that writes ("w", "wb", "a", "x", "r+"); paramiko's default is "r"."""
    return isinstance(mode, Str) and mode.known and any(c in mode.text for c in "wax+")
