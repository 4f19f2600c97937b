"""The parse-only floor: discovery plus the parse of every file with the parser dhlint uses.

Python files are parsed as a real run parses them: every file by the stdlib parser (the
pre-filter's tree and syntax check), and the files the pre-filter sends to analysis by libcst,
sliced as the real run slices them. Which files those are, and their sliced text, is decided
beforehand by ``--prepare`` (not timed: deciding is not parsing). No model is built, no rule
runs.

    python bench/parse_floor.py --prepare PATH...   # once, untimed
    python bench/parse_floor.py PATH...
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from dhlint.discovery import discover, find_root
from dhlint.policy import find_policy
from dhlint.types import FrontendError
from dhlint.units import tune_gc

SELECTION = Path(__file__).resolve().parent / ".floor-python.json"  # beside, not in the corpus


def main(argv: list[str]) -> int:
    tune_gc()  # the collector settings of a dhlint run: the parse costs what it costs there
    prepare = "--prepare" in argv
    paths = [a for a in argv if a != "--prepare"] or ["."]
    cwd = Path.cwd()
    root = find_root(cwd / paths[0])
    policy = find_policy(root)
    found = discover(paths, root, exclude=policy.settings["exclude"], cwd=cwd)
    languages = {f.language for f in found.files}
    if prepare:
        from dhlint.frontends import python as py
        from dhlint.models.python import identifier_test

        words = identifier_test(policy, ast_stage=True)
        selection = {
            s.path: py.sliced(s.text, words) if py.needs_analysis(s.text, words) else None
            for s in found.files
            if s.language == "python"
        }
        SELECTION.write_text(json.dumps(selection), encoding="utf-8")
        return 0
    parsed = failed = 0
    errors: tuple[type[Exception], ...] = (FrontendError, SyntaxError, ValueError)
    if "python" in languages:
        from libcst import ParserSyntaxError

        from dhlint.frontends import python_cst

        errors = (*errors, ParserSyntaxError)

        selection = json.loads(SELECTION.read_text(encoding="utf-8"))
    if "terraform" in languages:
        from dhlint.frontends import terraform as tf
    if "kubernetes" in languages:
        from dhlint.frontends import kubernetes as k8s
    for source in found.files:
        try:
            if source.language == "python":
                ast.parse(source.text)
                sliced = selection.get(source.path)
                if sliced is not None:
                    # libcst's parse as the run calls it: there, ``parse`` finds the stdlib tree
                    # of the sliced text in the pre-filter's cache for its limits check; here
                    # it would parse the text with ``ast`` a second time.
                    python_cst._parse_unchecked(sliced)
            elif source.language == "terraform":
                tf.parse_file(source.path, source.text)
            elif source.language == "kubernetes":
                k8s.parse_file(source.path, source.text, source.abspath)
            parsed += 1
        except errors:
            failed += 1
    print(f"parsed {parsed} files, {failed} with errors", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
