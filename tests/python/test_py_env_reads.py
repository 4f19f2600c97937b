"""The Python model's environment-variable record (``env_reads``, ``SinkFact.env``,
``EndpointFact.env``) and its storage reads (``reads``)."""

from __future__ import annotations

import pickle

from dhlint.analysis import BuildEnv
from dhlint.models.python import build_models
from dhlint.policy import default_policy
from dhlint.types import SourceFile

ENV_ETL = """\
import os
from urllib.parse import urljoin

import boto3
import requests
from google.cloud import storage

VENDOR = os.environ["VENDOR_ENDPOINT"]
AUDIT = os.getenv("AUDIT_URL", "https://audit.kcmo.gov/events")


class Client:
    def __init__(self):
        self.session = requests.Session()

    def send(self, rows):
        self.session.post(f"{VENDOR}/in", json=rows)


def post(url, payload):
    requests.post(url, json=payload)


def main(df):
    post(os.environ["OTHER_ENDPOINT"], df[["plate"]].to_dict())
    requests.post(urljoin(AUDIT, "v1"), json=df[["plate"]].to_dict())
    s3 = boto3.client("s3", region_name=os.environ["AWS_REGION"])
    s3.put_object(Bucket=os.environ["RAW_BUCKET"], Key="k", Body=df.to_csv())
    gcs = storage.Client().bucket(os.environ["GCS_BUCKET"])
    gcs.blob("x.csv").upload_from_string(df.to_csv())
    storage.Client().bucket("kc-gcs-raw").blob("y.csv").upload_from_string(df.to_csv())
    token = os.environ["TOKEN"]
    requests.post("https://api.city-approved-vendor.example/x", json=df.to_dict(),
                  headers={"Authorization": token})
"""

READS_ETL = """\
import os

import boto3
import pandas as pd
import polars as pl
from pyspark.sql import SparkSession


def main():
    spark = SparkSession.builder.getOrCreate()
    a = pd.read_csv("s3://kc-in/a.csv", usecols=["plate"])
    b = spark.read.option("header", True).csv(f"s3a://{os.environ['IN_BUCKET']}/b/")
    c = pl.read_parquet("gs://kc-gcs-in/c.parquet")
    d = pd.read_csv("/data/local.csv")
    s3 = boto3.client("s3")
    s3.download_file("kc-in", "k.csv", "/tmp/k.csv")
    s3.get_object(Bucket="kc-in", Key="k.csv")
    return a, b, c, d
"""


def _model(text: str, path: str = "etl.py"):
    env = BuildEnv(policy=default_policy(), root="/", options={"python_full_analysis": True})
    result = build_models([SourceFile(path, path, "python", text)], env)
    assert not result.diagnostics
    (model,) = result.models
    return model


def test_env_reads_record_name_place_and_default():
    model = _model(ENV_ETL)
    got = [(r.name, r.location.start_line, r.default) for r in model.env_reads]
    assert got == [
        ("VENDOR_ENDPOINT", 8, None),
        ("AUDIT_URL", 9, "https://audit.kcmo.gov/events"),
        ("OTHER_ENDPOINT", 25, None),
        ("AWS_REGION", 27, None),
        ("RAW_BUCKET", 28, None),
        ("GCS_BUCKET", 29, None),
        ("TOKEN", 32, None),
    ]


def test_sinks_carry_the_variables_of_their_location_arguments():
    model = _model(ENV_ETL)
    got = {(s.location.start_line, s.api, s.host, s.env) for s in model.sinks if s.kind != "log"}
    assert got == {
        # a module constant in an f-string, through a method on self
        (17, "requests.Session.post", None, ("VENDOR_ENDPOINT",)),
        # a parameter of a helper called with os.environ[...]
        (21, "requests.post", None, ("OTHER_ENDPOINT",)),
        # a constant with a default, through urljoin
        (26, "requests.post", "audit.kcmo.gov", ("AUDIT_URL",)),
        # the client's region is a setting, not a place: only the bucket's variable
        (28, "s3.put_object", None, ("RAW_BUCKET",)),
        # the bucket object keeps its (unknown) name: the blob name is not a bucket
        (30, "gcs.upload_from_string", None, ("GCS_BUCKET",)),
        (31, "gcs.upload_from_string", "kc-gcs-raw", ()),
        # a token in the headers is not where the data goes
        (33, "requests.post", "api.city-approved-vendor.example", ()),
    }
    endpoints = {(e.location.start_line, e.host, e.via, e.env) for e in model.endpoints}
    assert (26, "audit.kcmo.gov", "env-default", ("AUDIT_URL",)) in endpoints


def test_storage_reads():
    model = _model(READS_ETL)
    got = [(r.location.start_line, r.api, r.target, r.host, r.env) for r in model.reads]
    assert got == [
        (11, "pd.read_csv", "s3://kc-in/a.csv", "kc-in", ()),
        (12, "spark.read.csv", "s3a://{...}/b/", None, ("IN_BUCKET",)),
        (13, "pl.read_parquet", "gs://kc-gcs-in/c.parquet", "kc-gcs-in", ()),
        # line 14 reads a local file: not a storage read
        (16, "s3.download_file", None, "kc-in", ()),
        (17, "s3.get_object", None, "kc-in", ()),
    ]


BRANCH_ETL = """\
import os

import requests


def main(df):
    if os.environ.get("STAGE") == "prod":
        url = os.environ["VENDOR_ENDPOINT"]
    else:
        url = os.environ["TEST_ENDPOINT"]
    requests.post(url, json=df[["plate"]].to_dict())
"""


def test_either_variable_after_a_branch():
    model = _model(BRANCH_ETL)
    (sink,) = [s for s in model.sinks if s.kind == "network"]
    assert sink.env == ("VENDOR_ENDPOINT", "TEST_ENDPOINT")
    assert [r.name for r in model.env_reads] == ["STAGE", "VENDOR_ENDPOINT", "TEST_ENDPOINT"]


def test_models_with_env_and_reads_pickle():
    for text in (ENV_ETL, READS_ETL):
        model = _model(text)
        again = pickle.loads(pickle.dumps(model))
        assert again.env_reads == model.env_reads
        assert again.reads == model.reads
        assert again.sinks == model.sinks
