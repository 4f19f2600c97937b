"""The Terraform model: values resolved, split S3 resources linked to their bucket."""

from __future__ import annotations

from dhlint.models.terraform_eval import Branches, Unknown

from ._helpers import build, model_of


def test_variables_locals_tfvars_and_interpolation():
    model = model_of(
        {
            "main.tf": """
variable "env" { default = "staging" }
variable "days" { default = 30 }
variable "unset" {}
locals {
  name = "kc-${var.env}-raw"
  days = var.days * 2
}
resource "aws_s3_bucket" "raw" {
  bucket = local.name
  tags   = merge({ a = "1" }, { b = upper(var.env) })
}
resource "aws_cloudwatch_log_group" "g" {
  name              = var.unset
  retention_in_days = local.days
}
""",
            "terraform.tfvars": 'env = "prod"\n',
            "z.auto.tfvars": "days = 45\n",
        }
    )
    bucket = model.get("aws_s3_bucket.raw")
    assert bucket.values["bucket"] == "kc-prod-raw"
    assert bucket.values["tags"] == {"a": "1", "b": "PROD"}
    group = model.get("aws_cloudwatch_log_group.g")
    assert group.values["retention_in_days"] == 90
    assert isinstance(group.values["name"], Unknown)


def test_conditional_with_unknown_condition_keeps_both_branches():
    model = model_of(
        {
            "main.tf": """
variable "prod" { type = bool }
resource "aws_cloudwatch_log_group" "g" {
  retention_in_days = var.prod ? 30 : 0
}
"""
        }
    )
    group = model.get("aws_cloudwatch_log_group.g")
    assert group.values["retention_in_days"] == Branches((30, 0))
    assert [v for _, v in group.find("retention_in_days")] == [30, 0]


def test_companions_linked_by_reference_and_by_name():
    model = model_of(
        {
            "main.tf": """
resource "aws_s3_bucket" "a" { bucket = "kc-a" }
resource "aws_s3_bucket" "b" { bucket = "kc-b" }
resource "aws_s3_bucket" "c" { bucket_prefix = "kc-c" }
resource "aws_s3_bucket_server_side_encryption_configuration" "a" {
  bucket = aws_s3_bucket.a.id
}
resource "aws_s3_bucket_lifecycle_configuration" "b" {
  bucket = "kc-b"
}
resource "aws_s3_bucket_public_access_block" "c" {
  bucket = aws_s3_bucket.c.bucket
}
""",
        }
    )
    a, b, c = (model.get(f"aws_s3_bucket.{n}") for n in "abc")
    assert [r.address for r in a.companions["encryption"]] == [
        "aws_s3_bucket_server_side_encryption_configuration.a"
    ]
    assert [r.address for r in b.companions["lifecycle"]] == [
        "aws_s3_bucket_lifecycle_configuration.b"
    ]
    assert list(c.companions) == ["public_access_block"]
    assert a.companions["encryption"][0].owner is a


def test_count_zero_drops_the_resource_and_unknown_count_keeps_it():
    model = model_of(
        {
            "main.tf": """
variable "on" { type = bool }
resource "aws_s3_bucket" "off" {
  count  = 0
  bucket = "x"
}
resource "aws_s3_bucket" "maybe" {
  count  = var.on ? 1 : 0
  bucket = "y-${count.index}"
}
"""
        }
    )
    assert [r.address for r in model.resources] == ["aws_s3_bucket.maybe"]


def test_parse_error_is_one_diagnostic_and_other_files_continue():
    result = build(
        {"bad.tf": 'resource "x" "y" {\n  a = \n}\n', "good.tf": 'resource "a_b" "c" {}\n'}
    )
    (diag,) = result.diagnostics
    assert (diag.path, diag.line, diag.kind) == ("bad.tf", 2, "parse-error")
    assert "\n" not in diag.message
    assert [r.address for r in result.models[0].resources] == ["a_b.c"]


def test_attribute_locations_and_header_fallback():
    model = model_of(
        {
            "main.tf": """resource "aws_cloudwatch_log_group" "g" {
  name              = "g"
  retention_in_days = 400
  tags = {
    "data-classification" = "sensitive"
  }
}
"""
        }
    )
    group = model.get("aws_cloudwatch_log_group.g")
    loc = group.loc("retention_in_days")
    assert (loc.start_line, loc.start_col, loc.end_col) == (3, 3, 26)
    assert group.loc("tags.data-classification").start_line == 5
    assert group.loc("kms_key_id") == group.location
    assert (group.location.start_line, group.scope) == (1, (1, 7))


# A resource with nested blocks, a list of blocks and a map holding a list (for its locations).
_LIFECYCLE = """resource "aws_s3_bucket_lifecycle_configuration" "l" {
  bucket = "b"
  rule {
    id = "a"
    transition { days = 30 }
  }
  rule { id = "b" }
  tags = { owner = "x", list = ["1", "2"] }
}
"""


def test_locations_are_made_when_first_read():
    import pickle

    model = model_of({"main.tf": _LIFECYCLE})
    res = model.get("aws_s3_bucket_lifecycle_configuration.l")
    assert "locations" not in vars(res)  # the build leaves them to the first reader
    copy = pickle.loads(pickle.dumps(res))
    lines = {key: loc.start_line for key, loc in res.locations.items()}
    assert lines == {
        ("bucket",): 2,
        ("tags",): 8,
        ("tags", "owner"): 8,
        ("tags", "list"): 8,
        ("tags", "list", 0): 8,
        ("tags", "list", 1): 8,
        ("rule",): 3,
        ("rule", 0): 3,
        ("rule", 0, "id"): 4,
        ("rule", 0, "transition"): 5,
        ("rule", 0, "transition", 0): 5,
        ("rule", 0, "transition", 0, "days"): 5,
        ("rule", 1): 7,
        ("rule", 1, "id"): 7,
    }
    assert copy.locations == res.locations and copy == res
    assert res.loc(("rule", 0, "transition", 0, "days")).start_col == 18


def test_a_location_is_read_without_making_the_others():
    import pickle

    model = model_of({"main.tf": _LIFECYCLE})
    res = model.get("aws_s3_bucket_lifecycle_configuration.l")
    fresh = pickle.dumps(res)  # its locations not made yet
    assert res.loc(("rule", 0, "transition", 0, "days")).start_col == 18
    assert res.loc(("rule", 1, "transition")).start_line == 7  # the nearest made: the block
    assert res.loc("tags.list").start_line == 8
    assert "locations" not in vars(res)  # only the parts under "rule" and "tags" were made
    # Each key answers as the whole made at once does, in any order of asking.
    whole = pickle.loads(fresh).locations
    for key, location in reversed(whole.items()):
        assert pickle.loads(fresh).loc(key) == location
    assert res.loc(("bucket",)) == whole[("bucket",)] and res.locations == whole


def test_model_is_picklable_with_linked_companions():
    import pickle

    model = model_of(
        {
            "main.tf": 'variable "c" { type = bool }\n'
            # no name written: the id stays unknown (an Unknown to pickle)
            'resource "aws_s3_bucket" "a" { bucket_prefix = "kc-a-" }\n'
            'resource "aws_s3_bucket_logging" "a" {\n'
            "  bucket = aws_s3_bucket.a.id\n"
            '  target_prefix = var.c ? "x/" : "y/"\n'
            "}\n"
        }
    )
    copy = pickle.loads(pickle.dumps(model))
    bucket = copy.get("aws_s3_bucket.a")
    (logging,) = bucket.companions["logging"]
    assert logging.owner is bucket
    assert logging.values["target_prefix"] == Branches(("x/", "y/"))
    # The bucket's id, its name (not known): a text (see _bucket_of)
    assert logging.values["bucket"] == Unknown(frozenset({"aws_s3_bucket.a"}), "${?}")


def test_of_type_keeps_model_order_and_sees_resources_added_later():
    from dhlint.models.terraform import Resource, TerraformModel, _base_address
    from dhlint.types import Location

    def res(type_: str, name: str) -> Resource:
        return Resource(
            f"{type_}.{name}", type_, name, "", "managed", "m.tf", Location("m.tf", 1, 1), (1, 1)
        )

    model = TerraformModel(
        "", resources=[res("b", "1"), res("a", "1"), res("b", "2"), res("c", "1")]
    )
    assert [r.address for r in model.of_type("a", "b")] == ["b.1", "a.1", "b.2"]
    assert [r.address for r in model.of_type("b", "a", "b")] == ["b.1", "a.1", "b.2"]
    assert [r.address for r in model.of_type("c")] == ["c.1"]
    assert model.of_type("d") == []
    model.of_type("c").clear()  # a copy: the index is not changed through it
    model.resources.append(res("c", "2"))  # added after a first lookup: seen
    assert [r.address for r in model.of_type("c", "a")] == ["a.1", "c.1", "c.2"]
    assert sorted(model.types()) == ["a", "b", "c"] and model.types().isdisjoint(["d"])
    # An address without an instance key is its own base address (the common, fast case).
    assert _base_address("module.a.aws_s3_bucket.b") == "module.a.aws_s3_bucket.b"
    assert _base_address('module.a[0].aws_s3_bucket.b["x]"]') == "module.a.aws_s3_bucket.b"
    assert _base_address("x.y]") == "x.y"


def test_data_class_is_each_policys_and_follows_a_relinked_owner():
    """``data_class`` is remembered per resource (rules ask it of every resource they judge):
    per policy, and forgotten when ``link_companions`` sets the owner a companion takes its
    class from."""
    from dhlint.models.terraform import link_companions
    from dhlint.policy import policy_from_mapping

    model = model_of(
        {
            "main.tf": 'resource "aws_s3_bucket" "a" {\n'
            '  bucket = "kc-a"\n'
            '  tags   = { data-classification = "public" }\n'
            "}\n"
            'resource "aws_s3_bucket_logging" "a" {\n'
            "  bucket        = aws_s3_bucket.a.id\n"
            '  target_prefix = "x/"\n'
            "}\n"
        }
    )
    internal = policy_from_mapping({"classification": {"default": "internal"}}, "a.yaml")
    sensitive = policy_from_mapping({"classification": {"default": "sensitive"}}, "b.yaml")
    bucket, logging = model.get("aws_s3_bucket.a"), model.get("aws_s3_bucket_logging.a")
    assert logging.owner is bucket
    assert logging.data_class(internal) == "public"  # its bucket's
    model.resources.remove(bucket)
    link_companions(model)  # no bucket now: no owner, no tag, each policy's default
    assert logging.owner is None
    assert logging.data_class(internal) == "internal"
    assert logging.data_class(sensitive) == "sensitive"
    assert logging.data_class(internal) == "internal"


def test_tags_are_made_once_and_follow_replaced_default_tags_and_values():
    """``tags`` is made once per resource (DH801, DH802 and the inventory read it of the same
    resources), and made again when the builder replaces ``default_tags`` or ``values``."""
    model = model_of(
        {
            "main.tf": 'resource "aws_s3_bucket" "a" {\n'
            '  bucket = "kc-a"\n'
            '  tags   = { data-classification = "public", team = "x" }\n'
            "}\n"
        }
    )
    bucket = model.get("aws_s3_bucket.a")
    first = bucket.tags
    assert first == {"data-classification": "public", "team": "x"}
    assert bucket.tags is first  # not rebuilt
    bucket.default_tags = {"owner": "data", "team": "y"}  # set after the resource is made
    assert bucket.tags == {"owner": "data", "team": "x", "data-classification": "public"}
    bucket.values = {"labels": {"team": "z"}}
    assert bucket.tags == {"owner": "data", "team": "z"}


def test_variables_a_block_names_are_found_in_every_expression_and_no_scalar_is_walked():
    """``Resource.variables`` (``VarRefs``) finds ``var.x`` wherever the block names it, on
    the lines it names it; the walk skips what never holds an expression (a literal's value,
    positions, names, operators)."""
    from dhlint.frontends.terraform_ast import Attribute, Literal, Traversal
    from dhlint.models.terraform_build import _CHILDREN

    model = model_of(
        {
            "main.tf": 'resource "x_y" "z" {\n'
            '  a = "${var.t}-x"\n'
            "  b = upper(var.c)\n"
            "  c = var.k ? -var.n : var.m + 1\n"
            "  d = [for s in var.list : s if s != var.skip]\n"
            "  e = { (var.key) = local.m[var.idx] }\n"
            "  f = 3\n"
            "  nested {\n"
            "    g = var.deep\n"
            "  }\n"
            "}\n"
        }
    )
    refs = model.get("x_y.z").variables
    named = ["t", "c", "k", "n", "m", "list", "skip", "key", "idx", "deep"]
    assert all(name in refs for name in named)
    assert "z" not in refs and "s" not in refs and "x" not in refs
    assert refs.on_lines(3, 3) == {"c"}
    assert refs.on_lines(4, 6) == {"k", "n", "m", "list", "skip", "key", "idx"}
    assert refs.on_lines(7, 11) == {"deep"}
    assert _CHILDREN[Literal] == ()
    assert _CHILDREN[Attribute] == ("value",)
    assert _CHILDREN[Traversal] == ("steps",)
