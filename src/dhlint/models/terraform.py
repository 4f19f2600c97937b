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
    addresses prefixed ``module.<name>.``), ``data_sources``, ``providers`` (provider blocks as
    ``Resource`` with ``mode == "provider"``, ``type`` the provider name), ``variables``
    (``mode == "variable"``; ``values["default"]`` resolved), ``of_type(*types)``,
    ``get(address)``, ``linked(value, types, name_attr)`` (the resources a reference or a
    literal name points at).

``Resource``
    ``address``, ``type``, ``name``, ``module`` (``""`` or ``module.a``), ``mode``, ``path``
    (file), ``location`` (the block header), ``scope`` (first and last line), ``values`` (all
    arguments resolved; nested blocks are lists of dicts, as in a plan), ``companions`` (role ->
    resources linked to it, see ``LINKS``: ``encryption``, ``lifecycle``, ``public_access_block``,
    ``logging``, ``policy``, ``acl``, ``versioning``, ``replication``, ``iam``, ``listeners``...),
    ``owner`` (for a companion: the resource it belongs to, or None).

    ``find(path, branch_gaps=False)`` -> list of ``(key path tuple, value)``: every value at a
    dotted path, walking into block lists and both branches of an undecided conditional;
    ``blocks(path)`` -> ``(key path, dict)`` for each nested block at a path (safe on unknown
    and branching values); ``get(path, default)`` the first value; ``is_set(path)``;
    ``loc(keypath)`` the attribute's precise location (or the nearest enclosing block, or the
    header); ``hit(keypath=None, **args)`` a ``Hit`` on that attribute (or on the header when
    ``keypath`` is None; ``name``, ``address`` and ``type`` are filled in); ``tags``
    (tags/labels merged with provider default tags); ``data_class(policy)`` the classification
    tag value or the policy's default class.

Values (``dhlint.models.terraform_eval``): plain Python, ``Unknown`` (not known before apply;
rules do not fire on it unless the rule is about absence) and ``Branches`` (both outcomes of a
conditional; ``find`` yields each option). ``None``, ``[]`` and a missing key all mean "not set".

How values are resolved: variables from their defaults, then ``terraform.tfvars``,
``terraform.tfvars.json``, ``*.auto.tfvars(.json)`` in name order, then ``--var-file`` files
(root modules only; a variable without any value is unknown); locals; interpolation; a small
set of pure functions; ``count``/``for_each`` (an instance count known to be 0 drops the
resource, otherwise one instance with unknown ``count.index``/``each``); local modules
(``source = "./..."``) with their inputs. A directory called as a local module by another
scanned directory is modelled only through its callers (no duplicate findings).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dhlint.analysis import BuildEnv, BuildResult
from dhlint.frontends.terraform_ast import Block, Expr, FileTree, ObjectExpr, Pos, TupleExpr
from dhlint.models.terraform_eval import (
    UNKNOWN,
    Branches,
    Evaluator,
    Unknown,
    branches,
    is_unknown,
    options,
    partial_text,
    refs_of,
    refs_of_deep,
)
from dhlint.types import Diagnostic, FrontendError, Hit, Location, SourceFile

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
    (
        "azurerm_storage_management_policy",
        "storage_account_id",
        ("azurerm_storage_account",),
        None,
        "lifecycle",
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
    except ValueError:
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

    # --- values ---------------------------------------------------------------------------
    def find(self, path: str, branch_gaps: bool = False) -> list[tuple[tuple, Any]]:
        """Every value at a dotted path (blocks are lists; branches are each yielded).

        With ``branch_gaps``, a branch of an undecided conditional in which the path does not
        exist yields ``(path so far, None)``: "judged on both branches" for rules about absence.
        """
        out: list[tuple[tuple, Any]] = []
        _walk(self.values, tuple(path.split(".")) if path else (), (), out, branch_gaps)
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
        tags = dict(self.default_tags)
        for key in ("tags", "labels"):
            value = self.values.get(key)
            if isinstance(value, dict):
                tags.update(value)
        for _, value in self.find("settings.user_labels"):  # Cloud SQL keeps them there
            if isinstance(value, dict):
                tags.update(value)
        return tags

    def data_class(self, policy: Policy) -> str:
        settings = policy.settings["classification"]
        owner = self.owner or self
        value = owner.tags.get(settings["tag"])
        if isinstance(value, str) and value:
            return value
        return settings["default"]

    def classification_tag(self, policy: Policy) -> Any:
        """The raw classification tag value (None when absent)."""
        return self.tags.get(policy.settings["classification"]["tag"])

    @property
    def display_name(self) -> str:
        return self.address

    # --- locations ------------------------------------------------------------------------
    def loc(self, keypath: tuple | str | None = None) -> Location:
        if keypath is None:
            return self.location
        if isinstance(keypath, str):
            keypath = tuple(keypath.split("."))
        for end in range(len(keypath), 0, -1):
            found = self.locations.get(tuple(keypath[:end]))
            if found is not None:
                return found
        return self.location

    def hit(self, keypath: tuple | str | None = None, **args: Any) -> Hit:
        args.setdefault("name", self.address)
        args.setdefault("address", self.address)
        args.setdefault("type", self.type)
        return Hit(
            location=self.loc(keypath),
            args={k: _arg(v) for k, v in args.items()},
            anchor=self.address,
            scope=self.scope,
        )


def _arg(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_arg(v) for v in value)
    return str(value)


def _walk(value: Any, steps: tuple, path: tuple, out: list, gaps: bool = False) -> None:
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

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources if r.type in types]

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
        by_base = self._index("")
        for ref in sorted(refs_of(value)):
            found += by_base.get(ref, [])
        if name_attr is not None:
            by_name = self._index(name_attr)
            for option in options(value):
                if isinstance(option, str) and option:
                    found += by_name.get(option, [])
                    if ":" in option:
                        found += by_name.get(option.rsplit(":", 1)[1], [])
        unique: list[Resource] = []
        for resource in found:
            if (types is None or resource.type in types) and resource not in unique:
                unique.append(resource)
        return unique

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


def _base_address(address: str) -> str:
    """``module.a[0].aws_s3_bucket.b["x"]`` -> ``module.a.aws_s3_bucket.b``."""
    out, depth = [], 0
    for ch in address:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def link_companions(model: TerraformModel) -> None:
    model.__dict__.pop("_indexes", None)  # resources may have changed since the last lookup
    for resource in model.resources:
        resource.companions = {}
        resource.owner = None
    table = {link[0]: link for link in LINKS}
    for comp in model.resources:
        link = table.get(comp.type)
        if link is None:
            continue
        _, attr, owner_types, name_attr, role = link
        for owner in model.linked(comp.values.get(attr), owner_types, name_attr):
            if owner is comp:
                continue
            owner.companions.setdefault(role, []).append(comp)
            if comp.owner is None:
                comp.owner = owner


# --- building from HCL ---------------------------------------------------------------------------
def _location(path: str, pos: Pos) -> Location:
    return Location(path, max(pos.line, 1), max(pos.col, 1), pos.end_line, pos.end_col)


@dataclass
class _Module:
    """A parsed module directory."""

    directory: str
    blocks: list[tuple[str, Block]] = field(default_factory=list)  # (file path, block)
    tfvars: list[FileTree] = field(default_factory=list)

    def of(self, block_type: str) -> list[tuple[str, Block]]:
        return [(p, b) for p, b in self.blocks if b.type == block_type]


class _Instance:
    """A module instance: one module directory evaluated with its inputs."""

    def __init__(
        self,
        builder: _Builder,
        module: _Module,
        prefix: str,
        inputs: dict[str, Any],
        stack: tuple[str, ...],
    ) -> None:
        self.builder, self.module, self.prefix, self.inputs = builder, module, prefix, inputs
        self.stack = stack
        self.ev = Evaluator(self._resolve)
        self.variables = {b.labels[0]: (p, b) for p, b in module.of("variable") if b.labels}
        self.locals: dict[str, Any] = {}
        for _, block in module.of("locals"):
            self.locals.update(block.attributes)
        self.outputs = {b.labels[0]: b for _, b in module.of("output") if b.labels}
        self.resources = {
            f"{b.labels[0]}.{b.labels[1]}": (p, b)
            for p, b in module.of("resource")
            if len(b.labels) >= 2
        }
        self.data = {
            f"data.{b.labels[0]}.{b.labels[1]}": (p, b)
            for p, b in module.of("data")
            if len(b.labels) >= 2
        }
        self.calls = {b.labels[0]: (p, b) for p, b in module.of("module") if b.labels}
        self.children: dict[str, _Instance | None] = {}
        self._memo: dict[tuple, Any] = {}
        self._busy: set[tuple] = set()

    # memoised, cycle-safe evaluation of named things
    def _cached(self, key: tuple, compute) -> Any:
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            return UNKNOWN
        self._busy.add(key)
        try:
            value = compute()
        finally:
            self._busy.discard(key)
        self._memo[key] = value
        return value

    def var(self, name: str) -> Any:
        def compute() -> Any:
            if name in self.inputs:
                value = self.inputs[name]
                return value() if callable(value) else value
            entry = self.variables.get(name)
            if entry is None:
                return UNKNOWN
            default = entry[1].attributes.get("default")
            if default is None:
                return UNKNOWN
            return self.ev.eval(default.value)

        return self._cached(("var", name), compute)

    def local(self, name: str) -> Any:
        attr = self.locals.get(name)
        if attr is None:
            return UNKNOWN
        return self._cached(("local", name), lambda: self.ev.eval(attr.value))

    def output(self, name: str) -> Any:
        block = self.outputs.get(name)
        if block is None or "value" not in block.attributes:
            return UNKNOWN
        return self._cached(("output", name), lambda: self.ev.eval(block.attributes["value"].value))

    def resource_attr(self, key: str, attr: str) -> Any:
        table = self.data if key.startswith("data.") else self.resources
        entry = table.get(key)
        address = self.prefix + key
        if entry is None:
            return Unknown(frozenset({address}))
        block = entry[1]
        if key.startswith("data.aws_iam_policy_document.") and attr == "json":
            return self._cached(("policy_doc", key), lambda: _policy_doc_json(self, block))
        if attr not in block.attributes:
            return Unknown(frozenset({address}))
        value = self._cached(("res", key, attr), lambda: self.ev.eval(block.attributes[attr].value))
        if isinstance(value, Unknown):
            return Unknown(value.refs | {address}, value.partial)
        return value

    def child(self, name: str) -> _Instance | None:
        if name not in self.children:
            self.children[name] = self.builder.instantiate_call(self, name)
        return self.children[name]

    def _resolve(self, root: str, steps: tuple, bindings: dict) -> tuple[Any, tuple]:
        first = steps[0][1] if steps and steps[0][0] == "attr" else None
        if root == "var" and first:
            return self.var(first), steps[1:]
        if root == "local" and first:
            return self.local(first), steps[1:]
        if root == "module" and first:
            rest = steps[1:]
            while rest and rest[0][0] != "attr":  # module.x[0].out
                rest = rest[1:]
            child = self.child(first)
            if child is None or not rest:
                return Unknown(frozenset({f"{self.prefix}module.{first}"})), ()
            return child.output(rest[0][1]), rest[1:]
        if root == "path" and first:
            return (self.module.directory or ".") if first == "module" else UNKNOWN, steps[1:]
        if root in ("count", "each", "self", "terraform"):
            return UNKNOWN, ()
        if root == "data" and len(steps) >= 2 and first:
            key = f"data.{first}.{steps[1][1]}"
            return self._resource_steps(key, steps[2:])
        if (first and root in self.builder.known_types) or (first and "_" in root):
            return self._resource_steps(f"{root}.{first}", steps[1:])
        return UNKNOWN, ()

    def _resource_steps(self, key: str, rest: tuple) -> tuple[Any, tuple]:
        while rest and rest[0][0] != "attr":  # aws_s3_bucket.x[0].id, aws_s3_bucket.x[*].id
            rest = rest[1:]
        if not rest:
            return Unknown(frozenset({self.prefix + key})), ()
        return self.resource_attr(key, rest[0][1]), rest[1:]


MAX_INSTANCES = 32


def each_binding(inst: _Instance, block: Block) -> dict[str, Any]:
    """``each.key``/``each.value`` of a ``for_each`` block: one of the known elements (a
    ``Branches``: every instance is judged), or unknown carrying the collection's references
    (so ``bucket = each.value`` over ``[aws_s3_bucket.a.id, ...]`` still links)."""
    attr = block.attributes.get("for_each")
    if attr is None:
        return {}
    value = inst.ev.eval(attr.value)
    if isinstance(value, dict) and 0 < len(value) <= MAX_INSTANCES:
        keys, items = list(value), list(value.values())
    elif isinstance(value, list) and 0 < len(value) <= MAX_INSTANCES:
        keys, items = value, value
    else:
        unknown = Unknown(refs_of_deep(value))
        return {"each": {"key": unknown, "value": unknown}}
    return {"each": {"key": branches(keys), "value": branches(items)}}


def _dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _policy_doc_json(inst: _Instance, block: Block) -> Any:
    """``data.aws_iam_policy_document.x.json`` built from its statement blocks, after the
    statements of ``source_policy_documents`` (``override_policy_documents`` are appended)."""
    from dhlint.models.terraform_eval import FUNCTIONS

    statements: list = []
    unknown = False
    for arg in ("source_policy_documents", "override_policy_documents"):
        attr = block.attributes.get(arg)
        if attr is None or arg.startswith("override"):
            continue
        docs = inst.ev.eval(attr.value)
        for doc in docs if isinstance(docs, list) else [docs]:
            parsed = policy_document(doc)
            if parsed is None:
                unknown = True
                continue
            found = parsed.get("Statement", [])
            statements += found if isinstance(found, list) else [found]
    for st in block.children("statement"):
        values = inst.builder.block_values(inst, "", st, (), {})
        doc: dict[str, Any] = {"Effect": values.get("effect", "Allow")}
        for src, dst in (
            ("sid", "Sid"),
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ):
            if src in values:
                doc[dst] = values[src]
        for src, dst in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            for p in _dicts(values.get(src)):
                ptype = p.get("type")
                if isinstance(ptype, str):
                    doc.setdefault(dst, {})[ptype] = p.get("identifiers")
        for cond in _dicts(values.get("condition")):
            test, var = cond.get("test"), cond.get("variable")
            if isinstance(test, str) and isinstance(var, str):
                doc.setdefault("Condition", {}).setdefault(test, {})[var] = cond.get("values")
        statements.append(doc)
    override = block.attributes.get("override_policy_documents")
    if override is not None:
        docs = inst.ev.eval(override.value)
        for doc in docs if isinstance(docs, list) else [docs]:
            parsed = policy_document(doc)
            if parsed is None:
                unknown = True
                continue
            found = parsed.get("Statement", [])
            statements += found if isinstance(found, list) else [found]
    encoded = FUNCTIONS["jsonencode"]({"Version": "2012-10-17", "Statement": statements})
    if unknown:  # part of the document is not known: rules cannot judge it as a whole
        return Unknown(refs_of(encoded))
    return encoded


class _Builder:
    def __init__(self, env: BuildEnv) -> None:
        self.env = env
        self.modules: dict[str, _Module] = {}
        self.diagnostics: list[Diagnostic] = []
        self.known_types: set[str] = set()
        self.model: TerraformModel | None = None
        self.extra_inputs: list[str] = []  # files read from disk beyond the given ones

    # parsing
    def add_file(self, source: SourceFile) -> None:
        from dhlint.frontends.terraform import parse_file

        directory = posixpath.dirname(source.path)
        module = self.modules.setdefault(directory, _Module(directory))
        try:
            tree = parse_file(source.path, source.text)
        except FrontendError as exc:
            self.diagnostics.append(
                Diagnostic(source.path, exc.message, exc.line, exc.col, kind="parse-error")
            )
            return
        except RecursionError:
            self.diagnostics.append(
                Diagnostic(source.path, "file too deeply nested to parse", kind="parse-error")
            )
            return
        if source.path.endswith((".tfvars", ".tfvars.json")):
            module.tfvars.append(tree)
            return
        for block in tree.blocks:
            module.blocks.append((source.path, block))
            if block.type in ("resource", "data") and block.labels:
                self.known_types.add(block.labels[0])

    def load_directory(self, directory: str) -> _Module | None:
        """A called module that was not among the given files: read it from disk for context."""
        if directory in self.modules:
            return self.modules[directory]
        absdir = os.path.normpath(os.path.join(self.env.root, directory))
        if not os.path.isdir(absdir):
            return None
        self.modules[directory] = _Module(directory)
        for name in sorted(os.listdir(absdir)):
            if not name.endswith((".tf", ".tf.json")):
                continue
            try:
                with open(os.path.join(absdir, name), encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError):
                continue
            rel = posixpath.join(directory, name) if directory else name
            self.extra_inputs.append(os.path.join(absdir, name))
            self.add_file(SourceFile(rel, os.path.join(absdir, name), "terraform", text))
        return self.modules[directory]

    # module graph
    @staticmethod
    def call_target(directory: str, block: Block) -> str | None:
        source = block.attributes.get("source")
        value = getattr(source.value, "value", None) if source else None
        if not isinstance(value, str) or not value.startswith(("./", "../")):
            return None
        norm = posixpath.normpath(posixpath.join(directory or ".", value))
        return "" if norm == "." else norm

    def roots(self) -> list[str]:
        called = set()
        for directory, module in self.modules.items():
            for _, block in module.of("module"):
                target = self.call_target(directory, block)
                if target is not None and target != directory:
                    called.add(target)
        has_config = [d for d, m in self.modules.items() if m.blocks or m.tfvars]
        return sorted(d for d in has_config if d not in called)

    def instantiate_call(self, parent: _Instance, name: str) -> _Instance | None:
        entry = parent.calls.get(name)
        if entry is None:
            return None
        target = self.call_target(parent.module.directory, entry[1])
        if target is None or target in parent.stack or len(parent.stack) > 8:
            return None
        module = self.load_directory(target)
        if module is None:
            return None
        inputs: dict[str, Any] = {}
        bindings = each_binding(parent, entry[1])
        for arg, attr in entry[1].attributes.items():
            if arg in ("source", "version", "providers", *META_ARGS):
                continue
            inputs[arg] = lambda a=attr, b=bindings: parent.ev.eval(a.value, b)
        prefix = f"{parent.prefix}module.{name}."
        return _Instance(self, module, prefix, inputs, (*parent.stack, target))

    def root_inputs(self, module: _Module) -> dict[str, Any]:
        values: dict[str, Any] = {}
        plain = Evaluator(lambda root, steps, b: (UNKNOWN, ()))

        def order(tree: FileTree) -> tuple:
            base = posixpath.basename(tree.path)
            rank = 0 if base == "terraform.tfvars" else 1 if base == "terraform.tfvars.json" else 2
            return (rank, base)

        trees = sorted(
            (
                t
                for t in module.tfvars
                if posixpath.basename(t.path).startswith("terraform.tfvars")
                or ".auto.tfvars" in posixpath.basename(t.path)
            ),
            key=order,
        )
        trees += self.extra_var_files()
        for tree in trees:
            for name, attr in tree.attributes.items():
                values[name] = plain.eval(attr.value)
        return values

    def extra_var_files(self) -> list[FileTree]:
        if not hasattr(self, "_var_files"):
            from dhlint.frontends.terraform import parse_file

            self._var_files: list[FileTree] = []
            for abspath in self.env.var_files:
                rel = os.path.relpath(abspath, self.env.root).replace(os.sep, "/")
                try:
                    with open(abspath, encoding="utf-8") as handle:
                        text = handle.read()
                    tree = parse_file(rel, text)
                except OSError as exc:
                    self.diagnostics.append(Diagnostic(rel, f"cannot read var file: {exc}"))
                    continue
                except FrontendError as exc:
                    self.diagnostics.append(Diagnostic(rel, exc.message, exc.line, exc.col))
                    continue
                self._var_files.append(tree)
        return self._var_files

    # resources
    def build_root(self, directory: str) -> TerraformModel:
        module = self.modules[directory]
        inputs = self.root_inputs(module)
        declared = {b.labels[0] for _, b in module.of("variable") if b.labels}
        inputs = {k: v for k, v in inputs.items() if k in declared}
        model = TerraformModel(directory=directory)
        root = _Instance(self, module, "", inputs, (directory,))
        self.collect(root, model)
        link_companions(model)
        return model

    def collect(
        self, inst: _Instance, model: TerraformModel, inherited: dict | None = None
    ) -> None:
        # A module without its own aws provider block inherits the caller's (default_tags too).
        default_tags = self.provider_default_tags(inst)
        if not any(b.labels[:1] == ("aws",) for _, b in inst.module.of("provider")):
            default_tags = dict(inherited or {})
        for path, block in inst.module.of("provider"):
            if not block.labels:
                continue
            res = self.make_resource(inst, path, block, "provider", f"provider.{block.labels[0]}")
            res.type = block.labels[0]
            model.providers.append(res)
        for path, block in inst.module.of("variable"):
            if block.labels:
                res = self.make_resource(inst, path, block, "variable", f"var.{block.labels[0]}")
                res.values = {"default": inst.var(block.labels[0])}
                model.variables.append(res)
        for mode, table in (("managed", inst.resources), ("data", inst.data)):
            for key, (path, block) in table.items():
                if self.instance_count_zero(inst, block):
                    continue
                res = self.make_resource(inst, path, block, mode, key)
                if mode == "managed":
                    if res.type.startswith("aws_"):
                        res.default_tags = dict(default_tags)
                    model.resources.append(res)
                else:
                    model.data_sources.append(res)
        for name, (_, block) in inst.calls.items():
            if self.instance_count_zero(inst, block):
                continue
            child = inst.child(name)
            if child is not None:
                self.collect(child, model, default_tags)

    def instance_count_zero(self, inst: _Instance, block: Block) -> bool:
        """``count = 0`` or an empty ``for_each`` known before apply: no instance exists."""
        count = block.attributes.get("count")
        if count is not None:
            value = inst.ev.eval(count.value)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
                return True
        for_each = block.attributes.get("for_each")
        if for_each is not None:
            value = inst.ev.eval(for_each.value)
            if isinstance(value, (dict, list)) and not value:
                return True
        return False

    def provider_default_tags(self, inst: _Instance) -> dict[str, Any]:
        tags: dict[str, Any] = {}
        for _, block in inst.module.of("provider"):
            if block.labels[:1] != ("aws",) or "alias" in block.attributes:
                continue
            for dt in block.children("default_tags"):
                attr = dt.attributes.get("tags")
                value = inst.ev.eval(attr.value) if attr else None
                if isinstance(value, dict):
                    tags.update(value)
        return tags

    def make_resource(
        self, inst: _Instance, path: str, block: Block, mode: str, key: str
    ) -> Resource:
        locations: dict[tuple, Location] = {}
        bindings = each_binding(inst, block) if mode != "provider" else {}
        values = self.block_values(inst, path, block, (), locations, bindings)
        type_, name = (*block.labels, "", "")[:2]
        if mode == "data":
            type_, name = block.labels[0], block.labels[1]
        return Resource(
            address=inst.prefix + key,
            type=type_,
            name=name,
            module=inst.prefix.rstrip("."),
            mode=mode,
            path=path,
            location=_location(path, block.pos),
            scope=(block.pos.line, max(block.end_line, block.pos.line)),
            values=values,
            locations=locations,
        )

    def block_values(
        self,
        inst: _Instance,
        path: str,
        block: Block,
        keypath: tuple,
        locs: dict | None,
        bindings: dict | None = None,
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        bindings = bindings or {}
        for name, attr in block.attributes.items():
            if not keypath and name in META_ARGS:
                continue
            out[name] = inst.ev.eval(attr.value, bindings)
            if locs is not None:
                locs[(*keypath, name)] = _location(path, attr.pos)
                _element_locations(path, attr.value, (*keypath, name), locs)
        maybe_empty: dict[str, list[int]] = {}
        for child in block.blocks:
            if not keypath and child.type in META_ARGS:
                continue
            block_type, content, inner_bindings = child.type, child, bindings
            if child.type == "dynamic" and child.labels:
                block_type = child.labels[0]
                inner = child.children("content")
                if not inner:
                    continue
                content = inner[0]
                presence, inner_bindings = self._dynamic(inst, child, bindings)
                if presence == "none":
                    continue
                if presence == "maybe":
                    maybe_empty.setdefault(block_type, []).append(len(out.get(block_type) or []))
            items = out.setdefault(block_type, [])
            if not isinstance(items, list):
                continue
            index = len(items)
            if locs is not None:
                locs.setdefault((*keypath, block_type), _location(path, child.pos))
                locs[(*keypath, block_type, index)] = _location(path, child.pos)
            items.append(
                self.block_values(
                    inst, path, content, (*keypath, block_type, index), locs, inner_bindings
                )
            )
        for block_type, indices in maybe_empty.items():
            # ``for_each = cond ? [1] : []``: the blocks exist in one branch only.
            present = out[block_type]
            absent = [b for i, b in enumerate(present) if i not in indices]
            out[block_type] = Branches((present, absent))
        return out

    @staticmethod
    def _dynamic(inst: _Instance, child: Block, bindings: dict) -> tuple[str, dict]:
        """A dynamic block: present / none / maybe (a branch without items); its iterator."""
        iterator = child.labels[0]
        attr = child.attributes.get("iterator")
        if attr is not None and getattr(attr.value, "root", None):
            iterator = attr.value.root
        for_each = child.attributes.get("for_each")
        value = inst.ev.eval(for_each.value, bindings) if for_each is not None else UNKNOWN
        item: Any = {"key": UNKNOWN, "value": UNKNOWN}
        presence = "present"
        if isinstance(value, (list, dict)):
            if not value:
                return "none", bindings
            if len(value) == 1:
                key, val = next(iter(value.items())) if isinstance(value, dict) else (0, value[0])
                item = {"key": key, "value": val}
        elif isinstance(value, Branches) and any(
            isinstance(o, (list, dict)) and not o for o in value.options
        ):
            presence = "maybe"
        return presence, {**bindings, iterator: item}


def _element_locations(path: str, expr: Expr, keypath: tuple, locs: dict) -> None:
    """Locations of literal-keyed object members and tuple items (tags, CIDR lists...)."""
    if isinstance(expr, ObjectExpr):
        for key, value in expr.items:
            k = getattr(key, "value", None)
            if isinstance(k, str):
                pos = Pos(key.pos.line, key.pos.col, value.pos.end_line, value.pos.end_col)
                locs[(*keypath, k)] = _location(path, pos)
                _element_locations(path, value, (*keypath, k), locs)
    elif isinstance(expr, TupleExpr):
        for i, item in enumerate(expr.items):
            locs[(*keypath, i)] = _location(path, item.pos)
            _element_locations(path, item, (*keypath, i), locs)


def build_models(files: Sequence[SourceFile], env: BuildEnv) -> BuildResult:
    """One model per root module directory (HCL), one per plan JSON file."""
    result = BuildResult()
    builder = _Builder(env)
    plans = []
    for source in files:
        if _is_plan(source.path):
            plans.append(source)
        else:
            builder.add_file(source)
    for directory in builder.roots():
        try:
            result.models.append(builder.build_root(directory))
        except RecursionError:
            result.diagnostics.append(
                Diagnostic(
                    directory or ".", "module too deeply nested to evaluate", kind="internal"
                )
            )
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


_LOCAL_SOURCE = re.compile(r'"?\bsource"?\s*[=:]\s*"(\.\.?/[^"]*)"')


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

    for directory, group in by_dir.items():
        for source in group:
            for match in _LOCAL_SOURCE.finditer(source.text):
                target = posixpath.normpath(posixpath.join(directory or ".", match.group(1)))
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
