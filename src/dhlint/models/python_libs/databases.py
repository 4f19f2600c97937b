"""Databases: DB-API, SQLAlchemy, pyodbc, Django.

Connections and cursors' queries and inserts, SQLAlchemy Core inserts, pyodbc's
connection keywords, Django's settings, managers and QuerySets.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from dhlint.frontends.python_ast import call_args
from dhlint.models import python_sql as sql
from dhlint.models.python_libs.common import _is_true
from dhlint.models.python_values import (
    RAW,
    UNKNOWN,
    Col,
    Frame,
    ModelSource,
    Num,
    Obj,
    QuerySource,
    RecordSource,
    Ref,
    Seq,
    Series,
    Step,
    Str,
    Unknown,
    Val,
    cols_of,
    mixture,
)

_DB_MODULES = (
    "sqlite3", "psycopg2", "psycopg", "pymysql", "mysql", "pyodbc", "cx_Oracle", "oracledb",
    "sqlalchemy", "duckdb", "snowflake", "pg8000", "asyncpg",
)  # fmt: skip


# redis-py (``redis``, ``redis.asyncio``): the clients its module makes, and their writes with
# the positions of what they store (a key and its value, a hash's fields, a list's, set's or
# stream's items, a message published; ``None``: every argument). A pipeline writes as its
# client does.
_REDIS_CLIENTS = frozenset({"Redis", "StrictRedis", "RedisCluster", "from_url"})
_REDIS_WRITES = {
    "set": (0, 1), "setnx": (0, 1), "getset": (0, 1), "append": (0, 1), "setex": (0, 2),
    "psetex": (0, 2), "mset": (0,), "msetnx": (0,), "hset": None, "hsetnx": None,
    "hmset": (0, 1), "lpush": None, "rpush": None, "lpushx": None, "rpushx": None,
    "lset": (0, 2), "linsert": (0, 3), "sadd": None, "zadd": (0, 1), "xadd": (0, 1),
    "geoadd": (0, 1), "publish": (0, 1),
}  # fmt: skip
_REDIS_KEYWORDS = ("name", "value", "key", "mapping", "items", "fields", "values", "message")


# Elasticsearch's and OpenSearch's clients (``elasticsearch``, ``opensearchpy``), and the
# methods that store a document, with the keywords that hold it (ES 7's second positional
# argument too); the ``helpers`` that store a list of actions given after the client.
_SEARCH_CLIENTS = frozenset(
    {"Elasticsearch", "AsyncElasticsearch", "OpenSearch", "AsyncOpenSearch"}
)
_SEARCH_WRITES = {
    "index": ("document", "body"), "create": ("document", "body"),
    "update": ("doc", "body", "upsert"), "bulk": ("operations", "body"),
}  # fmt: skip
_SEARCH_HELPERS = frozenset({"bulk", "streaming_bulk", "parallel_bulk", "async_bulk"})


# InfluxDB's clients: influxdb-client's (2.x, ``url=``) and influxdb's (1.x, ``host=``,
# ``ssl=False`` by default); ``ssl`` is 1.x's sixth positional argument.
_INFLUX_CLIENTS = frozenset({"InfluxDBClient", "InfluxDBClientAsync", "DataFrameClient"})
_INFLUX_V1_SSL = 5


# MongoDB's clients (pymongo, Motor) and a collection's writes, with the positions of what
# they store (a document, documents, or an update: its filter is read, not written).
_MONGO_CLIENTS = frozenset({"MongoClient", "AsyncMongoClient", "AsyncIOMotorClient"})
_MONGO_WRITES = {
    "insert_one": 0, "insert_many": 0, "replace_one": 1, "update_one": 1, "update_many": 1,
    "find_one_and_update": 1, "find_one_and_replace": 1, "bulk_write": 0,
}  # fmt: skip
_MONGO_KEYWORDS = ("document", "documents", "replacement", "update", "requests")


# Firestore (google.cloud.firestore's clients, firebase_admin's ``firestore.client()``): a
# collection's ``add`` and a document's writes store a document; a batch's or transaction's
# writes name the document first. The position of what is stored, and its keyword.
_FIRESTORE_CLIENTS = frozenset({"Client", "AsyncClient", "client", "async_client"})
_FIRESTORE_WRITES = {"add": 0, "set": 0, "create": 0, "update": 0}
_FIRESTORE_KEYWORDS = ("document_data", "field_updates")
_FIRESTORE_GROUPS = frozenset({"batch", "transaction", "bulk_writer"})


# Airflow and database hooks that run a query and return its rows.
_HOOK_QUERIES = {"get_pandas_df", "get_records", "get_first", "get_df", "get_polars_df"}
_CURSOR_WRITES = {"execute", "executemany", "execute_values", "copy_expert", "copy_from"}


# Django's QuerySet (and manager) methods that give one row (also one made: create), or rows of
# the same model.
_DJANGO_ONE_ROW = frozenset({"get", "first", "last", "earliest", "latest", "get_or_none", "create"})
_DJANGO_SAME_ROWS = frozenset(
    {"all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "distinct",
     "only", "defer", "annotate", "using", "reverse", "iterator", "select_for_update"}
)  # fmt: skip


# A cursor's (or SQLAlchemy result's) methods that return one row, a tuple by position.
_ONE_ROW = {"fetchone", "first"}


class DatabaseCalls:
    """Databases: DB-API, SQLAlchemy, pyodbc, Django, Redis."""

    def _redis(self, qname: str, last: str, args, kwargs, node) -> Val:
        """``redis.Redis(host=..., ssl=...)`` and ``redis.from_url(url)``: a client whose writes
        store what they are given (a database sink), and the server it reaches: an endpoint,
        ``redis://`` (redis-py's default: no TLS at all) or ``rediss://`` (``ssl=True``), so
        DH260 judges a remote server reached in clear and DH660 its host. ``ssl=False`` is
        that cleartext channel, not a certificate check switched off (``Facts._tls_switch``):
        with the host known the endpoint says it (a local server is fine), else the keyword
        does (DH260). ``ssl_cert_reqs=None`` (``"none"``, ``ssl.CERT_NONE``) is DH261."""
        if last not in _REDIS_CLIENTS:
            return UNKNOWN
        hosts: tuple[str, ...] = ()
        if last == "from_url":
            url = args[0] if args else kwargs.get("url")
            hosts = self._endpoint(qname, url, node)
            for text in url.options if isinstance(url, Str) else ():
                query = text.text.partition("?")[2].lower()
                if re.search(r"(?:^|&)ssl_cert_reqs=(?:none|cert_none)(?:&|$)", query):
                    self._tls("cert-reqs-none", node, qname)
        elif "connection_pool" not in kwargs:
            host = args[0] if args else kwargs.get("host")
            ssl = kwargs.get("ssl")
            tls = ssl is not None and not (isinstance(ssl, Num) and ssl.value is False)
            if isinstance(host, Str):  # no host: localhost
                url = self._host_url("rediss" if tls else "redis", host)
                hosts = self._endpoint(qname, url, node, from_host=True)
        for arg in call_args(node):
            if arg.keyword == "ssl" and hosts:  # the endpoint judges the channel
                self.pending.pop(("tls", id(arg), "ssl-off"), None)
            elif arg.keyword == "ssl_cert_reqs":
                value = kwargs.get("ssl_cert_reqs")
                if (isinstance(value, Num) and value.value is None) or _cert_none_text(value):
                    self._tls("cert-reqs-none", arg, qname)
        return Obj("redis", {"api": qname, "hosts": hosts})

    def _search_client(self, qname: str, last: str, args, kwargs, node) -> Val:
        """``Elasticsearch("https://es:9200")``, ``OpenSearch(hosts=[{"host": h, "port": 443}],
        use_ssl=True)``: a client whose indexing writes documents to a database, and the
        servers it reaches: endpoints, so DH260 judges ``http://`` to a remote server (a
        host given without a scheme is ``http`` unless ``use_ssl=True``) and DH660 the host.
        ``verify_certs=False`` is a generic TLS switch (DH261). ``helpers.bulk(client,
        actions)`` writes the actions through the client."""
        if last in _SEARCH_HELPERS and ".helpers" in qname:
            client = args[0] if args else kwargs.get("client")
            actions = args[1] if len(args) > 1 else kwargs.get("actions")
            if isinstance(client, Obj) and client.kind == "search" and actions is not None:
                self._search_sink(client, last, actions, None, node)
            return UNKNOWN
        if last not in _SEARCH_CLIENTS:
            return UNKNOWN
        given = args[0] if args else kwargs.get("hosts")
        items = given.items if isinstance(given, Seq) else (given,) if given is not None else ()
        use_ssl = kwargs.get("use_ssl")
        scheme = "https" if isinstance(use_ssl, Num) and use_ssl.value is True else "http"
        hosts: list[str] = []
        for item in items:
            if isinstance(item, Frame) and item.entries:  # {"host": h, "port": p, "scheme": s}
                named = item.entries.get("scheme")
                own = named.text if isinstance(named, Str) and named.known else scheme
                url = self._host_url(own, item.entries.get("host"))
                hosts += self._endpoint(qname, url, node, from_host=True)
            elif isinstance(item, Str) and "://" in item.text:
                hosts += self._endpoint(qname, item, node)
            elif isinstance(item, Str):  # "es.city.example:9200"
                hosts += self._endpoint(qname, self._host_url(scheme, item), node, from_host=True)
        lib = "opensearch" if qname.startswith("opensearchpy") else "elasticsearch"
        return Obj("search", {"api": qname, "lib": lib, "hosts": tuple(dict.fromkeys(hosts))})

    def _search_write(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A search client's ``index``/``create``/``update``/``bulk``: the document is written
        to a database, the index named as a table is."""
        if name in ("__enter__", "__aenter__", "options"):
            return obj
        keys = _SEARCH_WRITES.get(name)
        if keys is None:
            return UNKNOWN
        stored = [kwargs[k] for k in keys if k in kwargs]
        if not stored and len(args) > 1:
            stored = [args[1]]  # ES 7: index(index, body)
        if stored:
            index = kwargs.get("index", args[0] if args else None)
            self._search_sink(obj, name, mixture(stored), index, node)
        return UNKNOWN

    def _search_sink(self, obj: Obj, name: str, stored: Val, index: Val | None, node) -> None:
        hosts = obj.data.get("hosts", ())
        self._client_sink(
            "database",
            f"{obj.data['lib']}.{name}",
            self._by_name(stored, node),
            node,
            hosts,
            target=index.text if isinstance(index, Str) and index.known else None,
        )

    def _influx(self, qname: str, last: str, args, kwargs, node) -> Val:
        """``InfluxDBClient(url="http://influx:8086")`` (2.x) and ``InfluxDBClient(host=...,
        ssl=...)`` (1.x, clear text by default): a client whose writes store the points given
        (a database sink), and its server, an endpoint (DH260 in clear to a remote server,
        DH660 its host). ``Point("m").tag(k, v).field(k, v)``: a record of those fields."""
        if last == "Point" or qname.endswith("Point.measurement"):
            return Obj("influx-point", {"cols": {}})
        if qname.endswith("Point.from_dict"):
            return args[0] if args else kwargs.get("dictionary", UNKNOWN)
        if last not in _INFLUX_CLIENTS:
            return UNKNOWN
        if qname.startswith("influxdb_client"):
            hosts = self._endpoint(qname, args[0] if args else kwargs.get("url"), node)
            return Obj("influx", {"api": qname, "hosts": hosts})
        host = args[0] if args else kwargs.get("host")
        ssl = args[_INFLUX_V1_SSL] if len(args) > _INFLUX_V1_SSL else kwargs.get("ssl")
        tls = isinstance(ssl, Num) and ssl.value is True
        url = self._host_url("https" if tls else "http", host)
        hosts = self._endpoint(qname, url, node, from_host=True)
        for arg in call_args(node):
            if arg.keyword == "ssl" and hosts:  # no TLS, which the endpoint judges
                self.pending.pop(("tls", id(arg), "verify-false"), None)
        database = args[4] if len(args) > 4 else kwargs.get("database")
        return Obj("influx", {"api": qname, "hosts": hosts, "database": database})

    def _influx_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A point's ``tag``/``field`` (a new point with that field), a client's
        ``write_api()``, and the writes: 2.x's ``write(bucket, org, record)``, 1.x's
        ``write_points(points)`` and ``write(data)``."""
        if obj.kind == "influx-point":
            if name in ("tag", "field") and len(args) > 1 and isinstance(args[0], Str):
                cols = dict(obj.data["cols"])
                self.field_cols(cols, args[0].text, args[1], node)
                return Obj("influx-point", {"cols": cols})
            return obj if name == "time" else UNKNOWN
        if name in ("__enter__", "__aenter__"):
            return obj
        if name == "write_api" and obj.kind == "influx":
            return Obj("influx-writer", dict(obj.data))
        if obj.kind == "influx-writer" and name == "write":
            record = kwargs.get("record", args[2] if len(args) > 2 else None)
            where = kwargs.get("bucket", args[0] if args else None)
        elif obj.kind == "influx" and name in ("write_points", "write"):
            record = args[0] if args else kwargs.get("points", kwargs.get("data"))
            where = kwargs.get("database", obj.data.get("database"))
        else:
            return UNKNOWN
        if record is not None:
            hosts = obj.data.get("hosts", ())
            self._client_sink(
                "database",
                f"influxdb.{name}",
                self._by_name(_points(record), node),
                node,
                hosts,
                target=where.text if isinstance(where, Str) and where.known else None,
            )
        return UNKNOWN

    def _mongo(self, qname: str, last: str, args, kwargs, node) -> Val:
        """``MongoClient("mongodb://db:27017/")`` (or a bare host): a client whose collections'
        writes store documents (a database sink), and its server, an endpoint: ``mongodb://``
        is clear text (DH260, TLS being off unless ``tls=True``/``ssl=True`` or ``?tls=true``),
        ``mongodb+srv://`` is TLS by default. DH660 judges the host."""
        if last not in _MONGO_CLIENTS:
            return UNKNOWN
        host = args[0] if args else kwargs.get("host")
        hosts: tuple[str, ...] = ()
        if isinstance(host, Str):
            switch = kwargs.get("tls", kwargs.get("ssl"))
            tls = isinstance(switch, Num) and switch.value is True
            text = host.text if "://" in host.text else f"mongodb://{host.text}"
            if tls and text.startswith("mongodb://"):  # (?tls=true: DH260 reads the URL's query)
                text = "mongodb+tls://" + text.removeprefix("mongodb://")
            url = Str(text, host.via, host.nodes, (), host.env)
            hosts = self._endpoint(qname, url, node, from_host="://" not in host.text)
            for arg in call_args(node):
                if arg.keyword in ("ssl", "tls") and hosts:  # the endpoint judges the channel
                    self.pending.pop(("tls", id(arg), "ssl-off"), None)
        return Obj("mongo", {"api": qname, "hosts": hosts, "path": ()})

    def mongo_part(self, obj: Obj, name: str) -> Obj:
        """``client.city`` / ``client["city"]``: a database, then a collection."""
        return Obj("mongo", {**obj.data, "path": (*obj.data["path"], name)})

    def _mongo_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        if name in ("get_database", "get_collection", "__getitem__") and args:
            part = args[0]
            return self.mongo_part(obj, part.text if isinstance(part, Str) else "?")
        if name in ("__enter__", "__aenter__", "with_options"):
            return obj
        where = _MONGO_WRITES.get(name)
        if where is None:
            return UNKNOWN
        stored = [args[where]] if where < len(args) else []
        stored += [kwargs[k] for k in _MONGO_KEYWORDS if k in kwargs]
        if stored:
            hosts = obj.data.get("hosts", ())
            path = obj.data["path"]
            self._client_sink(
                "database",
                f"mongodb.{name}",
                self._by_name(mixture(stored), node),
                node,
                hosts,
                target=".".join(path) if path and "?" not in path else None,
            )
        return UNKNOWN

    def _firestore_method(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A Firestore client, collection or document: ``collection(path)`` and
        ``document(path)`` give a reference (the collection named as a table is);
        ``collection.add(data)``, ``document.set/create/update(data)`` and a batch's or
        transaction's ``set(ref, data)`` store a document in the database (DH560, DH563)."""
        if name in ("collection", "document", "collection_group"):
            # document("cases", rid) or document("cases/c1"); document(): a new id
            given = list(args) or [kwargs.get("document_id")]
            parts = [p for g in given for p in _path_parts(g)]
            collection = obj.data.get("collection")
            if name != "document":  # "reports", "reports/r1/notes": the last collection
                collection = parts[-1] if len(parts) % 2 else "?"
            elif len(parts) > 1:  # db.document("reports/r1")
                collection = parts[-2] if len(parts) % 2 == 0 else "?"
            return Obj("firestore", {"collection": collection, "group": False})
        if name in _FIRESTORE_GROUPS:
            return Obj("firestore", {"collection": None, "group": True})
        if name in ("__enter__", "__aenter__"):
            return obj
        where = _FIRESTORE_WRITES.get(name)
        if where is None or (name == "add" and obj.data.get("collection") is None):
            return UNKNOWN
        target = obj.data.get("collection")
        if obj.data.get("group"):  # batch.set(ref, data)
            where += 1
            ref = args[0] if args else kwargs.get("reference")
            target = ref.data.get("collection") if isinstance(ref, Obj) else None
        stored = [args[where]] if where < len(args) else []
        stored += [kwargs[k] for k in _FIRESTORE_KEYWORDS if k in kwargs]
        if stored:
            self._client_sink(
                "database",
                f"firestore.{name}",
                self._by_name(mixture(stored), node),
                node,
                (),
                target=target if target and target != "?" else None,
            )
        return UNKNOWN

    def _redis_write(self, obj: Obj, name: str, args, kwargs, node) -> Val:
        """A Redis client's (or pipeline's) write: what it stores, keys too, is written to a
        database (the first key named, as a table is)."""
        if name in ("pipeline", "__enter__", "__aenter__"):
            return obj
        if name not in _REDIS_WRITES:
            return UNKNOWN
        where = _REDIS_WRITES[name]
        stored = list(args) if where is None else [args[i] for i in where if i < len(args)]
        stored += [kwargs[k] for k in _REDIS_KEYWORDS if k in kwargs]
        if not stored:
            return UNKNOWN
        key = args[0] if args else kwargs.get("name")
        target = key.text if isinstance(key, Str) and name not in ("mset", "msetnx") else None
        hosts = obj.data.get("hosts", ())
        payload = self._by_name(mixture(stored), node)
        self._client_sink(
            "database",
            f"redis.{name}",
            payload,
            node,
            hosts,
            target=target,
        )
        return UNKNOWN

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

    def _execute(self, rname: str, args, node, many: bool = False, env=None) -> Val:
        query = args[0]
        assert isinstance(query, Str)
        copied = sql.copy_to(query.text)
        if copied is not None:  # COPY (SELECT ...) TO 'file': an export, not a table's write
            self.copy_to(f"{rname or 'cursor'}.execute", copied, node, env)
            return UNKNOWN
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

    def _sql_insert(self, table: Val, values: dict[str, Val]) -> Obj:
        """A SQLAlchemy Core insert into ``table`` (a ``Table``), with the values it sets."""
        name = table.data.get("name") if isinstance(table, Obj) else None
        return Obj("sql-insert", {"table": name, "values": values})


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


_SQL_VERB = re.compile(
    r"\A\s*(?:select|with|insert|update|delete|create|drop|alter|merge|call|show|describe|"
    r"explain|grant|copy|upsert|replace)\b",
    re.I,
)


def _is_insert(value: Val) -> bool:
    return isinstance(value, Obj) and value.kind == "sql-insert"


def _cert_none_text(value: Val | None) -> bool:
    """``"none"`` or ``"CERT_NONE"`` (redis-py's ``ssl_cert_reqs``), or ``ssl.CERT_NONE``."""
    if isinstance(value, Ref):  # either branch's
        return any(ref.qname.rsplit(".", 1)[-1] == "CERT_NONE" for ref in value.options)
    return isinstance(value, Str) and value.known and value.text.lower() in ("none", "cert_none")


def _points(record: Val) -> Val:
    """InfluxDB points as records (a list of them too)."""
    if isinstance(record, Obj) and record.kind == "influx-point":
        return Frame("dict", dict(record.data["cols"]))
    if isinstance(record, Seq):
        return Seq(tuple(_points(item) for item in record.items))
    return record


def _path_parts(segment: Val | None) -> list[str]:
    """A Firestore path argument's segments ("reports/r1" is two); one not known is one "?"."""
    if isinstance(segment, Str) and segment.known:
        return [p for p in segment.text.split("/") if p] or ["?"]
    return ["?"]
