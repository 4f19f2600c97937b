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
- A Cloud Run service or Cloud Function whose invoker role (``roles/run.invoker``,
  ``roles/cloudfunctions.invoker``) is granted to ``allUsers`` or ``allAuthenticatedUsers`` by
  an ``_iam_member`` or ``_iam_binding``, the GCP form of a function URL without
  authentication, unless the service it names takes internal traffic only (its ``ingress`` or
  ``ingress_settings``, a v1 service's ``run.googleapis.com/ingress`` annotation) or is
  classified public.
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

# Invoker grants of Cloud Run services and Cloud Functions: grant type -> (the argument naming
# the service, the service's type).
_RUN_V1, _RUN_V2 = "google_cloud_run_service", "google_cloud_run_v2_service"
_FN_V1, _FN_V2 = "google_cloudfunctions_function", "google_cloudfunctions2_function"
INVOKER_GRANTS = {
    f"{service}_iam_{kind}": (argument, service)
    for service, argument in ((_RUN_V1, "service"), (_RUN_V2, "name"),
                              (_FN_V1, "cloud_function"), (_FN_V2, "cloud_function"))
    for kind in ("member", "binding")
}  # fmt: skip
_INVOKER_ROLES = frozenset({"roles/run.invoker", "roles/cloudfunctions.invoker"})
_EVERYONE = frozenset({"allusers", "allauthenticatedusers"})
# Where a service says it takes internal traffic only: (block, key, value). A v1 service's
# annotation key holds dots, so it is looked up in its map.
_INTERNAL_ONLY = {
    _RUN_V1: ("metadata.annotations", "run.googleapis.com/ingress", "internal"),
    _RUN_V2: ("", "ingress", "INGRESS_TRAFFIC_INTERNAL_ONLY"),
    _FN_V1: ("", "ingress_settings", "ALLOW_INTERNAL_ONLY"),
    _FN_V2: ("service_config", "ingress_settings", "ALLOW_INTERNAL_ONLY"),
}


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
    yield from _public_invokers(model, ctx)


def _public_invokers(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    """Cloud Run services and Cloud Functions anyone may invoke: an invoker grant to
    ``allUsers``/``allAuthenticatedUsers``. A service declared elsewhere is judged by the grant
    alone; one declared here is not judged when it takes internal traffic only or is public."""
    personal = ctx.policy.classes_with_personal_data()
    for grant in model.of_type(*INVOKER_GRANTS):
        role = grant.values.get("role")
        if not (isinstance(role, str) and role in _INVOKER_ROLES):
            continue
        everyone = _everyone(grant)
        if everyone is None:
            continue
        argument, service_type = INVOKER_GRANTS[grant.type]
        services = model.linked(grant.values.get(argument), (service_type,), "name")
        service = services[0] if len(services) == 1 else None
        if service is not None and (
            service.data_class(ctx.policy) not in personal or _internal_only(service)
        ):
            continue
        keypath, member = everyone
        hit = grant.hit(
            keypath,
            type=service.type if service else service_type,
            name=service.address if service else _named(grant.values.get(argument), grant),
            attribute=f"{grant.address} grants {role} to",
            state=member,
        )
        if service is not None:
            hit = replace(hit, related=(Related(service.location, service.address),))
        yield hit


def _named(value, grant: Resource) -> str:
    """A service declared elsewhere, by the name the grant gives (else the grant's address)."""
    return value if isinstance(value, str) and value else grant.address


def _everyone(grant: Resource) -> tuple[tuple, str] | None:
    """The key path and value of a grant's member that is everyone, known in every branch."""
    members = [((*k, i), m) for k, v in grant.find("members") if isinstance(v, list)
               for i, m in enumerate(v)]  # fmt: skip
    members += grant.find("member")
    for keypath, member in members:
        values = options(member)
        if values and all(isinstance(v, str) and v.lower() in _EVERYONE for v in values):
            return keypath, str(values[0])
    return None


def _internal_only(service: Resource) -> bool:
    """The service takes traffic from its VPC (and Google's internal sources) only, in every
    branch."""
    block, key, internal = _INTERNAL_ONLY[service.type]
    if block:
        values = [b.get(key) for _, b in service.blocks(block)]
    else:
        values = [v for _, v in service.find(key)]
    return bool(values) and all(v == internal for v in values)
