"""Flows realistic ETL probes found missed or misread (s25 h4): a record logged before its
fields are read, Beam's sinks, a socket's peer address, identifier-named parameters with an
empty default, rounding to decimals not known, a DSN setting that is only tested for."""

from __future__ import annotations


def test_beam_unknown_transforms_groups_and_composite_transforms(assert_expected):
    # probe34 min/03: a transform not known (Count.PerKey(), WithKeys) gives nothing known, not
    # the rows it is applied to; a PTransform of the module gives what its expand() makes of
    # them; GroupByKey gives (key, the key's values) pairs, so MapTuple binds the key alone.
    code = """
import apache_beam as beam
Q = "SELECT route, rider_email FROM fares.taps"
class CountByRoute(beam.PTransform):
    def expand(self, rows):
        return rows | beam.Map(lambda r: (r["route"], 1)) | beam.CombinePerKey(sum)
class ByRider(beam.PTransform):
    def expand(self, rows):
        return rows | beam.Map(lambda r: (r["rider_email"], r["route"]))
def run():
    with beam.Pipeline() as p:
        rows = p | "bq" >> beam.io.ReadFromBigQuery(query=Q)
        rows | "n" >> beam.combiners.Count.PerKey() | "w1" >> beam.io.WriteToText("gs://open/a")
        rows | "c" >> CountByRoute() | "w2" >> beam.io.WriteToText("gs://open/b")
        rows | "r" >> ByRider() | "w3" >> beam.io.WriteToText("gs://open/c")  # expect: DH560
        (
            rows
            | "k" >> beam.WithKeys(lambda r: r["route"])
            | "g" >> beam.GroupByKey()
            | "m" >> beam.MapTuple(lambda route, rs: f"{route},{len(list(rs))}")
            | "w4" >> beam.io.WriteToText("gs://open/d")
        )
        (
            rows
            | "p" >> beam.Map(lambda r: (r["route"], r["rider_email"]))
            | "g2" >> beam.GroupByKey()
            | "m2" >> beam.MapTuple(lambda route, emails: f"{route},{len(list(emails))}")
            | "w5" >> beam.io.WriteToText("gs://open/e")
        )
        (
            rows
            | "p3" >> beam.Map(lambda r: (r["route"], r["rider_email"]))
            | "g3" >> beam.GroupByKey()
            | "m3" >> beam.MapTuple(lambda route, emails: (route, list(emails)))
            | "w6" >> beam.io.WriteToText("gs://open/f")  # expect: DH560
        )
"""
    assert_expected(code)


def test_a_record_logged_whole_holds_the_fields_read_from_it_later(assert_expected):
    # The record (a parsed message, a parameter, a table read) holds at the log call what the
    # code reads from it anywhere: its fields, also those read after the call. A table that
    # no longer holds a field (dropped first) does not.
    code = """
import json
import logging
import pandas as pd
log = logging.getLogger(__name__)
def handle(msg, table):
    rec = json.loads(msg.data)
    log.info("received %s", rec)  # expect: DH565
    table.insert({"email_hash": hash_it(rec["email"]), "plate": rec["plate"][:2]})
def handle_param(rec, table):
    log.info("received %s", rec)  # expect: DH565
    table.insert({"plate": rec["plate"][:2]})
def handle_lines(lines, out):
    for line in lines:
        rec = json.loads(line)
        log.debug("rec %s", rec)  # expect: DH565
        out.write(rec["plate"][:2])
def handle_status(msg):
    rec = json.loads(msg.data)
    log.info("status %s", rec)
    return rec["sensor_id"], rec["status"]
def load(path):
    df = pd.read_csv(path)
    slim = df.drop(columns=["email"])
    log.info("loaded %s", slim)
    log.info("loaded %s", df)  # expect: DH565
    return df["email"].str.len()
"""
    assert_expected(code)


def test_a_document_loaded_from_a_file_and_logged_whole_is_not_its_fields(assert_expected):
    # probe34 min/02: an application's configuration (yaml.safe_load, json.load of a file)
    # logged whole, then cfg["address"] (a bind address) read: its keys are settings. A parsed
    # message logged whole still holds the fields read from it later (test above).
    code = """
import json
import logging
import yaml
log = logging.getLogger(__name__)
def load_config(path):
    with open(path) as f:
        cfg = yaml.safe_load(f)
    log.info("loaded config %s", cfg)
    return cfg["address"], cfg["name"]
def load_json(path):
    with open(path) as f:
        cfg = json.load(f)
    log.info("loaded config %s", cfg)
    return cfg["account_id"]
def handle(msg):
    rec = json.loads(msg.data)
    log.info("received %s", rec)  # expect: DH565
    return rec["email"]
"""
    assert_expected(code)


def test_list_of_a_pandas_frame_is_its_column_labels(assert_expected):
    # probe34 min/10: list(df) (sorted, set, tuple, iter...) iterates a pandas frame's column
    # labels, as df.columns is: not its data. The frame itself logged whole still holds them.
    code = """
import logging
import pandas as pd
log = logging.getLogger(__name__)
def load(path):
    df = pd.read_csv(path)
    log.info("columns %s", list(df))
    log.info("columns %s %s", sorted(df), df.columns)
    return df[["email", "phone", "zone"]]
def load_whole(path):
    df = pd.read_csv(path)
    log.info("loaded %s", df)  # expect: DH565
    return df[["email", "zone"]]
"""
    assert_expected(code)


def test_apache_beam_writes_are_exports(assert_expected):
    # rows | beam.io.WriteToText(path), "label" >> WriteToBigQuery(...), WriteToPubSub(topic):
    # the collection's elements leave; Map/FlatMap/ParDo/Filter give its elements, a query's
    # rows have its columns. A count leaves no identifier.
    code = """
import json
import apache_beam as beam
from apache_beam.io.gcp.bigquery import WriteToBigQuery
QUERY = "SELECT trip_id, rider_email, start_lat, start_lon, zone FROM city.trips"
class Scrub(beam.DoFn):
    def process(self, row):
        yield {"trip_id": row["trip_id"], "zone": row["zone"]}
class Leak(beam.DoFn):
    def process(self, row):
        yield {"trip_id": row["trip_id"], "email": row["rider_email"]}
def run(p, path, topic):
    rows = (
        p
        | "read" >> beam.io.ReadFromText("gs://city-raw/trips/*.json")
        | "parse" >> beam.Map(json.loads)
        | "pick" >> beam.Map(lambda r: {"email": r["email"], "lat": r["lat"], "lon": r["lon"]})
    )
    rows | beam.io.WriteToText(path)  # expect: DH560, DH563
    rows | "bq" >> beam.io.WriteToBigQuery("city:trips.raw")  # expect: DH560, DH563
    rows | beam.io.WriteToPubSub(topic)  # expect: DH561, DH563
def run_query():
    with beam.Pipeline() as p:
        trips = p | "read" >> beam.io.ReadFromBigQuery(query=QUERY)
        trips | "scrub" >> beam.ParDo(Scrub()) | "ok" >> beam.io.WriteToText("gs://open/t")
        (
            trips
            | "leak" >> beam.ParDo(Leak())
            | "json" >> beam.Map(json.dumps)
            | "bad" >> beam.io.WriteToText("gs://open/leak")  # expect: DH560
        )
        (
            trips
            | beam.Map(lambda r: (r["zone"], 1))
            | beam.CombinePerKey(sum)
            | WriteToBigQuery(table="city:open.zone_counts")
        )
        trips | beam.Map(lambda r: r["rider_email"]) | beam.combiners.Count.Globally() | (
            beam.io.WriteToText("/tmp/n")
        )
        kept = trips | beam.Filter(lambda r: r["zone"] != "")
        kept | beam.io.WriteToParquet("/out/t")  # expect: DH560, DH563
"""
    assert_expected(code)


def test_a_sockets_peer_address_is_an_ip_address(assert_expected, scan):
    # conn, address = sock.accept(): the address is the peer's (host, port), a network
    # identifier (ip_address, category device), not a resident's address (direct); so are
    # recvfrom()'s and getpeername()'s, and Starlette's request.client logged whole. Another
    # object's accept() is not a socket's.
    code = """
import logging
import socket
from fastapi import Request
log = logging.getLogger(__name__)
def serve(port):
    sock = socket.socket()
    sock.bind(("0.0.0.0", port))
    conn, address = sock.accept()
    log.info("connection from %s", address)  # expect: DH565
    return conn
def serve_with(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
        conn, peer = srv.accept()
        log.info("connection from %s", peer)  # expect: DH565
        host, _port = peer
        log.info("host %s", host)  # expect: DH565
def udp(sock):
    data, addr = sock.recvfrom(4096)
    print("datagram from", addr[0], len(data))  # expect: DH565
class Server:
    def __init__(self):
        self.sock = socket.create_server(("", 9000))
    def loop(self):
        client, where = self.sock.accept()
        log.info("peer %s", client.getpeername())  # expect: DH565
        log.info("peer port %s", where[1])
def offers(offer):
    result = offer.accept()
    log.info("accepted %s", result)
async def view(request: Request):
    log.info("from %s", request.client)  # expect: DH565
"""
    result = assert_expected(code)
    messages = [f.message for f in result.active if f.location.start_line == 10]
    assert messages == [
        "Identifier(s) 'client_address' (device) written to a log by logger.info"
    ], messages


def test_a_parameter_with_an_empty_default_is_judged_by_its_name(assert_expected):
    # phone=None, email="" are what a caller passes, as a parameter without a default is; a
    # default that says something (a URL) is still the value when no caller passes one.
    code = """
import logging
import requests
log = logging.getLogger(__name__)
def notify(phone=None):
    log.info("notifying %s", phone)  # expect: DH565
def greet(*, email=""):
    print("hello", email)  # expect: DH565
def plain(phone):
    log.info("notifying %s", phone)  # expect: DH565
def job(name=None, retries=0):
    log.info("job %s retry %s", name, retries)
def fetch(ip_address="https://vendor.example.com/x"):
    return requests.get(ip_address, timeout=5)  # expect: DH660
"""
    assert_expected(code)


def test_an_optional_setting_named_like_an_identifier_keeps_its_empty_default(assert_expected):
    # probe34 min/01: address=None, username=None, ip_address=None, device_id=None,
    # account=None, account_id="" are as often the service's own settings as a resident's:
    # only a name that alone names a person's identifier (phone, email) is judged by it.
    code = """
import logging
import socket
log = logging.getLogger(__name__)
def connect(address=None):
    log.info("connecting to %s", address)
    return socket.create_connection(address or ("localhost", 80))
def connect_db(host="db.internal", user=None, password=None):
    log.info("connecting to %s as %s", host, user)
def login(username=None):
    log.info("service login as %s", username)
def bind(ip_address=None, port=8080):
    log.info("binding %s:%s", ip_address, port)
def register_device(device_id=None):
    log.info("registering %s", device_id)
def set_account(account=None):
    log.info("using AWS account %s", account)
def run(region=None, bucket=None, account_id=""):
    log.info("run in %s/%s account %s", region, bucket, account_id)
def notify(ssn=None, card_number=""):
    log.info("notifying %s %s", ssn, card_number)  # expect: DH565
"""
    assert_expected(code)


def test_a_cloud_account_a_client_id_a_display_name_a_service_login_are_no_persons(
    assert_expected,
):
    # s38 pyfn2 (real code: airflow's MWAA operator and awswrangler log AWS's account id,
    # airflow's Facebook Ads transfer an ads account_id, superset its IAM database user,
    # simple_salesforce posts its OAuth client_id, Home Assistant logs a camera's
    # display_name): known only by a variable's name, an account, a client id, a display name
    # or a service's login are a program's or a thing's. A person's account
    # (customer.account_id) or display name, a table's account_id column and a user name
    # still count.
    code = """
import logging
import boto3
import pandas as pd
import requests
log = logging.getLogger(__name__)
def bucket():
    account_id = boto3.client("sts").get_caller_identity()["Account"]
    log.info("results bucket for account %s", account_id)
def report(account_id):
    log.warning("account_id: %s returned empty report", account_id)
def soap_login(client_id, url):
    body = f"<env:Header><urn:CallOptions><urn:client>{client_id}</urn:client>"
    return requests.post(url, body)
def connect(hostname, db_username):
    log.debug("IAM auth for %s as %s", hostname, db_username)
def started(device, user):
    log.debug("%s: ffmpeg started", device.display_name)
    log.debug("%s signed in", user.display_name)  # expect: DH565
def charge(customer):
    log.info("charging %s", customer.account_id)  # expect: DH565
def login(username):
    log.info("login %s", username)  # expect: DH565
def bill(conn):
    df = pd.read_sql("SELECT account_id, amount FROM taps", conn)
    for rec in df.to_dict("records"):
        log.info("billing %s", rec["account_id"])  # expect: DH565
"""
    assert_expected(code)


def test_an_attribute_of_self_set_to_nothing_known_is_judged_by_its_name(assert_expected):
    # s38 pyfn2 (Home Assistant's haveibeenpwned: self._email = self._emails[i], logged and put
    # in the URL of a request in another method) was reported nowhere: the attribute held an
    # unknown value, so its name was not read, as it is for a variable so set or an attribute
    # never set. One set to a constant, or named like nothing personal, is not reported.
    code = """
import logging
import requests
log = logging.getLogger(__name__)
URL = "https://haveibeenpwned.com/api/v3/breachedaccount/"
SENDER = "alerts@kcmo.gov"
class Breaches:
    def __init__(self, emails):
        self._emails = emails
        self._email = emails[0]
        self._current = emails[0]
        self.sender = SENDER
    def next(self, i):
        self._email = self._emails[i]
    def update(self):
        log.debug("checking %s", self._email)  # expect: DH565
        log.debug("checking %s from %s", self._current, self.sender)
        return requests.get(f"{URL}{self._email}", timeout=5)  # expect: DH561 DH660
"""
    assert_expected(code)


def test_a_field_read_from_a_value_named_as_a_thing_is_the_things(assert_expected):
    # s38 pyfn2 (tap_hubspot's discovery: custom_object["name"] of HubSpot's schema API, put
    # in the catalog it dumps): a bare name read from a record named as a thing (a job, a
    # custom object, self.task) is that thing's, as {"name": job} is. Read from a person's
    # record, or from a table (a DataFrame named table), it still counts.
    code = """
import json
import sys
import pandas as pd
import requests
def objects(kind):
    return requests.get(f"https://api.example.com/{kind}", timeout=5).json()["results"]
def discover():
    streams = [{"stream": job["name"]} for job in objects("jobs")]
    streams += [{"stream": custom_object["name"]} for custom_object in objects("schemas")]
    json.dump({"streams": streams}, sys.stdout)
def people():
    contacts = [{"who": person["name"]} for person in objects("people")]
    json.dump({"contacts": contacts}, sys.stdout)  # expect: DH560
def table(path):
    table = pd.read_csv(path)
    json.dump({"names": table["name"].tolist()}, sys.stdout)  # expect: DH560
"""
    assert_expected(code, select=("DH5",))


def test_rounding_to_decimals_not_known_is_precise(assert_expected):
    # round(lat, digits) with digits unknown (a parameter, a variable) may keep every decimal:
    # as not rounded (DH563); a known number of decimals is judged as before, and a named
    # constant not resolved (DECIMALS imported) is the project's configured precision.
    code = """
import csv
import pandas as pd
import psycopg
from settings import DECIMALS
PLACES = 3
def publish(df: pd.DataFrame, digits, path):
    df["lat"] = df["lat"].round(digits)
    df["lon"] = df["lon"].round(digits)
    df[["lat", "lon", "count"]].to_csv(path)  # expect: DH563
def publish_rows(conn: psycopg.Connection, path):
    rows = conn.execute("SELECT trip_id, start_lat, start_lon FROM trips").fetchall()
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        for r in rows:
            writer.writerow([r[0], round(r[1], DECIMALS), round(r[2], DECIMALS)])
            writer.writerow([r[0], round(r[1], PLACES), round(r[2], 3)])
def publish_dict(digits, path):
    df = pd.read_csv("trips.csv", usecols=["trip_id", "lat", "lon"])
    df.round({"lat": digits, "lon": 2}).to_csv(path)  # expect: DH563
    df.round({"lat": 3, "lon": 2}).to_csv(path)
"""
    assert_expected(code)


def test_rounding_to_a_named_constant_not_resolved_is_the_configured_precision(assert_expected):
    # probe34 min/04: .round(LOCATION_DECIMALS) imported from the project's settings (3 there),
    # config.LOCATION_DECIMALS, a module constant read from the environment: the configured
    # precision, not judged as precise. A module constant that resolves is its number; a
    # parameter or a lower-case variable of unknown value stays precise.
    code = """
import os
import pandas as pd
from app.config import LOCATION_DECIMALS
from app import config
ENV_DECIMALS = int(os.environ.get("DECIMALS", "3"))
FINE = 6
def publish(path, digits):
    df = pd.read_csv(path, usecols=["request_id", "latitude", "longitude"])
    df["latitude"] = df["latitude"].round(LOCATION_DECIMALS)
    df["longitude"] = df["longitude"].round(config.LOCATION_DECIMALS)
    df.to_csv("s3://city-open-data/311/a.csv", index=False)
    df2 = pd.read_csv(path, usecols=["request_id", "latitude", "longitude"])
    df2.round(ENV_DECIMALS).to_csv("s3://city-open-data/311/b.csv", index=False)
    df2.round(FINE).to_csv("s3://city-open-data/311/c.csv")  # expect: DH563
    places = int(os.environ.get("PLACES", "3"))
    df2.round(places).to_csv("s3://city-open-data/311/d.csv")  # expect: DH563
    df2.round(digits).to_csv("s3://city-open-data/311/e.csv")  # expect: DH563
"""
    assert_expected(code)


def test_a_dsn_setting_tested_for_is_not_a_connection_using_it(assert_expected):
    # if "sslmode=disable" in dsn: raise ...: a test, not a connection string; so are the
    # text a string method or a regular expression looks for. A DSN that holds it still counts.
    code = """
import os
import re
import psycopg2
def connect():
    dsn = os.environ["DATABASE_URL"]
    if "sslmode=disable" in dsn:
        raise RuntimeError("refusing a cleartext database connection")
    if dsn.endswith("sslmode=disable") or dsn == "host=db sslmode=disable":
        raise RuntimeError("no")
    if dsn.startswith(("sslmode=disable", "sslmode=allow")) or re.search("sslmode=disable", dsn):
        raise RuntimeError("no")
    return psycopg2.connect(dsn.replace("sslmode=disable", "sslmode=require"))
def bad():
    return psycopg2.connect("host=db sslmode=disable")  # expect: DH260
"""
    assert_expected(code)


def test_an_identifier_is_seen_by_its_values_origin_under_any_name(assert_expected):
    # The value's origin decides, not the key or position it is sent under: a list of emails
    # under "recipients", a phone in a CSV row by position, and a list of tuples unpacked in a
    # loop (each tuple's items in order, as zip()'s).
    code = """
import csv
import requests
VENDOR = "https://api.mailvendor.example/send"
def notify(rows):
    emails = [r["email"] for r in rows]
    requests.post(VENDOR, json={"recipients": emails}, timeout=10)  # expect: DH561, DH660
def export(rows, path):
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        for r in rows:
            writer.writerow([r["phone"], r["trip_id"]])  # expect: DH560
def pairs(rows):
    pairs = [(r["trip_id"], r["email"]) for r in rows]
    for trip, who in pairs:
        requests.post(VENDOR, json={"w": who}, timeout=5)  # expect: DH561, DH660
        requests.post(VENDOR, json={"t": trip}, timeout=5)  # expect: DH660
    first = pairs[0]
    requests.post(VENDOR, json={"t": first[0]}, timeout=5)  # expect: DH660
"""
    assert_expected(code)


def test_json_text_in_a_record_field_parsed_is_a_record(assert_expected):
    # A Lambda's event["body"], an SQS record's record["body"], a Kinesis record's data: a
    # field holding JSON text. Parsed, it is a record that holds what the code reads from it
    # (as json.loads(msg.data) of a message), also after the log call.
    code = """
import base64
import json
import logging
log = logging.getLogger(__name__)
def handler(event, context):
    rec = json.loads(event["body"])
    log.info("got %s", rec)  # expect: DH565
    return {"to": rec["email"]}
def sqs(event, context):
    for record in event["Records"]:
        rec = json.loads(record["body"])
        log.info("got %s", rec)  # expect: DH565
        notify(rec["phone"])
def optional(event, context):
    rec = json.loads(event.get("body") or "{}")
    log.info("got %s", rec)  # expect: DH565
    return rec["email"]
def kinesis(event, context):
    for r in event.get("Records", []):
        rec = json.loads(base64.b64decode(r["kinesis"]["data"]))
        log.info("got %s", rec)  # expect: DH565
        notify(rec["phone"])
def status(event, context):
    rec = json.loads(event["body"])
    log.info("status %s", rec)
    return rec["sensor_id"], rec["status"]
def notify(address):
    pass
"""
    assert_expected(code)


def test_items_of_a_dict_comprehension_and_of_dict_pairs_hold_the_values(assert_expected):
    # .items() of a dict comprehension whose values are columns ({k: row[k] for k in FIELDS}),
    # of a pandas Series, and of dict(zip(names, values)) / dict((k, v) for ...): the value side
    # of each pair is those columns. Pairs filtered by key (if k not in PII) are not.
    code = """
import csv
import logging
PII = ("email", "phone")
log = logging.getLogger(__name__)
def fields(row, fh):
    writer = csv.writer(fh)
    d = {k: row[k] for k in ("email", "ward")}
    for k, v in d.items():
        writer.writerow([k, v])  # expect: DH560
def series(df):
    for i, v in df["email"].items():
        log.info("row %s: %s", i, v)  # expect: DH565
def zipped(row, fh):
    writer = csv.writer(fh)
    d = dict(zip(["email", "ward"], [row["email"], row["ward"]]))
    for k, v in d.items():
        writer.writerow([k, v])  # expect: DH560
    writer.writerow(d.values())  # expect: DH560
def generated(row, fh):
    writer = csv.writer(fh)
    d = dict((k, v) for k, v in {"email": row["email"]}.items())
    for k, v in d.items():
        writer.writerow([k, v])  # expect: DH560
def filtered(row, fh):
    writer = csv.writer(fh)
    d = {"email": row["email"], "ward": row["ward"]}
    safe = dict((k, v) for k, v in d.items() if k not in PII)
    writer.writerow(safe.values())
    writer.writerow(safe)
"""
    assert_expected(code)


def test_a_socket_own_address_is_not_a_peer(assert_expected):
    # getsockname() is the socket's own (a server's bound) address, not a person's: logged,
    # under any name (addr, ip_address), it is no identifier; accept()'s, recvfrom()'s and
    # getpeername()'s are the peer's.
    code = """
import logging
import socket
log = logging.getLogger(__name__)
def serve():
    srv = socket.create_server(("0.0.0.0", 8080))
    addr = srv.getsockname()
    log.info("listening on %s", addr)
    ip_address = srv.getsockname()[0]
    log.info("listening on %s", ip_address)
    ip, port = srv.getsockname()
    log.info("listening on %s:%d", ip, port)
    conn, client = srv.accept()
    log.info("accepted on %s", conn.getsockname())
    log.info("accepted from %s", client)  # expect: DH565
    log.info("peer %s", conn.getpeername())  # expect: DH565
class Handler:
    def __init__(self, server):
        self.server = server
    def start(self):
        address = self.server.getsockname()
        log.info("listening on %s", address)
"""
    assert_expected(code)
