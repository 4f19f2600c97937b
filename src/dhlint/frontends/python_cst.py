"""Python frontend, second half: the libcst parse, and the positions of what the model places.

The only module that knows libcst (the pre-filter, ``frontends.python``, needs only the stdlib
``ast``). ``parse(text)`` is libcst's ``parse_module``. Positions are resolved later, and only
when the model builder has facts to place (``positions``), through one ``MetadataWrapper`` with
``unsafe_skip_copy=True`` so node identity is kept, or only for the statements that hold them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence

import libcst as cst
from libcst._nodes.base import CSTNode
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from dhlint.frontends.python import _stdlib_reason, _stdlib_tree, beyond_limits
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


def positions(
    module: cst.Module, tops: Sequence[cst.CSTNode] | None = None, text: str = ""
) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of nodes (libcst: 1-based lines, 0-based columns, end exclusive).

    Positions cost a code-generation pass, about as much as parsing. With ``tops`` (the
    innermost statements that hold the nodes to place) and the source ``text``, only those
    statements are generated, each starting at its line, found with the stdlib parser; the
    result is checked against the text and falls back to the whole module on any mismatch.
    """
    if tops is not None and text:
        try:
            partial = _positions_of(module, tops, text)
        except Exception:  # any surprise: the whole-module pass below is always right
            partial = None
        if partial is not None:
            return partial
    return _all_positions(module)


def _all_positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    try:
        provider = PositionProvider()
        provider._gen_impl(module)  # one codegen pass; MetadataWrapper adds a second visit
        return provider._computed  # type: ignore[return-value]
    except Exception:  # a libcst internals change: take the documented (slower) way
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        return wrapper.resolve(PositionProvider)


_NEWLINE = re.compile(r"\r\n?|\n")


def _positions_of(
    module: cst.Module, tops: Sequence[cst.CSTNode], text: str
) -> Mapping[cst.CSTNode, CodeRange] | None:
    """Positions of the nodes in ``tops`` (statements at any depth): each is generated alone
    from its first line, or, when it has no line of its own (a statement after ``if x:`` on
    the same line, an ``elif``), the nearest enclosing statement that has."""
    found = _statement_starts(module, text)
    if found is None:
        return None
    starts, parents = found
    units: dict[int, cst.CSTNode] = {}
    for top in tops:
        unit: cst.CSTNode | None = top
        while unit is not None and id(unit) not in starts:
            unit = parents.get(id(unit))
        if unit is None:
            return None
        units[id(unit)] = unit
    line_offsets = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    provider = PositionProvider()
    for unit in units.values():
        if _inside(unit, units, parents):
            continue  # generated with the statement that holds it
        line, indents = starts[id(unit)]
        if not 1 <= line <= len(line_offsets):
            return None
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=provider,
        )
        state.line = line
        state.indent_tokens = list(indents)
        unit._codegen(state)
        code = "".join(state.tokens)
        offset = line_offsets[line - 1]
        if text[offset : offset + len(code)] != code:
            return None
    return provider._computed  # type: ignore[return-value]


def _inside(unit: cst.CSTNode, units: Mapping[int, cst.CSTNode], parents: Mapping) -> bool:
    outer = parents.get(id(unit))
    while outer is not None:
        if id(outer) in units:
            return True
        outer = parents.get(id(outer))
    return False


Starts = dict[int, tuple[int, tuple[str, ...]]]


def _statement_starts(module: cst.Module, text: str) -> tuple[Starts, dict] | None:
    """The first line (leading comments and blank lines included) and the indentation of
    every statement that stands on lines of its own, and the enclosing statement of every
    statement (``elif`` clauses and one-line suites included)."""
    tree = _stdlib_tree(text)
    if not isinstance(tree, ast.Module):
        return None
    starts: Starts = {}
    parents: dict[int, cst.CSTNode] = {}
    if not _block(module.body, tree.body, (), starts, parents, module.default_indent):
        return None
    return starts, parents


def _block(
    block: Sequence[cst.CSTNode],
    body: Sequence[ast.stmt],
    indents: tuple[str, ...],
    starts: Starts,
    parents: dict,
    default: str,
) -> bool:
    """Record the start of each statement of an indented block (paired with the ``ast``
    statements that start at it), then of the blocks inside them. False when the trees
    disagree (the caller then generates the whole module)."""
    index = 0
    for stmt in block:
        if index >= len(body):
            return False
        first = body[index]
        index += len(stmt.body) if type(stmt) is cst.SimpleStatementLine else 1
        line = first.lineno
        lead = len(stmt.leading_lines)  # type: ignore[attr-defined]
        decorators = getattr(stmt, "decorators", ())
        if decorators and getattr(first, "decorator_list", None):
            line = min(d.lineno for d in first.decorator_list)  # type: ignore[attr-defined]
            lead += len(decorators[0].leading_lines)
        starts[id(stmt)] = (line - lead, indents)
        if type(stmt) is not cst.SimpleStatementLine:
            for suite, inner in _suites(stmt, first):
                if not _suite(stmt, suite, inner, indents, starts, parents, default):
                    return False
    return index == len(body)


def _suite(
    owner: cst.CSTNode,
    suite: cst.BaseSuite | cst.If,
    body: Sequence[ast.stmt] | None,
    indents: tuple[str, ...],
    starts: Starts,
    parents: dict,
    default: str,
) -> bool:
    if type(suite) is cst.If:  # an elif clause: analysed as a statement of its own
        parents[id(suite)] = owner
        return True
    for stmt in suite.body:
        parents[id(stmt)] = owner
    if type(suite) is not cst.IndentedBlock or body is None:
        return True  # ``if x: y = 1``: its statements have no line of their own
    indent = suite.indent if suite.indent is not None else default
    return _block(suite.body, body, (*indents, indent), starts, parents, default)


def _suites(stmt: cst.CSTNode, node: ast.stmt):
    """(libcst suite, the ``ast`` statements it holds) of a compound statement, with the
    suites of its ``elif`` chain; the ``ast`` side is None where it is not paired (a match
    statement's cases)."""
    body = getattr(stmt, "body", None)
    if type(body) in (cst.IndentedBlock, cst.SimpleStatementSuite):  # a BaseSuite
        yield body, getattr(node, "body", None)
    if type(stmt) in (cst.Try, cst.TryStar):
        handlers = getattr(node, "handlers", [])
        for i, handler in enumerate(stmt.handlers):
            yield handler.body, handlers[i].body if i < len(handlers) else None
    if type(stmt) is cst.Match:
        for case in stmt.cases:
            yield case.body, None
    orelse = getattr(stmt, "orelse", None)
    paired = getattr(node, "orelse", None)
    while type(orelse) is cst.If:  # elif: the ast has it as the else branch's only If
        yield orelse, None
        paired = paired[0] if paired and isinstance(paired[0], ast.If) else None
        yield orelse.body, paired.body if paired else None
        orelse, paired = orelse.orelse, paired.orelse if paired else None
    if orelse is not None:
        yield orelse.body, paired
    if type(stmt) in (cst.Try, cst.TryStar) and stmt.finalbody is not None:
        yield stmt.finalbody.body, getattr(node, "finalbody", None)
