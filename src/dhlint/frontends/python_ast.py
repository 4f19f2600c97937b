"""Python frontend, second half: what the analysis needs of the stdlib ``ast`` tree beyond
its nodes, with positions as dhlint reports them.

The data-flow analysis (``models.python_dataflow``) runs on the tree the pre-filter already
built. Findings keep the places and texts they had when the analysis ran on
libcst (results must not change with the parser), so this module gives, per node:

- ``Places.span``: its range as character offsets into the text, libcst's way: without the
  node's own parentheses, a tuple or a generator without its brackets, a parameter as its
  name (with its stars), a decorator from its ``@``. ``ast`` columns are UTF-8 byte offsets;
  they are converted per line, on non-ASCII lines only.
- ``Places.code``: the text libcst's ``code_for_node`` gave: with the node's own parentheses,
  and, for an argument, its comma and what follows up to the next one (comments included).
- ``Places.string_parts``: the literals of an implicit concatenation (``"a" "b"`` is one
  ``ast.Constant``; the analysis reads each literal, as libcst had them), and an f-string's
  text and replacement fields with the expressions parsed on their own (positions inside an
  f-string are unreliable in ``ast`` before Python 3.12).

Nodes that ``ast`` has no object for (a parameter with its default, a decorator, an argument,
a literal of a concatenation, a replacement field) are small objects made once per node.
"""

from __future__ import annotations

import ast
import keyword
import re
import warnings
from bisect import bisect_right
from itertools import accumulate
from typing import Any

_NEWLINE = re.compile(r"\r\n?|\n")
_PREFIX = frozenset("rRbBuUfF")
_SPACE = " \t\f\r\n\\"
_CLOSING = {q: re.compile(r"\\.|" + q, re.DOTALL) for q in ('"', "'", '"""', "'''")}


class Synthetic:
    """A node ``ast`` has no object for, placed by character offsets (``start``, ``end``)."""

    __slots__ = ("end", "start")

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


class Param(Synthetic):
    """A parameter: its ``ast.arg``, its default (or None) and its stars ("", "*", "**")."""

    __slots__ = ("annotation", "arg", "default", "name", "star")

    def __init__(self, arg: ast.arg, default: ast.expr | None, star: str, places: Places):
        start = places.offset(arg.lineno, arg.col_offset)
        end = start + len(arg.arg)
        if star:
            start = places.stars_before(start)
        super().__init__(start, end)
        self.arg, self.name, self.default, self.star = arg, arg.arg, default, star
        self.annotation = arg.annotation


class Decorator(Synthetic):
    """``@expr``: placed from the ``@``."""

    __slots__ = ("decorator",)

    def __init__(self, expr: ast.expr, places: Places):
        start, end = places.with_parens(*places.expr_span(expr))
        at = places.back(start)
        super().__init__(at if at >= 0 and places.text[at] == "@" else start, end)
        self.decorator = expr


class Literal(Synthetic):
    """A string literal of an implicit concatenation, its text as written (``raw``)."""

    __slots__ = ("raw",)

    def __init__(self, start: int, end: int, raw: str):
        super().__init__(start, end)
        self.raw = raw


class FString(Synthetic):
    """An f-string literal: its pieces, texts as written (``str``) and ``Field``s."""

    __slots__ = ("pieces",)

    def __init__(self, start: int, end: int, pieces: list):
        super().__init__(start, end)
        self.pieces = pieces


class Field(Synthetic):
    """A replacement field ``{expr!r:spec}`` (braces included): its expression, parsed
    alone, and its format spec when that is one text (else None)."""

    __slots__ = ("expression", "spec")

    def __init__(self, start: int, end: int, expression: ast.expr | None, spec: str | None):
        super().__init__(start, end)
        self.expression, self.spec = expression, spec


class Arg:
    """A call's argument in source order: ``star`` ("", "*", "**"), ``keyword`` (or None),
    ``value``; ``node`` the ``ast`` node it is (an expression, a ``Starred``, a ``keyword``)."""

    __slots__ = ("keyword", "node", "star", "value")

    def __init__(self, node: Any, value: ast.expr, keyword: str | None, star: str):
        self.node, self.value, self.keyword, self.star = node, value, keyword, star


def call_args(call: ast.Call) -> list[Arg]:
    """A call's arguments in source order (``ast`` keeps positional ones and keywords apart),
    made once per call (looked up in the node's dict, as ``params`` is: a missing attribute's
    AttributeError cost more than the rest of the lookup, once per call node)."""
    found = call.__dict__.get("_dh_args")
    if found is not None:
        return found
    out = [
        Arg(a, a.value, None, "*") if type(a) is ast.Starred else Arg(a, a, None, "")
        for a in call.args
    ]
    if call.keywords:
        keys = [Arg(k, k.value, k.arg, "**" if k.arg is None else "") for k in call.keywords]
        if out and _after(out[-1].node, keys[0].node):  # f(a=1, *rest): in source order
            out = sorted([*out, *keys], key=lambda a: (a.node.lineno, a.node.col_offset))
        else:
            out += keys
    call._dh_args = out  # type: ignore[attr-defined]
    return out


def _after(a: Any, b: Any) -> bool:
    return (a.lineno, a.col_offset) > (b.lineno, b.col_offset)


def params(func: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, places: Places) -> tuple:
    """(positional parameters, positional-only first; keyword-only ones; ``*args`` or None;
    ``**kwargs`` or None) as ``Param``s, made once per def."""
    found = func.__dict__.get("_dh_params")
    if found is not None:
        return found
    spec = func.args
    positional = [*spec.posonlyargs, *spec.args]
    defaults = [None] * (len(positional) - len(spec.defaults)) + list(spec.defaults)
    out = (
        [Param(a, d, "", places) for a, d in zip(positional, defaults, strict=True)],
        [Param(a, d, "", places) for a, d in zip(spec.kwonlyargs, spec.kw_defaults, strict=True)],
        Param(spec.vararg, None, "*", places) if spec.vararg is not None else None,
        Param(spec.kwarg, None, "**", places) if spec.kwarg is not None else None,
    )
    func._dh_params = out  # type: ignore[attr-defined]
    return out


def decorators(func: Any, places: Places) -> list[Decorator]:
    found = func.__dict__.get("_dh_decorators")
    if found is None:
        found = func._dh_decorators = [Decorator(d, places) for d in func.decorator_list]
    return found


def parse_expression(text: str) -> ast.expr | None:
    """An expression written in a string (an annotation ``"list[Rec]"``), or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _line_starts(text: str) -> list[int]:
    """The offset of each line's first character (a line ends at LF, CRLF or CR)."""
    if "\r" in text:
        return [0, *(m.end() for m in _NEWLINE.finditer(text))]
    # (Half the time of the regex's match object per line; most files hold no CR.)
    return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]


class Places:
    """Positions and texts of the nodes of one module's tree (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = _line_starts(text)
        self.ascii = text.isascii()
        self._encoded: dict[int, bytes] = {}

    # ------------------------------------------------------------------ offsets
    def offset(self, line: int, col: int) -> int:
        """The character offset of ``ast``'s (1-based line, UTF-8 byte column)."""
        start = self.starts[line - 1]
        if self.ascii or not col:
            return start + col
        encoded = self._encoded.get(line)
        if encoded is None:
            end = self.starts[line] if line < len(self.starts) else len(self.text)
            segment = self.text[start:end]
            ascii_only = segment.isascii()
            encoded = b"" if ascii_only else segment.encode("utf-8", "surrogatepass")
            self._encoded[line] = encoded
        if not encoded:
            return start + col
        return start + len(encoded[:col].decode("utf-8", "replace"))

    def point(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based character column) of an offset."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1]

    def expr_span(self, node: Any) -> tuple[int, int]:
        return self.offset(node.lineno, node.col_offset), self.offset(
            node.end_lineno, node.end_col_offset
        )

    def span(self, node: Any) -> tuple[int, int]:
        """The node's range as libcst's positions had it (character offsets, end exclusive)."""
        if isinstance(node, Synthetic):
            return node.start, node.end
        if isinstance(node, Arg):
            return self.arg_span(node)
        kind = type(node)
        if kind is ast.Tuple:
            # libcst places a tuple without its parentheses, from its first item to its last
            # (its comma included); ``()`` between them
            if not node.elts:
                start, end = self.expr_span(node)
                return (start + 1, start + 1) if self.text[start] == "(" else (start, end)
            first = self.with_parens(*self.span(node.elts[0]))[0]
            end = self.with_parens(*self.span(node.elts[-1]))[1]
            after = self.forward(end)
            return first, after + 1 if self.text[after : after + 1] == "," else end
        if kind is ast.GeneratorExp:
            last = node.generators[-1]
            end_node = last.ifs[-1] if last.ifs else last.iter
            first = self.with_parens(*self.span(node.elt))[0]
            return first, self.with_parens(*self.span(end_node))[1]
        if kind is ast.Module:
            return 0, len(self.text)
        return self.expr_span(node)

    def lines(self, node: Any) -> tuple[int, int]:
        """First and last line of a statement (or of any node)."""
        if type(node) is ast.Module:
            return 1, len(self.starts)
        if isinstance(node, ast.stmt):
            return node.lineno, node.end_lineno or node.lineno
        start, end = self.span(node)
        return self.point(start)[0], self.point(end)[0]

    def arg_span(self, arg: Arg) -> tuple[int, int]:
        if arg.star or arg.keyword is not None:
            return self.expr_span(arg.node)
        return self.with_parens(*self.span(arg.value))

    # ------------------------------------------------------------------ texts
    def code(self, node: Any) -> str:
        """The text libcst's ``code_for_node`` gave for the node."""
        if isinstance(node, Arg):
            start, end = self.arg_span(node)
            after = self.forward(end)
            if after < len(self.text) and self.text[after] == ",":
                end = self.forward(after + 1)
            else:
                end = after
            return self.text[start:end]
        if isinstance(node, Synthetic):
            return self.text[node.start : node.end]
        start, end = self.with_parens(*self.span(node))
        return self.text[start:end]

    def with_parens(self, start: int, end: int) -> tuple[int, int]:
        """The range widened over the expression's own parentheses (not a call's)."""
        text = self.text
        while True:
            before = self.back(start)
            if before < 0 or text[before] != "(":
                return start, end
            after = self.forward(end)
            if after >= len(text) or text[after] != ")" or self._call_paren(before):
                return start, end
            start, end = before, after + 1

    def _call_paren(self, index: int) -> bool:
        """Whether the ``(`` at ``index`` opens a call's (or a class's) arguments."""
        text = self.text
        at = index - 1
        while at >= 0 and text[at] in " \t\f":
            at -= 1
        if at < 0:
            return False
        char = text[at]
        if char in ")]\"'":
            return True
        if not (char.isalnum() or char == "_" or ord(char) > 127):
            return False
        first = at
        while first > 0 and (text[first - 1].isalnum() or text[first - 1] == "_"):
            first -= 1
        word = text[first : at + 1]
        return not keyword.iskeyword(word) or word in ("True", "False", "None")

    def forward(self, index: int) -> int:
        """The next character that is not white space, a line continuation or a comment."""
        text, size = self.text, len(self.text)
        while index < size:
            char = text[index]
            if char in _SPACE:
                index += 1
            elif char == "#":
                newline = _NEWLINE.search(text, index)
                index = newline.start() if newline else size
            else:
                return index
        return size

    def back(self, index: int) -> int:
        """The previous character that is not white space, a continuation or a comment."""
        text = self.text
        index -= 1
        while index >= 0:
            char = text[index]
            if char in _SPACE:
                if char in "\r\n":  # a comment ends the line before?
                    start = self.starts[bisect_right(self.starts, index) - 1]
                    segment = text[start:index]
                    hash_at = segment.find("#")
                    if hash_at >= 0 and not any(q in segment[:hash_at] for q in "\"'"):
                        index = start + hash_at
                index -= 1
            else:
                return index
        return -1

    def stars_before(self, start: int) -> int:
        before = self.back(start)
        if before >= 0 and self.text[before] == "*":
            start = before
            if before > 0 and self.text[before - 1] == "*":
                start = before - 1
        return start

    # ------------------------------------------------------------------ strings
    def string_parts(self, node: ast.Constant | ast.JoinedStr) -> list:
        """The literals a string expression is written as: ``Literal``s and ``FString``s."""
        found = node.__dict__.get("_dh_parts")
        if found is not None:
            return found
        start, end = self.expr_span(node)
        parts: list = []
        index = start
        if type(node) is ast.Constant and self._one_literal(start, end):
            parts.append(Literal(start, end, self.text[start:end]))  # what the scan finds
            index = end
        while index < end:
            close, fstring = self._string_end(index)
            if close <= index:  # never: the tree came from this text
                break
            if fstring:
                parts.append(FString(index, close, self._pieces(index, close)))
            else:
                parts.append(Literal(index, close, self.text[index:close]))
            index = self.forward(close)
        node._dh_parts = parts  # type: ignore[union-attr]
        return parts

    def _one_literal(self, start: int, end: int) -> bool:
        """Whether the string constant written from ``start`` to ``end`` is one literal, not an
        f-string: ``_string_end`` would end the literal that starts at ``start`` at ``end``.
        Told by two searches of the text, not the scan's steps in Python: most constants are
        one literal, and the scan was most of ``string_parts``' time."""
        text = self.text
        at = start
        while at < end and text[at] in "rRbBuU":
            at += 1
        quote = text[at : at + 1]
        if quote not in ("'", '"'):
            return False  # an f-string's prefix (a constant inside one, in Python 3.11)
        if text.startswith(quote * 3, at):
            quote *= 3
        body = at + len(quote)
        close = text.find(quote, body, end)  # the first quotes: the scan's, with no backslash
        return body <= close == end - len(quote) and text.find("\\", body, close) < 0

    def _string_end(self, index: int) -> tuple[int, bool]:
        """The end of the literal that starts at ``index``, and whether it is an f-string."""
        text = self.text
        prefix = index
        while prefix < len(text) and text[prefix] in _PREFIX:
            prefix += 1
        fstring = "f" in text[index:prefix].lower()
        quote = text[prefix : prefix + 1]
        triple = text[prefix : prefix + 3] == quote * 3
        close = quote * 3 if triple else quote
        return self._scan(prefix + len(close), close, fstring), fstring

    def _scan(self, index: int, close: str, fstring: bool) -> int:
        """The end of a literal whose body starts at ``index`` (``close``: its quotes)."""
        text, size, depth = self.text, len(self.text), 0
        if not fstring:  # to the first quotes not escaped, by the regex engine
            pattern = _CLOSING[close]
            while True:
                found = pattern.search(text, index)
                if found is None:
                    return size
                if found.group() == close:
                    return found.end()
                index = found.end()
        while index < size:
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if depth == 0 and text.startswith(close, index):
                return index + len(close)
            if fstring:
                if char == "{":
                    if depth == 0 and text.startswith("{{", index):
                        index += 2
                        continue
                    depth += 1
                elif char == "}" and depth:
                    depth -= 1
                elif depth and char in "\"'":  # a string inside a replacement field
                    inner = char * 3 if text.startswith(char * 3, index) else char
                    index = self._scan(index + len(inner), inner, False)
                    continue
            index += 1
        return size

    def _pieces(self, start: int, end: int) -> list:
        """An f-string's texts (as written) and replacement fields."""
        text = self.text
        prefix = start
        while text[prefix] in _PREFIX:
            prefix += 1
        quote = 3 if text.startswith(text[prefix] * 3, prefix) else 1
        index, stop = prefix + quote, end - quote
        pieces: list = []
        chunk = index
        while index < stop:
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == "{" and text.startswith("{{", index):
                index += 2
                continue
            if char == "{":
                if chunk < index:
                    pieces.append(text[chunk:index])
                close = self._field_end(index + 1, stop)
                pieces.append(self._field(index, close))
                index = chunk = close
                continue
            index += 1
        if chunk < stop:
            pieces.append(text[chunk:stop])
        return pieces

    def _field_end(self, index: int, stop: int) -> int:
        """The end (after ``}``) of the replacement field whose ``{`` is before ``index``."""
        text, depth = self.text, 1
        while index < stop:
            char = text[index]
            if char in "\"'":
                inner = char * 3 if text.startswith(char * 3, index) else char
                index = self._scan(index + len(inner), inner, False)
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if not depth:
                    return index + 1
            index += 1
        return stop

    def _field(self, start: int, end: int) -> Field:
        """``{expr=!r:spec}``: the expression (up to ``=``, ``!``, ``:`` at its top level)."""
        text = self.text
        index, depth, expr_end = start + 1, 0, end - 1
        while index < end - 1:
            char = text[index]
            if char in "\"'":
                inner = char * 3 if text.startswith(char * 3, index) else char
                index = self._scan(index + len(inner), inner, False)
                continue
            if char in "([{":
                depth += 1
            elif char in ")]}":
                depth -= 1
            elif (
                depth == 0
                and (
                    (char == "!" and text[index + 1 : index + 2] != "=")
                    or char == ":"
                    or (
                        char == "="  # self-documenting: f"{x=}", not f"{x==y}"
                        and text[index + 1 : index + 2] in ("}", "!", ":")
                        and text[index - 1 : index] not in "=!<>"
                    )
                )
            ):
                expr_end = index
                break
            index += 1
        spec = None
        colon = _spec_start(text, expr_end, end - 1)
        if colon is not None:
            raw = text[colon + 1 : end - 1]
            spec = raw if raw and "{" not in raw else None
        return Field(start, end, self._sub_expression(start + 1, expr_end), spec)

    def _sub_expression(self, start: int, end: int) -> ast.expr | None:
        """An expression of the text parsed alone, its positions moved to where it is."""
        snippet = self.text[start:end]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(f"({snippet}\n)", mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        line, col = self.point(start)
        head = self.text[self.starts[line - 1] : start]
        base = len(head.encode("utf-8", "surrogatepass")) if not head.isascii() else col
        for inner in ast.walk(tree.body):
            if "lineno" not in inner._attributes:
                continue
            if inner.lineno == 1:
                inner.col_offset += base - 1
            if inner.end_lineno == 1:
                inner.end_col_offset += base - 1
            inner.lineno += line - 1
            inner.end_lineno += line - 1
        return tree.body


def _spec_start(text: str, index: int, stop: int) -> int | None:
    """The ``:`` that starts a field's format spec, after its expression, ``=`` and
    conversion (``!r``); None when there is none."""
    while index < stop and text[index] in "=! \t\r\nrsa":
        if text[index] == ":":
            break
        index += 1
    return index if index < stop and text[index] == ":" else None


def string_value(raw: str) -> str | None:
    """The value of a string literal written ``raw`` (bytes read as latin-1); None when it
    does not evaluate. Without a backslash or a carriage return the value is the text between
    the quotes; otherwise the stdlib parser reads the literal."""
    if "\\" in raw or "\r" in raw:
        try:
            with warnings.catch_warnings():  # "\d": the scanned code's warning, not the run's
                warnings.simplefilter("ignore")
                body = ast.parse(raw, mode="eval").body
        except Exception:  # malformed escapes: keep going
            return None
        value = body.value if type(body) is ast.Constant else None
        if isinstance(value, bytes):
            return value.decode("latin-1")
        return value if isinstance(value, str) else None
    start = len(raw) - len(raw.lstrip("rRuUbB"))
    quote = raw[start]
    if len(raw) - start >= 6 and raw.startswith(quote * 3, start):
        return raw[start + 3 : -3]
    return raw[start + 1 : -1]
