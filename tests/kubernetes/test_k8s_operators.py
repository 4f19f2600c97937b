"""Operators' custom resources and the settings injectors and Argo CD read (task h3): the
breaches a 911/CAD platform on on-premises Kubernetes writes outside the core objects."""

from __future__ import annotations

from tests.kubernetes.test_k8s_rules import at, rows

CNPG = """\
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: cad-db
  namespace: cad
{labels}spec:
  instances: 3
  backup:
{retention}    barmanObjectStore:
      destinationPath: s3://cad-backups/
      endpointURL: http://minio.storage:9000
  externalClusters:
    - name: origin
      barmanObjectStore:
        destinationPath: s3://dc1-backups/
        endpointURL: http://minio.dc1.example.org:9000
    - name: other
      connectionParameters: {{host: other-rw}}
"""


def cnpg(labels: str = "", retention: str = "") -> str:
    return CNPG.format(labels=labels, retention=retention)


def test_dh240_cloudnativepg_backup_and_replica_endpoints_over_http(scan):
    text = cnpg(retention="    retentionPolicy: 30d\n")
    result = scan({"db.yaml": text}, select=["DH240"])
    assert rows(result) == [
        ("DH240", *at(text, "http://minio.storage:9000")),
        ("DH240", *at(text, "http://minio.dc1.example.org:9000")),
    ]
    first, second = result.active
    assert first.message == (
        "'backup.barmanObjectStore.endpointURL' of Cluster 'cad-db' uses unencrypted http:// "
        "to 'minio.storage'"
    )
    assert first.anchor == (
        "Cluster/cad/cad-db:spec.backup.barmanObjectStore.endpointURL@minio.storage"
    )
    assert second.anchor.startswith(
        "Cluster/cad/cad-db:spec.externalClusters[origin].barmanObjectStore.endpointURL@"
    )
    # https, or a cluster labelled with a class without personal data: nothing.
    safe = text.replace("http://", "https://")
    assert rows(scan({"db.yaml": safe}, select=["DH240"])) == []
    public = cnpg(labels="  labels: {data-classification: public}\n")
    assert rows(scan({"db.yaml": public}, select=["DH240"])) == []
    # Another operator's Cluster (Cluster API) with the same fields is not CloudNativePG's.
    capi = text.replace("postgresql.cnpg.io/v1", "cluster.x-k8s.io/v1beta1")
    assert rows(scan({"db.yaml": capi}, select=["DH240"])) == []


KAFKA = """\
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: cad-events
  namespace: cad
{labels}spec:
  kafka:
    listeners:
      - name: plain
        port: 9092
        type: internal
        tls: false
      - name: tls
        port: 9093
        type: internal
        tls: true
      - port: 9094
        type: internal
        tls: False
    config:
      log.retention.hours: {hours}
"""


def kafka(labels: str = "", hours: str = "168") -> str:
    return KAFKA.format(labels=labels, hours=hours)


def test_dh241_strimzi_listener_without_tls(scan):
    text = kafka()
    result = scan({"kafka.yaml": text}, select=["DH241"])
    assert rows(result) == [
        ("DH241", *at(text, "false")),
        ("DH241", *at(text, "False")),
    ]
    assert result.active[0].message == (
        "'kafka.listeners[plain].tls' of Kafka 'cad-events' turns off TLS or its verification "
        "(tls: false)"
    )
    assert result.active[1].anchor.startswith("Kafka/cad/cad-events:spec.kafka.listeners[2].tls")
    internal = kafka(labels="  labels: {data-classification: internal}\n")
    assert rows(scan({"kafka.yaml": internal}, select=["DH241"])) == []
    sensitive = kafka(labels="  labels: {data-classification: sensitive}\n")
    assert len(rows(scan({"kafka.yaml": sensitive}, select=["DH241"]))) == 2


TENANT = """\
apiVersion: minio.min.io/v2
kind: Tenant
metadata:
  name: evidence
spec:
  requestAutoCert: {auto}
{certs}  pools:
    - servers: 4
"""


def test_dh241_minio_tenant_serving_plain_http(scan):
    text = TENANT.format(auto="false", certs="")
    result = scan({"tenant.yaml": text}, select=["DH241"])
    assert rows(result) == [("DH241", *at(text, "false"))]
    assert result.active[0].message == (
        "'requestAutoCert' of Tenant 'evidence' turns off TLS or its verification "
        "(requestAutoCert: false and no externalCertSecret)"
    )
    with_cert = TENANT.format(auto="false", certs="  externalCertSecret:\n    - name: ev-tls\n")
    empty_list = TENANT.format(auto="false", certs="  externalCertSecret: []\n")
    auto = TENANT.format(auto="true", certs="")
    assert rows(scan({"t.yaml": with_cert}, select=["DH241"])) == []
    assert rows(scan({"t.yaml": auto}, select=["DH241"])) == []
    unset = auto.replace("  requestAutoCert: true\n", "")  # the operator's default: on
    assert rows(scan({"t.yaml": unset}, select=["DH241"])) == []
    assert rows(scan({"t.yaml": empty_list}, select=["DH241"])) == [("DH241", *at(text, "false"))]
    # A kustomize patch that turns the operator's certificate off: the base may name its own.
    kustomization = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources: [tenant.yaml]\npatches: [{path: patch.yaml}]\n"
    )
    patch = "apiVersion: minio.min.io/v2\nkind: Tenant\nmetadata: {name: evidence}\n"
    files = {
        "kustomization.yaml": kustomization,
        "tenant.yaml": with_cert,
        "patch.yaml": patch + "spec: {requestAutoCert: false}\n",
    }
    assert rows(scan(files, select=["DH241"])) == []
    files["patch.yaml"] = patch + "spec: {requestAutoCert: false}\n"
    files["tenant.yaml"] = text  # the base has no certificate: it is judged there
    assert rows(scan(files, select=["DH241"])) == [("DH241", *at(text, "false"))]


def test_dh241_argocd_server_insecure_only_in_its_configmap(scan):
    text = (
        "apiVersion: v1\nkind: ConfigMap\n"
        "metadata: {name: argocd-cmd-params-cm, namespace: argocd}\n"
        "data:\n"
        '  server.insecure: "true"\n'
        '  server.repo.server.plaintext: "false"\n'
        '  reposerver.disable.tls: "true"\n'
    )
    result = scan({"cm.yaml": text}, select=["DH241"])
    assert rows(result) == [
        ("DH241", *at(text, '"true"')),
        ("DH241", *at(text, '"true"', 1)),
    ]
    assert "(server.insecure=true)" in result.active[0].message
    # The same key in another program's ConfigMap means something else: not judged.
    other = text.replace("argocd-cmd-params-cm", "web-settings")
    assert rows(scan({"cm.yaml": other}, select=["DH241"])) == []
    # Argo CD's server given the setting as a variable.
    env = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: argocd-server}\nspec:\n  containers:\n"
        "    - name: s\n      image: i\n      env:\n"
        '        - {name: ARGOCD_SERVER_INSECURE, value: "true"}\n'
    )
    assert rows(scan({"p.yaml": env}, select=["DH241"])) == [("DH241", *at(env, '"true"'))]


VAULT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dispatch-api
  annotations:
    vault.hashicorp.com/tls-skip-verify: "true"
spec:
  template:
    metadata:
      annotations:
        vault.hashicorp.com/agent-inject: "true"
        vault.hashicorp.com/tls-skip-verify: "{value}"
    spec:
      containers:
        - name: api
          image: registry.kcmo.gov/cad/dispatch-api:3.2.0
"""


def test_dh241_vault_agent_skipping_verification_on_the_pod(scan):
    text = VAULT.format(value="true")
    result = scan({"d.yaml": text}, select=["DH241"])
    # On the pod template, where the injector reads it; the Deployment's own is not read.
    assert rows(result) == [("DH241", *at(text, '"true"', 2))]
    assert result.active[0].anchor == (
        "Deployment/default/dispatch-api:spec.template.metadata.annotations."
        "vault.hashicorp.com/tls-skip-verify"
    )
    assert rows(scan({"d.yaml": VAULT.format(value="false")}, select=["DH241"])) == []
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
        "    vault.hashicorp.com/tls-skip-verify: t\n"
        "spec:\n  containers: [{name: c, image: i}]\n"
    )
    assert rows(scan({"p.yaml": pod}, select=["DH241"])) == [("DH241", *_last(pod, "verify: t"))]


def _last(text: str, needle: str) -> tuple[int, int, int, int]:
    """The region of the last character of ``needle`` (a one-letter value)."""
    line, _col, _, end = at(text, needle)
    return (line, end - 1, line, end)


def test_dh140_longhorn_class_without_encryption(scan):
    head = (
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: lh}\n"
        "provisioner: driver.longhorn.io\n"
    )
    bad = head + 'parameters:\n  numberOfReplicas: "3"\n  encrypted: "false"\n'
    omitted = head + 'parameters:\n  numberOfReplicas: "3"\n'
    good = head + 'parameters:\n  encrypted: "true"\n'
    result = scan({"sc.yaml": bad}, select=["DH140"])
    assert rows(result) == [("DH140", *at(bad, '"false"'))]
    assert result.active[0].message == (
        "StorageClass 'lh' (driver.longhorn.io) does not request encryption: set "
        'encrypted: "true"'
    )
    assert rows(scan({"sc.yaml": omitted}, select=["DH140"])) == [
        ("DH140", *at(omitted, "parameters"))
    ]
    assert rows(scan({"sc.yaml": good}, select=["DH140"])) == []
    # Provider-default acceptance is about clouds that encrypt anyway; Longhorn does not.
    accepted = scan({"sc.yaml": omitted}, {"encryption": {"accept_provider_default": True}},
                    select=["DH140"])  # fmt: skip
    assert len(rows(accepted)) == 1


TOPIC = """\
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: {name}
  namespace: cad
  labels:
    strimzi.io/cluster: cad-events
{labels}spec:
  config:
{config}"""


def topic(name: str, config: str, labels: str = "") -> str:
    return TOPIC.format(name=name, config=config, labels=labels)


def test_dh341_kafka_topic_retention_forever_or_above_the_maximum(scan):
    forever = topic("plates", "    retention.ms: -1\n")
    year = topic("events", '    retention.ms: "34560000000"\n')  # 400 days
    exactly = topic("exactly", "    retention.ms: 31536000000\n")  # 365 days: the maximum
    week = topic("status", "    retention.ms: 604800000\n")
    unset = topic("unset", "    cleanup.policy: delete\n")
    public = topic("timetable", "    retention.ms: -1\n", "    data-classification: public\n")
    odd = topic("odd", "    retention.ms: soon\n")
    files = {
        "a.yaml": forever, "b.yaml": year, "c.yaml": week, "d.yaml": unset, "e.yaml": public,
        "f.yaml": odd, "g.yaml": exactly,
    }  # fmt: skip
    result = scan(files, select=["DH341"])
    assert rows(result) == [("DH341", *at(forever, "-1")), ("DH341", *at(year, '"34560000000"'))]
    assert [f.message for f in result.active] == [
        "KafkaTopic 'plates' keeps records forever (retention.ms: -1); the policy allows at "
        "most 365 days for 'personal' data",
        "KafkaTopic 'events' keeps records for 400 days (retention.ms: 34560000000); the policy "
        "allows at most 365 days for 'personal' data",
    ]
    assert result.active[0].anchor == "KafkaTopic/cad/plates:spec.config.retention.ms"


def test_dh341_topic_takes_its_kafka_clusters_class_and_the_broker_default_is_judged(scan):
    sensitive = "  labels: {data-classification: sensitive}\n"
    month = topic("dispatch", "    retention.ms: 2678400000\n")  # 31 days
    quarter = topic("incidents", "    retention.ms: 8640000000\n")  # 100 days
    cluster = kafka(labels=sensitive, hours="-1")
    result = scan({"kafka.yaml": cluster, "t1.yaml": month, "t2.yaml": quarter}, select=["DH341"])
    assert rows(result) == [
        ("DH341", *at(cluster, "-1")),
        ("DH341", *at(quarter, "8640000000")),
    ]
    assert result.active[0].message == (
        "Kafka 'cad-events' keeps records by default forever (log.retention.hours: -1); the "
        "policy allows at most 90 days for 'sensitive' data"
    )
    assert "for 100 days (retention.ms: 8640000000)" in result.active[1].message
    assert "'sensitive' data" in result.active[1].message
    # A cluster of internal data: its topics (unlabelled) are internal too (730 days).
    internal = kafka(labels="  labels: {data-classification: internal}\n", hours="-1")
    result = scan({"kafka.yaml": internal, "t2.yaml": quarter}, select=["DH341"])
    assert rows(result) == []
    # The broker's ms setting wins over hours, as in Kafka.
    hours = "      log.retention.hours: -1\n"
    ms_first = cluster.replace(hours, "      log.retention.ms: 86400000\n" + hours)
    assert rows(scan({"kafka.yaml": ms_first}, select=["DH341"])) == []


def test_dh341_topic_of_a_cluster_in_another_namespace(scan):
    # probe34 min/09: the Topic Operator watches the topics' namespace, the cluster is in its
    # own: a topic takes the class of the only cluster of its name in the tree.
    public = kafka(labels="  labels: {data-classification: public}\n")
    public = public.replace("namespace: cad", "namespace: kafka")
    forever = topic("plates", "    retention.ms: -1\n")  # namespace cad
    assert rows(scan({"kafka.yaml": public, "t.yaml": forever}, select=["DH341"])) == []
    # Two clusters of that name elsewhere: which one is not known, the default class applies.
    other = public.replace("namespace: kafka", "namespace: kafka-b")
    files = {"kafka.yaml": public, "other.yaml": other, "t.yaml": forever}
    assert rows(scan(files, select=["DH341"])) == [("DH341", *at(forever, "-1"))]
    # A cluster of that name in the topic's own namespace is the topic's.
    own = kafka(labels="  labels: {data-classification: personal}\n")
    files = {"kafka.yaml": public, "own.yaml": own, "t.yaml": forever}
    assert rows(scan(files, select=["DH341"])) == [("DH341", *at(forever, "-1"))]


def test_dh341_cloudnativepg_backups_without_or_above_retention(scan):
    missing = cnpg()
    long = cnpg(labels="  labels: {data-classification: sensitive}\n",
                retention="    retentionPolicy: 4m\n")  # fmt: skip
    ok = cnpg(retention="    retentionPolicy: 52w\n")  # 364 days
    public = cnpg(labels="  labels: {data-classification: public}\n")
    no_backup = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: x}\n"
    snapshots = no_backup + "spec: {backup: {volumeSnapshot: {className: csi-snap}}}\n"
    result = scan({"a.yaml": missing, "b.yaml": long}, select=["DH341"])
    assert rows(result) == [("DH341", *at(missing, "backup")), ("DH341", *at(long, "4m"))]
    assert result.active[0].message == (
        "Cluster 'cad-db' keeps backups forever (no retentionPolicy); the policy allows at "
        "most 365 days for 'personal' data"
    )
    assert "for 124 days (retentionPolicy: 4m)" in result.active[1].message
    for text in (ok, public, no_backup, snapshots):
        assert rows(scan({"a.yaml": text}, select=["DH341"])) == []


ODD_OPERATORS = [
    "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: a}\nspec: [1]\n",
    "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: a}\n"
    "spec: {backup: x, externalClusters: {a: b}}\n",
    "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: a}\n"
    "spec:\n  backup: {retentionPolicy: [30d], barmanObjectStore: [1]}\n"
    "  externalClusters: [3, {barmanObjectStore: 4}, {name: [x], barmanObjectStore: "
    "{endpointURL: [http://x]}}]\n",
    "apiVersion: postgresql.cnpg.io/v2alpha9\nkind: Cluster\nmetadata: {name: a}\n"
    "spec: {backup: {retentionPolicy: forever, barmanObjectStore: {destinationPath: s3://b}}}\n",
    "apiVersion: kafka.strimzi.io/v1beta1\nkind: Kafka\nmetadata: {name: k}\n"
    "spec: {kafka: {listeners: {plain: {}, tls: {}}, config: [1]}}\n",
    "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: k}\n"
    "spec: {kafka: {listeners: [3, {tls: [false]}, {tls: ~}], config: {log.retention.ms: {}}}}\n",
    "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: k}\nspec: 5\n",
    "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata: {name: t, labels: [a]}\n"
    "spec: {config: {retention.ms: 1e99}}\n",
    "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata: {name: t}\n"
    "spec: {config: x}\n",
    "apiVersion: minio.min.io/v2\nkind: Tenant\nmetadata: {name: m}\n"
    "spec: {requestAutoCert: [false], externalCertSecret: x}\n",
    "apiVersion: minio.min.io/v9\nkind: Tenant\nmetadata: {name: m}\nspec: [x]\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cmd-params-cm}\n"
    "data: {server.insecure: [true], a: b}\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: [vault]\n"
    "spec: {containers: [{name: c, image: i}]}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
    "spec: {template: {metadata: {annotations: {vault.hashicorp.com/tls-skip-verify: [1]}}, "
    "spec: {containers: [{name: c, image: i}]}}}\n",
    "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\n"
    "provisioner: driver.longhorn.io\nparameters: {encrypted: {a: b}}\n",
]


def test_odd_operator_resources_never_crash(scan):
    files = {f"odd{i}.yaml": text for i, text in enumerate(ODD_OPERATORS)}
    result = scan(files, select=["ALL"])
    internal = [d for d in result.diagnostics if d.kind == "internal"]
    assert not internal, internal
    assert not [d for d in result.diagnostics if d.kind == "parse-error"]
    # A CloudNativePG cluster with backups but a retention it does not accept is not judged.
    assert not [f for f in result.active if f.rule_id == "DH341" and "odd3" in f.location.path]
