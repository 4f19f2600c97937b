"""Rounding and grids: how precise a coordinate or a number stays.

``round``, ``math.floor(lat / CELL) * CELL``, geohash and H3 cells, the numbers
module constants hold.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

from dhlint.models.python_values import (
    RAW,
    UNKNOWN,
    Col,
    Frame,
    Num,
    Ref,
    Series,
    Step,
    Str,
    TreatedSource,
    Unknown,
    Val,
    cols_of,
    join_all,
)

# Functions that snap a number to whole units: of a coordinate scaled first (``x * 1000``,
# ``x / CELL``), a grid as coarse as the scale says (``math.trunc(lat * 1000) / 1000``: 3
# decimals). What each does, for the flow.
_SNAPS = {
    "math.floor": "floored",
    "math.ceil": "rounded up",
    "math.trunc": "truncated",
    "numpy.floor": "floored",
    "numpy.ceil": "rounded up",
    "numpy.trunc": "truncated",
    "numpy.fix": "truncated",
    "numpy.rint": "rounded",
    "builtins.int": "truncated",
    "builtins.round": "rounded",
    "numpy.round": "rounded",
    "numpy.around": "rounded",
    "numpy.round_": "rounded",
    # methods: (s * 1000).astype(int), (s * 1000).round()
    "astype": "truncated",
    "round": "rounded",
}
_ROUNDS = frozenset({"builtins.round", "numpy.round", "numpy.around", "numpy.round_", "round"})
_INT_TYPES = frozenset({"int", "int8", "int16", "int32", "int64", "Int32", "Int64", "long"})


# Grid cells of a point: geohash.encode(lat, lon, precision), h3's cell at a resolution. How many
# decimals of a coordinate a cell is as precise as (geohash 7, h3 9: about 150 m, 3 decimals).
_GEOHASH = frozenset(("geohash", "pygeohash", "geohash2", "pgh"))
_H3_CELLS = frozenset(("latlng_to_cell", "geo_to_h3"))


class Precision:
    """Rounding and grids: how precise a coordinate or a number stays."""

    def _grid_cell(self, top: str, args, kwargs, node) -> Val:
        """The cell of a point, as precise as a coordinate rounded to some decimals (unknown
        precision: geohash's default 12 characters, far finer than any decimals allowed)."""
        if top == "h3":
            size = args[2] if len(args) > 2 else kwargs.get("res", kwargs.get("resolution"))
            offset, default = 6, 15
        else:
            size = args[2] if len(args) > 2 else kwargs.get("precision")
            offset, default = 4, 12
        known = isinstance(size, Num) and isinstance(size.value, int)
        decimals = (size.value if known else default) - offset  # type: ignore[union-attr]
        return self._round(join_all(args[:2]), Num(max(decimals, 0)), node)

    def _scalar_cols(self, value: Val, node) -> Val:
        """A number the builtin round() is given that no column reaches (a parameter ``lat``,
        ``float(x)``): a column by its variable's name, unnamed when it has none, so that the
        rounding is kept where it is put (``{"lat": round(lat, 3)}``: a key judged by name)."""
        if isinstance(value, Unknown) and not cols_of(value):
            named = self._named_cols(value, node)
            return Series(named or (Col("", (), RAW, (), by_name=True),))
        return value

    def _round(self, value: Val, digits: Val, node) -> Val:
        """round(x, 3), x.round(3), np.round(df, 3): each column rounded (a table stays one)."""
        if isinstance(value, Frame) and isinstance(digits, Frame) and digits.entries is not None:
            # df.round({"lat": 3, "lon": 5}): those columns, each to its own decimals (drawn
            # from the source now when the frame's schema is open)
            cols = dict(value.cols)
            for name, each in digits.entries.items():
                col = cols.get(name) or value.get(name)
                if col is not None:
                    n, named = _decimals(each)
                    cols[name] = col.treated(f"round:{n}", _rounded(node, n, named))
            return Frame(value.lib, cols, value.sources, value.removed)
        n, named = _decimals(digits, _digits_expr(node))
        step = _rounded(node, n, named)
        if isinstance(value, Frame):
            cols = {k: c.treated(f"round:{n}", step) for k, c in value.cols.items()}
            # Columns drawn later from an open schema were rounded too.
            sources = tuple(
                TreatedSource(s.node, s.label, s.observed, s.weak, s.owner, s, f"round:{n}", step)
                for s in value.sources
            )
            return Frame(value.lib, cols, sources, value.removed)
        rounded = tuple(c.treated(f"round:{n}", step) for c in cols_of(value))
        return Series(rounded, self._bound(value)) if rounded else UNKNOWN

    @staticmethod
    def _call_operand(node: Any) -> ast.expr | None:
        """The expression of a call's first argument (``x * 1000`` in ``floor(x * 1000)``)."""
        if type(node) is ast.Call and node.args and type(node.args[0]) is not ast.Starred:
            return node.args[0]
        return None

    def _snapped(
        self, api: str, value: Val, expr: ast.expr | None, args, kwargs, node, env
    ) -> Val | None:
        """``math.floor(lat / CELL) * CELL``, ``math.trunc(lat * 1000) / 1000``,
        ``round(lat * 1e4) / 1e4``: the number snapped to a grid whose step is the known scale
        of ``expr``, as precise as a coordinate rounded to the decimals of that step (a step
        over 1, ``floor(age / 5) * 5``: binned). None when no known constant scales ``expr``
        (unknown scale: as before, the value as precise as it was)."""
        unit = self._grid_unit(expr, env, True) if expr is not None else None
        if unit is None:
            return None
        if api in _ROUNDS:
            digits = args[1] if len(args) > 1 else kwargs.get("ndigits", kwargs.get("decimals"))
            if digits is not None:
                if not (isinstance(digits, Num) and type(digits.value) in (int, type(None))):
                    return None
                unit *= 10.0 ** -(digits.value or 0)
        if isinstance(value, Frame):
            return None
        value = self._scalar_cols(value, node)
        cols = cols_of(value)
        if not cols or not unit > 0:
            return None
        verb, fn = _SNAPS[api], api.replace("builtins.", "").replace("numpy.", "np.")
        if unit > 1:
            treatment, label = "bucket", f"{verb} to steps of {unit:g} by {fn}()"
        else:
            n = max(0, math.ceil(-math.log10(unit) - 1e-9))
            treatment = f"round:{n}"
            if math.isclose(unit, 10.0**-n):
                label = f"{verb} to {n} decimals by {fn}()"
            else:
                label = f"{verb} to a grid of {unit:g} by {fn}() (as precise as {n} decimals)"
        step = Step(node, label)
        bound = self._bound(value)
        return Series(tuple(c.treated(treatment, step) for c in cols), bound)

    def _grid_unit(self, expr: ast.expr, env, top: bool = False) -> float | None:
        """The step, in the units of the value inside, of a grid whole units of ``expr`` make:
        1/K for ``x * K``, C for ``x / C`` (an offset, ``x * 1000 + 0.5``, ``(x - x0) / C``,
        moves the grid only).
        At the top, a known constant must scale the value: None for ``floor(x)`` (x may be
        scaled already) or ``floor(x * factor)`` with the factor not known."""
        if type(expr) is not ast.BinOp:
            return None if top else 1.0
        op = type(expr.op)
        if op in (ast.Add, ast.Sub, ast.Mult):
            for inner, other in ((expr.left, expr.right), (expr.right, expr.left)):
                number = self._number(other, env)
                if number is None:
                    continue
                if op is ast.Mult and number == 0:
                    return None
                unit = self._grid_unit(inner, env, top and op is not ast.Mult)
                if unit is None:
                    return None
                return unit / abs(number) if op is ast.Mult else unit
            if op is not ast.Mult:  # (lat - lat0) / CELL: an offset in the same units
                units = {self._grid_unit(side, env, top) for side in (expr.left, expr.right)}
                return units.pop() if len(units) == 1 else None
            return None
        if op is ast.Div:
            number = self._number(expr.right, env)
            if not number:
                return None
            unit = self._grid_unit(expr.left, env)
            return unit * abs(number) if unit is not None else None
        return None

    def _number(self, expr: ast.expr, env, depth: int = 0) -> float | None:
        """A number written or known by name (an int a variable holds, a float a module
        constant is set to), or arithmetic of such (``10 ** 3``); None otherwise."""
        kind = type(expr)
        if kind is ast.Constant:
            value = expr.value
            return float(value) if type(value) in (int, float) else None
        if kind is ast.Name:
            found = self.lookup(expr.id, env)
            if isinstance(found, Num) and type(found.value) is int:
                return float(found.value)
            if isinstance(found, Num) and type(found.value) is float:
                return self._module_numbers().get(expr.id)  # floats are kept as 0.0
            return None
        if kind is ast.UnaryOp and type(expr.op) is ast.USub:
            value = self._number(expr.operand, env, depth)
            return -value if value is not None else None
        if kind is ast.BinOp and depth < 4:
            left = self._number(expr.left, env, depth + 1)
            right = self._number(expr.right, env, depth + 1) if left is not None else None
            if left is not None and right is not None:
                return _arithmetic(type(expr.op), left, right)
        return None

    def _module_numbers(self) -> dict[str, float]:
        """The module's constants set once to a number (``CELL = 0.005``), read from the tree
        when a grid's step first needs one."""
        numbers = getattr(self, "_numbers_of_module", None)
        if numbers is None:
            numbers, seen = {}, set()
            for stmt in getattr(self.tree, "body", ()):
                target = value = None
                if type(stmt) is ast.Assign and len(stmt.targets) == 1:
                    target, value = stmt.targets[0], stmt.value
                elif type(stmt) is ast.AnnAssign:
                    target, value = stmt.target, stmt.value
                if type(target) is not ast.Name or value is None:
                    continue
                number = _literal_number(value, numbers)
                if target.id in seen or number is None:
                    numbers.pop(target.id, None)
                else:
                    numbers[target.id] = number
                seen.add(target.id)
            self._numbers_of_module = numbers
        return numbers


def _int_type(dtype: Val | None) -> bool:
    """``int``, ``"int64"``, ``np.int32``: a whole-number type (a cast truncates)."""
    if isinstance(dtype, Ref):
        return dtype.qname.rsplit(".", 1)[-1] in _INT_TYPES
    return isinstance(dtype, Str) and dtype.text in _INT_TYPES


def _arithmetic(op: type, left: float, right: float) -> float | None:
    try:
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            return left / right
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Pow and abs(right) <= 30:
            return float(left**right)
    except (ZeroDivisionError, OverflowError, TypeError):
        return None
    return None


def _literal_number(expr: ast.expr, known: dict[str, float]) -> float | None:
    """The number a module constant's value is (``0.005``, ``10 ** -3``, ``1 / 200``, another
    constant), or None."""
    kind = type(expr)
    if kind is ast.Constant:
        return float(expr.value) if type(expr.value) in (int, float) else None
    if kind is ast.Name:
        return known.get(expr.id)
    if kind is ast.UnaryOp and type(expr.op) is ast.USub:
        value = _literal_number(expr.operand, known)
        return -value if value is not None else None
    if kind is ast.BinOp:
        left = _literal_number(expr.left, known)
        right = _literal_number(expr.right, known) if left is not None else None
        if left is not None and right is not None:
            value = _arithmetic(type(expr.op), left, right)
            return value if isinstance(value, float) else None
    return None


def _decimals(digits: Val, expr: ast.expr | None = None) -> tuple[int | str, str]:
    """The decimals a rounding keeps, and the constant that says so: a whole number written or
    known; "=" for a named constant not resolved here (``LOCATION_DECIMALS`` imported from the
    project's settings, ``config.DECIMALS``, a module constant read from the environment):
    the project's configured precision, judged as within the policy's (as before a63bf52); a
    constant that resolves is its number. "?" when not known otherwise (a parameter, a
    variable), which the rules take as precise (DH563: more than the policy allows), as if not
    rounded. ``round(x, None)`` rounds to whole units."""
    if isinstance(digits, Num) and (digits.value is None or isinstance(digits.value, int)):
        return digits.value or 0, ""
    name = ""
    if isinstance(digits, Ref):
        name = digits.qname.rsplit(".", 1)[-1]
    elif isinstance(digits, Unknown) and digits.source is None:
        name = digits.name.rsplit(".", 1)[-1]
        if not name and expr is not None:
            name = expr.id if type(expr) is ast.Name else getattr(expr, "attr", "")
    if _CONSTANT_NAME.fullmatch(name):
        return "=", name
    return "?", ""


_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


def _digits_expr(node: Any) -> ast.expr | None:
    """The decimals argument of a rounding call (``round(x, D)``, ``x.round(D)``,
    ``np.round(x, decimals=D)``): a keyword, or the last positional argument."""
    if type(node) is not ast.Call:
        return None
    for keyword in node.keywords:
        if keyword.arg in ("ndigits", "decimals", "scale"):
            return keyword.value
    return node.args[-1] if node.args else None


def _rounded(node: Any, n: int | str, named: str = "") -> Step:
    if n == "=":
        return Step(node, f"rounded to {named} decimals (the configured precision)")
    return Step(node, f"rounded to {n} decimals" if n != "?" else "rounded to unknown decimals")
