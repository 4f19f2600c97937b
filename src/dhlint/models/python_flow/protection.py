"""Protective calls: hashing, pseudonymising functions, small-cell suppression.

A hash's key or secret prefix, the policy's protective functions, and the cells
a grouping's statistics suppress.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from dhlint.models.python_flow.common import Env
from dhlint.models.python_values import (
    KEYED,
    UNKNOWN,
    Frame,
    Obj,
    Series,
    Step,
    Str,
    Unknown,
    Val,
    cols_of,
)


class Protection:
    """Protective calls: hashing, pseudonymising functions, small-cell suppression."""

    def _blanked_cells(self, target: ast.Subscript, written: ast.expr, env: Env) -> None:
        """``counts.loc[counts["n"] < 11, "n"] = None``, ``counts["n"] =
        counts["n"].where(counts["n"] >= 11)``: a grouping's small cells blanked in place."""
        owner = target.value
        if type(owner) is ast.Attribute and owner.attr in ("loc", "iloc"):
            owner = owner.value
        if type(owner) is not ast.Name:
            return
        held = self.lookup(owner.id, env)
        if type(held) is not Frame or held.grouped != "cells":
            return
        # Which rows a comparison picks depends on the call (where keeps, mask and np.where
        # replace): one that meets k either way is taken as the suppression.
        for expr in (target.slice, written):
            if any(self.suppressed_cells(UNKNOWN, expr, keep) for keep in (True, False)):
                self.rebind(owner.id, replace(held, grouped="suppressed"), env)
                return

    def suppressed_cells(self, value: Val, written: ast.expr | None, keep: bool) -> bool:
        """Whether a row filter of a grouping's statistics drops every group under the policy's
        k: one that keeps (``keep``) ``n >= 11`` or ``n > 10``, or drops (``mask``) ``n < 11``;
        written as a comparison or as a query text (``"n >= 11"``). A threshold that is not a
        number written there (MIN_CELL) is taken as the city's."""
        k = int(self.policy.settings.get("k_anonymity", 11))
        if isinstance(value, Str) and value.known:
            return any(_enough(op, n, k, keep) for op, n in _text_thresholds(value.text))
        if written is None:
            return False
        for sub in ast.walk(written):
            if type(sub) is not ast.Compare or len(sub.ops) != 1:
                continue
            op, bound = type(sub.ops[0]), sub.comparators[0]
            if type(sub.left) is ast.Constant:  # 11 <= n
                op, bound = _FLIPPED.get(op, op), sub.left
            number = bound.value if type(bound) is ast.Constant else None
            if type(bound) is ast.Constant and not isinstance(number, (int, float)):
                continue
            if type(bound) not in (ast.Constant, ast.Name, ast.Attribute):
                continue
            if _enough(_OPS.get(op, ""), number, k, keep):
                return True
        return False

    def _protective_name(self, name: str, local: bool = False) -> bool:
        """``name`` is a protective function, by its whole or its last dotted part; in either
        spelling (pseudonymise, pseudonymize) unless it is a function of the module (``local``:
        a ``def tokenise(text)`` of its own is a word splitter, not the city's tokenizer)."""
        names = self.protective if local else self.protective_any
        return name in names or name.rsplit(".", 1)[-1] in names

    def _protect(self, args: list[Val], name: str, node) -> Val:
        treatment = KEYED if name.startswith("hmac.") else f"protected:{name}"
        cols = tuple(c for a in args for c in cols_of(a))
        step = Step(node, f"protected by {name}()")
        if not cols:
            # values no column reaches (a parameter ``lat``): by their variables' names, or
            # unnamed, so that the protection is kept where the result is put
            # (``{"lat": generalise_location(lat)}``: a key judged by name), as round() does
            cols = tuple(
                c for a in args if type(a) is Unknown for c in cols_of(self._scalar_cols(a, node))
            )
            if not cols:
                return UNKNOWN
        return Series(tuple(c.treated(treatment, step) for c in cols), self._bound(*args))

    def _hash(self, algo: str, args: list[Val], node, bound: bool = True, key=None) -> Val:
        """``key``: a key written in the code (how the call names it, where it is written),
        for a keyed function whose key everyone with the repository holds."""
        if not args and not self._protective_name(algo):
            return Obj("hasher", {"algo": algo})  # h = sha256(); h.update(v): see _obj_method
        cols = tuple(c for a in args for c in cols_of(a))
        extra = {"key": key} if key else {"secret": self._secret_prefix(node)}
        if not cols:
            named = tuple(c for a in args for c in self._named_cols(a, node))
            if named:
                self._fact("hash", node, algo=algo, columns=named, **extra)
            return Unknown("hash")
        self._fact("hash", node, algo=algo, columns=cols, **extra)
        if key:
            step = Step(node, f"hashed with {algo}, its key written in the code")
            algo = f"{algo} (key in the code)"
        else:
            step = Step(node, f"hashed with unkeyed {algo}")
        return Series(tuple(c.treated(f"weak-hash:{algo}", step) for c in cols), bound)

    def _secret_prefix(self, node: Any) -> str:
        """A secret read at run time in what a hash call hashes (its first argument): a module
        constant set from the environment or a secret store (``PEPPER + id``,
        ``F.concat(F.lit(PEPPER), col)``), or such a read written there. "" when none is."""
        if type(node) is not ast.Call or not node.args:
            return ""
        for sub in ast.walk(node.args[0]):
            if type(sub) is ast.Name:
                found = self._module_secrets().get(sub.id)
                if found:
                    return f"'{sub.id}' from {found}"
            elif type(sub) in (ast.Call, ast.Subscript):
                found = _secret_read(sub)
                if found:
                    return found
        return ""

    def _module_secrets(self) -> dict[str, str]:
        """The module's constants set to a secret read at run time (``PEPPER =
        os.environ["PEPPER"]``, ``dbutils.secrets.get(...)``, Key Vault's ``get_secret(...)
        .value``): what each is read from. Read from the tree when a hash first needs it."""
        secrets = getattr(self, "_secrets_of_module", None)
        if secrets is None:
            secrets = {}
            for stmt in getattr(self.tree, "body", ()):
                if type(stmt) is ast.Assign and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                    if type(target) is ast.Name:
                        found = _secret_read(stmt.value)
                        if found:
                            secrets[target.id] = found
                        else:
                            secrets.pop(target.id, None)
            self._secrets_of_module = secrets
        return secrets


_OPS = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<="}
_FLIPPED = {ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Lt: ast.Gt, ast.LtE: ast.GtE}
_THRESHOLD = re.compile(r"(?<!\w)(?:[A-Za-z_]\w*|`[^`]*`)\s*(>=|>|<=|<)\s*(\d+|@\w+|[A-Z_]\w*)")


def _text_thresholds(text: str) -> Iterator[tuple[str, float | None]]:
    """The comparisons of a query text with a bound: (operator, number or None for a name)."""
    for match in _THRESHOLD.finditer(text):
        bound = match.group(2)
        yield match.group(1), float(bound) if bound.isdigit() else None


def _enough(op: str, number: float | None, k: int, keep: bool) -> bool:
    """Whether keeping (or, ``keep`` False, dropping) the rows ``n <op> number`` leaves no
    group under ``k``; a bound that is not a number is taken to be k."""
    if keep and op in (">=", ">"):
        return number is None or number >= (k if op == ">=" else k - 1)
    if not keep and op in ("<", "<="):
        return number is None or number >= (k if op == "<" else k - 1)
    return False


_SECRET_CALLS = ("secrets.get", "secrets.getBytes", "get_secret", "getSecret")


def _secret_read(expr: Any) -> str:
    """``os.environ["K"]``, ``os.getenv("K")``, ``os.environ.get("K")``,
    ``dbutils.secrets.get(scope=..., key=...)``, ``client.get_secret("k").value`` (with
    ``.encode()`` or ``.value`` after it): where the value is read from; "" for other
    expressions."""
    while type(expr) in (ast.Attribute, ast.Call):
        if type(expr) is ast.Attribute and expr.attr == "value":
            expr = expr.value
        elif (
            type(expr) is ast.Call
            and type(expr.func) is ast.Attribute
            and expr.func.attr in ("encode", "strip")
        ):
            expr = expr.func.value
        else:
            break
    if type(expr) is ast.Subscript:
        base = expr.value
        if type(base) is ast.Attribute and base.attr == "environ":
            return "the environment"
        return ""
    if type(expr) is not ast.Call:
        return ""
    func = expr.func
    dotted = []
    while type(func) is ast.Attribute:
        dotted.append(func.attr)
        func = func.value
    if type(func) is ast.Name:
        dotted.append(func.id)
    name = ".".join(reversed(dotted))
    if name.endswith(("environ.get", "getenv")):
        return "the environment"
    if name.endswith(_SECRET_CALLS):
        return "a secret store"
    return ""
