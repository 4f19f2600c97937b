"""The Kubernetes pack through the installed command: text, SARIF, exit codes."""

from __future__ import annotations

import json

from tests.conftest import REPO, run_cli

APP = "fixtures/kubernetes/sensor-ingest"


def test_text_output_and_exit_code():
    proc = run_cli(["check", APP], cwd=REPO)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert f"{APP}/deployment.yaml:33:27: DH741 " in "\n".join(lines)
    assert lines[-1].startswith("Found 16 findings")


def test_sarif_output_validates_and_carries_exact_regions(sarif_validator):
    proc = run_cli(["check", "-f", "sarif", "--policy", f"{APP}/city-policy.yaml", APP], cwd=REPO)
    assert proc.returncode == 1, proc.stderr
    sarif = json.loads(proc.stdout)
    sarif_validator.validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == 17
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    dh440 = next(r for r in results if r["ruleId"] == "DH440")
    region = dh440["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (7, 9, 21)
    assert dh440["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        f"{APP}/deployment.yaml"
    )
    tags = {r["id"]: r["properties"]["tags"] for r in rules}
    assert "secrets" in tags["DH740"] and "vendor-sharing" in tags["DH642"]


def test_clean_manifest_exits_zero(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "ok.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\ndata: {LOG_LEVEL: info}\n"
    )
    proc = run_cli(["check", "ok.yaml"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
