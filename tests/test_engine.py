"""Engine: parallel and serial runs agree, the cache is exact, limits are reported."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from dhlint.engine import CheckOptions, run_check
from tests.conftest import FIXTURES, REPO, run_cli, write_tree

K8S = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n"
    "    image: x\n    env:\n    - name: DB_PASSWORD\n      value: hunter2\n"
)
NO_REASON = "x = 1  # dhlint: ignore[DH002]\n"


def test_jobs_1_and_4_give_identical_output_on_fixtures():
    outputs = {
        jobs: run_cli(["check", "-f", "sarif", "--no-cache", "--jobs", str(jobs), "fixtures"], REPO)
        for jobs in (1, 4)
    }
    assert outputs[1].returncode == outputs[4].returncode
    assert outputs[1].stdout == outputs[4].stdout
    assert json.loads(outputs[1].stdout)["runs"][0]["results"]


def test_pool_is_used_and_agrees_with_serial(make_repo):
    files = {f"etl/job{i:02}.py": NO_REASON for i in range(12)}
    files["k8s/pod.yaml"] = K8S
    root = make_repo(files)
    serial = run_check(CheckOptions(cwd=str(root), jobs=1))
    pooled = run_check(CheckOptions(cwd=str(root), jobs=3))
    assert [(f.rule_id, f.location) for f in serial.findings] == [
        (f.rule_id, f.location) for f in pooled.findings
    ]
    assert any(f.rule_id == "DH740" for f in pooled.findings)


def test_pool_tasks_keep_a_packages_python_files_together():
    # Each worker keeps the modules it read (python_imports): a package's files handed out
    # one by one went to every worker, which all read its modules.
    from dhlint.types import SourceFile
    from dhlint.units import Unit, _tasks

    def unit(language, path, size):
        return Unit(language, (SourceFile(path, "/r/" + path, language, "x" * size),))

    units = [unit("kubernetes", "k8s/pod.yaml", 50)]
    units += [unit("python", f"{pkg}/m{i}.py", 10) for pkg in ("a", "b") for i in range(8)]
    units.append(unit("terraform", "main.tf", 500))
    tasks = _tasks(units, workers=2)
    assert sorted(k for task in tasks for k in task) == list(range(len(units)))
    assert tasks[0] == [17] and [0] in tasks  # other languages: one a task, biggest first
    python = [task for task in tasks if units[task[0]].language == "python"]
    assert len(python) == 8  # four runs per worker
    assert all(task == list(range(task[0], task[0] + len(task))) for task in python)
    assert all(len({units[k].files[0].path[0] for k in task}) == 1 for task in python)


def test_cache_hits_and_invalidation(make_repo, tmp_path):
    root = make_repo({"k8s/pod.yaml": K8S, "k8s/other.yaml": K8S.replace("name: p", "name: q")})
    cache_dir = str(tmp_path / "cache")

    def run(**kw):
        return run_check(CheckOptions(cwd=str(root), cache=True, cache_dir=cache_dir, **kw))

    cold = run()
    warm = run()
    assert cold.cache.misses == 1 and warm.cache.hits == 1 and warm.cache.misses == 0
    assert [(f.rule_id, f.location, f.message) for f in cold.findings] == [
        (f.rule_id, f.location, f.message) for f in warm.findings
    ]
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert entries and all(json.loads(p.read_text())["format"] == 5 for p in entries)
    # a changed file, a changed policy and a changed rule selection are all misses
    (root / "k8s" / "pod.yaml").write_text(K8S.replace("hunter2", "hunter3"))
    assert run().cache.misses == 1
    (root / "dhlint.yaml").write_text("severity:\n  DH740: low\n")
    changed = run()
    assert changed.cache.misses == 1
    assert {f.severity for f in changed.findings if f.rule_id == "DH740"} == {"low"}
    assert run(select=["DH740"]).cache.misses == 1  # another rule set
    assert run(ignore=["DH001"]).cache.misses == 0  # tool rules run after the units


def test_a_file_read_beyond_many_units_is_hashed_once_a_run(make_repo, tmp_path, monkeypatch):
    """Every entry of a file that imports config.py re-checks config.py's digest: hashed once
    a run (the bench corpus's entries named 5,837 files 34,095 times), and still each run, so
    an edit between runs is seen by every entry that read it."""
    import dhlint.cache

    job = "import requests\nfrom config import URL\n\n\ndef ping(payload):\n"
    job += "    requests.post(URL, json=payload)\n"
    files = {f"job{i}.py": job for i in range(4)}
    root = make_repo({"config.py": "URL = 'http://api.city.gov/x'\n", **files})
    hashed: list[str] = []
    real = dhlint.cache.file_digest
    monkeypatch.setattr(dhlint.cache, "file_digest", lambda path: hashed.append(path) or real(path))
    options = CheckOptions(cwd=str(root), cache=True, cache_dir=str(tmp_path / "c"), jobs=1)

    def cleartext(result) -> list[str]:
        return sorted(f.location.path for f in result.active if f.rule_id == "DH260")

    assert cleartext(run_check(options)) == sorted(files)
    hashed.clear()
    warm = run_check(options)
    assert warm.cache.hits == 5 and cleartext(warm) == sorted(files)
    config = str(root / "config.py")
    assert hashed.count(config) == 1 and len(hashed) == len(set(hashed))
    (root / "config.py").write_text("URL = 'https://api.city.gov/x'\n", encoding="utf-8")
    edited = run_check(options)
    assert edited.cache.hits == 0 and cleartext(edited) == []
    assert run_check(options).cache.hits == 5


def test_cached_findings_round_trip_and_a_broken_entry_is_a_miss(tmp_path):
    """Findings are stored as lists (format 5): every member comes back, the optional ones
    (related and flow, a vendor finding's hosts and args) whether given or not; an entry
    whose findings are not such lists is a miss, never a crash."""
    from dhlint.cache import Cache, finding_from_data, finding_to_data
    from dhlint.types import Finding, HostPart, Location, Related
    from dhlint.units import UnitResult

    here = Location("etl/job.py", 3, 5, 3, 40)
    there = Related(Location("k8s/job.yaml", 12, 9, 12, 30), "sets API_URL")
    base = Finding("DH740", "error", "high", "a 'message'", here, "run:post", (3, 9))
    findings = [
        base,
        Finding("DH740", "warning", "low", "m", here, "", None, related=(there,)),
        Finding("DH561", "error", "critical", "m", here, "a", (1, 2), flow=(there, there)),
        Finding(
            "DH660", "error", "high", "to x.example", here, "send", None, (there,), (there,),
            hosts=(HostPart("x.example", "https://x.example/a", "from API_URL", (there,)),),
            args={"hosts": "x.example"},
        ),
    ]  # fmt: skip
    for finding in findings:
        stored = json.loads(json.dumps(finding_to_data(finding)))
        assert finding_from_data(stored) == finding
    cache = Cache(tmp_path / "c")
    cache.put("ab" * 32, UnitResult(findings=findings))
    assert cache.get("ab" * 32).findings == findings
    entry = tmp_path / "c" / "ab" / f"{'ab' * 32}.json"
    data = json.loads(entry.read_text())
    assert [len(f) for f in data["findings"]] == [11, 13, 13, 15]  # the optional members
    for broken in ([["DH740", "error"]], [{"rule": "DH740"}], [[*finding_to_data(base), 1]]):
        entry.write_text(json.dumps({**data, "findings": broken}))
        assert cache.get("ab" * 32) is None
    assert (cache.hits, cache.misses) == (1, 3)


def test_a_directory_that_is_not_a_cache_is_never_written_into_or_removed(make_repo, tmp_path):
    """``--cache-dir .`` must not fill a repository with cache entries, and ``dhlint clean``
    removes only a directory dhlint marked as its cache."""
    root = make_repo({"k8s/pod.yaml": K8S})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = run_check(CheckOptions(cwd=str(root), cache=True, cache_dir="."))
    assert any(f.rule_id == "DH740" for f in result.findings)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    refused = run_cli(["clean", "--cache-dir", str(root)], root)
    assert refused.returncode == 2 and "not a dhlint cache" in refused.stderr
    assert (root / "k8s" / "pod.yaml").is_file()
    cache = tmp_path / "cache"
    run_check(CheckOptions(cwd=str(root), cache=True, cache_dir=str(cache)))
    assert (cache / "CACHEDIR.TAG").is_file()
    removed = run_cli(["clean", "--cache-dir", str(cache)], root)
    assert removed.returncode == 0 and not cache.exists()
    # An older cache without the tag: only cache entries in it, so it is one.
    old = tmp_path / "old-cache"
    (old / "ab").mkdir(parents=True)
    (old / "ab" / "ab12.json").write_text("{}")
    assert run_cli(["clean", "--cache-dir", str(old)], root).returncode == 0
    assert not old.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli(["clean", "--cache-dir", str(empty)], root).returncode == 0
    assert not empty.exists()


def test_scanned_tree_is_never_modified():
    def digest() -> dict[str, str]:
        return {
            str(p.relative_to(FIXTURES)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(FIXTURES.rglob("*"))
            if p.is_file()
        }

    before = digest()
    for args in (["check"], ["check", "-f", "sarif"], ["check", "-f", "html"]):
        run_cli([*args, "fixtures"], REPO)
    assert digest() == before
    assert not (FIXTURES / ".dhlint_cache").exists()


def test_slow_unit_is_reported_and_others_still_checked(make_repo, monkeypatch):
    import dhlint.units as units

    real = units.load_builder

    def slow_builder(language):
        builder = real(language)
        if language != "kubernetes":
            return builder

        def build(files, env):
            time.sleep(5)
            return builder(files, env)

        return build

    monkeypatch.setattr(units, "load_builder", slow_builder)
    root = make_repo({"k8s/pod.yaml": K8S, "etl/a.py": NO_REASON})
    result = run_check(CheckOptions(cwd=str(root), jobs=1, timeout=0.3))
    (diag,) = result.diagnostics
    assert diag.path == "k8s/pod.yaml" and diag.kind == "timeout" and "0.3 s" in diag.message
    assert {f.rule_id for f in result.active} == {"DH001", "DH004"}


@pytest.mark.parametrize("mine", [True, False])
def test_the_time_limit_gives_back_the_alarm_handler_it_found(make_repo, mine):
    # Each unit's limit sets its SIGALRM handler (the C function signal.signal wraps, without
    # its enum conversions) and puts back the one it found: a caller's own, or the default.
    import signal

    def handler(signum, frame):
        pass

    before = signal.signal(signal.SIGALRM, handler if mine else signal.SIG_DFL)
    try:
        root = make_repo({"k8s/pod.yaml": K8S, "etl/a.py": NO_REASON})
        result = run_check(CheckOptions(cwd=str(root), jobs=1, timeout=30))
        assert result.active and not result.diagnostics
        assert signal.getsignal(signal.SIGALRM) == (handler if mine else signal.SIG_DFL)
    finally:
        signal.signal(signal.SIGALRM, before)


@pytest.mark.parametrize("strict", [False, True])
def test_strict_turns_unchecked_files_into_exit_2(tmp_path, strict):
    root = write_tree(tmp_path / "r", {"ok.py": "x = 1\n"})
    (root / "latin1.py").write_bytes("n = 'Jos\xe9'\n".encode("latin-1"))
    args = ["check", "--strict"] if strict else ["check"]
    proc = run_cli(args, cwd=root)
    assert proc.returncode == (2 if strict else 1)
    assert "latin1.py: error: not valid UTF-8" in proc.stdout


def test_terraform_only_run_does_not_import_libcst(make_repo):
    # Nor python-hcl2's package, nor ``regex`` (which lark imports for grammars with Unicode
    # categories), nor PyYAML (the catalogue and the default policy are read from their JSON
    # copies), nor lark: the fast HCL parser reads the file (lark only one it leaves).
    root = make_repo({"main.tf": 'resource "aws_s3_bucket" "b" { bucket = "x" }\n'})
    lines = _check_then_imported(root, "main.tf", ("libcst", "hcl2", "regex", "yaml", "lark"))
    assert lines[-1] == "False False False False False", lines
    assert any("DH" in line for line in lines[:-1]), lines  # the file was checked


def _check_then_imported(root, path: str, modules: tuple[str, ...]) -> list[str]:
    """The lines a fresh interpreter prints checking ``path``, the last saying which of
    ``modules`` the run imported (True/False each); its errors when it printed nothing."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom dhlint.cli import main\n"
        f"main(['check', '--no-cache', '-q', {path!r}])\n"
        f"print(*(m in sys.modules for m in {modules!r}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    return proc.stdout.strip().splitlines() or proc.stderr.strip().splitlines() or [""]


def test_the_cli_collects_garbage_less_often_and_run_check_leaves_it_alone(make_repo):
    import subprocess
    import sys

    root = make_repo({"main.tf": 'resource "aws_s3_bucket" "b" { bucket = "x" }\n'})
    code = (
        "import gc\nfrom dhlint.cli import main\n"
        "from dhlint.engine import CheckOptions, run_check\n"
        "run_check(CheckOptions(paths=['main.tf']))\nprint(gc.get_threshold())\n"
        "main(['check', '--no-cache', '-q', 'main.tf'])\nprint(gc.get_threshold())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()  # the findings are printed in between
    library, cli = lines[0], lines[-1]
    assert library == "(700, 10, 10)", proc.stdout + proc.stderr  # Python's defaults
    assert cli == "(500000, 20, 100)"


def test_a_run_imports_libcst_only_for_a_python_file_the_stdlib_parser_refuses(make_repo):
    # The analysis runs on the stdlib tree: libcst only tells a broken file from one in newer
    # syntax than the interpreter's.
    import subprocess
    import sys

    root = make_repo(
        {
            "util.py": "def add(a, b):\n    return a + b\n",
            "report.py": "import logging\nlogging.info('done %d', 3)\n",
            "etl.py": "import requests\nrequests.get('http://tracker.example/x')\n",
            "broken.py": "import requests\ndef f(:\n    requests.get('http://a.example')\n",
        }
    )
    code = (
        "import sys\nfrom dhlint.cli import main\n"
        "main(['check', '--no-cache', '-q', *sys.argv[1:]])\n"
        "print('libcst' in sys.modules)\n"
    )
    runs = ((["util.py", "report.py"], "False"), (["etl.py"], "False"), (["broken.py"], "True"))
    for files, imported in runs:
        proc = subprocess.run(
            [sys.executable, "-c", code, *files], cwd=root, capture_output=True, text=True
        )
        assert proc.stdout.strip().splitlines()[-1] == imported, proc.stdout + proc.stderr


def test_a_python_only_run_does_not_import_the_terraform_model(make_repo):
    # Start-up of a pre-commit run on Python files: the Terraform model is imported only when
    # Terraform is read (own_context took it for a constant).
    root = make_repo({"etl.py": "import requests\nrequests.get('http://tracker.example/x')\n"})
    lines = _check_then_imported(root, "etl.py", ("dhlint.models.terraform_build",))
    assert lines[-1] == "False", lines
    assert any("DH260" in line for line in lines[:-1]), lines  # the file was checked


def test_split_invocations_give_the_same_findings_as_one(tmp_path):
    """pre-commit may split the file list over several invocations."""
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(FIXTURES, root / "fixtures")
    (root / ".git").mkdir()
    files = sorted(
        str(p.relative_to(root))
        for p in (root / "fixtures").rglob("*")
        if p.suffix in (".py", ".tf", ".yaml", ".yml") and "helm-chart" not in str(p)
    )

    def lines(*paths: str) -> set[str]:
        out = run_cli(["check", "--no-cache", "-q", *paths], cwd=root).stdout
        return {line for line in out.splitlines() if ": DH" in line}

    together = lines(*files)
    half = len(files) // 2
    assert together and lines(*files[:half]) | lines(*files[half:]) == together


def test_a_jobs_rule_lists_are_made_once_and_not_pickled():
    import pickle

    from dhlint.analysis import BuildEnv
    from dhlint.catalog import load_catalog
    from dhlint.policy import default_policy
    from dhlint.units import Job, detector_language

    policy = default_policy()
    rules = tuple(r for r in load_catalog() if detector_language(r) in ("python", "terraform"))
    job = Job(policy=policy, rules=rules, env=BuildEnv(policy=policy, root="."))
    python = job.checks("python")
    assert [rule for rule, _ctx in python] == [r for r in rules if detector_language(r) == "python"]
    assert all(ctx.rule is rule and ctx.policy is policy for rule, ctx in python)
    assert job.checks("python") is python  # made once
    assert job.checks("kubernetes") == []
    copy = pickle.loads(pickle.dumps(job))
    assert copy._checks == {} and copy == job  # a worker makes its own lists
    assert [rule.id for rule, _ctx in copy.checks("python")] == [rule.id for rule, _ in python]


def test_a_unit_asks_only_the_rules_that_judge_a_type_it_holds(scan, monkeypatch):
    """A rule whose detector says the types it judges (``values``' rules) is not looked at in
    a unit holding none of them; the others are asked in every unit, and find the same."""
    from collections import Counter

    from dhlint import units
    from dhlint.analysis import Context

    files = {  # two root modules: two units, each holding one type
        "a/main.tf": 'resource "aws_ebs_volume" "v" {\n  size = 1\n}\n',
        "b/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
    }
    before = scan(files).findings
    asked: Counter[str] = Counter()
    real = units._detector_of

    def counted(rule, ctx):
        asked[rule.id] += 1
        return real(rule, ctx)

    monkeypatch.setattr(units, "_detector_of", counted)
    monkeypatch.setattr(units, "_INDEXES", {}, raising=False)  # a fresh index
    result = scan(files)
    key = [(f.rule_id, f.location, f.anchor, f.message) for f in result.findings]
    assert key == [(f.rule_id, f.location, f.anchor, f.message) for f in before]
    assert "DH101" in {f.rule_id for f in result.findings}  # the volume's encryption
    rules = [r for r in result.enabled if units.detector_language(r) == "terraform"]
    judged = {r.id: real(r, Context(rule=r, policy=result.policy))[1] for r in rules}
    assert sum(types is not None for types in judged.values()) > 30
    for rule_id, types in judged.items():
        # once for the index, then in each unit (those holding a type it judges, if it says)
        held = 2 if types is None else sum(t in types for t in ("aws_ebs_volume", "aws_s3_bucket"))
        assert asked[rule_id] == 1 + held, rule_id


DB_MODULE = {
    "main.tf": (
        'variable "admin_cidrs" {\n'
        "  type    = map(string)\n"
        '  default = { office = "10.20.0.0/16" }\n'
        "}\n"
        'module "db" {\n'
        '  source      = "./modules/db"\n'
        "  admin_cidrs = var.admin_cidrs\n"
        "}\n"
    ),
    "modules/db/main.tf": (
        'resource "aws_security_group" "db" {\n'
        '  name = "db"\n'
        '  dynamic "ingress" {\n'
        "    for_each = var.admin_cidrs\n"
        "    content {\n"
        "      from_port   = 5432\n"
        "      to_port     = 5432\n"
        '      protocol    = "tcp"\n'
        "      cidr_blocks = [ingress.value]\n"
        "    }\n"
        "  }\n"
        "}\n"
        'variable "admin_cidrs" { type = map(string) }\n'
    ),
    "terraform.tfvars": 'admin_cidrs = {\n  office = "10.20.0.0/16"\n  vpn = "0.0.0.0/0"\n}\n',
}


def test_precommit_tfvars_alone_reports_the_module_finding_it_causes(make_repo):
    # probe33 min/12: a commit of terraform.tfvars alone opened port 5432 to 0.0.0.0/0 through
    # a module variable; the finding is the module file's, which the commit did not name, so
    # the hook passed. Its related location (the value's origin) is in the named file.
    root = make_repo(DB_MODULE)
    whole = run_check(CheckOptions(paths=["."], cwd=str(root), select=["DH407"]))
    alone = run_check(CheckOptions(paths=["terraform.tfvars"], cwd=str(root), select=["DH407"]))
    expected = [("DH407", "modules/db/main.tf", 9, "module.db.aws_security_group.db")]
    for result in (whole, alone):
        got = [(f.rule_id, f.location.path, f.location.start_line, f.anchor) for f in result.active]
        assert got == expected
    assert alone.files == ["terraform.tfvars"]
    assert [r.location.path for r in alone.active[0].related] == ["terraform.tfvars"]
    # The text output names the location in the file checked; a whole-tree run's line is as
    # before.
    out = run_cli(["check", "--no-cache", "--select", "DH407", "terraform.tfvars"], root)
    assert out.returncode == 1
    assert out.stdout.splitlines()[0].endswith(
        '0.0.0.0/0 [terraform.tfvars:3: the value comes from module.db.var.admin_cidrs["vpn"], '
        "set in terraform.tfvars]"
    )
    out = run_cli(["check", "--no-cache", "--select", "DH407", "."], root)
    assert out.stdout.splitlines()[0].endswith("0.0.0.0/0")
    # Another file of the root module alone does not hold the value's origin: nothing.
    none = run_check(CheckOptions(paths=["main.tf"], cwd=str(root), select=["DH407"]))
    assert none.active == []


ENVS = {
    "infra/main.tf": (
        'provider "aws" {\n  region = "us-east-1"\n}\n'
        'variable "log_retention_days" {\n  type    = number\n  default = 400\n}\n'
        'variable "admin_cidr" {\n  default = "10.20.0.0/16"\n}\n'
        'resource "aws_cloudwatch_log_group" "trail" {\n  name              = "/kc/cloudtrail"\n'
        "  retention_in_days = var.log_retention_days\n}\n"
        'resource "aws_security_group" "db" {\n  name = "db"\n  ingress {\n'
        '    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n'
        "    cidr_blocks = [var.admin_cidr]\n  }\n}\n"
    ),
    "infra/env/dev.tfvars": "log_retention_days = 400\n",
    "infra/env/prod.tfvars": 'admin_cidr = "10.0.0.0/8"\nlog_retention_days = 7\n',
    "infra/envs/stage/terraform.tfvars": 'admin_cidr = "0.0.0.0/0"\n',
    "infra/envs/stage/notes.txt": "stage\n",
}


def _rows(result):
    return [
        (f.rule_id, f.location.path, f.location.start_line, [r.location.path for r in f.related])
        for f in result.active
    ]


def test_a_tfvars_file_of_an_environment_directory_is_checked_with_its_root(make_repo):
    # probe (h6/1): a commit changing only infra/env/prod.tfvars (the root module is infra/)
    # ran `dhlint check infra/env/prod.tfvars` and got nothing: its unit was infra/env, which
    # holds no configuration. It is now the values of the root above it, as -var-file gives
    # them, and the findings it causes are reported with its line as related location; the
    # same in a run on the whole tree and on the root module's file.
    root = make_repo(ENVS)
    select = ["DH305", "DH407"]
    prod = run_check(CheckOptions(paths=["infra/env/prod.tfvars"], cwd=str(root), select=select))
    assert _rows(prod) == [("DH305", "infra/main.tf", 13, ["infra/env/prod.tfvars"])]
    assert prod.files == ["infra/env/prod.tfvars"]
    assert prod.active[0].message.endswith("7 days; the policy requires at least 90 days")
    stage = ["infra/envs/stage/terraform.tfvars"]
    stage_only = run_check(CheckOptions(paths=stage, cwd=str(root), select=select))
    assert _rows(stage_only) == [("DH407", "infra/main.tf", 21, stage)]
    dev = run_check(CheckOptions(paths=["infra/env/dev.tfvars"], cwd=str(root), select=select))
    assert dev.active == []
    # The whole tree, the root module's directory and its file alone: each environment's.
    for paths in (["."], ["infra"], ["infra/main.tf"]):
        result = run_check(CheckOptions(paths=paths, cwd=str(root), select=select))
        assert _rows(result) == [
            ("DH305", "infra/main.tf", 13, ["infra/env/prod.tfvars"]),
            ("DH407", "infra/main.tf", 21, stage),
        ], paths
    # The text output names the line of the file checked.
    out = run_cli(["check", "--no-cache", "--select", "DH305", "infra/env/prod.tfvars"], root)
    assert out.returncode == 1
    assert out.stdout.splitlines()[0].endswith(
        "[infra/env/prod.tfvars:2: the value comes from var.log_retention_days, set in "
        "infra/env/prod.tfvars]"
    )
    # --var-file names the environment: the others are not read as one.
    named = run_check(
        CheckOptions(paths=["."], cwd=str(root), select=select, var_files=["infra/env/dev.tfvars"])
    )
    assert named.active == []


def test_reports_name_the_environment_whose_value_a_finding_has(make_repo, monkeypatch):
    # probe39 #10: a whole-tree run's text said "infra/main.tf:13:3: DH305 ... for 7 days" at
    # a line whose default is 400, with no word of env/prod.tfvars (JSON and SARIF list it as
    # related, a run on the tfvars file alone named it). The text, GitHub and compliance
    # reports now name the tfvars line that sets the value.
    from dhlint.report import compliance, github, text

    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    files = dict(ENVS)
    files["infra/raw.tf"] = 'resource "aws_s3_bucket" "raw" {\n  bucket = "kc-raw"\n}\n'
    root = make_repo(files)
    result = run_check(CheckOptions(paths=["."], cwd=str(root), select=["DH305"]))
    note = (
        "[infra/env/prod.tfvars:2: the value comes from var.log_retention_days, "
        "set in infra/env/prod.tfvars]"
    )
    lines = text.render(result).splitlines()
    assert lines[0].startswith("infra/main.tf:13:3: DH305 ") and lines[0].endswith(
        "for 7 days; the policy requires at least 90 days " + note
    )
    assert github.render(result).splitlines()[0].endswith("at least 90 days " + note)
    assert "at least 90 days " + note in compliance.render_markdown(result)
    assert "at least 90 days " + note in compliance.render_html(result)
    # a finding with no value from a tfvars file is as it was
    plain = run_check(CheckOptions(paths=["."], cwd=str(root), select=["DH801"]))
    assert text.render(plain).splitlines()[0].endswith("treated as the policy's default class")


def test_an_environment_tfvars_sets_only_the_findings_it_gives(make_repo):
    # A model with another environment's values adds only the findings whose value that file
    # gives: not a second copy of the root's own, nor those of a variable it does not set.
    files = dict(ENVS)
    files["infra/main.tf"] += 'resource "aws_s3_bucket" "raw" {\n  bucket = "kc-raw"\n}\n'
    files["infra/prod.tfvars"] = "log_retention_days = 30\n"  # beside the root, not loaded
    files["infra/env/other.tfvars"] = "unrelated = 1\n"  # sets none of its variables
    root = make_repo(files)
    whole = run_check(CheckOptions(paths=["."], cwd=str(root), jobs=1))
    base = run_check(CheckOptions(paths=["."], cwd=str(root), jobs=1, ignore=["DH305", "DH407"]))
    extra = {(f.rule_id, f.location, f.anchor) for f in whole.active} - {
        (f.rule_id, f.location, f.anchor) for f in base.active
    }
    # infra/prod.tfvars's 30 days and infra/env/prod.tfvars's 7 days: two environments, two
    # values, two findings (probe38 02); the second's anchor names its file.
    assert sorted((r, loc.path, loc.start_line, a) for r, loc, a in extra) == [
        ("DH305", "infra/main.tf", 13, "aws_cloudwatch_log_group.trail"),
        ("DH305", "infra/main.tf", 13, "aws_cloudwatch_log_group.trail [infra/env/prod.tfvars]"),
        ("DH407", "infra/main.tf", 21, "aws_security_group.db"),
    ]
    assert len(whole.active) == len(base.active) + 3
    alone = run_check(CheckOptions(paths=["infra/prod.tfvars"], cwd=str(root), select=["DH305"]))
    assert _rows(alone) == [("DH305", "infra/main.tf", 13, ["infra/prod.tfvars"])]


def test_an_environment_value_unlike_the_default_is_a_finding_of_its_own(make_repo):
    # probe38 min/02: prod.tfvars's 1095 days were merged into the default's finding (400 days,
    # one place and anchor: reported once), so the report showed neither prod nor its file.
    main = (
        'variable "expire_days" {\n  default = 400\n}\n'
        'resource "aws_s3_bucket" "hit" {\n  bucket = "kc-hit"\n'
        '  tags   = { "data-classification" = "personal" }\n}\n'
        'resource "aws_s3_bucket_lifecycle_configuration" "hit" {\n'
        '  bucket = aws_s3_bucket.hit.id\n  rule {\n    id     = "expire"\n'
        '    status = "Enabled"\n    filter {}\n    expiration {\n'
        "      days = var.expire_days\n    }\n  }\n}\n"
    )
    files = {"main.tf": main, "env/prod.tfvars": "expire_days = 1095\n"}
    files["env/stage.tfvars"] = "expire_days = 400\n"  # as the default: said once
    root = make_repo(files)
    for paths in (["."], ["main.tf"]):
        result = run_check(CheckOptions(paths=paths, cwd=str(root), select=["DH302"]))
        found = sorted((f.message.split("expiration: ")[1], f.anchor) for f in result.active)
        assert found == [
            ("1095 days)", "aws_s3_bucket_lifecycle_configuration.hit [env/prod.tfvars]"),
            ("400 days)", "aws_s3_bucket_lifecycle_configuration.hit"),
        ], paths
        prod = next(f for f in result.active if "1095" in f.message)
        assert "env/prod.tfvars" in [r.location.path for r in prod.related]
    # the prod file committed alone gives the same finding (the same fingerprint)
    alone = run_check(CheckOptions(paths=["env/prod.tfvars"], cwd=str(root), select=["DH302"]))
    assert [f.anchor for f in alone.active] == [
        "aws_s3_bucket_lifecycle_configuration.hit [env/prod.tfvars]"
    ]


def test_an_environment_that_makes_something_absent_is_reported(make_repo):
    # probe39 #2 (min/01): prod's expire_days = 0 empties the dynamic lifecycle_rule of a
    # module's bucket, so prod's bucket has no expiry; no value location of that finding
    # points into prod.tfvars, and the per-environment filter dropped it (only --var-file
    # reported it). The default has no such finding: it is prod's, related to the entry of
    # prod.tfvars the module's variable comes from. The same in a whole-tree run, a commit of
    # the module's file, and prod.tfvars alone; dev's values (as the default's) add nothing.
    bucket = (
        'variable "expire_days" {\n  type = number\n}\n'
        'resource "google_storage_bucket" "this" {\n  name     = "city-${var.expire_days}"\n'
        '  location = "US"\n  labels   = { data-classification = "personal" }\n'
        '  dynamic "lifecycle_rule" {\n'
        "    for_each = var.expire_days > 0 ? [var.expire_days] : []\n    content {\n"
        "      condition { age = lifecycle_rule.value }\n"
        '      action { type = "Delete" }\n    }\n  }\n}\n'
    )
    main = (
        'variable "buckets" {\n  default = {\n    uploads = { expire_days = 30 }\n'
        "    reports = { expire_days = 365 }\n  }\n}\n"
        'module "buckets" {\n  source      = "./modules/bucket"\n  for_each    = var.buckets\n'
        "  expire_days = each.value.expire_days\n}\n"
        'provider "google" {}\n'
    )
    files = {
        "infra/main.tf": main,
        "infra/modules/bucket/main.tf": bucket,
        "infra/env/prod.tfvars": (
            'project = "p"\nbuckets = {\n  uploads = { expire_days = 30 }\n'
            "  reports = { expire_days = 0 }\n}\n"
        ),
        "infra/env/dev.tfvars": "buckets = { reports = { expire_days = 365 } }\n",
    }
    root = make_repo(files)
    for paths in (["."], ["infra/modules/bucket/main.tf"], ["infra/env/prod.tfvars"]):
        result = run_check(CheckOptions(paths=paths, cwd=str(root), select=["DH302"]))
        assert [
            (f.location.path, f.location.start_line, f.anchor, f.message.split("(")[-1])
            for f in result.active
        ] == [
            (
                "infra/modules/bucket/main.tf",
                4,
                'module.buckets["reports"].google_storage_bucket.this',
                "expiration: not set)",
            )
        ], paths
        assert [
            (r.location.path, r.location.start_line, r.label) for r in result.active[0].related
        ] == [
            (
                "infra/env/prod.tfvars",
                4,
                'infra/env/prod.tfvars sets module.buckets["reports"].var.expire_days',
            )
        ]
    # the findings the default has too are not said again for prod (nor for each bucket)
    whole = run_check(CheckOptions(paths=["."], cwd=str(root)))
    assert sorted((f.rule_id, f.anchor) for f in whole.active) == [
        ("DH302", 'module.buckets["reports"].google_storage_bucket.this'),
        ("DH907", "module.buckets.google_storage_bucket.this"),
    ]


def test_an_environment_file_outside_a_repository_is_read_with_its_root(tmp_path):
    # probe39 #2: with no repository marker the root was the named file's directory, so
    # `dhlint check env/prod.tfvars` never read the root module above it and said "No
    # findings". The root of an environment's directory is now that module's directory.
    from dhlint.discovery import find_root

    files = {
        "main.tf": 'variable "days" {\n  default = 400\n}\n'
        'resource "aws_cloudwatch_log_group" "trail" {\n  name              = "/kc/cloudtrail"\n'
        "  retention_in_days = var.days\n}\n",
        "env/prod.tfvars": "days = 7\n",
    }
    root = tmp_path / "infra"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert find_root(tmp_path) == tmp_path  # no marker above: the test means something
    assert find_root(root / "env" / "prod.tfvars") == root
    assert find_root(root / "env") == root
    assert find_root(root / "main.tf") == root
    for cwd, path in ((root, "env/prod.tfvars"), (root / "env", "prod.tfvars")):
        result = run_check(CheckOptions(paths=[path], cwd=str(cwd), select=["DH305"]))
        assert _rows(result) == [("DH305", "main.tf", 6, ["env/prod.tfvars"])], cwd


def test_a_directory_of_environments_is_checked_with_its_root(tmp_path, make_repo):
    # h5/1: `dhlint check env/` (a directory holding only prod.tfvars and dev.tfvars, the root
    # module in its parent) said "No findings in 2 files checked", in a repository or not: a
    # walk read the tfvars files as a unit of their own, with no configuration to give values
    # to. The root module above is now read with them as context, as for one file named, and
    # each environment's findings are reported, with its line, as when both files are named.
    main = (
        'variable "days" {\n  default = 400\n}\n'
        'resource "aws_cloudwatch_log_group" "trail" {\n  name              = "/kc/cloudtrail"\n'
        "  retention_in_days = var.days\n}\n"
    )
    files = {"main.tf": main, "env/prod.tfvars": "days = 7\n", "env/dev.tfvars": "days = 30\n"}
    outside = tmp_path / "plain" / "infra"
    for name, text in files.items():
        (outside / name).parent.mkdir(parents=True, exist_ok=True)
        (outside / name).write_text(text, encoding="utf-8")
    repo = make_repo({f"infra/{name}": text for name, text in files.items()})
    expected = (
        "{p}main.tf:6:3: DH305 aws_cloudwatch_log_group 'aws_cloudwatch_log_group.trail' keeps "
        "audit records for {days} days; the policy requires at least 90 days [{p}env/{env}"
        ".tfvars:1: the value comes from var.days, set in {p}env/{env}.tfvars]"
    )
    runs = [  # (cwd, path, prefix of the reported paths)
        (outside, "env/", ""),
        (outside / "env", ".", ""),
        (repo, "infra/env", "infra/"),
        (repo / "infra" / "env", ".", "infra/"),
    ]
    for cwd, path, prefix in runs:
        out = run_cli(["check", "--no-cache", "--select", "DH305", path], cwd)
        assert out.returncode == 1, (cwd, path, out.stdout, out.stderr)
        assert out.stdout.splitlines() == [
            expected.format(p=prefix, days=30, env="dev"),
            expected.format(p=prefix, days=7, env="prod"),
            out.stdout.splitlines()[-1],
        ], (cwd, path)
        assert "in 2 files checked" in out.stdout  # the root module is context, not checked
    # the same as naming the two files
    named = ["infra/env/dev.tfvars", "infra/env/prod.tfvars"]
    walked = run_check(CheckOptions(paths=["infra/env"], cwd=str(repo), jobs=1))
    both = run_check(CheckOptions(paths=named, cwd=str(repo), jobs=1))
    assert [(f.rule_id, f.location, f.anchor) for f in walked.active] == [
        (f.rule_id, f.location, f.anchor) for f in both.active
    ]
    assert walked.files == named


def test_precommit_a_context_files_suppression_covers_the_finding_it_reports(make_repo):
    files = dict(DB_MODULE)
    files["modules/db/main.tf"] = files["modules/db/main.tf"].replace(
        "  dynamic", '  # dhlint: ignore[DH407] reason="VPN range, reviewed"\n  dynamic'
    )
    files["modules/db/other.tf"] = "# dhlint: ignore[DH999] unknown, but not audited here\n"
    root = make_repo(files)
    for paths in (["."], ["terraform.tfvars"]):
        result = run_check(CheckOptions(paths=paths, cwd=str(root), select=["DH407", "DH0"]))
        assert [f.rule_id for f in result.suppressed] == ["DH407"]
        active = sorted((f.rule_id, f.location.path) for f in result.active)
        if paths == ["."]:
            assert active == [("DH002", "modules/db/other.tf")]
        else:  # the context files' comments are not audited, nor listed
            assert active == [] and result.suppressions == []


def test_precommit_a_module_file_alone_is_judged_with_its_callers(make_repo, monkeypatch):
    # probe33 min/12: a module file named alone had no values for its variables (its callers
    # give them): the hook passed what a run on the whole tree reports.
    files = {k: v for k, v in DB_MODULE.items() if k != "terraform.tfvars"}
    files["main.tf"] = files["main.tf"].replace('"10.20.0.0/16"', '"0.0.0.0/0"')
    files["main.tf"] += 'terraform {\n  backend "s3" {}\n}\n'
    files["envs/prod/main.tf"] = (
        'module "stack" {\n  source = "../../stack"\n}\nprovider "aws" {}\n'
    )
    files["stack/main.tf"] = (
        'variable "cidr" {}\nmodule "db" {\n  source      = "../modules/db"\n'
        "  admin_cidrs = { x = var.cidr }\n}\n"
    )
    root = make_repo(files)
    whole = run_check(CheckOptions(paths=["."], cwd=str(root), select=["DH407"]))
    alone = run_check(CheckOptions(paths=["modules/db/main.tf"], cwd=str(root), select=["DH407"]))

    def rows(result):
        return sorted((f.location.path, f.location.start_line, f.anchor) for f in result.active)

    assert (
        rows(alone) == rows(whole) == [("modules/db/main.tf", 9, "module.db.aws_security_group.db")]
    )
    assert alone.files == ["modules/db/main.tf"]
    # A root module (a provider block, a tfvars file) is not looked up as a called module:
    # no walk of the tree's Terraform.
    import dhlint.discovery as discovery

    def no_walk(*args, **kwargs):
        raise AssertionError("walked")

    monkeypatch.setattr(discovery, "_callers", no_walk)
    run_check(CheckOptions(paths=["envs/prod/main.tf"], cwd=str(root), select=["DH407"]))
    run_check(CheckOptions(paths=["main.tf"], cwd=str(root), select=["DH407"]))
    with pytest.raises(AssertionError, match="walked"):  # a module: its callers are looked for
        run_check(CheckOptions(paths=["stack/main.tf"], cwd=str(root), select=["DH407"]))


def test_a_run_without_python_collects_only_the_names_of_the_city_own_hosts(scan):
    """Every cross rule joins a Python file's reads and writes to the other files' stores and
    workloads: a run without Python (the benchmark's Terraform) extracts only the names the
    vendor-host rules need (the ``defines`` facts), not the stores, topics and workloads."""
    files = {
        "infra/main.tf": 'resource "aws_s3_bucket" "raw" {\n  bucket = "city-raw"\n}\n',
        "k8s/pod.yaml": K8S,
    }
    facts = scan(files).workspace.facts
    assert [set(f) for f in facts["terraform"]] == [{"defines"}]
    assert [d["name"] for d in facts["terraform"][0]["defines"]] == ["city-raw"]
    assert "kubernetes" not in facts
    with_python = scan({**files, "etl/job.py": "x = 1\n"}).workspace.facts
    assert [s["address"] for s in with_python["terraform"][0]["stores"]] == ["aws_s3_bucket.raw"]
    assert with_python["kubernetes"]
    # the inventory collects every fact
    assert scan(files, collect_facts=True).workspace.facts["terraform"][0]["stores"]


def test_precommit_a_helm_template_read_only_as_context_gives_no_note(make_repo):
    """probe42 min/08: a one-file run on a ConfigMap printed "skipped: Helm chart template"
    for an unrelated chart's template, read only as context (the tree-wide manifest index), on
    every commit of a manifest. The note stays for a run that names the template, or the
    whole tree."""
    root = make_repo(
        {
            "k8s/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
            "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
            "chart/templates/deployment.yaml": (
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
            ),
        }
    )
    template = "chart/templates/deployment.yaml"
    for paths, noted in (
        (["k8s/configmap.yaml"], False),
        (["k8s"], False),
        ([template], True),
        (["k8s/configmap.yaml", template], True),
        (["."], True),
    ):
        result = run_check(CheckOptions(paths=paths, cwd=str(root), cache=False))
        notes = [(d.path, d.kind) for d in result.diagnostics]
        assert notes == ([(template, "skipped")] if noted else []), paths
        assert (template in result.skipped) is noted
