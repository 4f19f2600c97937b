"""The dev tool that compares a run with the Python pre-filter to one without it."""

from __future__ import annotations

from pathlib import Path

from dhlint.analysis import BuildEnv
from dhlint.devtools.prefilter_check import differences, main, reports
from dhlint.policy import default_policy
from dhlint.units import Job

REPO = Path(__file__).resolve().parents[2]

JOB = """import pandas as pd
import requests


def push():
    people = pd.read_csv("people.csv", usecols=["email", "phone"])
    requests.post("https://partner.example.com/in", json=people.to_dict("records"))
"""


def test_the_fixtures_give_the_same_report_with_and_without_the_filter():
    filtered, full = reports(["fixtures"], cwd=str(REPO))
    assert differences(filtered, full) == []
    assert len(full["findings"]) >= 100  # the runs judged something


def test_a_finding_the_filter_loses_is_shown(make_repo, monkeypatch, capsys):
    from dhlint.frontends import python as frontend

    root = make_repo({"job.py": JOB})
    assert main([str(root)]) == 0
    # A filter that skips every file: the full analysis's DH561 is missing from its run.
    monkeypatch.setattr(frontend, "needs_analysis", lambda text, words=None: False)
    assert main([str(root)]) == 1
    lost = [line for line in capsys.readouterr().out.splitlines() if line.startswith("- ")]
    assert lost and all("job.py" in line for line in lost)
    assert any("'rule_id': 'DH561'" in line for line in lost)


def test_the_cache_key_holds_the_builders_options():
    policy = default_policy()

    def salt(**options) -> str:
        return Job(policy=policy, rules=(), env=BuildEnv(policy, "/r", options=options)).salt()

    assert salt() == salt()
    assert salt(python_full_analysis=True) != salt()
