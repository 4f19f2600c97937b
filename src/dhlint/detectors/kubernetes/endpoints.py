"""Where workloads send data: vendor hosts (DH640), plain-text endpoints (DH240), and
connection settings that turn TLS off (DH241). All read the same configured strings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain

from dhlint.analysis import Context
from dhlint.credentials import words
from dhlint.detectors.kubernetes._classes import holds_personal
from dhlint.detectors.kubernetes._hosts import (
    HOST_NAME_WORDS,
    bare_host,
    exempt_hosts,
    find_urls,
    is_aws_api,
    is_cluster_internal,
    is_on_host,
    is_xml_name,
)
from dhlint.detectors.kubernetes._operators import at_path, custom_values, is_set, objects_of
from dhlint.detectors.kubernetes._tls import (
    has_starttls,
    mail_secured,
    mail_switch,
    setting_values,
    tls_off,
    tls_params,
)
from dhlint.detectors.kubernetes._values import (
    Value,
    embedded_settings,
    file_kind,
    helm_values,
    in_comment,
    string_values,
)
from dhlint.models.kubernetes import KubernetesModel
from dhlint.types import Hit, HostPart

NON_NETWORK_SCHEMES = frozenset({"file", "unix", "data", "mailto", "urn"})


# A values file's settings of what the chart serves (its Ingress, Gateway API route, OpenShift
# route): their host names are the city's addresses that receive requests.
_INBOUND = re.compile(r"(?i)(?:^|\.)(?:ingress|httproute|route|gateway)\w*[.\[]")


def _is_host_key(key: str) -> bool:
    parts = words(key)
    return bool(parts) and parts[-1] in HOST_NAME_WORDS


def _hosts(value: Value) -> Iterator[tuple[str, str, int, int, int]]:
    """(scheme or "", host, start, end, URL start or -1) of every URL host, and of a bare host
    under a host key."""
    for url in find_urls(value.text):
        if (
            url.scheme not in NON_NETWORK_SCHEMES
            and not in_comment(value.text, url.start)
            and not is_xml_name(value.text, url.start)
        ):
            yield url.scheme, url.host, url.host_start, url.host_end, url.start
    if value.origin == "helm" and _INBOUND.search(value.key_path):
        return  # the chart's own addresses (ingress.hosts[0].host), which receive, not send
    if value.key and _is_host_key(value.key) and "://" not in value.text:
        # one host, or a list of them: KAFKA_BOOTSTRAP_SERVERS=b1.vendor.example:9092,b2...
        offset = 0
        for part in value.text.split(","):
            host = bare_host(part)
            if host:
                start = offset + part.find(part.strip())
                yield "", host, start, start + len(host), -1
            offset += len(part) + 1
    for key, literal, start, _end in embedded_settings(value.text):
        if _is_host_key(key) and "://" not in literal:
            host = bare_host(literal)
            if host:
                yield "", host, start, start + len(host), -1


def _hit(model: KubernetesModel, value: Value, start: int, end: int, **args: str) -> Hit:
    obj = value.obj
    where = value.key or value.key_path.rsplit(".", 1)[-1]
    if value.origin == "helm":  # a values file: its key path, the file named as such
        return Hit(
            value.location(model, start, end),
            args={"where": value.key_path, "kind": file_kind(obj), "object": obj.name, **args},
            anchor=obj.anchor(f"{value.key_path}@{args.get('host', '')}"),
            scope=value.scope,
        )
    return Hit(
        value.location(model, start, end),
        args={"where": where, "kind": obj.kind, "object": obj.name, **args},
        anchor=obj.anchor(f"{value.key_path}@{args.get('host', '')}"),
        scope=value.scope,
    )


def vendor_hosts(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH640: an external host not on the policy's approved vendor list."""
    exempt = exempt_hosts(ctx.params)
    namespaces = model.namespaces()
    accounts = ctx.policy.settings["approved_accounts"]
    # A chart's values too: it renders them into its workloads' environment and configuration.
    for value in chain(string_values(model), helm_values(model)):
        for _scheme, host, start, end, url_start in _hosts(value):
            if (
                is_cluster_internal(host, namespaces)
                or host in exempt
                or ctx.policy.is_approved_host(host)
            ):
                continue
            url = value.text[url_start:].split(None, 1)[0] if url_start >= 0 else ""
            if is_aws_api(host, url, accounts):
                continue
            # The host as data: the city's own (the run's Terraform defines it) is taken out
            # after the per-file step (``dhlint.inventory.own_hosts``).
            hit = _hit(model, value, start, end, host=host)
            yield replace(hit, hosts=(HostPart(host, url),))
    for obj in model.of_kind("Service"):
        if obj.node.str_at("spec", "type") != "ExternalName":
            continue
        node = obj.get("spec", "externalName")
        host = (node.text or "").lower().rstrip(".") if node is not None else ""
        if not host or is_cluster_internal(host, namespaces) or ctx.policy.is_approved_host(host):
            continue
        yield Hit(
            obj.location(node),
            args={"where": "externalName", "kind": obj.kind, "object": obj.name, "host": host},
            anchor=obj.anchor(f"spec.externalName@{host}"),
            scope=obj.scope,
            hosts=(HostPart(host),),
        )


def plaintext(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH240: ``http://``, ``ftp://`` (and other plain-text schemes) to a non-local host, in a
    workload's or ConfigMap's strings, a chart's values files (rendered into workloads) and in
    the endpoint fields of the operators' custom
    resources that ``params.custom_resources`` names (a CloudNativePG backup's endpointURL)."""
    schemes = set(ctx.params.get("schemes", ("http", "ftp")))
    exempt = exempt_hosts(ctx.params)
    custom = custom_values(model, ctx.params.get("custom_resources"), ctx.policy)
    for value in chain(string_values(model), helm_values(model), custom):
        for url in find_urls(value.text):
            if in_comment(value.text, url.start) or is_xml_name(value.text, url.start):
                continue
            if url.scheme in schemes and not is_on_host(url.host) and url.host not in exempt:
                yield _hit(model, value, url.start, url.end, host=url.host, scheme=url.scheme)


def tls_disabled(model: KubernetesModel, ctx: Context) -> Iterable[Hit]:
    """DH241: ``sslmode=disable`` and the like, in a string or as a named setting."""
    patterns, settings = tls_params(ctx.params)
    # Settings of one program's ConfigMap (Argo CD's argocd-cmd-params-cm): name -> key -> rx.
    configmaps = {
        name: {key: re.compile(rx, re.IGNORECASE) for key, rx in (keys or {}).items()}
        for name, keys in (ctx.params.get("configmaps") or {}).items()
    }
    # A chart's values and Grafana's datasource settings too (env.PGSSLMODE, jsonData.sslmode,
    # jsonData.tlsSkipVerify)
    values = [*string_values(model), *helm_values(model)]
    # Objects and texts that switch STARTTLS on (a ConfigMap's keys, an ldap.toml).
    starttls = {id(v.obj) for v in values if has_starttls(f"{v.key}={v.text}" if v.key else v.text)}
    # ... and objects with a mail STARTTLS switch whose mail is secured otherwise
    # (EMAIL_USE_SSL=True, EMAIL_HOST=localhost): their EMAIL_USE_TLS=False is not TLS off.
    mail = {id(v.obj) for v in values if mail_switch(v.key or "", v.text)}
    secured = {
        id(v.obj)
        for v in values
        if id(v.obj) in mail and mail_secured(f"{v.key}={v.text}" if v.key else v.text)
    }
    for value in values:
        with_starttls = id(value.obj) in starttls
        safe_mail = id(value.obj) in secured
        helm = value.origin == "helm"
        name = _snake(value.key) if helm else value.key
        rx = setting_values(settings, name, with_starttls, safe_mail) if name else None
        if rx is None and value.origin == "configmap" and value.obj.name in configmaps:
            rx = configmaps[value.obj.name].get(value.key)
        found = tls_off(
            value.key or "", value.text, settings, patterns, with_starttls, rx, safe_mail
        )
        for start, end, setting in found:
            obj = value.obj
            yield Hit(
                value.location(model, start, end),
                args={
                    "setting": setting,
                    "where": value.key_path
                    if helm
                    else value.key or value.key_path.rsplit(".", 1)[-1],
                    "kind": file_kind(obj) if helm else obj.kind,
                    "object": obj.name,
                },
                anchor=obj.anchor(f"{value.key_path}#{setting}"),
                scope=value.scope,
            )
    yield from _annotations_tls_off(model, ctx.params.get("annotations"))
    yield from _custom_tls_off(model, ctx)


def _snake(key: str) -> str:
    """A values file's camelCase setting name as the settings are listed (tlsSkipVerify ->
    tls_Skip_Verify, compared in upper case as TLS_SKIP_VERIFY)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key)


def _annotations_tls_off(model: KubernetesModel, table: dict | None) -> Iterator[Hit]:
    """Pod annotations that make an injected sidecar skip TLS verification (the Vault agent
    injector's ``vault.hashicorp.com/tls-skip-verify``): ``table`` is annotation -> regex of
    the bad values. Read on the pod (a workload's pod template), where the injector reads them."""
    if not table:
        return
    checks = {key: re.compile(rx, re.IGNORECASE) for key, rx in table.items()}
    for workload in model.workloads:
        obj = workload.obj
        template = workload.pod_spec_path.split(".")[:-1]
        annotations = obj.get(*template, "metadata", "annotations")
        if annotations is None or not annotations.is_map:
            continue
        prefix = ".".join([*template, "metadata.annotations"])
        for key, value in annotations.pairs():
            rx = checks.get(key.text or "")
            text = value.text
            if rx is None or text is None or not rx.fullmatch(text.strip()):
                continue
            yield Hit(
                obj.location(value),
                args={
                    "setting": f"{key.text}: {text.strip()}",
                    "where": key.text or "",
                    "kind": obj.kind,
                    "object": obj.name,
                },
                anchor=obj.anchor(f"{prefix}.{key.text}"),
                scope=(key.line, value.end_line),
            )


def _custom_tls_off(model: KubernetesModel, ctx: Context) -> Iterator[Hit]:
    """Fields of operators' custom resources that turn TLS off (a Strimzi Kafka listener's
    ``tls: false``; a MinIO Tenant's ``requestAutoCert: false`` with no certificate of its
    own, ``unless``): ``params.custom_resources`` is "Kind (group)" -> [{path, values,
    unless}]. Only resources that hold personal data (their classification label)."""
    for ref, checks in (ctx.params.get("custom_resources") or {}).items():
        objects = objects_of(model, ref)
        if not objects:
            continue
        for check in checks or ():
            rx = re.compile(check["values"], re.IGNORECASE)
            unless = check.get("unless")
            for obj in objects:
                if not holds_personal(obj.labels, ctx.policy):
                    continue
                if unless and (
                    obj.partial  # a kustomize patch: the base may set it
                    or any(is_set(v) for _, v, _ in at_path(obj.node, unless))
                ):
                    continue
                for key, value, key_path in at_path(obj.node, check["path"]):
                    text = value.text
                    if text is None or not rx.fullmatch(text.strip()):
                        continue
                    setting = f"{key.text}: {text.strip()}"
                    if unless:
                        setting += f" and no {unless.rsplit('.', 1)[-1]}"
                    yield Hit(
                        obj.location(value),
                        args={
                            "setting": setting,
                            "where": key_path.removeprefix("spec."),
                            "kind": obj.kind,
                            "object": obj.name,
                        },
                        anchor=obj.anchor(f"{key_path}#{setting}"),
                        scope=(key.line, value.end_line),
                    )
