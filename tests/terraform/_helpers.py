"""Build Terraform models straight from text (no engine), and collect expectation comments."""

from __future__ import annotations

import re
import types
from pathlib import Path

from dhlint.analysis import BuildEnv
from dhlint.catalog import load_catalog
from dhlint.models.terraform import TerraformModel, build_models
from dhlint.policy import default_policy, policy_from_mapping
from dhlint.types import SourceFile

EXPECT = re.compile(r"#\s*expect:\s*(DH\d{3}(?:\s*,\s*DH\d{3})*)")


def build(files: dict[str, str], root: str = "/nonexistent", policy=None, var_files=()):
    env = BuildEnv(policy=policy or default_policy(), root=root, var_files=list(var_files))
    sources = [
        SourceFile(name, f"{root}/{name}", "terraform", text)
        for name, text in sorted(files.items())
    ]
    return build_models(sources, env)


def model_of(files: dict[str, str], **kwargs) -> TerraformModel:
    result = build(files, **kwargs)
    assert not result.diagnostics, result.diagnostics
    assert len(result.models) == 1, [m.directory for m in result.models]
    return result.models[0]


def run_rule(rule_id: str, model: TerraformModel, policy: dict | None = None) -> list:
    from dhlint.analysis import load_detector

    rule = next(r for r in load_catalog() if r.id == rule_id)
    pol = policy_from_mapping(policy, "<test>") if policy else default_policy()
    ctx = types.SimpleNamespace(rule=rule, policy=pol, params=rule.params)
    return list(load_detector(rule.detector)(model, ctx))


def expectations(directory: Path) -> set[tuple[str, str, int]]:
    """``# expect: DHnnn`` comments under a directory -> {(rule, relative path, line)}."""
    found = set()
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or path.suffix not in (".tf", ".tfvars", ".json"):
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                for rule in re.split(r"\s*,\s*", match.group(1)):
                    found.add((rule, path.relative_to(directory).as_posix(), lineno))
    return found
