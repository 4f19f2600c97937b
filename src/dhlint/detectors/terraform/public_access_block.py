"""DH402: an S3 bucket holding personal data without a full public access block.

A linked ``aws_s3_bucket_public_access_block`` must set all four flags to true (an omitted flag
defaults to false); an ``aws_s3_account_public_access_block`` with all four flags covers every
bucket. Buckets of classes without personal data (``public``) are not judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from dhlint.analysis import Context
from dhlint.detectors.terraform._judged import judges
from dhlint.models.terraform import TerraformModel, is_unknown
from dhlint.types import Hit, Related

FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)


def _weak_flags(resource) -> list[str]:
    weak = []
    for flag in FLAGS:
        found = resource.find(flag)
        if not found or any(
            v is not True and not is_unknown(v) and str(v).lower() != "true" for _, v in found
        ):
            weak.append(flag)
    return weak


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    accounts = model.of_type("aws_s3_account_public_access_block")
    if any(not _weak_flags(a) for a in accounts):
        return
    personal = ctx.policy.classes_with_personal_data()
    for bucket in model.of_type("aws_s3_bucket"):
        if bucket.data_class(ctx.policy) not in personal:
            continue
        blocks = bucket.companions.get("public_access_block", [])
        if not blocks:
            yield bucket.hit(None, flag="missing")
            continue
        block = blocks[0]
        weak = _weak_flags(block)
        if weak:
            hit = block.hit(weak[0], name=bucket.address, flag=weak[0])
            yield replace(hit, related=(Related(bucket.location, bucket.address),))


detect.judged_types = judges("aws_s3_bucket")  # type: ignore[attr-defined]
