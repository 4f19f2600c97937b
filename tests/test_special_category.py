"""Special-category attributes (GDPR Art. 9/10: a health condition, a disability,
domestic-violence status): their own identifier category, which stores must hold at the
policy's `sensitive` class and which counts as a quasi-identifier in combinations (probe39:
a homeless-services case system whose HMIS columns were all "none")."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from dhlint.engine import CheckOptions, run_check
from dhlint.identifiers import classify_name
from dhlint.policy import default_policy, policy_from_mapping

TERRAFORM = """
resource "aws_s3_bucket" "cases" {
  bucket = "city-hmis-cases"
  tags = {
    data-classification = "personal"
  }
}
"""

PIPELINE = """
import pandas as pd

clients = pd.read_csv("clients.csv", usecols=["intake_ref", "hiv_status", "disabling_condition"])
clients.to_csv("s3://city-hmis-cases/health.csv", index=False)
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip())
    return root


def _rules(root: Path, select: tuple[str, ...]) -> list:
    options = CheckOptions(paths=[str(root)], cwd=str(root), select=select, jobs=1)
    return run_check(options).active


def test_health_and_dv_columns_are_special_and_hmis_personal_id_direct():
    policy = default_policy()
    assert classify_name("DomesticViolenceSurvivor", policy).category == "special"
    assert classify_name("HIVAIDS", policy).category == "special"
    assert classify_name("PersonalID", policy).category == "direct"
    # still a status field NYC lists, counted in combinations as before
    assert classify_name("public_assistance_flag", policy).category == "quasi"


def test_health_data_in_a_store_tagged_personal_needs_the_sensitive_class(tmp_path):
    root = _write(tmp_path, {"main.tf": TERRAFORM, "etl/health.py": PIPELINE})
    found = _rules(root, ("DH890",))
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in found] == [
        ("DH890", "etl/health.py", 4)
    ]
    assert "(special" in found[0].message and "'sensitive'" in found[0].message


def test_health_data_in_a_store_tagged_sensitive_is_not_reported(tmp_path):
    root = _write(
        tmp_path,
        {"main.tf": TERRAFORM.replace('"personal"', '"sensitive"'), "etl/health.py": PIPELINE},
    )
    assert _rules(root, ("DH890",)) == []


def test_special_attributes_count_toward_the_quasi_identifier_limit(tmp_path):
    root = _write(
        tmp_path,
        {
            "export.py": """
            import pandas as pd

            df = pd.read_csv("clients.csv")
            df[["zip", "substance_use", "mental_health"]].to_csv("out/clients.csv")
            df[["zip", "shelter_name"]].to_csv("out/shelters.csv")
            """
        },
    )
    found = _rules(root, ("DH564",))
    assert [(f.rule_id, f.location.start_line) for f in found] == [("DH564", 4)]
    assert "'substance_use' (special" in found[0].message


def test_a_city_lists_its_own_special_terms(tmp_path):
    policy = tmp_path / "dhlint.yaml"
    policy.write_text("identifiers:\n  special: [hud_chronic_flag]\n")
    city = policy_from_mapping({"identifiers": {"special": ["hud_chronic_flag"]}}, "dhlint.yaml")
    assert classify_name("hud_chronic_flag", city).category == "special"
    assert classify_name("hud_chronic_flag", default_policy()) is None
    # a policy file with the new key is valid configuration (exit 0/1, not 2)
    (tmp_path / "a.py").write_text("x = 1\n")
    run = subprocess.run(
        [sys.executable, "-m", "dhlint", "check", "--policy", str(policy), "--no-cache", "a.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


def test_inventory_lists_special_data_with_its_store(tmp_path):
    root = _write(tmp_path, {"main.tf": TERRAFORM, "etl/health.py": PIPELINE})
    run = subprocess.run(
        [sys.executable, "-m", "dhlint", "inventory", "--format", "json", "."],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    text = json.dumps(data)
    assert '"special"' in text and "city-hmis-cases" in text
