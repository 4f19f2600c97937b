"""Weak pseudonymisation, precise location, quasi-identifiers, logs and transport: each case
marks its expected findings with ``# expect:`` (and nothing else may fire)."""

from __future__ import annotations

import pytest

CASES = {
    "weak_hash_variants": """
import hashlib
def ids(row, phone):
    a = hashlib.md5(row["email"].encode()).hexdigest()  # expect: DH562
    b = hashlib.new("sha1", phone.encode()).hexdigest()  # expect: DH562
    c = hash(row["license_plate"])  # expect: DH562
    d = hashlib.sha256(row["report_body"].encode()).hexdigest()
    return a, b, c, d
""",
    # probe33 min/06: a salt prepended to a parameter named like an identifier is no key, as
    # for a column or a salt written in the source, whatever the salt's origin (the
    # environment, a parameter); a sum of two unknown values named like no identifier is
    # nothing.
    "salted_parameter_hash": """
import hashlib, logging, os
log = logging.getLogger()
SALT = os.environ["WIFI_SALT"].encode()
def env_salt(mac_address: str) -> str:
    return hashlib.sha256(SALT + mac_address.encode()).hexdigest()  # expect: DH562
def param_salt(mac_address: str, salt: bytes) -> str:
    return hashlib.sha256(salt + mac_address.encode()).hexdigest()  # expect: DH562
def column(row):
    return hashlib.sha256(SALT + row["mac_address"].encode()).hexdigest()  # expect: DH562
def other(ward: str, salt: bytes) -> str:
    log.info("total %s", salt + ward)
    return hashlib.sha256(salt + ward.encode()).hexdigest()
""",
    "keyed_and_policy_functions": """
import hashlib, hmac, os
from city.privacy import pseudonymize
KEY = os.environ["K"].encode()
def ids(row):
    a = hmac.new(KEY, row["email"].encode(), hashlib.sha256).hexdigest()
    b = pseudonymize(row["phone"])
    return a, b
""",
    # blake2 with key= is hashlib's keyed mode (its documented HMAC), an empty key is not
    # (probe17 min/06: reported as "unkeyed blake2b").
    "keyed_blake2": """
import hashlib, os
KEY = os.environ["K"].encode()
def ids(row):
    a = hashlib.blake2b(row["plate"].encode(), key=KEY, digest_size=16).hexdigest()
    h = hashlib.blake2s(key=KEY)
    h.update(row["email"].encode())
    b = hashlib.blake2b(row["phone"].encode()).hexdigest()  # expect: DH562
    c = hashlib.blake2b(row["ssn"].encode(), key=b"").hexdigest()  # expect: DH562
    return a, h.hexdigest(), b, c
""",
    # blake2 and hmac judge a key alike: one from the environment with an empty default is
    # the key deployment sets; one written empty is none (probe29 min/06).
    "env_key_with_empty_default_blake2_and_hmac": """
import hashlib, hmac, os
_KEY = os.environ.get("PLATE_HMAC_KEY", "").encode()
EMPTY = b""
def k_blake(device_mac: str) -> str:
    return hashlib.blake2b(device_mac.encode(), key=_KEY).hexdigest()
def k_hmac(device_mac: str) -> str:
    return hmac.new(_KEY, device_mac.encode(), hashlib.sha256).hexdigest()
def k_blake_empty(device_mac: str) -> str:
    return hashlib.blake2b(device_mac.encode(), key=b"").hexdigest()  # expect: DH562
def k_hmac_empty(device_mac: str) -> str:
    return hmac.new(b"", device_mac.encode(), hashlib.sha256).hexdigest()  # expect: DH562
def k_hmac_empty_constant(device_mac: str) -> bytes:
    return hmac.digest(EMPTY, device_mac.encode(), "sha256")  # expect: DH562
""",
    "weak_hash_reaches_export_without_dh560": """
import hashlib
import pandas as pd
df = pd.read_csv("x.csv", usecols=["ssn", "benefit"])
df["ssn"] = df["ssn"].map(lambda v: hashlib.sha256(v.encode()).hexdigest())  # expect: DH562
df.to_csv("out.csv")
""",
    "location_rounding": """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["trip_id", "latitude", "longitude"])
df.round(4).to_csv("a.csv")  # expect: DH563
df.round(2).to_csv("b.csv")
df.assign(latitude=df["latitude"].round(3), longitude=df["longitude"].round(3)).to_csv("c.csv")
df.assign(latitude=round(df["latitude"], 6)).to_csv("d.csv")  # expect: DH563
df[["trip_id"]].to_csv("e.csv")
""",
    # The builtin round() on a number no column reaches (a parameter, a local, float(x)) is the
    # same rounding as on a field: a key named like a coordinate is judged by its digits
    # (probe26 min/02: round(lat, 3) on a photo's EXIF point gave DH563, DH390 and DH890).
    "builtin_round_on_scalars": """
import logging
import requests
URL = "https://heatmap.kcmo.gov/points"
log = logging.getLogger(__name__)
def scalar(lat, lon):
    requests.post(URL, json={"lat": round(lat, 3), "lon": round(lon, 3)}, timeout=5)
def local(path):
    lat, lon = gps(path)
    requests.post(URL, json={"lat": round(float(lat), 3), "lon": round(lon)}, timeout=5)
def precise(lat, lon):
    requests.post(URL, json={"lat": round(lat, 5), "lon": round(lon)}, timeout=5)  # expect: DH563
    requests.post(URL, json={"lat": round(float(lat), 4)}, timeout=5)  # expect: DH563
    requests.post(URL, json={"lat": lat, "lon": lon}, timeout=5)  # expect: DH563
    log.info("at %s", round(lat, 2))  # expect: DH565
""",
    # A bare "location" key may hold coordinates or a place's text: data traced to named
    # columns none of which is a location is judged by those names (probe26 min/06: a site's
    # street address reported as coordinates "with more than 3 decimals").
    "location_key_holding_other_data": """
import psycopg2
import requests
URL = "https://crm.kcmo.gov/cases"
def push():
    cur = psycopg2.connect("dbname=enf sslmode=verify-full").cursor()
    cur.execute("SELECT case_number, site_address, location, lat, lon, home_address FROM cases")
    for case_number, site_address, location, lat, lon, home_address in cur.fetchall():
        requests.post(URL, json={"id": case_number, "location": site_address}, timeout=10)
        requests.post(URL, json={"location": location}, timeout=10)  # expect: DH563
        requests.post(URL, json={"location": f"{lat},{lon}"}, timeout=10)  # expect: DH563
        requests.post(URL, json={"location": home_address}, timeout=10)  # expect: DH561
""",
    # A stop's or an access point's coordinates are not personal alone (a stops table), but in
    # rows keyed to a card or a phone, even a pseudonymised key, they are where it was
    # (probe22 min/05: a smartcard and Wi-Fi presence vendor's exports).
    "fixed_places_in_keyed_rows": """
import pandas as pd
def export(conn):
    taps = pd.read_sql("SELECT card_token, tap_ts, stop_lat, stop_lon FROM taps", conn)
    taps.to_csv("exports/taps.csv", index=False)  # expect: DH563
    seen = pd.read_sql("SELECT hashed_mac, seen_at, ap_lat, ap_lon FROM presence", conn)
    seen.to_parquet("exports/presence.parquet")  # expect: DH560, DH563
    seen.round(3).to_parquet("exports/presence_coarse.parquet")  # expect: DH560
    stops = pd.read_sql("SELECT stop_id, stop_name, stop_lat, stop_lon FROM stops", conn)
    stops.to_csv("open_data/stops.csv", index=False)
    sensors = pd.read_sql("SELECT sensor_id, reading_ts, pm25, sensor_lat FROM air", conn)
    sensors.to_csv("open_data/air.csv", index=False)
    # a sensor's or a city bus's own id is no one's key (probe23 min/01)
    air = pd.read_sql("SELECT device_id, sensor_lat, sensor_lon, pm25 FROM air", conn)
    air.to_csv("open_data/air2.csv", index=False)  # expect: DH560
    buses = pd.read_sql("SELECT vehicle_id, stop_lat, stop_lon, arrived_at FROM avl", conn)
    buses.to_csv("open_data/arrivals.csv", index=False)  # expect: DH560
""",
    "spark_round": """
from pyspark.sql import SparkSession, functions as F
spark = SparkSession.builder.getOrCreate()
df = spark.read.parquet("s3a://raw/trips/")
df.select("trip_id", F.round("end_lat", 3).alias("end_lat")).write.parquet("s3a://x/ok/")
df.select("trip_id", "end_lat").write.parquet("s3a://x/bad/")  # expect: DH563
""",
    # A coordinate scaled by a known constant and floored, truncated or rounded to whole units
    # is on a grid as coarse as the scale (probe35 min/11: a 0.005-degree grid snap, Louisville's
    # truncation to 3 decimals); an unknown or too fine a scale is still precise.
    "location_snapped_to_a_grid": """
import math
import numpy as np
import pandas as pd
import requests
CELL = 0.005
FINE = 1 / 100_000
URL = "https://data.kcmo.gov/resource/x.json"
def floored(df: pd.DataFrame):
    ab = zip(df["start_lat"], df["start_lon"])
    rows = [{"lat": math.floor(a / CELL) * CELL, "lon": math.floor(b / CELL) * CELL} for a, b in ab]
    requests.post(URL, json=rows, timeout=30)
def truncated(df: pd.DataFrame):
    df["start_lat"] = df["start_lat"].apply(lambda v: math.trunc(v * 1000) / 1000)
    df["end_lat"] = np.floor(df["end_lat"] * 10**3) / 10**3
    df["end_lon"] = (df["end_lon"] * 1000).astype(int) / 1000
    df["start_lon"] = np.trunc((df["start_lon"] - 39.0) / 0.01) * 0.01 + 39.0
    out = df[["start_lat", "end_lat", "end_lon", "start_lon"]]
    requests.post(URL, json=out.to_dict(orient="records"), timeout=30)
def scalar(lat, lon):
    requests.post(URL, json={"lat": int(lat * 100) / 100, "lon": math.ceil(lon * 1e3) / 1e3})
    requests.post(URL, json={"lat": round(lat * 1000) / 1000}, timeout=5)
def precise(df: pd.DataFrame, lat, factor):
    requests.post(URL, json={"lat": math.floor(lat * factor) / factor}, timeout=5)  # expect: DH563
    requests.post(URL, json={"lat": math.floor(lat / FINE) * FINE}, timeout=5)  # expect: DH563
    requests.post(URL, json={"lat": round(lat * 1e5) / 1e5}, timeout=5)  # expect: DH563
    df["end_lat"] = (df["end_lat"] * 1e6).astype("int64") / 1e6
    df[["end_lat"]].to_csv("fine.csv")  # expect: DH563
""",
    "quasi_generalised": """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["zip", "birth_date", "sex", "race", "visits"])
df.to_csv("all.csv")  # expect: DH564
df["zip"] = df["zip"].str[:3]
df["age_band"] = pd.cut(df["age"], bins=[0, 18, 65, 120])
df[["zip", "birth_date", "sex", "visits"]].to_csv("two_raw.csv")
df[["birth_date", "sex", "race"]].to_csv("three_raw.csv")  # expect: DH564
""",
    "quasi_bucketed_by_floor_division": """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["age", "gender", "postal_code"])
df["age"] = (df["age"] // 10) * 10
df.to_csv("ok.csv")
""",
    "quasi_binned_by_floor": """
import math
import pandas as pd
df = pd.read_csv("x.csv", usecols=["age", "gender", "postal_code", "visits"])
df[["age", "gender", "postal_code"]].to_csv("raw.csv")  # expect: DH564
df["age"] = df["age"].apply(lambda a: math.floor(a / 5) * 5)
df[["age", "gender", "postal_code"]].to_csv("ok.csv")
""",
    "logs": """
import logging
logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)
def handle(rec, device_id, count):
    logger.info("got %d records", count)
    logging.info("device %s", device_id)  # expect: DH565
    logger.debug(f"record {rec['email']}")  # expect: DH565
    logger.info("zip %s", rec["zip"])
    print("done", count)
""",
    "cleartext_and_tls": """
import ftplib, ssl
import requests
BASE = "http://api.city-approved-vendor.example"
requests.get(BASE + "/health")  # expect: DH260
requests.get("http://127.0.0.1:9000/metrics")
s = requests.Session()
s.verify = False  # expect: DH261
s.get("https://data.kcmo.gov/x", verify=False)  # expect: DH261
ctx = ssl._create_unverified_context()  # expect: DH261
ftplib.FTP_TLS("ftp.kcmo.gov")
ftplib.FTP("localhost")
""",
    "tls_switch_in_unpacked_options": """
import requests
OPTIONS = {"timeout": 10, "verify": False}
SAFE = {"timeout": 10, "verify": True}
def fetch(url):
    a = requests.get(url, **{"verify": False})  # expect: DH261
    b = requests.get(url, timeout=5, **OPTIONS)  # expect: DH261
    c = requests.get(url, **SAFE)
    return a, b, c
""",
    "tls_switch_set_into_options": """
import requests
def fetch(url, insecure):
    opts = {"timeout": 5}
    opts["verify"] = False
    a = requests.get(url, **opts)  # expect: DH261
    extra = {"timeout": 5}
    extra.update({"verify": False})
    b = requests.get(url, **extra)  # expect: DH261
    chosen = {"verify": False} if insecure else {"timeout": 5}
    c = requests.get(url, **chosen)  # expect: DH261
    fine = {"timeout": 5}
    fine["verify"] = "/etc/ssl/certs/city-ca.pem"
    fine["timeout"] = 9
    d = requests.get(url, **fine)
    return a, b, c, d
""",
    "tls_context_checks_switched_off": """
import ssl
from ssl import CERT_NONE
from urllib.request import urlopen
import urllib3
def fetch(url):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False  # expect: DH261
    ctx.verify_mode = ssl.CERT_NONE  # expect: DH261
    other = ssl.create_default_context()
    other.verify_mode = CERT_NONE  # expect: DH261
    pool = urllib3.PoolManager(cert_reqs="CERT_NONE")  # expect: DH261
    strict = urllib3.PoolManager(cert_reqs="CERT_REQUIRED")
    safe = ssl.create_default_context()
    safe.check_hostname = True
    safe.verify_mode = ssl.CERT_REQUIRED
    return urlopen(url, context=ctx), pool, strict, safe, other
""",
    # s37 pyfn: CERT_NONE chosen in one branch of two (influxdb-client's and the Kubernetes
    # client's rest.py: ``if verify_ssl: ... else: cert_reqs = ssl.CERT_NONE``) reaches the
    # pool whichever branch is written first; two branches that both verify do not.
    "cert_none_chosen_in_a_branch": """
import ssl
import redis
import urllib3
def pool(configuration):
    if configuration.verify_ssl:
        cert_reqs = ssl.CERT_REQUIRED
    else:
        cert_reqs = ssl.CERT_NONE
    return urllib3.PoolManager(cert_reqs=cert_reqs, ca_certs=configuration.ca)  # expect: DH261
def cache(host, verify):
    if verify:
        mode = ssl.CERT_REQUIRED
    else:
        mode = ssl.CERT_NONE
    return redis.Redis(host=host, ssl=True, ssl_cert_reqs=mode)  # expect: DH261
def strict(configuration):
    if configuration.verify_ssl:
        cert_reqs = ssl.CERT_REQUIRED
    else:
        cert_reqs = ssl.CERT_OPTIONAL
    return urllib3.PoolManager(cert_reqs=cert_reqs)
""",
    # s38 pyfn2: verify=False chosen in one branch (written after True, or the branch not
    # first) reaches the call whichever branch is written first: a request, a client's
    # verify_certs, a session's verify set in __init__, Kafka's ssl_check_hostname; a switch
    # True in both branches is not reported.
    "verify_false_chosen_in_a_branch": """
import requests
from elasticsearch import Elasticsearch
from kafka import KafkaProducer
def fetch(url, insecure):
    verify = True
    if insecure:
        verify = False
    return requests.get(url, verify=verify)  # expect: DH261
def fetch_else(url, strict):
    if strict:
        verify = True
    else:
        verify = False
    return requests.get(url, verify=verify)  # expect: DH261
def search(hosts, strict):
    verify_certs = True if strict else False
    return Elasticsearch(hosts, verify_certs=verify_certs)  # expect: DH261
def produce(brokers, strict):
    check = True
    if not strict:
        check = False
    return KafkaProducer(  # expect: DH261
        bootstrap_servers=brokers, security_protocol="SSL", ssl_check_hostname=check
    )
class Api:
    def __init__(self, base, strict):
        self.base = base
        self.verify = True
        if not strict:
            self.verify = False  # expect: DH261
    def get(self, path):
        return requests.get(self.base + path, verify=self.verify)  # expect: DH261
def strict(url, pinned):
    verify = True
    if pinned:
        verify = True
    return requests.get(url, verify=verify)
""",
    "sslmode_in_dsn_and_kwarg": """
import psycopg2
DSN = "host=db.kcmo.gov dbname=x sslmode=disable"  # expect: DH260
def connect():
    a = psycopg2.connect(DSN)
    b = psycopg2.connect(host="db.kcmo.gov", sslmode="disable")  # expect: DH260
    c = psycopg2.connect(host="db.kcmo.gov", sslmode="verify-full")
    return a, b, c
""",
    # probe25 min/01: the literal part of an f-string switches TLS off whatever is interpolated
    # (an interpolated constant that does so alone is reported where it is written).
    "sslmode_in_fstring_dsn": """
import psycopg2
HOST, MODE = "db.kcmo.gov", "disable"
DSN = "host=db.kcmo.gov sslmode=disable"  # expect: DH260
def connect(host, user):
    a = psycopg2.connect(f"host={host} dbname=x sslmode=disable")  # expect: DH260
    b = psycopg2.connect(f"postgresql://{user}@{HOST}/db?sslmode=disable")  # expect: DH260
    c = psycopg2.connect(f"host={host} sslmode={MODE}")  # expect: DH260
    d = psycopg2.connect(f"{DSN} dbname=x")
    e = psycopg2.connect("host={} sslmode=disable".format(host))  # expect: DH260
    f = psycopg2.connect("host=%s sslmode=disable" % host)  # expect: DH260
    g = psycopg2.connect(f"host={host} dbname=x sslmode=require")
    return a, b, c, d, e, f, g
""",
    # probe25 min/15: ODBC's Encrypt=no (false, optional) leaves SQL Server's channel in clear;
    # TrustServerCertificate=yes encrypts it without verifying the server (DH261).
    "odbc_encrypt_and_trust_server_certificate": """
import pyodbc
from sqlalchemy import create_engine
MSSQL = (
    "Driver={ODBC Driver 18 for SQL Server};Server=tcp:kc-sql.database.windows.net,1433;"
    "Database=bodycam;Encrypt=no;TrustServerCertificate=yes"  # expect: DH260, DH261
)
def connect(host, user):
    a = pyodbc.connect(MSSQL)
    b = pyodbc.connect(f"Server={host};Encrypt=false")  # expect: DH260
    c = pyodbc.connect(f"Server={host};Encrypt=yes;TrustServerCertificate=no")
    d = pyodbc.connect(f"Server={host};Encrypt=strict")
    e = create_engine(f"mssql+pyodbc://{user}@{host}/db?Encrypt=optional")  # expect: DH260
    f = create_engine(f"mssql+pyodbc://{host}/?TrustServerCertificate=true")  # expect: DH261
    return a, b, c, d, e, f
""",
    # pyodbc writes each keyword of connect() into the connection string (key=str(value)), and
    # SQLAlchemy's connect_args are the driver's keywords: the same settings as in a string.
    "odbc_settings_as_keywords": """
import pyodbc
from sqlalchemy import create_engine
DSN = "Driver={ODBC Driver 18 for SQL Server};Server=tcp:kc-sql,1433;Database=cams"
def connect(user, pwd, url):
    a = pyodbc.connect(DSN, uid=user, pwd=pwd, encrypt="no")  # expect: DH260
    b = pyodbc.connect(DSN, TrustServerCertificate="yes", Encrypt="yes")  # expect: DH261
    c = pyodbc.connect(DSN, Encrypt=False, trustservercertificate=True)  # expect: DH260, DH261
    d = pyodbc.connect(DSN, **{"Encrypt": "optional"})  # expect: DH260
    e = create_engine(url, connect_args={"TrustServerCertificate": "yes"})  # expect: DH261
    f = create_engine(url, connect_args={"sslmode": "disable"})  # expect: DH260
    g = pyodbc.connect(DSN, Encrypt="strict", TrustServerCertificate="no", timeout=5)
    h = create_engine(url, connect_args={"Encrypt": "yes", "timeout": 30})
    return a, b, c, d, e, f, g, h
def save(pdf, archive):
    return pdf.save("x.pdf", encrypt=False), archive.write("x.zip", encrypt="no")
""",
    # probe27 #2: a docstring that names the settings connects to nothing (nor does one naming
    # sslmode=disable). A setting alone in a string is still one (probe28 #1: a list of the
    # settings joined with ";"), a deny-list's entry too: the analysis does not follow where.
    "tls_settings_named_in_prose": '''
"""Our connections must never set Encrypt=no, TrustServerCertificate=yes or sslmode=disable."""
import pyodbc
def joined(host):
    parts = ["Driver={ODBC Driver 18}", f"Server={host}", "Encrypt=no"]  # expect: DH260
    opts = [f"Server={host}"]
    opts.append("TrustServerCertificate=yes")  # expect: DH261
    return pyodbc.connect(";".join(parts)), pyodbc.connect(";".join(opts))
def check(dsn):
    """Refuse Encrypt=no."""
    for bad in ("sslmode=require", "Encrypt=yes"):
        if bad.lower() in dsn.lower():
            raise ValueError(bad)
    return pyodbc.connect(dsn)
''',
    # probe27 #9: a log message, a print, a warning or an exception's message written in the
    # call (or an f-string standing alone) connects to nothing; a constant or a variable that
    # is also logged may be a connection's, and stays reported where it is written.
    "tls_settings_in_messages": """
import logging
import warnings
import psycopg2
log = logging.getLogger(__name__)
DSN = "host=db.kcmo.gov dbname=x sslmode=require"
REFUSED = "host=db.kcmo.gov sslmode=disable"  # expect: DH260
def connect(host):
    f"connecting with sslmode=disable to {host}"
    log.info(f"connecting to {host} without sslmode=disable")
    log.error("refusing sslmode=disable for %s", host)
    logging.warning("Encrypt=no is not allowed")
    print("TrustServerCertificate=yes is refused")
    warnings.warn("sslmode=disable is deprecated here")
    try:
        raise RuntimeError(f"sslmode=disable refused for {host}")
    except RuntimeError as exc:
        log.exception(exc)
    log.warning("not using %s", REFUSED)
    msg = f"host={host} sslmode=disable"  # expect: DH260
    log.info("using %s", msg)
    return psycopg2.connect(msg), psycopg2.connect(DSN)
""",
    # The statement a message is written in, as libcst had it: small statements sharing a
    # line are one (dropped); a lambda's or a one-line def's body is the statement that defines
    # it, so a string it returns to a print elsewhere is reported, one it logs itself is not.
    "tls_settings_in_messages_statements": """
import logging
log = logging.getLogger(__name__)
def one(host):
    s = "host=%s sslmode=disable"; log.error(s, host)
def two(host):
    s = "host=%s sslmode=disable"  # expect: DH260
    log.error(s, host)
g = lambda: "dbname=x sslmode=disable"  # expect: DH260
def h(): return "dbname=y sslmode=disable"  # expect: DH260
k = lambda m: log.info("sslmode=disable " + m)
def three(host):
    print(g(), h())
    k(host)
    if host: t = "sslmode=disable"; print(t)
""",
}


@pytest.mark.parametrize("code", CASES.values(), ids=CASES.keys())
def test_protection_rules(code, assert_expected):
    assert_expected(code)


def test_location_decimals_from_policy(assert_expected):
    code = CASES["location_rounding"].replace("# expect: DH563", "")
    code = code.replace(
        'df.round(2).to_csv("b.csv")', 'df.round(2).to_csv("b.csv")  # expect: DH563'
    )
    code = code.replace(
        '.round(3), longitude=df["longitude"].round(3)).to_csv("c.csv")',
        '.round(3), longitude=df["longitude"].round(3)).to_csv("c.csv")  # expect: DH563',
    )
    code = code.replace(
        'round(df["latitude"], 6)).to_csv("d.csv")',
        'round(df["latitude"], 6)).to_csv("d.csv")  # expect: DH563',
    )
    code = code.replace(
        'df.round(4).to_csv("a.csv")', 'df.round(4).to_csv("a.csv")  # expect: DH563'
    )
    assert_expected(code, policy={"location_decimals": 1})


def test_quasi_identifier_limit_from_policy(assert_expected):
    code = """
import pandas as pd
df = pd.read_csv("x.csv", usecols=["zip", "sex", "visits"])
df.to_csv("a.csv")  # expect: DH564
"""
    assert_expected(code, policy={"quasi_identifier_limit": 2})


def test_protective_functions_from_policy(assert_expected):
    code = """
import pandas as pd
from vendor_sdk import scramble
df = pd.read_csv("x.csv", usecols=["email", "status"])
df["email"] = df["email"].map(scramble)
df.to_csv("a.csv")
"""
    assert_expected(code, policy={"protective_functions": ["scramble"]})
    assert_expected(code.replace('to_csv("a.csv")', 'to_csv("a.csv")  # expect: DH560'))


def test_a_secret_pepper_is_reported_as_a_prefix_not_as_unkeyed(scan):
    # probe35 min/13: a pepper read at run time stops a dictionary while it stays secret; the
    # finding says what is wrong (a secret prefix, not HMAC), a literal salt stays unkeyed.
    code = """
import hashlib, os
from pyspark.sql import functions as F
PEPPER = os.environ["DEVICE_PEPPER"]
SCOPED = dbutils.secrets.get(scope="kv", key="pepper")
VAULT = client.get_secret("plate-pepper").value.encode()
SALT = "kcmo-2024"
def tok(device_id: str, plate: str, email: str) -> tuple:
    a = hashlib.sha256((PEPPER + device_id).encode()).hexdigest()
    b = hashlib.sha256(VAULT + plate.encode()).hexdigest()
    c = hashlib.sha256((SALT + email).encode()).hexdigest()
    d = hashlib.sha256((os.getenv("P", "") + email).encode()).hexdigest()
    return a, b, c, d
def spark(trips):
    return trips.withColumn("t", F.sha2(F.concat(F.lit(SCOPED), F.col("device_id")), 256))
"""
    result = scan({"etl.py": code}, select=["DH562"])
    got = {f.location.start_line: f.message.split(" hashed with ", 1)[1] for f in result.active}
    prefix = (
        " over a secret prefix ({}) instead of HMAC, the keyed construction the policy requires"
    )
    assert got == {
        9: "sha256" + prefix.format("'PEPPER' from the environment"),
        10: "sha256" + prefix.format("'VAULT' from a secret store"),
        11: "unkeyed sha256: a dictionary of all possible values reverses it",
        12: "sha256" + prefix.format("the environment"),
        15: "sha2()" + prefix.format("'SCOPED' from a secret store"),
    }


def test_verify_false_counts_on_http_and_tls_clients_calls_only(assert_expected):
    # probe37 min/08: verify= of a root finder or of a partial binding a non-network function
    # is no TLS setting; a client's call (a request, a session or client made, a network
    # library's, one given a URL or a network keyword, a partial of a request) still is.
    code = """
import functools
import hvac, requests
def root(ctx, f, ab):
    return ctx.findroot(f, ab, solver="illinois", verify=False)
def dispatch(dispatcher):
    return functools.partial(dispatcher, module="numpy", verify=False)
def fetch(session, url, post_json):
    a = session.get(url, verify=False)  # expect: DH261
    b = hvac.Client(url="https://vault.kcmo.gov", verify=False)  # expect: DH261
    c = functools.partial(requests.post, verify=False)  # expect: DH261
    d = post_json("https://data.kcmo.gov/x", verify=False)  # expect: DH261
    e = make_feed(endpoint=url, verify=False)  # expect: DH261
    return a, b, c, d, e
"""
    assert_expected(code, select=("DH261",))


def test_check_hostname_false_says_host_name_checking_is_off(scan):
    # probe37 min/12: the chain is still verified (verify_mode stays CERT_REQUIRED); only the
    # host-name check is off, and the message says so. It stays a finding.
    code = """
import ssl
def create_context():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    other = ssl.create_default_context()
    other.verify_mode = ssl.CERT_NONE
    return context, other
"""
    result = scan({"ctx.py": code}, select=["DH261"])
    messages = sorted(f.message for f in result.active)
    assert messages == [
        "context.check_hostname: host-name checking of the certificate is switched off"
        " (check_hostname = False)",
        "other.verify_mode: certificate verification is switched off (CERT_NONE)",
    ]


def test_hash_inside_dunder_hash_is_no_pseudonym(assert_expected):
    # probe37 min/15 (importlib's FileLoader): hash() in __hash__ makes a dict's key, kept in
    # memory; the same hash() in another method of the class still pseudonymises weakly.
    code = """
class Rider:
    def __init__(self, email, plate):
        self.email = email
        self.plate = plate

    def __hash__(self):
        return hash(self.email) ^ hash(self.plate)

    def token(self, row):
        return hash(row["email"])  # expect: DH562
"""
    assert_expected(code, select=("DH562",))


def test_a_key_written_in_the_code_is_no_key(scan):
    # probe38 min/15: hmac.new or blake2b(key=) keyed with a literal, a module's or a class's
    # constant or a parameter's default is keyed with a key everyone with the repository
    # holds. A key from the environment (even with a written default), or a name the module
    # may set to another value (a branch, a function declaring it global), stays keyed.
    code = """
import hashlib, hmac, os
PLATE_KEY = b"kcpd-alpr-2024"
ENV_KEY = os.environ.get("PLATE_KEY", "kcpd-alpr-dev").encode()
DEV_KEY = b"kcpd-alpr-dev"
if os.environ.get("PLATE_KEY"):
    DEV_KEY = os.environ["PLATE_KEY"].encode()
LATER = b"kcpd-alpr-dev"
def setup():
    global LATER
    LATER = os.environ["PLATE_KEY"].encode()
class Tokens:
    KEY = b"kcpd-alpr-2024"
    def token(self, plate: str) -> str:
        return hmac.new(self.KEY, plate.encode(), hashlib.sha256).hexdigest()
def tok(plate: str, phone: str, key: bytes = b"kcpd-alpr-2024") -> tuple:
    a = hmac.new(PLATE_KEY, plate.encode(), hashlib.sha256).hexdigest()
    b = hmac.new(b"kcpd-alpr-2024", plate.encode(), hashlib.sha256).hexdigest()
    c = hashlib.blake2b(plate.encode(), key=b"kcpd-alpr-2024").hexdigest()
    h = hashlib.blake2s(key=PLATE_KEY)
    h.update(phone.encode())
    d = hmac.new(key, plate.encode(), hashlib.sha256).hexdigest()
    e = hmac.new(ENV_KEY, plate.encode(), hashlib.sha256).hexdigest()
    f = hmac.new(DEV_KEY, plate.encode(), hashlib.sha256).hexdigest()
    g = hmac.new(LATER, plate.encode(), hashlib.sha256).hexdigest()
    i = hashlib.blake2b(plate.encode(), key=ENV_KEY).hexdigest()
    j = hmac.new(PLATE_KEY, b"report-body", hashlib.sha256).hexdigest()
    return a, b, c, h.hexdigest(), d, e, f, g, i, j
"""
    result = scan({"etl.py": code}, select=["DH562"])
    got = {
        f.location.start_line: (
            f.message.split(" hashed with ", 1)[1].split(",", 1)[0],
            [r.location.start_line for r in f.related if r.label == "key written here"],
        )
        for f in result.active
    }
    assert got == {
        15: ("hmac keyed with 'self.KEY'", [13]),
        17: ("hmac keyed with 'PLATE_KEY'", [3]),
        18: ("hmac keyed with a literal", []),
        19: ("blake2b keyed with a literal", []),
        21: ("blake2s keyed with 'PLATE_KEY'", [3]),
        22: ("hmac keyed with 'key'", [16]),
    }
    message = next(f.message for f in result.active if f.location.start_line == 17)
    assert message.endswith(
        "written in the code: anyone with the repository can hash every possible value and"
        " reverse it"
    )
    # A test's key is the test's.
    assert not scan({"tests/test_tokens.py": code}, select=["DH562"]).active
