"""``dhlint check [PATHS...]``: scan files and report findings."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HELP = "Check files or directories against the data-handling policy."
# ``dhlint.policy.SEVERITIES``, most severe first (not imported: ``dhlint --help`` stays light).
SEVERITIES = ("critical", "high", "medium", "low", "info")
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "html", "markdown")


def _split(values: list[str] | None) -> list[str]:
    """``--select DH1,DH301 --select DH7`` -> ["DH1", "DH301", "DH7"]."""
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], help="files or directories; '-' = stdin")
    parser.add_argument(
        "--output-format", "-f", choices=FORMATS, default="text",
        help="text (default), json, sarif (code scanning), github (annotations), gitlab (Code "
        "Quality), junit (CI test results), html or markdown (the compliance report)",
    )  # fmt: skip
    parser.add_argument("--output-file", "-o", help="write the report here instead of stdout")
    parser.add_argument("--policy", help="policy file (a city's published policy pack)")
    parser.add_argument(
        "--select", action="append", help="only these rules (ids, prefixes, families)"
    )
    parser.add_argument("--extend-select", action="append", help="add these rules to the selection")
    parser.add_argument(
        "--ignore", action="append", help="skip these rules (ids, prefixes, families)"
    )
    parser.add_argument("--stdin-filename", help="name (and kind) of the file read from '-'")
    parser.add_argument(
        "--show-suppressed", action="store_true", help="include suppressed findings"
    )
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not in FILE")
    parser.add_argument(
        "--write-baseline", metavar="FILE", help="record today's findings in FILE and exit 0"
    )
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        metavar="SEVERITY",
        help="exit 1 only for findings this severe or more (critical, high, medium, low, info; "
        "default: the policy's fail_on, info); all are reported",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print findings and errors only")
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="text output: the number of findings of each rule instead of the findings",
    )
    add_run_arguments(parser)
    parser.add_argument(
        "--strict", action="store_true", help="exit 2 when any file could not be fully checked"
    )
    parser.add_argument(
        "--max-file-size",
        type=_not_negative(int),
        default=10_000_000,
        metavar="BYTES",
        help="do not check larger files (exit 1; default 10000000; 0: no limit)",
    )


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Options every command that runs the analysis shares (check, inventory)."""
    parser.add_argument("--var-file", action="append", default=[], help="Terraform variables file")
    parser.add_argument(
        "--jobs",
        "-j",
        type=_not_negative(int),
        default=0,
        metavar="N",
        help="worker processes (default 0: all cores)",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument("--cache-dir", metavar="DIR", help="result cache (default ~/.cache/dhlint)")
    parser.add_argument(
        "--timeout",
        type=_not_negative(float),
        default=60.0,
        metavar="SECONDS",
        help="time limit per file or module (default 60; 0: no limit)",
    )


def _not_negative(kind: type) -> Callable[[str], Any]:
    """An argparse type: a number of ``kind`` that is 0 or more (else a usage error, exit 2)."""

    def convert(text: str) -> Any:
        value = kind(text)  # ValueError: argparse says "invalid int value"
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
        return value

    convert.__name__ = kind.__name__  # argparse names the type in its messages
    return convert


def run_options(args: argparse.Namespace) -> dict:
    """``CheckOptions`` keywords from the options of ``add_run_arguments``."""
    return {
        "var_files": args.var_file,
        "jobs": args.jobs,
        "cache": not args.no_cache,
        "cache_dir": args.cache_dir,
        "timeout": args.timeout,
    }


def run_or_exit_code(options):
    """``run_check``, or exit code 2 after one clear line on a configuration or internal error
    (a traceback only with DHLINT_DEBUG=1)."""
    from dhlint.engine import ConfigError, run_check
    from dhlint.units import tune_gc

    tune_gc()  # the CLI's own process (run_check's library callers keep their settings)
    try:
        return run_check(options)
    except ConfigError as exc:
        print(f"dhlint: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if os.environ.get("DHLINT_DEBUG"):
            raise
        print(f"dhlint: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


def write_output(text: str, output_file: str | None) -> None:
    if not output_file:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    # Atomic: a reader (or an interrupted run) never sees half a report.
    target = Path(output_file)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a directory", output_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        # mkstemp makes it 0600: a report is the user's ordinary file (its mode if replaced).
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    """The mode a new file gets under the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def exit_code(result, exit_zero: bool, strict: bool = False) -> int:
    if result.internal_errors:
        return 2
    if strict and any(d.level != "note" for d in result.diagnostics):
        return 2
    if exit_zero:
        return 0
    unchecked = [d for d in result.diagnostics if d.level == "error"]
    return 1 if result.failing or unchecked else 0


def run(args: argparse.Namespace) -> int:
    from dhlint.engine import CheckOptions

    if args.statistics and args.output_format != "text":
        print("dhlint: error: --statistics is for the text output (-f text)", file=sys.stderr)
        return 2
    stdin_text = sys.stdin.read() if "-" in args.paths else None
    options = CheckOptions(
        paths=args.paths,
        policy_file=args.policy,
        select=_split(args.select),
        ignore=_split(args.ignore),
        extend_select=_split(args.extend_select),
        stdin_text=stdin_text,
        stdin_filename=args.stdin_filename,
        max_bytes=args.max_file_size or sys.maxsize,  # 0: no limit
        fail_on=args.fail_on,
        **run_options(args),
    )
    result = run_or_exit_code(options)
    if isinstance(result, int):
        return result
    if not args.quiet:
        for warning in result.policy.warnings:
            print(f"dhlint: warning: {warning}", file=sys.stderr)
    directories = [p for p in args.paths if p != "-" and os.path.isdir(p)] or (
        [] if args.paths else ["."]
    )
    if not result.files and not result.diagnostics and directories and not args.quiet:
        # Named files of other kinds (a pre-commit run) pass quietly; a directory says so.
        where = ", ".join(directories)
        print(f"dhlint: no Python, Terraform or Kubernetes files under {where}", file=sys.stderr)
    if args.write_baseline:
        from dhlint.baseline import write_baseline

        count = write_baseline(result, args.write_baseline)
        print(f"dhlint: recorded {count} findings in {args.write_baseline}", file=sys.stderr)
        return 2 if result.internal_errors else 0
    if args.baseline:
        from dhlint.baseline import BaselineError, apply_baseline, load_baseline

        try:
            moved = apply_baseline(result, load_baseline(args.baseline))
            if moved:
                print(
                    f"dhlint: {moved} finding{'s' if moved != 1 else ''} matched baseline entries "
                    "of files that no longer exist (renamed or moved); run --write-baseline to "
                    "record their new paths",
                    file=sys.stderr,
                )
        except BaselineError as exc:
            print(f"dhlint: error: {exc}", file=sys.stderr)
            return 2
    if args.output_format == "sarif":
        from dhlint.report.sarif import render

        text = render(result, args.show_suppressed)
    elif args.output_format == "github":
        from dhlint.report.github import render

        text = render(result, args.show_suppressed)
    elif args.output_format == "gitlab":
        from dhlint.report.gitlab import render

        text = render(result)
    elif args.output_format == "junit":
        from dhlint.report.junit import render

        text = render(result)
    elif args.output_format in ("html", "markdown"):
        from dhlint.report import compliance

        # Its links lead to the files from where it is written (-o /tmp/report.html too).
        base = compliance.link_base(result.root, args.output_file)
        text = (
            compliance.render_html(result, base=base)
            if args.output_format == "html"
            else compliance.render_markdown(result, base=base)
        )
    elif args.output_format == "json":
        from dhlint.report.json import render

        text = render(result, args.show_suppressed)
    else:
        from dhlint.report.text import render

        text = render(result, args.show_suppressed, args.quiet, args.statistics)
    try:
        write_output(text, args.output_file)
    except OSError as exc:
        print(
            f"dhlint: error: cannot write {args.output_file}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 2
    if args.output_file and args.output_format != "text" and not args.quiet:
        from dhlint.report.text import summary

        print(summary(result), file=sys.stderr)
    for diag in result.internal_errors:
        print(f"dhlint: {diag.message}", file=sys.stderr)
    return exit_code(result, args.exit_zero, args.strict)
