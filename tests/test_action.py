"""The composite GitHub Action: structure checked as the runner would read it."""

from __future__ import annotations

import re

import yaml

from tests.conftest import REPO


def test_action_structure():
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    for step in steps:
        if "run" in step:
            assert step.get("shell") == "bash", step["name"]
            assert "${{ inputs." not in step["run"], "inputs reach the shell via env, not inline"
    scan = next(s for s in steps if s.get("id") == "scan")
    assert "--output-format sarif" in scan["run"] and "sarif-file=" in scan["run"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    # after a failed step too, when the scan wrote a report (not after a usage error)
    assert upload["if"] == "always() && steps.scan.outputs.sarif-written == 'true'"
    assert 'if [ -s "$sarif" ]; then echo "sarif-written=true"' in scan["run"]
    # dhlint goes into a venv of its own: a PEP 668 system Python refuses pip installs
    install = steps[0]
    assert "python3 -m venv" in install["run"] and "GITHUB_PATH" in install["run"]
    assert "python3 -m pip" not in install["run"]
    assert re.fullmatch(r"github/codeql-action/upload-sarif@[0-9a-f]{40}", upload["uses"])
    assert upload["with"]["sarif_file"] == "${{ steps.scan.outputs.sarif-file }}"
    assert upload["with"]["category"] == "${{ inputs.category }}"
    assert steps.index(scan) < steps.index(upload)
    # the scan step records the exit code instead of failing, so the upload always runs
    assert "set +e" in scan["run"] and "exit-code=" in scan["run"]
    raw = (REPO / "action.yml").read_text()
    assert re.search(r"upload-sarif@[0-9a-f]{40} # v\d+\.\d+\.\d+", raw)
    assert str(action["outputs"]["sarif-file"]["value"]).endswith(".sarif-file }}")
    assert scan["run"].count("dhlint.sarif") == 1  # one file name, ending in .sarif


def test_dependabot_keeps_the_pinned_actions_up_to_date():
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text())
    ecosystems = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert config["version"] == 2 and ("github-actions", "/") in ecosystems
