"""Flows the probe 40 (health department immunization registry and disease surveillance, AWS +
Airflow/PySpark/pandas) found missed or misread."""

from __future__ import annotations


def test_counts_by_quasi_identifiers_need_small_cell_suppression(assert_expected):
    # probe40 P2 (min/13): counts by ZIP, age group, sex and race written for release with no
    # cell under k (11) suppressed were not reported (on a parameter nothing was seen at all);
    # with the small cells dropped they are fine.
    code = """
import pandas as pd
from pyspark.sql import functions as F
KEYS = ["zip", "age_group", "sex", "race"]
MIN_CELL = 11
def raw_counts(cases: pd.DataFrame, path: str) -> None:
    out = cases.groupby(["zip", "age_group", "sex", "race"]).size().reset_index(name="cases")
    out.to_csv(path, index=False)  # expect: DH564
def kept(cases, path):
    out = cases.groupby(KEYS).size().reset_index(name="cases")
    out = out[out["cases"] >= 11]
    out.to_csv(path, index=False)
def kept_over_ten(cases, path):
    out = cases.groupby(KEYS).agg(n=("case_id", "count"))
    out.loc[out["n"] > 10].to_csv(path)
def kept_by_constant(cases, path):
    out = cases.groupby(KEYS).size().reset_index(name="n")
    out[(out["n"] >= MIN_CELL) & (out["zip"] != "")].to_csv(path)
def queried(cases, path):
    out = cases.groupby(KEYS).size().reset_index(name="n")
    out.query("n >= 11").to_csv(path)
def masked(cases, path):
    out = cases.groupby(KEYS).size().reset_index(name="n")
    out.mask(out["n"] < 11).to_csv(path)
def blanked(cases, path):
    out = cases.groupby(KEYS).size().reset_index(name="n")
    out.loc[out["n"] < MIN_CELL, "n"] = None
    out.to_csv(path)
def blanked_by_where(cases, path):
    out = cases.groupby(KEYS).size().reset_index(name="n")
    out["n"] = out["n"].where(out["n"] >= 11)
    out.to_csv(path)
def too_small_a_threshold(cases, path):
    out = cases.groupby(KEYS).size().reset_index(name="n")
    out[out["n"] >= 5].to_csv(path)  # expect: DH564
def filtered_otherwise(cases, path):
    out = cases.groupby(KEYS).size().reset_index(name="n")
    out[out["sex"] == "F"].to_csv(path)  # expect: DH564
def spark(df, path):
    counts = df.groupBy("zip", "age_group", "sex", "race").count()
    counts.filter(F.col("count") >= 11).write.parquet(path)
    counts.write.parquet(path + "-all")  # expect: DH564
"""
    result = assert_expected(code, select=["DH564"])
    [first, *_] = result.active
    assert first.message.endswith(
        "at or over the policy's quasi_identifier_limit of 3 (that many or more together single "
        "people out), as statistics of their groups with no suppression of groups under"
        " k=11 seen"
    )
    records = "import pandas as pd\ndf = pd.read_csv('c.csv')\n"
    records += "df[['zip', 'sex', 'race']].to_csv('o.csv')  # expect: DH564\n"
    assert (
        assert_expected(records, select=["DH564"])
        .active[0]
        .message.endswith(
            "quasi_identifier_limit of 3 (that many or more together single people out)"
        )
    )


def test_a_record_within_a_record_logged_whole(assert_expected):
    # probe40 P5 (min/03): a FHIR Patient taken from a parameter (payload["resource"]) whose
    # mrn is read, then logged whole, was missed; the same on a parameter was reported.
    code = """
import json
import logging
log = logging.getLogger()
def handler(payload):
    patient = payload["resource"]
    mrn = patient["mrn"]
    log.info("stored bundle for patient %s", patient)  # expect: DH565
def nested(event):
    mrn = event["detail"]["patient"]["mrn"]
    log.info("patient %s", event["detail"]["patient"])  # expect: DH565
def other_field(payload):
    patient = payload["resource"]
    mrn = patient["mrn"]
    log.info("resource type %s", payload["resourceType"])
    log.info("stored %s", mrn.upper())  # expect: DH565
def settings(path):
    with open(path) as f:
        cfg = json.load(f)
    db = cfg["database"]
    user = db["user_name"]
    log.info("database settings %s", db)
"""
    result = assert_expected(code, select=["DH565"])
    assert "'mrn' (direct)" in result.active[0].message


def test_rows_pulled_from_an_xcom_hold_the_fields_read_from_them(assert_expected):
    # probe40 P7 (min/10): rows pulled from an XCom, pushed as records built in another
    # module, lost the fields the task reads from them: staging them raw to S3 with Airflow's
    # S3Hook (load_string, load_file, load_bytes) was missed; the same on a parameter was not.
    code = """
import json
from airflow.providers.amazon.aws.hooks.s3 import S3Hook
from etl.hl7_parser import parse_batch
def ingest(**context):
    reports = [r.__dict__ for r in parse_batch(context["params"]["text"])]
    context["ti"].xcom_push(key="reports", value=reports)
def stage(**context):
    reports = context["ti"].xcom_pull(key="reports", task_ids="ingest")
    for r in reports:
        if r["mrn"]:
            pass
    hook = S3Hook(aws_conn_id="aws")
    hook.load_string(json.dumps(reports), key="s.json", bucket_name="doh-clean")  # expect: DH560
    hook.load_bytes(json.dumps(reports).encode(), "staged.bin", "doh-clean")  # expect: DH560
def other_dag(ti):
    rows = ti.xcom_pull(task_ids="extract_cases")
    ids = [row["ssn"] for row in rows]
    S3Hook().load_string(json.dumps(rows), key="x.json", bucket_name="doh-clean")  # expect: DH560
def a_path(ti):
    path = ti.xcom_pull(key="path")
    S3Hook().load_file(path, key="x.csv", bucket_name="doh-clean")
"""
    result = assert_expected(code, select=["DH560"])
    assert "(doh-clean) by S3Hook.load_string" in result.active[0].message


def test_an_sns_topic_is_named_as_a_topic(scan):
    # probe40 P12 (min/07): a topic's ARN from the environment was called a URL.
    code = """
import json
import os
import boto3
sns = boto3.client("sns")
TOPIC = os.environ["CASE_TOPIC_ARN"]
def handler(p):
    sns.publish(TopicArn=TOPIC, Message=json.dumps({"mrn": p["mrn"]}))
    arn = "arn:aws:sns:us-east-1:123456789012:doh-case-alerts"
    sns.publish(TopicArn=arn, Message=json.dumps({"mrn": p["mrn"]}))
    sns.publish(PhoneNumber=p["phone"], Message=f"Case {p['mrn']}")
"""
    result = scan({"etl.py": code}, select=["DH561"])
    assert [f.message.split(" by ")[0].split("sent to ")[1] for f in result.active] == [
        "the network (SNS topic from $CASE_TOPIC_ARN)",
        "the network (SNS topic arn:aws:sns:us-east-1:123456789012:doh-case-alerts)",
        "the network",
    ]
