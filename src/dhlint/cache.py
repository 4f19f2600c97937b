"""Result cache: one JSON file per unit of work, keyed by everything that decides its result.

The key hashes the unit's files (paths and contents), the policy hash, the enabled rules (their
full catalogue entries), Terraform variable files, and dhlint's version (plus, in a source
checkout, its code's modification times, so a developer never gets stale results). Files a model
builder read from disk beyond the unit (a local Terraform module) are recorded with their hashes
and re-checked on every hit.

Entries are JSON, never pickle: the cache lives in the scanned repository, and a committed cache
must not be able to run code. Writes are atomic (temporary file + rename), so concurrent runs are
safe and a torn entry is impossible; an unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dhlint import __version__
from dhlint.types import Diagnostic, Finding, HostPart, Location, Related, SourceFile

CACHE_DIR_NAME = ".dhlint_cache"
FORMAT = 5


@dataclass
class CachedUnit:
    findings: list[Finding]
    diagnostics: list[Diagnostic]
    facts: list[dict]
    subjects: list[tuple[str, str]]


def default_cache_dir() -> Path:
    """Outside the scanned tree (dhlint never writes there unless asked): the user's cache.

    Entries are content-addressed (paths and contents of the files), so repositories can share
    one directory. ``--cache-dir .dhlint_cache`` keeps a cache inside a repository instead.
    """
    explicit = os.environ.get("DHLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dhlint"


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """dhlint's version, and in a source checkout the newest mtime of its modules."""
    package = Path(__file__).resolve().parent
    stamp = __version__
    if (package.parent.parent / "pyproject.toml").is_file():  # src/ layout checkout
        newest = max((p.stat().st_mtime_ns for p in package.rglob("*.py")), default=0)
        stamp += f"+{newest}"
    return stamp


def file_digest(path: str) -> str | None:
    """A file's content digest; a directory's (a builder looked in it for files: a module's
    other tfvars) is that of its entries' names, so that a file added there is seen."""
    try:
        try:
            with open(path, "rb") as handle:
                return hashlib.sha256(handle.read()).hexdigest()
        except IsADirectoryError:
            names = sorted(f"{e.name}/" if e.is_dir() else e.name for e in os.scandir(path))
            return hashlib.sha256("\0".join(names).encode("utf-8", "surrogatepass")).hexdigest()
    except OSError:
        return None


def unit_key(language: str, files: list[SourceFile], salt: str) -> str:
    h = hashlib.sha256()
    h.update(f"{FORMAT}\0{code_stamp()}\0{salt}\0{language}\0".encode())
    for source in files:
        h.update(source.path.encode() + b"\0")
        h.update(hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).digest())
    return h.hexdigest()


# A finding is a list, not an object with named members: the whole corpus's 20,000 cached
# findings were 8.3 of its entries' 18 MB, decoded on every warm run (a list decodes in a third
# less time, and makes its Finding in half the time). Members, in order: rule, level, severity,
# message, the location's path, start line and column, end line and column, anchor, scope;
# then, only when one is not empty, related and flow; then, only for a vendor finding, hosts
# and args. A related location is [path, start line, start column, end line, end column, label].
_BASE = 11  # the members every finding has


def _related(items: tuple[Related, ...]) -> list[list[Any]]:
    out = []
    for r in items:
        loc = r.location
        out.append([loc.path, loc.start_line, loc.start_col, loc.end_line, loc.end_col, r.label])
    return out


def _related_of(items: list[list[Any]]) -> tuple[Related, ...]:
    return tuple(Related(Location(p, sl, sc, el, ec), label) for p, sl, sc, el, ec, label in items)


def finding_to_data(f: Finding) -> list[Any]:
    loc = f.location
    data: list[Any] = [
        f.rule_id, f.level, f.severity, f.message,
        loc.path, loc.start_line, loc.start_col, loc.end_line, loc.end_col,
        f.anchor, list(f.scope) if f.scope else None,
    ]  # fmt: skip
    if f.related or f.flow or f.hosts:
        data += [_related(f.related), _related(f.flow)]
    if f.hosts:  # a vendor finding: the run-wide step judges its hosts on every run
        hosts = [[p.host, p.url, p.detail, _related(p.related)] for p in f.hosts]
        data += [hosts, f.args]
    return data


def finding_from_data(d: list[Any]) -> Finding:
    if len(d) not in (_BASE, _BASE + 2, _BASE + 4):
        raise ValueError("not a cached finding")
    rule, level, severity, message, path, sl, sc, el, ec, anchor, scope = d[:_BASE]
    related = flow = hosts = ()
    args: dict[str, str] = {}
    if len(d) > _BASE:
        related, flow = _related_of(d[_BASE]), _related_of(d[_BASE + 1])
    if len(d) > _BASE + 2:
        hosts = tuple(HostPart(h, u, det, _related_of(r)) for h, u, det, r in d[_BASE + 2])
        args = dict(d[_BASE + 3])
    return Finding(
        rule, level, severity, message, Location(path, sl, sc, el, ec), anchor,
        tuple(scope) if scope else None, related, flow, hosts=hosts, args=args,
    )  # fmt: skip


def diagnostic_to_data(d: Diagnostic) -> dict[str, Any]:
    return {
        "path": d.path,
        "message": d.message,
        "line": d.line,
        "col": d.col,
        "level": d.level,
        "kind": d.kind,
    }


def diagnostic_from_data(d: dict[str, Any]) -> Diagnostic:
    return Diagnostic(d["path"], d["message"], d["line"], d["col"], d["level"], d["kind"])


class Cache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0
        self._ready: bool | None = None  # the directory is a cache (None: not yet looked at)
        # The digests of the files read beyond the units, once per run: the 2,282 entries of
        # bench/corpus name 5,837 files 34,095 times (a package's modules, probed module paths).
        self._digests: dict[str, str | None] = {}

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedUnit | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("old format")
            for path, digest in data["extra_inputs"].items():
                if self.digest(path) != digest:
                    raise ValueError("a file read beyond the unit changed")
            entry = CachedUnit(
                [finding_from_data(f) for f in data["findings"]],
                [diagnostic_from_data(d) for d in data["diagnostics"]],
                list(data["facts"]),
                [(path, subject) for path, subject in data["subjects"]],
            )
        except (OSError, ValueError, KeyError, IndexError, TypeError, RecursionError):
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def digest(self, path: str) -> str | None:
        """``file_digest``, once per path and run (a ``Cache`` is made for one run)."""
        try:
            return self._digests[path]
        except KeyError:
            found = self._digests[path] = file_digest(path)
            return found

    def put(self, key: str, result: Any) -> None:
        """Store a ``UnitResult`` (findings, diagnostics, extra_inputs, facts, subjects)."""
        if any(d.kind in ("internal", "timeout") for d in result.diagnostics):
            return  # never remember a failure that a re-run might not repeat
        data = {
            "format": FORMAT,
            "extra_inputs": {p: self.digest(p) for p in sorted(set(result.extra_inputs))},
            "findings": [finding_to_data(f) for f in result.findings],
            "diagnostics": [diagnostic_to_data(d) for d in result.diagnostics],
            "facts": result.facts,
            "subjects": result.subjects,
        }
        target = self._path(key)
        try:
            self._ensure_dir()
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
            os.replace(tmp, target)
        except OSError:
            return  # a read-only checkout still gets its results, just not cached

    def _ensure_dir(self) -> None:
        """Make the directory a cache: a new or empty one is marked; one that holds other
        things (``--cache-dir .``) is never written into (an OSError: nothing is stored).
        Looked at once per run, not on every store."""
        if self._ready is None:
            self._ready = self._make_cache_dir()
        if not self._ready:
            raise OSError("not a dhlint cache")

    def _make_cache_dir(self) -> bool:
        if is_cache_dir(self.directory):
            return True
        if self.directory.is_dir() and any(self.directory.iterdir()):
            print(
                f"dhlint: {self.directory} is not empty and not a dhlint cache: "
                "results are not cached there",
                file=sys.stderr,
            )
            return False
        self.directory.mkdir(parents=True, exist_ok=True)
        # Like ruff's cache: ignored by git, and so never scanned or committed.
        (self.directory / ".gitignore").write_text("*\n", encoding="utf-8")
        (self.directory / "CACHEDIR.TAG").write_text(CACHEDIR_TAG, encoding="utf-8")
        return True


# The Cache Directory Tagging Specification's signature, and dhlint's own line.
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# dhlint result cache\n"


def is_cache_dir(directory: Path) -> bool:
    """A directory dhlint made for its cache: its CACHEDIR.TAG says so, or it holds nothing
    but cache entries (two-hex-digit directories, as an older dhlint may have left them)."""
    try:
        if (directory / "CACHEDIR.TAG").read_text(encoding="utf-8") == CACHEDIR_TAG:
            return True
    except (OSError, UnicodeDecodeError):
        pass
    try:
        names = [p.name for p in directory.iterdir()]
    except OSError:
        return False
    return bool(names) and all(
        name == ".gitignore" or re.fullmatch(r"[0-9a-f]{2}", name) for name in names
    )


def clean(directory: Path) -> bool:
    """Remove a dhlint cache; False when there is none. A directory that is not one (no
    dhlint CACHEDIR.TAG: a repository, a home directory) is refused: ``ValueError``."""
    if not directory.is_dir():
        return False
    if not any(directory.iterdir()):
        directory.rmdir()  # an empty directory holds nothing to lose
        return True
    if not is_cache_dir(directory):
        raise ValueError(f"{directory} is not a dhlint cache (no dhlint CACHEDIR.TAG): not removed")
    shutil.rmtree(directory, ignore_errors=True)
    return True
