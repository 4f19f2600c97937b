"""Cross-artifact rules on the ALPR fixture repository: Python writes and env reads joined to
Terraform buckets and Kubernetes manifests."""

from __future__ import annotations

import json

import pytest

from dhlint.analysis import Context, Workspace
from dhlint.catalog import load_catalog, rules_by_id
from dhlint.cli import main
from dhlint.detectors.cross import env_endpoints, stores
from dhlint.engine import CheckOptions, run_check
from dhlint.policy import default_policy, policy_from_mapping
from tests.conftest import NOT_VENDOR_HOSTS, REPO, rule_ids

UNSAFE = "fixtures/inventory/alpr"
FIXED = "fixtures/inventory/alpr-fixed"
CROSS = ("DH190", "DH390", "DH690", "DH890", "DH990")
PY = "etl/alpr_pipeline.py"
TF = "terraform/storage.tf"
K8S = "k8s/alpr-pipeline-cronjob.yaml"


def _check(path: str, **options):
    return run_check(CheckOptions(paths=[path], cwd=str(REPO), select=CROSS, jobs=1, **options))


def _summary(result, base: str) -> set[tuple]:
    out = set()
    for f in result.active:
        related = tuple(
            (r.location.path.removeprefix(base + "/"), r.location.start_line) for r in f.related
        )
        out.add(
            (f.rule_id, f.location.path.removeprefix(base + "/"), f.location.start_line, related)
        )
    return out


def test_unsafe_fixture_gives_exactly_the_cross_findings():
    result = _check(UNSAFE)
    assert not result.diagnostics
    # The bucket and the container running the script; not the CronJob's RAW_BUCKET, which
    # the script does not read (it names the bucket by a constant: probe26 min/08).
    store_related = ((TF, 9), (K8S, 22))
    assert _summary(result, UNSAFE) == {
        ("DH190", PY, 24, store_related),
        ("DH390", PY, 24, store_related),
        ("DH890", PY, 24, store_related),
        ("DH990", PY, 24, store_related),
        ("DH690", PY, 37, ((K8S, 30), (K8S, 22))),
    }


def test_findings_disappear_on_the_fixed_variant():
    result = _check(FIXED)
    assert not result.diagnostics
    assert result.active == []


def test_messages_and_anchors():
    result = _check(UNSAFE)
    by_rule = {f.rule_id: f for f in result.active}
    assert by_rule["DH890"].message == (
        "'plate' (direct), 'lat' (location), 'lon' (location) written to "
        "'s3://kc-alpr-raw/reads/{...}.parquet', whose Terraform definition aws_s3_bucket.raw "
        "(fixtures/inventory/alpr/terraform/storage.tf) is tagged 'internal' but the data needs "
        "'personal'"
    )
    assert "ingest.plate-analytics.example" in by_rule["DH690"].message
    assert "$VENDOR_ENDPOINT" in by_rule["DH690"].message
    for finding in result.active:
        assert finding.anchor and not any(
            ch.isdigit() for ch in finding.anchor.split("->")[-1][-3:]
        )
    # The data flow goes from the read to the write.
    flow = by_rule["DH190"].flow
    assert [r.location.start_line for r in flow] == [18, 24]
    assert flow[0].label == "read by pandas.read_csv"


def test_sarif_result_has_locations_in_three_languages(tmp_path, monkeypatch):
    from dhlint.cli import main

    monkeypatch.chdir(REPO)
    out = tmp_path / "out.sarif"
    code = main(
        [
            "check",
            "--select",
            ",".join(CROSS),
            "--output-format",
            "sarif",
            "--output-file",
            str(out),
            UNSAFE,
        ]
    )
    assert code == 1
    sarif = json.loads(out.read_text(encoding="utf-8"))
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "DH190"]
    assert len(results) == 1
    uris = [results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]]
    uris += [
        r["physicalLocation"]["artifactLocation"]["uri"] for r in results[0]["relatedLocations"]
    ]
    assert uris == [f"{UNSAFE}/{PY}", f"{UNSAFE}/{TF}", f"{UNSAFE}/{K8S}"]


def test_only_cross_rules_selected_still_collects_every_language():
    result = _check(UNSAFE)
    assert set(result.workspace.facts) == {"terraform", "kubernetes", "python"}


def test_suppression_on_the_code_line(tmp_path, make_repo):
    source = (REPO / UNSAFE / PY).read_text(encoding="utf-8")
    source = source.replace(
        '.parquet")\n', '.parquet")  # dhlint: ignore[DH190] encrypted by the account default\n'
    )
    files = {
        PY: source,
        TF: (REPO / UNSAFE / TF).read_text(encoding="utf-8"),
        "terraform/variables.tf": (REPO / UNSAFE / "terraform/variables.tf").read_text(),
        K8S: (REPO / UNSAFE / K8S).read_text(encoding="utf-8"),
    }
    root = make_repo(files)
    result = run_check(CheckOptions(paths=["."], cwd=str(root), select=CROSS, jobs=1))
    suppressed = [(f.rule_id, f.location.start_line) for f in result.suppressed]
    assert suppressed == [("DH190", 24)]
    assert ("DH390", 24) in [(f.rule_id, f.location.start_line) for f in result.active]


# --------------------------------------------------------------- detectors on hand-made facts
def _store(**over):
    store = {
        "address": "aws_s3_bucket.b",
        "type": "aws_s3_bucket",
        "provider": "aws",
        "scheme": "s3",
        "names": ["kc-b"],
        "name_prefix": None,
        "loc": ["main.tf", 1, 1, 1, 20],
        "scope": [1, 3],
        "tags": {"data-classification": "personal"},
        "tags_unknown": False,
        "encryption": {
            "status": "set",
            "algorithms": ["AES256"],
            "customer_key": False,
            "loc": ["main.tf", 2, 1, 2, 5],
        },
        "expiry": {"status": "set", "days": 30, "loc": ["main.tf", 2, 1, 2, 5]},
        "access_logging": {"status": "set", "loc": ["main.tf", 2, 1, 2, 5]},
    }
    store.update(over)
    return store


def _workspace(store: dict, column: str = "plate", treatment: str = "raw", uri=None, host=None):
    sink = {
        "kind": "storage",
        "api": "s3.upload_file",
        "loc": ["etl.py", 5, 5, 5, 40],
        "anchor": "main:upload",
        "scope": [5, 5],
        "host": host,
        "target": uri,
        "store": {"scheme": "s3", "bucket": "kc-b", "account": None, "uri": uri},
        "env": [],
        "columns": [
            {
                "name": column,
                "origins": [column],
                "treatment": treatment,
                "by_name": False,
                "flow": [],
            }
        ],
    }
    return Workspace(
        facts={
            "terraform": [{"directory": ".", "stores": [store]}],
            "python": [{"path": "etl.py", "sinks": [sink], "endpoints": [], "env_reads": []}],
        }
    )


def _ctx(rule_id: str, policy=None) -> Context:
    rule = rules_by_id(load_catalog())[rule_id]
    return Context(rule=rule, policy=policy or default_policy())


@pytest.mark.parametrize(
    ("rule_id", "func", "store", "fires"),
    [
        ("DH190", stores.encryption, _store(), False),
        ("DH190", stores.encryption, _store(encryption={"status": "unknown"}), False),
        ("DH190", stores.encryption, _store(encryption={"status": "missing"}), True),
        ("DH390", stores.retention, _store(), False),
        ("DH390", stores.retention, _store(expiry={"status": "unknown"}), False),
        ("DH390", stores.retention, _store(expiry={"status": "missing"}), True),
        (
            "DH390",
            stores.retention,
            _store(expiry={"status": "set", "days": 400, "loc": ["main.tf", 9, 1, 9, 4]}),
            True,
        ),
        ("DH990", stores.logging, _store(), False),
        ("DH990", stores.logging, _store(access_logging={"status": "missing"}), True),
        ("DH890", stores.classification, _store(), False),
        ("DH890", stores.classification, _store(tags={"data-classification": "public"}), True),
        ("DH890", stores.classification, _store(tags={}), False),
        ("DH890", stores.classification, _store(tags={"data-classification": "bogus"}), False),
        (
            "DH890",
            stores.classification,
            _store(tags={"data-classification": "public"}, tags_unknown=True),
            False,
        ),
    ],
)
def test_store_detectors(rule_id, func, store, fires):
    hits = list(func(_workspace(store), _ctx(rule_id)))
    assert bool(hits) is fires, hits
    if fires:
        assert hits[0].location.path == "etl.py"
        assert hits[0].related[0].location.path == "main.tf"


def test_the_store_rules_share_one_join_per_policy_and_confidence(monkeypatch):
    from dhlint.inventory import join

    joined: list[str] = []
    real = join._store_writes
    monkeypatch.setattr(
        join,
        "_store_writes",
        lambda ws, policy, conf: joined.append(conf) or real(ws, policy, conf),
    )
    unsafe = _store(encryption={"status": "missing"}, access_logging={"status": "missing"})
    checks = (
        ("DH190", stores.encryption),
        ("DH390", stores.retention),
        ("DH990", stores.logging),
        ("DH890", stores.classification),
    )
    workspace = _workspace(unsafe)
    shared = {r: list(func(workspace, _ctx(r))) for r, func in checks}
    assert joined == ["medium"]  # one join for the four rules
    alone = {r: list(func(_workspace(unsafe), _ctx(r))) for r, func in checks}
    assert shared == alone and shared["DH190"] and shared["DH990"] and not shared["DH390"]
    # another policy, or another confidence (a rule's params), is joined again
    joined.clear()
    keyed = policy_from_mapping({"retention": {"by_class": {"personal": 7}}}, "test")
    assert list(stores.encryption(workspace, _ctx("DH190", keyed))) == shared["DH190"]
    high = join.store_writes(workspace, keyed, "high")
    assert high == join.store_writes(_workspace(unsafe), keyed, "high")
    assert joined == ["medium", "high", "high"]


def test_dh390_judges_a_class_the_policy_does_not_define_as_the_default():
    # probe29 min/05: as Resource.data_class. Where the default class is stricter than the
    # class the data needs, an undefined tag no longer lowers the store to the data's class.
    from dhlint.policy import policy_from_mapping

    policy = policy_from_mapping(
        {
            "classification": {"default": "sensitive"},
            "retention": {"by_class": {"personal": 365, "sensitive": 30}},
        },
        "city.yaml",
    )
    kept = {"status": "set", "days": 200, "loc": ["main.tf", 9, 1, 9, 4]}
    for tag, fires in (("confidential", True), ("personal", False), (None, True)):
        store = _store(expiry=kept, tags={"data-classification": tag} if tag else {})
        hits = list(stores.retention(_workspace(store), _ctx("DH390", policy)))
        assert bool(hits) is fires, tag
        if fires:
            assert hits[0].args["data_class"] == "sensitive"


def test_keyed_identifiers_and_unmatched_names_do_not_fire():
    missing = _store(encryption={"status": "missing"})
    assert not list(stores.encryption(_workspace(missing, treatment="keyed"), _ctx("DH190")))
    assert not list(stores.encryption(_workspace(missing, column="n_reads"), _ctx("DH190")))
    other = _store(encryption={"status": "missing"}, names=["kc-other"])
    assert not list(stores.encryption(_workspace(other), _ctx("DH190")))
    prefixed = _store(encryption={"status": "missing"}, names=[], name_prefix="kc-")
    assert list(stores.encryption(_workspace(prefixed), _ctx("DH190")))


def test_accept_provider_default_silences_encryption():
    policy = policy_from_mapping({"encryption": {"accept_provider_default": True}}, "test")
    missing = _store(encryption={"status": "missing"})
    assert not list(stores.encryption(_workspace(missing), _ctx("DH190", policy)))


def _env_workspace(value: str, scripts=("etl.py",), name="VENDOR_ENDPOINT"):
    from urllib.parse import urlsplit

    env = {
        "name": name,
        "value": value,
        "hosts": [urlsplit(value).hostname],
        "loc": ["deploy.yaml", 9, 20, 9, 50],
        "anchor": "Job/x/y:env[X]",
    }
    container = {
        "name": "c",
        "image": "i",
        "loc": ["deploy.yaml", 5, 7, 9, 50],
        "scope": [5, 9],
        "command": [],
        "args": [],
        "scripts": list(scripts),
        "env": [env],
    }
    workload = {
        "ref": "Job/x/y",
        "kind": "Job",
        "name": "y",
        "namespace": "x",
        "path": "deploy.yaml",
        "loc": ["deploy.yaml", 1, 1, 9, 50],
        "scope": [1, 9],
        "labels": {},
        "containers": [container],
    }
    sink = {
        "kind": "network",
        "api": "requests.post",
        "loc": ["etl.py", 4, 5, 4, 60],
        "anchor": 'main:requests.post(os.environ["VENDOR_ENDPOINT"])',
        "scope": [4, 4],
        "host": None,
        "target": None,
        "store": None,
        "env": ["VENDOR_ENDPOINT"],
        "columns": [],
    }
    read = {
        "name": "VENDOR_ENDPOINT",
        "loc": sink["loc"],
        "anchor": sink["anchor"],
        "default": None,
    }
    return Workspace(
        facts={
            "kubernetes": [{"workloads": [workload]}],
            "python": [{"path": "etl.py", "sinks": [sink], "endpoints": [], "env_reads": [read]}],
        }
    )


@pytest.mark.parametrize(
    ("value", "scripts", "fires"),
    [
        ("https://ingest.vendor.example/v1", ("etl.py",), True),
        ("https://ingest.vendor.example/v1", (), True),  # no workload visibly runs it: all count
        ("https://api.city-approved-vendor.example/v1", ("etl.py",), False),
        # cluster-internal and loopback: the same hosts DH660 does not report
        *((f"http://{host}", ("etl.py",), False) for host in NOT_VENDOR_HOSTS),
    ],
)
def test_env_endpoint_detector(value, scripts, fires):
    hits = list(env_endpoints.detect(_env_workspace(value, scripts), _ctx("DH690")))
    assert bool(hits) is fires
    if fires:
        assert hits[0].location.path == "etl.py"
        assert hits[0].related[0].location.path == "deploy.yaml"
        assert hits[0].args["host"] == "ingest.vendor.example"


# ------------------------------------------------------------- other clouds and ConfigMaps
ETL_GCS = """\
import os

import pandas as pd
import requests


def main():
    reads = pd.read_csv("reads.csv", usecols=["plate", "camera_id", "read_at"])
    reads.to_csv("gs://kc-gcs-raw/reads.csv")
    requests.post(os.getenv("VENDOR_URL"), json=reads.to_dict(orient="records"))
"""
GCS_TF = """\
resource "google_storage_bucket" "raw" {
  name     = "kc-gcs-raw"
  location = "US"
  labels   = { data-classification = "personal" }
  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      age = 30
    }
  }
}
"""
DEPLOY = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: export-config
  namespace: police
data:
  VENDOR_URL: https://upload.cheap-analytics.example/v1
---
apiVersion: batch/v1
kind: Job
metadata:
  name: export
  namespace: police
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: export
          image: registry.kcmo.gov/police/export:1.0.0
          command: ["python", "-m", "jobs.etl"]
          envFrom:
            - configMapRef:
                name: export-config
"""


def test_gcs_bucket_and_configmap_endpoint(scan):
    result = scan(
        {"jobs/etl.py": ETL_GCS, "infra/main.tf": GCS_TF, "k8s/deploy.yaml": DEPLOY},
        select=CROSS,
        jobs=1,
    )
    assert not result.diagnostics
    found = {
        (f.rule_id, f.location.path, f.location.start_line): [
            (r.location.path, r.location.start_line) for r in f.related
        ]
        for f in result.active
    }
    assert found == {
        # GCS is encrypted by Google and this bucket expires in 30 days: only logging is missing.
        ("DH990", "jobs/etl.py", 9): [("infra/main.tf", 1), ("k8s/deploy.yaml", 19)],
        # The endpoint comes from the ConfigMap, through envFrom of the Job that runs the module.
        ("DH690", "jobs/etl.py", 10): [("k8s/deploy.yaml", 7), ("k8s/deploy.yaml", 19)],
    }


def test_dh390_reads_dh302s_notion_of_an_expiry(scan):
    """Only an expiry of every object and, on a versioned bucket, of previous versions bounds
    what the code writes (the same verdict as DH302)."""
    etl = """import pandas as pd

def main():
    reads = pd.read_csv("reads.csv", usecols=["plate", "camera_id", "read_at"])
    reads.to_parquet("s3://kc-staged/reads/today.parquet")
    reads.to_parquet("s3://kc-versioned/reads/today.parquet")
    reads.to_parquet("s3://kc-whole/reads/today.parquet")
"""
    tf = "".join(
        f"""resource "aws_s3_bucket" "{name}" {{
  bucket = "kc-{name}"
}}
resource "aws_s3_bucket_lifecycle_configuration" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  rule {{
    id     = "expire"
    status = "Enabled"
    filter {{
      prefix = "{prefix}"
    }}
    expiration {{
      days = 30
    }}
  }}
}}
"""
        for name, prefix in (("staged", "staging/"), ("versioned", ""), ("whole", ""))
    )
    tf += """resource "aws_s3_bucket_versioning" "versioned" {
  bucket = aws_s3_bucket.versioned.id
  versioning_configuration {
    status = "Enabled"
  }
}
"""
    result = scan({"etl.py": etl, "main.tf": tf}, select=["DH390"])
    assert [(f.location.start_line, f.anchor.split(":")[-1]) for f in result.active] == [
        (5, "aws_s3_bucket.staged"),
        (6, "aws_s3_bucket.versioned"),
    ]
    # why the expiries found do not count, in DH302's words (probe45 10)
    filtered = "only for objects matching a filter, not for every object"
    marker = (
        "30 days, but it only adds a delete marker: versioning keeps the previous versions "
        "forever without a noncurrent_version_expiration"
    )
    assert [f.message.rsplit("(expiry: ", 1)[1] for f in result.active] == [
        f"{filtered})",
        f"{marker})",
    ]
    stores = {s["address"]: s for s in result.workspace.facts["terraform"][0]["stores"]}
    assert stores["aws_s3_bucket.staged"]["expiry"] == {
        "status": "missing",
        "days": None,
        "loc": None,
        "shown": filtered,
    }
    assert stores["aws_s3_bucket.versioned"]["expiry"] == {
        "status": "missing",
        "days": None,
        "loc": ["main.tf", 29, 7, 29, 16],  # the expiration that only adds a delete marker
        "shown": marker,
    }
    assert stores["aws_s3_bucket.whole"]["expiry"]["days"] == 30


def test_a_path_from_the_environment_that_is_a_bucket_uri_there(scan):
    """to_csv(os.environ["EXPORT_URI"]) with a gs:// URI set by the manifest of the job that
    runs the script is a write into that bucket; with a local path set, it is a file."""
    etl = """import os
import pandas as pd

def export():
    taps = pd.read_csv("taps.csv", usecols=["transit_card", "stop_id"])
    taps.to_csv(os.environ["CARD_EXPORT_URI"], index=False)
    taps.to_csv(os.environ["LOCAL_EXPORT"], index=False)
"""
    job = """apiVersion: batch/v1
kind: Job
metadata: {name: card-export}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: export
          image: registry.kcmo.gov/transit/export:1.0
          command: ["python", "/app/cards.py"]
          env:
            - {name: CARD_EXPORT_URI, value: "gs://kc-transit-cards/exports/taps.csv"}
            - {name: LOCAL_EXPORT, value: "/tmp/taps.csv"}
"""
    tf = """resource "google_storage_bucket" "cards" {
  name     = "kc-transit-cards"
  location = "US"
}
"""
    files = {"app/cards.py": etl, "k8s/job.yaml": job, "infra/gcs.tf": tf}
    result = scan(files, select=["DH390"])
    assert [(f.location.path, f.location.start_line) for f in result.active] == [
        ("app/cards.py", 6)
    ]
    assert "gs://kc-transit-cards/exports/taps.csv" in result.active[0].message


def test_dh690_says_what_was_done_to_the_columns_it_names(scan):
    # Rounded coordinates are sent too, but not as read: the message must not read as if the
    # precise locations left.
    etl = """\
import os

import pandas as pd
import requests


def main():
    pings = pd.read_csv("pings.csv", usecols=["plate", "lat", "lon", "ts"])
    pings["lat"] = pings["lat"].round(3)
    pings["lon"] = pings["lon"].round(0)
    requests.post(os.getenv("VENDOR_URL"), json=pings.to_dict(orient="records"))
"""
    result = scan({"jobs/etl.py": etl, "k8s/deploy.yaml": DEPLOY}, select=["DH690"], jobs=1)
    (finding,) = result.active
    assert finding.message.startswith(
        "This call sends 'plate' (direct), 'lat' (location, rounded to 3 decimals), "
        "'lon' (location, rounded to whole units) to $VENDOR_URL"
    )


@pytest.mark.parametrize(
    ("treatment", "text"),
    [
        ("raw", "'c' (direct)"),
        ("round:1", "'c' (direct, rounded to 1 decimal)"),
        ("round:-2", "'c' (direct, rounded to the nearest 100)"),
        ("truncate:3", "'c' (direct, cut to its first 3 characters)"),
        ("bucket", "'c' (direct, binned)"),
        ("weak-hash:md5", "'c' (direct, hashed with md5, unkeyed)"),
        ("protected:city.pseudonymise", "'c' (direct, through city.pseudonymise)"),
        ("something-new", "'c' (direct)"),
    ],
)
def test_describe_names_treatments(treatment, text):
    from dhlint.inventory.join import describe

    assert describe([{"name": "c", "category": "direct", "treatment": treatment}]) == text


SMTP_DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments
  labels: {data-classification: personal}
spec:
  template:
    metadata:
      labels: {data-classification: personal}
    spec:
      containers:
        - name: api
          image: registry.kcmo.gov/payments:1
          command: ["python", "notify.py"]
          env:
            - name: SMTP_HOST
              value: smtp.sendgrid.net
"""
NOTIFY = """\
import os
import smtplib
from email.message import EmailMessage

SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")


def send_receipt(email: str, session_id: str) -> None:
    msg = EmailMessage()
    msg["To"] = email
    msg.set_content(f"Session {session_id}")
    with smtplib.SMTP(SMTP_HOST, 587) as smtp:
        smtp.starttls()
        smtp.send_message(msg)
"""


def test_dh690_one_finding_for_a_connection_and_the_call_that_sends_on_it(scan):
    """probe20 min/06: smtplib.SMTP($SMTP_HOST) and smtp.send_message were two findings, and
    the message read "sends no identified columns" for an e-mail to a resident: the model does
    not follow the message's headers, so it says it traced no identifier, not that none is sent."""
    result = scan({"notify.py": NOTIFY, "k8s/deploy.yaml": SMTP_DEPLOY}, select=["DH690"])
    assert rule_ids(result) == [("DH690", "notify.py", 14)]
    assert result.active[0].message == (
        "This call sends data (no identifier traced) to $SMTP_HOST, which "
        "Deployment/default/payments (k8s/deploy.yaml) sets to 'smtp.sendgrid.net', a host not "
        "on the approved vendor list"
    )
    # A connection with no call that sends on it in the file: reported, as what it is.
    connect_only = NOTIFY.replace("        smtp.send_message(msg)\n", "        return smtp\n")
    result = scan({"notify.py": connect_only, "k8s/deploy.yaml": SMTP_DEPLOY}, select=["DH690"])
    assert rule_ids(result) == [("DH690", "notify.py", 12)]
    assert result.active[0].message.startswith(
        "This call sends data (not traced) to $SMTP_HOST, which "
    )
    # Two calls that send to the same variable are two transmissions: both stay.
    twice = NOTIFY + "        smtp.send_message(msg)\n"
    result = scan({"notify.py": twice, "k8s/deploy.yaml": SMTP_DEPLOY}, select=["DH690"])
    assert rule_ids(result) == [("DH690", "notify.py", 14), ("DH690", "notify.py", 15)]


SFTP_DEPLOY = SMTP_DEPLOY.replace("notify.py", "deliver.py").replace("SMTP_HOST", "SFTP_HOST")
SFTP_DEPLOY = SFTP_DEPLOY.replace("smtp.sendgrid.net", "sftp.ridekc.org")
DELIVER = """\
import os

import paramiko


def deliver(path: str) -> None:
    transport = paramiko.Transport((os.environ["SFTP_HOST"], 22))
    transport.connect(username="civiclink")
    sftp = paramiko.SFTPClient.from_transport(transport)
    sftp.put(path, "/incoming/riders.csv")


def deliver_ssh(path: str) -> None:
    ssh = paramiko.SSHClient()
    ssh.connect(os.environ["SFTP_HOST"], username="civiclink")
    ssh.open_sftp().put(path, "/incoming/taps.csv")
"""


def test_dh690_an_sftp_host_from_the_environment_is_judged_on_the_put_as_an_http_url_is(scan):
    """probe22 #4/#13: paramiko.Transport((os.environ["SFTP_HOST"], 22)) gave no DH690 (the
    host was in a tuple), and with a default it sat on the connection and said "(not traced)"
    where an HTTP call says "(no identifier traced)". The variable goes with the connection to
    the SFTP client: the put that sends is the one finding, as smtp.send_message is."""
    result = scan({"deliver.py": DELIVER, "k8s/deploy.yaml": SFTP_DEPLOY}, select=["DH690"])
    assert rule_ids(result) == [("DH690", "deliver.py", 10), ("DH690", "deliver.py", 16)]
    assert result.active[0].message == (
        "This call sends data (no identifier traced) to $SFTP_HOST, which "
        "Deployment/default/payments (k8s/deploy.yaml) sets to 'sftp.ridekc.org', a host not "
        "on the approved vendor list"
    )
    # With a default written in the code: the same finding, on the put (DH660 names the default).
    default = DELIVER.replace(
        'os.environ["SFTP_HOST"], 22', 'os.environ.get("SFTP_HOST", "sftp.ridekc.org"), 22'
    )
    result = scan({"deliver.py": default, "k8s/deploy.yaml": SFTP_DEPLOY}, select=["DH690"])
    assert rule_ids(result) == [("DH690", "deliver.py", 10), ("DH690", "deliver.py", 16)]
    # A workload that sets the variable to a cluster-internal host: no finding.
    internal = SFTP_DEPLOY.replace("sftp.ridekc.org", "sftp-drop.exports.svc.cluster.local")
    assert rule_ids(scan({"deliver.py": DELIVER, "k8s/d.yaml": internal}, select=["DH690"])) == []


PORTAL = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: portal
  labels: {data-classification: personal}
spec:
  template:
    metadata:
      labels: {data-classification: personal}
    spec:
      containers:
        - name: portal
          image: registry.kcmo.gov/portal:1
          command: ["python", "lookup.py"]
          env:
            - name: DMV_LOOKUP_URL
              value: https://dmv-lookup.mo-vehicle-data.com/api
"""
PORTAL_PATCH = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: portal
spec:
  template:
    spec:
      containers:
        - name: portal
          env:
            - name: DMV_LOOKUP_URL
              value: https://{host}/api
"""
LOOKUP = """\
import os
import sys

import requests

plate = sys.argv[1]
requests.get(os.environ["DMV_LOOKUP_URL"] + "/owner", params={"plate": plate}, timeout=5)
"""
KUST = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"


def _overlay_tree(prod_host: str, staging: bool = False) -> dict[str, str]:
    files = {
        "lookup.py": LOOKUP,
        "base/deploy.yaml": PORTAL,
        "base/kustomization.yaml": KUST + "namespace: kerbside\nresources: [deploy.yaml]\n",
        "prod/kustomization.yaml": KUST
        + "namespace: kerbside-prod\nresources: [../base]\npatches:\n  - path: patch.yaml\n",
        "prod/patch.yaml": PORTAL_PATCH.format(host=prod_host),
    }
    if staging:
        files["staging/kustomization.yaml"] = KUST + "resources: [../base]\n"
    return files


def test_dh690_an_overlay_patch_replaces_the_base_value_in_what_it_builds(scan):
    """probe20 min/11: the only overlay patches DMV_LOOKUP_URL to an approved host; DH690 named
    Deployment/kerbside-prod/portal with the base's value, which that build never has. DH640
    still judges the base's value where it is written."""
    result = scan(_overlay_tree("dmv-lookup.kcmo.gov"), select=["DH690", "DH640"])
    assert rule_ids(result) == [("DH640", "base/deploy.yaml", 17)]
    # The patch sets an unapproved host: DH690 names it, at the patch.
    result = scan(_overlay_tree("plates.vendor.example"), select=["DH690"])
    assert rule_ids(result) == [("DH690", "lookup.py", 7)]
    (finding,) = result.active
    assert finding.message.endswith(
        "to $DMV_LOOKUP_URL, which Deployment/kerbside-prod/portal (prod/patch.yaml) sets to "
        "'plates.vendor.example', a host not on the approved vendor list"
    )
    related = finding.related[0].location
    assert (related.path, related.start_line) == ("prod/patch.yaml", 12)


def test_dh690_a_build_without_the_patch_keeps_the_base_value(scan):
    """A second overlay that does not patch the variable builds the base's value: that one is
    still reported (the base object stays as written, both overlays listing it)."""
    result = scan(_overlay_tree("dmv-lookup.kcmo.gov", staging=True), select=["DH690"])
    assert rule_ids(result) == [("DH690", "lookup.py", 7)]
    assert "(base/deploy.yaml) sets to 'dmv-lookup.mo-vehicle-data.com'" in (
        result.active[0].message
    )


def test_dh690_a_patch_hides_a_generated_envfrom_value_only_in_its_own_build(scan):
    """probe41 #1 (min/01): the base's worker reads ANALYTICS_URL through ``envFrom`` of a
    configMapGenerator; prod patches it with ``env:``, staging does not. The patch hid the
    base's value for every build: no DH690 and the inventory showed only prod's host."""
    from dhlint.inventory import report

    send = 'import os\n\nimport httpx\n\nURL = os.environ["ANALYTICS_URL"]\n\n\n'
    send += 'def push(row):\n    httpx.post(URL, json={"email": row["email"]})\n'
    worker = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker}\nspec:\n"
        "  template:\n    spec:\n      containers:\n        - name: worker\n"
        '          image: x/worker:1\n          command: ["python", "-m", "app.send"]\n'
        "          envFrom:\n            - configMapRef: {name: worker-settings}\n"
    )
    patch = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker}\nspec:\n"
        "  template:\n    spec:\n      containers:\n        - name: worker\n"
        "          env:\n            - name: ANALYTICS_URL\n"
        "              value: https://analytics.kcmo.gov/v1\n"
    )
    files = {
        "app/send.py": send,
        "k8s/base/worker.yaml": worker,
        "k8s/base/kustomization.yaml": KUST
        + "resources: [worker.yaml]\nconfigMapGenerator:\n  - name: worker-settings\n"
        + "    literals:\n      - ANALYTICS_URL=https://ingest.vendor.example/v1\n",
        "k8s/overlays/prod/kustomization.yaml": KUST
        + "resources: [../../base]\npatches:\n  - path: patch.yaml\n",
        "k8s/overlays/prod/patch.yaml": patch,
        "k8s/overlays/staging/kustomization.yaml": KUST + "resources: [../../base]\n",
    }
    result = scan(files, select=["DH690"], collect_facts=True)
    assert rule_ids(result) == [("DH690", "app/send.py", 9)]
    assert "(k8s/base/kustomization.yaml) sets to 'ingest.vendor.example'" in (
        result.active[0].message
    )
    vendors = {v["host"]: v for v in report.build(result)["vendors"]}
    assert {h: [s["path"] for s in v["set_by"]] for h, v in vendors.items()} == {
        "analytics.kcmo.gov": ["k8s/overlays/prod/patch.yaml"],
        "ingest.vendor.example": ["k8s/base/kustomization.yaml"],
    }
    # Without staging every build patches the variable: the generated value is in none.
    del files["k8s/overlays/staging/kustomization.yaml"]
    result = scan(files, select=["DH690"], collect_facts=True)
    assert rule_ids(result) == []
    assert [v["host"] for v in report.build(result)["vendors"]] == ["analytics.kcmo.gov"]


def test_dh690_a_later_patch_overwrites_an_earlier_one(scan):
    """probe21tf R2: kustomize applies patches in the order listed, an inner overlay's before
    its includer's; the value a later patch overwrites is not built, so it is not reported."""
    vendor, approved = "plates.vendor.example", "dmv-lookup.kcmo.gov"
    files = _overlay_tree(approved)
    files["prod/kustomization.yaml"] = (
        KUST + "resources: [../base]\npatches:\n  - path: vendor.yaml\n  - path: patch.yaml\n"
    )
    files["prod/vendor.yaml"] = PORTAL_PATCH.format(host=vendor)
    assert rule_ids(scan(files, select=["DH690"])) == []
    # Listed the other way round, the vendor's value is what prod builds.
    files["prod/kustomization.yaml"] = (
        KUST + "resources: [../base]\npatches:\n  - path: patch.yaml\n  - path: vendor.yaml\n"
    )
    assert rule_ids(scan(files, select=["DH690"])) == [("DH690", "lookup.py", 7)]
    # An outer overlay's patch is applied after the inner one's.
    nested = _overlay_tree(vendor)  # prod patches the vendor's host in
    nested["live/kustomization.yaml"] = (
        KUST + "resources: [../prod]\npatches:\n  - path: patch.yaml\n"
    )
    nested["live/patch.yaml"] = PORTAL_PATCH.format(host=approved)
    assert rule_ids(scan(nested, select=["DH690"])) == []


def test_inventory_an_overlay_patch_is_no_workload_of_its_own(scan):
    """probe35 min/10: each overlay's patch.yaml (a partial object) was listed as a workload
    of its own (namespace default, no class), and a vendor its patch sets named the patch and
    the base it patches. A patch changes its base's workload; one whose base is not in the
    tree stays listed (what it sets is all the inventory knows of it)."""
    from dhlint.inventory import report

    files = _overlay_tree("plates.vendor.example")
    files["dev/kustomization.yaml"] = (
        KUST + "resources: [../base]\npatches:\n  - path: patch.yaml\n  - path: scale.yaml\n"
    )
    files["dev/patch.yaml"] = PORTAL_PATCH.format(host="localhost:9000")
    files["dev/scale.yaml"] = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: portal\nspec:\n  replicas: 4\n"
    )
    doc = report.build(scan(files, collect_facts=True))
    assert [(w["ref"], w["path"]) for w in doc["workloads"]] == [
        ("Deployment/kerbside/portal", "base/deploy.yaml")
    ]
    vendors = {v["host"]: v for v in doc["vendors"]}
    assert [(s["workload"], s["path"]) for s in vendors["localhost"]["set_by"]] == [
        ("Deployment/kerbside/portal", "dev/patch.yaml")
    ]
    assert {s["path"] for s in vendors["plates.vendor.example"]["set_by"]} == {"prod/patch.yaml"}
    # a patch of an object the tree does not hold (a remote base): listed as before
    del files["base/deploy.yaml"]
    doc = report.build(scan(files, collect_facts=True))
    assert sorted(w["path"] for w in doc["workloads"]) == ["dev/patch.yaml", "prod/patch.yaml"]


def _server(name: str, command: str, host: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{data-classification: personal}}
spec:
  template:
    metadata:
      labels: {{app: {name}, data-classification: personal}}
    spec:
      containers:
        - name: web
          image: registry.kcmo.gov/{name}:1
          command: {command}
          env:
            - {{name: TOW_URL, value: "https://{host}/v1"}}
"""


def test_dh690_a_server_runs_the_module_it_loads(scan):
    """probe25 min/08: ``uvicorn app.main:app`` runs app/main.py, so the portal that runs
    ``gunicorn portal.wsgi:application`` is not one of the workloads whose TOW_URL it reads."""
    files = {
        "app/main.py": (
            "import os\n\nimport requests\n\nTOW_URL = os.environ['TOW_URL']\n\n\n"
            "def tow(plate: str) -> None:\n"
            "    requests.post(f'{TOW_URL}/requests', json={'plate': plate}, timeout=10)\n"
        ),
        "portal/wsgi.py": "import os\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\n",
        "deploy.yaml": _server(
            "api", '["uvicorn", "app.main:app", "--port", "8080"]', "tow.example"
        )
        + "---\n"
        + _server("portal", '["gunicorn", "portal.wsgi:application"]', "legacy-tow.example"),
    }
    result = scan(files, select=["DH690"])
    assert rule_ids(result) == [("DH690", "app/main.py", 9)]
    assert "which Deployment/default/api (deploy.yaml) sets to 'tow.example'" in (
        result.active[0].message
    )
    assert [r.label for r in result.active[0].related] == [
        "Deployment/default/api sets TOW_URL",
        "Deployment/default/api runs app/main.py",
    ]
    # Not a server loading a module: no workload visibly runs app/main.py, every one counts.
    files["deploy.yaml"] = files["deploy.yaml"].replace('"uvicorn", ', '"node", ')
    result = scan(files, select=["DH690"])
    assert [f.message.split(", which ")[1].split(" (")[0] for f in result.active] == [
        "Deployment/default/api",
        "Deployment/default/portal",
    ]


OPEN_DATA_TF = """resource "aws_s3_bucket" "opendata" {
  bucket = "kc-opendata"
  tags = {
    "data-classification" = "public"
  }
}
"""


def _open_data_export(decimals: int, extra: str = "") -> str:
    return f"""import pandas as pd


def main() -> None:
    df = pd.read_csv("citations.csv", usecols=["violation_code", "latitude", "longitude"{extra}])
    df["latitude"] = df["latitude"].round({decimals})
    df["longitude"] = df["longitude"].round({decimals})
    df.to_csv("s3://kc-opendata/citations.csv", index=False)
"""


def test_store_rules_let_coordinates_rounded_to_the_policy_be_published(scan):
    """probe25 min/04: coordinates rounded to location_decimals may be published (policy.yaml;
    DH563 agrees); a public, unlogged bucket without expiry holding them is no finding. More
    decimals, or a raw identifier beside them, still are."""
    rules = ["DH190", "DH390", "DH890", "DH990"]
    files = {"main.tf": OPEN_DATA_TF, "export.py": _open_data_export(3)}
    assert rule_ids(scan(files, select=rules)) == []
    files["export.py"] = _open_data_export(2)
    assert rule_ids(scan(files, select=rules)) == []
    files["export.py"] = _open_data_export(4)
    precise = scan(files, select=rules)
    assert rule_ids(precise) == [(rule, "export.py", 8) for rule in rules]
    assert "'latitude' (location, rounded to 4 decimals)" in precise.active[0].message
    # A city that allows fewer decimals: 3 are too many.
    files["export.py"] = _open_data_export(3)
    policy = {"location_decimals": 2}
    assert [f.rule_id for f in scan(files, select=rules, policy=policy).active] == rules
    # Only the raw plate is named beside rounded coordinates.
    files["export.py"] = _open_data_export(3, extra=', "plate"')
    result = scan(files, select=["DH890"])
    assert rule_ids(result) == [("DH890", "export.py", 8)]
    assert result.active[0].message.startswith("'plate' (direct) written to")


def test_store_rules_point_only_at_a_variable_the_code_reads_for_the_bucket(scan):
    """probe26 min/08: a bucket named by a constant in the code got a related location at an
    unrelated CronJob that sets SOURCE_BUCKET to the same name (it runs another program, and
    the code reads no such variable). A variable the code reads for the bucket, with the
    bucket as its default, still points at the workload that sets it."""
    tf = """\
resource "aws_s3_bucket" "open" {
  bucket = "kc311-prod-open-data"
  tags   = { "data-classification" = "public" }
}
"""
    constant = """\
import pandas as pd

OPEN_BUCKET = "kc311-prod-open-data"


def publish(path: str) -> None:
    df = pd.read_csv(path, usecols=["id", "reporter_phone"])
    df.to_csv(f"s3://{OPEN_BUCKET}/points.csv", index=False)
"""
    from_env = constant.replace(
        'OPEN_BUCKET = "kc311-prod-open-data"',
        'import os\n\nOPEN_BUCKET = os.environ.get("SOURCE_BUCKET", "kc311-prod-open-data")',
    )
    cron = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: open-data-push
  namespace: kc311
spec:
  schedule: "30 4 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: push
              image: x
              command: ["/bin/push-portal"]
              env:
                - name: SOURCE_BUCKET
                  value: "kc311-prod-open-data"
"""
    files = {"infra/main.tf": tf, "jobs/points.py": constant, "k8s/cron.yaml": cron}

    def related(result):
        return [
            (f.rule_id, f.location.start_line, [(r.location.path, r.label) for r in f.related])
            for f in result.active
        ]

    bucket = ("infra/main.tf", "Terraform aws_s3_bucket.open")
    assert related(scan(files, select=["DH890"])) == [("DH890", 8, [bucket])]
    files["jobs/points.py"] = from_env
    setter = ("k8s/cron.yaml", "CronJob/kc311/open-data-push sets SOURCE_BUCKET")
    assert related(scan(files, select=["DH890"])) == [("DH890", 10, [bucket, setter])]


def test_azure_sdk_writes_name_their_store_and_join_terraform(scan):
    """probe35 min/14: a Data Lake (Gen2) file's upload_data or append_data and a blob upload
    are writes to the container of the account the client names (its URL, a connection
    string's, a from_*_url), joined to that account's Terraform as an abfss:// write is; a
    frame's to_parquet() or to_csv() without a path writes no file: the upload of its bytes is
    the finding, on the store."""
    etl = """import pandas as pd
from azure.identity import DefaultAzureCredential
from azure.storage.blob import BlobServiceClient, ContainerClient
from azure.storage.filedatalake import DataLakeFileClient, DataLakeServiceClient

SQL = "SELECT device_id, vehicle_id FROM raw_trips"
ACCOUNT = "https://kcmobprodcurated.dfs.core.windows.net"


def via_datalake(conn):
    df = pd.read_sql(SQL, conn)
    svc = DataLakeServiceClient(ACCOUNT, credential=DefaultAzureCredential())
    fs = svc.get_file_system_client("curated")
    fs.get_file_client("exports/devices.csv").upload_data(df.to_csv(index=False), overwrite=True)
    fc = fs.get_directory_client("exports").create_file("devices.parquet")
    fc.append_data(df.to_parquet(), offset=0)
    fc.flush_data(100)
    DataLakeFileClient(ACCOUNT, "raw", "a.csv").upload_data(df[["vehicle_id"]].to_csv())


def via_blob(conn):
    df = pd.read_sql(SQL, conn)
    cc = ContainerClient.from_container_url("https://kcmobprodcurated.blob.core.windows.net/curated")
    cc.upload_blob("exports/devices3.parquet", df.to_parquet())
    data = df.to_parquet()
    svc = BlobServiceClient(account_url="https://kcmobprodcurated.blob.core.windows.net")
    svc.get_blob_client(container="curated", blob="x.parquet").upload_blob(data)
    svc.get_blob_client("curated", "y.csv").upload_blob(df[["vehicle_id"]].to_csv())
"""
    tf = """resource "azurerm_storage_account" "curated" {
  name                     = "kcmobprodcurated"
  resource_group_name      = "rg-mob"
  location                 = "centralus"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}
"""
    result = scan({"lake.py": etl, "main.tf": tf}, select=["DH560", "DH390"], collect_facts=True)
    assert not result.diagnostics
    found = [(f.rule_id, f.location.start_line) for f in result.active]
    assert found == [
        ("DH390", 14),
        ("DH560", 14),
        ("DH390", 16),
        ("DH560", 16),
        ("DH390", 18),  # the raw file system of the same account, Terraform's too
        ("DH560", 18),
        ("DH390", 24),
        ("DH560", 24),
        ("DH390", 27),
        ("DH560", 27),
        ("DH390", 28),
        ("DH560", 28),
    ]
    dh560 = {f.location.start_line: f.message for f in result.active if f.rule_id == "DH560"}
    dfs, blob = "kcmobprodcurated.dfs.core.windows.net", "kcmobprodcurated.blob.core.windows.net"
    assert f"written to object storage (curated@{dfs}) by azure.upload_data" in dh560[14]
    assert f"written to object storage (curated@{dfs}) by azure.append_data" in dh560[16]
    assert f"written to object storage (curated@{blob}) by azure.upload_blob" in dh560[24]
    assert not any("a file" in m for m in dh560.values())  # to_parquet() wrote none
    sinks = {s["loc"][1]: s["target"] for s in result.workspace.facts["python"][0]["sinks"]}
    assert sinks == {
        14: f"abfss://curated@{dfs}/exports/devices.csv",
        16: f"abfss://curated@{dfs}/exports/devices.parquet",
        18: f"abfss://raw@{dfs}/a.csv",
        24: f"wasbs://curated@{blob}/exports/devices3.parquet",
        27: f"wasbs://curated@{blob}/x.parquet",
        28: f"wasbs://curated@{blob}/y.csv",
    }


def test_dh690_a_dict_of_endpoints_from_the_environment_looped_or_read_by_a_parameter(scan):
    """probe35 min/06: URLS = {"veo": os.environ["MDS_VEO_URL"], ...} looped over or read by a
    parameter sends to whatever the deployment sets MDS_VEO_URL to, as URLS["veo"] does."""
    poller = """import os

import requests

URLS = {"veo": os.environ["MDS_VEO_URL"], "city": os.environ["MDS_CITY_URL"]}


def poll_all():
    for operator, url in URLS.items():
        requests.get(url, timeout=60)


def poll(op):
    requests.get(URLS[op], timeout=60)


def poll_values():
    for url in URLS.values():
        requests.get(url, timeout=60)
"""
    deploy = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingest
spec:
  template:
    spec:
      containers:
        - name: ingest
          image: kcmobility.azurecr.io/ingest:1
          command: ["python", "poller.py"]
          env:
            - name: MDS_VEO_URL
              value: "https://mds.veoride.example/kc/trips"
            - name: MDS_CITY_URL
              value: "https://mds.kcmo.gov/trips"
"""
    result = scan({"poller.py": poller, "k8s/deploy.yaml": deploy}, select=["DH690"])
    found = [
        (f.location.start_line, [(r.location.path, r.location.start_line) for r in f.related])
        for f in result.active
    ]
    setter = [("k8s/deploy.yaml", 14), ("k8s/deploy.yaml", 9)]
    assert found == [(10, setter), (14, setter), (19, setter)]
    assert all("to $MDS_VEO_URL" in f.message for f in result.active)


DYNAMO_TF = """\
resource "aws_dynamodb_table" "trips" {
  name     = "trips"
  hash_key = "trip_id"
  attribute {
    name = "trip_id"
    type = "S"
  }
  tags = {
    "data-classification" = "internal"
  }
}
resource "aws_dynamodb_table" "cases" {
  name     = "cases"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
  ttl {
    attribute_name = "ttl"
    enabled        = true
  }
}
resource "aws_s3_bucket" "trips" {
  bucket = "trips"
}
"""
DYNAMO_ETL = """\
import boto3
import pandas as pd


def main():
    trips = pd.read_csv("trips.csv", usecols=["email", "plate"])
    table = boto3.resource("dynamodb").Table("trips")
    with table.batch_writer() as batch:
        for row in trips.to_dict("records"):
            batch.put_item(Item={"email": row["email"], "plate": row["plate"]})
    client = boto3.client("dynamodb")
    for row in trips.to_dict("records"):
        client.put_item(TableName="cases", Item={"email": {"S": row["email"]}, "ttl": {"N": "1"}})
        client.put_item(TableName="trips", Item={"plate": {"S": row["plate"]}})
"""


def test_dynamodb_item_writes_are_joined_to_the_terraform_table(scan):
    # probe (h6/3): items with identifiers put into a DynamoDB table (a Table's batch_writer,
    # the client's put_item) were not joined to the aws_dynamodb_table: a table without ttl
    # (keeps every item) or tagged lower than the data passed. Now DH390 and DH890 judge it as
    # a bucket; a table with ttl enabled has the code's expiry; DH190 (always encrypted) and
    # DH990 (CloudTrail data events, not judged) do not apply. A bucket of the same name is
    # not the table.
    result = scan({"etl.py": DYNAMO_ETL, "main.tf": DYNAMO_TF}, select=list(CROSS))
    got = [(f.rule_id, f.location.start_line, f.anchor.split(":")[-1]) for f in result.active]
    assert got == [
        ("DH390", 10, "aws_dynamodb_table.trips"),
        ("DH890", 10, "aws_dynamodb_table.trips"),
        ("DH390", 14, "aws_dynamodb_table.trips"),
        ("DH890", 14, "aws_dynamodb_table.trips"),
    ]
    assert result.active[0].message == (
        "'email' (direct), 'plate' (direct) written to 'trips', whose Terraform definition "
        "aws_dynamodb_table.trips (main.tf) has no expiry within 365 days for 'personal' data "
        "(expiry: not set)"
    )
    assert [r.location.start_line for r in result.active[0].related] == [1]
    # An S3 write to a bucket named like the table is the bucket's only.
    etl = 'import pandas as pd\n\ndef main():\n    pd.read_csv("t.csv", usecols=["email"]).to_csv("s3://trips/x.csv")\n'
    result = scan({"etl.py": etl, "main.tf": DYNAMO_TF}, select=["DH390"])
    assert [f.anchor.split(":")[-1] for f in result.active] == ["aws_s3_bucket.trips"]


TTL_TF = """\
resource "aws_dynamodb_table" "scofflaw" {
  name     = "scofflaw"
  hash_key = "plate"
  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
  tags = { "data-classification" = "personal" }
}
"""
TTL_ETL = """\
import boto3

table = boto3.resource("dynamodb").Table("scofflaw")
client = boto3.client("dynamodb")


def load(rows, extra, key):
    for r in rows:
        table.put_item(Item={"plate": r["plate"], "owner_name": r["owner_name"]})
        with table.batch_writer() as batch:
            batch.put_item(Item={"plate": r["plate"], "amount_due": r["amount_due"]})
        client.put_item(TableName="scofflaw", Item={"plate": {"S": r["plate"]}})
        table.put_item(Item={"plate": r["plate"], "expires_at": r["due"] + 86400})
        table.put_item(Item={"plate": r["plate"], **extra})
        table.put_item(Item={"plate": r["plate"], key: r["due"]})
        item = {"plate": r["plate"]}
        table.put_item(Item=item)
"""


def test_dynamodb_items_put_without_the_tables_ttl_attribute(scan):
    """probe38 #14: a table whose ttl reads expires_at, and items put whole (every key of the
    dict literal known: a Table's put_item, its batch_writer's, the client's) without it:
    DynamoDB never expires them, and DH390 said nothing (a ttl was "the code's expiry"). Now
    each is reported, the ttl block a related location. Not: an item that has the attribute,
    a **spread or a key the analysis cannot name, a dict not written in the call; nor any put,
    once an update of the table (or of one the code does not name) sets the attribute or
    an expression the analysis cannot read."""
    result = scan({"etl.py": TTL_ETL, "main.tf": TTL_TF}, select=["DH390"])
    assert rule_ids(result) == [("DH390", "etl.py", line) for line in (9, 11, 12)]
    assert result.active[0].message == (
        "'plate' (direct), 'owner_name' (direct) written to 'scofflaw', whose Terraform "
        "definition aws_dynamodb_table.scofflaw (main.tf) has no expiry within 365 days for "
        "'personal' data (expiry: none for these items, which have no 'expires_at', its ttl "
        "attribute)"
    )
    related = [(r.location.start_line, r.label) for r in result.active[0].related]
    assert related == [
        (1, "Terraform aws_dynamodb_table.scofflaw"),
        (6, "ttl on 'expires_at' enabled here"),
    ]
    # An update that sets the attribute (SET, by an alias, AttributeUpdates), or may: none.
    update = 'table.update_item(Key={"plate": "x"}, '
    client = 'boto3.client("dynamodb").update_item(Key={"plate": {"S": "x"}}, '
    for call in (
        update + 'UpdateExpression="SET expires_at = :t")',
        update + 'UpdateExpression="SET #n = :v, #t = if_not_exists(#t, :t)", '
        'ExpressionAttributeNames={"#n": "n", "#t": "expires_at"})',
        update + 'AttributeUpdates={"expires_at": {"Value": 1}})',
        update + "UpdateExpression=EXPR)",
        client + 'TableName=NAME, UpdateExpression="SET expires_at = :t")',
    ):
        code = TTL_ETL + f"\n\ndef touch():\n    {call}\n"
        assert rule_ids(scan({"etl.py": code, "main.tf": TTL_TF}, select=["DH390"])) == [], call
    # One that sets other attributes only (or updates another table): still reported.
    for call in (
        update + 'UpdateExpression="SET amount = :a ADD n :one REMOVE expires_at")',
        client + 'TableName="other", UpdateExpression="SET expires_at = :t")',
    ):
        code = TTL_ETL + f"\n\ndef touch():\n    {call}\n"
        assert len(scan({"etl.py": code, "main.tf": TTL_TF}, select=["DH390"]).active) == 3, call
    # A ttl whose attribute the Terraform does not name: not judged.
    tf = TTL_TF.replace('"expires_at"', "var.ttl_attribute")
    assert rule_ids(scan({"etl.py": TTL_ETL, "main.tf": tf}, select=["DH390"])) == []


PARTNER = """\
import os

import pandas as pd
import requests

PARTNER_URL = os.environ.get("PARTNER_URL", "https://partner.example.com")


def main():
    reads = pd.read_csv("reads.csv", usecols=["plate", "camera_id", "read_at"])
    requests.post(PARTNER_URL, json=reads.to_dict(orient="records"))
"""
PARTNER_JOB = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: partner-sync}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: sync
              image: city/etl:1
              command: ["python", "etl.py"]
              env:
                - {name: PARTNER_URL, value: "https://partner.example.com/api"}
"""


def test_a_default_that_a_deployment_sets_to_the_same_host_is_one_finding(scan):
    """probe35: the code defaults PARTNER_URL to an unapproved host and a deployment sets it
    to that host: DH660 (the default) and DH690 (the deployment) reported one send twice. Where
    deployed, the deployment's value is what runs: DH690, the default a related location."""
    files = {"etl.py": PARTNER, "k8s/job.yaml": PARTNER_JOB}
    result = scan(files, select=["DH660", "DH690"])
    assert rule_ids(result) == [("DH690", "etl.py", 11)]
    assert [(r.location.path, r.location.start_line, r.label) for r in result.active[0].related][
        -1
    ] == ("etl.py", 6, "the code's default is 'partner.example.com' too")
    # DH660 alone (no cross rule): the default, as before
    assert rule_ids(scan(files, select=["DH660"])) == [("DH660", "etl.py", 11)]
    # A deployment that sets another unapproved host: two hosts, two findings (the default
    # still runs wherever the variable is not set).
    other = PARTNER_JOB.replace("partner.example.com", "broker.example.net")
    result = scan({**files, "k8s/job.yaml": other}, select=["DH660", "DH690"])
    assert rule_ids(result) == [("DH660", "etl.py", 11), ("DH690", "etl.py", 11)]
    assert "'broker.example.net'" in result.active[1].message
    assert all("the code's default" not in r.label for r in result.active[1].related)
    # A deployment that sets an approved host: the default alone is reported.
    policy = {"approved_vendors": ["broker.example.net"]}
    result = scan({**files, "k8s/job.yaml": other}, policy=policy, select=["DH660", "DH690"])
    assert rule_ids(result) == [("DH660", "etl.py", 11)]


def test_streams_and_tables_named_by_a_deployments_variable_join_like_buckets(
    scan, make_repo, monkeypatch, capsys
):
    """s30 h4 #3: a Lambda whose Terraform sets STREAM = aws_kinesis_stream.events.name runs
    kinesis.put_record(StreamName=os.environ["STREAM"]): the put was a vendor "(unresolved
    endpoint)" and no cross rule judged the stream, while the same read for a bucket joined.
    Streams (Kinesis, Firehose: by name or ARN) and DynamoDB tables (TableName=, and a Table
    made of the variable) now join through the deployment's value as buckets do; a variable
    no deployment sets stays unjoined."""
    tf = """variable "env" {
  type    = string
  default = "prod"
}
resource "aws_kinesis_stream" "events" {
  name        = "alpr-reads-${var.env}"
  shard_count = 1
  tags        = { "data-classification" = "personal" }
}
resource "aws_kinesis_firehose_delivery_stream" "archive" {
  name        = "alpr-archive"
  destination = "extended_s3"
  extended_s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = "arn:aws:s3:::kc-alpr-archive"
  }
}
resource "aws_dynamodb_table" "trips" {
  name         = "alpr-trips-${var.env}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "read_id"
  attribute {
    name = "read_id"
    type = "S"
  }
  tags = { "data-classification" = "personal" }
}
resource "aws_lambda_function" "ingest" {
  function_name = "alpr-ingest"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "../src/handler.zip"
  environment {
    variables = {
      STREAM     = aws_kinesis_stream.events.name
      STREAM_ARN = "arn:aws:kinesis:us-east-2:123456789012:stream/${aws_kinesis_stream.events.name}"
      FIREHOSE   = aws_kinesis_firehose_delivery_stream.archive.name
      TABLE      = aws_dynamodb_table.trips.name
    }
  }
}
"""
    code = """import os
import boto3
kinesis = boto3.client("kinesis")
firehose = boto3.client("firehose")
trips = boto3.resource("dynamodb").Table(os.environ["TABLE"])
def handle(event, context):
    for r in event["reads"]:
        plate = r["plate"]
        kinesis.put_record(StreamName=os.environ["STREAM"], Data=plate, PartitionKey="k")
        kinesis.put_record(StreamARN=os.environ["STREAM_ARN"], Data=plate, PartitionKey="k")
        firehose.put_record(DeliveryStreamName=os.environ["FIREHOSE"], Record={"Data": plate})
        trips.put_item(Item={"read_id": r["id"], "plate": plate})
        boto3.client("dynamodb").put_item(TableName=os.environ["TABLE"], Item={"plate": plate})
        kinesis.put_record(StreamName=os.environ["OTHER"], Data=plate, PartitionKey="k")
"""
    files = {"infra/main.tf": tf, "src/handler.py": code}
    result = scan(files, select=["DH190", "DH390"])
    got = sorted((f.rule_id, f.location.start_line) for f in result.active)
    assert got == [("DH190", 9), ("DH190", 10), ("DH190", 11), ("DH390", 12), ("DH390", 13)]
    by_line = {f.location.start_line: f for f in result.active}
    assert "'kinesis://alpr-reads-prod'" in by_line[9].message
    assert "'kinesis://alpr-reads-prod'" in by_line[10].message
    assert "aws_kinesis_firehose_delivery_stream.archive" in by_line[11].message
    assert "'alpr-trips-prod'" in by_line[12].message
    labels = [r.label for r in by_line[12].related]
    assert "aws_lambda_function.ingest sets TABLE" in labels
    # the inventory: stores, not a vendor (the variable no deployment sets stays a vendor)
    monkeypatch.chdir(make_repo(files))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    stores = {s["id"]: s["terraform"]["address"] for s in doc["stores"]}
    assert stores == {
        "dynamodb://alpr-trips-prod": "aws_dynamodb_table.trips",
        "firehose://alpr-archive": "aws_kinesis_firehose_delivery_stream.archive",
        "kinesis://alpr-reads-prod": "aws_kinesis_stream.events",
    }
    assert [v["sends"] for v in doc["vendors"]] == [
        [{"path": "src/handler.py", "line": 14, "columns": ["plate"]}]
    ]


def test_sns_topics_named_in_the_code_or_by_a_deployments_variable_join_like_streams(
    scan, make_repo, monkeypatch, capsys
):
    """h5/3: sns.publish(TopicArn=os.environ["ALERTS_TOPIC"], Message=...) in a Lambda whose
    Terraform sets ALERTS_TOPIC = aws_sns_topic.alerts.arn was a vendor "(unresolved
    endpoint)" in the inventory, and no cross rule judged the topic (DH110 reports it
    unencrypted). An SNS topic is now a store joined as a Kinesis stream is: by the ARN
    written in the code or set as a literal, by the name in it, and by the topic's address
    when the variable is set to its arn (known only at apply). A variable that is only a part
    of the ARN (a region), an endpoint's ARN and a topic elsewhere stay unjoined."""
    tf = """resource "aws_sns_topic" "alerts" {
  name = "kc-alerts"
  tags = { "data-classification" = "personal" }
}
resource "aws_sns_topic" "cases" {
  name              = "kc-cases"
  kms_master_key_id = "alias/aws/sns"
}
resource "aws_sns_topic" "anon" {
  name_prefix = "kc-anon-"
}
resource "aws_lambda_function" "notify" {
  function_name = "kc-notify"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.12"
  handler       = "handler.handle"
  filename      = "../src/handler.zip"
  environment {
    variables = {
      ALERTS_TOPIC = aws_sns_topic.alerts.arn
      CASES_TOPIC  = "arn:aws:sns:us-east-2:123456789012:kc-cases"
      ANON_TOPIC   = aws_sns_topic.anon.id
      REGION       = "us-east-2"
    }
  }
}
"""
    code = """import os
import boto3
sns = boto3.client("sns")
ALERTS = "arn:aws:sns:us-east-2:123456789012:kc-alerts"
def handle(event, context):
    for r in event["reads"]:
        email = r["email"]
        sns.publish(TopicArn=os.environ["ALERTS_TOPIC"], Message=email)
        sns.publish(TopicArn=ALERTS, Message=email)
        sns.publish(TopicArn=os.environ["CASES_TOPIC"], Message=email)
        sns.publish(TopicArn=os.environ["ANON_TOPIC"], Message=email)
        sns.publish(TopicArn=f"arn:aws:sns:{os.environ['REGION']}:1:other", Message=email)
        sns.publish(TargetArn="arn:aws:sns:us-east-2:1:endpoint/GCM/app/1", Message=email)
"""
    files = {"infra/main.tf": tf, "src/handler.py": code}
    result = scan(files, select=["DH190", "DH390", "DH890", "DH990"])
    got = sorted((f.rule_id, f.location.start_line) for f in result.active)
    assert got == [("DH190", 8), ("DH190", 9), ("DH190", 11)]
    by_line = {f.location.start_line: f for f in result.active}
    assert "'sns://kc-alerts'" in by_line[8].message
    assert "aws_sns_topic.alerts" in by_line[8].message
    assert "'sns://kc-alerts'" in by_line[9].message
    assert "'sns://{aws_sns_topic.anon}'" in by_line[11].message
    # the inventory: the topics are stores; the publishes to no known topic stay vendors
    monkeypatch.chdir(make_repo(files))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    stores = {
        s["id"]: (s["terraform"]["address"], s["safeguards"]["encryption"]) for s in doc["stores"]
    }
    assert stores == {
        "sns://kc-alerts": ("aws_sns_topic.alerts", "missing"),
        "sns://kc-cases": ("aws_sns_topic.cases", "set"),
        "sns://{aws_sns_topic.anon}": ("aws_sns_topic.anon", "missing"),
    }
    assert [[s["line"] for s in v["sends"]] for v in doc["vendors"]] == [[12, 13]]


def test_an_azure_account_url_from_a_deployments_variable_joins_the_storage_account(
    scan, make_repo, monkeypatch, capsys
):
    """h5/4: BlobServiceClient(account_url=os.environ["STORAGE_URL"]) (or
    from_connection_string(os.environ[...])) in a function app whose Terraform app_settings
    set the variable from azurerm_storage_account.lake.primary_blob_endpoint (or its
    connection string) was a write to 'abfs://exports' with no Terraform: the account was not
    known, so no cross rule judged it. The account is now the one the deployment's value
    names: an endpoint or connection string written literally (by its name), or an
    attribute of an azurerm_storage_account known only at apply (by its address). A value
    naming an account the Terraform does not define stays unjoined."""
    tf = """resource "azurerm_storage_account" "lake" {
  name                     = "kclake"
  resource_group_name      = "kc"
  location                 = "centralus"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags = { "data-classification" = "internal" }
}
resource "azurerm_linux_function_app" "export" {
  name                 = "kc-export"
  resource_group_name  = "kc"
  location             = "centralus"
  service_plan_id      = "x"
  storage_account_name = "kcfn"
  https_only           = true
  site_config {}
  app_settings = {
    STORAGE_URL  = azurerm_storage_account.lake.primary_blob_endpoint
    STORAGE_CONN = azurerm_storage_account.lake.primary_connection_string
    LAKE_URL     = "https://kclake.blob.core.windows.net/"
    LAKE_CONN    = "DefaultEndpointsProtocol=https;AccountName=kclake"
    OTHER_URL    = "https://kcother.blob.core.windows.net"
  }
}
"""
    code = """import os
from azure.storage.blob import BlobServiceClient

service = BlobServiceClient(account_url=os.environ["STORAGE_URL"])
conn = BlobServiceClient.from_connection_string(os.environ["STORAGE_CONN"])
lake = BlobServiceClient(os.environ["LAKE_URL"])
lake_conn = BlobServiceClient.from_connection_string(conn_str=os.environ["LAKE_CONN"])
other = BlobServiceClient(account_url=os.environ["OTHER_URL"])


def export(rows):
    for r in rows:
        service.get_container_client("exports").upload_blob("x.csv", r["email"])
        conn.get_blob_client("exports", "y.csv").upload_blob(r["phone"])
        lake.get_container_client("exports").upload_blob("z.csv", r["email"])
        lake_conn.get_container_client("exports").upload_blob("w.csv", r["email"])
        other.get_container_client("exports").upload_blob("v.csv", r["email"])
"""
    files = {"infra/main.tf": tf, "src/function_app.py": code}
    result = scan(files, select=["DH890"])
    got = sorted((f.rule_id, f.location.start_line) for f in result.active)
    assert got == [("DH890", 13), ("DH890", 14), ("DH890", 15), ("DH890", 16)]
    by_line = {f.location.start_line: f for f in result.active}
    assert "'abfs://exports@kclake'" in by_line[13].message
    assert "azurerm_storage_account.lake" in by_line[13].message
    labels = [r.label for r in by_line[14].related]
    assert "azurerm_linux_function_app.export sets STORAGE_CONN" in labels
    monkeypatch.chdir(make_repo(files))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    stores = {
        s["id"]: (s["terraform"] or {}).get("address") and [w["line"] for w in s["writes"]]
        for s in doc["stores"]
    }
    assert stores == {"abfs://exports@kclake": [13, 14, 15, 16], "abfs://exports@kcother": None}


BIGQUERY_TF = """\
resource "google_bigquery_dataset" "share" {
  dataset_id                  = "mobility_share"
  default_table_expiration_ms = 7776000000
  labels                      = { data-classification = "personal" }
  default_encryption_configuration {
    kms_key_name = "projects/p/locations/us/keyRings/r/cryptoKeys/k"
  }
}
resource "google_bigquery_dataset_iam_member" "adtech" {
  dataset_id = google_bigquery_dataset.share.dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = "group:analysts@adtech.example"
}
resource "google_bigquery_dataset" "scratch" {
  project    = "kc-analytics"
  dataset_id = "scratch"
  labels     = { data-classification = "internal" }
}
"""
BIGQUERY_ETL = """\
import os

import pandas as pd
from google.cloud import bigquery

client = bigquery.Client()
DATASET = os.environ["BQ_DATASET"]


def share(path):
    df = pd.read_csv(path)
    client.load_table_from_dataframe(df[["license_plate", "vin"]], "proj.mobility_share.trips")
    client.insert_rows_json("scratch.plates", [{"plate": p} for p in df["license_plate"]])
    client.insert_rows_json("other-proj.scratch.plates", [{"plate": p} for p in df["plate"]])
    client.load_table_from_dataframe(df[["email"]], f"{DATASET}.contacts")
    client.insert_rows_json(os.environ["TABLE"], [{"plate": p} for p in df["license_plate"]])
"""
BIGQUERY_JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: share}
spec:
  template:
    spec:
      containers:
        - name: share
          image: gcr.io/p/share:1
          command: [python, etl.py]
          env:
            - {name: BQ_DATASET, value: kc-analytics.scratch}
            - {name: TABLE, value: "mobility_share.raw"}
"""


def test_bigquery_writes_are_joined_to_the_terraform_dataset(scan):
    """probe42 #6 (min/06): rows a BigQuery client loads or inserts into "proj.ds.table" were a
    "database" in the inventory, never joined to the google_bigquery_dataset (class, expiry,
    key, grants: a DH603 grant to an ad-tech group). The table id's dataset is joined as a
    bucket's name is, from a literal or a variable a deployment sets (the whole id, or the
    part an f-string leaves out); a project written on both sides must agree. DH390 and DH890
    judge the dataset (DH190 and DH990 do not apply: BigQuery always encrypts, and its audit
    logs are not the dataset's)."""
    from dhlint.inventory import report

    files = {"etl.py": BIGQUERY_ETL, "main.tf": BIGQUERY_TF, "job.yaml": BIGQUERY_JOB}
    result = scan(files, select=list(CROSS))
    got = [(f.rule_id, f.location.start_line, f.anchor.split(":")[-1]) for f in result.active]
    # line 13: "scratch.plates" (no project: the dataset of that name); line 14: another
    # project's dataset; line 15: kc-analytics.scratch from BQ_DATASET; line 16: the whole id
    # from TABLE, the 90-day personal dataset (nothing to report)
    assert got == [
        ("DH390", 13, "google_bigquery_dataset.scratch"),
        ("DH890", 13, "google_bigquery_dataset.scratch"),
        ("DH390", 15, "google_bigquery_dataset.scratch"),
        ("DH890", 15, "google_bigquery_dataset.scratch"),
    ]
    assert result.active[0].message == (
        "'plate' (direct) written to 'scratch.plates', whose Terraform definition "
        "google_bigquery_dataset.scratch (main.tf) has no expiry within 365 days for 'personal' "
        "data (expiry: not set)"
    )
    assert "written to 'kc-analytics.scratch.contacts'" in result.active[2].message
    assert [r.label for r in result.active[2].related] == [
        "Terraform google_bigquery_dataset.scratch",
        "Job/default/share runs etl.py",
        "Job/default/share sets BQ_DATASET",
    ]
    doc = report.build(scan(files, collect_facts=True))
    stores_by_id = {s["id"]: s for s in doc["stores"]}
    assert sorted(stores_by_id) == [
        "bigquery://mobility_share",
        "bigquery://other-proj.scratch",  # another project's dataset of that name
        "bigquery://scratch",
    ]
    assert stores_by_id["bigquery://other-proj.scratch"]["terraform"] is None
    share = stores_by_id["bigquery://mobility_share"]
    assert share["terraform"]["address"] == "google_bigquery_dataset.share"
    assert share["safeguards"] == {
        "encryption": "set",
        "encryption_algorithms": ["customer-key"],
        "customer_key": True,
        "retention": "set",
        "retention_days": 90,
        "access_logging": "unknown",
        "classification": "personal",
    }
    assert [w["line"] for w in share["writes"]] == [12, 16]
    assert "DH603 main.tf:12" in share["findings"]  # the grant to the ad-tech group
    scratch = stores_by_id["bigquery://scratch"]
    assert scratch["safeguards"]["retention"] == "missing"
    assert [w["line"] for w in scratch["writes"]] == [13, 15]


def test_sqs_queues_named_by_url_join_like_topics_and_other_queues_are_their_accounts(
    scan, make_repo, monkeypatch, capsys
):
    """probe43 P7: sqs.send_message(QueueUrl="https://sqs.us-east-1.amazonaws.com/<account>/
    em-evac-dispatch", ...) was a vendor "(unresolved endpoint)", approval unknown, and no
    cross rule judged the queue (DH109 reports it unencrypted). A send now joins the
    aws_sqs_queue its URL names (written in the code, set as a literal by a deployment, or
    the queue's url known only at apply, joined by address), and DH190 judges it; a queue
    no Terraform defines stays an endpoint, shown by the URL's host, whose owner the URL's
    account says (the account the provider is pinned to: the city's own)."""
    tf = """provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}
resource "aws_sqs_queue" "dispatch" {
  name                    = "em-evac-dispatch"
  sqs_managed_sse_enabled = false
}
resource "aws_sqs_queue" "keyed" {
  name              = "em-keyed"
  kms_master_key_id = "alias/aws/sqs"
}
resource "aws_sqs_queue" "plain" {
  name_prefix             = "em-plain-"
  sqs_managed_sse_enabled = false
}
resource "aws_lambda_function" "pickup" {
  function_name = "em-pickup"
  role          = "arn:aws:iam::111122223333:role/lambda"
  runtime       = "python3.12"
  handler       = "d.handle"
  filename      = "../src/d.zip"
  environment {
    variables = {
      DISPATCH_URL = "https://sqs.us-east-1.amazonaws.com/111122223333/em-evac-dispatch"
      PLAIN_URL    = aws_sqs_queue.plain.url
    }
  }
}
"""
    code = """import json
import os
import boto3
sqs = boto3.client("sqs")
QUEUE = "https://sqs.us-east-1.amazonaws.com/111122223333/em-evac-dispatch"
ACCOUNT = "https://sqs.us-east-1.amazonaws.com/111122223333/"
def handle(reg, context):
    body = json.dumps({"email": reg["email"]})
    sqs.send_message(QueueUrl=QUEUE, MessageBody=body)
    sqs.send_message(QueueUrl=os.environ["DISPATCH_URL"], MessageBody=body)
    sqs.send_message(QueueUrl=os.environ["PLAIN_URL"], MessageBody=body)
    sqs.send_message(QueueUrl=ACCOUNT + "em-keyed", MessageBody=body)
    sqs.send_message(QueueUrl=ACCOUNT + "elsewhere", MessageBody=body)
"""
    files = {"infra/main.tf": tf, "src/d.py": code}
    result = scan(files, select=["DH190", "DH390", "DH890", "DH990"])
    got = sorted((f.rule_id, f.location.start_line) for f in result.active)
    assert got == [("DH190", 9), ("DH190", 10), ("DH190", 11)]
    by_line = {f.location.start_line: f for f in result.active}
    assert "'sqs://em-evac-dispatch'" in by_line[9].message
    assert "aws_sqs_queue.dispatch" in by_line[10].message
    assert "'sqs://{aws_sqs_queue.plain}'" in by_line[11].message
    monkeypatch.chdir(make_repo(files))
    assert main(["inventory", "--no-cache", "-f", "json", "."]) == 0
    doc = json.loads(capsys.readouterr().out)
    stores = {
        s["id"]: (s["terraform"]["address"], s["safeguards"]["encryption"]) for s in doc["stores"]
    }
    assert stores == {
        "sqs://em-evac-dispatch@111122223333": ("aws_sqs_queue.dispatch", "missing"),
        "sqs://em-keyed@111122223333": ("aws_sqs_queue.keyed", "set"),
        "sqs://{aws_sqs_queue.plain}": ("aws_sqs_queue.plain", "missing"),
    }
    [vendor] = doc["vendors"]
    assert [s["line"] for s in vendor["sends"]] == [13]
    assert vendor["host"] == "sqs.us-east-1.amazonaws.com/111122223333"
    assert vendor["own"]["address"] == "provider.aws"
