"""Regular expressions on scanned text run in linear time.

The C regex engine cannot be interrupted by the per-file time limit, so one pattern that
backtracks quadratically on a long run of spaces is a hang. Each rewritten pattern is checked
against the pattern it replaced (same results on small inputs), and every module-level
pattern of the package is run on long adversarial inputs.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import dhlint
from dhlint.datasets import profile
from dhlint.inventory import facts
from dhlint.models import python_sql

# The patterns as they were (quadratic or worse on runs of white space or word characters).
OLD_SELECT = re.compile(
    r"^\s*(?:with\b.*?\)\s*)?select\s+(?:distinct\s+|all\s+)?(.*?)\s+from\s", re.I | re.S
)
OLD_AS = re.compile(r"^(.*?)\s+(?:as\s+)?([A-Za-z_][\w]*)$", re.I | re.S)
OLD_PAIR = re.compile(r"^\s*[\[(]?\s*-?\d{1,3}\.\d+\s*[,;\s]\s*-?\d{1,3}\.\d+\s*[\])]?\s*$")
OLD_SCRIPT = re.compile(r"[\w./-]*\w\.py\b")
OLD_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
OLD_K8S_API = re.compile(r"^\s*(?:-\s+)?apiVersion\s*:", re.MULTILINE)
OLD_LOCAL_SOURCE = re.compile(r'"?\bsource"?\s*[=:]\s*"(\.\.?/[^"]*)"')  # slow, not quadratic
OLD_TF_SNIFF = re.compile(r'^\s*(resource|variable|module|provider|data|terraform)\s+["{]', re.M)


def _text(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=14).map("".join)


SQL = _text(["select", "SELECT", "with", " ", "  ", "\n", "\t", "from", "FROM", "distinct",
             "all", "a", "b_1", ",", "(", ")", "as", "AS", "x.", "*", "1"])  # fmt: skip
ALIAS = _text([" ", "\t", "\n", "as", "AS", "a", "b_1", "1", "(", ")", ".", "x", "has"])
PAIR = _text([" ", "\t", "\n", "[", "(", "]", ")", "-", "1", "12", "123", "1234", ".", ",",
              ";", "5"])  # fmt: skip
SCRIPT = _text([" ", "a", "_", ".", "/", "-", "py", ".py", "x.py", "./", "1", "=", "'"])
EMAIL = _text(["a", "1", ".", "_", "%", "+", "-", "@", "b", "co", ".org", " ", "!"])
MODULE_CALLS = _text(['source = "./a"', 'source: "../b/', '"source"', "source", "data_", "x", "é",
                      '"', " ", "\n", "=", ":", "./", "../", "a", "/", "_"])  # fmt: skip
MANIFEST = _text(["\n", " ", "\t", "-", "- ", "apiVersion", ":", "kind", "resource", '"', "{"])


@settings(max_examples=400, deadline=None)
@given(SQL)
# FROM's white space is the head's own: the old pattern gives it back, lets DISTINCT be the
# list, or prefers a later FROM.
@example("select from ")
@example("select  from x")
@example("select distinct from a")
@example("select distinct from a from b")
@example("select all  from from y ")
def test_select_list_is_what_the_old_pattern_captured(sql):
    old = OLD_SELECT.match(sql)
    assert python_sql._select_list(sql) == (old.group(1) if old else None)


@settings(max_examples=400, deadline=None)
@given(ALIAS)
def test_alias_split_is_what_the_old_pattern_split(item):
    old = OLD_AS.match(item)
    new = python_sql._alias(item)
    if old is None:
        assert new is None
    else:
        assert new is not None and (new[0].rstrip(), new[1]) == (old.group(1), old.group(2))


@settings(max_examples=400, deadline=None)
@given(PAIR)
def test_coordinate_pair_is_what_the_old_pattern_matched(value):
    assert bool(profile._PAIR.match(value.strip())) == bool(OLD_PAIR.match(value))


@settings(max_examples=400, deadline=None)
@given(SCRIPT)
def test_scripts_are_what_the_old_pattern_found(text):
    assert [m.group(0) for m in facts._SCRIPT.finditer(text)] == [
        m.group(0) for m in OLD_SCRIPT.finditer(text)
    ]


@settings(max_examples=400, deadline=None)
@given(EMAIL)
@example("a@a.org1@a.aa")
def test_emails_are_what_the_old_pattern_found(text):
    # The profiler asks whether a value holds an email: the first match. Later ones may differ:
    # a match starts only where a run of local-part characters does, so in "a@a.org1@a.aa" the
    # old pattern's second match (from inside the run "org1") is none.
    old, new = OLD_EMAIL.search(text), profile.EMAIL.search(text)
    assert (new and new.group(0)) == (old and old.group(0))


@settings(max_examples=400, deadline=None)
@given(MODULE_CALLS)
@example('data_source = "./no" source = "./yes" xsource = "./source" = "./inner"')
def test_local_module_calls_are_what_the_old_pattern_found(text):
    from dhlint.models import terraform

    assert list(terraform._local_sources(text)) == [
        m.group(1) for m in OLD_LOCAL_SOURCE.finditer(text)
    ]


@settings(max_examples=400, deadline=None)
@given(MANIFEST)
def test_kind_sniffs_answer_as_before(text):
    from dhlint import discovery

    assert bool(discovery._K8S_API.search(text)) == bool(OLD_K8S_API.search(text))
    assert bool(discovery._TF_SNIFF.search(text)) == bool(OLD_TF_SNIFF.search(text))


def test_select_columns_reads_aliases_as_before():
    sql = "SELECT name AS n, md5(email) hashed, count(*) AS total, t.plate FROM reads t"
    assert python_sql.select_columns(sql) == (
        [
            ("n", ("name",), "raw"),
            ("hashed", ("email",), "weak-hash:md5"),
            ("total", ("total",), "aggregate"),
            ("plate", ("plate",), "raw"),
        ],
        False,
    )


def _patterns() -> dict[str, re.Pattern]:
    found = {}
    # ``dhlint.detectors`` is a namespace package (no ``__init__``): walk_packages does not
    # descend into it from the top, so its subpackages are walked on their own.
    detectors = [os.path.join(path, "detectors") for path in dhlint.__path__]
    packages = [*pkgutil.walk_packages(dhlint.__path__, "dhlint.")]
    packages += pkgutil.walk_packages(detectors, "dhlint.detectors.")
    for info in packages:
        if info.name.endswith("__main__"):
            continue  # running it would run the CLI
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.setdefault(id(value), (f"{info.name}.{name}", value))
    return dict(found.values())


# Runs that made the old patterns backtrack: white space (with and without line ends), word and
# path characters, digits, dotted names. 20,000 characters: a linear scan takes a millisecond.
RUNS = [" ", "\t", " \n", "a", "a_", "a.", "a-", "aA", "1", "0.", "/a", "a/", "a@", "@a.",
        "-- ", "select ", "a.b ", "://", "${", "${a", "%{", "'", '"', "\\", "a,", "a=", "a:", ": ",
        "#", ".#", ". #", "log.#", "log#", "spark#"]  # fmt: skip


def _search_time(pattern: re.Pattern, text: str) -> float:
    start = time.perf_counter()
    pattern.search(text)
    return time.perf_counter() - start


def test_no_pattern_of_the_package_backtracks_on_long_runs():
    slow = []
    for name, pattern in _patterns().items():
        for run in RUNS:
            for end in ("", "!", "\n"):
                text = run * (20_000 // len(run)) + end
                # The best of three: a busy machine may stall one search, never all three (a
                # backtracking pattern takes seconds on this text each time).
                took = _search_time(pattern, text)
                if took > 0.25:
                    took = min(took, _search_time(pattern, text), _search_time(pattern, text))
                if took > 0.25:
                    slow.append((name, run, end, round(took, 2)))
    assert not slow, slow


@pytest.mark.parametrize(
    "sql",
    ["select" + " " * 20_000 + "x", "select a" + " " * 20_000, "select a from" + " " * 20_000],
)
def test_select_columns_on_long_white_space_runs(sql):
    start = time.perf_counter()
    python_sql.select_columns(sql)
    assert time.perf_counter() - start < 1.0


OLD_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
OLD_COMMENT = re.compile(r"[ \t]+#")
NAME = _text(["A", "B", "a", "b", "1", "_", "-", "HTTP", "Server", "db", "Password", "ID"])
VALUE = _text([" ", "\t", "#", "a", "'", "x #", "  #"])


@settings(max_examples=400, deadline=None)
@given(NAME)
def test_acronym_split_is_what_the_old_pattern_did(name):
    from dhlint import credentials

    assert credentials._ACRONYM_END.sub(r"\1 ", name) == OLD_ACRONYM.sub(r"\1 \2", name)


@settings(max_examples=400, deadline=None)
@given(VALUE)
def test_trailing_comment_is_where_the_old_pattern_found_it(value):
    from dhlint.detectors.kubernetes import _tls

    new, old = _tls._COMMENT.search(value), OLD_COMMENT.search(value)
    assert (new.start() if new else None) == (old.start() if old else None)


@pytest.mark.parametrize(
    "run", ["${", "${a", "%{", "${ x", "%{ if a }", "%{ for x in a }${x}", "%{ if a }x%{ else }"]
)
def test_template_rendering_is_linear_on_unclosed_runs(run):
    # A template file may be 256 KB: an interpolation that scans to the end of the text from
    # every unclosed ``${`` took about 15 s on this one.
    from dhlint.models.terraform_eval import render_template

    start = time.perf_counter()
    render_template(run * (200_000 // len(run)), {"a": "x"})
    assert time.perf_counter() - start < 1.0


def test_nested_template_loops_are_bounded():
    # 20 nested loops over 10 items are 10**20 iterations of an empty body: cut off, unknown.
    from dhlint.models.terraform_eval import is_unknown, render_template

    text = "%{ for x in a }" * 20 + "%{ endfor }" * 20
    start = time.perf_counter()
    assert is_unknown(render_template(text, {"a": list(range(10))}))
    # Uncut, this never ends; cut, well under a second. The margin is wide: with helpers and
    # suites sharing two cores, 2 s failed on unchanged code.
    assert time.perf_counter() - start < 10.0


OLD_USERINFO = re.compile(r"[^\s/'\"@:<>]{0,256}:[^\s/'\"@<>]{0,256}@")
USERINFO = _text(["a", "etl", ":", "@", "/", " ", "pw", "<", "'", "x" * 200, "://", "host"])


@settings(max_examples=400, deadline=None)
@given(USERINFO, st.integers(min_value=0, max_value=40))
def test_userinfo_window_is_what_the_old_pattern_matched_at_the_position(text, at):
    from dhlint.models import python_credentials as pc

    old = OLD_USERINFO.match(text, at) is not None
    assert (pc._USERINFO.match(text[at : at + pc._USERINFO_MAX]) is not None) == old


# The Python pre-filter's patterns ``\.{GAP}METHOD`` as they were: from each dot of a line of
# ".#" the comment was read to the line's end again (seconds on 20,000 characters).
OLD_GAP = r"(?:[\s\\]|#[^\n]*(?:\n|\Z))*"
OLD_LOGGER = "(?:log|logger|LOG|LOGGER|logging|log_|audit_log)"
OLD_DOT_PATTERNS = {
    "data": re.compile(rf"\.{OLD_GAP}(?:send|write\w*|execute\w*|to_(?:csv|sql)|md5|sha1)\b"),
    "client": re.compile(rf"\.{OLD_GAP}client\b|[\"']client[\"']"),
    "peer": re.compile(rf"\.{OLD_GAP}(?:accept|recvfrom(?:_into)?|getpeername)\b"),
    "storage": re.compile(rf"\.{OLD_GAP}(?:download\w*|get_object|read_key)\b"),
    "spark": re.compile(rf"\bspark{OLD_GAP}\."),
    "log_call": re.compile(rf"\b_*{OLD_LOGGER}{OLD_GAP}\.{OLD_GAP}\w"),
}


def _dot_tests() -> dict:
    from dhlint.frontends import python as py

    return {
        "data": lambda t: py._through_comments(py._DATA_METHOD, py._DATA_METHOD_TAIL, t),
        "client": lambda t: (
            py._CLIENT_NAMED.search(t) is not None
            or py._through_comments(py._CLIENT_READ, py._CLIENT_TAIL, t)
        ),
        "peer": lambda t: py._through_comments(py._PEER_CALL, py._PEER_TAIL, t),
        "storage": lambda t: py._through_comments(py._STORAGE_READ, py._STORAGE_TAIL, t),
        "spark": py._spark_dot,
        "log_call": py._log_call,
    }


DOTTED = _text([".", ". ", "#", "# ", "\n", " ", "\\", "\\\n", "x", "_", "'", "send", "sendx",
                "write_x", "to_csv", "md5", "client", "'client'", "accept", "recvfrom_into",
                "download_x", "get_object", "spark", "log", "_log", "logger", "LOG", "log_",
                "audit_log", "xlog", "é"])  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(DOTTED)
@example("log # c\n .# d\n x")
@example("x.# a.send\n")
@example("spark # a\n\\\n # b\n.")
@example("log.# a\nlog# b\n.x")
def test_dot_patterns_find_what_the_old_patterns_found(text):
    tests = _dot_tests()
    for name, old in OLD_DOT_PATTERNS.items():
        assert tests[name](text) == (old.search(text) is not None), (name, text)


# Dots and logger names followed by comments, on one line or many.
DOT_RUNS = [".#", ". #", ".\\#", ".\n#", ".# x\n", "#.#\n", "a.#", "log.#", "log .#", "log#",
            "log#.", "# log#\n", "log#\n.#\n", "spark#", "# spark#\n", "_log.#",
            "# x.#\n"]  # fmt: skip


@pytest.mark.parametrize("run", DOT_RUNS)
def test_dot_patterns_are_linear_after_comments(run):
    tests = _dot_tests()
    slow = []
    for end in ("", "!", "\n", "\n."):
        text = run * (20_000 // len(run)) + end
        for name, found in tests.items():
            start = time.perf_counter()
            found(text)
            took = time.perf_counter() - start
            if took > 0.25:
                slow.append((name, end, round(took, 2)))
    assert not slow, slow
