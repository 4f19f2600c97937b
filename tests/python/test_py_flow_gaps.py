"""Flows realistic ETL probes found missed or misread (s25 h4): a record logged before its
fields are read, Beam's sinks, a socket's peer address, identifier-named parameters with an
empty default, rounding to decimals not known, a DSN setting that is only tested for."""

from __future__ import annotations


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


def test_rounding_to_decimals_not_known_is_precise(assert_expected):
    # round(lat, digits) with digits unknown (a parameter, a setting) may keep every decimal:
    # as not rounded (DH563); a known number of decimals is judged as before.
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
            writer.writerow([r[0], round(r[1], DECIMALS), round(r[2], DECIMALS)])  # expect: DH563
            writer.writerow([r[0], round(r[1], PLACES), round(r[2], 3)])
def publish_dict(digits, path):
    df = pd.read_csv("trips.csv", usecols=["trip_id", "lat", "lon"])
    df.round({"lat": digits, "lon": 2}).to_csv(path)  # expect: DH563
    df.round({"lat": 3, "lon": 2}).to_csv(path)
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
