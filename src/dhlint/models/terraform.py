"""The Terraform model: one ``TerraformModel`` per root module directory, values resolved.

Rules read this model, never HCL. How to write a Terraform rule
--------------------------------------------------------------
A detector ``detect(model: TerraformModel, ctx)`` typically does::

    for bucket in model.of_type("aws_s3_bucket"):
        sse = bucket.find("server_side_encryption_configuration.rule."
                          "apply_server_side_encryption_by_default.sse_algorithm")
        enc = bucket.companions.get("encryption", [])      # split v4 resources, already linked
        if not sse and not enc:
            yield bucket.hit(name=bucket.display_name)     # on the header: attribute missing

``TerraformModel``
    ``directory`` (root module dir, POSIX relative), ``source`` (``"hcl"`` or ``"plan"``),
    ``resources`` (managed resources of the root module and of every local module it calls,
    addresses prefixed ``module.<name>.`` or, for a module instance, ``module.<name>[key].``),
    ``data_sources``, ``providers`` (provider blocks as ``Resource`` with
    ``mode == "provider"``, ``type`` the provider name), ``variables``
    (``mode == "variable"``; ``values["default"]`` resolved), ``of_type(*types)``,
    ``get(address)``, ``linked(value, types, name_attr)`` (the resources a reference or a
    literal name points at).

``Resource``
    ``address``, ``type``, ``name``, ``module`` (``""``, ``module.a`` or ``module.a[0]``; a
    plan's without instance keys), ``mode``, ``path``
    (file), ``location`` (the block header), ``scope`` (first and last line), ``values`` (all
    arguments resolved; nested blocks are lists of dicts, as in a plan), ``companions`` (role ->
    resources linked to it, see ``LINKS``: ``encryption``, ``lifecycle``, ``public_access_block``,
    ``logging``, ``policy``, ``acl``, ``versioning``, ``replication``, ``iam``, ``listeners``...),
    ``owner`` (for a companion: the resource it belongs to, whose classification tag it takes, or
    None).

    ``find(path, branch_gaps=False)`` -> list of ``(key path tuple, value)``: every value at a
    dotted path, walking into block lists and both branches of an undecided conditional;
    ``blocks(path)`` -> ``(key path, dict)`` for each nested block at a path (safe on unknown
    and branching values); ``get(path, default)`` the first value; ``is_set(path)``;
    ``loc(keypath)`` the attribute's precise location (or the nearest enclosing block, or the
    header; ``JSON_MEMBERS`` and ``TEXT_START`` reach inside a ``jsonencode`` or a heredoc);
    ``hit(keypath=None, **args)`` a ``Hit`` on that attribute (or on the header when
    ``keypath`` is None; ``name``, ``address`` and ``type`` are filled in); ``tags``
    (tags/labels merged with provider default tags); ``data_class(policy)`` the classification
    tag value (a store without one of its own: its owner's, as a BigQuery table its dataset's), or
    the policy's default class when it is missing or not one the policy defines.

Values (``dhlint.models.terraform_eval``): plain Python, ``Unknown`` (not known before apply;
rules do not fire on it unless the rule is about absence) and ``Branches`` (both outcomes of a
conditional; ``find`` yields each option). ``None``, ``[]`` and a missing key all mean "not set".

Override files (``override.tf``, ``*_override.tf``, ``.tf.json`` forms) are merged into the
blocks they override first (``dhlint.models.terraform_override``): a value an override set is
located in the override file.

How values are resolved: variables from their defaults, then ``terraform.tfvars``,
``terraform.tfvars.json``, ``*.auto.tfvars(.json)`` in name order, then ``--var-file`` files
(root modules only; a variable without any value is unknown); locals; interpolation; a small
set of pure functions; ``count``/``for_each`` (an instance count known to be 0 drops the
resource or module call; 2 to ``MAX_INSTANCES`` known instances are each a ``Resource``,
``aws_s3_bucket.feed["taps"]``, or a module instance, ``module.b["taps"].aws_s3_bucket.x``
with ``module == 'module.b["taps"]'``; otherwise one as written with ``count.index``/``each``
one of the known elements or unknown); local modules (``source = "./..."``) with their inputs.
A directory called as a local module by another scanned directory is modelled only through its
callers (no duplicate findings). ``merge_instances`` reports what all instances give alike once.
A root module's other environments' tfvars (``prod.tfvars``, ``env/prod.tfvars``: see
``environment_root``) each give a second model with ``var_file`` set, as ``-var-file`` would.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Container, Iterable, Iterator, KeysView, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from dhlint.analysis import BuildEnv, BuildResult
from dhlint.models.terraform_eval import (
    Branches,
    Named,
    Unknown,
    is_unknown,
    options,
    partial_text,
    refs_of,
)
from dhlint.textscan import word_start_matches
from dhlint.types import Diagnostic, FrontendError, Hit, Location, Related, SourceFile

if TYPE_CHECKING:
    from dhlint.policy import Policy

__all__ = [
    "LINKS",
    "Branches",
    "Resource",
    "TerraformModel",
    "Unknown",
    "build_models",
    "is_absent",
    "is_unknown",
    "options",
    "policy_document",
]

# Keys of ``Resource.locations`` under a string attribute (never keys of ``values``): where the
# members of a ``jsonencode(...)`` argument are written (``(attr, JSON_MEMBERS, 0, "name")``),
# and the first line of a heredoc's text (``(attr, TEXT_START)``), so that a rule reading the
# encoded document can point at a member's own line.
JSON_MEMBERS = "<jsonencode>"
TEXT_START = "<heredoc>"

META_ARGS = {
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
}

# (companion type, its attribute naming the owner, owner types (None: any), owner attribute
#  holding the literal name (None: link by reference only), role on the owner)
LINKS: tuple[tuple[str, str, tuple[str, ...] | None, str | None, str], ...] = (
    (
        "aws_s3_bucket_server_side_encryption_configuration",
        "bucket",
        ("aws_s3_bucket",),
        "bucket",
        "encryption",
    ),
    ("aws_s3_bucket_lifecycle_configuration", "bucket", ("aws_s3_bucket",), "bucket", "lifecycle"),
    (
        "aws_s3_bucket_public_access_block",
        "bucket",
        ("aws_s3_bucket",),
        "bucket",
        "public_access_block",
    ),
    ("aws_s3_bucket_logging", "bucket", ("aws_s3_bucket",), "bucket", "logging"),
    ("aws_s3_bucket_policy", "bucket", ("aws_s3_bucket",), "bucket", "policy"),
    ("aws_s3_bucket_acl", "bucket", ("aws_s3_bucket",), "bucket", "acl"),
    ("aws_s3_bucket_versioning", "bucket", ("aws_s3_bucket",), "bucket", "versioning"),
    (
        "aws_s3_bucket_replication_configuration",
        "bucket",
        ("aws_s3_bucket",),
        "bucket",
        "replication",
    ),
    ("aws_s3_bucket_ownership_controls", "bucket", ("aws_s3_bucket",), "bucket", "ownership"),
    (
        "aws_s3_bucket_object_lock_configuration",
        "bucket",
        ("aws_s3_bucket",),
        "bucket",
        "object_lock",
    ),
    ("google_storage_bucket_iam_member", "bucket", ("google_storage_bucket",), "name", "iam"),
    ("google_storage_bucket_iam_binding", "bucket", ("google_storage_bucket",), "name", "iam"),
    (
        "google_bigquery_dataset_iam_member",
        "dataset_id",
        ("google_bigquery_dataset",),
        "dataset_id",
        "iam",
    ),
    (
        "google_bigquery_dataset_iam_binding",
        "dataset_id",
        ("google_bigquery_dataset",),
        "dataset_id",
        "iam",
    ),
    (
        "google_bigquery_dataset_access",
        "dataset_id",
        ("google_bigquery_dataset",),
        "dataset_id",
        "iam",
    ),
    # A table without a classification label holds its dataset's class (``data_class`` walks
    # up from the table to the dataset that owns it; probe39 #3).
    (
        "google_bigquery_table",
        "dataset_id",
        ("google_bigquery_dataset",),
        "dataset_id",
        "tables",
    ),
    # A table grant reads that table (classified by its own labels), else its dataset's data;
    # a project grant (DH404/DH603 judge its role) every store of the project.
    ("google_bigquery_table_iam_member", "table_id", ("google_bigquery_table",), "table_id", "iam"),
    (
        "google_bigquery_table_iam_binding",
        "table_id",
        ("google_bigquery_table",),
        "table_id",
        "iam",
    ),
    (
        "google_bigquery_table_iam_member",
        "dataset_id",
        ("google_bigquery_dataset",),
        "dataset_id",
        "iam",
    ),
    (
        "google_bigquery_table_iam_binding",
        "dataset_id",
        ("google_bigquery_dataset",),
        "dataset_id",
        "iam",
    ),
    ("google_pubsub_topic_iam_member", "topic", ("google_pubsub_topic",), "name", "iam"),
    ("google_pubsub_topic_iam_binding", "topic", ("google_pubsub_topic",), "name", "iam"),
    (
        "google_pubsub_subscription_iam_member",
        "subscription",
        ("google_pubsub_subscription",),
        "name",
        "iam",
    ),
    (
        "google_pubsub_subscription_iam_binding",
        "subscription",
        ("google_pubsub_subscription",),
        "name",
        "iam",
    ),
    ("google_project_iam_member", "project", ("google_project",), "project_id", "iam"),
    ("google_project_iam_binding", "project", ("google_project",), "project_id", "iam"),
    # An authoritative policy (its bindings: DH404/DH603) grants the store it names.
    ("google_project_iam_policy", "project", ("google_project",), "project_id", "iam"),
    ("google_storage_bucket_iam_policy", "bucket", ("google_storage_bucket",), "name", "iam"),
    (
        "google_bigquery_dataset_iam_policy",
        "dataset_id",
        ("google_bigquery_dataset",),
        "dataset_id",
        "iam",
    ),
    (
        "google_bigquery_table_iam_policy",
        "table_id",
        ("google_bigquery_table",),
        "table_id",
        "iam",
    ),
    (
        "google_bigquery_table_iam_policy",
        "dataset_id",
        ("google_bigquery_dataset",),
        "dataset_id",
        "iam",
    ),
    ("google_pubsub_topic_iam_policy", "topic", ("google_pubsub_topic",), "name", "iam"),
    (
        "google_pubsub_subscription_iam_policy",
        "subscription",
        ("google_pubsub_subscription",),
        "name",
        "iam",
    ),
    (
        "azurerm_storage_account_customer_managed_key",
        "storage_account_id",
        ("azurerm_storage_account",),
        None,
        "customer_managed_key",
    ),
    (
        "azurerm_storage_management_policy",
        "storage_account_id",
        ("azurerm_storage_account",),
        None,
        "lifecycle",
    ),
    # A container takes no tags: its data class is its account's (DH406). Provider v3 names
    # the account, v4 gives its id.
    (
        "azurerm_storage_container",
        "storage_account_name",
        ("azurerm_storage_account",),
        "name",
        "containers",
    ),
    (
        "azurerm_storage_container",
        "storage_account_id",
        ("azurerm_storage_account",),
        None,
        "containers",
    ),
    # An event hub takes no tags either: its data class is its namespace's (DH304). v3 names
    # the namespace, v4 gives its id.
    (
        "azurerm_eventhub",
        "namespace_name",
        ("azurerm_eventhub_namespace",),
        "name",
        "hubs",
    ),
    ("azurerm_eventhub", "namespace_id", ("azurerm_eventhub_namespace",), None, "hubs"),
    # A Cosmos DB container takes no tags: its data class is its account's (DH302).
    (
        "azurerm_cosmosdb_sql_container",
        "account_name",
        ("azurerm_cosmosdb_account",),
        "name",
        "cosmos_containers",
    ),
    (
        "azurerm_cosmosdb_mongo_collection",
        "account_name",
        ("azurerm_cosmosdb_account",),
        "name",
        "cosmos_containers",
    ),
    (
        "azurerm_cosmosdb_gremlin_graph",
        "account_name",
        ("azurerm_cosmosdb_account",),
        "name",
        "cosmos_containers",
    ),
    # A Cassandra table names its keyspace (by id), the keyspace its account: DH302 takes the
    # keyspace's account's class.
    (
        "azurerm_cosmosdb_cassandra_keyspace",
        "account_name",
        ("azurerm_cosmosdb_account",),
        "name",
        "cosmos_keyspaces",
    ),
    (
        "azurerm_cosmosdb_cassandra_table",
        "cassandra_keyspace_id",
        ("azurerm_cosmosdb_cassandra_keyspace",),
        None,
        "cosmos_containers",
    ),
    (
        "azurerm_storage_account_network_rules",
        "storage_account_id",
        ("azurerm_storage_account",),
        None,
        "network_rules",
    ),
    ("azurerm_monitor_diagnostic_setting", "target_resource_id", None, None, "diagnostics"),
    (
        "azurerm_mssql_server_extended_auditing_policy",
        "server_id",
        ("azurerm_mssql_server",),
        None,
        "auditing",
    ),
    (
        "azurerm_mssql_database_extended_auditing_policy",
        "database_id",
        ("azurerm_mssql_database",),
        None,
        "auditing",
    ),
    (
        "azurerm_mssql_server_transparent_data_encryption",
        "server_id",
        ("azurerm_mssql_server",),
        None,
        "tde",
    ),
    ("aws_lb_listener", "load_balancer_arn", ("aws_lb", "aws_alb"), None, "listeners"),
    ("aws_alb_listener", "load_balancer_arn", ("aws_lb", "aws_alb"), None, "listeners"),
    ("aws_api_gateway_stage", "rest_api_id", ("aws_api_gateway_rest_api",), None, "stages"),
    ("aws_apigatewayv2_stage", "api_id", ("aws_apigatewayv2_api",), None, "stages"),
    (
        "aws_rds_cluster_instance",
        "cluster_identifier",
        ("aws_rds_cluster",),
        "cluster_identifier",
        "instances",
    ),
    ("aws_sns_topic_subscription", "topic_arn", ("aws_sns_topic",), None, "subscriptions"),
    ("aws_sqs_queue_policy", "queue_url", ("aws_sqs_queue",), None, "policy"),
    ("aws_security_group_rule", "security_group_id", ("aws_security_group",), None, "rules"),
    (
        "aws_vpc_security_group_ingress_rule",
        "security_group_id",
        ("aws_security_group",),
        None,
        "rules",
    ),
)


def is_absent(value: Any) -> bool:
    """Not set: ``None``, an empty block list or map (a plan writes absent blocks as ``[]``)."""
    return value is None or value == [] or value == {}


def policy_document(value: Any) -> dict | None:
    """An IAM-style policy (JSON string, possibly with ``${?}`` unknown parts) -> dict."""
    if isinstance(value, dict):
        return value
    text = partial_text(value)
    if not text:
        return None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


@dataclass
class Resource:
    address: str
    type: str
    name: str
    module: str
    mode: str  # managed | data | provider | variable
    path: str
    location: Location
    scope: tuple[int, int]
    values: dict[str, Any] = field(default_factory=dict)
    locations: dict[tuple, Location] = field(default_factory=dict, repr=False)
    companions: dict[str, list[Resource]] = field(default_factory=dict, repr=False)
    owner: Resource | None = field(default=None, repr=False)
    default_tags: dict[str, Any] = field(default_factory=dict, repr=False)
    # The override-file blocks merged into this one: (file, first line, last line).
    override_scopes: tuple[tuple[str, int, int], ...] = field(default=(), repr=False)
    # The input variables its block names directly (``var.x``): where a value may come from
    # (``terraform_build.VarRefs``, which walks the block when first asked).
    variables: Container[str] = field(default=frozenset(), repr=False, compare=False)

    def defer_locations(self, make: Callable[..., dict[tuple, Location]]) -> None:
        """``locations`` made by ``make`` when first read (``__getattr__``): the builder's
        resources, most of which no finding reads a location of. ``make(first)`` makes only
        those whose keys start with ``first`` (``loc``)."""
        del self.__dict__["locations"]
        self.__dict__["_make_locations"] = make

    def __getattr__(self, name: str) -> Any:
        # Only for what the instance does not hold: ``locations`` not made yet.
        if name == "locations":
            make = self.__dict__.pop("_make_locations", None)
            if make is not None:
                made = self.__dict__["locations"] = make()
                return made
        raise AttributeError(f"'Resource' object has no attribute '{name}'")

    # --- values ---------------------------------------------------------------------------
    def find(self, path: str, branch_gaps: bool = False) -> list[tuple[tuple, Any]]:
        """Every value at a dotted path (blocks are lists; branches are each yielded).

        With ``branch_gaps``, a branch of an undecided conditional in which the path does not
        exist yields ``(path so far, None)``: "judged on both branches" for rules about absence.
        """
        out: list[tuple[tuple, Any]] = []
        steps = _STEPS.get(path)
        if steps is None:  # a rule's few paths, asked of every resource it judges
            steps = tuple(path.split(".")) if path else ()
            if len(_STEPS) < 10_000:
                _STEPS[path] = steps
        _walk(self.values, steps, (), out, branch_gaps)
        return out

    def blocks(self, path: str) -> list[tuple[tuple, dict]]:
        """``(key path, block)`` for every nested block (or map) at a dotted path, walking
        block lists and the branches of a dynamic block; unknown or scalar values are skipped."""
        out: list[tuple[tuple, dict]] = []
        for keypath, value in self.find(path):
            if isinstance(value, list):
                out += [((*keypath, i), b) for i, b in enumerate(value) if isinstance(b, dict)]
            elif isinstance(value, dict):
                out.append((keypath, value))
        return out

    def get(self, path: str, default: Any = None) -> Any:
        found = self.find(path)
        return found[0][1] if found else default

    def is_set(self, path: str) -> bool:
        """Present and not null/empty (unknown counts as set)."""
        return any(not is_absent(v) for _, v in self.find(path))

    @property
    def tags(self) -> dict[str, Any]:
        """The resource's tags (or labels) over its provider's ``default_tags``: read-only.

        DH801, DH802 and the inventory ask it of the same resources (~16k times on
        bench/corpus/terraform): made once for the ``default_tags`` and ``values`` it was made
        from, which the builder may replace after the resource is made (never change in place).
        """
        known = self.__dict__.get("_tags")
        if known is not None and known[0] is self.default_tags and known[1] is self.values:
            return known[2]
        tags = self._make_tags()
        self.__dict__["_tags"] = (self.default_tags, self.values, tags)
        return tags

    def _make_tags(self) -> dict[str, Any]:
        tags = dict(self.default_tags)
        for key in ("tags", "labels", "resource_labels"):  # a GKE cluster's: resource_labels
            value = self.values.get(key)
            if isinstance(value, dict):
                tags.update(value)
        if "settings" in self.values:
            for _, value in self.find("settings.user_labels"):  # Cloud SQL keeps them there
                if isinstance(value, dict):
                    tags.update(value)
        return tags

    def data_class(self, policy: Policy) -> str:
        # Most rules ask it of every resource they judge (27,373 times for the 12,604 resources
        # of bench/corpus/terraform): made once per policy. Rules run on a complete model;
        # ``link_companions``, which sets the owners it depends on, forgets it.
        known = self.__dict__.get("_data_class")
        if known is not None and known[0] is policy:
            return known[1]
        settings = policy.settings["classification"]
        value = self.classification_tag(policy)
        # A value the policy does not define (``confidential``: DH802) is judged as the default
        # class, as a missing tag is: a misspelt tag is never laxer than none (probe29 min/05).
        valid = isinstance(value, str) and value in settings["values"]
        found = value if valid else settings["default"]
        self.__dict__["_data_class"] = (policy, found)
        return found

    def classification_tag(self, policy: Policy) -> Any:
        """The raw classification tag value that classifies this resource's data (None when
        absent): a companion's owner's; a store without the tag of its own, its owner's (a
        BigQuery table without the label: its dataset's)."""
        tag = policy.settings["classification"]["tag"]
        # A companion takes its owner's class; a table (which takes labels) its own first.
        holder = self if self.owner is None or self.type in _OWN_LABEL_FIRST else self.owner
        value = holder.tags.get(tag)
        for _ in range(3):  # table -> dataset; Cassandra table -> keyspace -> account
            if value is not None or holder.owner is None:
                break
            holder = holder.owner
            value = holder.tags.get(tag)
        return value

    @property
    def display_name(self) -> str:
        return self.address

    # --- locations ------------------------------------------------------------------------
    def loc(self, keypath: tuple | str | None = None) -> Location:
        if keypath is None:
            return self.location
        if isinstance(keypath, str):
            keypath = tuple(keypath.split("."))
        if not keypath:
            return self.location
        locations = self.__dict__.get("locations")
        if locations is None:  # not made yet: only those under the key path's first key
            locations = self._locations_under(keypath[0])
        for end in range(len(keypath), 0, -1):
            found = locations.get(tuple(keypath[:end]))
            if found is not None:
                return found
        return self.location

    def _locations_under(self, first: Any) -> dict[tuple, Location]:
        """The part of ``locations`` whose keys start with ``first``, made alone while the
        whole is not (``defer_locations``): a finding reads one attribute's location, of a
        resource whose others would be made for nothing."""
        make = self.__dict__.get("_make_locations")
        if make is None:
            return self.locations
        parts = self.__dict__.setdefault("_located", {})
        found = parts.get(first)
        if found is None:
            found = parts[first] = make(first)
        return found

    def hit(self, keypath: tuple | str | None = None, **args: Any) -> Hit:
        args.setdefault("name", self.address)
        args.setdefault("address", self.address)
        args.setdefault("type", self.type)
        location = self.loc(keypath)
        return Hit(
            location=location,
            # most arguments are strings already: _arg only for the others
            args={k: v if type(v) is str else _arg(v) for k, v in args.items()},
            anchor=self.address,
            scope=self.scope_of(location),
        )

    def scope_of(self, location: Location) -> tuple[int, int] | None:
        """The lines whose suppression comment covers a finding at ``location``: the block's,
        or for a value an override file set, that file's override block's."""
        if location.path == self.path:
            return self.scope
        spans = [(a, b) for path, a, b in self.override_scopes if path == location.path]
        inside = [s for s in spans if s[0] <= location.start_line <= s[1]]
        return (inside or spans or [None])[0]


def _arg(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_arg(v) for v in value)
    return str(value)


# Companions (``LINKS``) that are stores labelled on their own: classified by their own
# classification label, else their owner's (a BigQuery table, else its dataset).
_OWN_LABEL_FIRST = frozenset({"google_bigquery_table"})

# A dotted path -> its steps (``Resource.find``).
_STEPS: dict[str, tuple[str, ...]] = {}


def _walk(value: Any, steps: tuple, path: tuple, out: list, gaps: bool = False) -> None:
    if steps and isinstance(value, dict):  # most steps: a block's or a map's key
        if steps[0] in value:
            _walk(value[steps[0]], steps[1:], (*path, steps[0]), out, gaps)
        return
    if isinstance(value, Branches):
        for option in value.options:
            before = len(out)
            _walk(option, steps, path, out, gaps)
            if gaps and len(out) == before:
                out.append((path, None))
        return
    if not steps:
        out.append((path, value))
        return
    if isinstance(value, Unknown):
        out.append((path, value))  # unknown below this point
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, steps, (*path, i), out, gaps)
        return
    if isinstance(value, dict) and steps[0] in value:
        _walk(value[steps[0]], steps[1:], (*path, steps[0]), out, gaps)


@dataclass
class TerraformModel:
    directory: str
    source: str = "hcl"  # hcl | plan
    resources: list[Resource] = field(default_factory=list)
    data_sources: list[Resource] = field(default_factory=list)
    providers: list[Resource] = field(default_factory=list)
    variables: list[Resource] = field(default_factory=list)
    # The names its named resources have with the module's other tfvars files: (type, name,
    # address, location), see ``terraform_build.Builder.other_names``.
    other_names: list[tuple] = field(default_factory=list)
    # Set on a model built with another environment's tfvars file (``Builder.environments``):
    # that file's path; only the findings whose value it gives are its (``units.run_unit``).
    var_file: str = ""
    # The provider version constraints its modules' ``terraform { required_providers }`` give:
    # (source, e.g. ``hashicorp/azurerm``, constraint, location). Terraform picks one version
    # meeting all of them (a provider default that changed between versions: DH604).
    provider_constraints: list[tuple[str, str, Location]] = field(default_factory=list)

    def of_type(self, *types: str) -> list[Resource]:
        """The resources of these types, in model order (an index by type: every rule asks
        for a few types of every model, most of which hold none of them)."""
        index, positions = self._by_type()
        if len(types) == 1:  # most calls (no comprehension: a function call of its own)
            found = index.get(types[0])
            return list(found) if found else []
        present = [t for t in types if t in index]  # most often none, or one
        if not present:
            return []
        if len(present) > 1:
            present = list(dict.fromkeys(present))
            if len(present) > 1:  # several present: in model order
                found = [item for t in present for item in positions[t]]
                found.sort(key=_position)
                return [r for _, r in found]
        return list(index[present[0]])

    def types(self) -> KeysView[str]:
        """The types of its resources (``of_type`` of any other gives nothing)."""
        return self._by_type()[0].keys()

    def _by_type(
        self,
    ) -> tuple[dict[str, list[Resource]], dict[str, list[tuple[int, Resource]]]]:
        """Type -> the resources of that type; and -> (position in ``resources``, resource)."""
        cache = self.__dict__.get("_indexes")
        if cache is None:
            cache = self.__dict__["_indexes"] = {}
        entry = cache.get("@types")
        if entry is None or entry[0] != len(self.resources):  # resources added since
            index: dict[str, list[Resource]] = {}
            positions: dict[str, list[tuple[int, Resource]]] = {}
            for position, resource in enumerate(self.resources):
                index.setdefault(resource.type, []).append(resource)
                positions.setdefault(resource.type, []).append((position, resource))
            entry = cache["@types"] = (len(self.resources), (index, positions))
        return entry[1]

    def subjects(self) -> set[tuple[str, str]]:
        """What the rules may judge, by file: (path, resource type) of each managed resource
        (the compliance report tells a clause whose rules had nothing to judge)."""
        return {(r.path, r.type) for r in self.resources}

    def get(self, address: str) -> Resource | None:
        for resource in self.resources:
            if resource.address == address:
                return resource
        return None

    def linked(
        self, value: Any, types: Sequence[str] | None, name_attr: str | None = None
    ) -> list[Resource]:
        """Resources of ``types`` that ``value`` points at, by reference or by literal name
        (an ARN ending in ``:name`` counts as the name)."""
        found: list[Resource] = []
        by_base, by_address = self._index(""), self._addresses()
        for ref in sorted(refs_of(value)):
            # An instance (aws_s3_bucket.feed["taps"]) by its address; a resource as written,
            # every instance.
            found += by_address.get(ref) or by_base.get(_base_address(ref), [])
        if name_attr is not None:
            by_name = self._index(name_attr)
            for option in options(value):
                if isinstance(option, Named):
                    continue  # a name made from a resource: that resource (by reference)
                if isinstance(option, str) and option:
                    found += by_name.get(option, [])
                    if ":" in option:
                        found += by_name.get(option.rsplit(":", 1)[1], [])
        unique: list[Resource] = []
        for resource in found:
            if (types is None or resource.type in types) and resource not in unique:
                unique.append(resource)
        return unique

    def _addresses(self) -> dict[str, list[Resource]]:
        cache = self.__dict__.setdefault("_indexes", {})
        if "@address" not in cache:
            cache["@address"] = {r.address: [r] for r in self.resources}
        return cache["@address"]

    def _index(self, name_attr: str) -> dict[str, list[Resource]]:
        """Resources by base address (``""``) or by the literal value of ``name_attr``."""
        cache = self.__dict__.setdefault("_indexes", {})
        if name_attr not in cache:
            index: dict[str, list[Resource]] = {}
            for resource in self.resources:
                key = (
                    _base_address(resource.address)
                    if not name_attr
                    else resource.values.get(name_attr)
                )
                if isinstance(key, str) and key:
                    index.setdefault(key, []).append(resource)
            cache[name_attr] = index
        return cache[name_attr]

    def resource_of(self, hit: Hit) -> Resource | None:
        """The resource (or data source) a hit is on: the one whose address its anchor starts
        with, in whose block its location is (the longest such address)."""
        found: Resource | None = None
        loc = hit.location
        for res in (*self.resources, *self.data_sources):
            if (
                res.path == loc.path
                and res.scope[0] <= loc.start_line <= res.scope[1]
                and hit.anchor.startswith(res.address)
                and (found is None or len(res.address) > len(found.address))
            ):
                found = res
        return found

    def environment_cause(self, hit: Hit, default: TerraformModel | None) -> Related:
        """Why an environment's hit (``var_file``) that the default model does not have is
        the environment's, when no value location of the hit points into its file (its
        values made something absent: ``expire_days = 0`` empties a dynamic block): the
        assignment in that file of a variable the hit's resource reads (its module's
        variable, passed from the file's entry), one whose value differs from the default's
        first; else of a root variable it reads; else the file itself (probe39 #2)."""
        var_file = self.var_file
        res = self.resource_of(hit)
        before = {v.address: v.values.get("default") for v in default.variables} if default else {}

        def written(var: Resource) -> bool:
            return var.loc(("default",)).path == var_file

        def changed(var: Resource) -> bool:
            return before.get(var.address, var) != var.values.get("default")

        candidates: list[Resource] = []
        if res is not None:
            candidates = [
                v
                for v in self.variables
                if v.module == res.module and v.type in res.variables and written(v)
            ]
        if not candidates:
            candidates = [v for v in self.variables if not v.module and written(v)]
            if len(candidates) > 1:
                candidates = [v for v in candidates if changed(v)]
                if len(candidates) > 1:
                    candidates = []  # which one made it: not known
        candidates.sort(key=lambda v: not changed(v))  # stable: else in declared order
        if candidates:
            var = candidates[0]
            where = var.loc(("default",))
            return Related(where, f"{var_file} sets {var.address}")
        return Related(Location(var_file, 1), f"the values of {var_file}")

    def merge_instances(self, hits: Iterable[Hit]) -> list[Hit]:
        """A rule's hits with those that every instance of a resource gives alike (its
        address aside) reported once, for the resource as written (``aws_s3_bucket.feed``):
        one finding per block where the instances agree, one per instance where they differ,
        and a baseline that names the resource keeps matching."""
        hits = list(hits)
        blocks = self._instance_blocks()
        if not blocks:
            return hits
        groups: dict[tuple, list[tuple[int, Hit, str]]] = {}
        for i, hit in enumerate(hits):
            address = _instance_of(hit.anchor, blocks)
            if address is None:
                continue
            block, _ = blocks[address]
            merged = replace(
                hit,
                anchor=block + hit.anchor[len(address) :],
                args={k: _as_written(v, blocks) for k, v in hit.args.items()},
                related=tuple(replace(r, label=_as_written(r.label, blocks)) for r in hit.related),
            )
            key = (block, merged.location, merged.anchor, tuple(sorted(merged.args.items())))
            groups.setdefault(key, []).append((i, merged, address))
        out: dict[int, Hit] = dict(enumerate(hits))
        for members in groups.values():
            if len({address for _, _, address in members}) < blocks[members[0][2]][1]:
                continue  # some instances only: each is reported as itself
            first = members[0][0]
            out[first] = members[0][1]
            for i, _, _ in members[1:]:
                del out[i]
        return [out[i] for i in sorted(out)]

    def _instance_blocks(self) -> dict[str, tuple[str, int]]:
        """Instance address -> (its block's address as written, how many instances): a
        resource's (``aws_s3_bucket.feed["a"]``), or anything in a module instance
        (``module.b["a"].aws_s3_bucket.this``, ``module.b[0].var.name``)."""
        cache = self.__dict__.setdefault("_indexes", {})
        if "@instances" not in cache:
            blocks: dict[str, list[str]] = {}
            for resource in (*self.resources, *self.data_sources, *self.variables):
                block = _base_address(resource.address)
                if block != resource.address:
                    blocks.setdefault(block, []).append(resource.address)
            cache["@instances"] = {
                address: (block, len(members))
                for block, members in blocks.items()
                for address in members
            }
        return cache["@instances"]


def _position(item: tuple[int, Resource]) -> int:
    return item[0]


# An instance key in an address: [0], ["taps"] (a key may hold any character).
_INSTANCE_KEY = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]')


def _instance_of(anchor: str, blocks: dict[str, tuple[str, int]]) -> str | None:
    """The instance address an anchor starts with (``x["a"]``, ``x["a"]:attribute``,
    ``module.b["a"].x:attribute``): the longest one that ends before a ``:`` or a ``]``."""
    if anchor in blocks:
        return anchor
    for end in range(len(anchor) - 1, 0, -1):
        if anchor[end] == ":" and anchor[:end] in blocks:
            return anchor[:end]
        if anchor[end - 1] == "]" and anchor[:end] in blocks:
            return anchor[:end]
    return None


_MODULE_PREFIX = re.compile(rf"(?:module\.[\w-]+(?:{_INSTANCE_KEY.pattern})?\.)*")


def _module_of(address: str) -> str:
    """``module.b["a"].module.c[0].x.y`` -> ``module.b["a"].module.c[0].`` ("" at the root)."""
    found = _MODULE_PREFIX.match(address)
    return found.group(0) if found else ""


# An address in a hit's text: module.b["a"].aws_s3_bucket.x[0], data.x.y, module.b[0].var.v;
# from the start of a dotted name only (else every position of a long word is a start).
_ADDRESS = re.compile(
    rf"(?<![\w.-]){_MODULE_PREFIX.pattern}(?:data\.)?[\w-]+\.[\w-]+(?:{_INSTANCE_KEY.pattern})?"
)


def _as_written(text: str, blocks: dict[str, tuple[str, int]]) -> str:
    """A hit's text with each instance it names (its own address, a companion's in the
    same module instance, ``aws_s3_bucket.b[0]`` of ``aws_s3_bucket_policy.p[0]``) named
    as written: the instances that agree once their addresses are set aside are one."""
    if "[" not in text:
        return text
    return _ADDRESS.sub(lambda m: blocks[m[0]][0] if m[0] in blocks else m[0], text)


def instance_suffix(index: Any) -> str:
    """The address suffix of an instance key, as Terraform writes it: ``[0]``, ``["taps"]``;
    "" for an index that is not known."""
    if isinstance(index, bool):
        return ""
    if isinstance(index, int):
        return f"[{index}]"
    if isinstance(index, str):
        return f"[{json.dumps(index)}]"
    return ""


def _base_address(address: str) -> str:
    """``module.a[0].aws_s3_bucket.b["x"]`` -> ``module.a.aws_s3_bucket.b`` (also an
    unclosed ``x.y[each`` -> ``x.y``; a quoted key may hold brackets)."""
    if "[" not in address and "]" not in address:
        return address  # most addresses: no instance key, nothing to drop
    out: list[str] = []
    depth, quoted, escaped = 0, False, False
    for ch in address:
        if quoted:
            escaped, quoted = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(depth - 1, 0)
        elif depth:
            quoted = ch == '"'
        else:
            out.append(ch)
    return "".join(out)


def _links_by_type() -> dict[str, list[tuple]]:
    """``LINKS`` by companion type, made once (every model is linked: 527 on
    bench/corpus/terraform)."""
    if not _LINKS_BY_TYPE:
        for link in LINKS:
            _LINKS_BY_TYPE.setdefault(link[0], []).append(link)
    return _LINKS_BY_TYPE


_LINKS_BY_TYPE: dict[str, list[tuple]] = {}


def link_companions(model: TerraformModel) -> None:
    model.__dict__.pop("_indexes", None)  # resources may have changed since the last lookup
    for resource in model.resources:
        resource.companions = {}
        resource.owner = None
        resource.__dict__.pop("_data_class", None)  # its owner's, maybe
    table = _links_by_type()
    for comp in model.resources:
        for _, attr, owner_types, name_attr, role in table.get(comp.type, ()):
            for owner in model.linked(comp.values.get(attr), owner_types, name_attr):
                if owner is comp or comp in owner.companions.get(role, ()):
                    continue
                owner.companions.setdefault(role, []).append(comp)
                if comp.owner is None:
                    comp.owner = owner


# --- building from HCL ---------------------------------------------------------------------------
def build_models(files: Sequence[SourceFile], env: BuildEnv) -> BuildResult:
    """One model per root module directory (HCL), one per plan JSON file."""
    from dhlint.models.terraform_build import Builder

    result = BuildResult()
    builder = Builder(env)
    plans = []
    for source in files:
        if _is_plan(source.path):
            plans.append(source)
        else:
            builder.add_file(source)
    builder.apply_overrides()
    for directory in builder.roots():
        try:
            result.models.append(builder.build_root(directory))
            for var_file in builder.environments(directory, builder.modules[directory]):
                result.models.append(builder.build_root(directory, var_file))
        except RecursionError:
            result.diagnostics.append(
                Diagnostic(
                    directory or ".", "module too deeply nested to evaluate", kind="internal"
                )
            )
    builder.release()
    if plans:
        from dhlint.models.terraform_plan import build_plan_model

        for source in plans:
            try:
                model = build_plan_model(source)
            except FrontendError as exc:
                result.diagnostics.append(
                    Diagnostic(source.path, exc.message, exc.line, exc.col, kind="parse-error")
                )
                continue
            link_companions(model)
            result.models.append(model)
    result.diagnostics.extend(builder.diagnostics)
    result.extra_inputs = sorted(set(builder.extra_inputs))
    return result


# ``source = "./x"`` (HCL) or ``"source": "../x"`` (JSON), at a word start (``textscan``).
_LOCAL_SOURCE = re.compile(r'source"?\s*[=:]\s*"(\.\.?/[^"]*)"')


def _local_sources(text: str) -> Iterator[str]:
    """The local module paths ``text`` calls: each ``source`` that starts a word."""
    return (match.group(1) for match in word_start_matches(_LOCAL_SOURCE, text))


def _is_tfvars(path: str) -> bool:
    return path.endswith((".tfvars", ".tfvars.json"))


def environment_root(directory: str, configured: Container[str]) -> str | None:
    """The module directory a directory holding tfvars files and no configuration
    (``infra/env``, ``infra/envs/prod``) gives values to: the nearest of ``configured`` up to
    two levels above it (as ``terraform_build.Builder.other_var_files`` looks below a root),
    or None (``directory`` itself is configured, or none is)."""
    if directory in configured:
        return None
    above = directory
    for _ in range(2):
        if not above:
            return None
        above = posixpath.dirname(above)
        if above in configured:
            return above
    return None


def _is_plan(path: str) -> bool:
    return path.endswith(".json") and not path.endswith((".tf.json", ".tfvars.json"))


def units(files: Sequence[SourceFile]) -> list[list[SourceFile]]:
    """Independent units of work: each plan file alone, and module directories grouped with
    the local modules they call (so a called module is modelled once, through its callers)."""
    plans: list[list[SourceFile]] = []
    by_dir: dict[str, list[SourceFile]] = {}
    for source in files:
        if _is_plan(source.path):
            plans.append([source])
        else:
            by_dir.setdefault(posixpath.dirname(source.path), []).append(source)
    parent = {d: d for d in by_dir}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    configured = {d for d, g in by_dir.items() if not all(_is_tfvars(f.path) for f in g)}
    for directory in by_dir:
        above = environment_root(directory, configured)
        if above is not None:  # env/prod.tfvars: a var file of the root module above it
            parent[root(directory)] = root(above)
    for directory, group in by_dir.items():
        for source in group:
            for called in _local_sources(source.text):
                target = posixpath.normpath(posixpath.join(directory or ".", called))
                target = "" if target == "." else target
                if target in parent:
                    parent[root(directory)] = root(target)
    groups: dict[str, list[SourceFile]] = {}
    for directory in sorted(by_dir):
        groups.setdefault(root(directory), []).extend(by_dir[directory])
    ordered = sorted(groups.values(), key=lambda g: min(f.path for f in g))
    return [sorted(g, key=lambda f: f.path) for g in ordered] + plans


def iter_values(value: Any) -> Iterator[Any]:
    """Every leaf value (strings, numbers...) inside a value, through containers and branches."""
    if isinstance(value, Branches):
        for o in value.options:
            yield from iter_values(o)
    elif isinstance(value, dict):
        for v in value.values():
            yield from iter_values(v)
    elif isinstance(value, list):
        for v in value:
            yield from iter_values(v)
    else:
        yield value
