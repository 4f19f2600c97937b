"""Terraform frontend: ``.tf``/``.tfvars`` (python-hcl2 8 lark parse tree) and ``.tf.json``/
``.tfvars.json`` (YAML compose on the JSON text, for node marks) -> ``terraform_ast.FileTree``.

This is the only module that knows python-hcl2. ``hcl_fast`` parses first: it builds the tree
the lark path would, and leaves to it every text it is not sure to read alike (lark is imported
only then). The lark path parses with python-hcl2's grammar and post-lexer and reads the raw
lark tree, whose tokens carry line and column, while the dict serialisation (``with_meta``) does
not carry reliable lines. A file that fails to parse raises ``FrontendError`` with the line and
column of the problem.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from dhlint.compiled import compiled_path
from dhlint.frontends.terraform_ast import (
    DIRECTIVE,
    NOPOS,
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
    Template,
    Traversal,
    TupleExpr,
    UnaryOp,
)
from dhlint.types import FrontendError

__all__ = ["parse_file", "parse_hcl", "parse_json"]


def parse_file(path: str, text: str) -> FileTree:
    """Parse one Terraform file by its name: ``.json`` variants as JSON, the rest as HCL."""
    if path.endswith(".json"):
        return parse_json(path, text)
    return parse_hcl(path, text)


# --- HCL -----------------------------------------------------------------------------------------
def parse_hcl(path: str, text: str) -> FileTree:
    """The fast parser (``hcl_fast``) when it handles the text, else lark's parse converted."""
    if fast_path_grammar():
        from dhlint.frontends import hcl_fast

        try:
            return hcl_fast.parse_body(path, text)
        except Exception:  # anything it does not handle as lark would: lark decides
            pass
    return parse_hcl_lark(path, text)


# The sha256 (first 16 hex digits) of the hcl2.lark and postlexer.py the fast parser was written
# against (python-hcl2 8.1.4). Another grammar (a python-hcl2 release that changes them) may read
# texts otherwise than the fast parser: then every file goes to lark, slower but as it says.
FAST_PATH_GRAMMAR_SHA = "31fab601785e952f"


@functools.cache
def fast_path_grammar() -> bool:
    """Whether the installed python-hcl2 grammar is the one ``hcl_fast`` reproduces."""
    import hashlib

    try:
        spec = importlib.util.find_spec("hcl2")  # found, not imported (see _hcl2_parts)
        directory = Path(spec.submodule_search_locations[0])  # type: ignore[union-attr,index]
        text = (directory / "hcl2.lark").read_bytes() + (directory / "postlexer.py").read_bytes()
    except (OSError, ImportError, AttributeError, TypeError, IndexError):
        return False
    return hashlib.sha256(text).hexdigest()[:16] == FAST_PATH_GRAMMAR_SHA


def parse_hcl_lark(path: str, text: str) -> FileTree:
    """lark's parse with python-hcl2's grammar, converted (what ``hcl_fast`` must equal)."""
    _load_lark()
    try:
        tree = _parse_tree(text)
    except UnexpectedInput as exc:
        raise FrontendError(_lark_reason(exc), exc.line, exc.column) from None
    except (LarkError, RecursionError, ValueError) as exc:
        raise FrontendError(f"invalid HCL: {type(exc).__name__}") from None
    body = _first_tree(tree, "body")
    if body is None:
        return FileTree(path)
    try:
        blocks, attributes = _body(body)
    except (ValueError, RecursionError) as exc:
        # The grammar lexes a few texts no value converts from (FLOAT_LITERAL takes -1-2.5).
        raise FrontendError(f"invalid HCL: {exc}") from None
    return FileTree(path, blocks, attributes)


def _load_lark() -> None:
    """lark, imported when the fast parser leaves a text to it (a one-file run needs none)."""
    global Lark, LarkError, Token, Tree, UnexpectedInput
    from dhlint.frontends._lark import Lark, LarkError, Token, Tree, UnexpectedInput


@functools.cache
def _parser() -> Lark:
    """python-hcl2's grammar and post-lexer, without lark's position propagation.

    Propagating positions to every tree node doubles the parse time; a node's position is its
    first and last token's instead (every HCL terminal is kept in the tree), read only for the
    nodes the tree is converted from.
    """
    _load_lark()
    grammar, post_lexer = _hcl2_parts()
    return Lark.open(
        grammar,
        parser="lalr",
        propagate_positions=False,
        postlex=post_lexer(),
        cache=_parser_cache(),
    )


def _hcl2_parts() -> tuple[str, type]:
    """python-hcl2's grammar file and post-lexer class.

    Read from its package directory without importing the package: ``hcl2/__init__`` imports
    its whole API (serialiser, reconstructor, rule classes), 15-20 ms of a one-file run that
    uses none of it. Should a release move these files, the package is imported instead."""
    try:
        spec = importlib.util.find_spec("hcl2")
        directory = Path(spec.submodule_search_locations[0])  # type: ignore[union-attr,index]
        grammar = directory / "hcl2.lark"
        source = importlib.util.spec_from_file_location(
            "dhlint._hcl2_postlexer", directory / "postlexer.py"
        )
        module = importlib.util.module_from_spec(source)  # type: ignore[arg-type]
        source.loader.exec_module(module)  # type: ignore[union-attr]
        if grammar.is_file():
            return str(grammar), module.PostLexer
    except (ImportError, OSError, AttributeError, TypeError, IndexError):
        pass
    import hcl2.parser
    from hcl2.postlexer import PostLexer

    return str(Path(hcl2.parser.__file__).with_name("hcl2.lark")), PostLexer


def _parser_cache() -> str | bool:
    """Where lark keeps the compiled parser (compiling takes about a second, loading 0.07 s).

    Not lark's default, the shared temp directory: lark unpickles the file, and anyone can
    write there. Lark checks the file's grammar hash and rebuilds a stale or broken one; with
    no writable place it compiles every run.
    """
    return compiled_path(".hcl2-lark-cache.bin") or False


def _parse_tree(text: str) -> Tree:
    # The trailing newline is python-hcl2's own workaround: its grammar has no end-of-file token.
    return _parser().parse(text + "\n")


def _lark_reason(exc: UnexpectedInput) -> str:
    token = getattr(exc, "token", None)
    if token is not None and getattr(token, "type", "") == "$END":
        return "invalid HCL: unexpected end of file (unclosed block or string?)"
    if token is not None:
        text = str(token).strip()
        if not text:  # a line break or blanks: an expression or a block left unfinished
            return "invalid HCL: unexpected end of line (an expression or block is unfinished)"
        return f"invalid HCL: unexpected '{text.splitlines()[0][:30]}'"
    char = getattr(exc, "char", None)
    if char is not None:
        return f"invalid HCL: unexpected character {char!r}"
    return "invalid HCL"


def _pos(node: object) -> Pos:
    if isinstance(node, Token):
        if node.line is None:
            return NOPOS
        return Pos(node.line, node.column, node.end_line or node.line, node.end_column or 0)
    first, last = _edge_token(node, 0), _edge_token(node, -1)
    if first is None or last is None or first.line is None:
        return NOPOS
    return Pos(first.line, first.column, last.end_line, last.end_column)


def _edge_token(node: object, side: int) -> Token | None:
    """The first (side 0) or last (side -1) token under a node."""
    if isinstance(node, Token):
        return node
    children = node.children if side == 0 else reversed(node.children)
    for child in children:
        token = _edge_token(child, side)
        if token is not None:
            return token
    return None


def _first_tree(tree: Tree, name: str) -> Tree | None:
    for child in tree.children:
        if isinstance(child, Tree) and child.data == name:
            return child
    return None


def _subtrees(tree: Tree) -> list[Tree]:
    """Children that are syntax (no punctuation tokens, no newlines/comments)."""
    return [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _body(body: Tree) -> tuple[tuple[Block, ...], dict[str, Attribute]]:
    blocks: list[Block] = []
    attributes: dict[str, Attribute] = {}
    for child in _subtrees(body):
        if child.data == "attribute":
            name_node, value_node = _subtrees(child)[0], _subtrees(child)[-1]
            name = _name(name_node)
            attributes[name] = Attribute(name, _expr(value_node), _pos(name_node))
        elif child.data == "block":
            blocks.append(_block(child))
    return tuple(blocks), attributes


def _block(tree: Tree) -> Block:
    names = [c for c in _subtrees(tree) if c.data != "body"]
    body = _first_tree(tree, "body")
    blocks, attributes = _body(body) if body is not None else ((), {})
    head = _pos(names[0])
    last = _pos(names[-1])
    end = _pos(tree)
    return Block(
        type=_name(names[0]),
        labels=tuple(_name(n) for n in names[1:]),
        attributes=attributes,
        blocks=blocks,
        pos=Pos(head.line, head.col, last.end_line, last.end_col),
        end_line=end.end_line,
    )


def _name(node: Tree) -> str:
    if node.data == "string":
        return "".join(_string_chars(p) for p in node.children if isinstance(p, Tree))
    for token in node.scan_values(lambda t: isinstance(t, Token)):
        return str(token)
    return ""


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def _unescape(text: str) -> str:
    def repl(match: re.Match) -> str:
        esc = match.group(1)
        if esc[0] in "uU" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        return _ESCAPES.get(esc, "\\" + esc)

    return _ESCAPE_RE.sub(repl, text)


def _string_chars(part: Tree) -> str:
    token = part.children[0]
    if isinstance(token, Token):
        if token.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
            return str(token)[1:]
        return _unescape(str(token))
    return ""


def _expr(node: object) -> Expr:
    if isinstance(node, Token):
        return Literal(_pos(node), str(node))
    assert isinstance(node, Tree)
    kind = node.data
    subs = _subtrees(node)
    if kind == "expr_term" and subs:
        return _expr(subs[0])  # a wrapper: its position is its content's, computed there
    pos = _pos(node)
    if kind == "expr_term":
        return Literal(pos, None)
    if kind == "int_lit":
        return Literal(pos, int(str(node.children[0])))
    if kind == "float_lit":
        return Literal(pos, float(str(node.children[0])))
    if kind == "literal_value":
        return Literal(pos, {"true": True, "false": False}.get(str(node.children[0])))
    if kind == "string":
        return _template(node, pos)
    if kind == "template_string":
        return Literal(pos, _unescape(str(node.children[0])[2:-2]))
    if kind in ("heredoc_template", "heredoc_template_trim"):
        return _heredoc(str(node.children[0]), pos, kind.endswith("trim"))
    if kind in ("identifier", "keyword"):
        return Traversal(pos, _name(node), ())
    if kind == "tuple":
        return TupleExpr(pos, tuple(_expr(s) for s in subs))
    if kind == "object":
        items = []
        for elem in subs:
            key_node, value_node = _subtrees(elem)[0], _subtrees(elem)[-1]
            items.append((_object_key(key_node), _expr(value_node)))
        return ObjectExpr(pos, tuple(items))
    if kind == "function_call":
        names = [_name(s) for s in subs if s.data == "identifier"]
        args_tree = _first_tree(node, "arguments")
        args = tuple(_expr(a) for a in _subtrees(args_tree)) if args_tree is not None else ()
        expand = args_tree is not None and any(
            isinstance(t, Token) and t.type == "ELLIPSIS" for t in args_tree.children
        )
        return Call(pos, "::".join(names), args, expand)
    if kind in ("index_expr_term", "get_attr_expr_term", "attr_splat_expr_term"):
        return _access(_expr(subs[0]), _steps(subs[1]), pos)
    if kind == "full_splat_expr_term":
        return _access(_expr(subs[0]), _steps(subs[1]), pos)
    if kind == "conditional":
        return Conditional(pos, _expr(subs[0]), _expr(subs[1]), _expr(subs[2]))
    if kind == "binary_op":
        term = subs[1]
        op_tree, right = _subtrees(term)[0], _subtrees(term)[-1]
        left_e, right_e = _expr(subs[0]), _expr(right)
        span = Pos(left_e.pos.line, left_e.pos.col, right_e.pos.end_line, right_e.pos.end_col)
        return BinaryOp(span, str(op_tree.children[0]), left_e, right_e)
    if kind == "unary_op":
        return UnaryOp(pos, str(node.children[0]), _expr(subs[0]))
    if kind in ("for_tuple_expr", "for_object_expr"):
        return _for(node, pos, kind == "for_object_expr")
    if kind == "interpolation":
        return _expr(subs[0])
    if kind in _DIRECTIVE_KINDS:
        # %{ if cond }, %{ for k, v in coll }...: evaluated with the template's other parts
        tokens = [str(t) for t in node.children if isinstance(t, Token)]
        strip = (len(tokens) > 1 and tokens[1] == "~", len(tokens) > 1 and tokens[-2] == "~")
        names = [_name(s) for s in subs if s.data == "identifier"]
        exprs = [_expr(s) for s in subs if s.data != "identifier"]
        return directive(pos, _DIRECTIVE_KINDS[kind], strip, names, exprs[-1] if exprs else None)
    # Anything new in the grammar: keep it as an unknown call.
    return Call(pos, f"__{kind}__", ())


MAX_DIRECTIVES = 256  # in one template; beyond, the template is not evaluated
_DIRECTIVE_KINDS = {
    "template_if_start": "if",
    "template_else": "else",
    "template_endif": "endif",
    "template_for_start": "for",
    "template_endfor": "endfor",
}


def directive(
    pos: Pos, kind: str, strip: tuple[bool, bool], names: list[str], expr: Expr | None
) -> Call:
    """A template directive as a ``DIRECTIVE`` call: its kind, whether it strips the white
    space before and after it (``~``), the loop's key and value names, the condition or the
    collection. ``terraform_eval`` evaluates the template's directives together."""
    key, value = (["", "", *names])[-2:]  # for v in ... has no key name
    args = (kind, strip[0], strip[1], key, value, expr)
    return Call(pos, DIRECTIVE, tuple(a if isinstance(a, Expr) else Literal(pos, a) for a in args))


def parse_directive(inner: str, pos: Pos) -> Call:
    """The text between ``%{`` and ``}`` -> a ``DIRECTIVE`` call (``"unparsed"`` kind when it is
    none of if/else/endif/for/endfor)."""
    text = inner.strip()
    left, right = text.startswith("~"), text.endswith("~") and len(text) > 1
    text = text[1 if left else 0 : len(text) - 1 if right else len(text)].strip()
    word, _, rest = text.partition(" ")
    if word in ("else", "endif", "endfor") and not rest.strip():
        return directive(pos, word, (left, right), [], None)
    if word == "if" and rest.strip():
        return directive(pos, "if", (left, right), [], _parse_inline_expr(rest, pos))
    if word == "for":
        names, sep, coll = rest.partition(" in ")
        idents = [n.strip() for n in names.split(",")]
        if sep and 1 <= len(idents) <= 2 and all(n.isidentifier() for n in idents):
            return directive(pos, "for", (left, right), idents, _parse_inline_expr(coll, pos))
    return directive(pos, "unparsed", (left, right), [], None)


def _object_key(node: Tree) -> Expr:
    subs = _subtrees(node)
    inner = _expr(subs[0]) if subs else Literal(_pos(node), _name(node))
    # A bare name is a literal key (`{ env = "x" }`); parentheses make it an expression.
    if isinstance(inner, Traversal) and not inner.steps:
        is_paren = subs and subs[0].data == "expr_term" and _first_tree(subs[0], "identifier")
        if is_paren or not subs or subs[0].data in ("identifier", "keyword"):
            return Literal(inner.pos, inner.root)
    return inner


def _steps(node: Tree) -> tuple:
    kind = node.data
    if kind == "get_attr":
        return (("attr", _name(_subtrees(node)[0])),)
    if kind == "braces_index":
        return (("index", _expr(_subtrees(node)[0])),)
    if kind == "short_index":
        token = node.children[-1]
        return (("index", Literal(_pos(token), int(str(token)))),)
    if kind in ("attr_splat", "full_splat"):
        steps: list = [("splat", None)]
        for sub in _subtrees(node):
            steps.extend(_steps(sub))
        return tuple(steps)
    return ()


def _access(target: Expr, steps: tuple, pos: Pos) -> Expr:
    if isinstance(target, Traversal):
        return Traversal(pos, target.root, target.steps + steps)
    if isinstance(target, GetAttr):
        return GetAttr(pos, target.target, target.steps + steps)
    return GetAttr(pos, target, steps)


def _for(node: Tree, pos: Pos, is_object: bool) -> Expr:
    intro = _first_tree(node, "for_intro")
    cond_tree = _first_tree(node, "for_cond")
    assert intro is not None
    intro_subs = _subtrees(intro)
    names = [_name(s) for s in intro_subs if s.data == "identifier"]
    collection = _expr(intro_subs[-1])
    body = [s for s in _subtrees(node) if s.data not in ("for_intro", "for_cond")]
    cond = _expr(_subtrees(cond_tree)[-1]) if cond_tree is not None else None
    key_var, value_var = (names[0], names[1]) if len(names) > 1 else (None, names[0])
    if is_object:
        return ForExpr(
            pos, key_var, value_var, collection, _expr(body[0]), _expr(body[1]), cond, True
        )
    return ForExpr(pos, key_var, value_var, collection, None, _expr(body[0]), cond, False)


def _template(node: Tree, pos: Pos) -> Expr:
    parts: list = []
    for part in node.children:
        if not isinstance(part, Tree):
            continue
        inner = part.children[0]
        if isinstance(inner, Tree):
            parts.append(_expr(inner))
        else:
            parts.append(_string_chars(part))
    return _join_parts(parts, pos)


def _join_parts(parts: list, pos: Pos) -> Expr:
    merged: list = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    if not merged:
        return Literal(pos, "")
    if len(merged) == 1 and isinstance(merged[0], str):
        return Literal(pos, merged[0])
    if len(merged) == 1 and not isinstance(merged[0], str):
        return merged[0]  # "${x}" is x itself (keeps its type)
    return Template(pos, tuple(merged))


def _heredoc(raw: str, pos: Pos, trim: bool) -> Expr:
    lines = raw.split("\n")
    body = lines[1:-2] if len(lines) >= 3 else []
    if trim:
        indents = [len(x) - len(x.lstrip()) for x in body if x.strip()]
        cut = min(indents) if indents else 0
        body = [x[cut:] for x in body]
    text = "\n".join(body) + ("\n" if body else "")
    return parse_template_text(text, pos)


def parse_template_text(text: str, pos: Pos) -> Expr:
    """A template body (heredoc, JSON string) -> Literal or Template, interpolations parsed."""
    if "${" not in text and "%{" not in text:
        return Literal(pos, text)
    parts: list = []
    i = directives = 0
    while i < len(text):
        start = _next_interp(text, i)
        if start < 0:
            parts.append(text[i:])
            break
        parts.append(text[i:start])
        end = _matching_brace(text, start + 2)
        if end < 0:
            parts.append(text[start:])
            break
        inner = text[start + 2 : end]
        if text[start] == "%":
            directives += 1
            too_many = directives > MAX_DIRECTIVES  # each is parsed: a bound on the cost
            parts.append(
                directive(pos, "unparsed", (False, False), [], None)
                if too_many
                else parse_directive(inner, pos)
            )
        else:
            parts.append(_parse_inline_expr(inner, pos))
        i = end + 1
    return _join_parts(
        [p.replace("$${", "${").replace("%%{", "%{") if isinstance(p, str) else p for p in parts],
        pos,
    )


def _next_interp(text: str, i: int) -> int:
    while True:
        cands = [p for p in (text.find("${", i), text.find("%{", i)) if p >= 0]
        if not cands:
            return -1
        p = min(cands)
        if p > 0 and text[p - 1] == text[p]:  # $${ and %%{ are escapes
            i = p + 2
            continue
        return p


def _matching_brace(text: str, i: int) -> int:
    depth, quote = 1, False
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = False
        elif ch == '"':
            quote = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def parse_expression(source: str) -> Expr:
    """An expression written alone (a template file's interpolation) -> Expr; one that does not
    parse is an ``__unparsed__`` call, which evaluates to unknown."""
    return _parse_inline_expr(source, NOPOS)


def _parse_inline_expr(source: str, pos: Pos) -> Expr:
    from dhlint.frontends import hcl_fast

    text = f"x = {source.strip().strip('~').strip()}\n"
    try:
        fast = hcl_fast.parse_inline(text)
    except Exception:  # as in parse_hcl: lark decides
        fast = None
    if fast is not None:
        return _relocate(fast, pos)
    _load_lark()
    try:
        tree = _parse_tree(text)
    except (LarkError, RecursionError, ValueError):
        return Call(pos, "__unparsed__", ())
    body = _first_tree(tree, "body")
    attr = _subtrees(body)[0] if body is not None and _subtrees(body) else None
    if attr is None:
        return Call(pos, "__unparsed__", ())
    return _relocate(_expr(_subtrees(attr)[-1]), pos)


def _relocate(expr: Expr, pos: Pos) -> Expr:
    """Expressions parsed out of a heredoc or JSON string take the position of that string."""
    from dataclasses import fields, replace

    changes = {}
    for f in fields(expr):
        value = getattr(expr, f.name)
        if f.name == "pos":
            changes["pos"] = pos
        elif isinstance(value, Expr):
            changes[f.name] = _relocate(value, pos)
        elif isinstance(value, tuple):
            changes[f.name] = _relocate_seq(value, pos)
    return replace(expr, **changes)


def _relocate_seq(items: tuple, pos: Pos) -> tuple:
    out = []
    for item in items:
        if isinstance(item, Expr):
            out.append(_relocate(item, pos))
        elif isinstance(item, tuple):
            out.append(_relocate_seq(item, pos))
        else:
            out.append(item)
    return tuple(out)


# --- JSON ----------------------------------------------------------------------------------------
def parse_json(path: str, text: str) -> FileTree:
    """``.tf.json``/``.tfvars.json``: JSON syntax with positions from YAML's composer."""
    node = compose_json(text)
    if node is None:
        return FileTree(path)
    if node.tag != "tag:yaml.org,2002:map":
        raise FrontendError("invalid Terraform JSON: the top level must be an object", 1, 1)
    if path.endswith(".tfvars.json"):
        return FileTree(path, (), _json_attributes(node))
    blocks: list[Block] = []
    for key_node, value_node in node.value:
        block_type = key_node.value
        if block_type.startswith("//"):
            continue
        depth = {
            "resource": 2,
            "data": 2,
            "module": 1,
            "variable": 1,
            "output": 1,
            "provider": 1,
        }.get(block_type, 0)
        blocks.extend(_json_blocks(block_type, (), value_node, depth, _node_pos(key_node)))
    return FileTree(path, tuple(blocks))


def compose_json(text: str, *, checked: bool = False):
    """Compose JSON text into YAML nodes (which carry marks). Raises FrontendError.

    The json module reads the text first (``check_json``; ``checked``: the caller has done
    so): libyaml's composer recurses in C, and a document nested some ten thousand levels
    deep overflows the C stack (a segmentation fault that ends the whole run), where the json
    module stops at Python's recursion limit (about a thousand levels, which libyaml composes
    safely) and names the first syntax error."""
    import yaml

    if not checked:
        check_json(text)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(text.replace("\t", " "), Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "syntax error"
        line = mark.line + 1 if mark else 0
        col = mark.column + 1 if mark else 0
        raise FrontendError(f"invalid JSON: {problem}", line, col) from None


def compose_json_member(
    text: str, path: tuple[str, ...], top: dict[str, tuple[int, int]] | None = None
):
    """The node of the member at ``path`` (keys of nested objects) of the JSON object
    ``text``, composed alone with the marks it has in the whole text (``compose_json``'s); None
    when there is no such member. ``text`` must have been read by ``check_json``.

    A plan's ``resource_changes`` and ``configuration`` (two thirds of its text) are read from
    the json module's values only: composing the whole text took 0.2 s of the 55 plans of
    bench/corpus/terraform, the members read for positions a third of that. The member's text
    is composed after as many line breaks and spaces as YAML counts before it (its line and
    column), so its marks are those of the whole text's composition. ``top``: the text's
    ``json_members`` (a caller reading several members of one text scans it once: each scan
    decodes every member's value)."""
    start = 0
    end = len(text)
    for depth, key in enumerate(path):
        if depth == 0 and top is not None:
            found = top.get(key)
        else:
            found = (json_members(text, start) or {}).get(key)
        if found is None:
            return None
        start, end = found
    before = text[:start]
    # YAML's line breaks: \n, \r\n, a lone \r, NEL, LS and PS (in a string too).
    line = (
        before.count("\n")
        + before.count("\r")
        - before.count("\r\n")
        + sum(before.count(c) for c in "\x85\u2028\u2029")
    )
    column = start - 1 - max(before.rfind(c) for c in "\n\r\x85\u2028\u2029")
    return compose_json("\n" * line + " " * column + text[start:end], checked=True)


_DECODER = json.JSONDecoder()
_BLANK = json.decoder.WHITESPACE.match


def json_members(text: str, at: int = 0) -> dict[str, tuple[int, int]] | None:
    """The span of the value of each member of the object at ``at`` (of a name written twice,
    the last, as the json module reads it); None when the value at ``at`` is not an object.
    The members' values are skipped by the json module's scanner."""
    i = _BLANK(text, at).end()
    if text[i : i + 1] != "{":
        return None
    i = _BLANK(text, i + 1).end()
    found: dict[str, tuple[int, int]] = {}
    while text[i : i + 1] == '"':
        name, i = json.decoder.scanstring(text, i + 1)
        i = _BLANK(text, _BLANK(text, i).end() + 1).end()  # past the ":"
        _, end = _DECODER.raw_decode(text, i)
        found[name] = (i, end)
        i = _BLANK(text, end).end()
        if text[i : i + 1] == ",":
            i = _BLANK(text, i + 1).end()
    return found


def check_json(text: str, what: str = "JSON") -> Any:
    """``text`` decoded by the json module, or ``FrontendError`` saying why it cannot be."""
    try:
        return json.loads(text)
    except ValueError as exc:
        line, col = getattr(exc, "lineno", 0), getattr(exc, "colno", 0)
        raise FrontendError(f"invalid {what}: {getattr(exc, 'msg', exc)}", line, col) from None
    except RecursionError:
        raise FrontendError(f"invalid {what}: nested too deeply to read") from None


def _node_pos(node) -> Pos:
    s, e = node.start_mark, node.end_mark
    return Pos(s.line + 1, s.column + 1, e.line + 1, e.column + 1)


def _json_blocks(block_type: str, labels: tuple, node, depth: int, key_pos: Pos) -> list[Block]:
    if node.tag == "tag:yaml.org,2002:seq":
        out: list[Block] = []
        for item in node.value:
            out.extend(_json_blocks(block_type, labels, item, depth, key_pos))
        return out
    if node.tag != "tag:yaml.org,2002:map":
        return []
    if depth > 0:
        out = []
        for k, v in node.value:
            out.extend(_json_blocks(block_type, (*labels, k.value), v, depth - 1, _node_pos(k)))
        return out
    attributes: dict[str, Attribute] = {}
    blocks: list[Block] = []
    for k, v in node.value:
        name = k.value
        if name.startswith("//"):
            continue
        if name in ("lifecycle", "provisioner", "connection", "dynamic"):
            continue
        attributes[name] = Attribute(name, _json_expr(v), _node_pos(k))
    end = _node_pos(node).end_line
    return [Block(block_type, labels, attributes, tuple(blocks), key_pos, end)]


def _json_attributes(node) -> dict[str, Attribute]:
    return {k.value: Attribute(k.value, _json_expr(v), _node_pos(k)) for k, v in node.value}


def _json_expr(node) -> Expr:
    pos = _node_pos(node)
    if node.tag == "tag:yaml.org,2002:map":
        return ObjectExpr(
            pos,
            tuple((Literal(_node_pos(k), k.value), _json_expr(v)) for k, v in node.value),
        )
    if node.tag == "tag:yaml.org,2002:seq":
        return TupleExpr(pos, tuple(_json_expr(v) for v in node.value))
    return (
        Literal(pos, _json_scalar(node))
        if not _is_template(node)
        else parse_template_text(node.value, pos)
    )


def _is_template(node) -> bool:
    return node.tag == "tag:yaml.org,2002:str" and ("${" in node.value or "%{" in node.value)


def _json_scalar(node) -> object:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(value)
        except ValueError:
            return value
    if tag == "tag:yaml.org,2002:float":
        try:
            return float(value)
        except ValueError:
            return value
    return value
