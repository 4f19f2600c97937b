"""The example city repository's ETL script: exactly the findings its comments expect."""

from __future__ import annotations

from pathlib import Path

from tests.python.conftest import expected_findings

REPO = Path(__file__).resolve().parents[2]
ETL = REPO / "fixtures" / "city-repo" / "etl"


def _python_findings(result):
    return {
        (f.rule_id, f.location.path, f.location.start_line)
        for f in result.active
        if f.location.path.endswith(".py")
    }


def test_city_etl_findings_match_expectations(check_paths):
    result = check_paths("fixtures/city-repo/etl")
    expected = set()
    for path in sorted(ETL.rglob("*.py")):
        expected |= expected_findings(path, path.relative_to(REPO).as_posix())
    assert expected, "the fixture must expect findings"
    assert _python_findings(result) == expected
    assert not [d for d in result.diagnostics if d.kind == "internal"]


def test_city_etl_export_has_flow_from_source_to_sink(check_paths):
    result = check_paths("fixtures/city-repo/etl", select=["DH560"])
    (finding,) = result.active
    lines = [r.location.start_line for r in finding.flow]
    labels = [r.label for r in finding.flow]
    assert lines[0] == 28  # pd.read_csv(...) of the plate reads
    assert labels[0] == "read by pandas.read_csv"
    assert lines[-1] == finding.location.start_line == 43
    assert finding.related and finding.related[0].location.start_line == 28
