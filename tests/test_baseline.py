"""Baselines survive line moves; only new findings are reported."""

from __future__ import annotations

import json
import shutil

from tests.conftest import FIXTURES, run_cli, write_tree


def _findings(root, *args) -> list[dict]:
    proc = run_cli(["check", "-f", "json", *args, "."], cwd=root)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_baseline_on_fixtures_survives_blank_lines_and_catches_a_new_violation(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES, root / "fixtures")
    (root / ".git").mkdir()
    before = _findings(root)
    assert before, "the fixtures have violations"
    baseline = tmp_path / "baseline.json"
    written = run_cli(["check", "--write-baseline", str(baseline), "."], cwd=root)
    assert written.returncode == 0 and f"recorded {len(before)} findings" in written.stderr

    for path in (root / "fixtures").rglob("*"):
        if path.is_file() and path.suffix in (".py", ".tf", ".yaml", ".yml", ".json", ".tfvars"):
            path.write_text("\n" * 20 + path.read_text(encoding="utf-8"), encoding="utf-8")
    moved = _findings(root)
    assert len(moved) == len(before)
    assert {f["line"] for f in moved} != {f["line"] for f in before}
    assert _findings(root, "--baseline", str(baseline)) == []

    (root / "fixtures" / "new_job.py").write_text("RATE = 2  # dhlint: ignore[DH002]\n")
    new = _findings(root, "--baseline", str(baseline))
    assert sorted((f["rule_id"], f["path"]) for f in new) == [
        ("DH001", "fixtures/new_job.py"),
        ("DH004", "fixtures/new_job.py"),
    ]
    text = run_cli(["check", "--baseline", str(baseline), "."], cwd=root)
    assert text.returncode == 1 and f"{len(before)} in the baseline" in text.stdout


def test_duplicates_need_as_many_entries_and_bad_baseline_is_exit_2(tmp_path):
    line = "x = 1  # dhlint: ignore[DH002]\n"
    root = write_tree(tmp_path / "r", {"a.py": line})
    baseline = tmp_path / "b.json"
    run_cli(["check", "--write-baseline", str(baseline)], cwd=root)
    (root / "a.py").write_text(line * 2)
    # the same anchor twice: one is in the baseline, the other one is new
    assert len(_findings(root, "--baseline", str(baseline))) == 2  # DH001 + DH004 for line 2
    (tmp_path / "junk.json").write_text("[1, 2]")
    bad = run_cli(["check", "--baseline", str(tmp_path / "junk.json")], cwd=root)
    assert bad.returncode == 2 and "not a dhlint baseline" in bad.stderr


def test_a_baseline_written_before_method_anchors_named_their_class_still_matches(tmp_path):
    # Before, a finding in a method that another method reached first was anchored
    # "emit:print(v)"; now "Sub.emit:print(v)". A baseline holding the old anchor's
    # fingerprint must still cover it (a re-written one holds the new).
    import hashlib

    code = (
        "class Base:\n"
        "    def run(self, row):\n"
        '        self.emit(row["email"])\n'
        "class Sub(Base):\n"
        "    def emit(self, v):\n"
        "        print(v)\n"
    )
    root = write_tree(tmp_path / "r", {"etl/hooks.py": code})
    (finding,) = _findings(root)
    assert (finding["rule_id"], finding["anchor"]) == ("DH565", "Sub.emit:print(v)")
    old = hashlib.sha256(b"DH565\0etl/hooks.py\0emit:print(v)").hexdigest()[:32]
    baseline = tmp_path / "old.json"
    baseline.write_text(
        json.dumps({"format": "dhlint-baseline", "version": 1, "findings": [{"fingerprint": old}]})
    )
    assert _findings(root, "--baseline", str(baseline)) == []
    other = hashlib.sha256(b"DH565\0etl/hooks.py\0other:print(v)").hexdigest()[:32]
    baseline.write_text(
        json.dumps(
            {"format": "dhlint-baseline", "version": 1, "findings": [{"fingerprint": other}]}
        )
    )
    assert len(_findings(root, "--baseline", str(baseline))) == 1


def test_dh601_one_finding_per_account_and_an_account_added_later_is_new(tmp_path):
    # probe38 min/09: DH601 named only a policy's first unapproved account, anchored on the
    # resource, so a baseline taken then hid any account added to the same policy later.
    import hashlib

    role = """resource "aws_iam_role" "r" {
  name = "x"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "210987654321" } },
%s    ]
  })
}
"""
    vendor = (
        '      { Effect = "Allow", Action = "sts:AssumeRole",'
        ' Principal = { AWS = "999988887777" } },\n'
    )
    root = write_tree(tmp_path / "r", {"main.tf": role % ""})
    baseline = tmp_path / "b.json"
    run_cli(["check", "--write-baseline", str(baseline)], cwd=root)
    (root / "main.tf").write_text(role % vendor)
    (new,) = _findings(root, "--baseline", str(baseline))
    assert "999988887777" in new["message"] and new["line"] == 7
    # a baseline written before (one entry, anchored on the resource, naming the first
    # account) still covers that account, and only it
    old = hashlib.sha256(b"DH601\0main.tf\0aws_iam_role.r").hexdigest()[:32]
    message = "aws_iam_role 'aws_iam_role.r' grants access to AWS account %s, which is not ..."
    for named, left in (("210987654321", "999988887777"), ("999988887777", "210987654321")):
        entry = {"fingerprint": old, "message": message % named}
        baseline.write_text(
            json.dumps({"format": "dhlint-baseline", "version": 1, "findings": [entry]})
        )
        (found,) = _findings(root, "--baseline", str(baseline))
        assert left in found["message"]


def test_a_renamed_file_keeps_its_baselined_findings_and_says_so(tmp_path):
    # ux2 #8: git mv of a file brought its baselined findings back as new, with no hint.
    job = 'import logging\nlog = logging.getLogger("x")\ndef f(row):\n    log.info(row["email"])\n'
    two = job + job.replace("def f", "def g").split("\n", 2)[2]  # f and g
    root = write_tree(tmp_path / "r", {"dags/citations.py": two, "dags/other.py": job})
    baseline = tmp_path / "b.json"
    run_cli(["check", "--write-baseline", str(baseline)], cwd=root)
    (root / "dags/citations.py").rename(root / "dags/parking.py")
    proc = run_cli(["check", "--baseline", str(baseline)], cwd=root)
    assert proc.returncode == 0 and "3 in the baseline" in proc.stdout
    assert "2 findings matched baseline entries of files that no longer exist" in proc.stderr
    # A new file with one of its findings is new: the renamed file shares more with the old
    # one (probe21tf R6: the first file in path order took the entries), and a file the
    # baseline knows (other.py) never takes them.
    (root / "dags/copy.py").write_text(job)
    (root / "dags/other.py").write_text(two)
    found = _findings(root, "--baseline", str(baseline))
    assert sorted((f["path"], f["line"]) for f in found) == [
        ("dags/copy.py", 4),
        ("dags/other.py", 6),
    ]
    # A copy as alike as the renamed file: which one is new cannot be told, both are reported.
    (root / "dags/copy.py").write_text(two)
    found = _findings(root, "--baseline", str(baseline))
    assert sorted((f["path"], f["line"]) for f in found) == [
        ("dags/copy.py", 4), ("dags/copy.py", 6), ("dags/other.py", 6),
        ("dags/parking.py", 4), ("dags/parking.py", 6),
    ]  # fmt: skip


def test_dh602_one_finding_per_replication_account_and_old_baselines_cover_theirs(tmp_path):
    # As DH601: replication rules to two unapproved accounts gave one finding (the first
    # account's), anchored on the resource, so a baseline hid the second account.
    import hashlib

    tf = """resource "aws_s3_bucket_replication_configuration" "r" {
  bucket = "kc-reads"
  role   = "arn:aws:iam::210987654321:role/replication"
  rule {
    id     = "neighbour"
    status = "Enabled"
    destination {
      bucket  = "arn:aws:s3:::neighbour-reads"
      account = "111122223333"
    }
  }
%s}
"""
    second = """  rule {
    id     = "vendor"
    status = "Enabled"
    destination {
      bucket  = "arn:aws:s3:::vendor-reads"
      account = "999988887777"
    }
  }
"""
    root = write_tree(tmp_path / "r", {"main.tf": tf % second})
    found = _findings(root, "--select", "DH602")
    assert sorted(f["line"] for f in found) == [9, 17]
    assert len({f["fingerprint"] for f in found}) == 2
    old = hashlib.sha256(b"DH602\0main.tf\0aws_s3_bucket_replication_configuration.r").hexdigest()[
        :32
    ]
    message = "... replicates to AWS account %s, which is not ..."
    baseline = tmp_path / "b.json"
    for named, left in (("111122223333", "999988887777"), ("999988887777", "111122223333")):
        entry = {"fingerprint": old, "message": message % named}
        baseline.write_text(
            json.dumps({"format": "dhlint-baseline", "version": 1, "findings": [entry]})
        )
        (kept,) = _findings(root, "--select", "DH602", "--baseline", str(baseline))
        assert left in kept["message"]
