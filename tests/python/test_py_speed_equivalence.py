"""The two-stage pre-filter (text, then the ``ast`` tree; option ``python_ast_prefilter``,
on by default) must not change findings on real code: a sample of the Python
standard library (code that prints, logs, writes files and names variables ``name`` or ``fp``
without handling personal data) plus the rule examples' pipelines, copied into a temporary
tree, filtered vs analysed in full."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from dhlint.analysis import BuildEnv, Context, load_detector
from dhlint.catalog import load_catalog
from dhlint.models.python import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile

REPO = Path(__file__).resolve().parents[2]
POLICY = default_policy()
RULES = [r for r in load_catalog() if r.detector.startswith("python.")]
# Modules known to reach the analysis for different reasons (URL strings, prints of an
# identifier-named variable, dicts written through string keys, table writers).
ALWAYS = ("socketserver.py", "smtplib.py", "tarfile.py", "configparser.py", "mailbox.py")


def _stdlib_sample(count: int = 60) -> dict[str, str]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    modules = sorted(
        p
        for p in stdlib.glob("*.py")
        if 2_000 < p.stat().st_size < 60_000 and not p.name.startswith(("_", "test"))
    )
    step = max(1, len(modules) // count)
    chosen = modules[::step][:count] + [stdlib / n for n in ALWAYS if (stdlib / n).exists()]
    return {
        f"lib/{p.name}": p.read_text(encoding="utf-8", errors="replace")
        for p in dict.fromkeys(chosen)
    }


def _pipelines() -> dict[str, str]:
    out = {}
    for rule in load_catalog():
        for i, example in enumerate((*rule.bad, *rule.good)):
            for name, code in example.files.items():
                if name.endswith(".py") and not example.policy:
                    out[f"examples/{rule.id}_{i}_{Path(name).name}"] = code
    return out


def _hits(models) -> dict[str, list]:
    out: dict[str, list] = {}
    for rule in RULES:
        detect = load_detector(rule.detector)
        for model in models:
            for hit in detect(model, Context(rule=rule, policy=POLICY)):
                out.setdefault(model.path, []).append((rule.id, hit.location, hit.anchor))
    return {k: sorted(v, key=repr) for k, v in out.items()}


def test_prefilter_keeps_findings_on_stdlib_sample_and_pipelines(tmp_path):
    files = {**_stdlib_sample(), **_pipelines()}
    sources = []
    for rel, text in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        sources.append(SourceFile(rel, str(target), "python", target.read_text("utf-8")))
    options = {"python_ast_prefilter": True}
    filtered = build_models(sources, BuildEnv(policy=POLICY, root=str(tmp_path), options=options))
    full = build_models(
        sources,
        BuildEnv(policy=POLICY, root=str(tmp_path), options={"python_full_analysis": True}),
    )
    assert filtered.diagnostics == full.diagnostics
    hits = _hits(filtered.models)
    assert hits == _hits(full.models)
    assert any(path.startswith("lib/") for path in hits)  # socketserver prints client_address
    assert sum(map(len, hits.values())) >= 30
    skipped = {m.path for m in filtered.models if not m.analysed}
    library = [p for p in files if p.startswith("lib/")]
    assert len(skipped & set(library)) >= len(library) // 3  # the second stage skips many
