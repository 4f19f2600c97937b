"""Terraform settings the probe 46 (edge crowd analytics) found missed."""

from __future__ import annotations

FUNCTION = """resource "google_cloudfunctions2_function" "export" {
  name     = "crowd-export"
  location = "us-central1"
  service_config {
    environment_variables = {
      ES_VERIFY_CERTS        = "false"
      MINIO_SECURE           = "0"
      OPENSEARCH_VERIFY_CERTS = "true"
      SESSION_COOKIE_SECURE  = "false"
    }
  }
}
"""


def test_dh212_verify_certs_and_minio_secure_settings(scan):
    # probe46: DH212 reads the settings DH241 reads; *_VERIFY_CERTS=false and
    # MINIO_SECURE=false joined both (a cookie's SECURE flag and "true" are no finding).
    result = scan({"main.tf": FUNCTION}, select=["DH212"])
    assert [(f.location.start_line, f.message.rsplit("(", 1)[1]) for f in result.active] == [
        (6, "ES_VERIFY_CERTS=false)"),
        (7, "MINIO_SECURE=0)"),
    ]
