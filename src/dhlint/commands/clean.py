"""``dhlint clean``: remove the result cache."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "Remove dhlint's result cache."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", metavar="DIR", help="cache directory (default: the user's)")


def run(args: argparse.Namespace) -> int:
    from dhlint.cache import clean, default_cache_dir

    directory = Path(args.cache_dir) if args.cache_dir else default_cache_dir()
    try:
        removed = clean(directory)
    except ValueError as exc:
        print(f"dhlint: error: {exc}", file=sys.stderr)
        return 2
    print(f"dhlint: {'removed' if removed else 'no cache at'} {directory}")
    return 0
