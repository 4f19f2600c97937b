"""A CI baseline written by a whole-repository run covers the pre-commit run on one file
(probe42 #3, min/10): a send to an environment variable's default host that a deployment sets
to the same host is DH690 in the whole run (the deployment is read) and DH660 in the run on
the Python file alone."""

from __future__ import annotations

import json

from tests.conftest import run_cli, write_tree

PUSH = """import os

import requests

URL = os.environ.get("INSIGHTS_URL", "https://ingest.ads.example/v2/events")


def push(session):
    requests.post(URL, json={"vin": session["vin"]}, timeout=10)
"""
DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: pusher
spec:
  template:
    spec:
      containers:
        - name: p
          image: registry.example/p:1
          env:
            - name: INSIGHTS_URL
              value: https://ingest.ads.example/v2/events
"""


def _new(root, *args) -> list[tuple[str, str]]:
    proc = run_cli(["check", "-f", "json", "--no-cache", *args], cwd=root)
    assert proc.returncode in (0, 1), proc.stderr
    return sorted((f["rule_id"], f["path"]) for f in json.loads(proc.stdout)["findings"])


def test_a_whole_run_baseline_covers_the_commit_runs_dh660_and_back(tmp_path):
    root = write_tree(tmp_path / "r", {"push.py": PUSH, "deploy.yaml": DEPLOY})
    whole = tmp_path / "whole.json"
    run_cli(["check", "--no-cache", "--write-baseline", str(whole), "."], cwd=root)
    assert ("DH690", "push.py") in _new(root, ".")
    assert ("DH660", "push.py") in _new(root, "push.py")  # the deployment is not read
    assert _new(root, "--baseline", str(whole), "push.py") == []
    assert _new(root, "--baseline", str(whole), ".") == []
    # ... and a baseline a run on the file wrote covers the whole run's DH690
    one = tmp_path / "one.json"
    run_cli(["check", "--no-cache", "--write-baseline", str(one), "push.py"], cwd=root)
    assert ("DH690", "push.py") not in _new(root, "--baseline", str(one), ".")


def test_the_pair_matches_only_the_same_call_and_host(tmp_path):
    root = write_tree(tmp_path / "r", {"push.py": PUSH, "deploy.yaml": DEPLOY})
    whole = tmp_path / "whole.json"
    run_cli(["check", "--no-cache", "--write-baseline", str(whole), "."], cwd=root)
    # the default now names another unapproved host: new, in the commit run
    (root / "push.py").write_text(PUSH.replace("ingest.ads.example", "x.tracker.example"))
    assert ("DH660", "push.py") in _new(root, "--baseline", str(whole), "push.py")
    # another call to the same default: new too
    (root / "push.py").write_text(
        PUSH + '\n\ndef again(s):\n    requests.post(URL, json={"vin": s["vin"]})\n'
    )
    new = _new(root, "--baseline", str(whole), "push.py")
    assert new == [("DH561", "push.py"), ("DH660", "push.py")]
