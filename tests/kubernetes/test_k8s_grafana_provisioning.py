"""Grafana's datasource provisioning files (probe49): ``apiVersion: 1`` and a ``datasources``
list, no ``kind``. They were skipped as plain YAML, so a literal ``secureJsonData.password``
and ``jsonData.sslmode: disable`` went unreported. They are now read as a chart's values are
(DH742, DH743) and by DH241; values Grafana expands when it starts are not literals."""

from __future__ import annotations

DATASOURCES = """apiVersion: 1
datasources:
  - name: AMI TimescaleDB
    type: postgres
    url: reporting-db.water.internal:5432
    user: grafana
    jsonData:
      sslmode: disable
      tlsSkipVerify: true
    secureJsonData:
      password: "Gr4fana-read0nly!"
  - name: AMI TimescaleDB (TLS)
    type: postgres
    url: timescale.water.internal:5432
    jsonData:
      sslmode: verify-full
      tlsSkipVerify: false
    secureJsonData:
      password: $GF_TIMESCALE_PASSWORD
  - name: Loki
    type: loki
    url: https://loki.kcmo.gov
    basicAuthPassword: ${LOKI_PASSWORD}
    secureJsonData:
      httpHeaderValue1: $__file{/run/secrets/loki-token}
  - name: Legacy MySQL
    type: mysql
    url: mysql://ops:Ops-2019@mysql.water.internal:3306/ami
"""

# Not a provisioning file: no apiVersion (a dashboard's own notes), and a ConfigMap that
# happens to have a datasources key stays a Kubernetes object.
NOTES = """datasources:
  - name: scratch
    password: "not-provisioned-1"
"""


def _found(result):
    return [(f.rule_id, f.location.start_line, f.message) for f in result.active]


def test_grafana_datasource_provisioning_is_read(scan):
    files = {
        "grafana/provisioning/datasources/timescale.yaml": DATASOURCES,
        "grafana/notes.yaml": NOTES,
    }
    result = scan(files, select=["DH241", "DH742", "DH743"])
    holder = "Grafana datasource provisioning file 'timescale.yaml'"
    assert _found(result) == [
        (
            "DH241",
            8,
            f"'datasources[0].jsonData.sslmode' of {holder} turns off TLS or its "
            "verification (sslmode=disable)",
        ),
        (
            "DH241",
            9,
            f"'datasources[0].jsonData.tlsSkipVerify' of {holder} turns off TLS or its "
            "verification (tlsSkipVerify=true)",
        ),
        ("DH742", 11, f"{holder} holds credential-like key 'password' in plain text"),
        (
            "DH743",
            28,
            f"Connection string in 'datasources[3].url' of {holder} embeds a password for "
            "'mysql.water.internal'",
        ),
    ]
    assert result.files == ["grafana/provisioning/datasources/timescale.yaml"]
