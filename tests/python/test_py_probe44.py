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

    code = """import sys
from awsglue.context import GlueContext
from awsglue.utils import getResolvedOptions
glue = GlueContext(None)
dyf = glue.create_dynamic_frame.from_options("s3", {"paths": ["s3://raw-zone/taps/"]}, "json")
args = getResolvedOptions(sys.argv, ["RAW_BUCKET"])
opts = {"paths": [f"s3://{args['RAW_BUCKET']}/taps/"]}
dyf = glue.create_dynamic_frame.from_options(connection_type="s3", connection_options=opts)
"""
    model = analyse_module(ast.parse(code), "job.py", default_policy(), code)
    got = [(r.target, r.host, r.env, r.location.start_line) for r in model.reads]
    assert got == [
        ("s3://raw-zone/taps/", "raw-zone", (), 5),
        ("s3://{...}/taps/", None, ("RAW_BUCKET",), 8),
    ]


def test_kafka_clients_without_tls_or_verification(assert_expected):
    # probe44 P2 (min/01): kafka-python's security_protocol="PLAINTEXT" and confluent-kafka's
    # "security.protocol": "PLAINTEXT" gave nothing, as did ssl_check_hostname=False and
    # "enable.ssl.certificate.verification": False (DH241/DH212 report the same setting in a
    # manifest's environment). Not set, the protocol is PLAINTEXT in all three clients: judged
    # by the brokers, as Redis's no-TLS default is (this machine's are fine).
    code = """
import os
from aiokafka import AIOKafkaProducer
from confluent_kafka import Consumer, Producer
from kafka import KafkaConsumer, KafkaProducer

from settings import BASE, OPTIONS
B = os.environ["KAFKA_BROKERS"]
MSK = "b1.msk.example:9092"
a = KafkaProducer(bootstrap_servers=[MSK], security_protocol="PLAINTEXT")  # expect: DH260
b = Producer({"bootstrap.servers": "10.4.3.17", "security.protocol": "plaintext"})  # expect: DH260
c = KafkaProducer(bootstrap_servers=B, security_protocol="SASL_PLAINTEXT")  # expect: DH260
d = KafkaProducer(bootstrap_servers="b1.msk.example:9092")  # expect: DH260
e = KafkaProducer(bootstrap_servers=B)
f = KafkaProducer(bootstrap_servers="localhost:9092", security_protocol="PLAINTEXT")
g = KafkaProducer(bootstrap_servers="b1.msk.example:9094", security_protocol="SSL")
h = Producer({"bootstrap.servers": "b1.msk.example:9096", "security.protocol": "SASL_SSL"})
i = KafkaProducer(bootstrap_servers=B, security_protocol=os.environ["KAFKA_PROTOCOL"])
j = KafkaConsumer("t", bootstrap_servers=MSK, security_protocol="PLAINTEXT")  # expect: DH260
k = Consumer({"bootstrap.servers": "b1.msk.example:9094", "security.protocol": "SSL"})
m = AIOKafkaProducer(bootstrap_servers="b1.msk.example:9092")  # expect: DH260
n = KafkaProducer(bootstrap_servers="b1.msk.example:9092", **OPTIONS)
o = Producer({**BASE, "bootstrap.servers": "b1.msk.example:9092"})
TLS = "SSL"
v1 = KafkaProducer(bootstrap_servers=B, security_protocol=TLS, ssl_check_hostname=False)  # expect: DH261
v2 = Producer({"security.protocol": TLS, "enable.ssl.certificate.verification": False})  # expect: DH261
v3 = Producer({"security.protocol": TLS, "enable.ssl.certificate.verification": "false"})  # expect: DH261
v4 = Producer({"security.protocol": TLS, "ssl.endpoint.identification.algorithm": "none"})  # expect: DH261
v5 = KafkaProducer(bootstrap_servers=B, security_protocol=TLS, ssl_check_hostname=True)
"""  # noqa: E501
    result = assert_expected(code, select=("DH260", "DH261"))
    messages = {(f.rule_id, f.location.start_line): f.message for f in result.active}
    assert messages["DH260", 10] == (
        "kafka.KafkaProducer uses a cleartext channel"
        " (Kafka to b1.msk.example, security protocol PLAINTEXT)"
    )
    assert messages["DH260", 12].endswith("(Kafka, security protocol SASL_PLAINTEXT)")
    assert messages["DH260", 13].endswith(
        "(Kafka to b1.msk.example, no security protocol set: PLAINTEXT)"
    )
    assert "host-name checking of the certificate is switched off" in messages["DH261", 25]
    assert "certificate verification is switched off" in messages["DH261", 26]


def test_the_analysis_reports_a_listed_token_name_as_classify_does(assert_expected):
    # probe44 P4 (min/11): DH560 named fcm_registration_id but not device_token, which the
    # city lists beside it.
    code = """
import boto3

table = boto3.resource("dynamodb").Table("subs")

def register(device_token, fcm_registration_id):
    table.put_item(Item={"device_token": device_token, "fcm": fcm_registration_id})  # expect: DH560

def tokens(card_token):
    table.put_item(Item={"card_token": card_token})
"""
    policy = {"identifiers": {"device": ["device_token", "fcm_registration_id"]}}
    result = assert_expected(code, select=("DH560",), policy=policy)
    assert "'device_token' (device)" in result.active[0].message


def test_a_serialised_record_and_a_separator_keep_the_records_fields(assert_expected):
    # probe44 P5 (min/04): Firehose's newline-delimited idiom, json.dumps(tap) + "\n", was one
    # text named by the dict key it was put under: DH561 named only 'Data' (from the first
    # identifier), card_uid and the coordinates were lost (no DH563), and the inventory listed
    # 'Data' as an identifier. 'Data' is the record's envelope, not a field.
    code = """
import json
import boto3
import requests

firehose = boto3.client("firehose")
kinesis = boto3.client("kinesis")
URL = "https://api.city-approved-vendor.example/x"

def taps(event, student_id):
    tap = {"student_name": event["student_name"], "card_number": event["card_number"], "lat": event["lat"]}
    firehose.put_record(DeliveryStreamName="t", Record={"Data": (json.dumps(tap) + "\\n").encode()})  # expect: DH561, DH563
    body = json.dumps(tap) + "\\n"
    firehose.put_record(DeliveryStreamName="t", Record={"Data": body.encode()})  # expect: DH561, DH563
    requests.post(URL, json={"Data": f"{json.dumps(tap)}\\n"})  # expect: DH561, DH563
    firehose.put_record(DeliveryStreamName="t", Record={"Data": student_id})  # expect: DH561
    kinesis.put_records(StreamName="s", Records=[{"Data": b"1", "PartitionKey": event["card_number"]}])  # expect: DH561
    requests.post(URL + "?q=" + json.dumps({"n": 1}))
"""  # noqa: E501
    result = assert_expected(code, select=("DH561", "DH563"))
    messages = [f.message for f in result.active if f.rule_id == "DH561"]
    assert all("'Data'" not in m and "'PartitionKey'" not in m for m in messages), messages
    assert "'student_name' (direct), 'card_number' (direct)" in messages[0]
    assert "'student_id' (direct)" in messages[3]
    assert "'card_number' (direct)" in messages[4]


def test_a_value_known_to_be_an_hmac_is_protected_whatever_its_name(assert_expected):
    # probe44 P8 (min/09): student_key / card_key classify as person_id / card_number by name
    # (a key is an id: a card_key may be the key of a card record), and stay so: a name alone
    # does not say whether the column holds a pseudonym or a surrogate id (the city lists its
    # pseudonyms' names in not_identifiers, or its pseudonymising function in
    # protective_functions). A value the analysis knows is an HMAC is protected, whatever
    # its name, in every shape the analysis follows.
    code = """
import hashlib
import hmac
import json
import os
import requests
from kafka import KafkaProducer

KEY = os.environ["PSEUDO_KEY"].encode()
URL = "https://api.vendor.example/x"
producer = KafkaProducer(bootstrap_servers="b1.example:9094", security_protocol="SSL")

class Pseudo:
    def __init__(self, key):
        self.key = key
    def of(self, v):
        return hmac.new(self.key, v.encode(), hashlib.sha256).hexdigest()

P = Pseudo(KEY)

def a(tap):
    key = hmac.new(KEY, tap["student_id"].encode(), hashlib.sha256).hexdigest()
    event = {"student_key": key, "stop_id": tap["stop_id"]}
    producer.send("t", key=event["student_key"].encode(), value=json.dumps(event).encode())

def b(df):
    df["card_key"] = df["card_number"].apply(lambda v: hmac.new(KEY, v.encode(), "sha256").hexdigest())
    df[["card_key", "stop_id"]].to_parquet("s3://curated/x.parquet")
    df.to_parquet("s3://curated/y.parquet")  # expect: DH560

def c(tap):
    student_key = hmac.digest(KEY, tap["student_id"].encode(), "sha256").hex()
    card_key = hashlib.blake2b(tap["card_number"].encode(), key=KEY).hexdigest()
    requests.post(URL, json={"student_key": student_key, "card_key": card_key})
    requests.post(URL, json={"student_key": P.of(tap["student_id"])})

def d(tap):
    requests.post(URL, json={"card_key": tap["card_key"]})  # expect: DH561
"""  # noqa: E501
    assert_expected(code, select=("DH560", "DH561"))


def test_a_stream_put_names_the_stream(assert_expected):
    # probe44 P12 (min/03): Kinesis and Firehose puts said "URL built with $GPS_STREAM" (a
    # stream name is no URL) and named nothing for a literal stream name; an SNS message
    # names its topic.
    code = """
import json
import os
import boto3

kinesis = boto3.client("kinesis")
firehose = boto3.client("firehose")
STREAM = os.environ["GPS_STREAM"]

def put(event):
    ping = {"lat": event["lat"], "lon": event["lon"]}
    kinesis.put_record(StreamName=STREAM, Data=json.dumps(ping), PartitionKey="k")  # expect: DH563
    kinesis.put_record(StreamName="bus-gps", Data=json.dumps(ping), PartitionKey="k")  # expect: DH563
    firehose.put_record(DeliveryStreamName=os.environ["TAPS"], Record={"Data": json.dumps(ping)})  # expect: DH563
"""  # noqa: E501
    result = assert_expected(code, select=("DH563",))
    where = [f.message.split(" leave to ")[1].split(" not rounded")[0] for f in result.active]
    assert where == [
        "the network (Kinesis stream from $GPS_STREAM)",
        "the network (Kinesis stream bus-gps)",
        "the network (Firehose delivery stream from $TAPS)",
    ]


GLUE_JOB_TF = """
resource "aws_glue_job" "export" {
  name     = "safety-export"
  role_arn = "arn:aws:iam::123456789012:role/glue"
  command {
    script_location = "s3://artifacts/glue/export_job.py"
  }
  default_arguments = {
    "--SAFETY_API_URL" = "https://api.safestride-analytics.io/v2/rides"
    "--job-language"   = "python"
  }
}
"""


def test_a_glue_jobs_arguments_are_its_scripts_environment(scan, make_repo, monkeypatch, capsys):
    # probe44 P6 (min/08): getResolvedOptions(sys.argv, ["SAFETY_API_URL"])["SAFETY_API_URL"]
    # is the Glue job's --SAFETY_API_URL default argument (its script_location names the
    # script), as a Lambda's environment variables are joined to its handler: the send went
    # to "(unresolved endpoint)" and its approval was unknown.
    import json

    from dhlint.cli import main

    code = """import sys
import requests
from awsglue.utils import getResolvedOptions
from pyspark.sql import SparkSession

args = getResolvedOptions(sys.argv, ["SAFETY_API_URL"])
spark = SparkSession.builder.getOrCreate()
rides = spark.read.parquet("s3://curated/ridership/").select("student_name", "stop_id")
requests.post(args["SAFETY_API_URL"], json=[r.asDict() for r in rides.collect()])
"""
    files = {"infra/main.tf": GLUE_JOB_TF, "jobs/export_job.py": code}
    result = scan(files, select=["DH690"])
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in result.active] == [
        ("DH690", "jobs/export_job.py", 9)
    ]
    assert "aws_glue_job.export (infra/main.tf) sets to 'api.safestride-analytics.io'" in (
        result.active[0].message
    )
    monkeypatch.chdir(make_repo(files))
    main(["inventory", "--no-cache", "-f", "json", "."])
    doc = json.loads(capsys.readouterr().out)
    vendors = {v["host"]: v["approved"] for v in doc["vendors"]}
    assert vendors == {"api.safestride-analytics.io": False}


def test_a_glue_contexts_logger_is_a_log(assert_expected):
    # probe44 P1, by the way: GlueContext.get_logger() is Glue's log4j logger (CloudWatch).
    code = """
from awsglue.context import GlueContext

glue = GlueContext(None)
logger = glue.get_logger()

def f(row):
    logger.info(f"processing {row['student_name']}")  # expect: DH565
    glue.get_logger().warn(f"x {row['stop_id']}")
"""
    assert_expected(code, select=("DH565",))
