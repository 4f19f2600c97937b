"""Just enough SQL reading for data flow: the column list of a SELECT and of an INSERT.

Not a SQL parser: a query the regular expressions cannot read yields ``None`` (unknown schema).
"""

from __future__ import annotations

import re

_SELECT = re.compile(
    r"^\s*(?:with\b.*?\)\s*)?select\s+(?:distinct\s+|all\s+)?(.*?)\s+from\s", re.I | re.S
)
_INSERT = re.compile(
    r"^\s*(?:insert|upsert|replace)\s+(?:or\s+\w+\s+)?into\s+[\w.\"`\[\]]+\s*\(([^)]*)\)",
    re.I | re.S,
)
_WRITE = re.compile(r"^\s*(?:insert|upsert|replace|update|merge|copy)\b", re.I)
_AS = re.compile(r"^(.*?)\s+(?:as\s+)?([A-Za-z_][\w]*)$", re.I | re.S)
_IDENT = re.compile(r"[A-Za-z_][\w]*")
_HASHES = {"md5", "sha1", "sha2", "sha256", "sha512", "hash", "xxhash64", "crc32", "digest"}
_KEYED = {"hmac"}
_DIGITS = re.compile(r",\s*(\d+)\s*\)$")
_FUNC = re.compile(r"^([A-Za-z_][\w.]*)\s*\(", re.S)


def _split(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def select_columns(sql: str) -> tuple[list[tuple[str, tuple[str, ...], str]], bool] | None:
    """``([(name, origins, treatment)], star)`` for a SELECT, or ``None`` if not readable.

    ``treatment`` is "raw", or "weak-hash:<fn>" / "keyed" when the column is computed by a
    hash function in the query.
    """
    match = _SELECT.match(sql)
    if not match:
        return None
    out: list[tuple[str, tuple[str, ...], str]] = []
    star = False
    for item in _split(match.group(1)):
        if item == "*" or item.endswith(".*"):
            star = True
            continue
        expr, alias = item, None
        as_match = _AS.match(item)
        head = as_match.group(1).strip() if as_match else ""
        if (
            as_match
            and (not item.rstrip().endswith(")") or " as " in item.lower())
            and head
            and not head.endswith(".")
        ):
            expr, alias = head, as_match.group(2)
        idents = [i for i in _IDENT.findall(expr) if i.lower() not in ("as", "distinct")]
        func = _FUNC.match(expr)
        treatment = "raw"
        origins: tuple[str, ...]
        if func:
            fname = func.group(1).rsplit(".", 1)[-1].lower()
            args = idents[1:]
            origins = tuple(a for a in args if not a.isdigit())
            if fname in _KEYED:
                treatment = "keyed"
            elif fname in _HASHES:
                treatment = f"weak-hash:{fname}"
            elif fname in ("count", "sum", "avg", "min", "max", "stddev"):
                treatment = "aggregate"
            elif fname in ("round", "trunc", "truncate") and _DIGITS.search(expr):
                treatment = "round:" + _DIGITS.search(expr).group(1)
        else:
            origins = (idents[-1],) if idents else ()
        name = alias or (origins[-1] if origins else expr)
        out.append((name, origins or (name,), treatment))
    return out, star


def is_write(sql: str) -> bool:
    return bool(_WRITE.match(sql))


def insert_columns(sql: str) -> list[str]:
    match = _INSERT.match(sql)
    if not match:
        return []
    return [c.strip().strip('"`[]') for c in match.group(1).split(",") if c.strip()]


def table_of(sql: str) -> str | None:
    match = re.search(r"\b(?:into|update|from)\s+([\w.\"`]+)", sql, re.I)
    return match.group(1).strip('"`') if match else None
