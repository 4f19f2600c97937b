"""DH580-DH583 through the engine: exact findings, opt-in paths, and no personal value in output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dhlint.cli import main
from dhlint.commands.check import FORMATS
from tests.conftest import FIXTURES, rule_ids
from tests.datasets.synth import PLANTED_EMAIL, PLANTED_PHONE, requests_311

DATASETS = {"datasets": ["publish/**"]}
RULES = ["DH580", "DH581", "DH582", "DH583", "DH584"]
GROUPS = {
    ("64106", "34", "F"): 14,
    ("64106", "34", "M"): 12,
    ("64109", "52", "F"): 11,
    ("64110", "71", "F"): 1,  # the rare combination
}


def test_synthetic_311_export(scan) -> None:
    text, _ = requests_311(GROUPS)
    result = scan({"publish/requests.csv": text}, policy=DATASETS, select=RULES)
    assert rule_ids(result) == [
        ("DH582", "publish/requests.csv", 1),
        ("DH581", "publish/requests.csv", 1),
        ("DH581", "publish/requests.csv", 1),
        ("DH583", "publish/requests.csv", 1),
    ]
    by_rule = {}
    for finding in result.active:
        by_rule.setdefault(finding.rule_id, []).append(finding)
    k_anon = by_rule["DH582"][0]
    assert "zip, requester_age, requester_sex" in k_anon.message
    assert "smallest group 1" in k_anon.message and "k=11" in k_anon.message
    assert [r.label for r in k_anon.related] == [
        "quasi-identifier 'requester_age'",
        "quasi-identifier 'requester_sex'",
    ]
    assert [f.message.split("'")[1] for f in by_rule["DH581"]] == ["latitude", "longitude"]
    assert "more than 3 decimals (up to 6)" in by_rule["DH581"][0].message
    assert "1 email addresses, 1 phone numbers" in by_rule["DH583"][0].message
    header = text.split("\n", 1)[0]
    assert [f.location.start_col for f in result.active] == [
        header.index("zip") + 1,
        header.index("latitude") + 1,
        header.index("longitude") + 1,
        header.index("description") + 1,
    ]


def test_safe_variant_is_clean(scan) -> None:
    groups = {("641", "30-39", "F"): 14, ("641", "70-79", "M"): 11}
    text, _ = requests_311(groups, decimals=3, planted=False, columns=("zip3", "age_band", "sex"))
    result = scan({"publish/requests.csv": text}, policy=DATASETS, select=RULES)
    assert rule_ids(result) == []


def test_policy_settings_apply(scan) -> None:
    text, _ = requests_311({("64106", "34", "F"): 4, ("64109", "52", "M"): 5}, decimals=4)
    files = {"publish/requests.csv": text}
    strict = scan(files, policy=DATASETS, select=["DH581", "DH582"])
    assert sorted({f.rule_id for f in strict.active}) == ["DH581", "DH582"]
    lenient = {**DATASETS, "k_anonymity": 4, "location_decimals": 4}
    assert rule_ids(scan(files, policy=lenient, select=["DH581", "DH582"])) == []


def test_aggregate_table_is_judged_on_its_count_cells(scan) -> None:
    # probe40 P1 (min/12): a table of counts was judged as if each row were one person.
    header = "week,zip3,age_group,sex,condition,cases\n"
    counts = (
        "2025-01-05,641,18-44,F,pertussis,14\n"
        "2025-01-05,641,18-44,M,pertussis,19\n"
        "2025-01-05,641,0-4,F,measles,\n"
        "2025-01-05,641,45-64,M,tb,22\n"
        "2025-01-12,641,18-44,F,pertussis,1,204\n".replace("1,204", '"1,204"')
        + "2025-01-12,641,18-44,M,pertussis,<11\n"
    )
    small = "2025-01-05,641,18-44,F,pertussis,3\n2025-01-05,641,45-64,M,tb,1\n"
    files = {"publish/weekly.csv": header + counts, "publish/small.csv": header + counts + small}
    result = scan(files, policy=DATASETS, select=["DH582"])
    assert rule_ids(result) == [("DH582", "publish/small.csv", 1)]
    finding = result.active[0]
    assert finding.message.endswith(
        "2 of 6 cells of count column 'cases' under k (row 7: 3, row 8: 1)"
    )
    assert [r.label for r in finding.related][-1] == "count column 'cases'"
    # Rows naming a person are records whatever column counts something.
    records = "name,zip3,age_group,sex,cases\n" + "".join(
        f"p{i},641,18-44,F,14\n" for i in range(3)
    )
    assert rule_ids(scan({"publish/r.csv": records}, policy=DATASETS, select=["DH582"])) == [
        ("DH582", "publish/r.csv", 1)
    ]


def test_a_count_column_named_as_the_people_counted_is_a_count_column(scan) -> None:
    # probe43 P10 (min/11): a table of counts whose count column is named as the people it
    # counts (registrants) was judged row by row ("5 of 5 rows in 5 small groups"), as one
    # named n, total or *_count is not. Shape alone (whole numbers, one row per group) is not
    # enough: a record table of unique rows has that shape too, and is the worst case.
    text = (
        "zone,age_band,sex,registrants\n"
        "A,65-74,F,14\nA,65-74,M,3\nA,75+,F,22\nB,75+,M,1\nB,18-64,F,40\n"
    )
    result = scan({"publish/h.csv": text}, policy=DATASETS, select=["DH582"])
    assert [f.message.split(": ", 1)[1] for f in result.active] == [
        "2 of 5 cells of count column 'registrants' under k (row 2: 3, row 4: 1)"
    ]
    visits = text.replace("registrants", "visits")  # not people: rows judged as records
    result = scan({"publish/v.csv": visits}, policy=DATASETS, select=["DH582"])
    assert [f.message.split(": ", 1)[1] for f in result.active] == [
        "smallest group 1, 5 of 5 rows in 5 small groups"
    ]


def test_data_files_are_opt_in(scan) -> None:
    text, _ = requests_311(GROUPS)
    assert rule_ids(scan({"test_data/requests.csv": text}, policy=DATASETS, select=RULES)) == []
    assert rule_ids(scan({"test_data/requests.csv": text}, select=RULES)) == []


def test_city_identifiers_apply_to_datasets(scan) -> None:
    files = {"publish/x.csv": "id,hotlist_entry\n1,A\n"}
    assert rule_ids(scan(files, policy=DATASETS, select=["DH580"])) == []
    policy = {**DATASETS, "identifiers": {"direct": ["hotlist_entry"]}}
    assert rule_ids(scan(files, policy=policy, select=["DH580"])) == [("DH580", "publish/x.csv", 1)]
    policy = {**DATASETS, "not_identifiers": ["requester_email"]}
    files = {"publish/x.csv": "id,requester_email\n1,a@example.org\n"}
    assert rule_ids(scan(files, policy=policy, select=["DH580"])) == []


def test_hexagon_cells_of_an_origin_destination_table_are_not_phones(scan) -> None:
    # probe35 min/01: H3 cells where trips start and end, published aggregated.
    text = "start_cell,end_cell,trip_count\n8a2a1072b59ffff,8a2a1072b5bffff,14\n"
    assert rule_ids(scan({"publish/hex.csv": text}, policy=DATASETS, select=["DH580"])) == []
    files = {"publish/riders.csv": "rider_cell,trip_count\n816-555-0187,3\n"}
    found = rule_ids(scan(files, policy=DATASETS, select=["DH580"]))
    assert found == [("DH580", "publish/riders.csv", 1)]


def test_unreadable_records_are_diagnosed(scan) -> None:
    files = {"publish/x.jsonl": '{"id": 1, "email": "a@example.org"}\nnot json\n{"id": 2}\n'}
    result = scan(files, policy=DATASETS, select=RULES)
    assert rule_ids(result) == [("DH580", "publish/x.jsonl", 1)]
    assert [(d.path, d.line, d.message) for d in result.diagnostics] == [
        ("publish/x.jsonl", 2, "line 2 is not JSON: record skipped")
    ]
    result = scan({"publish/bad.sql": "select 1;"}, policy=DATASETS, select=RULES)
    assert [(d.path, d.kind) for d in result.diagnostics] == [("publish/bad.sql", "parse-error")]


def test_empty_identifier_column_is_not_reported(scan) -> None:
    files = {"publish/x.csv": "id,requester_email\n1,\n2,\n"}
    assert rule_ids(scan(files, policy=DATASETS, select=["DH580"])) == []


def _copy_fixtures(tmp_path: Path) -> Path:
    root = tmp_path / "city"
    shutil.copytree(FIXTURES / "datasets", root)
    (root / ".git").mkdir()
    return root


def test_fixture_release_area(tmp_path, monkeypatch, capsys) -> None:
    root = _copy_fixtures(tmp_path)
    monkeypatch.chdir(root)
    assert main(["check", "--output-format", "json", "--select", ",".join(RULES), "."]) == 1
    data = json.loads(capsys.readouterr().out)
    found = sorted(
        (f["path"], f["line"], f["rule_id"], f["message"].split("'")[1])
        for f in data["findings"]
        if f["rule_id"] != "DH582"
    )
    assert found == [
        ("publish/311_requests_2024.csv", 1, "DH581", "latitude"),
        ("publish/311_requests_2024.csv", 1, "DH581", "longitude"),
        ("publish/311_requests_2024.csv", 1, "DH583", "description"),
        ("publish/ddl/requests.sql", 6, "DH580", "caller_name"),
        ("publish/models/schema.yml", 11, "DH580", "requester_email"),
        ("publish/models/schema.yml", 13, "DH580", "requester_phone"),
        ("publish/parking_citations.jsonl", 1, "DH580", "plate_no"),
        ("publish/parking_citations.jsonl", 1, "DH581", "geom"),
        ("publish/wifi_counts.tsv", 1, "DH580", "mac_hash"),
    ]
    k_anon = [f for f in data["findings"] if f["rule_id"] == "DH582"]
    assert [(f["path"], f["line"]) for f in k_anon] == [("publish/311_requests_2024.csv", 1)]
    assert "smallest group 1" in k_anon[0]["message"]
    assert data["diagnostics"] == []


def _personal_values(root: Path) -> list[str]:
    """Every value in the fixture data files that identifies someone or something."""
    values = [PLANTED_EMAIL, PLANTED_PHONE, "555-0187", "marta", "KC4Z19P", "7HB2210"]
    values += ["5d41402abc4b2a76b9719d911017c592", "-94.583116", "39.101934", "64110"]
    csv_text = (root / "publish/311_requests_2024.csv").read_text(encoding="utf-8")
    for line in csv_text.splitlines()[1:]:
        cells = line.split(",")
        values += [cells[7], cells[8]]  # exact coordinates
    return values


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_personal_value_in_any_output(fmt, tmp_path, monkeypatch, capsys) -> None:
    root = _copy_fixtures(tmp_path)
    monkeypatch.chdir(root)
    main(["check", "--output-format", fmt, "--select", ",".join(RULES), "."])
    out = capsys.readouterr().out
    assert "DH582" in out and "DH581" in out
    assert "smallest group 1" in out
    leaked = [v for v in _personal_values(root) if v in out]
    assert leaked == []


def test_parquet_release(make_repo) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from dhlint.engine import CheckOptions, run_check

    root = make_repo({}, policy=DATASETS)
    (root / "publish").mkdir()
    table = pa.table(
        {
            "trip_id": ["t1", "t2", "t3"],
            "start_lat": [39.099724, 39.1, 39.101],
            "rider_email": ["a@example.org", None, None],
            "zip": ["64106", "64106", "64109"],
            "age": [30, 30, 41],
        }
    )
    pq.write_table(table, root / "publish" / "trips.parquet")
    result = run_check(CheckOptions(paths=["."], cwd=str(root), select=RULES))
    assert rule_ids(result) == [
        ("DH580", "publish/trips.parquet", 1),
        ("DH581", "publish/trips.parquet", 1),
        ("DH582", "publish/trips.parquet", 1),
    ]
    messages = " ".join(f.message for f in result.active)
    assert "1 of 3 coordinates" in messages and "smallest group 1" in messages
    assert "39.099724" not in messages and "a@example.org" not in messages


def test_socrata_style_nested_json(scan) -> None:
    records = [
        {
            "sr_number": f"SR{i}",
            "requester": {"email": f"r{i}@example.org"},
            "location": {"type": "Point", "coordinates": [-94.578331 + i / 1e6, 39.099724]},
        }
        for i in range(3)
    ]
    files = {"publish/requests.json": json.dumps(records, indent=1)}
    result = scan(files, policy=DATASETS, select=RULES)
    found = [(f.rule_id, f.message.split("'")[1]) for f in result.active]
    assert found == [("DH580", "requester.email"), ("DH581", "location.coordinates")]


def test_suppression_in_a_dbt_schema(scan) -> None:
    schema = (
        "version: 2\nmodels:\n  - name: r\n    columns:\n"
        "      # dhlint: ignore[DH580] the portal sends status updates; approved by the CPO\n"
        "      - name: requester_email\n      - name: caller_phone\n"
    )
    result = scan({"publish/schema.yml": schema}, policy=DATASETS, select=RULES)
    assert rule_ids(result) == [("DH580", "publish/schema.yml", 7)]
    assert [(f.location.start_line, f.suppressed_by.reason) for f in result.suppressed] == [
        (6, "the portal sends status updates; approved by the CPO")
    ]


def test_sarif_validates(tmp_path, monkeypatch, capsys, sarif_validator) -> None:
    root = _copy_fixtures(tmp_path)
    monkeypatch.chdir(root)
    main(["check", "--output-format", "sarif", "--select", ",".join(RULES), "."])
    log = json.loads(capsys.readouterr().out)
    sarif_validator.validate(log)
    results = log["runs"][0]["results"]
    k_anon = [r for r in results if r["ruleId"] == "DH582"]
    assert len(k_anon) == 1
    assert [loc["message"]["text"] for loc in k_anon[0]["relatedLocations"]] == [
        "quasi-identifier 'requester_age'",
        "quasi-identifier 'requester_sex'",
    ]


def test_device_identifiers_hidden_in_values(scan) -> None:
    files = {
        "publish/wifi.csv": "sensor,client,client_ip\nS1,3c:22:fb:91:0a:7e,10.0.0.1\n",
        "publish/tows.csv": "tow_id,vehicle,vin\nT1,1M8GDM9AXKP042788,1HGCM82633A004352\n",
    }
    result = scan(files, policy=DATASETS, select=["DH580", "DH584"])
    found = [(f.rule_id, f.location.path, f.message.split("'")[1]) for f in result.active]
    assert found == [
        ("DH584", "publish/tows.csv", "vehicle"),
        ("DH580", "publish/tows.csv", "vin"),
        ("DH584", "publish/wifi.csv", "client"),
        ("DH580", "publish/wifi.csv", "client_ip"),
    ]


def test_empty_data_file_is_a_note(scan) -> None:
    result = scan({"publish/empty.csv": ""}, policy=DATASETS, select=RULES)
    assert [(d.path, d.kind, d.level) for d in result.diagnostics] == [
        ("publish/empty.csv", "empty", "note")
    ]
