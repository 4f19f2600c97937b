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


# Two entry points that share no state: each makes buffers; the first reads its own, the
# second writes into its own and sends one. A buffer is keyed by the object, not by its
# ``id``: a buffer of the second made where a freed one of the first was took its key, made
# the first stale and ran it again (more work, by where objects were allocated).
_BUFFERS = (
    "import io\n\nimport requests\n\n\ndef first():\n"
    + "".join(f"    b{i} = io.StringIO()\n    b{i}.getvalue()\n" for i in range(20))
    + "\n\ndef second(rows):\n"
    + "".join(f"    b{i} = io.StringIO()\n    b{i}.write(rows['email'])\n" for i in range(20))
    + "    requests.post('https://vendor.example.com/in', data=b0.getvalue())\n"
)
_WORK = """\
import ast, sys
from dhlint.models import python_dataflow as df
from dhlint.policy import default_policy
text = sys.stdin.read()
for order in (text, text[text.index("def second"):] + "\\n\\n" + text[:text.index("def second")]):
    analyzer = df.Analyzer(ast.parse(order), "m.py", default_policy(), order)
    analyzer.run()
    model = analyzer.model()
    analyzer.release()
    print(analyzer.steps, [(s.api, s.host, [c.name for c in s.columns]) for s in model.sinks])
"""


def test_analysis_work_is_the_same_under_different_hash_seeds():
    # The work counted against MAX_STEPS decides whether a file is fully checked: it must not
    # depend on the process (hash seed, where objects are allocated) or on the order of
    # functions that share nothing.
    outputs = set()
    for seed in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-c", _WORK],
            input=_BUFFERS,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        runs = proc.stdout.splitlines()
        assert len(runs) == 2 and runs[0] == runs[1], runs
        outputs.add(proc.stdout)
    (output,) = outputs
    assert output.split(" ", 1)[1].startswith(
        "[('requests.post', 'vendor.example.com', ['email'])]"
    )
