"""The dataset model: one per data file under the policy's ``datasets`` globs.

A model holds the file's columns, each column's identifier class (from its name) and counts
reduced from at most ``max_rows`` rows (:mod:`dhlint.datasets.profile`): never a value. Text
formats come from ``SourceFile.text`` (already bounded by the engine's file-size limit); Parquet
is read from ``abspath``. dbt ``schema.yml`` and SQL DDL files give columns without rows, so
only the name-based rule applies to them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from dhlint.analysis import BuildEnv, BuildResult
from dhlint.datasets.profile import ColumnProfile, DatasetProfile, classify_columns, profile_rows
from dhlint.datasets.rows import iter_rows
from dhlint.datasets.schema import DATA_KINDS, DatasetError, kind_of, read_columns
from dhlint.types import Diagnostic, Location, SourceFile

DEFAULT_MAX_ROWS = 100_000
HEAD_BYTES = 1_000_000  # where the header of a streamed file must be
MAX_WHOLE_BYTES = 50_000_000  # JSON arrays, dbt and DDL files are read whole


def _text_of(source: SourceFile) -> tuple[str, bool]:
    """(text to read columns from, whether rows must be streamed from ``abspath``).

    The engine hands the file's text; when it hands none (a binary or very large file), the
    head of the file is enough for the columns of CSV/TSV/JSON lines, whose rows are streamed.
    """
    if source.text or not os.path.isfile(source.abspath):
        return source.text, False
    with open(source.abspath, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    text = head.decode("utf-8-sig", errors="replace")
    if len(head) < HEAD_BYTES:
        return text, False
    if kind_of(source.path, text[:4096]) in ("csv", "tsv", "jsonl", "parquet"):
        return text[: text.rfind("\n") + 1], True
    if os.path.getsize(source.abspath) > MAX_WHOLE_BYTES:
        raise DatasetError(f"file is over {MAX_WHOLE_BYTES:,} bytes: not checked")
    with open(source.abspath, encoding="utf-8-sig", errors="replace") as handle:
        return handle.read(), False


@dataclass
class DatasetModel:
    path: str
    kind: str  # csv | tsv | jsonl | json | parquet | dbt | sql | names
    profile: DatasetProfile
    has_rows: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[ColumnProfile]:
        return self.profile.columns

    def location(self, column: ColumnProfile) -> Location:
        end = column.col + max(len(column.name), 1)
        return Location(self.path, column.line, column.col, column.line, end)

    def anchor(self, *names: str) -> str:
        return "column:" + ",".join(names)

    def column(self, name: str) -> ColumnProfile | None:
        return next((c for c in self.columns if c.name == name), None)


def build_model(source: SourceFile, env: BuildEnv) -> tuple[DatasetModel | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    max_rows = int(env.options.get("dataset_max_rows", DEFAULT_MAX_ROWS))
    kind = kind_of(source.path, source.text[:4096])
    try:
        text, stream = _text_of(source) if kind != "parquet" else ("", False)
    except (OSError, DatasetError) as exc:
        return None, [Diagnostic(source.path, getattr(exc, "message", None) or str(exc))]
    kind = kind_of(source.path, text[:4096]) if kind != "parquet" else kind
    if kind != "parquet" and not text.strip():
        return None, [
            Diagnostic(source.path, "empty file: nothing to check", kind="empty", level="note")
        ]
    if kind == "names":
        return None, [
            Diagnostic(
                source.path,
                "dataset file kind not recognised (expected .csv, .tsv, .jsonl, .json, "
                ".parquet, dbt .yml or .sql): not checked",
                kind="skipped",
                level="warning",
            )
        ]
    path = source.abspath if kind == "parquet" or stream else None
    try:
        columns = read_columns(kind, text, path)
    except DatasetError as exc:
        return None, [Diagnostic(source.path, exc.message, exc.line, exc.col)]
    profiles = classify_columns(columns, env.policy)
    has_rows = kind in DATA_KINDS
    errors: list[DatasetError] = []
    try:
        body = "" if stream else text
        rows = iter_rows(kind, columns, body, path, max_rows + 1, errors) if has_rows else ()
        k = int(env.policy.settings.get("k_anonymity", 11))
        profile = profile_rows(profiles, rows, max_rows, min_quasi_columns=1, min_cell=k)
    except DatasetError as exc:
        diagnostics.append(Diagnostic(source.path, exc.message, exc.line, exc.col))
        profile = DatasetProfile(profiles)
    except (ValueError, OSError) as exc:
        diagnostics.append(Diagnostic(source.path, f"cannot read the rows: {exc}"))
        profile = DatasetProfile(profiles)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        diagnostics.append(
            Diagnostic(source.path, first.message + more, first.line, level="warning")
        )
    if profile.truncated:
        diagnostics.append(
            Diagnostic(
                source.path,
                f"read the first {max_rows:,} rows only: group sizes and counts are from them",
                kind="notice",
                level="note",
            )
        )
    return DatasetModel(source.path, kind, profile, has_rows), diagnostics


def build_models(files: Sequence[SourceFile], env: BuildEnv) -> BuildResult:
    result = BuildResult()
    for source in files:
        try:
            model, diagnostics = build_model(source, env)
        except Exception as exc:  # one bad file must not stop the others
            model, diagnostics = (
                None,
                [Diagnostic(source.path, f"cannot read dataset: {type(exc).__name__}: {exc}")],
            )
        result.diagnostics.extend(diagnostics)
        if model is not None:
            result.models.append(model)
    return result
