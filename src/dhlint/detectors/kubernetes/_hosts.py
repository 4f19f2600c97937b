"""URLs and host names in configuration text, and whether a host is local or cluster-internal."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

URL = re.compile(
    r"""(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]{1,15})://
        (?:(?P<user>[^/\s:@'"<>]*)(?::(?P<password>[^/\s@'"<>]*))?@)?
        (?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_\-.%]+)
        (?::(?P<port>\d{1,5}))?""",
    re.VERBOSE,
)
_FQDN = re.compile(
    r"\A(?=.{4,253}$)([A-Za-z0-9_-]{1,63}\.)+[A-Za-z][A-Za-z0-9-]{1,62}\.?(:\d{1,5})?"
)
# Names of settings that hold a host name (DB_HOST, vendorEndpoint, smtp.server...).
HOST_NAME_WORDS = frozenset(
    {
        *("host", "hosts", "hostname", "endpoint", "endpoints", "server", "servers", "domain"),
        *("url", "uri", "broker", "brokers"),
    }
)
# An XML namespace or schema location (xmlns="http://logging.apache.org/log4j/2.0/config"):
# a name, not an address anything is sent to. Matched on the text before the URL.
_XML_NAME = re.compile(
    r"""\b(?:xmlns(?::[\w.-]+)?|(?:\w+:)?(?:noNamespace)?[sS]chemaLocation)\s*=\s*["'][^"'<>]*\Z"""
)
CLUSTER_SUFFIXES = (".svc", ".svc.cluster.local", ".cluster.local", ".local", ".internal")
# Namespaces of common cluster add-ons: ``collector.observability`` is a Service in a namespace.
COMMON_NAMESPACES = frozenset(
    {
        "default",
        "kube-system",
        "monitoring",
        "observability",
        "logging",
        "istio-system",
        "linkerd",
        "cert-manager",
        "ingress-nginx",
        "argocd",
        "vault",
        "database",
        "databases",
    }
)


@dataclass(frozen=True)
class Url:
    scheme: str
    host: str
    port: str
    user: str
    password: str | None
    start: int  # offsets in the searched text
    end: int
    host_start: int
    host_end: int
    password_start: int = -1


def find_urls(text: str) -> Iterator[Url]:
    for match in URL.finditer(text):
        host = match["host"].strip(".")
        if not host or host.startswith("%"):
            continue
        yield Url(
            scheme=match["scheme"].lower(),
            host=host.lower(),
            port=match["port"] or "",
            user=match["user"] or "",
            password=match["password"],
            start=match.start(),
            end=match.end(),
            host_start=match.start("host"),
            host_end=match.end("host"),
            password_start=match.start("password") if match["password"] is not None else -1,
        )


def bare_host(text: str) -> str | None:
    """``api.vendor.example`` or ``api.vendor.example:443`` as the whole value, else None."""
    value = text.strip()
    if _FQDN.fullmatch(value) and not re.fullmatch(r"[\d.:]+", value):
        return value.split(":", 1)[0].rstrip(".").lower()
    try:
        ipaddress.ip_address(value)
        return value
    except ValueError:
        return None


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    ip = _ip(host)
    if ip is not None:
        return ip.is_loopback or ip.is_unspecified
    return host == "localhost" or host.endswith(".localhost")


def is_xml_name(text: str, url_start: int) -> bool:
    """The URL at ``url_start`` is an XML namespace or schema location (``xmlns="..."``)."""
    return _XML_NAME.search(text, 0, url_start) is not None


def exempt_hosts(params: dict) -> set[str]:
    """A rule's ``params.exempt_hosts``: hosts that appear in configuration without receiving
    data (a schema's id, an XML namespace: ``json-schema.org``, ``www.w3.org``)."""
    return {h.lower() for h in params.get("exempt_hosts", ())}


def is_on_host(host: str) -> bool:
    """Loopback, or a link-local address (169.254.0.0/16, fe80::/10: the instance metadata
    service, the ECS agent's credentials endpoint), which never leaves the host."""
    if is_loopback(host):
        return True
    ip = _ip(host)
    return ip is not None and ip.is_link_local


# An AWS service's API endpoint: <service>[-fips][.dualstack][.<region>].amazonaws.com (or
# .api.aws), one label before the region. A resource's own host has more (a bucket, a domain,
# a cluster's id) and S3's path-style host names a bucket: ``dhlint.inventory.own_hosts``.
_AWS_API = re.compile(
    r"\A(?P<service>[a-z][a-z0-9-]*?)(?:-fips)?(?:\.dualstack)?(?:\.[a-z]{2}(?:-[a-z]+)+-\d)?"
    r"\.(?:amazonaws\.com|api\.aws)"
)
# An account in a URL's path (an SQS queue URL: https://sqs.<region>.amazonaws.com/<account>/q).
_PATH_ACCOUNT = re.compile(r"\A[A-Za-z][A-Za-z0-9+.\-]*://[^/\s]+/(\d{12})(?:[/?#]|$)")


def is_aws_api(host: str, url: str = "", accounts: Iterable[str] = ()) -> bool:
    """An AWS service's API endpoint (``ssm.us-east-2.amazonaws.com``), not S3's: a request is
    signed with the caller's credentials and acts in the caller's own account, so AWS is no
    vendor there. A URL (``url``, from its scheme) whose path names an account (an SQS queue
    of another account) is one only when that account is in ``accounts`` (the City's)."""
    match = _AWS_API.fullmatch(host.lower().rstrip("."))
    if match is None or match["service"].startswith("s3"):
        return False
    account = _PATH_ACCOUNT.match(url)
    return account is None or account.group(1) in set(accounts)


def is_cluster_internal(host: str, namespaces: frozenset[str] | set[str] = frozenset()) -> bool:
    """Loopback, a private address, a Service name (``db``), a cluster DNS name
    (``db.sensors.svc.cluster.local``) or ``service.namespace`` for a namespace of the scanned
    tree or a common add-on namespace."""
    host = host.strip("[]").lower().rstrip(".")
    if is_loopback(host):
        return True
    ip = _ip(host)
    if ip is not None:
        return ip.is_private or ip.is_link_local
    if "." not in host or host.endswith(CLUSTER_SUFFIXES):
        return True
    labels = host.split(".")
    return len(labels) == 2 and (labels[1] in namespaces or labels[1] in COMMON_NAMESPACES)
