"""What the data-flow analysis knows about libraries: pandas, PySpark, polars, DB-API
cursors, csv/json, pathlib, HTTP clients, object storage, mail/FTP/SFTP, Kafka, RabbitMQ,
Redis, MongoDB, Elasticsearch/OpenSearch, InfluxDB, Slack/SendGrid, FHIR resources, logging
and Airflow.

A mixin of ``Analyzer`` (``python_dataflow``): each method turns a call on a known API into
abstract values (frames, columns, strings) and facts (sinks, hashes, endpoints).

``LibraryCalls`` is made of mixins, each in a module of ``python_libs``:
``calls.FunctionCalls``, ``methods.MethodCalls``, ``frames.FrameCalls``,
``precision.Precision``, ``databases.DatabaseCalls``, ``duckdb_calls.DuckdbCalls``,
``http_clients.HttpCalls``, ``aws.AwsCalls``, ``azure.AzureCalls``,
``messaging.MessagingCalls``, ``files.FileCalls``, ``ocpp.OcppCalls``, ``fhir.FhirCalls``,
``public.PublicGrants`` (stored data made public).
``common``: what several share.
"""

from __future__ import annotations

from dhlint.models.python_libs.aws import AwsCalls
from dhlint.models.python_libs.azure import AzureCalls
from dhlint.models.python_libs.calls import FunctionCalls
from dhlint.models.python_libs.databases import _DB_MODULES, DatabaseCalls
from dhlint.models.python_libs.duckdb_calls import DuckdbCalls
from dhlint.models.python_libs.fhir import FhirCalls
from dhlint.models.python_libs.files import FileCalls
from dhlint.models.python_libs.frames import _DB_WRITERS as _DB_WRITERS
from dhlint.models.python_libs.frames import _FILE_WRITERS as _FILE_WRITERS
from dhlint.models.python_libs.frames import FrameCalls
from dhlint.models.python_libs.http_clients import _HTTP_MODULES, HttpCalls
from dhlint.models.python_libs.messaging import MessagingCalls
from dhlint.models.python_libs.methods import MethodCalls
from dhlint.models.python_libs.ocpp import OcppCalls
from dhlint.models.python_libs.precision import Precision
from dhlint.models.python_libs.public import PublicGrants

# Every top-level package ``call_ref`` gives a meaning to (a test keeps this in step with it).
KNOWN_MODULES = frozenset(
    {
        *_HTTP_MODULES, *_DB_MODULES, "hashlib", "hmac", "builtins", "os", "urllib",
        "posixpath", "pandas", "polars", "pyspark", "boto3", "botocore", "google", "azure",
        "smtplib", "ftplib", "paramiko", "pysftp", "kafka", "confluent_kafka", "aiokafka",
        "io", "csv", "json", "orjson", "ujson", "simplejson", "yaml", "pickle", "logging",
        "loguru", "structlog", "ssl", "airflow", "dask", "pathlib", "paho", "awswrangler",
        "twilio", "websockets", "websocket", "redis", "awsglue", "aiosmtplib", "ocpp",
        "elasticsearch", "opensearchpy", "influxdb_client", "influxdb", "pymongo", "motor",
        "pika", "slack_sdk", "sendgrid", "simple_salesforce", "mailchimp_marketing",
        "mailchimp3", "stripe", "celery", "geopandas", "sodapy", "ckanapi", "arcgis",
        "firebase_admin", "fhir", "fhirclient", "mandrill", "pyarrow",
    }
)  # fmt: skip


class LibraryCalls(
    FunctionCalls,
    MethodCalls,
    FrameCalls,
    Precision,
    DatabaseCalls,
    DuckdbCalls,
    HttpCalls,
    AwsCalls,
    AzureCalls,
    MessagingCalls,
    FileCalls,
    OcppCalls,
    FhirCalls,
    PublicGrants,
):
    """Calls on library APIs (mixed into ``Analyzer``, whose state it uses)."""
