"""Odd but parseable manifests never crash a rule; random damage never crashes the builder."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhlint.analysis import BuildEnv
from dhlint.models.kubernetes import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile

ODD = [
    "apiVersion: v1\nkind: Pod\nmetadata: just-a-string\nspec: [1, 2]\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: [a], labels: [x]}\nspec:\n  containers: {a: b}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - just text\n"
    "    - {name: c, env: not-a-list, args: --token=abc, command: 42}\n"
    "    - {name: d, env: [{name: [x]}, {value: y}, 7, {name: API_KEY, value: {a: b}}]}\n"
    "  volumes: [{hostPath: 3}, {name: v, hostPath: {path: [1]}}, x]\n",
    "apiVersion: v1\nkind: [Pod]\nmetadata: {name: p}\n",
    "apiVersion: 1\nkind: 2\n",
    "apiVersion: v1\nkind: List\nitems: {a: b}\n",
    "apiVersion: v1\nkind: List\nitems: [1, null, {kind: Pod}]\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: [a, b]\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    "data: {a: [1], ? [k] : v, PASSWORD: ~}\n",
    "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: x\nstringData: {a: {b: c}}\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: [LoadBalancer]\n"
    "  selector: app\n  externalName: {a: b}\n  loadBalancerSourceRanges: 0.0.0.0/0\n",
    "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
    "spec: {type: LoadBalancer, selector: {app: a}}\n",
    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n"
    "spec: {tls: [{hosts: x}, 3], rules: [{host: [a]}, 5, {host: a.b}]}\n",
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\n"
    "spec: {podSelector: [x], policyTypes: Egress, egress: [{to: 5}, {to: [{ipBlock: 3}]}, 7]}\n",
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\n"
    "spec: {podSelector: {matchExpressions: [{key: a, operator: In, values: x}, 3]}}\n",
    "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\n"
    "provisioner: [ebs.csi.aws.com]\nparameters: [encrypted]\n",
    "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\n"
    "provisioner: ebs.csi.aws.com\nparameters: {encrypted: [true]}\n",
    "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: p\n"
    "  annotations: {dhlint.io/retention-days: [1]}\n  labels: {data-classification: {a: b}}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver}\nspec:\n  containers:\n"
    "    - {name: kube-apiserver, command: [[kube-apiserver], --audit-log-maxage]}\n"
    "    - {name: etcd, command: etcd --auto-tls}\n",
    "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
    "authentication: [1]\nreadOnlyPort: {a: 1}\n",
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    "patches: [3, {path: [x]}, {patch: 'a\\nb'}]\npatchesStrategicMerge: x\n",
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: [x]\n"
    "resources: [3, {a: b}, 'a\\nb', '', /etc/passwd]\nconfigMapGenerator: 3\n"
    "secretGenerator: [3, {name: [x], literals: 5}, {literals: [[a], '=', A=, =x, {a: b}]}]\n",
    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    "configMapGenerator: [{name: c, literals: ['A=line one\\nPASSWORD=x y', \"B='\"]}]\n",
    "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec: {jobTemplate: 3}\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  <<: {name: merged}\n  <<: [1, 2]\nspec: {}\n",
]


def test_every_rule_survives_odd_manifests(scan):
    files = {f"odd{i}.yaml": text for i, text in enumerate(ODD)}
    result = scan(files, select=["ALL"])
    internal = [d for d in result.diagnostics if d.kind == "internal"]
    assert not internal, internal
    assert not [d for d in result.diagnostics if d.kind == "parse-error"]


BASE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {data-classification: personal}
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.kcmo.gov/app:1
          args: ["--token=abc", "http://x.example"]
          env:
            - name: DB_PASSWORD
              value: hunter2
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data:
  a.properties: |
    password=x1
"""

ENV = BuildEnv(policy=default_policy(), root="/nonexistent")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cuts=st.lists(st.tuples(st.integers(0, len(BASE)), st.integers(0, 6)), max_size=4),
    insert=st.text(alphabet="{}[]:-&*!|>'\"#\t\n ,?%@`", max_size=6),
)
def test_damaged_manifests_never_crash_the_builder(cuts, insert):
    text = BASE
    for position, length in cuts:
        text = text[:position] + insert + text[position + length :]
    result = build_models([SourceFile("x.yaml", "/nonexistent/x.yaml", "kubernetes", text)], ENV)
    assert all(d.line >= 0 for d in result.diagnostics)
    for obj in result.models[0].objects:
        assert obj.node.line >= 1


def test_kustomization_cycles_depth_and_parse_errors_never_crash(scan):
    kustomize = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    files = {
        # a and b list each other (kustomize refuses it); each also lists a file
        "a/kustomization.yaml": kustomize + "namespace: a\nresources: [../b, cm.yaml]\n",
        "a/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
        "b/kustomization.yaml": kustomize + "namespace: b\nresources: [../a, cm.yaml]\n",
        "b/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
        # a kustomization that does not parse: its resources are judged as written
        "broken/kustomization.yaml": kustomize + "namespace: [streetlights\nresources: [p.yaml]\n",
        "broken/p.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
        "stringData: {password: Hunter-2024x}\n",
    }
    # a chain of 200 overlays, each listing the one below
    for depth in range(200):
        below = f"../d{depth + 1}" if depth < 199 else "cm.yaml"
        files[f"deep/d{depth}/kustomization.yaml"] = (
            kustomize + f"namespace: n{depth}\nresources: [{below}]\n"
        )
    files["deep/d199/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\n"
    result = scan(files, select=["ALL"])
    assert not [d for d in result.diagnostics if d.kind == "internal"]
    assert [(d.path, d.line) for d in result.diagnostics if d.kind == "parse-error"] == [
        ("broken/kustomization.yaml", 4)
    ]
    assert [(f.rule_id, f.location.path, f.anchor) for f in result.active] == [
        ("DH744", "broken/p.yaml", "Secret/default/s:stringData")
    ]
