"""The Python analysis stays bounded on pathological real code (probe37 13/16/17): a value
that runs away stops the file's analysis before the memory does, and a recursion of the
analysis (not of the file's syntax) is reported as what it is."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from dhlint.models import python_dataflow as df
from dhlint.models import python_values as pv
from dhlint.policy import default_policy

# A file the analysis runs on (it logs a parameter named like an identifier) with a list that
# grows, and a credential DH760 finds in the text whatever the analysis does.
CODE = """\
import logging

API_PASSWORD = "Vx9-q2Lm-77rT"


def collect(email):
    found = []
    for part in ("a", "b", "c", "d", "e", "f"):
        found.append(part)
    logging.info("%s %s", email, found)
    return found
"""


def _python_diagnostics(result):
    return [(d.path, d.kind, d.message) for d in result.diagnostics]


def test_a_sequence_nested_deep_gives_its_columns_without_recursion():
    # A mixture joined again and again nests a level per join (stdlib turtle.py: 450 levels):
    # cols_of recursed once a level and ran out of Python's stack ("too deeply nested").
    col = pv.Col("email", ("email",))
    value: pv.Val = pv.Series((col,))
    for _ in range(5_000):
        value = pv.Seq((value, pv.Num(1)))
    assert pv.cols_of(value) == (col,)
    flat = pv.Seq((pv.Series((col,)), pv.Seq((pv.Num(1), pv.Series((col,))))))
    assert [c.name for c in pv.cols_of(flat)] == ["email", "email"]  # order and repeats kept


def test_a_value_past_the_cap_stops_the_analysis_not_the_machine(scan, monkeypatch):
    # jinja2/compiler.py built a list of 16 million items (5.6 GB) before the 60 s limit: a
    # sequence past MAX_ITEMS stops the file's analysis at once. (Here the cap is lowered so
    # that an ordinary tuple of six passes it.)
    monkeypatch.setattr(pv, "MAX_ITEMS", 3)
    result = scan({"grow.py": CODE}, select=["DH5", "DH760"], jobs=1)
    assert _python_diagnostics(result) == [
        (
            "grow.py",
            "timeout",
            "not fully checked: the analysis grew too large in collect (a value of 6 items)",
        )
    ]
    # the credential in its text is still reported; the analysis's findings are not claimed
    assert [f.rule_id for f in result.active] == ["DH760"]
    assert result.files == ["grow.py"]


def test_the_same_file_under_the_cap_is_analysed(scan):
    result = scan({"grow.py": CODE}, select=["DH5", "DH760"], jobs=1)
    assert _python_diagnostics(result) == []
    assert {f.rule_id for f in result.active} >= {"DH760", "DH565"}


def test_a_recursion_of_the_analysis_is_not_called_deep_nesting(scan, monkeypatch):
    # turtle.py (15 levels of syntax) was skipped as "too deeply nested to analyse": any
    # RecursionError of the analysis got that message.
    original = df.Analyzer._bind_params

    def recursing(self, func, env, args, kwargs, entry=False):
        if func.name == "collect":
            raise RecursionError("maximum recursion depth exceeded")
        return original(self, func, env, args, kwargs, entry)

    monkeypatch.setattr(df.Analyzer, "_bind_params", recursing)
    result = scan({"grow.py": CODE}, select=["DH5", "DH760"], jobs=1)
    assert _python_diagnostics(result) == [
        ("grow.py", "timeout", "not fully checked: the analysis recursed too deep in collect")
    ]
    assert [f.rule_id for f in result.active] == ["DH760"]


def test_deeply_nested_syntax_keeps_its_message(scan):
    # Syntax nested past DEEP_SYNTAX levels (within the parser's limits) is the file's nesting.
    chain = (
        "import logging\ndef f(email):\n    x = " + "a." * 2_000 + "b\n    logging.info(email)\n"
    )
    result = scan({"chain.py": chain}, select=["DH5"], jobs=1)
    assert _python_diagnostics(result) in (
        [],
        [("chain.py", "skipped", "Python file too deeply nested to analyse")],
    )


def test_a_sequence_that_holds_itself_again_is_counted_unfolded():
    # responses/__init__.py: a list joined with itself and an item at each append held the
    # previous list again; 30 items at the top, 1.5 million read by every cols_of (timeout at
    # 60 s, 450 MB). The cap counts what cols_of reads.
    value = pv.Seq((pv.Num(1),))
    for _ in range(15):
        value = pv.Seq((*value.items, value, pv.Num(2)))
    assert (len(value.items), value.size) == (31, 65_535)
    with pytest.raises(pv.TooLarge, match="a value of 131,071 items"):
        pv.Seq((*value.items, value, pv.Num(2)))


# responses/__init__.py's CallList: a list on self appended to by methods run again and again.
CALLS = """\
import logging
from typing import NamedTuple

log = logging.getLogger(__name__)


class Call(NamedTuple):
    email: str
    phone: str


class CallList:
    def __init__(self):
        self._calls = []

    def add(self, email, phone):
        self._calls.append(Call(email, phone))

    def add_call(self, call):
        self._calls.append(call)

    def dump(self):
        log.info("calls %s", self._calls)


def record(calls, rows):
    for r in rows:
        calls.add_call(Call(r["email"], r["phone"]))
        calls.add(r["email"], None)
"""


def test_a_list_appended_to_again_stays_flat():
    # probe37 16: join(list, item) nested the list in a mixture, a level per run of the
    # append, the levels sharing their items (85,263 items in responses' CallList.add_call,
    # "not fully checked"). The item joins the list; the same item again leaves it as it is.
    col = pv.Col("email", ("email",))
    value: pv.Val = pv.Seq(())
    records = [pv.Obj("instance", {"payload": pv.Frame("dict", {"email": col})}) for _ in "ab"]
    for _ in range(50):
        for record in records:
            value = pv.join(value, record)
    assert type(value) is pv.Seq and value.items == tuple(records) and value.size == 2
    assert pv.cols_of(value) == (col, col)


def test_methods_appending_to_a_list_again_are_analysed(scan, monkeypatch):
    monkeypatch.setattr(pv, "MAX_ITEMS", 6)  # the nested list passed it; the flat one does not
    result = scan({"calls.py": CALLS}, select=["DH5"], jobs=1)
    assert _python_diagnostics(result) == []
    assert [(f.rule_id, f.location.start_line) for f in result.active] == [("DH565", 23)]


# A helper that doubles what it is given, called again and again: each result carries its
# argument's columns twice (``value + value`` concatenates them), 65,536 copies of one column
# after 16 calls (stdlib _pydecimal.py: 8 million, minutes and gigabytes, probe37 / s28).
TWICE = (
    "import logging\n\nimport pandas as pd\n\nlog = logging.getLogger(__name__)\n\n\n"
    "def twice(value):\n    return value + value\n\n\n"
    "def report(path):\n"
    '    total = pd.read_csv(path)["email"]\n'
    + "    total = twice(total)\n" * 16
    + '    log.info("total %s", total)\n'
)


def test_copies_of_a_column_are_dropped_past_the_cap():
    one = ast.parse("a\nb").body
    came = pv.Col("email", ("email",), flow=(pv.Step(one[0], "read"),))
    elsewhere = pv.Col("email", ("email",), flow=(pv.Step(one[1], "read"),))
    under = (came, elsewhere) + (came,) * (pv.WIDE - 2)
    assert pv.Series(under).cols == under  # as built while under the cap
    assert pv.Series((*under, came)).cols == (came, elsewhere)  # past it: copies dropped
    assert pv.Str("{...}", cols=(*under, elsewhere)).cols == (came, elsewhere)
    # Still past it: the same column by other paths from where it came is dropped too (a
    # finding shows the first column's flow and where each column came from).
    paths = tuple(
        pv.Col("email", ("email",), flow=(*came.flow, pv.Step(one[1], f"step {i}")))
        for i in range(pv.WIDE)
    )
    hashed = came.treated("weak-hash:md5", None)  # another treatment: another column
    assert pv.Series((came, *paths, elsewhere, hashed)).cols == (came, elsewhere, hashed)
    assert pv.Series((*paths, came)).cols == (paths[0],)


def test_a_value_past_the_distinct_cap_or_a_text_past_its_cap_stops_the_analysis(monkeypatch):
    monkeypatch.setattr(pv, "MAX_COLS", 4)
    monkeypatch.setattr(pv, "WIDE", 2)
    cols = tuple(pv.Col(f"c{i}", (f"c{i}",)) for i in range(5))
    with pytest.raises(pv.TooLarge, match="a value of 5 columns"):
        pv.Series(cols)
    monkeypatch.setattr(pv, "MAX_TEXT", 10)
    pv.Str("x" * 10)
    with pytest.raises(pv.TooLarge, match="a text of 11 characters"):
        pv.Str("x" * 11)


def test_a_value_doubled_at_each_call_stays_small_and_gives_the_same_findings(scan, monkeypatch):
    module = ast.parse(TWICE)
    analyzer = df.Analyzer(module, "twice.py", default_policy(), TWICE)
    analyzer.run()
    (sink,) = analyzer.pending.values()
    assert len(sink.data["columns"]) <= pv.WIDE  # 65,536 copies before

    def findings():
        result = scan({"twice.py": TWICE}, select=["DH5"], jobs=1)
        assert _python_diagnostics(result) == []
        return [(f.rule_id, f.location, f.related, f.flow) for f in result.active]

    bounded = findings()
    assert [(rule, where.start_line) for rule, where, *_ in bounded] == [("DH565", 30)]
    monkeypatch.setattr(pv, "WIDE", 1 << 20)  # every copy kept, as before the cap
    assert findings() == bounded


def test_the_analysis_of_a_module_has_a_budget(scan, monkeypatch):
    # Statements run and calls followed, all the module's runs together: CODE runs 6 (its
    # module body's import and assignment, collect's four statements; a def, a for: their
    # statements count); past the budget the file is not fully checked, its credential still
    # reported.
    monkeypatch.setattr(df, "MAX_STEPS", 5)
    result = scan({"grow.py": CODE}, select=["DH5", "DH760"], jobs=1)
    assert _python_diagnostics(result) == [
        (
            "grow.py",
            "timeout",
            "not fully checked: the analysis ran past its budget in collect "
            "(5 statements run and calls followed)",
        )
    ]
    assert [f.rule_id for f in result.active] == ["DH760"]
    monkeypatch.setattr(df, "MAX_STEPS", 6)
    assert _python_diagnostics(scan({"grow.py": CODE}, select=["DH5"], jobs=1)) == []


def test_the_stdlibs_pydecimal_is_analysed_whole_in_seconds(scan):
    # The module the slicer was kept for: analysed whole, it ran for minutes and gigabytes
    # (Decimal's _exp doubled at each operation); bounded, about a second.
    spec = importlib.util.find_spec("_pydecimal")
    if spec is None or not spec.origin:
        pytest.skip("no _pydecimal in this Python")
    text = Path(spec.origin).read_text(encoding="utf-8")
    result = scan({"_pydecimal.py": text}, select=["DH5"], jobs=1, timeout=60)
    assert _python_diagnostics(result) == []
