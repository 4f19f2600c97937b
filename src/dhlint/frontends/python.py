"""Python frontend: the only module that knows libcst.

Two steps, so that most files of a code base stay cheap (issue 7):

1. ``needs_analysis(text)``: a regular-expression pre-filter on the raw text. A file that imports
   no data, network, storage or logging library, holds no URL and prints nothing identifier-like
   cannot produce a Python finding, so it is never parsed.
2. ``parse(text)``: libcst ``parse_module``. Positions are resolved later, and only when the model
   builder has facts to place (``positions``), through one ``MetadataWrapper`` with
   ``unsafe_skip_copy=True`` so node identity is kept.

The scanned code is never imported, executed or evaluated.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from dhlint.types import FrontendError

# What can produce a finding without any personal data in sight: URL strings (a string that
# starts with scheme://, or an Azure connection string's endpoint),
# certificate checks switched off, and clients that take a bare host name.
_TRANSPORT = re.compile(
    r"[\"']\s*[a-zA-Z][a-zA-Z0-9+.-]*://|Endpoint=|sslmode|verify\s*=\s*False|_create_unverified_context|"
    r"CERT_NONE|^\s*(?:from|import)\s+(?:smtplib|ftplib|paramiko|pysftp|telnetlib|kafka|confluent_kafka|aiokafka)\b",
    re.MULTILINE,
)
# Everything else is about identifiers reaching a sink: it needs a data, storage, network or
# logging API (imported, or called on an object the analysis recognises by name) ...
_MODULES = (
    "pandas|pyspark|polars|csv|json|requests|httpx|urllib|urllib3|aiohttp|http|boto3|botocore|"
    "google|azure|kafka|confluent_kafka|aiokafka|sqlite3|psycopg2|psycopg|pymysql|mysql|"
    "sqlalchemy|pyodbc|cx_Oracle|oracledb|hashlib|hmac|logging|loguru|structlog|airflow|dask|"
    "duckdb|pyarrow|openpyxl|xlsxwriter|orjson|ujson|simplejson|yaml|pickle|smtplib|ftplib|"
    "paramiko|pysftp"
)
_DATA_API = re.compile(
    rf"^\s*(?:from|import)\s+(?:{_MODULES})\b|\bprint\s*\(|\b_*(?:log|logger|LOG|LOGGER)\.\w+\(|"
    r"\bhash\s*\(|\.(?:send|produce|write\w*|execute\w*|upload\w*|put_object|load_file|"
    r"get_pandas_df|get_records|show)\s*\(|\bspark\.|\bopen\s*\(",
    re.MULTILINE,
)
# ... and a word that the name classifier takes for an identifier (decided by the caller).
_WORD = re.compile(r"_*[A-Za-z][A-Za-z0-9_]{1,60}")


def needs_analysis(text: str, is_identifier: Callable[[str], bool] | None = None) -> bool:
    """Cheap, conservative test: can this file produce a Python finding at all?

    Every finding needs either transport evidence in the text (a URL, ``verify=False``,
    ``sslmode``, a mail/FTP/SFTP client), or a data API together with an identifier-like
    word: every column, field or variable name the analysis judges is written in the file.
    """
    if _TRANSPORT.search(text):
        return True
    if not _DATA_API.search(text):
        return False
    if is_identifier is None:
        return True
    words = {w.strip("_") for w in _WORD.findall(text) if not w.startswith("__")}
    return any(is_identifier(word) for word in words)


def parse(text: str) -> cst.Module:
    """Parse a module or raise ``FrontendError`` with a one-line reason and a 1-based position."""
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        # libcst's messages are long; the stdlib parser names the problem in one line.
        message, line, col = _stdlib_reason(text)
        if not message:
            message = exc.message.replace("parser error: ", "").splitlines()[0]
            line, col = exc.raw_line, exc.raw_column + 1
        raise FrontendError(f"Python syntax error: {message}", line, col) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise FrontendError(f"Python file could not be parsed: {type(exc).__name__}") from None


def check_syntax(text: str) -> None:
    """For files the pre-filter skips: the stdlib parser (about ten times cheaper than libcst)
    still reports a syntax error, so every broken file gets its diagnostic."""
    message, line, col = _stdlib_reason(text)
    if message:
        raise FrontendError(f"Python syntax error: {message}", line, col)


def _stdlib_reason(text: str) -> tuple[str, int, int]:
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return (exc.msg or "invalid syntax"), exc.lineno or 0, exc.offset or 0
    except (ValueError, RecursionError, MemoryError):
        pass
    return "", 0, 0


def positions(
    module: cst.Module, tops: Sequence[cst.CSTNode] | None = None, text: str = ""
) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of nodes (libcst: 1-based lines, 0-based columns, end exclusive).

    Positions cost a code-generation pass, about as much as parsing. With ``tops`` (the
    module-level statements that hold the nodes to place) and the source ``text``, only those
    statements are generated, each starting at its line, found with the stdlib parser; the
    result is checked against the text and falls back to the whole module on any mismatch.
    """
    if tops is not None and text:
        try:
            partial = _positions_of(module, tops, text)
        except Exception:  # any surprise: the whole-module pass below is always right
            partial = None
        if partial is not None:
            return partial
    return _all_positions(module)


def _all_positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    try:
        provider = PositionProvider()
        provider._gen_impl(module)  # one codegen pass; MetadataWrapper adds a second visit
        return provider._computed  # type: ignore[return-value]
    except Exception:  # a libcst internals change: take the documented (slower) way
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        return wrapper.resolve(PositionProvider)


_NEWLINE = re.compile(r"\r\n?|\n")


def _positions_of(
    module: cst.Module, tops: Sequence[cst.CSTNode], text: str
) -> Mapping[cst.CSTNode, CodeRange] | None:
    starts = _top_start_lines(module, text)
    if starts is None:
        return None
    line_offsets = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    provider = PositionProvider()
    for top in tops:
        line = starts.get(id(top))
        if line is None or not 1 <= line <= len(line_offsets):
            return None
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=provider,
        )
        state.line = line
        top._codegen(state)
        code = "".join(state.tokens)
        offset = line_offsets[line - 1]
        if text[offset : offset + len(code)] != code:
            return None
    return provider._computed  # type: ignore[return-value]


def _top_start_lines(module: cst.Module, text: str) -> dict[int, int] | None:
    """First line (leading comments and blank lines included) of each module-level statement."""
    try:
        body = ast.parse(text).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    starts: dict[int, int] = {}
    index = 0
    for stmt in module.body:
        if index >= len(body):
            return None
        first = body[index]
        index += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
        line = first.lineno
        lead = len(stmt.leading_lines)  # type: ignore[attr-defined]
        decorators = getattr(stmt, "decorators", ())
        if decorators and getattr(first, "decorator_list", None):
            line = min(d.lineno for d in first.decorator_list)  # type: ignore[attr-defined]
            lead += len(decorators[0].leading_lines)
        starts[id(stmt)] = line - lead
    return starts if index == len(body) else None


def code_of(module: cst.Module, node: cst.CSTNode) -> str:
    return module.code_for_node(node)
