"""Constants and helpers more than one family of library calls uses."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from dhlint.frontends.python import LOGGER_NAMES
from dhlint.models.python_values import Num, Val

_HASHLIB = {
    "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256",
    "sha3_384", "sha3_512", "blake2b", "blake2s", "shake_128", "shake_256",
}  # fmt: skip


_LOG_METHODS = {
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
    "msg",
}
_LOGGER_NAME = re.compile(rf"(^|\.)_*({'|'.join(LOGGER_NAMES)})$")


# paramiko's host-key policies that accept a server whose key is not known (AutoAddPolicy
# saves it, WarningPolicy only logs): no server authentication, as verify=False for TLS.
# The policy class -> its TLS fact's kind.
SSH_ANY_HOST_KEY = {"AutoAddPolicy": "ssh-auto-add", "WarningPolicy": "ssh-warning"}
SSH_POLICY_METHOD = "set_missing_host_key_policy"


def _is_true(value: Val | None) -> bool:
    return isinstance(value, Num) and value.value is True


_STORAGE_SCHEMES = (
    "s3://",
    "s3a://",
    "s3n://",
    "gs://",
    "gcs://",
    "abfs://",
    "abfss://",
    "az://",
    "wasbs://",
    "wasb://",
    "adl://",
)


# Calls that gather many values (a column, the rows' field): not one addressee.
_GATHERS = frozenset(
    {"list", "tuple", "set", "sorted", "tolist", "to_list", "join", "unique", "values_list",
     "collect", "to_numpy", "values", "keys", "items", "map", "filter", "dict", "to_dict"}
)  # fmt: skip


_Bound = Callable[[ast.Name], list[ast.expr]]


def _one_value(node: ast.expr, bound: _Bound | None = None, depth: int = 0) -> bool:
    kind = type(node)
    if kind is ast.Name:
        if bound is None or depth > 2:
            return True
        # a parameter, or a variable assigned one value (not a list, a comprehension, a join)
        return all(_one_value(v, bound, depth + 1) for v in bound(node))  # type: ignore[arg-type]
    if kind is ast.Constant:
        return True
    if kind is ast.Attribute:
        return _one_value(node.value, bound, depth)  # type: ignore[attr-defined]
    if kind is ast.Subscript:
        index = node.slice  # type: ignore[attr-defined]
        return type(index) is ast.Constant and _one_value(node.value, bound, depth)  # type: ignore[attr-defined]
    if kind is ast.JoinedStr:
        return all(_one_value(part, bound, depth) for part in node.values)  # type: ignore[attr-defined]
    if kind is ast.FormattedValue:
        return _one_value(node.value, bound, depth)  # type: ignore[attr-defined]
    if kind is ast.BinOp:
        left, right = node.left, node.right  # type: ignore[attr-defined]
        return _one_value(left, bound, depth) and _one_value(right, bound, depth)
    if kind is ast.IfExp:  # escape(name) if name else None: one of two single values
        body, orelse = node.body, node.orelse  # type: ignore[attr-defined]
        return _one_value(body, bound, depth) and _one_value(orelse, bound, depth)
    if kind is ast.Call:
        func = node.func  # type: ignore[attr-defined]
        name = func.id if type(func) is ast.Name else getattr(func, "attr", "")
        if name in _GATHERS or node.keywords:  # type: ignore[attr-defined]
            return False
        receiver = [func.value] if type(func) is ast.Attribute else []
        args = (*receiver, *node.args)  # type: ignore[attr-defined]
        return all(_one_value(arg, bound, depth) for arg in args)
    return False
