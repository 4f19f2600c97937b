"""Python frontend, first half: the pre-filter, on the text and the stdlib ``ast`` tree.

Two steps, so that most files of a code base stay cheap (issue 7):

1. ``needs_analysis(text)``: a regular-expression pre-filter on the raw text. A file that imports
   no data, network, storage or logging library, holds no URL and prints nothing identifier-like
   cannot produce a data-flow finding, so it is never analysed (literal credentials, DH760,
   are looked for in every file: ``models.python_credentials``). A file it lets through
   (up to 60,000 characters) is checked again on its stdlib ``ast`` tree: an identifier-like
   name must be able to reach a sink or a hash (a name-based, flow-insensitive closure).
2. ``parsed(text)``: for the files it lets through, the same ``ast`` tree (not parsed again),
   which the data-flow analysis runs on (``models.python_dataflow``).

This module does not import libcst (``python_cst`` is the only one that knows it): a run never
pays libcst's import, about a tenth of a second, unless a file does not parse with the stdlib
(``check_syntax`` and ``parsed`` then ask libcst whether it is broken).

Every stage over-approximates the analysis: a file or function it drops cannot give a finding.
``tests/python/filter_cases.py`` holds the shapes a differential probe once caught it losing.
The scanned code is never imported, executed or evaluated.
"""

from __future__ import annotations

import ast
import itertools
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet

from dhlint.frontends.python_fragments import BUILDS, builds_identifier, joins_identifier
from dhlint.textscan import holds_by, word_start_matches
from dhlint.types import FrontendError

# What can produce a finding without any personal data in sight: URL strings (a string that
# starts with scheme://, or an Azure connection string's endpoint),
# certificate checks switched off, and clients that take a bare host name (or, Twilio's SDK,
# reach a fixed vendor host).
_TRANSPORT_CLIENTS = (
    "smtplib", "ftplib", "paramiko", "pysftp", "telnetlib", "kafka", "confluent_kafka", "aiokafka",
    "paho", "twilio", "redis", "aiosmtplib", "elasticsearch", "opensearchpy", "influxdb_client",
    "influxdb", "pymongo", "motor", "pika", "slack_sdk", "sendgrid", "minio",
    "simple_salesforce", "mailchimp_marketing", "mailchimp3", "stripe", "sodapy", "ckanapi",
    "arcgis", "mandrill",
)  # fmt: skip
# A URL in a string, or a piece the analysis can build one from: "http://x", "ht" "tp://x",
# "http" + "://" + host, f"{scheme}://{host}", "%s://%s", "http:" + "//x", "http:/" + "/x" (not
# a URL in a comment: there the scheme follows a space); in a module that edits texts, any "//"
# (``_has_edit``). A "//" split into two pieces of one "/" each is not looked for.
# (Read at each "//", backwards: see ``_has_url_piece``.)
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
# ... or a colon or slash written as an escape: "http:\x2f\x2fhost".
_ESCAPED_URL = re.compile(
    r"\\(?:x3[aA]|x2[fF]|u003[aA]|u002[fF]|U0000003[aA]|U0000002[fF]|072|057|N\{)"
)
_SSLMODE_ANY_CASE = re.compile("sslmode", re.IGNORECASE)  # as the analysis reads it (ast stage)


def _names_sslmode(text: str) -> bool:
    """``_SSLMODE_ANY_CASE.search(text)``, eight times faster on docstrings: of all characters
    only the long s (ſ) matches one of its letters case-blind yet lowers to none of them."""
    return "sslmode" in text.lower() or (
        "\u017f" in text and _SSLMODE_ANY_CASE.search(text) is not None
    )


# Connection-string settings that turn TLS off or its verification (DH260, DH261), read in any
# string (a libpq DSN, an ODBC string, a SQLAlchemy URL's query) by the analysis; ODBC Driver
# 18 reads Encrypt=optional as no; libpq's sslmode=allow and prefer fall back to plain text.
DSN_TLS_OFF = re.compile(
    r"(?P<sslmode>sslmode\s*=\s*['\"]?disable)"
    r"|(?P<allow>sslmode\s*=\s*['\"]?allow\b)|(?P<prefer>sslmode\s*=\s*['\"]?prefer\b)"
    r"|(?P<encrypt>\bencrypt\s*=\s*['\"]?(?:no|false|optional)\b)"
    r"|(?P<trust>\btrustservercertificate\s*=\s*['\"]?(?:yes|true)\b)",
    re.IGNORECASE,
)


def dsn_tls_off(text: str) -> bool:
    """``DSN_TLS_OFF`` searched only in a string naming such a setting (most strings do not: the
    case-blind regex alone is ten times slower than these tests)."""
    if "=" not in text:
        return False
    lower = text.lower()
    return (
        "sslmode" in lower or "encrypt" in lower or "trustservercertificate" in lower
    ) and DSN_TLS_OFF.search(text) is not None


# ... as the filter looks for them in lowered text: the setting's name, whatever its value (an
# f-string may put it there: f"Encrypt={MODE}").
_ODBC_TLS_TEXT = re.compile(r"\bencrypt\s*=|\btrustservercertificate\s*=")
# A TLS switch set, whatever the value: the analysis follows it through variables
# (``verify=VERIFY``), keywords, attributes (``session.verify = False``) and dict keys that are
# unpacked into a call (``**{"verify": False}``, ``opts["verify"] = False``), annotated or
# not. Checked at a word start.
_TLS_SWITCHES = (  # each led by its literal, which the regex engine scans for fast
    ("verify", re.compile(r"verify(?:_ssl|_certs)?(?:[\"']\]?)?[\s\\]*(?::|=(?!=))")),
    ("check_hostname", re.compile(r"check_hostname(?:[\"']\]?)?[\s\\]*(?::|=(?!=))")),
    ("ssl", re.compile(r"ssl(?:[\s\\]*=(?!=)|[\"'][\s\\]*:)")),
)
# ``from m``, or ``import m`` anywhere in an import list (``import os, hashlib as h``).
_IMPORTS = r"(?:from[\s\\]+|import[\s\\]+(?:[\w.]+(?:[\s\\]+as[\s\\]+\w+)?[\s\\]*,[\s\\]*)*)"
_CLIENT_IMPORT = re.compile(rf"{_IMPORTS}(?:{'|'.join(_TRANSPORT_CLIENTS)})\b")
# Everything else is about identifiers reaching a sink: it needs a data, storage, network or
# logging API (imported, or called on an object the analysis recognises by name) ...
_MODULES = (
    "pandas|pyspark|polars|csv|json|requests|httpx|urllib|urllib3|aiohttp|http|boto3|botocore|"
    "google|azure|kafka|confluent_kafka|aiokafka|sqlite3|psycopg2|psycopg|pymysql|mysql|"
    "sqlalchemy|pyodbc|cx_Oracle|oracledb|hashlib|hmac|logging|loguru|structlog|airflow|dask|"
    "duckdb|pyarrow|openpyxl|xlsxwriter|orjson|ujson|simplejson|yaml|pickle|smtplib|ftplib|"
    "paramiko|pysftp|niquests|asyncpg|pg8000|snowflake|paho|awswrangler|apache_beam|builtins|"
    "twilio|websockets|websocket|redis|awsglue|warnings|aiosmtplib|elasticsearch|opensearchpy|"
    "influxdb_client|influxdb|pymongo|motor|pika|slack_sdk|sendgrid|ocpp|minio|"
    "simple_salesforce|firebase_admin|fhir|fhirclient|mailchimp_marketing|mailchimp3|stripe|"
    "geopandas|sodapy|ckanapi|arcgis|mandrill"
)
_DATA_IMPORT = re.compile(rf"{_IMPORTS}(?:{_MODULES})\b")
# FHIR resources (``python_libs.fhir``): a Patient's elements (telecom, identifier) are named by
# the library, not in the file, so no identifier-like word need be written.
_FHIR_IMPORT = re.compile(rf"{_IMPORTS}(?:fhir|fhirclient)\b")
# Django's mail (``django.core.mail``, or ``mail`` from ``django.core``): a network sink.
_DJANGO_MAIL_IMPORT = re.compile(
    rf"{_IMPORTS}django\.core(?:\.mail\b|[\s\\]+import\b[^\n;]*\bmail\b)"
)
# Between a receiver and its method Python allows spaces, a line break in brackets or after a
# backslash, and comments: ``(log  # audit\n .info)(row)``.
_GAP = r"(?:[\s\\]|#[^\n]*(?:\n|\Z))*"
_GAP_RX = re.compile(_GAP)
# A pattern ``\.{_GAP}TAIL`` is searched as ``\.[\s\\]*(?:(#)|TAIL)`` (``_dot``) and, where a
# comment follows the dot, TAIL is matched where the gap ends (``_through_comments``): searched
# whole, a line of ".#.#" was read to its end again from each of its dots (seconds on 20,000
# characters).


def _dot(tail: str) -> re.Pattern:
    return re.compile(rf"\.[\s\\]*(?:(#)|{tail})")


def _gap_end(text: str, at: int, last: list[int]) -> int | None:
    """Where the gap that the comment at ``at`` starts ends, or None when ``at`` lies in the gap
    found last (``last``: its start and end), which ends where that one does. A comment in a
    gap runs to its line's end, and from there the gap goes on as before."""
    if last[0] <= at < last[1]:
        return None
    end = _GAP_RX.match(text, at).end()  # type: ignore[union-attr]
    last[0], last[1] = at, end
    return end


def _through_comments(rx: re.Pattern, tail: re.Pattern, text: str) -> bool:
    r"""Whether ``\.{_GAP}TAIL`` matches, ``rx`` being ``_dot(TAIL)`` and ``tail`` TAIL: a
    comment's gap is read once, not again from each dot before it."""
    return _any_through(rx.finditer(text), tail, text)


def _any_through(matches: Iterable[re.Match], tail: re.Pattern, text: str) -> bool:
    """Whether one of ``matches`` is whole (no comment: group 1 unset) or ``tail`` matches
    where the gap its comment starts ends."""
    last = [0, 0]
    for match in matches:
        if match.start(1) < 0:
            return True
        end = _gap_end(text, match.start(1), last)
        if end is not None and tail.match(text, end):
            return True
    return False


_DATA_METHODS_TEXT = (
    r"(?:send|produce|publish|write\w*|execute\w*|copy_expert|copy_from|upload\w*|"
    r"send_event|send_batch|send_messages|schedule_messages|"
    r"put_object|put_item|update_item|batch_write_item|transact_write_items|put_record\w*|"
    r"create_item|upsert_item|replace_item|patch_item|execute_item_batch|"
    r"load_file|load_file_obj|load_string|load_bytes|get_pandas_df|get_records|"
    r"get_first|get_df|get_polars_df|sql|query|show|getOrCreate|sink_\w+|to_(?:csv|parquet|json|"
    r"excel|feather|orc|pickle|hdf|xml|stata|markdown|html|latex|sql|gbq)|hash_rows|"
    r"hash_pandas_object|md5|sha1|sha224|sha256|sha384|sha512|sha3_(?:224|256|384|512)|"
    r"blake2[bs]|shake_(?:128|256))\b"
)
_DATA_METHOD = _dot(_DATA_METHODS_TEXT)
_DATA_METHOD_TAIL = re.compile(_DATA_METHODS_TEXT)
# Starlette's request.client (its host, or its first item) is the client's IP address, named by
# no word of the text: the pre-filter takes a read of an attribute ``client``
# (``x.client``, ``getattr(x, "client")``, as the analysis needs it written) for this word,
# the analysis's column.
CLIENT_ADDRESS = "client_address"
_CLIENT_READ = _dot(r"client\b")
_CLIENT_TAIL = re.compile(r"client\b")
_CLIENT_NAMED = re.compile(r"[\"']client[\"']")
# ... so is the address a socket's accept(), recvfrom() or getpeername() gives: the pre-filter
# takes a call of one of these methods for the same word.
PEER_METHODS = frozenset({"accept", "recvfrom", "recvfrom_into", "getpeername"})
_PEER_METHODS_TEXT = r"(?:accept|recvfrom(?:_into)?|getpeername)\b"
_PEER_CALL = _dot(_PEER_METHODS_TEXT)
_PEER_TAIL = re.compile(_PEER_METHODS_TEXT)


# Reads from object storage (``python_flow.calls._STORAGE_READS``).
_STORAGE_READS_TEXT = r"(?:download\w*|get_object|read_key)\b"
_STORAGE_READ = _dot(_STORAGE_READS_TEXT)
_STORAGE_TAIL = re.compile(_STORAGE_READS_TEXT)
# Each of these must start a word (checked on the match: see ``textscan``).
_DATA_CALLS = (
    ("print", re.compile(r"print\b")),  # called, or passed: emit = print; map(hash, rows)
    ("open", re.compile(r"open\s*\(")),
    ("hash", re.compile(r"hash\b")),
)
# ``spark{_GAP}\.`` at a word start, searched as ``_dot`` searches.
_SPARK_DOT = re.compile(r"spark[\s\\]*(?:(#)|\.)")
_DOT_RX = re.compile(r"\.")
# Receiver names the analysis takes for a logger (``python_libs.common._LOGGER_NAME``).
LOGGER_NAMES = ("log", "logger", "LOG", "LOGGER", "logging", "log_", "audit_log")
# ``NAME{_GAP}\.{_GAP}\w`` after a word start and _*, searched as ``_dot`` searches (a comment
# before the dot, or after it).
_LOG_CALL = re.compile(rf"(?:{'|'.join(LOGGER_NAMES)})[\s\\]*(?:(#)|\.[\s\\]*(?:(#)|\w))")
_LOG_CALL_DOT = re.compile(r"\.[\s\\]*(?:(#)|\w)")
_WORD_CHAR = re.compile(r"\w")
# ... or a logger the analysis still knows by one of these names, reached otherwise:
# getattr(rec, "logger").error(...), out = self._logger; out.warning(...), a logger passed
# to a helper (emit(self.log, row)), getattr(log, "info")(...): the name ending a word (after
# a word start and _*) and a log method called, or named in a string, anywhere. (A comment
# after a dot is taken for one: read through, as ``_GAP`` does, a line of ".#.#" would be
# read again from each of its dots.)
_LOGGER_WORD = re.compile(rf"(?:{'|'.join(LOGGER_NAMES)})(?!\w)")
_LOG_METHODS_TEXT = "(?:debug|info|warning|warn|error|exception|critical|fatal|log|msg)\\b"
_LOG_METHOD = re.compile(rf"\.[\s\\]*(?:#|{_LOG_METHODS_TEXT})|[\"']{_LOG_METHODS_TEXT}")


# Names of mail settings, each with the index of its capital H (``holds_by``).
_MAIL_SETTINGS = (("EMAIL_HOST", 6), ("SMTPHandler", 4))


def _has_transport(text: str) -> bool:
    """A URL, an Azure endpoint, a TLS switch or a mail/FTP/SFTP/Kafka client import.

    Each ``in`` or ``find`` loop of a word is a pass over the file (most files hold none of
    these): the TLS switches' names are looked for once, and what holds one of them only
    where one is; ``sslmode`` is looked for in any case only (``_has_dsn_setting``)."""
    switches = [word for word, _ in _TLS_SWITCHES if word in text]
    return (
        ("//" in text and (_has_url_piece(text) or _has_edit(text)))
        or _has_half_url(text)
        or ("\\" in text and _ESCAPED_URL.search(text) is not None)
        or "Endpoint=" in text
        # the Azure SDK's certificate check
        or ("verify" in switches and "connection_verify" in text)
        or any(_at_word_start(rx, text) for word, rx in _TLS_SWITCHES if word in switches)
        or _has_quoted_switch(text, switches)
        or "_create_unverified_context" in text
        or "CERT_NONE" in text
        # Django's mail settings; logging's mail handler (a host, no scheme)
        or holds_by(text, "H", _MAIL_SETTINGS)
        # (searched whole: a test of each client's name in the text first was three times
        # slower, a scan of the file per name)
        or _at_import(_CLIENT_IMPORT, text)
        or _has_dsn_setting(text)
    )


def _has_edit(text: str) -> bool:
    """A text's edit that the analysis follows (``methods._str_edit``): it can cut a URL out
    of a longer text ("url=http://x".removeprefix("url=")) or make one ("http|//x".replace("|",
    ":")), which the "//" the text holds then need not show as a URL's start."""
    return "replace" in text or "removeprefix" in text or "removesuffix" in text


def _has_dsn_setting(text: str) -> bool:
    """``sslmode``, ODBC's Encrypt= or TrustServerCertificate= in any case (the text lowered
    once, then searched: a case-blind regex over the whole file is eight times slower)."""
    lower = text.lower()
    return "sslmode" in lower or (
        ("encrypt" in lower or "trustservercertificate" in lower)
        and _ODBC_TLS_TEXT.search(lower) is not None
    )


# A TLS switch's name as a whole string, set or unpacked through a name: K = "verify";
# requests.get(u, **{K: False}).
_QUOTED_SWITCHES = ("verify", "verify_ssl", "verify_certs", "check_hostname", "ssl")


def _has_half_url(text: str) -> bool:
    """Whether ``:/["']`` matches ("http:/" + "/x"): one pass, for the two quotes."""
    at = text.find(":/")
    while at >= 0:
        if text[at + 2 : at + 3] in ("'", '"'):
            return True
        at = text.find(":/", at + 1)
    return False


def _has_quoted_switch(text: str, names: Sequence[str]) -> bool:
    """Whether ``["'](?:verify|verify_ssl|verify_certs|check_hostname|ssl)["']`` matches.
    ``names``: those of ``_TLS_SWITCHES`` the text holds (a switch holds one: the others'
    switches need no pass over the file)."""
    for word in _QUOTED_SWITCHES:
        if not word.startswith(tuple(names)):
            continue
        at = text.find(word, 1)
        while at > 0:
            end = at + len(word)
            if text[at - 1] in "\"'" and text[end : end + 1] in ('"', "'"):
                return True
            at = text.find(word, at + 1)
    return False


def _has_url_piece(text: str) -> bool:
    r"""Whether some "//" ends what ``(?:["']\s*|[}%)])[a-zA-Z0-9+.-]*://|["']//`` matches: a
    quote before it, or a colon after a scheme that follows a quote (and white space), a
    ``}``, a ``%`` or a ``)``."""
    at = text.find("//", 1)  # a match needs a character before it
    while at > 0:
        before = text[at - 1]
        if before in "\"'":
            return True
        if before == ":":
            start = at - 1
            while start and text[start - 1] in _SCHEME_CHARS:
                start -= 1
            if start and text[start - 1] in "}%)":
                return True
            while start and text[start - 1].isspace():
                start -= 1
            if start and text[start - 1] in "\"'":
                return True
        at = text.find("//", at + 1)
    return False


def _has_data_api(text: str) -> bool:
    """A data, storage, network or logging import, or a call that writes, logs or hashes.
    (Cheapest first: the imports are matched at the starts ``_has_transport`` found, and half
    the files that get here print or open a file; the methods' search costs a pass with a
    try at each dot.)"""
    return (
        _at_import(_DATA_IMPORT, text)
        or any(word in text and _at_word_start(rx, text) for word, rx in _DATA_CALLS)
        or _through_comments(_DATA_METHOD, _DATA_METHOD_TAIL, text)
        or ("django.core" in text and _at_import(_DJANGO_MAIL_IMPORT, text))
        or ("spark" in text and _spark_dot(text))
        or (("log" in text or "LOG" in text) and _has_logger(text))
    )


def _has_logger(text: str) -> bool:
    """A logger's method called, on a receiver named as a logger or reached from one."""
    return _log_call(text) or (
        _LOG_METHOD.search(text) is not None
        and _at_word_start(_LOGGER_WORD, text, underscores=True)
    )


def _spark_dot(text: str) -> bool:
    r"""``\bspark{_GAP}\.``, a comment's gap read once."""
    return _any_through(word_start_matches(_SPARK_DOT, text), _DOT_RX, text)


def _log_call(text: str) -> bool:
    r"""``\b_*NAME{_GAP}\.{_GAP}\w`` for a logger's NAME, each comment's gap read once: the
    gaps before the dot and after it are remembered apart."""
    before, after = [0, 0], [0, 0]
    for match in word_start_matches(_LOG_CALL, text, underscores=True):
        if match.start(1) >= 0:  # a comment before the dot
            end = _gap_end(text, match.start(1), before)
            dot = None if end is None else _LOG_CALL_DOT.match(text, end)
            if dot is None:
                continue
            if dot.start(1) < 0:
                return True
            comment = dot.start(1)
        elif match.start(2) >= 0:  # a comment after the dot
            comment = match.start(2)
        else:
            return True
        end = _gap_end(text, comment, after)
        if end is not None and _WORD_CHAR.match(text, end):
            return True
    return False


def _at_word_start(rx: re.Pattern, text: str, underscores: bool = False) -> bool:
    r"""Whether ``rx`` matches where ``\b`` (``\b_*`` with ``underscores``) would let it."""
    return next(word_start_matches(rx, text, underscores), None) is not None


def _at_import(rx: re.Pattern, text: str) -> bool:
    r"""Whether ``rx``, a pattern that starts as ``_IMPORTS`` does, matches where
    ``(?:^|[;:])\s*`` (multi-line) would let it: after nothing but white space since the
    start of a line, a ``;`` or a ``:`` (``try: import x``). Matched only where ``from`` or
    ``import`` stands so (``_import_starts``): searched, it was tried at each "f" and "i" of
    the file (the client imports' search was half of ``_has_transport``'s time)."""
    match = rx.match
    return any(match(text, at) for at in _import_starts(text))


def _line_start(text: str, start: int) -> bool:
    """Whether ``start`` follows nothing but white space since a line's start, a ``;`` or a
    ``:``."""
    while start and text[start - 1].isspace() and text[start - 1] != "\n":
        start -= 1
    return not start or text[start - 1] in "\n;:"


# The last text's ``_import_starts`` (the pre-filter's tests of one text ask for them up to
# four times).
_LAST_IMPORTS: list = [None, []]


def _import_starts(text: str) -> list[int]:
    """Where ``from`` and ``import`` stand at a line's start (``_line_start``): two passes."""
    if _LAST_IMPORTS[0] is text:
        return _LAST_IMPORTS[1]
    starts = []
    for word in ("from", "import"):
        at = text.find(word)
        while at >= 0:
            if _line_start(text, at):
                starts.append(at)
            at = text.find(word, at + 1)
    _LAST_IMPORTS[0], _LAST_IMPORTS[1] = text, starts
    return starts


# ... and a word that the name classifier takes for an identifier (decided by the caller).
_WORD = re.compile(r"_*[A-Za-z][A-Za-z0-9_]{1,60}")


def needs_analysis(text: str, is_identifier: Callable[[str], bool] | None = None) -> bool:
    """Cheap, conservative test: can this file produce a Python finding at all?

    Every finding needs either transport evidence in the text (a URL, ``verify=False``,
    ``sslmode``, a mail/FTP/SFTP client), or a data API together with an identifier-like
    word (every column, field or variable name the analysis judges is written in the file), an
    environment read (a network call to a host a manifest sets) or a read from object storage.
    When ``is_identifier`` carries a ``confident`` test (high confidence only, see
    ``identifier_test``), the files that pass are checked again on the ``ast`` tree: transport
    evidence must be in code (not a docstring or comment), and an identifier-like name must be
    able to reach a sink or a hash.
    """
    transport = _has_transport(text)
    # Stored data made public (DH460, DH461) needs no column nor data API: read on the tree.
    # (Also with transport text, which the tree may show to be in a docstring only.)
    public = _has_public_text(text)
    if not transport and not public:
        if not _has_data_api(text):
            return False
        if is_identifier is None:
            return True
        # Facts that need no column: an environment variable read for a network call (a
        # manifest may set it to a host the policy does not approve, DH690), a read from
        # object storage (the inventory's data map); and a FHIR resource, whose columns the
        # library names.
        bare = (
            "environ" in text
            or "getenv" in text
            or "getResolvedOptions" in text  # an AWS Glue job's arguments, its environment
            or _through_comments(_STORAGE_READ, _STORAGE_TAIL, text)
            or ("fhir" in text and _at_import(_FHIR_IMPORT, text))
        )
        if (
            not bare
            and not _has_identifier(text, is_identifier)
            and not (
                "client" in text
                and (
                    _CLIENT_NAMED.search(text) is not None
                    or _through_comments(_CLIENT_READ, _CLIENT_TAIL, text)
                )
            )
            and not (
                ("accept" in text or "recvfrom" in text or "getpeername" in text)
                and _through_comments(_PEER_CALL, _PEER_TAIL, text)
            )
            and not _builds_identifier(text, is_identifier)
        ):
            return False
    confident = getattr(is_identifier, "confident", None)
    if is_identifier is None or confident is None or len(text) > _AST_STAGE_MAX:
        return True  # large modules almost always pass: the second stage would cost more
    tree = _stdlib_tree(text)
    if not isinstance(tree, ast.Module):
        return True  # a syntax error: ``parsed`` reports it as before
    try:
        return _tree_needs_analysis(tree, is_identifier, confident, text, public)
    except RecursionError:
        return True


# What a grant that makes stored data public is written with (``python_libs.public``): a
# public ACL ("public-read", "authenticated-read", "publicRead"), make_public, public_access,
# PublicAccess, the *_public_access_block calls, a policy's "Principal", GCS's "allUsers" and
# grant_read. Pieces of a text are seen as the text is: "public-" + "read" holds "public".
# (Those with a capital U are looked for at each U: ``holds_by``.)
_PUBLIC_TEXTS = ("ublic", "uthenticated", "rincipal")
_PUBLIC_CAPITALS = (("UBLIC", 0), ("UTHENTICATED", 0), ("llUsers", 2))


def _has_public_text(text: str) -> bool:
    return (
        "grant_read" in text
        or any(piece in text for piece in _PUBLIC_TEXTS)
        or holds_by(text, "U", _PUBLIC_CAPITALS)
    )


# A string of the code that may make a grant's value (lowered): it holds a public ACL's name or
# a group of everyone, or it is a piece of one ("public-" + "read"), or of public_access.
_PUBLIC_WORDS = ("authenticated", "allusers", "principal", "public-read", "publicread")
_PUBLIC_WHOLES = ("public-read-write", "publicreadwrite", "public_access")
# The names the analysis knows a grant by (``python_libs.public``).
_PUBLIC_NAMES = frozenset(
    {"make_public", "grant_read", "delete_public_access_block", "put_public_access_block",
     "public_access", "PublicAccess"}
)  # fmt: skip


def _public_string(text: str) -> bool:
    """Whether a string of the code (not a docstring) may be or hold a grant's value."""
    lower = text.lower()
    return any(word in lower for word in _PUBLIC_WORDS) or (
        "public" in lower and any(lower in whole for whole in _PUBLIC_WHOLES)
    )


def _builds_identifier(text: str, is_identifier: Callable[[str], bool]) -> bool:
    """Whether the file builds an identifier-like name from pieces (``f"{kind}_id"``): read on
    its ``ast`` tree, which the syntax check of a skipped file builds anyway."""
    tree = _stdlib_tree(text)
    try:
        return isinstance(tree, ast.Module) and builds_identifier(tree, is_identifier)
    except RecursionError:
        return True  # a chain too deep to read here: analysed, as the ast stage does


_CHUNK = 4096  # characters


def _has_identifier(text: str, is_identifier: Callable[[str], bool]) -> bool:
    """Whether a word of ``text`` is identifier-like. Read a few thousand characters at a time,
    cut at a line end (a word never spans one): in most files that pass, the first such
    word comes within the first twentieth of the text."""
    seen: set[str] = set()
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start + _CHUNK)
        end = size if end < 0 else end
        words = set(_WORD.findall(text, start, end)) - seen
        if any(map(is_identifier, _words(words))):
            return True
        seen |= words
        start = end
    return False


def check_syntax(text: str) -> None:
    """For files the pre-filter skips: the stdlib parser still reports a syntax error, so every
    broken file gets its diagnostic. What it refuses is given to libcst: syntax newer than this
    interpreter's (``def f[T]()`` on Python 3.11) is not an error there."""
    message, line, col = _stdlib_reason(text)
    if not message:
        return
    if beyond_limits(text) is None:
        from dhlint.frontends.python_cst import parse  # broken files only: libcst's import

        parse(text)  # raises the diagnostic a full analysis would give
        return
    raise FrontendError(f"Python syntax error: {message}", line, col)


class NewerSyntax(FrontendError):
    """Valid Python (libcst reads it) that this interpreter's ``ast`` cannot parse (a 3.12
    ``def f[T]()`` on 3.11): the analysis, which runs on the ``ast`` tree, cannot read it."""


def parsed(text: str) -> ast.Module:
    """The stdlib tree of ``text`` for the analysis (the pre-filter's or the credential check's
    when either built it: a file is parsed once). A file the stdlib parser refuses raises
    ``FrontendError`` with the diagnostic a broken file gets (libcst decides, as for the files
    the pre-filter skips), or ``NewerSyntax`` when it is valid newer syntax."""
    tree = _stdlib_tree(text)
    if isinstance(tree, ast.Module):
        return tree
    from dhlint.frontends.python_cst import parse  # broken files only: libcst's import

    parse(text)  # raises the diagnostic as before
    message, line, col = _stdlib_reason(text)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    raise NewerSyntax(
        f"Python syntax newer than this interpreter's (Python {version}) not analysed: {message}",
        line,
        col,
    )


_AST_STAGE_MAX = 60_000  # characters

# The last file's ``ast`` tree (or syntax error): the pre-filter, the syntax check and the
# partial positions all need it, for the same text object.
_LAST_TREE: list = [None, None]


# What the stdlib compiler refuses for its own nesting limits. libcst is never given such a file:
# its native parser overflows the C stack (a segmentation fault that ends the whole run) or
# runs for minutes on it, where the compiler refuses it in milliseconds. Measured on nested
# brackets, unary and binary operator chains, attribute, call and subscript chains, lambdas
# and conditionals: every one libcst chokes on is past these limits, and just below them
# none took libcst more than three seconds.
TOO_DEEP = "too deeply nested or too complex for the Python compiler"
_LIMIT_ERRORS = ("too many nested parentheses", "too many levels of indentation")


def share_tree(text: str, tree: ast.Module) -> None:
    """Take ``tree`` as ``text``'s, parsed elsewhere as ``_stdlib_tree`` does (``ast.parse``,
    warnings ignored): a file another file's analysis read as a project module."""
    _LAST_TREE[0], _LAST_TREE[1] = text, tree


def kept_tree(text: str) -> ast.Module | None:
    """``text``'s tree when it is the one kept (``_stdlib_tree`` built it last, or it was
    shared), else None."""
    tree = _LAST_TREE[1] if _LAST_TREE[0] is text else None
    return tree if isinstance(tree, ast.Module) else None


# A text whose tree, if it is asked for, ``make()`` gives (``tree_maker``)
_MAKER: list = [None, None]


def tree_maker(text: str | None, make: Callable[[], ast.Module | None] | None = None) -> None:
    """Have ``make()`` give ``text``'s tree when ``_stdlib_tree`` is asked for it (None from it:
    ``text`` is parsed): a file joined with the modules it imports, made of their trees
    (``models.python._joined_tree``). ``tree_maker(None)`` forgets it."""
    _MAKER[0], _MAKER[1] = text, make


def _stdlib_tree(text: str) -> ast.Module | tuple[str, int, int] | None:
    if _LAST_TREE[0] is text:
        return _LAST_TREE[1]
    if _MAKER[0] is text:
        make = _MAKER[1]
        _MAKER[0] = _MAKER[1] = None
        made = make()
        if made is not None:
            _LAST_TREE[0], _LAST_TREE[1] = text, made
            return made
    tree: ast.Module | tuple[str, int, int] | None
    try:
        with warnings.catch_warnings():
            # The scanned code's own warnings (an invalid escape "\d") are not the run's: not
            # printed, and not errors when the interpreter runs with -W error.
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except SyntaxError as exc:
        tree = ((exc.msg or "invalid syntax"), exc.lineno or 0, exc.offset or 0)
    except (RecursionError, MemoryError):  # "too complex": the compiler's own limits
        tree = (TOO_DEEP, 0, 0)
    except ValueError:
        tree = None
    _LAST_TREE[0], _LAST_TREE[1] = text, tree
    return tree


def beyond_limits(text: str) -> tuple[str, int, int] | None:
    """The stdlib compiler's reason when it refused ``text`` for nesting too deep (then no
    other parser should try it), else None."""
    tree = _stdlib_tree(text)
    if isinstance(tree, tuple) and (tree[0] == TOO_DEEP or tree[0] in _LIMIT_ERRORS):
        return tree
    return None


def _stdlib_reason(text: str) -> tuple[str, int, int]:
    tree = _stdlib_tree(text)
    if isinstance(tree, tuple):
        return tree
    return "", 0, 0


# ---------------------------------------------------------------------------- second stage (ast)
# Files the text filter lets through are checked on the stdlib ``ast`` tree (the syntax check
# needs it anyway): most real code prints and writes files, and names variables ``name`` or
# ``fp``, yet no identifier-like value ever reaches a sink. Everything below over-approximates
# the analysis (names are conflated across scopes, flow is ignored), so it only ever says
# "analyse" more often than needed.

# Imports after which the analysis knows tables, clients and sources: always analysed. Not
# ``ssl``: the analysis gives it a meaning through ``_create_unverified_context`` only (a name
# in ``_TRANSPORT_NAMES``, found however it is imported).
_QUIET_MODULES = frozenset(
    {"logging", "loguru", "structlog", "hashlib", "hmac", "builtins", "warnings"}
)
_ANALYSED_MODULES = frozenset(_MODULES.split("|")) - _QUIET_MODULES | frozenset(
    {"telnetlib", "socketserver"}
)
# Methods that read rows, run SQL (DuckDB's con.query("COPY ... TO 'f'")) or reach
# storage/Spark: always analysed. The analysis reads
# them as methods only (``cursor.fetchall()``); the builtin ``all(...)`` is not one.
_SOURCE_CALLS = frozenset(
    {
        "fetchall", "fetchone", "fetchmany", "mappings", "all", "first", "get_pandas_df",
        "get_records", "get_first", "get_df", "get_polars_df", "read_sql", "sql", "query",
        "execute",
        "executemany", "execute_values", "copy_expert", "copy_from", "load_file", "load_string",
        "load_bytes", "load_file_obj", "upload_file", "upload_fileobj", "put_object",
        "fput_object", "upload_from_filename", "upload_from_string", "upload_from_file",
        "upload_blob", "upload_data", "getOrCreate", "xcom_push", "xcom_pull", "iterrows",
        "to_dict", "createDataFrame",
    }
)  # fmt: skip
# TLS switches and Spark sessions, as a variable, an attribute, a keyword or an imported name;
# ``ssl`` only as a keyword (aiohttp's ``ssl=False``): as a name it is most often the module;
# ``cert_reqs`` too (urllib3's ``cert_reqs="CERT_NONE"``: the value is a string there);
# Django's ``EMAIL_HOST`` setting (``_django_email_settings``); logging's ``SMTPHandler``.
_TRANSPORT_NAMES = frozenset(
    {"verify", "verify_ssl", "verify_certs", "check_hostname", "sslmode",
     "_create_unverified_context",
     "CERT_NONE", "spark", "SparkSession", "EMAIL_HOST", "SMTPHandler"}
)  # fmt: skip
_TRANSPORT_KEYWORDS = _TRANSPORT_NAMES | {"ssl", "cert_reqs", "connection_verify"}
_TLS_KEYS = frozenset({*_QUOTED_SWITCHES, "cert_reqs"})  # dict keys the analysis reads as TLS
_HASH_NAMES = (
    "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384",
    "sha3_512", "blake2b", "blake2s", "shake_128", "shake_256",
)  # fmt: skip
_HASHERS = frozenset({*_HASH_NAMES, "new"})  # hashlib.new("md5")
# Calls whose arguments (and, for the table writers, receiver) may reach a sink or a hash.
_SINK_CALLS = frozenset(
    {
        "print", "hash", "write", "writelines", "write_all", "write_text", "write_bytes",
        "writerow", "writerows", "send",
        "sendmail", "send_message", "produce", "publish", "storbinary", "storlines", "put",
        "putfo",
        # Azure Event Hubs and Service Bus producers and senders
        "send_event", "send_batch", "send_messages", "schedule_messages",
        # DynamoDB writes; Kinesis and Firehose records
        "put_item", "update_item", "batch_write_item", "transact_write_items", "put_record",
        "put_records", "put_record_batch",
        # Cosmos DB containers' writes of items
        "create_item", "upsert_item", "replace_item", "patch_item", "execute_item_batch",
        "dump", "debug", "info", "warning", "warn", "warn_explicit", "error", "exception",
        "critical", "fatal",
        "log", "msg", "new", "digest", "HMAC", *_HASH_NAMES,
        "bind", "LoggerAdapter",  # a logger's bound context goes out with every line
    }
)  # fmt: skip
_TABLE_WRITERS = frozenset(
    {
        "to_csv", "to_parquet", "to_json", "to_excel", "to_feather", "to_orc", "to_pickle",
        "to_hdf", "to_xml", "to_stata", "to_markdown", "to_html", "to_latex", "write_csv",
        "write_parquet", "write_json", "write_ndjson", "write_excel", "write_ipc", "write_avro",
        "sink_parquet", "sink_csv", "sink_ipc", "sink_ndjson", "write_delta", "to_sql",
        "to_gbq", "write_database",
    }
)  # fmt: skip
# Methods that send or hash their receiver: a frame shown, a column hashed (df["email"].hash(),
# .sha256() as the analysis reads any hashlib name on a column).
_RECEIVER_SINKS = frozenset({"show", "hash", "hash_rows", "hash_pandas_object", *_HASH_NAMES})
# Methods that call a function on their receiver: df["phone"].map(print).
_APPLIERS = frozenset(
    {"apply", "map", "transform", "map_elements", "applymap", "pipe", "agg", "foreach"}
)
# Methods the analysis takes for a sink only on some objects, each with what a module must
# name for it to hold one (``_absent_sinks``); a module's own methods of these names are
# followed into their bodies as any function is.
# A logger's (``python_libs.methods``, ``calls``): a receiver named as one (``_LOGGER_NAME``:
# self.log, LOGGER), or one logging, loguru or structlog made; warnings.warn.
_LOG_ONLY = frozenset(
    {"debug", "info", "warning", "warn", "warn_explicit", "error", "exception", "critical",
     "fatal", "log", "msg"}
)  # fmt: skip
# The analysis names a value by the names it is written with: a logger's name must be one of
# the module's names (a variable, an attribute, a parameter, a string given to getattr). With
# up to three leading underscores here; a module with a longer run of them is not judged.
_LOGGER_WORDS = frozenset(f"{'_' * n}{name}" for name in LOGGER_NAMES for n in range(4))
_LOG_LIBRARIES = ("logging", "loguru", "structlog", "____")
# A file's (``open()``, a ``pathlib`` path's ``open()``, an ``io.StringIO``, jsonlines'): the
# builtin ``open`` as a name (called, or passed: ``partial(open, mode="w")``).
_FILE_ONLY = frozenset({"write", "writelines", "write_all"})
_FILE_MAKERS = ("Path", "pathlib", "StringIO", "BytesIO", "jsonlines", "builtins")
# Names the walk looks for: each is either transport, one of ``_absent_sinks``'s or
# urllib.request's (``_urllib``).
_WATCHED_NAMES = _TRANSPORT_NAMES | _LOGGER_WORDS | {"open", "request"}  # urllib.request
# ... and a public grant's, when the text holds one's pieces (``_has_public_text``).
_WATCHED_OR_PUBLIC = _WATCHED_NAMES | _PUBLIC_NAMES
# A logger's context (structlog's and loguru's bind, logging's LoggerAdapter): only on what
# those libraries made.
_LOG_LIBRARY_ONLY = frozenset({"bind", "LoggerAdapter"})
# A Kafka producer's (or a receiver named as one), an HTTP client's, Django's mail.
_SEND_ONLY = frozenset({"send"})
_SEND_MAKERS = ("produc", "kafka", "django", "requests", "httpx", "aiohttp", "urllib3", "niquests")
_LOG_GROUP = _LOG_LIBRARY_ONLY | _LOG_ONLY
# The names ``_absent_sinks`` may take out of the sinks.
_MAYBE_ABSENT = _LOG_GROUP | _FILE_ONLY | _SEND_ONLY


def _absent_sinks(
    text: str, named: AbstractSet[str], asked: AbstractSet[str] = _MAYBE_ABSENT
) -> frozenset[str]:
    """The names of ``_SINK_CALLS`` that no call in ``text`` can be a sink by (see above);
    ``named``: which of ``_LOGGER_WORDS`` and ``open`` its code names. ``asked``: the names of
    ``_MAYBE_ABSENT`` the caller may ask about; a group none of them is in is not looked
    for (each is up to eight passes over the text, for nothing in most modules)."""
    absent: set[str] = set()
    if not _LOG_GROUP.isdisjoint(asked) and not any(name in text for name in _LOG_LIBRARIES):
        absent |= _LOG_LIBRARY_ONLY
        if _LOGGER_WORDS.isdisjoint(named):
            absent |= _LOG_ONLY
            if "warnings" in text:
                absent -= {"warn", "warn_explicit"}
    if (
        not _FILE_ONLY.isdisjoint(asked)
        and "open" not in named
        and not any(name in text for name in _FILE_MAKERS)
    ):
        absent |= _FILE_ONLY
    if not _SEND_ONLY.isdisjoint(asked):
        lower = text.lower()
        if not any(name in lower for name in _SEND_MAKERS):
            absent |= _SEND_ONLY
    return frozenset(absent)


# Keyword arguments a log or print call never writes out.
_NOT_DATA = frozenset({"exc_info", "stack_info", "stacklevel", "sep", "end", "file", "flush"})
_MUTATORS = frozenset(
    {"append", "extend", "update", "add", "insert", "put", "setdefault", "from_mapping"}
)  # from_mapping: a Flask app's config
# A URL in code (not in a docstring) is always analysed, as the text filter did.
# ("//x": the second half of "http:" + "//x"; "http:/", the first of "http:/" + "/x".)
# Every match holds a "/", a "=" or "lmode" in some case (no character but these letters'
# cases matches them in a case-blind regex), which ``_Flows`` tests first: cheaper than the search.
_TRANSPORT_TEXT = re.compile(
    r"://|\A//|:/\Z|Endpoint=|sslmode|\bencrypt\s*=|\btrustservercertificate\s*=",
    re.IGNORECASE,
)
# ... but the analysis takes a text for a URL only when it starts with its scheme
# (``facts._endpoint_one``, ``http_clients._is_url_request``): a "://" after anything but a
# scheme's characters or a template's placeholders ("{}://{}", "%s://%s", f"{s}://{h}"'s
# "://") is in a message or markup ('<a href="file://%s">', a DOCTYPE's "http://www.w3.org"),
# unless the module edits texts (``replace``, ``removeprefix``: ``methods._str_edit``).
_URL_START = re.compile(
    r"\A(?:[A-Za-z0-9+.\-]|\{[^{}]*\}|%(?:\([^()]*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[A-Za-z])*://"
)
_OTHER_TRANSPORT_TEXT = re.compile(
    r"\A//|Endpoint=|sslmode|\bencrypt\s*=|\btrustservercertificate\s*=", re.IGNORECASE
)
_STR_EDITS = frozenset({"replace", "removeprefix", "removesuffix"})


def _call_values(node: ast.Call) -> list[ast.expr]:
    """A call's arguments, then its keywords' values (not to be changed: it may be the call's
    own list)."""
    if not node.keywords:
        return node.args
    return [*node.args, *[k.value for k in node.keywords]]


def _is_django_manager(func: ast.expr) -> bool:
    """``Model.objects.get``: a method of Django's manager on a class name (the analysis reads
    its rows' fields by name)."""
    manager = getattr(func, "value", None)
    return (
        type(manager) is ast.Attribute
        and manager.attr == "objects"
        and _call_name(manager.value)[:1].isupper()
    )


def _call_name(func: ast.expr) -> str:
    kind = type(func)
    if kind is ast.Name:  # the parser's own classes first, tested without isinstance
        return func.id  # type: ignore[attr-defined]
    if kind is ast.Attribute and func.attr != "__call__":  # type: ignore[attr-defined]
        return func.attr  # type: ignore[attr-defined]
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        if func.attr == "__call__":  # emit.__call__(v) calls emit
            return _call_name(func.value)
        return func.attr
    if kind is ast.NamedExpr:  # (emit := log.info)(v) calls log.info
        return _call_name(func.value)  # type: ignore[attr-defined]
    literal = getattr_literal(func)
    return literal[1] if literal is not None else ""


def _functions(func: ast.expr, name: str) -> list[ast.expr]:
    """What a call of ``func`` (named ``name``) may call, as written: ``func`` itself, or for
    an expression the analysis may still resolve ((a.get if v else b.get)(k), (hook or
    print)(m), [print][0](m), partial(log.info)(m)) every name and attribute in it."""
    kind = type(func)
    if name or kind is ast.Name or kind is ast.Attribute:
        return [func]
    return [node for node in walk(func) if type(node) is ast.Name or type(node) is ast.Attribute]


def getattr_literal(node: ast.expr) -> tuple[ast.expr, str] | None:
    """``getattr(obj, "emit")``: (obj, "emit"), the attribute it reads; None otherwise."""
    if (
        type(node) is ast.Call
        and type(node.func) is ast.Name
        and node.func.id == "getattr"
        and len(node.args) >= 2
        and type(node.args[1]) is ast.Constant
        and isinstance(node.args[1].value, str)
        and node.args[1].value.isidentifier()
    ):
        return node.args[0], node.args[1].value
    return None


def _root(target: ast.expr) -> str:
    """The variable (or attribute name) a subscript or attribute target writes into."""
    while isinstance(target, (ast.Subscript, ast.Starred)):
        target = target.value
    return _call_name(target)


def collection(receiver: ast.expr) -> ast.expr:
    """The collection a mutating call's receiver writes into: ``rows`` itself, or the one an
    item of it (``groups[ward].append``) or ``setdefault`` (``by.setdefault(k, []).append``)
    comes from."""
    while True:
        if type(receiver) is ast.Subscript:
            receiver = receiver.value
        elif (
            type(receiver) is ast.Call
            and type(receiver.func) is ast.Attribute
            and receiver.func.attr == "setdefault"
        ):
            receiver = receiver.func.value
        else:
            return receiver


_LITERALS = (ast.Tuple, ast.List, ast.Set)  # a, b = print, len; for out in (print, log.info)
# The kinds of node ``_Flows._collect`` reads more of than their children (the others, half of
# the rest, are only walked through).
_COLLECTED = frozenset(
    {
        ast.Call, ast.keyword, ast.Dict, ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign,
        ast.AugAssign, ast.NamedExpr, ast.For, ast.AsyncFor, ast.comprehension, ast.withitem,
        ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Return, ast.Yield, ast.YieldFrom,
        ast.ClassDef, ast.Raise, ast.ExceptHandler,
    }
)  # fmt: skip


class _Leave:
    """On the walk's stack below a function's nodes: the name of the function around it."""

    __slots__ = ("func",)

    def __init__(self, func: str) -> None:
        self.func = func


class _Decided(Exception):
    """Raised by a deciding ``_Flows`` walk at the first transport or source."""


class _Flows:
    """Name-based, flow-insensitive over-approximation of what may reach the sinks."""

    def __init__(
        self,
        tree: ast.Module,
        decide: bool = False,
        text: str | None = None,
        public: bool = False,
    ) -> None:
        """``decide``: stop at the first transport, source or public grant (then the file is
        analysed, nothing else is needed): the other attributes are left incomplete. ``text``:
        the module's, whose names tell which method names can be sinks (``_absent_sinks``).
        ``public``: look for a public grant's names and strings as well (in code: not in a
        docstring), in the same walk."""
        self._text = text
        self.assigns: dict[str, list[ast.AST]] = {}
        self.keyed: set[str] = set()  # written through a string subscript: d["email"] = v
        self.returns: dict[str, list[ast.AST]] = {}
        self.call_args: dict[str, list[ast.AST]] = {}  # callee name -> argument expressions
        self.param_of: dict[str, set[str]] = {}  # parameter name -> names of its functions
        self.sinks: list[ast.AST] = []
        # Names a sink goes by (``from hashlib import md5 as h``, ``emit = print``, a default
        # ``algo=hashlib.sha1``): (alias, name it stands for), judged once the walk is done.
        self._aliases: list[tuple[str, str]] = []
        self._calls: list[tuple[ast.Call, str]] = []  # each call, with its ``_call_name``
        self._results: list[tuple[str, str]] = []  # x = f(): (x, f)
        self._positional: dict[str, list[str]] = {}  # function -> its positional parameters
        # except E as exc: exc may be any exception the module raises (with its message).
        self._raised: list[ast.AST] = []
        self._caught: list[str] = []
        self._annotated: list[tuple[str, ast.expr]] = []  # (parameter, its annotation)
        self._fields: dict[str, list[ast.expr]] = {}  # class -> its annotated names
        self._bases: dict[str, list[str]] = {}  # class -> the names of its bases
        self._constants: dict[str, list[str]] = {}  # class -> the names its body sets
        self._config_objects: list[ast.expr] = []  # app.config.from_object(Config): Config
        self._nested: dict[str, list[str]] = {}  # class -> classes its fields are annotated with
        # class -> what a call of it or its name may hold: its fields (Rec(**row) logged, a
        # record read from a mapping), and the names of its bases and nested records
        self.records: dict[str, list[ast.expr]] = {}
        self.requests = {"request"}  # names flask's request goes by (``import flask`` too)
        self.code_strings: list[str] = []
        self.builds: list[ast.AST] = []  # nodes that may build a string from pieces
        self.transport = False
        self.source = False
        self.public = False  # a grant that makes stored data public (looked for if asked)
        self._public = public
        self.named: set[str] = set()  # the names of _WATCHED_NAMES the module's code uses
        self._called: set[int] = set()  # ids of the functions of calls named as loggers
        # Texts holding "://" after other characters than a scheme's, or a "//": a URL once
        # edited, maybe, by one of the module's calls of replace, removeprefix or removesuffix.
        self._mid_urls: list[str] = []
        self._edits: list[ast.Call] = []
        # A string that names a TLS switch ("verify", "ssl"...): the analysis reads it as one
        # only as a key of a dict unpacked into a call (``facts._tls_kwargs``), so only in a
        # module with a call given ``**`` (``_unpacks``).
        self._tls_key = False
        self._unpacks = False
        # urllib means a network call only through urllib.request (``python_libs.calls``:
        # urllib.parse's urljoin and urlencode build texts from what they are given), which a
        # module names to reach (``urllib.request.urlopen``, ``from urllib import request``):
        # ``import urllib.parse`` alone is no source.
        self._urllib = False
        self._decide = decide
        try:
            if decide:
                # The imports at the top first (the walk, a stack, comes to them last).
                for stmt in tree.body:
                    if type(stmt) is ast.Import or type(stmt) is ast.ImportFrom:
                        self._imported(stmt)
            self._collect(tree)
        except _Decided:
            return
        self._resolve()
        if self._mid_urls and self._edits and self._edited_url():
            self.transport = True

    def _edited_url(self) -> bool:
        """Whether a text holding "//" (``_mid_urls``) may reach an edit (its receiver or an
        argument, as ``reaching`` follows values to a sink): only there can the analysis cut
        or make a URL out of it (``methods._str_edit``). The texts a value may be are the
        strings that reach it: a parameter holds what calls pass it, followed there, or
        nothing known (the fields read from it are names, not texts)."""
        roots: list[ast.AST] = []
        for call in self._edits:
            func = call.func
            roots.append(func.value if type(func) is ast.Attribute else func)
            roots.extend(call.args)
            roots.extend(k.value for k in call.keywords)
        strings = self.reaching(roots)[1]
        return any(text in strings for text in self._mid_urls)

    def _watched(self, name: str, node: ast.AST) -> None:
        if name in _PUBLIC_NAMES:  # watched only when public grants are looked for
            self._grant()
            return
        if name in _TRANSPORT_NAMES:
            self._transport()
        if name == "open" or id(node) not in self._called:
            self.named.add(name)  # not the function of a call: log(x), self._log(x)

    def _transport(self) -> None:
        self.transport = True
        if self._decide:
            raise _Decided

    def _source(self) -> None:
        self.source = True
        if self._decide:
            raise _Decided

    def _grant(self) -> None:
        self.public = True
        if self._decide:
            raise _Decided

    def _imported(self, node: ast.Import | ast.ImportFrom) -> None:
        """Whether an import makes the file transport (``from ssl import _create_unv...``) or
        a source (a data library's)."""
        names = [a.name for a in node.names]
        if not _TRANSPORT_NAMES.isdisjoint(names):
            self._transport()
        if type(node) is ast.ImportFrom:
            names = [node.module or ""] if node.level == 0 else []
        tops = [n.split(".", 1)[0] for n in names]
        if any(t in _ANALYSED_MODULES and t != "urllib" for t in tops) or any(
            n.startswith("urllib.request") for n in names
        ):
            self._source()
        elif "urllib" in tops:
            if type(node) is ast.ImportFrom and any(a.name in ("request", "*") for a in node.names):
                self._source()  # from urllib import request as fetcher
            else:
                self._urllib = True  # a source if the code names urllib.request (``_collect``)
        elif any(n.startswith("django.core.mail") for n in names) or (
            names == ["django.core"] and any(a.name == "mail" for a in node.names)
        ):
            self._source()  # Django's mail sends (``python_libraries._django_mail``)

    def _flow(self, target: ast.AST, value: ast.AST) -> None:
        # out = log.info if verbose else log.debug, sink = hook or print: each may be the value
        kind = type(value)
        if kind is ast.IfExp:
            for alternative in (value.body, value.orelse):  # type: ignore[attr-defined]
                self._named(target, alternative)
        elif kind is ast.BoolOp:
            for alternative in value.values:  # type: ignore[attr-defined]
                self._named(target, alternative)
        elif kind in _LITERALS and type(target) is ast.Name:
            for element in value.elts:  # type: ignore[attr-defined]
                self._named(target, element)  # for out in (print, log.info): each
        else:
            self._named(target, value)
        if isinstance(target, (ast.Tuple, ast.List)):
            pairs = kind in _LITERALS and len(value.elts) == len(target.elts)  # type: ignore[attr-defined]
            for i, element in enumerate(target.elts):
                self._flow(element, value.elts[i] if pairs else value)  # type: ignore[attr-defined]
            return
        if isinstance(target, ast.Subscript):
            key = _root(target)
            self.assigns.setdefault(key, []).extend((value, target.slice))
            if isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
                self.keyed.add(key)
            return
        key = _root(target)
        if key:
            self.assigns.setdefault(key, []).append(value)

    def _named(self, target: ast.AST, value: ast.AST) -> None:
        """What a name (or an attribute) is given: another name, a lambda, a call's result."""
        if type(target) is ast.Attribute and type(value) in (ast.Name, ast.Attribute):
            self._aliases.append((target.attr, _call_name(value)))  # self.sink = print
        if type(target) is ast.Name:
            if type(value) is ast.Lambda:  # label = lambda c: c["email"]; label(row)
                self.returns.setdefault(target.id, []).append(value.body)
                for param in _param_names(value):
                    self.param_of.setdefault(param, set()).add(target.id)
            elif type(value) is ast.Name or type(value) is ast.Attribute:
                self._aliases.append((target.id, _call_name(value)))
            elif type(value) is ast.Call:
                self._results.append((target.id, _call_name(value.func)))
                if _call_name(value.func) == "partial" and value.args:  # f = partial(emit, "x")
                    self._aliases.append((target.id, _call_name(value.args[0])))

    def _collect(self, tree: ast.Module) -> None:
        stack: list = [tree]
        pop, push, extend = stack.pop, stack.append, stack.extend
        children = CHILD_FIELDS
        func = ""  # the enclosing function's name
        name_kind, constant_kind, attribute_kind = ast.Name, ast.Constant, ast.Attribute
        call_kind, assign_kind, arg_kind, if_kind = ast.Call, ast.Assign, ast.arg, ast.If
        expr_kind, binop_kind, compare_kind = ast.Expr, ast.BinOp, ast.Compare
        subscript_kind = ast.Subscript
        handled = _COLLECTED
        code_strings = self.code_strings
        public = self._public
        watched = _WATCHED_OR_PUBLIC if public else _WATCHED_NAMES
        builds = BUILDS
        while stack:
            node = pop()
            kind = type(node)
            # The three commonest kinds first (three nodes in five), each done in a few tests:
            # none has a child but an attribute's value.
            if kind is name_kind:
                if node.id in watched:
                    self._watched(node.id, node)
                continue
            if kind is constant_kind:
                text = node.value
                if type(text) is not str:
                    if not isinstance(text, (str, bytes)):
                        continue
                    text = text if isinstance(text, str) else text.decode("latin-1")
                elif public and _public_string(text):
                    self._grant()
                code_strings.append(text)
                if text in _LOGGER_WORDS:
                    self.named.add(text)  # getattr(self, "logger")
                if (
                    ("/" in text or "=" in text or "lmode" in text.lower())  # as the regex needs
                    and _TRANSPORT_TEXT.search(text)
                ):
                    if (
                        "://" not in text
                        or _URL_START.match(text) is not None
                        or _OTHER_TRANSPORT_TEXT.search(text) is not None
                    ):
                        self._transport()  # a URL
                    self._mid_urls.append(text)  # a "://" inside a text: a URL once edited?
                elif text in _TLS_KEYS:
                    self._tls_key = True  # K = "verify"; get(u, **{K: False})
                elif "//" in text:
                    self._mid_urls.append(text)  # "http|//x".replace("|", ":"): a URL once edited
                continue
            if kind is attribute_kind:
                push(node.value)
                if node.attr in watched and node.attr != "open":
                    self._watched(node.attr, node)
                continue
            # The next commonest kinds (a node in four), their children pushed as the loop
            # below would, in the same order: a getattr per field cost more than the rest.
            # (What the loop below does for one of these kinds must be done here too.)
            if kind is call_kind:
                push(node.func)
                extend(node.args)
                extend(node.keywords)
                self.builds.append(node)  # (a kind of ``BUILDS``)
                self._call(node)
                continue
            if kind is assign_kind:
                targets, value = node.targets, node.value
                extend(targets)
                push(value)
                for target in targets:
                    self._flow(target, value)
                continue
            if kind is arg_kind:
                if node.annotation is not None:
                    push(node.annotation)
                continue
            if kind is if_kind:
                push(node.test)
                extend(node.body)
                extend(node.orelse)
                continue
            if kind is expr_kind:
                value = node.value
                if type(value) is constant_kind:
                    # A docstring or a bare string: its value goes nowhere, but the analysis
                    # reads a DSN's "sslmode=disable" in any string.
                    value = value.value
                    if isinstance(value, str) and _names_sslmode(value):
                        self._transport()
                else:
                    push(value)
                continue
            if kind is binop_kind:
                push(node.left)
                push(node.right)
                self.builds.append(node)  # (a kind of ``BUILDS``)
                continue
            if kind is compare_kind:
                push(node.left)
                extend(node.comparators)
                continue
            if kind is subscript_kind:
                push(node.value)
                push(node.slice)
                continue
            if node is None:
                continue
            if kind is _Leave:
                func = node.func  # every node inside the function has been seen
                continue
            inner = func
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                push(_Leave(func))  # popped after all the nodes pushed below (a stack)
                inner = node.name
            for field in children[kind]:
                value = getattr(node, field, None)
                if type(value) is list:
                    extend(value)
                elif value is not None:
                    push(value)
            if kind in builds:
                self.builds.append(node)  # f"{kind}_id" (``python_fragments``)
            if kind not in handled:
                continue  # inner is func: not a function
            if kind is ast.Call:
                self._call(node)
            elif kind is ast.keyword:
                if node.arg in _TRANSPORT_KEYWORDS:
                    self._transport()
                elif node.arg is None:
                    self._unpacks = True  # f(**options)
                elif public and node.arg in _PUBLIC_NAMES:
                    self._grant()
            elif kind is ast.Dict:  # keywords to unpack into a call: **{"verify": False}
                for key in node.keys:
                    if type(key) is ast.Constant and key.value in _TRANSPORT_KEYWORDS:
                        self._transport()
            elif kind is ast.Import or kind is ast.ImportFrom:
                if public and any(a.name in _PUBLIC_NAMES for a in node.names):
                    self._grant()
                self._aliases.extend((a.asname, a.name) for a in node.names if a.asname)
                self.requests.update(
                    a.asname for a in node.names if a.name == "request" and a.asname
                )
                self._imported(node)
            elif kind is ast.Assign:
                for target in node.targets:
                    self._flow(target, node.value)
            elif kind is ast.AnnAssign or kind is ast.AugAssign:
                if node.value is not None:
                    self._flow(node.target, node.value)
            elif kind is ast.NamedExpr:
                self._flow(node.target, node.value)
            elif kind is ast.For or kind is ast.AsyncFor or kind is ast.comprehension:
                self._flow(node.target, node.iter)
            elif kind is ast.withitem:
                if node.optional_vars is not None:
                    self._flow(node.optional_vars, node.context_expr)
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.Lambda:
                name = getattr(node, "name", "<lambda>")
                args = node.args
                given = [d for d in args.kw_defaults if d]
                defaults = [*args.defaults, *given] if given else args.defaults
                if kind is not ast.Lambda:
                    self._positional[name] = [a.arg for a in (*args.posonlyargs, *args.args)]
                params = _param_names(node)
                self.named.update(_LOGGER_WORDS.intersection(params))
                # emit=print, algo=hashlib.md5: the parameter may be the sink
                default_names = [_call_name(d) for d in defaults]
                for param in params:
                    self.param_of.setdefault(param, set()).add(name)
                    if defaults:
                        self.assigns.setdefault(param, []).extend(defaults)
                        self._aliases.extend([(param, named) for named in default_names])
                if kind is ast.Lambda:
                    self.returns.setdefault(name, []).append(node.body)
                else:
                    args = node.args
                    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                        if arg.annotation is not None:
                            self._annotated.append((arg.arg, arg.annotation))
            elif kind is ast.Return or kind is ast.Yield or kind is ast.YieldFrom:
                if node.value is not None:
                    self.returns.setdefault(func, []).append(node.value)
            elif kind is ast.ClassDef:
                # A constructor call runs __init__ with the arguments.
                self.returns.setdefault(node.name, [])
                self.call_args.setdefault(node.name, [])
                # A parameter annotated with a record class holds its fields (``r: Rec``),
                # its bases' too.
                self._fields.setdefault(node.name, []).extend(
                    line.target
                    for line in node.body
                    if type(line) is ast.AnnAssign and type(line.target) is ast.Name
                )
                self._bases.setdefault(node.name, []).extend(
                    _call_name(base) for base in node.bases
                )
                self._constants.setdefault(node.name, []).extend(
                    target.id
                    for line in node.body
                    if type(line) is ast.Assign or type(line) is ast.AnnAssign
                    for target in (line.targets if type(line) is ast.Assign else [line.target])
                    for target in walk(target)
                    if type(target) is ast.Name
                )
                # address: Address, contacts: list["Contact"]: a record read from a mapping
                # holds the nested records' fields too
                self._nested.setdefault(node.name, []).extend(
                    name
                    for line in node.body
                    if type(line) is ast.AnnAssign and type(line.target) is ast.Name
                    for name in _annotation_names(line.annotation)
                )
            elif kind is ast.Raise and node.exc is not None:
                self._raised.append(node.exc)
            elif kind is ast.ExceptHandler and node.name:
                self._caught.append(node.name)
            func = inner
        if self._tls_key and self._unpacks:
            self._transport()
        if self._urllib and ("request" in self.named or "request" in code_strings):
            self._source()

    def _call(self, node: ast.Call) -> None:
        name = _call_name(node.func)
        if name in _LOGGER_WORDS:
            self._called.add(id(node.func))  # a function or method called, not a receiver
        values = _call_values(node)
        self.call_args.setdefault(name, []).extend(values)
        if name in ("__init__",) or name[:1].isupper():
            self.call_args.setdefault("__init__", []).extend(values)
        # A callback (map(fn, rows), a lambda) may be called with the other arguments.
        for value in values:
            kind = type(value)
            if kind is ast.Constant:
                continue  # most arguments: no name (``_call_name`` gives "")
            callee = value.id if kind is ast.Name else _call_name(value)
            if kind is ast.Lambda:
                callee = "<lambda>"
            if callee:
                self.call_args.setdefault(callee, []).extend(values)
        if name in _STR_EDITS:
            self._edits.append(node)
        if name in _SOURCE_CALLS and type(node.func) is ast.Attribute:
            self._source()
        elif _is_django_manager(node.func):
            self._source()  # Model.objects.get(...): rows, as a SELECT * query's
        elif not name:
            for func in _functions(node.func, name):  # (cur.fetchall if v else f)()
                if type(func) is ast.Attribute and (
                    func.attr in _SOURCE_CALLS or _is_django_manager(func)
                ):
                    self._source()
        if name == "from_object":
            self._config_objects.extend(node.args)
        if name in _MUTATORS and isinstance(node.func, ast.Attribute):
            key = _root(collection(node.func.value))
            if key:
                self.assigns.setdefault(key, []).extend(values)
        self._calls.append((node, name))

    def _resolve(self) -> None:
        """After the walk: link functions called under other names, then find the sinks."""
        for name in self._caught:
            self.assigns.setdefault(name, []).extend(self._raised)
        for given in self._config_objects:
            # app.config.from_object(Config) or (Config()): the config holds what the class's
            # body (or a base's) sets, under those names (Config.LAST = row["email"] too)
            classes, seen = [_call_name(given.func if type(given) is ast.Call else given)], set()
            while classes:
                cls = classes.pop()
                if cls in seen or cls not in self._constants:
                    continue
                seen.add(cls)
                self.assigns.setdefault("config", []).extend(
                    ast.Name(id=name) for name in self._constants[cls]
                )
                classes.extend(self._bases.get(cls, ()))
        for param, annotation in self._annotated:
            # Rec, "Rec", list[Rec], Rec | None, dict[str, Rec], "list[Rec]"
            for named in _annotation_names(annotation):
                classes, seen = [named], set()
                while classes:  # the class, its bases and nested records in the module
                    cls = classes.pop()
                    if cls in seen or cls not in self._fields:
                        continue
                    seen.add(cls)
                    self.assigns.setdefault(param, []).extend(self._fields[cls])
                    classes.extend(self._bases.get(cls, ()))
                    classes.extend(self._nested.get(cls, ()))
        for cls, fields in self._fields.items():
            others = (*self._bases.get(cls, ()), *self._nested.get(cls, ()))
            self.records[cls] = [*fields, *(ast.Name(id=name) for name in others if name)]
        # HANDLERS[kind](row), getattr(hashlib, ALGO)(v): each function it may call is called
        # (A call of a name or an attribute, most calls, calls nothing else: ``_dispatched``.)
        dispatched: dict[int, list[str]] = {}
        for node, _name in self._calls:
            kind = type(node.func)
            if kind is not ast.Name and kind is not ast.Attribute:
                called = dispatched[id(node)] = self._dispatched(node.func)
                for callee in called:
                    self.call_args.setdefault(callee, []).extend(
                        [*node.args, *(k.value for k in node.keywords)]
                    )
        pairs = list(self._aliases)
        # f = make_emitter(): f is what make_emitter returns (a nested def, a bound method)
        for alias, factory in self._results:
            for value in self.returns.get(factory, ()):
                if type(value) is ast.Name or type(value) is ast.Attribute:
                    pairs.append((alias, _call_name(value)))
        # apply(emit, row) with def apply(fn, row): fn is emit
        for node, name in self._calls:
            params = self._positional.get(name)
            if params:
                for param, arg in zip(params, node.args, strict=False):
                    if type(arg) is ast.Name or type(arg) is ast.Attribute:
                        pairs.append((param, _call_name(arg)))
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg in params and type(value) in (ast.Name, ast.Attribute):
                        pairs.append((keyword.arg, _call_name(value)))
        targets: dict[str, set[str]] = {}
        for alias, name in pairs:
            if alias and name and alias != name:
                targets.setdefault(alias, set()).add(name)
        # Only the names of the calls (each a key of ``call_args``: a call's, a callback's, a
        # dispatched one's) and of what aliases stand for are tested against ``sink_names``.
        asked = {name for name in _MAYBE_ABSENT if name in self.call_args}
        for named in targets.values():
            asked |= _MAYBE_ABSENT & named
        absent = (
            _absent_sinks(self._text, self.named, asked)
            if self._text is not None and asked
            else frozenset()
        )
        sink_names = (_SINK_CALLS - absent) | _TABLE_WRITERS
        aliases: set[str] = set()
        passed_to: dict[str, list[list[ast.AST]]] = {}
        returned_by: dict[str, list[list[ast.AST]]] = {}
        for alias in targets:
            # Every name the alias may stand for, through other aliases.
            reach, work = set(), [alias]
            while work:
                for name in targets.get(work.pop(), ()):
                    if name not in reach:
                        reach.add(name)
                        work.append(name)
            reach.discard(alias)
            if not sink_names.isdisjoint(reach):
                aliases.add(alias)
            # What is passed to the alias reaches the functions it stands for, and what they
            # return comes back from it. ``reach`` is transitive, so the lists as the walk left
            # them are enough. Added to as the loop went, they doubled at each link of a chain
            # of aliases (a2 = a1; a1 = a0): a 41-line file could take all memory.
            passed = self.call_args.get(alias, ())
            for name in reach:
                if passed:
                    passed_to.setdefault(name, []).append(passed)
                returned = self.returns.get(name)
                if returned:
                    returned_by.setdefault(alias, []).append(returned)
        for table, added in ((self.call_args, passed_to), (self.returns, returned_by)):
            for name, lists in added.items():
                # each node once, where it first came (keyed by id: nodes are never compared)
                nodes = [*table.get(name, ()), *itertools.chain.from_iterable(lists)]
                table[name] = list(dict(zip(map(id, nodes), nodes, strict=True)).values())
        # h = hashlib.sha256(); h.update(v): v is hashed
        hashers = {alias for alias, made_by in self._results if made_by in _HASHERS}
        for node, name in self._calls:
            receiver = node.func.value if type(node.func) is ast.Attribute else None
            sink = name in sink_names or name in aliases
            called = dispatched.get(id(node))
            if sink or (called and any(c in sink_names or c in aliases for c in called)):
                self.sinks.extend(node.args)
                self.sinks.extend(k.value for k in node.keywords if k.arg not in _NOT_DATA)
            elif name == "update" and type(receiver) is ast.Name and receiver.id in hashers:
                self.sinks.extend(node.args)
            if receiver is not None and (name in _TABLE_WRITERS or name in _RECEIVER_SINKS):
                self.sinks.append(receiver)  # df.to_csv(...), df.show(), s.hash()
            elif not name:  # (df.to_csv if v else df.to_parquet)(path)
                for func in _functions(node.func, name):
                    if type(func) is ast.Attribute and (
                        func.attr in _TABLE_WRITERS or func.attr in _RECEIVER_SINKS
                    ):
                        self.sinks.append(func.value)
            if not sink:
                # map(print, rows), rows.map(print), map(hash, rows): a sink as a callback
                values = _call_values(node)
                for value in values:
                    kind = type(value)
                    if kind is ast.Constant:
                        continue  # no name
                    callee = value.id if kind is ast.Name else _call_name(value)
                    if callee in sink_names or callee in aliases:
                        self.sinks.extend(v for v in values if v is not value)
                        if receiver is not None and name in _APPLIERS:
                            self.sinks.append(receiver)

    def _dispatched(self, func: ast.expr) -> list[str]:
        """The functions a call of a dict's item or of ``getattr`` with a constant's name may
        call: the dict literals' values the name is given, the constant's texts; and for a
        call of an expression the analysis may still resolve ((log.info if v else log.debug)(m),
        (hook or print)(m), {"a": log.info}[k](m), [print][0](m), partial(log.info)(m)), every
        name written in it."""
        kind = type(func)
        if kind is not ast.Name and kind is not ast.Attribute and not _call_name(func):
            named = [_call_name(node) for node in _functions(func, "")]
            return named + self._dispatched_item(func)
        return self._dispatched_item(func)

    def _dispatched_item(self, func: ast.expr) -> list[str]:
        if type(func) is ast.Subscript and type(func.value) is ast.Name:
            return [
                _call_name(value)
                for given in self.assigns.get(func.value.id, ())
                if type(given) is ast.Dict
                for value in given.values
                if value is not None and _call_name(value)
            ]
        if (
            type(func) is ast.Call
            and _call_name(func.func) == "getattr"
            and len(func.args) >= 2
            and type(func.args[1]) is ast.Name
        ):
            return [
                given.value
                for given in self.assigns.get(func.args[1].id, ())
                if type(given) is ast.Constant and isinstance(given.value, str)
            ]
        return []

    def reaching(
        self, start: Sequence[ast.AST]
    ) -> tuple[set[str], set[str], set[str], set[str], bool]:
        """What may reach a sink or a hash: (names, strings, parts, fields, keyed).

        ``names``: variable, attribute, parameter and keyword names (a value known only by its
        name); ``strings``: string constants (dict keys, record fields); ``parts``: the words
        of strings that are pieces of a built string; ``fields``: every string of the file
        when a parameter reaches (the fields read from a parameter anywhere are what it holds);
        ``keyed``: a dict written through string keys reaches (its columns are real ones).
        """
        names: set[str] = set()
        strings: set[str] = set()
        parts: set[str] = set()
        seen: set[str] = set()
        keyed = False
        params = False
        callees: set[int] = set()
        work: list[ast.AST] = list(start)
        # A value is often queued again (one call's arguments under each name it may call):
        # a second walk of it adds nothing (what a node adds depends on the node and on sets
        # that only grow), so it is walked once.
        walked: set[int] = set()
        while work:
            root = work.pop()
            if id(root) in walked:
                continue
            walked.add(id(root))
            for node in walk(root):
                key = ""
                kind = type(node)
                if kind is ast.Name:
                    if id(node) not in callees and (
                        node.id not in _BUILTIN_NAMES
                        or node.id in self.assigns
                        or node.id in self.param_of  # def label(street, zip)
                    ):
                        key = node.id
                elif kind is ast.Attribute:
                    if node.attr in _REQUEST_DATA and _call_name(node.value) in self.requests:
                        params = True  # request.json: what a view reads from it, it holds
                    if id(node) not in callees:
                        key = node.attr
                        if key == "client":
                            names.add(CLIENT_ADDRESS)  # request.client: an IP address's pair
                elif kind is ast.Constant:
                    if isinstance(node.value, str):
                        strings.add(node.value)
                        if node.value == "client":
                            names.add(CLIENT_ADDRESS)  # getattr(request, "client")
                    elif isinstance(node.value, bytes):  # rec[b"email"]
                        strings.add(node.value.decode("latin-1"))
                elif kind is ast.keyword:
                    if node.arg:
                        names.add(node.arg)
                elif kind is ast.arg:
                    key = node.arg
                elif kind is ast.JoinedStr or kind is ast.BinOp:
                    for inner in walk(node):
                        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                            parts.update(_WORD.findall(inner.value))
                elif kind is ast.Call:
                    func = node.func
                    callees.add(id(func))
                    name = _call_name(func)
                    if name in _KEYWORD_COLUMNS:  # t.assign(email=...): a column, as a key
                        strings.update(k.arg for k in node.keywords if k.arg)
                    for callee in [name] if name else map(_call_name, _functions(func, name)):
                        if callee in PEER_METHODS:
                            names.add(CLIENT_ADDRESS)  # conn, addr = sock.accept()
                        if callee and "()" + callee not in seen:
                            seen.add("()" + callee)
                            work.extend(self.returns.get(callee, ()))
                            work.extend(self.records.get(callee, ()))  # Rec(**row): its fields
                if not key or key in seen:
                    continue
                seen.add(key)
                names.add(key)
                work.extend(self.assigns.get(key, ()))
                work.extend(self.records.get(key, ()))  # Rec.model_validate(row)
                if key in self.keyed:
                    keyed = True
                for callee in self.param_of.get(key, ()):
                    # Every call to a function with this parameter may bind an argument to it.
                    params = True
                    if "(" + callee not in seen:
                        seen.add("(" + callee)
                        work.extend(self.call_args.get(callee, ()))
        fields = set(self.code_strings) if params else set()
        return names, strings, parts, fields, keyed


# Methods whose keywords name the columns they make (``python_libs.frames``: pandas' assign,
# polars' with_columns): a keyword there is a column's key, not a value's name.
_KEYWORD_COLUMNS = frozenset({"assign", "with_columns"})

# What flask's request carries (``python_flow.attributes._FLASK_REQUEST_DATA``, its readers): a
# record whose fields are those a view reads, as a parameter's.
_REQUEST_DATA = frozenset(
    {"json", "form", "args", "values", "data", "files", "get_json", "get_data"}
)

# Builtins the analysis resolves to themselves (never a value named like a column), unless
# the file assigns the name.
_BUILTIN_NAMES = frozenset(
    {
        "open", "print", "hash", "round", "str", "list", "tuple", "set", "sorted", "dict",
        "iter", "reversed", "repr", "format", "next", "frozenset", "bytes", "enumerate", "zip",
        "filter", "map", "int", "float", "len", "sum", "min", "max", "abs", "any", "all",
        "isinstance",
    }
)  # fmt: skip


# The fields of an ``ast`` node that can hold the nodes the pre-filter looks at:
# everything but names, numbers, constants, expression contexts and operators. Walking only
# these is about twice as fast as ``ast.walk`` (a third of the nodes are contexts, and most
# fields of the common nodes are names).
_LEAF_FIELDS = frozenset(
    {
        "ctx", "op", "ops", "id", "attr", "arg", "name", "asname", "module", "level", "kind",
        "type_comment", "conversion", "is_async", "simple", "tag", "lineno", "kwd_attrs", "rest",
    }
)  # fmt: skip
_LEAF_NODES = (ast.Constant, ast.MatchSingleton, ast.Global, ast.Nonlocal)  # values, names


class _ChildFields(dict):
    def __missing__(self, cls: type) -> tuple[str, ...]:
        fields: tuple[str, ...] = ()
        if not issubclass(cls, _LEAF_NODES):
            fields = tuple(f for f in getattr(cls, "_fields", ()) if f not in _LEAF_FIELDS)
        self[cls] = fields
        return fields


CHILD_FIELDS: dict[type, tuple[str, ...]] = _ChildFields()


def walk(root: ast.AST, skip: AbstractSet[int] = frozenset()) -> list[ast.AST]:
    """Every node under ``root`` (itself included) but contexts and operators, parents before
    their children; siblings in no useful order. ``skip``: ids of children of ``root`` left out
    with everything under them. A list, not a generator: a yield per node costs a third of
    a scan that reads them all."""
    nodes: list[ast.AST] = []
    add = nodes.append
    stack = [root]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        node = pop()
        if node is None:
            continue  # a ``**`` entry's key in a dict, an absent keyword-only default
        add(node)
        for field in CHILD_FIELDS[type(node)]:
            value = getattr(node, field, None)
            if type(value) is list:
                extend(value)
            elif value is not None:
                push(value)
        if skip and node is root:
            stack[:] = [child for child in stack if id(child) not in skip]
    return nodes


_NAME = re.compile(r"[A-Za-z_]\w*")


def _annotation_names(annotation: ast.expr) -> list[str]:
    """The names an annotation is written with: ``Address``, ``list["Contact"]``, each word of
    one written as a string (``"dict[str, Contact]"``)."""
    names = []
    for node in ast.walk(annotation):
        if type(node) is ast.Name:
            names.append(node.id)
        elif type(node) is ast.Constant and isinstance(node.value, str):
            names.extend(_NAME.findall(node.value))
    return names


def _param_names(node: ast.AST) -> set[str]:
    args = node.args  # type: ignore[attr-defined]
    out = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    out.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    return out


def _words(texts: set[str]) -> set[str]:
    """The words, without leading and trailing underscores; not dunders (``__init__``), but
    private names (``self.__email``) count."""
    return {w.strip("_") for w in texts if not (w.startswith("__") and w.endswith("__"))} - {""}


_CODE_WORD = re.compile(r"\w+")


def _names_person(text: str | None, is_confident: Callable[..., bool]) -> bool:
    """Whether a word of ``text`` may name a person that owns a thing's name read from it.

    A value known only by a name (a column ``by_name``) is judged at high confidence; a
    thing's name (fullname, fname) counts at medium only when read from a person
    (``_columns.classify``: ``person_owner`` of the column's owner). That owner is a name of
    the code (a parameter, a variable or attribute read from, a record class: each a word of
    the text, imported modules' included) or, for what a web request carries, "requester",
    its sender (``python_flow.parameters``), the only owner the analysis names itself."""
    person = getattr(is_confident, "person", None)
    if text is None or person is None or "request" in text:
        return True
    return any(map(person, set(_CODE_WORD.findall(text))))


def _tree_needs_analysis(
    tree: ast.Module,
    is_identifier: Callable[[str], bool],
    is_confident: Callable[[str], bool],
    text: str | None = None,
    public: bool = False,
) -> bool:
    """Whether an identifier-like value may reach a sink or a hash, or the code holds
    transport, a source or (with ``public``) a public grant: then the file is analysed."""
    flows = _Flows(tree, decide=True, text=text, public=public)
    if flows.transport or flows.source or flows.public:
        return True
    names, strings, parts, fields, _keyed = flows.reaching(flows.sinks)
    # Values known only by a name (variables, parameters' fields, dict keys of untraced values)
    # are judged on high confidence only. A dict written through string keys holds real
    # columns (the policy's floor) named by those keys, with no lineage, so only key-like
    # strings (no spaces: not messages) take the policy's floor.
    keys = {s for s in strings if len(s) <= 100 and not any(c.isspace() for c in s)}
    medium = _words(keys | parts)
    texts = {s for s in strings | fields if len(s) <= 100}
    if any(is_identifier(w) for w in medium) or any(is_confident(w) for w in texts):
        return True
    named = [w for w in _words(names) if is_confident(w)]
    if named and (
        any(is_confident(w, owned=False) for w in named) or _names_person(text, is_confident)
    ):
        return True
    # f"{kind}_id": a name written nowhere in the file
    return joins_identifier(flows.builds, flows.code_strings, is_identifier)
