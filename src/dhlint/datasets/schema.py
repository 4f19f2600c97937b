"""Column names (with positions) from the file kinds ``dhlint classify`` and the dataset rules read.

Kinds: ``names`` (one name per line, ``#`` comments), ``csv``, ``tsv``, ``jsonl``, ``json`` (an
array of objects), ``parquet`` (needs pyarrow), ``dbt`` (``schema.yml``: models, sources, seeds,
snapshots) and ``sql`` (``CREATE TABLE`` statements). Positions are 1-based; Parquet columns
have no text position and point at line 1.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

KINDS = ("names", "csv", "tsv", "jsonl", "json", "parquet", "dbt", "sql")
DATA_KINDS = ("csv", "tsv", "jsonl", "json", "parquet")  # kinds with rows
_EXTENSIONS = {
    ".txt": "names",
    ".lst": "names",
    ".names": "names",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".yml": "dbt",
    ".yaml": "dbt",
    ".sql": "sql",
    ".ddl": "sql",
}
JSON_SCAN_LINES = 1000  # JSON lines records scanned for keys


class DatasetError(Exception):
    """A file that cannot be read as the kind it claims; ``line`` is 1-based (0 = unknown)."""

    def __init__(self, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass(frozen=True)
class Column:
    name: str
    line: int = 1
    col: int = 1
    table: str = ""  # dbt model / SQL table, when the file declares several
    declared_type: str = ""


def kind_of(path: str, head: str = "") -> str:
    """The kind of a file from its extension, else from a sniff of its first bytes."""
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        kind = _EXTENSIONS[suffix]
        if kind == "json" and _looks_like_jsonl(head):
            return "jsonl"
        return kind
    stripped = head.lstrip()
    if re.match(r"(?is)(--[^\n]*\n\s*)*create\s", stripped):
        return "sql"
    if stripped.startswith("{"):
        return "jsonl"
    if stripped.startswith("["):
        return "json"
    first = stripped.split("\n", 1)[0]
    if "\t" in first:
        return "tsv"
    if "," in first:
        return "csv"
    return "names"


def _looks_like_jsonl(head: str) -> bool:
    lines = [ln for ln in head.splitlines() if ln.strip()][:2]
    return len(lines) == 2 and all(ln.lstrip().startswith("{") for ln in lines)


def read_columns(kind: str, text: str = "", path: str | None = None) -> list[Column]:
    """The columns a file declares. Raises :class:`DatasetError` with a one-line reason."""
    if kind == "names":
        return _names(text)
    if kind in ("csv", "tsv"):
        return csv_header(text, kind)[0]
    if kind == "jsonl":
        return _jsonl_keys(text)
    if kind == "json":
        return _json_keys(text)
    if kind == "parquet":
        if path is None:
            raise DatasetError("Parquet is read from a file, not from text")
        return [Column(name) for name in parquet_names(path)]
    if kind == "dbt":
        return _dbt_columns(text)
    if kind == "sql":
        return ddl_columns(text)
    raise DatasetError(f"unknown input kind '{kind}' (one of {', '.join(KINDS)})")


def _names(text: str) -> list[Column]:
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        name = line.split("#", 1)[0].strip()
        if name:
            out.append(Column(name, number, line.index(name) + 1))
    return out


def sniff_dialect(sample: str, kind: str) -> type[csv.Dialect] | csv.Dialect:
    if kind == "tsv":
        return csv.excel_tab
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in ",;|\t"}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","

    class _Dialect(csv.excel):
        pass

    _Dialect.delimiter = delimiter
    return _Dialect


def csv_header(text: str, kind: str = "csv") -> tuple[list[Column], type[csv.Dialect]]:
    """The header row of a CSV/TSV text with each cell's position."""
    if not text.strip():
        raise DatasetError("empty file: no header row")
    dialect = sniff_dialect(text[:4096], kind)
    try:
        header = next(csv.reader(io.StringIO(text), dialect))
    except (csv.Error, StopIteration) as exc:
        raise DatasetError(f"cannot read the CSV header: {exc}", 1) from None
    first_line = text.split("\n", 1)[0]
    columns, pos = [], 0
    for cell in header:
        name = cell.strip()
        found = first_line.find(name, pos) if name else -1
        col = found + 1 if found >= 0 else pos + 1
        if found >= 0:
            pos = found + len(name)
        columns.append(Column(name, 1, col))
    return columns, dialect


MAX_DEPTH = 3  # nested objects are flattened to dotted names this deep


def flatten(record: dict, prefix: str = "", depth: int = 1) -> dict[str, object]:
    """``{"location": {"latitude": 1}}`` -> ``{"location.latitude": 1}`` (lists stay values)."""
    out: dict[str, object] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and depth < MAX_DEPTH:
            out.update(flatten(value, name + ".", depth + 1))
        else:
            out[name] = value
    return out


def _key_position(line: str, key: str, start: int = 0) -> int:
    """Column of a (dotted) key in a line: each part is searched after the previous one."""
    found = start - 1
    for part in key.split("."):
        at = line.find(json.dumps(part), found + 1)
        if at < 0:
            break
        found = at
    return found + 1 if found >= 0 else 1


def _jsonl_keys(text: str) -> list[Column]:
    seen: dict[str, Column] = {}
    records = 0
    first_error: DatasetError | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            # The row reader skips (and reports) bad records; fail only if none is good.
            first_error = first_error or DatasetError(f"line {number} is not JSON: {exc}", number)
            continue
        if not isinstance(record, dict):
            first_error = first_error or DatasetError(f"line {number} is not a JSON object", number)
            continue
        for key in flatten(record):
            if key not in seen:
                seen[key] = Column(key, number, _key_position(line, key))
        records += 1
        if records >= JSON_SCAN_LINES:
            break
    if not records and first_error is not None:
        raise first_error
    return list(seen.values())


def _json_keys(text: str) -> list[Column]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 0)
        raise DatasetError(f"not valid JSON: {getattr(exc, 'msg', exc)}", line) from None
    if isinstance(data, dict):
        # {"data": [...]} / {"records": [...]}: the first list of objects.
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    if not isinstance(data, list):
        raise DatasetError("JSON data must be an array of objects")
    seen: dict[str, Column] = {}
    for record in data[:JSON_SCAN_LINES]:
        if isinstance(record, dict):
            for key in flatten(record):
                if key not in seen:
                    seen[key] = Column(key, *_text_position(text, json.dumps(key.split(".")[-1])))
    return list(seen.values())


def _text_position(text: str, needle: str) -> tuple[int, int]:
    offset = text.find(needle)
    if offset < 0:
        return 1, 1
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parquet_names(path: str) -> list[str]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DatasetError(
            "reading Parquet needs pyarrow (pip install 'dhlint[parquet]'): file not checked"
        ) from None
    try:
        return list(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises many types for a corrupt file
        raise DatasetError(f"cannot read Parquet schema: {exc}") from None


# -- dbt schema.yml -------------------------------------------------------------------------
def _dbt_columns(text: str) -> list[Column]:
    # The Kubernetes frontend's YAML reader: libyaml's event stream, read iteratively, with
    # limits on nesting and alias expansion (``yaml.compose`` recurses in C, and a document
    # nested thousands of levels deep crashes the process).
    from dhlint.frontends.kubernetes import Node, YamlError, parse_documents

    try:
        roots = parse_documents(text)
    except YamlError as exc:
        message = exc.message.replace("invalid YAML:", "not valid YAML:", 1)
        raise DatasetError(message, exc.line) from None
    if len(roots) > 1:
        raise DatasetError("not valid YAML: expected a single document in the stream")
    root = roots[0] if roots else None
    if root is None or root.kind != "map":
        raise DatasetError("a dbt schema file is a mapping with 'models' or 'sources'")
    out: list[Column] = []

    def get(node: Node | None, key: str, kind: str | None = None) -> Node | None:
        """The value under ``key`` (of that ``kind``, when given)."""
        if node is not None and node.kind == "map":
            for k, v in node.value:
                if k.kind == "scalar" and k.value == key:
                    return v if kind is None or v.kind == kind else None
        return None

    def columns_of(table_node: Node, table: str) -> None:
        cols = get(table_node, "columns", "seq")
        for item in cols.value if cols is not None else ():
            name = get(item, "name", "scalar")
            if name is not None and name.value:
                dtype = get(item, "data_type", "scalar")
                out.append(
                    Column(name.value, name.line, name.col, table, dtype.value if dtype else "")
                )

    def table_name(node: Node) -> str:
        name = get(node, "name", "scalar")
        return name.value if name is not None else ""

    for section in ("models", "seeds", "snapshots", "analyses"):
        seq = get(root, section, "seq")
        for model in seq.value if seq is not None else ():
            columns_of(model, table_name(model))
    sources = get(root, "sources", "seq")
    for source in sources.value if sources is not None else ():
        tables = get(source, "tables", "seq")
        for table in tables.value if tables is not None else ():
            columns_of(table, f"{table_name(source)}.{table_name(table)}")
    if not out and get(root, "models") is None and get(root, "sources") is None:
        raise DatasetError("not a dbt schema file: no 'models' or 'sources'")
    return sorted(out, key=lambda c: (c.line, c.col))


# -- SQL DDL --------------------------------------------------------------------------------
_CREATE = re.compile(
    r"\bcreate\s+(?:or\s+replace\s+)?(?:(?:global|local)\s+)?(?:temp(?:orary)?\s+|external\s+"
    r"|unlogged\s+|transient\s+|volatile\s+)*table\s+(?:if\s+not\s+exists\s+)?"
    r"((?:[`\"\[]?[\w$-]+[`\"\]]?\s*\.\s*)*[`\"\[]?[\w$-]+[`\"\]]?)\s*\(",
    re.IGNORECASE,
)
_CONSTRAINT = re.compile(
    r"(?i)(constraint|primary\s+key|foreign\s+key|unique|check|index|key|fulltext|spatial"
    r"|exclude|like|period\s+for)\b"
)


def _mask_sql(text: str) -> str:
    """The text with comments and string literals blanked (same length, same newlines)."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        two = text[i : i + 2]
        if two == "--":
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif two == "/*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text[i] == "'":
            j = i + 1
            while j < n and not (text[j] == "'" and text[j + 1 : j + 2] != "'"):
                j += 2 if text[j : j + 2] == "''" else 1
            j = min(j + 1, n)
        else:
            i += 1
            continue
        for k in range(i, j):
            if out[k] != "\n":
                out[k] = " "
        i = j
    return "".join(out)


def ddl_columns(text: str) -> list[Column]:
    masked = _mask_sql(text)
    out: list[Column] = []
    found_table = False
    for match in _CREATE.finditer(masked):
        found_table = True
        table = re.sub(r"[`\"\[\]\s]", "", match.group(1))
        start = match.end()
        depth, i, item_start = 1, start, start
        items: list[tuple[int, int]] = []
        while i < len(masked) and depth:
            ch = masked[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    items.append((item_start, i))
            elif ch == "," and depth == 1:
                items.append((item_start, i))
                item_start = i + 1
            i += 1
        for a, b in items:
            item = masked[a:b]
            lead = len(item) - len(item.lstrip())
            body = item.strip()
            if not body or _CONSTRAINT.match(body):
                continue
            m = re.match(r'`([^`]+)`|"([^"]+)"|\[([^\]]+)\]|([\w$]+)', body)
            if not m:
                continue
            name = next(g for g in m.groups() if g)
            offset = a + lead
            line = masked.count("\n", 0, offset) + 1
            col = offset - (masked.rfind("\n", 0, offset) + 1) + 1
            dtype = body[m.end() :].strip().split()[0] if body[m.end() :].strip() else ""
            out.append(Column(name, line, col, table, dtype))
    if not found_table:
        raise DatasetError("no CREATE TABLE statement found")
    return out
