"""The Terraform frontend: python-hcl2 8's lark tree -> our tree, with exact positions."""

from __future__ import annotations

import pytest

from dhlint.frontends.terraform import parse_file
from dhlint.frontends.terraform_ast import Conditional, Literal, Pos, Template, Traversal
from dhlint.types import FrontendError

HCL = """\
# Raw ALPR reads
resource "aws_s3_bucket" "raw" {
  bucket = "kc-${var.env}-raw"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
  tags = { "data-classification" = "personal", team = var.team }
  count = var.on ? 1 : 0
}
"""


def test_block_and_attribute_positions_are_pinned():
    tree = parse_file("main.tf", HCL)
    (bucket,) = tree.blocks
    assert (bucket.type, bucket.labels) == ("resource", ("aws_s3_bucket", "raw"))
    assert bucket.pos == Pos(2, 1, 2, 31)
    assert bucket.end_line == 14
    attr = bucket.attributes["bucket"]
    assert attr.key_pos == Pos(3, 3, 3, 9)
    assert attr.pos == Pos(3, 3, 3, 31)
    assert isinstance(attr.value, Template)
    assert attr.value.parts[0] == "kc-"
    assert attr.value.parts[1] == Traversal(Pos(3, 18, 3, 25), "var", (("attr", "env"),))
    (sse,) = bucket.blocks
    assert sse.pos.line == 5 and sse.end_line == 11
    algo = sse.blocks[0].blocks[0].attributes["sse_algorithm"]
    assert algo.key_pos == Pos(8, 9, 8, 22)
    assert algo.value == Literal(Pos(8, 25, 8, 34), "aws:kms")
    tags = bucket.attributes["tags"].value
    key, value = tags.items[0]
    assert (key.value, value.value, value.pos.line, value.pos.col) == (
        "data-classification",
        "personal",
        12,
        36,
    )
    assert isinstance(bucket.attributes["count"].value, Conditional)


def test_parse_error_names_the_line():
    with pytest.raises(FrontendError) as info:
        parse_file("broken.tf", 'resource "aws_s3_bucket" "x" {\n  bucket = \n}\n')
    assert info.value.line == 2
    assert "invalid HCL" in info.value.message


def test_unclosed_block_is_a_parse_error():
    with pytest.raises(FrontendError) as info:
        parse_file("broken.tf", 'resource "aws_s3_bucket" "x" {\n  bucket = "a"\n')
    assert "end of file" in info.value.message


def test_tf_json_positions_and_interpolation():
    text = (
        "{\n"
        '  "resource": {\n'
        '    "aws_cloudwatch_log_group": {\n'
        '      "api": {\n'
        '        "name": "/kc/${var.env}/api",\n'
        '        "retention_in_days": 30\n'
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    (block,) = parse_file("main.tf.json", text).blocks
    assert block.labels == ("aws_cloudwatch_log_group", "api")
    assert block.pos.line == 4 and block.end_line == 7
    assert block.attributes["retention_in_days"].key_pos.line == 6
    assert block.attributes["retention_in_days"].value.value == 30
    name = block.attributes["name"].value
    assert isinstance(name, Template) and name.parts[1].root == "var"


def test_tf_json_error_has_line():
    with pytest.raises(FrontendError) as info:
        parse_file("main.tf.json", '{\n  "resource": {\n    "a": [1,\n}\n')
    assert info.value.line >= 3


def test_tfvars_top_level_attributes():
    tree = parse_file("terraform.tfvars", 'env = "prod"\nretention = 30\n')
    assert tree.attributes["env"].value.value == "prod"
    assert tree.attributes["retention"].key_pos.line == 2


def test_heredoc_with_interpolation():
    text = 'resource "x" "y" {\n  policy = <<-EOT\n    {"a": "${var.b}"}\n  EOT\n}\n'
    (block,) = parse_file("main.tf", text).blocks
    value = block.attributes["policy"].value
    assert isinstance(value, Template)
    assert value.parts[0] == '{"a": "'
