"""Differential check of the Python pre-filter: findings with it vs with the full analysis.

    python bench/prefilter_diff.py [--cache FILE] [--why] DIR...

Every ``*.py`` under each DIR is built alone, once with ``python_full_analysis`` (its hits and
analysis seconds cached in FILE, keyed by path, size and mtime: the analysis does not change
while the filter is worked on) and once filtered. Prints the files whose hits differ (a file
the filter dropped that has findings: unsound), then per directory the files analysed, the
analysed files without a finding and the analysis seconds spent on them (process time, noisy
on a shared machine). ``--why``: for each analysed file without a finding, what let it
through: the ast stage's evidence (for a file over ``_AST_STAGE_MAX``, which skips the stage,
what the stage would have found), or "dropped" when the file alone is dropped and only the
project modules it imports keep it."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from dhlint.analysis import BuildEnv, Context, load_detector
from dhlint.catalog import load_catalog
from dhlint.models.python import build_models, identifier_test
from dhlint.policy import default_policy
from dhlint.types import SourceFile

POLICY = default_policy()
RULES = [r for r in load_catalog() if r.detector.startswith("python.")]
DETECTORS = [(rule, load_detector(rule.detector)) for rule in RULES]


def _hits(model) -> list[str]:
    out = []
    for rule, detect in DETECTORS:
        for hit in detect(model, Context(rule=rule, policy=POLICY)):
            out.append(repr((rule.id, hit.location, hit.anchor)))
    return sorted(out)


def _build(source: SourceFile, root: str, options: dict):
    start = time.process_time()
    result = build_models([source], BuildEnv(policy=POLICY, root=root, options=options))
    seconds = time.process_time() - start
    models = result.models
    diags = sorted(repr((d.path, d.message, d.kind)) for d in result.diagnostics)
    return models[0] if models else None, diags, seconds


def why(text: str) -> str:
    """What the stage saw: 'text' (the text stage dropped it), 'big', 'transport', 'source',
    or the words that passed (m: medium words of strings, c: confident names)."""
    from dhlint.frontends import python as fe
    from dhlint.frontends.python_fragments import joins_identifier

    words = identifier_test(POLICY, ast_stage=True)
    if not fe.needs_analysis(text, words):
        return "dropped"
    tree = fe._stdlib_tree(text)
    if not isinstance(tree, fe.ast.Module):
        return "syntax"
    if fe._has_public_text(text) and fe._Flows(tree, decide=True, text=text, public=True).public:
        return "public"
    flows = fe._Flows(tree, decide=True, text=text)
    if flows.transport:
        return "transport"
    if flows.source:
        return "source"
    flows = fe._Flows(tree, text=text)
    names, strings, parts, fields, _ = flows.reaching(flows.sinks)
    keys = {s for s in strings if len(s) <= 100 and not any(c.isspace() for c in s)}
    medium = sorted(w for w in fe._words(keys | parts) if words(w))
    confident = sorted(
        w
        for w in fe._words(names) | {s for s in strings | fields if len(s) <= 100}
        if words.confident(w)
    )
    out = [f"m:{w}" for w in medium[:4]] + [f"c:{w}" for w in confident[:4]]
    if not out and joins_identifier(flows.builds, flows.code_strings, words):
        out = ["joins"]
    return " ".join(out) or "?"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--cache", default="/tmp/prefilter_full_cache.json")
    parser.add_argument("--why", action="store_true")
    args = parser.parse_args()
    cache = json.loads(Path(args.cache).read_text()) if os.path.exists(args.cache) else {}
    bad = 0
    for top in args.dirs:
        root = str(Path(top).resolve())
        paths = sorted(Path(root).rglob("*.py"))
        analysed = empty = 0
        empty_seconds = total_seconds = filter_seconds = 0.0
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            rel = path.relative_to(root).as_posix()
            source = SourceFile(rel, str(path), "python", text)
            stat = path.stat()
            key = f"{path}:{stat.st_size}:{stat.st_mtime_ns}"
            if key not in cache:
                model, diags, seconds = _build(source, root, {"python_full_analysis": True})
                cache[key] = {
                    "hits": _hits(model) if model else [],
                    "diags": diags,
                    "seconds": seconds,
                }
            full = cache[key]
            model, diags, seconds = _build(source, root, {})
            hits = _hits(model) if model else []
            if hits != full["hits"]:
                bad += 1
                print("DIFFER", path, "full:", full["hits"], "filtered:", hits, flush=True)
            total_seconds += full["seconds"]
            if model is not None and model.analysed:
                analysed += 1
                if not full["hits"]:
                    empty += 1
                    empty_seconds += full["seconds"]
                    if args.why:
                        print(f"  {full['seconds']:6.2f} {len(text):7d} {rel}: {why(text)}")
            else:
                filter_seconds += seconds
        print(
            f"{top}: {len(paths)} files, {analysed} analysed, {empty} of them without a finding"
            f" ({empty_seconds:.1f} s of {total_seconds:.1f} s full analysis);"
            f" {filter_seconds:.1f} s on the files skipped",
            flush=True,
        )
        Path(args.cache).write_text(json.dumps(cache))
    print("differences:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
