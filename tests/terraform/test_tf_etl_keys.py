"""DH121: Airflow (MWAA) and Glue keeping sensitive data without a customer-managed key, and
DH216: a Transfer Family server accepting plain FTP (s32 h7 #4, probe40 P9 min/09)."""

from __future__ import annotations

from tests.conftest import rule_ids

_CONFIG = """resource "aws_glue_security_configuration" "phi" {{
  name = "doh-phi"
  encryption_configuration {{
    cloudwatch_encryption {{
      cloudwatch_encryption_mode = "{logs}"
    }}
    job_bookmarks_encryption {{
      job_bookmarks_encryption_mode = "DISABLED"
    }}
    s3_encryption {{
      s3_encryption_mode = "{s3}"
    }}
  }}
}}
"""
_JOB = """resource "aws_glue_job" "{name}" {{
  name     = "{name}"
  role_arn = "arn:aws:iam::123456789012:role/glue"
  {extra}
  command {{
    script_location = "s3://doh-artifacts/job.py"
  }}
  tags = {{ "data-classification" = "{label}" }}
}}
"""
_USES = "security_configuration = aws_glue_security_configuration.phi.name"
_SENSITIVE_PERSONAL = {"encryption": {"customer_key_for": ["sensitive", "personal"]}}


def _found(scan, text, policy=None):
    result = scan({"main.tf": text}, policy=policy, select=["DH121"])
    return [(line, f.message.split(": ", 1)[1]) for (_, _, line), f in
            zip(rule_ids(result), result.active, strict=True)]  # fmt: skip


def test_a_sensitive_glue_job_and_the_configuration_it_uses(scan):
    config = _CONFIG.format(logs="DISABLED", s3="SSE-S3")
    job = _JOB.format(name="clean", extra=_USES, label="sensitive")
    assert _found(scan, config + job) == [
        (5, "cloudwatch_encryption_mode is DISABLED (the job's logs use AWS's keys)"),
        (11, "s3_encryption_mode is SSE-S3 (what the job writes is encrypted with S3's key, not "
         "the bucket's KMS key)"),
    ]  # fmt: skip
    # used by a personal job only: AWS's encryption suffices for personal data
    assert _found(scan, config + job.replace('"sensitive"', '"personal"')) == []
    # S3 encryption left to the bucket, logs under the City's key
    assert _found(scan, _CONFIG.format(logs="SSE-KMS", s3="DISABLED") + job) == []
    # no configuration at all
    bare = _JOB.format(name="bare", extra="", label="sensitive")
    [(line, text)] = _found(scan, bare)
    assert line == 1 and text.startswith("it has no security_configuration")


def test_a_configuration_no_job_uses_is_judged_by_the_policys_default_class(scan):
    config = _CONFIG.format(logs="DISABLED", s3="DISABLED")
    assert _found(scan, config) == []  # the default class, personal, needs no customer key
    assert [line for line, _ in _found(scan, config, policy=_SENSITIVE_PERSONAL)] == [5]
    # an unknown mode is not judged
    unknown = config.replace('"DISABLED"', "var.mode", 1) + 'variable "mode" {}\n'
    assert _found(scan, unknown, policy=_SENSITIVE_PERSONAL) == []


def test_an_airflow_environment_of_sensitive_data_without_kms_key(scan):
    env = """resource "aws_mwaa_environment" "etl" {
  name               = "doh-etl"
  execution_role_arn = "arn:aws:iam::123456789012:role/mwaa"
  source_bucket_arn  = "arn:aws:s3:::doh-artifacts"
  dag_s3_path        = "dags/"
  tags = { "data-classification" = "sensitive" }
}
"""
    [(line, text)] = _found(scan, env)
    assert line == 1 and text.startswith("kms_key is not set")
    keyed = env.replace("dag_s3_path", 'kms_key = "arn:aws:kms:us-east-2:1:key/k"\n  dag_s3_path')
    assert _found(scan, keyed) == []
    assert _found(scan, env.replace('"sensitive"', '"personal"')) == []


def test_a_transfer_server_accepting_plain_ftp(scan):
    server = """resource "aws_transfer_server" "drop" {
  endpoint_type = "VPC"
  protocols     = %s
}
"""
    result = scan({"main.tf": server % '["SFTP", "FTP"]'}, select=["DH216"])
    assert rule_ids(result) == [("DH216", "main.tf", 3)]
    assert "protocols includes FTP" in result.active[0].message
    for fine in ('["SFTP"]', '["FTPS", "SFTP"]', "var.protocols"):
        text = server % fine + 'variable "protocols" {}\n'
        assert rule_ids(scan({"main.tf": text}, select=["DH216"])) == [], fine
