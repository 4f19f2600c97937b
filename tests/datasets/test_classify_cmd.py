"""``dhlint classify``: the same table as a names list, CSV header, dbt schema and SQL DDL."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dhlint.cli import main
from tests.conftest import run_cli, write_tree

COLUMNS = [
    "service_request_id",
    "RequesterEmail",
    "requester_phone",
    "phone_type",
    "zip",
    "requester_age",
    "latitude",
    "plate_no",
    "client_mac",
    "email_sent_count",
]
EXPECTED = {
    "service_request_id": "none",
    "RequesterEmail": "direct",
    "requester_phone": "direct",
    "phone_type": "none",
    "zip": "quasi",
    "requester_age": "quasi",
    "latitude": "location",
    "plate_no": "direct",
    "client_mac": "device",
    "email_sent_count": "none",
}
FILES = {
    "names.txt": "# 311 requests\n" + "\n".join(COLUMNS) + "\n",
    "requests.csv": ",".join(COLUMNS) + "\n" + ",".join("x" for _ in COLUMNS) + "\n",
    "requests.tsv": "\t".join(COLUMNS) + "\n",
    "requests.jsonl": json.dumps(dict.fromkeys(COLUMNS, 1)) + "\n",
    "models/schema.yml": "version: 2\nmodels:\n  - name: requests\n    columns:\n"
    + "".join(f"      - name: {c}\n        description: x\n" for c in COLUMNS),
    "requests.sql": "CREATE TABLE requests (\n"
    + ",\n".join(f"  {c} TEXT" for c in COLUMNS)
    + ",\n  PRIMARY KEY (service_request_id)\n);\n",
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    root = write_tree(tmp_path / "repo", FILES)
    monkeypatch.chdir(root)
    return root


def classify(capsys, *args: str) -> tuple[int, str]:
    code = main(["classify", *args])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("source", list(FILES))
def test_jsonl_same_answers_for_every_input_kind(repo, capsys, source) -> None:
    code, out = classify(capsys, source, "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["name"] for r in records] == COLUMNS
    assert {r["name"]: r["category"] for r in records} == EXPECTED
    assert all(r["source"] == source for r in records)
    reference = main(["classify", "--format", "jsonl", *COLUMNS])
    assert reference == 0
    literal = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    keys = ("name", "category", "confidence", "matched")
    assert [[r[k] for k in keys] for r in records] == [[r[k] for k in keys] for r in literal]


def test_text_and_json(repo, capsys) -> None:
    code, out = classify(capsys, "requests.sql", "plate_type")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "requests.sql:"
    assert lines[2].split() == ["requests.RequesterEmail", "direct", "high", "(email)"]
    assert lines[-3] == "<arguments>:"
    assert lines[-2].split() == ["plate_type", "none"]
    assert lines[-1] == "11 columns: 3 direct, 1 device, 1 location, 2 quasi, 4 none"
    code, out = classify(capsys, "plate_type")
    assert out.splitlines()[-1] == "1 column: 1 none"
    code, out = classify(capsys, "models/schema.yml", "--format", "json")
    data = json.loads(out)
    assert data["policy"]["sha256"] and data["errors"] == []
    assert data["summary"] == {
        "direct": 3, "device": 1, "biometric": 0, "special": 0, "location": 1, "quasi": 2,
        "none": 3,
    }  # fmt: skip
    assert data["columns"][1] == {
        "name": "RequesterEmail",
        "category": "direct",
        "confidence": "high",
        "matched": "email",
        "source": "models/schema.yml",
        "table": "requests",
        "line": 7,
    }


def test_stdin_and_fail_on(repo, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("dob\nward\n"))
    code, out = classify(capsys, "-", "--format", "jsonl", "--fail-on", "quasi")
    assert code == 1
    assert [json.loads(x)["category"] for x in out.splitlines()] == ["quasi", "none"]
    code, _ = classify(capsys, "ward", "--fail-on", "direct,device")
    assert code == 0


def test_policy_additions_apply(repo, capsys) -> None:
    Path("dhlint.yaml").write_text(
        "identifiers:\n  direct: [hotlist_entry]\nnot_identifiers: [requester_phone]\n",
        encoding="utf-8",
    )
    code, out = classify(capsys, "hotlistEntry", "requester_phone", "--format", "jsonl")
    assert code == 0
    assert [json.loads(x)["category"] for x in out.splitlines()] == ["direct", "none"]


def test_unreadable_input_exits_2(repo, capsys) -> None:
    Path("broken.sql").write_text("select 1;", encoding="utf-8")
    code = main(["classify", "broken.sql", "email"])
    captured = capsys.readouterr()
    assert code == 2
    assert "broken.sql: no CREATE TABLE statement found" in captured.err
    assert '"email"' not in captured.err and "email" in captured.out


def test_installed_command(repo) -> None:
    proc = run_cli(["classify", "names.txt", "--format", "jsonl"], cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == len(COLUMNS)


def test_directory_classifies_every_data_and_schema_file(repo, capsys) -> None:
    Path("models/dbt_project.yml").write_text("name: city\nversion: '1.0'\n", encoding="utf-8")
    code, out = classify(capsys, ".", "--format", "jsonl")
    assert code == 0  # a YAML file that is not a dbt schema is skipped quietly
    sources = sorted({json.loads(line)["source"] for line in out.splitlines()})
    assert sources == [
        "models/schema.yml",
        "requests.csv",
        "requests.jsonl",
        "requests.sql",
        "requests.tsv",
    ]


def test_missing_file_is_an_error_not_a_column(repo, capsys) -> None:
    code = main(["classify", "reqests.csv", "data/x.parquet", "requester_email"])
    captured = capsys.readouterr()
    assert code == 2
    assert "reqests.csv: no such file" in captured.err
    assert "data/x.parquet: no such file" in captured.err
    assert "requester_email" in captured.out and "reqests" not in captured.out
