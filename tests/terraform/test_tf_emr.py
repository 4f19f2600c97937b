"""DH120 and DH219: an EMR cluster's encryption at rest and in transit, which its security
configuration sets (probe40 P9, min/09)."""

from __future__ import annotations

from tests.terraform.test_tf_detectors import rule_ids

_CONFIG = """resource "aws_emr_security_configuration" "{name}" {{
  name          = "{name}"
  configuration = {configuration}
}}
"""
_CLUSTER = """resource "aws_emr_cluster" "{name}" {{
  name          = "{name}"
  release_label = "emr-7.1.0"
  service_role  = "arn:aws:iam::123456789012:role/emr"
  {extra}
}}
"""
_OFF = """jsonencode({
    EncryptionConfiguration = {
      EnableInTransitEncryption = false
      EnableAtRestEncryption    = false
    }
  })"""
_ON = """jsonencode({
    EncryptionConfiguration = {
      EnableInTransitEncryption = true
      EnableAtRestEncryption    = true
      AtRestEncryptionConfiguration = {
        LocalDiskEncryptionConfiguration = { EncryptionKeyProviderType = "AwsKms" }
      }
    }
  })"""


def _rules(result):
    return sorted((rule, line) for rule, _, line in rule_ids(result))


def test_a_configuration_that_switches_encryption_off(scan):
    # used by no cluster in the files: judged by the policy's default class (personal)
    result = scan({"main.tf": _CONFIG.format(name="geo", configuration=_OFF)})
    assert _rules(result) == [("DH120", 6), ("DH219", 5)]
    messages = sorted(f.message for f in result.active)
    assert messages[0].endswith("data at rest: it sets EnableAtRestEncryption to false")
    assert messages[1].endswith("nodes: it sets EnableInTransitEncryption to false")
    assert _rules(scan({"main.tf": _CONFIG.format(name="geo", configuration=_ON)})) == []


def test_a_json_string_and_emrfs_only_encryption(scan):
    heredoc = (
        '<<-EOF\n    {"EncryptionConfiguration": {"EnableInTransitEncryption": true,\n'
        '     "EnableAtRestEncryption": true,\n'
        '     "AtRestEncryptionConfiguration":\n'
        '       {"S3EncryptionConfiguration": {"EncryptionMode": "SSE-S3"}}}}\n'
        "    EOF"
    )
    [finding] = scan({"main.tf": _CONFIG.format(name="geo", configuration=heredoc)}).active
    assert finding.rule_id == "DH120"
    assert finding.message.endswith(
        "it has no LocalDiskEncryptionConfiguration (only EMRFS data is encrypted)"
    )


def test_a_cluster_without_a_configuration_and_the_class_of_the_clusters_using_one(scan):
    bare = _CLUSTER.format(name="geo", extra="")
    assert _rules(scan({"main.tf": bare})) == [("DH120", 1), ("DH219", 1)]
    public = _CLUSTER.format(name="geo", extra='tags = { data-classification = "public" }')
    assert _rules(scan({"main.tf": public})) == []
    # a configuration used only by a cluster of public data is not judged; used by one that
    # may hold personal data, it is
    used = _CLUSTER.format(
        name="geo",
        extra="security_configuration = aws_emr_security_configuration.geo.name\n"
        '  tags = { data-classification = "public" }',
    )
    text = _CONFIG.format(name="geo", configuration=_OFF) + used
    assert _rules(scan({"main.tf": text})) == []
    text = text.replace('"public"', '"personal"')
    assert _rules(scan({"main.tf": text})) == [("DH120", 6), ("DH219", 5)]


def test_a_configuration_not_readable_before_apply_is_not_judged(scan):
    text = 'variable "emr_config" {}\n' + _CONFIG.format(name="geo", configuration="var.emr_config")
    assert _rules(scan({"main.tf": text})) == []
