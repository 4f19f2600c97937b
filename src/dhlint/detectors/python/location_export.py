"""DH563: coordinates (or other location columns) leave the program more precise than the
policy's ``location_decimals``: not rounded, or rounded to too many decimals."""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.python._columns import (
    Classified,
    classified,
    classify,
    describe,
    flow_for,
    sink_text,
)
from dhlint.identifiers import fixed_place, protected_key
from dhlint.models.python import ColumnFact, PythonModel
from dhlint.types import Hit

SINKS = ("file", "database", "storage", "network")


def _precise(column: ColumnFact, decimals: int) -> bool:
    treatment = column.treatment
    if treatment == "raw":
        return True
    if treatment.startswith("round:"):
        if treatment == "round:=":
            return False  # the project's configured decimals (a named constant not resolved)
        try:
            return int(treatment.split(":", 1)[1]) > decimals
        except ValueError:
            return True
    return False  # hashed, bucketed, truncated, protected, aggregated


# Identifiers of a device a person carries or owns (a phone, a toll tag): rows keyed to one are
# that person's. Not the generic or fleet ones (device_id, vehicle_id, meter ids): a sensor's
# readings or a city bus's arrivals are not anyone's whereabouts.
_PERSONAL_DEVICES = frozenset(
    {
        "mac_address", "bluetooth_address", "imei", "advertising_id", "ip_address",
        "device_fingerprint", "toll_tag",
    }
)  # fmt: skip


def _person_key(columns: Iterable[ColumnFact], policy) -> str | None:
    """A column that makes each row one person's: a direct identifier (``card_id``), a
    personal device's (``hashed_mac``), a protected form of either (``card_token``,
    ``device_token``: nobody pseudonymises a sensor's id) or a column pseudonymised in code."""
    for column in columns:
        found = classify(column, policy)
        if found is not None and (
            found.category == "direct"
            or (found.category == "device" and found.concept in _PERSONAL_DEVICES)
        ):
            return column.name
        if column.treatment.startswith(("keyed", "protected:")) or any(
            protected_key(name, policy) for name in (column.name, *column.origins)
        ):
            return column.name
    return None


def _fixed_places(precise: list[ColumnFact], found: list[Classified], policy) -> list[Classified]:
    """Coordinates of fixed places (``stop_lat``) not already ``found``, for rows keyed to a
    person: where that person was (a card's taps, a phone's sightings), though the name alone
    is not personal."""
    named = {item.column.name for item in found}
    out = []
    for column in precise:
        if column.name in named or column.by_name:
            continue
        for name in (column.name, *column.origins):
            match = fixed_place(name, policy)
            if match is not None:
                named.add(column.name)
                out.append(Classified(column, "location", name, match.matched))
                break
    return out


def _columns_text(found: list[Classified], places: list[Classified], key: str | None) -> str:
    parts = [describe(found)] if found else []
    if places:
        names = ", ".join(f"'{item.column.name}'" for item in places)
        parts.append(f"{names} (a fixed place's coordinates, in rows keyed to '{key}')")
    return ", ".join(parts)


def detect(model: PythonModel, ctx: Context) -> Iterable[Hit]:
    decimals = int(ctx.policy.settings.get("location_decimals", 3))
    sinks = set(ctx.params.get("sinks", SINKS))
    confidence = ctx.params.get("min_confidence", "medium")
    for sink in model.sinks:
        if sink.kind not in sinks:
            continue
        precise = [c for c in sink.columns if _precise(c, decimals)]
        found = classified(precise, ctx.policy, ("location",), confidence)
        key = _person_key(sink.columns, ctx.policy) if precise else None
        places = _fixed_places(precise, found, ctx.policy) if key is not None else []
        if not found and not places:
            continue
        related, flow = flow_for(found + places, sink)
        yield Hit(
            location=sink.location,
            args={
                "columns": _columns_text(found, places, key),
                "sink": sink_text(sink, model),
                "decimals": str(decimals),
            },
            anchor=sink.anchor,
            scope=sink.scope,
            related=related,
            flow=flow,
        )
