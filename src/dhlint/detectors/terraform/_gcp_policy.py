"""The grants of a GCP authoritative IAM policy (``google_*_iam_policy``): the ``binding``
blocks of the ``data "google_iam_policy"`` document its ``policy_data`` reads, or the
``bindings`` of a JSON document written in place (``jsonencode({bindings = [...]})``, a plan's
value). DH404 and DH603 judge each binding's members as they judge a ``_binding`` resource's,
located on the binding inside the document."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dhlint.models.terraform import (
    JSON_MEMBERS,
    Resource,
    TerraformModel,
    options,
    policy_document,
)
from dhlint.models.terraform_eval import Unknown, refs_of

# An authoritative policy resource -> its ``_binding`` counterpart (whose checks apply).
POLICY_TYPES = {
    "google_project_iam_policy": "google_project_iam_binding",
    "google_storage_bucket_iam_policy": "google_storage_bucket_iam_binding",
    "google_bigquery_dataset_iam_policy": "google_bigquery_dataset_iam_binding",
    "google_bigquery_table_iam_policy": "google_bigquery_table_iam_binding",
    "google_pubsub_topic_iam_policy": "google_pubsub_topic_iam_binding",
    "google_pubsub_subscription_iam_policy": "google_pubsub_subscription_iam_binding",
}


@dataclass(frozen=True)
class Binding:
    """One binding of a policy: its role and members, and where its members are written
    (``holder.loc((*keypath, i))`` is member i's place)."""

    holder: Resource  # the data source, or the policy resource (a document in place)
    keypath: tuple
    role: Any
    members: list
    source: str  # the document as the message names it: "data.google_iam_policy.x" or ""


def bindings(model: TerraformModel, res: Resource) -> Iterator[Binding]:
    """The bindings of a ``google_*_iam_policy`` resource's ``policy_data``, each once."""
    value = res.values.get("policy_data")
    documents: list[Resource] = []
    for option in options(value):
        if isinstance(option, Unknown):
            refs = refs_of(option)
            documents += [
                d
                for d in model.data_sources
                if d.type == "google_iam_policy" and d.address in refs and d not in documents
            ]
            continue
        doc = policy_document(option)
        if doc is None or not isinstance(doc.get("bindings"), list):
            continue
        for i, binding in enumerate(doc["bindings"]):
            if isinstance(binding, dict) and isinstance(binding.get("members"), list):
                keypath = ("policy_data", JSON_MEMBERS, "bindings", i, "members")
                yield Binding(res, keypath, binding.get("role"), binding["members"], "")
    for document in documents:
        for keypath, block in document.blocks("binding"):
            members = block.get("members")
            if isinstance(members, list):
                yield Binding(
                    document, (*keypath, "members"), block.get("role"), members, document.address
                )
