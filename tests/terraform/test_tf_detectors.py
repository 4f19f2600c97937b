"""Detector behaviour through the engine: exact locations, unknowns, branches, suppressions."""

from __future__ import annotations

from tests.conftest import rule_ids


def _located(result):
    return [
        (f.rule_id, f.location.start_line, f.location.start_col, f.location.end_col)
        for f in result.active
    ]


def test_dh407_points_at_the_open_cidr(scan):
    text = """resource "aws_security_group" "db" {
  ingress {
    from_port   = 5000
    to_port     = 6000
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }
}
resource "aws_security_group_rule" "web" {
  type        = "ingress"
  from_port   = 443
  to_port     = 443
  protocol    = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
}
resource "aws_vpc_security_group_ingress_rule" "all" {
  ip_protocol = "-1"
  cidr_ipv6   = "::/0"
}
"""
    result = scan({"main.tf": text}, select=["DH407"])
    assert _located(result) == [("DH407", 6, 34, 45), ("DH407", 18, 3, 23)]
    assert "5432" in result.active[0].message


def test_dh703_base64_and_heredoc_user_data(scan):
    text = """variable "ami" {}
resource "aws_launch_template" "a" {
  user_data = base64encode("#!/bin/sh\\necho '-----BEGIN OPENSSH PRIVATE KEY-----'\\n")
}
resource "aws_instance" "b" {
  ami       = var.ami
  user_data = <<-EOT
    #!/bin/sh
    export API_TOKEN=${var.ami}
    start
  EOT
}
"""
    result = scan({"main.tf": text}, select=["DH703"])
    assert rule_ids(result) == [("DH703", "main.tf", 3)]
    assert "private key" in result.active[0].message


def test_dh605_only_http_subscriptions_and_known_urls(scan):
    text = """variable "url" {}
resource "aws_sns_topic_subscription" "a" {
  topic_arn = "arn:aws:sns:us-east-2:111122223333:t"
  protocol  = "email"
  endpoint  = "someone@vendor.example"
}
resource "aws_sns_topic_subscription" "b" {
  topic_arn = "arn:aws:sns:us-east-2:111122223333:t"
  protocol  = "https"
  endpoint  = var.url
}
resource "aws_cloudwatch_event_api_destination" "c" {
  name                = "crm"
  connection_arn      = "arn:aws:events:us-east-2:111122223333:connection/crm"
  http_method         = "POST"
  invocation_endpoint = "https://hooks.kcmo.gov/crm"
}
"""
    assert rule_ids(scan({"main.tf": text}, select=["DH605"])) == []


def test_dh601_policy_document_and_unknown_account(scan):
    text = """data "aws_caller_identity" "me" {}
data "aws_iam_policy_document" "share" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.me.account_id}:root",
                     "arn:aws:iam::999988887777:role/vendor"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "kc-exports"
  policy = data.aws_iam_policy_document.share.json
}
"""
    result = scan({"main.tf": text}, select=["DH601"])
    assert rule_ids(result) == [("DH601", "main.tf", 15)]
    assert "999988887777" in result.active[0].message
    approved = scan(
        {"main.tf": text}, select=["DH601"], policy={"approved_accounts": ["999988887777"]}
    )
    assert rule_ids(approved) == []


def test_dh801_dh802_tags(scan):
    text = """variable "tags" {}
resource "aws_s3_bucket" "unknown_tags" {
  bucket = "a"
  tags   = var.tags
}
resource "aws_s3_bucket" "bad_value" {
  bucket = "b"
  tags = {
    "data-classification" = "PII"
  }
}
resource "google_storage_bucket" "no_label" {
  name     = "c"
  location = "US"
  labels = {
    team = "x"
  }
}
"""
    result = scan({"main.tf": text}, select=["DH801", "DH802"])
    assert rule_ids(result) == [("DH802", "main.tf", 9), ("DH801", "main.tf", 15)]


def test_split_lifecycle_by_reference_by_name_and_absent(scan):
    text = """resource "aws_s3_bucket" "a" { bucket = "kc-a" }
resource "aws_s3_bucket" "b" { bucket = "kc-b" }
resource "aws_s3_bucket" "c" { bucket = "kc-c" }
resource "aws_s3_bucket_lifecycle_configuration" "a" {
  bucket = aws_s3_bucket.a.id
  rule {
    id     = "x"
    status = "Enabled"
    expiration { days = 30 }
  }
}
resource "aws_s3_bucket_lifecycle_configuration" "b" {
  bucket = "kc-b"
  rule {
    id     = "x"
    status = "Disabled"
    expiration { days = 30 }
  }
}
"""
    result = scan({"main.tf": text}, select=["DH302"])
    # b's only rule is disabled: as good as absent; c has none.
    assert rule_ids(result) == [("DH302", "main.tf", 2), ("DH302", "main.tf", 3)]


def test_suppression_inside_the_resource_block(scan):
    text = """resource "aws_s3_bucket" "raw" {
  # dhlint: ignore[DH101] test data only, deleted nightly
  bucket = "kc-test"
}
"""
    result = scan({"main.tf": text}, select=["DH101"])
    assert rule_ids(result) == []
    (finding,) = result.suppressed
    assert finding.suppressed_by.reason.startswith("test data only")


def test_values_detector_any_branch_violates(scan):
    text = """variable "public" { type = bool }
resource "aws_db_instance" "db" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  storage_encrypted   = true
  publicly_accessible = var.public ? true : false
}
"""
    result = scan({"main.tf": text}, select=["DH403"])
    assert _located(result) == [("DH403", 6, 3, 50)]


def test_dh701_secret_holders_and_generated_values(scan):
    text = """resource "random_password" "db" {
  length = 24
}
resource "azurerm_key_vault_secret" "db" {
  name         = "db-password"
  value        = "literal-in-repo"
  key_vault_id = "/subscriptions/x/vaults/kc"
}
resource "aws_ssm_parameter" "plain" {
  name  = "/kc/region"
  type  = "String"
  value = "us-east-2"
}
resource "aws_ssm_parameter" "secret" {
  name  = "/kc/db"
  type  = "SecureString"
  value = random_password.db.result
}
"""
    assert rule_ids(scan({"main.tf": text}, select=["DH701"])) == [("DH701", "main.tf", 6)]


def test_multi_check_rule_keeps_each_missing_attribute(scan):
    text = 'resource "aws_cloudtrail" "city" {\n  name = "kc"\n  s3_bucket_name = "kc-t"\n}\n'
    result = scan({"main.tf": text}, select=["DH902"])
    assert sorted(f.anchor for f in result.active) == [
        "aws_cloudtrail.city:enable_log_file_validation",
        "aws_cloudtrail.city:is_multi_region_trail",
        "aws_cloudtrail.city:kms_key_id",
    ]
    assert {f.location.start_line for f in result.active} == {1}


def test_dh202_policy_document_composed_from_source_documents(scan):
    text = """resource "aws_s3_bucket" "b" { bucket = "kc-b" }
data "aws_iam_policy_document" "tls" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
data "aws_iam_policy_document" "combined" {
  source_policy_documents = [data.aws_iam_policy_document.tls.json]
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/etl"]
    }
  }
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.combined.json
}
"""
    assert rule_ids(scan({"main.tf": text}, select=["DH202"])) == []
    unknown = text.replace("data.aws_iam_policy_document.tls.json", "var.base_policy")
    unknown = 'variable "base_policy" {}\n' + unknown.replace(
        'effect    = "Deny"', 'effect    = "Allow"'
    )
    assert rule_ids(scan({"main.tf": unknown}, select=["DH202"])) == []


def test_dh701_name_value_pairs(scan):
    """A credential set as a name/value pair: a container's environment (also in the JSON of
    ``container_definitions``) and a Helm release's ``set``; not the name of a Secret."""
    text = """resource "aws_ecs_task_definition" "sync" {
  family = "kc-citation-sync"
  container_definitions = jsonencode([{
    name        = "sync"
    environment = [{ name = "DB_PASSWORD", value = "Citati0n-Sync-2024!" }]
    secrets     = [{ name = "API_TOKEN", valueFrom = "arn:aws:ssm:us-east-2:1:parameter/t" }]
  }])
}
resource "helm_release" "db" {
  name  = "readings-db"
  chart = "postgresql"
  set {
    name  = "auth.existingSecret"
    value = "readings-db-auth"
  }
  set_sensitive {
    name  = "auth.postgresPassword"
    value = "Readings-Admin-2024"
  }
}
resource "kubernetes_deployment" "api" {
  spec {
    template {
      spec {
        container {
          env {
            name  = "LOG_LEVEL"
            value = "info"
          }
          env {
            name  = "SMTP_PASSWORD"
            value = "mail-Pass-2024"
          }
        }
      }
    }
  }
}
resource "helm_release" "ok" {
  name  = "cache"
  chart = "redis"
  set {
    name  = "auth.existingSecret"
    value = "cache-auth"
  }
}
"""
    result = scan({"main.tf": text}, select=["DH701"])
    assert [(f.location.start_line, f.message.split(" sets ")[1]) for f in result.active] == [
        (3, "container_definitions (DB_PASSWORD) to a literal value"),
        (18, "set_sensitive.value (auth.postgresPassword) to a literal value"),
        (32, "spec.template.spec.container.env.value (SMTP_PASSWORD) to a literal value"),
    ]


def test_instances_that_agree_are_one_finding_for_the_resource(scan):
    """Findings every instance gives alike are reported once, for the resource as written
    (a baseline that names it keeps matching); those of some instances, per instance."""
    text = """resource "aws_rds_cluster_instance" "fares" {
  count               = 2
  identifier          = "kc-fares-${count.index}"
  cluster_identifier  = "kc-fares"
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = true
}
resource "google_storage_bucket_iam_member" "readers" {
  for_each = toset(["allUsers", "group:planning@kcmo.gov"])
  bucket   = "kc-open-data"
  role     = "roles/storage.objectViewer"
  member   = each.value
}
"""
    result = scan({"main.tf": text}, select=["DH403", "DH404"])
    assert [(f.rule_id, f.location.start_line, f.anchor) for f in result.active] == [
        ("DH403", 7, "aws_rds_cluster_instance.fares:publicly_accessible"),
        ("DH404", 13, 'google_storage_bucket_iam_member.readers["allUsers"]:member'),
    ]
    assert "'aws_rds_cluster_instance.fares'" in result.active[0].message
