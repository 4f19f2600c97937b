"""DH583: email addresses, phone numbers or SSNs inside the values of a column.

Free-text columns (``description``, ``notes``, ``resolution``) collect what residents type,
including their contact details. Columns whose name already says they hold an email, a phone
number or an SSN are DH580's. Param ``min_values`` (default 1).
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.models.dataset import DatasetModel
from dhlint.types import Hit

_NAMED = {"email", "phone_number", "ssn"}


def detect(model: DatasetModel, ctx: Context) -> Iterable[Hit]:
    minimum = int(ctx.params.get("min_values", 1))
    for column in model.columns:
        if column.match is not None and column.match.matched in _NAMED:
            continue
        found = column.emails + column.phones + column.ssns
        if found < minimum:
            continue
        yield Hit(
            model.location(column),
            args={
                "column": column.name,
                "emails": f"{column.emails:,}",
                "phones": f"{column.phones:,}",
                "ssns": f"{column.ssns:,}",
                "values": f"{column.values:,}",
                "file": model.path,
            },
            anchor=model.anchor(column.name),
        )
