"""Environment variables read into variables, constants, f-strings and ``urljoin`` before the
call: the same DH690 finding as the inline form; buckets named through the environment match
the Terraform bucket; storage reads appear in the inventory, linked to their store."""

from __future__ import annotations

import pytest

from dhlint.inventory import report

CROSS = ("DH190", "DH390", "DH690", "DH890", "DH990")

DEPLOY = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: alpr
  namespace: police
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: pipeline
              image: registry.kcmo.gov/police/alpr:1.0.0
              command: ["python", "etl/job.py"]
              env:
                - name: VENDOR_ENDPOINT
                  value: "https://ingest.plate-analytics.example/v2"
                - name: RAW_BUCKET
                  value: kc-alpr-raw
                - name: IN_URI
                  value: "s3://kc-alpr-in/daily/"
"""
DEPLOY_VENDOR_LINE = 19  # the value of VENDOR_ENDPOINT
DEPLOY_BUCKET_LINE = 21  # the value of RAW_BUCKET
DEPLOY_CONTAINER_LINE = 14

MAIN_TF = """\
resource "aws_s3_bucket" "raw" {
  bucket = "kc-alpr-raw"
  tags = {
    data-classification = "personal"
  }
}

resource "aws_s3_bucket" "incoming" {
  bucket = "kc-alpr-in"
}
"""

# Lines 1-6: imports; 7: a module constant (or blank); the sink is always on line 12.
HEADER = """\
import os
from os import environ
from urllib.parse import urljoin

import pandas as pd
import requests
"""

VENDOR_FORMS = {
    "inline": ("", "", 'os.environ["VENDOR_ENDPOINT"]'),
    "variable-getenv": ("", 'url = os.getenv("VENDOR_ENDPOINT")', "url"),
    "variable-subscript": ("", 'url = os.environ["VENDOR_ENDPOINT"]', "url"),
    "from-os-environ": ("", 'url = environ.get("VENDOR_ENDPOINT")', "url"),
    "default": ("", 'url = os.environ.get("VENDOR_ENDPOINT", "https://x.kcmo.gov/in")', "url"),
    "or-default": ("", 'url = os.getenv("VENDOR_ENDPOINT") or "https://x.kcmo.gov"', "url"),
    "module-constant": ('VENDOR = os.environ["VENDOR_ENDPOINT"]', "", "VENDOR"),
    "f-string": ('BASE = os.getenv("VENDOR_ENDPOINT")', 'url = f"{BASE}/reads"', "url"),
    "concatenation": ("", 'url = os.environ["VENDOR_ENDPOINT"] + "/reads"', "url"),
    "urljoin": ("", 'url = urljoin(os.environ["VENDOR_ENDPOINT"], "reads")', "url"),
    "format": ("", 'url = "{}/reads".format(os.environ["VENDOR_ENDPOINT"])', "url"),
}
SINK_LINE = 12


def _vendor_etl(constant: str, assign: str, expr: str) -> str:
    return (
        HEADER
        + f"{constant}\n\n"
        + "def main():\n"
        + '    df = pd.read_csv("reads.csv", usecols=["plate", "camera_id"])\n'
        + f"    {assign or 'pass'}\n"
        + f"    requests.post({expr}, json=df.to_dict(orient='records'), timeout=30)\n"
    )


def _findings(result) -> set[tuple]:
    return {
        (
            f.rule_id,
            f.location.path,
            f.location.start_line,
            tuple((r.location.path, r.location.start_line) for r in f.related),
        )
        for f in result.active
    }


@pytest.mark.parametrize("form", sorted(VENDOR_FORMS))
def test_dh690_same_finding_for_every_env_form(scan, form):
    etl = _vendor_etl(*VENDOR_FORMS[form])
    assert etl.splitlines()[SINK_LINE - 1].lstrip().startswith("requests.post(")
    result = scan({"etl/job.py": etl, "k8s/deploy.yaml": DEPLOY}, select=["DH690"], jobs=1)
    assert not result.diagnostics
    assert _findings(result) == {
        (
            "DH690",
            "etl/job.py",
            SINK_LINE,
            (("k8s/deploy.yaml", DEPLOY_VENDOR_LINE), ("k8s/deploy.yaml", DEPLOY_CONTAINER_LINE)),
        )
    }
    (finding,) = result.active
    assert "ingest.plate-analytics.example" in finding.message


def test_dh690_silent_when_the_manifest_sets_an_approved_host(scan):
    etl = _vendor_etl(*VENDOR_FORMS["variable-getenv"])
    deploy = DEPLOY.replace(
        "https://ingest.plate-analytics.example/v2", "https://api.city-approved-vendor.example/v1"
    )
    result = scan({"etl/job.py": etl, "k8s/deploy.yaml": deploy}, select=["DH690"], jobs=1)
    assert not result.diagnostics
    assert result.active == []


def test_unrelated_env_variable_does_not_link_to_the_sink(scan):
    # The variable is read, but the URL sent to is a literal: no DH690 from VENDOR_ENDPOINT.
    etl = (
        HEADER + "\n\n\ndef main():\n"
        '    df = pd.read_csv("reads.csv", usecols=["plate"])\n'
        '    token = os.environ["VENDOR_ENDPOINT"]\n'
        '    requests.post("https://api.city-approved-vendor.example/x", json=df.to_dict(),'
        ' headers={"X": token})\n'
    )
    result = scan({"etl/job.py": etl, "k8s/deploy.yaml": DEPLOY}, select=["DH690"], jobs=1)
    assert result.active == []


BUCKET_FORMS = {
    "f-string": 'df.to_parquet(f"s3://{bucket}/reads.parquet")',
    "upload_file": (
        'df.to_csv("/tmp/reads.csv")\n    boto3.client("s3").upload_file("/tmp/reads.csv", bucket,'
        ' "reads.csv")'
    ),
    "put_object": 'boto3.client("s3").put_object(Bucket=bucket, Key="r.csv", Body=df.to_csv())',
}


@pytest.mark.parametrize("form", sorted(BUCKET_FORMS))
def test_bucket_from_env_matches_the_terraform_bucket(scan, form):
    etl = (
        "import os\n\nimport boto3\nimport pandas as pd\n\n\ndef main():\n"
        '    df = pd.read_csv("reads.csv", usecols=["plate", "camera_id"])\n'
        '    bucket = os.environ["RAW_BUCKET"]\n'
        f"    {BUCKET_FORMS[form]}\n"
    )
    line = len(etl.splitlines())
    result = scan(
        {"etl/job.py": etl, "k8s/deploy.yaml": DEPLOY, "infra/main.tf": MAIN_TF},
        select=CROSS,
        jobs=1,
    )
    assert not result.diagnostics
    related = (
        ("infra/main.tf", 1),
        ("k8s/deploy.yaml", DEPLOY_CONTAINER_LINE),
        ("k8s/deploy.yaml", DEPLOY_BUCKET_LINE),
    )
    # Tagged "personal", no encryption, no expiry, no logging: DH190, DH390, DH990.
    assert _findings(result) == {
        ("DH190", "etl/job.py", line, related),
        ("DH390", "etl/job.py", line, related),
        ("DH990", "etl/job.py", line, related),
    }
    finding = next(f for f in result.active if f.rule_id == "DH190")
    assert "kc-alpr-raw" in finding.message


def test_bucket_from_env_without_manifest_is_not_matched(scan):
    etl = (
        "import os\n\nimport pandas as pd\n\n\ndef main():\n"
        '    df = pd.read_csv("reads.csv", usecols=["plate"])\n'
        "    df.to_parquet(f\"s3://{os.environ['RAW_BUCKET']}/reads.parquet\")\n"
    )
    result = scan({"etl/job.py": etl, "infra/main.tf": MAIN_TF}, select=CROSS, jobs=1)
    assert not result.diagnostics
    assert result.active == []


READS_ETL = """\
import os

import boto3
import pandas as pd
from pyspark.sql import SparkSession

BUCKET = os.environ["RAW_BUCKET"]


def main():
    spark = SparkSession.builder.getOrCreate()
    reads = pd.read_csv("s3://kc-alpr-in/daily/reads.csv", usecols=["plate", "camera_id"])
    events = spark.read.parquet(os.environ["IN_URI"])
    boto3.client("s3").download_file(BUCKET, "lookup.csv", "/tmp/lookup.csv")
    obj = boto3.client("s3").get_object(Bucket="kc-unknown-bucket", Key="x")
    reads.to_parquet(f"s3://{BUCKET}/reads.parquet")
    events.write.parquet("s3a://kc-alpr-raw/events/")
"""


def test_storage_reads_are_linked_to_their_stores(scan):
    result = scan(
        {"etl/job.py": READS_ETL, "k8s/deploy.yaml": DEPLOY, "infra/main.tf": MAIN_TF},
        select=CROSS,
        jobs=1,
        collect_facts=True,
    )
    assert not result.diagnostics
    (facts,) = result.workspace.facts["python"]
    assert [(r["api"], r["loc"][1], r["target"], r["host"], r["env"]) for r in facts["reads"]] == [
        ("pd.read_csv", 12, "s3://kc-alpr-in/daily/reads.csv", "kc-alpr-in", []),
        ("spark.read.parquet", 13, None, None, ["IN_URI"]),
        ("s3.download_file", 14, None, None, ["RAW_BUCKET"]),
        ("s3.get_object", 15, None, "kc-unknown-bucket", []),
    ]
    doc = report.build(result)
    stores = {s["id"]: s for s in doc["stores"]}
    assert sorted(stores) == ["s3://kc-alpr-in", "s3://kc-alpr-raw", "s3://kc-unknown-bucket"]
    incoming = stores["s3://kc-alpr-in"]
    assert incoming["terraform"]["address"] == "aws_s3_bucket.incoming"
    assert incoming["reads"] == [
        {"path": "etl/job.py", "line": 12, "api": "pd.read_csv"},
        {"path": "etl/job.py", "line": 13, "api": "spark.read.parquet"},
    ]
    raw = stores["s3://kc-alpr-raw"]
    assert raw["terraform"]["address"] == "aws_s3_bucket.raw"
    assert raw["reads"] == [{"path": "etl/job.py", "line": 14, "api": "s3.download_file"}]
    # Line 17 writes Spark rows whose columns are not visible: no identifiers, no entry.
    assert raw["writes"] == [{"path": "etl/job.py", "line": 16, "columns": ["plate"]}]
    assert stores["s3://kc-unknown-bucket"]["terraform"] is None
    # The identifier categories say where their data is read from.
    (direct,) = [c for c in doc["categories"] if c["category"] == "direct"]
    assert [(r["line"], r.get("store")) for r in direct["reads"]] == [(12, "s3://kc-alpr-in")]
    text = report.render_markdown(doc)
    assert "from s3://kc-alpr-in" in text
    assert "- `s3://kc-alpr-raw` read at `etl/job.py:14` (s3.download_file)" in text


def test_env_facts_keep_the_variable_and_its_default(scan):
    etl = _vendor_etl(*VENDOR_FORMS["default"])
    result = scan({"etl/job.py": etl}, select=["DH690"], jobs=1, collect_facts=True)
    (facts,) = result.workspace.facts["python"]
    assert facts["env_vars"] == [
        {
            "name": "VENDOR_ENDPOINT",
            "loc": ["etl/job.py", 11, 11, 11, 69],
            "default": "https://x.kcmo.gov/in",
        }
    ]
    (sink,) = [s for s in facts["sinks"] if s["kind"] == "network"]
    assert sink["env"] == ["VENDOR_ENDPOINT"]
    assert [(r["name"], r["loc"][1], r["default"]) for r in facts["env_reads"]] == [
        ("VENDOR_ENDPOINT", SINK_LINE, "https://x.kcmo.gov/in")
    ]


GENERATED_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: push
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: push
          image: registry.kcmo.gov/push:1
          command: ["python", "jobs/push.py"]
          envFrom:
            - configMapRef:
                name: push-config
"""
GENERATED_KUSTOMIZATION = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: police
resources:
  - job.yaml
configMapGenerator:
  - name: push-config
    envs:
      - push.env
"""
GENERATED_PUSH = """\
import os

import pandas as pd
import requests


def handler(event, context):
    reads = pd.read_csv("reads.csv", usecols=["plate", "camera_id", "read_at"])
    requests.post(os.environ["VENDOR_URL"], json=reads.to_dict(orient="records"))
"""


def test_a_variable_from_a_generated_configmaps_env_file_is_located_on_its_line(scan):
    # configMapGenerator envs: [push.env]: the Job's envFrom takes VENDOR_URL from the file
    # (before, only literals were read: no DH690); "sets" points at the line in push.env.
    files = {
        "jobs/push.py": GENERATED_PUSH,
        "k8s/job.yaml": GENERATED_JOB,
        "k8s/kustomization.yaml": GENERATED_KUSTOMIZATION,
        "k8s/push.env": "# vendor\nLOG_LEVEL=info\nVENDOR_URL=https://ingest.vendor.example/v1\n",
    }
    result = scan(files, select=["DH690"])
    (finding,) = result.active
    assert (finding.location.path, finding.location.start_line) == ("jobs/push.py", 9)
    assert [
        (r.location.path, r.location.start_line, r.location.start_col, r.label)
        for r in finding.related
    ] == [
        ("k8s/push.env", 3, 12, "Job/police/push sets VENDOR_URL"),
        ("k8s/job.yaml", 10, 11, "Job/police/push runs jobs/push.py"),
    ]
    # An approved host in the file: nothing.
    files["k8s/push.env"] = "VENDOR_URL=https://api.city-approved-vendor.example/v1\n"
    assert scan(files, select=["DH690"]).active == []
