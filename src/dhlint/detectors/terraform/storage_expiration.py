"""DH302: a bucket/storage account that may hold classified data has no expiration of all its
objects, or one longer than the policy maximum for its class.

Only an expiry that covers every object of the store counts; a rule limited by a filter leaves
the other objects forever (``Scope``):

- S3: provider-v3 inline ``lifecycle_rule`` (``enabled``, ``expiration.days``; a non-empty
  ``prefix`` or ``tags`` limits it) or a linked ``aws_s3_bucket_lifecycle_configuration``
  (``rule`` with ``status = "Enabled"`` and ``expiration.days``; a non-empty rule ``prefix``,
  ``filter.prefix``, a ``filter.tag``, ``filter.and`` with a prefix or tags, or an object size
  bound limits it). On a versioned bucket (``aws_s3_bucket_versioning`` Enabled, inline
  ``versioning.enabled``, or object lock, which forces versioning) an expiration only adds a
  delete marker: the object is kept as a previous version until a whole-bucket
  ``noncurrent_version_expiration`` (without ``newer_noncurrent_versions``) deletes it, so the
  retention is the sum of both. An Object Lock default retention (``COMPLIANCE`` or
  ``GOVERNANCE``: a lifecycle rule cannot bypass either) keeps every version at least its
  ``days`` (or ``years`` of 365 days) whatever the lifecycle says: the retention is the longer.
- GCS: a ``lifecycle_rule`` whose ``action.type`` is ``Delete`` with ``condition.age`` days,
  unless a condition limits it to some objects (prefix, suffix, storage class, archived or
  older versions, dates, custom time). A ``retention_policy`` is a minimum hold (objects cannot
  be deleted before it), not an expiry; beside a Delete rule it keeps every object its
  ``retention_period``, locked or not, so the retention is the longer. On a versioned bucket
  a Delete only makes a live object noncurrent: the versions go by a rule that matches them
  (``with_state`` ANY, the default, or ARCHIVED with an ``age``, or
  ``days_since_noncurrent_time``), else never.
- Azure: a linked, enabled ``azurerm_storage_management_policy`` rule with a
  ``delete_after_days_since_*`` base-blob action, unless ``prefix_match`` or
  ``match_blob_index_tag`` limits it. An account ``immutability_policy`` (Unlocked or Locked)
  keeps every blob version ``period_since_creation_in_days``: the retention is the longer.

- Azure Cosmos DB: a SQL API container's ``default_ttl`` (seconds; its class is its account's),
  as a MongoDB collection's ``default_ttl_seconds``, a Gremlin graph's and a Cassandra table's
  ``default_ttl`` (a table's class is its keyspace's account's). Not set, Cosmos DB never
  deletes an item; ``-1`` deletes only the items the code gives a
  ``ttl`` of their own: neither is an expiry. An ``analytical_storage_ttl`` keeps a copy of
  every item in the analytical store that long (``-1``: forever), so the longer of the two is
  the container's retention.
- AWS Timestream: a table's ``retention_properties``: records leave the memory store after
  ``memory_store_retention_period_in_hours`` and the magnetic store after
  ``magnetic_store_retention_period_in_days``, so the longer of the two is the table's
  retention. Without the block AWS keeps records 73,000 days (its default: 200 years).

Classes without a maximum (``public`` by default) are not judged; unknown values are not. The
inventory (``_tf_expiry``, behind DH390) reads the same ``verdict``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from dhlint.analysis import Context
from dhlint.detectors.terraform._judged import judges
from dhlint.detectors.terraform._origin import value_origin
from dhlint.models.terraform import Resource, TerraformModel, is_absent, is_unknown
from dhlint.models.terraform_eval import Unknown
from dhlint.types import Hit, Location, Related


@dataclass(frozen=True)
class Expiry:
    """One expiry: the resource carrying it, its key path there, days (number or Unknown)."""

    carrier: Resource
    path: tuple
    days: Any


@dataclass
class Found:
    """What one store's configuration says about deleting its objects."""

    current: list[Expiry] = field(default_factory=list)
    noncurrent: list[Expiry] = field(default_factory=list)  # previous versions, after N days
    # GCS: rules that delete noncurrent versions by their age (days since created).
    noncurrent_age: list[Expiry] = field(default_factory=list)
    scoped: list[Expiry] = field(default_factory=list)  # current, limited by a filter: ignored
    versioning: tuple[Resource, tuple] | None = None  # where versioning is turned on


class Scope(Enum):
    ALL = "all"  # every object
    SOME = "some"  # only objects matching a filter
    UNKNOWN = "unknown"


def _combine(scopes: Iterable[Scope]) -> Scope:
    scopes = list(scopes)
    if Scope.SOME in scopes:
        return Scope.SOME
    return Scope.UNKNOWN if Scope.UNKNOWN in scopes else Scope.ALL


def _values(block: dict, path: str) -> list[Any]:
    """Every value at ``path`` inside a nested block (each branch; Unknown where unknown)."""
    return [value for _, value in _wrap(block).find(path)]


def _text_scope(value: Any) -> Scope:
    """A prefix/suffix/date: empty or absent matches everything."""
    if is_absent(value) or value == "":
        return Scope.ALL
    if isinstance(value, str):
        return Scope.SOME
    if isinstance(value, Unknown) and (value.partial or "").replace("${?}", ""):
        return Scope.SOME  # "staging/${var.x}" is not empty whatever the variable
    if isinstance(value, list):
        return _combine(_text_scope(v) for v in value)
    return Scope.UNKNOWN


def _number_scope(value: Any) -> Scope:
    """A size, count or day bound: absent or 0 does not limit (the Google provider does not send
    a 0; "larger than 0 bytes" leaves out only empty objects, which hold no data)."""
    if is_absent(value) or (not isinstance(value, bool) and value == 0):
        return Scope.ALL
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Scope.SOME
    return Scope.UNKNOWN


def _present_scope(value: Any) -> Scope:
    """A tag filter or tag map: any tag leaves untagged objects out."""
    if is_absent(value):
        return Scope.ALL
    return Scope.UNKNOWN if is_unknown(value) else Scope.SOME


def _scope(block: dict, checks: dict[str, Callable[[Any], Scope]]) -> Scope:
    return _combine(check(v) for path, check in checks.items() for v in _values(block, path))


# An S3 object size filter counts: objects on the other side of the bound are never expired
# (plate reads are small JSON objects, so "larger than 1 MB" leaves them all).
_S3_FILTER = {
    "prefix": _text_scope,
    "tag": _present_scope,
    "object_size_greater_than": _number_scope,
    "object_size_less_than": _number_scope,
    "and.prefix": _text_scope,
    "and.tags": _present_scope,
    "and.object_size_greater_than": _number_scope,
    "and.object_size_less_than": _number_scope,
}


def _s3_rule_scope(rule: dict, inline: bool) -> Scope:
    if inline:  # provider v3 ``lifecycle_rule``: prefix and tags are attributes of the rule
        return _scope(rule, {"prefix": _text_scope, "tags": _present_scope})
    filters = _values(rule, "filter")
    if any(is_unknown(f) for f in filters):
        return Scope.UNKNOWN
    rule_prefix = _scope(rule, {"prefix": _text_scope})  # deprecated rule-level prefix
    return _combine([rule_prefix, *(_scope(f, _S3_FILTER) for _, f in _blocks(rule, "filter"))])


def _s3(bucket: Resource) -> Found:
    found = Found()
    rules = [(bucket, path, rule, True) for path, rule in bucket.blocks("lifecycle_rule")]
    for comp in bucket.companions.get("lifecycle", []):
        rules += [(comp, path, rule, False) for path, rule in comp.blocks("rule")]
    for carrier, keypath, rule, inline in rules:
        if inline and rule.get("enabled") is False:
            continue
        if not inline and isinstance(rule.get("status"), str) and rule["status"] != "Enabled":
            continue
        scope = _s3_rule_scope(rule, inline)
        nc_key = "days" if inline else "noncurrent_days"
        # Keeping the N newest previous versions keeps the last ones forever.
        keep_newer = _scope(
            rule, {"noncurrent_version_expiration.newer_noncurrent_versions": _number_scope}
        )
        for target, path, extra in (
            (found.current, "expiration.days", Scope.ALL),
            (found.noncurrent, f"noncurrent_version_expiration.{nc_key}", keep_newer),
        ):
            for subpath, days in _wrap(rule).find(path):
                _add(
                    found,
                    target,
                    Expiry(carrier, (*keypath, *subpath), days),
                    _combine([scope, extra]),
                )
    found.versioning = _s3_versioning(bucket)
    return found


def _s3_versioning(bucket: Resource) -> tuple[Resource, tuple] | None:
    """Where versioning is known to be on (Suspended, unknown or absent: off)."""
    for comp in bucket.companions.get("versioning", []):
        for path, status in comp.find("versioning_configuration.status"):
            if status == "Enabled":
                return comp, path
    for path, enabled in bucket.find("versioning.enabled"):
        if enabled is True:
            return bucket, path
    # Object lock cannot be turned on without versioning (S3 turns it on with the lock).
    for path, value in bucket.find("object_lock_enabled"):
        if value is True:
            return bucket, path
    for path, value in bucket.find("object_lock_configuration.object_lock_enabled"):
        if value == "Enabled":
            return bucket, path
    return None


def _s3_lock(bucket: Resource) -> tuple[Expiry, float, str] | None:
    """The longest known Object Lock default retention (where, days, mode): a linked
    ``aws_s3_bucket_object_lock_configuration`` or the provider-v3 inline block."""
    carriers = [(c, "rule") for c in bucket.companions.get("object_lock", [])]
    carriers.append((bucket, "object_lock_configuration.rule"))
    longest = None
    for carrier, prefix in carriers:
        for path, retention in carrier.blocks(f"{prefix}.default_retention"):
            mode = retention.get("mode")
            for unit, factor in (("days", 1), ("years", 365)):
                value = retention.get(unit)
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                    continue
                days = float(value * factor)
                if longest is None or days > longest[1]:
                    at = Expiry(carrier, (*path, unit), value)
                    longest = (at, days, mode if isinstance(mode, str) else "")
    return longest


def _number(value: Any) -> float | None:
    """A positive number, also written as a string (None: unknown, absent or not one)."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return float(value)


def _gcs_retention(bucket: Resource) -> tuple[Expiry, float, tuple[str, str]] | None:
    """A bucket ``retention_policy`` (``retention_period`` in seconds): GCS refuses to delete
    an object, a lifecycle Delete included, until it is that old. Locked, the period can no
    longer be shortened or removed; unlocked, it holds every object all the same until an
    administrator changes it."""
    for path, policy in bucket.blocks("retention_policy"):
        seconds = _number(policy.get("retention_period"))
        if seconds is None:
            continue
        locked = "locked" if policy.get("is_locked") is True else "not locked"
        keeps = f"the retention policy ({locked}) keeps every object that long"
        at = Expiry(bucket, (*path, "retention_period"), policy["retention_period"])
        days = math.ceil(seconds / 864) / 100  # shown to a hundredth, never under
        return at, days, (keeps, "an object before it is that old")
    return None


def _azure_immutability(account: Resource) -> tuple[Expiry, float, tuple[str, str]] | None:
    """An account ``immutability_policy`` (version-level WORM, ``state`` Unlocked or Locked;
    Disabled protects nothing): no blob version can be deleted, by a management policy either,
    for ``period_since_creation_in_days``."""
    for path, policy in account.blocks("immutability_policy"):
        state = policy.get("state")
        key = "period_since_creation_in_days"
        days = _number(policy.get(key))
        if days is None or state not in ("Unlocked", "Locked"):
            continue
        keeps = f"the immutability policy ({state}) keeps every blob version that long"
        at = Expiry(account, (*path, "period_since_creation_in_days"), policy[key])
        return at, days, (keeps, "a protected one")
    return None


def _floor(store: Resource) -> tuple[Expiry, float, tuple[str, str]] | None:
    """How long a store keeps every object whatever its lifecycle says: (where, days, (what
    keeps them, what the lifecycle cannot delete))."""
    if store.type == "aws_s3_bucket":
        lock = _s3_lock(store)
        if lock is None:
            return None
        at, days, mode = lock
        mode = f" ({mode})" if mode else ""
        return at, days, (f"Object Lock{mode} keeps every object version that long", "a locked one")
    if store.type == "google_storage_bucket":
        return _gcs_retention(store)
    if store.type == "azurerm_storage_account":
        return _azure_immutability(store)
    return None


# A GCS condition matches an object only when all its parts do: each of these leaves some live
# objects out (other names or classes, live versions, objects without a custom time, objects
# created after a date).
_GCS_CONDITION = {
    "matches_prefix": _text_scope,
    "matches_suffix": _text_scope,
    "matches_storage_class": _present_scope,
    "num_newer_versions": _number_scope,
    "days_since_noncurrent_time": _number_scope,
    "noncurrent_time_before": _text_scope,
    "days_since_custom_time": _number_scope,
    "custom_time_before": _text_scope,
    "created_before": _text_scope,
}


def _gcs_state_scope(value: Any) -> Scope:
    if is_absent(value) or value in ("", "ANY", "LIVE"):
        return Scope.ALL
    return Scope.SOME if isinstance(value, str) else Scope.UNKNOWN  # ARCHIVED: old versions


# With versioning on, a Delete of a live object only makes it noncurrent. Versions are removed
# by a rule that matches noncurrent ones: ``with_state`` ANY (the default) or ARCHIVED with an
# ``age`` (counted from creation, so a version older than that goes at the next pass), or
# ``days_since_noncurrent_time``. ``num_newer_versions`` never removes the last version of a
# deleted object (nothing is newer), so it bounds nothing.
_GCS_NONCURRENT_FILTER = {
    k: v for k, v in _GCS_CONDITION.items() if k != "days_since_noncurrent_time"
}


def _gcs(bucket: Resource) -> Found:
    found = Found()
    found.versioning = next(
        ((bucket, path) for path, on in bucket.find("versioning.enabled") if on is True), None
    )
    for keypath, rule in bucket.blocks("lifecycle_rule"):
        types = _values(rule, "action.type")
        if not any(is_unknown(t) or t == "Delete" for t in types):
            continue
        for condpath, cond in _blocks(rule, "condition"):
            if cond.get("no_age") is True:  # the provider then leaves age out of the rule
                continue
            state = _scope(cond, {"with_state": _gcs_state_scope})
            scope = _combine([_scope(cond, _GCS_CONDITION), state])
            # Does the rule match noncurrent versions (with_state ANY or ARCHIVED)?
            versions = [_scope(cond, {"with_state": _gcs_versions_scope})]
            for agepath, days in _wrap(cond).find("age"):
                expiry = Expiry(bucket, (*keypath, *condpath, *agepath), days)
                _add(found, found.current, expiry, scope)
                if found.versioning:
                    nc_scope = _combine([_scope(cond, _GCS_CONDITION), *versions])
                    _add(found, found.noncurrent_age, expiry, nc_scope)
            if found.versioning:
                for ncpath, days in _wrap(cond).find("days_since_noncurrent_time"):
                    expiry = Expiry(bucket, (*keypath, *condpath, *ncpath), days)
                    if "age" in cond:  # both must hold: not worked out
                        expiry = replace(expiry, days=Unknown())
                    nc_scope = _combine([_scope(cond, _GCS_NONCURRENT_FILTER), *versions])
                    _add(found, found.noncurrent, expiry, nc_scope)
    return found


def _gcs_versions_scope(value: Any) -> Scope:
    if is_absent(value) or value in ("", "ANY", "ARCHIVED"):
        return Scope.ALL
    return Scope.SOME if isinstance(value, str) else Scope.UNKNOWN  # LIVE: live objects only


_AZURE_DELETE = (
    "delete_after_days_since_modification_greater_than",
    "delete_after_days_since_creation_greater_than",
    "delete_after_days_since_last_access_time_greater_than",
)


def _azure(account: Resource) -> Found:
    found = Found()
    for comp in account.companions.get("lifecycle", []):
        for keypath, rule in comp.blocks("rule"):
            if rule.get("enabled") is False:
                continue
            # blob_types (required) is not judged: policies usually name only blockBlob, which
            # holds the data; an append-blob-only gap is not worth flagging every policy for.
            scope = _scope(
                rule,
                {
                    "filters.prefix_match": _text_scope,
                    "filters.match_blob_index_tag": _present_scope,
                },
            )
            for key in _AZURE_DELETE:
                for path, days in _wrap(rule).find(f"actions.base_blob.{key}"):
                    _add(found, found.current, Expiry(comp, (*keypath, *path), days), scope)
    return found


def _add(found: Found, target: list[Expiry], expiry: Expiry, scope: Scope) -> None:
    if is_absent(expiry.days):
        return
    if scope is Scope.SOME:
        if target is found.current:  # shown when no expiry of every object exists
            found.scoped.append(expiry)
    elif scope is Scope.UNKNOWN:  # might cover everything: not judged, like an unknown day count
        target.append(Expiry(expiry.carrier, expiry.path, Unknown()))
    else:
        target.append(expiry)


def _blocks(block: dict, path: str) -> list[tuple[tuple, dict]]:
    return _wrap(block).blocks(path)


def _wrap(values: dict) -> Resource:
    """A throwaway resource so that ``find`` can walk a nested block."""
    return Resource("", "", "", "", "", "", Location("", 1), (1, 1), values)


KINDS: dict[str, Callable[[Resource], Found]] = {
    "aws_s3_bucket": _s3,
    "google_storage_bucket": _gcs,
    "azurerm_storage_account": _azure,
}


@dataclass(frozen=True)
class Verdict:
    """How long a store keeps its objects at most, from its configuration alone."""

    status: str  # set | missing | unknown
    days: float | None = None
    shown: str = "not set"  # for the message
    at: Expiry | None = None  # where to point (None: the store's header)
    related: tuple[Related, ...] = ()


def _shortest(expiries: list[Expiry]) -> tuple[str, float | None, Expiry | None]:
    if not expiries:
        return "missing", None, None
    if any(is_unknown(e.days) for e in expiries):
        return "unknown", None, expiries[0]
    numbers = []
    for e in expiries:
        try:
            numbers.append((float(e.days), e))
        except (TypeError, ValueError):
            continue
    if not numbers:
        return "unknown", None, expiries[0]
    days, expiry = min(numbers, key=lambda item: item[0])
    return "set", days, expiry


def _num(days: float) -> str:
    return str(int(days)) if days.is_integer() else str(days)


def verdict(store: Resource) -> Verdict:
    """The store's verdict, worked out once per resource: DH302 and the inventory's facts
    (``dhlint.inventory.facts``) both ask for it, after the model is built."""
    found = store.__dict__.get("_expiry_verdict")
    if found is None:
        found = store.__dict__["_expiry_verdict"] = _verdict(store)
    return found


# Cosmos DB containers -> their TTL attribute (seconds): the SQL API's container, the MongoDB
# API's collection, the Cassandra API's table, the Gremlin API's graph. Each takes no tags.
COSMOS_CONTAINERS = {
    "azurerm_cosmosdb_sql_container": "default_ttl",
    "azurerm_cosmosdb_mongo_collection": "default_ttl_seconds",
    "azurerm_cosmosdb_cassandra_table": "default_ttl",
    "azurerm_cosmosdb_gremlin_graph": "default_ttl",
}


def _seconds(value: Any) -> float | None:
    """A Cosmos DB TTL in seconds, as days (None: not a usable number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return value / 86400


def _cosmos(store: Resource) -> Verdict:
    attr = COSMOS_CONTAINERS[store.type]
    ttl = store.values.get(attr)
    analytical = store.values.get("analytical_storage_ttl")
    if any(is_unknown(v) or isinstance(v, (list, dict)) for v in (ttl, analytical)):
        return Verdict("unknown")
    if not isinstance(analytical, bool) and analytical == -1:
        at = Expiry(store, ("analytical_storage_ttl",), analytical)
        shown = "analytical_storage_ttl = -1, the analytical store keeps every item forever"
        return Verdict("missing", shown=shown, at=at)
    if is_absent(ttl):
        return Verdict("missing", shown=f"{attr} not set, items never expire")
    if not isinstance(ttl, bool) and ttl == -1:
        shown = f"{attr} = -1, an item expires only if the code gives it a ttl"
        return Verdict("missing", shown=shown, at=Expiry(store, (attr,), ttl))
    days = _seconds(ttl)
    if days is None:
        return Verdict("unknown")
    at = Expiry(store, (attr,), ttl)
    kept = _seconds(analytical)
    if kept is not None and kept > days:
        days, at = kept, Expiry(store, ("analytical_storage_ttl",), analytical)
    return Verdict("set", days, f"{_num(days)} days", at)


# AWS's defaults for a Timestream table created without retention_properties.
_TIMESTREAM_DEFAULT_DAYS = 73000
_TIMESTREAM = "aws_timestreamwrite_table"


def _timestream(store: Resource) -> Verdict:
    """A Timestream table keeps a record until both stores have let it go: the longer of the
    memory store's period (hours) and the magnetic store's (days)."""
    found = store.find("retention_properties")
    if not found or all(is_absent(v) for _, v in found):
        shown = (
            f"retention_properties not set, AWS keeps records {_TIMESTREAM_DEFAULT_DAYS} days "
            "(its default)"
        )
        return Verdict("set", float(_TIMESTREAM_DEFAULT_DAYS), shown)
    parts = []
    for attr, scale in (
        ("magnetic_store_retention_period_in_days", 1),
        ("memory_store_retention_period_in_hours", 24),
    ):
        for path, value in store.find(f"retention_properties.{attr}"):
            if is_unknown(value) or isinstance(value, bool) or not isinstance(value, (int, float)):
                return Verdict("unknown")
            parts.append((value / scale, Expiry(store, path, value)))
    if not parts:
        return Verdict("unknown")
    days, at = max(parts, key=lambda part: part[0])
    return Verdict("set", days, f"{_num(float(days))} days", at)


def _verdict(store: Resource) -> Verdict:
    if store.type in COSMOS_CONTAINERS:
        return _cosmos(store)
    if store.type == _TIMESTREAM:
        return _timestream(store)
    found = KINDS[store.type](store)
    result = _expiry_verdict(store, found)
    if result.status == "missing":
        return _missing_beside_floor(store, result)
    if result.status != "set" or result.days is None:
        return result
    floor = _floor(store)
    if floor is None or result.days >= floor[1]:
        return result
    at, days, (keeps, cannot) = floor
    shown = (
        f"{_num(days)} days: {keeps}; the lifecycle's {_num(result.days)} days cannot "
        f"delete {cannot}"
    )
    related: tuple[Related, ...] = ()
    if result.at is not None:
        where = result.at.carrier.loc(result.at.path)
        related = (Related(where, f"the lifecycle: {result.shown}"),)
    return Verdict("set", days, shown, at, related)


def _missing_beside_floor(store: Resource, result: Verdict) -> Verdict:
    """No expiry of every object, beside a floor (an immutability policy, Object Lock, a
    retention policy): still no expiry, but the message says the floor keeps every object that
    long, which an expiry added later cannot shorten (probe45 10: a Locked 7-year policy)."""
    floor = _floor(store)
    if floor is None:
        return result
    at, days, (keeps, _cannot) = floor
    kept = keeps.removesuffix("that long") + f"{_num(days)} days"
    where = Related(at.carrier.loc(at.path), f"{kept}, whatever the lifecycle says")
    return replace(
        result,
        shown=f"{result.shown}; {kept}, and nothing deletes it after",
        related=(*result.related, where),
    )


def _expiry_verdict(store: Resource, found: Found) -> Verdict:
    status, days, expiry = _shortest(found.current)
    if status == "missing":
        if found.scoped:  # say why the filtered rules were not enough
            scoped = tuple(
                Related(e.carrier.loc(e.path), "expires only objects matching a filter")
                for e in found.scoped
            )
            return Verdict(
                "missing",
                shown="only for objects matching a filter, not for every object",
                related=scoped,
            )
        return Verdict("missing")
    if status == "unknown" or days is None or expiry is None:
        return Verdict("unknown", at=expiry)
    if found.versioning is None:
        return Verdict("set", days, f"{_num(days)} days", expiry)
    comp, path = found.versioning
    versioned = (Related(comp.loc(path), "versioning keeps previous versions"),)
    nc_status, nc_days, nc_expiry = _shortest(found.noncurrent)
    if store.type == "google_storage_bucket":
        return _gcs_versioned(found, days, expiry, versioned)
    if nc_status == "missing":
        shown = (
            f"{_num(days)} days, but it only adds a delete marker: versioning keeps the previous "
            "versions forever without a noncurrent_version_expiration"
        )
        return Verdict("missing", shown=shown, at=expiry, related=versioned)
    if nc_status == "unknown" or nc_days is None or nc_expiry is None:
        return Verdict("unknown", at=nc_expiry)
    total = days + nc_days
    shown = (
        f"{_num(total)} days: {_num(days)} until a delete marker, "
        f"then {_num(nc_days)} as a previous version"
    )
    at, other = _larger_part(
        (days, expiry, "until a delete marker"), (nc_days, nc_expiry, "as a previous version")
    )
    return Verdict("set", total, shown, at, (*versioned, other))


def _larger_part(
    first: tuple[float, Expiry, str], then: tuple[float, Expiry, str]
) -> tuple[Expiry, Related]:
    """Where a retention in two parts (days, where, what) is pointed at: the larger part,
    which breaks the limit or does most to; the other part is a related location."""
    at, other = (first, then) if first[0] >= then[0] else (then, first)
    days, expiry, label = other
    return at[1], Related(expiry.carrier.loc(expiry.path), f"{_num(days)} days {label}")


def _gcs_versioned(
    found: Found, days: float, expiry: Expiry, versioned: tuple[Related, ...]
) -> Verdict:
    """A versioned GCS bucket: its live objects go noncurrent after ``days``; the versions go
    at the age a rule matching them names (never before ``days``), or N days later."""
    by_age = _shortest(found.noncurrent_age)
    after = _shortest(found.noncurrent)
    if "unknown" in (by_age[0], after[0]):
        return Verdict("unknown", at=by_age[2] if by_age[0] == "unknown" else after[2])
    options: list[tuple[float, str, Expiry, tuple[Related, ...]]] = []
    if by_age[1] is not None and by_age[2] is not None:
        if by_age[1] <= days:
            options.append((days, f"{_num(days)} days", expiry, ()))
        else:
            shown = (
                f"{_num(by_age[1])} days: the live version becomes noncurrent at {_num(days)}, "
                f"and is deleted at {_num(by_age[1])} days old"
            )
            options.append((by_age[1], shown, by_age[2], versioned))
    if after[1] is not None and after[2] is not None:
        total = days + after[1]
        shown = (
            f"{_num(total)} days: {_num(days)} until the live version becomes noncurrent, "
            f"then {_num(after[1])} as a noncurrent version"
        )
        at, other = _larger_part(
            (days, expiry, "until the live version becomes noncurrent"),
            (after[1], after[2], "as a noncurrent version"),
        )
        options.append((total, shown, at, (*versioned, other)))
    if not options:
        shown = (
            f'{_num(days)} days, but with_state = "LIVE" only makes objects noncurrent: '
            "versioning keeps them forever without a Delete rule for noncurrent versions"
        )
        return Verdict("missing", shown=shown, at=expiry, related=versioned)
    total, shown, at, related = min(options, key=lambda option: option[0])
    return Verdict("set", total, shown, at, related)


def _class_holder(resource: Resource) -> Resource:
    """Whose tags classify the store: a Cassandra table's keyspace takes none either, so its
    class is the keyspace's account's (its owner's owner)."""
    keyspace = resource.owner
    if resource.type == "azurerm_cosmosdb_cassandra_table" and keyspace is not None:
        return keyspace.owner or keyspace
    return resource


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    for resource in model.of_type(*KINDS, *COSMOS_CONTAINERS, _TIMESTREAM):
        data_class = _class_holder(resource).data_class(ctx.policy)
        max_days = ctx.policy.max_retention_days(data_class)
        if max_days is None:
            continue
        result = verdict(resource)
        if result.status == "unknown":
            continue
        if result.status == "set" and result.days is not None and result.days <= max_days:
            continue
        args = {
            "name": resource.address,
            "type": resource.type,
            "max_days": max_days,
            "data_class": data_class,
            "days": result.shown,
        }
        at = result.at
        hit = at.carrier.hit(at.path, **args) if at is not None else resource.hit(None, **args)
        related = result.related
        if at is not None and at.carrier is not resource:
            related = (Related(resource.location, resource.address), *related)
        origin = (
            value_origin(model, at.carrier, at.days, near=hit.location) if at is not None else None
        )
        if origin is not None:
            related = (*related, origin)
        if related:
            hit = replace(hit, related=related)
        yield hit


detect.judged_types = judges(*KINDS, *COSMOS_CONTAINERS, _TIMESTREAM)  # type: ignore[attr-defined]
