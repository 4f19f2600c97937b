"""Every rule's examples are tests: bad must fire the rule, good must not.

They run through the real command line (``dhlint.cli.main`` with JSON output, policy from a
``dhlint.yaml`` beside the example), once per example, grouped so that each input language has
its own test ids (``-k terraform`` runs the Terraform examples).
"""

from __future__ import annotations

import json

import pytest

from dhlint.catalog import load_catalog
from dhlint.cli import main
from tests.conftest import write_tree

RULES = load_catalog()
CASES = [
    pytest.param(rule, kind, i, example, id=f"{rule.languages[0]}-{rule.id}-{kind}{i}")
    for rule in RULES
    for kind, examples in (("bad", rule.bad), ("good", rule.good))
    for i, example in enumerate(examples)
]


def _run_example(example, tmp_path, monkeypatch, capsys) -> list[dict]:
    root = write_tree(tmp_path / "repo", example.files, example.policy or None)
    monkeypatch.chdir(root)
    code = main(["check", "--output-format", "json", "."])
    out = capsys.readouterr().out
    data = json.loads(out)
    assert code in (0, 1), data["diagnostics"]
    return data


@pytest.mark.parametrize(("rule", "kind", "index", "example"), CASES)
def test_example(rule, kind, index, example, tmp_path, monkeypatch, capsys):
    data = _run_example(example, tmp_path, monkeypatch, capsys)
    hits = [f for f in data["findings"] if f["rule_id"] == rule.id]
    internal = [d for d in data["diagnostics"] if d["kind"] == "internal"]
    assert not internal, internal
    if kind == "bad":
        assert hits, f"{rule.id} bad example {index} did not fire: {data['findings']}"
        assert any(h["path"] == example.main_file for h in hits), hits
    else:
        assert not hits, f"{rule.id} good example {index} fired: {hits}"


def test_every_rule_has_examples_and_a_detector():
    import importlib

    for rule in RULES:
        assert rule.bad and rule.good, rule.id
        language, _, rest = rule.detector.partition(".")
        if language == "tool":
            continue
        module_name, _, func = rest.partition(":")
        module = importlib.import_module(f"dhlint.detectors.{language}.{module_name}")
        assert callable(getattr(module, func or "detect")), rule.id


LANGUAGES = sorted({r.languages[0] for r in RULES if r.languages[0] != "any"})


@pytest.mark.parametrize("language", LANGUAGES)
def test_examples_through_the_console_script(language, tmp_path):
    """The installed `dhlint` script, in a subprocess, on every rule of a language at once:
    each example in its own repository, all named on one command line would mix roots, so
    one invocation per example directory with the JSON report."""
    from tests.conftest import run_cli

    rules = [r for r in RULES if r.languages[0] == language]
    for rule in rules:
        for kind, example in (("bad", rule.bad[0]), ("good", rule.good[0])):
            root = write_tree(tmp_path / f"{rule.id}-{kind}", example.files, example.policy or None)
            proc = run_cli(["check", "--output-format", "json", "--no-cache", "."], cwd=root)
            assert proc.returncode in (0, 1), proc.stderr
            hits = [f for f in json.loads(proc.stdout)["findings"] if f["rule_id"] == rule.id]
            assert bool(hits) == (kind == "bad"), (rule.id, kind, hits)
