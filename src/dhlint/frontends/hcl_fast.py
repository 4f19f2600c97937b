"""A fast path for HCL: a hand-written tokenizer and recursive-descent parser that produces the
same ``terraform_ast.FileTree`` as the lark path of ``dhlint.frontends.terraform``.

python-hcl2's grammar (``hcl2.lark``), its post-lexer and lark's contextual lexer are the
specification. This parser accepts a subset of what they accept and, on that subset, builds the
identical tree: the same dataclasses, values, ``Pos`` (line/col as lark's tokens carry them) and
dict order. On anything it is not sure to handle exactly as the lark path does (a syntax error,
a template directive, a construct it does not implement, a place where lark's contextual lexer
would cut the text into other tokens) it raises ``Unhandled`` and ``terraform.parse_hcl`` parses
with lark instead, so diagnostics for bad files and rare syntax stay as they were.

It never imports lark or hcl2. The tests compare both paths on every Terraform file of the
repository and on seeded mutations of them (``tests/terraform/test_hcl_fast.py``).

How lark's lexing is reproduced:
- One master regex per mode (expression, inside a quoted string), with the terminals' patterns
  in lark's order (priority, then width, then pattern length), so at a given position the same
  terminal wins as in lark's union of terminals. Lark's contextual lexer only tries the terminals
  the parser state accepts; where that differs from the union, the parser checks for it:
  keywords (``for``, ``in``, ``if``...) are lexed as names and read as keywords only where lark
  accepts them; a ``-`` glued to two digits is lark's negative ``INT_LITERAL`` where an
  expression starts and falls back to lark elsewhere (``a-12``); a float after a ``.`` falls back.
- The post-lexer's rule: a newline/comment right before a binary operator (not ``-``) or ``?``
  joins that operator (its text becomes the operator's, as in ``BinaryOp.op``).
- The post-lexer holds a newline back until it sees the next token, so lark lexes the token
  after one newline in the parser state before that newline, and the token after two or more
  in the state after a newline, which LALR shares between all the places a newline can be:
  there every keyword (``in``, ``for``, ``true``...) is lexed as one, even where the grammar
  then wants a name (``[\n\nin]`` is an error, ``[\nin]`` is not). Checked where a name is read.
- The grammar lets a binary operation take the newlines that follow it (lark shifts them), which
  moves the end of a conditional whose last operand is one: ``end`` offsets carry that.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, repeat
from operator import add

from dhlint.frontends.terraform_ast import (
    Attribute,
    BinaryOp,
    Block,
    Call,
    Conditional,
    Expr,
    FileTree,
    ForExpr,
    GetAttr,
    Literal,
    ObjectExpr,
    Pos,
    Traversal,
    TupleExpr,
    UnaryOp,
)

__all__ = ["Unhandled", "parse_body", "parse_inline"]


class Unhandled(Exception):
    """The text is not one the fast path handles exactly as the lark path; use lark."""


# --- tokens ---------------------------------------------------------------------------------------
# The terminals' regexes as lark compiles them from hcl2.lark (the test checks they still are).
STRING_CHARS = r'(?:(?!\$\$\{)(?!\$\{)(?!%%\{)(?!%\{)[^"\\]|\\.|(?:\$(?!\$?\{))|(?:%(?!%?\{)))+'
# The same language with one alternative per first character (a "$" or "%" matched either by
# the first alternative or by its own): a match that fails, a string without its closing quote,
# backtracks linearly instead of through every way of splitting a run of "$". A run of plain
# characters is matched at once (a character at a time cost a loop turn each), possessively:
# a failed match does not retry every way of splitting the run.
STRING_CHARS_LINEAR = r'(?:[^"\\$%]++|\\.|\$(?!\$?\{)|%(?!%?\{))+'
NL_OR_COMMENT = r"(?:\/\*(?:.|\n)*?(?:\*\/)|\/\/.*\n|#.*\n|\n[ \t]*)"
FLOAT_LITERAL = (
    r"(?:(?:(?:\-[0-9])+|(?:\-[0-9])?(?:[0-9])+)\.(?:[0-9])+(?:(?:e|E)(?:(?:\+|\-))?(?:[0-9])+)?"
    r"|(?:(?:\-[0-9])+|(?:\-[0-9])?(?:[0-9])+)(?:e|E)(?:(?:\+|\-))?(?:[0-9])+)"
)
INT_LITERAL = r"(?:\-[0-9])?(?:[0-9])+"
NAME = r"[a-zA-Z_][a-zA-Z0-9_-]*"
HEREDOC = r"<<(?P<hd>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=hd)\r?\n"
HEREDOC_TRIM = r"<<-(?P<hdt>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=hdt)\r?\n"
# Punctuation, longer before shorter where one is a prefix of another (lark sorts string
# terminals by length); EQ and COLON with their look-aheads (their leading blanks are skipped
# with the ignored ones: their position is in no tree). In two parts: the punctuation that no
# other token starts with, and "-", "<" and "/", which also start numbers, heredocs, comments.
PUNCT = r"\.\.\.|\[\*\]|=>|==|!=|>=|&&|\|\||::|\.\*|=(?!=|>)|:(?!:)|[+*%>!?(){}\[\],.]"
PUNCT_AFTER = r"<=|[-/<]"

# Group numbers (``m.lastindex``) -> token kinds. The simple string: a whole quoted string that
# is one STRING_CHARS run (or empty), which lark lexes DBLQUOTE, STRING_CHARS, DBLQUOTE.
# The alternatives are in lark's order but for NAME, NL_OR_COMMENT and PUNCT, tried first (the
# most frequent tokens): no other alternative starts with a character they start with, so the
# same one matches. The empty alternative makes the pattern match at every position, so
# ``finditer`` scans token after token. A name followed by an ``=`` (EQ, as PUNCT has it) is
# one token, A (group 2 closes last): an argument's or an object key's name and its "=", the
# two tokens lark lexes there, read at once (an eighth of the tokens of a Terraform file).
_EXPR_RE = re.compile(
    r"[ \t\r]*(?:"
    rf"({NAME})(?:[ \t\r]*(=)(?!=|>))?"  # 1 N, 2 A (the name is group 1)
    rf"|({NL_OR_COMMENT})"  # 3 L
    rf"|({PUNCT})"  # 4 punctuation: the kind is the text
    rf'|("(?:{STRING_CHARS_LINEAR})?")'  # 5 S
    r'|(")'  # 6 Q: a string with interpolations or escapes of them
    rf"|({FLOAT_LITERAL})"  # 7 F
    rf"|({INT_LITERAL})"  # 8 I
    rf"|({HEREDOC})"  # 9 H (10: its marker)
    rf"|({HEREDOC_TRIM})"  # 11 T (12: its marker)
    rf"|({PUNCT_AFTER})"  # 13 punctuation
    r"|)"  # blanks and no token: the end, or a character no terminal starts with
)
_KINDS = (None, "N", "A", "L", None, "S", "Q", "F", "I", "H", None, "T", None, None)
_STRING_RE = re.compile(
    r"(\$\$\{[^}]*\}|%%\{[^}]*\})"  # 1 X: ESCAPED_INTERPOLATION / ESCAPED_DIRECTIVE
    rf"|({STRING_CHARS_LINEAR})"  # 2 C
    r"|(\$\{)"  # 3 INTERP_START
    r'|(")'  # 4 closing DBLQUOTE
)
# The post-lexer's OPERATOR_TYPES: a newline or comment right before one joins it.
_JOINS_NL = frozenset(("==", "!=", "<", ">", "<=", ">=", "*", "/", "%", "&&", "||", "+", "?"))
_LEVEL = {
    "||": 0,
    "&&": 1,
    "==": 2,
    "!=": 2,
    "<": 3,
    ">": 3,
    "<=": 3,
    ">=": 3,
    "+": 4,
    "-": 4,
    "*": 5,
    "/": 5,
    "%": 5,
}
_KEYWORDS = frozenset(("in", "for", "if", "for_each", "else", "endif", "endfor"))
_LITERALS = {"true": True, "false": False, "null": None}
_END = "$"
# Tokens that are a whole term (but for the accessors, calls and "::" that may follow), and
# tokens that cannot follow one in an expression: such a term is the expression (no operator,
# no conditional; a newline before an operator is joined to it, so "L" here is not one).
_ONE_TOKEN = frozenset(("N", "S", "I", "F"))
_AFTER_TERM = frozenset(("L", ",", "}", "]", ")", ":", "=", "=>", "...", _END))
# Pos(...) without the named tuple's own __new__, a Python function (one call per token and node:
# 130,857 for bench/corpus/terraform): the same Pos.
_new_pos = tuple.__new__


def _tokenize(text: str) -> tuple[list, list, list, list]:
    """Kinds, values, start and end offsets. Kinds: S simple string (value: its raw content),
    Q/q opening/closing quote of a string with parts, C string characters, X escaped
    interpolation, ``${``, L newline or comment, F/I numbers, N names, A a name and the ``=``
    after it (value, start and end: the name's), H/T heredocs, and punctuation (the text)."""
    kinds: list = []
    values: list = []
    starts: list = []
    ends: list = []
    k_app, v_app, s_app, e_app = kinds.append, values.append, starts.append, ends.append
    scan, string_match = _EXPR_RE.finditer, _STRING_RE.match
    stack: list = []  # for each open brace: True when it closes an interpolation
    pos, n = 0, len(text)
    kind_of = _KINDS
    while pos < n:  # a scan of expression tokens, until the end or a string with parts
        for m in scan(text, pos):
            g = m.lastindex
            if g is None:
                if m.end() < n:
                    raise Unhandled
                pos = n
                break
            kind = kind_of[g]
            s, e = m.span(g if g != 2 else 1)  # A: its name's
            if kind is None:  # punctuation
                kind = value = text[s:e]
                if kind in _JOINS_NL:
                    if (kind == "<" or kind == "/") and text[e : e + 1] in ("<", "*"):
                        # a heredoc or a comment that does not end: a syntax error, which
                        # lark finds without the rest of the file (tokenizing it could take
                        # a time quadratic in its size, each "<<" or "/*" searching to its
                        # end).
                        raise Unhandled
                    if kinds and kinds[-1] == "L":
                        kinds.pop()
                        value = values.pop() + value
                        starts.pop()
                        ends.pop()
                elif kind == "{":
                    stack.append(False)
                elif kind == "}" and stack and stack.pop():  # an interpolation's end: its string
                    k_app("}")
                    v_app("}")
                    s_app(s)
                    e_app(e)
                    pos = _string(text, e, stack, kinds, values, starts, ends, string_match)
                    break
            elif kind == "S":
                value = text[s + 1 : e - 1]
            elif kind == "Q":
                k_app("Q")
                v_app('"')
                s_app(s)
                e_app(e)
                pos = _string(text, e, stack, kinds, values, starts, ends, string_match)
                break
            else:
                value = text[s:e]
                if (kind == "I" or kind == "F") and text[e : e + 1] == "-":
                    # "1-2" is lark's INT and MINUS, "1-23" INT INT (an error but in an
                    # object); and a run of "-1-1-1..." costs a scan to its end per token:
                    # lark decides.
                    raise Unhandled
            k_app(kind)
            v_app(value)
            s_app(s)
            e_app(e)
        else:  # not reached: the pattern matches (empty) at the end of the text
            break
    for _ in range(4):
        k_app(_END)
        v_app("")
        s_app(n)
        e_app(n)
    return kinds, values, starts, ends


def _string(text, pos, stack, kinds, values, starts, ends, string_match) -> int:
    """Tokens inside a quoted string, from ``pos`` to its closing quote or an interpolation's
    ``${`` (then the expression tokens follow). Returns the position after."""
    while True:
        m = string_match(text, pos)
        if m is None:  # a directive, a lone backslash, the end of the text
            raise Unhandled
        g = m.lastindex
        s, e = m.span(g)
        if g == 1:
            kinds.append("X")
        elif g == 2:
            kinds.append("C")
        elif g == 3:
            kinds.append("${")
            stack.append(True)
        else:
            kinds.append("q")
        values.append(text[s:e])
        starts.append(s)
        ends.append(e)
        if g >= 3:
            return e
        pos = e


# --- parser ---------------------------------------------------------------------------------------
def _lines(text: str) -> list[int]:
    """The offset where each line starts (after each "\n"), summed in C."""
    lengths = map(len, text.split("\n")[:-1])
    return [0, *accumulate(map(add, lengths, repeat(1)))]


class _Parser:
    __slots__ = ("E", "K", "S", "V", "i", "lines", "tf")

    def __init__(self, text: str):
        from dhlint.frontends import terraform

        self.tf = terraform
        self.K, self.V, self.S, self.E = _tokenize(text)
        self.lines = _lines(text)
        self.i = 0

    # positions: 1-based line and column as lark's tokens (the column counts characters; the end
    # of a token that ends with a newline is column 1 of the next line)
    def pos(self, s: int, e: int) -> Pos:
        lines = self.lines
        a = bisect_right(lines, s)
        start = lines[a - 1]
        if a == len(lines) or e < lines[a]:  # ends on its first line (most tokens and nodes)
            return _new_pos(Pos, (a, s - start + 1, a, e - start + 1))
        b = bisect_right(lines, e)
        return _new_pos(Pos, (a, s - start + 1, b, e - lines[b - 1] + 1))

    def tokpos(self, j: int) -> Pos:
        """``pos`` of token ``j`` (one call less: most of the tree's positions are tokens')."""
        s, e, lines = self.S[j], self.E[j], self.lines
        a = bisect_right(lines, s)
        start = lines[a - 1]
        if a == len(lines) or e < lines[a]:
            return _new_pos(Pos, (a, s - start + 1, a, e - start + 1))
        b = bisect_right(lines, e)
        return _new_pos(Pos, (a, s - start + 1, b, e - lines[b - 1] + 1))

    def skip_nl(self) -> None:
        K, i = self.K, self.i
        while K[i] == "L":
            i += 1
        self.i = i

    def expect(self, kind: str) -> int:
        i = self.i
        if self.K[i] != kind:
            raise Unhandled
        self.i = i + 1
        return i

    # body : (new_line_or_comment? (attribute | block))* new_line_or_comment?
    def body(self, top: bool) -> tuple[tuple, dict]:
        K, V = self.K, self.V
        blocks: list = []
        attributes: dict = {}
        while True:
            i = self.i
            k = K[i]
            if k == "L":
                self.i = i + 1
                continue
            if k == "A":  # name =
                name = V[i]
                self.i = i + 1
                value = self.expression()[0]
                attributes[name] = Attribute(name, value, self.tokpos(i))
                continue
            if k == "N":
                blocks.append(self.block())
                continue
            if (k == "}") if not top else (k == _END):
                return tuple(blocks), attributes
            raise Unhandled

    # block : _attribute_name (_attribute_name | string)* new_line_or_comment? LBRACE body RBRACE
    def block(self) -> Block:
        K, V = self.K, self.V
        first = i = self.i
        labels = []
        i += 1
        while True:
            k = K[i]
            if k == "N":
                labels.append(V[i])
            elif k == "S":
                labels.append(self.tf._unescape(V[i]))
            else:
                break
            i += 1
        last = i - 1
        while K[i] == "L":
            i += 1
        if K[i] != "{":
            raise Unhandled
        self.i = i + 1
        blocks, attributes = self.body(False)
        close = self.i  # the "}"
        self.i = close + 1
        return Block(
            V[first],
            tuple(labels),
            attributes,
            blocks,
            self.pos(self.S[first], self.E[last]),
            bisect_right(self.lines, self.S[close]),
        )

    # Expressions return (Expr, first token's start, last token's end): a node's position in the
    # lark path is its first and last token's, which include parentheses the Expr does not.
    def expression(self) -> tuple[Expr, int, int]:
        i = self.i
        if self.K[i] in _ONE_TOKEN and self.K[i + 1] in _AFTER_TERM:
            return self.term()  # a name, string or number alone (most values)
        cond, s, end, _ = self.binary(0)
        if self.K[self.i] != "?":
            return cond, s, end
        self.i += 1
        self.skip_nl()
        then = self.expression()[0]
        self.skip_nl()
        self.expect(":")
        self.skip_nl()
        other, _, end = self.expression()
        return Conditional(self.pos(s, end), cond, then, other), s, end

    def binary(self, minimum: int) -> tuple[Expr, int, int, int]:
        """Precedence climbing over the grammar's left-associative levels (or ... mul).

        A binary operation takes the newlines after it (lark shifts them), and is then reduced
        to its level: an operator of a tighter level can no longer follow (``a && b\n\n- c``
        is an error, ``a * b\n\n+ c`` is not). The last item returned is that cap."""
        K = self.K
        left, s, end = self.unary()
        cap = 9
        while True:
            i = self.i
            level = _LEVEL.get(K[i])
            if level is None or level < minimum or level > cap:
                return left, s, end, cap
            op = self.V[i]
            self.i = i + 1
            self.skip_nl()
            right, _, end, right_cap = self.binary(level + 1)
            cap = min(cap, right_cap)
            lp, rp = left.pos, right.pos
            left = BinaryOp(Pos(lp.line, lp.col, rp.end_line, rp.end_col), op, left, right)
            i = self.i
            if K[i] == "L":  # binary_op's trailing new_line_or_comment
                while K[i] == "L":
                    end = self.E[i]
                    i += 1
                self.i = i
                cap = min(cap, level)

    def unary(self) -> tuple[Expr, int, int]:
        i = self.i
        k = self.K[i]
        if k == "-" or k == "!":
            self.i = i + 1
            operand, _, end = self.term()
            s = self.S[i]
            return UnaryOp(self.pos(s, end), k, operand), s, end
        return self.term()

    def term(self) -> tuple[Expr, int, int]:
        K, V = self.K, self.V
        i = self.i
        k = K[i]
        s = self.S[i]
        if k == "N":
            name = V[i]
            nk = K[i + 1]
            if name in _LITERALS:
                expr = Literal(self.tokpos(i), _LITERALS[name])
                self.i = i + 1
            elif nk == "(":
                expr = self.call([name], i, i + 2)
            elif nk == "::":
                if not (K[i + 2] == "N" and K[i + 3] == "::"):
                    raise Unhandled
                self.i = i + 4
                j = self.expect("N")
                if K[j + 1] != "(":
                    raise Unhandled
                expr = self.call([name, V[i + 2], V[j]], i, j + 2)
            else:
                expr = Traversal(self.tokpos(i), name, ())
                self.i = i + 1
            if name in _KEYWORDS and K[i - 1] == "L" and K[i - 2] == "L":
                raise Unhandled  # after two newlines lark lexes the keyword
        elif k == "S":
            raw = V[i]
            expr = Literal(self.tokpos(i), self.tf._unescape(raw) if "\\" in raw else raw)
            self.i = i + 1
        elif k == "I":
            expr = Literal(self.tokpos(i), int(V[i]))
            self.i = i + 1
        elif k == "F":
            expr = Literal(self.tokpos(i), float(V[i]))
            self.i = i + 1
        elif k == "Q":
            expr = self.template()
        elif k == "(":
            self.i = i + 1
            self.skip_nl()
            expr = self.expression()[0]
            self.skip_nl()
            self.expect(")")
        elif k == "[":
            expr = self.tuple()
        elif k == "{":
            expr = self.object()
        elif k == "H" or k == "T":
            expr = self.tf._heredoc(V[i], self.tokpos(i), k == "T")
            self.i = i + 1
        else:
            raise Unhandled
        # index, get_attr, splats: one access node over the whole chain
        i = self.i
        k = K[i]
        if k != "." and k != "[" and k != ".*" and k != "[*]":
            return expr, s, self.E[i - 1]
        steps: list = []
        while True:
            if k == ".":
                nk = K[i + 1]
                if nk == "N":
                    steps.append(("attr", V[i + 1]))
                elif nk == "I" and V[i + 1][0] != "-":
                    steps.append(("index", Literal(self.tokpos(i + 1), int(V[i + 1]))))
                else:
                    raise Unhandled
                i += 2
            elif k == "[":
                self.i = i + 1
                self.skip_nl()
                index = self.expression()[0]
                self.skip_nl()
                i = self.expect("]") + 1
                steps.append(("index", index))
            elif k == ".*" or k == "[*]":
                steps.append(("splat", None))
                i += 1
            else:
                break
            k = K[i]
        self.i = i
        end = self.E[i - 1]
        pos = self.pos(s, end)
        if isinstance(expr, Traversal):
            return Traversal(pos, expr.root, expr.steps + tuple(steps)), s, end
        if isinstance(expr, GetAttr):
            return GetAttr(pos, expr.target, expr.steps + tuple(steps)), s, end
        return GetAttr(pos, expr, tuple(steps)), s, end

    # function_call : identifier (COLONS identifier COLONS identifier)? LPAR new_line_or_comment?
    #                 arguments? new_line_or_comment? RPAR
    # arguments : (expression (new_line_or_comment? COMMA new_line_or_comment? expression)*
    #              (COMMA | ELLIPSIS)? new_line_or_comment?)
    def call(self, names: list, first: int, after_paren: int) -> Call:
        K = self.K
        self.i = after_paren
        self.skip_nl()
        args = []
        expand = False
        if K[self.i] != ")":
            args.append(self.expression()[0])
            while True:
                before = self.i
                self.skip_nl()
                if K[self.i] == ",":
                    self.i += 1
                    self.skip_nl()
                    if K[self.i] == ")":
                        if K[before] == "L":  # no newline before a trailing comma
                            raise Unhandled
                        break
                    args.append(self.expression()[0])
                    continue
                self.i = before  # no newline before an ELLIPSIS
                if K[self.i] == "...":
                    expand = True
                    self.i += 1
                break
            self.skip_nl()
        close = self.expect(")")
        pos = self.pos(self.S[first], self.E[close])
        return Call(pos, "::".join(names), tuple(args), expand)

    def template(self) -> Expr:
        K, V = self.K, self.V
        first = self.i
        i = first + 1
        parts: list = []
        unescape = self.tf._unescape
        while True:
            k = K[i]
            if k == "C":
                parts.append(unescape(V[i]))
                i += 1
            elif k == "X":
                parts.append(V[i][1:])
                i += 1
            elif k == "${":
                self.i = i + 1
                parts.append(self.expression()[0])
                i = self.expect("}")
                i += 1
            elif k == "q":
                break
            else:
                raise Unhandled
        self.i = i + 1
        return self.tf._join_parts(parts, self.pos(self.S[first], self.E[i]))

    # tuple : LSQB nl? (expression nl? COMMA nl?)* (expression nl? COMMA? nl?)? RSQB
    def tuple(self) -> Expr:
        K, V = self.K, self.V
        first = self.i
        self.i += 1
        self.skip_nl()
        if K[self.i] == "N" and V[self.i] == "for":
            return self.for_expr(first, False)
        items = []
        while K[self.i] != "]":
            items.append(self.expression()[0])
            self.skip_nl()
            if K[self.i] == ",":
                self.i += 1
                self.skip_nl()
            elif K[self.i] != "]":
                raise Unhandled
        close = self.i
        self.i += 1
        return TupleExpr(self.pos(self.S[first], self.E[close]), tuple(items))

    # object : LBRACE nl? ((object_elem | (object_elem nl? COMMA)) nl?)* RBRACE
    # object_elem : object_elem_key ( EQ | COLON ) expression
    def object(self) -> Expr:
        K, V = self.K, self.V
        first = self.i
        self.i += 1
        self.skip_nl()
        i = self.i
        if K[i] == "N" and V[i] == "for" and K[i + 1] != ":":  # (for = ...: A, a key)
            return self.for_expr(first, True)
        items = []
        while True:
            i = self.i
            k = K[i]
            if k == "}":
                break
            if k == "A" or (k == "N" and K[i + 1] == ":"):
                name = V[i]  # a bare name (or keyword) is the key's text; true/false/null values
                key: Expr = Literal(self.tokpos(i), _LITERALS.get(name, name))
                self.i = i + 1 if k == "A" else i + 2
            else:
                if k == "N" and V[i] in _KEYWORDS:
                    raise Unhandled  # lark lexes it as a keyword here
                key = self.expression()[0]
                if K[self.i] != "=" and K[self.i] != ":":
                    raise Unhandled
                self.i += 1
            items.append((key, self.expression()[0]))
            self.skip_nl()
            if K[self.i] == ",":
                self.i += 1
                self.skip_nl()
        self.i = i + 1
        return ObjectExpr(self.pos(self.S[first], self.E[i]), tuple(items))

    # for_intro : FOR nl? identifier (COMMA identifier nl?)? nl? IN nl? expression nl? COLON nl?
    # for_tuple_expr : LSQB nl? for_intro nl? expression nl? for_cond? nl? RSQB
    # for_object_expr : LBRACE nl? for_intro nl? expression FOR_OBJECT_ARROW nl? expression
    #                   nl? ELLIPSIS? nl? for_cond? nl? RBRACE
    def for_expr(self, first: int, is_object: bool) -> Expr:
        K, V = self.K, self.V
        self.i += 1
        self.skip_nl()
        names = [V[self.expect("N")]]
        if (names[0] in _KEYWORDS or names[0] in _LITERALS) and K[self.i - 2] == "L" == K[
            self.i - 3
        ]:
            raise Unhandled  # after two newlines lark lexes the keyword
        if K[self.i] == ",":
            self.i += 1
            names.append(V[self.expect("N")])
        self.skip_nl()
        if V[self.expect("N")] != "in":
            raise Unhandled
        self.skip_nl()
        collection = self.expression()[0]
        self.skip_nl()
        self.expect(":")
        self.skip_nl()
        key = None
        if is_object:
            key = self.expression()[0]
            self.expect("=>")
            self.skip_nl()
        value = self.expression()[0]
        self.skip_nl()
        if is_object and K[self.i] == "...":
            self.i += 1
            self.skip_nl()
        cond = None
        if K[self.i] == "N" and V[self.i] == "if":
            self.i += 1
            self.skip_nl()
            cond = self.expression()[0]
            self.skip_nl()
        close = self.expect("}" if is_object else "]")
        key_var, value_var = (names[0], names[1]) if len(names) > 1 else (None, names[0])
        pos = self.pos(self.S[first], self.E[close])
        return ForExpr(pos, key_var, value_var, collection, key, value, cond, is_object)


def parse_body(path: str, text: str) -> FileTree:
    """``text`` (the file's text, without the parse's extra trailing newline) -> FileTree, or
    ``Unhandled``."""
    parser = _Parser(text + "\n")
    blocks, attributes = parser.body(True)
    return FileTree(path, blocks, attributes)


def parse_inline(text: str) -> Expr:
    """The value of ``x = <expression>`` written alone in ``text`` (as ``terraform.
    _parse_inline_expr`` builds it), or ``Unhandled``."""
    parser = _Parser(text + "\n")
    K = parser.K
    if K[0] != "A":  # x =
        raise Unhandled
    parser.i = 1
    value = parser.expression()[0]
    parser.skip_nl()
    if K[parser.i] != _END:
        raise Unhandled
    return value
