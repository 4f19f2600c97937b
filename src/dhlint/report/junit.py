"""JUnit XML (``--output-format junit``), which Jenkins, Azure DevOps, GitLab and most CI
systems show as test results (as ruff's and checkov's ``junit``/``junitxml``).

One ``testsuite`` per file with findings or that could not be checked, one ``testcase`` per
unsuppressed finding (a ``failure``: rule, severity, line and message) or per reason a file
was not checked (an ``error``). A run with neither has one passing case, so that the report
says the check ran.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from dhlint.engine import CheckResult
from dhlint.report.text import noted_message

# Characters XML 1.0 cannot hold, even escaped: a message quoting the scanned code may have one.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(result: CheckResult) -> str:
    names = {rule.id: rule.name for rule in result.catalog}
    cases: dict[str, list[ET.Element]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    errors: dict[str, int] = defaultdict(int)
    for finding in result.active:
        loc, path = finding.location, xml_text(finding.location.path)
        case = ET.Element(
            "testcase",
            name=f"{finding.rule_id} {names.get(finding.rule_id, '')}".strip(),
            classname=path,
            file=path,
            line=str(loc.start_line),
        )
        message = xml_text(noted_message(finding))
        failure = ET.SubElement(case, "failure", message=message, type=finding.severity)
        failure.text = f"{path}:{loc.start_line}:{loc.start_col}: {finding.rule_id} {message}"
        cases[path].append(case)
        failures[path] += 1
    for diag in result.diagnostics:
        if diag.level != "error":
            continue
        path = xml_text(diag.path) or "dhlint"
        case = ET.Element("testcase", name="dhlint/not-checked", classname=path, file=path)
        if diag.line:
            case.set("line", str(diag.line))
        message = xml_text(diag.message)
        error = ET.SubElement(case, "error", message=message, type=diag.kind or "error")
        error.text = f"dhlint could not check this file: {message}"
        cases[path].append(case)
        errors[path] += 1
    root = ET.Element("testsuites", name="dhlint")
    if not cases:
        suite = ET.SubElement(root, "testsuite", name="dhlint", tests="1", failures="0")
        suite.set("errors", "0")
        ET.SubElement(suite, "testcase", name="No findings", classname="dhlint")
    for path in sorted(cases):
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(cases[path])))
        suite.set("failures", str(failures[path]))
        suite.set("errors", str(errors[path]))
        suite.extend(cases[path])
    root.set("tests", str(sum(len(c) for c in cases.values()) or 1))
    root.set("failures", str(sum(failures.values())))
    root.set("errors", str(sum(errors.values())))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
