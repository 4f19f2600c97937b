"""Command line: argument parsing only. Each sub-command is a module in ``dhlint.commands``.

Exit codes: 0 no unsuppressed findings (at or above ``--fail-on``); 1 findings (or files that
could not be parsed);
2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from dhlint import __version__
from dhlint.compiled import save_dataclass_code, use_dataclass_code

# An explicit list: commands are imported only to build the parser, never by side effect.
COMMANDS = ("check", "rules", "explain", "suppressions", "clean", "classify", "inventory")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line, like argparse
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"dhlint: error: {message}\n")


def _available() -> list[tuple[str, object]]:
    found = []
    for name in COMMANDS:
        try:
            found.append((name, importlib.import_module(f"dhlint.commands.{name}")))
        except ModuleNotFoundError as exc:
            if exc.name != f"dhlint.commands.{name}":
                raise
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dhlint",
        description="Check code and infrastructure against a city's data-handling policy.",
        epilog=(
            "Exit codes: 0 clean, 1 findings (at or above --fail-on) or a file that could not "
            "be read or parsed, 2 usage/configuration/internal error."
        ),
    )
    parser.add_argument("--version", action="version", version=f"dhlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module in _available():
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # `dhlint file.tf` (the pre-commit hook's entry) means `dhlint check file.tf`.
    if not args_list or (
        args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "check")
    use_dataclass_code()  # before the commands import what they need
    try:
        args = build_parser().parse_args(args_list)
        return int(args.run(args))
    except KeyboardInterrupt:
        print("dhlint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: one line and exit 2, not a traceback and 1 ("findings")
        if os.environ.get("DHLINT_DEBUG"):
            raise
        print(f"dhlint: internal error: {type(exc).__name__}: {exc} (please report this)",
              file=sys.stderr)  # fmt: skip
        return 2
    finally:
        save_dataclass_code(stop=True)


def entry() -> None:
    """The ``dhlint`` command (console script and ``python -m dhlint``): ``main``, then the
    process ends without the interpreter's teardown, as mypy's ``hard_exit`` does.

    That teardown frees every object left, one by one, and first runs a full garbage collection
    over the run's models (cyclic: a resource and its companions point at each other), which
    the CLI's garbage collector settings (``units.tune_gc``) leave for the end: 0.25 s of the
    2,001 Terraform files' 3 s. Nothing is left to do then: reports and caches are written and
    closed, a worker pool is shut down, the compiled dataclass code is saved (``main``), so
    only the standard streams are flushed. Under a profiler or tracer (cProfile, coverage),
    which write their results at exit, and when a stream cannot be flushed (a closed pipe),
    the process exits as usual."""
    code = main()
    if sys.getprofile() is None and sys.gettrace() is None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # ValueError: a stream closed
            pass
        else:
            os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
