"""Network rules that need other documents of the tree: Ingress TLS (DH242), Services exposing
classified workloads (DH440), and egress NetworkPolicies for personal-data workloads (DH841)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.kubernetes._classes import (
    data_class,
    header_node,
    label_key,
    label_node,
    skipped_namespace,
)
from dhlint.frontends.kubernetes import Node
from dhlint.models.kubernetes import K8sObject, KubernetesModel, Workload
from dhlint.types import Hit, Related

OPEN_CIDRS = ("0.0.0.0/0", "::/0")


def _ns(obj: K8sObject) -> str:
    return obj.namespace or "default"


def matches_selector(selector: Node | None, labels: dict[str, str]) -> bool:
    """A LabelSelector (``matchLabels`` and ``matchExpressions``); empty selects everything."""
    if selector is None or not selector.is_map:
        return True
    match_labels = selector.get("matchLabels")
    for key, value in (match_labels.string_map() if match_labels is not None else {}).items():
        if labels.get(key) != value:
            return False
    expressions = selector.get("matchExpressions")
    for expr in expressions.items() if expressions is not None else []:
        key, op = expr.str_at("key"), expr.str_at("operator")
        values_node = expr.get("values")
        values = {v.text for v in values_node.items()} if values_node is not None else set()
        present = key in labels
        if (
            (op == "In" and labels.get(key) not in values)
            or (op == "NotIn" and present and labels[key] in values)
            or (op == "Exists" and not present)
            or (op == "DoesNotExist" and present)
        ):
            return False
    return True


def selected_workloads(model: KubernetesModel, service: K8sObject) -> list[Workload]:
    selector = service.get("spec", "selector")
    wanted = selector.string_map() if selector is not None else {}
    if not wanted:
        return []
    return [
        w
        for w in model.workloads
        if _ns(w.obj) == _ns(service) and all(w.labels.get(k) == v for k, v in wanted.items())
    ]


def _served(spec: Node | None) -> str:
    """The hosts an Ingress without TLS serves: its rules' hosts, and "any host" when a rule
    has none or a default backend takes the other hosts."""
    rules = _items(spec.get("rules")) if spec is not None else []
    hosts = [rule.get("host") for rule in rules]
    named = list(dict.fromkeys(h.text for h in hosts if h is not None and h.text))
    default = spec is not None and any(
        spec.get(k) is not None for k in ("defaultBackend", "backend")
    )
    if not named or len(named) < len(hosts) or default:
        named.append("any host")
    return ", ".join(named)


def ingress_tls(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH242: an Ingress without ``tls``, or a host its ``tls`` entries do not cover (served
    without TLS), or TLS hosts served over plain HTTP too (an annotation, GKE's default)."""
    how = ctx.params.get("how") or {}
    without_tls = how.get("without_tls", "without TLS")
    for obj in model.of_kind("Ingress"):
        spec = obj.get("spec")
        tls = spec.get("tls") if spec is not None else None
        annotations = obj.get("metadata", "annotations")
        managed = [  # the controller terminates TLS with a certificate it holds (ACM, GKE)
            key
            for key in ctx.params.get("certificate_annotations") or ()
            if annotations is not None and annotations.get(key) is not None
        ]
        if (tls is None or not tls.items()) and not managed:
            if obj.partial:
                continue  # a Kustomize patch need not repeat the tls section
            where = obj.node.key("spec") if spec is not None else header_node(obj)
            yield Hit(
                obj.location(where),
                args={"object": obj.name, "host": _served(spec), "how": without_tls},
                anchor=obj.anchor("spec.tls"),
                scope=obj.scope,
            )
            continue
        covered = [h.text or "" for entry in _items(tls) for h in _items(entry.get("hosts"))] or (
            ["*"] if managed else []
        )
        redirected = {  # the controllers (annotation prefixes) told to redirect HTTP to HTTPS
            key.split("/", 1)[0]
            for key in ctx.params.get("redirect_annotations") or ()
            if annotations is not None and annotations.get(key) is not None
        }
        rules = spec.get("rules")
        named = [r.get("host") for r in rules.items()] if rules is not None else []
        served = ", ".join(h.text for h in named if h is not None and h.text) or "any host"
        plain = False
        for key, pattern in (ctx.params.get("plain_http_annotations") or {}).items():
            node = obj.get("metadata", "annotations", key)
            if key.split("/", 1)[0] in redirected:
                continue  # alb.../ssl-redirect: its plain HTTP listener only redirects
            if node is not None and re.fullmatch(pattern, (node.text or "").strip(), re.I):
                plain = True
                also = how.get("plain_http_annotation", without_tls)
                also = also.format(key=key, value=(node.text or "").strip())
                yield Hit(
                    obj.location(node),
                    args={"object": obj.name, "host": served, "how": also},
                    anchor=obj.anchor(f"metadata.annotations.{key}"),
                    scope=obj.scope,
                )
        marker = None if plain else _http_by_default(obj, ctx.params)
        if marker is not None:  # GCE: HTTP is served beside HTTPS unless turned off
            yield Hit(
                obj.location(marker),
                args={
                    "object": obj.name,
                    "host": served,
                    "how": how.get("plain_http_default", without_tls),
                },
                anchor=obj.anchor("http-by-default"),
                scope=obj.scope,
            )
        for rule in rules.items() if rules is not None else []:
            host = rule.get("host")
            name = host.text if host is not None else None
            if not name or any(_covers(pattern, name) for pattern in covered):
                continue
            yield Hit(
                obj.location(host),
                args={"object": obj.name, "host": name, "how": without_tls},
                anchor=obj.anchor(f"spec.rules[{name}].host"),
                scope=(rule.line, rule.end_line),
            )


def _http_by_default(obj, params: dict) -> Node | None:
    """The annotation or class that names a controller serving plain HTTP beside HTTPS unless
    told not to (GKE's load balancer: ``kubernetes.io/ingress.allow-http`` defaults to true),
    when none of the ``http_off_annotations`` tells it; else None."""
    annotations = obj.get("metadata", "annotations")
    for key, pattern in (params.get("http_off_annotations") or {}).items():
        node = annotations.get(key) if annotations is not None else None
        if node is not None and re.fullmatch(pattern, (node.text or "").strip(), re.I):
            return None
    for key, pattern in (params.get("http_by_default") or {}).items():
        node = obj.get("spec", "ingressClassName") if key == "ingressClassName" else None
        if annotations is not None and key != "ingressClassName":
            node = annotations.get(key)
        if node is not None and re.fullmatch(pattern, (node.text or "").strip(), re.I):
            return node
    return None


def _items(node: Node | None) -> list[Node]:
    return node.items() if node is not None else []


def _covers(pattern: str, host: str) -> bool:
    """A TLS host entry covers the host: the same name, or ``*.x`` for one more label
    (``*.kcmo.gov`` covers ``api.kcmo.gov``, not ``api.sensors.kcmo.gov``); ``*`` (a
    certificate the controller holds) covers any."""
    pattern, host = pattern.lower(), host.lower()
    if pattern == "*" or pattern == host:
        return True
    if pattern.startswith("*."):
        label, _, rest = host.partition(".")
        return bool(label) and label != "*" and rest == pattern[2:]
    return False


_INTERNAL_LB = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": ("true", "0.0.0.0/0"),
    "service.beta.kubernetes.io/aws-load-balancer-scheme": ("internal",),
    "networking.gke.io/load-balancer-type": ("internal",),
    "cloud.google.com/load-balancer-type": ("internal",),
    "service.beta.kubernetes.io/azure-load-balancer-internal": ("true",),
}


def exposed_service(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH440: a LoadBalancer/NodePort Service in front of personal data, open to any source."""
    personal = ctx.policy.classes_with_personal_data()
    for service in model.of_kind("Service"):
        type_node = service.get("spec", "type")
        kind = type_node.text if type_node is not None else ""
        if kind not in ("LoadBalancer", "NodePort"):
            continue
        if kind == "LoadBalancer" and (_internal(service) or _restricted(service)):
            continue
        targets = [
            w
            for w in selected_workloads(model, service)
            if data_class(w.labels, ctx.policy)[0] in personal
        ]
        if not targets:
            continue
        first = targets[0]
        yield Hit(
            service.location(type_node),
            args={
                "object": service.name,
                "type": kind,
                "workload": f"{first.obj.kind} '{first.obj.name}'",
                "class": data_class(first.labels, ctx.policy)[0],
            },
            anchor=service.anchor("spec.type"),
            scope=service.scope,
            related=tuple(
                Related(w.obj.location(w.obj.node.get("kind") or w.obj.node), "selected workload")
                for w in targets
            ),
        )


def _internal(service: K8sObject) -> bool:
    return any(
        service.annotations.get(key, "").strip().lower() in values
        for key, values in _INTERNAL_LB.items()
    )


def _restricted(service: K8sObject) -> bool:
    ranges = [n.text or "" for n in _items(service.get("spec", "loadBalancerSourceRanges"))]
    annotated = service.annotations.get("service.beta.kubernetes.io/load-balancer-source-ranges")
    if annotated:
        ranges += [r.strip() for r in annotated.split(",")]
    return bool(ranges) and not any(r in OPEN_CIDRS for r in ranges)


def _egress_policy(policy: K8sObject) -> tuple[bool, str]:
    """(whether it governs egress, what of it still allows any destination: "" if nothing),
    e.g. "allows egress to any destination on port 443"."""
    spec = policy.get("spec")
    if spec is None:
        return False, ""
    types = [t.text for t in _items(spec.get("policyTypes"))]
    egress = spec.get("egress")
    governs = "Egress" in types or (not types and egress is not None)
    if not governs:
        return False, ""
    for rule in _items(egress):
        peers = _items(rule.get("to")) if rule.is_map else []
        ports = [p.str_at("port") for p in _items(rule.get("ports"))] if rule.is_map else []
        if not peers:
            if not ports or any(p != "53" for p in ports):
                return True, _any_destination(ports)  # DNS-only rules are fine
            continue
        for peer in peers:
            cidr = peer.str_at("ipBlock", "cidr")
            if cidr in OPEN_CIDRS:
                return True, _any_destination(ports)
    return True, ""


def _any_destination(ports: list[str | None]) -> str:
    """What an open egress rule allows; its ports named, as a policy limited to 443 still
    lets a pod send data to any address on the internet, but not on every port."""
    named = [p for p in ports if p]
    if not ports:
        return "allows egress to any destination"
    if len(named) < len(ports):
        return "allows egress to any destination on some ports"
    plural = "s" if len(named) > 1 else ""
    return f"allows egress to any destination on port{plural} {', '.join(named)}"


def egress(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH841: a personal-data workload that no NetworkPolicy restricts egress for."""
    personal = ctx.policy.classes_with_personal_data()
    key = label_key(ctx.policy)
    policies = [(p, *_egress_policy(p)) for p in model.of_kind("NetworkPolicy")]
    for workload in model.workloads:
        if workload.obj.partial or skipped_namespace(workload.obj, ctx.params):
            continue
        cls, _ = data_class(workload.labels, ctx.policy)
        if cls not in personal:
            continue
        selecting = [
            (p, open_what)
            for p, governs, open_what in policies
            if governs
            and _ns(p) == _ns(workload.obj)
            and matches_selector(p.get("spec", "podSelector"), workload.labels)
        ]
        if selecting and not any(what for _, what in selecting):
            continue
        obj = workload.obj
        where = label_node(workload, key) or header_node(obj)
        open_policy, open_what = next(((p, what) for p, what in selecting if what), (None, ""))
        yield Hit(
            obj.location(where),
            args={
                "kind": obj.kind,
                "object": obj.name,
                "class": cls,
                "found": f"NetworkPolicy '{open_policy.name}' {open_what}"
                if open_policy is not None
                else "no NetworkPolicy restricts its egress",
            },
            anchor=obj.anchor("egress"),
            scope=obj.scope,
            related=(
                Related(
                    open_policy.location(open_policy.node.get("kind") or open_policy.node),
                    open_what,
                ),
            )
            if open_policy is not None
            else (),
        )
