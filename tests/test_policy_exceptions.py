"""The policy's ``exceptions``: documented exceptions for files that take no comment (a CSV
the city publishes, a ``.tf.json``), with paths, rules, reason and expiry, through every
output and the audit command."""

import datetime as dt
import json
import re

import pytest

from dhlint.engine import CheckOptions, ConfigError, run_check
from dhlint.policy import PolicyError, find_policy
from tests.conftest import run_cli, write_tree

# The city's camera poles: public under its surveillance ordinance, not a person's location,
# but precise coordinates (DH581) to a data rule that cannot tell.
POLES = (
    "camera_id,site,latitude,longitude\n"
    "cam-n,main-3rd,39.10972,-94.57856\n"
    "cam-s,main-3rd,39.10951,-94.57861\n"
    "cam-w,broadway,39.05312,-94.59178\n"
)
READS = POLES.replace("camera_id,site", "read_id,plate")  # not covered: stays reported
EXCEPTION = {
    "paths": ["data/publish/camera_sites.csv"],
    "rules": ["DH581"],
    "reason": "camera poles, public under the surveillance ordinance",
    "until": "2099-12-31",
}


def _repo(tmp_path, *exceptions, name="repo"):
    policy = {"datasets": ["data/**"], "exceptions": list(exceptions)}
    files = {"data/publish/camera_sites.csv": POLES, "data/publish/reads.csv": READS}
    return write_tree(tmp_path / name, files, policy)


def _check(root, **options):
    return run_check(CheckOptions(paths=["."], cwd=str(root), cache=False, **options))


def test_exception_sets_aside_its_paths_and_rules_only(tmp_path):
    result = _check(_repo(tmp_path, EXCEPTION))
    suppressed = {(f.rule_id, f.location.path) for f in result.suppressed}
    assert suppressed == {("DH581", "data/publish/camera_sites.csv")}
    assert len(result.suppressed) == 2  # latitude and longitude
    assert {f.location.path for f in result.active} == {"data/publish/reads.csv"}
    sup = result.suppressed[0].suppressed_by
    assert (sup.path, sup.line, sup.patterns) == ("dhlint.yaml", 4, tuple(EXCEPTION["paths"]))
    assert sup.reason == EXCEPTION["reason"] and sup.until == "2099-12-31"
    # Without it, the same findings are open.
    bare = _check(_repo(tmp_path, name="bare"))
    assert {f.location.path for f in bare.active} == {
        "data/publish/camera_sites.csv",
        "data/publish/reads.csv",
    }


def test_rules_as_names_and_families_and_paths_as_patterns(tmp_path):
    entry = {**EXCEPTION, "paths": ["./data/publish/*.csv"], "rules": ["DH5"]}
    result = _check(_repo(tmp_path, entry))
    assert not result.active
    assert {f.location.path for f in result.suppressed} == {
        "data/publish/camera_sites.csv",
        "data/publish/reads.csv",
    }
    name = {**EXCEPTION, "rules": ["dataset-precise-coordinates"]}
    by_name = _check(_repo(tmp_path, name, name="by-name"))
    assert {f.location.path for f in by_name.suppressed} == {"data/publish/camera_sites.csv"}


def test_expired_exception_sets_aside_nothing_and_says_so(tmp_path):
    old = {**EXCEPTION, "until": "2025-01-01"}
    result = _check(_repo(tmp_path, old), today=dt.date(2026, 11, 28))
    assert not result.suppressed
    assert "data/publish/camera_sites.csv" in {f.location.path for f in result.active}
    (warning,) = [d for d in result.diagnostics if "expired" in d.message]
    assert warning.level == "warning" and "dhlint.yaml:4" in warning.message
    assert "2025-01-01" in warning.message
    # The day before it expires, it still holds.
    live = _check(_repo(tmp_path, old, name="live"), today=dt.date(2024, 12, 31))
    assert len(live.suppressed) == 2


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"paths": ["a.csv"], "rules": ["DH581"]}, "exceptions[0]' needs 'reason'"),
        ({"paths": ["a.csv"], "rules": ["DH581"], "reason": ""}, "needs 'reason'"),
        ({"rules": ["DH581"], "reason": "r"}, "needs 'paths'"),
        ({"paths": ["a.csv"], "rules": [], "reason": "r"}, "needs 'rules'"),
        ({**EXCEPTION, "until": "next year"}, "'until' must be a date (YYYY-MM-DD)"),
        ({**EXCEPTION, "reasons": "r"}, "unknown key 'exceptions[0].reasons'"),
    ],
)
def test_invalid_exceptions_are_policy_errors(tmp_path, entry, expected):
    root = _repo(tmp_path, entry)
    with pytest.raises(PolicyError, match=re.escape(expected)):
        find_policy(root)


def test_unknown_rule_is_a_configuration_error(tmp_path):
    root = _repo(tmp_path, {**EXCEPTION, "rules": ["DH58l"]})
    with pytest.raises(ConfigError, match=r"exceptions\[0\]\.rules': 'DH58l' is not a rule"):
        _check(root)
    done = run_cli(["check", "--no-cache", "."], cwd=root)
    assert done.returncode == 2 and "DH58l" in done.stderr


def test_pyproject_exceptions_with_toml_dates_and_lines(tmp_path):
    root = write_tree(
        tmp_path / "toml",
        {
            "data/publish/camera_sites.csv": POLES,
            "pyproject.toml": (
                "[project]\nname = 'x'\n\n[tool.dhlint]\ndatasets = ['data/**']\n\n"
                "[[tool.dhlint.exceptions]]\npaths = ['data/publish/camera_sites.csv']\n"
                "rules = ['DH581']\nreason = 'camera poles'\nuntil = 2099-12-31\n"
            ),
        },
    )
    result = _check(root)
    assert not result.active and len(result.suppressed) == 2
    sup = result.suppressed[0].suppressed_by
    assert (sup.path, sup.line, sup.until) == ("pyproject.toml", 7, "2099-12-31")


def test_outputs_and_audit_name_the_policy_exception(tmp_path, sarif_validator):
    root = _repo(tmp_path, EXCEPTION)
    text = run_cli(["check", "--no-cache", "--show-suppressed", "."], cwd=root)
    assert text.returncode == 1  # reads.csv is still open
    assert (
        "[suppressed (policy exception, dhlint.yaml): camera poles, public under the "
        "surveillance ordinance]" in text.stdout
    )
    data = json.loads(
        run_cli(["check", "--no-cache", "--show-suppressed", "-f", "json", "."], cwd=root).stdout
    )
    marks = [f["suppressed"] for f in data["findings"] if f["suppressed"]]
    assert marks and all(m["by"] == "policy" and m["path"] == "dhlint.yaml" for m in marks)
    assert marks[0]["line"] == 4 and marks[0]["until"] == "2099-12-31"
    sarif = json.loads(
        run_cli(["check", "--no-cache", "--show-suppressed", "-f", "sarif", "."], cwd=root).stdout
    )
    sarif_validator.validate(sarif)
    kinds = [s["kind"] for r in sarif["runs"][0]["results"] for s in r["suppressions"]]
    assert sorted(kinds) == ["external", "external"]
    report = run_cli(["check", "--no-cache", "-f", "markdown", "."], cwd=root).stdout
    assert (
        "- `dhlint.yaml:4` (policy exception for `data/publish/camera_sites.csv`) DH581: "
        "camera poles" in report
    )
    assert "data/publish/camera_sites.csv: Column 'latitude'" in report
    audit = json.loads(run_cli(["suppressions", "-f", "json", "."], cwd=root).stdout)
    assert audit == [
        {
            "path": "dhlint.yaml",
            "line": 4,
            "rules": ["DH581"],
            "scope": "policy",
            "paths": ["data/publish/camera_sites.csv"],
            "reason": EXCEPTION["reason"],
            "until": "2099-12-31",
            "silenced": 2,
            "status": "ok",
        }
    ]


def test_exceptions_hold_on_a_warm_run(tmp_path):
    root = _repo(tmp_path, EXCEPTION)
    cache = str(tmp_path / "cache")
    cold = run_check(CheckOptions(paths=["."], cwd=str(root), cache_dir=cache))
    warm = run_check(CheckOptions(paths=["."], cwd=str(root), cache_dir=cache))
    assert len(cold.suppressed) == len(warm.suppressed) == 2
    assert [f.location.path for f in warm.active] == [f.location.path for f in cold.active]


def test_a_comment_wins_over_the_policy(tmp_path):
    root = write_tree(
        tmp_path / "tf",
        {
            "main.tf": (
                'resource "aws_s3_bucket" "raw" { # dhlint: ignore[DH101] said in the code\n'
                '  bucket = "city-raw"\n}\n'
                'resource "aws_s3_bucket" "other" {\n  bucket = "city-other"\n}\n'
            )
        },
        {"exceptions": [{"paths": ["*.tf"], "rules": ["DH101"], "reason": "the policy's"}]},
    )
    result = _check(root, select=["DH101"])
    assert not result.active
    reasons = {f.location.start_line: f.suppressed_by.reason for f in result.suppressed}
    assert reasons == {1: "said in the code", 4: "the policy's"}
