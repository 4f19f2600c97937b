"""Connection settings that turn TLS or its verification off (DH241 in a Kubernetes
workload's strings, DH212 in a Terraform function's or container's environment), and the
``key = value`` lines of a configuration text they are read from. Plain text only: the
Terraform detector imports it without the Kubernetes model."""

from __future__ import annotations

import re
from collections.abc import Iterator

# A comment after a value; the match starts only where a run of blanks does (linear scan).
_COMMENT = re.compile(r"(?<![ \t])[ \t]+#")
_SETTING = re.compile(
    r"""^[ \t]*(?:export[ \t]+)?["']?(?P<key>[A-Za-z_][\w.\-]*)["']?[ \t]*[:=][ \t]*
        (?P<value>.*?)[ \t]*,?[ \t]*$""",
    re.VERBOSE | re.MULTILINE,
)


_COMMENT_MARKERS = ("#", "//", ";", "<!--", "*", "--")


def in_comment(text: str, offset: int) -> bool:
    """Whether ``offset`` lies on a comment line of a multi-line text (a documentation link in
    a configuration file is not an endpoint the workload uses)."""
    if "\n" not in text:
        return False
    line_start = text.rfind("\n", 0, offset) + 1
    return text[line_start:offset].lstrip().startswith(_COMMENT_MARKERS)


def embedded_settings(text: str) -> Iterator[tuple[str, str, int, int]]:
    """``(key, value, start, end)`` of each ``key = value`` line of a multi-line text.

    The value is unquoted and stripped of a trailing comment; ``start``/``end`` are its offsets
    in ``text``. Single-line texts have no embedded settings.
    """
    if "\n" not in text.strip():
        return
    for match in _SETTING.finditer(text):
        value, start = match["value"], match.start("value")
        comment = _COMMENT.search(value)
        if comment:
            value = value[: comment.start()]
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value, start = value[1:-1], start + 1
        if value:
            yield match["key"], value, start, start + len(value)


# A namespaced setting whose namespace negates its name (DISABLE_SSL=false keeps TLS on), or
# makes it about something else: redirecting HTTP to HTTPS (FORCE_SSL, ASSUME_SSL), or mail and
# directory protocols, which turn implicit TLS off to use STARTTLS (EMAIL_USE_SSL=False beside
# EMAIL_USE_TLS=True).
_NEGATED = re.compile(
    r"(?:^|_)(?:DISABLE|DISABLED|NO|SKIP|INSECURE|ALLOW|IGNORE|FORCE|ASSUME|REDIRECT|"
    r"EMAIL|MAIL|SMTP|IMAP|POP3?|LDAP)(?:_|$)"
)
# The pod's own listener (Spring's server.ssl.enabled, management.server.ssl.enabled): TLS is
# usually ended at the ingress or the mesh in front of it, which DH242 judges; not a connection
# this pod makes.
_OWN_LISTENER = re.compile(r"(?:MANAGEMENT_)?SERVER")
_LISTENER_SWITCHES = frozenset({"SSL", "TLS", "SSL_ENABLED", "TLS_ENABLED"})
# STARTTLS switched on in the same text or object: implicit TLS off is then not TLS off.
_STARTTLS = re.compile(
    r"(?i)(?:start_?tls|use_tls|enable_starttls\w*)\W{0,3}\s*[=:]\s*[\"']?(?:true|yes|1|on)\b"
)


# Django's and Flask-Mail's STARTTLS switch (EMAIL_USE_TLS, MAIL_USE_TLS): off, the mail goes
# in clear unless implicit TLS is on beside it (EMAIL_USE_SSL=True) or the mail server is this
# host (EMAIL_HOST=localhost: a relay in the pod), as DH260 judges Django's settings in Python.
_MAIL_STARTTLS = ("EMAIL_USE_TLS", "MAIL_USE_TLS")  # also namespaced: APP_EMAIL_USE_TLS
_MAIL_SECURED = re.compile(
    r"(?im)e?mail_use_ssl\W{0,3}\s*[=:]\s*[\"']?(?:true|yes|1|on)\b"
    r"|(?:e?mail_host|mail_server)\W{0,3}\s*[=:]\s*[\"']?(?:localhost|127(?:\.\d+){3}|::1)[\"']?\s*$"
)


def mail_secured(text: str) -> bool:
    """Implicit TLS on for mail (``EMAIL_USE_SSL=True``), or a mail server on this host:
    STARTTLS off beside it is not TLS off (``setting_values``' ``mail_secured``)."""
    return _MAIL_SECURED.search(text) is not None


def mail_switch(key: str, text: str) -> bool:
    """Whether a setting or a text may hold a mail STARTTLS switch (a substring test: only the
    objects that do are searched with ``mail_secured``)."""
    return "USE_TLS" in key or "use_tls" in key or "USE_TLS" in text or "use_tls" in text


def setting_values(
    settings: dict[str, re.Pattern],
    key: str,
    with_starttls: bool = False,
    secured_mail: bool = False,
) -> re.Pattern | None:
    """The bad values of a setting named ``key``, or of the setting it ends with: names are
    compared with dots and dashes as underscores, in upper case, so ``redis.ssl``, ``USE_SSL``
    and ``spring.kafka.properties.security.protocol`` are the policy's ``SSL`` and
    ``SECURITY_PROTOCOL``. With STARTTLS on beside it, implicit SSL off is not TLS off; mail's
    STARTTLS off (``EMAIL_USE_TLS``) is TLS's unless ``secured_mail`` (``mail_secured``)."""
    name = re.sub(r"[.\-]", "_", key).upper()
    if with_starttls and re.search(r"SSL(?:_ENABLED)?$", name):
        return None
    if name.endswith("MAIL_USE_TLS") and (
        name in _MAIL_STARTTLS or name.endswith(("_EMAIL_USE_TLS", "_MAIL_USE_TLS"))
    ):
        return None if secured_mail else settings.get("TLS")
    rx = settings.get(name)
    if rx is not None:
        return rx
    parts = name.split("_")
    for i in range(1, len(parts)):
        rx = settings.get("_".join(parts[i:]))
        if rx is not None:
            namespace, setting = "_".join(parts[:i]), "_".join(parts[i:])
            if _NEGATED.search(namespace):
                return None
            if _OWN_LISTENER.fullmatch(namespace) and setting in _LISTENER_SWITCHES:
                return None  # server.ssl.enabled; not server.ssl.verify (a client's check)
            return rx
    return None


def tls_params(params: dict) -> tuple[list[re.Pattern], dict[str, re.Pattern]]:
    """A rule's ``patterns`` and ``settings`` (DH241's; DH212 reads a Terraform workload's
    environment with the same), compiled; once per rule (its params, the catalogue's), not
    once per model (30 look-ups of the ``re`` module's cache each, for every model)."""
    entry = _COMPILED.get(id(params))
    if entry is None or entry[0] is not params:
        patterns = [re.compile(p) for p in params.get("patterns", ())]
        settings = {
            name.upper(): re.compile(rx, re.IGNORECASE)
            for name, rx in (params.get("settings") or {}).items()
        }
        entry = _COMPILED[id(params)] = (params, (patterns, settings))
    return entry[1]


_COMPILED: dict[int, tuple[dict, tuple[list[re.Pattern], dict[str, re.Pattern]]]] = {}


def has_starttls(text: str) -> bool:
    """STARTTLS switched on (``EMAIL_USE_TLS=True``): implicit SSL off beside it is not TLS
    off (``tls_off``'s ``with_starttls``)."""
    return _STARTTLS.search(text) is not None


def tls_off(
    key: str,
    text: str,
    settings: dict[str, re.Pattern],
    patterns: list[re.Pattern],
    with_starttls: bool = False,
    rx: re.Pattern | None = None,
    secured_mail: bool = False,
) -> list[tuple[int, int, str]]:
    """``(start, end, setting)`` of each place in ``text`` (the value of the setting ``key``, or
    "") that turns TLS or its verification off: the whole value, when ``rx`` (the setting's
    bad values: ``setting_values``) matches it, a ``key=value`` inside it, a pattern; the first
    of overlapping places only."""
    found: list[tuple[int, int, str]] = []
    if rx is not None and rx.fullmatch(text.strip()):
        found.append((0, len(text), f"{key}={text.strip()}"))
    for name, literal, start, end in embedded_settings(text):
        bad = setting_values(settings, name, with_starttls, secured_mail)
        if bad is not None and bad.fullmatch(literal):
            found.append((start, end, f"{name}={literal}"))
    for pattern in patterns:
        for match in pattern.finditer(text):
            if in_comment(text, match.start()):
                continue
            found.append((match.start(), match.end(), match.group()))
    out: list[tuple[int, int, str]] = []
    for start, end, setting in sorted(found):
        if any(s <= start < e for s, e, _ in out):
            continue
        out.append((start, end, setting))
    return out
