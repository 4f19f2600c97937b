"""s37 iac #4: DH441, an MQTT broker (Mosquitto) whose configuration, kept in a ConfigMap or a
chart's values, admits clients without credentials (``allow_anonymous true``)."""

from __future__ import annotations

CONFIGMAPS = """apiVersion: v1
kind: ConfigMap
metadata:
  name: open-broker
data:
  mosquitto.conf: |
    listener 1883
    allow_anonymous true
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: closed-broker
data:
  mosquitto.conf: |
    listener 1883
    # allow_anonymous true
    allow_anonymous false
    password_file /mosquitto/auth/passwd
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: per-listener
data:
  mosquitto.conf: |
    per_listener_settings true
    listener 1884 127.0.0.1
    allow_anonymous true
    listener 1883 0.0.0.0
    allow_anonymous true
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: open-data-broker
  labels:
    data-classification: public
data:
  mosquitto.conf: |
    listener 1883
    allow_anonymous true
"""

CHART = "apiVersion: v2\nname: mosquitto\nversion: 2.0.18\n"
VALUES = """config: |
  listener 1883
  allow_anonymous true
"""


def test_dh441_mosquitto_anonymous_clients_in_a_configmap(scan):
    """Reported at the setting's line: a broker admitting anonymous clients, and the
    non-loopback listener of a per-listener configuration; not a comment, false, the
    loopback listener's setting, nor a broker classified public."""
    result = scan({"k8s/mosquitto.yaml": CONFIGMAPS}, select=["DH441"])
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            8,
            "'mosquitto.conf' of ConfigMap 'open-broker' lets MQTT clients connect without "
            "credentials (allow_anonymous true)",
        ),
        (
            31,
            "'mosquitto.conf' of ConfigMap 'per-listener' lets MQTT clients connect without "
            "credentials (allow_anonymous true)",
        ),
    ]
    # a global setting is the file's; a per-listener one is its listener's (one anchor each)
    assert [f.anchor for f in result.active] == [
        "ConfigMap/default/open-broker:data.mosquitto.conf#allow_anonymous",
        "ConfigMap/default/per-listener:data.mosquitto.conf#allow_anonymous@1883",
    ]


def test_dh441_mosquitto_anonymous_clients_in_a_charts_values(scan):
    files = {"charts/mosquitto/Chart.yaml": CHART, "charts/mosquitto/values.yaml": VALUES}
    result = scan(files, select=["DH441"])
    assert [(f.location.start_line, f.message) for f in result.active] == [
        (
            3,
            "'config' of Helm values file 'values.yaml' lets MQTT clients connect without "
            "credentials (allow_anonymous true)",
        )
    ]
