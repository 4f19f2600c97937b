"""Where Terraform-configured services send data.

- ``detect`` (DH605): data sent to an HTTP endpoint whose host is not an approved vendor.
  ``params.endpoints`` lists ``{types, path, when: {path, in}}`` (``path`` a string or a list):
  Firehose HTTP endpoint destinations, SNS HTTP(S) subscriptions, EventBridge API destinations,
  Pub/Sub push subscriptions, Event Grid webhooks, Azure Monitor webhooks, an IoT Core topic
  rule's ``http`` actions (its ``error_action``'s too). Hosts are matched with the
  policy's ``approved_vendors`` (exact or ``*.example.org``). Unknown URLs are not judged, nor
  local and internal hosts or an AWS service's API endpoint (``is_aws_api``); each host is kept
  as data (``HostPart``), so the city's own is taken out after the per-file step (one finding
  per resource, at its first such URL, naming the first host left).
  ``params.environments`` lists ``{types, path, containers, pairs}``: the environment a
  function or a container runs with (a Lambda function's ``environment.variables``, an ECS task
  definition's ``container_definitions`` JSON, an Azure function or web app's ``app_settings``,
  whose Key Vault references are not read, a Cloud Function's ``environment_variables``, Cloud
  Run's ``env`` name/value blocks: ``pairs``; a Data Factory linked service's
  ``connection_string``: ``single``); every URL in a value is judged as a Kubernetes
  workload's environment is (DH640): a host that is not local or internal and not approved.
  Such a host is kept as data (``HostPart``): the city's own (``dhlint.inventory.own_hosts``) is
  taken out after the per-file step.
- ``plaintext`` (DH210): a URL with a plain-text scheme (``http://``) to a non-local host in the
  same environments (as DH240 judges a workload's), or as one of the same ``endpoints``; an
  endpoint known only at apply when its spec's ``protocol`` attribute names a plain-text scheme
  (an SNS subscription's ``protocol = "http"``).
- ``tls_disabled`` (DH212): a setting in the same environments that turns TLS or its
  verification off (as DH241 judges a workload's: ``sslmode=disable``, ``DB_SSLMODE=disable``),
  and a resource's own switch that turns the check of the server off (``params.switches``: a Data
  Factory SFTP linked service's ``skip_host_key_validation``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from dhlint.analysis import Context
from dhlint.detectors.kubernetes._hosts import (
    Url,
    exempt_hosts,
    find_urls,
    is_aws_api,
    is_cluster_internal,
    is_on_host,
    is_xml_name,
)
from dhlint.detectors.kubernetes._tls import (
    has_starttls,
    mail_secured,
    mail_switch,
    setting_values,
    tls_off,
    tls_params,
)
from dhlint.detectors.terraform._origin import value_origin
from dhlint.detectors.terraform.bucket_policy import approved_accounts
from dhlint.detectors.terraform.values import holds
from dhlint.models.terraform import Resource, TerraformModel, partial_text
from dhlint.types import Hit, HostPart

NON_NETWORK_SCHEMES = frozenset({"file", "unix", "data", "mailto", "urn", "arn", "s3"})


def host_of(url: str) -> str | None:
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    return host or None


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    accounts: set[str] | None = None
    for spec in ctx.params.get("endpoints", []):
        for res in _endpoint_resources(model, spec):
            # One finding per resource, at its first vendor URL; every host kept as data
            # (``HostPart``), so that the city's own (``dhlint.inventory.own_hosts``) is taken
            # out after the per-file step and the finding names the others
            hit: Hit | None = None
            parts: dict[str, HostPart] = {}
            for path, keypath, url in _endpoint_values(res, spec):
                if not isinstance(url, str):
                    continue
                host = host_of(url)
                if not host or is_cluster_internal(host) or ctx.policy.is_approved_host(host):
                    continue
                if accounts is None:
                    accounts = approved_accounts(model, ctx)
                if is_aws_api(host, url, accounts) or host in parts:
                    continue
                origin = value_origin(model, res, url)
                parts[host] = HostPart(host, url, related=(origin,) if origin else ())
                if hit is None:
                    hit = res.hit(keypath, host=host, attribute=path)
            if hit is not None:
                related = tuple(dict.fromkeys(r for p in parts.values() for r in p.related))
                yield replace(hit, related=related, hosts=tuple(parts.values()))
    seen: set[tuple[str, str, str]] = set()
    exempt = exempt_hosts(ctx.params)
    for res, keypath, name, url, text in _environments(model, ctx):
        host = url.host
        if is_cluster_internal(host) or host in exempt or ctx.policy.is_approved_host(host):
            continue
        if accounts is None:
            accounts = approved_accounts(model, ctx)
        if is_aws_api(host, text, accounts):
            continue
        if (res.address, name, host) in seen:
            continue
        seen.add((res.address, name, host))
        hit = res.hit(keypath, host=host)
        origin = value_origin(model, res, text, within=True, near=hit.location)
        yield replace(
            hit,
            anchor=f"{res.address}#env.{name}@{host}",
            hosts=(HostPart(host, text),),
            related=(origin,) if origin else (),
        )


def plaintext(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    """DH210: a plain-text URL (``http://``) to a non-local host in a function's or container's
    environment, or as the endpoint a subscription, webhook or IoT rule pushes to
    (``params.endpoints``, as DH605's)."""
    schemes = set(ctx.params.get("schemes", ("http", "ftp")))
    exempt = exempt_hosts(ctx.params)
    seen: set[tuple[str, str, str]] = set()
    for spec in ctx.params.get("endpoints", []):
        for res in _endpoint_resources(model, spec):
            for path, keypath, value in _endpoint_values(res, spec):
                text = partial_text(value)
                url = next((u for u in _urls(text) if u.start == 0), None) if text else None
                if url is None and not isinstance(value, str) and "protocol" in spec:
                    # known only at apply: a protocol that fixes the scheme says it all
                    scheme = _protocol_scheme(res, spec["protocol"], schemes)
                    if scheme is None or (res.address, path, "") in seen:
                        continue
                    seen.add((res.address, path, ""))
                    hit = res.hit(keypath, where=path, host=UNKNOWN_HOST, scheme=scheme)
                    yield replace(hit, anchor=f"{res.address}#{path}@{scheme}://")
                    continue
                if url is None or url.scheme not in schemes or is_on_host(url.host):
                    continue
                if (res.address, path, url.host) in seen:
                    continue
                seen.add((res.address, path, url.host))
                hit = res.hit(keypath, where=path, host=url.host, scheme=url.scheme)
                yield replace(hit, anchor=f"{res.address}#{path}@{url.scheme}://{url.host}")
    for res, keypath, name, url, _text in _environments(model, ctx):
        if url.scheme not in schemes or is_on_host(url.host) or url.host in exempt:
            continue
        if (res.address, name, url.host) in seen:
            continue
        seen.add((res.address, name, url.host))
        hit = res.hit(keypath, where=name, host=url.host, scheme=url.scheme)
        yield replace(hit, anchor=f"{res.address}#env.{name}@{url.scheme}://{url.host}")


# DH210's host for an endpoint whose URL is known only at apply.
UNKNOWN_HOST = "an address known only at apply"


def _protocol_scheme(res: Resource, path: str, schemes: set[str]) -> str | None:
    """The plain-text scheme an endpoint spec's ``protocol`` attribute fixes (an SNS
    subscription's ``protocol = "http"``: SNS delivers to an http:// URL), or None."""
    found = [v for _, v in res.find(path)]
    names = {v.lower() for v in found if isinstance(v, str)}
    if len(found) != 1 or len(names) != 1:
        return None  # unset, unknown, or each branch of a conditional
    (name,) = names
    return name if name in schemes else None


def _endpoint_resources(model: TerraformModel, spec: dict) -> Iterator[Resource]:
    """The resources of an endpoint spec's types that meet its ``when`` (an SNS subscription
    whose protocol is http(s), an enabled IoT rule)."""
    when = spec.get("when")
    for res in model.of_type(*spec["types"]):
        if not when or all(holds(v, when) is True for _, v in res.find(when["path"])):
            yield res


def _endpoint_values(res: Resource, spec: dict) -> Iterator[tuple[str, tuple, object]]:
    """(path, key path, value) at each of an endpoint spec's ``path`` (a string or a list: an
    IoT rule's ``http`` action and its ``error_action``'s, one finding per resource)."""
    paths = spec["path"]
    for path in (paths,) if isinstance(paths, str) else paths:
        for keypath, value in res.find(path):
            yield path, keypath, value


def tls_disabled(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    """DH212: a setting of a function's or container's environment that turns TLS or its
    verification off (``DATABASE_URL=...?sslmode=disable``, ``DB_SSLMODE=disable``), judged
    as DH241 judges a Kubernetes workload's (its ``patterns`` and ``settings``), in the
    environments ``params.environments`` names (DH210's)."""
    patterns, settings = tls_params(ctx.params)
    for spec in ctx.params.get("environments", []):
        for res in model.of_type(*spec["types"]):
            values = list(_env_values(res, spec))
            if not values:
                continue
            # STARTTLS on beside it (EMAIL_USE_TLS=True): implicit SSL off is not TLS off
            starttls = any(has_starttls(f"{name}={text}") for _, name, text in values)
            # EMAIL_USE_SSL=True or EMAIL_HOST=localhost beside it: mail's STARTTLS off is not
            secured = any(mail_switch(name, text) for _, name, text in values) and any(
                mail_secured(f"{name}={text}") for _, name, text in values
            )
            for keypath, name, text in values:
                rx = setting_values(settings, name, starttls, secured) if name else None
                found = tls_off(name, text, settings, patterns, starttls, rx, secured)
                for _start, _end, setting in found:
                    hit = res.hit(keypath, where=name, setting=setting)
                    origin = value_origin(model, res, text, within=True, near=hit.location)
                    yield replace(
                        hit,
                        anchor=f"{res.address}#env.{name}#{setting}",
                        related=(origin,) if origin else (),
                    )
    yield from _switches_off(model, ctx.params.get("switches", ()))


def _switches_off(model: TerraformModel, specs: Iterable[dict]) -> Iterator[Hit]:
    """A resource's own attribute that turns the check of the server off (``params.switches``:
    ``{types, path, equals, setting}``; a Data Factory SFTP linked service's
    ``skip_host_key_validation = true``), where its known value is ``equals``."""
    for spec in specs:
        path = spec["path"]
        for res in model.of_type(*spec["types"]):
            for keypath, value in res.find(path):
                if holds(value, spec) is True:
                    hit = res.hit(keypath, where=path, setting=spec["setting"])
                    yield replace(hit, anchor=f"{res.address}#{path}")


def host_args(parts: Sequence[HostPart]) -> dict[str, str]:
    """The message arguments for the hosts of a finding left after the own hosts are out."""
    return {"host": parts[0].host}


def _env_values(res: Resource, spec: dict) -> Iterator[tuple[tuple, str, str]]:
    """(key path, variable name, text) of every string a function's or container's environment
    sets: a map at ``path``, or (``containers``) the ``environment`` entries of the container
    definitions JSON at ``path``, or (``single``) the one string at ``path``, named by its
    attribute, each at the attribute's location."""
    for keypath, value in res.find(spec["path"]):
        if spec.get("containers"):
            text = partial_text(value)
            try:
                containers = json.loads(text) if text else None
            except (ValueError, RecursionError):
                continue
            for container in containers if isinstance(containers, list) else ():
                env = container.get("environment") if isinstance(container, dict) else None
                for entry in env if isinstance(env, list) else ():
                    if isinstance(entry, dict) and isinstance(entry.get("value"), str):
                        yield keypath, str(entry.get("name", "")), entry["value"]
        elif spec.get("pairs"):
            # Cloud Run's ``env { name, value }`` blocks (``value_source`` names a secret).
            blocks = enumerate(value) if isinstance(value, list) else ()
            for i, block in blocks:
                text = partial_text(block.get("value")) if isinstance(block, dict) else None
                if text:
                    yield (*keypath, i, "value"), str(block.get("name", "")), text
        elif spec.get("single"):
            # One string, named by its attribute (a Data Factory linked service's
            # connection_string: the store the factory copies data to and from).
            text = partial_text(value)
            if text:
                yield keypath, spec["path"].rpartition(".")[2], text
        elif isinstance(value, dict):
            for name, item in value.items():
                text = partial_text(item)
                # An App Service Key Vault reference names the secret the platform reads.
                if text and not text.startswith("@Microsoft.KeyVault("):
                    yield (*keypath, name), str(name), text


def _urls(text: str) -> Iterator[Url]:
    """The network URLs of a value whose host is whole (not followed by an unknown part), but
    an XML namespace or schema location (``xmlns="http://..."``: a name)."""
    for url in find_urls(text):
        if (
            url.scheme not in NON_NETWORK_SCHEMES
            and not text.startswith("${", url.host_end)
            and not is_xml_name(text, url.start)
        ):
            yield url


def _environments(
    model: TerraformModel, ctx: Context
) -> Iterator[tuple[Resource, tuple, str, Url, str]]:
    """(resource, key path, variable name, URL, the URL's text) in the environments the rule's
    ``params.environments`` name."""
    for spec in ctx.params.get("environments", []):
        for res in model.of_type(*spec["types"]):
            for keypath, name, text in _env_values(res, spec):
                for url in _urls(text):
                    yield res, keypath, name, url, text[url.start :].split(None, 1)[0]
