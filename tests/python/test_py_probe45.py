"""Flows the probe 45 (police sensor analytics on Azure: Azure Functions, Event Hubs, Cosmos
DB, Blob storage, psycopg2) found missed or misread."""

from __future__ import annotations

import json

from dhlint.frontends.python import needs_analysis
from dhlint.models.python import identifier_test
from dhlint.policy import default_policy

V2_APP = """
import json

import azure.functions as func

app = func.FunctionApp()
HITS = "hits"


@app.route(route="plate", methods=["POST"])
@app.cosmos_db_output(arg_name="outdoc", database_name="alpr", container_name=HITS, connection="C")
def plate_hit(req: func.HttpRequest, outdoc: func.Out[func.Document]) -> func.HttpResponse:
    body = req.get_json()
    outdoc.set(func.Document.from_dict({"plate_number": body["plate_number"]}))  # expect: DH560
    return func.HttpResponse(status_code=201)


@app.event_hub_output(arg_name="event", event_hub_name="hits", connection="EH")
def forward(req: func.HttpRequest, event: func.Out[str]) -> None:
    body = req.get_json()
    event.set(json.dumps({"plate_number": body["plate_number"]}))  # expect: DH561


@app.blob_output(arg_name="outblob", path="exports/{rand-guid}.json", connection="ST")
def export(req: func.HttpRequest, outblob: func.Out[str]) -> None:
    body = req.get_json()
    outblob.set(json.dumps({"email": body["email"]}))  # expect: DH560


@app.route(route="status")
def status(req: func.HttpRequest, res: func.Out[func.HttpResponse]) -> None:
    body = req.get_json()
    res.set(func.HttpResponse(body["email"]))  # not an output binding of a store: not judged


@app.cosmos_db_output(arg_name="outdoc", database_name="alpr", container_name="hits", connection="")
def counted(req: func.HttpRequest, outdoc: func.Out[func.Document]) -> None:
    outdoc.set(func.Document.from_dict({"camera_id": req.get_json()["camera_id"]}))
"""


def test_azure_functions_v2_output_bindings_are_writes_and_sends(assert_expected, scan):
    # probe45 01 (min/01): func.Out[...].set() of a binding declared by @app.cosmos_db_output,
    # @app.event_hub_output or @app.blob_output was never judged: it is how a Function writes
    # to Cosmos DB, Event Hubs and Blob storage. Now a sink of the binding's kind, named by its
    # destination when literal (a module constant too).
    result = assert_expected(V2_APP, select=("DH560", "DH561"), name="function_app.py")
    messages = " | ".join(f.message for f in result.active)
    assert "a database table (alpr.hits) by outdoc.set (Cosmos DB output binding)" in messages
    assert "the network (Event Hubs 'hits') by event.set (Event Hubs output binding)" in messages
    assert "object storage (exports) by outblob.set (Blob storage output binding)" in messages


V1_HANDLER = """
import azure.functions as func


def main(req: func.HttpRequest, doc: func.Out[func.Document], msg: func.Out[str]) -> None:
    body = req.get_json()
    doc.set(func.Document.from_dict({"plate_number": body["plate_number"]}))  # expect: DH560
    msg.set(body["email"])  # expect: DH561
"""


def _function_json(*bindings: dict) -> str:
    return json.dumps({"scriptFile": "__init__.py", "bindings": list(bindings)})


COSMOS_OUT = {
    "type": "cosmosDB",
    "direction": "out",
    "name": "doc",
    "databaseName": "alpr",
    "containerName": "hits",
    "connection": "COSMOS",
}
QUEUE_OUT = {"type": "serviceBus", "direction": "out", "name": "msg", "queueName": "%QUEUE%"}


def test_azure_functions_v1_output_bindings_are_read_from_function_json(scan, tmp_path):
    # probe45 01 (min/01, v1): the bindings of function.json ("direction": "out", type
    # cosmosDB / serviceBus) name what the handler's Out parameters write to; function.json is
    # read only for a module with such a parameter, and is an input of the cached result.
    files = {
        "hits/__init__.py": V1_HANDLER,
        "hits/function.json": _function_json(COSMOS_OUT, QUEUE_OUT),
        # an in binding of the name, or none at all: not judged
        "other/__init__.py": V1_HANDLER.replace("# expect: DH560", "").replace(
            "# expect: DH561", ""
        ),
        "other/function.json": _function_json({**COSMOS_OUT, "direction": "in"}),
        "lone/__init__.py": V1_HANDLER.replace("# expect: DH560", "").replace(
            "# expect: DH561", ""
        ),
    }
    result = scan(files, select=("DH560", "DH561"))
    got = sorted((f.rule_id, f.location.path, f.location.start_line) for f in result.active)
    assert got == [("DH560", "hits/__init__.py", 7), ("DH561", "hits/__init__.py", 8)]
    first = next(f for f in result.active if f.rule_id == "DH560")
    assert "a database table (alpr.hits) by doc.set (Cosmos DB output binding)" in first.message
    second = next(f for f in result.active if f.rule_id == "DH561")
    assert "sent to the network by msg.set (Service Bus output binding)" in second.message


def test_function_json_is_an_input_of_the_cached_result(make_repo, tmp_path):
    from dhlint.engine import CheckOptions, run_check

    root = make_repo(
        {"hits/__init__.py": V1_HANDLER, "hits/function.json": _function_json(QUEUE_OUT)}, None
    )
    cache = tmp_path / "cache"

    def run():
        options = CheckOptions(paths=["."], cwd=str(root), select=["DH560", "DH561"])
        options.cache_dir = str(cache)
        return sorted(f.rule_id for f in run_check(options).active)

    assert run() == ["DH561"]
    (root / "hits/function.json").write_text(_function_json(COSMOS_OUT, QUEUE_OUT))
    assert run() == ["DH560", "DH561"]


def test_a_module_with_only_an_output_binding_passes_the_prefilter():
    # the brief's ask for the pre-filter: the azure import alone makes a module analysed
    words = identifier_test(default_policy(), ast_stage=True)
    assert needs_analysis(V1_HANDLER, words)
    assert needs_analysis(V2_APP, words)


def test_a_plain_variable_sent_whole_and_blob_metadata_are_judged(assert_expected):
    # probe45 02 (min/03): a variable named like an identifier was judged inside a dict
    # (files={"img": face_image}) but not as the whole payload (upload_blob(face_image),
    # data=email), and upload_blob's metadata= (stored with the blob, returned in listings)
    # was not read; nor were S3's Metadata=/Tagging= or a blob's set_blob_metadata.
    code = """
import os

import boto3
import requests
from azure.storage.blob import BlobServiceClient

evidence = BlobServiceClient(account_url=os.environ["EVIDENCE_ACCOUNT_URL"])
s3 = boto3.client("s3")


def upload_face(face_image: bytes) -> None:
    evidence.get_blob_client("raw-frames", "x.jpg").upload_blob(face_image)  # expect: DH560


def upload_plate(plate_number: str) -> None:
    evidence.get_blob_client("raw-frames", "x.txt").upload_blob(plate_number)  # expect: DH560


def post_email(email: str, payload: dict) -> None:
    requests.post("https://api.kcmo.gov/x", data=email, timeout=5)  # expect: DH561
    requests.post("https://api.kcmo.gov/x", json=[email], timeout=5)  # expect: DH561
    requests.post("https://api.kcmo.gov/x", json=payload, timeout=5)


def metadata(row, frame: bytes) -> None:
    blob = evidence.get_blob_client("raw-frames", "x.jpg")
    blob.upload_blob(frame, metadata={"plate": row["plate_number"]})  # expect: DH560
    blob.upload_blob(frame, tags={"owner": row["email"]})  # expect: DH560
    blob.upload_blob(frame, metadata={"camera": row["camera_id"]})
    blob.set_blob_metadata({"plate": row["plate_number"]})  # expect: DH560
    s3.put_object(Bucket="b", Key="k", Body=b"", Metadata={"plate": row["plate"]})  # expect: DH560
    s3.put_object(Bucket="b", Key="k", Body=frame, Metadata={"camera": row["camera_id"]})
"""
    assert_expected(code, select=("DH560", "DH561"))


def test_an_event_hubs_send_names_the_namespace_it_reaches(scan):
    # probe45 03 (min/02): DH660 knew the namespace of an EventHubProducerClient (its
    # fully_qualified_namespace, or a connection string's Endpoint=), but DH561 said only "sent
    # to the network by eventhub.send_batch" and the inventory listed the send under an
    # unresolved endpoint. The sink now carries the namespace's host.
    code = """
import json

from azure.eventhub import EventData, EventHubProducerClient
from azure.identity import DefaultAzureCredential
from azure.servicebus import ServiceBusClient, ServiceBusMessage

producer = EventHubProducerClient(
    fully_qualified_namespace="ehns-vendor.servicebus.windows.net",
    eventhub_name="reads",
    credential=DefaultAzureCredential(),
)
legacy = EventHubProducerClient.from_connection_string(
    "Endpoint=sb://ehns-legacy.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=x",
    eventhub_name="reads",
)
bus = ServiceBusClient("sbns-vendor.servicebus.windows.net", credential=DefaultAzureCredential())


def send(row, hub) -> None:
    batch = producer.create_batch()
    batch.add(EventData(json.dumps({"plate_number": row["plate_number"]})))
    producer.send_batch(batch)
    legacy.send_event(EventData(json.dumps({"plate_number": row["plate_number"]})))
    bus.get_queue_sender("q").send_messages(ServiceBusMessage(row["email"]))
    hub.send_batch([EventData(row["email"])])
"""
    result = scan({"a.py": code}, select=("DH561",))
    messages = " | ".join(sorted(f.message for f in result.active))
    assert len(result.active) == 4
    assert "sent to the network by azure.send_batch" in messages  # a parameter: unknown
    assert "the network (ehns-legacy.servicebus.windows.net) by eventhub.send_event" in messages
    assert "the network (ehns-vendor.servicebus.windows.net) by eventhub.send_batch" in messages
    assert "the network (sbns-vendor.servicebus.windows.net) by servicebus.send_messages" in (
        messages
    )


def test_the_inventory_lists_an_event_hubs_send_under_its_namespace(make_repo, monkeypatch, capsys):
    from dhlint.cli import main

    code = """
import json

from azure.eventhub import EventData, EventHubProducerClient
from azure.identity import DefaultAzureCredential

producer = EventHubProducerClient(
    fully_qualified_namespace="ehns-vendor.servicebus.windows.net",
    eventhub_name="reads",
    credential=DefaultAzureCredential(),
)


def send(row) -> None:
    batch = producer.create_batch()
    batch.add(EventData(json.dumps({"plate_number": row["plate_number"]})))
    producer.send_batch(batch)
"""
    monkeypatch.chdir(make_repo({"a.py": code}, None))
    assert main(["inventory", "--no-cache", "--output-format", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    (direct,) = doc["categories"]
    ids = [d["id"] for d in direct["destinations"]]
    assert ids == ["ehns-vendor.servicebus.windows.net"], ids


def test_sslmode_allow_and_prefer_and_azure_connection_verify(assert_expected):
    # probe45 06 (min/11): libpq's sslmode=prefer and allow fall back to plain text (DH241
    # reports them in manifests), but Python knew only sslmode=disable; azure-core's
    # connection_verify=False (every Azure SDK client) was not a switch of DH261.
    code = """
import os

import psycopg2
from azure.cosmos import CosmosClient
from azure.storage.blob import BlobServiceClient

HOST = os.environ["PG_HOST"]


def pg() -> None:
    psycopg2.connect(host=HOST, dbname="cases", sslmode="prefer")  # expect: DH260
    psycopg2.connect(f"host={HOST} dbname=cases sslmode=allow")  # expect: DH260
    psycopg2.connect(f"host={HOST} dbname=cases sslmode=disable")  # expect: DH260
    psycopg2.connect(host=HOST, dbname="cases", sslmode="require")
    psycopg2.connect(f"host={HOST} dbname=cases sslmode=verify-full")


def azure(row) -> None:
    url, key = os.environ["COSMOS_URL"], os.environ["K"]
    CosmosClient(url, credential=key, connection_verify=False)  # expect: DH261
    CosmosClient(url, credential=key, connection_verify=True)
    BlobServiceClient(os.environ["ST"], connection_verify=False)  # expect: DH261
"""
    result = assert_expected(code, select=("DH260", "DH261"))
    messages = " | ".join(sorted(f.message for f in result.active))
    assert "cleartext channel (sslmode=prefer, which falls back to plain text)" in messages
    assert "cleartext channel (sslmode=allow, which falls back to plain text)" in messages
    assert "certificate verification is switched off (connection_verify=False)" in messages


def test_connection_verify_alone_passes_the_prefilter():
    text = "def make(factory, url):\n    return factory(url, connection_verify=False)\n"
    words = identifier_test(default_policy(), ast_stage=True)
    assert needs_analysis(text, words)


def test_a_protective_functions_result_of_a_parameter_is_protected(assert_expected):
    # probe45 07 (min/04): the result of a declared protective function (the policy's
    # generalise_location) given a plain parameter was nothing the analysis knew, so under a key
    # named like a coordinate it was judged by the key as raw (DH563); a row field given to it
    # was cleared, and so was round(lat, 3). Now the parameter is protected by its name.
    code = """
import requests
from pkg.geo import generalise_location, mask


def unpacked(lat: float, lon: float) -> None:
    glat, glon = generalise_location(lat, lon)
    requests.post("https://api.kcmo.gov/x", json={"lat": glat, "lon": glon}, timeout=5)


def inline(lat: float, email: str) -> None:
    requests.post("https://api.kcmo.gov/x", json={"lat": generalise_location(lat)}, timeout=5)
    requests.post("https://api.kcmo.gov/x", json={"lat": mask(lat)}, timeout=5)
    requests.post("https://api.kcmo.gov/x", json={"email": mask(email)}, timeout=5)


def row_field(row) -> None:
    requests.post("https://api.kcmo.gov/x", json={"lat": generalise_location(row["lat"])})


def raw(lat: float, email: str) -> None:  # for contrast: reported
    requests.post("https://api.kcmo.gov/x", json={"lat": lat}, timeout=5)  # expect: DH563
    requests.post("https://api.kcmo.gov/x", json={"email": email}, timeout=5)  # expect: DH561
    requests.post("https://api.kcmo.gov/x", json={"lat": str(lat)}, timeout=5)  # expect: DH563
"""
    policy = {"protective_functions": ["generalise_location"]}
    assert_expected(code, select=("DH561", "DH563"), policy=policy)


def test_an_unused_suppression_on_a_step_of_a_findings_flow_says_where_it_is(scan):
    # probe45 11 (min/10): a documented exception written at the field it is about (a step of
    # the finding's flow) silences nothing, as documented (the comment goes at the finding),
    # but DH004 said "remove it", which would delete the exception. It now says where the
    # finding is reported; an unrelated unused suppression still says "remove it".
    code = """import requests


def forward(d) -> None:
    payload = {
        "incident_id": d["id"],
        # dhlint: ignore[DH563] reason="fusion centre MOU requires exact shot location"
        "latitude": d["latitude"],
        "longitude": d["longitude"],
    }
    requests.post("https://fusion.kcmo.gov/api", json=payload, timeout=10)


def other(d) -> None:
    # dhlint: ignore[DH563] reason="left over"
    requests.post("https://fusion.kcmo.gov/api", json={"id": d["id"]}, timeout=10)
"""
    result = scan({"a.py": code}, select=("DH004", "DH563"))
    got = {(f.rule_id, f.location.start_line): f.message for f in result.active}
    assert set(got) == {("DH004", 7), ("DH563", 11), ("DH004", 15)}
    assert got[("DH004", 7)] == (
        "Suppression of DH563 silences nothing here; DH563 is reported at line 11, where the "
        "data of this line goes: put the comment there"
    )
    assert got[("DH004", 15)] == "Suppression of DH563 silences nothing here; remove it"


SHARED_HANDLER = """
import azure.functions as func


def main(req: func.HttpRequest, msg: func.Out[str]) -> None:
    msg.set(req.get_json()["email"])


def store(req: func.HttpRequest, doc: func.Out[func.Document]) -> None:
    body = req.get_json()
    doc.set(func.Document.from_dict({"plate_number": body["plate_number"]}))  # expect: DH560


def unbound(req: func.HttpRequest, doc: func.Out[func.Document]) -> None:
    doc.set(func.Document.from_dict({"plate_number": req.get_json()["plate_number"]}))
"""


def _script_json(script: str, entry: str | None, *bindings: dict) -> str:
    data: dict = {"scriptFile": script, "bindings": list(bindings)}
    if entry:
        data["entryPoint"] = entry
    return json.dumps(data)


def test_function_json_whose_script_file_is_elsewhere_binds_that_handler(scan, make_repo, tmp_path):
    # s33 h5 #4: a v1 function.json may name its handler elsewhere ("scriptFile":
    # "../shared/handler.py", "entryPoint": "store"); its out bindings were never applied, as
    # only the function.json beside a module was read. Now the function folders of the app
    # (beside the nearest host.json) are read for such a module, and a binding applies to the
    # function its entryPoint names (main by default).
    files = {
        "host.json": "{}",
        "shared/handler.py": SHARED_HANDLER.replace('["email"])', '["email"])  # expect: DH561'),
        "ingest/function.json": _script_json("../shared/handler.py", None, QUEUE_OUT),
        "save/function.json": _script_json("../shared/handler.py", "store", COSMOS_OUT),
        # another handler's function.json, and a folder without one: not this module's
        "other/function.json": _script_json("../other/run.py", "unbound", COSMOS_OUT),
        "docs/readme.txt": "",
    }
    result = scan(files, select=("DH560", "DH561"))
    got = sorted((f.rule_id, f.location.path, f.location.start_line) for f in result.active)
    assert got == [("DH560", "shared/handler.py", 11), ("DH561", "shared/handler.py", 6)]
    # without host.json no app is known: nothing read
    del files["host.json"]
    bare = {k: v.replace("  # expect: DH561", "") for k, v in files.items()}
    bare["shared/handler.py"] = bare["shared/handler.py"].replace("  # expect: DH560", "")
    assert scan(bare, select=("DH560", "DH561")).active == []

    # the function.json files so read are inputs of the cached result
    from dhlint.engine import CheckOptions, run_check

    root = make_repo(
        {"host.json": "{}", "shared/handler.py": SHARED_HANDLER, "docs/readme.txt": ""}, None
    )
    cache = tmp_path / "cache2"

    def run():
        options = CheckOptions(paths=["."], cwd=str(root), select=["DH560", "DH561"])
        options.cache_dir = str(cache)
        return sorted(f.rule_id for f in run_check(options).active)

    assert run() == []
    (root / "docs/function.json").write_text(_script_json("../shared/handler.py", "", QUEUE_OUT))
    assert run() == ["DH561"]
    (root / "save").mkdir()
    (root / "save/function.json").write_text(
        _script_json("../shared/handler.py", "store", COSMOS_OUT)
    )
    assert run() == ["DH560", "DH561"]
