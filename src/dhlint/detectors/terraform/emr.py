"""EMR clusters' encryption, which a security configuration (a JSON document) sets:

- ``at_rest`` (DH120): the nodes' local disks (HDFS, spill files, EBS volumes) not encrypted;
- ``in_transit`` (DH213): traffic between the nodes (shuffle, HDFS, Spark) not encrypted.

A cluster that may hold personal data without a security configuration has neither. A
configuration is judged when such a cluster uses it, or when no cluster in the files checked
uses it (a module's configuration for clusters elsewhere), by its own class (the policy's
default, as it has no tags). A configuration not readable before apply is not judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dhlint.analysis import Context
from dhlint.models.terraform import (
    JSON_MEMBERS,
    TerraformModel,
    is_absent,
    is_unknown,
    policy_document,
)
from dhlint.models.terraform_eval import options
from dhlint.types import Hit

_CONFIG = "aws_emr_security_configuration"


def at_rest(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    yield from _judge(model, ctx, "EnableAtRestEncryption", _local_disks)


def in_transit(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    yield from _judge(model, ctx, "EnableInTransitEncryption", None)


def _local_disks(encryption: dict) -> str | None:
    """At rest enabled for EMRFS only leaves the local disks as they were."""
    at_rest = encryption.get("AtRestEncryptionConfiguration")
    if isinstance(at_rest, dict) and "LocalDiskEncryptionConfiguration" not in at_rest:
        return "it has no LocalDiskEncryptionConfiguration (only EMRFS data is encrypted)"
    return None


def _judge(model: TerraformModel, ctx: Context, switch: str, more) -> Iterator[Hit]:
    personal = ctx.policy.classes_with_personal_data()
    judged: set[str] = set()  # configurations a cluster with personal data uses
    used: set[str] = set()  # configurations any cluster uses
    for cluster in model.of_type("aws_emr_cluster"):
        holds = cluster.data_class(ctx.policy) in personal
        ref = cluster.values.get("security_configuration")
        if is_absent(ref):
            if holds:
                yield cluster.hit(None, setting="it has no security configuration")
            continue
        for config in model.linked(ref, (_CONFIG,), "name"):
            used.add(config.address)
            if holds:
                judged.add(config.address)
    for config in model.of_type(_CONFIG):
        if config.address not in judged and (
            config.address in used or config.data_class(ctx.policy) not in personal
        ):
            continue
        docs = [policy_document(option) for option in options(config.values.get("configuration"))]
        if not docs or any(doc is None for doc in docs):
            continue  # not readable before apply
        for doc in docs:
            found = _setting(doc, switch, more)
            if found is not None:
                keypath, setting = found
                yield config.hit(("configuration", JSON_MEMBERS, *keypath), setting=setting)
                break


def _setting(doc: dict, switch: str, more) -> tuple[tuple, str] | None:
    encryption = doc.get("EncryptionConfiguration")
    if not isinstance(encryption, dict):
        return (), "it sets no EncryptionConfiguration"
    value = encryption.get(switch)
    where = ("EncryptionConfiguration", switch)
    if value is None:
        return where[:1], f"it does not set {switch}"
    if is_unknown(value):
        return None
    if str(value).lower() != "true":
        return where, f"it sets {switch} to {str(value).lower()}"
    said = more(encryption) if more is not None else None
    return (where[:1], said) if said else None
