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


@pytest.fixture(scope="module")
def try_repo(tmp_path_factory):
    """``try_repo(city, *args)``: pre-commit's try-repo of this repository's hook in ``city``
    (a git repository ``city_repo`` made), with one hook environment for the module's tests."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    if not _index_available():
        pytest.skip("no package index or wheelhouse for pre-commit's hook environment")
    tmp_path = tmp_path_factory.mktemp("precommit")
    # try-repo takes the hook from a git repository: snapshot the working tree into one.
    hook_repo = tmp_path / "hook"
    shutil.copytree(
        REPO,
        hook_repo,
        ignore=shutil.ignore_patterns(
            ".git", "*.egg-info", "__pycache__", ".ruff_cache", ".pytest_cache", "build", "dist",
            "corpus",
        ),
    )  # fmt: skip
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    env.pop("PYTHONPATH", None)  # the hook runs the dhlint installed in its environment
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "hook"]):
        assert _run(cmd, hook_repo, env=env).returncode == 0

    def run(city, *args: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "dhlint", *args]
        return _run(cmd, city, env=env)

    run.env = env  # type: ignore[attr-defined]
    return run


def city_repo(root, files: dict[str, str], env) -> None:
    root.mkdir()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "city"]):
        assert _run(cmd, root, env=env).returncode == 0


def test_try_repo_on_violating_and_clean_commits(tmp_path, try_repo):
    city = tmp_path / "city"
    files = {"clean.py": "RATE = 1\n", "bad.py": NO_REASON, "notes.json": '{"not": "a plan"}\n'}
    city_repo(city, files, try_repo.env)

    bad = try_repo(city, "--files", "bad.py", "clean.py")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad.py:1:8: DH001 " in bad.stdout
    assert "clean.py:" not in bad.stdout.replace("clean.py checked", "")

    clean = try_repo(city, "--files", "clean.py", "notes.json")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


DB_MODULE = {
    "main.tf": (
        'variable "admin_cidrs" {\n  type    = map(string)\n'
        '  default = { office = "10.20.0.0/16" }\n}\n'
        'module "db" {\n  source      = "./modules/db"\n  admin_cidrs = var.admin_cidrs\n}\n'
    ),
    "modules/db/main.tf": (
        'resource "aws_security_group" "db" {\n  name = "db"\n  dynamic "ingress" {\n'
        "    for_each = var.admin_cidrs\n    content {\n      from_port   = 5432\n"
        '      to_port     = 5432\n      protocol    = "tcp"\n'
        "      cidr_blocks = [ingress.value]\n    }\n  }\n}\n"
        'variable "admin_cidrs" { type = map(string) }\n'
    ),
    "terraform.tfvars": 'admin_cidrs = {\n  office = "10.20.0.0/16"\n}\n',
}


def test_try_repo_on_a_commit_of_a_tfvars_file_or_a_module_file_alone(tmp_path, try_repo):
    # probe33 min/12: the finding is the module file's; the commit names the tfvars file that
    # gives the value, or the module file whose callers give it.
    city = tmp_path / "city"
    city_repo(city, DB_MODULE, try_repo.env)
    assert try_repo(city).returncode == 0  # nothing staged

    tfvars = city / "terraform.tfvars"
    tfvars.write_text(tfvars.read_text().replace("}", '  vpn    = "0.0.0.0/0"\n}'))
    assert _run(["git", "add", "terraform.tfvars"], city, env=try_repo.env).returncode == 0
    staged = try_repo(city)  # the staged files: terraform.tfvars alone
    assert staged.returncode == 1, staged.stdout + staged.stderr
    assert (
        "modules/db/main.tf:9:22: DH407 aws_security_group 'module.db.aws_security_group.db' "
        "opens database port 5432 to 0.0.0.0/0 [terraform.tfvars:3: the value comes from "
        'module.db.var.admin_cidrs["vpn"], set in terraform.tfvars]'
    ) in staged.stdout
    assert "in 1 file checked" in staged.stdout

    assert _run(["git", "commit", "-qm", "vpn"], city, env=try_repo.env).returncode == 0
    alone = try_repo(city, "--files", "modules/db/main.tf")
    assert alone.returncode == 1, alone.stdout + alone.stderr
    assert "modules/db/main.tf:9:22: DH407 aws_security_group 'module.db." in alone.stdout


def test_try_repo_checks_the_data_files_the_policy_opts_in(tmp_path, try_repo):
    # probe33 min/11: csv, jsonl and parquet files were never passed to the hook.
    city = tmp_path / "city"
    files = {
        "dhlint.yaml": 'datasets: ["data/publish/**"]\n',
        "data/publish/riders.csv": "rider_email,trips\na@example.org,3\nb@example.org,4\n",
        "data/publish/taps.jsonl": '{"mac_address": "00:1a:2b:3c:4d:5e", "n": 1}\n',
        "tests/sample.csv": "rider_email\na@example.org\n",  # not opted in
    }
    city_repo(city, files, try_repo.env)
    opted = try_repo(city, "--files", "data/publish/riders.csv", "data/publish/taps.jsonl")
    assert opted.returncode == 1, opted.stdout + opted.stderr
    assert "data/publish/riders.csv:1:1: DH580 " in opted.stdout
    assert "data/publish/taps.jsonl:" in opted.stdout
    other = try_repo(city, "--files", "tests/sample.csv")
    assert other.returncode == 0, other.stdout + other.stderr
    assert "Passed" in other.stdout and "(no files to check)" not in other.stdout
