"""The analysis's shortcuts give what the plain computations give: the statement-only walks
(``_counter_names``, ``_calls_in_scopes``) what a walk of every node gives, ``reshaped``
what comparing two shapes gives, values' written-out ``__init__`` what a frozen dataclass's
gives, and tests of a value's kind by ``type`` what ``isinstance`` gives."""

from __future__ import annotations

import ast
import dataclasses
import re

import pytest

from dhlint.models import python_dataflow as df
from dhlint.models.python_values import (
    MAX_ITEMS,
    MAX_TEXT,
    UNKNOWN,
    WIDE,
    Col,
    Frame,
    Func,
    Num,
    Obj,
    Ref,
    Seq,
    Series,
    Source,
    Step,
    Str,
    TooLarge,
    Unknown,
    Val,
    cols_of,
    env_of,
    join,
    reshaped,
    shape,
)

CODE = """
import socket
address = ("h", 1)
count = len(rows)
s = socket.socket(); s.bind(address)
@deco(TCPServer(address, H))
def f(address=socket.create_connection(address), *, host=None):
    total: int = sum(x)
    lam = lambda: sock.connect(address)
    try:
        n = 0
    except (x.connect(address) or E) as e:
        s.sendto(b"", address)
        n += 1
    finally:
        ip = str(socket.gethostbyname(host))
    match sock.connect(address):
        case {"a": 1} if sock.bind(address):
            s.connect(address)
            for i, row in enumerate(rows):
                pass
    class K(Base, metaclass=m(s.bind(address))):
        address = 1
        size = len(x)
        def g(self):
            self.s.connect(self.address)
            with socket.create_server(address=self.address) as srv, x:
                for j in range(3):
                    pass
            async def h():
                await loop.create_connection(address)
                async for k in range(2):
                    pass
    [sock.connect(address) for address in [1]]
    while s.bind(address):
        seen = any(v)
    else:
        s.bind(address)
    return SMTP(host=address)
"""


def _every_node_counters(tree: ast.Module) -> dict[int, set[str]]:
    """``_counter_names`` as first written: a walk of every node."""
    found: dict[int, set[str]] = {}
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, scope = stack.pop()
        for child in ast.iter_child_nodes(node):
            stack.append((child, id(child) if isinstance(child, defs) else scope))
        kind = type(node)
        names: list = []
        if kind is ast.Assign and df._counted(node.value):
            names = node.targets
        elif kind is ast.AnnAssign and node.value is not None and df._counted(node.value):
            names = [node.target]
        elif kind is ast.AugAssign and type(node.op) in (ast.Add, ast.Sub):
            if type(node.value) is ast.Constant and type(node.value.value) in (int, float):
                names = [node.target]
        elif kind in (ast.For, ast.AsyncFor) and type(node.iter) is ast.Call:
            called = df._called_name(node.iter)
            if called == "range":
                names = [node.target]
            elif called == "enumerate" and type(node.target) is ast.Tuple:
                names = node.target.elts[:1]
        for target in names:
            if type(target) is ast.Name:
                found.setdefault(scope, set()).add(target.id)
    return found


def _every_node_calls(tree: ast.Module) -> list[tuple[int, tuple[int, ...]]]:
    """Each call with the defs and classes around it, by a walk of every node."""
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    out = []
    stack: list[tuple[ast.AST, tuple]] = [(tree, ())]
    while stack:
        node, scopes = stack.pop()
        for child in ast.iter_child_nodes(node):
            stack.append((child, (*scopes, child) if isinstance(child, kinds) else scopes))
        if type(node) is ast.Call:
            out.append((id(node), tuple(map(id, scopes))))
    return sorted(out)


def test_counter_names_reads_only_statements_and_finds_the_same_names():
    tree = ast.parse(CODE)
    found = df._counter_names(tree)
    assert found == _every_node_counters(tree)
    assert {n for names in found.values() for n in names} == {
        "count", "total", "n", "ip", "i", "size", "j", "k", "seen"
    }  # fmt: skip


def test_calls_in_scopes_finds_every_call_with_its_scopes():
    tree = ast.parse(CODE)
    calls = sorted((id(c), tuple(map(id, s))) for c, s in df._calls_in_scopes(tree))
    assert calls == _every_node_calls(tree)
    assert len(calls) == 29


def test_a_join_of_sequences_holds_each_item_once():
    """Branches that meet (or a loop run again) hold the items they were given: the join keeps
    each object once, in order, instead of concatenating (which doubled a list at each
    meeting: 32,766 items in bench/corpus/python's configparser copies)."""
    col = Col("email", ("t.email",))
    x, y, z = Str("x", "literal"), Series((col,)), Str("z", "literal")
    before = Seq((x, y))
    assert join(before, Seq((x, y))) is before
    assert join(before, Seq((y, z, x))).items == (x, y, z)
    other = Str("x", "literal")  # an equal item, another object (written elsewhere): kept
    assert join(before, Seq((other,))).items == (x, y, other)
    grown = before
    for _ in range(20):
        grown = join(grown, Seq((*grown.items, z)))
    assert grown.items == (x, y, z)


def test_reshaped_is_a_comparison_of_shapes():
    col = Col("email", ("t.email",))
    plain, carrying = Str("x", "literal"), Series((col,))
    grown = Seq((plain, carrying))
    cases = [
        (grown, Seq((*grown.items, Str("y", "literal")))),  # grew by an item without a column
        (grown, Seq((*grown.items, Series((col,))))),  # grew by one with a column
        (grown, Seq((plain,))),  # not grown: compared in full
        (grown, Seq((Str("x", "literal"), carrying))),  # equal items, other objects
        (grown, Series((col,))),
        (UNKNOWN, grown),
    ]
    for before, after in cases:
        assert reshaped(before, after) == (shape(before) != shape(after))
    assert [reshaped(b, a) for b, a in cases[:2]] == [False, True]


def _fields(value: Val) -> dict:
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


@pytest.mark.parametrize(
    ("cls", "args"),
    [
        (Str, ("x", "f-string", (1,), (Col("a", ("a",)),), ("URL",), (Str("y"),))),
        (Str, ("x",)),
        (Unknown, ("email", Source(None, "a parameter"), Num(1))),
        (Unknown, ()),
        (Num, (None,)),
        (Ref, ("pandas.read_csv",)),
        (Series, ((Col("a", ("a",)),), False)),
        (Series, ((),)),
        (Func, (ast.Lambda(), {}, "f", 1, Num(2))),
        (Func, (None,)),
        (Seq, ((Num(1), Seq((Num(2), Num(3)))),)),
        (Frame, ("pandas", {"a": Col("a", ("a",))}, (), frozenset({"b"}), None, True, True, "x")),
        (Frame, ("rows",)),
        (Col, ("a", ("a",), "keyed", (Step(None, "s"),), True, "u", "o", Source(None, "s"))),
        (Col, ("a", ("a",))),
        (Step, (None, "read")),
        (Obj, ("http",)),
    ],
)
def test_written_out_inits_set_the_dataclass_fields(cls, args):
    """The values write their fields into slots in an ``__init__`` of their own: the same
    fields, defaults and values as the dataclass's generated ``__init__`` (and a sequence's
    ``size``), no instance dict (slower to make and to read), no other attribute."""
    reference = dataclasses.make_dataclass(
        "Reference", [(f.name, f.type, f) for f in dataclasses.fields(cls)], frozen=True
    )
    made = cls(*args)
    assert _fields(made) == _fields(reference(*args))
    names = [f.name for f in dataclasses.fields(cls)]
    assert not hasattr(made, "__dict__")
    assert list(cls.__slots__) == (names if cls is not Seq else [*names, "size"])
    assert _fields(dataclasses.replace(made)) == _fields(made)  # keywords, as replace passes
    with pytest.raises(AttributeError):
        made.other = 1  # type: ignore[attr-defined]


def test_columns_and_steps_compare_and_hash_by_their_fields():
    """Columns and steps are compared and deduplicated by their fields (``dict.fromkeys``
    in ``_widened_cols``, ``c not in a.cols`` in ``join``), as when they were frozen."""
    step = Step(None, "read")
    a, b = Col("a", ("a",), flow=(step,)), Col("a", ("a",), flow=(Step(None, "read"),))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Col("a", ("a",), "keyed", (step,)) and a != a.renamed("b")
    assert hash(step) == hash(Step(None, "read")) and step != Step(None, "other")


def test_values_are_still_bounded_when_made():
    cols = tuple(Col(f"c{i}", (f"c{i}",)) for i in range(WIDE)) * 2
    assert len(Str("x", cols=cols).cols) == WIDE  # copies dropped (``_widened_cols``)
    assert len(Series(cols).cols) == WIDE
    assert Seq((Num(1), Seq((Num(2), Num(3))))).size == 3  # type: ignore[attr-defined]
    with pytest.raises(TooLarge):
        Seq((Seq((Num(1),) * MAX_ITEMS), Num(2)))
    assert len(Str("x", nodes=(1, 2) * WIDE).nodes) == 2
    with pytest.raises(TooLarge):
        Str("x" * (MAX_TEXT + 1))


def _cols_of_by_isinstance(value: Val) -> tuple:
    """``cols_of`` as first written (``isinstance`` tests; sequences by recursion)."""
    if isinstance(value, Frame):
        return tuple(value.all_cols())
    if isinstance(value, (Series, Str)):
        return value.cols
    if isinstance(value, Seq):
        return tuple(c for item in value.items for c in _cols_of_by_isinstance(item))
    if isinstance(value, Obj):
        payload = value.data.get("payload")
        return _cols_of_by_isinstance(payload) if isinstance(payload, Val) else ()
    if isinstance(value, Unknown) and value.source is not None:
        return tuple(value.source.col(name) for name in list(value.source.observed))
    return ()


def _env_of_by_isinstance(value: Val | None) -> tuple:
    if isinstance(value, Str):
        return value.env
    if isinstance(value, Unknown) and value.name.startswith("env:") and value.name != "env:?":
        return (value.name[4:],)
    if isinstance(value, Obj):
        return tuple(value.data.get("env", ()))
    return ()


def test_kinds_tested_by_type_give_what_isinstance_gives():
    col = Col("email", ("t.email",))
    source = Source(None, "rows")
    source.col("phone")
    values = [
        Frame("pandas", {"email": col}, (source,)),
        Series((col,)),
        Str("x", cols=(col,), env=("URL",)),
        Seq((Series((col,)), Seq((Str("y", cols=(col,)), UNKNOWN)))),
        Obj("http", {"payload": Series((col,)), "env": ["HOST"]}),
        Obj("buffer", {"payload": "not a value"}),
        Unknown("row", source),
        Unknown("env:HOST"),
        Unknown("env:?"),
        UNKNOWN,
        Num(1),
        Ref("pandas"),
        Func(None),
        None,
    ]
    for value in values:
        assert cols_of(value) == _cols_of_by_isinstance(value), value  # type: ignore[arg-type]
        assert env_of(value) == _env_of_by_isinstance(value), value


def test_a_join_of_strings_keeps_each_part():
    col, other = Col("email", ("t.email",)), Col("phone", ("t.phone",))
    known = Str("https://a.example", "constant", (1,), (col,), ("A",))
    unknown = Str("{...}/x", "f-string", (2,), (col, other), ("B", "A"), (Str("https://b"),))
    joined = join(unknown, known)  # the known text is kept, the other becomes an alternative
    assert _fields(joined) == _fields(known) | {
        "cols": (col, other),
        "env": ("B", "A"),
        "alts": (),
    }
    assert join(known, Series((other,))).cols == (col, other)


def test_socket_addresses_are_scanned_only_once_an_address_name_is_read():
    """The socket scan (``Analyzer.sockets``) runs when the analysis first reads ``address``
    or ``addr`` (its only readers), and then gives what the eager scan gave."""
    from dhlint.policy import default_policy

    def analysed(code: str) -> df.Analyzer:
        analyzer = df.Analyzer(ast.parse(code), "m.py", default_policy(), code)
        analyzer.run()
        return analyzer

    # socket calls and the word "addr" (a comment), but no such name read
    quiet = analysed(
        'import socket\n# the addr\ndef go():\n    socket.socket().connect(("h", 1))\n'
    )
    assert quiet._sockets is None
    code = "import socket\ndef serve(address):\n    socket.socket().bind(address)\n"
    read = analysed(code)
    assert read._sockets is not None
    serve = read.module.body[1]
    assert read._sockets.names == {id(serve): {"address"}}
    assert read._sockets.names == df._socket_addresses(read.module, code).names


_SOCKET_TEXTS = [
    "s.bind(addr)",
    "rebind(addr)",
    "x.connect_ex (address)",
    "reconnect(address)",
    "TCPServer(address)",
    "Server(addr)",
    "a_Server (addr)",
    "ServerX(addr)",
    "loop.create_unix_server(addr)",
    "xcreate_unix_x(addr)",
    "_unix_(addr)",
    "create_(addr)",
    "create_x\n(addr)",
    "smtplib.SMTP_SSL(addr)",
    "SMTPX(addr)",
    "éClient(addr)",
    "Client",
    "wrap_socket(addr)",
    "wrap_ (addr)",
    "sendto(b, addr)",
    "sendtox(addr)",
    "bind = 1; addr",
    "address",
    "addresses",
    "my_addr",
    "addr_",
    "addrés",
    "ip_address()",
    "(address)",
    "get_server_certificate(addr)",
    "Listener(addr)",
    "LMTP(addr)",
    "xLMTP(addr)",
]


@pytest.mark.parametrize("text", _SOCKET_TEXTS)
def test_socket_text_tests_find_what_the_word_boundary_patterns_find(text):
    """``_socket_addresses``'s tests of the text (patterns without a leading word boundary,
    tested at the match) say what the patterns as first written said."""
    from dhlint.models.python_flow import scans

    address = re.compile(r"\baddr(?:ess)?\b")
    socket = re.compile(
        r"\b(?:bind|connect(?:_ex)?|sendto|getaddrinfo|open_connection|start_server"
        r"|create_\w+|\w*_unix_\w+|get_server_certificate|wrap_\w+|\w*Server|SMTP(?:_SSL)?"
        r"|LMTP|Listener|Client)\s*\("
    )
    for variant in (text, f"x {text}", f"{text} y", f"_{text}", f"({text}"):
        fast = scans._at_word_start(scans._ADDRESS_TEXT, variant)
        assert fast == bool(address.search(variant)), variant
        fast = bool(scans._SOCKET_IN_WORD.search(variant)) or scans._at_word_start(
            scans._SOCKET_TEXT, variant
        )
        assert fast == bool(socket.search(variant)), variant


def test_line_groups_are_walked_only_for_a_statement_on_a_line_with_a_semicolon():
    """``_line_group`` gives what the walk of the module's statements gives, and walks them
    only once a statement asked about has a ";" on its first or last line."""
    from dhlint.models.python_flow.statements import _line_groups
    from dhlint.policy import default_policy

    code = (
        'a = 1\nb = f(\n    "x;y")\nif a: c = 2; d = 3\nlog(a); e = g(\n  1)\n'
        'h = "q"\ni = 1;\ndef k():\n    return 4\r\nz = 5 \\\n; w = 6\n'
    )
    tree = ast.parse(code)
    analyzer = df.Analyzer(tree, "m.py", default_policy(), code)
    small = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.stmt) and type(n) not in (ast.If, ast.FunctionDef)
    ]
    quiet = [n for n in small if n.lineno in (1, 7, 10)]  # a = 1, h = "q", return 4
    assert [analyzer._line_group(n) for n in quiet] == [None, None, None]
    assert analyzer.line_groups is None  # not walked
    expected = _line_groups(tree)
    assert [analyzer._line_group(n) for n in small] == [expected.get(id(n)) for n in small]
    assert analyzer.line_groups is not None
    assert sorted(set(expected.values())) == [(4, 4), (5, 6)]


def test_the_analysis_keeps_its_attributes_in_slots():
    """Every attribute ``Analyzer.__init__`` sets is a slot, and those set later are few:
    past 30 attributes in its dict CPython 3.11 gives an instance a dict of its own, and then
    looks its methods up (``self.eval``) without its specialised loads."""
    from dhlint.policy import default_policy

    code = CODE + "\nclass Job:\n    def run(self, rows):\n        self.rows = rows\n"
    analyzer = df.Analyzer(ast.parse(code), "m.py", default_policy(), code)
    assert vars(analyzer) == {}, "an attribute __init__ sets: add it to Analyzer.__slots__"
    analyzer.run()
    analyzer.model()
    assert len(vars(analyzer)) < 30


def test_a_join_of_strings_alike_gives_the_first():
    """Two strings alike in every field (a module constant read on each path) join to the
    first, not a copy; strings that differ, or carry variables, still join field by field."""
    col, alt = Col("email", ("t.email",)), Str("https://b")
    first = Str("https://a", "constant", (1,), (col,), (), (alt,))
    alike = Str("https://a", "constant", (1,), (col,), (), (alt,))
    assert join(first, alike) is first
    elsewhere = Str("https://a", "constant", (2,), (col,), (), (alt,))  # written elsewhere
    joined = join(first, elsewhere)
    assert joined is not first and _fields(joined) == _fields(first)
    twice = Str("x", env=("A", "A"))  # variables: joined as before (each once)
    assert join(twice, Str("x", env=("A", "A"))).env == ("A",)


def test_self_attributes_of_a_class_without_subclasses_look_for_none(monkeypatch):
    """``attribute_of`` looks for the instances of subclasses that may be self only when the
    class has subclasses in the module; the values read are the same either way."""
    from dhlint.policy import default_policy

    looked: list[str] = []
    original = df.Analyzer._instances_here

    def recorded(self, cls):
        looked.append(cls)
        return original(self, cls)

    monkeypatch.setattr(df.Analyzer, "_instances_here", recorded)
    code = (
        "class Job:\n    def __init__(self, rows):\n        self.rows = rows\n"
        "    def run(self):\n        print(self.rows)\n"
        "class Base:\n    def run(self):\n        print(self.rows)\n"
        "class Sub(Base):\n    def __init__(self, rows):\n        self.rows = rows\n"
    )
    analyzer = df.Analyzer(ast.parse(code), "m.py", default_policy(), code)
    analyzer.run()
    assert "Base" in looked and "Job" not in looked


def _library_tests(function, after: str = "") -> list[ast.stmt]:
    """The ``if`` statements of a function (after the one that tests ``after``)."""
    import inspect
    import textwrap

    body = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0].body
    tests = [stmt for stmt in body if type(stmt) is ast.If]
    if after:
        tests = tests[[ast.unparse(s.test) for s in tests].index(after) + 1 :]
    return tests


def _tested_by(test: ast.expr, names: dict) -> set[tuple[str, str]]:
    """What a test compares the call's ``top`` and ``qname`` to: ("top", module),
    ("qname", name), ("prefix", start)."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(test):
        if type(node) is ast.Compare and type(node.left) is ast.Name:
            if node.left.id not in ("top", "qname"):
                continue
            for right in node.comparators:
                values = ast.literal_eval(right) if type(right) is not ast.Name else names[right.id]
                values = (values,) if isinstance(values, str) else values
                found.update((node.left.id, v) for v in values)
        elif (
            type(node) is ast.Call
            and ast.unparse(node.func) == "qname.startswith"
            and type(node.args[0]) is not ast.Name
        ):
            starts = ast.literal_eval(node.args[0])
            starts = (starts,) if isinstance(starts, str) else starts
            found.update(("prefix", s) for s in starts)
    return found


def test_call_ref_skips_only_the_libraries_it_has_no_test_of():
    """``call_ref`` skips its tests after builtins for a call whose module is not in
    ``_TESTED_TOPS`` nor its name in ``_TESTED_NAMES``: each of those tests names one of them
    (by ``top``, by ``qname`` or by a prefix of it), but for the two ``_other_library`` makes."""
    from dhlint.models.python_libs import calls

    tops, names = calls._TESTED_TOPS, calls._TESTED_NAMES
    other = [ast.unparse(s.test) for s in _library_tests(calls.FunctionCalls._other_library)]
    assert len(other) == 1  # the logger's method (then the rows of a query)
    for stmt in _library_tests(calls.FunctionCalls.call_ref, "top == 'builtins'"):
        test = ast.unparse(stmt.test)
        tested = _tested_by(stmt.test, vars(calls))
        if test.startswith("top not in _TESTED_TOPS") or test in other:
            continue
        assert tested, f"a test of call_ref that names no library: {test}"
        for kind, value in tested:
            if kind == "top":
                assert value in tops, test
            elif kind == "qname":
                assert value in names or value.partition(".")[0] in tops, test
            else:  # a prefix: its top, or "botocore" (tested as a prefix of ``top``)
                assert value.partition(".")[0] in tops or value == "botocore", test


def _names_compared(test: ast.expr, names: dict) -> set[str]:
    """The strings a test compares the variable ``name`` to."""
    return {v for kind, v in _tested_by(_renamed(test, "name", "qname"), names) if kind == "qname"}


def _renamed(test: ast.expr, old: str, new: str) -> ast.expr:
    test = ast.parse(ast.unparse(test), mode="eval").body
    for node in ast.walk(test):
        if type(node) is ast.Name and node.id in (old, new):
            node.id = new if node.id == old else "_"
    return test


def test_unknown_method_table_holds_every_method_tested():
    """``_unknown_method`` returns UNKNOWN at once for a method not in ``_UNKNOWN_METHODS`` on
    a receiver not named as Spark's session (any of whose methods is Spark's): each of its
    later tests names the methods it tests, and those are in the table."""
    from dhlint.models.python_libs import methods
    from dhlint.models.python_libs.http_clients import _HTTP_VERBS

    tests = _library_tests(methods.MethodCalls._unknown_method)
    assert "not in _UNKNOWN_METHODS" in ast.unparse(tests[0].test)  # the fast path
    for stmt in tests[1:]:
        text = ast.unparse(stmt.test)
        tested = _names_compared(stmt.test, vars(methods))
        if "_is_url_request(name" in text:
            tested |= _HTTP_VERBS
        if not tested:
            assert "spark" in text.lower(), f"a test that names no method: {text}"
        assert tested <= methods._UNKNOWN_METHODS, (text, tested - methods._UNKNOWN_METHODS)


def test_analyses_of_one_tree_share_what_they_read_of_its_classes():
    """Another module's tree is analysed anew for each question about it (``python_imports``):
    the analyses after the first share its blocks' layout (``_one_line``), its classes' method
    orders, methods and subclasses (``_classes``), and find what an analysis of the tree alone
    finds; each decorates its own copy of the methods."""
    from dhlint.policy import default_policy

    code = (
        "def deco(f):\n    return f\n"
        "class A:\n    def f(self): return 1\n    def g(self): return self.f()\n"
        "class M:\n    def m(self): pass\n"
        "class B(A, M):\n    @deco\n    def f(self): return 2\n"
        "class C(B): pass\n"
        "if x: y = 1\n"
    )
    tree, policy = ast.parse(code), default_policy()
    alone = df.Analyzer(tree, "m.py", policy, code)
    alone.run_module_body()
    first = df.Analyzer(tree, "m.py", policy, code)
    first.run_module_body()
    second = df.Analyzer(tree, "m.py", policy, code, first.scans)
    second.run_module_body()
    assert second.one_line is first.one_line and second.mros is first.mros
    assert second.method_class is first.method_class and second.subclasses is first.subclasses
    assert second.methods is not first.methods
    for analysis in (first, second):
        assert analysis.mros == alone.mros == {"B": ["B", "A", "M"], "C": ["C", "B", "A", "M"]}
        assert (
            analysis.subclasses
            == alone.subclasses
            == {"A": ["B", "C"], "M": ["B", "C"], "B": ["C"]}
        )
        assert analysis.method_class == alone.method_class
        assert analysis.method_names == alone.method_names
        assert analysis.one_line == alone.one_line
        assert list(analysis.methods) == list(alone.methods)
        for key, method in analysis.methods.items():
            assert (method.node, method.name) == (alone.methods[key].node, alone.methods[key].name)
    assert first.methods[("B", "f")] is not second.methods[("B", "f")]  # each its own wrapper


def test_analyses_of_one_tree_share_what_one_read_of_it_when_it_needed_it():
    """What an analysis reads of the tree alone when it first needs it (its counters, the
    strings it tests, its socket addresses) is there for the next analyses of the tree (their
    ``scans`` taken before it read them, as ``python_imports`` does): read once per tree."""
    from dhlint.policy import default_policy

    code = (
        "import socket\n"
        "def serve(addr):\n    n = len(rows)\n    s = socket.socket()\n    s.bind(addr)\n"
        "    if 'sslmode=disable' in dsn:\n        pass\n"
    )
    tree, policy = ast.parse(code), default_policy()
    first = df.Analyzer(tree, "m.py", policy, code)
    scans = first.scans  # (before the run: no socket addresses read yet)
    first.run_module_body()
    counters, tested, sockets = first.counters(), first.tested(), first.sockets()
    assert counters and sockets.names
    first.release()
    second = df.Analyzer(tree, "m.py", policy, code, scans)
    assert second.counters() is counters and second.tested() is tested
    assert second.sockets() is sockets
    alone = df.Analyzer(tree, "m.py", policy, code)
    assert alone.counters() == counters and alone.tested() == tested
    assert alone.sockets().names == sockets.names and alone.sockets().attrs == sockets.attrs
