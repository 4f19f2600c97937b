"""The issue-2 Terraform rules (DH101, DH301) through the engine, with exact lines."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES, rule_ids

from ._helpers import expectations

V3 = """resource "aws_s3_bucket" "raw" {
  bucket = "kc-alpr-raw"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}
"""

V4 = """resource "aws_s3_bucket" "raw" {
  bucket = "kc-alpr-raw"
}
"""

V4_SSE_REF = """resource "aws_s3_bucket_server_side_encryption_configuration" "raw" {
  bucket = aws_s3_bucket.raw.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
"""


def test_dh101_inline_v3_block_is_encrypted(scan):
    assert rule_ids(scan({"main.tf": V3}, select=["DH101"])) == []


def test_dh101_separate_resource_by_reference_in_another_file(scan):
    result = scan({"main.tf": V4, "sse.tf": V4_SSE_REF}, select=["DH101"])
    assert rule_ids(result) == []


def test_dh101_separate_resource_by_literal_name(scan):
    sse = V4_SSE_REF.replace("aws_s3_bucket.raw.id", '"kc-alpr-raw"')
    assert rule_ids(scan({"main.tf": V4, "sse.tf": sse}, select=["DH101"])) == []


def test_dh101_companion_absent_fires_on_bucket_header(scan):
    result = scan({"main.tf": V4}, select=["DH101"])
    assert rule_ids(result) == [("DH101", "main.tf", 1)]
    (finding,) = result.findings
    assert finding.anchor == "aws_s3_bucket.raw"
    assert "aws_s3_bucket.raw" in finding.message


def test_dh101_companion_for_other_bucket_does_not_count(scan):
    sse = V4_SSE_REF.replace("aws_s3_bucket.raw.id", '"kc-other"')
    result = scan({"main.tf": V4, "sse.tf": sse}, select=["DH101"])
    assert rule_ids(result) == [("DH101", "main.tf", 1)]


def test_dh101_conditional_algorithm_judged_on_both_branches(scan):
    text = V3.replace('"AES256"', 'var.encrypt ? "AES256" : null')
    text = 'variable "encrypt" { type = bool }\n' + text
    result = scan({"main.tf": text}, select=["DH101"])
    assert rule_ids(result) == [("DH101", "main.tf", 7)]


def test_dh101_unknown_algorithm_is_not_a_finding(scan):
    text = 'variable "algo" {}\n' + V3.replace('"AES256"', "var.algo")
    assert rule_ids(scan({"main.tf": text}, select=["DH101"])) == []


def test_dh101_accept_provider_default_policy(scan):
    result = scan(
        {"main.tf": V4}, select=["DH101"], policy={"encryption": {"accept_provider_default": True}}
    )
    assert rule_ids(result) == []


def test_dh301_missing_and_above_maximum(scan):
    text = """resource "aws_cloudwatch_log_group" "a" {
  name = "a"
}
resource "aws_cloudwatch_log_group" "b" {
  name              = "b"
  retention_in_days = 400
}
resource "aws_cloudwatch_log_group" "c" {
  name              = "c"
  retention_in_days = 30
}
resource "aws_cloudwatch_log_group" "d" {
  name              = "d"
  retention_in_days = 0
}
"""
    result = scan({"main.tf": text}, select=["DH301"])
    assert rule_ids(result) == [
        ("DH301", "main.tf", 1),
        ("DH301", "main.tf", 6),
        ("DH301", "main.tf", 14),
    ]
    by_line = {f.location.start_line: f for f in result.findings}
    assert by_line[6].location.start_col == 3
    assert "400" in by_line[6].message and "365" in by_line[6].message


def test_dh301_maximum_follows_the_data_class(scan):
    text = """resource "aws_cloudwatch_log_group" "a" {
  retention_in_days = 180
  tags = { "data-classification" = "sensitive" }
}
resource "aws_cloudwatch_log_group" "b" {
  retention_in_days = 700
  tags = { "data-classification" = "internal" }
}
"""
    result = scan({"main.tf": text}, select=["DH301"])
    assert rule_ids(result) == [("DH301", "main.tf", 2)]
    custom = scan(
        {"main.tf": text}, select=["DH301"], policy={"retention": {"by_class": {"internal": 365}}}
    )
    assert rule_ids(custom) == [("DH301", "main.tf", 2), ("DH301", "main.tf", 6)]


def test_dh301_policy_default_class(scan):
    text = 'resource "aws_cloudwatch_log_group" "a" {\n  retention_in_days = 500\n}\n'
    assert rule_ids(scan({"main.tf": text}, select=["DH301"])) == [("DH301", "main.tf", 2)]
    public = scan(
        {"main.tf": text}, select=["DH301"], policy={"classification": {"default": "public"}}
    )
    assert rule_ids(public) == []


def test_city_repo_terraform_expectations(scan):
    directory = FIXTURES / "city-repo" / "terraform"
    files = {
        p.relative_to(directory).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }
    result = scan(files)
    found = {
        (f.rule_id, f.location.path, f.location.start_line)
        for f in result.active
        if f.rule_id[2] != "0"
    }
    assert found == expectations(Path(directory))
    assert not result.diagnostics


def test_broken_tf_gives_one_diagnostic_and_other_findings(scan):
    result = scan({"broken.tf": 'resource "a" "b" {\n', "main.tf": V4}, select=["DH101"])
    assert rule_ids(result) == [("DH101", "main.tf", 1)]
    assert [(d.path, d.kind) for d in result.diagnostics] == [("broken.tf", "parse-error")]


DYNAMIC_INGRESS = """resource "aws_security_group" "db" {
  name = "kc-permits-db"
  dynamic "ingress" {
    for_each = PORTS
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
"""

DYNAMIC_PARAMETERS = """resource "aws_db_parameter_group" "pg" {
  name   = "cases-pg"
  family = "postgres14"
  dynamic "parameter" {
    for_each = { "rds.force_ssl" = "1", "log_connections" = "1" }
    content {
      name  = parameter.key
      value = parameter.value
    }
  }
}
resource "aws_db_instance" "cases" {
  engine               = "postgres"
  parameter_group_name = aws_db_parameter_group.pg.name
  storage_encrypted    = true
}
"""


def test_a_dynamic_block_over_known_items_is_one_block_per_item(scan):
    # Each port is judged: 5432 (a database's) open to the world is found among two.
    opened = [("DH407", "main.tf", 9)]
    for ports, found in (("[443, 5432]", opened), ("[443, 8443]", []), ("[5432]", opened)):
        result = scan({"main.tf": DYNAMIC_INGRESS.replace("PORTS", ports)}, select=["DH407"])
        assert rule_ids(result) == found, ports
    # rds.force_ssl set through a dynamic parameter over a map is set.
    assert rule_ids(scan({"main.tf": DYNAMIC_PARAMETERS}, select=["DH207"])) == []
    unset = DYNAMIC_PARAMETERS.replace('"rds.force_ssl" = "1", ', "")
    assert [r[0] for r in rule_ids(scan({"main.tf": unset}, select=["DH207"]))] == ["DH207"]
