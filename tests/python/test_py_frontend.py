"""Frontend and model builder: pre-filter, syntax errors, never running the scanned code."""

from __future__ import annotations

import sys

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
    # The literals of an implicit concatenation are read from their text (``ast`` has one
    # value for them all); as libcst's ``evaluated_value`` gave them.
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
            assert string_value(node.value) == expected, node.value
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
        "try:\n    pass\nexcept E as e:\n    del x[1:2:3]\n"
    )
    if sys.version_info >= (3, 11):  # except* is 3.11 syntax
        syntax += "try:\n    pass\nexcept* E as e:\n    del x[1:2:3]\n"
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


def test_the_sslmode_test_of_bare_strings_is_the_case_blind_regex():
    texts = ["sslmode=disable", "SSLMode=require", "dsn: SslMoDe", "ssl mode", "", "no tls"]
    texts += ["\u017fslmode", "s\u017fLMODE", "\u0130sslmode", "\u212aslmode", "sslmod\u0435"]
    found = [frontend._names_sslmode(t) for t in texts]
    assert found == [frontend._SSLMODE_ANY_CASE.search(t) is not None for t in texts]
    assert found == [True, True, True, False, False, False, True, True, True, False, False]


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


def test_the_ast_node_classes_the_parser_builds_have_no_subclasses_it_builds():
    """The analysis tests node classes with ``type(x) is ast.X`` (cheaper than isinstance):
    the same test while the parser builds no subclass of a class it builds (``ast.Num`` and
    the other deprecated subclasses of ``ast.Constant`` are never built)."""
    import ast

    from tests.python.test_py_speed_equivalence import _stdlib_sample

    syntax = (
        "import a\nfrom b import c as d\n@w\ndef f(x, *y, z=1, **k) -> int:\n"
        "    global g\n    with open(x) as h, m:\n        yield from h\n"
        "class C(B):\n    u: int = 1\n    def m(self):\n"
        "        return [i async for i in self if i]\n"
        "try:\n    del q[1:2]\nexcept E as e:\n    raise\nelse:\n    pass\nfinally:\n    pass\n"
        "match p:\n    case {'a': 1, **r} | [1, *s] | C(x=2):\n        pass\n"
        "while not a and b or c: x += f'{a!r:>{w}}' % 2; continue\n"
        "t = (1, 'a', b'b', 1.5, 2j, None, True, ..., x[1:2, ::3])\n"
    )
    seen: set[type] = set()
    for text in [syntax, *_stdlib_sample(20).values()]:
        seen.update(type(node) for node in ast.walk(ast.parse(text)))
    assert len(seen) > 80
    assert not [(a, b) for a in seen for b in seen if a is not b and issubclass(a, b)]


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


def test_the_ast_stage_stops_at_the_first_transport_or_source():
    """The pre-filter's tree stage needs no flow once a file is known to be analysed (an
    import of a data library, a URL in code): its walk stops there, the imports at the top
    first (the walk, a stack, would come to them last). Not deciding, the walk reads it all."""
    import ast

    body = "".join(f"def f{i}(row):\n    print(row['email'], 'http://x')\n" for i in range(50))
    for head in ("import pandas as pd\n", "from requests import post\n"):
        deciding = frontend._Flows(ast.parse(head + body), decide=True)
        assert deciding.source and not deciding.transport
        assert deciding._calls == [] and deciding.code_strings == []
    deciding = frontend._Flows(ast.parse(body), decide=True)
    assert deciding.transport and len(deciding._calls) == 1
    whole = frontend._Flows(ast.parse("import pandas as pd\n" + body))
    assert whole.source and whole.transport and len(whole._calls) == 50


def test_absent_sinks_reads_the_text_only_for_the_names_asked():
    """``_Flows._resolve`` asks ``_absent_sinks`` only about the sink names its calls and
    aliases have: the answer for those is the whole answer's, and a group of names not asked
    about (a logger's, a file's, a producer's send) is not looked for in the text."""
    text = "data = load()\nprint(data)\n"
    full = frontend._absent_sinks(text, set())
    assert {"info", "bind", "write", "send"} <= full
    for asked in ({"send"}, {"write"}, {"info", "bind"}, {"warn", "write", "send"}):
        answer = frontend._absent_sinks(text, set(), asked)
        assert answer & asked == full & asked, asked
    assert frontend._absent_sinks(text, set(), {"send"}) == {"send"}
    assert frontend._absent_sinks(text, set(), {"write"}) == {"write", "writelines", "write_all"}
    assert frontend._absent_sinks(text, set(), set()) == frozenset()
    with_files = "from pathlib import Path\nimport logging\n" + text
    assert frontend._absent_sinks(with_files, set(), {"write", "info"}) == frozenset()


def test_the_ast_stage_finds_a_dsn_setting_in_any_case_without_its_search():
    """``_Flows`` searches a string for a URL or a DSN setting only when it holds a "/", a
    "=" or "lmode" in some case (what every match holds): "SSLMode" is still found."""
    import ast

    for text in ("SSLMode", "ssLMODE required", "Endpoint=sb://x", "//host", "x://y"):
        assert frontend._Flows(ast.parse(f"X = {text!r}\nprint(X)\n")).transport, text
    for text in ("mode", "sslmod", "end point"):
        assert not frontend._Flows(ast.parse(f"X = {text!r}\nprint(X)\n")).transport, text


# Files every stage once let through that the analysis finds nothing in (issue 7): a "://" in
# markup or a message (the analysis reads a URL only from a text that starts with its
# scheme), a logger's method name on an object no logging library made and no name says is a
# logger (a parser's own ``self.error``), a ``write`` with no file opened anywhere (a socket's
# ``makefile``), a socket's ``sendall`` and ``bind``, a ``send`` with no producer or client.
ZERO_FACT_SKIPS = [
    'DOCTYPE = \'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\'\n\n\n'
    "def page(body, email):\n    print(len(body))\n    return DOCTYPE + body\n",
    "def link(path, name):\n    print('linked')\n"
    "    return '<a href=\"file://%s\">%s</a>' % (path, name)\n",
    "class Reader:\n    def error(self, msg):\n        raise ValueError(msg)\n\n"
    "    def read(self, email):\n        if '@' not in email:\n"
    "            self.error('not an address: %r' % email)\n        print('read one')\n",
    "def reply(sock, address):\n    out = sock.makefile('wb')\n"
    "    out.write(('hello %s' % address).encode())\n",
    "def serve(sock, address, email):\n    sock.bind(address)\n    sock.sendall(email.encode())\n"
    "    print('served')\n",
    "class Channel:\n    def send(self, data):\n        self.buffer.append(data)\n\n"
    "    def greet(self, email):\n        self.send(email)\n",
]
# ... and the near misses the analysis finds a fact in, which still pass.
ZERO_FACT_NEAR_MISSES = [
    'SCHEME, HOST = "https", "api.vendor.example"\n\n\ndef fetch(client, row):\n'
    '    return client.post("{}://{}/v1".format(SCHEME, HOST), json={"plate": row["plate"]})\n',
    'NOTE = "see http://api.vendor.example/v1"\n\n\ndef fetch(client, row):\n'
    '    print("fetching")\n'
    '    return client.post(NOTE.removeprefix("see "), json={"plate": row["plate"]})\n',
    "class Reader:\n    def read(self, email):\n        self.log.error('bad %s', email)\n",
    "def read(rec, email):\n    print('read')\n    getattr(rec, 'logger').error('bad %s', email)\n",
    "def read(email):\n    logging.error('bad %s', email)\n",
    "import warnings\n\n\ndef read(email):\n    print('read')\n    warnings.warn(f'bad {email}')\n",
    "def save(path, email):\n    with open(path, 'w') as fh:\n        fh.write(email)\n",
    "from pathlib import Path\n\n\ndef save(p, email):\n    Path(p).open('w').write(email)\n",
    "def ship(producer, email):\n    producer.send('topic', email)\n",
]


def test_the_ast_stage_drops_shapes_the_analysis_finds_no_fact_in():
    words = identifier_test(default_policy(), ast_stage=True)
    assert [frontend.needs_analysis(t) for t in ZERO_FACT_SKIPS] == [True] * 6  # text stage
    assert [frontend.needs_analysis(t, words) for t in ZERO_FACT_SKIPS] == [False] * 6
    assert [frontend.needs_analysis(t, words) for t in ZERO_FACT_NEAR_MISSES] == [True] * 9
    files = {f"skip{i}.py": t for i, t in enumerate(ZERO_FACT_SKIPS)}
    files.update({f"near{i}.py": t for i, t in enumerate(ZERO_FACT_NEAR_MISSES)})
    full = _build(files, python_full_analysis=True)
    assert full.diagnostics == []
    facts = ("sinks", "hashes", "endpoints", "tls", "reads")
    for model in full.models:
        found = any(getattr(model, kind) for kind in facts)
        assert found == model.path.startswith("near"), model.path
