"""DH605: data sent to an HTTP endpoint whose host is not an approved vendor.

``params.endpoints`` lists ``{types, path, when: {path, in}}``: Firehose HTTP endpoint
destinations, SNS HTTP(S) subscriptions, EventBridge API destinations, Pub/Sub push
subscriptions, Event Grid webhooks, Azure Monitor webhooks. Hosts are matched with the policy's
``approved_vendors`` (exact or ``*.example.org``). Unknown URLs are not judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import urlsplit

from dhlint.analysis import Context
from dhlint.detectors.terraform._origin import value_origin
from dhlint.detectors.terraform.values import holds
from dhlint.models.terraform import TerraformModel
from dhlint.types import Hit


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
    for spec in ctx.params.get("endpoints", []):
        for res in model.of_type(*spec["types"]):
            when = spec.get("when")
            if when and not all(holds(v, when) is True for _, v in res.find(when["path"])):
                continue
            for keypath, url in res.find(spec["path"]):
                if not isinstance(url, str):
                    continue
                host = host_of(url)
                if host and not ctx.policy.is_approved_host(host):
                    hit = res.hit(keypath, host=host, attribute=spec["path"])
                    origin = value_origin(model, res, url)
                    yield replace(hit, related=(origin,)) if origin else hit
                    break
