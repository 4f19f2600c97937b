"""DH408 on GCP: a Cloud Run service or Cloud Function whose invoker role is granted to
``allUsers``/``allAuthenticatedUsers`` answers anyone, as a Lambda function URL without
authentication does; not when it takes internal traffic only or is classified public."""

from __future__ import annotations

from tests.conftest import rule_ids

SERVICES = """resource "google_cloud_run_v2_service" "api" {
  name    = "resident-api"
  ingress = "INGRESS_TRAFFIC_ALL"
  template {
    containers { image = "gcr.io/x/api" }
  }
}
resource "google_cloud_run_v2_service_iam_member" "api_public" {
  name   = google_cloud_run_v2_service.api.name
  role   = "roles/run.invoker"
  member = "allUsers"
}
resource "google_cloud_run_v2_service" "worker" {
  name    = "worker"
  ingress = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  template {
    containers { image = "gcr.io/x/worker" }
  }
}
resource "google_cloud_run_v2_service_iam_member" "worker_public" {
  name   = google_cloud_run_v2_service.worker.name
  role   = "roles/run.invoker"
  member = "allUsers"
}
resource "google_cloud_run_service" "legacy" {
  name = "legacy"
  metadata {
    annotations = { "run.googleapis.com/ingress" = "%(legacy_ingress)s" }
  }
}
resource "google_cloud_run_service_iam_binding" "legacy" {
  service = google_cloud_run_service.legacy.name
  role    = "roles/run.invoker"
  members = ["allUsers"]
}
resource "google_cloudfunctions2_function" "intake" {
  name = "intake"
  service_config {
    ingress_settings = "ALLOW_ALL"
  }
}
resource "google_cloudfunctions2_function_iam_binding" "intake" {
  cloud_function = google_cloudfunctions2_function.intake.name
  role           = "roles/cloudfunctions.invoker"
  members        = ["serviceAccount:app@p.iam.gserviceaccount.com", "allAuthenticatedUsers"]
}
resource "google_cloudfunctions_function_iam_member" "elsewhere" {
  cloud_function = "reports-export"
  role           = "roles/cloudfunctions.invoker"
  member         = "allUsers"
}
resource "google_cloud_run_v2_service_iam_member" "ops" {
  name   = google_cloud_run_v2_service.api.name
  role   = "roles/run.invoker"
  member = "group:ops@kcmo.gov"
}
resource "google_cloud_run_v2_service_iam_member" "viewer" {
  name   = google_cloud_run_v2_service.api.name
  role   = "roles/run.viewer"
  member = "allUsers"
}
resource "google_cloud_run_v2_service" "open_data" {
  name   = "open-data-api"
  labels = { "data-classification" = "public" }
}
resource "google_cloud_run_v2_service_iam_member" "open_data" {
  name   = google_cloud_run_v2_service.open_data.name
  role   = "roles/run.invoker"
  member = "allUsers"
}
"""


def test_public_invoker_grants_are_reported_on_the_member(scan):
    result = scan({"main.tf": SERVICES % {"legacy_ingress": "internal"}}, select=["DH408"])
    # Not: the internal-only worker and v1 service, a named group, a role that invokes
    # nothing, a service classified public.
    assert rule_ids(result) == [
        ("DH408", "main.tf", 11),
        ("DH408", "main.tf", 45),
        ("DH408", "main.tf", 50),
    ]
    api, intake, elsewhere = (f.message for f in result.active)
    assert "google_cloud_run_v2_service.api'" in api and "roles/run.invoker to allUsers" in api
    assert "allAuthenticatedUsers" in intake
    assert "'reports-export'" in elsewhere  # declared elsewhere: by the name the grant gives
    assert [r.location.start_line for r in result.active[0].related] == [1]


def test_a_v1_service_taking_all_traffic_is_reported(scan):
    result = scan({"main.tf": SERVICES % {"legacy_ingress": "all"}}, select=["DH408"])
    assert ("DH408", "main.tf", 34) in rule_ids(result)
