"""DH207: RDS for PostgreSQL 15 and later turns rds.force_ssl on by default (h5's note)."""

from __future__ import annotations

from tests.conftest import rule_ids

INSTANCE = """resource "aws_db_instance" "permits" {
  identifier     = "kc-permits"
  engine         = "postgres"
  instance_class = "db.t3.medium"
  VERSION
  GROUP
}
"""
GROUP = """resource "aws_db_parameter_group" "permits" {
  name   = "kc-permits"
  family = "FAMILY"
  parameter {
    name  = "log_connections"
    value = "1"
  }
}
"""


def _found(scan, version: str = "", group: str = "", family: str = "") -> list[tuple]:
    tf = INSTANCE.replace("VERSION", version).replace("GROUP", group)
    if family:
        tf += GROUP.replace("FAMILY", family)
    return rule_ids(scan({"main.tf": tf}, select=["DH207"]))


def test_dh207_postgres_15_and_later_default_to_tls(scan):
    # no group: the engine's default parameter group decides
    assert _found(scan, 'engine_version = "14.12"') == [("DH207", "main.tf", 1)]
    assert _found(scan, 'engine_version = "15.7"') == []
    assert _found(scan, 'engine_version = "16"') == []
    # no version: not known which default applies (a new instance gets the newest)
    assert _found(scan) == []
    assert _found(scan, "engine_version = var.pg_version") == []
    # a custom group without the parameter inherits its family's default
    link = "parameter_group_name = aws_db_parameter_group.permits.name"
    assert _found(scan, "", link, "postgres14") == [("DH207", "main.tf", 8)]
    assert _found(scan, 'engine_version = "16.3"', link, "postgres16") == []
    assert _found(scan, "", link, "postgres15") == []


def test_dh207_other_engines_keep_their_plain_default(scan):
    tf = INSTANCE.replace('"postgres"', '"mysql"').replace("VERSION", 'engine_version = "8.0"')
    assert rule_ids(scan({"main.tf": tf.replace("GROUP", "")}, select=["DH207"])) == [
        ("DH207", "main.tf", 1)
    ]
