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
    # BaseSettings: the environment (or a .env file) is read first, the default when unset
    "settings-default": "a settings default, used when the environment does not set it",
    "f-string": "an f-string",
    "concatenation": "a built URL",
    "env-default": "an environment-variable default",
}


def detect(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    # One finding per call: a call that may reach several unapproved hosts (a URL a subclass
    # overrides) names them all.
    calls: dict[tuple, list] = {}
    for endpoint in model.endpoints:
        if endpoint.host is None or ctx.policy.is_approved_host(endpoint.host):
            continue
        calls.setdefault((endpoint.location, endpoint.anchor), []).append(endpoint)
    for endpoints in calls.values():
        first = endpoints[0]
        hosts = list(dict.fromkeys(e.host for e in endpoints))
        sources = list(dict.fromkeys(f"{_VIA.get(e.via, e.via)}: {e.url}" for e in endpoints))
        yield Hit(
            location=first.location,
            args={
                "hosts": " and ".join(f"'{host}'" for host in hosts),
                "are": "is" if len(hosts) == 1 else "are",
                "api": first.api,
                "sources": "; ".join(sources),
            },
            anchor=first.anchor,
            scope=first.scope,
            related=tuple(dict.fromkeys(r for e in endpoints for r in e.related)),
        )
