"""Flows the probes 29 and 30 found missed or misread (their min/ reproducers, reduced)."""

from __future__ import annotations


def test_an_attribute_of_an_item_of_a_parameter_is_its_field(assert_expected):
    # probe29 min/02: count.device_mac of each item of a list parameter (a FastAPI
    # list[Model] body whose model is imported) is judged by its name, as count["device_mac"]
    # and a single parameter's count.device_mac are; other fields and methods are not.
    code = """
import logging
from models import WifiCount
log = logging.getLogger(__name__)
def ingest(batch) -> None:
    for count in batch:
        log.debug("mac=%s", count.device_mac)  # expect: DH565
        log.debug("sensor=%s n=%s", count.sensor_id, count.total)
def ingest_typed(batch: list[WifiCount]) -> None:
    for count in batch:
        log.debug("mac=%s", count.device_mac)  # expect: DH565
        log.debug("keys=%s", count.keys())
def ingest_item(count) -> None:
    log.debug("mac=%s", count.device_mac)  # expect: DH565
def ingest_rows(batch) -> None:
    for count in batch:
        log.debug("mac=%s", count["device_mac"])  # expect: DH565
"""
    assert_expected(code)


def test_a_message_parsed_from_a_parameters_attribute_is_a_record(assert_expected):
    # probe29 min/03: paho's on_message parses msg.payload; .get("plate") on the dict is
    # judged as data["plate"] is, and the dict posted whole carries the fields read from it.
    code = """
import json
import logging
import requests
log = logging.getLogger(__name__)
URL = "https://ingest.kcmo.gov/v1/events"
def on_message(client, userdata, msg):
    data = json.loads(msg.payload)
    log.info("plate=%s", data.get("plate"))  # expect: DH565
    requests.post(URL, json=data, timeout=5)  # expect: DH561
def on_message_subscript(client, userdata, msg):
    data = json.loads(msg.payload.decode())
    log.info("plate=%s", data["plate"])  # expect: DH565
def on_status(client, userdata, msg):
    data = json.loads(msg.payload)
    log.info("sensor=%s", data.get("sensor_id"))
    requests.post(URL, json=data, timeout=5)
"""
    assert_expected(code)


def test_rows_of_a_select_are_read_by_position_in_a_loop_and_through_xcom(assert_expected):
    # probe30 min/01: a row of fetchall()'s list (also pushed to and pulled from XCom) is a
    # tuple in the SELECT's order: c[0] and c[1] are call_id and call_type, c[2] the phone.
    code = """
import psycopg
import requests
URL = "https://api.kcmo.gov/v1/calls"
SQL = "SELECT call_id, call_type, caller_phone FROM calls"
def collect(ti, **_):
    with psycopg.connect("postgresql://airflow@db/cad?sslmode=verify-full") as conn:
        rows = conn.execute(SQL).fetchall()
    ti.xcom_push(key="calls", value=rows)
def to_lab(ti, **_):
    calls = ti.xcom_pull(task_ids="collect", key="calls")
    slim = [{"call_id": c[0], "call_type": c[1]} for c in calls]
    requests.post(URL, json=slim, timeout=60)
    requests.post(URL, json=[{"p": c[2]} for c in calls], timeout=60)  # expect: DH561
def local():
    with psycopg.connect("postgresql://airflow@db/cad?sslmode=verify-full") as conn:
        rows = conn.execute(SQL).fetchall()
    requests.post(URL, json=[{"id": c[0]} for c in rows], timeout=60)
    for c in rows:
        requests.post(URL, json={"t": c[1]}, timeout=60)
        requests.post(URL, json={"p": c[-1]}, timeout=60)  # expect: DH561
    requests.post(URL, json=rows, timeout=60)  # expect: DH561
"""
    assert_expected(code)


def test_a_normalised_identifier_is_still_the_identifier(assert_expected):
    # probe30 min/02: a phone's digits (re.sub, a join of its digit characters) and a long
    # tail of it are the phone: hashing them without a key is DH562, logging them DH565. The
    # last four of a card number stay masked; other values stay clean.
    code = """
import hashlib
import logging
import re
log = logging.getLogger(__name__)
def norm(phone: str) -> str:
    return re.sub(r"\\\\D", "", phone)
def digits_only(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())
def h1(caller_phone: str) -> str:
    return hashlib.sha256(norm(caller_phone).encode()).hexdigest()  # expect: DH562
def h2(caller_phone: str) -> str:
    return hashlib.sha256(digits_only(caller_phone)[-10:].encode()).hexdigest()  # expect: DH562
def h3(caller_phone: str) -> str:
    return hashlib.sha256(caller_phone[-10:].encode()).hexdigest()  # expect: DH562
def l1(caller_phone: str, card_number: str, ward: str) -> None:
    log.info("calling %s", re.sub(r"\\\\D", "", string=caller_phone))  # expect: DH565
    log.info("calling %s", "".join(c for c in caller_phone if c.isdigit()))  # expect: DH565
    log.info("card %s", card_number[-4:])
    log.info("ward %s", re.sub(r"\\\\s", "", ward), "".join(c for c in ward if c != " "))
    log.info("codes %s", ",".join(str(c) for c in range(3)))
def h4(ward: str) -> str:
    return hashlib.sha256(norm(ward)[-10:].encode()).hexdigest()
"""
    assert_expected(code)


def test_a_local_variable_named_like_an_identifier_is_judged_by_its_name(assert_expected):
    # probe30 min/03: DH565's catalogue promises "a variable named like one"; a local holding
    # nothing known (a call's result, a loop variable, an item by position) is judged as a
    # parameter so named is. Other names stay unknown (a row of a query not read stays clean).
    code = """
import logging
log = logging.getLogger("p")
def v1(lookup) -> None:
    email = lookup()
    log.info("sending %s", email)  # expect: DH565
    ward = lookup()
    log.info("ward %s", ward, ward.name)
def v2(rows: list) -> None:
    for email in rows:
        log.info("sending %s", email)  # expect: DH565
    for rec in rows:
        log.info("rec %s", rec)
def v3(rows: list) -> None:
    for call_id, email in rows:
        log.info("sending %s %s", call_id, email)  # expect: DH565
def v4(row: list, client) -> None:
    email = row[1]
    log.info(f"sending {email}")  # expect: DH565
    for result in client.query(row[0]):
        log.info("r %s", result.total)
"""
    assert_expected(code)


def test_a_count_or_a_resolved_host_is_not_judged_by_its_name(assert_expected):
    # probe32 min/01-04: a count (len, a range's or enumerate's index, n += 1) or a host's
    # address the code resolves holds nothing a name can make personal; elsewhere in the module
    # the same name is still judged by it.
    code = """
import logging
import socket
log = logging.getLogger("p")
def seed(n: int, rows: list) -> None:
    for user_id in range(n):
        log.info("seeding user %d", user_id)
    for phone, row in enumerate(rows):
        log.info("row %d", phone)
def summarise(rows: list) -> None:
    user_id = len(rows)
    log.info("rows %d", user_id)
    email = str(len(rows))
    log.info("rows %s", email)
def count() -> None:
    phone = 0
    phone += 1
    log.info("phones seen %d", phone)
def connect(host: str) -> None:
    ip_address = socket.gethostbyname(host)
    log.info("resolved %s", ip_address)
def lookup(find) -> None:
    email = find()
    log.info("sending %s", email)  # expect: DH565
"""
    assert_expected(code)


def test_rows_through_an_annotated_connection_and_of_a_returning_clause(assert_expected):
    # probe30 min/04: a connection given as a parameter annotated psycopg.Connection (also in a
    # string) reads rows as one the function opens; DELETE/UPDATE ... RETURNING rows hold the
    # columns it names. Positions stay exact: row[0] is the call id.
    code = """
import logging
import sqlite3
import psycopg
import requests
log = logging.getLogger("p")
def b4(conn: psycopg.Connection) -> None:
    row = conn.execute("SELECT call_id, caller_phone FROM calls").fetchone()
    requests.post("https://api.kcmo.gov/x", json={"p": row[1]})  # expect: DH561
    requests.post("https://api.kcmo.gov/x", json={"id": row[0]})
def r1(conn: "psycopg.Connection | None") -> None:
    rows = conn.execute("DELETE FROM calls WHERE ts < now() RETURNING call_id, caller_phone;")
    for row in rows.fetchall():
        log.info("purged %s", row[0])
        log.info("purged %s", row[1])  # expect: DH565
def r2(cur: sqlite3.Cursor) -> None:
    cur.execute("UPDATE calls SET caller_phone = NULL RETURNING call_id")
    log.info("cleared %s", cur.fetchone())
    cur.execute("DELETE FROM calls WHERE call_id = 1")
    log.info("deleted %s", cur.fetchone())
"""
    assert_expected(code)


def test_a_message_consumed_from_kafka_is_data_read_from_a_source(assert_expected):
    # probe30 min/05: a field of a message polled from a Kafka consumer (or iterated, in
    # kafka-python) is a column read from the topic, judged as a SELECTed one is: a medium
    # name such as incident_address counts. A parameter's field so named does not.
    code = """
import json
import psycopg
from confluent_kafka import Consumer
from kafka import KafkaConsumer
SQL = "INSERT INTO incidents (incident_id, incident_address) VALUES (%s, %s)"
def run(conn: psycopg.Connection) -> None:
    consumer = Consumer({"group.id": "g", "bootstrap.servers": "kafka:9093"})  # expect: DH260
    msg = consumer.poll(1.0)
    data = json.loads(msg.value())
    with conn.cursor() as cur:
        cur.execute(SQL, (data["incident_id"], data["incident_address"]))  # expect: DH560
def run2(conn: psycopg.Connection) -> None:
    for msg in KafkaConsumer("cad.incidents", bootstrap_servers="kafka:9093"):  # expect: DH260
        data = json.loads(msg.value)
        conn.execute(SQL, (data["incident_id"], data["incident_address"]))  # expect: DH560
        conn.execute(SQL, (data["incident_id"], data["incident_type"]))
def from_caller(conn: psycopg.Connection, payload: bytes) -> None:
    data = json.loads(payload)
    conn.execute(SQL, (data["incident_id"], data["incident_address"]))
"""
    assert_expected(code)
