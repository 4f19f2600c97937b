"""Transport security in Python code.

- ``cleartext`` (DH260): an endpoint reached over ``http://``, ``ftp://`` (or plain FTP
  clients) on a host other than this machine, a mail sent on an ``smtplib.SMTP`` connection
  without ``starttls()`` (or an aiosmtplib one without ``start_tls=True``),
  ``sslmode=disable`` (``allow``, ``prefer``) or ODBC's ``Encrypt=no`` in a database
  connection, or a Kafka client whose security protocol is PLAINTEXT (set, or by default).
- ``tls_disabled`` (DH261): certificate verification switched off (``verify=False``, an
  unverified SSL context, ``check_hostname = False``, ``CERT_NONE``, ODBC's
  ``TrustServerCertificate=yes``, paho-MQTT's ``tls_insecure_set(True)``, the Azure SDK's
  ``connection_verify=False``, Kafka clients' ``ssl_check_hostname=False`` and
  ``enable.ssl.certificate.verification: False``, paramiko's ``AutoAddPolicy``/``WarningPolicy``
  as an SSH client's missing-host-key policy).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.models.python import PythonModel
from dhlint.types import Hit

CLEARTEXT_SCHEMES = ("http", "ftp", "ws", "telnet")
_TLS_QUERY = re.compile(r"(?:^|&)(?:tls|ssl)=true(?:&|$)", re.IGNORECASE)
_LOOPBACK = re.compile(r"^(localhost|127(\.\d+){3}|::1)$", re.I)


def cleartext(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    schemes = tuple(ctx.params.get("schemes", CLEARTEXT_SCHEMES))
    for endpoint in model.endpoints:
        if endpoint.scheme not in schemes or endpoint.host is None:
            continue
        if _local(endpoint.host) or _TLS_QUERY.search(endpoint.url.partition("?")[2]):
            continue  # (mongodb://db/?tls=true)
        yield Hit(
            location=endpoint.location,
            args={"what": f"{endpoint.scheme}://{endpoint.host}", "api": endpoint.api},
            anchor=endpoint.anchor,
            scope=endpoint.scope,
            related=endpoint.related,
        )
    for fact in model.tls:
        if fact.kind in _SMTP_CLEARTEXT:
            # a mail sent on an smtplib.SMTP connection on which starttls() was not called, or
            # on an aiosmtplib one that upgrades only if the server offers STARTTLS
            remote = [h for h in fact.hosts if not _local(h)]
            if remote:
                what = _SMTP_CLEARTEXT[fact.kind].format(host=remote[0])
                yield Hit(
                    location=fact.location,
                    args={"what": what, "api": fact.api},
                    anchor=fact.anchor,
                    scope=fact.scope,
                )
        elif fact.kind in _KAFKA_PROTOCOLS:
            # A Kafka client without TLS: to a broker other than this machine; set to
            # PLAINTEXT in the code, also to brokers not known (read at run time)
            remote = [h for h in fact.hosts if not _local(h)]
            if remote or (not fact.hosts and fact.kind != "kafka-default"):
                to = f" to {remote[0]}" if remote else ""
                yield Hit(
                    location=fact.location,
                    args={"what": f"Kafka{to}, {_KAFKA_PROTOCOLS[fact.kind]}", "api": fact.api},
                    anchor=fact.anchor,
                    scope=fact.scope,
                )
        elif fact.kind in _CLEARTEXT_SETTINGS:
            yield Hit(
                location=fact.location,
                args={"what": _CLEARTEXT_SETTINGS[fact.kind], "api": fact.api},
                anchor=fact.anchor,
                scope=fact.scope,
            )


# Mail in clear, as the message says it: STARTTLS never asked for, or asked for only if the
# server offers it (aiosmtplib's start_tls default: an attacker who strips the offer, or a
# server without it, gets the mail in clear).
_SMTP_CLEARTEXT = {
    "smtp-plain": "SMTP to {host} without STARTTLS",
    "smtp-opportunistic": (
        "SMTP to {host} with STARTTLS only if the server offers it: start_tls is not True"
    ),
}


def _local(host: str) -> bool:
    """This machine: a channel that does not cross a network."""
    return _LOOPBACK.match(host) is not None or host.endswith(".localhost")


# Connection-string settings that leave the channel in clear (ODBC's Encrypt=false and
# Encrypt=optional are Encrypt=no).
# redis-py's, pymongo's and asyncpg's ssl=False is no TLS at all (a Redis server whose host is
# known is judged by its redis:// endpoint instead: a local one is fine).
_CLEARTEXT_SETTINGS = {
    "sslmode-disable": "sslmode=disable",
    "sslmode-allow": "sslmode=allow, which falls back to plain text",
    "sslmode-prefer": "sslmode=prefer, which falls back to plain text",
    "encrypt-off": "Encrypt=no",
    "ssl-off": "ssl=False",
    "secure-off": "secure=False",  # MinIO's client
}
# Kafka clients' security protocols that send in clear (SASL_PLAINTEXT authenticates, but
# the records and, with the PLAIN mechanism, the password cross the network unencrypted).
_KAFKA_PROTOCOLS = {
    "kafka-plaintext": "security protocol PLAINTEXT",
    "kafka-sasl-plaintext": "security protocol SASL_PLAINTEXT",
    "kafka-default": "no security protocol set: PLAINTEXT",
}
# What each kind of TLS fact switched off, as the message says it.
_SWITCHED_OFF = {
    "trust-server-certificate": "TrustServerCertificate=yes",
    "verify-false": "verify false",
    "connection-verify-false": "connection_verify=False",
    "unverified-context": "unverified context",
    "check-hostname-false": "check_hostname = False",
    "cert-none": "CERT_NONE",
    "cert-reqs-none": "ssl_cert_reqs none",  # redis-py's
    "tls-insecure": "tls_insecure_set(True)",
    "kafka-check-hostname": "ssl_check_hostname=False",  # kafka-python's
    "kafka-verify-off": "enable.ssl.certificate.verification false",  # confluent-kafka's
    "kafka-identification-none": "ssl.endpoint.identification.algorithm none",
    "ssh-auto-add": "AutoAddPolicy",  # paramiko's: any unknown host key is saved and trusted
    "ssh-warning": "WarningPolicy",  # paramiko's: only logged
    "cert-check-off": "cert_check=False",  # MinIO's client
}


# Only the host-name check is off: the certificate is still verified, but one issued for any
# host passes (probe37 12: urllib3 and botocore match host names themselves; most code does not).
_HOST_NAME_ONLY = frozenset(
    {"check-hostname-false", "tls-insecure", "kafka-check-hostname", "kafka-identification-none"}
)


# SSH has no certificates: what is off is the check of the server's host key.
_OFF = dict.fromkeys(("ssh-auto-add", "ssh-warning"), "verification of the SSH server's host key")


def tls_disabled(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    for fact in model.tls:
        if fact.kind in _SWITCHED_OFF:
            off = (
                "host-name checking of the certificate"
                if fact.kind in _HOST_NAME_ONLY
                else _OFF.get(fact.kind, "certificate verification")
            )
            yield Hit(
                location=fact.location,
                args={"api": fact.api, "what": _SWITCHED_OFF[fact.kind], "off": off},
                anchor=fact.anchor,
                scope=fact.scope,
            )
