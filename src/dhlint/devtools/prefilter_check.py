"""Check that the Python pre-filter loses nothing on a tree: run dhlint on it twice, with the
pre-filter and with every Python file given the full analysis, and compare the two reports.

python -m dhlint.devtools.prefilter_check PATH...   # exit 1 and the differences if any

The filter must be an optimisation only (issue #7): a finding or diagnostic that one run has
and the other has not is a bug in the filter (or, for a file the filter skips, a finding the
analysis gives that the filter's test does not foresee). Both runs use one process and no
cache, so that the order of files is the same and nothing is reused between them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from dhlint.engine import CheckOptions, run_check
from dhlint.report.json import report_data


def reports(paths: Sequence[str], cwd: str | None = None) -> tuple[dict, dict]:
    """The JSON reports (suppressed findings included) of a run with the pre-filter and of a
    run with the full analysis of every Python file."""

    def report(**build_options: Any) -> dict:
        options = CheckOptions(paths=list(paths), cwd=cwd, jobs=1, build_options=build_options)
        return report_data(run_check(options), show_suppressed=True)

    return report(), report(python_full_analysis=True)


def differences(filtered: dict, full: dict) -> list[str]:
    """What one report holds and the other does not: "-" only with the full analysis (the
    filter lost it), "+" only with the filter."""
    out: list[str] = []
    for part in ("findings", "diagnostics"):
        ours = [repr(item) for item in filtered[part]]
        theirs = [repr(item) for item in full[part]]
        out += [f"- {part[:-1]}: {item}" for item in theirs if item not in ours]
        out += [f"+ {part[:-1]}: {item}" for item in ours if item not in theirs]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dhlint.devtools.prefilter_check")
    parser.add_argument("paths", nargs="+", help="files or directories")
    args = parser.parse_args(argv)
    filtered, full = reports(args.paths)
    found = differences(filtered, full)
    for line in found:
        print(line)
    counted = f"{filtered['summary']['files']} files, {len(full['findings'])} findings"
    print(f"{len(found)} difference(s) ({counted} with the full analysis)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
