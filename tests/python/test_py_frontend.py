"""Frontend and model builder: pre-filter, syntax errors, never running the scanned code."""

from __future__ import annotations

from dhlint.analysis import BuildEnv
from dhlint.frontends import python as frontend
from dhlint.frontends import python_cst
from dhlint.models.python import build_models, identifier_test
from dhlint.policy import default_policy
from dhlint.types import SourceFile


def _build(files: dict[str, str], **options):
    sources = [SourceFile(p, f"/x/{p}", "python", t) for p, t in files.items()]
    return build_models(sources, BuildEnv(policy=default_policy(), root="/x", options=options))


def test_prefilter_skips_files_that_touch_no_data_or_network():
    words = identifier_test(default_policy())
    skip = [
        "def add(a, b):\n    return a + b\n",
        "import math\nprint(math.pi)\n",
        "import pandas as pd\ndf = pd.read_csv('sensors.csv')\ndf.to_csv('out.csv')\n",
        "import logging\nlog = logging.getLogger()\nlog.info('started %s', 3)\n",
    ]
    analyse = [
        "def f(row):\n    print(row['email'])\n",
        "def f(clientIp):\n    log.info(clientIp)\n",
        "import pandas as pd\npd.read_csv('x.csv', usecols=['plate']).to_csv('o.csv')\n",
        'URL = "http://example.org"\n',
        "conn = connect(dsn, sslmode='disable')\n",
        "import ftplib\nftplib.FTP('ftp.example.org')\n",
        "import requests\nrequests.get(BASE, verify=False)\n",
    ]
    assert [frontend.needs_analysis(t, words) for t in skip] == [False] * len(skip)
    assert [frontend.needs_analysis(t, words) for t in analyse] == [True] * len(analyse)


def test_the_ast_stage_reads_ssl_and_row_methods_as_the_analysis_does():
    # The ``ssl`` module means something to the analysis only through
    # ``_create_unverified_context``, and ``all``/``first`` only as methods of a result. (An
    # identifier-like word that reaches no sink, ``email``, takes each past the text stage.)
    words = identifier_test(default_policy(), ast_stage=True)
    skip = [
        "import ssl\n\ndef wrap(sock, hostname, email):\n    ctx = ssl.create_default_context()\n"
        "    print(all([ctx]))\n    return ctx.wrap_socket(sock, server_hostname=hostname)\n",
        "def check(rows, email):\n    print(all(rows), first(rows))\n",
    ]
    assert [frontend.needs_analysis(t) for t in skip] == [True, True]  # the text stage
    assert [frontend.needs_analysis(t, words) for t in skip] == [False, False]
    analyse = [
        "from ssl import _create_unverified_context as unverified\nprint(unverified())\n",
        "def rows(cursor, email):\n    print(cursor.fetchall())\n",
        "def rows(result, email):\n    print(result.first())\n",
    ]
    assert [frontend.needs_analysis(t, words) for t in analyse] == [True] * 3


def test_prefilter_print_needs_an_identifier_like_word():
    result = _build(
        {
            "a.py": "def f(x):\n    print(x)\n",
            "b.py": "def f(email):\n    print(email)\n",
        }
    )
    analysed = {m.path: m.analysed for m in result.models}
    assert analysed == {"a.py": False, "b.py": True}
    (model_b,) = [m for m in result.models if m.path == "b.py"]
    assert [(s.kind, s.location.start_line) for s in model_b.sinks] == [("log", 2)]


def test_syntax_error_is_one_line_diagnostic_and_the_rest_continues(scan):
    result = scan(
        {
            "broken.py": "import pandas as pd\ndef f(:\n    pass\n",
            "etl.py": 'import requests\nrequests.get("https://tracker.example/x")\n',
        },
        select=["DH660"],
    )
    (diag,) = [d for d in result.diagnostics if d.path == "broken.py"]
    assert diag.kind == "parse-error"
    assert diag.line == 2 and diag.col >= 1
    assert "\n" not in diag.message and "syntax" in diag.message.lower()
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in result.active] == [
        ("DH660", "etl.py", 2)
    ]


def test_scanned_code_is_never_run(scan, tmp_path):
    marker = tmp_path / "ran"
    code = (
        "import os\nimport requests\n"
        f"open({str(marker)!r}, 'w').write('x')\n"
        "raise SystemExit(3)\n"
        'requests.get("https://tracker.example/x")\n'
    )
    result = scan({"evil.py": code}, select=["DH660"])
    assert not marker.exists()
    assert [(f.rule_id, f.location.start_line) for f in result.active] == [("DH660", 5)]


def test_positions_are_one_based_with_exclusive_end(scan):
    code = 'import requests\n\nx = requests.get("https://tracker.example/x")\n'
    result = scan({"etl.py": code}, select=["DH660"])
    (finding,) = result.active
    loc = finding.location
    assert (loc.start_line, loc.start_col, loc.end_line, loc.end_col) == (3, 5, 3, 46)
    assert finding.anchor == '<module>:requests.get("https://tracker.example/x")'


def test_direct_positions_equal_the_metadata_wrapper():
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from tests.python.test_py_pipelines import UNSAFE

    for path in UNSAFE:
        module = cst.parse_module(path.read_text(encoding="utf-8"))
        direct = python_cst.positions(module)
        wrapped = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        assert dict(direct) == dict(wrapped)


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


def _tops_and_partial(text: str):
    import libcst as cst

    from dhlint.models.python_dataflow import Analyzer

    module = cst.parse_module(text)
    analyzer = Analyzer(module, "x.py", default_policy(), text)
    analyzer.run()
    needed = analyzer._needed_nodes()
    tops = analyzer._needed_tops(needed)
    assert tops is not None
    partial = python_cst._positions_of(module, tops, text)
    assert partial is not None and all(node in partial for node in needed)
    return module, tops, partial


def test_positions_of_the_needed_statements_only_match_the_whole_module():
    from tests.python.test_py_pipelines import SAFE, UNSAFE

    sources = [p.read_text(encoding="utf-8") for p in (*UNSAFE, *SAFE)]
    sources += [TRICKY, TRICKY.replace("\n", "\r\n"), NESTED, NESTED.replace("\n", "\r\n")]
    sources.append(AUGMENTED)
    for text in sources:
        module, tops, partial = _tops_and_partial(text)
        assert partial is not None
        full = python_cst._all_positions(module)
        assert partial and all(full[node] == rng for node, rng in partial.items())
        assert len(partial) < len(full) or len(tops) == len(module.body)


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


def test_a_statement_deep_in_a_function_is_placed_without_its_function():
    import libcst as cst

    module, tops, partial = _tops_and_partial(NESTED)
    assert not any(isinstance(t, cst.FunctionDef) and t.name.value == "f" for t in tops)
    assert any(isinstance(t, cst.SimpleStatementLine) for t in tops)
    full = python_cst._all_positions(module)
    # The def and the header lines around the facts are not generated (the one-line
    # ``elif ...: print(email)`` is placed through its if statement, which is generated whole).
    assert len(partial) < len(full) * 2 / 3


def test_positions_fall_back_when_the_stdlib_disagrees():
    import libcst as cst

    module = cst.parse_module("import requests\nrequests.get('https://a.example')\n")
    assert python_cst._positions_of(module, list(module.body), "something else\n") is None
    full = python_cst.positions(module, list(module.body), "something else\n")
    assert len(full) == len(python_cst._all_positions(module))


def _statements_in(node):
    import libcst as cst

    out = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, n):
            if isinstance(n, cst.BaseStatement | cst.BaseSmallStatement):
                out.append(n)
            return True

    node.visit(Collect())
    return out


def test_a_method_is_placed_without_generating_its_whole_class():
    import libcst as cst

    module, tops, _partial = _tops_and_partial(TRICKY)
    methods = [
        s
        for top in module.body
        if isinstance(top, cst.ClassDef)
        for s in top.body.body
        if isinstance(s, cst.FunctionDef)
    ]
    classes = [t for t in module.body if isinstance(t, cst.ClassDef)]
    inside = {id(n) for m in methods for n in _statements_in(m)}
    assert any(id(t) in inside for t in tops)
    assert not any(t is c for t in tops for c in classes)


def test_the_parse_without_node_checks_builds_the_same_tree_and_restores_the_checks():
    import sysconfig
    from pathlib import Path

    import libcst as cst
    import pytest
    from libcst._nodes.base import CSTNode

    from dhlint.types import FrontendError

    check = CSTNode.__post_init__
    repo = Path(__file__).resolve().parents[2]
    paths = sorted((repo / "fixtures").rglob("*.py"))
    paths += [Path(sysconfig.get_paths()["stdlib"]) / n for n in ("smtplib.py", "tarfile.py")]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert python_cst.parse(text).deep_equals(cst.parse_module(text)), path
    assert CSTNode.__post_init__ is check
    with pytest.raises(FrontendError):
        python_cst.parse("def f(:\n")
    assert CSTNode.__post_init__ is check
    # The checks still guard trees built by hand.
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


def test_string_values_read_without_evaluation_match_libcst():
    import sysconfig
    from pathlib import Path

    import libcst as cst

    from dhlint.models.python_dataflow import string_value

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    paths = sorted((Path(__file__).resolve().parents[2] / "fixtures").rglob("*.py"))
    paths += [stdlib / n for n in ("tarfile.py", "pydoc.py", "smtplib.py", "email/_parseaddr.py")]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    texts.append(
        "a = ['', \"\", '''''', b'x', rb'\\\\d', '''it's''', u'é', B\"\"\"q\"\"\", 'a\\\\nb']\r\n"
    )
    texts.append("s = '''line\r\nnext'''\r\n")
    strings = 0
    for text in texts:
        for node in _string_nodes(cst.parse_module(text)):
            expected = node.evaluated_value
            if isinstance(expected, bytes):
                expected = expected.decode("latin-1")
            assert string_value(node) == expected, node.value
            strings += 1
    assert strings > 2000


def _string_nodes(module):
    import libcst as cst

    found = []

    class Strings(cst.CSTVisitor):
        def visit_SimpleString(self, node):
            found.append(node)

    module.visit(Strings())
    return found


def test_the_fast_walk_visits_every_node_but_contexts_and_operators():
    import ast

    from tests.python.test_py_speed_equivalence import _stdlib_sample

    syntax = (
        "match p:\n    case {'a': 1, **rest}: pass\n    case C(x=[y, *z]) | None: pass\n"
        "    case _: pass\n"
        "def f(a, /, b=1, *c, d, e=2, **g) -> int:\n    global G\n    return {**a, 'k': b}\n"
        "async def h():\n    async with a as (b, c):\n        yield f'{a!r:>{w}}'\n"
        "x = [i async for i in y if i] if -a < b else lambda *, k=None: k\n"
        "try:\n    pass\nexcept* E as e:\n    del x[1:2:3]\n"
    )
    excluded = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    for text in [syntax, *_stdlib_sample(20).values()]:
        tree = ast.parse(text)
        expected = {id(n) for n in ast.walk(tree) if not isinstance(n, excluded)}
        seen = [id(n) for n in frontend.walk(tree)]
        assert len(seen) == len(set(seen)) and set(seen) == expected

    # ``skip`` leaves out children of the root with all under them (a class's methods)
    cls = ast.parse("class C(B):\n    X = 1\n    def m(self):\n        return y\n").body[0]
    method = cls.body[1]
    kept = {id(n) for n in frontend.walk(cls, {id(method)})}
    assert kept == {id(n) for n in frontend.walk(cls)} - {id(n) for n in frontend.walk(method)}
    assert id(cls.body[0]) in kept and id(cls) in kept


def test_the_chunked_word_test_finds_what_the_whole_text_holds():
    from tests.python.test_py_speed_equivalence import _stdlib_sample

    words = identifier_test(default_policy())

    def whole(text: str) -> bool:
        found = {w.strip("_") for w in frontend._WORD.findall(text) if not w.startswith("__")}
        return any(words(w) for w in found)

    filler = "x = compute(a, b)  # nothing here\n" * 400  # several chunks
    # a word across the chunk size: a chunk must end at a line end, not in the word
    at_a_cut = ("ab " * frontend._CHUNK)[: frontend._CHUNK - 8] + "print(email)\n"
    texts = [filler, filler + "print(email)\n", at_a_cut + filler, "print(email)"]
    texts += _stdlib_sample(30).values()
    assert [frontend._has_identifier(t, words) for t in texts] == [whole(t) for t in texts]
    assert not frontend._has_identifier(filler, words)
    assert frontend._has_identifier(filler + "print(email)\n", words)
    assert frontend._has_identifier(at_a_cut + filler, words)


def test_the_ast_stage_gives_each_return_to_its_own_function():
    import ast

    text = (
        "def outer(a):\n"
        "    def inner(b):\n"
        "        return b.email\n"
        "    lambda: c\n"
        "    return a.phone\n"
        "def other():\n"
        "    return z\n"
        "    def unreachable():\n"  # popped before the return above (the walk is a stack)
        "        return y\n"
        "return_at_module = 1\n"
    )
    flows = frontend._Flows(ast.parse(text))
    returned = {f: sorted(ast.unparse(v) for v in vs) for f, vs in flows.returns.items()}
    assert returned == {
        "inner": ["b.email"],
        "<lambda>": ["c"],
        "outer": ["a.phone"],
        "other": ["z"],
        "unreachable": ["y"],
    }


def test_the_ast_stage_propagates_along_a_chain_of_aliases_without_copying():
    """``a1 = a0``, ``a2 = a1``... : what is passed to each alias reaches the function at the
    end of the chain, and what it returns comes back to each. Propagated as the loop went,
    the lists doubled at each link (2**n entries: a 41-line file took all memory)."""
    import ast

    n = 18
    lines = [f"a{i + 1} = a{i}" for i in range(n)]
    lines += ["a0 = print", "def print(x):", "    return r"]
    lines += [f"a{i}(v{i})" for i in range(n + 1)]
    flows = frontend._Flows(ast.parse("\n".join(lines)))
    passed = {ast.unparse(v) for v in flows.call_args["a0"]}
    assert passed == {f"v{i}" for i in range(n + 1)}
    assert max(len(v) for v in flows.call_args.values()) <= n + 1
    assert all(ast.unparse(v) == "r" for v in flows.returns[f"a{n}"])
    assert max(len(v) for v in flows.returns.values()) == 1


def test_libcst_node_classes_have_no_subclasses():
    """The analysis tests node classes with ``type(x) is cst.X`` (an isinstance that fails
    costs a Python call on libcst's ABCs): that is only the same test while no concrete node
    class has a subclass, and the parser builds the classes libcst exports."""
    import inspect

    import libcst as cst

    concrete = [
        c
        for c in vars(cst).values()
        if inspect.isclass(c)
        and issubclass(c, cst.CSTNode)
        and not inspect.isabstract(c)
        and not c.__name__.startswith("Base")
        and c.__name__ not in ("CSTNode", "MatchPattern", "MatchSequence")
    ]
    assert len(concrete) > 100
    assert [c for c in concrete if c.__subclasses__()] == []

    seen: set[type] = set()

    class Every(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            seen.add(type(node))
            return True

    python_cst.parse(
        "import a\nfrom b import c as d\n@w\ndef f(x, *y, z=1, **k) -> int:\n"
        "    global g\n    with open(x) as h, m:\n        yield from h\n"
        "class C(B):\n    u: int = 1\n    def m(self):\n"
        "        return [i async for i in self if i]\n"
        "try:\n    del q[1:2]\nexcept E as e:\n    raise\nelse:\n    pass\nfinally:\n    pass\n"
        "match p:\n    case {'a': 1, **r} | [1, *s] | C(x=2):\n        pass\n"
        "while not a and b or c: x += f'{a!r:>{w}}' % 2; continue\n"
    ).visit(Every())
    assert all(getattr(cst, c.__name__) is c for c in seen)


def test_the_scanned_codes_own_warnings_are_not_the_runs(scan):
    # An invalid escape ("\d") makes the compiler warn (DeprecationWarning on 3.11, a
    # SyntaxWarning printed to stderr on 3.12): the scanned code's, not something to show.
    import warnings

    code = 'import logging\nlog = logging.getLogger(__name__)\nP = "\\d+"\n'
    code += 'def f(row):\n    log.info("x %s \\d", row["email"])\n'
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        found = scan({"etl.py": code}, select=["DH565"]).active
    assert [f.location.start_line for f in found] == [5]
    assert [str(w.message) for w in seen] == []
