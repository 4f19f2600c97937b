"""The Kubernetes model: objects, every workload kind, List expansion, diagnostics."""

from __future__ import annotations

import pickle
from pathlib import Path

from dhlint.analysis import BuildEnv
from dhlint.models.kubernetes import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile

ENV = BuildEnv(policy=default_policy(), root="/nonexistent")


def build(files: dict[str, str]):
    sources = [SourceFile(p, f"/nonexistent/{p}", "kubernetes", t) for p, t in files.items()]
    result = build_models(sources, ENV)
    [model] = result.models
    return model, result.diagnostics


def pod_spec(indent: int, init: bool = True) -> str:
    pad = " " * indent
    lines = []
    if init:
        lines += ["initContainers:", "  - name: init", "    image: busybox"]
    lines += [
        "containers:",
        "  - name: main",
        "    image: app:1",
        "    command: [run]",
        "    args: [--port, '80']",
        "    env:",
        "      - name: A",
        "        value: x",
        "      - name: B",
        "        valueFrom: {secretKeyRef: {name: s, key: k}}",
        "volumes:",
        "  - name: data",
        "    hostPath: {path: /data}",
    ]
    return "".join(f"{pad}{line}\n" for line in lines)


def workload(kind: str, api: str, spec_prefix: list[str]) -> str:
    text = f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: w-{kind.lower()}\n"
    indent = 0
    for key in spec_prefix:
        text += " " * indent + f"{key}:\n"
        indent += 2
    return text + pod_spec(indent)


def test_every_workload_kind_with_init_containers():
    docs = [
        workload("Pod", "v1", ["spec"]),
        workload("Deployment", "apps/v1", ["spec", "template", "spec"]),
        workload("StatefulSet", "apps/v1", ["spec", "template", "spec"]),
        workload("DaemonSet", "apps/v1", ["spec", "template", "spec"]),
        workload("ReplicaSet", "apps/v1", ["spec", "template", "spec"]),
        workload("Job", "batch/v1", ["spec", "template", "spec"]),
        workload("CronJob", "batch/v1", ["spec", "jobTemplate", "spec", "template", "spec"]),
    ]
    model, diags = build({"all.yaml": "---\n".join(docs)})
    assert not diags
    kinds = [w.obj.kind for w in model.workloads]
    assert kinds == [
        "Pod",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "Job",
        "CronJob",
    ]
    for w in model.workloads:
        assert [(c.name, c.init) for c in w.containers] == [("init", True), ("main", False)]
        main = w.containers[1]
        assert [e.name for e in main.env] == ["A", "B"]
        assert main.env[0].literal == "x" and main.env[0].value_from is None
        assert main.env[1].value is None and main.env[1].value_from is not None
        assert [n.text for n in main.command] == ["run"]
        assert [n.text for n in main.args] == ["--port", "80"]
        assert [(v.name, v.source_type) for v in w.volumes] == [("data", "hostPath")]
    cron = model.workloads[-1]
    env_a = cron.containers[1].env[0]
    assert env_a.key_path == "spec.jobTemplate.spec.template.spec.containers[main].env[A]"
    assert cron.obj.anchor(env_a.key_path) == (
        "CronJob/default/w-cronjob:spec.jobTemplate.spec.template.spec.containers[main].env[A]"
    )
    # Positions: the CronJob's env value is the last `value: x` line of the file.
    lines = "---\n".join(docs).splitlines()
    row = max(i for i, line in enumerate(lines) if line.strip() == "value: x")
    assert (env_a.value.line, env_a.value.col) == (row + 1, lines[row].index("x") + 1)
    assert (env_a.value.line, env_a.value.col) == (162, 26)


def test_objects_metadata_and_non_k8s_documents_ignored():
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: city\n"
        "  labels: {data-classification: internal}\n  annotations: {a: b}\ndata: {K: v}\n"
        "---\n# not a Kubernetes object\nfoo: bar\n---\n- just\n- a list\n---\n"
    )
    model, diags = build({"k8s/cfg.yaml": text})
    assert not diags
    [cfg] = model.objects
    assert (cfg.kind, cfg.api_version, cfg.name, cfg.namespace) == (
        "ConfigMap",
        "v1",
        "cfg",
        "city",
    )
    assert cfg.labels == {"data-classification": "internal"} and cfg.annotations == {"a": "b"}
    assert cfg.ref == "ConfigMap/city/cfg" and cfg.scope == (1, 8)
    assert not model.workloads


def test_kind_list_is_expanded():
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: Service\n    metadata: {name: s}\n"
        "  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n"
        "    spec:\n      containers: [{name: c, image: i}]\n"
    )
    model, _ = build({"list.yaml": text})
    assert [(o.kind, o.name, o.item, o.node.line) for o in model.objects] == [
        ("Service", "s", 0, 4),
        ("Pod", "p", 1, 7),
    ]
    assert [c.name for c in model.containers()] == ["c"]


def test_invalid_document_gives_a_diagnostic_with_its_line_and_the_rest_is_modelled():
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [b\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: c}\n"
    )
    model, diags = build({"m.yaml": text})
    assert [o.name for o in model.objects] == ["a", "c"]
    [diag] = diags
    assert (diag.path, diag.kind, diag.level, diag.line) == ("m.yaml", "parse-error", "error", 9)
    assert diag.message.startswith("document 2: invalid YAML")


def test_helm_template_gives_one_note(tmp_path: Path):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
    text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "c.name" . }}\n'
    (chart / "templates" / "svc.yaml").write_text(text)
    source = SourceFile(
        "chart/templates/svc.yaml", str(chart / "templates/svc.yaml"), "kubernetes", text
    )
    result = build_models([source], ENV)
    [diag] = result.diagnostics
    assert (diag.kind, diag.level, diag.path) == ("skipped", "note", "chart/templates/svc.yaml")
    assert not result.models[0].objects


def test_model_pickles():
    model, _ = build({"w.yaml": workload("Deployment", "apps/v1", ["spec", "template", "spec"])})
    again = pickle.loads(pickle.dumps(model))
    assert again.workloads[0].containers[1].env[0].literal == "x"


def test_span_narrows_only_where_the_source_shows_the_text_verbatim():
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
        "  plain: see http://a.example/x\n"
        '  quoted: "tab\\there http://b.example"\n'
        "  single: 'it''s http://c.example'\n"
        "  block: |\n    first\n      indented http://d.example\n"
        "  folded: >\n    http://e.example\n"
    )
    model, _ = build({"c.yaml": text})
    data = model.objects[0].get("data")

    def span(key: str, needle: str):
        node = data.get(key)
        start = node.text.index(needle)
        loc = model.span("c.yaml", node, start, start + len(needle))
        return (loc.start_line, loc.start_col, loc.end_line, loc.end_col)

    assert span("plain", "a.example") == (5, 21, 5, 30)
    # Escapes and doubled quotes shift columns: fall back to the whole scalar.
    assert span("quoted", "b.example") == (6, 11, 6, 39)
    assert span("single", "c.example") == (7, 11, 7, 35)
    assert span("block", "d.example") == (10, 23, 10, 32)
    assert span("folded", "e.example") == (11, 11, 12, 21)


KUSTOMIZE = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"


def test_kustomize_generators_make_configmaps_and_secrets():
    text = KUSTOMIZE + (
        "namespace: holds\n"
        "configMapGenerator:\n"
        "  - name: cfg\n"
        "    namespace: ignored\n"  # kustomize's namespace wins over the generator's
        "    literals: [LOG_LEVEL=info, 'GREETING=a=b', \"QUOTED='x y'\", NO_EQUALS]\n"
        "secretGenerator:\n"
        "  - name: creds\n"
        "    type: kubernetes.io/basic-auth\n"
        "    literals:\n"
        "      - password=S3cret-x\n"
        "  - name: files-only\n"
        "    envs: [creds.env]\n"
    )
    model, diags = build({"app/kustomization.yaml": text})
    assert not diags
    made = [o for o in model.objects if o.kind != "Kustomization"]
    assert [(o.kind, o.ref, o.path) for o in made] == [
        ("ConfigMap", "ConfigMap/holds/cfg", "app/kustomization.yaml"),
        ("Secret", "Secret/holds/creds", "app/kustomization.yaml"),
        ("Secret", "Secret/holds/files-only", "app/kustomization.yaml"),
    ]
    cfg, creds, files_only = made
    assert cfg.get("data").to_python() == {"LOG_LEVEL": "info", "GREETING": "a=b", "QUOTED": "x y"}
    line = text.splitlines()[6]
    value = cfg.get("data", "LOG_LEVEL")
    assert (value.line, value.col, value.end_col) == (
        7,
        line.index("info") + 1,
        line.index(",") + 1,
    )
    assert creds.node.str_at("type") == "kubernetes.io/basic-auth"
    assert creds.get("stringData").to_python() == {"password": "S3cret-x"}
    assert (creds.get("stringData").line, creds.get("stringData", "password").line) == (12, 12)
    assert files_only.get("stringData") is None  # envs/files name other files: not read
    assert pickle.loads(pickle.dumps(model)).objects[1].get("data", "GREETING").text == "a=b"


def namespaces(model) -> list[tuple[str, str]]:
    return [(o.path, o.ref) for o in model.objects if o.kind not in ("Kustomization",)]


def test_kustomization_namespace_is_set_on_what_it_lists():
    resources = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: written}\n"
        "---\napiVersion: v1\nkind: List\nitems:\n"
        "  - {apiVersion: v1, kind: Service, metadata: {name: svc}}\n"
        "  - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: cr}}\n"
        "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: old}\n"
        "---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
    )
    model, _ = build(
        {
            "app/kustomization.yaml": KUSTOMIZE
            + "namespace: city\nresources: [res.yaml, sub, https://example.com/x.yaml]\n"
            "patches: [{path: patch.yaml}]\n",
            "app/res.yaml": resources,
            "app/sub/kustomization.yaml": KUSTOMIZE + "namespace: inner\nresources: [d.yaml]\n",
            "app/sub/d.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n",
            "app/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
            "app/unlisted.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u}\n",
        }
    )
    assert namespaces(model) == [
        ("app/res.yaml", "Deployment/city/web"),  # over the written namespace
        ("app/res.yaml", "Service/city/svc"),
        ("app/res.yaml", "ClusterRole/default/cr"),  # cluster-scoped: untouched
        ("app/res.yaml", "Namespace/default/city"),  # kustomize renames a listed Namespace
        ("app/res.yaml", "Widget/city/w"),  # custom resources are namespaced
        ("app/sub/d.yaml", "ConfigMap/city/d"),  # the outer overlay's namespace wins
        ("app/patch.yaml", "Deployment/default/web"),  # a patch is not a resource
        ("app/unlisted.yaml", "ConfigMap/default/u"),
    ]


def test_a_base_shared_by_overlays_that_disagree():
    def tree(base_namespace: str) -> dict[str, str]:
        overlay = KUSTOMIZE + "namespace: {}\nresources: [../../base]\n"
        return {
            "base/kustomization.yaml": KUSTOMIZE + base_namespace + "resources: [cm.yaml]\n",
            "base/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: w}\n",
            "overlays/dev/kustomization.yaml": overlay.format("dev"),
            "overlays/prod/kustomization.yaml": overlay.format("prod"),
        }

    model, _ = build(tree("namespace: app\n"))
    assert namespaces(model) == [("base/cm.yaml", "ConfigMap/app/cm")]  # its own base's
    model, _ = build(tree(""))
    assert namespaces(model) == [("base/cm.yaml", "ConfigMap/w/cm")]  # as written
    model, _ = build({**tree(""), "overlays/prod/kustomization.yaml": KUSTOMIZE})
    assert namespaces(model) == [("base/cm.yaml", "ConfigMap/dev/cm")]  # one overlay lists it
