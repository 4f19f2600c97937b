"""Is a name credential-like, and is a value a real literal? Shared by the secrets rules.

Names are split into words (``DB_PASSWORD``, ``dbPassword``, ``db-password`` and
``db.password`` all give ``db password``). A name is credential-like when it contains a
credential term (``password``, ``token``, ``api key``...) and no word *after* the last term
says the value is about the credential rather than the credential itself
(``TOKEN_TTL_SECONDS``, ``PASSWORD_MIN_LENGTH``, ``SECRET_NAME``, ``API_KEY_HEADER``,
``PASSWORD_FILE``, ``ACCESS_KEY_ID``).

Values that cannot be a credential are not reported: empty or blank strings, booleans,
``none``/``null``/``TODO``-style non-values, references resolved elsewhere (``$(OTHER_VAR)``
Kubernetes expansion, ``${VAR}`` envsubst, ``{{ .Values.x }}`` templates, ``<your-token>``), the
name of a secret kept in a secret manager (``projects/p/secrets/s/versions/latest``, an AWS
Secrets Manager or SSM parameter ARN, a Key Vault secret URI or ``@Microsoft.KeyVault(...)``)
and redaction marks (``****``, ``xxxx``).
Words such as ``changeme`` or ``password`` ARE reported: a committed default credential is
what gets deployed, and it is the first one an attacker tries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SINGLE_TERMS = frozenset(
    {
        "password",
        "passwd",
        "passwords",
        "pwd",
        "pass",
        "passphrase",
        "secret",
        "secrets",
        "token",
        "tokens",
        "apikey",
        "accesskey",
        "secretkey",
        "privatekey",
        "credential",
        "credentials",
        "creds",
        "authtoken",
        "clientsecret",
        "sastoken",
    }
)
# Long terms also count at the end of a word written without separators (PGPASSWORD,
# MYSQLPASSWORD, githubtoken); short ones ("pass", "pwd") do not (bypass, compass).
SUFFIX_TERMS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "accesskey",
    "secretkey",
    "privatekey",
    "credential",
    "credentials",
)
# Two-word terms: ("api", "key") matches API_KEY, apiKey and api-key.
PAIR_TERMS = frozenset(
    {
        ("api", "key"),
        ("access", "key"),
        ("private", "key"),
        ("signing", "key"),
        ("encryption", "key"),
        ("hmac", "key"),
        ("master", "key"),
        ("ssh", "key"),
        ("account", "key"),
        ("auth", "key"),
    }
)
# A word after the credential term that makes the name describe the credential, not hold it.
DESCRIBING_WORDS = frozenset(
    {
        "name",
        "names",
        "file",
        "files",
        "path",
        "dir",
        "directory",
        "mount",
        "ref",
        "env",  # token_env: FEED_API_TOKEN names the variable that holds it
        "var",
        "variable",
        "ttl",
        "seconds",
        "secs",
        "sec",
        "minutes",
        "mins",
        "hours",
        "days",
        "ms",
        "timeout",
        "expiry",
        "expiration",
        "expires",
        "lifetime",
        "age",
        "length",
        "len",
        "min",
        "max",
        "size",
        "count",
        "limit",
        "policy",
        "rotation",
        "interval",
        "url",
        "uri",
        "endpoint",
        "host",
        "port",
        "header",
        "type",
        "format",
        "algorithm",
        "alg",
        "enabled",
        "enable",
        "disabled",
        "required",
        "mode",
        "version",
        "id",
        "ids",
        "issuer",
        "audience",
        "scope",
        "scopes",
        "field",
        "location",
        "provider",
        "store",
        "source",
        "arn",  # API_TOKEN_ARN: where the token is kept
        # settings about the credential, or a service that keeps them (probe12 k14)
        "rounds",
        "iterations",
        "cost",
        "manager",
        "project",
        "reset",
        "template",
        "complexity",
        "strength",
    }
)
_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n"})
_NOTHING = frozenset({"none", "null", "nil", "undefined", "n/a", "tbd", "todo"})
_REFERENCE = re.compile(
    r"""\$\([A-Za-z_][A-Za-z0-9_]*\)      # Kubernetes dependent variable $(VAR)
      | \$\{[^}]*\}                        # envsubst / shell ${VAR}
      | \{\{.*\}\}                         # Helm / Go / Jinja template
      | <[^<>]*>                           # <your-token>
      | \{[A-Za-z_][A-Za-z0-9_.]*\}          # a format string's {key}
      | YOUR_[A-Z0-9_]*(?:KEY|PASSWORD|PASS|TOKEN|SECRET|VALUE|HERE)  # YOUR_STORAGE_KEY
      | your[-_][a-z0-9_-]*(?:key|password|pass|token|secret|value|here)  # your-password
    """,
    re.VERBOSE,
)

# The whole value names a secret in a secret manager; the program fetches it at run time.
_SECRET_MANAGER_NAME = re.compile(
    r"""projects/[^/\s]+/(?:locations/[^/\s]+/)?secrets/[^/\s]+(?:/versions/[^/\s]+)?
      | arn:aws[a-z-]*:secretsmanager:[a-z0-9-]*:\d*:secret:[^\s]+
      | arn:aws[a-z-]*:ssm:[a-z0-9-]*:\d*:parameter/[^\s]+
      | https://[a-z0-9-]+\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net)
        /secrets/[a-z0-9-]+(?:/[0-9a-f]*)?/?
      | @Microsoft\.KeyVault\([^()]*\)
    """,
    re.VERBOSE | re.IGNORECASE,
)

_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")  # dbPassword -> db Password
# HTTPServer -> HTTP Server. A lookahead, not ``([A-Z]+)([A-Z][a-z])``, which backtracked
# quadratically on a long upper-case name.
_ACRONYM_END = re.compile(r"([A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]+")


def words(name: str) -> list[str]:
    """``dbPassword`` / ``DB_PASSWORD`` / ``db-password.file`` -> lower-case words."""
    spaced = _LOWER_UPPER.sub(r"\1 \2", name)
    spaced = _ACRONYM_END.sub(r"\1 ", spaced)
    return [w for w in _NOT_WORD.split(spaced.lower()) if w]


def credential_term_end(parts: list[str]) -> int:
    """Index just after the last credential term in ``parts`` (0 when there is none)."""
    end = 0
    for i, word in enumerate(parts):
        if word in SINGLE_TERMS or word.endswith(SUFFIX_TERMS):
            end = i + 1
        elif i + 1 < len(parts) and (word, parts[i + 1]) in PAIR_TERMS:
            end = i + 2
    return end


def is_credential_name(name: str, extra_describing: Iterable[str] = ()) -> bool:
    parts = words(name)
    end = credential_term_end(parts)
    if not end:
        return False
    describing = DESCRIBING_WORDS | set(extra_describing)
    return not any(word in describing for word in parts[end:])


def is_real_literal(value: str | None) -> bool:
    """False for values that cannot be a credential (empty, boolean, reference, placeholder,
    redaction)."""
    if value is None:
        return False
    text = value.strip().strip("`'\"")  # quoted in prose: `AccountKey=<key>`
    if not text or text.lower() in _BOOLEANS or text.lower() in _NOTHING:
        return False
    if _REFERENCE.fullmatch(text) or _SECRET_MANAGER_NAME.fullmatch(text):
        return False
    return not (len(set(text)) == 1 and text[0] in "*xX#.-_?")
