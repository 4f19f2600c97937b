"""DH408: a data service anyone on the internet may call.

- An OpenSearch or Elasticsearch domain (of a class that may hold personal data) outside a VPC
  (no ``vpc_options``) whose access policy (its ``access_policies``, or an
  ``aws_opensearch_domain_policy``/``aws_elasticsearch_domain_policy`` naming it by
  ``domain_name``) allows the principal ``*`` with no ``Condition`` (an IP or VPC condition
  narrows it: not judged), or with only a source IP condition admitting every address
  (``0.0.0.0/0``, ``::/0``), which narrows nothing. A policy not known before apply is not judged.
- An S3 bucket (of a class that may hold personal data) whose bucket policy allows the
  principal ``*`` so (a public bucket policy), unless a public access block of the bucket or
  the account sets ``block_public_policy`` or ``restrict_public_buckets`` (S3 then refuses or
  ignores it). DH401 judges ACLs only, DH402 the missing guard rail.
- A Lambda function URL with ``authorization_type = "NONE"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from dhlint.analysis import Context
from dhlint.detectors.terraform.bucket_policy import _as_list, _bucket_policies, _statements
from dhlint.detectors.terraform.public_access_block import _weak_flags
from dhlint.models.terraform import Resource, TerraformModel, options, policy_document
from dhlint.types import Hit, Related

DOMAINS = ("aws_opensearch_domain", "aws_elasticsearch_domain")
DOMAIN_POLICIES = ("aws_opensearch_domain_policy", "aws_elasticsearch_domain_policy")


def _admits_every_address(condition) -> bool:
    """A ``Condition`` that narrows nothing: only ``IpAddress`` on ``aws:SourceIp``, each
    admitting a ``/0`` range (``0.0.0.0/0``, ``::/0``: every address of the internet)."""
    if not isinstance(condition, dict):
        return False
    for op, pairs in condition.items():
        if not (isinstance(pairs, dict) and op.lower() in ("ipaddress", "ipaddressifexists")):
            return False
        for key, value in pairs.items():
            ranges = [str(v).strip() for v in _as_list(value)]
            if key.lower() != "aws:sourceip" or not any(r.endswith("/0") for r in ranges):
                return False
    return bool(condition)


def _open_to_anyone(value, actions: list | None = None) -> str | None:
    """How an Allow statement for the principal ``*`` admits anyone (no condition, or one that
    admits every address), in every branch; None when one branch does not. ``actions``: gets
    the actions of the statements so found."""
    found = None
    for option in options(value):
        doc = policy_document(option)
        if doc is None:
            return None
        for st in _statements(doc):
            principal = st.get("Principal")
            if isinstance(principal, dict):
                principals = _as_list(principal.get("AWS"))
            else:
                principals = _as_list(principal)
            if st.get("Effect") != "Allow" or "*" not in principals:
                continue
            condition = st.get("Condition")
            if not condition:
                found = "with no condition"
            elif _admits_every_address(condition):
                found = found or "with a source IP condition that admits every address"
            else:
                continue
            if actions is not None:
                actions.extend(a for a in _as_list(st.get("Action")) if a not in actions)
            break
        else:
            return None
    return found


def _guards(block: Resource) -> bool:
    """A public access block that makes S3 refuse (``block_public_policy``) or ignore
    (``restrict_public_buckets``) a public bucket policy."""
    weak = _weak_flags(block)
    return "block_public_policy" not in weak or "restrict_public_buckets" not in weak


def _in_vpc(domain: Resource) -> bool:
    return bool(domain.blocks("vpc_options"))


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    personal = ctx.policy.classes_with_personal_data()
    domains: dict[str, Resource] = {}
    for domain in model.of_type(*DOMAINS):
        for name in options(domain.values.get("domain_name")):
            if isinstance(name, str):
                domains.setdefault(name, domain)
        if domain.data_class(ctx.policy) not in personal or _in_vpc(domain):
            continue
        how = _open_to_anyone(domain.values.get("access_policies"))
        if how:
            yield domain.hit(
                "access_policies",
                attribute="access_policies",
                state=f"allows the principal '*' {how}, outside a VPC",
            )
    for policy in model.of_type(*DOMAIN_POLICIES):
        names = [n for n in options(policy.values.get("domain_name")) if isinstance(n, str)]
        domain = domains.get(names[0]) if len(names) == 1 else None
        if domain is None or domain.data_class(ctx.policy) not in personal or _in_vpc(domain):
            continue
        how = _open_to_anyone(policy.values.get("access_policies"))
        if how:
            hit = policy.hit(
                "access_policies",
                name=domain.address,
                attribute="access_policies",
                state=f"allows the principal '*' {how}, outside a VPC",
            )
            yield replace(hit, related=(Related(domain.location, domain.address),))
    guarded = any(_guards(a) for a in model.of_type("aws_s3_account_public_access_block"))
    for bucket in () if guarded else model.of_type("aws_s3_bucket"):
        if bucket.data_class(ctx.policy) not in personal:
            continue
        if any(_guards(b) for b in bucket.companions.get("public_access_block", [])):
            continue
        for resource, value in _bucket_policies(bucket):
            actions: list = []
            how = _open_to_anyone(value, actions)
            if how:
                what = f" ({', '.join(map(str, actions))})" if actions else ""
                hit = resource.hit(
                    "policy",
                    name=bucket.address,
                    attribute="policy",
                    state=f"allows the principal '*'{what} {how}",
                )
                if resource is not bucket:
                    hit = replace(hit, related=(Related(bucket.location, bucket.address),))
                yield hit
                break
    for url in model.of_type("aws_lambda_function_url"):
        found = url.find("authorization_type")
        if found and all(isinstance(v, str) and v.upper() == "NONE" for _, v in found):
            yield url.hit("authorization_type", attribute="authorization_type", state="is NONE")
