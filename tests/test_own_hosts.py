"""The city's own hosts: a host that names a cloud resource the run's Terraform defines is not a
vendor for DH640, DH660 and DH690, and the inventory shows it as the city's own."""

from __future__ import annotations

import json

import pytest

from dhlint.engine import CheckOptions, run_check
from dhlint.inventory import report
from tests.conftest import rule_ids

TF = """\
variable "prefix" {}

variable "env" {
  default = "prod"
}

locals {
  account = "kcparking${var.env}"
}

resource "azurerm_storage_account" "parking" {
  name = local.account
}

resource "aws_s3_bucket" "uploads" {
  bucket = "citizen-uploads"
}

resource "aws_s3_bucket" "unnamed" {
  bucket = "${var.prefix}-data"
}

resource "google_storage_bucket" "gis" {
  name = "kc-gis-layers"
}

resource "azurerm_eventhub_namespace" "events" {
  name = "pk-enforcement-events"
}

resource "azurerm_servicebus_namespace" "bus" {
  name = "pk-bus"
}

resource "azurerm_key_vault" "kv" {
  name = "kv-parking"
}

resource "azurerm_postgresql_flexible_server" "citations" {
  name = "pk-citations"
}

resource "azurerm_mssql_server" "meta" {
  name = "pk-bodycam-meta"
}

resource "azurerm_cosmosdb_account" "cases" {
  name = "pk-cases"
}

resource "aws_route53_zone" "city" {
  name = "kc311.example.gov"
}

resource "aws_route53_record" "api" {
  zone_id = aws_route53_zone.city.zone_id
  name    = "api"
  type    = "A"
}

resource "aws_route53_record" "portal" {
  zone_id = var.zone_id
  name    = "portal.kc311.example.gov"
  type    = "A"
}

resource "aws_route53_record" "analytics" {
  zone_id = aws_route53_zone.city.zone_id
  name    = "analytics"
  type    = "CNAME"
  records = ["kc.insights-vendor.example"]
}

resource "aws_route53_record" "lb" {
  zone_id = aws_route53_zone.city.zone_id
  name    = "lb"
  type    = "CNAME"
  records = [aws_lb.api.dns_name]
}

resource "azurerm_dns_zone" "city" {
  name = "kcmo-city.example"
}

resource "azurerm_dns_a_record" "gis" {
  name      = "gis"
  zone_name = azurerm_dns_zone.city.name
}

resource "google_dns_managed_zone" "city" {
  name     = "city"
  dns_name = "gcp.kcmo-city.example."
}

resource "google_dns_record_set" "maps" {
  name         = "maps.${google_dns_managed_zone.city.dns_name}"
  managed_zone = google_dns_managed_zone.city.name
  type         = "A"
}
"""

# (host, URL): the city's own, by the Terraform above.
OWN = [
    ("kcparkingprod.blob.core.windows.net", "https://kcparkingprod.blob.core.windows.net/c/x"),
    ("kcparkingprod.dfs.core.windows.net", "https://kcparkingprod.dfs.core.windows.net/fs"),
    ("citizen-uploads.s3.amazonaws.com", "https://citizen-uploads.s3.amazonaws.com/a.csv"),
    (
        "citizen-uploads.s3.us-east-2.amazonaws.com",
        "https://citizen-uploads.s3.us-east-2.amazonaws.com/a.csv",
    ),
    ("s3.amazonaws.com (path-style)", "https://s3.amazonaws.com/citizen-uploads/a.csv"),
    ("s3.us-east-2.amazonaws.com (path)", "https://s3.us-east-2.amazonaws.com/citizen-uploads/a"),
    ("kc-gis-layers.storage.googleapis.com", "https://kc-gis-layers.storage.googleapis.com/o"),
    ("storage.googleapis.com (path-style)", "https://storage.googleapis.com/kc-gis-layers/o"),
    ("eventhub namespace", "https://pk-enforcement-events.servicebus.windows.net/hub"),
    ("servicebus namespace", "https://pk-bus.servicebus.windows.net/q/messages"),
    ("key vault", "https://kv-parking.vault.azure.net/secrets/x"),
    ("postgres flexible", "https://pk-citations.postgres.database.azure.com"),
    ("mssql", "https://pk-bodycam-meta.database.windows.net"),
    ("cosmos", "https://pk-cases.documents.azure.com:443/"),
    ("route53, relative name", "https://api.kc311.example.gov/v1/requests"),
    ("route53, full name", "https://portal.kc311.example.gov/v1"),
    ("route53 CNAME to a city resource", "https://lb.kc311.example.gov/in"),
    ("azure dns", "https://gis.kcmo-city.example/arcgis"),
    ("cloud dns", "https://maps.gcp.kcmo-city.example/tiles"),
]
# Hosts of the same shapes that the Terraform does not define (or not knowably).
NOT_OWN = [
    "https://kcparkingdev.blob.core.windows.net/c/x",
    "https://prod-data.s3.amazonaws.com/a.csv",  # "${var.prefix}-data": no known name
    "https://citizen-uploads-2.s3.amazonaws.com/a.csv",
    "https://s3.amazonaws.com/other-bucket/a.csv",
    "https://storage.googleapis.com/kc-gis-layers-old/o",
    "https://pk-other.servicebus.windows.net/hub",
    "https://kv-parking2.vault.azure.net/secrets/x",
    "https://pk-citations.mysql.database.azure.com",
    "https://www.kc311.example.gov/",
    "https://analytics.kc311.example.gov/in",  # a CNAME to a vendor's host
    "https://kc-gis-layers.example.net/o",
]


def _py(urls: list[str]) -> str:
    lines = ["import requests", "", "", "def push(rows):"]
    lines += [f'    requests.post("{url}", json=rows)' for url in urls]
    return "\n".join(lines) + "\n"


def _dh660(result) -> list[int]:
    return [line for rule, _path, line in rule_ids(result) if rule == "DH660"]


@pytest.mark.parametrize(("what", "url"), OWN, ids=[w for w, _ in OWN])
def test_own_host_is_not_a_vendor(scan, what, url):
    files = {"infra/main.tf": TF, "app/push.py": _py([url, "https://api.vendor.example/in"])}
    result = scan(files, select=["DH660"])
    assert not [d for d in result.diagnostics if d.level == "error"]
    # only the vendor's call (line 6), not the city's own host (line 5)
    assert _dh660(result) == [6]
    # without the Terraform, the same host is a vendor
    assert _dh660(scan({"app/push.py": files["app/push.py"]}, select=["DH660"])) == [5, 6]


def test_hosts_the_terraform_does_not_define_are_vendors(scan):
    # the last call is to the city's own account: not reported beside the others
    urls = [*NOT_OWN, OWN[0][1]]
    result = scan({"infra/main.tf": TF, "app/push.py": _py(urls)}, select=["DH660"])
    assert _dh660(result) == list(range(5, 5 + len(NOT_OWN)))


def test_path_style_bucket_needs_the_whole_path_segment(scan):
    code = (
        "import requests\n"
        "\n"
        "\n"
        "def push(rows, key):\n"
        '    requests.post("https://s3.amazonaws.com/citizen-uploads", json=rows)\n'
        '    requests.post(f"https://s3.amazonaws.com/citizen-{key}/x", json=rows)\n'
        '    requests.post("https://s3.amazonaws.com/", json=rows)\n'
    )
    result = scan({"infra/main.tf": TF, "app/push.py": code}, select=["DH660"])
    # the bucket named by the whole first segment is the city's; an unknown or no bucket is not
    assert _dh660(result) == [6, 7]


def test_azure_sdk_clients_of_the_city_own_account_and_namespaces(scan):
    # The storage account from a connection string's AccountName, an Event Hubs and a Service Bus
    # namespace, written or in a connection string: the city's own, by the Terraform above.
    code = (
        "from azure.eventhub import EventHubProducerClient\n"
        "from azure.servicebus import ServiceBusClient\n"
        "from azure.storage.blob import BlobServiceClient\n"
        'a = BlobServiceClient.from_connection_string("AccountName=kcparkingprod;AccountKey=k")\n'
        'b = EventHubProducerClient("pk-enforcement-events.servicebus.windows.net", "e", None)\n'
        'c = ServiceBusClient.from_connection_string("Endpoint=sb://pk-bus.servicebus.windows.net/")\n'
        'd = ServiceBusClient("acme-bus.servicebus.windows.net", None)\n'
    )
    result = scan({"infra/main.tf": TF, "app/clients.py": code}, select=["DH660"])
    assert _dh660(result) == [7]
    assert _dh660(scan({"app/clients.py": code}, select=["DH660"])) == [4, 5, 6, 7]


def test_mixed_hosts_report_only_the_vendor(scan):
    code = (
        "import requests\n"
        "\n"
        "\n"
        "class Base:\n"
        '    URL = "https://api.vendor.example/in"\n'
        "\n"
        "    def send(self, rows):\n"
        "        requests.post(self.URL, json=rows)\n"
        "\n"
        "\n"
        "class Own(Base):\n"
        '    URL = "https://kcparkingprod.blob.core.windows.net/in"\n'
    )
    files = {"infra/main.tf": TF, "app/push.py": code}
    (finding,) = scan(files, select=["DH660"]).active
    assert finding.location.start_line == 8
    assert finding.message == (
        "requests.post reaches 'api.vendor.example', which is not on the approved vendor list "
        "(from a class constant: https://api.vendor.example/in)"
    )
    assert "kcparkingprod" not in finding.message
    assert [r.location.start_line for r in finding.related] == [5]
    # without the Terraform: both hosts, both places
    (before,) = scan({"app/push.py": code}, select=["DH660"]).active
    assert "'api.vendor.example' and 'kcparkingprod.blob.core.windows.net'" in before.message
    assert [r.location.start_line for r in before.related] == [5, 12]


MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingest
spec:
  template:
    spec:
      containers:
        - name: ingest
          image: registry.kcmo.gov/ingest:1
          command: ["python", "app/send.py"]
          env:
            - name: ACCOUNT_URL
              value: https://kcparkingprod.blob.core.windows.net
            - name: PG_HOST
              value: pk-citations.postgres.database.azure.com
            - name: VENDOR_URL
              value: https://api.vendor.example/in
            - name: BUCKET_URL
              value: https://s3.amazonaws.com/citizen-uploads/in
"""

SEND = """\
import os

import pandas as pd
import requests


def main():
    reads = pd.read_csv("reads.csv", usecols=["plate", "camera_id", "read_at"])
    requests.post(os.environ["ACCOUNT_URL"], json=reads.to_dict(orient="records"))
    requests.post(os.environ["VENDOR_URL"], json=reads.to_dict(orient="records"))
    requests.post(os.environ["BUCKET_URL"], json=reads.to_dict(orient="records"))
"""


def test_manifest_hosts_dh640(scan):
    files = {"infra/main.tf": TF, "k8s/deploy.yaml": MANIFEST}
    result = scan(files, select=["DH640"])
    assert rule_ids(result) == [("DH640", "k8s/deploy.yaml", 18)]
    before = scan({"k8s/deploy.yaml": MANIFEST}, select=["DH640"])
    assert [line for _r, _p, line in rule_ids(before)] == [14, 16, 18, 20]


def test_env_endpoints_dh690(scan):
    files = {"infra/main.tf": TF, "k8s/deploy.yaml": MANIFEST, "app/send.py": SEND}
    result = scan(files, select=["DH690"])
    assert rule_ids(result) == [("DH690", "app/send.py", 10)]
    before = scan({"k8s/deploy.yaml": MANIFEST, "app/send.py": SEND}, select=["DH690"])
    assert rule_ids(before) == [
        ("DH690", "app/send.py", 9),
        ("DH690", "app/send.py", 10),
        ("DH690", "app/send.py", 11),
    ]


def test_inventory_shows_the_city_own(scan):
    files = {"infra/main.tf": TF, "k8s/deploy.yaml": MANIFEST, "app/send.py": SEND}
    doc = report.build(scan(files, collect_facts=True))
    vendors = {v["host"]: v for v in doc["vendors"]}
    assert vendors["kcparkingprod.blob.core.windows.net"]["own"] == {
        "address": "azurerm_storage_account.parking",
        "type": "azurerm_storage_account",
        "path": "infra/main.tf",
        "line": 11,
    }
    assert vendors["s3.amazonaws.com/citizen-uploads"]["own"]["address"] == "aws_s3_bucket.uploads"
    assert vendors["api.vendor.example"]["own"] is None
    markdown = report.render_markdown(doc)
    assert "| `kcparkingprod.blob.core.windows.net` | city's own: `azurerm_storage_account" in (
        markdown
    )
    assert "kcparkingprod.blob.core.windows.net (city's own)" in report.mermaid(doc)
    assert "api.vendor.example (NOT approved)" in report.mermaid(doc)


def test_precommit_python_file_reads_the_terraform_as_context(scan):
    lambda_tf = """\
resource "aws_lambda_function" "push" {
  function_name = "push"
  role          = "arn:aws:iam::123456789012:role/push"
  handler       = "send.main"
  runtime       = "python3.12"
  environment {
    variables = {
      VENDOR_URL = "https://api.vendor.example/in"
    }
  }
}
"""
    files = {
        "infra/main.tf": TF,
        "infra/lambda.tf": lambda_tf,
        "app/send.py": SEND,
        "app/push.py": _py(["https://citizen-uploads.s3.amazonaws.com/a"]),
        "docs/unrelated/main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n',
    }
    result = scan(files, paths=["app/push.py", "app/send.py"])
    assert result.files == ["app/push.py", "app/send.py"]
    assert "DH660" not in {f.rule_id for f in result.active}
    # The Terraform is read for its names only: the cross-artifact rules do not join the Lambda
    # (a commit of Python files alone does not run them), as before.
    assert "DH690" not in {f.rule_id for f in result.active}
    assert not result.diagnostics
    # a named manifest too
    files["k8s/deploy.yaml"] = MANIFEST
    result = scan(files, paths=["k8s/deploy.yaml"], select=["DH640"])
    assert rule_ids(result) == [("DH640", "k8s/deploy.yaml", 18)]


BROKEN = 'resource "aws_s3_bucket" "x" {\n  bucket = "broken-bucket"\n'  # no closing brace


def test_precommit_without_the_rules_reads_no_terraform(scan):
    files = {"infra/broken.tf": BROKEN, "app/push.py": "x = 1\n"}
    result = scan(files, paths=["app/push.py"], select=["DH561"])
    assert not result.diagnostics  # the broken Terraform was not read


def test_precommit_without_a_vendor_host_reads_no_terraform(scan, monkeypatch):
    # A Python file that names no vendor host: the Terraform beside it is not walked, read or
    # parsed (a broken file there gives nothing), as before the city's own hosts were judged.
    import dhlint.discovery

    def walked(*args, **kwargs):
        raise AssertionError("the Terraform context was read")

    monkeypatch.setattr(dhlint.discovery, "naming_terraform", walked, raising=False)
    files = {"infra/main.tf": TF, "infra/broken.tf": BROKEN, "app/push.py": "x = 1\n"}
    result = scan(files, paths=["app/push.py"], select=["DH660", "DH690"])
    assert result.files == ["app/push.py"] and not result.findings and not result.diagnostics
    # nor is it with a vendor host the repository's default rules do not report either
    code = _py(["https://api.vendor.example/in"])
    policy = {"approved_vendors": ["api.vendor.example"]}
    result = scan({**files, "app/push.py": code}, policy=policy, paths=["app/push.py"])
    assert "DH660" not in {f.rule_id for f in result.findings} and not result.diagnostics


def test_precommit_reads_only_the_module_that_can_define_the_host(scan, monkeypatch):
    from dhlint.models import terraform

    built: list[list[str]] = []
    build = terraform.build_models
    monkeypatch.setattr(
        terraform,
        "build_models",
        lambda files, env: built.append([f.path for f in files]) or build(files, env),
    )
    files = {
        "infra/main.tf": TF,
        "other/broken.tf": BROKEN,  # a bucket, but none of the names the code's hosts give
        "other/ok.tf": 'resource "aws_s3_bucket" "y" {\n  bucket = "archive-${var.env}"\n}\n',
        "app/push.py": _py([OWN[0][1], "https://api.vendor.example/in"]),
    }
    result = scan(files, paths=["app/push.py"], select=["DH660"])
    assert _dh660(result) == [6]  # the city's own account (line 5) is not a vendor
    assert not result.diagnostics  # the unrelated module, broken, was not parsed
    assert built == [["infra/main.tf"]]
    # a vendor host no module can give: none is parsed
    built.clear()
    result = scan({**files, "app/push.py": _py(NOT_OWN[-1:])}, paths=["app/push.py"])
    assert _dh660(result) == [5] and built == [] and not result.diagnostics
    # the module that can define it is read whole, a file of it broken or not: said, not failed
    files["infra/broken.tf"] = BROKEN
    result = scan(files, paths=["app/push.py"], select=["DH660"])
    assert _dh660(result) == [6]
    assert [(d.path, d.level) for d in result.diagnostics] == [("infra/broken.tf", "warning")]
    assert "(read only as context)" in result.diagnostics[0].message


def test_precommit_context_through_module_calls_and_var_values(scan):
    # The name is made in a called module from its caller's argument and a tfvars value: the
    # caller's directory has the name's parts, the module the resource type; both are read.
    files = {
        "envs/prod/main.tf": (
            'module "store" {\n  source = "../../modules/store"\n  env    = var.env\n}\n'
            'variable "env" {}\n'
        ),
        "envs/prod/terraform.tfvars": 'env = "prod"\n',
        "modules/store/main.tf": (
            'variable "env" {}\n'
            'resource "azurerm_storage_account" "sa" {\n  name = "kcparking${var.env}"\n}\n'
        ),
        "app/push.py": _py([OWN[0][1]]),
    }
    assert _dh660(scan(files, paths=["app/push.py"], select=["DH660"])) == []
    files["envs/prod/terraform.tfvars"] = 'env = "dev"\n'
    assert _dh660(scan(files, paths=["app/push.py"], select=["DH660"])) == [5]


def test_precommit_dh690_and_inventory_read_the_context_when_they_judge(scan):
    files = {
        "infra/main.tf": TF,
        "other/broken.tf": BROKEN,
        "k8s/deploy.yaml": MANIFEST,
        "app/send.py": SEND,
    }
    named = ["k8s/deploy.yaml", "app/send.py"]
    result = scan(files, paths=named, select=["DH690"])
    assert rule_ids(result) == [("DH690", "app/send.py", 10)]
    assert not result.diagnostics
    doc = report.build(scan(files, paths=["app/send.py"], collect_facts=True))
    vendors = {v["host"]: v for v in doc["vendors"]}
    assert vendors["(unresolved endpoint)"]["own"] is None  # no manifest: hosts not known
    doc = report.build(scan(files, paths=named, collect_facts=True))
    vendors = {v["host"]: v for v in doc["vendors"]}
    assert vendors["kcparkingprod.blob.core.windows.net"]["own"]["address"] == (
        "azurerm_storage_account.parking"
    )
    assert vendors["api.vendor.example"]["own"] is None


def test_precommit_cached_run_after_editing_the_terraform(make_repo, tmp_path):
    root = make_repo({"infra/main.tf": TF, "app/push.py": _py(OWN[0][1:])})
    cache_dir = str(tmp_path / "cache")

    def run(jobs=1):
        options = CheckOptions(
            paths=["app/push.py"], cwd=str(root), cache=True, cache_dir=cache_dir, jobs=jobs
        )
        return run_check(options)

    first = run()
    assert _dh660(first) == [] and first.cache.misses == 2  # the file, the context's module
    warm = run(jobs=2)
    assert _dh660(warm) == [] and warm.cache.misses == 0 and warm.cache.hits == 2
    # still a text that can make the name (read again, not from the cache), not the name
    (root / "infra/main.tf").write_text(
        TF.replace('"kcparking${var.env}"', '"kcparking${var.env}x"')
    )
    edited = run()
    assert edited.cache.hits == 1 and edited.cache.misses == 1
    assert _dh660(edited) == [5]
    (root / "infra/main.tf").write_text(TF)
    assert _dh660(run(jobs=2)) == []


def test_cached_run_after_editing_the_terraform(make_repo, tmp_path):
    root = make_repo({"infra/main.tf": TF, "app/push.py": _py(OWN[0][1:])})
    cache_dir = str(tmp_path / "cache")

    def run():
        options = CheckOptions(cwd=str(root), cache=True, cache_dir=cache_dir, select=["DH660"])
        return run_check(options)

    assert _dh660(run()) == []
    warm = run()
    assert _dh660(warm) == [] and warm.cache.misses == 0
    (root / "infra/main.tf").write_text(TF.replace('"kcparking${var.env}"', '"kcparkingold"'))
    edited = run()
    # the Python file's result came from the cache; the judgement did not
    assert edited.cache.hits == 1 and edited.cache.misses == 1
    (finding,) = edited.active
    assert finding.location.start_line == 5
    assert "'kcparkingprod.blob.core.windows.net'" in finding.message
    (root / "infra/main.tf").write_text(TF)
    assert _dh660(run()) == []


def test_jobs_and_cache_give_the_same_output(make_repo, tmp_path):
    files = {"infra/main.tf": TF, "k8s/deploy.yaml": MANIFEST, "app/send.py": SEND}
    for i, (_what, url) in enumerate(OWN):
        files[f"app/push{i}.py"] = _py([url, "https://api.vendor.example/in"])
    root = make_repo(files)

    def run(**kw):
        result = run_check(CheckOptions(cwd=str(root), **kw))
        return [
            (f.rule_id, f.location, f.message, f.related, f.suppressed_by) for f in result.findings
        ]

    one = run(jobs=1)
    assert one == run(jobs=2)
    cache_dir = str(tmp_path / "cache")
    assert one == run(jobs=2, cache=True, cache_dir=cache_dir)
    assert one == run(jobs=1, cache=True, cache_dir=cache_dir)
    assert [f[0] for f in one].count("DH660") == len(OWN)


def test_sarif_and_compliance_count_only_what_is_left(scan):
    from dhlint.report import compliance, sarif

    code = _py(["https://kcparkingprod.blob.core.windows.net/x"]).replace(
        "json=rows)", 'json=rows)  # dhlint: ignore[DH660] reason="the city\'s account"'
    )
    result = scan({"infra/main.tf": TF, "app/push.py": code}, select=["DH660", "DH004"])
    # nothing left to suppress: the comment is unused (DH004), not an exception in force
    assert rule_ids(result) == [("DH004", "app/push.py", 5)]
    log = json.loads(sarif.render(result))
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["DH004"]
    text = compliance.render_markdown(result)
    assert "kcparkingprod" not in text


@pytest.mark.parametrize(
    "bucket",
    [
        'format("%s-uploads", var.city)',  # the verb's letter is no part of the name
        'join("-", [var.city, "uploads"])',
        'substr("kc-uploadsx", 0, 10)',  # cut text: the module can give any name
    ],
)
def test_precommit_context_names_made_by_functions(scan, bucket):
    tf = 'variable "city" {\n  default = "kc"\n}\n'
    tf += f'resource "aws_s3_bucket" "b" {{\n  bucket = {bucket}\n}}\n'
    files = {"infra/main.tf": tf, "app/push.py": _py(["https://kc-uploads.s3.amazonaws.com/a"])}
    assert _dh660(scan(files, paths=["app/push.py"], select=["DH660"])) == []


CNAMES = """\
variable "zendesk_subdomain" {}
variable "helpdesk_target" {}
variable "record_type" {}

data "aws_lb" "shared" {
  name = "shared"
}

module "cdn" {
  source = "./cdn"
}

resource "aws_route53_record" "support" {
  zone_id = "Z1"
  name    = "support.kcdata.org"
  type    = "CNAME"
  records = ["${var.zendesk_subdomain}.zendesk.com"]
}

resource "aws_route53_record" "helpdesk" {
  zone_id = "Z1"
  name    = "helpdesk.kcdata.org"
  type    = "CNAME"
  records = [var.helpdesk_target]
}

resource "aws_route53_record" "typed" {
  zone_id = "Z1"
  name    = "tickets.kcdata.org"
  type    = var.record_type
  records = ["kcmo.zendesk.com"]
}

resource "aws_route53_record" "shared" {
  zone_id = "Z1"
  name    = "shared.kcdata.org"
  type    = "CNAME"
  records = [data.aws_lb.shared.dns_name]
}

resource "aws_route53_record" "module" {
  zone_id = "Z1"
  name    = "media.kcdata.org"
  type    = "CNAME"
  records = [module.cdn.host]
}

resource "aws_route53_record" "cdn" {
  zone_id = "Z1"
  name    = "cdn.kcdata.org"
  type    = "CNAME"
  records = ["${aws_cloudfront_distribution.site.domain_name}."]
}

resource "aws_route53_record" "addr" {
  zone_id = "Z1"
  name    = "addr.kcdata.org"
  type    = var.record_type
  records = ["10.20.0.4"]
}

resource "azurerm_dns_cname_record" "files" {
  name                = "files"
  zone_name           = "kcdata.org"
  resource_group_name = "dns"
  ttl                 = 300
  target_resource_id  = azurerm_cdn_endpoint.files.id
}
"""


def test_cname_to_a_host_not_fully_known_is_not_the_city_own(scan):
    # Only a target that is the city's cloud resource (known at apply time), a known own host or
    # an approved one makes the city's name its own: a vendor's domain with an unknown part, a
    # variable without a value, a data source or a module's output may be anyone's host; a
    # record of an unknown type is judged as a CNAME (its IP addresses are not hosts).
    hosts = ["support", "helpdesk", "tickets", "shared", "media", "cdn", "addr", "files"]
    code = _py([f"https://{h}.kcdata.org/in" for h in hosts])
    files = {"infra/dns.tf": CNAMES, "app/push.py": code}
    assert _dh660(scan(files, select=["DH660"])) == [5, 6, 7, 8, 9]
    assert _dh660(scan(files, paths=["app/push.py"], select=["DH660"])) == [5, 6, 7, 8, 9]
    # the known part of a target is what a wildcard approves: "*.zendesk.com" covers both
    policy = {"approved_vendors": ["*.zendesk.com"]}
    assert _dh660(scan(files, policy=policy, select=["DH660"])) == [6, 8, 9]


def _record(label: str, target: str) -> str:
    return (
        f'resource "aws_route53_record" "{label}" {{\n  zone_id = "Z1"\n'
        f'  name    = "{label}.kcdata.org"\n  type    = "CNAME"\n  records = ["{target}"]\n}}\n'
    )


@pytest.mark.parametrize("reverse", [False, True], ids=["target-first", "target-last"])
def test_cname_chains_are_judged_whatever_the_order(scan, reverse):
    records = [
        _record("files", "kc-311-exports.s3.amazonaws.com"),  # the city's bucket
        _record("www", "files.kcdata.org"),  # -> files -> the bucket: own
        _record("cdn", "www.kcdata.org"),  # three steps: own
        _record("vendor", "kcmo.zendesk.com"),
        _record("help", "vendor.kcdata.org"),  # -> a CNAME to a vendor: not own
        _record("ping", "pong.kcdata.org"),  # a cycle: neither is own
        _record("pong", "ping.kcdata.org"),
    ]
    if reverse:
        records.reverse()
    tf = 'resource "aws_s3_bucket" "exports" {\n  bucket = "kc-311-exports"\n}\n'
    tf += "".join(records)
    hosts = ["files", "www", "cdn", "vendor", "help", "ping", "pong"]
    files = {"infra/dns.tf": tf, "app/push.py": _py([f"https://{h}.kcdata.org/in" for h in hosts])}
    assert _dh660(scan(files, select=["DH660"])) == [8, 9, 10, 11]
    assert _dh660(scan(files, paths=["app/push.py"], select=["DH660"])) == [8, 9, 10, 11]
    # the inventory's owner of a name found in a later pass is its own record
    files["app/send.py"] = SEND.replace('os.environ["ACCOUNT_URL"]', '"https://cdn.kcdata.org"')
    doc = report.build(scan(files, collect_facts=True))
    vendors = {v["host"]: v for v in doc["vendors"]}
    assert vendors["cdn.kcdata.org"]["own"]["address"] == "aws_route53_record.cdn"


def _built(monkeypatch) -> list[list[str]]:
    from dhlint.models import terraform

    built: list[list[str]] = []
    build = terraform.build_models
    monkeypatch.setattr(
        terraform,
        "build_models",
        lambda files, env: built.append([f.path for f in files]) or build(files, env),
    )
    return built


def _bucket(name: str) -> str:
    return f'resource "aws_s3_bucket" "b" {{\n  bucket = {name}\n}}\n'


def test_precommit_context_stops_at_the_first_module_that_defines_the_host(scan, monkeypatch):
    # Module directories are parsed in path order, until one defines the name; one before it
    # that can define it is parsed too, so that the owner is the first by path, as in a run on
    # the whole tree (here lib/ defines it before modules/store/, called from envs/prod/).
    built = _built(monkeypatch)
    files = {
        "envs/prod/main.tf": 'module "store" {\n  source = "../../modules/store"\n}\n',
        "modules/store/main.tf": _bucket('"kc-uploads"'),
        "lib/main.tf": _bucket('"kc-uploads"'),
        "zz/main.tf": _bucket('"kc-uploads"'),
        "app/push.py": _py(["https://kc-uploads.s3.amazonaws.com/a"]),
    }
    files["app/send.py"] = SEND.replace(
        'os.environ["ACCOUNT_URL"]', '"https://kc-uploads.s3.amazonaws.com/a"'
    )
    assert _dh660(scan(files, paths=["app/push.py"], select=["DH660"])) == []
    assert built == [["envs/prod/main.tf", "modules/store/main.tf"], ["lib/main.tf"]]
    owners = []
    for paths in (["app/send.py"], ["."]):
        doc = report.build(scan(files, paths=paths, collect_facts=True))
        vendors = {v["host"]: v for v in doc["vendors"]}
        owners.append(vendors["kc-uploads.s3.amazonaws.com"]["own"])
    assert owners[0] == owners[1] and owners[0]["path"] == "lib/main.tf"
    # without lib/, the first module settles it: zz/ is not parsed
    del files["lib/main.tf"]
    built.clear()
    assert _dh660(scan(files, paths=["app/push.py"], select=["DH660"])) == []
    assert built == [["envs/prod/main.tf", "modules/store/main.tf"]]


@pytest.mark.parametrize(
    ("tf", "parsed", "own"),
    [
        # the name's words, but in other strings: not parsed
        (_bucket('"kc-data"') + 'locals {\n  x = "uploads-old"\n}\n', False, False),
        (_bucket('"kc${var.x}"') + 'variable "x" {\n  default = "-uploads"\n}\n', True, True),
        # a file read by a literal path that names it: parsed; a path outside the tree is not
        (_bucket('jsondecode(file("names.json")).b'), True, True),
        (_bucket('"kc-data"') + 'locals {\n  k = file("~/.config/kc.json")\n}\n', False, False),
        # base64 text of any input can make a name of 4n characters ("kc-uploads": 10)
        (_bucket('"kc-data"') + 'locals {\n  u = base64encode("x")\n}\n', False, False),
        (_bucket('"kc-${base64encode("x")}ads"'), True, False),  # "kc-" "uplo" "ads"
    ],
)
def test_precommit_context_text_test(scan, monkeypatch, tf, parsed, own):
    built = _built(monkeypatch)
    files = {
        "infra/main.tf": tf,
        "infra/names.json": '{"b": "kc-uploads"}',
        "app/push.py": _py(["https://kc-uploads.s3.amazonaws.com/a"]),
    }
    result = scan(files, paths=["app/push.py"], select=["DH660"])
    assert built == ([["infra/main.tf"]] if parsed else [])
    assert _dh660(result) == ([] if own else [5])


AWS_TF = """\
resource "aws_msk_cluster" "fare" {
  cluster_name           = "fare-msk"
  kafka_version          = "3.5.1"
  number_of_broker_nodes = 3
}

resource "aws_opensearch_domain" "trips" {
  domain_name = "trip-search"
}

resource "aws_db_instance" "accounts" {
  identifier = "fare-accounts"
}

resource "aws_rds_cluster" "ledger" {
  cluster_identifier = "fare-ledger"
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "fare-sessions"
}
"""
# (host, URL): the city's own by AWS_TF (probe33 min/03: the MSK broker of the city's cluster).
AWS_OWN = [
    ("msk broker", "https://b-1.fare-msk.abc123.c2.kafka.us-east-2.amazonaws.com:9094"),
    ("msk public broker", "https://b-2-public.fare-msk.abc123.c2.kafka.us-east-2.amazonaws.com"),
    ("msk broker, older form", "https://b-3.fare-msk.abc123.kafka.us-east-2.amazonaws.com:9094"),
    ("opensearch", "https://search-trip-search-x7k2q9abcdefgh.us-east-2.es.amazonaws.com/idx"),
    ("opensearch vpc", "https://vpc-trip-search-x7k2q9abcdefgh.us-east-2.es.amazonaws.com/idx"),
    ("rds instance", "https://fare-accounts.c9akciq32.us-east-2.rds.amazonaws.com"),
    ("aurora writer", "https://fare-ledger.cluster-c9akciq32.us-east-2.rds.amazonaws.com"),
    ("aurora reader", "https://fare-ledger.cluster-ro-c9akciq32.us-east-2.rds.amazonaws.com"),
    ("elasticache primary", "https://master.fare-sessions.abc123.use2.cache.amazonaws.com"),
    ("elasticache node", "https://fare-sessions-001.abc123.0001.use2.cache.amazonaws.com"),
]
AWS_NOT_OWN = [
    "https://b-1.other-msk.abc123.c2.kafka.us-east-2.amazonaws.com:9094",
    # a serverless cluster's bootstrap host has no name in it: never the city's by its name
    "https://boot-abc123.c1.kafka-serverless.us-east-2.amazonaws.com:9098",
    "https://search-trip-search2-x7k2q9abcdefgh.us-east-2.es.amazonaws.com/idx",
    "https://fare-ledger.c9akciq32.us-east-2.rds.amazonaws.com",  # an instance, not the cluster
    "https://fare-accounts.cluster-c9akciq32.us-east-2.rds.amazonaws.com",
    "https://master.fare-cache.abc123.use2.cache.amazonaws.com",
]


@pytest.mark.parametrize(("what", "url"), AWS_OWN, ids=[w for w, _ in AWS_OWN])
def test_own_aws_service_hosts_that_carry_the_resource_name(scan, what, url):
    files = {"infra/main.tf": AWS_TF, "app/push.py": _py([url, "https://api.vendor.example/in"])}
    assert _dh660(scan(files, select=["DH660"])) == [6]
    assert _dh660(scan({"app/push.py": files["app/push.py"]}, select=["DH660"])) == [5, 6]


def test_aws_service_hosts_the_terraform_does_not_define_are_vendors(scan):
    result = scan({"infra/main.tf": AWS_TF, "app/push.py": _py(AWS_NOT_OWN)}, select=["DH660"])
    assert _dh660(result) == list(range(5, 5 + len(AWS_NOT_OWN)))


def test_msk_broker_of_the_city_cluster_in_python_and_a_configmap(scan):
    # probe33 min/03: a kafka-python producer's bootstrap server and a ConfigMap's broker list
    files = {
        "msk.tf": AWS_TF,
        "producer.py": (
            "import json\n"
            "from kafka import KafkaProducer\n"
            "\n"
            'producer = KafkaProducer(bootstrap_servers=["b-1.fare-msk.abc123.c2.kafka.'
            'us-east-2.amazonaws.com:9094"], security_protocol="SSL")\n'
            "\n"
            "\n"
            "def send(tap):\n"
            '    producer.send("taps", json.dumps({"stop_id": tap["stop_id"]}).encode())\n'
        ),
        "cm.yaml": (
            "apiVersion: v1\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: kafka\n"
            "data:\n"
            '  KAFKA_BROKERS: "b-1.fare-msk.abc123.c2.kafka.us-east-2.amazonaws.com:9094"\n'
        ),
    }
    assert rule_ids(scan(files, select=["DH640", "DH660"])) == []
    alone = {k: v for k, v in files.items() if k != "msk.tf"}
    assert rule_ids(scan(alone, select=["DH640", "DH660"])) == [
        ("DH640", "cm.yaml", 6),
        ("DH660", "producer.py", 4),
    ]
    # a pre-commit run of the Python file reads the Terraform as context
    assert rule_ids(scan(files, select=["DH660"], paths=["producer.py"])) == []


ENDPOINTS_TF = """\
provider "aws" {
  region              = "us-east-2"
  allowed_account_ids = ["111122223333"]
}

resource "aws_opensearch_domain" "trips" {
  domain_name = "trip-search"
}

resource "aws_route53_zone" "city" {
  name = "kc311.example.gov"
}

resource "aws_route53_record" "hooks" {
  zone_id = aws_route53_zone.city.zone_id
  name    = "hooks"
  type    = "A"
}

resource "aws_kinesis_firehose_delivery_stream" "trips" {
  name        = "kc-trips"
  destination = "http_endpoint"
  http_endpoint_configuration {
    url  = "https://search-trip-search-x7k2q9abcdefgh.us-east-2.es.amazonaws.com/_bulk"
    name = "trip-search"
  }
}

resource "aws_sns_topic_subscription" "cases" {
  topic_arn = "arn:aws:sns:us-east-2:111122223333:kc-311-cases"
  protocol  = "https"
  endpoint  = "https://hooks.kc311.example.gov/311"
}

resource "aws_cloudwatch_event_api_destination" "own_queue" {
  name                = "own-queue"
  invocation_endpoint = "https://sqs.us-east-2.amazonaws.com/111122223333/kc-cases"
  http_method         = "POST"
  connection_arn      = "arn:aws:events:us-east-2:111122223333:connection/x"
}

resource "aws_cloudwatch_event_api_destination" "other_queue" {
  name                = "other-queue"
  invocation_endpoint = "https://sqs.us-east-2.amazonaws.com/999999999999/theirs"
  http_method         = "POST"
  connection_arn      = "arn:aws:events:us-east-2:111122223333:connection/x"
}

resource "aws_sns_topic_subscription" "vendor" {
  topic_arn = "arn:aws:sns:us-east-2:111122223333:kc-311-cases"
  protocol  = "https"
  endpoint  = "https://hooks.crm-vendor.example/311"
}

resource "azurerm_monitor_action_group" "alerts" {
  name                = "alerts"
  resource_group_name = "rg"
  short_name          = "alerts"
  webhook_receiver {
    name        = "own"
    service_uri = "https://hooks.kc311.example.gov/alerts"
  }
  webhook_receiver {
    name        = "vendor"
    service_uri = "https://alerts.pager-vendor.example/in"
  }
}
"""


def test_dh605_endpoints_of_the_city_own_hosts_and_aws_apis_are_not_vendors(scan):
    # A delivery stream to the city's own OpenSearch domain, a subscription to a host of its
    # own DNS zone, an API destination that is an SQS queue of its own (pinned) account: not
    # vendors, as in a function's environment. Another account's queue and a vendor are.
    result = scan({"main.tf": ENDPOINTS_TF}, select=["DH605"])
    assert [(f.location.start_line, f.args["host"]) for f in result.active] == [
        (44, "sqs.us-east-2.amazonaws.com"),
        (52, "hooks.crm-vendor.example"),
        # one finding per resource, at its first URL, naming the vendor and not the own hook
        (61, "alerts.pager-vendor.example"),
    ]
    assert "alerts.pager-vendor.example" in result.active[2].message
    # a webhook of the city's own zone is a vendor without the zone's Terraform
    alone = ENDPOINTS_TF.replace('resource "aws_route53_record"', 'resource "aws_route53_x"')
    result = scan({"main.tf": alone}, select=["DH605"])
    assert [f.location.start_line for f in result.active] == [32, 44, 52, 61]
    assert result.active[3].args["host"] == "hooks.kc311.example.gov"


AWS_API_SEND = """\
import os

import requests


def handler(event, context):
    row = {"email": event["email"], "ward": event["ward"]}
    requests.post(os.environ["TABLE_URL"], json=row)
    requests.post(os.environ["QUEUE_URL"], json=row)
    requests.post(os.environ["VENDOR_URL"], json=row)
    requests.post("https://dynamodb.us-east-2.amazonaws.com/", json=row)
    requests.post("https://sqs.us-east-2.amazonaws.com/111122223333/kc-cases", json=row)
    requests.post("https://sqs.us-east-2.amazonaws.com/999999999999/theirs", json=row)
"""
AWS_API_LAMBDA = """\
resource "aws_lambda_function" "send" {
  function_name = "send"
  handler       = "send.handler"
  runtime       = "python3.12"
  role          = "arn:aws:iam::111122223333:role/send"
  filename      = "send.zip"
  environment {
    variables = {
      TABLE_URL  = "https://dynamodb.us-east-2.amazonaws.com"
      QUEUE_URL  = "https://sqs.us-east-2.amazonaws.com/111122223333/kc-cases"
      VENDOR_URL = "https://api.vendor.example/in"
    }
  }
}
"""


def test_dh660_dh690_aws_service_api_endpoints_are_not_vendors(scan):
    # An AWS service's API endpoint acts in the caller's own account (as DH605 and DH640 judge
    # it); an SQS queue URL only when the policy approves its account.
    files = {"send.py": AWS_API_SEND, "main.tf": AWS_API_LAMBDA}
    policy = {"approved_accounts": ["111122223333"]}
    assert rule_ids(scan(files, policy=policy, select=["DH660", "DH690"])) == [
        ("DH690", "send.py", 10),
        ("DH660", "send.py", 13),
    ]
    assert rule_ids(scan(files, select=["DH660", "DH690"])) == [
        ("DH690", "send.py", 9),
        ("DH690", "send.py", 10),
        ("DH660", "send.py", 12),
        ("DH660", "send.py", 13),
    ]


PINNED_PROVIDER = 'provider "aws" {\n  allowed_account_ids = ["111122223333"]\n}\n'
OWN_QUEUE_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: send
spec:
  containers:
  - name: send
    image: send
    env:
    - name: OWN_QUEUE
      value: https://sqs.us-east-2.amazonaws.com/111122223333/kc-cases
    - name: OTHER_QUEUE
      value: https://sqs.us-east-2.amazonaws.com/999999999999/theirs
"""


def test_an_account_a_provider_is_pinned_to_is_the_city_own_for_dh640_dh660_dh690(scan):
    # probe (h6/2): DH605 took an account in an AWS provider's allowed_account_ids as the
    # city's own, but DH660, DH690 and DH640 did not: an SQS queue URL of that account (in a
    # Lambda's environment used by code, in a pod's env) was a vendor unless the policy listed
    # the account. Another account's queue still is one.
    files = {
        "send.py": AWS_API_SEND,
        "main.tf": AWS_API_LAMBDA,
        "providers/aws.tf": PINNED_PROVIDER,
        "k8s/pod.yaml": OWN_QUEUE_POD,
    }
    select = ["DH640", "DH660", "DH690"]
    expected = [
        ("DH640", "k8s/pod.yaml", 13),
        ("DH690", "send.py", 10),
        ("DH660", "send.py", 13),
    ]
    assert sorted(rule_ids(scan(files, select=select)), key=lambda r: r[1]) == expected
    # A pre-commit run of the Python file or the manifest: the repository's Terraform is read
    # for the account as for a name (``own_context``).
    alone = scan(files, select=select, paths=["send.py", "k8s/pod.yaml"])
    assert sorted(rule_ids(alone), key=lambda r: r[1]) == [
        ("DH640", "k8s/pod.yaml", 13),
        ("DH660", "send.py", 13),
    ]
    # Without the pin, the city's queue is a vendor's (as before).
    del files["providers/aws.tf"]
    assert len(scan(files, select=select).active) == 6


PER_ENV = {
    "infra/main.tf": """variable "env" {}
resource "azurerm_postgresql_flexible_server" "trips" {
  name                          = "kcmob${var.env}-trips-pg"
  resource_group_name           = "rg-mob"
  location                      = "centralus"
  public_network_access_enabled = false
}
""",
    "infra/terraform.tfvars": 'env = "prod"\n',
    "infra/env/dev.tfvars": 'env = "dev"\n',
    "k8s/cm.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: db
data:
  PROD_DB_HOST: "kcmobprod-trips-pg.postgres.database.azure.com"
  DEV_DB_HOST: "kcmobdev-trips-pg.postgres.database.azure.com"
  OTHER_DB_HOST: "kcmobqa-trips-pg.postgres.database.azure.com"
""",
}


def test_per_environment_tfvars_each_name_the_city_own_hosts(scan, make_repo, tmp_path):
    """probe35 min/12: a resource named "kcmob${var.env}-trips-pg" with env set per
    environment (terraform.tfvars: prod, env/dev.tfvars: dev): only the loaded tfvars' name
    was the city's own, so each run reported the other environment's server as a vendor. The
    names each tfvars of the module's tree gives are the city's own; a name no tfvars gives
    (kcmobqa) is still a vendor."""
    qa = [("DH640", "k8s/cm.yaml", 8)]
    assert rule_ids(scan(PER_ENV, select=["DH640"])) == qa
    assert rule_ids(scan(PER_ENV, select=["DH640"], var_files=["infra/env/dev.tfvars"])) == qa
    # a pre-commit run of the manifest alone, with the dev host only (its name's part "dev"
    # is in the tfvars, not in the module's text)
    only_dev = {**PER_ENV, "k8s/cm.yaml": PER_ENV["k8s/cm.yaml"].replace("PROD_DB", "# P")}
    assert rule_ids(scan(only_dev, select=["DH640"], paths=["k8s/cm.yaml"])) == [
        ("DH640", "k8s/cm.yaml", 8)
    ]
    # the owner is the resource (the inventory's "city's own")
    result = scan(PER_ENV, collect_facts=True)
    names = {d["name"]: d for f in result.workspace.facts["terraform"] for d in f["defines"]}
    assert names["kcmobdev-trips-pg"] == {
        "type": "azurerm_postgresql_flexible_server",
        "name": "kcmobdev-trips-pg",
        "address": "azurerm_postgresql_flexible_server.trips",
        "loc": names["kcmobprod-trips-pg"]["loc"],
    }
    # a tfvars in a directory of another module, one that sets none of the module's
    # variables, or one .gitignore leaves out, names nothing
    for files in (
        {**PER_ENV, "infra/env/main.tf": 'variable "env" {}\n'},
        {**PER_ENV, "infra/env/dev.tfvars": 'region = "dev"\n'},
        {**PER_ENV, ".gitignore": "infra/env/\n"},
    ):
        assert rule_ids(scan(files, select=["DH640"])) == [("DH640", "k8s/cm.yaml", 7), *qa]
    # a cached run sees a tfvars file added for another environment
    root = make_repo(PER_ENV)
    cache_dir = str(tmp_path / "cache")

    def run():
        return run_check(
            CheckOptions(cwd=str(root), cache=True, cache_dir=cache_dir, select=["DH640"])
        )

    assert rule_ids(run()) == qa
    (root / "infra/env/qa.tfvars").write_text('env = "qa"\n')
    assert rule_ids(run()) == []


PREFIXED = {
    "infra/main.tf": 'resource "aws_s3_bucket" "exports" {\n  bucket_prefix = "kc-exports-"\n}\n',
    "k8s/cm.yaml": """apiVersion: v1
kind: ConfigMap
metadata:
  name: exports
data:
  OWN: "https://kc-exports-20240301120000000000000001.s3.amazonaws.com/x"
  PATH_STYLE: "https://s3.us-east-2.amazonaws.com/kc-exports-2024030112000000000000002a/x"
  OTHER: "https://kc-exports-vendor.s3.amazonaws.com/x"
  LONGER: "https://kc-exports-20240301120000000000000001x.s3.amazonaws.com/x"
""",
}


def test_a_bucket_named_by_its_prefix_is_the_city_own(scan):
    # probe (h6/5): a bucket with bucket_prefix (the provider adds a unique suffix: 18 digits
    # of time and 8 hex digits of a counter) defined no name, so its hosts were vendors'. Now
    # the prefix and such a suffix name it, in a whole-tree run and a manifest's pre-commit
    # run; another name with the same prefix is not the city's.
    for paths in (["."], ["k8s/cm.yaml"]):
        result = scan(PREFIXED, select=["DH640"], paths=paths)
        assert [f.location.start_line for f in result.active] == [8, 9], paths


MANAGED_INSTANCE_TF = """\
resource "azurerm_mssql_managed_instance" "cases" {
  name = "dss-cases-mi"
}

resource "azurerm_mssql_server" "reports" {
  name = "dss-reports"
}
"""
MANAGED_INSTANCE_DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: screening
spec:
  template:
    spec:
      containers:
        - name: api
          image: screening:1
          env:
            - name: DB_SERVER
              value: dss-cases-mi.4f2a9c1b2d3e.database.windows.net
"""


def test_a_sql_managed_instances_hosts_are_the_city_own(scan):
    """probe47: a SQL Managed Instance is reached at <name>.<dns zone>.database.windows.net
    (its public data endpoint at <name>.public.<dns zone>...), not at the logical server's
    <name>.database.windows.net, so the case-management instance the Terraform defines was an
    unapproved vendor for DH640 and DH660. Another instance's name, and a logical server's name
    under a DNS zone, stay vendors."""
    urls = [
        "https://dss-cases-mi.4f2a9c1b2d3e.database.windows.net",
        "https://dss-cases-mi.public.4f2a9c1b2d3e.database.windows.net:3342",
        "https://dss-other-mi.4f2a9c1b2d3e.database.windows.net",
        "https://dss-reports.4f2a9c1b2d3e.database.windows.net",
        "https://dss-reports.database.windows.net",
    ]
    files = {"infra/main.tf": MANAGED_INSTANCE_TF, "app/push.py": _py(urls)}
    assert _dh660(scan(files, select=["DH660"])) == [7, 8]
    assert _dh660(scan({"app/push.py": files["app/push.py"]}, select=["DH660"])) == [5, 6, 7, 8, 9]
    files = {"infra/main.tf": MANAGED_INSTANCE_TF, "k8s/deploy.yaml": MANAGED_INSTANCE_DEPLOY}
    assert rule_ids(scan(files, select=["DH640"])) == []
    before = scan({"k8s/deploy.yaml": MANAGED_INSTANCE_DEPLOY}, select=["DH640"])
    assert rule_ids(before) == [("DH640", "k8s/deploy.yaml", 13)]
