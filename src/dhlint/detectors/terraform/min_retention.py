"""DH305: audit logs kept shorter than the policy's minimum (``retention.min_days``).

- CloudWatch log groups that receive CloudTrail (``aws_cloudtrail.cloud_watch_logs_group_arn``)
  or whose name matches ``params.audit_name`` (audit, cloudtrail, flow logs).
- Azure SQL auditing policies (``retention_in_days``; 0 means unlimited).
- GCP log buckets (``google_logging_project_bucket_config.retention_days``) that hold audit
  logs: a log sink (project, folder, organization, billing account) routes audit logs, or all
  logs, to it; the project's ``_Default`` bucket (Data Access audit logs); named as audit
  (``bucket_id``, else the resource's name); or a ``bucket_id`` not known (probe39 #11: an
  application's log bucket is not an audit log).
- Azure Log Analytics workspaces that receive a diagnostic setting's logs
  (``azurerm_monitor_diagnostic_setting.log_analytics_workspace_id``) or are named as audit logs
  (``retention_in_days``; not set, Azure keeps 30 days).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from dhlint.analysis import Context
from dhlint.detectors.terraform._origin import value_origin
from dhlint.models.terraform import Resource, TerraformModel, is_absent, is_unknown, partial_text
from dhlint.types import Hit

AUDIT_NAME = r"(?i)(audit|cloudtrail|flow[-_]?logs?|access[-_]?logs?)"


AZURE_WORKSPACE_DEFAULT_DAYS = 30  # the provider's default for retention_in_days


def _short(
    model: TerraformModel, res: Resource, attr: str, min_days: int, zero_is_forever: bool
) -> Hit | None:
    for keypath, value in res.find(attr):
        if is_unknown(value) or is_absent(value):
            continue
        try:
            days = float(value)
        except (TypeError, ValueError):
            continue
        if zero_is_forever and days == 0:
            continue
        if days < min_days:
            hit = res.hit(keypath, days=value, min_days=min_days, unset="")
            # From a variable: where the value is written (a tfvars line, a default, a
            # module call's argument), as DH301 says, so a commit lowering it there fails.
            origin = value_origin(model, res, value, near=hit.location)
            return replace(hit, related=(*hit.related, origin)) if origin else hit
    return None


def _sends_logs(setting: Resource) -> bool:
    """Whether a diagnostic setting may send log categories: not when it has ``metric``
    blocks and no ``enabled_log`` block nor a ``log`` block left enabled (metrics only)."""
    values = setting.values
    if not values.get("metric") or values.get("enabled_log"):
        return True
    logs = values.get("log")
    entries = logs if isinstance(logs, list) else [logs] if logs else []
    return any(not (isinstance(e, dict) and e.get("enabled") is False) for e in entries)


def _workspace_short(model: TerraformModel, res: Resource, min_days: int) -> Hit | None:
    """A Log Analytics workspace keeps 30 days when ``retention_in_days`` is not set."""
    found = res.find("retention_in_days")
    if found and not all(is_absent(v) for _, v in found):
        return _short(model, res, "retention_in_days", min_days, False)
    if min_days > AZURE_WORKSPACE_DEFAULT_DAYS:
        return res.hit(
            None,
            days=AZURE_WORKSPACE_DEFAULT_DAYS,
            min_days=min_days,
            unset=" (retention_in_days is not set: Azure's default)",
        )
    return None


SINK_TYPES = (
    "google_logging_project_sink",
    "google_logging_folder_sink",
    "google_logging_organization_sink",
    "google_logging_billing_account_sink",
)
# A sink's filter that selects audit logs (cloudaudit.googleapis.com, the AuditLog type).
_AUDIT_FILTER = re.compile(r"(?i)audit")
_BUCKET_IN_DESTINATION = re.compile(r"/buckets/([^/\s\"]+)")


def _audit_log_buckets(model: TerraformModel) -> tuple[set[str], set[str]]:
    """The addresses and the ``bucket_id``s of the GCP log buckets a sink routes audit logs
    (a filter about audit logs, or none: every log) to."""
    addresses: set[str] = set()
    ids: set[str] = set()
    for sink in model.of_type(*SINK_TYPES):
        filter_ = sink.values.get("filter")
        if isinstance(filter_, str) and filter_.strip() and not _AUDIT_FILTER.search(filter_):
            continue  # a filter not about audit logs (one not known may be)
        destination = sink.values.get("destination")
        for bucket in model.linked(destination, ["google_logging_project_bucket_config"]):
            addresses.add(bucket.address)
        text = partial_text(destination)
        if text:
            ids.update(m.group(1) for m in _BUCKET_IN_DESTINATION.finditer(text))
    return addresses, ids


def _gcp_audit_bucket(res: Resource, pattern: re.Pattern, routed: tuple[set, set]) -> bool:
    bucket_id = res.values.get("bucket_id")
    if not isinstance(bucket_id, str) or not bucket_id or "${" in bucket_id:
        return True  # not known: it may be one
    addresses, ids = routed
    return (
        res.address in addresses
        or bucket_id in ids
        or bucket_id == "_Default"
        or bool(pattern.search(bucket_id) or pattern.search(res.name))
    )


def detect(model: TerraformModel, ctx: Context) -> Iterable[Hit]:
    min_days = ctx.policy.settings["retention"]["min_days"]
    pattern = re.compile(ctx.params.get("audit_name", AUDIT_NAME))
    trail_targets = set()
    for trail in model.of_type("aws_cloudtrail"):
        for group in model.linked(
            trail.values.get("cloud_watch_logs_group_arn"), ["aws_cloudwatch_log_group"], "name"
        ):
            trail_targets.add(group.address)
    # Azure resource logs (a storage account's reads, a database's audit) land in a workspace.
    for setting in model.of_type("azurerm_monitor_diagnostic_setting"):
        if not _sends_logs(setting):
            continue  # metrics only: no record of who did what lands in the workspace
        for workspace in model.linked(
            setting.values.get("log_analytics_workspace_id"), ["azurerm_log_analytics_workspace"]
        ):
            trail_targets.add(workspace.address)
    routed: tuple[set[str], set[str]] | None = None  # GCP log buckets that sinks feed audit logs
    for res in model.resources:
        hit = None
        if res.type == "aws_cloudwatch_log_group":
            name = res.values.get("name")
            is_audit = res.address in trail_targets or (
                isinstance(name, str) and pattern.search(name)
            )
            if is_audit:
                hit = _short(model, res, "retention_in_days", min_days, True)
        elif res.type in (
            "azurerm_mssql_server_extended_auditing_policy",
            "azurerm_mssql_database_extended_auditing_policy",
        ):
            hit = _short(model, res, "retention_in_days", min_days, True)
        elif res.type == "google_logging_project_bucket_config":
            if routed is None:
                routed = _audit_log_buckets(model)
            if _gcp_audit_bucket(res, pattern, routed):
                hit = _short(model, res, "retention_days", min_days, False)
        elif res.type == "azurerm_log_analytics_workspace":
            name = res.values.get("name")
            if res.address in trail_targets or (isinstance(name, str) and pattern.search(name)):
                hit = _workspace_short(model, res, min_days)
        if hit is not None:
            yield hit
