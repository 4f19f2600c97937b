"""DH303 judges a BigQuery table's retention, not only its dataset's default (s32 h7 #1): a
table's own partition expiration and, through its dataset, the defaults BigQuery gives it when
it is created."""

from __future__ import annotations

from tests.conftest import rule_ids

_DAY = 86_400_000


def _dataset(table_days=None, partition_days=None, label=None):
    lines = ['resource "google_bigquery_dataset" "trips" {', '  dataset_id = "scooter_trips"']
    if table_days is not None:
        lines.append(f"  default_table_expiration_ms = {table_days * _DAY}")
    if partition_days is not None:
        lines.append(f"  default_partition_expiration_ms = {partition_days * _DAY}")
    if label:
        lines.append(f'  labels = {{ data-classification = "{label}" }}')
    return "\n".join([*lines, "}"]) + "\n"


def _table(label="sensitive", partitioned=False, expiration_ms=None, extra=""):
    lines = [
        'resource "google_bigquery_table" "trips" {',
        "  dataset_id = google_bigquery_dataset.trips.dataset_id",
        '  table_id   = "trips"',
    ]
    if label:
        lines.append(f'  labels = {{ data-classification = "{label}" }}')
    if partitioned:
        lines.append('  time_partitioning {\n    type = "DAY"')
        if expiration_ms is not None:
            lines.append(f"    expiration_ms = {expiration_ms}")
        lines.append("  }")
    if extra:
        lines.append(extra)
    return "\n".join([*lines, "}"]) + "\n"


def _table_findings(scan, dataset, table):
    result = scan({"main.tf": dataset + table}, select=["DH303"])
    start = dataset.count("\n") + 1
    return [
        (line - start + 1, f.message, [(r.location.start_line, r.label) for r in f.related])
        for (rule, _, line), f in zip(rule_ids(result), result.active, strict=True)
        if line >= start
    ]


def test_a_table_with_no_expiry_in_a_dataset_without_a_default(scan):
    [(line, message, related)] = _table_findings(scan, _dataset(), _table())
    assert line == 1
    assert message == (
        "google_bigquery_table 'google_bigquery_table.trips' has no expiration (expiration_time"
        " is not set, and its dataset 'google_bigquery_dataset.trips' sets no"
        " default_table_expiration_ms); the policy allows at most 90 days for 'sensitive' data"
    )
    assert related == [(1, "its dataset google_bigquery_dataset.trips")]


def test_a_table_inherits_its_datasets_default_table_expiration(scan):
    # the dataset is internal (730 days): passes; the sensitive table keeps rows 400 days
    dataset = _dataset(table_days=400, label="internal")
    [(line, message, related)] = _table_findings(scan, dataset, _table())
    assert line == 1  # the table's header
    assert "no expiration of its own: a default table expiration of 400 days" in message
    assert related == [(3, "a default table expiration (google_bigquery_dataset.trips)")]
    assert _table_findings(scan, _dataset(table_days=60), _table()) == []
    # the table's class is its dataset's when it has no label of its own
    assert _table_findings(scan, _dataset(table_days=400, label="internal"), _table(None)) == []


def test_a_partitioned_tables_own_partition_expiration(scan):
    dataset = _dataset(table_days=60, partition_days=60)
    long = _table(partitioned=True, expiration_ms=400 * _DAY)
    [(line, message, _)] = _table_findings(scan, dataset, long)
    assert line == 7  # at time_partitioning.expiration_ms
    assert "has a partition expiration of 400 days" in message
    # without a dataset partition default the table still gets the 60-day table default
    assert _table_findings(scan, _dataset(table_days=60), long) == []
    short = _table(partitioned=True, expiration_ms=60 * _DAY)
    assert _table_findings(scan, _dataset(), short) == []


def test_a_datasets_partition_default_replaces_its_table_default_for_partitioned_tables(scan):
    dataset = _dataset(table_days=60, partition_days=400, label="internal")
    [(_, message, _)] = _table_findings(scan, dataset, _table(partitioned=True))
    assert "a default partition expiration of 400 days" in message
    # an unpartitioned table gets the 60-day table default
    assert _table_findings(scan, dataset, _table()) == []


def test_tables_that_are_not_judged(scan):
    bare = _dataset()
    for extra in (
        "  expiration_time = 1900000000000",
        "  expiration_time = var.until",
        '  view {\n    query = "SELECT 1"\n  }',
        '  external_data_configuration {\n    autodetect = true\n    source_format = "CSV"\n'
        '    source_uris = ["gs://x/*.csv"]\n  }',
    ):
        variable = 'variable "until" {}\n' if "var." in extra else ""
        assert _table_findings(scan, bare, variable + _table(extra=extra)) == [], extra
    # a dataset made elsewhere: its defaults are unknown
    elsewhere = _table().replace("google_bigquery_dataset.trips.dataset_id", '"other"')
    assert _table_findings(scan, "", elsewhere) == []


def test_a_labelled_table_is_classified_by_its_own_label_before_its_datasets():
    """A table linked to its dataset took the dataset's label even when it had its own (the
    owner was read first, as for a companion without tags)."""
    from dhlint.policy import default_policy
    from tests.terraform._helpers import model_of

    table = _table("sensitive") + _table(None).replace('"trips"', '"scratch"', 2)
    grant = (
        'resource "google_bigquery_table_iam_member" "open" {\n'
        "  dataset_id = google_bigquery_dataset.trips.dataset_id\n"
        "  table_id   = google_bigquery_table.trips.table_id\n"
        '  role       = "roles/bigquery.dataViewer"\n'
        '  member     = "allUsers"\n}\n'
    )
    model = model_of({"main.tf": _dataset(label="public") + table + grant})
    policy = default_policy()
    classes = {r.address: r.data_class(policy) for r in model.resources}
    assert classes == {
        "google_bigquery_dataset.trips": "public",
        "google_bigquery_table.trips": "sensitive",
        "google_bigquery_table.scratch": "public",
        "google_bigquery_table_iam_member.open": "sensitive",
    }
