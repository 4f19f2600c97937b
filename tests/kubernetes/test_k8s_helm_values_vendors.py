"""s37 iac #4: DH640 reads a Helm chart's values files, as DH240 and DH241 do. A chart renders
its values into its workloads' environment and configuration, so a vendor's URL or host there
is where the workloads send data; before, only a rendered manifest's was reported."""

from __future__ import annotations

CHART = "apiVersion: v2\nname: portal\nversion: 3.0.0\n"
VALUES = """image:
  registry: docker.io
  repository: bitnami/portal
clusterDomain: cluster.local
env:
  ANALYTICS_URL: https://collect.web-analytics.example/v1/events
  CACHE_URL: redis://portal-cache:6379/0
  OPEN_DATA_URL: https://data.kcmo.org/api
smtp:
  host: smtp.mail-relay.example
  port: 587
externalDatabase:
  host: ""
ingress:
  enabled: true
  hosts:
    - host: portal.city-residents.example
      paths: [/]
  tls:
    - hosts: [portal.city-residents.example]
httpRoute:
  hostnames: [portal.city-residents.example]
gateway:
  host: portal.city-residents.example
"""
DATASOURCES = """apiVersion: 1
datasources:
  - name: Logs
    type: loki
    url: https://logs-prod.hosted-logs.example
  - name: Metrics
    type: prometheus
    url: http://prometheus.monitoring.svc:9090
"""


def test_dh640_reads_a_charts_values_files(scan):
    """A vendor's URL in the values' environment and a vendor's host under a host key are
    reported, at the value, naming the file and the key path; the chart's own registry, the
    cluster's domain, an in-cluster service, an approved host, an empty host and the host
    names the chart serves (its ingress, route and gateway) are not."""
    files = {"helm/portal/Chart.yaml": CHART, "helm/portal/values.yaml": VALUES}
    result = scan(files, select=["DH640"])
    holder = "Helm values file 'values.yaml'"
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            6,
            f"'env.ANALYTICS_URL' of {holder} points at 'collect.web-analytics.example', "
            "which is not on the policy's approved vendor list",
        ),
        (
            10,
            f"'smtp.host' of {holder} points at 'smtp.mail-relay.example', which is not on "
            "the policy's approved vendor list",
        ),
    ]


def test_dh640_reads_grafana_datasource_provisioning(scan):
    """Grafana sends its queries (and the datasource's credentials) to a datasource's URL: a
    hosted vendor's is reported, an in-cluster Prometheus is not."""
    result = scan({"grafana/provisioning/datasources/ds.yaml": DATASOURCES}, select=["DH640"])
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            5,
            "'datasources[0].url' of Grafana datasource provisioning file 'ds.yaml' points "
            "at 'logs-prod.hosted-logs.example', which is not on the policy's approved vendor "
            "list",
        )
    ]


def test_dh640_a_values_file_outside_a_chart_is_not_read(scan):
    """A values.yaml without a Chart.yaml above it is not known to be a chart's values."""
    result = scan({"config/values.yaml": VALUES}, select=["DH640"])
    assert result.active == []
