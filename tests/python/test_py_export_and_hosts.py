"""DH560 (identifier columns exported) and DH660 (unapproved hosts): cases with exact lines."""

from __future__ import annotations

import pytest

from tests.conftest import NOT_VENDOR_HOSTS

DH560_CASES = {
    "usecols": """
import pandas as pd
df = pd.read_csv("reads.csv", usecols=["plate", "camera_id"])
df.to_csv("out.csv")  # expect: DH560
""",
    "no_usecols_columns_seen_in_code": """
import pandas as pd
df = pd.read_csv("reads.csv")
recent = df[df["read_at"] > "2026-01-01"]
recent.to_parquet("out.parquet")
print(len(df["email"]))
""",
    "selection_keeps_identifier": """
import pandas as pd
df = pd.read_csv("reads.csv")
df[["email", "ticket_id"]].to_json("out.json")  # expect: DH560
""",
    "selection_without_identifier": """
import pandas as pd
df = pd.read_csv("reads.csv")
df[["ticket_id", "status"]].to_json("out.json")
df.drop(columns=["email"]).to_excel("out.xlsx")
""",
    "dropped_positional_axis": """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["email", "status"])
df.drop(["email"], axis=1).to_csv("out.csv")
df.drop("email", axis="columns").to_csv("out2.csv")
""",
    "renamed": """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["plate", "status"])
df = df.rename(columns={"plate": "vehicle"})
df.to_csv("out.csv")  # expect: DH560
""",
    "assigned_copy": """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["plate", "status"])
df["vehicle"] = df["plate"]
df = df.drop(columns=["plate"])
df.to_csv("out.csv")  # expect: DH560
""",
    "keyed_hmac_helper": """
import hashlib, hmac, os
import pandas as pd
KEY = os.environ["K"].encode()
def tok(v):
    return hmac.new(KEY, v.encode(), hashlib.sha256).hexdigest()
df = pd.read_csv("x.csv", usecols=["plate", "status"])
df["plate"] = df["plate"].apply(tok)
df.to_csv("out.csv")
""",
    "policy_protective_function": """
import pandas as pd
from city.privacy import tokenize
df = pd.read_csv("x.csv", usecols=["email", "status"])
df["email"] = df["email"].map(tokenize)
df.to_csv("out.csv")
df.assign(status=lambda d: d["status"].str.lower()).to_csv("out2.csv")
""",
    "dict_rows_and_csv_writer": """
import csv
def export(rows):
    with open("out.csv", "w") as fh:
        writer = csv.DictWriter(fh, fieldnames=["name", "phone"])
        for r in rows:
            writer.writerow({"name": r["full_name"], "phone": r["phone"]})  # expect: DH560
""",
    "json_dump": """
import json
import pandas as pd
df = pd.read_sql("SELECT ticket_id, requester_email FROM sr.tickets", None)
with open("tickets.json", "w") as fh:
    json.dump(df.to_dict("records"), fh)  # expect: DH560
""",
    "branch_drops_only_sometimes": """
import pandas as pd
def f(full):
    df = pd.read_csv("x.csv", usecols=["email", "status"])
    if not full:
        df = df.drop(columns=["email"])
    df.to_csv("out.csv")  # expect: DH560
""",
    "import_alias_and_from_import": """
import pandas as pandas_lib
from pandas import read_csv as rc
a = pandas_lib.read_csv("x.csv", usecols=["ssn"])
b = rc("y.csv", usecols=["mac_address"])
a.to_csv("a.csv")  # expect: DH560
b.to_csv("b.csv")  # expect: DH560
""",
    "helper_returns_frame": """
import pandas as pd
def load():
    return pd.read_csv("x.csv", usecols=["phone", "status"])
def main():
    df = load()
    df.to_parquet("s3://bucket/x.parquet")  # expect: DH560
""",
}


@pytest.mark.parametrize("code", DH560_CASES.values(), ids=DH560_CASES.keys())
def test_dh560(code, assert_expected):
    assert_expected(code, select=["DH560"])


def test_dh560_message_names_columns_sink_and_origin(scan):
    code = DH560_CASES["renamed"]
    (finding,) = scan({"etl.py": code}, select=["DH560"]).active
    assert finding.message == (
        "Identifier column(s) 'vehicle' (direct, from 'plate') written to file 'out.csv' by "
        "DataFrame.to_csv without being dropped or pseudonymised"
    )
    assert [r.label for r in finding.flow] == [
        "read by pandas.read_csv",
        "'plate' renamed to 'vehicle'",
        "leaves by DataFrame.to_csv",
    ]


def test_message_names_the_identifier_a_key_came_from_when_the_key_names_one_too(scan):
    # probe33 min/09: {"account": acct["fare_account_id"]} said 'account' (direct) alone, while
    # {"ref": ...} said where it came from.
    code = """
import requests
def status(acct):
    requests.get("https://x.example/s", params={"account": acct["fare_account_id"]})
    requests.get("https://x.example/s", params={"ref": acct["fare_account_id"]})
    requests.get("https://x.example/s", params={"email": acct["email"]})
"""
    policy = {"identifiers": {"direct": ["fare_account_id"]}}
    result = scan({"etl.py": code}, policy=policy, select=["DH561"])
    assert [f.message.split(" sent")[0] for f in result.active] == [
        "Identifier column(s) 'account' (direct, from 'fare_account_id')",
        "Identifier column(s) 'ref' (direct, from 'fare_account_id')",
        "Identifier column(s) 'email' (direct)",
    ]


def test_a_bare_address_is_judged_by_its_name_and_a_bare_name_is_not(scan, assert_expected):
    # probe26 min/01: a resident's address in a variable, a parameter or a parameter's field
    # (an email, an IP address are personal too; a thing's address has the thing in front). It
    # was medium confidence, below what a name alone needs, so the geocoder's DH561 was missed
    # and the exception above it was called unused (DH004). A bare `name` stays medium.
    code = """
import logging
import requests
log = logging.getLogger(__name__)
GEOCODER = "https://geo.kcmo.gov/v1/geocode"
def geocode(address):
    log.info("geocoding %s", address)  # expect: DH565
    return requests.get(GEOCODER, params={"q": address}, timeout=5).json()  # expect: DH561
def geocode_row(row):
    return requests.post(GEOCODER, json={"q": row["address"]}, timeout=5).json()  # expect: DH561
def enrich(event):
    addr = event["detail"]["address"]
    # dhlint: ignore[DH561] city-run geocoder (GIS division), no third party involved
    return requests.get(GEOCODER, params={"address": addr}, timeout=5)
def others(server_address, name, site_address):
    log.info("listening on %s for %s at %s", server_address, name, site_address)
    return requests.post(GEOCODER, json={"q": name, "site": site_address}, timeout=5)
"""
    assert_expected(code, select=("DH004", "DH5", "DH6"))


def test_a_bare_address_a_socket_is_given_is_a_network_address(assert_expected):
    # The bare `address` above made a socket's address an identifier in network code: a name
    # (a parameter, a local, self.address) that the same function (for self's, the same class)
    # gives a socket, asyncio, socketserver/http.server, ssl, smtplib or Listener call as the
    # address to bind, connect, serve or listen on is a (host, port) or a host. Elsewhere, and
    # given to a logger's bind(address=...) or a geocoder, it stays a resident's.
    code = """
import asyncio, logging, smtplib, socket, socketserver, ssl
from http.server import HTTPServer
from multiprocessing.connection import Listener
import requests
log = logging.getLogger(__name__)
GEOCODER = "https://geo.kcmo.gov/v1/geocode"
class Server:
    def __init__(self, address):
        self.address = address
    def start(self):
        log.info("listening on %s", self.address)
        socket.socket().bind(self.address)
def connect(address, timeout=5):
    log.debug("connecting to %s", address)
    return socket.create_connection(address, timeout)
def probe(sock, addr):
    log.info("probing %s", addr)
    sock.connect((addr, 443))
def ping(sock, args):
    addr = args.addr
    log.info("pinging %s", addr)
    sock.sendto(b"ping", addr)
async def fetch(addr):
    log.info("fetching from %s", addr)
    return await asyncio.open_connection(*addr)
def serve(address, handler):
    print("serving on", address)
    socketserver.TCPServer(address, handler).serve_forever()
def serve_http(address, handler):
    print("serving on", address)
    HTTPServer(address, handler).serve_forever()
def mail(addr):
    log.info("mailing through %s", addr)
    smtplib.SMTP(addr).quit()
def wrap(addr, ctx: ssl.SSLContext, sock):
    log.info("wrapping for %s", addr)
    return ctx.wrap_socket(sock, server_hostname=addr)
def listen(addr):
    log.info("listening on %s", addr)
    return Listener(addr).accept()
def geocode(address):
    log.info("geocoding %s", address)  # expect: DH565
    return requests.get(GEOCODER, params={"q": address}, timeout=5).json()  # expect: DH561
def visit(ctx, address):
    ctx.bind(address=address)
    log.info("visiting %s", address)  # expect: DH565
def lookup(sock, address):
    log.info("looking up %s", address)  # expect: DH565
    sock.connect(("geo.kcmo.gov", 443))
class Case:
    def __init__(self, address):
        self.address = address
    def show(self):
        print(self.address)  # expect: DH565
"""
    assert_expected(code, select=("DH004", "DH5", "DH6"))


def test_edited_path_and_url_texts(scan):
    # probe20 min/07: the file written is the one str.replace names, not the one read; an
    # edited URL's scheme is the edited one; with an argument unknown, the text as it was.
    code = """
import sys
import pandas as pd
import requests
API = "http://reads.kcmo.gov/v1".replace("http://", "https://")
def transform(path, suffix):
    df = pd.read_parquet(path, columns=["plate", "camera_id"])
    df.to_parquet(path.replace(".parquet", "_vendor.parquet"), index=False)
    df.to_parquet(path.removesuffix(".parquet") + ".out", index=False)
    df.to_parquet(path.replace(".parquet", suffix), index=False)
    requests.post(API, json=df.to_dict("records"))
transform("/tmp/anpr_2024.parquet", sys.argv[1])
"""
    found = scan({"etl.py": code}, select=["DH560", "DH260", "DH261"]).active
    assert [(f.rule_id, f.location.start_line) for f in found] == [
        ("DH560", 8),
        ("DH560", 9),
        ("DH560", 10),
    ]
    assert [f.message.split("written to ")[1].split(" by ")[0] for f in found] == [
        "file '/tmp/anpr_2024_vendor.parquet'",
        "file '/tmp/anpr_2024.out'",
        "file '/tmp/anpr_2024.parquet'",
    ]


def test_dh561_names_a_host_learnt_in_a_later_run(scan):
    # send() runs before configure() sets Cfg.URL: its second run knows the host.
    code = """
import requests
class Cfg:
    URL = None
def send(row):
    requests.post(Cfg.URL, json={"email": row["email"]})
def configure():
    Cfg.URL = "https://ingest.marketing-vendor.example/v1/leads"
"""
    (finding,) = scan({"etl.py": code}, select=["DH561"]).active
    assert "sent to the network (ingest.marketing-vendor.example) by requests.post" in (
        finding.message
    )


def test_dh561_names_every_host_a_call_may_reach(scan):
    # self.URL is the base's or the subclass's: the data may go to either.
    code = """
import requests
class Base:
    URL = "https://api.city-approved-vendor.example/v1"
    def send(self, row):
        requests.post(self.URL, json={"email": row["email"]})
class Sub(Base):
    URL = "https://tracker.example/x"
"""
    (finding,) = scan({"etl.py": code}, select=["DH561"]).active
    assert (
        "sent to the network (api.city-approved-vendor.example, tracker.example) by requests.post"
        in finding.message
    )


def test_dh561_names_the_kafka_brokers_a_producer_sends_to(scan):
    # probe30 min/12: the brokers the producer was made with are where its messages go (and the
    # inventory's destination: a cluster-internal broker is no vendor).
    code = """
import json
from confluent_kafka import Producer
from kafka import KafkaProducer
producer = Producer({"bootstrap.servers": "kafka-0.cad.svc:9093,kafka-1.cad.svc:9093"})
legacy = KafkaProducer()
def to_enrichment(call):
    producer.produce("cad.calls", value=json.dumps({"caller_phone": call["caller_phone"]}))
    legacy.send("cad.calls", value=json.dumps({"caller_phone": call["caller_phone"]}))
"""
    result = scan({"etl.py": code}, select=["DH561"])
    messages = {f.location.start_line: f.message for f in result.active}
    assert "to the network (kafka-0.cad.svc, kafka-1.cad.svc) by kafka.produce" in messages[8]
    assert "to the network by kafka.send" in messages[9]  # no broker written: none named


def test_sink_messages_name_the_environment_variables_a_destination_is_built_with(scan):
    # The default's host is where the data goes only when the variable is unset: a manifest
    # may point it elsewhere (DH690 names that host), so the message names the variable too.
    code = """
import os
import boto3
import httpx
import pandas as pd
BASE = os.getenv("PUSH_ENDPOINT", "https://notify.kcmo.gov")
def send(rows):
    for row in rows:
        httpx.post(f"{BASE}/v1/messages", json={"to": row["email"]})
def upload(row):
    boto3.client("s3").put_object(Bucket=os.environ["EXPORT_BUCKET"], Key="k", Body=row["phone"])
def dump():
    df = pd.read_csv("x.csv", usecols=["plate"])
    df.to_csv(os.environ["OUT_DIR"] + "/plates.csv")
"""
    found = scan({"etl.py": code}, select=["DH560", "DH561"]).active
    sinks = {f.location.start_line: f.message.split(" to ", 1)[1].split(" by ")[0] for f in found}
    assert sinks == {
        9: "the network (URL from $PUSH_ENDPOINT, default host notify.kcmo.gov)",
        11: "object storage (location built with $EXPORT_BUCKET)",
        14: "file '{...}/plates.csv' (path built with $OUT_DIR)",
    }


DH660_CASES = {
    "literal": """
import requests
requests.post("https://api.tracker.example/v1", json={})  # expect: DH660
""",
    "from_import_alias": """
from requests import post as send
send("https://api.tracker.example/v1", data=b"x")  # expect: DH660
""",
    "constant_and_fstring": """
import httpx
BASE = "https://api.tracker.example"
def push(x):
    httpx.put(f"{BASE}/v1/{x}")  # expect: DH660
""",
    "concatenation_and_format": """
import requests
BASE = "https://api.tracker.example"
requests.get(BASE + "/a")  # expect: DH660
requests.get("{}/b".format(BASE))  # expect: DH660
""",
    "percent_and_format_with_a_host_a_subclass_overrides": """
import requests
class Base:
    HOST = "api.city-approved-vendor.example"
    def send(self, row):
        requests.post("https://%s/v1" % self.HOST, json=row)  # expect: DH660
        requests.post("https://{}/v2".format(self.HOST), json=row)  # expect: DH660
        requests.post("https://{h}/v3".format(h=self.HOST), json=row)  # expect: DH660
        requests.post("https://%s/v4" % Base.HOST, json=row)
class Sub(Base):
    HOST = "tracker.example"
""",
    "env_default": """
import os, requests
URL = os.environ.get("VENDOR_URL", "https://api.tracker.example/in")
requests.post(URL)  # expect: DH660
URL2 = os.getenv("OTHER_URL")
requests.post(URL2)
""",
    "env_or_default_urljoin_format_and_class_constant": """
import os
from urllib.parse import urljoin
import requests
BASE = os.environ.get("VENDOR") or "https://api.tracker.example"
requests.post(urljoin(BASE, "/v1/x"))  # expect: DH660
HOST = "tracker3.example"
requests.get("https://%s/x" % HOST)  # expect: DH660
requests.get("https://{host}/x".format(host=HOST))  # expect: DH660
class Client:
    URL = "https://api4.tracker.example"
    def fetch(self):
        return requests.get(self.URL)  # expect: DH660
URL = "https://api5.tracker.example"
requests.get(URL)  # expect: DH660
""",
    "kafka_brokers": """
from confluent_kafka import Producer
from kafka import KafkaProducer
SERVERS = ["kafka.kcmo.gov:9093", "broker.streams.example:9093"]
a = KafkaProducer(bootstrap_servers=SERVERS)  # expect: DH660
b = Producer({"bootstrap.servers": "pkc-1.streams.example:9092"})  # expect: DH660
c = KafkaProducer(bootstrap_servers="kafka1.kcmo.gov:9093,kafka2.kcmo.gov:9093")
""",
    "approved_exact_and_wildcard": """
import requests
requests.post("https://api.city-approved-vendor.example/x")
requests.get("https://data.kcmo.gov/resource/x.json")
requests.get("http://localhost:8080/health")
""",
    "unknown_host": """
import requests
def f(host):
    requests.get(f"https://{host}/x")
""",
    "urllib": """
import urllib.request
from urllib.request import Request, urlopen
urllib.request.urlopen("https://api.tracker.example/a")  # expect: DH660
req = Request("https://api.tracker.example/b", data=b"{}")
urlopen(req)  # expect: DH660
""",
    "session_with_base_url": """
import httpx, requests
s = requests.Session()
s.post("https://api.tracker.example/x")  # expect: DH660
c = httpx.Client(base_url="https://api.tracker.example")
c.get("/x")  # expect: DH660
""",
    # probe21py G2: what the module sets in a Flask app's config (an app factory, update,
    # from_mapping) is read back through the app or current_app as a dict's item is.
    "flask_app_config": """
import os
import flask
import requests
from flask import current_app
def create_app():
    app = flask.Flask(__name__)
    app.config["CRM_URL"] = "https://leads.crm-partner.example/v1"
    app.config["APPROVED_URL"] = "https://api.city-approved-vendor.example/v1"
    app.config["ENV_URL"] = os.environ["ENV_URL"]
    app.config.update(MAILER_URL="https://mail.bulk-mailer.example/send", TIMEOUT=10)
    app.config.from_mapping({"SURVEY_HOST": "survey.poll-vendor.example"})
    app.config.setdefault("TRACKER_URL", "https://api.tracker.example/in")
    return app
app = create_app()
@app.post("/permit")
def permit():
    body = flask.request.get_json()
    requests.post(app.config["CRM_URL"], json={"ward": body["ward"]})  # expect: DH660
    requests.post(app.config["APPROVED_URL"], json={"ward": body["ward"]})
    requests.post(app.config["ENV_URL"], json={"ward": body["ward"]})
    return {}
def notify(ward):
    requests.post(current_app.config["MAILER_URL"], json={"ward": ward})  # expect: DH660
    host = flask.current_app.config.get("SURVEY_HOST")
    requests.post(f"https://{host}/r", json={"ward": ward})  # expect: DH660
    requests.post(current_app.config["UNSET_URL"], json={"ward": ward})
    requests.post(current_app.config["TRACKER_URL"], json={"ward": ward})  # expect: DH660
""",
    # app.config.from_object(Config) with a class of the module (or an instance of one): its
    # upper-case attributes, its bases' too, as Flask reads them; an import path, a file
    # (from_pyfile, from_envvar) stays unknown.
    "flask_config_from_object": """
import requests
from flask import Flask, current_app
class BaseConfig:
    CRM_URL = "https://leads.crm-partner.example/v1"
    APPROVED_URL = "https://api.city-approved-vendor.example/v1"
    tracker_url = "https://api.tracker.example/in"
class ProdConfig(BaseConfig):
    APPROVED_URL = "https://mail.bulk-mailer.example/send"
    SURVEY_URL = "https://survey.poll-vendor.example/r"
class Other:
    OTHER_URL = "https://api.tracker.example/other"
def create_app():
    app = Flask(__name__)
    app.config.from_object(ProdConfig)
    app.config.from_object("settings.Other")
    app.config.from_pyfile("instance.cfg")
    return app
app = create_app()
def notify(ward):
    requests.post(app.config["CRM_URL"], json={"ward": ward})  # expect: DH660
    requests.post(current_app.config["APPROVED_URL"], json={"ward": ward})  # expect: DH660
    requests.post(current_app.config.get("SURVEY_URL"), json={"ward": ward})  # expect: DH660
    requests.post(current_app.config["tracker_url"], json={"ward": ward})
    requests.post(current_app.config["TRACKER_URL"], json={"ward": ward})
    requests.post(app.config["OTHER_URL"], json={"ward": ward})
admin = Flask("admin")
admin.config.from_object(Other())
requests.post(admin.config["OTHER_URL"], json={"ok": 1})  # expect: DH660
requests.post(admin.config["CRM_URL"], json={"ok": 1})
""",
    # probe27 #1: at the module's top level a later setting replaces from_object's (and
    # update's), for the app and for current_app; in a function, either may be read.
    "flask_config_set_after_from_object": """
import os
import requests
from flask import Flask, current_app
class Config:
    CRM_URL = "https://leads.crm-partner.example/v1"
    MAILER_URL = "https://mail.bulk-mailer.example/send"
    SURVEY_URL = "https://survey.poll-vendor.example/r"
app = Flask(__name__)
app.config.from_object(Config)
app.config["CRM_URL"] = "https://api.city-approved-vendor.example/v1"
app.config.update(SURVEY_URL=os.environ["SURVEY_URL"], TRACKER_URL="https://t.tracker.example/")
app.config.update(TRACKER_URL="https://api.city-approved-vendor.example/t")
if os.environ.get("STAGING"):
    app.config["MAILER_URL"] = "https://api.city-approved-vendor.example/mail"
def configure():
    app.config["SURVEY_URL"] = "https://survey.other-poll.example/r"
def notify(ward):
    requests.post(app.config["CRM_URL"], json={"ward": ward})
    requests.post(current_app.config["CRM_URL"], json={"ward": ward})
    requests.post(app.config["MAILER_URL"], json={"ward": ward})  # expect: DH660
    requests.post(app.config["SURVEY_URL"], json={"ward": ward})  # expect: DH660
    requests.post(current_app.config["TRACKER_URL"], json={"ward": ward})
""",
    # Two apps of one module each have their own config; current_app may be either
    # (probe23 min/03: the public app's approved URL was read as the admin app's tracker).
    "two_flask_apps": """
import requests
from flask import Flask, current_app
public = Flask("public")
public.config["SINK_URL"] = "https://data.kcmo.gov/ingest"
admin = Flask("admin")
admin.config["SINK_URL"] = "https://collect.ad-tracker.example/ingest"
def report():
    requests.post(public.config["SINK_URL"], json={"ok": 1})
    requests.post(admin.config["SINK_URL"], json={"ok": 1})  # expect: DH660
    requests.post(current_app.config["SINK_URL"], json={"ok": 1})  # expect: DH660
""",
    "dict_item_and_get": """
import requests
CONFIG = {"url": "https://api.tracker.example/v1", "ok": "https://data.kcmo.gov/x"}
requests.post(CONFIG["url"])  # expect: DH660
requests.post(CONFIG.get("url"))  # expect: DH660
requests.post(CONFIG.get("ok"))
requests.post(CONFIG.get("missing", "https://data.kcmo.gov/y"))
""",
    # probe35 min/06: a dict literal of operators' endpoints looped over (.items(), .values())
    # or read by a key not known (a parameter, .get) may give any of its URLs; a nested
    # operator's settings too. A dict of data (a row) is not a dict of settings.
    "dict_of_endpoints_looped_or_read_by_a_parameter": """
import requests
URLS = {"veo": "https://mds.veoride.example/kc/trips", "bird": "https://mds.bird.example/kc"}
CITY = {"portal": "https://data.kcmo.gov/a", "gis": "https://gis.kcmo.gov/b"}
NESTED = {"veo": {"url": "https://mds.veoride.example/x", "days": 7}}
def items():
    for operator, url in URLS.items():
        requests.get(url, timeout=60)  # expect: DH660
def values():
    for url in URLS.values():
        requests.get(url, timeout=60)  # expect: DH660
    for url in CITY.values():
        requests.get(url, timeout=60)
def keyed(op):
    requests.get(URLS[op], timeout=60)  # expect: DH660
    requests.get(URLS.get(op), timeout=60)  # expect: DH660
    requests.get(CITY[op], timeout=60)
    requests.get(CITY.get(op, "https://data.kcmo.gov/c"), timeout=60)
def nested():
    for name, cfg in NESTED.items():
        requests.get(cfg["url"], timeout=60)  # expect: DH660
def rows(records):
    for r in records:
        for key, value in {"url": r["url"]}.items():
            requests.get(value, timeout=60)
""",
    "storage_endpoints": """
import boto3
from google.cloud import storage
from azure.storage.blob import BlobServiceClient
s3 = boto3.client("s3", endpoint_url="https://s3.cheap-cloud.example")  # expect: DH660
gcs = storage.Client(client_options={"api_endpoint": "https://gcs.mirror.example"})  # expect: DH660
az = BlobServiceClient(account_url="https://kcdata.blob.core.windows.net")  # expect: DH660
ok = boto3.client("s3")
""",
    # A storage connection string names its account (the SDK builds the endpoint from it); an
    # Event Hubs or Service Bus client its namespace, written or in its connection string.
    "azure_connection_strings_and_namespaces": """
import os
from azure.eventhub import EventHubProducerClient
from azure.servicebus import ServiceBusClient
from azure.storage.blob import BlobServiceClient
from azure.storage.queue import QueueServiceClient
CONN = (
    "DefaultEndpointsProtocol=https;AccountName=acmeparking;AccountKey=a2V5==;"
    "EndpointSuffix=core.windows.net"
)
blob = BlobServiceClient.from_connection_string(CONN)  # expect: DH660
queue = QueueServiceClient.from_connection_string("AccountName=acmeq;AccountKey=k")  # expect: DH660
ok = BlobServiceClient.from_connection_string("UseDevelopmentStorage=true")
env = BlobServiceClient.from_connection_string(os.environ["STORAGE_CONN"])
hub = EventHubProducerClient("acme-events.servicebus.windows.net", "reads", None)  # expect: DH660
NS = "acme-bus.servicebus.windows.net"
bus = ServiceBusClient(fully_qualified_namespace=NS, credential=None)  # expect: DH660
sent = EventHubProducerClient.from_connection_string(  # expect: DH660
    "Endpoint=sb://acme-events.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v",
    eventhub_name="reads",
)
""",
}


@pytest.mark.parametrize("code", DH660_CASES.values(), ids=DH660_CASES.keys())
def test_dh660(code, assert_expected):
    assert_expected(code, select=["DH660"])


def test_dh660_env_default_points_at_the_default(scan):
    code = DH660_CASES["env_default"]
    (finding,) = scan({"etl.py": code}, select=["DH660"]).active
    assert "environment-variable default" in finding.message
    assert [r.location.start_line for r in finding.related] == [3]


def test_dh660_message_says_where_the_url_came_from(scan):
    code = DH660_CASES["env_or_default_urljoin_format_and_class_constant"]
    messages = {f.location.start_line: f.message for f in scan({"etl.py": code}).active}
    assert messages[6].endswith(
        "(from an environment-variable default: https://api.tracker.example/v1/x)"
    )
    assert messages[8].endswith("(from a built URL: https://tracker3.example/x)")
    assert messages[13].endswith("(from a class constant: https://api4.tracker.example)")
    assert messages[15].endswith("(from a module constant: https://api5.tracker.example)")


def test_dh660_a_host_put_into_a_template_from_an_environment_default_says_so(scan):
    # probe21py N1: the host of TEMPLATE.replace("{host}", os.environ.get(...)) is the
    # variable's default; a replacement that changes nothing leaves the constant's URL.
    code = """
import os
import requests
TEMPLATE = "https://{host}/v1/reads"
OTHER = "https://api.tracker.example/v1/reads"
PATHED = "https://api.tracker.example/{ver}/submit"
def push(batch):
    url = TEMPLATE.replace("{host}", os.environ.get("VENDOR_HOST", "ingest.alpr.example"))
    requests.post(url, json=batch)
    same = OTHER.replace("{host}", os.environ.get("VENDOR_HOST", "ingest.alpr.example"))
    requests.post(same, json=batch)
    versioned = PATHED.replace("{ver}", os.environ.get("API_VERSION", "v2"))
    requests.post(versioned, json=batch)
"""
    findings = {f.location.start_line: f for f in scan({"etl.py": code}, select=["DH660"]).active}
    assert sorted(findings) == [9, 11, 13]
    # the default fills the path only: the host is the constant's (probe23 min/06)
    assert findings.pop(13).message.endswith(
        "(from a module constant: https://api.tracker.example/v2/submit)"
    )
    findings = {line - 1: f for line, f in findings.items()}
    assert findings[8].message.endswith(
        "(from an environment-variable default: https://ingest.alpr.example/v1/reads)"
    )
    assert [r.location.start_line for r in findings[8].related] == [4, 8]
    assert findings[10].message.endswith(
        "(from a module constant: https://api.tracker.example/v1/reads)"
    )


def test_a_dict_literals_item_read_with_get_keeps_its_key_as_column(scan):
    # probe23 min/04: .get of a dict literal gave the value it holds (a URL, for DH660), which
    # for a parameter's value lost the key's name: record.get("email") logged was not DH565.
    code = """
import logging
log = logging.getLogger(__name__)
def mail(addr):
    record = {"email": addr}
    log.info("to %s", record.get("email"))
"""
    (found,) = scan({"etl.py": code}, select=["DH565"]).active
    assert found.location.start_line == 6 and "'email'" in found.message


def test_a_csv_writer_names_the_variable_its_file_path_is_built_with(scan):
    # csv.writer/DictWriter over a file opened at a path built with $OUT: the rows go there,
    # as file.write's do (f2c0f44); a path without a variable names none.
    code = """
import csv
import os
def export(rows):
    w = csv.writer(open(os.environ["OUT"] + "/x.csv", "w"))
    for r in rows:
        w.writerow([r["email"], r["ward"]])
    with open(os.environ["OUT"] + "/z.csv", "w", newline="") as fh:
        d = csv.DictWriter(fh, fieldnames=["email"])
        d.writerow({"email": rows[0]["email"]})
    csv.writer(open("plain.csv", "w")).writerow([rows[0]["email"]])
"""
    found = scan({"etl.py": code}, select=["DH560"]).active
    sinks = {f.location.start_line: f.message.split(" to ", 1)[1].split(" by ")[0] for f in found}
    assert sinks == {
        7: "file '{...}/x.csv' (path built with $OUT)",
        10: "file '{...}/z.csv' (path built with $OUT)",
        11: "file 'plain.csv'",
    }


def test_dh660_a_settings_default_is_not_called_a_constant(scan):
    # pydantic-settings reads a BaseSettings field from the environment (or a .env file)
    # first: its default is what runs when nothing sets it, as os.environ.get's default.
    code = """
import httpx
from pydantic_settings import BaseSettings
class Settings(BaseSettings):
    vendor_url: str = "https://ingest.mobility.example/v1"
class CaseSettings(Settings):
    cases_url: str = "https://cases.mobility.example"
class Plain:
    URL = "https://ingest.other.example/v1"
settings = Settings()
def push(batch):
    httpx.post(settings.vendor_url, json=batch)
    httpx.post(f"{CaseSettings().cases_url}/x", json=batch)
    httpx.post(Plain.URL, json=batch)
"""
    messages = {f.location.start_line: f.message for f in scan({"etl.py": code}).active}
    assert sorted(messages) == [12, 13, 14]
    default = "a settings default, used when the environment does not set it"
    assert messages[12].endswith(f"(from {default}: https://ingest.mobility.example/v1)")
    assert messages[13].endswith(f"(from {default}: https://cases.mobility.example/x)")
    assert messages[14].endswith("(from a class constant: https://ingest.other.example/v1)")


@pytest.mark.parametrize("host", NOT_VENDOR_HOSTS)
def test_dh660_cluster_internal_and_loopback_hosts_are_not_vendors(host, scan):
    # probe22 #6: the hosts DH640 and DH690 do not call vendors (an in-cluster Kafka, a
    # Service name, a private address); a look-alike public name stays reported.
    name = host.split(":", 1)[0]
    code = f"""
import os
import smtplib
import requests
from confluent_kafka import Producer
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP", "{host}")
def send(token):
    Producer({{"bootstrap.servers": BOOTSTRAP}}).produce("t", value=token)
    requests.post("https://{host}/in", json={{"t": token}})
    smtplib.SMTP("{name}")
    Producer({{"bootstrap.servers": "kafka.civiclink.example:9093"}})
"""
    found = scan({"etl.py": code}, select=["DH660"]).active
    assert [f.location.start_line for f in found] == [11]


def test_dh660_shows_the_host_the_code_wrote_not_a_made_up_url(scan):
    # A Kafka broker or a mail/SFTP host is a host, not a URL: the message shows it as written
    # (it showed "kafka://..." and "smtp://...").
    code = """
import os
import smtplib
import paramiko
from confluent_kafka import Producer
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP", "kafka.civiclink.example:9093")
def send(token):
    Producer({"bootstrap.servers": BOOTSTRAP}).produce("t", value=token)
    smtplib.SMTP("smtp.mailer.example", 587)
    paramiko.Transport(("sftp.partner.example", 22))
"""
    messages = {f.location.start_line: f.message for f in scan({"etl.py": code}).active}
    assert sorted(messages) == [8, 9, 10]
    assert messages[8].endswith(
        "(from an environment-variable default: kafka.civiclink.example:9093)"
    )
    assert messages[9].endswith("(from a literal host name: smtp.mailer.example)")
    assert messages[10].endswith("(from a literal host name: sftp.partner.example)")


def test_dh660_names_every_unapproved_host_a_call_may_reach(scan):
    code = """
import requests
class Base:
    URL = "https://one.tracker.example/v1"
    def send(self, row):
        requests.post(self.URL, json={"ward": row["ward"]})
class Sub(Base):
    URL = "https://two.adnet.example/x"
class Approved(Base):
    URL = "https://api.city-approved-vendor.example/v1"
"""
    (finding,) = scan({"etl.py": code}, select=["DH660"]).active
    assert finding.message == (
        "requests.post reaches 'one.tracker.example' and 'two.adnet.example', which are not "
        "on the approved vendor list (from a class constant: https://one.tracker.example/v1; "
        "a class constant: https://two.adnet.example/x)"
    )
    assert sorted(r.location.start_line for r in finding.related) == [4, 8]


def test_dh660_a_dict_of_endpoints_names_each_host_a_loop_or_a_lookup_reaches(scan):
    # probe35 min/06: one finding per call, as for a URL a subclass overrides, naming each
    # unapproved host of the dict, related to where each URL is written.
    code = """
import requests
URLS = {
    "veo": "https://mds.veoride.example/kc/trips",
    "lime": "https://mds.lime.example/kc/trips",
    "city": "https://mds.kcmo.gov/trips",
}
def poll(op):
    for name, url in URLS.items():
        requests.get(url, timeout=60)
    requests.get(URLS[op], timeout=60)
"""
    findings = scan({"etl.py": code}, select=["DH660"]).active
    assert [f.location.start_line for f in findings] == [10, 11]
    for finding in findings:
        assert finding.message.startswith(
            "requests.get reaches 'mds.veoride.example' and 'mds.lime.example', which are not "
            "on the approved vendor list (from a literal URL: https://mds.veoride.example/kc/"
        )
        assert sorted(r.location.start_line for r in finding.related) == [4, 5]


def test_dh660_policy_approves_a_city_vendor(scan):
    code = DH660_CASES["literal"]
    policy = {"approved_vendors": ["*.tracker.example"]}
    assert scan({"etl.py": code}, policy=policy, select=["DH660"]).active == []


def test_socket_addresses_are_read_per_def_through_every_kind_of_block():
    """The scan behind the test above: each function's names found under its own def, in
    every kind of block; self's attributes under the class (qualified as the analysis names
    it)."""
    import ast

    from dhlint.models import python_dataflow as flow

    text = """\
import asyncio, socket
class Server:
    def __init__(self, address):
        self.address = address
    @property
    def up(self):
        if self.address:
            sock = socket.socket()
            sock.bind(self.address)
        elif True:
            def inner(addr):
                return socket.create_connection((addr, 80))
        else:
            pass
async def serve(address):
    try:
        await asyncio.start_server(None, *address)
    except OSError:
        def retry(addr): socket.socket().connect(addr)
    finally:
        class Late:
            def go(self): return socket.getaddrinfo(self.addr, 80)
for x in []:
    def looped(address): return socket.socket().sendto(b"", address)
"""
    tree = ast.parse(text)
    fast = flow._socket_addresses(tree, text)
    assert fast.attrs == {"Server": {"address"}, "serve.Late": {"addr"}}
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
    defs = {d.name: id(d) for d in ast.walk(tree) if isinstance(d, kinds)}
    assert fast.names == {
        defs["inner"]: {"addr"},
        defs["serve"]: {"address"},
        defs["retry"]: {"addr"},
        defs["looped"]: {"address"},
    }


def test_a_url_whose_host_has_an_empty_label_is_not_an_endpoint(assert_expected):
    # account or "" put into f"https://{account}.snowflakecomputing.com/...": the empty
    # fallback made the host '.snowflakecomputing.com', reported by DH660 (airflow's snowflake
    # hook, reached in one order of its entry points). No client sends there (urllib3: label
    # empty); the URL's other texts are its endpoints (the account unknown: no host).
    code = """
import requests
def token(cfg, extra):
    account = cfg.get("account") or extra.get("account") or ""
    return requests.post(f"https://{account}.snowflakecomputing.com/oauth/token-request")
def regional(region=""):
    return requests.get(f"https://s3.{region}.vendor-storage.example/x")
def fixed():
    return requests.get("https://s3.eu.vendor-storage.example/x")  # expect: DH660
"""
    assert_expected(code, select=["DH660"])
