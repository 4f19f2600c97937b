"""Identifier data written by Python into a store whose Terraform definition lacks a safeguard.

The finding sits on the Python write; related locations point at the Terraform resource (and
the safeguard's place when there is one), the workload that runs the script and the manifest
value that names the bucket through a variable the code reads for it (never another workload's
entry that only has the same value). Functions (one per rule):

- ``encryption`` (DH190): the bucket has no server-side encryption (unless the policy accepts the
  provider default, ``encryption.accept_provider_default``);
- ``retention`` (DH390): no expiry, or one longer than the policy maximum for the data's class;
  or a DynamoDB item put whole (every key known) without the attribute the table's ``ttl``
  reads, which no update of the code may set;
- ``logging`` (DH990): no access logging;
- ``classification`` (DH890): the classification tag is lower than the data's categories need
  (``params.required_class``: category -> class; no tag is DH801's finding, not this one).

Params: ``categories`` (identifier categories judged), ``min_confidence`` (classifier).
Raw and weakly treated identifiers count; keyed, protected and aggregated ones do not, nor
does a location rounded to the policy's ``location_decimals``, which the policy lets be published.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dhlint.analysis import Context, Workspace
from dhlint.inventory import join
from dhlint.inventory.facts import loc_of
from dhlint.types import Hit, Location, Related

DEFAULT_CATEGORIES = ("direct", "device", "location", "biometric", "special")


def _generalised(column: dict, decimals: int) -> bool:
    """A location rounded to the policy's ``location_decimals`` or fewer: the policy lets it be
    published or shared (DH563 does not report it either), so it needs no store for personal
    data."""
    kind, _, arg = column["treatment"].partition(":")
    digits = arg.lstrip("-")
    return (
        column["category"] == "location"
        and kind == "round"
        and digits.isdigit()
        and int(arg) <= decimals
    )


def _writes(workspace: Workspace, ctx: Context) -> Iterator[tuple[join.StoreWrite, list[dict]]]:
    categories = set(ctx.params.get("categories", DEFAULT_CATEGORIES))
    confidence = ctx.params.get("min_confidence", "medium")
    decimals = int(ctx.policy.settings["location_decimals"])
    for write in join.store_writes(workspace, ctx.policy, confidence):
        found = [
            c
            for c in write.identifiers
            if c["category"] in categories and not c["protected"] and not _generalised(c, decimals)
        ]
        if found and write.stores:
            yield write, found


def _hit(write: join.StoreWrite, found: list[dict], store: dict, extra: dict, safeguard=None):
    sink = write.sink
    ref = write.ref or sink.get("store") or {}
    related = [Related(loc_of(store["loc"]), f"Terraform {store['address']}")]
    if store.get("environment"):  # named so with another environment's tfvars
        where = Location(store["environment"], 1)
        related.append(Related(where, f"its name with {store['environment']}"))
    if safeguard is not None:
        related.append(safeguard)
    for workload, container in write.runners:
        related.append(
            Related(
                loc_of(container["loc"]),
                f"{workload['ref']} runs {write.path}",
            )
        )
    for workload, _container, env in write.settings:
        related.append(Related(loc_of(env["loc"]), f"{workload['ref']} sets {env['name']}"))
    first = found[0]
    flow = [Related(loc_of(loc), label) for label, loc in first.get("flow", [])]
    flow.append(Related(loc_of(sink["loc"]), f"written to {ref.get('uri') or ref.get('bucket')}"))
    categories = sorted({c["category"] for c in found})
    args = {
        "bucket": ref.get("bucket") or "",
        "uri": ref.get("uri") or ref.get("bucket") or "",
        "address": store["address"],
        "terraform": store["loc"][0],
        "columns": join.describe(found),
        "categories": ", ".join(categories),
        **{k: str(v) for k, v in extra.items()},
    }
    return Hit(
        location=loc_of(sink["loc"]),
        args=args,
        anchor=f"{sink['anchor']}->{store['directory']}:{store['address']}",
        scope=tuple(sink["scope"]),
        related=tuple(dict.fromkeys(related)),
        flow=tuple(flow),
    )


def encryption(workspace: Workspace, ctx: Context) -> Iterable[Hit]:
    if ctx.policy.settings["encryption"]["accept_provider_default"]:
        return
    for write, found in _writes(workspace, ctx):
        for store in write.stores:
            if store["encryption"]["status"] == "missing":
                yield _hit(write, found, store, {})


def _ttl_updates(workspace: Workspace) -> list[tuple[str | None, list[str] | None]]:
    """The DynamoDB updates of the code (table, attributes set; None: not known): one may
    give an item put without the TTL attribute its expiry after all."""
    out = []
    for facts in join.python_files(workspace):
        for sink in facts["sinks"]:
            if sink["api"] in ("dynamodb.update_item", "dynamodb.transact_write_items"):
                out.append((sink.get("target"), sink.get("attributes")))
    return out


def _ttl_not_written(write: join.StoreWrite, attribute: str, updates: list) -> bool:
    """An item put whole (every key known) without the table's TTL attribute, which no update
    of that table (or of one the analysis cannot name) may set afterwards."""
    sink = write.sink
    written = sink.get("attributes")
    if sink["api"] != "dynamodb.put_item" or written is None or attribute in written:
        return False
    table = sink.get("target")
    return not any(
        (not target or "{" in target or target == table) and (names is None or attribute in names)
        for target, names in updates
    )


def retention(workspace: Workspace, ctx: Context) -> Iterable[Hit]:
    table = ctx.params.get("required_class")
    updates: list | None = None
    for write, found in _writes(workspace, ctx):
        needed = join.required_class(ctx.policy, [c["category"] for c in found], table)
        for store in write.stores:
            tagged = join.store_class(ctx.policy, store)
            data_class = tagged
            if needed and join.class_rank(ctx.policy, needed) > join.class_rank(ctx.policy, tagged):
                data_class = needed
            max_days = ctx.policy.max_retention_days(data_class)
            expiry = store["expiry"]
            extra = {"data_class": data_class, "max_days": max_days if max_days else "none"}
            # A Firehose stream's is the expiry of the bucket it delivers to (``via``).
            via = f" in its destination {expiry['via']}" if expiry.get("via") else ""
            if expiry["status"] == "missing":
                where = None
                if via:
                    where = Related(loc_of(expiry["via_loc"]), f"destination {expiry['via']}")
                shown = expiry.get("shown", "not set")  # DH302's words for the same store
                yield _hit(write, found, store, {**extra, "days": f"{shown}{via}"}, where)
            elif expiry["status"] == "set" and max_days is not None and expiry["days"] > max_days:
                where = Related(loc_of(expiry["loc"]), f"expiry set here{via}")
                days = f"{expiry['days']}{' days' + via if via else ''}"
                yield _hit(write, found, store, {**extra, "days": days}, where)
            elif expiry["status"] == "unknown" and expiry.get("attribute"):
                # A DynamoDB ttl: each item expires at the time its attribute holds.
                attribute = expiry["attribute"]
                if updates is None:
                    updates = _ttl_updates(workspace)
                if _ttl_not_written(write, attribute, updates):
                    days = f"none for these items, which have no '{attribute}', its ttl attribute"
                    where = Related(loc_of(expiry["loc"]), f"ttl on '{attribute}' enabled here")
                    yield _hit(write, found, store, {**extra, "days": days}, where)


def logging(workspace: Workspace, ctx: Context) -> Iterable[Hit]:
    for write, found in _writes(workspace, ctx):
        for store in write.stores:
            if store["access_logging"]["status"] == "missing":
                yield _hit(write, found, store, {})


def classification(workspace: Workspace, ctx: Context) -> Iterable[Hit]:
    table = ctx.params.get("required_class")
    settings = ctx.policy.settings["classification"]
    for write, found in _writes(workspace, ctx):
        needed = join.required_class(ctx.policy, [c["category"] for c in found], table)
        if needed is None:
            continue
        for store in write.stores:
            tag = store.get("tags", {}).get(settings["tag"])
            if store.get("tags_unknown") or tag not in settings["values"]:
                continue  # unknown, absent (DH801) or undefined (DH802)
            if join.class_rank(ctx.policy, tag) < join.class_rank(ctx.policy, needed):
                yield _hit(write, found, store, {"data_class": tag, "required_class": needed})
