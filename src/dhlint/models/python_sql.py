"""Just enough SQL reading for data flow: the column list of a SELECT and of an INSERT.

Not a SQL parser: a query the regular expressions cannot read yields ``None`` (unknown schema).
"""

from __future__ import annotations

import re

# Every pattern here runs in linear time: a query is scanned text, and the C regex engine
# cannot be interrupted by the per-file time limit. (``select\s+(.*?)\s+from`` took 12 s on a
# query with 2,000 spaces, as backtracking tried every split of the run.)
_SELECT_HEAD = re.compile(
    r"^\s*(?:with\b.*?\)\s*)?select\s+(?:(?P<kw>distinct|all)\s+)?", re.I | re.S
)
_FROM = re.compile(r"\sfrom\s", re.I)
# DELETE/UPDATE ... RETURNING cols: rows as a SELECT's (PostgreSQL, SQLite 3.35+)
_CHANGE_HEAD = re.compile(r"^\s*(?:delete|update)\s", re.I)
_RETURNING = re.compile(r"\sreturning\s", re.I)
_INSERT = re.compile(
    r"^\s*(?:insert|upsert|replace)\s+(?:or\s+\w+\s+)?into\s+[\w.\"`\[\]]+\s*\(([^)]*)\)",
    re.I | re.S,
)
_WRITE = re.compile(r"^\s*(?:insert|upsert|replace|update|merge|copy)\b", re.I)
_ALIAS = re.compile(r"\s([A-Za-z_]\w*)\n?\Z")  # a name after white space, at the end
_AS_WORD = re.compile(r"\sas\Z", re.I)
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


def _select_list(sql: str) -> str | None:
    r"""The column list of a SELECT: what ``select\s+(.*?)\s+from\s`` would capture."""
    head = _SELECT_HEAD.match(sql)
    if head is None:
        returning = _RETURNING.search(sql) if _CHANGE_HEAD.match(sql) else None
        return sql[returning.end() :].strip().rstrip(";").strip() if returning else None
    start = head.end()
    found = _FROM.search(sql, start)
    if found is not None:
        end = found.start()
        while end > start and sql[end - 1].isspace():  # the list stops at the white space
            end -= 1
        return sql[start:end]
    # No FROM after the head: the pattern gives the head's last white space back to a FROM
    # that starts there (an empty list, when the head has more), or else lets DISTINCT/ALL
    # be the list.
    if _FROM.match(sql, start - 1):
        if sql[start - 2].isspace():
            return ""
        if head.group("kw"):
            return sql[head.start("kw") : start - 1]
    return None


def _alias(item: str) -> tuple[str, str] | None:
    r"""``(head, alias)`` of ``head [AS] alias``, as ``^(.*?)\s+(?:as\s+)?(\w+)$`` splits it."""
    found = _ALIAS.search(item)
    if found is None:
        return None
    end = found.start()
    while end and item[end - 1].isspace():
        end -= 1
    head = item[:end]
    as_word = _AS_WORD.search(head)
    if as_word is not None:  # "x AS y": AS goes with the alias, when white space precedes it
        head = head[: as_word.start()]
    return head, found.group(1)


def select_columns(sql: str) -> tuple[list[tuple[str, tuple[str, ...], str]], bool] | None:
    """``([(name, origins, treatment)], star)`` for a SELECT, or ``None`` if not readable.

    ``treatment`` is "raw", or "weak-hash:<fn>" / "keyed" when the column is computed by a
    hash function in the query.
    """
    columns = _select_list(sql)
    if columns is None:
        return None
    out: list[tuple[str, tuple[str, ...], str]] = []
    star = False
    for item in _split(columns):
        if item == "*" or item.endswith(".*"):
            star = True
            continue
        expr, alias = item, None
        split = _alias(item)
        head = split[0].strip() if split else ""
        if (
            split
            and (not item.rstrip().endswith(")") or " as " in item.lower())
            and head
            and not head.endswith(".")
        ):
            expr, alias = head, split[1]
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


_COPY = re.compile(r"^\s*copy\b\s*", re.I)
_COPY_TABLE = re.compile(r"[\w.\"]+", re.I)
_COPY_TO = re.compile(r"to\s*'([^']*)'", re.I)  # after the white space (``_SPACE``)
_SPACE = re.compile(r"\s*")


def copy_to(sql: str) -> tuple[str, str] | None:
    """``(what, target)`` of ``COPY (<query>) TO '<target>'`` or ``COPY <table> TO '<target>'``
    (DuckDB's export, PostgreSQL's server-side file): the query's text or the table's name and
    the file or URL written. ``None`` for anything else (``COPY ... FROM``, ``TO STDOUT``)."""
    head = _COPY.match(sql)
    if head is None:
        return None
    start = head.end()
    if sql.startswith("(", start):
        depth, end = 0, start
        for end in range(start, len(sql)):  # the query's closing bracket
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                break
        if depth:
            return None
        what, rest = sql[start + 1 : end].strip(), end + 1
    else:
        table = _COPY_TABLE.match(sql, start)
        if table is None:
            return None
        what, rest = table.group(0).strip('"'), table.end()
    target = _COPY_TO.match(sql, _SPACE.match(sql, rest).end())  # type: ignore[union-attr]
    return (what, target.group(1)) if target else None


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
