"""The fast HCL parser (``dhlint.frontends.hcl_fast``) against the lark path it stands in for.

``terraform.parse_hcl`` takes the fast parser's tree when it gives one and lark's otherwise, so
the fast parser must never accept a text lark rejects nor build another tree for one it
accepts. Checked on every Terraform file of the repository (and the catalogue's examples),
on seeded mutations of them, and on hand-picked corners of the grammar.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from dhlint.catalog import load_catalog
from dhlint.frontends import hcl_fast, terraform
from dhlint.types import FrontendError
from tests.test_bench_corpus import _write

REPO = Path(__file__).resolve().parents[2]

# Another python-hcl2 grammar turns the fast path off (parse_hcl reads every file with lark):
# then these comparisons say nothing, and the skip says hcl_fast needs a review for it.
pytestmark = pytest.mark.skipif(
    not terraform.fast_path_grammar(),
    reason="python-hcl2's hcl2.lark/postlexer.py are not the ones hcl_fast reproduces "
    "(terraform.FAST_PATH_GRAMMAR_SHA): the fast parser is off; review it for this grammar",
)


def _diff(a: object, b: object, where: str = "$") -> str | None:
    """Where two trees differ: dataclass ==, plus types (``1 == True``), dict key order."""
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} != {type(b).__name__}"
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            found = _diff(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
            if found:
                return found
        return None
    if isinstance(a, dict):
        if list(a) != list(b):  # type: ignore[arg-type]
            return f"{where}: keys {list(a)} != {list(b)}"  # type: ignore[arg-type]
        return next((d for k in a if (d := _diff(a[k], b[k], f"{where}[{k!r}]"))), None)  # type: ignore[index]
    if isinstance(a, tuple):
        if len(a) != len(b):  # type: ignore[arg-type]
            return f"{where}: {len(a)} items != {len(b)}"  # type: ignore[arg-type]
        return next((d for i, x in enumerate(a) if (d := _diff(x, b[i], f"{where}[{i}]"))), None)  # type: ignore[index]
    return None if a == b else f"{where}: {a!r} != {b!r}"


def _lark(path: str, text: str, monkeypatch) -> tuple[str, object]:
    """The lark path alone (heredoc interpolations too): the tree, or the error it gives."""
    with monkeypatch.context() as m:
        m.setattr(hcl_fast, "parse_inline", _unhandled)
        try:
            return "ok", terraform.parse_hcl_lark(path, text)
        except FrontendError as exc:
            return "error", (exc.message, exc.line, exc.col)
        except Exception as exc:  # what the lark path lets through (a float it cannot read)
            return "raises", type(exc).__name__


def _unhandled(*_args):
    raise hcl_fast.Unhandled


def _agree(path: str, text: str, monkeypatch) -> bool:
    """Both paths agree on ``text``; True when the fast parser took it."""
    try:
        fast = hcl_fast.parse_body(path, text)
    except Exception:
        fast = None
    expected = _lark(path, text, monkeypatch)
    if fast is None:
        return False
    assert expected[0] == "ok", (path, text, expected)
    problem = _diff(expected[1], fast)
    assert problem is None, (path, text, problem)
    return True


@functools.cache
def _repository_texts() -> list[tuple[str, str]]:
    """Fixtures, test data, the catalogue's examples, registry-shaped modules of the benchmark's
    generator and, where the benchmark has written it, its whole corpus (not in git)."""
    texts = []
    roots = ("fixtures", "tests", "bench/corpus/terraform", "bench/corpus/terraform-modules")
    for root in roots:
        for path in sorted((REPO / root).rglob("*")):
            if path.suffix in (".tf", ".tfvars") and path.is_file():
                texts.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        _write(Path(tmp), 4)
        for path in sorted(Path(tmp).rglob("*.tf")):
            texts.append((str(path.relative_to(tmp)), path.read_text(encoding="utf-8")))
    for rule in load_catalog():
        for example in (*rule.bad, *rule.good):
            for name, code in example.files.items():
                if name.endswith((".tf", ".tfvars")):
                    texts.append((f"{rule.id}/{name}", code))
    return texts


def test_the_fast_parser_builds_lark_s_tree_for_every_terraform_file_here(monkeypatch):
    texts = _repository_texts()
    assert len(texts) > 250
    fast = sum(_agree(path, text, monkeypatch) for path, text in texts)
    assert fast > 0.99 * len(texts), (fast, len(texts))


_INSERTS = [*'{}[]()"=,.:?\n#$%~*-', "${", "%{", "<<EOF\n", "//", "/*", "\\", "\r", " in ", "-12"]
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*|\d+|\s+|.", re.S)


def _mutate(rng: random.Random, text: str) -> str:
    if not text:
        return text
    kind, at = rng.randrange(6), rng.randrange(len(text))
    tokens = _TOKEN.findall(text)
    j = rng.randrange(len(tokens))
    if kind == 0:
        return text[:at] + text[at + 1 :]
    if kind == 1:
        del tokens[j]
    elif kind == 2:
        tokens.insert(j, tokens[j])
    elif kind == 3:
        return text[:at] + rng.choice(_INSERTS) + text[at:]
    elif kind == 4:
        return text[:at]
    else:
        tokens[j] = rng.choice(_INSERTS)
    return "".join(tokens)


def test_mutated_files_are_rejected_by_both_paths_or_read_alike(monkeypatch):
    """Seeded mutations of real blocks (a character or token deleted, duplicated, replaced,
    punctuation inserted, the text cut): the fast parser leaves each to lark or agrees with it.
    (Run with more seeds and mutants locally: tens of thousands agree.)"""
    rng = random.Random(7)
    snippets = []
    for path, text in _repository_texts():
        lines = text.splitlines(keepends=True)
        try:
            tree = hcl_fast.parse_body(path, text)
        except hcl_fast.Unhandled:
            continue
        for block in tree.blocks:
            snippets.append((path, "".join(lines[block.pos.line - 1 : block.end_line])))
    assert len(snippets) > 400
    taken = 0
    for _ in range(1_500):
        path, text = rng.choice(snippets)
        for _ in range(rng.choice((1, 1, 2))):
            text = _mutate(rng, text)
        taken += _agree(path, text, monkeypatch)
    assert taken > 300  # the check is not vacuous


CORNERS = r"""
x = -1
x = -12
x = -1.5
x = - -12
x = 1-12
x = {a = 1 -12}
x = {a = 1 -12 = 3}
x = {a = b -1}
x = a ? b : c * d\n
x = a ? b : c * d // note\ny = 1
x = a ? b : (c * d\n)
x = a * b\n\n+ c
x = a\n+ b
x = a\n\n+ b
x = a // c\n + b
x = a\n  ? b\n  : c
x = a.0.1
x = a.-12
x = a.1e5
x = {for = 1}
x = {for\n = 1}
x = [for]
x = [for in in x : in]
x = [for k, v in x : k if v]
x = {for k, v in x : k => v... if v}
x = {for k, v in y : k * 2\n => v}
x = [for x in y : x\n ifx]
a = 1 b = 2
x = in
x = [if]
x = f(for)
x = true()
x = {a = 1, in = 2, if = 3, true = 4, null = 5, (a) = 6, "s" = 7}
x = {in.x = 1}
x = {a = b * c\n -d}
x = {a = b * c\n -d = 1}
x = {a = b\n[1] = 2}
x = a.*.b[0].*
x = a[*][*].b
x = a[ * ]
x = (a).b
x = "${a}".b
x = f(x).y[0]
x = 1.x
x = !!a
x = !a.b
x = f(a, b...)
x = f(a\n...)
x = f(a,\n)
x = provider::aws::arn(x)
x = a::b(x)
x = "a${b}c$${d}%%{e}"
x = "${ {a = 1}.a }"
x = "${a ? "}" : "y"}"
x = "${x\n}"
x = "${x * y\n}"
x = "%{ if a }x%{ endif }"
x = "\u00e9\"\\"
a "b${c}" {}
resource "a" "b" # c\n {\n}
x = 1 /* c */ y = 2
x = /* c */ 1
x = <<EOF\nabc ${x}\nEOF\ny = 1
x = <<-EOF\n  abc ${"}"}\n    EOF\n
x = <<EOT\r\nabc\r\nEOT\r\n
x = 1\r\ny = "a\rb"\r\n
x = {a = 1,, b = 2}
x = 1e5 + 1.5e-3 + 007
x = f(-12, v # c\n, )
x = f(-12, v, # c\n)
x = [for k # c\nin\n\nin : 1]
x = [\n\nin]
x = [\nin]
x = [for\n\nin in x : 1]
x = [for\nin in x : in]
x = {\n\nfor = 1}
x = a && (b)\r\n- c
x = {a = b && c\n -d = 1}
x = a || b && c\n\n- d
x = a || b * c\n\n+ d
x = a ? b : c && d\n\n|| e
"""


def _expression(rng: random.Random, depth: int) -> list[str]:
    leaves = [
        "a",
        "in",
        "true",
        "1",
        "-12",
        "-1",
        "1.5",
        '"s"',
        '"${a}b"',
        "a.0.1",
        "<<E\n${x}\nE\n",
    ]
    if depth > 3:
        return [rng.choice(leaves)]
    sub = functools.partial(_expression, rng, depth + 1)
    choice = rng.randrange(11)
    if choice == 0:
        return [*sub(), rng.choice(["+", "-", "*", "==", "<", "&&", "||"]), *sub()]
    if choice == 1:
        return [*sub(), "?", *sub(), ":", *sub()]
    if choice == 2:
        return [rng.choice(["-", "!"]), *sub()]
    if choice == 3:
        return ["(", *sub(), ")"]
    if choice == 4:
        return ["[", *sub(), ",", *sub(), rng.choice([",", ""]), "]"]
    if choice == 5:
        return ["{", rng.choice(["a", "in", "(a)", '"k"']), rng.choice(["=", ":"]), *sub(), "}"]
    if choice == 6:
        return ["f(", *sub(), ",", *sub(), rng.choice(["...", ",", ""]), ")"]
    if choice == 7:
        return [*sub(), rng.choice([".a", ".0", "[0]", ".*", "[*]", ".in"])]
    if choice == 8:
        return [
            "[for",
            rng.choice(["k", "k, v", "in"]),
            "in",
            *sub(),
            ":",
            *sub(),
            "if",
            *sub(),
            "]",
        ]
    if choice == 9:
        return ["{for k, v in", *sub(), ":", *sub(), "=>", *sub(), rng.choice(["...", ""]), "}"]
    return [rng.choice(leaves)]


def test_generated_expressions_with_newlines_and_comments_anywhere(monkeypatch):
    """Expressions from the grammar's constructs with newlines, comments and CRLFs between
    random tokens: where lark takes a newline, and which keyword it lexes after one, are the
    grammar's subtlest parts. (Run with more seeds locally: tens of thousands agree.)"""
    rng = random.Random(11)
    separators = [" ", "", "\n", "\n\n", " # c\n", "/*c*/", "\r\n", "\t"]
    taken = 0
    for _ in range(1_500):
        text = ""
        for token in ["x", "=", *_expression(rng, 0)]:
            text += token + (rng.choice(separators) if rng.random() < 0.15 else " ")
        if rng.random() < 0.3:
            text = f'b "l" {rng.choice(["", chr(10)])}{{\n{text}\n}}'
        taken += _agree("g.tf", text, monkeypatch)
    assert taken > 300


@pytest.mark.parametrize("text", CORNERS.strip().splitlines())
def test_corners_of_the_grammar(text, monkeypatch):
    _agree("x.tf", text.replace("\\n", "\n").replace("\\r", "\r"), monkeypatch)


# Unterminated strings, heredocs and comments, stray bytes, CRLF, tabs, non-ASCII names: the
# tokenizer's ends and edges (the fast path gives them up to lark or reads them as lark does).
ODD_TEXTS = [
    'a = "unterminated\n',
    'a = "x${var.y\n',
    "a = <<EOT\nno end\n",
    "a = <<-EOT\n  x\n",
    "a = <<EOT\r\nhi\r\nEOT\r\n",
    '/* never closed\nresource "a" "b" {}\n',
    "a = 1 /* x",
    'a = "x" # c\r\nb = 2\r\n',
    'a\t=\t"tab"\n\tb = 1\n',
    "a = 1\x00\n",
    "a = 1 @ 2\n",
    "r\u00e9sum\u00e9 = 1\n",
    'a = "\u00e9${x}\u00fc"\n',
    "a_\u00e4 = 1\n",
    "\ufeffa = 1\n",
    "a = x\u00a0+ y\n",
    'a = "x\\\n',
    "block {\n",
    "}",
    "",
    "   ",
    "#x",
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_texts_are_rejected_by_both_paths_or_read_alike(text, monkeypatch):
    _agree("x.tf", text, monkeypatch)


def test_the_tokens_are_the_grammar_s():
    """The fast parser copies the terminals lark compiles from python-hcl2's grammar: should a
    release change them, this fails (and the fast parser needs a look)."""
    terraform._load_lark()
    terminals = {t.name: t.pattern.to_regexp() for t in terraform._parser().terminals}

    def same(name: str, ours: str, *renames: tuple[str, str]) -> None:
        theirs = terminals[name]
        for old, new in (("\n", "\\n"), ("\t", "\\t"), ("\r", "\\r"), *renames):
            theirs = theirs.replace(old, new)
        assert theirs == ours, name

    same("STRING_CHARS", hcl_fast.STRING_CHARS)
    same("FLOAT_LITERAL", hcl_fast.FLOAT_LITERAL)
    same("INT_LITERAL", hcl_fast.INT_LITERAL)
    same("NAME", hcl_fast.NAME)
    same("NL_OR_COMMENT", hcl_fast.NL_OR_COMMENT, ("(.|", "(?:.|"), ("(\\*\\/)", "(?:\\*\\/)"))
    same("HEREDOC_TEMPLATE", hcl_fast.HEREDOC, ("heredoc", "hd"))
    same("HEREDOC_TEMPLATE_TRIM", hcl_fast.HEREDOC_TRIM, ("heredoc_trim", "hdt"))


def test_another_grammar_turns_the_fast_path_off(monkeypatch):
    """parse_hcl uses the fast parser only with the hcl2.lark and post-lexer it was written
    against (python-hcl2 8.1.4); with others every file is lark's, as that grammar reads it."""
    calls = []
    monkeypatch.setattr(hcl_fast, "parse_body", lambda *a: calls.append(a) or 1 / 0)
    terraform.fast_path_grammar.cache_clear()
    monkeypatch.setattr(terraform, "FAST_PATH_GRAMMAR_SHA", "0" * 16)
    try:
        tree = terraform.parse_hcl("a.tf", 'x = "y"\n')
        assert not calls and tree.attributes["x"].value.value == "y"
    finally:
        terraform.fast_path_grammar.cache_clear()


def test_string_characters_match_as_the_grammar_s_and_fail_in_linear_time():
    """The fast tokenizer's STRING_CHARS has one alternative per first character: the same
    matches as the grammar's on every short text of the characters that matter, and a string
    with no closing quote (which the grammar's form, wrapped in quotes, would retry in every way
    of splitting its "$"s: exponential) is left to lark at once."""
    grammar, linear = re.compile(hcl_fast.STRING_CHARS), re.compile(hcl_fast.STRING_CHARS_LINEAR)
    for size in range(1, 6):
        for chars in itertools.product('a$%{}\\"\n', repeat=size):
            text = "".join(chars)
            expected, found = grammar.match(text), linear.match(text)
            assert (expected and expected.end()) == (found and found.end()), text
    started = time.process_time()
    with pytest.raises(hcl_fast.Unhandled):
        hcl_fast.parse_body("x.tf", 'x = "' + "$a%b" * 5_000)
    assert time.process_time() - started < 1


def test_the_tokens_are_tried_in_an_order_that_matches_as_lark_s():
    """The tokenizer's pattern tries NAME, NL_OR_COMMENT and most punctuation before the other
    terminals (they are the most frequent tokens): at every position of every short text of the
    characters that start tokens, it matches the token that the terminals in lark's order do."""
    h = hcl_fast
    in_lark_order = [  # (kind, pattern)
        ("S", f'"(?:{h.STRING_CHARS_LINEAR})?"'),
        ("Q", '"'),
        ("L", h.NL_OR_COMMENT),
        ("F", h.FLOAT_LITERAL),
        ("I", h.INT_LITERAL),
        ("N", h.NAME),
        ("H", h.HEREDOC),
        ("T", h.HEREDOC_TRIM),
        (
            "P",
            r"\.\.\.|\[\*\]|=>|==|!=|<=|>=|&&|\|\||::|\.\*|=(?!=|>)|:(?!:)|[-+*/%<>!?(){}\[\],.]",
        ),
    ]
    lark = re.compile(r"[ \t\r]*(?:" + "".join(f"(?P<{k}>{p})|" for k, p in in_lark_order) + ")")

    def token(m: re.Match) -> tuple | None:
        if m.lastgroup is not None:
            return m.lastgroup, m.span(m.lastgroup)
        if m.lastindex is None:
            return None
        if h._KINDS[m.lastindex] == "A":  # a name and the "=" after it: the name first
            return "N", m.span(1)
        return h._KINDS[m.lastindex] or "P", m.span(m.lastindex)

    for size in range(1, 4):
        for chars in itertools.product('a1-<"/#*\n=.{}:!>E ', repeat=size):
            text = "".join(chars) + "\n"
            for at in range(len(text)):
                theirs, ours = lark.match(text, at), h._EXPR_RE.match(text, at)
                assert token(theirs) == token(ours), (text, at)
                end = theirs.end()
                if h._KINDS[ours.lastindex or 0] == "A":  # then lark's next token: EQ
                    eq = lark.match(text, end)
                    assert eq.lastgroup == "P" and eq.group("P") == "=", (text, at)
                    end = eq.end()
                assert end == ours.end(), (text, at)


@pytest.mark.parametrize(
    "text", ["x = = " + "-1" * 20_000, "x = <<a\n" * 10_000, "x = a /* " * 10_000]
)
def test_a_token_that_searches_to_the_end_of_the_file_stops_the_fast_parser(text):
    """A failed heredoc or block comment, or a run of "-1", costs a scan to the end of the file
    per token; tokenizing on would be quadratic where lark stops at the first error."""
    started = time.process_time()
    with pytest.raises(hcl_fast.Unhandled):
        hcl_fast.parse_body("x.tf", text)
    assert time.process_time() - started < 0.5


def test_a_one_file_run_does_not_import_lark():
    text = 'resource "a" "b" {\n  x = <<EOF\n${v}\nEOF\n}\n'
    code = (
        "import sys\n"
        "from dhlint.frontends.terraform import parse_hcl\n"
        f"tree = parse_hcl('main.tf', {text!r})\n"
        "assert tree.blocks[0].attributes['x'].value.parts[1].root == 'v'\n"
        "assert 'lark' not in sys.modules and 'hcl2' not in sys.modules, 'imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
