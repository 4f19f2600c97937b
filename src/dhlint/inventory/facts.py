"""Inventory facts: what one model says about stores, workloads and data flows, as small,
JSON-compatible dicts (they are cached as JSON and sent from worker processes).

The engine calls ``extract(language, model)`` for every model when facts are collected. Facts
are policy-free, like the models: classifying column names and judging hosts happens when the
facts are joined (``dhlint.inventory.join``), with the run's policy.

A location is a list ``[path, start_line, start_col, end_line, end_col]`` (``loc_of`` rebuilds
a ``Location``). Shapes, by language:

``terraform`` (one per module directory)::

    {"directory": str, "stores": [{
        "address", "type", "provider" ("aws" | "gcp" | "azure"), "scheme" ("s3" | "gs" | "abfs" |
        "dynamodb" | "kinesis" | "firehose" | "sns" | "bigquery" | "sqs"),
        "names": [str]  (resolved literal names; several for an undecided conditional),
        "name_prefix": str | None, "loc": Loc, "scope": [first, last],
        "tags": {str: str}, "tags_unknown": bool,
        "encryption": {"status": "set" | "missing" | "unknown" | "provider-default",
                       "algorithms": [str], "customer_key": bool, "loc": Loc | None},
        "expiry": {"status": "set" | "missing" | "unknown", "days": number | None,
                   "loc": Loc | None, "attribute": str (a DynamoDB ttl's attribute_name;
                   absent when not known), "via": str, "via_loc": Loc (a Firehose stream's:
                   the address and place of the S3 bucket it delivers to, whose expiry it
                   is; absent otherwise), "shown": str (a store's missing expiry: why the
                   expiries it has do not count, as DH302 says; absent when none is set)},
        "access_logging": {"status": "set" | "missing" | "unknown", "loc": Loc | None},
        "companions": [{"address", "loc", "scope"}],  (resources configuring it)
        "subscriptions": [{"address", "protocol", "endpoint": str | None, "host": str | None,
                           "from": [str], "loc", "scope"}]  (an SNS topic's, when it has any:
                          where SNS delivers its messages; "host" an http/https endpoint's,
                          "from" the addresses an endpoint known only at apply is made of)
        "project": str  (a BigQuery dataset's, when written)}],
        (a DynamoDB table: scheme "dynamodb", expiry "unknown" with a ttl, access logging
        "unknown")
     "topics": [{"address", "names": [str], "project": str | None, "loc", "scope",
        "tags": {str: str},
        "push": [{"address", "host", "loc", "scope"}]}]  (Pub/Sub topics; their push
                          subscriptions' endpoints, which receive every message published),
     "workloads": [...],  (compute resources that set environment variables or run a script,
                          shaped as the Kubernetes workloads below: "ref" is the resource
                          address, "kind" its type, an env entry's "source" is "terraform";
                          see ``dhlint.inventory.terraform_workloads``)
     "defines": [{"type", "name", "address", "loc", "targets": [str]}]}  (the names resources
                          give themselves, hosts are made of: ``dhlint.inventory.own_hosts``)

``kubernetes`` (one for the whole tree)::

    {"workloads": [{"ref", "kind", "name", "namespace", "path", "loc", "scope",
        "labels": {str: str}, "containers": [{"name", "image", "loc", "scope",
            "command": [str], "args": [str], "scripts": [str],
            "env": [{"name", "value", "hosts": [str], "loc": Loc, "anchor": str,
                     "source": "literal" | "ConfigMap/<namespace>/<name>"}]}]}]}

``python`` (one per analysed file with facts)::

    {"path": str, "sinks": [{
        "kind" ("storage" | "network" | "file" | "database" | "log"), "api", "loc", "anchor",
        "scope", "host", "hosts" (every host it may reach, "host" first), "target",
        "attributes": [str] (a DynamoDB write's, when all are known; absent otherwise),
        "store": {"scheme", "bucket", "account", "uri"} | None,
        "env": [str]  (variables whose value reaches the call's URL, host, bucket or path:
                       read in the call, or earlier into a variable, a module constant, an
                       f-string, a concatenation, urljoin),
        "columns": [{"name", "origins": [str], "treatment", "by_name": bool,
                     "owner" (by name, read from a named value: user in user.fullname;
                     absent when none),
                     "flow": [[label, Loc], ...]  (source first)}]}],
     "endpoints": [{"api", "url", "host", "via", "loc", "anchor", "env": [str]}],
     "reads": [{"kind": "storage", "api", "loc", "anchor", "scope", "target", "host",
                "store": {...} | None, "env": [str]}]  (data read from object storage),
     "env_reads": [{"name", "loc", "anchor", "default": str | None}]  (a variable used by a
                   sink, endpoint or read: ``loc`` is that call's place),
     "env_vars": [{"name", "loc", "default": str | None}]}  (where each variable is read)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from dhlint.types import Location

Loc = list  # [path, start_line, start_col, end_line, end_col]

MAX_FLOW_STEPS = 8  # per column: the source and the first transforms are what a reader needs


def loc_list(location: Location | None) -> Loc | None:
    if location is None:
        return None
    return [
        location.path,
        location.start_line,
        location.start_col,
        location.end_line,
        location.end_col,
    ]


def loc_of(data: Any) -> Location:
    """A ``Location`` from a fact's ``[path, line, col, end_line, end_col]``."""
    path, line, col, end_line, end_col = data
    return Location(path, line, col, end_line, end_col)


def extract(language: str, model: Any) -> dict | None:
    """Facts for one model, or None when it has none worth keeping."""
    if language == "terraform":
        return _terraform(model)
    if language == "kubernetes":
        return _kubernetes(model)
    if language == "python":
        return _python(model)
    return None


# ------------------------------------------------------------------------------------ terraform
# type -> (provider, URI scheme, attribute holding the name, attribute holding a name prefix)
STORE_TYPES: dict[str, tuple[str, str, str, str | None]] = {
    "aws_s3_bucket": ("aws", "s3", "bucket", "bucket_prefix"),
    "google_storage_bucket": ("gcp", "gs", "name", None),
    # A dataset the code loads rows into (``join.named_store_ref``: a BigQuery table id's
    # dataset, ``proj.ds.table``); its tables are its companions.
    "google_bigquery_dataset": ("gcp", "bigquery", "dataset_id", None),
    "azurerm_storage_account": ("azure", "abfs", "name", None),
    # A table the code puts items into (``join.store_writes``: a DynamoDB write's table name);
    # never matched by an object storage reference.
    "aws_dynamodb_table": ("aws", "dynamodb", "name", None),
    # Streams the code puts records into (``join.named_store_ref``: a Kinesis or Firehose put's
    # stream name); never matched by an object storage reference either.
    "aws_kinesis_stream": ("aws", "kinesis", "name", None),
    "aws_kinesis_firehose_delivery_stream": ("aws", "firehose", "name", None),
    # Topics the code publishes to (``join.named_store``: an SNS publish's TopicArn, named in
    # the code or by a deployment's variable); they hold a message until it is delivered.
    "aws_sns_topic": ("aws", "sns", "name", "name_prefix"),
    # Queues the code sends messages to (``join.named_store``: an SQS send's QueueUrl); they
    # hold a message until it is received and deleted, 14 days at most.
    "aws_sqs_queue": ("aws", "sqs", "name", "name_prefix"),
}
LOGGING_OPTIONS = {
    "aws_s3_bucket": ["logging", "companion:logging"],
    "google_storage_bucket": ["logging"],
    "azurerm_storage_account": ["companion:diagnostics"],
}


def _terraform(model: Any) -> dict | None:
    from dhlint.inventory.own_hosts import defines
    from dhlint.inventory.terraform_workloads import workloads

    stores = [_tf_store(res, model) for res in model.of_type(*STORE_TYPES)]
    deployed = workloads(model)
    topics = _tf_topics(model)
    names = defines(model)
    if not stores and not deployed and not topics and not names:
        return None
    return {
        "directory": model.directory,
        "stores": stores,
        "topics": topics,
        "workloads": deployed,
        "defines": names,
    }


def environment_stores(model: Any, others: list) -> dict | None:
    """The stores that another environment's tfvars names otherwise (``"kcpd-alpr-images-
    ${var.env}"``: ``-dev`` by default, ``-prod`` with ``env/prod.tfvars``), each as a store of
    its own with that environment's settings, so that code or a manifest naming the prod bucket
    is joined to it (``others``: the models built with those files, ``Builder.environments``)."""
    from dhlint.models.terraform_eval import options

    def names(res: Any) -> list[str]:
        attr = STORE_TYPES[res.type][2]
        return [v for v in options(res.values.get(attr)) if isinstance(v, str) and v]

    known = {(r.address, n) for r in model.of_type(*STORE_TYPES) for n in names(r)}
    stores = []
    for other in others:
        for res in other.of_type(*STORE_TYPES):
            new = [n for n in names(res) if (res.address, n) not in known]
            if new:
                known.update((res.address, n) for n in new)
                names_new = sorted(dict.fromkeys(new))
                store = _tf_store(res, other)
                stores.append({**store, "names": names_new, "environment": other.var_file})
    if not stores:
        return None
    return {"directory": model.directory, "stores": stores, "topics": [], "workloads": []}


def _tf_topics(model: Any) -> list[dict]:
    """Pub/Sub topics and where their push subscriptions send (the inventory joins a publish
    to them: the city's topic, and the vendor a subscription mirrors it to)."""
    from dhlint.detectors.terraform.endpoints import host_of
    from dhlint.models.terraform_eval import options

    topics = model.of_type("google_pubsub_topic")
    if not topics:
        return []
    pushes: dict[str, list[dict]] = {}
    for sub in model.of_type("google_pubsub_subscription"):
        value = sub.values.get("topic")
        linked = model.linked(value, ["google_pubsub_topic"], "name")
        for option in options(value):  # "projects/p/topics/name": the topic named so
            if isinstance(option, str) and "/topics/" in option:
                short = option.rsplit("/topics/", 1)[1]
                linked += model.linked(short, ["google_pubsub_topic"], "name")
        for keypath, url in sub.find("push_config.push_endpoint"):
            host = host_of(url) if isinstance(url, str) else None
            if host is None:
                continue
            entry = {
                "address": sub.address,
                "host": host,
                "loc": loc_list(sub.loc(keypath)),
                "scope": list(sub.scope),
            }
            for address in dict.fromkeys(t.address for t in linked):
                pushes.setdefault(address, []).append(entry)
    out = []
    for res in topics:
        names = [v for v in options(res.values.get("name")) if isinstance(v, str) and v]
        project = res.values.get("project")
        out.append(
            {
                "address": res.address,
                "names": sorted(dict.fromkeys(names)),
                "project": project if isinstance(project, str) and project else None,
                "loc": loc_list(res.location),
                "scope": list(res.scope),
                "tags": {str(k): v for k, v in sorted(res.tags.items()) if isinstance(v, str)},
                "push": pushes.get(res.address, []),
            }
        )
    return out


def _tf_store(res: Any, model: Any) -> dict:
    from dhlint.models.terraform_eval import is_unknown, options

    provider, scheme, name_attr, prefix_attr = STORE_TYPES[res.type]
    names = [v for v in options(res.values.get(name_attr)) if isinstance(v, str) and v]
    prefix = res.values.get(prefix_attr) if prefix_attr else None
    tags_raw = res.tags
    tags = {str(k): v for k, v in tags_raw.items() if isinstance(v, str)}
    carriers = [res.values.get(k) for k in ("tags", "labels")]
    project = res.values.get("project") if scheme == "bigquery" else None
    return {
        "address": res.address,
        "type": res.type,
        "provider": provider,
        "scheme": scheme,
        "names": sorted(dict.fromkeys(names)),
        "name_prefix": prefix if isinstance(prefix, str) and prefix else None,
        "loc": loc_list(res.location),
        "scope": list(res.scope),
        "tags": dict(sorted(tags.items())),
        "tags_unknown": any(is_unknown(v) for v in carriers)
        or any(is_unknown(v) for v in tags_raw.values()),
        "encryption": _tf_encryption(res),
        "expiry": _tf_expiry(res, model),
        "access_logging": _tf_logging(res),
        "companions": _companions(res),
        # a BigQuery dataset's project, when written (a table id naming another is not it)
        **({"project": project} if isinstance(project, str) and project else {}),
        # an SNS topic's subscriptions: where every message published to it is delivered
        **({"subscriptions": subs} if (subs := _sns_subscriptions(model, res)) else {}),
    }


def _sns_subscriptions(model: Any, res: Any) -> list[dict]:
    """The ``aws_sns_topic_subscription``s of an SNS topic (by reference, or a literal ARN
    ending in its name): each one's protocol and endpoint (an http/https URL's host; a mail
    address, phone number or ARN as written; None when known only at apply, with the resources
    it is made from), where SNS delivers every message published to the topic."""
    from dhlint.detectors.terraform.endpoints import host_of
    from dhlint.models.terraform_eval import refs_of

    if res.type != "aws_sns_topic" or model is None:
        return []
    if "aws_sns_topic_subscription" not in model.types():
        return []
    out = []
    for sub in model.of_type("aws_sns_topic_subscription"):
        if res not in model.linked(sub.values.get("topic_arn"), ("aws_sns_topic",), "name"):
            continue
        protocol = sub.values.get("protocol")
        protocol = protocol.lower() if isinstance(protocol, str) else None
        for keypath, endpoint in sub.find("endpoint") or [(("endpoint",), None)]:
            text = endpoint if isinstance(endpoint, str) and endpoint else None
            host = host_of(text) if text and protocol in ("http", "https") else None
            out.append(
                {
                    "address": sub.address,
                    "protocol": protocol,
                    "endpoint": text,
                    "host": host,
                    "from": sorted(refs_of(endpoint)) if text is None else [],
                    "loc": loc_list(sub.loc(keypath)),
                    "scope": list(sub.scope),
                }
            )
    return out


def _companions(res: Any) -> list[dict]:
    """The resources that configure the store (its encryption, lifecycle, policy, logging...
    companions): a finding on one of them is about the store (the inventory lists it there)."""
    seen: dict[str, dict] = {}
    for role in sorted(res.companions):
        for comp in res.companions[role]:
            if comp.address not in seen:
                seen[comp.address] = {
                    "address": comp.address,
                    "loc": loc_list(comp.location),
                    "scope": list(comp.scope),
                }
    return [seen[a] for a in sorted(seen)]


def _tf_encryption(res: Any) -> dict:
    from dhlint.models.terraform import is_absent, is_unknown

    if res.type == "aws_s3_bucket":
        from dhlint.detectors.terraform.s3_encryption import encryption_settings

        settings = encryption_settings(res)
        if not settings:
            return {"status": "missing", "algorithms": [], "customer_key": False, "loc": None}
        algorithms = sorted({str(v) for _, _, v in settings if isinstance(v, str) and v})
        first_res, first_path, _ = settings[0]
        where = loc_list(first_res.loc(first_path))
        if any(is_absent(v) or v == "" for _, _, v in settings):
            status = "missing"  # one branch or one rule leaves it empty
        elif any(is_unknown(v) for _, _, v in settings):
            status = "unknown"
        else:
            status = "set"
        keyed = False
        for carrier, keypath, _ in settings:
            parent = ".".join(str(k) for k in keypath[:-1] if not isinstance(k, int))
            keys = [v for _, v in carrier.find(f"{parent}.kms_master_key_id")]
            keyed = keyed or any(not is_absent(v) for v in keys)
        return {"status": status, "algorithms": algorithms, "customer_key": keyed, "loc": where}
    if res.type in ("aws_kinesis_stream", "aws_kinesis_firehose_delivery_stream"):
        return _stream_encryption(res)
    if res.type == "aws_sns_topic":
        return _topic_encryption(res)
    if res.type == "aws_sqs_queue":
        return _queue_encryption(res)
    # GCS and Azure storage (and DynamoDB tables) are always encrypted by the provider; a
    # customer key is optional.
    key_paths = {
        "aws_dynamodb_table": "server_side_encryption.kms_key_arn",
        "google_storage_bucket": "encryption.default_kms_key_name",
        "google_bigquery_dataset": "default_encryption_configuration.kms_key_name",
        "azurerm_storage_account": "customer_managed_key.key_vault_key_id",
    }
    found = [(p, v) for p, v in res.find(key_paths[res.type]) if not is_absent(v)]
    if found:
        return {
            "status": "set",
            "algorithms": ["customer-key"],
            "customer_key": True,
            "loc": loc_list(res.loc(found[0][0])),
        }
    return {"status": "provider-default", "algorithms": [], "customer_key": False, "loc": None}


def _stream_encryption(res: Any) -> dict:
    """A Kinesis stream's ``encryption_type = "KMS"`` (DH107), a Firehose stream's
    ``server_side_encryption { enabled = true }`` (DH108; one fed by a Kinesis stream takes no
    puts from code and is not judged: "unknown"); a key other than AWS's own is a customer
    key."""
    from dhlint.models.terraform import is_absent, is_unknown

    kinesis = res.type == "aws_kinesis_stream"
    path = "encryption_type" if kinesis else "server_side_encryption.enabled"
    found = [(p, v) for p, v in res.find(path) if not is_absent(v)]
    value = found[0][1] if found else None
    if any(is_unknown(v) for _, v in found):
        return {"status": "unknown", "algorithms": [], "customer_key": False, "loc": None}
    if value not in ("KMS", True):
        if not kinesis and res.find("kinesis_source_configuration"):
            return {"status": "unknown", "algorithms": [], "customer_key": False, "loc": None}
        return {"status": "missing", "algorithms": [], "customer_key": False, "loc": None}
    if kinesis:
        keys = [v for _, v in res.find("kms_key_id") if not is_absent(v)]
        keyed = any(v != "alias/aws/kinesis" for v in keys)
    else:
        types = [v for _, v in res.find("server_side_encryption.key_type")]
        keyed = "CUSTOMER_MANAGED_CMK" in types
    where = loc_list(res.loc(found[0][0]))
    return {"status": "set", "algorithms": ["aws:kms"], "customer_key": keyed, "loc": where}


def _topic_encryption(res: Any) -> dict:
    """An SNS topic's ``kms_master_key_id`` (DH110): none is no encryption at rest; a key
    other than AWS's own (``alias/aws/sns``) is a customer key."""
    from dhlint.models.terraform import is_absent, is_unknown

    found = [(p, v) for p, v in res.find("kms_master_key_id") if not is_absent(v)]
    if not found:
        return {"status": "missing", "algorithms": [], "customer_key": False, "loc": None}
    if any(is_unknown(v) for _, v in found):
        return {"status": "unknown", "algorithms": [], "customer_key": False, "loc": None}
    keyed = any(v != "alias/aws/sns" for _, v in found)
    where = loc_list(res.loc(found[0][0]))
    return {"status": "set", "algorithms": ["aws:kms"], "customer_key": keyed, "loc": where}


def _queue_encryption(res: Any) -> dict:
    """An SQS queue's ``kms_master_key_id``, else SSE-SQS unless ``sqs_managed_sse_enabled`` is
    false (DH109: new queues get SSE-SQS)."""
    from dhlint.models.terraform import is_absent, is_unknown

    keys = [(p, v) for p, v in res.find("kms_master_key_id") if not is_absent(v)]
    if keys:
        if any(is_unknown(v) for _, v in keys):
            return {"status": "unknown", "algorithms": [], "customer_key": False, "loc": None}
        keyed = any(v != "alias/aws/sqs" for _, v in keys)
        where = loc_list(res.loc(keys[0][0]))
        return {"status": "set", "algorithms": ["aws:kms"], "customer_key": keyed, "loc": where}
    found = [(p, v) for p, v in res.find("sqs_managed_sse_enabled") if not is_absent(v)]
    if any(v is False for _, v in found):
        where = loc_list(res.loc(found[0][0]))
        return {"status": "missing", "algorithms": [], "customer_key": False, "loc": where}
    if any(is_unknown(v) for _, v in found):
        return {"status": "unknown", "algorithms": [], "customer_key": False, "loc": None}
    return {"status": "provider-default", "algorithms": [], "customer_key": False, "loc": None}


def _tf_expiry(res: Any, model: Any = None) -> dict:
    if res.type == "aws_sqs_queue":
        # A queue keeps a message until it is received (14 days at most): not a store's
        # expiry the policy's retention periods are about.
        return {"status": "unknown", "days": None, "loc": None}
    if res.type == "aws_sns_topic":
        # A topic keeps a message only until it is delivered (a FIFO topic's archive policy
        # aside): no expiry of the store's to judge.
        return {"status": "unknown", "days": None, "loc": None}
    if res.type == "aws_dynamodb_table":
        return _dynamodb_ttl(res)
    if res.type == "aws_kinesis_stream":
        return _stream_retention(res)
    if res.type == "aws_kinesis_firehose_delivery_stream":
        return _firehose_expiry(res, model)
    if res.type == "google_bigquery_dataset":
        return _dataset_expiry(res)
    # DH302's reading: only an expiry of every object (and of previous versions) counts.
    from dhlint.detectors.terraform.storage_expiration import verdict

    found = verdict(res)
    loc = loc_list(found.at.carrier.loc(found.at.path)) if found.at is not None else None
    if found.status == "missing" and found.shown != "not set":
        # why the expiry found does not count (DH390 says it as DH302 does)
        return {"status": "missing", "days": None, "loc": loc, "shown": found.shown}
    if found.status != "set" or found.days is None:
        return {"status": found.status, "days": None, "loc": loc}
    shown: float | int = int(found.days) if found.days.is_integer() else found.days
    return {"status": "set", "days": shown, "loc": loc}


def _firehose_expiry(res: Any, model: Any) -> dict:
    """A Firehose stream buffers records for minutes and delivers them on: they are kept as
    long as its S3 destination keeps them (``extended_s3_configuration { bucket_arn = ... }``,
    a bucket of the same model, by reference or name): that bucket's expiry as DH302 reads it,
    with its address (``via``). Unknown for other destinations (Redshift, OpenSearch, an HTTP
    endpoint, whose ``s3_configuration`` is a backup), a bucket defined elsewhere, or one of
    several (an undecided conditional)."""
    unknown = {"status": "unknown", "days": None, "loc": None}
    if model is None:
        return unknown
    buckets: dict[str, Any] = {}
    for _, value in res.find("extended_s3_configuration.bucket_arn"):
        for bucket in model.linked(value, ("aws_s3_bucket",), "bucket"):
            buckets.setdefault(bucket.address, bucket)
    if len(buckets) != 1:
        return unknown
    ((address, bucket),) = buckets.items()
    return {**_tf_expiry(bucket), "via": address, "via_loc": loc_list(bucket.location)}


def _dataset_expiry(res: Any) -> dict:
    """A BigQuery dataset's ``default_table_expiration_ms``, as DH303 reads it: the tables the
    code creates in it (a load job's, ``insert_rows`` into a new one) expire that long after
    they are created; not set, they are kept forever."""
    from dhlint.models.terraform import is_absent

    found = [(p, v) for p, v in res.find("default_table_expiration_ms") if not is_absent(v)]
    if not found:
        return {"status": "missing", "days": None, "loc": None}
    path, ms = found[0]
    if len(found) > 1 or isinstance(ms, bool) or not isinstance(ms, (int, float)) or ms <= 0:
        return {"status": "unknown", "days": None, "loc": loc_list(res.loc(path))}
    days = ms / 86400000
    shown: float | int = int(days) if float(days).is_integer() else round(days, 2)
    return {"status": "set", "days": shown, "loc": loc_list(res.loc(path))}


def _dynamodb_ttl(res: Any) -> dict:
    """A DynamoDB table's expiry: its ``ttl`` deletes each item at the time the item's
    attribute says, which the code writes (the days are not the Terraform's: "unknown"); with
    no ``ttl`` enabled every item stays until deleted ("missing")."""
    from dhlint.models.terraform import is_unknown

    found = res.find("ttl.enabled")
    if any(v is True for _, v in found):
        loc = loc_list(res.loc(next(k for k, v in found if v is True)))
        # The attribute each item's expiry is read from, when one block names it (DH390: an
        # item the code writes whole without it never expires).
        named = [v for _, v in res.find("ttl.attribute_name")]
        attribute = named[0] if len(found) == 1 and len(named) == 1 else None
        if isinstance(attribute, str) and attribute:
            return {"status": "unknown", "days": None, "loc": loc, "attribute": attribute}
        return {"status": "unknown", "days": None, "loc": loc}
    if any(is_unknown(v) for _, v in found):
        return {"status": "unknown", "days": None, "loc": None}
    return {"status": "missing", "days": None, "loc": None}


def _stream_retention(res: Any) -> dict:
    """A Kinesis stream keeps records ``retention_period`` hours (24 by default), as DH304
    reads it."""
    from dhlint.models.terraform import is_absent

    found = [(p, v) for p, v in res.find("retention_period") if not is_absent(v)]
    if not found:
        return {"status": "set", "days": 1, "loc": loc_list(res.location)}
    path, hours = found[0]
    if isinstance(hours, bool) or not isinstance(hours, (int, float)):
        return {"status": "unknown", "days": None, "loc": loc_list(res.loc(path))}
    days = hours / 24
    shown: float | int = int(days) if float(days).is_integer() else round(days, 2)
    return {"status": "set", "days": shown, "loc": loc_list(res.loc(path))}


def _tf_logging(res: Any) -> dict:
    from dhlint.models.terraform import is_absent

    if res.type not in LOGGING_OPTIONS:
        return {"status": "unknown", "loc": None}  # (a table's: CloudTrail data events)
    for option in LOGGING_OPTIONS[res.type]:
        if option.startswith("companion:"):
            companions = res.companions.get(option.split(":", 1)[1]) or []
            if companions:
                return {"status": "set", "loc": loc_list(companions[0].location)}
        else:
            for path, value in res.find(option):
                if not is_absent(value) and value is not False:
                    return {"status": "set", "loc": loc_list(res.loc(path))}
    return {"status": "missing", "loc": None}


# ----------------------------------------------------------------------------------- kubernetes
# A match starts only where a path can (not inside one), so the scan stays linear.
_SCRIPT = re.compile(r"(?<![\w./-])[\w./-]*\w\.py\b")
_MODULE_FLAG = re.compile(r"(?:^|\s)-m\s+([\w.]+)")


# The module an ASGI/WSGI server loads its application from: ``module.path:attribute`` after
# ``uvicorn``, ``gunicorn`` or ``hypercorn`` (``uvicorn app.main:app``, ``gunicorn
# portal.wsgi:application``, a factory ``app:create_app()``); not ``0.0.0.0:8000`` nor a URL.
_APP_SERVER = re.compile(r"(?<![\w.-])(?:uvicorn|gunicorn|hypercorn)(?![\w./-])")  # /bin/x too
_APP = re.compile(r"(?<![\w./:@-])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):[A-Za-z_]\w*(?![\w.:/@])")
# Celery's application module: ``celery -A proj.tasks worker``, ``--app=proj.celery:app``.
_CELERY = re.compile(r"(?<![\w.-])celery(?![\w./-])")
_CELERY_APP = re.compile(r"(?:^|\s)(?:-A|--app)(?:\s+|=)([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
# A shell text's commands, and those that only print or test their words (``echo start with
# uvicorn app.main:app`` runs no server). Any other may run one, behind a wrapper or not
# (``tini --``, ``dumb-init``, ``opentelemetry-instrument``, ``poetry run``).
_COMMANDS = re.compile(r"&&|\|\||[;&|()]")
_PRINTS = frozenset(("echo", "printf", "test", "[", ":", "true", "false", "#"))
_SHELL = frozenset(("sh", "bash", "ash", "dash", "zsh", "-c", "-lc", "-ec", "-xc", "exec", "env"))


def _commands(text: str) -> Iterator[str]:
    """The commands of a shell text that may run what they name: not one that prints or tests
    its words (after the shell that runs it, ``sh -c``, ``exec``)."""
    for command in _COMMANDS.split(text):
        words = [w.rsplit("/", 1)[-1] for w in command.split()]
        first = next((w for w in words if w not in _SHELL and "=" not in w), None)
        if first is not None and first not in _PRINTS:
            yield command


def scripts_of(words: list[str]) -> list[str]:
    """Python scripts a container command names: ``etl/x.py`` or ``-m etl.x`` (as
    ``etl/x.py`` and, a package's, ``etl/x/__main__.py``), also inside ``sh -c "..."``
    strings, and the module a server or worker loads as it names it (``uvicorn app.main:app``,
    ``gunicorn portal.wsgi:application``, ``celery -A app.worker worker``: ``app/main.py``,
    ``portal/wsgi.py``, ``app/worker.py``)."""
    found: list[str] = []
    text = " ".join(words)
    for match in _SCRIPT.finditer(text):
        script = match.group(0)
        found.append(script[2:] if script.startswith("./") else script)
    modules = []
    for match in _MODULE_FLAG.finditer(text):
        # python -m pkg.module runs pkg/module.py, or pkg/module/__main__.py for a package
        modules.append(match.group(1))
        modules.append(match.group(1) + ".__main__")
    for command in _commands(text):
        server = _APP_SERVER.search(command)
        if server:
            modules += _APP.findall(command, server.end())
        celery = _CELERY.search(command)
        if celery:
            modules += _CELERY_APP.findall(command, celery.end())
    found += [module.replace(".", "/") + ".py" for module in modules]
    return list(dict.fromkeys(found))


def env_hosts(value: str) -> list[str]:
    """The hosts of the URLs in a variable's value, or the value itself when it is a host."""
    from dhlint.detectors.kubernetes._hosts import bare_host, find_urls

    hosts = [u.host for u in find_urls(value)]
    bare = bare_host(value)
    if bare and not hosts:
        hosts = [bare]
    return list(dict.fromkeys(hosts))


def _kubernetes(model: Any) -> dict | None:
    configmaps = {(o.namespace or "default", o.name): o for o in model.of_kind("ConfigMap")}
    workloads = []
    for workload in model.workloads:
        obj = workload.obj
        if obj.applied:  # a kustomize patch: its values are its base's (``_env_values``)
            continue
        containers = []
        for container in workload.containers:
            command = [n.value for n in container.command if n.kind == "scalar"]
            args = [n.value for n in container.args if n.kind == "scalar"]
            env = []
            for name, value, where, anchor, source in _env_values(container, configmaps):
                env.append(
                    {
                        "name": name,
                        "value": value,
                        "hosts": env_hosts(value),
                        "loc": where,
                        "anchor": anchor,
                        "source": source,
                    }
                )
            image = container.image.value if container.image is not None else None
            containers.append(
                {
                    "name": container.name,
                    "image": image if isinstance(image, str) else None,
                    "loc": loc_list(obj.location(container.node)),
                    "scope": list(container.scope),
                    "command": command,
                    "args": args,
                    "scripts": scripts_of(command + args),
                    "env": env,
                }
            )
        workloads.append(
            {
                "ref": obj.ref,
                "kind": obj.kind,
                "name": obj.name,
                "namespace": obj.namespace or "default",
                "path": obj.path,
                "loc": loc_list(obj.location(obj.node)),
                "scope": list(obj.scope),
                "labels": {k: v for k, v in sorted(workload.labels.items()) if isinstance(v, str)},
                "containers": containers,
            }
        )
    if not workloads:
        return None
    return {"workloads": workloads}


def _env_values(container: Any, configmaps: dict) -> list[tuple]:
    """(name, value, loc, anchor, source) for each variable with a known value: a literal
    ``value``, a ``configMapKeyRef`` or an ``envFrom`` ``configMapRef`` to a ConfigMap of the
    scanned tree (same namespace); the location is where the value is written. A variable a
    kustomize patch sets has the patch's value too, at the patch; only the patch's when every
    build of the object is patched (the written value, or the ``envFrom`` one, is then in none
    of them)."""
    obj = container.obj
    namespace = obj.namespace or "default"
    out: list[tuple] = []

    def from_map(name: str | None, key: str | None) -> tuple | None:
        cm = configmaps.get((namespace, name)) if name else None
        node = cm.get("data", key) if cm is not None and key else None
        if node is None or node.text is None:
            return None
        # a generator's value read from an env file: located on its line there
        where = cm.origins.get(key) or cm.location(node)
        return node.text, loc_list(where), cm.anchor(f"data.{key}"), cm.ref

    for var in container.env:
        if var.name in container.replaced:
            continue
        if var.literal is not None:
            where = var.value if var.value is not None else var.node
            loc = loc_list(obj.location(where))
            out.append((var.name, var.literal, loc, obj.anchor(var.key_path), "literal"))
        elif var.value_from is not None:
            ref = var.value_from.get("configMapKeyRef")
            if ref is None:
                continue
            name, key = ref.get("name"), ref.get("key")
            found = from_map(name.text if name else None, key.text if key else None)
            if found is not None:
                out.append((var.name, *found))
    for patch, var in (pair for pairs in container.patched.values() for pair in pairs):
        if var.literal is not None:  # a patch's valueFrom: not followed
            where = var.value if var.value is not None else var.node
            loc = loc_list(patch.location(where))
            out.append((var.name, var.literal, loc, patch.anchor(var.key_path), "literal"))
    # Written ``env`` entries win over ``envFrom``, and so does a patch's, but only in the
    # builds that apply it: a variable some build does not patch keeps the base's value there.
    seen = {var.name for var in container.env} | set(container.replaced)
    for entry in container.env_from:
        ref = entry.get("configMapRef", "name")
        prefix = entry.get("prefix")
        cm = configmaps.get((namespace, ref.text)) if ref is not None else None
        data = cm.get("data") if cm is not None else None
        if data is None:
            continue
        for key_node, _value in data.pairs():
            key = key_node.text
            found = from_map(ref.text, key) if key else None
            name = f"{prefix.text if prefix is not None and prefix.text else ''}{key}"
            if found is not None and name not in seen:  # explicit env wins
                seen.add(name)
                out.append((name, *found))
    return out


# --------------------------------------------------------------------------------------- python
# Environment reads as written in a call's text (the model keeps the text in each fact's anchor;
# a variable read into a name first and used later is not visible there).
_ENV_READ = re.compile(
    r"""(?:os\.)?(?:environ\s*\[\s*|environ\.get\s*\(\s*|getenv\s*\(\s*)
        (?P<q>['"])(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P=q)""",
    re.VERBOSE,
)


def env_names(text: str) -> list[str]:
    return list(dict.fromkeys(m["name"] for m in _ENV_READ.finditer(text)))


def parse_store_uri(uri: str | None, host: str | None, api: str) -> dict | None:
    """``s3://bucket/key``, ``gs://...``, ``abfs[s]://container@account.dfs.core.windows.net``
    or a bucket name given to a client call (``s3.upload_file`` -> ``s3``)."""
    scheme = bucket = account = None
    if uri and "://" in uri:
        scheme, rest = uri.split("://", 1)
        scheme = scheme.lower()
        bucket = rest.split("/", 1)[0] or None
    elif host:
        bucket = host
        kind = api.split(".", 1)[0].lower()
        scheme = {"s3": "s3", "aws": "s3", "s3hook": "s3", "gcs": "gs", "azure": "abfs"}.get(kind)
    if bucket is None:
        return None
    scheme = {"s3a": "s3", "s3n": "s3", "gcs": "gs", "abfss": "abfs", "az": "abfs"}.get(
        scheme or "", scheme
    )
    if scheme in ("wasb", "wasbs"):
        scheme = "abfs"
    if "@" in bucket:  # container@account.dfs.core.windows.net
        container, _, server = bucket.partition("@")
        account = server.split(".", 1)[0]
        bucket = container
    if "{" in bucket:
        bucket = None
    return {"scheme": scheme, "bucket": bucket, "account": account, "uri": uri}


def _columns(columns: Any) -> list[dict]:
    out = []
    for col in columns:
        flow = [[step.label, loc_list(step.location)] for step in col.flow[:MAX_FLOW_STEPS]]
        out.append(
            {
                "name": col.name,
                "origins": list(col.origins),
                "treatment": col.treatment,
                "by_name": bool(col.by_name),
                "flow": flow,
            }
        )
        if col.owner:
            out[-1]["owner"] = col.owner  # by name, read from a named value: Col.owner
    return out


def _names(fact: Any) -> list[str]:
    """The variables a fact's call uses: the model's record, plus those written in its text."""
    return list(dict.fromkeys([*getattr(fact, "env", ()), *env_names(fact.anchor)]))


def _python(model: Any) -> dict | None:
    if not getattr(model, "analysed", False):
        return None
    defaults: dict[str, str] = {}
    for var in getattr(model, "env_reads", ()):
        if var.default is not None:
            defaults.setdefault(var.name, var.default)
    sinks, reads = [], []
    for sink in model.sinks:
        names = _names(sink)
        store = None
        if sink.kind == "storage":
            store = parse_store_uri(sink.target, sink.host, sink.api)
        sinks.append(
            {
                "kind": sink.kind,
                "api": sink.api,
                "loc": loc_list(sink.location),
                "anchor": sink.anchor,
                "scope": list(sink.scope),
                "host": sink.host,
                "hosts": list(sink.hosts),
                "target": sink.target,
                "store": store,
                "env": names,
                "columns": _columns(sink.columns),
            }
        )
        if getattr(sink, "attributes", None) is not None:  # a DynamoDB write's (DH390)
            sinks[-1]["attributes"] = list(sink.attributes)
        reads += [(name, sink.location, sink.anchor, defaults.get(name)) for name in names]
    endpoints = []
    for endpoint in model.endpoints:
        names = _names(endpoint)
        endpoints.append(
            {
                "api": endpoint.api,
                "url": endpoint.url,
                "host": endpoint.host,
                "via": endpoint.via,
                "loc": loc_list(endpoint.location),
                "anchor": endpoint.anchor,
                "env": names,
            }
        )
        default = endpoint.url if endpoint.via == "env-default" else None
        reads += [
            (name, endpoint.location, endpoint.anchor, defaults.get(name, default))
            for name in names
        ]
    storage_reads = []
    for read in getattr(model, "reads", ()):
        names = _names(read)
        storage_reads.append(
            {
                "kind": read.kind,
                "api": read.api,
                "loc": loc_list(read.location),
                "anchor": read.anchor,
                "scope": list(read.scope),
                "target": read.target,
                "host": read.host,
                "store": parse_store_uri(read.target, read.host, read.api),
                "env": names,
            }
        )
        reads += [(name, read.location, read.anchor, defaults.get(name)) for name in names]
    env_reads: dict[tuple, dict] = {}
    for name, location, anchor, default in reads:
        key = (name, location)
        entry = env_reads.setdefault(
            key, {"name": name, "loc": loc_list(location), "anchor": anchor, "default": None}
        )
        entry["default"] = entry["default"] or default
    if not sinks and not endpoints and not storage_reads:
        return None
    ordered = sorted(env_reads.values(), key=lambda e: (e["loc"][1], e["loc"][2], e["name"]))
    env_vars = [
        {"name": var.name, "loc": loc_list(var.location), "default": var.default}
        for var in getattr(model, "env_reads", ())
    ]
    return {
        "path": model.path,
        "sinks": sinks,
        "endpoints": endpoints,
        "reads": storage_reads,
        "env_reads": ordered,
        "env_vars": env_vars,
    }
