"""The compliance report a privacy officer reads: by clause, rendered in a real browser."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser

import pytest

from dhlint.policy import default_policy
from tests.conftest import run_cli, write_tree

CODE = (
    "# dhlint: ignore[DH001] the bare ignore below is a documentation sample until=2999-01-01\n"
    "x = 1  # dhlint: ignore[DH002]\n"
    "\n"
    "y = 2  # dhlint: ignore[DH9X9] vendor linter id\n"
)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        assert tag not in ("script", "link", "img"), "self-contained: no external assets"

    def handle_data(self, data):
        self.parts.append(data)


def _html(root) -> str:
    proc = run_cli(["check", "--output-format", "html"], cwd=root)
    assert proc.returncode == 1, proc.stderr
    return proc.stdout


def test_html_report_by_clause_with_exceptions(tmp_path):
    root = write_tree(tmp_path / "r", {"etl/a.py": CODE})
    page = _html(root)
    parser = _Text()
    parser.feed(page)
    text = " ".join(" ".join(parser.parts).split())
    policy = default_policy()
    assert policy.name in text and policy.hash in text and "dhlint" in text
    assert "Files checked 1 (Python: 1)" in text
    for clause_id, clause in policy.clauses.items():
        assert f'id="{clause_id}"' in page
        assert " ".join(clause["text"].split()) in text
    section = page[page.index('id="DHP-5.3"') :]
    assert re.search(r"DHP-5.3 Documented exceptions<span class=\"status Fail\">Fail", page)
    assert "the bare ignore below is a documentation sample" in section
    assert "2999-01-01" in section and "no reason given" in section
    assert 'href="etl/a.py#L2"' in section
    assert "Correct the id" in text  # remediation from the catalogue (DH002)


def test_markdown_report(tmp_path):
    root = write_tree(tmp_path / "r", {"a.py": CODE})
    proc = run_cli(["check", "--output-format", "markdown"], cwd=root)
    assert proc.stdout.startswith("# Data-handling compliance report")
    assert "### DHP-5.3 Documented exceptions: Fail" in proc.stdout
    assert "- `a.py:1` DH001: the bare ignore below is a documentation sample" in proc.stdout


def test_the_report_says_why_each_finding_matters_and_what_an_exception_sets_aside(tmp_path):
    code = (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "def f(row):\n"
        '    log.info(row["email"])  # dhlint: ignore[DH565] reason="test tenant only"\n'
        '    log.info(row["phone"])\n'
    )
    root = write_tree(tmp_path / "r", {"etl.py": code})
    report = run_cli(["check", "--output-format", "markdown"], cwd=root).stdout
    assert "Why it matters:" in report and "- **DH565 " in report
    assert "test tenant only (sets aside: Identifier(s) 'email' (direct)" in report
    page = run_cli(["check", "--output-format", "html"], cwd=root).stdout
    assert "<h4>Why it matters</h4>" in page and "What it sets aside" in page


def test_a_clause_no_rule_judged_is_not_assessed(tmp_path):
    """Nothing scanned passes nothing; a Python-only tree leaves the infrastructure clauses
    (encryption at rest, public exposure, classification labels) not assessed."""
    empty = write_tree(tmp_path / "empty", {"notes.txt": "hi\n"})
    report = run_cli(["check", "--output-format", "markdown"], cwd=empty).stdout
    assert ": Pass" not in report and "### DHP-1.1 Encryption at rest: Not assessed" in report
    python = write_tree(tmp_path / "py", {"etl.py": "import logging\nlogging.info('ok')\n"})
    report = run_cli(["check", "--output-format", "markdown"], cwd=python).stdout
    assert "### DHP-1.1 Encryption at rest: Not assessed" in report
    assert "### DHP-1.3 No public exposure: Not assessed" in report
    assert "### DHP-3.5 No identifiers in logs: Pass" in report


def _png_is_blank(data: bytes) -> bool:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    pixels = zlib.decompress(idat)
    return len(set(pixels)) < 8


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.mark.skipif(_browser() is None, reason="no headless Chromium on this machine")
def test_html_report_renders_in_headless_chromium(tmp_path):
    root = write_tree(tmp_path / "r", {"etl/a.py": CODE})
    report = tmp_path / "report.html"
    run_cli(["check", "--output-format", "html", "-o", str(report)], cwd=root)
    shot = tmp_path / "report.png"
    proc = subprocess.run(
        [
            _browser(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1200,1600",
            f"--screenshot={shot}",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.exists(), proc.stderr[-2000:]
    assert not _png_is_blank(shot.read_bytes())


def test_a_cross_language_rule_is_assessed_with_its_code_and_one_input():
    """DH690 joins Python with manifests or Terraform: either is enough; DH190 needs Terraform."""
    from dhlint.catalog import load_catalog, rules_by_id
    from dhlint.report.compliance import _assessed

    rules = rules_by_id(load_catalog())
    assert _assessed(rules["DH690"], {"python", "terraform"})
    assert _assessed(rules["DH690"], {"python", "kubernetes"})
    assert not _assessed(rules["DH690"], {"python"})
    assert not _assessed(rules["DH690"], {"kubernetes", "terraform"})
    assert _assessed(rules["DH190"], {"python", "terraform"})
    assert not _assessed(rules["DH190"], {"python", "kubernetes"})
