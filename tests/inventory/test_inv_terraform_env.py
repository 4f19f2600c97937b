"""Environment variables set by Terraform compute resources (Lambda, ECS, Cloud Run, Cloud
Functions, Azure apps, the kubernetes provider) feed the cross-language rules as manifests do:
DH690 on the endpoint a variable names, DH190/DH390/DH990 on the bucket it names."""

from __future__ import annotations

import json

import pytest

from dhlint.engine import fingerprint
from dhlint.inventory import report

CROSS = ("DH190", "DH390", "DH690", "DH890", "DH990")
VENDOR = "ingest.vendor.example"
APPROVED = "api.city-approved-vendor.example"

PUSH = """\
import os

import pandas as pd
import requests


def handler(event, context):
    reads = pd.read_csv("reads.csv", usecols=["plate", "camera_id", "read_at"])
    requests.post(os.environ["VENDOR_URL"], json=reads.to_dict(orient="records"))
"""
SEND_LINE = 9

LAMBDA = """\
resource "aws_lambda_function" "push" {
  function_name = "push"
  role          = "arn:aws:iam::123456789012:role/push"
  handler       = "jobs.push.handler"
  runtime       = "python3.12"
  environment {
    variables = {
      VENDOR_URL = "https://HOST/v1"
    }
  }
}
"""
ECS_JSONENCODE = """\
resource "aws_ecs_task_definition" "push" {
  family = "push"
  container_definitions = jsonencode([
    {
      name    = "push"
      image   = "registry.kcmo.gov/push:1"
      command = ["python", "-m", "jobs.push"]
      environment = [
        { name = "LOG_LEVEL", value = "info" },
        { name = "VENDOR_URL", value = "https://HOST/v1" },
      ]
    }
  ])
}
"""
ECS_HEREDOC = """\
resource "aws_ecs_task_definition" "push" {
  family                = "push"
  container_definitions = <<-EOT
    [
      {
        "name": "push",
        "image": "registry.kcmo.gov/push:1",
        "entryPoint": ["python", "jobs/push.py"],
        "environment": [
          {"name": "VENDOR_URL", "value": "https://HOST/v1"}
        ]
      }
    ]
  EOT
}
"""
CLOUD_RUN_SERVICE = """\
resource "google_cloud_run_v2_service" "push" {
  name     = "push"
  location = "us-central1"
  template {
    containers {
      image   = "us-docker.pkg.dev/kc/push:1"
      command = ["python"]
      args    = ["jobs/push.py"]
      env {
        name  = "VENDOR_URL"
        value = "https://HOST/v1"
      }
    }
  }
}
"""
CLOUD_RUN_JOB = """\
resource "google_cloud_run_v2_job" "push" {
  name     = "push"
  location = "us-central1"
  template {
    template {
      containers {
        image = "us-docker.pkg.dev/kc/push:1"
        args  = ["python", "-m", "jobs.push"]
        env {
          name  = "VENDOR_URL"
          value = "https://HOST/v1"
        }
      }
    }
  }
}
"""
CLOUD_RUN_V1 = """\
resource "google_cloud_run_service" "push" {
  name     = "push"
  location = "us-central1"
  template {
    spec {
      containers {
        image   = "gcr.io/kc/push:1"
        command = ["python", "jobs/push.py"]
        env {
          name  = "VENDOR_URL"
          value = "https://HOST/v1"
        }
      }
    }
  }
}
"""
FUNCTION_V1 = """\
resource "google_cloudfunctions_function" "push" {
  name        = "push"
  runtime     = "python312"
  entry_point = "handler"
  environment_variables = {
    VENDOR_URL = "https://HOST/v1"
  }
}
"""
FUNCTION_V2 = """\
resource "google_cloudfunctions2_function" "push" {
  name     = "push"
  location = "us-central1"
  build_config {
    runtime     = "python312"
    entry_point = "handler"
  }
  service_config {
    environment_variables = {
      VENDOR_URL = "https://HOST/v1"
    }
  }
}
"""
FUNCTION_APP = """\
resource "azurerm_linux_function_app" "push" {
  name                = "kc-push"
  resource_group_name = "kc"
  location            = "centralus"
  service_plan_id     = "/subscriptions/x/plan"
  site_config {}
  app_settings = {
    VENDOR_URL = "https://HOST/v1"
  }
}
"""
WEB_APP = """\
resource "azurerm_linux_web_app" "push" {
  name                = "kc-push"
  resource_group_name = "kc"
  location            = "centralus"
  service_plan_id     = "/subscriptions/x/plan"
  site_config {
    app_command_line = "python jobs/push.py"
  }
  app_settings = {
    VENDOR_URL = "https://HOST/v1"
  }
}
"""
K8S_DEPLOYMENT = """\
resource "kubernetes_deployment" "push" {
  metadata {
    name      = "push"
    namespace = "police"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name    = "push"
          image   = "registry.kcmo.gov/push:1"
          command = ["python", "jobs/push.py"]
          env {
            name  = "VENDOR_URL"
            value = "https://HOST/v1"
          }
        }
      }
    }
  }
}
"""
K8S_CRON_JOB = """\
resource "kubernetes_cron_job_v1" "push" {
  metadata {
    name = "push"
  }
  spec {
    schedule = "0 3 * * *"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            container {
              name  = "push"
              image = "registry.kcmo.gov/push:1"
              args  = ["python", "-m", "jobs.push"]
              env {
                name  = "VENDOR_URL"
                value = "https://HOST/v1"
              }
            }
          }
        }
      }
    }
  }
}
"""
K8S_JOB = """\
resource "kubernetes_job" "push" {
  metadata {
    name = "push"
  }
  spec {
    template {
      metadata {}
      spec {
        container {
          name    = "push"
          image   = "registry.kcmo.gov/push:1"
          command = ["python", "/app/jobs/push.py"]
          env {
            name  = "VENDOR_URL"
            value = "https://HOST/v1"
          }
        }
      }
    }
  }
}
"""

# kind -> (Terraform, the Python file it runs, line setting VENDOR_URL, line naming the script)
KINDS = {
    "aws_lambda_function": (LAMBDA, "jobs/push.py", 8, 4),
    "aws_ecs_task_definition (jsonencode)": (ECS_JSONENCODE, "jobs/push.py", 10, 7),
    "aws_ecs_task_definition (heredoc)": (ECS_HEREDOC, "jobs/push.py", 10, 8),
    "google_cloud_run_v2_service": (CLOUD_RUN_SERVICE, "jobs/push.py", 11, 5),
    "google_cloud_run_v2_job": (CLOUD_RUN_JOB, "jobs/push.py", 11, 6),
    "google_cloud_run_service": (CLOUD_RUN_V1, "jobs/push.py", 11, 6),
    # A Python Cloud Function runs main.py (entry_point is a function in it).
    "google_cloudfunctions_function": (FUNCTION_V1, "functions/push/main.py", 6, 4),
    "google_cloudfunctions2_function": (FUNCTION_V2, "functions/push/main.py", 10, 6),
    # A function app does not say which file it runs: every one that sets the variable counts.
    "azurerm_linux_function_app": (FUNCTION_APP, "functions/push.py", 8, None),
    "azurerm_windows_function_app": (
        FUNCTION_APP.replace("linux_function_app", "windows_function_app"),
        "functions/push.py",
        8,
        None,
    ),
    "azurerm_linux_web_app": (WEB_APP, "jobs/push.py", 10, 7),
    "kubernetes_deployment": (K8S_DEPLOYMENT, "jobs/push.py", 16, 10),
    "kubernetes_cron_job_v1": (K8S_CRON_JOB, "jobs/push.py", 19, 13),
    "kubernetes_job": (K8S_JOB, "jobs/push.py", 15, 9),
}


def _findings(result) -> set[tuple]:
    return {
        (
            f.rule_id,
            f.location.path,
            f.location.start_line,
            tuple((r.location.path, r.location.start_line, r.label) for r in f.related),
        )
        for f in result.active
    }


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dh690_on_each_kind_of_terraform_workload(scan, kind):
    tf, script, env_line, runs_line = KINDS[kind]
    address = f"{kind.split()[0]}.push"
    result = scan(
        {script: PUSH, "infra/main.tf": tf.replace("HOST", VENDOR)}, select=["DH690"], jobs=1
    )
    assert not result.diagnostics
    related = [("infra/main.tf", env_line, f"{address} sets VENDOR_URL")]
    if runs_line is not None:
        related.append(("infra/main.tf", runs_line, f"{address} runs {script}"))
    assert _findings(result) == {("DH690", script, SEND_LINE, tuple(related))}
    (finding,) = result.active
    assert finding.message == (
        "This call sends 'plate' (direct) to $VENDOR_URL, which "
        f"{address} (infra/main.tf) sets to '{VENDOR}', a host not on the approved vendor list"
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dh690_silent_when_terraform_sets_an_approved_host(scan, kind):
    tf, script, _, _ = KINDS[kind]
    result = scan(
        {script: PUSH, "infra/main.tf": tf.replace("HOST", APPROVED)}, select=["DH690"], jobs=1
    )
    assert not result.diagnostics
    assert result.active == []


def _lambda(name: str, handler: str, host: str, runtime: str = "python3.12") -> str:
    return (
        LAMBDA.replace('"push"', f'"{name}"')
        .replace("jobs.push.handler", handler)
        .replace("python3.12", runtime)
        .replace("HOST", host)
    )


def test_the_workload_running_the_script_wins_over_one_running_another(scan):
    # Both set VENDOR_URL; only the value of the function that runs jobs/push.py counts.
    other = _lambda("other", "jobs.other.handler", VENDOR)
    this = _lambda("push", "jobs.push.handler", APPROVED)
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": other + this}, select=["DH690"])
    assert result.active == []
    other = _lambda("other", "jobs.other.handler", APPROVED)
    this = _lambda("push", "jobs.push.handler", VENDOR)
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": other + this}, select=["DH690"])
    assert _findings(result) == {
        (
            "DH690",
            "jobs/push.py",
            SEND_LINE,
            (
                ("infra/main.tf", 19, "aws_lambda_function.push sets VENDOR_URL"),
                ("infra/main.tf", 15, "aws_lambda_function.push runs jobs/push.py"),
            ),
        )
    }


MANIFEST = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: other
  namespace: police
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: other
          image: registry.kcmo.gov/other:1
          command: ["python", "jobs/other.py"]
          env:
            - name: VENDOR_URL
              value: https://HOST/v1
"""


def test_terraform_and_manifests_compete_on_the_script_they_run(scan):
    # A manifest running another script loses to the Lambda that runs this one, and the
    # other way round.
    files = {
        "jobs/push.py": PUSH,
        "k8s/job.yaml": MANIFEST.replace("HOST", VENDOR),
        "infra/main.tf": _lambda("push", "jobs.push.handler", APPROVED),
    }
    assert scan(files, select=["DH690"]).active == []
    files = {
        "jobs/push.py": PUSH,
        "k8s/job.yaml": MANIFEST.replace("HOST", APPROVED).replace("other.py", "push.py"),
        "infra/main.tf": _lambda("push", "jobs.other.handler", VENDOR),
    }
    assert scan(files, select=["DH690"]).active == []
    # No workload visibly runs it: every one that sets the variable counts.
    files["k8s/job.yaml"] = MANIFEST.replace("HOST", APPROVED)
    result = scan(files, select=["DH690"])
    assert _findings(result) == {
        (
            "DH690",
            "jobs/push.py",
            SEND_LINE,
            (("infra/main.tf", 8, "aws_lambda_function.push sets VENDOR_URL"),),
        )
    }


def test_a_lambda_of_another_runtime_runs_no_python_script(scan):
    tf = _lambda("push", "jobs.push.handler", VENDOR, runtime="nodejs20.x")
    tf += _lambda("python", "jobs.push.handler", APPROVED)
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": tf}, select=["DH690"])
    assert result.active == []  # the Python function runs it, and sends to an approved host
    facts = scan(
        {"jobs/push.py": PUSH, "infra/main.tf": _lambda("push", "push.handler", VENDOR, "go1.x")},
        select=["DH690"],
    ).workspace.facts["terraform"]
    assert facts[0]["workloads"][0]["containers"][0]["scripts"] == []


def test_a_lambda_of_another_runtime_is_not_a_fallback_either(scan):
    # No workload runs the script visibly: every one that sets the variable counts, but a
    # Node.js function cannot run Python (probe18tf R2).
    tf = _lambda("push", "index.handler", VENDOR, runtime="nodejs20.x")
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": tf}, select=["DH690"])
    assert result.active == []


ARCHIVED = """\
data "archive_file" "NAME" {
  type        = "zip"
  source_dir  = "${path.module}/../functions/NAME"
  output_path = "${path.module}/build/NAME.zip"
}

resource "aws_lambda_function" "NAME" {
  function_name    = "NAME"
  role             = "arn:aws:iam::123456789012:role/NAME"
  filename         = data.archive_file.NAME.output_path
  source_code_hash = data.archive_file.NAME.output_base64sha256
  handler          = "app.handler"
  runtime          = "python3.12"
  environment {
    variables = {
      VENDOR_URL = "https://HOST/v1"
    }
  }
}
"""


def test_a_lambda_runs_the_handler_of_its_archived_package_only(scan):
    # Two functions, each app.py in its own directory: the package's source_dir says which
    # app.py each Lambda runs (probe18tf R1; before, "app.py" ran every app.py).
    tf = ARCHIVED.replace("NAME", "parking").replace("HOST", VENDOR)
    tf += ARCHIVED.replace("NAME", "permits").replace("HOST", APPROVED)
    files = {
        "functions/parking/app.py": PUSH,
        "functions/permits/app.py": PUSH,
        "infra/main.tf": tf,
    }
    result = scan(files, select=["DH690"])
    found = [
        (f.location.path, f.message.split(", which ")[1].split(" sets")[0]) for f in result.active
    ]
    assert found == [("functions/parking/app.py", "aws_lambda_function.parking (infra/main.tf)")]
    # Named by filename alone (its output_path is known, not a reference): the same.
    files["infra/main.tf"] = "\n".join(
        line for line in tf.splitlines() if "source_code_hash" not in line
    )
    again = scan(files, select=["DH690"]).active
    assert [f.location.path for f in again] == ["functions/parking/app.py"]


VALUES_TF = """\
variable "vendor_host" {
  type = string
}

variable "backup" {
  type = bool
}

locals {
  base = "https://${var.vendor_host}"
}

resource "aws_lambda_function" "push" {
  function_name = "push"
  role          = "arn:aws:iam::123456789012:role/push"
  handler       = "jobs.push.handler"
  runtime       = "python3.12"
  environment {
    variables = {
      VENDOR_URL = "${local.base}/v1"
    }
  }
}
"""


def test_values_come_from_the_evaluator_and_unknown_sets_nothing(scan):
    files = {"jobs/push.py": PUSH, "infra/main.tf": VALUES_TF}
    assert scan(files, select=["DH690"]).active == []  # no value for var.vendor_host
    files["infra/terraform.tfvars"] = f'vendor_host = "{VENDOR}"\nbackup = false\n'
    result = scan(files, select=["DH690"])
    assert _findings(result) == {
        (
            "DH690",
            "jobs/push.py",
            SEND_LINE,
            (
                ("infra/main.tf", 20, "aws_lambda_function.push sets VENDOR_URL"),
                ("infra/main.tf", 16, "aws_lambda_function.push runs jobs/push.py"),
            ),
        )
    }


def test_an_undecided_conditional_sets_each_of_its_values(scan):
    tf = VALUES_TF.replace(
        '"${local.base}/v1"', f'var.backup ? "https://{VENDOR}/v1" : "https://{APPROVED}/v1"'
    )
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": tf}, select=["DH690"])
    (finding,) = result.active
    assert finding.location.start_line == SEND_LINE and f"sets to '{VENDOR}'" in finding.message


FOR_EACH_TF = f"""\
resource "aws_lambda_function" "push" {{
  for_each      = {{ east = "{VENDOR}", west = "{APPROVED}" }}
  function_name = "push-${{each.key}}"
  role          = "arn:aws:iam::123456789012:role/push"
  handler       = "jobs.push.handler"
  runtime       = "python3.12"
  environment {{
    variables = {{
      VENDOR_URL = "https://${{each.value}}/v1"
    }}
  }}
}}
"""


def test_each_for_each_instance_sets_its_own_value(scan):
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": FOR_EACH_TF}, select=["DH690"])
    (finding,) = result.active
    assert 'which aws_lambda_function.push["east"] (infra/main.tf) sets to' in finding.message
    assert [(r.location.start_line, r.label) for r in finding.related] == [
        (9, 'aws_lambda_function.push["east"] sets VENDOR_URL'),
        (5, 'aws_lambda_function.push["east"] runs jobs/push.py'),
    ]
    assert finding.anchor.endswith(
        '->aws_lambda_function.push["east"]:environment.variables.VENDOR_URL'
    )


WRITE = """\
import os

import pandas as pd


def handler(event, context):
    reads = pd.read_csv("reads.csv", usecols=["plate", "camera_id", "read_at"])
    reads.to_parquet(f"s3://{os.environ['RAW_BUCKET']}/reads/today.parquet")
"""
BUCKET_TF = """\
resource "aws_s3_bucket" "raw" {
  bucket = "kc-alpr-raw"
  tags = {
    data-classification = "personal"
  }
}

resource "aws_lambda_function" "push" {
  function_name = "push"
  role          = "arn:aws:iam::123456789012:role/push"
  handler       = "jobs.push.handler"
  runtime       = "python3.12"
  environment {
    variables = {
      RAW_BUCKET = aws_s3_bucket.raw.bucket
    }
  }
}
"""


def test_a_bucket_named_by_a_lambda_variable_is_judged_by_its_terraform(scan):
    result = scan({"jobs/push.py": WRITE, "infra/main.tf": BUCKET_TF}, select=CROSS)
    assert not result.diagnostics
    related = (
        ("infra/main.tf", 1, "Terraform aws_s3_bucket.raw"),
        ("infra/main.tf", 11, "aws_lambda_function.push runs jobs/push.py"),
        ("infra/main.tf", 15, "aws_lambda_function.push sets RAW_BUCKET"),
    )
    assert _findings(result) == {
        ("DH190", "jobs/push.py", 8, related),
        ("DH390", "jobs/push.py", 8, related),
        ("DH990", "jobs/push.py", 8, related),
    }
    assert "'s3://kc-alpr-raw/reads/today.parquet'" in result.active[0].message
    # A variable naming a bucket the scanned Terraform does not define: nothing to judge.
    other = BUCKET_TF.replace("aws_s3_bucket.raw.bucket", '"kc-partner-drop"')
    assert scan({"jobs/push.py": WRITE, "infra/main.tf": other}, select=CROSS).active == []


def test_inventory_lists_terraform_workloads_and_who_sets_a_vendor(scan):
    tf = LAMBDA.replace("HOST", VENDOR)
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": tf}, select=["DH690"], collect_facts=True)
    doc = report.build(result)
    assert doc["workloads"] == [
        {
            "ref": "aws_lambda_function.push",
            "path": "infra/main.tf",
            "line": 1,
            "runs": ["jobs/push.py"],
            "classification": None,
        }
    ]
    (vendor,) = doc["vendors"]
    assert vendor["host"] == VENDOR
    assert vendor["set_by"] == [
        {
            "env": "VENDOR_URL",
            "workload": "aws_lambda_function.push",
            "path": "infra/main.tf",
            "line": 8,
        }
    ]


def test_terraform_facts_of_a_workload(scan):
    result = scan({"infra/main.tf": K8S_DEPLOYMENT.replace("HOST", VENDOR)}, collect_facts=True)
    (facts,) = result.workspace.facts["terraform"]
    assert facts["stores"] == []
    (workload,) = facts["workloads"]
    assert {k: workload[k] for k in ("ref", "kind", "name", "namespace", "path", "loc")} == {
        "ref": "kubernetes_deployment.push",
        "kind": "kubernetes_deployment",
        "name": "push",
        "namespace": "police",
        "path": "infra/main.tf",
        "loc": ["infra/main.tf", 1, 1, 1, 40],
    }
    (container,) = workload["containers"]
    assert container["scripts"] == ["jobs/push.py"]
    assert container["env"] == [
        {
            "name": "VENDOR_URL",
            "value": f"https://{VENDOR}/v1",
            "hosts": [VENDOR],
            "loc": ["infra/main.tf", 16, 13, 16, 55],
            "anchor": (
                "kubernetes_deployment.push:spec.template.spec.container[push].env[VENDOR_URL]"
            ),
            "source": "terraform",
        }
    ]


def test_model_records_where_jsonencode_members_and_heredoc_text_are_written():
    from dhlint.models.terraform import JSON_MEMBERS, TEXT_START
    from tests.terraform._helpers import model_of

    jsonencoded = model_of({"main.tf": ECS_JSONENCODE.replace("HOST", VENDOR)})
    (res,) = jsonencoded.resources
    assert isinstance(res.values["container_definitions"], str)  # the value is unchanged
    assert res.loc(("container_definitions", JSON_MEMBERS, 0, "command")).start_line == 7
    where = res.loc(("container_definitions", JSON_MEMBERS, 0, "environment", 1, "value"))
    assert (where.start_line, where.start_col) == (10, 32)
    heredoc = model_of({"main.tf": ECS_HEREDOC.replace("HOST", VENDOR)})
    (res,) = heredoc.resources
    assert res.loc(("container_definitions", TEXT_START)).start_line == 4
    assert res.loc(("container_definitions", JSON_MEMBERS, 0)).start_line == 3  # the attribute


def test_unknown_parts_of_an_ecs_definition_set_nothing(scan):
    # The image and one value are known only at apply time: jsonencode keeps the document,
    # the value with an unknown part sets nothing, the known one still counts.
    tf = 'variable "image" {}\nvariable "host" {}\n' + ECS_JSONENCODE.replace(
        '"registry.kcmo.gov/push:1"', "var.image"
    ).replace('value = "info"', 'value = "https://${var.host}/v1"').replace(
        '"LOG_LEVEL"', '"VENDOR_URL"'
    ).replace("HOST", VENDOR)
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": tf}, select=["DH690"], collect_facts=True)
    (workload,) = result.workspace.facts["terraform"][0]["workloads"]
    (container,) = workload["containers"]
    assert [(e["value"], e["loc"][1]) for e in container["env"]] == [(f"https://{VENDOR}/v1", 12)]
    (finding,) = result.active
    assert [(r.location.start_line, r.label) for r in finding.related] == [
        (12, "aws_ecs_task_definition.push sets VENDOR_URL"),
        (9, "aws_ecs_task_definition.push runs jobs/push.py"),
    ]


EXPORT = """\
import io
import os

import boto3
import pandas as pd

s3 = boto3.client("s3")


def handler(event, context):
    reads = pd.read_csv("reads.csv", usecols=["plate", "camera_id", "read_at"])
    reads.to_parquet(f"s3://{os.environ['OUT_BUCKET']}/reads/today.parquet")
    buf = io.StringIO()
    reads.to_csv(buf)
    s3.put_object(Bucket=os.environ["OUT_BUCKET"], Key="reads/today.csv", Body=buf.getvalue())
"""
EXPORT_TF = """\
resource "aws_s3_bucket" "exports" {
  bucket = "kc-alpr-exports"
  tags = {
    data-classification = "personal"
  }
}

resource "aws_lambda_function" "export" {
  function_name = "export"
  role          = "arn:aws:iam::123456789012:role/export"
  handler       = "jobs.export.handler"
  runtime       = "python3.12"
  environment {
    variables = {
      OUT_BUCKET = aws_s3_bucket.exports.id
    }
  }
}
"""
EXPORT_RELATED = (
    ("infra/main.tf", 1, "Terraform aws_s3_bucket.exports"),
    ("infra/main.tf", 11, "aws_lambda_function.export runs jobs/export.py"),
    ("infra/main.tf", 15, "aws_lambda_function.export sets OUT_BUCKET"),
)


def test_a_lambda_variable_set_to_a_bucket_id_names_that_bucket(scan):
    # OUT_BUCKET = aws_s3_bucket.exports.id: the id is the bucket's name (was unknown: no
    # cross finding on either write, probe h2 item 1).
    result = scan({"jobs/export.py": EXPORT, "infra/main.tf": EXPORT_TF}, select=CROSS)
    assert not result.diagnostics
    assert _findings(result) == {
        (rule, "jobs/export.py", line, EXPORT_RELATED)
        for rule in ("DH190", "DH390", "DH990")
        for line in (12, 15)
    }
    uris = sorted({f.message.split(" written to '")[1].split("', whose")[0] for f in result.active})
    assert uris == ["kc-alpr-exports", "s3://kc-alpr-exports/reads/today.parquet"]


def test_a_bucket_of_unknown_name_is_joined_by_its_address(scan):
    # bucket_prefix: the name is made at apply; the variable still names that bucket.
    tf = EXPORT_TF.replace('bucket = "kc-alpr-exports"', 'bucket_prefix = "kc-exports-"')
    result = scan({"jobs/export.py": EXPORT, "infra/main.tf": tf}, select=CROSS)
    assert _findings(result) == {
        (rule, "jobs/export.py", line, EXPORT_RELATED)
        for rule in ("DH190", "DH390", "DH990")
        for line in (12, 15)
    }
    by_line = {f.location.start_line: f.message for f in result.active if f.rule_id == "DH190"}
    assert by_line[12].startswith(
        "'plate' (direct) written to 's3://{aws_s3_bucket.exports}/reads/today.parquet', whose"
    )
    assert "written to 's3://{aws_s3_bucket.exports}', whose" in by_line[15]


@pytest.mark.parametrize(
    "value",
    [
        '"${aws_s3_bucket.exports.id}-staging"',  # another bucket's name, made from it
        "aws_s3_bucket.other.id",  # a bucket the scanned Terraform does not define
        "var.bucket",  # not known at all
        # another attribute of the bucket: no name of it (probe21tf R4)
        "aws_s3_bucket.exports.arn",
        "aws_s3_bucket.exports.region",
        "aws_s3_bucket.exports.bucket_regional_domain_name",
    ],
)
def test_a_variable_not_naming_a_scanned_bucket_joins_nothing(scan, value):
    tf = EXPORT_TF.replace('bucket = "kc-alpr-exports"', 'bucket_prefix = "kc-exports-"')
    tf = tf.replace("aws_s3_bucket.exports.id", value) + 'variable "bucket" {}\n'
    assert scan({"jobs/export.py": EXPORT, "infra/main.tf": tf}, select=CROSS).active == []


CLOUD_RUN_EXPORT = """\
resource "google_storage_bucket" "exports" {
  name     = "kc-alpr-exports"
  location = "US"
  labels = {
    data-classification = "personal"
  }
}

resource "google_cloud_run_v2_job" "export" {
  name     = "export"
  location = "us-central1"
  template {
    template {
      containers {
        image   = "us-docker.pkg.dev/kc/export:1"
        command = ["python", "jobs/export.py"]
        env {
          name  = "OUT_URI"
          value = "${google_storage_bucket.exports.url}/reads"
        }
      }
    }
  }
}
"""
GCS_EXPORT = """\
import os

import pandas as pd

reads = pd.read_csv("reads.csv", usecols=["plate", "camera_id", "read_at"])
reads.to_parquet(os.environ["OUT_URI"] + "/today.parquet")
"""


def test_a_cloud_run_variable_set_to_a_gcs_bucket_url(scan):
    result = scan({"jobs/export.py": GCS_EXPORT, "infra/main.tf": CLOUD_RUN_EXPORT}, select=CROSS)
    assert not result.diagnostics
    rules = sorted((f.rule_id, f.location.start_line) for f in result.active)
    assert rules == [("DH390", 6), ("DH990", 6)]  # GCS encrypts by default: no DH190
    assert [(r.location.start_line, r.label) for r in result.active[0].related] == [
        (1, "Terraform google_storage_bucket.exports"),
        (14, "google_cloud_run_v2_job.export runs jobs/export.py"),
        (19, "google_cloud_run_v2_job.export sets OUT_URI"),
    ]


def test_a_variable_rendered_by_template_directives(scan):
    # %{ if var.pilot }...%{ else }...%{ endif } in a Lambda's variable: the branch the known
    # condition takes (was unknown, so nothing was judged); an unknown condition sets each of
    # its two values, as var.pilot ? a : b does (it set nothing before).
    tf = (
        VALUES_TF.replace('variable "backup"', 'variable "pilot"')
        .replace("type = bool", "default = true")
        .replace(
            '"${local.base}/v1"',
            f'"https://%{{ if var.pilot }}{VENDOR}%{{ else }}{APPROVED}%{{ endif }}/v1"',
        )
    )
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": tf}, select=["DH690"])
    assert _findings(result) == {
        (
            "DH690",
            "jobs/push.py",
            SEND_LINE,
            (
                ("infra/main.tf", 20, "aws_lambda_function.push sets VENDOR_URL"),
                ("infra/main.tf", 16, "aws_lambda_function.push runs jobs/push.py"),
            ),
        )
    }
    files = {"jobs/push.py": PUSH, "infra/main.tf": tf}
    files["infra/terraform.tfvars"] = "pilot = false\n"
    assert scan(files, select=["DH690"]).active == []
    unknown = tf.replace("default = true", "type = bool")
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": unknown}, select=["DH690"])
    assert _findings(result) == {
        (
            "DH690",
            "jobs/push.py",
            SEND_LINE,
            (
                ("infra/main.tf", 20, "aws_lambda_function.push sets VENDOR_URL"),
                ("infra/main.tf", 16, "aws_lambda_function.push runs jobs/push.py"),
            ),
        )
    }
    assert f"to '{VENDOR}'" in result.active[0].message
    expected = _findings(result)
    # Several undecided conditions (they set nothing before): the same one written twice is
    # one choice, two distinct ones give four renderings; the vendor's is among them.
    same = unknown.replace("%{ endif }/v1", "%{ endif }%{ if var.pilot }/v2%{ endif }/v1")
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": same}, select=["DH690"])
    assert _findings(result) == expected
    trace = '%{ if var.vendor_host == "debug" }?trace=1%{ endif }'
    two = unknown.replace("%{ endif }/v1", "%{ endif }/v1" + trace)
    result = scan({"jobs/push.py": PUSH, "infra/main.tf": two}, select=["DH690"])
    assert _findings(result) == expected
    assert len(result.active) == 1
    # More distinct ones than are rendered (MAX_CONDITIONS): an unknown part, which sets nothing.
    flags = "".join(f'%{{ if var.vendor_host == "{i}" }}&f{i}=1%{{ endif }}' for i in range(20))
    many = unknown.replace("%{ endif }/v1", "%{ endif }/v1?" + flags)
    assert scan({"jobs/push.py": PUSH, "infra/main.tf": many}, select=["DH690"]).active == []


def test_a_handler_without_a_known_package_runs_the_one_file_it_can_be(scan):
    # handler = "main.handler", no archive: before, it ran every main.py of the repository,
    # so a Lambda of the vendor's pushed its VENDOR_URL onto etl/main.py, which a Job runs
    # with an approved one (a false DH690 there). Now it runs a main.py only when that is the
    # only one of the run.
    lambda_tf = _lambda("push", "main.handler", VENDOR)
    job = MANIFEST.replace("HOST", APPROVED).replace("jobs/other.py", "etl/main.py")
    files = {
        "etl/main.py": PUSH,
        "lambda/main.py": PUSH,
        "k8s/job.yaml": job,
        "infra/main.tf": lambda_tf,
    }
    result = scan(files, select=["DH690"])
    # lambda/main.py: nothing visibly runs it, so every workload setting the variable counts
    # (the Lambda's value, with no "runs" location).
    assert _findings(result) == {
        (
            "DH690",
            "lambda/main.py",
            SEND_LINE,
            (("infra/main.tf", 8, "aws_lambda_function.push sets VENDOR_URL"),),
        )
    }
    # One main.py in the run: the handler's module is that file.
    alone = scan({"lambda/main.py": PUSH, "infra/main.tf": lambda_tf}, select=["DH690"])
    assert _findings(alone) == {
        (
            "DH690",
            "lambda/main.py",
            SEND_LINE,
            (
                ("infra/main.tf", 8, "aws_lambda_function.push sets VENDOR_URL"),
                ("infra/main.tf", 4, "aws_lambda_function.push runs lambda/main.py"),
            ),
        )
    }


ARCHIVED_INSTANCES = f"""\
data "archive_file" "fn" {{
  for_each    = toset(["parking", "permits"])
  type        = "zip"
  source_dir  = "${{path.module}}/../functions/${{each.key}}"
  output_path = "${{path.module}}/build/${{each.key}}.zip"
}}

resource "aws_lambda_function" "fn" {{
  for_each         = {{ parking = "{VENDOR}", permits = "{APPROVED}" }}
  function_name    = each.key
  role             = "arn:aws:iam::123456789012:role/fn"
  filename         = data.archive_file.fn[each.key].output_path
  source_code_hash = data.archive_file.fn[each.key].output_base64sha256
  handler          = "app.handler"
  runtime          = "python3.12"
  environment {{
    variables = {{
      VENDOR_URL = "https://${{each.value}}/v1"
    }}
  }}
}}
"""


def test_a_lambda_instance_runs_the_package_of_its_archive_instance(scan):
    # An archive_file with its own for_each was not followed: each Lambda instance ran every
    # app.py, and the parking vendor's URL was judged on permits/app.py too.
    files = {
        "functions/parking/app.py": PUSH,
        "functions/permits/app.py": PUSH,
        "infra/main.tf": ARCHIVED_INSTANCES,
    }
    result = scan(files, select=["DH690"])
    assert _findings(result) == {
        (
            "DH690",
            "functions/parking/app.py",
            SEND_LINE,
            (
                ("infra/main.tf", 18, 'aws_lambda_function.fn["parking"] sets VENDOR_URL'),
                (
                    "infra/main.tf",
                    14,
                    'aws_lambda_function.fn["parking"] runs functions/parking/app.py',
                ),
            ),
        )
    }
    # By filename alone (the known output_path of that instance): the same.
    files["infra/main.tf"] = "\n".join(
        line for line in ARCHIVED_INSTANCES.splitlines() if "source_code_hash" not in line
    )
    again = scan(files, select=["DH690"]).active
    assert [f.location.path for f in again] == ["functions/parking/app.py"]


CF_INTAKE = f"""\
resource "google_cloudfunctions2_function" "intake" {{
  name     = "intake"
  location = "us-central1"
  build_config {{
    runtime     = "python312"
    entry_point = "intake"
  }}
  service_config {{
    environment_variables = {{ VENDOR_URL = "https://{VENDOR}/v1" }}
  }}
}}
"""


def test_a_cloud_function_main_py_is_not_every_main_py(scan):
    # probe18tf R1b: a Python Cloud Function "ran" jobs/main.py too, which a Job runs with an
    # approved host, so the function's vendor was judged there.
    job = MANIFEST.replace("HOST", APPROVED).replace("jobs/other.py", "jobs/main.py")
    files = {"fn/main.py": PUSH, "jobs/main.py": PUSH, "k8s/job.yaml": job}
    files["infra/main.tf"] = CF_INTAKE
    result = scan(files, select=["DH690"])
    # fn/main.py: no workload visibly runs it; the function may (one of two main.py): its value.
    assert _findings(result) == {
        (
            "DH690",
            "fn/main.py",
            SEND_LINE,
            (("infra/main.tf", 9, "google_cloudfunctions2_function.intake sets VENDOR_URL"),),
        )
    }


ECS_EXPORT_TF = """\
resource "aws_s3_bucket" "exports" {
  bucket_prefix = "kc-exports-"
  tags = {
    data-classification = "personal"
  }
}

resource "aws_ecs_task_definition" "export" {
  family = "export"
  container_definitions = jsonencode([
    {
      name        = "export"
      image       = "registry.kcmo.gov/export:1"
      command     = ["python", "jobs/export.py"]
      environment = [{ name = "OUT_BUCKET", value = aws_s3_bucket.exports.id }]
    }
  ])
}
"""


def test_an_ecs_variable_set_to_a_bucket_of_unknown_name_is_joined_by_its_address(scan):
    # In jsonencode(...) the bucket's id was only '${?}' in the document's text: the address
    # was lost and the task's writes were joined to no store (a Lambda's variable kept it).
    files = {"jobs/export.py": EXPORT, "infra/main.tf": ECS_EXPORT_TF}
    result = scan(files, select=CROSS)
    related = (
        ("infra/main.tf", 1, "Terraform aws_s3_bucket.exports"),
        ("infra/main.tf", 14, "aws_ecs_task_definition.export runs jobs/export.py"),
        ("infra/main.tf", 15, "aws_ecs_task_definition.export sets OUT_BUCKET"),
    )
    assert _findings(result) == {
        (rule, "jobs/export.py", line, related)
        for rule in ("DH190", "DH390", "DH990")
        for line in (12, 15)
    }
    by_line = {f.location.start_line: f.message for f in result.active if f.rule_id == "DH190"}
    assert "written to 's3://{aws_s3_bucket.exports}/reads/today.parquet', whose" in by_line[12]


def test_a_bucket_set_for_one_services_script_is_not_another_services(scan):
    # probe23 t08/t09: the permits task runs its own jobs/export.py (the nearer one), yet its
    # bucket was joined to the parking service's jobs/export.py as well, which no workload
    # visibly runs ("may run" fell back to every container naming a script of that name).
    files = {
        "services/permits/jobs/export.py": EXPORT,
        "services/parking/jobs/export.py": EXPORT,
        "services/permits/infra/main.tf": ECS_EXPORT_TF,
    }
    found = {(f.rule_id, f.location.path) for f in scan(files, select=CROSS).active}
    assert found == {
        (rule, "services/permits/jobs/export.py") for rule in ("DH190", "DH390", "DH990")
    }


@pytest.mark.parametrize(
    "value",
    [
        "aws_s3_bucket.exports.arn",  # no name of the bucket
        '"${aws_s3_bucket.exports.id}-staging"',  # another bucket's name
        "var.bucket",  # not known at all
    ],
)
def test_an_ecs_variable_not_naming_the_bucket_joins_nothing(scan, value):
    tf = ECS_EXPORT_TF.replace("aws_s3_bucket.exports.id", value) + 'variable "bucket" {}\n'
    assert scan({"jobs/export.py": EXPORT, "infra/main.tf": tf}, select=CROSS).active == []


ECS_HEREDOC_TF = """\
variable "tag" {}
resource "aws_s3_bucket" "exports" {
  bucket_prefix = "kc-exports-"
  tags = {
    data-classification = "personal"
  }
}

resource "aws_ecs_task_definition" "export" {
  family = "export"
  container_definitions = <<EOF
[
  {
    "name": "export",
    "image": "registry.kcmo.gov/export:${var.tag}",
    "command": ["python", "jobs/export.py"],
    "environment": [
      {"name": "ROLE_ARN", "value": "${aws_s3_bucket.exports.arn}"},
      {"name": "OUT_BUCKET", "value": "VALUE"}
    ]
  }
]
EOF
}
"""
ECS_QUOTED_TF = """\
resource "aws_s3_bucket" "exports" {
  bucket_prefix = "kc-exports-"
  tags = {
    data-classification = "personal"
  }
}

resource "aws_ecs_task_definition" "export" {
  family = "export"
  container_definitions = DEFINITIONS
}
""".replace(  # a quoted JSON string
    "DEFINITIONS",
    json.dumps(
        json.dumps(
            [
                {
                    "name": "export",
                    "command": ["python", "jobs/export.py"],
                    "environment": [{"name": "OUT_BUCKET", "value": "VALUE"}],
                }
            ]
        )
    ),
)


@pytest.mark.parametrize(
    "tf, value, lines",
    [
        (ECS_HEREDOC_TF, "${aws_s3_bucket.exports.id}", (16, 19)),
        (ECS_HEREDOC_TF, "s3://${aws_s3_bucket.exports.id}/reads", (16, 19)),
        (ECS_QUOTED_TF, "${aws_s3_bucket.exports.id}", (10, 10)),
    ],
    ids=["heredoc", "heredoc-uri", "quoted"],
)
def test_an_ecs_variable_in_a_json_heredoc_set_to_a_bucket_of_unknown_name(scan, tf, value, lines):
    # A JSON heredoc or string instead of jsonencode (1580b39): its text showed the bucket's
    # id as '${?}' only, so the task's writes were joined to no store. The template's unknown
    # parts are kept in order, so the n-th ${?} of the text is the n-th part's value.
    files = {"jobs/export.py": EXPORT, "infra/main.tf": tf.replace("VALUE", value)}
    result = scan(files, select=CROSS)
    runs, sets = lines
    related = (
        ("infra/main.tf", 1 if tf is ECS_QUOTED_TF else 2, "Terraform aws_s3_bucket.exports"),
        ("infra/main.tf", runs, "aws_ecs_task_definition.export runs jobs/export.py"),
        ("infra/main.tf", sets, "aws_ecs_task_definition.export sets OUT_BUCKET"),
    )
    assert _findings(result) == {
        (rule, "jobs/export.py", line, related)
        for rule in ("DH190", "DH390", "DH990")
        for line in (12, 15)
    }
    by_line = {f.location.start_line: f.message for f in result.active if f.rule_id == "DH190"}
    assert "written to 's3://{aws_s3_bucket.exports}/reads/today.parquet', whose" in by_line[12]


@pytest.mark.parametrize(
    "value",
    [
        "${aws_s3_bucket.exports.arn}",  # no name of the bucket
        "${aws_s3_bucket.exports.id}-staging",  # another bucket's name
        "${aws_s3_bucket.exports.id}${var.tag}",  # two unknown parts
        "${var.tag}",  # not known at all
    ],
)
def test_an_ecs_variable_in_a_json_heredoc_not_naming_the_bucket_joins_nothing(scan, value):
    tf = ECS_HEREDOC_TF.replace("VALUE", value)
    assert scan({"jobs/export.py": EXPORT, "infra/main.tf": tf}, select=CROSS).active == []


def _job(name: str, host: str) -> str:
    job = MANIFEST.replace("name: other", f"name: {name}").replace("jobs/other.py", "jobs/push.py")
    return job.replace("HOST", host)


def test_a_container_command_runs_the_script_nearest_the_file_defining_it(scan):
    # python jobs/push.py ran every jobs/push.py of the repository: the permits job's vendor
    # was judged on the parking service's code too, which its own job runs with an approved one.
    files = {
        "services/permits/jobs/push.py": PUSH,
        "services/parking/jobs/push.py": PUSH,
        "services/permits/k8s/job.yaml": _job("permits", VENDOR),
        "services/parking/k8s/job.yaml": _job("parking", APPROVED),
    }
    runs = (
        "services/permits/k8s/job.yaml",
        11,
        "Job/police/permits runs services/permits/jobs/push.py",
    )
    sets = ("services/permits/k8s/job.yaml", 16, "Job/police/permits sets VENDOR_URL")
    expected = {("DH690", "services/permits/jobs/push.py", SEND_LINE, (sets, runs))}
    assert _findings(scan(files, select=["DH690"])) == expected
    # An ECS task of the permits service's Terraform: the same.
    del files["services/permits/k8s/job.yaml"]
    files["services/permits/infra/main.tf"] = ECS_JSONENCODE.replace("HOST", VENDOR)
    result = scan(files, select=["DH690"])
    assert [(f.location.path, [r.label for r in f.related]) for f in result.active] == [
        (
            "services/permits/jobs/push.py",
            [
                "aws_ecs_task_definition.push sets VENDOR_URL",
                "aws_ecs_task_definition.push runs services/permits/jobs/push.py",
            ],
        )
    ]


def test_a_container_command_as_near_to_several_scripts_runs_none_of_them(scan):
    # deploy/job.yaml is as near to both: it only may run each (its value counts where no
    # workload visibly runs the file, without a 'runs' location), and parking's own job wins.
    files = {
        "services/permits/jobs/push.py": PUSH,
        "services/parking/jobs/push.py": PUSH,
        "deploy/job.yaml": _job("push", VENDOR),
    }
    sets = ("deploy/job.yaml", 16, "Job/police/push sets VENDOR_URL")
    assert _findings(scan(files, select=["DH690"])) == {
        ("DH690", path, SEND_LINE, (sets,))
        for path in ("services/permits/jobs/push.py", "services/parking/jobs/push.py")
    }
    files["services/parking/k8s/job.yaml"] = _job("parking", APPROVED)
    assert _findings(scan(files, select=["DH690"])) == {
        ("DH690", "services/permits/jobs/push.py", SEND_LINE, (sets,))
    }


def test_dh690_is_one_finding_per_host_with_every_workload_setting_it(scan):
    # Two Jobs and an ECS task set VENDOR_URL to the same vendor host: one finding per
    # workload at the same line before (three annotations, one fix); now one per host, each
    # setter a related location. Another host stays a finding of its own; an approved one is
    # none.
    other = "api.other-vendor.example"
    files = {
        "jobs/push.py": PUSH,
        "k8s/a.yaml": _job("alpr-a", VENDOR),
        "k8s/b.yaml": _job("alpr-b", VENDOR),
        "k8s/c.yaml": _job("alpr-c", other),
        "k8s/d.yaml": _job("alpr-d", APPROVED),
        "infra/main.tf": ECS_JSONENCODE.replace("HOST", VENDOR),
    }
    result = scan(files, select=["DH690"])
    assert _findings(result) == {
        (
            "DH690",
            "jobs/push.py",
            SEND_LINE,
            (
                ("k8s/a.yaml", 16, "Job/police/alpr-a sets VENDOR_URL"),
                ("k8s/a.yaml", 11, "Job/police/alpr-a runs jobs/push.py"),
                ("k8s/b.yaml", 16, "Job/police/alpr-b sets VENDOR_URL"),
                ("k8s/b.yaml", 11, "Job/police/alpr-b runs jobs/push.py"),
                ("infra/main.tf", 10, "aws_ecs_task_definition.push sets VENDOR_URL"),
                ("infra/main.tf", 7, "aws_ecs_task_definition.push runs jobs/push.py"),
            ),
        ),
        (
            "DH690",
            "jobs/push.py",
            SEND_LINE,
            (
                ("k8s/c.yaml", 16, "Job/police/alpr-c sets VENDOR_URL"),
                ("k8s/c.yaml", 11, "Job/police/alpr-c runs jobs/push.py"),
            ),
        ),
    }
    messages = sorted(f.message.split(" to $VENDOR_URL, which ")[1] for f in result.active)
    assert messages == [
        "Job/police/alpr-a (k8s/a.yaml), Job/police/alpr-b (k8s/b.yaml) and"
        " aws_ecs_task_definition.push (infra/main.tf) set to 'ingest.vendor.example', a host"
        " not on the approved vendor list",
        "Job/police/alpr-c (k8s/c.yaml) sets to 'api.other-vendor.example', a host not on the"
        " approved vendor list",
    ]
    # The fingerprint is the first setter's, as when it was a finding of its own.
    alone = scan({"jobs/push.py": PUSH, "k8s/a.yaml": files["k8s/a.yaml"]}, select=["DH690"])
    (first,) = [f for f in result.active if VENDOR in f.message]
    assert fingerprint(first) == fingerprint(alone.active[0])
    # Four or more: the first two named, the others counted (all are related locations).
    files.update({f"k8s/e{i}.yaml": _job(f"alpr-e{i}", VENDOR) for i in range(2)})
    result = scan(files, select=["DH690"])
    assert len(result.active) == 2
    (first,) = [f for f in result.active if VENDOR in f.message]
    assert (
        "police/alpr-a (k8s/a.yaml), Job/police/alpr-b (k8s/b.yaml) and 3 other workloads set"
        in first.message
    )
    assert len(first.related) == 10


def test_a_bucket_named_with_another_environments_tfvars_is_joined(scan):
    # probe38 min/10: a CronJob names the prod bucket, "kcpd-alpr-images-${var.env}" with
    # infra/env/prod.tfvars; names were resolved with the default tfvars only (-dev).
    upload = (
        "import os\n\nimport boto3\n\n"
        'BUCKET = os.environ["IMAGES_BUCKET"]\n\n\n'
        "def upload(rows: list[dict]) -> None:\n"
        "    body = \"\\n\".join(f\"{r['plate']},{r['camera_id']}\" for r in rows)\n"
        '    boto3.client("s3").put_object(Bucket=BUCKET, Key="m.csv", Body=body.encode())\n'
    )
    cronjob = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: uploader
spec:
  schedule: "*/15 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: uploader
              image: registry.kcmo.gov/alpr/agent:1
              command: ["python", "jobs/upload.py"]
              env:
                - {name: IMAGES_BUCKET, value: kcpd-alpr-images-prod}
"""
    files = {
        "jobs/upload.py": upload,
        "k8s/cronjob.yaml": cronjob,
        "infra/main.tf": 'variable "env" { type = string }\n'
        'resource "aws_s3_bucket" "images" {\n  bucket = "kcpd-alpr-images-${var.env}"\n'
        '  tags   = { "data-classification" = "personal" }\n}\n',
        "infra/terraform.tfvars": 'env = "dev"\n',
        "infra/env/prod.tfvars": 'env = "prod"\n',
    }
    result = scan(files, select=CROSS)
    assert sorted((f.rule_id, f.location.path, f.location.start_line) for f in result.active) == [
        ("DH190", "jobs/upload.py", 10),
        ("DH390", "jobs/upload.py", 10),
        ("DH990", "jobs/upload.py", 10),
    ]
    labels = [(r.location.path, r.label) for r in result.active[0].related]
    assert labels[:2] == [
        ("infra/main.tf", "Terraform aws_s3_bucket.images"),
        ("infra/env/prod.tfvars", "its name with infra/env/prod.tfvars"),
    ]
    # the dev bucket is the root model's: no environment named
    files["k8s/cronjob.yaml"] = cronjob.replace("-prod", "-dev")
    dev = scan(files, select=CROSS)
    assert len(dev.active) == 3
    assert all(r.location.path != "infra/env/prod.tfvars" for r in dev.active[0].related)
