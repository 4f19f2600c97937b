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
from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from dhlint.types import FrontendError

# Modules whose use can move personal data (sources, transforms, sinks) or reach the network.
_MODULES = (
    "pandas|pyspark|polars|csv|json|requests|httpx|urllib|urllib3|aiohttp|http|boto3|botocore|"
    "google|azure|smtplib|ftplib|paramiko|pysftp|kafka|confluent_kafka|sqlite3|psycopg2|psycopg|"
    "pymysql|mysql|sqlalchemy|pyodbc|cx_Oracle|oracledb|hashlib|hmac|logging|loguru|structlog|"
    "airflow|dask|duckdb|pyarrow|openpyxl|xlsxwriter|ssl"
)
_IMPORT = re.compile(rf"^\s*(?:from|import)\s+(?:{_MODULES})\b", re.MULTILINE)
# Text that matters even without an import: URLs, TLS switches, connection strings, and calls
# the analysis recognises on objects it cannot trace to an import (a Databricks notebook's
# ``spark``, a client passed in as a parameter).
_TEXT = re.compile(
    r"https?://|ftp://|wss?://|sslmode|verify\s*=\s*False|_create_unverified_context|read_csv|"
    r"to_csv|\.write\b|\bspark\.|upload_f|upload_blob|put_object|load_file|\.execute\w*\(|"
    r"get_pandas_df|get_records"
)
# Sinks that need no import (print, a logger passed in, hash(), a producer): they only matter
# next to an identifier-like word.
_NAMED_SINK = re.compile(
    r"\bprint\s*\(|\b_*(?:log|logger|LOG|LOGGER)\.\w+\(|\bhash\s*\(|\.(?:send|produce)\("
)


def needs_analysis(text: str, identifier_words: re.Pattern[str] | None = None) -> bool:
    """Cheap, conservative test: can this file produce a Python finding at all?"""
    if _IMPORT.search(text) or _TEXT.search(text):
        return True
    if _NAMED_SINK.search(text):
        return identifier_words is None or identifier_words.search(text) is not None
    return False


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


def positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """Position of every node (libcst: 1-based lines, 0-based columns, end exclusive)."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    return wrapper.resolve(PositionProvider)


def code_of(module: cst.Module, node: cst.CSTNode) -> str:
    return module.code_for_node(node)
