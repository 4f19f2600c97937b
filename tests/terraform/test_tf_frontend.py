"""The Terraform frontend: python-hcl2 8's lark tree -> our tree, with exact positions."""

from __future__ import annotations

from pathlib import Path

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


def test_a_token_no_value_converts_from_is_a_parse_error():
    # python-hcl2's FLOAT_LITERAL lexes -1-2.5 as one number; it was a ValueError that made the
    # model builder fail the whole unit ("internal error"), not a diagnostic for the file.
    with pytest.raises(FrontendError) as info:
        parse_file("broken.tf", "x = -1-2.5\n")
    assert "invalid HCL" in info.value.message and "-1-2.5" in info.value.message


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


def test_grammar_corners_parse_and_evaluate():
    from ._helpers import model_of

    text = """// line comment
/* block comment */
locals {
  grouped = { for k, v in { a = 1, b = 2 } : v => k... }
  splat   = aws_s3_bucket.b[*].id
  escaped = "$${not_interp} and %%{not_directive}"
  number  = -1.5e3
  logic   = (1 + 2) * 3 > 5 && "a" != "b" || false
  keys = {
    "quoted key" = 1
    in           = 2
  }
  fallback = try(var.nope.deep, "default")
  provider_fn = provider::aws::arn_parse("arn:aws:s3:::x")
}
resource "x_y" "z" {
  escaped  = local.escaped
  number   = local.number
  logic    = local.logic
  keys     = local.keys
  fallback = local.fallback
}
"""
    values = model_of({"main.tf": text}).get("x_y.z").values
    assert values == {
        "escaped": "${not_interp} and %{not_directive}",
        "number": -1500.0,
        "logic": True,
        "keys": {"quoted key": 1, "in": 2},
        "fallback": "default",
    }


def test_crlf_line_endings_keep_positions():
    (block,) = parse_file("main.tf", 'resource "a_b" "c" {\r\n  x = "y"\r\n}\r\n').blocks
    assert block.attributes["x"].key_pos.line == 2 and block.end_line == 3


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n", "/* */\n"])
def test_empty_files(text):
    assert parse_file("main.tf", text).blocks == ()


def test_random_text_never_crashes_the_frontend():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list('resource"aws_{}[]()=.,:?$%#\n /*-<>!0123456789ab'))

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.lists(alphabet, max_size=80).map("".join))
    def check(text):
        try:
            parse_file("fuzz.tf", text)
        except FrontendError as exc:
            assert "\n" not in exc.message

    check()


def test_positions_from_edge_tokens_match_lark_propagation():
    """The frontend parses without lark's position propagation and takes a node's position from
    its first and last token; on every fixture that must equal what propagation would give."""
    from pathlib import Path

    import hcl2
    from lark import Tree

    from dhlint.frontends import terraform as tf

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    checked = 0
    for path in sorted(fixtures.rglob("*.tf")):
        text = path.read_text(encoding="utf-8")
        try:
            propagated = hcl2.parses_to_tree(text)
        except Exception:
            continue  # the deliberately broken fixtures
        ours = tf._parse_tree(text)
        for theirs, mine in zip(propagated.iter_subtrees(), ours.iter_subtrees(), strict=True):
            assert isinstance(mine, Tree) and mine.data == theirs.data
            if theirs.meta.empty:
                assert tf._pos(mine) == tf.NOPOS
            else:
                meta = theirs.meta
                expected = tf.Pos(meta.line, meta.column, meta.end_line, meta.end_column)
                assert tf._pos(mine) == expected, (path.name, theirs.data)
            checked += 1
    assert checked > 3_000


def test_a_broken_parser_cache_is_rebuilt(tmp_path, monkeypatch):
    from dhlint.frontends import terraform as tf

    cache = tmp_path / "cache.bin"
    cache.write_bytes(b"not a lark cache\n\x80\x04garbage")
    monkeypatch.setattr(tf, "_parser_cache", lambda: str(cache))
    parser = tf._parser.__wrapped__()  # a fresh parser, not the process-wide one
    assert parser.parse('a = "b"\n').data == "start"
    assert cache.read_bytes().startswith(b"not a lark cache") is False  # rewritten


def test_hcl2_parts_are_read_without_importing_the_package_and_the_fallback_agrees(monkeypatch):
    import importlib.util

    import hcl2.parser
    import hcl2.postlexer

    from dhlint.frontends import terraform

    grammar, post_lexer = terraform._hcl2_parts()
    assert grammar == str(Path(hcl2.parser.__file__).with_name("hcl2.lark"))
    assert post_lexer.__module__ == "dhlint._hcl2_postlexer"  # read from python-hcl2's file
    # Should python-hcl2 move its files, the package is imported as before.
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, package=None: None)
    assert terraform._hcl2_parts() == (grammar, hcl2.postlexer.PostLexer)
