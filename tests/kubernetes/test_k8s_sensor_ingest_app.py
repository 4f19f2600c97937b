"""The vendor's sensor-ingest application (fixtures/kubernetes/sensor-ingest): the right findings
with exact positions, and no others; plus multi-document files, Helm charts and stdin."""

from __future__ import annotations

import json

from dhlint.engine import CheckOptions, run_check
from tests.conftest import FIXTURES, REPO, run_cli

APP = FIXTURES / "kubernetes" / "sensor-ingest"
P = "fixtures/kubernetes/sensor-ingest/"

EXPECTED = [
    ("DH640", P + "configmap.yaml", 9, 32, 9, 60),  # SENSOR_FIRMWARE_URL host
    ("DH742", P + "configmap.yaml", 11, 18, 11, 26),  # MQTT_PASSWORD: changeme
    ("DH640", P + "configmap.yaml", 14, 21, 14, 50),  # vendor.endpoint= in ingest.properties
    ("DH742", P + "configmap.yaml", 15, 21, 15, 35),  # vendor.apiToken= in ingest.properties
    ("DH642", P + "cronjob-exporter.yaml", 19, 34, 19, 42),  # no egress policy selects it
    ("DH641", P + "cronjob-exporter.yaml", 24, 22, 24, 59),  # docker.io image
    ("DH240", P + "cronjob-exporter.yaml", 25, 50, 25, 82),  # ftp:// upload
    ("DH640", P + "cronjob-exporter.yaml", 25, 56, 25, 82),  # upload host
    ("DH740", P + "cronjob-exporter.yaml", 30, 26, 30, 39),  # UPLOAD_PASSWORD
    ("DH640", P + "deployment.yaml", 32, 37, 32, 63),  # --mqtt-broker host
    ("DH741", P + "deployment.yaml", 33, 27, 33, 44),  # --api-token=...
    ("DH241", P + "deployment.yaml", 43, 81, 43, 96),  # sslmode=disable
    ("DH740", P + "deployment.yaml", 45, 22, 45, 60),  # STREETSENSE_API_KEY
    ("DH141", P + "deployment.yaml", 58, 11, 58, 19),  # hostPath spool
    ("DH242", P + "ingress.yaml", 21, 13, 21, 35),  # sensors-admin host without TLS
    ("DH440", P + "service.yaml", 7, 9, 7, 21),  # LoadBalancer in front of personal data
    ("DH640", P + "service.yaml", 23, 17, 23, 40),  # ExternalName vendor API
]


def _rows(result):
    return [
        (
            f.rule_id,
            f.location.path,
            f.location.start_line,
            f.location.start_col,
            f.location.end_line,
            f.location.end_col,
        )
        for f in result.active
    ]


def test_sensor_ingest_application_full_findings_list():
    result = run_check(
        CheckOptions(paths=[str(APP)], cwd=str(REPO), policy_file=str(APP / "city-policy.yaml"))
    )
    assert result.diagnostics == []
    assert _rows(result) == EXPECTED
    by_rule = {f.rule_id: f for f in result.active}
    assert by_rule["DH741"].message == (
        "Container 'ingest' of Deployment 'streetsense-ingest' passes a literal credential to "
        "'api-token' in its args"
    )
    assert by_rule["DH440"].related[0].location.path == P + "deployment.yaml"
    assert by_rule["DH642"].anchor == "CronJob/streetsense/streetsense-exporter:egress"


def test_sensor_ingest_without_registry_list_has_no_registry_finding():
    result = run_check(CheckOptions(paths=[str(APP)], cwd=str(REPO)))
    assert _rows(result) == [row for row in EXPECTED if row[0] != "DH641"]


def test_removing_the_network_policy_flags_the_ingest_deployment_too(scan):
    files = {p.name: p.read_text() for p in APP.glob("*.yaml") if p.name != "city-policy.yaml"}
    with_policy = scan(files, select=["DH642"])
    assert [f.location.path for f in with_policy.active] == ["cronjob-exporter.yaml"]
    del files["networkpolicy.yaml"]
    without = scan(files, select=["DH642"])
    assert [(f.location.path, f.location.start_line) for f in without.active] == [
        ("cronjob-exporter.yaml", 19),
        ("deployment.yaml", 20),
    ]


FIVE_DOCUMENTS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: one
data:
  API_TOKEN: t0k3n-one
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: two
data:
  key: [unclosed
---
apiVersion: v1
kind: Pod
metadata:
  name: three
  labels: {data-classification: internal}
spec:
  containers:
    - name: c
      image: registry.kcmo.gov/c:1
      env:
        - {name: DB_PASSWORD, value: s3cr3t}
---
apiVersion: v1
kind: Secret
metadata:
  name: four
stringData:
  password: hunter2
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: five
spec:
  rules:
    - host: five.kcmo.gov
"""


def test_five_documents_one_invalid(scan):
    result = scan({"k8s/all.yaml": FIVE_DOCUMENTS}, select=["DH7", "DH242"])
    [diag] = result.diagnostics
    assert (diag.path, diag.kind, diag.level, diag.line) == (
        "k8s/all.yaml",
        "parse-error",
        "error",
        13,
    )
    assert diag.message.startswith("document 2: invalid YAML")
    assert [(f.rule_id, f.location.start_line) for f in result.active] == [
        ("DH742", 6),
        ("DH740", 25),
        ("DH744", 31),
        ("DH242", 38),
    ]


def test_helm_chart_templates_give_notices_not_errors():
    result = run_check(CheckOptions(paths=["fixtures/kubernetes/helm-chart"], cwd=str(REPO)))
    assert result.findings == []
    assert [(d.path.rsplit("/", 1)[-1], d.kind, d.level) for d in result.diagnostics] == [
        ("deployment.yaml", "skipped", "note"),
        ("service.yaml", "skipped", "note"),
    ]
    # Not read, so not checked (a report must not count them: probe20 min/09). The chart's
    # values.yaml is read (its apiKey is empty: no finding), and counted (h5/2).
    assert result.files == ["fixtures/kubernetes/helm-chart/streetsense/values.yaml"]
    assert result.languages == {"kubernetes": 1}
    assert sorted(result.skipped.values()) == ["kubernetes", "kubernetes"]


RENDERED = """\
---
# Source: streetsense/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: release-streetsense
spec:
  type: ExternalName
  externalName: api.streetsense.example
---
# Source: streetsense/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: release-streetsense
  labels: {data-classification: internal}
spec:
  template:
    metadata:
      labels: {data-classification: internal}
    spec:
      containers:
        - name: ingest
          image: "registry.kcmo.gov/streetsense/ingest:2.3.1"
          env:
            - name: STREETSENSE_API_KEY
              value: "a3f9c2e1"
"""


def test_helm_template_output_on_stdin_is_scanned(tmp_path):
    (tmp_path / ".git").mkdir()
    proc = run_cli(["check", "-f", "json", "-"], cwd=tmp_path, stdin=RENDERED)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    rows = [(f["rule_id"], f["path"], f["line"], f["column"]) for f in data["findings"]]
    assert rows == [("DH640", "stdin", 9, 17), ("DH740", "stdin", 27, 22)]
    assert data["diagnostics"] == []
