"""DH660: a network endpoint (HTTP URL, storage client endpoint, mail/FTP/SFTP host) whose host
is not on the policy's approved vendor list. Only hosts the model resolved are judged.
Cluster-internal and loopback hosts (a Service name, ``*.svc.cluster.local``, a private address)
are not vendors, as for DH640 and DH690."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dhlint.analysis import Context
from dhlint.detectors.kubernetes._hosts import is_aws_api, is_cluster_internal
from dhlint.models.python import PythonModel
from dhlint.types import Hit, HostPart

_VIA = {
    "literal": "a literal URL",
    "constant": "a module constant",
    "imported": "a constant of another module of the project",
    "class-constant": "a class constant",
    # BaseSettings: the environment (or a .env file) is read first, the default when unset
    "settings-default": "a settings default, used when the environment does not set it",
    "f-string": "an f-string",
    "concatenation": "a built URL",
    "env-default": "an environment-variable default",
    "sdk": "the vendor SDK's own API host",  # Twilio's client
}


def detect(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    # One finding per call: a call that may reach several unapproved hosts (a URL a subclass
    # overrides) names them all.
    calls: dict[tuple, list] = {}
    accounts = ctx.policy.settings["approved_accounts"]
    for endpoint in model.endpoints:
        host = endpoint.host
        if host is None or is_cluster_internal(host) or ctx.policy.is_approved_host(host):
            continue
        if is_aws_api(host, endpoint.url, accounts):
            continue  # acts in the caller's own account (an SQS queue's: an approved one)
        calls.setdefault((endpoint.location, endpoint.anchor), []).append(endpoint)
    for endpoints in calls.values():
        first = endpoints[0]
        # One part per endpoint: a host the run's Terraform defines is taken out after the
        # per-file step (``dhlint.inventory.own_hosts``), with what the message says of it.
        parts = tuple(HostPart(e.host, e.url, _source(e), e.related) for e in endpoints)
        yield Hit(
            location=first.location,
            args={"api": first.api, **host_args(parts)},
            anchor=first.anchor,
            scope=first.scope,
            related=tuple(dict.fromkeys(r for e in endpoints for r in e.related)),
            hosts=parts,
        )


def host_args(parts: Sequence[HostPart]) -> dict[str, str]:
    """The message's arguments about the hosts of a call (all, or those not the city's own)."""
    hosts = list(dict.fromkeys(p.host for p in parts))
    return {
        "hosts": " and ".join(f"'{host}'" for host in hosts),
        "are": "is" if len(hosts) == 1 else "are",
        "sources": "; ".join(dict.fromkeys(p.detail for p in parts)),
    }


def from_env_default(part: HostPart) -> bool:
    """Whether a part of a hit names a host the code gives as an environment variable's
    default (``os.environ.get("URL", "https://...")``): the engine drops it where a deployment
    sets that variable to the same host (DH690 reports it there)."""
    return part.detail.startswith(_VIA["env-default"])


def _source(endpoint) -> str:
    """Where the address came from, as the code wrote it: a host it names (a Kafka broker, an
    SMTP server) is shown without the scheme the model gives it."""
    via = _VIA.get(endpoint.via, endpoint.via)
    if endpoint.written:
        return f"{via.replace('URL', 'host name')}: {endpoint.written}"
    return f"{via}: {endpoint.url}"
