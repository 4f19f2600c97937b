"""The order functions are written in must not change what the analysis finds.

The analysis runs each function as an entry point, in source order but each class's
``__init__`` first. A function may read what another writes (a staging file, an attribute of
self, a buffer, a cursor's rows): whichever comes first in the file, or runs first, the facts
must be the same. The test writes each case's runs of consecutive ``def``/``class``
statements in reverse (Python gives the same program) and compares the facts, column by
column. (Known exceptions, not covered here: files or XComs that feed each other in a cycle,
a cursor held at module level, and an attribute of self set through a longer chain of methods
than the analysis runs again.) The tests at the end run the same module with its entry points
in different orders (``Analyzer.run(order=...)``).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from dhlint.analysis import BuildEnv
from dhlint.models.python import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile
from tests.python.filter_cases import CASES as FILTER_CASES
from tests.python.test_py_flow_shapes import CASES as FLOW_CASES

ROOT = Path(__file__).resolve().parents[2]
POLICY = default_policy()
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def reversed_defs(text: str) -> str | None:
    """``text`` with each run of consecutive top-level definitions in reverse order."""
    body = ast.parse(text).body
    lines = text.splitlines(keepends=True)
    starts = [
        (s.decorator_list[0] if isinstance(s, _DEFS) and s.decorator_list else s).lineno - 1
        for s in body
    ]
    chunks = ["".join(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    chunks = [c if c.endswith("\n") else c + "\n" for c in chunks]
    out: list[str] = []
    run: list[str] = []
    for chunk, stmt in zip(chunks, body, strict=True):
        if isinstance(stmt, _DEFS):
            run.append(chunk)
            continue
        out += [*reversed(run), chunk]
        run = []
    out += reversed(run)
    return None if out == chunks else "".join(lines[: starts[0]] + out)


def facts(text: str) -> Counter:
    source = SourceFile("m.py", "/r/m.py", "python", text)
    env = BuildEnv(policy=POLICY, root="/r", options={"python_full_analysis": True})
    (model,) = build_models([source], env).models
    out: Counter = Counter()
    for sink in model.sinks:
        out[sink.kind, sink.api, tuple(sorted((c.name, c.treatment) for c in sink.columns))] += 1
    for kind in ("hashes", "endpoints", "tls", "reads"):
        out[kind] += len(getattr(model, kind))
    return out


def _cases() -> dict[str, str]:
    cases = {f"flow:{k}": v for k, v in FLOW_CASES.items()}
    cases.update({f"filter:{k}": v for k, v in FILTER_CASES.items()})
    for path in sorted((ROOT / "fixtures" / "python").rglob("*.py")):
        cases[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    out = {}
    for name, text in cases.items():
        try:
            if reversed_defs(text) is not None:
                out[name] = text
        except SyntaxError:
            continue  # the broken-file fixtures
    return out


CASES = _cases()


def test_the_cases_cover_reads_before_writes():
    # The shapes this is about: a staging file, a buffer, a DAG whose tasks share a file.
    for name in (
        "flow:helper_read_before_the_file_is_written",
        "filter:stringio_buffer.py",
        "fixtures/python/airflow/service_requests_dag_safe.py",
    ):
        assert name in CASES
    assert len(CASES) >= 30


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_facts_do_not_depend_on_the_order_functions_are_written_in(text):
    assert facts(reversed_defs(text)) == facts(text)


def test_a_file_read_before_it_is_written_gives_the_columns_written_not_those_named():
    # Reversed, publish() comes first and reads the staging file before stage() writes it.
    # Its columns must be the rounded ones written there, not raw ones from `usecols`.
    text = """
import pandas as pd
def stage():
    df = pd.read_csv("in.csv", usecols=["id", "lat", "lon"])
    df["lat"] = df["lat"].round(3)
    df["lon"] = df["lon"].round(3)
    df.to_csv("stage.csv")
def publish():
    pd.read_csv("stage.csv", usecols=["id", "lat", "lon"]).to_json("open.json")
"""
    flipped = reversed_defs(text)
    assert flipped.index("def publish") < flipped.index("def stage")
    published = [key for key in facts(flipped) if key[1:2] == ("DataFrame.to_json",)]
    assert published == [
        ("file", "DataFrame.to_json", (("id", "raw"), ("lat", "round:3"), ("lon", "round:3")))
    ]


def test_a_run_that_gives_a_better_order_does_not_run_its_stale_functions_again(monkeypatch):
    # Its facts are thrown away (the module is analysed again in the order it gives): the
    # rounds that would complete them are work for nothing on the files that need them.
    from dhlint.models import python_dataflow

    text = """
import pandas as pd
def publish():
    pd.read_csv("stage.csv", usecols=["id", "lat"]).to_json("open.json")
def stage():
    df = pd.read_csv("in.csv", usecols=["id", "lat"])
    df["lat"] = df["lat"].round(3)
    df.to_csv("stage.csv")
"""
    runs: list[str] = []
    original = python_dataflow.Analyzer._run_function

    def counted(self, func, prefix, cls):
        runs.append(func.name)
        return original(self, func, prefix, cls)

    monkeypatch.setattr(python_dataflow.Analyzer, "_run_function", counted)
    analyzer = python_dataflow.Analyzer(ast.parse(text), "m.py", POLICY, text)
    try:
        assert analyzer.run() == [1, 0]  # stage before publish
    finally:
        analyzer.release()
    assert runs == ["publish", "stage"]  # each once: publish, stale, is not run again


def test_a_function_that_opens_a_file_to_write_it_does_not_read_it(monkeypatch):
    # open(path, "w") (or "a", "x", "+") gives a handle that holds what is written through
    # it, never what the module wrote there before: writing a file does not read it. Before,
    # opening it was a read, so header() was stale once report() wrote the file and the whole
    # module was analysed again in another order (pydoc's tempfilepager, mailbox's MH.remove).
    from dhlint.models import python_dataflow

    text = """
import pandas as pd
def header():
    with open("report.csv", "w") as out:
        out.write("id,email\\n")
def report():
    pd.read_csv("customers.csv", usecols=["id", "email"]).to_csv("report.csv")
"""
    runs: list[str] = []
    original = python_dataflow.Analyzer._run_function

    def counted(self, func, prefix, cls):
        runs.append(func.name)
        return original(self, func, prefix, cls)

    monkeypatch.setattr(python_dataflow.Analyzer, "_run_function", counted)
    analyzer = python_dataflow.Analyzer(ast.parse(text), "m.py", POLICY, text)
    try:
        assert analyzer.run() is None  # no better order: header() read nothing report() wrote
    finally:
        analyzer.release()
    assert runs == ["header", "report"]


def test_a_path_the_analysis_cannot_name_is_not_another_functions_file(assert_expected):
    # s29 h7 #3: f"{base}/{name}" is the text {...}/{...} (os.path.join too), so every such
    # path was one file: a function reading {...}/{...} read what another wrote there (its
    # columns, a spurious flow), and was stale once it had: the module was analysed again in
    # another order (the stdlib's mailbox.py, pyshell.py and six tests). Such a path is now
    # read back only in the run that wrote it (the path built once, written and then sent);
    # a path with a known part (/out/people_{...}.csv) is still the same file by its text.
    from dhlint.models import python_dataflow

    code = """
import pandas as pd
import requests
U = "https://api.city-approved-vendor.example/v2/upload"
def publish(stats_dir, day):
    counts = pd.read_csv(f"{stats_dir}/{day}")
    requests.post(U, json=counts.to_dict("records"))
def export(out_dir, name):
    people = pd.read_csv("people.csv", usecols=["email", "ssn"])
    people.to_csv(f"{out_dir}/{name}")  # expect: DH560
def export_and_send(tmp, name):
    people = pd.read_csv("people.csv", usecols=["email", "ssn"])
    path = f"{tmp}/{name}"
    people.to_csv(path)  # expect: DH560
    requests.post(U, files={"f": open(path, "rb")})  # expect: DH561
def send_stamped(day):
    requests.post(U, files={"f": open(f"/out/people_{day}.csv", "rb")})  # expect: DH561
def stamp(day):
    people = pd.read_csv("people.csv", usecols=["email"])
    people.to_csv(f"/out/people_{day}.csv")  # expect: DH560
"""
    assert_expected(code)
    analyzer = python_dataflow.Analyzer(ast.parse(code), "m.py", POLICY, code)
    try:
        assert analyzer.run() == [0, 1, 2, 4, 3]  # stamp before send_stamped; publish stays
    finally:
        analyzer.release()


def test_a_helper_followed_at_the_depth_limit_is_followed_again_from_a_shallower_call(
    assert_expected,
):
    # A call that passes no data is followed once and its result kept (``_follow``), but
    # that result was kept whatever the depth the call was made at: warm() reaches
    # endpoint() three calls down, where base()'s call of host() is cut at
    # MAX_INLINE_DEPTH, and send() then got that cut result (no URL: no DH260 nor DH660),
    # only because warm() is written first. A result whose run had a call cut is now
    # followed again from a call made less deep.
    code = """
import requests
def warm():
    return q()
def q():
    return r()
def r():
    return endpoint()
def endpoint():
    return base()
def base():
    return host()
def host():
    return "http://analytics.example-vendor.com/ingest"
def send(email):
    requests.post(endpoint(), json={"email": email})  # expect: DH260, DH561, DH660
"""
    assert_expected(code)
    assert facts(reversed_defs(code)) == facts(code)


def test_a_result_that_used_one_cut_at_the_depth_limit_is_followed_again_too(assert_expected):
    # warm() leaves base() cut (as above); warm_again() reaches r2() as deep as base() was
    # followed, so r2() uses base()'s cut result without a cut of its own. r2() (and
    # endpoint_via_base(), which uses it) count as cut: send_again() follows them again,
    # and base() too, from less deep.
    code = """
import requests
def warm():
    return q()
def warm_again():
    return t()
def q():
    return r()
def r():
    return endpoint()
def t():
    return endpoint_via_base()
def endpoint():
    return base()
def endpoint_via_base():
    return r2()
def r2():
    return base()
def base():
    return host()
def host():
    return "http://analytics.example-vendor.com/ingest"
def send(email):
    requests.post(endpoint(), json={"email": email})  # expect: DH260, DH561, DH660
def send_again(email):
    requests.post(endpoint_via_base(), json={"email": email})  # expect: DH260, DH561, DH660
"""
    assert_expected(code)
    assert facts(reversed_defs(code)) == facts(code)


def test_a_helper_followed_under_the_recursion_guard_is_followed_again_where_it_is_not(
    assert_expected,
):
    # warm() follows a(), which follows b(), whose call of a() the recursion guard cuts (a()
    # is running): b()'s kept result had no URL, and send() then got it, only because warm()
    # is written first (no DH260 nor DH660; with send() first, both). A result whose run had a
    # call cut by the guard keeps the functions it cut that were running at its call; a call
    # where one of them is not running follows it again.
    code = """
import requests
def warm():
    return a()
def a():
    if FLAG:
        return b()
    return "http://analytics.example-vendor.com/ingest"
def b():
    return a()
def send(email):
    requests.post(b(), json={"email": email})  # expect: DH260, DH561, DH660
"""
    assert_expected(code)
    assert_expected(reversed_defs(code))


def test_a_result_that_used_one_cut_by_the_recursion_guard_is_followed_again_too(
    assert_expected,
):
    # In warm()'s run, c() uses b()'s kept result (cut by the guard at a(), running there too)
    # without a cut of its own: c() counts as cut at a(), so send() follows it again (and b()).
    code = """
import requests
def warm():
    return a()
def a():
    if FLAG:
        return b()
    if OTHER:
        return c()
    return "http://analytics.example-vendor.com/ingest"
def b():
    return a()
def c():
    return b()
def send(email):
    requests.post(c(), json={"email": email})  # expect: DH260, DH561, DH660
"""
    assert_expected(code)
    assert_expected(reversed_defs(code))


def _budget_spent_then(call: str) -> str:
    """A function whose calls with data spend the whole INLINE_BUDGET, then make ``call``."""
    from dhlint.models.python_dataflow import INLINE_BUDGET

    touches = "    touch(df)\n" * INLINE_BUDGET
    return f'def heavy():\n    df = pd.read_csv("x.csv")\n{touches}    return {call}\n'


def test_a_helper_followed_past_the_inline_budget_is_followed_again_with_budget_left(
    assert_expected,
):
    # heavy() spends its budget of calls with data, then follows load() (a call with no data
    # is not bounded by it), whose call tidy(df) is not followed: load()'s kept result had no
    # columns, and export() then got it, only because heavy() is written first (no DH560).
    # A result whose run had a call not followed for want of budget keeps the budget left at
    # its call; a call with more left follows it again.
    code = f"""
import pandas as pd
{_budget_spent_then("load()")}
def touch(df):
    return df
def load():
    df = pd.read_csv("users.csv", usecols=["id", "email"])
    return tidy(df)
def tidy(df):
    return df.dropna()
def export():
    load().to_csv("s3://bucket/users.csv")  # expect: DH560
"""
    assert_expected(code)
    assert_expected(reversed_defs(code))


def test_a_result_that_used_one_cut_by_the_inline_budget_is_followed_again_too(
    assert_expected,
):
    # In heavy()'s run, users() uses load()'s kept result (its budget ran out there too)
    # with no call of its own left unfollowed: users() counts as cut, so export() follows it
    # again (and load()).
    code = f"""
import pandas as pd
{_budget_spent_then("(load(), users())")}
def touch(df):
    return df
def users():
    return load()
def load():
    df = pd.read_csv("users.csv", usecols=["id", "email"])
    return tidy(df)
def tidy(df):
    return df.dropna()
def export():
    users().to_csv("s3://bucket/users.csv")  # expect: DH560
"""
    assert_expected(code)
    assert_expected(reversed_defs(code))


def test_a_helper_whose_own_recursion_the_guard_cut_is_followed_once(monkeypatch):
    # walk()'s call of itself is cut in every run of it: not a cut a caller could avoid, so
    # its result is kept as any other (counted as the guard's, every call followed it again:
    # +40% statements run on bench/corpus/python).
    from dhlint.models import python_dataflow

    text = """
def walk():
    if FLAG:
        return walk()
    return "x"
def first():
    return walk()
def second():
    return walk()
"""
    runs: list[str] = []
    original = python_dataflow.Analyzer._inline_body

    def counted(self, func, args, kwargs, key):
        runs.append(func.name)
        return original(self, func, args, kwargs, key)

    monkeypatch.setattr(python_dataflow.Analyzer, "_inline_body", counted)
    analyzer = python_dataflow.Analyzer(ast.parse(text), "m.py", POLICY, text)
    try:
        analyzer.run()
    finally:
        analyzer.release()
    assert runs == ["walk"]  # in walk()'s own run as an entry point, then kept


def facts_in_order(text: str, order: list[int]) -> list[str]:
    """Every fact of the module run with its functions taken as entry points in ``order``
    (indexes in source order), whole (names, columns and their order, places)."""
    from dhlint.models import python_dataflow

    analyzer = python_dataflow.Analyzer(ast.parse(text), "m.py", POLICY, text)
    try:
        analyzer.run(order)
        model = analyzer.model()
    finally:
        analyzer.release()
    return sorted(repr(f) for f in (*model.sinks, *model.endpoints, *model.hashes))


# Modules whose facts once depended on the order their entry points ran in; the indexes of
# their functions in source order: (a module-level function, a class's __init__, a method).
ENTRY_ORDER_CASES = {
    # The client a function passes to the constructor is unnamed, the constructor's own
    # parameter is named: self.session joined both, and kept the one set last (the request
    # was '?.post' when __init__ ran first; homeassistant's flock notify).
    "receiver_set_by_the_constructor_and_by_a_caller": """
from hub import client_session
API = "https://api.example.com/hooks/"
def make(token):
    return Notifier(f"{API}{token}", client_session())
class Notifier:
    def __init__(self, url, session):
        self._url = url
        self._session = session
    def send(self, message):
        self._session.post(self._url, json={"text": message})
""",
    # The car a caller passes is unnamed, __init__'s parameter ``leaf`` is named: the VIN of
    # self.leaf was logged or not (homeassistant's nissan_leaf). (The caller passes a
    # constant too: a call with nothing known is not followed.)
    "field_of_an_attribute_set_by_the_constructor_and_by_a_caller": """
import logging
from carwings import Session
log = logging.getLogger(__name__)
def setup(user):
    return Store(Session(user).get_leaf(), "eu")
class Store:
    def __init__(self, leaf, region):
        self.leaf = leaf
        self.region = region
    def refresh(self):
        log.debug("refreshing %s", self.leaf.vin)
""",
    # __init__ run as an entry point logs its parameter by name (face_file); run from the
    # caller, the field of the configuration it came from (faces): the message named them in
    # the order the runs came (homeassistant's dlib_face_identify).
    "a_sink_that_two_runs_reach_with_different_columns": """
import logging
log = logging.getLogger(__name__)
def setup(config):
    return Entity(config["faces"])
class Entity:
    def __init__(self, faces):
        for face_file in faces:
            log.error("failed to parse %s", face_file)
    def close(self):
        return None
""",
}


@pytest.mark.parametrize("text", ENTRY_ORDER_CASES.values(), ids=ENTRY_ORDER_CASES.keys())
def test_facts_do_not_depend_on_the_order_entry_points_run_in(text):
    in_source_order = facts_in_order(text, [0, 1, 2])
    assert in_source_order  # the case makes facts
    assert facts_in_order(text, [1, 0, 2]) == in_source_order  # constructors first


def test_constructors_run_before_the_methods_that_read_what_they_set(monkeypatch):
    # export() reads self.source, which __init__ sets (for DailyExporter, through super()):
    # run in source order, export() read it unset and ran again once it was set (with every
    # summary that read it). Each class's __init__ first: each runs once.
    from dhlint.models import python_dataflow

    text = """
import pandas as pd
class Exporter:
    def export(self):
        pd.read_csv(self.source, usecols=["id", "email"]).to_csv("out.csv")
    def __init__(self, source):
        self.source = source
class DailyExporter(Exporter):
    def __init__(self):
        super().__init__("daily.csv")
"""
    runs: list[str] = []
    original = python_dataflow.Analyzer._run_function

    def counted(self, func, prefix, cls):
        runs.append(f"{cls}.{func.name}")
        return original(self, func, prefix, cls)

    monkeypatch.setattr(python_dataflow.Analyzer, "_run_function", counted)
    analyzer = python_dataflow.Analyzer(ast.parse(text), "m.py", POLICY, text)
    try:
        assert analyzer.run() is None
    finally:
        analyzer.release()
    assert runs == ["Exporter.__init__", "DailyExporter.__init__", "Exporter.export"]
    # The same facts as in source order: the export of the columns read.
    assert facts(text) == facts(reversed_defs(text))
    exported = [key for key in facts(text) if key[1:2] == ("DataFrame.to_csv",)]
    assert exported == [("file", "DataFrame.to_csv", (("email", "raw"), ("id", "raw")))]
