"""The benchmark's registry-shaped Terraform modules (``bench/tf_modules.py``) are valid input
that dhlint models as it would a real module: every file parses, the examples' calls of the
root module are evaluated, and the generator is deterministic."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

from dhlint.engine import CheckOptions, run_check
from tests.conftest import REPO


def _generator():
    name = "bench_tf_modules"  # bench/ is scripts, not a package
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "tf_modules.py")
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
