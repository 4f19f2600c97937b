"""A realistic multi-file module: provider v3 and v4 S3 styles, variables, tfvars precedence,
a local sub-module called twice, a dynamic block on an unknown condition. The full findings list
is asserted, with lines and anchors."""

from __future__ import annotations

import shutil
from pathlib import Path

from dhlint.engine import CheckOptions, run_check
from dhlint.models.terraform_eval import Unknown
from tests.conftest import FIXTURES, write_tree

from ._helpers import expectations

MODULE = FIXTURES / "terraform" / "alpr-platform"

EXPECTED = [
    (
        "DH302",
        "modules/secure-bucket/main.tf",
        27,
        "module.archive.aws_s3_bucket_lifecycle_configuration.this",
    ),
    ("DH701", "services.tf", 16, "aws_db_instance.reads"),
    ("DH605", "services.tf", 45, "aws_kinesis_firehose_delivery_stream.vendor_feed"),
    ("DH102", "storage.tf", 14, "aws_s3_bucket.raw_reads"),
    ("DH202", "storage.tf", 58, "aws_s3_bucket.exports"),
    ("DH302", "storage.tf", 58, "aws_s3_bucket.exports"),
    ("DH901", "storage.tf", 58, "aws_s3_bucket.exports"),
    ("DH402", "storage.tf", 79, "aws_s3_bucket_public_access_block.exports"),
    ("DH101", "storage.tf", 88, "aws_s3_bucket.scratch"),
]


def _copy(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "repo", {})
    shutil.copytree(MODULE, root / "alpr-platform")
    return root


def _found(result, prefix="alpr-platform/"):
    return sorted(
        (f.rule_id, f.location.path.removeprefix(prefix), f.location.start_line, f.anchor)
        for f in result.active
    )


def test_full_findings_list(tmp_path):
    root = _copy(tmp_path)
    result = run_check(CheckOptions(paths=["."], cwd=str(root)))
    assert not result.diagnostics
    assert _found(result) == sorted(EXPECTED)


def test_expect_comments_match(tmp_path):
    root = _copy(tmp_path)
    result = run_check(CheckOptions(paths=["."], cwd=str(root)))
    found = {(r, p, line) for r, p, line, _ in _found(result)}
    assert found == expectations(MODULE)


def test_single_file_uses_module_context_and_reports_only_that_file(tmp_path):
    """Pre-commit: one file named; variables, tfvars and the sub-module still resolve."""
    root = _copy(tmp_path)
    result = run_check(CheckOptions(paths=["alpr-platform/services.tf"], cwd=str(root)))
    assert _found(result) == sorted(e for e in EXPECTED if e[1] == "services.tf")


def test_sub_module_scanned_alone_is_not_duplicated(tmp_path):
    root = _copy(tmp_path)
    both = run_check(CheckOptions(paths=["alpr-platform", "alpr-platform/modules"], cwd=str(root)))
    assert _found(both) == sorted(EXPECTED)


def test_var_file_overrides_tfvars(tmp_path):
    root = _copy(tmp_path)
    (root / "long.tfvars").write_text("log_retention_days = 500\n", encoding="utf-8")
    result = run_check(
        CheckOptions(paths=["alpr-platform"], cwd=str(root), var_files=["long.tfvars"])
    )
    extra = [f for f in result.active if f.rule_id == "DH301"]
    assert [(f.location.path, f.location.start_line) for f in extra] == [
        ("alpr-platform/services.tf", 3)
    ]
    assert "500" in extra[0].message


def test_conditional_on_known_tfvars_value_takes_one_branch(tmp_path):
    root = _copy(tmp_path)
    tfvars = root / "alpr-platform" / "terraform.tfvars"
    tfvars.write_text('environment = "staging"\n', encoding="utf-8")
    result = run_check(CheckOptions(paths=["alpr-platform"], cwd=str(root)))
    matcher = [f for f in result.active if f.anchor == "aws_cloudwatch_log_group.matcher"]
    # staging -> retention 0 (never expires); the bucket names change too, so the
    # literal-name link of the exports encryption no longer matches.
    assert [(f.rule_id, f.location.start_line) for f in matcher] == [("DH301", 8)]
    assert "retention_in_days is 0 (never expires); the policy allows" in matcher[0].message
    assert ("DH101", "storage.tf", 58, "aws_s3_bucket.exports") in _found(result)


def test_multi_cloud_fixture_matches_expect_comments(tmp_path):
    source = FIXTURES / "terraform" / "multi-cloud"
    root = write_tree(tmp_path / "repo", {})
    shutil.copytree(source, root / "multi-cloud")
    result = run_check(CheckOptions(paths=["."], cwd=str(root)))
    assert not result.diagnostics
    found = {(r, p, line) for r, p, line, _ in _found(result, "multi-cloud/")}
    assert found == expectations(source)


def test_units_group_callers_with_their_local_modules():
    from dhlint.models.terraform import units
    from dhlint.types import SourceFile

    def load(directory: Path, prefix: str) -> list[SourceFile]:
        return [
            SourceFile(
                f"{prefix}/{p.relative_to(directory).as_posix()}",
                str(p),
                "terraform",
                p.read_text(encoding="utf-8"),
            )
            for p in sorted(directory.rglob("*"))
            if p.is_file()
        ]

    files = (
        load(MODULE, "alpr")
        + load(FIXTURES / "terraform" / "multi-cloud", "mc")
        + load(FIXTURES / "terraform" / "plan-parity-plan", "plan")
    )
    groups = [sorted({f.path.rsplit("/", 1)[0] for f in unit}) for unit in units(files)]
    assert groups == [["alpr", "alpr/modules/secure-bucket"], ["mc"], ["plan"]]


def test_module_read_from_disk_is_an_extra_input(tmp_path):
    from ._helpers import build

    module = tmp_path / "modules" / "m"
    module.mkdir(parents=True)
    (module / "main.tf").write_text('resource "aws_s3_bucket" "b" { bucket = "x" }\n')
    result = build({"env/main.tf": 'module "m" { source = "../modules/m" }\n'}, root=str(tmp_path))
    (model,) = result.models
    assert [r.address for r in model.resources] == ["module.m.aws_s3_bucket.b"]
    assert result.extra_inputs == [str(module / "main.tf")]


def test_literal_secret_from_a_variable_points_at_the_variable(tmp_path):
    root = _copy(tmp_path)
    result = run_check(CheckOptions(paths=["."], cwd=str(root), select=["DH701"]))
    (finding,) = result.active
    (related,) = finding.related
    # The variable's default, where the literal is written (the block starts at line 22).
    assert (related.label, related.location.path, related.location.start_line) == (
        "the value comes from the default of var.db_password",
        "alpr-platform/variables.tf",
        24,
    )


def test_file_and_templatefile_read_files_of_the_tree_only(tmp_path):
    """``templatefile`` renders the variables into the template (a literal password passed in
    reaches user_data); ``file`` reads a file; paths as Terraform resolves them (from the root
    module's directory, or through ``path.module``); nothing outside the scanned tree is read.
    What is read is an extra input of the result cache."""
    from ._helpers import build, run_rule

    infra = tmp_path / "repo" / "infra"
    infra.mkdir(parents=True)
    (infra / "boot.tftpl").write_text(
        '#!/bin/sh\necho "MQTT_PASSWORD=${mqtt_password}" > /etc/relay.env\n'
        "%{ if debug }set -x%{ endif }\necho ${ upper(site) } $${HOME}\n"
    )
    (infra / "motd.txt").write_text("Kansas City sensors\n")
    (tmp_path / "secret.txt").write_text("outside\n")
    (tmp_path / "repo" / "link.txt").symlink_to(tmp_path / "secret.txt")
    text = """
resource "aws_instance" "gw" {
  ami       = "ami-1"
  user_data = templatefile("${path.module}/boot.tftpl", {
    mqtt_password = "L0ra-Gateway-2024!"
    debug         = false
    site          = "kc"
  })
  tags = {
    motd    = file("motd.txt")
    outside = file("../../secret.txt")
    linked  = file("../link.txt")
  }
}
"""
    result = build({"infra/main.tf": text}, root=str(tmp_path / "repo"))
    (model,) = result.models
    gateway = model.get("aws_instance.gw")
    user_data = gateway.values["user_data"]
    assert user_data == (
        '#!/bin/sh\necho "MQTT_PASSWORD=L0ra-Gateway-2024!" > /etc/relay.env\n'
        "\necho KC ${HOME}\n"  # debug = false: no set -x (directives are evaluated)
    )
    assert user_data.untaken == "set -x"  # the branch not taken, kept apart
    assert gateway.values["tags"]["motd"] == "Kansas City sensors\n"
    assert isinstance(gateway.values["tags"]["outside"], Unknown)
    assert isinstance(gateway.values["tags"]["linked"], Unknown)
    assert [h.args["kind"] for h in run_rule("DH703", model)] == ["secret assignment"]
    assert sorted(result.extra_inputs) == [str(infra / "boot.tftpl"), str(infra / "motd.txt")]


def test_templatefile_directives_render_a_manifest_when_inputs_are_known(tmp_path):
    """``%{ if }``/``%{ for }`` of a template file: the branch its known condition takes, the
    body once per element; unknown condition -> an unknown part (``${?}``)."""
    from ._helpers import build

    infra = tmp_path / "repo" / "infra"
    infra.mkdir(parents=True)
    (infra / "relay.yaml.tftpl").write_text(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n"
        "  DATABASE_URL: postgres://relay@db/relay?"
        "sslmode=%{ if tls }require%{ else }disable%{ endif }\n"
        "%{ for name, host in brokers }  BROKER_${upper(name)}: ${host}\n"
        "  BROKER_${name}: mqtt://${host}:1883\n"
        "%{ endfor }"
    )
    text = """
variable "tls" { default = false }
variable "secure" {}
resource "x_y" "rendered" {
  known   = templatefile("relay.yaml.tftpl", { tls = var.tls, brokers = { east = "mq1" } })
  unknown = templatefile("relay.yaml.tftpl", { tls = var.secure, brokers = {} })
}
"""
    result = build({"infra/main.tf": text}, root=str(tmp_path / "repo"))
    (model,) = result.models
    values = model.get("x_y.rendered").values
    # ${upper(name)}: a function of the loop's variable, evaluated as in HCL (was unknown).
    assert values["known"] == (
        "apiVersion: v1\nkind: ConfigMap\ndata:\n"
        "  DATABASE_URL: postgres://relay@db/relay?sslmode=disable\n"
        "  BROKER_EAST: mq1\n  BROKER_east: mqtt://mq1:1883\n"
    )
    assert values["known"].untaken == "require"
    # tls unknown, the only unknown part: one of the two renderings.
    head = "apiVersion: v1\nkind: ConfigMap\ndata:\n  DATABASE_URL: postgres://relay@db/relay"
    assert values["unknown"].options == (f"{head}?sslmode=require\n", f"{head}?sslmode=disable\n")


def test_templatefile_interpolations_call_functions_as_hcl_does(tmp_path):
    """A template file's ``${upper(site)}`` (any expression, not a plain name) was an unknown
    part though the evaluator knows the function; now it is evaluated with the template's
    variables only."""
    from ._helpers import build

    infra = tmp_path / "repo" / "infra"
    infra.mkdir(parents=True)
    (infra / "relay.env.tftpl").write_text(
        "SITE=${upper(site)}\n"
        'BROKERS=${join(",", [for h in hosts : upper(h)])}\n'
        'PORT=${lookup(ports, "mqtt", 1883)}\n'
        "SECRET=${trimspace(password)}\n"
        "%{ for h in hosts }HOST_${upper(h)}=${h}\n%{ endfor }"
    )
    (infra / "rest.tftpl").write_text(
        'A=${file("motd.txt")}\nB=${nosuchfunction(site)}\nC=${upper(missing)}\n'
        "D=${upper(var.site)}\nE=${~ site ~}\nF=${upper(site)}\n"
    )
    (infra / "motd.txt").write_text("hello\n")
    text = """
resource "x_y" "rendered" {
  env = templatefile("relay.env.tftpl", {
    site = "kc", hosts = ["a", "b"], ports = {}, password = " Kc-Relay-2024! "
  })
  rest = templatefile("rest.tftpl", { site = "kc" })
}
"""
    result = build({"infra/main.tf": text}, root=str(tmp_path / "repo"))
    (model,) = result.models
    values = model.get("x_y.rendered").values
    assert values["env"] == (
        "SITE=KC\nBROKERS=A,B\nPORT=1883\nSECRET=Kc-Relay-2024!\nHOST_A=a\nHOST_B=b\n"
    )
    # No file() in a template, no unknown function, no other name than its variables; a
    # strip marker is not applied, so its interpolation stays unknown as before.
    assert values["rest"].partial == "A=${?}\nB=${?}\nC=${?}\nD=${?}\nE=${?}\nF=KC\n"
