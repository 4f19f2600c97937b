"""The real pre-commit, installing this repository as a hook into a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

NO_REASON = "x = 1  # dhlint: ignore[DH002]\n"


def _run(cmd, cwd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900, **kw)


def _index_available() -> bool:
    if os.environ.get("PIP_NO_INDEX") and not os.environ.get("PIP_FIND_LINKS"):
        return False
    probe = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            os.devnull + ".d",
            "hatchling",
        ],
        cwd=REPO,
    )
    shutil.rmtree(os.devnull + ".d", ignore_errors=True)
    return probe.returncode == 0


def test_manifest_validates():
    proc = _run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "validate-manifest",
            str(REPO / ".pre-commit-hooks.yaml"),
        ],
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_try_repo_on_violating_and_clean_commits(tmp_path):
    if not _index_available():
        pytest.skip("no package index or wheelhouse for pre-commit's hook environment")
    # try-repo takes the hook from a git repository: snapshot the working tree into one.
    hook_repo = tmp_path / "hook"
    shutil.copytree(
        REPO,
        hook_repo,
        ignore=shutil.ignore_patterns(
            ".git", "*.egg-info", "__pycache__", ".ruff_cache", ".pytest_cache", "build", "dist"
        ),
    )
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "hook"]):
        assert _run(cmd, hook_repo, env=env).returncode == 0

    city = tmp_path / "city"
    city.mkdir()
    (city / "clean.py").write_text("RATE = 1\n")
    (city / "bad.py").write_text(NO_REASON)
    (city / "notes.json").write_text('{"not": "a plan"}\n')
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "city"]):
        assert _run(cmd, city, env=env).returncode == 0
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "dhlint"]

    bad = _run([*pre_commit, "--files", "bad.py", "clean.py"], city, env=env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad.py:1:8: DH001 " in bad.stdout
    assert "clean.py:" not in bad.stdout.replace("clean.py checked", "")

    clean = _run([*pre_commit, "--files", "clean.py", "notes.json"], city, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
