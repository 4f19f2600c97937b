"""Where a value a rule judges was written, when a variable supplied it: a ``terraform.tfvars``
(or ``--var-file``) line, or the variable's default. A related location, so that a finding on
``value = var.x`` (or on a dynamic block fed from a variable map) shows the offending value."""

from __future__ import annotations

from typing import Any

from dhlint.models.terraform import Resource, TerraformModel
from dhlint.types import Location, Related


def _find(holder: Any, value: Any, path: tuple = ()) -> tuple | None:
    """The key path of ``value`` in a variable's value (itself, a map entry, a list item)."""
    if type(holder) is type(value) and holder == value:
        return path
    if isinstance(holder, dict):
        items: Any = holder.items()
    elif isinstance(holder, list):
        items = enumerate(holder)
    else:
        return None
    for key, item in items:
        found = _find(item, value, (*path, key))
        if found is not None:
            return found
    return None


def _part_of(text: Any, value: str) -> bool:
    return isinstance(text, str) and len(text.strip()) >= 6 and text in value


def _ref(address: str, path: tuple) -> str:
    return address + "".join(f'["{k}"]' if isinstance(k, str) else f"[{k}]" for k in path)


def value_origin(
    model: TerraformModel,
    res: Resource,
    value: Any,
    any_variable: bool = False,
    within: bool = False,
    near: Location | None = None,
) -> Related | None:
    """The variable the resource names (``var.x`` in its block) whose value is, or holds,
    ``value``, at where that value is written. ``any_variable``: any variable of the module
    whose whole value it is (a literal secret passed on through a local). ``within``: else a
    string variable the resource names whose value is part of ``value`` (a password
    interpolated into a connection string). ``near``: the finding's place; the variables
    named on its lines come first (two blocks of one resource, each from its own variable
    holding the same value); a number variable named there is also the origin of a number
    computed from it."""
    if value is None or isinstance(value, bool):
        return None  # true/false: too common to say which variable it came from
    if isinstance(value, str) and len(value.strip()) < 3:
        return None
    module = [v for v in model.variables if v.module == res.module]
    if not module:
        return None  # no variable to come from (nor to walk the resource's block for)
    on_lines = getattr(res.variables, "on_lines", None)
    if near is not None and on_lines is not None:
        named = on_lines(near.start_line, near.end_line)
        module.sort(key=lambda v: v.type not in named)  # stable: else in declared order
    found = [(v, _find(v.values.get("default"), value)) for v in module if v.type in res.variables]
    if any_variable:
        found += [(v, ()) for v in module if v.values.get("default") == value]
    if within and isinstance(value, str):
        found += [
            (v, ())
            for v in module
            if v.type in res.variables and _part_of(v.values.get("default"), value)
        ]
    for var, path in found:
        if path is None:
            continue
        where = var.loc(("default", *path))  # the entry's line, when it has one of its own
        ref = _ref(var.address, path)
        if where.path != var.path:
            label = f"the value comes from {ref}, set in {where.path}"
        elif where is var.location:
            label = ref
        else:
            label = f"the value comes from the default of {ref}"
        return Related(where, label)
    if near is not None and on_lines is not None and _is_number(value):
        # Computed (``var.days * 86400000``, ``var.years * 365``): the number variable the
        # attribute's lines name is the operand a commit changes (probe36 #2).
        named = on_lines(near.start_line, near.end_line)
        for var in module:
            operand = var.values.get("default")
            if var.type in named and _is_number(operand) and operand != value:
                where = var.loc(("default",))
                label = f"the value is computed from {var.address}"
                if where.path != var.path:
                    label += f", set in {where.path}"
                return Related(where, label)
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
