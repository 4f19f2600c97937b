"""Building the Terraform model from parsed HCL: module instances, values, resources.

``dhlint.models.terraform.build_models`` drives it; rules never import this module. An
``_Instance`` is one module directory evaluated with its inputs (variables from defaults,
tfvars, ``--var-file`` or the caller's arguments); names (``var``, ``local``, ``module``,
resources, data sources) are evaluated lazily, memoised and cycle-safe.
"""

from __future__ import annotations

import itertools
import os
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from dhlint.analysis import BuildEnv
from dhlint.frontends.terraform_ast import (
    Attribute,
    Block,
    Call,
    Expr,
    FileTree,
    Literal,
    ObjectExpr,
    Pos,
    Template,
    Traversal,
    TupleExpr,
)
from dhlint.models.terraform import (
    JSON_MEMBERS,
    META_ARGS,
    TEXT_START,
    Resource,
    TerraformModel,
    environment_root,
    instance_suffix,
    iter_values,
    link_companions,
    policy_document,
)
from dhlint.models.terraform_eval import (
    NEVER_NULL,
    PLACEHOLDER,
    UNKNOWN,
    Branches,
    Computed,
    Evaluator,
    Named,
    Unknown,
    branches,
    lift,
    options,
    partial_text,
    refs_of,
    refs_of_deep,
    to_str,
)
from dhlint.models.terraform_override import is_override_file, merge_overrides
from dhlint.types import Diagnostic, FrontendError, Location, SourceFile

_CHILDREN: dict[type, tuple[str, ...]] = {}  # node type -> the fields that may hold expressions


class VarRefs:
    """The input variables a block names directly (``var.x`` anywhere in it), found when first
    asked: only the resources whose finding wants a value's origin pay for the walk."""

    __slots__ = ("block", "lines")

    def __init__(self, block: Block) -> None:
        self.block: Block = block
        self.lines: dict[str, set[int]] | None = None  # name -> the lines naming it

    def __contains__(self, name: object) -> bool:
        if self.lines is None:
            self.lines = _var_refs(self.block)
        return name in self.lines

    def on_lines(self, first: int, last: int) -> set[str]:
        """The variables named on lines ``first`` to ``last`` (an attribute's)."""
        if self.lines is None:
            self.lines = _var_refs(self.block)
        return {n for n, lines in self.lines.items() if any(first <= x <= last for x in lines)}


def _var_refs(block: Block) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    stack: list[Any] = [*block.attributes.values(), *block.blocks]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is Traversal:
            if node.root == "var" and node.steps and node.steps[0][0] == "attr":
                found.setdefault(node.steps[0][1], set()).add(node.pos.line)
        elif kind is Block:
            stack += [*node.attributes.values(), *node.blocks]
            continue
        if kind is tuple or kind is list:
            stack += node
            continue
        names = _CHILDREN.get(kind)
        if names is None:
            names = _CHILDREN[kind] = _expression_fields(kind)
        if names:
            stack += [getattr(node, f) for f in names]
    return found


# Annotations of the node fields that never hold an expression (``terraform_ast`` uses
# ``from __future__ import annotations``: they are strings): their scalars name no variable.
_SCALAR_FIELDS = frozenset({"Pos", "str", "str | None", "int", "bool"})


def _expression_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node type that may hold an expression (none for a literal, whose value
    is a scalar, nor for a scalar itself): what ``_var_refs`` walks."""
    if kind is Literal:
        return ()
    fields = getattr(kind, "__dataclass_fields__", {})
    return tuple(name for name, spec in fields.items() if spec.type not in _SCALAR_FIELDS)


def _location(path: str, pos: Pos) -> Location:
    return Location(path, max(pos.line, 1), max(pos.col, 1), pos.end_line, pos.end_col)


def _attribute_location(path: str, attr: Attribute) -> Location:
    """``_location(path, attr.pos)`` without making the ``Pos`` in between (one per argument
    of every resource instance)."""
    key, value = attr.key_pos, attr.value.pos
    if not value.line:
        return _location(path, key)
    return Location(path, max(key.line, 1), max(key.col, 1), value.end_line, value.end_col)


@dataclass
class _Module:
    """A parsed module directory."""

    directory: str
    blocks: list[tuple[str, Block]] = field(default_factory=list)  # (file path, block)
    tfvars: list[FileTree] = field(default_factory=list)
    # Blocks of override files, merged into ``blocks`` once the directory is read.
    overrides: list[tuple[str, Block]] = field(default_factory=list)
    # ``of``'s index: (the list of blocks it was made of, its length, type -> blocks)
    _by_type: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def of(self, block_type: str) -> list[tuple[str, Block]]:
        """The module's blocks of this type, in order: from an index by type, made again
        only when the blocks change (asked some ten times for each instance of the module,
        each was a walk over all its blocks)."""
        blocks, entry = self.blocks, self._by_type
        if entry is None or entry[0] is not blocks or entry[1] != len(blocks):
            index: dict[str, list[tuple[str, Block]]] = {}
            for item in blocks:
                index.setdefault(item[1].type, []).append(item)
            entry = self._by_type = (blocks, len(blocks), index)
        return list(entry[2].get(block_type, ()))


class _Instance:
    """A module instance: one module directory evaluated with its inputs."""

    def __init__(
        self,
        builder: Builder,
        module: _Module,
        prefix: str,
        inputs: dict[str, Any],
        stack: tuple[str, ...],
        multiplicity: int = 1,
    ) -> None:
        self.builder, self.module, self.prefix, self.inputs = builder, module, prefix, inputs
        # Where a module call writes each input (its argument in the caller's block).
        self.input_origins: dict[str, Location] = {}
        # And the expression written there, with its file, for a map entry's or list item's
        # own line (a tfvars map passed on through ``x = var.y``, or a literal map argument).
        self.input_attrs: dict[str, tuple[str, Any]] = {}
        self.stack = stack
        # How many instances of this module directory its calls' count/for_each make along
        # the path from the root (module.a["x"].module.b[1]: a's times b's), see MAX_INSTANCES.
        self.multiplicity = multiplicity
        # A reference cycle: see ``Builder.release``.
        self.ev = Evaluator(self._resolve, builder.read_file)
        builder.instances.append(self)
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
        self.children: dict[tuple[str, str], _Instance | None] = {}  # (call, instance suffix)
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

    def resource_attr(self, key: str, attr: str, instance: Instance | None = None) -> Any:
        """An attribute of a resource (or data source) as written, of one of its instances
        when ``instance`` is given (``aws_s3_bucket.feed["taps"].bucket``)."""
        table = self.data if key.startswith("data.") else self.resources
        entry = table.get(key)
        suffix, bindings = instance if instance is not None else ("", None)
        address = self.prefix + key + suffix
        if entry is None:
            return Unknown(frozenset({address}))
        block = entry[1]
        if key.startswith("data.aws_iam_policy_document.") and attr == "json":
            return self._cached(("policy_doc", key), lambda: _policy_doc_json(self, block))
        if key.split(".")[1] in CLOUDINIT_CONFIGS and attr == "rendered":
            return self._cached(
                ("cloudinit", key, suffix),
                lambda: _cloudinit_rendered(self, block, address, bindings),
            )
        if attr not in block.attributes:
            derived = _DERIVED.get((key.split(".")[-2], attr))
            if derived is not None and derived[0] in block.attributes:
                # A bucket's id (url) is its name: known when the name is written.
                name = self.resource_attr(key, derived[0], instance)
                return lift(lambda n: Named(derived[1] + to_str(n), frozenset({address})), name)
            # set by the provider, never null (an id, an arn)
            never_null = ("", attr) in NEVER_NULL or (key.split(".")[-2], attr) in NEVER_NULL
            kind = Computed if never_null else Unknown
            if derived is not None or (key.split(".")[-2], attr) in _NAMES:
                # The bucket's name, not known: a text, which a workload's variable may hold
                # to name the bucket (its arn or region is no name of it).
                prefix = derived[1] if derived else ""
                return kind(frozenset({address}), prefix + PLACEHOLDER)
            return kind(frozenset({address}))
        value = self._cached(
            ("res", key, attr, suffix),
            lambda: self.ev.eval(block.attributes[attr].value, bindings),
        )
        if isinstance(value, Unknown):
            kind = Computed if isinstance(value, Computed) else Unknown
            return kind(value.refs | {address}, value.partial)
        return value

    def instances(self, key: str) -> list[Instance] | None:
        """The instances of a resource (or data source) whose ``count`` or ``for_each`` is
        known to make two or more (see ``instance_bindings``); None for one as written."""
        entry = (self.data if key.startswith("data.") else self.resources).get(key)
        if entry is None:
            return None
        found = self._cached(("instances", key), lambda: instance_bindings(self, entry[1]))
        return found if isinstance(found, list) else None

    def call_instances(self, name: str) -> list[Instance] | None:
        """The instances of a module call whose ``count`` or ``for_each`` is known to make two
        or more, as for a resource (``instance_bindings``), while the instances of its module
        along the path of calls stay within ``MAX_INSTANCES``; None for one call as written."""
        entry = self.calls.get(name)
        if entry is None:
            return None
        found = self._cached(("calls", name), lambda: instance_bindings(self, entry[1]))
        if not isinstance(found, list) or self.multiplicity * len(found) > MAX_INSTANCES:
            return None
        return found

    def child(self, name: str, suffix: str = "") -> _Instance | None:
        """The module a call instantiates: one instance of it (``suffix``: ``[0]``,
        ``["taps"]``, one of ``call_instances``), or the call as written (every instance at
        once, ``each.*`` unknown or one of the known elements)."""
        if (name, suffix) not in self.children:
            found = self.call_instances(name) if suffix else None
            instance = next((i for i in found or () if i[0] == suffix), None)
            self.children[(name, suffix)] = (
                self.builder.instantiate_call(self, name, instance)
                if instance is not None or not suffix
                else None
            )
        return self.children[(name, suffix)]

    def _resolve(self, root: str, steps: tuple, bindings: dict) -> tuple[Any, tuple]:
        first = steps[0][1] if steps and steps[0][0] == "attr" else None
        if root == "var" and first:
            return self.var(first), steps[1:]
        if root == "local" and first:
            return self.local(first), steps[1:]
        if root == "module" and first:
            # module.x["taps"].out, module.x[0].out: that instance's output, when the call has
            # known instances and the index is known; any other index or a splat
            # (module.x[*].out) reads the call as written.
            rest, suffix = steps[1:], ""
            if not rest and self.call_instances(first):
                # module.s3 itself (for_each = module.s3): its instances' outputs by key
                return self._call_object(first), ()
            if rest and rest[0][0] == "index" and self.call_instances(first):
                suffix = instance_suffix(self.ev.eval(rest[0][1], bindings))
                if not any(i[0] == suffix for i in self.call_instances(first) or ()):
                    suffix = ""
                elif len(rest) == 1 or rest[1][0] != "attr":
                    child = self.child(first, suffix)  # module.s3["a"]: that one's outputs
                    if child is not None:
                        return child.outputs_object(), rest[1:]
            while rest and rest[0][0] != "attr":
                rest = rest[1:]
            child = self.child(first, suffix)
            if child is None or not rest:
                return Unknown(frozenset({f"{self.prefix}module.{first}{suffix}"})), ()
            return child.output(rest[0][1]), rest[1:]
        if root == "path" and first:
            return (self.module.directory or ".") if first == "module" else UNKNOWN, steps[1:]
        if root in ("count", "each", "self", "terraform"):
            return UNKNOWN, ()
        if root == "data" and len(steps) >= 2 and first:
            key = f"data.{first}.{steps[1][1]}"
            return self._resource_steps(key, steps[2:], bindings)
        if (first and root in self.builder.known_types) or (first and "_" in root):
            return self._resource_steps(f"{root}.{first}", steps[1:], bindings)
        return UNKNOWN, ()

    def outputs_object(self) -> _Object:
        if not hasattr(self, "_outputs_object"):
            label = f"outputs of {self.prefix.rstrip('.')}"
            self._outputs_object = _Object(self.output, self.outputs, label)
        return self._outputs_object

    def _resource_object(self, key: str) -> Any:
        """A resource with known instances as a value (``for k, b in aws_s3_bucket.feed``):
        each instance's attributes by its ``for_each`` key, or a list by ``count.index``."""
        found = self.instances(key) or []
        table = self.data if key.startswith("data.") else self.resources
        names = tuple(a for a in table[key][1].attributes if a not in META_ARGS)
        pairs = []
        for instance in found:
            suffix, bindings = instance
            label = f"{self.prefix}{key}{suffix}"
            fetch = lambda attr, i=instance: self.resource_attr(key, attr, i)  # noqa: E731
            index = bindings["each"]["key"] if "each" in bindings else bindings["count"]["index"]
            pairs.append((index, _Object(fetch, names, label, open_ended=True)))
        if found and "count" in found[0][1]:
            return [value for _, value in pairs]
        return {to_str(index): value for index, value in sorted(pairs, key=_key)}

    def _call_object(self, name: str) -> Any:
        """A module call with known instances as a value: a map of each instance's outputs
        by its ``for_each`` key, or a list by ``count.index``, as Terraform gives it."""
        found = self.call_instances(name) or []
        pairs = []
        for suffix, bindings in found:
            child = self.child(name, suffix)
            if child is None:
                return Unknown(frozenset({f"{self.prefix}module.{name}"}))
            key = bindings["each"]["key"] if "each" in bindings else bindings["count"]["index"]
            pairs.append((key, child.outputs_object()))
        if found and "count" in found[0][1]:
            return [outputs for _, outputs in pairs]
        return {to_str(key): outputs for key, outputs in sorted(pairs, key=_key)}

    def _resource_steps(self, key: str, rest: tuple, bindings: dict) -> tuple[Any, tuple]:
        # aws_s3_bucket.feed[each.key].id: the instance, when the index is known; any other
        # index or a splat (aws_s3_bucket.x[*].id) reads the resource as written.
        instance = None
        if rest and rest[0][0] == "index":
            found = self.instances(key)
            if found:
                suffix = instance_suffix(self.ev.eval(rest[0][1], bindings))
                instance = next((i for i in found if i[0] == suffix), None)
        elif not rest and self.instances(key):
            return self._resource_object(key), ()  # for k, b in aws_s3_bucket.feed : ...
        while rest and rest[0][0] != "attr":
            rest = rest[1:]
        if not rest:
            suffix = instance[0] if instance is not None else ""
            return Unknown(frozenset({self.prefix + key + suffix})), ()
        return self.resource_attr(key, rest[0][1], instance), rest[1:]


def _key(pair: tuple) -> str:
    """Instances of a ``for_each`` as Terraform iterates them: by key."""
    return to_str(pair[0])


class _Object(dict):
    """A module instance's outputs or a resource instance's attributes as an object value
    (``each.value.id`` with ``for_each = module.s3``, ``b.id`` in ``for k, b in
    aws_s3_bucket.feed``), each evaluated when first read, so that nothing is computed (or
    meets a reference cycle) unless used. ``names`` are those listed by ``keys()``; ``fetch``
    may answer others too (a resource's computed ``arn``). Equal only to itself: two
    instances' objects are two values even before any is read. Pickled as a plain dict of what
    was read."""

    def __init__(self, fetch: Any, names: Any, label: str, open_ended: bool = False) -> None:
        super().__init__()
        self._fetch, self._names, self._label = fetch, names, label
        self._open = open_ended

    def get(self, key: Any, default: Any = None) -> Any:
        if not dict.__contains__(self, key):
            if key not in self:
                return default
            dict.__setitem__(self, key, self._fetch(key))
        return dict.__getitem__(self, key)

    def __getitem__(self, key: Any) -> Any:
        if key not in self:
            raise KeyError(key)
        return self.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._names or (self._open and isinstance(key, str))

    def _read_all(self) -> None:
        for name in self._names:
            self.get(name)

    def keys(self):  # type: ignore[override]
        self._read_all()
        return dict.keys(self)

    def values(self):  # type: ignore[override]
        self._read_all()
        return dict.values(self)

    def items(self):  # type: ignore[override]
        self._read_all()
        return dict.items(self)

    def __iter__(self):
        self._read_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        return len(self._names)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<{self._label}>"

    def __reduce__(self):
        return (dict, (dict(dict.items(self)),))


MAX_INSTANCES = 32
# (type, attribute the provider computes) -> (the argument it is made of, a prefix): a bucket's
# id is its name (S3, GCS), a GCS bucket's url is gs:// and its name. Not arn or self_link: a
# policy's resources stay as they were judged.
_DERIVED: dict[tuple[str, str], tuple[str, str]] = {
    ("aws_s3_bucket", "id"): ("bucket", ""),
    ("google_storage_bucket", "id"): ("name", ""),
    ("google_storage_bucket", "url"): ("name", "gs://"),
}
# ... and the arguments that are the bucket's name itself.
_NAMES = frozenset({("aws_s3_bucket", "bucket"), ("google_storage_bucket", "name")})
MAX_READ_BYTES = 256 * 1024  # a template or a file() a configuration reads
Instance = tuple[str, dict]  # (address suffix: [0] or ["key"], the bindings of count/each)


def instance_bindings(inst: _Instance, block: Block) -> list[Instance] | None:
    """The instances of a resource (or module call) whose ``count`` or ``for_each`` is known
    and makes two to ``MAX_INSTANCES`` of them: each is judged with its own ``count.index`` or
    ``each``, so its values stay together (a class tag and a retention of the same instance)
    and a reference ``aws_s3_bucket.feed[each.key]`` reaches that instance only. One instance,
    or an unknown collection, is the resource as written (``each_binding``)."""
    count = block.attributes.get("count")
    if count is not None:
        n = inst.ev.eval(count.value)
        if isinstance(n, int) and not isinstance(n, bool) and 2 <= n <= MAX_INSTANCES:
            return [(f"[{i}]", {"count": {"index": i}}) for i in range(n)]
        return None
    attr = block.attributes.get("for_each")
    if attr is None:
        return None
    value = inst.ev.eval(attr.value)
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        pairs = [(v, v) for v in dict.fromkeys(value)]  # a set of strings: key and value
    else:
        return None
    if not 2 <= len(pairs) <= MAX_INSTANCES:
        return None
    return [(instance_suffix(k), {"each": {"key": k, "value": v}}) for k, v in pairs]


def each_binding(inst: _Instance, block: Block) -> dict[str, Any]:
    """``count.index`` (one of ``range(count)`` when the count is known) and
    ``each.key``/``each.value`` of a ``for_each`` block: one of the known elements (a
    ``Branches``: every instance is judged), or unknown carrying the collection's references
    (so ``bucket = each.value`` over ``[aws_s3_bucket.a.id, ...]`` still links)."""
    count = block.attributes.get("count")
    if count is not None:
        n = inst.ev.eval(count.value)
        if isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_INSTANCES:
            return {"count": {"index": branches(list(range(n)))}}
        return {}
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


def _document_statements(inst, block, arg: str) -> tuple[list, bool]:
    """The statements of the policy documents listed in ``arg``, and whether any is unknown."""
    attr = block.attributes.get(arg)
    if attr is None:
        return [], False
    statements: list = []
    unknown = False
    docs = inst.ev.eval(attr.value)
    for doc in docs if isinstance(docs, list) else [docs]:
        parsed = policy_document(doc)
        if parsed is None:
            unknown = True
            continue
        found = parsed.get("Statement", [])
        statements += found if isinstance(found, list) else [found]
    return statements, unknown


def _dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


# Data sources that assemble cloud-init user data from ``part`` blocks (the template
# provider's is the older name of the cloudinit provider's).
CLOUDINIT_CONFIGS = frozenset({"cloudinit_config", "template_cloudinit_config"})


def _cloudinit_rendered(
    inst: _Instance, block: Block, address: str, bindings: dict | None
) -> Unknown:
    """``data.cloudinit_config.x.rendered``: a MIME document of its parts, gzipped and base64
    encoded by default, which is not computed (unknown); the parts' text is kept apart
    (``untaken``), as an encoding function keeps its input's, so DH703 reads a script part."""
    values = inst.builder.block_values(inst, "", block, (), None, bindings)
    texts: list[str] = []
    for part in _dicts(values.get("part")):
        for content in options(part.get("content")):
            texts += [t for t in (partial_text(content), getattr(content, "untaken", "")) if t]
    return Unknown(frozenset({address}), None, "\n".join(texts))


def _policy_doc_json(inst: _Instance, block: Block) -> Any:
    """``data.aws_iam_policy_document.x.json`` built from its statement blocks, after the
    statements of ``source_policy_documents`` (``override_policy_documents`` are appended)."""
    from dhlint.models.terraform_eval import FUNCTIONS

    statements, unknown = _document_statements(inst, block, "source_policy_documents")
    for st in block.children("statement"):
        values = inst.builder.block_values(inst, "", st, (), None)
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
    overrides, unknown_override = _document_statements(inst, block, "override_policy_documents")
    statements += overrides
    unknown = unknown or unknown_override
    encoded = FUNCTIONS["jsonencode"]({"Version": "2012-10-17", "Statement": statements})
    if unknown:  # part of the document is not known: rules cannot judge it as a whole
        return Unknown(refs_of(encoded))
    return encoded


class Builder:
    def __init__(self, env: BuildEnv) -> None:
        self.env = env
        self.modules: dict[str, _Module] = {}
        self.diagnostics: list[Diagnostic] = []
        self.known_types: set[str] = set()
        self.model: TerraformModel | None = None
        self.extra_inputs: list[str] = []  # files read from disk beyond the given ones
        self.instances: list[_Instance] = []
        self.root_directory = ""  # of the root module being built: relative paths start there
        # Where the root module's variables got their values: name -> the tfvars attribute
        # (its location, and its file and expression, for the entries' own lines).
        self.root_origins: dict[str, Location] = {}
        self.root_attrs: dict[str, tuple[str, Any]] = {}

    def release(self) -> None:
        """Break the module instances' reference cycles (an instance's evaluator calls back
        into it; a child's inputs are closures over its parent), so that the parsed files go
        when the build is over, not at the cyclic collector's next pass."""
        for inst in self.instances:
            del inst.ev
            inst.inputs, inst.children, inst._memo = {}, {}, {}
        self.instances.clear()

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
        into = module.overrides if is_override_file(source.path) else module.blocks
        for block in tree.blocks:
            into.append((source.path, block))
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
        self.apply_overrides()
        return self.modules[directory]

    def apply_overrides(self) -> None:
        """Merge each module's override files into its blocks (once all its files are in)."""
        for module in self.modules.values():
            if module.overrides:
                module.blocks, found = merge_overrides(module.blocks, module.overrides)
                module.overrides = []
                self.diagnostics.extend(found)

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
        configured = {d for d, m in self.modules.items() if m.blocks}
        return sorted(
            d for d in has_config if d not in called and environment_root(d, configured) is None
        )

    def environments(self, directory: str, module: _Module) -> list[FileTree]:
        """The given tfvars files that are another environment's values for the root module
        in ``directory`` (a run checks them as ``--var-file`` would: ``build_root``): those of
        its directory that Terraform does not load by itself (``prod.tfvars``), and those of a
        directory up to two levels below it holding no configuration (``env/prod.tfvars``,
        ``envs/prod/terraform.tfvars``) that set one of its variables. None when the run
        names its environment (``--var-file``) or reads only names."""
        if self.env.var_files or not self.env.options.get("terraform_environments", True):
            return []
        configured = {d for d, m in self.modules.items() if m.blocks}
        found = [t for t in module.tfvars if not _auto_loaded(t.path)]
        for below, other in sorted(self.modules.items()):
            if other.tfvars and environment_root(below, configured) == directory:
                found += sorted(other.tfvars, key=lambda t: t.path)
        declared = {b.labels[0] for _, b in module.of("variable") if b.labels}
        return [t for t in found if declared.intersection(t.attributes)]

    def instantiate_call(
        self, parent: _Instance, name: str, instance: Instance | None = None
    ) -> _Instance | None:
        """The module a call of ``parent`` instantiates: the instance ``instance`` (its
        address suffix and ``count``/``each`` bindings) or, without one, the call as
        written."""
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
        origins: dict[str, Location] = {}
        attrs: dict[str, tuple[str, Any]] = {}
        suffix, bindings = instance if instance is not None else ("", None)
        if bindings is None:
            bindings = each_binding(parent, entry[1])
        for arg, attr in entry[1].attributes.items():
            if arg in ("source", "version", "providers", *META_ARGS):
                continue
            inputs[arg] = lambda a=attr, b=bindings: parent.ev.eval(a.value, b)
            # ``x = var.y`` passes the caller's variable on: point where that one is written.
            passed = attr.value
            origin = written = None
            if type(passed) is Traversal and passed.root == "var" and len(passed.steps) == 1:
                origin = self.variable_origin(parent, passed.steps[0][1])
                written = self.variable_written(parent, passed.steps[0][1])
            elif type(passed) is Traversal and passed.root in ("var", "each"):
                found = self.passed_entry(parent, entry[1], passed, bindings)
                if found is not None:
                    origin, written = found
            origins[arg] = origin or _location(attr.path or entry[0], attr.pos)
            if origin is None:
                written = (attr.path or entry[0], attr.value)
            if written is not None:
                attrs[arg] = written
        prefix = f"{parent.prefix}module.{name}{suffix}."
        found = parent.call_instances(name) if instance is not None else None
        multiplicity = parent.multiplicity * (len(found) if found else 1)
        child = _Instance(self, module, prefix, inputs, (*parent.stack, target), multiplicity)
        child.input_origins = origins
        child.input_attrs = attrs
        return child

    def variable_origin(
        self, inst: _Instance, name: str, entry: tuple[str, Block] | None = None
    ) -> Location | None:
        """Where an input variable's value is written: a tfvars line (root module), the module
        call's argument (a child module), else its default (that of ``entry``, the block
        being collected, when given)."""
        if not inst.prefix and name in self.root_origins:
            return self.root_origins[name]
        if name in inst.inputs:
            return inst.input_origins.get(name)
        entry = entry or inst.variables.get(name)
        default = entry[1].attributes.get("default") if entry is not None else None
        return _location(default.path or entry[0], default.pos) if default is not None else None

    def passed_entry(
        self, inst: _Instance, call: Block, expr: Traversal, bindings: dict | None
    ) -> tuple[Location, tuple[str, Any]] | None:
        """``x = var.m[each.key]``, ``var.m["curated"]``, ``var.m.curated`` (or ``each.value``
        of ``for_each = var.m``) in a module call: where that entry of the caller's variable
        is written (a tfvars map's member, or its default's) and its expression, when the
        keys are known; else None (the call's argument is where it is written)."""
        steps = expr.steps
        if expr.root == "each":
            # each.value of ``for_each = var.m``: the entry var.m[each.key]
            over = call.attributes.get("for_each")
            each = (bindings or {}).get("each")
            if not steps or steps[0] != ("attr", "value") or over is None or each is None:
                return None
            if type(over.value) is not Traversal or over.value.root != "var":
                return None
            if not isinstance(each.get("key"), str):
                return None
            steps = (*over.value.steps, ("key", each["key"]), *steps[1:])
        if not steps or steps[0][0] != "attr" or len(steps) < 2:
            return None
        written = self.variable_written(inst, steps[0][1])
        if written is None:
            declared = inst.variables.get(steps[0][1])
            default = declared[1].attributes.get("default") if declared is not None else None
            if default is None:
                return None
            written = (default.path or declared[0], default.value)
        path, node = written
        origin = None
        for kind, step in steps[1:]:
            if kind == "index":
                key = inst.ev.eval(step, bindings)
            elif kind in ("attr", "key"):
                key = step
            else:
                return None
            if isinstance(node, ObjectExpr) and isinstance(key, str):
                member = [(k, v) for k, v in node.items if getattr(k, "value", None) == key]
                if not member:
                    return None
                name, node = member[-1]
                pos = Pos(name.pos.line, name.pos.col, node.pos.end_line, node.pos.end_col)
            elif isinstance(node, TupleExpr) and type(key) is int and 0 <= key < len(node.items):
                node = node.items[key]
                pos = node.pos
            else:
                return None
            origin = _location(path, pos)
        return (origin, (path, node)) if origin is not None else None

    def variable_written(self, inst: _Instance, name: str) -> tuple[str, Any] | None:
        """The file and expression an input variable's value is written as, when it is set
        elsewhere than its default (a tfvars attribute, a module call's argument)."""
        if not inst.prefix and name in self.root_attrs:
            return self.root_attrs[name]
        if name in inst.inputs:
            return inst.input_attrs.get(name)
        return None

    def root_inputs(self, module: _Module, extra: Sequence[FileTree] = ()) -> dict[str, Any]:
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
        trees += extra
        self.root_origins, self.root_attrs = {}, {}
        for tree in trees:
            for name, attr in tree.attributes.items():
                values[name] = plain.eval(attr.value)
                self.root_origins[name] = _location(tree.path, attr.pos)
                self.root_attrs[name] = (tree.path, attr.value)
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
    def read_file(self, path: str) -> str | None:
        """A file a configuration reads (``file``, ``templatefile``): a path as Terraform
        resolves it, from the root module's directory (``path.module`` is already relative to
        the scanned tree, so it is tried from there too). Only regular files inside the tree
        that no ``.gitignore`` ignores (a developer's key file kept out of the repository holds
        nothing committed: unknown, as where it is absent, probe36 #7; kustomize's generators
        read so too), up to ``MAX_READ_BYTES``; never executed. Recorded for the result cache."""
        root = os.path.realpath(self.env.root)
        for base in (self.root_directory, ""):
            candidate = os.path.realpath(os.path.join(root, base, path))
            if os.path.commonpath([root, candidate]) != root or not os.path.isfile(candidate):
                continue
            if self._git_ignored(root, candidate):
                return None
            try:
                if os.path.getsize(candidate) > MAX_READ_BYTES:
                    return None
                with open(candidate, encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError):
                return None
            self.extra_inputs.append(candidate)
            return text
        return None

    def _git_ignored(self, root: str, candidate: str) -> bool:
        from pathlib import Path

        from dhlint.discovery import _Ignorer

        if getattr(self, "_file_ignorer", None) is None:
            self._file_ignorer = _Ignorer(Path(root), ())
        return self._file_ignorer.ignored(Path(candidate), False)

    def build_root(self, directory: str, var_file: FileTree | None = None) -> TerraformModel:
        """The root module in ``directory``, with the tfvars Terraform loads; with
        ``var_file`` (one of ``environments``), also with that file, as ``-var-file`` gives it:
        a model whose findings count only when that file gives their value (``var_file``)."""
        self.root_directory = directory
        module = self.modules[directory]
        inputs = self.root_inputs(module, [var_file] if var_file is not None else [])
        declared = {b.labels[0] for _, b in module.of("variable") if b.labels}
        inputs = {k: v for k, v in inputs.items() if k in declared}
        model = TerraformModel(directory=directory)
        root = _Instance(self, module, "", inputs, (directory,))
        self.collect(root, model)
        link_companions(model)
        if var_file is not None:
            model.var_file = var_file.path
        else:
            model.other_names = self.other_names(directory, module, model, root)
        return model

    def other_names(
        self, directory: str, module: _Module, model: TerraformModel, root: _Instance
    ) -> list:
        """The names the module's named resources (``own_hosts.NAMED_TYPES``) would have with
        its other environments' variables: each ``*.tfvars`` of its directory that Terraform
        does not load by itself (``prod.tfvars``), or of a directory below it holding no
        configuration (``env/dev.tfvars``, ``envs/dev/terraform.tfvars``), with the loaded
        ones (and the loaded ones alone, when ``--var-file`` was given), so that a per-env
        host (``"kcmob${var.env}-trips-pg"``) is the city's own in every environment. Only
        names written with a variable part are evaluated again, only when such a file exists
        and a name may come from the root's variables (one not known, or holding the text of
        one of their values). ``(type, name, address, location)``, lower case, not those the
        model has."""
        from dhlint.inventory.own_hosts import NAMED_TYPES

        if not any(_named_by_variable(b, NAMED_TYPES) for _, b in self.resource_blocks()):
            return []
        named = [_names(r, NAMED_TYPES) for r in model.resources if r.type in NAMED_TYPES]
        if not named:
            return []
        if all(named):  # all known: one holding the text of a root variable's value
            texts = {
                v.strip().lower()
                for _, b in module.of("variable")
                if b.labels
                for v in itertools.islice(iter_values(root.var(b.labels[0])), 64)
                if isinstance(v, str) and len(v.strip()) >= 2
            }
            if not any(t in x for n in named for x in n for t in texts):
                return []
        others = self.other_var_files(directory, module)
        if not others and not self.env.var_files:
            return []
        loaded = sorted(
            (t for t in module.tfvars if _auto_loaded(t.path)),
            key=lambda t: (not posixpath.basename(t.path).startswith("terraform.tfvars"), t.path),
        )
        configs = [[*loaded, t] for t in others]
        if self.env.var_files:
            configs.insert(0, loaded)
        declared = {b.labels[0] for _, b in module.of("variable") if b.labels}
        plain = Evaluator(lambda root, steps, b: (UNKNOWN, ()))
        have = {(r.type, n) for r in model.resources for n in _names(r, NAMED_TYPES)}
        out: dict[tuple[str, str], tuple] = {}
        for trees in configs:
            inputs = {
                name: plain.eval(attr.value)
                for tree in trees
                for name, attr in tree.attributes.items()
                if name in declared
            }
            inst = _Instance(self, module, "", inputs, (directory,))
            for type_, name, address, location in self.names_of(inst, NAMED_TYPES):
                if (type_, name) not in have:
                    out.setdefault((type_, name), (type_, name, address, location))
        return list(out.values())

    def names_of(self, inst: _Instance, named: dict[str, str]) -> list[tuple]:
        """The known names of an instance's named resources written with a variable part, and
        of its module calls' (as ``collect`` makes their instances)."""
        found: list[tuple] = []
        for key, (path, block) in inst.resources.items():
            if not _named_by_variable(block, named):
                continue
            written = block.attributes[named[block.labels[0]]]
            if self.instance_count_zero(inst, block):
                continue
            for suffix, bindings in inst.instances(key) or [("", None)]:
                if bindings is None:
                    bindings = each_binding(inst, block)
                for value in options(inst.ev.eval(written.value, bindings)):
                    if isinstance(value, str) and value.strip() and "${" not in value:
                        name = value.strip().lower().rstrip(".")
                        where = _location(path, block.pos)
                        found.append((key.split(".")[0], name, inst.prefix + key + suffix, where))
        for _, child in self.called_instances(inst):
            found += self.names_of(child, named)
        return found

    def ignored(self, path: str) -> bool:
        """A file the run's discovery would not read (``.gitignore``, the policy's
        ``exclude``): a developer's untracked tfvars names nothing."""
        from pathlib import Path

        from dhlint.discovery import _Ignorer

        if not hasattr(self, "_ignorer"):
            exclude = self.env.policy.settings.get("exclude", ())
            self._ignorer = _Ignorer(Path(self.env.root), exclude)
        return self._ignorer.ignored(Path(path), False)

    def resource_blocks(self) -> list[tuple[str, Block]]:
        return [e for m in self.modules.values() for e in m.of("resource")]

    def other_var_files(self, directory: str, module: _Module) -> list[FileTree]:
        """The root module's tfvars files a run does not load (see ``other_names``) that set
        one of its variables: its own, and those of the directories below it (two levels)
        that hold no configuration, read from disk (recorded for the result cache)."""
        from dhlint.frontends.terraform import parse_file

        given = {os.path.realpath(p) for p in self.env.var_files}
        root = self.env.root

        def loaded(path: str) -> bool:  # a --var-file
            return bool(given) and os.path.realpath(path) in given

        found = [
            t
            for t in module.tfvars
            if not _auto_loaded(t.path) and not loaded(os.path.join(root, t.path))
        ]
        declared = {b.labels[0] for _, b in module.of("variable") if b.labels}
        todo = [(os.path.normpath(os.path.join(root, directory)), directory, 0)]
        while todo:
            absdir, rel, depth = todo.pop(0)
            try:
                with os.scandir(absdir) as listing:
                    entries = list(listing)
            except OSError:
                continue
            self.extra_inputs.append(absdir)  # a tfvars file added here changes the result
            names = [e.name for e in entries if e.is_file()]
            if depth and any(n.endswith((".tf", ".tf.json")) for n in names):
                continue  # another module: its tfvars are its own
            if depth:
                for name in sorted(names):
                    if not name.endswith((".tfvars", ".tfvars.json")):
                        continue
                    path = os.path.join(absdir, name)
                    if loaded(path) or self.ignored(path):
                        continue
                    try:
                        if os.path.getsize(path) > MAX_READ_BYTES:
                            continue
                        with open(path, encoding="utf-8") as handle:
                            tree = parse_file(posixpath.join(rel, name), handle.read())
                    except (OSError, UnicodeDecodeError, FrontendError):
                        continue
                    self.extra_inputs.append(path)
                    found.append(tree)
            if depth < 2:
                todo += [
                    (e.path, posixpath.join(rel, e.name) if rel else e.name, depth + 1)
                    for e in sorted(entries, key=_entry_name)
                    if e.is_dir(follow_symlinks=False)
                    and not e.name.startswith(".")
                    and e.name not in ("node_modules", "venv")
                ]
        return [t for t in found if declared.intersection(t.attributes)]

    def collect(
        self, inst: _Instance, model: TerraformModel, inherited: dict | None = None
    ) -> None:
        # The default_tags of each aws provider configuration the module can use, by alias (""
        # the default): its own provider blocks, or those its caller passed it.
        default_tags = {**(inherited or {}), **self.provider_default_tags(inst)}
        for path, block in inst.module.of("provider"):
            if not block.labels:
                continue
            res = self.make_resource(inst, path, block, "provider", f"provider.{block.labels[0]}")
            res.type = block.labels[0]
            model.providers.append(res)
        for path, block in inst.module.of("terraform"):
            model.provider_constraints += self.provider_constraints(inst, path, block)
        for path, block in inst.module.of("variable"):
            if block.labels:
                res = self.make_resource(inst, path, block, "variable", f"var.{block.labels[0]}")
                name = block.labels[0]
                res.values = {"default": inst.var(name)}
                origin = self.variable_origin(inst, name, (path, block))
                res.locations.pop(("default",), None)
                if origin is not None:
                    res.locations[("default",)] = origin
                tfvars = self.variable_written(inst, name)
                if tfvars is not None or name in inst.inputs:
                    # Set elsewhere: the default's entries are not the value's; a tfvars
                    # map's or list's are (a related location names the entry's line).
                    for keypath in [k for k in res.locations if k[:1] == ("default",)]:
                        if len(keypath) > 1:
                            del res.locations[keypath]
                    if tfvars is not None:
                        _element_locations(tfvars[0], tfvars[1], ("default",), res.locations)
                model.variables.append(res)
        for mode, table in (("managed", inst.resources), ("data", inst.data)):
            for key, (path, block) in table.items():
                if self.instance_count_zero(inst, block):
                    continue
                found = inst.instances(key)
                for suffix, bindings in found or [("", None)]:
                    res = self.make_resource(inst, path, block, mode, key + suffix, bindings)
                    if mode == "managed":
                        if res.type.startswith("aws_"):
                            alias = _aws_alias(block.attributes.get("provider"))
                            res.default_tags = dict(default_tags.get(alias, {}))
                        model.resources.append(res)
                    else:
                        model.data_sources.append(res)
        for block, child in self.called_instances(inst):
            self.collect(child, model, _passed_providers(block, default_tags))

    def called_instances(self, inst: _Instance) -> Iterator[tuple[Block, _Instance]]:
        """Each known instance of each module the instance calls, with its call's block: each
        is a module instance with its own inputs (a call with count = 0 has none)."""
        for name, (_, block) in inst.calls.items():
            if self.instance_count_zero(inst, block):
                continue
            for suffix, _ in inst.call_instances(name) or [("", None)]:
                child = inst.child(name, suffix)
                if child is not None:
                    yield block, child

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

    def provider_constraints(
        self, inst: _Instance, path: str, block: Block
    ) -> list[tuple[str, str, Location]]:
        """(source, version constraint, location) of each provider a ``terraform`` block's
        ``required_providers`` gives a version (``azurerm = { source, version }``, or the
        0.12 form ``azurerm = "~> 3.0"``); a source without a namespace is ``hashicorp``'s."""
        found = []
        for required in block.children("required_providers"):
            for name, attr in required.attributes.items():
                value = inst.ev.eval(attr.value)
                source: Any = name
                if isinstance(value, dict):
                    source, value = value.get("source", name), value.get("version")
                if not isinstance(value, str) or not isinstance(source, str):
                    continue
                source = source.lower().removeprefix("registry.terraform.io/")
                if "/" not in source:
                    source = "hashicorp/" + source
                found.append((source, value, _attribute_location(path, attr)))
        return found

    def provider_default_tags(self, inst: _Instance) -> dict[str, dict[str, Any]]:
        """The module's own aws provider configurations: alias ("" the default) -> tags."""
        tags: dict[str, dict[str, Any]] = {}
        for _, block in inst.module.of("provider"):
            if block.labels[:1] != ("aws",):
                continue
            alias_attr = block.attributes.get("alias")
            alias = inst.ev.eval(alias_attr.value) if alias_attr else ""
            if not isinstance(alias, str):
                continue
            found = tags.setdefault(alias, {})
            for dt in block.children("default_tags"):
                attr = dt.attributes.get("tags")
                value = inst.ev.eval(attr.value) if attr else None
                if isinstance(value, dict):
                    found.update(value)
        return tags

    def make_resource(
        self,
        inst: _Instance,
        path: str,
        block: Block,
        mode: str,
        key: str,
        bindings: dict | None = None,
    ) -> Resource:
        """The resource ``block`` as one instance (``bindings``: its ``count``/``each``), or
        as written, every instance at once (``each_binding``)."""
        if bindings is None:
            bindings = each_binding(inst, block) if mode != "provider" else {}
        todo: list[tuple] = []  # its locations, made when first read (_made_locations)
        values = self.block_values(inst, path, block, (), todo, bindings)
        type_, name = (*block.labels, "", "")[:2]
        if mode == "data":
            type_, name = block.labels[0], block.labels[1]
        res = Resource(
            variables=VarRefs(block),
            address=inst.prefix + key,
            type=type_,
            name=name,
            module=inst.prefix.rstrip("."),
            mode=mode,
            path=path,
            location=_location(path, block.pos),
            scope=(block.pos.line, max(block.end_line, block.pos.line)),
            values=values,
            override_scopes=block.merged,
        )
        res.defer_locations(partial(_made_locations, todo))
        return res

    def block_values(
        self,
        inst: _Instance,
        path: str,
        block: Block,
        keypath: tuple,
        locs: list | None,
        bindings: dict | None = None,
    ) -> dict[str, Any]:
        """The block's values; ``locs``, when given, gets what ``_made_locations`` makes its
        values' locations of (most resources have no finding, whose location is all that is
        read of them: making them all was some 5% of a run on bench/corpus/terraform)."""
        out: dict[str, Any] = {}
        bindings = bindings or {}
        for name, attr in block.attributes.items():
            if not keypath and name in META_ARGS:
                continue
            out[name] = inst.ev.eval(attr.value, bindings)
            if locs is not None:
                locs.append((attr.path or path, keypath, name, attr))  # an override file's own
        maybe_empty: dict[str, list[int]] = {}
        for child in block.blocks:
            if not keypath and child.type in META_ARGS:
                continue
            block_type, content, each = child.type, child, [bindings]
            child_path = child.path or path
            if child.type == "dynamic" and child.labels:
                block_type = child.labels[0]
                inner = child.children("content")
                if not inner:
                    continue
                content = inner[0]
                presence, each = self._dynamic(inst, child, bindings)
                if presence == "none":
                    continue
                if presence == "maybe":
                    maybe_empty.setdefault(block_type, []).append(len(out.get(block_type) or []))
            items = out.setdefault(block_type, [])
            if not isinstance(items, list):
                continue
            for inner_bindings in each:  # a dynamic block over known items: one per item
                index = len(items)
                if locs is not None:
                    locs.append((child_path, keypath, block_type, index, child.pos))
                items.append(
                    self.block_values(
                        inst,
                        child_path,
                        content,
                        (*keypath, block_type, index),
                        locs,
                        inner_bindings,
                    )
                )
        for block_type, indices in maybe_empty.items():
            # ``for_each = cond ? [1] : []``: the blocks exist in one branch only.
            present = out[block_type]
            absent = [b for i, b in enumerate(present) if i not in indices]
            out[block_type] = Branches((present, absent))
        return out

    @staticmethod
    def _dynamic(inst: _Instance, child: Block, bindings: dict) -> tuple[str, list[dict]]:
        """A dynamic block: present / none / maybe (a branch without items); the bindings of
        its iterator, one per item when they are known (a few), else one unknown item."""
        iterator = child.labels[0]
        attr = child.attributes.get("iterator")
        if attr is not None and getattr(attr.value, "root", None):
            iterator = attr.value.root
        for_each = child.attributes.get("for_each")
        value = inst.ev.eval(for_each.value, bindings) if for_each is not None else UNKNOWN
        items: list[Any] = [{"key": UNKNOWN, "value": UNKNOWN}]
        presence = "present"
        if isinstance(value, (list, dict)):
            if not value:
                return "none", [bindings]
            if len(value) <= _MAX_DYNAMIC_ITEMS:
                pairs = value.items() if isinstance(value, dict) else enumerate(value)
                items = [{"key": key, "value": val} for key, val in pairs]
        elif isinstance(value, Branches) and any(
            isinstance(o, (list, dict)) and not o for o in value.options
        ):
            presence = "maybe"
        return presence, [{**bindings, iterator: item} for item in items]


_MAX_DYNAMIC_ITEMS = 32  # beyond, one block with an unknown item stands for them all


def _entry_name(entry: os.DirEntry) -> str:
    return entry.name


def _auto_loaded(path: str) -> bool:
    """A tfvars file Terraform loads by itself (``terraform.tfvars``, ``*.auto.tfvars``)."""
    base = posixpath.basename(path)
    return base.startswith("terraform.tfvars") or ".auto.tfvars" in base


def _named_by_variable(block: Block, named: dict[str, str]) -> bool:
    """A resource of ``named``'s types whose name attribute is not a literal."""
    attr = named.get(block.labels[0]) if len(block.labels) >= 2 else None
    written = block.attributes.get(attr) if attr else None
    return written is not None and not isinstance(written.value, Literal)


def _names(res: Resource, named: dict[str, str]) -> list[str]:
    attr = named.get(res.type)
    value = res.values.get(attr) if attr else None
    return [
        v.strip().lower().rstrip(".")
        for v in options(value)
        if isinstance(v, str) and v.strip() and "${" not in v
    ]


def _made_locations(todo: list[tuple], first: Any = None) -> dict[tuple, Location]:
    """A resource's ``locations`` from what ``block_values`` noted, in the order it did: an
    argument's (the whole argument, then its literal-keyed members and items) and a nested
    block's header (for the block type, its first; and for each block). With ``first``, only
    those under that top-level name (the same, as no other item makes a key starting so)."""
    locs: dict[tuple, Location] = {}
    for item in todo:
        # item[1] is the key path of the block holding it, item[2] its name in that block
        if first is not None and (item[1][0] if item[1] else item[2]) != first:
            continue
        if len(item) == 4:
            where, keypath, name, attr = item
            locs[(*keypath, name)] = _attribute_location(where, attr)
            _element_locations(where, attr.value, (*keypath, name), locs)
        else:
            where, keypath, block_type, index, pos = item
            header = _location(where, pos)
            locs.setdefault((*keypath, block_type), header)
            locs[(*keypath, block_type, index)] = header
    return locs


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
    elif isinstance(expr, Call) and expr.name == "jsonencode" and len(expr.args) == 1:
        _element_locations(path, expr.args[0], (*keypath, JSON_MEMBERS), locs)
    elif isinstance(expr, (Literal, Template)) and expr.pos.end_line > expr.pos.line:
        # Only a heredoc spans lines; its text starts on the line after ``<<EOT``.
        line = expr.pos.line + 1
        locs[(*keypath, TEXT_START)] = Location(path, line, 1, line, 1)


def _aws_alias(attr: Any) -> str:
    """The alias of the aws provider configuration a ``provider`` meta-argument names
    (``provider = aws.dr``: "dr"); "" for the default one (no argument, or another provider)."""
    ref = _provider_ref(attr.value) if attr is not None else None
    return ref[1] if ref and ref[0] == "aws" else ""


def _provider_ref(expr: Expr) -> tuple[str, str] | None:
    """``aws`` or ``aws.dr`` as (provider, alias), written as a reference or a string key."""
    if isinstance(expr, Traversal) and len(expr.steps) <= 1:
        if not expr.steps:
            return expr.root, ""
        kind, name = expr.steps[0]
        return (expr.root, name) if kind == "attr" else None
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        provider, _, alias = expr.value.partition(".")
        return provider, alias
    return None


def _passed_providers(call: Block, tags: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The aws provider configurations a module call passes: those its ``providers`` map names
    (``providers = { aws = aws.dr }``), or, without one, the caller's default only (as
    Terraform does)."""
    attr = call.attributes.get("providers")
    if attr is None or not isinstance(attr.value, ObjectExpr):
        return {"": tags[""]} if "" in tags else {}
    passed: dict[str, dict[str, Any]] = {}
    for key, value in attr.value.items:
        inner, outer = _provider_ref(key), _provider_ref(value)
        if inner and outer and inner[0] == outer[0] == "aws" and outer[1] in tags:
            passed[inner[1]] = tags[outer[1]]
    return passed
