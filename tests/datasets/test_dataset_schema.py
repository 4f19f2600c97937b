"""Column readers: every input kind gives the same names, with positions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhlint.datasets.schema import DatasetError, ddl_columns, kind_of, read_columns

NAMES = ["request_id", "requester_email", "zip", "latitude"]


def names(kind: str, text: str) -> list[str]:
    return [c.name for c in read_columns(kind, text)]


def test_every_text_kind_reads_the_same_columns() -> None:
    assert names("names", "request_id\n# a comment\nrequester_email\n\nzip  \nlatitude\n") == NAMES
    assert names("csv", "request_id,requester_email,zip,latitude\n1,a,b,c\n") == NAMES
    assert names("tsv", "request_id\trequester_email\tzip\tlatitude\n") == NAMES
    assert names("csv", "request_id;requester_email;zip;latitude\n") == NAMES  # sniffed
    jsonl = '{"request_id": 1, "requester_email": "x"}\n{"zip": "1", "latitude": 2.5}\n'
    assert names("jsonl", jsonl) == NAMES
    assert names("json", '[{"request_id": 1, "requester_email": "x", "zip": 1, "latitude": 1}]')
    dbt = "version: 2\nmodels:\n  - name: requests\n    columns:\n" + "".join(
        f"      - name: {n}\n" for n in NAMES
    )
    assert names("dbt", dbt) == NAMES
    ddl = (
        "create table requests (request_id int, requester_email text, zip char(5), latitude float);"
    )
    assert names("sql", ddl) == NAMES


def test_positions() -> None:
    cols = read_columns("csv", 'id,"Requester Email",zip\n')
    assert [(c.name, c.line, c.col) for c in cols] == [
        ("id", 1, 1),
        ("Requester Email", 1, 5),
        ("zip", 1, 22),
    ]
    cols = read_columns("jsonl", '{"a": 1}\n{"a": 2, "email": "x"}\n')
    assert [(c.name, c.line, c.col) for c in cols] == [("a", 1, 2), ("email", 2, 10)]


def test_dbt_sources_and_tables() -> None:
    text = """
version: 2
sources:
  - name: crm
    tables:
      - name: contacts
        columns:
          - name: contact_phone
            data_type: varchar
models:
  - name: requests_public
    columns:
      - name: ward
"""
    cols = read_columns("dbt", text)
    assert [(c.table, c.name, c.line, c.declared_type) for c in cols] == [
        ("crm.contacts", "contact_phone", 8, "varchar"),
        ("requests_public", "ward", 13, ""),
    ]


def test_ddl_skips_comments_strings_and_constraints() -> None:
    text = """-- CREATE TABLE not_this (x int);
CREATE OR REPLACE TABLE "analytics"."riders" (
    rider_id   BIGINT NOT NULL,          -- the card holder, email in comments is ignored
    `Home Zip` VARCHAR(10) DEFAULT 'a, b',
    [dob]      DATE,
    amount     NUMERIC(10, 2),
    PRIMARY KEY (rider_id),
    CONSTRAINT fk FOREIGN KEY (x) REFERENCES y (z),
    UNIQUE (dob)
);
create temporary table if not exists t2 (plate text);
"""
    cols = ddl_columns(text)
    assert [(c.table, c.name, c.line, c.col) for c in cols] == [
        ("analytics.riders", "rider_id", 3, 5),
        ("analytics.riders", "Home Zip", 4, 5),
        ("analytics.riders", "dob", 5, 5),
        ("analytics.riders", "amount", 6, 5),
        ("t2", "plate", 11, 42),
    ]


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("csv", "", "empty file"),
        ("jsonl", '\nnot json\n{"a": 1', "line 2 is not JSON"),
        ("json", "{", "not valid JSON"),
        ("dbt", "version: 2\nfoo: [\n", "not valid YAML"),
        ("dbt", "version: 2\n", "not a dbt schema"),
        ("sql", "select 1;", "no CREATE TABLE"),
    ],
)
def test_errors_say_why(kind: str, text: str, message: str) -> None:
    with pytest.raises(DatasetError) as info:
        read_columns(kind, text)
    assert message in info.value.message


def test_kind_of() -> None:
    assert kind_of("a/b.csv") == "csv"
    assert kind_of("x.TSV") == "tsv"
    assert kind_of("x.json", '{"a": 1}\n{"a": 2}\n') == "jsonl"
    assert kind_of("x.json", '[{"a": 1}]') == "json"
    assert kind_of("schema.yml") == "dbt"
    assert kind_of("x.parquet") == "parquet"
    assert kind_of("names", "-- x\nCREATE TABLE t (a int)") == "sql"
    assert kind_of("names", "a\nb\n") == "names"


def test_parquet_without_pyarrow_says_so(tmp_path) -> None:
    pytest.importorskip("dhlint")  # always there; the branch depends on pyarrow
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        path = tmp_path / "x.parquet"
        path.write_bytes(b"PAR1")
        with pytest.raises(DatasetError) as info:
            read_columns("parquet", path=str(path))
        assert "needs pyarrow" in info.value.message
    else:  # pragma: no cover - exercised where pyarrow is installed
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = tmp_path / "x.parquet"
        pq.write_table(pa.table({"plate": ["A"], "lat": [39.099724]}), path)
        assert [c.name for c in read_columns("parquet", path=str(path))] == ["plate", "lat"]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["names", "csv", "tsv", "jsonl", "json", "dbt", "sql"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
)
def test_readers_fail_only_with_a_reason(kind: str, text: str) -> None:
    try:
        columns = read_columns(kind, text)
    except DatasetError as exc:
        assert exc.message
    else:
        assert all(isinstance(c.name, str) for c in columns)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["x.csv", "x.tsv", "x.jsonl", "x.json", "schema.yml", "x.sql", "x.dat"]),
    st.text(max_size=300),
)
def test_model_builder_never_raises(name: str, text: str) -> None:
    from dhlint.analysis import BuildEnv
    from dhlint.models.dataset import build_models
    from dhlint.policy import default_policy
    from dhlint.types import SourceFile

    env = BuildEnv(policy=default_policy(), root="/nonexistent")
    result = build_models(
        [SourceFile(f"publish/{name}", f"/nonexistent/{name}", "dataset", text)], env
    )
    assert len(result.models) + len(result.diagnostics) >= 1
    assert not [d for d in result.diagnostics if "Error:" in d.message]  # no internal crash


def test_nested_json_is_flattened() -> None:
    line = '{"id": 1, "requester": {"email": "x"}, "location": {"latitude": "39.1", "x": {"y": 1}}}'
    cols = read_columns("jsonl", line + "\n")
    assert [(c.name, c.col) for c in cols] == [
        ("id", 2),
        ("requester.email", line.index('"email"') + 1),
        ("location.latitude", line.index('"latitude"') + 1),
        ("location.x.y", line.index('"y"') + 1),
    ]
