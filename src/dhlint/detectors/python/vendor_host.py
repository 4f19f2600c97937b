"""DH660: a network endpoint (HTTP URL, storage client endpoint, mail/FTP/SFTP host) whose host
is not on the policy's approved vendor list. Only hosts the model resolved are judged."""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.models.python import PythonModel
from dhlint.types import Hit

_VIA = {
    "literal": "a literal URL",
    "constant": "a module constant",
    "class-constant": "a class constant",
    "f-string": "an f-string",
    "concatenation": "a built URL",
    "env-default": "an environment-variable default",
}


def detect(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    for endpoint in model.endpoints:
        if endpoint.host is None or ctx.policy.is_approved_host(endpoint.host):
            continue
        yield Hit(
            location=endpoint.location,
            args={
                "host": endpoint.host,
                "api": endpoint.api,
                "url": endpoint.url,
                "via": _VIA.get(endpoint.via, endpoint.via),
            },
            anchor=endpoint.anchor,
            scope=endpoint.scope,
            related=endpoint.related,
        )
