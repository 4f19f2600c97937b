"""DH584: MAC addresses, IP addresses or VINs in the values of a column whose name hides them.

A Wi-Fi export's ``client`` column, a ``source`` column of IP addresses, a ``vehicle`` column of
VINs: the name says nothing, the values identify devices and vehicles. Columns whose name
already says MAC, Bluetooth, IP or VIN are DH580's. VINs count only with a valid check digit.
Param ``min_values`` (default 1).
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.models.dataset import DatasetModel
from dhlint.types import Hit

_NAMED = {"mac_address", "bluetooth_address", "ip_address", "vin"}


def detect(model: DatasetModel, ctx: Context) -> Iterable[Hit]:
    minimum = int(ctx.params.get("min_values", 1))
    for column in model.columns:
        if column.match is not None and column.match.matched in _NAMED:
            continue
        if column.macs + column.ips + column.vins < minimum:
            continue
        yield Hit(
            model.location(column),
            args={
                "column": column.name,
                "macs": f"{column.macs:,}",
                "ips": f"{column.ips:,}",
                "vins": f"{column.vins:,}",
                "values": f"{column.values:,}",
                "file": model.path,
            },
            anchor=model.anchor(column.name),
        )
