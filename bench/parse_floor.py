"""The parse-only floor: discovery plus the parse of every file with the parser dhlint uses.

Python files are parsed as a real run parses them: every file once, by the stdlib parser (the
pre-filter's tree and syntax check; the analysis runs on that tree, not parsed again).
No model is built, no rule runs.

    python bench/parse_floor.py PATH...

(``--prepare`` is accepted and does nothing: the floor once needed the text of the files the
pre-filter sends to analysis with some statements left out, which libcst parsed.)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from dhlint.discovery import discover, find_root
from dhlint.policy import find_policy
from dhlint.types import FrontendError
from dhlint.units import tune_gc


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
        return 0
    parsed = failed = 0
    errors: tuple[type[Exception], ...] = (FrontendError, SyntaxError, ValueError)
    if "terraform" in languages:
        from dhlint.frontends import terraform as tf
    if "kubernetes" in languages:
        from dhlint.frontends import kubernetes as k8s
    for source in found.files:
        try:
            if source.language == "python":
                ast.parse(source.text)
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
