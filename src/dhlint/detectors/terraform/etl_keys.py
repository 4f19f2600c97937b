"""DH121: managed ETL services that keep data of a class the policy wants under a customer key
(``encryption.customer_key_for``, by default ``sensitive``) with AWS's keys.

- ``aws_mwaa_environment`` (Airflow): its metadata database (XComs passed between tasks,
  variables, connections) and task logs are encrypted with an AWS-owned key unless ``kms_key``
  names the City's.
- ``aws_glue_job`` / ``aws_glue_crawler``: without a ``security_configuration`` Glue writes the
  job's CloudWatch logs under AWS's keys. The ``aws_glue_security_configuration`` it uses must
  set ``cloudwatch_encryption_mode = "SSE-KMS"``, and must not set ``s3_encryption_mode`` to
  ``SSE-S3``, which overrides the target bucket's default KMS key with S3's own
  (``DISABLED`` leaves the bucket's default encryption, which DH101/DH102 judge). Job bookmarks
  (what was processed, not the data) are not judged.

A configuration is judged when a job or crawler of such a class uses it, or when none in the
files uses it, by its own class (the policy's default: it takes no tags). Unknown values are
not judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from dhlint.analysis import Context
from dhlint.models.terraform import Resource, TerraformModel, is_absent, is_unknown
from dhlint.types import Hit

_CONFIG = "aws_glue_security_configuration"
_USERS = ("aws_glue_job", "aws_glue_crawler")
_ENC = "encryption_configuration"
_CLOUDWATCH = f"{_ENC}.cloudwatch_encryption.cloudwatch_encryption_mode"
_S3 = f"{_ENC}.s3_encryption.s3_encryption_mode"


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    keyed = set(ctx.policy.settings["encryption"]["customer_key_for"])
    present = model.types()
    for env in model.of_type("aws_mwaa_environment") if "aws_mwaa_environment" in present else ():
        data_class = env.data_class(ctx.policy)
        if data_class in keyed and not env.is_set("kms_key"):
            setting = "kms_key is not set (its metadata database and logs use an AWS-owned key)"
            yield env.hit(None, setting=setting, data_class=data_class)
    if present.isdisjoint((_CONFIG, *_USERS)):
        return
    yield from _glue(model, ctx, keyed)


def _glue(model: TerraformModel, ctx: Context, keyed: set[str]) -> Iterator[Hit]:
    judged: dict[str, str] = {}  # configuration -> the class of a job or crawler using it
    used: set[str] = set()
    for user in model.of_type(*_USERS):
        data_class = user.data_class(ctx.policy)
        ref = user.values.get("security_configuration")
        if is_absent(ref):
            if data_class in keyed:
                setting = "it has no security_configuration (Glue writes its logs under AWS's keys)"
                yield user.hit(None, setting=setting, data_class=data_class)
            continue
        for config in model.linked(ref, (_CONFIG,), "name"):
            used.add(config.address)
            if data_class in keyed:
                judged.setdefault(config.address, data_class)
    for config in model.of_type(_CONFIG):
        data_class = judged.get(config.address)
        if data_class is None and config.address not in used:
            own = config.data_class(ctx.policy)
            data_class = own if own in keyed else None
        if data_class is not None:
            yield from _configuration(config, data_class)


def _configuration(config: Resource, data_class: str) -> Iterator[Hit]:
    found = [(k, v) for k, v in config.find(_CLOUDWATCH) if not is_absent(v)]
    if not found:
        setting = "cloudwatch_encryption_mode is not set (the job's logs use AWS's keys)"
        yield config.hit(None, setting=setting, data_class=data_class)
    else:
        for keypath, value in found:
            if not is_unknown(value) and str(value).upper() != "SSE-KMS":
                setting = f"cloudwatch_encryption_mode is {value} (the job's logs use AWS's keys)"
                yield config.hit(keypath, setting=setting, data_class=data_class)
                break
    for keypath, value in config.find(_S3):
        if isinstance(value, str) and value.upper() == "SSE-S3":
            setting = (
                "s3_encryption_mode is SSE-S3 (what the job writes is encrypted with S3's key, "
                "not the bucket's KMS key)"
            )
            hit = config.hit(keypath, setting=setting, data_class=data_class)
            yield replace(hit, anchor=f"{config.address}:s3")  # beside its logs' finding
            break
