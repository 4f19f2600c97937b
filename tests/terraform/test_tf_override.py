"""Terraform override files (``override.tf``, ``*_override.tf``, ``.tf.json`` forms) merged
into the blocks they override, findings on the file and line that set the value."""

from __future__ import annotations

import pytest

from tests.conftest import rule_ids

from ._helpers import build, model_of

VOLUMES = """resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 10
  encrypted         = false
}

resource "aws_ebs_volume" "logs" {
  availability_zone = "us-east-1a"
  size              = 10
  encrypted         = true
}
"""

# data: fixed by the override; logs: broken by it.
OVERRIDE = """resource "aws_ebs_volume" "data" {
  encrypted = true
}

resource "aws_ebs_volume" "logs" {
  encrypted = false
}
"""


def dh103(scan, files: dict[str, str], **kwargs) -> list[tuple[str, str, int]]:
    return rule_ids(scan(files, select=["DH103"], **kwargs))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("override.tf", True),
        ("override.tf.json", True),
        ("dev_override.tf", True),
        ("dev_override.tf.json", True),
        ("main.tf", False),
        ("overrides.tf", False),
        ("my-override.tf", False),
        ("override.tfvars", False),
        ("override_main.tf", False),
    ],
)
def test_override_file_names(name, expected):
    from dhlint.models.terraform_override import is_override_file

    assert is_override_file(f"infra/{name}") is expected


@pytest.mark.parametrize("name", ["override.tf", "a_override.tf", "z_override.tf"])
def test_an_override_fixes_one_finding_and_introduces_another_at_its_own_line(scan, name):
    # Whatever its name sorts before or after, an override file applies after main.tf.
    assert dh103(scan, {"infra/main.tf": VOLUMES}) == [("DH103", "infra/main.tf", 4)]
    assert dh103(scan, {"infra/main.tf": VOLUMES, f"infra/{name}": OVERRIDE}) == [
        ("DH103", f"infra/{name}", 6)
    ]


def test_the_merged_block_keeps_the_original_header_and_other_arguments():
    model = model_of({"main.tf": VOLUMES, "override.tf": OVERRIDE})
    logs = model.get("aws_ebs_volume.logs")
    assert logs.values == {"availability_zone": "us-east-1a", "size": 10, "encrypted": False}
    assert (logs.location.path, logs.location.start_line) == ("main.tf", 7)
    assert (logs.loc("size").path, logs.loc("size").start_line) == ("main.tf", 9)
    assert (logs.loc("encrypted").path, logs.loc("encrypted").start_line) == ("override.tf", 6)
    # A finding on the header (a missing tag) stays on the original.
    assert logs.loc("tags") == logs.location


def test_a_json_override_of_an_hcl_block_and_an_hcl_override_of_a_json_block(scan):
    json_override = (
        '{\n  "resource": {\n    "aws_ebs_volume": {\n'
        '      "data": {"encrypted": true},\n'
        '      "logs": {\n        "encrypted": false\n      }\n'
        "    }\n  }\n}\n"
    )
    files = {"infra/main.tf": VOLUMES, "infra/override.tf.json": json_override}
    assert dh103(scan, files) == [("DH103", "infra/override.tf.json", 6)]
    logs = model_of(files).get("aws_ebs_volume.logs")
    assert logs.values == {"availability_zone": "us-east-1a", "size": 10, "encrypted": False}
    json_main = (
        '{"resource": {"aws_ebs_volume": {\n'
        '  "data": {"availability_zone": "us-east-1a", "encrypted": false},\n'
        '  "logs": {"availability_zone": "us-east-1a", "encrypted": true}\n'
        "}}}\n"
    )
    files = {"infra/main.tf.json": json_main, "infra/a_override.tf": OVERRIDE}
    assert dh103(scan, files) == [("DH103", "infra/a_override.tf", 6)]
    logs = model_of(files).get("aws_ebs_volume.logs")
    assert logs.values == {"availability_zone": "us-east-1a", "encrypted": False}


INSTANCE = """resource "aws_instance" "app" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  root_block_device {
    encrypted = true
  }
  ebs_block_device {
    device_name = "/dev/sdb"
    encrypted   = true
  }
  ebs_block_device {
    device_name = "/dev/sdc"
    encrypted   = true
  }
}
"""


def test_a_nested_block_in_an_override_replaces_all_the_originals_of_its_type(scan):
    # root_block_device replaced by one that says nothing of encryption (DH103 at its header,
    # where the value is missing); one ebs_block_device replaces both originals.
    override = """resource "aws_instance" "app" {
  root_block_device {
    volume_size = 50
  }
  ebs_block_device {
    device_name = "/dev/sdd"
    encrypted   = false
  }
}
"""
    files = {"main.tf": INSTANCE, "override.tf": override}
    assert dh103(scan, files) == [("DH103", "override.tf", 2), ("DH103", "override.tf", 7)]
    model = model_of(files)
    app = model.get("aws_instance.app")
    assert app.values["ebs_block_device"] == [{"device_name": "/dev/sdd", "encrypted": False}]
    assert app.values["instance_type"] == "t3.micro"
    # A block type the override does not name stays as written.
    only_root = (
        'resource "aws_instance" "app" {\n  root_block_device {\n    encrypted = false\n  }\n}\n'
    )
    files = {"main.tf": INSTANCE, "override.tf": only_root}
    assert dh103(scan, files) == [("DH103", "override.tf", 3)]
    assert len(model_of(files).get("aws_instance.app").values["ebs_block_device"]) == 2


def test_a_static_block_in_an_override_replaces_a_dynamic_block_of_its_type():
    main = """variable "disks" { default = ["/dev/sdb", "/dev/sdc"] }
resource "aws_instance" "app" {
  ami = "ami-1"
  dynamic "ebs_block_device" {
    for_each = var.disks
    content {
      device_name = ebs_block_device.value
      encrypted   = true
    }
  }
}
"""
    override = """resource "aws_instance" "app" {
  ebs_block_device {
    device_name = "/dev/sdz"
    encrypted   = false
  }
}
"""
    model = model_of({"main.tf": main, "override.tf": override})
    assert model.get("aws_instance.app").values == {
        "ami": "ami-1",
        "ebs_block_device": [{"device_name": "/dev/sdz", "encrypted": False}],
    }


LOCALS_MAIN = """locals {
  encrypt = true
  size    = 10
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = local.size
  encrypted         = local.encrypt
}
"""


def test_locals_are_overridden_by_name_and_the_finding_is_on_the_using_argument(scan):
    # Named to sort before main.tf: overrides still apply after it.
    override = "locals {\n  encrypt = false\n}\n"
    files = {"main.tf": LOCALS_MAIN, "locals_override.tf": override}
    assert dh103(scan, files) == [("DH103", "main.tf", 9)]
    # Only the named value is replaced: size still comes from the original locals block.
    assert model_of(files).get("aws_ebs_volume.data").values["size"] == 10
    fixed = {
        "main.tf": LOCALS_MAIN.replace("encrypt = true", "encrypt = false"),
        "locals_override.tf": "locals {\n  encrypt = true\n}\n",
    }
    assert dh103(scan, fixed) == []


def test_variable_defaults_and_module_arguments_are_overridden(scan):
    main = """variable "encrypt" {
  type    = bool
  default = true
}
module "disk" {
  source  = "./disk"
  encrypt = var.encrypt
}
"""
    disk = """variable "encrypt" {}
resource "aws_ebs_volume" "d" {
  availability_zone = "us-east-1a"
  encrypted         = var.encrypt
}
"""
    files = {"main.tf": main, "disk/main.tf": disk}
    assert dh103(scan, files) == []
    variable = 'variable "encrypt" {\n  default = false\n}\n'
    assert dh103(scan, {**files, "override.tf": variable}) == [("DH103", "disk/main.tf", 4)]
    model = model_of({**files, "override.tf": variable})
    encrypt = next(v for v in model.variables if v.address == "var.encrypt")
    assert (encrypt.loc("default").path, encrypt.loc("default").start_line) == ("override.tf", 2)
    call = 'module "disk" {\n  encrypt = false\n}\n'
    assert dh103(scan, {**files, "override.tf": call}) == [("DH103", "disk/main.tf", 4)]


def test_several_override_files_apply_in_name_order_and_later_blocks_win(scan):
    fix = 'resource "aws_ebs_volume" "data" {\n  encrypted = true\n}\n'
    undo = 'resource "aws_ebs_volume" "data" {\n  encrypted = false\n}\n'
    base = {"main.tf": VOLUMES}
    assert dh103(scan, {**base, "a_override.tf": undo, "b_override.tf": fix}) == []
    assert dh103(scan, {**base, "a_override.tf": fix, "b_override.tf": undo}) == [
        ("DH103", "b_override.tf", 2)
    ]
    # override.tf sorts after a_override.tf; override.tf.json after override.tf.
    json_fix = '{"resource": {"aws_ebs_volume": {"data": {"encrypted": true}}}}\n'
    assert dh103(scan, {**base, "override.tf": undo, "a_override.tf": fix}) == [
        ("DH103", "override.tf", 2)
    ]
    assert dh103(scan, {**base, "override.tf": undo, "override.tf.json": json_fix}) == []
    # Two blocks in one file: the later wins; an override file named before main.tf still
    # applies after it (override files come after all the others).
    assert dh103(scan, {**base, "0_override.tf": fix + undo}) == [("DH103", "0_override.tf", 5)]
    assert dh103(scan, {**base, "0_override.tf": undo + fix}) == []


def test_provider_blocks_are_overridden_by_name_and_alias(scan):
    main = """provider "aws" {
  default_tags {
    tags = { "data-classification" = "internal" }
  }
}
provider "aws" {
  alias = "dr"
  default_tags {
    tags = { "data-classification" = "internal" }
  }
}
resource "aws_ebs_volume" "a" {
  availability_zone = "us-east-1a"
  encrypted         = true
}
resource "aws_ebs_volume" "b" {
  provider          = aws.dr
  availability_zone = "us-east-1a"
  encrypted         = true
}
"""
    override = 'provider "aws" {\n  alias = "dr"\n  default_tags {\n    tags = {}\n  }\n}\n'
    assert rule_ids(scan({"main.tf": main}, select=["DH801"])) == []
    result = scan({"main.tf": main, "override.tf": override}, select=["DH801"])
    assert rule_ids(result) == [("DH801", "main.tf", 16)]


def test_an_override_with_no_original_is_a_diagnostic_not_a_crash(scan):
    orphan = """resource "aws_ebs_volume" "ghost" {
  encrypted = false
}

locals {
  missing = 1
}
"""
    result = scan({"main.tf": VOLUMES, "override.tf": orphan}, select=["DH103"])
    assert rule_ids(result) == [("DH103", "main.tf", 4)]
    assert [(d.path, d.line, d.level, d.kind) for d in result.diagnostics] == [
        ("override.tf", 1, "warning", "override"),
        ("override.tf", 6, "warning", "override"),
    ]
    assert 'resource "aws_ebs_volume" "ghost" overrides nothing' in result.diagnostics[0].message
    assert "local value 'missing' overrides nothing" in result.diagnostics[1].message
    # A module directory of override files only: no model, the diagnostics, no crash.
    result = build({"lonely/override.tf": orphan})
    assert result.models == [] and len(result.diagnostics) == 2


def test_named_files_alone_see_the_overrides_as_context(scan):
    """Pre-commit names the changed files: the override is read as context of main.tf (the
    fixed finding stays away; the one at override.tf:6 belongs to that file), and named alone,
    the override file is judged merged with its original."""
    files = {"infra/main.tf": VOLUMES, "infra/override.tf": OVERRIDE}
    assert dh103(scan, files, paths=["infra/main.tf"]) == []
    assert rule_ids(scan(files, select=["DH801"], paths=["infra/main.tf"])) == [
        ("DH801", "infra/main.tf", 1),
        ("DH801", "infra/main.tf", 7),
    ]
    assert dh103(scan, files, paths=["infra/override.tf"]) == [("DH103", "infra/override.tf", 6)]
    # An override file git ignores (as Terraform's usual .gitignore does) is not read.
    ignored = {**files, ".gitignore": "override.tf\n"}
    assert dh103(scan, ignored) == [("DH103", "infra/main.tf", 4)]
    assert dh103(scan, ignored, paths=["infra/main.tf"]) == [("DH103", "infra/main.tf", 4)]


def test_a_suppression_covers_findings_of_its_own_override_block_only(scan):
    suppressed = OVERRIDE.replace(
        'resource "aws_ebs_volume" "logs" {',
        'resource "aws_ebs_volume" "logs" { # dhlint: ignore[DH103] scratch volume',
    )
    assert dh103(scan, {"main.tf": VOLUMES, "override.tf": suppressed}) == []
    # A comment in the override's first block (lines 1-3) does not reach the finding of the
    # second (line 6), though main.tf's "logs" block spans those line numbers (1-8).
    main = """resource "aws_ebs_volume" "logs" {
  availability_zone = "us-east-1a"
  size              = 10
  encrypted         = true
  tags = {
    team = "x"
  }
}
resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  encrypted         = false
}
"""
    other = OVERRIDE.replace(
        'resource "aws_ebs_volume" "data" {',
        'resource "aws_ebs_volume" "data" { # dhlint: ignore[DH103] not this one',
    )
    assert dh103(scan, {"main.tf": main, "override.tf": other}) == [("DH103", "override.tf", 6)]


def test_lifecycle_required_providers_and_backend_merge_as_terraform_documents():
    """Blocks the rules do not read, merged as Terraform does: lifecycle argument by argument,
    required_providers by provider, a backend replacing a cloud block."""
    from dhlint.frontends.terraform import parse_hcl
    from dhlint.models.terraform_override import merge_overrides

    main = parse_hcl(
        "main.tf",
        'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n'
        '    google = { source = "hashicorp/google" }\n  }\n  cloud {\n    organization = "o"\n'
        '  }\n}\nresource "x_y" "z" {\n  lifecycle {\n    prevent_destroy = true\n'
        "    ignore_changes  = [tags]\n  }\n}\n",
    )
    over = parse_hcl(
        "override.tf",
        'terraform {\n  required_providers {\n    aws = { source = "example/aws" }\n  }\n'
        '  backend "s3" {}\n}\nresource "x_y" "z" {\n  lifecycle {\n'
        "    prevent_destroy = false\n  }\n}\n",
    )
    blocks, diagnostics = merge_overrides(
        [("main.tf", b) for b in main.blocks], [("override.tf", b) for b in over.blocks]
    )
    assert diagnostics == []
    terraform, resource = (b for _, b in blocks)
    assert [b.type for b in terraform.blocks] == ["required_providers", "backend"]
    providers = terraform.blocks[0].attributes
    assert sorted(providers) == ["aws", "google"]
    assert (providers["aws"].path, providers["google"].path) == ("override.tf", "")
    (lifecycle,) = resource.blocks
    assert sorted(lifecycle.attributes) == ["ignore_changes", "prevent_destroy"]
    assert lifecycle.attributes["prevent_destroy"].path == "override.tf"
    assert resource.merged == (("override.tf", 7, 11),)


def test_a_modules_blocks_of_a_type_come_from_an_index_made_again_when_they_change():
    """``_Module.of`` (asked about ten times per module instance) reads an index by type, made
    once per list of blocks: a block added to the list, or the list replaced (as the merge of
    override files does), is seen."""
    from dhlint.frontends.terraform import parse_hcl
    from dhlint.models.terraform_build import _Module

    tree = parse_hcl("main.tf", 'variable "a" {}\nresource "x" "y" {}\nvariable "b" {}\n')
    module = _Module(".", [("main.tf", b) for b in tree.blocks])
    assert [b.labels for _, b in module.of("variable")] == [("a",), ("b",)]
    index = module._by_type
    assert [b.labels for _, b in module.of("resource")] == [("x", "y")]
    assert module._by_type is index  # made once
    module.of("variable").clear()  # a caller's list is its own
    added = parse_hcl("b.tf", 'variable "c" {}\n').blocks[0]
    module.blocks.append(("b.tf", added))
    assert [b.labels[0] for _, b in module.of("variable")] == ["a", "b", "c"]
    module.blocks = module.blocks[:1]
    assert [b.labels[0] for _, b in module.of("variable")] == ["a"]
    assert module.of("resource") == []
