"""Resource policies (S3 bucket, KMS key, SQS, SNS, OpenSearch, IAM role trust) and S3 replication.

- ``detect`` (DH202): an S3 bucket that may hold personal data whose policy does not deny
  requests without TLS (``aws:SecureTransport = false``), or that has no policy at all.
- ``accounts`` (DH601): a policy statement (a resource policy, a role's trust policy) that allows
  an AWS account not in the policy's ``approved_accounts`` nor an AWS provider's
  ``allowed_account_ids``.
- ``replication`` (DH602): S3 replication to an account not in ``approved_accounts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from dhlint.analysis import Context
from dhlint.detectors.terraform._judged import judges
from dhlint.detectors.terraform._origin import value_origin
from dhlint.models.terraform import (
    Resource,
    TerraformModel,
    is_absent,
    is_unknown,
    options,
    policy_document,
)
from dhlint.types import Hit, Related

POLICY_CARRIERS = {
    "aws_s3_bucket": "policy",
    "aws_s3_bucket_policy": "policy",
    "aws_kms_key": "policy",
    "aws_kms_key_policy": "policy",
    "aws_sqs_queue": "policy",
    "aws_sqs_queue_policy": "policy",
    "aws_sns_topic": "policy",
    "aws_sns_topic_policy": "policy",
    # a role's trust policy: the accounts it names may assume the role (and use what it may)
    "aws_iam_role": "assume_role_policy",
    "aws_opensearch_domain": "access_policies",
    "aws_opensearch_domain_policy": "access_policies",
    "aws_elasticsearch_domain": "access_policies",
    "aws_elasticsearch_domain_policy": "access_policies",
    # the Glue Data Catalog's resource policy: the accounts it allows read its tables
    "aws_glue_resource_policy": "policy",
}
ACCOUNT = re.compile(r"(?:^|arn:aws[\w-]*:iam::)(\d{12})(?::|$)")


def _statements(doc: dict) -> list[dict]:
    statements = doc.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    return [s for s in statements if isinstance(s, dict)]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


_NO_DENY = "its policy has no Deny on aws:SecureTransport = false"


def _denies_insecure(doc: dict) -> bool:
    for st in _statements(doc):
        if st.get("Effect") != "Deny":
            continue
        cond = st.get("Condition") or {}
        for op, pairs in cond.items():
            if not isinstance(pairs, dict):
                continue
            for key, val in pairs.items():
                vals = [str(v).lower() for v in _as_list(val)]
                if (
                    key.lower() == "aws:securetransport"
                    and "bool" in op.lower()
                    and "false" in vals
                ):
                    return True
                if key.lower() == "s3:tlsversion" and "lessthan" in op.lower():
                    return True
    return False


def _bucket_policies(bucket: Resource) -> list[tuple[Resource, Any]]:
    found = (
        [(bucket, bucket.values.get("policy"))]
        if not is_absent(bucket.values.get("policy"))
        else []
    )
    for comp in bucket.companions.get("policy", []):
        found.append((comp, comp.values.get("policy")))
    return found


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    personal = ctx.policy.classes_with_personal_data()
    for bucket in model.of_type("aws_s3_bucket"):
        if bucket.data_class(ctx.policy) not in personal:
            continue
        policies = _bucket_policies(bucket)
        if not policies:
            yield bucket.hit(None, why="it has no bucket policy that denies them")
            continue
        denies = [(carrier, _policy_denies(value)) for carrier, value in policies]
        if any(said is None for _, said in denies) or all(said for _, said in denies):
            continue  # one not readable before apply: cannot judge
        carrier = next(c for c, said in denies if not said)
        # S3 keeps one policy per bucket: of two, the one applied last replaces the other, so
        # a Deny in one of them may be gone (probe38 #12). The message says so: the Deny is in
        # plain sight in the other resource (probe40 P11).
        others = [c for c, said in denies if said]
        if not others:
            yield carrier.hit("policy", name=bucket.address, why=_NO_DENY)
            continue
        why = (
            f"{carrier.address} has no Deny on aws:SecureTransport = false, and S3 keeps one "
            f"policy per bucket: whichever is applied last replaces {others[0].address}, "
            "which has it"
        )
        hit = carrier.hit("policy", name=bucket.address, why=why)
        label = f"{others[0].address} denies it, but the policy applied last replaces it"
        yield replace(hit, related=(Related(others[0].loc("policy"), label),))


def _policy_denies(value: Any) -> bool | None:
    """Whether a policy's statements deny requests without TLS (in a branch of it); None when
    it is not readable before apply."""
    unknown = False
    for option in options(value):
        doc = policy_document(option)
        if doc is not None and _denies_insecure(doc):
            return True
        unknown = unknown or (doc is None and is_unknown(option))
    return None if unknown else False


def _principal_accounts(st: dict) -> Iterator[str]:
    principal = st.get("Principal")
    values: list = []
    if isinstance(principal, dict):
        values = _as_list(principal.get("AWS"))
    elif isinstance(principal, str):
        values = [principal]
    for value in values:
        match = ACCOUNT.search(str(value))
        if match:
            yield match.group(1)


def approved_accounts(model: TerraformModel, ctx: Context) -> set[str]:
    """The policy's ``approved_accounts`` and the accounts an AWS provider is pinned to
    (``allowed_account_ids``: Terraform runs only there, so they are the City's own)."""
    approved = set(ctx.policy.settings["approved_accounts"])
    for provider in model.providers:
        if provider.type == "aws":
            for ids in options(provider.values.get("allowed_account_ids")):
                for account in ids if isinstance(ids, list) else ():
                    if isinstance(account, (str, int)) and not isinstance(account, bool):
                        approved.add(str(account))
    return approved


def _allowed_principals(doc: dict) -> Iterator[tuple[tuple, dict]]:
    """The Allow statements, each with the key path of its ``Principal`` (where a policy
    written with ``jsonencode`` has it)."""
    statements = doc.get("Statement", [])
    if isinstance(statements, dict):
        numbered: list = [((), statements)]
    else:
        numbered = [((i,), st) for i, st in enumerate(_as_list(statements))]
    for index, st in numbered:
        if isinstance(st, dict) and st.get("Effect") == "Allow":
            yield ("<jsonencode>", "Statement", *index, "Principal"), st


def accounts(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    """One finding per account a policy grants and the City has not approved (each is a grant
    of its own: a baseline that recorded one must not hide another added later), anchored on
    the resource and the account, at the statement's principal when the policy is written in
    Terraform (``jsonencode``)."""
    approved = approved_accounts(model, ctx)
    for resource in model.resources:
        attr = POLICY_CARRIERS.get(resource.type)
        if attr is None:
            continue
        seen: set[str] = set()
        for option in options(resource.values.get(attr)):
            doc = policy_document(option)
            if doc is None:
                continue
            for keypath, st in _allowed_principals(doc):
                for account in _principal_accounts(st):
                    if account in approved or account in seen:
                        continue
                    seen.add(account)
                    hit = resource.hit((attr, *keypath, "AWS"), account=account)
                    hit = replace(hit, anchor=f"{resource.address}@{account}")
                    origin = value_origin(model, resource, account, near=hit.location)
                    yield replace(hit, related=(origin,)) if origin else hit
    # A Lake Formation grant gives its principal (a role's or user's ARN, or an account id)
    # rights on catalog databases, tables or data locations: to another account, the data.
    for resource in model.of_type("aws_lakeformation_permissions"):
        principal = resource.values.get("principal")
        match = ACCOUNT.search(principal) if isinstance(principal, str) else None
        if match is None or match.group(1) in approved:
            continue
        account = match.group(1)
        hit = resource.hit("principal", account=account)
        hit = replace(hit, anchor=f"{resource.address}@{account}")
        origin = value_origin(model, resource, principal, near=hit.location)
        yield replace(hit, related=(origin,)) if origin else hit


# Where each type that replicates a bucket names the destination's account.
_REPLICATION_ACCOUNTS = {
    "aws_s3_bucket_replication_configuration": "rule.destination.account",
    "aws_s3_bucket": "replication_configuration.rules.destination.account_id",
}


def replication(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    """One finding per unapproved account a bucket's replication rules send to, anchored on
    the resource and the account (as DH601: a baseline that recorded one must not hide a rule
    to another account added later)."""
    approved = approved_accounts(model, ctx)
    paths = _REPLICATION_ACCOUNTS
    for resource in model.of_type(*paths):
        seen: set[str] = set()
        for keypath, account in resource.find(paths[resource.type]):
            known = isinstance(account, (str, int)) and not isinstance(account, bool)
            if not known or not str(account) or str(account) in approved or str(account) in seen:
                continue
            seen.add(str(account))
            hit = resource.hit(keypath, account=account)
            hit = replace(hit, anchor=f"{resource.address}@{account}")
            origin = value_origin(model, resource, account, near=hit.location)
            yield replace(hit, related=(origin,)) if origin else hit


detect.judged_types = judges("aws_s3_bucket")  # type: ignore[attr-defined]
replication.judged_types = judges(*_REPLICATION_ACCOUNTS)  # type: ignore[attr-defined]
