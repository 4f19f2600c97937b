"""SARIF output: schema-valid, GitHub-ready, deterministic."""

from __future__ import annotations

import json

import sarif_om as om

from dhlint.report.sarif import to_json
from tests.conftest import FIXTURES, REPO, run_cli, write_tree

NO_REASON = "x = 1  # dhlint: ignore[DH002]\n"
EXPIRED = "y = 2  # dhlint: ignore[DH002] pilot until=2020-01-01\n"


def _sarif(root, *args, cwd=None) -> dict:
    proc = run_cli(["check", "--output-format", "sarif", *args], cwd=cwd or root)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_serializer_keeps_explicit_defaults_and_drops_none():
    result = om.Result(message=om.Message(text="m"), level="warning", kind="fail", rule_id="X")
    data = json.loads(to_json(om.SarifLog(version="2.1.0", runs=[])))
    assert data == {"runs": [], "version": "2.1.0"}
    from dhlint.report.sarif import to_data

    assert to_data(result) == {
        "kind": "fail",
        "level": "warning",
        "message": {"text": "m"},
        "ruleId": "X",
    }
    sup = to_data(om.Suppression(kind="inSource", justification="why"))
    assert sup == {"justification": "why", "kind": "inSource"}


def test_clean_run_has_empty_results_and_validates(tmp_path, sarif_validator):
    root = write_tree(tmp_path / "r", {"a.py": "x = 1\n"})
    data = _sarif(root, ".")
    assert list(sarif_validator.iter_errors(data)) == []
    (run,) = data["runs"]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"], "rules are listed even on a clean run"


def test_github_expectations(tmp_path, sarif_validator):
    root = write_tree(tmp_path / "r", {"my dir/a.py": NO_REASON + EXPIRED})
    data = _sarif(root, ".")
    assert list(sarif_validator.iter_errors(data)) == []
    assert data["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = data["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dhlint" and driver["informationUri"].startswith("https://")
    from dhlint import __version__

    assert driver["semanticVersion"] == __version__
    assert run["columnKind"] == "unicodeCodePoints"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("note", "warning", "error")
        tags = rule["properties"]["tags"]
        assert len(tags) <= 10 and len(set(tags)) == len(tags)
        if "security" in tags:
            score = float(rule["properties"]["security-severity"])
            assert 0 < score <= 10 and score not in (9.0, 7.0, 4.0)
    levels = {}
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        (loc,) = result["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "my%20dir/a.py"
        region = loc["physicalLocation"]["region"]
        assert min(region.values()) >= 1 and set(region) == {
            "startLine",
            "startColumn",
            "endLine",
            "endColumn",
        }
        assert "primaryLocationLineHash" not in result["partialFingerprints"]
        assert result["partialFingerprints"]["dhlint/v1"]
        levels[result["ruleId"]] = result["level"]
    # An explicit "warning" (sarif-om's default) is written, not dropped.
    assert levels == {"DH001": "note", "DH003": "warning", "DH004": "note"}


def test_same_uri_from_root_and_subdirectory_and_byte_identical(tmp_path):
    root = write_tree(tmp_path / "r", {"etl/a.py": NO_REASON})
    first = run_cli(["check", "-f", "sarif", "etl"], cwd=root).stdout
    again = run_cli(["check", "-f", "sarif", "etl"], cwd=root).stdout
    from_sub = run_cli(["check", "-f", "sarif", "."], cwd=root / "etl").stdout
    assert first == again == from_sub
    assert '"uri": "etl/a.py"' in first


def test_fingerprint_survives_lines_added_above(tmp_path):
    root = write_tree(tmp_path / "r", {"a.py": NO_REASON})
    before = _sarif(root, ".")["runs"][0]["results"][0]
    (root / "a.py").write_text("import os\n\n\n" + NO_REASON)
    after = _sarif(root, ".")["runs"][0]["results"][0]
    assert before["locations"] != after["locations"]
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_suppressed_results_only_with_flag(tmp_path, sarif_validator):
    code = "# dhlint: ignore[DH001] reviewed\ny = 2 # dhlint: ignore[DH002]\n"
    root = write_tree(tmp_path / "r", {"a.py": code})
    default = _sarif(root, ".")["runs"][0]["results"]
    assert all("suppressions" not in r for r in default)
    shown = _sarif(root, "--show-suppressed", ".")
    assert list(sarif_validator.iter_errors(shown)) == []
    results = shown["runs"][0]["results"]
    assert len(results) == len(default) + 1
    suppressed = [r for r in results if r["suppressions"]]
    assert suppressed[0]["suppressions"] == [{"justification": "reviewed", "kind": "inSource"}]
    assert '"state"' not in json.dumps(shown)


def test_unreadable_files_become_tool_notifications(tmp_path, sarif_validator):
    root = write_tree(tmp_path / "r", {"ok.py": NO_REASON})
    (root / "bad.py").write_bytes(b"x = '\xe9'\n")
    data = _sarif(root, ".")
    assert list(sarif_validator.iter_errors(data)) == []
    (invocation,) = data["runs"][0]["invocations"]
    (note,) = invocation["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.py"
    assert note["level"] == "error" and "UTF-8" in note["message"]["text"]


def test_fixtures_sarif_validates_and_rules_carry_help(sarif_validator):
    data = _sarif(REPO, str(FIXTURES), cwd=REPO)
    assert list(sarif_validator.iter_errors(data)) == []
    (run,) = data["runs"]
    assert run["results"]
    used = {r["ruleId"] for r in run["results"]}
    for rule in run["tool"]["driver"]["rules"]:
        if rule["id"] in used:
            assert rule["help"]["markdown"].strip()
            assert "security-severity" in rule["properties"] or rule["id"].startswith("DH0")
    # findings from all three languages
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert any(u.endswith(".py") for u in uris)
    assert any(u.endswith(".tf") for u in uris)
    assert any(u.endswith((".yaml", ".yml")) for u in uris)
