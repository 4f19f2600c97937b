"""DH101: an S3 bucket without server-side encryption.

Encryption counts when the bucket has the provider-v3 inline
``server_side_encryption_configuration`` block or a v4+
``aws_s3_bucket_server_side_encryption_configuration`` linked to it (by reference or by the
literal bucket name; the model links them). A conditional that leaves one branch without an
algorithm is a finding; an unknown algorithm is not. With the policy setting
``encryption.accept_provider_default: true`` AWS's default SSE-S3 (since January 2023) suffices.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.terraform._judged import judges
from dhlint.models.terraform import Resource, TerraformModel, is_absent, is_unknown
from dhlint.types import Hit, Related

SSE_PATH = "rule.apply_server_side_encryption_by_default.sse_algorithm"


def encryption_settings(bucket: Resource) -> list[tuple[Resource, tuple, object]]:
    """(resource carrying it, key path, algorithm) for every place the bucket's SSE is set."""
    found = [
        (bucket, p, v)
        for p, v in bucket.find(f"server_side_encryption_configuration.{SSE_PATH}", True)
    ]
    for companion in bucket.companions.get("encryption", []):
        found += [(companion, p, v) for p, v in companion.find(SSE_PATH, True)]
    return found


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    if ctx.policy.settings["encryption"]["accept_provider_default"]:
        return
    for bucket in model.of_type("aws_s3_bucket"):
        settings = encryption_settings(bucket)
        unset = [(res, p) for res, p, v in settings if is_absent(v) or v == ""]
        if settings and not unset:
            continue
        if unset:  # one branch (or one rule) leaves the algorithm empty
            res, keypath = unset[0]
            hit = res.hit(keypath, name=bucket.address)
            if res is not bucket:
                hit = Hit(
                    hit.location,
                    hit.args,
                    bucket.address,
                    hit.scope,
                    (Related(bucket.location, bucket.address),),
                )
            yield hit
            continue
        yield bucket.hit(None, name=bucket.address)


def customer_key(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    """DH102: buckets of the classes in ``encryption.customer_key_for`` need a KMS key of the
    city's (``aws:kms`` with ``kms_master_key_id``), not SSE-S3 or the AWS-managed key."""
    classes = set(ctx.policy.settings["encryption"]["customer_key_for"])
    for bucket in model.of_type("aws_s3_bucket"):
        data_class = bucket.data_class(ctx.policy)
        if data_class not in classes:
            continue
        settings = encryption_settings(bucket)
        if not settings:
            continue  # DH101's finding
        for res, keypath, algorithm in settings:
            if is_unknown(algorithm) or is_absent(algorithm):
                continue
            parent = keypath[:-1]
            key_values = [v for p, v in res.find(_dotted(parent) + ".kms_master_key_id")]
            has_key = any(not is_absent(v) for v in key_values)
            if str(algorithm).startswith("aws:kms") and has_key:
                continue
            yield res.hit(keypath, name=bucket.address, data_class=data_class, algorithm=algorithm)
            break


def _dotted(keypath: tuple) -> str:
    return ".".join(str(k) for k in keypath if not isinstance(k, int))


detect.judged_types = judges("aws_s3_bucket")  # type: ignore[attr-defined]
customer_key.judged_types = judges("aws_s3_bucket")  # type: ignore[attr-defined]
