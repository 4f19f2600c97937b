"""DH582: the combination of quasi-identifier columns singles out groups smaller than k.

The quasi-identifier columns are those whose names classify as ``quasi`` (postal code, birth
date, age, sex, race ...) or ``special`` (a disability, a health condition), when there are
at least ``min_columns`` of them (param, default 2: one column alone is a distribution, not a
combination). ``k`` is the policy's ``k_anonymity`` (default 11, the CMS small-cell rule). The
finding names the columns, the smallest group size and how many rows sit in groups smaller
than k: never the values.

An aggregate table (a count column such as ``cases``, ``n`` or ``registrants`` of whole
numbers, and no direct or device identifier: see ``profile.COUNT_NAME``) stands for many
people per row, so it is judged on its count cells: a cell from 1 to k - 1 is a small cell
(the finding names its row), a blank or ``*`` is a suppressed one, and a table whose cells are
all 0 or >= k passes.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.datasets.profile import CountCells
from dhlint.models.dataset import DatasetModel
from dhlint.types import Hit, Related


def detect(model: DatasetModel, ctx: Context) -> Iterable[Hit]:
    profile = model.profile
    k = int(ctx.policy.settings["k_anonymity"])
    smallest = profile.smallest_group()
    minimum = int(ctx.params.get("min_columns", 2))
    if len(profile.quasi_columns) < max(minimum, 1) or smallest is None:
        return
    columns = [model.column(name) for name in profile.quasi_columns]
    first, *others = [c for c in columns if c is not None]
    related = [Related(model.location(c), f"quasi-identifier '{c.name}'") for c in others]
    if profile.counts:
        small = {name: cells for name, cells in profile.counts.items() if cells.small}
        if not small:
            return
        sizes = "; ".join(_small_cells(name, cells) for name, cells in small.items())
        for name in small:
            column = model.column(name)
            if column is not None:
                related.append(Related(model.location(column), f"count column '{name}'"))
    elif smallest >= k:
        return
    else:
        groups, rows = profile.small_groups(k)
        sizes = f"smallest group {smallest}, {rows:,} of {profile.rows:,} rows"
        sizes += f" in {groups:,} small groups"
    yield Hit(
        model.location(first),
        args={
            "columns": ", ".join(profile.quasi_columns),
            "k": str(k),
            "sizes": sizes,
            "file": model.path,
        },
        anchor=model.anchor(*profile.quasi_columns),
        related=tuple(related),
    )


def _small_cells(name: str, cells: CountCells) -> str:
    rows = ", ".join(f"row {row}: {count}" for row, count in cells.first)
    more = f" and {cells.small - len(cells.first):,} more" if cells.small > len(cells.first) else ""
    return (
        f"{cells.small:,} of {cells.cells:,} cells of count column '{name}' under k ({rows}{more})"
    )
