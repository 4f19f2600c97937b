"""The profiler: coordinate decimals, contact patterns and group sizes, on synthetic data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhlint.datasets.profile import (
    EMAIL,
    PHONE,
    SSN,
    classify_columns,
    effective_decimals,
    profile_rows,
)
from dhlint.datasets.rows import iter_rows
from dhlint.datasets.schema import read_columns
from dhlint.policy import default_policy
from tests.datasets.synth import requests_311

POLICY = default_policy()


def profile_csv(text: str, max_rows: int = 100_000):
    columns = read_columns("csv", text)
    profiles = classify_columns(columns, POLICY)
    return profile_rows(profiles, iter_rows("csv", columns, text, max_rows=max_rows + 1), max_rows)


@pytest.mark.parametrize(
    ("fraction", "decimals"),
    [("099724", 6), ("100", 1), ("1", 1), ("000", 0), ("100000000000001", 1), ("57800000", 3)],
)
def test_effective_decimals(fraction: str, decimals: int) -> None:
    assert effective_decimals(fraction) == decimals


@pytest.mark.parametrize(
    "text",
    ["call (816) 555-0142", "816-555-0142", "816.555.0142", "+1 816 555 0142", "+44 20 7946 0958"],
)
def test_phone_numbers(text: str) -> None:
    assert PHONE.search(text)


@pytest.mark.parametrize(
    "text",
    ["8165550142", "2024-01-15", "SR-2024-00012", "39.099724,-94.578331", "v1.2.3", "1,234,567"],
)
def test_not_phone_numbers(text: str) -> None:
    assert not PHONE.search(text)


def test_email_and_ssn_patterns() -> None:
    assert EMAIL.search("write to jane.doe+311@example.org please")
    assert not EMAIL.search("@kcmo on social media")
    assert SSN.search("ssn 123-45-6789")
    assert not SSN.search("2024-01-1234") and not SSN.search("123-45-67890")


def test_known_groups_and_precision() -> None:
    groups = {("64106", "34", "F"): 14, ("64109", "52", "M"): 11, ("64110", "71", "F"): 2}
    text, _ = requests_311(groups, decimals=5)
    result = profile_csv(text)
    assert result.rows == 27 and not result.truncated
    assert result.quasi_columns == ("zip", "requester_age", "requester_sex")
    assert result.group_sizes == {14: 1, 11: 1, 2: 1}
    assert result.smallest_group() == 2
    assert result.small_groups(11) == (1, 2)
    by_name = {c.name: c for c in result.columns}
    assert by_name["latitude"].degree_values == 27
    assert by_name["latitude"].values_over(3) == 27
    assert by_name["latitude"].max_decimals <= 5
    assert by_name["description"].emails == 1
    assert by_name["description"].phones == 1
    assert by_name["service_request_id"].phones == 0  # SR-2024-00001 is not a phone


def test_generalised_release_has_no_small_groups() -> None:
    groups = {("641", "30-39", "F"): 12, ("641", "40-49", "M"): 11}
    text, _ = requests_311(groups, decimals=3, planted=False, columns=("zip3", "age_band", "sex"))
    result = profile_csv(text)
    assert result.smallest_group() == 11
    by_name = {c.name: c for c in result.columns}
    assert by_name["latitude"].values_over(3) == 0


def test_coordinates_recognised_by_values() -> None:
    text = 'id,where\n1,POINT (-94.578331 39.099724)\n2,"(39.1, -94.5)"\n3,\n'
    result = profile_csv(text)
    where = result.columns[1]
    assert where.match is None and where.coordinates_by_value
    assert where.decimals == {6: 1, 1: 1}


def test_rows_are_bounded() -> None:
    groups = {("64106", "34", "F"): 30}
    text, _ = requests_311(groups, planted=False)
    result = profile_csv(text, max_rows=10)
    assert result.rows == 10 and result.truncated
    assert sum(size * n for size, n in result.group_sizes.items()) == 10


def test_one_quasi_column_is_not_a_combination() -> None:
    result = profile_csv("id,zip\n1,64106\n")
    assert result.quasi_columns == () and result.smallest_group() is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=15), min_size=1, max_size=8))
def test_smallest_group_is_the_smallest_planted_group(sizes: list[int]) -> None:
    groups = {(f"641{i:02d}", str(20 + i), "F" if i % 2 else "M"): n for i, n in enumerate(sizes)}
    text, _ = requests_311(groups, planted=False)
    result = profile_csv(text)
    assert result.smallest_group() == min(sizes)
    assert result.small_groups(11)[1] == sum(n for n in sizes if n < 11)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_large_files_are_streamed_from_disk(tmp_path, fmt: str) -> None:
    """When the engine hands no text (a file over its size limit), rows stream from disk."""
    from dhlint.analysis import BuildEnv
    from dhlint.models.dataset import HEAD_BYTES, build_models
    from dhlint.types import SourceFile

    groups = {("64106", "34", "F"): 9000, ("64109", "52", "M"): 9000, ("64110", "71", "F"): 1}
    text, _ = requests_311(groups, planted=False)
    if fmt == "jsonl":
        import csv
        import io
        import json

        rows = list(csv.DictReader(io.StringIO(text)))
        text = "".join(json.dumps(r) + "\n" for r in rows)
    assert len(text.encode()) > HEAD_BYTES
    path = tmp_path / f"big.{fmt}"
    path.write_text(text, encoding="utf-8")
    env = BuildEnv(policy=POLICY, root=str(tmp_path), options={"dataset_max_rows": 20_000})
    result = build_models([SourceFile(f"publish/big.{fmt}", str(path), "dataset", "")], env)
    assert result.diagnostics == []
    (model,) = result.models
    assert model.profile.rows == 18_001 and not model.profile.truncated
    assert model.profile.smallest_group() == 1
    env.options["dataset_max_rows"] = 5000
    (model,) = build_models([SourceFile("big", str(path), "dataset", "")], env).models
    assert model.profile.rows == 5000 and model.profile.truncated


def test_device_identifier_patterns() -> None:
    from dhlint.datasets.profile import IPV4, MAC, is_vin

    assert MAC.search("client 3c:22:fb:91:0a:7e seen") and MAC.search("3C-22-FB-91-0A-7E")
    assert not MAC.search("2024-01-15T10:30:22") and not MAC.search("3c:22:fb:91:0a")
    assert IPV4.search("from 10.0.0.12") and IPV4.search("203.0.113.7")
    assert not IPV4.search("1.2.3.4.5") and not IPV4.search("39.099724")
    assert not IPV4.search("1.2.3")
    assert is_vin("1M8GDM9AXKP042788") and is_vin("1HGCM82633A004352")
    assert not is_vin("1M8GDM9AXKP042789") and not is_vin("11111111111111111")


def test_device_values_are_counted() -> None:
    text = (
        "id,client,note\n"
        "1,3c:22:fb:91:0a:7e,towed 1M8GDM9AXKP042788\n"
        "2,f0:18:98:4e:21:c3,login from 203.0.113.7\n"
        "3,,firmware 1.2.3\n"
    )
    result = profile_csv(text)
    client, note = result.columns[1], result.columns[2]
    assert (client.macs, client.ips, client.vins) == (2, 0, 0)
    assert (note.macs, note.ips, note.vins) == (0, 1, 1)
