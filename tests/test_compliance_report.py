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
    # The bare ignore on line 2 silences nothing (DH004): a finding, not an exception.
    assert "2999-01-01" in section and "no reason given" not in section
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
    (encryption at rest, classification labels) not assessed. Public exposure is judged on
    Python too (DH460, DH461: code that makes stored data public)."""
    empty = write_tree(tmp_path / "empty", {"notes.txt": "hi\n"})
    report = run_cli(["check", "--output-format", "markdown"], cwd=empty).stdout
    assert ": Pass" not in report and "### DHP-1.1 Encryption at rest: Not assessed" in report
    python = write_tree(tmp_path / "py", {"etl.py": "import logging\nlogging.info('ok')\n"})
    report = run_cli(["check", "--output-format", "markdown"], cwd=python).stdout
    assert "### DHP-1.1 Encryption at rest: Not assessed" in report
    assert "### DHP-1.3 No public exposure: Pass" in report
    assert "Checked by 2 rules: DH460 Python code makes an object" in report
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


HELM_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: gw
          image: ghcr.io/x/gw:1
          env:
            - name: NODE_TLS_REJECT_UNAUTHORIZED
              value: "0"
"""
CHART = {
    "chart/Chart.yaml": "apiVersion: v2\nname: gw\nversion: 0.1.0\n",
    "chart/templates/deployment.yaml": HELM_TEMPLATE,
}


def test_a_skipped_helm_template_is_not_checked_and_passes_no_clause(tmp_path):
    """probe20 min/09: a chart's template is skipped (a note); it was counted as a checked file
    and every clause read Pass. Now it is listed with the files not assessed, and each clause its
    rules would cover names it and is Not assessed (nothing else of its languages was read)."""
    root = write_tree(tmp_path / "r", CHART)
    proc = run_cli(["check", "--output-format", "markdown"], cwd=root)
    report = proc.stdout
    assert proc.returncode == 0  # a note does not change the exit code
    assert "- **Files checked:** 0 (none)\n- **Files skipped:** 1 (Kubernetes: 1)\n" in report
    assert ": Pass" not in report and ": Not fully assessed" not in report
    # Nothing met, nothing broken: the headline does not say all is met (probe21tf).
    assert "**No clause could be fully assessed: 0 open findings" in report
    # probe36: a skip is by design, not a failure to read ("could not be fully checked").
    assert (
        "## Files skipped\n\nThese files were not assessed; they are not "
        "reported as compliant.\n\n- `chart/templates/deployment.yaml`: "
    ) in report
    section = report[report.index("### DHP-1.2 ") : report.index("### DHP-1.3 ")]
    assert section.startswith("### DHP-1.2 Encryption in transit: Not assessed\n")
    assert "Not assessed in 1 skipped file: `chart/templates/deployment.yaml`." in section
    # DHP-3.5 (logs) has no Kubernetes rule: the template is not named there.
    section = report[report.index("### DHP-3.5 ") : report.index("## DHP-4 ")]
    assert "skipped file" not in section
    text = run_cli(["check"], cwd=root).stdout
    assert "No findings in 0 files checked; 1 file skipped." in text
    assert run_cli(["check", "-f", "json"], cwd=root).stdout.count('"files": 0') == 1


def test_a_clause_clean_on_the_files_read_but_with_a_skipped_template_is_not_fully_assessed(
    tmp_path,
):
    """With a rendered manifest read beside the template, the Kubernetes clauses are clean on
    what was read: Not fully assessed, not Pass; a Python-only clause still passes."""
    rendered = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gw\ndata:\n  LEVEL: info\n"
    files = {**CHART, "deploy/gw.yaml": rendered, "etl.py": "import logging\nlogging.info('ok')\n"}
    root = write_tree(tmp_path / "r", files)
    report = run_cli(["check", "--output-format", "markdown"], cwd=root).stdout
    assert "- **Files checked:** 2 (Kubernetes: 1, Python: 1)\n" in report
    assert "### DHP-1.2 Encryption in transit: Not fully assessed\n" in report
    assert "## DHP-1 Security of personal data: Not fully assessed\n" in report
    assert "### DHP-3.5 No identifiers in logs: Pass\n" in report
    page = run_cli(["check", "--output-format", "html"], cwd=root).stdout
    assert '<span class="status partial">Not fully assessed</span>' in page
    assert "<dt>Files skipped</dt><dd>1 (Kubernetes: 1)</dd>" in page
    assert "Not assessed in 1 skipped file: <code>chart/templates/deployment.yaml</code>." in page
    assert "<li><code>chart/templates/deployment.yaml</code>: skipped: Helm chart" in page
    # Without the template, the same tree passes.
    (root / "chart/templates/deployment.yaml").unlink()
    report = run_cli(["check", "--output-format", "markdown"], cwd=root).stdout
    assert "### DHP-1.2 Encryption in transit: Pass\n" in report
    assert "skipped file" not in report and "Files skipped" not in report


def test_the_report_text_of_every_rule_keeps_its_code_spans_whole():
    """probe20 #13: DH340's "Why it matters" showed `classification. retention_annotation`, a
    code span wrapped across a line of the YAML."""
    from dhlint.catalog import load_catalog
    from dhlint.report.compliance import _md, _why

    broken = [
        (rule.id, span)
        for rule in load_catalog()
        for text in (_why(rule), _md(rule.remediation))
        for span in re.findall(r"`([^`]*)`", text)
        if re.search(r"\w\. \w", span) or span != span.strip()
    ]
    assert broken == []


# How a rule decides (what it reads, links or skips, its parameters) belongs in the rest of the
# rationale: "Why it matters" is read by a privacy officer, not by the engineer who tunes dhlint.
_MECHANICS = re.compile(
    r"\bdhlint (?:recognises|judges|requires|reads|reports|cannot see|traced)\b"
    r"|\b[Tt]he rule (?:reads|runs|judges|takes)\b|\brule parameter\b"
    r"|\b(?:is|are) (?:not )?judged\b|\bJudged:|\bscanned tree\b|\bprovider[- ]v\d|\bby reference\b"
    r"|`(?:encryption|retention|classification)\.[a-z_]+`"
    r"|`(?:approved_[a-z_]+|location_decimals|k_anonymity|required_class)`"
)


def test_why_it_matters_leaves_how_the_rule_decides_to_the_rest_of_the_rationale():
    """s21: the first paragraphs of DH101, DH890, DH642, DH302, DH305 and DH440 (and others) told
    the officer which Terraform blocks dhlint links, its rule parameters or what it reads."""
    from dhlint.catalog import load_catalog
    from dhlint.report.compliance import _why

    # The pattern catches what those paragraphs said before.
    for before in (
        "dhlint recognises both the provider-v3 inline block",
        "The class each identifier category needs is a rule parameter (`required_class`)",
        "The rule reads every document of the scanned tree",
        "dhlint requires an expiry of every object",
        "dhlint judges CloudWatch log groups",
        "(found through the Service's selector, in any document of the scanned tree)",
        "For the classes in the policy's `encryption.customer_key_for` the City must hold the key",
        "Streams fed from an encrypted Kinesis stream are not judged.",
    ):
        assert _MECHANICS.search(before), before
    # Plain words about the policy and the law pass.
    for plain in (
        "The city's policy (DHP-3.4) sets k; the default, 11, is the small-cell rule",
        "A suppression that names a rule id dhlint does not know silences nothing",
        "Exceptions to the data-handling policy are reviewed and expire.",
    ):
        assert not _MECHANICS.search(plain), plain

    rules = load_catalog()
    mechanics = [(r.id, m.group(0)) for r in rules for m in _MECHANICS.finditer(_why(r))]
    assert mechanics == []
    # Nothing was lost: the whole rationale (dhlint explain, the docs) still says how.
    rationale = {r.id: " ".join(r.rationale.split()) for r in rules}
    assert "dhlint recognises both the provider-v3 inline" in rationale["DH101"]
    assert "rule parameter (`required_class`)" in rationale["DH890"]
    assert "The rule reads every document of the scanned tree" in rationale["DH642"]


def test_cross_rules_remediation_names_each_providers_fix():
    """probe20 #13: DH990 and DH390 led with the AWS resource for an Azure or GCS target."""
    from dhlint.catalog import load_catalog, rules_by_id

    rules = rules_by_id(load_catalog())
    for rule_id, fixes in (
        ("DH990", ("aws_s3_bucket_logging", "`logging`", "azurerm_monitor_diagnostic_setting")),
        (
            "DH390",
            (
                "aws_s3_bucket_lifecycle_configuration",
                "`lifecycle_rule`",
                "azurerm_storage_management_policy",
            ),
        ),
    ):
        text = rules[rule_id].remediation
        assert all(f in text for f in fixes), (rule_id, text)
        assert "(AWS S3)" in text and "(GCS)" in text and "(Azure storage)" in text


def test_a_parent_clause_passes_only_when_all_its_sub_clauses_were_assessed(tmp_path):
    """ux2 #5: with one Python file, DHP-1 read Pass while 3 of its 4 sub-clauses (Terraform
    and Kubernetes only) were never assessed."""
    root = write_tree(tmp_path / "r", {"a.py": "x = 1\n"})
    report = run_cli(["check", "--output-format", "markdown"], cwd=root).stdout
    assert "## DHP-1 Security of personal data: Not fully assessed\n" in report
    assert "### DHP-1.2 Encryption in transit: Pass\n" in report
    # DH760 judges every Python file: DHP-1.4 is assessed (since DH760)
    assert "### DHP-1.4 Credentials are kept secret: Pass\n" in report
    # DHP-1.3 is assessed on Python code too (DH460, DH461)
    assert "### DHP-1.3 No public exposure: Pass\n" in report
    assert (
        "1 of its 4 sub-clauses not assessed (DHP-1.1): the files checked "
        "hold nothing their rules judge."
    ) in report
    assert "## DHP-3 Minimisation and de-identification: Pass\n" in report  # all assessed
    # Not assessed as a whole: the parent says so once, not child by child.
    section = report[report.index("## DHP-2 ") : report.index("## DHP-3 ")]
    assert section.startswith("## DHP-2 Retention and disposal: Not assessed\n")
    assert "sub-clauses not assessed" not in section
    assert "**All assessed clauses are met: 0 open findings, 0 documented exceptions.**" in report
    assert "Checked by 1 rule: DH563 " in report  # as the HTML page says it


def test_findings_in_a_baseline_are_known_and_their_clause_is_not_met(tmp_path):
    """ux2 #1: with --baseline every clause read Pass, '0 open findings', and no report said
    a baseline held findings."""
    bucket = 'resource "aws_s3_bucket" "raw" {\n  bucket = "kc-raw"\n}\n'
    root = write_tree(tmp_path / "r", {"main.tf": bucket})
    run_cli(["check", "--write-baseline", "b.json", "."], cwd=root)
    args = ["check", "--baseline", "b.json", "--select", "DH101,DH402", "."]
    text = run_cli(args, cwd=root)
    assert text.returncode == 0 and "2 in the baseline" in text.stdout
    report = run_cli([*args, "-f", "markdown"], cwd=root).stdout
    assert (
        "**3 policy clauses not met: 0 open findings and 2 known findings recorded in the "
        "baseline, 0 documented exceptions.**"
    ) in report
    assert "### DHP-1.1 Encryption at rest: Fail\n" in report
    assert "(DH101; known: recorded in the baseline)" in report
    page = run_cli([*args, "-f", "html"], cwd=root).stdout
    assert "DH101 s3-bucket-unencrypted · known: recorded in the baseline" in page
    assert '"baselined": 2' in run_cli([*args, "-f", "json"], cwd=root).stdout
    assert '"baselined": 2' in run_cli([*args, "-f", "sarif"], cwd=root).stdout


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_report_links_lead_to_the_files_from_where_the_report_is_written(tmp_path, fmt):
    # ux2 #9: links were relative to the repository root (etl/a.py#L2), so a report written
    # elsewhere (-o /tmp/report.html) or in a sub-directory linked to files that are not there.
    root = write_tree(tmp_path / "repo", {"etl/a.py": CODE})
    link = re.compile(r'href="([^"#]+)#L2"' if fmt == "html" else r"\]\(([^)#]+)#L2\)")
    outputs = {
        "stdout": None,
        "at the root": root / "report.out",
        "in a sub-directory": root / "docs" / "compliance" / "report.out",
        "outside the root": tmp_path / "elsewhere" / "report.out",
    }
    written = {}
    for where, out in outputs.items():
        args = ["check", "-f", fmt] + (["-o", str(out)] if out else [])
        proc = run_cli(args, cwd=root)
        text = out.read_text() if out else proc.stdout
        (written[where],) = set(link.findall(text))
        directory = out.parent if out else root
        assert (directory / written[where]).resolve() == root / "etl" / "a.py", where
    assert written == {
        "stdout": "etl/a.py",
        "at the root": "etl/a.py",
        "in a sub-directory": "../../etl/a.py",
        "outside the root": "../repo/etl/a.py",
    }
    # A relative -o is read from the working directory, as the file is written.
    run_cli(["check", "-f", fmt, "-o", "../../elsewhere/r2.out"], cwd=root / "etl")
    assert set(link.findall((tmp_path / "elsewhere" / "r2.out").read_text())) == {
        "../repo/etl/a.py"
    }


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: counts, labels: {data-classification: internal}}
spec:
  template:
    metadata: {labels: {data-classification: internal}}
    spec:
      containers:
        - name: counts
          image: registry.example.gov/counts:1.0
"""

API_SERVER = """\
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.30.2
      command:
        - /usr/local/bin/kube-apiserver
        - --audit-log-path=/var/log/kubernetes/audit.log
        - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
        - --audit-log-maxage=400
"""


def _section(report: str, heading: str) -> str:
    start = report.index(heading)
    end = report.find("\n#", start + len(heading))
    return report[start : end if end > 0 else len(report)]


def test_a_clause_whose_rules_found_nothing_of_their_kinds_to_judge_is_not_assessed(tmp_path):
    """probe22 #15: a Kubernetes tree without an API server read "Audit logging: Pass", though
    its only rule for manifests (DH940) judges the API server's flags and had nothing to judge."""
    root = write_tree(tmp_path / "r", {"k8s/deploy.yaml": DEPLOYMENT})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    audit = _section(report, "### DHP-5.2 ")
    assert audit.startswith("### DHP-5.2 Audit logging: Not assessed\n")
    assert "the files checked hold none of what its rules judge (`kube-apiserver`)" in audit
    assert "## DHP-5 Accountability: Not fully assessed\n" in report
    retention = _section(report, "### DHP-2.1 ")
    assert "Not assessed: the files checked hold none of what its rules judge " in retention
    assert (
        "(`PersistentVolumeClaim`, `StatefulSet`, `KafkaTopic (kafka.strimzi.io)`, "
        "`Kafka (kafka.strimzi.io)`, `Cluster (postgresql.cnpg.io)`)"
    ) in retention
    # A rule that judged the Deployment is listed as checking; the others of the clause apart.
    at_rest = _section(report, "### DHP-1.1 ")
    assert at_rest.startswith("### DHP-1.1 Encryption at rest: Pass\n")
    assert "Checked by 1 rule: DH141 " in at_rest
    assert "2 more rules had nothing to judge in the files checked: DH140 " in at_rest
    assert "DH142 API server without encryption of Secrets at rest." in at_rest
    page = run_cli(["check", "--output-format", "html", "--no-cache"], cwd=root).stdout
    assert "the files checked hold none of what its rules judge (<code>kube-apiserver</code>)" in (
        page
    )
    assert "2 more rules had nothing to judge in the files checked: DH140 " in page

    # With the API server's manifest (compliant audit flags), the clause is judged and met.
    write_tree(root, {"k8s/kube-apiserver.yaml": API_SERVER})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    audit = _section(report, "### DHP-5.2 ")
    assert audit.startswith("### DHP-5.2 Audit logging: Pass\n"), audit
    assert "Checked by 1 rule: DH940 " in audit and "nothing to judge" not in audit


_CLASS = """\
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: {name}
provisioner: {provisioner}
parameters:
  encrypted: "true"
"""
_CNPG = """\
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: cad-db
spec:
  backup:
    retentionPolicy: 30d
    barmanObjectStore:
      endpointURL: https://minio.cad.svc:9000
"""
# Cluster API's Cluster: the same kind as CloudNativePG's, in another group no rule reads.
_CAPI = """\
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: edge
"""
_ARGO_APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: cad
  namespace: argocd
"""


def test_storage_classes_dh140_does_not_judge_and_unread_custom_resources(tmp_path):
    """probe30 min/11: Ceph and local-path classes made "DHP-1.1 Encryption at rest: Pass"
    with DH140 under "Checked by", though DH140 judges only the provisioners it knows; and
    operator resources no rule reads were not named. A custom kind a rule reads with its
    group (CloudNativePG's Cluster, DH240 and DH341) is not named; the same kind of another
    group (Cluster API's) is."""
    files = {
        "k8s/ceph.yaml": _CLASS.format(name="fast", provisioner="rook-ceph.rbd.csi.ceph.com"),
        "k8s/local.yaml": _CLASS.format(name="local", provisioner="rancher.io/local-path"),
        "k8s/cnpg.yaml": _CNPG,
        "k8s/capi.yaml": _CAPI,
        "k8s/app.yaml": _ARGO_APP,
    }
    root = write_tree(tmp_path / "r", files)
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    at_rest = _section(report, "### DHP-1.1 ")
    assert at_rest.startswith("### DHP-1.1 Encryption at rest: Not assessed\n"), at_rest
    assert "(`StorageClass` of a provisioner DH140 judges, `Pod`," in at_rest
    assert "Not assessed: StorageClasses of provisioners DH140 does not judge " in at_rest
    assert "(`rancher.io/local-path`, `rook-ceph.rbd.csi.ceph.com`)." in at_rest
    assert "Checked by" not in at_rest
    assert (
        "- **Not assessed:** 2 kinds of custom resource that no rule reads: `Application` "
        "(argoproj.io), `Cluster` (cluster.x-k8s.io). No clause assesses their settings"
    ) in report
    page = run_cli(["check", "--output-format", "html", "--no-cache"], cwd=root).stdout
    assert "<dt>Not assessed</dt><dd>2 kinds of custom resource that no rule reads: " in page
    assert "<code>Cluster</code> (cluster.x-k8s.io)" in page
    assert "postgresql.cnpg.io" not in page.split("<dt>Not assessed</dt>", 1)[1][:400]
    # CloudNativePG's Cluster is judged: DHP-2.1 (DH341, its backups' retention) checked it.
    assert "Checked by 1 rule: DH341 " in _section(report, "### DHP-2.1 ")

    # With a class DH140 judges (encrypted): judged and met, the others still named.
    write_tree(root, {"k8s/ebs.yaml": _CLASS.format(name="gp3", provisioner="ebs.csi.aws.com")})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    at_rest = _section(report, "### DHP-1.1 ")
    assert at_rest.startswith("### DHP-1.1 Encryption at rest: Not fully assessed\n"), at_rest
    assert "Checked by 1 rule: DH140 " in at_rest
    assert "(`rancher.io/local-path`, `rook-ceph.rbd.csi.ceph.com`)." in at_rest

    # Longhorn is judged since h3 (encrypted: "true" here): met, not named as unjudged.
    longhorn = tmp_path / "longhorn"
    write_tree(longhorn, {"sc.yaml": _CLASS.format(name="lh", provisioner="driver.longhorn.io")})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=longhorn).stdout
    at_rest = _section(report, "### DHP-1.1 ")
    assert "Checked by 1 rule: DH140 " in at_rest and "does not judge" not in at_rest

    # Only classes it judges and built-in objects: met, nothing named as unread.
    only = tmp_path / "only"
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: cad}\n"
    ebs = _CLASS.format(name="gp3", provisioner="ebs.csi.aws.com")
    write_tree(only, {"ebs.yaml": ebs, "deploy.yaml": DEPLOYMENT, "ns.yaml": namespace})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=only).stdout
    at_rest = _section(report, "### DHP-1.1 ")
    assert at_rest.startswith("### DHP-1.1 Encryption at rest: Pass\n"), at_rest
    assert "Checked by 2 rules: DH140 " in at_rest and "does not judge" not in at_rest
    assert "Not assessed:**" not in report


def test_what_a_rule_judges_counts_only_in_the_files_checked(tmp_path):
    """A file read only as context (the rest of a module, on a pre-commit run) makes no rule of
    the report judge something: the report is about the files named. From the cache too."""
    root = write_tree(
        tmp_path / "r",
        {
            "tf/queue.tf": 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n',
            "tf/logs.tf": (
                'resource "aws_cloudwatch_log_group" "audit" {\n'
                '  name              = "audit"\n'
                "  retention_in_days = 3653\n"
                "}\n"
            ),
        },
    )
    cache = ["--cache-dir", str(tmp_path / "cache")]
    named = ["check", "--output-format", "markdown", *cache, "tf/queue.tf"]
    for _run in ("cold", "warm"):
        report = run_cli(named, cwd=root).stdout
        minimum = _section(report, "### DHP-2.2 ")
        assert minimum.startswith("### DHP-2.2 Minimum retention of records and audit logs: Not")
    for _run in ("cold", "warm"):
        report = run_cli(["check", "--output-format", "markdown", *cache, "tf"], cwd=root).stdout
        minimum = _section(report, "### DHP-2.2 ")
        assert minimum.startswith("### DHP-2.2 Minimum retention of records and audit logs: Pass")


# Good examples that show what to use instead of what the rule judges: nothing for it to judge.
_NOTHING_TO_JUDGE = {("DH744", 0)}  # an ExternalSecret instead of a Secret


def test_every_example_holds_what_its_rule_judges(tmp_path):
    """A rule's ``resources`` (or control-plane ``components``) are what the report takes it to
    judge: each of its examples, bad or good, must hold one, or the report would call a clause
    not assessed where the rule did judge (and fire on) a resource of a kind it does not list."""
    from dhlint.catalog import load_catalog
    from dhlint.engine import CheckOptions, run_check
    from dhlint.report.compliance import _judges

    missed = []
    for rule in load_catalog():
        if not rule.resources:
            continue
        for kind, examples in (("bad", rule.bad), ("good", rule.good)):
            for index, example in enumerate(examples):
                if (rule.id, index) in _NOTHING_TO_JUDGE and kind == "good":
                    continue
                root = write_tree(tmp_path / f"{rule.id}-{kind}{index}", example.files,
                                  example.policy or None)  # fmt: skip
                result = run_check(CheckOptions(cwd=str(root), jobs=1))
                if not _judges(rule, result.subjects):
                    missed.append((rule.id, kind, index, sorted(result.subjects)))
    assert not missed


def test_only_exceptions_in_force_are_listed_and_counted(tmp_path):
    """probe25 #12: a comment that silences nothing (DH004) and one that expired (DH003) were
    listed as documented exceptions of their clauses ("expires 2024-01-31" for one that had),
    while the headline counted none. They are findings of DHP-5.3; only a comment that sets a
    finding aside is an exception, and the headline counts those comments."""
    code = (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "def f(row):\n"
        '    # dhlint: ignore[DH261] reason="sandbox"\n'
        "    log.info(row['email'])\n"
        "    log.info(row['phone'])  # dhlint: ignore[DH565] reason=\"old\" until=2024-01-31\n"
        "    log.info(row['email']); log.info(row['phone'])"
        '  # dhlint: ignore[DH565] reason="test tenant"\n'
    )
    root = write_tree(tmp_path / "r", {"etl.py": code})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    assert "4 open findings, 1 documented exception setting aside 2 findings.**" in report
    logs = _section(report, "### DHP-3.5 ")
    assert "- `etl.py:7` DH565: test tenant" in logs
    assert "etl.py:6` DH565" not in logs and "2024-01-31" not in logs
    assert "etl.py:4" not in _section(report, "### DHP-1.2 ")
    accountability = _section(report, "### DHP-5.3 ")
    assert "\nDocumented exceptions:" not in accountability
    assert "`etl.py:4`" in accountability and "`etl.py:6`" in accountability  # DH004, DH003
    page = run_cli(["check", "--output-format", "html", "--no-cache"], cwd=root).stdout
    assert "1 documented exception setting aside 2 findings" in page
    assert "test tenant" in page and "sandbox" not in page and "2024-01-31" in page  # DH003's


def test_the_unchecked_files_heading_says_whether_a_file_was_skipped_or_failed(tmp_path):
    """probe36: a skipped Helm template was listed under "Files that could not be fully
    checked", which reads as a failure; a file that did not parse is one."""
    tree = {**CHART, "etl/broken.py": "def f(:\n", "etl/ok.py": "x = 1\n"}
    report = run_cli(["check", "--output-format", "markdown"], cwd=write_tree(tmp_path / "r", tree))
    assert "## Files skipped or not fully checked\n" in report.stdout
    assert "- `etl/broken.py`: " in report.stdout
    report = run_cli(
        ["check", "--output-format", "markdown"],
        cwd=write_tree(tmp_path / "p", {"etl/broken.py": "def f(:\n"}),
    )
    assert "## Files that could not be fully checked\n" in report.stdout


def test_terraform_data_services_no_rule_reads_are_named(tmp_path):
    """probe40 P9 (min/09): EMR, Glue, MWAA, Lake Formation and Transfer Family resources
    were in the files checked and no rule read them, yet the report named only Kubernetes
    custom kinds as not assessed: it read as complete. Data services' types no rule reads are
    named; a store's companion the model reads with it (an account's customer-managed key),
    infrastructure (a role, a subnet group) and users (credentials are judged everywhere) are
    not; nor is MWAA since DH121 reads it."""
    tf = """
resource "aws_mwaa_environment" "airflow" {
  name                  = "epi"
  webserver_access_mode = "PUBLIC_ONLY"
}
resource "aws_sagemaker_domain" "studio" {
  domain_name = "epi"
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name = "epi"
}
resource "aws_s3_bucket" "lake" {
  bucket = "epi-lake"
}
resource "aws_s3_bucket_policy" "lake" {
  bucket = aws_s3_bucket.lake.id
  policy = "{}"
}
resource "aws_db_subnet_group" "db" {
  name = "epi"
}
resource "aws_iam_role" "r" {
  name = "epi"
}
resource "google_sql_user" "u" {
  name = "epi"
}
resource "azurerm_storage_account_customer_managed_key" "k" {
  storage_account_id = "x"
}
"""
    root = write_tree(tmp_path / "r", {"main.tf": tf})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    assert (
        "- **Not assessed:** 2 Terraform resource types of data services that no rule reads: "
        "`aws_sagemaker_domain`, `aws_sagemaker_notebook_instance`. No clause assesses their "
        "settings"
    ) in report
    page = run_cli(["check", "--output-format", "html", "--no-cache"], cwd=root).stdout
    assert "<dt>Not assessed</dt><dd>2 Terraform resource types of data services " in page
    # with custom kinds no rule reads as well: both named
    write_tree(root, {"app.yaml": _ARGO_APP})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    assert (
        "(argoproj.io). No clause assesses their settings (where an operator's database, Kafka "
        "cluster or object store sets its storage, TLS, backups and retention). 2 Terraform"
    ) in report


def test_grants_to_call_a_service_no_rule_reads_are_named(tmp_path):
    """probe42 #9 (min/07): an allUsers run.invoker grant on a Cloud Run service was silent,
    the report not naming it either. No clause judges it (the Terraform does not say whether
    the service serves personal data, and a public API is often intended): the report names
    the grant types of the files checked as not assessed. Since probe50, DH408 judges the
    _iam_member and _iam_binding grants (public invokers): only the _iam_policy forms, which
    no rule reads, are named."""
    tf = """
resource "google_cloud_run_v2_service" "api" {
  name     = "driver-api"
  location = "us-central1"
  ingress  = "INGRESS_TRAFFIC_ALL"
  template {
    containers {
      image = "us-docker.pkg.dev/p/ev/driver-api:1"
    }
  }
}
resource "google_cloud_run_v2_service_iam_member" "public" {
  name     = google_cloud_run_v2_service.api.name
  location = "us-central1"
  role     = "roles/run.invoker"
  member   = "allUsers"
}
resource "google_cloudfunctions2_function_iam_binding" "hook" {
  cloud_function = "hook"
  role           = "roles/cloudfunctions.invoker"
  members        = ["allUsers"]
}
resource "google_cloud_run_v2_service_iam_policy" "p" {
  name        = google_cloud_run_v2_service.api.name
  policy_data = "{}"
}
resource "google_cloudfunctions2_function_iam_policy" "q" {
  cloud_function = "hook"
  policy_data    = "{}"
}
"""
    root = write_tree(tmp_path / "r", {"main.tf": tf})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    assert (
        "- **Not assessed:** 2 Terraform resource types that grant the right to call a "
        "service, which no rule reads: `google_cloud_run_v2_service_iam_policy`, "
        "`google_cloudfunctions2_function_iam_policy`. No clause assesses who may call these "
        "services"
    ) in report
    # a Cloud Run service alone (its environment is read by DH210/DH605): nothing named
    write_tree(root, {"main.tf": tf.split("resource", 2)[1].join(("resource", ""))})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    assert "grant the right to call" not in report and "grants the right" not in report


def test_a_pass_of_rules_that_read_every_file_says_what_it_does_not_say(tmp_path):
    """probe41 #14: DHP-3.3 (generalised location) read "Pass" in a repository with no
    coordinates anywhere: its rules (DH563 on Python, DH581 on data files) have no resources
    to look for, and dhlint does not record whether the code held any location. The status
    stays Pass (its word is kept), and the section says what that Pass does not say; a Pass
    of rules that found resources of their kinds gets no such note."""
    files = {"etl.py": "import logging\nlogging.info('ok')\n", "k8s/deploy.yaml": DEPLOYMENT}
    root = write_tree(tmp_path / "r", files)
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    location = _section(report, "### DHP-3.3 ")
    assert location.startswith("### DHP-3.3 Generalised location: Pass\n"), location
    assert (
        "No finding. Its rules read every Python file checked without recording whether it held "
        "anything they judge: files with nothing of the kind pass as well."
    ) in location
    at_rest = _section(report, "### DHP-1.1 ")
    assert at_rest.startswith("### DHP-1.1 Encryption at rest: Pass\n")
    assert "No finding." not in at_rest
    page = run_cli(["check", "--output-format", "html", "--no-cache"], cwd=root).stdout
    assert "<p>No finding. Its rules read every Python file checked without recording" in page


def test_mail_messaging_api_location_and_sign_in_services_no_rule_reads_are_named(tmp_path):
    """probe43 P6: SES, Pinpoint, API Gateway, Location Service and Cognito resources carry
    residents' personal data (mail, texts, requests, device positions, contact details) and
    were not named as not assessed. Those no rule reads are now; those DH214, DH215 and DH570
    read are not, and neither are an API's paths and deployments (they hold no setting about
    data)."""
    tf = """
resource "aws_ses_configuration_set" "alerts" {
  name = "kc-alerts"
  delivery_options {
    tls_policy = "Require"
  }
}
resource "aws_ses_receipt_rule" "inbox" {
  name          = "kc-inbox"
  rule_set_name = "kc"
}
resource "aws_pinpoint_app" "alerts" {
  name = "kc-alerts"
}
resource "aws_api_gateway_rest_api" "signup" {
  name = "kc-signup"
}
resource "aws_api_gateway_resource" "signup" {
  rest_api_id = "abc"
  parent_id   = "def"
  path_part   = "signup"
}
resource "aws_api_gateway_domain_name" "signup" {
  domain_name     = "signup.kc.gov"
  security_policy = "TLS_1_2"
}
resource "aws_location_tracker" "vans" {
  tracker_name = "kc-vans"
}
resource "aws_cognito_user_pool" "residents" {
  name = "kc-residents"
}
"""
    root = write_tree(tmp_path / "r", {"main.tf": tf})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    assert (
        "- **Not assessed:** 5 Terraform resource types of data services that no rule reads: "
        "`aws_api_gateway_rest_api`, `aws_cognito_user_pool`, `aws_location_tracker`, "
        "`aws_pinpoint_app`, `aws_ses_receipt_rule`. No clause assesses their settings"
    ) in report


def test_services_whose_prefix_runs_past_the_service_word_are_named(tmp_path):
    """probe44 P7 (min/02), probe45 08: Timestream's, OpenSearch Serverless's and MSK
    Connect's types (timestreamwrite_, opensearchserverless_, mskconnect_), Keyspaces, IoT Hub
    and Application Insights were not named as not assessed. They are now (Application Insights
    and a Timestream table no longer: DH301 and DH302 judge their retention); an Application
    Insights web test or workbook (no data of its own) is not."""
    tf = """
resource "aws_timestreamwrite_database" "telemetry" {
  database_name = "bus_telemetry"
}
resource "aws_timestreamwrite_table" "positions" {
  database_name = "bus_telemetry"
  table_name    = "bus_positions"
}
resource "aws_opensearchserverless_collection" "search" {
  name = "rides"
}
resource "aws_mskconnect_connector" "sink" {
  name = "rides-sink"
}
resource "aws_keyspaces_table" "t" {
  keyspace_name = "k"
  table_name    = "t"
}
resource "azurerm_iothub" "edge" {
  name = "kc-edge"
}
resource "azurerm_application_insights" "functions" {
  name             = "kc-functions"
  application_type = "web"
}
resource "azurerm_application_insights_standard_web_test" "ping" {
  name = "ping"
}
"""
    root = write_tree(tmp_path / "r", {"main.tf": tf})
    report = run_cli(["check", "--output-format", "markdown", "--no-cache"], cwd=root).stdout
    assert (
        "- **Not assessed:** 5 Terraform resource types of data services that no rule reads: "
        "`aws_keyspaces_table`, `aws_mskconnect_connector`, "
        "`aws_opensearchserverless_collection`, `aws_timestreamwrite_database`, "
        "`azurerm_iothub`. No clause assesses their settings"
    ) in report
