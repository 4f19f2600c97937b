"""Baselines: record today's findings, later report only new ones.

Findings are matched by rule, file and anchor (the fingerprint, which never includes a line
number), so moving code or inserting lines above a finding does not make it new again. Matching
counts duplicates: two findings with the same fingerprint need two baseline entries.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

from dhlint import __version__
from dhlint.engine import CheckResult, fingerprint
from dhlint.report import jsontext
from dhlint.types import Finding

FORMAT = "dhlint-baseline"
VERSION = 1


class BaselineError(Exception):
    pass


def baseline_data(result: CheckResult) -> dict:
    entries = sorted(
        (
            {
                "rule_id": f.rule_id,
                "path": f.location.path,
                "anchor": f.anchor,
                "fingerprint": fingerprint(f),
                "message": f.message,
            }
            for f in result.active
        ),
        key=lambda e: (e["path"], e["rule_id"], e["anchor"], e["fingerprint"]),
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "tool": f"dhlint {__version__}",
        "policy": {"name": result.policy.name, "version": result.policy.version},
        "findings": entries,
    }


def write_baseline(result: CheckResult, path: str | Path) -> int:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = baseline_data(result)
    text = jsontext.dumps(data) + "\n"
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data["findings"])


def load_baseline(path: str | Path) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline ({exc})") from None
    except RecursionError:
        raise BaselineError(f"{path}: cannot read baseline (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BaselineError(f"{path}: not a dhlint baseline (write one with --write-baseline)")
    try:
        entries = [dict(e) for e in data["findings"]]
        for entry in entries:
            entry["fingerprint"] = str(entry["fingerprint"])
    except (KeyError, TypeError, ValueError):
        raise BaselineError(f"{path}: malformed baseline entries") from None
    return entries


def apply_baseline(result: CheckResult, entries: list[dict]) -> int:
    """Move findings the baseline records from ``result.findings`` to ``result.baselined``.

    The entries of a file that no longer exists also match the same rules and anchors in the
    one file of the same kind, unknown to the baseline, whose findings share most of them (a
    renamed file: its findings are not new; see ``_renamed``). Returns how many matched so."""
    remaining = Counter(e["fingerprint"] for e in entries)
    messages = {e["fingerprint"]: str(e.get("message", "")) for e in entries}
    kept = []
    for finding in result.findings:
        key = fingerprint(finding)
        if remaining[key] <= 0:
            key = _before_class_anchors(finding) or key
        if remaining[key] <= 0:
            key = _before_account_anchors(finding, messages) or key
        if finding.suppressed_by is None and remaining[key] > 0:
            remaining[key] -= 1
            result.baselined.append(finding)
            continue
        kept.append(finding)
    if any(f.rule_id in _DEFAULT_PAIR for f in kept):
        kept = _deployed_defaults(result, entries, kept, remaining)
    moved = _renamed(result, entries, kept)
    result.findings = [f for f in kept if id(f) not in moved]
    return len(moved)


# A send to an environment variable's default host that a deployment sets to that host too:
# DH690 in a run that reads the deployment, DH660 in one that does not (a pre-commit run on
# the Python file alone; see ``engine._defaults_deployments_set``). Each rule's entry matches
# the other's finding.
_DEFAULT_PAIR = {"DH660": "DH690", "DH690": "DH660"}


def _deployed_defaults(
    result: CheckResult, entries: list[dict], findings: list[Finding], remaining: Counter
) -> list[Finding]:
    """The findings not matched by fingerprint less those an entry of the pair's other rule
    records for the same call, file and hosts: a DH660 of hosts that are all environment
    defaults matches the DH690 entries (one per host) of that call naming them, and a DH690
    the DH660 entry of that call naming its host as an environment default. Each entry matches
    once; the hosts are read from the entries' messages (baselines written before match)."""
    from dhlint.detectors.python.vendor_host import from_env_default

    calls: dict[tuple, list[dict]] = {}
    for entry in entries:
        rule = entry.get("rule_id")
        if rule in _DEFAULT_PAIR and remaining[entry["fingerprint"]] > 0:
            call = str(entry.get("anchor", "")).split("->", 1)[0]
            calls.setdefault((rule, entry.get("path"), call), []).append(entry)
    kept = []
    for finding in findings:
        other = _DEFAULT_PAIR.get(finding.rule_id)
        hosts = list(dict.fromkeys(p.host for p in finding.hosts))
        if (
            other is None
            or finding.suppressed_by is not None
            or not hosts
            or (other == "DH690" and not all(from_env_default(p) for p in finding.hosts))
        ):
            kept.append(finding)
            continue
        call = finding.anchor.split("->", 1)[0]
        options = [
            e
            for e in calls.get((other, finding.location.path, call), [])
            if remaining[e["fingerprint"]] > 0
        ]
        if other == "DH660":  # one entry naming every host of the DH690 as a default
            entry = next((e for e in options if _names_defaults(e, hosts, other)), None)
            chosen = [entry] if entry is not None else []
        else:  # one DH690 entry per host of the DH660
            chosen = []
            for host in hosts:
                entry = next(
                    (e for e in options if e not in chosen and _names_defaults(e, [host], other)),
                    None,
                )
                if entry is not None:
                    chosen.append(entry)
            chosen = chosen if len(chosen) == len(hosts) else []
        if not chosen:
            kept.append(finding)
            continue
        for entry in chosen:
            remaining[entry["fingerprint"]] -= 1
        result.baselined.append(finding)
    return kept


def _names_defaults(entry: dict, hosts: list[str], rule: str) -> bool:
    """Whether a DH690 entry's message names the hosts (the value a deployment sets), or a
    DH660 entry's names them as an environment variable's default."""
    message = str(entry.get("message", ""))
    if not all(f"'{host}'" in message for host in hosts):
        return False
    return rule == "DH690" or "environment-variable default" in message


def _renamed(result: CheckResult, entries: list[dict], findings: list[Finding]) -> set[int]:
    """The findings (ids) that the entries of files no longer there record under a new path:
    each such file goes to the one new file whose findings share most of its (rule, anchor)
    pairs (none when two share as many: a copy beside the renamed file is new, and which is
    which cannot be told), and each entry matches once."""
    known = {e.get("path") for e in entries}
    gone: dict[str, Counter] = {}
    for e in entries:
        path = e.get("path")
        if isinstance(path, str) and not (result.root / path).exists():
            gone.setdefault(path, Counter())[(e.get("rule_id"), e.get("anchor"))] += 1
    candidates: dict[str, list[Finding]] = {}
    for finding in findings:
        path = finding.location.path
        if finding.suppressed_by is None and path not in known:
            candidates.setdefault(path, []).append(finding)
    moved: set[int] = set()
    taken: set[str] = set()
    for old in sorted(gone):
        suffix = Path(old).suffix

        def overlap(path: str, pairs: Counter = gone[old]) -> int:
            found = Counter((f.rule_id, f.anchor) for f in candidates[path])
            return sum((found & pairs).values())

        options = [p for p in sorted(candidates) if p not in taken and Path(p).suffix == suffix]
        scores = {p: overlap(p) for p in options}
        top = max(scores.values(), default=0)
        best = [p for p, score in scores.items() if score == top]
        if not top or len(best) > 1:
            continue  # none, or two files alike (a copy): which one is new cannot be told
        taken.add(best[0])
        left = Counter(gone[old])
        for finding in candidates[best[0]]:
            pair = (finding.rule_id, finding.anchor)
            if left[pair] > 0:
                left[pair] -= 1
                moved.add(id(finding))
                result.baselined.append(finding)
    return moved


def _before_class_anchors(finding: Finding) -> str | None:
    """The fingerprint a Python finding inside a method had before anchors always named the
    method's class (``Pipeline.write:...`` was ``write:...`` when another method or the
    module's own code reached it first), so that baselines written before still match it."""
    if not finding.location.path.endswith(".py") or not finding.anchor:
        return None
    function, colon, rest = finding.anchor.partition(":")
    if not colon or "." not in function:
        return None
    legacy = f"{function.rsplit('.', 1)[1]}:{rest}"
    return fingerprint(replace(finding, anchor=legacy))


def _before_account_anchors(finding: Finding, messages: dict[str, str]) -> str | None:
    """The fingerprint a DH601 (DH602) finding had when a policy (a bucket's replication) gave
    one finding, anchored on the resource alone, naming its first unapproved account: an entry
    so written matches the finding of the account its message names, and no other (an account
    added since is new)."""
    address, at, account = finding.anchor.rpartition("@")
    if finding.rule_id not in ("DH601", "DH602") or not at:
        return None
    legacy = fingerprint(replace(finding, anchor=address))
    return legacy if re.search(rf"\b{re.escape(account)}\b", messages.get(legacy, "")) else None
