"""``jsontext.dumps`` writes the same text as ``json.dumps(indent=2, sort_keys=True,
ensure_ascii=False)``, on which the JSON, SARIF and baseline files depend byte for byte."""

from __future__ import annotations

import enum
import json
import math
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from dhlint.engine import CheckOptions, run_check
from dhlint.report import jsontext
from dhlint.report.json import finding_data, finding_text, render, report_data
from dhlint.report.sarif import build_log, to_data
from dhlint.types import Related, Suppression
from tests.conftest import FIXTURES, REPO


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 3


class Text(str):
    pass


class Real(float):
    pass


def reference(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities included: the json module writes them too
    | st.text()  # newlines, quotes, backslashes, control and non-ASCII characters
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=600, deadline=None)
@given(values)
def test_the_text_is_the_json_modules(value):
    assert jsontext.dumps(value) == reference(value)


def test_edge_values():
    for value in (
        [],
        {},
        [[]],
        [{}],
        {"a": []},
        {"a": [{}], "b": [[1]]},
        ["line\nbreak", "tab\t", '"quoted"', "\\", "é\u2028"],
        {"\n": {"x\ny": [1, 2]}},
        [math.nan, math.inf, -math.inf, 1e100, -0.0],
        {1: "a", 2: "b"},  # non-string keys: the json module's own path
        (1, (2, 3)),
        [{1: "a"}, {"k": {2: [3]}}],  # ... also inside a list's items
        [True, False, None, 0, -1, 2**70, 1.5, {"a": {"b": {}}}],
        [Level.HIGH, Text("sub"), Real(2.5), {"k": Level.LOW}],  # subclasses: the json module's
        # dicts of one shape, keys in another order, or a string subclass among them
        [{"b": 1, "a": [2]}, {"b": 3, "a": [4]}, {"a": 5, "b": 6}, {Text("a"): 7, "b": 8}],
    ):
        assert jsontext.dumps(value) == reference(value), value


def test_reports_of_the_fixtures_are_unchanged():
    result = run_check(CheckOptions(paths=[str(FIXTURES)], cwd=str(REPO), jobs=1))
    assert len(result.findings) > 100
    data = report_data(result, show_suppressed=True)
    assert jsontext.dumps(data) == reference(data)
    log = to_data(build_log(result))
    assert jsontext.dumps(log) == reference(log)


def test_a_finding_written_as_text_is_its_data_written():
    """The JSON report writes each finding's text (``finding_text``) instead of a dict for the
    generic writer; the text is the same, whatever its strings hold, suppressed or not (the
    fixtures have no suppression), with or without a rule in the table."""
    result = run_check(CheckOptions(paths=[str(FIXTURES)], cwd=str(REPO), jobs=1))
    rules = {r.id: r for r in result.catalog}
    assert any(f.related for f in result.findings) and any(f.flow for f in result.findings)
    first = result.findings[0]
    odd = replace(
        first,
        message='line\nbreak "quoted" \\ é\u2028 \t',
        anchor="",
        related=(Related(first.location, 'a\nlabel "q"'),),
        suppressed_by=Suppression("p", 3, 1, ("DH101",), 'why\n"not"', until=None),
    )
    until = replace(odd, suppressed_by=replace(odd.suppressed_by, until="2030-01-01"))
    for finding in [*result.findings, odd, until]:
        for table in (rules, {}):
            assert finding_text(finding, table) == reference(finding_data(finding, table))
    for show in (False, True):
        assert render(result, show) == reference(report_data(result, show)) + "\n"
