"""``--output-format junit``: JUnit XML, as CI systems show test results."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dhlint.report.junit import xml_text
from tests.conftest import run_cli, write_tree
from tests.test_gitlab import CODE  # a finding of each kind, one suppressed


def test_junit_report(tmp_path):
    root = write_tree(tmp_path / "r", {"etl/send.py": CODE, "etl/broken.py": "def (:\n"})
    proc = run_cli(["check", "-f", "junit", "etl"], cwd=root)
    assert proc.returncode == 1
    suites = ET.fromstring(proc.stdout)
    assert suites.tag == "testsuites"
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("4", "3", "1")
    by_file = {s.get("name"): s for s in suites}
    assert sorted(by_file) == ["etl/broken.py", "etl/send.py"]
    cases = by_file["etl/send.py"].findall("testcase")
    assert [c.get("name") for c in cases] == [
        "DH561 identifier-sent-over-network",
        "DH660 unapproved-vendor-host",
        "DH660 unapproved-vendor-host",
    ]  # DH261 is suppressed: not a failure
    failure = cases[0].find("failure")
    assert (cases[0].get("line"), failure.get("type")) == ("5", "critical")
    assert failure.get("message").startswith("Identifier column(s) 'ssn' (direct) sent")
    assert failure.text.startswith("etl/send.py:5:5: DH561 ")
    error = by_file["etl/broken.py"].find("testcase/error")
    assert error.get("type") == "parse-error" and "syntax" in error.get("message")


def test_junit_report_of_a_clean_run_has_one_passing_case(tmp_path):
    root = write_tree(tmp_path / "r", {"ok.py": "x = 1\n"})
    proc = run_cli(["check", "-f", "junit"], cwd=root)
    assert proc.returncode == 0
    suites = ET.fromstring(proc.stdout)
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("1", "0", "0")
    assert [c.get("name") for c in suites.iter("testcase")] == ["No findings"]


def test_text_xml_cannot_hold_is_replaced():
    assert xml_text("plate\x00no\x1b[0m\tok\ud800") == "plate\ufffdno\ufffd[0m\tok\ufffd"
    bell = xml_text("x\x07y")
    assert ET.fromstring(f"<a>{bell}</a>").text == "x\ufffdy"  # well-formed
