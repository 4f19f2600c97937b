"""The parse-only floor: discovery plus the parse of every file with the parser dhlint uses.

Python files go through the same pre-filter as a real run: libcst for the files it sends to
analysis, the stdlib parser (syntax check) for the others. No model is built, no rule runs.

    python bench/parse_floor.py PATH...
"""

from __future__ import annotations

import sys
from pathlib import Path

from dhlint.discovery import discover, find_root
from dhlint.policy import find_policy
from dhlint.types import FrontendError


def main(paths: list[str]) -> int:
    cwd = Path.cwd()
    root = find_root(cwd / paths[0])
    policy = find_policy(root)
    found = discover(paths, root, exclude=policy.settings["exclude"], cwd=cwd)
    languages = {f.language for f in found.files}
    parsed = failed = 0
    if "python" in languages:
        from dhlint.frontends import python as py
        from dhlint.models.python import identifier_test

        words = identifier_test(policy)
    if "terraform" in languages:
        from dhlint.frontends import terraform as tf
    if "kubernetes" in languages:
        from dhlint.frontends import kubernetes as k8s
    for source in found.files:
        try:
            if source.language == "python":
                if py.needs_analysis(source.text, words):
                    py.parse(source.text)
                else:
                    py.check_syntax(source.text)
            elif source.language == "terraform":
                tf.parse_file(source.path, source.text)
            elif source.language == "kubernetes":
                k8s.parse_file(source.path, source.text, source.abspath)
            parsed += 1
        except FrontendError:
            failed += 1
    print(f"parsed {parsed} files, {failed} with errors", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["."]))
