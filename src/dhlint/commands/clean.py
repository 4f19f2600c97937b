"""``dhlint clean``: remove the result cache."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "Remove dhlint's result cache."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache-dir", metavar="DIR", help="cache directory (default: the user's)")


def run(args: argparse.Namespace) -> int:
    from dhlint.cache import clean, default_cache_dir

    directory = Path(args.cache_dir) if args.cache_dir else default_cache_dir()
    removed = clean(directory)
    print(f"dhlint: {'removed' if removed else 'no cache at'} {directory}")
    return 0
