"""DH408: a data service anyone on the internet may call.

- An OpenSearch or Elasticsearch domain (of a class that may hold personal data) outside a VPC
  (no ``vpc_options``) whose access policy (its ``access_policies``, or an
  ``aws_opensearch_domain_policy``/``aws_elasticsearch_domain_policy`` naming it by
  ``domain_name``) allows the principal ``*`` with no ``Condition`` (an IP or VPC condition
  narrows it: not judged), or with only a source IP condition admitting every address
  (``0.0.0.0/0``, ``::/0``), which narrows nothing. A policy not known before apply is not judged.
- A Lambda function URL with ``authorization_type = "NONE"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from dhlint.analysis import Context
from dhlint.detectors.terraform.bucket_policy import _as_list, _statements
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


def _open_to_anyone(value) -> str | None:
    """How an Allow statement for the principal ``*`` admits anyone (no condition, or one that
    admits every address), in every branch; None when one branch does not."""
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
                break
            if _admits_every_address(condition):
                found = found or "with a source IP condition that admits every address"
                break
        else:
            return None
    return found


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
    for url in model.of_type("aws_lambda_function_url"):
        found = url.find("authorization_type")
        if found and all(isinstance(v, str) and v.upper() == "NONE" for _, v in found):
            yield url.hit("authorization_type", attribute="authorization_type", state="is NONE")
