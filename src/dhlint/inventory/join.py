"""Joining the facts of several languages (``Workspace.facts``), with the run's policy.

- a Python storage write (``s3://bucket/...``, ``gs://``, ``abfs[s]://container@account...``, or
  a bucket name given to a boto3/GCS/Azure client call) matches the Terraform stores whose
  resolved name (or ``bucket_prefix``) is that bucket, with the same URI scheme;
- a storage location built from an environment variable (``bucket = os.environ["RAW_BUCKET"]``,
  ``f"s3://{bucket}/x"``) takes the value a deployment sets for it (``kc-alpr-raw`` or a URI),
  and matches the Terraform stores by that; storage reads (``pd.read_csv("s3://...")``, boto3
  ``get_object``) match the same way;
- an environment variable read by Python matches the known values deployments set for it
  (Kubernetes manifests and ConfigMaps, and the compute resources of Terraform: Lambda, ECS,
  Cloud Run, Cloud Functions, Azure apps, the kubernetes provider), preferring the workloads
  that run that Python file;
- a workload runs a Python file when its command or args name the script (``python etl/x.py``,
  ``python -m etl.x``; a Lambda handler ``etl.x.handler``), compared by whole trailing path
  components (``/app/etl/x.py`` runs ``etl/x.py``; ``etl/x.py`` runs ``services/etl/x.py``;
  ``tax.py`` does not run ``x.py``), of several such files the one nearest the file that
  defines the container; a handler whose package directory is not known runs the file only
  when that is the one file of the run it can be (``runs``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dhlint.analysis import Workspace
from dhlint.inventory.facts import parse_store_uri
from dhlint.models.terraform import _base_address

_CONFIDENCE = {"high": 3, "medium": 2, "low": 1}
PROTECTED_PREFIXES = ("keyed", "protected:", "aggregate")
# The lowest data class each identifier category needs (rule params may override).
DEFAULT_REQUIRED_CLASS = {
    "direct": "personal",
    "device": "personal",
    "location": "personal",
    "quasi": "personal",
    "biometric": "sensitive",
    "special": "sensitive",
}


def is_protected(treatment: str) -> bool:
    return treatment.startswith(PROTECTED_PREFIXES)


def classify_columns(
    columns: Iterable[dict], policy: Any, min_confidence: str = "medium"
) -> list[dict]:
    """Identifier columns among a sink's columns: by the name at the sink, then the names it
    derives from (a name known only from a variable needs high confidence)."""
    from dhlint.identifiers import classify_name, person_owner, renamed_data, thing_name_alone

    out, seen = [], set()
    for column in columns:
        floor = _CONFIDENCE["high"] if column.get("by_name") else _CONFIDENCE[min_confidence]
        # a thing's name in code read from a person (customer["full_name"]): as a column's
        owned = bool(column.get("by_name")) and person_owner(column.get("owner", ""), policy)
        for name in (column["name"], *column.get("origins", ())):
            match = classify_name(name, policy)
            level = _CONFIDENCE.get(match.confidence, 0) if match is not None else 0
            if owned and level == _CONFIDENCE["medium"] and thing_name_alone(name):
                level = _CONFIDENCE["high"]
            if match is None or level < floor:
                continue
            if renamed_data(match, name, column.get("origins", ()), policy):
                continue  # {"location": site_address}: judged by site_address
            if column["name"] not in seen:
                seen.add(column["name"])
                out.append(
                    {
                        "name": column["name"],
                        "category": match.category,
                        "matched": name,
                        "treatment": column["treatment"],
                        "protected": is_protected(column["treatment"]),
                        "flow": column.get("flow", []),
                    }
                )
            break
    return out


def describe(columns: list[dict]) -> str:
    """``'plate' (direct), 'lat' (location, rounded to 3 decimals)``: a column's category, and
    what was done to it when it is no longer as read (a reader would take it for the raw value)."""
    out = []
    for column in columns:
        treated = _treatment_text(column.get("treatment", "raw"))
        out.append(f"'{column['name']}' ({column['category']}{', ' + treated if treated else ''})")
    return ", ".join(out)


def _treatment_text(treatment: str) -> str:
    kind, _, arg = treatment.partition(":")
    if kind == "round" and arg.lstrip("-").isdigit():
        digits = int(arg)
        if digits > 0:
            return f"rounded to {digits} decimal{'s' if digits > 1 else ''}"
        return "rounded to whole units" if digits == 0 else f"rounded to the nearest {10**-digits}"
    if kind == "round" and arg == "?":
        return "rounded to decimals not known"
    if kind == "round" and arg == "=":
        return "rounded to the configured decimals"
    return {
        "truncate": f"cut to its first {arg} characters",
        "last": f"cut to its last {arg} characters",
        "bucket": "binned",
        "weak-hash": f"hashed with {arg}, unkeyed",
        "keyed": "keyed hash",
        "protected": f"through {arg}",
        "aggregate": "aggregated",
    }.get(kind, "")


# ----------------------------------------------------------------------------------- lookups
def terraform_stores(workspace: Workspace) -> list[dict]:
    out = []
    for facts in workspace.facts.get("terraform", []):
        for store in facts.get("stores", []):
            out.append({**store, "directory": facts.get("directory", "")})
    return out


def terraform_topics(workspace: Workspace) -> list[dict]:
    out = []
    for facts in workspace.facts.get("terraform", []):
        for topic in facts.get("topics", []):
            out.append({**topic, "directory": facts.get("directory", "")})
    return out


def match_topic(target: str | None, topics: list[dict]) -> list[dict]:
    """The Terraform topics a publish's ``projects/{project}/topics/{name}`` names: by name,
    and by project when both are known (an unknown part, ``{...}``, matches any)."""
    if not target:
        return []
    project, _, name = target.rpartition("/topics/")
    project = project.removeprefix("projects/") if project.startswith("projects/") else ""
    found = []
    for topic in topics:
        if name not in topic["names"]:
            continue
        known = project and "{...}" not in project
        if known and topic.get("project") and topic["project"] != project:
            continue
        found.append(topic)
    return found


def workloads(workspace: Workspace) -> list[dict]:
    """The workloads of the manifests, then those Terraform deploys (Lambda functions, ECS
    tasks, Cloud Run, Cloud Functions, Azure apps, the kubernetes provider's resources). Kept
    on the workspace: the join asks for each store write of each Python file."""
    cache = workspace.__dict__
    if "_workloads" not in cache:
        found = [w for facts in workspace.facts.get("kubernetes", []) for w in facts["workloads"]]
        for facts in workspace.facts.get("terraform", []):
            found += facts.get("workloads", [])
        cache["_workloads"] = found
    return cache["_workloads"]


def _settings_named(name: str, kind: str, workspace: Workspace) -> list[tuple[dict, dict, dict]]:
    """(workload, container, entry) of every Python-running container whose ``kind`` entries
    (env, buckets) include one for ``name``: indexed once per workspace (``env_settings`` is
    asked for each variable each store write reads)."""
    index = workspace.__dict__.setdefault("_settings", {})
    if kind not in index:
        by_name: dict[str, list] = {}
        for w in workloads(workspace):
            for c in w["containers"]:
                if c.get("python", True):  # a Node.js Lambda runs no Python
                    for e in c.get(kind, ()):
                        by_name.setdefault(e["name"], []).append((w, c, e))
        index[kind] = by_name
    return index[kind].get(name, [])


def python_files(workspace: Workspace) -> list[dict]:
    return sorted(workspace.facts.get("python", []), key=lambda f: f["path"])


# The schemes of object storage: a reference with no scheme (a bucket name) is one of these,
# never a DynamoDB table (``store_writes`` names a table with the "dynamodb" scheme).
_OBJECT_SCHEMES = ("abfs", "gs", "s3")


class StoreIndex:
    """The Terraform stores by scheme and resolved name, so that matching a reference reads
    the few stores of its name (and those with a name prefix), not all of them."""

    def __init__(self, stores: list[dict]) -> None:
        # (scheme, name) -> indexes of the stores; the stores with a name prefix
        self.stores = stores
        self.named: dict[tuple[str, str], list[int]] = {}
        self.prefixed: list[int] = []
        for index, store in enumerate(stores):
            for name in store["names"]:
                self.named.setdefault((store["scheme"], name), []).append(index)
            if store.get("name_prefix"):
                self.prefixed.append(index)
        # (directory, address) -> indexes; the address as written too (every instance)
        self.addressed: dict[tuple[str, str], list[int]] = {}
        for index, store in enumerate(stores):
            for address in dict.fromkeys((store["address"], _base_address(store["address"]))):
                self.addressed.setdefault((store["directory"], address), []).append(index)

    def match(self, ref: dict | None) -> list[dict]:
        """The stores a Python storage reference names: same scheme (any, when it has none),
        and a name or name prefix that is its bucket (its account, for abfs). Sorted by
        directory and address, ties in the order of the store list."""
        if not ref:
            return []
        if ref.get("address"):  # a bucket a deployment names by reference
            return [
                self.stores[i] for i in self.addressed.get((ref["directory"], ref["address"]), ())
            ]
        scheme, bucket, account = ref.get("scheme"), ref.get("bucket"), ref.get("account")
        found: set[int] = set()
        for store_scheme in (scheme,) if scheme else _OBJECT_SCHEMES:
            name = account if store_scheme == "abfs" and account else bucket
            if name:
                found.update(self.named.get((store_scheme, name), ()))
        for index in self.prefixed:
            store = self.stores[index]
            if scheme and store["scheme"] != scheme:
                continue
            name = account if store["scheme"] == "abfs" and account else bucket
            if name and name.startswith(store["name_prefix"]):
                found.add(index)
        stores = self.stores
        project = ref.get("project")  # a BigQuery table id's: another project's dataset is not
        if project:
            found = {i for i in found if stores[i].get("project") in (None, project)}
        return [
            stores[i]
            for i in sorted(found, key=lambda i: (stores[i]["directory"], stores[i]["address"], i))
        ]


def _parts(path: str) -> list[str]:
    return [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]


def runs_script(script: str, path: str) -> bool:
    a, b = _parts(script), _parts(path)
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return long[-len(short) :] == short


def runs(container: dict, path: str, workspace: Workspace) -> bool:
    """Whether a container runs the Python file ``path``: a script it names is that file
    (``runs_script``), and, of the run's files it can be, the one nearest the file that defines
    the container (``_nearest``): ``python jobs/x.py`` in services/a/k8s/job.yaml runs
    services/a/jobs/x.py, not services/b/jobs/x.py. A script whose directory is not known
    (``placed`` false: a Lambda handler ``main.handler`` without an archive the model can
    trace, a Cloud Function's ``main.py``) is ``path`` only when ``path`` is the one Python file
    of the run that it can be."""
    if not container.get("placed", True):
        scripts = [s for s in container.get("scripts", ()) if runs_script(s, path)]
        return any(len(_candidates(s, workspace)) == 1 for s in scripts)
    return path in _nearest_files(container, path, workspace)


def _runs_another(container: dict, path: str, workspace: Workspace) -> bool:
    """Whether a container names a script ``path`` could be but runs another file of that
    name, nearer the file that defines it (``_nearest``): its settings are not ``path``'s."""
    if not container.get("placed", True):
        return False
    files = _nearest_files(container, path, workspace)
    return bool(files) and all(f not in (None, path) for f in files)


def _nearest_files(container: dict, path: str, workspace: Workspace) -> list[str | None]:
    """For each script of a placed container that ``path`` could be, the file it runs."""
    origin = str((container.get("loc") or [""])[0])
    scripts = [s for s in container.get("scripts", ()) if runs_script(s, path)]
    return [_nearest(s, origin, path, workspace) for s in scripts]


def _nearest(script: str, origin: str, path: str, workspace: Workspace) -> str | None:
    """Which of the files a script can be (``_candidates``) a container defined in ``origin``
    runs: the one whose directory shares the most leading components with ``origin``'s, when
    one does; none when several tie (which one its image holds cannot be known, and each of
    them took all the container's settings). ``path`` itself when it is the only candidate, or
    not one (its match is kept)."""
    found = _candidates(script, workspace)
    if len(found) < 2 or path not in found:
        return path
    directory = tuple(_parts(origin)[:-1])
    cache = workspace.__dict__.setdefault("_nearest", {})
    if (script, directory) not in cache:
        shared = [_shared(directory, _parts(p)[:-1]) for p in found]
        best = [p for p, n in zip(found, shared, strict=True) if n == max(shared)]
        cache[script, directory] = best[0] if len(best) == 1 else None
    return cache[script, directory]


def _shared(a: tuple, b: list) -> int:
    """How many leading components two directories share."""
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _candidates(script: str, workspace: Workspace) -> list[str]:
    cache = workspace.__dict__.setdefault("_candidates", {})
    if script not in cache:
        paths = workspace.files.get("python") or [f["path"] for f in python_files(workspace)]
        cache[script] = [p for p in paths if runs_script(script, p)]
    return cache[script]


def containers_running(path: str, workspace: Workspace) -> list[tuple[dict, dict]]:
    parts = _parts(path)
    if not parts:
        return []
    candidates = _by_script_name(workspace).get(parts[-1], ())
    return [(w, c) for w, c in candidates if runs(c, path, workspace)]


def _by_script_name(workspace: Workspace) -> dict[str, list[tuple[dict, dict]]]:
    """(workload, container) by the file names of the scripts each runs, in workload order:
    only a container naming a script of ``path``'s file name can run it (``runs_script``), and
    the join asks for each Python file that writes to a store."""
    cache = workspace.__dict__
    if "_by_script_name" not in cache:
        index: dict[str, list[tuple[dict, dict]]] = {}
        for workload in workloads(workspace):
            for container in workload["containers"]:
                names = {p[-1] for p in map(_parts, container.get("scripts", ())) if p}
                for name in sorted(names):
                    index.setdefault(name, []).append((workload, container))
        cache["_by_script_name"] = index
    return cache["_by_script_name"]


def env_settings(
    name: str, path: str, workspace: Workspace, kind: str = "env"
) -> list[tuple[dict, dict, dict]]:
    """(workload, container, env entry) setting ``name`` to a known value (``kind="buckets"``:
    to a Terraform bucket whose name is not known); those that run ``path`` when any does (see
    ``runs``), else those that may (a handler whose package directory is not known, one of
    several files it can be), else every workload that sets it; never one that runs another
    file of ``path``'s name (``_runs_another``)."""
    every = [
        (w, c, e)
        for w, c, e in _settings_named(name, kind, workspace)
        if not _runs_another(c, path, workspace)
    ]
    running = [item for item in every if runs(item[1], path, workspace)]
    # then those that may run it (a handler's module among several files it can be)
    maybe = [
        item for item in every if any(runs_script(s, path) for s in item[1].get("scripts", ()))
    ]
    return running or maybe or every


def bucket_settings(
    ref: dict | None, fact: dict, path: str, workspace: Workspace
) -> list[tuple[dict, dict, dict]]:
    """Env entries that name the bucket (``RAW_BUCKET=kc-alpr-raw``) through a variable the code
    reads for it (``os.environ.get("RAW_BUCKET", "kc-alpr-raw")``), set by a workload that may
    run ``path`` (``env_settings``). Never another workload's entry that merely has the same
    value: a bucket the code names by a constant is configured in the code."""
    bucket = (ref or {}).get("bucket")
    if not bucket:
        return []
    out = []
    for name in fact.get("env", ()):
        for w, c, e in env_settings(name, path, workspace):
            value = e["value"].strip()
            if value == bucket or f"://{bucket}" in value or f"/{bucket}/" in value:
                out.append((w, c, e))
    return out


# A bare bucket / container / account name (S3, GCS and Azure rules, loosely).
_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]$")


def env_store(
    fact: dict, path: str, workspace: Workspace
) -> tuple[dict | None, list[tuple[dict, dict, dict]]]:
    """The storage reference of a sink or read whose bucket comes from an environment variable,
    from the value a deployment sets (a bucket name or a URI), and the env entries used."""
    target = fact.get("target")
    for name in fact.get("env", ()):
        for workload, container, env in env_settings(name, path, workspace):
            value = env["value"].strip()
            if "://" in value:
                ref = parse_store_uri(value, None, fact["api"])
                if ref and ref.get("scheme") not in ("s3", "gs", "abfs"):
                    ref = None  # an endpoint URL (endpoint_url=...), not a bucket
            elif target and "://" in target and target.count("{...}") == 1:
                ref = parse_store_uri(target.replace("{...}", value), None, fact["api"])
            elif _BUCKET_NAME.match(value):
                ref = parse_store_uri(None, value, fact["api"])
            else:
                ref = None
            if ref and ref.get("bucket") and ref.get("scheme"):
                return {**ref, "env": name}, [(workload, container, env)]
    for name in fact.get("env", ()):
        # Set to a Terraform bucket of unknown name: that store, by its address.
        for workload, container, env in env_settings(name, path, workspace, "buckets"):
            scheme = "gs" if "google_storage_bucket." in env["bucket"] else "s3"
            uri = f"{scheme}://{{{env['bucket']}}}"
            if target and target.startswith(f"{scheme}://{{...}}"):
                uri += target[len(scheme) + 8 :]
            found = {
                "scheme": scheme,
                "bucket": "",
                "account": None,
                "uri": uri,
                "address": env["bucket"],
                "directory": workload.get("directory", ""),
                "env": name,
            }
            return found, [(workload, container, env)]
    return None, []


def store_ref(
    fact: dict, path: str, workspace: Workspace
) -> tuple[dict | None, list[tuple[dict, dict, dict]]]:
    """A sink's or read's storage reference (resolved through deployments when the code reads it
    from the environment), and the env entries that name the bucket."""
    ref = fact.get("store")
    if ref and ref.get("bucket"):
        if ref.get("scheme") == "abfs" and not ref.get("account") and fact.get("env"):
            found, settings = _account_from_env(ref, fact, path, workspace)
            if found is not None:
                return found, settings
        return ref, bucket_settings(ref, fact, path, workspace)
    if fact.get("env"):
        found, settings = env_store(fact, path, workspace)
        if found is not None:
            return found, settings
    return ref, []


# --------------------------------------------------------------------------------- the joins
# An Azure storage account's endpoint host (kclake.blob.core.windows.net, a sovereign cloud's),
# and a connection string's account name or endpoint.
_AZURE_ENDPOINT = re.compile(
    r"(?i)\A(?:https?://)?([a-z0-9]{3,24})\.(?:blob|dfs)\.core\.(?:windows\.net|chinacloudapi\.cn|"
    r"usgovcloudapi\.net)/?\Z"
)
_AZURE_CONNECTION = re.compile(
    r"(?i)(?:\A|;)\s*(?:AccountName=([a-z0-9]{3,24})|BlobEndpoint=([^;]+))"
)


def _azure_account(value: str) -> str | None:
    """The storage account an Azure client's account URL or connection string names."""
    match = _AZURE_ENDPOINT.match(value)
    if match:
        return match[1].lower()
    if ";" in value or value.lower().startswith(("accountname=", "blobendpoint=")):
        for name, endpoint in _AZURE_CONNECTION.findall(value):
            if name:
                return name.lower()
            found = _AZURE_ENDPOINT.match(endpoint.strip())
            if found:
                return found[1].lower()
    return None


def _account_from_env(
    ref: dict, fact: dict, path: str, workspace: Workspace
) -> tuple[dict | None, list[tuple[dict, dict, dict]]]:
    """An Azure client's container write (``ref``, its account not in the code) whose account
    URL or connection string comes from an environment variable
    (``BlobServiceClient(account_url=os.environ["STORAGE_URL"])``, ``from_connection_string``):
    the account a deployment that may run ``path`` sets it to, literally
    (``https://kclake.blob.core.windows.net``, ``...;AccountName=kclake;...``) or as an
    ``azurerm_storage_account``'s endpoint or connection string, known only at apply (that
    account, by its address); and the env entry used."""
    container = ref["bucket"]
    for name in fact["env"]:
        for workload, holder, env in env_settings(name, path, workspace):
            account = _azure_account(env["value"].strip())
            if account is not None:
                uri = f"abfs://{container}@{account}"
                found = {**ref, "account": account, "uri": uri, "env": name}
                return found, [(workload, holder, env)]
    for name in fact["env"]:
        for workload, holder, env in _store_settings(
            name, path, workspace, "azurerm_storage_account"
        ):
            directory = workload.get("directory", "")
            account = _store_name(env["store"], directory, workspace)
            found = {
                **ref,
                "account": account,
                "uri": f"abfs://{container}@{account}",
                "address": env["store"],
                "directory": directory,
                "env": name,
            }
            return found, [(workload, holder, env)]
    return None, []


@dataclass
class StoreWrite:
    """A Python storage write and what it is joined to."""

    path: str
    sink: dict
    identifiers: list[dict]  # classified columns (protected ones included, marked)
    stores: list[dict]  # matching Terraform stores (empty: not defined in the scanned tree)
    runners: list[tuple[dict, dict]] = field(default_factory=list)  # (workload, container)
    settings: list[tuple[dict, dict, dict]] = field(default_factory=list)  # env naming it
    ref: dict | None = None  # the storage reference (resolved through deployments if need be)


def store_writes(
    workspace: Workspace, policy: Any, min_confidence: str = "medium"
) -> list[StoreWrite]:
    """The Python storage writes joined to their stores, kept on the workspace: the four store
    rules (DH190, DH390, DH890, DH990) each ask, and the join with its columns' classification
    was 0.15 s of each warm run of bench/corpus (3,180 writes). Per policy (its settings'
    hash, as the result cache's key) and confidence."""
    memo = workspace.__dict__.setdefault("_store_writes", {})
    key = (policy.hash, min_confidence)
    if key not in memo:
        memo[key] = list(_store_writes(workspace, policy, min_confidence))
    return memo[key]


def _store_writes(workspace: Workspace, policy: Any, min_confidence: str) -> Iterator[StoreWrite]:
    stores = StoreIndex(terraform_stores(workspace))
    for facts in python_files(workspace):
        # A file path from the environment may be a bucket's URI there (to_csv(os.environ[
        # "EXPORT_URI"]) with gs://... in the manifest): judged as a storage write if so.
        writes = [
            sink
            for sink in facts["sinks"]
            if sink["kind"] == "storage"
            or (sink["kind"] == "file" and sink.get("env"))
            or _named_scheme(sink) is not None
        ]
        runners = containers_running(facts["path"], workspace) if writes else []
        for sink in writes:
            # an item put into a DynamoDB table named in the code or by a deployment's
            # variable (or a record into a Kinesis or Firehose stream)
            table, settings = named_store(sink, facts["path"], workspace)
            if table is not None:
                ref = table
            elif _named_scheme(sink) is not None:
                continue  # a table or stream whose name is not known
            else:
                ref, settings = store_ref(sink, facts["path"], workspace)
            if sink["kind"] == "file" and not (ref and ref.get("scheme")):
                continue  # a local file after all
            yield StoreWrite(
                path=facts["path"],
                sink=sink,
                identifiers=classify_columns(sink["columns"], policy, min_confidence),
                stores=stores.match(ref),
                runners=runners,
                settings=settings,
                ref=ref,
            )


# A Kinesis or Firehose put: the scheme of the stream it writes to (``STORE_TYPES``); an SNS
# publish, of the topic.
STREAM_APIS = {
    "kinesis.put_record": "kinesis",
    "kinesis.put_records": "kinesis",
    "firehose.put_record": "firehose",
    "firehose.put_record_batch": "firehose",
    "sns.publish": "sns",
    "sns.publish_batch": "sns",
    # an SQS send, of the queue its QueueUrl names (only an aws_sqs_queue of the Terraform's)
    "sqs.send_message": "sqs",
    "sqs.send_message_batch": "sqs",
}


def named_store_ref(sink: dict) -> dict | None:
    """The store a write names whole in the code, as a storage reference: a DynamoDB write's
    table (``dynamodb.put_item``, a ``batch_writer``'s: ``Table("trips")``,
    ``TableName="trips"``), or a Kinesis or Firehose put's stream (``StreamName="reads"``):
    records the city keeps in its own stream, joined to the ``aws_kinesis_stream`` or
    ``aws_kinesis_firehose_delivery_stream`` of that name, not a vendor's host; or an SNS
    publish's topic (``TopicArn="arn:aws:sns:...:alerts"``), joined to the ``aws_sns_topic``
    of that name."""
    scheme = _named_scheme(sink)
    if scheme == "sns":
        target = sink.get("target")
        arn = isinstance(target, str) and target.startswith("arn:")
        return _named_ref(scheme, _arn_name(scheme, target) if arn else None)
    if scheme == "bigquery":
        return bigquery_ref(sink.get("target"))
    if scheme == "sqs":
        return sqs_ref(sink.get("target"))
    return _named_ref(scheme, sink.get("target")) if scheme else None


def _store_by_address(scheme: str, address: str, workload: dict, workspace: Workspace) -> dict:
    """The reference of a store a deployment's variable names by its Terraform address (its
    name known only at apply), shown by its name when it has one."""
    directory = workload.get("directory", "")
    shown = _store_name(address, directory, workspace)
    return {
        "scheme": scheme,
        "bucket": shown,
        "account": None,
        "uri": f"{scheme}://{shown}",
        "address": address,
        "directory": directory,
    }


def named_store(
    sink: dict, path: str, workspace: Workspace
) -> tuple[dict | None, list[tuple[dict, dict, dict]]]:
    """``named_store_ref``, or the table or stream an environment variable names
    (``StreamName=os.environ["STREAM"]``, ``Table(os.environ["TABLE"])``) when a deployment
    that may run ``path`` sets it to a name or an ARN (a Lambda's ``STREAM =
    aws_kinesis_stream.events.name``), as a bucket's is (``env_store``); an SNS topic's also
    when it sets it to the ARN of an ``aws_sns_topic`` (``ALERTS = aws_sns_topic.alerts.arn``,
    known only at apply: that topic, by its address); and the env entries used."""
    ref = named_store_ref(sink)
    scheme = _named_scheme(sink)
    if scheme == "sqs":
        return _sqs_store(ref, sink, path, workspace)
    if ref is not None or not sink.get("env"):
        return ref, []
    if scheme == "bigquery":
        return _bigquery_env_ref(sink, path, workspace)
    # (an SNS topic's ARN not known in the code is "{...}")
    if scheme is None or (sink.get("target") and sink["target"] != "{...}"):
        return None, []
    for name in sink["env"]:
        for workload, container, env in env_settings(name, path, workspace):
            value = env["value"].strip()
            if scheme == "sns" and not value.startswith("arn:"):
                continue  # a TopicArn is an ARN: this variable is another part of it
            found = _named_ref(scheme, _arn_name(scheme, value))
            if found is not None:
                return {**found, "env": name}, [(workload, container, env)]
    if scheme == "sns":
        for name in sink["env"]:
            for workload, container, env in _store_settings(name, path, workspace, "aws_sns_topic"):
                found = _store_by_address("sns", env["store"], workload, workspace)
                return {**found, "env": name}, [(workload, container, env)]
    return None, []


def _store_settings(
    name: str, path: str, workspace: Workspace, kind: str
) -> list[tuple[dict, dict, dict]]:
    """``env_settings`` of the variables set to an attribute of a Terraform store of type
    ``kind`` known only at apply (an SNS topic's arn, a storage account's endpoint: the
    entry's ``store`` is its address)."""
    return [
        (w, c, e)
        for w, c, e in env_settings(name, path, workspace, "stores")
        if _base_address(e["store"]).split(".")[-2:-1] == [kind]
    ]


def _store_name(address: str, directory: str, workspace: Workspace) -> str:
    """The name of the store at ``address`` (of the module ``directory``) when it has one,
    else ``{address}``: how a store joined by its address is shown (``sns://alerts``)."""
    names = {
        name
        for store in terraform_stores(workspace)
        if store["directory"] == directory
        and address in (store["address"], _base_address(store["address"]))
        for name in store["names"]
    }
    return names.pop() if len(names) == 1 else f"{{{address}}}"


def _named_scheme(sink: dict) -> str | None:
    if sink["kind"] == "database" and sink["api"].startswith("dynamodb."):
        return "dynamodb"
    if sink["kind"] == "database" and sink["api"].startswith(_BIGQUERY_WRITES):
        return "bigquery"
    if sink["kind"] == "network" and sink["api"] in STREAM_APIS:
        return STREAM_APIS[sink["api"]]
    return None


def _named_ref(scheme: str, name: object) -> dict | None:
    if not isinstance(name, str) or not name or "{" in name:
        return None
    uri = name if scheme == "dynamodb" else f"{scheme}://{name}"
    return {"scheme": scheme, "bucket": name, "account": None, "uri": uri}


# BigQuery writes naming a table id: the client's load jobs and streaming inserts, and
# DataFrame.to_gbq(destination_table).
_BIGQUERY_WRITES = ("bigquery.", "DataFrame.to_gbq")
# A table id: [project.]dataset.table (a legacy ``project:dataset.table`` too; a
# domain-scoped project has a dot: ``example.com:proj``). Datasets take letters, digits, _.
_DATASET = re.compile(r"[A-Za-z0-9_]{1,1024}")


def bigquery_ref(target: object) -> dict | None:
    """The dataset a BigQuery table id names, as a storage reference: ``bucket`` is the
    dataset (the Terraform ``google_bigquery_dataset`` it is joined to), ``uri`` the whole id;
    ``project`` when the id names one. None for a name not fully known."""
    if not isinstance(target, str) or "{" in target or "/" in target:
        return None
    project, colon, rest = target.rpartition(":")
    parts = rest.split(".")
    if colon:
        if len(parts) != 2:
            return None
    elif len(parts) == 3:
        project = parts.pop(0)
    elif len(parts) != 2:
        return None
    dataset, table = parts
    if not _DATASET.fullmatch(dataset) or not table:
        return None
    ref = {"scheme": "bigquery", "bucket": dataset, "account": None, "uri": target}
    return {**ref, "project": project} if project else ref


def _bigquery_env_ref(
    sink: dict, path: str, workspace: Workspace
) -> tuple[dict | None, list[tuple[dict, dict, dict]]]:
    """A table id the code builds from a variable (``f"{DATASET}.trips"``, the whole id), as
    a deployment that may run ``path`` sets it."""
    target = sink.get("target") or "{...}"
    if target.count("{...}") != 1:
        return None, []
    for name in sink["env"]:
        for workload, container, env in env_settings(name, path, workspace):
            found = bigquery_ref(target.replace("{...}", env["value"].strip()))
            if found is not None:
                return {**found, "env": name}, [(workload, container, env)]
    return None, []


# An SQS queue's URL: https://sqs.<region>.amazonaws.com/<account>/<name> (the legacy
# https://<region>.queue.amazonaws.com/... too); a FIFO queue's name ends in .fifo.
_QUEUE_URL = re.compile(
    r"https?://(?:sqs\.[a-z0-9-]+|[a-z0-9-]+\.queue)\.amazonaws\.com(?:\.cn)?"
    r"/(?P<account>\d{12})/(?P<name>[A-Za-z0-9_-]{1,80}(?:\.fifo)?)/?"
)


def sqs_ref(target: object) -> dict | None:
    """The queue an SQS queue URL names, as a storage reference (``account`` the URL's), or
    None for anything else (a URL not fully known)."""
    match = _QUEUE_URL.fullmatch(target) if isinstance(target, str) else None
    if match is None:
        return None
    name = match["name"]
    return {"scheme": "sqs", "bucket": name, "account": match["account"], "uri": f"sqs://{name}"}


def _sqs_store(
    ref: dict | None, sink: dict, path: str, workspace: Workspace
) -> tuple[dict | None, list[tuple[dict, dict, dict]]]:
    """An SQS send's queue when the Terraform scanned defines it: named by the URL written in
    the code, or by a deployment's variable set to its URL (a literal, or the queue's ``url``
    or ``id``, known only at apply: joined by address). A queue no ``aws_sqs_queue`` defines
    is no store of the city's: the inventory shows its host, the URL's account its owner."""
    settings: list[tuple[dict, dict, dict]] = []
    if ref is None and (not sink.get("target") or sink["target"] == "{...}"):
        for name in sink.get("env", ()):
            for workload, container, env in env_settings(name, path, workspace):
                found = sqs_ref(env["value"].strip())
                if found is not None:
                    ref, settings = {**found, "env": name}, [(workload, container, env)]
                    break
            for workload, container, env in _store_settings(name, path, workspace, "aws_sqs_queue"):
                found = _store_by_address("sqs", env["store"], workload, workspace)
                return {**found, "env": name}, [(workload, container, env)]
            if ref is not None:
                break
    if ref is None or not StoreIndex(terraform_stores(workspace)).match(ref):
        return None, []
    return ref, settings


# A table's or stream's name (AWS allows these characters) or ARN, as a deployment sets it:
# the resource part of the ARN names it (arn:aws:kinesis:us-east-1:123:stream/reads).
_STORE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,255}")
_ARN_RESOURCE = {
    "dynamodb": "table/",
    "kinesis": "stream/",
    "firehose": "deliverystream/",
    "sns": "",  # arn:aws:sns:us-east-2:123:alerts (an endpoint's ARN has a "/": not a topic)
}


def _arn_name(scheme: str, value: str) -> str | None:
    """The name a variable's value gives a table or stream: the value, or its ARN's name."""
    if value.startswith("arn:"):
        resource = value.split(":", 5)[-1]
        prefix = _ARN_RESOURCE[scheme]
        if not resource.startswith(prefix) or (not prefix and "/" in resource):
            return None
        value = resource[len(prefix) :].split("/", 1)[0]
    return value if _STORE_NAME.fullmatch(value) else None


@dataclass
class StoreRead:
    """A Python read from object storage and the Terraform stores it names."""

    path: str
    read: dict
    ref: dict | None
    stores: list[dict]
    settings: list[tuple[dict, dict, dict]] = field(default_factory=list)


def store_reads(workspace: Workspace) -> Iterator[StoreRead]:
    stores = StoreIndex(terraform_stores(workspace))
    for facts in python_files(workspace):
        for read in facts.get("reads", ()):
            ref, settings = store_ref(read, facts["path"], workspace)
            yield StoreRead(facts["path"], read, ref, stores.match(ref), settings)


@dataclass
class EnvEndpoint:
    """An environment variable Python reads in a network call, and what deployments set it to."""

    path: str
    read: dict  # the env_reads entry
    sink: dict | None  # the network sink using it (None: an endpoint fact only)
    identifiers: list[dict]
    settings: list[tuple[dict, dict, dict]]  # (workload, container, env entry)


def env_endpoints(
    workspace: Workspace, policy: Any, min_confidence: str = "medium"
) -> Iterator[EnvEndpoint]:
    for facts in python_files(workspace):
        by_loc = {tuple(s["loc"]): s for s in facts["sinks"] if s["kind"] == "network"}
        for read in facts.get("env_reads", []):
            sink = by_loc.get(tuple(read["loc"]))
            if sink is None and not any(
                tuple(e["loc"]) == tuple(read["loc"]) for e in facts.get("endpoints", [])
            ):
                continue  # read for a storage call or a file: not an endpoint
            columns = sink["columns"] if sink else []
            yield EnvEndpoint(
                path=facts["path"],
                read=read,
                sink=sink,
                identifiers=classify_columns(columns, policy, min_confidence),
                settings=env_settings(read["name"], facts["path"], workspace),
            )


def class_rank(policy: Any, data_class: str | None) -> int:
    values = list(policy.settings["classification"]["values"])
    return values.index(data_class) if data_class in values else -1


def required_class(policy: Any, categories: Iterable[str], table: dict | None = None) -> str | None:
    """The highest class the categories need (by the order of the policy's class values)."""
    table = {**DEFAULT_REQUIRED_CLASS, **(table or {})}
    needed = [table[c] for c in categories if c in table]
    if not needed:
        return None
    return max(needed, key=lambda c: class_rank(policy, c))


def store_class(policy: Any, store: dict) -> str:
    """The store's classification tag, or the policy's default class when it has none or one
    the policy does not define (as ``Resource.data_class``)."""
    settings = policy.settings["classification"]
    value = store.get("tags", {}).get(settings["tag"])
    return value if isinstance(value, str) and value in settings["values"] else settings["default"]
