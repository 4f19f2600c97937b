"""The benchmark's generated sets are valid input that dhlint models as it would real code: the
registry-shaped Terraform modules (``bench/tf_modules.py``: every file parses, the examples'
calls of the root module are evaluated) and the Python packages whose modules import one
another (``bench/py_packages.py``: imports resolve across the package); the generators are
deterministic."""

from __future__ import annotations

import ast
import importlib.util
import random
import shutil
import sys
from pathlib import Path

from dhlint.engine import CheckOptions, run_check
from tests.conftest import REPO


def _generator(script: str = "tf_modules"):
    name = f"bench_{script}"  # bench/ is scripts, not a package
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{script}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclass looks its module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


def _write(root: Path, count: int) -> int:
    write_module = _generator().write_module
    rng = random.Random(20261125)
    return sum(write_module(root / f"tfm{i:03}", i, rng) for i in range(count))


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*.tf"))}


def test_modules_parse_and_are_evaluated_through_their_examples(tmp_path):
    root = tmp_path / "modules"
    written = _write(root, 3)  # module 0 is a Google one, 1 and 2 AWS ones
    assert written == len(_files(root)) > 40
    (tmp_path / ".git").mkdir()
    result = run_check(CheckOptions(paths=[str(root)], cwd=str(tmp_path), jobs=1))
    assert result.diagnostics == []
    assert result.languages == {"terraform": written}
    anchors = {f.anchor for f in result.findings}
    paths = {f.location.path for f in result.findings}
    for i in range(3):
        assert any(f"tfm{i:03}/" in path for path in paths), paths
    # Resources are found inside the root module as the examples call it, with their inputs.
    assert any(a.startswith("module.complete_0.module.") for a in anchors)
    assert any(a.startswith("module.simple_0.module.") for a in anchors)
    assert {f.rule_id for f in result.findings} >= {"DH302"}  # a storage rule fires


def test_the_generator_is_deterministic(tmp_path):
    _write(tmp_path / "a", 4)
    _write(tmp_path / "b", 4)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def _write_packages(root: Path) -> int:
    generator = _generator("py_packages")
    rng = random.Random(20261125)
    written = generator.write_stdlib_packages(root, ("email", "json"))
    return written + sum(generator.write_etl_package(root / f"etl{i:02}", i, rng) for i in (0, 1))


def _findings(root: Path) -> set[tuple[str, str, int, str]]:
    (root / ".git").mkdir(exist_ok=True)
    result = run_check(CheckOptions(paths=["."], cwd=str(root), jobs=1))
    assert result.diagnostics == []
    return {(f.rule_id, f.location.path, f.location.start_line, f.message) for f in result.active}


def test_the_etl_packages_findings_come_from_their_other_modules(tmp_path):
    generator = _generator("py_packages")
    package = tmp_path / "whole" / "etl00"
    written = generator.write_etl_package(package, 0, random.Random(20261125))
    found = _findings(tmp_path / "whole")
    # The pipelines alone (config, clients, helpers removed): what is left is what they find
    # without reading the modules they import.
    shutil.copytree(package / "pipelines", tmp_path / "alone" / "etl00" / "pipelines")
    alone = _findings(tmp_path / "alone")
    in_pipelines = {f for f in found if "/pipelines/" in f[1]}
    assert written > 20
    gained = {f[:3] for f in in_pipelines} - {f[:3] for f in alone}
    lost = {f[:3] for f in alone} - {f[:3] for f in in_pipelines}
    # A host from a constant of config.py; a URL built in config.py from defaults.py's scheme
    # and host (two modules away); what a helper of clients/http.py sends, at the call.
    assert any("from a constant of another module" in f[3] for f in in_pipelines)
    assert any(f[0] == "DH660" and "from a built URL" in f[3] for f in in_pipelines)
    assert {rule for rule, *_ in gained} >= {"DH260", "DH660", "DH561"}
    # Coordinates the pipelines round with transforms.coarse (to config's decimals): precise
    # coordinates (DH563) only where that helper is not read.
    assert {rule for rule, *_ in lost} == {"DH563"}


def test_a_fan_out_pipeline_alone_reads_each_module_it_imports_a_few_times(tmp_path, module_reads):
    # The bench's one-file run of a package: a job taking 20 feeds' constants from config.py,
    # which imports defaults.py, which imports config.py back. Each module is read once per
    # import chain it is reached by, not once per name asked (41 and 161 reads before 2758fe4).

    generator = _generator("py_packages")
    generator.write_etl_package(tmp_path / "etl00", 0, random.Random(20261125))
    (tmp_path / ".git").mkdir()
    job = next(
        p for p in sorted(tmp_path.rglob("job_*.py")) if "Fan-out" in p.read_text(encoding="utf-8")
    )
    reads = module_reads
    options = CheckOptions(paths=[str(job.relative_to(tmp_path))], cwd=str(tmp_path), jobs=1)
    result = run_check(options)
    assert {"config.py", "defaults.py"} <= set(reads)
    assert max(reads.count(name) for name in reads) <= 3 and len(reads) <= 10
    # ... and its findings come from config's constants: the feeds' URLs, built there.
    built = [f for f in result.active if f.rule_id == "DH660" and "from a built URL" in f.message]
    assert len(built) == 20


def test_the_standard_library_copies_import_themselves_under_their_new_names(tmp_path):
    _write_packages(tmp_path)
    imported = set()
    for path in (tmp_path / "lib_email").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module)
    tops = {name.split(".")[0] for name in imported}
    assert {"lib_email"} <= tops and not tops & {"email", "json"}
    # ...and their uses of it in code: ``lib_email.utils.collapse_rfc2231_value(...)``.
    message = (tmp_path / "lib_email" / "message.py").read_text()
    assert "lib_email.utils." in message and " email.utils." not in message


def test_the_python_packages_generator_is_deterministic(tmp_path):
    def files(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*.py"))}

    written = _write_packages(tmp_path / "a")
    _write_packages(tmp_path / "b")
    assert written == len(files(tmp_path / "a")) > 40
    assert files(tmp_path / "a") == files(tmp_path / "b")
