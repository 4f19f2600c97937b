"""DH303: BigQuery retention, of a dataset (its default table expiration, read as
``terraform.log_retention`` reads it with the rule's params) and of each table the Terraform
defines (``google_bigquery_table``).

A table's rows are kept until the table expires or, in a time-partitioned table, until their
partition does. What bounds a table, as BigQuery applies it when the table is created:

- its own ``expiration_time`` (a date, milliseconds since the epoch; not judged against the
  maximum: how long a row is kept depends on when it was written, and a detector does not read
  today's date, its results being cached by content): any value, or an unknown one, passes;
- else its dataset's ``default_table_expiration_ms``, except for a partitioned table in a
  dataset that sets ``default_partition_expiration_ms`` (BigQuery then ignores the table
  default for it);
- for a partitioned table (``time_partitioning``), its ``time_partitioning.expiration_ms``,
  else its dataset's ``default_partition_expiration_ms``.

The shortest bound that applies is judged against the policy maximum for the table's class
(its own label, else its dataset's, else the policy default). A table whose dataset is not in
the model (a literal ``dataset_id`` of a dataset made elsewhere) is not judged: its dataset's
defaults are unknown. Views, materialized views and
external tables hold no rows of their own and are not judged; nor are unknown values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from dhlint.analysis import Context
from dhlint.detectors.terraform import log_retention
from dhlint.models.terraform import Resource, TerraformModel, is_absent, is_unknown
from dhlint.types import Hit, Related

_MS_PER_DAY = 86_400_000
_NO_ROWS = ("view", "materialized_view", "external_data_configuration")


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    yield from log_retention.detect(model, ctx)
    if "google_bigquery_table" not in model.types():
        return
    for table in model.of_type("google_bigquery_table"):
        hit = _judge_table(table, ctx)
        if hit is not None:
            yield hit


def _value(res: Resource, path: str) -> tuple[str, tuple | None, Any]:
    """("absent" | "unknown" | "set", key path, value) of a single setting."""
    found = [(k, v) for k, v in res.find(path) if not is_absent(v)]
    if not found:
        return "absent", None, None
    if len(found) > 1 or any(is_unknown(v) for _, v in found):
        return "unknown", found[0][0], None  # each branch of a conditional, or not known
    keypath, value = found[0]
    days = log_retention._days(value, _MS_PER_DAY)
    if days is None or days <= 0:
        return "unknown", keypath, None
    return "set", keypath, days


def _judge_table(table: Resource, ctx: Context) -> Hit | None:
    if any(table.is_set(block) for block in _NO_ROWS):
        return None
    if table.is_set("expiration_time"):
        return None  # a date of its own (or unknown): see the module's doc
    data_class = table.data_class(ctx.policy)
    max_days = ctx.policy.max_retention_days(data_class)
    if max_days is None:
        return None
    partitioned = table.is_set("time_partitioning")
    dataset = table.owner if table.owner and table.owner.type == "google_bigquery_dataset" else None
    # (days, what it is, the resource and key path that set it)
    bounds: list[tuple[float, str, Resource, tuple | None]] = []
    own_part = _value(table, "time_partitioning.expiration_ms") if partitioned else None
    if own_part is not None and own_part[0] == "unknown":
        return None
    if own_part is not None and own_part[0] == "set":
        bounds.append((own_part[2], "a partition expiration", table, own_part[1]))
        if own_part[2] <= max_days:
            return None
    if dataset is None:
        return None  # its dataset's defaults are not known
    ds_table = _value(dataset, "default_table_expiration_ms")
    ds_part = _value(dataset, "default_partition_expiration_ms")
    inherited = []
    if partitioned and (own_part is None or own_part[0] == "absent"):
        inherited.append((ds_part, "a default partition expiration"))
    if not (partitioned and ds_part[0] != "absent"):
        inherited.append((ds_table, "a default table expiration"))
    for (status, keypath, days), what in inherited:
        if status == "unknown":
            return None
        if status == "set":
            if days <= max_days:
                return None
            bounds.append((days, what, dataset, keypath))
    common = {"name": table.address, "max_days": max_days, "data_class": data_class}
    if bounds:
        days, what, holder, keypath = min(bounds, key=lambda b: b[0])
        shown = log_retention.shown_days(days)
        if holder is table:
            expiry = f"{what} of {shown} days"
            return table.hit(keypath, days=shown, expiry=expiry, **common)
        # Its dataset's default: reported on the table, the dataset's setting related.
        expiry = (
            f"no expiration of its own: {what} of {shown} days from its dataset '{dataset.address}'"
        )
        hit = table.hit(None, days=shown, expiry=expiry, **common)
        return replace(hit, related=(Related(holder.loc(keypath), f"{what} ({dataset.address})"),))
    attrs = (
        "expiration_time and time_partitioning.expiration_ms are"
        if partitioned
        else "expiration_time is"
    )
    defaults = (
        "neither default_table_expiration_ms nor default_partition_expiration_ms"
        if partitioned
        else "no default_table_expiration_ms"
    )
    expiry = f"no expiration ({attrs} not set, and its dataset '{dataset.address}' sets {defaults})"
    hit = table.hit(None, days="not set", expiry=expiry, **common)
    return replace(hit, related=(Related(dataset.location, f"its dataset {dataset.address}"),))


def judged_types(ctx: Context) -> frozenset[str]:
    """``log_retention``'s (its targets, DH303's datasets) and the tables it judges itself."""
    return log_retention.judged_types(ctx) | {"google_bigquery_table"}


detect.judged_types = judged_types  # type: ignore[attr-defined]
