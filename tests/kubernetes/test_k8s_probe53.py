"""probe53 (a library's booking platform): a Celery worker's broker URL ``redis://`` (no TLS;
``rediss://`` is Redis's TLS form) in a Deployment's environment, and in a Lambda's, was not a
plain-text endpoint for DH240 and DH210, while DH260 reports the same URL in Python."""

from __future__ import annotations

WORKER = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: bookings-worker
spec:
  selector:
    matchLabels: {app: bookings-worker}
  template:
    metadata:
      labels: {app: bookings-worker}
    spec:
      containers:
        - name: celery
          image: registry.example/bookings:2.4.0
          env:
            - name: CELERY_BROKER_URL
              value: redis://bookings-cache.city.example:6379/0
            - name: CELERY_RESULT_BACKEND
              value: rediss://bookings-cache.city.example:6380/1
            - name: CACHE_URL
              value: redis://localhost:6379/2
"""

LAMBDA = """resource "aws_lambda_function" "reminders" {
  function_name = "reminders"
  role          = "arn:aws:iam::123456789012:role/reminders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "app.zip"
  environment {
    variables = {
      BROKER_URL  = "redis://bookings-cache.city.example:6379/0"
      RESULTS_URL = "rediss://bookings-cache.city.example:6380/1"
    }
  }
}
"""


def test_dh240_redis_without_tls_in_a_workload(scan):
    result = scan({"k8s/worker.yaml": WORKER}, select=["DH240"])
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            17,
            "'CELERY_BROKER_URL' of Deployment 'bookings-worker' uses unencrypted redis:// "
            "to 'bookings-cache.city.example'",
        )
    ]  # not rediss://, not the pod's own redis://localhost


def test_dh210_redis_without_tls_in_a_function(scan):
    result = scan({"main.tf": LAMBDA}, select=["DH210"])
    assert [f.location.start_line for f in result.active] == [9]
    assert "redis://" in result.active[0].message


CHART = "apiVersion: v2\nname: booking\nversion: 2.4.0\n"
VALUES = """env:
  CELERY_BROKER_URL: redis://bookings-cache.city.example:6379/0
  RESULTS_URL: rediss://bookings-cache.city.example:6380/1
  DOCS_URL: https://docs.city.example
  PGSSLMODE: disable
  DB_SSLMODE: verify-full
search:
  tls:
    insecureSkipVerify: true
  url: http://localhost:9200
"""


def test_dh240_dh241_read_a_charts_values_files(scan):
    """A chart renders its values into its workloads' environment and configuration: a
    plain-text URL and a setting that turns TLS off there are what they are in a Deployment
    (before, only the credential rules read a values file)."""
    files = {"helm/booking/Chart.yaml": CHART, "helm/booking/values-prod.yaml": VALUES}
    result = scan(files, select=["DH240", "DH241"])
    holder = "Helm values file 'values-prod.yaml'"
    assert [(f.rule_id, f.location.start_line, f.message) for f in result.active] == [
        (
            "DH240",
            2,
            f"'env.CELERY_BROKER_URL' of {holder} uses unencrypted redis:// to "
            "'bookings-cache.city.example'",
        ),
        (
            "DH241",
            5,
            f"'env.PGSSLMODE' of {holder} turns off TLS or its verification (PGSSLMODE=disable)",
        ),
        (
            "DH241",
            9,
            f"'search.tls.insecureSkipVerify' of {holder} turns off TLS or its verification "
            "(insecureSkipVerify=true)",
        ),
    ]  # not rediss://, https://, verify-full, nor the pod's own http://localhost
