"""Value resolution in the Terraform model: tfvars order, modules, functions, unknowns."""

from __future__ import annotations

import pickle
import time

from dhlint.models.terraform_eval import Branches, Unknown

from ._helpers import model_of, run_rule


def test_tfvars_precedence_json_and_auto_files_in_name_order():
    model = model_of(
        {
            "main.tf": 'variable "a" { default = "default" }\n'
            'variable "b" { default = "default" }\n'
            'variable "c" { default = "default" }\n'
            'resource "x_y" "z" {\n  a = var.a\n  b = var.b\n  c = var.c\n}\n',
            "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\n',
            "terraform.tfvars.json": '{"b": "tfvars.json", "c": "tfvars.json"}',
            "a.auto.tfvars": 'c = "a.auto"\n',
            "b.auto.tfvars.json": '{"c": "b.auto"}',
        }
    )
    assert model.get("x_y.z").values == {"a": "tfvars", "b": "tfvars.json", "c": "b.auto"}


def test_module_output_links_a_root_companion_to_a_module_bucket():
    model = model_of(
        {
            "main.tf": """
module "store" {
  source = "./modules/store"
  name   = "kc-store"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "store" {
  bucket = module.store.bucket_id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }
  }
}
""",
            "modules/store/main.tf": """
variable "name" {}
resource "aws_s3_bucket" "this" { bucket = var.name }
output "bucket_id" { value = aws_s3_bucket.this.id }
""",
        }
    )
    bucket = model.get("module.store.aws_s3_bucket.this")
    assert bucket.values["bucket"] == "kc-store"
    assert [c.address for c in bucket.companions["encryption"]] == [
        "aws_s3_bucket_server_side_encryption_configuration.store"
    ]
    assert run_rule("DH101", model) == []


def test_provider_default_tags_are_inherited_by_child_modules():
    model = model_of(
        {
            "main.tf": """
provider "aws" {
  default_tags {
    tags = { "data-classification" = "internal" }
  }
}
module "m" { source = "./m" }
""",
            "m/main.tf": 'resource "aws_s3_bucket" "b" { bucket = "b" }\n',
        }
    )
    assert model.get("module.m.aws_s3_bucket.b").tags == {"data-classification": "internal"}


def test_provider_default_tags_follow_the_provider_alias():
    """A resource takes the default_tags of the configuration its ``provider`` names; a module
    call passes the configurations its ``providers`` map names (an alias becomes the child's
    default), or else the caller's default only."""
    model = model_of(
        {
            "main.tf": """
provider "aws" {
  region = "us-east-2"
}
provider "aws" {
  alias  = "dr"
  region = "us-west-2"
  default_tags {
    tags = { "data-classification" = "public" }
  }
}
resource "aws_s3_bucket" "main" { bucket = "main" }
resource "aws_s3_bucket" "dr" {
  provider = aws.dr
  bucket   = "dr"
}
module "copy" {
  source    = "./m"
  providers = { aws = aws.dr }
}
module "plain" { source = "./m" }
""",
            "m/main.tf": 'resource "aws_s3_bucket" "b" { bucket = "b" }\n',
        }
    )
    assert model.get("aws_s3_bucket.main").tags == {}
    assert model.get("aws_s3_bucket.dr").tags == {"data-classification": "public"}
    assert model.get("module.copy.aws_s3_bucket.b").tags == {"data-classification": "public"}
    assert model.get("module.plain.aws_s3_bucket.b").tags == {}


def test_try_falls_back_per_instance_and_per_branch():
    """``try(each.value.x, default)``: the instances without ``x`` take the default, the
    others keep their own value; so do the branches of an undecided conditional."""
    model = model_of(
        {
            "main.tf": """
variable "services" {
  default = {
    permits  = { retention_days = 30 }
    payments = {}
  }
}
variable "long" {}
resource "aws_cloudwatch_log_group" "svc" {
  for_each          = var.services
  name              = "/kc/portal/${each.key}"
  retention_in_days = try(each.value.retention_days, each.value.days, 3653)
}
locals {
  pick = var.long ? {} : { retention_days = 30 }
}
resource "aws_cloudwatch_log_group" "one" {
  name              = "/kc/one"
  retention_in_days = try(local.pick.retention_days, 3653)
}
"""
        }
    )
    days = {r.address: r.values["retention_in_days"] for r in model.resources}
    assert days['aws_cloudwatch_log_group.svc["permits"]'] == 30
    assert days['aws_cloudwatch_log_group.svc["payments"]'] == 3653
    value = days["aws_cloudwatch_log_group.one"]
    assert isinstance(value, Branches) and sorted(value.options) == [30, 3653]
    assert [h.anchor for h in run_rule("DH301", model)] == [
        'aws_cloudwatch_log_group.svc["payments"]',
        "aws_cloudwatch_log_group.one",
    ]


def test_tf_json_resource_linked_to_hcl_companion():
    model = model_of(
        {
            "bucket.tf.json": '{"resource": {"aws_s3_bucket": {"raw": {"bucket": "kc-raw"}}}}',
            "sse.tf": 'resource "aws_s3_bucket_server_side_encryption_configuration" "raw" {\n'
            "  bucket = aws_s3_bucket.raw.id\n"
            '  rule {\n    apply_server_side_encryption_by_default { sse_algorithm = "AES256" }\n'
            "  }\n}\n",
        }
    )
    bucket = model.get("aws_s3_bucket.raw")
    assert bucket.location.path == "bucket.tf.json"
    assert list(bucket.companions) == ["encryption"]


def test_functions_for_expressions_and_partial_policies():
    model = model_of(
        {
            "main.tf": """
locals {
  envs   = { prod = 30, dev = 7 }
  names  = [for k, v in local.envs : "${k}-${v}" if v > 10]
  merged = merge({ a = 1 }, { b = lookup(local.envs, "dev", 0) })
}
resource "x_y" "z" {
  names  = local.names
  merged = local.merged
  fmt    = format("%s-%03d", "kc", 7)
  first  = coalesce("", null, "fallback")
  upper  = upper(join(",", ["a", "b"]))
  doc    = jsonencode({ Resource = "${aws_s3_bucket.b.arn}/*", Effect = "Deny" })
}
"""
        }
    )
    values = model.get("x_y.z").values
    assert values["names"] == ["prod-30"]
    assert values["merged"] == {"a": 1, "b": 7}
    assert values["fmt"] == "kc-007"
    assert values["first"] == "fallback"
    assert values["upper"] == "A,B"
    doc = values["doc"]
    assert isinstance(doc, Unknown) and doc.refs == frozenset({"aws_s3_bucket.b"})
    assert doc.partial == '{"Resource":"${?}/*","Effect":"Deny"}'


def test_count_from_false_variable_drops_resource_and_cycles_are_unknown():
    model = model_of(
        {
            "main.tf": """
variable "enabled" { default = false }
locals {
  a = local.b
  b = local.a
}
resource "aws_s3_bucket" "optional" {
  count  = var.enabled ? 1 : 0
  bucket = "x"
}
resource "x_y" "z" { v = local.a }
"""
        }
    )
    assert [r.address for r in model.resources] == ["x_y.z"]
    assert isinstance(model.get("x_y.z").values["v"], Unknown)


def test_child_input_from_unknown_parent_value_stays_unknown():
    model = model_of(
        {
            "main.tf": 'variable "days" {}\nmodule "m" {\n  source = "./m"\n  days = var.days\n}\n',
            "m/main.tf": 'variable "days" { default = 1 }\n'
            'resource "aws_cloudwatch_log_group" "g" { retention_in_days = var.days }\n',
        }
    )
    group = model.get("module.m.aws_cloudwatch_log_group.g")
    assert isinstance(group.values["retention_in_days"], Unknown)
    assert run_rule("DH301", model) == []


FOR_EACH_BUCKETS = """
resource "aws_s3_bucket" "a" { bucket_prefix = "kc-a-" }
resource "aws_s3_bucket" "b" { bucket_prefix = "kc-b-" }
"""


def test_for_each_instances_are_judged_and_linked():
    # The buckets' ids are not known (name prefixes): the companion is one block over unknown
    # keys, linked to both by reference.
    model = model_of(
        {
            "main.tf": FOR_EACH_BUCKETS
            + """
resource "aws_s3_bucket_public_access_block" "all" {
  for_each                = toset([aws_s3_bucket.a.id, aws_s3_bucket.b.id])
  bucket                  = each.value
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_cloudwatch_log_group" "per_app" {
  for_each          = { portal = 30, intake = 400 }
  name              = "/kc/${each.key}"
  retention_in_days = each.value
}
"""
        }
    )
    for name in "ab":
        bucket = model.get(f"aws_s3_bucket.{name}")
        assert [c.address for c in bucket.companions["public_access_block"]] == [
            "aws_s3_bucket_public_access_block.all"
        ]
    hits = run_rule("DH301", model)
    assert [(h.location.start_line, h.args["days"]) for h in hits] == [(16, "400")]
    assert run_rule("DH402", model) == []
    # Named buckets: their ids are known, so are the companion's instances, one per bucket.
    named = model_of(
        {
            "main.tf": FOR_EACH_BUCKETS.replace(
                'bucket_prefix = "kc-a-"', 'bucket = "kc-a"'
            ).replace('bucket_prefix = "kc-b-"', 'bucket = "kc-b"')
            + """
resource "aws_s3_bucket_public_access_block" "all" {
  for_each                = toset([aws_s3_bucket.a.id, aws_s3_bucket.b.id])
  bucket                  = each.value
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""
        }
    )
    for name in "ab":
        bucket = named.get(f"aws_s3_bucket.{name}")
        assert [c.address for c in bucket.companions["public_access_block"]] == [
            f'aws_s3_bucket_public_access_block.all["kc-{name}"]'
        ]
    assert run_rule("DH402", named) == []


def test_known_count_index_is_each_instance():
    model = model_of(
        {
            "main.tf": """
locals {
  days = [30, 400]
}
resource "aws_cloudwatch_log_group" "g" {
  count             = 2
  retention_in_days = local.days[count.index]
}
"""
        }
    )
    assert [h.args["days"] for h in run_rule("DH301", model)] == ["400"]


def test_for_each_instances_keep_their_values_together():
    """Each instance of a resource with a known for_each or count is judged alone: its class
    tag and retention stay together, and a companion's ``[each.key]`` reaches its instance."""
    model = model_of(
        {
            "main.tf": """
locals {
  feeds  = { traffic = 90, taps = 1825 }
  groups = {
    "/kc/open-data" = { days = 0, class = "public" }
    "/kc/alpr"      = { days = 180, class = "sensitive" }
  }
}
resource "aws_s3_bucket" "feed" {
  for_each = local.feeds
  bucket   = "kc-${each.key}"
}
resource "aws_s3_bucket_lifecycle_configuration" "feed" {
  for_each = local.feeds
  bucket   = aws_s3_bucket.feed[each.key].id
  rule {
    id     = "expire"
    status = "Enabled"
    expiration {
      days = each.value
    }
  }
}
resource "aws_s3_bucket_versioning" "taps" {
  bucket = aws_s3_bucket.feed["taps"].id
  versioning_configuration { status = "Suspended" }
}
resource "aws_cloudwatch_log_group" "this" {
  for_each          = local.groups
  name              = each.key
  retention_in_days = each.value.days
  tags              = { "data-classification" = each.value.class }
}
resource "aws_db_instance" "one" {
  count = 1
  identifier = "kc-one"
}
"""
        }
    )
    taps = model.get('aws_s3_bucket.feed["taps"]')
    assert taps.values["bucket"] == "kc-taps"
    assert [c.address for c in taps.companions["lifecycle"]] == [
        'aws_s3_bucket_lifecycle_configuration.feed["taps"]'
    ]
    assert [c.address for c in taps.companions["versioning"]] == ["aws_s3_bucket_versioning.taps"]
    traffic = model.get('aws_s3_bucket.feed["traffic"]')
    assert "versioning" not in traffic.companions
    assert model.get("aws_db_instance.one") is not None  # one instance: as written
    assert [(h.args["name"], h.args["days"]) for h in run_rule("DH302", model)] == [
        ('aws_s3_bucket.feed["taps"]', "1825 days")
    ]
    assert [h.anchor for h in run_rule("DH301", model)] == [
        'aws_cloudwatch_log_group.this["/kc/alpr"]'  # 180 > 90 for sensitive; public: no limit
    ]


BUCKET_IDS = """
resource "aws_s3_bucket" "named" { bucket = "kc-exports" }
resource "aws_s3_bucket" "prefixed" { bucket_prefix = "kc-tmp-" }
resource "google_storage_bucket" "drop" {
  name     = "kc-drop"
  location = "US"
}
resource "aws_s3_bucket_versioning" "named" {
  bucket = aws_s3_bucket.named.id
  versioning_configuration { status = "Enabled" }
}
resource "x_y" "z" {
  id        = aws_s3_bucket.named.id
  bucket    = aws_s3_bucket.named.bucket
  uri       = "s3://${aws_s3_bucket.named.id}/out"
  prefixed  = aws_s3_bucket.prefixed.id
  gcs_id    = google_storage_bucket.drop.id
  gcs_url   = google_storage_bucket.drop.url
  arn       = aws_s3_bucket.named.arn
}
"""


def test_a_bucket_id_is_its_name_when_the_name_is_written():
    # An S3 bucket's id (and bucket) is its name, a GCS bucket's id its name and url gs://name;
    # without a written name (bucket_prefix) it stays unknown, naming the bucket; arn is not
    # derived.
    model = model_of({"main.tf": BUCKET_IDS})
    values = model.get("x_y.z").values
    assert {k: v for k, v in values.items() if not isinstance(v, Unknown)} == {
        "id": "kc-exports",
        "bucket": "kc-exports",
        "uri": "s3://kc-exports/out",
        "gcs_id": "kc-drop",
        "gcs_url": "gs://kc-drop",
    }
    # A name made at apply is a text not known; the arn is no name (probe21tf R4).
    assert values["prefixed"] == Unknown(frozenset({"aws_s3_bucket.prefixed"}), "${?}")
    assert values["arn"] == Unknown(frozenset({"aws_s3_bucket.named"}))
    # The name keeps the bucket's address (pickled too): a companion links by reference.
    assert pickle.loads(pickle.dumps(values["id"])).refs == frozenset({"aws_s3_bucket.named"})
    bucket = model.get("aws_s3_bucket.named")
    assert [c.address for c in bucket.companions["versioning"]] == [
        "aws_s3_bucket_versioning.named"
    ]


def test_a_bucket_id_of_each_instance_and_of_a_conditional_name():
    model = model_of(
        {
            "main.tf": """
variable "prod" { type = bool }
resource "aws_s3_bucket" "feed" {
  for_each = toset(["taps", "reads"])
  bucket   = "kc-${each.key}"
}
resource "aws_s3_bucket" "maybe" { bucket = var.prod ? "kc-prod" : "kc-dev" }
resource "x_y" "z" {
  taps  = aws_s3_bucket.feed["taps"].id
  maybe = aws_s3_bucket.maybe.id
}
"""
        }
    )
    values = model.get("x_y.z").values
    assert values["taps"] == "kc-taps"
    assert values["maybe"] == Branches(("kc-prod", "kc-dev"))


DIRECTIVES = """
variable "tls" { default = false }
variable "hosts" { default = ["db1.kc.internal", "db2.kc.internal"] }
variable "ports" { default = { b = 5433, a = 5432 } }
variable "flag" {}
variable "tags" {}

resource "x_y" "z" {
  inline    = "sslmode=%{ if var.tls }require%{ else }disable%{ endif }"
  loop      = "%{ for h in var.hosts }${h},%{ endfor }"
  by_key    = "%{ for k, p in var.ports }${k}=${p};%{ endfor }"
  no_else   = "x%{ if !var.tls }-plain%{ endif }"
  undecided = "sslmode=%{ if var.flag }require%{ else }disable%{ endif }"
  and_more  = "sslmode=%{ if var.flag }require%{ else }disable%{ endif }&x=${var.flag}"
  two       = "%{ if var.flag }a%{ endif }%{ if var.flag }b%{ endif }"
  pair      = "%{ if var.flag }a%{ else }b%{ endif }-%{ if var.tags.x }c%{ endif }"
  many      = "MANY"
  in_loop   = "%{ for h in var.hosts }%{ if var.flag }${h}%{ endif }%{ endfor }"
  over_unknown = "[%{ for k, v in var.tags }${k}=${v}:x,%{ endfor }]"
  unbalanced = "a%{ if var.tls }b"
  heredoc   = <<-EOT
    host=db
    %{~ if var.tls ~}
    sslmode=require
    %{~ else ~}
    sslmode=disable
    %{~ endif ~}

  EOT
}
""".replace(
    "MANY", "".join(f"%{{ if var.tags.f{i} }}f{i}%{{ else }}-%{{ endif }}" for i in range(20))
)


def test_template_directives_are_evaluated_when_their_inputs_are_known():
    started = time.process_time()
    values = model_of({"main.tf": DIRECTIVES}).get("x_y.z").values
    assert time.process_time() - started < 2  # 20 undecided conditions: not 2^20 renderings
    not_known = (Unknown, Branches)
    assert {k: v for k, v in values.items() if not isinstance(v, not_known)} == {
        "inline": "sslmode=disable",
        "loop": "db1.kc.internal,db2.kc.internal,",
        "by_key": "a=5432;b=5433;",  # a map by key, as Terraform iterates it
        "no_else": "x-plain",
        "heredoc": "host=dbsslmode=disable",  # ~ strips the white space (newlines too)
    }
    # An undecided condition that is the only unknown part: one of its two renderings, as a
    # conditional's value is one of its branches (each keeps the other's text as untaken).
    assert values["undecided"] == Branches(("sslmode=require", "sslmode=disable"))
    assert [o.untaken for o in values["undecided"].options] == ["disable", "require"]
    # Several: the same condition written twice is decided once, distinct ones (up to
    # MAX_CONDITIONS) each way; each rendering keeps the text it does not show, a branch a line.
    assert values["two"] == Branches(("ab", ""))
    assert values["pair"] == Branches(("a-c", "a-", "b-c", "b-"))
    assert [o.untaken for o in values["pair"].options] == ["b", "b\nc", "a", "a\nc"]
    # Else an unknown part (with another unknown part, more distinct conditions, in a loop),
    # whose untaken text holds every branch; directives that do not nest, unknown.
    assert values["and_more"].partial == "sslmode=${?}&x=${?}"
    # ... whose untaken text keeps each rendering too (a block of lines), to be judged whole.
    assert (
        values["and_more"].untaken
        == "require\ndisable\nsslmode=require&x=${?}\nsslmode=disable&x=${?}"
    )
    assert values["many"].partial == "${?}" * 20
    assert values["many"].untaken == "\n".join(f"f{i}\n-" for i in range(20))
    assert values["in_loop"].partial == "${?}${?}"
    # A loop over an unknown collection: an unknown part; its body is read once (the loop
    # variables unknown) into the untaken text.
    assert values["over_unknown"].partial == "[${?}]"
    assert values["over_unknown"].untaken == "${?}=${?}:x,"
    assert isinstance(values["unbalanced"], Unknown)
    tls = model_of({"main.tf": DIRECTIVES, "terraform.tfvars": "tls = true\n"})
    assert tls.get("x_y.z").values["inline"] == "sslmode=require"


def test_a_data_source_with_known_instances_is_one_per_instance():
    model = model_of(
        {
            "main.tf": """
data "archive_file" "fn" {
  for_each    = toset(["parking", "permits"])
  type        = "zip"
  source_dir  = "functions/${each.key}"
  output_path = "build/${each.key}.zip"
}
resource "x_y" "z" {
  zip  = data.archive_file.fn["permits"].output_path
  hash = data.archive_file.fn["permits"].output_base64sha256
}
"""
        }
    )
    assert [(d.address, d.values["source_dir"]) for d in model.data_sources] == [
        ('data.archive_file.fn["parking"]', "functions/parking"),
        ('data.archive_file.fn["permits"]', "functions/permits"),
    ]
    values = model.get("x_y.z").values
    assert values["zip"] == "build/permits.zip"
    assert values["hash"] == Unknown(frozenset({'data.archive_file.fn["permits"]'}))


NULL_TESTS = """
resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
data "aws_kms_key" "d" {
  key_id = "alias/x"
}
variable "none" {
  default = null
}
variable "given" {}
locals {
  key = aws_kms_key.k.arn
}
module "b" {
  source      = "./mod"
  kms_key_arn = aws_kms_key.k.arn
}
resource "x_y" "z" {
  eq_arn     = local.key == null ? "AES256" : "aws:kms"
  ne_arn     = null != aws_kms_key.k.key_id ? "aws:kms" : "AES256"
  data_id    = data.aws_kms_key.d.id == null ? "AES256" : "aws:kms"
  module_out = module.b.arn == null ? "AES256" : "aws:kms"
  null_var   = var.none == null ? "AES256" : "aws:kms"
  some_attr  = aws_kms_key.k.policy == null ? "AES256" : "aws:kms"
  not_given  = var.given == null ? "AES256" : "aws:kms"
  computed   = lower(aws_kms_key.k.arn) == null ? "AES256" : "aws:kms"
  either     = (var.given == "" ? aws_kms_key.k.arn : "arn:x") == null ? "AES256" : "aws:kms"
}
"""


def test_an_arn_or_id_compared_with_null_is_decided_other_unknowns_are_not():
    """A resource's (or data source's) id or arn is unknown before apply but never null, so
    ``x == null`` on it is false (the module idiom ``var.kms_key_arn == null ? "AES256" :
    "aws:kms"`` with a key's arn passed in is ``aws:kms``), through locals, module inputs and
    outputs; an attribute that may be unset, a variable without a value and a function's result
    stay undecided (both branches)."""
    model = model_of(
        {
            "main.tf": NULL_TESTS,
            "mod/main.tf": 'variable "kms_key_arn" {}\n'
            'resource "aws_kms_key" "k" {}\n'
            'output "arn" { value = var.kms_key_arn }\n',
        }
    )
    values = model.get("x_y.z").values
    for name in ("eq_arn", "ne_arn", "data_id", "module_out", "either"):
        assert values[name] == "aws:kms", name
    assert values["null_var"] == "AES256"
    both = Branches(("AES256", "aws:kms"))
    assert {n: values[n] for n in ("some_attr", "not_given", "computed")} == dict.fromkeys(
        ("some_attr", "not_given", "computed"), both
    )
    # The model is cached between runs: the marker survives pickling.
    assert pickle.loads(pickle.dumps(model)).get("x_y.z").values == values


def test_dh102_module_given_a_key_arn_is_judged_on_the_kms_branch():
    """probe43 P1: ``sse_algorithm = var.kms_key_arn == null ? "AES256" : "aws:kms"`` in a
    bucket module called with ``aws_kms_key.k.arn``: the key is used, no DH102; called
    without a key (the variable's null default), DH102 on the AES256 branch."""
    module = """
variable "kms_key_arn" {
  type    = string
  default = null
}
resource "aws_s3_bucket" "this" {
  bucket = "em-export-fire"
  tags   = { "data-classification" = "sensitive" }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}
"""
    root = """
resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
module "with_key" {
  source      = "./mod"
  kms_key_arn = aws_kms_key.k.arn
}
module "without" {
  source = "./mod"
}
"""
    model = model_of({"main.tf": root, "mod/main.tf": module})
    found = run_rule("DH102", model)
    assert [(h.anchor, h.args["algorithm"]) for h in found] == [
        ("module.without.aws_s3_bucket_server_side_encryption_configuration.this", "AES256")
    ]
