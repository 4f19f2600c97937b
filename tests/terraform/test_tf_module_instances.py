"""Module calls with ``count``/``for_each``: each module instance has its own inputs."""

from __future__ import annotations

from dhlint.engine import fingerprint
from dhlint.models.terraform import _base_address
from dhlint.models.terraform_eval import is_unknown

from ._helpers import build, model_of, run_rule

# A bucket module: encrypted unless told otherwise, its id and ARN as outputs.
BUCKET = """variable "name" {}
variable "encrypted" { default = true }
resource "aws_s3_bucket" "this" {
  bucket = "kc-${var.name}"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count  = var.encrypted ? 1 : 0
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }
  }
}
output "id" { value = aws_s3_bucket.this.id }
output "arn" { value = aws_s3_bucket.this.arn }
"""

# A log group module: retention from its input.
LOGS = """variable "name" {}
variable "days" { default = 30 }
resource "aws_cloudwatch_log_group" "this" {
  name              = var.name
  retention_in_days = var.days
}
"""


def _addresses(model, type_: str) -> list[str]:
    return [r.address for r in model.of_type(type_)]


def test_for_each_map_of_objects_is_one_module_instance_per_key():
    """Inputs that differ in one setting only (``encrypted``): the finding is on that
    instance, at the bucket's header in the module."""
    model = model_of(
        {
            "main.tf": """variable "feeds" {
  default = {
    taps    = { encrypted = true }
    traffic = { encrypted = false }
  }
}
module "bucket" {
  source    = "./modules/bucket"
  for_each  = var.feeds
  name      = each.key
  encrypted = each.value.encrypted
}
""",
            "modules/bucket/main.tf": BUCKET,
        }
    )
    assert _addresses(model, "aws_s3_bucket") == [
        'module.bucket["taps"].aws_s3_bucket.this',
        'module.bucket["traffic"].aws_s3_bucket.this',
    ]
    # count = 0 in the traffic instance: its encryption does not exist.
    assert _addresses(model, "aws_s3_bucket_server_side_encryption_configuration") == [
        'module.bucket["taps"].aws_s3_bucket_server_side_encryption_configuration.this'
    ]
    taps = model.get('module.bucket["taps"].aws_s3_bucket.this')
    assert taps.values["bucket"] == "kc-taps"
    assert taps.module == 'module.bucket["taps"]'
    assert [c.address for c in taps.companions["encryption"]] == [
        'module.bucket["taps"].aws_s3_bucket_server_side_encryption_configuration.this'
    ]
    traffic = model.get('module.bucket["traffic"].aws_s3_bucket.this')
    assert traffic.values["bucket"] == "kc-traffic"
    assert "encryption" not in traffic.companions
    hits = run_rule("DH101", model)
    assert [(h.location.path, h.location.start_line, h.anchor) for h in hits] == [
        ("modules/bucket/main.tf", 3, 'module.bucket["traffic"].aws_s3_bucket.this')
    ]


def test_for_each_set_of_strings_binds_key_and_value():
    model = model_of(
        {
            "main.tf": """module "logs" {
  source   = "./modules/logs"
  for_each = toset(["portal", "intake"])
  name     = "/kc/${each.value}"
  days     = each.key == "intake" ? 400 : 30
}
""",
            "modules/logs/main.tf": LOGS,
        }
    )
    groups = model.of_type("aws_cloudwatch_log_group")
    assert [(g.address, g.values["name"], g.values["retention_in_days"]) for g in groups] == [
        ('module.logs["portal"].aws_cloudwatch_log_group.this', "/kc/portal", 30),
        ('module.logs["intake"].aws_cloudwatch_log_group.this', "/kc/intake", 400),
    ]
    hits = run_rule("DH301", model)
    assert [(h.location.start_line, h.anchor, h.args["days"]) for h in hits] == [
        (5, 'module.logs["intake"].aws_cloudwatch_log_group.this', "400")
    ]


def test_count_gives_each_module_instance_its_index():
    model = model_of(
        {
            "main.tf": """locals {
  days = [30, 400]
}
module "logs" {
  source = "./modules/logs"
  count  = 2
  name   = "/kc/app-${count.index}"
  days   = local.days[count.index]
}
""",
            "modules/logs/main.tf": LOGS,
        }
    )
    groups = model.of_type("aws_cloudwatch_log_group")
    assert [(g.address, g.values["name"]) for g in groups] == [
        ("module.logs[0].aws_cloudwatch_log_group.this", "/kc/app-0"),
        ("module.logs[1].aws_cloudwatch_log_group.this", "/kc/app-1"),
    ]
    assert [h.anchor for h in run_rule("DH301", model)] == [
        "module.logs[1].aws_cloudwatch_log_group.this"
    ]


def test_nested_call_with_for_each_inside_a_counted_module():
    model = model_of(
        {
            "main.tf": """module "site" {
  source = "./modules/site"
  count  = 2
  env    = count.index == 0 ? "dev" : "prod"
}
""",
            "modules/site/main.tf": """variable "env" {}
module "bucket" {
  source    = "../bucket"
  for_each  = toset(["raw", "clean"])
  name      = "${var.env}-${each.key}"
  encrypted = var.env == "prod" || each.key == "clean"
}
""",
            "modules/bucket/main.tf": BUCKET,
        }
    )
    buckets = model.of_type("aws_s3_bucket")
    assert [(b.address, b.values["bucket"]) for b in buckets] == [
        ('module.site[0].module.bucket["raw"].aws_s3_bucket.this', "kc-dev-raw"),
        ('module.site[0].module.bucket["clean"].aws_s3_bucket.this', "kc-dev-clean"),
        ('module.site[1].module.bucket["raw"].aws_s3_bucket.this', "kc-prod-raw"),
        ('module.site[1].module.bucket["clean"].aws_s3_bucket.this', "kc-prod-clean"),
    ]
    assert [h.anchor for h in run_rule("DH101", model)] == [
        'module.site[0].module.bucket["raw"].aws_s3_bucket.this'
    ]


def test_an_output_referenced_per_instance_links_that_instance_only():
    model = model_of(
        {
            "main.tf": """module "bucket" {
  source    = "./modules/bucket"
  for_each  = { taps = true, traffic = true }
  name      = each.key
  encrypted = each.value
}
module "archive" {
  source = "./modules/bucket"
  count  = 2
  name   = "archive-${count.index}"
}
resource "aws_s3_bucket_versioning" "taps" {
  bucket = module.bucket["taps"].id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket_logging" "feeds" {
  for_each      = toset(["taps", "traffic"])
  bucket        = module.bucket[each.key].id
  target_bucket = module.archive[0].id
}
resource "aws_s3_bucket_policy" "archive" {
  bucket = module.archive[1].id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Resource = module.archive[1].arn }] })
}
""",
            "modules/bucket/main.tf": BUCKET,
        }
    )
    taps = model.get('module.bucket["taps"].aws_s3_bucket.this')
    traffic = model.get('module.bucket["traffic"].aws_s3_bucket.this')
    assert [c.address for c in taps.companions["versioning"]] == ["aws_s3_bucket_versioning.taps"]
    assert "versioning" not in traffic.companions
    assert [c.address for c in taps.companions["logging"]] == [
        'aws_s3_bucket_logging.feeds["taps"]'
    ]
    assert [c.address for c in traffic.companions["logging"]] == [
        'aws_s3_bucket_logging.feeds["traffic"]'
    ]
    logging = model.get('aws_s3_bucket_logging.feeds["taps"]')
    assert logging.values["target_bucket"].refs == frozenset(
        {"module.archive[0].aws_s3_bucket.this"}
    )
    archive = [model.get(f"module.archive[{i}].aws_s3_bucket.this") for i in (0, 1)]
    assert "policy" not in archive[0].companions
    assert [c.address for c in archive[1].companions["policy"]] == ["aws_s3_bucket_policy.archive"]


def test_a_call_as_written_when_its_instances_are_not_known_or_too_few():
    """One instance, an unknown collection or more than 32: the call is one module instance
    as written, as for a resource; a count of 0 or an empty for_each makes none."""
    model = model_of(
        {
            "main.tf": """variable "feeds" {}
module "one" {
  source   = "./modules/logs"
  for_each = { portal = 30 }
  name     = each.key
  days     = each.value
}
module "unknown" {
  source   = "./modules/logs"
  for_each = var.feeds
  name     = each.key
}
module "many" {
  source = "./modules/logs"
  count  = 33
  name   = "many-${count.index}"
}
module "none" {
  source = "./modules/logs"
  count  = 0
  name   = "none"
}
module "empty" {
  source   = "./modules/logs"
  for_each = {}
  name     = each.key
}
""",
            "modules/logs/main.tf": LOGS,
        }
    )
    assert _addresses(model, "aws_cloudwatch_log_group") == [
        "module.one.aws_cloudwatch_log_group.this",
        "module.unknown.aws_cloudwatch_log_group.this",
        "module.many.aws_cloudwatch_log_group.this",
    ]
    assert model.get("module.one.aws_cloudwatch_log_group.this").values["name"] == "portal"
    assert is_unknown(model.get("module.many.aws_cloudwatch_log_group.this").values["name"])


def test_nested_instances_stay_within_32_along_the_path_of_calls():
    """8 sites each calling 8 buckets would be 64 instances of the bucket module: the inner
    call is then judged as written in each site."""
    model = model_of(
        {
            "main.tf": """module "site" {
  source = "./modules/site"
  count  = 8
  env    = "env${count.index}"
}
""",
            "modules/site/main.tf": """variable "env" {}
module "bucket" {
  source   = "../bucket"
  count    = 8
  name     = "${var.env}-${count.index}"
}
""",
            "modules/bucket/main.tf": BUCKET,
        }
    )
    addresses = _addresses(model, "aws_s3_bucket")
    assert len(addresses) == 8
    assert addresses[0] == "module.site[0].module.bucket.aws_s3_bucket.this"


def test_identical_findings_of_all_module_instances_are_one(scan):
    """A finding every instance of a module call gives alike is reported once, for the
    resource as written, with the anchor (so the baseline fingerprint) of the call without
    ``count``; a finding of one instance stays its own."""
    files = {
        "main.tf": """module "logs" {
  source = "./modules/logs"
  count  = 2
  name   = "/kc/app-${count.index}"
  days   = 400
}
module "bucket" {
  source    = "./modules/bucket"
  for_each  = toset(["taps", "traffic"])
  name      = each.key
  encrypted = each.key == "taps"
}
""",
        "modules/logs/main.tf": LOGS,
        "modules/bucket/main.tf": BUCKET,
    }
    result = scan(files, select=["DH101", "DH301", "DH901"])
    found = [(f.rule_id, f.location.path, f.location.start_line, f.anchor) for f in result.active]
    assert found == [
        ("DH101", "modules/bucket/main.tf", 3, 'module.bucket["traffic"].aws_s3_bucket.this'),
        ("DH901", "modules/bucket/main.tf", 3, "module.bucket.aws_s3_bucket.this"),
        ("DH301", "modules/logs/main.tf", 5, "module.logs.aws_cloudwatch_log_group.this"),
    ]
    assert "'module.bucket.aws_s3_bucket.this'" in result.active[1].message
    single = scan({**files, "main.tf": files["main.tf"].replace("  count  = 2\n", "")})
    (as_written,) = [f for f in single.active if f.rule_id == "DH301"]
    assert fingerprint(as_written) == fingerprint(result.active[2])


def test_a_secret_default_of_all_module_instances_is_one_finding(scan):
    files = {
        "main.tf": """module "db" {
  source   = "./modules/db"
  for_each = toset(["permits", "fares"])
  name     = each.key
}
""",
        "modules/db/main.tf": """variable "name" {}
variable "password" { default = "hunter2hunter2" }
resource "aws_db_instance" "this" {
  identifier = "kc-${var.name}"
  password   = var.password
}
""",
    }
    (found,) = scan(files, select=["DH701"]).active
    assert (found.location.start_line, found.anchor) == (5, "module.db.aws_db_instance.this")
    assert [r.label for r in found.related] == [
        "the value comes from the default of module.db.var.password"
    ]


# ``terraform show -json`` of: module "bucket" { for_each = { taps = true, traffic = false },
# name = each.key, encrypted = each.value } (BUCKET above), and a root versioning of
# module.bucket["taps"].id.
def _plan_resource(address: str, type_: str, values: dict, index=None) -> dict:
    res = {"address": address, "mode": "managed", "type": type_, "name": address.split(".")[-1]}
    res["name"] = res["name"].split("[")[0]
    if index is not None:
        res["index"] = index
    return {**res, "values": values}


SSE = "aws_s3_bucket_server_side_encryption_configuration"
RULE = [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]
PLAN = {
    "format_version": "1.2",
    "planned_values": {
        "root_module": {
            "resources": [
                _plan_resource(
                    "aws_s3_bucket_versioning.taps",
                    "aws_s3_bucket_versioning",
                    {"versioning_configuration": [{"status": "Enabled"}]},
                )
            ],
            "child_modules": [
                {
                    "address": 'module.bucket["taps"]',
                    "resources": [
                        _plan_resource(
                            'module.bucket["taps"].aws_s3_bucket.this',
                            "aws_s3_bucket",
                            {"bucket": "kc-taps"},
                        ),
                        _plan_resource(
                            f'module.bucket["taps"].{SSE}.this[0]', SSE, {"rule": RULE}, 0
                        ),
                    ],
                },
                {
                    "address": 'module.bucket["traffic"]',
                    "resources": [
                        _plan_resource(
                            'module.bucket["traffic"].aws_s3_bucket.this',
                            "aws_s3_bucket",
                            {"bucket": "kc-traffic"},
                        )
                    ],
                },
            ],
        }
    },
    "resource_changes": [
        {
            "address": f'module.bucket["taps"].{SSE}.this[0]',
            "change": {"after_unknown": {"bucket": True}},
        },
        {"address": "aws_s3_bucket_versioning.taps", "change": {"after_unknown": {"bucket": True}}},
    ],
    "configuration": {
        "root_module": {
            "resources": [
                {
                    "address": "aws_s3_bucket_versioning.taps",
                    "type": "aws_s3_bucket_versioning",
                    "name": "taps",
                    "expressions": {
                        "bucket": {
                            "references": [
                                'module.bucket["taps"].id',
                                'module.bucket["taps"]',
                                "module.bucket",
                            ]
                        }
                    },
                }
            ],
            "module_calls": {
                "bucket": {
                    "source": "./modules/bucket",
                    "expressions": {
                        "name": {"references": ["each.key"]},
                        "encrypted": {"references": ["each.value"]},
                    },
                    "module": {
                        "resources": [
                            {
                                "address": "aws_s3_bucket.this",
                                "type": "aws_s3_bucket",
                                "name": "this",
                                "expressions": {"bucket": {"references": ["var.name"]}},
                            },
                            {
                                "address": f"{SSE}.this",
                                "type": SSE,
                                "name": "this",
                                "expressions": {
                                    "bucket": {
                                        "references": [
                                            "aws_s3_bucket.this.id",
                                            "aws_s3_bucket.this",
                                        ]
                                    },
                                    "rule": [{}],
                                },
                            },
                        ],
                        "outputs": {
                            "id": {
                                "expression": {
                                    "references": ["aws_s3_bucket.this.id", "aws_s3_bucket.this"]
                                }
                            }
                        },
                    },
                }
            },
        }
    },
}


def test_plan_module_instances_link_within_their_instance(scan):
    """In a plan, a companion in a module instance belongs to its instance's bucket, and
    ``module.bucket["taps"].id`` to that instance's: the findings are those of the HCL."""
    import json

    model = build({"plan.json": json.dumps(PLAN, indent=1)}).models[0]
    taps = model.get('module.bucket["taps"].aws_s3_bucket.this')
    traffic = model.get('module.bucket["traffic"].aws_s3_bucket.this')
    assert [c.address for c in taps.companions["encryption"]] == [
        f'module.bucket["taps"].{SSE}.this[0]'
    ]
    assert [c.address for c in taps.companions["versioning"]] == ["aws_s3_bucket_versioning.taps"]
    assert "encryption" not in traffic.companions and "versioning" not in traffic.companions
    hcl = {
        "main.tf": """module "bucket" {
  source    = "./modules/bucket"
  for_each  = { taps = true, traffic = false }
  name      = each.key
  encrypted = each.value
}
resource "aws_s3_bucket_versioning" "taps" {
  bucket = module.bucket["taps"].id
  versioning_configuration { status = "Enabled" }
}
""",
        "modules/bucket/main.tf": BUCKET,
    }
    from_hcl = scan(hcl).active
    from_plan = scan({"plan.json": json.dumps(PLAN, indent=1)}).active
    # A plan's instances are reported apart (each has its own lines in the plan file).
    assert sorted({(f.rule_id, _base_address(f.anchor)) for f in from_plan}) == sorted(
        {(f.rule_id, _base_address(f.anchor)) for f in from_hcl}
    )
    assert [f.anchor for f in from_plan if f.rule_id == "DH101"] == [
        'module.bucket["traffic"].aws_s3_bucket.this'
    ]


def test_instances_that_name_their_own_companion_alike_are_one_finding(scan):
    """``aws_s3_bucket_policy.b[0]`` about ``aws_s3_bucket.b[0]``, ``[1]`` about ``[1]``: the
    instances agree once the addresses they name are set aside, at the root and in each
    instance of a module; in a module instance whose policy differs, they are their own."""
    body = """resource "aws_s3_bucket" "b" {
  count  = 2
  bucket = "kc-${var.name}-${count.index}"
}
resource "aws_s3_bucket_policy" "b" {
  count  = 2
  bucket = aws_s3_bucket.b[count.index].id
  policy = jsonencode({ Statement = var.tls ? [local.deny] : [] })
}
locals {
  deny = {
    Effect    = "Deny"
    Principal = "*"
    Action    = "s3:*"
    Resource  = "*"
    Condition = { Bool = { "aws:SecureTransport" = "false" } }
  }
}
"""
    variables = 'variable "name" { default = "root" }\nvariable "tls" { default = false }\n'
    files = {
        "main.tf": variables
        + body
        + """module "m" {
  source = "./m"
  count  = 2
  name   = "m${count.index}"
}
module "tls" {
  source = "./m"
  count  = 2
  tls    = count.index == 1
}
""",
        "m/main.tf": variables + body,
    }
    result = scan(files, select=["DH202"])
    assert [(f.location.path, f.location.start_line, f.anchor) for f in result.active] == [
        ("m/main.tf", 10, "module.m.aws_s3_bucket_policy.b"),
        ("m/main.tf", 10, "module.tls[0].aws_s3_bucket_policy.b[0]"),
        ("m/main.tf", 10, "module.tls[0].aws_s3_bucket_policy.b[1]"),
        ("main.tf", 10, "aws_s3_bucket_policy.b"),
    ]


# terraform-aws-modules style: companions made per instance of a module call or of a module's
# output (probe18tf c03/c04: they were one block over unknown keys, linked to nothing).
FOR_EACH_OVER_MODULE = """module "s3" {
  source   = "./modules/bucket"
  for_each = toset(["taps", "traffic"])
  name     = each.key
}
resource "aws_s3_bucket_logging" "all" {
  for_each      = module.s3
  bucket        = each.value.id
  target_bucket = "kc-access-logs"
  target_prefix = "${each.key}/"
}
resource "aws_s3_bucket_versioning" "taps" {
  bucket = module.s3["taps"].id
  versioning_configuration { status = "Enabled" }
}
"""


def test_for_each_over_a_module_call_is_one_instance_per_module_instance():
    model = model_of({"main.tf": FOR_EACH_OVER_MODULE, "modules/bucket/main.tf": BUCKET})
    assert _addresses(model, "aws_s3_bucket_logging") == [
        'aws_s3_bucket_logging.all["taps"]',
        'aws_s3_bucket_logging.all["traffic"]',
    ]
    for key in ("taps", "traffic"):
        bucket = model.get(f'module.s3["{key}"].aws_s3_bucket.this')
        assert [c.address for c in bucket.companions["logging"]] == [
            f'aws_s3_bucket_logging.all["{key}"]'
        ]
    assert run_rule("DH901", model) == []
    taps = model.get('module.s3["taps"].aws_s3_bucket.this')
    assert [c.address for c in taps.companions["versioning"]] == ["aws_s3_bucket_versioning.taps"]


def test_for_each_over_a_module_output_made_of_instances():
    # An output mapping a nested call's instances (or a resource's) to their ids.
    files = {
        "main.tf": """module "dept" {
  source = "./modules/dept"
  feeds  = ["alpr", "bodycam"]
}
module "flat" {
  source = "./modules/flat"
  feeds  = ["taps", "fares"]
}
resource "aws_s3_bucket_logging" "dept" {
  for_each      = module.dept.bucket_ids
  bucket        = each.value
  target_bucket = "kc-access-logs"
  target_prefix = "${each.key}/"
}
resource "aws_s3_bucket_logging" "flat" {
  count         = 2
  bucket        = module.flat.bucket_list[count.index]
  target_bucket = "kc-access-logs"
  target_prefix = "flat/"
}
""",
        "modules/dept/main.tf": """variable "feeds" {}
module "feed" {
  source   = "../bucket"
  for_each = toset(var.feeds)
  name     = each.key
}
output "bucket_ids" { value = { for k, m in module.feed : k => m.id } }
""",
        "modules/flat/main.tf": """variable "feeds" {}
resource "aws_s3_bucket" "this" {
  for_each = toset(var.feeds)
  bucket   = "kc-${each.key}"
}
output "bucket_list" { value = [for b in aws_s3_bucket.this : b.id] }
""",
        "modules/bucket/main.tf": BUCKET,
    }
    model = model_of(files)
    logging = {r.address: r.values["bucket"] for r in model.of_type("aws_s3_bucket_logging")}
    # for over a map goes by key, as Terraform's: fares before taps
    assert logging == {
        'aws_s3_bucket_logging.dept["alpr"]': "kc-alpr",
        'aws_s3_bucket_logging.dept["bodycam"]': "kc-bodycam",
        "aws_s3_bucket_logging.flat[0]": "kc-fares",
        "aws_s3_bucket_logging.flat[1]": "kc-taps",
    }
    assert run_rule("DH901", model) == []


def test_for_each_over_a_module_whose_instances_are_not_known_stays_one_block():
    # The module's instances are not known (a variable without a value), or too many (33):
    # the companion is one block as written, linked to nothing by name (as before).
    many = "toset([" + ", ".join(f'"f{i}"' for i in range(33)) + "])"
    for for_each in ("var.feeds", many):
        main = FOR_EACH_OVER_MODULE.replace('toset(["taps", "traffic"])', for_each)
        model = model_of(
            {"main.tf": 'variable "feeds" {}\n' + main, "modules/bucket/main.tf": BUCKET}
        )
        assert _addresses(model, "aws_s3_bucket_logging") == ["aws_s3_bucket_logging.all"]
        assert is_unknown(model.get("aws_s3_bucket_logging.all").values["bucket"])


LAKE = """variable "retention_days" {}
resource "aws_s3_bucket" "this" {
  bucket = "kc-lake"
}
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    id     = "expire"
    status = "Enabled"
    expiration {
      days = var.retention_days
    }
  }
}
"""


def test_a_map_entry_passed_to_a_module_is_traced_to_its_tfvars_line(scan):
    """probe35 min/05: ``retention_days = var.m[each.key]`` (or ``var.m["curated"]``,
    ``var.m.curated``, ``each.value`` of ``for_each = var.m``) in a module call: the value's
    origin is the tfvars map's entry, not the call's argument, so a commit of only that
    tfvars fails."""
    tfvars = "lake_days = {\n  raw     = 30\n  curated = 400\n}\n"
    call = """variable "lake_days" { type = map(number) }
module "lake" {
  source         = "./modules/lake"
  for_each       = toset(["raw", "curated"])
  retention_days = var.lake_days[each.key]
}
"""
    single = call.replace('  for_each       = toset(["raw", "curated"])\n', "")
    shapes = {
        "for_each, var.m[each.key]": (call, 'module.lake["curated"]'),
        "for_each = var.m, each.value": (
            call.replace('toset(["raw", "curated"])', "var.lake_days").replace(
                "var.lake_days[each.key]", "each.value"
            ),
            'module.lake["curated"]',
        ),
        'var.m["curated"]': (single.replace("[each.key]", '["curated"]'), "module.lake"),
        "var.m.curated": (single.replace("[each.key]", ".curated"), "module.lake"),
    }
    for shape, (main, module) in shapes.items():
        files = {"main.tf": main, "terraform.tfvars": tfvars, "modules/lake/main.tf": LAKE}
        for paths in (".", "terraform.tfvars"):
            found = scan(files, select=["DH302"], paths=[paths]).active
            assert [(f.location.path, f.anchor) for f in found] == [
                ("modules/lake/main.tf", f"{module}.aws_s3_bucket_lifecycle_configuration.this")
            ], (shape, paths)
            origin = found[0].related[-1]
            assert (origin.location.path, origin.location.start_line) == ("terraform.tfvars", 3)
            assert origin.label == (
                f"the value comes from {module}.var.retention_days, set in terraform.tfvars"
            ), shape
    # An entry the tfvars does not write as a literal map member: the call's argument.
    files = {
        "main.tf": single.replace("[each.key]", '["curated"]'),
        "terraform.tfvars": "lake_days = merge({ raw = 30 }, { curated = 400 })\n",
        "modules/lake/main.tf": LAKE,
    }
    (found,) = scan(files, select=["DH302"]).active
    assert (found.related[-1].location.path, found.related[-1].location.start_line) == (
        "main.tf",
        4,
    )
