"""GitHub annotations and the suppression audit listing."""

from __future__ import annotations

import json

from dhlint.report.github import annotation, escape_data, escape_property
from tests.conftest import run_cli, write_tree


def test_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    line = annotation("error", "bad: 100%\n", file="dir,x/a:b.py", line=3, title="DH1 x")
    assert line == "::error file=dir%2Cx/a%3Ab.py,line=3,title=DH1 x::bad: 100%25%0A"


def test_annotations_limits_and_step_summary(tmp_path, monkeypatch):
    body = "".join(f"v{i} = {i}  # dhlint: ignore[DH002]\n\n" for i in range(12))
    root = write_tree(tmp_path / "r", {"a.py": body})
    summary_file = tmp_path / "summary.md"
    import os
    import subprocess
    import sys

    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary_file)}
    exe = [sys.executable, "-m", "dhlint", "check", "--output-format", "github"]
    proc = subprocess.run(exe, cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    notices = [x for x in lines if x.startswith("::notice ")]
    assert len(notices) == 10  # 24 findings at level note: 10 shown
    assert lines[-2] == "::notice::14 more annotations omitted; see the step summary."
    assert notices[0].startswith("::notice file=a.py,line=1,endLine=1,col=9,endColumn=10,title=DH")
    table = summary_file.read_text()
    assert table.count("| `a.py:") == 24
    # Without a step summary the rest is in another format, not in a SARIF file that this
    # run did not write (ux2 #11).
    env.pop("GITHUB_STEP_SUMMARY")
    lines = subprocess.run(exe, cwd=root, env=env, capture_output=True, text=True).stdout
    assert "::notice::14 more annotations omitted; run with --output-format text or sarif for " in (
        lines
    )


def test_suppressions_listing(tmp_path):
    code = (
        "# dhlint: ignore[DH001,DH004] reviewed in PR 12\n"
        "x = 1  # dhlint: ignore[DH002]\n"
        "# dhlint: ignore-file[DH003] old exception until=2020-01-01\n"
    )
    root = write_tree(tmp_path / "r", {"a.py": code})
    text = run_cli(["suppressions"], cwd=root)
    assert text.returncode == 0
    assert text.stdout.splitlines() == [
        "a.py:1: DH001,DH004 [ok, silences 2]: reviewed in PR 12",
        "a.py:2: DH002 [no reason, unused, silences 0]: (no reason)",
        "a.py:3: DH003 (whole file) [expired, silences 0] until 2020-01-01: old exception",
        "3 suppressions.",
    ]
    rows = json.loads(run_cli(["suppressions", "-f", "json"], cwd=root).stdout)
    assert [r["status"] for r in rows] == ["ok", "no reason, unused", "expired"]
