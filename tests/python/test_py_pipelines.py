"""Realistic pipelines (fixtures/python/): exactly the expected findings, none on safe variants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dhlint.cli import main
from tests.python.conftest import expected_findings

REPO = Path(__file__).resolve().parents[2]
PIPELINES = REPO / "fixtures" / "python"
UNSAFE = sorted(p for p in PIPELINES.rglob("*.py") if not p.stem.endswith("_safe"))
SAFE = sorted(PIPELINES.rglob("*_safe.py"))


def _findings(check_paths, path: Path):
    rel = path.relative_to(REPO).as_posix()
    result = check_paths(rel)
    assert not [d for d in result.diagnostics if d.kind == "internal"], result.diagnostics
    return result, {(f.rule_id, f.location.path, f.location.start_line) for f in result.active}


def test_every_pipeline_has_a_safe_variant():
    assert len(UNSAFE) == 5
    assert {p.with_name(p.stem + "_safe.py") for p in UNSAFE} == set(SAFE)


@pytest.mark.parametrize("path", UNSAFE, ids=[p.parent.name for p in UNSAFE])
def test_pipeline_findings_are_exactly_the_expected_ones(path, check_paths):
    _, got = _findings(check_paths, path)
    expected = expected_findings(path, path.relative_to(REPO).as_posix())
    assert expected
    assert got == expected


@pytest.mark.parametrize("path", SAFE, ids=[p.parent.name for p in SAFE])
def test_safe_variant_has_no_findings(path, check_paths):
    _, got = _findings(check_paths, path)
    assert got == set()


def test_airflow_flow_crosses_tasks_through_the_staging_file(check_paths):
    path = PIPELINES / "airflow" / "service_requests_dag.py"
    result, _ = _findings(check_paths, path)
    (upload,) = [f for f in result.active if f.location.start_line == 50]
    steps = [(r.location.start_line, r.label) for r in upload.flow]
    assert steps[0] == (29, "read by hook.get_pandas_df")  # the SQL extract in task 1
    assert steps[-1] == (50, "leaves by S3Hook.load_file")


def test_vendor_upload_flow_reaches_sftp_from_the_select(check_paths):
    path = PIPELINES / "vendor_upload" / "citations_upload.py"
    result, _ = _findings(check_paths, path)
    (sftp,) = [f for f in result.active if f.rule_id == "DH561" and f.location.start_line == 45]
    assert "sftp.collections-partner.example" in sftp.message
    assert [r.location.start_line for r in sftp.flow] == [29, 45]


def test_sarif_code_flow_from_source_to_sink(tmp_path, monkeypatch, capsys, sarif_validator):
    monkeypatch.chdir(REPO)
    code = main(
        ["check", "--output-format", "sarif", "--select", "DH560", "fixtures/python/pyspark"]
    )
    assert code == 1
    sarif = json.loads(capsys.readouterr().out)
    sarif_validator.validate(sarif)
    (result,) = sarif["runs"][0]["results"]
    (flow,) = result["codeFlows"]
    steps = flow["threadFlows"][0]["locations"]
    lines = [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps]
    assert lines[0] == 39  # spark.read.parquet(...) of the raw probes
    assert lines[-1] == result["locations"][0]["physicalLocation"]["region"]["startLine"] == 43
    uris = {s["location"]["physicalLocation"]["artifactLocation"]["uri"] for s in steps}
    assert uris == {"fixtures/python/pyspark/wifi_dwell_job.py"}
