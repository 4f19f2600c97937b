"""libcst's parse, for the diagnostics of files the stdlib parser refuses.

The analysis runs on the stdlib ``ast`` tree (``frontends.python_ast``). A file ``ast`` refuses
is given to libcst, which decides whether it is broken (the diagnostic is as it always was:
the stdlib's one-line reason when there is one) or valid syntax newer than this interpreter's
(``def f[T]()`` on Python 3.11). The only module that imports libcst: a run whose files all
parse never pays its import, about a tenth of a second.
"""

from __future__ import annotations

import libcst as cst
from libcst._nodes.base import CSTNode

from dhlint.frontends.python import _stdlib_reason, beyond_limits
from dhlint.types import FrontendError


def parse(text: str) -> cst.Module:
    """Parse a module or raise ``FrontendError`` with a one-line reason and a 1-based position."""
    refused = beyond_limits(text)
    if refused is not None:
        message, line, col = refused
        raise FrontendError(f"Python syntax error: {message}", line, col)
    try:
        return _parse_unchecked(text)
    except cst.ParserSyntaxError as exc:
        # libcst's messages are long; the stdlib parser names the problem in one line.
        message, line, col = _stdlib_reason(text)
        if not message:
            message = exc.message.replace("parser error: ", "").splitlines()[0]
            line, col = exc.raw_line, exc.raw_column + 1
        raise FrontendError(f"Python syntax error: {message}", line, col) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise FrontendError(f"Python file could not be parsed: {type(exc).__name__}") from None


def _parse_unchecked(text: str) -> cst.Module:
    """``cst.parse_module`` without libcst's check of every node it builds.

    The check (``CSTNode.__post_init__`` calling ``_validate``) guards trees built by hand; the
    parser only builds valid ones, and checking them costs about a tenth of the parse. The
    checks only read a node and raise, so skipping them cannot change the tree. The switch is
    process-wide while the parse runs (dhlint parses in one thread per process). Should a
    libcst release move the hook, the parse runs with the checks, as before."""
    check = CSTNode.__dict__.get("__post_init__")
    if check is None:
        return cst.parse_module(text)
    CSTNode.__post_init__ = _no_check  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = check  # type: ignore[method-assign]


def _no_check(self: CSTNode) -> None:
    return None
