"""Manifest settings the probe 46 (edge crowd analytics on k3s) found missed."""

from __future__ import annotations

from tests.kubernetes.test_k8s_rules import at, rows

CONFIG = """apiVersion: v1
kind: ConfigMap
metadata: {name: edge-config}
data:
  SEARCH_VERIFY_CERTS: "false"
  ES_VERIFY_CERTS: "0"
  OPENSEARCH_VERIFY_CERTS: "true"
  MINIO_SECURE: "false"
  ARCHIVE_MINIO_SECURE: "no"
  SESSION_COOKIE_SECURE: "false"
  MINIO_SECURE_HOSTS: "false"
"""


def test_dh241_verify_certs_and_minio_secure_settings(scan):
    # probe46: Elasticsearch's/OpenSearch's verify_certs and MinIO's secure switch, set as
    # settings (SEARCH_VERIFY_CERTS=false, MINIO_SECURE=false), were not read; "true", a
    # cookie's SECURE flag and a name that only starts with the setting are no finding.
    result = scan({"config.yaml": CONFIG}, select=["DH241"])
    assert rows(result) == [
        ("DH241", *at(CONFIG, '"false"')),
        ("DH241", *at(CONFIG, '"0"')),
        ("DH241", *at(CONFIG, '"false"', 1)),
        ("DH241", *at(CONFIG, '"no"')),
    ]
    assert [f.message.rsplit("(", 1)[1] for f in result.active] == [
        "SEARCH_VERIFY_CERTS=false)",
        "ES_VERIFY_CERTS=0)",
        "MINIO_SECURE=false)",
        "ARCHIVE_MINIO_SECURE=no)",
    ]
