"""Plan JSON input: the same module as HCL and as ``terraform show -json`` output."""

from __future__ import annotations

import json
import re
import shutil

from dhlint.engine import CheckOptions, run_check
from dhlint.models.terraform_eval import Unknown
from dhlint.types import SourceFile
from tests.conftest import FIXTURES, write_tree

from ._helpers import build

HCL = FIXTURES / "terraform" / "plan-parity"
PLAN = FIXTURES / "terraform" / "plan-parity-plan"


def _base(address: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", address)


def _scan(tmp_path, source):
    root = write_tree(tmp_path / source.name, {})
    shutil.copytree(source, root / source.name)
    result = run_check(CheckOptions(paths=["."], cwd=str(root)))
    assert not result.diagnostics, result.diagnostics
    return result


def test_hcl_and_plan_give_the_same_rules_on_the_same_resources(tmp_path):
    hcl = _scan(tmp_path, HCL)
    plan = _scan(tmp_path, PLAN)
    hcl_set = sorted({(f.rule_id, _base(f.anchor)) for f in hcl.active})
    plan_set = sorted({(f.rule_id, _base(f.anchor)) for f in plan.active})
    assert hcl_set == plan_set
    assert ("DH101", "aws_s3_bucket.uploads") in plan_set
    assert ("DH302", "module.logs.aws_s3_bucket.this") in plan_set
    assert len(hcl_set) == 17


def test_plan_findings_point_into_the_plan_file(tmp_path):
    plan = _scan(tmp_path, PLAN)
    text = (PLAN / "plan.json").read_text(encoding="utf-8").splitlines()
    by_rule = {(f.rule_id, f.anchor): f for f in plan.active}
    password = by_rule[("DH701", "aws_db_instance.permits")].location
    assert '"password"' in text[password.start_line - 1]
    header = by_rule[("DH101", "aws_s3_bucket.uploads")].location
    assert '"address": "aws_s3_bucket.uploads"' in text[header.start_line - 1]


def test_plan_links_companions_through_configuration_references():
    result = build({"plan.json": (PLAN / "plan.json").read_text(encoding="utf-8")})
    (model,) = result.models
    assert model.source == "plan"
    records = model.get("aws_s3_bucket.records")
    assert sorted(records.companions) == ["encryption", "lifecycle", "public_access_block"]
    logs = model.get("module.logs.aws_s3_bucket.this")
    assert [c.address for c in logs.companions["encryption"]] == [
        "module.logs.aws_s3_bucket_server_side_encryption_configuration.this"
    ]


def test_plan_unknown_configured_value_stays_unknown():
    plan = json.loads((PLAN / "plan.json").read_text(encoding="utf-8"))
    from dhlint.models.terraform_plan import build_plan_model

    model = build_plan_model(
        SourceFile("plan.json", "/x/plan.json", "terraform", json.dumps(plan, indent=1))
    )
    records = model.get("aws_s3_bucket.records")
    sse = model.get("aws_s3_bucket_server_side_encryption_configuration.records")
    assert isinstance(sse.values["bucket"], Unknown)
    assert sse.values["bucket"].refs == frozenset({"aws_s3_bucket.records"})
    # Computed, unconfigured attributes are absent (not "unknown, maybe encrypted").
    assert "server_side_encryption_configuration" not in records.values


def test_invalid_plan_is_a_diagnostic():
    result = build({"plan.json": '{"format_version": "1.2", "planned_values": {'})
    (diag,) = result.diagnostics
    assert diag.path == "plan.json" and diag.kind == "parse-error" and diag.line == 1


def test_plan_instances_with_index_link_by_base_address():
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": 'aws_s3_bucket.b["raw"]',
                        "mode": "managed",
                        "type": "aws_s3_bucket",
                        "name": "b",
                        "index": "raw",
                        "values": {"bucket_prefix": "kc-raw"},
                    },
                    {
                        "address": 'aws_s3_bucket_logging.b["raw"]',
                        "mode": "managed",
                        "type": "aws_s3_bucket_logging",
                        "name": "b",
                        "index": "raw",
                        "values": {"target_bucket": "kc-logs"},
                    },
                ]
            }
        },
        "resource_changes": [
            {
                "address": 'aws_s3_bucket_logging.b["raw"]',
                "change": {"after_unknown": {"bucket": True}},
            },
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_s3_bucket_logging.b",
                        "type": "aws_s3_bucket_logging",
                        "name": "b",
                        "expressions": {
                            "bucket": {
                                "references": ['aws_s3_bucket.b["raw"].id', "aws_s3_bucket.b"]
                            },
                            "target_bucket": {"constant_value": "kc-logs"},
                        },
                    },
                ]
            }
        },
    }
    (model,) = build({"plan.json": json.dumps(plan, indent=1)}).models
    bucket = model.resources[0]
    assert bucket.address == 'aws_s3_bucket.b["raw"]'
    assert [c.address for c in bucket.companions["logging"]] == ['aws_s3_bucket_logging.b["raw"]']


def test_plan_each_key_listed_apart_links_the_instance_with_that_key():
    """Terraform lists ``aws_s3_bucket.feed[each.key].id`` as ``aws_s3_bucket.feed`` and
    ``each.key``: each lifecycle instance belongs to the bucket instance with its key."""

    def bucket(key):
        return {
            "address": f'aws_s3_bucket.feed["{key}"]',
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": "feed",
            "index": key,
            "values": {"bucket": f"kc-{key}", "tags": {"data-classification": "personal"}},
        }

    def lifecycle(key, days):
        return {
            "address": f'aws_s3_bucket_lifecycle_configuration.feed["{key}"]',
            "mode": "managed",
            "type": "aws_s3_bucket_lifecycle_configuration",
            "name": "feed",
            "index": key,
            "values": {"rule": [{"id": "x", "status": "Enabled", "expiration": [{"days": days}]}]},
        }

    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    bucket("traffic"),
                    lifecycle("traffic", 90),
                    bucket("taps"),
                    lifecycle("taps", 1825),
                ]
            }
        },
        "resource_changes": [
            {
                "address": f'aws_s3_bucket_lifecycle_configuration.feed["{k}"]',
                "change": {"after_unknown": {"bucket": True}},
            }
            for k in ("traffic", "taps")
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_s3_bucket_lifecycle_configuration.feed",
                        "type": "aws_s3_bucket_lifecycle_configuration",
                        "name": "feed",
                        "expressions": {
                            "bucket": {"references": ["aws_s3_bucket.feed", "each.key"]}
                        },
                    }
                ]
            }
        },
    }
    (model,) = build({"plan.json": json.dumps(plan, indent=1)}).models
    for key in ("traffic", "taps"):
        found = model.get(f'aws_s3_bucket.feed["{key}"]').companions["lifecycle"]
        assert [c.address for c in found] == [
            f'aws_s3_bucket_lifecycle_configuration.feed["{key}"]'
        ]


def _plan_resource(address: str, values: dict) -> dict:
    kind, name = address.split(".")
    return {"address": address, "mode": "managed", "type": kind, "name": name, "values": values}


def test_plan_dh302_scoped_expiry_versioning_and_retention_policy(tmp_path):
    """The plan writes every optional attribute (null, "", [] for absent blocks): the same
    verdicts as HCL. Bucket values the provider computes (versioning) are unknown."""
    filter_of = {
        "and": [],
        "object_size_greater_than": None,
        "object_size_less_than": None,
        "tag": [],
    }

    def lifecycle(name: str, prefix: str | None, noncurrent: list) -> dict:
        return _plan_resource(
            f"aws_s3_bucket_lifecycle_configuration.{name}",
            {
                "bucket": f"kc-{name}",
                "expected_bucket_owner": "",
                "rule": [
                    {
                        "abort_incomplete_multipart_upload": [],
                        "expiration": [
                            {"date": None, "days": 30, "expired_object_delete_marker": False}
                        ],
                        "filter": [{**filter_of, "prefix": prefix}] if prefix is not None else [],
                        "id": "r",
                        "noncurrent_version_expiration": noncurrent,
                        "noncurrent_version_transition": [],
                        "prefix": "",
                        "status": "Enabled",
                        "transition": [],
                    }
                ],
            },
        )

    names = ["scoped", "whole", "versioned", "kept"]
    resources = [_plan_resource(f"aws_s3_bucket.{n}", {"bucket": f"kc-{n}"}) for n in names]
    resources += [
        lifecycle("scoped", "staging/", []),
        lifecycle("whole", "", []),
        lifecycle("versioned", None, []),
        lifecycle("kept", None, [{"newer_noncurrent_versions": None, "noncurrent_days": 30}]),
    ]
    resources += [
        _plan_resource(
            f"aws_s3_bucket_versioning.{n}",
            {
                "bucket": f"kc-{n}",
                "versioning_configuration": [{"mfa_delete": None, "status": "Enabled"}],
            },
        )
        for n in ("versioned", "kept")
    ]
    resources.append(
        _plan_resource(
            "google_storage_bucket.hold",
            {
                "name": "kc-hold",
                "location": "US",
                "lifecycle_rule": [],
                "retention_policy": [{"is_locked": False, "retention_period": 2592000}],
                "versioning": [],
            },
        )
    )
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [
            {"address": f"aws_s3_bucket.{n}", "change": {"after_unknown": {"versioning": True}}}
            for n in names
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": f"{kind}.{n}",
                        "type": kind,
                        "name": n,
                        "expressions": {
                            "bucket": {
                                "references": [f"aws_s3_bucket.{n}.id", f"aws_s3_bucket.{n}"]
                            }
                        },
                    }
                    for kind in (
                        "aws_s3_bucket_lifecycle_configuration",
                        "aws_s3_bucket_versioning",
                    )
                    for n in names
                ]
            }
        },
    }
    text = json.dumps(plan, indent=1)
    root = write_tree(tmp_path / "plan", {"plan.json": text})
    result = run_check(CheckOptions(paths=["."], cwd=str(root), select=["DH302"]))
    assert not result.diagnostics, result.diagnostics
    lines = text.splitlines()
    found = [(f.anchor, lines[f.location.start_line - 1].strip()) for f in result.active]
    assert found == [
        ("aws_s3_bucket.scoped", '"address": "aws_s3_bucket.scoped",'),
        ("aws_s3_bucket_lifecycle_configuration.versioned", '"days": 30,'),
        ("google_storage_bucket.hold", '"address": "google_storage_bucket.hold",'),
    ]
    assert "versioning keeps the previous versions forever" in result.active[1].message


def test_plan_positions_are_the_same_whatever_the_parts_not_read_for_positions_hold(tmp_path):
    # Positions come from planned_values and configuration.provider_config only: those two
    # members are composed alone (with the marks they have in the whole text), so what YAML's
    # composer refuses elsewhere (an escaped emoji, a key of over 1,024 characters in a
    # configuration's expressions) no longer makes a valid plan "invalid JSON", and line
    # breaks YAML counts that JSON does not (CRLF, NEL or LS in a string) move nothing.
    plan = json.loads((PLAN / "plan.json").read_text(encoding="utf-8"))
    expected = _scan(tmp_path / "as-is", PLAN)
    for i, change in enumerate(plan["resource_changes"]):
        change["note"] = "\ud83d\ude80 launch " + "\u2028" * (i % 2) + "\x85"
    plan["configuration"]["root_module"]["x" * 1100] = {"k": 1}
    text = json.dumps(plan, indent=2).replace("\n", "\r\n")  # \ud83d escaped, \x85 escaped
    text = text.replace("\\u0085", "\x85").replace("\\u2028", "\u2028")  # written raw
    assert "\\ud83d\\ude80" in text
    changed = write_tree(tmp_path / "changed", {"plan-parity-plan/plan.json": text})
    result = run_check(CheckOptions(paths=["."], cwd=str(changed)))
    assert not result.diagnostics, result.diagnostics
    assert [(f.rule_id, f.location, f.anchor) for f in result.active] == [
        (f.rule_id, f.location, f.anchor) for f in expected.active
    ]


def test_json_members_spans_each_members_value_the_last_of_a_name():
    from dhlint.frontends.terraform import compose_json_member, json_members

    text = '{"a": [1, {"b": 2}],\n "c" : {"d": "e"}, "a": {"x": 1}}'
    spans = json_members(text)
    assert {k: text[s:e] for k, (s, e) in spans.items()} == {"a": '{"x": 1}', "c": '{"d": "e"}'}
    ((start, end),) = json_members(text, spans["c"][0]).values()
    assert text[start:end] == '"e"'
    assert json_members("[1]") is None and json_members("{}") == {}
    # The member read from spans scanned once is the one scanned for (the same marks).
    node = compose_json_member(text, ("c", "d"), spans)
    again = compose_json_member(text, ("c", "d"))
    marks = [
        (n.value, n.start_mark.line, n.start_mark.column, n.end_mark.column) for n in (node, again)
    ]
    assert marks == [("e", 1, 13, 16)] * 2  # line 2, after ' "c" : {"d": '
    assert compose_json_member(text, ("b",), spans) is None
