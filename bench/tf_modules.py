"""Terraform modules shaped like the public registry's (terraform-aws-modules and
terraform-google-modules), for the benchmark's corpus.

Those repositories, on which the issue measured checkov (about 0.27 s a file), share one
layout: a root module (``main.tf``, ``variables.tf``, ``outputs.tf``, ``versions.tf``) made of
local sub-modules under ``modules/``, nearly every argument a variable with a default, and
``examples/`` that call the root module (``source = "../../"``) with their own inputs. A
scanner that evaluates modules evaluates the root once per example call, which is where a
graph-building scanner spends its time; the fixture-derived part of the corpus has little of
that. Deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

VERSIONS = """terraform {{
  required_version = ">= 1.3"

  required_providers {{
    {provider} = {{
      source  = "hashicorp/{provider}"
      version = ">= 5.0"
    }}
  }}
}}
"""


@dataclass(frozen=True)
class Component:
    """One local sub-module: its resources, its variables (name -> type, default) and outputs."""

    name: str
    provider: str
    variables: dict[str, tuple[str, str]]
    body: str
    outputs: dict[str, str]


def _component(name: str, provider: str, variables: str, body: str, outputs: str) -> Component:
    fields = [
        [part.strip() for part in line.split("|", 2)] for line in variables.strip().splitlines()
    ]
    pairs = [[part.strip() for part in line.split("=", 1)] for line in outputs.strip().splitlines()]
    return Component(
        name, provider, {var: (type_, default) for var, type_, default in fields}, body, dict(pairs)
    )


# Variables: ``name | type | default``, one a line; a default of ``SECURE|INSECURE`` picks one
# per module, so that some modules are compliant and some are not.
COMPONENTS = [
    _component(
        "bucket",
        "aws",
        """
        bucket | string | null
        force_destroy | bool | false
        kms_master_key_id | string | null
        sse_algorithm | string | "aws:kms"|"AES256"
        versioning | map(string) | {}
        lifecycle_rule | any | []
        block_public_acls | bool | true|false
        block_public_policy | bool | true|false
        logging | map(string) | {}
        attach_deny_insecure_transport_policy | bool | true|false
        """,
        """
resource "aws_s3_bucket" "this" {
  count = local.create ? 1 : 0

  bucket        = var.bucket
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count = local.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.sse_algorithm
      kms_master_key_id = var.sse_algorithm == "aws:kms" ? var.kms_master_key_id : null
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  count = local.create && length(keys(var.versioning)) > 0 ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  versioning_configuration {
    status = try(
      var.versioning["enabled"] ? "Enabled" : "Suspended",
      tobool(var.versioning["status"]) ? "Enabled" : "Suspended",
      title(lower(var.versioning["status"])),
    )
    mfa_delete = try(
      tobool(var.versioning["mfa_delete"]) ? "Enabled" : "Disabled",
      title(lower(var.versioning["mfa_delete"])),
      null,
    )
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  count = local.create ? 1 : 0

  bucket                  = aws_s3_bucket.this[0].id
  block_public_acls       = var.block_public_acls
  block_public_policy     = var.block_public_policy
  ignore_public_acls      = var.block_public_acls
  restrict_public_buckets = var.block_public_policy
}

resource "aws_s3_bucket_logging" "this" {
  count = local.create && length(keys(var.logging)) > 0 ? 1 : 0

  bucket        = aws_s3_bucket.this[0].id
  target_bucket = var.logging["target_bucket"]
  target_prefix = try(var.logging["target_prefix"], null)
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = local.create && length(var.lifecycle_rule) > 0 ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  dynamic "rule" {
    for_each = var.lifecycle_rule

    content {
      id = try(rule.value.id, null)
      status = try(
        rule.value.enabled ? "Enabled" : "Disabled",
        tobool(rule.value.status) ? "Enabled" : "Disabled",
        title(lower(rule.value.status)),
      )

      dynamic "expiration" {
        for_each = try(flatten([rule.value.expiration]), [])

        content {
          days                         = try(expiration.value.days, null)
          expired_object_delete_marker = try(expiration.value.expired_object_delete_marker, null)
        }
      }

      dynamic "transition" {
        for_each = try(flatten([rule.value.transition]), [])

        content {
          days          = try(transition.value.days, null)
          storage_class = transition.value.storage_class
        }
      }
    }
  }
}

data "aws_iam_policy_document" "deny_insecure_transport" {
  count = local.create && var.attach_deny_insecure_transport_policy ? 1 : 0

  statement {
    sid     = "denyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this[0].arn,
      "${aws_s3_bucket.this[0].arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  count = local.create && var.attach_deny_insecure_transport_policy ? 1 : 0

  bucket = aws_s3_bucket.this[0].id
  policy = data.aws_iam_policy_document.deny_insecure_transport[0].json
}
""",
        """
        s3_bucket_id = try(aws_s3_bucket.this[0].id, "")
        s3_bucket_arn = try(aws_s3_bucket.this[0].arn, "")
        s3_bucket_region = try(aws_s3_bucket.this[0].region, "")
        """,
    ),
    _component(
        "db",
        "aws",
        """
        identifier | string | "city-db"
        engine | string | "postgres"
        engine_version | string | "15.4"
        instance_class | string | "db.t4g.large"
        allocated_storage | number | 20
        storage_encrypted | bool | true|false
        kms_key_id | string | null
        publicly_accessible | bool | false|true
        backup_retention_period | number | 7|35
        deletion_protection | bool | true
        subnet_ids | list(string) | []
        vpc_security_group_ids | list(string) | []
        iam_database_authentication_enabled | bool | true
        """,
        """
resource "aws_db_subnet_group" "this" {
  count = local.create && length(var.subnet_ids) > 0 ? 1 : 0

  name_prefix = "${var.identifier}-"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

resource "aws_db_instance" "this" {
  count = local.create ? 1 : 0

  identifier        = var.identifier
  engine            = var.engine
  engine_version    = var.engine_version
  instance_class    = var.instance_class
  allocated_storage = var.allocated_storage
  storage_type      = var.allocated_storage > 100 ? "io1" : "gp3"
  storage_encrypted = var.storage_encrypted
  kms_key_id        = var.kms_key_id

  db_subnet_group_name                = try(aws_db_subnet_group.this[0].name, null)
  vpc_security_group_ids              = var.vpc_security_group_ids
  publicly_accessible                 = var.publicly_accessible
  iam_database_authentication_enabled = var.iam_database_authentication_enabled

  backup_retention_period = var.backup_retention_period
  backup_window           = "03:00-06:00"
  maintenance_window      = "Mon:00:00-Mon:03:00"
  deletion_protection     = var.deletion_protection
  skip_final_snapshot     = !var.deletion_protection
  copy_tags_to_snapshot   = true

  tags = merge(var.tags, { Name = var.identifier })

  timeouts {
    create = "40m"
    delete = "60m"
  }
}
""",
        """
        db_instance_address = try(aws_db_instance.this[0].address, null)
        db_instance_arn = try(aws_db_instance.this[0].arn, null)
        db_instance_endpoint = try(aws_db_instance.this[0].endpoint, null)
        """,
    ),
    _component(
        "logs",
        "aws",
        """
        name | string | "/city/app"
        retention_in_days | number | 90|0
        kms_key_id | string | null
        skip_destroy | bool | false
        """,
        """
resource "aws_cloudwatch_log_group" "this" {
  count = local.create ? 1 : 0

  name              = var.name
  retention_in_days = var.retention_in_days
  kms_key_id        = var.kms_key_id
  skip_destroy      = var.skip_destroy
  tags              = var.tags
}
""",
        """
        cloudwatch_log_group_name = try(aws_cloudwatch_log_group.this[0].name, "")
        cloudwatch_log_group_arn = try(aws_cloudwatch_log_group.this[0].arn, "")
        """,
    ),
    _component(
        "topic",
        "aws",
        """
        name | string | "city-events"
        kms_master_key_id | string | "alias/aws/sns"|null
        subscriptions | map(any) | {}
        """,
        """
resource "aws_sns_topic" "this" {
  count = local.create ? 1 : 0

  name              = var.name
  kms_master_key_id = var.kms_master_key_id
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "this" {
  for_each = { for k, v in var.subscriptions : k => v if local.create }

  topic_arn            = aws_sns_topic.this[0].arn
  protocol             = each.value.protocol
  endpoint             = each.value.endpoint
  raw_message_delivery = try(each.value.raw_message_delivery, null)
}
""",
        """
        topic_arn = try(aws_sns_topic.this[0].arn, null)
        subscriptions = aws_sns_topic_subscription.this
        """,
    ),
    _component(
        "bucket",
        "google",
        """
        name | string | "city-data"
        location | string | "US"
        storage_class | string | "STANDARD"
        uniform_bucket_level_access | bool | true|false
        public_access_prevention | string | "enforced"|"inherited"
        versioning | bool | true
        encryption_key | string | null
        lifecycle_rules | any | []
        retention_policy | any | null
        """,
        """
resource "google_storage_bucket" "this" {
  count = local.create ? 1 : 0

  name                        = var.name
  project                     = var.project_id
  location                    = var.location
  storage_class               = var.storage_class
  uniform_bucket_level_access = var.uniform_bucket_level_access
  public_access_prevention    = var.public_access_prevention
  labels                      = var.tags

  versioning {
    enabled = var.versioning
  }

  dynamic "encryption" {
    for_each = var.encryption_key == null ? [] : [var.encryption_key]

    content {
      default_kms_key_name = encryption.value
    }
  }

  dynamic "retention_policy" {
    for_each = var.retention_policy == null ? [] : [var.retention_policy]

    content {
      is_locked        = try(retention_policy.value.is_locked, false)
      retention_period = retention_policy.value.retention_period
    }
  }

  dynamic "lifecycle_rule" {
    for_each = var.lifecycle_rules

    content {
      action {
        type          = lifecycle_rule.value.action.type
        storage_class = lookup(lifecycle_rule.value.action, "storage_class", null)
      }

      condition {
        age                   = lookup(lifecycle_rule.value.condition, "age", null)
        created_before        = lookup(lifecycle_rule.value.condition, "created_before", null)
        with_state            = lookup(lifecycle_rule.value.condition, "with_state", null)
        matches_storage_class = lookup(
          lifecycle_rule.value.condition, "matches_storage_class", null
        )
      }
    }
  }
}
""",
        """
        bucket_name = try(google_storage_bucket.this[0].name, "")
        bucket_url = try(google_storage_bucket.this[0].url, "")
        """,
    ),
    _component(
        "sql",
        "google",
        """
        name | string | "city-sql"
        database_version | string | "POSTGRES_15"
        region | string | "us-central1"
        tier | string | "db-custom-2-7680"
        ipv4_enabled | bool | false|true
        ssl_mode | string | "ENCRYPTED_ONLY"|"ALLOW_UNENCRYPTED_AND_ENCRYPTED"
        authorized_networks | list(map(string)) | []
        backup_enabled | bool | true
        retained_backups | number | 7|365
        deletion_protection | bool | true
        """,
        """
resource "google_sql_database_instance" "this" {
  count = local.create ? 1 : 0

  name                = var.name
  project             = var.project_id
  database_version    = var.database_version
  region              = var.region
  deletion_protection = var.deletion_protection

  settings {
    tier        = var.tier
    user_labels = var.tags

    ip_configuration {
      ipv4_enabled = var.ipv4_enabled
      ssl_mode     = var.ssl_mode

      dynamic "authorized_networks" {
        for_each = var.authorized_networks

        content {
          name  = lookup(authorized_networks.value, "name", null)
          value = authorized_networks.value.value
        }
      }
    }

    backup_configuration {
      enabled                        = var.backup_enabled
      point_in_time_recovery_enabled = var.backup_enabled

      backup_retention_settings {
        retained_backups = var.retained_backups
        retention_unit   = "COUNT"
      }
    }
  }
}
""",
        """
        instance_name = try(google_sql_database_instance.this[0].name, "")
        instance_connection_name = try(google_sql_database_instance.this[0].connection_name, "")
        """,
    ),
]

COMMON_VARIABLES = {
    "create": ("bool", "true"),
    "tags": ("map(string)", "{}"),
    "project_id": ("string", "null"),
}


def _default(spec: str, rng: random.Random) -> str:
    """``a|b|...`` is a choice of defaults: the first (the compliant one) seven times in ten."""
    options = [option.strip() for option in spec.split("|")]
    return options[0] if len(options) == 1 or rng.random() < 0.7 else rng.choice(options[1:])


def _variables(variables: dict[str, tuple[str, str]], rng: random.Random, what: str) -> str:
    blocks = []
    for name, (type_, default) in variables.items():
        description = f"{name.replace('_', ' ').capitalize()} of the {what}"
        blocks.append(
            f'variable "{name}" {{\n  description = "{description}"\n  type        = {type_}\n'
            f"  default     = {_default(default, rng)}\n}}\n"
        )
    return "\n".join(blocks)


def _outputs(outputs: dict[str, str], what: str) -> str:
    return "\n".join(
        f'output "{name}" {{\n  description = "The {name.replace("_", " ")} of the {what}"\n'
        f"  value       = {value}\n}}\n"
        for name, value in outputs.items()
    )


def _arguments(pairs: list[tuple[str, str]]) -> str:
    """``name = value`` lines with the ``=`` aligned, as ``terraform fmt`` writes them."""
    width = max(len(name) for name, _ in pairs)
    return "\n".join(f"  {name.ljust(width)} = {value}" for name, value in pairs)


def _write(directory: Path, files: dict[str, str]) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return len(files)


def _submodule(directory: Path, component: Component, rng: random.Random) -> int:
    local = "locals {\n  create = var.create\n}\n\n"
    return _write(
        directory,
        {
            "main.tf": local + component.body.lstrip(),
            "variables.tf": _variables(
                {**COMMON_VARIABLES, **component.variables}, rng, component.name
            ),
            "outputs.tf": _outputs(component.outputs, component.name),
            "versions.tf": VERSIONS.format(provider=component.provider),
        },
    )


def write_module(directory: Path, index: int, rng: random.Random) -> int:
    """One registry-shaped module with its sub-modules and examples; returns the file count."""
    provider = "aws" if index % 3 else "google"
    pool = [c for c in COMPONENTS if c.provider == provider]
    chosen = rng.sample(pool, k=min(len(pool), rng.randint(2, 4)))
    files = 0
    root_vars = dict(COMMON_VARIABLES)
    calls, outputs = [], {}
    for n, comp in enumerate(chosen):
        sub = f"{comp.name}_{n}"
        files += _submodule(directory / "modules" / sub, comp, rng)
        args = [("create", "var.create"), ("tags", "local.tags")]
        if provider == "google":
            args.append(("project_id", "var.project_id"))
        for var, spec in comp.variables.items():
            root_vars[f"{sub}_{var}"] = spec
            args.append((var, f"var.{sub}_{var}"))
        calls.append(f'module "{sub}" {{\n  source = "./modules/{sub}"\n\n{_arguments(args)}\n}}\n')
        for out in comp.outputs:
            outputs[f"{sub}_{out}"] = f"module.{sub}.{out}"
    main = (
        'locals {\n  tags = merge(var.tags, { "terraform-module" = "city-'
        + f'{index:03}" }})\n}}\n\n'
        + "\n".join(calls)
    )
    root = {
        "main.tf": main,
        "variables.tf": _variables(root_vars, rng, "module"),
        "outputs.tf": _outputs(outputs, "module"),
        "versions.tf": VERSIONS.format(provider=provider),
    }
    files += _write(directory, root)
    files += _examples(directory / "examples", chosen, provider, rng)
    return files


def _examples(directory: Path, chosen: list[Component], provider: str, rng: random.Random) -> int:
    files = 0
    for example, calls in (("complete", 3), ("simple", 1)):
        blocks = []
        for k in range(calls):
            args = [("source", '"../../"'), ("tags", f'merge(local.tags, {{ Instance = "{k}" }})')]
            if provider == "google":
                args.append(("project_id", '"city-data-prod"'))
            for n, comp in enumerate(chosen):
                sub = f"{comp.name}_{n}"
                for var, (_, default) in comp.variables.items():
                    if example == "complete" and rng.random() < 0.25:
                        args.append((f"{sub}_{var}", _default(default, rng)))
            blocks.append(f'module "{example}_{k}" {{\n{_arguments(args)}\n}}\n')
        region = "eu-west-1" if provider == "aws" else "us-central1"
        head = (
            f'provider "{provider}" {{\n  region = local.region\n}}\n\n'
            f'locals {{\n  region = "{region}"\n  tags = {{\n    Example    = "{example}"\n'
            '    Repository = "https://example.invalid/city/terraform-modules"\n  }\n}\n\n'
        )
        files += _write(
            directory / example,
            {
                "main.tf": head + "\n".join(blocks),
                "outputs.tf": f'output "module" {{\n  value = module.{example}_0\n}}\n',
                "versions.tf": VERSIONS.format(provider=provider),
            },
        )
    return files
