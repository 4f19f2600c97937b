"""Calls of functions by their imported name (``call_ref``).

Builtins, the standard library (json, csv, hashlib, hmac...), logging and printing,
Airflow's XCom, and the SDK constructors ``call_ref`` hands to the families.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from typing import Any

from dhlint.models import python_sql as sql
from dhlint.models.python_libs.azure import _account_endpoint, _azure_bus, _azure_client
from dhlint.models.python_libs.common import _HASHLIB, _LOG_METHODS, _LOGGER_NAME, SSH_ANY_HOST_KEY
from dhlint.models.python_libs.databases import _DB_MODULES, _FIRESTORE_CLIENTS
from dhlint.models.python_libs.frames import _PANDAS_READERS, GLUE_TRANSFORMS
from dhlint.models.python_libs.http_clients import _HTTP_MODULES
from dhlint.models.python_libs.messaging import _DJANGO_MAIL
from dhlint.models.python_libs.precision import _GEOHASH, _H3_CELLS, _SNAPS
from dhlint.models.python_values import (
    RAW,
    UNKNOWN,
    Col,
    DocumentSource,
    Frame,
    Func,
    Num,
    Obj,
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
    may_be_false,
    merge_cols,
)

# ---------------------------------------------------------------------------- API tables
# Functions whose result holds what their first argument holds: a record's fields as a dict or
# a tuple (dataclasses, attrs), a copy.
_HOLD_THE_ARGUMENT = frozenset(
    {
        *("dataclasses.asdict", "dataclasses.astuple", "attr.asdict", "attrs.asdict"),
        *("attrs.astuple", "copy.copy", "copy.deepcopy"),
        # an Azure Functions document made of a dict or its JSON (set on an output binding)
        *("azure.functions.Document.from_dict", "azure.functions.Document.from_json"),
        *("azure.functions.Document", "azure.functions.DocumentList"),
    }
)
# ... the value of their first argument, formatted or normalised: a phone number parsed and
# written as E.164 (``format_number(parse(phone, "US"), E164)``) is still the phone
_FORMAT_THE_ARGUMENT = frozenset(
    f"phonenumbers.{name}"
    for name in (
        "parse",
        "format_number",
        "format_in_original_format",
        "format_out_of_country_calling_number",
        "format_number_for_mobile_dialing",
        "format_national_number_with_carrier_code",
        "normalize_digits_only",
        "normalize_diallable_chars_only",
    )
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


_DICTS = {"collections.Counter", "collections.defaultdict", "collections.OrderedDict"}


# bigquery.Client's constructors from a service account's key (a file, or its parsed JSON).
_BIGQUERY_FACTORIES = (
    "Client.from_service_account_json",
    "Client.from_service_account_info",
)


# The TLS facts a connection string's settings give (``python_flow.facts._DSN_TLS_KINDS``).
_DSN_TLS_FACTS = (
    "sslmode-disable",
    "sslmode-allow",
    "sslmode-prefer",
    "encrypt-off",
    "trust-server-certificate",
)


_PATH_CLASSES = frozenset({"Path", "PurePath", "PosixPath", "WindowsPath"})


_MESSAGES = frozenset(
    {"EmailMessage", "Message", "MIMEText", "MIMEMultipart", "MIMEApplication", "MIMEBase"}
)


# The top-level modules ``call_ref`` tests after builtins (by ``top``, or by a prefix of the
# qualified name: "urllib.request", "google.cloud...", "azure...", "dask.dataframe"), and the
# qualified names it tests there one by one: a call of any other skips to ``_other_library``.
# (Also "botocore..." by its prefix.) ``test_py_fast_paths`` checks that each test is here.
_TESTED_TOPS = frozenset(
    ("pathlib", "pandas", "geopandas", "polars", "awsglue", "pyspark", *_HTTP_MODULES, "urllib",
     "websockets", "websocket", "ocpp", "fhir", "fhirclient", "awswrangler", "boto3", "google",
     "firebase_admin", "azure", "email", "smtplib", "aiosmtplib", "twilio", "ftplib", "paramiko",
     "pysftp", "paho", "pika", "slack_sdk", "sendgrid", "simple_salesforce",
     "mailchimp_marketing", "mailchimp3", "mandrill", "celery", "stripe", "sodapy", "ckanapi",
     "arcgis", "kafka", "confluent_kafka", "aiokafka", "io", "csv", *_GEOHASH, "h3", "numpy",
     "json", "orjson", "ujson", "simplejson", "yaml", "pickle", "jsonlines", "logging",
     "loguru", "structlog", "flask", "quart", "duckdb", *_DB_MODULES, "redis", "elasticsearch",
     "opensearchpy", "influxdb_client", "influxdb", "pymongo", "motor", "minio", "apache_beam",
     "ssl", "socket", "airflow", "pyarrow", "dask")
)  # fmt: skip
_TESTED_NAMES = frozenset(
    ("os.environ.get", "os.getenv", "posixpath.join", "os.path.join", "psutil.process_iter",
     "re.sub", "re.subn", "operator.itemgetter", "warnings.warn", "warnings.warn_explicit",
     *_ANY_DATA, *_PROCESS_VALUES, *_PROCESSES, *_FORMAT_THE_ARGUMENT, *_HOLD_THE_ARGUMENT)
)  # fmt: skip


# The builtins tested before ``_builtin`` (with ".objects.", a Django manager's rows).
_BUILTINS_TESTED = frozenset(("builtins.hash", *(q for q in _SNAPS if q.startswith("builtins."))))


class FunctionCalls:
    """Calls of functions by their imported name (``call_ref``)."""

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
        top, _, _rest = qname.partition(".")
        last = qname.rpartition(".")[2]
        protective = self.protective_any  # (``_protective_name``, written out: asked at each)
        if qname in protective or last in protective:
            return self._protect(args, qname, node)
        if top == "builtins" and qname not in _BUILTINS_TESTED and ".objects." not in qname:
            # (half the calls: no test before the one of builtins below holds for them)
            return self._builtin(last, args, kwargs, node)
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
        if top not in _TESTED_TOPS and qname not in _TESTED_NAMES and top[:8] != "botocore":
            # (os.path.exists, struct.pack...: none of the tests below can hold; a third of
            # the calls of imported names a run makes)
            return self._other_library(qname, last, args, kwargs, node)
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
        if top == "geopandas":
            return self._geopandas(last, args, kwargs, node)
        if top == "polars":
            return self._polars(last, args, kwargs, node)
        if top == "awsglue":  # AWS Glue's context (Spark's, with its readers and writers)
            if last == "GlueContext":
                return Obj("glue")
            if last == "getResolvedOptions":  # the job's arguments: its environment
                return Obj("glue-args")
            if last == "fromDF" and args:
                return args[0]  # DynamicFrame.fromDF(df, glueContext, "name"): the same columns
            transform = qname.rsplit(".", 2)[-2]
            if last == "apply" and transform in GLUE_TRANSFORMS:
                return self.glue_transform(transform, args, kwargs, node)
            return UNKNOWN
        if top == "pyspark":
            if last in ("getOrCreate", "SparkSession", "builder"):
                return Obj("spark")
            return self._spark_fn(last, args, kwargs, node)
        if top in _HTTP_MODULES or qname.startswith("urllib.request"):
            return self._http_ref(qname, last, args, kwargs, node)
        if top in ("websockets", "websocket"):
            return self._ws_ref(qname, last, args, kwargs, node)
        if top == "ocpp":
            return self._ocpp_ref(qname, last, args, kwargs, node)
        if top in ("fhir", "fhirclient"):
            return self._fhir_ref(qname, last, args, kwargs, node)
        if top == "awswrangler":
            return self._wrangler(qname, last, args, kwargs, node)
        if top == "boto3" or qname.startswith("botocore"):
            return self._boto(last, args, kwargs, node)
        if qname.startswith("google.cloud.bigquery") and (
            last == "Client" or qname.endswith(_BIGQUERY_FACTORIES)
        ):
            return Obj("bigquery")
        if qname.startswith(("google.cloud.firestore", "firebase_admin.firestore")):
            # firestore.Client(), firebase_admin's firestore.client(): its collections' writes
            return Obj("firestore", {"collection": None}) if last in _FIRESTORE_CLIENTS else UNKNOWN
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
            hosts = self._azure_namespace(qname, last, args, kwargs, node)
            return _azure_bus(qname, last, args, kwargs, hosts)
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
            hosts = self._endpoint(qname, self._host_url(scheme, host), node, from_host=True)
            # "hosts": those a send on it reaches in clear unless starttls() is called first
            # (SMTP_SSL speaks TLS from the start; an LMTP server is this machine's)
            data = {"host": self._host_text(host), "hosts": hosts, "tls": last != "SMTP"}
            return Obj("smtp", {**data, "lib": "smtplib", "implicit": last == "SMTP_SSL"})
        if qname == "logging.handlers.SMTPHandler":
            return self._smtp_handler(qname, args, kwargs, node)
        if top == "aiosmtplib":
            return self._aiosmtp(last, args, kwargs, node, env)
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
            if last in SSH_ANY_HOST_KEY:  # set_missing_host_key_policy(AutoAddPolicy())
                return Obj("ssh-host-key-policy", {"class": last})
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
        if top == "pika":
            return self._pika(qname, last, args, kwargs, node)
        if top in ("slack_sdk", "sendgrid"):
            return self._vendor_sdk(qname, last, args, kwargs, node)
        if top == "simple_salesforce":
            return self._salesforce(last, kwargs)
        if top in ("mailchimp_marketing", "mailchimp3"):
            return self._mailchimp(last, args, kwargs)
        if top == "mandrill" and last == "Mandrill":  # Mandrill(key): mandrillapp.com's API
            return Obj("mandrill", {})
        if top == "celery" and last == "Celery":  # Celery("app", broker=..., backend=...)
            for keyword in ("broker", "backend"):
                self._endpoint(f"celery.Celery({keyword}=)", kwargs.get(keyword), node)
            return Obj("celery", {})  # its conf: ``_celery_conf``
        if top == "stripe":
            return self._stripe(qname, last, args, kwargs, node)
        if top in ("sodapy", "ckanapi", "arcgis"):
            return self._portal_client(qname, last, args, kwargs, node)
        if top in ("kafka", "confluent_kafka", "aiokafka"):
            config = args[0] if args else kwargs.get("conf")
            entries = (config.entries or {}) if isinstance(config, Frame) else {}
            servers = kwargs.get("bootstrap_servers", entries.get("bootstrap.servers"))
            items = servers.items if isinstance(servers, Seq) else (servers,)
            texts = [t for i in items if isinstance(i, Str) for t in i.text.split(",")]
            if "Producer" in last:
                hosts: list[str] = []
                for item in items:
                    if isinstance(item, Str):  # "broker1:9093,broker2:9093"
                        for server in item.text.split(","):
                            url = Str(f"kafka://{server.strip()}", item.via, item.nodes)
                            api = f"{qname}(bootstrap_servers)"
                            hosts += self._endpoint(api, url, node, from_host=True)
                self._kafka_tls(qname, kwargs, entries, tuple(dict.fromkeys(hosts)), node)
                # its sends go to those brokers (the message and the inventory name them)
                return Obj("kafka", {"hosts": tuple(dict.fromkeys(hosts))} if hosts else {})
            if "Consumer" in last:  # what it polls is data read from the topic, not a parameter
                hosts = [
                    h.lower()
                    for t in texts
                    if (h := t.strip().rsplit(":", 1)[0].strip("[]")) and "{" not in h
                ]
                self._kafka_tls(qname, kwargs, entries, tuple(dict.fromkeys(hosts)), node)
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
        if qname in _FORMAT_THE_ARGUMENT and args:  # phonenumbers.format_number(n, E164)
            return args[0]
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
                    owner = text.name.rsplit(".", 1)[-1]  # its fields are a record's (Col.owner)
                    return Unknown(text.name, Source(node, label, weak=True, owner=owner))
            if last == "loads" and args and type(args[0]) is Series and len(args[0].cols) == 1:
                field = args[0].cols[0]
                if field.treatment == RAW and self.confidence(field.name) is None:
                    # a record's field holding JSON text (a Lambda's event["body"], an SQS
                    # record's record["body"]): parsed, a record as json.loads(msg.payload)'s
                    label = f"parsed by {qname} from field '{field.name}'"
                    return Unknown("", Source(node, label, weak=True, owner=field.name))
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
        if top == "duckdb" and last != "connect":  # duckdb.sql(q): the default connection's
            made = self.duckdb_call(last, args, kwargs, node, env, module=True)
            if made is not None:
                return made
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
        if top == "redis":
            return self._redis(qname, last, args, kwargs, node)
        if top in ("elasticsearch", "opensearchpy"):
            return self._search_client(qname, last, args, kwargs, node)
        if top in ("influxdb_client", "influxdb"):
            return self._influx(qname, last, args, kwargs, node)
        if top in ("pymongo", "motor"):
            return self._mongo(qname, last, args, kwargs, node)
        if top == "minio":
            return self._minio(qname, last, args, kwargs, node)
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
        if top == "pyarrow":
            return self._pyarrow(qname, last, args, kwargs, node)
        if top == "dask" and qname.startswith("dask.dataframe"):
            # Dask's DataFrame is pandas' API, partitioned: its readers and writers are pandas'
            if last in _PANDAS_READERS:
                return self._read(f"dask.dataframe.{last}", "pandas", args, kwargs, node)
            if last in ("from_pandas", "from_dict") and args and isinstance(args[0], Frame):
                return args[0]
        rows = self._rows_of_query(qname, args, kwargs, node)
        return rows if rows is not None else UNKNOWN

    def _other_library(self, qname: str, last: str, args, kwargs, node) -> Val:
        """A call of a library ``call_ref`` has no test of (see ``_TESTED_TOPS``): the two
        that end its tests, a logger's method or the rows of a query."""
        if last in _LOG_METHODS and _LOGGER_NAME.search(qname.rpartition(".")[0]):
            self._logged(qname, args, kwargs, node)
            return UNKNOWN
        rows = self._rows_of_query(qname, args, kwargs, node)
        return rows if rows is not None else UNKNOWN

    def _rows_of_query(self, qname: str, args, kwargs, node) -> Val | None:
        """A function not followed (another module's: ``read_snowflake(TAPS_SQL, params)``)
        given a SELECT statement written in the code: the rows of that query, as a hook's
        ``get_records(sql)`` gives. Not the standard library's (``textwrap.dedent(SQL)`` is the
        text, which a log or a cursor receives as text)."""
        if qname.partition(".")[0] in sys.stdlib_module_names:
            return None
        query = args[0] if args else kwargs.get("sql", kwargs.get("query"))
        if not isinstance(query, Str) or not query.known:
            return None
        parsed = sql.select_columns(query.text)
        if parsed is None:
            return None
        return self._sql_frame("pandas", parsed, node, f"read by {qname.rsplit('.', 1)[-1]}()")

    def _kafka_tls(self, qname: str, kwargs, entries: dict, hosts: tuple[str, ...], node) -> None:
        """A Kafka client's transport: its security protocol (kafka-python's and aiokafka's
        ``security_protocol``, confluent-kafka's ``security.protocol``; PLAINTEXT when not set,
        as in all three) and its certificate checks (``ssl_check_hostname=False``,
        ``enable.ssl.certificate.verification: False``, ``ssl.endpoint.identification.
        algorithm: none``). A protocol not known (read from the environment) is not judged."""
        given = "security_protocol" in kwargs or "security.protocol" in entries
        protocol = kwargs.get("security_protocol", entries.get("security.protocol"))
        if not given:
            # The client's default: judged by its brokers, as Redis's no-TLS default, when
            # every setting is written in the call (no **options, no configuration dict made
            # elsewhere: those may set the protocol).
            call = node if type(node) is ast.Call else None
            config = call.args[0] if call and call.args else None
            written = (
                call is not None
                and not any(k.arg is None for k in call.keywords)
                and (
                    not entries
                    or (type(config) is ast.Dict and all(k is not None for k in config.keys))
                )
            )
            if hosts and written:
                self._fact("tls", node, tls="kafka-default", api=qname, hosts=hosts)
        elif isinstance(protocol, Str) and protocol.known:
            value = protocol.text.strip().upper()
            if value in ("PLAINTEXT", "SASL_PLAINTEXT"):
                kind = "kafka-plaintext" if value == "PLAINTEXT" else "kafka-sasl-plaintext"
                self._fact("tls", node, tls=kind, api=qname, hosts=hosts)
        if may_be_false(kwargs.get("ssl_check_hostname")):
            self._tls("kafka-check-hostname", node, qname)
        verify = entries.get("enable.ssl.certificate.verification")
        if may_be_false(verify) or (isinstance(verify, Str) and verify.text.lower() == "false"):
            self._tls("kafka-verify-off", node, qname)
        algorithm = entries.get("ssl.endpoint.identification.algorithm")
        if isinstance(algorithm, Str) and algorithm.text.lower() == "none":
            self._tls("kafka-identification-none", node, qname)

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

    def itemgetter(self, getter: Obj, item: Val, node) -> Val:
        """``operator.itemgetter("first_name", "ward")(row)``: those fields of the row."""
        got = [self.index(item, key, node) for key in getter.data["keys"]]
        return got[0] if len(got) == 1 else Seq(tuple(got))


# The socket module's calls that make a socket, and the socket methods that give the peer's
# address; a receiver named so (``sock``, ``self.server_socket``: ``_socket_name``) is one.
_SOCKET_FACTORIES = frozenset({"socket", "create_server", "create_connection", "fromfd"})


def _sourced(value: Val) -> bool:
    """A value of open schema (a parameter, a record consumed): its source holds its fields."""
    return isinstance(value, Unknown) and value.source is not None


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
