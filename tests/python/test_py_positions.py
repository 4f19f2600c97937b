"""Positions and texts of the nodes the analysis places, read from the stdlib ``ast`` tree
(``frontends.python_ast``), equal libcst's (``PositionProvider``, ``code_for_node``): what the
findings showed when the analysis ran on libcst, and must still show."""

from __future__ import annotations

import ast
import sysconfig
from collections import Counter
from pathlib import Path

import pytest

from dhlint.frontends.python_ast import Arg, Places, call_args, decorators, params
from dhlint.models.python_dataflow import _subscript_items

REPO = Path(__file__).resolve().parents[2]

SAMPLES = {
    "tricky": (
        "# header comment\n\nimport pandas as pd; import requests\n\n\n"
        "@staticmethod\n\n# between\n@other(\n  1)\n"
        "def f(df, /, b=(1), *args, c: int = 2, **kw):\n    df.to_csv('x.csv')\n\n"
        "x = (foo(a,  verify=False ,)) ; y = 2\n"
        "s = ('a'\n     'b' f'{x!r:.3f}' f\"{d['k']:>{w}}\" )\n"
        "r = requests.get(url,\n    verify=False,  # internal\n    timeout=3)\n"
        "g((x for x in y), ( a ), b, *rest, k=(v), **kw)\n"
        "t = ( 1, 2 ); u = (df.merge(a)  # c\n      .to_csv('x')\n)\n"
        "v = a or b or c; w = not (x)\n"
        "async def h(*, k=1, **rest): return (yield)\n"
        'b = rb"\\d" b"x" + f"""{\n  a +\n  b}"""\n'
        "print(f'{x=}', f'{x!r}', f'{{x}}{y}', f'{a[1:2]:{w}.{p}f}')\n"
        "z = df.loc[:, ['a', 'b']]; q = m[(1, 2)]\n"
        "lam = lambda a, *b, **c: (a)\n"
    ),
    "unicode": (
        "# -*- coding: utf-8 -*-\nimport logging\nlog = logging.getLogger('ünï')\n"
        "def f(rue, straße='Grüße'):\n    log.info('émail %s', straße, extra={'ç': rue})\n"
        "    return f'{rue}→{straße!r}' 'é' \"ß\"\n"
    ),
    # Literals told apart by their quotes alone (``Places._one_literal``) or by the scan: a
    # triple-quoted string and an empty one, empty ones, quotes inside, an escaped quote.
    "quotes": (
        'a = """a""" ""; b = ""; c = """"""; d = \'\'\'\'\'\' \'\'\n'
        "e = 'say \"hi\"' R'x'; f = rb'x' B'y'; g = \"it's\" 'q'; h = 'a\\'b' \"c\"\n"
        "i = '''x''' '''y'''; j = u\"\"\"k'''l\"\"\"\n"
        'k = ("a"  # one\n     "b")\n'
    ),
}


TRICKY = (
    "# header comment\n\nimport pandas as pd; import requests\n\n\n"
    "# a comment before a decorated function\n@staticmethod\n\n# between\n@other(\n  1)\n"
    "def f(df):\n    df.to_csv('x.csv')\n    # trailing comment in the block\n\n"
    "if True:\n    requests.get('https://a.example/x')\nelse:\n    pass\n"
    "x = 1; y = requests.post('https://b.example', verify=False)\n"
    "class C:\n    URL = 'https://c.example'\n"
    "    def g(self):\n        return requests.get(self.URL)\n"
    "\n# methods are units of their own, whatever the class's indentation\n"
    'class D(C):\n\t"""Doc."""\n\n\t# before a decorated method\n\t@property\n\n'
    "\t# between\n\tdef h(self):\n\t\tclass Inner:\n\t\t\tpass\n"
    "\t\treturn requests.post('https://d.example', verify=False)\n"
    "\tKEY = 'https://e.example'; OTHER = 2\n"
    "\tdef k(self, email):\n\t\tprint(email)\n"
)


# A value built by augmented assignment: the ``+=`` is a step of the flow, placed with its line
# (once it made the whole module be generated: doctest.py, 100 kB, for one finding).
AUGMENTED = (
    "import logging\n"
    "log = logging.getLogger(__name__)\n"
    "\n"
    "def f(email, rows):\n"
    "    msg = 'user '\n"
    "    msg += email\n"
    "    for row in rows:\n"
    "        pass\n"
    "    log.info(msg)\n"
)


# Statements at every depth, in every kind of block, each indented its own way.
NESTED = (
    "import requests, logging\n"
    "log = logging.getLogger(__name__)\n"
    "\n"
    "def f(rows, email):\n"
    "    total = 0\n"
    "    for row in rows:\n"
    "        if row:  # a comment on the header\n"
    "          total += 1\n"
    "        elif row is None: print(email)\n"
    "        elif total:\n"
    "             log.info('user %s', email)\n"
    "        else:\n"
    "            pass\n"
    "    else:\n"
    "        try:\n"
    "            requests.post('https://a.example', json={'email': email})\n"
    "        except (ValueError, KeyError) as exc:\n"
    "\n"
    "            # a comment before\n"
    "            print(exc, email)\n"
    "        else:\n"
    "            total = 1\n"
    "        finally:\n"
    "            requests.get('http://b.example')\n"
    "    while total:\n"
    "        with open('x') as fh:\n"
    "            @staticmethod\n"
    "\n"
    "            # between\n"
    "            def inner(a=requests.get('https://c.example')):\n"
    "                return a\n"
    "            total -= 1\n"
    "    match total:\n"
    "        case 1:\n"
    "            print(email)\n"
    "    return total\n"
)


def _texts():
    yield from SAMPLES.items()
    # Statements of every kind at every depth, CRLF line ends too (once the texts of the
    # partial position pass that libcst needed).
    for name, text in (("TRICKY", TRICKY), ("NESTED", NESTED), ("AUGMENTED", AUGMENTED)):
        yield name, text
        yield f"{name}-crlf", text.replace("\n", "\r\n")
    for path in sorted((REPO / "fixtures").rglob("*.py")):
        yield str(path.relative_to(REPO)), path.read_text(encoding="utf-8")
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for name in ("smtplib.py", "tarfile.py", "ftplib.py"):
        yield name, (stdlib / name).read_text(encoding="utf-8")


def _libcst_places(text: str) -> Counter:
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    module = cst.parse_module(text)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    kinds = {
        cst.Call: "call", cst.Name: "name", cst.Attribute: "expr", cst.Subscript: "expr",
        cst.Arg: "arg", cst.Param: "param", cst.Decorator: "decorator",
        cst.FormattedStringExpression: "field", cst.Tuple: "expr", cst.GeneratorExp: "expr",
        cst.Dict: "expr", cst.List: "expr", cst.BinaryOperation: "expr", cst.Lambda: "expr",
        cst.SimpleString: "string", cst.FormattedString: "string",
    }  # fmt: skip
    found: Counter = Counter()

    class Visit(cst.CSTVisitor):
        def on_visit(self, node) -> bool:
            if type(node) in (cst.Import, cst.ImportFrom):
                return False  # dotted names: strings in ``ast``
            kind = kinds.get(type(node))
            if kind is not None:
                rng = positions[node]
                where = (rng.start.line, rng.start.column, rng.end.line, rng.end.column)
                # Parameters and decorators are placed, never quoted.
                code = " ".join(module.code_for_node(node).split())
                found[(kind, where, "" if kind in ("param", "decorator") else code)] += 1
            if type(node) is cst.Call and type(node.func) is cst.Attribute:
                attr = positions[node.func.attr]
                found[("attr", (attr.start.line, attr.start.column))] += 1
            if type(node) is cst.FormattedStringExpression:
                node.expression.visit(self)  # not its format spec: the analysis never reads it
                return False
            return True

    module.visit(Visit())
    return found


def _walk(root: ast.AST):
    """Every node, but not inside strings (``string_parts`` gives their parts)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if type(node) is ast.JoinedStr or type(node) is ast.Constant:
            continue
        stack.extend(ast.iter_child_nodes(node))


def _ast_places(text: str) -> Counter:
    places = Places(text)
    found: Counter = Counter()

    def add(kind: str, node) -> None:
        start, end = places.span(node)
        where = (*places.point(start), *places.point(end))
        code = "" if kind in ("param", "decorator") else " ".join(places.code(node).split())
        found[(kind, where, code)] += 1

    kinds = {
        ast.Call: "call", ast.Name: "name", ast.Attribute: "expr", ast.Subscript: "expr",
        ast.Tuple: "expr", ast.GeneratorExp: "expr", ast.Dict: "expr", ast.List: "expr",
        ast.BinOp: "expr", ast.Lambda: "expr",
    }  # fmt: skip
    roots: list = [ast.parse(text)]
    skip: set[int] = set()
    while roots:
        for node in _walk(roots.pop()):
            kind = type(node)
            if kind is ast.JoinedStr or (kind is ast.Constant and type(node.value) in (str, bytes)):
                for part in places.string_parts(node):
                    add("string", part)
                    for piece in getattr(part, "pieces", ()):
                        if not isinstance(piece, str):
                            add("field", piece)
                            if piece.expression is not None:
                                roots.append(piece.expression)
                continue
            if (
                kind is ast.Subscript
                and type(node.slice) is ast.Tuple
                and _subscript_items(node) is node.slice.elts  # libcst: the items, no tuple
            ):
                skip.add(id(node.slice))
            if kind in kinds and id(node) not in skip:
                add(kinds[kind], node)
            if kind is ast.Call:
                for arg in call_args(node):
                    add("arg", arg)
                if type(node.func) is ast.Attribute:
                    end = places.span(node.func)[1]
                    found[("attr", places.point(end - len(node.func.attr)))] += 1
            elif kind is ast.ClassDef:  # libcst's Args
                for base in node.bases:
                    starred = type(base) is ast.Starred
                    add("arg", Arg(base, base.value if starred else base, None, "*" * starred))
                for key in node.keywords:
                    add("arg", Arg(key, key.value, key.arg, "" if key.arg else "**"))
            if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
                positional, kwonly, star, star_kwarg = params(node, places)
                for param in (*positional, *kwonly, star, star_kwarg):
                    if param is not None:
                        add("param", param)
                for decorator in decorators(node, places) if kind is not ast.Lambda else ():
                    add("decorator", decorator)
    return found


@pytest.mark.parametrize("name, text", list(_texts()), ids=lambda v: str(v)[:40])
def test_positions_and_texts_equal_libcsts(name, text):
    pytest.importorskip("libcst")
    expected, got = _libcst_places(text), _ast_places(text)
    # libcst has Name nodes for attributes, keywords, parameters, imports...: only compare the
    # names ``ast`` has as Name nodes.
    names = {k for k in got if k[0] == "name"}
    expected = Counter({k: v for k, v in expected.items() if k[0] != "name" or k in names})
    missing, extra = expected - got, got - expected
    assert not missing and not extra, (name, sorted(missing)[:8], sorted(extra)[:8])


def test_a_facts_scope_is_its_whole_line_of_statements():
    # libcst's SimpleStatementLine: ``x = (1,\n 2); requests.get(...)`` is one, lines 2-3; a
    # one-line block's statements are their owner's (the if statement).
    from dhlint.analysis import BuildEnv
    from dhlint.models.python import build_models
    from dhlint.policy import default_policy
    from dhlint.types import SourceFile

    text = (
        "import requests\nx = (1,\n 2); requests.get('https://a.example', verify=False)\n"
        "if x: y = (1,\n  2); requests.get('http://b.example')\nz = 1\n"
        "requests.get('https://c.example')\n"
    )
    source = SourceFile("e.py", "/x/e.py", "python", text)
    env = BuildEnv(policy=default_policy(), root="/x", options={"python_full_analysis": True})
    (model,) = build_models([source], env).models
    assert [(t.kind, t.scope, t.location.start_line) for t in model.tls] == [
        ("verify-false", (2, 3), 3)
    ]
    assert [(e.url, e.scope) for e in model.endpoints] == [
        ("https://a.example", (2, 3)),
        ("http://b.example", (4, 5)),
        ("https://c.example", (7, 7)),
    ]
