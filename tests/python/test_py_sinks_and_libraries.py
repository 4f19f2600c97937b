"""Sources, transforms and sinks across pandas, PySpark, polars, plain rows, DB-API, object
storage and network clients: each case marks its expected findings with ``# expect:``."""

from __future__ import annotations

import pytest

CASES = {
    "polars_chain": """
import polars as pl
df = pl.read_csv("trips.csv", columns=["rider_email", "start_lat", "fare"])
out = df.with_columns(pl.col("start_lat").round(3)).select(["rider_email", "start_lat", "fare"])
out.write_csv("out.csv")  # expect: DH560
df.drop("rider_email").with_columns(pl.col("start_lat").round(3)).write_parquet("ok.parquet")
""",
    "polars_hash_and_rename": """
import polars as pl
df = pl.read_parquet("probes.parquet", columns=["mac", "seen_at"])
out = df.with_columns(pl.col("mac").hash().alias("device"))  # expect: DH562
out.drop("mac").write_parquet("out.parquet")
df.rename({"mac": "dev"}).write_ndjson("raw.ndjson")  # expect: DH560
""",
    "spark_sql_select_list": """
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.sql("SELECT vin, md5(plate) AS plate_hash, camera_id FROM alpr.reads")  # expect: DH562
df.write.format("parquet").save("/mnt/out")  # expect: DH560
df.select("plate_hash", "camera_id").write.saveAsTable("alpr.hashed")
""",
    "spark_jdbc_and_with_column_renamed": """
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
df = spark.read.format("jdbc").option("dbtable", "people").load()
out = df.withColumnRenamed("ssn", "tax_id").drop("ssn")
out.select("tax_id", "county").write.jdbc("jdbc:postgresql://db.kcmo.gov/x", "out")  # expect: DH560
""",
    "cursor_insert_from_rows": """
import sqlite3
conn = sqlite3.connect("local.db")
cur = conn.cursor()
def save(records):
    for r in records:
        row = (r["email"], r["ticket"])
        cur.execute("INSERT INTO contacts (email, ticket) VALUES (?, ?)", row)  # expect: DH560
""",
    # probe33 min/02: a value known by nothing (a field of a row fetched on a connection of
    # unknown kind, by position) is judged by the INSERT column it is written into; a
    # constant holds no personal data.
    "cursor_insert_by_column_list": """
def reconcile(conn, settlements):
    cur = conn.cursor()
    for s in settlements:
        cur.execute("SELECT stop_id, card_number FROM taps WHERE txn_id = %s", (s["txn_id"],))
        tap = cur.fetchone()
        cur.execute(  # expect: DH560
            "INSERT INTO recon_exceptions (txn_id, card_number) VALUES (%s, %s)",
            (s["txn_id"], tap[1]),
        )
        cur.execute(
            "INSERT INTO recon_exceptions (txn_id, stop_id) VALUES (%s, %s)",
            (s["txn_id"], tap[0]),
        )
        cur.execute("INSERT INTO recon (txn_id, email) VALUES (%s, %s)", (s["txn_id"], "n/a"))
""",
    # probe25 min/11: pyodbc's execute(sql, *params) takes the parameters one by one
    "pyodbc_execute_parameters_one_by_one": """
import pyodbc
def save(officers, row):
    cur = pyodbc.connect("DSN=bodycam").cursor()
    for o in officers:
        cur.execute(  # expect: DH560
            "INSERT INTO officers (unit, full_name, email) VALUES (?, ?, ?)",
            o["unit"],
            o["full_name"],
            o["email"],
        )
        cur.execute("INSERT INTO units (unit, shift) VALUES (?, ?)", o["unit"], o["shift"])
    params = (row["unit"], row["email"])
    cur.execute("INSERT INTO officers (unit, email) VALUES (?, ?)", *params)  # expect: DH560
    unit, shift = row["unit"], row["shift"]
    cur.execute("INSERT INTO units (unit, shift) VALUES (?, ?)", *(unit, shift))
""",
    "cursor_select_then_print": """
import psycopg2
conn = psycopg2.connect("dbname=x sslmode=require")
cur = conn.cursor()
cur.execute("SELECT phone, ticket_id FROM sr.requests")
for phone, ticket_id in cur.fetchall():
    print(ticket_id)
    print(phone)  # expect: DH565
""",
    "to_sql": """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["drivers_license", "status"])
df.to_sql("licences", "sqlite:///x.db")  # expect: DH560
""",
    "boto3_put_object_body": """
import boto3
import pandas as pd
s3 = boto3.client("s3")
df = pd.read_csv("x.csv", usecols=["email", "status"])
s3.put_object(Bucket="kc-share", Key="x.csv", Body=df.to_csv(index=False))  # expect: DH560
s3.put_object(Bucket="kc-share", Key="y.csv", Body=df[["status"]].to_csv(index=False))
""",
    "in_memory_buffer_uploaded": """
import io
import boto3
import pandas as pd
def run():
    df = pd.read_csv("x.csv", usecols=["email", "status"])
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    s3 = boto3.client("s3")
    s3.put_object(Bucket="kc-share", Key="x.csv", Body=buf.getvalue())  # expect: DH560
    kept = io.BytesIO()
    df.to_parquet(kept)
""",
    "file_written_then_posted": """
import pandas as pd
import requests
OUT = "/tmp/reads.csv"
API = "https://api.city-approved-vendor.example"
def main():
    df = pd.read_csv("reads.csv", usecols=["plate", "lat", "lon", "camera_id"])
    df.to_csv(OUT, index=False)  # expect: DH560, DH563
    with open(OUT, "rb") as fh:
        requests.post(f"{API}/up", files={"file": fh})  # expect: DH561, DH563
    requests.put(f"{API}/up2", data=open(OUT, "rb"))  # expect: DH561, DH563
""",
    # probe25 min/02: a nightly export's date-stamped name is the file written under it, in
    # the same function or returned to another; another name's file is not.
    "sftp_put_of_dated_export": """
from datetime import date
import paramiko
import pandas as pd
def build():
    df = pd.read_csv("owners.csv", usecols=["plate", "owner_name", "amount"])
    path = f"/staging/out_{date.today():%Y%m%d}.csv"
    df.to_csv(path, index=False)  # expect: DH560
    df[["amount"]].to_csv(f"/staging/totals_{date.today():%Y%m%d}.csv")
    return path
def send(path):
    transport = paramiko.Transport(("api.city-approved-vendor.example", 22))
    sftp = paramiko.SFTPClient.from_transport(transport)
    sftp.put(path, "/inbound/out.csv")  # expect: DH561
    sftp.put(f"/staging/totals_{date.today():%Y%m%d}.csv", "/inbound/totals.csv")
    sftp.put(f"/staging/out_{date.today():%Y%m%d}.csv", "/inbound/again.csv")  # expect: DH561
send(build())
""",
    # A file opened for writing on the SFTP server: its writes are the upload (probe50).
    "sftp_open_for_writing": """
import csv
import io
import paramiko
def rows_csv(records):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["email", "status"])
    for r in records:
        writer.writerow({"email": r["email"], "status": r["status"]})
    return out.getvalue().encode()
def send(records):
    transport = paramiko.Transport(("api.city-approved-vendor.example", 22))
    sftp = paramiko.SFTPClient.from_transport(transport)
    with sftp.open("/inbound/residents.csv", "wb") as fh:
        fh.write(rows_csv(records))  # expect: DH561
    with sftp.open("/inbound/status.txt", mode="w") as fh:
        fh.write(",".join(r["status"] for r in records))
    with sftp.open("/outbound/ack.csv") as fh:
        fh.write(rows_csv(records))
""",
    "pathlib_writes_and_reads_back": """
import logging
from pathlib import Path
import pandas as pd
log = logging.getLogger(__name__)
STAGE = Path("/tmp/stage")
def run():
    df = pd.read_csv("x.csv", usecols=["phone_number", "status"])
    out = STAGE / "x.json"
    out.write_text(df.to_json())  # expect: DH560
    with Path("/tmp/y.csv").open("w") as fh:
        fh.write(df.to_csv())  # expect: DH560
    with open(STAGE.joinpath("z.csv"), "w") as fh:
        fh.write(df[["status"]].to_csv())
    Path("/tmp/counts.txt").write_text(str(len(df)))
    log.info("staged %s", Path("/tmp/stage/x.json").read_text())  # expect: DH565
    log.info("counted %s", Path("/tmp/counts.txt").read_text())
""",
    "boto3_upload_file_written_earlier": """
import boto3
import pandas as pd
def run():
    df = pd.read_csv("x.csv", usecols=["phone_number", "status"])
    df.to_csv("/tmp/x.csv")  # expect: DH560
    boto3.resource("s3").Bucket("kc-share").upload_file("/tmp/x.csv", "x.csv")  # expect: DH560
""",
    "gcs_and_azure_uploads": """
import pandas as pd
from azure.storage.blob import BlobServiceClient
from google.cloud import storage
df = pd.read_csv("x.csv", usecols=["ip_address", "status"])
blob = storage.Client().bucket("kc-share").blob("x.json")
blob.upload_from_string(df.to_json())  # expect: DH560
# the account a connection string names is an endpoint (kc.blob.core.windows.net: DH660)
svc = BlobServiceClient.from_connection_string("AccountName=kc")  # expect: DH660
svc.get_blob_client("c", "x.csv").upload_blob(df.to_csv())  # expect: DH560
""",
    # probe25 min/06: ContainerClient.upload_blob(name, data) takes the data second,
    # BlobClient.upload_blob(data, blob_type) first; a client of unknown kind may take either.
    "azure_upload_blob_positions": """
import pandas as pd
from azure.storage.blob import BlobClient, BlobServiceClient, ContainerClient
def run(client):
    df = pd.read_csv("tows.csv", usecols=["plate", "status"])
    container = BlobServiceClient.from_connection_string("c").get_container_client("tow")
    container.upload_blob("eligible.json", df.to_json())  # expect: DH560
    container.upload_blob(df.to_json(), "eligible.json")
    container.get_blob_client("a.csv").upload_blob(df.to_csv())  # expect: DH560
    container.get_blob_client("a.csv").upload_blob("BlockBlob", df.to_csv())
    ContainerClient.from_connection_string("", "tow").upload_blob("", df.to_csv())  # expect: DH560
    BlobClient.from_connection_string("", "tow", "b").upload_blob("", df.to_csv())
    client.upload_blob("eligible.json", df.to_csv())  # expect: DH560
    client.upload_blob("eligible.json", df[["status"]].to_csv())
""",
    # probe35 min/14: a Data Lake file's upload_data on a client of unknown kind (a parameter)
    # is a write, as upload_blob is.
    "upload_data_on_a_client_parameter": """
def push(file_client, record):
    data = {"email": record["email"]}
    file_client.upload_data(str(data))  # expect: DH560
""",
    # probe25 min/14: Event Hubs and Service Bus are Azure's Kafka: an event, a message, what
    # a batch was filled with and a partition key or session id are sent; a count is not.
    "azure_event_hubs_and_service_bus": """
import json
import os
from azure.eventhub import EventData, EventHubProducerClient
from azure.servicebus import ServiceBusClient, ServiceBusMessage
CONN = os.environ["BUS"]
def pings(readings, r):
    producer = EventHubProducerClient.from_connection_string(CONN, eventhub_name="gps")
    with producer:
        batch = producer.create_batch()
        for lat, lon in readings:
            batch.add(EventData(json.dumps({"badge_number": r["badge_number"], "lat": lat})))
        producer.send_batch(batch)  # expect: DH561, DH563
        quiet = producer.create_batch()
        quiet.add(EventData(json.dumps({"count": len(readings)})))
        producer.send_batch(quiet)
        producer.send_batch([EventData(r["badge_number"])])  # expect: DH561
        producer.send_event(EventData("tick"), partition_key=r["vin"])  # expect: DH561
        producer.send_event(EventData("tick"), partition_key=r["ward"])
        keyed = producer.create_batch(partition_key=r["plate"])
        keyed.add(EventData("tick"))
        producer.send_batch(keyed)  # expect: DH561
def notices(rows):
    with ServiceBusClient.from_connection_string(CONN) as client:
        with client.get_queue_sender("notices") as sender:
            for r in rows:
                sender.send_messages(ServiceBusMessage(json.dumps([r["email"]])))  # expect: DH561
                sender.send_messages(ServiceBusMessage("x", session_id=r["plate"]))  # expect: DH561
                sender.send_messages(ServiceBusMessage(json.dumps({"ward": r["ward"]})))
            batch = sender.create_message_batch()
            for r in rows:
                batch.add_message(ServiceBusMessage(r["phone"]))
            sender.send_messages(batch)  # expect: DH561
def forward(event_sender, row):
    event_sender.send_messages([ServiceBusMessage(row["email"])])  # expect: DH561
    event_sender.send_messages([ServiceBusMessage(row["ward"])])
""",
    "open_write_fstring": """
def export(rows):
    with open("contacts.txt", "w") as out:
        for r in rows:
            out.write(f"{r['first_name']} {r['last_name']}\\n")  # expect: DH560
""",
    "httpx_aiohttp_and_urllib_payloads": """
import json
import urllib.request

import aiohttp
import httpx

API = "https://api.city-approved-vendor.example"
async def push(rows):
    async with aiohttp.ClientSession() as session:
        for r in rows:
            await session.post(f"{API}/a", json={"plate": r["plate"]})  # expect: DH561
    async with httpx.AsyncClient() as client:
        await client.put(f"{API}/b", json=[{"imei": r["imei"]} for r in rows])  # expect: DH561
    body = json.dumps({"vin": rows[0]["vin"]}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{API}/c", data=body))  # expect: DH561
""",
    "smtp_and_kafka": """
import smtplib
from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers="kafka.kcmo.gov:9093")  # expect: DH260
def notify(reading):
    hit = {"plate": reading["plate"], "camera": reading["camera"]}
    producer.send("alpr-hits", value=hit)  # expect: DH561
    with smtplib.SMTP_SSL("smtp.kcmo.gov") as smtp:
        text = f"Hit for {reading['plate']}"
        smtp.sendmail("alpr@kcmo.gov", ["ops@kcmo.gov"], text)  # expect: DH561
""",
    # probe22 #9: Pub/Sub is GCP's Kafka: publish(topic, data, **attributes) sends the message,
    # its ordering key and attributes; a topic path or a message without identifiers do not.
    "pubsub_publish": """
import json
from google.cloud import pubsub_v1
from google.cloud.pubsub_v1 import PublisherClient as Publisher

publisher = pubsub_v1.PublisherClient()
TOPIC = publisher.topic_path("ck-smartcity-prod", "taps")
def forward(tap):
    body = {"card_number": tap["card_number"], "stop_id": tap["stop_id"]}
    publisher.publish(TOPIC, json.dumps(body).encode())  # expect: DH561
    publisher.publish(TOPIC, b"tap", rider_email=tap["email"])  # expect: DH561
    publisher.publish(TOPIC, data=json.dumps({"stop": tap["stop_id"]}).encode())
    publisher.publish(TOPIC, b"tap", ordering_key=tap["email"], timeout=30)  # expect: DH561
    publisher.publish(TOPIC, b"tap", ordering_key=tap["stop_id"], timeout=tap["email"])
    Publisher().publish(topic=TOPIC, data=tap["phone"].encode())  # expect: DH561
class Forwarder:
    def __init__(self, publisher):
        self.publisher = publisher
    def forward(self, tap):
        self.publisher.publish(TOPIC, data=tap["email"].encode())  # expect: DH561
        self.client.publish(TOPIC, data=tap["email"].encode())
""",
    "local_helper_drops": """
import pandas as pd
def minimise(frame):
    return frame.drop(columns=["email", "phone"])
df = pd.read_csv("x.csv", usecols=["email", "phone", "status"])
minimise(df).to_csv("ok.csv")
df.pipe(minimise).to_csv("ok2.csv")
df.to_csv("bad.csv")  # expect: DH560
""",
    "merge_brings_identifier_in": """
import pandas as pd
a = pd.read_csv("a.csv", usecols=["ticket_id", "status"])
b = pd.read_csv("b.csv", usecols=["ticket_id", "requester_email"])
a.merge(b, on="ticket_id").to_parquet("out.parquet")  # expect: DH560
pd.concat([a, a]).to_parquet("ok.parquet")
""",
    "loc_selection": """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["email", "status", "zip"])
df.loc[df["status"] == "open", ["status", "zip"]].to_csv("ok.csv")
df.loc[:, "email"].to_csv("bad.csv")  # expect: DH560
""",
    # A web request's data (flask's request.get_json()/.json/.form/.args, Django's
    # request.POST/GET): a record whose fields are what the view reads, as a FastAPI body's.
    "web_request_data": """
import json
import logging
import requests
from flask import Flask, jsonify, request
log = logging.getLogger(__name__)
app = Flask(__name__)
VENDOR = "https://api.city-approved-vendor.example/leads"
@app.post("/complaints")
def create_complaint():
    body = request.get_json()
    if not body.get("email"):
        return jsonify({"error": "email required"}), 400
    log.info("complaint received: %s", body)  # expect: DH565
    requests.post(VENDOR, json={"ward": body["ward"], "topic": body.get("topic")})
    return jsonify({"ok": True})
@app.post("/subscribe")
def subscribe():
    data = request.json
    print("subscriber", data["email"])  # expect: DH565
    log.info("ward %s", data["ward"])
    return "", 204
@app.post("/contact")
def contact():
    log.warning("contact from %s", request.form["full_name"])  # expect: DH565
    log.info("topic %s", request.form.get("topic"))
    requests.post(VENDOR, data=request.form)  # expect: DH561
    return "ok"
@app.get("/lookup")
def lookup():
    email = request.args.get("email")
    log.info("lookup %s page %s", email, request.args.get("page"))  # expect: DH565
    return "ok"
@app.post("/raw")
def raw():
    payload = json.loads(request.data)
    log.info("raw keys %s", sorted(payload))
    return "ok"
def register(request):
    log.info("register %s", request.POST.get("email"))  # expect: DH565
    log.info("search page %s", request.GET.get("page"))
    form = request.POST
    requests.post(VENDOR, json={"ward": form.get("ward")})
async def starlette_view(request):
    body = await request.json()
    if body.get("phone"):
        log.info("from %s", body)  # expect: DH565
    log.info("event %s", request.state)
def relay(req, row):
    req.post(VENDOR, json={"email": row["email"]})  # expect: DH561
""",
    # A process's pid (subprocess.Popen, psutil, multiprocessing, a value named proc or
    # process) is the OS's, as os.getpid()'s: not the person id the taxonomy's 'pid' names. A
    # column or a record's field named pid, or the pid of a value not known as a process
    # (p: a patient as well), still is.
    "process_ids": """
import logging
import os
import subprocess
from dataclasses import dataclass
import pandas as pd
import psutil
log = logging.getLogger(__name__)
@dataclass
class Patient:
    pid: str
    ward: str
class Runner:
    def start(self, cmd):
        self.proc = subprocess.Popen(cmd)
        log.info(f"started {self.proc.pid}")
def workers(cmd, row, worker_proc, patient: Patient):
    proc = subprocess.Popen(cmd)
    pid = proc.pid
    log.info("started %s", pid)
    log.info("child %s", proc.pid)
    log.info("popen %s", subprocess.Popen(cmd).pid)
    log.info("me %s", psutil.Process().pid)
    log.info(f"worker {worker_proc.pid}")
    log.info("worker", extra={"pid": os.getpid(), "parent": psutil.Process(pid).ppid})
    for p in psutil.process_iter(["pid", "name"]):
        log.info("p %s %s", p.pid, p.info["pid"])
    # pid alone is weak evidence (medium confidence): a name is not enough, a table's column is
    log.info("patient %s", row["pid"])
    log.info("patient %s", row.pid)
    log.info("patient %s", patient.pid)
    log.info("patient %s", row["patient_pid"])  # a person's record id: DH565 lets it be logged
def kill(p):
    log.info("killing %s", p.pid)
def frame():
    df = pd.read_csv("patients.csv", usecols=["pid", "ward"])
    df.to_csv("out.csv")  # expect: DH560
""",
    # probe26 min/04: Django's manager on a model class gives rows whose fields are read by
    # name, as a SELECT * query's (sr.reporter_phone was judged on a parameter only); values()
    # and values_list() give the fields they write, as dicts and tuples.
    "django_orm_rows": """
import logging
import requests
from requests311.models import ServiceRequest, Staff
log = logging.getLogger(__name__)
SMS_URL = "https://sms.kcmo.gov/send"
def by_orm(request_id):
    sr = ServiceRequest.objects.get(pk=request_id)
    requests.post(SMS_URL, json={"to": sr.reporter_phone}, timeout=10)  # expect: DH561
    log.info("texted %s", sr.reporter_phone)  # expect: DH565
    log.info("status %s %s", sr.status, sr.pk)
def loops():
    for sr in ServiceRequest.objects.filter(status="open").order_by("-id"):
        log.info("open %s %s", sr.id, sr.reporter_email)  # expect: DH565
    last = ServiceRequest.objects.exclude(status="closed").last()
    log.info("last %s", last.location)  # expect: DH565
    for row in ServiceRequest.objects.values("id", "reporter_phone"):
        log.info("row %s", row["reporter_phone"])  # expect: DH565
    for pk, email in Staff.objects.values_list("id", "email"):
        log.info("staff %s", email)  # expect: DH565
    for pk, status in Staff.objects.values_list("id", "status"):
        log.info("staff %s %s", pk, status)
    emails = list(Staff.objects.values_list("email", flat=True))
    requests.post(SMS_URL, json={"to": emails}, timeout=10)  # expect: DH561
    log.info("n %s", ServiceRequest.objects.count())
    log.info("cache %s", cache.objects.get(key="x").location)
""",
    # probe53: a Django row's field that is a related row (a foreign key) has the related
    # row's fields as attributes: booking.patron.card_number is a card number, not 'patron';
    # what its values are (text, dates) has methods, not fields.
    "django_related_rows": """
import logging
from django.core.mail import send_mail
from bookings.models import Booking, Child
log = logging.getLogger(__name__)
def confirm(booking_id):
    booking = Booking.objects.select_related("patron").get(pk=booking_id)
    patron = booking.patron
    body = f"Card: {patron.card_number}"
    send_mail("Booked", body, "a@x.example", ["b@x.example"])  # expect: DH561
    log.info("booked %s on %s", booking.programme.title, booking.created_at.isoformat())
    log.info("for %s", booking.patron.email.lower())  # expect: DH565
    log.info("programme %s", booking.programme.name)
def roster():
    for child in Child.objects.select_related("guardian"):
        log.info("%s %s", child.pk, child.guardian.card_number)  # expect: DH565
        log.info("%s", child.guardian.children.count())
""",
    # probe26 min/12: boto3's SQS, SNS and SES send a message out as Kafka does: its body and
    # attributes, not the queue, the topic or the addressee (an SMS to the resident).
    "boto3_sqs_sns_ses": """
import json
import boto3
sqs = boto3.client("sqs")
sns = boto3.Session().client("sns", region_name="us-east-2")
ses = boto3.client("ses")
Q = "https://sqs.us-east-2.amazonaws.com/123456789012/kc311-crm-outbox"
def outbox(owner_email, case_id, lat, lon):
    sqs.send_message(QueueUrl=Q, MessageBody=json.dumps({"email": owner_email}))  # expect: DH561
    sqs.send_message(QueueUrl=Q, MessageBody=json.dumps({"case": case_id}))
    sqs.send_message(QueueUrl=Q, MessageBody="x", MessageGroupId=owner_email)  # expect: DH561
    sqs.send_message_batch(QueueUrl=Q, Entries=[{"MessageBody": owner_email}])  # expect: DH561
    sns.publish(TopicArn="arn:x", Message=json.dumps({"lat": lat, "lon": lon}))  # expect: DH563
def page(reporter_phone):
    sns.publish(TopicArn="t", Message=json.dumps({"caller_phone": reporter_phone}))  # expect: DH561
def text(phone):
    sns.publish(PhoneNumber=phone, Message="Your 311 request was received")
def mail(owner_email):
    ses.send_email(  # expect: DH561
        Source="noreply@311.kcmo.gov",
        Destination={"ToAddresses": ["intake@civicpartner.example"]},
        Message={"Subject": {"Data": "case"}, "Body": {"Text": {"Data": f"owner {owner_email}"}}},
    )
    ses.send_email(
        Source="noreply@311.kcmo.gov",
        Destination={"ToAddresses": [owner_email]},
        Message={"Subject": {"Data": "Your request"}, "Body": {"Text": {"Data": "closed"}}},
    )
    ses.send_raw_email(RawMessage={"Data": f"To: x, owner {owner_email}"})  # expect: DH561
""",
    # boto3's resources send as its clients do: a Queue's send_message(s), a Topic's publish.
    "boto3_sqs_sns_resources": """
import json
import boto3
sqs = boto3.resource("sqs")
sns = boto3.Session().resource("sns", region_name="us-east-2")
def outbox(owner_email, case_id, url):
    sqs.Queue(url).send_message(MessageBody=json.dumps({"email": owner_email}))  # expect: DH561
    queue = sqs.get_queue_by_name(QueueName="kc311-crm-outbox")
    queue.send_message(MessageBody=json.dumps({"case": case_id}))
    queue.send_messages(Entries=[{"Id": "1", "MessageBody": owner_email}])  # expect: DH561
    topic = sns.Topic("arn:aws:sns:us-east-2:123456789012:kc311")
    topic.publish(Message=json.dumps({"caller_email": owner_email}))  # expect: DH561
    topic.publish(Message="closed", Subject="311")
    sns.create_topic(Name="kc311").publish(Message=f"owner {owner_email}")  # expect: DH561
""",
    # probe33 min/01: DynamoDB items put or updated are records written to a table (DH560, as
    # an SQL INSERT), a resource's Table, its batch_writer, the client (typed values) or a
    # table held by self.
    "boto3_dynamodb_writes": """
import boto3
table = boto3.resource("dynamodb").Table("balances")
client = boto3.client("dynamodb")
def put(acct):
    table.put_item(Item={"id": acct["id"], "card_number": acct["card_number"]})  # expect: DH560
    table.put_item(Item={"stop": acct["stop"], "cents": acct["cents"]})
    client.put_item(  # expect: DH560
        TableName="balances",
        Item={"card_number": {"S": acct["card_number"]}, "stop": {"S": acct["stop"]}},
    )
    client.put_item(TableName="balances", Item={"stop": {"S": acct["stop"]}, "n": {"N": "3"}})
    client.update_item(  # expect: DH560
        TableName="balances",
        Key={"txn": {"S": acct["txn"]}},
        UpdateExpression="SET e = :e",
        ExpressionAttributeValues={":e": {"S": acct["email"]}},
    )
def batch(rows):
    with table.batch_writer() as writer:
        for r in rows:
            writer.put_item(Item={"email": r["email"]})  # expect: DH560
class Cache:
    def save(self, r):
        self.table.put_item(Item={"phone": r["phone"]})  # expect: DH560
""",
    # probe35 min/08: Cosmos DB items created, upserted, replaced or patched are records written
    # to a database (DH560, DH563), as DynamoDB's put_item: a container of a database of a
    # CosmosClient (sync or aio), one received as a parameter or held by self.
    "azure_cosmos_writes": """
import json
import os
from azure.cosmos import CosmosClient
from azure.cosmos.aio import CosmosClient as AsyncCosmosClient
client = CosmosClient(os.environ["COSMOS_ENDPOINT"], credential=os.environ["COSMOS_KEY"])
status = client.get_database_client("mds").get_container_client("vehicle-status")
def main(event):
    body = json.loads(event.get_body())
    doc = {"id": body["device_id"], "vehicle_id": body["vehicle_id"], "battery": body["battery"]}
    status.upsert_item(doc)  # expect: DH560
    status.upsert_item({"id": body["trip_id"], "lat": body["lat"]})  # expect: DH563
    status.upsert_item({"state": body["state"], "battery": body["battery"]})
    status.create_item(body={"rider_email": body["rider_email"]})  # expect: DH560
    status.replace_item(body["id"], {"phone": body["phone"]})  # expect: DH560
    status.read_item(body["device_id"], partition_key=body["device_id"])
    ops = [{"op": "set", "path": "/vehicle_id", "value": body["vehicle_id"]}]
    status.patch_item(body["id"], body["id"], ops)  # expect: DH560
    status.patch_item(body["id"], body["id"], [{"op": "incr", "path": "/n", "value": 1}])
async def aio(row):
    async with AsyncCosmosClient(os.environ["COSMOS_ENDPOINT"], os.environ["KEY"]) as c:
        db = await c.create_database_if_not_exists(id="mds")
        trips = await db.create_container_if_not_exists(id="trips", partition_key="/id")
        await trips.upsert_item({"id": row["trip_id"], "email": row["email"]})  # expect: DH560
def save(container, row):
    container.create_item({"mac_address": row["mac_address"]})  # expect: DH560
class Store:
    def save(self, row):
        self.cosmos_container.upsert_item({"plate": row["plate"]})  # expect: DH560
""",
    # probe33 min/16: Kinesis and Firehose records are sent as SQS messages are (DH561).
    "boto3_kinesis_firehose_records": """
import json
import boto3
kinesis = boto3.client("kinesis")
firehose = boto3.Session().client("firehose")
def tap(t):
    card = json.dumps({"card_number": t["card_number"]})
    stop = json.dumps({"stop": t["stop"]})
    kinesis.put_record(StreamName="taps", Data=card, PartitionKey="k")  # expect: DH561
    kinesis.put_record(StreamName="taps", Data=stop, PartitionKey=t["email"])  # expect: DH561
    kinesis.put_record(StreamName="taps", Data=stop, PartitionKey="k")
    kinesis.put_records(StreamName="taps", Records=[{"Data": t["phone"]}])  # expect: DH561
    firehose.put_record(DeliveryStreamName="taps", Record={"Data": card})  # expect: DH561
    firehose.put_record_batch(DeliveryStreamName="t", Records=[t["email"]])  # expect: DH561
    firehose.put_record(DeliveryStreamName="taps", Record={"Data": stop})
""",
    # probe33 min/17: awswrangler, pandas' I/O on AWS: its writes export as pandas' do, its
    # query results hold their SELECT list.
    "awswrangler_reads_and_writes": """
import awswrangler as wr
def export(df, con):
    wr.s3.to_parquet(df[["card_number", "stop_id"]], path="s3://kcata-x/taps/")  # expect: DH560
    wr.s3.to_csv(df=df[["email", "stop_id"]], path="s3://kcata-x/r.csv")  # expect: DH560
    wr.s3.to_parquet(df[["stop_id"]], path="s3://kcata-x/stops/")
    wr.athena.to_iceberg(df[["email"]], "fare", "riders")  # expect: DH560
    wr.postgresql.to_sql(df[["phone"]], con, "riders", "public")  # expect: DH560
def athena_rows():
    riders = wr.athena.read_sql_query("SELECT card_number, email FROM riders", database="fare")
    riders.to_csv("/tmp/riders.csv")  # expect: DH560
    stops = wr.athena.read_sql_query("SELECT stop_id, boardings FROM stops", database="fare")
    stops.to_csv("/tmp/stops.csv")
""",
    # probe29 min/09: paho-MQTT publishes, its broker host and its TLS switch.
    "paho_mqtt_client": """
import json
import paho.mqtt.client as mqtt
import paho.mqtt.publish as publish
def connect(mac_address) -> mqtt.Client:
    client = mqtt.Client()
    client.tls_set()
    client.tls_insecure_set(True)  # expect: DH261
    client.tls_insecure_set(False)
    client.connect("mqtt.vendor.example", 8883)  # expect: DH660
    client.publish("diag/raw", json.dumps({"mac_address": mac_address}))  # expect: DH561
    client.publish("diag/counts", json.dumps({"devices": 3}))
    return client
def local(rider_email):
    client = mqtt.Client()
    client.connect("localhost")
    client.publish("t", rider_email)  # expect: DH561
def mirror(client, mac_address):
    client.publish("wifi/raw", json.dumps({"mac_address": mac_address}))  # expect: DH561
    client.subscribe("wifi/#")
def once(plate):
    body = json.dumps({"plate": plate})
    publish.single("alpr", body, hostname="mq.vendor.example")  # expect: DH260, DH561, DH660
""",
    # probe38 min/08: paho speaks TLS only after tls_set() (or tls_set_context()), whatever
    # the port: a client made here and connected without it is a cleartext channel. One made
    # elsewhere (a parameter) is judged by its port: 1883 or the default is MQTT's cleartext
    # port. This machine's broker is no channel.
    "paho_mqtt_without_tls_is_cleartext": """
import json, ssl
import paho.mqtt.client as mqtt
import paho.mqtt.publish as publish
def send(count):
    client = mqtt.Client()
    client.connect("telemetry.kcmo.gov", 1883)  # expect: DH260
    client.publish("alpr/counts", json.dumps({"count": count}))
def send_tls(count):
    client = mqtt.Client()
    client.tls_set(ca_certs="/etc/alpr/ca.pem", cert_reqs=ssl.CERT_REQUIRED)
    client.connect("telemetry.kcmo.gov", 8883)
    client.publish("alpr/counts", json.dumps({"count": count}))
def send_context(count):
    client = mqtt.Client()
    client.tls_set_context(ssl.create_default_context())
    client.connect("telemetry.kcmo.gov", 8883)
def wrong_port(count):
    client = mqtt.Client()
    client.connect("telemetry.kcmo.gov", 8883)  # expect: DH260
def on_site(count):
    client = mqtt.Client()
    client.connect("localhost", 1883)
def given(client: mqtt.Client, count):
    client.connect("telemetry.kcmo.gov", 8883)
def given_plain(client: mqtt.Client, count):
    client.connect("telemetry.kcmo.gov")  # expect: DH260
def once(count):
    publish.single("alpr", str(count), hostname="telemetry.kcmo.gov", tls={"ca_certs": "ca.pem"})
    publish.single("alpr", str(count), hostname="telemetry.kcmo.gov")  # expect: DH260
""",
    # No identifier in the file: the pre-filter lets it through for paho's import.
    "paho_tls_switch_alone": """
from paho.mqtt import client as mqtt_client
c = mqtt_client.Client()
c.tls_insecure_set(True)  # expect: DH261
""",
    # Without paho imported, a ``client.publish`` is nobody's MQTT client.
    "publish_on_a_client_without_paho": """
import json
def notify(client, rider_email):
    client.publish("t", json.dumps({"email": rider_email}))
""",
    "geohash_cells_are_not_phones": """
import geohash
import h3
import pandas as pd
def heatmap(df: pd.DataFrame) -> None:
    df["cell"] = [geohash.encode(la, lo, precision=5) for la, lo in zip(df["lat"], df["lon"])]
    df.groupby("cell").size().reset_index(name="n").to_csv("heatmap.csv", index=False)
    df["h3_cell"] = [h3.latlng_to_cell(la, lo, 5) for la, lo in zip(df["lat"], df["lon"])]
    df.groupby("h3_cell").size().reset_index(name="n").to_csv("h3.csv", index=False)
def contacts(rows: pd.DataFrame) -> None:
    rows[["cell"]].to_csv("cells.csv")
    rows[["cell_phone"]].to_csv("phones.csv")  # expect: DH560
""",
    "origin_destination_hexagons_are_not_phones": """
import pandas as pd
import requests
def publish(path):
    df = pd.read_parquet(path, columns=["start_cell", "end_cell", "trip_count"])
    requests.post("https://data.kcmo.gov/resource/hex.json", json=df.to_dict(orient="records"))
    df.to_csv("hex.csv", index=False)
    df.rename(columns={"start_cell": "rider_cell"}).to_csv("x.csv")  # expect: DH560
""",
}


@pytest.mark.parametrize("code", CASES.values(), ids=CASES.keys())
def test_sinks_and_libraries(code, assert_expected):
    assert_expected(code)


def test_process_ids_when_the_policy_lists_pid(scan):
    # A city that lists pid itself makes it strong evidence: the fields named pid are then
    # reported, and a process's pid (Popen, psutil, proc.pid, os.getpid()) still is not.
    code = CASES["process_ids"]
    result = scan({"etl.py": code}, policy={"identifiers": {"direct": ["pid"]}}, select=["DH5"])
    lines = {f.location.start_line for f in result.active}
    text = code.splitlines()
    process = [n for n, line in enumerate(text, 1) if "proc" in line or "Process" in line]
    patient = [n for n, line in enumerate(text, 1) if 'patient %s"' in line or "killing" in line]
    assert len(process) >= 6 and len(patient) == 5
    assert lines.isdisjoint(process)
    assert set(patient) <= lines
