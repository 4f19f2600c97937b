"""Flows realistic ETL probes found missed or misread (s25 h4): a record logged before its
fields are read, Beam's sinks, a socket's peer address, identifier-named parameters with an
empty default, rounding to decimals not known, a DSN setting that is only tested for."""

from __future__ import annotations


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
