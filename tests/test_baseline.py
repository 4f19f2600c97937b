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
