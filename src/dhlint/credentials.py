"""Is a name credential-like, is a value a real literal, which credentials does a connection
string embed? Shared by the secrets rules of every language (DH740-DH744, DH760).

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
redaction marks (``****``, ``xxxx``) and AWS's documentation example keys
(``AKIAIOSFODNN7EXAMPLE``, ``...EXAMPLEKEY``).
Words such as ``changeme`` or ``password`` ARE reported: a committed default credential is
what gets deployed, and it is the first one an attacker tries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from dhlint.detectors.kubernetes._hosts import Url, find_urls
from dhlint.textscan import starts_by

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
        # an Azure Cosmos DB account's primary key, as Microsoft's quickstarts name it
        # (COSMOS_KEY beside COSMOS_ENDPOINT): it reads and writes every container
        ("cosmos", "key"),
    }
)
# A word after the credential term that makes the name describe the credential, not hold it.
DESCRIBING_WORDS = frozenset(
    {
        "name",
        "names",
        "tag",  # secrets_tag: the tag that marks the secrets, a label
        "tags",
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
        "method",  # PASSWORD_HASH_METHOD = "scrypt": how it is hashed
        "methods",
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
        # the text a credential starts or ends with, or matches (probe37 03, 05)
        "prefix",
        "prefixes",
        "suffix",
        "pattern",
        "patterns",
        "regex",
        "regexp",
        "re",
    }
)
_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n"})
_NOTHING = frozenset({"none", "null", "nil", "undefined", "n/a", "tbd", "todo"})
# Words a secret is replaced with before a record is logged or kept (Home Assistant's Meraki
# receiver: data["secret"] = "hidden"): a redaction, as "****" is.
_REDACTED = frozenset({"hidden", "redacted", "masked", "censored", "removed", "omitted"})
# Anchored at the start (\A): it is only ever fullmatched, and searched from every "${" of a
# run of them, "${[^}]*}" rescanned the rest each time (quadratic).
_REFERENCE = re.compile(
    r"""\A(?:
        \$\([A-Za-z_][A-Za-z0-9_]*\)      # Kubernetes dependent variable $(VAR)
      | \$\{[^}]*\}                        # envsubst / shell ${VAR}
      | \{\{.*\}\}                         # Helm / Go / Jinja template
      | <[^<>]*>                           # <your-token>
      | \{[A-Za-z_][A-Za-z0-9_.]*\}          # a format string's {key}
      | YOUR_[A-Z0-9_]*(?:KEY|PASSWORD|PASS|TOKEN|SECRET|VALUE|HERE)  # YOUR_STORAGE_KEY
      | your[-_][a-z0-9_-]*(?:key|password|pass|token|secret|value|here)  # your-password
      | \#/\S*                             # a JSON pointer: "#/definitions/ApiKeyAuth"
    )""",
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


# Six of a masking character in a row (see ``is_real_literal``).
_MASKED = re.compile(r"([xX*#?])\1{5}")


def is_real_literal(value: str | None) -> bool:
    """False for values that cannot be a credential (empty, boolean, reference, placeholder,
    redaction)."""
    if value is None:
        return False
    text = value.strip().strip("`'\"")  # quoted in prose: `AccountKey=<key>`
    lower = text.lower()
    if not text or lower in _BOOLEANS or lower in _NOTHING or lower in _REDACTED:
        return False
    if _REFERENCE.fullmatch(text) or _SECRET_MANAGER_NAME.fullmatch(text):
        return False
    if text.endswith("EXAMPLE") or text.endswith("EXAMPLEKEY"):
        return not _AWS_EXAMPLE.fullmatch(text)
    if len(set(text)) == 1 and text[0] in "*xX#.-_?":
        return False
    # a documented example with its secret masked: "T00000000?token=XXXXXXXXXXXX", "sk-****"
    return _MASKED.search(text) is None


# Vendors' secret keys in their published formats, each whole and of its exact length: what
# the value is, whatever it is named (PAYPROC_KEY = "sk_live_..."). Test keys (sk_test_) are
# left out, and so are formats without a prefix of their own.
KNOWN_SECRETS = (
    ("a Stripe live secret key", re.compile(r"[sr]k_live_[0-9A-Za-z]{20,247}")),
    ("a SendGrid API key", re.compile(r"SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}")),
    ("a Twilio API key", re.compile(r"SK[0-9a-f]{32}")),
    ("a Slack token", re.compile(r"xox[bpas]-[0-9]{6,}-[0-9A-Za-z-]{8,200}")),
    ("a GitHub token", re.compile(r"gh[pousr]_[0-9A-Za-z]{36}|github_pat_[0-9A-Za-z_]{82}")),
    ("an AWS access key", re.compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}")),
    ("a Google API key", re.compile(r"AIza[0-9A-Za-z_-]{35}")),
    # a signed JSON Web Token: a bearer token (an MDS feed's, a service's API key), whatever
    # holds it; its header and claims are JSON ('{"' is "eyJ" in base64url, "ey" with a space)
    (
        "a JSON Web Token",
        re.compile(r"eyJ[0-9A-Za-z_-]{10,}\.ey[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{16,}"),
    ),
)
# What one of them starts with (a gate: the formats are then matched whole). A str.find per
# literal, and one pattern each for the prefixes that share letters (a pass each over a file:
# one pattern of them all was slower than these); "SK" is Twilio's, with its 32 hex digits.
KNOWN_SECRET_PREFIXES = ("k_live_", "SG.", "xox", "eyJ")
_SHARED_PREFIXES = (re.compile(r"gh[pousr]_|github_pat_"), re.compile(r"A(?:KIA|SIA|Iza)"))
_TWILIO_REST = re.compile(r"[0-9a-f]{32}")
# Prefixes found at each of their rarest character in code, a capital (J, K and G are one
# character in 2,000 to 12,000 of bench/corpus/python), which ``str.find`` finds by
# ``memchr``: a find loop of a longer string is a pass over the whole text, ten times slower
# (``textscan.starts_by``).
_BY_CAPITAL = {"eyJ": 2, "SG.": 1}  # prefix -> the capital's index


def known_secret_starts(text: str) -> list[int]:
    """Offsets in ``text`` where a vendor's key may start (``KNOWN_SECRETS``)."""
    found = []
    for prefix in KNOWN_SECRET_PREFIXES:
        if prefix in _BY_CAPITAL:
            found += starts_by(text, prefix, _BY_CAPITAL[prefix])
            continue
        at = text.find(prefix)
        while at >= 0:
            found.append(at)
            at = text.find(prefix, at + 1)
    for pattern in _SHARED_PREFIXES:
        found.extend(m.start() for m in pattern.finditer(text))
    found += (at for at in starts_by(text, "SK", 1) if _TWILIO_REST.match(text, at + 2))
    return found


# The first two characters of each of ``KNOWN_SECRETS`` (sk_live_, rk_live_, SG., SK, xox,
# ghp_..., github_pat_, AKIA, ASIA, AIza, eyJ): a slice and a set lookup let through only
# strings that may be one, before any pattern is tried (Terraform and manifest values are many).
KNOWN_SECRET_STARTS = frozenset({"sk", "rk", "SG", "SK", "xo", "gh", "gi", "AK", "AS", "AI", "ey"})
# The example token of jwt.io and of most JWT documentation (HS256, "John Doe"): a published
# placeholder, as AWS's EXAMPLE keys are.
_JWT_EXAMPLE_SIGNATURE = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"


def known_secret(text: str) -> str | None:
    """What ``text`` is when it is wholly a vendor's secret key in its published format
    (shared by DH760 in Python, DH701/DH702 in Terraform and DH740/DH742 in manifests)."""
    if len(text) < 20 or text[:2] not in KNOWN_SECRET_STARTS:
        return None
    # no key format is longer than 260 characters, but a token's claims may be
    if len(text) > 260 and (text[:3] != "eyJ" or len(text) > 8192):
        return None
    if text.endswith(_JWT_EXAMPLE_SIGNATURE):
        return None
    for what, pattern in KNOWN_SECRETS:
        if pattern.fullmatch(text):
            return what if is_real_literal(text) else None
    return None


# AWS's documentation example keys (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/...EXAMPLEKEY):
# published placeholders, the same in every document and mock.
_AWS_EXAMPLE = re.compile(r"\A[A-Za-z0-9/+]{4,}EXAMPLE(?:KEY)?")


_ADO_PASSWORD = re.compile(r"(?i)(?:^|;)\s*(?:password|pwd)\s*=\s*(?P<value>[^;]+)")
# A password in a URL's query: jdbc:postgresql://db/x?user=u&password=p, mysql://h/x?pwd=p
_URL_REST = re.compile(r"[^\s\"'<>]*")
_QUERY_PASSWORD = re.compile(r"(?i)[?&](?:password|passwd|pwd)=(?P<value>[^&#\s\"'<>]+)")


def literal_value(value: str) -> bool:
    """A real literal that is not an option or a shell expansion (``$VAR``, ``-x``): the test
    of a value read out of a command line or a connection string."""
    return is_real_literal(value) and not value.startswith(("$", "-"))


def embedded_credentials(text: str) -> list[tuple[int, int, str, str]]:
    """The credentials a string embeds, as (start, end, host, what) with offsets in ``text``:
    ``scheme://user:password@host``, a URL query's ``password=``, an ADO/ODBC
    ``...;Password=x;``, a libpq keyword/value string's ``password=x``, an Azure connection
    string's ``AccountKey=x``/``SharedAccessKey=x``/``SharedAccessSignature=x`` and a JAAS
    login module's ``password="x"`` (DH743, DH760)."""
    found: list[tuple[int, int, str, str]] = []  # start, end, host, what it embeds
    for url in find_urls(text):
        if _port_named(text, url):
            continue  # "{driver}://username:password@host:port/db": the form, written out
        if url.password and literal_value(url.password):
            start = url.password_start
            found.append((start, start + len(url.password), url.host, "a password"))
        rest = _URL_REST.match(text, url.end)  # the path and query after the host
        for match in _QUERY_PASSWORD.finditer(text, url.host_end, rest.end()):
            literal = unquote(match["value"])
            if literal_value(literal):
                found.append((match.start("value"), match.end("value"), url.host, "a password"))
    if ";" in text:
        for match in _ADO_PASSWORD.finditer(text):
            literal = match["value"].strip()
            if literal_value(literal):
                start = match.start("value")
                found.append((start, start + len(literal), _ado_host(text), "a password"))
        for match in _AZURE_KEY.finditer(text):
            literal = match["value"].strip()
            if literal_value(literal) and literal != _AZURITE_KEY:
                start = match.start("value")
                what = _AZURE_KEY_KINDS[match["name"].lower()]
                found.append((start, start + len(literal), _azure_host(text), what))
    if "=" in text and ";" not in text and ("assword" in text or "ASSWORD" in text):
        found += _libpq_password(text)
    if "LoginModule" in text:  # Kafka's sasl.jaas.config: ... password="..."
        for match in _JAAS_PASSWORD.finditer(text):
            if literal_value(match["value"]):
                host = _jaas_host(text)
                found.append((match.start("value"), match.end("value"), host, "a password"))
    return found


def _port_named(text: str, url: Url) -> bool:
    """The URL's host is followed by a port named in words (``host:port``, ``db:PORT``): no
    address has one, so the URL is a pattern that tells what goes where."""
    return text[url.end : url.end + 1] == ":" and text[url.end + 1 : url.end + 2].isalpha()


# A libpq keyword/value connection string: "host=db dbname=trips user=etl password=x", each
# value a word or a single-quoted string, on one line (lines of key=value are a properties
# file, DH742's). Read pair by pair (a match at each position, no search), so a text that is
# not wholly such pairs (prose, a command line) costs one pass. Blanks are skipped outside the
# pattern and a key starts after a non-letter: searched in a long run of letters or blanks (as
# test_linear_patterns does), each start fails at once.
_LIBPQ_PAIR = re.compile(r"(?<![A-Za-z_])([A-Za-z_]+)[ \t]*=[ \t]*('(?:[^'\\]|\\.)*'|[^\s']*)")
_LIBPQ_KEYS = frozenset({"host", "hostaddr", "dbname", "user", "port", "service"})


def _libpq_password(text: str) -> list[tuple[int, int, str, str]]:
    """The password of a libpq keyword/value connection string (psycopg2.connect's dsn), when
    the whole text is such pairs and names a host, database or user besides the password."""
    pairs: dict[str, tuple[int, int]] = {}
    at, end = 0, len(text.rstrip())
    while at < end:
        while text[at] in " \t":
            at += 1
        match = _LIBPQ_PAIR.match(text, at)
        if match is None or match.end() == at:
            return []
        pairs[match[1].lower()] = match.span(2)
        at = match.end()
    if "password" not in pairs or not _LIBPQ_KEYS.intersection(pairs):
        return []
    start, stop = pairs["password"]
    if text[start : start + 1] == "'":
        start, stop = start + 1, stop - 1
    literal = text[start:stop].replace("\\'", "'").replace("\\\\", "\\")
    if not literal_value(literal):
        return []
    where = pairs.get("host") or pairs.get("hostaddr") or pairs.get("service")
    host = text[where[0] : where[1]].strip("'") if where else "?"
    return [(start, stop, host or "?", "a password")]


# A JAAS login module's options (Kafka clients' sasl.jaas.config): ... required username="x"
# password="y";
_JAAS_PASSWORD = re.compile(r'(?i)LoginModule\b[^;]*?\bpassword\s*=\s*"(?P<value>[^"]*)"')


def _jaas_host(text: str) -> str:
    """The brokers the JAAS options log in to: the text's ``bootstrap.servers``, if any."""
    match = re.search(r"(?i)bootstrap[._-]servers\s*[=:]\s*([^\s,;]+)", text)
    return match.group(1).strip() if match else "the Kafka brokers"


# Blanks after a line start or ``;`` do not run over a line end (``^`` matches after it): with
# ``\s*`` a run of blank lines was scanned again from each of its line starts (quadratic).
# An Azure connection string's key: a storage account's AccountKey, a Service Bus or Event Hubs
# SharedAccessKey (not SharedAccessKeyName, the key's name), a SharedAccessSignature token.
_AZURE_KEY = re.compile(
    r"(?im)(?:^|;)[^\S\n]*(?P<name>accountkey|sharedaccesskey|sharedaccesssignature)\s*=\s*"
    r"(?P<value>[^;\s]+)"
)
_AZURE_KEY_KINDS = {
    "accountkey": "an account key",
    "sharedaccesskey": "a shared access key",
    "sharedaccesssignature": "a shared access signature",
}
# The storage emulator's (Azurite's) key, the same published value everywhere: no secret.
_AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)


def _azure_host(text: str) -> str:
    """What an Azure connection string connects to: its ``Endpoint`` (Service Bus, Event Hubs)
    or ``BlobEndpoint``..., else its storage account's name."""
    match = re.search(r"(?i)\b[a-z]*endpoint\s*=\s*(?:[a-z]+://)?([^;/\s]+)", text)
    if match:
        return match.group(1).strip()
    match = re.search(r"(?i)\baccountname\s*=\s*([^;\s]+)", text)
    return match.group(1).strip() if match else "?"


def _ado_host(text: str) -> str:
    match = re.search(r"(?i)(?:^|;)\s*(?:server|host|data source|address)\s*=\s*([^;,]+)", text)
    return match.group(1).strip() if match else "?"
