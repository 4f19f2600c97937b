"""Stream the rows of a data file as lists of strings aligned with its columns (bounded).

Numbers keep their written form (JSON floats are parsed as text) so that the profiler can count
coordinate decimals as published. ``None`` is a missing or null value.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence

from dhlint.datasets.schema import Column, DatasetError, flatten, sniff_dialect

Row = list[str | None]


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def iter_rows(
    kind: str,
    columns: Sequence[Column],
    text: str = "",
    path: str | None = None,
    max_rows: int = 100_000,
    errors: list[DatasetError] | None = None,
) -> Iterator[Row]:
    """At most ``max_rows`` rows; unreadable records are skipped and reported in ``errors``.

    CSV, TSV and JSON lines are streamed from ``path`` when no ``text`` is given (a file too
    large to hold in memory), so memory stays bounded by ``max_rows``.
    """
    if kind in ("csv", "tsv", "jsonl") and not text and path is not None:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            if kind == "jsonl":
                yield from _jsonl_rows(handle, [c.name for c in columns], max_rows, errors)
            else:
                yield from _csv_rows(handle, sample, kind, len(columns), max_rows)
    elif kind in ("csv", "tsv"):
        yield from _csv_rows(io.StringIO(text), text[:4096], kind, len(columns), max_rows)
    elif kind == "jsonl":
        yield from _jsonl_rows(text.splitlines(), [c.name for c in columns], max_rows, errors)
    elif kind == "json":
        yield from _json_rows(text, [c.name for c in columns], max_rows)
    elif kind == "parquet" and path is not None:
        yield from _parquet_rows(path, [c.name for c in columns], max_rows)


def _csv_rows(
    lines: Iterable[str], sample: str, kind: str, width: int, max_rows: int
) -> Iterator[Row]:
    reader = csv.reader(lines, sniff_dialect(sample, kind))
    try:
        next(reader, None)  # header
        for count, row in enumerate(reader):
            if count >= max_rows:
                return
            if not row:
                continue
            values: Row = [v if v != "" else None for v in row[:width]]
            values.extend([None] * (width - len(values)))
            yield values
    except csv.Error as exc:
        raise DatasetError(f"CSV error at line {reader.line_num}: {exc}", reader.line_num) from None


def _jsonl_rows(
    lines: Iterable[str], names: list[str], max_rows: int, errors: list[DatasetError] | None
) -> Iterator[Row]:
    count = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if count >= max_rows:
            return
        try:
            record = json.loads(line, parse_float=str)
        except ValueError:
            if errors is not None:
                errors.append(DatasetError(f"line {number} is not JSON: record skipped", number))
            continue
        if isinstance(record, dict):
            count += 1
            flat = flatten(record)
            yield [_text(flat.get(n)) for n in names]


def _json_rows(text: str, names: list[str], max_rows: int) -> Iterator[Row]:
    data = json.loads(text, parse_float=str)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    for record in data[:max_rows] if isinstance(data, list) else ():
        if isinstance(record, dict):
            flat = flatten(record)
            yield [_text(flat.get(n)) for n in names]


def _parquet_rows(path: str, names: list[str], max_rows: int) -> Iterator[Row]:
    import pyarrow.parquet as pq

    count = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=8192, columns=names):
        for record in batch.to_pylist():
            if count >= max_rows:
                return
            count += 1
            yield [_text(record.get(n)) for n in names]
