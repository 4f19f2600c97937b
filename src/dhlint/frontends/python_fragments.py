"""The pre-filter's view of names the scanned code builds from pieces (issue 7, item 5).

The analysis evaluates string building with known pieces (f-strings, ``+``, ``+=``, ``%``,
``.format``, ``.replace``; ``.join`` is followed here too), so ``kind = "national";
rec[f"{kind}_id"]`` reads the column ``national_id``, a name written nowhere in the file. The
pre-filter judges the words written in the text, and would drop such a file. Here every
string built from pieces is cut into the word runs that span a joint between two pieces
(``{kind}`` + ``_id``), and each run is tried with every piece the file's string constants
can put in a hole; a file where one of them is identifier-like is analysed.
Over-approximates: a hole may hold any constant of the file, wherever it is (a long one by
its edges); too many combinations keep the file.

Not tried (the price would be every pair of the file's strings, most files kept): a run with
no letter of its own, made of holes and separators only (``f"{a}{b}"``, ``a + "_" + b`` with
``a = "national"`` and ``b = "id"`` set elsewhere); nor substrings cut from a constant
(slices, ``removeprefix`` of a value the file does not write), nor names made of numbers.
Never evaluates the code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable

_HOLE = None  # a piece the pre-filter does not know: a name, a call, a non-string constant
_RUN = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")
_EDGE_START = re.compile(r"\w*")
_PERCENT_HOLE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")
_FORMAT_HOLE = re.compile(r"\{[^{}]*\}")
_SAME_TEXT = frozenset({"lower", "upper", "casefold", "title", "capitalize", "strip", "lstrip",
                        "rstrip"})  # fmt: skip
_EDITS = frozenset({"replace", "removeprefix", "removesuffix"})
_MAX_CONSTANT = 200  # characters: longer constants (docstrings, SQL) fill holes by their edges
_MAX_TRIES = 20_000  # combinations per file; past it the file is kept

Piece = str | None


class _Made(str):
    """A piece the file does not write: the result of an edit of constants (``replace``)."""


def builds_identifier(tree: ast.Module, is_identifier: Callable[[str], bool]) -> bool:
    """Whether a string the file builds from pieces may be an identifier-like name."""
    from dhlint.frontends.python import walk  # the pre-filter's module imports this one

    constants: list[str] = []
    builds: list[ast.AST] = []
    for node in walk(tree):
        kind = type(node)
        if kind is ast.Constant:
            if type(node.value) is str:
                constants.append(node.value)
        elif kind in BUILDS:
            builds.append(node)
    return joins_identifier(builds, constants, is_identifier)


# The nodes that may build a string from pieces (the pre-filter's walk collects them).
BUILDS = frozenset({ast.JoinedStr, ast.BinOp, ast.Call, ast.AugAssign})


def joins_identifier(
    builds: Iterable[ast.AST], constants: Iterable[str], is_identifier: Callable[[str], bool]
) -> bool:
    """Whether a string built by one of ``builds`` (nodes of ``BUILDS``) may be an
    identifier-like name, a hole holding any of ``constants`` (the file's strings)."""
    runs: set[tuple[Piece, ...]] = set()
    for node in builds:
        if type(node) is ast.Call and type(node.func) is not ast.Attribute:  # type: ignore[attr-defined]
            continue  # f(x): a hole alone (most calls)
        shape = _shape(node)
        if shape and (len(shape) > 1 or type(shape[0]) is _Made):
            runs.update(tuple(run) for run in _joint_runs(shape))
    if not runs:
        return False
    fills = _fills(set(constants))
    tries = 0
    for run in sorted(runs, key=lambda r: r.count(_HOLE)):
        if not any(p is not _HOLE and _LETTER.search(p) for p in run):
            continue  # f"{a}{b}", a + "_" + b: not tried (the module's note)
        tries += len(fills) ** run.count(_HOLE)
        if tries > _MAX_TRIES:
            return True
        for word in _candidates(run, fills):
            # A run's pieces and the fills are word runs (``_RUN``, ``_EDGE_START``): each
            # candidate is one word, judged without its leading and trailing underscores.
            word = word.strip("_")
            if word and is_identifier(word):
                return True
    return False


def _fills(constants: set[str]) -> list[str]:
    """What a hole may hold next to a word: a constant's word runs at its edges (a constant
    of word characters only is both)."""
    fills: set[str] = set()
    for text in constants:
        if len(text) > _MAX_CONSTANT:
            text = text[:60] + " " + text[-60:]
        fills.add(_EDGE_START.match(text).group())  # type: ignore[union-attr]
        fills.add(_EDGE_START.match(text[::-1]).group()[::-1])  # type: ignore[union-attr]
    fills.discard("")
    return sorted(fills)


def _candidates(run: tuple[Piece, ...], fills: list[str]) -> Iterable[str]:
    words = [""]
    for piece in run:
        if piece is _HOLE:
            words = [w + f for w in words for f in fills]
        else:
            words = [w + piece for w in words]
    return words


def _joint_runs(shape: list[Piece]) -> list[list[Piece]]:
    """The word runs of a built string that span a joint: ``["x: ", HOLE, "_id, y"]`` gives
    ``[HOLE, "_id"]``. A run within one piece is a word written in the file already."""
    out: list[list[Piece]] = []
    run: list[Piece] = []
    for piece in shape:
        if piece is _HOLE:
            run.append(_HOLE)
            continue
        words = list(_RUN.finditer(piece))
        if not words:
            if piece:  # a separator only
                _close(run, out)
                run = []
            continue
        first, last = words[0], words[-1]
        if first.start() > 0:  # a separator before its first word
            _close(run, out)
            run = []
        made = _Made if type(piece) is _Made else str
        run.append(made(first.group()))
        if first is last and first.end() == len(piece):
            continue  # one word to its end: the run goes on into the next piece
        _close(run, out)
        run = [made(last.group())] if last is not first and last.end() == len(piece) else []
    _close(run, out)
    return out


def _close(run: list[Piece], out: list[list[Piece]]) -> None:
    if len(run) > 1 or (run and type(run[0]) is _Made):
        out.append(list(run))


def _shape(node: ast.AST) -> list[Piece] | None:
    """The pieces of a string built by ``node`` (None: not a string the analysis builds)."""
    kind = type(node)
    if kind is ast.Constant:
        return [node.value] if type(node.value) is str else [_HOLE]
    if kind is ast.AugAssign:  # col += "_id"
        value = _shape(node.value)  # type: ignore[attr-defined]
        if type(node.op) is ast.Add and value is not None and _stringy(node.value):  # type: ignore[attr-defined]
            return [_HOLE, *value]
        return None
    if kind is ast.JoinedStr:
        out: list[Piece] = []
        for value in node.values:
            if type(value) is ast.FormattedValue:
                inner = _shape(value.value)
                out.extend(inner if inner is not None else [_HOLE])
            else:
                out.extend(_shape(value) or [_HOLE])
        return out
    if kind is ast.BinOp:
        left, right = _shape(node.left), _shape(node.right)
        if type(node.op) is ast.Add and (_stringy(node.left) or _stringy(node.right)):
            return [*(left or [_HOLE]), *(right or [_HOLE])]
        if type(node.op) is ast.Mod and left is not None and _stringy(node.left):
            return _split(left, _PERCENT_HOLE)
        return None
    if kind is ast.Call and type(node.func) is ast.Attribute:
        method = node.func.attr
        if method in _EDITS:
            return _edited(node, method)
        # (tested first: a chain of method calls was shaped again from each call of it)
        if not _stringy(node.func.value):
            return None
        recv = _shape(node.func.value)
        if recv is None:
            return None
        if method == "format":
            return _split(recv, _FORMAT_HOLE)
        if method in _SAME_TEXT:
            return recv
        if method == "join" and node.args:
            items = node.args[0]
            if type(items) in (ast.List, ast.Tuple):
                out = []
                for index, item in enumerate(items.elts):
                    if index:
                        out.extend(recv)
                    out.extend(_shape(item) or [_HOLE])
                return out
            return [_HOLE, *recv, _HOLE]
    if kind in (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.IfExp):
        return [_HOLE]
    return None


def _edited(node: ast.Call, method: str) -> list[Piece]:
    """``"national-id".replace("-", "_")``: the new text; ``kind.replace("-", "_")``: the
    new piece between two holes. What ``removeprefix``/``removesuffix`` leave of a value the
    file does not write is not followed (nor are slices: substrings of constants)."""
    recv = _shape(node.func.value)  # type: ignore[attr-defined]
    args = [a.value for a in node.args if type(a) is ast.Constant and type(a.value) is str]
    if len(args) != len(node.args) or node.keywords:
        return [_HOLE]
    if recv is not None and len(recv) == 1 and type(recv[0]) in (str, _Made):
        try:
            return [_Made(getattr(str, method)(recv[0], *args))]
        except TypeError:
            return [_HOLE]
    if method == "replace" and len(args) == 2:
        return [_HOLE, args[1], _HOLE]
    return [_HOLE]


def _stringy(node: ast.AST) -> bool:
    """Whether a node is visibly a string (a constant, an f-string, or built of them)."""
    kind = type(node)
    if kind is ast.Constant:
        return type(node.value) is str
    if kind is ast.JoinedStr:
        return True
    if kind is ast.BinOp:
        return _stringy(node.left) or _stringy(node.right)
    if kind is ast.Call and type(node.func) is ast.Attribute:
        return _stringy(node.func.value)
    return False


def _split(shape: list[Piece], holes: re.Pattern) -> list[Piece]:
    """A template's pieces with its placeholders (``%s``, ``{}``) as holes."""
    out: list[Piece] = []
    for piece in shape:
        if piece is _HOLE:
            out.append(_HOLE)
            continue
        at = 0
        for match in holes.finditer(piece):
            out.extend((piece[at : match.start()], _HOLE))
            at = match.end()
        out.append(piece[at:])
    return out
