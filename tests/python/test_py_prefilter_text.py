"""The pre-filter's text tests are plain-string searches with the regular expressions they
replaced (slower, because they start with ``^\\s*`` or ``\\b``) as their specification."""

from __future__ import annotations

import re
import sysconfig
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dhlint.frontends import python as py

REPO = Path(__file__).resolve().parents[2]

IMPORTS = r"(?:from[\s\\]+|import[\s\\]+(?:[\w.]+(?:[\s\\]+as[\s\\]+\w+)?[\s\\]*,[\s\\]*)*)"
SPEC_TRANSPORT = re.compile(
    r"(?:[\"']\s*|[}%)])[a-zA-Z0-9+.-]*://|[\"']//|Endpoint=|(?i:sslmode)|_create_unverified_context|"
    r"(?i:\bencrypt\s*=|\btrustservercertificate\s*=)|"
    r"\\(?:x3[aA]|x2[fF]|u003[aA]|u002[fF]|U0000003[aA]|U0000002[fF]|072|057|N\{)|"
    r"\b(?:verify_ssl|verify|check_hostname)(?:[\"']\]?)?[\s\\]*(?::|=(?!=))|\bssl(?:[\s\\]*=(?!=)|[\"'][\s\\]*:)|"
    r"[\"'](?:verify_ssl|verify|check_hostname|ssl)[\"']|"
    rf"CERT_NONE|(?:^|[;:])[^\S\n]*{IMPORTS}(?:smtplib|ftplib|paramiko|pysftp|telnetlib|kafka|confluent_kafka|aiokafka|paho)\b|"
    # "http:/" + "/x"; a "//" anywhere in a module that edits texts
    r":/[\"']|\A(?=[\s\S]*//)(?=[\s\S]*(?:replace|removeprefix|removesuffix))",
    re.MULTILINE,
)
GAP = r"(?:[\s\\]|#[^\n]*(?:\n|\Z))*"  # spaces, backslash line breaks, comments
SPEC_DATA_API = re.compile(
    rf"(?:^|[;:])[^\S\n]*{IMPORTS}(?:{py._MODULES})\b|\bprint\b|"
    rf"\b_*(?:log|logger|LOG|LOGGER|logging|log_|audit_log){GAP}\.{GAP}\w|"
    rf"\bhash\b|\.{GAP}(?:send|produce|write\w*|execute\w*|copy_expert|copy_from|upload\w*|"
    r"send_event|send_batch|send_messages|schedule_messages|"
    r"put_object|load_file|load_file_obj|load_string|load_bytes|get_pandas_df|get_records|"
    r"get_first|get_df|get_polars_df|sql|show|getOrCreate|sink_\w+|to_(?:csv|parquet|json|"
    r"excel|feather|orc|pickle|hdf|xml|stata|markdown|html|latex|sql|gbq)|hash_rows|"
    r"hash_pandas_object|md5|sha1|sha224|sha256|sha384|sha512|sha3_(?:224|256|384|512)|"
    r"blake2[bs]|shake_(?:128|256))\b|"
    rf"\bspark{GAP}\.|\bopen\s*\(|"
    # a logger's name ending a word, and a log method called or named (or a comment after a
    # dot) anywhere
    rf"\A(?=[\s\S]*\b_*(?:log|logger|LOG|LOGGER|logging|log_|audit_log)(?!\w))"
    r"(?=[\s\S]*(?:\.[\s\\]*#|(?:\.[\s\\]*|[\"'])(?:debug|info|warning|warn|error|exception|"
    r"critical|fatal|log|msg)\b))",
    re.MULTILINE,
)

# Pieces that sit on either side of the edges the hand-written checks decide.
PIECES = [
    "print(", "print (", "xprint(", "_print(", "é print(", "éprint(", "open(", "reopen(",
    "hash(", "rehash (", "spark.", "myspark.", "log.info(", "_log.x(", "__logger.y(", "a_log.z(",
    "LOG.w(", "LOGGER.v(", "logging.x(", "log_.y(", "audit_log.z(", "my_log.w(",
    ".getOrCreate(", ".copy_expert(", ".load_string (", ".load_file_obj(", ".write.", ".sql(",
    "import os, hashlib", "import os,", " hashlib", "import a as b, ", "import\\\n", "; ", ": ",
    "try: import json", "print", "hash", "= print", "SSLMODE", "niquests", "import re.x, ",
    "log .info", ". send", ".\\\n", "# c\n", ".to_csv", ".to_dict", "spark .", "verify \\\n=",
    "xLOG.u(", "logger.t(", "log.(", "log.a", "import pandas",
    "from json import x", "import jsonschema", "x import json", "  import csv", "\t\nimport yaml",
    "# import pickle", "\u2003import http", "\r import boto3", "import smtplib", "from kafka",
    "import kafkaesque", "\x0cfrom ftplib", "'https://x'", '" s3://b"', "'://'", "verify = False",
    "verify=True", "verify ==", ".verify:", "ssl=", "use_ssl =", "verify_ssl=", "check_hostname",
    '"verify": ', "'check_hostname' :", "'ssl':", '"ssl" :', "ssl:",
    "o['verify'] = ", 'o["verify"]=', ".sha256(", ". md5", ".sha3_256", ".sha3_", ".hash_rows(",
    ".shake_128", ".blake2b", ".blake2x", ".sha2567",
    '"verify"', "'ssl'", "'check_hostname\"", '"verify_ssl', "'verify_', 'ssl\"",
    ":=", "}://", "%s://", "%(s)s://", "x://", "# see http://", "'//", " // ", "\\x2f", "\\x2F",
    "\\072", "\\N{", "\\n", "sslmode", "Endpoint=", "CERT_NONE", ".send(", ".write_csv (", ".show(",
    ".send_event(", ".send_batch", ". send_messages", ".schedule_messages(", ".send_eventx",
    "Encrypt", "ENCRYPT =", "encrypt", "xencrypt", "TrustServerCertificate", "=", "\t=",
    "trustservercertificate", "Encryption=",
    "\n", " ", "_", "x", "é", ";", "\\", "(", ".",
    "getattr(r, 'logger')", "out = self._logger", "emit(log, ", "log_file", "LOG)", "'info'",
    '"warning"', ". error(", ".msg", ".infos(", "infox", ".log(", "import warnings", "warnings",
    "from warnings import warn", ".replace(", "removeprefix", "removesuffix", "'http:/'",
    ':/"', ":/", "//", ". # c\n", ".\\\n info", "log .# x",
]  # fmt: skip


def _same(text: str) -> None:
    assert py._has_transport(text) == (SPEC_TRANSPORT.search(text) is not None), repr(text)
    assert py._has_data_api(text) == (SPEC_DATA_API.search(text) is not None), repr(text)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_text_tests_match_their_regular_expressions_on_edge_pieces(pieces):
    _same("".join(pieces))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\r_.(=:/'\"éxlogLOGprintspark", max_size=40))
def test_text_tests_match_their_regular_expressions_on_random_text(text):
    _same(text)


def test_text_tests_match_their_regular_expressions_on_real_code():
    files = sorted((REPO / "fixtures").rglob("*.py"))
    files += sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    hits = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        _same(text)
        hits += py._has_data_api(text)
    assert hits > 100  # the comparison saw both answers


IMPORT_PATTERNS = (py._CLIENT_IMPORT, py._DATA_IMPORT, py._FHIR_IMPORT, py._DJANGO_MAIL_IMPORT)
IMPORT_PIECES = [
    "import fhir", "from fhirclient import x", "from django.core import mail",
    "from django.core.mail import send_mail", "import redis", "from  os import path",
    "import os, smtplib", "import a as b,\\\n pandas", "if x: import csv", "x; from json",
    "\u2003from yaml", "ximport csv", "# from csv", "fromage", "important", "\r\nfrom csv",
]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES + IMPORT_PIECES), max_size=8))
def test_import_patterns_match_at_line_starts_only(pieces):
    """``_at_import`` (the patterns matched where ``from``/``import`` start a line) answers as
    the pattern searched after ``(?:^|[;:])`` and blanks would; the starts found for one text
    are not reused for the next."""
    text = "".join(pieces)
    for rx in IMPORT_PATTERNS:
        spec = re.compile(rf"(?:^|[;:])[^\S\n]*(?:{rx.pattern})", re.MULTILINE)
        assert py._at_import(rx, text) == (spec.search(text) is not None), (rx.pattern, text)
        assert not py._at_import(rx, text.replace("import", "im port").replace("from", "fr om"))


PUBLIC_PIECES = ("grant_read", "ublic", "UBLIC", "uthenticated", "UTHENTICATED", "llUsers",
                 "rincipal")  # fmt: skip
MAIL_PIECES = ("EMAIL_HOST", "SMTPHandler")


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*PUBLIC_PIECES, *MAIL_PIECES, "U", "H", "UBLI", "lUsers", "EMAIL_", "SMTP", "é",
             "Public", "PUBLI", "x", " "]
        ),
        max_size=8,
    )
)  # fmt: skip
def test_words_found_at_a_capital_are_found_wherever_they_are(pieces):
    """``holds_by`` (the words looked for at each of a rare capital) answers as ``in`` does."""
    text = "".join(pieces)
    assert py._has_public_text(text) == any(piece in text for piece in PUBLIC_PIECES), text
    mail = any(piece in text for piece in MAIL_PIECES)
    assert py.holds_by(text, "H", py._MAIL_SETTINGS) == mail, text
    if mail:
        assert py._has_transport(text)
