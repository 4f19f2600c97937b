"""The Python model is plain data: picklable (process pool, cache) and deterministic."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from dhlint.analysis import BuildEnv
from dhlint.models.python import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile

REPO = Path(__file__).resolve().parents[2]


def test_models_pickle_round_trip():
    path = REPO / "fixtures" / "python" / "airflow" / "service_requests_dag.py"
    source = SourceFile("dag.py", str(path), "python", path.read_text(encoding="utf-8"))
    result = build_models([source], BuildEnv(policy=default_policy(), root=str(REPO)))
    (model,) = result.models
    assert model.sinks and model.endpoints
    assert pickle.loads(pickle.dumps(model)) == model


def test_output_is_identical_under_different_hash_seeds():
    outputs = set()
    for seed in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-m", "dhlint", "check", "--output-format", "sarif", "--exit-zero",
             "fixtures/python", "fixtures/city-repo/etl"],
            cwd=REPO,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=300,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1
