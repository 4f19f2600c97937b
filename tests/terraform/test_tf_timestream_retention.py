"""DH302 judges an AWS Timestream table's retention (probe49): the longer of its memory and
magnetic store periods, and AWS's 73,000-day default when ``retention_properties`` is not set.
Before, a table of hourly water-meter reads kept ten years (or two hundred) passed, named only
as not assessed in the compliance report."""

from __future__ import annotations


def _table(name: str, memory_hours=None, magnetic_days=None, label=None) -> str:
    lines = [
        f'resource "aws_timestreamwrite_table" "{name}" {{',
        '  database_name = "meterflow_ami"',
        f'  table_name    = "{name}"',
    ]
    if label:
        lines.append(f'  tags = {{ data-classification = "{label}" }}')
    if memory_hours is not None:
        lines += [
            "  retention_properties {",
            f"    memory_store_retention_period_in_hours  = {memory_hours}",
            f"    magnetic_store_retention_period_in_days = {magnetic_days}",
            "  }",
        ]
    return "\n".join([*lines, "}"]) + "\n"


def _expirations(result) -> list[tuple[int, str]]:
    return [
        (f.location.start_line, f.message.split("(expiration: ", 1)[1].removesuffix(")"))
        for f in result.active
    ]


def test_dh302_timestream_table_kept_longer_than_the_maximum(scan):
    text = (
        _table("hourly", 24, 3650)  # lines 1-8: ten years in the magnetic store
        + _table("leaks", 24, 180)  # 9-16: within 365 days
        + _table("positions")  # 17-20: AWS's default
        + _table("memory", 8766, 30)  # 21-28: a year and a quarter-day in memory
        + _table("unknown", 24, "var.days")  # 29-36: not judged
        + _table("open", label="public")  # 37-: public data has no maximum
        + 'variable "days" {}\n'
    )
    result = scan({"main.tf": text}, select=["DH302"])
    assert _expirations(result) == [
        (6, "3650 days"),
        (17, "retention_properties not set, AWS keeps records 73000 days (its default)"),
        (25, "365.25 days"),
    ]
    assert "within 365 days for 'personal' data" in result.active[0].message


def test_dh302_timestream_sensitive_table_judged_by_its_class(scan):
    text = _table("hourly", 24, 180, label="sensitive")
    result = scan({"main.tf": text}, select=["DH302"])
    assert _expirations(result) == [(7, "180 days")]
    assert "within 90 days for 'sensitive' data" in result.active[0].message
