"""DH740 through the engine: exact positions, anchors, scopes and suppressions."""

from __future__ import annotations

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingest
  namespace: sensors
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: tools:1
          env:
            - name: MIGRATION_TOKEN
              value: "mig-7d1f0c2a9b"
      containers:
        - name: app
          image: app:1
          env:
            - name: DB_PASSWORD
              value: Curb$ensor2024
            - name: TOKEN_TTL_SECONDS
              value: "900"
            - name: MQTT_PASSWORD
              valueFrom:
                secretKeyRef: {name: mqtt, key: password}
"""


def findings(result, rule_id="DH740"):
    return [
        (
            f.location.path,
            f.location.start_line,
            f.location.start_col,
            f.location.end_line,
            f.location.end_col,
        )
        for f in result.active
        if f.rule_id == rule_id
    ]


def test_dh740_exact_positions_messages_and_anchors(scan):
    result = scan({"k8s/deploy.yaml": DEPLOY}, select=["DH740"])
    assert not result.diagnostics
    assert findings(result) == [
        ("k8s/deploy.yaml", 14, 22, 14, 38),
        ("k8s/deploy.yaml", 20, 22, 20, 36),
    ]
    first, second = result.active
    assert first.message == (
        "Environment variable 'MIGRATION_TOKEN' of container 'migrate' in Deployment 'ingest' "
        "holds a literal credential"
    )
    assert first.anchor == (
        "Deployment/sensors/ingest:spec.template.spec.initContainers[migrate]"
        ".env[MIGRATION_TOKEN].value"
    )
    assert second.scope == (19, 20)


def test_dh740_suppressed_inside_the_env_entry(scan):
    text = DEPLOY.replace(
        "            - name: DB_PASSWORD\n",
        "            - name: DB_PASSWORD  # dhlint: ignore[DH740] local test database only\n",
    )
    result = scan({"deploy.yaml": text}, select=["DH740"])
    assert [f.location.start_line for f in result.active] == [14]
    [suppressed] = result.suppressed
    assert suppressed.location.start_line == 20


def test_dh740_stdin_is_scanned_like_a_file(scan):
    result = scan({}, paths=["-"], stdin_text=DEPLOY, select=["DH740"])
    assert findings(result) == [("stdin", 14, 22, 14, 38), ("stdin", 20, 22, 20, 36)]


def test_dh740_in_a_list_and_a_pod(scan):
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: debug}
    spec:
      containers:
        - {name: sh, image: busybox, env: [{name: apiKey, value: abc123}]}
"""
    result = scan({"list.yml": text}, select=["DH740"])
    assert findings(result) == [("list.yml", 9, 66, 9, 72)]
    assert result.active[0].anchor == "Pod/default/debug:spec.containers[sh].env[apiKey].value"


def test_dh740_one_invalid_document_does_not_hide_the_others(scan):
    broken = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n"
    text = broken + "---\n" + DEPLOY
    result = scan({"multi.yaml": text}, select=["DH740"])
    assert [d.line for d in result.diagnostics] == [4]
    assert [line for _, line, *_ in findings(result)] == [19, 25]


def test_dh740_the_name_of_a_secret_in_a_secret_manager_is_not_a_credential(scan):
    """probe22 min/02: a GCP Secret Manager path, an AWS Secrets Manager or SSM ARN and a Key
    Vault secret URI name where the credential is kept; a literal of another shape (one that
    only contains such a path) is still one, and so is a ConfigMap key's (DH742)."""
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: presence-consumer
spec:
  template:
    spec:
      containers:
        - name: consumer
          image: batch:1
          env:
            - name: CK_MAC_KEY_SECRET
              value: projects/ck-prod/secrets/mac-hmac-key/versions/latest
            - name: DB_PASSWORD_SECRET
              value: projects/ck-prod/locations/us-central1/secrets/db-password
            - name: API_TOKEN
              value: arn:aws:secretsmanager:us-east-2:111122223333:secret:api-token-AbCdEf
            - name: SMTP_PASSWORD
              value: arn:aws:ssm:us-east-2:111122223333:parameter/smtp/password
            - name: SIGNING_KEY_ARN
              value: Sign1ng-Key-2024
            - name: VAULT_SECRET
              value: https://kc-vault.vault.azure.net/secrets/feed-token/0f1e2d3c
            - name: FEED_TOKEN
              value: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/feed/)"
            - name: REDIS_PASSWORD
              value: hunter2-projects/p/secrets/s
            - name: MQTT_PASSWORD
              value: arn:aws:iam::111122223333:user/Mqtt-Pass-2024
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  API_TOKEN: arn:aws:secretsmanager:us-east-2:111122223333:secret:api-token-AbCdEf
  WEBHOOK_TOKEN: wh-9f8e7d6c5b
"""
    result = scan({"deploy.yaml": text}, select=["DH740", "DH742"])
    assert [(f.rule_id, f.location.start_line) for f in result.active] == [
        ("DH740", 27),
        ("DH740", 29),
        ("DH742", 37),
    ]


CHART = "apiVersion: v2\nname: permits\nversion: 1.0.0\n"
VALUES = """\
image:
  repository: registry.kcmo.gov/permits/api
postgresql:
  auth:
    username: permits
    password: ""
    existingSecret: permits-db
    existingSecretPasswordKey: password
    secretKeys:
      adminPasswordKey: postgres-password
    passwordSecret: permits-db-password
    passwordSecretKey: admin-password
tls:
  certificatesSecret: permits-tls
apiKey: "{{ .Values.global.key }}"
"""
VALUES_PROD = """\
postgresql:
  auth:
    password: Perm1ts-Prod-2024
externalDatabase:
  url: postgres://permits:Perm1ts-Prod-2024@db.prod:5432/permits
extraEnv:
  - name: STRIPE_API_KEY
    value: sk_live_51HxKc2eZvKYlo2C
  - name: LOG_LEVEL
    value: info
"""


def test_dh742_dh743_read_a_helm_charts_values_files(scan):
    # h5/2 (probe39): a chart's values.yaml holding a literal database password was skipped
    # silently (plain YAML, no apiVersion/kind), as a values-prod.yaml beside it. A values
    # file beside a Chart.yaml is now read by the credential rules, key by key, as a
    # ConfigMap's data is; the names of a Secret the cluster holds, or of its keys, are not
    # credentials. A values file away from a chart, and the chart's other files, are not read.
    files = {
        "charts/permits/Chart.yaml": CHART,
        "charts/permits/values.yaml": VALUES,
        "charts/permits/values-prod.yaml": VALUES_PROD,
        "deploy/prod-values.yaml": VALUES_PROD,  # no Chart.yaml beside: not known as values
    }
    result = scan(files, select=["DH7"])
    assert [
        (f.rule_id, f.location.path, f.location.start_line, f.location.start_col, f.anchor)
        for f in result.active
    ] == [
        (
            "DH742",
            "charts/permits/values-prod.yaml",
            3,
            15,
            "HelmValues/permits/values-prod.yaml:postgresql.auth.password",
        ),
        (
            "DH743",
            "charts/permits/values-prod.yaml",
            5,
            27,
            "HelmValues/permits/values-prod.yaml:externalDatabase.url@db.prod",
        ),
        (
            "DH742",
            "charts/permits/values-prod.yaml",
            8,
            12,
            "HelmValues/permits/values-prod.yaml:extraEnv[STRIPE_API_KEY].value",
        ),
    ]
    assert result.active[0].message == (
        "Helm values file 'values-prod.yaml' of chart 'permits' holds credential-like key "
        "'password' in plain text"
    )
    assert result.active[1].message == (
        "Connection string in 'externalDatabase.url' of Helm values file 'values-prod.yaml' "
        "embeds a password for 'db.prod'"
    )
    assert result.files == ["charts/permits/values-prod.yaml", "charts/permits/values.yaml"]
    # committed alone (pre-commit), the same; a ConfigMap's message is as it was
    alone = scan(files, select=["DH742"], paths=["charts/permits/values-prod.yaml"])
    assert [f.location.start_line for f in alone.active] == [3, 8]
    configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DB_PASSWORD: x1\n"
    plain = scan({"cm.yaml": configmap}, select=["DH742"])
    assert [f.message for f in plain.active] == [
        "ConfigMap 'c' holds credential-like key 'DB_PASSWORD' in plain text"
    ]


def test_dh740_dh742_vendor_keys_in_their_own_format_whatever_the_name(scan):
    """h5/2: a vendor's key in its published format was recognised in Python only (DH760);
    in a manifest it was a finding only under a credential's name, so an env var PAYMENTS,
    a ConfigMap key MAIL_PROVIDER, a properties line or a Helm value holding one passed. The
    values are now judged by DH760's test (dhlint.credentials.known_secret), whatever their
    names; a test key, a key in a sentence and AWS's documentation example are not."""
    stripe = "sk_live_" + "51HxKc2eZvKYlo2CqT9wXa"
    sendgrid = "SG." + "aB3" * 7 + "c." + "dE4" * 14 + "f"
    google = "AIza" + "Sy0123456789abcdefghijklmnopqrstuvw"
    deploy = f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pay
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
          env:
            - name: PAYMENTS
              value: "{stripe}"
            - name: STRIPE_TEST
              value: sk_test_51HxKc2eZvKYlo2CqT9wXa
            - name: HELP
              value: "keys look like {stripe} in the dashboard"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: mail
data:
  MAIL_PROVIDER: {sendgrid}
  AWS_EXAMPLE: AKIAIOSFODNN7EXAMPLE
  app.properties: |
    geocoder.url=https://maps.example
    geocoder.browser=
    geocoder.maps={google}
"""
    values = f"image:\n  repository: x\nmaps:\n  browser: {google}\n"
    files = {
        "k8s/pay.yaml": deploy,
        "charts/permits/Chart.yaml": CHART,
        "charts/permits/values.yaml": values,
    }
    result = scan(files, select=["DH740", "DH742"])
    assert [
        (f.rule_id, f.location.path, f.location.start_line, f.anchor) for f in result.active
    ] == [
        ("DH742", "charts/permits/values.yaml", 4, "HelmValues/permits/values.yaml:maps.browser"),
        (
            "DH740",
            "k8s/pay.yaml",
            13,
            "Deployment/default/pay:spec.template.spec.containers[app].env[PAYMENTS].value",
        ),
        ("DH742", "k8s/pay.yaml", 24, "ConfigMap/default/mail:data.MAIL_PROVIDER"),
        ("DH742", "k8s/pay.yaml", 29, "ConfigMap/default/mail:data.app.properties[geocoder.maps]"),
    ]
