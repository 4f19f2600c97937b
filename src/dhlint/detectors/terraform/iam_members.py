"""DH603: a GCP IAM grant on a data store to an account outside the approved domains.

``user:``, ``group:`` and ``domain:`` members of bucket, dataset, table, Pub/Sub topic and
subscription IAM resources, of project IAM resources granting a role in ``project_roles``, and
BigQuery dataset ``access`` entries, and of the bindings of authoritative policies
(``google_*_iam_policy``: the ``data "google_iam_policy"`` document they read, located on the
member in it; a project's when the binding's role is in ``project_roles``), must belong to
a domain on the policy's ``approved_vendors`` list (``*.kcmo.gov`` approves ``kcmo.gov``
accounts). Service accounts and ``allUsers``/``allAuthenticatedUsers`` (a separate rule,
DH404) are not judged here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from dhlint.analysis import Context
from dhlint.detectors.terraform._gcp_policy import POLICY_TYPES, bindings
from dhlint.detectors.terraform._origin import value_origin
from dhlint.models.terraform import TerraformModel
from dhlint.types import Hit, Related

TYPES = {
    "google_storage_bucket_iam_member": ("member",),
    "google_storage_bucket_iam_binding": ("members",),
    "google_bigquery_dataset_iam_member": ("member",),
    "google_bigquery_dataset_iam_binding": ("members",),
    "google_bigquery_dataset": ("access.user_by_email", "access.group_by_email", "access.domain"),
    "google_bigquery_dataset_access": ("user_by_email", "group_by_email", "domain"),
    "google_bigquery_table_iam_member": ("member",),
    "google_bigquery_table_iam_binding": ("members",),
    "google_pubsub_topic_iam_member": ("member",),
    "google_pubsub_topic_iam_binding": ("members",),
    "google_pubsub_subscription_iam_member": ("member",),
    "google_pubsub_subscription_iam_binding": ("members",),
    # Only a role in the rule's ``project_roles`` (one that reads data) is judged.
    "google_project_iam_member": ("member",),
    "google_project_iam_binding": ("members",),
}


def _domain(member: str) -> str | None:
    kind, _, rest = member.partition(":")
    if not rest:
        kind, rest = "user", member
    if kind not in ("user", "group", "domain"):
        return None
    domain = rest.rsplit("@", 1)[-1].strip().lower()
    return domain or None


def _approved(ctx: Context, domain: str) -> bool:
    # A vendor host entry "*.example.org" also approves accounts of example.org itself.
    return ctx.policy.is_approved_host(domain) or ctx.policy.is_approved_host("x." + domain)


def _outside(ctx: Context, member: object) -> bool:
    """A user, group or domain of a domain that is not approved."""
    if not isinstance(member, str) or member.startswith(("allUsers", "allAuthenticated")):
        return False
    domain = _domain(member)
    return bool(domain and "gserviceaccount.com" not in domain and not _approved(ctx, domain))


def _policies(model: TerraformModel, ctx: Context, project_roles: set[str]) -> Iterable[Hit]:
    """One hit per binding of an authoritative policy granting an outside account."""
    for res in model.of_type(*POLICY_TYPES):
        for binding in bindings(model, res):
            role = binding.role
            if res.type == "google_project_iam_policy" and (
                not isinstance(role, str) or role.lower() not in project_roles
            ):
                continue
            found = [(i, m) for i, m in enumerate(binding.members) if _outside(ctx, m)]
            if not found:
                continue
            index, member = found[0]
            holder = binding.holder
            location = holder.loc((*binding.keypath, index))
            yield Hit(
                location=location,
                args=res.hit(member=member).args,
                anchor=f"{res.address}:policy_data:{role}",
                scope=holder.scope_of(location),
                related=(Related(res.location, res.address),) if holder is not res else (),
            )


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    project_roles = {r.lower() for r in ctx.params.get("project_roles", ())}
    for res in model.of_type(*TYPES):
        if res.type.startswith("google_project_"):
            role = res.values.get("role")
            if not isinstance(role, str) or role.lower() not in project_roles:
                continue
        done = False
        for path in TYPES[res.type]:
            for keypath, value in res.find(path):
                members = value if isinstance(value, list) else [value]
                for i, member in enumerate(members):
                    if _outside(ctx, member):
                        where = (*keypath, i) if isinstance(value, list) else keypath
                        hit = res.hit(where, member=member)
                        origin = value_origin(model, res, member)
                        yield replace(hit, related=(origin,)) if origin else hit
                        done = True
                        break
                if done:
                    break
            if done:
                break
    yield from _policies(model, ctx, project_roles)
