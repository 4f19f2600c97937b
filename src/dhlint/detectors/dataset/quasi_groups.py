"""DH582: the combination of quasi-identifier columns singles out groups smaller than k.

The quasi-identifier columns are those whose names classify as ``quasi`` (postal code, birth
date, age, sex, race ...) or ``special`` (a disability, a health condition), when there are
at least ``min_columns`` of them (param, default 2: one column alone is a distribution, not a
combination). ``k`` is the policy's ``k_anonymity`` (default 11, the CMS small-cell rule). The
finding names the columns, the smallest group size and how many rows sit in groups smaller
than k: never the values.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.models.dataset import DatasetModel
from dhlint.types import Hit, Related


def detect(model: DatasetModel, ctx: Context) -> Iterable[Hit]:
    profile = model.profile
    k = int(ctx.policy.settings["k_anonymity"])
    smallest = profile.smallest_group()
    minimum = int(ctx.params.get("min_columns", 2))
    if len(profile.quasi_columns) < max(minimum, 1) or smallest is None or smallest >= k:
        return
    groups, rows = profile.small_groups(k)
    columns = [model.column(name) for name in profile.quasi_columns]
    first, *others = [c for c in columns if c is not None]
    yield Hit(
        model.location(first),
        args={
            "columns": ", ".join(profile.quasi_columns),
            "smallest": str(smallest),
            "k": str(k),
            "groups": f"{groups:,}",
            "rows": f"{rows:,}",
            "total": f"{profile.rows:,}",
            "file": model.path,
        },
        anchor=model.anchor(*profile.quasi_columns),
        related=tuple(Related(model.location(c), f"quasi-identifier '{c.name}'") for c in others),
    )
