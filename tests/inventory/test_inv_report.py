"""`dhlint inventory` on the ALPR fixture: the JSON document, the Markdown and its Mermaid
diagram (checked against a strict grammar of the subset dhlint writes), and determinism."""

from __future__ import annotations

import json
import re

import pytest

from dhlint.cli import main
from dhlint.engine import CheckOptions, run_check
from dhlint.inventory.report import mermaid_text
from tests.conftest import REPO

UNSAFE = "fixtures/inventory/alpr"
FIXED = "fixtures/inventory/alpr-fixed"
PY = f"{UNSAFE}/etl/alpr_pipeline.py"
TF = f"{UNSAFE}/terraform/storage.tf"
K8S = f"{UNSAFE}/k8s/alpr-pipeline-cronjob.yaml"


def _inventory(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(REPO)
    code = main(["inventory", "--no-cache", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def unsafe_doc(monkeypatch, capsys) -> dict:
    code, out = _inventory(monkeypatch, capsys, "--output-format", "json", UNSAFE)
    assert code == 0
    return json.loads(out)


def test_inventory_json_categories(unsafe_doc):
    doc = unsafe_doc
    assert doc["schema"] == "dhlint-inventory/1"
    assert doc["policy"] == {"name": "dhlint model data-handling policy", "version": "1.0.0"}
    read = {"path": PY, "line": 18, "column": 13, "label": "read by pandas.read_csv"}
    direct, location = doc["categories"]
    assert direct == {
        "category": "direct",
        "identifiers": ["plate"],
        "reads": [read],
        "transforms": [{"treatment": "raw", "columns": ["plate"], "steps": []}],
        "destinations": [
            {
                "kind": "store",
                "id": "s3://kc-alpr-raw",
                "columns": ["plate"],
                "treatments": ["raw"],
                "at": [{"path": PY, "line": 24}],
            },
            {
                "kind": "store",
                "id": "s3://kc-partner-drop",
                "columns": ["plate"],
                "treatments": ["raw"],
                "at": [{"path": PY, "line": 27}],
            },
            {
                "kind": "vendor",
                "id": "ingest.plate-analytics.example",
                "columns": ["plate"],
                "treatments": ["raw"],
                "at": [{"path": PY, "line": 37}],
            },
        ],
        "stores": ["s3://kc-alpr-raw", "s3://kc-partner-drop"],
        "vendors": ["ingest.plate-analytics.example"],
        "topics": [],
    }
    assert location["category"] == "location"
    assert location["identifiers"] == ["lat", "lon"]
    assert [t["treatment"] for t in location["transforms"]] == ["raw", "round:3"]
    assert location["transforms"][1]["steps"][-1] == {
        "path": PY,
        "line": 36,
        "column": 57,
        "label": "rounded to 3 decimals",
    }
    assert [(d["id"], d["treatments"]) for d in location["destinations"]] == [
        ("s3://kc-alpr-raw", ["raw"]),
        ("ingest.plate-analytics.example", ["round:3"]),
    ]


def test_inventory_json_stores_vendors_workloads(unsafe_doc):
    doc = unsafe_doc
    raw, partner = doc["stores"]
    assert raw["id"] == "s3://kc-alpr-raw"
    assert raw["terraform"] == {
        "address": "aws_s3_bucket.raw",
        "path": TF,
        "line": 9,
        "directory": f"{UNSAFE}/terraform",
    }
    assert raw["safeguards"] == {
        "encryption": "missing",
        "encryption_algorithms": [],
        "customer_key": False,
        "retention": "missing",
        "retention_days": None,
        "access_logging": "missing",
        "classification": "internal",
    }
    assert raw["categories"] == ["direct", "location"]
    assert raw["writes"] == [{"path": PY, "line": 24, "columns": ["lat", "lon", "plate"]}]
    assert raw["findings"] == [
        f"DH101 {TF}:9",
        f"DH190 {PY}:24",
        f"DH302 {TF}:9",
        f"DH390 {PY}:24",
        f"DH560 {PY}:24",
        f"DH563 {PY}:24",
        f"DH890 {PY}:24",
        f"DH990 {PY}:24",
    ]
    # The unmatched case: a bucket no scanned Terraform defines.
    assert partner["id"] == "s3://kc-partner-drop"
    assert partner["terraform"] is None and partner["safeguards"] is None
    (vendor,) = doc["vendors"]
    assert vendor == {
        "host": "ingest.plate-analytics.example",
        "approved": False,
        "internal": False,
        "own": None,
        "set_by": [
            {
                "env": "VENDOR_ENDPOINT",
                "workload": "CronJob/police/alpr-pipeline",
                "path": K8S,
                "line": 30,
            }
        ],
        "categories": ["direct", "location"],
        "sends": [{"path": PY, "line": 37, "columns": ["lat", "lon", "plate"]}],
        "findings": [f"DH561 {PY}:37", f"DH640 {K8S}:30", f"DH690 {PY}:37"],
    }
    assert doc["workloads"] == [
        {
            "ref": "CronJob/police/alpr-pipeline",
            "path": K8S,
            "line": 2,
            "runs": [PY],
            "classification": "personal",
        }
    ]
    cross = [f for f in doc["findings"] if f["rule_id"] in ("DH190", "DH690")]
    assert [(f["rule_id"], f["line"]) for f in cross] == [("DH190", 24), ("DH690", 37)]
    assert {r["path"] for r in cross[0]["related"]} == {TF, K8S}


def test_inventory_of_the_fixed_variant(monkeypatch, capsys):
    code, out = _inventory(monkeypatch, capsys, "-f", "json", FIXED)
    assert code == 0
    doc = json.loads(out)
    raw = next(s for s in doc["stores"] if s["id"] == "s3://kc-alpr-raw")
    assert raw["safeguards"] == {
        "encryption": "set",
        "encryption_algorithms": ["aws:kms"],
        "customer_key": True,
        "retention": "set",
        "retention_days": 90,
        "access_logging": "set",
        "classification": "personal",
    }
    (vendor,) = doc["vendors"]
    assert vendor["host"] == "api.city-approved-vendor.example" and vendor["approved"]
    assert not [f for f in doc["findings"] if f["rule_id"][-2] == "9"]


# ------------------------------------------------------------------------------- Mermaid
_LABEL = r'"[^"\n`|]*"'
_ID = r"[A-Za-z][A-Za-z0-9_]*"
_NODE = re.compile(
    rf"^  ({_ID})(\[{_LABEL}\]|\(\[{_LABEL}\]\)|\[\({_LABEL}\)\]|\{{\{{{_LABEL}\}}\}})$"
)
_EDGE = re.compile(rf"^  ({_ID}) -->(?:\|{_LABEL}\|)? ({_ID})$")
_CLASSDEF = re.compile(rf"^  classDef {_ID} [a-z-]+:[#\w]+(,[a-z-]+:[#\w]+)*$")
_CLASS = re.compile(rf"^  class ({_ID}(?:,{_ID})*) ({_ID})$")
_RESERVED = {"end", "graph", "flowchart", "subgraph", "class", "classDef", "style", "click"}


def check_mermaid(block: str) -> None:
    """A strict grammar of the flowchart subset dhlint writes: every line must match, node ids
    are declared before use and are no Mermaid keyword, classes are defined before use."""
    lines = block.splitlines()
    assert lines[0] == "flowchart LR"
    declared: set[str] = set()
    classes: set[str] = set()
    for line in lines[1:]:
        if m := _NODE.match(line):
            assert m.group(1) not in declared, f"node declared twice: {line}"
            assert m.group(1) not in _RESERVED
            declared.add(m.group(1))
        elif m := _EDGE.match(line):
            assert {m.group(1), m.group(2)} <= declared, f"edge to undeclared node: {line}"
        elif m := _CLASSDEF.match(line):
            classes.add(line.split()[1])
        elif m := _CLASS.match(line):
            assert set(m.group(1).split(",")) <= declared and m.group(2) in classes, line
        else:
            raise AssertionError(f"not in the Mermaid subset: {line!r}")


def _mermaid_block(markdown: str) -> str:
    blocks = re.findall(r"^```mermaid\n(.*?)\n```$", markdown, re.S | re.M)
    assert len(blocks) == 1
    return blocks[0]


def test_markdown_report_and_mermaid(monkeypatch, capsys):
    code, out = _inventory(monkeypatch, capsys, UNSAFE)  # markdown is the default
    assert code == 0
    block = _mermaid_block(out)
    check_mermaid(block)
    assert '(["direct: plate"])' in block
    assert '[("s3://kc-alpr-raw enc: missing, retention: missing, logging: missing, ' in block
    assert '{{"ingest.plate-analytics.example (NOT approved)"}}' in block
    assert re.search(r'^  cat1 -->\|"round:3"\| vendo\d+$', block, re.M)
    assert "## Stores" in out and "## Vendors and endpoints" in out
    assert "| `s3://kc-partner-drop` | not in scanned Terraform |" in out
    assert f"- **DH690** `{PY}:37`:" in out
    # Only the findings on the flows, stores and vendors listed (ux2 #10): the title says so.
    assert "## Open findings on these flows, stores and vendors\n\nEvery finding of " in out


def test_check_mermaid_rejects_broken_syntax():
    check_mermaid('flowchart LR\n  a["x"]\n  b[("y")]\n  a -->|"raw"| b')
    for bad in (
        'flowchart LR\n  a["x "y" z"]',  # quote inside a label
        'flowchart LR\n  a["x"]\n  a --> b',  # undeclared node
        'flowchart LR\n  end["x"]',  # keyword as id
        "flowchart LR\n  a[x]",  # unquoted label
    ):
        with pytest.raises(AssertionError):
            check_mermaid(bad)


def test_mermaid_text_neutralises_label_breakers():
    assert mermaid_text('a "b" <c> | d\ne `f` & g') == "a #quot;b#quot; #lt;c#gt;   d e  f  and g"
    label = mermaid_text('x [y] (z) {w} | "q"')
    check_mermaid(f'flowchart LR\n  n0["{label}"]')


def test_empty_repository_has_no_diagram(monkeypatch, capsys, make_repo):
    root = make_repo({"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "kc-b"\n}\n'})
    monkeypatch.chdir(root)
    assert main(["inventory", "--no-cache", "."]) == 0
    out = capsys.readouterr().out
    assert "```mermaid" not in out and "No identifier data" in out


def test_an_unresolved_endpoint_is_of_unknown_approval(monkeypatch, capsys, make_repo):
    """probe22 min/14: an endpoint whose host was not found read "(NOT approved)", with
    "internal": true in the JSON; unknown is neither. A named host is still judged."""
    code = (
        "import os\n\nimport requests\n\n\ndef push(rider):\n"
        '    requests.post(os.environ["CRM_HOOK_URL"], json={"email": rider.email})\n'
        '    requests.post("https://crm.vendor.example/x", json={"email": rider.email})\n'
    )
    root = make_repo({"push.py": code})
    monkeypatch.chdir(root)
    assert main(["inventory", "--no-cache", "."]) == 0
    out = capsys.readouterr().out
    block = _mermaid_block(out)
    check_mermaid(block)
    assert '{{"(unresolved endpoint) (approval unknown)"}}' in block
    assert '{{"crm.vendor.example (NOT approved)"}}' in block
    assert "| `(unresolved endpoint)` | unknown | code |" in out
    assert "| `crm.vendor.example` | no | code |" in out
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    vendors = {v["host"]: v for v in json.loads(capsys.readouterr().out)["vendors"]}
    assert vendors["(unresolved endpoint)"]["internal"] is False


def test_an_env_endpoint_goes_where_the_workloads_set_it_as_dh690_says(
    monkeypatch, capsys, make_repo
):
    """probe26 min/05: the inventory named the code's default (crm.kcmo.gov, approved) for a
    call whose variable two workloads set, through one ConfigMap, to an unapproved vendor, as
    DH690 says; and a urlopen of a Request built with $SMS_ENDPOINT, which a Lambda sets, was
    "(unresolved endpoint)". Each is now the host the workloads set, one set_by per workload;
    the default stays the vendor of a call whose variable no workload sets."""
    tasks = """\
import json
import os
import urllib.request

import requests

CRM_BASE_URL = os.environ.get("CRM_BASE_URL", "https://crm.kcmo.gov")
AUDIT_URL = os.environ.get("AUDIT_URL", "https://audit.kcmo.gov")
SMS_ENDPOINT = os.environ["SMS_ENDPOINT"]


def close_case(case_number: str, owner_email: str) -> None:
    requests.patch(f"{CRM_BASE_URL}/cases/{case_number}", json={"notify": owner_email}, timeout=10)
    requests.post(AUDIT_URL, json={"email": owner_email}, timeout=10)


def sms(phone: str) -> None:
    req = urllib.request.Request(SMS_ENDPOINT, data=json.dumps({"to": phone}).encode())
    urllib.request.urlopen(req, timeout=10)
"""
    manifests = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: kc311
data:
  CRM_BASE_URL: "https://crm.civicpartner.example/api"
"""
    for name in ("web", "worker"):
        manifests += f"""\
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: kc311
spec:
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: {name}
          image: x
          command: ["python", "app/tasks.py"]
          envFrom:
            - configMapRef:
                name: cfg
"""
    lam = """\
resource "aws_lambda_function" "sms" {
  function_name = "sms"
  role          = "arn:aws:iam::1:role/x"
  runtime       = "python3.12"
  handler       = "tasks.sms"
  filename      = "x.zip"
  environment {
    variables = { SMS_ENDPOINT = "https://api.textblast.example/v2/messages" }
  }
}
"""
    root = make_repo({"app/tasks.py": tasks, "k8s/worker.yaml": manifests, "infra/main.tf": lam})
    monkeypatch.chdir(root)
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    vendors = json.loads(capsys.readouterr().out)["vendors"]
    got = {
        v["host"]: (
            v["approved"],
            [(s["path"], s["line"]) for s in v["sends"]],
            [(s["workload"], s["path"], s["line"]) for s in v["set_by"]],
        )
        for v in vendors
    }
    assert got == {
        "crm.civicpartner.example": (
            False,
            [("app/tasks.py", 13)],
            [
                ("Deployment/kc311/web", "k8s/worker.yaml", 7),
                ("Deployment/kc311/worker", "k8s/worker.yaml", 7),
            ],
        ),
        "audit.kcmo.gov": (True, [("app/tasks.py", 14)], []),
        "api.textblast.example": (
            False,
            [("app/tasks.py", 19)],
            [("aws_lambda_function.sms", "infra/main.tf", 8)],
        ),
    }


def test_a_cluster_internal_endpoint_is_internal_in_the_diagram_as_in_the_table(
    monkeypatch, capsys, make_repo
):
    """probe25 #13: the table said a cluster Service was internal, the diagram "NOT approved"."""
    code = (
        "import requests\n\n\ndef geocode(stop):\n"
        '    requests.post("http://geocoder.parking.svc.cluster.local:8080/v1", json={"lat": '
        'stop.lat, "lon": stop.lon, "plate": stop.plate})\n'
    )
    monkeypatch.chdir(make_repo({"geo.py": code}))
    assert main(["inventory", "--no-cache", "."]) == 0
    out = capsys.readouterr().out
    block = _mermaid_block(out)
    check_mermaid(block)
    assert '{{"geocoder.parking.svc.cluster.local (internal)"}}' in block
    assert "NOT approved" not in block and "classDef risk" not in block
    assert "| `geocoder.parking.svc.cluster.local` | internal | code |" in out


def test_a_pubsub_publish_is_a_flow_as_a_kafka_produce_is(monkeypatch, capsys, make_repo):
    # probe22 #9: the inventory drew the Kafka flow and not the Pub/Sub one beside it.
    code = (
        "import json\n"
        "from confluent_kafka import Producer\n"
        "from google.cloud import pubsub_v1\n"
        "publisher = pubsub_v1.PublisherClient()\n"
        "producer = Producer({'bootstrap.servers': 'kafka.kcmo.gov:9093'})\n"
        "def forward(tap):\n"
        "    body = {'card_number': tap['card_number'], 'stop_id': tap['stop_id']}\n"
        "    publisher.publish('projects/p/topics/taps', json.dumps(body).encode())\n"
        "    producer.produce('taps', value=json.dumps(body))\n"
    )
    monkeypatch.chdir(make_repo({"ingest.py": code}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    [vendor] = doc["vendors"]
    assert [(s["line"], s["columns"]) for s in vendor["sends"]] == [(9, ["card_number"])]
    assert vendor["findings"] == ["DH561 ingest.py:9"]
    # The Pub/Sub publish goes to its topic, not to a vendor (probe29 min/07).
    [topic] = doc["topics"]
    assert topic["id"] == "projects/p/topics/taps" and topic["terraform"] is None
    assert topic["sends"] == [{"path": "ingest.py", "line": 8, "columns": ["card_number"]}]
    assert topic["findings"] == ["DH561 ingest.py:8"]


def test_a_pubsub_topic_is_joined_to_its_terraform_and_push_subscriptions(
    monkeypatch, capsys, make_repo
):
    # probe29 min/07: the publish read as a vendor "(unresolved endpoint) (approval unknown)";
    # it is the project's topic, which a push subscription mirrors to an unapproved host.
    code = (
        "import json\n"
        "from google.cloud import pubsub_v1\n"
        "publisher = pubsub_v1.PublisherClient()\n"
        'TOPIC = publisher.topic_path("kc-prod", "plate-hits")\n'
        "def hit(camera_id, plate):\n"
        "    publisher.publish(TOPIC, json.dumps({'plate': plate}).encode())\n"
        "def other(plate, topic):\n"
        "    publisher.publish('projects/kc-prod/topics/other', json.dumps({'plate': plate}))\n"
        "    publisher.publish(topic, json.dumps({'plate': plate}).encode())\n"
        "    body = json.dumps({'plate': plate})\n"
        "    publisher.publish(publisher.topic_path('kc-prod', topic), body)\n"
    )
    tf = """resource "google_pubsub_topic" "plate_hits" {
  name   = "plate-hits"
  labels = { data-classification = "sensitive" }
}
resource "google_pubsub_topic" "other" {
  name    = "other"
  project = "kc-test"
}
resource "google_pubsub_subscription" "vendor_mirror" {
  name  = "plate-hits-vendor-mirror"
  topic = google_pubsub_topic.plate_hits.id
  push_config {
    push_endpoint = "https://hooks.vendor.example/kc/plate-hits"
  }
}
resource "google_pubsub_subscription" "by_path" {
  name  = "other-push"
  topic = "projects/kc-test/topics/other"
  push_config {
    push_endpoint = "https://other.vendor.example/push"
  }
}
"""
    monkeypatch.chdir(make_repo({"pub.py": code, "main.tf": tf}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    topics = {t["id"]: t for t in doc["topics"]}
    assert sorted(topics) == [
        "(unresolved Pub/Sub topic)",
        "projects/kc-prod/topics/other",
        "projects/kc-prod/topics/plate-hits",
    ]
    hits = topics["projects/kc-prod/topics/plate-hits"]
    assert hits["terraform"]["address"] == "google_pubsub_topic.plate_hits"
    assert hits["terraform"]["line"] == 1
    assert hits["classification"] == "sensitive"
    assert hits["push"] == [
        {
            "address": "google_pubsub_subscription.vendor_mirror",
            "host": "hooks.vendor.example",
            "approved": False,
            "path": "main.tf",
            "line": 13,
        }
    ]
    assert hits["findings"] == ["DH561 pub.py:6", "DH605 main.tf:13"]
    # Another project's topic of the same name is not this one; an unknown topic is unresolved.
    assert topics["projects/kc-prod/topics/other"]["terraform"] is None
    unresolved = topics["(unresolved Pub/Sub topic)"]["sends"]
    assert [s["line"] for s in unresolved] == [9, 11]  # a topic whose own name is unknown
    [vendor] = doc["vendors"]
    assert vendor["host"] == "hooks.vendor.example"
    assert vendor["set_by"] == [
        {
            "env": "push_endpoint",
            "workload": "google_pubsub_subscription.vendor_mirror",
            "path": "main.tf",
            "line": 13,
        }
    ]
    assert vendor["sends"] == [{"path": "pub.py", "line": 6, "columns": ["plate"]}]
    [direct] = doc["categories"]
    assert [(d["kind"], d["id"], d.get("via")) for d in direct["destinations"]] == [
        ("topic", "(unresolved Pub/Sub topic)", None),
        ("topic", "projects/kc-prod/topics/other", None),
        ("topic", "projects/kc-prod/topics/plate-hits", None),
        ("vendor", "hooks.vendor.example", "projects/kc-prod/topics/plate-hits"),
    ]
    assert main(["inventory", "--no-cache", "."]) == 0
    out = capsys.readouterr().out
    block = _mermaid_block(out)
    check_mermaid(block)
    assert re.search(r'^  topic\d+ -->\|"push subscription"\| vendo\d+$', block, re.M)
    assert "(unresolved endpoint)" not in out
    assert (
        "| `projects/kc-prod/topics/plate-hits` | `google_pubsub_topic.plate_hits` (main.tf:1)"
        in out
    )
    # DH561 names the topic.
    assert main(["check", "--no-cache", "--select", "DH561", "."]) == 1
    assert "sent to the network (Pub/Sub topic projects/kc-prod/topics/plate-hits)" in (
        capsys.readouterr().out
    )


def test_event_hubs_and_service_bus_sends_are_flows(monkeypatch, capsys, make_repo):
    # probe25 min/14: Azure's event bus and queues send as Kafka does.
    code = (
        "import json\n"
        "from azure.eventhub import EventData, EventHubProducerClient\n"
        "from azure.servicebus import ServiceBusClient, ServiceBusMessage\n"
        "producer = EventHubProducerClient.from_connection_string('c', eventhub_name='gps')\n"
        "sender = ServiceBusClient.from_connection_string('c').get_queue_sender('q')\n"
        "def forward(tap):\n"
        "    body = {'card_number': tap['card_number'], 'stop_id': tap['stop_id']}\n"
        "    producer.send_event(EventData(json.dumps(body)))\n"
        "    sender.send_messages(ServiceBusMessage(json.dumps(body)))\n"
        "    sender.send_messages(ServiceBusMessage(tap['stop_id']))\n"
    )
    monkeypatch.chdir(make_repo({"ingest.py": code}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    [vendor] = json.loads(capsys.readouterr().out)["vendors"]
    assert [(s["line"], s["columns"]) for s in vendor["sends"]] == [
        (8, ["card_number"]),
        (9, ["card_number"]),
    ]
    assert vendor["findings"] == ["DH561 ingest.py:8", "DH561 ingest.py:9"]


def test_boto3_sqs_sns_and_ses_sends_are_flows(monkeypatch, capsys, make_repo):
    # probe26 min/12: AWS's queues, topics and mail send as Kafka does.
    code = (
        "import json\n"
        "import boto3\n"
        "sqs = boto3.client('sqs')\n"
        "sns = boto3.client('sns')\n"
        "ses = boto3.client('ses')\n"
        "def forward(case):\n"
        "    sqs.send_message(QueueUrl='q', MessageBody=json.dumps({'email': case['email']}))\n"
        "    sns.publish(TopicArn='t', Message=case['phone'])\n"
        "    ses.send_email(Source='a', Destination={}, Message={'Body': case['email']})\n"
        "    sns.publish(PhoneNumber=case['phone'], Message='Your request was received')\n"
    )
    monkeypatch.chdir(make_repo({"notify.py": code}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    [vendor] = json.loads(capsys.readouterr().out)["vendors"]
    assert [(s["line"], s["columns"]) for s in vendor["sends"]] == [
        (7, ["email"]),
        (8, ["phone"]),
        (9, ["Body"]),  # the key it is sent under
    ]
    assert vendor["findings"] == ["DH561 notify.py:7", "DH561 notify.py:8", "DH561 notify.py:9"]


# ----------------------------------------------------------------------- determinism / jobs
def test_jobs_two_gives_the_same_inventory_as_jobs_one(monkeypatch, capsys):
    one = _inventory(monkeypatch, capsys, "-f", "json", "--jobs", "1", UNSAFE)
    two = _inventory(monkeypatch, capsys, "-f", "json", "--jobs", "2", UNSAFE)
    assert one == two
    md_one = _inventory(monkeypatch, capsys, "--jobs", "1", UNSAFE)
    md_two = _inventory(monkeypatch, capsys, "--jobs", "2", UNSAFE)
    assert md_one == md_two


def test_cached_run_gives_the_same_inventory(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(REPO)
    args = ["inventory", "-f", "json", "--cache-dir", str(tmp_path / "cache"), UNSAFE]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first


def test_output_file(monkeypatch, capsys, tmp_path):
    target = tmp_path / "inventory.md"
    code, out = _inventory(monkeypatch, capsys, "-o", str(target), UNSAFE)
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("# Personal-data inventory")


def test_a_workload_running_a_package_with_python_m_runs_its_main(monkeypatch, capsys, tmp_path):
    """``python -m pkg.module`` runs pkg/module.py, or pkg/module/__main__.py when the module
    is a package: the Runs column was empty for the package."""
    (tmp_path / ".git").mkdir()
    for rel in ("pkg/__init__.py", "pkg/module/__init__.py", "etl/__init__.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    code = 'import os\nimport requests\nrequests.post(os.environ["VENDOR_URL"], json={})\n'
    (tmp_path / "pkg/module/__main__.py").write_text(code, encoding="utf-8")
    (tmp_path / "etl/load.py").write_text(code, encoding="utf-8")
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: {name}}}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: c\n          image: i\n"
        '          command: ["python", "-m", "{module}"]\n'
        "          env: [{{name: VENDOR_URL, value: 'https://partner.example.com'}}]\n"
    )
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s/jobs.yaml").write_text(
        job.format(name="a", module="pkg.module")
        + "---\n"
        + job.format(name="b", module="etl.load"),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(w["ref"], w["runs"]) for w in doc["workloads"]] == [
        ("Job/default/a", ["pkg/module/__main__.py"]),
        ("Job/default/b", ["etl/load.py"]),
    ]


def test_a_module_instance_lists_its_own_findings_only(monkeypatch, capsys, make_repo):
    """probe36 #8: store findings were matched by file:line, so a compliant bucket made by a
    shared module listed the findings (DH302, DH907) of the module's other instance."""
    module = """variable "name" { type = string }
variable "days" { type = number }
variable "log_bucket" {
  type    = string
  default = null
}
resource "google_storage_bucket" "this" {
  name     = var.name
  location = "US"
  labels   = { data-classification = "personal" }
  lifecycle_rule {
    action { type = "Delete" }
    condition { age = var.days }
  }
  dynamic "logging" {
    for_each = var.log_bucket == null ? [] : [var.log_bucket]
    content { log_bucket = logging.value }
  }
}
"""
    root = """module "good" {
  source     = "./modules/b"
  name       = "good-bucket"
  days       = 30
  log_bucket = "logs"
}
module "bad" {
  source = "./modules/b"
  name   = "bad-bucket"
  days   = 3000
}
"""
    code = (
        "import pandas as pd\n"
        "df = pd.read_csv('residents.csv')\n"
        "df[['email']].to_csv('gs://good-bucket/x.csv')\n"
        "df[['email']].to_csv('gs://bad-bucket/x.csv')\n"
    )
    files = {"main.tf": root, "modules/b/main.tf": module, "job.py": code}
    monkeypatch.chdir(make_repo(files))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    found = {s["id"]: [f for f in s["findings"] if f.startswith("DH")] for s in doc["stores"]}
    assert found["gs://good-bucket"] == ["DH560 job.py:3"]
    assert found["gs://bad-bucket"] == [
        "DH302 modules/b/main.tf:13",
        "DH390 job.py:4",
        "DH560 job.py:4",
        "DH907 modules/b/main.tf:7",
        "DH990 job.py:4",
    ]


def test_a_dynamodb_table_the_code_writes_is_a_store_with_its_safeguards(
    monkeypatch, capsys, make_repo
):
    """h5 #2: items put into a DynamoDB table (DH390/DH890 join them to its
    aws_dynamodb_table) were listed as a "database" destination, without the table's
    Terraform or safeguards. Now each table the code names is a store, dynamodb://<name>, as a
    bucket is: encrypted by the provider (a customer key when the table names one), its ttl an
    expiry whose days are the code's ("unknown"), none "missing", access logging not judged
    ("unknown"), its classification tag; with the findings on the writes. A table not in
    the scanned Terraform is listed as such."""
    from tests.inventory.test_inv_cross import DYNAMO_ETL, DYNAMO_TF

    code = DYNAMO_ETL.replace(
        '        client.put_item(TableName="trips", Item={"plate": {"S": row["plate"]}})\n',
        '        client.put_item(TableName="trips", Item={"plate": {"S": row["plate"]}})\n'
        '        client.put_item(TableName="audit", Item={"plate": {"S": row["plate"]}})\n',
    )
    monkeypatch.chdir(make_repo({"etl.py": code, "main.tf": DYNAMO_TF}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    stores = {s["id"]: s for s in doc["stores"]}
    assert sorted(stores) == ["dynamodb://audit", "dynamodb://cases", "dynamodb://trips"]
    trips, cases, audit = (stores[f"dynamodb://{n}"] for n in ("trips", "cases", "audit"))
    assert trips["scheme"] == "dynamodb" and trips["bucket"] == "trips"
    assert trips["terraform"] == {
        "address": "aws_dynamodb_table.trips",
        "path": "main.tf",
        "line": 1,
        "directory": "",
    }
    assert trips["safeguards"] == {
        "encryption": "provider-default",
        "encryption_algorithms": [],
        "customer_key": False,
        "retention": "missing",
        "retention_days": None,
        "access_logging": "unknown",
        "classification": "internal",
    }
    assert cases["safeguards"]["retention"] == "unknown"  # ttl: each item's expiry is the code's
    assert [(w["line"], w["columns"]) for w in trips["writes"]] == [
        (10, ["email", "plate"]),
        (14, ["plate"]),
    ]
    assert trips["findings"] == [
        "DH390 etl.py:10",
        "DH390 etl.py:14",
        "DH560 etl.py:10",
        "DH560 etl.py:14",
        "DH890 etl.py:10",
        "DH890 etl.py:14",
    ]
    assert audit["terraform"] is None and audit["safeguards"] is None
    [direct] = doc["categories"]
    assert direct["stores"] == sorted(stores)
    assert [d["kind"] for d in direct["destinations"]] == ["store"] * 3


def test_keyed_pseudonyms_are_listed_apart_from_their_category(monkeypatch, capsys, make_repo):
    """probe36: an HMAC of a meter id (``meter_token``) was listed under "device", as the raw
    id would be. It is listed as "device (keyed pseudonym)": still personal data, not the id;
    the same column written raw somewhere else is still listed as the identifier."""
    code = (
        "import hashlib, hmac, os\n\nimport pandas as pd\n\n"
        'KEY = os.environ["PSEUDONYM_KEY"].encode()\n\n\n'
        "def main():\n"
        '    df = pd.read_csv("sightings.csv", usecols=["device_id", "seen_at"])\n'
        '    df.to_csv("raw.csv")\n'
        '    df["device_token"] = df["device_id"].map(\n'
        "        lambda d: hmac.new(KEY, d.encode(), hashlib.sha256).hexdigest()\n"
        "    )\n"
        '    df[["device_token", "seen_at"]].to_parquet("s3://kc-scratch/sightings.parquet")\n'
    )
    root = make_repo({"usage.py": code})
    monkeypatch.chdir(root)
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    listed = [(c["category"], c["identifiers"]) for c in doc["categories"]]
    assert listed == [("device", ["device_id"]), ("device (keyed pseudonym)", ["device_token"])]
    (store,) = doc["stores"]
    assert store["categories"] == ["device (keyed pseudonym)"]
    assert main(["inventory", "--no-cache", "."]) == 0
    out = capsys.readouterr().out
    check_mermaid(_mermaid_block(out))
    assert '(["device (keyed pseudonym): device_token"])' in out
    assert (
        "### device (keyed pseudonym)\n\n- Identifiers: `device_token`\n- Keyed pseudonyms" in out
    )


def test_a_call_to_any_of_a_dicts_urls_lists_each_host(tmp_path, monkeypatch, capsys):
    # probe38 min/12: requests.post(AGENCIES[agency], ...) over a dict of three recipients was
    # one vendor row, the first; check names all three, and so does the inventory now.
    (tmp_path / "share.py").write_text(
        "import requests\n"
        "AGENCIES = {\n"
        '    "independence": "https://alpr-intake.indepmo.org/api/reads",\n'
        '    "overland_park": "https://lpr.opkansas.org/intake",\n'
        '    "fusion": "https://fusion.example-state.gov/reads",\n'
        "}\n"
        "def share_hit(agency: str, read: dict) -> None:\n"
        '    requests.post(AGENCIES[agency], json={"plate": read["plate"]}, timeout=10)\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["inventory", "--no-cache", "--output-format", "json", "share.py"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted(v["host"] for v in doc["vendors"]) == [
        "alpr-intake.indepmo.org",
        "fusion.example-state.gov",
        "lpr.opkansas.org",
    ]


def test_findings_are_listed_on_the_rows_they_are_about(monkeypatch, capsys, make_repo):
    """probe38 #10 (min/11): a row listed every finding on its lines. One Lambda module called
    twice sets both hosts and the other instance's password on one line (``variables =
    var.environment``): the approved dispatch.kcmo.gov listed DH605 (about the vendor) and
    DH701 (module.ingest's password). A call to any of several hosts listed DH260, about
    its one http:// URL, on every host's row."""
    module = """variable "name" { type = string }
variable "handler" { type = string }
variable "source_dir" { type = string }
variable "environment" { type = map(string) }
data "archive_file" "zip" {
  type        = "zip"
  source_dir  = var.source_dir
  output_path = "/tmp/${var.name}.zip"
}
resource "aws_lambda_function" "fn" {
  function_name = var.name
  role          = "arn:aws:iam::123456789012:role/fn"
  runtime       = "python3.12"
  handler       = var.handler
  filename      = data.archive_file.zip.output_path
  environment {
    variables = var.environment
  }
}
"""
    root = """module "matcher" {
  source      = "./modules/fn"
  name        = "matcher"
  handler     = "matcher.handler"
  source_dir  = "${path.module}/matcher"
  environment = {
    INSIGHTS_URL = "https://api.corridor-insights.io/v2/ingest",
    ALERT_WEBHOOK = "https://dispatch.kcmo.gov/alerts" }
}
module "ingest" {
  source      = "./modules/fn"
  name        = "ingest"
  handler     = "handler.handler"
  source_dir  = "${path.module}/ingest"
  environment = { DB_PASSWORD = "alpr-ingest-2026" }
}
"""
    matcher = """import os
import requests
def handler(event, context):
    read = event["read"]
    requests.post(os.environ["ALERT_WEBHOOK"], json={"plate": read["plate"]}, timeout=3)
    requests.post(os.environ["INSIGHTS_URL"], json={"lat": read["lat"]}, timeout=3)
"""
    share = """import requests
AGENCIES = {
    "independence": "https://alpr-intake.indepmo.org/api/reads",
    "fusion": "http://10.88.1.15:8080/reads",
}
def share_hit(agency: str, read: dict) -> None:
    requests.post(AGENCIES[agency], json={"plate": read["plate"]}, timeout=10)
"""
    policy = "approved_vendors:\n  - dispatch.kcmo.gov\n  - alpr-intake.indepmo.org\n"
    files = {
        "main.tf": root,
        "modules/fn/main.tf": module,
        "matcher/matcher.py": matcher,
        "ingest/handler.py": "def handler(event, context):\n    return {}\n",
        "share.py": share,
        "dhlint.yaml": policy,
    }
    monkeypatch.chdir(make_repo(files))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    found = {v["host"]: v["findings"] for v in doc["vendors"]}
    assert found["dispatch.kcmo.gov"] == ["DH561 matcher/matcher.py:5"]
    assert found["api.corridor-insights.io"] == [
        "DH563 matcher/matcher.py:6",
        "DH605 modules/fn/main.tf:17",
        "DH690 matcher/matcher.py:6",
    ]
    assert found["alpr-intake.indepmo.org"] == ["DH561 share.py:7"]
    assert found["10.88.1.15"] == ["DH260 share.py:7", "DH561 share.py:7"]
    # the password is about no row of the inventory
    assert "DH701" not in {f["rule_id"] for f in doc["findings"]}


def test_the_citys_streams_and_broker_are_stores_not_vendors(monkeypatch, capsys, make_repo):
    """probe38 #16 (min/14): a Kinesis put to a stream the scanned Terraform defines was a
    vendor "(unresolved endpoint)", approval unknown, and so was a paho-MQTT publish to the
    city's own broker. They are stores with their safeguards now (a Firehose stream too), and
    raw identifiers put into the unencrypted stream are DH190's, as into a bucket."""
    tf = """resource "aws_kinesis_stream" "parking" {
  name             = "kcmo-parking-plate-reads"
  shard_count      = 1
  retention_period = 48
  tags             = { "data-classification" = "personal" }
}
resource "aws_kinesis_stream" "reads" {
  name            = "kcpd-alpr-reads"
  encryption_type = "KMS"
  kms_key_id      = "arn:aws:kms:us-east-2:123456789012:key/abc"
}
resource "aws_kinesis_firehose_delivery_stream" "archive" {
  name        = "kcpd-alpr-archive"
  destination = "extended_s3"
  server_side_encryption {
    enabled = true
  }
  extended_s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = "arn:aws:s3:::kcpd-alpr-archive"
  }
}
"""
    code = """import json
import boto3
import paho.mqtt.client as mqtt
kinesis = boto3.client("kinesis")
firehose = boto3.client("firehose")
ARN = "arn:aws:kinesis:us-east-2:123456789012:stream/kcpd-alpr-reads"
def replay(read: dict) -> None:
    data = json.dumps({"plate": read["plate"]})
    kinesis.put_record(StreamName="kcmo-parking-plate-reads", Data=data, PartitionKey="x")
    kinesis.put_record(StreamARN=ARN, Data=json.dumps({"plate": read["plate"]}), PartitionKey="x")
    firehose.put_record(DeliveryStreamName="kcpd-alpr-archive",
                        Record={"Data": json.dumps({"plate": read["plate"]})})
def publish(read: dict) -> None:
    client = mqtt.Client()
    client.tls_set(ca_certs="/etc/ca.pem")
    client.connect("mosquitto.alpr-edge.svc.cluster.local", 8883)
    client.publish("alpr/reads", json.dumps({"plate": read["plate"]}), qos=1)
"""
    monkeypatch.chdir(make_repo({"main.tf": tf, "replay.py": code}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["vendors"] == []
    stores = {s["id"]: s for s in doc["stores"]}
    assert sorted(stores) == [
        "firehose://kcpd-alpr-archive",
        "kinesis://kcmo-parking-plate-reads",
        "kinesis://kcpd-alpr-reads",
        "mqtt://mosquitto.alpr-edge.svc.cluster.local",
    ]
    parking = stores["kinesis://kcmo-parking-plate-reads"]
    assert parking["terraform"]["address"] == "aws_kinesis_stream.parking"
    assert parking["safeguards"] == {
        "encryption": "missing",
        "encryption_algorithms": [],
        "customer_key": False,
        "retention": "set",
        "retention_days": 2,
        "access_logging": "unknown",
        "classification": "personal",
    }
    assert [f.split()[0] for f in parking["findings"]] == ["DH107", "DH190", "DH561"]
    reads = stores["kinesis://kcpd-alpr-reads"]["safeguards"]
    assert (reads["encryption"], reads["customer_key"], reads["retention_days"]) == ("set", True, 1)
    archive = stores["firehose://kcpd-alpr-archive"]
    assert archive["terraform"]["address"] == "aws_kinesis_firehose_delivery_stream.archive"
    assert (archive["safeguards"]["encryption"], archive["safeguards"]["retention"]) == (
        "set",
        "unknown",
    )
    broker = stores["mqtt://mosquitto.alpr-edge.svc.cluster.local"]
    assert broker["terraform"] is None and broker["categories"] == ["direct"]
    # the cross finding, as for a bucket (and only on the unencrypted stream)
    dh190 = [f for f in doc["findings"] if f["rule_id"] == "DH190"]
    assert [(f["line"], "kinesis://kcmo-parking-plate-reads" in f["message"]) for f in dh190] == [
        (9, True)
    ]


def test_a_firehose_streams_retention_is_its_destination_buckets(monkeypatch, capsys, make_repo):
    """h5/3: a Firehose stream delivering to an S3 bucket of the scanned Terraform keeps the
    records as long as that bucket does, but its inventory row said retention "unknown" and
    DH390 never judged a put into it (DH302 judged the bucket alone). Its retention is now the
    bucket's (by reference or by a literal ARN naming it), with the bucket's address; a put of
    identifiers into it is DH390's as a write into the bucket would be. Another destination
    (an HTTP endpoint) stays unknown."""
    tf = """resource "aws_s3_bucket" "reads" {
  bucket = "kc-meter-reads"
  tags   = { data-classification = "personal" }
}
resource "aws_s3_bucket_lifecycle_configuration" "reads" {
  bucket = aws_s3_bucket.reads.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = 1000
    }
  }
}
resource "aws_s3_bucket" "raw" {
  bucket = "kc-meter-raw"
}
resource "aws_kinesis_firehose_delivery_stream" "reads" {
  name        = "meter-reads"
  destination = "extended_s3"
  extended_s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = aws_s3_bucket.reads.arn
  }
}
resource "aws_kinesis_firehose_delivery_stream" "raw" {
  name        = "meter-raw"
  destination = "extended_s3"
  extended_s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = "arn:aws:s3:::kc-meter-raw"
  }
}
resource "aws_kinesis_firehose_delivery_stream" "vendor" {
  name        = "meter-vendor"
  destination = "http_endpoint"
  http_endpoint_configuration {
    url = "https://intake.example-vendor.com/v1"
  }
  s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = aws_s3_bucket.raw.arn
  }
}
"""
    code = """import json
import boto3
firehose = boto3.client("firehose")
def push(row: dict) -> None:
    data = json.dumps({"email": row["email"]})
    firehose.put_record(DeliveryStreamName="meter-reads", Record={"Data": data})
    firehose.put_record(DeliveryStreamName="meter-raw", Record={"Data": data})
    firehose.put_record(DeliveryStreamName="meter-vendor", Record={"Data": data})
"""
    monkeypatch.chdir(make_repo({"main.tf": tf, "push.py": code}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    guards = {s["id"]: s["safeguards"] for s in doc["stores"]}
    seen = {
        sid: (g["retention"], g["retention_days"], g.get("retention_via"))
        for sid, g in guards.items()
    }
    assert seen == {
        "firehose://meter-reads": ("set", 1000, "aws_s3_bucket.reads"),
        "firehose://meter-raw": ("missing", None, "aws_s3_bucket.raw"),
        "firehose://meter-vendor": ("unknown", None, None),
    }
    assert main(["inventory", "--no-cache", "."]) == 0
    assert "| 1000 days (its destination `aws_s3_bucket.reads`) |" in capsys.readouterr().out
    result = run_check(CheckOptions(paths=["."], select=["DH390"]))
    assert [
        (f.location.start_line, f.message.rsplit("(expiry: ", 1)[1], [r.label for r in f.related])
        for f in result.active
    ] == [
        (
            6,
            "1000 days in its destination aws_s3_bucket.reads)",
            [
                "Terraform aws_kinesis_firehose_delivery_stream.reads",
                "expiry set here in its destination aws_s3_bucket.reads",
            ],
        ),
        (
            7,
            "not set in its destination aws_s3_bucket.raw)",
            [
                "Terraform aws_kinesis_firehose_delivery_stream.raw",
                "destination aws_s3_bucket.raw",
            ],
        ),
    ]


def test_a_finding_on_a_stores_companion_is_listed_on_its_row(monkeypatch, capsys, make_repo):
    """A finding on a resource that configures the store (its lifecycle configuration, a
    bucket policy) is about the store (probe38: DH202/DH601 on a second policy of the images
    bucket were on no row); of a module called twice, only on its own instance's row."""
    module = """variable "name" { type = string }
variable "days" { type = number }
resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = { data-classification = "personal" }
}
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration { days = var.days }
  }
}
"""
    root = """module "good" {
  source = "./modules/b"
  name   = "good-bucket"
  days   = 30
}
module "bad" {
  source = "./modules/b"
  name   = "bad-bucket"
  days   = 3000
}
"""
    code = (
        "import pandas as pd\n"
        "df = pd.read_csv('residents.csv')\n"
        "df[['email']].to_csv('s3://good-bucket/x.csv')\n"
        "df[['email']].to_csv('s3://bad-bucket/x.csv')\n"
    )
    files = {"main.tf": root, "modules/b/main.tf": module, "job.py": code}
    monkeypatch.chdir(make_repo(files))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    found = {s["id"]: s["findings"] for s in doc["stores"]}
    assert "DH302 modules/b/main.tf:13" in found["s3://bad-bucket"]
    assert not any(f.startswith("DH302") for f in found["s3://good-bucket"])


def test_a_host_a_message_names_counts_only_among_the_calls_hosts(monkeypatch, capsys, make_repo):
    """The message fallback of test_findings_are_listed_on_the_rows_they_are_about: DH561 on a
    call whose URL a Deployment sets names the code's default host, which another call
    reaches (a row of its own); the finding stays on the row of the host the call goes to."""
    code = """import os
import requests
def send(read: dict) -> None:
    requests.post(os.environ.get("CRM_URL", "https://crm.kcmo.gov/x"), json={"plate": read["p"]})
def direct(read: dict) -> None:
    requests.post("https://crm.kcmo.gov/y", json={"plate": read["plate"]}, timeout=3)
"""
    manifest = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: city
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
          command: ["python", "app.py"]
          env:
            - name: CRM_URL
              value: https://vendor.example/x
"""
    policy = "approved_vendors:\n  - crm.kcmo.gov\n"
    monkeypatch.chdir(make_repo({"app.py": code, "deploy.yaml": manifest, "dhlint.yaml": policy}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    found = {v["host"]: v["findings"] for v in doc["vendors"]}
    assert found["crm.kcmo.gov"] == ["DH561 app.py:6"]
    assert found["vendor.example"] == ["DH561 app.py:4", "DH640 deploy.yaml:15", "DH690 app.py:4"]


def test_an_sns_topic_lists_where_its_subscriptions_deliver(monkeypatch, capsys, make_repo):
    # s32 h7 #2: a publish to an SNS topic was a store row only; the inventory did not say
    # that SNS delivers every message to the topic's http/https, mail and SMS subscribers.
    code = (
        "import json\n"
        "import boto3\n"
        "sns = boto3.client('sns')\n"
        "def notify(resident):\n"
        "    body = {'email': resident['email']}\n"
        "    sns.publish(TopicArn='arn:aws:sns:us-east-2:111122223333:kc-alerts',\n"
        "                Message=json.dumps(body))\n"
    )
    tf = """resource "aws_sns_topic" "alerts" {
  name              = "kc-alerts"
  kms_master_key_id = "alias/aws/sns"
}
resource "aws_sns_topic_subscription" "plain" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "http"
  endpoint  = "http://alerts.kcmo.gov/hook"
}
resource "aws_sns_topic_subscription" "vendor" {
  topic_arn = "arn:aws:sns:us-east-2:111122223333:kc-alerts"
  protocol  = "https"
  endpoint  = "https://hooks.vendor.example/kc"
}
resource "aws_sns_topic_subscription" "mail" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "ops@kcmo.gov"
}
resource "aws_sns_topic_subscription" "queue" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.q.arn
}
resource "aws_sqs_queue" "q" {
  name = "kc-alerts-q"
}
"""
    monkeypatch.chdir(make_repo({"notify.py": code, "main.tf": tf}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    [store] = doc["stores"]
    assert store["id"] == "sns://kc-alerts"
    assert [
        (s["address"], s["protocol"], s["endpoint"], s.get("host"), s.get("from"), s["line"])
        for s in store["subscriptions"]
    ] == [
        ("aws_sns_topic_subscription.mail", "email", "ops@kcmo.gov", None, None, 18),
        ("aws_sns_topic_subscription.plain", "http", "http://alerts.kcmo.gov/hook",
         "alerts.kcmo.gov", None, 8),
        ("aws_sns_topic_subscription.queue", "sqs", None, None, ["aws_sqs_queue.q"], 23),
        ("aws_sns_topic_subscription.vendor", "https", "https://hooks.vendor.example/kc",
         "hooks.vendor.example", None, 13),
    ]  # fmt: skip
    vendors = {v["host"]: v for v in doc["vendors"]}
    assert sorted(vendors) == ["alerts.kcmo.gov", "hooks.vendor.example"]
    vendor = vendors["hooks.vendor.example"]
    assert vendor["approved"] is False
    assert vendor["sends"] == [{"path": "notify.py", "line": 6, "columns": ["email"]}]
    assert [s["workload"] for s in vendor["set_by"]] == ["aws_sns_topic_subscription.vendor"]
    assert "DH605 main.tf:13" in vendor["findings"]
    assert "DH210 main.tf:8" in vendors["alerts.kcmo.gov"]["findings"]
    [direct] = doc["categories"]
    assert [(d["kind"], d["id"], d.get("via")) for d in direct["destinations"]] == [
        ("store", "sns://kc-alerts", None),
        ("vendor", "alerts.kcmo.gov", "sns://kc-alerts"),
        ("vendor", "hooks.vendor.example", "sns://kc-alerts"),
    ]
    assert main(["inventory", "--no-cache", "."]) == 0
    markdown = capsys.readouterr().out
    assert '-->|"subscription"|' in markdown
    assert (
        "- `sns://kc-alerts` delivers to email `ops@kcmo.gov` (aws_sns_topic_subscription.mail,"
        " main.tf:18), http `http://alerts.kcmo.gov/hook`"
    ) in markdown
    assert "sqs known at apply from aws_sqs_queue.q" in markdown


def test_a_database_destination_is_named_by_its_host_and_table(monkeypatch, capsys, make_repo):
    """A database write was listed by its table, collection or key alone, and one that names
    none (an OpenSearch bulk write: each document names its index) by the API that wrote
    (``opensearch.bulk``): the privacy officer could not tell which server holds the data.
    Now by host and table (``db.city.gov/city.people``), by host alone when the write names no
    table; by the table alone, as before, when the host is not known."""
    code = (
        "import os\n"
        "import pymongo\n"
        "import psycopg2\n"
        "from opensearchpy import OpenSearch, helpers\n"
        'search = OpenSearch(hosts=[{"host": "search.city.gov", "port": 443}], use_ssl=True)\n'
        "def push(records):\n"
        '    helpers.bulk(search, [{"_index": "people", "email": r["email"]} for r in records])\n'
        "def store(rows):\n"
        '    coll = pymongo.MongoClient("mongodb+srv://db.city.gov/").city.people\n'
        '    coll.insert_many([{"email": r["email"]} for r in rows])\n'
        "def keep(rows):\n"
        '    conn = psycopg2.connect(os.environ["DSN"])\n'
        '    conn.cursor().executemany("INSERT INTO visits (email) VALUES (%s)",\n'
        '                              [(r["email"],) for r in rows])\n'
    )
    monkeypatch.chdir(make_repo({"app.py": code}))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    ids = sorted(
        d["id"] for c in doc["categories"] for d in c["destinations"] if d["kind"] == "database"
    )
    assert ids == ["db.city.gov/city.people", "search.city.gov", "visits"]
