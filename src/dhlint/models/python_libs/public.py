"""Stored data made public by the code (DH460, DH461): ``PublicFact``.

- boto3 (and s3fs, pandas' ``storage_options``): a canned ACL for anyone (``ACL=
  "public-read"``, ``ExtraArgs={"ACL": ...}``, ``s3_additional_kwargs``) or a grant to the
  AllUsers / AuthenticatedUsers groups (``GrantRead=...``) on any call; a bucket policy that
  allows the principal ``*`` without a condition (``put_bucket_policy``, MinIO's
  ``set_bucket_policy``); public access blocks removed (``delete_public_access_block``) or set
  with nothing blocked (``put_public_access_block``);
- google-cloud-storage: ``make_public()``, ``acl.all().grant_read()`` (and
  ``all_authenticated()``), a ``predefined_acl`` for anyone, an IAM policy binding of
  ``allUsers`` or ``allAuthenticatedUsers`` (``policy.bindings.append({...})``,
  ``policy[role].add("allUsers")``);
- azure-storage-blob: a container created or set with ``public_access="blob"`` or
  ``"container"`` (``PublicAccess.Blob``, ``PublicAccess.Container``).

The values are the analysis's (constants, config modules, f-strings, dicts). What is written
to the object is the sinks' business: the detector joins a grant to the writes of the same
call, or of the same bucket when the grant covers the bucket.
"""

from __future__ import annotations

import ast
import json

from dhlint.models.python_values import Frame, Num, Obj, Ref, Seq, Str, Unknown, Val

# Canned ACLs that let anyone (or any AWS customer) read: S3's, and GCS's predefined ACLs.
_PUBLIC_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
_PUBLIC_GCS_ACLS = frozenset({"publicread", "publicreadwrite", "authenticatedread"})
# S3 grants to a group of everyone: GrantRead="uri=http://acs.amazonaws.com/groups/global/AllUsers"
_PUBLIC_GROUPS = ("/global/AllUsers", "/global/AuthenticatedUsers")
_GRANT_KEYS = ("GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP", "GrantFullControl")
# Keyword arguments (and dict keys) holding S3 request options that may carry an ACL.
_OPTION_KEYS = ("ExtraArgs", "s3_additional_kwargs", "storage_options", "extra_args")
# Keywords whose presence makes a call worth a look (``_e_Call`` runs for every call).
PUBLIC_KEYWORDS = frozenset(
    {"ACL", "acl", *_OPTION_KEYS, "predefined_acl", "predefined_default_object_acl",
     "public_access", *_GRANT_KEYS}
)  # fmt: skip
# Methods that make data public whatever their keywords (or whose arguments say so).
PUBLIC_METHODS = frozenset(
    {"make_public", "grant_read", "put_bucket_policy", "set_bucket_policy",
     "delete_public_access_block", "put_public_access_block", "append", "add"}
)  # fmt: skip
_EVERYONE = frozenset({"allUsers", "allAuthenticatedUsers"})
# Calls whose ACL covers the bucket, not one object.
_BUCKET_CALLS = frozenset({"create_bucket", "put_bucket_acl", "create", "patch"})
_BUCKET_KEYS = ("Bucket", "bucket_name", "bucket", "container", "name")
# Calls that name the bucket (or container) by position: MinIO's, boto3's uploads, Azure's.
_BUCKET_POSITION = {
    "upload_file": 1, "upload_fileobj": 1, "set_bucket_policy": 0, "create_container": 0,
    "fput_object": 0, "put_object": 0,
}  # fmt: skip


class PublicGrants:
    """Calls that make stored data public (mixed into ``Analyzer``)."""

    def _public_grant(self, node: ast.Call, receiver: Val | None, args, kwargs) -> None:
        func = node.func
        name = func.attr if type(func) is ast.Attribute else getattr(func, "id", "")
        if name in PUBLIC_METHODS:
            self._public_method(node, name, receiver, args, kwargs)
        if kwargs and not PUBLIC_KEYWORDS.isdisjoint(kwargs):
            grant = _acl_grant(kwargs)
            if grant:
                whole = name in _BUCKET_CALLS or "predefined_default_object_acl" in kwargs
                self._public(grant, name, node, _bucket_of(receiver, name, args, kwargs), whole)
            access = kwargs.get("public_access")
            level = _azure_level(access)
            if level and name in ("create_container", "set_container_access_policy"):
                grant = f"public_access={level}"
                self._public(grant, name, node, _bucket_of(receiver, name, args, kwargs), True)

    def _public_method(self, node: ast.Call, name: str, receiver, args, kwargs) -> None:
        if name == "make_public":
            whole = _is_true(kwargs.get("recursive")) or _is_true(kwargs.get("future"))
            self._public("make_public()", name, node, _bucket_of(receiver, name, [], {}), whole)
        elif name == "grant_read":
            entity = _acl_entity(node.func)
            if entity:
                self._public(f"ACL {entity}().grant_read()", name, node, None, False)
        elif name in ("put_bucket_policy", "set_bucket_policy"):
            policy = kwargs.get("Policy", kwargs.get("policy", args[1] if len(args) > 1 else None))
            if _policy_for_anyone(policy):
                grant = "a bucket policy allowing anyone (Principal *)"
                self._public(grant, name, node, _bucket_of(receiver, name, args, kwargs), True)
        elif name == "delete_public_access_block":
            grant = "its public access block deleted"
            self._public(grant, name, node, _bucket_of(receiver, name, [], kwargs), True)
        elif name == "put_public_access_block":
            config = kwargs.get("PublicAccessBlockConfiguration")
            if isinstance(config, Frame) and config.entries and _blocks_nothing(config.entries):
                grant = "a public access block that blocks nothing"
                self._public(grant, name, node, _bucket_of(receiver, name, [], kwargs), True)
        elif name in ("append", "add") and args:
            member = _iam_member(node.func, name, args[0])
            if member:
                self._public(f"an IAM binding of {member}", name, node, None, True)

    def _public(self, grant: str, api: str, node, bucket: str | None, whole: bool) -> None:
        self._fact("public", node, grant=grant, api=api, bucket=bucket, whole=whole)


def _texts(value: Val | None) -> list[str]:
    """The texts a value may be (known ones only)."""
    if isinstance(value, Str):
        return [o.text for o in value.options if o.known]
    return []


def _is_true(value: Val | None) -> bool:
    return isinstance(value, Num) and value.value is True


def _acl_grant(kwargs: dict[str, Val], depth: int = 0) -> str:
    """The public ACL the keywords (or the request options in them) give, as the message
    says it; empty for none."""
    for key in ("ACL", "acl"):
        for text in _texts(kwargs.get(key)):
            if text.lower() in _PUBLIC_ACLS:
                return f"ACL {text}"
    for key in ("predefined_acl", "predefined_default_object_acl"):
        for text in _texts(kwargs.get(key)):
            if text.lower() in _PUBLIC_GCS_ACLS:
                return f"{key}={text}"
    for key in _GRANT_KEYS:
        for text in _texts(kwargs.get(key)):
            if any(group in text for group in _PUBLIC_GROUPS):
                return f"{key} to {text.rsplit('/', 1)[-1]}"
    if depth < 2:  # storage_options={"s3_additional_kwargs": {"ACL": ...}}
        for key in _OPTION_KEYS:
            options = kwargs.get(key)
            if isinstance(options, Frame) and options.entries:
                found = _acl_grant(options.entries, depth + 1)
                if found:
                    return found
    return ""


def _bucket_of(receiver: Val | None, name: str, args, kwargs: dict[str, Val]) -> str | None:
    """The bucket (or container) a call names: a keyword, its positional argument, a
    ``s3://`` path's (``df.to_csv("s3://bucket/key", storage_options=...)``), or the
    receiver's (``bucket.blob(...)``, an Azure container client)."""
    for key in _BUCKET_KEYS:
        if isinstance(kwargs.get(key), Str):
            return _known(kwargs[key])
    position = _BUCKET_POSITION.get(name)
    given = args[position] if position is not None and len(args) > position else None
    if isinstance(given, Str):
        return _known(given)
    first = args[0] if args else None
    if isinstance(first, Str) and first.known and "://" in first.text:
        return first.text.split("://", 1)[1].split("/", 1)[0] or None
    if isinstance(receiver, Obj):
        bucket = receiver.data.get("bucket")
        return bucket if isinstance(bucket, str) else None
    return None


def _known(value: Str) -> str | None:
    return value.text if value.known else None


def _azure_level(value: Val | None) -> str:
    """``"blob"``/``"container"`` or ``PublicAccess.Blob``/``.Container``: the level made
    public; empty for none (``PublicAccess.OFF``, None, a value not known)."""
    if isinstance(value, Ref):
        text = value.qname.rsplit(".", 1)[-1]
    elif isinstance(value, Unknown) and value.name:
        text = value.name.rsplit(".", 1)[-1]
    else:
        texts = _texts(value)
        text = texts[0] if texts else ""
    return text.lower() if text.lower() in ("blob", "container") else ""


def _acl_entity(func: ast.expr) -> str:
    """``X.acl.all().grant_read()`` (``all_authenticated``, ``default_object_acl``): the
    entity granted, when it is everyone."""
    if type(func) is not ast.Attribute or type(func.value) is not ast.Call:
        return ""
    inner = func.value.func
    if type(inner) is ast.Attribute and inner.attr in ("all", "all_authenticated"):
        owner = inner.value
        if type(owner) is ast.Attribute and owner.attr in ("acl", "default_object_acl"):
            return inner.attr
    return ""


def _iam_member(func: ast.expr, name: str, value: Val) -> str:
    """An IAM policy binding of everyone: ``policy.bindings.append({"role": r, "members":
    {"allUsers"}})`` or ``policy[role].add("allUsers")``."""
    if type(func) is not ast.Attribute:
        return ""
    owner = func.value
    if name == "add" and type(owner) is ast.Subscript:
        return next((t for t in _texts(value) if t in _EVERYONE), "")
    if not (name == "append" and type(owner) is ast.Attribute and owner.attr == "bindings"):
        return ""
    members = value.entries.get("members") if isinstance(value, Frame) and value.entries else None
    items = members.items if isinstance(members, Seq) else (members,)
    return next((t for item in items for t in _texts(item) if t in _EVERYONE), "")


def _blocks_nothing(entries: dict[str, Val]) -> bool:
    """A public access block configuration with every setting given False (none True)."""
    values = list(entries.values())
    return bool(values) and all(isinstance(v, Num) and v.value is False for v in values)


def _policy_for_anyone(policy: Val | None) -> bool:
    """A bucket policy (JSON text, or the dict ``json.dumps`` is given) with a statement that
    allows the principal ``*`` without a condition."""
    document = _document(policy)
    if not isinstance(document, dict):
        return False
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    return any(_for_anyone(s) for s in statements if isinstance(s, dict))


def _for_anyone(statement: dict) -> bool:
    if statement.get("Effect") != "Allow" or statement.get("Condition"):
        return False
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        principal = principal.get("AWS")
    principals = principal if isinstance(principal, list) else [principal]
    return "*" in principals


def _document(value: Val | None):
    """A policy value as plain data (unknown parts dropped); None when not known."""
    if isinstance(value, Str):
        if not value.known:
            return None
        try:
            return json.loads(value.text)
        except ValueError:
            return None
    return _plain(value, 0)


def _plain(value: Val | None, depth: int):
    if depth > 6:
        return None
    if isinstance(value, Frame) and value.entries is not None:
        return {k: _plain(v, depth + 1) for k, v in value.entries.items()}
    if isinstance(value, Seq):
        return [_plain(v, depth + 1) for v in value.items]
    if isinstance(value, Str):
        return value.text if value.known else None
    if isinstance(value, Num):
        return value.value
    return None
