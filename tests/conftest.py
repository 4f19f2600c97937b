"""Shared fixtures: write a small repository, scan it in-process or through the real CLI."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import yaml

from dhlint.engine import CheckOptions, CheckResult, run_check

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory) -> None:
    """The CLI caches results in the user's cache directory: give the test run its own."""
    os.environ["DHLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("dhlint-cache"))


FIXTURES = REPO / "fixtures"
# Hosts that are not vendors for DH640, DH660 and DH690 alike: cluster-internal names (a
# Service, service.namespace of an add-on, cluster DNS), private and loopback addresses.
NOT_VENDOR_HOSTS = (
    "collector.observability:4318",
    "kafka.civiclink.svc.cluster.local:9093",
    "reports.sensors.svc",
    "readings-db:5432",
    "metadata.google.internal",
    "10.20.0.7:9092",
    "localhost:8080",
)
SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"


def write_tree(root: Path, files: dict[str, str], policy: dict | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)  # marks the repository root
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if policy is not None:
        (root / "dhlint.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    return root


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    counter = itertools.count()

    def _make(files: dict[str, str], policy: dict | None = None) -> Path:
        return write_tree(tmp_path / f"repo{next(counter)}", files, policy)

    return _make


@pytest.fixture
def scan(make_repo: Callable[..., Path]) -> Callable[..., CheckResult]:
    """``scan({"main.tf": "..."}, policy={...}, select=[...])`` -> CheckResult (in-process)."""

    def _scan(
        files: dict[str, str],
        policy: dict | None = None,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        paths: Sequence[str] = (".",),
        **options,
    ) -> CheckResult:
        root = make_repo(files, policy)
        return run_check(
            CheckOptions(paths=list(paths), cwd=str(root), select=select, ignore=ignore, **options)
        )

    return _scan


@pytest.fixture
def module_reads(monkeypatch) -> list[str]:
    """The file names of the project modules the Python analysis reads (``python_imports``),
    in order, from an empty cache of module reads."""
    from dhlint.models import python_imports

    python_imports._MODULES.clear()
    reads: list[str] = []
    real_read = python_imports._read
    monkeypatch.setattr(
        python_imports,
        "_read",
        lambda path, *rest: reads.append(os.path.basename(path)) or real_read(path, *rest),
    )
    return reads


def run_cli(
    args: Sequence[str], cwd: Path | str, stdin: str | None = None
) -> subprocess.CompletedProcess:
    """The installed console script (``dhlint``), as a user or pre-commit runs it."""
    exe = Path(sys.executable).with_name("dhlint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "dhlint"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [*cmd, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def rule_ids(result: CheckResult) -> list[tuple[str, str, int]]:
    return [(f.rule_id, f.location.path, f.location.start_line) for f in result.active]


def rule_lines(result: CheckResult, rule: str) -> list[int]:
    """The lines of a rule's active findings, in order."""
    return sorted(f.location.start_line for f in result.active if f.rule_id == rule)


def by_rule(result: CheckResult) -> dict[str, list[tuple[int, str]]]:
    """Active findings as rule id -> [(line, message)], in report order."""
    out: dict[str, list[tuple[int, str]]] = {}
    for f in result.active:
        out.setdefault(f.rule_id, []).append((f.location.start_line, f.message))
    return out


@pytest.fixture(scope="session")
def sarif_validator():
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)
