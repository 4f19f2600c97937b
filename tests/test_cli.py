"""The real command line, end to end (the installed ``dhlint`` script in a subprocess)."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import FIXTURES, REPO, run_cli, write_tree

# One suppression, two findings: no reason (DH001), and it silences nothing (DH004).
NO_REASON = "x = 1  # dhlint: ignore[DH002]\n"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<id>DH\d{3}) (?P<msg>.+)$")


def test_version_rules_and_explain(tmp_path):
    from dhlint import __version__

    assert run_cli(["--version"], cwd=tmp_path).stdout.strip() == f"dhlint {__version__}"
    listing = run_cli(["rules"], cwd=tmp_path)
    assert listing.returncode == 0
    assert re.search(r"^DH001\s+suppression-without-reason\s+low\s+DHP-5.3", listing.stdout, re.M)
    explain = run_cli(["explain", "DH001"], cwd=tmp_path)
    assert explain.returncode == 0
    for part in ("Why it matters", "How to fix", "DHP-5.3", "Flagged (bad)", "Not flagged (good)"):
        assert part in explain.stdout
    by_name = run_cli(["explain", "suppression-without-reason"], cwd=tmp_path)
    assert by_name.stdout == explain.stdout
    assert re.search(
        r"^DH101\s+s3-bucket-unencrypted\s+high\s+DHP-1.1\s+encryption-at-rest\s",
        listing.stdout,
        re.M,
    )
    markdown = run_cli(["explain", "--output-format", "markdown", "DH101"], cwd=tmp_path)
    assert (
        markdown.stdout
        == run_cli(["explain", "--format", "markdown", "DH101"], cwd=tmp_path).stdout
    )
    assert markdown.stdout.startswith("**S3 bucket without server-side encryption**")
    unknown = run_cli(["explain", "DH998"], cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown rule" in unknown.stderr


def test_text_output_exit_codes_and_summary(tmp_path):
    root = write_tree(tmp_path / "r", {"a.py": NO_REASON, "clean.py": "y = 2\n"})
    proc = run_cli(["check"], cwd=root)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    match = LINE.match(lines[0])
    assert match and match["path"] == "a.py" and match["id"] == "DH001"
    assert (match["line"], match["col"]) == ("1", "8")
    assert LINE.match(lines[1])["id"] == "DH004"
    assert lines[-1].startswith("Found 2 findings (2 low) in 2 files checked. Policy: ")
    assert run_cli(["check", "--exit-zero"], cwd=root).returncode == 0
    quiet = run_cli(["check", "--quiet"], cwd=root)
    assert quiet.stdout.splitlines() == lines[:2]
    clean = run_cli(["check", "clean.py"], cwd=root)
    assert clean.returncode == 0 and clean.stdout.startswith("No findings in 1 file checked.")
    # `dhlint FILE` is `dhlint check FILE` (the pre-commit entry point)
    assert run_cli(["a.py"], cwd=root).stdout == run_cli(["check", "a.py"], cwd=root).stdout


def test_select_ignore_by_id_prefix_and_family(tmp_path):
    typo = "\n\ny = 1  # dhlint: ignore[DH9X9] typo\n"
    root = write_tree(tmp_path / "r", {"a.py": NO_REASON + typo})

    def ids(*args):
        data = json.loads(run_cli(["check", "-f", "json", *args], cwd=root).stdout)
        return sorted({f["rule_id"] for f in data["findings"]})

    assert ids() == ["DH001", "DH002", "DH004"]
    assert ids("--select", "DH001") == ["DH001"]
    assert ids("--ignore", "DH00") == []
    # DH002 did not run, so its suppression cannot be called unused (no DH004).
    assert ids("--select", "tool", "--ignore", "suppression-unknown-rule") == ["DH001"]


def test_json_report_shape_and_output_file(tmp_path):
    root = write_tree(tmp_path / "r", {"a.py": NO_REASON})
    out = tmp_path / "reports" / "dhlint.json"
    proc = run_cli(["check", "-f", "json", "-o", str(out)], cwd=root)
    assert proc.returncode == 1 and proc.stdout == ""
    data = json.loads(out.read_text())
    assert data["tool"]["name"] == "dhlint" and data["policy"]["version"]
    assert data["summary"]["findings"] == 2
    finding = data["findings"][0]
    assert finding["rule_id"] == "DH001" and finding["path"] == "a.py"
    assert finding["line"] == 1 and finding["fingerprint"] and finding["suppressed"] is None
    assert not list(out.parent.glob(".*.tmp")), "no temporary file left behind"


def test_show_suppressed_in_text(tmp_path):
    reviewed = "# dhlint: ignore[DH001,DH004] reviewed\n"
    root = write_tree(tmp_path / "r", {"a.py": reviewed + NO_REASON})
    hidden = run_cli(["check"], cwd=root)
    shown = run_cli(["check", "--show-suppressed"], cwd=root)
    assert "suppressed: reviewed" not in hidden.stdout
    assert "[suppressed: reviewed]" in shown.stdout
    assert hidden.returncode == shown.returncode == 0
    assert "2 suppressed" in hidden.stdout


def test_stdin(tmp_path):
    root = write_tree(tmp_path / "r", {})
    proc = run_cli(["check", "-", "--stdin-filename", "etl/job.py"], cwd=root, stdin=NO_REASON)
    assert proc.returncode == 1 and proc.stdout.startswith("etl/job.py:1:8: DH001")


def test_bad_input_three_languages_never_crash(tmp_path):
    root = write_tree(
        tmp_path / "r",
        {
            "infra/broken.tf": 'resource "aws_s3_bucket" "x" {\n  bucket = \n',
            "k8s/tabs.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
            "etl/broken.py": "def f(:\n    pass\n",
            "etl/ok.py": NO_REASON,
        },
    )
    proc = run_cli(["check", "-f", "json"], cwd=root)
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    diags = {d["path"]: d for d in data["diagnostics"]}
    assert set(diags) == {"infra/broken.tf", "k8s/tabs.yaml", "etl/broken.py"}, diags
    assert all(d["level"] == "error" and d["line"] > 0 for d in diags.values())
    assert {f["path"] for f in data["findings"]} == {"etl/ok.py"}
    assert proc.returncode == 1
    text = run_cli(["check"], cwd=root)
    assert "3 files not fully checked" in text.stdout.splitlines()[-1]


def test_summary_counts_files_checked_skipped_and_missing_apart(tmp_path):
    # A file with a syntax error was checked (not fully); a binary one was never read; a path
    # that does not exist is not a file.
    root = write_tree(
        tmp_path / "r",
        {
            "etl/broken.py": "def f(:\n    pass\n",
            "etl/ok.py": "x = 1\n",
            "k8s/tabs.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
        },
    )
    (root / "etl" / "blob.py").write_bytes(b"\x00\x01binary")
    proc = run_cli(["check", "etl", "k8s", "nowhere"], cwd=root)
    last = proc.stdout.splitlines()[-1]
    assert proc.returncode == 1
    assert last.startswith(
        "No findings in 3 files checked; 2 files not fully checked; 1 file skipped; "
        "1 path not found. Policy: "
    ), proc.stdout


def test_readme_example_finds_all_three_languages():
    proc = run_cli(["check", "fixtures/"], cwd=REPO)
    assert proc.returncode == 1, proc.stderr
    paths = {m["path"] for m in map(LINE.match, proc.stdout.splitlines()) if m}
    assert any(p.endswith(".py") for p in paths)
    assert any(p.endswith(".tf") for p in paths)
    assert any(p.endswith((".yaml", ".yml")) for p in paths)
    assert all(p.startswith("fixtures/") for p in paths)
    assert FIXTURES.is_dir()


def test_a_context_file_that_does_not_parse_does_not_fail_the_named_files(tmp_path):
    """Pre-commit names the changed files; the rest of their Terraform module and the other
    manifests are read as context. One of those that does not parse (a work in progress) is
    a warning, not an error that blocks the commit; named, it is an error."""
    root = write_tree(
        tmp_path / "r",
        {
            "tf/good.tf": 'resource "aws_cloudwatch_log_group" "a" {\n  name = "x"\n'
            "  retention_in_days = 30\n}\n",
            "tf/wip.tf": 'resource "x" "y" {\n  a = \n',
            "k8s/ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n",
            "other/wip.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n",
        },
    )
    for named, context in (("tf/good.tf", "tf/wip.tf"), ("k8s/ok.yaml", "other/wip.yaml")):
        proc = run_cli(["check", named], cwd=root)
        assert proc.returncode == 0, proc.stdout
        assert f"{context}:" in proc.stdout and "warning:" in proc.stdout
        assert "(read only as context)" in proc.stdout
        named_proc = run_cli(["check", context], cwd=root)
        assert named_proc.returncode == 1 and f"{context}:" in named_proc.stdout
    unfinished = run_cli(["check", "tf/wip.tf"], cwd=root).stdout
    assert (
        "invalid HCL: unexpected end of line (an expression or block is unfinished)" in unfinished
    )
    # Nor does one that cannot be read at all (probe18tf: a binary .tf beside the named file).
    (root / "tf" / "wip.tf").write_bytes(b"\x00\x01binary")
    proc = run_cli(["check", "tf/good.tf"], cwd=root)
    assert proc.returncode == 0, proc.stdout
    assert "tf/wip.tf: warning: skipped: binary content (NUL bytes) (read only as context)" in (
        proc.stdout
    )
    assert run_cli(["check", "tf/wip.tf"], cwd=root).returncode == 1


def test_output_file_mode_and_a_directory_as_output(tmp_path):
    """A report is an ordinary file (the umask's mode, or the mode of the file it replaces);
    an output path that cannot be written is one line and exit 2, not a traceback."""
    import os
    import stat

    root = write_tree(tmp_path / "r", {"a.py": NO_REASON})
    old = os.umask(0o022)
    try:
        assert run_cli(["check", "-q", "-o", "report.txt"], cwd=root).returncode == 1
        assert stat.S_IMODE((root / "report.txt").stat().st_mode) == 0o644
        (root / "keep.txt").write_text("")
        (root / "keep.txt").chmod(0o640)
        run_cli(["check", "-q", "-o", "keep.txt"], cwd=root)
        assert stat.S_IMODE((root / "keep.txt").stat().st_mode) == 0o640
    finally:
        os.umask(old)
    for flags in ([], ["--exit-zero"]):
        proc = run_cli(["check", "-q", *flags, "-o", str(tmp_path)], cwd=root)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert f"cannot write {tmp_path}: it is a directory" in proc.stderr


def test_big_manifests_and_empty_directories_are_not_silent(tmp_path):
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: b\n"
    root = write_tree(
        tmp_path / "r", {"k8s/big.yaml": manifest, "ci.yml": "on: push\n", "docs/x.txt": "x\n"}
    )
    proc = run_cli(["check", "--max-file-size", "40", "."], cwd=root)
    # A file over the limit is never reported clean (ux2 #3: a 5 MB plan exited 0).
    assert "k8s/big.yaml: error: not checked: file is 66 bytes, over the 40-byte" in proc.stdout
    assert "0 files checked; 1 file skipped" in proc.stdout and proc.returncode == 1
    assert "ci.yml" not in proc.stdout  # other YAML: skipped silently, as documented
    empty = run_cli(["check", "docs"], cwd=root)
    assert empty.returncode == 0 and empty.stdout == ""
    assert "no Python, Terraform or Kubernetes files under docs" in empty.stderr
    named = run_cli(["check", "docs/x.txt"], cwd=root)  # pre-commit on other file types
    assert named.returncode == 0 and named.stdout == named.stderr == ""


def test_files_of_a_few_megabytes_are_checked_by_default(tmp_path):
    # A generated module (or a large environment's plan JSON) of a few MB is checked: the
    # default limit was 2,000,000 bytes, and such a file was skipped with exit 0 (ux2 #3).
    lines = [
        "import requests",
        "def push(row):",
        '    requests.post("https://vendor.example/x", json={"email": row["email"]})',
    ]
    lines += [f'T_{i} = "{"x" * 100}"' for i in range(25_000)]  # about 2.8 MB
    root = write_tree(tmp_path / "r", {"big.py": "\n".join(lines) + "\n"})
    proc = run_cli(["check", "-q", "--no-cache", "--select", "DH561", "big.py"], cwd=root)
    assert proc.returncode == 1 and "big.py:3:5: DH561" in proc.stdout, proc.stdout


def test_help_states_every_exit_code():
    # A pre-commit user reads why a commit with no finding failed: a file that did not parse.
    text = " ".join(run_cli(["--help"], cwd=REPO).stdout.split())
    assert (
        "0 clean, 1 findings (at or above --fail-on) or a file that could not be read or parsed, "
        "2 usage" in text
    )


def test_max_file_size_zero_means_no_limit(tmp_path):
    # As --timeout 0 does; it skipped every file, and exited 0 having checked nothing.
    root = write_tree(tmp_path / "r", {"etl/job.py": NO_REASON})
    proc = run_cli(["check", "--max-file-size", "0", "etl"], cwd=root)
    assert proc.returncode == 1 and "DH001" in proc.stdout, proc.stdout


@pytest.mark.parametrize(
    ("option", "value"), [("--jobs", "-1"), ("--timeout", "-3"), ("--max-file-size", "-5")]
)
def test_negative_counts_are_usage_errors(tmp_path, option, value):
    # -j -1 ran on all cores and --timeout -3 without a limit, silently: 0 is how to ask for
    # those, and --help says so.
    root = write_tree(tmp_path / "r", {"etl/ok.py": "x = 1\n"})
    proc = run_cli(["check", option, value], cwd=root)
    assert proc.returncode == 2
    assert f"must be 0 or more, not {value}" in proc.stderr


def test_a_linked_file_has_the_links_path_in_every_report(tmp_path):
    # ux2 #13: text, JSON, SARIF and the baseline name a file reached through a symbolic link
    # by the link's path, and a link in this repository to another one's file is never
    # reported at the other repository's path: walked, it is not followed; named (a pre-commit
    # run), it is checked at its own path (probe23 min/05: it was skipped, exit 0).
    log = 'import logging\nlog = logging.getLogger(__name__)\nlog.info("x %s", row["email"])\n'
    other = write_tree(tmp_path / "B", {"app/ingest.py": log})
    root = write_tree(tmp_path / "A", {"shared/etl.py": log})
    (root / "dags").mkdir()
    (root / "dags" / "etl.py").symlink_to("../shared/etl.py")
    (root / "dags" / "ingest.py").symlink_to(other / "app" / "ingest.py")
    text = run_cli(["check", "--no-cache", "dags/etl.py", "dags/ingest.py"], cwd=root).stdout
    assert text.splitlines()[:2] == [
        "dags/etl.py:3:1: DH565 Identifier(s) 'email' (direct) written to a log by logger.info",
        "dags/ingest.py:3:1: DH565 Identifier(s) 'email' (direct) written to a log by logger.info",
    ]
    walked = run_cli(["check", "--no-cache", "dags"], cwd=root).stdout
    assert "dags/ingest.py: warning: skipped: symbolic link points outside the repository" in walked
    data = json.loads(run_cli(["check", "--no-cache", "-f", "json", "dags"], cwd=root).stdout)
    assert [f["path"] for f in data["findings"]] == ["dags/etl.py"]
    sarif = json.loads(run_cli(["check", "--no-cache", "-f", "sarif", "dags"], cwd=root).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dags/etl.py"
    run_cli(["check", "--write-baseline", "b.json", "."], cwd=root)
    baseline = json.loads((root / "b.json").read_text())
    assert sorted(e["path"] for e in baseline["findings"]) == ["dags/etl.py", "shared/etl.py"]
    # The cache keys a file by its path too: the target's cached result is not the link's.
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert run_cli(["check", *cache, "shared/etl.py"], cwd=root).stdout.startswith("shared/")
    for _ in range(2):
        out = run_cli(["check", *cache, "dags/etl.py"], cwd=root).stdout
        assert out.splitlines()[0] == text.splitlines()[0]


def test_a_terraform_file_linked_into_a_module_is_part_of_that_module(tmp_path):
    # A variables file shared by symbolic link (a common layout) belongs to the module it is
    # linked into, as Terraform reads it: read at its target's path, it was a module of its
    # own, var.retention_days was unknown in envs/prod, and the DH302 below was missed.
    lifecycle = (
        'resource "aws_s3_bucket" "raw" {\n  bucket = "kc-raw"\n}\n'
        'resource "aws_s3_bucket_lifecycle_configuration" "raw" {\n'
        "  bucket = aws_s3_bucket.raw.id\n"
        '  rule {\n    id     = "expire"\n    status = "Enabled"\n'
        "    expiration {\n      days = var.retention_days\n    }\n  }\n}\n"
    )
    root = write_tree(
        tmp_path / "r",
        {
            "shared/variables.tf": 'variable "retention_days" {\n  default = 1000\n}\n',
            "envs/prod/main.tf": lifecycle,
        },
    )
    (root / "envs" / "prod" / "variables.tf").symlink_to("../../shared/variables.tf")
    proc = run_cli(["check", "--no-cache", "--select", "DH302", "-f", "json", "."], cwd=root)
    (finding,) = json.loads(proc.stdout)["findings"]
    assert (finding["path"], finding["line"]) == ("envs/prod/main.tf", 10)
    assert finding["message"].endswith("(expiration: 1000 days)")
    assert [(r["path"], r["line"]) for r in finding["related"]][-1] == ("envs/prod/variables.tf", 2)


def test_a_walked_manifest_in_utf16_without_a_bom_fails_the_run(tmp_path):
    # probe21tf N1: it was skipped silently, exit 0, as if it were clean.
    manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  p: x\n"
    root = write_tree(tmp_path / "r", {"ok.py": "x = 1\n"})
    (root / "secret.yaml").write_bytes(manifest.encode("utf-16-le"))
    (root / "notes.yaml").write_bytes("title: notes\n".encode("utf-16-le"))
    proc = run_cli(["check", "--no-cache", "."], cwd=root)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == (
        "secret.yaml: error: UTF-16LE text without a byte order mark: file not checked "
        "(save it as UTF-8)"
    )
    (root / "secret.yaml").unlink()
    assert run_cli(["check", "--no-cache", "."], cwd=root).returncode == 0  # notes.yaml: silent


@pytest.mark.parametrize("profiled", [False, True])
def test_the_command_ends_without_the_interpreters_teardown_unless_profiled(tmp_path, profiled):
    # The teardown frees every object one by one after a full collection (0.25 s of a 3 s
    # run): the command (``python -m dhlint``, the console script) skips it once the streams
    # are flushed, but not under a profiler or tracer, which write their results at exit.
    import subprocess
    import sys

    root = write_tree(tmp_path / "r", {"a.py": NO_REASON})
    code = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: print('teardown', file=sys.stderr))\n"
        f"if {profiled}: sys.setprofile(lambda *args: None)\n"
        "sys.argv = ['dhlint', 'check', '--no-cache', '-f', 'json', '.']\n"
        "runpy.run_module('dhlint', run_name='__main__')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr  # findings
    report = json.loads(proc.stdout)  # written whole
    assert [f["rule_id"] for f in report["findings"]] == ["DH001", "DH004"]
    assert ("teardown" in proc.stderr) == profiled


def test_fail_on_sets_the_least_severe_finding_that_fails_the_run(tmp_path):
    # A repository adopting the policy step by step: every finding is reported, only those at
    # or above the threshold fail the commit. The policy (or pyproject) sets it; the option wins.
    code = (
        "import requests\n\n\n"
        "def send(ssn):\n"
        '    requests.post("https://api.city.gov/x", json={}, verify=False)\n'
    )
    root = write_tree(tmp_path / "r", {"a.py": code})
    high = run_cli(["check"], cwd=root)  # DH261 and DH660, both high
    assert high.returncode == 1 and "(2 high)" in high.stdout
    relaxed = run_cli(["check", "--fail-on", "critical"], cwd=root)
    assert relaxed.returncode == 0
    assert relaxed.stdout.count(" DH") == 2  # still reported
    assert "(2 below the fail-on severity, critical: not failing the run)" in relaxed.stdout
    assert run_cli(["check", "--fail-on", "high"], cwd=root).returncode == 1
    write_tree(root, {}, policy={"fail_on": "critical"})
    assert run_cli(["check"], cwd=root).returncode == 0
    assert run_cli(["check", "--fail-on", "medium"], cwd=root).returncode == 1
    # A file that could not be parsed fails the run whatever the threshold.
    write_tree(root, {"b.py": "def (:\n"})
    assert run_cli(["check"], cwd=root).returncode == 1
    write_tree(root, {}, policy={"fail_on": "severe"})
    bad = run_cli(["check"], cwd=root)
    assert bad.returncode == 2 and "key 'fail_on' must be one of critical, high" in bad.stderr
    usage = run_cli(["check", "--fail-on", "severe"], cwd=root)
    assert usage.returncode == 2 and "invalid choice: 'severe'" in usage.stderr


def test_the_cli_knows_the_policy_severities():
    from dhlint.commands.check import SEVERITIES as CLI_SEVERITIES
    from dhlint.policy import SEVERITIES

    assert CLI_SEVERITIES == SEVERITIES


def test_statistics_counts_findings_by_rule(tmp_path):
    code = (
        "import requests\n\n\n"
        "def send():\n"
        '    requests.post("https://api.city.gov/x", json={}, verify=False)\n'
        '    requests.post("https://api.city.gov/y", json={}, verify=False)\n'
        '    requests.get("https://tiles.vendor.example/z")\n'
    )
    root = write_tree(tmp_path / "r", {"a.py": code}, policy={"severity": {"DH261": "medium"}})
    proc = run_cli(["check", "--statistics"], cwd=root)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[:2] == [
        "3  DH660  high      unapproved-vendor-host",
        "2  DH261  medium    tls-verification-disabled",
    ]
    assert lines[2].startswith("Found 5 findings (3 high, 2 medium) in 1 file checked")
    wrong = run_cli(["check", "--statistics", "-f", "json"], cwd=root)
    assert wrong.returncode == 2 and "--statistics is for the text output" in wrong.stderr


def test_fail_on_from_a_library_caller_is_checked(tmp_path):
    from dhlint.engine import CheckOptions, ConfigError, run_check

    root = write_tree(tmp_path / "r", {"ok.py": "x = 1\n"})
    with pytest.raises(ConfigError, match="fail_on must be one of critical, high"):
        run_check(CheckOptions(paths=[str(root)], cwd=str(root), fail_on="severe"))
    assert run_check(CheckOptions(paths=[str(root)], cwd=str(root), fail_on="high")).failing == []
