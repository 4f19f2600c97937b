"""Flows the probe 46 (edge crowd analytics on k3s: paho-MQTT, InfluxDB, MinIO, OpenSearch,
a nightly export to GCP) found missed or misread."""

from __future__ import annotations

from dhlint.frontends.python import needs_analysis

MINIO = """
import io
import json
import os

from minio import Minio

LOCAL = Minio("localhost:9000", access_key=os.environ["AK"], secure=False)
ARCHIVE = Minio("minio.edge.internal:9000", secure=False)  # expect: DH260
OFFSITE = Minio("backup.vendor.example:9000", cert_check=False)  # expect: DH660 DH261
SITE = Minio("minio.kcmo.gov")


def make_client(endpoint):
    return Minio(endpoint, secure=False)  # expect: DH260


def configured(endpoint):
    return Minio(endpoint, secure=os.environ.get("MINIO_SECURE") == "1")


def archive(client, rows):
    body = json.dumps([{"mac_address": r["mac"], "count": r["n"]} for r in rows]).encode()
    client.put_object("meta", "day.json", io.BytesIO(body), len(body))  # expect: DH560
    counts = json.dumps([{"count": r["n"]} for r in rows]).encode()
    client.put_object("meta", "counts.json", io.BytesIO(counts), len(counts))


def archive_kw(rows):
    body = json.dumps([{"plate": r["plate"]} for r in rows]).encode()
    data = io.BytesIO(body)
    SITE.put_object(bucket_name="meta", object_name="p", data=data, length=1)  # expect: DH560


def archive_file(rows):
    with open("/tmp/out.csv", "w") as f:
        f.write(",".join(r["email"] for r in rows))  # expect: DH560
    SITE.fput_object("exports", "out.csv", "/tmp/out.csv")  # expect: DH560


def archive_metadata(row, jpeg):
    meta = {"plate": row["plate"]}
    SITE.put_object("frames", "f.jpg", io.BytesIO(jpeg), len(jpeg), metadata=meta)  # expect: DH560
    SITE.fput_object("frames", "g.jpg", "/tmp/g.jpg", metadata={"camera": row["camera"]})
"""


def test_minio_client_transport_and_writes(assert_expected):
    # probe46: the `minio` client was not modelled: Minio(..., secure=False) (clear text),
    # cert_check=False and the host it reaches went unjudged, and its positional
    # put_object(bucket, name, data, length) and fput_object(bucket, name, path) wrote nothing.
    result = assert_expected(MINIO, select=("DH260", "DH261", "DH560", "DH660"))
    messages = " | ".join(f.message for f in result.active)
    assert "minio.Minio uses a cleartext channel (http://minio.edge.internal)" in messages
    assert "minio.Minio uses a cleartext channel (secure=False)" in messages
    assert "certificate verification is switched off (cert_check=False)" in messages
    assert "object storage (meta) by storage.put_object" in messages
    assert "object storage (meta) by minio.put_object" in messages
    assert "object storage (exports) by minio.fput_object" in messages


MINIO_ALONE = """
import minio


def client(endpoint):
    return minio.Minio(endpoint, "ak", "sk", None, False)  # expect: DH260
"""


def test_minio_module_passes_the_prefilter(assert_expected):
    # A module whose only network library is minio was dropped by the pre-filter: positional
    # secure=False (the fifth argument) was never seen.
    assert needs_analysis(MINIO_ALONE)
    assert_expected(MINIO_ALONE, select=("DH260",))


LOGGED_VARIABLE = """
import hashlib
import logging

log = logging.getLogger("wifi")


def on_frame(frame):
    mac = frame["wlan.sa"]
    log.debug("probe from %s rssi=%s", mac, frame["rssi"])  # expect: DH565
    token = frame["wlan.sa"]
    log.debug("probe from %s", token)
    digest = hashlib.sha256(frame["wlan.sa"].encode()).hexdigest()
    mac = digest
    log.debug("probe from %s", mac)


def on_entry(entry, pair):
    name = entry["title"]
    log.info("station %s", name)
    plate = entry["tag"]
    log.info("%s %s", *pair, plate)
"""


def test_identifier_named_variable_of_an_opaque_field_logged(assert_expected):
    # probe46: mac = frame["wlan.sa"]; log.debug("...", mac) logged a raw MAC address unseen:
    # the value was the field 'wlan.sa' and the variable's name was lost. A variable logged
    # whole now names the one field it holds, as a dict key does, when the variable is named
    # like an identifier (high confidence: not 'name') and the field is not; its treatment
    # is kept (a digest is not raw), and a call with *args is not lined up.
    result = assert_expected(LOGGED_VARIABLE, select=("DH565",))
    assert result.active[0].message == (
        "Identifier(s) 'mac' (device) written to a log by logger.debug"
    )
    assert "held in 'mac'" in [step.label for step in result.active[0].flow]


ROW_APPLY = """
import hashlib
import hmac
import os

import pandas as pd

KEY = os.environ["TOKEN_KEY"].encode()


def tokens(path):
    df = pd.read_csv(path)
    token = lambda r: hmac.new(KEY, r["email"].encode(), hashlib.sha256).hexdigest()  # noqa: E731
    df["rider"] = df.apply(token, axis=1)
    df[["rider", "trips"]].to_csv("riders.csv")
    df["contact"] = df.apply(lambda r: r["email"].strip().lower(), axis="columns")
    df[["contact", "trips"]].to_csv("contacts.csv")  # expect: DH560


def cells(path):
    df = pd.read_csv(path)
    df["lat3"] = df.apply(lambda r: round(r["lat"], 3), axis=1)
    df[["lat3", "trips"]].to_csv("cells.csv")
    pair = lambda r: (round(r["lat"], 3), round(r["lon"], 3))  # noqa: E731
    df[["la", "lo"]] = df.apply(pair, axis=1, result_type="expand")
    df[["la", "lo", "trips"]].to_csv("pairs.csv")
    df["raw"] = df.apply(lambda r: r["lat"], axis=1)
    df[["raw", "trips"]].to_csv("raw.csv")  # expect: DH563
"""


def test_row_wise_apply_gives_what_the_function_makes(assert_expected):
    # probe46: df.apply(lambda r: f(r[...]), axis=1) gave the whole row, not f's value: a
    # keyed token (hmac) of the e-mail was exported as the raw e-mail (DH560) and a
    # coordinate rounded to 3 decimals as unrounded (DH563). A row-wise apply now gives what
    # the function makes of the row (a tuple's values with result_type="expand"); a raw
    # field returned is still raw.
    assert_expected(ROW_APPLY, select=("DH560", "DH563"))
