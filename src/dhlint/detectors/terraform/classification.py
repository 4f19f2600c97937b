"""Data-classification tags on storage resources (tag key and values from the policy).

- ``missing`` (DH801): a storage resource (``params.types``) without the classification tag
  (AWS/Azure ``tags``, merged with AWS provider ``default_tags``; GCP ``labels``, Cloud SQL
  ``settings.user_labels``). A store that takes its owner's class (a BigQuery table without
  the label, its dataset's: ``Resource.classification_tag``) is not reported when the owner
  has the tag (or its tags are unknown).
- ``invalid`` (DH802): a tag value the policy does not define. The other rules judge such a
  store as the policy's default class (``Resource.data_class``), and the message says so.

Resources whose tags are unknown (``tags = var.tags`` without a value) are not judged.
"""

from __future__ import annotations

from collections.abc import Iterable

from dhlint.analysis import Context
from dhlint.detectors.terraform._judged import judges_param
from dhlint.models.terraform import Resource, TerraformModel, is_unknown
from dhlint.types import Hit


def _tags_unknown(res: Resource) -> bool:
    values = [res.values.get(k) for k in ("tags", "labels")]
    values += [v for _, v in res.find("settings.user_labels")]
    return any(is_unknown(v) for v in values)


def _carrier(res: Resource) -> str:
    if res.type == "google_sql_database_instance":
        return "settings.user_labels"
    return "labels" if res.type.startswith("google_") else "tags"


def missing(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    key = ctx.policy.settings["classification"]["tag"]
    for res in model.of_type(*ctx.params.get("types", [])):
        if _tags_unknown(res):
            continue
        if key not in res.tags:
            if res.owner is not None and (
                _tags_unknown(res.owner) or res.classification_tag(ctx.policy) is not None
            ):
                continue  # a BigQuery table takes its dataset's class (labelled there)
            carrier = _carrier(res)
            where = carrier if res.find(carrier) else None
            yield res.hit(where, tag=key)


def invalid(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    settings = ctx.policy.settings["classification"]
    key, allowed = settings["tag"], settings["values"]
    for res in model.of_type(*ctx.params.get("types", [])):
        value = res.tags.get(key)
        if value is None or is_unknown(value) or not isinstance(value, str):
            continue
        if value not in allowed:
            yield res.hit(
                f"{_carrier(res)}.{key}",
                tag=key,
                value=value,
                allowed=", ".join(allowed),
                default=settings["default"],
            )


missing.judged_types = judges_param("types")  # type: ignore[attr-defined]
invalid.judged_types = judges_param("types")  # type: ignore[attr-defined]
