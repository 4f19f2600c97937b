"""Fuzzing: mutated inputs of every kind go through the whole pipeline.

The property: no exception escapes, no internal error, the run terminates, and the SARIF it
produces validates. CI runs a small profile; for a long run:

    HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhlint.catalog import load_catalog
from dhlint.engine import CheckOptions, run_check
from dhlint.report.sarif import render
from tests.conftest import FIXTURES, write_tree

settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SUFFIXES = {"python": (".py",), "terraform": (".tf", ".tf.json"), "kubernetes": (".yaml", ".yml")}
ALPHABET = st.sampled_from([*"{}[]()\"'`:=,.-#/\\\t\n ${}*&!|>%@", "é", "\x00", "\u2028", "a", "0"])


def _seeds(kind: str) -> list[tuple[str, str]]:
    seeds = []
    for rule in load_catalog():
        for example in (*rule.bad, *rule.good):
            for name, code in example.files.items():
                if name.endswith(SUFFIXES[kind]) and code.strip():
                    seeds.append((name.rsplit("/", 1)[-1], code))
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.name.endswith(SUFFIXES[kind]):
            seeds.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
    return seeds or [("empty" + SUFFIXES[kind][0], "")]


@st.composite
def mutated(draw, kind: str) -> tuple[str, str]:
    name, text = draw(st.sampled_from(_seeds(kind)))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            text = draw(st.text(ALPHABET, max_size=50))
            continue
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 80)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "truncate", "swap-lines"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(ALPHABET, min_size=1, max_size=12)) + text[i:]
        elif op == "truncate":
            text = text[:i]
        else:
            lines = text.splitlines(keepends=True)
            if len(lines) > 1:
                a = draw(st.integers(0, len(lines) - 1))
                b = draw(st.integers(0, len(lines) - 1))
                lines[a], lines[b] = lines[b], lines[a]
                text = "".join(lines)
    return name, text


def _property(name: str, text: str, sarif_validator) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp) / "repo", {f"src/{name}": text, "ok.py": "x = 1\n"})
        result = run_check(CheckOptions(cwd=str(root), jobs=1, timeout=30))
        assert not result.internal_errors, (result.internal_errors, text)
        assert (
            f"src/{name}" in result.files
            or any(d.path == f"src/{name}" for d in result.diagnostics)
            or name.endswith((".yaml", ".yml"))
        )  # YAML without apiVersion/kind is not Kubernetes
        errors = list(sarif_validator.iter_errors(json.loads(render(result))))
        assert errors == [], errors[:1]


@given(case=mutated("python"))
def test_fuzz_python(case, sarif_validator):
    _property(*case, sarif_validator)


@given(case=mutated("terraform"))
def test_fuzz_terraform(case, sarif_validator):
    _property(*case, sarif_validator)


@given(case=mutated("kubernetes"))
def test_fuzz_kubernetes(case, sarif_validator):
    _property(*case, sarif_validator)
