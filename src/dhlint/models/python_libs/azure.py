"""Azure: Event Hubs and Service Bus, Cosmos DB, Blob Storage uploads, Functions' output
bindings."""

from __future__ import annotations

import ast
import json
import os
import re
from typing import Any

from dhlint.models.python_values import (
    UNKNOWN,
    Col,
    Frame,
    Obj,
    Seq,
    Series,
    Step,
    Str,
    Val,
    cols_of,
    merge_cols,
    mixture,
)

# Azure Event Hubs and Service Bus, Azure's Kafka: the methods of a producer or sender that send
# events or messages (a list of them, or a batch filled with add/add_message), and the
# keywords that go with them (a partition key, as a Kafka message's key, is sent).
_BUS_SENDS = frozenset({"send_event", "send_batch", "send_messages", "schedule_messages"})
_BUS_SENT = frozenset({"event_data", "event_data_batch", "message", "messages", "partition_key"})
_BUS_MESSAGES = frozenset({"EventData", "ServiceBusMessage", "AmqpAnnotatedMessage"})


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


# Azure Functions' output bindings: the decorator of the Python v2 model (``@app.<name>``, on
# a FunctionApp or a Blueprint) or the ``type`` of a v1 ``function.json`` binding -> (the sink's
# kind, the service the message names, the keywords of the destination: a Cosmos DB
# container is ``database.container``, a blob's path starts with its container).
_OUTPUT_BINDINGS = {
    "cosmos_db_output": ("database", "Cosmos DB", ("database_name", "container_name")),
    "cosmosdb": ("database", "Cosmos DB", ("databaseName", "containerName")),
    "documentdb": ("database", "Cosmos DB", ("databaseName", "collectionName")),
    "event_hub_output": ("network", "Event Hubs", ("event_hub_name",)),
    "eventhub": ("network", "Event Hubs", ("eventHubName",)),
    "service_bus_queue_output": ("network", "Service Bus", ("queue_name",)),
    "service_bus_topic_output": ("network", "Service Bus", ("topic_name",)),
    "servicebus": ("network", "Service Bus", ("queueName", "topicName")),
    "queue_output": ("network", "Storage queue", ("queue_name",)),
    "queue": ("network", "Storage queue", ("queueName",)),
    "blob_output": ("storage", "Blob storage", ("path",)),
    "blob": ("storage", "Blob storage", ("path",)),
    "table_output": ("database", "Table storage", ("table_name",)),
    "table": ("database", "Table storage", ("tableName",)),
    "sql_output": ("database", "Azure SQL", ("command_text",)),
    "sql": ("database", "Azure SQL", ("commandText",)),
}


class AzureCalls:
    """Azure: Event Hubs and Service Bus, Cosmos DB, Blob Storage uploads, Functions' output
    bindings."""

    # Set by ``analyse_module``: the module's file on disk and the list of files read beyond it
    # (a v1 ``function.json``); the bindings read from it, once.
    abspath: str | None = None
    extra_inputs: list[str] | None = None
    function_json: list[dict] | None = None
    function_jsons_elsewhere: list[tuple[str, list[dict]]] | None = None

    def _output_binding(self, param, func) -> Obj | None:
        """A handler's ``func.Out[...]`` parameter: the output binding of its name, declared by
        a decorator of the handler (``@app.cosmos_db_output(arg_name="doc", ...)``) or, in the
        v1 model, in the ``function.json`` beside the module (read only for such a
        parameter). None when neither says which binding it is."""
        name = param.name
        for decorator in getattr(func, "decorator_list", ()):
            call = decorator if type(decorator) is ast.Call else None
            method = call.func.attr if call and type(call.func) is ast.Attribute else ""
            if method not in _OUTPUT_BINDINGS and method != "generic_output_binding":
                continue
            settings = {k.arg: self._setting(k.value) for k in call.keywords if k.arg}  # type: ignore[union-attr]
            if settings.get("arg_name") != name:
                continue
            if method == "generic_output_binding":
                method = str(settings.get("type") or "").lower()
            return _binding(method, name, settings)
        for binding in self._function_json():
            if binding.get("name") == name and binding.get("direction") == "out":
                return _binding(str(binding.get("type") or "").lower(), name, binding)
        for entry, bindings in self._function_jsons_elsewhere():
            if entry != getattr(func, "name", None):
                continue
            for binding in bindings:
                if binding.get("name") == name and binding.get("direction") == "out":
                    return _binding(str(binding.get("type") or "").lower(), name, binding)
        return None

    def _setting(self, node: ast.expr) -> str | None:
        """A decorator's keyword: a literal text, or a module constant holding one."""
        if type(node) is ast.Constant:
            return node.value if isinstance(node.value, str) else None
        if type(node) is ast.Name:
            value = self.module_env.get(node.id)
            return value.text if isinstance(value, Str) and value.known else None
        return None

    def _function_json(self) -> list[dict]:
        """The bindings of the v1 ``function.json`` beside the module (read once; the file is
        an input of the result the cache keeps, present or not)."""
        found = self.function_json
        if found is None:
            found = []
            if self.abspath:
                path = os.path.join(os.path.dirname(self.abspath), "function.json")
                if self.extra_inputs is not None:
                    self.extra_inputs.append(path)
                try:
                    with open(path, encoding="utf-8-sig") as handle:
                        data = json.load(handle)
                    bindings = data.get("bindings") if isinstance(data, dict) else None
                    found = [b for b in bindings or () if isinstance(b, dict)]
                except (OSError, ValueError):
                    found = []
            self.function_json = found
        return found

    def _function_jsons_elsewhere(self) -> list[tuple[str, list[dict]]]:
        """The v1 ``function.json`` files of other folders whose ``scriptFile`` is this module
        (``"../shared/handler.py"``: the handler lives elsewhere), as (its ``entryPoint``,
        ``main`` by default; its bindings). They are looked for in the function folders of the
        app: the direct subfolders of the nearest directory holding ``host.json``, this
        module's or one of its three parents. Read once, for a module with an Out parameter
        that no decorator or ``function.json`` beside it names; the ``host.json`` paths tried,
        the app's folder (its listing) and every ``function.json`` path tried are inputs of
        the result the cache keeps."""
        found = self.function_jsons_elsewhere
        if found is not None:
            return found
        found = self.function_jsons_elsewhere = []
        if not self.abspath:
            return found
        inputs = self.extra_inputs if self.extra_inputs is not None else []
        module = os.path.normcase(os.path.realpath(self.abspath))
        app = os.path.dirname(self.abspath)
        for _ in range(4):
            inputs.append(os.path.join(app, "host.json"))
            if os.path.isfile(inputs[-1]):
                break
            parent = os.path.dirname(app)
            if parent == app:
                return found
            app = parent
        else:
            return found
        inputs.append(app)
        try:
            folders = sorted(e.path for e in os.scandir(app) if e.is_dir())
        except OSError:
            return found
        for folder in folders:
            path = os.path.join(folder, "function.json")
            inputs.append(path)
            try:
                with open(path, encoding="utf-8-sig") as handle:
                    data = json.load(handle)
            except (OSError, ValueError):
                continue
            script = data.get("scriptFile") if isinstance(data, dict) else None
            if not isinstance(script, str) or not script:
                continue
            target = os.path.normcase(os.path.realpath(os.path.join(folder, script)))
            if target != module:
                continue
            entry = data.get("entryPoint")
            bindings = data.get("bindings")
            found.append(
                (
                    entry if isinstance(entry, str) and entry else "main",
                    [b for b in bindings or () if isinstance(b, dict)]
                    if isinstance(bindings, list)
                    else [],
                )
            )
        return found

    def _binding_set(self, obj: Obj, args, kwargs, node) -> Val:
        """``out.set(value)`` on an output binding: what the binding writes (a Cosmos DB
        document, an event, a blob...), as the SDK's own write would."""
        value = args[0] if args else kwargs.get("val")
        if value is None:
            return UNKNOWN
        data = obj.data
        self._sink(data["kind"], data["api"], value, node, host=data["host"], target=data["target"])
        return UNKNOWN

    def _azure_namespace(self, qname: str, last: str, args, kwargs, node) -> tuple[str, ...]:
        """The namespace an Event Hubs or Service Bus client connects to: its
        ``fully_qualified_namespace`` (the first argument), or a connection string's
        ``Endpoint=sb://<namespace>/``; its hosts, when known."""
        if last == "from_connection_string":
            conn = kwargs.get("conn_str") or (args[0] if args else None)
            match = (
                re.search(r"(?i)\bEndpoint=([^;]+)", conn.text) if isinstance(conn, Str) else None
            )
            if match:
                endpoint = Str(match.group(1).strip(), conn.via, conn.nodes)
                return self._endpoint(qname, endpoint, node)
        elif last in _AZURE_BUS_CLIENTS:
            namespace = kwargs.get("fully_qualified_namespace") or (args[0] if args else None)
            return self._endpoint(qname, self._host_url("sb", namespace), node, from_host=True)
        return ()

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
        # the data (a plain variable is judged by its name: upload_blob(face_image)), and the
        # metadata and tags stored with the blob and returned with it in listings
        parts = [self._by_name(self._file_value(b), node) for b in bodies]
        parts += [kwargs[k] for k in ("metadata", "tags") if k in kwargs]
        body = mixture(parts) if parts else UNKNOWN
        if level == "container":  # the blob's name, written under the container
            name = kwargs.get("name", args[0] if args and "data" not in kwargs else None)
            known = isinstance(name, Str) and name.known
            obj = Obj(obj.kind, {**obj.data, "path": name.text if known else None})  # type: ignore[union-attr]
        host, target = _azure_store(obj)
        self._sink("storage", f"{obj.kind}.upload_blob", body, node, host=host, target=target)


def _binding(kind: str, name: str, settings: dict) -> Obj | None:
    """An output binding of a known kind, with its destination when literal: Cosmos DB's
    ``database.container``, a hub's, queue's or table's name, a blob path's container."""
    known = _OUTPUT_BINDINGS.get(kind)
    if known is None:
        return None
    sink, service, keys = known
    # literal names only: not an app setting's ("%HUB_NAME%") nor a binding expression's
    parts = [settings.get(k) for k in keys]
    parts = [p for p in parts if isinstance(p, str) and p and "%" not in p and "{" not in p]
    host = target = None
    if sink == "storage":  # "exports/{rand-guid}.json": the container "exports"
        path = settings.get(keys[0])
        container = path.split("/", 1)[0] if isinstance(path, str) else ""
        host = container if container and "{" not in container and "%" not in container else None
    elif sink == "network":
        target = parts[0] if parts else None
    elif len(parts) == len(keys):
        target = ".".join(parts)
    api = f"{name}.set ({service} output binding)"
    return Obj("azure-out", {"kind": sink, "api": api, "host": host, "target": target})


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


def _azure_bus(qname: str, last: str, args, kwargs, hosts: tuple[str, ...] = ()) -> Val:
    """Event Hubs' producer and Service Bus's client or sender, which send as a Kafka producer
    does (to the namespace's ``hosts``, when known), and the events and messages they send
    (``EventData(body)``, ``ServiceBusMessage(body, session_id=..., application_properties=...)``:
    all sent)."""
    if last in _BUS_MESSAGES:
        parts = [*args, *kwargs.values()]
        return Obj("message", {"payload": mixture(parts)} if parts else {})
    if "EventHubProducerClient" in qname:
        return Obj("azure-bus", {"api": "eventhub", "hosts": hosts})
    if "ServiceBusClient" in qname or "ServiceBusSender" in qname:
        return Obj("azure-bus", {"api": "servicebus", "hosts": hosts})
    return UNKNOWN
