"""Flows the probe 44 (city school transportation: AWS IoT, Kinesis, Firehose, Glue PySpark,
Kafka, Lambda) found missed or misread."""

from __future__ import annotations


def test_aws_glue_reads_and_writes_are_spark_reads_and_writes(assert_expected, scan):
    # probe44 P1 (min/10): the standard Glue job (spark = GlueContext(sc).spark_session,
    # create_dynamic_frame...toDF(), write_dynamic_frame.from_options) hid every read and
    # write: a Glue job copying raw identifiers and precise coordinates passed.
    code = """
import sys
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.transforms import *
from pyspark.context import SparkContext

glue = GlueContext(SparkContext.getOrCreate())
spark = glue.spark_session

def session():
    df = spark.read.json("s3://raw/taps/").select("student_name", "latitude")
    df.write.mode("append").parquet("s3://curated/a/")  # expect: DH560, DH563

def to_df():
    df = glue.create_dynamic_frame.from_options(
        connection_type="s3", connection_options={"paths": ["s3://raw/taps/"]}, format="json"
    ).toDF().select("student_name", "card_number")
    df.write.parquet("s3://curated/b/")  # expect: DH560

def dynamic():
    taps = glue.create_dynamic_frame.from_catalog(database="st", table_name="raw_taps")
    taps = taps.select_fields(["student_name", "trip_id"])
    glue.write_dynamic_frame.from_options(  # expect: DH560
        frame=taps,
        connection_type="s3",
        connection_options={"path": "s3://curated/c/"},
        format="parquet",
    )

def from_df():
    df = spark.table("raw_taps")
    out = DynamicFrame.fromDF(df.select("card_number", "trip_id"), glue, "out")
    glue.write_dynamic_frame_from_catalog(frame=out, database="c", table_name="t")  # expect: DH560

def transforms():
    src = glue.create_dynamic_frame.from_catalog(database="st", table_name="raw_taps")
    mapped = ApplyMapping.apply(
        frame=src,
        mappings=[("student_name", "string", "rider", "string"), ("stop_id", "s", "stop_id", "s")],
    )
    kept = SelectFields.apply(frame=mapped, paths=["stop_id"])
    glue.write_dynamic_frame.from_options(mapped, "s3", {"path": "s3://cur/d/"})  # expect: DH560
    glue.write_dynamic_frame.from_options(kept, "s3", {"path": "s3://curated/e/"})
    dropped = src.select_fields(["student_name", "stop_id"]).drop_fields(["student_name"])
    glue.write_dynamic_frame.from_options(dropped, "s3", {"path": "s3://curated/f/"})
"""
    result = assert_expected(code, select=("DH560", "DH563"))
    messages = {f.location.start_line: f.message for f in result.active}
    assert (
        "object storage (curated) by glueContext.write_dynamic_frame.from_options" in (messages[24])
    )
    assert "'rider' (direct, from 'student_name')" in messages[43]
    assert "database table (c.t)" in messages[34]


def test_a_glue_read_from_s3_options_is_a_storage_read():
    # probe44 P1: create_dynamic_frame.from_options(connection_options={"paths": [...]}) reads
    # object storage, as spark.read.json("s3://...") does (the inventory's data map).
    import ast

    from dhlint.models.python_dataflow import analyse_module
    from dhlint.policy import default_policy

    code = """
from awsglue.context import GlueContext
glue = GlueContext(None)
dyf = glue.create_dynamic_frame.from_options("s3", {"paths": ["s3://raw-zone/taps/"]}, "json")
"""
    model = analyse_module(ast.parse(code), "job.py", default_policy(), code)
    assert [(r.target, r.host, r.location.start_line) for r in model.reads] == [
        ("s3://raw-zone/taps/", "raw-zone", 4)
    ]
