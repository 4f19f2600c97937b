"""Building models leaves no reference cycles behind.

Parse trees and models are millions of objects. When a cycle holds them, they outlive the
file until the cyclic collector's next pass, and each pass re-scans them: in the benchmark,
collection took 2.2 s of a 1-core run before the builders broke their cycles, 0.5 s after.
"""

from __future__ import annotations

import gc

from dhlint.analysis import BuildEnv
from dhlint.models.python import build_models as build_python
from dhlint.policy import default_policy
from dhlint.types import SourceFile
from tests.terraform._helpers import build as build_terraform

PIPELINE = """\
import requests

URL = "https://vendor.example.com/upload"


def export(rows):
    def pick(row):  # a nested def closes over export's scope
        return {"email": row["email"], "id": row["id"]}

    key = lambda row: row["id"]  # so does a lambda
    payload = [pick(row) for row in sorted(rows, key=key)]
    # A literal with an escape: read by the stdlib parser, not ast.literal_eval (closures).
    requests.post(URL, json=payload, verify=False, headers={"X-Separator": "\\t"})


to_text = lambda value: str(value)
"""

ROOT = """
variable "bucket" {
  default = "city-sensor-data"
}

module "store" {
  source = "./store"
  name   = var.bucket
}
"""

CHILD = """
variable "name" {}

resource "aws_s3_bucket" "data" {
  bucket = var.name
}

output "arn" {
  value = aws_s3_bucket.data.arn
}
"""


def _cyclic_garbage(build) -> int:
    """Objects the cyclic collector frees once ``build()``'s result is dropped."""
    build()  # the first run imports modules (and parsers), whose set-up can leave cycles
    gc.collect()
    gc.disable()
    try:
        result = build()
        assert result.models and not result.diagnostics, result.diagnostics
        del result
        return gc.collect()
    finally:
        gc.enable()


def test_python_analysis_leaves_no_cycles():
    source = SourceFile("etl.py", "/x/etl.py", "python", PIPELINE)
    env = BuildEnv(policy=default_policy(), root="/x")

    def build():
        result = build_python([source], env)
        assert result.models[0].analysed and result.models[0].endpoints
        return result

    assert _cyclic_garbage(build) == 0


def test_terraform_build_leaves_no_cycles():
    def build():
        result = build_terraform({"main.tf": ROOT, "store/main.tf": CHILD})
        (model,) = result.models
        assert any(r.values.get("bucket") == "city-sensor-data" for r in model.resources)
        return result

    assert _cyclic_garbage(build) == 0
