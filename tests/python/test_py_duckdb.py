"""DuckDB (probe 51, a city's MDS scooter-trip pipeline): relations written with write_csv or
write_parquet, and COPY (SELECT ...) TO a file or an S3 URL, export the query's columns."""

from __future__ import annotations

from dhlint.models import python_sql as sql

COPY_TO = """
import duckdb


def publish(month):
    con = duckdb.connect()
    con.execute(  # expect: DH563
        f"COPY (SELECT trip_id, start_lat, start_lon FROM read_parquet('s3://lake/{month}/*.parquet'))"
        f" TO 's3://open-data/trips_{month}.csv' (HEADER)"
    )


def device_table(out):
    duckdb.sql(f"COPY (SELECT device_id, trip_id FROM 'trips.parquet') TO '{out}'")  # expect: DH560


def rounded(month):
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT round(start_lat, 3) AS start_lat, round(start_lon, 3) AS start_lon,"
        " count(*) AS trips FROM read_parquet('trips.parquet') GROUP BY 1, 2)"
        " TO 's3://open-data/od.csv'"
    )


def loads(path):
    con = duckdb.connect()
    con.execute(f"COPY trips FROM '{path}'")
    con.execute("COPY (SELECT device_id FROM trips) TO STDOUT")
"""

RELATIONS = """
import duckdb


def usage(out):
    q = "SELECT vehicle_id, count(*) AS trips FROM read_parquet('raw.parquet') GROUP BY ALL"
    duckdb.sql(q).write_parquet(out)  # expect: DH560


def routes(out):
    con = duckdb.connect()
    rel = con.sql("SELECT trip_id, device_id, start_lat FROM read_parquet('trips.parquet')")
    rel.write_csv(out)  # expect: DH560, DH563


def projected(out):
    rel = duckdb.read_parquet("trips.parquet")
    rel.project("trip_id, round(end_lat, 3) AS end_lat").write_csv(out)
    rel.select("device_id, trip_id").to_parquet(out)  # expect: DH560


def as_polars(out):
    con = duckdb.connect()
    frame = con.execute("SELECT vehicle_id FROM trips").pl()
    frame.write_csv(out)  # expect: DH560
    counts = duckdb.query("SELECT vehicle_type, count(*) AS n FROM trips GROUP BY 1").df()
    counts.to_csv(out)
"""

SCANS = """
import hashlib
import hmac
import os
import sqlite3

import duckdb
import polars as pl

KEY = os.environ["PSEUDONYM_KEY"].encode()


def token(value):
    return hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()


def lake(out):
    trips = pl.read_parquet("trips.parquet")
    safe = trips.with_columns(pl.col("device_id").map_elements(token, return_dtype=pl.String))
    duckdb.sql("SELECT device_id, trip_id FROM safe").write_csv(out)
    con = duckdb.connect()
    con.register("tokens", safe)
    con.execute(f"COPY tokens TO '{out}'")
    con.execute("SELECT device_id FROM safe").df().to_csv(out)
    raw = trips.select("device_id", "trip_id")
    con.register("raw_trips", raw)
    con.execute(f"COPY (SELECT * FROM raw_trips) TO '{out}'")  # expect: DH560


def given(frame, out):
    duckdb.sql("SELECT device_id FROM frame").write_csv(out)  # expect: DH560


def sqlite_table_named_as_a_variable(users, out):
    # sqlite3 scans no Python value: "users" is the database's table
    cur = sqlite3.connect("app.db").cursor()
    cur.execute("SELECT email FROM users")
    pl.DataFrame(cur.fetchall()).write_csv(out)  # expect: DH560


def registered_parameter(frame, con, out):
    con.register("trips_df", frame)
    con.execute(f"COPY (SELECT * FROM trips_df) TO '{out}'")
"""


def test_copy_to_exports_the_query_columns(assert_expected):
    # On main, COPY ... TO was a database write of no column: nothing was reported.
    assert_expected(COPY_TO, select=("DH560", "DH563"))


def test_relations_are_frames_with_their_select_columns(assert_expected):
    assert_expected(RELATIONS, select=("DH560", "DH563"))


def test_a_query_from_a_python_frame_has_its_columns_as_treated(assert_expected):
    # DuckDB scans a frame by its variable's name, or one registered under a name: a keyed
    # token stays one; a parameter's columns are what the query names.
    assert_expected(SCANS, select=("DH560", "DH563"))


def test_copy_to_reads_the_query_or_table_and_the_target():
    query = "COPY (SELECT a, round(b, 3) FROM f('x')) TO 's3://b/k.csv' (HEADER)"
    assert sql.copy_to(query) == ("SELECT a, round(b, 3) FROM f('x')", "s3://b/k.csv")
    assert sql.copy_to("copy trips TO '/tmp/t.parquet'") == ("trips", "/tmp/t.parquet")
    assert sql.copy_to("COPY t FROM 'x.csv'") is None
    assert sql.copy_to("COPY (SELECT 1) TO STDOUT") is None
    assert sql.copy_to("COPY (SELECT (a") is None
    assert sql.copy_to("COPYRIGHT 'x'") is None
