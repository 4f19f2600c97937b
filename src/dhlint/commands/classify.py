"""``dhlint classify``: which columns are personal, by the policy's identifier taxonomy.

Inputs are column names on the command line, or files: a list of names (one per line), a
CSV/TSV header, JSON lines or a JSON array (keys), Parquet (with pyarrow), a dbt
``schema.yml`` or SQL ``CREATE TABLE``. Only names are read (and the first lines of data files);
no value is printed. The same classifier as ``dhlint check`` and the Python analysis.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

NAME = "classify"
HELP = "Classify column names (lists, CSV/JSON/Parquet headers, dbt schemas, SQL DDL)."
FORMATS = ("text", "json", "jsonl")
CATEGORY_ORDER = ("direct", "device", "biometric", "special", "location", "quasi", "none")
HEAD_BYTES = 1_000_000  # a data file's header is in its first megabyte
MAX_BYTES = 50_000_000  # whole-file kinds (JSON array, dbt, DDL, name lists)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="NAME_OR_FILE",
        help="column names, files (names list, .csv, .tsv, .jsonl, .json, .parquet, dbt .yml, "
        ".sql), directories (every such file below) or '-' for names on stdin",
    )
    parser.add_argument(
        "--kind",
        choices=("auto", "names", "csv", "tsv", "jsonl", "json", "parquet", "dbt", "sql"),
        default="auto",
        help="how to read the files (default: from the extension)",
    )
    parser.add_argument(
        "--format",
        "--output-format",
        "-f",
        choices=FORMATS,
        default="text",
        dest="output_format",
        help="text (default), json (one document) or jsonl (one object per column)",
    )
    parser.add_argument("--policy", help="policy file (a city's published policy pack)")
    parser.add_argument(
        "--fail-on",
        metavar="CATEGORIES",
        help="exit 1 if a column is in one of these categories (e.g. direct,device)",
    )


def _read(path: Path, kind: str) -> tuple[str, str]:
    from dhlint.datasets.schema import kind_of

    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    text_head = head.decode("utf-8-sig", errors="replace")
    if kind == "auto":
        kind = kind_of(path.name, text_head[:4096])
    if kind == "parquet":
        return kind, ""
    if kind in ("csv", "tsv", "jsonl"):
        # The header (or the first records): cut at the last complete line.
        if len(head) == HEAD_BYTES:
            text_head = text_head[: text_head.rfind("\n") + 1]
        return kind, text_head
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"file is over {MAX_BYTES:,} bytes")
    return kind, path.read_text(encoding="utf-8-sig")


_DIRECTORY_KINDS = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".json", ".parquet", ".sql")
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", "target", "dbt_packages"}


def _walk(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        if any(part in _SKIP_DIRS for part in path.relative_to(root).parts):
            continue
        if path.is_file() and path.suffix.lower() in (*_DIRECTORY_KINDS, ".yml", ".yaml"):
            found.append(path)
    return found


def collect(args: argparse.Namespace, policy) -> tuple[list[dict], list[str]]:
    """One record per column, and one error line per input that could not be read."""
    from dhlint.datasets.schema import Column, DatasetError, read_columns
    from dhlint.identifiers import classify_name

    records: list[dict] = []
    errors: list[str] = []
    literal: list[Column] = []

    def add(columns: list[Column], source: str) -> None:
        for column in columns:
            match = classify_name(column.name, policy)
            record = {
                "name": column.name,
                "category": match.category if match else "none",
                "confidence": match.confidence if match else None,
                "matched": match.matched if match else None,
                "source": source,
            }
            if column.table:
                record["table"] = column.table
            if source != "<arguments>":
                record["line"] = column.line
            records.append(record)

    def read(path: Path, item: str, quiet: bool = False) -> None:
        try:
            kind, text = _read(path, args.kind)
            add(read_columns(kind, text, str(path)), item)
        except DatasetError as exc:
            if not quiet:
                where = f":{exc.line}" if exc.line else ""
                errors.append(f"{item}{where}: {exc.message}")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            errors.append(f"{item}: cannot read: {exc}")

    for item in args.inputs:
        if item == "-":
            add(read_columns("names", sys.stdin.read()), "<stdin>")
        elif Path(item).is_dir():
            # Every data or schema file below; YAML that is not a dbt schema is skipped quietly.
            for path in _walk(Path(item)):
                read(path, path.as_posix(), quiet=path.suffix.lower() in (".yml", ".yaml"))
        elif Path(item).is_file():
            read(Path(item), item)
        elif "/" in item or Path(item).suffix.lower() in (*_DIRECTORY_KINDS, ".yml", ".txt"):
            errors.append(f"{item}: no such file")  # a mistyped path, not a column name
        else:
            literal.append(Column(item.strip(), 0, 0))
    if literal:
        add(literal, "<arguments>")
    return records, errors


def render_text(records: list[dict]) -> str:
    if not records:
        return "no columns found\n"

    def display(r: dict) -> str:
        return f"{r['table']}.{r['name']}" if r.get("table") else r["name"]

    width = max(len(display(r)) for r in records)
    lines: list[str] = []
    source = None
    for r in records:
        if r["source"] != source:
            if source is not None or r["source"] != "<arguments>":
                lines.append(f"{r['source']}:")
            source = r["source"]
        confidence = r["confidence"] or ""
        matched = f"  ({r['matched']})" if r["matched"] else ""
        row = f"  {display(r):<{width}}  {r['category']:<9}  {confidence:<6}{matched}"
        lines.append(row.rstrip())
    counts = Counter(r["category"] for r in records)
    summary = ", ".join(f"{counts[c]} {c}" for c in CATEGORY_ORDER if counts[c])
    lines.append(f"{len(records)} column{'s' if len(records) != 1 else ''}: {summary}")
    return "\n".join(lines) + "\n"


def render_json(records: list[dict], policy, errors: list[str]) -> str:
    counts = Counter(r["category"] for r in records)
    data = {
        "policy": {"name": policy.name, "version": policy.version, "sha256": policy.hash},
        "columns": records,
        "summary": {c: counts[c] for c in CATEGORY_ORDER},
        "errors": errors,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    from dhlint.discovery import find_root
    from dhlint.policy import PolicyError, find_policy

    try:
        policy = find_policy(find_root(Path.cwd()), args.policy)
    except PolicyError as exc:
        print(f"dhlint: error: {exc}", file=sys.stderr)
        return 2
    fail_on = {c.strip() for c in (args.fail_on or "").split(",") if c.strip()}
    unknown = fail_on - set(CATEGORY_ORDER)
    if unknown:
        print(f"dhlint: error: --fail-on: unknown category {sorted(unknown)}", file=sys.stderr)
        return 2
    records, errors = collect(args, policy)
    if args.output_format == "json":
        sys.stdout.write(render_json(records, policy, errors))
    elif args.output_format == "jsonl":
        sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    else:
        sys.stdout.write(render_text(records))
    for line in errors:
        print(f"dhlint: {line}", file=sys.stderr)
    if errors:
        return 2
    return 1 if any(r["category"] in fail_on for r in records) else 0
